//! Every naming token, both template spellings, format specs and flags,
//! and templates that do not parse (spec/naming.md, "Templates" and "Tokens").
//!
//! Expected values are worked out by hand from the token table of the spec
//! (which follows SQLAlchemy's `sqlalchemy.sql.naming`).
#![allow(clippy::result_large_err)] // test helpers return the crate's structured error

use nomenclator::naming::{NamingError, TemplateError};
use nomenclator::{
    Column, Constraint, ForeignKey, Index, Kind, MetaData, NamingConvention, PrimaryKey, Table,
    TableRef, Unique,
};

/// `account(id key "ident", first_name key "fn", last)`, optionally in a schema,
/// with a unique constraint on (first_name, last).
fn account(schema: Option<&str>) -> Table {
    let mut t = Table::new("account")
        .column(Column::new("id", "integer").key("ident"))
        .column(Column::new("first_name", "text").key("fn"))
        .column(Column::new("last", "text"));
    if let Some(s) = schema {
        t = t.in_schema(s);
    }
    t.constraint(Unique::new(["first_name", "last"]))
}

/// The name the uq template gives the (first_name, last) unique constraint.
fn uq_name(template: &str, schema: Option<&str>) -> String {
    let conv = NamingConvention::new()
        .with(Kind::Unique, template)
        .unwrap();
    let mut md = MetaData::with_convention(conv);
    let t = md.add_table(account(schema)).unwrap();
    match &t.constraints()[0] {
        Constraint::Unique(u) => u.name.as_str().expect("named by the template").to_owned(),
        other => panic!("expected the unique constraint, got {other:?}"),
    }
}

#[test]
fn table_name() {
    assert_eq!(uq_name("uq_%(table_name)s", None), "uq_account");
    // No schema in table_name.
    assert_eq!(uq_name("uq_%(table_name)s", Some("sales")), "uq_account");
}

#[test]
fn column_x_name_key_label() {
    assert_eq!(uq_name("%(column_0_name)s", None), "first_name");
    assert_eq!(uq_name("%(column_1_name)s", None), "last");
    assert_eq!(uq_name("%(column_0_key)s", None), "fn");
    // A column without a key: the key is its name.
    assert_eq!(uq_name("%(column_1_key)s", None), "last");
    // Labels use the column name, not its key.
    assert_eq!(uq_name("%(column_0_label)s", None), "account_first_name");
    assert_eq!(uq_name("%(column_1_label)s", None), "account_last");
}

#[test]
fn column_x_past_the_last_is_empty() {
    assert_eq!(uq_name("a_%(column_2_name)s_b", None), "a__b");
    assert_eq!(uq_name("a_%(column_7_key)s_b", None), "a__b");
    assert_eq!(uq_name("a_%(column_2_label)s_b", None), "a__b");
    assert_eq!(uq_name("a_{column_2_name}_b", None), "a__b");
}

#[test]
fn label_with_a_schema() {
    assert_eq!(
        uq_name("%(column_0_label)s", Some("sales")),
        "sales_account_first_name"
    );
    assert_eq!(
        uq_name("%(column_0_N_label)s", Some("sales")),
        "sales_account_first_name_sales_account_last"
    );
}

#[test]
fn all_columns_joined() {
    assert_eq!(uq_name("%(column_0N_name)s", None), "first_namelast");
    assert_eq!(uq_name("%(column_0_N_name)s", None), "first_name_last");
    assert_eq!(uq_name("%(column_0N_key)s", None), "fnlast");
    assert_eq!(uq_name("%(column_0_N_key)s", None), "fn_last");
    assert_eq!(
        uq_name("%(column_0N_label)s", None),
        "account_first_nameaccount_last"
    );
    assert_eq!(
        uq_name("%(column_0_N_label)s", None),
        "account_first_name_account_last"
    );
}

#[test]
fn constraint_name_token() {
    let conv = NamingConvention::new()
        .with(Kind::Unique, "uq_%(table_name)s_%(constraint_name)s")
        .unwrap();
    let mut md = MetaData::with_convention(conv);
    let t = md
        .add_table(
            Table::new("t")
                .column(Column::new("a", "text"))
                .constraint(Unique::new(["a"]).named("alpha")),
        )
        .unwrap();
    assert_eq!(t.constraints()[0].name().as_str(), Some("uq_t_alpha"));
}

