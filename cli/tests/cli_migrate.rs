//! `diff` and `migrate` as `spec/evolve.md` describes them: destructive
//! changes refused, a failing migration leaving the database as it was
//! (PostgreSQL, SQLite) or reported precisely (MariaDB), a lock named,
//! renames that keep rows, offline and live diffs that agree, and adopting
//! a naming convention on a database the server named.

mod engine_support;

use engine_support::nomenclator;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use nomenclator::engine::Engine;
use nomenclator::reflect::Catalog;
use nomenclator::testing::snapshot;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stderr.clone()).unwrap()
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

/// `nomenclator ARGS FILE`, which must succeed.
fn succeeds(args: &[&str], file: &Path) -> assert_cmd::assert::Assert {
    nomenclator().args(args).arg(file).assert().success()
}

/// A document with one table, `account`: `id` and then `columns`, under
/// `pk` and `uq` templates.
macro_rules! account {
    ($($column:literal),* $(,)?) => {
        concat!(
            "[naming_convention]\n",
            "pk = \"pk_%(table_name)s\"\n",
            "uq = \"uq_%(table_name)s_%(column_0_name)s\"\n\n",
            "[[tables]]\n",
            "name = \"account\"\n",
            "columns = [\n",
            "  { name = \"id\", type = \"integer\", primary_key = true },\n",
            $("  ", $column, ",\n",)*
            "]\n",
        )
    };
}

const OLD: &str = account!(
    r#"{ name = "email", type = "varchar(80)" }"#,
    r#"{ name = "nickname", type = "varchar(40)" }"#,
);

