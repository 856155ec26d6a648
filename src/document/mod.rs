//! The schema document (TOML or JSON) and its loading into a [`MetaData`].
//!
//! Loading streams: a second thread parses the text, checks each table and
//! hands it over as soon as it is read; the calling thread builds it and
//! adds it to a metadata whose convention handler names it, so parsing and
//! naming overlap and the parsed document is never held whole. If anything is
//! wrong, loading starts again in three passes that word the error: serde
//! parses the whole text into a plain model (unknown keys are errors), a
//! validation pass checks references, duplicates and counts with the exact
//! place of each problem, then the tables are added to a metadata.

mod error;
mod load;
mod locate;
mod model;
mod options;
mod stream;

pub use error::{DocumentError, Place};
pub use load::{load_path, load_str};
pub use locate::line_col;
pub use model::DocFile;
pub use options::{Format, LoadOptions};
