//! A serde [`Deserializer`] over a [`Tree`] of TOML: what reads a TOML
//! document into the document model, as `serde_json` reads a JSON one.
//!
//! Strings and keys without escapes are handed over borrowed from the text
//! (`visit_borrowed_str`), so the model's [`Text`](super::model::Text)
//! copies nothing. An error is placed where the `toml` crate placed it: at
//! the key for an error about a key (an unknown field), else at the
//! innermost value it is in (a string of the wrong type, a table that lacks
//! a key).

use std::borrow::Cow;

use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};

use super::toml_tree::{TomlError, Tree, Value, ROOT};

/// The key under which a date-time is handed to serde, as the `toml` crate
/// hands it (a map of this one key to the date-time as written).
const DATETIME_KEY: &str = "$__toml_private_datetime";

/// Deserializes the value `node` of `tree`.
#[derive(Clone, Copy)]
pub(crate) struct ValueDe<'t, 'de> {
    tree: &'t Tree<'de>,
    node: usize,
}

impl<'t, 'de> ValueDe<'t, 'de> {
    /// The root table of `tree`.
    pub(crate) fn root(tree: &'t Tree<'de>) -> Self {
        ValueDe { tree, node: ROOT }
    }

    /// Where an error inside the value goes unless it is placed already.
    fn at(&self) -> usize {
        self.tree.node(self.node).span.start()
    }
}

fn integer<'de, V: Visitor<'de>>(
    digits: &str,
    radix: u32,
    visitor: V,
) -> Result<V::Value, TomlError> {
    if let Ok(v) = i64::from_str_radix(digits, radix) {
        visitor.visit_i64(v)
    } else if let Ok(v) = u64::from_str_radix(digits, radix) {
        visitor.visit_u64(v)
    } else if let Ok(v) = i128::from_str_radix(digits, radix) {
        visitor.visit_i128(v)
    } else if let Ok(v) = u128::from_str_radix(digits, radix) {
        visitor.visit_u128(v)
    } else {
        Err(de::Error::custom("integer number overflowed"))
    }
}

fn float<'de, V: Visitor<'de>>(written: &str, visitor: V) -> Result<V::Value, TomlError> {
    match written.parse::<f64>() {
        Ok(f) if !f.is_infinite() || written.contains("inf") => visitor.visit_f64(f),
        _ => Err(de::Error::custom("floating-point number overflowed")),
    }
}

impl<'de> Deserializer<'de> for ValueDe<'_, 'de> {
    type Error = TomlError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TomlError> {
        let tree = self.tree;
        let node = tree.node(self.node);
        match &node.value {
            Value::String(Cow::Borrowed(s)) => visitor.visit_borrowed_str(s),
            Value::String(Cow::Owned(s)) => visitor.visit_str(s),
            Value::Integer(digits, radix) => integer(digits, *radix, visitor),
            Value::Float(written) => float(written, visitor),
            Value::Boolean(b) => visitor.visit_bool(*b),
            Value::Datetime(written) => visitor.visit_map(DatetimeAccess(Some(written))),
            Value::Array(list, _) => visitor.visit_seq(Elements {
                tree,
                next: list.first,
                left: list.len,
            }),
            Value::Table(list, _) => visitor.visit_map(Entries {
                tree,
                next: list.first,
                value: None,
                left: list.len,
            }),
        }
        .map_err(|e| e.or_at(node.span.start()))
    }

    /// TOML has no null: a value that is there is `Some`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TomlError> {
        let at = self.at();
        visitor.visit_some(self).map_err(|e| e.or_at(at))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, TomlError> {
        let at = self.at();
        visitor.visit_newtype_struct(self).map_err(|e| e.or_at(at))
    }

    /// A unit variant, written as a string.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TomlError> {
        let node = self.tree.node(self.node);
        match &node.value {
            Value::String(s) => visitor.visit_enum(s.as_ref().into_deserializer()),
            other => Err(de::Error::invalid_type(
                de::Unexpected::Other(other.type_str()),
                &"a string naming a variant",
            )),
        }
        .map_err(|e: TomlError| e.or_at(node.span.start()))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

/// The elements of an array.
struct Elements<'t, 'de> {
    tree: &'t Tree<'de>,
    next: usize,
    left: usize,
}

impl<'de> SeqAccess<'de> for Elements<'_, 'de> {
    type Error = TomlError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, TomlError> {
        if self.left == 0 {
            return Ok(None);
        }
        let node = self.next;
        self.next = self.tree.node(node).next;
        self.left -= 1;
        seed.deserialize(ValueDe {
            tree: self.tree,
            node,
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

/// The entries of a table.
struct Entries<'t, 'de> {
    tree: &'t Tree<'de>,
    next: usize,
    /// The entry whose key was read last.
    value: Option<usize>,
    left: usize,
}

impl<'de> MapAccess<'de> for Entries<'_, 'de> {
    type Error = TomlError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TomlError> {
        if self.left == 0 {
            return Ok(None);
        }
        let node = self.tree.node(self.next);
        self.value = Some(self.next);
        self.next = node.next;
        self.left -= 1;
        seed.deserialize(KeyDe(&node.key))
            .map(Some)
            .map_err(|e| e.or_at(node.key_at))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, TomlError> {
        match self.value.take() {
            // An error that the seed makes of a value it was given (as
            // `Read` does for text) is placed at the value too.
            Some(node) => seed
                .deserialize(ValueDe {
                    tree: self.tree,
                    node,
                })
                .map_err(|e| e.or_at(self.tree.node(node).span.start())),
            None => Err(de::Error::custom("a value asked for before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

/// A table's key.
struct KeyDe<'k, 'de>(&'k Cow<'de, str>);

impl<'de> Deserializer<'de> for KeyDe<'_, 'de> {
    type Error = TomlError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TomlError> {
        match self.0 {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_str(s),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TomlError> {
        visitor.visit_enum(self.0.as_ref().into_deserializer())
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

/// A date-time, as a map of one key to the date-time as written.
struct DatetimeAccess<'t, 'de>(Option<&'t Cow<'de, str>>);

impl<'de> MapAccess<'de> for DatetimeAccess<'_, 'de> {
    type Error = TomlError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, TomlError> {
        if self.0.is_none() {
            return Ok(None);
        }
        seed.deserialize(DATETIME_KEY.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, TomlError> {
        match self.0.take() {
            Some(written) => seed.deserialize(written.as_ref().into_deserializer()),
            None => Err(de::Error::custom("a value asked for before its key")),
        }
    }
}
