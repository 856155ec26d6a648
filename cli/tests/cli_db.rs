//! `nomenclator apply` and `drop` on embedded SQLite, as a person meets
//! them: a second apply, a view dropped by hand, a table created by hand
//! without its index, URLs that cannot be what was meant, output that
//! cannot be written.

#![allow(clippy::result_large_err)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use nomenclator::engine::Engine;
use predicates::prelude::*;

fn nomenclator() -> Command {
    let mut c = Command::cargo_bin("nomenclator").expect("binary built");
    c.env_remove("DATABASE_URL");
    c
}

/// A table with a unique column and an index, and a view on it.
const SHOP: &str = r#"conventions = "sqlalchemy"
views = [{ name = "big_orders", sql = "SELECT id FROM orders WHERE qty > 10" }]

[[tables]]
name = "orders"
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = "code", type = "varchar(20)", unique = true },
  { name = "qty", type = "integer", index = true },
]
"#;

fn doc(dir: &tempfile::TempDir) -> PathBuf {
    let p = dir.path().join("shop.toml");
    std::fs::write(&p, SHOP).unwrap();
    p
}

fn url(db: &Path) -> String {
    format!("sqlite://{}", db.display())
}

fn sql(db: &Path, statement: &str) {
    Engine::from_url(&url(db))
        .unwrap()
        .connect()
        .unwrap()
        .execute(statement)
        .unwrap();
}

fn objects(db: &Path) -> Vec<String> {
    Engine::from_url(&url(db))
        .unwrap()
        .connect()
        .unwrap()
        .query("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .into_iter()
        .map(|r| r[0].clone().unwrap())
        .collect()
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stderr.clone()).unwrap()
}

#[test]
fn a_second_apply_says_the_table_exists_once_and_suggests_checkfirst_or_drop() {
    let dir = tempfile::tempdir().unwrap();
    let doc = doc(&dir);
    nomenclator().arg("apply").arg(&doc).assert().success();
    let a = nomenclator()
        .arg("apply")
        .arg(&doc)
        .assert()
        .code(1)
        .stdout("");
    let err = stderr(&a);
    assert_eq!(
        err.matches("CREATE TABLE orders").count(),
        2,
        "the statement once (and its description): {err}"
    );
    assert!(err.contains("already exists"), "{err}");
    assert!(
        err.contains("hint: table orders already exists")
            && err.contains("--checkfirst")
            && err.contains("`drop`"),
        "{err}"
    );
}

#[test]
fn drop_after_the_view_was_dropped_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let doc = doc(&dir);
    let db = dir.path().join("shop.db");
    nomenclator().arg("apply").arg(&doc).assert().success();
    sql(&db, "DROP VIEW big_orders");
    // Without --checkfirst: refused, nothing dropped, and the way out named.
    let a = nomenclator().arg("drop").arg(&doc).assert().code(1);
    let err = stderr(&a);
    assert!(
        err.contains("hint: view big_orders is not there") && err.contains("drop --checkfirst"),
        "{err}"
    );
    assert!(objects(&db).contains(&"orders".to_owned()));
    // With it: the view is skipped, the table dropped.
    nomenclator()
        .arg("drop")
        .arg(&doc)
        .arg("--checkfirst")
        .assert()
        .success()
        .stderr(predicate::str::contains("dropped 1 table(s)"));
    assert!(objects(&db).is_empty(), "{:?}", objects(&db));
}

#[test]
fn checkfirst_creates_the_index_a_table_made_by_hand_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let doc = doc(&dir);
    let db = dir.path().join("shop.db");
    sql(
        &db,
        "CREATE TABLE orders (id INTEGER NOT NULL, code VARCHAR(20), qty INTEGER, \
         CONSTRAINT pk_orders PRIMARY KEY (id), CONSTRAINT uq_orders_code UNIQUE (code))",
    );
    let a = nomenclator()
        .arg("apply")
        .arg(&doc)
        .arg("--checkfirst")
        .assert()
        .success();
    let out = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(
        out.contains("completed table orders") && out.contains("ix_orders_qty"),
        "{out}"
    );
    assert!(
        stderr(&a).contains("1 index(es)") && stderr(&a).contains("1 table(s) already existed"),
        "{}",
        stderr(&a)
    );
    assert_eq!(
        objects(&db),
        ["big_orders", "ix_orders_qty", "orders"].map(String::from)
    );
    // Complete now: a third run runs nothing.
    nomenclator()
        .arg("apply")
        .arg(&doc)
        .arg("--checkfirst")
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("(0 statement(s)"));
}

