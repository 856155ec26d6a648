//! The constraint-convention plugins (`boolean-checks`, `enums`,
//! `index-foreign-keys`, `house-rules`) through the command line, and on
//! each server: what they create exists in the catalog under the
//! convention's names, `reflect` reads it back, and a diff of the document
//! against the database it made is empty.

mod engine_support;

use std::path::{Path, PathBuf};

use engine_support::nomenclator;
use serde_json::Value;

const DOC: &str = r#"
conventions = ["sqlalchemy", "boolean-checks", "enums", "index-foreign-keys"]

[[tables]]
name = "author"
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = "name", type = "varchar(100)", nullable = false },
  { name = "active", type = "boolean", nullable = false },
]

[[tables]]
name = "book"
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = "author_id", type = "integer", references = "author.id", on_delete = "CASCADE" },
  { name = "state", type = "enum('draft', 'published', 'out of print')", nullable = false },
  { name = "in_print", type = "boolean" },
]
"#;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn stdout(args: &[&str], file: Option<&Path>) -> String {
    let mut c = nomenclator();
    c.args(args);
    if let Some(f) = file {
        c.arg(f);
    }
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "nomenclator {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The table `name` of a reflected document.
fn table<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no table {name} in {doc:#}"))
}

/// Every name of `key` (`checks`, `indexes`) of a reflected table.
fn names(t: &Value, key: &str) -> Vec<String> {
    t[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["name"].as_str().map(str::to_owned))
        .collect()
}

/// Every check's SQL of a reflected table: table-level and column-level.
fn checks(t: &Value) -> Vec<String> {
    let mut out: Vec<String> = t["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["sql"].as_str().unwrap_or_default().to_owned())
        .collect();
    for c in t["columns"].as_array().unwrap() {
        match &c["check"] {
            Value::String(s) => out.push(s.clone()),
            Value::Object(o) => out.push(o["sql"].as_str().unwrap_or_default().to_owned()),
            _ => {}
        }
    }
    out
}

fn column<'a>(t: &'a Value, name: &str) -> &'a Value {
    t["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap()
}

/// Applies the document, reflects the database, and checks that a diff
/// of the document against it is empty. Returns the reflected document.
fn apply_and_reflect(url: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let doc = write(dir.path(), "schema.toml", DOC);
    stdout(&["apply", "--url", url], Some(&doc));
    let reflected = stdout(&["reflect", "--format", "json", "--url", url], None);
    let diff = stdout(&["diff", "--url", url], Some(&doc));
    assert_eq!(diff.trim(), "", "the database differs from the document");
    serde_json::from_str(&reflected).unwrap()
}

#[test]
fn the_plugins_name_what_they_create_offline() {
    let dir = tempfile::tempdir().unwrap();
    let doc = write(dir.path(), "schema.toml", DOC);
    let names = stdout(
        &["names", "--dialect", "sqlite", "--format", "json"],
        Some(&doc),
    );
    let names: Value = serde_json::from_str(&names).unwrap();
    let made: Vec<(String, String)> = names
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| {
            Some((
                o["name"].as_str()?.to_owned(),
                o["created_by"].as_str()?.to_owned(),
            ))
        })
        .collect();
    let want = [
        ("ck_author_active", "boolean-checks"),
        ("ck_book_state", "enums"),
        ("ck_book_in_print", "boolean-checks"),
        ("ix_book_author_id", "index-foreign-keys"),
    ];
    assert_eq!(
        made,
        want.map(|(a, b)| (a.to_owned(), b.to_owned())),
        "{names:#}"
    );
    // PostgreSQL has booleans and enumerated types: no check, a type.
    let pg_names = stdout(
        &["names", "--dialect", "postgresql", "--format", "json"],
        Some(&doc),
    );
    assert!(!pg_names.contains("ck_"), "{pg_names}");
    assert!(pg_names.contains("ix_book_author_id"), "{pg_names}");
    let pg = stdout(&["ddl", "--dialect", "postgresql"], Some(&doc));
    assert!(
        pg.starts_with("CREATE TYPE book_state AS ENUM ('draft', 'published', 'out of print');\n"),
        "{pg}"
    );
    assert!(!pg.contains("CHECK"), "{pg}");
    assert!(
        pg.contains("CREATE INDEX ix_book_author_id ON book (author_id)"),
        "{pg}"
    );
    let drop = stdout(&["ddl", "--drop", "--dialect", "postgresql"], Some(&doc));
    assert!(drop.trim_end().ends_with("DROP TYPE book_state;"), "{drop}");
    let maria = stdout(&["ddl", "--dialect", "mariadb"], Some(&doc));
    assert!(
        maria.contains("state ENUM('draft', 'published', 'out of print') NOT NULL"),
        "{maria}"
    );
    assert!(
        maria.contains("CONSTRAINT ck_book_in_print CHECK (in_print IN (0, 1))"),
        "{maria}"
    );
}

