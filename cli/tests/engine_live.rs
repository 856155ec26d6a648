//! Engine tests against the live PostgreSQL and MariaDB servers (each test
//! in a database of its own). Each is `#[ignore]`d with the server it needs
//! as the reason: `cargo test` lists them as ignored, `cargo test --
//! --include-ignored` (what `.ci/run` runs) runs them and fails if a server
//! does not answer.

#![allow(clippy::result_large_err)]

mod engine_support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use engine_support::{
    create_and_drop, my_leftovers, nomenclator, pg_leftovers, rename_schemas, two_tables, RoundTrip,
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
    // The hint names PostgreSQL's command only.
    assert!(!stderr.contains("KILL"), "{stderr}");
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

/// A document of `n` tables (`t0000`, ... each with an indexed column); after
/// table `at` is created, `wait` runs (a statement that waits for a lock the
/// test holds), for `dialect` only.
fn many_tables(dir: &tempfile::TempDir, n: usize, at: usize, wait: &str, dialect: &str) -> PathBuf {
    let mut doc = String::from("conventions = \"sqlalchemy\"\n");
    for i in 0..n {
        doc.push_str(&format!(
            "\n[[tables]]\nname = \"t{i:04}\"\ncolumns = [{{ name = \"id\", type = \"integer\", primary_key = true }}, \
             {{ name = \"v\", type = \"integer\", index = true }}]\n"
        ));
        if i == at {
            doc.push_str(&format!(
                "ddl = [{{ when = \"after_create\", sql = \"{wait}\", dialects = [\"{dialect}\"] }}]\n"
            ));
        }
    }
    let path = dir.path().join("many.toml");
    std::fs::write(&path, doc).unwrap();
    path
}

/// Runs `apply` on `doc`; once `blocked` says the run waits at the test's
/// lock, sends `signal`, then lets the run go on with `release`. Returns the
/// exit code, standard output and standard error.
#[cfg(unix)]
fn interrupt_apply(
    doc: &Path,
    url: &str,
    signal: &str,
    blocked: impl Fn() -> bool,
    release: impl FnOnce(),
) -> (Option<i32>, String, String) {
    use std::process::Stdio;
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_nomenclator"))
        .env_remove("DATABASE_URL")
        .args([
            "apply",
            doc.to_str().unwrap(),
            "--url",
            url,
            "--lock-timeout",
            "120s",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !blocked() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the run never reached the lock"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let sent = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    // Give the handler a moment, then let the waiting statement finish:
    // the run must stop before the next one.
    std::thread::sleep(Duration::from_millis(200));
    release();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[cfg(unix)]
#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)"]
fn an_interrupted_apply_on_postgres_rolls_back_and_says_so() {
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
        let db = engine_support::postgres(&format!("sig{}", signal.to_lowercase()));
        let key = 7_000 + i64::from(code);
        let dir = tempfile::tempdir().unwrap();
        let doc = many_tables(
            &dir,
            200,
            120,
            &format!("SELECT pg_advisory_lock({key})"),
            "postgresql",
        );
        let holder_engine = db.engine();
        let mut holder = holder_engine.connect().unwrap();
        holder
            .query(&format!("SELECT pg_advisory_lock({key})"))
            .unwrap();
        let (status, stdout, stderr) = interrupt_apply(
            &doc,
            &db.url,
            signal,
            || {
                db.count(&format!(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = {key}"
                )) > 0
            },
            || {
                holder
                    .query(&format!("SELECT pg_advisory_unlock({key})"))
                    .unwrap();
            },
        );
        assert_eq!(status, Some(code), "{stderr}");
        assert_eq!(stdout, "");
        // 121 tables with their index, then the statement that waited.
        assert!(
            stderr.contains("interrupted after 243 of 401 statement(s)"),
            "{stderr}"
        );
        assert!(
            stderr.contains("rolled back: the 243 statement(s) of the transaction were undone")
                && stderr.contains("the database is as it was before"),
            "{stderr}"
        );
        assert!(pg_leftovers(&db).is_empty(), "{:?}", pg_leftovers(&db));
    }
}

#[cfg(unix)]
#[test]
#[ignore = "needs MariaDB at 127.0.0.1:3306 (cargo test -- --include-ignored)"]
fn an_interrupted_apply_on_mariadb_lists_what_ran_and_how_to_undo_it() {
    let db = engine_support::mariadb("sigint");
    let lock = format!("{}_lock", db.name);
    let dir = tempfile::tempdir().unwrap();
    let doc = many_tables(
        &dir,
        200,
        120,
        &format!("DO GET_LOCK('{lock}', 120)"),
        "mysql",
    );
    let holder_engine = db.engine();
    let mut holder = holder_engine.connect().unwrap();
    holder
        .query(&format!("SELECT GET_LOCK('{lock}', 0)"))
        .unwrap();
    let (status, stdout, stderr) = interrupt_apply(
        &doc,
        &db.url,
        "INT",
        || {
            db.count(&format!(
                "SELECT count(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'DO GET_LOCK(''{lock}''%'"
            )) > 0
        },
        || {
            holder
                .query(&format!("SELECT RELEASE_LOCK('{lock}')"))
                .unwrap();
        },
    );
    assert_eq!(status, Some(130), "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("interrupted after 243 of 401 statement(s)")
            && stderr.contains("243 statement(s) had run and remain"),
        "{stderr}"
    );
    // What the report says ran is what the database holds.
    let ran: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("  CREATE TABLE "))
        .collect();
    assert_eq!(ran.len(), 121, "{stderr}");
    assert_eq!(my_leftovers(&db).len(), 121);
    // And its undo statements empty it.
    let undo: Vec<String> = stderr
        .lines()
        .skip_while(|l| *l != "to undo them, run:")
        .skip(1)
        .filter(|l| !l.trim_start().starts_with("--"))
        .map(|l| l.trim().trim_end_matches(';').to_owned())
        .collect();
    assert_eq!(undo.first().map(String::as_str), Some("DROP TABLE t0120"));
    assert_eq!(undo.len(), 121, "{undo:?}");
    let engine = db.engine();
    let mut c = engine.connect().unwrap();
    for u in &undo {
        c.execute(u).unwrap();
    }
    assert!(my_leftovers(&db).is_empty(), "{:?}", my_leftovers(&db));
}

/// A table with a unique column and an index, and a view on it.
const ORDERS: &str = r#"conventions = "sqlalchemy"
views = [{ name = "big_orders", sql = "SELECT id FROM orders WHERE qty > 10" }]

[[tables]]
name = "orders"
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = "code", type = "varchar(20)", unique = true },
  { name = "qty", type = "integer", index = true },
]
"#;

