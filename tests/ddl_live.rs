//! The corpus in real databases: each document's create script runs in
//! PostgreSQL (inside a transaction rolled back), SQLite and MariaDB; the
//! catalogs then hold exactly the names `expected.json` lists; the drop
//! script leaves nothing. Also: `sort` is a valid, stable topological order.
//!
//! The PostgreSQL and MariaDB parts are `#[ignore]`d with the server they
//! need as the reason: `cargo test` lists them as ignored, `cargo test --
//! --include-ignored` (what `.ci/run` runs) runs them and fails if a server
//! does not answer.
#![allow(clippy::result_large_err)] // helpers return the crate's structured error

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use nomenclator::ddl::{
    create_plan, drop_plan, sort_tables_and_constraints, sorted_tables, DdlError, DdlOptions, Plan,
};
use nomenclator::dialect::{self, Dialect};
use nomenclator::document::{load_path, LoadOptions};
use nomenclator::naming::NamingError;
use nomenclator::MetaData;
use serde_json::Value;

struct Doc {
    id: String,
    md: Option<MetaData>,
    expected: Value,
}

fn corpus() -> Vec<Doc> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/sqlalchemy");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 300);
    dirs.into_iter()
        .map(|dir| Doc {
            id: dir.file_name().unwrap().to_string_lossy().into_owned(),
            md: load_path(&dir.join("schema.json"), &LoadOptions::default()).ok(),
            expected: serde_json::from_str(
                &std::fs::read_to_string(dir.join("expected.json")).unwrap(),
            )
            .unwrap(),
        })
        .collect()
}

/// Expected names of `kinds` for a dialect: (named, number of unnamed).
fn expected(doc: &Doc, dialect: &str, kinds: &[&str]) -> (Vec<String>, usize) {
    let mut named = Vec::new();
    let mut unnamed = 0;
    for n in doc.expected[dialect]["names"].as_array().unwrap() {
        if kinds.contains(&n["kind"].as_str().unwrap()) {
            match n["name"].as_str() {
                Some(s) => named.push(s.to_owned()),
                None => unnamed += 1,
            }
        }
    }
    named.sort();
    (named, unnamed)
}

/// `actual` holds every expected name, and exactly `unnamed` more.
fn same_names(
    what: &str,
    actual: &[String],
    named: &[String],
    unnamed: usize,
) -> Result<(), String> {
    let mut rest = actual.to_vec();
    for n in named {
        match rest.iter().position(|x| x == n) {
            Some(i) => {
                rest.remove(i);
            }
            None => return Err(format!("{what}: expected {n:?}, catalog has {actual:?}")),
        }
    }
    if rest.len() != unnamed {
        return Err(format!(
            "{what}: {} unnamed expected, catalog has extra {rest:?}",
            unnamed
        ));
    }
    Ok(())
}

fn too_long(md: &MetaData, d: &dyn Dialect) -> bool {
    let lim = d.identifier_limit();
    md.tables().iter().any(|t| {
        !lim.fits(t.name())
            || t.schema().is_some_and(|s| !lim.fits(s))
            || t.columns().iter().any(|c| !lim.fits(c.name()))
    })
}

fn needs_database(md: &MetaData) -> bool {
    md.tables().iter().any(|t| {
        t.schema().is_some()
            && t.foreign_keys()
                .any(|fk| fk.referred_table().schema.is_none())
    })
}

/// The create plan, and the drop plan unless it is refused because an
/// unnamed foreign key in a cycle could not be dropped by name (checked
/// here: that foreign key exists and has no name).
fn plans<'d>(
    md: &MetaData,
    d: &'d dyn Dialect,
    o: &DdlOptions,
) -> Result<(Plan<'d>, Option<Plan<'d>>), DdlError> {
    let create = create_plan(md, d, o)?;
    match drop_plan(md, d, o) {
        Ok(p) => Ok((create, Some(p))),
        Err(e) => match &e {
            DdlError::UnnamedForeignKeyInCycle {
                table,
                columns,
                cycle,
            } => {
                let t = md.get(table).expect("table of the refusal exists");
                assert!(cycle.len() >= 2 && cycle.contains(table));
                assert!(t
                    .foreign_keys()
                    .any(|fk| fk.columns() == columns.as_slice() && fk.name.as_str().is_none()));
                Ok((create, None))
            }
            _ => Err(e),
        },
    }
}

