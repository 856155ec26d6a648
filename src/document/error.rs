//! Document errors: file, place, what, and how to fix it.

use std::fmt;

/// Where in a document a problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The path of keys and indexes, such as `tables[1].columns[0].name`.
    pub path: Option<String>,
    /// 1-based line and column, where known.
    pub line_col: Option<(usize, usize)>,
}

/// A document that cannot be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentError {
    /// The file (or `<input>`).
    pub file: String,
    /// Where in it.
    pub place: Place,
    /// What is wrong.
    pub message: String,
    /// How to fix it, where there is advice to give.
    pub help: Option<String>,
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some((l, c)) = self.place.line_col {
            write!(f, ":{l}:{c}")?;
        }
        f.write_str(": ")?;
        if let Some(p) = &self.place.path {
            if !p.is_empty() {
                write!(f, "{p}: ")?;
            }
        }
        f.write_str(&self.message)?;
        if let Some(h) = &self.help {
            write!(f, "\n  help: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DocumentError {}
