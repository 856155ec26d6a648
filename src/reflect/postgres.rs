//! PostgreSQL: `pg_catalog`, read with a fixed number of queries whatever
//! the number of tables.

use std::collections::HashMap;

use super::catalog::{
    qualified, Carried, Catalog, CatalogCheck, CatalogColumn, CatalogForeignKey, CatalogIndex,
    CatalogKey, CatalogTable, CatalogView, IndexPart,
};
use super::error::{query_err, ReflectError};
use super::rows::{flag, list, opt, text, Row};
use super::{Reader, ReflectOptions};
use crate::dialect::{Dialect, PostgreSql};
use crate::engine::{DbError, Rows};

/// Reads a PostgreSQL catalog.
pub(crate) fn read(db: &mut dyn Reader, options: &ReflectOptions) -> Result<Catalog, ReflectError> {
    let first = db
        .rows("SELECT current_schema(), current_setting('server_version_num')")
        .map_err(query_err("the current schema"))?;
    let default = first
        .first()
        .and_then(|r| opt(r, 0))
        .unwrap_or_else(|| "public".into());
    // PostgreSQL 15's NULLS NOT DISTINCT and `SET NULL (columns)`: catalog
    // columns that older servers do not have.
    let v15 = first
        .first()
        .and_then(|r| opt(r, 1))
        .and_then(|v| v.parse::<u32>().ok())
        .is_some_and(|v| v >= 150_000);
    let mut schemas = options.wanted(&default);
    let present: Vec<String> = db
        .rows(
            "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT LIKE 'pg\\_%' \
             AND nspname <> 'information_schema' ORDER BY nspname",
        )
        .map_err(query_err("the schemas"))?
        .iter()
        .map(|r| text(r, 0))
        .collect();
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
        default,
        catalog: Catalog {
            dialect: "postgresql".into(),
            ..Catalog::default()
        },
        tables: HashMap::new(),
        columns: HashMap::new(),
        serials: Vec::new(),
        user_typed: HashMap::new(),
    };
    // The four large queries in one batch: a reader with two connections
    // runs them two at a time.
    let batch = [
        Reading::relations_sql(&in_schemas),
        Reading::columns_sql(&in_schemas),
        Reading::constraints_sql(&in_schemas, v15),
        Reading::indexes_sql(&in_schemas, v15),
    ];
    let mut next = answers(db, &batch);
    let (relations, columns) = (next("the tables and views")?, next("the columns")?);
    let (constraints, indexes) = (next("the constraints")?, next("the indexes")?);
    r.relations(relations)?;
    r.columns(columns)?;
    r.constraints(constraints)?;
    r.indexes(db, indexes)?;
    r.carried(db, &in_schemas)?;
    r.serials_outside_keys();
    let mut catalog = r.catalog;
    catalog.rewrite_sql(escape_backslash_strings);
    // Schemas other than the connection's own come first, so that the
    // document applies to a database that lacks them.
    let own_schemas = schemas.iter().filter(|s| **s != r.default).map(|s| {
        let q = PostgreSql.quote(s);
        Carried {
            kind: "schema".into(),
            name: s.clone(),
            table: None,
            before_tables: true,
            create: format!("CREATE SCHEMA IF NOT EXISTS {q}"),
            drop: None,
        }
    });
    catalog.carried.splice(0..0, own_schemas);
    catalog.sort();
    Ok(catalog)
}

/// Runs the independent queries of `batch` on `db` (two at a time on a
/// reader with two connections) and hands their answers out in order, an
/// error named by what its query was for.
fn answers(
    db: &mut dyn Reader,
    batch: &[String],
) -> impl FnMut(&'static str) -> Result<Rows, ReflectError> {
    let mut answers = db.rows_batch(batch).into_iter();
    move |what| {
        answers
            .next()
            .unwrap_or_else(|| Err(DbError::msg("no answer")))
            .map_err(query_err(what))
    }
}

/// `('a', 'b')` as PostgreSQL literals.
fn literal_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| PostgreSql.string_literal(s)).collect();
    format!("({})", quoted.join(", "))
}

/// A serial column: (table position, column position) and (its default,
/// the sequence's schema, the sequence, the sequence's type).
type Serial = ((usize, usize), (String, String, String, String));

/// What is known while the catalog is read.
struct Reading {
    default: String,
    catalog: Catalog,
    /// Table oid → its position in `catalog.tables`.
    tables: HashMap<String, usize>,
    /// (table oid, attnum) → column name.
    columns: HashMap<(String, String), String>,
    /// Serial columns and their sequences.
    serials: Vec<Serial>,
    /// Columns of user-defined types: type oid → (table, column) positions,
    /// for enumerated types to become `enum(...)` columns.
    user_typed: HashMap<u64, Vec<(usize, usize)>>,
}

impl Reading {
    /// `None` for the default schema.
    fn schema(&self, s: String) -> Option<String> {
        (s != self.default).then_some(s)
    }

    fn qualified(&self, schema: &str, name: &str) -> String {
        let d = PostgreSql;
        if schema == self.default {
            d.quote(name)
        } else {
            format!("{}.{}", d.quote(schema), d.quote(name))
        }
    }

    /// The query for [`Reading::relations`].
    fn relations_sql(in_schemas: &str) -> String {
        format!(
                "SELECT c.oid, n.nspname, c.relname, c.relkind, \
                   obj_description(c.oid, 'pg_class'), c.relispartition, \
                   CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END, \
                   CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, \
                   CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END, \
                   (SELECT pn.nspname || '.' || p.relname FROM pg_inherits i \
                      JOIN pg_class p ON p.oid = i.inhparent \
                      JOIN pg_namespace pn ON pn.oid = p.relnamespace \
                      WHERE i.inhrelid = c.oid LIMIT 1), \
                   c.relpersistence \
                 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname IN {in_schemas} AND c.relkind IN ('r', 'p', 'v', 'm', 'f') \
                 AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.objid = c.oid \
                   AND d.classid = 'pg_catalog.pg_class'::regclass AND d.deptype = 'e')"
            )
    }

