//! The schema document as it is written (`spec/schema-format.md`): plain
//! records that borrow their text from the document where they can.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::read::{record, text, At, Owned, Read, Seed, Trail, Weigh};

/// Text of the document: borrowed from the input where it has no escapes,
/// so that reading a large document allocates little.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Text<'a>(pub Cow<'a, str>);

impl Text<'_> {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
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

impl PartialEq<&str> for Text<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'a>, E> {
                text(v)?;
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(text(v)?.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'a>, E> {
                text(&v)?;
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V(PhantomData))
    }
}

impl Owned for Text<'_> {
    type Out = Text<'static>;
    fn owned(self) -> Text<'static> {
        Text(Cow::Owned(self.0.into_owned()))
    }
}

impl Weigh for Text<'_> {
    fn weight(&self) -> usize {
        self.0.len()
    }
}

impl<'de: 'a, 'a> Read<'de> for Text<'a> {
    #[inline]
    fn read<D: Deserializer<'de>>(d: D, _: &Trail) -> Result<Self, D::Error> {
        Text::deserialize(d)
    }
}

/// A string or a list of strings (`conventions`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringOrList {
    /// The strings.
    pub items: Vec<String>,
    /// Whether it was written as one string rather than a list.
    pub single: bool,
}

impl<'de> Read<'de> for StringOrList {
    fn read<D: Deserializer<'de>>(d: D, trail: &Trail) -> Result<Self, D::Error> {
        struct V<'t>(&'t Trail);
        impl<'de> Visitor<'de> for V<'_> {
            type Value = StringOrList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a pack name or a list of pack names")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StringOrList, E> {
                Ok(StringOrList {
                    items: vec![text(v)?.to_owned()],
                    single: true,
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StringOrList, A::Error> {
                let mut items = Vec::new();
                while let Some(s) =
                    seq.next_element_seed(Seed::new(self.0, At::Index(items.len())))?
                {
                    items.push(s);
                }
                Ok(StringOrList {
                    items,
                    single: false,
                })
            }
        }
        d.deserialize_any(V(trail))
    }
}

impl Owned for StringOrList {
    type Out = StringOrList;
    fn owned(self) -> StringOrList {
        self
    }
}

/// A column-level check: a SQL string or `{ sql, name, convention }`.
#[derive(Debug, Clone)]
pub struct CheckSpec<'a>(pub DocCheck<'a>);

impl<'de: 'a, 'a> Read<'de> for CheckSpec<'a> {
    fn read<D: Deserializer<'de>>(d: D, trail: &Trail) -> Result<Self, D::Error> {
        struct V<'t, 'a>(&'t Trail, PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'_, 'a> {
            type Value = CheckSpec<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a SQL expression or a table { sql, name }")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<CheckSpec<'a>, E> {
                Ok(CheckSpec::sql(Cow::Borrowed(text(v)?)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CheckSpec<'a>, E> {
                Ok(CheckSpec::sql(Cow::Owned(text(v)?.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<CheckSpec<'a>, E> {
                text::<E>(&v)?;
                Ok(CheckSpec::sql(Cow::Owned(v)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CheckSpec<'a>, A::Error> {
                DocCheck::read(de::value::MapAccessDeserializer::new(map), self.0).map(CheckSpec)
            }
        }
        d.deserialize_any(V(trail, PhantomData))
    }
}

impl Owned for CheckSpec<'_> {
    type Out = CheckSpec<'static>;
    fn owned(self) -> CheckSpec<'static> {
        CheckSpec(self.0.owned())
    }
}

impl Weigh for CheckSpec<'_> {
    fn weight(&self) -> usize {
        self.0.weight()
    }
}

impl<'a> CheckSpec<'a> {
    fn sql(sql: Cow<'a, str>) -> Self {
        CheckSpec(DocCheck {
            sql: Text(sql),
            name: None,
            convention: None,
        })
    }
}

record! {
    /// A table.
    pub struct DocTable<'a>, expecting "struct DocTable" {
        /// Its name.
        pub name: Text<'a> = "name", required;
        /// Its schema.
        pub schema: Option<Text<'a>> = "schema";
        /// Its comment.
        pub comment: Option<Text<'a>> = "comment";
        /// Its name before a rename (for `diff` and `migrate`).
        pub renamed_from: Option<Text<'a>> = "renamed_from";
        /// Its columns, in order.
        pub columns: Vec<DocColumn<'a>> = "columns", required;
        /// The table-level primary key.
        pub primary_key: Option<DocPrimaryKey<'a>> = "primary_key";
        /// Foreign keys.
        pub foreign_keys: Vec<DocForeignKey<'a>> = "foreign_keys";
        /// Unique constraints.
        pub uniques: Vec<DocUnique<'a>> = "uniques";
        /// Check constraints.
        pub checks: Vec<DocCheck<'a>> = "checks";
        /// Indexes.
        pub indexes: Vec<DocIndex<'a>> = "indexes";
        /// The table's custom DDL.
        pub ddl: Vec<DocDdl<'a>> = "ddl";
        /// The table templates whose parts it takes, in order.
        pub templates: Vec<Text<'a>> = "templates";
    }
}

