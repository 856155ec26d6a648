//! Engines: running create/drop plans against real databases.
//!
//! An [`Engine`] is made from a URL (`sqlite://file.db`, `sqlite::memory:`,
//! `postgres://...`, `mysql://...`, or `DATABASE_URL`); its dialect follows
//! from the URL. [`Engine::create_all`] and [`Engine::drop_all`] build the
//! plan of [`crate::ddl`] and run it with the DDL events firing as the
//! statements run:
//!
//! - on PostgreSQL and SQLite, in one transaction: any error rolls back and
//!   the database is exactly as before;
//! - on MySQL/MariaDB (DDL commits statement by statement), the run stops at
//!   the first error and the error lists the statements that ran and those
//!   that would undo them ([`EngineError::Partial`]);
//! - every statement waits at most [`RunOptions::lock_timeout`] for a lock;
//!   when that expires the error names the sessions holding it
//!   ([`EngineError::LockTimeout`]). A drop through an engine that has one of
//!   its own [`Connection`]s inside a transaction fails at once
//!   ([`EngineError::OpenTransaction`]): that is the classic "drop_all hangs";
//! - a run given an [`Interrupt`] ([`RunOptions::interrupt`]) stops between
//!   two statements once it is set, and is rolled back or reported as above
//!   ([`EngineError::Interrupted`]);
//! - every wait on the server is bounded: connecting and the login by
//!   [`RunOptions::connect_timeout`], each statement and catalog query by
//!   [`RunOptions::statement_timeout`] after the lock timeout
//!   ([`RunOptions::answer_bound`]); a server (or a pooler) that accepts
//!   the connection and never answers fails the run with
//!   [`EngineError::Timeout`], saying which wait ran out ([`Wait`]);
//! - on PostgreSQL, a plan that needs more locks than the server's lock
//!   table holds in one transaction is refused before anything runs
//!   ([`EngineError::TooManyLocks`]), naming the setting to raise.
//!
//! Each driver is behind its cargo feature (`sqlite`, `postgres`, `mysql`);
//! a URL whose driver is not compiled in is an [`EngineError::DriverMissing`].
//!
//! ```
//! # #[cfg(feature = "sqlite")] {
//! use nomenclator::engine::{Engine, RunOptions};
//! use nomenclator::{Column, MetaData, Table};
//!
//! let engine = Engine::from_url("sqlite::memory:")?;
//! let mut md = MetaData::new();
//! md.add_table(Table::new("account").column(Column::new("id", "integer").primary_key()))?;
//! let report = engine.create_all(&mut md, &RunOptions::default())?;
//! assert_eq!(report.created_tables().len(), 1);
//! engine.drop_all(&mut md, &RunOptions::default())?;
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
mod run;
mod session;
#[cfg(feature = "sqlite")]
mod sqlite;
mod url;

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub use run::{Executed, Interrupt, Progress, RunOptions, RunReport};
pub use session::{Blocker, DbError, Rows, Wait};
pub use url::{is_credential, DbUrl};

use crate::dialect::Dialect;
use crate::schema::TableRef;
use crate::sql::ConstraintDef;
use session::{Session, Timeouts};

