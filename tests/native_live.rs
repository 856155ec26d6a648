//! The native packs against the servers themselves: for every document of
//! `tests/corpus/sqlalchemy`, every name is stripped (explicit names, the
//! document's convention), the server names everything, and the names read
//! back from its catalog are exactly the ones `names --conventions
//! postgresql` (and `mariadb`) predicts for the stripped document.
//!
//! The stripped document's DDL comes from the library: indexes get marker
//! names from a test-only pack (`ix = "nmk%(marker)s"`, a counter), and the
//! marked `CREATE [UNIQUE] INDEX nmkN ON t (...) [WHERE ...]` statements are
//! rewritten to `CREATE [UNIQUE] INDEX ON t (...) [WHERE ...]` for
//! PostgreSQL and to `ALTER TABLE t ADD INDEX (...)` / `ADD UNIQUE (...)`
//! for MariaDB, which then choose the names. Every other object is written
//! without a name already.
//!
//! PostgreSQL: one database, `native_names`; each document runs in a
//! transaction that is rolled back. MariaDB: the database `native_names`
//! for tables without a schema and `native_names_<schema>` for each schema
//! of a document (a MariaDB schema is a database), dropped and created
//! again for each document and dropped at the end.
#![allow(clippy::result_large_err)] // helpers return the crate's structured error

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use nomenclator::ddl::{create_plan, DdlOptions};
use nomenclator::dialect::{Dialect, MariaDb, PostgreSql};
use nomenclator::document::{load_str, Format, LoadOptions};
use nomenclator::naming::NamedObject;
use nomenclator::{
    final_names, MetaData, Plugin, Plugins, TokenContext, TokenError, TokenProvider,
};
use nomenclator_native::{implicit_indexes, NativePlugin, Server};
use serde_json::Value;

/// The corpus: (id, document).
fn corpus() -> Vec<(String, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/sqlalchemy");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 300, "the corpus has {} documents", dirs.len());
    dirs.into_iter()
        .map(|d| {
            let text = std::fs::read_to_string(d.join("schema.json")).unwrap();
            (
                d.file_name().unwrap().to_string_lossy().into_owned(),
                serde_json::from_str(&text).unwrap(),
            )
        })
        .collect()
}

/// The document without a name the user gave: no convention, and no
/// `name` (nor `convention`) on any constraint or index.
fn strip(doc: &Value) -> Value {
    let mut doc = doc.clone();
    let top = doc.as_object_mut().unwrap();
    top.remove("naming_convention");
    top.remove("conventions");
    let unname = |v: &mut Value| {
        if let Some(o) = v.as_object_mut() {
            o.remove("name");
            o.remove("convention");
        }
    };
    for t in top.get_mut("tables").unwrap().as_array_mut().unwrap() {
        let t = t.as_object_mut().unwrap();
        if let Some(pk) = t.get_mut("primary_key") {
            unname(pk);
        }
        for key in ["foreign_keys", "uniques", "checks", "indexes"] {
            for o in t
                .get_mut(key)
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                unname(o);
            }
        }
        for c in t.get_mut("columns").unwrap().as_array_mut().unwrap() {
            if let Some(ck) = c.get_mut("check") {
                unname(ck);
            }
        }
    }
    doc
}

/// MariaDB: each schema `s` of the document becomes the database `native_names_s`.
fn prefix_schemas(doc: &Value) -> Value {
    let mut doc = doc.clone();
    let re = |s: &str| format!("native_names_{s}");
    for t in doc["tables"].as_array_mut().unwrap() {
        if let Some(s) = t.get("schema").and_then(Value::as_str).map(re) {
            t["schema"] = Value::String(s);
        }
        let qualify = |r: &str, parts: usize| -> String {
            let p: Vec<&str> = r.split('.').collect();
            if p.len() == parts {
                format!("{}.{}", re(p[0]), p[1..].join("."))
            } else {
                r.to_owned()
            }
        };
        for c in t["columns"].as_array_mut().unwrap() {
            if let Some(r) = c
                .get("references")
                .and_then(Value::as_str)
                .map(|r| qualify(r, 3))
            {
                c["references"] = Value::String(r);
            }
        }
        for fk in t
            .get_mut("foreign_keys")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if let Some(r) = fk
                .get("references")
                .and_then(Value::as_str)
                .map(|r| qualify(r, 2))
            {
                fk["references"] = Value::String(r);
            }
        }
    }
    doc
}

