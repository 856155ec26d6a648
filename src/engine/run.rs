//! Running create and drop plans on a session: transactions, checkfirst,
//! lock timeouts, and the report of what ran.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use super::session::{DbError, Session};
use super::{one_line, Engine, EngineError};
use crate::ddl::{create_plan, drop_plan, run_plan, DdlOptions, Executor, Plan, Step};
use crate::dialect::Dialect;
use crate::schema::{MetaData, TableRef};
use crate::sql::Statement;

/// Options of [`Engine::create_all`] and [`Engine::drop_all`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunOptions {
    /// Create only the tables (and views) that do not exist yet, with their
    /// indexes and constraints; drop only those that exist.
    pub checkfirst: bool,
    /// How long each statement may wait for a lock held by another session
    /// (`None`: wait as long as the database's own setting says). Default 5 s.
    pub lock_timeout: Option<Duration>,
    /// Overrides the dialect's limit on constraint and index names.
    pub max_identifier_length: Option<usize>,
    /// MySQL: the database of the tables without a schema (default: the URL's database).
    pub database: Option<String>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            checkfirst: false,
            lock_timeout: Some(Duration::from_secs(5)),
            max_identifier_length: None,
            database: None,
        }
    }
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

    fn run(
        &self,
        mode: Mode,
        md: &mut MetaData,
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
        let mut session = self.session()?;
        let dialect = session.dialect();
        let db = |context: &str| {
            let context = context.to_owned();
            move |source| EngineError::Database { context, source }
        };
        let mut ddl = DdlOptions {
            max_identifier_length: options.max_identifier_length,
            database: options.database.clone(),
            checkfirst: options.checkfirst,
        };
        if ddl.database.is_none() && !session.transactional_ddl() {
            ddl.database = session
                .query("SELECT DATABASE()")
                .ok()
                .and_then(|r| r.first()?.first()?.clone());
        }
        let plan = match mode {
            Mode::Create => create_plan(md, dialect, &ddl)?,
            Mode::Drop => drop_plan(md, dialect, &ddl)?,
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
        let (plan, skipped) = if options.checkfirst {
            match checkfirst(session.as_mut(), md, plan, mode) {
                Ok(x) => x,
                Err(e) => {
                    let _ = session.rollback();
                    return Err(db("looking up existing tables")(e));
                }
            }
        } else {
            (plan, Vec::new())
        };
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
        };
        let result = run_plan(md, &plan, &mut exec);
        let mut executed = std::mem::take(&mut exec.executed);
        let failure = exec.failure.take();
        let committed = exec.committed;
        drop(exec);
        // After a statement that ran outside the transaction, what ran
        // before it stays whatever happens next: the run is then reported
        // as a partial one, with only those statements and their undo.
        if result.is_err() && committed > 0 {
            let _ = session.rollback();
            executed.truncate(committed);
            let undo = undo(dialect, mode, &executed);
            let (statement, source) = match failure {
                Some((_, sql, e)) => (sql, e),
                None => (
                    "(a DDL-event listener stopped the run)".into(),
                    DbError::msg(result.err().map(|e| e.to_string()).unwrap_or_default()),
                ),
            };
            return Err(EngineError::Partial {
                statement,
                source,
                executed: executed.into_iter().map(|e| e.sql).collect(),
                undo,
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
                    });
                }
                let undo = undo(dialect, mode, &executed);
                Err(EngineError::Partial {
                    statement,
                    source,
                    executed: executed.into_iter().map(|e| e.sql).collect(),
                    undo,
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
}

impl Executor for SessionExecutor<'_> {
    fn execute(
        &mut self,
        statement: &Statement,
        sql: &str,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let alone = self.in_transaction && !statement.transactional();
        if alone {
            if let Err(e) = self.session.commit() {
                self.failure = Some((statement.clone(), "COMMIT".into(), e.clone()));
                return Err(Box::new(e));
            }
            self.committed = self.executed.len();
        }
        let ran = self.session.execute(sql);
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
                if alone {
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

/// Removes the steps checkfirst skips; returns the plan and the skipped tables.
fn checkfirst<'d>(
    session: &mut dyn Session,
    md: &MetaData,
    plan: Plan<'d>,
    mode: Mode,
) -> Result<(Plan<'d>, Vec<TableRef>), DbError> {
    let mut skip: HashSet<TableRef> = HashSet::new();
    let mut skipped = Vec::new();
    for t in md.tables() {
        let exists = session.relation_exists(t.schema(), t.name())?;
        if exists == (mode == Mode::Create) {
            skip.insert(t.key());
            skipped.push(t.key());
        }
    }
    let mut skip_views: HashSet<String> = HashSet::new();
    for v in md.views() {
        let exists = session.relation_exists(v.schema.as_deref(), &v.name)?;
        if exists == (mode == Mode::Create) {
            skip_views.insert(v.name.clone());
        }
    }
    let steps = plan
        .steps
        .into_iter()
        .filter(|s| match s {
            Step::Event { table: Some(t), .. } => !skip.contains(t),
            Step::Event { table: None, .. } => true,
            Step::Statement(Statement::CreateView(v) | Statement::DropView(v)) => {
                !skip_views.contains(&v.name)
            }
            Step::Statement(st) => st.table().is_none_or(|t| !skip.contains(t)),
        })
        .collect();
    Ok((
        Plan {
            dialect: plan.dialect,
            steps,
        },
        skipped,
    ))
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
