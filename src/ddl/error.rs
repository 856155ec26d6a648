//! Why DDL cannot be written or run.

use crate::schema::TableRef;

/// DDL that cannot be written for a dialect, or a statement that failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DdlError {
    /// A column has no type and takes none from a foreign key.
    #[error("column \"{column}\" of table \"{table}\" has no type: give it one (only a foreign-key column takes the referred column's type)")]
    UntypedColumn {
        /// The table.
        table: TableRef,
        /// The column.
        column: String,
    },
    /// An index or key on a TEXT/BLOB/JSON column would need a prefix length.
    #[error("{dialect}: the {what} of table \"{table}\" covers column \"{column}\" of type {ty}; {dialect} can only index such a column with a prefix length, which nomenclator does not write: use varchar(n), or create the index in custom DDL")]
    PrefixLengthNeeded {
        /// The dialect.
        dialect: &'static str,
        /// The table.
        table: TableRef,
        /// `index "name"`, `unique constraint`, `primary key`.
        what: String,
        /// The column.
        column: String,
        /// Its type.
        ty: String,
    },
    /// A table in a schema refers to a table without one, and the database of
    /// schema-less tables is unknown.
    #[error("{dialect}: table \"{table}\" (in database \"{schema}\") refers to table \"{referred}\", which has no schema; offline, {dialect} would look for it in \"{schema}\". Give the database of the tables without a schema (--database NAME, or DdlOptions::database)")]
    DatabaseNeeded {
        /// The dialect.
        dialect: &'static str,
        /// The referring table.
        table: TableRef,
        /// Its schema (a database).
        schema: String,
        /// The referred table.
        referred: TableRef,
    },
    /// A foreign key that must be dropped by name has none.
    #[error("cannot drop the tables {}: the foreign key ({}) of table \"{table}\" is in a cycle (or marked use_alter) and has no name, so it cannot be dropped with ALTER TABLE ... DROP CONSTRAINT; give it a name or a naming convention for fk", list(.cycle), .columns.join(", "))]
    UnnamedForeignKeyInCycle {
        /// The tables of the cycle.
        cycle: Vec<TableRef>,
        /// The table holding the foreign key.
        table: TableRef,
        /// Its columns.
        columns: Vec<String>,
    },
    /// A foreign key's referred table or columns cannot be resolved.
    #[error("foreign key ({}) of table \"{table}\": {reason}", .columns.join(", "))]
    Reference {
        /// The table.
        table: TableRef,
        /// The foreign key's columns.
        columns: Vec<String>,
        /// What is wrong.
        reason: String,
    },
    /// A custom DDL statement uses a token that has no value there.
    #[error("custom DDL {sql:?}: {reason}")]
    CustomDdl {
        /// The statement as declared.
        sql: String,
        /// What is wrong.
        reason: String,
    },
    /// The dialect cannot write a statement.
    #[error(transparent)]
    Dialect(#[from] crate::dialect::DialectError),
    /// A constraint or index name cannot be used.
    #[error(transparent)]
    Naming(#[from] crate::naming::NamingError),
    /// The model is inconsistent (a foreign key to a missing table, ...).
    #[error(transparent)]
    Schema(#[from] crate::schema::SchemaError),
    /// A statement failed when executed.
    #[error("statement failed: {source}\n  statement: {sql}")]
    Execution {
        /// The statement.
        sql: String,
        /// The executor's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

fn list(tables: &[TableRef]) -> String {
    tables
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
