//! `nomenclator graph` and `diff --format dot|svg`: entity–relationship
//! diagrams of documents and databases, limited to some tables; and the
//! diagrams rendered by the tools that read them — Mermaid's own CLI (in
//! Chromium), Graphviz, and Chromium for the SVG — which
//! `scripts/setup-render.sh` installs. The render tests are ignored where
//! those tools may be missing and run by `.ci/run` (`--include-ignored`),
//! where a missing tool fails them.

#![allow(clippy::result_large_err)]

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;

mod engine_support;

fn nomenclator() -> Command {
    Command::cargo_bin("nomenclator").expect("binary built")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn shop() -> PathBuf {
    root().join("examples/shop.toml")
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn graph_draws_columns_keys_and_names_in_each_format() {
    let m = stdout(
        nomenclator()
            .arg("graph")
            .arg(shop())
            .args(["--format", "mermaid"]),
    );
    assert!(m.starts_with("erDiagram\n"), "{m}");
    assert!(m.contains("    integer id PK \"pk_organization\""), "{m}");
    assert!(
        m.contains("organization ||..o{ customer : \"fk_customer_organization_id_organization\""),
        "{m}"
    );
    let dot = stdout(nomenclator().arg("graph").arg(shop()));
    assert!(dot.starts_with("digraph schema {"), "{dot}");
    assert!(dot.contains("ix_order_line_product_id"), "{dot}");
    assert!(dot.contains("t4:c0:e -> t3:k0:w"), "{dot}");
    let svg = stdout(
        nomenclator()
            .arg("graph")
            .arg(shop())
            .args(["--format", "svg"]),
    );
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    assert!(svg.contains("ck_product_price_not_negative"), "{svg}");
}

#[test]
fn graph_names_are_those_of_the_dialect() {
    // MySQL names a unique constraint's index after the constraint, and
    // limits names to 64 characters; the sqlalchemy pack's names here are
    // the same, but the types are the document's in every dialect.
    for d in ["sqlite", "postgresql", "mysql"] {
        let m = stdout(nomenclator().arg("graph").arg(shop()).args([
            "--format",
            "mermaid",
            "--dialect",
            d,
        ]));
        assert!(m.contains("fk_order_line_product_id_product"), "{d}: {m}");
    }
}

#[test]
fn graph_tables_limits_the_diagram() {
    let m = stdout(nomenclator().arg("graph").arg(shop()).args([
        "--format", "mermaid", "--tables", "order*", "--tables", "product",
    ]));
    let entities: Vec<&str> = m
        .lines()
        .filter(|l| l.ends_with(" {"))
        .map(|l| l.trim().trim_end_matches(" {"))
        .collect();
    assert_eq!(entities, ["product", "order", "order_line"], "{m}");
    // Keys to tables left out are not drawn.
    assert!(!m.contains("customer {"), "{m}");
    assert_eq!(m.matches(" : ").count(), 2, "{m}");
}

#[test]
fn graph_draws_a_live_database() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("shop.db").display());
    nomenclator()
        .arg("apply")
        .arg(shop())
        .args(["--url", &url])
        .assert()
        .success();
    let m = stdout(nomenclator().args(["graph", "--format", "mermaid", "--url", &url]));
    // SQLite keeps the names in the statements' text: reflection reads them.
    assert!(m.contains("fk_order_line_product_id_product"), "{m}");
    assert!(
        m.contains("  order {\n    INTEGER id PK \"pk_order\""),
        "{m}"
    );
    let m = stdout(nomenclator().args([
        "graph", "--format", "mermaid", "--url", &url, "--tables", "org*",
    ]));
    assert_eq!(m.matches(" {\n").count(), 1, "{m}");
    // A document and a URL at once is refused.
    nomenclator()
        .arg("graph")
        .arg(shop())
        .args(["--url", &url])
        .assert()
        .failure();
}

/// The example applied to a server, drawn back through reflection with the
/// names the server keeps; and a migration of it drawn against the server.
fn a_server_draws_what_it_keeps(url: &str) {
    nomenclator()
        .arg("apply")
        .arg(shop())
        .args(["--url", url])
        .assert()
        .success();
    let m = stdout(nomenclator().args(["graph", "--format", "mermaid", "--url", url]));
    assert!(
        m.contains("organization ||..o{ product : \"fk_product_organization_id_organization\""),
        "{m}"
    );
    assert!(m.contains("ix_order_line_product_id"), "{m}");
    let dot = stdout(
        nomenclator()
            .arg("diff")
            .arg(root().join("tests/fixtures/diagram/shop_v2.toml"))
            .args(["--url", url, "--format", "dot"]),
    );
    assert!(dot.contains("+ review"), "{dot}");
    assert!(dot.contains("<S>− placed_at</S>"), "{dot}");
}

