//! Create and drop plans of a whole metadata: the statements of each table
//! with final names, resolved types and references, in dependency order.

use std::sync::atomic::{AtomicUsize, Ordering};

use rustc_hash::FxHashMap as HashMap;

use super::error::DdlError;
use super::plan::{Plan, Script, Step};
use super::sort::{order_for_create, order_for_drop, Order};
use crate::dialect::mentions;
use crate::dialect::{CommentStyle, Dialect, SqlPlace};
use crate::events::EventKind;
use crate::naming::{check_final_names, check_identifier_lengths, NameRules, NamingError};
use crate::schema::{
    Check, Column, ColumnType, Constraint, CustomDdl, ForeignKey, Index, MetaData, Name, Resolved,
    Table, TableRef,
};
use crate::sql::{
    CheckDef, ColumnDef, ConstraintDef, CreateIndex, CreateTable, ForeignKeyDef, Statement, ViewDef,
};
use crate::text::abbrev;

/// Options for building plans.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DdlOptions {
    /// Overrides the dialect's limit on constraint and index names.
    pub max_identifier_length: Option<usize>,
    /// MySQL: the database that holds the tables without a schema, so that a
    /// table in a schema (another database) can refer to them.
    pub database: Option<String>,
    /// Skip objects that already exist (decided by the executing engine from
    /// each statement's table and object).
    pub checkfirst: bool,
    /// Make the plan on the calling thread only. A large schema's
    /// statements are otherwise made on two threads; a caller that makes
    /// several plans at once (as `diff OLD NEW` does, one per document)
    /// keeps them from competing for the same cores. The plan is the same.
    pub one_thread: bool,
}

/// The create plan (create_all): metadata `before_create`; for each table in
/// dependency order its `before_create`, `CREATE TABLE`, indexes, comments
/// and `after_create`; then the deferred foreign keys by `ALTER TABLE`; the
/// views; metadata `after_create`. Custom DDL is placed at its event.
///
/// ```
/// use nomenclator::{Column, MetaData, Table};
/// use nomenclator::ddl::{create_plan, DdlOptions};
/// use nomenclator::dialect::PostgreSql;
///
/// let mut md = MetaData::new();
/// md.add_table(Table::new("t").column(Column::new("id", "integer").primary_key()))?;
/// let plan = create_plan(&md, &PostgreSql, &DdlOptions::default())?;
/// assert_eq!(plan.script()?, "CREATE TABLE t (\n\tid SERIAL NOT NULL,\n\tPRIMARY KEY (id)\n);\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn create_plan<'d>(
    md: &MetaData,
    dialect: &'d dyn Dialect,
    options: &DdlOptions,
) -> Result<Plan<'d>, DdlError> {
    let room = 2 + md.views().len() + steps_of(md.tables());
    let steps = build_create(md, dialect, options, Vec::with_capacity(room))?;
    Ok(Plan { dialect, steps })
}

/// The drop plan (drop_all), the mirror of [`create_plan`]: metadata
/// `before_drop`; views; the deferred foreign keys (which must have names);
/// tables in reverse dependency order, each between its `before_drop` and
/// `after_drop`; metadata `after_drop`. Each `DROP TABLE` carries the
/// statements that would create the table again (its inverse).
pub fn drop_plan<'d>(
    md: &MetaData,
    dialect: &'d dyn Dialect,
    options: &DdlOptions,
) -> Result<Plan<'d>, DdlError> {
    let steps = build_drop(md, dialect, options, Vec::new())?;
    Ok(Plan { dialect, steps })
}

/// The create script: what `create_plan(..)?.script()` gives, written as
/// the plan is made, without keeping its statements (what `nomenclator ddl`
/// prints; a large schema's plan would take more memory than its script).
pub fn create_script<'d>(
    md: &MetaData,
    dialect: &'d dyn Dialect,
    options: &DdlOptions,
) -> Result<Script<'d>, DdlError> {
    build_create(md, dialect, options, Script::new(dialect))
}

/// The drop script: what `drop_plan(..)?.script()` gives (see [`create_script`]).
pub fn drop_script<'d>(
    md: &MetaData,
    dialect: &'d dyn Dialect,
    options: &DdlOptions,
) -> Result<Script<'d>, DdlError> {
    build_drop(md, dialect, options, Script::new(dialect))
}

/// From this many tables, their steps are made on two threads.
const PARALLEL_TABLES: usize = 512;

/// Into how many runs the tables are cut for the two threads: enough that
/// neither waits long for the other at the end, few enough that the runs'
/// partly filled script pieces stay a small part of the script.
const RUNS: usize = 16;

fn build_create<S: Sink>(
    md: &MetaData,
    dialect: &dyn Dialect,
    options: &DdlOptions,
    sink: S,
) -> Result<S, DdlError> {
    let resolved = md.validate()?;
    let mut b = Builder::new(&resolved, dialect, options, sink);
    let mut checked = b.check_names_first()?;
    let made = create_steps(&mut b, &mut checked);
    // What the checks of names find wrong comes before anything else.
    checked.unwrap_or_else(|| b.check_names())?;
    made?;
    Ok(b.sink)
}

