//! SQLite: `sqlite_master` and the `pragma_*` table-valued functions, read
//! with a fixed number of queries whatever the number of tables (each
//! pragma joined to `sqlite_master` once for all tables of every schema).
//!
//! SQLite keeps constraint names, check expressions, index expressions and
//! partial-index predicates only in the statements' text, which
//! `sqlite_sql` reads. Schemas are attached databases; `main` is the
//! default one.

use std::collections::HashMap;

use super::catalog::{
    Carried, Catalog, CatalogCheck, CatalogColumn, CatalogForeignKey, CatalogIndex, CatalogKey,
    CatalogTable, CatalogView, IndexPart,
};
use super::error::{query_err, ReflectError};
use super::rows::{flag, opt, text, Row};
use super::sqlite_sql::{parse_create_index, parse_create_table, view_select, TableDef};
use super::{Reader, ReflectOptions};
use crate::dialect::{Dialect, Sqlite};

/// The default schema.
const MAIN: &str = "main";

/// Reads an SQLite catalog.
pub(crate) fn read(db: &mut dyn Reader, options: &ReflectOptions) -> Result<Catalog, ReflectError> {
    let attached: Vec<String> = db
        .rows("SELECT name FROM pragma_database_list ORDER BY seq")
        .map_err(query_err("the attached databases"))?
        .iter()
        .map(|r| text(r, 0))
        .filter(|n| n != "temp")
        .collect();
    let wanted = options.wanted(MAIN);
    let mut schemas: Vec<String> = Vec::new();
    for s in &wanted {
        match attached.iter().find(|a| a.eq_ignore_ascii_case(s)) {
            Some(a) if !schemas.contains(a) => schemas.push(a.clone()),
            Some(_) => {}
            None if options.skip_missing => {}
            None => {
                return Err(ReflectError::NoSchema {
                    schema: s.clone(),
                    available: attached,
                })
            }
        }
    }
    let mut r = Reading {
        catalog: Catalog {
            dialect: "sqlite".into(),
            ..Catalog::default()
        },
        tables: HashMap::new(),
        defs: Vec::new(),
    };
    r.master(db, &schemas)?;
    r.columns(db, &schemas)?;
    r.foreign_keys(db, &schemas)?;
    r.indexes(db, &schemas)?;
    let mut catalog = r.catalog;
    catalog.sort();
    Ok(catalog)
}

/// The queries of each schema, joined with `UNION ALL`; `{s}` stands for
/// the schema as a literal, `{q}` for it quoted.
fn union(schemas: &[String], each: &str, order: &str) -> String {
    let parts: Vec<String> = schemas
        .iter()
        .map(|s| {
            each.replace("{s}", &Sqlite.string_literal(s))
                .replace("{q}", &Sqlite.quote(s))
        })
        .collect();
    format!("{} ORDER BY {order}", parts.join(" UNION ALL "))
}

/// The tables of `sqlite_master` `m` that the pragmas are asked about:
/// neither SQLite's own nor virtual (whose module may not be loaded).
const ORDINARY_TABLES: &str = "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
     AND upper(substr(ltrim(m.sql), 1, 14)) <> 'CREATE VIRTUAL'";

/// What is known while the catalog is read.
struct Reading {
    catalog: Catalog,
    /// (schema, lower-case table name) → position in `catalog.tables`.
    tables: HashMap<(String, String), usize>,
    /// The parsed `CREATE TABLE` of each table, by position.
    defs: Vec<TableDef>,
}

/// A column's default as it must be written in `CREATE TABLE`. SQLite's
/// `table_info` gives an expression default without the parentheses its
/// grammar requires (`DEFAULT (datetime('now'))` reads back as
/// `datetime('now')`); literals, signed numbers and `CURRENT_*` stand bare.
fn default_as_written(text: String) -> String {
    let t = text.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    let number = digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && digits
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'));
    let blob = t
        .strip_prefix(['x', 'X'])
        .is_some_and(|b| one_literal(b, '\''));
    let keyword = [
        "null",
        "true",
        "false",
        "current_time",
        "current_date",
        "current_timestamp",
    ]
    .iter()
    .any(|k| t.eq_ignore_ascii_case(k));
    if number || one_literal(t, '\'') || one_literal(t, '"') || blob || keyword {
        text
    } else {
        format!("({t})")
    }
}

