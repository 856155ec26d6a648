//! MySQL 8 and MariaDB: `information_schema`, read with a fixed number of
//! queries whatever the number of tables.
//!
//! The two servers are told apart by `VERSION()`; where their catalogs
//! differ (MariaDB's `CHECK_CONSTRAINTS.LEVEL` and `STATISTICS.IGNORED`,
//! MySQL's `STATISTICS.EXPRESSION` and `IS_VISIBLE`, how `COLUMN_DEFAULT`
//! is spelled) each gets its own query or reading.

use std::collections::{BTreeMap, HashMap};

use super::catalog::{
    Carried, Catalog, CatalogCheck, CatalogColumn, CatalogForeignKey, CatalogIndex, CatalogKey,
    CatalogTable, CatalogView, IndexPart,
};
use super::error::{query_err, ReflectError};
use super::rows::{opt, text, Row};
use super::{Reader, ReflectOptions};
use crate::dialect::{Dialect, MySql};
use crate::schema::DialectKind;

/// Which server answers: the catalogs differ in a few columns and in how
/// defaults are spelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flavour {
    MySql,
    MariaDb,
}

/// Reads a MySQL or MariaDB catalog. `kind` (the connection's dialect)
/// names the catalog's dialect; which catalog columns there are is told by
/// `VERSION()` too, so that a MariaDB server read as `mysql` is read right.
pub(crate) fn read(
    db: &mut dyn Reader,
    kind: DialectKind,
    options: &ReflectOptions,
) -> Result<Catalog, ReflectError> {
    let first = db
        .rows("SELECT DATABASE(), VERSION()")
        .map_err(query_err("the current database"))?;
    let row = first.first().cloned().unwrap_or_default();
    let default = opt(&row, 0);
    let flavour = if kind == DialectKind::MariaDb || text(&row, 1).contains("MariaDB") {
        Flavour::MariaDb
    } else {
        Flavour::MySql
    };
    let databases = db
        .rows(
            "SELECT SCHEMA_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA \
             WHERE SCHEMA_NAME NOT IN ('information_schema', 'mysql', 'performance_schema', 'sys') \
             ORDER BY SCHEMA_NAME",
        )
        .map_err(query_err("the databases"))?;
    let present: Vec<String> = databases.iter().map(|r| text(r, 0)).collect();
    let collations: HashMap<String, String> = databases
        .iter()
        .filter_map(|r| Some((text(r, 0), opt(r, 1)?)))
        .collect();
    let mut schemas = match &default {
        Some(d) => options.wanted(d),
        None if options.schemas.is_empty() => {
            return Err(ReflectError::NoSchema {
                schema: "(the connection's database: the URL names none)".into(),
                available: present,
            })
        }
        None => options.schemas.clone(),
    };
    if options.skip_missing {
        schemas.retain(|s| present.contains(s));
    }
    for s in &schemas {
        if !present.contains(s) {
            return Err(ReflectError::NoSchema {
                schema: s.clone(),
                available: present,
            });
        }
    }
    let in_schemas = literal_list(&schemas);
    let mut r = Reading {
        default: default.unwrap_or_default(),
        schemas,
        collations,
        flavour,
        catalog: Catalog {
            dialect: kind.name().into(),
            ..Catalog::default()
        },
        tables: HashMap::new(),
    };
    r.tables(db, &in_schemas)?;
    r.columns(db, &in_schemas)?;
    r.keys(db, &in_schemas)?;
    r.checks(db, &in_schemas)?;
    r.indexes(db, &in_schemas)?;
    r.views(db, &in_schemas)?;
    r.triggers(db, &in_schemas)?;
    r.routines(db, &in_schemas)?;
    r.events(db, &in_schemas)?;
    let mut catalog = r.catalog;
    catalog.rewrite_sql(doubled_quotes);
    // Databases other than the connection's own come first, so that the
    // document applies to a server that lacks them.
    let own_databases = r
        .schemas
        .iter()
        .filter(|s| **s != r.default)
        .map(|s| Carried {
            kind: "database".into(),
            name: s.clone(),
            table: None,
            before_tables: true,
            create: format!("CREATE DATABASE IF NOT EXISTS {}", bq(s)),
            drop: None,
        });
    catalog.carried.splice(0..0, own_databases);
    catalog.sort();
    Ok(catalog)
}

/// `sql` with each `\'` inside a string literal written `''`, or `None`
/// when there is none. The server prints a quote in a literal of a check
/// or a view as `\'`, which reads otherwise with NO_BACKSLASH_ESCAPES (and
/// which nomenclator therefore refuses in raw SQL); `''` reads the same
/// either way.
fn doubled_quotes(sql: &str) -> Option<String> {
    if !sql.contains("\\'") {
        return None;
    }
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut changed = false;
    while let Some(c) = chars.next() {
        out.push(c);
        match c {
            '`' => {
                for c in chars.by_ref() {
                    out.push(c);
                    if c == '`' {
                        break;
                    }
                }
            }
            '\'' | '"' => {
                let quote = c;
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => match chars.next() {
                            Some('\'') if quote == '\'' => {
                                out.push_str("''");
                                changed = true;
                            }
                            Some(next) => {
                                out.push('\\');
                                out.push(next);
                            }
                            None => out.push('\\'),
                        },
                        c if c == quote => {
                            out.push(c);
                            if chars.peek() == Some(&quote) {
                                out.push(quote);
                                chars.next();
                            } else {
                                break;
                            }
                        }
                        c => out.push(c),
                    }
                }
            }
            _ => {}
        }
    }
    changed.then_some(out)
}

/// `name` between backticks, each backtick doubled: every name the
/// carried DDL writes is quoted, whatever it holds.
fn bq(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// `('a', 'b')` as MySQL string literals (names are data: quoted, never
/// pasted).
fn literal_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| MySql.string_literal(s)).collect();
    format!("({})", quoted.join(", "))
}

/// What is known while the catalog is read.
struct Reading {
    /// The connection's database (`""` when the URL names none).
    default: String,
    /// The databases read.
    schemas: Vec<String>,
    /// Each database's default collation.
    collations: HashMap<String, String>,
    flavour: Flavour,
    catalog: Catalog,
    /// (schema, table) → its position in `catalog.tables`.
    tables: HashMap<(String, String), usize>,
}

impl Reading {
    /// `None` for the default schema.
    fn schema(&self, s: &str) -> Option<String> {
        (s != self.default).then(|| s.to_owned())
    }

