//! Errors of the schema model.

use super::constraint::TableRef;
use crate::events::ListenerError;

/// A schema that cannot be built as declared.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// A table, column or schema name is empty.
    #[error("{what} has an empty name{}", in_table(.table))]
    EmptyName {
        /// What has no name ("table", "column", "schema").
        what: &'static str,
        /// The table it belongs to.
        table: Option<TableRef>,
    },
    /// Listeners kept making objects from the events of objects listeners
    /// made, deeper than [`MAX_CREATION_DEPTH`](super::MAX_CREATION_DEPTH).
    #[error("table \"{table}\": listener {listener} keeps creating objects ({what}, {depth} levels deep); a listener must not create what makes it (or another listener) create again, so check what an object is before creating another")]
    CreationLoop {
        /// The table.
        table: TableRef,
        /// The listener that asked for the deepest object.
        listener: String,
        /// That object.
        what: String,
        /// How deep it was (the limit).
        depth: usize,
    },
    /// Two tables with the same schema and name.
    #[error("table \"{0}\" is defined twice")]
    DuplicateTable(TableRef),
    /// Two columns with the same name in one table.
    #[error("column \"{column}\" is defined twice in table \"{table}\"")]
    DuplicateColumn {
        /// The table.
        table: TableRef,
        /// The column.
        column: String,
    },
    /// A constraint or index names a column the table does not have.
    #[error("{what} of table \"{table}\" names column \"{column}\", which the table does not have{}", suggest(.suggestion))]
    UnknownColumn {
        /// The table.
        table: TableRef,
        /// What names it ("unique constraint", "index", ...).
        what: String,
        /// The missing column.
        column: String,
        /// A column with a similar name.
        suggestion: Option<String>,
    },
    /// A constraint or index with no column.
    #[error("{what} of table \"{table}\" has no columns")]
    NoColumns {
        /// The table.
        table: TableRef,
        /// What it is.
        what: String,
    },
    /// An index with an expression part or a `WHERE` predicate that is empty.
    #[error("index of table \"{table}\" has an empty {what}; give the SQL, or remove it")]
    EmptyIndexSql {
        /// The table.
        table: TableRef,
        /// `expression` or `WHERE predicate`.
        what: &'static str,
    },
    /// A table given two different primary keys.
    #[error("table \"{table}\" has two primary keys: ({}) and ({}); declare it once, by column flags or by `primary_key`", .existing.join(", "), .new.join(", "))]
    PrimaryKeyConflict {
        /// The table.
        table: TableRef,
        /// The key it already has.
        existing: Vec<String>,
        /// The key declared again.
        new: Vec<String>,
    },
    /// A foreign key refers to a table that is not defined.
    #[error("foreign key of table \"{table}\" refers to table \"{referred}\", which is not defined{}", suggest(.suggestion))]
    UnknownTable {
        /// The referring table.
        table: TableRef,
        /// The missing table.
        referred: TableRef,
        /// A table with a similar name.
        suggestion: Option<String>,
    },
    /// A foreign key refers to a column its target table does not have.
    #[error("foreign key of table \"{table}\" refers to column \"{column}\" of table \"{referred}\", which that table does not have{}", suggest(.suggestion))]
    UnknownReferredColumn {
        /// The referring table.
        table: TableRef,
        /// The referred table.
        referred: TableRef,
        /// The missing column.
        column: String,
        /// A column with a similar name.
        suggestion: Option<String>,
    },
    /// A foreign key's local and referred column counts differ.
    #[error("foreign key of table \"{table}\" has {local} column(s) but refers to {referred_count} column(s) of \"{referred}\"; give as many referred columns as local ones")]
    ForeignKeyColumnCount {
        /// The referring table.
        table: TableRef,
        /// The referred table.
        referred: TableRef,
        /// Local columns.
        local: usize,
        /// Referred columns.
        referred_count: usize,
    },
    /// A foreign key without referred columns points at a table without primary key.
    #[error("foreign key of table \"{table}\" gives no referred columns and table \"{referred}\" has no primary key; list `referred_columns`")]
    NoReferredKey {
        /// The referring table.
        table: TableRef,
        /// The referred table.
        referred: TableRef,
    },
    /// The table is not in the metadata.
    #[error("table \"{0}\" is not defined")]
    NoSuchTable(TableRef),
    /// A listener (the naming-convention handler, or one of yours)
    /// refused an attachment or a DDL event.
    #[error(transparent)]
    Listener(#[from] ListenerError),
}

fn in_table(t: &Option<TableRef>) -> String {
    t.as_ref()
        .map(|t| format!(" in table \"{t}\""))
        .unwrap_or_default()
}

fn suggest(s: &Option<String>) -> String {
    s.as_ref()
        .map(|s| format!(" (did you mean \"{s}\"?)"))
        .unwrap_or_default()
}

/// The closest candidate to `wanted`, if it is close enough to be a likely typo.
pub(crate) fn closest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(wanted, c), c))
        .filter(|(d, c)| *d <= (wanted.len().max(c.len()) / 3).max(1))
        .min()
        .map(|(_, c)| c.to_owned())
}
