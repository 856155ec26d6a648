//! Whole create and drop scripts as plans of steps, and running them.

use std::borrow::Cow;

use rustc_hash::FxHashMap as HashMap;

use super::error::DdlError;
use super::sort::{order_for_create, order_for_drop, Order};
use super::statement::{render_custom_ddl, Statement};
use crate::dialect::{CommentStyle, Dialect};
use crate::events::EventKind;
use crate::naming::{check_final_names, check_identifier_lengths, NameRules};
use crate::schema::{CustomDdl, DdlWhen, MetaData, Table, TableRef};

/// Options for rendering DDL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DdlOptions {
    /// Overrides the dialect's limit on constraint and index names.
    pub max_identifier_length: Option<usize>,
    /// MySQL: the database that holds the tables without a schema, so that a
    /// table in a schema (another database) can refer to them.
    pub database: Option<String>,
    /// Skip objects that already exist (decided by the executing engine from
    /// each step's `object`).
    pub checkfirst: bool,
}

/// What a SQL step does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepKind {
    /// `CREATE TABLE`.
    CreateTable,
    /// `DROP TABLE`.
    DropTable,
    /// `CREATE INDEX`.
    CreateIndex,
    /// `DROP INDEX`.
    DropIndex,
    /// `ALTER TABLE ... ADD CONSTRAINT`.
    AddConstraint,
    /// `ALTER TABLE ... DROP CONSTRAINT`.
    DropConstraint,
    /// `CREATE VIEW`.
    CreateView,
    /// `DROP VIEW`.
    DropView,
    /// `COMMENT ON`.
    Comment,
    /// The document's custom DDL.
    Custom,
}

/// One step of a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A DDL event: listeners run here and may add statements.
    Event {
        /// `BeforeCreate`, `AfterCreate`, `BeforeDrop` or `AfterDrop`.
        kind: EventKind,
        /// The table, or `None` for the metadata.
        table: Option<TableRef>,
    },
    /// A statement.
    Sql {
        /// The statement, without `;`.
        sql: String,
        /// What it does.
        kind: StepKind,
        /// The table it concerns, if any.
        table: Option<TableRef>,
        /// The table, view, index or constraint name it creates or drops (for `checkfirst`).
        object: Option<String>,
    },
}

/// The steps that create or drop a whole metadata on one dialect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The dialect's name.
    pub dialect: &'static str,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

impl Plan {
    /// The SQL steps' statements, in order.
    pub fn statements(&self) -> impl Iterator<Item = &str> {
        self.steps.iter().filter_map(|s| match s {
            Step::Sql { sql, .. } => Some(sql.as_str()),
            Step::Event { .. } => None,
        })
    }

    /// The offline script: every statement followed by `;`, a blank line
    /// between statements. Listeners do not run: events add nothing (the
    /// document's custom DDL is already in the plan as steps).
    pub fn script(&self) -> String {
        let mut out = String::new();
        for s in self.statements() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(s);
            out.push_str(";\n");
        }
        out
    }
}

/// Runs statements for [`run_plan`].
pub trait Executor {
    /// Executes one statement (without `;`).
    fn execute(&mut self, sql: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>>;
}

/// An executor that only collects the statements: the "mock engine" that
/// dumps the whole create sequence, listeners' statements included.
///
/// ```
/// use nomenclator::{Column, MetaData, Table};
/// use nomenclator::ddl::{create_plan, run_plan, DdlOptions, MockExecutor};
/// use nomenclator::dialect::Sqlite;
///
/// let mut md = MetaData::new();
/// md.add_table(Table::new("t").column(Column::new("id", "integer").primary_key()))?;
/// let plan = create_plan(&md, &Sqlite, &DdlOptions::default())?;
/// let mut mock = MockExecutor::default();
/// run_plan(&mut md, &plan, &mut mock)?;
/// assert_eq!(mock.statements, ["CREATE TABLE t (\n\tid INTEGER NOT NULL,\n\tPRIMARY KEY (id)\n)"]);
/// # Ok::<(), nomenclator::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MockExecutor {
    /// The statements received, in order.
    pub statements: Vec<String>,
}

impl Executor for MockExecutor {
    fn execute(&mut self, sql: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.statements.push(sql.to_owned());
        Ok(())
    }
}

