//! MariaDB's and MySQL's names for unnamed constraints and indexes.
//!
//! Everything is named within its table:
//!
//! - the primary key is `PRIMARY`;
//! - a unique key or index is named after its first column, or, when a key
//!   of the table has that name (or it is `PRIMARY`), that name with `_2`,
//!   `_3`, ... (`make_unique_key_name`); names compare without regard to
//!   case;
//! - a foreign key is `<table>_ibfk_<n>`, `n` counting the unnamed foreign
//!   keys of one `CREATE TABLE` from 1, and one added later going on from
//!   the highest such number the table has;
//! - a foreign key that no key of the table starts with gets an index of
//!   its own, named like a key after the foreign key's first column (after
//!   the foreign key's name when it has one), which a later key starting
//!   with its columns replaces;
//! - MariaDB names a check written in its column's definition after the
//!   column, and the table's other unnamed checks `CONSTRAINT_<n>`, `n`
//!   counting from 1 past the names the table's checks already have;
//!   MySQL 8 names every unnamed check `<table>_chk_<n>`.

use std::collections::{HashMap, HashSet};

use nomenclator::events::ObjectAt;

use crate::view::{Chosen, Order, Part, View, What};

/// Which of the two.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    MariaDb,
    MySql,
}

impl Flavor {
    fn kind(self) -> nomenclator::DialectKind {
        match self {
            Flavor::MariaDb => nomenclator::DialectKind::MariaDb,
            Flavor::MySql => nomenclator::DialectKind::MySql,
        }
    }

    fn server(self) -> &'static str {
        match self {
            Flavor::MariaDb => "MariaDB",
            Flavor::MySql => "MySQL",
        }
    }
}

/// The longest name, in characters.
pub(crate) const NAME_LEN: usize = 64;

/// The primary key's name.
const PRIMARY: &str = "PRIMARY";

/// What MySQL 8 names an index whose first part is an expression after.
const FUNCTIONAL_INDEX: &str = "functional_index";

/// One key of a table, as the server keeps it.
#[derive(Clone, Debug)]
struct Key<'a> {
    name: String,
    parts: Vec<Part<'a>>,
    /// Made for a foreign key (`HA_GENERATED_KEY`).
    generated: bool,
    primary: bool,
    /// The model object it is, for a key that is not generated.
    object: Option<ObjectAt>,
}

/// A key being added: its name if it has one.
#[derive(Clone, Debug)]
struct NewKey<'a> {
    name: Option<String>,
    parts: Vec<Part<'a>>,
    generated: bool,
    primary: bool,
    object: Option<ObjectAt>,
}

/// An index the server made for a foreign key: not in the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Implicit {
    /// The table, by position in the views.
    pub table: usize,
    pub columns: Vec<String>,
    pub name: String,
}

/// What the rules found: the names, and the indexes made for foreign keys.
#[derive(Clone, Debug, Default)]
pub(crate) struct Outcome {
    pub chosen: Vec<Chosen>,
    pub implicit: Vec<Implicit>,
}

/// A name the server refuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TooLong {
    pub server: &'static str,
    pub table: String,
    pub what: String,
    pub name: String,
}

impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} refuses the unnamed {} of table \"{}\": the name it makes, \"{}\", is over {} characters; give it a name",
            self.server, self.what, self.table, self.name, NAME_LEN
        )
    }
}