record! {
    /// A column.
    pub struct DocColumn<'a>, expecting "struct DocColumn" {
        /// Its name: required unless a template gives it (see
        /// [`DocColumn::name`]).
        pub name: Option<Text<'a>> = "name";
        /// Its type.
        pub ty: Option<Text<'a>> = "type";
        /// Its key for `column_X_key` tokens.
        pub key: Option<Text<'a>> = "key";
        /// Whether it may be null.
        pub nullable: Option<bool> = "nullable";
        /// Whether it is part of the primary key.
        pub primary_key: bool = "primary_key";
        /// `false`: never the auto-increment column.
        pub autoincrement: Option<bool> = "autoincrement";
        /// Whether it has a unique constraint of its own.
        pub unique: bool = "unique";
        /// Whether it has an index of its own.
        pub index: bool = "index";
        /// Its server default (raw SQL).
        pub default: Option<Text<'a>> = "default";
        /// The column it refers to: `table.column` or `schema.table.column`.
        pub references: Option<Text<'a>> = "references";
        /// `ON DELETE` of `references`.
        pub on_delete: Option<Text<'a>> = "on_delete";
        /// `ON UPDATE` of `references`.
        pub on_update: Option<Text<'a>> = "on_update";
        /// Its check constraint.
        pub check: Option<CheckSpec<'a>> = "check";
        /// Its comment.
        pub comment: Option<Text<'a>> = "comment";
        /// Its name before a rename (for `diff` and `migrate`).
        pub renamed_from: Option<Text<'a>> = "renamed_from";
        /// The column template it is made from: the template's keys, with
        /// those given here in their place.
        pub template: Option<Text<'a>> = "template";
    }
}

impl DocColumn<'_> {
    /// Its name, or nothing if it has none: once templates are expanded,
    /// a column without a name is refused before anything asks for it.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or_default()
    }
}

record! {
    /// A table template (`table_templates`): parts that each table using
    /// it takes after its own.
    pub struct DocTableTemplate<'a>, expecting "struct DocTableTemplate" {
        /// Columns, after the table's own.
        pub columns: Vec<DocColumn<'a>> = "columns";
        /// Foreign keys.
        pub foreign_keys: Vec<DocForeignKey<'a>> = "foreign_keys";
        /// Unique constraints.
        pub uniques: Vec<DocUnique<'a>> = "uniques";
        /// Check constraints.
        pub checks: Vec<DocCheck<'a>> = "checks";
        /// Indexes.
        pub indexes: Vec<DocIndex<'a>> = "indexes";
        /// Custom DDL, after the table's own.
        pub ddl: Vec<DocDdl<'a>> = "ddl";
        /// The table's comment, where the table gives none.
        pub comment: Option<Text<'a>> = "comment";
    }
}

record! {
    /// A table-level primary key.
    pub struct DocPrimaryKey<'a>, expecting "struct DocPrimaryKey" {
        /// Its columns.
        pub columns: Vec<Text<'a>> = "columns", required;
        /// Its name.
        pub name: Option<Text<'a>> = "name";
        /// `false`: the name is final, no template applies.
        pub convention: Option<bool> = "convention";
    }
}

record! {
    /// A foreign key.
    pub struct DocForeignKey<'a>, expecting "struct DocForeignKey" {
        /// Its columns.
        pub columns: Vec<Text<'a>> = "columns", required;
        /// The referred table: `table` or `schema.table`.
        pub references: Text<'a> = "references", required;
        /// The referred columns (default: the referred table's primary key).
        pub referred_columns: Option<Vec<Text<'a>>> = "referred_columns";
        /// Its name.
        pub name: Option<Text<'a>> = "name";
        /// `ON DELETE`.
        pub on_delete: Option<Text<'a>> = "on_delete";
        /// `ON UPDATE`.
        pub on_update: Option<Text<'a>> = "on_update";
        /// Whether it is added with `ALTER TABLE` after the tables.
        pub use_alter: bool = "use_alter";
        /// `false`: the name is final, no template applies.
        pub convention: Option<bool> = "convention";
    }
}

