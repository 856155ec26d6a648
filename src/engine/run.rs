//! Running create and drop plans on a session: transactions, checkfirst,
//! lock timeouts, and the report of what ran.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::session::{DbError, Session, TableObjects, Timeouts, Wait};
use super::{one_line, Engine, EngineError, MissingConstraint};
use crate::ddl::{create_plan, drop_plan, run_plan, DdlOptions, Executor, Plan, Step};
use crate::dialect::{Dialect, SqlPlace};
use crate::schema::{DialectKind, MetaData, TableRef};
use crate::sql::{ConstraintDef, Statement};

/// Options of [`Engine::create_all`] and [`Engine::drop_all`].
///
/// Every wait on the server is bounded: opening the connection and the
/// login by `connect_timeout`; within a statement, the wait for another
/// session's lock by `lock_timeout`; and the answer to each statement and
/// catalog query by `statement_timeout` counted after the lock timeout
/// (see [`RunOptions::answer_bound`]). [`RunOptions::validate`] checks the
/// durations against what the database accepts; a run checks them first.
///
/// ```
/// use std::time::Duration;
/// use nomenclator::engine::RunOptions;
/// use nomenclator::schema::DialectKind;
///
/// let options = RunOptions {
///     connect_timeout: Duration::from_secs(3),
///     statement_timeout: Duration::from_secs(120),
///     ..RunOptions::default()
/// };
/// assert!(options.validate(DialectKind::PostgreSql).is_ok());
///
/// // SQLite's busy timeout is an i32 of milliseconds: 600 hours is too long.
/// let too_long = RunOptions {
///     lock_timeout: Some(Duration::from_secs(600 * 3600)),
///     ..RunOptions::default()
/// };
/// let err = too_long.validate(DialectKind::Sqlite).unwrap_err();
/// assert!(err.to_string().contains("lock timeout"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunOptions {
    /// Create only the tables (and views) that do not exist yet, with their
    /// indexes and constraints, and the indexes (and `ALTER TABLE`
    /// constraints) that tables which exist lack; refuse, with
    /// [`EngineError::MissingConstraints`](super::EngineError::MissingConstraints),
    /// when such a table lacks a constraint of its `CREATE TABLE`. Drop only
    /// the tables and views that exist.
    pub checkfirst: bool,
    /// How long each statement may wait for a lock held by another session
    /// (`None`: wait as long as the database's own setting says, within the
    /// statement timeout). Default 5 s. At most 24 days 20:31:23.647
    /// (`i32::MAX` milliseconds) on PostgreSQL and SQLite, 365 days on
    /// MySQL/MariaDB (whole seconds, rounded up).
    pub lock_timeout: Option<Duration>,
    /// How long opening the network connection may take, and then the
    /// server's greeting and the login, each. Default 10 s; more than zero,
    /// at most `i32::MAX` milliseconds. (SQLite opens a file: no bound.)
    pub connect_timeout: Duration,
    /// How long to wait for the answer to each statement and each catalog
    /// query (PostgreSQL and MySQL/MariaDB), on top of the lock timeout: a
    /// statement that waits for a lock is given the lock timeout for that
    /// and this for the rest ([`RunOptions::answer_bound`]), so that the
    /// lock timeout, which names the sessions holding the lock, always
    /// comes first. When it runs out, the connection is closed (so an open
    /// transaction is rolled back by the server) and the run fails with
    /// [`EngineError::Timeout`]. On PostgreSQL the server's own
    /// `statement_timeout` is set to the same bound. Default 60 s; more
    /// than zero, at most `i32::MAX` milliseconds.
    pub statement_timeout: Duration,
    /// Overrides the dialect's limit on constraint and index names.
    pub max_identifier_length: Option<usize>,
    /// MySQL: the database of the tables without a schema (default: the URL's database).
    pub database: Option<String>,
    /// Stops the run before its next statement once set (from a signal
    /// handler, another thread, a timer): the run then ends with
    /// [`EngineError::Interrupted`](super::EngineError::Interrupted).
    /// `None`: the run cannot be interrupted.
    pub interrupt: Option<Interrupt>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            checkfirst: false,
            lock_timeout: Some(Duration::from_secs(5)),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            statement_timeout: DEFAULT_STATEMENT_TIMEOUT,
            max_identifier_length: None,
            database: None,
            interrupt: None,
        }
    }
}

/// A request to stop a run between two statements, shared between the run
/// and whoever may ask it to stop.
///
/// The statement that is running when the request comes finishes; the next
/// one does not start. What had run is then rolled back where the database
/// can roll DDL back, and otherwise listed with the statements that undo it
/// ([`EngineError::Interrupted`](super::EngineError::Interrupted)).
///
/// Clones share one flag; two interrupts are equal when they share it.
///
/// ```
/// # #[cfg(feature = "sqlite")] {
/// use nomenclator::engine::{Engine, EngineError, Interrupt, RunOptions};
/// use nomenclator::{Column, MetaData, Table};
///
/// let mut md = MetaData::new();
/// md.add_table(Table::new("account").column(Column::new("id", "integer").primary_key()))?;
/// let interrupt = Interrupt::new();
/// let options = RunOptions { interrupt: Some(interrupt.clone()), ..RunOptions::default() };
/// interrupt.interrupt(); // e.g. from a Ctrl-C handler
/// let engine = Engine::from_url("sqlite::memory:")?;
/// let err = engine.create_all(&mut md, &options).unwrap_err();
/// assert!(matches!(err, EngineError::Interrupted { .. }));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Interrupt(Arc<AtomicBool>);

