//! Hostile input for the built binary: every case ends with exit 1 and a
//! clear message (never a panic, a stack overflow or a hang), or, for large
//! but valid input, with the correct result. Each run has a wall-clock
//! guard; the guards are generous because tests run the debug build.

#![allow(clippy::result_large_err)]

use std::path::PathBuf;
use std::time::Duration;

use assert_cmd::Command;

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], file: &PathBuf, guard_secs: u64) -> Run {
    let out = Command::cargo_bin("nomenclator")
        .expect("binary")
        .args(args)
        .arg(file)
        .timeout(Duration::from_secs(guard_secs))
        .output()
        .expect("run");
    let r = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!r.stderr.contains("panicked"), "panic: {}", r.stderr);
    assert!(!r.stderr.contains("overflow"), "overflow: {}", r.stderr);
    r
}

/// Exit 1, nothing on stdout, `error:` and each of `needles` on stderr (and a short message).
fn rejected(args: &[&str], file: &PathBuf, needles: &[&str]) -> String {
    let r = run(args, file, 20);
    assert_eq!(
        r.code,
        Some(1),
        "exit code (killed by the guard or a signal if None); stderr: {}",
        r.stderr
    );
    assert!(
        r.stdout.is_empty(),
        "stdout must be empty on error: {:?}",
        &r.stdout[..r.stdout.len().min(200)]
    );
    assert!(r.stderr.starts_with("error: "), "stderr: {}", r.stderr);
    assert!(
        r.stderr.len() < 4096,
        "message is too long ({} bytes): {}",
        r.stderr.len(),
        &r.stderr[..300]
    );
    for n in needles {
        assert!(
            r.stderr.to_lowercase().contains(&n.to_lowercase()),
            "expected {n:?} in: {}",
            r.stderr
        );
    }
    r.stderr
}

const NAMES: &[&str] = &["names", "--format", "json"];

#[test]
fn malformed_toml() {
    let d = tempfile::tempdir().unwrap();
    let f = write(
        &d,
        "bad.toml",
        b"conventions = \"sqlalchemy\"\n[[tables]\nname = \"x\"\n",
    );
    rejected(NAMES, &f, &["bad.toml"]);
    let f = write(
        &d,
        "bad2.toml",
        b"tables = [ { name = \"x\", columns = [ { name = \"id\" } ]\n",
    );
    rejected(NAMES, &f, &["bad2.toml"]);
}

