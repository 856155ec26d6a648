//! The six rules of when a convention applies, per-dialect shortening and
//! collisions (spec/naming.md). Shortened names were computed independently:
//! `python3 -c 'import hashlib; n="..."; print(n[:limit-8] + "_" + hashlib.md5(n.encode()).hexdigest()[-4:])'`.

#![allow(clippy::result_large_err)]

use nomenclator::dialect::{self, Dialect};
use nomenclator::document::{load_str, Format, LoadOptions};
use nomenclator::naming::{NameRules, NamingError};
use nomenclator::{
    final_names, Check, Column, Error, ForeignKey, IdentifierLimit, Index, Kind, MetaData, Name,
    NamingConvention, PrimaryKey, Table, TableRef, Unique,
};

fn conv(pairs: &[(Kind, &str)]) -> NamingConvention {
    let mut c = NamingConvention::new();
    for (k, t) in pairs {
        c.set(*k, t).unwrap();
    }
    c
}

fn rules(d: &str) -> NameRules {
    dialect::by_name(d).unwrap().name_rules(None)
}

/// `(kind, columns, name)` of every object, for a dialect.
fn names(md: &MetaData, d: &str) -> Vec<(Kind, Vec<String>, Option<String>)> {
    final_names(md, &rules(d))
        .unwrap()
        .into_iter()
        .map(|o| (o.kind, o.columns, o.name))
        .collect()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

#[test]
fn rule_1_no_name_and_a_template() {
    let mut md = MetaData::with_convention(conv(&[(
        Kind::Unique,
        "uq_%(table_name)s_%(column_0_name)s",
    )]));
    let t = md
        .add_table(
            Table::new("t")
                .column(Column::new("a", "text"))
                .constraint(Unique::new(["a"])),
        )
        .unwrap();
    assert_eq!(
        t.constraints()[0].name(),
        &Name::Generated {
            name: "uq_t_a".into(),
            explicit: None
        }
    );
}

#[test]
fn rule_2_no_name_no_template_stays_unnamed() {
    let mut md = MetaData::with_convention(conv(&[(Kind::Index, "ix_%(column_0_label)s")]));
    md.add_table(
        Table::new("t")
            .column(Column::new("a", "integer").primary_key())
            .column(Column::new("b", "text").unique())
            .constraint(Check::new("a > 0")),
    )
    .unwrap();
    let t = md.table("t").unwrap();
    assert!(t.primary_key().unwrap().name.is_pending());
    assert!(t.constraints().iter().all(|c| c.name().is_pending()));
    assert_eq!(
        names(&md, "postgresql"),
        vec![
            (Kind::PrimaryKey, vec!["a".into()], None),
            (Kind::Unique, vec!["b".into()], None),
            (Kind::Check, vec![], None)
        ]
    );
}

/// As SQLAlchemy (`if newname:`): a template that renders an empty string
/// names nothing. Found by tests/properties.rs: two primary keys named `""`
/// used to collide.
#[test]
fn a_template_that_renders_nothing_names_nothing() {
    let mut md = MetaData::with_convention(conv(&[
        (Kind::PrimaryKey, "%(column_99_name)s"),
        (Kind::Unique, "%(column_5_key)s"),
    ]));
    for t in ["a", "b"] {
        md.add_table(
            Table::new(t)
                .column(Column::new("id", "integer").primary_key())
                .column(Column::new("x", "text").unique())
                .column(Column::new("y", "text"))
                .constraint(Unique::new(["y"]).named(format!("uq_kept_{t}"))),
        )
        .unwrap();
    }
    // Growing an implicit key re-renders it; still nothing, still unnamed.
    md.table_mut(&TableRef::new(None, "b"))
        .unwrap()
        .add_column(Column::new("id2", "integer").primary_key())
        .unwrap();
    let t = md.table("b").unwrap();
    assert!(t.primary_key().unwrap().name.is_pending());
    assert_eq!(t.constraints()[1].name(), &Name::explicit("uq_kept_b"));
    assert_eq!(
        names(&md, "postgresql")
            .into_iter()
            .map(|(k, _, n)| (k, n))
            .collect::<Vec<_>>(),
        vec![
            (Kind::PrimaryKey, None),
            (Kind::Unique, None),
            (Kind::Unique, s("uq_kept_a")),
            (Kind::PrimaryKey, None),
            (Kind::Unique, None),
            (Kind::Unique, s("uq_kept_b")),
        ]
    );
}

#[test]
fn rule_2_an_index_must_have_a_name() {
    let mut md = MetaData::with_convention(NamingConvention::new());
    md.add_table(Table::new("t").column(Column::new("a", "text").index()))
        .unwrap();
    let err = final_names(&md, &rules("sqlite")).unwrap_err();
    assert!(
        matches!(&err, NamingError::IndexWithoutName { table, columns } if table.name == "t" && columns == &["a"]),
        "{err:?}"
    );
    let shown = err.to_string();
    assert!(
        shown.contains("index on table \"t\"") && shown.contains("no name"),
        "{shown}"
    );
}

#[test]
fn rule_3_explicit_name_kept_without_constraint_name() {
    let mut md = MetaData::with_convention(conv(&[(
        Kind::Unique,
        "uq_%(table_name)s_%(column_0_name)s",
    )]));
    let t = md
        .add_table(
            Table::new("t")
                .column(Column::new("a", "text"))
                .constraint(Unique::new(["a"]).named("my_uq")),
        )
        .unwrap();
    assert_eq!(t.constraints()[0].name(), &Name::Explicit("my_uq".into()));
}

#[test]
fn rule_4_explicit_name_with_constraint_name_template() {
    let mut md = MetaData::with_convention(conv(&[(
        Kind::Check,
        "ck_%(table_name)s_%(constraint_name)s",
    )]));
    let t = md
        .add_table(
            Table::new("t")
                .column(Column::new("a", "integer"))
                .constraint(Check::new("a > 0").named("positive")),
        )
        .unwrap();
    assert_eq!(
        t.constraints()[0].name(),
        &Name::Generated {
            name: "ck_t_positive".into(),
            explicit: Some("positive".into())
        }
    );
}

#[test]
fn rule_5_unnamed_with_constraint_name_template_is_an_error() {
    let mut md = MetaData::with_convention(conv(&[(
        Kind::Check,
        "ck_%(table_name)s_%(constraint_name)s",
    )]));
    let err = md
        .add_table(
            Table::new("person")
                .column(Column::new("age", "integer"))
                .constraint(Check::new("age > 0")),
        )
        .map_err(nomenclator::Error::from)
        .unwrap_err();
    match &err {
        Error::Naming(NamingError::ConstraintNameRequired { table, kind, .. }) => {
            assert_eq!(table.name, "person");
            assert_eq!(*kind, Kind::Check);
        }
        other => panic!("expected ConstraintNameRequired, got {other:?}"),
    }
    let shown = err.to_string();
    assert!(
        shown.contains("naming convention including %(constraint_name)s requires that the constraint is explicitly named"),
        "{shown}"
    );
    assert!(
        shown.contains("\"person\"") && shown.contains("check constraint"),
        "{shown}"
    );
    // Nothing was added.
    assert!(md.table("person").is_none());
}

#[test]
fn rule_6_final_names_are_untouched() {
    let mut md = MetaData::with_convention(conv(&[
        (Kind::Check, "ck_%(table_name)s_%(constraint_name)s"),
        (Kind::Unique, "uq_%(table_name)s_%(column_0_name)s"),
    ]));
    let t = md
        .add_table(
            Table::new("t")
                .column(Column::new("a", "integer"))
                .constraint(Check::new("a > 0").named(Name::final_("CK_keep")))
                .constraint(Unique::new(["a"]).named(Name::final_("uq_as_is"))),
        )
        .unwrap();
    assert_eq!(t.constraints()[0].name(), &Name::Final("CK_keep".into()));
    assert_eq!(t.constraints()[1].name(), &Name::Final("uq_as_is".into()));
}

#[test]
fn rule_6_document_convention_false() {
    let doc = r#"
naming_convention = { ck = "ck_%(table_name)s_%(constraint_name)s", uq = "uq_%(table_name)s_%(column_0_name)s" }
[[tables]]
name = "t"
columns = [ { name = "a", type = "integer", check = { sql = "a > 0", name = "raw_ck", convention = false } } ]
uniques = [ { columns = ["a"], name = "raw_uq", convention = false }, { columns = ["a"], name = "templ" } ]
checks = [ { sql = "a < 10", name = "small" } ]
"#;
    let md = load_str(
        doc,
        &LoadOptions::new().format(Format::Toml).name("doc.toml"),
    )
    .unwrap();
    let got = names(&md, "sqlite");
    assert!(
        got.contains(&(Kind::Check, vec!["a".into()], s("raw_ck"))),
        "{got:?}"
    );
    assert!(
        got.contains(&(Kind::Unique, vec!["a".into()], s("raw_uq"))),
        "{got:?}"
    );
    // rule 3: an explicit name and a template without constraint_name
    assert!(
        got.contains(&(Kind::Unique, vec!["a".into()], s("templ"))),
        "{got:?}"
    );
    assert!(
        got.contains(&(Kind::Check, vec![], s("ck_t_small"))),
        "{got:?}"
    );
}

#[test]
fn explicitly_named_primary_key_gets_a_constraint_name_template() {
    let c = || conv(&[(Kind::PrimaryKey, "pk_%(table_name)s_%(constraint_name)s")]);
    let mut md = MetaData::with_convention(c());
    let t = md
        .add_table(
            Table::new("t")
                .column(Column::new("id", "integer"))
                .constraint(PrimaryKey::new(["id"]).named("main")),
        )
        .unwrap();
    assert_eq!(t.primary_key().unwrap().name.as_str(), Some("pk_t_main"));
    // An unnamed one is the rule-5 error.
    let mut md = MetaData::with_convention(c());
    let err = md
        .add_table(Table::new("u").column(Column::new("id", "integer").primary_key()))
        .map_err(nomenclator::Error::from)
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Naming(NamingError::ConstraintNameRequired {
                kind: Kind::PrimaryKey,
                ..
            })
        ),
        "{err:?}"
    );
}

