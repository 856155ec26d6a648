//! The plugin API: plugins add custom tokens and listeners.
//!
//! A plugin is registered by name in a [`Plugins`] registry. A convention
//! pack lists the plugins it needs (`plugins = ["digest"]`); building the
//! pack's convention takes each plugin's [`TokenProvider`] and its listeners
//! are registered on the metadata. There is no global registry.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::token::TokenProvider;
use crate::events::{ListenOptions, Listener};

/// One value of a plugin setting: what a pack's `[settings.<plugin>]` gives.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(untagged)]
pub enum Setting {
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Integer(i64),
    /// A string.
    Text(String),
    /// A list of strings.
    List(Vec<String>),
}

impl std::fmt::Display for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Setting::Bool(b) => write!(f, "{b}"),
            Setting::Integer(i) => write!(f, "{i}"),
            Setting::Text(t) => write!(f, "{t:?}"),
            Setting::List(l) => write!(f, "{l:?}"),
        }
    }
}

/// The settings packs give one plugin: key → value, later packs
/// overriding earlier ones key by key.
pub type PluginSettings = BTreeMap<String, Setting>;

/// A plugin: a named bundle of token providers and listeners.
pub trait Plugin: Send + Sync {
    /// The name packs use to ask for it.
    fn name(&self) -> &str;

    /// What it adds, in a sentence.
    fn description(&self) -> &str {
        ""
    }

    /// The provider of the plugin's custom tokens, if any.
    fn token_provider(&self) -> Option<Arc<dyn TokenProvider>> {
        None
    }

    /// The listeners to register on a metadata that uses the plugin.
    fn listeners(&self) -> Vec<(Box<dyn Listener>, ListenOptions)> {
        Vec::new()
    }

    /// The plugin as `settings` (never empty) configure it, used in its
    /// place; an error says what is wrong with them and how to fix it.
    /// Default: the plugin takes no settings.
    fn configure(&self, settings: &PluginSettings) -> Result<Arc<dyn Plugin>, String> {
        let keys: Vec<&str> = settings.keys().map(String::as_str).collect();
        Err(format!(
            "plugin {:?} takes no settings (given: {}); remove them",
            self.name(),
            keys.join(", ")
        ))
    }
}

/// A registry of plugins by name.
#[derive(Clone, Default)]
pub struct Plugins {
    map: BTreeMap<String, Arc<dyn Plugin>>,
}

impl std::fmt::Debug for Plugins {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.map.keys()).finish()
    }
}

impl Plugins {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers a plugin under its name, replacing one of the same name.
    pub fn register(&mut self, plugin: impl Plugin + 'static) -> &mut Self {
        self.map.insert(plugin.name().to_owned(), Arc::new(plugin));
        self
    }

    /// Builder form of [`register`](Self::register).
    pub fn with(mut self, plugin: impl Plugin + 'static) -> Self {
        self.register(plugin);
        self
    }

    /// The plugin with this name.
    pub fn get(&self, name: &str) -> Option<Arc<dyn Plugin>> {
        self.map.get(name).cloned()
    }

    /// The registered names, sorted.
    pub fn names(&self) -> Vec<String> {
        self.map.keys().cloned().collect()
    }
}