    fn relations(&mut self, rows: Rows) -> Result<(), ReflectError> {
        // In creation order (a materialized view after what it reads),
        // sorted here: the server's ORDER BY walks an index slowly.
        let mut rows = rows;
        rows.sort_by_key(|r| oid_number(r, 0));
        for row in rows {
            let (oid, schema, name, kind) =
                (text(&row, 0), text(&row, 1), text(&row, 2), text(&row, 3));
            let full = qualified(Some(&schema), &name);
            match kind.as_str() {
                "v" => self.catalog.views.push(CatalogView {
                    schema: self.schema(schema),
                    name,
                    sql: text(&row, 6).trim().trim_end_matches(';').to_owned(),
                }),
                "m" => {
                    let q = self.qualified(&schema, &name);
                    self.catalog.carried.push(Carried {
                        kind: "materialized view".into(),
                        name: full,
                        table: None,
                        before_tables: false,
                        create: format!(
                            "CREATE MATERIALIZED VIEW {q} AS {}",
                            text(&row, 6).trim().trim_end_matches(';')
                        ),
                        drop: Some(format!("DROP MATERIALIZED VIEW IF EXISTS {q}")),
                    });
                }
                "f" => self.catalog.warnings.push(format!(
                    "foreign table {full} is not reflected (foreign tables are outside the model)"
                )),
                _ => {
                    if let Some(key) = opt(&row, 7) {
                        self.catalog.warnings.push(format!(
                            "table {full} is partitioned (PARTITION BY {key}); it is reflected as a plain table"
                        ));
                    }
                    if flag(&row, 5) {
                        self.catalog.warnings.push(format!(
                            "table {full} is a partition of {} ({}); it is reflected as a plain table, \
                             without the keys it takes from that table",
                            text(&row, 9),
                            text(&row, 8)
                        ));
                    } else if let Some(parent) = opt(&row, 9) {
                        self.catalog.warnings.push(format!(
                            "table {full} inherits from {parent}; it is reflected as a table of its own \
                             with the columns it inherits"
                        ));
                    }
                    if text(&row, 10) == "u" {
                        self.catalog.warnings.push(format!(
                            "table {full} is UNLOGGED; it is reflected as a plain table"
                        ));
                    }
                    self.tables.insert(oid, self.catalog.tables.len());
                    let schema = self.schema(schema);
                    self.catalog.tables.push(CatalogTable {
                        schema,
                        name,
                        comment: opt(&row, 4),
                        ..CatalogTable::default()
                    });
                }
            }
        }
        Ok(())
    }

    /// The query for [`Reading::columns`]. A default cannot refer to a
    /// column (the server refuses it), so it is written without its
    /// table's column names, which the server would otherwise look up for
    /// each table: a third of the query's time. A generated column's
    /// expression refers to columns and is written with them.
    fn columns_sql(in_schemas: &str) -> String {
        format!(
                "SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), \
                   a.attnotnull, \
                   CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, 0) \
                     ELSE pg_get_expr(d.adbin, d.adrelid) END, ds.description, \
                   a.attidentity, a.attgenerated, sq.relname, sq.nspname, a.atttypid, \
                   CASE WHEN a.attcollation NOT IN (0, 100) THEN (SELECT \
                     CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname) \
                     ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END \
                     FROM pg_catalog.pg_collation co \
                     JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace \
                     JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid \
                     WHERE co.oid = a.attcollation AND ty.typcollation <> a.attcollation) END, \
                   CASE WHEN sq.seqoid IS NOT NULL THEN (SELECT concat_ws(',', ps.seqstart, \
                     ps.seqincrement, ps.seqmin, ps.seqmax, ps.seqcache, ps.seqcycle, \
                     format_type(ps.seqtypid, NULL)) \
                     FROM pg_catalog.pg_sequence ps WHERE ps.seqrelid = sq.seqoid) END \
                 FROM pg_catalog.pg_attribute a \
                 JOIN pg_catalog.pg_class c ON c.oid = a.attrelid \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
                 LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = a.attrelid \
                   AND ds.classoid = 'pg_catalog.pg_class'::regclass AND ds.objsubid = a.attnum \
                 LEFT JOIN (SELECT DISTINCT ON (dep.refobjid, dep.refobjsubid) \
                     dep.refobjid, dep.refobjsubid, s.relname, sn.nspname, s.oid AS seqoid \
                   FROM pg_catalog.pg_depend dep \
                   JOIN pg_catalog.pg_class s ON s.oid = dep.objid AND s.relkind = 'S' \
                   JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace \
                   WHERE dep.classid = 'pg_catalog.pg_class'::regclass \
                   AND dep.refclassid = 'pg_catalog.pg_class'::regclass \
                   AND dep.deptype IN ('a', 'i')) sq \
                   ON sq.refobjid = a.attrelid AND sq.refobjsubid = a.attnum \
                 WHERE n.nspname IN {in_schemas} AND c.relkind IN ('r', 'p') \
                 AND a.attnum > 0 AND NOT a.attisdropped"
            )
    }

