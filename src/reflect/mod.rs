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

use crate::engine::{Connection, DbError, Rows};
use crate::schema::DialectKind;

/// What to read.
#[derive(Clone, Debug, Default)]
pub struct ReflectOptions {
    /// The schemas to read (PostgreSQL schemas, MySQL databases, SQLite
    /// attached databases); empty: the connection's default schema only.
    pub schemas: Vec<String>,
}

/// Where a backend's queries go: a [`Connection`], or a stand-in in tests.
pub(crate) trait Reader {
    /// Runs a catalog query; every value as text.
    fn rows(&mut self, sql: &str) -> Result<Rows, DbError>;
}

impl Reader for Connection {
    fn rows(&mut self, sql: &str) -> Result<Rows, DbError> {
        let t = std::time::Instant::now();
        let r = self.query(sql);
        if std::env::var_os("TRACE_Q").is_some() {
            eprintln!("{:?} {}", t.elapsed(), &sql[..sql.len().min(90)]);
        }
        r
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