fn same(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// Whether one of two keys is made for a foreign key and is the start of
/// the other (MySQL's `foreign_key_prefix` returning false): then only one
/// of them is kept.
fn redundant(a: &NewKey<'_>, b: &NewKey<'_>) -> bool {
    let (short, long) = if a.generated {
        if b.generated && a.parts.len() > b.parts.len() {
            (b, a)
        } else {
            (a, b)
        }
    } else {
        if !b.generated {
            return false;
        }
        (b, a)
    };
    short.parts.len() <= long.parts.len()
        && short
            .parts
            .iter()
            .zip(&long.parts)
            .all(|(x, y)| match (x, y) {
                (Part::Column(x), Part::Column(y)) => same(x, y),
                _ => false,
            })
}

/// `make_unique_key_name`: the column's name, or that name with `_2`, `_3`, ...
fn key_name(column: &str, taken: &[String]) -> String {
    let free = |n: &str| !taken.iter().any(|t| same(t, n));
    if free(column) && !same(column, PRIMARY) {
        return column.to_owned();
    }
    (2..100)
        .map(|i| format!("{column}_{i}"))
        .find(|n| free(n))
        .unwrap_or_else(|| "not_specified".to_owned())
}

/// The keys of a table after adding `new` to `existing`: keys made for
/// foreign keys that another key starts with are left out, then each new
/// key without a name is named (`mysql_prepare_create_table`, which
/// `ALTER TABLE` runs on the table's keys followed by the new ones).
fn add_keys<'a>(existing: Vec<Key<'a>>, new: Vec<NewKey<'a>>) -> Vec<Key<'a>> {
    let mut all: Vec<NewKey<'a>> = existing
        .into_iter()
        .map(|k| NewKey {
            primary: k.primary,
            name: Some(k.name),
            parts: k.parts,
            generated: k.generated,
            object: k.object,
        })
        .collect();
    all.extend(new);
    let mut ignored = vec![false; all.len()];
    for i in 0..all.len() {
        for j in 0..i {
            if ignored[j] || !redundant(&all[i], &all[j]) {
                continue;
            }
            if !all[j].generated || (all[i].generated && all[i].parts.len() < all[j].parts.len()) {
                ignored[i] = true;
            } else {
                ignored[j] = true;
            }
            break;
        }
    }
    let mut out: Vec<Key<'a>> = Vec::with_capacity(all.len());
    let mut taken: Vec<String> = Vec::with_capacity(all.len());
    for (k, ignored) in all.into_iter().zip(ignored) {
        if ignored {
            continue;
        }
        let name = match (k.primary, k.name) {
            (true, _) => PRIMARY.to_owned(),
            (false, Some(n)) => n,
            (false, None) => {
                // MySQL 8 calls an index that starts with an expression
                // `functional_index`.
                let base = match k.parts.first() {
                    Some(Part::Column(c)) => c,
                    Some(Part::Expression(_)) => FUNCTIONAL_INDEX,
                    None => "",
                };
                key_name(base, &taken)
            }
        };
        taken.push(name.clone());
        out.push(Key {
            name,
            parts: k.parts,
            generated: k.generated,
            primary: k.primary,
            object: k.object,
        });
    }
    out
}

/// One table's state as its statements run.
#[derive(Default)]
struct TableState<'a> {
    keys: Vec<Key<'a>>,
    /// Names of its foreign keys.
    foreign_keys: Vec<String>,
}