fn create_steps<S: Sink>(
    b: &mut Builder<'_, S>,
    checked: &mut Option<Result<(), DdlError>>,
) -> Result<(), DdlError> {
    let md = b.md;
    let sorted = order_for_create(b.resolved, b.d.capabilities().alter_add_constraint)?;
    let deferred = deferred_by_table(&sorted);
    b.event(EventKind::BeforeCreate, md.custom_ddl(), None)?;
    if b.d.capabilities().enum_types {
        for (name, values) in enum_types(md)? {
            // The server would cut a longer name, and the type would not
            // be found again under the one the columns use.
            b.rules.check_length(
                &name.name,
                || "enumerated type".to_owned(),
                ", or name the type in the column's type: enum(..., name = '...')",
            )?;
            b.push(Statement::CreateEnumType { name, values })?;
        }
    }
    let tables = md.tables();
    b.each_table(&sorted.tables, checked, |b, ti| {
        let t = &tables[ti];
        b.event(EventKind::BeforeCreate, t.custom_ddl(), Some(t))?;
        for st in b.table_statements(t, deferred.get(&ti).map_or(&[], Vec::as_slice))? {
            b.push(st)?;
        }
        b.event(EventKind::AfterCreate, t.custom_ddl(), Some(t))
    })?;
    for x in &sorted.deferred {
        let t = &tables[x.table];
        let constraint = b.constraint(t, &t.constraints()[x.constraint])?;
        b.push(Statement::AddConstraint {
            table: t.key(),
            constraint,
        })?;
    }
    for v in md.views() {
        b.raw_sql(&v.sql, SqlPlace::Tail, || {
            format!("view \"{}\"", TableRef::new(v.schema.as_deref(), &v.name))
        })?;
        b.push(Statement::CreateView(view(v)))?;
    }
    b.event(EventKind::AfterCreate, md.custom_ddl(), None)
}

fn build_drop<S: Sink>(
    md: &MetaData,
    dialect: &dyn Dialect,
    options: &DdlOptions,
    sink: S,
) -> Result<S, DdlError> {
    let resolved = md.validate()?;
    let mut b = Builder::new(&resolved, dialect, options, sink);
    let mut checked = b.check_names_first()?;
    let made = drop_steps(&mut b, &mut checked);
    checked.unwrap_or_else(|| b.check_names())?;
    made?;
    Ok(b.sink)
}

