//! Prints a large, deterministic schema document for benchmarks.
//!
//! ```text
//! cargo run --release --example generate -- N [--format toml|json] > schema.toml
//! ```
//!
//! N tables of 8 columns under the `sqlalchemy` convention pack. Each table
//! has a primary key, two foreign keys to earlier tables (table 0 has none,
//! table 1 one), a two-column unique constraint, a named check and two
//! indexes. Table names come from a fixed-seed LCG, so the same N always
//! gives the same bytes; some names are long enough that their foreign-key
//! names exceed PostgreSQL's 63 bytes and get shortened.
//!
//! ```text
//! cargo run --release --example generate -- N --ring [--format toml|json] > ring.json
//! ```
//!
//! With `--ring`: N tables `ring_000000`, `ring_000001`, ... of two columns,
//! each with a foreign key to the next and the last to the first, so that
//! all N tables form one foreign-key cycle (a stress test of the dependency
//! sort and of the deferred foreign keys).

use std::fmt::Write as _;
use std::io::Write as _;

const WORDS: &[&str] = &[
    "account",
    "order_line",
    "customer",
    "invoice",
    "inventory_movement_history",
    "shipment",
    "product_variant",
    "warehouse_location_assignment",
    "payment",
    "audit_event",
];

/// Knuth's MMIX LCG, fixed seed: deterministic and dependency-free.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

struct Spec {
    name: String,
    /// Referred tables of `parent_id` and `other_id`.
    fks: Vec<(&'static str, usize)>,
}

fn specs(n: usize) -> Vec<Spec> {
    let mut rng = Lcg(0x5eed);
    let mut names: Vec<String> = Vec::with_capacity(n);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let word = WORDS[(rng.next() % WORDS.len() as u64) as usize];
        names.push(format!("{word}_{i:06}"));
        let mut fks = Vec::new();
        if i >= 1 {
            fks.push(("parent_id", i - 1));
        }
        if i >= 2 {
            fks.push(("other_id", (rng.next() % (i as u64 - 1)) as usize));
        }
        out.push(Spec {
            name: names[i].clone(),
            fks,
        });
    }
    out
}

const COLUMNS: &[(&str, &str, bool)] = &[
    ("id", "bigint", false),
    ("parent_id", "bigint", true),
    ("other_id", "bigint", true),
    ("name", "varchar(80)", false),
    ("code", "varchar(20)", false),
    ("amount", "numeric(12,2)", true),
    ("active", "boolean", false),
    ("created_at", "timestamp", false),
];

fn toml(specs: &[Spec], out: &mut String) {
    out.push_str("conventions = \"sqlalchemy\"\n");
    for s in specs {
        let _ = writeln!(out, "\n[[tables]]\nname = \"{}\"", s.name);
        out.push_str("columns = [\n");
        for (i, (name, ty, nullable)) in COLUMNS.iter().enumerate() {
            if i == 0 {
                let _ = writeln!(
                    out,
                    "  {{ name = \"{name}\", type = \"{ty}\", primary_key = true }},"
                );
            } else {
                let _ = writeln!(
                    out,
                    "  {{ name = \"{name}\", type = \"{ty}\", nullable = {nullable} }},"
                );
            }
        }
        out.push_str("]\n");
        out.push_str("foreign_keys = [");
        for (k, (col, target)) in s.fks.iter().enumerate() {
            let sep = if k == 0 { "" } else { ", " };
            let _ = write!(
                out,
                "{sep}{{ columns = [\"{col}\"], references = \"{}\" }}",
                specs[*target].name
            );
        }
        out.push_str("]\n");
        out.push_str("uniques = [{ columns = [\"code\", \"name\"] }]\n");
        out.push_str("checks = [{ name = \"amount_positive\", sql = \"amount >= 0\" }]\n");
        out.push_str(
            "indexes = [{ columns = [\"name\"] }, { columns = [\"created_at\", \"active\"] }]\n",
        );
    }
}

