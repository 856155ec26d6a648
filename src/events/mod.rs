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
//!    - an index: `IndexAttached`.
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
pub use listener::{
    on_column, on_constraint, on_ddl, on_index, on_table, Catalog, ColumnAttached,
    ConstraintAttached, DdlEvent, IndexAttached, Listener, ListenerError, ListenerResult, ObjectAt,
    OnColumn, OnConstraint, OnDdl, OnIndex, OnTable, PrimaryKeyColumnAdded, TableAttached,
    TablesComplete,
};
