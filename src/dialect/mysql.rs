//! MySQL 8 and MariaDB 10.11.

use super::DialectError;
use super::{AutoIncrement, Capabilities, CommentStyle, Dialect, Lexical, ReservedWords};
use crate::naming::{IdentifierChars, IdentifierLimit, NameCase, Namespaces};
use crate::schema::{ColumnType, DialectKind, Kind, ReferentialAction, TableRef};
use crate::sql::ColumnDef;

/// MySQL and MariaDB: identifiers up to 64 characters, backtick quoting,
/// `AUTO_INCREMENT`, inline `COMMENT`, schemas are databases.
#[derive(Clone, Copy, Debug, Default)]
pub struct MySql;

/// Reserved words of MySQL 8.0 (and MariaDB 10.11).
static RESERVED: ReservedWords = ReservedWords::new(&[
    "accessible",
    "add",
    "all",
    "alter",
    "analyze",
    "and",
    "as",
    "asc",
    "asensitive",
    "before",
    "between",
    "bigint",
    "binary",
    "blob",
    "both",
    "by",
    "call",
    "cascade",
    "case",
    "change",
    "char",
    "character",
    "check",
    "collate",
    "column",
    "condition",
    "constraint",
    "continue",
    "convert",
    "create",
    "cross",
    "cube",
    "cume_dist",
    "current_date",
    "current_role",
    "current_time",
    "current_timestamp",
    "current_user",
    "cursor",
    "database",
    "databases",
    "day_hour",
    "day_microsecond",
    "day_minute",
    "day_second",
    "dec",
    "decimal",
    "declare",
    "default",
    "delayed",
    "delete",
    "dense_rank",
    "desc",
    "describe",
    "deterministic",
    "distinct",
    "distinctrow",
    "div",
    "double",
    "drop",
    "dual",
    "each",
    "else",
    "elseif",
    "empty",
    "enclosed",
    "escaped",
    "except",
    "exists",
    "exit",
    "explain",
    "false",
    "fetch",
    "first_value",
    "float",
    "float4",
    "float8",
    "for",
    "force",
    "foreign",
    "from",
    "fulltext",
    "function",
    "generated",
    "get",
    "grant",
    "group",
    "grouping",
    "groups",
    "having",
    "high_priority",
    "hour_microsecond",
    "hour_minute",
    "hour_second",
    "if",
    "ignore",
    "in",
    "index",
    "infile",
    "inner",
    "inout",
    "insensitive",
    "insert",
    "int",
    "int1",
    "int2",
    "int3",
    "int4",
    "int8",
    "integer",
    "intersect",
    "interval",
    "into",
    "io_after_gtids",
    "io_before_gtids",
    "is",
    "iterate",
    "join",
    "json_table",
    "key",
    "keys",
    "kill",
    "lag",
    "last_value",
    "lateral",
    "lead",
    "leading",
    "leave",
    "left",
    "like",
    "limit",
    "linear",
    "lines",
    "load",
    "localtime",
    "localtimestamp",
    "lock",
    "long",
    "longblob",
    "longtext",
    "loop",
    "low_priority",
    "master_bind",
    "master_ssl_verify_server_cert",
    "match",
    "maxvalue",
    "mediumblob",
    "mediumint",
    "mediumtext",
    "middleint",
    "minute_microsecond",
    "minute_second",
    "mod",
    "modifies",
    "natural",
    "no_write_to_binlog",
    "not",
    "nth_value",
    "ntile",
    "null",
    "numeric",
    "of",
    "offset",
    "on",
    "optimize",
    "optimizer_costs",
    "option",
    "optionally",
    "or",
    "order",
    "out",
    "outer",
    "outfile",
    "over",
    "partition",
    "percent_rank",
    "precision",
    "primary",
    "procedure",
    "purge",
    "range",
    "rank",
    "read",
    "read_write",
    "reads",
    "real",
    "recursive",
    "references",
    "regexp",
    "release",
    "rename",
    "repeat",
    "replace",
    "require",
    "resignal",
    "restrict",
    "return",
    "returning",
    "revoke",
    "right",
    "rlike",
    "row",
    "row_number",
    "rows",
    "schema",
    "schemas",
    "second_microsecond",
    "select",
    "sensitive",
    "separator",
    "set",
    "show",
    "signal",
    "smallint",
    "spatial",
    "specific",
    "sql",
    "sql_big_result",
    "sql_calc_found_rows",
    "sql_small_result",
    "sqlexception",
    "sqlstate",
    "sqlwarning",
    "ssl",
    "starting",
    "stored",
    "straight_join",
    "system",
    "table",
    "terminated",
    "then",
    "tinyblob",
    "tinyint",
    "tinytext",
    "to",
    "trailing",
    "trigger",
    "true",
    "undo",
    "union",
    "unique",
    "unlock",
    "unsigned",
    "update",
    "usage",
    "use",
    "using",
    "utc_date",
    "utc_time",
    "utc_timestamp",
    "values",
    "varbinary",
    "varchar",
    "varcharacter",
    "varying",
    "virtual",
    "when",
    "where",
    "while",
    "window",
    "with",
    "write",
    "xor",
    "year_month",
    "zerofill",
]);