fn json(specs: &[Spec], out: &mut String) {
    out.push_str("{\n\"conventions\": \"sqlalchemy\",\n\"tables\": [\n");
    for (t, s) in specs.iter().enumerate() {
        let _ = write!(out, "{{\"name\": \"{}\", \"columns\": [", s.name);
        for (i, (name, ty, nullable)) in COLUMNS.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            if i == 0 {
                let _ = write!(
                    out,
                    "{sep}{{\"name\": \"{name}\", \"type\": \"{ty}\", \"primary_key\": true}}"
                );
            } else {
                let _ = write!(
                    out,
                    "{sep}{{\"name\": \"{name}\", \"type\": \"{ty}\", \"nullable\": {nullable}}}"
                );
            }
        }
        out.push_str("],\n \"foreign_keys\": [");
        for (k, (col, target)) in s.fks.iter().enumerate() {
            let sep = if k == 0 { "" } else { ", " };
            let _ = write!(
                out,
                "{sep}{{\"columns\": [\"{col}\"], \"references\": \"{}\"}}",
                specs[*target].name
            );
        }
        out.push_str("],\n \"uniques\": [{\"columns\": [\"code\", \"name\"]}],\n");
        out.push_str(" \"checks\": [{\"name\": \"amount_positive\", \"sql\": \"amount >= 0\"}],\n");
        out.push_str(" \"indexes\": [{\"columns\": [\"name\"]}, {\"columns\": [\"created_at\", \"active\"]}]}");
        out.push_str(if t + 1 == specs.len() { "\n" } else { ",\n" });
    }
    out.push_str("]\n}\n");
}

/// The document for `n` tables in `format` (`toml` or `json`); `None` for another format.
pub fn document(n: usize, format: &str) -> Option<String> {
    let specs = specs(n);
    let mut out = String::with_capacity(n * 900);
    match format {
        "toml" => toml(&specs, &mut out),
        "json" => json(&specs, &mut out),
        _ => return None,
    }
    Some(out)
}

/// The ring document for `n` tables in `format` (`toml` or `json`); `None`
/// for another format.
#[allow(dead_code)]
pub fn ring(n: usize, format: &str) -> Option<String> {
    let mut out = String::with_capacity(n * 200);
    let name = |i: usize| format!("ring_{i:06}");
    match format {
        "toml" => {
            out.push_str("conventions = \"sqlalchemy\"\n");
            for i in 0..n {
                let _ = write!(
                    out,
                    "\n[[tables]]\nname = \"{}\"\ncolumns = [\n  \
                     {{ name = \"id\", type = \"integer\", primary_key = true }},\n  \
                     {{ name = \"next_id\", type = \"integer\", references = \"{}.id\" }},\n]\n",
                    name(i),
                    name((i + 1) % n)
                );
            }
        }
        "json" => {
            out.push_str("{\n\"conventions\": \"sqlalchemy\",\n\"tables\": [\n");
            for i in 0..n {
                let _ = writeln!(
                    out,
                    "{{\"name\": \"{}\", \"columns\": [\
                     {{\"name\": \"id\", \"type\": \"integer\", \"primary_key\": true}}, \
                     {{\"name\": \"next_id\", \"type\": \"integer\", \"references\": \"{}.id\"}}]}}{}",
                    name(i),
                    name((i + 1) % n),
                    if i + 1 == n { "" } else { "," }
                );
            }
            out.push_str("]\n}\n");
        }
        _ => return None,
    }
    Some(out)
}

/// The tables of the document for `n` tables: name and (column, referred table) foreign keys.
#[allow(dead_code)]
pub fn tables(n: usize) -> Vec<(String, Vec<(&'static str, String)>)> {
    let specs = specs(n);
    specs
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                s.fks
                    .iter()
                    .map(|(c, t)| (*c, specs[*t].name.clone()))
                    .collect(),
            )
        })
        .collect()
}

/// The columns of every table: (name, type, nullable); the first is the primary key.
#[allow(dead_code)]
pub const TABLE_COLUMNS: &[(&str, &str, bool)] = COLUMNS;

#[allow(dead_code)]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: generate N [--ring] [--format toml|json]";
    let mut n = None;
    let mut ring_of = false;
    let mut format = "toml".to_owned();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--format" => format = it.next().cloned().unwrap_or_default(),
            "--ring" => ring_of = true,
            s if s.starts_with("--format=") => format = s["--format=".len()..].to_owned(),
            s => match s.replace('_', "").parse::<usize>() {
                Ok(v) if n.is_none() => n = Some(v),
                _ => {
                    eprintln!("{usage}");
                    std::process::exit(2);
                }
            },
        }
    }
    let Some(n) = n else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let out = if ring_of {
        ring(n, &format)
    } else {
        document(n, &format)
    };
    let Some(out) = out else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(out.as_bytes()).is_err() {
        std::process::exit(1);
    }
}
