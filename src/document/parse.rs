//! The parsing side of loading: reads the document and hands its tables
//! over a few at a time, in document order, as soon as they are read and
//! have passed the document's [rules](super::rules). The document is never
//! held whole: each table is dropped once it is handed over.
//!
//! Parsing always runs to the end of the document, also after the
//! receiving side stopped or a table broke a rule (tables are then read
//! and dropped), so that a document that does not parse is always reported
//! as such, and naming settings that follow the tables are always found.
//!
//! JSON is read in one pass. A TOML document is read by its
//! [layout](super::layout): first the part that is not tables (settings,
//! views, DDL), so that the settings are known before any table,
//! then each `[[tables]]` block on its own; a TOML document without
//! `[[tables]]` headers is one part, read as JSON is.
//!
//! The document's templates are settings of the same kind as the naming
//! ones: every table may depend on them, so a table's templates are
//! [expanded](super::template) here, before its rules are checked, with
//! the templates known before the table; templates that come after the
//! tables make the document be loaded again, as late naming settings do.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::{mpsc, Arc};

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::error::DocumentError;
use super::layout::{Layout, Part};
use super::model::{DocColumn, DocDdl, DocTable, DocTableTemplate, DocView, StringOrList};
use super::options::Format;
use super::read::{value, At, KeySeed, Owned, Seed, Step, Trail};
use super::rules;
use super::source::Source;
use super::template::{self, Expanded, Fragments, Templates};
use super::toml_de::ValueDe;
use super::toml_tree::Tree;

/// The settings of a document that its tables depend on: the naming
/// settings (`conventions` and `naming_convention`) and the templates
/// (`column_templates` and `table_templates`).
#[derive(Clone, Debug, Default)]
pub(crate) struct Settings {
    pub(crate) conventions: Option<StringOrList>,
    pub(crate) naming_convention: Option<BTreeMap<String, String>>,
    /// `None` when the document has none.
    pub(crate) templates: Option<Arc<Templates>>,
}

/// What the parser hands over, in document order.
pub(crate) enum Msg<'a> {
    /// The settings to name the tables with (sent once, before the first
    /// table).
    Head(Settings),
    /// The next tables (a few at a time: each message may wake the receiver).
    Tables(Vec<DocTable<'a>>),
}

/// What parsing found besides the tables it handed over.
pub(crate) struct Parsed<'a> {
    /// The views.
    pub(crate) views: Vec<DocView<'a>>,
    /// The metadata-level custom DDL.
    pub(crate) ddl: Vec<DocDdl<'a>>,
    /// The whole settings, if some of them came after the tables (so the
    /// tables were named or expanded without them), and none were given.
    pub(crate) late_settings: Option<Settings>,
    /// The first table that broke a rule; no table from it on was handed over.
    pub(crate) rejected: Option<DocumentError>,
    /// Where the parts of the tables handed over that used templates were
    /// written, to place errors about them.
    pub(crate) expanded: Expanded,
}

/// How many tables go in one message.
const BATCH: usize = 16;

/// Parses the document, handing its tables to `send`, which returns `false`
/// once the receiver wants no more. With `given` settings, they go with the
/// tables instead of the document's own (which are still read).
///
/// Fails if the document does not parse: bad syntax, unknown keys, missing
/// keys, values of the wrong type.
pub(crate) fn parse<'a>(
    src: Source<'a>,
    given: Option<Settings>,
    send: &mut dyn FnMut(Msg<'a>) -> bool,
) -> Result<Parsed<'a>, DocumentError> {
    let trail = Trail::default();
    let mut sink = Sink {
        src,
        send,
        sending: true,
        batch: Vec::with_capacity(BATCH),
        next: 0,
        rejected: None,
        templates: None,
        budget: template::budget(src.text.len()),
        expanded: Expanded::default(),
    };
    match src.layout {
        Some(layout) if !layout.tables.is_empty() => {
            by_parts(src, layout, &trail, given, &mut sink)
        }
        _ => whole(src, &trail, given, &mut sink),
    }
}

