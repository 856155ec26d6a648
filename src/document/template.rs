//! Column and table templates (`column_templates`, `table_templates`):
//! fragments of the document that tables use instead of repeating the same
//! keys, as SQLAlchemy's mixins do for declarative classes.
//!
//! A table's templates are expanded on the parsing side, before the
//! table's [rules](super::rules) are checked, so that the rules, the
//! conversion and the placing of model errors all see the table as if it
//! had been written out: each `{ template = "…" }` column in place, then
//! the parts of each table template after the table's own. A table that
//! used a template keeps a record of where each of its parts was written
//! ([`Origins`]), so that an error about a part that came from a template
//! is placed at the template's own definition and says which table used it
//! ([`Expanded::place`]). A table without `template` or `templates` keys is
//! left as it is, and has no record: a document without templates pays
//! for none.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use rustc_hash::FxHashMap;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

use super::error::DocumentError;
use super::model::{DocColumn, DocTable, DocTableTemplate, Text};
use super::path::{ColumnPath, TablePath};
use super::read::{At, Owned, Read, Seed, Step, Trail, Weigh};
use super::source::Source;

/// Templates of one kind, by name, as the document gives them.
#[derive(Clone, Debug)]
pub(crate) struct Fragments<T>(pub(crate) BTreeMap<String, T>);

impl<T> Default for Fragments<T> {
    fn default() -> Self {
        Fragments(BTreeMap::new())
    }
}

impl<'de, T: Read<'de>> Read<'de> for Fragments<T> {
    fn read<D: Deserializer<'de>>(d: D, trail: &Trail) -> Result<Self, D::Error> {
        struct V<'t, T>(&'t Trail, PhantomData<fn() -> T>);
        impl<'de, T: Read<'de>> Visitor<'de> for V<'_, T> {
            type Value = Fragments<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of templates by name")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fragments<T>, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(name) = map.next_key_seed(NameSeed(self.0))? {
                    let fragment = map.next_value_seed(Seed::<T>::new(self.0, At::Key(&name)))?;
                    if out.contains_key(&name) {
                        // JSON keeps the last of two; TOML refuses them as syntax.
                        let e = de::Error::custom(format_args!("duplicate key `{name}`"));
                        self.0.push(Step::Key(name));
                        return Err(e);
                    }
                    out.insert(name, fragment);
                }
                Ok(Fragments(out))
            }
        }
        d.deserialize_map(V(trail, PhantomData))
    }
}

impl<T: Owned> Owned for Fragments<T> {
    type Out = Fragments<T::Out>;
    fn owned(self) -> Self::Out {
        Fragments(self.0.into_iter().map(|(k, v)| (k, v.owned())).collect())
    }
}

/// Reads a template's name: letters, digits, `_` and `-`, so that it can
/// stand in a key path (`column_templates.id.references`) as it is. A name
/// that cannot is an error at the name.
struct NameSeed<'t>(&'t Trail);

impl<'de> DeserializeSeed<'de> for NameSeed<'_> {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for NameSeed<'_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a template name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        let good = !v.is_empty()
            && v.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
        if good {
            return Ok(v.to_owned());
        }
        self.0.push(Step::Key(v.to_owned()));
        Err(E::custom(format_args!(
            "template name {v:?} is not allowed: a template's name is letters, digits, `_` and `-`"
        )))
    }
}

/// The document's templates, with their text owned: they are read once
/// and used by any number of tables.
#[derive(Clone, Debug, Default)]
pub(crate) struct Templates {
    /// `column_templates`: one column's keys each.
    pub(crate) columns: BTreeMap<String, DocColumn<'static>>,
    /// `table_templates`: parts of a table each.
    pub(crate) tables: BTreeMap<String, DocTableTemplate<'static>>,
}

impl Templates {
    /// Whether there are none.
    pub(crate) fn is_empty(&self) -> bool {
        self.columns.is_empty() && self.tables.is_empty()
    }
}

/// The keys of a column a template can give, in the order of their bits
/// in [`Taken::keys`].
const COLUMN_KEYS: &[&str] = &[
    "name",
    "type",
    "key",
    "nullable",
    "primary_key",
    "autoincrement",
    "unique",
    "index",
    "default",
    "references",
    "on_delete",
    "on_update",
    "check",
    "comment",
    "renamed_from",
];

/// The bit of a column's key in [`Taken::keys`] (none for another key).
fn bit(key: &str) -> u32 {
    COLUMN_KEYS
        .iter()
        .position(|k| *k == key)
        .map_or(0, |p| 1 << p)
}

/// What a column took from its column template.
#[derive(Debug)]
struct Taken {
    /// The template's name.
    template: String,
    /// The keys whose value is the template's: bits of [`COLUMN_KEYS`].
    keys: u32,
    /// Whether the column is named after the template (neither gives a `name`).
    named_after: bool,
}

/// Where a column of an expanded table was written.
#[derive(Debug)]
struct ColumnOrigin {
    /// In a table template (its index among those the table uses, and
    /// the column's index in its `columns`); `None`: in the table itself.
    written: Option<(usize, usize)>,
    /// The column template it is made from.
    template: Option<Taken>,
}

/// The constraints, indexes or DDL of one kind of an expanded table: the
/// table's own first, then those of its table templates.
#[derive(Debug, Default)]
struct Appended {
    /// How many are the table's own.
    own: usize,
    /// For each one after those: its table template (an index among those
    /// the table uses) and its index there.
    from: Vec<(usize, usize)>,
}

impl Appended {
    fn new(own: usize) -> Self {
        Appended {
            own,
            from: Vec::new(),
        }
    }
}

