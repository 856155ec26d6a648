//! Errors of the naming layer.

use super::template::TemplateError;
use super::token::TokenError;
use crate::schema::{Kind, TableRef};
use crate::text::abbrev;

fn fmt_origin(o: &Option<String>) -> String {
    o.as_ref().map(|o| format!("{o}: ")).unwrap_or_default()
}

/// Describes one named object in an error message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectDesc {
    /// The table.
    pub table: TableRef,
    /// The object's kind, or `None` for a table or view.
    pub kind: Option<Kind>,
    /// The object's columns.
    pub columns: Vec<String>,
}

impl std::fmt::Display for ObjectDesc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.kind {
            None => write!(f, "table \"{}\"", self.table),
            Some(k) if self.columns.is_empty() => {
                write!(f, "{} on table \"{}\"", k.describe(), self.table)
            }
            Some(k) => write!(
                f,
                "{} on table \"{}\" ({})",
                k.describe(),
                self.table,
                self.columns.join(", ")
            ),
        }
    }
}

/// A name that cannot be made or used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NamingError {
    /// A template that does not parse.
    #[error("{}naming convention key {key}: {error}", fmt_origin(.origin))]
    Template {
        /// The pack file or document it comes from.
        origin: Option<String>,
        /// The convention key.
        key: Kind,
        /// The parse error.
        error: TemplateError,
    },
    /// An unknown or misplaced token, or a token without a value.
    #[error("{}naming convention key {key} = {:?}: {message}", fmt_origin(.origin), abbrev(.template))]
    Token {
        /// The pack file or document it comes from.
        origin: Option<String>,
        /// The convention key.
        key: Kind,
        /// The template.
        template: String,
        /// What is wrong.
        message: String,
    },
    /// A custom token without a value for the object being named (its
    /// provider's [`TokenError`]).
    #[error("{}naming convention key {key} = {:?}: {error}", fmt_origin(.origin), abbrev(.template))]
    TokenValue {
        /// The pack file or document it comes from.
        origin: Option<String>,
        /// The convention key.
        key: Kind,
        /// The template.
        template: String,
        /// The token and why it has no value.
        error: TokenError,
    },
    /// A foreign key's template needs its referred columns, the key declares
    /// none, and the primary key they default to is unknown.
    #[error("foreign key on table \"{table}\"{} refers to the primary key of table \"{referred}\", which is not known (the table was not given or has no primary key); declare the referred columns or give the referred table", cols(.columns))]
    ReferredKeyUnknown {
        /// The table of the foreign key.
        table: TableRef,
        /// Its local columns.
        columns: Vec<String>,
        /// The referred table.
        referred: Box<TableRef>,
    },
    /// Rule 5: `constraint_name` in the template and no name on the constraint.
    #[error("naming convention including %(constraint_name)s requires that the constraint is explicitly named: unnamed {} on table \"{table}\"{} under {} = {template:?}; give it a name, or use a template without constraint_name", .kind.describe(), cols(.columns), .kind.key())]
    ConstraintNameRequired {
        /// The table.
        table: TableRef,
        /// The constraint's kind.
        kind: Kind,
        /// Its columns.
        columns: Vec<String>,
        /// The template.
        template: String,
    },
    /// Rule 2 for indexes: an index must have a name.
    #[error("index on table \"{table}\" ({}) has no name and there is no `ix` template; name it or add an ix convention", .columns.join(", "))]
    IndexWithoutName {
        /// The table.
        table: TableRef,
        /// Its columns.
        columns: Vec<String>,
    },
    /// An identifier with characters the dialect refuses.
    #[error("{what} name {:?} {problem}, which {dialect} refuses in identifiers; rename it", abbrev(.name))]
    BadCharacters {
        /// What it names.
        what: String,
        /// The name.
        name: String,
        /// What is wrong with it.
        problem: &'static str,
        /// The dialect.
        dialect: String,
    },
    /// An explicit name, or a table or column name, over the dialect's limit.
    #[error("{what} name \"{}\" is {length} {unit} long, over the {dialect} limit of {limit}; shorten it{hint}", abbrev(.name))]
    TooLong {
        /// What it names.
        what: String,
        /// The name.
        name: String,
        /// Its length.
        length: usize,
        /// "bytes" or "characters".
        unit: &'static str,
        /// The limit.
        limit: usize,
        /// The dialect.
        dialect: String,
        /// Extra advice.
        hint: &'static str,
    },
    /// Two objects with the same name where the database needs distinct
    /// names (the same as the database compares names: `IX_a` and `ix_a`
    /// are one name on MySQL and SQLite).
    #[error("name collision on {dialect}: {} ({scope}); change a template or an explicit name", collision(.name, .second_name, .first, .second))]
    Collision {
        /// The name (as the first object spells it).
        name: String,
        /// The second object's name, where it is spelled differently.
        second_name: Option<String>,
        /// The first object.
        first: Box<ObjectDesc>,
        /// The second object.
        second: Box<ObjectDesc>,
        /// The namespace they share.
        scope: String,
        /// The dialect.
        dialect: String,
    },
    /// Two columns of one table whose names the database takes for one
    /// (`Id` and `id` on MySQL and SQLite).
    #[error("columns \"{first}\" and \"{second}\" of table \"{table}\" are one column on {dialect}, which compares column names {how}; rename one")]
    ColumnCollision {
        /// The table.
        table: Box<TableRef>,
        /// The first column.
        first: String,
        /// The second column.
        second: String,
        /// How the database compares the names.
        how: &'static str,
        /// The dialect.
        dialect: String,
    },
}

fn collision(
    name: &str,
    second_name: &Option<String>,
    first: &ObjectDesc,
    second: &ObjectDesc,
) -> String {
    match second_name {
        None => format!("\"{name}\" names both the {first} and the {second}"),
        Some(other) => format!(
            "\"{name}\" names the {first} and \"{other}\" the {second}, which are one name there"
        ),
    }
}

fn cols(c: &[String]) -> String {
    if c.is_empty() {
        String::new()
    } else {
        format!(" (columns {})", c.join(", "))
    }
}

impl NamingError {
    /// Records where the convention came from (a pack file or document).
    pub fn with_origin(mut self, o: impl Into<String>) -> Self {
        match &mut self {
            NamingError::Template { origin, .. }
            | NamingError::Token { origin, .. }
            | NamingError::TokenValue { origin, .. } => *origin = Some(o.into()),
            _ => {}
        }
        self
    }
}
