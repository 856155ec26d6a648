//! The kinds of event, and sets of them.

/// The kinds of event a listener can receive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A table joined a metadata.
    TableAttached,
    /// Every declared column, constraint and index of a table is attached.
    TableBuilt,
    /// A column was attached to a table.
    ColumnAttached,
    /// A constraint (pk, fk, uq, ck) was attached to a table.
    ConstraintAttached,
    /// An index was attached to a table.
    IndexAttached,
    /// A column was added to a primary key made from column flags.
    PrimaryKeyColumnAdded,
    /// Every table is present ([`MetaData::resolve_deferred`](crate::MetaData::resolve_deferred)):
    /// a listener may name constraints and indexes anew with the whole
    /// schema in view.
    TablesComplete,
    /// Before the create statements of the metadata or of a table.
    BeforeCreate,
    /// After the create statements of the metadata or of a table.
    AfterCreate,
    /// Before the drop statements of the metadata or of a table.
    BeforeDrop,
    /// After the drop statements of the metadata or of a table.
    AfterDrop,
}

impl EventKind {
    /// The four DDL events, in the order a create-then-drop sees them.
    pub const DDL: [EventKind; 4] = [
        EventKind::BeforeCreate,
        EventKind::AfterCreate,
        EventKind::BeforeDrop,
        EventKind::AfterDrop,
    ];

    /// Whether this is a DDL event (before/after create/drop).
    pub fn is_ddl(self) -> bool {
        Self::DDL.contains(&self)
    }

    /// The DDL event named `before_create`, `after_create`, `before_drop` or
    /// `after_drop`; `None` for any other text.
    pub fn parse_ddl(name: &str) -> Option<EventKind> {
        Self::DDL.into_iter().find(|k| k.as_str() == name)
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }

    /// The event's name in snake case, as used in documents (`before_create`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::TableAttached => "table_attached",
            EventKind::TableBuilt => "table_built",
            EventKind::ColumnAttached => "column_attached",
            EventKind::ConstraintAttached => "constraint_attached",
            EventKind::IndexAttached => "index_attached",
            EventKind::PrimaryKeyColumnAdded => "primary_key_column_added",
            EventKind::TablesComplete => "tables_complete",
            EventKind::BeforeCreate => "before_create",
            EventKind::AfterCreate => "after_create",
            EventKind::BeforeDrop => "before_drop",
            EventKind::AfterDrop => "after_drop",
        }
    }
}

/// A set of event kinds a listener wants to receive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interest(u16);

impl Interest {
    /// Every event.
    pub const ALL: Interest = Interest(u16::MAX);
    /// No event.
    pub const NONE: Interest = Interest(0);

    /// Only the given kind.
    pub fn only(kind: EventKind) -> Self {
        Interest(kind.bit())
    }

    /// This set plus `kind`.
    pub fn with(self, kind: EventKind) -> Self {
        Interest(self.0 | kind.bit())
    }

    /// Every kind in either set.
    pub fn union(self, other: Interest) -> Self {
        Interest(self.0 | other.0)
    }

    /// Whether `kind` is in the set.
    pub fn contains(self, kind: EventKind) -> bool {
        self.0 & kind.bit() != 0
    }
}