/// The statements MySQL and MariaDB write alike, as methods of
/// [`Dialect`]: expanded in both `impl`s.
macro_rules! mysql_alter_statements {
    () => {
        /// `ALTER TABLE table MODIFY COLUMN <the column as it is to be>`:
        /// MySQL restates the whole column.
        fn write_alter_column(
            &self,
            table: &TableRef,
            _from: &ColumnDef,
            to: &ColumnDef,
            out: &mut String,
        ) -> Result<(), DialectError> {
            out.push_str("ALTER TABLE ");
            self.push_table(out, table);
            out.push_str(" MODIFY COLUMN ");
            self.write_column(to, out)
        }

        /// `ALTER TABLE from RENAME TO schema.to`, qualified: unqualified,
        /// the table would move to the session's database.
        fn write_rename_table(
            &self,
            from: &TableRef,
            to: &str,
            out: &mut String,
        ) -> Result<(), DialectError> {
            out.push_str("ALTER TABLE ");
            self.push_table(out, from);
            out.push_str(" RENAME TO ");
            self.push_qualified(out, from.schema.as_deref(), to);
            Ok(())
        }

        /// A unique key renamed with `RENAME INDEX`; any other kind is an
        /// error ([`Dialect::can_rename_constraint`]).
        fn write_rename_constraint(
            &self,
            table: &TableRef,
            kind: Kind,
            from: &str,
            to: &str,
            out: &mut String,
        ) -> Result<(), DialectError> {
            if !self.can_rename_constraint(kind) {
                return Err(self.unsupported(format!(
                    "cannot rename {} \"{from}\" of table \"{table}\": drop it and add it again",
                    kind.describe()
                )));
            }
            self.write_rename_index(table, from, to, out)
        }

        /// `ALTER TABLE table RENAME INDEX from TO to`.
        fn write_rename_index(
            &self,
            table: &TableRef,
            from: &str,
            to: &str,
            out: &mut String,
        ) -> Result<(), DialectError> {
            super::push_alter_table_rename(self, table, "INDEX", from, to, out);
            Ok(())
        }

        /// Only a unique key, with `RENAME INDEX`; the primary key is always
        /// `PRIMARY`, and foreign keys and checks cannot be renamed.
        fn can_rename_constraint(&self, kind: Kind) -> bool {
            kind == Kind::Unique
        }
    };
}

impl Dialect for MySql {
    fn kind(&self) -> DialectKind {
        DialectKind::MySql
    }

    fn action_refusing_checks(
        &self,
        on_delete: Option<ReferentialAction>,
        on_update: Option<ReferentialAction>,
    ) -> Option<String> {
        use ReferentialAction::{Cascade, SetDefault, SetNull};
        let changes =
            |a: Option<ReferentialAction>| matches!(a, Some(Cascade | SetNull | SetDefault));
        refused_action(on_delete, on_update, changes, changes)
    }

