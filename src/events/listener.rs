//! The listener trait and the events it receives.

use std::fmt;

use dyn_clone::DynClone;

use super::kind::{EventKind, Interest};
use crate::schema::{Column, Constraint, DialectKind, Index, Name, PrimaryKey, Table, TableRef};

/// A constraint or index a listener asked to attach.
#[derive(Clone, Debug)]
pub(crate) enum Created {
    /// A constraint.
    Constraint(Constraint),
    /// An index.
    Index(Index),
}

impl Created {
    /// Marks the object as made by the listener named `by`.
    pub(crate) fn mark(&mut self, by: &str) {
        match self {
            Created::Constraint(c) => c.origin_mut().created(by),
            Created::Index(ix) => ix.origin.created(by),
        }
    }
}

impl Created {
    /// The listener that asked for it.
    pub(crate) fn created_by(&self) -> Option<&str> {
        match self {
            Created::Constraint(c) => c.created_by(),
            Created::Index(ix) => ix.created_by(),
        }
    }

    /// What it is, for messages: `check constraint "..."`, `index on (a, b)`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Created::Constraint(crate::schema::Constraint::Check(ck)) => {
                format!("check constraint ({})", ck.sql())
            }
            Created::Constraint(c) => {
                format!("{} on ({})", c.kind().describe(), c.columns().join(", "))
            }
            Created::Index(ix) => {
                format!("index on ({})", ix.columns().collect::<Vec<_>>().join(", "))
            }
        }
    }
}

/// An event from which a listener may attach constraints and indexes.
pub(crate) trait Creating {
    /// What listeners asked for so far.
    fn created_mut(&mut self) -> &mut Vec<Created>;
}

/// Calls `listener` on `event` through `call`, and marks what it asked for
/// as made by it (its name is asked for only when it made something).
pub(crate) fn call_creating<E: Creating>(
    listener: &mut dyn Listener,
    event: &mut E,
    call: impl FnOnce(&mut dyn Listener, &mut E) -> ListenerResult,
) -> ListenerResult {
    let from = event.created_mut().len();
    let r = call(listener, event);
    let created = event.created_mut();
    if created.len() > from {
        let by = listener.name();
        for c in &mut created[from..] {
            c.mark(by);
        }
    }
    r
}

/// The methods of an event from which a listener may attach new
/// constraints and indexes to the table.
macro_rules! creating_event {
    ($($event:ident),+) => {$(
        impl Creating for $event<'_> {
            fn created_mut(&mut self) -> &mut Vec<Created> {
                &mut self.created
            }
        }

        impl $event<'_> {
            /// Attaches a constraint to the table, made by this listener.
            ///
            /// It is attached once the object of this event is (after every
            /// declared item of the table, for [`TableAttached`]), fires its
            /// own events and is named by the convention like a declared one.
            /// A check made for a column ([`Check::on_column`](crate::Check::on_column))
            /// sees it as `column_0` in naming tokens. The model marks it
            /// as made by this listener ([`Constraint::created_by`]), and a
            /// copy of the table to another metadata leaves it out.
            pub fn add_constraint(&mut self, constraint: impl Into<Constraint>) {
                self.created.push(Created::Constraint(constraint.into()));
            }

            /// Attaches an index to the table, made by this listener; see
            /// [`add_constraint`](Self::add_constraint).
            pub fn add_index(&mut self, index: Index) {
                self.created.push(Created::Index(index));
            }

            /// Whether every column, constraint and index the table was
            /// declared with is attached: `false` while
            /// [`MetaData::add_table`](crate::MetaData::add_table) replays
            /// the declaration, `true` for [`TableBuilt`] and for changes
            /// made through [`TableMut`](crate::TableMut) afterwards.
            pub fn is_table_complete(&self) -> bool {
                self.complete
            }
        }
    )+};
}

/// The error a listener returns to reject an attachment or stop a plan.
///
/// It wraps any error; [`downcast_ref`](ListenerError::downcast_ref) recovers it.
#[derive(Debug)]
pub struct ListenerError(Box<dyn std::error::Error + Send + Sync>);

