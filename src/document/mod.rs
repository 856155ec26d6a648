//! The schema document (TOML or JSON) and its loading into a [`MetaData`](crate::MetaData).
//!
//! There is one way to load a document, whether it is valid or not: a
//! second thread reads it and hands each table over as soon as it is read
//! and has passed the document's own rules (types, actions, keys); the
//! calling thread converts it and adds it to a metadata whose naming
//! convention names it, so parsing and naming overlap and the parsed
//! document is never held whole. The schema model checks names, duplicates,
//! columns and references; its errors are placed back in the document, by
//! key path and, for TOML, line and column.
//!
//! Modules, each using only those above it:
//! `error`, `locate`, `options`, `path` → `source`, `read` → `model` →
//! `rules`, `convert`, `explain` → `parse` → `load`.

mod convert;
mod error;
mod explain;
mod load;
mod locate;
mod model;
mod options;
mod parse;
mod path;
mod read;
mod rules;
mod source;

pub use error::{DocumentError, Place};
pub use load::{load_path, load_str};
pub use locate::line_col;
pub use options::{Format, LoadOptions};