#[test]
#[ignore = "needs PostgreSQL on 127.0.0.1:5432"]
fn postgresql_graph_and_diff_draw_the_database() {
    let db = engine_support::postgres("graph_draw");
    a_server_draws_what_it_keeps(&db.url);
}

#[test]
#[ignore = "needs MariaDB on 127.0.0.1:3306"]
fn mariadb_graph_and_diff_draw_the_database() {
    let db = engine_support::mariadb("graph_draw");
    a_server_draws_what_it_keeps(&db.url);
}

#[test]
fn diff_draws_what_a_migration_touches() {
    let v2 = root().join("tests/fixtures/diagram/shop_v2.toml");
    let dot = stdout(nomenclator().arg("diff").arg(shop()).arg(&v2).args([
        "--dialect",
        "postgresql",
        "--format",
        "dot",
    ]));
    assert!(dot.contains("~ article</B> (was product)"), "{dot}");
    assert!(dot.contains("+ review"), "{dot}");
    assert!(!dot.contains(">organization<"), "untouched: {dot}");
    let svg = stdout(nomenclator().arg("diff").arg(shop()).arg(&v2).args([
        "--dialect",
        "postgresql",
        "--format",
        "svg",
    ]));
    assert!(svg.contains("+ shipped_at"), "{svg}");
    assert!(
        svg.contains("text-decoration=\"line-through\">− placed_at"),
        "{svg}"
    );
}

#[test]
fn the_pictures_of_the_docs_are_what_the_command_prints() {
    let v2 = root().join("tests/fixtures/diagram/shop_v2.toml");
    let pg = ["--dialect", "postgresql"];
    let cases: [(&str, String); 3] = [
        (
            "docs/images/shop.svg",
            stdout(
                nomenclator()
                    .arg("graph")
                    .arg(shop())
                    .args(pg)
                    .args(["--format", "svg"]),
            ),
        ),
        (
            "docs/images/shop.mmd",
            stdout(
                nomenclator()
                    .arg("graph")
                    .arg(shop())
                    .args(pg)
                    .args(["--format", "mermaid"]),
            ),
        ),
        (
            "docs/images/shop-diff.svg",
            stdout(
                nomenclator()
                    .arg("diff")
                    .arg(shop())
                    .arg(&v2)
                    .args(pg)
                    .args(["--format", "svg"]),
            ),
        ),
    ];
    for (file, now) in cases {
        let kept = std::fs::read_to_string(root().join(file)).unwrap();
        assert!(
            kept == now,
            "{file} is not what the command prints today: run scripts/render-images.sh"
        );
    }
    // The guide's Mermaid block is the picture's text.
    let guide = std::fs::read_to_string(root().join("docs/guide.md")).unwrap();
    let mmd = std::fs::read_to_string(root().join("docs/images/shop.mmd")).unwrap();
    assert!(
        guide.contains(&format!("```mermaid\n{mmd}```\n")),
        "docs/guide.md's mermaid block is not docs/images/shop.mmd"
    );
}

// ---------------------------------------------------------------- rendering

/// A tool the render tests need: its path, or a failure that says how to
/// install it.
fn tool(name: &str) -> PathBuf {
    let local = root().join("target/render/node_modules/.bin").join(name);
    if local.exists() {
        return local;
    }
    let found = Process::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    found.unwrap_or_else(|| {
        panic!(
            "{name} is not installed: this test needs it. Run scripts/setup-render.sh \
             (.ci/run does), or run `cargo test` without --include-ignored to leave the \
             render tests out"
        )
    })
}

