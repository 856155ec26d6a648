//! Loading a document into a metadata: the one way every document goes,
//! valid or not.
//!
//! A second thread parses the text ([`parse`](super::parse)) and hands the
//! tables over a few at a time; this thread converts each one and adds it
//! to a metadata whose naming-convention handler names it, so parsing and
//! naming overlap and the parsed document is never held whole. The model
//! checks each table as it is added and the references between tables at
//! the end; its errors are placed in the document
//! ([`explain`](super::explain)).
//!
//! Which error is reported, when there are several, depends only on the
//! document: one that does not parse is reported as such; otherwise the
//! first table with a problem, in document order, then the views and
//! custom DDL, then the references between tables.

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use super::convert;
use super::error::{DocumentError, Place};
use super::explain;
use super::layout::{self, Layout};
use super::locate::line_col;
use super::model::StringOrList;
use super::options::{Format, LoadOptions};
use super::parse::{self, Msg, Parsed, Settings};
use super::source::Source;
use crate::naming::{ConventionSet, NamingConvention, NamingError, PackError};
use crate::plugin::Plugin;
use crate::text::ReadError;
use crate::MetaData;

/// Loads a document file; `-` is standard input.
///
/// The file is read whole before it is parsed, so a file that changes
/// meanwhile gives either a document or an error, as any other text would.
/// It is read only up to [`LoadOptions::max_size`]: a larger regular file
/// is refused before it is read, and anything else (a pipe, a device) as
/// soon as it passes the limit or gives a NUL byte, which no document
/// holds. Unless `options` say otherwise, the format follows from the
/// file's extension (else from its first character), errors name the file
/// by its path (standard input is `<stdin>`), and relative pack paths
/// start in the file's directory (the current one for standard input).
pub fn load_path(path: &Path, options: &LoadOptions) -> Result<MetaData, DocumentError> {
    if path == Path::new("-") {
        let name = options.name.as_deref().unwrap_or("<stdin>");
        let bytes = crate::text::read_bounded(std::io::stdin().lock(), options.max_size, 0)
            .map_err(|e| read_err(name, options, e))?;
        return load_bytes(bytes, name, None, options.base.as_deref(), options);
    }
    let name = options
        .name
        .clone()
        .unwrap_or_else(|| path.display().to_string());
    let bytes =
        crate::text::read_file(path, options.max_size).map_err(|e| read_err(&name, options, e))?;
    load_bytes(
        bytes,
        &name,
        Some(path),
        options.base.as_deref().or(path.parent()),
        options,
    )
}

/// Loads a document from a reader, such as standard input or a socket.
///
/// The reader is read to its end, but only up to
/// [`LoadOptions::max_size`], and not past a NUL byte. Unless `options`
/// say otherwise, the format follows from the text's first character,
/// errors name the document `<input>`, and relative pack paths start in
/// the current directory.
///
/// ```
/// use nomenclator::document::{load_reader, LoadOptions};
///
/// let doc = "[[tables]]\nname = \"t\"\ncolumns = [{ name = \"id\" }]\n";
/// let md = load_reader(doc.as_bytes(), &LoadOptions::new())?;
/// assert_eq!(md.len(), 1);
/// let err = load_reader(doc.as_bytes(), &LoadOptions::new().max_size(10)).unwrap_err();
/// assert!(err.message.contains("larger than the limit of 10 bytes"));
/// # Ok::<(), nomenclator::document::DocumentError>(())
/// ```
pub fn load_reader(
    reader: impl std::io::Read,
    options: &LoadOptions,
) -> Result<MetaData, DocumentError> {
    let name = options.name.as_deref().unwrap_or("<input>");
    let bytes = crate::text::read_bounded(reader, options.max_size, 0)
        .map_err(|e| read_err(name, options, e))?;
    load_bytes(bytes, name, None, options.base.as_deref(), options)
}

