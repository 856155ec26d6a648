//! Convention packs: TOML files of templates, built in or loaded from a path.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use super::convention::NamingConvention;
use super::error::NamingError;
use super::plugin::{Plugin, PluginSettings, Plugins};
use crate::schema::Kind;
use crate::text::line_col;

/// The largest pack file read, in bytes (1 MiB): a pack is a few
/// templates, and a larger file (or an endless one such as `/dev/zero`) is
/// refused rather than read without end.
pub const MAX_PACK_SIZE: u64 = 1 << 20;

/// The packs compiled into the library, from the repository's `conventions/` folder.
const BUILTIN: &[(&str, &str)] = &[
    (
        "sqlalchemy",
        include_str!("../../conventions/sqlalchemy.toml"),
    ),
    (
        "postgresql",
        include_str!("../../conventions/postgresql.toml"),
    ),
    ("mariadb", include_str!("../../conventions/mariadb.toml")),
    ("mysql", include_str!("../../conventions/mysql.toml")),
    ("sqlite", include_str!("../../conventions/sqlite.toml")),
    (
        "alembic-short",
        include_str!("../../conventions/alembic-short.toml"),
    ),
    ("digest", include_str!("../../conventions/digest.toml")),
    (
        "boolean-checks",
        include_str!("../../conventions/boolean-checks.toml"),
    ),
    ("enums", include_str!("../../conventions/enums.toml")),
    (
        "index-foreign-keys",
        include_str!("../../conventions/index-foreign-keys.toml"),
    ),
    (
        "house-rules",
        include_str!("../../conventions/house-rules.toml"),
    ),
];

/// ` (did you mean "sqlalchemy"?)` when `name` looks like a misspelt built-in pack.
fn did_you_mean(name: &str, available: &[String]) -> String {
    crate::schema::closest(name, available.iter().map(String::as_str))
        .map(|s| format!(" (did you mean {s:?}?)"))
        .unwrap_or_default()
}

/// A pack that cannot be found, read or used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PackError {
    /// No built-in pack has this name.
    #[error("unknown convention pack {name:?}{}; built-in packs are {}; give a path (ending in .toml) for a pack file", did_you_mean(name, available), .available.join(", "))]
    UnknownPack {
        /// The name asked for.
        name: String,
        /// The built-in packs.
        available: Vec<String>,
    },
    /// The pack file cannot be read.
    #[error("cannot read convention pack {path}: {message}")]
    Io {
        /// The path.
        path: String,
        /// The system's message.
        message: String,
    },
    /// The pack file is not a valid pack.
    #[error("{origin}:{line}:{column}: {message}")]
    Parse {
        /// The file.
        origin: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A convention key that is not pk, fk, uq, ck or ix.
    #[error("{origin}: naming_convention.{key}: unknown convention key; use pk, fk, uq, ck or ix")]
    UnknownKey {
        /// The pack or document.
        origin: String,
        /// The key.
        key: String,
    },
    /// Packs that extend each other in a circle.
    #[error("convention packs extend each other in a cycle: {}", .chain.join(" -> "))]
    ExtendsCycle {
        /// The chain of packs.
        chain: Vec<String>,
    },
    /// A pack needs a plugin that is not registered.
    #[error("{origin} needs plugin {plugin:?}, which is not registered (registered plugins: {}); register it, or remove it from `plugins`", if .available.is_empty() { "none".to_owned() } else { .available.join(", ") })]
    MissingPlugin {
        /// The pack.
        origin: String,
        /// The plugin.
        plugin: String,
        /// The registered plugins.
        available: Vec<String>,
    },
    /// A pack's `[settings.<plugin>]` that cannot be used.
    #[error("{origin}: settings.{plugin}: {message}")]
    Settings {
        /// The pack that gave the settings.
        origin: String,
        /// The plugin.
        plugin: String,
        /// What is wrong, and how to fix it.
        message: String,
    },
    /// A template in the pack is invalid.
    #[error(transparent)]
    Naming(#[from] NamingError),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    extends: Option<String>,
    #[serde(default)]
    plugins: Vec<String>,
    #[serde(default)]
    naming_convention: BTreeMap<String, String>,
    #[serde(default)]
    settings: BTreeMap<String, PluginSettings>,
}

/// A convention pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pack {
    /// The pack's name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// The pack it extends, if any.
    pub extends: Option<String>,
    /// The plugins it needs.
    pub plugins: Vec<String>,
    /// Convention key → template text.
    pub naming_convention: BTreeMap<String, String>,
    /// Plugin name → the settings the pack gives it (`[settings.<plugin>]`).
    pub settings: BTreeMap<String, PluginSettings>,
    /// Where it came from: `pack "name"` or a file path.
    pub origin: String,
    dir: Option<PathBuf>,
}