#[test]
fn column_level_check_has_its_column_table_level_none() {
    let mut md = MetaData::with_convention(conv(&[(
        Kind::Check,
        "ck_%(table_name)s_%(column_0_name)s",
    )]));
    md.add_table(
        Table::new("person")
            .column(Column::new("age", "integer").check(Check::new("age >= 0")))
            .constraint(Check::new("1 = 1")),
    )
    .unwrap();
    let t = md.table("person").unwrap();
    assert_eq!(t.constraints()[0].columns(), &["age".to_owned()]);
    assert_eq!(t.constraints()[0].name().as_str(), Some("ck_person_age"));
    assert!(t.constraints()[1].columns().is_empty());
    assert_eq!(t.constraints()[1].name().as_str(), Some("ck_person_"));
}

#[test]
fn unique_and_index_flags_make_one_unique_index() {
    let mut md = MetaData::with_convention(conv(&[
        (Kind::Index, "ix_%(column_0_label)s"),
        (Kind::Unique, "uq_%(table_name)s_%(column_0_name)s"),
    ]));
    md.add_table(Table::new("t").column(Column::new("email", "text").unique().index()))
        .unwrap();
    let t = md.table("t").unwrap();
    assert!(
        t.constraints().is_empty(),
        "no unique constraint: {:?}",
        t.constraints()
    );
    assert_eq!(t.indexes().len(), 1);
    assert!(t.indexes()[0].is_unique());
    assert_eq!(t.indexes()[0].name.as_str(), Some("ix_t_email"));
    let objs = final_names(&md, &rules("sqlite")).unwrap();
    assert_eq!(objs.len(), 1);
    assert_eq!(objs[0].unique, Some(true));
}