/// customer(id, region_code) with a composite primary key, in schema `schema`.
fn customer(schema: Option<&str>) -> Table {
    let mut t = Table::new("customer")
        .column(Column::new("id", "integer"))
        .column(Column::new("region_code", "text"))
        .column(Column::new("other_id", "integer"))
        .constraint(PrimaryKey::new(["id", "region_code"]));
    if let Some(s) = schema {
        t = t.in_schema(s);
    }
    t
}

fn fk_name(
    template: &str,
    declared: Option<&[&str]>,
    schema: Option<&str>,
) -> Result<String, nomenclator::Error> {
    let conv = NamingConvention::new().with(Kind::ForeignKey, template)?;
    let mut md = MetaData::with_convention(conv);
    md.add_table(customer(schema))?;
    let mut fk = ForeignKey::new(
        ["cust_id", "cust_region"],
        TableRef::new(schema, "customer"),
    );
    if let Some(cols) = declared {
        fk = fk.referred_columns(cols.iter().copied());
    }
    let t = md.add_table(
        Table::new("orders")
            .column(Column::new("cust_id", "integer").key("cid"))
            .column(Column::new("cust_region", "text"))
            .constraint(fk),
    )?;
    Ok(t.constraints()[0]
        .name()
        .as_str()
        .expect("named")
        .to_owned())
}

#[test]
fn referred_table_and_local_columns() {
    let t = "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s";
    assert_eq!(
        fk_name(t, None, None).unwrap(),
        "fk_orders_cust_id_customer"
    );
    // The referred table's name has no schema.
    assert_eq!(
        fk_name(t, None, Some("crm")).unwrap(),
        "fk_orders_cust_id_customer"
    );
    // column_* tokens are the local columns.
    assert_eq!(
        fk_name("%(column_0_key)s|%(column_0_N_name)s", None, None).unwrap(),
        "cid|cust_id_cust_region"
    );
    assert_eq!(
        fk_name("%(column_1_label)s", None, Some("crm")).unwrap(),
        "orders_cust_region"
    );
}

#[test]
fn referred_columns_declared() {
    let decl: &[&str] = &["other_id", "region_code"];
    assert_eq!(
        fk_name("%(referred_column_0_name)s", Some(decl), None).unwrap(),
        "other_id"
    );
    assert_eq!(
        fk_name("%(referred_column_1_name)s", Some(decl), None).unwrap(),
        "region_code"
    );
    assert_eq!(
        fk_name("%(referred_column_0N_name)s", Some(decl), None).unwrap(),
        "other_idregion_code"
    );
    assert_eq!(
        fk_name("%(referred_column_0_N_name)s", Some(decl), None).unwrap(),
        "other_id_region_code"
    );
}

#[test]
fn referred_columns_default_to_the_referred_primary_key() {
    assert_eq!(
        fk_name("%(referred_column_0_name)s", None, None).unwrap(),
        "id"
    );
    assert_eq!(
        fk_name("%(referred_column_0N_name)s", None, None).unwrap(),
        "idregion_code"
    );
    assert_eq!(
        fk_name("fk_{referred_column_0_N_name}", None, Some("crm")).unwrap(),
        "fk_id_region_code"
    );
}

#[test]
fn referred_column_past_the_last_is_an_error() {
    // SQLAlchemy raises IndexError here; we report the token.
    let err = fk_name("%(referred_column_2_name)s", None, None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("referred_column_2_name"), "{err}");
}

#[test]
fn brace_spelling_and_format_specs() {
    assert_eq!(
        uq_name("uq_{table_name}_{column_0_name}", None),
        "uq_account_first_name"
    );
    // Both spellings mixed in one template.
    assert_eq!(
        uq_name("uq_%(table_name)s_{column_1_name}", None),
        "uq_account_last"
    );
    assert_eq!(uq_name("{table_name:.3}", None), "acc");
    assert_eq!(uq_name("{column_0_name:.10}", None), "first_name");
    assert_eq!(uq_name("{column_0_name:.5}", None), "first");
    assert_eq!(uq_name("[{column_1_name:>8}]", None), "[    last]");
    assert_eq!(uq_name("[{column_1_name:<6}]", None), "[last  ]");
    let conv = NamingConvention::new()
        .with(Kind::Index, "ix_{table_name:.10}_{column_0_name:>8}")
        .unwrap();
    let mut md = MetaData::with_convention(conv);
    let t = md
        .add_table(
            Table::new("organization_members")
                .column(Column::new("id", "integer"))
                .index(Index::new(["id"])),
        )
        .unwrap();
    assert_eq!(t.indexes()[0].name.as_str(), Some("ix_organizati_      id"));
}

