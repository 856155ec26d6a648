//! `nomenclator reflect` and `nomenclator lint` (spec/evolve.md).

#![allow(clippy::result_large_err)]

mod engine_support;

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn cmd() -> Command {
    Command::cargo_bin("nomenclator").unwrap()
}

/// `nomenclator lint --format json ARGS`: the exit status, the findings and
/// standard error.
fn lint_json<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> (Option<i32>, Value, String) {
    let out = cmd()
        .args(["lint", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{stderr}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code(), v, stderr)
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const FOLLOWS: &str = r#"
naming_convention = { pk = "pk_%(table_name)s", uq = "uq_%(table_name)s_%(column_0_name)s", ck = "ck_%(table_name)s_%(constraint_name)s" }
[[tables]]
name = "account"
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = "email", type = "text", unique = true },
]
checks = [{ sql = "id > 0", name = "positive" }]
"#;

#[test]
fn lint_of_a_document_that_follows_its_convention_is_clean() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "ok.toml", FOLLOWS);
    cmd().arg("lint").arg(&f).assert().success().stdout("");
    cmd()
        .arg("lint")
        .arg(&f)
        .args(["--format", "json"])
        .assert()
        .success()
        .stdout("[]\n");
}

#[test]
fn lint_lists_each_name_that_is_not_the_conventions_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        &dir,
        "off.toml",
        &FOLLOWS.replace(
            "{ name = \"email\", type = \"text\", unique = true },",
            "{ name = \"email\", type = \"text\" },\n]\nuniques = [{ columns = [\"email\"], name = \"account_email_key\" }]\nx = [",
        )
        .replace("\nx = [\n]", ""),
    );
    let (code, v, stderr) = lint_json(&[&f]);
    assert_eq!(code, Some(1), "{stderr}");
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 1, "{v}");
    assert_eq!(items[0]["kind"], "uq");
    assert_eq!(items[0]["table"], "account");
    assert_eq!(items[0]["columns"], serde_json::json!(["email"]));
    assert_eq!(items[0]["actual"], "account_email_key");
    assert_eq!(items[0]["expected"], "uq_account_email");
    // Against another pack, the document's own names are what is wrong.
    let off = dir.path().join("off.toml");
    let (_, v, _) = lint_json(&[
        off.as_os_str(),
        "--conventions".as_ref(),
        "sqlalchemy".as_ref(),
    ]);
    let checks: Vec<&Value> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "ck")
        .collect();
    assert!(
        checks.is_empty(),
        "the check's template wraps its name alike: {v}"
    );
}

#[test]
fn reflect_without_a_url_says_how_to_give_one() {
    cmd()
        .arg("reflect")
        .env_remove("DATABASE_URL")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("give --url"));
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn reflect_and_lint_a_postgresql_database() {
    let db = engine_support::postgres("reflect_lint");
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "s.toml", FOLLOWS);
    cmd()
        .args(["apply", "--url", &db.url])
        .arg(&f)
        .assert()
        .success();
    // The reflected document under the same convention names nothing the
    // convention gives, and keeps the check's own part of its name.
    let own = write(
        &dir,
        "own.toml",
        "name = \"own\"\n[naming_convention]\npk = \"pk_%(table_name)s\"\nuq = \"uq_%(table_name)s_%(column_0_name)s\"\nck = \"ck_%(table_name)s_%(constraint_name)s\"\n",
    );
    let out = cmd()
        .args([
            "reflect",
            "--format",
            "json",
            "--url",
            &db.url,
            "--conventions",
        ])
        .arg(&own)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let t = &doc["tables"][0];
    assert_eq!(t["name"], "account");
    assert_eq!(t["columns"][0]["primary_key"], true, "{doc}");
    assert_eq!(t["columns"][1]["unique"], true, "{doc}");
    // A check on one column is written on that column (PostgreSQL keeps
    // no record of where it was declared).
    assert_eq!(t["columns"][0]["check"]["name"], "positive", "{doc}");
    // Without conventions every name is written.
    let out = cmd()
        .args(["reflect", "--format", "json", "--url", &db.url])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["tables"][0]["primary_key"]["name"], "pk_account");
    assert_eq!(
        doc["tables"][0]["columns"][0]["check"]["name"],
        "ck_account_positive"
    );
    // --adopt leaves out every name the convention can give, even where
    // the database's is another: the pk's and the unique's, not the check's.
    let out = cmd()
        .args([
            "reflect",
            "--format",
            "json",
            "--url",
            &db.url,
            "--adopt",
            "--conventions",
            "postgresql",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let t = &doc["tables"][0];
    assert_eq!(t["columns"][0]["primary_key"], true, "{doc}");
    assert!(t["primary_key"].is_null(), "{doc}");
    assert_eq!(t["columns"][1]["unique"], true, "{doc}");
    // lint: clean against the convention it was made with, and the
    // database's own names listed against PostgreSQL's.
    cmd()
        .args(["lint", "--url", &db.url, "--conventions"])
        .arg(&own)
        .assert()
        .success()
        .stdout("");
    let (code, v, _) = lint_json(&["--url", &db.url, "--conventions", "postgresql"]);
    assert_eq!(code, Some(1));
    let pk = v
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "pk")
        .unwrap();
    assert_eq!(pk["actual"], "pk_account");
    assert_eq!(pk["expected"], "account_pkey");
}