/// The names MariaDB (or MySQL) gives the unnamed objects of `views`,
/// created in `order` as nomenclator's DDL creates them: each table's
/// `CREATE TABLE` (primary key, unique keys and foreign keys in statement
/// order; checks), its indexes one `ALTER TABLE` each, then the foreign
/// keys added after every table.
pub(crate) fn names(views: &[View<'_>], order: &Order, flavor: Flavor) -> Result<Outcome, TooLong> {
    let deferred: HashSet<(usize, usize)> = order.deferred.iter().copied().collect();
    let mut states: HashMap<usize, TableState<'_>> = HashMap::new();
    let mut out = Outcome::default();
    let too_long = |t: &View<'_>, what: String, name: &str| -> Result<(), TooLong> {
        if name.chars().count() > NAME_LEN {
            return Err(TooLong {
                server: flavor.server(),
                table: match t.schema {
                    Some(s) => format!("{s}.{}", t.name),
                    None => t.name.to_owned(),
                },
                what,
                name: name.to_owned(),
            });
        }
        Ok(())
    };
    for &ti in &order.tables {
        let Some(t) = views.get(ti) else { continue };
        let mut st = TableState::default();

        // CREATE TABLE: the primary key, then unique and foreign keys in
        // statement order.
        let mut new = Vec::new();
        if let Some(pk) = &t.primary_key {
            new.push(NewKey {
                name: Some(PRIMARY.to_owned()),
                parts: pk.parts.clone(),
                generated: false,
                primary: true,
                object: Some(pk.at),
            });
            if pk.is_ours() {
                out.chosen.push(Chosen {
                    table: ti,
                    at: pk.at,
                    name: Some(PRIMARY.to_owned()),
                });
            }
        }
        let mut number = 1;
        for (ci, o) in t.constraints.iter().enumerate() {
            match o.what {
                What::Unique => new.push(NewKey {
                    name: o.fixed.map(str::to_owned),
                    parts: o.parts.clone(),
                    generated: false,
                    primary: false,
                    object: Some(o.at),
                }),
                What::ForeignKey { .. } if !deferred.contains(&(ti, ci)) => {
                    new.push(NewKey {
                        name: o.fixed.map(str::to_owned),
                        parts: o.parts.clone(),
                        generated: true,
                        primary: false,
                        object: None,
                    });
                    let name = match o.fixed {
                        Some(n) => n.to_owned(),
                        None => {
                            let name = format!("{}_ibfk_{number}", t.name);
                            number += 1;
                            too_long(t, "foreign key".into(), &name)?;
                            out.chosen.push(Chosen {
                                table: ti,
                                at: o.at,
                                name: Some(name.clone()),
                            });
                            name
                        }
                    };
                    st.foreign_keys.push(name);
                }
                _ => {}
            }
        }
        st.keys = add_keys(Vec::new(), new);
        let mut recorded = HashSet::new();
        record_keys(t, ti, &st.keys, &mut recorded, &mut out.chosen, too_long)?;

        checks(t, ti, flavor, &mut out.chosen, too_long)?;

        // Each index: ALTER TABLE ... ADD INDEX.
        for o in &t.indexes {
            let keys = std::mem::take(&mut st.keys);
            st.keys = add_keys(
                keys,
                vec![NewKey {
                    name: o.fixed.map(str::to_owned),
                    parts: o.parts.clone(),
                    generated: false,
                    primary: false,
                    object: Some(o.at),
                }],
            );
            record_keys(t, ti, &st.keys, &mut recorded, &mut out.chosen, too_long)?;
        }
        states.insert(ti, st);
    }
    for &(ti, ci) in &order.deferred {
        let (Some(t), Some(st)) = (views.get(ti), states.get_mut(&ti)) else {
            continue;
        };
        let Some(o) = t.constraints.get(ci) else {
            continue;
        };
        let keys = std::mem::take(&mut st.keys);
        st.keys = add_keys(
            keys,
            vec![NewKey {
                name: o.fixed.map(str::to_owned),
                parts: o.parts.clone(),
                generated: true,
                primary: false,
                object: None,
            }],
        );
        let name = match o.fixed {
            Some(n) => n.to_owned(),
            None => {
                let prefix = format!("{}_ibfk_", t.name);
                let highest = st
                    .foreign_keys
                    .iter()
                    .filter_map(|n| n.strip_prefix(&prefix))
                    .filter(|d| !d.starts_with('0') && d.bytes().all(|b| b.is_ascii_digit()))
                    .filter_map(|d| d.parse::<u64>().ok())
                    .max()
                    .unwrap_or(0);
                let name = format!("{prefix}{}", highest + 1);
                too_long(t, "foreign key".into(), &name)?;
                out.chosen.push(Chosen {
                    table: ti,
                    at: o.at,
                    name: Some(name.clone()),
                });
                name
            }
        };
        st.foreign_keys.push(name);
    }
    let mut tables: Vec<&usize> = states.keys().collect();
    tables.sort();
    for &ti in tables {
        for k in &states[&ti].keys {
            if k.generated {
                out.implicit.push(Implicit {
                    table: ti,
                    columns: k.parts.iter().map(|p| p.text().to_owned()).collect(),
                    name: k.name.clone(),
                });
            }
        }
    }
    Ok(out)
}