impl ListenerError {
    /// An error with a plain message.
    pub fn msg(message: impl Into<String>) -> Self {
        ListenerError(message.into().into())
    }

    /// Wraps an error.
    pub fn from_error(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        ListenerError(Box::new(error))
    }

    /// The wrapped error, if it is a `T`.
    pub fn downcast_ref<T: std::error::Error + 'static>(&self) -> Option<&T> {
        self.0.downcast_ref::<T>()
    }

    /// Unwraps into the wrapped error, if it is a `T`.
    pub fn downcast<T: std::error::Error + 'static>(self) -> Result<T, Self> {
        match self.0.downcast::<T>() {
            Ok(b) => Ok(*b),
            Err(e) => Err(ListenerError(e)),
        }
    }
}

impl fmt::Display for ListenerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for ListenerError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// What a listener method returns.
pub type ListenerResult = Result<(), ListenerError>;

/// A read-only view of the tables of a metadata, for listeners that need other tables.
#[derive(Clone, Copy)]
pub struct Catalog<'a> {
    pub(crate) tables: &'a [Table],
    pub(crate) index: &'a crate::schema::TableIndex,
    pub(crate) current: Option<&'a Table>,
    /// Where `current` sits in `tables` (taken out while it changes).
    pub(crate) slot: Option<usize>,
}

impl<'a> Catalog<'a> {
    /// The table with this reference, including the table being attached to.
    pub fn table(&self, r: &TableRef) -> Option<&'a Table> {
        if let Some(cur) = self.current {
            if cur.schema() == r.schema.as_deref() && cur.name() == r.name {
                return Some(cur);
            }
        }
        let i = self.index.get(self.tables, r.schema.as_deref(), &r.name)?;
        Some(&self.tables[i])
    }

    /// Every table already in the metadata, in declaration order (a table
    /// being added is not among them until its attachments are done).
    pub fn tables(&self) -> impl Iterator<Item = &'a Table> {
        let (cur, slot) = (self.current, self.slot);
        self.tables
            .iter()
            .enumerate()
            .map(move |(i, t)| if Some(i) == slot { cur.unwrap_or(t) } else { t })
    }
}

/// A table joined a metadata. The listener may change it (its comment, its
/// custom DDL), and attach constraints and indexes, which are attached after
/// every declared item of the table.
pub struct TableAttached<'a> {
    /// The table, before any of its columns are attached.
    pub table: &'a mut Table,
    /// The metadata's other tables.
    pub catalog: Catalog<'a>,
    pub(crate) created: Vec<Created>,
    pub(crate) complete: bool,
}

/// Every column, constraint and index a table was declared with is
/// attached (and named); the table is about to join the metadata. The
/// place for conventions that need the whole table, such as an index on
/// each foreign key that no other index covers.
pub struct TableBuilt<'a> {
    /// The table, with everything it was declared with.
    pub table: &'a Table,
    /// The metadata's other tables.
    pub catalog: Catalog<'a>,
    pub(crate) created: Vec<Created>,
    pub(crate) complete: bool,
}

/// A column was attached to a table. The listener may change the column,
/// and attach constraints and indexes (after the column and what its flags
/// declare).
pub struct ColumnAttached<'a> {
    /// The table, before the column is added.
    pub table: &'a Table,
    /// The column being attached.
    pub column: &'a mut Column,
    /// The metadata's tables.
    pub catalog: Catalog<'a>,
    pub(crate) created: Vec<Created>,
    pub(crate) complete: bool,
}

/// A constraint was attached to a table. The listener may change it, and
/// attach other constraints and indexes (after this one).
pub struct ConstraintAttached<'a> {
    /// The table, before the constraint is added.
    pub table: &'a Table,
    /// The constraint being attached.
    pub constraint: &'a mut Constraint,
    /// The metadata's tables.
    pub catalog: Catalog<'a>,
    pub(crate) retry: bool,
    pub(crate) defer: Option<TableRef>,
    pub(crate) created: Vec<Created>,
    pub(crate) complete: bool,
}

