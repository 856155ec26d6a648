//! Naming conventions: templates, tokens, the convention handler, packs,
//! plugins, identifier limits and final names.
//!
//! Naming is not built into tables: it is one listener
//! ([`ConventionHandler`]) on the metadata's attach events, and the name a
//! convention gives an object is a pure function of the object and its
//! table ([`NamingConvention::name_for`]), which the handler applies and
//! reflection or lint can ask without attaching anything. Names are
//! generated in full; each dialect shortens them to its limit when they are
//! finalised ([`final_names`]), so one metadata serves every dialect.
//!
//! This layer sits above the model ([`schema`](crate::schema) and
//! [`events`](crate::events)) and imports nothing from the layers above it.
//! The plugin API ([`Plugin`], [`Plugins`]) belongs to it: a plugin's
//! contributions are token providers and listeners, and convention packs
//! name the plugins they need, so packs, plugins and conventions form one
//! layer. Within it, files depend one way: templates and tokens, then
//! conventions, the handler (and the [`MetaData`](crate::MetaData)
//! constructors that install it), plugins, and packs.

mod convention;
mod error;
mod handler;
mod limits;
mod metadata;
mod names;
mod pack;
mod plugin;
mod template;
mod token;

pub use convention::{NamingConvention, ObjectRef};
pub use error::{NamingError, ObjectDesc};
pub use handler::ConventionHandler;
pub use limits::{IdentifierChars, IdentifierLimit, LengthUnit};
pub use names::{
    check_final_names, check_identifier_lengths, final_names, final_names_unchecked, NameCase,
    NameRules, NamedObject, Namespaces,
};
pub use pack::{ConventionSet, Pack, PackError, MAX_PACK_SIZE};
pub use plugin::{Plugin, PluginSettings, Plugins, Setting};
pub use template::{ColumnAttr, Part, Selector, Template, TemplateError, Token};
pub use token::{TokenContext, TokenError, TokenProvider};

pub(crate) use crate::text::abbrev;
