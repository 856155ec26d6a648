//! Columns and their portable types.

use std::fmt;

use super::constraint::{Check, Reference};

/// A column type: one of the portable types, or type text passed through verbatim.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ColumnType {
    /// `integer`
    Integer,
    /// `bigint`
    BigInt,
    /// `smallint`
    SmallInt,
    /// `varchar(n)` or `varchar`
    Varchar(Option<u32>),
    /// `text`
    Text,
    /// `boolean`
    Boolean,
    /// `numeric(p,s)` or `numeric`
    Numeric(Option<(u32, u32)>),
    /// `float`
    Float,
    /// `date`
    Date,
    /// `timestamp`
    Timestamp,
    /// `blob`
    Blob,
    /// `uuid`
    Uuid,
    /// `json`
    Json,
    /// `enum('a', 'b')`, or `enum('a', 'b', name = 'status')`: one of the
    /// listed values. PostgreSQL makes it a type of its own (`CREATE TYPE
    /// ... AS ENUM`), MySQL and MariaDB an `ENUM(...)` column, and other
    /// dialects a `VARCHAR` as long as the longest value (the `enums` plugin
    /// adds the check that keeps to the values there).
    Enum(Box<EnumType>),
    /// Any other type text, rendered unchanged.
    Other(String),
}

/// The values of an enumerated column type, and the name of the type
/// PostgreSQL makes for it.
///
/// ```
/// use nomenclator::ColumnType;
///
/// let ColumnType::Enum(e) = ColumnType::parse("enum('draft', 'it''s out', name = 'post_status')") else {
///     panic!()
/// };
/// assert_eq!(e.values(), ["draft", "it's out"]);
/// assert_eq!(e.name(), Some("post_status"));
/// assert_eq!(ColumnType::Enum(e).to_string(), "enum('draft', 'it''s out', name = 'post_status')");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EnumType {
    pub(crate) name: Option<String>,
    pub(crate) schema: Option<String>,
    pub(crate) values: Vec<String>,
}

impl EnumType {
    /// An enumeration of `values`, in order, whose type name is chosen when
    /// its column is attached: `<table>_<column>` unless [`named`](Self::named).
    pub fn new<I, S>(values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        EnumType {
            name: None,
            schema: None,
            values: values.into_iter().map(Into::into).collect(),
        }
    }

    /// Names the type (PostgreSQL's `CREATE TYPE name`); columns that share
    /// a name share the type, and must list the same values.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The type's name, once given or chosen.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The schema of the type: its table's, set when the column is attached.
    pub fn schema(&self) -> Option<&str> {
        self.schema.as_deref()
    }

    /// The values, in order.
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// The length of the longest value, in characters (at least 1).
    pub fn max_length(&self) -> u32 {
        let longest = self.values.iter().map(|v| v.chars().count()).max();
        u32::try_from(longest.unwrap_or(1).max(1)).unwrap_or(u32::MAX)
    }

    /// Reads `'a', 'b'` or `'a', 'b', name = 'x'` (the inside of `enum(...)`).
    fn parse_args(args: &str) -> Option<EnumType> {
        fn literal(s: &str) -> Option<(String, &str)> {
            let mut rest = s.strip_prefix('\'')?;
            let mut value = String::new();
            loop {
                let end = rest.find('\'')?;
                value.push_str(&rest[..end]);
                rest = &rest[end + 1..];
                match rest.strip_prefix('\'') {
                    Some(r) => {
                        value.push('\'');
                        rest = r;
                    }
                    None => return Some((value, rest)),
                }
            }
        }
        let mut e = EnumType::new(Vec::<String>::new());
        let mut rest = args.trim();
        while !rest.is_empty() {
            let keyword = rest
                .get(..4)
                .is_some_and(|k| k.eq_ignore_ascii_case("name"));
            if keyword && e.name.is_none() {
                let r = rest[4..].trim_start().strip_prefix('=')?.trim_start();
                let (name, r) = literal(r)?;
                if name.is_empty() {
                    return None;
                }
                e.name = Some(name);
                rest = r.trim_start();
            } else if e.name.is_none() {
                let (value, r) = literal(rest)?;
                e.values.push(value);
                rest = r.trim_start();
            } else {
                // Values after the name.
                return None;
            }
            if rest.is_empty() {
                break;
            }
            rest = rest.strip_prefix(',')?.trim_start();
        }
        (!e.values.is_empty()).then_some(e)
    }
}

impl fmt::Display for EnumType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("enum(")?;
        for (i, v) in self.values.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "'{}'", v.replace('\'', "''"))?;
        }
        if let Some(n) = &self.name {
            write!(f, ", name = '{}'", n.replace('\'', "''"))?;
        }
        f.write_str(")")
    }
}