/// Why an engine could not connect or a run failed.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The URL cannot be used.
    #[error("database URL {url}: {reason}")]
    Url {
        /// The URL, password hidden.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The URL needs a driver this build does not include.
    #[error(
        "{url}: this build has no {driver} driver; rebuild with the cargo feature `{feature}`"
    )]
    DriverMissing {
        /// The URL, password hidden.
        url: String,
        /// The database.
        driver: &'static str,
        /// The cargo feature that adds it.
        feature: &'static str,
    },
    /// Neither a URL nor `DATABASE_URL` was given.
    #[error("no database: give a URL or set DATABASE_URL")]
    NoUrl,
    /// The database cannot be reached.
    #[error("cannot connect to {url}: {source}")]
    Connect {
        /// The URL, password hidden.
        url: String,
        /// The driver's message.
        source: DbError,
    },
    /// A drop would wait for a transaction of a connection of this same engine.
    #[error(
        "{open} connection(s) of this engine {verb} inside a transaction; a DROP would wait for it forever \
         (the transaction holds locks on the tables it read). Commit or roll back that transaction \
         (or drop the connection) before drop_all",
        verb = if *.open == 1 { "is" } else { "are" }
    )]
    OpenTransaction {
        /// How many connections have a transaction open.
        open: usize,
    },
    /// The plan could not be built, or a listener stopped it; nothing ran or everything was rolled back.
    #[error("{0}")]
    Plan(#[source] crate::ddl::DdlError),
    /// A statement failed on a transactional database; everything was rolled back.
    #[error("{statement_desc} failed: {source}\n  statement: {statement}\nrolled back: the database is as it was before ({ran} statement(s) undone){}", hint_line(hint))]
    RolledBack {
        /// The statement that failed.
        statement: String,
        /// A short description (`CREATE TABLE x`, ...).
        statement_desc: String,
        /// The database's error.
        source: DbError,
        /// How many statements had run before it.
        ran: usize,
        /// What the catalog says about the likely cause (the table is
        /// already there, the view is gone), with what to do.
        hint: Option<String>,
    },
    /// A statement failed on MySQL/MariaDB after others had already committed.
    #[error(
        "{}{}",
        partial_message(statement, source, executed, undo),
        hint_line(hint)
    )]
    Partial {
        /// The statement that failed.
        statement: String,
        /// The database's error.
        source: DbError,
        /// The statements that ran (and stay), in order.
        executed: Vec<String>,
        /// Statements that would undo them, in the order to run them.
        undo: Vec<String>,
        /// What the catalog says about the likely cause, with what to do.
        hint: Option<String>,
    },
    /// A statement waited longer than the lock timeout for other sessions.
    #[error("{}", lock_message(statement, *waited, blockers, *rolled_back, executed))]
    LockTimeout {
        /// The statement that waited.
        statement: String,
        /// The lock timeout.
        waited: Duration,
        /// The sessions holding the lock, as far as the server tells.
        blockers: Vec<Blocker>,
        /// Whether everything was rolled back (PostgreSQL, SQLite).
        rolled_back: bool,
        /// Statements that ran and stay (MySQL).
        executed: Vec<String>,
    },
    /// The run was interrupted ([`RunOptions::interrupt`]) between two
    /// statements. On PostgreSQL and SQLite what ran was rolled back; on
    /// MySQL/MariaDB it stays, listed with the statements that undo it.
    #[error("{}", interrupted_message(*ran, *total, *rolled_back, executed, undo))]
    Interrupted {
        /// How many statements had run when the run stopped.
        ran: usize,
        /// How many statements the plan had.
        total: usize,
        /// How many of those that ran were rolled back.
        rolled_back: usize,
        /// The statements that ran and stay, in order.
        executed: Vec<String>,
        /// Statements that would undo them, in the order to run them.
        undo: Vec<String>,
    },
    /// With `checkfirst`, tables exist without constraints (or a primary
    /// key) that the plan declares in their `CREATE TABLE`. A run with
    /// `checkfirst` adds missing indexes and the constraints it adds with
    /// `ALTER TABLE` anyway, but does not alter the definition of a table that
    /// exists: it refuses before running anything.
    #[error("{}", missing_message(missing))]
    MissingConstraints {
        /// Each missing constraint.
        missing: Vec<MissingConstraint>,
    },
    /// Another database error (begin, commit, catalog look-up).
    #[error("{context}: {source}")]
    Database {
        /// What was being done.
        context: String,
        /// The database's error.
        source: DbError,
    },
    /// An option's value cannot be used with this database (see
    /// [`RunOptions::validate`]); nothing ran.
    #[error(
        "invalid {option} {}: {reason}",
        humantime::format_duration(*.value)
    )]
    InvalidOption {
        /// The option: `lock timeout`, `connect timeout`, `statement timeout`.
        option: &'static str,
        /// The value given.
        value: Duration,
        /// Why it cannot be used, with the limit.
        reason: String,
    },
    /// The server did not answer within a bound of [`RunOptions`]: the
    /// connection was closed.
    #[error("{}", timeout_message(url, *wait, *waited, doing.as_deref(), *rolled_back, executed, undo))]
    Timeout {
        /// The URL, password hidden.
        url: String,
        /// Which wait ran out.
        wait: Wait,
        /// Its bound.
        waited: Duration,
        /// The statement (for [`Wait::Statement`]) or what was being done
        /// (`BEGIN`, `looking up existing tables`, ...); `None` while connecting.
        doing: Option<String>,
        /// Whether the run was inside a transaction, which the server rolls
        /// back as the connection closes (PostgreSQL, SQLite).
        rolled_back: bool,
        /// Statements that ran and stay (MySQL/MariaDB), in order.
        executed: Vec<String>,
        /// Statements that would undo them, in the order to run them.
        undo: Vec<String>,
    },
    /// The plan needs more locks in one transaction than the server's lock
    /// table holds (PostgreSQL); nothing ran.
    #[error("{}", locks_message(*needed, *capacity, *max_locks_per_transaction, *max_connections, *max_prepared_transactions, *drop))]
    TooManyLocks {
        /// The locks the plan's transaction would hold, as estimated from
        /// its statements (tables, indexes, sequences, TOAST tables, row
        /// types, constraints, triggers).
        needed: u64,
        /// How many the server's shared lock table holds for all sessions:
        /// `max_locks_per_transaction × (max_connections + max_prepared_transactions)`.
        capacity: u64,
        /// The server's `max_locks_per_transaction`.
        max_locks_per_transaction: u64,
        /// The server's `max_connections`.
        max_connections: u64,
        /// The server's `max_prepared_transactions`.
        max_prepared_transactions: u64,
        /// Whether it is the drop that does not fit (for a create: the drop
        /// of what it would create, which takes more locks).
        drop: bool,
    },
}

