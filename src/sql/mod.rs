//! DDL statements as data.
//!
//! A [`Statement`] holds everything needed to write it — final names,
//! resolved types and references — and nothing of the [`MetaData`] it was
//! made from, so a plan of statements can be kept, inspected, inverted and
//! run after the metadata has changed. SQL text is written only at the end,
//! by a [`Dialect`](crate::dialect::Dialect)'s `write_statement`.
//!
//! Statements are made by the plans of `crate::ddl` (which decide, for a
//! dialect, what goes inline and what is added later) or by hand:
//!
//! ```
//! use nomenclator::sql::{ColumnDef, CreateTable, Statement};
//! use nomenclator::dialect::{Dialect, PostgreSql};
//! use nomenclator::{ColumnType, TableRef};
//!
//! let st = Statement::CreateTable(CreateTable {
//!     table: TableRef::new(None, "note"),
//!     comment: None,
//!     columns: vec![ColumnDef::new("body", ColumnType::Text)],
//!     constraints: vec![],
//! });
//! assert_eq!(PostgreSql.to_sql(&st)?, "CREATE TABLE note (\n\tbody TEXT\n)");
//! assert_eq!(st.object(), Some("note"));
//! # Ok::<(), nomenclator::dialect::DialectError>(())
//! ```
//!
//! [`MetaData`]: crate::MetaData

use crate::schema::{ColumnType, IndexPart, Kind, ReferentialAction, TableRef};

