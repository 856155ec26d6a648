//! Every test that needs a database server is `#[ignore = "needs ..."]`, so
//! that a plain `cargo test` on a machine without servers lists it as
//! ignored, with the reason, instead of printing `ok` for a test that did
//! not run; `cargo test -- --include-ignored` (what `.ci/run` runs) runs it.
//!
//! A test counts as needing a server when its body names one: the live
//! helpers of `cli/tests/engine_support` or a server's address.

use std::path::{Path, PathBuf};

/// What in a test's body means it talks to a server.
const LIVE: &[&str] = &[
    "engine_support::postgres(",
    "engine_support::mariadb(",
    "127.0.0.1",
    "PG_ADMIN",
    "MY_ADMIN",
];

fn test_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["tests", "cli/tests"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The byte just past the block that opens at `open` (a `{`), skipping
/// string and character literals and comments.
fn block_end(src: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    let mut i = open;
    while i < src.len() {
        match src[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b'/' if src.get(i + 1) == Some(&b'/') => {
                while i < src.len() && src[i] != b'\n' {
                    i += 1;
                }
            }
            b'r' if matches!(src.get(i + 1), Some(b'"' | b'#'))
                && !src[i - 1].is_ascii_alphanumeric() =>
            {
                let hashes = src[i + 1..].iter().take_while(|&&b| b == b'#').count();
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                i += 2 + hashes;
                while i < src.len() && !src[i..].starts_with(&close) {
                    i += 1;
                }
                i += close.len() - 1;
            }
            b'"' => {
                i += 1;
                while i < src.len() && src[i] != b'"' {
                    if src[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            // A character literal ('{', '\''), not a lifetime ('a).
            b'\'' if src.get(i + 2) == Some(&b'\'') => i += 2,
            b'\'' if src.get(i + 1) == Some(&b'\\') => {
                i += 2;
                while i < src.len() && src[i] != b'\'' {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    src.len()
}

#[test]
fn every_test_that_needs_a_server_is_ignored_with_the_reason() {
    let mut unmarked = Vec::new();
    let mut live = 0;
    for file in test_files() {
        if file.ends_with("live_tests.rs") {
            continue; // this file names the servers in its messages
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let src = text.as_bytes();
        for (at, _) in text.match_indices("#[test]") {
            let Some(fn_at) = text[at..].find("fn ").map(|f| at + f) else {
                continue;
            };
            let attributes = &text[at..fn_at];
            let Some(open) = text[fn_at..].find('{').map(|o| fn_at + o) else {
                continue;
            };
            let body = &text[open..block_end(src, open)];
            if !LIVE.iter().any(|m| body.contains(m)) {
                continue;
            }
            live += 1;
            let name: String = text[fn_at + 3..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !attributes.contains("#[ignore = \"needs ") {
                unmarked.push(format!("{}: {name}", file.display()));
            }
        }
    }
    assert!(
        live >= 10,
        "only {live} live tests found: is the scan broken?"
    );
    assert!(
        unmarked.is_empty(),
        "tests that need a database server but are not marked \
         #[ignore = \"needs PostgreSQL at 127.0.0.1:5432 (cargo test -- --include-ignored)\"]:\n{}",
        unmarked.join("\n")
    );
}