    /// The table's position, if it was read.
    fn table(&self, row: &Row, schema: usize, name: usize) -> Option<usize> {
        self.tables
            .get(&(text(row, schema), text(row, name)))
            .copied()
    }

    /// `schema.name` quoted, or `name` alone in the default schema.
    fn qualified(&self, schema: &str, name: &str) -> String {
        if schema == self.default {
            bq(name)
        } else {
            format!("{}.{}", bq(schema), bq(name))
        }
    }

    fn tables(&mut self, db: &mut dyn Reader, in_schemas: &str) -> Result<(), ReflectError> {
        let rows = db
            .rows(&format!(
                "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_COMMENT, ENGINE \
                 FROM information_schema.TABLES WHERE TABLE_SCHEMA IN {in_schemas} \
                 ORDER BY TABLE_SCHEMA, TABLE_NAME"
            ))
            .map_err(query_err("the tables"))?;
        for row in rows {
            let (schema, name, kind) = (text(&row, 0), text(&row, 1), text(&row, 2));
            let full = format!("{schema}.{name}");
            match kind.as_str() {
                // Views are read from VIEWS.
                "VIEW" | "SYSTEM VIEW" => {}
                "SEQUENCE" => self.catalog.warnings.push(format!(
                    "sequence {full} is not reflected (sequences are outside the model on MariaDB)"
                )),
                _ => {
                    if kind == "SYSTEM VERSIONED" {
                        self.catalog.warnings.push(format!(
                            "table {full} is system-versioned; it is reflected as a plain table"
                        ));
                    }
                    let engine = text(&row, 4);
                    if !engine.is_empty() && !engine.eq_ignore_ascii_case("InnoDB") {
                        self.catalog.warnings.push(format!(
                            "table {full} uses ENGINE={engine}; the document does not say so (the server's default engine applies)"
                        ));
                    }
                    self.tables
                        .insert((schema.clone(), name.clone()), self.catalog.tables.len());
                    let schema = self.schema(&schema);
                    self.catalog.tables.push(CatalogTable {
                        schema,
                        name,
                        comment: opt(&row, 3).filter(|c| !c.is_empty()),
                        ..CatalogTable::default()
                    });
                }
            }
        }
        Ok(())
    }

    fn columns(&mut self, db: &mut dyn Reader, in_schemas: &str) -> Result<(), ReflectError> {
        let rows = db
            .rows(&format!(
                "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, \
                   COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT, GENERATION_EXPRESSION, COLLATION_NAME \
                 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN {in_schemas} \
                 ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION"
            ))
            .map_err(query_err("the columns"))?;
        for row in rows {
            let Some(ti) = self.table(&row, 0, 1) else {
                continue;
            };
            let name = text(&row, 2);
            let ty = text(&row, 3);
            let extra = text(&row, 6);
            let lower = extra.to_ascii_lowercase();
            let full = format!("{}.{name}", self.catalog.tables[ti].full_name());
            let mut default = normalise_default(self.flavour, &ty, opt(&row, 5), &extra);
            if lower.split_whitespace().any(|w| w == "invisible") {
                self.catalog.warnings.push(format!(
                    "column {full} is INVISIBLE; it is reflected as a visible column"
                ));
            }
            // What the model has no place for goes into the type as the
            // document writes it, which DDL passes on and the diff compares:
            // a collation other than the database's (`varchar(20) COLLATE
            // utf8mb4_bin`), a generated column's expression, and ON UPDATE.
            let mut ty = ty;
            let default_collation = self.collations.get(&text(&row, 0));
            if let (Some(collation), Some(d)) = (opt(&row, 9), default_collation) {
                if !collation.eq_ignore_ascii_case(d) {
                    ty = format!("{ty} COLLATE {collation}");
                }
            }
            if lower.contains("generated") && !lower.contains("default_generated") {
                let how = if lower.contains("stored") {
                    "STORED"
                } else {
                    "VIRTUAL"
                };
                ty = format!("{ty} GENERATED ALWAYS AS ({}) {how}", text(&row, 8));
                default = None;
            }
            if let Some(at) = lower.find("on update ") {
                let on_update = extra[at + "on update ".len()..].trim();
                ty = format!("{ty} ON UPDATE {on_update}");
            }
            self.catalog.tables[ti].columns.push(CatalogColumn {
                name,
                ty,
                nullable: text(&row, 4) == "YES",
                default,
                comment: opt(&row, 7).filter(|c| !c.is_empty()),
                auto_increment: lower.contains("auto_increment"),
            });
        }
        Ok(())
    }

