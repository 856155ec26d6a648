//! Golden DDL per dialect: each statement kind, hostile identifiers, cycles
//! with and without use_alter, views and custom DDL with dialect filters.

#![allow(clippy::result_large_err)]

use nomenclator::ddl::{create_plan, create_script, drop_plan, drop_script, DdlOptions};
use nomenclator::dialect;
use nomenclator::document::{load_str, Format, LoadOptions};
use nomenclator::sql::Statement;

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
        &LoadOptions::new().format(Format::Toml).name("golden.toml"),
    )
    .expect("document loads");
    for d in dialect::all() {
        let o = DdlOptions {
            database: Some("app".into()),
            ..Default::default()
        };
        let create = create_plan(&md, d, &o)
            .and_then(|p| p.script())
            .unwrap_or_else(|e| panic!("{}: {e}", d.name()));
        let drop = drop_plan(&md, d, &o)
            .and_then(|p| p.script())
            .unwrap_or_else(|e| panic!("{}: {e}", d.name()));
        insta::assert_snapshot!(format!("{}_create", d.name()), create);
        insta::assert_snapshot!(format!("{}_drop", d.name()), drop);
    }
}

/// Every document of the corpus, with the golden one, loaded.
fn corpus_documents() -> Vec<(String, nomenclator::MetaData)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/sqlalchemy");
    let mut docs = vec![("golden.toml".to_owned(), DOC.to_owned(), Format::Toml)];
    for entry in std::fs::read_dir(&root).expect("corpus present") {
        let file = entry.expect("corpus entry").path().join("schema.json");
        let text = std::fs::read_to_string(&file).expect("corpus document");
        docs.push((file.display().to_string(), text, Format::Json));
    }
    docs.into_iter()
        .filter_map(|(name, text, format)| {
            let md = load_str(&text, &LoadOptions::new().format(format).name(&name)).ok()?;
            Some((name, md))
        })
        .collect()
}

/// A drop plan carries, in each `DROP TABLE`, what re-creates the table:
/// exactly the statements the create plan makes for it (its `CREATE TABLE`,
/// indexes and comments), so that an interrupted drop can be undone.
#[test]
fn drop_plans_restore_what_create_plans_make() {
    let docs = corpus_documents();
    assert!(docs.len() > 250, "{} documents", docs.len());
    let mut compared = 0;
    for (name, md) in &docs {
        for d in dialect::all() {
            let o = DdlOptions {
                database: Some("app".into()),
                ..Default::default()
            };
            let (Ok(create), Ok(drop)) = (create_plan(md, d, &o), drop_plan(md, d, &o)) else {
                continue;
            };
            // A drop keeps an unnamed `use_alter` key inline (it cannot be
            // dropped by name), so its tables are restored with the key
            // inline where the create plan adds it later: compared apart.
            if create
                .statements()
                .any(|st| matches!(st, Statement::AddConstraint { .. }))
            {
                continue;
            }
            let mut made: Vec<String> = create
                .statements()
                .filter(|st| {
                    matches!(
                        st,
                        Statement::CreateTable(_)
                            | Statement::CreateIndex(_)
                            | Statement::Comment { .. }
                    )
                })
                .map(|st| d.to_sql(st).unwrap())
                .collect();
            let mut restored = Vec::new();
            for st in drop.statements() {
                if let Statement::DropTable { restore, .. } = st {
                    assert!(
                        !restore.is_empty(),
                        "{name} {}: a table without its inverse",
                        d.name()
                    );
                    let inverse = st.inverse().expect("a dropped table has an inverse");
                    assert_eq!(&inverse, restore);
                    restored.extend(restore.iter().map(|r| d.to_sql(r).unwrap()));
                }
            }
            made.sort();
            restored.sort();
            assert_eq!(made, restored, "{name} {}", d.name());
            compared += 1;
        }
    }
    assert!(compared > 400, "{compared} document/dialect pairs compared");
}

