//! Expression and partial indexes (issue 12), offline: the model, the
//! naming tokens, the document (TOML mixed arrays, JSON, errors at their
//! place) and the DDL of each dialect. The same documents run against the
//! live servers in `tests/ddl_live.rs`.

#![allow(clippy::result_large_err)]

use nomenclator::ddl::{create_plan, create_script, drop_plan, DdlError, DdlOptions};
use nomenclator::dialect::{self, Dialect, DialectError, SqlTextProblem};
use nomenclator::document::{load_str, DocumentError, Format, LoadOptions};
use nomenclator::naming::{final_names, NamingError};
use nomenclator::schema::SchemaError;
use nomenclator::sql::Statement;
use nomenclator::{
    Column, Index, IndexPart, Kind, MetaData, NamingConvention, Table, TokenContext,
};

fn account() -> Table {
    Table::new("account")
        .column(Column::new("id", "integer").primary_key())
        .column(Column::new("tenant_id", "integer"))
        .column(Column::new("email", "varchar(200)"))
        .column(Column::new("deleted_at", "timestamp"))
}

fn toml(text: &str) -> Result<MetaData, DocumentError> {
    load_str(
        text,
        &LoadOptions::new().format(Format::Toml).name("doc.toml"),
    )
}

fn json(text: &str) -> Result<MetaData, DocumentError> {
    load_str(
        text,
        &LoadOptions::new().format(Format::Json).name("doc.json"),
    )
}

fn script(md: &MetaData, d: &str) -> Result<String, DdlError> {
    let d = dialect::by_name(d).unwrap();
    create_script(md, d, &DdlOptions::default()).map(|s| s.into_string())
}

/// The `account` table of a document with `indexes` as its index list.
fn doc(indexes: &str) -> String {
    format!(
        r#"[[tables]]
name = "account"
columns = [
  {{ name = "id", type = "integer", primary_key = true }},
  {{ name = "tenant_id", type = "integer" }},
  {{ name = "email", type = "varchar(200)" }},
  {{ name = "deleted_at", type = "timestamp" }},
]
indexes = [
{indexes}
]
"#
    )
}

// The model.

#[test]
fn an_index_holds_columns_expressions_and_a_predicate() {
    let ix = Index::with_parts([
        IndexPart::from("tenant_id"),
        IndexPart::expression("lower(email)"),
    ])
    .with_where("deleted_at IS NULL")
    .unique(true);
    assert_eq!(ix.parts().len(), 2);
    assert_eq!(ix.parts()[1].expression_sql(), Some("lower(email)"));
    assert_eq!(ix.parts()[0].column(), Some("tenant_id"));
    assert_eq!(ix.columns().collect::<Vec<_>>(), ["tenant_id"]);
    assert!(ix.has_expressions() && ix.is_unique());
    assert_eq!(ix.predicate(), Some("deleted_at IS NULL"));
    // Built part by part, the same index.
    let same = Index::new(["tenant_id"])
        .expression("lower(email)")
        .with_where("deleted_at IS NULL")
        .unique(true);
    assert_eq!(ix, same);
    // A plain index has neither.
    let plain = Index::new(["email"]);
    assert!(!plain.has_expressions() && plain.predicate().is_none());
}

#[test]
fn the_model_refuses_an_index_without_parts_or_with_empty_sql_or_unknown_columns() {
    let add = |ix: Index| {
        let mut md = MetaData::new();
        md.add_table(account().index(ix.named("ix"))).map(|_| ())
    };
    let e = add(Index::with_parts([])).unwrap_err();
    assert!(matches!(e, SchemaError::NoColumns { .. }), "{e}");
    let e = add(Index::with_parts([IndexPart::expression("  ")])).unwrap_err();
    assert!(
        matches!(
            e,
            SchemaError::EmptyIndexSql {
                what: "expression",
                ..
            }
        ),
        "{e}"
    );
    let e = add(Index::new(["email"]).with_where("")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "index of table \"account\" has an empty WHERE predicate; give the SQL, or remove it"
    );
    // A column part must be a column of the table; an expression is not
    // looked into (it is the user's SQL).
    let e = add(Index::new(["emial"]).expression("lower(email)")).unwrap_err();
    assert!(
        matches!(&e, SchemaError::UnknownColumn { column, suggestion, .. }
            if column == "emial" && suggestion.as_deref() == Some("email")),
        "{e}"
    );
    add(Index::with_parts([IndexPart::expression(
        "lower(nothing_here)",
    )]))
    .unwrap();
}

