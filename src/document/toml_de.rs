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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde::Deserialize;

    use super::*;
    use crate::document::toml_tree::{TomlError, Tree, Value, ROOT};

    /// The text read by this module, as a `toml::Table`.
    fn ours(text: &str) -> Result<toml::Table, TomlError> {
        let tree = Tree::parse(text)?;
        toml::Table::deserialize(ValueDe::root(&tree))
    }

    /// The error of `text`: its message and line.
    fn error(text: &str) -> (String, usize) {
        let e = ours(text).expect_err(text);
        let at = e.at.expect("a place");
        (e.message, crate::text::line_col(text, at).0)
    }

    #[test]
    fn tables_may_be_defined_in_any_order() {
        let text = "[a.b]\nx = 1\n[a]\ny = 2\n[a.c]\nz = 3\n";
        assert_eq!(
            ours(text).unwrap(),
            toml::from_str::<toml::Table>(text).unwrap()
        );
        // Sub-tables of an array of tables go to its last table, also
        // when they come back after another table.
        let text = "[[t]]\nn = 1\n[[t.c]]\nx = 1\n[[t]]\nn = 2\n[[t.c]]\nx = 2\n[t.pk]\nk = 1\n[u]\nv = 1\n[t.more]\nm = 1\n[[t.c]]\nx = 3\n";
        let table = ours(text).unwrap();
        assert_eq!(table, toml::from_str::<toml::Table>(text).unwrap());
        let t = table["t"].as_array().unwrap();
        assert_eq!(t[1]["c"].as_array().unwrap().len(), 2);
        assert!(t[1].get("more").is_some() && t[0].get("pk").is_none());
    }

    #[test]
    fn dotted_keys_and_inline_tables() {
        let text = "a.b.c = 1\na.b.d = 2\n\"a\".'e' = 3\nf = { g.h = 1, g.i = 2, j = [1, { k = 2 }] }\n[x]\ny.z = 1\n";
        assert_eq!(
            ours(text).unwrap(),
            toml::from_str::<toml::Table>(text).unwrap()
        );
    }

    #[test]
    fn strings_in_every_form_and_escapes() {
        let text = "a = \"tab\\tquote\\\" \\u00e9 \\U0001F600\"\nb = 'C:\\path'\nc = \"\"\"\nline\\\n   joined \"\"\"\nd = '''\nraw \\n '''\ne = \"\"\nf = \"é\"\n";
        let table = ours(text).unwrap();
        assert_eq!(table, toml::from_str::<toml::Table>(text).unwrap());
        assert_eq!(table["a"].as_str(), Some("tab\tquote\" é 😀"));
        assert_eq!(table["c"].as_str(), Some("linejoined "));
        assert_eq!(table["d"].as_str(), Some("raw \\n "));
        // Plain strings and keys are borrowed from the text.
        let tree = Tree::parse("'k' = \"v\"\n\"e\\u0301\" = 'w'\n").unwrap();
        let first = tree.node(tree.get(ROOT, "k").unwrap());
        assert!(matches!(first.key, Cow::Borrowed("k")));
        assert!(matches!(first.value, Value::String(Cow::Borrowed("v"))));
        let second = tree.node(tree.get(ROOT, "e\u{301}").unwrap());
        assert!(matches!(second.key, Cow::Owned(_)));
    }

    #[test]
    fn numbers_booleans_and_datetimes() {
        let text = "a = 1_000\nb = 0x7f\nc = 0o17\nd = 0b101\ne = 1.5e3\nf = -inf\ng = true\nh = false\ni = 1979-05-27T07:32:00Z\nj = 1979-05-27\nk = 07:32:00.5\nl = 9223372036854775807\n";
        assert_eq!(
            ours(text).unwrap(),
            toml::from_str::<toml::Table>(text).unwrap()
        );
    }

    #[test]
    fn what_toml_refuses_is_refused_where_it_is() {
        for (text, message, line) in [
            ("a = 1\na = 2\n", "duplicate key", 2),
            ("[a]\nx = 1\n[a]\n", "duplicate key", 3),
            ("a.b = 1\n[a]\n", "duplicate key", 2),
            ("[a.b]\n[a]\nb.c = 1\n", "duplicate key", 3),
            (
                "a = { b = 1 }\na.c = 2\n",
                "cannot extend value of type inline table",
                2,
            ),
            ("a = [1]\n[[a]]\n", "duplicate key", 2),
            ("a = [1]\n[a.b]\n", "cannot extend value of type array", 2),
            ("a = 1\na.b = 2\n", "cannot extend value of type integer", 2),
            ("[[t]]\n[t]\n", "duplicate key", 2),
            ("x = { a = 1, a = 2 }\n", "duplicate key", 1),
            (
                "x = { a = 1, a.b = 2 }\n",
                "cannot extend value of type integer",
                1,
            ),
            ("x = \"a\\qb\"\n", "escaped value", 1),
            ("x = 1__0\n", "between digits", 1),
            ("x = 1979-13-45\n", "", 1),
            ("\n[[tables]\n", "", 2),
            ("x = [1,\n", "unclosed array", 1),
        ] {
            let (m, l) = error(text);
            assert!(m.contains(message), "{text:?}: {m}");
            assert_eq!(l, line, "{text:?}: {m}");
            assert!(toml::from_str::<toml::Table>(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("a = {}{}\n", "[".repeat(200), "]".repeat(200));
        assert!(ours(&deep).unwrap_err().message.contains("recursion"));
        let dotted = format!("{} = 1\n", vec!["k"; 100].join("."));
        assert!(ours(&dotted).unwrap_err().message.contains("recursion"));
        let shallow = format!("a = {}{}\n", "[".repeat(20), "]".repeat(20));
        assert!(ours(&shallow).is_ok());
    }

    #[test]
    fn many_keys_in_one_table() {
        let text: String = (0..500).map(|i| format!("k{i} = {i}\n")).collect();
        let table = ours(&text).unwrap();
        assert_eq!(table.len(), 500);
        assert_eq!(table["k499"].as_integer(), Some(499));
        let dup = format!("{text}k250 = 1\n");
        assert_eq!(error(&dup), ("duplicate key".to_owned(), 501));
    }

    const KEYS: &[&str] = &[
        "a",
        "b",
        "c",
        "\"a\"",
        "'b'",
        "a.b",
        "b.c",
        "a . c",
        "\"a.b\"",
        "'x y'",
        "\"\\u0061\"",
        "1",
        "-",
        "a.b.c",
    ];

    const SCALARS: &[&str] = &[
        "1",
        "-0",
        "0x1F",
        "1_000",
        "1.5",
        "1e3",
        "+inf",
        "true",
        "false",
        "\"s\"",
        "'l'",
        "\"e\\u00e9\\n\\\"\"",
        "\"\"\"m\nl\"\"\"",
        "'''r\n'''",
        "\"\"\"a\\\n  b\"\"\"",
        "1979-05-27T07:32:00Z",
        "1979-05-27",
        "07:32:00",
        "1979-05-27 07:32:00.5+01:00",
        // Not valid.
        "\"\\q\"",
        "1__2",
        "'a\u{1}'",
        "01",
        "\"unterminated",
    ];

    fn value() -> impl Strategy<Value = String> {
        proptest::sample::select(SCALARS)
            .prop_map(str::to_owned)
            .prop_recursive(3, 24, 4, |inner| {
                prop_oneof![
                    proptest::collection::vec(inner.clone(), 0..4)
                        .prop_map(|v| format!("[{}]", v.join(", "))),
                    proptest::collection::vec((proptest::sample::select(KEYS), inner), 0..4)
                        .prop_map(|kv| {
                            let kv: Vec<String> =
                                kv.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                            format!("{{ {} }}", kv.join(", "))
                        }),
                ]
            })
    }

    fn line() -> impl Strategy<Value = String> {
        let key = || proptest::sample::select(KEYS);
        prop_oneof![
            3 => (key(), value()).prop_map(|(k, v)| format!("{k} = {v}")),
            1 => key().prop_map(|k| format!("[{k}]")),
            1 => key().prop_map(|k| format!("[[{k}]]")),
            1 => proptest::sample::select(&["# c", "# \u{1}", "#\u{7f}", "", "  ", "\r", "x", "[a", "= 1"][..])
                .prop_map(str::to_owned),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 3000,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Random documents, valid or not: this module accepts exactly what
        /// the `toml` crate accepts, reads the same values, and places the
        /// first error where it does.
        #[test]
        fn documents_read_as_the_toml_crate_reads_them(
            lines in proptest::collection::vec(line(), 0..10)
        ) {
            let text = lines.join("\n");
            let theirs = toml::from_str::<toml::Table>(&text);
            match (ours(&text), theirs) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b, "{:?}", text),
                (Err(a), Err(b)) => prop_assert_eq!(
                    a.at, b.span().map(|s| s.start), "{:?}: {} / {}", text, a.message, b.message()
                ),
                (a, b) => prop_assert!(false, "{:?}: ours {:?}, toml {:?}", text, a, b),
            }
        }
    }
}
