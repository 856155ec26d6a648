//! Naming conventions: templates, tokens, the convention handler, packs,
//! identifier limits and final names.
//!
//! Naming is not built into tables: it is one listener
//! ([`ConventionHandler`]) on the metadata's attach events. Names are
//! generated in full; each dialect shortens them to its limit when they are
//! finalised ([`final_names`]), so one metadata serves every dialect.

mod convention;
mod error;
mod handler;
mod limits;
mod metadata;
mod names;
mod pack;
mod template;

pub use convention::{NamingConvention, TokenContext, TokenProvider};
pub(crate) use error::abbrev;
pub use error::{NamingError, ObjectDesc};
pub use handler::ConventionHandler;
pub use limits::{IdentifierChars, IdentifierLimit, LengthUnit};
pub use names::{
    check_final_names, check_identifier_lengths, final_names, NameRules, NamedObject, Namespaces,
};
pub use pack::{ConventionSet, Pack, PackError};
pub use template::{ColumnAttr, Part, Selector, Template, TemplateError, Token};