impl EngineError {
    /// The wait that ran out, for [`EngineError::Timeout`] (and for a
    /// connection error whose cause is one).
    pub fn timed_out(&self) -> Option<Wait> {
        match self {
            EngineError::Timeout { wait, .. } => Some(*wait),
            EngineError::Connect { source, .. }
            | EngineError::RolledBack { source, .. }
            | EngineError::Partial { source, .. }
            | EngineError::Database { source, .. } => source.timed_out,
            _ => None,
        }
    }
}

fn timeout_message(
    url: &str,
    wait: Wait,
    waited: Duration,
    doing: Option<&str>,
    rolled_back: bool,
    executed: &[String],
    undo: &[String],
) -> String {
    let within = humantime::format_duration(waited);
    let option = wait.option();
    let mut s = match wait {
        Wait::Connect => {
            return format!(
                "cannot connect to {url}: no connection within {within} ({option}); is the server up and reachable?"
            )
        }
        Wait::Login => {
            return format!(
                "cannot connect to {url}: the server accepted the connection but did not finish the login within {within} ({option}); \
                 is it the database the URL says, or a connection pooler with a full queue?"
            )
        }
        Wait::Statement => format!(
            "no answer from {url} to a statement within {within} ({option}); the connection was closed\n  statement: {}\n",
            one_line(doing.unwrap_or("?"))
        ),
        Wait::Query => format!(
            "no answer from {url} within {within} while {} ({option}); the connection was closed\n",
            doing.unwrap_or("waiting for the server")
        ),
    };
    if doing.is_some_and(|d| d.eq_ignore_ascii_case("COMMIT")) {
        s.push_str(
            "whether the COMMIT took effect is unknown: look at the database before running again",
        );
    } else if rolled_back {
        s.push_str("rolled back: nothing was changed");
    } else {
        if wait == Wait::Statement {
            s.push_str("the statement may or may not have taken effect on the server\n");
        }
        if executed.is_empty() {
            s.push_str("nothing had run before it");
        } else {
            push_listed(
                &mut s,
                &format!(
                    "these {} statement(s) had already run and remain (DDL outside a transaction cannot be rolled back):",
                    executed.len()
                ),
                executed,
            );
            push_listed(&mut s, "\nto undo them, run:", undo);
        }
    }
    s.trim_end().to_owned()
}

