//! The layers point one way (docs/architecture.md): no two source files of
//! the library import each other, and the top-level modules form no circle
//! (the model — `schema` and `events` — counts as one layer). Imports are
//! read from the source text: `crate::a::b` and `super::b` paths, with an
//! item re-exported by a `mod.rs` (`pub use child::Item`) followed to the
//! file that defines it. The library holds no `unsafe` code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file: `src/ddl/plan.rs` → `["ddl", "plan"]`.
fn module_of(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The file of a module path, if there is one.
fn file_of(module: &[String]) -> Option<PathBuf> {
    if module.is_empty() {
        return Some(src().join("lib.rs"));
    }
    let base = module.iter().fold(src(), |p, m| p.join(m));
    let flat = base.with_extension("rs");
    let nested = base.join("mod.rs");
    [flat, nested].into_iter().find(|p| p.exists())
}

/// Code without comments and string literals (roughly: enough for paths).
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path an import or a qualified name starts at: `crate::a::b::C`
/// and `super::b::C`, with `{a, b::c}` groups expanded one level.
fn paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for root in ["crate::", "super::"] {
        let mut rest = code;
        while let Some(i) = rest.find(root) {
            let before = rest[..i].chars().last();
            rest = &rest[i..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                rest = &rest[root.len()..];
                continue;
            }
            let head = root.trim_end_matches("::").to_owned();
            let tail = &rest[root.len()..];
            let mut segs = vec![head];
            let mut t = tail;
            loop {
                let end = t
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(t.len());
                if end == 0 {
                    break;
                }
                segs.push(t[..end].to_owned());
                t = &t[end..];
                if let Some(r) = t.strip_prefix("::") {
                    t = r;
                } else {
                    break;
                }
            }
            if t.starts_with('{') {
                let close = t.find('}').unwrap_or(t.len());
                for item in t[1..close].split(',') {
                    let mut s = segs.clone();
                    s.extend(
                        item.trim()
                            .split("::")
                            .map(|x| x.split_whitespace().next().unwrap_or("").to_owned())
                            .filter(|x| !x.is_empty() && x != "self"),
                    );
                    out.push(s);
                }
            } else {
                out.push(segs);
            }
            rest = &rest[root.len()..];
        }
    }
    out
}

/// The child module a `mod.rs` re-exports `item` from, if it does.
fn reexported_from(module_file: &Path, item: &str) -> Option<String> {
    let text = code(&std::fs::read_to_string(module_file).ok()?);
    for stmt in text.split(';') {
        let stmt = stmt.trim();
        let Some(rest) = stmt
            .strip_prefix("pub use ")
            .or_else(|| stmt.strip_prefix("pub(crate) use "))
        else {
            continue;
        };
        let Some((child, items)) = rest.split_once("::") else {
            continue;
        };
        let names: Vec<&str> = items
            .trim_matches(|c| c == '{' || c == '}')
            .split(',')
            .map(|s| {
                s.split_whitespace()
                    .last()
                    .unwrap_or("")
                    .rsplit("::")
                    .next()
                    .unwrap_or("")
            })
            .collect();
        if names.contains(&item) && !child.contains(' ') {
            return Some(child.to_owned());
        }
    }
    None
}

/// The file a path points into.
fn target(from: &[String], path: &[String]) -> Option<PathBuf> {
    let mut module: Vec<String> = match path[0].as_str() {
        "crate" => Vec::new(),
        _ => from[..from.len().saturating_sub(1)].to_vec(),
    };
    let mut found = file_of(&module);
    for seg in &path[1..] {
        module.push(seg.clone());
        match file_of(&module) {
            Some(f) => found = Some(f),
            None => {
                // An item: followed through its module's re-export.
                module.pop();
                let here = found.clone()?;
                if let Some(child) = reexported_from(&here, seg) {
                    module.push(child);
                    if let Some(f) = file_of(&module) {
                        return Some(f);
                    }
                }
                return Some(here);
            }
        }
    }
    found
}

fn layer(module: &[String]) -> String {
    match module.first().map(String::as_str) {
        None => "lib".into(),
        Some("schema" | "events") => "model".into(),
        Some(m) => m.into(),
    }
}

#[test]
fn layers_point_one_way() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut edges: BTreeSet<(PathBuf, PathBuf)> = BTreeSet::new();
    let mut layers: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let from = module_of(f);
        let text = std::fs::read_to_string(f).unwrap();
        for p in paths(&code(&text)) {
            let Some(t) = target(&from, &p) else { continue };
            if &t == f || t == src().join("lib.rs") {
                continue;
            }
            // A `mod.rs` and its own children are one module.
            let to = module_of(&t);
            if !(to.len() > from.len() && to.starts_with(&from)) {
                edges.insert((f.clone(), t.clone()));
            }
            let (a, b) = (layer(&from), layer(&to));
            if a != b && a != "lib" && a != "error" && b != "lib" {
                layers.entry(a).or_default().insert(b);
            }
        }
    }
    let rel = |p: &Path| p.strip_prefix(src()).unwrap().display().to_string();
    let pairs: Vec<String> = edges
        .iter()
        .filter(|(a, b)| a < b && edges.contains(&(b.clone(), a.clone())))
        .map(|(a, b)| format!("{} <-> {}", rel(a), rel(b)))
        .collect();
    assert!(
        pairs.is_empty(),
        "files that import each other:\n{}",
        pairs.join("\n")
    );
    // A circle between layers: a layer that reaches itself.
    let mut circles = Vec::new();
    for start in layers.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = layers[start].iter().cloned().collect();
        while let Some(l) = stack.pop() {
            if &l == start {
                circles.push(start.clone());
                break;
            }
            if seen.insert(l.clone()) {
                stack.extend(layers.get(&l).into_iter().flatten().cloned());
            }
        }
    }
    assert!(
        circles.is_empty(),
        "layers in a circle: {circles:?}; imports between layers: {layers:?}"
    );
    assert!(edges.len() > 50, "only {} imports read", edges.len());
}

#[test]
fn the_library_has_no_unsafe_code() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| {
            let text = code(&std::fs::read_to_string(f).unwrap());
            text.contains("unsafe ") || text.contains("unsafe{")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "unsafe code in {offenders:?}");
}