    fn columns(&mut self, rows: Rows) -> Result<(), ReflectError> {
        // Sorted here, not by the server: its sort of wide rows spills to
        // disk on a large schema.
        let mut rows = rows;
        rows.sort_by_key(|r| (oid_number(r, 0), oid_number(r, 1)));
        for row in rows {
            let oid = text(&row, 0);
            let name = text(&row, 2);
            self.columns
                .insert((oid.clone(), text(&row, 1)), name.clone());
            let Some(&ti) = self.tables.get(&oid) else {
                continue;
            };
            let mut default = opt(&row, 5);
            let owned_sequence = opt(&row, 9);
            let identity = text(&row, 7);
            let mut auto_increment = false;
            let mut ty = text(&row, 3);
            // A collation other than the type's is part of the type as the
            // document writes it (`text COLLATE "C"`), which DDL passes on.
            if let Some(collation) = opt(&row, 12) {
                ty = format!("{ty} COLLATE {collation}");
            }
            if !identity.is_empty() {
                // Written into the type, which the DDL passes through: exact.
                let how = if identity == "a" {
                    "ALWAYS"
                } else {
                    "BY DEFAULT"
                };
                ty = format!("{ty} GENERATED {how} AS IDENTITY{}", identity_options(&row));
            } else if let (Some(seq), Some(d)) = (&owned_sequence, &default) {
                // The sequence as `nextval` names it: quoted where it
                // needs to be, inside a string literal.
                let quoted = PostgreSql.quote(seq).replace('\'', "''");
                if d.starts_with("nextval(") && (d.contains(seq.as_str()) || d.contains(&quoted)) {
                    let at = (ti, self.catalog.tables[ti].columns.len());
                    self.serials.push((
                        at,
                        (d.clone(), text(&row, 10), seq.clone(), {
                            sequence_parts(&row).get(6).cloned().unwrap_or_default()
                        }),
                    ));
                    auto_increment = true;
                    default = None;
                }
            }
            if text(&row, 8) == "s" {
                if let Some(expr) = default.take() {
                    ty = format!("{ty} GENERATED ALWAYS AS ({expr}) STORED");
                }
            } else if identity.is_empty() {
                let type_oid = oid_number(&row, 11);
                // Below FirstNormalObjectId: the server's own types.
                if type_oid >= 16384 {
                    let at = (ti, self.catalog.tables[ti].columns.len());
                    self.user_typed.entry(type_oid).or_default().push(at);
                }
            }
            self.catalog.tables[ti].columns.push(CatalogColumn {
                name,
                ty,
                nullable: !flag(&row, 4),
                default,
                comment: opt(&row, 6),
                auto_increment,
            });
        }
        Ok(())
    }

    /// Makes the columns of the enumerated type `oid` (`schema.name`, with
    /// `labels`) `enum(...)` columns, which the model creates the type for,
    /// when every one of them is in a table of the type's schema (the model
    /// makes a column's type beside its table). Whether it did; if not, the
    /// columns keep the type's name and the type is carried.
    fn enum_columns(&mut self, oid: u64, schema: &str, name: &str, labels: &[String]) -> bool {
        let Some(uses) = self.user_typed.get(&oid) else {
            return false;
        };
        let table_schema = |ti: usize| {
            let t = &self.catalog.tables[ti];
            t.schema.clone().unwrap_or_else(|| self.default.clone())
        };
        if uses.iter().any(|&(ti, _)| table_schema(ti) != schema) {
            return false;
        }
        let ty = crate::schema::ColumnType::Enum(Box::new(
            crate::schema::EnumType::new(labels.iter().cloned()).named(name),
        ))
        .to_string();
        for &(ti, ci) in uses {
            self.catalog.tables[ti].columns[ci].ty = ty.clone();
        }
        true
    }

    /// A serial column the model cannot make auto-increment (not the one
    /// column of a primary key, or in a foreign key) keeps its `nextval`
    /// default, and its sequence is carried: created before the tables,
    /// owned by the column after them.
    fn serials_outside_keys(&mut self) {
        for ((ti, ci), (default, seq_schema, seq, seq_type)) in std::mem::take(&mut self.serials) {
            let t = &self.catalog.tables[ti];
            let c = &t.columns[ci];
            let only_key = t
                .primary_key
                .as_ref()
                .is_some_and(|pk| pk.columns.len() == 1 && pk.columns[0] == c.name);
            let in_fk = t.foreign_keys.iter().any(|fk| fk.columns.contains(&c.name));
            if only_key && !in_fk {
                continue;
            }
            let q = self.qualified(&seq_schema, &seq);
            let owner = format!(
                "{}.{}",
                self.qualified(
                    &t.schema.clone().unwrap_or_else(|| self.default.clone()),
                    &t.name
                ),
                PostgreSql.quote(&c.name)
            );
            let name = qualified(Some(&seq_schema), &seq);
            let c = &mut self.catalog.tables[ti].columns[ci];
            c.auto_increment = false;
            c.default = Some(default);
            self.catalog.carried.push(Carried {
                kind: "sequence".into(),
                name: name.clone(),
                table: None,
                before_tables: true,
                create: match seq_type.as_str() {
                    // bigint is a sequence's own type.
                    "" | "bigint" => format!("CREATE SEQUENCE IF NOT EXISTS {q}"),
                    ty => format!("CREATE SEQUENCE IF NOT EXISTS {q} AS {ty}"),
                },
                drop: Some(format!("DROP SEQUENCE IF EXISTS {q}")),
            });
            self.catalog.carried.push(Carried {
                kind: "sequence owner".into(),
                name,
                table: None,
                before_tables: false,
                create: format!("ALTER SEQUENCE {q} OWNED BY {owner}"),
                drop: None,
            });
        }
    }

    /// The query for [`Reading::constraints`].
    fn constraints_sql(in_schemas: &str, v15: bool) -> String {
        let (set_columns, nulls_not_distinct) = pg15_columns(v15);
        format!(
                "SELECT co.conrelid, co.conname, co.contype, \
                   CASE WHEN co.contype IN ('c', 'x') OR co.condeferrable OR NOT co.convalidated \
                     OR fn.nspname NOT IN {in_schemas} \
                     OR co.confmatchtype NOT IN ('s', ' ') \
                     OR {set_columns} \
                     OR (co.contype IN ('p', 'u') AND EXISTS (SELECT 1 FROM pg_catalog.pg_index i \
                       WHERE i.indexrelid = co.conindid AND (i.indnatts <> i.indnkeyatts \
                       OR {nulls_not_distinct}))) \
                     THEN pg_get_constraintdef(co.oid, true) END, \
                   array_to_json(co.conkey), fn.nspname, fc.relname, co.confrelid, \
                   array_to_json(co.confkey), \
                   co.confdeltype, co.confupdtype, co.condeferrable, co.condeferred, n.nspname, c.relname, \
                   co.convalidated \
                 FROM pg_catalog.pg_constraint co \
                 JOIN pg_catalog.pg_class c ON c.oid = co.conrelid \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 LEFT JOIN pg_catalog.pg_class fc ON fc.oid = co.confrelid \
                 LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace \
                 WHERE n.nspname IN {in_schemas} AND co.contype IN ('p', 'u', 'f', 'c', 'x') \
                 AND c.relkind IN ('r', 'p') AND co.conislocal"
            )
    }