/// The inverse of each statement of a create plan undoes it: a table is
/// dropped, an index dropped, a foreign key added later dropped by name.
#[test]
fn create_statements_invert_to_drops() {
    for (name, md) in corpus_documents().iter().take(60) {
        let Ok(plan) = create_plan(md, &dialect::PostgreSql, &DdlOptions::default()) else {
            continue;
        };
        for st in plan.statements() {
            let inverse = st.inverse();
            match st {
                Statement::CreateTable(c) => assert!(
                    matches!(inverse.as_deref(), Some([Statement::DropTable { table, .. }]) if *table == c.table),
                    "{name}: {inverse:?}"
                ),
                Statement::CreateIndex(ix) => assert!(
                    matches!(inverse.as_deref(), Some([Statement::DropIndex { index }]) if index == ix),
                    "{name}: {inverse:?}"
                ),
                Statement::AddConstraint { constraint, .. } => {
                    let back = inverse.expect("a named deferred foreign key has an inverse");
                    assert_eq!(back[0].object(), constraint.name(), "{name}");
                    assert_eq!(back[0].inverse().as_deref(), Some(std::slice::from_ref(st)));
                }
                Statement::Comment { .. } => assert!(inverse.is_none()),
                _ => {}
            }
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
        let err = create_plan(&md, d, &o)
            .and_then(|p| p.script())
            .unwrap_err()
            .to_string();
        assert!(err.contains("gone"), "{}: {err}", d.name());
    }
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

/// The model of a chain of 1,500 tables, many enough for plans on two
/// threads, each referring to the one before (and the first to the last,
/// with `cycle`).
fn chain(cycle: bool) -> nomenclator::MetaData {
    load_str(
        &chain_document(1_500, cycle),
        &LoadOptions::new().format(Format::Json).name("chain.json"),
    )
    .expect("chain document loads")
}

/// `create_script`/`drop_script` write the statements as they are made
/// (for many tables on two threads, in pieces): the text must be exactly
/// the kept plan's script, or the same error, for every corpus document
/// and for long chains of tables with and without a cycle.
#[test]
fn written_scripts_match_plans() {
    let mut docs = corpus_documents();
    for cycle in [false, true] {
        docs.push((format!("chain (cycle: {cycle})"), chain(cycle)));
    }
    let mut compared = 0;
    for (name, md) in &docs {
        for d in dialect::all() {
            let o = DdlOptions::default();
            let what = format!("{name} {}", d.name());
            let plan = create_plan(md, d, &o).and_then(|p| p.script());
            let written = create_script(md, d, &o).map(|s| s.into_string());
            assert_eq!(
                plan.as_ref().map_err(ToString::to_string),
                written.as_ref().map_err(ToString::to_string),
                "{what} create"
            );
            let plan = drop_plan(md, d, &o).and_then(|p| p.script());
            let written = drop_script(md, d, &o).map(|s| s.into_string());
            assert_eq!(
                plan.as_ref().map_err(ToString::to_string),
                written.as_ref().map_err(ToString::to_string),
                "{what} drop"
            );
            compared += 1;
        }
    }
    assert!(
        compared > 1000,
        "{compared} document/dialect pairs compared"
    );
}

/// Custom DDL restricted through the Rust API runs on exactly those
/// dialects: `only_for` takes dialect kinds (an alias string such as
/// "postgres" used to match nothing), and `MySql` covers MariaDB too.
#[test]
fn custom_ddl_for_some_dialects_runs_on_those() {
    use nomenclator::{Column, CustomDdl, DialectKind, EventKind, MetaData, Table};
    let mut md = MetaData::new();
    md.add_table(Table::new("t").column(Column::new("id", "integer").primary_key()))
        .unwrap();
    md.add_ddl(
        CustomDdl::new(EventKind::AfterCreate, "SELECT 'pg'").only_for([DialectKind::PostgreSql]),
    );
    md.add_ddl(
        CustomDdl::new(EventKind::AfterCreate, "SELECT 'my'").only_for([DialectKind::MySql]),
    );
    for d in dialect::all() {
        let script = create_plan(&md, d, &DdlOptions::default())
            .and_then(|p| p.script())
            .unwrap();
        let pg = d.kind() == DialectKind::PostgreSql;
        let my = matches!(d.kind(), DialectKind::MySql | DialectKind::MariaDb);
        assert_eq!(script.contains("SELECT 'pg'"), pg, "{}: {script}", d.name());
        assert_eq!(script.contains("SELECT 'my'"), my, "{}: {script}", d.name());
    }
}

#[test]
fn a_servers_own_integer_spelling_auto_increments_like_integer() {
    use nomenclator::{Column, MetaData, Table};
    for (ty, auto) in [
        ("int(10) unsigned", true),
        ("BIGINT UNSIGNED", true),
        ("mediumint", true),
        ("tinyint(3) unsigned zerofill", true),
        ("int unsigned", true),
        ("decimal(10,0) unsigned", false),
        ("interval", false),
    ] {
        let mut md = MetaData::new();
        md.add_table(Table::new("t").column(Column::new("id", ty).primary_key()))
            .unwrap();
        let script = create_script(
            &md,
            dialect::by_name("mariadb").unwrap(),
            &DdlOptions::default(),
        )
        .unwrap()
        .into_string();
        assert_eq!(script.contains("AUTO_INCREMENT"), auto, "{ty}: {script}");
    }
}

/// A schema of `n` tables in which table 1 has a `varchar` without a length
/// (which MySQL refuses while its `CREATE TABLE` is made) and, `colliding`,
/// two tables declare the same index name and two the same foreign-key name
/// (a collision on every dialect).
fn schema_with_late_faults(n: usize, colliding: bool) -> nomenclator::MetaData {
    use nomenclator::{Column, ForeignKey, Index, MetaData, Table, TableRef};
    let mut md = MetaData::new();
    for i in 0..n {
        let mut t = Table::new(format!("t{i:05}"))
            .column(Column::new("id", "integer").primary_key())
            .column(Column::new("parent_id", "integer"));
        if i == 1 {
            t = t.column(Column::new("v", "varchar"));
        }
        if i > 0 {
            let mut fk = ForeignKey::new(["parent_id"], TableRef::new(None, "t00000"));
            if colliding && (i == 2 || i == n - 2) {
                fk = fk.named("fk_same");
            }
            t = t.constraint(fk);
        }
        if colliding && (i == 0 || i == n - 1) {
            t = t.index(Index::new(["parent_id"]).named("ix_same"));
        }
        md.add_table(t).unwrap();
    }
    md
}

/// The checks of names (lengths, collisions) come before every other error
/// of a plan, on one thread (few tables) as on two (many tables, where the
/// second thread makes them while the first writes statements): a
/// collision at the last table wins over a statement that fails at table 1.
#[test]
fn name_errors_come_first_on_one_thread_and_on_two() {
    for n in [40, 1_200] {
        for d in dialect::all() {
            let o = DdlOptions::default();
            let what = format!("{n} tables, {}", d.name());
            let md = schema_with_late_faults(n, true);
            let names = nomenclator::naming::final_names(&md, &d.name_rules(None))
                .expect_err("the names collide")
                .to_string();
            let results = [
                create_script(&md, d, &o).map(|s| s.into_string()),
                drop_script(&md, d, &o).map(|s| s.into_string()),
                create_plan(&md, d, &o).and_then(|p| p.script()),
                drop_plan(&md, d, &o).and_then(|p| p.script()),
            ];
            for r in results {
                let err = r.expect_err(&what).to_string();
                assert!(err.contains(&names), "{what}: {err} (expected {names})");
            }
            // Without the collisions, MySQL's refusal of the type is the error.
            let md = schema_with_late_faults(n, false);
            let made = create_script(&md, d, &o).map(|s| s.into_string());
            if d.capabilities().varchar_needs_length {
                let err = made.expect_err(&what).to_string();
                assert!(
                    err.contains("VARCHAR") || err.contains("varchar"),
                    "{what}: {err}"
                );
            } else {
                made.expect(&what);
            }
        }
    }
}

/// `DdlOptions::one_thread` makes a large schema's plans on the calling
/// thread alone: the plans, scripts and errors are those made on two.
#[test]
fn one_thread_makes_the_plans_two_make() {
    for cycle in [false, true] {
        let md = chain(cycle);
        for d in dialect::all() {
            let what = format!("chain (cycle: {cycle}) {}", d.name());
            let two = DdlOptions::default();
            let one = DdlOptions {
                one_thread: true,
                ..DdlOptions::default()
            };
            let plans = |o: &DdlOptions| {
                (
                    create_plan(&md, d, o).map_err(|e| e.to_string()),
                    drop_plan(&md, d, o).map_err(|e| e.to_string()),
                    create_script(&md, d, o)
                        .map(|s| s.into_string())
                        .map_err(|e| e.to_string()),
                )
            };
            let (a, b) = (plans(&two), plans(&one));
            assert_eq!(a.0, b.0, "{what} create plan");
            assert_eq!(a.1, b.1, "{what} drop plan");
            assert_eq!(a.2, b.2, "{what} create script");
            assert!(a.0.is_ok() || a.1.is_ok(), "{what}: nothing was made");
        }
    }
}
