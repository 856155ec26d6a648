//! The parsing side of loading: reads the document and hands its tables
//! over a few at a time, in document order, as soon as they are read and
//! have passed the document's [rules](super::rules). The document is never
//! held whole: each table is dropped once it is handed over.
//!
//! Parsing always runs to the end of the document, also after the
//! receiving side stopped or a table broke a rule (tables are then read
//! and dropped), so that a document that does not parse is always reported
//! as such, and naming settings that follow the tables are always found.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::error::DocumentError;
use super::model::{DocDdl, DocTable, DocView, StringOrList};
use super::options::Format;
use super::read::{value, At, KeySeed, Seed, Step, Trail};
use super::rules;
use super::source::Source;

/// The naming settings of a document: its `conventions` and `naming_convention`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Naming {
    pub(crate) conventions: Option<StringOrList>,
    pub(crate) naming_convention: Option<BTreeMap<String, String>>,
}

/// What the parser hands over, in document order.
pub(crate) enum Msg<'a> {
    /// The naming settings to name the tables with (sent once, before the
    /// first table).
    Head(Naming),
    /// The next tables (a few at a time: each message may wake the receiver).
    Tables(Vec<DocTable<'a>>),
}

/// What parsing found besides the tables it handed over.
pub(crate) struct Parsed<'a> {
    /// The views.
    pub(crate) views: Vec<DocView<'a>>,
    /// The metadata-level custom DDL.
    pub(crate) ddl: Vec<DocDdl<'a>>,
    /// The whole naming settings, if some of them came after the tables (so
    /// the tables were named without them), and none were given.
    pub(crate) late_naming: Option<Naming>,
    /// The first table that broke a rule; no table from it on was handed over.
    pub(crate) rejected: Option<DocumentError>,
}

/// How many tables go in one message.
const BATCH: usize = 16;

/// Parses the document, handing its tables to `send`, which returns `false`
/// once the receiver wants no more. With `given` naming settings, they go
/// with the tables instead of the document's own (which are still read).
///
/// Fails if the document does not parse: bad syntax, unknown keys, missing
/// keys, values of the wrong type.
pub(crate) fn parse<'a>(
    src: Source<'a>,
    given: Option<Naming>,
    send: &mut dyn FnMut(Msg<'a>) -> bool,
) -> Result<Parsed<'a>, DocumentError> {
    let trail = Trail::default();
    let document = Document {
        src,
        trail: &trail,
        given,
        send,
    };
    match src.format {
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(src.text);
            let parsed = document
                .deserialize(&mut de)
                .map_err(|e| src.json_err(trail.take_path(), &e))?;
            de.end().map_err(|e| src.json_trailing(&e))?;
            Ok(parsed)
        }
        Format::Toml => {
            let de = toml::Deserializer::parse(src.text).map_err(|e| src.toml_err(None, &e))?;
            document
                .deserialize(de)
                .map_err(|e| src.toml_err(trail.take_path(), &e))
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
}

const KEYS: &[&str] = &["conventions", "naming_convention", "tables", "views", "ddl"];

fn key(s: &str) -> Option<Key> {
    Some(match s {
        "conventions" => Key::Conventions,
        "naming_convention" => Key::NamingConvention,
        "tables" => Key::Tables,
        "views" => Key::Views,
        "ddl" => Key::Ddl,
        _ => return None,
    })
}

/// Reads the top level of the document.
struct Document<'s, 'a> {
    src: Source<'a>,
    trail: &'s Trail,
    given: Option<Naming>,
    send: &'s mut dyn FnMut(Msg<'a>) -> bool,
}

impl<'de: 'a, 'a> DeserializeSeed<'de> for Document<'_, 'a> {
    type Value = Parsed<'a>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Parsed<'a>, D::Error> {
        d.deserialize_struct("DocFile", KEYS, self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for Document<'_, 'a> {
    type Value = Parsed<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("struct DocFile")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Parsed<'a>, A::Error> {
        let trail = self.trail;
        let given = self.given.is_some();
        let mut conventions: Option<Option<StringOrList>> = None;
        let mut naming_convention: Option<Option<BTreeMap<String, String>>> = None;
        let mut views: Option<Vec<DocView<'a>>> = None;
        let mut ddl: Option<Vec<DocDdl<'a>>> = None;
        let mut tables = false;
        let mut late = false;
        let mut rejected = None;
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
                    if std::mem::replace(&mut tables, true) {
                        return Err(de::Error::duplicate_field("tables"));
                    }
                    let head = self.given.take().unwrap_or_else(|| Naming {
                        conventions: conventions.clone().flatten(),
                        naming_convention: naming_convention.clone().flatten(),
                    });
                    let sending = (self.send)(Msg::Head(head));
                    rejected = map.next_value_seed(Tables {
                        src: self.src,
                        trail,
                        send: &mut *self.send,
                        sending,
                    })?;
                }
                Key::Views => value(&mut map, &mut views, "views", trail)?,
                Key::Ddl => value(&mut map, &mut ddl, "ddl", trail)?,
            }
        }
        if !tables {
            return Err(de::Error::missing_field("tables"));
        }
        let late_naming = (late && !given).then(|| Naming {
            conventions: conventions.flatten(),
            naming_convention: naming_convention.flatten(),
        });
        Ok(Parsed {
            views: views.unwrap_or_default(),
            ddl: ddl.unwrap_or_default(),
            late_naming,
            rejected,
        })
    }
}

/// Reads `tables`, handing each table over once it passed the rules;
/// returns the first that did not.
struct Tables<'s, 'a> {
    src: Source<'a>,
    trail: &'s Trail,
    send: &'s mut dyn FnMut(Msg<'a>) -> bool,
    /// Whether tables are still handed over.
    sending: bool,
}

impl<'de: 'a, 'a> DeserializeSeed<'de> for Tables<'_, 'a> {
    type Value = Option<DocumentError>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let trail = self.trail;
        d.deserialize_seq(self)
            .inspect_err(|_| trail.push(Step::Key("tables".to_owned())))
    }
}

impl<'de: 'a, 'a> Visitor<'de> for Tables<'_, 'a> {
    type Value = Option<DocumentError>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rejected = None;
        let mut batch = Vec::with_capacity(BATCH);
        let mut i = 0;
        while let Some(t) =
            seq.next_element_seed(Seed::<DocTable<'a>>::new(self.trail, At::Index(i)))?
        {
            if self.sending {
                match rules::table(&self.src, i, &t) {
                    Ok(()) => {
                        batch.push(t);
                        if batch.len() == BATCH {
                            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                            self.sending = (self.send)(Msg::Tables(full));
                        }
                    }
                    Err(e) => {
                        rejected = Some(e);
                        self.flush(&mut batch);
                        self.sending = false;
                    }
                }
            }
            i += 1;
        }
        self.flush(&mut batch);
        Ok(rejected)
    }
}

impl<'a> Tables<'_, 'a> {
    /// Hands over what is left of the current batch.
    fn flush(&mut self, batch: &mut Vec<DocTable<'a>>) {
        if self.sending && !batch.is_empty() {
            self.sending = (self.send)(Msg::Tables(std::mem::take(batch)));
        }
    }
}
