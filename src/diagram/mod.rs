//! Entity–relationship diagrams of a schema: each table with its columns,
//! their types and key markers, the names of its constraints and indexes,
//! and its foreign keys from column to column.
//!
//! A [`Diagram`] is plain data made from a [`Catalog`] — a database's, read
//! by [`reflect`](crate::reflect), or the one a document would make
//! ([`Diagram::from_metadata`], names final for a dialect) — and written as
//! text: Mermaid ([`Diagram::mermaid`]), Graphviz ([`Diagram::dot`]), or,
//! with the `svg` feature, an SVG picture laid out by the library itself
//! ([`Diagram::svg`]). A migration's changes mark what it adds, drops,
//! renames and alters ([`Diagram::from_migration`]).
//!
//! ```
//! use nomenclator::diagram::Diagram;
//! use nomenclator::dialect::PostgreSql;
//! use nomenclator::{Column, Kind, MetaData, NamingConvention, Reference, Table};
//!
//! let convention = NamingConvention::new()
//!     .with(Kind::ForeignKey, "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s")?;
//! let mut md = MetaData::with_convention(convention);
//! md.add_table(Table::new("author").column(Column::new("id", "integer").primary_key()))?;
//! md.add_table(
//!     Table::new("book")
//!         .column(Column::new("id", "integer").primary_key())
//!         .column(Column::new("author_id", "integer").references(Reference::parse("author.id")?)),
//! )?;
//! let text = Diagram::from_metadata(&md, &PostgreSql)?.mermaid();
//! // A nullable key: a book has zero or one author.
//! assert!(text.contains(r#"author |o..o{ book : "fk_book_author_id_author""#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod dot;
mod mermaid;
#[cfg(feature = "svg")]
mod svg;
mod text;

use std::collections::{HashMap, HashSet};

use crate::ddl::{sort_tables_and_constraints, DdlError};
use crate::dialect::Dialect;
use crate::diff::{ChangeKind, Migration};
use crate::naming::NamingError;
use crate::reflect::{catalog_of, Catalog, CatalogTable, IndexPart};
use crate::schema::{MetaData, TableRef};
use crate::sql::Statement;

/// Why a diagram could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiagramError {
    /// The document's final names could not be given.
    #[error(transparent)]
    Naming(#[from] NamingError),
    /// The document's foreign keys could not be ordered.
    #[error(transparent)]
    Ddl(#[from] DdlError),
    /// A `--tables` pattern that is not a valid pattern.
    #[error("table pattern {0:?}: {1}")]
    Pattern(String, String),
}

/// What a migration does to a table, a column, or a named constraint or index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mark {
    /// It is new.
    Added,
    /// It goes away.
    Dropped,
    /// It is renamed; the old name.
    Renamed(String),
    /// It stays, changed (a column's type, a table's columns or keys).
    Altered,
}

/// A table of a diagram.
#[derive(Clone, Debug)]
pub struct Entity {
    /// The table's schema, `None` for the default one.
    pub schema: Option<String>,
    /// The table's name.
    pub name: String,
    /// What a migration does to it.
    pub mark: Option<Mark>,
    /// Its columns, in the table's order.
    pub columns: Vec<Attribute>,
    /// Its constraints and indexes, by name: primary key, unique
    /// constraints, foreign keys, checks, indexes.
    pub objects: Vec<NamedObject>,
}

/// A column of an [`Entity`].
#[derive(Clone, Debug)]
pub struct Attribute {
    /// Its name.
    pub name: String,
    /// Its type, as the catalog spells it (empty when it has none).
    pub ty: String,
    /// Whether it may be null.
    pub nullable: bool,
    /// Part of the primary key.
    pub pk: bool,
    /// Part of a foreign key.
    pub fk: bool,
    /// Part of a unique constraint or unique index.
    pub uk: bool,
    /// What a migration does to it.
    pub mark: Option<Mark>,
}

/// The kind of a [`NamedObject`], as diagrams abbreviate it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectKind {
    /// A primary key (`PK`).
    PrimaryKey,
    /// A unique constraint (`UK`).
    Unique,
    /// A foreign key (`FK`).
    ForeignKey,
    /// A check constraint (`CK`).
    Check,
    /// An index (`IX`).
    Index,
    /// A unique index (`UX`).
    UniqueIndex,
}