    fn constraints(&mut self, rows: Rows) -> Result<(), ReflectError> {
        for row in rows {
            let oid = text(&row, 0);
            let Some(&ti) = self.tables.get(&oid) else {
                continue;
            };
            let name = text(&row, 1);
            let def = text(&row, 3);
            let attnums = list_numbers(&row, 4)?;
            let columns: Vec<String> = attnums
                .iter()
                .map(|n| {
                    self.columns
                        .get(&(oid.clone(), n.clone()))
                        .cloned()
                        .unwrap_or_default()
                })
                .collect();
            let full = self.catalog.tables[ti].full_name();
            let table_sql = self.qualified(&text(&row, 13), &text(&row, 14));
            let carry = |kind: &str, why: &str| {
                Carried {
                    kind: kind.into(),
                    name: format!("{full}.{name}"),
                    table: None,
                    before_tables: false,
                    create: format!(
                        "ALTER TABLE {table_sql} ADD CONSTRAINT {} {def}",
                        PostgreSql.quote(&name)
                    ),
                    drop: None,
                }
                .with_note(why)
            };
            match text(&row, 2).as_str() {
                "p" => {
                    if flag(&row, 11) || def.contains(" INCLUDE (") {
                        self.catalog.warnings.push(format!(
                            "primary key {full}.{name} is {def}; it is reflected as a plain primary key"
                        ));
                    }
                    self.catalog.tables[ti].primary_key = Some(CatalogKey {
                        name: Some(name),
                        columns,
                    })
                }
                "u" => {
                    // PostgreSQL 15's NULLS NOT DISTINCT, and DEFERRABLE,
                    // are not the model's: the constraint is carried.
                    let why = if def.contains("NULLS NOT DISTINCT") {
                        Some("it is NULLS NOT DISTINCT, which the model does not express")
                    } else if def.contains(" INCLUDE (") {
                        Some("it has INCLUDE columns, which the model does not express")
                    } else if flag(&row, 11) {
                        Some("it is DEFERRABLE, which the model does not express")
                    } else {
                        None
                    };
                    if let Some(why) = why {
                        let (c, note) = carry("unique constraint", why);
                        self.catalog.warnings.push(note);
                        self.catalog.carried.push(c);
                        continue;
                    }
                    self.catalog.tables[ti].uniques.push(CatalogKey {
                        name: Some(name),
                        columns,
                    })
                }
                "c" => {
                    let Some(sql) = check_expression(&def) else {
                        let (c, note) =
                            carry("check constraint", "its definition is not a plain CHECK");
                        self.catalog.warnings.push(note);
                        self.catalog.carried.push(c);
                        continue;
                    };
                    // PostgreSQL keeps no record of where a check was
                    // declared: one on a single column is read as that
                    // column's (naming.md: its columns are that column).
                    let column = match &columns[..] {
                        [c] if !c.is_empty() => Some(c.clone()),
                        _ => None,
                    };
                    self.catalog.tables[ti].checks.push(CatalogCheck {
                        name: Some(name),
                        sql,
                        column,
                    });
                }
                "x" => {
                    let (c, _) = carry("exclusion constraint", "");
                    self.catalog.carried.push(c);
                }
                _ => {
                    let referred_oid = text(&row, 7);
                    let deferrable = flag(&row, 11);
                    // PostgreSQL 15's `SET NULL (a)` acts on some columns only.
                    let partial_action =
                        def.contains(" SET NULL (") || def.contains(" SET DEFAULT (");
                    let full_match = def.contains("MATCH FULL");
                    if !self.tables.contains_key(&referred_oid)
                        || deferrable
                        || !flag(&row, 15)
                        || partial_action
                        || full_match
                    {
                        let why = if deferrable {
                            "it is DEFERRABLE, which the model does not express"
                        } else if !flag(&row, 15) {
                            "it is NOT VALID"
                        } else if partial_action {
                            "its action sets some of its columns only, which the model does not express"
                        } else if full_match {
                            "it is MATCH FULL, which the model does not express"
                        } else {
                            "it refers to a table outside the reflected schemas"
                        };
                        let (c, note) = carry("foreign key", why);
                        self.catalog.warnings.push(note);
                        self.catalog.carried.push(c);
                        continue;
                    }
                    let referred_columns = list_numbers(&row, 8)?
                        .iter()
                        .map(|n| {
                            self.columns
                                .get(&(referred_oid.clone(), n.clone()))
                                .cloned()
                                .unwrap_or_default()
                        })
                        .collect();
                    let referred_schema = self.schema(text(&row, 5));
                    self.catalog.tables[ti]
                        .foreign_keys
                        .push(CatalogForeignKey {
                            name: Some(name),
                            columns,
                            referred_schema,
                            referred_table: text(&row, 6),
                            referred_columns,
                            on_delete: action(&text(&row, 9)),
                            on_update: action(&text(&row, 10)),
                        });
                }
            }
        }
        Ok(())
    }

