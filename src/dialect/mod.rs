//! SQL dialects: one module each behind the [`Dialect`] trait.
//!
//! A dialect describes what differs between databases as data (identifier
//! limits, which names must be distinct, [`Capabilities`], reserved words,
//! type spelling) and renders DDL through the trait's default methods. Core
//! code branches on those capabilities, never on which dialect it has.

mod lex;
mod mysql;
pub mod postgres_names;
mod postgresql;
mod sqlite;

pub use lex::{check_sql, Lexical, SqlExtent, SqlPlace, SqlTextError, SqlTextProblem};
pub(crate) use lex::{mentions, rename_identifiers};
pub use mysql::{MariaDb, MySql};
pub use postgresql::PostgreSql;
pub use sqlite::Sqlite;

use crate::naming::{IdentifierChars, IdentifierLimit, NameRules, Namespaces};
use crate::schema::{ColumnType, DialectKind, IndexPart, Kind, ReferentialAction, TableRef};
use crate::sql::{ColumnDef, ConstraintDef, CreateIndex, CreateTable, ForeignKeyDef, Statement};

/// A statement that this dialect cannot write.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DialectError {
    /// A type needs a length on this dialect.
    #[error("{dialect}: type {ty} needs a length, for example varchar(255)")]
    LengthNeeded {
        /// The dialect.
        dialect: &'static str,
        /// The type as written.
        ty: String,
    },
    /// An index this dialect cannot create: an expression part or a `WHERE`
    /// predicate where the dialect has no expression or partial indexes.
    #[error("{dialect}: index \"{index}\" of table \"{table}\" {why}; {dialect} {lacks}: {advice}, or create the index in custom DDL restricted to the dialects that have them")]
    UnsupportedIndex {
        /// The dialect.
        dialect: &'static str,
        /// The table.
        table: TableRef,
        /// The index's name.
        index: String,
        /// What it has (`has the expression part (lower(email))`, `is partial (WHERE ...)`).
        why: String,
        /// What the dialect lacks (`has no expression indexes`, `has no partial indexes`).
        lacks: &'static str,
        /// What to do instead.
        advice: &'static str,
    },
    /// The dialect has no such statement.
    #[error("{dialect}: {what}")]
    Unsupported {
        /// The dialect.
        dialect: &'static str,
        /// What it cannot do.
        what: String,
    },
}

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
    /// The clause that drops the primary key without naming it (MySQL's
    /// `DROP PRIMARY KEY`: its primary key is always called `PRIMARY`), if
    /// the dialect has one; else it is dropped by name.
    pub drop_primary_key: Option<&'static str>,
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
    /// An index's key may hold expressions (`CREATE INDEX n ON t ((lower(a)))`):
    /// PostgreSQL, SQLite, MySQL 8.0.13 and later.
    pub expression_indexes: bool,
    /// An index may be partial (`CREATE INDEX ... WHERE predicate`):
    /// PostgreSQL and SQLite.
    pub partial_indexes: bool,
    /// Indexes, unique and primary keys on TEXT/BLOB/JSON columns need a prefix length.
    pub text_keys_need_prefix: bool,
    /// `VARCHAR` needs a length.
    pub varchar_needs_length: bool,
    /// Backslash is an escape character in string literals.
    pub backslash_escapes: bool,
    /// A schema is a database file next to the main one (SQLite's attached
    /// databases), so a schema name must be a plain file name.
    pub schemas_are_files: bool,
    /// A check constraint may refer to the auto-increment column (MySQL and
    /// MariaDB refuse it).
    pub checks_on_auto_increment: bool,
    /// Enumerated types are types of their own, made with `CREATE TYPE
    /// ... AS ENUM` before their tables (PostgreSQL).
    pub enum_types: bool,
    /// How SQL text is read: its quotes and comments.
    pub lexical: Lexical,
}

/// A SQL dialect: what differs between databases, as data (limits,
/// namespaces, [`Capabilities`], reserved words), and the writing of
/// [`Statement`]s, in default methods that a dialect overrides where it
/// differs.
pub trait Dialect: Send + Sync + std::fmt::Debug {
    /// Which database this is.
    fn kind(&self) -> DialectKind;