/// Runs `sql` in a new PostgreSQL database, reflects it with `reflect`
/// arguments `args`, and applies the document to a second, empty one:
/// (what reflect said on standard error, a connection to the second
/// database, the document's path). The databases live while the returned
/// guards do.
fn plain_sql_round_trip(
    test: &str,
    sql: &str,
    args: &[&str],
) -> (
    String,
    nomenclator::engine::Connection,
    PathBuf,
    [engine_support::TestDb; 2],
    tempfile::TempDir,
) {
    let from = engine_support::postgres(&format!("{test}_a"));
    let to = engine_support::postgres(&format!("{test}_b"));
    let connect = |url: &str| {
        nomenclator::engine::Engine::from_url(url)
            .unwrap()
            .connect()
            .unwrap()
    };
    connect(&from.url).execute(sql).unwrap();
    let out = cmd()
        .args(["reflect", "--url", &from.url])
        .args(args)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let doc = write(&dir, "plain.toml", &String::from_utf8(out.stdout).unwrap());
    cmd()
        .args(["apply", "--url", &to.url])
        .arg(&doc)
        .assert()
        .success();
    let c = connect(&to.url);
    (err, c, doc, [from, to], dir)
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn a_document_reflected_from_plain_sql_applies_to_an_empty_database_with_what_it_said() {
    let (_, mut c, doc, [_, to], _dir) = plain_sql_round_trip(
        "reflect_two_schemas",
        "CREATE SCHEMA \"Sales\"; CREATE TABLE \"Sales\".daily (day date PRIMARY KEY, total numeric(10, 2)); \
         CREATE TABLE note (id integer PRIMARY KEY, day date REFERENCES \"Sales\".daily (day), \
         body text COLLATE \"C\", line_no serial, \
         ticket bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 10), \
         path text DEFAULT 'C:\\' CHECK (path NOT LIKE '%\\'), \
         UNIQUE NULLS NOT DISTINCT (day, body)); \
         CREATE TABLE \"a\"\"b\" (id serial PRIMARY KEY)",
        &["--schema", "public", "--schema", "Sales"],
    );
    cmd()
        .args(["diff", "--url", &to.url])
        .arg(&doc)
        .assert()
        .success()
        .stdout("");
    // The column's collation came along.
    let collation = c
        .query(
            "SELECT co.collname FROM pg_attribute a JOIN pg_collation co ON co.oid = a.attcollation \
             WHERE a.attrelid = 'note'::regclass AND a.attname = 'body'",
        )
        .unwrap();
    assert_eq!(collation, vec![vec![Some("C".to_owned())]]);
    // And the identity's options, the serial's sequence type, and a unique
    // constraint's NULLS NOT DISTINCT (carried as DDL).
    let sequences = c
        .query(
            "SELECT seqrelid::regclass::text, seqtypid::regtype::text, seqstart, seqincrement \
             FROM pg_sequence ORDER BY 1",
        )
        .unwrap();
    let row =
        |a: &str, b: &str, c: &str, d: &str| [a, b, c, d].map(|v| Some(v.to_owned())).to_vec();
    assert_eq!(
        sequences,
        vec![
            row("\"a\"\"b_id_seq\"", "integer", "1", "1"),
            row("note_line_no_seq", "integer", "1", "1"),
            row("note_ticket_seq", "bigint", "100", "10"),
        ]
    );
    // A backslash in a string came along too.
    let path = c
        .query("SELECT column_default FROM information_schema.columns WHERE column_name = 'path'")
        .unwrap();
    assert_eq!(path, vec![vec![Some("'C:\\'::text".to_owned())]]);
    let unique = c
        .query("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'u' AND conrelid = 'note'::regclass")
        .unwrap();
    assert_eq!(
        unique,
        vec![vec![Some(
            "UNIQUE NULLS NOT DISTINCT (day, body)".to_owned()
        )]]
    );
}

/// What the model has no place for is carried as DDL or named on standard
/// error, never dropped without a word; the document still applies.
#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn reflect_names_what_the_model_cannot_hold() {
    let (err, mut c, _, _dbs, _dir) = plain_sql_round_trip(
        "reflect_names",
        "CREATE TABLE parent (a int, b int, PRIMARY KEY (a, b)); \
         CREATE TABLE c_setnull (id int PRIMARY KEY, a int NOT NULL, b int, \
           FOREIGN KEY (a, b) REFERENCES parent ON DELETE SET NULL (b)); \
         CREATE TABLE c_full (id int PRIMARY KEY, a int, b int, \
           FOREIGN KEY (a, b) REFERENCES parent MATCH FULL); \
         CREATE TABLE u_incl (id int, n int, CONSTRAINT u_incl_id UNIQUE (id) INCLUDE (n)); \
         CREATE UNLOGGED TABLE cache (k text PRIMARY KEY); \
         CREATE TABLE base_evt (id int); \
         CREATE TABLE click_evt (url text) INHERITS (base_evt)",
        &[],
    );
    for said in [
        "c_setnull_a_b_fkey is carried as custom DDL: its action sets some of its columns only",
        "c_full_a_b_fkey is carried as custom DDL: it is MATCH FULL",
        "u_incl_id is carried as custom DDL: it has INCLUDE columns",
        "public.cache is UNLOGGED",
        "public.click_evt inherits from public.base_evt",
    ] {
        assert!(err.contains(said), "{said}: {err}");
    }
    let defs = c
        .query("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE contype IN ('f', 'u') ORDER BY 1")
        .unwrap();
    let defs: Vec<String> = defs.into_iter().filter_map(|r| r[0].clone()).collect();
    for def in [
        "FOREIGN KEY (a, b) REFERENCES parent(a, b) MATCH FULL",
        "FOREIGN KEY (a, b) REFERENCES parent(a, b) ON DELETE SET NULL (b)",
        "UNIQUE (id) INCLUDE (n)",
    ] {
        assert!(defs.iter().any(|d| d == def), "{def}: {defs:?}");
    }
}

