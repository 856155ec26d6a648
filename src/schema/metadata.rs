//! The metadata: a collection of tables with an event bus.

use std::any::Any;
use std::sync::Arc;

use super::column::{Column, ColumnType};
use super::constraint::{
    Constraint, ForeignKey, Index, IndexPart, Origin, PrimaryKey, TableRef, Unique,
};
use super::dialect_kind::DialectKind;
use super::error::{closest, SchemaError};
use super::name::Name;
use super::table::{CustomDdl, Item, Table, View};
use super::table_index::TableIndex;
use crate::events::{
    call_creating, Catalog, ColumnAttached, ConstraintAttached, Created, DdlEvent, EventBus,
    EventKind, IndexAttached, ListenOptions, Listener, ListenerId, ObjectAt, Phase,
    PrimaryKeyColumnAdded, TableAttached, TableBuilt, TablesComplete,
};

/// How deep objects made by listeners may nest: an object a listener made
/// from the event of an object a listener made, and so on. Deeper, a
/// listener keeps creating, and attaching stops with
/// [`SchemaError::CreationLoop`].
pub const MAX_CREATION_DEPTH: usize = 16;

/// What a fallible attachment returns.
type Result<T, E = SchemaError> = std::result::Result<T, E>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    PrimaryKey,
    Constraint(usize),
}

#[derive(Clone, Debug)]
struct Deferral {
    listener: ListenerId,
    table: TableRef,
    slot: Slot,
    awaited: TableRef,
}

/// A collection of tables, views and custom DDL, with the event bus its
/// listeners (the naming-convention handler among them) are registered on.
///
/// Cloning a metadata clones its tables and its listeners.
///
/// ```
/// use nomenclator::{Column, MetaData, NamingConvention, Kind, Table};
///
/// let convention = NamingConvention::new()
///     .with(Kind::PrimaryKey, "pk_%(table_name)s").unwrap()
///     .with(Kind::Unique, "uq_%(table_name)s_%(column_0_name)s").unwrap();
/// let mut md = MetaData::with_convention(convention);
/// md.add_table(
///     Table::new("account")
///         .column(Column::new("id", "integer").primary_key())
///         .column(Column::new("email", "varchar(200)").unique()),
/// ).unwrap();
/// let t = md.table("account").unwrap();
/// assert_eq!(t.primary_key().unwrap().name.as_str(), Some("pk_account"));
/// assert_eq!(t.constraints()[0].name().as_str(), Some("uq_account_email"));
/// ```
#[derive(Clone, Debug)]
pub struct MetaData {
    tables: Vec<Table>,
    index: TableIndex,
    bus: EventBus,
    views: Vec<View>,
    ddl: Vec<CustomDdl>,
    deferrals: Vec<Deferral>,
    /// The naming-convention handler's listener and the convention it
    /// applies (kept opaque here: the naming layer sits above this one).
    convention: Option<(ListenerId, Arc<dyn Any + Send + Sync>)>,
}

/// What [`MetaData::validate`] found, as a value to pass on: where each
/// foreign key's referred table sits. Plans and the dependency sort read
/// those positions instead of looking referred tables up by name again.
/// It borrows the metadata, so the tables cannot change while it lives.
#[derive(Clone, Debug)]
pub struct Resolved<'m> {
    md: &'m MetaData,
    /// Where each table's entries start in `targets` (one more at the end).
    start: Vec<usize>,
    /// For each table's constraints in order: the position of a foreign
    /// key's referred table, or `NOT_A_KEY` for other constraints.
    targets: Vec<u32>,
}

impl<'m> Resolved<'m> {
    /// The metadata that was validated.
    pub fn metadata(&self) -> &'m MetaData {
        self.md
    }

    /// The position of the table that the foreign key at `constraint` of
    /// the table at `table` refers to (`None` for another constraint).
    pub fn referred_position(&self, table: usize, constraint: usize) -> Option<usize> {
        let at = self.start.get(table)? + constraint;
        if at >= *self.start.get(table + 1)? {
            return None;
        }
        match self.targets[at] {
            NOT_A_KEY => None,
            p => Some(p as usize),
        }
    }

    /// The columns a foreign key of `table` refers to: its declared ones,
    /// or the referred table's primary key. `table` and `fk` must be the
    /// metadata's own (they are found by address); others are looked up by
    /// name, as [`MetaData::referred_columns`] does.
    pub fn referred_columns(
        &self,
        table: &Table,
        fk: &'m ForeignKey,
    ) -> Result<&'m [String], SchemaError> {
        let known = position_in(&self.md.tables, table).and_then(|ti| {
            let ci = table
                .constraints
                .iter()
                .position(|c| matches!(c, Constraint::ForeignKey(f) if std::ptr::eq(f, fk)))?;
            self.referred_position(ti, ci)
        });
        if let Some(p) = known {
            match (&fk.referred_columns[..], &self.md.tables[p].primary_key) {
                ([], Some(pk)) => return Ok(&pk.columns),
                ([], None) => {}
                (cols, _) => return Ok(cols),
            }
        }
        self.md.referred_columns(table, fk)
    }
}

