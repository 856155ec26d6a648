//! What a database's catalog says: tables, columns, keys, constraints,
//! indexes and views, each with its name, in the server's own spelling.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::dialect::Dialect;
use crate::schema::ColumnType;

/// A snapshot of a database's catalog: everything `reflect` reads, and what
/// two databases are compared by (`spec/evolve.md`, "The catalog is the
/// truth").
///
/// Tables are sorted by schema and name, and every list of constraints and
/// indexes by name (then columns), so that two snapshots of equal databases
/// are equal values. Columns keep the server's order; [`Catalog::differences`]
/// does not compare it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// The database's kind of server: `postgresql`, `sqlite`, `mysql` or
    /// `mariadb` (the connection's dialect).
    pub dialect: String,
    /// The tables.
    pub tables: Vec<CatalogTable>,
    /// The views.
    pub views: Vec<CatalogView>,
    /// What the model has no place for, carried as the catalog's own DDL
    /// (enum types, domains, functions, triggers, ...).
    pub carried: Vec<Carried>,
    /// What was neither read into the model nor carried, one line each.
    pub warnings: Vec<String>,
}

/// A table, as the catalog has it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogTable {
    /// Its schema; `None` for the connection's default schema.
    pub schema: Option<String>,
    /// Its name.
    pub name: String,
    /// Its comment.
    pub comment: Option<String>,
    /// Its columns, in the server's order.
    pub columns: Vec<CatalogColumn>,
    /// Its primary key.
    pub primary_key: Option<CatalogKey>,
    /// Its foreign keys.
    pub foreign_keys: Vec<CatalogForeignKey>,
    /// Its unique constraints.
    pub uniques: Vec<CatalogKey>,
    /// Its check constraints.
    pub checks: Vec<CatalogCheck>,
    /// Its indexes, other than those that back a primary key or a unique
    /// constraint.
    pub indexes: Vec<CatalogIndex>,
    /// What the table is that the model cannot say, in the server's words
    /// (SQLite's `WITHOUT ROWID`, `STRICT`, `AUTOINCREMENT`): a table made
    /// again from a document loses it. Not compared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// A column.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogColumn {
    /// Its name.
    pub name: String,
    /// Its type as the server spells it (`character varying(40)`, `INTEGER`).
    pub ty: String,
    /// Whether it may be null.
    pub nullable: bool,
    /// Its default as the server keeps it; `None` for none. An
    /// auto-increment column's generated default is not kept here.
    pub default: Option<String>,
    /// Its comment.
    pub comment: Option<String>,
    /// Whether the server fills it in (`SERIAL`, `AUTO_INCREMENT`, SQLite's
    /// rowid alias).
    pub auto_increment: bool,
}

/// A primary key or a unique constraint.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogKey {
    /// Its name; `None` where the server keeps none (SQLite).
    pub name: Option<String>,
    /// Its columns, in key order.
    pub columns: Vec<String>,
}

/// A foreign key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogForeignKey {
    /// Its name; `None` where the server keeps none (SQLite).
    pub name: Option<String>,
    /// Its columns.
    pub columns: Vec<String>,
    /// The referred table's schema; `None` for the default schema.
    pub referred_schema: Option<String>,
    /// The referred table.
    pub referred_table: String,
    /// The referred columns.
    pub referred_columns: Vec<String>,
    /// `ON DELETE`, upper case; `None` for `NO ACTION`.
    pub on_delete: Option<String>,
    /// `ON UPDATE`, upper case; `None` for `NO ACTION`.
    pub on_update: Option<String>,
}

/// A check constraint.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogCheck {
    /// Its name; `None` where the server keeps none (SQLite).
    pub name: Option<String>,
    /// Its expression as the server normalises it, without `CHECK`.
    pub sql: String,
    /// The column it is declared on, where the catalog records that (a
    /// column-level check in SQLite's table SQL, or in a document), or
    /// the one column it uses on PostgreSQL, which keeps no record of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