/// Records the name of each key of `t` that the rules name and that has
/// none recorded yet, checking its length.
fn record_keys(
    t: &View<'_>,
    ti: usize,
    keys: &[Key<'_>],
    recorded: &mut HashSet<ObjectAt>,
    chosen: &mut Vec<Chosen>,
    too_long: impl Fn(&View<'_>, String, &str) -> Result<(), TooLong>,
) -> Result<(), TooLong> {
    for k in keys {
        let Some(at) = k.object else { continue };
        if at == ObjectAt::PrimaryKey {
            continue;
        }
        let ours = match at {
            ObjectAt::Constraint(i) => t.constraints.get(i).is_some_and(|o| o.is_ours()),
            ObjectAt::Index(i) => t.indexes.get(i).is_some_and(|o| o.is_ours()),
            ObjectAt::PrimaryKey => false,
        };
        if ours && recorded.insert(at) {
            let what = match at {
                ObjectAt::Index(_) => "index",
                _ => "unique constraint",
            };
            let parts: Vec<&str> = k.parts.iter().map(|p| p.text()).collect();
            too_long(t, format!("{what} ({})", parts.join(", ")), &k.name)?;
            chosen.push(Chosen {
                table: ti,
                at,
                name: Some(k.name.clone()),
            });
        }
    }
    Ok(())
}

/// The names of the unnamed checks of `t`.
fn checks(
    t: &View<'_>,
    ti: usize,
    flavor: Flavor,
    chosen: &mut Vec<Chosen>,
    too_long: impl Fn(&View<'_>, String, &str) -> Result<(), TooLong>,
) -> Result<(), TooLong> {
    let list = t.checks(false, flavor.kind());
    let mut taken: Vec<String> = list
        .iter()
        .filter_map(|(o, _)| o.fixed.map(str::to_owned))
        .collect();
    let mut named = |o: &crate::view::Obj<'_>, name: String, taken: &mut Vec<String>| {
        taken.push(name.clone());
        chosen.push(Chosen {
            table: ti,
            at: o.at,
            name: Some(name),
        });
    };
    match flavor {
        Flavor::MariaDb => {
            // A check in its column's definition is named after the column.
            for (o, inline) in &list {
                if let (true, true, What::Check(ck)) = (o.is_ours(), *inline, o.what) {
                    let col = ck.column().unwrap_or_default().to_owned();
                    named(o, col, &mut taken);
                }
            }
            let mut nr = 1;
            for (o, inline) in &list {
                if !o.is_ours() || *inline {
                    continue;
                }
                let name = loop {
                    let n = format!("CONSTRAINT_{nr}");
                    nr += 1;
                    if !taken.iter().any(|t| same(t, &n)) {
                        break n;
                    }
                };
                named(o, name, &mut taken);
            }
        }
        Flavor::MySql => {
            let mut nr = 1;
            for (o, _) in &list {
                if !o.is_ours() {
                    continue;
                }
                let name = loop {
                    let n = format!("{}_chk_{nr}", t.name);
                    nr += 1;
                    if !taken.iter().any(|t| same(t, &n)) {
                        break n;
                    }
                };
                too_long(t, "check constraint".into(), &name)?;
                named(o, name, &mut taken);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| (*s).to_owned()).collect()
    }

    fn parts<'a>(c: &[&'a str]) -> Vec<Part<'a>> {
        c.iter().map(|s| Part::Column(s)).collect()
    }

    #[test]
    fn key_names_take_the_first_column_then_a_number() {
        let taken = cols(&["b", "A"]);
        assert_eq!(key_name("c", &taken), "c");
        assert_eq!(key_name("a", &taken), "a_2");
        // Measured on MariaDB 10.11: a column named `primary` gives `primary_2`.
        assert_eq!(key_name("primary", &[]), "primary_2");
    }

    #[test]
    fn a_later_key_replaces_the_index_of_a_foreign_key() {
        // Measured on MariaDB 10.11: `FOREIGN KEY (c)` makes key `c`, which
        // `ADD INDEX (c, d)` replaces, taking the name `c`.
        let fk = NewKey {
            name: None,
            parts: parts(&["c"]),
            generated: true,
            primary: false,
            object: None,
        };
        let keys = add_keys(Vec::new(), vec![fk]);
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].name, "c");
        let ix = NewKey {
            name: None,
            parts: parts(&["c", "d"]),
            generated: false,
            primary: false,
            object: Some(ObjectAt::Index(0)),
        };
        let keys = add_keys(keys, vec![ix]);
        assert_eq!(keys.len(), 1);
        assert_eq!((keys[0].name.as_str(), keys[0].generated), ("c", false));
    }
}
