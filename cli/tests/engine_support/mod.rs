//! Helpers for the engine tests: corpus documents, a database per test on
//! the live servers.
//!
//! A test that needs a server is marked `#[ignore = "needs PostgreSQL at
//! 127.0.0.1:5432 ..."]`, so that `cargo test` lists it as ignored, with the
//! reason, where no server is; `cargo test -- --include-ignored` (what
//! `.ci/run` runs) runs it, and then an unreachable server fails it.
//! `tests/live_tests.rs` checks that every such test carries the mark.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use nomenclator::document::{load_path, LoadOptions};
use nomenclator::engine::{Connection, Engine, EngineError, Rows, RunOptions};
use nomenclator::{Column, MetaData, Reference, Table};

pub const PG_ADMIN: &str = "postgres://postgres@127.0.0.1:5432/test";
pub const MY_ADMIN: &str = "mysql://root@127.0.0.1:3306/test";

/// The corpus document directories, in order.
pub fn corpus() -> Vec<PathBuf> {
    let root =
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("tests/corpus/sqlalchemy");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    dirs
}

/// Loads a document; `None` for the corpus documents that are meant to be refused.
pub fn load(path: &Path) -> Option<MetaData> {
    load_path(path, &LoadOptions::default()).ok()
}

/// The server's engine; fails the test when the server does not answer.
fn available(url: &str, what: &str) -> Engine {
    let engine = Engine::from_url(url).unwrap();
    if let Err(e) = engine.connect() {
        panic!(
            "{what} is unreachable at {url} ({e}): this test needs it. Start the server \
             (`.ci/run` does), or run `cargo test` without --include-ignored to leave the \
             live-database tests out"
        );
    }
    engine
}

/// A database of its own on a live server, dropped when this goes out of scope.
pub struct TestDb {
    pub url: String,
    pub name: String,
    admin: Engine,
    drop_sql: String,
}

impl TestDb {
    pub fn engine(&self) -> Engine {
        Engine::from_url(&self.url).unwrap()
    }

    pub fn query(&self, sql: &str) -> Rows {
        self.engine().connect().unwrap().query(sql).unwrap()
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.query(sql)[0][0].as_deref().unwrap().parse().unwrap()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut c) = self.admin.connect() {
            for sql in self.drop_sql.split(";\n") {
                let _ = c.execute(sql);
            }
        }
    }
}

fn unique(test: &str) -> String {
    format!("nomen4_{test}_{}", std::process::id())
}

/// A PostgreSQL database for one test, with the corpus's schemas `reporting` and `s1`.
pub fn postgres(test: &str) -> TestDb {
    let admin = available(PG_ADMIN, "PostgreSQL");
    let name = unique(test);
    let mut c = admin.connect().unwrap();
    c.execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .unwrap();
    c.execute(&format!("CREATE DATABASE {name}")).unwrap();
    let url = format!("postgres://postgres@127.0.0.1:5432/{name}");
    let mut t = Engine::from_url(&url).unwrap().connect().unwrap();
    t.execute("CREATE SCHEMA reporting; CREATE SCHEMA s1")
        .unwrap();
    TestDb {
        url,
        name: name.clone(),
        admin,
        drop_sql: format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    }
}

/// A MariaDB/MySQL database for one test, plus `<name>_reporting` and `<name>_s1`
/// for the corpus's schemas (see [`rename_schemas`]).
pub fn mariadb(test: &str) -> TestDb {
    let admin = available(MY_ADMIN, "MariaDB/MySQL");
    let name = unique(test);
    recreate_mariadb(&mut admin.connect().unwrap(), &name);
    let drop_sql: Vec<String> = mariadb_databases(&name)
        .iter()
        .map(|db| format!("DROP DATABASE IF EXISTS `{db}`"))
        .collect();
    let url = format!("mysql://root@127.0.0.1:3306/{name}");
    TestDb {
        url,
        name,
        admin,
        drop_sql: drop_sql.join(";\n"),
    }
}

