//! The SQLAlchemy corpus: every document, every dialect, names identical to
//! SQLAlchemy 2.1's (compared as multisets; checks without columns), and a
//! refusal wherever SQLAlchemy refused.

#![allow(clippy::result_large_err)]

use std::path::{Path, PathBuf};

use nomenclator::document::{load_path, LoadOptions};
use nomenclator::{dialect, final_names};
use serde_json::Value;

fn corpus_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/sqlalchemy");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("corpus present")
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    dirs
}

fn normalise(v: &Value) -> String {
    let mut o = v.as_object().expect("object").clone();
    if o["kind"] == "ck" {
        o.remove("columns");
    }
    serde_json::to_string(&o).unwrap()
}

fn multiset(names: &[Value]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(normalise).collect();
    v.sort();
    v
}

#[test]
fn corpus_matches_sqlalchemy() {
    let dirs = corpus_dirs();
    assert!(dirs.len() >= 300, "the corpus has {} documents", dirs.len());
    let mut failures = Vec::new();
    let (mut compared, mut refused) = (0, 0);
    for dir in &dirs {
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap())
                .unwrap();
        let loaded = load_path(&dir.join("schema.json"), &LoadOptions::default());
        for d in ["postgresql", "sqlite", "mysql"] {
            let exp = &expected[d];
            let rules = dialect::by_name(d).unwrap().name_rules(None);
            let got = loaded
                .as_ref()
                .map_err(|e| e.to_string())
                .and_then(|md| final_names(md, &rules).map_err(|e| e.to_string()));
            let id = format!("{}/{d}", dir.file_name().unwrap().to_string_lossy());
            match (exp.get("error"), got) {
                (Some(_), Err(_)) => refused += 1,
                (Some(e), Ok(_)) => failures.push(format!(
                    "{id}: SQLAlchemy refused ({e}) but names were produced"
                )),
                (None, Err(e)) => failures.push(format!("{id}: unexpected error: {e}")),
                (None, Ok(names)) => {
                    let got: Vec<Value> = names
                        .iter()
                        .map(|n| serde_json::to_value(n).unwrap())
                        .collect();
                    let want = exp["names"].as_array().expect("names");
                    let (g, w) = (multiset(&got), multiset(want));
                    if g != w {
                        let missing: Vec<_> = w.iter().filter(|x| !g.contains(x)).take(3).collect();
                        let extra: Vec<_> = g.iter().filter(|x| !w.contains(x)).take(3).collect();
                        failures.push(format!(
                            "{id}: names differ\n  missing {missing:?}\n  unexpected {extra:?}"
                        ));
                    } else {
                        compared += 1;
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        dirs.len() * 3,
        failures.join("\n")
    );
    assert_eq!(compared + refused, dirs.len() * 3);
    assert!(refused > 0 && compared > 0);
}
