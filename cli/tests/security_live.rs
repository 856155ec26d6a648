//! Security and data (issue 11) against the live MariaDB server and SQLite:
//! names that differ by case. Each test works in databases of its own
//! (see `engine_support`); those that need a server are `#[ignore]`d with
//! it as the reason, and `cargo test -- --include-ignored` (what `.ci/run`
//! runs) runs them.

#![allow(clippy::result_large_err)]

mod engine_support;

use engine_support::my_leftovers;
use nomenclator::ddl::DdlError;
use nomenclator::document::{load_str, Format, LoadOptions};
use nomenclator::engine::{Engine, EngineError, RunOptions};
use nomenclator::naming::NamingError;
use nomenclator::MetaData;

fn doc(toml: &str) -> MetaData {
    load_str(
        toml,
        &LoadOptions::new().format(Format::Toml).name("doc.toml"),
    )
    .unwrap_or_else(|e| panic!("{e}"))
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
