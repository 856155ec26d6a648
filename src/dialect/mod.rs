//! SQL dialects: one module each behind the [`Dialect`] trait.
//!
//! A dialect describes what differs between databases as data (identifier
//! limits, which names must be distinct, [`Capabilities`], reserved words,
//! type spelling) and renders DDL through the trait's default methods. Core
//! code branches on those capabilities, never on which dialect it has.

mod mysql;
mod postgresql;
mod sqlite;

pub use mysql::MySql;
pub use postgresql::PostgreSql;
pub use sqlite::Sqlite;

use crate::ddl::DdlError;
use crate::naming::{IdentifierChars, IdentifierLimit, NameRules, Namespaces};
use crate::schema::ColumnType;

/// How an auto-increment integer primary key is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AutoIncrement {
    /// A serial type replaces the integer type (`SERIAL`, `BIGSERIAL`, `SMALLSERIAL`).
    SerialTypes,
    /// A keyword follows the column definition (`AUTO_INCREMENT`).
    Keyword(&'static str),
    /// The column is spelled `INTEGER` so that it aliases the row id (SQLite).
    IntegerRowId,
}

/// Where comments on tables and columns go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentStyle {
    /// Separate `COMMENT ON TABLE/COLUMN ... IS '...'` statements.
    Statements,
    /// `COMMENT '...'` in the column definition and `COMMENT='...'` after the table.
    Inline,
    /// A `/* ... */` SQL comment in the definition, kept in the stored schema text.
    SqlComment,
}

/// What a dialect can do, as plain data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// The identifier quote character (`"` or `` ` ``).
    pub quote: char,
    /// Unquoted identifiers fold to lower case, so upper-case names need quotes.
    pub folds_to_lower_case: bool,
    /// `ALTER TABLE ... ADD CONSTRAINT` works for foreign keys.
    pub alter_add_constraint: bool,
    /// The clause that drops a foreign key in `ALTER TABLE` (`DROP CONSTRAINT`, `DROP FOREIGN KEY`).
    pub drop_foreign_key: &'static str,
    /// DDL statements take part in transactions.
    pub transactional_ddl: bool,
    /// `CREATE ... IF NOT EXISTS` and `DROP ... IF EXISTS` are understood.
    pub if_not_exists: bool,
    /// A named check may be declared inside a column definition (`col INT CONSTRAINT n CHECK (...)`).
    pub inline_named_column_checks: bool,
    /// How an auto-increment integer primary key is written.
    pub auto_increment: AutoIncrement,
    /// Where comments go.
    pub comments: CommentStyle,
    /// `REFERENCES` may name the referred table's schema.
    pub schema_qualified_references: bool,
    /// An unqualified name in `REFERENCES` is looked up in the referring table's
    /// schema (MySQL databases), not in a default schema.
    pub references_resolve_in_own_schema: bool,
    /// The schema qualifies the index name, not the table (`CREATE INDEX s.ix ON t`).
    pub index_schema_on_index_name: bool,
    /// `DROP INDEX` names the table (`DROP INDEX ix ON t`).
    pub drop_index_on_table: bool,
    /// Indexes, unique and primary keys on TEXT/BLOB/JSON columns need a prefix length.
    pub text_keys_need_prefix: bool,
    /// `VARCHAR` needs a length.
    pub varchar_needs_length: bool,
    /// Backslash is an escape character in string literals.
    pub backslash_escapes: bool,
}

/// A SQL dialect.
pub trait Dialect: Send + Sync + std::fmt::Debug {
    /// The dialect's name: `postgresql`, `sqlite` or `mysql`.
    fn name(&self) -> &'static str;

    /// The longest constraint or index name the dialect accepts.
    fn identifier_limit(&self) -> IdentifierLimit;

    /// Which names must be distinct from which.
    fn namespaces(&self) -> Namespaces;

    /// What the dialect can do.
    fn capabilities(&self) -> Capabilities;

    /// The dialect's reserved words.
    fn reserved_words(&self) -> &'static ReservedWords;