impl Interrupt {
    /// A request not made yet.
    pub fn new() -> Self {
        Interrupt::default()
    }

    /// An interrupt that is requested when `flag` becomes `true`: a flag a
    /// signal handler sets (`signal_hook::flag::register`), for example.
    pub fn from_flag(flag: Arc<AtomicBool>) -> Self {
        Interrupt(flag)
    }

    /// The shared flag.
    pub fn flag(&self) -> &Arc<AtomicBool> {
        &self.0
    }

    /// Asks the runs that hold this interrupt to stop before their next statement.
    pub fn interrupt(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether a stop has been asked for.
    pub fn is_interrupted(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

impl PartialEq for Interrupt {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Interrupt {}

/// The default [`RunOptions::connect_timeout`].
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default [`RunOptions::statement_timeout`].
pub(crate) const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(60);

/// The longest duration PostgreSQL's `lock_timeout` and `statement_timeout`
/// and SQLite's busy timeout take: `i32::MAX` milliseconds.
const MAX_MILLIS: Duration = Duration::from_millis(i32::MAX as u64);
/// The longest `lock_wait_timeout` of MySQL and MariaDB: 365 days, in seconds.
const MAX_MYSQL_LOCK_WAIT: Duration = Duration::from_secs(31_536_000);

impl RunOptions {
    /// Checks the durations against what the database of `dialect` accepts
    /// (see each field); [`Engine::create_all`] and [`Engine::drop_all`]
    /// call it before they connect. The error is
    /// [`EngineError::InvalidOption`], naming the option and its limit.
    pub fn validate(&self, dialect: DialectKind) -> Result<(), EngineError> {
        let bad = |option: &'static str, value: Duration, reason: String| {
            Err(EngineError::InvalidOption {
                option,
                value,
                reason,
            })
        };
        let ms = |d: Duration| humantime::format_duration(d).to_string();
        for (option, value) in [
            ("connect timeout", self.connect_timeout),
            ("statement timeout", self.statement_timeout),
        ] {
            if value.is_zero() {
                return bad(option, value, "it must be longer than zero".into());
            }
            if value > MAX_MILLIS {
                return bad(
                    option,
                    value,
                    format!("the longest is {} (2147483647 ms)", ms(MAX_MILLIS)),
                );
            }
        }
        let Some(lock) = self.lock_timeout else {
            return Ok(());
        };
        match dialect {
            DialectKind::Sqlite | DialectKind::PostgreSql if lock > MAX_MILLIS => bad(
                "lock timeout",
                lock,
                format!(
                    "{} is at most {} (2147483647 ms, an int of milliseconds)",
                    if dialect == DialectKind::Sqlite {
                        "SQLite's busy timeout"
                    } else {
                        "PostgreSQL's lock_timeout"
                    },
                    ms(MAX_MILLIS)
                ),
            ),
            DialectKind::MySql | DialectKind::MariaDb
                if whole_seconds(lock) > MAX_MYSQL_LOCK_WAIT =>
            {
                bad(
                    "lock timeout",
                    lock,
                    format!(
                        "MySQL's and MariaDB's lock_wait_timeout is at most {} (31536000 s)",
                        ms(MAX_MYSQL_LOCK_WAIT)
                    ),
                )
            }
            _ => Ok(()),
        }
    }

    /// The longest the engine waits for the answer to one statement or
    /// query: the lock timeout rounded up to whole seconds (as MySQL takes
    /// it), then the statement timeout.
    ///
    /// ```
    /// use std::time::Duration;
    /// use nomenclator::engine::RunOptions;
    ///
    /// let options = RunOptions {
    ///     lock_timeout: Some(Duration::from_millis(1500)),
    ///     statement_timeout: Duration::from_secs(10),
    ///     ..RunOptions::default()
    /// };
    /// assert_eq!(options.answer_bound(), Duration::from_secs(12));
    /// ```
    pub fn answer_bound(&self) -> Duration {
        self.lock_timeout
            .map_or(Duration::ZERO, whole_seconds)
            .saturating_add(self.statement_timeout)
    }

    /// The bounds of the session's waits.
    pub(crate) fn timeouts(&self) -> Timeouts {
        Timeouts {
            connect: self.connect_timeout,
            statement: self.answer_bound(),
        }
    }
}

/// A duration rounded up to whole seconds.
fn whole_seconds(d: Duration) -> Duration {
    Duration::from_secs(d.as_secs().saturating_add(u64::from(d.subsec_nanos() > 0)))
}

/// One statement that ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Executed {
    /// The statement, as data (`Statement::Custom` for custom DDL and for
    /// what a DDL-event listener added).
    pub statement: Statement,
    /// The SQL that ran.
    pub sql: String,
}

/// Where a run is, for progress displays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Statements run so far.
    pub done: usize,
    /// Statements in the plan (listeners may add more).
    pub total: usize,
    /// The statement that just ran.
    pub statement: String,
}

/// What a successful run did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunReport {
    /// The dialect's name.
    pub dialect: &'static str,
    /// The database URL, password hidden.
    pub url: String,
    /// Whether this was a drop.
    pub drop: bool,
    /// Every statement that ran, in order.
    pub executed: Vec<Executed>,
    /// Tables left alone by `checkfirst` (already there, or not there to drop).
    pub skipped: Vec<TableRef>,
    /// How long the run took.
    pub elapsed: Duration,
}