impl ObjectKind {
    /// The two-letter marker diagrams show.
    pub fn marker(self) -> &'static str {
        match self {
            ObjectKind::PrimaryKey => "PK",
            ObjectKind::Unique => "UK",
            ObjectKind::ForeignKey => "FK",
            ObjectKind::Check => "CK",
            ObjectKind::Index => "IX",
            ObjectKind::UniqueIndex => "UX",
        }
    }
}

/// A constraint or index of an [`Entity`], with its name.
#[derive(Clone, Debug)]
pub struct NamedObject {
    /// What it is.
    pub kind: ObjectKind,
    /// Its name; empty where the server keeps none (SQLite).
    pub name: String,
    /// Its columns (or index parts), joined with `, `; for a foreign key,
    /// followed by the table it refers to.
    pub detail: String,
    /// What a migration does to it.
    pub mark: Option<Mark>,
}

/// A foreign key drawn from the referring table's columns to the referred
/// table's.
#[derive(Clone, Debug)]
pub struct Link {
    /// The referring entity (an index into [`Diagram::entities`]).
    pub from: usize,
    /// The referring columns (indexes into its attributes).
    pub from_columns: Vec<usize>,
    /// The referred entity.
    pub to: usize,
    /// The referred columns (indexes into its attributes; may be empty
    /// when the catalog does not say which).
    pub to_columns: Vec<usize>,
    /// The foreign key's name, where it has one.
    pub name: Option<String>,
    /// A referring row may refer to nothing: a referring column is nullable.
    pub optional: bool,
    /// At most one referring row per referred row: the referring columns
    /// are the primary key or unique.
    pub one_to_one: bool,
    /// The referring columns are part of the referring table's primary key.
    pub identifying: bool,
    /// Left out of the creation order and added afterwards (it closes a
    /// cycle, or is `use_alter`): drawn dashed.
    pub deferred: bool,
    /// What a migration does to it.
    pub mark: Option<Mark>,
}

/// An entity–relationship diagram: tables and the foreign keys between them.
#[derive(Clone, Debug, Default)]
pub struct Diagram {
    /// The tables, in the catalog's order.
    pub entities: Vec<Entity>,
    /// The foreign keys whose two tables are both in the diagram.
    pub links: Vec<Link>,
}

/// A foreign key by where it is: the table's schema and name, its columns,
/// the referred table's schema and name.
type KeyOf = (Option<String>, String, Vec<String>, Option<String>, String);

fn key_of(schema: Option<&str>, name: &str) -> (Option<String>, String) {
    (schema.map(str::to_owned), name.to_owned())
}

impl Diagram {
    /// The diagram of a catalog. Foreign keys that close a cycle (the last
    /// of each cycle, in the catalog's order) are deferred.
    pub fn from_catalog(catalog: &Catalog) -> Diagram {
        let mut tables = catalog.tables.clone();
        let mut d = Diagram {
            entities: tables.iter_mut().map(entity).collect(),
            links: Vec::new(),
        };
        d.link(&tables);
        d.defer_cycles();
        d
    }

    /// The diagram of a document's model, with the names the convention
    /// gives on `dialect`; the foreign keys the creation order adds
    /// afterwards on a dialect that can (cycles, `use_alter`) are deferred.
    pub fn from_metadata(md: &MetaData, dialect: &dyn Dialect) -> Result<Diagram, DiagramError> {
        let mut catalog = catalog_of(md, dialect)?;
        let mut d = Diagram {
            entities: catalog.tables.iter_mut().map(entity).collect(),
            links: Vec::new(),
        };
        d.link(&catalog.tables);
        drop(catalog);
        let sorted = sort_tables_and_constraints(md, true)?;
        let deferred: HashSet<KeyOf> = sorted
            .deferred
            .iter()
            .filter_map(|x| {
                let t = md.get(&x.table)?;
                let fk = t.constraints().get(x.constraint)?.as_foreign_key()?;
                let r = fk.referred_table();
                Some((
                    x.table.schema.clone(),
                    x.table.name.clone(),
                    fk.columns().to_vec(),
                    r.schema.clone(),
                    r.name.clone(),
                ))
            })
            .collect();
        for l in &mut d.links {
            let (f, t) = (&d.entities[l.from], &d.entities[l.to]);
            let key = (
                f.schema.clone(),
                f.name.clone(),
                l.from_columns
                    .iter()
                    .map(|&i| f.columns[i].name.clone())
                    .collect::<Vec<_>>(),
                t.schema.clone(),
                t.name.clone(),
            );
            l.deferred = deferred.contains(&key);
        }
        Ok(d)
    }