/// Where the parts of a table that used templates were written.
#[derive(Debug)]
pub(crate) struct Origins {
    /// The table's name, for messages.
    table: String,
    /// The table templates it used, in order.
    used: Vec<String>,
    /// One per column of the expanded table.
    columns: Vec<ColumnOrigin>,
    foreign_keys: Appended,
    uniques: Appended,
    checks: Appended,
    indexes: Appended,
    ddl: Appended,
    /// The table template whose comment the table took.
    comment: Option<usize>,
}

impl Origins {
    /// Where the part at `rest` of the table's path (such as
    /// `.columns[3].references`) was written, if a template wrote it, and
    /// what the message adds to say so.
    fn relocate(&self, rest: &str) -> Option<(String, String)> {
        let rest = rest.strip_prefix('.')?;
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let (list, after) = rest.split_at(end);
        if list == "comment" {
            let u = self.comment?;
            let path = format!("table_templates.{}.comment{after}", self.used.get(u)?);
            return Some((path, self.by(u)?));
        }
        let after = after.strip_prefix('[')?;
        let close = after.find(']')?;
        let index: usize = after.get(..close)?.parse().ok()?;
        let tail = after.get(close + 1..)?;
        if list == "columns" {
            return self.relocate_column(index, tail);
        }
        let appended = match list {
            "foreign_keys" => &self.foreign_keys,
            "uniques" => &self.uniques,
            "checks" => &self.checks,
            "indexes" => &self.indexes,
            "ddl" => &self.ddl,
            _ => return None,
        };
        let &(u, m) = appended.from.get(index.checked_sub(appended.own)?)?;
        let path = format!("table_templates.{}.{list}[{m}]{tail}", self.used.get(u)?);
        Some((path, self.by(u)?))
    }

    /// [`relocate`](Self::relocate) for the column at `j`, `tail` being
    /// the path inside it (`.references`, or nothing).
    fn relocate_column(&self, j: usize, tail: &str) -> Option<(String, String)> {
        let origin = self.columns.get(j)?;
        let key = tail
            .strip_prefix('.')
            .map(|k| k.split(['.', '[']).next().unwrap_or(k));
        if let (Some(taken), Some(key)) = (&origin.template, key) {
            let named_after = key == "name" && taken.named_after;
            if named_after || taken.keys & bit(key) != 0 {
                let path = if named_after {
                    // The template has no `name`: its key names the column.
                    format!("column_templates.{}", taken.template)
                } else {
                    format!("column_templates.{}{tail}", taken.template)
                };
                let through = match origin.written {
                    Some((u, _)) => format!(" in table template \"{}\"", self.used.get(u)?),
                    None => String::new(),
                };
                let note = format!(
                    " (from column template \"{}\"{through}, used by table \"{}\")",
                    taken.template, self.table
                );
                return Some((path, note));
            }
        }
        let (u, m) = origin.written?;
        let path = format!("table_templates.{}.columns[{m}]{tail}", self.used.get(u)?);
        Some((path, self.by(u)?))
    }

    /// What a message about a part of table template `u` adds.
    fn by(&self, u: usize) -> Option<String> {
        Some(format!(
            " (from table template \"{}\", used by table \"{}\")",
            self.used.get(u)?,
            self.table
        ))
    }
}

/// Where the parts of the tables that used templates were written, by the
/// tables' indexes in the document.
#[derive(Debug, Default)]
pub(crate) struct Expanded(FxHashMap<usize, Origins>);

impl Expanded {
    /// Records where the parts of `tables[i]` were written.
    pub(crate) fn insert(&mut self, i: usize, origins: Origins) {
        self.0.insert(i, origins);
    }

    /// `e`, placed where the part it is about was written: at the
    /// template's definition, saying which table used it, if the part came
    /// from a template; as it is otherwise.
    pub(crate) fn place(&self, src: &Source<'_>, e: DocumentError) -> DocumentError {
        if self.0.is_empty() {
            return e;
        }
        let found = e.place.path.as_deref().and_then(|path| {
            let rest = path.strip_prefix("tables[")?;
            let close = rest.find(']')?;
            let i: usize = rest.get(..close)?.parse().ok()?;
            self.0.get(&i)?.relocate(rest.get(close + 1..)?)
        });
        match found {
            Some((path, note)) => src.err(Some(path), format!("{}{note}", e.message), e.help),
            None => e,
        }
    }
}

/// How much templates may add to a document of `size` bytes, in
/// [weight](Weigh): 64 times its size, and at least 64 MiB. What a
/// document written out by hand holds grows with its size; one that uses
/// templates may hold more than it is, but not without end (a template of
/// a megabyte used by a million tables would be a terabyte). A column
/// weighs some 300 bytes besides its text, so a document may take about
/// four times what it would hold written out.
pub(crate) fn budget(size: usize) -> usize {
    size.saturating_mul(FACTOR).max(MIN_BUDGET)
}

/// How many times its size templates may add to a document, in [weight](Weigh).
const FACTOR: usize = 64;

/// The least that templates may add to any document, in [weight](Weigh).
const MIN_BUDGET: usize = 64 << 20;