    /// The dialect's name: `postgresql`, `sqlite`, `mysql` or `mariadb`.
    fn name(&self) -> &'static str {
        self.kind().name()
    }

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
        // One table lookup per byte, without a branch: names are short,
        // and every rendered identifier passes here.
        let (mut all, mut any) = (IDENT_PLAIN, 0);
        for &b in bytes {
            let class = IDENT_CLASS[usize::from(b)];
            all &= class;
            any |= class;
        }
        if all & IDENT_PLAIN == 0 {
            return true;
        }
        let upper = any & IDENT_UPPER != 0;
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

    /// Appends `values` to `out` as a parenthesised list of string literals,
    /// `('a', 'b')` (an enumeration's values).
    fn push_literal_list(&self, out: &mut String, values: &[String]) {
        out.push('(');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            self.push_string_literal(out, v);
        }
        out.push(')');
    }

    /// Appends `text` to `out` as [`string_literal`](Dialect::string_literal)
    /// spells it: between single quotes, each quote doubled, and each
    /// backslash doubled where [`Capabilities::backslash_escapes`].
    fn push_string_literal(&self, out: &mut String, text: &str) {
        push_quoted_literal(out, text, self.capabilities().backslash_escapes);
    }

    /// Checks that `sql` is one statement, or a fragment that can be written
    /// into one, as this dialect's server reads it ([`check_sql`] with
    /// [`Capabilities::lexical`]).
    fn check_sql(&self, sql: &str, place: SqlPlace) -> Result<SqlExtent, SqlTextError> {
        check_sql(sql, &self.capabilities().lexical, place)
    }

    /// The dialect's spelling of a portable type; other type text passes
    /// unchanged. Written by [`push_type_sql`](Dialect::push_type_sql),
    /// which is what a dialect overrides.
    fn type_sql(&self, ty: &ColumnType) -> Result<String, DialectError> {
        let mut out = String::new();
        self.push_type_sql(&mut out, ty)?;
        Ok(out)
    }

    /// Appends the type as [`type_sql`](Dialect::type_sql) spells it; on
    /// error `out` is left as it was. Default: [`default_push_type_sql`].
    fn push_type_sql(&self, out: &mut String, ty: &ColumnType) -> Result<(), DialectError> {
        default_push_type_sql(self, out, ty)
    }

    /// The type of an auto-increment primary-key column of type `ty`.
    fn auto_increment_type_sql(&self, ty: &ColumnType) -> Result<String, DialectError> {
        let mut out = String::new();
        self.push_auto_increment_type_sql(&mut out, ty)?;
        Ok(out)
    }

    /// Appends the type as [`auto_increment_type_sql`](Dialect::auto_increment_type_sql)
    /// spells it.
    fn push_auto_increment_type_sql(
        &self,
        out: &mut String,
        ty: &ColumnType,
    ) -> Result<(), DialectError> {
        let serial = match (self.capabilities().auto_increment, ty) {
            (AutoIncrement::SerialTypes, ColumnType::Integer) => "SERIAL",
            (AutoIncrement::SerialTypes, ColumnType::BigInt) => "BIGSERIAL",
            (AutoIncrement::SerialTypes, ColumnType::SmallInt) => "SMALLSERIAL",
            (AutoIncrement::IntegerRowId, _) => "INTEGER",
            _ => return self.push_type_sql(out, ty),
        };
        out.push_str(serial);
        Ok(())
    }

    /// `statement` as SQL, without a trailing `;`.
    fn to_sql(&self, statement: &Statement) -> Result<String, DialectError> {
        let mut out = String::new();
        self.write_statement(statement, &mut out)?;
        Ok(out)
    }

    /// Appends `statement` (without a trailing `;`) to `out`; on error
    /// `out` is left as it was.
    fn write_statement(&self, statement: &Statement, out: &mut String) -> Result<(), DialectError> {
        let start = out.len();
        let result = self.write_statement_body(statement, out);
        if result.is_err() {
            out.truncate(start);
        }
        result
    }

    /// What [`write_statement`](Dialect::write_statement) writes, each
    /// kind of statement through its own method.
    fn write_statement_body(
        &self,
        statement: &Statement,
        out: &mut String,
    ) -> Result<(), DialectError> {
        match statement {
            Statement::CreateTable(c) => self.write_create_table(c, out)?,
            Statement::DropTable { table, .. } => {
                out.push_str("DROP TABLE ");
                self.push_table(out, table);
            }
            Statement::CreateIndex(ix) => self.write_create_index(ix, out)?,
            Statement::DropIndex { index } => self.write_drop_index(index, out)?,
            Statement::AddConstraint { table, constraint } => {
                if !self.capabilities().alter_add_constraint {
                    return Err(self.unsupported(format!(
                        "cannot add a constraint to table \"{table}\" with ALTER TABLE; declare it in CREATE TABLE"
                    )));
                }
                out.push_str("ALTER TABLE ");
                self.push_table(out, table);
                out.push_str(" ADD ");
                self.write_constraint(constraint, out)?;
            }
            Statement::DropConstraint { table, constraint } => {
                self.write_drop_constraint(table, constraint, out)?
            }
            Statement::CreateView(v) => {
                out.push_str("CREATE VIEW ");
                self.push_qualified(out, v.schema.as_deref(), &v.name);
                out.push_str(" AS ");
                out.push_str(&v.sql);
            }
            Statement::DropView(v) => {
                out.push_str("DROP VIEW ");
                self.push_qualified(out, v.schema.as_deref(), &v.name);
            }
            Statement::Comment {
                table,
                column,
                text,
            } => {
                if let (CommentStyle::Inline, None) = (self.capabilities().comments, column) {
                    out.push_str("ALTER TABLE ");
                    self.push_table(out, table);
                    out.push_str(" COMMENT = ");
                    self.push_string_literal(out, text);
                    return Ok(());
                }
                if self.capabilities().comments != CommentStyle::Statements {
                    return Err(self.unsupported(
                        "has no COMMENT ON statement; comments are rendered in CREATE TABLE".into(),
                    ));
                }
                out.push_str(match column {
                    None => "COMMENT ON TABLE ",
                    Some(_) => "COMMENT ON COLUMN ",
                });
                self.push_table(out, table);
                if let Some(c) = column {
                    out.push('.');
                    self.push_quoted(out, c);
                }
                out.push_str(" IS ");
                self.push_string_literal(out, text);
            }
            Statement::Custom { sql, .. } => out.push_str(sql),
            Statement::AddColumn { table, column } => {
                out.push_str("ALTER TABLE ");
                self.push_table(out, table);
                out.push_str(" ADD COLUMN ");
                self.write_column(column, out)?;
            }
            Statement::DropColumn { table, column } => {
                out.push_str("ALTER TABLE ");
                self.push_table(out, table);
                out.push_str(" DROP COLUMN ");
                self.push_quoted(out, &column.name);
            }
            Statement::AlterColumn { table, from, to } => {
                self.write_alter_column(table, from, to, out)?
            }
            Statement::RenameTable { from, to } => self.write_rename_table(from, to, out)?,
            Statement::RenameColumn { table, from, to } => {
                push_alter_table_rename(self, table, "COLUMN", from, to, out)
            }
            Statement::RenameConstraint {
                table,
                kind,
                from,
                to,
            } => self.write_rename_constraint(table, *kind, from, to, out)?,
            Statement::RenameIndex { table, from, to } => {
                self.write_rename_index(table, from, to, out)?
            }
            Statement::RenameSequence { table, from, to } => {
                out.push_str("ALTER SEQUENCE IF EXISTS ");
                self.push_qualified(out, table.schema.as_deref(), from);
                out.push_str(" RENAME TO ");
                self.push_quoted(out, to);
            }
            Statement::CopyRows { from, to, columns } => {
                out.push_str("INSERT INTO ");
                self.push_table(out, to);
                out.push_str(" (");
                for (i, (target, _)) in columns.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.push_quoted(out, target);
                }
                out.push_str(") SELECT ");
                for (i, (_, source)) in columns.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    self.push_quoted(out, source);
                }
                out.push_str(" FROM ");
                self.push_table(out, from);
            }
            Statement::CreateEnumType { name, values } => {
                self.enum_types_or_refuse()?;
                out.push_str("CREATE TYPE ");
                self.push_table(out, name);
                out.push_str(" AS ENUM ");
                self.push_literal_list(out, values);
            }
            Statement::DropEnumType { name, .. } => {
                self.enum_types_or_refuse()?;
                out.push_str("DROP TYPE ");
                self.push_table(out, name);
            }
            Statement::AddEnumValue {
                name,
                value,
                before,
            } => {
                self.enum_types_or_refuse()?;
                out.push_str("ALTER TYPE ");
                self.push_table(out, name);
                out.push_str(" ADD VALUE ");
                self.push_string_literal(out, value);
                if let Some(b) = before {
                    out.push_str(" BEFORE ");
                    self.push_string_literal(out, b);
                }
            }
            Statement::ForeignKeys { enabled } => {
                if self.kind() != DialectKind::Sqlite {
                    return Err(self.unsupported("has no PRAGMA foreign_keys".into()));
                }
                out.push_str("PRAGMA foreign_keys = ");
                out.push_str(if *enabled { "ON" } else { "OFF" });
            }
            Statement::ForeignKeyCheck => {
                if self.kind() != DialectKind::Sqlite {
                    return Err(self.unsupported("has no PRAGMA foreign_key_check".into()));
                }
                out.push_str("PRAGMA foreign_key_check");
            }
        }
        Ok(())
    }

    /// An error unless the dialect has enumerated types of their own
    /// ([`Capabilities::enum_types`]).
    fn enum_types_or_refuse(&self) -> Result<(), DialectError> {
        if self.capabilities().enum_types {
            Ok(())
        } else {
            Err(self.unsupported(
                "has no enumerated types of their own (CREATE TYPE ... AS ENUM)".into(),
            ))
        }
    }

    /// Changes column `from` of `table` into `to`: one `ALTER TABLE` with an
    /// `ALTER COLUMN` action for each of type, nullability and default that
    /// differs (comments are statements of their own here). PostgreSQL's
    /// form; a type change converts the values with `USING column::type`.
    fn write_alter_column(
        &self,
        table: &TableRef,
        from: &ColumnDef,
        to: &ColumnDef,
        out: &mut String,
    ) -> Result<(), DialectError> {
        out.push_str("ALTER TABLE ");
        self.push_table(out, table);
        let mut actions = 0;
        let mut action = |out: &mut String| {
            out.push_str(if actions == 0 { " " } else { ", " });
            out.push_str("ALTER COLUMN ");
            self.push_quoted(out, &to.name);
            actions += 1;
        };
        let (old_ty, new_ty) = (self.type_sql(&from.ty)?, self.type_sql(&to.ty)?);
        if from.default != to.default && from.default.is_some() {
            action(out);
            out.push_str(" DROP DEFAULT");
        }
        if old_ty != new_ty {
            action(out);
            out.push_str(" TYPE ");
            out.push_str(&new_ty);
            out.push_str(" USING ");
            self.push_quoted(out, &to.name);
            out.push_str("::");
            out.push_str(&new_ty);
        }
        if from.default != to.default {
            if let Some(d) = &to.default {
                action(out);
                out.push_str(" SET DEFAULT ");
                out.push_str(d);
            }
        }
        if from.not_null != to.not_null {
            action(out);
            out.push_str(if to.not_null {
                " SET NOT NULL"
            } else {
                " DROP NOT NULL"
            });
        }
        if actions == 0 {
            return Err(self.unsupported(format!(
                "nothing to alter in column \"{}\" of table \"{table}\" (only its comment differs; \
                 write a COMMENT statement)",
                to.name
            )));
        }
        Ok(())
    }

    /// `ALTER TABLE from RENAME TO to`, the new name unqualified (it stays
    /// in its schema).
    fn write_rename_table(
        &self,
        from: &TableRef,
        to: &str,
        out: &mut String,
    ) -> Result<(), DialectError> {
        out.push_str("ALTER TABLE ");
        self.push_table(out, from);
        out.push_str(" RENAME TO ");
        self.push_quoted(out, to);
        Ok(())
    }

    /// `ALTER TABLE table RENAME CONSTRAINT from TO to`.
    fn write_rename_constraint(
        &self,
        table: &TableRef,
        _kind: Kind,
        from: &str,
        to: &str,
        out: &mut String,
    ) -> Result<(), DialectError> {
        push_alter_table_rename(self, table, "CONSTRAINT", from, to, out);
        Ok(())
    }

    /// `ALTER INDEX schema.from RENAME TO to`.
    fn write_rename_index(
        &self,
        table: &TableRef,
        from: &str,
        to: &str,
        out: &mut String,
    ) -> Result<(), DialectError> {
        out.push_str("ALTER INDEX ");
        self.push_qualified(out, table.schema.as_deref(), from);
        out.push_str(" RENAME TO ");
        self.push_quoted(out, to);
        Ok(())
    }

    /// Whether this dialect can rename a constraint of `kind` in place
    /// ([`Statement::RenameConstraint`]); where it cannot, a migration drops
    /// the constraint and adds it under its new name.
    fn can_rename_constraint(&self, kind: Kind) -> bool {
        let _ = kind;
        true
    }

    /// Whether this dialect can rename an index in place
    /// ([`Statement::RenameIndex`]).
    fn can_rename_index(&self) -> bool {
        true
    }

    /// The referential action of a foreign key, written as in SQL (`ON
    /// DELETE SET NULL`), under which the server refuses a check on the
    /// key's columns, if it refuses one: MySQL any action that changes
    /// the referring row, MariaDB `SET NULL` and `SET DEFAULT` on delete and
    /// any of them on update.
    fn action_refusing_checks(
        &self,
        on_delete: Option<ReferentialAction>,
        on_update: Option<ReferentialAction>,
    ) -> Option<String> {
        let _ = (on_delete, on_update);
        None
    }

    /// Whether `ALTER TABLE` can change a column's type, nullability and
    /// default ([`Statement::AlterColumn`]); SQLite cannot and rebuilds.
    fn can_alter_column(&self) -> bool {
        true
    }

    /// `CREATE TABLE` with its columns, then its table-level constraints.
    fn write_create_table(&self, c: &CreateTable, out: &mut String) -> Result<(), DialectError> {
        let caps = self.capabilities();
        out.push_str("CREATE TABLE ");
        self.push_table(out, &c.table);
        out.push_str(" (");
        if let (Some(text), CommentStyle::SqlComment) = (&c.comment, caps.comments) {
            push_sql_comment(out, text);
        }
        out.push_str("\n\t");
        for (i, col) in c.columns.iter().enumerate() {
            if i > 0 {
                out.push_str(",\n\t");
            }
            self.write_column(col, out)?;
        }
        for k in &c.constraints {
            out.push_str(",\n\t");
            self.write_constraint(k, out)?;
        }
        out.push_str("\n)");
        if let (Some(text), CommentStyle::Inline) = (&c.comment, caps.comments) {
            out.push_str(" COMMENT=");
            self.push_string_literal(out, text);
        }
        Ok(())
    }

    /// A column definition: name, type, default, `NOT NULL`, the
    /// auto-increment keyword, inline checks and comment.
    fn write_column(&self, c: &ColumnDef, out: &mut String) -> Result<(), DialectError> {
        let caps = self.capabilities();
        self.push_quoted(out, &c.name);
        out.push(' ');
        if c.auto_increment {
            self.push_auto_increment_type_sql(out, &c.ty)?;
        } else {
            self.push_type_sql(out, &c.ty)?;
        }
        if let Some(def) = &c.default {
            out.push_str(" DEFAULT ");
            out.push_str(def);
        }
        if c.not_null {
            out.push_str(" NOT NULL");
        }
        if let (true, AutoIncrement::Keyword(k)) = (c.auto_increment, caps.auto_increment) {
            out.push(' ');
            out.push_str(k);
        }
        for ck in &c.checks {
            if let Some(n) = &ck.name {
                out.push_str(" CONSTRAINT ");
                self.push_quoted(out, n);
            }
            out.push_str(" CHECK (");
            out.push_str(&ck.sql);
            out.push(')');
        }
        if let Some(text) = &c.comment {
            match caps.comments {
                CommentStyle::Inline => {
                    out.push_str(" COMMENT ");
                    self.push_string_literal(out, text);
                }
                CommentStyle::SqlComment => push_sql_comment(out, text),
                CommentStyle::Statements => {}
            }
        }
        Ok(())
    }

    /// A constraint clause, as in `CREATE TABLE` and `ALTER TABLE ... ADD`.
    fn write_constraint(&self, k: &ConstraintDef, out: &mut String) -> Result<(), DialectError> {
        if let Some(n) = k.name() {
            out.push_str("CONSTRAINT ");
            self.push_quoted(out, n);
            out.push(' ');
        }
        match k {
            ConstraintDef::PrimaryKey { columns, .. } => {
                out.push_str("PRIMARY KEY (");
                self.push_columns(out, columns);
                out.push(')');
            }
            ConstraintDef::Unique { columns, .. } => {
                out.push_str("UNIQUE (");
                self.push_columns(out, columns);
                out.push(')');
            }
            ConstraintDef::Check(ck) => {
                out.push_str("CHECK (");
                out.push_str(&ck.sql);
                out.push(')');
            }
            ConstraintDef::ForeignKey(fk) => self.write_foreign_key(fk, out)?,
        }
        Ok(())
    }

    /// `FOREIGN KEY (...) REFERENCES t (...)` with its actions (the
    /// `CONSTRAINT name` before it is written by the caller).
    fn write_foreign_key(&self, fk: &ForeignKeyDef, out: &mut String) -> Result<(), DialectError> {
        out.push_str("FOREIGN KEY (");
        self.push_columns(out, &fk.columns);
        out.push_str(") REFERENCES ");
        self.push_table(out, &fk.referred_table);
        out.push_str(" (");
        self.push_columns(out, &fk.referred_columns);
        out.push(')');
        if let Some(a) = fk.on_delete {
            out.push_str(" ON DELETE ");
            out.push_str(a.sql());
        }
        if let Some(a) = fk.on_update {
            out.push_str(" ON UPDATE ");
            out.push_str(a.sql());
        }
        Ok(())
    }

    /// `CREATE [UNIQUE] INDEX`.
    fn write_create_index(&self, ix: &CreateIndex, out: &mut String) -> Result<(), DialectError> {
        self.check_index(ix)?;
        out.push_str(if ix.unique {
            "CREATE UNIQUE INDEX "
        } else {
            "CREATE INDEX "
        });
        if self.capabilities().index_schema_on_index_name {
            self.push_qualified(out, ix.table.schema.as_deref(), &ix.name);
            out.push_str(" ON ");
            self.push_quoted(out, &ix.table.name);
        } else {
            self.push_quoted(out, &ix.name);
            out.push_str(" ON ");
            self.push_table(out, &ix.table);
        }
        out.push_str(" (");
        for (i, part) in ix.parts.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            match part {
                IndexPart::Column(c) => self.push_quoted(out, c),
                IndexPart::Expression(e) => {
                    out.push('(');
                    out.push_str(e);
                    out.push(')');
                }
            }
        }
        out.push(')');
        if let Some(p) = &ix.predicate {
            out.push_str(" WHERE ");
            out.push_str(p);
        }
        Ok(())
    }

    /// Checks that this dialect can create the index: an expression part
    /// needs [`Capabilities::expression_indexes`], a predicate
    /// [`Capabilities::partial_indexes`]. Plans call it for every index
    /// before any statement is written.
    fn check_index(&self, ix: &CreateIndex) -> Result<(), DialectError> {
        let caps = self.capabilities();
        let refuse = |why: String, lacks, advice| DialectError::UnsupportedIndex {
            dialect: self.name(),
            table: ix.table.clone(),
            index: ix.name.clone(),
            why,
            lacks,
            advice,
        };
        if !caps.expression_indexes {
            if let Some(e) = ix.parts.iter().find_map(IndexPart::expression_sql) {
                return Err(refuse(
                    format!("has the expression part ({})", crate::text::abbrev(e)),
                    "has no expression indexes",
                    "index a generated column that holds the expression instead",
                ));
            }
        }
        if let (false, Some(p)) = (caps.partial_indexes, &ix.predicate) {
            return Err(refuse(
                format!("is partial (WHERE {})", crate::text::abbrev(p)),
                "has no partial indexes",
                "leave out `where` (the index then covers every row)",
            ));
        }
        Ok(())
    }

    /// `DROP INDEX`.
    fn write_drop_index(&self, ix: &CreateIndex, out: &mut String) -> Result<(), DialectError> {
        out.push_str("DROP INDEX ");
        if self.capabilities().drop_index_on_table {
            self.push_quoted(out, &ix.name);
            out.push_str(" ON ");
            self.push_table(out, &ix.table);
        } else {
            self.push_qualified(out, ix.table.schema.as_deref(), &ix.name);
        }
        Ok(())
    }

    /// `ALTER TABLE ... DROP CONSTRAINT` (the foreign-key clause of
    /// [`Capabilities::drop_foreign_key`] for a foreign key).
    fn write_drop_constraint(
        &self,
        table: &TableRef,
        k: &ConstraintDef,
        out: &mut String,
    ) -> Result<(), DialectError> {
        let caps = self.capabilities();
        if let (ConstraintDef::PrimaryKey { .. }, Some(clause)) = (k, caps.drop_primary_key) {
            out.push_str("ALTER TABLE ");
            self.push_table(out, table);
            out.push(' ');
            out.push_str(clause);
            return Ok(());
        }
        let what = k.kind().describe();
        let Some(name) = k.name() else {
            return Err(self.unsupported(format!(
                "cannot drop the unnamed {what} ({}) of table \"{table}\": give it a name",
                k.columns().join(", "),
            )));
        };
        if !caps.alter_add_constraint {
            return Err(self.unsupported(format!(
                "cannot drop {what} \"{name}\" of table \"{table}\" with ALTER TABLE; drop the table"
            )));
        }
        out.push_str("ALTER TABLE ");
        self.push_table(out, table);
        out.push(' ');
        out.push_str(match k {
            ConstraintDef::ForeignKey(_) => caps.drop_foreign_key,
            _ => "DROP CONSTRAINT",
        });
        out.push(' ');
        self.push_quoted(out, name);
        Ok(())
    }

    /// Appends a table's qualified name.
    fn push_table(&self, out: &mut String, table: &TableRef) {
        self.push_qualified(out, table.schema.as_deref(), &table.name);
    }

    /// Appends quoted column names separated by `, `.
    fn push_columns(&self, out: &mut String, columns: &[String]) {
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            self.push_quoted(out, c);
        }
    }

    /// The error for what this dialect cannot do.
    fn unsupported(&self, what: String) -> DialectError {
        DialectError::Unsupported {
            dialect: self.name(),
            what,
        }
    }

    /// The portable type that the type spelling `text` of this dialect stands
    /// for, where the two are the same; any other text is
    /// [`ColumnType::Other`] holding `text` unchanged.
    ///
    /// It reads what [`type_sql`](Dialect::type_sql) writes and what the
    /// server's catalog reports for it, so that
    /// `parse_type(&type_sql(t)?) == t` for every portable type. Default:
    /// [`default_parse_type`], the reverse of [`default_type_sql`].
    fn parse_type(&self, text: &str) -> ColumnType {
        default_parse_type(text)
    }

    /// The portable type of a column whose catalog type is `text` and which
    /// carries the check `check`, when the two together stand for one type
    /// (MariaDB keeps `JSON` as `longtext` with `CHECK (json_valid(col))`);
    /// `None` for an ordinary check. Default: `None`.
    fn parse_checked_type(&self, text: &str, column: &str, check: &str) -> Option<ColumnType> {
        let _ = (text, column, check);
        None
    }
}

