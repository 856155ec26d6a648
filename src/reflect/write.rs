//! A [`Catalog`] written as a schema document (`spec/schema-format.md`).
//!
//! The document reads like one a person would write: portable type names
//! where they say exactly what the server has, column-level `primary_key`,
//! `unique`, `index` and `references` where an unnamed key says the same
//! thing, and tables, columns and objects in a stable order. With
//! conventions, a name is left out wherever the convention gives exactly
//! that name (or, adopting, wherever it can give one at all); the document
//! is then loaded back to check that every left-out name comes back.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use serde::Serialize;

use super::catalog::{Catalog, CatalogColumn, CatalogIndex, CatalogKey, CatalogTable, IndexPart};
use crate::dialect::{self, Dialect};
use crate::document::{load_str, DocumentError, Format, LoadOptions};
use crate::naming::{final_names_unchecked, IdentifierLimit, NameRules, NamedObject, NamingError};
use crate::plugin::Plugins;
use crate::schema::{ColumnType, DialectKind, Kind};

/// How to write a catalog as a document.
#[derive(Clone, Debug)]
pub struct WriteOptions {
    /// TOML (`[[tables]]` blocks) or JSON (indented).
    pub format: Format,
    /// Convention packs for the document's `conventions`; names they give
    /// are left out.
    pub conventions: Vec<String>,
    /// Inline templates (`naming_convention`), key (`pk`, `fk`, `uq`, `ck`,
    /// `ix`) and template, applied over the packs.
    pub naming_convention: Vec<(String, String)>,
    /// Leave out every name the conventions can give, whether or not it is
    /// the database's (for adopting a convention with `migrate`).
    pub adopt: bool,
    /// The plugins the packs may ask for.
    pub plugins: Plugins,
    /// Where relative pack paths start.
    pub base: Option<PathBuf>,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            format: Format::Toml,
            conventions: Vec::new(),
            naming_convention: Vec::new(),
            adopt: false,
            plugins: Plugins::default(),
            base: None,
        }
    }
}

/// An error while writing a catalog as a document.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The catalog's dialect is not known.
    #[error("unknown dialect {0:?}")]
    Dialect(String),
    /// The written document did not load back (for example, a pack that
    /// does not exist).
    #[error("the reflected document does not load: {0}")]
    Load(#[from] DocumentError),
    /// The names of the loaded document could not be finalised.
    #[error("the reflected document cannot be named: {0}")]
    Naming(#[from] NamingError),
    /// The document could not be serialised.
    #[error("the reflected document could not be written: {0}")]
    Serialize(String),
}

#[derive(Serialize)]
struct OutDoc {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    conventions: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    naming_convention: BTreeMap<String, String>,
    tables: Vec<OutTable>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    views: Vec<OutView>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ddl: Vec<OutDdl>,
}

#[derive(Serialize)]
struct OutTable {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
    columns: Vec<OutColumn>,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_key: Option<OutKey>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    foreign_keys: Vec<OutForeignKey>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    uniques: Vec<OutKey>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    checks: Vec<OutCheck>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    indexes: Vec<OutIndex>,
}

fn no(b: &bool) -> bool {
    !*b
}

#[derive(Serialize, Default)]
struct OutColumn {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    nullable: Option<bool>,
    #[serde(skip_serializing_if = "no")]
    primary_key: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    autoincrement: Option<bool>,
    #[serde(skip_serializing_if = "no")]
    unique: bool,
    #[serde(skip_serializing_if = "no")]
    index: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    default: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    check: Option<OutCheck>,
    #[serde(skip_serializing_if = "Option::is_none")]
    references: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    on_delete: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    on_update: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: Option<String>,
}

#[derive(Serialize)]
struct OutKey {
    columns: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    convention: Option<bool>,
}

#[derive(Serialize)]
struct OutForeignKey {
    columns: Vec<String>,
    references: String,
    referred_columns: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    convention: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    on_delete: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    on_update: Option<String>,
}

#[derive(Serialize)]
struct OutCheck {
    sql: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    convention: Option<bool>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum OutPart {
    Column(String),
    Expression { expression: String },
}

#[derive(Serialize)]
struct OutIndex {
    columns: Vec<OutPart>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    convention: Option<bool>,
    #[serde(skip_serializing_if = "no")]
    unique: bool,
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    predicate: Option<String>,
}

#[derive(Serialize)]
struct OutView {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema: Option<String>,
    sql: String,
}

#[derive(Serialize)]
struct OutDdl {
    when: &'static str,
    sql: String,
    dialects: Vec<String>,
}

/// How an object's name is written.
#[derive(Clone, Debug, PartialEq, Eq)]
enum State {
    /// Left out: the conventions give it.
    Omit,
    /// Written: the conventions keep it, or wrap it (`constraint_name`) into the database's.
    Named(String),
    /// Written with `convention = false` (`None`: unnamed).
    Final(Option<String>),
}

/// The state of each object's name.
type Names = HashMap<ObjectId, State>;

/// Each object's final name in a trial document.
type Predicted = HashMap<ObjectId, Option<String>>;

/// How the conventions treat an object's explicit name.
enum Treatment {
    /// They keep it (no template, or one without `constraint_name`).
    Keeps,
    /// They wrap it: the text before and after (`ck_t_` and `` for
    /// `ck_%(table_name)s_%(constraint_name)s`).
    Wraps(String, String),
    /// They put another name in its place, or none.
    Other(Option<String>),
}

/// The name a wrapping template wraps to give `actual`, if it does.
fn wrapped_name<'n>(pre: &str, post: &str, actual: &'n str) -> Option<&'n str> {
    actual
        .strip_prefix(pre)
        .and_then(|m| m.strip_suffix(post))
        .filter(|m| !m.is_empty())
}

/// A name no database object has, unique for `n`.
fn sentinel(n: usize) -> String {
    format!("nmclsentinel{n}x")
}

/// One nameable object of the catalog: table position, kind, position in
/// its list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct ObjectId(usize, Kind, usize);