    /// The tables a migration from `old` to `new` touches, drawn as they
    /// will be, with what it adds, drops, renames and alters marked;
    /// dropped tables, columns, constraints and indexes are drawn from
    /// `old`. Foreign keys are drawn between the touched tables.
    pub fn from_migration(old: &Catalog, new: &Catalog, migration: &Migration<'_>) -> Diagram {
        let old_tables: HashMap<(Option<String>, String), &CatalogTable> = old
            .tables
            .iter()
            .map(|t| (key_of(t.schema.as_deref(), &t.name), t))
            .collect();
        // The tables touched, under their new names (a dropped one under its
        // old), and what each change marks.
        let mut touched: Vec<(Option<String>, String)> = Vec::new();
        let mut table_marks: HashMap<(Option<String>, String), Mark> = HashMap::new();
        let mut renamed_from: HashMap<(Option<String>, String), (Option<String>, String)> =
            HashMap::new();
        let mut column_marks: HashMap<(Option<String>, String, String), Mark> = HashMap::new();
        let mut object_marks: HashMap<(Option<String>, String, String), Mark> = HashMap::new();
        for c in migration.changes() {
            let t = key_of(c.table.schema.as_deref(), &c.table.name);
            let obj = |name: &str| (t.0.clone(), t.1.clone(), name.to_owned());
            match c.kind {
                ChangeKind::ForeignKeysOff
                | ChangeKind::ForeignKeyCheck
                | ChangeKind::DropView
                | ChangeKind::AddView
                | ChangeKind::RenameSequence
                | ChangeKind::AlterSequence
                | ChangeKind::AddEnumType
                | ChangeKind::AddEnumValue
                | ChangeKind::DropEnumType => continue,
                ChangeKind::AddTable => {
                    table_marks.insert(t.clone(), Mark::Added);
                }
                ChangeKind::DropTable => {
                    table_marks.insert(t.clone(), Mark::Dropped);
                }
                ChangeKind::RenameTable => {
                    // The first statement's: SQLite may take a table
                    // through a second name (a rename of case only).
                    if let Some(Statement::RenameTable { from, .. }) = c.statements.first() {
                        table_marks.insert(t.clone(), Mark::Renamed(from.to_string()));
                        renamed_from.insert(t.clone(), key_of(from.schema.as_deref(), &from.name));
                    }
                }
                ChangeKind::AddColumn | ChangeKind::DropColumn | ChangeKind::AlterColumn => {
                    if let Some(o) = &c.object {
                        let mark = match c.kind {
                            ChangeKind::AddColumn => Mark::Added,
                            ChangeKind::DropColumn => Mark::Dropped,
                            _ => Mark::Altered,
                        };
                        column_marks.entry(obj(o)).or_insert(mark);
                    }
                }
                ChangeKind::RenameColumn => {
                    for s in &c.statements {
                        if let Statement::RenameColumn { from, to, .. } = s {
                            column_marks.insert(obj(to), Mark::Renamed(from.clone()));
                        }
                    }
                }
                ChangeKind::RenameConstraint | ChangeKind::RenameIndex => {
                    for s in &c.statements {
                        match s {
                            Statement::RenameConstraint { from, to, .. }
                            | Statement::RenameIndex { from, to, .. } => {
                                object_marks.insert(obj(to), Mark::Renamed(from.clone()));
                            }
                            _ => {}
                        }
                    }
                }
                ChangeKind::AddPrimaryKey
                | ChangeKind::AddUnique
                | ChangeKind::AddCheck
                | ChangeKind::AddIndex
                | ChangeKind::AddForeignKey => {
                    if let Some(o) = &c.object {
                        object_marks.entry(obj(o)).or_insert(Mark::Added);
                    }
                }
                ChangeKind::DropPrimaryKey
                | ChangeKind::DropUnique
                | ChangeKind::DropCheck
                | ChangeKind::DropIndex
                | ChangeKind::DropForeignKey => {
                    if let Some(o) = &c.object {
                        // Dropped and added again under the same name: changed.
                        let k = obj(o);
                        if object_marks.get(&k) == Some(&Mark::Added) {
                            object_marks.insert(k, Mark::Altered);
                        } else {
                            object_marks.entry(k).or_insert(Mark::Dropped);
                        }
                    }
                }
                ChangeKind::ChangeComment | ChangeKind::RebuildTable => {}
            }
            if !touched.contains(&t) {
                touched.push(t.clone());
            }
            table_marks.entry(t).or_insert(Mark::Altered);
        }
        let mut tables: Vec<CatalogTable> = Vec::new();
        let mut marks: Vec<Mark> = Vec::new();
        for t in &touched {
            let mark = table_marks.get(t).cloned().unwrap_or(Mark::Altered);
            let now = new.tables.iter().find(|x| x.schema == t.0 && x.name == t.1);
            let before = renamed_from
                .get(t)
                .and_then(|o| old_tables.get(o))
                .or_else(|| old_tables.get(t))
                .copied();
            let table = match (mark == Mark::Dropped, now, before) {
                (false, Some(n), _) => n.clone(),
                (_, _, Some(o)) => o.clone(),
                (_, Some(n), None) => n.clone(),
                (_, None, None) => continue,
            };
            tables.push(table);
            marks.push(mark);
        }
        let mut d = Diagram {
            entities: tables.clone().iter_mut().map(entity).collect(),
            links: Vec::new(),
        };
        // What the old table had and the new one has not: drawn, marked dropped.
        for (i, e) in d.entities.iter_mut().enumerate() {
            let key = (e.schema.clone(), e.name.clone());
            e.mark = Some(marks[i].clone());
            if marks[i] == Mark::Dropped {
                mark_all(e, Mark::Dropped);
                continue;
            }
            let old_key = renamed_from.get(&key).unwrap_or(&key);
            if let Some(o) = old_tables.get(old_key) {
                let gone: Vec<Attribute> = entity(&mut (*o).clone())
                    .columns
                    .into_iter()
                    .filter(|c| {
                        column_marks.get(&(key.0.clone(), key.1.clone(), c.name.clone()))
                            == Some(&Mark::Dropped)
                    })
                    .collect();
                e.columns.extend(gone);
                let gone: Vec<NamedObject> = entity(&mut (*o).clone())
                    .objects
                    .into_iter()
                    .filter(|x| {
                        !x.name.is_empty()
                            && object_marks.get(&(key.0.clone(), key.1.clone(), x.name.clone()))
                                == Some(&Mark::Dropped)
                            && !e.objects.iter().any(|y| y.name == x.name)
                    })
                    .collect();
                e.objects.extend(gone);
            }
            for c in &mut e.columns {
                c.mark = column_marks
                    .get(&(key.0.clone(), key.1.clone(), c.name.clone()))
                    .cloned();
            }
            for x in &mut e.objects {
                x.mark = object_marks
                    .get(&(key.0.clone(), key.1.clone(), x.name.clone()))
                    .cloned();
            }
        }
        d.link(&tables);
        for l in &mut d.links {
            let e = &d.entities[l.from];
            l.mark = l
                .name
                .as_ref()
                .and_then(|n| e.objects.iter().find(|x| &x.name == n))
                .and_then(|x| x.mark.clone())
                .or(match e.mark {
                    Some(Mark::Added) => Some(Mark::Added),
                    Some(Mark::Dropped) => Some(Mark::Dropped),
                    _ => None,
                });
        }
        d.defer_cycles();
        d
    }

