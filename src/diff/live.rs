//! The database side of a diff: its catalog, read through `reflect`.

use crate::ddl::DdlOptions;
use crate::dialect::Dialect;
use crate::engine::{Engine, RunOptions};
use crate::reflect::{reflect_engine, Catalog, ReflectOptions};
use crate::schema::{DialectKind, MetaData};

use super::{diff, DiffError, Migration, Schema};

/// What a diff needs to know of a database server before it reads the
/// document: its dialect (MariaDB told from MySQL by the server itself)
/// and its default schema.
#[derive(Clone, Debug)]
pub struct Server {
    /// The server's dialect.
    pub dialect: &'static dyn Dialect,
    /// The default schema: the connection's current schema on PostgreSQL
    /// (`public`), the URL's database on MySQL/MariaDB, `main` on SQLite.
    pub default_schema: Option<String>,
}

impl Server {
    /// Asks the server `engine` names.
    pub fn probe(engine: &Engine, run: &RunOptions) -> Result<Server, DiffError> {
        let mut conn = engine.connect_with(run)?;
        let dialect = conn.dialect();
        let sql = match dialect.kind() {
            DialectKind::PostgreSql => "SELECT current_schema()",
            DialectKind::MySql | DialectKind::MariaDb => "SELECT DATABASE()",
            _ => {
                return Ok(Server {
                    dialect,
                    default_schema: Some("main".into()),
                })
            }
        };
        let rows = conn.query(sql).map_err(|source| DiffError::Database {
            context: "looking up the default schema".into(),
            source,
        })?;
        Ok(Server {
            dialect,
            default_schema: rows.first().and_then(|r| r.first().cloned().flatten()),
        })
    }

    /// The create options for this server: on MySQL, the database that
    /// holds the tables without a schema.
    pub fn ddl_options(&self) -> DdlOptions {
        DdlOptions {
            database: match self.dialect.kind() {
                DialectKind::MySql | DialectKind::MariaDb => self.default_schema.clone(),
                _ => None,
            },
            ..DdlOptions::default()
        }
    }
}

/// The migration that brings the database `engine` names (a `server`
/// [`Server::probe`] described) to the schema `md`: the database's catalog
/// (its default schema and every schema `md` uses) against `md`'s create
/// plan for the server's dialect.
pub fn diff_database(
    engine: &Engine,
    run: &RunOptions,
    server: &Server,
    md: &MetaData,
) -> Result<Migration<'static>, DiffError> {
    diff_database_catalog(engine, run, server, md).map(|(_, m)| m)
}

/// [`diff_database`], with the database's catalog the migration starts
/// from (to draw what it changes, say).
pub fn diff_database_catalog(
    engine: &Engine,
    run: &RunOptions,
    server: &Server,
    md: &MetaData,
) -> Result<(Catalog, Migration<'static>), DiffError> {
    let default = server.default_schema.as_ref();
    let mut schemas: Vec<String> = md
        .tables()
        .iter()
        .filter_map(|t| t.schema().map(str::to_owned))
        .chain(md.views().iter().filter_map(|v| v.schema.clone()))
        .filter(|s| Some(s) != default)
        .collect();
    schemas.sort();
    schemas.dedup();
    let catalog = reflect_engine(
        engine,
        run,
        &ReflectOptions {
            schemas,
            include_default: true,
            skip_missing: true,
        },
    )?;
    let old = Schema::from_catalog(&catalog, server.dialect);
    let new = Schema::from_metadata(
        md,
        server.dialect,
        &server.ddl_options(),
        server.default_schema.as_deref(),
    )?;
    Ok((catalog, diff(&old, &new, server.dialect)?))
}