fn drop_steps<S: Sink>(
    b: &mut Builder<'_, S>,
    checked: &mut Option<Result<(), DdlError>>,
) -> Result<(), DdlError> {
    let md = b.md;
    let sorted = order_for_drop(b.resolved, b.d.capabilities().alter_add_constraint)?;
    let deferred = deferred_by_table(&sorted);
    b.event(EventKind::BeforeDrop, md.custom_ddl(), None)?;
    for v in md.views().iter().rev() {
        b.push(Statement::DropView(view(v)))?;
    }
    let tables = md.tables();
    for x in &sorted.deferred {
        let t = &tables[x.table];
        let k = &t.constraints()[x.constraint];
        if b.final_name(t, k.name(), k.kind().describe())?.is_none() {
            let cycle = sorted.cycle_of(x);
            let cycle = if cycle.is_empty() {
                vec![
                    t.key(),
                    k.as_foreign_key()
                        .map(|f| f.referred_table().clone())
                        .unwrap_or_else(|| t.key()),
                ]
            } else {
                cycle.iter().map(|&i| tables[i].key()).collect()
            };
            return Err(DdlError::UnnamedForeignKeyInCycle {
                cycle,
                table: t.key(),
                columns: k.columns().to_vec(),
            });
        }
        // Dropping needs only the name; the full definition (for the
        // inverse) may need what a drop does not (MySQL's --database).
        let constraint = match b.constraint(t, k) {
            Ok(c) => c,
            Err(_) => b.foreign_key_as_declared(t, k)?,
        };
        b.push(Statement::DropConstraint {
            table: t.key(),
            constraint,
        })?;
    }
    let reversed: Vec<usize> = sorted.tables.iter().rev().copied().collect();
    b.each_table(&reversed, checked, |b, ti| {
        let t = &tables[ti];
        b.event(EventKind::BeforeDrop, t.custom_ddl(), Some(t))?;
        // What would create the table again, kept by a plan (a script has
        // no use for it); a table that this dialect cannot create (a drop
        // needs none of it) has no inverse.
        let restore = if b.sink.keeps_statements() {
            b.table_statements(t, deferred.get(&ti).map_or(&[], Vec::as_slice))
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        b.push(Statement::DropTable {
            table: t.key(),
            restore,
        })?;
        b.event(EventKind::AfterDrop, t.custom_ddl(), Some(t))
    })?;
    if b.d.capabilities().enum_types {
        for (name, values) in enum_types(md)?.into_iter().rev() {
            b.push(Statement::DropEnumType { name, values })?;
        }
    }
    b.event(EventKind::AfterDrop, md.custom_ddl(), None)
}

/// The enumerated types the columns of `md` use, each once, in the order
/// of their first column; an error where two columns give one type
/// different values.
pub(crate) fn enum_types(md: &MetaData) -> Result<Vec<(TableRef, Vec<String>)>, DdlError> {
    let mut out: Vec<(TableRef, Vec<String>, String)> = Vec::new();
    let mut at: HashMap<TableRef, usize> = HashMap::default();
    for t in md.tables() {
        for c in t.columns() {
            let Some(ColumnType::Enum(e)) = c.column_type() else {
                continue;
            };
            let name = TableRef::new(e.schema(), e.name().unwrap_or(c.name()));
            let column = || format!("{}.{}", t.full_name(), c.name());
            match at.get(&name).map(|&i| &out[i]) {
                Some((_, values, _)) if values.as_slice() == e.values() => {}
                Some((_, values, first)) => {
                    return Err(DdlError::EnumTypeConflict {
                        name,
                        first: first.clone(),
                        first_values: values.clone(),
                        second: column(),
                        second_values: e.values().to_vec(),
                    })
                }
                None => {
                    at.insert(name.clone(), out.len());
                    out.push((name, e.values().to_vec(), column()));
                }
            }
        }
    }
    Ok(out.into_iter().map(|(n, v, _)| (n, v)).collect())
}

/// Where a plan's steps go as they are made: kept (a [`Plan`]'s steps) or
/// written at once (a [`Script`]).
trait Sink: Send + Sized {
    /// Takes the next step.
    fn step(&mut self, step: Step) -> Result<(), DdlError>;
    /// An empty sink for steps that follow this one's (another thread's
    /// part), with room for about `steps` steps.
    fn fork(&self, steps: usize) -> Self;
    /// Appends what `later`, forks of this sink, took, in order.
    fn join(&mut self, later: Vec<Self>);
    /// Whether statements are kept (so that what only their inverses need is worth making).
    fn keeps_statements(&self) -> bool;
}

impl Sink for Vec<Step> {
    fn step(&mut self, step: Step) -> Result<(), DdlError> {
        self.push(step);
        Ok(())
    }

    fn fork(&self, steps: usize) -> Self {
        Vec::with_capacity(steps)
    }

    fn join(&mut self, later: Vec<Self>) {
        // Room for all at once: growing step by step would copy the plan
        // again at each doubling.
        self.reserve(later.iter().map(Vec::len).sum());
        for part in later {
            self.extend(part);
        }
    }

    fn keeps_statements(&self) -> bool {
        true
    }
}

impl Sink for Script<'_> {
    fn step(&mut self, step: Step) -> Result<(), DdlError> {
        match step {
            Step::Statement(st) => self.push(&st),
            Step::Event { .. } => Ok(()),
        }
    }

    fn fork(&self, _steps: usize) -> Self {
        Script::new(self.dialect())
    }

    fn join(&mut self, later: Vec<Self>) {
        for part in later {
            self.append(part);
        }
    }

    fn keeps_statements(&self) -> bool {
        false
    }
}

/// About how many steps a create plan makes for `tables`: two events,
/// the table and its indexes each (comments are not counted).
fn steps_of<'a>(tables: impl IntoIterator<Item = &'a Table>) -> usize {
    tables.into_iter().map(|t| 3 + t.indexes().len()).sum()
}

/// The deferred foreign keys of each table, by position.
fn deferred_by_table(sorted: &Order) -> HashMap<usize, Vec<usize>> {
    let mut by_table: HashMap<usize, Vec<usize>> = HashMap::default();
    for x in &sorted.deferred {
        by_table.entry(x.table).or_default().push(x.constraint);
    }
    by_table
}

fn view(v: &crate::schema::View) -> ViewDef {
    ViewDef {
        schema: v.schema.clone(),
        name: v.name.clone(),
        sql: v.sql.clone(),
    }
}

/// Makes the steps of one plan into a sink.
struct Builder<'a, S> {
    md: &'a MetaData,
    resolved: &'a Resolved<'a>,
    d: &'a dyn Dialect,
    options: &'a DdlOptions,
    rules: NameRules,
    sink: S,
}

impl<'a, S: Sink> Builder<'a, S> {
    /// A builder of plans of `resolved` for `d`, into `sink`.
    fn new(
        resolved: &'a Resolved<'a>,
        d: &'a dyn Dialect,
        options: &'a DdlOptions,
        sink: S,
    ) -> Self {
        Builder {
            md: resolved.metadata(),
            resolved,
            d,
            options,
            rules: d.name_rules(options.max_identifier_length),
            sink,
        }
    }