/// The plan, or `None` when the document is refused for a documented reason
/// (checked independently here); panics on any other outcome.
fn plan_or_refusal<'d>(
    doc: &Doc,
    d: &'d dyn Dialect,
    o: &DdlOptions,
    failures: &mut Vec<String>,
) -> Option<(Plan<'d>, Option<Plan<'d>>)> {
    let id = format!("{}/{}", doc.id, d.name());
    let Some(md) = &doc.md else {
        if doc.expected[d.name()].get("error").is_none() {
            failures.push(format!("{id}: document failed to load"));
        }
        return None;
    };
    let got = plans(md, d, o);
    if doc.expected[d.name()].get("error").is_some() {
        if got.is_ok() {
            failures.push(format!("{id}: SQLAlchemy refused, DDL was produced"));
        }
        return None;
    }
    if too_long(md, d) {
        match got {
            Err(DdlError::Naming(NamingError::TooLong { .. })) => {}
            other => failures.push(format!(
                "{id}: a name is over the limit, expected a TooLong refusal, got {:?}",
                other.err()
            )),
        }
        return None;
    }
    if d.capabilities().references_resolve_in_own_schema
        && d.capabilities().schema_qualified_references
        && needs_database(md)
        && o.database.is_none()
    {
        match got {
            Err(DdlError::DatabaseNeeded { .. }) => {}
            other => failures.push(format!(
                "{id}: expected the DatabaseNeeded refusal, got {:?}",
                other.err()
            )),
        }
        return None;
    }
    match got {
        Ok(p) => Some(p),
        Err(e) => {
            failures.push(format!("{id}: {e}"));
            None
        }
    }
}

/// Why a live test fails when its server does not answer.
fn unreachable(what: &str, url: &str, e: &dyn std::fmt::Display) -> String {
    format!(
        "{what} is unreachable at {url} ({e}): this test needs it. Start the server \
         (`.ci/run` does), or run `cargo test` without --include-ignored to leave the \
         live-database tests out"
    )
}

