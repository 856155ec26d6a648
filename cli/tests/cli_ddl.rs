//! `nomenclator ddl`, `sort` and `graph` as scripts call them (spec/cli.md).

#![allow(clippy::result_large_err)]

use assert_cmd::Command;
use predicates::prelude::*;

fn nomenclator() -> Command {
    Command::cargo_bin("nomenclator").expect("binary built")
}

const CYCLE: &str = r#"{
  "naming_convention": {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"},
  "tables": [
    {"name": "child", "columns": [
        {"name": "id", "type": "integer", "primary_key": true},
        {"name": "parent_id", "type": "integer", "references": "parent.id"}]},
    {"name": "parent", "columns": [
        {"name": "id", "type": "integer", "primary_key": true},
        {"name": "favourite_id", "type": "integer"}],
     "foreign_keys": [{"columns": ["favourite_id"], "references": "child", "referred_columns": ["id"], "use_alter": true}]}
  ]
}"#;

fn doc(dir: &tempfile::TempDir, text: &str) -> std::path::PathBuf {
    let p = dir.path().join("doc.json");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn ddl_statements_end_with_semicolons_and_are_separated_by_blank_lines() {
    let dir = tempfile::tempdir().unwrap();
    let p = doc(&dir, CYCLE);
    let out = nomenclator()
        .args(["ddl"])
        .arg(&p)
        .args(["--dialect", "postgres"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let statements: Vec<&str> = text.trim_end().split("\n\n").collect();
    assert!(statements.len() >= 3, "{text}");
    for s in &statements {
        assert!(s.ends_with(';'), "statement without ';': {s}");
    }
    // parent comes first (child refers to it inline); the use_alter key is added after both tables.
    let parent = text.find("CREATE TABLE parent").expect("parent created");
    let child = text.find("CREATE TABLE child").expect("child created");
    let alter = text
        .find("ALTER TABLE parent ADD CONSTRAINT fk_parent_favourite_id_child")
        .expect("deferred fk");
    assert!(parent < child && child < alter, "{text}");
}

#[test]
fn drop_script_drops_the_deferred_key_first_and_tables_in_reverse() {
    let dir = tempfile::tempdir().unwrap();
    let p = doc(&dir, CYCLE);
    let out = nomenclator()
        .args(["ddl"])
        .arg(&p)
        .args(["--dialect", "postgresql", "--drop"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let fk = text
        .find("DROP CONSTRAINT fk_parent_favourite_id_child")
        .expect("fk dropped");
    let child = text.find("DROP TABLE child").expect("child dropped");
    let parent = text.find("DROP TABLE parent").expect("parent dropped");
    assert!(fk < child && child < parent, "{text}");
}

#[test]
fn sqlite_keeps_the_cycle_inline() {
    let dir = tempfile::tempdir().unwrap();
    let p = doc(&dir, CYCLE);
    let out = nomenclator().args(["ddl"]).arg(&p).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("ALTER TABLE"), "{text}");
    assert!(
        text.contains("CONSTRAINT fk_parent_favourite_id_child FOREIGN KEY"),
        "{text}"
    );
}

#[test]
fn sort_prints_creation_order_and_reverse() {
    let dir = tempfile::tempdir().unwrap();
    let p = doc(&dir, CYCLE);
    nomenclator()
        .arg("sort")
        .arg(&p)
        .assert()
        .success()
        .stdout("parent\nchild\n");
    nomenclator()
        .arg("sort")
        .arg(&p)
        .arg("--reverse")
        .assert()
        .success()
        .stdout("child\nparent\n");
    // SQLite keeps the use_alter foreign key inline: the cycle is broken
    // by name, in the order its `ddl` creates the tables.
    for (dialect, order) in [
        ("postgresql", "parent\nchild\n"),
        ("mysql", "parent\nchild\n"),
        ("sqlite", "child\nparent\n"),
    ] {
        nomenclator()
            .arg("sort")
            .arg(&p)
            .args(["--dialect", dialect])
            .assert()
            .success()
            .stdout(order);
    }
}

#[test]
fn graph_marks_deferred_edges() {
    let dir = tempfile::tempdir().unwrap();
    let p = doc(&dir, CYCLE);
    let out = nomenclator().arg("graph").arg(&p).output().unwrap();
    assert!(out.status.success());
    let dot = String::from_utf8(out.stdout).unwrap();
    assert!(dot.starts_with("digraph"), "{dot}");
    assert!(
        dot.contains("dashed"),
        "the use_alter edge is marked: {dot}"
    );
    let out = nomenclator()
        .arg("graph")
        .arg(&p)
        .args(["--format", "mermaid"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let m = String::from_utf8(out.stdout).unwrap();
    assert!(m.contains("child") && m.contains("parent"), "{m}");
}

#[test]
fn ddl_refusal_prints_nothing_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let long = "c".repeat(64);
    let text = format!(
        r#"{{"tables": [{{"name": "t", "columns": [{{"name": "{long}", "type": "integer"}}]}}]}}"#
    );
    let p = doc(&dir, &text);
    nomenclator()
        .arg("ddl")
        .arg(&p)
        .args(["--dialect", "postgresql"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("64 bytes").and(predicate::str::contains("63")));
    // SQLite has no limit: the same document renders.
    nomenclator()
        .arg("ddl")
        .arg(&p)
        .assert()
        .success()
        .stdout(predicate::str::contains("CREATE TABLE t"));
}

#[test]
fn unknown_dialect_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = doc(&dir, CYCLE);
    nomenclator()
        .arg("ddl")
        .arg(&p)
        .args(["--dialect", "oracle"])
        .assert()
        .code(2);
}

/// A document can come through a pipe (which cannot be mapped like a
/// file): a large one gives the same script as the file.
#[test]
fn ddl_reads_a_large_document_from_a_pipe() {
    let tables: Vec<String> = (0..3_000)
        .map(|i| {
            format!(
                r#"{{"name": "t{i}", "comment": "{}", "columns": [{{"name": "id", "type": "integer", "primary_key": true}}]}}"#,
                "padding ".repeat(50)
            )
        })
        .collect();
    let text = format!(r#"{{"tables": [{}]}}"#, tables.join(",\n"));
    assert!(text.len() > 1 << 20);
    let dir = tempfile::TempDir::new().unwrap();
    let file = doc(&dir, &text);
    let from_file = nomenclator()
        .args(["ddl", "--dialect", "postgresql"])
        .arg(&file)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(from_file.starts_with(b"CREATE TABLE"));
    nomenclator()
        .args(["ddl", "--dialect", "postgresql", "/dev/stdin"])
        .write_stdin(text)
        .assert()
        .success()
        .stdout(predicate::eq(from_file));
}

/// The table names of the `CREATE TABLE` (or `DROP TABLE`) statements of a
/// script, in order, as `sort` prints them (`schema.table`, unquoted).
fn tables_in_script(script: &str, verb: &str) -> Vec<String> {
    let mut out = Vec::new();
    for statement in script.split(";\n") {
        let Some(rest) = statement.trim_start().strip_prefix(verb) else {
            continue;
        };
        let rest = rest.strip_prefix("IF EXISTS ").unwrap_or(rest);
        // Identifiers separated by dots, each bare or quoted ("..." or `...`,
        // the quote doubled inside).
        let mut parts = Vec::new();
        let mut chars = rest.chars().peekable();
        loop {
            let mut part = String::new();
            match chars.peek().copied() {
                Some(q @ ('"' | '`')) => {
                    chars.next();
                    while let Some(c) = chars.next() {
                        if c == q {
                            if chars.peek() == Some(&q) {
                                chars.next();
                            } else {
                                break;
                            }
                        }
                        part.push(c);
                    }
                }
                _ => {
                    while let Some(&c) = chars.peek() {
                        if c == '.' || c.is_whitespace() || c == '(' {
                            break;
                        }
                        part.push(c);
                        chars.next();
                    }
                }
            }
            parts.push(part);
            if chars.peek() == Some(&'.') {
                chars.next();
            } else {
                break;
            }
        }
        out.push(parts.join("."));
    }
    out
}

/// One order: for every corpus document and dialect, `sort --dialect D`
/// lists the tables exactly in the order `ddl --dialect D` creates them,
/// and `sort --reverse` in the order `ddl --drop` drops them (SQLite keeps
/// foreign keys marked use_alter inline, so its order differs from the
/// other dialects' for some documents).
#[test]
fn sort_lists_tables_in_the_order_ddl_creates_and_drops_them() {
    let root = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/corpus/sqlalchemy"
    ));
    let mut docs: Vec<std::path::PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path().join("schema.json"))
        .collect();
    docs.sort();
    let run = |args: &[&str], doc: &std::path::Path| {
        let out = nomenclator()
            .arg(args[0])
            .arg(doc)
            .args(&args[1..])
            .output()
            .unwrap();
        out.status
            .success()
            .then(|| String::from_utf8(out.stdout).unwrap())
    };
    let (mut compared, mut differ) = (0, Vec::new());
    for doc in &docs {
        for dialect in ["postgresql", "sqlite", "mysql"] {
            let Some(script) = run(&["ddl", "--dialect", dialect], doc) else {
                continue;
            };
            let sorted =
                run(&["sort", "--dialect", dialect], doc).expect("sort succeeds where ddl does");
            let sorted: Vec<&str> = sorted.lines().collect();
            let created = tables_in_script(&script, "CREATE TABLE ");
            assert_eq!(
                sorted,
                created,
                "{} --dialect {dialect}: create order",
                doc.display()
            );
            if let Some(drop) = run(&["ddl", "--drop", "--dialect", dialect], doc) {
                let reversed = run(&["sort", "--reverse", "--dialect", dialect], doc).unwrap();
                let reversed: Vec<&str> = reversed.lines().collect();
                let dropped = tables_in_script(&drop, "DROP TABLE ");
                assert_eq!(
                    reversed,
                    dropped,
                    "{} --dialect {dialect}: drop order",
                    doc.display()
                );
            }
            compared += 1;
        }
        let orders: Vec<Option<String>> = ["postgresql", "sqlite"]
            .iter()
            .map(|d| run(&["sort", "--dialect", d], doc))
            .collect();
        if orders[0] != orders[1] {
            differ.push(doc.display().to_string());
        }
    }
    assert!(compared > 700, "only {compared} compared");
    eprintln!(
        "{} document(s) whose SQLite order differs: {differ:?}",
        differ.len()
    );
}