/// [`IDENT_CLASS`]: the byte may stand in an unquoted name (an ASCII
/// letter or digit, `_` or `$`; where it may start one is checked apart).
const IDENT_PLAIN: u8 = 1;
/// [`IDENT_CLASS`]: the byte is an upper-case ASCII letter.
const IDENT_UPPER: u8 = 2;
/// What each byte is in a name, for [`Dialect::needs_quoting`].
const IDENT_CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' {
            class[i] = IDENT_PLAIN;
        }
        if b.is_ascii_uppercase() {
            class[i] |= IDENT_UPPER;
        }
        i += 1;
    }
    class
};

/// Appends `'text'`, each quote doubled and, where `backslash`, each
/// backslash doubled.
/// `ALTER TABLE table RENAME <what> from TO to`.
pub(crate) fn push_alter_table_rename<D: Dialect + ?Sized>(
    d: &D,
    table: &TableRef,
    what: &str,
    from: &str,
    to: &str,
    out: &mut String,
) {
    out.push_str("ALTER TABLE ");
    d.push_table(out, table);
    out.push_str(" RENAME ");
    out.push_str(what);
    out.push(' ');
    d.push_quoted(out, from);
    out.push_str(" TO ");
    d.push_quoted(out, to);
}

pub(crate) fn push_quoted_literal(out: &mut String, text: &str, backslash: bool) {
    out.reserve(text.len() + 2);
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

/// Appends ` /* text */`, with `*/` in the text broken up.
fn push_sql_comment(out: &mut String, text: &str) {
    out.push_str(" /* ");
    out.push_str(&text.replace("*/", "* /"));
    out.push_str(" */");
}

/// A dialect's reserved words, in lower case, looked up case-insensitively
/// through an index made on first use (every rendered identifier is
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
    index: once_cell::sync::OnceCell<WordIndex>,
}

