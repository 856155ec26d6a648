//! Engine tests on embedded SQLite: no server needed.

#![allow(clippy::result_large_err)]

mod engine_support;

use engine_support::two_tables;

use std::sync::{Arc, Mutex};

use assert_cmd::Command;
use nomenclator::engine::{Engine, EngineError, RunOptions};
use nomenclator::events::on_ddl;
use nomenclator::events::EventKind;
use nomenclator::schema::CustomDdl;

fn sqlite_objects(engine: &Engine) -> Vec<String> {
    let mut c = engine.connect().unwrap();
    c.query("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .into_iter()
        .map(|r| r[0].clone().unwrap())
        .collect()
}

#[test]
fn every_corpus_document_is_created_and_dropped_leaving_nothing() {
    let mut ran = 0;
    for dir in engine_support::corpus() {
        let Some(mut md) = engine_support::load(&dir.join("schema.json")) else {
            continue;
        };
        let engine = Engine::from_url("sqlite::memory:").unwrap();
        let created = engine
            .create_all(&mut md, &RunOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        assert_eq!(
            created.created_tables().len(),
            md.len(),
            "{}",
            dir.display()
        );
        // checkfirst finds every table complete, with every named constraint and index.
        let checkfirst = RunOptions {
            checkfirst: true,
            ..RunOptions::default()
        };
        let again = engine
            .create_all(&mut md, &checkfirst)
            .unwrap_or_else(|e| panic!("{}: checkfirst after create: {e}", dir.display()));
        assert!(
            again.executed.is_empty(),
            "{}: checkfirst after create ran {:?}",
            dir.display(),
            again.executed
        );
        let dropped = engine
            .drop_all(&mut md, &RunOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        assert_eq!(dropped.dropped_tables().len(), md.len());
        let mut c = engine.connect().unwrap();
        for db in c.query("PRAGMA database_list").unwrap() {
            let db = db[1].clone().unwrap();
            let left = c
                .query(&format!("SELECT name FROM \"{db}\".sqlite_master"))
                .unwrap();
            assert!(left.is_empty(), "{}: left in {db}: {left:?}", dir.display());
        }
        ran += 1;
    }
    assert!(ran >= 250, "only {ran} corpus documents ran");
}

#[test]
fn checkfirst_twice_is_a_no_op() {
    let engine = Engine::from_url("sqlite::memory:").unwrap();
    engine_support::assert_checkfirst_twice_is_a_no_op(&engine, "sqlite::memory:");
    assert!(sqlite_objects(&engine).is_empty());
}

#[test]
fn a_failing_last_statement_leaves_nothing_behind() {
    let engine = Engine::from_url("sqlite::memory:").unwrap();
    let mut md = two_tables();
    md.add_ddl(CustomDdl::new(EventKind::AfterCreate, "THIS IS NOT SQL"));
    let err = engine
        .create_all(&mut md, &RunOptions::default())
        .unwrap_err();
    assert!(matches!(err, EngineError::RolledBack { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("THIS IS NOT SQL") && msg.contains("rolled back"),
        "{msg}"
    );
    assert!(
        sqlite_objects(&engine).is_empty(),
        "{:?}",
        sqlite_objects(&engine)
    );
}

#[test]
fn ddl_events_fire_in_order_around_real_statements() {
    let engine = Engine::from_url("sqlite::memory:").unwrap();
    let mut md = two_tables();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    md.listen(on_ddl(move |ev| {
        let table = ev
            .table
            .map(|t| t.name().to_owned())
            .unwrap_or_else(|| "*".into());
        s.lock()
            .unwrap()
            .push(format!("{} {table}", ev.kind.as_str()));
        // Only runs if the table really exists at after_create.
        if ev.kind == nomenclator::events::EventKind::AfterCreate && table == "parent" {
            ev.add_statement("INSERT INTO parent (id) VALUES (7)");
        }
        Ok(())
    }));
    let report = engine.create_all(&mut md, &RunOptions::default()).unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "before_create *",
            "before_create parent",
            "after_create parent",
            "before_create child",
            "after_create child",
            "after_create *"
        ]
    );
    assert!(report.executed.iter().any(|e| matches!(
        e.statement,
        nomenclator::sql::Statement::Custom { .. }
    ) && e.sql.contains("INSERT")));
    let rows = engine
        .connect()
        .unwrap()
        .query("SELECT id FROM parent")
        .unwrap();
    assert_eq!(rows, vec![vec![Some("7".to_owned())]]);
    seen.lock().unwrap().clear();
    engine.drop_all(&mut md, &RunOptions::default()).unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "before_drop *",
            "before_drop child",
            "after_drop child",
            "before_drop parent",
            "after_drop parent",
            "after_drop *"
        ]
    );
}

#[test]
fn drop_all_with_an_open_transaction_of_the_same_engine_fails_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let engine =
        Engine::from_url(&format!("sqlite://{}", dir.path().join("x.db").display())).unwrap();
    let (mut md, mut conn) = engine_support::assert_drop_fails_inside_a_transaction(&engine);
    conn.commit().unwrap();
    assert_eq!(
        engine
            .drop_all(&mut md, &RunOptions::default())
            .unwrap()
            .dropped_tables()
            .len(),
        2
    );
}

