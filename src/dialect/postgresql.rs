//! PostgreSQL 15.

use super::Dialect;
use crate::naming::{IdentifierLimit, Namespaces};
use crate::schema::Kind;

/// PostgreSQL: identifiers up to 63 bytes (NAMEDATALEN − 1).
#[derive(Clone, Copy, Debug, Default)]
pub struct PostgreSql;

impl Dialect for PostgreSql {
    fn name(&self) -> &'static str {
        "postgresql"
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
            per_table: &[Kind::PrimaryKey, Kind::ForeignKey, Kind::Unique, Kind::Check],
            default_schema: Some("public"),
        }
    }
}
