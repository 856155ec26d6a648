//! `nomenclator names` (spec/cli.md), and the public test helper `assert_names!`.

#![allow(clippy::result_large_err)]

use std::path::PathBuf;

use assert_cmd::Command;
use nomenclator::testing::compare_lines;
use nomenclator::{assert_names, Column, Kind, MetaData, NamingConvention, Table};
use predicates::prelude::*;
use serde_json::{json, Value};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .join("tests/fixtures")
        .join(name)
}

fn cmd() -> Command {
    Command::cargo_bin("nomenclator").unwrap()
}

fn json_names(args: &[&str]) -> Vec<Value> {
    let out = cmd()
        .arg("names")
        .arg(fixture("example.toml"))
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    let mut a = v.as_array().expect("a JSON array").clone();
    a.sort_by_key(|x| x.to_string());
    a
}

fn sorted(mut v: Vec<Value>) -> Vec<Value> {
    v.sort_by_key(|x| x.to_string());
    v
}

/// The spec's example under the sqlalchemy pack, worked out by hand.
fn example_expected() -> Vec<Value> {
    sorted(vec![
        json!({"schema": null, "table": "organization", "kind": "pk", "columns": ["id"], "name": "pk_organization"}),
        json!({"schema": null, "table": "organization", "kind": "uq", "columns": ["title"], "name": "uq_organization_title"}),
        json!({"schema": null, "table": "user_account", "kind": "pk", "columns": ["id"], "name": "pk_user_account"}),
        json!({"schema": null, "table": "user_account", "kind": "fk", "columns": ["org_id"], "name": "fk_user_account_org_id_organization"}),
        json!({"schema": null, "table": "user_account", "kind": "ck", "columns": [], "name": "ck_user_account_id_positive"}),
        json!({"schema": null, "table": "user_account", "kind": "ix", "columns": ["org_id"], "name": "ix_user_account_org_id", "unique": false}),
    ])
}

#[test]
fn json_format_has_the_spec_fields() {
    assert_eq!(json_names(&[]), example_expected());
    // Aliases give the same result.
    assert_eq!(json_names(&["--dialect", "postgres"]), example_expected());
    assert_eq!(json_names(&["--dialect", "mariadb"]), example_expected());
    assert_eq!(json_names(&["--dialect", "postgresql"]), example_expected());
}

/// An index's expression part is listed by its SQL text, and names as `expr`.
#[test]
fn json_lists_an_index_expression_by_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("doc.toml");
    std::fs::write(
        &p,
        r#"[[tables]]
name = "account"
columns = [{ name = "tenant_id", type = "integer" }, { name = "email", type = "text" }]
indexes = [
  { columns = ["tenant_id", { expression = "lower(email)" }], where = "email <> ''" },
  { columns = [{ expression = "upper(email)" }], unique = true },
]
"#,
    )
    .unwrap();
    let out = cmd()
        .args(["names", p.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v,
        [
            json!({"schema": null, "table": "account", "kind": "ix", "columns": ["tenant_id", "lower(email)"], "name": "ix_account_tenant_id", "unique": false}),
            json!({"schema": null, "table": "account", "kind": "ix", "columns": ["upper(email)"], "name": "ix_account_expr", "unique": true}),
        ]
    );
}

#[test]
fn json_for_a_json_document_with_a_schema_and_unnamed_objects() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("doc.json");
    std::fs::write(
        &p,
        r#"{"naming_convention": {"ix": "ix_%(column_0_label)s"},
            "tables": [{"name": "t", "schema": "s", "columns": [{"name": "a", "primary_key": true}, {"name": "b", "unique": true, "index": true}],
                        "checks": [{"sql": "a > 0"}]}]}"#,
    )
    .unwrap();
    let out = cmd()
        .args(["names", p.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        sorted(v),
        sorted(vec![
            json!({"schema": "s", "table": "t", "kind": "pk", "columns": ["a"], "name": null}),
            json!({"schema": "s", "table": "t", "kind": "ck", "columns": [], "name": null}),
            json!({"schema": "s", "table": "t", "kind": "ix", "columns": ["b"], "name": "ix_s_t_b", "unique": true}),
        ])
    );
}