/// An index.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogIndex {
    /// Its name.
    pub name: String,
    /// Whether it is unique.
    pub unique: bool,
    /// Its parts, in order.
    pub parts: Vec<IndexPart>,
    /// Its predicate (a partial index's `WHERE`).
    pub predicate: Option<String>,
}

/// One part of an index: a column or an expression.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IndexPart {
    /// A column, by name.
    Column(String),
    /// An expression, as the server prints it.
    Expression(String),
}

impl fmt::Display for IndexPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexPart::Column(c) => f.write_str(c),
            IndexPart::Expression(e) => write!(f, "({e})"),
        }
    }
}

/// A view.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogView {
    /// Its schema; `None` for the default schema.
    pub schema: Option<String>,
    /// Its name.
    pub name: String,
    /// Its `SELECT`, as the server prints it.
    pub sql: String,
}

/// An object the model does not cover, carried as the DDL the catalog
/// gives for it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Carried {
    /// What it is: `enum type`, `domain`, `function`, `trigger`, ...
    pub kind: String,
    /// Its schema-qualified name, for messages.
    pub name: String,
    /// The table it belongs to (a trigger's), as `(schema, name)`.
    pub table: Option<(Option<String>, String)>,
    /// Whether it must exist before the tables (types, domains, functions,
    /// extensions) rather than after them (triggers).
    pub before_tables: bool,
    /// The statement that creates it.
    pub create: String,
    /// The statement that drops it, where there is one.
    pub drop: Option<String>,
}

impl CatalogTable {
    /// `schema.name`, or `name` in the default schema.
    pub fn full_name(&self) -> String {
        qualified(self.schema.as_deref(), &self.name)
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&CatalogColumn> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The column whose type `checks[i]` stands for, and that type, as
    /// `reader` reads the two together (MariaDB keeps `JSON` as `longtext`
    /// with `CHECK (json_valid(col))`, named as the column); `None` for an
    /// ordinary check.
    pub fn type_check(
        &self,
        i: usize,
        reader: &dyn Dialect,
    ) -> Option<(&CatalogColumn, ColumnType)> {
        let ck = &self.checks[i];
        let column = self.column(ck.name.as_deref()?)?;
        let ty = reader.parse_checked_type(&column.ty, &column.name, &ck.sql)?;
        Some((column, ty))
    }
}

/// `schema.name`, or `name` without a schema.
pub(crate) fn qualified(schema: Option<&str>, name: &str) -> String {
    match schema {
        Some(s) => format!("{s}.{name}"),
        None => name.to_owned(),
    }
}

impl Catalog {
    /// Applies `rewrite` to every SQL text the catalog read: defaults,
    /// checks, index expressions and predicates, and views.
    pub(crate) fn rewrite_sql(&mut self, rewrite: impl Fn(&str) -> Option<String>) {
        let apply = |sql: &mut String| {
            if let Some(new) = rewrite(sql) {
                *sql = new;
            }
        };
        for t in &mut self.tables {
            t.columns
                .iter_mut()
                .filter_map(|c| c.default.as_mut())
                .for_each(apply);
            t.checks.iter_mut().for_each(|c| apply(&mut c.sql));
            for ix in &mut t.indexes {
                ix.predicate.iter_mut().for_each(apply);
                for part in &mut ix.parts {
                    if let IndexPart::Expression(e) = part {
                        apply(e);
                    }
                }
            }
        }
        self.views.iter_mut().for_each(|v| apply(&mut v.sql));
    }

    /// Puts every list in its canonical order (see [`Catalog`]).
    pub fn sort(&mut self) {
        self.tables
            .sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
        self.views
            .sort_by(|a, b| (&a.schema, &a.name).cmp(&(&b.schema, &b.name)));
        for t in &mut self.tables {
            t.foreign_keys
                .sort_by(|a, b| (&a.name, &a.columns).cmp(&(&b.name, &b.columns)));
            t.uniques
                .sort_by(|a, b| (&a.name, &a.columns).cmp(&(&b.name, &b.columns)));
            t.checks
                .sort_by(|a, b| (&a.name, &a.sql).cmp(&(&b.name, &b.sql)));
            t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        }
    }

