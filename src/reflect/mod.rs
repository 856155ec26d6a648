//! Reading a live database back: its catalog into a [`Catalog`], and a
//! catalog into a schema document.
//!
//! Each backend reads its server's catalog with a fixed number of queries,
//! however many tables there are: `pg_catalog` on PostgreSQL,
//! `information_schema` on MySQL/MariaDB (triggers, SQL routines and the
//! indexes the model cannot say carried as DDL rebuilt from it), `sqlite_master` and the `pragma_*` table-valued
//! functions on SQLite. What the model has no place for is carried as the
//! catalog's own DDL ([`Carried`]) or named in [`Catalog::warnings`];
//! nothing is dropped silently.
//!
//! ```no_run
//! # #[cfg(feature = "sqlite")] {
//! use nomenclator::engine::Engine;
//! use nomenclator::reflect::{reflect, ReflectOptions, WriteOptions};
//!
//! let engine = Engine::from_url("sqlite://shop.db")?;
//! let mut conn = engine.connect()?;
//! let catalog = reflect(&mut conn, &ReflectOptions::default())?;
//! let document = nomenclator::reflect::write_document(&catalog, &WriteOptions::default())?;
//! print!("{document}");
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Modules: `catalog` (the data, and comparing two snapshots), `error`,
//! `rows` → one backend per server → `write` (the document).

mod catalog;
mod error;
mod model;
#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
mod rows;
#[cfg(feature = "sqlite")]
mod sqlite;
#[cfg(feature = "sqlite")]
mod sqlite_sql;
mod write;

pub use catalog::{
    Carried, Catalog, CatalogCheck, CatalogColumn, CatalogForeignKey, CatalogIndex, CatalogKey,
    CatalogTable, CatalogView, IndexPart,
};
pub use error::ReflectError;
pub use model::catalog_of;
pub use write::{lint, write_document, Finding, WriteError, WriteOptions};

use crate::dialect::Dialect;
use crate::engine::{Connection, DbError, Engine, Rows, RunOptions};
use crate::schema::DialectKind;

/// What to read.
#[derive(Clone, Debug, Default)]
pub struct ReflectOptions {
    /// The schemas to read (PostgreSQL schemas, MySQL databases, SQLite
    /// attached databases); empty: the connection's default schema only.
    pub schemas: Vec<String>,
    /// Read the connection's default schema too when `schemas` names others.
    pub include_default: bool,
    /// Leave out the schemas of `schemas` that do not exist, instead of
    /// failing with [`ReflectError::NoSchema`] (a diff reads the schemas a
    /// document names, some of which it is about to create).
    pub skip_missing: bool,
}

impl ReflectOptions {
    /// The schemas to read: `schemas`, or `default` alone when it is empty,
    /// with `default` added under [`include_default`](Self::include_default).
    #[cfg_attr(
        not(any(feature = "sqlite", feature = "postgres", feature = "mysql")),
        allow(dead_code)
    )]
    pub(crate) fn wanted(&self, default: &str) -> Vec<String> {
        let mut out = self.schemas.clone();
        if out.is_empty() || (self.include_default && !out.iter().any(|s| s == default)) {
            out.insert(0, default.to_owned());
        }
        out
    }
}

/// Where a backend's queries go: a [`Connection`], or a stand-in in tests.
#[cfg_attr(
    not(any(feature = "sqlite", feature = "postgres", feature = "mysql")),
    allow(dead_code)
)]
pub(crate) trait Reader {
    /// Runs a catalog query; every value as text.
    fn rows(&mut self, sql: &str) -> Result<Rows, DbError>;

    /// Runs independent queries, in any order or at once; the answers in
    /// the order of `sqls`.
    fn rows_batch(&mut self, sqls: &[String]) -> Vec<Result<Rows, DbError>> {
        sqls.iter().map(|sql| self.rows(sql)).collect()
    }
}

/// Two connections that share one snapshot of the catalog: a batch runs on
/// both at once (PostgreSQL answers each on its own process).
#[cfg_attr(
    not(any(feature = "sqlite", feature = "postgres", feature = "mysql")),
    allow(dead_code)
)]
struct Pair<'c> {
    first: &'c mut Connection,
    second: Connection,
}