    /// Checks what must hold before any statement is made (references
    /// were checked by validating): schema file names, identifier lengths,
    /// then final names. Their errors come before any other of the plan.
    fn check_names(&self) -> Result<(), DdlError> {
        let md = self.md;
        if self.d.capabilities().schemas_are_files {
            check_schema_file_names(md, self.d)?;
        }
        check_identifier_lengths(md, &self.rules)?;
        check_final_names(md, &self.rules)?;
        Ok(())
    }

    /// The checks of names, made now for a schema whose tables are made
    /// on one thread (`Some`, never an error), or left for the second
    /// thread of [`each_table`](Self::each_table) (`None`).
    fn check_names_first(&self) -> Result<Option<Result<(), DdlError>>, DdlError> {
        if self.two_threads(self.md.tables().len()) {
            return Ok(None);
        }
        self.check_names()?;
        Ok(Some(Ok(())))
    }

    /// Whether the statements of `tables` tables are made on two threads.
    fn two_threads(&self, tables: usize) -> bool {
        tables >= PARALLEL_TABLES && !self.options.one_thread
    }

    fn push(&mut self, st: Statement) -> Result<(), DdlError> {
        self.sink.step(Step::Statement(st))
    }

    /// `each` of every table position in `order`, in order. For many
    /// tables, on two threads: the tables are cut into runs, which each
    /// thread takes in turn into a fork of the sink, joined in order
    /// after; the second thread first makes the checks of names (into
    /// `checked`), which would otherwise keep the first waiting. All on
    /// this thread for few tables or if no thread can be had. The first
    /// error in table order wins, as on one thread.
    fn each_table(
        &mut self,
        order: &[usize],
        checked: &mut Option<Result<(), DdlError>>,
        each: impl Fn(&mut Self, usize) -> Result<(), DdlError> + Sync,
    ) -> Result<(), DdlError> {
        let serial = |b: &mut Self, part: &[usize]| part.iter().try_for_each(|&ti| each(b, ti));
        if !self.two_threads(order.len()) {
            return serial(self, order);
        }
        let runs: Vec<&[usize]> = order.chunks(order.len().div_ceil(RUNS)).collect();
        let next = AtomicUsize::new(0);
        // The first run that failed: later ones are not worth making.
        let failed = AtomicUsize::new(usize::MAX);
        let work = |b: &mut Self| {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= runs.len() || i > failed.load(Ordering::Relaxed) {
                    return done;
                }
                let mut sink = b
                    .sink
                    .fork(steps_of(runs[i].iter().map(|&ti| &b.md.tables()[ti])));
                std::mem::swap(&mut b.sink, &mut sink);
                let made = serial(b, runs[i]);
                std::mem::swap(&mut b.sink, &mut sink);
                if made.is_err() {
                    failed.fetch_min(i, Ordering::Relaxed);
                }
                done.push((i, made.map(|()| sink)));
            }
        };
        let mut other = Builder {
            md: self.md,
            resolved: self.resolved,
            d: self.d,
            options: self.options,
            rules: self.rules.clone(),
            sink: self.sink.fork(0),
        };
        let check = checked.is_none();
        let (mut done, theirs) = std::thread::scope(|s| {
            let helper = std::thread::Builder::new().spawn_scoped(s, || {
                let names = check.then(|| other.check_names());
                (names, work(&mut other))
            });
            match helper {
                Ok(h) => {
                    let mine = work(self);
                    let theirs = h.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
                    (mine, Some(theirs))
                }
                Err(_) => (work(self), None),
            }
        });
        if let Some((names, theirs)) = theirs {
            if names.is_some() {
                *checked = names;
            }
            done.extend(theirs);
        }
        done.sort_unstable_by_key(|&(i, _)| i);
        let parts = done
            .into_iter()
            .map(|(_, made)| made)
            .collect::<Result<Vec<S>, DdlError>>()?;
        self.sink.join(parts);
        Ok(())
    }

    /// The event, then the custom DDL of `ddl` that runs at it on this dialect.
    fn event(
        &mut self,
        kind: EventKind,
        ddl: &[CustomDdl],
        table: Option<&Table>,
    ) -> Result<(), DdlError> {
        self.sink.step(Step::Event {
            kind,
            table: table.map(Table::key),
        })?;
        for c in ddl
            .iter()
            .filter(|c| c.when == kind && c.applies_to(self.d.kind()))
        {
            let sql = render_custom_ddl(c, table, self.d)?;
            self.raw_sql(&sql, SqlPlace::Statement, || match table {
                Some(t) => format!("custom DDL ({}) of table \"{}\"", kind.as_str(), t.key()),
                None => format!("custom DDL ({})", kind.as_str()),
            })?;
            self.push(Statement::Custom {
                sql,
                table: table.map(Table::key),
                transactional: c.transactional,
            })?;
        }
        Ok(())
    }

    /// The final name of a constraint or index of `t` for this dialect.
    fn final_name(&self, t: &Table, name: &Name, what: &str) -> Result<Option<String>, DdlError> {
        Ok(self
            .rules
            .finalize(name, || format!("{what} of table \"{}\"", t.key()))?
            .map(|n| n.into_owned()))
    }

    /// Checks raw SQL for its place in a statement (see [`SqlPlace`]).
    fn raw_sql(
        &self,
        sql: &str,
        place: SqlPlace,
        what: impl FnOnce() -> String,
    ) -> Result<(), DdlError> {
        match self.d.check_sql(sql, place) {
            Ok(_) => Ok(()),
            Err(error) => Err(DdlError::RawSql {
                what: what(),
                sql: sql.to_owned(),
                place,
                error,
            }),
        }
    }

    /// A check of `t` as data, its raw SQL checked.
    fn check(&self, t: &Table, ck: &Check) -> Result<CheckDef, DdlError> {
        let name = self.final_name(t, &ck.name, "check constraint")?;
        self.raw_sql(ck.sql(), SqlPlace::Fragment, || {
            let name = name
                .as_deref()
                .map(|n| format!(" \"{n}\""))
                .unwrap_or_default();
            match ck.column() {
                Some(c) => format!(
                    "check constraint{name} of column \"{c}\" of table \"{}\"",
                    t.key()
                ),
                None => format!("check constraint{name} of table \"{}\"", t.key()),
            }
        })?;
        Ok(CheckDef {
            name,
            sql: ck.sql().to_owned(),
        })
    }

    /// On a dialect that refuses it, an error for a check of `t` that
    /// refers to `auto`, its auto-increment column.
    fn check_auto_increment(&self, t: &Table, auto: &Column) -> Result<(), DdlError> {
        if self.d.capabilities().checks_on_auto_increment {
            return Ok(());
        }
        let lexical = self.d.capabilities().lexical;
        let case = self.d.namespaces().case;
        for k in t.constraints() {
            let Constraint::Check(ck) = k else { continue };
            if !ck.applies_to(self.d.kind()) {
                continue;
            }
            let on_column = ck.column().is_some_and(|c| case.same(c, auto.name()));
            if on_column || mentions(ck.sql(), &lexical, auto.name(), case) {
                let name = self.final_name(t, &ck.name, "check constraint")?;
                return Err(DdlError::CheckOnAutoIncrement {
                    dialect: self.d.name(),
                    table: t.key(),
                    column: auto.name().to_owned(),
                    check: describe_check(name.as_deref(), ck),
                });
            }
        }
        Ok(())
    }

    /// On a dialect that refuses it, an error for a check of `t` that
    /// refers to a column of a foreign key whose referential action
    /// changes that column.
    fn check_referential_actions(&self, t: &Table) -> Result<(), DdlError> {
        let lexical = self.d.capabilities().lexical;
        let case = self.d.namespaces().case;
        for fk in t.foreign_keys() {
            let Some(action) = self.d.action_refusing_checks(fk.on_delete, fk.on_update) else {
                continue;
            };
            for k in t.constraints() {
                let Constraint::Check(ck) = k else { continue };
                if !ck.applies_to(self.d.kind()) {
                    continue;
                }
                let used = fk.columns().iter().find(|c| {
                    ck.column().is_some_and(|x| case.same(x, c))
                        || mentions(ck.sql(), &lexical, c, case)
                });
                let Some(column) = used else { continue };
                let name = self.final_name(t, &ck.name, "check constraint")?;
                let fk_name = self.final_name(t, &fk.name, "foreign key")?;
                return Err(DdlError::CheckOnReferentialAction {
                    dialect: self.d.name(),
                    table: t.key(),
                    column: column.clone(),
                    check: describe_check(name.as_deref(), ck),
                    foreign_key: match fk_name {
                        Some(n) => format!("\"{n}\" ({})", fk.columns().join(", ")),
                        None => format!("({})", fk.columns().join(", ")),
                    },
                    action,
                });
            }
        }
        Ok(())
    }

    /// `CREATE TABLE`, its indexes and its comments (where comments are
    /// statements). The foreign keys at positions `deferred` are left out.
    fn table_statements(&self, t: &Table, deferred: &[usize]) -> Result<Vec<Statement>, DdlError> {
        let mut out = Vec::with_capacity(1 + t.indexes().len());
        out.push(Statement::CreateTable(self.create_table(t, deferred)?));
        for ix in t.indexes() {
            out.push(Statement::CreateIndex(self.index(t, ix)?));
        }
        if self.d.capabilities().comments == CommentStyle::Statements {
            if let Some(text) = t.comment() {
                out.push(Statement::Comment {
                    table: t.key(),
                    column: None,
                    text: text.to_owned(),
                });
            }
            for c in t.columns() {
                if let Some(text) = c.comment() {
                    out.push(Statement::Comment {
                        table: t.key(),
                        column: Some(c.name().to_owned()),
                        text: text.to_owned(),
                    });
                }
            }
        }
        Ok(out)
    }

    fn create_table(&self, t: &Table, deferred: &[usize]) -> Result<CreateTable, DdlError> {
        let caps = self.d.capabilities();
        let auto = auto_increment_column(t);
        if let Some(a) = auto {
            self.check_auto_increment(t, a)?;
        }
        self.check_referential_actions(t)?;
        let mut late_checks = Vec::new();
        let mut columns = Vec::with_capacity(t.columns().len());
        for c in t.columns() {
            let ty = self.column_type(t, c, Some(self.md))?;
            let column = || format!("column \"{}\" of table \"{}\"", c.name(), t.key());
            if let ColumnType::Other(text) = ty {
                self.raw_sql(text, SqlPlace::Fragment, || format!("type of {}", column()))?;
            }
            if let Some(default) = c.server_default() {
                self.raw_sql(default, SqlPlace::Fragment, || {
                    format!("default of {}", column())
                })?;
            }
            if matches!(ty, ColumnType::Varchar(None)) && caps.varchar_needs_length {
                return Err(crate::dialect::DialectError::LengthNeeded {
                    dialect: self.d.name(),
                    ty: ty.to_string(),
                }
                .into());
            }
            let in_pk = t
                .primary_key()
                .is_some_and(|pk| pk.columns().iter().any(|x| x == c.name()));
            let mut checks = Vec::new();
            for (i, k) in t.constraints().iter().enumerate() {
                let Constraint::Check(ck) = k else { continue };
                if ck.column() != Some(c.name()) || !ck.applies_to(self.d.kind()) {
                    continue;
                }
                let def = self.check(t, ck)?;
                if def.name.is_some() && !caps.inline_named_column_checks {
                    late_checks.push(i);
                    continue;
                }
                checks.push(def);
            }
            columns.push(ColumnDef {
                name: c.name().to_owned(),
                ty: ty.clone(),
                auto_increment: auto.is_some_and(|a| std::ptr::eq(a, c)),
                default: c.server_default().map(str::to_owned),
                not_null: !c.is_nullable() || in_pk,
                checks,
                comment: c.comment().map(str::to_owned),
            });
        }
        // At most the key and every constraint; a vector grown one by one
        // would hold room for four of these large values.
        let mut constraints =
            Vec::with_capacity(usize::from(t.primary_key().is_some()) + t.constraints().len());
        if let Some(pk) = t.primary_key() {
            self.check_keyable(t, pk.columns(), || "primary key".into(), Some(self.md))?;
            constraints.push(ConstraintDef::PrimaryKey {
                name: self.final_name(t, &pk.name, "primary key")?,
                columns: pk.columns().to_vec(),
            });
        }
        for (i, k) in t.constraints().iter().enumerate() {
            match k {
                Constraint::ForeignKey(_) if deferred.contains(&i) => {}
                Constraint::Check(ck) if ck.column().is_some() && !late_checks.contains(&i) => {}
                // A check for other dialects (standing in for a type they lack).
                Constraint::Check(ck) if !ck.applies_to(self.d.kind()) => {}
                k => constraints.push(self.constraint(t, k)?),
            }
        }
        Ok(CreateTable {
            table: t.key(),
            comment: t.comment().map(str::to_owned),
            columns,
            constraints,
        })
    }

    /// A constraint of `t` as data, checked for this dialect.
    fn constraint(&self, t: &Table, k: &Constraint) -> Result<ConstraintDef, DdlError> {
        Ok(match k {
            Constraint::PrimaryKey(pk) => ConstraintDef::PrimaryKey {
                name: self.final_name(t, &pk.name, "primary key")?,
                columns: pk.columns().to_vec(),
            },
            Constraint::Unique(uq) => {
                self.check_keyable(
                    t,
                    uq.columns(),
                    || "unique constraint".into(),
                    Some(self.md),
                )?;
                ConstraintDef::Unique {
                    name: self.final_name(t, &uq.name, "unique constraint")?,
                    columns: uq.columns().to_vec(),
                }
            }
            Constraint::Check(ck) => ConstraintDef::Check(self.check(t, ck)?),
            Constraint::ForeignKey(fk) => ConstraintDef::ForeignKey(self.foreign_key(t, fk)?),
        })
    }

    fn foreign_key(&self, t: &Table, fk: &ForeignKey) -> Result<ForeignKeyDef, DdlError> {
        let caps = self.d.capabilities();
        let referred_columns =
            self.md
                .referred_columns(t, fk)
                .map_err(|e| DdlError::Reference {
                    table: t.key(),
                    columns: fk.columns().to_vec(),
                    reason: e.to_string(),
                })?;
        let r = fk.referred_table();
        // The schema that qualifies the referred table, if any.
        let target_schema = if !caps.schema_qualified_references {
            None
        } else if let Some(s) = &r.schema {
            Some(s.clone())
        } else if let (Some(own), true) = (t.schema(), caps.references_resolve_in_own_schema) {
            match &self.options.database {
                Some(db) => Some(db.clone()),
                None => {
                    return Err(DdlError::DatabaseNeeded {
                        dialect: self.d.name(),
                        table: t.key(),
                        schema: own.to_owned(),
                        referred: r.clone(),
                    })
                }
            }
        } else {
            None
        };
        Ok(ForeignKeyDef {
            name: self.final_name(t, &fk.name, "foreign key")?,
            columns: fk.columns().to_vec(),
            referred_table: TableRef {
                schema: target_schema,
                name: r.name.clone(),
            },
            referred_columns: referred_columns.to_vec(),
            on_delete: fk.on_delete,
            on_update: fk.on_update,
        })
    }

    /// A foreign key with its referred table as declared, for a drop whose
    /// full definition cannot be made.
    fn foreign_key_as_declared(
        &self,
        t: &Table,
        k: &Constraint,
    ) -> Result<ConstraintDef, DdlError> {
        let Constraint::ForeignKey(fk) = k else {
            return self.constraint(t, k);
        };
        Ok(ConstraintDef::ForeignKey(ForeignKeyDef {
            name: self.final_name(t, &fk.name, "foreign key")?,
            columns: fk.columns().to_vec(),
            referred_table: fk.referred_table().clone(),
            referred_columns: self
                .md
                .referred_columns(t, fk)
                .map(<[String]>::to_vec)
                .unwrap_or_default(),
            on_delete: fk.on_delete,
            on_update: fk.on_update,
        }))
    }

    /// An index of `t` as data: its expressions and predicate checked as
    /// raw SQL, and refused where the dialect cannot write them.
    fn index(&self, t: &Table, ix: &Index) -> Result<CreateIndex, DdlError> {
        let Some(name) = self.final_name(t, &ix.name, "index")? else {
            return Err(NamingError::IndexWithoutName {
                table: t.key(),
                columns: ix.parts().iter().map(|p| p.text().to_owned()).collect(),
            }
            .into());
        };
        let what = |part: &str| format!("{part} of index \"{name}\" of table \"{}\"", t.key());
        for (m, part) in ix.parts().iter().enumerate() {
            if let Some(sql) = part.expression_sql() {
                self.raw_sql(sql, SqlPlace::Fragment, || what(&format!("expression {m}")))?;
            }
        }
        if let Some(sql) = ix.predicate() {
            self.raw_sql(sql, SqlPlace::Fragment, || what("WHERE predicate"))?;
        }
        self.check_keyable(t, ix.columns(), || format!("index \"{name}\""), None)?;
        let ix = CreateIndex {
            table: t.key(),
            name,
            parts: ix.parts().to_vec(),
            predicate: ix.predicate().map(str::to_owned),
            unique: ix.is_unique(),
        };
        self.d.check_index(&ix)?;
        Ok(ix)
    }

    /// The column's type, or for an untyped column in a foreign key, the
    /// referred column's type.
    fn column_type<'t>(
        &self,
        t: &'t Table,
        c: &'t Column,
        md: Option<&'t MetaData>,
    ) -> Result<&'t ColumnType, DdlError> {
        if let Some(ty) = c.column_type() {
            return Ok(ty);
        }
        for fk in t.foreign_keys() {
            let Some(i) = fk.columns().iter().position(|x| x == c.name()) else {
                continue;
            };
            let Some(md) = md else { continue };
            if let (Some(target), Ok(cols)) = (
                md.get(fk.referred_table()),
                self.resolved.referred_columns(t, fk),
            ) {
                if let Some(ty) = target.column_named(&cols[i]).and_then(Column::column_type) {
                    return Ok(ty);
                }
            }
        }
        Err(DdlError::UntypedColumn {
            table: t.key(),
            column: c.name().to_owned(),
        })
    }

    /// On dialects that cannot key a TEXT/BLOB/JSON column without a
    /// prefix length, an error for such a column among `cols`.
    fn check_keyable(
        &self,
        t: &Table,
        cols: impl IntoIterator<Item = impl AsRef<str>>,
        what: impl Fn() -> String,
        md: Option<&MetaData>,
    ) -> Result<(), DdlError> {
        if !self.d.capabilities().text_keys_need_prefix {
            return Ok(());
        }
        for col in cols {
            let col = col.as_ref();
            let Some(c) = t.column_named(col) else {
                continue;
            };
            let Ok(ty) = self.column_type(t, c, md) else {
                continue;
            };
            let long = match ty {
                ColumnType::Text | ColumnType::Blob | ColumnType::Json => true,
                ColumnType::Other(s) => [
                    "tinytext",
                    "mediumtext",
                    "longtext",
                    "tinyblob",
                    "mediumblob",
                    "longblob",
                ]
                .iter()
                .any(|x| x.eq_ignore_ascii_case(s)),
                _ => false,
            };
            if long {
                return Err(DdlError::PrefixLengthNeeded {
                    dialect: self.d.name(),
                    table: t.key(),
                    what: what(),
                    column: col.to_owned(),
                    ty: ty.to_string(),
                });
            }
        }
        Ok(())
    }
}