/// The words of a [`ReservedWords`] as a set of bytes, and for each first
/// byte the lengths of the words that start with it: most identifiers are
/// ruled out by those two before anything is lower-cased or hashed.
struct WordIndex {
    set: rustc_hash::FxHashSet<&'static [u8]>,
    /// Bit `n` of entry `b`: a word of `n` bytes (31 for 31 or more)
    /// starts with the byte `b`.
    lengths: [u32; 256],
}

/// The bit of [`WordIndex::lengths`] for a word of `len` bytes.
fn length_bit(len: usize) -> u32 {
    1 << len.min(31)
}

impl ReservedWords {
    /// The words of `words` (lower case).
    pub const fn new(words: &'static [&'static str]) -> Self {
        ReservedWords {
            words,
            index: once_cell::sync::OnceCell::new(),
        }
    }

    /// The words, as given.
    pub fn words(&self) -> &'static [&'static str] {
        self.words
    }

    /// Whether `word` is one of them, case-insensitively.
    pub fn contains(&self, word: &str) -> bool {
        let index = self.index.get_or_init(|| {
            let mut lengths = [0u32; 256];
            for w in self.words {
                if let Some(&first) = w.as_bytes().first() {
                    lengths[usize::from(first)] |= length_bit(w.len());
                }
            }
            WordIndex {
                set: self.words.iter().map(|w| w.as_bytes()).collect(),
                lengths,
            }
        });
        let bytes = word.as_bytes();
        let Some(&first) = bytes.first() else {
            return false;
        };
        if index.lengths[usize::from(first.to_ascii_lowercase())] & length_bit(bytes.len()) == 0 {
            return false;
        }
        // A word longer than the buffer is longer than any reserved word
        // (checked by a test below).
        let mut buf = [0u8; crate::text::LOWERCASE_MAX];
        let Some(lower) = buf.get_mut(..bytes.len()) else {
            return false;
        };
        lower.copy_from_slice(bytes);
        lower.make_ascii_lowercase();
        index.set.contains(&*lower)
    }
}

