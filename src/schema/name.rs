//! Names of constraints and indexes, and where they came from.

use std::fmt;

/// The name of a constraint or index, recording how it was obtained.
///
/// A naming convention only ever fills or rewrites names that are
/// [`Pending`](Name::Pending) or [`Explicit`](Name::Explicit); a
/// [`Final`](Name::Final) name is never touched. A generated name keeps the
/// explicit name it was made from, so a table copied to another
/// [`MetaData`](crate::MetaData) can be named again under that metadata's
/// convention.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Name {
    /// No name is known yet. If no convention names it, the database chooses one.
    #[default]
    Pending,
    /// A name given by the user; a template containing `constraint_name` may rewrite it.
    Explicit(String),
    /// A name no convention may change (SQLAlchemy's `conv()`, `convention = false`).
    Final(String),
    /// No name, and none for a convention to give (`convention = false`
    /// without a name): the database chooses one.
    Unnamed,
    /// A name produced by a naming convention.
    Generated {
        /// The full name the template produced, before any per-dialect shortening.
        name: String,
        /// The explicit name the template consumed through `constraint_name`, if any.
        explicit: Option<String>,
    },
}

impl Name {
    /// An explicit name.
    pub fn explicit(name: impl Into<String>) -> Self {
        Name::Explicit(name.into())
    }

    /// A final name: no convention is applied to it.
    pub fn final_(name: impl Into<String>) -> Self {
        Name::Final(name.into())
    }

    /// The current name, if any (for a generated name, the unshortened one).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Name::Pending | Name::Unnamed => None,
            Name::Explicit(s) | Name::Final(s) => Some(s),
            Name::Generated { name, .. } => Some(name),
        }
    }

    /// Whether no name is known yet.
    pub fn is_pending(&self) -> bool {
        matches!(self, Name::Pending)
    }

    /// Whether the name was produced by a naming convention.
    pub fn is_generated(&self) -> bool {
        matches!(self, Name::Generated { .. })
    }

    /// The name the user gave, if any: explicit, final, or the source of a generated name.
    pub fn user_given(&self) -> Option<&str> {
        match self {
            Name::Pending | Name::Unnamed => None,
            Name::Explicit(s) | Name::Final(s) => Some(s),
            Name::Generated { explicit, .. } => explicit.as_deref(),
        }
    }

    /// Undoes a convention: a generated name returns to what the user gave.
    pub fn reset(&mut self) {
        if let Name::Generated { explicit, .. } = self {
            *self = match explicit.take() {
                Some(e) => Name::Explicit(e),
                None => Name::Pending,
            };
        }
    }

    pub(crate) fn from_parts(name: Option<String>, convention: bool) -> Self {
        match (name, convention) {
            (None, true) => Name::Pending,
            (None, false) => Name::Unnamed,
            (Some(n), true) => Name::Explicit(n),
            (Some(n), false) => Name::Final(n),
        }
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_str() {
            Some(s) => f.write_str(s),
            None => f.write_str("(unnamed)"),
        }
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Self {
        Name::Explicit(s.to_owned())
    }
}

impl From<String> for Name {
    fn from(s: String) -> Self {
        Name::Explicit(s)
    }
}

impl From<Option<&str>> for Name {
    fn from(s: Option<&str>) -> Self {
        s.map_or(Name::Pending, Name::from)
    }
}