/// Writes `catalog` as a schema document.
///
/// Without conventions every name is written. With
/// [`WriteOptions::conventions`], a name is left out where the conventions
/// give exactly it; the document is loaded back to make sure.
pub fn write_document(catalog: &Catalog, options: &WriteOptions) -> Result<String, WriteError> {
    let w = Writer::new(catalog, options)?;
    let mut states: Names = HashMap::new();
    if !options.conventions.is_empty() || !options.naming_convention.is_empty() {
        let mut can_omit = Vec::new();
        for (id, treatment) in w.treatments()? {
            let state = match (treatment, w.actual(id)) {
                // Unnamed, and no name for the template to wrap: it stays
                // unnamed (`convention = false`).
                (Treatment::Wraps(..), None) => State::Final(None),
                // Adopting: an unnamed object takes the convention's name.
                (_, None) if options.adopt => State::Omit,
                (_, None) => State::Final(None),
                (Treatment::Keeps, Some(a)) => {
                    can_omit.push(id);
                    State::Named(a.to_owned())
                }
                (Treatment::Wraps(pre, post), Some(a)) => match wrapped_name(&pre, &post, a) {
                    Some(inner) => State::Named(inner.to_owned()),
                    // Shortened by the limit: it follows the convention, and
                    // the name it wrapped is gone.
                    None if w.shortened_wrap(&pre, a) => State::Final(Some(a.to_owned())),
                    // Adopting: the name the database has becomes the part
                    // the template wraps (`ck_<table>_<name>`).
                    None if options.adopt => State::Named(a.to_owned()),
                    None => State::Final(Some(a.to_owned())),
                },
                (Treatment::Other(_), Some(a)) => State::Final(Some(a.to_owned())),
            };
            states.insert(id, state);
        }
        // What the conventions name when those objects are unnamed.
        let mut trial = states.clone();
        for id in &can_omit {
            trial.insert(*id, State::Omit);
        }
        let predicted = w.predict(&trial)?;
        for id in &can_omit {
            let p = predicted.get(id).and_then(Option::as_deref);
            let ok = match p {
                None => false,
                Some(p) => options.adopt || Some(p) == w.actual(*id),
            };
            if ok {
                states.insert(*id, State::Omit);
            }
        }
        if options.adopt {
            keep_names_alike(&w, &mut states)?;
        } else {
            // Naming one object can change another's (numbering): load the
            // document back until every name comes back as the database's.
            for _ in 0..8 {
                let got = w.predict(&states)?;
                let wrong: Vec<ObjectId> = got
                    .iter()
                    .filter(|(id, n)| n.as_deref() != w.actual(**id))
                    .map(|(id, _)| *id)
                    .collect();
                if wrong.is_empty() {
                    break;
                }
                for id in wrong {
                    let a = w.actual(id).map(str::to_owned);
                    let next = match states.get(&id) {
                        Some(State::Omit) if can_omit.contains(&id) => {
                            State::Named(a.unwrap_or_default())
                        }
                        _ => State::Final(a),
                    };
                    states.insert(id, next);
                }
            }
        }
    }
    let doc = w.document(&states);
    match options.format {
        Format::Json => serde_json::to_string_pretty(&doc)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|e| WriteError::Serialize(e.to_string())),
        Format::Toml => toml::to_string(&doc).map_err(|e| WriteError::Serialize(e.to_string())),
    }
}