    /// Primary keys and foreign keys. (Unique constraints are unique
    /// indexes, read with the indexes.)
    fn keys(&mut self, db: &mut dyn Reader, in_schemas: &str) -> Result<(), ReflectError> {
        let rows = db
            .rows(&format!(
                "SELECT tc.TABLE_SCHEMA, tc.TABLE_NAME, tc.CONSTRAINT_NAME, tc.CONSTRAINT_TYPE, \
                   k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, \
                   k.REFERENCED_COLUMN_NAME, rc.UPDATE_RULE, rc.DELETE_RULE \
                 FROM information_schema.TABLE_CONSTRAINTS tc \
                 JOIN information_schema.KEY_COLUMN_USAGE k \
                   ON k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA \
                   AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME \
                   AND k.TABLE_SCHEMA = tc.TABLE_SCHEMA AND k.TABLE_NAME = tc.TABLE_NAME \
                 LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS rc \
                   ON rc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA \
                   AND rc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME AND rc.TABLE_NAME = tc.TABLE_NAME \
                 WHERE tc.TABLE_SCHEMA IN {in_schemas} \
                   AND tc.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'FOREIGN KEY') \
                 ORDER BY tc.TABLE_SCHEMA, tc.TABLE_NAME, tc.CONSTRAINT_NAME, k.ORDINAL_POSITION"
            ))
            .map_err(query_err("the keys"))?;
        // (table, constraint) → the key, its columns gathered in order.
        let mut fks: BTreeMap<(usize, String), CatalogForeignKey> = BTreeMap::new();
        let mut fk_targets: HashMap<(usize, String), String> = HashMap::new();
        for row in rows {
            let Some(ti) = self.table(&row, 0, 1) else {
                continue;
            };
            let name = text(&row, 2);
            let column = text(&row, 4);
            if text(&row, 3) == "PRIMARY KEY" {
                // A system-versioned table's key holds its hidden `row_end`,
                // which is not one of its columns (nor in SHOW CREATE TABLE).
                if !self.catalog.tables[ti]
                    .columns
                    .iter()
                    .any(|c| c.name == column)
                {
                    continue;
                }
                // The server names every primary key `PRIMARY`: the name says
                // nothing, and is not kept.
                self.catalog.tables[ti]
                    .primary_key
                    .get_or_insert_with(CatalogKey::default)
                    .columns
                    .push(column);
                continue;
            }
            let referred_schema = text(&row, 5);
            fk_targets.insert((ti, name.clone()), referred_schema.clone());
            let fk = fks
                .entry((ti, name.clone()))
                .or_insert_with(|| CatalogForeignKey {
                    name: Some(name),
                    referred_schema: self.schema(&referred_schema),
                    referred_table: text(&row, 6),
                    on_delete: action(&text(&row, 9)),
                    on_update: action(&text(&row, 8)),
                    ..CatalogForeignKey::default()
                });
            fk.columns.push(column);
            fk.referred_columns.push(text(&row, 7));
        }
        for ((ti, name), fk) in fks {
            let target = &fk_targets[&(ti, name)];
            if self.schemas.contains(target) {
                self.catalog.tables[ti].foreign_keys.push(fk);
                continue;
            }
            // The referred table is not in the document: carried.
            let t = &self.catalog.tables[ti];
            let table_sql = self.qualified(&self.raw_schema(t), &t.name);
            let q = |cols: &[String]| cols.iter().map(|c| bq(c)).collect::<Vec<_>>().join(", ");
            let mut create = format!(
                "ALTER TABLE {table_sql} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {}.{} ({})",
                bq(fk.name.as_deref().unwrap_or_default()),
                q(&fk.columns),
                bq(target),
                bq(&fk.referred_table),
                q(&fk.referred_columns)
            );
            if let Some(d) = &fk.on_delete {
                create.push_str(&format!(" ON DELETE {d}"));
            }
            if let Some(u) = &fk.on_update {
                create.push_str(&format!(" ON UPDATE {u}"));
            }
            let name = format!("{}.{}", t.full_name(), fk.name.unwrap_or_default());
            self.catalog.warnings.push(format!(
                "foreign key {name} is carried as custom DDL: it refers to a table outside the reflected databases"
            ));
            self.catalog.carried.push(Carried {
                kind: "foreign key".into(),
                name,
                table: None,
                before_tables: false,
                create,
                drop: None,
            });
        }
        Ok(())
    }

    /// The database a table is in, spelled out.
    fn raw_schema(&self, t: &CatalogTable) -> String {
        t.schema.clone().unwrap_or_else(|| self.default.clone())
    }

    fn checks(&mut self, db: &mut dyn Reader, in_schemas: &str) -> Result<(), ReflectError> {
        // MariaDB keeps check names per table (and lists column-level
        // checks, named after their column); MySQL per database, and says
        // whether a check is enforced.
        let sql = match self.flavour {
            Flavour::MariaDb => format!(
                "SELECT cc.CONSTRAINT_SCHEMA, cc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE, 'YES', cc.LEVEL \
                 FROM information_schema.CHECK_CONSTRAINTS cc \
                 WHERE cc.CONSTRAINT_SCHEMA IN {in_schemas} \
                 ORDER BY cc.CONSTRAINT_SCHEMA, cc.TABLE_NAME, cc.CONSTRAINT_NAME"
            ),
            Flavour::MySql => format!(
                "SELECT tc.TABLE_SCHEMA, tc.TABLE_NAME, tc.CONSTRAINT_NAME, cc.CHECK_CLAUSE, tc.ENFORCED, NULL \
                 FROM information_schema.TABLE_CONSTRAINTS tc \
                 JOIN information_schema.CHECK_CONSTRAINTS cc \
                   ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA \
                   AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME \
                 WHERE tc.TABLE_SCHEMA IN {in_schemas} AND tc.CONSTRAINT_TYPE = 'CHECK' \
                 ORDER BY tc.TABLE_SCHEMA, tc.TABLE_NAME, tc.CONSTRAINT_NAME"
            ),
        };
        // `LEVEL` came with MariaDB 10.5.10: before, checks are read
        // without it (each then a table's).
        let rows = match db.rows(&sql) {
            Err(_) if self.flavour == Flavour::MariaDb => db
                .rows(&sql.replace("cc.LEVEL", "NULL"))
                .map_err(query_err("the check constraints"))?,
            r => r.map_err(query_err("the check constraints"))?,
        };
        for row in rows {
            let Some(ti) = self.table(&row, 0, 1) else {
                continue;
            };
            let name = text(&row, 2);
            let clause = text(&row, 3);
            if text(&row, 4) != "YES" {
                let t = &self.catalog.tables[ti];
                let full = format!("{}.{name}", t.full_name());
                self.catalog.warnings.push(format!(
                    "check constraint {full} is carried as custom DDL: it is NOT ENFORCED"
                ));
                self.catalog.carried.push(Carried {
                    kind: "check constraint".into(),
                    name: full,
                    table: None,
                    before_tables: false,
                    create: format!(
                        "ALTER TABLE {} ADD CONSTRAINT {} CHECK ({clause}) NOT ENFORCED",
                        self.qualified(&self.raw_schema(t), &t.name),
                        bq(&name)
                    ),
                    drop: None,
                });
                continue;
            }
            // MariaDB: a column-level check lives in its column's
            // definition, under the column's name (or, after the column
            // was renamed, its old name: the column is then the one the
            // clause names).
            let column = if opt(&row, 5).as_deref() == Some("Column") {
                column_level_check(&self.catalog.tables[ti], &name, &clause)
            } else {
                None
            };
            self.catalog.tables[ti].checks.push(CatalogCheck {
                name: Some(name),
                sql: clause,
                column,
            });
        }
        Ok(())
    }