/// A metadata with one index whose generated name is `ix_<col>`.
fn with_index_named(col: &str) -> MetaData {
    let mut md = MetaData::with_convention(conv(&[(Kind::Index, "ix_%(column_0_name)s")]));
    md.add_table(Table::new("t").column(Column::new(col, "text").index()))
        .unwrap();
    md
}

fn index_name(md: &MetaData, r: &NameRules) -> String {
    final_names(md, r).unwrap()[0].name.clone().unwrap()
}

#[test]
fn spec_example_at_15() {
    assert_eq!(
        IdentifierLimit::chars(15).shorten("uq_user_dataData2Data3"),
        "uq_user_2769"
    );
    let mut md = MetaData::with_convention(conv(&[(
        Kind::Unique,
        "uq_%(table_name)s_%(column_0N_name)s",
    )]));
    md.add_table(
        Table::new("user")
            .column(Column::new("data", "text"))
            .column(Column::new("Data2", "text"))
            .column(Column::new("Data3", "text"))
            .constraint(Unique::new(["data", "Data2", "Data3"])),
    )
    .unwrap();
    for d in ["sqlite", "mysql", "postgresql"] {
        let objs = final_names(&md, &dialect::by_name(d).unwrap().name_rules(Some(15))).unwrap();
        assert_eq!(objs[0].name.as_deref(), Some("uq_user_2769"), "{d}");
        // Without the override the name is whole.
        assert_eq!(
            names(&md, d)[0].2.as_deref(),
            Some("uq_user_dataData2Data3"),
            "{d}"
        );
    }
}