impl ColumnType {
    /// Parses type text: portable names case-insensitively, anything else as [`ColumnType::Other`].
    pub fn parse(text: &str) -> ColumnType {
        // Every column's type passes here: bytes are looked at directly,
        // and a type written without surrounding spaces is not trimmed.
        let ascii_edge = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
        let t = if ascii_edge(text.as_bytes().first()) && ascii_edge(text.as_bytes().last()) {
            text
        } else {
            text.trim()
        };
        let (head, args) = match t.bytes().position(|b| b == b'(') {
            Some(i) if t.ends_with(')') => (t[..i].trim(), Some(&t[i + 1..t.len() - 1])),
            _ => (t, None),
        };
        // A head longer than the buffer names no portable type.
        let mut buf = [0u8; 16];
        let Some(lower) = buf.get_mut(..head.len()) else {
            return ColumnType::Other(t.to_owned());
        };
        lower.copy_from_slice(head.as_bytes());
        lower.make_ascii_lowercase();
        Self::portable(lower, args, t)
    }

    /// The portable type `head` (lower case) with `args` names, else `t` as
    /// [`ColumnType::Other`].
    fn portable(head: &[u8], args: Option<&str>, t: &str) -> ColumnType {
        // One or two comma-separated numbers.
        let nums = |a: &str| -> Option<(u32, Option<u32>)> {
            let num = |p: &str| p.trim().parse::<u32>().ok();
            match a.bytes().position(|b| b == b',') {
                None => Some((num(a)?, None)),
                Some(i) => {
                    let rest = &a[i + 1..];
                    if rest.bytes().any(|b| b == b',') {
                        return None;
                    }
                    Some((num(&a[..i])?, Some(num(rest)?)))
                }
            }
        };
        match (head, args) {
            (b"integer", None) => ColumnType::Integer,
            (b"bigint", None) => ColumnType::BigInt,
            (b"smallint", None) => ColumnType::SmallInt,
            (b"varchar", None) => ColumnType::Varchar(None),
            (b"varchar", Some(a)) => match nums(a) {
                Some((n, None)) => ColumnType::Varchar(Some(n)),
                _ => ColumnType::Other(t.to_owned()),
            },
            (b"text", None) => ColumnType::Text,
            (b"boolean", None) => ColumnType::Boolean,
            (b"numeric", None) => ColumnType::Numeric(None),
            (b"numeric", Some(a)) => match nums(a) {
                Some((p, Some(s))) => ColumnType::Numeric(Some((p, s))),
                Some((p, None)) => ColumnType::Numeric(Some((p, 0))),
                _ => ColumnType::Other(t.to_owned()),
            },
            (b"float", None) => ColumnType::Float,
            (b"date", None) => ColumnType::Date,
            (b"timestamp", None) => ColumnType::Timestamp,
            (b"blob", None) => ColumnType::Blob,
            (b"uuid", None) => ColumnType::Uuid,
            (b"json", None) => ColumnType::Json,
            (b"enum", Some(a)) => match EnumType::parse_args(a) {
                Some(e) => ColumnType::Enum(Box::new(e)),
                None => ColumnType::Other(t.to_owned()),
            },
            _ => ColumnType::Other(t.to_owned()),
        }
    }

    /// Whether this is an integer type: one of the portable ones, or a
    /// server's own spelling of one (`int(10) unsigned`, `mediumint`,
    /// `tinyint(3) zerofill`), as SQLAlchemy counts every dialect's integer
    /// type an `Integer`.
    pub fn is_integer(&self) -> bool {
        match self {
            ColumnType::Integer | ColumnType::BigInt | ColumnType::SmallInt => true,
            ColumnType::Other(t) => is_integer_spelling(t),
            _ => false,
        }
    }
}

impl ColumnType {
    /// Whether this is a generated column's type as a server writes it, the
    /// expression in the type text (`integer GENERATED ALWAYS AS (a + 1)
    /// STORED`): such a column takes no values of its own.
    pub fn is_generated(&self) -> bool {
        self.spelled_with("generated always as (")
    }

    /// Whether this is an identity column's type as PostgreSQL writes it
    /// (`bigint GENERATED ALWAYS AS IDENTITY`): the column owns a sequence.
    pub fn is_identity(&self) -> bool {
        self.spelled_with(" as identity")
    }

    /// Whether this is another type whose text holds `words` (lower case).
    fn spelled_with(&self, words: &str) -> bool {
        match self {
            ColumnType::Other(t) => t.to_ascii_lowercase().contains(words),
            _ => false,
        }
    }
}

