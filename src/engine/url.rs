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

    /// The URL for messages, every credential in it replaced by `***`: the
    /// password of `user:password@`, and the value of each query parameter
    /// whose name looks like a credential (`password`, `pass`, `pwd`,
    /// `sslpassword`, `passfile`, `token`, `secret`, `sslkey`, ...; see
    /// [`is_credential`]).
    ///
    /// ```
    /// use nomenclator::engine::DbUrl;
    /// let url = DbUrl::parse("postgres://bob:hunter2@db/app?sslmode=require&password=hunter2")?;
    /// assert_eq!(url.display(), "postgres://bob:***@db/app?sslmode=require&password=***");
    /// # Ok::<(), nomenclator::engine::EngineError>(())
    /// ```
    pub fn display(&self) -> String {
        match self {
            DbUrl::SqliteFile(p) => format!("sqlite://{}", redact_query(&p.display().to_string())),
            DbUrl::SqliteMemory => "sqlite::memory:".to_owned(),
            DbUrl::Postgres(u) | DbUrl::MySql(u) => redact(u),
        }
    }
}

impl DbUrl {
    /// The credentials the URL holds (see [`secrets`]).
    pub(crate) fn secrets(&self) -> Vec<String> {
        match self {
            DbUrl::SqliteFile(p) => secrets(&p.display().to_string()),
            DbUrl::SqliteMemory => Vec::new(),
            DbUrl::Postgres(u) | DbUrl::MySql(u) => secrets(u),
        }
    }
}

/// Whether a URL query parameter named `name` carries a credential: its
/// name, in any case and with `-` or `_` or not, holds `pass` (`password`,
/// `pass`, `passwd`, `sslpassword`, `passfile`), `pwd`, `secret`, `token`,
/// `key` (`sslkey`, `api_key`), `auth` or `credential`.
///
/// ```
/// use nomenclator::engine::is_credential;
/// assert!(is_credential("password") && is_credential("PWD") && is_credential("sslpassword"));
/// assert!(!is_credential("sslmode") && !is_credential("user"));
/// ```
pub fn is_credential(name: &str) -> bool {
    let name: String = decode(name)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    [
        "pass",
        "pwd",
        "secret",
        "token",
        "key",
        "auth",
        "credential",
    ]
    .iter()
    .any(|w| name.contains(w))
}

/// `text` with `%XX` escapes decoded (where they make UTF-8), for reading
/// parameter names.
fn decode(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// `url` with its credentials replaced by `***` (see [`DbUrl::display`]):
/// everything after the first `:` of the user information (the text before
/// the last `@` of the authority), and the value of each credential
/// parameter of the query.
pub(crate) fn redact(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, url),
    };
    // The query starts at the first `?` after the user information: a
    // password may hold `?`, `/` or `@` unescaped, which a driver may take
    // in, and must be hidden all the same.
    let userinfo_end = match rest.find(['/', '?', '#']) {
        Some(end) => rest[..end].rfind('@').or_else(|| {
            // No `@` in the authority: one further on that comes before any
            // `=` is the end of a user:password holding `/`, `?` or `#`.
            let at = rest.rfind('@')?;
            (!rest[..at].contains('=')).then_some(at)
        }),
        None => rest.rfind('@'),
    };
    let mut out = String::with_capacity(url.len());
    if let Some(s) = scheme {
        out.push_str(s);
        out.push_str("://");
    }
    let after = match (scheme, userinfo_end) {
        (Some(_), Some(at)) => {
            let userinfo = &rest[..at];
            match userinfo.split_once(':') {
                Some((user, _)) => {
                    out.push_str(user);
                    out.push_str(":***");
                }
                None => out.push_str(userinfo),
            }
            &rest[at..]
        }
        _ => rest,
    };
    out.push_str(&redact_query(after));
    out
}