    /// The table `name` in `schema` (`None`: the default schema).
    pub fn table(&self, schema: Option<&str>, name: &str) -> Option<&CatalogTable> {
        self.tables
            .iter()
            .find(|t| t.schema.as_deref() == schema && t.name == name)
    }

    /// How `other` differs from `self`, one readable line per difference
    /// (`-` only in `self`, `+` only in `other`, `~` changed); empty when
    /// the two databases are equal.
    ///
    /// Column order is not compared, and two constraints the server keeps
    /// unnamed count as equally named. Carried objects and warnings are not
    /// compared.
    pub fn differences(&self, other: &Catalog) -> Vec<String> {
        let mut out = Vec::new();
        let key = |t: &CatalogTable| (t.schema.clone(), t.name.clone());
        for a in &self.tables {
            match other.tables.iter().find(|b| key(b) == key(a)) {
                None => out.push(format!("- table {}", a.full_name())),
                Some(b) => table_differences(a, b, &mut out),
            }
        }
        for b in &other.tables {
            if !self.tables.iter().any(|a| key(a) == key(b)) {
                out.push(format!("+ table {}", b.full_name()));
            }
        }
        let view = |v: &CatalogView| (v.schema.clone(), v.name.clone());
        for a in &self.views {
            let name = qualified(a.schema.as_deref(), &a.name);
            match other.views.iter().find(|b| view(b) == view(a)) {
                None => out.push(format!("- view {name}")),
                Some(b) if squash(&b.sql) != squash(&a.sql) => out.push(format!(
                    "~ view {name}: {:?} → {:?}",
                    a.sql.trim(),
                    b.sql.trim()
                )),
                Some(_) => {}
            }
        }
        for b in &other.views {
            if !self.views.iter().any(|a| view(a) == view(b)) {
                out.push(format!(
                    "+ view {}",
                    qualified(b.schema.as_deref(), &b.name)
                ));
            }
        }
        out
    }
}

/// `sql` with runs of white space made one space, for comparing view text.
fn squash(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn table_differences(a: &CatalogTable, b: &CatalogTable, out: &mut Vec<String>) {
    let t = a.full_name();
    if a.comment != b.comment {
        out.push(format!(
            "~ table {t}: comment {:?} → {:?}",
            a.comment, b.comment
        ));
    }
    for ca in &a.columns {
        match b.column(&ca.name) {
            None => out.push(format!("- column {t}.{}", ca.name)),
            Some(cb) if ca != cb => out.push(format!(
                "~ column {t}.{}: {} → {}",
                ca.name,
                describe_column(ca),
                describe_column(cb)
            )),
            Some(_) => {}
        }
    }
    for cb in &b.columns {
        if a.column(&cb.name).is_none() {
            out.push(format!("+ column {t}.{}", cb.name));
        }
    }
    let pk = |k: &Option<CatalogKey>| k.as_ref().map(describe_key);
    if pk(&a.primary_key) != pk(&b.primary_key) {
        out.push(format!(
            "~ table {t}: primary key {} → {}",
            pk(&a.primary_key).unwrap_or_else(|| "none".into()),
            pk(&b.primary_key).unwrap_or_else(|| "none".into())
        ));
    }
    compare_lists(
        &t,
        "foreign key",
        &a.foreign_keys,
        &b.foreign_keys,
        describe_fk,
        out,
    );
    compare_lists(&t, "unique", &a.uniques, &b.uniques, describe_key, out);
    compare_lists(&t, "check", &a.checks, &b.checks, describe_check, out);
    compare_lists(&t, "index", &a.indexes, &b.indexes, describe_index, out);
}

/// Compares two lists as multisets of their descriptions.
fn compare_lists<T>(
    table: &str,
    what: &str,
    a: &[T],
    b: &[T],
    describe: impl Fn(&T) -> String,
    out: &mut Vec<String>,
) {
    let mut rest: Vec<String> = b.iter().map(&describe).collect();
    let mut missing = Vec::new();
    for x in a {
        let d = describe(x);
        match rest.iter().position(|y| *y == d) {
            Some(i) => {
                rest.remove(i);
            }
            None => missing.push(d),
        }
    }
    for d in missing {
        out.push(format!("- {what} on {table}: {d}"));
    }
    for d in rest {
        out.push(format!("+ {what} on {table}: {d}"));
    }
}

fn describe_column(c: &CatalogColumn) -> String {
    let mut s = c.ty.clone();
    if !c.nullable {
        s.push_str(" NOT NULL");
    }
    if c.auto_increment {
        s.push_str(" auto-increment");
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    if let Some(cm) = &c.comment {
        s.push_str(&format!(" COMMENT {cm:?}"));
    }
    s
}

fn name_of(n: &Option<String>) -> &str {
    n.as_deref().unwrap_or("(unnamed)")
}

fn describe_key(k: &CatalogKey) -> String {
    format!("{} ({})", name_of(&k.name), k.columns.join(", "))
}

fn describe_fk(k: &CatalogForeignKey) -> String {
    let mut s = format!(
        "{} ({}) → {}({})",
        name_of(&k.name),
        k.columns.join(", "),
        qualified(k.referred_schema.as_deref(), &k.referred_table),
        k.referred_columns.join(", ")
    );
    if let Some(d) = &k.on_delete {
        s.push_str(&format!(" ON DELETE {d}"));
    }
    if let Some(u) = &k.on_update {
        s.push_str(&format!(" ON UPDATE {u}"));
    }
    s
}

fn describe_check(c: &CatalogCheck) -> String {
    format!("{} CHECK ({})", name_of(&c.name), c.sql)
}

fn describe_index(i: &CatalogIndex) -> String {
    let parts: Vec<String> = i.parts.iter().map(ToString::to_string).collect();
    let mut s = format!(
        "{}{} ({})",
        if i.unique { "unique " } else { "" },
        i.name,
        parts.join(", ")
    );
    if let Some(p) = &i.predicate {
        s.push_str(&format!(" WHERE {p}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> CatalogTable {
        CatalogTable {
            name: "t".into(),
            columns: vec![
                CatalogColumn {
                    name: "id".into(),
                    ty: "integer".into(),
                    auto_increment: true,
                    ..Default::default()
                },
                CatalogColumn {
                    name: "a".into(),
                    ty: "text".into(),
                    nullable: true,
                    ..Default::default()
                },
            ],
            primary_key: Some(CatalogKey {
                name: Some("t_pkey".into()),
                columns: vec!["id".into()],
            }),
            checks: vec![CatalogCheck {
                name: None,
                sql: "a <> ''".into(),
                column: None,
            }],
            ..Default::default()
        }
    }

    #[test]
    fn equal_catalogs_have_no_differences_whatever_the_column_order() {
        let a = Catalog {
            tables: vec![table()],
            ..Default::default()
        };
        let mut b = a.clone();
        b.tables[0].columns.reverse();
        assert!(a.differences(&b).is_empty());
    }

    #[test]
    fn differences_name_the_object_and_both_sides() {
        let a = Catalog {
            tables: vec![table()],
            ..Default::default()
        };
        let mut b = a.clone();
        b.tables[0].columns[1].nullable = false;
        b.tables[0].checks[0].name = Some("t_a_check".into());
        b.tables[0].primary_key.as_mut().unwrap().name = Some("pk_t".into());
        let d = a.differences(&b);
        assert_eq!(
            d,
            [
                "~ column t.a: text → text NOT NULL",
                "~ table t: primary key t_pkey (id) → pk_t (id)",
                "- check on t: (unnamed) CHECK (a <> '')",
                "+ check on t: t_a_check CHECK (a <> '')",
            ]
        );
        assert_eq!(b.differences(&b), Vec::<String>::new());
    }
}