/// Runs a plan: each `Sql` step is executed; each `Event` step fires the DDL
/// event on `md` and executes the statements its listeners return, right
/// there. Returns every executed statement; stops at the first failure.
pub fn run_plan(
    md: &mut MetaData,
    plan: &Plan,
    exec: &mut dyn Executor,
) -> Result<Vec<String>, crate::Error> {
    let mut done = Vec::new();
    let mut run = |sql: String, done: &mut Vec<String>| -> Result<(), crate::Error> {
        exec.execute(&sql).map_err(|source| DdlError::Execution {
            sql: sql.clone(),
            source,
        })?;
        done.push(sql);
        Ok(())
    };
    for step in &plan.steps {
        match step {
            Step::Event { kind, table } => {
                for sql in md.fire_ddl(*kind, table.as_ref(), plan.dialect)? {
                    run(sql, &mut done)?;
                }
            }
            Step::Sql { sql, .. } => run(sql.clone(), &mut done)?,
        }
    }
    Ok(done)
}

/// Where a [`Builder`] puts its statements.
enum Output {
    /// Plan steps, events included.
    Steps(Vec<Step>),
    /// The offline script, as [`Plan::script`] writes it, in pieces of
    /// [`SCRIPT_PIECE`] bytes, nearly full (a large script is never copied
    /// to grow, and holds little spare capacity).
    Script(Vec<String>),
}

struct Builder<'a> {
    d: &'a dyn Dialect,
    options: &'a DdlOptions,
    rules: NameRules,
    out: Output,
}

impl<'a> Builder<'a> {
    fn new(d: &'a dyn Dialect, options: &'a DdlOptions, out: Output) -> Self {
        Builder {
            d,
            options,
            rules: d.name_rules(options.max_identifier_length),
            out,
        }
    }

    /// The final name of a constraint or index of `t` for this dialect.
    fn final_name<'n>(
        &self,
        t: &Table,
        name: &'n crate::Name,
    ) -> Result<Option<Cow<'n, str>>, DdlError> {
        Ok(self
            .rules
            .finalize(name, || format!("constraint of table \"{}\"", t.key()))?)
    }

    fn sql(
        &mut self,
        st: Statement<'_>,
        kind: StepKind,
        table: Option<&Table>,
        object: Option<Cow<'_, str>>,
    ) -> Result<(), DdlError> {
        match &mut self.out {
            Output::Steps(steps) => {
                let mut sql = String::new();
                st.write_sql_with(self.d, self.options, &self.rules, &mut sql)?;
                steps.push(Step::Sql {
                    sql,
                    kind,
                    table: table.map(Table::key),
                    object: object.map(Cow::into_owned),
                });
            }
            Output::Script(pieces) => {
                let first = pieces.is_empty();
                let out = match pieces.last_mut() {
                    Some(last) if last.capacity() - last.len() >= PIECE_ROOM => last,
                    _ => {
                        pieces.push(String::with_capacity(SCRIPT_PIECE));
                        pieces.last_mut().expect("just pushed")
                    }
                };
                if !first {
                    out.push('\n');
                }
                st.write_sql_with(self.d, self.options, &self.rules, out)?;
                out.push_str(";\n");
            }
        }
        Ok(())
    }

    fn event(
        &mut self,
        kind: EventKind,
        when: DdlWhen,
        ddl: &[CustomDdl],
        table: Option<&Table>,
    ) -> Result<(), DdlError> {
        if let Output::Steps(steps) = &mut self.out {
            steps.push(Step::Event {
                kind,
                table: table.map(Table::key),
            });
        }
        for c in ddl
            .iter()
            .filter(|c| c.when == when && c.applies_to(self.d.name()))
        {
            let sql = render_custom_ddl(c, table, self.d)?;
            self.sql(Statement::Custom(sql), StepKind::Custom, table, None)?;
        }
        Ok(())
    }

    /// A script builder for statements that come after this one's: its
    /// first statement is not the script's first (one empty piece says so).
    fn continuation(&self) -> Builder<'a> {
        Builder {
            d: self.d,
            options: self.options,
            rules: self.rules.clone(),
            out: Output::Script(vec![String::new()]),
        }
    }

    fn into_plan(self) -> Plan {
        let steps = match self.out {
            Output::Steps(steps) => steps,
            Output::Script(_) => Vec::new(),
        };
        Plan {
            dialect: self.d.name(),
            steps,
        }
    }

    fn into_script(self) -> Vec<String> {
        match self.out {
            Output::Script(pieces) => pieces,
            Output::Steps(_) => Vec::new(),
        }
    }
}

