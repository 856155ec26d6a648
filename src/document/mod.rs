//! The schema document (TOML or JSON) and its loading into a [`MetaData`](crate::MetaData).
//!
//! There is one way to load a document, whether it is valid or not: a
//! second thread reads it and hands each table over as soon as it is read
//! and has passed the document's own rules (types, actions, keys); the
//! calling thread converts it and adds it to a metadata whose naming
//! convention names it, so parsing and naming overlap and the parsed
//! document is never held whole. A TOML document is read table by table
//! (its `[[tables]]` blocks are found first, see `layout`), each block by
//! the reader of `toml_tree` (`toml_parser`'s lexer and grammar, TOML's
//! table rules) and the serde deserializer of `toml_de`; JSON in one
//! streaming pass by `serde_json`. Both feed the same readers of the
//! document model (`read`, `model`), which borrow text from the input
//! where it has no escapes. A table's column and table templates are
//! expanded as it is read (`template`), so that everything after sees the
//! table as if written out. The schema model checks names, duplicates, columns and
//! references; its errors are placed back in the document, by key path and
//! line and column.
//!
//! What is read is bounded: a document by [`LoadOptions::max_size`] (1 GiB
//! unless set), and no document may hold a NUL byte, nor a control
//! character (but tab, line feed and carriage return) in any string.
//!
//! Modules, each using only those above it:
//! `error`, `layout`, `options`, `path`, `toml_tree` → `locate`,
//! `toml_de` → `source`, `read` → `model` → `rules`, `convert`, `explain`,
//! `template` → `parse` → `load`.

mod convert;
mod error;
mod explain;
mod layout;
mod load;
mod locate;
mod model;
mod options;
mod parse;
mod path;
mod read;
mod rules;
mod source;
mod template;
mod toml_de;
mod toml_tree;

pub use error::{DocumentError, Place};
pub use load::{load_path, load_reader, load_str};
pub use locate::line_col;
pub use options::{Format, LoadOptions, DEFAULT_MAX_SIZE};
