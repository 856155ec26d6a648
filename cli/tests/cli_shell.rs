//! `nomenclator completions SHELL` and `nomenclator man`.

use assert_cmd::Command;
use predicates::prelude::*;

fn nomenclator() -> Command {
    Command::cargo_bin("nomenclator").expect("binary built")
}

fn stdout(c: &mut Command) -> String {
    String::from_utf8(c.assert().success().get_output().stdout.clone()).unwrap()
}

const COMMANDS: &[&str] = &[
    "names",
    "packs",
    "ddl",
    "sort",
    "graph",
    "apply",
    "drop",
    "completions",
    "man",
    "reflect",
    "lint",
    "diff",
    "migrate",
];

#[test]
fn completion_scripts_know_every_command_and_option() {
    let bash = stdout(nomenclator().args(["completions", "bash"]));
    assert!(bash.contains("_nomenclator()"), "{bash}");
    assert!(bash.contains("complete -F _nomenclator"), "{bash}");
    for c in COMMANDS {
        assert!(bash.contains(c), "{c} missing from the bash script");
    }
    for option in [
        "--checkfirst",
        "--lock-timeout",
        "--dialect",
        "--max-identifier-length",
    ] {
        assert!(bash.contains(option), "{option} missing");
    }
    let zsh = stdout(nomenclator().args(["completions", "zsh"]));
    assert!(zsh.starts_with("#compdef nomenclator"), "{zsh}");
    let fish = stdout(nomenclator().args(["completions", "fish"]));
    assert!(fish.contains("complete -c nomenclator"), "{fish}");
    for shell in ["elvish", "powershell"] {
        assert!(!stdout(nomenclator().args(["completions", shell])).is_empty());
    }
    nomenclator()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("bash"));
}

#[test]
fn the_manual_page_lists_the_commands() {
    let page = stdout(nomenclator().arg("man"));
    assert!(page.contains("\n.TH nomenclator 1 "), "{page}");
    assert!(
        page.contains(concat!("\"nomenclator ", env!("CARGO_PKG_VERSION"), "\"")),
        "{page}"
    );
    assert!(
        page.contains(".SH NAME") && page.contains(".SH SYNOPSIS"),
        "{page}"
    );
    for c in COMMANDS {
        assert!(
            page.contains(&format!("nomenclator\\-{c}(1)")),
            "{c} missing"
        );
    }
    let apply = stdout(nomenclator().args(["man", "apply"]));
    assert!(apply.contains("\n.TH nomenclator-apply 1 "), "{apply}");
    assert!(
        apply.contains("checkfirst") && apply.contains("lock\\-timeout"),
        "{apply}"
    );
    nomenclator()
        .args(["man", "aply"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("apply"));
}

#[test]
fn man_writes_every_page_into_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    nomenclator()
        .args(["man", "--out-dir"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout("");
    let mut pages: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    let mut expected: Vec<String> = COMMANDS
        .iter()
        .map(|c| format!("nomenclator-{c}.1"))
        .chain(["nomenclator.1".to_owned()])
        .collect();
    expected.sort();
    assert_eq!(pages, expected);
    let drop = std::fs::read_to_string(dir.path().join("nomenclator-drop.1")).unwrap();
    assert!(drop.contains("\n.TH nomenclator-drop 1 "), "{drop}");
    assert!(
        drop.contains(concat!("\"nomenclator ", env!("CARGO_PKG_VERSION"), "\"")),
        "{drop}"
    );
}