impl std::fmt::Debug for ReservedWords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.words).finish()
    }
}

/// The common spelling of the portable types, for dialects overriding only some.
pub fn default_type_sql<D: Dialect + ?Sized>(
    d: &D,
    ty: &ColumnType,
) -> Result<String, DialectError> {
    let mut out = String::new();
    default_push_type_sql(d, &mut out, ty)?;
    Ok(out)
}

/// Appends the common spelling of `ty` ([`default_type_sql`]) to `out`.
pub fn default_push_type_sql<D: Dialect + ?Sized>(
    d: &D,
    out: &mut String,
    ty: &ColumnType,
) -> Result<(), DialectError> {
    let word = match ty {
        ColumnType::Integer => "INTEGER",
        ColumnType::BigInt => "BIGINT",
        ColumnType::SmallInt => "SMALLINT",
        ColumnType::Varchar(Some(n)) => {
            out.push_str("VARCHAR(");
            push_number(out, *n);
            out.push(')');
            return Ok(());
        }
        ColumnType::Varchar(None) if d.capabilities().varchar_needs_length => {
            return Err(DialectError::LengthNeeded {
                dialect: d.name(),
                ty: ty.to_string(),
            })
        }
        ColumnType::Varchar(None) => "VARCHAR",
        ColumnType::Text => "TEXT",
        ColumnType::Boolean => "BOOLEAN",
        ColumnType::Numeric(Some((p, s))) => {
            out.push_str("NUMERIC(");
            push_number(out, *p);
            out.push_str(", ");
            push_number(out, *s);
            out.push(')');
            return Ok(());
        }
        ColumnType::Numeric(None) => "NUMERIC",
        ColumnType::Float => "FLOAT",
        ColumnType::Date => "DATE",
        ColumnType::Timestamp => "TIMESTAMP",
        ColumnType::Blob => "BLOB",
        ColumnType::Uuid => "CHAR(32)",
        ColumnType::Json => "JSON",
        // Where the type has no enumerations of its own: text as long as
        // the longest value (the `enums` plugin adds the check).
        ColumnType::Enum(e) => {
            out.push_str("VARCHAR(");
            push_number(out, e.max_length());
            out.push(')');
            return Ok(());
        }
        ColumnType::Other(s) => s,
    };
    out.push_str(word);
    Ok(())
}

