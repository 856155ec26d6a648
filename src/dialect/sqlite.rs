//! SQLite 3.

use super::Dialect;
use crate::naming::{IdentifierLimit, Namespaces};
use crate::schema::Kind;

/// SQLite: no identifier limit; index names are unique per database.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sqlite;

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
}
