//! Which database a statement, event or custom DDL is for.

use std::fmt;
use std::str::FromStr;

/// A database dialect, by identity. The rendering itself lives in
/// `crate::dialect`; the model only needs to say which one it means
/// (custom DDL for some dialects, DDL events).
///
/// MySQL and MariaDB are told apart: they differ in how they name checks,
/// in `RENAME INDEX` and in JSON. Where a document or option says `mysql`,
/// MariaDB is meant too ([`DialectKind::includes`]).
///
/// ```
/// use nomenclator::DialectKind;
/// assert_eq!("postgres".parse::<DialectKind>(), Ok(DialectKind::PostgreSql));
/// assert_eq!(DialectKind::MariaDb.name(), "mariadb");
/// assert!(DialectKind::MySql.includes(DialectKind::MariaDb));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DialectKind {
    /// PostgreSQL.
    PostgreSql,
    /// SQLite.
    Sqlite,
    /// MySQL (and, through [`DialectKind::includes`], MariaDB).
    MySql,
    /// MariaDB.
    MariaDb,
}

impl DialectKind {
    /// Every dialect.
    pub const ALL: [DialectKind; 4] = [
        DialectKind::PostgreSql,
        DialectKind::Sqlite,
        DialectKind::MySql,
        DialectKind::MariaDb,
    ];

    /// The canonical name: `postgresql`, `sqlite`, `mysql` or `mariadb`.
    pub fn name(self) -> &'static str {
        match self {
            DialectKind::PostgreSql => "postgresql",
            DialectKind::Sqlite => "sqlite",
            DialectKind::MySql => "mysql",
            DialectKind::MariaDb => "mariadb",
        }
    }

    /// Whether something meant for `self` is meant for `other` too: each
    /// dialect includes itself, and `mysql` includes `mariadb`.
    pub fn includes(self, other: DialectKind) -> bool {
        self == other || (self == DialectKind::MySql && other == DialectKind::MariaDb)
    }
}

impl fmt::Display for DialectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A dialect name that is none of `postgresql` (`postgres`), `sqlite`,
/// `mysql` or `mariadb`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown dialect {0:?}: use postgresql (postgres), sqlite, mysql or mariadb")]
pub struct UnknownDialect(pub String);

impl FromStr for DialectKind {
    type Err = UnknownDialect;

    /// Parses a dialect name or alias, case-insensitively.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "postgresql" | "postgres" => DialectKind::PostgreSql,
            "sqlite" => DialectKind::Sqlite,
            "mysql" => DialectKind::MySql,
            "mariadb" => DialectKind::MariaDb,
            _ => return Err(UnknownDialect(s.to_owned())),
        })
    }
}