/// Expands the templates that `t`, the document's table `tables[i]`,
/// uses: each `{ template = "…" }` column becomes the template's column
/// with the entry's keys in place of the template's, and each table
/// template of `templates` adds its columns, constraints, indexes and DDL
/// after the table's own, and its comment where the table has none.
/// Returns where the parts came from, if any came from a template. Each
/// use of a template is charged its [weight](Weigh) to `budget`, what the
/// document's templates may still add (see [`budget`]).
///
/// Fails, placed in the document, on a template that is not defined, a
/// table template listed twice, a column template that uses another, a
/// column that both the table and a table template (or two table
/// templates) declare, and a use past the budget.
pub(crate) fn expand<'a>(
    src: &Source<'_>,
    i: usize,
    t: &mut DocTable<'a>,
    templates: Option<&Templates>,
    budget: &mut usize,
) -> Result<Option<Origins>, DocumentError> {
    if t.templates.is_empty() && t.columns.iter().all(|c| c.template.is_none()) {
        return Ok(None);
    }
    let none = Templates::default();
    let mut ex = Expander {
        src: *src,
        templates: templates.unwrap_or(&none),
        budget,
        table: t.name.to_string(),
    };
    let mut o = Origins {
        table: String::new(),
        used: Vec::with_capacity(t.templates.len()),
        columns: Vec::with_capacity(t.columns.len()),
        foreign_keys: Appended::new(t.foreign_keys.len()),
        uniques: Appended::new(t.uniques.len()),
        checks: Appended::new(t.checks.len()),
        indexes: Appended::new(t.indexes.len()),
        ddl: Appended::new(t.ddl.len()),
        comment: None,
    };
    let user = format!("table \"{}\"", t.name);
    for (j, c) in t.columns.iter_mut().enumerate() {
        let template = match c.template.take() {
            None => None,
            Some(name) => {
                let at = || format!("{}.template", ColumnPath(i, j));
                Some(ex.column(c, &name, at, &user)?)
            }
        };
        o.columns.push(ColumnOrigin {
            written: None,
            template,
        });
    }
    let own_columns = t.columns.len();
    for (u, name) in t.templates.iter().enumerate() {
        let at = || format!("{}.templates[{u}]", TablePath(i));
        if t.templates
            .get(..u)
            .is_some_and(|before| before.contains(name))
        {
            return Err(src.at(
                at(),
                format!("{user} uses table template \"{name}\" twice"),
                "list each table template once",
            ));
        }
        let Some(tt) = ex.templates.tables.get(name.as_str()) else {
            return Err(unknown(
                src,
                at(),
                &user,
                "table",
                name,
                ex.templates.tables.keys(),
            ));
        };
        ex.charge(tt.weight(), at, &user, "table", name)?;
        o.used.push(name.to_string());
        let by = format!("table template \"{name}\" (used by {user})");
        for (m, tc) in tt.columns.iter().enumerate() {
            let mut c: DocColumn<'a> = tc.clone();
            let template = match c.template.take() {
                None => None,
                Some(cname) => {
                    let at = || format!("table_templates.{name}.columns[{m}].template");
                    Some(ex.column(&mut c, &cname, at, &by)?)
                }
            };
            o.columns.push(ColumnOrigin {
                written: Some((u, m)),
                template,
            });
            t.columns.push(c);
        }
        append(
            &mut t.foreign_keys,
            &tt.foreign_keys,
            &mut o.foreign_keys,
            u,
        );
        append(&mut t.uniques, &tt.uniques, &mut o.uniques, u);
        append(&mut t.checks, &tt.checks, &mut o.checks, u);
        append(&mut t.indexes, &tt.indexes, &mut o.indexes, u);
        append(&mut t.ddl, &tt.ddl, &mut o.ddl, u);
        if t.comment.is_none() && tt.comment.is_some() {
            t.comment.clone_from(&tt.comment);
            o.comment = Some(u);
        }
    }
    o.table = ex.table;
    if own_columns < t.columns.len() {
        declared_once(src, i, t, &o)?;
    }
    Ok(Some(o))
}

/// What expanding one table works with.
struct Expander<'a, 'b> {
    src: Source<'a>,
    templates: &'b Templates,
    /// What templates may still add to the document.
    budget: &'b mut usize,
    /// The table's name, for messages.
    table: String,
}

impl Expander<'_, '_> {
    /// Makes `c`, an entry `{ template = "name", … }`, the column template
    /// `name`'s column with the entry's keys in place of the template's.
    /// `at()` is the path of the entry's `template`; `user` says who uses
    /// the template, for messages.
    fn column(
        &mut self,
        c: &mut DocColumn<'_>,
        name: &Text<'_>,
        at: impl Fn() -> String,
        user: &str,
    ) -> Result<Taken, DocumentError> {
        let templates = self.templates;
        let Some(template) = templates.columns.get(name.as_str()) else {
            return Err(unknown(
                &self.src,
                at(),
                user,
                "column",
                name,
                templates.columns.keys(),
            ));
        };
        if let Some(inner) = &template.template {
            return Err(self.src.at(
                format!("column_templates.{name}.template"),
                format!(
                    "column template \"{name}\" (used by table \"{}\") uses column template \"{inner}\": column templates are not made from others",
                    self.table
                ),
                "write the keys out in this template",
            ));
        }
        self.charge(template.weight(), at, user, "column", name)?;
        Ok(merge(c, name, template))
    }

    /// Takes `weight` from the budget for a use of the `kind` template
    /// `name` by `user` at `at()`; an error past the budget.
    fn charge(
        &mut self,
        weight: usize,
        at: impl Fn() -> String,
        user: &str,
        kind: &str,
        name: &str,
    ) -> Result<(), DocumentError> {
        if let Some(left) = self.budget.checked_sub(weight) {
            *self.budget = left;
            return Ok(());
        }
        Err(self.src.at(
            at(),
            format!(
                "{user} uses {kind} template \"{name}\" past the limit of what templates may add to one document ({} MiB here: {FACTOR} times the document's size, at least {} MiB)",
                budget(self.src.text.len()) >> 20,
                MIN_BUDGET >> 20,
            ),
            "write the tables out, or split the document: the limit keeps a small document from expanding without end",
        ))
    }
}