/// One DDL statement, as data.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Statement {
    /// `CREATE TABLE` with its columns and inline constraints.
    CreateTable(CreateTable),
    /// `DROP TABLE`.
    DropTable {
        /// The table.
        table: TableRef,
        /// What re-creates the table as it was (its `CREATE TABLE`, indexes
        /// and comments), when the plan knew it: the inverse of the drop.
        restore: Vec<Statement>,
    },
    /// `CREATE [UNIQUE] INDEX`.
    CreateIndex(CreateIndex),
    /// `DROP INDEX`.
    DropIndex {
        /// The index, as it was created (its inverse).
        index: CreateIndex,
    },
    /// `ALTER TABLE ... ADD` a constraint.
    AddConstraint {
        /// The table.
        table: TableRef,
        /// The constraint.
        constraint: ConstraintDef,
    },
    /// `ALTER TABLE ... DROP CONSTRAINT` (`DROP FOREIGN KEY` on MySQL).
    DropConstraint {
        /// The table.
        table: TableRef,
        /// The constraint as it was (it has a name: an unnamed constraint cannot be dropped).
        constraint: ConstraintDef,
    },
    /// `CREATE VIEW ... AS ...`.
    CreateView(ViewDef),
    /// `DROP VIEW`.
    DropView(ViewDef),
    /// `COMMENT ON TABLE` or `COMMENT ON COLUMN` (dialects whose comments
    /// are statements of their own).
    Comment {
        /// The table.
        table: TableRef,
        /// The column, or `None` for the table itself.
        column: Option<String>,
        /// The comment.
        text: String,
    },
    /// `ALTER TABLE ... ADD COLUMN`.
    AddColumn {
        /// The table.
        table: TableRef,
        /// The column.
        column: ColumnDef,
    },
    /// `ALTER TABLE ... DROP COLUMN`.
    DropColumn {
        /// The table.
        table: TableRef,
        /// The column as it was (its inverse adds it back, without its values).
        column: ColumnDef,
    },
    /// Changes a column's type, nullability, default and comment from
    /// `from` to `to` (PostgreSQL `ALTER COLUMN`, MySQL `MODIFY COLUMN`;
    /// SQLite cannot, and rebuilds the table instead).
    AlterColumn {
        /// The table.
        table: TableRef,
        /// The column as it is.
        from: Box<ColumnDef>,
        /// The column as it becomes (same name).
        to: Box<ColumnDef>,
    },
    /// `ALTER TABLE ... RENAME TO`, within its schema.
    RenameTable {
        /// The table as it is named.
        from: TableRef,
        /// Its new name (the schema does not change).
        to: String,
    },
    /// `ALTER TABLE ... RENAME COLUMN`.
    RenameColumn {
        /// The table.
        table: TableRef,
        /// The column's name.
        from: String,
        /// Its new name.
        to: String,
    },
    /// Renames a constraint (PostgreSQL `RENAME CONSTRAINT`; MySQL renames
    /// a unique key with `RENAME INDEX`). Dialects that cannot rename a
    /// constraint of this kind refuse it, and a diff drops and adds it.
    RenameConstraint {
        /// The table.
        table: TableRef,
        /// The kind of constraint.
        kind: Kind,
        /// Its name.
        from: String,
        /// Its new name.
        to: String,
    },
    /// Renames an index (PostgreSQL `ALTER INDEX ... RENAME TO`, MySQL
    /// `RENAME INDEX`; SQLite cannot, and a diff drops and creates it).
    RenameIndex {
        /// The table.
        table: TableRef,
        /// Its name.
        from: String,
        /// Its new name.
        to: String,
    },
    /// Renames a sequence (PostgreSQL's `ALTER SEQUENCE IF EXISTS ...
    /// RENAME TO`: a serial or identity column's, which follows neither
    /// its table's nor its column's new name).
    RenameSequence {
        /// The table whose column owns it (and whose schema it is in).
        table: TableRef,
        /// Its name.
        from: String,
        /// Its new name.
        to: String,
    },
    /// `INSERT INTO to (...) SELECT ... FROM from`: copies every row, column
    /// by column, when a table is rebuilt.
    CopyRows {
        /// Where the rows come from.
        from: TableRef,
        /// Where they go.
        to: TableRef,
        /// `(column of to, column of from)`, in order.
        columns: Vec<(String, String)>,
    },
    /// `CREATE TYPE name AS ENUM (...)`: PostgreSQL's type for an
    /// enumerated column, made before the tables that use it.
    CreateEnumType {
        /// The type's schema and name.
        name: TableRef,
        /// The values, in order.
        values: Vec<String>,
    },
    /// `DROP TYPE name`, after the tables that used it.
    DropEnumType {
        /// The type's schema and name.
        name: TableRef,
        /// The values it had (its inverse makes it again).
        values: Vec<String>,
    },
    /// `ALTER TYPE name ADD VALUE 'v' [BEFORE 'w']`: a value added to a
    /// PostgreSQL enumerated type. It cannot be undone short of making the
    /// type again.
    AddEnumValue {
        /// The type's schema and name.
        name: TableRef,
        /// The new value.
        value: String,
        /// The value it goes before, or `None` for the end.
        before: Option<String>,
    },
    /// SQLite's `PRAGMA foreign_keys = ON|OFF`. It has no effect inside a
    /// transaction, so it runs outside one.
    ForeignKeys {
        /// Whether foreign keys are enforced afterwards.
        enabled: bool,
    },
    /// SQLite's `PRAGMA foreign_key_check`: an engine fails the run when it
    /// returns a row (a foreign key that a rebuilt table broke).
    ForeignKeyCheck,
    /// A statement given as SQL: custom DDL, or one a DDL-event listener added.
    Custom {
        /// The statement, without `;`.
        sql: String,
        /// The table whose event it belongs to, if any.
        table: Option<TableRef>,
        /// Whether it may run inside a transaction (`VACUUM`, PostgreSQL's
        /// `CREATE INDEX CONCURRENTLY` may not).
        transactional: bool,
    },
}

/// `CREATE TABLE`: columns, then table-level constraints in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateTable {
    /// The table.
    pub table: TableRef,
    /// The table's comment.
    pub comment: Option<String>,
    /// The columns, in order.
    pub columns: Vec<ColumnDef>,
    /// The table-level constraints, in order (the primary key first).
    pub constraints: Vec<ConstraintDef>,
}

/// A column of a `CREATE TABLE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnDef {
    /// The name.
    pub name: String,
    /// The type (resolved: a foreign-key column without one has the referred column's).
    pub ty: ColumnType,
    /// The column is the table's auto-incrementing key (`SERIAL`, `AUTO_INCREMENT`).
    pub auto_increment: bool,
    /// The server default, as raw SQL.
    pub default: Option<String>,
    /// `NOT NULL`.
    pub not_null: bool,
    /// Checks written in the column definition.
    pub checks: Vec<CheckDef>,
    /// The column's comment.
    pub comment: Option<String>,
}