/// A document that could not be read.
fn read_err(name: &str, options: &LoadOptions, e: ReadError) -> DocumentError {
    let (message, line_col, help) = match e {
        ReadError::Io(e) => (format!("cannot read the document: {e}"), None, None),
        ReadError::TooLarge { .. } => (
            format!("the document is larger than the limit of {} bytes", options.max_size),
            None,
            Some("the limit is `LoadOptions::max_size` (1 GiB unless it is set); split the document, or raise the limit".to_owned()),
        ),
        ReadError::Nul { offset, line_col } => (
            format!("the document holds a NUL byte (byte {offset}), so it is not UTF-8 text"),
            Some(line_col),
            Some("save it as UTF-8: a NUL byte means UTF-16 or a file that is not text".to_owned()),
        ),
    };
    DocumentError {
        file: name.to_owned(),
        place: Place {
            path: None,
            line_col,
        },
        message,
        help,
    }
}

/// Loads the bytes of a document read from `path` (`None`: a stream).
fn load_bytes(
    bytes: Vec<u8>,
    name: &str,
    path: Option<&Path>,
    base: Option<&Path>,
    options: &LoadOptions,
) -> Result<MetaData, DocumentError> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(e.as_bytes().get(..at).unwrap_or_default());
        DocumentError {
            file: name.to_owned(),
            place: Place {
                path: None,
                line_col: Some(line_col(&before, at)),
            },
            message: format!("the document is not valid UTF-8 (bad byte at offset {at})"),
            help: Some("save the file as UTF-8".into()),
        }
    })?;
    let format = options
        .format
        .unwrap_or_else(|| Format::detect(path, &text));
    load(&text, format, name, base, options)
}

/// Loads a document from text.
///
/// Unless `options` say otherwise, the format follows from the text's
/// first character (`{` or `[` is JSON), errors name the document
/// `<input>`, and relative pack paths start in the current directory.
/// Text longer than [`LoadOptions::max_size`] is refused.
///
/// ```
/// use nomenclator::document::{load_str, Format, LoadOptions};
///
/// let doc = r#"{"tables": [{"name": "t", "columns": [{"name": "id"}], "uniques": [{"columns": ["idd"]}]}]}"#;
/// let err = load_str(doc, &LoadOptions::new().name("t.json")).unwrap_err();
/// assert_eq!(err.place.path.as_deref(), Some("tables[0].uniques[0].columns[0]"));
/// assert_eq!(
///     err.to_string(),
///     "t.json:1:81: tables[0].uniques[0].columns[0]: table \"t\" has no column \"idd\" (did you mean \"id\"?)"
/// );
/// ```
pub fn load_str(text: &str, options: &LoadOptions) -> Result<MetaData, DocumentError> {
    let name = options.name.as_deref().unwrap_or("<input>");
    if text.len() as u64 > options.max_size {
        return Err(read_err(
            name,
            options,
            ReadError::TooLarge {
                limit: options.max_size,
            },
        ));
    }
    let format = options.format.unwrap_or_else(|| Format::detect(None, text));
    load(text, format, name, options.base.as_deref(), options)
}

/// How many batches of parsed tables may wait for this thread.
const STREAM_BUFFER: usize = 4;

/// The end of one loading run.
enum Run {
    /// The document, loaded.
    Loaded(MetaData),
    /// Settings (naming, templates) came after the tables: load again,
    /// knowing them.
    Again(Settings),
}

fn load(
    text: &str,
    format: Format,
    name: &str,
    base: Option<&Path>,
    options: &LoadOptions,
) -> Result<MetaData, DocumentError> {
    // A byte-order mark is no part of the document, in either syntax.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let layout: Option<Layout> = (format == Format::Toml).then(|| layout::scan(text));
    let src = Source {
        text,
        format,
        name,
        layout: layout.as_ref(),
    };
    if src.text.trim().is_empty() {
        return Err(src.err(
            None,
            "the document is empty".into(),
            Some("a document needs at least `tables`".into()),
        ));
    }
    let mut given = None;
    loop {
        match run(src, given.take(), base, options)? {
            Run::Loaded(md) => return Ok(md),
            // Tables are named and expanded as they arrive, with the
            // settings (naming, templates) seen before them; if more follow
            // the tables, the document is loaded again with all of them.
            // This happens at most once: with settings given,
            // `parse::parse` never reports late ones.
            Run::Again(settings) => given = Some(settings),
        }
    }
}

