//! The driver interface: one implementation per database.

use std::collections::HashSet;
use std::fmt;
use std::time::Duration;

use crate::dialect::Dialect;

/// An error reported by the database for one statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DbError {
    /// The server's message.
    pub message: String,
    /// The SQLSTATE or error code, where the driver gives one.
    pub code: Option<String>,
    /// Whether the statement gave up waiting for a lock (PostgreSQL 55P03,
    /// MySQL 1205, SQLite busy).
    pub lock_timeout: bool,
}

impl DbError {
    pub(crate) fn msg(message: impl Into<String>) -> Self {
        DbError {
            message: message.into(),
            code: None,
            lock_timeout: false,
        }
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(c) => write!(f, "{} ({c})", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for DbError {}

/// Another session that holds a lock a statement waited for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Blocker {
    /// The server process (PostgreSQL) or connection (MySQL) id.
    pub pid: u64,
    /// The user it is logged in as.
    pub user: Option<String>,
    /// Its `application_name` (PostgreSQL) or host (MySQL).
    pub application: Option<String>,
    /// Its state, e.g. `idle in transaction`.
    pub state: Option<String>,
    /// Since when it is in that state / in its transaction, as the server prints it.
    pub since: Option<String>,
    /// The last or current query it sent.
    pub query: Option<String>,
}

impl fmt::Display for Blocker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pid {}", self.pid)?;
        if let Some(u) = &self.user {
            write!(f, ", user {u:?}")?;
        }
        if let Some(a) = self.application.as_deref().filter(|a| !a.is_empty()) {
            write!(f, ", application {a:?}")?;
        }
        if let Some(s) = &self.state {
            write!(f, ", {s}")?;
        }
        if let Some(s) = &self.since {
            write!(f, " since {s}")?;
        }
        if let Some(q) = self.query.as_deref().filter(|q| !q.is_empty()) {
            let q: String = q.split_whitespace().collect::<Vec<_>>().join(" ");
            let q = if q.chars().count() > 200 {
                format!("{}...", q.chars().take(200).collect::<String>())
            } else {
                q
            };
            write!(f, ", last query: {q}")?;
        }
        Ok(())
    }
}

/// Rows of text values, as the catalog look-ups and tests read them.
pub type Rows = Vec<Vec<Option<String>>>;

/// What the catalog holds for one table: its indexes and named constraints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct TableObjects {
    /// The names of its indexes and constraints, in lower case (names
    /// that differ only in case are not told apart).
    names: HashSet<String>,
    /// Whether it has a primary key (whatever its name).
    pub primary_key: bool,
}

impl TableObjects {
    /// Records an index or constraint name.
    pub fn add(&mut self, name: &str) {
        self.names.insert(name.to_lowercase());
    }

    /// Whether an index or constraint of this name is there.
    pub fn has(&self, name: &str) -> bool {
        self.names.contains(&name.to_lowercase())
    }
}

/// One open connection of a driver.
pub(crate) trait Session: Send {
    /// The dialect the database speaks.
    fn dialect(&self) -> &'static dyn Dialect;
    /// Whether DDL runs inside transactions (and so can be rolled back).
    fn transactional_ddl(&self) -> bool;
    /// Runs SQL text: one statement, or a `;`-separated batch where the
    /// driver allows (nomenclator's own `BEGIN`, `SET`, ..., and
    /// [`Connection::execute`](super::Connection::execute)).
    fn execute(&mut self, sql: &str) -> Result<(), DbError>;
    /// Runs exactly one statement of a plan, through the driver's path that
    /// refuses several (PostgreSQL's extended protocol, an SQLite prepared
    /// statement, a MySQL prepared statement where the server can prepare
    /// it); rows it returns are read and dropped.
    fn execute_one(&mut self, sql: &str) -> Result<(), DbError>;
    /// Runs a query and returns its rows as text.
    fn query(&mut self, sql: &str) -> Result<Rows, DbError>;
    /// Starts a transaction.
    fn begin(&mut self) -> Result<(), DbError>;
    /// Commits the transaction.
    fn commit(&mut self) -> Result<(), DbError>;
    /// Rolls the transaction back.
    fn rollback(&mut self) -> Result<(), DbError>;
    /// Limits how long each following statement waits for a lock (inside the transaction where possible).
    fn set_lock_timeout(&mut self, timeout: Duration) -> Result<(), DbError>;
    /// Makes the schemas usable where the database needs it (SQLite attaches a file per schema).
    fn prepare_schemas(&mut self, schemas: &[String]) -> Result<(), DbError>;
    /// Whether a table or view with this name exists in this schema (or the default one).
    fn relation_exists(&mut self, schema: Option<&str>, name: &str) -> Result<bool, DbError>;
    /// The indexes and constraints of an existing table, as the catalog names them.
    fn table_objects(&mut self, schema: Option<&str>, table: &str)
        -> Result<TableObjects, DbError>;
    /// The server's id for this connection, where it has one.
    fn backend_pid(&mut self) -> Option<u64>;
    /// The sessions holding the locks the last statement waited for, looked up
    /// on another connection. `tables` are the tables the run touches, as `(schema, name)`.
    fn blockers(&mut self, tables: &[(Option<String>, String)]) -> Vec<Blocker>;
}