/// `nickname` dropped: destructive.
const DROPS_A_COLUMN: &str = account!(r#"{ name = "email", type = "varchar(80)" }"#);

/// A longer email, a renamed column, and last a unique key on a column
/// whose rows repeat.
const UNIQUE_LAST: &str = account!(
    r#"{ name = "email", type = "varchar(160)", unique = true }"#,
    r#"{ name = "handle", type = "varchar(40)", renamed_from = "nickname" }"#,
);

fn fill(url: &str) {
    let mut c = Engine::from_url(url).unwrap().connect().unwrap();
    c.execute("INSERT INTO account (id, email, nickname) VALUES (1, 'a@x', 'a')")
        .unwrap();
    c.execute("INSERT INTO account (id, email, nickname) VALUES (2, 'a@x', 'b')")
        .unwrap();
}

fn rows(url: &str, column: &str) -> Vec<Vec<Option<String>>> {
    let mut c = Engine::from_url(url).unwrap().connect().unwrap();
    c.query(&format!(
        "SELECT id, email, {column} FROM account ORDER BY id"
    ))
    .unwrap()
}

/// Destructive changes refused, a failing last statement, then the
/// migration that works: on `url`, a fresh database.
fn refused_and_rolled_back(url: &str, transactional: bool) {
    let dir = tempfile::tempdir().unwrap();
    let old = write(dir.path(), "old.toml", OLD);
    succeeds(&["apply", "--url", url], &old);
    fill(url);
    let before: Catalog = snapshot(url);

    // Destructive: refused, listed, nothing run.
    let drops = write(dir.path(), "drops.toml", DROPS_A_COLUMN);
    let a = nomenclator()
        .args(["migrate", "--url", url])
        .arg(&drops)
        .assert()
        .code(1);
    let err = stderr(&a);
    assert!(
        err.contains("column account.nickname and its values are dropped")
            && err.contains("--allow-destructive")
            && err.contains("nothing was run"),
        "{err}"
    );
    assert!(before.differences(&snapshot(url)).is_empty());
    // The diff says so before the statement.
    let a = succeeds(&["diff", "--url", url], &drops);
    let out = stdout(&a);
    assert!(
        out.contains("-- destructive: column account.nickname and its values are dropped\n"),
        "{out}"
    );

    // The unique key is added last and fails on the repeated email.
    let unique = write(dir.path(), "unique.toml", UNIQUE_LAST);
    let a = nomenclator()
        .args(["migrate", "--url", url])
        .arg(&unique)
        .assert()
        .code(1);
    let err = stderr(&a);
    assert!(
        err.contains("uq_account_email") || err.contains("UNIQUE constraint failed"),
        "{err}"
    );
    if transactional {
        assert!(err.contains("rolled back"), "{err}");
        let d = before.differences(&snapshot(url));
        assert!(d.is_empty(), "the database changed: {d:?}");
        assert_eq!(rows(url, "nickname").len(), 2);
    } else {
        // MySQL/MariaDB: which statements ran, and how to undo them.
        assert!(
            err.contains("RENAME COLUMN") && err.contains("undo"),
            "{err}"
        );
    }
}

#[test]
fn sqlite_refuses_destructive_changes_and_rolls_back_a_failed_migration() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    refused_and_rolled_back(&url, true);
    // Without the repeated email, the same migration runs and keeps the rows.
    let mut c = Engine::from_url(&url).unwrap().connect().unwrap();
    c.execute("UPDATE account SET email = 'b@x' WHERE id = 2")
        .unwrap();
    let unique = write(dir.path(), "unique.toml", UNIQUE_LAST);
    succeeds(&["migrate", "--url", &url], &unique);
    assert_eq!(
        rows(&url, "handle"),
        vec![
            vec![Some("1".into()), Some("a@x".into()), Some("a".into())],
            vec![Some("2".into()), Some("b@x".into()), Some("b".into())],
        ]
    );
    let a = succeeds(&["diff", "--url", &url], &unique);
    assert_eq!(stdout(&a), "");
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn postgresql_refuses_destructive_changes_and_rolls_back_a_failed_migration() {
    let db = engine_support::postgres("migrate_rollback");
    refused_and_rolled_back(&db.url, true);
}

#[test]
#[ignore = "needs MariaDB on 127.0.0.1:3306"]
fn mariadb_reports_what_ran_when_a_migration_fails() {
    let db = engine_support::mariadb("migrate_report");
    refused_and_rolled_back(&db.url, false);
}

/// Applies `old` to a new PostgreSQL database, has another session run
/// `hold` in an open transaction, and migrates to `new` under a 1 s lock
/// timeout: what `migrate` said, which must be within 8 s and name that
/// session; afterwards nothing has run.
fn migrate_blocked_by(test: &str, old: &str, new: &str, hold: &str) -> String {
    let db = engine_support::postgres(test);
    let dir = tempfile::tempdir().unwrap();
    let old = write(dir.path(), "old.toml", old);
    succeeds(&["apply", "--url", &db.url], &old);
    let engine = db.engine();
    let mut other = engine.connect().unwrap();
    other.begin().unwrap();
    other.query(hold).unwrap();
    let pid = other.backend_pid().unwrap();
    let new = write(dir.path(), "new.toml", new);
    let started = Instant::now();
    let a = nomenclator()
        .args(["migrate", "--url", &db.url, "--lock-timeout", "1s"])
        .arg(&new)
        .timeout(Duration::from_secs(30))
        .assert()
        .code(1);
    assert!(started.elapsed() < Duration::from_secs(8));
    let err = stderr(&a);
    assert!(err.contains(&format!("pid {pid}")), "{err}");
    other.rollback().unwrap();
    // The column is still called nickname: nothing ran.
    assert_eq!(rows(&db.url, "nickname").len(), 0);
    err
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn postgresql_migrate_names_the_session_whose_lock_blocks_it() {
    migrate_blocked_by(
        "migrate_lock",
        OLD,
        UNIQUE_LAST,
        "SELECT count(*) FROM account",
    );
}

/// Reading the catalog waits for the locks another session's DDL holds
/// (PostgreSQL's pg_get_viewdef of a view on a locked table): under the
/// lock timeout too, the blocking session named, nothing changed.
#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn postgresql_migrate_reading_a_locked_view_gives_up_in_time_and_names_the_session() {
    let with_view = |doc: &str| {
        format!("{doc}\n[[views]]\nname = \"accounts\"\nsql = \"SELECT id FROM account\"\n")
    };
    let err = migrate_blocked_by(
        "migrate_lock_view",
        &with_view(OLD),
        &with_view(UNIQUE_LAST),
        "LOCK TABLE account",
    );
    assert!(
        err.contains("(reading the tables and views from the catalog)"),
        "{err}"
    );
}

#[test]
fn offline_and_live_diffs_agree_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let old = write(dir.path(), "old.toml", OLD);
    let new = write(dir.path(), "new.toml", UNIQUE_LAST);
    succeeds(&["apply", "--url", &url], &old);
    let live = succeeds(&["diff", "--url", &url], &new);
    let offline = nomenclator()
        .args(["diff", "--dialect", "sqlite"])
        .arg(&old)
        .arg(&new)
        .assert()
        .success();
    assert_eq!(stdout(&live), stdout(&offline));
    assert!(stdout(&live).contains("RENAME COLUMN nickname TO handle"));
    // The JSON form: one array of changes.
    let a = nomenclator()
        .args(["diff", "--format", "json", "--dialect", "postgresql"])
        .arg(&old)
        .arg(&new)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    let changes: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["change"].as_str().unwrap())
        .collect();
    assert_eq!(
        changes,
        ["rename_column", "alter_column", "add_unique"],
        "{v}"
    );
    assert_eq!(
        v[0]["sql"][0],
        "ALTER TABLE account RENAME COLUMN nickname TO handle"
    );
    assert_eq!(v[0]["destructive"], false);
}

