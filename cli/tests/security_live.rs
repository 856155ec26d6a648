//! Security and data (issue 11) against the live PostgreSQL and MariaDB
//! servers and SQLite: string literals under every server setting, one step
//! one statement, SQLite schema files, names that differ by case, checks on
//! MariaDB's AUTO_INCREMENT column. Each test works in databases of its own
//! (see `engine_support`); those that need a server are `#[ignore]`d with
//! it as the reason, and `cargo test -- --include-ignored` (what `.ci/run`
//! runs) runs them.

#![allow(clippy::result_large_err)]

mod engine_support;

use assert_cmd::Command;
use engine_support::{my_leftovers, pg_leftovers, TestDb};
use nomenclator::ddl::{create_plan, DdlError, DdlOptions};
use nomenclator::dialect::{Dialect, MariaDb};
use nomenclator::document::{load_str, Format, LoadOptions};
use nomenclator::engine::{Engine, EngineError, RunOptions};
use nomenclator::events::{on_ddl, EventKind};
use nomenclator::naming::NamingError;
use nomenclator::MetaData;

fn doc(toml: &str) -> MetaData {
    load_str(
        toml,
        &LoadOptions::new().format(Format::Toml).name("doc.toml"),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

const PRECIOUS: &str =
    "[[tables]]\nname = \"precious\"\ncolumns = [{ name = \"id\", type = \"integer\", primary_key = true }]\n";

/// A comment that, written as `'...'` with the backslash kept as it is,
/// ends the string under backslash escapes and drops `precious`.
const HOSTILE_COMMENT: &str = r"\'; DROP TABLE precious; --";

/// `precious`, and `note` whose comments are [`HOSTILE_COMMENT`].
fn commented(note: &str) -> String {
    format!(
        "{PRECIOUS}\n[[tables]]\nname = \"{note}\"\ncomment = {c}\ncolumns = [{{ name = \"v\", type = \"integer\", comment = {c} }}]\n",
        c = serde_json::to_string(HOSTILE_COMMENT).unwrap(),
    )
}

/// `note` with a check whose raw SQL drops `precious` when written as it is.
const HOSTILE_CHECK: &str = r#"
[[tables]]
name = "note"
columns = [ { name = "v", type = "integer" } ]
checks = [ { sql = "v > 0)); DROP TABLE precious; SELECT ((1", name = "positive" } ]
"#;

fn pg_relation(db: &TestDb, name: &str) -> bool {
    db.count(&format!(
        "SELECT count(*) FROM pg_class WHERE relname = '{name}' AND relnamespace = 'public'::regnamespace"
    )) == 1
}

fn my_relation(db: &TestDb, name: &str) -> bool {
    db.count(&format!(
        "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{}' AND TABLE_NAME = '{name}'",
        db.name
    )) == 1
}

#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)"]
fn postgres_comments_are_safe_with_standard_conforming_strings_off() {
    let db = engine_support::postgres("sec_scs");
    Engine::from_url(engine_support::PG_ADMIN)
        .unwrap()
        .connect()
        .unwrap()
        .execute(&format!(
            "ALTER DATABASE {} SET standard_conforming_strings = off",
            db.name
        ))
        .unwrap();
    assert_eq!(
        db.query("SHOW standard_conforming_strings")[0][0].as_deref(),
        Some("off")
    );
    let engine = db.engine();
    let mut md = doc(&commented("note"));
    let report = engine.create_all(&mut md, &RunOptions::default()).unwrap();
    assert!(pg_relation(&db, "precious"), "{}", report.summary());
    assert!(pg_relation(&db, "note"));
    // The comments are stored exactly as written.
    let stored = db.query(
        "SELECT obj_description('note'::regclass, 'pg_class'), col_description('note'::regclass, 1)",
    );
    assert_eq!(stored[0][0].as_deref(), Some(HOSTILE_COMMENT));
    assert_eq!(stored[0][1].as_deref(), Some(HOSTILE_COMMENT));
    // What ran is what the report says: two tables, two comments.
    assert_eq!(report.executed.len(), 4, "{:?}", report.executed);
    // Catalog look-ups (checkfirst) and the drop work under the setting too.
    let again = engine
        .create_all(
            &mut md,
            &RunOptions {
                checkfirst: true,
                ..RunOptions::default()
            },
        )
        .unwrap();
    assert!(again.executed.is_empty(), "{:?}", again.executed);
    engine.drop_all(&mut md, &RunOptions::default()).unwrap();
    assert!(pg_leftovers(&db).is_empty());
}

#[test]
#[ignore = "needs MariaDB at 127.0.0.1:3306 (cargo test -- --include-ignored)"]
fn mariadb_comments_are_safe_with_and_without_no_backslash_escapes() {
    let db = engine_support::mariadb("sec_nbe");
    let engine = db.engine();
    let comment_of = |table: &str| {
        db.query(&format!(
            "SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{}' AND TABLE_NAME = '{table}'",
            db.name
        ))[0][0]
            .clone()
    };
    // A run: the comment is stored exactly.
    let mut md = doc(&commented("note"));
    engine.create_all(&mut md, &RunOptions::default()).unwrap();
    assert!(my_relation(&db, "precious"));
    assert_eq!(comment_of("note").as_deref(), Some(HOSTILE_COMMENT));

    // The script as `ddl --dialect mariadb` prints it, sent as text (where
    // the driver runs several statements) by a session under either mode.
    let md = doc(&commented("note_by_hand"));
    let plan = create_plan(&md, &MariaDb, &DdlOptions::default()).unwrap();
    let note = plan
        .statements()
        .map(|st| MariaDb.to_sql(st).unwrap())
        .find(|sql| sql.starts_with("CREATE TABLE note_by_hand"))
        .unwrap();
    for (mode, stored) in [
        ("", HOSTILE_COMMENT.to_owned()),
        // Safe, but each backslash is kept doubled: the dialect writes
        // literals for MySQL's default mode (docs/dialects.md).
        (
            ",NO_BACKSLASH_ESCAPES",
            HOSTILE_COMMENT.replace('\\', "\\\\"),
        ),
    ] {
        let mut c = engine.connect().unwrap();
        c.execute(&format!(
            "SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, '{mode}')"
        ))
        .unwrap();
        c.execute("DROP TABLE IF EXISTS note_by_hand").unwrap();
        c.execute(&note).unwrap();
        assert!(my_relation(&db, "precious"), "mode {mode:?}");
        assert_eq!(comment_of("note_by_hand"), Some(stored), "mode {mode:?}");
    }
}

/// Creates `precious`, then applies [`HOSTILE_CHECK`]: the run must fail
/// before anything runs, saying why, and leave `precious` alone.
fn hostile_check_is_refused(engine: &Engine, exists: impl Fn(&str) -> bool) {
    let label = engine.url().display();
    engine
        .create_all(&mut doc(PRECIOUS), &RunOptions::default())
        .unwrap();
    let err = engine
        .create_all(&mut doc(HOSTILE_CHECK), &RunOptions::default())
        .unwrap_err();
    assert!(
        matches!(err, EngineError::Plan(DdlError::RawSql { .. })),
        "{label}: {err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("check constraint \"positive\" of table \"note\"")
            && msg.contains("would end the statement there"),
        "{label}: {msg}"
    );
    assert!(exists("precious"), "{label}: precious was dropped");
    assert!(!exists("note"), "{label}: note was created");

    // A statement a DDL-event listener adds is checked before it runs too.
    let mut md =
        doc("[[tables]]\nname = \"extra\"\ncolumns = [{ name = \"v\", type = \"integer\" }]\n");
    md.listen(on_ddl(|e| {
        if e.kind == EventKind::AfterCreate && e.table.is_none() {
            e.add_statement("CREATE TABLE extra2 (x INTEGER); DROP TABLE precious");
        }
        Ok(())
    }));
    let err = engine
        .create_all(&mut md, &RunOptions::default())
        .unwrap_err();
    assert!(
        err.to_string().contains("not one statement"),
        "{label}: {err}"
    );
    assert!(exists("precious"), "{label}: precious was dropped");
    assert!(!exists("extra2"), "{label}: extra2 was created");
}

#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)"]
fn one_step_is_one_statement_on_postgres() {
    let db = engine_support::postgres("sec_one");
    hostile_check_is_refused(&db.engine(), |t| pg_relation(&db, t));
    // The run in a transaction: the table before the refused statement is gone too.
    assert!(!pg_relation(&db, "extra"));
}

#[test]
#[ignore = "needs MariaDB at 127.0.0.1:3306 (cargo test -- --include-ignored)"]
fn one_step_is_one_statement_on_mariadb() {
    let db = engine_support::mariadb("sec_one");
    hostile_check_is_refused(&db.engine(), |t| my_relation(&db, t));
}

#[test]
fn one_step_is_one_statement_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("shop.db").display());
    let engine = Engine::from_url(&url).unwrap();
    let exists = |t: &str| {
        let e = Engine::from_url(&url).unwrap();
        e.connect().unwrap().relation_exists(None, t).unwrap()
    };
    hostile_check_is_refused(&engine, exists);
    assert!(!exists("extra"));
}

