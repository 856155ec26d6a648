//! SQL dialects: one module each behind the [`Dialect`] trait.
//!
//! A dialect describes what differs between databases as data (identifier
//! limits, which names must be distinct, capabilities) and renders DDL. Core
//! code branches on those capabilities, never on which dialect it has.

mod mysql;
mod postgresql;
mod sqlite;

pub use mysql::MySql;
pub use postgresql::PostgreSql;
pub use sqlite::Sqlite;

use crate::naming::{IdentifierLimit, NameRules, Namespaces};

/// A SQL dialect.
pub trait Dialect: Send + Sync + std::fmt::Debug {
    /// The dialect's name: `postgresql`, `sqlite` or `mysql`.
    fn name(&self) -> &'static str;

    /// The longest constraint or index name the dialect accepts.
    fn identifier_limit(&self) -> IdentifierLimit;

    /// Which names must be distinct from which.
    fn namespaces(&self) -> Namespaces;

    /// The naming rules for this dialect, optionally with another maximum length.
    fn name_rules(&self, max_identifier_length: Option<usize>) -> NameRules {
        let limit = match max_identifier_length {
            Some(m) => self.identifier_limit().with_max(m),
            None => self.identifier_limit(),
        };
        NameRules { dialect: self.name().to_owned(), limit, namespaces: self.namespaces() }
    }
}

/// The dialect with this name or alias (`postgresql`/`postgres`, `sqlite`, `mysql`/`mariadb`).
pub fn by_name(name: &str) -> Option<&'static dyn Dialect> {
    match name.to_ascii_lowercase().as_str() {
        "postgresql" | "postgres" => Some(&PostgreSql),
        "sqlite" => Some(&Sqlite),
        "mysql" | "mariadb" => Some(&MySql),
        _ => None,
    }
}

/// Every dialect.
pub fn all() -> [&'static dyn Dialect; 3] {
    [&PostgreSql, &Sqlite, &MySql]
}