/// Checks what must hold before any statement is rendered under `rules`:
/// references, identifier lengths, then final names.
fn prepare(md: &MetaData, rules: &NameRules) -> Result<(), crate::Error> {
    prepare_tables(md, rules)?;
    check_final_names(md, rules)?;
    Ok(())
}

/// What [`prepare`] checks before names: references and identifier lengths.
fn prepare_tables(md: &MetaData, rules: &NameRules) -> Result<(), crate::Error> {
    md.validate()?;
    check_identifier_lengths(md, rules)?;
    Ok(())
}

/// The create plan (create_all): metadata `before_create`; for each table in
/// dependency order its `before_create`, `CREATE TABLE`, indexes, comments
/// and `after_create`; then the deferred foreign keys by `ALTER TABLE`; the
/// views; metadata `after_create`. Custom DDL is placed at its event.
pub fn create_plan(
    md: &MetaData,
    dialect: &dyn Dialect,
    options: &DdlOptions,
) -> Result<Plan, crate::Error> {
    let b = Builder::new(dialect, options, Output::Steps(Vec::new()));
    Ok(build_create(md, b)?.into_plan())
}

/// The create script: what `create_plan(..)?.script()` gives, rendered
/// straight into one string without the plan's steps (what `nomenclator ddl`
/// prints; several times faster on large schemas).
///
/// ```
/// use nomenclator::{Column, MetaData, Table};
/// use nomenclator::ddl::{create_plan, create_script, DdlOptions};
/// use nomenclator::dialect::PostgreSql;
///
/// let mut md = MetaData::new();
/// md.add_table(Table::new("t").column(Column::new("id", "integer").primary_key()))?;
/// let options = DdlOptions::default();
/// let script = create_script(&md, &PostgreSql, &options)?;
/// assert_eq!(script, "CREATE TABLE t (\n\tid SERIAL NOT NULL,\n\tPRIMARY KEY (id)\n);\n");
/// assert_eq!(script, create_plan(&md, &PostgreSql, &options)?.script());
/// # Ok::<(), nomenclator::Error>(())
/// ```
pub fn create_script(
    md: &MetaData,
    dialect: &dyn Dialect,
    options: &DdlOptions,
) -> Result<String, crate::Error> {
    Ok(create_script_pieces(md, dialect, options)?.concat())
}

/// [`create_script`] in pieces to be written one after the other (what the
/// command line prints: the script is never held in one string).
pub(crate) fn create_script_pieces(
    md: &MetaData,
    dialect: &dyn Dialect,
    options: &DdlOptions,
) -> Result<Vec<String>, crate::Error> {
    let b = Builder::new(dialect, options, Output::Script(Vec::new()));
    Ok(build_create(md, b)?.into_script())
}

/// The size of a script piece (see [`Output::Script`]).
const SCRIPT_PIECE: usize = 256 * 1024;

/// A statement starts a new piece when less room than this is left in the
/// last one (most statements are far shorter; a longer one grows its piece).
const PIECE_ROOM: usize = 4 * 1024;

/// From this many tables, a script is rendered on two threads.
const PARALLEL_TABLES: usize = 512;

/// The statements of the tables at positions `order`, in that order: for
/// each, its `before_create`, `CREATE TABLE`, indexes, comments and
/// `after_create`.
fn create_tables(
    b: &mut Builder<'_>,
    md: &MetaData,
    order: &[usize],
    deferred_by_table: &HashMap<usize, Vec<usize>>,
) -> Result<(), DdlError> {
    let caps = b.d.capabilities();
    let tables = md.tables();
    for &ti in order {
        let t = &tables[ti];
        let deferred = deferred_by_table.get(&ti).cloned().unwrap_or_default();
        b.event(
            EventKind::BeforeCreate,
            DdlWhen::BeforeCreate,
            t.custom_ddl(),
            Some(t),
        )?;
        b.sql(
            Statement::CreateTable {
                table: t,
                metadata: Some(md),
                deferred,
            },
            StepKind::CreateTable,
            Some(t),
            Some(Cow::Borrowed(t.name())),
        )?;
        for ix in t.indexes() {
            let name = b.final_name(t, &ix.name)?;
            b.sql(
                Statement::CreateIndex {
                    table: t,
                    index: ix,
                },
                StepKind::CreateIndex,
                Some(t),
                name,
            )?;
        }
        if caps.comments == CommentStyle::Statements {
            if t.comment_text().is_some() {
                b.sql(
                    Statement::CommentOnTable { table: t },
                    StepKind::Comment,
                    Some(t),
                    None,
                )?;
            }
            for c in t.columns().iter().filter(|c| c.comment_text().is_some()) {
                b.sql(
                    Statement::CommentOnColumn {
                        table: t,
                        column: c,
                    },
                    StepKind::Comment,
                    Some(t),
                    None,
                )?;
            }
        }
        b.event(
            EventKind::AfterCreate,
            DdlWhen::AfterCreate,
            t.custom_ddl(),
            Some(t),
        )?;
    }
    Ok(())
}