#[test]
fn postgresql_limit_is_63_bytes() {
    // 63 bytes: unchanged.
    let md = with_index_named(&"p".repeat(60));
    assert_eq!(
        index_name(&md, &rules("postgresql")),
        format!("ix_{}", "p".repeat(60))
    );
    // 64 bytes: ix_ppp... → first 55, '_', last 4 hex digits of md5.
    let md = with_index_named(&"p".repeat(61));
    let got = index_name(&md, &rules("postgresql"));
    assert_eq!(got, format!("ix_{}_aad6", "p".repeat(52)));
    assert_eq!(got.len(), 60);
    // The metadata keeps the whole name; only the final name is shortened.
    assert_eq!(
        md.table("t").unwrap().indexes()[0]
            .name
            .as_str()
            .unwrap()
            .len(),
        64
    );
}

#[test]
fn postgresql_counts_bytes_and_never_splits_a_character() {
    // "ix_a" + 40 × "é" is 44 characters but 84 bytes.
    let col = format!("a{}", "é".repeat(40));
    let md = with_index_named(&col);
    let got = index_name(&md, &rules("postgresql"));
    // Budget 55 bytes: "ix_a" (4) + 25 × "é" (50) = 54; a 26th would need 56.
    assert_eq!(got, format!("ix_a{}_0e5a", "é".repeat(25)));
    assert!(got.len() <= 63);
    // MySQL counts characters: 44 fit in 64.
    assert_eq!(index_name(&md, &rules("mysql")), format!("ix_{col}"));
}

#[test]
fn mysql_limit_is_64_characters() {
    let md = with_index_named(&"c".repeat(61));
    assert_eq!(
        index_name(&md, &rules("mysql")),
        format!("ix_{}", "c".repeat(61))
    );
    let md = with_index_named(&"c".repeat(62));
    let got = index_name(&md, &rules("mysql"));
    assert_eq!(got, format!("ix_{}_86c5", "c".repeat(53)));
    assert_eq!(got.chars().count(), 61);
}

#[test]
fn sqlite_has_no_limit() {
    let md = with_index_named(&"s".repeat(300));
    assert_eq!(
        index_name(&md, &rules("sqlite")),
        format!("ix_{}", "s".repeat(300))
    );
}