/// Adopting: objects of a table the conventions would name alike (two
/// indexes on the same columns, which real databases have) cannot both
/// take that name. One does (the one that has it already, else the first);
/// the others keep the names they have.
fn keep_names_alike(w: &Writer<'_>, states: &mut Names) -> Result<(), WriteError> {
    for _ in 0..4 {
        let got = w.predict(states)?;
        let mut groups: HashMap<(usize, &str), Vec<ObjectId>> = HashMap::new();
        let ids: Vec<ObjectId> = w.objects().collect();
        for id in &ids {
            if let Some(Some(n)) = got.get(id) {
                groups.entry((id.0, n.as_str())).or_default().push(*id);
            }
        }
        let mut changed = false;
        for ((_, name), group) in groups.iter().filter(|(_, g)| g.len() > 1) {
            let keeper = group
                .iter()
                .position(|id| w.actual(*id) == Some(*name))
                .unwrap_or(0);
            for (k, id) in group.iter().enumerate() {
                if k == keeper || states.get(id) != Some(&State::Omit) {
                    continue;
                }
                if let Some(a) = w.actual(*id) {
                    states.insert(*id, State::Final(Some(a.to_owned())));
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    Ok(())
}

struct Writer<'a> {
    catalog: &'a Catalog,
    d: &'static dyn Dialect,
    options: &'a WriteOptions,
}

impl<'a> Writer<'a> {
    fn new(catalog: &'a Catalog, options: &'a WriteOptions) -> Result<Self, WriteError> {
        let d = dialect::by_name(&catalog.dialect)
            .ok_or_else(|| WriteError::Dialect(catalog.dialect.clone()))?;
        Ok(Writer {
            catalog,
            d,
            options,
        })
    }

    /// Every nameable object.
    fn objects(&self) -> impl Iterator<Item = ObjectId> + '_ {
        self.catalog.tables.iter().enumerate().flat_map(|(ti, t)| {
            // A MySQL primary key is always `PRIMARY`: not a name to give.
            let pk = t
                .primary_key
                .iter()
                .filter(|_| !self.mysql())
                .map(move |_| ObjectId(ti, Kind::PrimaryKey, 0));
            let fk = (0..t.foreign_keys.len()).map(move |i| ObjectId(ti, Kind::ForeignKey, i));
            let uq = (0..t.uniques.len()).map(move |i| ObjectId(ti, Kind::Unique, i));
            let ck = self
                .checks(t)
                .into_iter()
                .map(move |i| ObjectId(ti, Kind::Check, i));
            let ix = self
                .indexes(t)
                .into_iter()
                .map(move |i| ObjectId(ti, Kind::Index, i));
            pk.chain(fk).chain(uq).chain(ck).chain(ix)
        })
    }

    /// Whether the catalog is a MySQL or MariaDB one.
    fn mysql(&self) -> bool {
        matches!(self.d.kind(), DialectKind::MySql | DialectKind::MariaDb)
    }

    /// The positions of the indexes the document writes: on MySQL and
    /// MariaDB, an index a foreign key made for itself comes back with the
    /// key and is left out. The server makes one, named after the
    /// constraint and on exactly its columns, when no index starts with
    /// them; an index of another name (the server names the one it makes
    /// for an unnamed key after its first column) or on more columns is
    /// written, and the key then uses it again.
    fn indexes(&self, t: &CatalogTable) -> Vec<usize> {
        let fk_made = |ix: &CatalogIndex| {
            self.mysql()
                && !ix.unique
                && ix.predicate.is_none()
                && t.foreign_keys.iter().any(|fk| {
                    fk.name.as_deref() == Some(ix.name.as_str())
                        && ix.parts.len() == fk.columns.len()
                        && fk
                            .columns
                            .iter()
                            .zip(&ix.parts)
                            .all(|(c, p)| *p == IndexPart::Column(c.clone()))
                })
        };
        (0..t.indexes.len())
            .filter(|&i| !fk_made(&t.indexes[i]))
            .collect()
    }

    /// The positions of the checks the document writes: a check that only
    /// says what the column's type is (MariaDB's `json_valid(col)` named
    /// after a JSON column) comes back with the type and is left out.
    ///
    /// A column-level check of MariaDB (named after its column by the
    /// server, which takes no name for it) is written on its column, and is
    /// not a table's check either.
    fn checks(&self, t: &CatalogTable) -> Vec<usize> {
        (0..t.checks.len())
            .filter(|&i| self.type_check_of(t, i).is_none() && self.column_check_of(t, i).is_none())
            .collect()
    }

    /// The column `t.checks[i]` is the column-level check of: on MySQL and
    /// MariaDB, a check named as a column of its table. (MariaDB names a
    /// column's check after the column; a table's check so named comes
    /// back the same when written on the column.)
    fn column_check_of<'t>(&self, t: &'t CatalogTable, i: usize) -> Option<&'t str> {
        if !self.mysql() {
            return None;
        }
        let column = t.column(t.checks[i].name.as_deref()?)?;
        Some(column.name.as_str())
    }

    /// The column `t.checks[i]` is declared on and written on, where the
    /// catalog says (not MySQL's, see [`Self::column_check_of`]).
    fn declared_column<'t>(&self, t: &'t CatalogTable, i: usize) -> Option<&'t str> {
        let name = t.checks[i].column.as_deref()?;
        (!self.mysql() && t.column(name).is_some()).then_some(name)
    }

    /// The column whose type check `t.checks[i]` is, and that type.
    fn type_check_of<'t>(&self, t: &'t CatalogTable, i: usize) -> Option<(&'t str, ColumnType)> {
        let (column, ty) = t.type_check(i, self.type_reader())?;
        Some((column.name.as_str(), ty))
    }

    /// The dialect that reads the catalog's types: MariaDB's for a MySQL
    /// catalog too (MySQL has its own JSON type, so MariaDB's reading of
    /// `longtext` with a `json_valid` check never applies there).
    fn type_reader(&self) -> &'static dyn Dialect {
        if self.mysql() {
            dialect::for_kind(DialectKind::MariaDb)
        } else {
            self.d
        }
    }

    /// The database's name for an object.
    fn actual(&self, ObjectId(ti, kind, i): ObjectId) -> Option<&str> {
        let t = &self.catalog.tables[ti];
        match kind {
            Kind::PrimaryKey => t.primary_key.as_ref()?.name.as_deref(),
            Kind::ForeignKey => t.foreign_keys[i].name.as_deref(),
            Kind::Unique => t.uniques[i].name.as_deref(),
            Kind::Check => t.checks[i].name.as_deref(),
            Kind::Index => Some(&t.indexes[i].name),
        }
    }

    /// The final names of the objects when they are written as `states`
    /// says.
    fn predict(&self, states: &Names) -> Result<Predicted, WriteError> {
        self.predict_under(states, &self.d.name_rules(None))
    }

    /// [`Self::predict`] under `rules` (another identifier limit).
    fn predict_under(&self, states: &Names, rules: &NameRules) -> Result<Predicted, WriteError> {
        let doc = self.document(states);
        let json = serde_json::to_string(&doc).map_err(|e| WriteError::Serialize(e.to_string()))?;
        let mut load = LoadOptions::new().format(Format::Json).name("<reflected>");
        load.plugins = self.options.plugins.clone();
        load.base = self.options.base.clone();
        let md = load_str(&json, &load)?;
        let names = final_names_unchecked(&md, rules)?;
        Ok(self.match_names(&names))
    }

    /// Pairs named objects of a loaded document with the catalog's: by
    /// table and kind, then by columns, then in order.
    fn match_names(&self, names: &[NamedObject]) -> Predicted {
        // The loaded objects of each (schema, table, kind), in order.
        let mut groups: HashMap<(Option<&str>, &str, Kind), Vec<usize>> = HashMap::new();
        for (j, n) in names.iter().enumerate() {
            groups
                .entry((n.schema.as_deref(), n.table.as_str(), n.kind))
                .or_default()
                .push(j);
        }
        let mut used = vec![false; names.len()];
        let mut out = HashMap::new();
        let mut pending = Vec::new();
        let group = |id: ObjectId| {
            let t = &self.catalog.tables[id.0];
            groups.get(&(t.schema.as_deref(), t.name.as_str(), id.1))
        };
        for id in self.objects() {
            let cols = Some(self.columns(id));
            let hit = group(id).and_then(|g| {
                g.iter()
                    .copied()
                    .find(|&j| !used[j] && cols.as_ref() == Some(&names[j].columns))
            });
            match hit {
                Some(j) => {
                    used[j] = true;
                    out.insert(id, names[j].name.clone());
                }
                None => pending.push(id),
            }
        }
        for id in pending {
            if let Some(j) = group(id).and_then(|g| g.iter().copied().find(|&j| !used[j])) {
                used[j] = true;
                out.insert(id, names[j].name.clone());
            }
        }
        out
    }

    /// An object's columns as `names` lists them: an expression part as
    /// its text; `[]` for a check.
    fn columns(&self, ObjectId(ti, kind, i): ObjectId) -> Vec<String> {
        let t = &self.catalog.tables[ti];
        match kind {
            Kind::PrimaryKey => t
                .primary_key
                .as_ref()
                .map(|k| k.columns.clone())
                .unwrap_or_default(),
            Kind::ForeignKey => t.foreign_keys[i].columns.clone(),
            Kind::Unique => t.uniques[i].columns.clone(),
            Kind::Check => self
                .declared_column(t, i)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            Kind::Index => t.indexes[i]
                .parts
                .iter()
                .map(|p| match p {
                    IndexPart::Column(c) | IndexPart::Expression(c) => c.clone(),
                })
                .collect(),
        }
    }

    /// How the conventions treat an explicit name, for each object: one
    /// trial document names every object with a sentinel of its own. The
    /// trial has no length limit, so that a long table's name, shortened,
    /// still shows the template around the sentinel; a name put in its
    /// place is the one under the dialect's limit.
    fn treatments(&self) -> Result<Vec<(ObjectId, Treatment)>, WriteError> {
        let all: Vec<ObjectId> = self.objects().collect();
        let sentinels: Names = all
            .iter()
            .enumerate()
            .map(|(n, id)| (*id, State::Named(sentinel(n))))
            .collect();
        let mut unlimited = self.d.name_rules(None);
        unlimited.limit = IdentifierLimit::NONE;
        let mut got = self.predict_under(&sentinels, &unlimited)?;
        let mut limited = None;
        let mut out = Vec::with_capacity(all.len());
        for (n, id) in all.into_iter().enumerate() {
            let s = sentinel(n);
            let treatment = match got.remove(&id).flatten() {
                Some(g) if g == s => Treatment::Keeps,
                Some(g) => match g.split_once(&s) {
                    Some((pre, post)) => Treatment::Wraps(pre.to_owned(), post.to_owned()),
                    None => {
                        if limited.is_none() {
                            limited = Some(self.predict(&sentinels)?);
                        }
                        let g = limited.as_mut().and_then(|l| l.remove(&id).flatten());
                        Treatment::Other(g)
                    }
                },
                None => Treatment::Other(None),
            };
            out.push((id, treatment));
        }
        Ok(out)
    }

    /// Whether `actual` is a name a template beginning with `pre` gave
    /// and the dialect's limit shortened (the first units, `_` and four hex
    /// digits of an MD5): the name it wrapped cannot be read back, but it
    /// follows the convention.
    fn shortened_wrap(&self, pre: &str, actual: &str) -> bool {
        self.d
            .identifier_limit()
            .shortened_start(actual)
            .is_some_and(|start| start.starts_with(pre) || pre.starts_with(start))
    }

    /// The document, each object's name written as `states` says (written
    /// as it is where it has no state).
    fn document(&self, states: &Names) -> OutDoc {
        let c = self.catalog;
        let tables = c
            .tables
            .iter()
            .enumerate()
            .map(|(ti, t)| self.table(ti, t, states))
            .collect();
        let views = order_views(&c.views)
            .into_iter()
            .map(|v| OutView {
                name: v.name.clone(),
                schema: v.schema.clone(),
                sql: v.sql.clone(),
            })
            .collect();
        let dialects = vec![c.dialect.clone()];
        let mut ddl: Vec<OutDdl> = Vec::new();
        for x in c.carried.iter().filter(|x| x.before_tables) {
            ddl.push(OutDdl {
                when: "before_create",
                sql: x.create.clone(),
                dialects: dialects.clone(),
            });
        }
        for x in c.carried.iter().filter(|x| !x.before_tables) {
            ddl.push(OutDdl {
                when: "after_create",
                sql: x.create.clone(),
                dialects: dialects.clone(),
            });
        }
        for x in c.carried.iter().filter(|x| !x.before_tables).rev() {
            if let Some(drop) = &x.drop {
                ddl.push(OutDdl {
                    when: "before_drop",
                    sql: drop.clone(),
                    dialects: dialects.clone(),
                });
            }
        }
        for x in c.carried.iter().filter(|x| x.before_tables).rev() {
            if let Some(drop) = &x.drop {
                ddl.push(OutDdl {
                    when: "after_drop",
                    sql: drop.clone(),
                    dialects: dialects.clone(),
                });
            }
        }
        OutDoc {
            conventions: self.options.conventions.clone(),
            naming_convention: self.options.naming_convention.iter().cloned().collect(),
            tables,
            views,
            ddl,
        }
    }

    fn table(&self, ti: usize, t: &CatalogTable, states: &Names) -> OutTable {
        // The name to write and `convention = false`, for each object.
        let name = |kind, i, n: &Option<String>| -> (Option<String>, Option<bool>) {
            match states.get(&ObjectId(ti, kind, i)) {
                None => (n.clone(), None),
                Some(State::Omit) => (None, None),
                Some(State::Named(x)) => (Some(x.clone()), None),
                Some(State::Final(x)) => (x.clone(), Some(false)),
            }
        };
        let mut columns: Vec<OutColumn> = t.columns.iter().map(|c| self.column(t, c)).collect();
        let col = |columns: &mut Vec<OutColumn>, n: &str| columns.iter().position(|c| c.name == n);

        // The primary key: on its columns when unnamed and in column order.
        let mut primary_key = None;
        if let Some(pk) = &t.primary_key {
            let (pk_name, pk_conv) = name(Kind::PrimaryKey, 0, &pk.name);
            let positions: Vec<Option<usize>> =
                pk.columns.iter().map(|c| col(&mut columns, c)).collect();
            let in_order = positions.windows(2).all(|w| w[0] < w[1]);
            if pk_name.is_none()
                && pk_conv.is_none()
                && in_order
                && positions.iter().all(Option::is_some)
            {
                for p in positions.into_iter().flatten() {
                    columns[p].primary_key = true;
                    columns[p].nullable = None;
                }
            } else {
                for p in positions.into_iter().flatten() {
                    columns[p].nullable = None;
                }
                primary_key = Some(OutKey {
                    columns: pk.columns.clone(),
                    name: pk_name,
                    convention: pk_conv,
                });
            }
        }
        // Auto-increment as the model decides it.
        let auto = self.model_auto_increment(t);
        for (c, out) in t.columns.iter().zip(columns.iter_mut()) {
            if auto == Some(c.name.as_str()) && !c.auto_increment {
                out.autoincrement = Some(false);
            }
        }

        let mut foreign_keys = Vec::new();
        for (i, fk) in t.foreign_keys.iter().enumerate() {
            let (fk_name, fk_conv) = name(Kind::ForeignKey, i, &fk.name);
            let references = match &fk.referred_schema {
                Some(s) => format!("{s}.{}", fk.referred_table),
                None => fk.referred_table.clone(),
            };
            if let ([c], [rc], None, None) =
                (&fk.columns[..], &fk.referred_columns[..], &fk_name, fk_conv)
            {
                if let Some(p) = col(&mut columns, c) {
                    if columns[p].references.is_none() {
                        columns[p].references = Some(format!("{references}.{rc}"));
                        columns[p].on_delete = fk.on_delete.clone();
                        columns[p].on_update = fk.on_update.clone();
                        continue;
                    }
                }
            }
            foreign_keys.push(OutForeignKey {
                columns: fk.columns.clone(),
                references,
                referred_columns: fk.referred_columns.clone(),
                name: fk_name,
                convention: fk_conv,
                on_delete: fk.on_delete.clone(),
                on_update: fk.on_update.clone(),
            });
        }
        let mut uniques = Vec::new();
        for (i, uq) in t.uniques.iter().enumerate() {
            let (uq_name, uq_conv) = name(Kind::Unique, i, &uq.name);
            if let ([c], None, None) = (&uq.columns[..], &uq_name, uq_conv) {
                if let Some(p) = col(&mut columns, c) {
                    if !columns[p].unique && !columns[p].index {
                        columns[p].unique = true;
                        continue;
                    }
                }
            }
            uniques.push(OutKey {
                columns: uq.columns.clone(),
                name: uq_name,
                convention: uq_conv,
            });
        }
        // A column's check on its column (a column takes one: any more
        // stay the table's, and name the column for the conventions).
        let mut on_column = Vec::new();
        for i in self.checks(t) {
            let Some(p) = self
                .declared_column(t, i)
                .and_then(|on| col(&mut columns, on))
            else {
                continue;
            };
            if columns[p].check.is_some() {
                continue;
            }
            let (name, convention) = name(Kind::Check, i, &t.checks[i].name);
            columns[p].check = Some(OutCheck {
                sql: t.checks[i].sql.clone(),
                name,
                convention,
            });
            on_column.push(i);
        }
        let checks = self
            .checks(t)
            .into_iter()
            .filter(|i| !on_column.contains(i))
            .map(|i| {
                let ck = &t.checks[i];
                let (name, convention) = name(Kind::Check, i, &ck.name);
                OutCheck {
                    sql: ck.sql.clone(),
                    name,
                    convention,
                }
            })
            .collect();
        let mut indexes = Vec::new();
        for i in self.indexes(t) {
            let ix = &t.indexes[i];
            let (ix_name, ix_conv) = name(Kind::Index, i, &Some(ix.name.clone()));
            if let ([IndexPart::Column(c)], None, None, false, None) =
                (&ix.parts[..], &ix_name, ix_conv, ix.unique, &ix.predicate)
            {
                if let Some(p) = col(&mut columns, c) {
                    if !columns[p].unique && !columns[p].index {
                        columns[p].index = true;
                        continue;
                    }
                }
            }
            indexes.push(OutIndex {
                columns: ix
                    .parts
                    .iter()
                    .map(|p| match p {
                        IndexPart::Column(c) => OutPart::Column(c.clone()),
                        IndexPart::Expression(e) => OutPart::Expression {
                            expression: e.clone(),
                        },
                    })
                    .collect(),
                name: ix_name,
                convention: ix_conv,
                unique: ix.unique,
                predicate: ix.predicate.clone(),
            });
        }
        OutTable {
            name: t.name.clone(),
            schema: t.schema.clone(),
            comment: t.comment.clone(),
            columns,
            primary_key,
            foreign_keys,
            uniques,
            checks,
            indexes,
        }
    }

    /// The column the model would make auto-increment: the one integer
    /// column of a primary key, in no foreign key, without a default.
    fn model_auto_increment<'t>(&self, t: &'t CatalogTable) -> Option<&'t str> {
        let [c] = &t.primary_key.as_ref()?.columns[..] else {
            return None;
        };
        let column = t.column(c)?;
        let integer = ColumnType::parse(&self.portable_type(column)).is_integer();
        let in_fk = t.foreign_keys.iter().any(|fk| fk.columns.contains(c));
        (integer && !in_fk && column.default.is_none()).then_some(column.name.as_str())
    }

    /// The column's type: the portable name where it says exactly what the
    /// server has, else the server's spelling.
    fn portable_type(&self, c: &CatalogColumn) -> String {
        let parsed = self.d.parse_type(&c.ty);
        if matches!(parsed, ColumnType::Other(_)) {
            return self.verbatim_type(&c.ty);
        }
        if self.mysql() && mysql_lossy(&c.ty) {
            return c.ty.clone();
        }
        // Exact only if writing the portable type gives the server's type back.
        let written = if c.auto_increment {
            self.d.auto_increment_type_sql(&parsed)
        } else {
            self.d.type_sql(&parsed)
        };
        match written {
            Ok(w) if self.d.parse_type(&w) == parsed || c.auto_increment => parsed.to_string(),
            _ => c.ty.clone(),
        }
    }

    /// The server's spelling `ty` of a type of its own, in a form the
    /// document does not read as a portable type. MySQL's `timestamp` is
    /// not the portable `timestamp` (which MySQL spells `DATETIME`): it is
    /// written `timestamp(0)`, the same type.
    fn verbatim_type(&self, ty: &str) -> String {
        let portable = !matches!(ColumnType::parse(ty), ColumnType::Other(_));
        if portable && self.mysql() && ty.trim().eq_ignore_ascii_case("timestamp") {
            return format!("{}(0)", ty.trim());
        }
        ty.to_owned()
    }

    fn column(&self, t: &CatalogTable, c: &CatalogColumn) -> OutColumn {
        let checked = (0..t.checks.len())
            .filter_map(|i| self.type_check_of(t, i))
            .find(|(name, _)| *name == c.name)
            .map(|(_, ty)| ty.to_string());
        let check = (0..t.checks.len())
            .filter(|&i| self.type_check_of(t, i).is_none())
            .find(|&i| self.column_check_of(t, i) == Some(c.name.as_str()))
            .map(|i| OutCheck {
                sql: t.checks[i].sql.clone(),
                name: None,
                // Unnamed whatever the conventions say: the server names it.
                convention: (!self.options.conventions.is_empty()).then_some(false),
            });
        OutColumn {
            name: c.name.clone(),
            ty: checked.unwrap_or_else(|| self.portable_type(c)),
            check,
            nullable: (!c.nullable).then_some(false),
            default: c.default.clone(),
            comment: c.comment.clone(),
            ..OutColumn::default()
        }
    }
}