impl RunReport {
    fn count(&self, pick: impl Fn(&Statement) -> bool) -> usize {
        self.executed.iter().filter(|e| pick(&e.statement)).count()
    }

    /// The tables created, in order.
    pub fn created_tables(&self) -> Vec<TableRef> {
        self.executed
            .iter()
            .filter_map(|e| match &e.statement {
                Statement::CreateTable(c) => Some(c.table.clone()),
                _ => None,
            })
            .collect()
    }

    /// The tables dropped, in order.
    pub fn dropped_tables(&self) -> Vec<TableRef> {
        self.executed
            .iter()
            .filter_map(|e| match &e.statement {
                Statement::DropTable { table, .. } => Some(table.clone()),
                _ => None,
            })
            .collect()
    }

    /// One line: what was done, where, how long it took.
    pub fn summary(&self) -> String {
        let (verb, tables) = if self.drop {
            ("dropped", self.dropped_tables().len())
        } else {
            ("created", self.created_tables().len())
        };
        let mut s = format!("{verb} {tables} table(s)");
        if !self.drop {
            let ix = self.count(|s| matches!(s, Statement::CreateIndex(_)));
            let fk = self.count(|s| matches!(s, Statement::AddConstraint { .. }));
            s.push_str(&format!(", {ix} index(es), {fk} deferred constraint(s)"));
        }
        let views = self.count(|s| match s {
            Statement::DropView(_) => self.drop,
            Statement::CreateView(_) => !self.drop,
            _ => false,
        });
        if views > 0 {
            s.push_str(&format!(", {views} view(s)"));
        }
        if !self.skipped.is_empty() {
            s.push_str(&format!(
                "; {} table(s) {}",
                self.skipped.len(),
                if self.drop {
                    "were not there"
                } else {
                    "already existed"
                }
            ));
        }
        s.push_str(&format!(
            " on {} ({} statement(s) in {})",
            self.url,
            self.executed.len(),
            humantime::format_duration(Duration::from_millis(self.elapsed.as_millis() as u64))
        ));
        s
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Create,
    Drop,
    Migrate,
}

impl Engine {
    /// create_all: creates every table, index, constraint and view of `md`
    /// in dependency order, firing its DDL events as the statements run.
    pub fn create_all(
        &self,
        md: &mut MetaData,
        options: &RunOptions,
    ) -> Result<RunReport, EngineError> {
        self.run(Mode::Create, md, options, &mut |_| {})
    }