fn report(what: &str, failures: Vec<String>, ran: usize) {
    eprintln!("{what}: {ran} documents ran");
    assert!(
        failures.is_empty(),
        "{what}: {} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn sort_is_a_stable_topological_order() {
    for doc in corpus() {
        let Some(md) = &doc.md else { continue };
        let a = sorted_tables(md);
        assert_eq!(a, sorted_tables(md), "{}: unstable", doc.id);
        assert_eq!(a.len(), md.tables().len());
        let r = sort_tables_and_constraints(md, true).unwrap();
        assert_eq!(a, r.tables);
        let pos = |t: &nomenclator::TableRef| a.iter().position(|x| x == t).unwrap();
        for t in md.tables() {
            for (ci, k) in t.constraints().iter().enumerate() {
                let Some(fk) = k.as_foreign_key() else {
                    continue;
                };
                let deferred = r
                    .deferred
                    .iter()
                    .any(|x| x.table == t.key() && x.constraint == ci);
                if fk.referred_table() != &t.key() && !deferred {
                    assert!(
                        pos(fk.referred_table()) < pos(&t.key()),
                        "{}: {} before {}",
                        doc.id,
                        t.key(),
                        fk.referred_table()
                    );
                }
                if fk.use_alter {
                    assert!(
                        deferred,
                        "{}: use_alter foreign key of {} not deferred",
                        doc.id,
                        t.key()
                    );
                }
            }
        }
    }
}

#[test]
fn sqlite_corpus() {
    let d = dialect::by_name("sqlite").unwrap();
    let mut failures = Vec::new();
    let mut ran = 0;
    for doc in corpus() {
        let Some((create, drop)) = plan_or_refusal(&doc, d, &DdlOptions::default(), &mut failures)
        else {
            continue;
        };
        let md = doc.md.as_ref().unwrap();
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let schemas: BTreeSet<&str> = md.tables().iter().filter_map(|t| t.schema()).collect();
        for s in &schemas {
            conn.execute_batch(&format!("ATTACH ':memory:' AS \"{s}\""))
                .unwrap();
        }
        let all: Vec<String> = std::iter::once("main".to_owned())
            .chain(schemas.iter().map(|s| format!("\"{s}\"")))
            .collect();
        let objects = |ty: &str| -> Vec<String> {
            let mut v = Vec::new();
            for s in &all {
                let q = format!("SELECT name FROM {s}.sqlite_master WHERE type = '{ty}' AND name NOT LIKE 'sqlite_autoindex%'");
                let mut st = conn.prepare(&q).unwrap();
                v.extend(
                    st.query_map([], |r| r.get::<_, String>(0))
                        .unwrap()
                        .map(Result::unwrap),
                );
            }
            v
        };
        let id = format!("{}/sqlite", doc.id);
        if let Err(e) = conn.execute_batch(&create.script().unwrap()) {
            failures.push(format!("{id}: create failed: {e}"));
            continue;
        }
        let (named, unnamed) = expected(&doc, "sqlite", &["ix"]);
        if let Err(e) = same_names(&id, &objects("index"), &named, unnamed) {
            failures.push(e);
        }
        if objects("table").len() != md.tables().len() {
            failures.push(format!("{id}: tables missing after create"));
        }
        let Some(drop) = drop else {
            ran += 1;
            continue;
        };
        if let Err(e) = conn.execute_batch(&drop.script().unwrap()) {
            failures.push(format!("{id}: drop failed: {e}"));
            continue;
        }
        let left = [objects("table"), objects("index")].concat();
        if !left.is_empty() {
            failures.push(format!("{id}: drop left {left:?}"));
        }
        ran += 1;
    }
    report("sqlite", failures, ran);
}

#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)"]
fn postgresql_corpus() {
    let url = "host=127.0.0.1 port=5432 user=postgres dbname=test";
    let mut client = match postgres::Client::connect(url, postgres::NoTls) {
        Ok(c) => c,
        Err(e) => panic!("{}", unreachable("PostgreSQL", url, &e)),
    };
    let d = dialect::by_name("postgresql").unwrap();
    let mut failures = Vec::new();
    let mut ran = 0;
    for doc in corpus() {
        let Some((create, drop)) = plan_or_refusal(&doc, d, &DdlOptions::default(), &mut failures)
        else {
            continue;
        };
        let md = doc.md.as_ref().unwrap();
        let id = format!("{}/postgresql", doc.id);
        let schemas: Vec<String> = md
            .tables()
            .iter()
            .map(|t| t.schema().unwrap_or("public").to_owned())
            .collect();
        let names: Vec<String> = md.tables().iter().map(|t| t.name().to_owned()).collect();
        let mut tx = client.transaction().unwrap();
        let result = (|| -> Result<(), String> {
            for s in schemas.iter().collect::<BTreeSet<_>>() {
                tx.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS \"{s}\""))
                    .map_err(|e| e.to_string())?;
            }
            for st in create.sql().map_err(|e| e.to_string())? {
                let st = st.as_str();
                tx.batch_execute(st)
                    .map_err(|e| format!("{id}: {e:?}\n  {st}"))?;
            }
            let ours = "(n.nspname, t.relname) IN (SELECT * FROM unnest($1::text[], $2::text[]))";
            let q = format!(
                "SELECT c.conname::text, c.contype::text FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
                 JOIN pg_namespace n ON n.oid = t.relnamespace WHERE {ours}"
            );
            let rows = tx
                .query(&q, &[&schemas, &names])
                .map_err(|e| e.to_string())?;
            for (kind, ty) in [("pk", "p"), ("fk", "f"), ("uq", "u"), ("ck", "c")] {
                let got: Vec<String> = rows
                    .iter()
                    .filter(|r| r.get::<_, String>(1) == ty)
                    .map(|r| r.get(0))
                    .collect();
                let (named, unnamed) = expected(&doc, "postgresql", &[kind]);
                same_names(&format!("{id} {kind}"), &got, &named, unnamed)?;
            }
            let constraint_indexes: Vec<String> = rows
                .iter()
                .filter(|r| ["p", "u"].contains(&r.get::<_, String>(1).as_str()))
                .map(|r| r.get(0))
                .collect();
            let q = "SELECT indexname::text FROM pg_indexes WHERE (schemaname, tablename) IN (SELECT * FROM unnest($1::text[], $2::text[]))";
            let ix: Vec<String> = tx
                .query(q, &[&schemas, &names])
                .map_err(|e| e.to_string())?
                .iter()
                .map(|r| r.get::<_, String>(0))
                .filter(|n| !constraint_indexes.contains(n))
                .collect();
            let (named, unnamed) = expected(&doc, "postgresql", &["ix"]);
            same_names(&format!("{id} ix"), &ix, &named, unnamed)?;
            let Some(drop) = &drop else { return Ok(()) };
            for st in drop.sql().map_err(|e| e.to_string())? {
                let st = st.as_str();
                tx.batch_execute(st)
                    .map_err(|e| format!("{id} drop: {e:?}\n  {st}"))?;
            }
            let q = "SELECT count(*) FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace \
                     WHERE (n.nspname, t.relname) IN (SELECT * FROM unnest($1::text[], $2::text[]))";
            let left: i64 = tx
                .query_one(q, &[&schemas, &names])
                .map_err(|e| e.to_string())?
                .get(0);
            if left != 0 {
                return Err(format!("{id}: {left} tables left after drop"));
            }
            Ok(())
        })();
        tx.rollback().unwrap();
        match result {
            Ok(()) => ran += 1,
            Err(e) => failures.push(e),
        }
    }
    report("postgresql", failures, ran);
}

