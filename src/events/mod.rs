//! Attachment and DDL events, the [`Listener`] trait and the [`EventBus`].
//!
//! Every attachment to a table that belongs to a [`MetaData`](crate::MetaData)
//! fires an event on the metadata's bus. Listeners run by [`Phase`]
//! ([`BeforeNaming`](Phase::BeforeNaming), [`Naming`](Phase::Naming),
//! [`AfterNaming`](Phase::AfterNaming)) and, within a phase, in registration
//! order. The naming-convention handler is an ordinary listener registered in
//! the `Naming` phase, so a listener sees either the raw object (before) or
//! its final name (after).
//!
//! Order of events when a table is added (a table built apart replays its
//! attachments in this order):
//!
//! 1. `TableAttached`;
//! 2. for each item in declaration order:
//!    - a column: `ColumnAttached`, then for its flags: the primary key
//!      (`ConstraintAttached` for the first key column, `PrimaryKeyColumnAdded`
//!      for later ones), its index (`IndexAttached`) or unique constraint,
//!      its foreign key, its check (`ConstraintAttached` each);
//!    - a table-level constraint: `ConstraintAttached`;
//!    - an index: `IndexAttached`;
//! 3. what listeners attached from `TableAttached`, in the order they asked;
//! 4. `TableBuilt`, then what its listeners attached.
//!
//! A listener may attach constraints and indexes from `TableAttached`,
//! `TableBuilt`, `ColumnAttached`, `ConstraintAttached` and `IndexAttached`
//! (`add_constraint`, `add_index` on the event). Each is attached right
//! after the object whose event asked for it (a column's: after the column
//! and what its flags declare), in the order asked, and fires its own
//! events, so it is named by the convention and may make listeners attach
//! more, depth first. A chain of objects made by listeners deeper than
//! [`MAX_CREATION_DEPTH`](crate::schema::MAX_CREATION_DEPTH) is a
//! listener that keeps creating: an error, not a hang.
//!
//! Once every table is present, [`MetaData::resolve_deferred`](crate::MetaData::resolve_deferred)
//! (which loading a document calls) fires `TablesComplete`: a listener
//! whose names depend on the whole schema (the order a database creates
//! things in, numbers it appends on a collision) renames objects there.
//!
//! DDL events (`BeforeCreate`, `AfterCreate`, `BeforeDrop`, `AfterDrop`) fire
//! around the metadata's and each table's statements while a create or drop
//! plan runs.

mod bus;
mod kind;
mod listener;

pub use bus::{EventBus, ListenOptions, ListenerId, Phase};
pub use kind::{EventKind, Interest};
pub(crate) use listener::{call_creating, Created};
pub use listener::{
    on_column, on_constraint, on_ddl, on_index, on_table, on_table_built, Catalog, ColumnAttached,
    ConstraintAttached, DdlEvent, IndexAttached, Listener, ListenerError, ListenerResult, ObjectAt,
    OnColumn, OnConstraint, OnDdl, OnIndex, OnTable, OnTableBuilt, PrimaryKeyColumnAdded,
    TableAttached, TableBuilt, TablesComplete,
};
