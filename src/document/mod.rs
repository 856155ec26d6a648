//! The schema document (TOML or JSON) and its loading into a [`MetaData`].
//!
//! Loading happens in three passes: serde parses the text into a plain
//! model (unknown keys are errors); a validation pass checks references,
//! duplicates and counts with the exact place of each problem; then the
//! tables are added to a metadata whose convention handler names them.

mod error;
mod load;
mod locate;
mod model;

pub use error::{DocumentError, Place};
pub use load::{load_path, load_str, Format, LoadOptions};
pub use locate::line_col;
pub use model::DocFile;