    /// Indexes and unique constraints (which are unique indexes). An index
    /// the model cannot express (prefix lengths, FULLTEXT, SPATIAL,
    /// descending or functional parts, invisible) is carried as the
    /// `ALTER TABLE ... ADD INDEX` that makes it.
    fn indexes(&mut self, db: &mut dyn Reader, in_schemas: &str) -> Result<(), ReflectError> {
        let (expression, hidden) = match self.flavour {
            Flavour::MySql => ("EXPRESSION", "IS_VISIBLE = 'NO'"),
            Flavour::MariaDb => ("NULL", "IGNORED = 'YES'"),
        };
        let rows = db
            .rows(&format!(
                "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, \
                   INDEX_TYPE, COLLATION, {expression}, CASE WHEN {hidden} THEN 1 ELSE 0 END \
                 FROM information_schema.STATISTICS \
                 WHERE TABLE_SCHEMA IN {in_schemas} AND INDEX_NAME <> 'PRIMARY' \
                 ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"
            ))
            .map_err(query_err("the indexes"))?;
        let mut found: Vec<(usize, RawIndex)> = Vec::new();
        for row in rows {
            let Some(ti) = self.table(&row, 0, 1) else {
                continue;
            };
            let name = text(&row, 2);
            let fresh = !matches!(found.last(), Some((t, ix)) if *t == ti && ix.name == name);
            if fresh {
                found.push((
                    ti,
                    RawIndex {
                        name,
                        unique: text(&row, 3) == "0",
                        kind: text(&row, 6),
                        hidden: text(&row, 9) == "1",
                        parts: Vec::new(),
                    },
                ));
            }
            let part = match (opt(&row, 4), opt(&row, 8)) {
                (Some(c), _) => IndexPart::Column(c),
                (None, Some(e)) => IndexPart::Expression(unescape_mysql_expression(&e)),
                (None, None) => IndexPart::Expression(String::new()),
            };
            let prefix = opt(&row, 5);
            let descending = text(&row, 7) == "D";
            if let Some((_, ix)) = found.last_mut() {
                ix.parts.push(RawPart {
                    part,
                    prefix,
                    descending,
                });
            }
        }
        for (ti, ix) in found {
            if ix.is_plain() {
                let parts: Vec<IndexPart> = ix.parts.into_iter().map(|p| p.part).collect();
                let t = &mut self.catalog.tables[ti];
                if ix.unique {
                    let columns = parts.into_iter().map(|p| p.to_string()).collect();
                    t.uniques.push(CatalogKey {
                        name: Some(ix.name),
                        columns,
                    });
                } else {
                    t.indexes.push(CatalogIndex {
                        name: ix.name,
                        unique: false,
                        parts,
                        predicate: None,
                    });
                }
                continue;
            }
            let t = &self.catalog.tables[ti];
            let table_sql = self.qualified(&self.raw_schema(t), &t.name);
            let full = format!("{}.{}", t.full_name(), ix.name);
            let create = ix.ddl(&table_sql, self.flavour);
            self.catalog.carried.push(Carried {
                kind: "index".into(),
                name: full,
                table: None,
                before_tables: false,
                create,
                drop: None,
            });
        }
        Ok(())
    }

    fn views(&mut self, db: &mut dyn Reader, in_schemas: &str) -> Result<(), ReflectError> {
        let rows = db
            .rows(&format!(
                "SELECT TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION \
                 FROM information_schema.VIEWS WHERE TABLE_SCHEMA IN {in_schemas} \
                 ORDER BY TABLE_SCHEMA, TABLE_NAME"
            ))
            .map_err(query_err("the views"))?;
        for row in rows {
            let (schema, name) = (text(&row, 0), text(&row, 1));
            let check = text(&row, 3);
            if !check.is_empty() && check != "NONE" {
                self.catalog.warnings.push(format!(
                    "view {schema}.{name} has WITH {check} CHECK OPTION; the model does not express it"
                ));
            }
            let sql = strip_schema(text(&row, 2).trim(), &self.default);
            self.catalog.views.push(CatalogView {
                schema: self.schema(&schema),
                name,
                sql,
            });
        }
        Ok(())
    }

    fn triggers(&mut self, db: &mut dyn Reader, in_schemas: &str) -> Result<(), ReflectError> {
        let rows = db
            .rows(&format!(
                "SELECT TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, \
                   EVENT_MANIPULATION, ACTION_STATEMENT \
                 FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA IN {in_schemas} \
                 ORDER BY TRIGGER_SCHEMA, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, \
                   ACTION_ORDER"
            ))
            .map_err(query_err("the triggers"))?;
        for row in rows {
            let (schema, name, table) = (text(&row, 0), text(&row, 1), text(&row, 2));
            let create = format!(
                "CREATE TRIGGER {} {} {} ON {} FOR EACH ROW {}",
                self.qualified(&schema, &name),
                text(&row, 3),
                text(&row, 4),
                self.qualified(&schema, &table),
                text(&row, 5).trim()
            );
            self.catalog.carried.push(Carried {
                kind: "trigger".into(),
                name: format!("{schema}.{table}.{name}"),
                table: Some((self.schema(&schema), table)),
                before_tables: false,
                create,
                drop: None,
            });
        }
        Ok(())
    }

    /// Stored functions and procedures written in SQL, rebuilt from
    /// `ROUTINES` and `PARAMETERS`; others are named in a warning.
    fn routines(&mut self, db: &mut dyn Reader, in_schemas: &str) -> Result<(), ReflectError> {
        let routines = db
            .rows(&format!(
                "SELECT ROUTINE_SCHEMA, SPECIFIC_NAME, ROUTINE_TYPE, DTD_IDENTIFIER, ROUTINE_BODY, \
                   ROUTINE_DEFINITION, IS_DETERMINISTIC, SQL_DATA_ACCESS, SECURITY_TYPE, \
                   ROUTINE_COMMENT \
                 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA IN {in_schemas} \
                 ORDER BY ROUTINE_SCHEMA, ROUTINE_TYPE, SPECIFIC_NAME"
            ))
            .map_err(query_err("the routines"))?;
        if routines.is_empty() {
            return Ok(());
        }
        let parameters = db
            .rows(&format!(
                "SELECT SPECIFIC_SCHEMA, SPECIFIC_NAME, PARAMETER_MODE, PARAMETER_NAME, DTD_IDENTIFIER \
                 FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA IN {in_schemas} \
                   AND ORDINAL_POSITION > 0 \
                 ORDER BY SPECIFIC_SCHEMA, SPECIFIC_NAME, ORDINAL_POSITION"
            ))
            .map_err(query_err("the routines' parameters"))?;
        let mut params: HashMap<(String, String), Vec<String>> = HashMap::new();
        for p in parameters {
            let mode = opt(&p, 2).map(|m| format!("{m} ")).unwrap_or_default();
            params
                .entry((text(&p, 0), text(&p, 1)))
                .or_default()
                .push(format!("{mode}{} {}", bq(&text(&p, 3)), text(&p, 4)));
        }
        for row in routines {
            let (schema, name, kind) = (text(&row, 0), text(&row, 1), text(&row, 2));
            let full = format!("{schema}.{name}");
            let what = kind.to_ascii_lowercase();
            let Some(body) = opt(&row, 5).filter(|_| text(&row, 4) == "SQL") else {
                self.catalog.warnings.push(format!(
                    "{what} {full} is not reflected (its body is not readable SQL)"
                ));
                continue;
            };
            let list = params
                .remove(&(schema.clone(), name.clone()))
                .unwrap_or_default()
                .join(", ");
            let mut create = format!("CREATE {kind} {}({list})", self.qualified(&schema, &name));
            if kind == "FUNCTION" {
                create.push_str(&format!(" RETURNS {}", text(&row, 3)));
            }
            if let Some(c) = opt(&row, 9).filter(|c| !c.is_empty()) {
                create.push_str(&format!(" COMMENT {}", MySql.string_literal(&c)));
            }
            if text(&row, 6) == "YES" {
                create.push_str(" DETERMINISTIC");
            }
            create.push_str(&format!(
                " {} SQL SECURITY {} {}",
                text(&row, 7),
                text(&row, 8),
                body.trim()
            ));
            self.catalog.carried.push(Carried {
                kind: what,
                name: full,
                table: None,
                before_tables: true,
                create,
                drop: Some(format!(
                    "DROP {kind} IF EXISTS {}",
                    self.qualified(&schema, &name)
                )),
            });
        }
        Ok(())
    }