#[test]
fn max_identifier_length_override() {
    let mut md = MetaData::with_convention(conv(&[(Kind::Unique, "uq_%(column_0_name)s")]));
    md.add_table(Table::new("t").column(Column::new("o".repeat(28), "text").unique()))
        .unwrap();
    let at30 = dialect::PostgreSql.name_rules(Some(30));
    assert_eq!(at30.limit.max, Some(30));
    let got = final_names(&md, &at30).unwrap()[0].name.clone().unwrap();
    assert_eq!(got, format!("uq_{}_af97", "o".repeat(19)));
    // At 31 the 31-character name fits.
    let got = final_names(&md, &dialect::MySql.name_rules(Some(31))).unwrap()[0]
        .name
        .clone()
        .unwrap();
    assert_eq!(got, format!("uq_{}", "o".repeat(28)));
}

#[test]
fn explicit_name_over_the_limit_is_an_error() {
    let long = "x".repeat(64);
    let mut md = MetaData::with_convention(NamingConvention::new());
    md.add_table(
        Table::new("t")
            .column(Column::new("a", "text"))
            .index(Index::new(["a"]).named(long.as_str())),
    )
    .unwrap();
    let err = final_names(&md, &rules("postgresql")).unwrap_err();
    match &err {
        NamingError::TooLong {
            name,
            length,
            limit,
            ..
        } => {
            assert_eq!(name, &long);
            assert_eq!((*length, *limit), (64, 63));
        }
        other => panic!("expected TooLong, got {other:?}"),
    }
    assert!(err.to_string().contains("postgresql"), "{err}");
    // MySQL takes 64; SQLite anything.
    assert!(final_names(&md, &rules("mysql")).is_ok());
    assert!(final_names(&md, &rules("sqlite")).is_ok());
    // A final name is checked too.
    let mut md = MetaData::with_convention(NamingConvention::new());
    md.add_table(
        Table::new("t")
            .column(Column::new("a", "text"))
            .constraint(Unique::new(["a"]).named(Name::final_("y".repeat(65)))),
    )
    .unwrap();
    assert!(matches!(
        final_names(&md, &rules("mysql")),
        Err(NamingError::TooLong { .. })
    ));
}

fn collision(md: &MetaData, d: &str) -> String {
    match final_names(md, &rules(d)) {
        Err(e @ NamingError::Collision { .. }) => e.to_string(),
        Err(e) => panic!("expected a collision on {d}, got {e}"),
        Ok(n) => panic!("expected a collision on {d}, got {n:?}"),
    }
}

#[test]
fn postgresql_index_and_unique_constraint_share_a_namespace() {
    let mut md = MetaData::with_convention(NamingConvention::new());
    md.add_table(
        Table::new("a")
            .column(Column::new("x", "text"))
            .index(Index::new(["x"]).named("dup")),
    )
    .unwrap();
    md.add_table(
        Table::new("b")
            .column(Column::new("y", "text"))
            .constraint(Unique::new(["y"]).named("dup")),
    )
    .unwrap();
    let e = collision(&md, "postgresql");
    assert!(e.contains("\"dup\""), "{e}");
    assert!(e.contains("index on table \"a\" (x)"), "{e}");
    assert!(e.contains("unique constraint on table \"b\" (y)"), "{e}");
    // SQLite: unique constraints are not in the index namespace.
    assert!(final_names(&md, &rules("sqlite")).is_ok());
    // Different schemas on PostgreSQL: fine.
    let mut md = MetaData::with_convention(NamingConvention::new());
    md.add_table(
        Table::new("a")
            .in_schema("s1")
            .column(Column::new("x", "text"))
            .index(Index::new(["x"]).named("dup")),
    )
    .unwrap();
    md.add_table(
        Table::new("b")
            .in_schema("s2")
            .column(Column::new("y", "text"))
            .constraint(Unique::new(["y"]).named("dup")),
    )
    .unwrap();
    assert!(final_names(&md, &rules("postgresql")).is_ok());
}