    /// The naming rules for this dialect, optionally with another maximum length.
    fn name_rules(&self, max_identifier_length: Option<usize>) -> NameRules {
        let limit = match max_identifier_length {
            Some(m) => self.identifier_limit().with_max(m),
            None => self.identifier_limit(),
        };
        NameRules {
            dialect: self.name().to_owned(),
            limit,
            namespaces: self.namespaces(),
            chars: self.identifier_chars(),
        }
    }

    /// The characters identifiers may hold, even quoted. Default: any but NUL.
    fn identifier_chars(&self) -> IdentifierChars {
        IdentifierChars::AnyButNul
    }

    /// Whether `word` is reserved (case-insensitive).
    fn is_reserved(&self, word: &str) -> bool {
        self.reserved_words().contains(word)
    }

    /// Whether `name` must be quoted: reserved words, characters other than
    /// ASCII letters, digits, `_` and `$` (or a leading digit or `$`), and on
    /// dialects that fold unquoted names, upper case.
    fn needs_quoting(&self, name: &str) -> bool {
        let bytes = name.as_bytes();
        let legal_start = matches!(bytes.first(), Some(b) if b.is_ascii_alphabetic() || *b == b'_');
        if !legal_start {
            return true;
        }
        let mut upper = false;
        for &b in &bytes[1..] {
            if !(b.is_ascii_alphanumeric() || b == b'_' || b == b'$') {
                return true;
            }
            upper |= b.is_ascii_uppercase();
        }
        upper |= bytes[0].is_ascii_uppercase();
        (upper && self.capabilities().folds_to_lower_case) || self.is_reserved(name)
    }

    /// `name` as an identifier, quoted only when needed, embedded quotes doubled.
    fn quote(&self, name: &str) -> String {
        let mut out = String::with_capacity(name.len() + 2);
        self.push_quoted(&mut out, name);
        out
    }

    /// Appends `name` to `out` as [`quote`](Dialect::quote) spells it.
    fn push_quoted(&self, out: &mut String, name: &str) {
        if !self.needs_quoting(name) {
            out.push_str(name);
            return;
        }
        let q = self.capabilities().quote;
        out.reserve(name.len() + 2);
        out.push(q);
        for c in name.chars() {
            if c == q {
                out.push(q);
            }
            out.push(c);
        }
        out.push(q);
    }

    /// `schema.name`, each part quoted as needed.
    fn qualified(&self, schema: Option<&str>, name: &str) -> String {
        let mut out = String::new();
        self.push_qualified(&mut out, schema, name);
        out
    }

    /// Appends `schema.name` to `out` as [`qualified`](Dialect::qualified) spells it.
    fn push_qualified(&self, out: &mut String, schema: Option<&str>, name: &str) {
        if let Some(s) = schema {
            self.push_quoted(out, s);
            out.push('.');
        }
        self.push_quoted(out, name);
    }

    /// `text` as a string literal.
    fn string_literal(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 2);
        self.push_string_literal(&mut out, text);
        out
    }

    /// Appends `text` to `out` as [`string_literal`](Dialect::string_literal) spells it.
    fn push_string_literal(&self, out: &mut String, text: &str) {
        let backslash = self.capabilities().backslash_escapes;
        out.push('\'');
        for c in text.chars() {
            match c {
                '\'' => out.push_str("''"),
                '\\' if backslash => out.push_str("\\\\"),
                c => out.push(c),
            }
        }
        out.push('\'');
    }

    /// The dialect's spelling of a portable type; other type text passes unchanged.
    fn type_sql(&self, ty: &ColumnType) -> Result<String, DdlError> {
        default_type_sql(self, ty)
    }

    /// The type of an auto-increment primary-key column of type `ty`.
    fn auto_increment_type_sql(&self, ty: &ColumnType) -> Result<String, DdlError> {
        match (self.capabilities().auto_increment, ty) {
            (AutoIncrement::SerialTypes, ColumnType::Integer) => Ok("SERIAL".into()),
            (AutoIncrement::SerialTypes, ColumnType::BigInt) => Ok("BIGSERIAL".into()),
            (AutoIncrement::SerialTypes, ColumnType::SmallInt) => Ok("SMALLSERIAL".into()),
            (AutoIncrement::IntegerRowId, _) => Ok("INTEGER".into()),
            _ => self.type_sql(ty),
        }
    }
}