    /// The query for [`Reading::indexes`].
    fn indexes_sql(in_schemas: &str, v15: bool) -> String {
        let (_, nulls_not_distinct) = pg15_columns(v15);
        format!(
                "SELECT i.indrelid, ic.relname, i.indisunique, \
                   CASE WHEN i.indpred IS NOT NULL THEN pg_get_expr(i.indpred, i.indrelid) END, \
                   i.indkey::text, \
                   CASE WHEN 0 = ANY(i.indkey::int2[]) THEN array_to_json(ARRAY( \
                     SELECT pg_get_indexdef(i.indexrelid, k.i::int, true) \
                     FROM generate_series(1, i.indnkeyatts) k(i) ORDER BY k.i)) END, \
                   am.amname <> 'btree' OR i.indnatts <> i.indnkeyatts \
                     OR NOT (string_to_array(i.indoption::text, ' ')::int[] <@ ARRAY[0]) \
                     OR i.indclass::oid[] && ARRAY(SELECT op.oid FROM pg_catalog.pg_opclass op \
                       WHERE NOT op.opcdefault) \
                     OR NOT (string_to_array(i.indcollation::text, ' ')::oid[] <@ ARRAY[0, 100]::oid[]) \
                     OR {nulls_not_distinct}, \
                   c.relkind, i.indexrelid \
                 FROM pg_catalog.pg_index i \
                 JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid \
                 JOIN pg_catalog.pg_class c ON c.oid = i.indrelid \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 JOIN pg_catalog.pg_am am ON am.oid = ic.relam \
                 WHERE n.nspname IN {in_schemas} AND c.relkind IN ('r', 'p', 'm') \
                 AND i.indexrelid NOT IN (SELECT co.conindid FROM pg_catalog.pg_constraint co \
                   WHERE co.contype IN ('p', 'u', 'x')) \
                 AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits inh \
                   WHERE inh.inhrelid = i.indexrelid)"
            )
    }

    fn indexes(&mut self, db: &mut dyn Reader, rows: Rows) -> Result<(), ReflectError> {
        // (index oid, position in `carried`) of the indexes carried whole.
        let mut carried: Vec<(String, usize)> = Vec::new();
        for row in rows {
            let name = text(&row, 1);
            let special = flag(&row, 6);
            let table = self.tables.get(&text(&row, 0)).copied();
            match table {
                Some(ti) if !special && text(&row, 7) != "m" => {
                    let parts = self.index_parts(&row)?;
                    self.catalog.tables[ti].indexes.push(CatalogIndex {
                        name,
                        unique: flag(&row, 2),
                        parts,
                        predicate: opt(&row, 3),
                    });
                }
                _ => {
                    carried.push((text(&row, 8), self.catalog.carried.len()));
                    self.catalog.carried.push(Carried {
                        kind: "index".into(),
                        name,
                        table: None,
                        before_tables: false,
                        create: String::new(),
                        drop: None,
                    });
                }
            }
        }
        // The definitions of the indexes carried as they are, in one more
        // query (there are few, and pg_get_indexdef is slow on many).
        if !carried.is_empty() {
            let oids: Vec<&str> = carried.iter().map(|(oid, _)| oid.as_str()).collect();
            let rows = db
                .rows(&format!(
                    "SELECT i.indexrelid, pg_get_indexdef(i.indexrelid) FROM pg_catalog.pg_index i \
                     WHERE i.indexrelid IN ({})",
                    oids.join(", ")
                ))
                .map_err(query_err("the index definitions"))?;
            for row in rows {
                let oid = text(&row, 0);
                if let Some((_, at)) = carried.iter().find(|(o, _)| *o == oid) {
                    self.catalog.carried[*at].create = text(&row, 1);
                }
            }
        }
        Ok(())
    }

    /// An index's parts: its key columns (`indkey`, column numbers, `0` for
    /// an expression) by name, and the expressions from their definitions.
    fn index_parts(&self, row: &Row) -> Result<Vec<IndexPart>, ReflectError> {
        let table = text(row, 0);
        let definitions = list(row, 5, "an index's expressions")?;
        let mut parts = Vec::new();
        for (k, num) in text(row, 4).split_whitespace().enumerate() {
            if num == "0" {
                let e = definitions.get(k).ok_or_else(|| ReflectError::Unexpected {
                    what: "an index's expressions",
                    detail: format!("no expression for part {}", k + 1),
                })?;
                parts.push(IndexPart::Expression(e.clone()));
            } else {
                let c = self
                    .columns
                    .get(&(table.clone(), num.to_owned()))
                    .ok_or_else(|| ReflectError::Unexpected {
                        what: "an index's columns",
                        detail: format!("table {table} has no column number {num}"),
                    })?;
                parts.push(IndexPart::Column(c.clone()));
            }
        }
        // `indkey` also lists INCLUDE columns; such an index is carried whole.
        Ok(parts)
    }