/// Whether MySQL's `parse_type` reads `ty` (a `COLUMN_TYPE`) as a portable
/// type that the server would store differently: `double`, `longtext` and
/// `longblob` read as float, text and blob, which are stored as `float`,
/// `text` and `blob`; an integer's display width other than the one the
/// server gives by itself (`int(11)`, `bigint(20)`, `smallint(6)`, or none
/// on MySQL 8.0.19 and later) is lost.
fn mysql_lossy(ty: &str) -> bool {
    let t = ty.trim().to_ascii_lowercase();
    let (head, args) = match t.split_once('(') {
        Some((h, a)) => (h.trim(), Some(a.trim_end_matches(')').trim())),
        None => (t.as_str(), None),
    };
    match (head, args) {
        ("double" | "double precision" | "longtext" | "longblob", _) => true,
        ("int" | "integer", Some(w)) => w != "11",
        ("bigint", Some(w)) => w != "20",
        ("smallint", Some(w)) => w != "6",
        _ => false,
    }
}

/// Whether `name` is one MySQL gives a foreign key of `table` that has
/// none: `<table>_ibfk_<n>`.
fn is_ibfk_name(table: &str, name: &str) -> bool {
    numbered_after(name, &format!("{table}_ibfk_"))
}

/// Whether `name` is `start` followed by a number.
fn numbered_after(name: &str, start: &str) -> bool {
    name.strip_prefix(start)
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Views in an order that creates each after those its text names.
fn order_views(views: &[super::catalog::CatalogView]) -> Vec<&super::catalog::CatalogView> {
    let mut left: Vec<&super::catalog::CatalogView> = views.iter().collect();
    let mut out = Vec::with_capacity(views.len());
    while !left.is_empty() {
        let pos = left
            .iter()
            .position(|v| {
                !left
                    .iter()
                    .any(|o| o.name != v.name && mentions(&v.sql, &o.name))
            })
            .unwrap_or(0);
        out.push(left.remove(pos));
    }
    out
}

/// Whether `sql` has `name` as a whole word.
fn mentions(sql: &str, name: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    sql.match_indices(name).any(|(i, _)| {
        let before = sql[..i].chars().next_back().is_none_or(|c| !word(c));
        let after = sql[i + name.len()..]
            .chars()
            .next()
            .is_none_or(|c| !word(c));
        before && after
    })
}

/// A constraint or index whose name is not the one the naming convention
/// gives (`nomenclator lint`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The table's schema.
    pub schema: Option<String>,
    /// The table.
    pub table: String,
    /// `pk`, `fk`, `uq`, `ck` or `ix`.
    #[serde(serialize_with = "ser_kind")]
    pub kind: Kind,
    /// Its columns (an expression part as its text); `[]` for a check.
    pub columns: Vec<String>,
    /// The name it has; `None` where it has none.
    pub name: Option<String>,
    /// For indexes: whether unique.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique: Option<bool>,
    /// The name it has (as `name`).
    pub actual: Option<String>,
    /// The name the convention gives it. Under a template with
    /// `constraint_name`, the template applied to the name it has.
    pub expected: String,
}