/// A schema made from plain SQL, named by the server.
const PLAIN_PG: &str = "CREATE TABLE author (id integer PRIMARY KEY, name text UNIQUE); \
    CREATE TABLE book (id integer PRIMARY KEY, author_id integer REFERENCES author (id), \
    title text CHECK (title <> ''), isbn varchar(20)); CREATE INDEX ON book (isbn); \
    INSERT INTO author VALUES (1, 'A'), (2, 'B'); \
    INSERT INTO book VALUES (1, 1, 'x', 'i1'), (2, 2, 'y', 'i2')";

const PLAIN_MY: &str = "CREATE TABLE author (id integer PRIMARY KEY, name varchar(40) UNIQUE); \
    CREATE TABLE book (id integer PRIMARY KEY, author_id integer, title varchar(40), \
    isbn varchar(20), FOREIGN KEY (author_id) REFERENCES author (id), INDEX (isbn)); \
    CREATE TABLE event_log (id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, \
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, note tinytext, \
    kind varchar(10) CHECK (kind <> '' AND kind NOT LIKE '%''%'), \
    tag varchar(10) COLLATE utf8mb4_bin, \
    body varchar(20) CHARACTER SET latin1, payload json, \
    updated datetime NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(), \
    loud varchar(10) AS (upper(kind)) VIRTUAL); \
    INSERT INTO author VALUES (1, 'A'), (2, 'B'); \
    INSERT INTO book VALUES (1, 1, 'x', 'i1'), (2, 2, 'y', 'i2'); \
    INSERT INTO event_log (note, kind) VALUES ('n', 'k')";

/// A table whose name leaves a check's conventional name too long for
/// PostgreSQL's 63 bytes: adopted shortened, and lint takes it.
const PLAIN_PG_LONG: &str = "CREATE TABLE feature_flag_history_for_the_application_settings_page \
    (id integer PRIMARY KEY, customer_reference integer CHECK (customer_reference > 0))";

/// SQLite: unnamed checks (which the convention cannot name), an
/// expression default, a column's collation, a generated column, and indexes reflect carries as DDL (DESC, COLLATE)
/// on a table the adoption rebuilds.
const PLAIN_SQLITE: &str =
    "CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT UNIQUE COLLATE NOCASE, \
    is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)), \
    joined TEXT DEFAULT (datetime('now')), shout TEXT GENERATED ALWAYS AS (upper(name))); \
    CREATE TABLE book (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES author (id), \
    title TEXT CHECK (title <> ''), isbn TEXT, UNIQUE (author_id, title)); \
    CREATE INDEX book_recent ON book (author_id, id DESC); \
    CREATE INDEX book_title_nocase ON book (title COLLATE NOCASE); \
    INSERT INTO author (id, name) VALUES (1, 'A'), (2, 'B'); \
    INSERT INTO book VALUES (1, 1, 'x', 'i1'), (2, 2, 'y', 'i2')";