#[test]
fn sqlite_schemas_cannot_reach_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("a/b/c");
    std::fs::create_dir_all(&deep).unwrap();
    let url = format!("sqlite://{}", deep.join("doc.db").display());
    let engine = Engine::from_url(&url).unwrap();
    for schema in ["x/../../../escaped", "../escaped", "C:escaped"] {
        let mut md = doc(&format!(
            "[[tables]]\nname = \"t\"\nschema = {}\ncolumns = [{{ name = \"id\", type = \"integer\" }}]\n",
            serde_json::to_string(schema).unwrap()
        ));
        let err = engine
            .create_all(&mut md, &RunOptions::default())
            .unwrap_err();
        assert!(
            matches!(err, EngineError::Plan(DdlError::SchemaNotAFileName { .. })),
            "{schema}: {err:?}"
        );
        assert!(err.to_string().contains(schema), "{err}");
    }
    // Nothing was made anywhere: not the escaped file, not even the main database.
    for (path, what) in [
        (dir.path().join("a/escaped.db"), "escaped"),
        (deep.join("escaped.db"), "escaped"),
        (dir.path().join("a/b/doc.escaped.db"), "escaped"),
    ] {
        assert!(!path.exists(), "{what}: {}", path.display());
    }
    let made: Vec<_> = walk(dir.path());
    assert!(made.iter().all(|p| p.ends_with("doc.db")), "{made:?}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

const CASE_INDEXES: &str = r#"
[[tables]]
name = "first"
columns = [ { name = "id", type = "integer", primary_key = true } ]
[[tables]]
name = "t"
columns = [ { name = "a", type = "integer" }, { name = "b", type = "integer" } ]
indexes = [ { columns = ["a"], name = "IX_a" }, { columns = ["b"], name = "ix_a" } ]
"#;

const CASE_FOREIGN_KEYS: &str = r#"
[[tables]]
name = "p"
columns = [ { name = "id", type = "integer", primary_key = true } ]
[[tables]]
name = "c1"
columns = [ { name = "x", type = "integer" } ]
foreign_keys = [ { columns = ["x"], references = "p", name = "FK_x" } ]
[[tables]]
name = "c2"
columns = [ { name = "x", type = "integer" } ]
foreign_keys = [ { columns = ["x"], references = "p", name = "fk_x" } ]
"#;

const CASE_TABLES: &str = r#"
[[tables]]
name = "Users"
columns = [ { name = "id", type = "integer" } ]
[[tables]]
name = "users"
columns = [ { name = "id", type = "integer" } ]
"#;

fn assert_collision_before_any_ddl(engine: &Engine, toml: &str, left: impl Fn() -> usize) {
    let err = engine
        .create_all(&mut doc(toml), &RunOptions::default())
        .unwrap_err();
    assert!(
        matches!(
            err,
            EngineError::Plan(DdlError::Naming(NamingError::Collision { .. }))
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("without regard to"), "{err}");
    assert_eq!(
        left(),
        0,
        "something was created before the collision: {err}"
    );
}

#[test]
#[ignore = "needs MariaDB at 127.0.0.1:3306 (cargo test -- --include-ignored)"]
fn names_that_differ_by_case_are_refused_before_any_ddl_on_mariadb() {
    let db = engine_support::mariadb("sec_case");
    let engine = db.engine();
    for toml in [CASE_INDEXES, CASE_FOREIGN_KEYS, CASE_TABLES] {
        assert_collision_before_any_ddl(&engine, toml, || my_leftovers(&db).len());
    }
}

#[test]
fn names_that_differ_by_case_are_refused_before_any_ddl_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("case.db").display());
    let engine = Engine::from_url(&url).unwrap();
    let left = || {
        engine
            .connect()
            .unwrap()
            .query("SELECT count(*) FROM sqlite_master")
            .unwrap()[0][0]
            .as_deref()
            .unwrap()
            .parse::<usize>()
            .unwrap()
    };
    for toml in [CASE_INDEXES, CASE_TABLES] {
        assert_collision_before_any_ddl(&engine, toml, left);
    }
    // Foreign key names are not unique on SQLite: that document runs.
    engine
        .create_all(&mut doc(CASE_FOREIGN_KEYS), &RunOptions::default())
        .unwrap();
}