#[test]
fn python_percent_flags() {
    assert_eq!(uq_name("[%(table_name)-10s]", None), "[account   ]");
    assert_eq!(uq_name("[%(table_name)10s]", None), "[   account]");
    assert_eq!(uq_name("%(table_name).5s", None), "accou");
    assert_eq!(uq_name("%(column_0_name).5s_x", None), "first_x");
    // A `.` without digits is precision 0, as in Python (so SQLAlchemy).
    assert_eq!(uq_name("uq_%(table_name).s|", None), "uq_|");
    assert_eq!(uq_name("[%(table_name)5.s]", None), "[     ]");
}

#[test]
fn literal_percent_and_braces() {
    assert_eq!(uq_name("pct%%_{{%(table_name)s}}", None), "pct%_{account}");
    assert_eq!(uq_name("{{}}%%", None), "{}%");
    assert_eq!(uq_name("{{{table_name}}}", None), "{account}");
}

fn template_error(template: &str) -> TemplateError {
    match NamingConvention::new().with(Kind::Unique, template) {
        Err(NamingError::Template { key, error, .. }) => {
            assert_eq!(key, Kind::Unique);
            assert_eq!(error.template, template);
            error
        }
        Err(other) => panic!("{template:?}: expected a template error, got {other}"),
        Ok(_) => panic!("{template:?} parsed"),
    }
}

#[test]
fn templates_that_do_not_parse() {
    // unclosed %(
    let e = template_error("uq_%(table_name");
    assert_eq!(e.position, 3, "{e}");
    // a stray % not followed by ( or %
    let e = template_error("uq_%table");
    assert_eq!(e.position, 3, "{e}");
    assert!(e.message.contains("%%"), "the message suggests %%: {e}");
    // a lone }
    let e = template_error("uq_}x");
    assert_eq!(e.position, 3, "{e}");
    // an unclosed {
    let e = template_error("uq_{table_name");
    assert_eq!(e.position, 3, "{e}");
    // a conversion other than s: the position is the conversion character
    let e = template_error("uq_%(table_name)d");
    assert_eq!(e.position, 16, "{e}");
    assert!(e.message.contains("'%d'"), "{e}");
    // %(x) with no conversion at the end
    let e = template_error("uq_%(table_name)");
    assert_eq!(e.position, 3, "{e}");
    // the Display says where
    let shown = NamingConvention::new()
        .with(Kind::Unique, "ab%")
        .unwrap_err()
        .to_string();
    assert!(
        shown.contains("position 2") && shown.contains("uq"),
        "{shown}"
    );
}

#[test]
fn unknown_token_names_token_and_key() {
    let e = NamingConvention::new()
        .with(Kind::Check, "ck_%(tabel_name)s")
        .unwrap_err();
    match &e {
        NamingError::Token {
            key,
            template,
            message,
            ..
        } => {
            assert_eq!(*key, Kind::Check);
            assert_eq!(template, "ck_%(tabel_name)s");
            assert!(message.contains("tabel_name"), "{message}");
        }
        other => panic!("expected a token error, got {other:?}"),
    }
    let shown = e.to_string();
    assert!(
        shown.contains("ck") && shown.contains("tabel_name"),
        "{shown}"
    );
    // The brace spelling too.
    let shown = NamingConvention::new()
        .with(Kind::Index, "{nope}")
        .unwrap_err()
        .to_string();
    assert!(shown.contains("ix") && shown.contains("nope"), "{shown}");
    // referred_label is not a token either.
    assert!(NamingConvention::new()
        .with(Kind::ForeignKey, "%(referred_column_0_label)s")
        .is_err());
}

#[test]
fn referred_tokens_only_for_foreign_keys() {
    for (kind, template, token) in [
        (
            Kind::Unique,
            "uq_%(referred_table_name)s",
            "referred_table_name",
        ),
        (
            Kind::Index,
            "ix_%(referred_column_0_name)s",
            "referred_column_0_name",
        ),
        (
            Kind::PrimaryKey,
            "pk_{referred_column_0_N_name}",
            "referred_column_0_N_name",
        ),
        (
            Kind::Check,
            "ck_%(referred_column_0N_name)s",
            "referred_column_0N_name",
        ),
    ] {
        let shown = NamingConvention::new()
            .with(kind, template)
            .unwrap_err()
            .to_string();
        assert!(shown.contains(token), "{shown}");
        assert!(shown.contains(&format!("key {}", kind.key())), "{shown}");
    }
    assert!(NamingConvention::new()
        .with(Kind::ForeignKey, "fk_%(referred_table_name)s")
        .is_ok());
}
