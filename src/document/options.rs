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
    /// The format for a path: by extension, else by how `text` starts
    /// (after a byte-order mark and white space): `{` is JSON, and so is a
    /// list (`[]`, `[{`), which is no document but deserves JSON's
    /// message; anything else is TOML, whose table headers start with `[`.
    ///
    /// ```
    /// use nomenclator::document::Format;
    ///
    /// assert_eq!(Format::detect(None, "{\"tables\": []}"), Format::Json);
    /// assert_eq!(Format::detect(None, "[{\"name\": \"t\"}]"), Format::Json);
    /// assert_eq!(Format::detect(None, "[[tables]]\nname = \"t\""), Format::Toml);
    /// ```
    pub fn detect(path: Option<&Path>, text: &str) -> Format {
        if let Some(f) = path.and_then(Format::by_extension) {
            return f;
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text).trim_start();
        let list = text
            .strip_prefix('[')
            .is_some_and(|rest| rest.trim_start().starts_with(['{', ']']));
        if text.starts_with('{') || list {
            Format::Json
        } else {
            Format::Toml
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

/// The default of [`LoadOptions::max_size`]: 1 GiB.
pub const DEFAULT_MAX_SIZE: u64 = 1 << 30;

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
#[derive(Clone, Debug)]
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
    /// The largest document loaded, in bytes ([`DEFAULT_MAX_SIZE`], 1 GiB,
    /// unless set). A larger file is refused before it is read, a stream
    /// (a pipe, standard input) as soon as it passes the limit.
    pub max_size: u64,
    /// Plugins (by name, from `plugins`) whose listeners are installed
    /// after the document's conventions, whatever its packs ask for: a
    /// diff adds the server's native naming this way, so that what the
    /// document leaves unnamed has the name the server would give it.
    pub listeners_of: Vec<String>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            conventions: Vec::new(),
            plugins: Plugins::default(),
            format: None,
            name: None,
            base: None,
            max_size: DEFAULT_MAX_SIZE,
            listeners_of: Vec::new(),
        }
    }
}

impl LoadOptions {
    /// The defaults: no extra packs or plugins, documents up to 1 GiB,
    /// everything else detected.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the largest document loaded, in bytes.
    pub fn max_size(mut self, bytes: u64) -> Self {
        self.max_size = bytes;
        self
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

    /// Installs the listeners of the named plugins after the document's
    /// conventions (see [`LoadOptions::listeners_of`]).
    pub fn listeners_of<I, S>(mut self, plugins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.listeners_of = plugins.into_iter().map(Into::into).collect();
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