const NOT_A_KEY: u32 = u32::MAX;

impl MetaData {
    /// A metadata with no naming-convention handler at all (the naming
    /// layer adds [`MetaData::new`] and [`MetaData::with_convention`]).
    pub fn without_convention() -> Self {
        MetaData {
            tables: Vec::new(),
            index: TableIndex::default(),
            bus: EventBus::new(),
            views: Vec::new(),
            ddl: Vec::new(),
            deferrals: Vec::new(),
            convention: None,
        }
    }

    /// Registers `handler` in the naming phase in place of the previous
    /// naming handler, remembering `convention` as what it applies.
    pub(crate) fn replace_naming_handler(
        &mut self,
        handler: Box<dyn Listener>,
        convention: Arc<dyn Any + Send + Sync>,
    ) {
        if let Some((id, _)) = self.convention.take() {
            self.bus.remove(id);
        }
        let id = self
            .bus
            .register(handler, ListenOptions::new().phase(Phase::Naming));
        self.convention = Some((id, convention));
    }

    /// What the naming handler applies, as given to
    /// [`replace_naming_handler`](Self::replace_naming_handler).
    pub(crate) fn naming_data(&self) -> Option<&(dyn Any + Send + Sync)> {
        self.convention.as_ref().map(|(_, c)| c.as_ref())
    }

    /// Registers a listener for every table, after naming.
    pub fn listen(&mut self, listener: impl Listener + 'static) -> ListenerId {
        self.listen_with(listener, ListenOptions::new())
    }

    /// Registers a listener with options (phase, one table, once).
    pub fn listen_with(
        &mut self,
        listener: impl Listener + 'static,
        options: ListenOptions,
    ) -> ListenerId {
        self.bus.register(Box::new(listener), options)
    }

    /// Registers a boxed listener with options.
    pub fn listen_boxed(
        &mut self,
        listener: Box<dyn Listener>,
        options: ListenOptions,
    ) -> ListenerId {
        self.bus.register(listener, options)
    }

    /// Removes a listener; returns whether it was registered.
    pub fn remove_listener(&mut self, id: ListenerId) -> bool {
        if self.convention.as_ref().is_some_and(|(c, _)| *c == id) {
            self.convention = None;
        }
        self.deferrals.retain(|d| d.listener != id);
        self.bus.remove(id).is_some()
    }

    /// The number of registered listeners, the naming handler included.
    pub fn listener_count(&self) -> usize {
        self.bus.len()
    }

    /// The tables, in the order they were added.
    pub fn tables(&self) -> &[Table] {
        &self.tables
    }

    /// The number of tables.
    pub fn len(&self) -> usize {
        self.tables.len()
    }

    /// Whether there is no table.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }

    /// The table with this name and no schema.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.table_in(None, name)
    }

    /// The table with this schema and name.
    pub fn table_in(&self, schema: Option<&str>, name: &str) -> Option<&Table> {
        let i = self.index.get(&self.tables, schema, name)?;
        Some(&self.tables[i])
    }

    /// The table with this reference.
    pub fn get(&self, r: &TableRef) -> Option<&Table> {
        self.table_in(r.schema.as_deref(), &r.name)
    }

    /// The position of the table with this reference in [`tables`](Self::tables).
    pub(crate) fn position(&self, r: &TableRef) -> Option<usize> {
        self.index.get(&self.tables, r.schema.as_deref(), &r.name)
    }

    /// A handle to change an attached table; every change fires events.
    pub fn table_mut(&mut self, r: &TableRef) -> Option<TableMut<'_>> {
        let idx = self.position(r)?;
        Some(TableMut { md: self, idx })
    }

    /// Removes a table and returns it detached. Foreign keys of other tables
    /// that refer to it are left as they are (and fail validation).
    pub fn remove_table(&mut self, r: &TableRef) -> Option<Table> {
        let idx = self.position(r)?;
        let t = self.tables.remove(idx);
        self.index.rebuild(&self.tables);
        self.deferrals.retain(|d| &d.table != r);
        Some(t.to_detached())
    }

    /// Adds a view.
    pub fn add_view(&mut self, view: View) {
        self.views.push(view);
    }

    /// The views, in declaration order.
    pub fn views(&self) -> &[View] {
        &self.views
    }

    /// Adds metadata-level custom DDL.
    pub fn add_ddl(&mut self, ddl: CustomDdl) {
        self.ddl.push(ddl);
    }

    /// The metadata-level custom DDL.
    pub fn custom_ddl(&self) -> &[CustomDdl] {
        &self.ddl
    }

    /// Copies a table of another metadata into this one, where this
    /// metadata's convention names it anew. Listeners of this metadata fire.
    /// Constraints and indexes that listeners made are left out: this
    /// metadata's listeners make their own.
    pub fn copy_table(&mut self, table: &Table) -> Result<&Table> {
        self.add_table(table.to_detached())
    }

    /// Adds a table, replaying its attachments in declaration order and
    /// firing events. On any error the metadata is left without the table.
    pub fn add_table(&mut self, table: Table) -> Result<&Table> {
        let table = if table.attached {
            table.to_detached()
        } else {
            table
        };
        if table.name.is_empty() {
            return Err(SchemaError::EmptyName {
                what: "table",
                table: None,
            });
        }
        if table.schema.as_deref() == Some("") {
            return Err(SchemaError::EmptyName {
                what: "schema",
                table: Some(table.key()),
            });
        }
        let key = table.key();
        if self.position(&key).is_some() {
            return Err(SchemaError::DuplicateTable(key));
        }
        let Table {
            name,
            schema,
            comment,
            columns,
            primary_key,
            constraints,
            indexes,
            ddl,
            log,
            renamed_from,
            ..
        } = table;
        let mut shell = Table {
            name,
            schema,
            comment,
            ddl,
            renamed_from,
            attached: true,
            ..Default::default()
        };
        // Room for exactly what the replay adds (columns' flags become
        // constraints and indexes), so no vector is grown and left half empty.
        shell.columns.reserve_exact(columns.len());
        let from_flags = |f: fn(&Column) -> bool| columns.iter().filter(|c| f(c)).count();
        shell.constraints.reserve_exact(
            constraints.len()
                + from_flags(|c| c.unique && !c.index)
                + from_flags(Column::has_reference)
                + from_flags(Column::has_check),
        );
        shell
            .indexes
            .reserve_exact(indexes.len() + from_flags(|c| c.index));
        let mut columns: Vec<Option<Column>> = columns.into_iter().map(Some).collect();
        let mut constraints: Vec<Option<Constraint>> = constraints.into_iter().map(Some).collect();
        let mut indexes: Vec<Option<Index>> = indexes.into_iter().map(Some).collect();
        let mut primary_key = primary_key;

        let mut att = Attach::new(&self.tables, &self.index, &mut self.bus, None, key.clone());
        att.complete = false;
        let asked = {
            let catalog = att.catalog(None);
            let mut ev = TableAttached {
                table: &mut shell,
                catalog,
                created: Vec::new(),
                complete: false,
            };
            att.bus.fire(EventKind::TableAttached, Some(&key), |l| {
                (
                    call_creating(l, &mut ev, |l, ev| l.table_attached(ev)),
                    None::<()>,
                )
            })?;
            ev.created
        };
        // The log names each column, constraint and index of the table
        // exactly once (each push_* records one item), so every slot is
        // still full when its item comes; an empty one is skipped.
        for item in log {
            match item {
                Item::Column(i) => {
                    let Some(c) = columns.get_mut(i).and_then(Option::take) else {
                        continue;
                    };
                    att.column(&mut shell, c)?
                }
                Item::PrimaryKey => {
                    let Some(pk) = primary_key.take() else {
                        continue;
                    };
                    att.constraint(&mut shell, pk.into())?
                }
                Item::Constraint(i) => {
                    let Some(c) = constraints.get_mut(i).and_then(Option::take) else {
                        continue;
                    };
                    att.constraint(&mut shell, c)?
                }
                Item::Index(i) => {
                    let Some(ix) = indexes.get_mut(i).and_then(Option::take) else {
                        continue;
                    };
                    att.index(&mut shell, ix)?
                }
            }
        }
        att.created(&mut shell, asked)?;
        att.complete = true;
        let asked = {
            let catalog = att.catalog(Some(&shell));
            let mut ev = TableBuilt {
                table: &shell,
                catalog,
                created: Vec::new(),
                complete: true,
            };
            att.bus.fire(EventKind::TableBuilt, Some(&key), |l| {
                (
                    call_creating(l, &mut ev, |l, ev| l.table_built(ev)),
                    None::<()>,
                )
            })?;
            ev.created
        };
        att.created(&mut shell, asked)?;
        let deferrals = att.deferrals;
        let idx = self.tables.len();
        self.tables.push(shell);
        self.index.insert(&self.tables, idx);
        self.deferrals.extend(deferrals);
        if self.deferrals.iter().any(|d| d.awaited == key) {
            self.retry_deferrals(Some(&key))?;
        }
        Ok(&self.tables[idx])
    }

    /// Retries every deferred naming once more with all tables present,
    /// then fires [`TablesComplete`] for listeners whose names depend on
    /// the whole schema (and applies the renames they ask for). Loading a
    /// document calls this after its last table; call it yourself once
    /// the tables you build are all added (foreign keys that refer forward
    /// are named then, and so are names a pack numbers across the schema).
    /// Calling it again names anew from the tables as they are.
    pub fn resolve_deferred(&mut self) -> Result<()> {
        if !self.deferrals.is_empty() {
            self.retry_deferrals(None)?;
        }
        self.complete()
    }

    /// Fires [`TablesComplete`], applying each listener's renames before
    /// the next listener runs.
    fn complete(&mut self) -> Result<()> {
        let tables = &mut self.tables;
        let index = &self.index;
        self.bus.fire(EventKind::TablesComplete, None, |l| {
            let mut ev = TablesComplete {
                catalog: Catalog {
                    tables,
                    index,
                    current: None,
                    slot: None,
                },
                renames: Vec::new(),
            };
            let r = l.tables_complete(&mut ev);
            for (ti, at, name) in ev.renames {
                if let Some(t) = tables.get_mut(ti) {
                    set_object_name(t, at, name);
                }
            }
            (r, None::<()>)
        })?;
        Ok(())
    }

    /// Whether some listener still waits for a table to name a constraint.
    pub fn has_deferred(&self) -> bool {
        !self.deferrals.is_empty()
    }

    fn retry_deferrals(&mut self, awaited: Option<&TableRef>) -> Result<()> {
        let (ready, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut self.deferrals)
            .into_iter()
            .partition(|d| awaited.is_none_or(|a| &d.awaited == a));
        self.deferrals = rest;
        let mut again = Vec::new();
        let mut more = Vec::new();
        let mut first_err = None;
        for d in ready {
            let Some(ti) = self.position(&d.table) else {
                continue;
            };
            let mut table = std::mem::take(&mut self.tables[ti]);
            let mut c = match d.slot {
                Slot::PrimaryKey => match table.primary_key.take() {
                    Some(pk) => Constraint::PrimaryKey(pk),
                    None => {
                        self.tables[ti] = table;
                        continue;
                    }
                },
                Slot::Constraint(i) => table.constraints.remove(i),
            };
            let (mut result, defer, asked) = {
                let catalog = Catalog {
                    tables: &self.tables,
                    index: &self.index,
                    current: Some(&table),
                    slot: Some(ti),
                };
                let mut ev = ConstraintAttached {
                    table: &table,
                    constraint: &mut c,
                    catalog,
                    retry: true,
                    defer: None,
                    created: Vec::new(),
                    complete: true,
                };
                let r = self.bus.call_one(d.listener, |l| {
                    call_creating(l, &mut ev, |l, ev| l.constraint_attached(ev))
                });
                (
                    r.map(|r| r.map_err(SchemaError::from)),
                    ev.defer.take(),
                    ev.created,
                )
            };
            match (d.slot, c) {
                (Slot::PrimaryKey, Constraint::PrimaryKey(pk)) => table.primary_key = Some(pk),
                (Slot::Constraint(i), c) => table.constraints.insert(i, c),
                (Slot::PrimaryKey, other) => table.constraints.push(other),
            }
            if !asked.is_empty() && matches!(result, Some(Ok(()))) {
                let mut att = Attach::new(
                    &self.tables,
                    &self.index,
                    &mut self.bus,
                    Some(ti),
                    d.table.clone(),
                );
                let backup = table.clone();
                result = Some(att.created(&mut table, asked));
                if matches!(result, Some(Err(_))) {
                    table = backup;
                } else {
                    more.extend(att.deferrals);
                }
            }
            self.tables[ti] = table;
            if let Some(a) = defer {
                again.push(Deferral { awaited: a, ..d });
            }
            if let Some(Err(e)) = result {
                first_err.get_or_insert(e);
            }
        }
        self.deferrals.extend(more);
        if awaited.is_some() {
            self.deferrals.extend(again);
        } else if let Some(d) = again.first() {
            // Nothing more will arrive: the awaited table is missing or has no key.
            return Err(match self.get(&d.awaited) {
                None => SchemaError::UnknownTable {
                    table: d.table.clone(),
                    referred: d.awaited.clone(),
                    suggestion: None,
                },
                Some(_) => SchemaError::NoReferredKey {
                    table: d.table.clone(),
                    referred: d.awaited.clone(),
                },
            });
        }
        match first_err {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Checks what can only be checked once every table is known: foreign
    /// keys refer to existing tables and columns, with matching counts.
    /// What it found comes back as a [`Resolved`] to pass on.
    pub fn validate(&self) -> Result<Resolved<'_>, SchemaError> {
        let mut start = Vec::with_capacity(self.tables.len() + 1);
        let mut targets = Vec::with_capacity(self.tables.iter().map(|t| t.constraints.len()).sum());
        for t in &self.tables {
            start.push(targets.len());
            for c in &t.constraints {
                targets.push(match c {
                    Constraint::ForeignKey(fk) => {
                        let (target, _) = self.resolve(t, fk)?;
                        u32::try_from(target).unwrap_or(NOT_A_KEY)
                    }
                    _ => NOT_A_KEY,
                });
            }
        }
        start.push(targets.len());
        Ok(Resolved {
            md: self,
            start,
            targets,
        })
    }

    /// The columns a foreign key refers to: its declared ones, or the referred
    /// table's primary key (looked up by name; see [`Resolved::referred_columns`]).
    pub fn referred_columns<'a>(
        &'a self,
        table: &Table,
        fk: &'a ForeignKey,
    ) -> Result<&'a [String], SchemaError> {
        Ok(self.resolve(table, fk)?.1)
    }

    /// Finds the table a foreign key refers to and the columns it refers to
    /// there, checking both.
    fn resolve<'a>(
        &'a self,
        table: &Table,
        fk: &'a ForeignKey,
    ) -> Result<(usize, &'a [String]), SchemaError> {
        let r = &fk.referred_table;
        let Some(at) = self.position(r) else {
            return Err(SchemaError::UnknownTable {
                table: table.key(),
                referred: r.clone(),
                suggestion: closest(
                    &r.to_string(),
                    self.tables
                        .iter()
                        .map(|t| t.full_name())
                        .collect::<Vec<_>>()
                        .iter()
                        .map(String::as_str),
                ),
            });
        };
        let target = &self.tables[at];
        let cols: &[String] = if fk.referred_columns.is_empty() {
            match &target.primary_key {
                Some(pk) => &pk.columns,
                None => {
                    return Err(SchemaError::NoReferredKey {
                        table: table.key(),
                        referred: r.clone(),
                    })
                }
            }
        } else {
            for c in &fk.referred_columns {
                if target.column_named(c).is_none() {
                    return Err(SchemaError::UnknownReferredColumn {
                        table: table.key(),
                        referred: r.clone(),
                        column: c.clone(),
                        suggestion: closest(c, target.columns.iter().map(|c| c.name.as_str())),
                    });
                }
            }
            &fk.referred_columns
        };
        if cols.len() != fk.columns.len() {
            return Err(SchemaError::ForeignKeyColumnCount {
                table: table.key(),
                referred: r.clone(),
                local: fk.columns.len(),
                referred_count: cols.len(),
            });
        }
        Ok((at, cols))
    }

    /// Fires a DDL event for the metadata (`table` is `None`) or one table,
    /// and returns the statements listeners added.
    pub fn fire_ddl(
        &mut self,
        kind: EventKind,
        table: Option<&TableRef>,
        dialect: DialectKind,
    ) -> Result<Vec<String>> {
        let MetaData {
            tables, index, bus, ..
        } = self;
        let t = match table {
            Some(r) => Some(
                index
                    .get(tables, r.schema.as_deref(), &r.name)
                    .map(|i| &tables[i])
                    .ok_or_else(|| SchemaError::NoSuchTable(r.clone()))?,
            ),
            None => None,
        };
        let mut ev = DdlEvent::new(kind, t, dialect);
        bus.fire(kind, table, |l| (l.ddl(&mut ev), None::<()>))?;
        Ok(ev.take_statements())
    }
}

