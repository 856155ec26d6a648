//! Golden DDL per dialect: each statement kind, hostile identifiers, cycles
//! with and without use_alter, views and custom DDL with dialect filters.

use nomenclator::ddl::{create_plan, create_script, drop_plan, drop_script, DdlOptions};
use nomenclator::dialect;
use nomenclator::document::{load_str, Format, LoadOptions};

const DOC: &str = r#"
conventions = "sqlalchemy"

[[tables]]
name = "user"
schema = "s1"
comment = "People's accounts"
  [[tables.columns]]
  name = "id"
  type = "integer"
  primary_key = true
  [[tables.columns]]
  name = "Mixed Case"
  type = "varchar(40)"
  unique = true
  comment = "it's \\ here"
  [[tables.columns]]
  name = 'we"ird`name'
  type = "boolean"
  check = { sql = "1 = 1", name = "truthy" }
  [[tables.columns]]
  name = "café"
  type = "numeric(10,2)"
  index = true
  [[tables.ddl]]
  when = "after_create"
  sql = "GRANT SELECT ON %(fullname)s TO reader"
  dialects = ["postgresql"]

[[tables]]
name = "order"
  [[tables.columns]]
  name = "id"
  type = "bigint"
  primary_key = true
  [[tables.columns]]
  name = "user_id"
  type = "integer"
  references = "s1.user.id"
  on_delete = "CASCADE"
  [[tables.columns]]
  name = "next_id"
  type = "bigint"
  [[tables.columns]]
  name = "at"
  type = "timestamp"
  default = "CURRENT_TIMESTAMP"
  nullable = false
  [[tables.ddl]]
  when = "before_drop"
  sql = "-- dropping %(table)s"
  [[tables.foreign_keys]]
  columns = ["next_id"]
  references = "line"

[[tables]]
name = "line"
  [[tables.columns]]
  name = "id"
  type = "bigint"
  primary_key = true
  [[tables.columns]]
  name = "order_id"
  type = "bigint"
  references = "order.id"
  [[tables.columns]]
  name = "self_id"
  type = "bigint"
  references = "line.id"
  [[tables.columns]]
  name = "ua"
  type = "integer"
  [[tables.foreign_keys]]
  columns = ["ua"]
  references = "s1.user"
  use_alter = true
  name = "line_user_alter"
  [[tables.checks]]
  sql = "ua > 0"
  name = "positive"

[[views]]
name = "recent"
sql = "SELECT id FROM \"order\""

[[ddl]]
when = "before_create"
sql = "SELECT 'begin %%'"
dialects = ["sqlite", "mysql"]
"#;

#[test]
fn golden() {
    let md = load_str(
        DOC,
        Format::Toml,
        "golden.toml",
        None,
        &LoadOptions::default(),
    )
    .expect("document loads");
    for d in dialect::all() {
        let o = DdlOptions {
            database: Some("app".into()),
            ..Default::default()
        };
        let create = create_plan(&md, d, &o)
            .unwrap_or_else(|e| panic!("{}: {e}", d.name()))
            .script();
        let drop = drop_plan(&md, d, &o)
            .unwrap_or_else(|e| panic!("{}: {e}", d.name()))
            .script();
        insta::assert_snapshot!(format!("{}_create", d.name()), create);
        insta::assert_snapshot!(format!("{}_drop", d.name()), drop);
    }
}

/// The plan's script and the direct script are the same text, or the same error.
fn same_script(
    what: &str,
    plan: Result<String, nomenclator::Error>,
    direct: Result<String, nomenclator::Error>,
) {
    match (&plan, &direct) {
        (Ok(p), Ok(s)) => assert_eq!(p, s, "{what}"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{what}"),
        _ => panic!("{what}: plan {plan:?}, script {direct:?}"),
    }
}

/// `create_script`/`drop_script` render straight into one string; they must
/// give exactly the plan's script, or the same error, for every document.
#[test]
fn direct_scripts_match_plans() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/sqlalchemy");
    let mut docs = vec![("golden.toml".to_owned(), DOC.to_owned(), Format::Toml)];
    for entry in std::fs::read_dir(&root).expect("corpus present") {
        let dir = entry.expect("corpus entry").path();
        let (file, format) = if dir.join("schema.json").exists() {
            (dir.join("schema.json"), Format::Json)
        } else {
            (dir.join("schema.toml"), Format::Toml)
        };
        let text = std::fs::read_to_string(&file).expect("corpus document");
        docs.push((file.display().to_string(), text, format));
    }
    assert!(docs.len() > 300, "{} documents", docs.len());
    let mut compared = 0;
    for (name, text, format) in &docs {
        let Ok(md) = load_str(text, *format, name, None, &LoadOptions::default()) else {
            continue;
        };
        for d in dialect::all() {
            let o = DdlOptions::default();
            let what = format!("{name} {}", d.name());
            same_script(
                &format!("{what} create"),
                create_plan(&md, d, &o).map(|p| p.script()),
                create_script(&md, d, &o),
            );
            same_script(
                &format!("{what} drop"),
                drop_plan(&md, d, &o).map(|p| p.script()),
                drop_script(&md, d, &o),
            );
            compared += 1;
        }
    }
    assert!(compared > 800, "{compared} document/dialect pairs compared");
}