/// reflect --adopt, then migrate: every name the convention's, rows intact,
/// lint clean.
fn adopt(url: &str, plain: &str) {
    let mut c = Engine::from_url(url).unwrap().connect().unwrap();
    for st in plain.split("; ") {
        c.execute(st).unwrap();
    }
    let before_rows = c.query("SELECT * FROM book ORDER BY id").unwrap();
    let a = nomenclator()
        .args(["lint", "--url", url, "--conventions", "sqlalchemy"])
        .assert()
        .code(1);
    assert!(!stdout(&a).is_empty());
    let a = nomenclator()
        .args([
            "reflect",
            "--conventions",
            "sqlalchemy",
            "--adopt",
            "--url",
            url,
        ])
        .assert()
        .success();
    let dir = tempfile::tempdir().unwrap();
    let doc = write(dir.path(), "schema.toml", &stdout(&a));
    let a = succeeds(&["migrate", "--url", url], &doc);
    let err = stderr(&a);
    assert!(err.contains("migrate:"), "{err}");
    let a = nomenclator()
        .args(["lint", "--url", url, "--conventions", "sqlalchemy"])
        .assert();
    let out = stdout(&a);
    a.code(0);
    assert_eq!(out.trim(), "", "{out}");
    let mut c = Engine::from_url(url).unwrap().connect().unwrap();
    assert_eq!(
        c.query("SELECT * FROM book ORDER BY id").unwrap(),
        before_rows
    );
    let a = succeeds(&["diff", "--url", url], &doc);
    assert_eq!(stdout(&a), "");
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn postgresql_database_adopts_the_sqlalchemy_convention() {
    let db = engine_support::postgres("adopt");
    adopt(&db.url, &format!("{PLAIN_PG}; {PLAIN_PG_LONG}"));
}

#[test]
fn sqlite_database_adopts_the_sqlalchemy_convention() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("plain.db").display());
    adopt(&url, PLAIN_SQLITE);
    // The rebuilt table keeps the indexes the model cannot hold, and its
    // column's collation.
    let mut c = Engine::from_url(&url).unwrap().connect().unwrap();
    let same = c
        .query("SELECT count(*) FROM author WHERE name = 'a'")
        .unwrap();
    assert_eq!(same, vec![vec![Some("1".to_owned())]]);
    let shout = c.query("SELECT shout FROM author WHERE id = 2").unwrap();
    assert_eq!(shout, vec![vec![Some("B".to_owned())]]);
    let rows = c
        .query(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
        )
        .unwrap();
    let names: Vec<String> = rows.into_iter().filter_map(|r| r[0].clone()).collect();
    assert!(
        names.iter().any(|n| n == "book_recent") && names.iter().any(|n| n == "book_title_nocase"),
        "{names:?}"
    );
}

#[test]
#[ignore = "needs MariaDB on 127.0.0.1:3306"]
fn mariadb_database_adopts_the_sqlalchemy_convention() {
    let db = engine_support::mariadb("adopt");
    adopt(&db.url, PLAIN_MY);
}