const AUTO_INCREMENT_CHECK: &str = r#"
[[tables]]
name = "first"
columns = [ { name = "id", type = "integer", primary_key = true } ]
[[tables]]
name = "second"
columns = [ { name = "id", type = "integer", primary_key = true, check = "id > 0" } ]
"#;

#[test]
#[ignore = "needs MariaDB at 127.0.0.1:3306 (cargo test -- --include-ignored)"]
fn mariadb_check_on_auto_increment_is_refused_before_anything_is_created() {
    let db = engine_support::mariadb("sec_auto");
    let err = db
        .engine()
        .create_all(&mut doc(AUTO_INCREMENT_CHECK), &RunOptions::default())
        .unwrap_err();
    assert!(
        matches!(
            err,
            EngineError::Plan(DdlError::CheckOnAutoIncrement { .. })
        ),
        "{err:?}"
    );
    assert!(my_leftovers(&db).is_empty(), "{:?}", my_leftovers(&db));

    // The command line, to a mariadb:// URL and offline.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("auto.toml");
    std::fs::write(&file, AUTO_INCREMENT_CHECK).unwrap();
    let url = db.url.replacen("mysql://", "mariadb://", 1);
    let expected = "check constraint (id > 0) of table \"second\" refers to column \"id\", the table's AUTO_INCREMENT key";
    for args in [
        vec!["apply", file.to_str().unwrap(), "--url", &url],
        vec!["ddl", file.to_str().unwrap(), "--dialect", "mariadb"],
    ] {
        let out = Command::cargo_bin("nomenclator")
            .unwrap()
            .env_remove("DATABASE_URL")
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    assert!(my_leftovers(&db).is_empty(), "{:?}", my_leftovers(&db));
}

#[test]
fn sqlite_keeps_checks_on_the_auto_increment_key() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("auto.db").display());
    Engine::from_url(&url)
        .unwrap()
        .create_all(&mut doc(AUTO_INCREMENT_CHECK), &RunOptions::default())
        .unwrap();
}

#[test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)"]
fn postgres_keeps_checks_on_the_auto_increment_key() {
    let db = engine_support::postgres("sec_auto");
    db.engine()
        .create_all(&mut doc(AUTO_INCREMENT_CHECK), &RunOptions::default())
        .unwrap();
}