    /// Keeps the tables in one of `schemas` (none: every schema; the
    /// default schema is named by the empty string) whose name, or
    /// `schema.name`, matches one of `patterns` (none: every table). A
    /// pattern is a glob: `*` any run of characters, `?` one character.
    pub fn retain(&mut self, schemas: &[String], patterns: &[String]) -> Result<(), DiagramError> {
        let globs: Vec<regex::Regex> =
            patterns.iter().map(|p| glob(p)).collect::<Result<_, _>>()?;
        let keep: Vec<bool> = self
            .entities
            .iter()
            .map(|e| {
                let in_schema = schemas.is_empty()
                    || schemas
                        .iter()
                        .any(|s| e.schema.as_deref().unwrap_or("") == s);
                let full = match &e.schema {
                    Some(s) => format!("{s}.{}", e.name),
                    None => e.name.clone(),
                };
                let named = globs.is_empty()
                    || globs
                        .iter()
                        .any(|g| g.is_match(&e.name) || g.is_match(&full));
                in_schema && named
            })
            .collect();
        let mut new_index = vec![usize::MAX; self.entities.len()];
        let mut n = 0;
        for (i, k) in keep.iter().enumerate() {
            if *k {
                new_index[i] = n;
                n += 1;
            }
        }
        let mut i = 0;
        self.entities.retain(|_| {
            i += 1;
            keep[i - 1]
        });
        self.links.retain(|l| keep[l.from] && keep[l.to]);
        for l in &mut self.links {
            l.from = new_index[l.from];
            l.to = new_index[l.to];
        }
        Ok(())
    }