    fn identifier_limit(&self) -> IdentifierLimit {
        IdentifierLimit::chars(64)
    }

    fn namespaces(&self) -> Namespaces {
        Namespaces {
            // Unique constraints are indexes; the primary key is always `PRIMARY`.
            per_schema: &[Kind::ForeignKey],
            tables_in_schema_namespace: false,
            per_table: &[Kind::Unique, Kind::Index],
            default_schema: None,
            case: NameCase::Insensitive,
        }
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            quote: '`',
            folds_to_lower_case: false,
            alter_add_constraint: true,
            drop_foreign_key: "DROP FOREIGN KEY",
            drop_primary_key: Some("DROP PRIMARY KEY"),
            transactional_ddl: false,
            if_not_exists: true,
            // MariaDB rejects `CONSTRAINT name` inside a column definition.
            inline_named_column_checks: false,
            auto_increment: AutoIncrement::Keyword("AUTO_INCREMENT"),
            comments: CommentStyle::Inline,
            schema_qualified_references: true,
            references_resolve_in_own_schema: true,
            index_schema_on_index_name: false,
            drop_index_on_table: true,
            // Functional key parts, MySQL 8.0.13 and later; no partial indexes.
            expression_indexes: true,
            partial_indexes: false,
            text_keys_need_prefix: true,
            varchar_needs_length: true,
            backslash_escapes: true,
            schemas_are_files: false,
            // MySQL 8 refuses it with error 3818, MariaDB with error 1901.
            checks_on_auto_increment: false,
            enum_types: false,
            lexical: Lexical::MYSQL,
        }
    }

    fn reserved_words(&self) -> &'static ReservedWords {
        &RESERVED
    }

    fn identifier_chars(&self) -> IdentifierChars {
        IdentifierChars::BmpWithoutTrailingSpace
    }

    fn parse_type(&self, text: &str) -> ColumnType {
        parse_type(text)
    }

    fn push_type_sql(&self, out: &mut String, ty: &ColumnType) -> Result<(), DialectError> {
        out.push_str(match ty {
            ColumnType::Boolean => "BOOL",
            // TIMESTAMP would add automatic defaults and end in 2038.
            ColumnType::Timestamp => "DATETIME",
            ColumnType::Enum(e) => {
                out.push_str("ENUM");
                self.push_literal_list(out, e.values());
                return Ok(());
            }
            other => return super::default_push_type_sql(self, out, other),
        });
        Ok(())
    }

    mysql_alter_statements!();
}

/// MariaDB: written as [`MySql`] is (the two differ in what they name
/// themselves and in a few statements, which this dialect overrides as
/// they are needed), with its own [`DialectKind`].
#[derive(Clone, Copy, Debug, Default)]
pub struct MariaDb;

impl Dialect for MariaDb {
    fn kind(&self) -> DialectKind {
        DialectKind::MariaDb
    }

    fn action_refusing_checks(
        &self,
        on_delete: Option<ReferentialAction>,
        on_update: Option<ReferentialAction>,
    ) -> Option<String> {
        use ReferentialAction::{Cascade, SetDefault, SetNull};
        refused_action(
            on_delete,
            on_update,
            |a| matches!(a, Some(SetNull | SetDefault)),
            |a| matches!(a, Some(Cascade | SetNull | SetDefault)),
        )
    }

    fn identifier_limit(&self) -> IdentifierLimit {
        MySql.identifier_limit()
    }

    fn namespaces(&self) -> Namespaces {
        MySql.namespaces()
    }

    /// MySQL's, but for indexes: MariaDB has neither expression key parts
    /// (it indexes virtual columns instead) nor partial indexes.
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            expression_indexes: false,
            ..MySql.capabilities()
        }
    }

    fn reserved_words(&self) -> &'static ReservedWords {
        MySql.reserved_words()
    }

    fn identifier_chars(&self) -> IdentifierChars {
        MySql.identifier_chars()
    }

    fn push_type_sql(&self, out: &mut String, ty: &ColumnType) -> Result<(), DialectError> {
        MySql.push_type_sql(out, ty)
    }

    fn parse_type(&self, text: &str) -> ColumnType {
        parse_type(text)
    }

    fn parse_checked_type(&self, text: &str, column: &str, check: &str) -> Option<ColumnType> {
        parse_checked_type(text, column, check)
    }

    mysql_alter_statements!();
}