/// The `marker` token: a new number each time.
struct Markers(Arc<AtomicU64>);

impl TokenProvider for Markers {
    fn provides(&self, token: &str) -> bool {
        token == "marker"
    }
    fn resolve(&self, _: &str, _: &TokenContext<'_>) -> Result<String, TokenError> {
        Ok(self.0.fetch_add(1, Ordering::Relaxed).to_string())
    }
}

/// The test-only plugin that provides the `marker` token.
struct MarkerPlugin(Arc<AtomicU64>);

impl Plugin for MarkerPlugin {
    fn name(&self) -> &str {
        "marker"
    }
    fn token_provider(&self) -> Option<Arc<dyn TokenProvider>> {
        Some(Arc::new(Markers(self.0.clone())))
    }
}

/// Loads a document (as JSON) with the packs `packs`.
fn load(doc: &Value, packs: &[&str], plugins: &Plugins) -> Result<MetaData, String> {
    let options = LoadOptions::new()
        .format(Format::Json)
        .conventions(packs.iter().copied())
        .plugins(plugins.clone());
    load_str(&doc.to_string(), &options).map_err(|e| e.to_string())
}

/// The create statements of the stripped document with the server naming
/// every index: the marked index statements rewritten as `unnamed` says.
fn unnamed_ddl(
    doc: &Value,
    dialect: &dyn Dialect,
    options: &DdlOptions,
    marker_pack: &str,
    plugins: &Plugins,
    unnamed: impl Fn(&regex::Captures<'_>) -> String,
) -> Result<Vec<String>, String> {
    let md = load(doc, &[marker_pack], plugins)?;
    let plan = create_plan(&md, dialect, options).map_err(|e| e.to_string())?;
    let marked = regex::Regex::new(
        r"^CREATE (UNIQUE )?INDEX [`]?nmk\d+[`]? ON (.+?) \((.*?)\)( WHERE .*)?$",
    )
    .unwrap();
    let statements = plan.sql().map_err(|e| e.to_string())?;
    Ok(statements
        .iter()
        .map(|s| match marked.captures(s) {
            Some(c) => unnamed(&c),
            None => {
                assert!(!s.contains("nmk"), "a marker is left in {s}");
                s.to_string()
            }
        })
        .collect())
}

/// One object: (schema, table, kind, columns, name). Columns are left
/// empty for checks: PostgreSQL's catalog lists the columns a check's
/// expression uses, the document the column it was declared on.
type Row = (String, String, String, Vec<String>, String);

fn row(o: &NamedObject, default_schema: &str) -> Option<Row> {
    let kind = match (o.kind.key(), o.unique) {
        ("ix", Some(true)) => "ix unique".to_owned(),
        (k, _) => k.to_owned(),
    };
    let columns = if kind == "ck" {
        vec![]
    } else {
        o.columns.clone()
    };
    Some((
        o.schema
            .clone()
            .unwrap_or_else(|| default_schema.to_owned()),
        o.table.clone(),
        kind,
        columns,
        o.name.clone()?,
    ))
}

/// What differs between two lists of rows, compared as multisets.
fn differences(predicted: &[Row], catalog: &[Row]) -> Option<String> {
    let mut count: BTreeMap<&Row, i64> = BTreeMap::new();
    for r in predicted {
        *count.entry(r).or_default() += 1;
    }
    for r in catalog {
        *count.entry(r).or_default() -= 1;
    }
    let diff: Vec<String> = count
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|(r, n)| {
            let side = if n > 0 {
                "predicted only"
            } else {
                "catalog only"
            };
            format!(
                "    {side}: {}.{} {} ({}) = {}",
                r.0,
                r.1,
                r.2,
                r.3.join(", "),
                r.4
            )
        })
        .collect();
    (!diff.is_empty()).then(|| diff.join("\n"))
}