/// Reads the document in one pass, handing the tables over as they are read.
fn whole<'a>(
    src: Source<'a>,
    trail: &Trail,
    given: Option<Settings>,
    sink: &mut Sink<'_, 'a>,
) -> Result<Parsed<'a>, DocumentError> {
    let given_any = given.is_some();
    let document = Document {
        trail,
        given,
        sink: Some(&mut *sink),
    };
    let head = match src.format {
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(src.text);
            let head = document
                .deserialize(&mut de)
                .map_err(|e| src.json_err(trail.take_path(), &e))?;
            de.end().map_err(|e| src.json_trailing(&e))?;
            head
        }
        Format::Toml => {
            let tree = Tree::parse(src.text).map_err(|e| src.toml_err(None, None, &e).1)?;
            document
                .deserialize(ValueDe::root(&tree))
                .map_err(|e| src.toml_err(None, trail.take_path(), &e).1)?
        }
    };
    Ok(sink.finish(head, given_any))
}

/// Reads a TOML document part by part: what is not tables first, then each
/// `[[tables]]` block, handed over as it is read.
fn by_parts<'a>(
    src: Source<'a>,
    layout: &Layout,
    trail: &Trail,
    given: Option<Settings>,
    sink: &mut Sink<'_, 'a>,
) -> Result<Parsed<'a>, DocumentError> {
    let head = match rest(src, &layout.rest, trail) {
        Ok(head) => head,
        Err((at, e)) => {
            // The first error in document order: a block before the rest's
            // error may not parse either.
            for (i, part) in layout.tables.iter().enumerate() {
                if at.is_none_or(|at| part.start() > at) {
                    break;
                }
                block(src, part, i, trail)?;
            }
            return Err(e);
        }
    };
    let given_any = given.is_some();
    sink.head(given.unwrap_or_else(|| head.settings.clone()));
    blocks(src, &layout.tables, trail, &mut |table| sink.table(table))?;
    Ok(sink.finish(head, given_any))
}

/// How many blocks in a row one thread parses before the other thread
/// takes the next ones.
const RUN: usize = 8;

/// Parses the `[[tables]]` blocks, handing each table to `take` in
/// document order; stops at the first block that does not parse. Each
/// block is a document of its own, so runs of blocks alternate between
/// this thread and a helper, which hands its tables over in order.
fn blocks<'a>(
    src: Source<'a>,
    tables: &[Part],
    trail: &Trail,
    take: &mut dyn FnMut(DocTable<'a>),
) -> Result<(), DocumentError> {
    let mine = |i: usize| (i / RUN).is_multiple_of(2);
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::sync_channel(RUN);
        let helper = std::thread::Builder::new()
            .name("document parser (blocks)".into())
            .spawn_scoped(s, move || {
                let trail = Trail::default();
                for (i, part) in tables.iter().enumerate().filter(|(i, _)| !mine(*i)) {
                    let read = block(src, part, i, &trail);
                    let failed = read.is_err();
                    // A closed channel: this thread stopped taking tables.
                    if tx.send(read).is_err() || failed {
                        break;
                    }
                }
            });
        let helping = helper.is_ok();
        for (i, part) in tables.iter().enumerate() {
            let received = if mine(i) || !helping {
                None
            } else {
                rx.recv().ok()
            };
            let table = match received {
                Some(read) => read?,
                // This thread's block, or the helper is gone (no thread
                // could be had, or it panicked, which the scope reports).
                None => block(src, part, i, trail)?,
            };
            take(table);
        }
        Ok(())
    })
}