/// `ddl --dialect sqlite DOC` fails with `message` on standard error.
fn refused(doc: &Path, message: &str) {
    nomenclator()
        .args(["ddl", "--dialect", "sqlite"])
        .arg(doc)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(message));
}

#[test]
fn house_rules_reject_with_a_reason_and_take_settings() {
    let dir = tempfile::tempdir().unwrap();
    let doc = write(
        dir.path(),
        "schema.toml",
        r#"
conventions = ["sqlalchemy", "house-rules"]
[[tables]]
name = "log"
columns = [ { name = "line", type = "text" } ]
"#,
    );
    refused(&doc, "house rule: table \"log\" has no primary key");
    // A pack that extends house-rules relaxes it, and shortens names.
    write(
        dir.path(),
        "ours.toml",
        "name = \"ours\"\nextends = \"house-rules\"\n[settings.house-rules]\nrequire_primary_key = false\nmax_name_length = 5\n",
    );
    let doc = write(
        dir.path(),
        "schema2.toml",
        r#"
conventions = ["sqlalchemy", "./ours.toml"]
[[tables]]
name = "log"
columns = [ { name = "line", type = "text" } ]
[[tables]]
name = "entries"
columns = [ { name = "line", type = "text" } ]
"#,
    );
    refused(
        &doc,
        "table is named \"entries\", 7 characters, over the limit of 5",
    );
    // A setting the plugin does not know is refused, naming the pack.
    write(
        dir.path(),
        "bad.toml",
        "name = \"bad\"\nplugins = [\"house-rules\"]\n[settings.house-rules]\nmax_lenght = 5\n",
    );
    let doc = write(
        dir.path(),
        "schema3.toml",
        "conventions = [\"./bad.toml\"]\n[[tables]]\nname = \"t\"\ncolumns = [{ name = \"id\", type = \"integer\", primary_key = true }]\n",
    );
    refused(&doc, "settings.house-rules: unknown setting \"max_lenght\"");
}

#[test]
fn sqlite_has_the_checks_and_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let doc = apply_and_reflect(&url);
    let book = table(&doc, "book");
    let all = checks(book);
    assert!(all.iter().any(|c| c == "in_print IN (0, 1)"), "{all:?}");
    assert!(
        all.iter()
            .any(|c| c == "state IN ('draft', 'published', 'out of print')"),
        "{all:?}"
    );
    assert_eq!(names(book, "indexes"), ["ix_book_author_id"]);
    assert_eq!(column(book, "state")["type"], "varchar(12)");
    // The check holds: a value outside the enumeration is refused.
    let conn = rusqlite::Connection::open(dir.path().join("db.sqlite")).unwrap();
    conn.execute(
        "INSERT INTO author (id, name, active) VALUES (1, 'a', 1)",
        [],
    )
    .unwrap();
    let bad = conn.execute(
        "INSERT INTO book (id, author_id, state) VALUES (1, 1, 'lost')",
        [],
    );
    assert!(bad.is_err(), "a value outside the enumeration was taken");
    let bad = conn.execute("UPDATE author SET active = 2", []);
    assert!(bad.is_err(), "a boolean of 2 was taken");
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn postgresql_has_the_type_and_the_index() {
    let db = engine_support::postgres("conventions");
    let doc = apply_and_reflect(&db.url);
    let book = table(&doc, "book");
    assert_eq!(
        column(book, "state")["type"],
        "enum('draft', 'published', 'out of print', name = 'book_state')"
    );
    assert!(checks(book).is_empty(), "{book:#}");
    assert_eq!(names(book, "indexes"), ["ix_book_author_id"]);
    assert_eq!(
        db.count("SELECT count(*) FROM pg_type WHERE typname = 'book_state' AND typtype = 'e'"),
        1
    );
}