/// `check constraint "name" (sql)`, for messages.
fn describe_check(name: Option<&str>, ck: &Check) -> String {
    match name {
        Some(n) => format!("check constraint \"{n}\" ({})", abbrev(ck.sql())),
        None => format!("check constraint ({})", abbrev(ck.sql())),
    }
}

/// On a dialect whose schemas are database files, an error for a schema
/// name that is not a plain file name: it would put the file elsewhere
/// (`../x`, `/tmp/x`, `C:x`) or change how it is opened (`?mode=`, `#`).
fn check_schema_file_names(md: &MetaData, d: &dyn Dialect) -> Result<(), DdlError> {
    let relations = md
        .tables()
        .iter()
        .map(|t| (t.schema(), "table", t.name()))
        .chain(
            md.views()
                .iter()
                .map(|v| (v.schema.as_deref(), "view", v.name.as_str())),
        );
    for (schema, kind, name) in relations {
        let Some(schema) = schema else { continue };
        if let Some(reason) = schema_file_name_problem(schema) {
            return Err(DdlError::SchemaNotAFileName {
                dialect: d.name(),
                schema: schema.to_owned(),
                what: format!("{kind} \"{}\"", abbrev(name)),
                reason,
            });
        }
    }
    Ok(())
}

/// What keeps `schema` from being a plain file name, if anything: a path
/// separator, a drive or stream (`:`), a leading dot (`.`, `..`, hidden
/// files), a control character or NUL, or a character that a URI file name
/// reads (`?`, `#`, `%`).
///
/// ```text
/// s1, sales_2024, café    plain file names
/// x/../../escaped, C:x, .hidden, a?mode=rwc    not
/// ```
pub(crate) fn schema_file_name_problem(schema: &str) -> Option<&'static str> {
    if schema.is_empty() {
        return Some("is empty");
    }
    if schema.starts_with('.') {
        return Some("starts with a dot (., .. and hidden files)");
    }
    for c in schema.chars() {
        match c {
            '/' | '\\' => return Some("holds a path separator (/ or \\)"),
            ':' => return Some("holds a colon (a drive letter or stream)"),
            '?' | '#' | '%' => return Some("holds ?, # or %, which a URI file name reads"),
            c if c.is_control() => return Some("holds a control character or NUL"),
            _ => {}
        }
    }
    None
}