#[test]
fn default_table_format() {
    let out = cmd()
        .arg("names")
        .arg(fixture("example.toml"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 7, "a header and six rows:\n{text}");
    for h in ["TABLE", "KIND", "COLUMNS", "NAME"] {
        assert!(lines[0].contains(h), "{text}");
    }
    for name in [
        "pk_organization",
        "uq_organization_title",
        "fk_user_account_org_id_organization",
        "ix_user_account_org_id",
    ] {
        assert!(
            lines
                .iter()
                .any(|l| l.contains("user_account") || l.contains("organization"))
                && text.contains(name),
            "{name} in\n{text}"
        );
    }
    assert!(
        lines.iter().any(|l| l.starts_with("user_account")
            && l.contains("ck")
            && l.ends_with("ck_user_account_id_positive")),
        "{text}"
    );
    assert!(!text.trim_start().starts_with('['), "not JSON");
}

#[test]
fn max_identifier_length() {
    // fk_user_account_org_id_organization is 35 characters; at 30 it becomes
    // the first 22, '_', and the last 4 hex digits of its MD5
    // (python3 -c 'import hashlib; n="fk_user_account_org_id_organization"; print(n[:22]+"_"+hashlib.md5(n.encode()).hexdigest()[-4:])').
    let v = json_names(&["--dialect", "postgresql", "--max-identifier-length", "30"]);
    let fk = v.iter().find(|o| o["kind"] == "fk").unwrap();
    assert_eq!(fk["name"], "fk_user_account_org_id_928a");
    let ck = v.iter().find(|o| o["kind"] == "ck").unwrap();
    assert_eq!(
        ck["name"], "ck_user_account_id_positive",
        "27 characters fit"
    );
}

#[test]
fn a_bad_document_exits_1_with_nothing_on_stdout() {
    for f in [
        "bad/syntax.toml",
        "bad/unknown_key.json",
        "bad/missing_table.toml",
        "bad/empty.toml",
        "does-not-exist.toml",
    ] {
        cmd()
            .arg("names")
            .arg(fixture(f))
            .assert()
            .code(1)
            .stdout(predicate::str::is_empty())
            .stderr(
                predicate::str::contains("error:")
                    .and(predicate::str::contains(f.rsplit('/').next().unwrap())),
            );
    }
    // A name collision is a bad document too.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.toml");
    std::fs::write(
        &p,
        "naming_convention = { ix = \"ix_%(column_0_name)s\" }\n[[tables]]\nname = \"a\"\ncolumns = [{ name = \"x\", index = true }]\n[[tables]]\nname = \"b\"\ncolumns = [{ name = \"x\", index = true }]\n",
    )
    .unwrap();
    cmd()
        .args(["names", p.to_str().unwrap(), "--dialect", "sqlite"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("ix_x"));
    cmd()
        .args(["names", p.to_str().unwrap(), "--dialect", "mysql"])
        .assert()
        .success();
}

#[test]
fn usage_errors_exit_2() {
    cmd()
        .arg("names")
        .arg(fixture("example.toml"))
        .arg("--frobnicate")
        .assert()
        .code(2)
        .stdout("");
    cmd()
        .arg("names")
        .arg(fixture("example.toml"))
        .args(["--dialect", "oracle"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("oracle"));
    cmd().args(["names"]).assert().code(2);
    cmd()
        .arg("names")
        .arg(fixture("example.toml"))
        .args(["--format", "yaml"])
        .assert()
        .code(2);
}

#[test]
fn conventions_flag() {
    let v = json_names(&["--conventions", "postgresql"]);
    let names: Vec<&str> = v.iter().map(|o| o["name"].as_str().unwrap()).collect();
    for n in [
        "organization_pkey",
        "organization_title_key",
        "user_account_org_id_fkey",
        "user_account_org_id_idx",
    ] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
}

#[test]
fn native_packs_are_registered() {
    // The native handlers come with the command line: the mariadb and
    // mysql packs name as those servers do.
    let names = |pack: &str| -> Vec<(String, String)> {
        json_names(&["--conventions", pack, "--dialect", "mysql"])
            .iter()
            .map(|o| {
                (
                    format!(
                        "{}.{}",
                        o["table"].as_str().unwrap(),
                        o["kind"].as_str().unwrap()
                    ),
                    o["name"].as_str().unwrap_or("-").to_owned(),
                )
            })
            .collect()
    };
    let maria = names("mariadb");
    for (object, name) in [
        ("organization.pk", "PRIMARY"),
        ("organization.uq", "title"),
        ("user_account.fk", "user_account_ibfk_1"),
        ("user_account.ix", "org_id"),
        ("user_account.ck", "id_positive"),
    ] {
        assert!(
            maria.contains(&(object.to_owned(), name.to_owned())),
            "{object} = {name} in {maria:?}"
        );
    }
    assert!(names("mysql").contains(&("user_account.fk".into(), "user_account_ibfk_1".into())));
    let out = cmd().arg("packs").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for pack in ["postgresql\t", "mariadb\t", "mysql\t", "sqlite\t"] {
        assert!(text.contains(pack), "{pack} in {text}");
    }
}

#[test]
fn assert_names_helper() {
    let mut md = MetaData::with_convention(
        NamingConvention::new()
            .with(Kind::Unique, "uq_%(table_name)s_%(column_0_name)s")
            .unwrap()
            .with(Kind::Index, "ix_%(column_0_label)s")
            .unwrap(),
    );
    md.add_table(
        Table::new("account")
            .column(Column::new("id", "integer").primary_key())
            .column(Column::new("email", "text").unique().index()),
    )
    .unwrap();
    md.add_table(
        Table::new("login")
            .in_schema("auth")
            .column(Column::new("user", "text").unique()),
    )
    .unwrap();
    assert_names!(
        md,
        "postgresql",
        [
            "auth.login.uq(user) = uq_login_user",
            "account.pk(id) = -",
            "account.ix(email) unique = ix_account_email",
        ]
    );
}

#[test]
fn assert_names_failure_shows_a_readable_diff() {
    let mut md = MetaData::new();
    md.add_table(Table::new("t").column(Column::new("a", "integer").index()))
        .unwrap();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        assert_names!(md, "sqlite", ["t.ix(a) = ix_wrong", "t.uq(a) = uq_t_a"]);
    }));
    let payload = result.expect_err("the assertion fails");
    let msg = payload
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(msg.contains("- t.ix(a) = ix_wrong"), "{msg}");
    assert!(msg.contains("- t.uq(a) = uq_t_a"), "{msg}");
    assert!(msg.contains("+ t.ix(a) = ix_t_a"), "{msg}");
    assert!(
        msg.contains("expected, not generated") && msg.contains("generated, not expected"),
        "{msg}"
    );
    // Order does not matter; duplicates count.
    assert!(compare_lines(&["b".into(), "a".into()], &["a", "b"]).is_ok());
    assert!(compare_lines(&["a".into()], &["a", "a"]).is_err());
}