/// Whether a pack spec names a file rather than a built-in pack.
fn is_path(spec: &str) -> bool {
    spec.contains('/') || spec.contains('\\') || spec.ends_with(".toml")
}

impl Pack {
    /// Parses pack text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str, dir: Option<PathBuf>) -> Result<Pack, PackError> {
        let f: PackFile = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            PackError::Parse {
                origin: origin.to_owned(),
                line,
                column,
                message: e.message().to_owned(),
            }
        })?;
        for key in f.naming_convention.keys() {
            if key.parse::<Kind>().is_err() {
                return Err(PackError::UnknownKey {
                    origin: origin.to_owned(),
                    key: key.clone(),
                });
            }
        }
        Ok(Pack {
            name: f.name,
            description: f.description.unwrap_or_default(),
            extends: f.extends,
            plugins: f.plugins,
            naming_convention: f.naming_convention,
            settings: f.settings,
            origin: origin.to_owned(),
            dir,
        })
    }

    /// Loads a built-in pack by name, or a pack file by path (relative paths from `base`).
    pub fn load(spec: &str, base: Option<&Path>) -> Result<Pack, PackError> {
        if is_path(spec) {
            let path = match base {
                Some(b) if Path::new(spec).is_relative() => b.join(spec),
                _ => PathBuf::from(spec),
            };
            let io = |message: String| PackError::Io {
                path: path.display().to_string(),
                message,
            };
            let bytes =
                crate::text::read_file(&path, MAX_PACK_SIZE).map_err(|e| io(e.to_string()))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                io(format!(
                    "it is not UTF-8 text (a bad byte at offset {})",
                    e.utf8_error().valid_up_to()
                ))
            })?;
            let dir = path.parent().map(Path::to_path_buf);
            Pack::parse(&text, &path.display().to_string(), dir)
        } else {
            let text = BUILTIN
                .iter()
                .find(|(n, _)| *n == spec)
                .map(|(_, t)| *t)
                .ok_or_else(|| PackError::UnknownPack {
                    name: spec.to_owned(),
                    available: BUILTIN.iter().map(|(n, _)| (*n).to_owned()).collect(),
                })?;
            Pack::parse(text, &format!("built-in pack {spec:?}"), None)
        }
    }

    /// Every built-in pack.
    pub fn builtin() -> Vec<Pack> {
        BUILTIN
            .iter()
            .filter_map(|(n, _)| Pack::load(n, None).ok())
            .collect()
    }
}

/// Templates gathered from packs and inline conventions, later ones
/// overriding earlier ones key by key, with the plugins they need.
#[derive(Clone, Debug, Default)]
pub struct ConventionSet {
    templates: BTreeMap<Kind, (String, String)>,
    plugins: Vec<(String, String)>,
    /// Plugin → its settings, later packs overriding earlier ones key by
    /// key, and the pack that gave them last.
    settings: BTreeMap<String, (PluginSettings, String)>,
    any: bool,
}