/// A dialect's reserved words, in lower case, looked up case-insensitively
/// through a hash set made on first use (every rendered identifier is
/// looked up).
///
/// ```
/// use nomenclator::dialect::ReservedWords;
/// static WORDS: ReservedWords = ReservedWords::new(&["select", "table"]);
/// assert!(WORDS.contains("TABLE"));
/// assert!(!WORDS.contains("tables"));
/// ```
pub struct ReservedWords {
    words: &'static [&'static str],
    set: once_cell::sync::OnceCell<rustc_hash::FxHashSet<&'static str>>,
}

impl ReservedWords {
    /// The words of `words` (lower case).
    pub const fn new(words: &'static [&'static str]) -> Self {
        ReservedWords {
            words,
            set: once_cell::sync::OnceCell::new(),
        }
    }

    /// The words, as given.
    pub fn words(&self) -> &'static [&'static str] {
        self.words
    }

    /// Whether `word` is one of them, case-insensitively.
    pub fn contains(&self, word: &str) -> bool {
        let set = self
            .set
            .get_or_init(|| self.words.iter().copied().collect());
        // A word longer than the lower-casing buffer is longer than any
        // reserved word (checked by a test below).
        crate::text::with_ascii_lowercase(word, |w| set.contains(w)).unwrap_or(false)
    }
}

impl std::fmt::Debug for ReservedWords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.words).finish()
    }
}

/// The common spelling of the portable types, for dialects overriding only some.
pub fn default_type_sql<D: Dialect + ?Sized>(d: &D, ty: &ColumnType) -> Result<String, DdlError> {
    Ok(match ty {
        ColumnType::Integer => "INTEGER".into(),
        ColumnType::BigInt => "BIGINT".into(),
        ColumnType::SmallInt => "SMALLINT".into(),
        ColumnType::Varchar(Some(n)) => format!("VARCHAR({n})"),
        ColumnType::Varchar(None) if d.capabilities().varchar_needs_length => {
            return Err(DdlError::LengthNeeded {
                dialect: d.name(),
                ty: ty.to_string(),
            })
        }
        ColumnType::Varchar(None) => "VARCHAR".into(),
        ColumnType::Text => "TEXT".into(),
        ColumnType::Boolean => "BOOLEAN".into(),
        ColumnType::Numeric(Some((p, s))) => format!("NUMERIC({p}, {s})"),
        ColumnType::Numeric(None) => "NUMERIC".into(),
        ColumnType::Float => "FLOAT".into(),
        ColumnType::Date => "DATE".into(),
        ColumnType::Timestamp => "TIMESTAMP".into(),
        ColumnType::Blob => "BLOB".into(),
        ColumnType::Uuid => "CHAR(32)".into(),
        ColumnType::Json => "JSON".into(),
        ColumnType::Other(s) => s.clone(),
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_lists_are_sorted_lower_case() {
        for d in all() {
            let w = d.reserved_words().words();
            assert!(w.windows(2).all(|p| p[0] < p[1]), "{}", d.name());
            assert!(w.iter().all(|s| *s == s.to_lowercase()), "{}", d.name());
            assert!(
                w.iter().all(|s| s.len() <= crate::text::LOWERCASE_MAX),
                "{}: a reserved word longer than the lower-casing buffer",
                d.name()
            );
        }
    }

    #[test]
    fn quoting() {
        assert_eq!(PostgreSql.quote("user"), "\"user\"");
        assert_eq!(PostgreSql.quote("Name"), "\"Name\"");
        assert_eq!(PostgreSql.quote("a\"b"), "\"a\"\"b\"");
        assert_eq!(PostgreSql.quote("plain_1"), "plain_1");
        assert_eq!(MySql.quote("Name"), "Name");
        assert_eq!(MySql.quote("a`b"), "`a``b`");
        assert_eq!(Sqlite.quote("café"), "\"café\"");
        assert_eq!(MySql.string_literal("it's a \\"), "'it''s a \\\\'");
    }
}