/// Parses the document on a second thread while this one builds the
/// metadata. `given` settings replace the document's own.
fn run(
    src: Source<'_>,
    given: Option<Settings>,
    base: Option<&Path>,
    options: &LoadOptions,
) -> Result<Run, DocumentError> {
    let (tx, rx) = mpsc::sync_channel(STREAM_BUFFER);
    std::thread::scope(|s| {
        let inline_given = given.clone();
        let parser = std::thread::Builder::new()
            .name("document parser".into())
            .spawn_scoped(s, move || {
                // An error to send means this thread stopped taking tables.
                parse::parse(src, given, &mut |msg| tx.send(msg).is_ok())
            });
        match parser {
            Ok(parser) => {
                // Dropping `rx` early (on an error) stops the sending.
                let built = build(src, rx, base, options);
                let parsed = match parser.join() {
                    Ok(parsed) => parsed,
                    // Not an error of the document: the parser's panic goes on.
                    Err(panic) => std::panic::resume_unwind(panic),
                };
                finish(src, parsed, built)
            }
            Err(_) => {
                // No second thread to be had: parse first, keeping every
                // table until it is built.
                let mut msgs = Vec::new();
                let parsed = parse::parse(src, inline_given, &mut |msg| {
                    msgs.push(msg);
                    true
                });
                let built = build(src, msgs, base, options);
                finish(src, parsed, built)
            }
        }
    })
}

/// The building side: converts each table as it arrives and adds it to
/// the metadata. Stops at the first error.
fn build<'a>(
    src: Source<'a>,
    msgs: impl IntoIterator<Item = Msg<'a>>,
    base: Option<&Path>,
    options: &LoadOptions,
) -> Result<MetaData, DocumentError> {
    // The convention is set when the head arrives, before any table.
    let mut md = MetaData::without_convention();
    let mut i = 0;
    for msg in msgs {
        match msg {
            Msg::Head(naming) => {
                let (convention, plugins) = conventions(&src, &naming, base, options)?;
                md.set_convention(convention);
                for p in plugins {
                    for (l, opts) in p.listeners() {
                        md.listen_boxed(l, opts);
                    }
                }
                for name in &options.listeners_of {
                    let Some(p) = options.plugins.get(name) else {
                        return Err(src.at(
                            String::new(),
                            format!("no plugin {name:?} is registered"),
                            "register it with Plugins::register before loading",
                        ));
                    };
                    for (l, opts) in p.listeners() {
                        md.listen_boxed(l, opts);
                    }
                }
            }
            Msg::Tables(batch) => {
                for t in batch {
                    let table = convert::table(&src, i, &t)?;
                    md.add_table(table)
                        .map_err(|e| explain::table_error(&src, i, &t, e.into()))?;
                    i += 1;
                }
            }
        }
    }
    Ok(md)
}