/// The credentials `url` holds, as written and percent-decoded: the
/// password of its user information and the value of each credential
/// parameter (what [`redact`] hides), those of three characters or more.
pub(crate) fn secrets(url: &str) -> Vec<String> {
    let redacted = redact(url);
    // What `redact` replaced: compare the two texts around each `***`.
    let mut out = Vec::new();
    let (mut a, mut b) = (url, redacted.as_str());
    while let Some(star) = b.find("***") {
        let same = b[..star].len();
        let (Some(before), Some(after_stars)) = (a.get(..same), b.get(star + 3..)) else {
            break;
        };
        if before != &b[..star] {
            break;
        }
        // The hidden text runs to where the rest of the redacted URL resumes.
        let next = after_stars
            .find("***")
            .map_or(after_stars, |i| &after_stars[..i]);
        let rest = &a[same..];
        let end = if next.is_empty() {
            rest.len()
        } else {
            rest.find(next).unwrap_or(rest.len())
        };
        let hidden = &rest[..end];
        for s in [hidden.to_owned(), decode(hidden)] {
            if s.chars().count() >= 3 && !out.contains(&s) {
                out.push(s);
            }
        }
        a = &rest[end..];
        b = after_stars;
    }
    out
}

/// `message` with each of `secrets` replaced by `***`.
pub(crate) fn scrub(message: &str, secrets: &[String]) -> String {
    secrets
        .iter()
        .fold(message.to_owned(), |m, s| m.replace(s.as_str(), "***"))
}

/// `text` with the value of each credential parameter of its query
/// (after the first `?`) replaced by `***`; a value may hold `#` or `&`
/// unescaped, so what follows a credential up to the next `name=` is hidden
/// too.
fn redact_query(text: &str) -> String {
    let Some((path, query)) = text.split_once('?') else {
        return text.to_owned();
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(path);
    out.push('?');
    let mut hiding = false;
    for (i, pair) in query.split('&').enumerate() {
        if i > 0 {
            out.push('&');
        }
        match pair.split_once('=') {
            Some((name, _)) => {
                hiding = is_credential(name);
                out.push_str(if hiding { name } else { pair });
                if hiding {
                    out.push_str("=***");
                }
            }
            None if hiding => out.push_str("***"),
            None => out.push_str(pair),
        }
    }
    out
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
    fn hides_every_credential() {
        let secret = "hunter2";
        for url in [
            "postgres://bob:hunter2@h:5432/db",
            "postgres://bob@h/db?password=hunter2",
            "postgres://h/db?sslmode=disable&password=hunter2&application_name=x",
            "postgresql://h/db?PASSWORD=hunter2",
            "postgres://h/db?sslpassword=hunter2",
            "postgres://h/db?pass%77ord=hunter2",
            "mysql://root@h:3306/db?pass=hunter2",
            "mysql://root@h/db?pwd=hunter2",
            "mysql://root@h/db?api-token=hunter2#frag",
            "mysql://root@h/db?password=a#hunter2",
            "mysql://root@h/db?password=a&hunter2&ssl=true",
            "mysql://root:hun/ter?2@h/db",
            "mysql://root:hunter2@@h/db",
            "postgres://:hunter2@h/db",
        ] {
            let shown = DbUrl::parse(url).unwrap().display();
            assert!(!shown.contains(secret), "{url} -> {shown}");
            assert!(!shown.contains("hun/ter"), "{url} -> {shown}");
            assert!(shown.contains("***"), "{url} -> {shown}");
        }
        assert_eq!(
            redact("mysql://root@h/db?pwd=x&ssl=true"),
            "mysql://root@h/db?pwd=***&ssl=true"
        );
        assert_eq!(
            DbUrl::parse("sqlite://shop.db?key=s3").unwrap().display(),
            "sqlite://shop.db?key=***"
        );
        let err = DbUrl::parse("oracle://u:hunter2@h/db?password=hunter2").unwrap_err();
        assert!(!err.to_string().contains(secret), "{err}");
    }

    #[test]
    fn finds_the_secrets_it_hides() {
        assert_eq!(
            secrets("mysql://u:p%40ss@h/db?pwd=xyz&ssl=1&token=a&b"),
            vec!["p%40ss", "p@ss", "xyz"]
        );
        assert_eq!(
            secrets("postgres://h/db?password=a&hunter2"),
            vec!["hunter2"]
        );
        assert_eq!(
            scrub(
                "Unknown URL parameter `hunter2'",
                &secrets("mysql://h/d?pass=a&hunter2")
            ),
            "Unknown URL parameter `***'"
        );
        assert!(secrets("postgres://u@h/db?sslmode=disable").is_empty());
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
