//! The workspace's `rust-version` stays true: no crate that the lock file
//! pins, and that this machine has built, declares a newer one; the README
//! says the same version.
//!
//! The crates are read where cargo unpacked them (`$CARGO_HOME/registry/src`):
//! a crate of the lock file that is not there was not needed for this
//! platform's build (a Windows-only crate on Linux) and is passed over.

use std::path::{Path, PathBuf};

/// `1.89` → `[1, 89]`; `1.88.0` → `[1, 88, 0]`, compared as numbers.
fn version(v: &str) -> Vec<u64> {
    v.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

fn newer(a: &str, b: &str) -> bool {
    let (mut a, mut b) = (version(a), version(b));
    let n = a.len().max(b.len());
    a.resize(n, 0);
    b.resize(n, 0);
    a > b
}

/// Crates that only a test builds (the cli's dev-dependency on refinery,
/// which runs the files `diff --migrations refinery` writes): building or
/// installing nomenclator never compiles them, so their newer
/// `rust-version` (1.92) is no promise of ours.
const TEST_ONLY: &[&str] = &["refinery", "refinery-core", "refinery-macros"];

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .expect("CARGO_HOME or HOME")
}

#[test]
fn rust_version_is_at_least_what_every_locked_crate_needs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("Cargo.toml")).unwrap()).unwrap();
    let declared = manifest["workspace"]["package"]["rust-version"]
        .as_str()
        .expect("[workspace.package] rust-version")
        .to_owned();

    let lock: toml::Table =
        toml::from_str(&std::fs::read_to_string(root.join("Cargo.lock")).unwrap()).unwrap();
    let registries: Vec<PathBuf> = std::fs::read_dir(cargo_home().join("registry/src"))
        .map(|dirs| dirs.filter_map(|d| Some(d.ok()?.path())).collect())
        .unwrap_or_default();
    let mut found = 0;
    let mut too_new = Vec::new();
    for package in lock["package"].as_array().unwrap() {
        if package.get("source").is_none() {
            continue; // the workspace's own crates
        }
        let name = package["name"].as_str().unwrap();
        let v = package["version"].as_str().unwrap();
        if TEST_ONLY.contains(&name) {
            continue;
        }
        let Some(crate_manifest) = registries
            .iter()
            .map(|r| r.join(format!("{name}-{v}/Cargo.toml")))
            .find(|p| p.exists())
        else {
            continue;
        };
        found += 1;
        let text = std::fs::read_to_string(&crate_manifest).unwrap();
        let parsed: toml::Table = toml::from_str(&text).unwrap();
        let needs = parsed
            .get("package")
            .and_then(|p| p.get("rust-version"))
            .and_then(|r| r.as_str());
        if let Some(needs) = needs {
            if newer(needs, &declared) {
                too_new.push(format!("{name} {v} needs Rust {needs}"));
            }
        }
    }
    assert!(
        found >= 100,
        "only {found} locked crates found under {}: build the workspace first",
        cargo_home().join("registry/src").display()
    );
    assert!(
        too_new.is_empty(),
        "rust-version = \"{declared}\" in Cargo.toml is not true:\n{}\nraise it (and the README's) to the newest of these",
        too_new.join("\n")
    );

    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("Rust toolchain ({declared} or newer)")),
        "the README does not say \"Rust toolchain ({declared} or newer)\""
    );
}

#[test]
fn versions_compare_as_numbers() {
    assert!(newer("1.89.0", "1.88"));
    assert!(newer("1.100", "1.89"));
    assert!(!newer("1.89.0", "1.89"));
    assert!(!newer("1.85", "1.89"));
}