impl ConstraintAttached<'_> {
    /// Asks to be called again for this constraint once table `awaited` has
    /// joined the metadata (deferred naming). Only this listener is called again.
    pub fn defer_until(&mut self, awaited: TableRef) {
        self.defer = Some(awaited);
    }

    /// Whether this call is a retry after [`defer_until`](Self::defer_until).
    pub fn is_retry(&self) -> bool {
        self.retry
    }
}

/// An index was attached to a table. The listener may change it, and
/// attach constraints and other indexes (after this one).
pub struct IndexAttached<'a> {
    /// The table, before the index is added.
    pub table: &'a Table,
    /// The index being attached.
    pub index: &'a mut Index,
    /// The metadata's tables.
    pub catalog: Catalog<'a>,
    pub(crate) created: Vec<Created>,
    pub(crate) complete: bool,
}

creating_event!(
    TableAttached,
    TableBuilt,
    ColumnAttached,
    ConstraintAttached,
    IndexAttached
);

/// A column was added to a primary key made from columns' `primary_key` flags.
pub struct PrimaryKeyColumnAdded<'a> {
    /// The table, with the new column.
    pub table: &'a Table,
    /// The primary key, with the new column.
    pub primary_key: &'a mut PrimaryKey,
    /// The metadata's tables.
    pub catalog: Catalog<'a>,
}

/// A constraint or index of a table, by position: what
/// [`TablesComplete::rename`] renames.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjectAt {
    /// The table's primary key.
    PrimaryKey,
    /// The constraint at this position in [`Table::constraints`].
    Constraint(usize),
    /// The index at this position in [`Table::indexes`].
    Index(usize),
}

/// Every table is present: fired by
/// [`MetaData::resolve_deferred`](crate::MetaData::resolve_deferred) (which
/// loading a document calls once its last table is added), for listeners
/// whose names depend on the whole schema, such as names a database
/// numbers in the order it creates things.
///
/// The listener reads every table through [`catalog`](Self::catalog) and
/// asks for new names with [`rename`](Self::rename); they are set once it
/// returns, before the next listener runs. No other event fires for a
/// rename, and nothing else about a table can change here.
pub struct TablesComplete<'a> {
    /// Every table of the metadata, in declaration order.
    pub catalog: Catalog<'a>,
    pub(crate) renames: Vec<(usize, ObjectAt, Name)>,
}

impl TablesComplete<'_> {
    /// Asks for the constraint or index `object` of the table at position
    /// `table` in [`Catalog::tables`] to be named `name`. A position that
    /// names no object is ignored.
    pub fn rename(&mut self, table: usize, object: ObjectAt, name: Name) {
        self.renames.push((table, object, name));
    }

    /// The renames asked for so far, in order.
    pub fn renames(&self) -> impl Iterator<Item = (usize, ObjectAt, &Name)> {
        self.renames.iter().map(|(t, o, n)| (*t, *o, n))
    }
}

/// A DDL event: before or after the create or drop statements of the
/// metadata (`table` is `None`) or of one table.
pub struct DdlEvent<'a> {
    /// Which event.
    pub kind: EventKind,
    /// The table, or `None` for the whole metadata.
    pub table: Option<&'a Table>,
    /// The dialect the statements are rendered for.
    pub dialect: DialectKind,
    pub(crate) statements: Vec<String>,
}

impl<'a> DdlEvent<'a> {
    /// A new event (used by plans and tests).
    pub fn new(kind: EventKind, table: Option<&'a Table>, dialect: DialectKind) -> Self {
        DdlEvent {
            kind,
            table,
            dialect,
            statements: Vec::new(),
        }
    }

    /// Adds a statement to run at this point (SQL for the event's dialect, without a trailing `;`).
    pub fn add_statement(&mut self, sql: impl Into<String>) {
        self.statements.push(sql.into());
    }