/// A handle to change a table that belongs to a [`MetaData`]. Each change
/// fires its events and is all-or-nothing.
pub struct TableMut<'a> {
    md: &'a mut MetaData,
    idx: usize,
}

impl TableMut<'_> {
    /// The table as it is now.
    pub fn table(&self) -> &Table {
        &self.md.tables[self.idx]
    }

    /// Attaches a column (and the constraints its flags declare).
    pub fn add_column(&mut self, column: Column) -> Result<&mut Self> {
        self.with(|att, t| att.column(t, column))
    }

    /// Attaches a constraint.
    pub fn add_constraint(&mut self, constraint: impl Into<Constraint>) -> Result<&mut Self> {
        let c = constraint.into();
        self.with(|att, t| att.constraint(t, c))
    }

    /// Attaches an index.
    pub fn add_index(&mut self, index: Index) -> Result<&mut Self> {
        self.with(|att, t| att.index(t, index))
    }

    /// Sets the table's comment.
    pub fn set_comment(&mut self, comment: impl Into<String>) -> &mut Self {
        self.md.tables[self.idx].set_comment(comment);
        self
    }

    /// Adds custom DDL to the table.
    pub fn add_ddl(&mut self, ddl: CustomDdl) -> &mut Self {
        self.md.tables[self.idx].add_ddl(ddl);
        self
    }

    fn with(
        &mut self,
        f: impl FnOnce(&mut Attach<'_>, &mut Table) -> Result<()>,
    ) -> Result<&mut Self> {
        let md = &mut *self.md;
        let mut table = std::mem::take(&mut md.tables[self.idx]);
        let backup = table.clone();
        let mut att = Attach::new(
            &md.tables,
            &md.index,
            &mut md.bus,
            Some(self.idx),
            table.key(),
        );
        let r = f(&mut att, &mut table);
        let deferrals = att.deferrals;
        match r {
            Ok(()) => {
                md.tables[self.idx] = table;
                md.deferrals.extend(deferrals);
                Ok(self)
            }
            Err(e) => {
                md.tables[self.idx] = backup;
                Err(e)
            }
        }
    }
}