/// The column that auto-increments, by SQLAlchemy's rule: the only
/// primary-key column, of an integer type, not in a foreign key, without
/// a server default.
fn auto_increment_column(t: &Table) -> Option<&Column> {
    let pk = t.primary_key()?;
    let [col] = pk.columns() else { return None };
    let c = t.column_named(col)?;
    let integer = c.column_type().is_some_and(ColumnType::is_integer);
    let in_fk = t
        .foreign_keys()
        .any(|fk| fk.columns().iter().any(|x| x == col));
    let allowed = c.autoincrement_setting() != Some(false);
    (integer && allowed && !in_fk && c.server_default().is_none()).then_some(c)
}

/// A custom DDL statement for `dialect`: `%(table)s`, `%(schema)s` and
/// `%(fullname)s` replaced by the quoted name, schema and schema-qualified
/// name of `table`, and `%%` by `%`. Tokens need a table; a table without a
/// schema has no `%(schema)s`.
pub fn render_custom_ddl(
    ddl: &CustomDdl,
    table: Option<&Table>,
    dialect: &dyn Dialect,
) -> Result<String, DdlError> {
    let err = |reason: String| DdlError::CustomDdl {
        sql: ddl.sql.clone(),
        reason,
    };
    let mut out = String::with_capacity(ddl.sql.len());
    let mut rest = ddl.sql.as_str();
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(r) = rest.strip_prefix("%%") {
            out.push('%');
            rest = r;
            continue;
        }
        let token = ["table", "schema", "fullname"]
            .into_iter()
            .find(|t| rest.starts_with(&format!("%({t})s")));
        let Some(token) = token else {
            out.push('%');
            rest = &rest[1..];
            continue;
        };
        let Some(t) = table else {
            return Err(err(format!(
                "%({token})s needs a table; metadata-level DDL has none"
            )));
        };
        match token {
            "table" => dialect.push_quoted(&mut out, t.name()),
            "fullname" => dialect.push_qualified(&mut out, t.schema(), t.name()),
            _ => match t.schema() {
                Some(s) => dialect.push_quoted(&mut out, s),
                None => {
                    return Err(err(format!(
                        "%(schema)s: table \"{}\" has no schema",
                        t.key()
                    )))
                }
            },
        }
        rest = &rest[token.len() + 4..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::schema_file_name_problem;

    #[test]
    fn schema_file_names_are_plain() {
        for ok in ["s1", "sales_2024", "café", "a b", "x.y"] {
            assert_eq!(schema_file_name_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            ".",
            "..",
            ".hidden",
            "x/../../escaped",
            "a\\b",
            "C:x",
            "a\0b",
            "a\nb",
            "m?mode=rwc",
            "a#b",
            "a%2Fb",
        ] {
            assert!(schema_file_name_problem(bad).is_some(), "{bad:?}");
        }
    }
}
