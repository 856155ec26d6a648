//! Diagrams as a Mermaid `erDiagram`.

use super::text::clip;
use super::{Diagram, Link, ObjectKind};

/// Words Mermaid's `erDiagram` reads as its own where an entity's name
/// stands (compared without case): such a table gets an alias.
const ENTITY_KEYWORDS: &[&str] = &[
    "accdescr",
    "acctitle",
    "class",
    "classdef",
    "direction",
    "end",
    "erdiagram",
    "many",
    "more",
    "one",
    "only",
    "optionally",
    "or",
    "style",
    "title",
    "to",
    "zero",
];

/// A word Mermaid reads as an entity name, an attribute's name or type:
/// letters, digits, `_` and `-` (and the type's brackets); anything else
/// becomes `_`, and a key marker (`PK`, `FK`, `UK`, in any case) gets a
/// `_` after it.
fn word(s: &str, brackets: bool) -> String {
    let mut out: String = s
        .chars()
        .map(|c| match c {
            c if c.is_ascii_alphanumeric() || c == '_' || c == '-' => c,
            '(' | ')' | '[' | ']' if brackets => c,
            _ => '_',
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    if ["pk", "fk", "uk"].contains(&out.to_ascii_lowercase().as_str()) {
        out.push('_');
    }
    out
}

/// Text inside Mermaid's double quotes: the characters Mermaid would read
/// as markup or as the quote's end written as its entity codes.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '#' => out.push_str("#35;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Mermaid's two ends of a relationship: the referred side (exactly one,
/// or zero or one for an optional key) and the referring side (zero or
/// more, or zero or one for a one-to-one key); `--` for an identifying
/// key, `..` for the others.
fn cardinality(l: &Link) -> String {
    let left = if l.optional { "|o" } else { "||" };
    let right = if l.one_to_one { "o|" } else { "o{" };
    let line = if l.identifying { "--" } else { ".." };
    format!("{left}{line}{right}")
}

impl Diagram {
    /// The diagram as a Mermaid `erDiagram`: each table with its columns,
    /// types and `PK`/`FK`/`UK` markers, the names of the constraints and
    /// indexes a column starts as its comment; each foreign key a
    /// relationship from the referred table to the referring one, named
    /// after the key, with its cardinality.
    pub fn mermaid(&self) -> String {
        // Entity ids: the table's name where it is a plain word used once,
        // else `t<i>`; the label is always the full name.
        let mut seen = std::collections::HashMap::<String, usize>::new();
        for e in &self.entities {
            *seen.entry(e.name.clone()).or_default() += 1;
        }
        let plain: Vec<bool> = self
            .entities
            .iter()
            .map(|e| {
                e.schema.is_none()
                    && seen[&e.name] == 1
                    && word(&e.name, false) == e.name
                    && !ENTITY_KEYWORDS.contains(&e.name.to_ascii_lowercase().as_str())
            })
            .collect();
        let taken: std::collections::HashSet<&str> = self
            .entities
            .iter()
            .zip(&plain)
            .filter(|(_, p)| **p)
            .map(|(e, _)| e.name.as_str())
            .collect();
        let ids: Vec<String> = self
            .entities
            .iter()
            .enumerate()
            .map(|(i, e)| {
                if plain[i] {
                    return e.name.clone();
                }
                let mut id = format!("t{i}");
                while taken.contains(id.as_str()) {
                    id.push('_');
                }
                id
            })
            .collect();
        let mut out = String::from("erDiagram\n");
        for (i, e) in self.entities.iter().enumerate() {
            let full = e.full_name();
            if ids[i] == full {
                out.push_str(&format!("  {} {{\n", ids[i]));
            } else {
                out.push_str(&format!("  {}[\"{}\"] {{\n", ids[i], quoted(&full)));
            }
            for c in &e.columns {
                let ty = if c.ty.is_empty() {
                    "untyped".to_owned()
                } else {
                    word(&c.ty, true)
                };
                out.push_str(&format!("    {ty} {}", word(&c.name, false)));
                let m = c.markers();
                if !m.is_empty() {
                    out.push(' ');
                    out.push_str(&m.join(", "));
                }
                // The names of what this column starts.
                let names: Vec<String> = e
                    .objects
                    .iter()
                    .filter(|x| !x.name.is_empty() && x.kind != ObjectKind::Check)
                    .filter(|x| first_column(&x.detail) == c.name)
                    .map(|x| x.name.clone())
                    .collect();
                let mut comment = names.join(", ");
                if word(&c.name, false) != c.name {
                    comment = format!("{} {comment}", c.name);
                }
                if !comment.trim().is_empty() {
                    out.push_str(&format!(" \"{}\"", quoted(&clip(comment.trim(), 200))));
                }
                out.push('\n');
            }
            out.push_str("  }\n");
        }
        for l in &self.links {
            let label = match &l.name {
                Some(n) => n.clone(),
                None => {
                    let e = &self.entities[l.from];
                    l.from_columns
                        .iter()
                        .map(|&i| e.columns[i].name.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            let label = if l.deferred {
                format!("{label} (deferred)")
            } else {
                label
            };
            out.push_str(&format!(
                "  {} {} {} : \"{}\"\n",
                ids[l.to],
                cardinality(l),
                ids[l.from],
                quoted(&label)
            ));
        }
        out
    }
}

/// The first column of an object's detail (`a, b → t`: `a`).
fn first_column(detail: &str) -> &str {
    detail.split([',', ' ']).next().unwrap_or_default()
}