    /// Draws the foreign keys of `tables` (the entities' catalog tables, in
    /// the same order) whose referred table is in the diagram.
    fn link(&mut self, tables: &[CatalogTable]) {
        let index: HashMap<(Option<&str>, &str), usize> = self
            .entities
            .iter()
            .enumerate()
            .map(|(i, e)| ((e.schema.as_deref(), e.name.as_str()), i))
            .collect();
        for (from, t) in tables.iter().enumerate() {
            let e = &self.entities[from];
            let col = |e: &Entity, n: &str| e.columns.iter().position(|c| c.name == n);
            let pk: Vec<&str> = t
                .primary_key
                .iter()
                .flat_map(|k| k.columns.iter().map(String::as_str))
                .collect();
            for fk in &t.foreign_keys {
                let Some(&to) = index.get(&(fk.referred_schema.as_deref(), &fk.referred_table))
                else {
                    continue;
                };
                let from_columns: Vec<usize> =
                    fk.columns.iter().filter_map(|c| col(e, c)).collect();
                let to_columns: Vec<usize> = fk
                    .referred_columns
                    .iter()
                    .filter_map(|c| col(&self.entities[to], c))
                    .collect();
                let set: HashSet<&str> = fk.columns.iter().map(String::as_str).collect();
                let same = |cols: &[String]| {
                    cols.len() == set.len() && cols.iter().all(|c| set.contains(c.as_str()))
                };
                let one_to_one = t.primary_key.as_ref().is_some_and(|k| same(&k.columns))
                    || t.uniques.iter().any(|k| same(&k.columns))
                    || t.indexes.iter().any(|ix| {
                        ix.unique
                            && ix.predicate.is_none()
                            && ix.parts.len() == set.len()
                            && ix.parts.iter().all(
                                |p| matches!(p, IndexPart::Column(c) if set.contains(c.as_str())),
                            )
                    });
                self.links.push(Link {
                    from,
                    to,
                    optional: from_columns.iter().any(|&i| e.columns[i].nullable),
                    identifying: !set.is_empty() && set.iter().all(|c| pk.contains(c)),
                    from_columns,
                    to_columns,
                    name: fk.name.clone(),
                    one_to_one,
                    deferred: false,
                    mark: None,
                });
            }
        }
    }

    /// Marks deferred the foreign keys that close a cycle: a depth-first
    /// walk from each table in order, over foreign keys to the referred
    /// table; a key back to a table still on the walk closes one. A table's
    /// key to itself is not deferred (the table exists when it is made).
    fn defer_cycles(&mut self) {
        let n = self.entities.len();
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, l) in self.links.iter().enumerate() {
            if l.from != l.to {
                out[l.from].push(i);
            }
        }
        // 0: not seen, 1: on the walk, 2: done.
        let mut state = vec![0u8; n];
        for start in 0..n {
            if state[start] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            state[start] = 1;
            while let Some(&mut (v, ref mut next)) = stack.last_mut() {
                if let Some(&li) = out[v].get(*next) {
                    *next += 1;
                    let w = self.links[li].to;
                    match state[w] {
                        0 => {
                            state[w] = 1;
                            stack.push((w, 0));
                        }
                        1 => self.links[li].deferred = true,
                        _ => {}
                    }
                } else {
                    state[v] = 2;
                    stack.pop();
                }
            }
        }
    }
}

