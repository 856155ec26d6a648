//! What a caller tells the loader: the document's syntax, its name and
//! directory, and the packs and plugins to apply.

use std::path::{Path, PathBuf};

use crate::plugin::Plugins;

/// The document's syntax.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

impl Format {
    /// The format for a path: by extension, else by the first character of `text`.
    pub fn detect(path: Option<&Path>, text: &str) -> Format {
        match path.and_then(Format::by_extension) {
            Some(f) => f,
            None if text.trim_start().starts_with(['{', '[']) => Format::Json,
            None => Format::Toml,
        }
    }

    /// The format a path's extension names (`.json`, `.toml`), if any.
    pub fn by_extension(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        if ext.eq_ignore_ascii_case("json") {
            Some(Format::Json)
        } else if ext.eq_ignore_ascii_case("toml") {
            Some(Format::Toml)
        } else {
            None
        }
    }
}

/// Options for loading a document.
///
/// Every field has a default, so options are built from
/// [`LoadOptions::new`] (or [`Default`]) and the setters below:
///
/// ```
/// use nomenclator::document::{load_str, Format, LoadOptions};
///
/// let options = LoadOptions::new().format(Format::Toml).name("shop.toml");
/// let md = load_str("[[tables]]\nname = \"t\"\ncolumns = [{ name = \"id\" }]\n", &options)?;
/// assert_eq!(md.len(), 1);
/// # Ok::<(), nomenclator::document::DocumentError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Packs applied after the document's own conventions (the command line's `--conventions`).
    pub conventions: Vec<String>,
    /// The plugins packs may ask for.
    pub plugins: Plugins,
    /// The document's syntax. `None` detects it: from the file's extension,
    /// else from the text's first character.
    pub format: Option<Format>,
    /// The name errors give the document. `None`: the file's path, or
    /// `<input>` for text.
    pub name: Option<String>,
    /// Where relative pack paths start. `None`: the file's directory; text
    /// has no directory, so relative pack paths are then relative to the
    /// current directory.
    pub base: Option<PathBuf>,
}

impl LoadOptions {
    /// The defaults: no extra packs or plugins, everything else detected.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the packs applied after the document's own conventions.
    pub fn conventions<I, S>(mut self, packs: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.conventions = packs.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the plugins packs may ask for.
    pub fn plugins(mut self, plugins: Plugins) -> Self {
        self.plugins = plugins;
        self
    }

    /// Sets the document's syntax instead of detecting it.
    pub fn format(mut self, format: Format) -> Self {
        self.format = Some(format);
        self
    }

    /// Sets the name errors give the document.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the directory relative pack paths start from.
    pub fn base(mut self, dir: impl Into<PathBuf>) -> Self {
        self.base = Some(dir.into());
        self
    }
}