record! {
    /// A unique constraint.
    pub struct DocUnique<'a>, expecting "struct DocUnique" {
        /// Its columns.
        pub columns: Vec<Text<'a>> = "columns", required;
        /// Its name.
        pub name: Option<Text<'a>> = "name";
        /// `false`: the name is final, no template applies.
        pub convention: Option<bool> = "convention";
    }
}

record! {
    /// A check constraint.
    pub struct DocCheck<'a>, expecting "struct DocCheck" {
        /// The SQL expression.
        pub sql: Text<'a> = "sql", required;
        /// Its name.
        pub name: Option<Text<'a>> = "name";
        /// `false`: the name is final, no template applies.
        pub convention: Option<bool> = "convention";
    }
}

/// An entry of an index's `columns`: a column name, or
/// `{ expression = "lower(email)" }`.
#[derive(Debug, Clone)]
pub enum DocIndexPart<'a> {
    /// A column, by name.
    Column(Text<'a>),
    /// An SQL expression.
    Expression(Text<'a>),
}

impl<'a> DocIndexPart<'a> {
    /// The column's name, if this is a column.
    pub fn column(&self) -> Option<&Text<'a>> {
        match self {
            DocIndexPart::Column(c) => Some(c),
            DocIndexPart::Expression(_) => None,
        }
    }

    /// The expression, if this is one.
    pub fn expression(&self) -> Option<&Text<'a>> {
        match self {
            DocIndexPart::Column(_) => None,
            DocIndexPart::Expression(e) => Some(e),
        }
    }
}

record! {
    /// An index's expression entry, `{ expression = "..." }`.
    pub struct DocIndexExpression<'a>, expecting "struct DocIndexExpression" {
        /// The SQL expression.
        pub expression: Text<'a> = "expression", required;
    }
}

impl<'de: 'a, 'a> Read<'de> for DocIndexPart<'a> {
    fn read<D: Deserializer<'de>>(d: D, trail: &Trail) -> Result<Self, D::Error> {
        struct V<'t, 'a>(&'t Trail, PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'_, 'a> {
            type Value = DocIndexPart<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a column name or a table { expression = \"...\" }")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<DocIndexPart<'a>, E> {
                Ok(DocIndexPart::Column(Text(Cow::Borrowed(text(v)?))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DocIndexPart<'a>, E> {
                Ok(DocIndexPart::Column(Text(Cow::Owned(text(v)?.to_owned()))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<DocIndexPart<'a>, E> {
                text::<E>(&v)?;
                Ok(DocIndexPart::Column(Text(Cow::Owned(v))))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DocIndexPart<'a>, A::Error> {
                DocIndexExpression::read(de::value::MapAccessDeserializer::new(map), self.0)
                    .map(|e| DocIndexPart::Expression(e.expression))
            }
        }
        d.deserialize_any(V(trail, PhantomData))
    }
}

impl Weigh for DocIndexPart<'_> {
    fn weight(&self) -> usize {
        match self {
            DocIndexPart::Column(t) | DocIndexPart::Expression(t) => t.weight(),
        }
    }
}

impl Owned for DocIndexPart<'_> {
    type Out = DocIndexPart<'static>;
    fn owned(self) -> DocIndexPart<'static> {
        match self {
            DocIndexPart::Column(c) => DocIndexPart::Column(c.owned()),
            DocIndexPart::Expression(e) => DocIndexPart::Expression(e.owned()),
        }
    }
}

record! {
    /// An index.
    pub struct DocIndex<'a>, expecting "struct DocIndex" {
        /// Its parts: column names and `{ expression = "..." }` entries.
        pub columns: Vec<DocIndexPart<'a>> = "columns", required;
        /// The `WHERE` predicate of a partial index.
        pub predicate: Option<Text<'a>> = "where";
        /// Its name.
        pub name: Option<Text<'a>> = "name";
        /// Whether it is a unique index.
        pub unique: bool = "unique";
        /// `false`: the name is final, no template applies.
        pub convention: Option<bool> = "convention";
    }
}