#[test]
fn urls_pick_the_driver_and_reject_unknown_schemes() {
    assert_eq!(
        Engine::from_url("sqlite::memory:")
            .unwrap()
            .dialect()
            .name(),
        "sqlite"
    );
    assert_eq!(
        Engine::from_url("postgresql://u@h/db")
            .unwrap()
            .dialect()
            .name(),
        "postgresql"
    );
    assert_eq!(
        Engine::from_url("mariadb://u@h/db")
            .unwrap()
            .dialect()
            .name(),
        "mysql"
    );
    let err = Engine::from_url("mssql://h/db").unwrap_err().to_string();
    assert!(err.contains("unknown scheme"), "{err}");
}

#[test]
fn apply_without_url_uses_a_sqlite_file_next_to_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("shop.toml");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/shop.toml"),
        &doc,
    )
    .unwrap();
    let out = Command::cargo_bin("nomenclator")
        .unwrap()
        .env_remove("DATABASE_URL")
        .args(["apply", doc.to_str().unwrap()])
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stdout.contains("created table customer") && stdout.contains("pk_customer"),
        "{stdout}"
    );
    assert!(stderr.contains("created 5 table(s)"), "{stderr}");
    assert!(dir.path().join("shop.db").exists());
    Command::cargo_bin("nomenclator")
        .unwrap()
        .env_remove("DATABASE_URL")
        .args(["apply", doc.to_str().unwrap(), "--checkfirst"])
        .assert()
        .success()
        .stdout("");
    Command::cargo_bin("nomenclator")
        .unwrap()
        .env_remove("DATABASE_URL")
        .args(["drop", doc.to_str().unwrap()])
        .assert()
        .success();
    let engine = Engine::from_url(&format!(
        "sqlite://{}",
        dir.path().join("shop.db").display()
    ))
    .unwrap();
    assert!(sqlite_objects(&engine).is_empty());
}

/// A statement that cannot run inside a transaction (`VACUUM`) fails the
/// whole create unless it is marked so; marked, it runs between two
/// transactions, and a failure after it rolls back only what followed it,
/// reported as a partial run with its undo.
#[test]
fn statements_outside_the_transaction_run_between_transactions() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("vacuum.db").display());
    let engine = Engine::from_url(&url).unwrap();

    let mut md = two_tables();
    md.add_ddl(CustomDdl::new(EventKind::AfterCreate, "VACUUM"));
    let err = engine
        .create_all(&mut md, &RunOptions::default())
        .unwrap_err();
    assert!(matches!(err, EngineError::RolledBack { .. }), "{err:?}");
    assert!(sqlite_objects(&engine).is_empty());

    let mut md = two_tables();
    md.add_ddl(CustomDdl::new(EventKind::AfterCreate, "VACUUM").outside_transaction());
    let report = engine.create_all(&mut md, &RunOptions::default()).unwrap();
    assert!(report.executed.iter().any(|e| e.sql == "VACUUM"));
    assert_eq!(report.created_tables().len(), 2);
    engine.drop_all(&mut md, &RunOptions::default()).unwrap();
    assert!(sqlite_objects(&engine).is_empty());

    let mut md = two_tables();
    md.add_ddl(CustomDdl::new(EventKind::AfterCreate, "VACUUM").outside_transaction());
    md.add_ddl(CustomDdl::new(EventKind::AfterCreate, "THIS IS NOT SQL"));
    match engine.create_all(&mut md, &RunOptions::default()) {
        Err(EngineError::Partial { executed, undo, .. }) => {
            assert!(executed.iter().any(|s| s.starts_with("CREATE TABLE")));
            assert_eq!(executed.last().map(String::as_str), Some("VACUUM"));
            assert!(undo.iter().any(|s| s.starts_with("DROP TABLE")), "{undo:?}");
        }
        other => panic!("expected a partial run, got {other:?}"),
    }
    // The tables committed before VACUUM are there.
    assert!(sqlite_objects(&engine).contains(&"parent".to_owned()));
}