fn mark_all(e: &mut Entity, mark: Mark) {
    for c in &mut e.columns {
        c.mark = Some(mark.clone());
    }
    for x in &mut e.objects {
        x.mark = Some(mark.clone());
    }
}

/// A glob as an anchored regular expression.
fn glob(pattern: &str) -> Result<regex::Regex, DiagramError> {
    let mut re = String::from("^");
    for ch in pattern.chars() {
        match ch {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            c => re.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    re.push('$');
    regex::Regex::new(&re).map_err(|e| DiagramError::Pattern(pattern.to_owned(), e.to_string()))
}

/// A catalog table as an entity: key markers on its columns, and its
/// constraints and indexes by name. The columns' names and types are moved
/// out of the table (the keys stay, for [`Diagram::link`]): a copy of
/// every name of a large schema is memory that counts.
fn entity(t: &mut CatalogTable) -> Entity {
    let pk: HashSet<&str> = t
        .primary_key
        .iter()
        .flat_map(|k| k.columns.iter().map(String::as_str))
        .collect();
    let fk: HashSet<&str> = t
        .foreign_keys
        .iter()
        .flat_map(|k| k.columns.iter().map(String::as_str))
        .collect();
    let uk: HashSet<&str> = t
        .uniques
        .iter()
        .flat_map(|k| k.columns.iter().map(String::as_str))
        .chain(
            t.indexes
                .iter()
                .filter(|ix| ix.unique)
                .flat_map(|ix| ix.parts.iter())
                .filter_map(|p| match p {
                    IndexPart::Column(c) => Some(c.as_str()),
                    IndexPart::Expression(_) => None,
                }),
        )
        .collect();
    let columns = std::mem::take(&mut t.columns)
        .into_iter()
        .map(|c| Attribute {
            pk: pk.contains(c.name.as_str()),
            fk: fk.contains(c.name.as_str()),
            uk: uk.contains(c.name.as_str()),
            name: c.name,
            ty: c.ty,
            nullable: c.nullable,
            mark: None,
        })
        .collect();
    let mut objects = Vec::new();
    let name = |n: &Option<String>| n.clone().unwrap_or_default();
    let keys = t.primary_key.iter().map(|k| (ObjectKind::PrimaryKey, k));
    let uniques = t.uniques.iter().map(|k| (ObjectKind::Unique, k));
    for (kind, k) in keys.chain(uniques) {
        objects.push(NamedObject {
            kind,
            name: name(&k.name),
            detail: k.columns.join(", "),
            mark: None,
        });
    }
    for k in &t.foreign_keys {
        let to = match &k.referred_schema {
            Some(s) => format!("{s}.{}", k.referred_table),
            None => k.referred_table.clone(),
        };
        objects.push(NamedObject {
            kind: ObjectKind::ForeignKey,
            name: name(&k.name),
            detail: format!("{} → {to}", k.columns.join(", ")),
            mark: None,
        });
    }
    for k in &t.checks {
        objects.push(NamedObject {
            kind: ObjectKind::Check,
            name: name(&k.name),
            detail: k.sql.clone(),
            mark: None,
        });
    }
    for ix in &t.indexes {
        objects.push(NamedObject {
            kind: if ix.unique {
                ObjectKind::UniqueIndex
            } else {
                ObjectKind::Index
            },
            name: ix.name.clone(),
            detail: ix
                .parts
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            mark: None,
        });
    }
    Entity {
        schema: t.schema.take(),
        name: std::mem::take(&mut t.name),
        mark: None,
        columns,
        objects,
    }
}

impl Entity {
    /// `schema.name`, or `name` in the default schema.
    pub fn full_name(&self) -> String {
        match &self.schema {
            Some(s) => format!("{s}.{}", self.name),
            None => self.name.clone(),
        }
    }
}

impl Attribute {
    /// The key markers: `PK`, `FK`, `UK`, in that order.
    pub fn markers(&self) -> Vec<&'static str> {
        let mut m = Vec::new();
        if self.pk {
            m.push("PK");
        }
        if self.fk {
            m.push("FK");
        }
        if self.uk {
            m.push("UK");
        }
        m
    }
}

/// For tests and callers who build a table reference from an entity.
impl From<&Entity> for TableRef {
    fn from(e: &Entity) -> TableRef {
        TableRef::new(e.schema.as_deref(), &e.name)
    }
}