    /// [`Engine::create_all`], calling `progress` after each statement.
    pub fn create_all_with_progress(
        &self,
        md: &mut MetaData,
        options: &RunOptions,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<RunReport, EngineError> {
        self.run(Mode::Create, md, options, progress)
    }

    /// drop_all: drops every view, deferred constraint and table of `md` in
    /// reverse dependency order, firing its DDL events. Fails at once with
    /// [`EngineError::OpenTransaction`] while a [`Connection`](super::Connection)
    /// of this engine is inside a transaction.
    pub fn drop_all(
        &self,
        md: &mut MetaData,
        options: &RunOptions,
    ) -> Result<RunReport, EngineError> {
        self.run(Mode::Drop, md, options, &mut |_| {})
    }

    /// [`Engine::drop_all`], calling `progress` after each statement.
    pub fn drop_all_with_progress(
        &self,
        md: &mut MetaData,
        options: &RunOptions,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<RunReport, EngineError> {
        self.run(Mode::Drop, md, options, progress)
    }

    /// Runs a migration's plan (a [`Migration`](crate::diff::Migration)'s
    /// statements), whose schema document is `md`: in one transaction
    /// where DDL is transactional (PostgreSQL, SQLite), so that any error
    /// leaves the database as it was; elsewhere it stops at the first
    /// error, and the error lists what ran and how to undo it. Every
    /// statement runs under `options.lock_timeout`.
    pub fn migrate(
        &self,
        md: &mut MetaData,
        plan: Plan<'_>,
        options: &RunOptions,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<RunReport, EngineError> {
        self.run_with(Mode::Migrate, md, Some(plan), options, progress)
    }

    fn run(
        &self,
        mode: Mode,
        md: &mut MetaData,
        options: &RunOptions,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<RunReport, EngineError> {
        self.run_with(mode, md, None, options, progress)
    }

    fn run_with(
        &self,
        mode: Mode,
        md: &mut MetaData,
        given: Option<Plan<'_>>,
        options: &RunOptions,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<RunReport, EngineError> {
        let started = Instant::now();
        if mode == Mode::Drop {
            let open = self.open_transactions();
            if open > 0 {
                return Err(EngineError::OpenTransaction { open });
            }
        }
        options.validate(self.url().dialect_kind())?;
        let mut session = self.session(options.timeouts())?;
        let dialect = session.dialect();
        let url = self.url().display();
        let statement_timeout = options.answer_bound();
        // An error of something else than a plan's statement: a timeout
        // says which wait ran out (nothing of the plan had run yet, or the
        // context is the COMMIT), any other error what was being done.
        let db = |context: &str| {
            let context = context.to_owned();
            let url = url.clone();
            move |source: DbError| match source.timed_out {
                Some(_) => EngineError::Timeout {
                    url,
                    wait: Wait::Query,
                    waited: statement_timeout,
                    doing: Some(context),
                    rolled_back: false,
                    executed: Vec::new(),
                    undo: Vec::new(),
                },
                None => EngineError::Database { context, source },
            }
        };
        let mut ddl = DdlOptions {
            max_identifier_length: options.max_identifier_length,
            database: options.database.clone(),
            checkfirst: options.checkfirst,
            one_thread: false,
        };
        if ddl.database.is_none() && !session.transactional_ddl() {
            match session.query("SELECT DATABASE()") {
                Ok(r) => ddl.database = r.first().and_then(|r| r.first()?.clone()),
                Err(e) if e.timed_out.is_some() => {
                    return Err(db("looking up the current database")(e))
                }
                Err(_) => {}
            }
        }
        let plan = match (mode, given) {
            (Mode::Create, _) => create_plan(md, dialect, &ddl)?,
            (Mode::Drop, _) => drop_plan(md, dialect, &ddl)?,
            (Mode::Migrate, Some(given)) => Plan {
                dialect,
                steps: given.steps,
            },
            (Mode::Migrate, None) => Plan {
                dialect,
                steps: Vec::new(),
            },
        };
        let mut schemas: Vec<String> = md
            .tables()
            .iter()
            .filter_map(|t| t.schema().map(str::to_owned))
            .collect();
        schemas.extend(md.views().iter().filter_map(|v| v.schema.clone()));
        schemas.sort();
        schemas.dedup();
        self.keep_schemas(&schemas)
            .map_err(db("preparing schemas"))?;
        session
            .prepare_schemas(&schemas)
            .map_err(db("preparing schemas"))?;

        let transactional = session.transactional_ddl();
        if transactional {
            session.begin().map_err(db("BEGIN"))?;
        }
        if let Some(t) = options.lock_timeout {
            if let Err(e) = session.set_lock_timeout(t) {
                let _ = session.rollback();
                return Err(db("setting the lock timeout")(e));
            }
        }
        let (plan, skipped) = if options.checkfirst && mode != Mode::Migrate {
            match checkfirst(session.as_mut(), md, plan, mode) {
                Ok(x) => x,
                Err(CheckfirstError::Db(e)) => {
                    let _ = session.rollback();
                    return Err(db("looking up existing tables")(e));
                }
                Err(CheckfirstError::Missing(missing)) => {
                    let _ = session.rollback();
                    return Err(EngineError::MissingConstraints { missing });
                }
            }
        } else {
            (plan, Vec::new())
        };
        // PostgreSQL: a transaction that needs more locks than the server's
        // lock table holds fails half-way with "out of shared memory"; a
        // create whose drop would not fit makes what cannot be dropped.
        match session.lock_capacity() {
            Ok(Some(capacity)) => {
                let needed = locks_needed(&plan, mode);
                if needed > capacity.total() {
                    let _ = session.rollback();
                    return Err(EngineError::TooManyLocks {
                        needed,
                        capacity: capacity.total(),
                        max_locks_per_transaction: capacity.per_transaction,
                        max_connections: capacity.connections,
                        max_prepared_transactions: capacity.prepared,
                        drop: mode == Mode::Drop,
                    });
                }
            }
            Ok(None) => {}
            Err(e) => {
                let _ = session.rollback();
                return Err(db("reading the server's lock settings")(e));
            }
        }
        let tables: Vec<(Option<String>, String)> = md
            .tables()
            .iter()
            .map(|t| (t.schema().map(str::to_owned), t.name().to_owned()))
            .collect();

        let total = plan.statements().count();
        let mut exec = SessionExecutor {
            session: session.as_mut(),
            in_transaction: transactional,
            executed: Vec::new(),
            committed: 0,
            failure: None,
            total,
            progress,
            interrupt: options.interrupt.as_ref(),
            interrupted: false,
        };
        let result = run_plan(md, &plan, &mut exec);
        let mut executed = std::mem::take(&mut exec.executed);
        let failure = exec.failure.take();
        let committed = exec.committed;
        let interrupted = exec.interrupted;
        drop(exec);
        if interrupted {
            // What ran inside the transaction goes; what was committed
            // (all of it where DDL cannot be rolled back) stays.
            let ran = executed.len();
            if transactional {
                if let Err(e) = session.rollback() {
                    return Err(db("ROLLBACK after an interruption")(e));
                }
                executed.truncate(committed);
            }
            let undo = undo(dialect, mode, &executed);
            return Err(EngineError::Interrupted {
                ran,
                total,
                rolled_back: ran - executed.len(),
                executed: executed.into_iter().map(|e| e.sql).collect(),
                undo,
            });
        }
        // No answer in time: the driver closed the connection. What ran in
        // the open transaction is rolled back by the server; what ran
        // outside one stays.
        if let Some((_, sql, _)) = failure.as_ref().filter(|f| f.2.timed_out.is_some()) {
            let wait = if sql == "COMMIT" || sql == "BEGIN" {
                Wait::Query
            } else {
                Wait::Statement
            };
            let stays = if !transactional {
                executed.len()
            } else {
                committed
            };
            executed.truncate(stays);
            let undo = undo(dialect, mode, &executed);
            // Where the server stopped the statement itself, the connection
            // still answers; after the driver gave up, this returns at once.
            let _ = session.rollback();
            return Err(EngineError::Timeout {
                url,
                wait,
                waited: statement_timeout,
                doing: Some(sql.clone()),
                rolled_back: transactional && stays == 0,
                executed: executed.into_iter().map(|e| e.sql).collect(),
                undo,
            });
        }
        // After a statement that ran outside the transaction, what ran
        // before it stays whatever happens next: the run is then reported
        // as a partial one, with only those statements and their undo.
        if result.is_err() && committed > 0 {
            let _ = session.rollback();
            executed.truncate(committed);
            let undo = undo(dialect, mode, &executed);
            let (statement, source, hint) = match failure {
                Some((failed, sql, e)) => {
                    let hint = hint(session.as_mut(), mode, &failed);
                    (sql, e, hint)
                }
                None => (
                    "(a DDL-event listener stopped the run)".into(),
                    DbError::msg(result.err().map(|e| e.to_string()).unwrap_or_default()),
                    None,
                ),
            };
            return Err(EngineError::Partial {
                statement,
                source,
                executed: executed.into_iter().map(|e| e.sql).collect(),
                undo,
                hint,
            });
        }

        match result {
            Ok(_) => {
                if transactional {
                    if let Err(e) = session.commit() {
                        let _ = session.rollback();
                        return Err(db("COMMIT")(e));
                    }
                }
                Ok(RunReport {
                    dialect: dialect.name(),
                    url: self.url().display(),
                    drop: mode == Mode::Drop,
                    executed,
                    skipped,
                    elapsed: started.elapsed(),
                })
            }
            Err(plan_error) => {
                let Some((failed, statement, source)) = failure else {
                    // A listener stopped the plan.
                    if transactional {
                        let _ = session.rollback();
                        return Err(EngineError::Plan(plan_error));
                    }
                    if executed.is_empty() {
                        return Err(EngineError::Plan(plan_error));
                    }
                    let undo = undo(dialect, mode, &executed);
                    return Err(EngineError::Partial {
                        statement: "(a DDL-event listener stopped the run)".into(),
                        source: DbError::msg(plan_error.to_string()),
                        executed: executed.into_iter().map(|e| e.sql).collect(),
                        undo,
                        hint: None,
                    });
                };
                if source.lock_timeout {
                    let blockers = session.blockers(&tables);
                    if transactional {
                        let _ = session.rollback();
                    }
                    return Err(EngineError::LockTimeout {
                        statement,
                        waited: options.lock_timeout.unwrap_or_default(),
                        blockers,
                        rolled_back: transactional,
                        executed: if transactional {
                            Vec::new()
                        } else {
                            executed.into_iter().map(|e| e.sql).collect()
                        },
                    });
                }
                if transactional {
                    if let Err(e) = session.rollback() {
                        return Err(db(&format!("ROLLBACK after {source}"))(e));
                    }
                    return Err(EngineError::RolledBack {
                        statement_desc: failed.describe(),
                        statement,
                        source,
                        ran: executed.len(),
                        hint: hint(session.as_mut(), mode, &failed),
                    });
                }
                let undo = undo(dialect, mode, &executed);
                Err(EngineError::Partial {
                    statement,
                    source,
                    executed: executed.into_iter().map(|e| e.sql).collect(),
                    undo,
                    hint: hint(session.as_mut(), mode, &failed),
                })
            }
        }
    }
}

/// Runs each statement on the session, keeping what ran and what failed.
struct SessionExecutor<'a> {
    session: &'a mut dyn Session,
    /// Whether a transaction is open (on databases with transactional DDL).
    in_transaction: bool,
    executed: Vec<Executed>,
    /// How many of `executed` are committed: those before the last
    /// statement that ran outside the transaction, and that one.
    committed: usize,
    /// The statement that failed, its SQL and the database's error.
    failure: Option<(Statement, String, DbError)>,
    total: usize,
    progress: &'a mut dyn FnMut(&Progress),
    /// Checked before each statement.
    interrupt: Option<&'a Interrupt>,
    /// Whether the run stopped because the interrupt was set.
    interrupted: bool,
}

impl Executor for SessionExecutor<'_> {
    fn execute(
        &mut self,
        statement: &Statement,
        sql: &str,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        if self.interrupt.is_some_and(Interrupt::is_interrupted) {
            self.interrupted = true;
            return Err("interrupted".into());
        }
        // One step, one statement: the plan checked the raw SQL it holds;
        // this catches what a DDL-event listener added, before it runs.
        let extent = match self.session.dialect().check_sql(sql, SqlPlace::Statement) {
            Ok(extent) => extent,
            Err(e) => {
                let e = DbError::msg(format!(
                    "not run: the text is not one statement: {e}; each step runs on its own"
                ));
                self.failure = Some((statement.clone(), sql.to_owned(), e.clone()));
                return Err(Box::new(e));
            }
        };
        if let Statement::ForeignKeyCheck = statement {
            let broken = match self.session.query(sql) {
                Ok(rows) => rows,
                Err(e) => {
                    self.failure = Some((statement.clone(), sql.to_owned(), e.clone()));
                    return Err(Box::new(e));
                }
            };
            if !broken.is_empty() {
                let list: Vec<String> = broken
                    .iter()
                    .take(5)
                    .map(|r| {
                        let v = |i: usize| r.get(i).cloned().flatten().unwrap_or_default();
                        format!(
                            "a row of {} (rowid {}) refers to a missing row of {}",
                            v(0),
                            v(1),
                            v(2)
                        )
                    })
                    .collect();
                let e = DbError::msg(format!(
                    "{} foreign key violation(s) after the rebuild: {}",
                    broken.len(),
                    list.join("; ")
                ));
                self.failure = Some((statement.clone(), sql.to_owned(), e.clone()));
                return Err(Box::new(e));
            }
        }
        let alone = self.in_transaction && !statement.transactional();
        // A session setting (SQLite's PRAGMA foreign_keys) changes nothing
        // that a rollback would have to undo.
        let setting = matches!(statement, Statement::ForeignKeys { .. });
        if alone {
            if let Err(e) = self.session.commit() {
                self.failure = Some((statement.clone(), "COMMIT".into(), e.clone()));
                return Err(Box::new(e));
            }
            if !setting {
                self.committed = self.executed.len();
            }
        }
        // Only spaces and comments (custom DDL such as `-- note`): nothing to send.
        let ran = match (extent.blank, sql.get(..extent.end)) {
            (true, _) => Ok(()),
            (false, Some(one)) => self.session.execute_one(one),
            (false, None) => self.session.execute_one(sql),
        };
        if alone {
            if let Err(e) = self.session.begin() {
                self.failure = Some((statement.clone(), "BEGIN".into(), e.clone()));
                return Err(Box::new(e));
            }
        }
        match ran {
            Ok(()) => {
                self.executed.push(Executed {
                    statement: statement.clone(),
                    sql: sql.to_owned(),
                });
                if alone && !setting {
                    self.committed = self.executed.len();
                }
                (self.progress)(&Progress {
                    done: self.executed.len(),
                    total: self.total,
                    statement: one_line(sql),
                });
                Ok(())
            }
            Err(e) => {
                self.failure = Some((statement.clone(), sql.to_owned(), e.clone()));
                Err(Box::new(e))
            }
        }
    }
}

/// Why `failed` may have failed, when it is the usual reason: creating what
/// is already there (a second run), dropping what is gone. Asked of the
/// catalog after the failure (and after the rollback: a failed transaction
/// answers nothing).
fn hint(session: &mut dyn Session, mode: Mode, failed: &Statement) -> Option<String> {
    let (what, schema, name) = match failed {
        Statement::CreateTable(c) => ("table", c.table.schema.as_deref(), c.table.name.as_str()),
        Statement::DropTable { table, .. } => {
            ("table", table.schema.as_deref(), table.name.as_str())
        }
        Statement::CreateView(v) | Statement::DropView(v) => {
            ("view", v.schema.as_deref(), v.name.as_str())
        }
        _ => return None,
    };
    let exists = session.relation_exists(schema, name).ok()?;
    let full = TableRef::new(schema, name);
    match mode {
        Mode::Create if exists => Some(format!(
            "{what} {full} already exists: create only what is missing with checkfirst \
             (`apply --checkfirst`), or drop what is there first (`drop`)"
        )),
        Mode::Drop if !exists => Some(format!(
            "{what} {full} is not there (dropped already?): drop only what exists with \
             checkfirst (`drop --checkfirst`)"
        )),
        _ => None,
    }
}

/// Why checkfirst cannot go on.
enum CheckfirstError {
    /// A catalog look-up failed.
    Db(DbError),
    /// Tables exist without constraints their `CREATE TABLE` would give them.
    Missing(Vec<MissingConstraint>),
}

impl From<DbError> for CheckfirstError {
    fn from(e: DbError) -> Self {
        CheckfirstError::Db(e)
    }
}

/// Removes the steps checkfirst skips; returns the plan and the skipped tables.
///
/// Creating, a table that exists is skipped with its DDL events, except for
/// what the plan makes with statements of their own that the table lacks:
/// its missing indexes and the missing constraints the plan adds with
/// `ALTER TABLE`. A table that lacks a named constraint (or a primary key)
/// of its `CREATE TABLE` is not altered: checkfirst then refuses the run,
/// naming each missing constraint. Dropping, a table that is not there is skipped.
fn checkfirst<'d>(
    session: &mut dyn Session,
    md: &MetaData,
    plan: Plan<'d>,
    mode: Mode,
) -> Result<(Plan<'d>, Vec<TableRef>), CheckfirstError> {
    let mut skip: HashSet<TableRef> = HashSet::new();
    let mut skipped = Vec::new();
    for t in md.tables() {
        let exists = session.relation_exists(t.schema(), t.name())?;
        if exists == (mode == Mode::Create) {
            skip.insert(t.key());
            skipped.push(t.key());
        }
    }
    let mut skip_views: HashSet<(Option<String>, String)> = HashSet::new();
    for v in md.views() {
        let exists = session.relation_exists(v.schema.as_deref(), &v.name)?;
        if exists == (mode == Mode::Create) {
            skip_views.insert((v.schema.clone(), v.name.clone()));
        }
    }
    let keep = if mode == Mode::Create {
        completions(session, &plan, &skip)?
    } else {
        HashSet::new()
    };
    let steps = plan
        .steps
        .into_iter()
        .enumerate()
        .filter(|(i, s)| match s {
            Step::Event { table: Some(t), .. } => !skip.contains(t),
            Step::Event { table: None, .. } => true,
            Step::Statement(Statement::CreateView(v) | Statement::DropView(v)) => {
                !skip_views.contains(&(v.schema.clone(), v.name.clone()))
            }
            Step::Statement(st) => keep.contains(i) || st.table().is_none_or(|t| !skip.contains(t)),
        })
        .map(|(_, s)| s)
        .collect();
    Ok((
        Plan {
            dialect: plan.dialect,
            steps,
        },
        skipped,
    ))
}

/// The steps of `plan` that still have to run on tables that exist
/// (`existing`): the indexes and `ALTER TABLE` constraints they lack. Fails
/// with every constraint of their `CREATE TABLE` they lack.
fn completions(
    session: &mut dyn Session,
    plan: &Plan<'_>,
    existing: &HashSet<TableRef>,
) -> Result<HashSet<usize>, CheckfirstError> {
    let mut keep = HashSet::new();
    let mut missing = Vec::new();
    let mut catalog: HashMap<TableRef, TableObjects> = HashMap::new();
    let has = |objects: &TableObjects, k: &ConstraintDef| match k {
        ConstraintDef::PrimaryKey { .. } => objects.primary_key,
        // What the database names cannot be looked up by name.
        _ => k.name().is_none_or(|n| objects.has(n)),
    };
    for (i, step) in plan.steps.iter().enumerate() {
        let Step::Statement(st) = step else { continue };
        let Some(table) = st.table().filter(|t| existing.contains(*t)) else {
            continue;
        };
        if !matches!(
            st,
            Statement::CreateTable(_) | Statement::CreateIndex(_) | Statement::AddConstraint { .. }
        ) {
            continue;
        }
        let objects = match catalog.entry(table.clone()) {
            Entry::Occupied(o) => o.into_mut(),
            Entry::Vacant(v) => {
                v.insert(session.table_objects(table.schema.as_deref(), &table.name)?)
            }
        };
        match st {
            Statement::CreateIndex(ix) if !objects.has(&ix.name) => {
                keep.insert(i);
            }
            Statement::AddConstraint { constraint, .. } if !has(objects, constraint) => {
                keep.insert(i);
            }
            Statement::CreateTable(c) => {
                let column_checks = c
                    .columns
                    .iter()
                    .flat_map(|col| col.checks.iter().map(|ck| ConstraintDef::Check(ck.clone())));
                for k in c.constraints.iter().cloned().chain(column_checks) {
                    if has(objects, &k) {
                        continue;
                    }
                    let add = Statement::AddConstraint {
                        table: table.clone(),
                        constraint: k.clone(),
                    };
                    missing.push(MissingConstraint {
                        table: table.clone(),
                        add: plan.dialect.to_sql(&add).map_err(|e| e.to_string()),
                        constraint: k,
                    });
                }
            }
            _ => {}
        }
    }
    if missing.is_empty() {
        Ok(keep)
    } else {
        Err(CheckfirstError::Missing(missing))
    }
}

/// Statements that undo `executed` on a database without transactional DDL,
/// in the order to run them: each statement's inverse, foreign keys added
/// by `ALTER TABLE` undone first, and what goes with a dropped table (its
/// indexes, comments) not undone on its own.
fn undo(dialect: &dyn Dialect, mode: Mode, executed: &[Executed]) -> Vec<String> {
    let manual = |e: &Executed| format!("-- no automatic undo for: {}", one_line(&e.sql));
    let mut out = Vec::new();
    let mut push =
        |e: &Executed| match e.statement.inverse() {
            Some(inverse) => {
                for st in inverse {
                    out.push(dialect.to_sql(&st).unwrap_or_else(|err| {
                        format!("-- cannot undo ({err}): {}", one_line(&e.sql))
                    }));
                }
            }
            None => out.push(manual(e)),
        };
    match mode {
        Mode::Create => {
            let created: HashSet<&TableRef> = executed
                .iter()
                .filter_map(|e| match &e.statement {
                    Statement::CreateTable(c) => Some(&c.table),
                    _ => None,
                })
                .collect();
            // Constraints first (they may tie tables together), then the rest in reverse.
            for e in executed.iter().rev() {
                if let Statement::AddConstraint { .. } = e.statement {
                    push(e);
                }
            }
            for e in executed.iter().rev() {
                match &e.statement {
                    Statement::AddConstraint { .. } | Statement::Comment { .. } => {}
                    // Goes with its table.
                    Statement::CreateIndex(ix) if created.contains(&ix.table) => {}
                    _ => push(e),
                }
            }
        }
        Mode::Migrate => {
            for e in executed.iter().rev() {
                push(e);
            }
        }
        Mode::Drop => {
            for e in executed.iter().rev() {
                if !matches!(e.statement, Statement::DropConstraint { .. }) {
                    push(e);
                }
            }
            for e in executed {
                if let Statement::DropConstraint { .. } = e.statement {
                    push(e);
                }
            }
        }
    }
    out
}

/// The locks PostgreSQL's shared lock table must hold at once for the
/// plan's transaction, estimated from its statements; for a create, the
/// larger of that and what dropping the same objects takes (a drop locks
/// every dependent object: row and array types, constraints, triggers,
/// defaults, TOAST tables), so that a create that fits can be dropped.
///
/// Measured on PostgreSQL 15 (`pg_locks` of the transaction): a table with
/// an integer primary key takes 4 locks to create and 5 to drop; a
/// `serial` column 2 more, a foreign key about 5 more to drop (its
/// constraint and 4 triggers), each index or other constraint 1.
fn locks_needed(plan: &Plan<'_>, mode: Mode) -> u64 {
    let (mut create, mut drop) = (0u64, 0u64);
    for st in plan.statements() {
        let restore = match st {
            Statement::DropTable { restore, .. } if !restore.is_empty() => restore.as_slice(),
            other => std::slice::from_ref(other),
        };
        for r in restore {
            let (c, d) = statement_locks(r);
            create += c;
            drop += d;
        }
    }
    match mode {
        Mode::Create => create.max(drop),
        Mode::Drop => drop,
        Mode::Migrate => create + drop,
    }
}

/// The locks one statement takes to create what it makes, and to drop it
/// again (relations, types and catalog objects: see [`locks_needed`]).
fn statement_locks(st: &Statement) -> (u64, u64) {
    use crate::sql::ConstraintDef;
    match st {
        Statement::CreateTable(t) => {
            // The table and its row type; a drop adds the array type and,
            // where a column may be of variable length (any type but the
            // fixed-length ones), the TOAST table and its index.
            let fixed = t.columns.iter().all(|col| {
                use crate::schema::ColumnType as T;
                matches!(
                    col.ty,
                    T::Integer
                        | T::BigInt
                        | T::SmallInt
                        | T::Boolean
                        | T::Float
                        | T::Date
                        | T::Timestamp
                        | T::Uuid
                )
            });
            let (mut c, mut d) = if fixed { (3, 3) } else { (3, 5) };
            for col in &t.columns {
                if col.auto_increment {
                    // The sequence, and the default that calls it.
                    c += 2;
                    d += 2;
                } else if col.default.is_some() {
                    d += 1;
                }
                c += col.checks.len() as u64;
                d += col.checks.len() as u64;
            }
            for k in &t.constraints {
                match k {
                    // The constraint and its index.
                    ConstraintDef::PrimaryKey { .. } | ConstraintDef::Unique { .. } => {
                        c += 2;
                        d += 2;
                    }
                    // The constraint, the referred table and its key's index;
                    // a drop also locks the four triggers.
                    ConstraintDef::ForeignKey(_) => {
                        c += 3;
                        d += 6;
                    }
                    _ => {
                        c += 1;
                        d += 1;
                    }
                }
            }
            (c, d)
        }
        Statement::CreateIndex(_) => (1, 1),
        Statement::AddConstraint { .. } | Statement::DropConstraint { .. } => (3, 6),
        Statement::CreateView(_) | Statement::DropView(_) => (3, 4),
        Statement::DropTable { .. } => (0, 8),
        _ => (1, 1),
    }
}