/// Gives the entry `c` the keys of `template` (named `name`) it does not
/// give itself; a flag (`primary_key`, `unique`, `index`) is on if either
/// turns it on. Says which keys were taken.
fn merge<'a>(c: &mut DocColumn<'a>, name: &str, template: &DocColumn<'a>) -> Taken {
    let mut keys = 0;
    macro_rules! take {
        ($($field:ident = $key:literal),* $(,)?) => {$(
            if c.$field.is_none() && template.$field.is_some() {
                c.$field.clone_from(&template.$field);
                keys |= bit($key);
            }
        )*};
    }
    macro_rules! flag {
        ($($field:ident = $key:literal),* $(,)?) => {$(
            if template.$field && !c.$field {
                c.$field = true;
                keys |= bit($key);
            }
        )*};
    }
    let named_after = c.name.is_none() && template.name.is_none();
    if named_after {
        c.name = Some(Text(Cow::Owned(name.to_owned())));
    }
    take!(
        name = "name",
        ty = "type",
        key = "key",
        nullable = "nullable",
        autoincrement = "autoincrement",
        default = "default",
        references = "references",
        on_delete = "on_delete",
        on_update = "on_update",
        check = "check",
        comment = "comment",
        renamed_from = "renamed_from",
    );
    flag!(
        primary_key = "primary_key",
        unique = "unique",
        index = "index"
    );
    Taken {
        template: name.to_owned(),
        keys,
        named_after,
    }
}

/// Adds a table template's parts of one kind after the table's own,
/// recording where each came from (`u`: the template).
fn append<T: Clone>(to: &mut Vec<T>, from: &[T], origins: &mut Appended, u: usize) {
    to.reserve(from.len());
    for (m, x) in from.iter().enumerate() {
        to.push(x.clone());
        origins.from.push((u, m));
    }
}

/// A column that the table and one of its table templates, or two of
/// them, both declare. (The same name twice in one place is the model's to
/// report, as for a table without templates.)
fn declared_once(
    src: &Source<'_>,
    i: usize,
    t: &DocTable<'_>,
    o: &Origins,
) -> Result<(), DocumentError> {
    // Each name: the first column of that name, and where it was written
    // (`None`: in the table).
    let mut seen: FxHashMap<&str, (usize, Option<usize>)> =
        FxHashMap::with_capacity_and_hasher(t.columns.len(), Default::default());
    for (j, (c, origin)) in t.columns.iter().zip(&o.columns).enumerate() {
        let Some(name) = c.name.as_deref() else {
            continue;
        };
        let from = origin.written.map(|(u, _)| u);
        let Some(&(first, first_from)) = seen.get(name) else {
            seen.insert(name, (j, from));
            continue;
        };
        let (Some(u), Some((_, m))) = (from, origin.written) else {
            continue;
        };
        let template = o.used.get(u).map_or("", String::as_str);
        match first_from {
            Some(before) if before == u => {}
            Some(before) => {
                let before = o.used.get(before).map_or("", String::as_str);
                return Err(src.at(
                    format!("{}.templates[{u}]", TablePath(i)),
                    format!(
                        "table templates \"{before}\" and \"{template}\", both used by table \"{}\", declare column \"{name}\"",
                        t.name
                    ),
                    "declare the column in one of the templates only",
                ));
            }
            None => {
                // The table's own column may have its name from a column template.
                let (path, note) = o
                    .relocate(&format!(".columns[{first}].name"))
                    .unwrap_or_else(|| (format!("{}.name", ColumnPath(i, first)), String::new()));
                return Err(src.at(
                    path,
                    format!(
                        "table \"{}\" declares column \"{name}\", and so does table template \"{template}\" it uses (table_templates.{template}.columns[{m}]){note}",
                        t.name
                    ),
                    "remove one of the two: a table does not redefine a column of its templates",
                ));
            }
        }
    }
    Ok(())
}

