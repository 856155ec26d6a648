//! Final names for a dialect: shortening, length checks and collision detection.

use std::borrow::Cow;

use rustc_hash::FxHashMap as HashMap;

use serde::Serialize;

use super::error::{NamingError, ObjectDesc};
use super::limits::IdentifierLimit;
use crate::schema::{Kind, MetaData, Name, Table, TableRef};

/// Which names must be distinct from which, on one database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Namespaces {
    /// Kinds whose names share one namespace per schema.
    pub per_schema: &'static [Kind],
    /// Whether table and view names are in that per-schema namespace too.
    pub tables_in_schema_namespace: bool,
    /// Kinds whose names share one namespace per table.
    pub per_table: &'static [Kind],
    /// The schema of a table declared without one.
    pub default_schema: Option<&'static str>,
}

/// The naming rules of a dialect: its name, identifier limit and namespaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameRules {
    /// The dialect's name, for messages.
    pub dialect: String,
    /// The identifier limit.
    pub limit: IdentifierLimit,
    /// The namespaces.
    pub namespaces: Namespaces,
}

/// One constraint or index with its final name, as `nomenclator names` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NamedObject {
    /// The table's schema.
    pub schema: Option<String>,
    /// The table.
    pub table: String,
    /// `pk`, `fk`, `uq`, `ck` or `ix`.
    #[serde(serialize_with = "ser_kind")]
    pub kind: Kind,
    /// The column names (`[]` for a table-level check).
    pub columns: Vec<String>,
    /// The final name; `None` where the database chooses.
    pub name: Option<String>,
    /// For indexes: whether unique.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique: Option<bool>,
}

fn ser_kind<S: serde::Serializer>(k: &Kind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(k.key())
}

impl NameRules {
    /// The final name of `name`: generated names shortened to the limit,
    /// explicit and final names checked against it.
    pub fn finalize<'n>(
        &self,
        name: &'n Name,
        what: impl FnOnce() -> String,
    ) -> Result<Option<Cow<'n, str>>, NamingError> {
        match name {
            Name::Pending => Ok(None),
            Name::Generated { name, .. } => Ok(Some(self.limit.shorten(name))),
            Name::Explicit(n) | Name::Final(n) => {
                self.check_length(
                    n,
                    what,
                    ", or let a naming convention make (and shorten) it",
                )?;
                Ok(Some(Cow::Borrowed(n)))
            }
        }
    }

    /// Checks a table, column or explicit name against the limit.
    pub fn check_length(
        &self,
        name: &str,
        what: impl FnOnce() -> String,
        hint: &'static str,
    ) -> Result<(), NamingError> {
        if self.limit.fits(name) {
            return Ok(());
        }
        Err(NamingError::TooLong {
            what: what(),
            name: name.to_owned(),
            length: self.limit.length(name),
            unit: self.limit.unit_name(),
            limit: self.limit.max.unwrap_or(usize::MAX),
            dialect: self.dialect.clone(),
            hint,
        })
    }
}

/// Every constraint and index of `md` with its final name under `rules`,
/// table by table (primary key, other constraints, indexes, in attachment
/// order). Fails on names over the limit, unnamed indexes and collisions.
pub fn final_names(md: &MetaData, rules: &NameRules) -> Result<Vec<NamedObject>, NamingError> {
    let mut out = Vec::new();
    visit_final_names(md, rules, |t, kind, columns, unique, name| {
        out.push(NamedObject {
            schema: t.schema.clone(),
            table: t.name.clone(),
            kind,
            columns: columns.to_vec(),
            name: name.map(str::to_owned),
            unique,
        });
    })?;
    Ok(out)
}

/// Checks what [`final_names`] checks (limits, unnamed indexes, collisions)
/// without listing the names: DDL calls this before rendering.
pub fn check_final_names(md: &MetaData, rules: &NameRules) -> Result<(), NamingError> {
    visit_final_names(md, rules, |_, _, _, _, _| {})
}

/// Where a name was first seen, kept by reference; described only for a
/// collision error.
#[derive(Clone, Copy)]
enum Seen<'m> {
    Relation(Option<&'m str>, &'m str),
    Object(&'m Table, Kind, &'m [String]),
}

impl Seen<'_> {
    fn desc(self) -> ObjectDesc {
        match self {
            Seen::Relation(schema, name) => ObjectDesc {
                table: TableRef::new(schema, name),
                kind: None,
                columns: vec![],
            },
            Seen::Object(t, kind, columns) => ObjectDesc {
                table: t.key(),
                kind: Some(kind),
                columns: columns.to_vec(),
            },
        }
    }
}

