//! What can go wrong while a catalog is read.

use crate::engine::DbError;

/// An error while reading a database's catalog.
#[derive(Debug, thiserror::Error)]
pub enum ReflectError {
    /// A catalog query failed.
    #[error("reading {what} from the catalog failed: {source}")]
    Query {
        /// What was being read.
        what: &'static str,
        /// The server's error.
        source: DbError,
    },
    /// A catalog query waited longer than the lock timeout for a lock
    /// another session holds (a table locked for a migration, say).
    #[error("{}", crate::engine::lock_message(&format!("(reading {what} from the catalog)"), *waited, blockers, true, &[]))]
    LockTimeout {
        /// What was being read.
        what: &'static str,
        /// The lock timeout.
        waited: std::time::Duration,
        /// The sessions holding the lock, as far as the server tells.
        blockers: Vec<crate::engine::Blocker>,
    },
    /// A schema that was asked for does not exist.
    #[error("schema \"{schema}\" does not exist in the database{}", available_list(.available))]
    NoSchema {
        /// The schema asked for.
        schema: String,
        /// The schemas there are.
        available: Vec<String>,
    },
    /// The catalog answered with something this reader did not expect.
    #[error("the catalog's answer for {what} could not be read: {detail}")]
    Unexpected {
        /// What was being read.
        what: &'static str,
        /// What was wrong with it.
        detail: String,
    },
    /// The database could not be reached.
    #[error("{0}")]
    Connect(crate::engine::EngineError),
    /// The connection's database kind has no reader in this build.
    #[error("reflecting a {0} database needs the `{0}` feature of nomenclator")]
    Unsupported(&'static str),
}

fn available_list(available: &[String]) -> String {
    if available.is_empty() {
        String::new()
    } else {
        format!(" (there are: {})", available.join(", "))
    }
}

/// Wraps a driver error with what was being read.
pub(crate) fn query_err(what: &'static str) -> impl FnOnce(DbError) -> ReflectError {
    move |source| ReflectError::Query { what, source }
}