// Naming tokens.

#[test]
fn an_expression_part_is_a_column_named_expr_for_the_tokens() {
    let t = account();
    let ix = Index::new(["tenant_id"]).expression("lower(email)");
    let cx = TokenContext::new(&t, Kind::Index).with_index(&ix);
    let names: Vec<&str> = cx.columns().iter().map(|c| c.name()).collect();
    assert_eq!(names, ["tenant_id", "expr"]);
    let c = NamingConvention::new()
        .with(
            Kind::Index,
            "ix_%(column_0_N_name)s__%(column_1_key)s__%(column_1_label)s",
        )
        .unwrap();
    let name = c.name_for(&t, &ix, None).unwrap();
    assert_eq!(name.as_str(), Some("ix_tenant_id_expr__expr__account_expr"));
    // SQLAlchemy's default convention, with a schema: the label has it.
    let sales = account().in_schema("sales");
    let only = Index::with_parts([IndexPart::expression("lower(email)")]);
    let name = NamingConvention::sqlalchemy_default()
        .name_for(&sales, &only, None)
        .unwrap();
    assert_eq!(name.as_str(), Some("ix_sales_account_expr"));
    // A table column really named `expr` is still that column, key and all.
    let t = Table::new("t").column(Column::new("expr", "integer").key("e"));
    let ix = Index::new(["expr"]);
    let key = NamingConvention::new()
        .with(Kind::Index, "ix_%(column_0_key)s")
        .unwrap()
        .name_for(&t, &ix, None)
        .unwrap();
    assert_eq!(key.as_str(), Some("ix_e"));
}

#[test]
fn final_names_list_an_expression_by_its_text() {
    let mut md = MetaData::new();
    md.add_table(
        account().index(
            Index::new(["tenant_id"])
                .expression("lower(email)")
                .with_where("deleted_at IS NULL"),
        ),
    )
    .unwrap();
    let rules = dialect::PostgreSql.name_rules(None);
    let names = final_names(&md, &rules).unwrap();
    let ix = names.iter().find(|n| n.kind == Kind::Index).unwrap();
    assert_eq!(ix.columns, ["tenant_id", "lower(email)"]);
    assert_eq!(ix.name.as_deref(), Some("ix_account_tenant_id"));
    // Two expression indexes of one table: one name, a collision to report.
    let mut md = MetaData::new();
    md.add_table(
        account()
            .index(Index::with_parts([IndexPart::expression("lower(email)")]))
            .index(Index::with_parts([IndexPart::expression("upper(email)")])),
    )
    .unwrap();
    let e = final_names(&md, &rules).unwrap_err();
    assert!(matches!(e, NamingError::Collision { .. }), "{e}");
    assert!(e.to_string().contains("ix_account_expr"), "{e}");
}

// Documents.

const MIXED: &str = r#"  { columns = ["tenant_id", { expression = "lower(email)" }], unique = true, where = "deleted_at IS NULL" },
  { columns = [{ expression = "coalesce(deleted_at, '1970-01-01')" }], name = "account_deleted" },
  { columns = ["email"], where = "email LIKE '%@example.com'" },"#;

#[test]
fn toml_mixed_arrays_and_json_load_the_same_indexes() {
    let md = toml(&doc(MIXED)).unwrap_or_else(|e| panic!("{e}"));
    let t = &md.tables()[0];
    let ix = t.indexes();
    assert_eq!(ix.len(), 3);
    assert_eq!(
        ix[0].parts(),
        [
            IndexPart::from("tenant_id"),
            IndexPart::expression("lower(email)")
        ]
    );
    assert!(ix[0].is_unique());
    assert_eq!(ix[0].predicate(), Some("deleted_at IS NULL"));
    assert_eq!(
        ix[1].parts(),
        [IndexPart::expression("coalesce(deleted_at, '1970-01-01')")]
    );
    assert_eq!(ix[1].name.as_str(), Some("account_deleted"));
    assert_eq!(ix[2].predicate(), Some("email LIKE '%@example.com'"));
    let j = json(
        r#"{"tables": [{"name": "account", "columns": [
            {"name": "id", "type": "integer", "primary_key": true},
            {"name": "tenant_id", "type": "integer"},
            {"name": "email", "type": "varchar(200)"},
            {"name": "deleted_at", "type": "timestamp"}],
          "indexes": [
            {"columns": ["tenant_id", {"expression": "lower(email)"}], "unique": true, "where": "deleted_at IS NULL"},
            {"columns": [{"expression": "coalesce(deleted_at, '1970-01-01')"}], "name": "account_deleted"},
            {"columns": ["email"], "where": "email LIKE '%@example.com'"}]}]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(j.tables()[0].indexes(), t.indexes());
    // Sub-tables of TOML read the same.
    let sub = toml(
        r#"[[tables]]
name = "account"
columns = [{ name = "email", type = "varchar(200)" }, { name = "deleted_at", type = "timestamp" }]
[[tables.indexes]]
columns = [{ expression = "lower(email)" }]
where = "deleted_at IS NULL"
"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let ix = &sub.tables()[0].indexes()[0];
    assert_eq!(ix.parts(), [IndexPart::expression("lower(email)")]);
    assert_eq!(ix.predicate(), Some("deleted_at IS NULL"));
}