/// Whether `t` is one literal between quotes `q` (doubled inside).
fn one_literal(t: &str, q: char) -> bool {
    let Some(inner) = t.strip_prefix(q).and_then(|t| t.strip_suffix(q)) else {
        return false;
    };
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == q && chars.next() != Some(q) {
            return false;
        }
    }
    true
}

/// `None` for the default schema.
fn schema_of(s: &str) -> Option<String> {
    (s != MAIN).then(|| s.to_owned())
}

/// `schema.name`, or `name` in the default schema, quoted.
fn quoted(schema: &str, name: &str) -> String {
    if schema == MAIN {
        Sqlite.quote(name)
    } else {
        format!("{}.{}", Sqlite.quote(schema), Sqlite.quote(name))
    }
}

/// `schema.name`, or `name` in the default schema, for messages.
fn full(schema: &str, name: &str) -> String {
    if schema == MAIN {
        name.to_owned()
    } else {
        format!("{schema}.{name}")
    }
}

impl Reading {
    fn table_at(&self, schema: &str, name: &str) -> Option<usize> {
        self.tables
            .get(&(schema.to_owned(), name.to_lowercase()))
            .copied()
    }

    /// The actual spelling of column `name` of table `ti` (SQLite's names
    /// are case-insensitive), or `name` itself.
    fn column_name(&self, ti: usize, name: &str) -> String {
        self.catalog.tables[ti]
            .columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
            .map_or_else(|| name.to_owned(), |c| c.name.clone())
    }

    fn warn(&mut self, line: String) {
        self.catalog.warnings.push(line);
    }

    /// Tables, views, triggers and virtual tables from `sqlite_master`.
    fn master(&mut self, db: &mut dyn Reader, schemas: &[String]) -> Result<(), ReflectError> {
        let rows = db
            .rows(&union(
                schemas,
                "SELECT {s}, type, name, tbl_name, sql FROM {q}.sqlite_master \
                 WHERE type IN ('table', 'view', 'trigger') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                "1, 2, 3",
            ))
            .map_err(query_err("the tables and views"))?;
        // Shadow tables belong to a virtual table and come back with it.
        let shadow: Vec<(String, String)> =
            match db.rows("SELECT schema, name FROM pragma_table_list WHERE type = 'shadow'") {
                Ok(rows) => rows
                    .iter()
                    .map(|r| (text(r, 0), text(r, 1).to_lowercase()))
                    .collect(),
                Err(_) => Vec::new(),
            };
        for row in rows {
            let (schema, kind, name) = (text(&row, 0), text(&row, 1), text(&row, 2));
            let sql = text(&row, 4);
            let q = quoted(&schema, &name);
            let what = full(&schema, &name);
            match kind.as_str() {
                "view" => match view_select(&sql) {
                    Some(select) => self.catalog.views.push(CatalogView {
                        schema: schema_of(&schema),
                        name,
                        sql: select,
                    }),
                    None => {
                        self.warn(format!(
                            "view {what} is carried as custom DDL: it names its columns, which the model does not express"
                        ));
                        self.catalog.carried.push(Carried {
                            kind: "view".into(),
                            name: what,
                            table: None,
                            before_tables: false,
                            create: sql,
                            drop: Some(format!("DROP VIEW IF EXISTS {q}")),
                        });
                    }
                },
                "trigger" => {
                    let table = text(&row, 3);
                    self.catalog.carried.push(Carried {
                        kind: "trigger".into(),
                        name: format!("{}.{name}", full(&schema, &table)),
                        table: Some((schema_of(&schema), table)),
                        before_tables: false,
                        create: sql,
                        drop: None,
                    });
                }
                _ if shadow.contains(&(schema.clone(), name.to_lowercase())) => {}
                _ if sql
                    .trim_start()
                    .get(..14)
                    .is_some_and(|p| p.eq_ignore_ascii_case("CREATE VIRTUAL")) =>
                {
                    self.warn(format!(
                        "virtual table {what} is carried as custom DDL (virtual tables are outside the model)"
                    ));
                    self.catalog.carried.push(Carried {
                        kind: "virtual table".into(),
                        name: what,
                        table: None,
                        before_tables: false,
                        create: sql,
                        drop: Some(format!("DROP TABLE IF EXISTS {q}")),
                    });
                }
                _ => {
                    let def = parse_create_table(&sql);
                    if def.without_rowid {
                        self.warn(format!(
                            "table {what} is WITHOUT ROWID; it is reflected as a plain table"
                        ));
                    }
                    if def.strict {
                        self.warn(format!(
                            "table {what} is STRICT; it is reflected as a plain table"
                        ));
                    }
                    if def.autoincrement {
                        self.warn(format!(
                            "table {what} has an AUTOINCREMENT key (row ids never reused); it is reflected as a plain rowid alias"
                        ));
                    }
                    self.tables.insert(
                        (schema.clone(), name.to_lowercase()),
                        self.catalog.tables.len(),
                    );
                    let comment = def.comment.clone();
                    let options = [
                        (def.without_rowid, "WITHOUT ROWID"),
                        (def.strict, "STRICT"),
                        (def.autoincrement, "AUTOINCREMENT"),
                    ]
                    .iter()
                    .filter(|(on, _)| *on)
                    .map(|(_, what)| (*what).to_owned())
                    .collect();
                    self.defs.push(def);
                    self.catalog.tables.push(CatalogTable {
                        schema: schema_of(&schema),
                        name,
                        comment,
                        options,
                        ..CatalogTable::default()
                    });
                }
            }
        }
        Ok(())
    }

