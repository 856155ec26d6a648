//! PostgreSQL 15.

use super::DialectError;
use super::{AutoIncrement, Capabilities, CommentStyle, Dialect, Lexical, ReservedWords};
use crate::naming::{IdentifierLimit, NameCase, Namespaces};
use crate::schema::{ColumnType, DialectKind, Kind};

/// PostgreSQL: identifiers up to 63 bytes (NAMEDATALEN − 1), `SERIAL` keys,
/// `COMMENT ON` statements, names quoted only when needed.
#[derive(Clone, Copy, Debug, Default)]
pub struct PostgreSql;

/// Reserved key words (PostgreSQL 15, appendix C, and those SQLAlchemy quotes).
static RESERVED: ReservedWords = ReservedWords::new(&[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "binary",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "not",
    "notnull",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "returning",
    "right",
    "select",
    "session_user",
    "similar",
    "some",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
]);

impl Dialect for PostgreSql {
    fn kind(&self) -> DialectKind {
        DialectKind::PostgreSql
    }

    fn identifier_limit(&self) -> IdentifierLimit {
        IdentifierLimit::bytes(63)
    }

    fn namespaces(&self) -> Namespaces {
        Namespaces {
            // Primary keys and unique constraints are backed by indexes of the
            // same name, and indexes are relations like tables.
            per_schema: &[Kind::PrimaryKey, Kind::Unique, Kind::Index],
            tables_in_schema_namespace: true,
            per_table: &[
                Kind::PrimaryKey,
                Kind::ForeignKey,
                Kind::Unique,
                Kind::Check,
            ],
            default_schema: Some("public"),
            case: NameCase::Sensitive,
        }
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            quote: '"',
            folds_to_lower_case: true,
            alter_add_constraint: true,
            drop_foreign_key: "DROP CONSTRAINT",
            drop_primary_key: None,
            transactional_ddl: true,
            if_not_exists: true,
            inline_named_column_checks: true,
            auto_increment: AutoIncrement::SerialTypes,
            comments: CommentStyle::Statements,
            schema_qualified_references: true,
            references_resolve_in_own_schema: false,
            index_schema_on_index_name: false,
            drop_index_on_table: false,
            expression_indexes: true,
            partial_indexes: true,
            text_keys_need_prefix: false,
            varchar_needs_length: false,
            backslash_escapes: false,
            schemas_are_files: false,
            checks_on_auto_increment: true,
            enum_types: true,
            lexical: Lexical::POSTGRESQL,
        }
    }

    /// `'text'`, or `E'text'` with each backslash doubled when the text
    /// holds one: a backslash in `'...'` is an escape on a database with
    /// `standard_conforming_strings = off` (`'\'; DROP TABLE x; --'` would
    /// end the string early there), while `E'...'` reads the same under
    /// either setting.
    fn push_string_literal(&self, out: &mut String, text: &str) {
        let backslash = text.contains('\\');
        if backslash {
            out.push('E');
        }
        super::push_quoted_literal(out, text, backslash);
    }

    fn reserved_words(&self) -> &'static ReservedWords {
        &RESERVED
    }

    fn parse_type(&self, text: &str) -> ColumnType {
        parse_type(text)
    }

    fn push_type_sql(&self, out: &mut String, ty: &ColumnType) -> Result<(), DialectError> {
        out.push_str(match ty {
            ColumnType::Blob => "BYTEA",
            ColumnType::Uuid => "UUID",
            ColumnType::Timestamp => "TIMESTAMP WITHOUT TIME ZONE",
            ColumnType::Enum(e) => {
                // Its type, in its table's schema, named when the column
                // was attached (a column never attached has no name for
                // it yet, and says `enum`).
                let name = e.name().unwrap_or("enum");
                self.push_qualified(out, e.schema(), name);
                return Ok(());
            }
            other => return super::default_push_type_sql(self, out, other),
        });
        Ok(())
    }
}

// Reading types back (`Dialect::parse_type`).

/// PostgreSQL's spelling of a type, read back: what [`PostgreSql`] writes
/// and what `format_type` and `information_schema` report for it
/// (`character varying(40)`, `int4`, `double precision`, `timestamp without
/// time zone`, ...). Nothing is lossy: each portable type has one
/// PostgreSQL type. `real`, `timestamp with time zone`, `jsonb` and types
/// with a precision (`timestamp(3)`) are other types.
fn parse_type(text: &str) -> ColumnType {
    use ColumnType as T;
    super::parse_type_with(text, |name, args| {
        Some(match (name, args) {
            ("integer" | "int" | "int4", []) => T::Integer,
            ("bigint" | "int8", []) => T::BigInt,
            ("smallint" | "int2", []) => T::SmallInt,
            ("character varying" | "varchar", []) => T::Varchar(None),
            ("character varying" | "varchar", &[n]) => T::Varchar(Some(n)),
            ("text", []) => T::Text,
            ("boolean" | "bool", []) => T::Boolean,
            ("numeric" | "decimal", args) => super::numeric(args)?,
            ("double precision" | "float8" | "float", []) => T::Float,
            ("date", []) => T::Date,
            ("timestamp without time zone" | "timestamp", []) => T::Timestamp,
            ("bytea", []) => T::Blob,
            ("uuid", []) => T::Uuid,
            ("json", []) => T::Json,
            _ => return None,
        })
    })
}