/// A document of `n` tables, each referring to up to three earlier ones.
fn many(n: usize) -> String {
    let mut tables = Vec::new();
    for i in 0..n {
        let mut cols = vec![r#"{"name": "id", "type": "integer", "primary_key": true}"#.to_owned()];
        for k in [i / 2, i / 3, i * 7 / 11] {
            if k < i && !cols.iter().any(|c| c.contains(&format!("\"t{k}_id\""))) {
                cols.push(format!(
                    r#"{{"name": "t{k}_id", "type": "integer", "references": "table_{k}.id", "index": true}}"#
                ));
            }
        }
        cols.push(r#"{"name": "title", "type": "varchar(80)", "nullable": false}"#.to_owned());
        tables.push(format!(
            r#"{{"name": "table_{i}", "columns": [{}]}}"#,
            cols.join(", ")
        ));
    }
    format!(
        r#"{{"conventions": "sqlalchemy", "tables": [{}]}}"#,
        tables.join(",\n")
    )
}

/// The documents the render tests draw: the example, hostile names, 50 tables.
fn documents(dir: &Path) -> Vec<PathBuf> {
    let fifty = dir.join("fifty.json");
    std::fs::write(&fifty, many(50)).unwrap();
    let hostile = dir.join("hostile.toml");
    std::fs::write(
        &hostile,
        "conventions = \"sqlalchemy\"\n[[tables]]\nname = 'a\"b <i>&amp; #c'\nschema = \"s 1\"\n\
         columns = [{ name = \"id\", type = \"integer\", primary_key = true }, \
         { name = 'x\"y', type = \"numeric(10,2)\", unique = true }]\n\
         [[tables]]\nname = \"t\"\ncolumns = [{ name = \"a_id\", type = \"integer\", \
         references = 's 1.a\"b <i>&amp; #c.id' }]\n\
         [[tables]]\nname = \"class\"\ncolumns = [{ name = \"pk\", type = \"integer\", \
         primary_key = true }, { name = \"to\", type = \"integer\" }]\n\
         [[tables]]\nname = \"one\"\ncolumns = [{ name = \"end\", type = \"integer\", \
         references = \"class.pk\" }]\n",
    )
    .unwrap();
    vec![shop(), hostile, fifty]
}

fn run(cmd: &mut Process) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
#[ignore = "needs the Mermaid CLI and Chromium (scripts/setup-render.sh; cargo test -- --include-ignored)"]
fn mermaid_renders_every_diagram() {
    let mmdc = tool("mmdc");
    let config = root().join("target/render/puppeteer.json");
    assert!(
        config.exists(),
        "{} is missing: run scripts/setup-render.sh",
        config.display()
    );
    let dir = tempfile::tempdir().unwrap();
    for doc in documents(dir.path()) {
        let text = stdout(
            nomenclator()
                .arg("graph")
                .arg(&doc)
                .args(["--format", "mermaid"]),
        );
        let input = dir.path().join("in.mmd");
        let output = dir.path().join("out.svg");
        std::fs::write(&input, &text).unwrap();
        run(Process::new(&mmdc)
            .arg("-p")
            .arg(&config)
            .arg("-i")
            .arg(&input)
            .arg("-o")
            .arg(&output)
            .arg("-q"));
        let svg = std::fs::read_to_string(&output).unwrap();
        // Mermaid draws a parse error as a picture of its own.
        assert!(!svg.contains("Syntax error"), "{}: {text}", doc.display());
        assert!(svg.contains("erDiagram") || svg.contains("er-"), "{svg}");
    }
    // The check can fail: a diagram Mermaid cannot read is refused.
    let bad = dir.path().join("bad.mmd");
    std::fs::write(&bad, "erDiagram\n  a ||--o{ : \"x\"\n  b {{ int\n").unwrap();
    let out = Process::new(&mmdc)
        .arg("-p")
        .arg(&config)
        .arg("-i")
        .arg(&bad)
        .arg("-o")
        .arg(dir.path().join("bad.svg"))
        .output()
        .unwrap();
    assert!(!out.status.success(), "a broken diagram rendered");
}

#[test]
#[ignore = "needs Graphviz (scripts/setup-render.sh; cargo test -- --include-ignored)"]
fn graphviz_renders_every_diagram_without_a_warning() {
    let dot = tool("dot");
    let dir = tempfile::tempdir().unwrap();
    let mut texts: Vec<String> = documents(dir.path())
        .iter()
        .map(|doc| stdout(nomenclator().arg("graph").arg(doc)))
        .collect();
    texts.push(stdout(
        nomenclator()
            .arg("diff")
            .arg(shop())
            .arg(root().join("tests/fixtures/diagram/shop_v2.toml"))
            .args(["--dialect", "postgresql", "--format", "dot"]),
    ));
    for text in texts {
        let input = dir.path().join("in.dot");
        std::fs::write(&input, &text).unwrap();
        let out = run(Process::new(&dot).arg("-Tsvg").arg(&input));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.trim().is_empty(), "{stderr}\n{text}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
    }
}

#[test]
#[ignore = "needs Chromium (scripts/setup-render.sh; cargo test -- --include-ignored)"]
fn chromium_reads_every_svg() {
    let chromium = tool("chromium");
    let dir = tempfile::tempdir().unwrap();
    for doc in documents(dir.path()) {
        let svg = stdout(
            nomenclator()
                .arg("graph")
                .arg(&doc)
                .args(["--format", "svg"]),
        );
        let file = dir.path().join("in.svg");
        std::fs::write(&file, &svg).unwrap();
        // The browser's own reading of the file: a malformed picture is a
        // page with a <parsererror>.
        let out = run(Process::new(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--dump-dom",
            ])
            .arg(format!("file://{}", file.display())));
        let dom = String::from_utf8_lossy(&out.stdout);
        assert!(dom.contains("<svg"), "{}: {dom}", doc.display());
        assert!(!dom.contains("parsererror"), "{}: {dom}", doc.display());
    }
}