fn ser_kind<S: serde::Serializer>(k: &Kind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(k.key())
}

/// Every constraint and index of `catalog` whose name is not the one the
/// conventions of `options` give (or that has none where they give one),
/// in table order.
///
/// MySQL and MariaDB keep a unique index as a unique key: a unique key is
/// named as the conventions say when its name is the unique constraint's
/// (`uq`) or the unique index's (`ix`).
pub fn lint(catalog: &Catalog, options: &WriteOptions) -> Result<Vec<Finding>, WriteError> {
    let found = lint_as_written(catalog, options)?;
    let mysql = Writer::new(catalog, options)?.mysql();
    if !mysql || !found.iter().any(|f| f.kind == Kind::Unique) {
        return Ok(found);
    }
    let mut as_indexes = catalog.clone();
    for t in &mut as_indexes.tables {
        let (named, unnamed): (Vec<CatalogKey>, Vec<CatalogKey>) =
            t.uniques.drain(..).partition(|u| u.name.is_some());
        t.uniques = unnamed;
        t.indexes.extend(named.into_iter().map(|u| CatalogIndex {
            name: u.name.unwrap_or_default(),
            unique: true,
            parts: u.columns.into_iter().map(IndexPart::Column).collect(),
            predicate: None,
        }));
    }
    let as_index = lint_as_written(&as_indexes, options)?;
    let misnamed_index = |f: &Finding| {
        as_index.iter().any(|g| {
            g.kind == Kind::Index
                && g.schema == f.schema
                && g.table == f.table
                && g.actual == f.actual
        })
    };
    Ok(found
        .into_iter()
        .filter(|f| f.kind != Kind::Unique || f.actual.is_none() || misnamed_index(f))
        .collect())
}

