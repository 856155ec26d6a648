//! Final names for a dialect: shortening, length checks and collision detection.

use std::collections::HashMap;

use serde::Serialize;

use super::error::{NamingError, ObjectDesc};
use super::limits::IdentifierLimit;
use crate::schema::{Kind, MetaData, Name, TableRef};

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
    pub fn finalize(
        &self,
        name: &Name,
        what: impl FnOnce() -> String,
    ) -> Result<Option<String>, NamingError> {
        match name {
            Name::Pending => Ok(None),
            Name::Generated { name, .. } => Ok(Some(self.limit.shorten(name))),
            Name::Explicit(n) | Name::Final(n) => {
                self.check_length(
                    n,
                    what,
                    ", or let a naming convention make (and shorten) it",
                )?;
                Ok(Some(n.clone()))
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
    let ns = &rules.namespaces;
    let mut per_schema: HashMap<(Option<String>, String), ObjectDesc> = HashMap::new();
    let schema_of = |s: &Option<String>| s.clone().or_else(|| ns.default_schema.map(str::to_owned));
    let collide = |name: &str, first: &ObjectDesc, second: ObjectDesc, scope: String| {
        NamingError::Collision {
            name: name.to_owned(),
            first: Box::new(first.clone()),
            second: Box::new(second),
            scope,
            dialect: rules.dialect.clone(),
        }
    };
    for v in md.views() {
        if ns.tables_in_schema_namespace {
            let d = ObjectDesc {
                table: TableRef::new(v.schema.as_deref(), &v.name),
                kind: None,
                columns: vec![],
            };
            per_schema.insert((schema_of(&v.schema), v.name.clone()), d);
        }
    }
    for t in md.tables() {
        let key = t.key();
        if ns.tables_in_schema_namespace {
            let d = ObjectDesc {
                table: key.clone(),
                kind: None,
                columns: vec![],
            };
            if let Some(first) = per_schema.get(&(schema_of(&t.schema), t.name.clone())) {
                return Err(collide(
                    &t.name,
                    first,
                    d,
                    "tables, views and indexes share one namespace per schema".into(),
                ));
            }
            per_schema.insert((schema_of(&t.schema), t.name.clone()), d);
        }
    }
    // Objects are remembered by their position in `out`; their description
    // is only built for an error (cloning it for every object cost a third
    // of this function on large schemas).
    let desc_of = |o: &NamedObject| ObjectDesc {
        table: TableRef::new(o.schema.as_deref(), &o.table),
        kind: Some(o.kind),
        columns: o.columns.clone(),
    };
    let mut per_schema_obj: HashMap<(Option<String>, String), usize> = HashMap::new();
    let mut per_table: HashMap<String, usize> = HashMap::new();
    for t in md.tables() {
        per_table.clear();
        let mut items: Vec<(Kind, &Name, &[String], Option<bool>)> =
            Vec::with_capacity(t.constraints().len() + t.indexes().len() + 1);
        if let Some(pk) = t.primary_key() {
            items.push((Kind::PrimaryKey, &pk.name, pk.columns(), None));
        }
        for c in t.constraints() {
            items.push((c.kind(), c.name(), c.columns(), None));
        }
        for ix in t.indexes() {
            items.push((Kind::Index, &ix.name, ix.columns(), Some(ix.is_unique())));
        }
        for (kind, name, columns, unique) in items {
            let final_name = rules.finalize(name, || {
                ObjectDesc {
                    table: t.key(),
                    kind: Some(kind),
                    columns: columns.to_vec(),
                }
                .to_string()
            })?;
            if kind == Kind::Index && final_name.is_none() {
                return Err(NamingError::IndexWithoutName {
                    table: t.key(),
                    columns: columns.to_vec(),
                });
            }
            let idx = out.len();
            out.push(NamedObject {
                schema: t.schema.clone(),
                table: t.name.clone(),
                kind,
                columns: columns.to_vec(),
                name: final_name,
                unique,
            });
            let Some(n) = out[idx].name.as_deref() else {
                continue;
            };
            if ns.per_table.contains(&kind) {
                if let Some(&first) = per_table.get(n) {
                    return Err(collide(
                        n,
                        &desc_of(&out[first]),
                        desc_of(&out[idx]),
                        format!(
                            "names of {} must differ within a table",
                            kinds(ns.per_table)
                        ),
                    ));
                }
                per_table.insert(n.to_owned(), idx);
            }
            if ns.per_schema.contains(&kind) {
                let k = (schema_of(&t.schema), n.to_owned());
                let first = per_schema
                    .get(&k)
                    .cloned()
                    .or_else(|| per_schema_obj.get(&k).map(|&f| desc_of(&out[f])));
                if let Some(first) = first {
                    let what = if ns.tables_in_schema_namespace {
                        "tables and "
                    } else {
                        ""
                    };
                    let scope = format!(
                        "{what}names of {} share one namespace per schema",
                        kinds(ns.per_schema)
                    );
                    return Err(collide(n, &first, desc_of(&out[idx]), scope));
                }
                per_schema_obj.insert(k, idx);
            }
        }
    }
    Ok(out)
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
