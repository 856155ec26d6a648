//! A document with column and table templates, as the command line reads it.

use assert_cmd::Command;
use predicates::prelude::*;

fn nomenclator() -> Command {
    let mut c = Command::cargo_bin("nomenclator").expect("binary built");
    c.env_remove("DATABASE_URL");
    c
}

#[test]
fn ddl_reads_templates_and_places_a_bad_one_at_file_line_col() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("templates.toml");
    let example = std::fs::read_to_string(format!(
        "{}/../examples/templates.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    std::fs::write(&path, &example).unwrap();
    let out = nomenclator()
        .arg("ddl")
        .arg(&path)
        .args(["--dialect", "sqlite"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let ddl = String::from_utf8(out).unwrap();
    // The table's own columns first, then the templates' in `templates` order.
    let invoice = ddl
        .split("\n\n")
        .find(|s| s.starts_with("CREATE TABLE invoice"))
        .unwrap_or_else(|| panic!("{ddl}"));
    let at = |c: &str| invoice.find(c).unwrap_or_else(|| panic!("{c}: {invoice}"));
    assert!(
        at("id BIGINT") < at("total")
            && at("total") < at("tenant_id")
            && at("tenant_id") < at("created_at"),
        "{invoice}"
    );
    assert!(
        invoice.contains("CONSTRAINT fk_invoice_tenant_id_tenant"),
        "{invoice}"
    );

    // `lint` reads the document's own conventions as plain data, beside
    // the template keys.
    nomenclator().arg("lint").arg(&path).assert().success();

    // A template's reference to a table that is not there: the template's
    // place, the template and the table that used it.
    let bad = example.replace("references = \"tenant\"", "references = \"tennant\"");
    assert_ne!(bad, example);
    std::fs::write(&path, &bad).unwrap();
    let line = bad.lines().position(|l| l.contains("\"tennant\"")).unwrap() + 1;
    let place = format!("templates.toml:{line}:");
    nomenclator()
        .arg("ddl")
        .arg(&path)
        .args(["--dialect", "sqlite"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            predicate::str::contains(place)
                .and(predicate::str::contains(
                    "table_templates.tenant.foreign_keys[0].references: table \"tennant\" is not defined",
                ))
                .and(predicate::str::contains(
                    "(from table template \"tenant\", used by table \"account\")",
                )),
        );
}