/// Reads the part of a TOML document that is not tables (its own text when
/// it was joined from pieces, so what it holds is copied). On an error,
/// also its offset in the document, where known.
fn rest(
    src: Source<'_>,
    part: &Part,
    trail: &Trail,
) -> Result<Head<'static>, (Option<usize>, DocumentError)> {
    let text = part.text(src.text);
    let tree = Tree::parse(&text).map_err(|e| src.toml_err(Some(part), None, &e))?;
    let document = Document {
        trail,
        given: None,
        sink: None,
    };
    let head = document
        .deserialize(ValueDe::root(&tree))
        .map_err(|e| src.toml_err(Some(part), trail.take_path(), &e))?;
    Ok(head.owned())
}

/// Reads the TOML block of the table `tables[i]`.
fn block<'a>(
    src: Source<'a>,
    part: &Part,
    i: usize,
    trail: &Trail,
) -> Result<DocTable<'a>, DocumentError> {
    match part.text(src.text) {
        Cow::Borrowed(text) => read_block(src, part, i, text, trail),
        Cow::Owned(text) => read_block(src, part, i, &text, trail).map(Owned::owned),
    }
}

fn read_block<'t>(
    src: Source<'_>,
    part: &Part,
    i: usize,
    text: &'t str,
    trail: &Trail,
) -> Result<DocTable<'t>, DocumentError> {
    let tree = Tree::parse(text).map_err(|e| src.toml_err(Some(part), None, &e).1)?;
    Block { trail, index: i }
        .deserialize(ValueDe::root(&tree))
        .map_err(|e| src.toml_err(Some(part), trail.take_path(), &e).1)
}

/// Where parsed tables go: each has its templates expanded, is checked
/// against the document's rules and handed over in batches, until the
/// receiver wants no more or a table breaks a rule.
struct Sink<'s, 'a> {
    src: Source<'a>,
    send: &'s mut dyn FnMut(Msg<'a>) -> bool,
    /// Whether tables are still handed over.
    sending: bool,
    batch: Vec<DocTable<'a>>,
    /// The index of the next table in the document.
    next: usize,
    /// The first table that broke a rule.
    rejected: Option<DocumentError>,
    /// The templates the tables are expanded with.
    templates: Option<Arc<Templates>>,
    /// What templates may still add to the document.
    budget: usize,
    /// Where the parts of the tables that used templates were written.
    expanded: Expanded,
}

impl<'a> Sink<'_, 'a> {
    /// Hands over the settings the tables are named with, keeping their
    /// templates to expand the tables with.
    fn head(&mut self, settings: Settings) {
        self.templates.clone_from(&settings.templates);
        self.sending = (self.send)(Msg::Head(settings));
    }

    /// Takes the next table of the document.
    fn table(&mut self, mut t: DocTable<'a>) {
        let i = self.next;
        self.next += 1;
        if !self.sending {
            return;
        }
        let checked = template::expand(
            &self.src,
            i,
            &mut t,
            self.templates.as_deref(),
            &mut self.budget,
        )
        .and_then(|origins| {
            if let Some(origins) = origins {
                self.expanded.insert(i, origins);
            }
            rules::table(&self.src, i, &t).map_err(|e| self.expanded.place(&self.src, e))
        });
        match checked {
            Ok(()) => {
                self.batch.push(t);
                if self.batch.len() == BATCH {
                    self.flush();
                }
            }
            Err(e) => {
                self.rejected = Some(e);
                self.flush();
                self.sending = false;
            }
        }
    }

    /// Hands over what is left of the current batch.
    fn flush(&mut self) {
        if self.sending && !self.batch.is_empty() {
            let full = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            self.sending = (self.send)(Msg::Tables(full));
        }
    }

    /// What parsing found besides the tables. `given`: whether settings
    /// were given, so that late ones in the document do not count.
    fn finish(&mut self, head: Head<'a>, given: bool) -> Parsed<'a> {
        self.flush();
        Parsed {
            views: head.views,
            ddl: head.ddl,
            late_settings: (head.late && !given).then_some(head.settings),
            rejected: self.rejected.take(),
            expanded: std::mem::take(&mut self.expanded),
        }
    }
}