    /// Types, domains, sequences, functions, triggers and extensions.
    fn carried(&mut self, db: &mut dyn Reader, in_schemas: &str) -> Result<(), ReflectError> {
        let not_extension = |classid: &str, oid: &str| {
            format!(
                "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.objid = {oid} \
                 AND d.classid = '{classid}'::regclass AND d.deptype = 'e')"
            )
        };
        // Independent queries, in one batch: a reader with two connections
        // runs them two at a time.
        let batch = [
            "SELECT e.extname, n.nspname FROM pg_catalog.pg_extension e \
                 JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace \
                 WHERE e.extname <> 'plpgsql' ORDER BY e.extname".to_owned(),
            format!(
                "SELECT n.nspname, t.typname, t.typtype, \
                   array_to_json(ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum e \
                     WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)), \
                   format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault, \
                   array_to_json(ARRAY(SELECT 'CONSTRAINT ' || quote_ident(dc.conname) || ' ' || \
                     pg_get_constraintdef(dc.oid, true) FROM pg_catalog.pg_constraint dc \
                     WHERE dc.contypid = t.oid ORDER BY dc.conname)), t.oid \
                 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
                 LEFT JOIN pg_catalog.pg_class tc ON tc.oid = t.typrelid \
                 WHERE n.nspname IN {in_schemas} AND t.typtype IN ('e', 'd', 'c') \
                 AND (t.typtype <> 'c' OR tc.relkind = 'c') \
                 AND {}",
                not_extension("pg_catalog.pg_type", "t.oid")
            ),
            format!(
                "SELECT n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart, \
                   s.seqmin, s.seqmax, s.seqincrement, s.seqcycle, s.seqcache \
                 FROM pg_catalog.pg_sequence s \
                 JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname IN {in_schemas} \
                 AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.objid = c.oid \
                   AND d.classid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i', 'e')) \
                 ORDER BY c.oid"
            ),
            format!(
                "SELECT n.nspname, p.proname, pg_get_functiondef(p.oid), p.prokind \
                 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
                 WHERE n.nspname IN {in_schemas} AND p.prokind IN ('f', 'p', 'w') AND {} \
                 ORDER BY p.oid",
                not_extension("pg_catalog.pg_proc", "p.oid")
            ),
            format!(
                "SELECT n.nspname, p.proname FROM pg_catalog.pg_proc p \
                 JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace \
                 WHERE n.nspname IN {in_schemas} AND p.prokind = 'a' AND {} ORDER BY p.oid",
                not_extension("pg_catalog.pg_proc", "p.oid")
            ),
            format!(
                "SELECT n.nspname, c.relname, t.tgname, pg_get_triggerdef(t.oid) \
                 FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid \
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname IN {in_schemas} AND NOT t.tgisinternal AND t.tgparentid = 0 \
                 ORDER BY c.relname, t.tgname"
            ),
            format!(
                "SELECT r.schemaname, r.tablename, r.rulename, r.definition FROM pg_catalog.pg_rules r \
                 WHERE r.schemaname IN {in_schemas} ORDER BY r.tablename, r.rulename"
            ),
        ];
        let mut next = answers(db, &batch);
        let extensions = next("the extensions")?;
        for row in extensions {
            let name = text(&row, 0);
            self.catalog.carried.push(Carried {
                kind: "extension".into(),
                name: name.clone(),
                table: None,
                before_tables: true,
                create: format!(
                    "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {}",
                    PostgreSql.quote(&name),
                    PostgreSql.quote(&text(&row, 1))
                ),
                drop: None,
            });
        }
        let mut types = next("the types")?;
        types.sort_by_key(|r| oid_number(r, 8));
        for row in types {
            let (schema, name) = (text(&row, 0), text(&row, 1));
            let q = self.qualified(&schema, &name);
            let full = qualified(Some(&schema), &name);
            let create = match text(&row, 2).as_str() {
                "e" => {
                    let labels = list(&row, 3, "an enum type's labels")?;
                    if self.enum_columns(oid_number(&row, 8), &schema, &name, &labels) {
                        // Made by the model, with the columns that use it.
                        continue;
                    }
                    let labels: Vec<String> = labels
                        .iter()
                        .map(|l| PostgreSql.string_literal(l))
                        .collect();
                    format!("CREATE TYPE {q} AS ENUM ({})", labels.join(", "))
                }
                "d" => {
                    let mut s = format!("CREATE DOMAIN {q} AS {}", text(&row, 4));
                    if let Some(d) = opt(&row, 6) {
                        s.push_str(&format!(" DEFAULT {d}"));
                    }
                    if flag(&row, 5) {
                        s.push_str(" NOT NULL");
                    }
                    for c in list(&row, 7, "a domain's constraints")? {
                        s.push(' ');
                        s.push_str(&c);
                    }
                    s
                }
                _ => {
                    self.catalog.warnings.push(format!(
                        "composite type {full} is not reflected (composite types are outside the model)"
                    ));
                    continue;
                }
            };
            let kind = if text(&row, 2) == "e" {
                "enum type"
            } else {
                "domain"
            };
            self.catalog.carried.push(Carried {
                kind: kind.into(),
                name: full,
                table: None,
                before_tables: true,
                create,
                drop: Some(format!(
                    "DROP {} IF EXISTS {q}",
                    if kind == "domain" { "DOMAIN" } else { "TYPE" }
                )),
            });
        }
        let sequences = next("the sequences")?;
        for row in sequences {
            let (schema, name) = (text(&row, 0), text(&row, 1));
            let q = self.qualified(&schema, &name);
            self.catalog.carried.push(Carried {
                kind: "sequence".into(),
                name: qualified(Some(&schema), &name),
                table: None,
                before_tables: true,
                create: format!(
                    "CREATE SEQUENCE {q} AS {} INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {}{}",
                    text(&row, 2),
                    text(&row, 6),
                    text(&row, 4),
                    text(&row, 5),
                    text(&row, 3),
                    text(&row, 8),
                    if flag(&row, 7) { " CYCLE" } else { "" }
                ),
                drop: Some(format!("DROP SEQUENCE IF EXISTS {q}")),
            });
        }
        let functions = next("the functions")?;
        if !functions.is_empty() {
            // Function bodies may refer to tables made later.
            self.catalog.carried.push(Carried {
                kind: "setting".into(),
                name: "check_function_bodies".into(),
                table: None,
                before_tables: true,
                create: "SET check_function_bodies = false".into(),
                drop: None,
            });
        }
        for row in functions {
            let kind = if text(&row, 3) == "p" {
                "procedure"
            } else {
                "function"
            };
            self.catalog.carried.push(Carried {
                kind: kind.into(),
                name: qualified(Some(&text(&row, 0)), &text(&row, 1)),
                table: None,
                before_tables: true,
                create: text(&row, 2).trim().to_owned(),
                drop: None,
            });
        }
        let aggregates = next("the aggregates")?;
        for row in aggregates {
            self.catalog.warnings.push(format!(
                "aggregate {} is not reflected (aggregates are outside the model)",
                qualified(Some(&text(&row, 0)), &text(&row, 1))
            ));
        }
        let triggers = next("the triggers")?;
        for row in triggers {
            let (schema, table) = (text(&row, 0), text(&row, 1));
            self.catalog.carried.push(Carried {
                kind: "trigger".into(),
                name: format!("{}.{}", qualified(Some(&schema), &table), text(&row, 2)),
                table: Some((self.schema(schema), table)),
                before_tables: false,
                create: text(&row, 3),
                drop: None,
            });
        }
        let rules = next("the rules")?;
        for row in rules {
            let (schema, table) = (text(&row, 0), text(&row, 1));
            self.catalog.carried.push(Carried {
                kind: "rule".into(),
                name: format!("{}.{}", qualified(Some(&schema), &table), text(&row, 2)),
                table: Some((self.schema(schema), table)),
                before_tables: false,
                create: text(&row, 3).trim().trim_end_matches(';').to_owned(),
                drop: None,
            });
        }
        Ok(())
    }
}