#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 and MariaDB at 127.0.0.1:3306 (cargo test -- --include-ignored)"]
fn checkfirst_completes_a_table_made_by_hand_on_postgres_and_mariadb() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("orders.toml");
    std::fs::write(&doc, ORDERS).unwrap();
    let nomenclator = |args: &[&str], url: &str| {
        let mut c = engine_support::nomenclator();
        c.args(args).arg(&doc).args(["--url", url]);
        c
    };
    let text = |a: &assert_cmd::assert::Assert| {
        (
            String::from_utf8(a.get_output().stdout.clone()).unwrap(),
            String::from_utf8(a.get_output().stderr.clone()).unwrap(),
        )
    };
    for (db, indexes, drop_unique) in [
        (
            engine_support::postgres("cf_hand"),
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'orders' AND indexname = 'ix_orders_qty'",
            "ALTER TABLE orders DROP CONSTRAINT uq_orders_code",
        ),
        (
            engine_support::mariadb("cf_hand"),
            "SELECT count(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() \
             AND TABLE_NAME = 'orders' AND INDEX_NAME = 'ix_orders_qty'",
            "ALTER TABLE orders DROP INDEX uq_orders_code",
        ),
    ] {
        let engine = db.engine();
        let mut c = engine.connect().unwrap();
        c.execute(
            "CREATE TABLE orders (id INTEGER NOT NULL, code VARCHAR(20), qty INTEGER, \
             CONSTRAINT pk_orders PRIMARY KEY (id), CONSTRAINT uq_orders_code UNIQUE (code))",
        )
        .unwrap();
        // The missing index is created, the view too.
        let a = nomenclator(&["apply", "--checkfirst"], &db.url).assert().success();
        let (out, err) = text(&a);
        assert!(
            out.contains("completed table orders") && out.contains("ix_orders_qty"),
            "{}: {out}",
            db.url
        );
        assert!(err.contains("1 table(s) already existed"), "{err}");
        assert_eq!(db.count(indexes), 1, "{}", db.url);
        // A second apply without --checkfirst: the table is there, and the way out.
        let a = nomenclator(&["apply"], &db.url).assert().code(1);
        let (_, err) = text(&a);
        assert!(
            err.contains("hint: table orders already exists") && err.contains("--checkfirst"),
            "{}: {err}",
            db.url
        );
        // A constraint of CREATE TABLE gone: refused, named, with the statement that adds it.
        c.execute(drop_unique).unwrap();
        let a = nomenclator(&["apply", "--checkfirst"], &db.url)
            .assert()
            .code(1);
        let (_, err) = text(&a);
        assert!(
            err.contains("table orders has no unique constraint uq_orders_code (code)")
                && err.contains("to add it: ALTER TABLE orders ADD CONSTRAINT uq_orders_code UNIQUE (code);"),
            "{}: {err}",
            db.url
        );
        // The view dropped by hand: drop says so, and drop --checkfirst drops the rest.
        c.execute("DROP VIEW big_orders").unwrap();
        let a = nomenclator(&["drop"], &db.url).assert().code(1);
        let (_, err) = text(&a);
        assert!(
            err.contains("hint: view big_orders is not there"),
            "{}: {err}",
            db.url
        );
        nomenclator(&["drop", "--checkfirst"], &db.url)
            .assert()
            .success();
        assert!(
            !engine.connect().unwrap().relation_exists(None, "orders").unwrap(),
            "{}",
            db.url
        );
    }
}