/// Appends `n` in decimal, as `write!` would, without the formatting
/// machinery (a type's length is written for every such column).
fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// The dialect with this name or alias (`postgresql`/`postgres`, `sqlite`, `mysql`, `mariadb`).
pub fn by_name(name: &str) -> Option<&'static dyn Dialect> {
    name.parse().ok().map(for_kind)
}

/// The built-in dialect of a kind.
pub fn for_kind(kind: DialectKind) -> &'static dyn Dialect {
    match kind {
        DialectKind::PostgreSql => &PostgreSql,
        DialectKind::Sqlite => &Sqlite,
        DialectKind::MySql => &MySql,
        DialectKind::MariaDb => &MariaDb,
    }
}

/// Every dialect.
pub fn all() -> [&'static dyn Dialect; 4] {
    [&PostgreSql, &Sqlite, &MySql, &MariaDb]
}

// Reading types back: the reverse of `type_sql`, for `Dialect::parse_type`.

/// The portable type written as `text` in the default spelling
/// ([`default_type_sql`]), or named by a portable type name (`uuid`);
/// anything else is [`ColumnType::Other`] holding `text` unchanged.
/// Case and spacing do not matter.
///
/// ```
/// use nomenclator::dialect::default_parse_type;
/// use nomenclator::ColumnType;
/// assert_eq!(default_parse_type("NUMERIC(10, 2)"), ColumnType::Numeric(Some((10, 2))));
/// assert_eq!(default_parse_type("CHAR(32)"), ColumnType::Uuid);
/// assert_eq!(default_parse_type("point"), ColumnType::Other("point".into()));
/// ```
pub fn default_parse_type(text: &str) -> ColumnType {
    use ColumnType as T;
    parse_type_with(text, |name, args| {
        Some(match (name, args) {
            ("integer", []) => T::Integer,
            ("bigint", []) => T::BigInt,
            ("smallint", []) => T::SmallInt,
            ("varchar", []) => T::Varchar(None),
            ("varchar", &[n]) => T::Varchar(Some(n)),
            ("text", []) => T::Text,
            ("boolean", []) => T::Boolean,
            ("numeric", args) => numeric(args)?,
            ("float", []) => T::Float,
            ("date", []) => T::Date,
            ("timestamp", []) => T::Timestamp,
            ("blob", []) => T::Blob,
            ("uuid", []) | ("char", [32]) => T::Uuid,
            ("json", []) => T::Json,
            _ => return None,
        })
    })
}