impl ColumnDef {
    /// A nullable column with no default, check or comment.
    pub fn new(name: impl Into<String>, ty: ColumnType) -> Self {
        ColumnDef {
            name: name.into(),
            ty,
            auto_increment: false,
            default: None,
            not_null: false,
            checks: Vec::new(),
            comment: None,
        }
    }
}

/// A check constraint: an optional name and a raw SQL expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckDef {
    /// The final name, or `None` to let the database choose.
    pub name: Option<String>,
    /// The expression.
    pub sql: String,
}

/// A foreign key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignKeyDef {
    /// The final name, or `None` to let the database choose.
    pub name: Option<String>,
    /// The local columns.
    pub columns: Vec<String>,
    /// The referred table, qualified as the statement must write it.
    pub referred_table: TableRef,
    /// The referred columns.
    pub referred_columns: Vec<String>,
    /// `ON DELETE`.
    pub on_delete: Option<ReferentialAction>,
    /// `ON UPDATE`.
    pub on_update: Option<ReferentialAction>,
}

/// A table constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConstraintDef {
    /// `PRIMARY KEY (...)`.
    PrimaryKey {
        /// The final name, or `None`.
        name: Option<String>,
        /// The columns.
        columns: Vec<String>,
    },
    /// `UNIQUE (...)`.
    Unique {
        /// The final name, or `None`.
        name: Option<String>,
        /// The columns.
        columns: Vec<String>,
    },
    /// `CHECK (...)`.
    Check(CheckDef),
    /// `FOREIGN KEY (...) REFERENCES ...`.
    ForeignKey(ForeignKeyDef),
}

impl ConstraintDef {
    /// The constraint's final name, if it has one.
    pub fn name(&self) -> Option<&str> {
        match self {
            ConstraintDef::PrimaryKey { name, .. } | ConstraintDef::Unique { name, .. } => {
                name.as_deref()
            }
            ConstraintDef::Check(c) => c.name.as_deref(),
            ConstraintDef::ForeignKey(f) => f.name.as_deref(),
        }
    }

    /// The kind of constraint.
    pub fn kind(&self) -> Kind {
        match self {
            ConstraintDef::PrimaryKey { .. } => Kind::PrimaryKey,
            ConstraintDef::Unique { .. } => Kind::Unique,
            ConstraintDef::Check(_) => Kind::Check,
            ConstraintDef::ForeignKey(_) => Kind::ForeignKey,
        }
    }

    /// The columns it covers (none for a check).
    pub fn columns(&self) -> &[String] {
        match self {
            ConstraintDef::PrimaryKey { columns, .. } | ConstraintDef::Unique { columns, .. } => {
                columns
            }
            ConstraintDef::Check(_) => &[],
            ConstraintDef::ForeignKey(f) => &f.columns,
        }
    }
}

/// `CREATE [UNIQUE] INDEX name ON table (parts) [WHERE predicate]`.
///
/// ```
/// use nomenclator::sql::{CreateIndex, Statement};
/// use nomenclator::dialect::{Dialect, PostgreSql};
/// use nomenclator::{IndexPart, TableRef};
///
/// let ix = CreateIndex {
///     table: TableRef::new(None, "account"),
///     name: "account_email_key".into(),
///     parts: vec![IndexPart::from("tenant_id"), IndexPart::expression("lower(email)")],
///     predicate: Some("deleted_at IS NULL".into()),
///     unique: true,
/// };
/// assert_eq!(
///     PostgreSql.to_sql(&Statement::CreateIndex(ix))?,
///     "CREATE UNIQUE INDEX account_email_key ON account (tenant_id, (lower(email))) \
///      WHERE deleted_at IS NULL"
/// );
/// # Ok::<(), nomenclator::dialect::DialectError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateIndex {
    /// The table.
    pub table: TableRef,
    /// The final name.
    pub name: String,
    /// The key: columns and expressions, in order.
    pub parts: Vec<IndexPart>,
    /// The `WHERE` predicate of a partial index.
    pub predicate: Option<String>,
    /// `UNIQUE`.
    pub unique: bool,
}