    /// Columns and primary keys (`pragma_table_xinfo`), with the names and
    /// checks of the parsed text.
    fn columns(&mut self, db: &mut dyn Reader, schemas: &[String]) -> Result<(), ReflectError> {
        let rows = db
            .rows(&union(
                schemas,
                &format!(
                    "SELECT {{s}}, m.name, p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden \
                     FROM {{q}}.sqlite_master m JOIN pragma_table_xinfo(m.name, {{s}}) p \
                     WHERE {ORDINARY_TABLES}"
                ),
                "1, 2, 3",
            ))
            .map_err(query_err("the columns"))?;
        // Position in the primary key, per table.
        let mut pk: HashMap<usize, Vec<(i64, String)>> = HashMap::new();
        for row in rows {
            let (schema, table) = (text(&row, 0), text(&row, 1));
            let Some(ti) = self.table_at(&schema, &table) else {
                continue;
            };
            let name = text(&row, 3);
            let mut default = opt(&row, 6).map(default_as_written);
            let generated = match text(&row, 8).as_str() {
                "2" => Some("VIRTUAL"),
                "3" => Some("STORED"),
                "1" => continue,
                _ => None,
            };
            if generated.is_some() {
                default = None;
            }
            let position: i64 = text(&row, 7).parse().unwrap_or(0);
            if position > 0 {
                pk.entry(ti).or_default().push((position, name.clone()));
            }
            let def = self.defs[ti]
                .columns
                .iter()
                .find(|d| d.name.eq_ignore_ascii_case(&name));
            let comment = def.and_then(|d| d.comment.clone());
            // A collation is part of the type as the document writes it
            // (`TEXT COLLATE NOCASE`), which DDL passes on.
            let mut ty = text(&row, 4);
            if let Some(collation) = def.and_then(|d| d.collation.as_deref()) {
                ty = format!("{ty} COLLATE {}", Sqlite.quote(collation))
                    .trim_start()
                    .to_owned();
            }
            // So is a generated column's expression.
            if let Some(how) = generated {
                match def.and_then(|d| d.generated.as_deref()) {
                    Some(expr) => {
                        ty = format!("{ty} GENERATED ALWAYS AS ({expr}) {how}")
                            .trim_start()
                            .to_owned();
                    }
                    None => self.warn(format!(
                        "column {}.{name} is a generated column ({how}) whose expression was not \
                         found in the table's SQL; it is reflected as a plain column",
                        full(&schema, &table)
                    )),
                }
            }
            self.catalog.tables[ti].columns.push(CatalogColumn {
                name,
                ty,
                nullable: !flag(&row, 5),
                default,
                comment,
                auto_increment: false,
            });
        }
        for ti in 0..self.catalog.tables.len() {
            let def = self.defs[ti].clone();
            let mut key = pk.remove(&ti).unwrap_or_default();
            key.sort();
            let columns: Vec<String> = key.into_iter().map(|(_, c)| c).collect();
            // The rowid alias: one column, declared exactly INTEGER.
            if let [c] = &columns[..] {
                let desc = def
                    .columns
                    .iter()
                    .any(|d| d.name.eq_ignore_ascii_case(c) && d.primary_key_desc);
                let t = &mut self.catalog.tables[ti];
                if let Some(col) = t.columns.iter_mut().find(|x| x.name == *c) {
                    if col.ty.eq_ignore_ascii_case("INTEGER") && !def.without_rowid && !desc {
                        col.auto_increment = true;
                        col.nullable = false;
                    }
                }
            }
            if !columns.is_empty() {
                self.catalog.tables[ti].primary_key = Some(CatalogKey {
                    name: def.primary_key.as_ref().and_then(|k| k.name.clone()),
                    columns,
                });
            }
            for u in &def.uniques {
                let columns = u.columns.iter().map(|c| self.column_name(ti, c)).collect();
                self.catalog.tables[ti].uniques.push(CatalogKey {
                    name: u.name.clone(),
                    columns,
                });
            }
            for c in def.checks {
                let column = c.column.map(|x| self.column_name(ti, &x));
                self.catalog.tables[ti].checks.push(CatalogCheck {
                    name: c.name,
                    sql: c.sql,
                    column,
                });
            }
        }
        Ok(())
    }

