//! Column and table templates (docs/schema-format.md, "Column and table
//! templates"): a document that uses them makes the same DDL as the same
//! document written out by hand, on every dialect, in TOML and in JSON;
//! an error about a part a template gave names the template and the table
//! that used it, at the template's place in the file.

#![allow(clippy::result_large_err)]

use std::path::{Path, PathBuf};

use nomenclator::ddl::{create_plan, drop_plan, DdlOptions};
use nomenclator::dialect;
use nomenclator::document::{load_path, load_str, DocumentError, Format, LoadOptions};
use nomenclator::MetaData;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/templates.toml")
}

/// `examples/templates.toml` written out by hand.
const BY_HAND: &str = r#"
conventions = "sqlalchemy"

[[tables]]
name = "tenant"
columns = [
  { name = "id", type = "bigint", primary_key = true, comment = "surrogate key" },
  { name = "slug", type = "varchar(40)", nullable = false, unique = true },
  { name = "created_at", type = "timestamp", nullable = false, default = "CURRENT_TIMESTAMP" },
  { name = "updated_at", type = "timestamp" },
]
checks = [{ sql = "updated_at >= created_at", name = "updated_after_created" }]
indexes = [{ columns = ["created_at"] }]

[[tables]]
name = "account"
comment = "people who sign in"
columns = [
  { name = "account_id", type = "bigint", primary_key = true, comment = "the account's number" },
  { name = "email", type = "varchar(200)", nullable = false, unique = true, check = { sql = "email LIKE '%@%'", name = "email_has_at" } },
  { name = "tenant_id", type = "bigint", nullable = false },
  { name = "created_at", type = "timestamp", nullable = false, default = "CURRENT_TIMESTAMP" },
  { name = "updated_at", type = "timestamp" },
]
foreign_keys = [{ columns = ["tenant_id"], references = "tenant", on_delete = "CASCADE" }]
checks = [{ sql = "updated_at >= created_at", name = "updated_after_created" }]
indexes = [{ columns = ["created_at"] }]

[[tables]]
name = "invoice"
comment = "rows of one tenant"
columns = [
  { name = "id", type = "bigint", primary_key = true, comment = "surrogate key" },
  { name = "account_id", type = "bigint", nullable = false, references = "account.account_id" },
  { name = "total", type = "numeric(12,2)", nullable = false, default = "0" },
  { name = "tenant_id", type = "bigint", nullable = false },
  { name = "created_at", type = "timestamp", nullable = false, default = "CURRENT_TIMESTAMP" },
  { name = "updated_at", type = "timestamp" },
]
foreign_keys = [{ columns = ["tenant_id"], references = "tenant", on_delete = "CASCADE" }]
checks = [{ sql = "updated_at >= created_at", name = "updated_after_created" }]
indexes = [{ columns = ["tenant_id", "account_id"] }, { columns = ["created_at"] }]
"#;

/// The create and drop scripts of `md` on every dialect.
fn scripts(md: &MetaData) -> Vec<(String, String, String)> {
    dialect::all()
        .into_iter()
        .map(|d| {
            let o = DdlOptions::default();
            let create = create_plan(md, d, &o)
                .and_then(|p| p.script())
                .unwrap_or_else(|e| panic!("{}: {e}", d.name()));
            let drop = drop_plan(md, d, &o)
                .and_then(|p| p.script())
                .unwrap_or_else(|e| panic!("{}: {e}", d.name()));
            (d.name().to_owned(), create.to_string(), drop.to_string())
        })
        .collect()
}

fn toml(text: &str) -> Result<MetaData, DocumentError> {
    load_str(
        text,
        &LoadOptions::new().format(Format::Toml).name("doc.toml"),
    )
}

#[test]
fn templates_make_the_ddl_of_the_document_written_out() {
    let templated = load_path(&example(), &LoadOptions::new()).unwrap_or_else(|e| panic!("{e}"));
    let by_hand = toml(BY_HAND).unwrap_or_else(|e| panic!("{e}"));
    let made = scripts(&templated);
    assert_eq!(made, scripts(&by_hand));
    // The templates' parts are there: names the convention gave them, per table.
    let (_, sqlite, _) = made.iter().find(|(d, _, _)| d == "sqlite").unwrap();
    for name in [
        "ck_tenant_updated_after_created",
        "ck_account_updated_after_created",
        "ck_account_email_has_at",
        "fk_invoice_tenant_id_tenant",
        "ix_invoice_created_at",
    ] {
        assert!(sqlite.contains(name), "{name} not in:\n{sqlite}");
    }
}