fn build_create<'a>(md: &MetaData, mut b: Builder<'a>) -> Result<Builder<'a>, crate::Error> {
    if matches!(b.out, Output::Script(_)) && md.len() >= PARALLEL_TABLES {
        if let Some(sorted) = build_create_parallel(md, &mut b) {
            return finish_create(md, b, &sorted?);
        }
    }
    prepare(md, &b.rules)?;
    let sorted = order_for_create(md, b.d.capabilities().alter_add_constraint)?;
    b.event(
        EventKind::BeforeCreate,
        DdlWhen::BeforeCreate,
        md.custom_ddl(),
        None,
    )?;
    let deferred_by_table = deferred_by_table(&sorted);
    create_tables(&mut b, md, &sorted.tables, &deferred_by_table)?;
    finish_create(md, b, &sorted)
}

/// The deferred foreign keys of each table, by position.
fn deferred_by_table(sorted: &Order) -> HashMap<usize, Vec<usize>> {
    let mut by_table: HashMap<usize, Vec<usize>> = HashMap::default();
    for x in &sorted.deferred {
        by_table.entry(x.table).or_default().push(x.constraint);
    }
    by_table
}

/// What [`build_create`] does up to the last table, on two threads: the
/// second checks the names while this one checks the tables and sorts
/// them; then each renders part of the tables. Errors come in the order of
/// the one-thread way: tables, names, order, statements. Gives the order,
/// or `None` if no thread could be started (nothing is done then).
fn build_create_parallel(
    md: &MetaData,
    b: &mut Builder<'_>,
) -> Option<Result<Order, crate::Error>> {
    let can_alter = b.d.capabilities().alter_add_constraint;
    // The second half of the order and the deferred keys, once known.
    let (work, work_rx) =
        std::sync::mpsc::sync_channel::<(Vec<usize>, HashMap<usize, Vec<usize>>)>(1);
    let mut other = b.continuation();
    let (prepared, names, rendered, other) = std::thread::scope(|s| {
        let second = move || {
            let names = check_final_names(md, &other.rules);
            let mut rendered = Ok(());
            if names.is_ok() {
                if let Ok((tables, deferred)) = work_rx.recv() {
                    rendered = create_tables(&mut other, md, &tables, &deferred);
                }
            }
            (names, rendered, other)
        };
        let helper = std::thread::Builder::new().spawn_scoped(s, second).ok()?;
        let prepared = prepare_tables(md, &b.rules).map(|()| order_for_create(md, can_alter));
        let mut rendered = Ok(());
        if let Ok(Ok(sorted)) = &prepared {
            let by_table = deferred_by_table(sorted);
            // The helper has checked the names meanwhile (about 15 % of
            // the instructions of this stage, against 5 % for validating and
            // sorting here): this thread renders three fifths.
            let (first, second) = sorted.tables.split_at(sorted.tables.len() * 3 / 5);
            // The helper is gone only if the names are wrong: no rendering then.
            if work.send((second.to_vec(), by_table.clone())).is_ok() {
                rendered = b
                    .event(
                        EventKind::BeforeCreate,
                        DdlWhen::BeforeCreate,
                        md.custom_ddl(),
                        None,
                    )
                    .and_then(|()| create_tables(b, md, first, &by_table));
            }
        }
        drop(work);
        let (names, theirs, other) = helper
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        Some((prepared, names, rendered.and(theirs), other))
    })?;
    let result = (|| {
        let sorted = prepared?;
        names?;
        let sorted = sorted?;
        rendered?;
        if let (Output::Script(mine), Output::Script(theirs)) = (&mut b.out, other.out) {
            mine.extend(theirs);
        }
        Ok(sorted)
    })();
    Some(result)
}

