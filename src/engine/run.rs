//! Running create and drop plans on a session: transactions, checkfirst,
//! lock timeouts, and the report of what ran.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use super::session::{DbError, Session};
use super::{one_line, Engine, EngineError};
use crate::ddl::{create_plan, drop_plan, run_plan, DdlOptions, Executor, Plan, Step, StepKind};
use crate::dialect::Dialect;
use crate::schema::{MetaData, TableRef};

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
    /// The statement.
    pub sql: String,
    /// What it did; `None` for a statement a DDL-event listener added.
    pub kind: Option<StepKind>,
    /// The table it concerns.
    pub table: Option<TableRef>,
    /// The table, view, index or constraint it created or dropped.
    pub object: Option<String>,
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
    fn of_kind(&self, kind: StepKind) -> Vec<&Executed> {
        self.executed
            .iter()
            .filter(|e| e.kind == Some(kind))
            .collect()
    }

    /// The tables created, in order.
    pub fn created_tables(&self) -> Vec<TableRef> {
        self.of_kind(StepKind::CreateTable)
            .into_iter()
            .filter_map(|e| e.table.clone())
            .collect()
    }

    /// The tables dropped, in order.
    pub fn dropped_tables(&self) -> Vec<TableRef> {
        self.of_kind(StepKind::DropTable)
            .into_iter()
            .filter_map(|e| e.table.clone())
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
            let ix = self.of_kind(StepKind::CreateIndex).len();
            let fk = self.of_kind(StepKind::AddConstraint).len();
            s.push_str(&format!(", {ix} index(es), {fk} deferred constraint(s)"));
        }
        let views = self
            .of_kind(if self.drop {
                StepKind::DropView
            } else {
                StepKind::CreateView
            })
            .len();
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
            .filter_map(|t| t.schema_opt().map(str::to_owned))
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
            .map(|t| (t.schema_opt().map(str::to_owned), t.name().to_owned()))
            .collect();

        let sql_steps: Vec<Executed> = plan
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::Sql {
                    sql,
                    kind,
                    table,
                    object,
                } => Some(Executed {
                    sql: sql.clone(),
                    kind: Some(*kind),
                    table: table.clone(),
                    object: object.clone(),
                }),
                Step::Event { .. } => None,
            })
            .collect();
        let total = sql_steps.len();
        let mut exec = SessionExecutor {
            session: session.as_mut(),
            steps: sql_steps,
            next: 0,
            executed: Vec::new(),
            failure: None,
            total,
            progress,
        };
        let result = run_plan(md, &plan, &mut exec);
        let executed = std::mem::take(&mut exec.executed);
        let failure = exec.failure.take();
        drop(exec);

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
                let Some((statement, source)) = failure else {
                    // A listener stopped the plan.
                    if transactional {
                        let _ = session.rollback();
                        return Err(EngineError::Plan(plan_error));
                    }
                    if executed.is_empty() {
                        return Err(EngineError::Plan(plan_error));
                    }
                    let undo = undo(md, dialect, &ddl, mode, &executed);
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
                        statement_desc: describe(&statement),
                        statement,
                        source,
                        ran: executed.len(),
                    });
                }
                let undo = undo(md, dialect, &ddl, mode, &executed);
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

/// `CREATE TABLE foo` from the statement's first words.
fn describe(sql: &str) -> String {
    let words: Vec<&str> = sql.split_whitespace().take(3).collect();
    let w = words.join(" ");
    if w.is_empty() {
        "statement".into()
    } else {
        w.trim_end_matches('(').trim().to_owned()
    }
}

struct SessionExecutor<'a> {
    session: &'a mut dyn Session,
    steps: Vec<Executed>,
    next: usize,
    executed: Vec<Executed>,
    failure: Option<(String, DbError)>,
    total: usize,
    progress: &'a mut dyn FnMut(&Progress),
}

impl Executor for SessionExecutor<'_> {
    fn execute(&mut self, sql: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let meta = match self.steps.get(self.next) {
            Some(s) if s.sql == sql => {
                self.next += 1;
                s.clone()
            }
            _ => Executed {
                sql: sql.to_owned(),
                kind: None,
                table: None,
                object: None,
            },
        };
        match self.session.execute(sql) {
            Ok(()) => {
                self.executed.push(meta);
                (self.progress)(&Progress {
                    done: self.executed.len(),
                    total: self.total,
                    statement: one_line(sql),
                });
                Ok(())
            }
            Err(e) => {
                self.failure = Some((sql.to_owned(), e.clone()));
                Err(Box::new(e))
            }
        }
    }
}