#[test]
#[ignore = "needs MariaDB at 127.0.0.1:3306 (cargo test -- --include-ignored)"]
fn mysql_corpus() {
    use mysql::prelude::Queryable;
    let url = "mysql://root@127.0.0.1:3306/test";
    let mut conn = match mysql::Opts::from_url(url)
        .map_err(|e| e.to_string())
        .and_then(|o| mysql::Conn::new(o).map_err(|e| e.to_string()))
    {
        Ok(c) => c,
        Err(e) => panic!("{}", unreachable("MariaDB", url, &e)),
    };
    let d = dialect::by_name("mysql").unwrap();
    let mut failures = Vec::new();
    let mut ran = 0;
    for doc in corpus() {
        let db = format!("nomenclator_ddl_{}", doc.id);
        // Without a database name a cross-database reference is refused...
        if plan_or_refusal(&doc, d, &DdlOptions::default(), &mut Vec::new()).is_none() {
            let mut f = Vec::new();
            plan_or_refusal(&doc, d, &DdlOptions::default(), &mut f);
            failures.extend(f);
        }
        // ...and with one the script runs.
        let options = DdlOptions {
            database: Some(db.clone()),
            ..Default::default()
        };
        let Some((create, drop)) = plan_or_refusal(&doc, d, &options, &mut failures) else {
            continue;
        };
        let md = doc.md.as_ref().unwrap();
        let id = format!("{}/mysql", doc.id);
        let mut dbs: BTreeSet<String> = md
            .tables()
            .iter()
            .filter_map(|t| t.schema().map(str::to_owned))
            .collect();
        dbs.insert(db.clone());
        conn.query_drop("SET FOREIGN_KEY_CHECKS = 0").unwrap();
        for s in &dbs {
            conn.query_drop(format!("DROP DATABASE IF EXISTS `{s}`"))
                .unwrap();
            conn.query_drop(format!("CREATE DATABASE `{s}`")).unwrap();
        }
        conn.query_drop("SET FOREIGN_KEY_CHECKS = 1").unwrap();
        conn.query_drop(format!("USE `{db}`")).unwrap();
        let schema_of = |t: &nomenclator::Table| t.schema().unwrap_or(&db).to_owned();
        let ours: Vec<(String, String)> = md
            .tables()
            .iter()
            .map(|t| (schema_of(t), t.name().to_owned()))
            .collect();
        let result = (|| -> Result<(), String> {
            for st in create.sql().map_err(|e| e.to_string())? {
                let st = st.as_str();
                conn.query_drop(st)
                    .map_err(|e| format!("{id}: {e}\n  {st}"))?;
            }
            let in_dbs = dbs
                .iter()
                .map(|s| format!("'{s}'"))
                .collect::<Vec<_>>()
                .join(", ");
            let rows: Vec<(String, String, String, String)> = conn
                .query(format!(
                    "SELECT TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA IN ({in_dbs})"
                ))
                .map_err(|e| e.to_string())?;
            let rows: Vec<_> = rows
                .into_iter()
                .filter(|r| ours.contains(&(r.0.clone(), r.1.clone())))
                .collect();
            for (kind, ty) in [
                ("pk", "PRIMARY KEY"),
                ("fk", "FOREIGN KEY"),
                ("uq", "UNIQUE"),
                ("ck", "CHECK"),
            ] {
                let got: Vec<String> = rows
                    .iter()
                    .filter(|r| r.3 == ty)
                    .map(|r| r.2.clone())
                    .collect();
                let (mut named, unnamed) = expected(&doc, "mysql", &[kind]);
                if kind == "uq" {
                    // MariaDB lists unique indexes as UNIQUE constraints too.
                    for n in doc.expected["mysql"]["names"].as_array().unwrap() {
                        if n["kind"] == "ix" && n["unique"] == true {
                            named.push(n["name"].as_str().unwrap().to_owned());
                        }
                    }
                }
                if kind == "pk" {
                    // MySQL names every primary key PRIMARY.
                    if got.len() != named.len() + unnamed {
                        return Err(format!(
                            "{id}: {} primary keys, expected {}",
                            got.len(),
                            named.len() + unnamed
                        ));
                    }
                    continue;
                }
                same_names(&format!("{id} {kind}"), &got, &named, unnamed)?;
            }
            let stats: Vec<(String, String, String)> = conn
                .query(format!(
                    "SELECT DISTINCT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA IN ({in_dbs})"
                ))
                .map_err(|e| e.to_string())?;
            let indexes: Vec<String> = stats
                .into_iter()
                .filter(|r| ours.contains(&(r.0.clone(), r.1.clone())))
                .map(|r| r.2)
                .collect();
            let (named, _) = expected(&doc, "mysql", &["ix"]);
            for n in &named {
                if !indexes.contains(n) {
                    return Err(format!(
                        "{id}: index {n:?} missing, catalog has {indexes:?}"
                    ));
                }
            }
            // Every other index backs the primary key, a unique constraint or a foreign key.
            let fk_columns: Vec<&str> = md
                .tables()
                .iter()
                .flat_map(|t| t.foreign_keys())
                .flat_map(|fk| fk.columns())
                .map(String::as_str)
                .collect();
            for i in &indexes {
                let backs = i == "PRIMARY"
                    || rows.iter().any(|r| &r.2 == i)
                    || fk_columns.contains(&i.as_str())
                    || named.contains(i);
                if !backs {
                    return Err(format!("{id}: unexpected index {i:?}"));
                }
            }
            let Some(drop) = &drop else { return Ok(()) };
            for st in drop.sql().map_err(|e| e.to_string())? {
                let st = st.as_str();
                conn.query_drop(st)
                    .map_err(|e| format!("{id} drop: {e}\n  {st}"))?;
            }
            let left: Vec<String> = conn
                .query(format!("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA IN ({in_dbs})"))
                .map_err(|e| e.to_string())?;
            if !left.is_empty() {
                return Err(format!("{id}: drop left {left:?}"));
            }
            Ok(())
        })();
        conn.query_drop("SET FOREIGN_KEY_CHECKS = 0").unwrap();
        for s in &dbs {
            conn.query_drop(format!("DROP DATABASE IF EXISTS `{s}`"))
                .unwrap();
        }
        conn.query_drop("SET FOREIGN_KEY_CHECKS = 1").unwrap();
        match result {
            Ok(()) => ran += 1,
            Err(e) => failures.push(e),
        }
    }
    report("mysql", failures, ran);
}
