//! Engine tests against the live PostgreSQL and MariaDB servers (each test
//! in a database of its own). Each is `#[ignore]`d with the server it needs
//! as the reason: `cargo test` lists them as ignored, `cargo test --
//! --include-ignored` (what `.ci/run` runs) runs them and fails if a server
//! does not answer.

#![allow(clippy::result_large_err)]

mod engine_support;

use std::time::{Duration, Instant};

use assert_cmd::Command;
use engine_support::{
    create_and_drop, my_leftovers, pg_leftovers, rename_schemas, two_tables, RoundTrip,
};
use nomenclator::document::{load_str, Format, LoadOptions};
use nomenclator::engine::{Engine, EngineError, RunOptions};
use nomenclator::events::EventKind;
use nomenclator::schema::CustomDdl;

#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)"]
fn postgres_every_corpus_document_leaves_nothing_behind() {
    let db = engine_support::postgres("corpus");
    let engine = db.engine();
    let mut ran = 0;
    for dir in engine_support::corpus() {
        let Some(mut md) = engine_support::load(&dir.join("schema.json")) else {
            continue;
        };
        // Refused offline by the dialect (e.g. a column name over 63 bytes): nothing ran.
        let label = dir.display().to_string();
        if let RoundTrip::Ran = create_and_drop(&mut md, &engine, &label, || pg_leftovers(&db)) {
            ran += 1;
        }
    }
    assert!(ran >= 250, "only {ran} ran");
}

#[test]
#[ignore = "needs MariaDB at 127.0.0.1:3306 (cargo test -- --include-ignored)"]
fn mariadb_every_corpus_document_leaves_nothing_behind() {
    let db = engine_support::mariadb("corpus");
    let engine = db.engine();
    let (mut ran, mut refused) = (0, Vec::new());
    for dir in engine_support::corpus() {
        let json = rename_schemas(
            &std::fs::read_to_string(dir.join("schema.json")).unwrap(),
            &db.name,
        );
        let loaded = load_str(
            &json,
            &LoadOptions::new().format(Format::Json).name("schema.json"),
        );
        let Ok(mut md) = loaded else {
            // Documents the loader refuses as they are are not about databases.
            if engine_support::load(&dir.join("schema.json")).is_some() {
                panic!(
                    "{}: renaming the schemas broke the document: {}",
                    dir.display(),
                    loaded.unwrap_err()
                );
            }
            continue;
        };
        // The MySQL dialect refuses some documents offline (e.g. an index on TEXT): nothing ran.
        let label = dir.display().to_string();
        match create_and_drop(&mut md, &engine, &label, || my_leftovers(&db)) {
            RoundTrip::Ran => ran += 1,
            RoundTrip::Refused(why) => refused.push(why),
            RoundTrip::Skipped => {}
        }
    }
    eprintln!(
        "{ran} ran, {} refused by the MySQL dialect:\n{}",
        refused.len(),
        refused.join("\n")
    );
    assert!(ran >= 200, "only {ran} ran");
}

#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 and MariaDB at 127.0.0.1:3306 (cargo test -- --include-ignored)"]
fn checkfirst_twice_is_a_no_op_on_postgres_and_mariadb() {
    for db in [
        engine_support::postgres("checkfirst"),
        engine_support::mariadb("checkfirst"),
    ] {
        engine_support::assert_checkfirst_twice_is_a_no_op(&db.engine(), &db.url);
    }
}

#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)"]
fn a_failing_last_statement_rolls_back_on_postgres() {
    let db = engine_support::postgres("fail");
    let mut md = two_tables();
    md.add_ddl(CustomDdl::new(EventKind::AfterCreate, "THIS IS NOT SQL"));
    let err = db
        .engine()
        .create_all(&mut md, &RunOptions::default())
        .unwrap_err();
    assert!(matches!(err, EngineError::RolledBack { .. }), "{err:?}");
    assert!(err.to_string().contains("syntax error"), "{err}");
    assert!(pg_leftovers(&db).is_empty(), "{:?}", pg_leftovers(&db));
}

