//! Why DDL cannot be written or run.

use crate::dialect::{SqlPlace, SqlTextError};
use crate::schema::TableRef;
use crate::text::abbrev;

/// DDL that cannot be written for a dialect, or a statement that failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DdlError {
    /// Two enumerated columns name one type but list different values.
    #[error("enumerated type \"{name}\" is used by column \"{first}\" with values ({}) and by column \"{second}\" with values ({}); list the same values, or give one of them another name (enum(..., name = '...'))", .first_values.join(", "), .second_values.join(", "))]
    EnumTypeConflict {
        /// The type.
        name: TableRef,
        /// The first column that uses it (`table.column`).
        first: String,
        /// Its values.
        first_values: Vec<String>,
        /// The column that lists other values.
        second: String,
        /// Those values.
        second_values: Vec<String>,
    },
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
    /// Raw SQL (a check, a default, a type, a view's query, custom DDL)
    /// that would end the statement it is written into and start another,
    /// or leave a quote or comment open: each step of a plan must be one
    /// statement, so that what runs is what the plan says.
    #[error("{what}: {} {sql:?} {}: {error}{}", place_noun(*.place), place_verb(*.place), place_advice(*.place), sql = abbrev(.sql))]
    RawSql {
        /// What holds it (`check constraint "ck" of table "t"`, ...).
        what: String,
        /// The text.
        sql: String,
        /// Where it goes.
        place: SqlPlace,
        /// What is wrong with it.
        error: SqlTextError,
    },
    /// A schema name that cannot name a database file (SQLite attaches a
    /// file per schema, next to the main database).
    #[error("{dialect}: schema \"{}\" of {what} cannot be used: a schema is a database file next to the main one (shop.db → shop.<schema>.db), so its name must be a plain file name, and this one {reason}", abbrev(.schema))]
    SchemaNotAFileName {
        /// The dialect.
        dialect: &'static str,
        /// The schema.
        schema: String,
        /// What is in it (`table "s.t"`, `view "s.v"`).
        what: String,
        /// What is wrong with the name.
        reason: &'static str,
    },
    /// A check constraint refers to the auto-increment column, which the
    /// dialect refuses (MySQL 8: error 3818; MariaDB: error 1901).
    #[error("{dialect}: {check} of table \"{table}\" refers to column \"{column}\", the table's AUTO_INCREMENT key, and {dialect} refuses a CHECK on an AUTO_INCREMENT column (MySQL error 3818, MariaDB error 1901); remove the check, or make the key something other than a lone integer primary key")]
    CheckOnAutoIncrement {
        /// The dialect.
        dialect: &'static str,
        /// The table.
        table: TableRef,
        /// The auto-increment column.
        column: String,
        /// The check (`check constraint "ck_t_id" (id > 0)`).
        check: String,
    },
    /// A check constraint refers to a column of a foreign key whose
    /// referential action the dialect refuses with it (MySQL 8: error 3823;
    /// MariaDB: error 1901).
    #[error("{dialect}: {check} of table \"{table}\" refers to column \"{column}\" of foreign key {foreign_key} with {action}, and {dialect} refuses a CHECK on a column whose foreign key has that action (MySQL error 3823, MariaDB error 1901); remove the check from that column, or give the foreign key another action")]
    CheckOnReferentialAction {
        /// The dialect.
        dialect: &'static str,
        /// The table.
        table: TableRef,
        /// The column both use.
        column: String,
        /// The check (`check constraint "ck_t_a" (a > 0)`).
        check: String,
        /// The foreign key (`"fk_t_a" (a)`).
        foreign_key: String,
        /// The refused action (`ON DELETE SET NULL`).
        action: String,
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

fn place_noun(place: SqlPlace) -> &'static str {
    match place {
        SqlPlace::Fragment => "the raw SQL",
        SqlPlace::Tail => "the query",
        SqlPlace::Statement => "the statement",
    }
}

fn place_verb(place: SqlPlace) -> &'static str {
    match place {
        SqlPlace::Fragment => "cannot be written into a statement",
        SqlPlace::Tail | SqlPlace::Statement => "is not one statement",
    }
}

fn place_advice(place: SqlPlace) -> &'static str {
    match place {
        SqlPlace::Fragment => {
            "; raw SQL there must be one expression (or type) that closes every quote and comment it opens"
        }
        SqlPlace::Tail => "; a view's query must be one SELECT",
        SqlPlace::Statement => "; give each statement a custom DDL entry of its own",
    }
}