    /// Scheduled events: named in warnings.
    fn events(&mut self, db: &mut dyn Reader, in_schemas: &str) -> Result<(), ReflectError> {
        let rows = db
            .rows(&format!(
                "SELECT EVENT_SCHEMA, EVENT_NAME FROM information_schema.EVENTS \
                 WHERE EVENT_SCHEMA IN {in_schemas} ORDER BY EVENT_SCHEMA, EVENT_NAME"
            ))
            .map_err(query_err("the events"))?;
        for row in rows {
            self.catalog.warnings.push(format!(
                "event {}.{} is not reflected (scheduled events are outside the model)",
                text(&row, 0),
                text(&row, 1)
            ));
        }
        Ok(())
    }
}

/// An index as `STATISTICS` lists it, before it is sorted into the model
/// or carried.
struct RawIndex {
    name: String,
    unique: bool,
    /// `BTREE`, `HASH`, `FULLTEXT`, `SPATIAL`, ...
    kind: String,
    /// Invisible (MySQL) or ignored (MariaDB).
    hidden: bool,
    parts: Vec<RawPart>,
}

struct RawPart {
    part: IndexPart,
    /// The prefix length (`SUB_PART`).
    prefix: Option<String>,
    descending: bool,
}

impl RawIndex {
    /// Whether the model says all of it: visible, of plain columns, whole
    /// and ascending.
    fn is_plain(&self) -> bool {
        !self.hidden
            && !matches!(self.kind.as_str(), "FULLTEXT" | "SPATIAL")
            && self.parts.iter().all(|p| {
                matches!(p.part, IndexPart::Column(_)) && p.prefix.is_none() && !p.descending
            })
    }

    /// The statement that makes the index on `table_sql`.
    fn ddl(&self, table_sql: &str, flavour: Flavour) -> String {
        let kind = match self.kind.as_str() {
            "FULLTEXT" => "FULLTEXT ",
            "SPATIAL" => "SPATIAL ",
            _ if self.unique => "UNIQUE ",
            _ => "",
        };
        let parts: Vec<String> = self
            .parts
            .iter()
            .map(|p| {
                let mut s = match &p.part {
                    IndexPart::Column(c) => bq(c),
                    IndexPart::Expression(e) => format!("({e})"),
                };
                if let Some(n) = &p.prefix {
                    s.push_str(&format!("({n})"));
                }
                if p.descending {
                    s.push_str(" DESC");
                }
                s
            })
            .collect();
        let mut sql = format!(
            "ALTER TABLE {table_sql} ADD {kind}INDEX {} ({})",
            bq(&self.name),
            parts.join(", ")
        );
        if self.hidden {
            sql.push_str(match flavour {
                Flavour::MySql => " INVISIBLE",
                Flavour::MariaDb => " IGNORED",
            });
        }
        sql
    }
}

/// A referential action from `REFERENTIAL_CONSTRAINTS`; `None` for `NO
/// ACTION` and for `RESTRICT`, which InnoDB treats alike (MariaDB reports
/// an action left unsaid as `RESTRICT`, MySQL as `NO ACTION`).
fn action(rule: &str) -> Option<String> {
    match rule.trim().to_ascii_uppercase().as_str() {
        "" | "NO ACTION" | "RESTRICT" => None,
        other => Some(other.to_owned()),
    }
}

/// A column's `COLUMN_DEFAULT` as SQL that re-creates it; `None` for no
/// default and for `DEFAULT NULL`.
///
/// MariaDB keeps the SQL already (string literals quoted, `NULL` as the
/// text `NULL`, expressions as written); MySQL 8 keeps a literal's bare
/// value and an expression's text (`EXTRA` says `DEFAULT_GENERATED`), with
/// its quotes escaped. An expression other than `CURRENT_TIMESTAMP` and its
/// kin is put in parentheses, as both servers take it.
fn normalise_default(
    flavour: Flavour,
    ty: &str,
    default: Option<String>,
    extra: &str,
) -> Option<String> {
    let d = default?;
    match flavour {
        Flavour::MariaDb => {
            if d == "NULL" {
                None
            } else if is_literal(&d) || is_now(&d) || d.starts_with('(') {
                Some(d)
            } else {
                Some(format!("({d})"))
            }
        }
        Flavour::MySql => {
            if extra.to_ascii_uppercase().contains("DEFAULT_GENERATED") {
                let e = unescape_mysql_expression(&d);
                if is_now(&e) || e.starts_with('(') {
                    Some(e)
                } else {
                    Some(format!("({e})"))
                }
            } else if is_numeric_type(ty) || is_bit_literal(&d) {
                Some(d)
            } else {
                Some(MySql.string_literal(&d))
            }
        }
    }
}

/// A number, a quoted string, a bit or hex literal, or a boolean.
fn is_literal(d: &str) -> bool {
    let n = d.strip_prefix('-').unwrap_or(d);
    (!n.is_empty() && n.parse::<f64>().is_ok() && !n.contains(['i', 'I', 'n', 'N']))
        || (d.len() >= 2 && d.starts_with('\'') && d.ends_with('\''))
        || is_bit_literal(d)
        || d.eq_ignore_ascii_case("true")
        || d.eq_ignore_ascii_case("false")
}

