//! Mapping a document path (`tables[1].columns[0].name`) to a line and
//! column, in TOML and in JSON text. Only errors ask, so the text is read
//! again here rather than positions kept while loading.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::layout::{Layout, Part};
use super::toml_tree::{Tree, ROOT};
pub use crate::text::line_col;

#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

fn segments(path: &str) -> Vec<Seg<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part
            .find('[')
            .and_then(|i| part.split_at_checked(i))
            .unwrap_or((part, ""));
        if !key.is_empty() {
            out.push(Seg::Key(key));
        }
        for idx in rest.split('[').filter(|s| !s.is_empty()) {
            if let Ok(i) = idx.trim_end_matches(']').parse() {
                out.push(Seg::Index(i));
            }
        }
    }
    out
}

/// The line and column of the deepest existing element of `path` in the
/// TOML document `text` laid out as `layout`: only the part that holds it
/// is parsed again (the block of `tables[i]`, or the rest).
pub(crate) fn toml_line_col(text: &str, layout: &Layout, path: &str) -> Option<(usize, usize)> {
    let mut segs = segments(path);
    let part = match segs.as_mut_slice() {
        [Seg::Key("tables"), Seg::Index(i), ..] if !layout.tables.is_empty() => {
            let part = layout.tables.get(*i)?;
            // In its block, the table is the first and only one.
            *i = 0;
            part
        }
        _ => &layout.rest,
    };
    let offset = toml_offset(&part.text(text), &segs)?;
    Some(line_col(text, part.to_document(offset)))
}

/// The offset in TOML `text` of the deepest existing element of `segs`:
/// the key of a key, the value of an index.
fn toml_offset(text: &str, segs: &[Seg<'_>]) -> Option<usize> {
    let tree = Tree::parse(text).ok()?;
    let mut node = ROOT;
    let mut at = tree.node(ROOT).span.start();
    for seg in segs {
        let next = match *seg {
            Seg::Key(k) => tree.get(node, k).map(|n| (tree.node(n).key_at, n)),
            Seg::Index(i) => tree
                .element(node, i)
                .map(|n| (tree.node(n).span.start(), n)),
        };
        let Some((offset, n)) = next else { break };
        at = offset;
        node = n;
    }
    Some(at)
}

/// The line and column of the deepest existing element of `path` in the
/// JSON document `text`: a key where the path ends with a key, a value
/// where it ends with an index. The text is read with serde_json without
/// building a tree; positions come from the borrowed text itself.
pub(crate) fn json_line_col(text: &str, path: &str) -> Option<(usize, usize)> {
    let segs = segments(path);
    let mut de = serde_json::Deserializer::from_str(text);
    let found = Find {
        text,
        segs: &segs,
        at: None,
    }
    .deserialize(&mut de)
    .ok()?;
    found.map(|offset| line_col(text, offset))
}

/// Finds `segs` in a JSON value; `at` is where the value itself is, if known.
struct Find<'p, 't> {
    text: &'t str,
    segs: &'p [Seg<'p>],
    at: Option<usize>,
}

impl Find<'_, '_> {
    /// The offset of `s`, a slice of the text.
    fn offset(&self, s: &str) -> Option<usize> {
        let start = self.text.as_ptr() as usize;
        let at = (s.as_ptr() as usize).checked_sub(start)?;
        (at <= self.text.len()).then_some(at)
    }
}

impl<'de> DeserializeSeed<'de> for Find<'_, '_> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        match self.segs.first() {
            None => Ok(self.at),
            Some(Seg::Key(_)) => d.deserialize_map(self),
            Some(Seg::Index(_)) => d.deserialize_seq(self),
        }
    }
}

impl<'de> Visitor<'de> for Find<'_, '_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<usize>, A::Error> {
        let (Some(Seg::Key(want)), rest) = (self.segs.first(), self.segs.get(1..).unwrap_or(&[]))
        else {
            return Ok(self.at);
        };
        let mut found = None;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            if found.is_some() || key != *want {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            // Where the key is (before its quote), when it is borrowed.
            let key_at = match &key {
                Cow::Borrowed(k) => self.offset(k).map(|o| o.saturating_sub(1)),
                Cow::Owned(_) => None,
            };
            let raw = map.next_value::<&RawValue>()?;
            let value_at = self.offset(raw.get());
            found = Some(if rest.is_empty() {
                key_at.or(value_at)
            } else {
                let mut inner = serde_json::Deserializer::from_str(raw.get());
                Find {
                    text: self.text,
                    segs: rest,
                    at: value_at,
                }
                .deserialize(&mut inner)
                .ok()
                .flatten()
                .or(value_at)
            });
        }
        Ok(found.flatten().or(self.at))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<usize>, A::Error> {
        let (Some(Seg::Index(want)), rest) = (self.segs.first(), self.segs.get(1..).unwrap_or(&[]))
        else {
            return Ok(self.at);
        };
        let mut found = None;
        let mut i = 0;
        while let Some(raw) = seq.next_element::<&RawValue>()? {
            if i == *want {
                let value_at = self.offset(raw.get());
                let mut inner = serde_json::Deserializer::from_str(raw.get());
                found = Find {
                    text: self.text,
                    segs: rest,
                    at: value_at,
                }
                .deserialize(&mut inner)
                .ok()
                .flatten()
                .or(value_at);
            }
            i += 1;
        }
        Ok(found.or(self.at))
    }
}

/// A JSON key, borrowed from the text where it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

/// Where an error in a part of a TOML document is in the document itself.
pub(crate) fn in_part(part: Option<&Part>, offset: usize) -> usize {
    part.map_or(offset, |p| p.to_document(offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_paths_lead_to_keys_and_values() {
        let text = "{\"tables\": [\n  {\"name\": \"a\"},\n  {\"na\\u006de\": \"b\", \"columns\": [\"x\", \"y\"]}\n]}";
        assert_eq!(json_line_col(text, "tables[0].name"), Some((2, 4)));
        // An escaped key is not borrowed: its value stands in.
        assert_eq!(json_line_col(text, "tables[1].name"), Some((3, 17)));
        assert_eq!(json_line_col(text, "tables[1].columns[1]"), Some((3, 39)));
        // What does not exist: the deepest part that does.
        assert_eq!(json_line_col(text, "tables[1].nope"), Some((3, 3)));
        assert_eq!(json_line_col(text, "tables[7]"), Some((1, 12)));
        assert_eq!(json_line_col("not json", "tables"), None);
    }
}