/// Reads `text` as a type name with optional numbers in parentheses
/// (`character varying(40)`, `numeric(10, 2)`) and asks `portable` for the
/// type that name (lower case, words joined by one space) and those numbers
/// (empty without parentheses) stand for; [`ColumnType::Other`] holding
/// `text` unchanged when the text has another shape or `portable` says `None`.
pub(crate) fn parse_type_with(
    text: &str,
    portable: impl FnOnce(&str, &[u32]) -> Option<ColumnType>,
) -> ColumnType {
    // `enum('a', 'b')`: MySQL's spelling, and the model's, which reflection
    // gives PostgreSQL's enumerated columns.
    if text
        .trim_start()
        .get(..5)
        .is_some_and(|h| h.eq_ignore_ascii_case("enum("))
    {
        return ColumnType::parse(text);
    }
    type_parts(text)
        .and_then(|(name, args)| portable(&name, &args))
        .unwrap_or_else(|| ColumnType::Other(text.to_owned()))
}

/// `text`'s name in lower case with single spaces, and the numbers in its
/// parentheses; `None` unless the parentheses, if any, close the text and
/// hold only comma-separated numbers, or without a name.
fn type_parts(text: &str) -> Option<(String, Vec<u32>)> {
    let t = text.trim();
    let (name, args) = match t.split_once('(') {
        None => (t, Vec::new()),
        Some((name, rest)) => {
            let inner = rest.strip_suffix(')')?;
            let args = inner
                .split(',')
                .map(|n| n.trim().parse::<u32>().ok())
                .collect::<Option<Vec<u32>>>()?;
            (name, args)
        }
    };
    let name = name
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join(" ");
    (!name.is_empty()).then_some((name, args))
}