/// The error of loading `text` (TOML), its path and line.
fn toml_error(text: &str) -> (DocumentError, String) {
    let e = toml(text).map(|_| ()).unwrap_err();
    let shown = e.to_string();
    (e, shown)
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in the document"))
        + 1
}

#[test]
fn bad_index_entries_are_errors_at_their_place() {
    // A number is neither a column nor an expression.
    let text = doc(r#"  { columns = ["email", 7] },"#);
    let (e, shown) = toml_error(&text);
    assert_eq!(
        e.place.path.as_deref(),
        Some("tables[0].indexes[0].columns[1]")
    );
    assert_eq!(e.place.line_col.map(|l| l.0), Some(line_of(&text, ", 7]")));
    assert!(
        shown.contains("expected a column name or a table { expression"),
        "{shown}"
    );
    // An unknown key in an expression entry.
    let text = doc(r#"  { columns = [{ expresion = "lower(email)" }] },"#);
    let (e, shown) = toml_error(&text);
    assert_eq!(
        e.place.path.as_deref(),
        Some("tables[0].indexes[0].columns[0].expresion")
    );
    assert_eq!(
        e.place.line_col.map(|l| l.0),
        Some(line_of(&text, "expresion"))
    );
    assert!(shown.contains("unknown field `expresion`"), "{shown}");
    assert!(shown.contains("`expression`"), "{shown}");
    // An unknown key on the index.
    let text = doc(r#"  { columns = ["email"], wher = "email <> ''" },"#);
    let (e, _) = toml_error(&text);
    assert_eq!(e.place.path.as_deref(), Some("tables[0].indexes[0].wher"));
    // An unknown column beside an expression.
    let text = doc(r#"  { columns = [{ expression = "lower(email)" }, "emial"] },"#);
    let (e, shown) = toml_error(&text);
    assert_eq!(
        e.place.path.as_deref(),
        Some("tables[0].indexes[0].columns[1]")
    );
    assert!(
        shown.contains("table \"account\" has no column \"emial\" (did you mean \"email\"?)"),
        "{shown}"
    );
    // Empty expression, empty predicate, no parts.
    let text = doc(r#"  { columns = ["email", { expression = " " }] },"#);
    let (e, shown) = toml_error(&text);
    assert_eq!(
        e.place.path.as_deref(),
        Some("tables[0].indexes[0].columns[1].expression")
    );
    assert!(shown.contains("index expression is empty"), "{shown}");
    let text = doc(r#"  { columns = ["email"], where = "" },"#);
    let (e, shown) = toml_error(&text);
    assert_eq!(e.place.path.as_deref(), Some("tables[0].indexes[0].where"));
    assert!(
        shown.contains("index `where` predicate is empty"),
        "{shown}"
    );
    let (e, _) = toml_error(&doc(r#"  { columns = [] },"#));
    assert_eq!(
        e.place.path.as_deref(),
        Some("tables[0].indexes[0].columns")
    );
}

#[test]
fn hostile_sql_in_an_expression_or_predicate_is_an_error_at_its_place() {
    let hostile = "1); DROP TABLE x; --";
    let q = toml::Value::String(hostile.into()).to_string();
    for (entry, path) in [
        (
            format!(r#"  {{ columns = ["email", {{ expression = {q} }}] }},"#),
            "tables[0].indexes[0].columns[1].expression",
        ),
        (
            format!(r#"  {{ columns = ["email"], where = {q} }},"#),
            "tables[0].indexes[0].where",
        ),
    ] {
        let text = doc(&entry);
        let (e, shown) = toml_error(&text);
        assert_eq!(e.place.path.as_deref(), Some(path), "{shown}");
        assert_eq!(
            e.place.line_col.map(|l| l.0),
            Some(line_of(&text, "DROP TABLE")),
            "{shown}"
        );
        assert!(
            shown.contains("cannot be written into a statement"),
            "{shown}"
        );
        assert!(shown.contains("DROP TABLE x"), "{shown}");
        // JSON too, by path.
        let j = format!(
            r#"{{"tables": [{{"name": "account", "columns": [{{"name": "email", "type": "text"}}],
                "indexes": [{}]}}]}}"#,
            if path.ends_with("where") {
                format!(r#"{{"columns": ["email"], "where": {q}}}"#)
            } else {
                format!(r#"{{"columns": ["email", {{"expression": {q}}}]}}"#)
            }
        );
        let e = json(&j).map(|_| ()).unwrap_err();
        assert_eq!(e.place.path.as_deref(), Some(path));
    }
}

#[test]
fn sql_only_one_dialect_refuses_is_refused_when_ddl_is_made_for_it() {
    // `#` is PostgreSQL's XOR, and a comment to the end of the line on
    // MySQL: the document loads, PostgreSQL writes it, MySQL refuses it
    // as raw SQL that would hide what follows.
    let md = toml(&doc(
        r#"  { columns = [{ expression = "tenant_id # 1" }], name = "ix_xor" },"#,
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let pg = script(&md, "postgresql").unwrap();
    assert!(
        pg.contains("CREATE INDEX ix_xor ON account ((tenant_id # 1));"),
        "{pg}"
    );
    let e = script(&md, "mysql").unwrap_err();
    let DdlError::RawSql { what, error, .. } = &e else {
        panic!("{e}")
    };
    assert_eq!(
        what,
        "expression 0 of index \"ix_xor\" of table \"account\""
    );
    assert_eq!(error.problem, SqlTextProblem::OpenLineComment);
}

// DDL.

fn md_of(indexes: &str) -> MetaData {
    toml(&doc(indexes)).unwrap_or_else(|e| panic!("{e}"))
}

/// The `CREATE INDEX` lines of a script.
fn index_lines(script: &str) -> Vec<&str> {
    script.lines().filter(|l| l.contains(" INDEX ")).collect()
}

#[test]
fn postgresql_and_sqlite_write_expressions_in_parentheses_and_where() {
    let md = md_of(MIXED);
    assert_eq!(
        index_lines(&script(&md, "postgresql").unwrap()),
        [
            "CREATE UNIQUE INDEX ix_account_tenant_id ON account (tenant_id, (lower(email))) WHERE deleted_at IS NULL;",
            "CREATE INDEX account_deleted ON account ((coalesce(deleted_at, '1970-01-01')));",
            "CREATE INDEX ix_account_email ON account (email) WHERE email LIKE '%@example.com';",
        ]
    );
    assert_eq!(
        index_lines(&script(&md, "sqlite").unwrap()),
        [
            "CREATE UNIQUE INDEX ix_account_tenant_id ON account (tenant_id, (lower(email))) WHERE deleted_at IS NULL;",
            "CREATE INDEX account_deleted ON account ((coalesce(deleted_at, '1970-01-01')));",
            "CREATE INDEX ix_account_email ON account (email) WHERE email LIKE '%@example.com';",
        ]
    );
    // SQLite puts a schema on the index name, and still the same parts.
    let mut md = MetaData::new();
    md.add_table(
        account()
            .in_schema("aux")
            .index(Index::with_parts([IndexPart::expression("lower(email)")]).with_where("id > 0")),
    )
    .unwrap();
    assert_eq!(
        index_lines(&script(&md, "sqlite").unwrap()),
        ["CREATE INDEX aux.ix_aux_account_expr ON account ((lower(email))) WHERE id > 0;"]
    );
}

#[test]
fn mysql_writes_functional_key_parts_and_refuses_partial_indexes() {
    let md = md_of(
        r#"  { columns = ["tenant_id", { expression = "lower(email)" }], unique = true },
  { columns = [{ expression = "(tenant_id + 1)" }], name = "plus_one" },"#,
    );
    assert_eq!(
        index_lines(&script(&md, "mysql").unwrap()),
        [
            "CREATE UNIQUE INDEX ix_account_tenant_id ON account (tenant_id, (lower(email)));",
            "CREATE INDEX plus_one ON account (((tenant_id + 1)));",
        ]
    );
    let md = md_of(r#"  { columns = ["email"], where = "deleted_at IS NULL" },"#);
    let e = script(&md, "mysql").unwrap_err();
    let DdlError::Dialect(DialectError::UnsupportedIndex {
        dialect,
        table,
        index,
        lacks,
        ..
    }) = &e
    else {
        panic!("{e}")
    };
    assert_eq!(
        (*dialect, table.to_string(), index.as_str(), *lacks),
        (
            "mysql",
            "account".into(),
            "ix_account_email",
            "has no partial indexes"
        )
    );
    assert!(
        e.to_string()
            .contains("is partial (WHERE deleted_at IS NULL)"),
        "{e}"
    );
}

#[test]
fn mariadb_refuses_expressions_and_predicates_before_any_statement() {
    for (entry, why, lacks, advice) in [
        (
            r#"  { columns = ["email"] },
  { columns = ["tenant_id", { expression = "lower(email)" }], name = "by_email" },"#,
            "has the expression part (lower(email))",
            "has no expression indexes",
            "index a generated column that holds the expression instead",
        ),
        (
            r#"  { columns = ["email"] },
  { columns = ["tenant_id"], where = "deleted_at IS NULL", name = "by_email" },"#,
            "is partial (WHERE deleted_at IS NULL)",
            "has no partial indexes",
            "leave out `where` (the index then covers every row)",
        ),
    ] {
        let md = md_of(entry);
        let d = dialect::by_name("mariadb").unwrap();
        // Neither a plan nor a script: nothing half written.
        let e = create_plan(&md, d, &DdlOptions::default()).unwrap_err();
        assert!(script(&md, "mariadb").is_err());
        assert_eq!(
            e.to_string(),
            format!(
                "mariadb: index \"by_email\" of table \"account\" {why}; mariadb {lacks}: {advice}, \
                 or create the index in custom DDL restricted to the dialects that have them"
            )
        );
        // The statement written by hand is refused by the writer too.
        let pg = create_plan(&md, &dialect::PostgreSql, &DdlOptions::default()).unwrap();
        let ix = pg
            .statements()
            .find(|s| s.object() == Some("by_email"))
            .unwrap();
        assert!(matches!(
            d.to_sql(ix),
            Err(DialectError::UnsupportedIndex { .. })
        ));
        // Dropping needs none of it.
        let drop = drop_plan(&md, d, &DdlOptions::default()).unwrap();
        assert!(drop.script().unwrap().contains("DROP TABLE account;"));
    }
}

#[test]
fn drops_and_inverses_keep_expressions_and_predicates() {
    let md = md_of(MIXED);
    for d in ["postgresql", "sqlite"] {
        let d = dialect::by_name(d).unwrap();
        let plan = create_plan(&md, d, &DdlOptions::default()).unwrap();
        let create = plan
            .statements()
            .find(|s| matches!(s, Statement::CreateIndex(_)))
            .unwrap()
            .clone();
        let inverse = create.inverse().unwrap();
        let [Statement::DropIndex { index }] = inverse.as_slice() else {
            panic!("{inverse:?}")
        };
        assert_eq!(index.predicate.as_deref(), Some("deleted_at IS NULL"));
        assert_eq!(
            d.to_sql(&inverse[0]).unwrap(),
            "DROP INDEX ix_account_tenant_id"
        );
        // Undoing the drop creates the index as it was.
        let again = inverse[0].inverse().unwrap();
        assert_eq!(again, std::slice::from_ref(&create));
        assert_eq!(
            d.to_sql(&again[0]).unwrap(),
            "CREATE UNIQUE INDEX ix_account_tenant_id ON account (tenant_id, (lower(email))) \
             WHERE deleted_at IS NULL"
        );
        // A drop plan's DROP TABLE restores the indexes as they were.
        let drop = drop_plan(&md, d, &DdlOptions::default()).unwrap();
        let restore = drop
            .statements()
            .find_map(|s| match s {
                Statement::DropTable { restore, .. } => Some(restore.clone()),
                _ => None,
            })
            .unwrap();
        assert!(restore.contains(&create), "{restore:?}");
    }
}