/// The databases a MariaDB test called `name` owns: its own, and one for
/// each of the corpus's schemas.
pub fn mariadb_databases(name: &str) -> [String; 3] {
    [
        name.to_owned(),
        format!("{name}_reporting"),
        format!("{name}_s1"),
    ]
}

/// Drops the databases of the MariaDB test `name` and makes them again,
/// empty.
pub fn recreate_mariadb(c: &mut Connection, name: &str) {
    for db in mariadb_databases(name) {
        c.execute(&format!("DROP DATABASE IF EXISTS `{db}`"))
            .unwrap();
        c.execute(&format!("CREATE DATABASE `{db}`")).unwrap();
    }
}

/// The command line, with no `DATABASE_URL` from the environment.
pub fn nomenclator() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("nomenclator").expect("binary built");
    c.env_remove("DATABASE_URL");
    c
}

/// On MySQL a schema is a database shared by the whole server: give the
/// corpus's schemas names of this test's own.
pub fn rename_schemas(json: &str, prefix: &str) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(json).unwrap();
    let rename = |s: &str| -> Option<String> {
        for schema in ["reporting", "s1"] {
            if s == schema {
                return Some(format!("{prefix}_{schema}"));
            }
            if let Some(rest) = s.strip_prefix(&format!("{schema}.")) {
                return Some(format!("{prefix}_{schema}.{rest}"));
            }
        }
        None
    };
    let fix = |v: &mut serde_json::Value, key: &str, whole: bool| {
        if let Some(s) = v.get(key).and_then(|s| s.as_str()) {
            let renamed = if whole {
                rename(s).filter(|r| !r.contains('.'))
            } else {
                rename(s)
            };
            if let Some(r) = renamed {
                v[key] = serde_json::Value::String(r);
            }
        }
    };
    for t in doc
        .get_mut("tables")
        .and_then(|v| v.as_array_mut())
        .into_iter()
        .flatten()
    {
        fix(t, "schema", true);
        for fk in t
            .get_mut("foreign_keys")
            .and_then(|v| v.as_array_mut())
            .into_iter()
            .flatten()
        {
            fix(fk, "references", false);
        }
        for c in t
            .get_mut("columns")
            .and_then(|v| v.as_array_mut())
            .into_iter()
            .flatten()
        {
            fix(c, "references", false);
        }
    }
    serde_json::to_string(&doc).unwrap()
}

/// Every user relation left in the PostgreSQL test database.
pub fn pg_leftovers(db: &TestDb) -> Rows {
    db.query(
        "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname IN ('public', 'reporting', 's1') ORDER BY 1",
    )
}

/// Every table or view left in the MariaDB test databases.
pub fn my_leftovers(db: &TestDb) -> Rows {
    db.query(&format!(
        "SELECT concat(TABLE_SCHEMA, '.', TABLE_NAME) FROM information_schema.TABLES \
         WHERE TABLE_SCHEMA IN ('{0}', '{0}_reporting', '{0}_s1') ORDER BY 1",
        db.name
    ))
}

/// Whether the dialect refuses the document's drop script offline (an
/// unnamed foreign key in a cycle cannot be dropped): such a document cannot
/// be cleaned up by drop_all, so the round trip skips it.
pub fn drop_refused(md: &MetaData, engine: &Engine) -> bool {
    nomenclator::ddl::drop_plan(
        md,
        engine.dialect(),
        &nomenclator::ddl::DdlOptions::default(),
    )
    .is_err()
}

/// What became of one document in [`create_and_drop`].
pub enum RoundTrip {
    /// The dialect cannot drop it (see [`drop_refused`]): not tried.
    Skipped,
    /// The dialect refused to create it offline (the message): nothing ran.
    Refused(String),
    /// Created, every table, then dropped.
    Ran,
}