#[test]
fn reflect_and_lint_of_a_missing_sqlite_file_say_so_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("typo.db");
    let url = format!("sqlite://{}", missing.display());
    for args in [vec!["reflect", "--url", &url], vec!["lint", "--url", &url]] {
        cmd()
            .args(&args)
            .assert()
            .code(1)
            .stderr(predicates::str::contains("does not exist"));
        assert!(!missing.exists(), "{args:?} made {}", missing.display());
    }
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn reflect_errors_are_clear() {
    let db = engine_support::postgres("reflect_errors");
    cmd()
        .args(["reflect", "--url", &db.url, "--schema", "nope"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("schema \"nope\" does not exist"));
    cmd()
        .args([
            "reflect",
            "--url",
            "postgres://postgres@127.0.0.1:5432/nomenclator_no_such_database",
        ])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("nomenclator_no_such_database"));
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn reflect_as_a_user_who_may_not_connect_is_a_clear_error() {
    let db = engine_support::postgres("reflect_rights");
    let admin = nomenclator::engine::Engine::from_url(&db.url).unwrap();
    let mut c = admin.connect().unwrap();
    let role = format!("{}_nobody", db.name);
    c.execute(&format!("DROP ROLE IF EXISTS {role}")).unwrap();
    c.execute(&format!("CREATE ROLE {role} LOGIN")).unwrap();
    c.execute(&format!(
        "REVOKE CONNECT ON DATABASE {} FROM PUBLIC",
        db.name
    ))
    .unwrap();
    let url = format!("postgres://{role}@127.0.0.1:5432/{}", db.name);
    cmd()
        .args(["reflect", "--url", &url])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("permission denied"));
    c.execute(&format!("GRANT CONNECT ON DATABASE {} TO PUBLIC", db.name))
        .unwrap();
    drop(c);
    let mut c = nomenclator::engine::Engine::from_url(&db.url)
        .unwrap()
        .connect()
        .unwrap();
    let _ = c.execute(&format!("DROP ROLE IF EXISTS {role}"));
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn a_database_the_server_named_lints_clean_against_its_native_pack() {
    let db = engine_support::postgres("lint_native");
    let mut c = nomenclator::engine::Engine::from_url(&db.url)
        .unwrap()
        .connect()
        .unwrap();
    c.execute(
        "CREATE TABLE org (id serial PRIMARY KEY, slug text UNIQUE);
         CREATE TABLE member (
             id serial PRIMARY KEY,
             org_id integer NOT NULL REFERENCES org (id),
             email text NOT NULL,
             age integer CHECK (age >= 0),
             UNIQUE (org_id, email),
             CHECK (email <> '' AND age < 200));
         CREATE INDEX ON member (email);
         CREATE INDEX ON member (lower(email));",
    )
    .unwrap();
    drop(c);
    let (code, v, stderr) = lint_json(&["--url", &db.url, "--conventions", "postgresql"]);
    assert_eq!(code, Some(0), "{v}{stderr}");
    // Against SQLAlchemy's convention, every object is listed: 2 primary
    // keys, 2 unique constraints, 1 foreign key, 2 indexes and 2 checks
    // (whose template wraps the name they have: ck_member_member_age_check).
    let (code, v, _) = lint_json(&["--url", &db.url]);
    assert_eq!(code, Some(1));
    let kinds: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    for (kind, n) in [("pk", 2), ("uq", 2), ("fk", 1), ("ix", 2), ("ck", 2)] {
        assert_eq!(
            kinds.iter().filter(|k| **k == kind).count(),
            n,
            "{kind} in {v}"
        );
    }
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn lint_with_the_postgresql_pack_finds_only_the_names_given_by_hand() {
    // spec/evolve.md, "Native naming": in a database whose names the server
    // chose, `lint --conventions postgresql` finds what someone named by hand.
    let db = engine_support::postgres("native_lint");
    let mut c = db.engine().connect().unwrap();
    for sql in [
        "CREATE TABLE a (id int PRIMARY KEY, x int UNIQUE, y int CHECK (y > 0), z int, CHECK (1 = 1), CHECK (y < 10))",
        "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a, x int, UNIQUE (x), UNIQUE (x, a_id))",
        "CREATE INDEX ON b (x)",
        "CREATE INDEX ON b (x)",
        "CREATE INDEX ON b (lower(x::text))",
        "ALTER TABLE b ADD CONSTRAINT handmade UNIQUE (a_id)",
    ] {
        c.execute(sql).unwrap();
    }
    drop(c);
    let (code, v, stderr) = lint_json(&["--conventions", "postgresql", "--url", &db.url]);
    assert_eq!(code, Some(1), "{stderr}");
    let found: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["actual"].as_str().unwrap_or("-").to_owned(),
                f["expected"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(found, [("handmade".to_owned(), "b_a_id_key".to_owned())]);
}