/// Whether `t` spells an integer type: `[tiny|small|medium|big]int[eger]`,
/// `int2`/`int4`/`int8`, with an optional display width and any of
/// `signed`, `unsigned` and `zerofill` after it.
fn is_integer_spelling(t: &str) -> bool {
    let lower = t.trim().to_ascii_lowercase();
    let mut words = lower.split_ascii_whitespace();
    let Some(head) = words.next() else {
        return false;
    };
    let base = match head.split_once('(') {
        Some((base, width)) => match width.strip_suffix(')') {
            Some(w) if !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()) => base,
            _ => return false,
        },
        None => head,
    };
    let base = ["tiny", "small", "medium", "big"]
        .iter()
        .find_map(|p| base.strip_prefix(p))
        .unwrap_or(base);
    matches!(base, "int" | "integer" | "int2" | "int4" | "int8")
        && words.all(|w| matches!(w, "signed" | "unsigned" | "zerofill"))
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnType::Integer => f.write_str("integer"),
            ColumnType::BigInt => f.write_str("bigint"),
            ColumnType::SmallInt => f.write_str("smallint"),
            ColumnType::Varchar(None) => f.write_str("varchar"),
            ColumnType::Varchar(Some(n)) => write!(f, "varchar({n})"),
            ColumnType::Text => f.write_str("text"),
            ColumnType::Boolean => f.write_str("boolean"),
            ColumnType::Numeric(None) => f.write_str("numeric"),
            ColumnType::Numeric(Some((p, s))) => write!(f, "numeric({p},{s})"),
            ColumnType::Float => f.write_str("float"),
            ColumnType::Date => f.write_str("date"),
            ColumnType::Timestamp => f.write_str("timestamp"),
            ColumnType::Blob => f.write_str("blob"),
            ColumnType::Uuid => f.write_str("uuid"),
            ColumnType::Json => f.write_str("json"),
            ColumnType::Enum(e) => fmt::Display::fmt(e, f),
            ColumnType::Other(s) => f.write_str(s),
        }
    }
}

impl From<&str> for ColumnType {
    fn from(s: &str) -> Self {
        ColumnType::parse(s)
    }
}

/// A table column.
///
/// The flags [`primary_key`](Column::primary_key), [`unique`](Column::unique),
/// [`index`](Column::index), [`references`](Column::references) and
/// [`check`](Column::check) become constraints and indexes of the table when
/// the column is attached to a table in a [`MetaData`](crate::MetaData),
/// exactly as SQLAlchemy's column flags do.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub(crate) name: String,
    pub(crate) ty: Option<ColumnType>,
    pub(crate) nullable: Option<bool>,
    pub(crate) primary_key: bool,
    pub(crate) unique: bool,
    pub(crate) index: bool,
    /// What most columns lack, boxed so that a plain column stays small
    /// (a schema holds tens of thousands of them).
    pub(crate) extra: Option<Box<ColumnExtra>>,
}

/// The rarer parts of a [`Column`].
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ColumnExtra {
    key: Option<String>,
    default: Option<String>,
    comment: Option<String>,
    /// Moved out into a foreign key when the column is attached.
    references: Option<Reference>,
    /// Moved out into a check constraint when the column is attached.
    check: Option<Check>,
    /// `Some(false)`: never auto-increment.
    autoincrement: Option<bool>,
    /// The column's name before a rename.
    renamed_from: Option<String>,
}

impl Column {
    /// A nullable column with the given name and type.
    pub fn new(name: impl Into<String>, ty: impl Into<ColumnType>) -> Self {
        Column {
            name: name.into(),
            ty: Some(ty.into()),
            nullable: None,
            primary_key: false,
            unique: false,
            index: false,
            extra: None,
        }
    }

    /// A column without a type (usable for naming; DDL refuses it).
    pub fn untyped(name: impl Into<String>) -> Self {
        let mut c = Column::new(name, ColumnType::Integer);
        c.ty = None;
        c
    }

    fn extra_mut(&mut self) -> &mut ColumnExtra {
        self.extra.get_or_insert_with(Default::default)
    }

    /// Whether the column declares a reference (before it is attached).
    pub(crate) fn has_reference(&self) -> bool {
        self.extra.as_ref().is_some_and(|e| e.references.is_some())
    }

    /// Whether the column declares a check (before it is attached).
    pub(crate) fn has_check(&self) -> bool {
        self.extra.as_ref().is_some_and(|e| e.check.is_some())
    }

    /// Takes the declared reference and check out, for attachment.
    pub(crate) fn take_reference_and_check(&mut self) -> (Option<Reference>, Option<Check>) {
        let Some(e) = self.extra.as_mut() else {
            return (None, None);
        };
        let taken = (e.references.take(), e.check.take());
        if e.key.is_none()
            && e.default.is_none()
            && e.comment.is_none()
            && e.autoincrement.is_none()
            && e.renamed_from.is_none()
        {
            self.extra = None;
        }
        taken
    }

