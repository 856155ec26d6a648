//! SQLite 3.

use super::DialectError;
use super::{AutoIncrement, Capabilities, CommentStyle, Dialect, Lexical, ReservedWords};
use crate::naming::{IdentifierLimit, NameCase, Namespaces};
use crate::schema::{ColumnType, DialectKind, Kind, TableRef};
use crate::sql::ColumnDef;

/// SQLite: no identifier limit; index names are unique per database; foreign
/// keys always inline; schemas are attached databases.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sqlite;

/// SQLite's keywords (`sqlite3_keyword_name`).
static RESERVED: ReservedWords = ReservedWords::new(&[
    "abort",
    "action",
    "add",
    "after",
    "all",
    "alter",
    "always",
    "analyze",
    "and",
    "as",
    "asc",
    "attach",
    "autoincrement",
    "before",
    "begin",
    "between",
    "by",
    "cascade",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "commit",
    "conflict",
    "constraint",
    "create",
    "cross",
    "current",
    "current_date",
    "current_time",
    "current_timestamp",
    "database",
    "default",
    "deferrable",
    "deferred",
    "delete",
    "desc",
    "detach",
    "distinct",
    "do",
    "drop",
    "each",
    "else",
    "end",
    "escape",
    "except",
    "exclude",
    "exclusive",
    "exists",
    "explain",
    "fail",
    "filter",
    "first",
    "following",
    "for",
    "foreign",
    "from",
    "full",
    "generated",
    "glob",
    "group",
    "groups",
    "having",
    "if",
    "ignore",
    "immediate",
    "in",
    "index",
    "indexed",
    "initially",
    "inner",
    "insert",
    "instead",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "key",
    "last",
    "left",
    "like",
    "limit",
    "match",
    "materialized",
    "natural",
    "no",
    "not",
    "nothing",
    "notnull",
    "null",
    "nulls",
    "of",
    "offset",
    "on",
    "or",
    "order",
    "others",
    "outer",
    "over",
    "partition",
    "plan",
    "pragma",
    "preceding",
    "primary",
    "query",
    "raise",
    "range",
    "recursive",
    "references",
    "regexp",
    "reindex",
    "release",
    "rename",
    "replace",
    "restrict",
    "returning",
    "right",
    "rollback",
    "row",
    "rows",
    "savepoint",
    "select",
    "set",
    "table",
    "temp",
    "temporary",
    "then",
    "ties",
    "to",
    "transaction",
    "trigger",
    "unbounded",
    "union",
    "unique",
    "update",
    "using",
    "vacuum",
    "values",
    "view",
    "virtual",
    "when",
    "where",
    "window",
    "with",
    "without",
]);

impl Dialect for Sqlite {
    fn write_alter_column(
        &self,
        table: &TableRef,
        _from: &ColumnDef,
        to: &ColumnDef,
        _out: &mut String,
    ) -> Result<(), DialectError> {
        Err(self.unsupported(format!(
            "cannot alter column \"{}\" of table \"{table}\" with ALTER TABLE; rebuild the table",
            to.name
        )))
    }

    fn write_rename_constraint(
        &self,
        table: &TableRef,
        kind: Kind,
        from: &str,
        _to: &str,
        _out: &mut String,
    ) -> Result<(), DialectError> {
        Err(self.unsupported(format!(
            "cannot rename {} \"{from}\" of table \"{table}\"; rebuild the table",
            kind.describe()
        )))
    }

    fn write_rename_index(
        &self,
        _table: &TableRef,
        from: &str,
        _to: &str,
        _out: &mut String,
    ) -> Result<(), DialectError> {
        Err(self.unsupported(format!(
            "cannot rename index \"{from}\"; drop it and create it again"
        )))
    }

    fn can_rename_constraint(&self, _kind: Kind) -> bool {
        false
    }

    fn can_rename_index(&self) -> bool {
        false
    }

    fn can_alter_column(&self) -> bool {
        false
    }

    fn kind(&self) -> DialectKind {
        DialectKind::Sqlite
    }

    fn identifier_limit(&self) -> IdentifierLimit {
        IdentifierLimit::NONE
    }

    fn namespaces(&self) -> Namespaces {
        Namespaces {
            per_schema: &[Kind::Index],
            tables_in_schema_namespace: true,
            per_table: &[],
            default_schema: Some("main"),
            case: NameCase::AsciiInsensitive,
        }
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            quote: '"',
            folds_to_lower_case: false,
            alter_add_constraint: false,
            drop_foreign_key: "DROP CONSTRAINT",
            drop_primary_key: None,
            transactional_ddl: true,
            if_not_exists: true,
            inline_named_column_checks: true,
            auto_increment: AutoIncrement::IntegerRowId,
            comments: CommentStyle::SqlComment,
            schema_qualified_references: false,
            references_resolve_in_own_schema: true,
            index_schema_on_index_name: true,
            drop_index_on_table: false,
            expression_indexes: true,
            partial_indexes: true,
            text_keys_need_prefix: false,
            varchar_needs_length: false,
            backslash_escapes: false,
            schemas_are_files: true,
            checks_on_auto_increment: true,
            enum_types: false,
            lexical: Lexical::SQLITE,
        }
    }

    fn reserved_words(&self) -> &'static ReservedWords {
        &RESERVED
    }

    fn parse_type(&self, text: &str) -> ColumnType {
        parse_type(text)
    }
}

// Reading types back (`Dialect::parse_type`).

/// SQLite's declared type of a column, read back. SQLite keeps the type
/// text of `CREATE TABLE` as written (`PRAGMA table_info`), and [`Sqlite`]
/// writes the default spelling, so the default reading applies
/// ([`default_parse_type`](super::default_parse_type)), `CHAR(32)` as uuid
/// included.
///
/// Lossy: an auto-increment primary key of any integer type is written
/// `INTEGER` (to alias the row id) and reads back as integer. A declared
/// type says nothing of what is stored: SQLite has no boolean, date or
/// uuid storage, and `BOOLEAN` reads back as boolean only because the
/// declaration says so.
fn parse_type(text: &str) -> ColumnType {
    super::default_parse_type(text)
}