    /// Foreign keys (`pragma_foreign_key_list`), named from the parsed text.
    fn foreign_keys(
        &mut self,
        db: &mut dyn Reader,
        schemas: &[String],
    ) -> Result<(), ReflectError> {
        let rows = db
            .rows(&union(
                schemas,
                &format!(
                    "SELECT {{s}}, m.name, p.id, p.seq, p.\"table\", p.\"from\", p.\"to\", p.on_update, p.on_delete \
                     FROM {{q}}.sqlite_master m JOIN pragma_foreign_key_list(m.name, {{s}}) p \
                     WHERE {ORDINARY_TABLES}"
                ),
                "1, 2, 3, 4",
            ))
            .map_err(query_err("the foreign keys"))?;
        // (table, id) → the key's rows, in order.
        let mut keys: Vec<((usize, String), Vec<Row>)> = Vec::new();
        for row in rows {
            let Some(ti) = self.table_at(&text(&row, 0), &text(&row, 1)) else {
                continue;
            };
            let k = (ti, text(&row, 2));
            match keys.iter_mut().find(|(x, _)| *x == k) {
                Some((_, v)) => v.push(row),
                None => keys.push((k, vec![row])),
            }
        }
        // SQLite numbers foreign keys from the last one written.
        keys.sort_by_key(|((ti, id), _)| (*ti, std::cmp::Reverse(id.parse::<i64>().unwrap_or(0))));
        let mut used: HashMap<usize, Vec<bool>> = HashMap::new();
        for ((ti, _), rows) in keys {
            let schema = text(&rows[0], 0);
            let written = text(&rows[0], 4);
            // SQLite resolves the name in the table's own database; a key
            // written for a table in another schema (which SQLite cannot
            // refer to, and does not check) is read as referring to the
            // table of that name in the first schema read that has one.
            let referred = self
                .table_at(&schema, &written)
                .or_else(|| schemas.iter().find_map(|s| self.table_at(s, &written)));
            let Some(r) = referred else {
                let t = &self.catalog.tables[ti];
                self.catalog.warnings.push(format!(
                    "a foreign key of {} refers to table {written}, which is not among the tables read; it is not reflected",
                    t.full_name()
                ));
                continue;
            };
            let referred_schema = self.catalog.tables[r].schema.clone();
            let referred_table = self.catalog.tables[r].name.clone();
            let columns: Vec<String> = rows
                .iter()
                .map(|r| self.column_name(ti, &text(r, 5)))
                .collect();
            let mut referred_columns: Vec<String> = rows.iter().filter_map(|r| opt(r, 6)).collect();
            if referred_columns.is_empty() {
                // `REFERENCES t` without columns: its primary key.
                referred_columns = self.catalog.tables[r]
                    .primary_key
                    .as_ref()
                    .map(|k| k.columns.clone())
                    .unwrap_or_default();
            } else {
                referred_columns = referred_columns
                    .iter()
                    .map(|c| self.column_name(r, c))
                    .collect();
            }
            // The name: the first written key with these columns (and table).
            let defs = &self.defs[ti].foreign_keys;
            let taken = used.entry(ti).or_insert_with(|| vec![false; defs.len()]);
            let same_columns = |j: usize| {
                defs[j].columns.len() == columns.len()
                    && defs[j]
                        .columns
                        .iter()
                        .zip(&columns)
                        .all(|(a, b)| a.eq_ignore_ascii_case(b))
            };
            let hit = (0..defs.len())
                .find(|&j| {
                    !taken[j] && same_columns(j) && defs[j].table.eq_ignore_ascii_case(&written)
                })
                .or_else(|| (0..defs.len()).find(|&j| !taken[j] && same_columns(j)));
            let deferrable = hit.is_some_and(|j| defs[j].deferrable);
            let name = hit.and_then(|j| {
                taken[j] = true;
                defs[j].name.clone()
            });
            if deferrable {
                let table = self.catalog.tables[ti].full_name();
                self.warn(format!(
                    "foreign key {} ({}) of table {} is DEFERRABLE; it is reflected as a plain \
                     foreign key (SQLite cannot add one to a table afterwards, so it is not carried)",
                    name.as_deref().unwrap_or("(unnamed)"),
                    columns.join(", "),
                    table
                ));
            }
            let action =
                |s: String| (!s.eq_ignore_ascii_case("NO ACTION")).then(|| s.to_uppercase());
            let fk = CatalogForeignKey {
                name,
                columns,
                referred_schema,
                referred_table,
                referred_columns,
                on_delete: action(text(&rows[0], 8)),
                on_update: action(text(&rows[0], 7)),
            };
            self.catalog.tables[ti].foreign_keys.push(fk);
        }
        Ok(())
    }