#[test]
fn malformed_json() {
    let d = tempfile::tempdir().unwrap();
    let f = write(
        &d,
        "bad.json",
        br#"{"tables": [{"name": "x", "columns": [{"name": "id"}]}"#,
    );
    rejected(NAMES, &f, &["bad.json"]);
    let f = write(&d, "trailing.json", br#"{"tables": []} {"tables": []}"#);
    rejected(NAMES, &f, &["trailing.json"]);
    let f = write(&d, "wrongtype.json", br#"{"tables": 7}"#);
    rejected(NAMES, &f, &["wrongtype.json"]);
}

#[test]
fn invalid_utf8() {
    let d = tempfile::tempdir().unwrap();
    let f = write(&d, "latin1.toml", b"[[tables]]\nname = \"caf\xe9\"\n");
    rejected(NAMES, &f, &["UTF-8"]);
    let f = write(
        &d,
        "latin1.json",
        b"{\"tables\": [{\"name\": \"\xff\xfe\"}]}",
    );
    rejected(NAMES, &f, &["UTF-8"]);
}

#[test]
fn empty_files() {
    let d = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("empty.toml", &b""[..]),
        ("empty.json", b""),
        ("blank.toml", b"  \n\t\n"),
        ("nul.json", b"\0\0\0"),
    ] {
        let f = write(&d, name, bytes);
        rejected(NAMES, &f, &[name]);
    }
}

#[test]
fn deeply_nested_json() {
    let d = tempfile::tempdir().unwrap();
    let depth = 100_000;
    let mut s = String::from("{\"tables\": ");
    s.push_str(&"[".repeat(depth));
    s.push_str(&"]".repeat(depth));
    s.push('}');
    let f = write(&d, "deep.json", s.as_bytes());
    rejected(NAMES, &f, &["deep.json"]);
    // Nested objects, unterminated.
    let s = "{\"a\":".repeat(depth);
    let f = write(&d, "deep2.json", s.as_bytes());
    rejected(NAMES, &f, &["deep2.json"]);
}

#[test]
fn deeply_nested_toml() {
    let d = tempfile::tempdir().unwrap();
    let depth = 100_000;
    let s = format!("tables = {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let f = write(&d, "deep.toml", s.as_bytes());
    rejected(NAMES, &f, &["deep.toml"]);
    let s = format!("tables = {}\n", "{ a = ".repeat(depth));
    let f = write(&d, "deep2.toml", s.as_bytes());
    rejected(NAMES, &f, &["deep2.toml"]);
}

#[test]
fn one_megabyte_identifier() {
    let d = tempfile::tempdir().unwrap();
    let long = "x".repeat(1 << 20);
    let doc = format!(
        r#"{{"conventions": "sqlalchemy", "tables": [{{"name": "{long}", "columns": [{{"name": "id", "type": "integer", "primary_key": true}}]}}]}}"#
    );
    let f = write(&d, "long.json", doc.as_bytes());
    // PostgreSQL would cut the table name: an error, which must not echo 1 MB back.
    let msg = rejected(&["ddl", "--dialect", "postgresql"], &f, &["63"]);
    assert!(msg.len() < 4096);
    // `names` lists the generated primary-key name, shortened to 63 bytes.
    let r = run(
        &["names", "--format", "json", "--dialect", "postgresql"],
        &f,
        20,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let name = v[0]["name"].as_str().unwrap();
    // SQLAlchemy's shortening: the first 63 - 8 characters, `_`, 4 hex digits.
    assert_eq!(name.len(), 60, "{name}");
    assert!(name.starts_with("pk_xxxx"), "{name}");
    // A 1 MB column name in a constraint that does not exist is a short error too.
    let doc = format!(
        r#"{{"tables": [{{"name": "t", "columns": [{{"name": "id"}}], "uniques": [{{"columns": ["{long}"]}}]}}]}}"#
    );
    let f = write(&d, "longcol.json", doc.as_bytes());
    let r = run(NAMES, &f, 20);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.len() < 4 << 20, "the message is bounded");
}

#[test]
fn a_million_columns() {
    let d = tempfile::tempdir().unwrap();
    let n = 1_000_000;
    let mut doc = String::with_capacity(n * 40);
    doc.push_str(r#"{"conventions": "sqlalchemy", "tables": [{"name": "wide", "columns": ["#);
    for i in 0..n {
        if i > 0 {
            doc.push(',');
        }
        if i == 0 {
            doc.push_str(r#"{"name": "c0", "type": "integer", "primary_key": true}"#);
        } else {
            doc.push_str(&format!(r#"{{"name": "c{i}"}}"#));
        }
    }
    doc.push_str(&format!(
        r#"], "uniques": [{{"columns": ["c{}", "c1"]}}], "indexes": [{{"columns": ["c{}"]}}]}}]}}"#,
        n - 1,
        n / 2
    ));
    let f = write(&d, "wide.json", doc.as_bytes());
    let r = run(
        &["names", "--format", "json", "--dialect", "postgresql"],
        &f,
        120,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let got: Vec<(&str, &str)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["kind"].as_str().unwrap(), o["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("pk", "pk_wide"),
            ("uq", "uq_wide_c999999"),
            ("ix", "ix_wide_c500000")
        ]
    );
    assert_eq!(v[1]["columns"], serde_json::json!(["c999999", "c1"]));
}

fn with_template(d: &tempfile::TempDir, name: &str, template: &str) -> PathBuf {
    let doc = serde_json::json!({
        "naming_convention": { "uq": template },
        "tables": [{ "name": "t", "columns": [{ "name": "a" }, { "name": "b" }], "uniques": [{ "columns": ["a", "b"] }] }]
    });
    write(d, name, doc.to_string().as_bytes())
}

#[test]
fn templates_that_never_close() {
    let d = tempfile::tempdir().unwrap();
    for (i, t) in [
        "uq_%(table_name",
        "uq_%(table_name)",
        "uq_{table_name",
        "uq_%(",
        "%",
        "uq_{table_name:",
        "}",
        "uq_%(table_name)x",
    ]
    .iter()
    .enumerate()
    {
        let f = with_template(&d, &format!("open{i}.json"), t);
        rejected(NAMES, &f, &["naming_convention"]);
    }
}

/// Found by the `template_parser` fuzz target: a width of billions padded
/// the name to gigabytes and the process died out of memory.
#[test]
fn templates_with_huge_widths() {
    let d = tempfile::tempdir().unwrap();
    for (i, t) in [
        "uq_{table_name:4311111111111111111}",
        "uq_{table_name:>999999999}",
        "uq_%(table_name)999999999s",
        "uq_%(table_name)-.99999999999999999999999s",
        "uq_{table_name:.300}",
    ]
    .iter()
    .enumerate()
    {
        let f = with_template(&d, &format!("wide{i}.json"), t);
        rejected(NAMES, &f, &["naming_convention", "over the limit of 255"]);
    }
    // Widths that make sense still work.
    let f = with_template(&d, "fine.json", "uq_{table_name:_<8}");
    let out = run(NAMES, &f, 10);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("uq_t_______"), "{}", out.stdout);
}

#[test]
fn templates_that_recurse() {
    let d = tempfile::tempdir().unwrap();
    for (i, t) in [
        "%(%(table_name)s)s",
        "{{{table_name}}}x{",
        "{%(table_name)s}",
        "%({table_name})s",
        "{{table_{name}}}",
    ]
    .iter()
    .enumerate()
    {
        let f = with_template(&d, &format!("rec{i}.json"), t);
        let r = run(NAMES, &f, 20);
        // Either a clear error, or a literal rendering: never substitution twice.
        match r.code {
            Some(1) => assert!(
                r.stderr.starts_with("error: ") && r.stderr.contains("naming_convention"),
                "{}",
                r.stderr
            ),
            Some(0) => assert!(
                !r.stdout.contains("%(") || t.contains("%%"),
                "{t}: {}",
                r.stdout
            ),
            other => panic!("{t}: exit {other:?}: {}", r.stderr),
        }
    }
    // A token whose value is itself template syntax is not expanded again.
    let doc = serde_json::json!({
        "naming_convention": { "uq": "uq_%(column_0_name)s" },
        "tables": [{ "name": "t", "columns": [{ "name": "%(table_name)s" }], "uniques": [{ "columns": ["%(table_name)s"] }] }]
    });
    let f = write(&d, "value.json", doc.to_string().as_bytes());
    let r = run(NAMES, &f, 20);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v[0]["name"], "uq_%(table_name)s");
}

#[test]
fn a_template_with_ten_thousand_tokens() {
    let d = tempfile::tempdir().unwrap();
    let t = "%(table_name)s{column_0_name}".repeat(5_000);
    let f = with_template(&d, "many.json", &t);
    let r = run(
        &["names", "--format", "json", "--dialect", "postgresql"],
        &f,
        20,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let name = v[0]["name"].as_str().unwrap();
    assert_eq!(name.len(), 60, "{name}");
    assert!(name.starts_with("tatata"), "{name}");
    // SQLite has no limit: the whole name, "ta" 5,000 times.
    let r = run(
        &["names", "--format", "json", "--dialect", "sqlite"],
        &f,
        20,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let name = v[0]["name"].as_str().unwrap();
    assert!(name == "ta".repeat(5_000), "got {} bytes", name.len());
}

#[test]
fn unknown_token_in_a_huge_template() {
    let d = tempfile::tempdir().unwrap();
    let t = format!("{}%(nope)s", "x".repeat(100_000));
    let f = with_template(&d, "unknown.json", &t);
    rejected(NAMES, &f, &["nope"]);
}

/// A NUL in a column type cut the SQLite statement short: `apply` exited 0
/// and reported constraints that were never created. Control characters
/// are refused where the document has them, before anything runs.
#[test]
fn control_characters_in_raw_text() {
    let d = tempfile::tempdir().unwrap();
    let doc = "[[tables]]\nname = \"t\"\n  [[tables.columns]]\n  name = \"id\"\n  type = \"int)\\u0000\"\n  primary_key = true\n  [[tables.columns]]\n  name = \"code\"\n  type = \"text\"\n  unique = true\n";
    let f = write(&d, "nul.toml", doc.as_bytes());
    let db = d.path().join("nul.db");
    let url = format!("sqlite://{}", db.display());
    let msg = rejected(
        &["apply", "--url", &url],
        &f,
        &["nul.toml:5:10", "tables[0].columns[0].type", "U+0000"],
    );
    assert!(!msg.contains('\0'), "{msg:?}");
    // Nothing was created.
    if db.exists() {
        let conn = rusqlite_tables(&db);
        assert!(conn.is_empty(), "tables were created: {conn:?}");
    }
    // The same in every raw text of JSON, and for other control characters.
    for (i, (field, value)) in [
        ("type", "int)\u{0}"),
        ("default", "0\u{1b}[31m"),
        ("comment", "a\u{7f}"),
        ("check", "1 = 1\u{85}"),
    ]
    .iter()
    .enumerate()
    {
        let mut column = serde_json::json!({ "name": "id" });
        column[field] = serde_json::json!(value);
        let doc = serde_json::json!({ "tables": [{ "name": "t", "columns": [column] }] });
        let f = write(&d, &format!("ctl{i}.json"), doc.to_string().as_bytes());
        let msg = rejected(
            &["ddl", "--dialect", "sqlite"],
            &f,
            &[
                &format!("tables[0].columns[0].{field}"),
                "control character",
            ],
        );
        assert!(!msg.contains('\u{1b}'), "{msg:?}");
    }
    for (i, place) in ["views", "ddl"].iter().enumerate() {
        let mut doc =
            serde_json::json!({ "tables": [{ "name": "t", "columns": [{ "name": "id" }] }] });
        doc[place] = if *place == "views" {
            serde_json::json!([{ "name": "v", "sql": "SELECT 1\u{0}; DROP TABLE t" }])
        } else {
            serde_json::json!([{ "when": "after_create", "sql": "SELECT 1\u{0}" }])
        };
        let f = write(&d, &format!("raw{i}.json"), doc.to_string().as_bytes());
        rejected(NAMES, &f, &[&format!("{place}[0].sql"), "U+0000"]);
    }
}

/// The table names in an SQLite database file.
fn rusqlite_tables(db: &std::path::Path) -> Vec<String> {
    let out = std::process::Command::new("sqlite3")
        .arg(db)
        .arg("SELECT name FROM sqlite_master")
        .output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(str::to_owned)
            .collect(),
        // No sqlite3 here: the exit code and message were checked.
        _ => Vec::new(),
    }
}

/// `/dev/zero` as the document, or as a pack, ends at once with an error
/// (it used to be read without end).
#[cfg(unix)]
#[test]
fn endless_files() {
    let zero = PathBuf::from("/dev/zero");
    rejected(NAMES, &zero, &["/dev/zero", "NUL byte"]);
    let d = tempfile::tempdir().unwrap();
    let f = write(
        &d,
        "zero.toml",
        b"conventions = \"/dev/zero\"\n[[tables]]\nname = \"t\"\ncolumns = [{ name = \"id\" }]\n",
    );
    rejected(NAMES, &f, &["/dev/zero", "NUL byte"]);
    let f = write(
        &d,
        "zero.json",
        br#"{"conventions": ["/dev/zero"], "tables": [{"name": "t", "columns": [{"name": "id"}]}]}"#,
    );
    rejected(NAMES, &f, &["/dev/zero", "NUL byte"]);
}

/// `-` reads the document from standard input.
#[test]
fn standard_input() {
    let out = Command::cargo_bin("nomenclator")
        .expect("binary")
        .args(["names", "--format", "json", "-"])
        .write_stdin("[[tables]]\nname = \"t\"\ncolumns = [{ name = \"id\", unique = true }]\n")
        .timeout(Duration::from_secs(20))
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"t\""));
    let out = Command::cargo_bin("nomenclator")
        .expect("binary")
        .args(["names", "-"])
        .write_stdin("{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"id\", \"type\": \"int\\u0000\"}]}]}")
        .timeout(Duration::from_secs(20))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("<stdin>:1:") && stderr.contains("tables[0].columns[0].type"),
        "{stderr}"
    );
}

/// JSON's own traps: a byte-order mark (accepted, as in TOML), a top level
/// that is a list, and keys given twice (refused, in every object).
#[test]
fn json_traps() {
    let d = tempfile::tempdir().unwrap();
    let f = write(
        &d,
        "bom.json",
        "\u{feff}{\"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"id\"}]}]}".as_bytes(),
    );
    let r = run(NAMES, &f, 20);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let f = write(&d, "list.json", b"[]");
    rejected(
        NAMES,
        &f,
        &["list.json", "top level", "object with `tables`"],
    );
    let f = write(
        &d,
        "dup.json",
        b"{\"naming_convention\": {\"uq\": \"a_%(table_name)s\", \"uq\": \"b_%(table_name)s\"},\n \"tables\": [{\"name\": \"t\", \"columns\": [{\"name\": \"id\", \"unique\": true}]}]}",
    );
    rejected(
        NAMES,
        &f,
        &["dup.json:1:", "naming_convention.uq", "duplicate"],
    );
}