/// [`lint`], each object taken as the catalog says it is.
fn lint_as_written(catalog: &Catalog, options: &WriteOptions) -> Result<Vec<Finding>, WriteError> {
    let w = Writer::new(catalog, options)?;
    let treatments = w.treatments()?;
    // Objects whose template needs a name cannot be left unnamed: give
    // them theirs for this trial.
    let trial: Names = treatments
        .iter()
        .map(|(id, t)| {
            let state = match t {
                Treatment::Keeps => State::Omit,
                _ => State::Named(w.actual(*id).unwrap_or("unnamed").to_owned()),
            };
            (*id, state)
        })
        .collect();
    let mut predicted = w.predict(&trial)?;
    judge_numbered_again(&w, &trial, &mut predicted)?;
    let mut out = Vec::new();
    for (id, treatment) in treatments {
        let actual = w.actual(id).map(str::to_owned);
        let expected = match (treatment, &actual) {
            (Treatment::Keeps, _) => match predicted.remove(&id).flatten() {
                Some(p) => p,
                None => continue,
            },
            (Treatment::Wraps(pre, post), Some(a)) => {
                if wrapped_name(&pre, &post, a).is_some() || w.shortened_wrap(&pre, a) {
                    continue;
                }
                let limit = w.d.identifier_limit();
                limit.shorten(&format!("{pre}{a}{post}")).into_owned()
            }
            // The template needs a name the object does not have: the
            // convention gives it none (`--adopt` leaves it unnamed too).
            (Treatment::Wraps(..), None) => continue,
            (Treatment::Other(Some(g)), _) => g,
            (Treatment::Other(None), _) => continue,
        };
        if actual.as_deref() == Some(expected.as_str()) {
            continue;
        }
        let ObjectId(ti, kind, i) = id;
        // MySQL numbers a table's unnamed foreign keys in the order they
        // were declared, which its catalog does not keep: any number the
        // server could have given is the server's name.
        let table = &catalog.tables[ti].name;
        if w.mysql()
            && kind == Kind::ForeignKey
            && [Some(expected.as_str()), actual.as_deref()]
                .iter()
                .all(|n| n.is_some_and(|n| is_ibfk_name(table, n)))
        {
            continue;
        }
        let t = &catalog.tables[ti];
        let unique = (kind == Kind::Index).then(|| t.indexes[i].unique);
        out.push(Finding {
            schema: t.schema.clone(),
            table: t.name.clone(),
            kind,
            columns: w.columns(id),
            name: actual.clone(),
            unique,
            actual,
            expected,
        });
    }
    Ok(out)
}