impl CreateIndex {
    /// A plain index on columns: no expression, no predicate.
    pub fn on_columns<I, S>(table: TableRef, name: impl Into<String>, columns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        CreateIndex {
            table,
            name: name.into(),
            parts: columns
                .into_iter()
                .map(|c| IndexPart::Column(c.into()))
                .collect(),
            predicate: None,
            unique: false,
        }
    }
}

/// A view: `CREATE VIEW name AS sql`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewDef {
    /// The schema, if any.
    pub schema: Option<String>,
    /// The name.
    pub name: String,
    /// The query.
    pub sql: String,
}

impl Statement {
    /// The table the statement concerns, if any.
    pub fn table(&self) -> Option<&TableRef> {
        match self {
            Statement::CreateTable(c) => Some(&c.table),
            Statement::DropTable { table, .. }
            | Statement::AddConstraint { table, .. }
            | Statement::DropConstraint { table, .. }
            | Statement::Comment { table, .. } => Some(table),
            Statement::CreateIndex(ix) | Statement::DropIndex { index: ix } => Some(&ix.table),
            Statement::CreateView(_) | Statement::DropView(_) => None,
            Statement::CreateEnumType { .. }
            | Statement::DropEnumType { .. }
            | Statement::AddEnumValue { .. } => None,
            Statement::Custom { table, .. } => table.as_ref(),
            Statement::AddColumn { table, .. }
            | Statement::DropColumn { table, .. }
            | Statement::AlterColumn { table, .. }
            | Statement::RenameColumn { table, .. }
            | Statement::RenameConstraint { table, .. }
            | Statement::RenameIndex { table, .. }
            | Statement::RenameSequence { table, .. } => Some(table),
            Statement::RenameTable { from, .. } => Some(from),
            Statement::CopyRows { to, .. } => Some(to),
            Statement::ForeignKeys { .. } | Statement::ForeignKeyCheck => None,
        }
    }

    /// The name of the table, view, index or constraint it creates or
    /// drops (`None` for an unnamed constraint, a comment or custom SQL).
    pub fn object(&self) -> Option<&str> {
        match self {
            Statement::CreateTable(c) => Some(&c.table.name),
            Statement::DropTable { table, .. } => Some(&table.name),
            Statement::CreateIndex(ix) | Statement::DropIndex { index: ix } => Some(&ix.name),
            Statement::AddConstraint { constraint, .. }
            | Statement::DropConstraint { constraint, .. } => constraint.name(),
            Statement::CreateView(v) | Statement::DropView(v) => Some(&v.name),
            Statement::CreateEnumType { name, .. }
            | Statement::DropEnumType { name, .. }
            | Statement::AddEnumValue { name, .. } => Some(&name.name),
            Statement::AddColumn { column, .. } | Statement::DropColumn { column, .. } => {
                Some(&column.name)
            }
            Statement::AlterColumn { to, .. } => Some(&to.name),
            Statement::RenameTable { to, .. }
            | Statement::RenameColumn { to, .. }
            | Statement::RenameConstraint { to, .. }
            | Statement::RenameIndex { to, .. }
            | Statement::RenameSequence { to, .. } => Some(to),
            Statement::Comment { .. }
            | Statement::Custom { .. }
            | Statement::CopyRows { .. }
            | Statement::ForeignKeys { .. }
            | Statement::ForeignKeyCheck => None,
        }
    }

    /// Whether the statement may run inside a transaction. Statements that
    /// must run outside one (SQLite's `VACUUM` or `PRAGMA foreign_keys`,
    /// PostgreSQL's `CREATE INDEX CONCURRENTLY`) say `false`, and engines
    /// commit what ran before them and run them between transactions.
    pub fn transactional(&self) -> bool {
        match self {
            Statement::Custom { transactional, .. } => *transactional,
            Statement::ForeignKeys { .. } => false,
            _ => true,
        }
    }

