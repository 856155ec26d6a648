//! The event bus owned by a metadata.

use super::kind::EventKind;
use super::listener::{Listener, ListenerError};
use crate::schema::TableRef;

/// Identifies a registered listener; pass it to
/// [`MetaData::remove_listener`](crate::MetaData::remove_listener) to remove it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ListenerId(pub(crate) u64);

/// When a listener runs relative to the naming-convention handler.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// Before naming: the listener sees the object as the user declared it.
    BeforeNaming,
    /// The naming phase, where convention handlers run.
    Naming,
    /// After naming: the listener sees the final (unshortened) names. The default.
    #[default]
    AfterNaming,
}

/// How a listener is registered: its phase, its scope and whether it runs once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListenOptions {
    pub(crate) phase: Phase,
    pub(crate) table: Option<TableRef>,
    pub(crate) once: bool,
}

impl ListenOptions {
    /// Defaults: every table, after naming, every time.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs in the given phase.
    pub fn phase(mut self, phase: Phase) -> Self {
        self.phase = phase;
        self
    }

    /// Runs before the naming convention.
    pub fn before_naming(self) -> Self {
        self.phase(Phase::BeforeNaming)
    }

    /// Only for events of one table (`"table"` or `"schema.table"`).
    pub fn table(mut self, table: TableRef) -> Self {
        self.table = Some(table);
        self
    }

    /// Runs a single time, then is removed.
    pub fn once(mut self) -> Self {
        self.once = true;
        self
    }
}

#[derive(Clone)]
struct Entry {
    id: ListenerId,
    options: ListenOptions,
    listener: Box<dyn Listener>,
}

/// An ordered set of listeners. Cloning the bus clones every listener.
#[derive(Clone, Default)]
pub struct EventBus {
    entries: Vec<Entry>,
    next: u64,
}

impl std::fmt::Debug for EventBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventBus")
            .field("listeners", &self.entries.len())
            .finish()
    }
}

impl EventBus {
    /// An empty bus.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a listener; it runs after every listener of an earlier or the same phase registered before it.
    pub fn register(&mut self, listener: Box<dyn Listener>, options: ListenOptions) -> ListenerId {
        let id = ListenerId(self.next);
        self.next += 1;
        let pos = self
            .entries
            .partition_point(|e| e.options.phase <= options.phase);
        self.entries.insert(
            pos,
            Entry {
                id,
                options,
                listener,
            },
        );
        id
    }

    /// Removes a listener, returning it if it was registered.
    pub fn remove(&mut self, id: ListenerId) -> Option<Box<dyn Listener>> {
        let pos = self.entries.iter().position(|e| e.id == id)?;
        Some(self.entries.remove(pos).listener)
    }

    /// Whether a listener is registered.
    pub fn contains(&self, id: ListenerId) -> bool {
        self.entries.iter().any(|e| e.id == id)
    }

    /// The number of listeners.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the bus has no listener.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Calls `call` on every listener interested in `kind` for `table`, in
    /// order, stopping at the first error. `once` listeners are removed after
    /// their call. `call` returns, besides the result, a value that is
    /// collected with the listener's id (used for deferrals).
    pub(crate) fn fire<T>(
        &mut self,
        kind: EventKind,
        table: Option<&TableRef>,
        mut call: impl FnMut(&mut dyn Listener) -> (Result<(), ListenerError>, Option<T>),
    ) -> Result<Vec<(ListenerId, T)>, ListenerError> {
        let mut out = Vec::new();
        let mut used = Vec::new();
        let mut result = Ok(());
        for entry in self.entries.iter_mut() {
            if !entry.listener.interest().contains(kind) {
                continue;
            }
            if let (Some(scope), Some(t)) = (&entry.options.table, table) {
                if scope != t {
                    continue;
                }
            }
            let (r, extra) = call(entry.listener.as_mut());
            if entry.options.once {
                used.push(entry.id);
            }
            if let Some(x) = extra {
                out.push((entry.id, x));
            }
            if let Err(e) = r {
                result = Err(e);
                break;
            }
        }
        if !used.is_empty() {
            self.entries.retain(|e| !used.contains(&e.id));
        }
        result.map(|()| out)
    }

    /// Calls one listener by id, if it is still registered.
    pub(crate) fn call_one<R>(
        &mut self,
        id: ListenerId,
        call: impl FnOnce(&mut dyn Listener) -> R,
    ) -> Option<R> {
        let entry = self.entries.iter_mut().find(|e| e.id == id)?;
        Some(call(entry.listener.as_mut()))
    }
}
