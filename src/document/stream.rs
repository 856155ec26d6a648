//! Streaming parse: the document's tables are handed over one by one as the
//! parser reaches them, so a large document is never held whole in memory
//! and the tables can be checked and attached while the rest is parsed.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::mpsc::SyncSender;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::model::{DocDdl, DocTable, DocView, StringOrList};
use super::options::Format;

/// What the parser hands over, in document order.
pub(crate) enum Msg<'a> {
    /// The naming settings seen before `tables` (sent once, before the first table).
    Head {
        conventions: Option<StringOrList>,
        naming_convention: Option<BTreeMap<String, String>>,
    },
    /// The next tables, already checked by the parsing thread (sent a few
    /// at a time: each send may wake the other thread).
    Tables(Vec<DocTable<'a>>),
}

/// Checks a parsed table by its position in the document (`false`: it is wrong).
pub(crate) type Check<'c> = &'c (dyn Fn(usize, &DocTable<'_>) -> bool + Sync);

/// How many tables go in one message.
const BATCH: usize = 16;

/// Everything but the tables, returned when the parse ends.
#[derive(Default)]
pub(crate) struct Rest {
    pub(crate) views: Vec<DocView>,
    pub(crate) ddl: Vec<DocDdl>,
    /// `conventions` or `naming_convention` came after `tables`: the
    /// naming settings sent with [`Msg::Head`] were not the whole story.
    pub(crate) naming_after_tables: bool,
}

/// Why a streaming parse stopped. The caller falls back to the full pass,
/// which words the message; nothing here needs to.
#[derive(Debug)]
pub(crate) struct Stopped;

/// Parses `text`, sending each table to `tx` as soon as it is read and
/// checked.
pub(crate) fn parse<'a>(
    text: &'a str,
    format: Format,
    check: Check<'_>,
    tx: SyncSender<Msg<'a>>,
) -> Result<Rest, Stopped> {
    let seed = FileSeed { tx, check };
    match format {
        Format::Json => {
            let mut de = serde_json::Deserializer::from_str(text);
            let rest = seed.deserialize(&mut de).map_err(|_| Stopped)?;
            de.end().map_err(|_| Stopped)?;
            Ok(rest)
        }
        Format::Toml => {
            let de = toml::Deserializer::parse(text).map_err(|_| Stopped)?;
            seed.deserialize(de).map_err(|_| Stopped)
        }
    }
}

#[derive(Clone, Copy, Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Field {
    Conventions,
    NamingConvention,
    Tables,
    Views,
    Ddl,
}

struct FileSeed<'a, 'c> {
    tx: SyncSender<Msg<'a>>,
    check: Check<'c>,
}

impl<'de: 'a, 'a> DeserializeSeed<'de> for FileSeed<'a, '_> {
    type Value = Rest;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Rest, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for FileSeed<'a, '_> {
    type Value = Rest;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a schema document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Rest, A::Error> {
        let mut rest = Rest::default();
        let mut conventions = None;
        let mut naming_convention = None;
        let mut tables_seen = false;
        // Duplicate keys are errors, as with the derived model.
        let mut seen = [false; 5];
        while let Some(key) = map.next_key::<Field>()? {
            let slot = &mut seen[key as usize];
            if std::mem::replace(slot, true) {
                return Err(de::Error::custom("duplicate key"));
            }
            match key {
                Field::Conventions => {
                    conventions = map.next_value()?;
                    rest.naming_after_tables |= tables_seen;
                }
                Field::NamingConvention => {
                    naming_convention = map.next_value()?;
                    rest.naming_after_tables |= tables_seen;
                }
                Field::Tables => {
                    tables_seen = true;
                    self.tx
                        .send(Msg::Head {
                            // Not needed here again: a second `conventions`
                            // is a duplicate key, one after the tables a
                            // fallback (`naming_after_tables`).
                            conventions: conventions.take(),
                            naming_convention: naming_convention.take(),
                        })
                        .map_err(|_| de::Error::custom("stopped"))?;
                    map.next_value_seed(TablesSeed {
                        tx: &self.tx,
                        check: self.check,
                    })?;
                }
                Field::Views => rest.views = map.next_value()?,
                Field::Ddl => rest.ddl = map.next_value()?,
            }
        }
        if !tables_seen {
            return Err(de::Error::missing_field("tables"));
        }
        Ok(rest)
    }
}

struct TablesSeed<'s, 'a, 'c> {
    tx: &'s SyncSender<Msg<'a>>,
    check: Check<'c>,
}

impl<'de: 'a, 'a> DeserializeSeed<'de> for TablesSeed<'_, 'a, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de: 'a, 'a> Visitor<'de> for TablesSeed<'_, 'a, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of tables")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        let mut batch = Vec::with_capacity(BATCH);
        let stopped = || de::Error::custom("stopped");
        while let Some(t) = seq.next_element::<DocTable<'a>>()? {
            if !(self.check)(i, &t) {
                return Err(de::Error::custom("invalid table"));
            }
            batch.push(t);
            i += 1;
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                // An error means the receiver stopped (it found a problem).
                self.tx.send(Msg::Tables(full)).map_err(|_| stopped())?;
            }
        }
        if !batch.is_empty() {
            self.tx.send(Msg::Tables(batch)).map_err(|_| stopped())?;
        }
        Ok(())
    }
}