#[test]
#[ignore = "needs MariaDB at 127.0.0.1:3306 (cargo test -- --include-ignored)"]
fn a_failing_last_statement_on_mariadb_reports_what_ran_and_how_to_undo_it() {
    let db = engine_support::mariadb("fail");
    let mut md = two_tables();
    md.add_ddl(CustomDdl::new(EventKind::AfterCreate, "THIS IS NOT SQL"));
    let engine = db.engine();
    let err = engine
        .create_all(&mut md, &RunOptions::default())
        .unwrap_err();
    let EngineError::Partial {
        statement,
        executed,
        undo,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(statement, "THIS IS NOT SQL");
    assert_eq!(executed.len(), 3, "{executed:?}"); // parent, child, index on child
    assert!(
        executed[0].starts_with("CREATE TABLE parent")
            && executed[1].starts_with("CREATE TABLE child")
    );
    assert_eq!(undo, &["DROP TABLE child", "DROP TABLE parent"]);
    let msg = err.to_string();
    assert!(
        msg.contains("already run and remain") && msg.contains("DROP TABLE child;"),
        "{msg}"
    );
    assert_eq!(my_leftovers(&db).len(), 2);
    let mut c = engine.connect().unwrap();
    for u in undo {
        c.execute(u).unwrap();
    }
    assert!(my_leftovers(&db).is_empty());
}

#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)"]
fn postgres_drop_names_the_blocking_session_and_succeeds_once_it_ends() {
    let db = engine_support::postgres("hang");
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("shop.toml");
    std::fs::write(
        &doc,
        "[[tables]]\nname = \"organization\"\ncolumns = [{ name = \"id\", type = \"integer\", primary_key = true }]\n\n\
         [[tables]]\nname = \"customer\"\ncolumns = [\n  { name = \"id\", type = \"integer\", primary_key = true },\n  \
         { name = \"organization_id\", type = \"integer\", references = \"organization.id\" },\n]\n",
    )
    .unwrap();
    let nomenclator = || {
        let mut c = Command::cargo_bin("nomenclator").unwrap();
        c.env_remove("DATABASE_URL");
        c
    };
    nomenclator()
        .args(["apply", doc.to_str().unwrap(), "--url", &db.url])
        .assert()
        .success();

    // Another program: a transaction that read a table and stays open.
    let other_engine = db.engine();
    let mut other = other_engine.connect().unwrap();
    other.begin().unwrap();
    other.query("SELECT count(*) FROM customer").unwrap();
    let pid = other.backend_pid().unwrap();

    let started = Instant::now();
    let out = nomenclator()
        .args([
            "drop",
            doc.to_str().unwrap(),
            "--url",
            &db.url,
            "--lock-timeout",
            "2s",
        ])
        .timeout(Duration::from_secs(30))
        .assert()
        .failure()
        .code(1);
    let took = started.elapsed();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(took < Duration::from_secs(8), "took {took:?}");
    assert!(stderr.contains(&format!("pid {pid}")), "{stderr}");
    assert!(stderr.contains("idle in transaction"), "{stderr}");
    assert!(
        stderr.contains(&format!("pg_terminate_backend({pid})")),
        "{stderr}"
    );
    assert!(stderr.contains("rolled back"), "{stderr}");
    assert_eq!(
        db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
        2,
        "nothing dropped"
    );

    other.commit().unwrap();
    nomenclator()
        .args([
            "drop",
            doc.to_str().unwrap(),
            "--url",
            &db.url,
            "--lock-timeout",
            "2s",
        ])
        .assert()
        .success();
    assert!(pg_leftovers(&db).is_empty(), "{:?}", pg_leftovers(&db));
}

#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)"]
fn postgres_drop_all_with_an_open_transaction_of_the_same_engine_fails_at_once() {
    let db = engine_support::postgres("inproc");
    let engine = db.engine();
    let (mut md, conn) = engine_support::assert_drop_fails_inside_a_transaction(&engine);
    drop(conn); // rolls back
    assert_eq!(engine.open_transactions(), 0);
    engine.drop_all(&mut md, &RunOptions::default()).unwrap();
    assert!(pg_leftovers(&db).is_empty());
}

#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)"]
fn a_lock_timeout_from_another_program_names_it_in_the_library_error_too() {
    let db = engine_support::postgres("libhang");
    let engine = db.engine();
    let mut md = two_tables();
    engine.create_all(&mut md, &RunOptions::default()).unwrap();
    // A different engine: this one cannot know about it.
    let mut other = Engine::from_url(&db.url).unwrap().connect().unwrap();
    other.begin().unwrap();
    other.query("SELECT * FROM parent").unwrap();
    let pid = other.backend_pid().unwrap();
    let opts = RunOptions {
        lock_timeout: Some(Duration::from_millis(700)),
        ..RunOptions::default()
    };
    let err = engine.drop_all(&mut md, &opts).unwrap_err();
    let EngineError::LockTimeout {
        blockers,
        rolled_back,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert!(rolled_back);
    assert!(blockers.iter().any(|b| b.pid == pid), "{err}");
    assert_eq!(
        db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
        2
    );
    other.rollback().unwrap();
    engine.drop_all(&mut md, &opts).unwrap();
}