    /// Indexes made by `CREATE INDEX` (`pragma_index_list`,
    /// `pragma_index_xinfo`); those behind a primary key or unique
    /// constraint are the constraint's.
    fn indexes(&mut self, db: &mut dyn Reader, schemas: &[String]) -> Result<(), ReflectError> {
        let list = db
            .rows(&union(
                schemas,
                &format!(
                    "SELECT {{s}}, m.name, p.name, p.\"unique\", p.origin, p.partial \
                     FROM {{q}}.sqlite_master m JOIN pragma_index_list(m.name, {{s}}) p \
                     WHERE {ORDINARY_TABLES} AND p.origin = 'c'"
                ),
                "1, 2, 3",
            ))
            .map_err(query_err("the indexes"))?;
        let parts = db
            .rows(&union(
                schemas,
                "SELECT {s}, m.name, p.seqno, p.cid, p.name, m.sql \
                 FROM {q}.sqlite_master m JOIN pragma_index_xinfo(m.name, {s}) p \
                 WHERE m.type = 'index' AND m.sql IS NOT NULL AND p.\"key\" = 1",
                "1, 2, 3",
            ))
            .map_err(query_err("the index columns"))?;
        let mut by_index: HashMap<(String, String), Vec<Row>> = HashMap::new();
        for row in parts {
            by_index
                .entry((text(&row, 0), text(&row, 1)))
                .or_default()
                .push(row);
        }
        for row in list {
            let (schema, table, name) = (text(&row, 0), text(&row, 1), text(&row, 2));
            let Some(ti) = self.table_at(&schema, &table) else {
                continue;
            };
            let mut cols = by_index
                .remove(&(schema.clone(), name.clone()))
                .unwrap_or_default();
            cols.sort_by_key(|r| text(r, 2).parse::<i64>().unwrap_or(0));
            let sql = cols.first().map(|r| text(r, 5)).unwrap_or_default();
            let def = parse_create_index(&sql);
            if def.items.iter().any(|i| i.ordered) {
                self.warn(format!(
                    "index {} is carried as custom DDL: it has COLLATE, ASC or DESC, which the model does not express",
                    full(&schema, &name)
                ));
                self.catalog.carried.push(Carried {
                    kind: "index".into(),
                    name: full(&schema, &name),
                    table: Some((schema_of(&schema), table)),
                    before_tables: false,
                    create: sql,
                    drop: None,
                });
                continue;
            }
            let parts = cols
                .iter()
                .map(|r| match text(r, 3).as_str() {
                    "-2" => {
                        let seq: usize = text(r, 2).parse().unwrap_or(0);
                        IndexPart::Expression(
                            def.items
                                .get(seq)
                                .map(|i| i.text.clone())
                                .unwrap_or_default(),
                        )
                    }
                    "-1" => IndexPart::Column("rowid".into()),
                    _ => IndexPart::Column(text(r, 4)),
                })
                .collect();
            let predicate = if flag(&row, 5) {
                def.predicate.clone()
            } else {
                None
            };
            self.catalog.tables[ti].indexes.push(CatalogIndex {
                name,
                unique: flag(&row, 3),
                parts,
                predicate,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Connection, DbError, Engine, Rows};

    /// A connection that counts its queries.
    struct Counting(Connection, usize);

    impl Reader for Counting {
        fn rows(&mut self, sql: &str) -> Result<Rows, DbError> {
            self.1 += 1;
            self.0.query(sql)
        }
    }

    fn database(sql: &str) -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
        let mut conn = Engine::from_url(&url).unwrap().connect().unwrap();
        conn.execute(sql).unwrap();
        (dir, conn)
    }

    fn read_all(conn: Connection, schemas: &[&str]) -> (Catalog, usize) {
        let mut c = Counting(conn, 0);
        let options = ReflectOptions {
            schemas: schemas.iter().map(|s| (*s).to_owned()).collect(),
            ..ReflectOptions::default()
        };
        let catalog = read(&mut c, &options).unwrap();
        (catalog, c.1)
    }

    const SHOP: &str = "
        CREATE TABLE \"Customer\" (
            id INTEGER NOT NULL,
            email VARCHAR(120) NOT NULL DEFAULT 'x''y',
            \"we\"\"ird\" TEXT,
            CONSTRAINT pk_customer PRIMARY KEY (id),
            CONSTRAINT \"uq \"\"email\"\"\" UNIQUE (email),
            CHECK (length(email) > (0))
        );
        CREATE TABLE orders (
            id INTEGER PRIMARY KEY, -- the rowid
            customer_id INTEGER CONSTRAINT fk_one REFERENCES customer (ID) ON DELETE CASCADE,
            other_id INTEGER,
            code BIGINT NOT NULL,
            total NUMERIC(10, 2) DEFAULT 0,
            CONSTRAINT \"check\" CHECK (total >= 0),
            UNIQUE (code, customer_id),
            FOREIGN KEY (other_id) REFERENCES \"Customer\" ON UPDATE SET NULL
        );
        CREATE INDEX ix_orders_total ON orders (total, customer_id);
        CREATE UNIQUE INDEX ix_lower ON \"Customer\" (lower(email)) WHERE \"we\"\"ird\" IS NOT NULL;
        CREATE INDEX ix_desc ON orders (code DESC);
        CREATE VIEW big AS SELECT id FROM orders WHERE total > 100;
        CREATE TRIGGER tr AFTER INSERT ON orders BEGIN SELECT 1; END;
        CREATE TABLE codes (code TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;
        CREATE TABLE seq (id INTEGER PRIMARY KEY AUTOINCREMENT, a INT, b INT GENERATED ALWAYS AS (a + 1));
        CREATE TABLE bigkey (id BIGINT PRIMARY KEY);
    ";

    #[test]
    fn a_deferrable_foreign_key_is_named_on_standard_error() {
        let (_dir, conn) = database(
            "CREATE TABLE p (id INTEGER PRIMARY KEY);
             CREATE TABLE c (id INTEGER PRIMARY KEY,
                 pid INTEGER REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED,
                 qid INTEGER REFERENCES p (id) NOT DEFERRABLE);",
        );
        let (c, _) = read_all(conn, &[]);
        let said: Vec<&String> = c
            .warnings
            .iter()
            .filter(|w| w.contains("DEFERRABLE"))
            .collect();
        assert_eq!(said.len(), 1, "{:?}", c.warnings);
        assert!(said[0].contains("(pid) of table c"), "{said:?}");
    }

    #[test]
    fn a_columns_collation_is_kept_with_its_type() {
        let (_dir, conn) = database(
            "CREATE TABLE c (id INTEGER PRIMARY KEY, h TEXT NOT NULL COLLATE NOCASE UNIQUE,
                r varchar(5) CONSTRAINT named COLLATE \"RTRIM\" CHECK (r <> ''), plain TEXT);",
        );
        let (c, _) = read_all(conn, &[]);
        let types: Vec<&str> = c.tables[0].columns.iter().map(|c| c.ty.as_str()).collect();
        assert_eq!(
            types,
            [
                "INTEGER",
                "TEXT COLLATE NOCASE",
                "varchar(5) COLLATE RTRIM",
                "TEXT"
            ]
        );
        // The name before COLLATE is not the check's.
        assert_eq!(c.tables[0].checks[0].name, None);
    }

    #[test]
    fn expression_defaults_get_back_the_parentheses_sqlite_requires() {
        let (_dir, conn) = database(
            "CREATE TABLE c (id INTEGER PRIMARY KEY, a TEXT DEFAULT (datetime('now')),
                b INT DEFAULT (1 + 1), s TEXT DEFAULT 'it''s', n INT DEFAULT -1.5e3,
                t TEXT DEFAULT CURRENT_TIMESTAMP, x BLOB DEFAULT x'00ff', p INT DEFAULT (5),
                q TEXT DEFAULT ('a' || 'b'));",
        );
        let (c, _) = read_all(conn, &[]);
        let defaults: Vec<Option<&str>> = c.tables[0]
            .columns
            .iter()
            .map(|c| c.default.as_deref())
            .collect();
        assert_eq!(
            defaults,
            [
                None,
                Some("(datetime('now'))"),
                Some("(1 + 1)"),
                Some("'it''s'"),
                Some("-1.5e3"),
                Some("CURRENT_TIMESTAMP"),
                Some("x'00ff'"),
                Some("5"),
                Some("('a' || 'b')"),
            ]
        );
    }

    #[test]
    fn a_database_is_read_back_with_names_from_its_text() {
        let (_dir, conn) = database(SHOP);
        let (c, _) = read_all(conn, &[]);
        assert_eq!(c.dialect, "sqlite");
        let names: Vec<&str> = c.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Customer", "bigkey", "codes", "orders", "seq"]);

        let cu = c.table(None, "Customer").unwrap();
        assert_eq!(cu.columns[1].ty, "VARCHAR(120)");
        assert_eq!(cu.columns[1].default.as_deref(), Some("'x''y'"));
        assert!(!cu.columns[1].nullable && cu.columns[2].nullable);
        assert_eq!(cu.columns[2].name, "we\"ird");
        assert!(cu.columns[0].auto_increment);
        let pk = cu.primary_key.as_ref().unwrap();
        assert_eq!(
            (pk.name.as_deref(), &pk.columns[..]),
            (Some("pk_customer"), &["id".to_owned()][..])
        );
        assert_eq!(cu.uniques[0].name.as_deref(), Some("uq \"email\""));
        assert_eq!(cu.checks[0].sql, "length(email) > (0)");
        assert_eq!(cu.checks[0].name, None);
        assert_eq!(
            cu.indexes,
            [CatalogIndex {
                name: "ix_lower".into(),
                unique: true,
                parts: vec![IndexPart::Expression("lower(email)".into())],
                predicate: Some("\"we\"\"ird\" IS NOT NULL".into()),
            }]
        );

        let o = c.table(None, "orders").unwrap();
        assert!(o.columns[0].auto_increment && !o.columns[0].nullable);
        assert_eq!(o.primary_key.as_ref().unwrap().name, None);
        assert_eq!(o.uniques[0].columns, ["code", "customer_id"]);
        assert_eq!(o.checks[0].name.as_deref(), Some("check"));
        type Fk<'a> = (
            Option<&'a str>,
            &'a str,
            &'a str,
            Option<&'a str>,
            Option<&'a str>,
        );
        let fks: Vec<Fk> = o
            .foreign_keys
            .iter()
            .map(|f| {
                (
                    f.name.as_deref(),
                    f.columns[0].as_str(),
                    f.referred_columns[0].as_str(),
                    f.on_delete.as_deref(),
                    f.on_update.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            fks,
            [
                (None, "other_id", "id", None, Some("SET NULL")),
                (Some("fk_one"), "customer_id", "id", Some("CASCADE"), None),
            ]
        );
        assert!(o
            .foreign_keys
            .iter()
            .all(|f| f.referred_table == "Customer"));
        assert_eq!(o.indexes.len(), 1);
        assert_eq!(
            o.indexes[0].parts,
            [
                IndexPart::Column("total".into()),
                IndexPart::Column("customer_id".into())
            ]
        );

        assert!(!c.table(None, "codes").unwrap().columns[0].auto_increment);
        assert!(!c.table(None, "bigkey").unwrap().columns[0].auto_increment);
        assert_eq!(c.views[0].sql, "SELECT id FROM orders WHERE total > 100");
        let kinds: Vec<(&str, &str)> = c
            .carried
            .iter()
            .map(|x| (x.kind.as_str(), x.name.as_str()))
            .collect();
        assert!(kinds.contains(&("trigger", "orders.tr")), "{kinds:?}");
        assert!(kinds.contains(&("index", "ix_desc")), "{kinds:?}");
        let trigger = c.carried.iter().find(|x| x.kind == "trigger").unwrap();
        assert!(!trigger.before_tables && trigger.create.starts_with("CREATE TRIGGER tr"));
        // A generated column is read exactly, its expression in its type.
        let seq = c.table(None, "seq").unwrap();
        assert_eq!(seq.columns[2].ty, "INT GENERATED ALWAYS AS (a + 1) VIRTUAL");
        assert!(
            !c.warnings.iter().any(|w| w.contains("seq.b")),
            "{:?}",
            c.warnings
        );
        for needle in [
            "codes is WITHOUT ROWID",
            "seq has an AUTOINCREMENT",
            "ix_desc",
        ] {
            assert!(
                c.warnings.iter().any(|w| w.contains(needle)),
                "no warning about {needle}: {:?}",
                c.warnings
            );
        }
    }

    #[test]
    fn the_number_of_queries_does_not_grow_with_the_tables() {
        let (_d1, small) = database("CREATE TABLE a (id INTEGER PRIMARY KEY)");
        let (_, few) = read_all(small, &[]);
        let (_d2, large) = database(SHOP);
        let (c, many) = read_all(large, &[]);
        assert_eq!(c.tables.len(), 5);
        assert_eq!(few, many);
    }

    #[test]
    fn attached_schemas_are_read_and_absent_ones_reported() {
        // `a` was written for s1.b: SQLite's REFERENCES cannot name a schema.
        let (dir, mut conn) = database(
            "CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b (id), \
             z_id INTEGER REFERENCES nowhere (id))",
        );
        let other = dir.path().join("db.s1.sqlite");
        conn.execute(&format!("ATTACH DATABASE '{}' AS s1", other.display()))
            .unwrap();
        conn.execute(
            "CREATE TABLE s1.b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES b (id)); \
             CREATE INDEX s1.ix_b ON b (a_id)",
        )
        .unwrap();
        let mut c = Counting(conn, 0);
        let options = ReflectOptions {
            schemas: vec!["main".into(), "s1".into()],
            ..ReflectOptions::default()
        };
        let catalog = read(&mut c, &options).unwrap();
        let b = catalog.table(Some("s1"), "b").unwrap();
        assert_eq!(b.foreign_keys[0].referred_schema.as_deref(), Some("s1"));
        assert_eq!(b.indexes[0].name, "ix_b");
        let a = catalog.table(None, "a").unwrap();
        assert_eq!(a.foreign_keys.len(), 1);
        assert_eq!(a.foreign_keys[0].referred_schema.as_deref(), Some("s1"));
        assert_eq!(a.foreign_keys[0].referred_table, "b");
        assert!(
            catalog.warnings.iter().any(|w| w.contains("table nowhere")),
            "{:?}",
            catalog.warnings
        );
        let e = read(
            &mut c,
            &ReflectOptions {
                schemas: vec!["nope".into()],
                ..ReflectOptions::default()
            },
        )
        .unwrap_err();
        assert!(matches!(e, ReflectError::NoSchema { .. }), "{e}");
    }
}