#[test]
fn postgresql_index_and_table_share_a_namespace() {
    let mut md = MetaData::with_convention(NamingConvention::new());
    md.add_table(Table::new("users").column(Column::new("id", "integer")))
        .unwrap();
    md.add_table(
        Table::new("orders")
            .column(Column::new("user_id", "integer"))
            .index(Index::new(["user_id"]).named("users")),
    )
    .unwrap();
    let e = collision(&md, "postgresql");
    assert!(
        e.contains("table \"users\"") && e.contains("index on table \"orders\" (user_id)"),
        "{e}"
    );
}

#[test]
fn postgresql_two_foreign_keys_in_one_table() {
    let mut md = MetaData::with_convention(conv(&[(
        Kind::ForeignKey,
        "fk_%(table_name)s_%(referred_table_name)s",
    )]));
    md.add_table(Table::new("person").column(Column::new("id", "integer").primary_key()))
        .unwrap();
    md.add_table(
        Table::new("marriage")
            .column(Column::new("a", "integer"))
            .column(Column::new("b", "integer"))
            .constraint(ForeignKey::new(["a"], TableRef::new(None, "person")))
            .constraint(ForeignKey::new(["b"], TableRef::new(None, "person"))),
    )
    .unwrap();
    let e = collision(&md, "postgresql");
    assert!(e.contains("fk_marriage_person"), "{e}");
    assert!(
        e.contains("foreign key on table \"marriage\" (a)")
            && e.contains("foreign key on table \"marriage\" (b)"),
        "{e}"
    );
    // MySQL: foreign-key names are per database, so the same clash.
    let e = collision(&md, "mysql");
    assert!(e.contains("(a)") && e.contains("(b)"), "{e}");
}

#[test]
fn postgresql_same_fk_name_in_two_tables_is_fine_mysql_is_not() {
    let mut md = MetaData::with_convention(NamingConvention::new());
    md.add_table(Table::new("p").column(Column::new("id", "integer").primary_key()))
        .unwrap();
    for t in ["c1", "c2"] {
        md.add_table(
            Table::new(t)
                .column(Column::new("pid", "integer"))
                .constraint(ForeignKey::new(["pid"], TableRef::new(None, "p")).named("fk_parent")),
        )
        .unwrap();
    }
    assert!(final_names(&md, &rules("postgresql")).is_ok());
    let e = collision(&md, "mysql");
    assert!(
        e.contains("fk_parent") && e.contains("table \"c1\"") && e.contains("table \"c2\""),
        "{e}"
    );
}

#[test]
fn mysql_same_check_name_in_two_tables_is_fine() {
    let mut md = MetaData::with_convention(NamingConvention::new());
    for t in ["a", "b"] {
        md.add_table(
            Table::new(t)
                .column(Column::new("x", "integer"))
                .constraint(Check::new("x > 0").named("positive")),
        )
        .unwrap();
    }
    assert!(final_names(&md, &rules("mysql")).is_ok());
}

#[test]
fn sqlite_two_indexes_in_one_database() {
    let mut md = MetaData::with_convention(conv(&[(Kind::Index, "ix_%(column_0_name)s")]));
    md.add_table(Table::new("a").column(Column::new("created", "timestamp").index()))
        .unwrap();
    md.add_table(Table::new("b").column(Column::new("created", "timestamp").index()))
        .unwrap();
    let e = collision(&md, "sqlite");
    assert!(
        e.contains("ix_created")
            && e.contains("index on table \"a\" (created)")
            && e.contains("index on table \"b\" (created)"),
        "{e}"
    );
    // MySQL index names are per table: fine.
    assert!(final_names(&md, &rules("mysql")).is_ok());
    // The SQLAlchemy default (ix_<table>_<col>) keeps them apart.
    let mut md = MetaData::new();
    md.add_table(Table::new("a").column(Column::new("created", "timestamp").index()))
        .unwrap();
    md.add_table(Table::new("b").column(Column::new("created", "timestamp").index()))
        .unwrap();
    assert_eq!(
        names(&md, "sqlite")
            .into_iter()
            .map(|o| o.2.unwrap())
            .collect::<Vec<_>>(),
        ["ix_a_created", "ix_b_created"]
    );
}