    /// The statements that undo this one, in the order to run them, or
    /// `None` when it cannot be undone from what it holds (custom SQL, a
    /// comment, a table dropped without its definition).
    pub fn inverse(&self) -> Option<Vec<Statement>> {
        Some(match self {
            Statement::CreateTable(c) => vec![Statement::DropTable {
                table: c.table.clone(),
                restore: vec![self.clone()],
            }],
            Statement::DropTable { restore, .. } if !restore.is_empty() => restore.clone(),
            Statement::CreateIndex(ix) => vec![Statement::DropIndex { index: ix.clone() }],
            Statement::DropIndex { index } => vec![Statement::CreateIndex(index.clone())],
            Statement::AddConstraint { table, constraint } if constraint.name().is_some() => {
                vec![Statement::DropConstraint {
                    table: table.clone(),
                    constraint: constraint.clone(),
                }]
            }
            Statement::DropConstraint { table, constraint } => vec![Statement::AddConstraint {
                table: table.clone(),
                constraint: constraint.clone(),
            }],
            Statement::CreateView(v) => vec![Statement::DropView(v.clone())],
            Statement::DropView(v) => vec![Statement::CreateView(v.clone())],
            Statement::CreateEnumType { name, values } => vec![Statement::DropEnumType {
                name: name.clone(),
                values: values.clone(),
            }],
            Statement::DropEnumType { name, values } => vec![Statement::CreateEnumType {
                name: name.clone(),
                values: values.clone(),
            }],
            Statement::AddColumn { table, column } => vec![Statement::DropColumn {
                table: table.clone(),
                column: column.clone(),
            }],
            Statement::DropColumn { table, column } => vec![Statement::AddColumn {
                table: table.clone(),
                column: column.clone(),
            }],
            Statement::AlterColumn { table, from, to } => vec![Statement::AlterColumn {
                table: table.clone(),
                from: to.clone(),
                to: from.clone(),
            }],
            Statement::RenameTable { from, to } => vec![Statement::RenameTable {
                from: TableRef::new(from.schema.as_deref(), to),
                to: from.name.clone(),
            }],
            Statement::RenameColumn { table, from, to } => vec![Statement::RenameColumn {
                table: table.clone(),
                from: to.clone(),
                to: from.clone(),
            }],
            Statement::RenameConstraint {
                table,
                kind,
                from,
                to,
            } => vec![Statement::RenameConstraint {
                table: table.clone(),
                kind: *kind,
                from: to.clone(),
                to: from.clone(),
            }],
            Statement::RenameIndex { table, from, to } => vec![Statement::RenameIndex {
                table: table.clone(),
                from: to.clone(),
                to: from.clone(),
            }],
            Statement::RenameSequence { table, from, to } => vec![Statement::RenameSequence {
                table: table.clone(),
                from: to.clone(),
                to: from.clone(),
            }],
            Statement::ForeignKeys { enabled } => {
                vec![Statement::ForeignKeys { enabled: !enabled }]
            }
            Statement::ForeignKeyCheck => vec![],
            _ => return None,
        })
    }