/// `b'0101'`, `x'ff'` or `0x1f`.
fn is_bit_literal(d: &str) -> bool {
    let lower = d.to_ascii_lowercase();
    ((lower.starts_with("b'") || lower.starts_with("x'")) && lower.ends_with('\''))
        || (lower.starts_with("0x") && lower.len() > 2)
}

/// `CURRENT_TIMESTAMP`, `now()`, `current_timestamp(3)`, `LOCALTIME`, ...:
/// what a temporal default may be without parentheses.
fn is_now(d: &str) -> bool {
    let head = d.split('(').next().unwrap_or(d).trim().to_ascii_lowercase();
    let call_or_bare = !d.contains('(') || d.trim_end().ends_with(')');
    call_or_bare
        && matches!(
            head.as_str(),
            "current_timestamp" | "now" | "localtime" | "localtimestamp"
        )
}

/// Whether a `COLUMN_TYPE` is a number, whose default MySQL keeps bare.
fn is_numeric_type(ty: &str) -> bool {
    let head = ty
        .split(['(', ' '])
        .next()
        .unwrap_or(ty)
        .to_ascii_lowercase();
    matches!(
        head.as_str(),
        "tinyint"
            | "smallint"
            | "mediumint"
            | "int"
            | "integer"
            | "bigint"
            | "decimal"
            | "numeric"
            | "float"
            | "double"
            | "real"
            | "bit"
            | "bool"
            | "boolean"
            | "year"
    )
}

/// MySQL 8 writes the quotes of an expression's string literals escaped
/// (`_utf8mb4\'a\'`) in `COLUMN_DEFAULT` and `STATISTICS.EXPRESSION`.
fn unescape_mysql_expression(e: &str) -> String {
    e.replace("\\'", "'")
}