#[test]
fn names_equal_up_to_the_limit_get_distinct_digests() {
    // Two names equal up to the limit get different digests: no collision.
    let mut md = MetaData::with_convention(conv(&[(Kind::Index, "ix_%(column_0_name)s")]));
    let (c1, c2) = (
        format!("{}_one", "q".repeat(70)),
        format!("{}_two", "q".repeat(70)),
    );
    md.add_table(
        Table::new("t")
            .column(Column::new(c1.as_str(), "text").index())
            .column(Column::new(c2.as_str(), "text").index()),
    )
    .unwrap();
    let n = names(&md, "postgresql");
    assert_ne!(n[0].2, n[1].2);
    assert!(n.iter().all(|o| o.2.as_ref().unwrap().len() == 60));
}

/// The DDL error for `md` on `dialect`, as text (`None` if DDL is made).
fn ddl_error(md: &MetaData, d: &str) -> Option<String> {
    let dialect = dialect::by_name(d).unwrap();
    nomenclator::ddl::create_plan(md, dialect, &Default::default())
        .err()
        .map(|e| e.to_string())
}

#[test]
fn mysql_refuses_identifiers_outside_the_bmp_or_ending_in_a_space() {
    let emoji_table = {
        let mut md = MetaData::new();
        md.add_table(Table::new("party 🎉").column(Column::new("id", "integer")))
            .unwrap();
        md
    };
    let e = ddl_error(&emoji_table, "mysql").expect("refused on mysql");
    assert!(e.contains("table name \"party 🎉\""), "{e}");
    assert!(e.contains("outside the Basic Multilingual Plane"), "{e}");
    assert!(e.contains("mysql refuses"), "{e}");
    assert_eq!(ddl_error(&emoji_table, "postgresql"), None);
    assert_eq!(ddl_error(&emoji_table, "sqlite"), None);

    let mut md = MetaData::new();
    md.add_table(Table::new("t").column(Column::new("name ", "integer")))
        .unwrap();
    let e = ddl_error(&md, "mysql").expect("refused on mysql");
    assert!(
        e.contains("column of table \"t\" name \"name \" ends with a space"),
        "{e}"
    );
    assert_eq!(ddl_error(&md, "postgresql"), None);
}

#[test]
fn mysql_checks_constraint_names_after_shortening() {
    // An explicit constraint name with an emoji is refused; a generated
    // name whose emoji is cut away by shortening is fine.
    let mut md = MetaData::new();
    md.add_table(
        Table::new("t")
            .column(Column::new("a", "integer"))
            .constraint(Unique::new(["a"]).named(Name::explicit("uq 🎉"))),
    )
    .unwrap();
    let e = ddl_error(&md, "mysql").expect("refused on mysql");
    assert!(e.contains("\"uq 🎉\""), "{e}");
    assert_eq!(ddl_error(&md, "postgresql"), None);

    let long = format!("ix_{}_🎉", "x".repeat(70));
    let mut md = MetaData::new();
    md.add_table(Table::new("t").column(Column::new("a", "integer")).index(
        Index::new(["a"]).named(Name::Generated {
            name: long.clone(),
            explicit: None,
        }),
    ))
    .unwrap();
    assert_eq!(ddl_error(&md, "mysql"), None, "the emoji is past the cut");
    // Listing names is not DDL: SQLAlchemy lists them too.
    assert!(final_names(&md, &rules("mysql")).is_ok());
}

#[test]
fn nul_characters_are_refused_everywhere() {
    let mut md = MetaData::new();
    md.add_table(Table::new("a\0b").column(Column::new("id", "integer")))
        .unwrap();
    for d in ["postgresql", "sqlite", "mysql"] {
        let e = ddl_error(&md, d).expect("refused");
        assert!(e.contains("NUL"), "{d}: {e}");
    }
}