#[test]
#[ignore = "needs MariaDB on 127.0.0.1:3306"]
fn mariadb_has_the_checks_the_enum_and_the_index() {
    let db = engine_support::mariadb("conventions");
    let doc = apply_and_reflect(&db.url);
    let book = table(&doc, "book");
    assert_eq!(
        column(book, "state")["type"],
        "enum('draft', 'published', 'out of print')"
    );
    // MariaDB keeps the check in its own spelling.
    let all = checks(book);
    assert_eq!(all, ["`in_print` in (0,1)"], "{book:#}");
    assert_eq!(names(book, "checks"), ["ck_book_in_print"], "{book:#}");
    // The index the convention names replaces the one MariaDB would make.
    assert_eq!(names(book, "indexes"), ["ix_book_author_id"], "{book:#}");
}

const EVOLVE_A: &str = r#"
[[tables]]
name = "post"
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = "state", type = "enum('draft', 'live')", nullable = false },
]
[[tables]]
name = "old_note"
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = "mood", type = "enum('meh', 'ok')" },
]
"#;

const EVOLVE_B: &str = r#"
[[tables]]
name = "post"
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = "state", type = "enum('draft', 'review', 'live', 'gone')", nullable = false },
  { name = "kind", type = "enum('text', 'photo', name = 'post_kind')" },
]
"#;

/// Migrates a database made from [`EVOLVE_A`] with a row in it to
/// [`EVOLVE_B`]: values added to a type in their places, a type made for a
/// new column, the type of a dropped table dropped; the row is kept and a
/// diff afterwards is empty. Returns the reflected type of `post.state`.
fn enum_types_evolve(url: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.toml", EVOLVE_A);
    let b = write(dir.path(), "b.toml", EVOLVE_B);
    stdout(&["apply", "--url", url], Some(&a));
    let engine = nomenclator::engine::Engine::from_url(url).unwrap();
    engine
        .connect()
        .unwrap()
        .execute("INSERT INTO post (id, state) VALUES (1, 'live')")
        .unwrap();
    stdout(&["migrate", "--allow-destructive", "--url", url], Some(&b));
    let diff = stdout(&["diff", "--url", url], Some(&b));
    assert_eq!(diff.trim(), "", "the database differs from the document");
    let rows = engine
        .connect()
        .unwrap()
        .query("SELECT state FROM post WHERE id = 1")
        .unwrap();
    assert_eq!(rows[0][0].as_deref(), Some("live"));
    let reflected: Value = serde_json::from_str(&stdout(
        &["reflect", "--format", "json", "--url", url],
        None,
    ))
    .unwrap();
    let post = table(&reflected, "post");
    column(post, "state")["type"].as_str().unwrap().to_owned()
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn postgresql_enum_types_evolve() {
    let db = engine_support::postgres("enum_evolve");
    assert_eq!(
        enum_types_evolve(&db.url),
        "enum('draft', 'review', 'live', 'gone', name = 'post_state')"
    );
    // The old table's type is gone, the new column's type is there.
    let types = db.query("SELECT typname FROM pg_type WHERE typtype = 'e' ORDER BY typname");
    let types: Vec<_> = types.iter().map(|r| r[0].clone().unwrap()).collect();
    assert_eq!(types, ["post_kind", "post_state"]);
    // Values cannot be taken away or reordered: refused, nothing run.
    let dir = tempfile::tempdir().unwrap();
    let c = write(
        dir.path(),
        "c.toml",
        &EVOLVE_B.replace("'draft', 'review', 'live', 'gone'", "'live', 'draft'"),
    );
    nomenclator()
        .args(["migrate", "--allow-destructive", "--url", &db.url])
        .arg(&c)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "PostgreSQL can only add values to a type",
        ));
}