// Reading types back (`Dialect::parse_type`).

/// MySQL's and MariaDB's spelling of a type, read back: what [`MySql`]
/// writes and what `information_schema.COLUMNS.COLUMN_TYPE` reports for it
/// (`int(11)`, `tinyint(1)`, `decimal(10,2)`, `datetime`, ...). Display
/// widths of integer types are ignored.
///
/// Lossy, because the server has no type of its own for them: `tinyint(1)`
/// reads as boolean (`BOOL` is stored as it), `char(32)` as uuid (the
/// spelling of uuid here), `longtext` and `longblob` as text and blob, and
/// `double` as float. `NUMERIC` without precision is stored as
/// `decimal(10,0)` and reads back so. `timestamp` (which MySQL updates by
/// itself) and unsigned types are other types.
fn parse_type(text: &str) -> ColumnType {
    use ColumnType as T;
    super::parse_type_with(text, |name, args| {
        let width = args.len() <= 1;
        Some(match (name, args) {
            ("int" | "integer", _) if width => T::Integer,
            ("bigint", _) if width => T::BigInt,
            ("smallint", _) if width => T::SmallInt,
            ("tinyint", [1]) | ("bool" | "boolean", []) => T::Boolean,
            ("varchar", []) => T::Varchar(None),
            ("varchar", &[n]) => T::Varchar(Some(n)),
            ("text" | "longtext", []) => T::Text,
            ("decimal" | "numeric", args) => super::numeric(args)?,
            ("float" | "double" | "double precision", []) => T::Float,
            ("date", []) => T::Date,
            ("datetime", []) => T::Timestamp,
            ("blob" | "longblob", []) => T::Blob,
            ("char", [32]) => T::Uuid,
            ("json", []) => T::Json,
            _ => return None,
        })
    })
}

/// MariaDB's `JSON`: `longtext` (in `utf8mb4_bin`, which reflect writes
/// where it is not the database's default collation) with the check
/// `json_valid(<column>)`.
fn parse_checked_type(text: &str, column: &str, check: &str) -> Option<ColumnType> {
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let longtext = words.eq_ignore_ascii_case("longtext")
        || words.eq_ignore_ascii_case("longtext collate utf8mb4_bin");
    (longtext && is_json_valid(check, column)).then_some(ColumnType::Json)
}

/// Whether `check` is `json_valid(column)`, the column quoted or not, in
/// any case and spacing, in parentheses or not.
fn is_json_valid(check: &str, column: &str) -> bool {
    let mut c = check.trim();
    while let Some(inner) = c.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        c = inner.trim();
    }
    let Some(open) = c.find('(') else {
        return false;
    };
    let (function, rest) = c.split_at(open);
    if !function.trim_end().eq_ignore_ascii_case("json_valid") {
        return false;
    }
    let Some(arg) = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .map(str::trim)
    else {
        return false;
    };
    match arg.strip_prefix('`').and_then(|a| a.strip_suffix('`')) {
        Some(quoted) => quoted.replace("``", "`") == column,
        None => arg == column,
    }
}

/// `ON DELETE <a>` or `ON UPDATE <a>`, the first of the two actions that
/// `delete` or `update` says the server refuses a check under.
fn refused_action(
    on_delete: Option<ReferentialAction>,
    on_update: Option<ReferentialAction>,
    delete: impl Fn(Option<ReferentialAction>) -> bool,
    update: impl Fn(Option<ReferentialAction>) -> bool,
) -> Option<String> {
    match (on_delete, on_update) {
        (Some(a), _) if delete(Some(a)) => Some(format!("ON DELETE {}", a.sql())),
        (_, Some(a)) if update(Some(a)) => Some(format!("ON UPDATE {}", a.sql())),
        _ => None,
    }
}
