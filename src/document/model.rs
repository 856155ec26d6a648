//! The serde model of the schema document (`spec/schema-format.md`).

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

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
pub struct CheckSpec(pub DocCheck);

impl<'de> Deserialize<'de> for CheckSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CheckSpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a SQL expression or a table { sql, name }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CheckSpec, E> {
                Ok(CheckSpec(DocCheck {
                    sql: v.to_owned(),
                    name: None,
                    convention: None,
                }))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CheckSpec, A::Error> {
                DocCheck::deserialize(de::value::MapAccessDeserializer::new(map)).map(CheckSpec)
            }
        }
        d.deserialize_any(V)
    }
}

/// The whole document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocFile {
    /// Packs to apply, in order.
    #[serde(default)]
    pub conventions: Option<StringOrList>,
    /// Inline templates.
    #[serde(default)]
    pub naming_convention: Option<BTreeMap<String, String>>,
    /// The tables.
    pub tables: Vec<DocTable>,
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
pub struct DocTable {
    pub name: String,
    #[serde(default)]
    pub schema: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
    pub columns: Vec<DocColumn>,
    #[serde(default)]
    pub primary_key: Option<DocPrimaryKey>,
    #[serde(default)]
    pub foreign_keys: Vec<DocForeignKey>,
    #[serde(default)]
    pub uniques: Vec<DocUnique>,
    #[serde(default)]
    pub checks: Vec<DocCheck>,
    #[serde(default)]
    pub indexes: Vec<DocIndex>,
    #[serde(default)]
    pub ddl: Vec<DocDdl>,
}

/// A column.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocColumn {
    pub name: String,
    #[serde(rename = "type", default)]
    pub ty: Option<String>,
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub nullable: Option<bool>,
    #[serde(default)]
    pub primary_key: bool,
    #[serde(default)]
    pub unique: bool,
    #[serde(default)]
    pub index: bool,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub references: Option<String>,
    #[serde(default)]
    pub on_delete: Option<String>,
    #[serde(default)]
    pub on_update: Option<String>,
    #[serde(default)]
    pub check: Option<CheckSpec>,
    #[serde(default)]
    pub comment: Option<String>,
}

/// A table-level primary key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocPrimaryKey {
    pub columns: Vec<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub convention: Option<bool>,
}

/// A foreign key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocForeignKey {
    pub columns: Vec<String>,
    pub references: String,
    #[serde(default)]
    pub referred_columns: Option<Vec<String>>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub on_delete: Option<String>,
    #[serde(default)]
    pub on_update: Option<String>,
    #[serde(default)]
    pub use_alter: bool,
    #[serde(default)]
    pub convention: Option<bool>,
}

/// A unique constraint.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocUnique {
    pub columns: Vec<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub convention: Option<bool>,
}

/// A check constraint.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocCheck {
    pub sql: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub convention: Option<bool>,
}

/// An index.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocIndex {
    pub columns: Vec<String>,
    #[serde(default)]
    pub name: Option<String>,
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