/// A view's text with the qualification by `schema` (MariaDB and MySQL
/// write `` `db`.`table` `` for every name) taken off, so that the view
/// applies in another database. String literals are left as they are.
fn strip_schema(sql: &str, schema: &str) -> String {
    if schema.is_empty() {
        return sql.to_owned();
    }
    let prefix = format!("{}.", bq(schema));
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while !rest.is_empty() {
        if rest.starts_with('\'') || rest.starts_with('"') {
            let end = literal_end(rest);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if rest.starts_with(&prefix) {
            rest = &rest[prefix.len()..];
        } else if rest.starts_with('`') {
            // A quoted name that is not the schema: copied whole.
            let end = quoted_end(rest);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The length of the string literal at the start of `s` (quote doubled or
/// backslash-escaped inside).
fn literal_end(s: &str) -> usize {
    let quote = s.as_bytes()[0];
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => {
                if bytes.get(i + 1) == Some(&quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            }
            _ => i += 1,
        }
    }
    s.len()
}

/// The length of the backtick-quoted name at the start of `s`.
fn quoted_end(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            if bytes.get(i + 1) == Some(&b'`') {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            i += 1;
        }
    }
    s.len()
}

/// The column of MariaDB's column-level check `name` of `t`: the column
/// of that name, else the one column the clause names (in backquotes, as
/// the server prints it).
fn column_level_check(t: &CatalogTable, name: &str, clause: &str) -> Option<String> {
    if let Some(c) = t.columns.iter().find(|c| c.name.eq_ignore_ascii_case(name)) {
        return Some(c.name.clone());
    }
    let mut named = clause
        .split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|w| t.columns.iter().find(|c| c.name.eq_ignore_ascii_case(w)))
        .map(|c| c.name.as_str());
    let first = named.next()?;
    named.all(|c| c == first).then(|| first.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{DbError, Rows};

    /// MariaDB's column-level check is on the column it is named after,
    /// or, once that column was renamed (the check keeps the old name), on
    /// the one column its clause names.
    #[test]
    fn a_column_level_check_finds_its_column() {
        let mut t = CatalogTable {
            name: "item".into(),
            ..Default::default()
        };
        for name in ["id", "Amount", "price"] {
            t.columns.push(CatalogColumn {
                name: name.into(),
                ty: "int(11)".into(),
                nullable: true,
                ..Default::default()
            });
        }
        assert_eq!(
            column_level_check(&t, "amount", "`x` > 0").as_deref(),
            Some("Amount")
        );
        assert_eq!(
            column_level_check(&t, "qty", "`amount` > 0").as_deref(),
            Some("Amount")
        );
        assert_eq!(column_level_check(&t, "qty", "`price` > `id`"), None);
        assert_eq!(column_level_check(&t, "qty", "1 > 0"), None);
    }

    #[test]
    fn mariadb_defaults_are_sql_already() {
        let m = |d: &str| normalise_default(Flavour::MariaDb, "varchar(10)", Some(d.into()), "");
        assert_eq!(m("NULL"), None);
        assert_eq!(m("'NULL'").as_deref(), Some("'NULL'"));
        assert_eq!(m("'a''b'").as_deref(), Some("'a''b'"));
        assert_eq!(m("-5").as_deref(), Some("-5"));
        assert_eq!(m("1.50").as_deref(), Some("1.50"));
        assert_eq!(m("b'101'").as_deref(), Some("b'101'"));
        assert_eq!(
            m("current_timestamp(3)").as_deref(),
            Some("current_timestamp(3)")
        );
        assert_eq!(m("rand()").as_deref(), Some("(rand())"));
        assert_eq!(m("(1 + 1)").as_deref(), Some("(1 + 1)"));
        assert_eq!(
            normalise_default(Flavour::MariaDb, "int(11)", None, ""),
            None
        );
    }

    #[test]
    fn mysql_defaults_are_quoted_by_the_column_type() {
        let m = |ty: &str, d: &str, extra: &str| {
            normalise_default(Flavour::MySql, ty, Some(d.into()), extra)
        };
        assert_eq!(m("varchar(10)", "a'b", "").as_deref(), Some("'a''b'"));
        assert_eq!(m("varchar(10)", "NULL", "").as_deref(), Some("'NULL'"));
        assert_eq!(m("varchar(10)", "a\\b", "").as_deref(), Some("'a\\\\b'"));
        assert_eq!(m("date", "2020-01-01", "").as_deref(), Some("'2020-01-01'"));
        assert_eq!(m("int", "-5", "").as_deref(), Some("-5"));
        assert_eq!(m("decimal(5,2)", "1.50", "").as_deref(), Some("1.50"));
        assert_eq!(m("bit(3)", "b'101'", "").as_deref(), Some("b'101'"));
        assert_eq!(
            m("datetime", "CURRENT_TIMESTAMP", "DEFAULT_GENERATED").as_deref(),
            Some("CURRENT_TIMESTAMP")
        );
        assert_eq!(
            m(
                "varchar(20)",
                "concat(_utf8mb4\\'a\\',_utf8mb4\\'b\\')",
                "DEFAULT_GENERATED"
            )
            .as_deref(),
            Some("(concat(_utf8mb4'a',_utf8mb4'b'))")
        );
        assert_eq!(normalise_default(Flavour::MySql, "int", None, ""), None);
    }

    #[test]
    fn restrict_and_no_action_are_one_action() {
        assert_eq!(action("RESTRICT"), None);
        assert_eq!(action("NO ACTION"), None);
        assert_eq!(action("CASCADE").as_deref(), Some("CASCADE"));
        assert_eq!(action("SET NULL").as_deref(), Some("SET NULL"));
    }

    #[test]
    fn views_lose_the_default_schema_only() {
        let sql = "select `shop`.`p`.`id` AS `id`,`other`.`q`.`x` AS `x` from (`shop`.`p` join `other`.`q`) \
                   where `shop`.`p`.`code` = '`shop`.' and `a``shop`.`b` = 1";
        assert_eq!(
            strip_schema(sql, "shop"),
            "select `p`.`id` AS `id`,`other`.`q`.`x` AS `x` from (`p` join `other`.`q`) \
             where `p`.`code` = '`shop`.' and `a``shop`.`b` = 1"
        );
        assert_eq!(strip_schema("select 1", ""), "select 1");
    }

    #[test]
    fn schema_lists_are_literals() {
        assert_eq!(
            literal_list(&["shop".into(), "o'ha\\ra".into()]),
            "('shop', 'o''ha\\\\ra')"
        );
    }

    #[test]
    fn indexes_the_model_cannot_say_are_carried_as_ddl() {
        let ix = RawIndex {
            name: "ix_t".into(),
            unique: true,
            kind: "BTREE".into(),
            hidden: true,
            parts: vec![
                RawPart {
                    part: IndexPart::Column("a".into()),
                    prefix: Some("20".into()),
                    descending: false,
                },
                RawPart {
                    part: IndexPart::Column("b".into()),
                    prefix: None,
                    descending: true,
                },
                RawPart {
                    part: IndexPart::Expression("lower(`c`)".into()),
                    prefix: None,
                    descending: false,
                },
            ],
        };
        assert!(!ix.is_plain());
        assert_eq!(
            ix.ddl("`t`", Flavour::MariaDb),
            "ALTER TABLE `t` ADD UNIQUE INDEX `ix_t` (`a`(20), `b` DESC, (lower(`c`))) IGNORED"
        );
        let ft = RawIndex {
            name: "ft".into(),
            unique: false,
            kind: "FULLTEXT".into(),
            hidden: false,
            parts: vec![RawPart {
                part: IndexPart::Column("body".into()),
                prefix: None,
                descending: false,
            }],
        };
        assert!(!ft.is_plain());
        assert_eq!(
            ft.ddl("`s`.`t`", Flavour::MySql),
            "ALTER TABLE `s`.`t` ADD FULLTEXT INDEX `ft` (`body`)"
        );
    }

    #[test]
    fn a_quote_the_server_escapes_is_doubled() {
        let d = |s: &str| doubled_quotes(s);
        assert_eq!(
            d("`name`  not like '%\\'%'").as_deref(),
            Some("`name`  not like '%''%'")
        );
        assert_eq!(d("a = 'a;b\\' -- c'").as_deref(), Some("a = 'a;b'' -- c'"));
        // Other escapes stay; a backtick name may hold anything.
        assert_eq!(d("a = 'x\\\\' or `q\\'` = 1"), None);
        assert_eq!(d("a > 0"), None);
        let my = crate::dialect::Lexical::MYSQL;
        let place = crate::dialect::SqlPlace::Fragment;
        assert!(crate::dialect::check_sql(&d("a <> 'it\\'s'").unwrap(), &my, place).is_ok());
    }

    /// Answers each catalog query by the table it reads, and counts them.
    struct Fake {
        queries: usize,
        answers: Vec<(&'static str, Rows)>,
    }

    impl Reader for Fake {
        fn rows(&mut self, sql: &str) -> Result<Rows, DbError> {
            self.queries += 1;
            Ok(self
                .answers
                .iter()
                .find(|(k, _)| sql.contains(k))
                .map(|(_, r)| r.clone())
                .unwrap_or_default())
        }
    }

    fn row(values: &[Option<&str>]) -> Row {
        values.iter().map(|v| v.map(str::to_owned)).collect()
    }

    #[test]
    fn a_mariadb_catalog_reads_into_the_model() {
        let s = Some;
        let mut db = Fake {
            queries: 0,
            answers: vec![
                (
                    "VERSION()",
                    vec![row(&[s("shop"), s("10.11.19-MariaDB-0+deb12u1")])],
                ),
                ("SCHEMATA", vec![row(&[s("shop"), s("utf8mb4_general_ci")])]),
                (
                    "information_schema.TABLES",
                    vec![
                        row(&[
                            s("shop"),
                            s("p"),
                            s("BASE TABLE"),
                            s("parents"),
                            s("InnoDB"),
                        ]),
                        row(&[s("shop"), s("c"), s("BASE TABLE"), s(""), s("InnoDB")]),
                        row(&[s("shop"), s("v"), s("VIEW"), s("VIEW"), None]),
                    ],
                ),
                (
                    "information_schema.COLUMNS",
                    vec![
                        row(&[
                            s("shop"),
                            s("c"),
                            s("id"),
                            s("int(11)"),
                            s("NO"),
                            None,
                            s(""),
                            s(""),
                            None,
                        ]),
                        row(&[
                            s("shop"),
                            s("c"),
                            s("pid"),
                            s("int(11)"),
                            s("YES"),
                            s("NULL"),
                            s(""),
                            s(""),
                            None,
                        ]),
                        row(&[
                            s("shop"),
                            s("p"),
                            s("id"),
                            s("int(11)"),
                            s("NO"),
                            None,
                            s("auto_increment"),
                            s(""),
                            None,
                        ]),
                        row(&[
                            s("shop"),
                            s("p"),
                            s("code"),
                            s("varchar(10)"),
                            s("NO"),
                            s("'x'"),
                            s(""),
                            s("the code"),
                            None,
                            s("utf8mb4_bin"),
                        ]),
                        row(&[
                            s("shop"),
                            s("p"),
                            s("twice"),
                            s("int(11)"),
                            s("YES"),
                            None,
                            s("VIRTUAL GENERATED"),
                            s(""),
                            s("`id` * 2"),
                        ]),
                        row(&[
                            s("shop"),
                            s("p"),
                            s("at"),
                            s("datetime"),
                            s("NO"),
                            s("current_timestamp()"),
                            s("on update current_timestamp()"),
                            s(""),
                            None,
                        ]),
                        row(&[
                            s("shop"),
                            s("v"),
                            s("id"),
                            s("int(11)"),
                            s("NO"),
                            s("0"),
                            s(""),
                            s(""),
                            None,
                        ]),
                    ],
                ),
                (
                    "KEY_COLUMN_USAGE",
                    vec![
                        row(&[
                            s("shop"),
                            s("c"),
                            s("PRIMARY"),
                            s("PRIMARY KEY"),
                            s("id"),
                            None,
                            None,
                            None,
                            None,
                            None,
                        ]),
                        row(&[
                            s("shop"),
                            s("c"),
                            s("fk_c_p"),
                            s("FOREIGN KEY"),
                            s("pid"),
                            s("shop"),
                            s("p"),
                            s("id"),
                            s("RESTRICT"),
                            s("CASCADE"),
                        ]),
                        row(&[
                            s("shop"),
                            s("p"),
                            s("PRIMARY"),
                            s("PRIMARY KEY"),
                            s("id"),
                            None,
                            None,
                            None,
                            None,
                            None,
                        ]),
                        // A system-versioned table's hidden column.
                        row(&[
                            s("shop"),
                            s("p"),
                            s("PRIMARY"),
                            s("PRIMARY KEY"),
                            s("row_end"),
                            None,
                            None,
                            None,
                            None,
                            None,
                        ]),
                    ],
                ),
                (
                    "CHECK_CONSTRAINTS",
                    vec![row(&[
                        s("shop"),
                        s("p"),
                        s("code"),
                        s("`code` <> ''"),
                        s("YES"),
                    ])],
                ),
                (
                    "STATISTICS",
                    vec![
                        row(&[
                            s("shop"),
                            s("c"),
                            s("fk_c_p"),
                            s("1"),
                            s("pid"),
                            None,
                            s("BTREE"),
                            s("A"),
                            None,
                            s("0"),
                        ]),
                        row(&[
                            s("shop"),
                            s("p"),
                            s("uq_code"),
                            s("0"),
                            s("code"),
                            None,
                            s("BTREE"),
                            s("A"),
                            None,
                            s("0"),
                        ]),
                        row(&[
                            s("shop"),
                            s("p"),
                            s("ix_code"),
                            s("1"),
                            s("code"),
                            s("4"),
                            s("BTREE"),
                            s("A"),
                            None,
                            s("0"),
                        ]),
                    ],
                ),
                (
                    "information_schema.VIEWS",
                    vec![row(&[
                        s("shop"),
                        s("v"),
                        s("select `shop`.`p`.`id` AS `id` from `shop`.`p`"),
                        s("NONE"),
                    ])],
                ),
                (
                    "information_schema.TRIGGERS",
                    vec![row(&[
                        s("shop"),
                        s("trg"),
                        s("p"),
                        s("BEFORE"),
                        s("INSERT"),
                        s("SET NEW.code = UPPER(NEW.code)"),
                    ])],
                ),
            ],
        };
        let c = read(&mut db, DialectKind::MySql, &ReflectOptions::default()).unwrap();
        // One query each, however many tables: no per-table query.
        assert_eq!(db.queries, 11);
        assert_eq!(c.dialect, "mysql");
        let p = c.table(None, "p").unwrap();
        assert_eq!(p.comment.as_deref(), Some("parents"));
        assert!(p.columns[0].auto_increment);
        assert_eq!(p.columns[1].default.as_deref(), Some("'x'"));
        // A collation other than the database's is kept with the type.
        assert_eq!(p.columns[1].ty, "varchar(10) COLLATE utf8mb4_bin");
        assert_eq!(p.columns[1].comment.as_deref(), Some("the code"));
        // A generated column's expression and ON UPDATE, the same way.
        assert_eq!(
            p.columns[2].ty,
            "int(11) GENERATED ALWAYS AS (`id` * 2) VIRTUAL"
        );
        assert_eq!(p.columns[2].default, None);
        assert_eq!(p.columns[3].ty, "datetime ON UPDATE current_timestamp()");
        assert_eq!(p.columns[3].default.as_deref(), Some("current_timestamp()"));
        assert_eq!(p.primary_key.as_ref().unwrap().name, None);
        assert_eq!(p.primary_key.as_ref().unwrap().columns, ["id"]);
        assert_eq!(p.uniques[0].name.as_deref(), Some("uq_code"));
        assert!(p.indexes.is_empty());
        assert_eq!(p.checks[0].name.as_deref(), Some("code"));
        let cc = c.table(None, "c").unwrap();
        assert_eq!(cc.columns[1].default, None);
        let fk = &cc.foreign_keys[0];
        assert_eq!(
            (fk.referred_schema.as_deref(), fk.referred_table.as_str()),
            (None, "p")
        );
        assert_eq!(
            (fk.on_delete.as_deref(), fk.on_update.as_deref()),
            (Some("CASCADE"), None)
        );
        assert_eq!(cc.indexes[0].name, "fk_c_p");
        assert!(c.table(None, "v").is_none());
        assert_eq!(c.views[0].sql, "select `p`.`id` AS `id` from `p`");
        let carried: Vec<&str> = c.carried.iter().map(|x| x.create.as_str()).collect();
        assert_eq!(
            carried,
            [
                "ALTER TABLE `p` ADD INDEX `ix_code` (`code`(4))",
                "CREATE TRIGGER `trg` BEFORE INSERT ON `p` FOR EACH ROW SET NEW.code = UPPER(NEW.code)"
            ]
        );
    }

    #[test]
    fn a_schema_that_is_not_there_is_named() {
        let mut db = Fake {
            queries: 0,
            answers: vec![
                ("VERSION()", vec![row(&[Some("shop"), Some("8.0.36")])]),
                ("SCHEMATA", vec![row(&[Some("shop")])]),
            ],
        };
        let options = ReflectOptions {
            schemas: vec!["nope".into()],
            ..ReflectOptions::default()
        };
        let e = read(&mut db, DialectKind::MySql, &options).unwrap_err();
        assert!(e.to_string().contains("\"nope\""), "{e}");
        assert!(e.to_string().contains("shop"), "{e}");
    }
}