/// A JSON document of `n` tables, each referring to the one before it (and,
/// with `cycle`, the first referring to the last, so that every table is in
/// one cycle).
fn chain_document(n: usize, cycle: bool) -> String {
    let tables: Vec<String> = (0..n)
        .map(|i| {
            let parent = match (i, cycle) {
                (0, false) => String::new(),
                (0, true) => format!(r#", "references": "t{:05}.id""#, n - 1),
                _ => format!(r#", "references": "t{:05}.id""#, i - 1),
            };
            format!(
                r#"{{"name": "t{i:05}", "columns": [
                    {{"name": "id", "type": "integer", "primary_key": true}},
                    {{"name": "parent_id", "type": "integer"{parent}}},
                    {{"name": "code", "type": "varchar(20)", "unique": true}},
                    {{"name": "amount", "type": "numeric(12,2)",
                     "check": {{"sql": "amount >= 0", "name": "amount_positive"}}}}],
                  "indexes": [{{"columns": ["code", "amount"]}}]}}"#
            )
        })
        .collect();
    format!(
        r#"{{"conventions": "sqlalchemy", "tables": [{}]}}"#,
        tables.join(",\n")
    )
}

/// Large scripts are rendered in pieces on two threads: the pieces, joined,
/// must be exactly the plan's script (rendered in order on one thread), with
/// and without a cycle among the tables.
#[test]
fn large_scripts_match_plans() {
    for cycle in [false, true] {
        let text = chain_document(1_500, cycle);
        let md = load_str(
            &text,
            Format::Json,
            "chain.json",
            None,
            &LoadOptions::default(),
        )
        .expect("chain document loads");
        for d in dialect::all() {
            let o = DdlOptions::default();
            let what = format!("chain (cycle: {cycle}) {}", d.name());
            let script = create_script(&md, d, &o);
            let len = script.as_ref().map_or(0, String::len);
            assert!(
                len > 512 * 1024,
                "{what}: {len} bytes is not several pieces"
            );
            same_script(
                &format!("{what} create"),
                create_plan(&md, d, &o).map(|p| p.script()),
                script,
            );
            same_script(
                &format!("{what} drop"),
                drop_plan(&md, d, &o).map(|p| p.script()),
                drop_script(&md, d, &o),
            );
        }
    }
}

/// A foreign key to a table the metadata lacks: the sort and the scripts
/// refuse it, naming the table; `sorted_tables` still orders every table.
#[test]
fn references_to_missing_tables_are_refused_by_the_sort() {
    use nomenclator::ddl::{sort_tables_and_constraints, sorted_tables};
    use nomenclator::{Column, ForeignKey, MetaData, Table, TableRef};
    let mut md = MetaData::new();
    md.add_table(Table::new("a").column(Column::new("id", "integer").primary_key()))
        .unwrap();
    md.add_table(
        Table::new("b")
            .column(Column::new("id", "integer").primary_key())
            .column(Column::new("a_id", "integer"))
            .column(Column::new("gone_id", "integer"))
            .constraint(ForeignKey::new(["a_id"], TableRef::new(None, "a")))
            .constraint(ForeignKey::new(["gone_id"], TableRef::new(None, "gone"))),
    )
    .unwrap();
    let names: Vec<String> = sorted_tables(&md).iter().map(|t| t.to_string()).collect();
    assert_eq!(names, ["a", "b"]);
    let err = sort_tables_and_constraints(&md, true)
        .unwrap_err()
        .to_string();
    assert!(err.contains("\"gone\" does not exist"), "{err}");
    for d in dialect::all() {
        let o = DdlOptions::default();
        let err = create_script(&md, d, &o).unwrap_err().to_string();
        assert!(err.contains("gone"), "{}: {err}", d.name());
    }
}
