//! Database URLs: which driver, which database.

use std::path::PathBuf;

use super::EngineError;

/// Where an [`Engine`](super::Engine) connects, parsed from a URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DbUrl {
    /// `sqlite://path/to/file.db` (created if missing).
    SqliteFile(PathBuf),
    /// `sqlite::memory:`: a database that lives as long as its engine.
    SqliteMemory,
    /// `postgres://user:password@host:port/db` (also `postgresql://`).
    Postgres(String),
    /// `mysql://user:password@host:port/db` (also `mariadb://`), kept with the `mysql://` scheme.
    MySql(String),
}

impl DbUrl {
    /// Parses a URL; the scheme decides the driver.
    pub fn parse(url: &str) -> Result<DbUrl, EngineError> {
        let url = url.trim();
        let bad = |why: &str| EngineError::Url {
            url: redact(url),
            reason: why.to_owned(),
        };
        if url == "sqlite::memory:" || url == "sqlite://:memory:" || url == "sqlite://" {
            return Ok(DbUrl::SqliteMemory);
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err(bad(
                    "no file: use sqlite://path/to/file.db or sqlite::memory:",
                ));
            }
            return Ok(DbUrl::SqliteFile(PathBuf::from(path)));
        }
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err(bad(
                "not a URL: use sqlite://FILE, sqlite::memory:, postgres://... or mysql://...",
            ));
        };
        if rest.is_empty() {
            return Err(bad("no host or database after the scheme"));
        }
        match scheme.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => Ok(DbUrl::Postgres(url.to_owned())),
            "mysql" | "mariadb" => Ok(DbUrl::MySql(format!("mysql://{rest}"))),
            other => Err(bad(&format!(
                "unknown scheme {other:?}: use sqlite://, sqlite::memory:, postgres:// (postgresql://) or mysql:// (mariadb://)"
            ))),
        }
    }

    /// The name of the dialect this URL speaks.
    pub fn dialect_name(&self) -> &'static str {
        self.dialect_kind().name()
    }

    /// The dialect of the database (`mysql://` serves MySQL and MariaDB alike).
    pub fn dialect_kind(&self) -> crate::schema::DialectKind {
        use crate::schema::DialectKind;
        match self {
            DbUrl::SqliteFile(_) | DbUrl::SqliteMemory => DialectKind::Sqlite,
            DbUrl::Postgres(_) => DialectKind::PostgreSql,
            DbUrl::MySql(_) => DialectKind::MySql,
        }
    }

    /// The URL for messages, with any password replaced by `***`.
    pub fn display(&self) -> String {
        match self {
            DbUrl::SqliteFile(p) => format!("sqlite://{}", p.display()),
            DbUrl::SqliteMemory => "sqlite::memory:".to_owned(),
            DbUrl::Postgres(u) | DbUrl::MySql(u) => redact(u),
        }
    }
}

/// Replaces the password of `scheme://user:password@host` with `***`.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (auth, host) = match rest.rfind('@') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => return url.to_owned(),
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        assert_eq!(
            DbUrl::parse("sqlite::memory:").unwrap(),
            DbUrl::SqliteMemory
        );
        assert_eq!(
            DbUrl::parse("sqlite://shop.db").unwrap(),
            DbUrl::SqliteFile("shop.db".into())
        );
        assert_eq!(
            DbUrl::parse("sqlite:///tmp/a.db").unwrap(),
            DbUrl::SqliteFile("/tmp/a.db".into())
        );
        assert_eq!(
            DbUrl::parse("postgresql://u@h/db").unwrap().dialect_name(),
            "postgresql"
        );
        assert_eq!(
            DbUrl::parse("mariadb://root@h:3306/t").unwrap(),
            DbUrl::MySql("mysql://root@h:3306/t".into())
        );
        assert!(DbUrl::parse("oracle://x")
            .unwrap_err()
            .to_string()
            .contains("unknown scheme"));
        assert!(DbUrl::parse("shop.db").is_err());
    }

    #[test]
    fn hides_passwords() {
        assert_eq!(
            redact("postgres://bob:secret@h:5432/db"),
            "postgres://bob:***@h:5432/db"
        );
        assert_eq!(redact("postgres://bob@h/db"), "postgres://bob@h/db");
        assert_eq!(
            DbUrl::parse("mysql://a:b@h/d").unwrap().display(),
            "mysql://a:***@h/d"
        );
    }
}