/// The attachment machinery shared by `add_table` and `TableMut`.
struct Attach<'a> {
    tables: &'a [Table],
    index: &'a TableIndex,
    bus: &'a mut EventBus,
    deferrals: Vec<Deferral>,
    slot: Option<usize>,
    /// The key of the table being attached to, made once per table rather
    /// than for every column, constraint and index.
    key: TableRef,
    /// How deep in objects made by listeners the attachment is.
    depth: usize,
    /// Whether the table's declared items are all attached.
    complete: bool,
}

impl<'a> Attach<'a> {
    /// Attaching to the table `key`, which sits at `slot` in `tables` (or
    /// is not there yet: `None`), once it is declared in full; `add_table`
    /// says otherwise while it replays the declaration.
    fn new(
        tables: &'a [Table],
        index: &'a TableIndex,
        bus: &'a mut EventBus,
        slot: Option<usize>,
        key: TableRef,
    ) -> Self {
        Attach {
            tables,
            index,
            bus,
            deferrals: Vec::new(),
            slot,
            key,
            depth: 0,
            complete: true,
        }
    }

    fn catalog<'b>(&self, current: Option<&'b Table>) -> Catalog<'b>
    where
        'a: 'b,
    {
        Catalog {
            tables: self.tables,
            index: self.index,
            current,
            slot: self.slot,
        }
    }

    /// Attaches what listeners asked for, in order, one level deeper.
    fn created(&mut self, table: &mut Table, asked: Vec<Created>) -> Result<()> {
        let Some(first) = asked.first() else {
            return Ok(());
        };
        if self.depth >= MAX_CREATION_DEPTH {
            return Err(SchemaError::CreationLoop {
                table: self.key.clone(),
                listener: first.created_by().unwrap_or("a listener").to_owned(),
                what: first.describe(),
                depth: MAX_CREATION_DEPTH,
            });
        }
        // Room for exactly what was asked (a table keeps its vectors as
        // they are: grown by doubling, a tenth of them would be spare).
        let indexes = asked
            .iter()
            .filter(|c| matches!(c, Created::Index(_)))
            .count();
        table.indexes.reserve_exact(indexes);
        table.constraints.reserve_exact(asked.len() - indexes);
        self.depth += 1;
        let r = asked.into_iter().try_for_each(|c| match c {
            Created::Constraint(c) => self.constraint(table, c),
            Created::Index(ix) => self.index(table, ix),
        });
        self.depth -= 1;
        r
    }

    fn check_columns(
        table: &Table,
        what: &str,
        columns: &[String],
        may_be_empty: bool,
    ) -> Result<(), SchemaError> {
        if columns.is_empty() && !may_be_empty {
            return Err(SchemaError::NoColumns {
                table: table.key(),
                what: what.to_owned(),
            });
        }
        for c in columns {
            if table.column_named(c).is_none() {
                return Err(SchemaError::UnknownColumn {
                    table: table.key(),
                    what: what.to_owned(),
                    column: c.clone(),
                    suggestion: closest(c, table.columns.iter().map(|c| c.name.as_str())),
                });
            }
        }
        Ok(())
    }

    /// An index needs a part; its column parts must be the table's, its
    /// expressions and predicate must not be empty. (Whether the SQL can be
    /// written into a statement is the dialect's to say, when DDL is made.)
    fn check_index(table: &Table, index: &Index) -> Result<(), SchemaError> {
        if index.parts.is_empty() {
            return Err(SchemaError::NoColumns {
                table: table.key(),
                what: "index".to_owned(),
            });
        }
        for part in &index.parts {
            match part {
                IndexPart::Column(c) => {
                    Self::check_columns(table, "index", std::slice::from_ref(c), false)?
                }
                IndexPart::Expression(e) if e.trim().is_empty() => {
                    return Err(SchemaError::EmptyIndexSql {
                        table: table.key(),
                        what: "expression",
                    })
                }
                IndexPart::Expression(_) => {}
            }
        }
        if index
            .predicate
            .as_deref()
            .is_some_and(|p| p.trim().is_empty())
        {
            return Err(SchemaError::EmptyIndexSql {
                table: table.key(),
                what: "WHERE predicate",
            });
        }
        Ok(())
    }

    fn column(&mut self, table: &mut Table, mut col: Column) -> Result<()> {
        if col.name.is_empty() {
            return Err(SchemaError::EmptyName {
                what: "column",
                table: Some(self.key.clone()),
            });
        }
        if table.column_named(&col.name).is_some() {
            return Err(SchemaError::DuplicateColumn {
                table: self.key.clone(),
                column: col.name,
            });
        }
        if let Some(ColumnType::Enum(e)) = &mut col.ty {
            // The type PostgreSQL makes lives beside the table, and is
            // named after the column unless the user named it.
            if e.name.is_none() {
                e.name = Some(format!("{}_{}", self.key.name, col.name));
            }
            e.schema.clone_from(&self.key.schema);
        }
        let (reference, check) = col.take_reference_and_check();
        let asked = {
            let catalog = self.catalog(Some(table));
            let mut ev = ColumnAttached {
                table,
                column: &mut col,
                catalog,
                created: Vec::new(),
                complete: self.complete,
            };
            self.bus
                .fire(EventKind::ColumnAttached, Some(&self.key), |l| {
                    (
                        call_creating(l, &mut ev, |l, ev| l.column_attached(ev)),
                        None::<()>,
                    )
                })?;
            ev.created
        };
        let name = col.name.clone();
        let (pk, ix, uq) = (col.primary_key, col.index, col.unique);
        table.push_attached_column(col);
        if pk {
            self.primary_key_column(table, &name)?;
        }
        let origin = Origin::Column(name.clone());
        if ix {
            let index = Index {
                name: Default::default(),
                parts: vec![IndexPart::Column(name.clone())],
                predicate: None,
                unique: uq,
                origin: origin.clone(),
            };
            self.index(table, index)?;
        } else if uq {
            let u = Unique {
                name: Default::default(),
                columns: vec![name.clone()],
                origin: origin.clone(),
            };
            self.constraint(table, u.into())?;
        }
        if let Some(r) = reference {
            let fk = ForeignKey {
                name: Default::default(),
                columns: vec![name.clone()],
                referred_table: r.table,
                referred_columns: vec![r.column],
                on_delete: r.on_delete,
                on_update: r.on_update,
                use_alter: false,
                origin: origin.clone(),
            };
            self.constraint(table, fk.into())?;
        }
        if let Some(mut ck) = check {
            ck.origin = origin;
            self.constraint(table, ck.into())?;
        }
        self.created(table, asked)
    }

    fn primary_key_column(&mut self, table: &mut Table, column: &str) -> Result<()> {
        match table.primary_key.take() {
            None => {
                let pk = PrimaryKey {
                    name: Default::default(),
                    columns: vec![column.to_owned()],
                    origin: Origin::Column(column.to_owned()),
                };
                self.constraint(table, pk.into())
            }
            Some(mut pk) if pk.is_implicit() => {
                pk.columns.push(column.to_owned());

                let r = {
                    let catalog = self.catalog(Some(table));
                    let mut ev = PrimaryKeyColumnAdded {
                        table,
                        primary_key: &mut pk,
                        catalog,
                    };
                    self.bus
                        .fire(EventKind::PrimaryKeyColumnAdded, Some(&self.key), |l| {
                            (l.primary_key_column_added(&mut ev), None::<()>)
                        })
                };
                table.primary_key = Some(pk);
                r.map(|_| ()).map_err(Into::into)
            }
            Some(pk) => {
                let ok = pk.columns.iter().any(|c| c == column);
                let existing = pk.columns.clone();
                table.primary_key = Some(pk);
                if ok {
                    Ok(())
                } else {
                    Err(SchemaError::PrimaryKeyConflict {
                        table: table.key(),
                        existing,
                        new: vec![column.to_owned()],
                    })
                }
            }
        }
    }

    fn constraint(&mut self, table: &mut Table, mut c: Constraint) -> Result<()> {
        let what = c.kind().describe();
        match &c {
            Constraint::PrimaryKey(pk) => {
                Self::check_columns(table, what, &pk.columns, false)?;
                if let Some(existing) = &table.primary_key {
                    let same = existing.columns.len() == pk.columns.len()
                        && pk.columns.iter().all(|c| existing.columns.contains(c));
                    if !(existing.is_implicit() && same) {
                        return Err(SchemaError::PrimaryKeyConflict {
                            table: self.key.clone(),
                            existing: existing.columns.clone(),
                            new: pk.columns.clone(),
                        });
                    }
                }
            }
            Constraint::ForeignKey(fk) => {
                Self::check_columns(table, what, &fk.columns, false)?;
                if fk.referred_table.name.is_empty() {
                    return Err(SchemaError::EmptyName {
                        what: "referred table",
                        table: Some(self.key.clone()),
                    });
                }
                if !fk.referred_columns.is_empty() && fk.referred_columns.len() != fk.columns.len()
                {
                    return Err(SchemaError::ForeignKeyColumnCount {
                        table: self.key.clone(),
                        referred: fk.referred_table.clone(),
                        local: fk.columns.len(),
                        referred_count: fk.referred_columns.len(),
                    });
                }
            }
            Constraint::Unique(u) => Self::check_columns(table, what, &u.columns, false)?,
            Constraint::Check(ck) => {
                if let Origin::Column(col) = &ck.origin {
                    Self::check_columns(table, what, std::slice::from_ref(col), false)?;
                }
            }
        }
        let (deferred, asked) = {
            let catalog = self.catalog(Some(table));
            let mut ev = ConstraintAttached {
                table,
                constraint: &mut c,
                catalog,
                retry: false,
                defer: None,
                created: Vec::new(),
                complete: self.complete,
            };
            let deferred = self
                .bus
                .fire(EventKind::ConstraintAttached, Some(&self.key), |l| {
                    let r = call_creating(l, &mut ev, |l, ev| l.constraint_attached(ev));
                    (r, ev.defer.take())
                })?;
            (deferred, ev.created)
        };
        let slot = match c {
            Constraint::PrimaryKey(_) => Slot::PrimaryKey,
            _ => Slot::Constraint(table.constraints.len()),
        };
        for (listener, awaited) in deferred {
            self.deferrals.push(Deferral {
                listener,
                table: self.key.clone(),
                slot,
                awaited,
            });
        }
        match c {
            Constraint::PrimaryKey(pk) => table.primary_key = Some(pk),
            other => table.constraints.push(other),
        }
        self.created(table, asked)
    }

    fn index(&mut self, table: &mut Table, mut index: Index) -> Result<()> {
        Self::check_index(table, &index)?;
        let asked = {
            let catalog = self.catalog(Some(table));
            let mut ev = IndexAttached {
                table,
                index: &mut index,
                catalog,
                created: Vec::new(),
                complete: self.complete,
            };
            self.bus
                .fire(EventKind::IndexAttached, Some(&self.key), |l| {
                    (
                        call_creating(l, &mut ev, |l, ev| l.index_attached(ev)),
                        None::<()>,
                    )
                })?;
            ev.created
        };
        table.indexes.push(index);
        self.created(table, asked)
    }
}

/// Names the constraint or index of `t` at `at`, if there is one there.
fn set_object_name(t: &mut Table, at: ObjectAt, name: Name) {
    let slot = match at {
        ObjectAt::PrimaryKey => t.primary_key.as_mut().map(|pk| &mut pk.name),
        ObjectAt::Constraint(i) => t.constraints.get_mut(i).map(Constraint::name_mut),
        ObjectAt::Index(i) => t.indexes.get_mut(i).map(|ix| &mut ix.name),
    };
    if let Some(slot) = slot {
        *slot = name;
    }
}

/// The position of `item` in `slice`, if it is one of its elements (by
/// address, not by value).
fn position_in<T>(slice: &[T], item: &T) -> Option<usize> {
    let size = std::mem::size_of::<T>();
    let offset = (item as *const T as usize).checked_sub(slice.as_ptr() as usize)?;
    if size == 0 || offset % size != 0 {
        return None;
    }
    let i = offset / size;
    (i < slice.len() && std::ptr::eq(&slice[i], item)).then_some(i)
}