fn locks_message(
    needed: u64,
    capacity: u64,
    per_transaction: u64,
    connections: u64,
    prepared: u64,
    drop: bool,
) -> String {
    let what = if drop {
        "dropping these tables in one transaction"
    } else {
        "creating these tables in one transaction, and dropping them again (which takes more locks),"
    };
    format!(
        "refused before running anything: {what} needs about {needed} locks, and the server's \
         lock table holds {capacity} for all sessions together (max_locks_per_transaction {per_transaction} \
         × (max_connections {connections} + max_prepared_transactions {prepared})).\n\
         hint: raise max_locks_per_transaction to at least {} (ALTER SYSTEM SET max_locks_per_transaction = {}; \
         then restart the server), or split the document",
        suggested_locks(needed, connections + prepared),
        suggested_locks(needed, connections + prepared),
    )
}

/// A `max_locks_per_transaction` under which `needed` locks fit with a
/// quarter to spare for other sessions, rounded up to a multiple of 64.
pub(crate) fn suggested_locks(needed: u64, slots: u64) -> u64 {
    let per = (needed.saturating_mul(5) / 4).div_ceil(slots.max(1));
    per.div_ceil(64).saturating_mul(64).max(64)
}

impl From<crate::ddl::DdlError> for EngineError {
    fn from(e: crate::ddl::DdlError) -> Self {
        EngineError::Plan(e)
    }
}

/// A constraint that an existing table lacks ([`EngineError::MissingConstraints`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingConstraint {
    /// The table.
    pub table: TableRef,
    /// The constraint, as the plan declares it.
    pub constraint: ConstraintDef,
    /// The statement that would add it, or why the dialect cannot add a
    /// constraint to an existing table.
    pub add: Result<String, String>,
}

impl fmt::Display for MissingConstraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.constraint {
            ConstraintDef::PrimaryKey { .. } => "a primary key",
            ConstraintDef::Unique { .. } => "unique constraint",
            ConstraintDef::Check(_) => "check constraint",
            ConstraintDef::ForeignKey(_) => "foreign key",
        };
        write!(f, "table {} has no {kind}", self.table)?;
        if let Some(name) = self.constraint.name() {
            write!(f, " {name}")?;
        }
        let columns = self.constraint.columns();
        if !columns.is_empty() {
            write!(f, " ({})", columns.join(", "))?;
        }
        Ok(())
    }
}

fn missing_message(missing: &[MissingConstraint]) -> String {
    let mut s = format!(
        "{} constraint(s) missing from tables that already exist; nothing ran:\n",
        missing.len()
    );
    for m in missing {
        s.push_str(&format!("  {m}\n"));
        match &m.add {
            Ok(sql) => s.push_str(&format!("    to add it: {};\n", one_line(sql))),
            Err(why) => s.push_str(&format!(
                "    it cannot be added to the table as it is: {why}\n"
            )),
        }
    }
    s.push_str(
        "checkfirst creates missing tables, indexes and the constraints added by ALTER TABLE, \
         but does not change the definition of a table that exists: add these constraints \
         (or drop the table and create it again), then run again",
    );
    s
}

fn hint_line(hint: &Option<String>) -> String {
    hint.as_ref()
        .map(|h| format!("\nhint: {h}"))
        .unwrap_or_default()
}

fn interrupted_message(
    ran: usize,
    total: usize,
    rolled_back: usize,
    executed: &[String],
    undo: &[String],
) -> String {
    let mut s = format!("interrupted after {ran} of {total} statement(s)\n");
    if rolled_back > 0 {
        s.push_str(&format!(
            "rolled back: the {rolled_back} statement(s) of the transaction were undone\n"
        ));
    }
    if executed.is_empty() {
        s.push_str("nothing that ran remains: the database is as it was before");
        return s;
    }
    push_listed(
        &mut s,
        &format!(
            "{} statement(s) had run and remain (DDL cannot be rolled back here):",
            executed.len()
        ),
        executed,
    );
    push_listed(&mut s, "\nto undo them, run:", undo);
    s
}

/// Appends `heading`, then each statement on its own indented line with `;`.
fn push_listed(s: &mut String, heading: &str, statements: &[String]) {
    s.push_str(heading);
    for st in statements {
        s.push_str(&format!("\n  {};", one_line(st)));
    }
}