/// A server that finds its name for an object taken numbers it
/// (`t_a_idx1`, `t_a_key1`, `a_2`). When someone named another object by
/// hand with that name, the numbered one is the server's own, not a
/// misnamed one: the objects the trial misnames are judged again with the
/// others among them (named by hand) keeping their names, and a numbered
/// one whose name then comes out is taken as the server's.
fn judge_numbered_again(
    w: &Writer<'_>,
    trial: &Names,
    predicted: &mut Predicted,
) -> Result<(), WriteError> {
    let numbered = |p: &str, a: &str| numbered_after(a, p) || numbered_after(a, &format!("{p}_"));
    let mut again = trial.clone();
    let mut suspects = Vec::new();
    let mut by_hand = false;
    for (id, state) in trial {
        let (State::Omit, Some(actual)) = (state, w.actual(*id)) else {
            continue;
        };
        match predicted.get(id).and_then(Option::as_deref) {
            Some(p) if p == actual => {}
            Some(p) if numbered(p, actual) => suspects.push(*id),
            _ => {
                by_hand = true;
                again.insert(*id, State::Named(actual.to_owned()));
            }
        }
    }
    if suspects.is_empty() || !by_hand {
        return Ok(());
    }
    let second = w.predict(&again)?;
    for id in suspects {
        let name = second.get(&id).cloned().flatten();
        if name.as_deref().is_some_and(|n| Some(n) == w.actual(id)) {
            predicted.insert(id, name);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::PostgreSql;
    use crate::reflect::{CatalogCheck, CatalogForeignKey, CatalogKey};

    fn column(name: &str, ty: &str) -> CatalogColumn {
        CatalogColumn {
            name: name.into(),
            ty: ty.into(),
            nullable: true,
            ..Default::default()
        }
    }

    fn mysql_catalog(index_parts: &[&str]) -> Catalog {
        let parent = CatalogTable {
            name: "p".into(),
            columns: vec![column("id", "int(11)")],
            primary_key: Some(CatalogKey {
                name: None,
                columns: vec!["id".into()],
            }),
            ..Default::default()
        };
        let child = CatalogTable {
            name: "c".into(),
            columns: vec![
                column("a", "int(11)"),
                column("b", "int(11)"),
                column("j", "longtext"),
                column("d", "double"),
                column("n", "numeric(5)"),
            ],
            foreign_keys: vec![CatalogForeignKey {
                name: Some("fk_a".into()),
                columns: vec!["a".into()],
                referred_table: "p".into(),
                referred_columns: vec!["id".into()],
                ..Default::default()
            }],
            checks: vec![
                CatalogCheck {
                    name: Some("j".into()),
                    sql: "json_valid(`j`)".into(),
                    column: None,
                },
                CatalogCheck {
                    name: Some("b".into()),
                    sql: "`b` > 0".into(),
                    column: None,
                },
            ],
            indexes: vec![CatalogIndex {
                name: "fk_a".into(),
                parts: index_parts
                    .iter()
                    .map(|c| IndexPart::Column((*c).into()))
                    .collect(),
                ..Default::default()
            }],
            ..Default::default()
        };
        Catalog {
            dialect: "mysql".into(),
            tables: vec![parent, child],
            ..Default::default()
        }
    }

    fn json(catalog: &Catalog) -> serde_json::Value {
        let options = WriteOptions {
            format: Format::Json,
            ..WriteOptions::default()
        };
        serde_json::from_str(&write_document(catalog, &options).unwrap()).unwrap()
    }

    /// Adopting a convention on a table with two indexes on one column
    /// (and an unnamed check, which the `sqlalchemy` pack's `ck` template
    /// cannot name): the document loads, one index takes the convention's
    /// name, the other keeps its own, and the check stays unnamed.
    #[test]
    fn adopting_keeps_what_the_convention_cannot_name_apart() {
        let index = |name: &str| CatalogIndex {
            name: name.into(),
            parts: vec![IndexPart::Column("boss".into())],
            ..Default::default()
        };
        let t = CatalogTable {
            name: "employee".into(),
            columns: vec![column("id", "integer"), column("boss", "integer")],
            primary_key: Some(CatalogKey {
                name: Some("employee_pkey".into()),
                columns: vec!["id".into()],
            }),
            checks: vec![CatalogCheck {
                name: None,
                sql: "boss > 0".into(),
                column: None,
            }],
            indexes: vec![index("employee_boss_idx"), index("employee_boss_idx1")],
            ..Default::default()
        };
        // SQLite keeps no name for a primary key declared without one.
        let unnamed_key = CatalogTable {
            name: "note".into(),
            columns: vec![column("id", "integer")],
            primary_key: Some(CatalogKey {
                name: None,
                columns: vec!["id".into()],
            }),
            ..Default::default()
        };
        let catalog = Catalog {
            dialect: "postgresql".into(),
            tables: vec![t, unnamed_key],
            ..Default::default()
        };
        let options = WriteOptions {
            format: Format::Json,
            conventions: vec!["sqlalchemy".into()],
            adopt: true,
            ..WriteOptions::default()
        };
        let doc = write_document(&catalog, &options).unwrap();
        let md = load_str(&doc, &LoadOptions::new().format(Format::Json)).unwrap();
        let names = crate::naming::final_names(&md, &PostgreSql.name_rules(None)).unwrap();
        let mut got: Vec<(String, Option<String>)> = names
            .iter()
            .map(|n| (n.kind.key().to_owned(), n.name.clone()))
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("ck".to_owned(), None),
                ("ix".to_owned(), Some("employee_boss_idx1".to_owned())),
                ("ix".to_owned(), Some("ix_employee_boss".to_owned())),
                ("pk".to_owned(), Some("pk_employee".to_owned())),
                ("pk".to_owned(), Some("pk_note".to_owned())),
            ],
            "{doc}"
        );
    }

    /// A column's check is named after its column (naming.md: its
    /// columns are `[that column]`): `lint` of the document that named it
    /// finds nothing, and a document written back from its catalog names it
    /// the same.
    #[test]
    fn a_columns_check_keeps_its_column() {
        let doc = r#"{"naming_convention": {"ck": "ck_%(table_name)s_%(column_0_name)s"},
            "tables": [{"name": "t", "columns": [
                {"name": "id", "type": "integer", "primary_key": true},
                {"name": "qty", "type": "integer", "check": "qty > 0"},
                {"name": "price", "type": "numeric(10,2)", "check": "price >= 0"}]}]}"#;
        let md = load_str(doc, &LoadOptions::new().format(Format::Json)).unwrap();
        let catalog = crate::reflect::catalog_of(&md, &crate::dialect::Sqlite).unwrap();
        let options = WriteOptions {
            format: Format::Json,
            naming_convention: vec![("ck".into(), "ck_%(table_name)s_%(column_0_name)s".into())],
            ..WriteOptions::default()
        };
        let findings = lint(&catalog, &options).unwrap();
        assert!(findings.is_empty(), "{findings:?}");
        let written = write_document(&catalog, &options).unwrap();
        let again = load_str(&written, &LoadOptions::new().format(Format::Json)).unwrap();
        let names = crate::naming::final_names(&again, &PostgreSql.name_rules(None)).unwrap();
        let checks: Vec<_> = names
            .iter()
            .filter(|n| n.kind == Kind::Check)
            .map(|n| n.name.clone())
            .collect();
        assert_eq!(
            checks,
            [Some("ck_t_qty".to_owned()), Some("ck_t_price".to_owned())],
            "{written}"
        );
    }

    /// SQLite keeps a check unnamed; under a template that needs its name
    /// the convention gives it none, so `lint` lists it no more than
    /// `--adopt` names it. A named one is still judged.
    #[test]
    fn an_unnamed_check_under_a_constraint_name_template_is_not_listed() {
        let doc = r#"{"tables": [{"name": "t", "columns": [
                {"name": "id", "type": "integer", "primary_key": true},
                {"name": "qty", "type": "integer", "check": "qty > 0"}],
                "checks": [{"name": "positive_id", "sql": "id > 0"}]}]}"#;
        let md = load_str(doc, &LoadOptions::new().format(Format::Json)).unwrap();
        let catalog = crate::reflect::catalog_of(&md, &crate::dialect::Sqlite).unwrap();
        let options = WriteOptions {
            format: Format::Json,
            conventions: vec!["sqlalchemy".into()],
            ..WriteOptions::default()
        };
        let findings = lint(&catalog, &options).unwrap();
        let mut got: Vec<(Option<&str>, &str)> = findings
            .iter()
            .map(|f| (f.actual.as_deref(), f.expected.as_str()))
            .collect();
        got.sort();
        // The key, unnamed in a document without a convention, is listed.
        assert_eq!(
            got,
            [(None, "pk_t"), (Some("positive_id"), "ck_t_positive_id")],
            "{findings:?}"
        );
    }

    /// A table whose name fills most of PostgreSQL's 63 bytes: adopting
    /// wraps a check's name in `ck_<table>_` (shortened with an MD5, as
    /// SQLAlchemy does), and `lint` takes that shortened name as the
    /// convention's, as it takes the name before adoption as not.
    #[test]
    fn a_long_tables_check_is_adopted_and_linted_alike() {
        let table = "feature_flag_history_for_the_application_settings_page";
        let catalog = |check: &str| Catalog {
            dialect: "postgresql".into(),
            tables: vec![CatalogTable {
                name: table.into(),
                columns: vec![column("id", "integer"), column("qty", "integer")],
                primary_key: Some(CatalogKey {
                    name: Some(format!("pk_{table}")),
                    columns: vec!["id".into()],
                }),
                checks: vec![CatalogCheck {
                    name: Some(check.into()),
                    sql: "(qty > 0)".into(),
                    column: Some("qty".into()),
                }],
                ..Default::default()
            }],
            ..Default::default()
        };
        let server = "feature_flag_history_for_the_application_setti_qty_check";
        let options = WriteOptions {
            format: Format::Json,
            conventions: vec!["sqlalchemy".into()],
            adopt: true,
            ..WriteOptions::default()
        };
        let doc = json(&catalog(server)).to_string();
        let adopted = write_document(&catalog(server), &options).unwrap();
        let v: serde_json::Value = serde_json::from_str(&adopted).unwrap();
        let check = &v["tables"][0]["columns"][1]["check"];
        assert_eq!(check["name"], server, "{adopted}");
        assert!(check.get("convention").is_none(), "{adopted}");
        // What migrate makes of it: the name the adopted document gives.
        let md = load_str(&adopted, &LoadOptions::new().format(Format::Json)).unwrap();
        let names = crate::naming::final_names(&md, &PostgreSql.name_rules(None)).unwrap();
        let given = names
            .iter()
            .find(|n| n.kind == Kind::Check)
            .and_then(|n| n.name.clone())
            .unwrap();
        assert!(
            given.starts_with("ck_feature_flag") && given.len() == 60,
            "{given}"
        );
        let lint_of = |name: &str| lint(&catalog(name), &options).unwrap();
        assert!(lint_of(&given).is_empty(), "{:?}", lint_of(&given));
        let before = lint_of(server);
        assert_eq!(before.len(), 1, "{doc}");
        assert_eq!(before[0].expected, given);
    }

    /// MariaDB keeps a unique index as a unique key: `lint` takes a
    /// unique key named by the `ix` template (as the document's unique
    /// index was) as well named, and still finds one named by neither.
    #[test]
    fn a_mariadb_unique_key_may_be_named_as_a_unique_index() {
        let doc = r#"{"naming_convention": {"ix": "ix_%(column_0_label)s",
                "uq": "uq_%(table_name)s_%(column_0_name)s"},
            "tables": [{"name": "person", "columns": [
                {"name": "id", "type": "integer", "primary_key": true},
                {"name": "email", "type": "varchar(100)"},
                {"name": "nick", "type": "varchar(100)", "unique": true},
                {"name": "code", "type": "varchar(10)"}],
                "indexes": [{"columns": ["email"], "unique": true},
                            {"columns": ["code"], "unique": true, "name": "wrong_name"}]}]}"#;
        let convention = vec![
            ("ix".to_owned(), "ix_%(column_0_label)s".to_owned()),
            (
                "uq".to_owned(),
                "uq_%(table_name)s_%(column_0_name)s".to_owned(),
            ),
        ];
        let md = load_str(doc, &LoadOptions::new().format(Format::Json)).unwrap();
        let mut catalog = crate::reflect::catalog_of(&md, &crate::dialect::MariaDb).unwrap();
        // As the server reads them back: every unique index a unique key.
        let t = &mut catalog.tables[0];
        for ix in std::mem::take(&mut t.indexes) {
            let columns = ix.parts.iter().map(|p| match p {
                IndexPart::Column(c) | IndexPart::Expression(c) => c.clone(),
            });
            t.uniques.push(CatalogKey {
                name: Some(ix.name.clone()),
                columns: columns.collect(),
            });
        }
        let options = WriteOptions {
            format: Format::Json,
            naming_convention: convention,
            ..WriteOptions::default()
        };
        let findings = lint(&catalog, &options).unwrap();
        let misnamed: Vec<_> = findings.iter().map(|f| f.actual.as_deref()).collect();
        assert_eq!(misnamed, [Some("wrong_name")], "{findings:?}");
    }

    #[test]
    fn a_foreign_keys_own_index_is_left_out_only_on_exactly_its_columns() {
        let own = json(&mysql_catalog(&["a"]));
        assert!(own["tables"][1].get("indexes").is_none(), "{own}");
        assert!(own["tables"][1]["columns"][0].get("index").is_none());
        // An index of that name on more columns is the user's: the key
        // would not make it again.
        let wider = json(&mysql_catalog(&["a", "b"]));
        assert_eq!(
            wider["tables"][1]["indexes"][0]["columns"],
            serde_json::json!(["a", "b"])
        );
        assert_eq!(wider["tables"][1]["indexes"][0]["name"], "fk_a");
    }

    #[test]
    fn mysql_columns_read_as_the_server_keeps_them() {
        let doc = json(&mysql_catalog(&["a"]));
        let t = &doc["tables"][1];
        // MariaDB's JSON: longtext with json_valid(col), named after it.
        assert_eq!(t["columns"][2]["type"], "json");
        // A check named as its column is that column's check.
        assert_eq!(t["columns"][1]["check"]["sql"], "`b` > 0");
        assert!(t["columns"][1]["check"].get("name").is_none());
        assert!(t.get("checks").is_none(), "{t}");
        // double is not float; int(11) is the integer the server makes.
        assert_eq!(t["columns"][3]["type"], "double");
        assert_eq!(t["columns"][0]["type"], "integer");
        // The primary key, always `PRIMARY`, is written on its column.
        assert_eq!(doc["tables"][0]["columns"][0]["primary_key"], true);
        assert!(doc["tables"][0].get("primary_key").is_none());
        assert!(mysql_lossy("int(5)") && mysql_lossy("longtext") && !mysql_lossy("int(11)"));
    }

    #[test]
    fn mysql_timestamps_and_unsigned_keys_keep_what_they_are() {
        let mut catalog = mysql_catalog(&["a"]);
        let p = &mut catalog.tables[0];
        p.columns[0] = CatalogColumn {
            auto_increment: true,
            nullable: false,
            ..column("id", "int(10) unsigned")
        };
        p.columns.push(column("at", "timestamp"));
        p.columns.push(column("on", "datetime"));
        let doc = json(&catalog);
        let cols = &doc["tables"][0]["columns"];
        // The key auto-increments as the model makes it: nothing to say.
        assert_eq!(cols[0]["type"], "int(10) unsigned");
        assert!(cols[0].get("autoincrement").is_none(), "{cols}");
        // `timestamp` would be read as the portable type, DATETIME here.
        assert_eq!(cols[1]["type"], "timestamp(0)");
        assert_eq!(cols[2]["type"], "timestamp");
    }
}