/// Without the metadata_lock_info plugin, MariaDB does not say who holds a
/// table's metadata lock: the report narrows the sessions down to the one
/// that holds the table with `LOCK TABLES` (the table is in use while that
/// session is idle), says it is a guess, and leaves out a session whose
/// open transaction is on another table.
#[test]
#[ignore = "needs MariaDB at 127.0.0.1:3306 (cargo test -- --include-ignored)"]
fn mariadb_drop_names_the_lock_tables_holder_and_not_an_unrelated_transaction() {
    let db = engine_support::mariadb("locktables");
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("ledger.toml");
    std::fs::write(
        &doc,
        "[[tables]]\nname = \"ledger\"\ncolumns = [{ name = \"id\", type = \"integer\", primary_key = true }]\n",
    )
    .unwrap();
    let nomenclator = || {
        let mut c = engine_support::nomenclator();
        c.timeout(Duration::from_secs(60));
        c
    };
    nomenclator()
        .args(["apply", doc.to_str().unwrap(), "--url", &db.url])
        .assert()
        .success();
    let engine = db.engine();
    {
        let mut c = engine.connect().unwrap();
        c.execute("CREATE TABLE unrelated (id integer PRIMARY KEY)")
            .unwrap();
    }
    // One session holds the table; another has a transaction on another table.
    let mut holder = engine.connect().unwrap();
    holder.execute("LOCK TABLES ledger WRITE").unwrap();
    let holder_id = holder.backend_pid().unwrap();
    let mut bystander = engine.connect().unwrap();
    bystander.begin().unwrap();
    bystander
        .execute("INSERT INTO unrelated VALUES (1)")
        .unwrap();
    let bystander_id = bystander.backend_pid().unwrap();

    let out = nomenclator()
        .args([
            "drop",
            doc.to_str().unwrap(),
            "--url",
            &db.url,
            "--lock-timeout",
            "2s",
        ])
        .assert()
        .failure()
        .code(1);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains(&format!("pid {holder_id}")), "{stderr}");
    assert!(stderr.contains("LOCK TABLES"), "{stderr}");
    assert!(stderr.contains(&format!("KILL {holder_id};")), "{stderr}");
    assert!(stderr.contains("a guess"), "{stderr}");
    assert!(
        !stderr.contains(&format!("pid {bystander_id}"))
            && !stderr.contains(&format!("KILL {bystander_id}")),
        "the transaction on another table is not a suspect: {stderr}"
    );
    assert!(!stderr.contains("pg_terminate_backend"), "{stderr}");

    holder.execute("UNLOCK TABLES").unwrap();
    bystander.rollback().unwrap();
    nomenclator()
        .args(["drop", doc.to_str().unwrap(), "--url", &db.url])
        .assert()
        .success();
}