impl Reader for Pair<'_> {
    fn rows(&mut self, sql: &str) -> Result<Rows, DbError> {
        self.first.query(sql)
    }

    fn rows_batch(&mut self, sqls: &[String]) -> Vec<Result<Rows, DbError>> {
        let second = &mut self.second;
        let first = &mut *self.first;
        std::thread::scope(|scope| {
            let odd = scope.spawn(move || {
                sqls.iter()
                    .skip(1)
                    .step_by(2)
                    .map(|sql| second.query(sql))
                    .collect::<Vec<_>>()
            });
            let even: Vec<_> = sqls.iter().step_by(2).map(|sql| first.query(sql)).collect();
            let odd = odd
                .join()
                .unwrap_or_else(|_| vec![Err(DbError::msg("a catalog query thread failed"))]);
            let mut out = Vec::with_capacity(sqls.len());
            let (mut e, mut o) = (even.into_iter(), odd.into_iter());
            for i in 0..sqls.len() {
                let next = if i % 2 == 0 { e.next() } else { o.next() };
                out.push(next.unwrap_or_else(|| Err(DbError::msg("no answer"))));
            }
            out
        })
    }
}

impl Reader for Connection {
    fn rows(&mut self, sql: &str) -> Result<Rows, DbError> {
        self.query(sql)
    }
}

/// Reads the catalog of the database `conn` is connected to.
///
/// Tables of the connection's default schema have no schema in the
/// result; with [`ReflectOptions::schemas`] empty only that schema is read.
pub fn reflect(conn: &mut Connection, options: &ReflectOptions) -> Result<Catalog, ReflectError> {
    let kind = conn.dialect().kind();
    // SQLite: each schema is a file next to the database, attached here
    // when it exists (an absent one is then reported as such).
    conn.open_existing_schemas(&options.schemas)
        .map_err(error::query_err("the schemas"))?;
    read(conn, kind, options)
}

/// Reads the catalog of the database `engine` names, as [`reflect`] does,
/// over two connections on PostgreSQL: they share one snapshot (a
/// read-only repeatable-read transaction and `SET TRANSACTION SNAPSHOT`),
/// and the largest catalog queries run on both at once, which about halves
/// the time on a large schema. Other servers are read over one connection.
pub fn reflect_engine(
    engine: &Engine,
    run: &RunOptions,
    options: &ReflectOptions,
) -> Result<Catalog, ReflectError> {
    let mut conn = engine.connect_with(run).map_err(ReflectError::Connect)?;
    // Reading the catalog waits for the locks a migration's DDL holds, as
    // the statements do: under the same lock timeout.
    let lock = |c: &mut Connection| match run.lock_timeout {
        Some(t) => c.set_lock_timeout(t),
        None => Ok(()),
    };
    let timed_out = |e: ReflectError, conns: &mut [&mut Connection]| match e {
        ReflectError::Query { what, source } if source.lock_timeout => ReflectError::LockTimeout {
            what,
            waited: run.lock_timeout.unwrap_or_default(),
            blockers: conns.iter_mut().flat_map(|c| c.blockers(&[])).collect(),
        },
        e => e,
    };
    lock(&mut conn).map_err(error::query_err("the lock timeout"))?;
    if conn.dialect().kind() != DialectKind::PostgreSql {
        return reflect(&mut conn, options).map_err(|e| timed_out(e, &mut [&mut conn]));
    }
    let snapshot = (|| -> Result<(Connection, ()), DbError> {
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        let id = conn
            .query("SELECT pg_export_snapshot()")?
            .first()
            .and_then(|r| r.first().cloned().flatten())
            .ok_or_else(|| DbError::msg("the server exported no snapshot"))?;
        let mut second = engine
            .connect_with(run)
            .map_err(|e| DbError::msg(e.to_string()))?;
        lock(&mut second)?;
        second.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        let literal = crate::dialect::PostgreSql.string_literal(&id);
        second.execute(&format!("SET TRANSACTION SNAPSHOT {literal}"))?;
        Ok((second, ()))
    })();
    let (second, ()) = snapshot.map_err(error::query_err("a snapshot of the catalog"))?;
    let mut pair = Pair {
        first: &mut conn,
        second,
    };
    let catalog = read(&mut pair, DialectKind::PostgreSql, options);
    let mut second = pair.second;
    // Who held the lock is asked before the next statement forgets it.
    let catalog = catalog.map_err(|e| timed_out(e, &mut [&mut conn, &mut second]));
    let _ = second.execute("ROLLBACK");
    let _ = conn.execute("ROLLBACK");
    catalog
}

#[allow(unused_variables)]
fn read(
    db: &mut dyn Reader,
    kind: DialectKind,
    options: &ReflectOptions,
) -> Result<Catalog, ReflectError> {
    match kind {
        #[cfg(feature = "postgres")]
        DialectKind::PostgreSql => postgres::read(db, options),
        #[cfg(feature = "sqlite")]
        DialectKind::Sqlite => sqlite::read(db, options),
        #[cfg(feature = "mysql")]
        DialectKind::MySql | DialectKind::MariaDb => mysql::read(db, kind, options),
        #[allow(unreachable_patterns)]
        other => Err(ReflectError::Unsupported(other.name())),
    }
}