fn partial_message(
    statement: &str,
    source: &DbError,
    executed: &[String],
    undo: &[String],
) -> String {
    let mut s = format!("statement failed: {source}\n  statement: {statement}\n");
    if executed.is_empty() {
        s.push_str("nothing had run before it: the database is unchanged\n");
    } else {
        push_listed(
            &mut s,
            &format!(
                "MySQL/MariaDB cannot roll back DDL: these {} statement(s) had already run and remain:",
                executed.len()
            ),
            executed,
        );
        push_listed(&mut s, "\nto undo them, run:", undo);
    }
    s.trim_end().to_owned()
}

pub(crate) fn lock_message(
    statement: &str,
    waited: Duration,
    blockers: &[Blocker],
    rolled_back: bool,
    executed: &[String],
) -> String {
    let mut s = format!(
        "gave up after waiting {} for a lock held by another session\n  statement: {}\n",
        humantime::format_duration(waited),
        one_line(statement)
    );
    if blockers.is_empty() {
        s.push_str("the blocking session could not be identified (it may have ended meanwhile)\n");
    } else {
        let (certain, guessed): (Vec<&Blocker>, Vec<&Blocker>) =
            blockers.iter().partition(|b| b.certain);
        if !certain.is_empty() {
            s.push_str("blocked by:\n");
            for b in &certain {
                s.push_str(&format!("  {b}\n"));
            }
        }
        if !guessed.is_empty() {
            s.push_str(
                "probably blocked by (a guess: the server does not say which session holds a table's \
                 metadata lock; MariaDB's metadata_lock_info plugin or MySQL's performance_schema does):\n",
            );
            for b in &guessed {
                s.push_str(&format!("  {b}\n"));
            }
        }
        s.push_str(
            "fix: finish (COMMIT or ROLLBACK) or close that session's transaction; if it is abandoned:\n",
        );
        for b in blockers {
            if let Some(t) = &b.terminate {
                s.push_str(&format!("  {t};\n"));
            }
        }
    }
    if rolled_back {
        s.push_str("rolled back: nothing was changed");
    } else if executed.is_empty() {
        s.push_str("nothing had run before it: the database is unchanged");
    } else {
        push_listed(
            &mut s,
            &format!(
                "{} statement(s) had already run and remain:",
                executed.len()
            ),
            executed,
        );
    }
    s
}

/// The statement on one line, for messages.
pub(crate) fn one_line(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A database to run plans against, made from a URL.
///
/// Cloning an engine gives another handle to the same database (and, for
/// `sqlite::memory:`, the same in-memory database) that shares the record of
/// open transactions.
#[derive(Clone)]
pub struct Engine {
    url: DbUrl,
    target: Target,
    open_transactions: Arc<AtomicUsize>,
}

#[derive(Clone)]
enum Target {
    /// The second field keeps an in-memory database alive as long as the engine.
    #[cfg(feature = "sqlite")]
    Sqlite(
        sqlite::Target,
        #[allow(dead_code)] Option<Arc<std::sync::Mutex<sqlite::SqliteSession>>>,
    ),
    #[cfg(feature = "postgres")]
    Postgres(String),
    #[cfg(feature = "mysql")]
    MySql(String),
    #[allow(dead_code)]
    None,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine")
            .field("url", &self.url.display())
            .finish()
    }
}