/// The document's outcome: `Ok` with the number of names when they agree,
/// `Ok(None)` when nomenclator and the server both refuse it.
type Outcome = Result<Option<usize>, String>;

/// Compares a prediction with a catalog.
fn outcome(predicted: Result<Vec<Row>, String>, catalog: Result<Vec<Row>, String>) -> Outcome {
    match (predicted, catalog) {
        (Ok(p), Ok(c)) => match differences(&p, &c) {
            None => Ok(Some(c.len())),
            Some(d) => Err(format!("names differ:\n{d}")),
        },
        (Err(_), Err(_)) => Ok(None),
        (Err(e), Ok(_)) => Err(format!("the server takes it, nomenclator refuses it: {e}")),
        (Ok(_), Err(e)) => Err(format!("nomenclator names it, the server refuses it: {e}")),
    }
}

fn summary(server: &str, outcomes: &[(String, Outcome)]) {
    let failed: Vec<String> = outcomes
        .iter()
        .filter_map(|(id, o)| o.as_ref().err().map(|e| format!("{id}: {e}")))
        .collect();
    let named: Vec<usize> = outcomes
        .iter()
        .filter_map(|(_, o)| o.as_ref().ok().copied().flatten())
        .collect();
    eprintln!(
        "{server}: {} of {} documents named exactly as the server names them \
         ({} with {} names compared, {} refused by both)",
        outcomes.len() - failed.len(),
        outcomes.len(),
        named.len(),
        named.iter().sum::<usize>(),
        outcomes.len() - failed.len() - named.len(),
    );
    assert!(
        failed.is_empty(),
        "{server}: {} documents differ:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

/// A marker pack file and the plugins: the native ones and `marker`.
fn setup() -> (tempfile::TempDir, String, Plugins) {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("markers.toml");
    std::fs::write(
        &pack,
        "name = \"markers\"\ndescription = \"test: a unique name for every index\"\n\
         plugins = [\"marker\"]\n\n[naming_convention]\nix = \"nmk%(marker)s\"\n",
    )
    .unwrap();
    let mut plugins = Plugins::new().with(MarkerPlugin(Arc::new(AtomicU64::new(1))));
    for p in NativePlugin::all() {
        plugins.register(p);
    }
    let path = pack.to_string_lossy().into_owned();
    (dir, path, plugins)
}

/// A client of the PostgreSQL database `native_names`, made if missing.
fn native_names_database() -> postgres::Client {
    let admin = "host=127.0.0.1 port=5432 user=postgres dbname=postgres";
    let url = "host=127.0.0.1 port=5432 user=postgres dbname=native_names";
    let mut admin = postgres::Client::connect(admin, postgres::NoTls)
        .unwrap_or_else(|e| panic!("PostgreSQL is unreachable at 127.0.0.1:5432 ({e}): start it (`.ci/run` does), or leave out --include-ignored"));
    let exists = admin
        .query_opt(
            "SELECT 1 FROM pg_database WHERE datname = 'native_names'",
            &[],
        )
        .unwrap()
        .is_some();
    if !exists {
        admin.batch_execute("CREATE DATABASE native_names").unwrap();
    }
    postgres::Client::connect(url, postgres::NoTls).unwrap()
}

#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)"]
fn postgresql_names_every_corpus_document_as_predicted() {
    let mut client = native_names_database();
    let (_dir, markers, plugins) = setup();
    let mut outcomes = Vec::new();
    for (id, doc) in corpus() {
        let doc = strip(&doc);
        let predicted = load(&doc, &["postgresql"], &plugins).and_then(|md| {
            final_names(&md, &PostgreSql.name_rules(None)).map_err(|e| e.to_string())
        });
        // nomenclator refuses to write a table or column name over 63 bytes
        // (PostgreSQL would cut it, with a notice): here it is written, so
        // that the server names what it keeps of it.
        let over_the_limit = DdlOptions {
            max_identifier_length: Some(4 * 64),
            ..Default::default()
        };
        let ddl = unnamed_ddl(
            &doc,
            &PostgreSql,
            &over_the_limit,
            &markers,
            &plugins,
            |c| {
                let unique = c.get(1).map_or("", |m| m.as_str());
                let partial = c.get(4).map_or("", |m| m.as_str());
                format!("CREATE {unique}INDEX ON {} ({}){partial}", &c[2], &c[3])
            },
        );
        let mut tx = client.transaction().unwrap();
        let catalog = ddl.and_then(|ddl| {
            let schemas: Vec<&str> = doc["tables"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|t| t["schema"].as_str())
                .collect();
            for s in &schemas {
                tx.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS \"{s}\""))
                    .map_err(|e| e.to_string())?;
            }
            for st in &ddl {
                tx.batch_execute(st)
                    .map_err(|e| format!("the server refused {st}: {e}"))?;
            }
            let mut ours: Vec<String> = schemas.iter().map(|s| s.to_string()).collect();
            ours.push("public".into());
            pg_catalog(&mut tx, &ours)
        });
        tx.rollback().unwrap();
        let predicted = predicted.map(|p| {
            p.iter()
                .filter_map(|o| row(o, "public"))
                .map(|(s, t, k, cols, n)| {
                    let cols = cols.iter().map(|c| pg_ident(c).to_owned()).collect();
                    (s, pg_ident(&t).to_owned(), k, cols, n)
                })
                .collect()
        });
        outcomes.push((id, outcome(predicted, catalog)));
    }
    summary("PostgreSQL", &outcomes);
}

