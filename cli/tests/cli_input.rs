//! Documents from standard input (`-`, as every command that takes FILE
//! accepts), and "did you mean" for misspelt packs and tokens.

use assert_cmd::Command;
use predicates::prelude::*;

fn nomenclator() -> Command {
    let mut c = Command::cargo_bin("nomenclator").expect("binary built");
    c.env_remove("DATABASE_URL");
    c
}

fn example(ext: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../examples/shop.{ext}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn stdout(c: &mut Command) -> String {
    String::from_utf8(c.assert().success().get_output().stdout.clone()).unwrap()
}

/// A TOML document whose first line is a table header: `[` does not make it JSON.
const HEADER_FIRST: &str = "[[tables]]\nname = \"t\"\ncolumns = [{ name = \"id\", type = \"integer\", primary_key = true }, { name = \"v\", type = \"integer\", index = true }]\n";

#[test]
fn every_offline_command_reads_dash_as_standard_input() {
    let file = format!("{}/../examples/shop.toml", env!("CARGO_MANIFEST_DIR"));
    for args in [
        &["names"][..],
        &["names", "--format", "json", "--dialect", "postgresql"],
        &["ddl", "--dialect", "mysql"],
        &["ddl", "--drop"],
        &["sort"],
        &["sort", "--reverse"],
        &["graph", "--format", "mermaid"],
    ] {
        let (command, rest) = args.split_first().unwrap();
        let from_file = stdout(nomenclator().arg(command).arg(&file).args(rest));
        for ext in ["toml", "json"] {
            let from_stdin = stdout(
                nomenclator()
                    .arg(command)
                    .arg("-")
                    .args(rest)
                    .write_stdin(example(ext)),
            );
            assert_eq!(
                from_stdin, from_file,
                "{args:?} from a piped {ext} document"
            );
        }
    }
}

#[test]
fn a_piped_toml_document_may_start_with_a_table_header() {
    let out = stdout(nomenclator().args(["names", "-"]).write_stdin(HEADER_FIRST));
    assert!(out.contains("ix_t_v"), "{out}");
    let out = stdout(
        nomenclator()
            .args(["names", "-"])
            .write_stdin(format!("\n  {HEADER_FIRST}")),
    );
    assert!(out.contains("ix_t_v"), "{out}");
}

#[test]
fn errors_in_a_piped_document_name_stdin() {
    nomenclator()
        .args(["names", "-"])
        .write_stdin("[[tables]]\nname = \"t\"\ncolums = []\n")
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("<stdin>:3"));
    nomenclator()
        .args(["ddl", "-"])
        .write_stdin(&b"\xff\xfe not text"[..])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("<stdin>").and(predicate::str::contains("UTF-8")));
    nomenclator()
        .args(["sort", "-"])
        .write_stdin("")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("<stdin>").and(predicate::str::contains("empty")));
}

#[test]
fn a_misspelt_pack_gets_a_suggestion() {
    let file = format!("{}/../examples/shop.toml", env!("CARGO_MANIFEST_DIR"));
    nomenclator()
        .args(["names", &file, "--conventions", "sqlalchmy"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "unknown convention pack \"sqlalchmy\" (did you mean \"sqlalchemy\"?)",
        ));
    nomenclator()
        .args(["names", "-"])
        .write_stdin(format!("conventions = \"alembic-shrot\"\n{HEADER_FIRST}"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "(did you mean \"alembic-short\"?)",
        ));
    // Nothing close: no suggestion.
    nomenclator()
        .args(["names", &file, "--conventions", "oracle"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did you mean").not());
}

#[test]
fn a_misspelt_token_gets_a_suggestion() {
    for (template, suggestion) in [
        ("ix_%(tabel_name)s_%(column_0_name)s", "table_name"),
        ("ix_%(column_0_nmae)s", "column_0_name"),
        ("ix_%(column_2_lable)s", "column_2_label"),
        ("fk_%(referred_tablename)s", "referred_table_name"),
    ] {
        let key = if template.starts_with("fk") {
            "fk"
        } else {
            "ix"
        };
        nomenclator()
            .args(["names", "-"])
            .write_stdin(format!(
                "naming_convention = {{ {key} = \"{template}\" }}\n{HEADER_FIRST}"
            ))
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!(
                "(did you mean \"{suggestion}\"?)"
            )));
    }
    nomenclator()
        .args(["names", "-"])
        .write_stdin(format!(
            "naming_convention = {{ ix = \"ix_%(flavour)s\" }}\n{HEADER_FIRST}"
        ))
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("unknown token \"flavour\"")
                .and(predicate::str::contains("did you mean").not()),
        );
}