impl ConventionSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether any pack or inline convention was added (even an empty one;
    /// a pack that only adds plugins does not count: the default
    /// convention still names what it makes).
    pub fn is_specified(&self) -> bool {
        self.any
    }

    /// Applies a pack (and, first, the packs it extends).
    pub fn add_pack(&mut self, spec: &str, base: Option<&Path>) -> Result<(), PackError> {
        let mut chain = Vec::new();
        let mut packs = Vec::new();
        let mut next = Some((spec.to_owned(), base.map(Path::to_path_buf)));
        while let Some((spec, base)) = next.take() {
            let pack = Pack::load(&spec, base.as_deref())?;
            let id = pack.origin.clone();
            if chain.contains(&id) {
                chain.push(id);
                return Err(PackError::ExtendsCycle { chain });
            }
            chain.push(id);
            next = pack.extends.clone().map(|e| (e, pack.dir.clone()));
            packs.push(pack);
        }
        // A chain of packs that only add plugins says nothing of names.
        self.any |= !packs
            .iter()
            .all(|p| p.naming_convention.is_empty() && !p.plugins.is_empty());
        for pack in packs.into_iter().rev() {
            self.apply(&pack.naming_convention, &pack.origin)?;
            for p in &pack.plugins {
                self.plugins.push((p.clone(), pack.origin.clone()));
            }
            for (plugin, given) in pack.settings {
                let (merged, origin) = self.settings.entry(plugin).or_default();
                merged.extend(given);
                *origin = pack.origin.clone();
            }
        }
        Ok(())
    }

    /// Applies inline templates (a document's `naming_convention`).
    pub fn add_inline(
        &mut self,
        templates: &BTreeMap<String, String>,
        origin: &str,
    ) -> Result<(), PackError> {
        self.any = true;
        self.apply(templates, origin)
    }

    fn apply(
        &mut self,
        templates: &BTreeMap<String, String>,
        origin: &str,
    ) -> Result<(), PackError> {
        for (key, t) in templates {
            let kind = key.parse::<Kind>().map_err(|_| PackError::UnknownKey {
                origin: origin.to_owned(),
                key: key.clone(),
            })?;
            self.templates.insert(kind, (t.clone(), origin.to_owned()));
        }
        Ok(())
    }

    /// Builds the convention, taking token providers from the plugins the packs need.
    /// Returns the plugins too, so their listeners can be registered.
    pub fn build(
        &self,
        registry: &Plugins,
    ) -> Result<(NamingConvention, Vec<Arc<dyn Plugin>>), PackError> {
        let mut conv = NamingConvention::new();
        let mut used: Vec<Arc<dyn Plugin>> = Vec::new();
        for (name, origin) in &self.plugins {
            let plugin = registry.get(name).ok_or_else(|| PackError::MissingPlugin {
                origin: origin.clone(),
                plugin: name.clone(),
                available: registry.names(),
            })?;
            if used.iter().any(|p| p.name() == plugin.name()) {
                continue;
            }
            let plugin = match self.settings.get(name) {
                Some((settings, origin)) if !settings.is_empty() => plugin
                    .configure(settings)
                    .map_err(|message| PackError::Settings {
                        origin: origin.clone(),
                        plugin: name.clone(),
                        message,
                    })?,
                _ => plugin,
            };
            if let Some(tp) = plugin.token_provider() {
                conv.add_provider(tp);
            }
            used.push(plugin);
        }
        if let Some((plugin, (_, origin))) = self
            .settings
            .iter()
            .find(|(p, _)| !self.plugins.iter().any(|(n, _)| n == *p))
        {
            return Err(PackError::Settings {
                origin: origin.clone(),
                plugin: plugin.clone(),
                message: "no pack uses this plugin; add it to the pack's `plugins`".into(),
            });
        }
        for (kind, (t, origin)) in &self.templates {
            conv.set(*kind, t)
                .map_err(|e| e.with_origin(origin.clone()))?;
        }
        Ok((conv, used))
    }
}