impl Engine {
    /// An engine for this URL. Nothing connects yet, except that an
    /// in-memory SQLite database is opened to live as long as the engine.
    // Built without any driver, every URL is refused before an engine is made.
    #[cfg_attr(
        not(any(feature = "sqlite", feature = "postgres", feature = "mysql")),
        allow(unreachable_code, unused_variables)
    )]
    pub fn from_url(url: &str) -> Result<Engine, EngineError> {
        let parsed = DbUrl::parse(url)?;
        let missing = |driver, feature| EngineError::DriverMissing {
            url: parsed.display(),
            driver,
            feature,
        };
        let target = match &parsed {
            DbUrl::SqliteFile(_p) => {
                #[cfg(feature = "sqlite")]
                {
                    Target::Sqlite(sqlite::Target::File(_p.clone()), None)
                }
                #[cfg(not(feature = "sqlite"))]
                return Err(missing("SQLite", "sqlite"));
            }
            DbUrl::SqliteMemory => {
                #[cfg(feature = "sqlite")]
                {
                    let t = sqlite::Target::new_memory();
                    let keeper = sqlite::connect(&t).map_err(|source| EngineError::Connect {
                        url: parsed.display(),
                        source,
                    })?;
                    Target::Sqlite(t, Some(Arc::new(std::sync::Mutex::new(keeper))))
                }
                #[cfg(not(feature = "sqlite"))]
                return Err(missing("SQLite", "sqlite"));
            }
            DbUrl::Postgres(_u) => {
                #[cfg(feature = "postgres")]
                {
                    Target::Postgres(_u.clone())
                }
                #[cfg(not(feature = "postgres"))]
                return Err(missing("PostgreSQL", "postgres"));
            }
            DbUrl::MySql(_u) => {
                #[cfg(feature = "mysql")]
                {
                    Target::MySql(_u.clone())
                }
                #[cfg(not(feature = "mysql"))]
                return Err(missing("MySQL", "mysql"));
            }
        };
        let _ = &missing;
        Ok(Engine {
            url: parsed,
            target,
            open_transactions: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// An engine for the URL in the `DATABASE_URL` environment variable.
    pub fn from_env() -> Result<Engine, EngineError> {
        match std::env::var("DATABASE_URL") {
            Ok(u) if !u.trim().is_empty() => Engine::from_url(&u),
            _ => Err(EngineError::NoUrl),
        }
    }

    /// The parsed URL.
    pub fn url(&self) -> &DbUrl {
        &self.url
    }

    /// The dialect of the database.
    pub fn dialect(&self) -> &'static dyn Dialect {
        crate::dialect::for_kind(self.url.dialect_kind())
    }

    /// How many connections of this engine are inside a transaction now.
    pub fn open_transactions(&self) -> usize {
        self.open_transactions.load(Ordering::SeqCst)
    }

    /// For an in-memory SQLite database: attaches the schemas to the
    /// connection that keeps it alive, so their databases live on too.
    pub(crate) fn keep_schemas(&self, _schemas: &[String]) -> Result<(), DbError> {
        #[cfg(feature = "sqlite")]
        if let Target::Sqlite(_, Some(keeper)) = &self.target {
            let mut k = keeper
                .lock()
                .map_err(|_| DbError::msg("the in-memory database's keeper is poisoned"))?;
            k.prepare_schemas(_schemas)?;
        }
        Ok(())
    }

    pub(crate) fn session(&self, timeouts: Timeouts) -> Result<Box<dyn Session>, EngineError> {
        let err = |source: DbError| match source.timed_out {
            Some(wait) => EngineError::Timeout {
                url: self.url.display(),
                wait,
                waited: timeouts.connect,
                doing: None,
                rolled_back: false,
                executed: Vec::new(),
                undo: Vec::new(),
            },
            None => self.connect_error(source),
        };
        let _ = &timeouts;
        match &self.target {
            #[cfg(feature = "sqlite")]
            Target::Sqlite(t, _) => Ok(Box::new(sqlite::connect(t).map_err(err)?)),
            #[cfg(feature = "postgres")]
            Target::Postgres(u) => Ok(Box::new(postgres::connect(u, timeouts).map_err(err)?)),
            #[cfg(feature = "mysql")]
            Target::MySql(u) => Ok(Box::new(mysql::connect(u, timeouts).map_err(err)?)),
            Target::None => Err(err(DbError::msg("no driver"))),
        }
    }

    /// The error for a failed connection: the URL with its credentials
    /// hidden, and the driver's message with any credential it repeats
    /// (an unknown URL parameter, say) hidden too.
    fn connect_error(&self, mut source: DbError) -> EngineError {
        let secrets = self.url.secrets();
        source.message = url::scrub(&source.message, &secrets);
        EngineError::Connect {
            url: self.url.display(),
            source,
        }
    }

    /// A new connection, for your own statements and transactions, with
    /// the default bounds of [`RunOptions`] (connecting 10 s, each
    /// statement 60 s). While it is inside a transaction,
    /// [`Engine::drop_all`] refuses to run.
    pub fn connect(&self) -> Result<Connection, EngineError> {
        self.connect_with(&RunOptions::default())
    }

    /// [`Engine::connect`] with the connect and statement timeouts of
    /// `options` (the other options do not apply to a connection).
    pub fn connect_with(&self, options: &RunOptions) -> Result<Connection, EngineError> {
        options.validate(self.url.dialect_kind())?;
        Ok(Connection {
            session: self.session(options.timeouts())?,
            open: self.open_transactions.clone(),
            in_transaction: false,
        })
    }
}

/// One connection of an [`Engine`].
///
/// Dropping it rolls back an open transaction.
pub struct Connection {
    session: Box<dyn Session>,
    open: Arc<AtomicUsize>,
    in_transaction: bool,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("in_transaction", &self.in_transaction)
            .finish()
    }
}

