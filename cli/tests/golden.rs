//! Same output as before the restructuring: `names --format json`, `ddl`
//! and `ddl --drop` in every dialect, and `sort` (both directions), for
//! every document of `tests/corpus` and `tests/fixtures`, compared by exit
//! status and the MD5 of standard output with `tests/golden/outputs.tsv`
//! (written by `tests/golden/make.sh` from the binary of commit cefbe06).

#![allow(clippy::result_large_err)]

use std::path::Path;

use md5::{Digest, Md5};

#[test]
fn offline_output_is_unchanged() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let table = std::fs::read_to_string(root.join("tests/golden/outputs.tsv")).unwrap();
    let bin = env!("CARGO_BIN_EXE_nomenclator");
    let mut failures = Vec::new();
    let mut compared = 0;
    for line in table.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let [doc, args, code, sum] = f[..] else {
            panic!("bad line in outputs.tsv: {line}")
        };
        let mut words = args.split(' ');
        let command = words.next().unwrap();
        let out = std::process::Command::new(bin)
            .current_dir(root)
            .arg(command)
            .arg(doc)
            .args(words)
            .output()
            .unwrap();
        let got_code = out.status.code().unwrap_or(-1).to_string();
        let got_sum = format!("{:x}", Md5::digest(&out.stdout));
        if got_code != code || got_sum != sum {
            failures.push(format!(
                "{command} {doc} {args}: exit {got_code} (was {code}), output {}\n{}{}",
                if got_sum == sum { "same" } else { "differs" },
                String::from_utf8_lossy(&out.stdout)
                    .chars()
                    .take(600)
                    .collect::<String>(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        compared += 1;
    }
    assert!(compared > 3000, "only {compared} outputs compared");
    assert!(
        failures.is_empty(),
        "{} of {compared} outputs changed:\n{}",
        failures.len(),
        failures
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