impl Carried {
    /// The carried object and a warning line saying why it is carried.
    fn with_note(self, why: &str) -> (Carried, String) {
        let note = format!(
            "{} {} is carried as custom DDL: {why}",
            self.kind, self.name
        );
        (self, note)
    }
}

/// The sequence a column owns, from column 13 of a row of
/// [`Reading::columns_sql`]: start, increment, minimum, maximum, cache,
/// cycle (`t`/`f`) and type, comma-separated; empty for none.
fn sequence_parts(row: &Row) -> Vec<String> {
    text(row, 13).split(',').map(str::to_owned).collect()
}

/// An identity column's sequence options where they are not the defaults
/// (` (START WITH 100 INCREMENT BY 10)`), from [`sequence_parts`]; empty
/// when all are.
fn identity_options(row: &Row) -> String {
    let parts = sequence_parts(row);
    let number = |i: usize| parts.get(i).and_then(|p| p.parse::<i128>().ok());
    let (Some(start), Some(step), Some(min), Some(max), Some(cache)) =
        (number(0), number(1), number(2), number(3), number(4))
    else {
        return String::new();
    };
    let (type_min, type_max) = match parts.get(6).map_or("", String::as_str) {
        "smallint" => (i16::MIN.into(), i16::MAX.into()),
        "integer" => (i32::MIN.into(), i32::MAX.into()),
        _ => (i64::MIN.into(), i64::MAX.into()),
    };
    let (default_min, default_max) = if step > 0 {
        (1, type_max)
    } else {
        (type_min, -1)
    };
    let default_start = if step > 0 { min } else { max };
    let mut options = Vec::new();
    if start != default_start {
        options.push(format!("START WITH {start}"));
    }
    if step != 1 {
        options.push(format!("INCREMENT BY {step}"));
    }
    if min != default_min {
        options.push(format!("MINVALUE {min}"));
    }
    if max != default_max {
        options.push(format!("MAXVALUE {max}"));
    }
    if cache != 1 {
        options.push(format!("CACHE {cache}"));
    }
    if parts.get(5).is_some_and(|c| c == "t" || c == "true") {
        options.push("CYCLE".into());
    }
    if options.is_empty() {
        String::new()
    } else {
        format!(" ({})", options.join(" "))
    }
}

/// `sql` with every standard string literal that holds a backslash
/// written as an escape string (`'C:\'` as `E'C:\\'`), or `None` when
/// there is none. PostgreSQL prints standard strings, whose backslash is a
/// plain character; nomenclator refuses such a literal in raw SQL, since a
/// server with `standard_conforming_strings` off would read the backslash
/// as an escape. The escape string means the same on every server.
fn escape_backslash_strings(sql: &str) -> Option<String> {
    if !sql.contains('\\') {
        return None;
    }
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 8);
    let mut i = 0;
    let mut changed = false;
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    while i < b.len() {
        match b[i] {
            b'"' => {
                let end = sql[i + 1..].find('"').map_or(b.len(), |e| i + 2 + e);
                out.push_str(&sql[i..end]);
                i = end;
            }
            b'\'' => {
                let escape = i > 0 && matches!(b[i - 1], b'E' | b'e') && (i < 2 || !word(b[i - 2]));
                // The literal's end: a quote not doubled (an escape
                // string's `\'` and `\\` do not end it).
                let mut j = i + 1;
                while j < b.len() {
                    match b[j] {
                        b'\\' if escape => j += 2,
                        b'\'' if b.get(j + 1) == Some(&b'\'') => j += 2,
                        b'\'' => break,
                        _ => j += 1,
                    }
                }
                let end = (j + 1).min(b.len());
                let body = &sql[i + 1..j.min(b.len())];
                if !escape && body.contains('\\') {
                    out.push_str("E'");
                    out.push_str(&body.replace('\\', "\\\\"));
                    out.push('\'');
                    changed = true;
                } else {
                    out.push_str(&sql[i..end]);
                }
                i = end;
            }
            _ => {
                let next = sql[i + 1..]
                    .find(['"', '\''])
                    .map_or(b.len(), |e| i + 1 + e);
                out.push_str(&sql[i..next]);
                i = next;
            }
        }
    }
    changed.then_some(out)
}

/// The conditions on PostgreSQL 15's catalog columns: a foreign key whose
/// action sets some columns only (`co.confdelsetcols`), and an index NULLS
/// NOT DISTINCT (`i.indnullsnotdistinct`); `false` on older servers,
/// which have neither.
fn pg15_columns(v15: bool) -> (&'static str, &'static str) {
    if v15 {
        ("co.confdelsetcols IS NOT NULL", "i.indnullsnotdistinct")
    } else {
        ("false", "false")
    }
}

/// Column `i` of `row` as a number (an oid, an attribute number), for sorting.
fn oid_number(row: &Row, i: usize) -> u64 {
    text(row, i).parse().unwrap_or(0)
}