    /// Sets the key used by `column_X_key` tokens (default: the name).
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.extra_mut().key = Some(key.into());
        self
    }

    /// Makes the column part of the table's primary key.
    pub fn primary_key(mut self) -> Self {
        self.primary_key = true;
        self
    }

    /// Gives the column a single-column unique constraint (a unique index with [`index`](Column::index)).
    pub fn unique(mut self) -> Self {
        self.unique = true;
        self
    }

    /// Gives the column a single-column index.
    pub fn index(mut self) -> Self {
        self.index = true;
        self
    }

    /// Sets whether the column accepts NULL.
    pub fn nullable(mut self, nullable: bool) -> Self {
        self.nullable = Some(nullable);
        self
    }

    /// Whether the column may be the table's auto-increment column.
    ///
    /// By default (as with `true`) the one integer column of a primary key,
    /// in no foreign key and without a server default, is filled in by the
    /// server (`SERIAL`, `AUTO_INCREMENT`, SQLite's rowid), as in
    /// SQLAlchemy; `false` keeps it a plain integer column.
    pub fn autoincrement(mut self, autoincrement: bool) -> Self {
        self.extra_mut().autoincrement = Some(autoincrement);
        self
    }

    /// What [`autoincrement`](Column::autoincrement) set; `None` by default.
    pub fn autoincrement_setting(&self) -> Option<bool> {
        self.extra.as_ref().and_then(|e| e.autoincrement)
    }

    /// Says the column was called `old` before: `diff` and `migrate` rename
    /// it, keeping its values, instead of dropping one column and adding
    /// another. DDL ignores it.
    pub fn renamed_from(mut self, old: impl Into<String>) -> Self {
        self.extra_mut().renamed_from = Some(old.into());
        self
    }

    /// The name the column had before, as [`Column::renamed_from`] set it.
    pub fn previous_name(&self) -> Option<&str> {
        self.extra.as_ref().and_then(|e| e.renamed_from.as_deref())
    }

    /// Sets a raw SQL server default.
    pub fn default_sql(mut self, sql: impl Into<String>) -> Self {
        self.extra_mut().default = Some(sql.into());
        self
    }

    /// Adds a single-column foreign key to the referenced column.
    pub fn references(mut self, reference: Reference) -> Self {
        self.extra_mut().references = Some(reference);
        self
    }

    /// Adds a column-level check constraint.
    pub fn check(mut self, check: Check) -> Self {
        self.extra_mut().check = Some(check);
        self
    }

    /// Sets the column's comment.
    pub fn with_comment(mut self, comment: impl Into<String>) -> Self {
        self.extra_mut().comment = Some(comment.into());
        self
    }

    /// The column's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The column's key: the explicit key, or the name.
    pub fn key_or_name(&self) -> &str {
        self.extra
            .as_ref()
            .and_then(|e| e.key.as_deref())
            .unwrap_or(&self.name)
    }

    /// The column's type, if it has one.
    pub fn column_type(&self) -> Option<&ColumnType> {
        self.ty.as_ref()
    }

    /// Whether the column accepts NULL: the explicit setting, else false for
    /// primary-key columns and true otherwise.
    pub fn is_nullable(&self) -> bool {
        self.nullable.unwrap_or(!self.primary_key)
    }

    /// Whether the column is part of the primary key.
    pub fn is_primary_key(&self) -> bool {
        self.primary_key
    }

    /// Whether the column was declared `unique`.
    pub fn is_unique(&self) -> bool {
        self.unique
    }

    /// Whether the column was declared `index`.
    pub fn is_indexed(&self) -> bool {
        self.index
    }

    /// The raw SQL server default, if any.
    pub fn server_default(&self) -> Option<&str> {
        self.extra.as_ref().and_then(|e| e.default.as_deref())
    }

    /// The column's comment, if any.
    pub fn comment(&self) -> Option<&str> {
        self.extra.as_ref().and_then(|e| e.comment.as_deref())
    }

    /// Sets the comment in place (for listeners).
    pub fn set_comment(&mut self, comment: impl Into<String>) {
        self.extra_mut().comment = Some(comment.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_integer_spellings_are_integers() {
        for t in [
            "int(10) unsigned",
            "BIGINT UNSIGNED",
            "mediumint",
            "int8",
            "tinyint(1)",
            "smallint signed",
        ] {
            assert!(ColumnType::parse(t).is_integer(), "{t}");
        }
        for t in [
            "interval",
            "int(x)",
            "point",
            "int unsigned primary",
            "numeric(10)",
            "internal",
        ] {
            assert!(!ColumnType::parse(t).is_integer(), "{t}");
        }
    }

    #[test]
    fn attaching_keeps_an_autoincrement_setting() {
        let mut c = Column::new("id", ColumnType::Integer).autoincrement(false);
        assert_eq!(c.take_reference_and_check(), (None, None));
        assert_eq!(c.autoincrement_setting(), Some(false));
    }
}