/// `numeric`, `numeric(p)` (scale 0) or `numeric(p, s)`.
pub(crate) fn numeric(args: &[u32]) -> Option<ColumnType> {
    match *args {
        [] => Some(ColumnType::Numeric(None)),
        [p] => Some(ColumnType::Numeric(Some((p, 0)))),
        [p, s] => Some(ColumnType::Numeric(Some((p, s)))),
        _ => None,
    }
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

    /// The index of reserved words answers as a plain case-insensitive
    /// search of the list does: every word in any case, and words one
    /// byte longer or shorter, or with another first byte.
    #[test]
    fn reserved_words_are_found_as_a_search_of_the_list_finds_them() {
        for d in all() {
            let words = d.reserved_words();
            let by_search = |w: &str| words.words().iter().any(|r| r.eq_ignore_ascii_case(w));
            let mut tried = vec![String::new(), "x".repeat(40), "é".into()];
            for w in words.words() {
                tried.push(w.to_string());
                tried.push(w.to_uppercase());
                tried.push(format!("{w}s"));
                tried.push(format!("_{w}"));
                tried.push(w[1..].to_string());
                tried.push(format!("q{}", &w[1..]));
            }
            for w in &tried {
                assert_eq!(words.contains(w), by_search(w), "{}: {w:?}", d.name());
            }
        }
    }

    /// `needs_quoting` as the rule reads: a name needs quotes unless it
    /// starts with an ASCII letter or `_`, goes on with ASCII letters,
    /// digits, `_` and `$`, has no upper case where the server folds, and
    /// is not reserved. Tried on every name of one to three bytes drawn
    /// from a set of bytes of each kind.
    #[test]
    fn needs_quoting_follows_the_rule() {
        let rule = |d: &dyn Dialect, name: &str| {
            let b = name.as_bytes();
            let start = b
                .first()
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_');
            let rest = b
                .iter()
                .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'$');
            let upper = b.iter().any(u8::is_ascii_uppercase);
            !start
                || !rest
                || (upper && d.capabilities().folds_to_lower_case)
                || d.is_reserved(name)
        };
        let pool = [
            "a", "Z", "_", "$", "0", "9", " ", "\"", "-", "é", "\u{7f}", "`",
        ];
        let mut names = vec![
            String::new(),
            "select".into(),
            "SELECT".into(),
            "user_1".into(),
        ];
        for a in pool {
            names.push(a.to_string());
            for b in pool {
                names.push(format!("{a}{b}"));
                for c in pool {
                    names.push(format!("{a}{b}{c}"));
                }
            }
        }
        for d in all() {
            for n in &names {
                assert_eq!(d.needs_quoting(n), rule(d, n), "{}: {n:?}", d.name());
            }
        }
    }

    #[test]
    fn numbers_are_written_as_format_writes_them() {
        for n in [
            0,
            1,
            9,
            10,
            99,
            100,
            255,
            4_096,
            65_535,
            1_000_000,
            u32::MAX - 1,
            u32::MAX,
        ] {
            let mut out = String::from("x");
            push_number(&mut out, n);
            assert_eq!(out, format!("x{n}"));
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

    #[test]
    fn string_literals_read_the_same_under_every_server_setting() {
        let hostile = "\\'; DROP TABLE precious; --";
        // PostgreSQL: E'...' where a backslash is there, plain otherwise.
        assert_eq!(
            PostgreSql.string_literal(hostile),
            "E'\\\\''; DROP TABLE precious; --'"
        );
        assert_eq!(PostgreSql.string_literal("it's"), "'it''s'");
        for d in all() {
            let lit = d.string_literal(hostile);
            let r = d.check_sql(&format!("x = {lit}"), SqlPlace::Fragment);
            assert!(r.is_ok(), "{}: {lit}: {r:?}", d.name());
        }
    }
}