/// SQLite: a table renamed, a column renamed and a check added in one
/// migration (a rebuild): its trigger and its carried DESC index are made
/// again under the new names, and the trigger still works.
#[test]
fn a_renamed_and_rebuilt_sqlite_table_keeps_its_trigger_and_index() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("notes.db").display());
    let mut c = Engine::from_url(&url).unwrap().connect().unwrap();
    for st in [
        "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT, touched TEXT)",
        "CREATE INDEX note_recent ON note (body DESC)",
        "CREATE TRIGGER note_touch AFTER UPDATE OF body ON note BEGIN \
         UPDATE note SET touched = 'yes' WHERE id = NEW.id; END",
        "INSERT INTO note (id, body) VALUES (1, 'a')",
    ] {
        c.execute(st).unwrap();
    }
    drop(c);
    let doc = write(
        dir.path(),
        "memo.toml",
        r#"
[[tables]]
name = "memo"
renamed_from = "note"
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = "text", type = "TEXT", renamed_from = "body", check = "length(text) < 100" },
  { name = "touched", type = "TEXT" },
]
"#,
    );
    let a = succeeds(&["migrate", "--url", &url], &doc);
    assert!(stderr(&a).contains("migrate:"), "{}", stderr(&a));
    let mut c = Engine::from_url(&url).unwrap().connect().unwrap();
    let sql = c
        .query("SELECT name, sql FROM sqlite_master WHERE type IN ('trigger', 'index') AND sql IS NOT NULL ORDER BY name")
        .unwrap();
    let sql: Vec<String> = sql.into_iter().filter_map(|r| r[1].clone()).collect();
    assert_eq!(
        sql,
        [
            "CREATE INDEX note_recent ON memo (text DESC)",
            "CREATE TRIGGER note_touch AFTER UPDATE OF text ON memo BEGIN \
             UPDATE memo SET touched = 'yes' WHERE id = NEW.id; END",
        ],
    );
    c.execute("UPDATE memo SET text = 'b' WHERE id = 1")
        .unwrap();
    let touched = c.query("SELECT touched FROM memo").unwrap();
    assert_eq!(touched, vec![vec![Some("yes".to_owned())]]);
}

/// SQLite: a table the adoption would rebuild that is STRICT, WITHOUT
/// ROWID or AUTOINCREMENT is not silently made a plain one: the rebuild is
/// destructive, refused without --allow-destructive, and nothing changes.
#[test]
fn rebuilding_a_strict_sqlite_table_is_refused_without_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("strict.db").display());
    let mut c = Engine::from_url(&url).unwrap().connect().unwrap();
    c.execute(
        "CREATE TABLE item (id INTEGER PRIMARY KEY AUTOINCREMENT, qty INTEGER UNIQUE) STRICT",
    )
    .unwrap();
    drop(c);
    let a = nomenclator()
        .args([
            "reflect",
            "--conventions",
            "sqlalchemy",
            "--adopt",
            "--url",
            &url,
        ])
        .assert()
        .success();
    let doc = write(dir.path(), "strict.toml", &stdout(&a));
    let a = nomenclator()
        .args(["migrate", "--url", &url])
        .arg(&doc)
        .assert()
        .code(1);
    let err = stderr(&a);
    assert!(
        err.contains(
            "table item is made again as the document says, without STRICT, AUTOINCREMENT"
        ),
        "{err}"
    );
    let mut c = Engine::from_url(&url).unwrap().connect().unwrap();
    let sql = c
        .query("SELECT sql FROM sqlite_master WHERE name = 'item'")
        .unwrap();
    assert!(sql[0][0].as_deref().unwrap().ends_with("STRICT"), "{sql:?}");
}

/// An index the document's own custom DDL makes (an expression index
/// written by hand) is the document's: the diff does not drop it.
#[test]
fn an_index_made_by_the_documents_custom_ddl_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("custom.db").display());
    let doc = write(
        dir.path(),
        "custom.toml",
        r#"
[[tables]]
name = "customer"
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = "email", type = "text" },
]
ddl = [
  { when = "after_create", sql = "CREATE UNIQUE INDEX IF NOT EXISTS \"Customer Email\" ON %(table)s (lower(email))" },
  { when = "after_create", sql = "CREATE INDEX customer_email_len ON %(table)s (length(email))" },
]
"#,
    );
    succeeds(&["apply", "--url", &url], &doc);
    let a = succeeds(&["diff", "--url", &url], &doc);
    assert_eq!(stdout(&a), "");
}