/// Removes the steps checkfirst skips; returns the plan and the skipped tables.
fn checkfirst(
    session: &mut dyn Session,
    md: &MetaData,
    plan: Plan,
    mode: Mode,
) -> Result<(Plan, Vec<TableRef>), DbError> {
    let mut skip: HashSet<TableRef> = HashSet::new();
    let mut skipped = Vec::new();
    for t in md.tables() {
        let exists = session.relation_exists(t.schema_opt(), t.name())?;
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
            Step::Sql { table: Some(t), .. } => !skip.contains(t),
            Step::Sql {
                kind: StepKind::CreateView | StepKind::DropView,
                object: Some(v),
                ..
            } => !skip_views.contains(v),
            Step::Sql { .. } => true,
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
/// in the order to run them.
fn undo(
    md: &MetaData,
    dialect: &dyn Dialect,
    ddl: &DdlOptions,
    mode: Mode,
    executed: &[Executed],
) -> Vec<String> {
    let mirror = match mode {
        Mode::Create => drop_plan(md, dialect, ddl),
        Mode::Drop => create_plan(md, dialect, ddl),
    };
    let mirror: Vec<Executed> = mirror
        .map(|p| {
            p.steps
                .into_iter()
                .filter_map(|s| match s {
                    Step::Sql {
                        sql,
                        kind,
                        table,
                        object,
                    } => Some(Executed {
                        sql,
                        kind: Some(kind),
                        table,
                        object,
                    }),
                    Step::Event { .. } => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let find = |kind: StepKind, e: &Executed| {
        mirror
            .iter()
            .find(|m| m.kind == Some(kind) && m.table == e.table && m.object == e.object)
            .map(|m| m.sql.clone())
    };
    let manual = |e: &Executed| format!("-- no automatic undo for: {}", one_line(&e.sql));
    let mut out = Vec::new();
    match mode {
        Mode::Create => {
            let created: HashSet<&TableRef> = executed
                .iter()
                .filter(|e| e.kind == Some(StepKind::CreateTable))
                .filter_map(|e| e.table.as_ref())
                .collect();
            // Constraints first (they may tie tables together), then the rest in reverse.
            for e in executed
                .iter()
                .rev()
                .filter(|e| e.kind == Some(StepKind::AddConstraint))
            {
                out.push(find(StepKind::DropConstraint, e).unwrap_or_else(|| manual(e)));
            }
            for e in executed.iter().rev() {
                match e.kind {
                    Some(StepKind::AddConstraint) | Some(StepKind::Comment) => {}
                    Some(StepKind::CreateTable) => {
                        out.push(find(StepKind::DropTable, e).unwrap_or_else(|| manual(e)))
                    }
                    Some(StepKind::CreateView) => {
                        out.push(find(StepKind::DropView, e).unwrap_or_else(|| manual(e)))
                    }
                    Some(StepKind::CreateIndex) => {
                        if e.table.as_ref().is_some_and(|t| created.contains(t)) {
                            continue; // goes with its table
                        }
                        out.push(drop_index(md, dialect, ddl, e).unwrap_or_else(|| manual(e)));
                    }
                    _ => out.push(manual(e)),
                }
            }
        }
        Mode::Drop => {
            for e in executed.iter().rev() {
                match e.kind {
                    Some(StepKind::DropTable) => {
                        // The table, then its indexes and comments, as create_all makes them.
                        for m in mirror.iter().filter(|m| {
                            m.table == e.table
                                && matches!(
                                    m.kind,
                                    Some(
                                        StepKind::CreateTable
                                            | StepKind::CreateIndex
                                            | StepKind::Comment
                                    )
                                )
                        }) {
                            out.push(m.sql.clone());
                        }
                    }
                    Some(StepKind::DropView) => {
                        out.push(find(StepKind::CreateView, e).unwrap_or_else(|| manual(e)))
                    }
                    Some(StepKind::DropConstraint) => {}
                    _ => out.push(manual(e)),
                }
            }
            for e in executed
                .iter()
                .filter(|e| e.kind == Some(StepKind::DropConstraint))
            {
                out.push(find(StepKind::AddConstraint, e).unwrap_or_else(|| manual(e)));
            }
        }
    }
    out
}

fn drop_index(
    md: &MetaData,
    dialect: &dyn Dialect,
    ddl: &DdlOptions,
    e: &Executed,
) -> Option<String> {
    let t = md.get(e.table.as_ref()?)?;
    let rules = dialect.name_rules(ddl.max_identifier_length);
    let ix = t.indexes().iter().find(|ix| {
        rules
            .finalize(&ix.name, String::new)
            .ok()
            .flatten()
            .as_deref()
            == e.object.as_deref()
    })?;
    crate::ddl::Statement::DropIndex {
        table: t,
        index: ix,
    }
    .to_sql(dialect, ddl)
    .ok()
}
