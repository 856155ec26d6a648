//! Key paths of a document's parts, formatted only when an error needs one.

use std::fmt;

/// `tables[i]`.
#[derive(Clone, Copy)]
pub(crate) struct TablePath(pub(crate) usize);

impl fmt::Display for TablePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tables[{}]", self.0)
    }
}

/// `tables[i].columns[j]`.
#[derive(Clone, Copy)]
pub(crate) struct ColumnPath(pub(crate) usize, pub(crate) usize);

impl fmt::Display for ColumnPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tables[{}].columns[{}]", self.0, self.1)
    }
}

/// `tables[i].foreign_keys[k]`.
#[derive(Clone, Copy)]
pub(crate) struct ForeignKeyPath(pub(crate) usize, pub(crate) usize);

impl fmt::Display for ForeignKeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tables[{}].foreign_keys[{}]", self.0, self.1)
    }
}