    /// The statements added so far.
    pub fn statements(&self) -> &[String] {
        &self.statements
    }

    /// Takes the statements added by listeners.
    pub fn take_statements(&mut self) -> Vec<String> {
        std::mem::take(&mut self.statements)
    }
}

/// Receives events from an [`EventBus`](super::EventBus).
///
/// Every method has a no-op default: implement only the events you need.
/// Returning an error rejects the attachment (nothing is attached) or stops
/// the plan. Listeners are cloned with the metadata that owns them, so they
/// must be [`Clone`] (through [`dyn_clone`]).
pub trait Listener: DynClone + Send + Sync {
    /// The events this listener receives; a `once` listener is used up by the
    /// first of them. Default: all.
    fn interest(&self) -> Interest {
        Interest::ALL
    }

    /// The name objects this listener creates are marked with
    /// ([`Constraint::created_by`]), and errors about it use. Default: the
    /// type's name.
    fn name(&self) -> &str {
        std::any::type_name::<Self>()
    }

    /// A table joined the metadata.
    fn table_attached(&mut self, _event: &mut TableAttached<'_>) -> ListenerResult {
        Ok(())
    }

    /// Every declared item of a table is attached.
    fn table_built(&mut self, _event: &mut TableBuilt<'_>) -> ListenerResult {
        Ok(())
    }

    /// A column was attached.
    fn column_attached(&mut self, _event: &mut ColumnAttached<'_>) -> ListenerResult {
        Ok(())
    }

    /// A constraint was attached.
    fn constraint_attached(&mut self, _event: &mut ConstraintAttached<'_>) -> ListenerResult {
        Ok(())
    }

    /// An index was attached.
    fn index_attached(&mut self, _event: &mut IndexAttached<'_>) -> ListenerResult {
        Ok(())
    }

    /// A column joined a primary key made from column flags.
    fn primary_key_column_added(
        &mut self,
        _event: &mut PrimaryKeyColumnAdded<'_>,
    ) -> ListenerResult {
        Ok(())
    }

    /// Every table is present: names that depend on the whole schema may be set.
    fn tables_complete(&mut self, _event: &mut TablesComplete<'_>) -> ListenerResult {
        Ok(())
    }

    /// A DDL event.
    fn ddl(&mut self, _event: &mut DdlEvent<'_>) -> ListenerResult {
        Ok(())
    }
}

dyn_clone::clone_trait_object!(Listener);

impl<L: Listener + Clone> Listener for Option<L> {
    fn interest(&self) -> Interest {
        self.as_ref().map_or(Interest::NONE, Listener::interest)
    }
    fn name(&self) -> &str {
        self.as_ref().map_or("None", Listener::name)
    }
    fn table_attached(&mut self, e: &mut TableAttached<'_>) -> ListenerResult {
        self.as_mut().map_or(Ok(()), |l| l.table_attached(e))
    }
    fn table_built(&mut self, e: &mut TableBuilt<'_>) -> ListenerResult {
        self.as_mut().map_or(Ok(()), |l| l.table_built(e))
    }
    fn column_attached(&mut self, e: &mut ColumnAttached<'_>) -> ListenerResult {
        self.as_mut().map_or(Ok(()), |l| l.column_attached(e))
    }
    fn constraint_attached(&mut self, e: &mut ConstraintAttached<'_>) -> ListenerResult {
        self.as_mut().map_or(Ok(()), |l| l.constraint_attached(e))
    }
    fn index_attached(&mut self, e: &mut IndexAttached<'_>) -> ListenerResult {
        self.as_mut().map_or(Ok(()), |l| l.index_attached(e))
    }
    fn primary_key_column_added(&mut self, e: &mut PrimaryKeyColumnAdded<'_>) -> ListenerResult {
        self.as_mut()
            .map_or(Ok(()), |l| l.primary_key_column_added(e))
    }
    fn tables_complete(&mut self, e: &mut TablesComplete<'_>) -> ListenerResult {
        self.as_mut().map_or(Ok(()), |l| l.tables_complete(e))
    }
    fn ddl(&mut self, e: &mut DdlEvent<'_>) -> ListenerResult {
        self.as_mut().map_or(Ok(()), |l| l.ddl(e))
    }
}