/// The document's top-level keys.
#[derive(Clone, Copy)]
enum Key {
    Conventions,
    NamingConvention,
    Tables,
    Views,
    Ddl,
    ColumnTemplates,
    TableTemplates,
}

const KEYS: &[&str] = &[
    "conventions",
    "naming_convention",
    "tables",
    "views",
    "ddl",
    "column_templates",
    "table_templates",
];

fn key(s: &str) -> Option<Key> {
    Some(match s {
        "conventions" => Key::Conventions,
        "naming_convention" => Key::NamingConvention,
        "tables" => Key::Tables,
        "views" => Key::Views,
        "ddl" => Key::Ddl,
        "column_templates" => Key::ColumnTemplates,
        "table_templates" => Key::TableTemplates,
        _ => return None,
    })
}

/// What the top level holds besides the tables.
struct Head<'a> {
    settings: Settings,
    views: Vec<DocView<'a>>,
    ddl: Vec<DocDdl<'a>>,
    /// Whether settings came after the tables.
    late: bool,
}

impl Head<'_> {
    fn owned(self) -> Head<'static> {
        Head {
            settings: self.settings,
            views: self.views.owned(),
            ddl: self.ddl.owned(),
            late: self.late,
        }
    }
}

/// Reads the top level of the document. Without a sink, the tables come
/// from elsewhere (TOML's `[[tables]]` blocks) and a `tables` key is an error.
struct Document<'s, 'k, 'a> {
    trail: &'s Trail,
    given: Option<Settings>,
    sink: Option<&'s mut Sink<'k, 'a>>,
}

impl<'de: 'a, 'a> DeserializeSeed<'de> for Document<'_, '_, 'a> {
    type Value = Head<'a>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Head<'a>, D::Error> {
        d.deserialize_struct("DocFile", KEYS, self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for Document<'_, '_, 'a> {
    type Value = Head<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the top level of a schema document: an object with `tables`")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Head<'a>, A::Error> {
        Err(de::Error::custom(
            "the top level of a schema document must be an object with `tables`, not a list",
        ))
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Head<'a>, A::Error> {
        let trail = self.trail;
        let mut conventions: Option<Option<StringOrList>> = None;
        let mut naming_convention: Option<Option<BTreeMap<String, String>>> = None;
        let mut views: Option<Vec<DocView<'a>>> = None;
        let mut ddl: Option<Vec<DocDdl<'a>>> = None;
        let mut column_templates: Option<Fragments<DocColumn<'a>>> = None;
        let mut table_templates: Option<Fragments<DocTableTemplate<'a>>> = None;
        // Owned as soon as they are read: every table may use them.
        let mut templates = Templates::default();
        let mut tables = false;
        let mut late = false;
        let keys = KeySeed {
            known: key,
            names: KEYS,
            trail,
        };
        while let Some(k) = map.next_key_seed(keys)? {
            match k {
                Key::Conventions => {
                    value(&mut map, &mut conventions, "conventions", trail)?;
                    late |= tables;
                }
                Key::NamingConvention => {
                    value(&mut map, &mut naming_convention, "naming_convention", trail)?;
                    late |= tables;
                }
                Key::Tables => {
                    let Some(sink) = self.sink.as_deref_mut() else {
                        trail.push(Step::Key("tables".to_owned()));
                        return Err(de::Error::custom(
                            "`tables` is given both as a key and by `[[tables]]` headers",
                        ));
                    };
                    if std::mem::replace(&mut tables, true) {
                        trail.push(Step::Key("tables".to_owned()));
                        return Err(de::Error::duplicate_field("tables"));
                    }
                    sink.head(self.given.take().unwrap_or_else(|| Settings {
                        conventions: conventions.clone().flatten(),
                        naming_convention: naming_convention.clone().flatten(),
                        templates: (!templates.is_empty()).then(|| Arc::new(templates.clone())),
                    }));
                    map.next_value_seed(Tables { trail, sink })?;
                }
                Key::Views => value(&mut map, &mut views, "views", trail)?,
                Key::Ddl => value(&mut map, &mut ddl, "ddl", trail)?,
                Key::ColumnTemplates => {
                    value(&mut map, &mut column_templates, "column_templates", trail)?;
                    if let Some(read) = column_templates.as_mut() {
                        templates.columns = std::mem::take(read).owned().0;
                    }
                    late |= tables;
                }
                Key::TableTemplates => {
                    value(&mut map, &mut table_templates, "table_templates", trail)?;
                    if let Some(read) = table_templates.as_mut() {
                        templates.tables = std::mem::take(read).owned().0;
                    }
                    late |= tables;
                }
            }
        }
        if !tables && self.sink.is_some() {
            return Err(de::Error::missing_field("tables"));
        }
        Ok(Head {
            settings: Settings {
                conventions: conventions.flatten(),
                naming_convention: naming_convention.flatten(),
                templates: (!templates.is_empty()).then(|| Arc::new(templates)),
            },
            views: views.unwrap_or_default(),
            ddl: ddl.unwrap_or_default(),
            late,
        })
    }
}