#[test]
fn json_documents_take_templates_before_or_after_their_tables() {
    let templates = r#""column_templates": {"id": {"type": "bigint", "primary_key": true}},
  "table_templates": {"timestamps": {"columns": [
    {"name": "created_at", "type": "timestamp", "nullable": false, "default": "CURRENT_TIMESTAMP"},
    {"name": "updated_at", "type": "timestamp"}]}}"#;
    let tables = r#""tables": [{"name": "account", "templates": ["timestamps"],
    "columns": [{"template": "id"}, {"name": "email", "type": "varchar(200)"}]}]"#;
    let by_hand = toml(
        r#"[[tables]]
name = "account"
columns = [
  { name = "id", type = "bigint", primary_key = true },
  { name = "email", type = "varchar(200)" },
  { name = "created_at", type = "timestamp", nullable = false, default = "CURRENT_TIMESTAMP" },
  { name = "updated_at", type = "timestamp" },
]
"#,
    )
    .unwrap();
    let expected = scripts(&by_hand);
    for doc in [
        format!("{{{templates},\n{tables}}}"),
        format!("{{{tables},\n{templates}}}"),
    ] {
        let md = load_str(&doc, &LoadOptions::new()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(scripts(&md), expected, "{doc}");
    }
}

/// The error of loading `text` from a file named `name`, and how it shows.
fn error_of(name: &str, text: &str) -> (DocumentError, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let e = match load_path(&path, &LoadOptions::new()) {
        Err(e) => e,
        Ok(_) => panic!("{name} loaded"),
    };
    let shown = e.to_string();
    assert!(shown.starts_with(&path.display().to_string()), "{shown}");
    (e, shown)
}

#[test]
fn errors_name_the_template_and_the_table_that_used_it() {
    let doc = r#"[column_templates.id]
type = "bigint"
primary_key = true

[column_templates.owner]
type = "bigint"
references = "acount.id"

[table_templates.timestamps]
columns = [
  { name = "created_at", type = "timestamp" },
  { name = "updated_at", type = "timestamp" },
]
uniques = [{ columns = ["created_at", "updatd_at"] }]

[[tables]]
name = "account"
columns = [{ template = "id" }]

[[tables]]
name = "note"
templates = ["timestamps"]
columns = [{ template = "id" }, { template = "owner" }]
"#;
    // The first error: the template's unique, when the table is added.
    let (e, shown) = error_of("t.toml", doc);
    assert_eq!(
        e.place.path.as_deref(),
        Some("table_templates.timestamps.uniques[0].columns[1]")
    );
    assert_eq!(e.place.line_col, Some((14, 39)), "{shown}");
    assert!(
        shown.ends_with(
            "t.toml:14:39: table_templates.timestamps.uniques[0].columns[1]: table \"note\" has no column \"updatd_at\" (did you mean \"updated_at\"?) (from table template \"timestamps\", used by table \"note\")"
        ),
        "{shown}"
    );
    // That fixed, the next: the column template's reference, checked once
    // every table is known.
    let doc = doc.replace("updatd_at", "updated_at");
    let (e, shown) = error_of("t.toml", &doc);
    assert_eq!(e.place.line_col, Some((7, 1)), "{shown}");
    assert!(
        shown.ends_with(
            "column_templates.owner.references: table \"acount\" is not defined (did you mean \"account\"?) (from column template \"owner\", used by table \"note\")\n  help: define the table, or correct the reference"
        ),
        "{shown}"
    );
    // A template that is not defined: at its use.
    let doc = doc.replace(
        "templates = [\"timestamps\"]",
        "templates = [\"timestamp\"]",
    );
    let (e, shown) = error_of("t.toml", &doc);
    assert_eq!(e.place.line_col, Some((22, 14)), "{shown}");
    assert!(
        shown.contains(
            "tables[1].templates[0]: table \"note\" uses table template \"timestamp\", which is not defined (did you mean \"timestamps\"?)"
        ),
        "{shown}"
    );
    // The same in JSON.
    let doc = r#"{"column_templates": {"id": {"type": "bigint", "primary_key": true}},
 "tables": [{"name": "account", "columns": [{"template": "ID"}]}]}"#;
    let (e, shown) = error_of("t.json", doc);
    assert_eq!(e.place.line_col, Some((2, 46)), "{shown}");
    assert!(
        shown.contains(
            "tables[0].columns[0].template: table \"account\" uses column template \"ID\", which is not defined"
        ),
        "{shown}"
    );
}