/// Creates `md` on `engine` and drops it again, checking with `leftovers`
/// (what the database still holds) that a refusal leaves nothing and that
/// the drop leaves nothing; `label` names the document in failures.
pub fn create_and_drop(
    md: &mut MetaData,
    engine: &Engine,
    label: &str,
    leftovers: impl Fn() -> Rows,
) -> RoundTrip {
    if drop_refused(md, engine) {
        return RoundTrip::Skipped;
    }
    match engine.create_all(md, &RunOptions::default()) {
        Ok(r) => assert_eq!(r.created_tables().len(), md.len(), "{label}"),
        Err(EngineError::Plan(e)) => {
            assert!(leftovers().is_empty(), "{label}: {:?}", leftovers());
            return RoundTrip::Refused(format!("{label}: {e}"));
        }
        Err(e) => panic!("{label}: {e}"),
    }
    // checkfirst finds every table complete: every index and constraint
    // of the plan is in the catalog under the name the plan gave it.
    let again = RunOptions {
        checkfirst: true,
        ..RunOptions::default()
    };
    let r = engine
        .create_all(md, &again)
        .unwrap_or_else(|e| panic!("{label}: checkfirst after create: {e}"));
    assert!(
        r.executed.is_empty(),
        "{label}: checkfirst after create ran {:?}",
        r.executed.iter().map(|e| &e.sql).collect::<Vec<_>>()
    );
    engine
        .drop_all(md, &RunOptions::default())
        .unwrap_or_else(|e| panic!("{label}: {e}"));
    assert!(leftovers().is_empty(), "{label}: {:?}", leftovers());
    RoundTrip::Ran
}

/// Two tables, `child` referring to `parent`, under the default convention.
pub fn two_tables() -> MetaData {
    let mut md = MetaData::new();
    md.add_table(Table::new("parent").column(Column::new("id", "integer").primary_key()))
        .unwrap();
    md.add_table(
        Table::new("child")
            .column(Column::new("id", "integer").primary_key())
            .column(
                Column::new("parent_id", "integer")
                    .index()
                    .references(Reference::parse("parent.id").unwrap()),
            ),
    )
    .unwrap();
    md
}

/// With `checkfirst`, creates [`two_tables`] twice and drops them twice on
/// `engine`: the second create and the second drop must run nothing.
pub fn assert_checkfirst_twice_is_a_no_op(engine: &Engine, label: &str) {
    let mut md = two_tables();
    let opts = RunOptions {
        checkfirst: true,
        ..RunOptions::default()
    };
    let created = engine.create_all(&mut md, &opts).unwrap();
    assert_eq!(created.created_tables().len(), 2, "{label}");
    let again = engine.create_all(&mut md, &opts).unwrap();
    assert!(again.executed.is_empty(), "{label}: {:?}", again.executed);
    assert_eq!(again.skipped.len(), 2, "{label}");
    let dropped = engine.drop_all(&mut md, &opts).unwrap();
    assert_eq!(dropped.dropped_tables().len(), 2, "{label}");
    let again = engine.drop_all(&mut md, &opts).unwrap();
    assert!(again.executed.is_empty(), "{label}: {:?}", again.executed);
}

/// Creates [`two_tables`] on `engine`, opens a transaction on one of its
/// connections that reads `parent`, and checks that `drop_all` then fails at
/// once (well under a second) saying a transaction is open. Returns the
/// metadata and the connection, still inside its transaction.
pub fn assert_drop_fails_inside_a_transaction(engine: &Engine) -> (MetaData, Connection) {
    let mut md = two_tables();
    engine.create_all(&mut md, &RunOptions::default()).unwrap();
    let mut conn = engine.connect().unwrap();
    conn.begin().unwrap();
    conn.query("SELECT * FROM parent").unwrap();
    let started = std::time::Instant::now();
    let err = engine
        .drop_all(&mut md, &RunOptions::default())
        .unwrap_err();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(err, EngineError::OpenTransaction { open: 1 }),
        "{err:?}"
    );
    assert!(err.to_string().contains("inside a transaction"), "{err}");
    (md, conn)
}