/// A template that is not defined, used by `user` at `path`; `kind` is
/// `column` or `table`, `known` the names there are.
fn unknown<'k>(
    src: &Source<'_>,
    path: String,
    user: &str,
    kind: &str,
    name: &str,
    known: impl Iterator<Item = &'k String>,
) -> DocumentError {
    let hint = crate::schema_closest(name, known.map(String::as_str))
        .map(|s| format!(" (did you mean \"{s}\"?)"))
        .unwrap_or_default();
    src.at(
        path,
        format!("{user} uses {kind} template \"{name}\", which is not defined{hint}"),
        &format!("define it in `{kind}_templates`, or correct the name"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{line_col, load_str, Format, LoadOptions};
    use crate::MetaData;

    fn load(doc: &str) -> Result<MetaData, DocumentError> {
        load_str(doc, &LoadOptions::new().name("doc"))
    }

    /// The PostgreSQL create script of a document that loads.
    fn ddl(doc: &str) -> String {
        let md = load(doc).unwrap_or_else(|e| panic!("{e}"));
        let pg = crate::dialect::by_name("postgresql").expect("dialect");
        crate::ddl::create_plan(&md, pg, &Default::default())
            .and_then(|p| p.script())
            .unwrap_or_else(|e| panic!("{e}"))
            .to_string()
    }

    /// The error of a document that does not load.
    fn err(doc: &str) -> DocumentError {
        match load(doc) {
            Err(e) => e,
            Ok(_) => panic!("loaded:\n{doc}"),
        }
    }

    /// The line and column of the first `needle` in `doc`.
    fn at(doc: &str, needle: &str) -> Option<(usize, usize)> {
        let offset = doc.find(needle).unwrap_or_else(|| panic!("{needle:?}"));
        Some(line_col(doc, offset))
    }

    /// Asserts the error's path, place and message.
    fn placed(e: &DocumentError, path: &str, line_col: Option<(usize, usize)>, message: &str) {
        assert_eq!(e.place.path.as_deref(), Some(path), "{e}");
        assert_eq!(e.place.line_col, line_col, "{e}");
        assert_eq!(e.message, message, "{e}");
    }

    const ID: &str = r#"
conventions = "sqlalchemy"

[column_templates.id]
type = "bigint"
primary_key = true
comment = "surrogate key"

[column_templates.email]
type = "varchar(200)"
nullable = false
"#;

    #[test]
    fn a_column_template_is_the_column_in_place_with_the_entrys_keys_first() {
        let doc = format!(
            "{ID}
[[tables]]
name = \"account\"
columns = [
  {{ name = \"first\", type = \"integer\" }},
  {{ template = \"id\", name = \"account_id\", comment = \"the account\" }},
  {{ template = \"email\", unique = true, nullable = true }},
]
"
        );
        let md = load(&doc).unwrap();
        let t = md.table("account").unwrap();
        let names: Vec<&str> = t.columns().iter().map(|c| c.name()).collect();
        // In place, and named after the template where the entry gives no name.
        assert_eq!(names, ["first", "account_id", "email"]);
        let id = &t.columns()[1];
        assert!(id.is_primary_key());
        assert_eq!(id.comment(), Some("the account"));
        assert_eq!(
            id.column_type().map(|t| t.to_string()).as_deref(),
            Some("bigint")
        );
        let email = &t.columns()[2];
        // A flag given as true turns on; any other key given replaces the template's.
        assert!(email.is_unique() && email.is_nullable());
        assert_eq!(
            ddl(&doc),
            ddl(r#"conventions = "sqlalchemy"
[[tables]]
name = "account"
columns = [
  { name = "first", type = "integer" },
  { name = "account_id", type = "bigint", primary_key = true, comment = "the account" },
  { name = "email", type = "varchar(200)", unique = true, nullable = true },
]
"#)
        );
    }

    const TIMESTAMPS: &str = r#"
[table_templates.timestamps]
comment = "timestamped"
columns = [
  { name = "created_at", type = "timestamp", nullable = false, default = "CURRENT_TIMESTAMP" },
  { name = "updated_at", type = "timestamp" },
]
checks = [{ sql = "updated_at >= created_at", name = "ordered" }]
indexes = [{ columns = ["created_at"] }]
ddl = [{ when = "after_create", sql = "-- %(table)s is timestamped" }]

[table_templates.owned]
columns = [{ template = "id", name = "owner_id", comment = "its owner" }]
foreign_keys = [{ columns = ["owner_id"], references = "account", on_delete = "CASCADE" }]
uniques = [{ columns = ["owner_id", "title"] }]
"#;

    #[test]
    fn table_templates_add_their_parts_after_the_tables_own_in_list_order() {
        let doc = format!(
            r#"{ID}{TIMESTAMPS}
[[tables]]
name = "account"
templates = ["timestamps"]
columns = [{{ template = "id" }}]

[[tables]]
name = "note"
comment = "a note"
templates = ["timestamps", "owned"]
columns = [{{ name = "title", type = "text", primary_key = true }}]
indexes = [{{ columns = ["title"] }}]
ddl = [{{ when = "after_create", sql = "-- first" }}]
"#
        );
        let by_hand = r#"conventions = "sqlalchemy"
[[tables]]
name = "account"
comment = "timestamped"
columns = [
  { name = "id", type = "bigint", primary_key = true, comment = "surrogate key" },
  { name = "created_at", type = "timestamp", nullable = false, default = "CURRENT_TIMESTAMP" },
  { name = "updated_at", type = "timestamp" },
]
checks = [{ sql = "updated_at >= created_at", name = "ordered" }]
indexes = [{ columns = ["created_at"] }]
ddl = [{ when = "after_create", sql = "-- %(table)s is timestamped" }]

[[tables]]
name = "note"
comment = "a note"
columns = [
  { name = "title", type = "text", primary_key = true },
  { name = "created_at", type = "timestamp", nullable = false, default = "CURRENT_TIMESTAMP" },
  { name = "updated_at", type = "timestamp" },
  { name = "owner_id", type = "bigint", primary_key = true, comment = "its owner" },
]
foreign_keys = [{ columns = ["owner_id"], references = "account", on_delete = "CASCADE" }]
uniques = [{ columns = ["owner_id", "title"] }]
checks = [{ sql = "updated_at >= created_at", name = "ordered" }]
indexes = [{ columns = ["title"] }, { columns = ["created_at"] }]
ddl = [{ when = "after_create", sql = "-- first" }, { when = "after_create", sql = "-- %(table)s is timestamped" }]
"#;
        let made = ddl(&doc);
        assert_eq!(made, ddl(by_hand));
        // The template's comment only where the table has none.
        let md = load(&doc).unwrap();
        assert_eq!(md.table("account").unwrap().comment(), Some("timestamped"));
        assert_eq!(md.table("note").unwrap().comment(), Some("a note"));
        assert!(
            made.contains("-- first;\n\n-- note is timestamped;"),
            "{made}"
        );
    }

    const JSON_TEMPLATES: &str = r#""column_templates": {"id": {"type": "bigint", "primary_key": true}},
  "table_templates": {"timestamps": {"columns": [{"name": "created_at", "type": "timestamp"}]}}"#;

    const JSON_TABLES: &str = r#""tables": [{"name": "account", "templates": ["timestamps"],
    "columns": [{"template": "id"}, {"name": "email", "type": "text"}]}]"#;

    #[test]
    fn templates_before_or_after_the_tables_are_used_alike() {
        let before = format!("{{{JSON_TEMPLATES},\n  {JSON_TABLES}}}");
        let after = format!("{{{JSON_TABLES},\n  {JSON_TEMPLATES}}}");
        // Late settings of both kinds at once: naming after the tables too.
        let late_naming = format!(
            "{{{JSON_TABLES},\n  {JSON_TEMPLATES}, \"naming_convention\": {{\"pk\": \"pk_%(table_name)s\"}}}}"
        );
        let by_hand = r#"[[tables]]
name = "account"
columns = [
  { name = "id", type = "bigint", primary_key = true },
  { name = "email", type = "text" },
  { name = "created_at", type = "timestamp" },
]
"#;
        let expected = ddl(by_hand);
        assert_eq!(ddl(&before), expected);
        assert_eq!(ddl(&after), expected);
        assert!(ddl(&late_naming).contains("CONSTRAINT pk_account PRIMARY KEY"));
        // A TOML document with its tables in one array: the templates follow it.
        let toml = r#"tables = [{ name = "account", templates = ["timestamps"], columns = [
  { template = "id" }, { name = "email", type = "text" }] }]
[column_templates.id]
type = "bigint"
primary_key = true
[table_templates.timestamps]
columns = [{ name = "created_at", type = "timestamp" }]
"#;
        assert_eq!(ddl(toml), expected);
        // TOML blocks with the templates between and after them.
        let toml = r#"[[tables]]
name = "account"
templates = ["timestamps"]
columns = [{ template = "id" }, { name = "email", type = "text" }]
[column_templates.id]
type = "bigint"
primary_key = true
[[tables]]
name = "other"
columns = [{ template = "id" }]
[table_templates.timestamps]
columns = [{ name = "created_at", type = "timestamp" }]
"#;
        let other = "[[tables]]\nname = \"other\"\ncolumns = [{ name = \"id\", type = \"bigint\", primary_key = true }]\n";
        assert_eq!(ddl(toml), ddl(&format!("{by_hand}{other}")));
    }

    #[test]
    fn an_unknown_template_is_an_error_at_its_use_with_a_suggestion() {
        let doc = format!(
            "{ID}{TIMESTAMPS}
[[tables]]
name = \"account\"
columns = [{{ template = \"idd\" }}]
"
        );
        let e = err(&doc);
        placed(
            &e,
            "tables[0].columns[0].template",
            at(&doc, "template = \"idd\""),
            "table \"account\" uses column template \"idd\", which is not defined (did you mean \"id\"?)",
        );
        assert!(e.to_string().starts_with("doc:"), "{e}");
        let doc = format!(
            "{ID}{TIMESTAMPS}
[[tables]]
name = \"account\"
templates = [\"timestamps\", \"timestamp\"]
columns = [{{ template = \"id\" }}]
"
        );
        placed(
            &err(&doc),
            "tables[0].templates[1]",
            at(&doc, "\"timestamp\"]"),
            "table \"account\" uses table template \"timestamp\", which is not defined (did you mean \"timestamps\"?)",
        );
        // In a table template's column.
        let doc = r#"
[table_templates.base]
columns = [{ name = "a" }, { template = "nope" }]
[[tables]]
name = "t"
templates = ["base"]
columns = []
"#;
        placed(
            &err(doc),
            "table_templates.base.columns[1].template",
            at(doc, "template = \"nope\""),
            "table template \"base\" (used by table \"t\") uses column template \"nope\", which is not defined",
        );
        // JSON, with the templates after the tables.
        let doc = "{\"tables\": [{\"name\": \"account\", \"columns\": [{\"template\": \"ib\"}]}],\n \"column_templates\": {\"id\": {}}}";
        placed(
            &err(doc),
            "tables[0].columns[0].template",
            at(doc, "\"template\""),
            "table \"account\" uses column template \"ib\", which is not defined (did you mean \"id\"?)",
        );
    }

    #[test]
    fn errors_in_what_a_template_gave_are_placed_at_the_template() {
        // A reference that does not read (the conversion's error).
        let doc = r#"
[column_templates.owner]
type = "bigint"
references = "account"

[[tables]]
name = "note"
columns = [{ name = "id", type = "integer" }, { template = "owner" }]
"#;
        let e = err(doc);
        placed(
            &e,
            "column_templates.owner.references",
            at(doc, "references"),
            "cannot read reference \"account\" (from column template \"owner\", used by table \"note\")",
        );
        assert!(e.help.is_some(), "{e}");
        // The same value given by the entry is the entry's.
        let doc = r#"
[column_templates.owner]
type = "bigint"

[[tables]]
name = "note"
columns = [{ template = "owner", references = "account" }]
"#;
        placed(
            &err(doc),
            "tables[0].columns[0].references",
            at(doc, "references"),
            "cannot read reference \"account\"",
        );
        // A rule (the document's own), through a table template's column
        // made from a column template.
        let doc = r#"
[column_templates.owner]
type = "bigint"
on_delete = "CASCADE"

[table_templates.owned]
columns = [{ template = "owner", name = "owner_id" }]

[[tables]]
name = "note"
templates = ["owned"]
columns = [{ name = "id", type = "integer" }]
"#;
        placed(
            &err(doc),
            "column_templates.owner.on_delete",
            at(doc, "on_delete"),
            "`on_delete` without `references` (from column template \"owner\" in table template \"owned\", used by table \"note\")",
        );
        // A model error: a template's unique over a column the table lacks.
        let doc = r#"
[table_templates.titled]
uniques = [{ columns = ["title"] }]

[[tables]]
name = "note"
templates = ["titled"]
columns = [{ name = "titel", type = "text" }]
"#;
        placed(
            &err(doc),
            "table_templates.titled.uniques[0].columns[0]",
            at(doc, "\"title\""),
            "table \"note\" has no column \"title\" (did you mean \"titel\"?) (from table template \"titled\", used by table \"note\")",
        );
        // A reference to a table that is not defined (checked once all are).
        let doc = r#"
[table_templates.owned]
columns = [{ name = "owner_id", type = "bigint" }]
foreign_keys = [{ columns = ["owner_id"], references = "acount" }]

[[tables]]
name = "account"
columns = [{ name = "id", type = "bigint", primary_key = true }]

[[tables]]
name = "note"
templates = ["owned"]
columns = [{ name = "id", type = "integer" }]
"#;
        placed(
            &err(doc),
            "table_templates.owned.foreign_keys[0].references",
            at(doc, "references = \"acount\""),
            "table \"acount\" is not defined (did you mean \"account\"?) (from table template \"owned\", used by table \"note\")",
        );
        // A column named after its template, defined twice: at the template.
        let doc = r#"
[column_templates.id]
type = "bigint"

[[tables]]
name = "note"
columns = [{ name = "id", type = "integer" }, { template = "id" }]
"#;
        placed(
            &err(doc),
            "column_templates.id",
            at(doc, "id]"),
            "column \"id\" is defined twice in table \"note\" (from column template \"id\", used by table \"note\")",
        );
        // JSON: the template's place in JSON text.
        let doc = "{\"table_templates\": {\"t\": {\"checks\": [{\"sql\": \"  \"}]}},\n \"tables\": [{\"name\": \"a\", \"templates\": [\"t\"], \"columns\": [{\"name\": \"x\"}]}]}";
        placed(
            &err(doc),
            "table_templates.t.checks[0].sql",
            at(doc, "\"sql\""),
            "check constraint has empty `sql` (from table template \"t\", used by table \"a\")",
        );
    }

    #[test]
    fn a_table_template_used_twice_or_a_column_declared_twice_is_an_error() {
        let doc = format!(
            "{ID}{TIMESTAMPS}
[[tables]]
name = \"account\"
templates = [\"timestamps\", \"timestamps\"]
columns = [{{ template = \"id\" }}]
"
        );
        let e = err(&doc);
        placed(
            &e,
            "tables[0].templates[1]",
            Some((at(&doc, "templates = [").unwrap().0, 28)),
            "table \"account\" uses table template \"timestamps\" twice",
        );
        let doc = format!(
            "{ID}{TIMESTAMPS}
[[tables]]
name = \"account\"
templates = [\"timestamps\"]
columns = [{{ template = \"id\" }}, {{ name = \"updated_at\", type = \"date\" }}]
"
        );
        placed(
            &err(&doc),
            "tables[0].columns[1].name",
            at(&doc, "name = \"updated_at\", type = \"date\""),
            "table \"account\" declares column \"updated_at\", and so does table template \"timestamps\" it uses (table_templates.timestamps.columns[1])",
        );
        let doc = r#"
[table_templates.a]
columns = [{ name = "x" }, { name = "y" }]
[table_templates.b]
columns = [{ name = "y" }]
[[tables]]
name = "t"
templates = ["a", "b"]
columns = []
"#;
        placed(
            &err(doc),
            "tables[0].templates[1]",
            at(doc, "\"b\"]"),
            "table templates \"a\" and \"b\", both used by table \"t\", declare column \"y\"",
        );
        // Within one template, as within one table: the model's error.
        let doc = r#"
[table_templates.a]
columns = [{ name = "x" }, { name = "x" }]
[[tables]]
name = "t"
templates = ["a"]
columns = [{ name = "id" }]
"#;
        let e = err(doc);
        assert_eq!(
            e.place.path.as_deref(),
            Some("table_templates.a.columns[1].name"),
            "{e}"
        );
        assert!(
            e.message.starts_with("column \"x\" is defined twice"),
            "{e}"
        );
    }

    #[test]
    fn a_column_needs_a_name_or_a_template() {
        let doc = "[[tables]]\nname = \"t\"\ncolumns = [\n  { name = \"a\" },\n  { type = \"integer\" },\n]\n";
        let e = err(doc);
        placed(
            &e,
            "tables[0].columns[1]",
            Some((5, 3)),
            "missing field `name`",
        );
        assert!(e.help.as_deref().unwrap().contains("`template`"), "{e}");
        let doc = "[[tables]]\nname = \"t\"\n  [[tables.columns]]\n  type = \"integer\"\n";
        placed(
            &err(doc),
            "tables[0].columns[0]",
            Some((3, 3)),
            "missing field `name`",
        );
        let doc = "{\"tables\": [{\"name\": \"t\", \"columns\": [\n {\"type\": \"integer\"}]}]}";
        placed(
            &err(doc),
            "tables[0].columns[0]",
            Some((2, 2)),
            "missing field `name`",
        );
        // A table template's column without one: at the template.
        let doc = r#"
[table_templates.a]
columns = [{ type = "integer" }]
[[tables]]
name = "t"
templates = ["a"]
columns = [{ name = "id" }]
"#;
        placed(
            &err(doc),
            "table_templates.a.columns[0]",
            at(doc, "{ type"),
            "missing field `name` (from table template \"a\", used by table \"t\")",
        );
    }

    #[test]
    fn template_definitions_are_checked() {
        // Column templates are not made from others.
        let doc = r#"
[column_templates.id]
type = "bigint"
[column_templates.key]
template = "id"
[[tables]]
name = "t"
columns = [{ template = "key" }]
"#;
        placed(
            &err(doc),
            "column_templates.key.template",
            at(doc, "template = \"id\""),
            "column template \"key\" (used by table \"t\") uses column template \"id\": column templates are not made from others",
        );
        // A name must stand in a key path as it is.
        let doc = "[column_templates.\"a.b\"]\ntype = \"bigint\"\n[[tables]]\nname = \"t\"\ncolumns = [{ name = \"x\" }]\n";
        let e = err(doc);
        assert_eq!(e.place.line_col, Some((1, 19)), "{e}");
        assert!(
            e.message
                .starts_with("template name \"a.b\" is not allowed"),
            "{e}"
        );
        // Unknown keys, as anywhere in the document.
        let doc = "[table_templates.t]\ncolumn = []\n[[tables]]\nname = \"t\"\ncolumns = [{ name = \"x\" }]\n";
        let e = err(doc);
        assert_eq!(
            e.place.path.as_deref(),
            Some("table_templates.t.column"),
            "{e}"
        );
        assert_eq!(
            e.help.as_deref().map(|h| &h[..20]),
            Some("did you mean `column"),
            "{e}"
        );
        // A JSON key given twice.
        let doc = "{\"column_templates\": {\"id\": {}, \"id\": {}}, \"tables\": []}";
        let e = err(doc);
        assert_eq!(e.place.path.as_deref(), Some("column_templates.id"), "{e}");
        assert_eq!(e.message, "duplicate key `id`");
    }

    #[test]
    fn an_unused_template_is_no_error() {
        let doc = r#"
[column_templates.broken]
references = "not a reference"
[table_templates.broken]
uniques = [{ columns = ["nothing"] }]
[[tables]]
name = "t"
columns = [{ name = "x" }]
"#;
        assert_eq!(load(doc).unwrap().len(), 1);
    }

    #[test]
    fn a_table_without_templates_is_left_alone() {
        let text = r#"{"name": "t", "columns": [{"name": "a"}], "uniques": [{"columns": ["a"]}]}"#;
        let trail = Trail::default();
        let mut de = serde_json::Deserializer::from_str(text);
        let mut t = DocTable::read(&mut de, &trail).unwrap();
        let src = Source {
            text,
            format: Format::Json,
            name: "t",
            layout: None,
        };
        let templates = Templates::default();
        // No record, nothing added, nothing owned that was borrowed.
        let mut budget = 10;
        assert!(expand(&src, 0, &mut t, Some(&templates), &mut budget)
            .unwrap()
            .is_none());
        assert_eq!(budget, 10);
        assert_eq!((t.columns.len(), t.uniques.len()), (1, 1));
        assert!(matches!(t.name.0, Cow::Borrowed("t")));
        // And its errors are left where they are.
        let e = src.at("tables[0].columns[0].name".into(), "m".into(), "");
        let mut expanded = Expanded::default();
        assert_eq!(expanded.place(&src, e.clone()), e);
        expanded.insert(1, expand_one(&src));
        assert_eq!(expanded.place(&src, e.clone()), e);
    }

    /// The record of a table that used a template.
    fn expand_one(src: &Source<'_>) -> Origins {
        let text = r#"{"name": "u", "columns": [{"template": "c"}]}"#;
        let mut de = serde_json::Deserializer::from_str(text);
        let mut t = DocTable::read(&mut de, &Trail::default()).unwrap();
        let mut templates = Templates::default();
        templates.columns.insert(
            "c".into(),
            DocColumn::read(
                &mut serde_json::Deserializer::from_str("{}"),
                &Trail::default(),
            )
            .unwrap(),
        );
        let mut unbounded = usize::MAX;
        expand(src, 1, &mut t, Some(&templates), &mut unbounded)
            .unwrap()
            .unwrap()
    }

    #[test]
    fn each_use_of_a_template_is_charged_to_the_documents_budget() {
        let text = r#"{"name": "t", "templates": ["big"], "columns": [{"template": "c"}, {"template": "c"}]}"#;
        let src = Source {
            text,
            format: Format::Json,
            name: "t",
            layout: None,
        };
        let read = |text: &'static str| {
            let mut de = serde_json::Deserializer::from_str(text);
            DocTable::read(&mut de, &Trail::default()).unwrap()
        };
        let mut templates = Templates::default();
        let column = r#"{"comment": "0123456789"}"#;
        let mut de = serde_json::Deserializer::from_str(column);
        let c = DocColumn::read(&mut de, &Trail::default()).unwrap().owned();
        let one = c.weight();
        assert_eq!(one, std::mem::size_of::<DocColumn<'_>>() + 10);
        templates.columns.insert("c".into(), c);
        let big = r#"{"columns": [{"name": "x", "type": "integer"}]}"#;
        let mut de = serde_json::Deserializer::from_str(big);
        let big = DocTableTemplate::read(&mut de, &Trail::default())
            .unwrap()
            .owned();
        let whole = big.weight();
        templates.tables.insert("big".into(), big);
        // Enough for all three uses.
        let mut left = 2 * one + whole;
        expand(&src, 0, &mut read(text), Some(&templates), &mut left).unwrap();
        assert_eq!(left, 0);
        // One short: the table template, used last, is refused at its use.
        let mut left = 2 * one + whole - 1;
        let e = expand(&src, 0, &mut read(text), Some(&templates), &mut left).unwrap_err();
        assert_eq!(e.place.path.as_deref(), Some("tables[0].templates[0]"));
        assert!(
            e.message.starts_with("table \"t\" uses table template \"big\" past the limit of what templates may add to one document (64 MiB here"),
            "{e}"
        );
        // A large document may add more.
        assert_eq!(budget(1 << 20), 64 << 20);
        assert_eq!(budget(100 << 20), 6400 << 20);
    }

    #[test]
    fn a_document_cannot_expand_without_end() {
        // A column template of a megabyte, used by a hundred columns.
        let comment = "x".repeat(1 << 20);
        let uses = vec!["{ template = \"wide\" }"; 100].join(", ");
        let doc = format!(
            "[column_templates.wide]\ncomment = \"{comment}\"\n[[tables]]\nname = \"t\"\ncolumns = [{uses}]\n"
        );
        let e = err(&doc);
        let path = e.place.path.clone().unwrap_or_default();
        // The first use past the budget: about the 64th (a megabyte of
        // text and the column's room each, against 64 times the document's
        // size, a little over a megabyte).
        let each = (1 << 20) + std::mem::size_of::<DocColumn<'_>>();
        let first_past = budget(doc.len()) / each;
        assert!((60..70).contains(&first_past), "{first_past}");
        assert_eq!(
            path,
            format!("tables[0].columns[{first_past}].template"),
            "{e}"
        );
        assert_eq!(e.place.line_col.map(|(l, _)| l), Some(5), "{e}");
        assert!(
            e.help.as_deref().unwrap().contains("split the document"),
            "{e}"
        );
    }
}