impl Connection {
    /// The dialect of the database on the other end.
    pub fn dialect(&self) -> &'static dyn Dialect {
        self.session.dialect()
    }

    /// Runs SQL text as you wrote it: one statement, or several separated
    /// by `;` where the driver allows. (Plans run each of their steps as
    /// exactly one statement.)
    pub fn execute(&mut self, sql: &str) -> Result<(), DbError> {
        self.session.execute(sql)
    }

    /// Runs a query; every value comes back as text (`None` for NULL).
    pub fn query(&mut self, sql: &str) -> Result<Rows, DbError> {
        self.session.query(sql)
    }

    /// Starts a transaction.
    pub fn begin(&mut self) -> Result<(), DbError> {
        if self.in_transaction {
            return Err(DbError::msg(
                "a transaction is already open on this connection",
            ));
        }
        self.session.begin()?;
        self.in_transaction = true;
        self.open.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    /// Commits the open transaction.
    pub fn commit(&mut self) -> Result<(), DbError> {
        let r = self.session.commit();
        self.end();
        r
    }

    /// Rolls the open transaction back.
    pub fn rollback(&mut self) -> Result<(), DbError> {
        let r = self.session.rollback();
        self.end();
        r
    }

    /// Whether a transaction is open.
    pub fn in_transaction(&self) -> bool {
        self.in_transaction
    }

    /// Limits how long each following statement of this connection waits
    /// for a lock other sessions hold (PostgreSQL `lock_timeout`, MySQL
    /// `lock_wait_timeout`, SQLite's busy timeout); a statement that waits
    /// longer fails with [`DbError::lock_timeout`] set, and
    /// [`Connection::blockers`] names who held the lock.
    pub fn set_lock_timeout(&mut self, timeout: Duration) -> Result<(), DbError> {
        self.session.set_lock_timeout(timeout)
    }

    /// The sessions that held the lock this connection's last statement
    /// waited for, as far as the server tells (on MySQL, guessed from
    /// `tables`, the tables the statement used).
    pub fn blockers(&mut self, tables: &[(Option<String>, String)]) -> Vec<Blocker> {
        self.session.blockers(tables)
    }

    /// The server's id for this connection (PostgreSQL backend pid, MySQL
    /// connection id); `None` for SQLite.
    pub fn backend_pid(&mut self) -> Option<u64> {
        self.session.backend_pid()
    }

    /// Whether a table or view exists (in `schema`, or the default schema).
    pub fn relation_exists(&mut self, schema: Option<&str>, name: &str) -> Result<bool, DbError> {
        self.session.relation_exists(schema, name)
    }

    /// Makes those of `schemas` that exist readable on this connection
    /// without creating any (SQLite attaches each schema's file that is
    /// there); for reading the catalog.
    pub(crate) fn open_existing_schemas(&mut self, schemas: &[String]) -> Result<(), DbError> {
        self.session.open_existing_schemas(schemas)
    }

    fn end(&mut self) {
        if std::mem::take(&mut self.in_transaction) {
            self.open.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if self.in_transaction {
            let _ = self.session.rollback();
            self.end();
        }
    }
}