#[test]
fn checkfirst_refuses_a_table_made_by_hand_without_its_unique_constraint() {
    let dir = tempfile::tempdir().unwrap();
    let doc = doc(&dir);
    let db = dir.path().join("shop.db");
    sql(
        &db,
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, code VARCHAR(20), qty INTEGER)",
    );
    let a = nomenclator()
        .arg("apply")
        .arg(&doc)
        .arg("--checkfirst")
        .assert()
        .code(1)
        .stdout("");
    let err = stderr(&a);
    assert!(
        err.contains("table orders has no unique constraint uq_orders_code (code)")
            && err.contains("nothing ran"),
        "{err}"
    );
    assert_eq!(objects(&db), ["orders"].map(String::from), "nothing ran");
}

#[test]
fn an_in_memory_url_is_a_trial_run_for_apply_and_refused_for_drop() {
    let dir = tempfile::tempdir().unwrap();
    let doc = doc(&dir);
    for memory in ["sqlite://", "sqlite::memory:"] {
        nomenclator()
            .arg("apply")
            .arg(&doc)
            .args(["--url", memory])
            .assert()
            .success()
            .stdout(predicate::str::contains("created table orders"))
            .stderr(
                predicate::str::contains("in-memory database")
                    .and(predicate::str::contains("gone when nomenclator ends"))
                    .and(predicate::str::contains("sqlite://path/to/file.db")),
            );
        nomenclator()
            .arg("drop")
            .arg(&doc)
            .args(["--url", memory])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("nothing to drop"));
    }
    nomenclator()
        .arg("apply")
        .arg(&doc)
        .args(["--url", "sqlite://"])
        .assert()
        .stderr(predicate::str::contains("sqlite:// names no file"));
    assert!(!dir.path().join("shop.db").exists());
}

#[test]
fn a_mysql_url_without_a_database_is_refused_before_connecting() {
    let dir = tempfile::tempdir().unwrap();
    let doc = doc(&dir);
    for url in [
        "mysql://someone:secret@db.invalid:3306",
        "mysql://someone:secret@db.invalid:3306/",
        "mariadb://db.invalid/?ssl-mode=disabled",
    ] {
        let a = nomenclator()
            .arg("apply")
            .arg(&doc)
            .args(["--url", url])
            .assert()
            .code(1)
            .stdout("");
        let err = stderr(&a);
        assert!(
            err.contains("names no database")
                && err.contains("tables without a schema (orders)")
                && err.contains("/DATABASE"),
            "{url}: {err}"
        );
        assert!(!err.contains("secret"), "{err}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn apply_into_a_full_output_says_the_database_was_changed() {
    let dir = tempfile::tempdir().unwrap();
    let doc = doc(&dir);
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_nomenclator"))
        .env_remove("DATABASE_URL")
        .arg("apply")
        .arg(&doc)
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("cannot write output")
            && err.contains("the database was changed all the same: created 1 table(s)"),
        "{err}"
    );
    assert!(objects(&dir.path().join("shop.db")).contains(&"orders".to_owned()));
}

#[test]
fn apply_reads_the_document_from_standard_input_with_a_url() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("piped.db");
    nomenclator()
        .args(["apply", "-"])
        .write_stdin(SHOP)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("standard input").and(predicate::str::contains("--url")));
    nomenclator()
        .args(["apply", "-", "--url", &url(&db)])
        .write_stdin(SHOP)
        .assert()
        .success()
        .stdout(predicate::str::contains("created table orders"));
    nomenclator()
        .args(["drop", "-", "--url", &url(&db)])
        .write_stdin(SHOP)
        .assert()
        .success();
    assert!(objects(&db).is_empty());
}