    /// A short description: `CREATE TABLE note`, `DROP INDEX ix_note_body`.
    pub fn describe(&self) -> String {
        let (verb, what) = match self {
            Statement::CreateTable(c) => ("CREATE TABLE", c.table.to_string()),
            Statement::DropTable { table, .. } => ("DROP TABLE", table.to_string()),
            Statement::CreateIndex(ix) => ("CREATE INDEX", ix.name.clone()),
            Statement::DropIndex { index } => ("DROP INDEX", index.name.clone()),
            Statement::AddConstraint { table, constraint } => (
                "ALTER TABLE",
                format!("{table} ADD {}", constraint.kind().describe()),
            ),
            Statement::DropConstraint { table, constraint } => (
                "ALTER TABLE",
                format!("{table} DROP {}", constraint.kind().describe()),
            ),
            Statement::CreateView(v) => ("CREATE VIEW", v.name.clone()),
            Statement::DropView(v) => ("DROP VIEW", v.name.clone()),
            Statement::CreateEnumType { name, .. } => ("CREATE TYPE", name.to_string()),
            Statement::DropEnumType { name, .. } => ("DROP TYPE", name.to_string()),
            Statement::AddEnumValue { name, value, .. } => {
                ("ALTER TYPE", format!("{name} ADD VALUE {value:?}"))
            }
            Statement::Comment { table, .. } => ("COMMENT ON", table.to_string()),
            Statement::AddColumn { table, column } => {
                ("ALTER TABLE", format!("{table} ADD COLUMN {}", column.name))
            }
            Statement::DropColumn { table, column } => (
                "ALTER TABLE",
                format!("{table} DROP COLUMN {}", column.name),
            ),
            Statement::AlterColumn { table, to, .. } => {
                ("ALTER TABLE", format!("{table} ALTER COLUMN {}", to.name))
            }
            Statement::RenameTable { from, to } => {
                ("ALTER TABLE", format!("{from} RENAME TO {to}"))
            }
            Statement::RenameColumn { table, from, to } => (
                "ALTER TABLE",
                format!("{table} RENAME COLUMN {from} TO {to}"),
            ),
            Statement::RenameConstraint {
                table, from, to, ..
            } => (
                "ALTER TABLE",
                format!("{table} RENAME CONSTRAINT {from} TO {to}"),
            ),
            Statement::RenameIndex { from, to, .. } => {
                ("ALTER INDEX", format!("{from} RENAME TO {to}"))
            }
            Statement::RenameSequence { from, to, .. } => {
                ("ALTER SEQUENCE", format!("{from} RENAME TO {to}"))
            }
            Statement::CopyRows { from, to, .. } => {
                ("INSERT INTO", format!("{to} SELECT FROM {from}"))
            }
            Statement::ForeignKeys { enabled } => (
                "PRAGMA",
                format!("foreign_keys = {}", if *enabled { "ON" } else { "OFF" }),
            ),
            Statement::ForeignKeyCheck => ("PRAGMA", "foreign_key_check".into()),
            Statement::Custom { sql, .. } => {
                return match first_words(sql, 3).trim_end_matches('(').trim() {
                    "" => "statement".into(),
                    w => w.to_owned(),
                };
            }
        };
        format!("{verb} {what}")
    }
}

/// The first `n` words of `sql`, one space between them; a quoted name
/// (`"Audit Log"`, `` `a b` ``, `[a b]`) is one word, spaces and all.
fn first_words(sql: &str, n: usize) -> String {
    let mut words = sql_words(sql, char::is_whitespace);
    words.truncate(n);
    words.join(" ")
}

/// The words of `sql` between `separator`s, a quoted name (`"Audit Log"`,
/// `` `a b` ``, `[a b]`) within a word whole, separators and all.
pub(crate) fn sql_words(sql: &str, separator: fn(char) -> bool) -> Vec<&str> {
    let mut words = Vec::new();
    let mut rest = sql.trim_start_matches(separator);
    while !rest.is_empty() {
        let mut end = rest.len();
        let mut quote: Option<char> = None;
        for (i, c) in rest.char_indices() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if separator(c) => {
                    end = i;
                    break;
                }
                None => {
                    quote = match c {
                        '"' => Some('"'),
                        '`' => Some('`'),
                        '[' => Some(']'),
                        _ => None,
                    }
                }
            }
        }
        words.push(&rest[..end]);
        rest = rest[end..].trim_start_matches(separator);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_statements_are_described_by_their_first_words_quoted_names_whole() {
        let custom = |sql: &str| Statement::Custom {
            sql: sql.into(),
            table: None,
            transactional: true,
        };
        assert_eq!(
            custom(r#"CREATE INDEX "Audit Log_at" ON "Audit Log" (x)"#).describe(),
            r#"CREATE INDEX "Audit Log_at""#
        );
        assert_eq!(custom("  SELECT setval(x)").describe(), "SELECT setval(x)");
        assert_eq!(custom("CREATE TABLE t(").describe(), "CREATE TABLE t");
        assert_eq!(custom("   ").describe(), "statement");
    }
}