/// Calls `f` for every constraint and index of `md` with its final name,
/// in [`final_names`] order, after checking it. Names are borrowed from the
/// metadata; only shortened names are new strings.
fn visit_final_names<'m>(
    md: &'m MetaData,
    rules: &NameRules,
    mut f: impl FnMut(&'m Table, Kind, &'m [String], Option<bool>, Option<&str>),
) -> Result<(), NamingError> {
    let ns = &rules.namespaces;
    let schema_of = |s: &'m Option<String>| s.as_deref().or(ns.default_schema);
    let collide =
        |name: &str, first: Seen<'_>, second: Seen<'_>, scope: String| NamingError::Collision {
            name: name.to_owned(),
            first: Box::new(first.desc()),
            second: Box::new(second.desc()),
            scope,
            dialect: rules.dialect.clone(),
        };
    let mut per_schema: HashMap<(Option<&'m str>, Cow<'m, str>), Seen<'m>> = HashMap::default();
    if ns.tables_in_schema_namespace {
        for v in md.views() {
            let seen = Seen::Relation(v.schema.as_deref(), &v.name);
            per_schema.insert((schema_of(&v.schema), Cow::Borrowed(&v.name)), seen);
        }
        for t in md.tables() {
            let seen = Seen::Relation(t.schema.as_deref(), &t.name);
            let key = (schema_of(&t.schema), Cow::Borrowed(t.name.as_str()));
            if let Some(&first) = per_schema.get(&key) {
                return Err(collide(
                    &t.name,
                    first,
                    seen,
                    "tables, views and indexes share one namespace per schema".into(),
                ));
            }
            per_schema.insert(key, seen);
        }
    }
    let per_table_scope = || {
        format!(
            "names of {} must differ within a table",
            kinds(ns.per_table)
        )
    };
    let per_schema_scope = || {
        let what = if ns.tables_in_schema_namespace {
            "tables and "
        } else {
            ""
        };
        format!(
            "{what}names of {} share one namespace per schema",
            kinds(ns.per_schema)
        )
    };
    let mut per_table: HashMap<Cow<'m, str>, Seen<'m>> = HashMap::default();
    for t in md.tables() {
        per_table.clear();
        let pk = t
            .primary_key()
            .map(|pk| (Kind::PrimaryKey, &pk.name, pk.columns(), None));
        let constraints = t
            .constraints()
            .iter()
            .map(|c| (c.kind(), c.name(), c.columns(), None));
        let indexes = t
            .indexes()
            .iter()
            .map(|ix| (Kind::Index, &ix.name, ix.columns(), Some(ix.is_unique())));
        for (kind, name, columns, unique) in pk.into_iter().chain(constraints).chain(indexes) {
            let final_name =
                rules.finalize(name, || Seen::Object(t, kind, columns).desc().to_string())?;
            let Some(n) = final_name else {
                if kind == Kind::Index {
                    return Err(NamingError::IndexWithoutName {
                        table: t.key(),
                        columns: columns.to_vec(),
                    });
                }
                f(t, kind, columns, unique, None);
                continue;
            };
            f(t, kind, columns, unique, Some(&n));
            let seen = Seen::Object(t, kind, columns);
            if ns.per_table.contains(&kind) {
                if let Some(&first) = per_table.get(&n) {
                    return Err(collide(&n, first, seen, per_table_scope()));
                }
                per_table.insert(n.clone(), seen);
            }
            if ns.per_schema.contains(&kind) {
                let key = (schema_of(&t.schema), n);
                if let Some(&first) = per_schema.get(&key) {
                    return Err(collide(&key.1, first, seen, per_schema_scope()));
                }
                per_schema.insert(key, seen);
            }
        }
    }
    Ok(())
}

/// Checks schema, table, view and column names against the limit. DDL calls
/// this before rendering: PostgreSQL would silently cut a longer name.
/// ([`final_names`] does not: it lists constraint and index names, which
/// SQLAlchemy reports for such documents too.)
pub fn check_identifier_lengths(md: &MetaData, rules: &NameRules) -> Result<(), NamingError> {
    let hint = "; the database would cut or refuse it";
    for t in md.tables() {
        if let Some(s) = &t.schema {
            rules.check_length(s, || "schema".into(), hint)?;
        }
        rules.check_length(&t.name, || "table".into(), hint)?;
        for c in t.columns() {
            rules.check_length(&c.name, || format!("column of table \"{}\"", t.key()), hint)?;
        }
    }
    for v in md.views() {
        rules.check_length(&v.name, || "view".into(), hint)?;
    }
    Ok(())
}

fn kinds(k: &[Kind]) -> String {
    k.iter().map(|k| k.key()).collect::<Vec<_>>().join("/")
}