/// The end of a create script, after the tables: the deferred foreign
/// keys, the views and the metadata's `after_create`.
fn finish_create<'a>(
    md: &MetaData,
    mut b: Builder<'a>,
    sorted: &Order,
) -> Result<Builder<'a>, crate::Error> {
    let tables = md.tables();
    for x in &sorted.deferred {
        let t = &tables[x.table];
        let k = &t.constraints()[x.constraint];
        let name = b.final_name(t, k.name())?;
        b.sql(
            Statement::AddConstraint {
                table: t,
                constraint: k,
                metadata: Some(md),
            },
            StepKind::AddConstraint,
            Some(t),
            name,
        )?;
    }
    for v in md.views() {
        b.sql(
            Statement::CreateView(v),
            StepKind::CreateView,
            None,
            Some(Cow::Borrowed(v.name.as_str())),
        )?;
    }
    b.event(
        EventKind::AfterCreate,
        DdlWhen::AfterCreate,
        md.custom_ddl(),
        None,
    )?;
    Ok(b)
}

/// The drop plan (drop_all), the mirror of [`create_plan`]: metadata
/// `before_drop`; views; the deferred foreign keys (which must have names);
/// tables in reverse dependency order, each between its `before_drop` and
/// `after_drop`; metadata `after_drop`.
pub fn drop_plan(
    md: &MetaData,
    dialect: &dyn Dialect,
    options: &DdlOptions,
) -> Result<Plan, crate::Error> {
    let b = Builder::new(dialect, options, Output::Steps(Vec::new()));
    Ok(build_drop(md, b)?.into_plan())
}

/// The drop script: what `drop_plan(..)?.script()` gives, rendered straight
/// into one string (see [`create_script`]).
pub fn drop_script(
    md: &MetaData,
    dialect: &dyn Dialect,
    options: &DdlOptions,
) -> Result<String, crate::Error> {
    Ok(drop_script_pieces(md, dialect, options)?.concat())
}

/// [`drop_script`] in pieces (see [`create_script_pieces`]).
pub(crate) fn drop_script_pieces(
    md: &MetaData,
    dialect: &dyn Dialect,
    options: &DdlOptions,
) -> Result<Vec<String>, crate::Error> {
    let b = Builder::new(dialect, options, Output::Script(Vec::new()));
    Ok(build_drop(md, b)?.into_script())
}

fn build_drop<'a>(md: &MetaData, mut b: Builder<'a>) -> Result<Builder<'a>, crate::Error> {
    prepare(md, &b.rules)?;
    let caps = b.d.capabilities();
    let sorted = order_for_drop(md, caps.alter_add_constraint)?;
    b.event(
        EventKind::BeforeDrop,
        DdlWhen::BeforeDrop,
        md.custom_ddl(),
        None,
    )?;
    for v in md.views().iter().rev() {
        b.sql(
            Statement::DropView(v),
            StepKind::DropView,
            None,
            Some(Cow::Borrowed(v.name.as_str())),
        )?;
    }
    let tables = md.tables();
    for x in &sorted.deferred {
        let t = &tables[x.table];
        let k = &t.constraints()[x.constraint];
        let Some(name) = b.final_name(t, k.name())? else {
            let cycle = if x.cycle.is_empty() {
                vec![
                    t.key(),
                    k.as_foreign_key()
                        .map(|f| f.referred_table().clone())
                        .unwrap_or_else(|| t.key()),
                ]
            } else {
                x.cycle.iter().map(|&i| tables[i].key()).collect()
            };
            return Err(DdlError::UnnamedForeignKeyInCycle {
                cycle,
                table: t.key(),
                columns: k.columns().to_vec(),
            }
            .into());
        };
        b.sql(
            Statement::DropConstraint {
                table: t,
                constraint: k,
            },
            StepKind::DropConstraint,
            Some(t),
            Some(name),
        )?;
    }
    for &ti in sorted.tables.iter().rev() {
        let t = &tables[ti];
        b.event(
            EventKind::BeforeDrop,
            DdlWhen::BeforeDrop,
            t.custom_ddl(),
            Some(t),
        )?;
        b.sql(
            Statement::DropTable { table: t },
            StepKind::DropTable,
            Some(t),
            Some(Cow::Borrowed(t.name())),
        )?;
        b.event(
            EventKind::AfterDrop,
            DdlWhen::AfterDrop,
            t.custom_ddl(),
            Some(t),
        )?;
    }
    b.event(
        EventKind::AfterDrop,
        DdlWhen::AfterDrop,
        md.custom_ddl(),
        None,
    )?;
    Ok(b)
}