/// Decides the run from both sides' results, and adds the rest of the
/// document: views, custom DDL, names that waited for a later table, and
/// the check of references between tables.
fn finish(
    src: Source<'_>,
    parsed: Result<Parsed<'_>, DocumentError>,
    built: Result<MetaData, DocumentError>,
) -> Result<Run, DocumentError> {
    let parsed = parsed?;
    if let Some(settings) = parsed.late_settings {
        return Ok(Run::Again(settings));
    }
    // Errors about a part that came from a template are placed at the template.
    let place = |e| parsed.expanded.place(&src, e);
    // The builder stops at a table before the first one that broke a rule.
    let mut md = built.map_err(place)?;
    if let Some(e) = parsed.rejected {
        return Err(e);
    }
    for (k, v) in parsed.views.iter().enumerate() {
        md.add_view(convert::view(&src, k, v)?);
    }
    for (k, d) in parsed.ddl.iter().enumerate() {
        md.add_ddl(convert::ddl(&src, || format!("ddl[{k}]"), d)?);
    }
    if let Err(e) = md.resolve_deferred() {
        // A name that waited for a table that is missing: the check of all
        // references says more (which table was meant).
        return Err(place(match md.validate() {
            Err(v) => explain::metadata_error(&src, &md, v.into()),
            Ok(_) => explain::metadata_error(&src, &md, e.into()),
        }));
    }
    md.validate()
        .map_err(|e| place(explain::metadata_error(&src, &md, e.into())))?;
    Ok(Run::Loaded(md))
}

/// The naming convention of the document's settings and the command
/// line's packs, and the plugins the packs asked for.
fn conventions(
    src: &Source<'_>,
    naming: &Settings,
    base: Option<&Path>,
    options: &LoadOptions,
) -> Result<(NamingConvention, Vec<std::sync::Arc<dyn Plugin>>), DocumentError> {
    let mut set = ConventionSet::new();
    if let Some(StringOrList { items, single }) = &naming.conventions {
        for (j, spec) in items.iter().enumerate() {
            let path = if *single {
                "conventions".to_owned()
            } else {
                format!("conventions[{j}]")
            };
            set.add_pack(spec, base)
                .map_err(|e| pack_err(src, Some(path), e))?;
        }
    }
    if let Some(nc) = &naming.naming_convention {
        set.add_inline(nc, INLINE)
            .map_err(|e| pack_err(src, None, e))?;
    }
    let cwd: Option<PathBuf> = std::env::current_dir().ok();
    for spec in &options.conventions {
        set.add_pack(spec, cwd.as_deref())
            .map_err(|e| DocumentError {
                file: "--conventions".into(),
                place: Place {
                    path: None,
                    line_col: None,
                },
                message: e.to_string(),
                help: None,
            })?;
    }
    let (convention, plugins) = set
        .build(&options.plugins)
        .map_err(|e| pack_err(src, None, e))?;
    if !set.is_specified() {
        // No templates given (at most packs that only add plugins).
        return Ok((NamingConvention::sqlalchemy_default(), plugins));
    }
    Ok((convention, plugins))
}

/// The origin the document's inline templates are given in pack errors.
const INLINE: &str = "naming_convention";

/// Places a pack error: at the inline template it is about, or at `path`.
fn pack_err(src: &Source<'_>, path: Option<String>, e: PackError) -> DocumentError {
    let e = match e {
        PackError::UnknownKey { origin, key } if origin == INLINE => {
            return src.at(
                format!("{INLINE}.{key}"),
                format!("unknown convention key {key:?}"),
                "use pk, fk, uq, ck or ix",
            )
        }
        PackError::Naming(n) => match inline_template_error(&n) {
            Some((key, message)) => {
                return src.at(
                    format!("{INLINE}.{key}"),
                    message,
                    "fix the template (see docs/reference.md for tokens)",
                )
            }
            None => n.to_string(),
        },
        other => other.to_string(),
    };
    src.err(path, e, None)
}

/// The key and the message of an error in one of the document's inline templates.
fn inline_template_error(n: &NamingError) -> Option<(&'static str, String)> {
    match n {
        NamingError::Template {
            origin, key, error, ..
        } if origin.as_deref() == Some(INLINE) => Some((key.key(), error.to_string())),
        NamingError::Token {
            origin,
            key,
            template,
            message,
            ..
        } if origin.as_deref() == Some(INLINE) => Some((
            key.key(),
            format!("template {:?}: {message}", crate::naming::abbrev(template)),
        )),
        _ => None,
    }
}