/// Reads `tables`, handing each table to the sink.
struct Tables<'s, 'k, 'a> {
    trail: &'s Trail,
    sink: &'s mut Sink<'k, 'a>,
}

impl<'de: 'a, 'a> DeserializeSeed<'de> for Tables<'_, '_, 'a> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let trail = self.trail;
        d.deserialize_seq(self)
            .inspect_err(|_| trail.push(Step::Key("tables".to_owned())))
    }
}

impl<'de: 'a, 'a> Visitor<'de> for Tables<'_, '_, 'a> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(t) = seq.next_element_seed(Seed::<DocTable<'a>>::new(
            self.trail,
            At::Index(self.sink.next),
        ))? {
            self.sink.table(t);
        }
        Ok(())
    }
}

/// Reads a TOML `[[tables]]` block, a document whose only key is `tables`
/// with one table: the table `tables[index]` of the whole document.
struct Block<'t> {
    trail: &'t Trail,
    index: usize,
}

impl<'de> DeserializeSeed<'de> for Block<'_> {
    type Value = DocTable<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<DocTable<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Block<'_> {
    type Value = DocTable<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a `[[tables]]` block")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DocTable<'de>, A::Error> {
        let trail = self.trail;
        let keys = KeySeed {
            known: |k: &str| (k == "tables").then_some(()),
            names: &["tables"],
            trail,
        };
        let table = match map.next_key_seed(keys)? {
            Some(()) => map
                .next_value_seed(One {
                    trail,
                    index: self.index,
                })
                .inspect_err(|_| trail.push(Step::Key("tables".to_owned())))?,
            None => return Err(de::Error::missing_field("tables")),
        };
        // The layout makes `tables` the block's only key, with one table:
        // anything else would be a split in the wrong place, an error
        // rather than something ignored.
        if map.next_key_seed(keys)?.is_some() {
            return Err(de::Error::duplicate_field("tables"));
        }
        Ok(table)
    }
}

/// The array of one table in a `[[tables]]` block.
struct One<'t> {
    trail: &'t Trail,
    index: usize,
}

impl<'de> DeserializeSeed<'de> for One<'_> {
    type Value = DocTable<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<DocTable<'de>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for One<'_> {
    type Value = DocTable<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of tables")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<DocTable<'de>, A::Error> {
        let seed = Seed::<DocTable<'de>>::new(self.trail, At::Index(self.index));
        let table = seq
            .next_element_seed(seed)?
            .ok_or_else(|| de::Error::invalid_length(0, &"one table"))?;
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(
                2,
                &"one table per `[[tables]]` block",
            ));
        }
        Ok(table)
    }
}