impl<L: Listener + Clone> Listener for Vec<L> {
    fn interest(&self) -> Interest {
        self.iter()
            .fold(Interest::NONE, |acc, l| acc.union(l.interest()))
    }
    fn table_attached(&mut self, e: &mut TableAttached<'_>) -> ListenerResult {
        self.iter_mut().try_for_each(|l| l.table_attached(e))
    }
    fn table_built(&mut self, e: &mut TableBuilt<'_>) -> ListenerResult {
        self.iter_mut().try_for_each(|l| l.table_built(e))
    }
    fn column_attached(&mut self, e: &mut ColumnAttached<'_>) -> ListenerResult {
        self.iter_mut().try_for_each(|l| l.column_attached(e))
    }
    fn constraint_attached(&mut self, e: &mut ConstraintAttached<'_>) -> ListenerResult {
        self.iter_mut().try_for_each(|l| l.constraint_attached(e))
    }
    fn index_attached(&mut self, e: &mut IndexAttached<'_>) -> ListenerResult {
        self.iter_mut().try_for_each(|l| l.index_attached(e))
    }
    fn primary_key_column_added(&mut self, e: &mut PrimaryKeyColumnAdded<'_>) -> ListenerResult {
        self.iter_mut()
            .try_for_each(|l| l.primary_key_column_added(e))
    }
    fn tables_complete(&mut self, e: &mut TablesComplete<'_>) -> ListenerResult {
        self.iter_mut().try_for_each(|l| l.tables_complete(e))
    }
    fn ddl(&mut self, e: &mut DdlEvent<'_>) -> ListenerResult {
        self.iter_mut().try_for_each(|l| l.ddl(e))
    }
}

macro_rules! closure_listener {
    ($(#[$doc:meta])* $ty:ident, $ctor:ident, $event:ident, $method:ident, $($kind:ident),+) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $ty<F>(F);

        $(#[$doc])*
        pub fn $ctor<F>(f: F) -> $ty<F>
        where
            F: FnMut(&mut $event<'_>) -> ListenerResult + Clone + Send + Sync + 'static,
        {
            $ty(f)
        }

        impl<F> Listener for $ty<F>
        where
            F: FnMut(&mut $event<'_>) -> ListenerResult + Clone + Send + Sync + 'static,
        {
            fn interest(&self) -> Interest {
                Interest::NONE$(.with(EventKind::$kind))+
            }
            fn $method(&mut self, event: &mut $event<'_>) -> ListenerResult {
                (self.0)(event)
            }
        }
    };
}

closure_listener!(
    /// A listener made from a closure called for every `TableAttached` event.
    OnTable, on_table, TableAttached, table_attached, TableAttached
);
closure_listener!(
    /// A listener made from a closure called for every `TableBuilt` event.
    OnTableBuilt, on_table_built, TableBuilt, table_built, TableBuilt
);
closure_listener!(
    /// A listener made from a closure called for every `ColumnAttached` event.
    OnColumn, on_column, ColumnAttached, column_attached, ColumnAttached
);
closure_listener!(
    /// A listener made from a closure called for every `ConstraintAttached` event.
    OnConstraint, on_constraint, ConstraintAttached, constraint_attached, ConstraintAttached
);
closure_listener!(
    /// A listener made from a closure called for every `IndexAttached` event.
    OnIndex, on_index, IndexAttached, index_attached, IndexAttached
);
closure_listener!(
    /// A listener made from a closure called for every DDL event.
    OnDdl, on_ddl, DdlEvent, ddl, BeforeCreate, AfterCreate, BeforeDrop, AfterDrop
);
