//! The serde model of the schema document (`spec/schema-format.md`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// Text of the document: borrowed from the input where it has no escapes,
/// so that parsing a large document allocates little.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Text<'a>(pub Cow<'a, str>);

impl Text<'_> {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text as an owned string (copied only if it was borrowed).
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl From<Text<'_>> for String {
    fn from(t: Text<'_>) -> String {
        t.into_string()
    }
}

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Text<'_> {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<String> for Text<'_> {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<&str> for Text<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V(std::marker::PhantomData))
    }
}

/// A string or a list of strings (`conventions`); `single` records which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringOrList(pub Vec<String>, pub bool);

impl<'de> Deserialize<'de> for StringOrList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StringOrList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a pack name or a list of pack names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StringOrList, E> {
                Ok(StringOrList(vec![v.to_owned()], true))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StringOrList, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(StringOrList(out, false))
            }
        }
        d.deserialize_any(V)
    }
}

/// A column-level check: a SQL string or `{ sql, name }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckSpec<'a>(pub DocCheck<'a>);

impl<'de: 'a, 'a> Deserialize<'de> for CheckSpec<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = CheckSpec<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a SQL expression or a table { sql, name }")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<CheckSpec<'a>, E> {
                Ok(CheckSpec(DocCheck {
                    sql: Text(Cow::Borrowed(v)),
                    name: None,
                    convention: None,
                }))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CheckSpec<'a>, E> {
                Ok(CheckSpec(DocCheck {
                    sql: Text(Cow::Owned(v.to_owned())),
                    name: None,
                    convention: None,
                }))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CheckSpec<'a>, A::Error> {
                DocCheck::deserialize(de::value::MapAccessDeserializer::new(map)).map(CheckSpec)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// The whole document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocFile<'a> {
    /// Packs to apply, in order.
    #[serde(default)]
    pub conventions: Option<StringOrList>,
    /// Inline templates.
    #[serde(default)]
    pub naming_convention: Option<BTreeMap<String, String>>,
    /// The tables.
    #[serde(borrow)]
    pub tables: Vec<DocTable<'a>>,
    /// Views.
    #[serde(default)]
    pub views: Vec<DocView>,
    /// Metadata-level custom DDL.
    #[serde(default)]
    pub ddl: Vec<DocDdl>,
}

/// A table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocTable<'a> {
    #[serde(borrow)]
    pub name: Text<'a>,
    #[serde(default, borrow)]
    pub schema: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub comment: Option<Text<'a>>,
    #[serde(borrow)]
    pub columns: Vec<DocColumn<'a>>,
    #[serde(default, borrow)]
    pub primary_key: Option<DocPrimaryKey<'a>>,
    #[serde(default, borrow)]
    pub foreign_keys: Vec<DocForeignKey<'a>>,
    #[serde(default, borrow)]
    pub uniques: Vec<DocUnique<'a>>,
    #[serde(default, borrow)]
    pub checks: Vec<DocCheck<'a>>,
    #[serde(default, borrow)]
    pub indexes: Vec<DocIndex<'a>>,
    #[serde(default)]
    pub ddl: Vec<DocDdl>,
}

/// A column.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocColumn<'a> {
    #[serde(borrow)]
    pub name: Text<'a>,
    #[serde(rename = "type", default, borrow)]
    pub ty: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub key: Option<Text<'a>>,
    #[serde(default)]
    pub nullable: Option<bool>,
    #[serde(default)]
    pub primary_key: bool,
    #[serde(default)]
    pub unique: bool,
    #[serde(default)]
    pub index: bool,
    #[serde(default, borrow)]
    pub default: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub references: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub on_delete: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub on_update: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub check: Option<CheckSpec<'a>>,
    #[serde(default, borrow)]
    pub comment: Option<Text<'a>>,
}

/// A table-level primary key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocPrimaryKey<'a> {
    #[serde(borrow)]
    pub columns: Vec<Text<'a>>,
    #[serde(default, borrow)]
    pub name: Option<Text<'a>>,
    #[serde(default)]
    pub convention: Option<bool>,
}

/// A foreign key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocForeignKey<'a> {
    #[serde(borrow)]
    pub columns: Vec<Text<'a>>,
    #[serde(borrow)]
    pub references: Text<'a>,
    #[serde(default, borrow)]
    pub referred_columns: Option<Vec<Text<'a>>>,
    #[serde(default, borrow)]
    pub name: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub on_delete: Option<Text<'a>>,
    #[serde(default, borrow)]
    pub on_update: Option<Text<'a>>,
    #[serde(default)]
    pub use_alter: bool,
    #[serde(default)]
    pub convention: Option<bool>,
}

/// A unique constraint.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocUnique<'a> {
    #[serde(borrow)]
    pub columns: Vec<Text<'a>>,
    #[serde(default, borrow)]
    pub name: Option<Text<'a>>,
    #[serde(default)]
    pub convention: Option<bool>,
}

/// A check constraint.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocCheck<'a> {
    #[serde(borrow)]
    pub sql: Text<'a>,
    #[serde(default, borrow)]
    pub name: Option<Text<'a>>,
    #[serde(default)]
    pub convention: Option<bool>,
}

/// An index.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocIndex<'a> {
    #[serde(borrow)]
    pub columns: Vec<Text<'a>>,
    #[serde(default, borrow)]
    pub name: Option<Text<'a>>,
    #[serde(default)]
    pub unique: bool,
    #[serde(default)]
    pub convention: Option<bool>,
}

/// Custom DDL.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocDdl {
    pub when: String,
    pub sql: String,
    #[serde(default)]
    pub dialects: Option<Vec<String>>,
}

/// A view.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocView {
    pub name: String,
    #[serde(default)]
    pub schema: Option<String>,
    pub sql: String,
}