/// The attribute numbers of a JSON array of numbers, as text.
fn list_numbers(row: &Row, i: usize) -> Result<Vec<String>, ReflectError> {
    match opt(row, i) {
        None => Ok(Vec::new()),
        Some(json) => serde_json::from_str::<Vec<i64>>(&json)
            .map(|v| v.into_iter().map(|n| n.to_string()).collect())
            .map_err(|e| ReflectError::Unexpected {
                what: "a constraint's columns",
                detail: format!("{e} in {json:?}"),
            }),
    }
}

/// The expression of `CHECK (expr)` (with a trailing `NOT VALID` refused).
fn check_expression(def: &str) -> Option<String> {
    let inner = def.strip_prefix("CHECK (")?.strip_suffix(')')?;
    Some(inner.to_owned())
}

/// A referential action from `pg_constraint`'s one-letter code; `None` for
/// `NO ACTION`.
fn action(code: &str) -> Option<String> {
    Some(
        match code {
            "r" => "RESTRICT",
            "c" => "CASCADE",
            "n" => "SET NULL",
            "d" => "SET DEFAULT",
            _ => return None,
        }
        .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backslashes_in_strings_are_written_as_escape_strings() {
        let e = |s: &str| escape_backslash_strings(s);
        assert_eq!(
            e("path !~~ '%\\'::text").as_deref(),
            Some("path !~~ E'%\\\\'::text")
        );
        assert_eq!(
            e("like_escape('x\\_%'::text, '\\'::text)").as_deref(),
            Some("like_escape(E'x\\\\_%'::text, E'\\\\'::text)")
        );
        // Doubled quotes stay; an escape string already is one.
        assert_eq!(e("a = 'it''s \\'").as_deref(), Some("a = E'it''s \\\\'"));
        assert_eq!(e("a = E'\\n'"), None);
        assert_eq!(e("\"we\\ird\" > 0"), None);
        assert_eq!(e("a > 0"), None);
        // What comes out is accepted as raw SQL, read either way.
        let pg = crate::dialect::Lexical::POSTGRESQL;
        let place = crate::dialect::SqlPlace::Fragment;
        assert!(crate::dialect::check_sql("path !~~ '%\\'::text", &pg, place).is_err());
        assert!(crate::dialect::check_sql(&e("path !~~ '%\\'::text").unwrap(), &pg, place).is_ok());
    }

    #[test]
    fn an_identity_says_only_the_options_that_are_not_the_defaults() {
        // Column 13: start, increment, min, max, cache, cycle, type.
        let row = |v: [&str; 7]| -> Row {
            let mut r: Row = vec![None; 13];
            r.push(Some(v.join(",")));
            r
        };
        let int_max = "2147483647";
        assert_eq!(
            identity_options(&row(["1", "1", "1", int_max, "1", "f", "integer"])),
            ""
        );
        assert_eq!(
            identity_options(&row(["100", "10", "1", int_max, "1", "f", "integer"])),
            " (START WITH 100 INCREMENT BY 10)"
        );
        assert_eq!(
            identity_options(&row(["-1", "-1", "-32768", "-1", "20", "t", "smallint"])),
            " (INCREMENT BY -1 CACHE 20 CYCLE)"
        );
        assert_eq!(
            identity_options(&row(["5", "1", "5", "1000", "1", "f", "bigint"])),
            " (MINVALUE 5 MAXVALUE 1000)"
        );
        // A serial's row has no identity sequence columns.
        assert_eq!(identity_options(&vec![None; 20]), "");
    }

    #[test]
    fn check_expressions_come_out_of_their_definition() {
        assert_eq!(
            check_expression("CHECK ((a > 0))").as_deref(),
            Some("(a > 0)")
        );
        assert_eq!(check_expression("CHECK ((a > 0)) NOT VALID"), None);
        assert_eq!(action("c").as_deref(), Some("CASCADE"));
        assert_eq!(action("a"), None);
    }

    #[test]
    fn schema_lists_are_literals() {
        assert_eq!(
            literal_list(&["public".into(), "o'hara".into()]),
            "('public', 'o''hara')"
        );
    }
}

#[cfg(test)]
mod live {
    use super::*;
    use crate::engine::{DbError, Engine, Rows};

    /// Counts the queries sent through it.
    struct Counting<'c>(&'c mut crate::engine::Connection, usize);

    impl Reader for Counting<'_> {
        fn rows(&mut self, sql: &str) -> Result<Rows, DbError> {
            self.1 += 1;
            self.0.query(sql)
        }
    }

    fn queries_for(tables: usize) -> (usize, usize) {
        let admin = Engine::from_url("postgres://postgres@127.0.0.1:5432/postgres").unwrap();
        let mut c = admin.connect().unwrap();
        let db = format!("reflect_unit_queries_{tables}");
        c.execute(&format!("DROP DATABASE IF EXISTS {db}")).unwrap();
        c.execute(&format!("CREATE DATABASE {db}")).unwrap();
        let url = format!("postgres://postgres@127.0.0.1:5432/{db}");
        let mut conn = Engine::from_url(&url).unwrap().connect().unwrap();
        for i in 0..tables {
            conn.execute(&format!(
                "CREATE TABLE t{i} (id serial PRIMARY KEY, p integer REFERENCES t0 (id), \
                 v text CHECK (v <> ''), UNIQUE (v)); CREATE INDEX ON t{i} (p)"
            ))
            .unwrap();
        }
        let mut counting = Counting(&mut conn, 0);
        let catalog = read(&mut counting, &ReflectOptions::default()).unwrap();
        let n = counting.1;
        drop(conn);
        c.execute(&format!("DROP DATABASE IF EXISTS {db}")).unwrap();
        (n, catalog.tables.len())
    }

    #[test]
    #[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
    fn the_number_of_queries_does_not_grow_with_the_tables() {
        let (one, t1) = queries_for(1);
        let (many, t40) = queries_for(40);
        assert_eq!((t1, t40), (1, 40));
        assert_eq!(one, many, "queries for 1 table: {one}, for 40: {many}");
        assert!(one <= 13, "{one} queries");
    }
}