record! {
    /// Custom DDL.
    pub struct DocDdl<'a>, expecting "struct DocDdl" {
        /// The DDL event it runs at.
        pub when: Text<'a> = "when", required;
        /// The statement.
        pub sql: Text<'a> = "sql", required;
        /// The dialects it is for (default: all).
        pub dialects: Option<Vec<Text<'a>>> = "dialects";
    }
}

record! {
    /// A view.
    pub struct DocView<'a>, expecting "struct DocView" {
        /// Its name.
        pub name: Text<'a> = "name", required;
        /// Its schema.
        pub schema: Option<Text<'a>> = "schema";
        /// The `SELECT` it stands for.
        pub sql: Text<'a> = "sql", required;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a `T` from JSON: the value, or the error's path and message.
    fn json<'a, T: Read<'a>>(text: &'a str) -> Result<T, (Option<String>, String)> {
        let trail = Trail::default();
        let mut de = serde_json::Deserializer::from_str(text);
        T::read(&mut de, &trail).map_err(|e| (trail.take_path(), e.to_string()))
    }

    fn err<'a, T: Read<'a> + fmt::Debug>(text: &'a str) -> (String, String) {
        let (path, message) = json::<T>(text).unwrap_err();
        (path.unwrap_or_default(), message)
    }

    #[test]
    fn errors_know_their_path() {
        let (path, m) = err::<DocTable>(
            r#"{"name": "t", "columns": [{"name": "a"}, {"name": "b", "nullable": "yes"}]}"#,
        );
        assert_eq!(path, "columns[1].nullable");
        assert!(
            m.starts_with("invalid type: string \"yes\", expected a boolean"),
            "{m}"
        );
        // An unknown key is placed at the key, and lists the keys there are.
        let (path, m) =
            err::<DocTable>(r#"{"name": "t", "columns": [{"name": "a", "uniq": true}]}"#);
        assert_eq!(path, "columns[0].uniq");
        assert!(
            m.starts_with("unknown field `uniq`, expected one of `name`, `type`, `key`"),
            "{m}"
        );
        // A missing key at the record, a repeated one too. (A column's
        // `name` may come from a template: its absence is checked later.)
        let (path, m) = err::<DocTable>(
            r#"{"name": "t", "columns": [{"type": "integer"}], "foreign_keys": [{"columns": ["a"]}]}"#,
        );
        assert_eq!(
            (path.as_str(), &m[..27]),
            ("foreign_keys[0]", "missing field `references` ")
        );
        let (path, m) = err::<DocTable>(r#"{"name": "t", "name": "u", "columns": []}"#);
        assert_eq!(
            (path.as_str(), &m[..22]),
            ("name", "duplicate field `name`")
        );
        // Deeper: a column's check written as a table.
        let (path, _) = err::<DocTable>(
            r#"{"name": "t", "columns": [{"name": "a", "check": {"sql": "a > 0", "nam": "x"}}]}"#,
        );
        assert_eq!(path, "columns[0].check.nam");
        let (path, _) = err::<DocForeignKey>(
            r#"{"columns": ["a"], "references": "p", "referred_columns": ["id", 7]}"#,
        );
        assert_eq!(path, "referred_columns[1]");
    }

    #[test]
    fn text_is_borrowed_where_it_can_be() {
        let t =
            json::<DocTable>(r#"{"name": "plain", "comment": "with \"quotes\"", "columns": []}"#)
                .unwrap();
        assert!(matches!(t.name.0, Cow::Borrowed("plain")));
        assert!(matches!(t.comment.unwrap().0, Cow::Owned(s) if s == "with \"quotes\""));
    }

    #[test]
    fn checks_and_conventions_take_either_form() {
        let c = json::<DocColumn>(r#"{"name": "n", "check": "n > 0"}"#).unwrap();
        assert_eq!(c.check.unwrap().0.sql, "n > 0");
        let c = json::<DocColumn>(r#"{"name": "n", "check": {"sql": "n > 0", "name": "pos"}}"#)
            .unwrap();
        assert_eq!(c.check.unwrap().0.name.unwrap(), "pos");
        let one = json::<StringOrList>(r#""sqlalchemy""#).unwrap();
        assert_eq!(
            (one.items, one.single),
            (vec!["sqlalchemy".to_owned()], true)
        );
        let (path, _) = err::<StringOrList>(r#"["a", 1]"#);
        assert_eq!(path, "[1]");
    }
}