/// A name as PostgreSQL keeps it: its first 63 bytes, cut between characters.
fn pg_ident(s: &str) -> &str {
    let mut end = s.len().min(63);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Every constraint and index of the tables in `schemas`, from pg_catalog.
fn pg_catalog(tx: &mut postgres::Transaction<'_>, schemas: &[String]) -> Result<Vec<Row>, String> {
    let columns = |rel: &str, keys: &str| {
        format!(
            "ARRAY(SELECT a.attname::text FROM unnest({keys}) WITH ORDINALITY k(n, o) \
             JOIN pg_attribute a ON a.attrelid = {rel} AND a.attnum = k.n ORDER BY k.o)"
        )
    };
    let constraints = format!(
        "SELECT n.nspname::text, t.relname::text, c.contype::text, {}, c.conname::text \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = ANY($1)",
        columns("t.oid", "c.conkey")
    );
    let indexes = format!(
        "SELECT n.nspname::text, t.relname::text, CASE WHEN x.indisunique THEN 'ix unique' ELSE 'ix' END, \
         {}, i.relname::text FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = ANY($1) AND NOT EXISTS (SELECT 1 FROM pg_constraint c \
         WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u'))",
        columns("t.oid", "x.indkey::int2[]")
    );
    let mut out = Vec::new();
    for q in [constraints, indexes] {
        for r in tx.query(&q, &[&schemas]).map_err(|e| e.to_string())? {
            let kind: String = r.get(2);
            let kind = match kind.as_str() {
                "p" => "pk",
                "u" => "uq",
                "f" => "fk",
                "c" => "ck",
                k => k,
            }
            .to_owned();
            let cols: Vec<String> = if kind == "ck" { vec![] } else { r.get(3) };
            out.push((r.get(0), r.get(1), kind, cols, r.get(4)));
        }
    }
    Ok(out)
}

#[test]
#[ignore = "needs MariaDB at 127.0.0.1:3306 (cargo test -- --include-ignored)"]
fn mariadb_names_every_corpus_document_as_predicted() {
    use mysql::prelude::Queryable;
    let url = "mysql://root@127.0.0.1:3306";
    let mut conn = mysql::Opts::from_url(url)
        .map_err(|e| e.to_string())
        .and_then(|o| mysql::Conn::new(o).map_err(|e| e.to_string()))
        .unwrap_or_else(|e| panic!("MariaDB is unreachable at 127.0.0.1:3306 ({e}): start it (`.ci/run` does), or leave out --include-ignored"));
    let (_dir, markers, plugins) = setup();
    let options = DdlOptions {
        database: Some("native_names".into()),
        ..Default::default()
    };
    let mut outcomes = Vec::new();
    for (id, doc) in corpus() {
        let doc = prefix_schemas(&strip(&doc));
        let predicted = load(&doc, &["mariadb"], &plugins).and_then(|md| {
            let mut names =
                final_names(&md, &MariaDb.name_rules(None)).map_err(|e| e.to_string())?;
            names.extend(implicit_indexes(&md, Server::MariaDb).map_err(|e| e.to_string())?);
            Ok(names)
        });
        let ddl = unnamed_ddl(&doc, &MariaDb, &options, &markers, &plugins, |c| {
            let what = if c.get(1).is_some() {
                "UNIQUE"
            } else {
                "INDEX"
            };
            format!("ALTER TABLE {} ADD {what} ({})", &c[2], &c[3])
        });
        let mut dbs: Vec<String> = doc["tables"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|t| t["schema"].as_str().map(str::to_owned))
            .collect();
        dbs.push("native_names".into());
        dbs.sort();
        dbs.dedup();
        conn.query_drop("SET FOREIGN_KEY_CHECKS = 0").unwrap();
        for d in &dbs {
            conn.query_drop(format!("DROP DATABASE IF EXISTS `{d}`"))
                .unwrap();
            conn.query_drop(format!("CREATE DATABASE `{d}`")).unwrap();
        }
        conn.query_drop("SET FOREIGN_KEY_CHECKS = 1").unwrap();
        conn.query_drop("USE native_names").unwrap();
        let catalog = ddl.and_then(|ddl| {
            for st in &ddl {
                conn.query_drop(st)
                    .map_err(|e| format!("the server refused {st}: {e}"))?;
            }
            mariadb_catalog(&mut conn, &dbs)
        });
        let predicted = predicted.map(|p| {
            p.iter()
                .filter_map(|o| row(o, "native_names"))
                .map(key_row)
                .collect()
        });
        outcomes.push((id, outcome(predicted, catalog)));
        // A table left in another database may refer to one of the next document's.
        conn.query_drop("SET FOREIGN_KEY_CHECKS = 0").unwrap();
        for d in &dbs {
            conn.query_drop(format!("DROP DATABASE IF EXISTS `{d}`"))
                .unwrap();
        }
        conn.query_drop("SET FOREIGN_KEY_CHECKS = 1").unwrap();
    }
    summary("MariaDB", &outcomes);
}

/// MariaDB keeps unique constraints and unique indexes alike as unique
/// keys: both are compared as `key unique`, other indexes as `key`.
fn key_row(r: Row) -> Row {
    let kind = match r.2.as_str() {
        "uq" | "ix unique" => "key unique",
        "ix" => "key",
        k => k,
    }
    .to_owned();
    (r.0, r.1, kind, r.3, r.4)
}

/// Every key, foreign key and check of the tables in `dbs`, from information_schema.
fn mariadb_catalog(conn: &mut mysql::Conn, dbs: &[String]) -> Result<Vec<Row>, String> {
    use mysql::prelude::Queryable;
    let list = dbs
        .iter()
        .map(|d| format!("'{d}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut out: Vec<Row> = Vec::new();
    let stats: Vec<(String, String, String, i64, String)> = conn
        .query(format!(
            "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME FROM information_schema.STATISTICS \
             WHERE TABLE_SCHEMA IN ({list}) ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"
        ))
        .map_err(|e| e.to_string())?;
    for (schema, table, name, non_unique, column) in stats {
        let kind = match (name.as_str(), non_unique) {
            ("PRIMARY", _) => "pk",
            (_, 0) => "key unique",
            _ => "key",
        };
        match out.last_mut() {
            Some(last) if (&last.0, &last.1, &last.4) == (&schema, &table, &name) => {
                last.3.push(column)
            }
            _ => out.push((schema, table, kind.to_owned(), vec![column], name)),
        }
    }
    let fks: Vec<(String, String, String, String)> = conn
        .query(format!(
            "SELECT TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE \
             WHERE TABLE_SCHEMA IN ({list}) AND REFERENCED_TABLE_NAME IS NOT NULL \
             ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION"
        ))
        .map_err(|e| e.to_string())?;
    let start = out.len();
    for (schema, table, name, column) in fks {
        match out[start..].last_mut() {
            Some(last) if (&last.0, &last.1, &last.4) == (&schema, &table, &name) => {
                last.3.push(column)
            }
            _ => out.push((schema, table, "fk".to_owned(), vec![column], name)),
        }
    }
    let checks: Vec<(String, String, String)> = conn
        .query(format!(
            "SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME FROM information_schema.CHECK_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA IN ({list})"
        ))
        .map_err(|e| e.to_string())?;
    for (schema, table, name) in checks {
        out.push((schema, table, "ck".to_owned(), vec![], name));
    }
    Ok(out)
}

/// A table with expression and partial indexes (not in the corpus): the
/// names PostgreSQL gives them are the ones the `postgresql` pack predicts.
const EXPRESSIONS: &str = r#"{
 "tables": [{
  "name": "x",
  "columns": [
   {"name": "a", "type": "integer"}, {"name": "b", "type": "integer"},
   {"name": "c", "type": "text"}, {"name": "d", "type": "text"}, {"name": "Mixed", "type": "integer"}
  ],
  "indexes": [
   {"columns": [{"expression": "lower(c)"}]},
   {"columns": [{"expression": "a + b"}]},
   {"columns": [{"expression": "a::text"}]},
   {"columns": [{"expression": "(a + b)::bigint"}]},
   {"columns": [{"expression": "CAST(a + b AS double precision)"}]},
   {"columns": [{"expression": "(c || 'x')::varchar(10)"}]},
   {"columns": [{"expression": "CASE WHEN a > 0 THEN b ELSE a END"}]},
   {"columns": [{"expression": "CASE WHEN a > 0 THEN b END"}]},
   {"columns": [{"expression": "coalesce(a, b)"}]},
   {"columns": [{"expression": "greatest(a, b)"}]},
   {"columns": [{"expression": "nullif(a, b)"}]},
   {"columns": [{"expression": "trim(both ' ' from c)"}]},
   {"columns": [{"expression": "TRIM(LEADING 'x' FROM c)"}]},
   {"columns": [{"expression": "c COLLATE \"C\""}]},
   {"columns": [{"expression": "(regexp_split_to_array(c, ','))[1]"}]},
   {"columns": [{"expression": "ARRAY[a, b]"}]},
   {"columns": [{"expression": "\"Mixed\""}]},
   {"columns": [{"expression": "a IS NULL"}]},
   {"columns": ["c", {"expression": "a + b"}, {"expression": "b + a"}, {"expression": "lower(d)"}], "unique": true},
   {"columns": ["a"], "where": "b > 0"},
   {"columns": ["a", "a"]}
  ]
 }]
}"#;

#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)"]
fn postgresql_names_expression_indexes_as_predicted() {
    let mut client = native_names_database();
    let (_dir, markers, plugins) = setup();
    let doc: Value = serde_json::from_str(EXPRESSIONS).unwrap();
    let md = load(&doc, &["postgresql"], &plugins).unwrap();
    let mut predicted: Vec<String> = final_names(&md, &PostgreSql.name_rules(None))
        .unwrap()
        .into_iter()
        .filter_map(|o| o.name)
        .collect();
    predicted.sort();
    let ddl = unnamed_ddl(
        &doc,
        &PostgreSql,
        &DdlOptions::default(),
        &markers,
        &plugins,
        |c| {
            let unique = c.get(1).map_or("", |m| m.as_str());
            let partial = c.get(4).map_or("", |m| m.as_str());
            format!("CREATE {unique}INDEX ON {} ({}){partial}", &c[2], &c[3])
        },
    )
    .unwrap();
    let mut tx = client.transaction().unwrap();
    for st in &ddl {
        tx.batch_execute(st)
            .unwrap_or_else(|e| panic!("the server refused {st}: {e}"));
    }
    let mut catalog: Vec<String> = tx
        .query(
            "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'x'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    catalog.sort();
    tx.rollback().unwrap();
    assert_eq!(predicted.len(), 21);
    assert_eq!(predicted, catalog);
}
