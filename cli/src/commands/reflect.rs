//! `nomenclator reflect`: a live database's catalog as a schema document.

use std::time::Duration;

use clap::{Args, ValueEnum};

use super::{emit, Failure};
use nomenclator::document::Format;
use nomenclator::engine::{Engine, RunOptions};
use nomenclator::reflect::{reflect_engine, write_document, Catalog, ReflectOptions, WriteOptions};
use nomenclator::Plugins;

/// The syntax of the printed document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum DocFormat {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

/// Where the database is and how long to wait for it.
#[derive(Args, Debug, Clone)]
pub(crate) struct UrlArgs {
    /// The database URL (default: DATABASE_URL).
    #[arg(long)]
    pub url: Option<String>,
    /// The schemas to read (PostgreSQL schemas, MySQL databases, SQLite schema files next to
    /// the database); repeatable. Default: the connection's own.
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,
    /// How long opening the connection may take, and then the login.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = humantime::parse_duration)]
    pub connect_timeout: Duration,
    /// How long to wait for the answer to each catalog query.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = humantime::parse_duration)]
    pub statement_timeout: Duration,
}

impl UrlArgs {
    /// Connects and reads the catalog.
    pub fn catalog(&self) -> Result<Catalog, Failure> {
        let url = self
            .url
            .clone()
            .or_else(|| std::env::var("DATABASE_URL").ok())
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| {
                Failure::new(
                    "no database to read: give --url (for example --url sqlite://shop.db) or set \
                     DATABASE_URL",
                )
            })?;
        let engine = Engine::from_url(&url)?;
        super::db::existing_database(&engine, "read")?;
        let options = RunOptions {
            connect_timeout: self.connect_timeout,
            statement_timeout: self.statement_timeout,
            ..RunOptions::default()
        };
        let catalog = reflect_engine(
            &engine,
            &options,
            &ReflectOptions {
                schemas: self.schemas.clone(),
                ..ReflectOptions::default()
            },
        )?;
        Ok(catalog)
    }
}

#[derive(Args, Debug)]
pub(crate) struct ReflectArgs {
    #[command(flatten)]
    db: UrlArgs,
    /// The printed document's syntax.
    #[arg(long, value_enum, default_value = "toml")]
    format: DocFormat,
    /// Convention packs for the document; names they give are left out. Repeatable.
    #[arg(long = "conventions", value_name = "PACK")]
    conventions: Vec<String>,
    /// With --conventions: leave out every name the convention can give, so that `migrate`
    /// renames the database's constraints and indexes to the convention.
    #[arg(long, requires = "conventions")]
    adopt: bool,
}

/// Prints the catalog's warnings on standard error.
pub(crate) fn warn(catalog: &Catalog) {
    for w in &catalog.warnings {
        eprintln!("warning: {w}");
    }
    for c in &catalog.carried {
        eprintln!(
            "note: {} {} is carried as custom DDL (the model has no place for it)",
            c.kind, c.name
        );
    }
}

pub(crate) fn run(a: &ReflectArgs, plugins: &Plugins) -> Result<(), Failure> {
    let catalog = a.db.catalog()?;
    warn(&catalog);
    let options = WriteOptions {
        format: match a.format {
            DocFormat::Toml => Format::Toml,
            DocFormat::Json => Format::Json,
        },
        conventions: a.conventions.clone(),
        adopt: a.adopt,
        plugins: plugins.clone(),
        base: std::env::current_dir().ok(),
        ..WriteOptions::default()
    };
    let text = write_document(&catalog, &options)?;
    emit(&text)
}
