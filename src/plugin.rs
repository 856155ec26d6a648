//! The plugin API: [`Plugin`] and the [`Plugins`] registry.
//!
//! They are defined in the naming layer ([`naming`](crate::naming)) and
//! re-exported here and at the crate root. A plugin contributes token
//! providers to naming conventions and listeners to the metadata's events;
//! a convention pack names the plugins it needs, so building a pack's
//! convention ([`ConventionSet::build`](crate::naming::ConventionSet::build))
//! looks them up. Plugins are therefore part of the naming layer rather
//! than above it: above it, the packs that name them would have to move
//! out of the naming layer too.

pub use crate::naming::{Plugin, PluginSettings, Plugins, Setting};