#[test]
#[ignore = "needs MariaDB on 127.0.0.1:3306"]
fn mariadb_enum_columns_evolve() {
    let db = engine_support::mariadb("enum_evolve");
    assert_eq!(
        enum_types_evolve(&db.url),
        "enum('draft', 'review', 'live', 'gone')"
    );
}

#[test]
fn sqlite_enum_columns_evolve() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    // SQLite has no enumerated type: text as long as the longest value.
    assert_eq!(enum_types_evolve(&url), "varchar(6)");
}

#[test]
fn two_columns_that_name_one_type_must_agree() {
    let dir = tempfile::tempdir().unwrap();
    let doc = write(
        dir.path(),
        "schema.toml",
        r#"
[[tables]]
name = "a"
columns = [ { name = "s", type = "enum('x', 'y', name = 'shared')" } ]
[[tables]]
name = "b"
columns = [ { name = "s", type = "enum('x', 'z', name = 'shared')" } ]
"#,
    );
    nomenclator()
        .args(["ddl", "--dialect", "postgresql"])
        .arg(&doc)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "enumerated type \"shared\" is used by column \"a.s\" with values (x, y) and by column \"b.s\" with values (x, z)",
        ));
}

const RULED: &str = r#"
conventions = ["sqlalchemy", "house-rules"]
[[tables]]
name = "author"
columns = [ { name = "id", type = "integer", primary_key = true } ]
[[tables]]
name = "book"
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = "author_id", type = "integer", references = "author.id", on_delete = "CASCADE" },
]
"#;

/// A document that keeps the house rules is applied; one that breaks them
/// (a foreign key without on_delete) is refused before anything is made;
/// `tables` counts the database's tables.
fn house_rules_on(url: &str, tables: impl Fn() -> i64) {
    let dir = tempfile::tempdir().unwrap();
    let broken = write(
        dir.path(),
        "broken.toml",
        &RULED.replace(", on_delete = \"CASCADE\"", ""),
    );
    nomenclator()
        .args(["apply", "--url", url])
        .arg(&broken)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "house rule: the foreign key of table \"book\" on (author_id) to \"author\" has no on_delete",
        ));
    assert_eq!(tables(), 0, "a refused document made tables");
    let ok = write(dir.path(), "ok.toml", RULED);
    stdout(&["apply", "--url", url], Some(&ok));
    assert_eq!(tables(), 2);
    assert_eq!(stdout(&["diff", "--url", url], Some(&ok)).trim(), "");
}

#[test]
fn sqlite_keeps_house_rules() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    let url = format!("sqlite://{}", path.display());
    house_rules_on(&url, || {
        if !path.exists() {
            return 0;
        }
        let c = rusqlite::Connection::open(&path).unwrap();
        c.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    });
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn postgresql_keeps_house_rules() {
    let db = engine_support::postgres("house_rules");
    house_rules_on(&db.url, || {
        db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    });
}

#[test]
#[ignore = "needs MariaDB on 127.0.0.1:3306"]
fn mariadb_keeps_house_rules() {
    let db = engine_support::mariadb("house_rules");
    house_rules_on(&db.url, || {
        db.count(&format!(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = '{}'",
            db.name
        ))
    });
}

#[test]
fn an_enumerated_type_name_over_the_limit_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let long = "c".repeat(60);
    let doc = write(
        dir.path(),
        "schema.toml",
        &format!(
            "[[tables]]\nname = \"table_with_a_long_name\"\ncolumns = [ {{ name = \"{long}\", type = \"enum('a')\" }} ]\n"
        ),
    );
    nomenclator()
        .args(["ddl", "--dialect", "postgresql"])
        .arg(&doc)
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "over the postgresql limit of 63; shorten it, or name the type in the column's type",
        ));
    // Named, it is fine; SQLite has no such type.
    let doc = write(
        dir.path(),
        "named.toml",
        &format!(
            "[[tables]]\nname = \"table_with_a_long_name\"\ncolumns = [ {{ name = \"{long}\", type = \"enum('a', name = 'short')\" }} ]\n"
        ),
    );
    let out = stdout(&["ddl", "--dialect", "postgresql"], Some(&doc));
    assert!(out.starts_with("CREATE TYPE short AS ENUM ('a');"), "{out}");
}
