//! SQLite 3.

use super::{AutoIncrement, Capabilities, CommentStyle, Dialect, ReservedSet};
use crate::naming::{IdentifierLimit, Namespaces};
use crate::schema::Kind;

/// SQLite: no identifier limit; index names are unique per database; foreign
/// keys always inline; schemas are attached databases.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sqlite;

/// SQLite's keywords (`sqlite3_keyword_name`).
static RESERVED: &[&str] = &[
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
];

static RESERVED_SET: ReservedSet = ReservedSet::new(|| RESERVED.iter().copied().collect());

impl Dialect for Sqlite {
    fn name(&self) -> &'static str {
        "sqlite"
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
        }
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            quote: '"',
            folds_to_lower_case: false,
            alter_add_constraint: false,
            drop_foreign_key: "DROP CONSTRAINT",
            transactional_ddl: true,
            if_not_exists: true,
            inline_named_column_checks: true,
            auto_increment: AutoIncrement::IntegerRowId,
            comments: CommentStyle::SqlComment,
            schema_qualified_references: false,
            references_resolve_in_own_schema: true,
            index_schema_on_index_name: true,
            drop_index_on_table: false,
            text_keys_need_prefix: false,
            varchar_needs_length: false,
            backslash_escapes: false,
        }
    }

    fn reserved_words(&self) -> &'static [&'static str] {
        RESERVED
    }

    fn is_reserved(&self, word: &str) -> bool {
        RESERVED_SET.contains(word)
    }
}
