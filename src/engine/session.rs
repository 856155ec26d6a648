//! The driver interface: one implementation per database.

use std::collections::HashSet;
use std::fmt;
use std::time::Duration;

use crate::dialect::Dialect;

/// An error reported by the database (or its driver) for one statement.
///
/// Displayed as the message, the code in parentheses, then the server's
/// detail and hint on lines of their own:
///
/// ```text
/// out of shared memory (53200)
///   hint: You might need to increase max_locks_per_transaction.
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DbError {
    /// The server's message.
    pub message: String,
    /// The SQLSTATE or error code, where the driver gives one.
    pub code: Option<String>,
    /// The server's detail (PostgreSQL's `DETAIL`), where it gives one.
    pub detail: Option<String>,
    /// The server's hint on what to do (PostgreSQL's `HINT`), where it gives one.
    pub hint: Option<String>,
    /// Whether the statement gave up waiting for a lock (PostgreSQL 55P03,
    /// MySQL 1205, SQLite busy).
    pub lock_timeout: bool,
    /// The wait that ran out when the server did not answer in time
    /// ([`RunOptions::connect_timeout`](super::RunOptions::connect_timeout),
    /// [`RunOptions::statement_timeout`](super::RunOptions::statement_timeout));
    /// the connection is then closed.
    pub timed_out: Option<Wait>,
}

impl DbError {
    pub(crate) fn msg(message: impl Into<String>) -> Self {
        DbError {
            message: message.into(),
            code: None,
            detail: None,
            hint: None,
            lock_timeout: false,
            timed_out: None,
        }
    }

    /// An error for a wait that ran out after `after`.
    #[cfg_attr(
        not(any(feature = "sqlite", feature = "postgres", feature = "mysql")),
        allow(dead_code)
    )]
    pub(crate) fn timeout(wait: Wait, after: Duration) -> Self {
        DbError {
            timed_out: Some(wait),
            ..DbError::msg(format!(
                "{} within {} ({})",
                wait.missing(),
                humantime::format_duration(after),
                wait.option()
            ))
        }
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(c) = &self.code {
            write!(f, " ({c})")?;
        }
        if let Some(d) = self.detail.as_deref().filter(|d| !d.is_empty()) {
            write!(f, "\n  detail: {d}")?;
        }
        if let Some(h) = self.hint.as_deref().filter(|h| !h.is_empty()) {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// A wait on the server that the engine bounds, and which one ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Wait {
    /// Opening the network connection (bounded by
    /// [`RunOptions::connect_timeout`](super::RunOptions::connect_timeout)).
    Connect,
    /// The server's greeting and the login, once the connection is open
    /// (bounded by `connect_timeout` too).
    Login,
    /// The answer to a statement of the plan (bounded by
    /// [`RunOptions::answer_bound`](super::RunOptions::answer_bound): the
    /// lock timeout, then the statement timeout).
    Statement,
    /// The answer to anything else the engine sends: a catalog query,
    /// `BEGIN`, `COMMIT`, `SET` (bounded by `answer_bound` too).
    Query,
}

impl Wait {
    /// What did not happen, for messages.
    #[cfg_attr(
        not(any(feature = "sqlite", feature = "postgres", feature = "mysql")),
        allow(dead_code)
    )]
    fn missing(self) -> &'static str {
        match self {
            Wait::Connect => "no connection",
            Wait::Login => "the server accepted the connection but did not finish the login",
            Wait::Statement => "no answer to the statement",
            Wait::Query => "no answer",
        }
    }

    /// The options that bound this wait.
    pub(crate) fn option(self) -> &'static str {
        match self {
            Wait::Connect | Wait::Login => {
                "the connect timeout: --connect-timeout, RunOptions::connect_timeout"
            }
            Wait::Statement | Wait::Query => {
                "the lock timeout, then the statement timeout: --lock-timeout + --statement-timeout, \
                 RunOptions::answer_bound"
            }
        }
    }
}

impl fmt::Display for Wait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Wait::Connect => "connect",
            Wait::Login => "login",
            Wait::Statement => "statement",
            Wait::Query => "query",
        })
    }
}

/// How long a session waits for the server: each bound applies to one wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Timeouts {
    /// Opening the connection, then the login (each).
    pub(crate) connect: Duration,
    /// The answer to each statement or query (the lock timeout, then the
    /// statement timeout).
    pub(crate) statement: Duration,
}

impl std::error::Error for DbError {}

/// Another session that holds (or, where the server does not say, probably
/// holds) a lock a statement waited for.
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
    /// Why it is listed: what the server said it holds, or what makes it
    /// the likely holder.
    pub reason: Option<String>,
    /// Whether the server said this session holds the lock; `false` when it
    /// is inferred from what the server does show (a guess).
    pub certain: bool,
    /// The statement that ends this session on its own database
    /// (`SELECT pg_terminate_backend(4242)`, `KILL 4242`).
    pub terminate: Option<String>,
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
        if let Some(r) = self.reason.as_deref().filter(|r| !r.is_empty()) {
            write!(f, " [{r}]")?;
        }
        Ok(())
    }
}

/// The size of a server's shared lock table (PostgreSQL): how many locks
/// all transactions together may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LockCapacity {
    /// `max_locks_per_transaction`.
    pub(crate) per_transaction: u64,
    /// `max_connections`.
    pub(crate) connections: u64,
    /// `max_prepared_transactions`.
    pub(crate) prepared: u64,
}

impl LockCapacity {
    /// `max_locks_per_transaction × (max_connections + max_prepared_transactions)`.
    pub(crate) fn total(&self) -> u64 {
        self.per_transaction
            .saturating_mul(self.connections.saturating_add(self.prepared))
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
    #[cfg_attr(
        not(any(feature = "sqlite", feature = "postgres", feature = "mysql")),
        allow(dead_code)
    )]
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
    /// Makes those of the schemas that already exist readable, creating
    /// none (SQLite attaches the files that are there); for reading a
    /// catalog.
    fn open_existing_schemas(&mut self, _schemas: &[String]) -> Result<(), DbError> {
        Ok(())
    }
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
    /// The size of the server's shared lock table, where one limits how many
    /// locks a transaction may hold (PostgreSQL); `None` elsewhere.
    fn lock_capacity(&mut self) -> Result<Option<LockCapacity>, DbError> {
        Ok(None)
    }
}
