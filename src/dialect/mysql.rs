//! MySQL 8 and MariaDB 10.11.

use super::Dialect;
use crate::naming::{IdentifierLimit, Namespaces};
use crate::schema::Kind;

/// MySQL and MariaDB: identifiers up to 64 characters.
#[derive(Clone, Copy, Debug, Default)]
pub struct MySql;

impl Dialect for MySql {
    fn name(&self) -> &'static str {
        "mysql"
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
        }
    }
}
