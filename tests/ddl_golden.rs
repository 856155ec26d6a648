//! Golden DDL per dialect: each statement kind, hostile identifiers, cycles
//! with and without use_alter, views and custom DDL with dialect filters.

use nomenclator::ddl::{create_plan, drop_plan, DdlOptions};
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
