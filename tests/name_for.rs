//! `NamingConvention::name_for`: the name a convention gives an object,
//! found without attaching it, equals the name attaching gives (over the
//! whole SQLAlchemy corpus), and follows the six rules of spec/naming.md.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use nomenclator::document::{load_path, LoadOptions};
use nomenclator::naming::{ConventionSet, NamingError, TokenError};
use nomenclator::{
    final_names, Check, Column, Constraint, ForeignKey, Index, Kind, MetaData, Name,
    NamingConvention, ObjectRef, Plugins, PrimaryKey, Table, TableRef, TokenContext, TokenProvider,
    Unique,
};
use nomenclator_digest::{DigestPlugin, StrictPlugin};

fn conv(pairs: &[(Kind, &str)]) -> NamingConvention {
    let mut c = NamingConvention::new();
    for (k, t) in pairs {
        c.set(*k, t).unwrap();
    }
    c
}

fn documents() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/sqlalchemy");
    let mut docs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("corpus present")
        .map(|e| e.unwrap().path().join("schema.json"))
        .collect();
    docs.sort();
    docs
}

/// Compares, for every constraint and index of `md`, the name attaching
/// gave with what `name_for` gives the object as declared (the detached
/// copy, whose names are back to what the user gave). Returns how many
/// objects were compared.
fn compare(md: &MetaData, id: &str, failures: &mut Vec<String>) -> usize {
    let Some(convention) = md.convention() else {
        return 0;
    };
    let mut compared = 0;
    for t in md.tables() {
        let declared = t.to_detached();
        let mut pairs: Vec<(ObjectRef<'_>, ObjectRef<'_>)> = Vec::new();
        if let (Some(a), Some(d)) = (t.primary_key(), declared.primary_key()) {
            pairs.push((a.into(), d.into()));
        }
        assert_eq!(t.constraints().len(), declared.constraints().len());
        assert_eq!(t.indexes().len(), declared.indexes().len());
        pairs.extend(
            t.constraints()
                .iter()
                .zip(declared.constraints())
                .map(|(a, d)| (a.into(), d.into())),
        );
        pairs.extend(
            t.indexes()
                .iter()
                .zip(declared.indexes())
                .map(|(a, d)| (a.into(), d.into())),
        );
        for (attached, object) in pairs {
            let referred = match object {
                ObjectRef::ForeignKey(fk) => md.get(fk.referred_table()),
                _ => None,
            };
            match convention.name_for(t, object, referred) {
                Ok(name) if &name == attached.name() => compared += 1,
                got => failures.push(format!(
                    "{id}: {} {} on {:?}: attached {:?}, name_for {got:?}",
                    object.kind(),
                    object.columns().join(","),
                    t.full_name(),
                    attached.name()
                )),
            }
        }
    }
    compared
}

#[test]
fn name_for_equals_attaching_over_the_corpus() {
    let docs = documents();
    assert!(docs.len() >= 300, "the corpus has {} documents", docs.len());
    let mut failures = Vec::new();
    let (mut loaded, mut compared) = (0, 0);
    for doc in &docs {
        let Ok(md) = load_path(doc, &LoadOptions::default()) else {
            continue;
        };
        loaded += 1;
        compared += compare(&md, &doc.display().to_string(), &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} of {} objects differ:\n{}",
        failures.len(),
        compared + failures.len(),
        failures[..failures.len().min(10)].join("\n")
    );
    assert!(loaded >= 250, "only {loaded} documents loaded");
    assert!(compared >= 4000, "only {compared} objects compared");
}

#[test]
fn name_for_equals_attaching_with_plugin_tokens() {
    let plugins = Plugins::new().with(DigestPlugin).with(StrictPlugin);
    let options = LoadOptions::new().conventions(["digest"]).plugins(plugins);
    let mut failures = Vec::new();
    let mut compared = 0;
    for doc in documents().iter().take(60) {
        if let Ok(md) = load_path(doc, &options) {
            compared += compare(&md, &doc.display().to_string(), &mut failures);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(compared >= 500, "only {compared} objects compared");
}

fn table() -> Table {
    Table::new("t")
        .column(Column::new("id", "integer"))
        .column(Column::new("a", "text"))
        .column(Column::new("b", "text"))
}

fn generated(name: &str, explicit: Option<&str>) -> Name {
    Name::Generated {
        name: name.into(),
        explicit: explicit.map(Into::into),
    }
}

#[test]
fn rule_1_no_name_and_a_template() {
    let c = conv(&[
        (Kind::PrimaryKey, "pk_%(table_name)s"),
        (Kind::Unique, "uq_%(table_name)s_%(column_0_N_name)s"),
        (Kind::Index, "ix_%(column_0_label)s"),
    ]);
    let t = table();
    assert_eq!(
        c.name_for(&t, &PrimaryKey::new(["id"]), None).unwrap(),
        generated("pk_t", None)
    );
    assert_eq!(
        c.name_for(&t, &Unique::new(["a", "b"]), None).unwrap(),
        generated("uq_t_a_b", None)
    );
    assert_eq!(
        c.name_for(&t, &Index::new(["b"]), None).unwrap(),
        generated("ix_t_b", None)
    );
    // A `Constraint` works as well as the constraint type.
    let uq: Constraint = Unique::new(["b"]).into();
    assert_eq!(c.name_for(&t, &uq, None).unwrap().as_str(), Some("uq_t_b"));
}

#[test]
fn rule_2_no_name_no_template() {
    let c = conv(&[(Kind::Unique, "uq_%(column_0_name)s")]);
    let t = table();
    assert_eq!(
        c.name_for(&t, &Check::new("a <> b"), None).unwrap(),
        Name::Pending
    );
    // An index is left unnamed as well; final names report it.
    let index = Index::new(["a"]);
    assert_eq!(c.name_for(&t, &index, None).unwrap(), Name::Pending);
    let mut md = MetaData::with_convention(c);
    md.add_table(table().index(index)).unwrap();
    let rules = nomenclator::dialect::by_name("sqlite")
        .unwrap()
        .name_rules(None);
    assert!(matches!(
        final_names(&md, &rules),
        Err(NamingError::IndexWithoutName { .. })
    ));
}

#[test]
fn rule_3_explicit_name_and_a_template_without_constraint_name() {
    let c = conv(&[(Kind::Unique, "uq_%(table_name)s_%(column_0_name)s")]);
    let uq = Unique::new(["a"]).named("my_key");
    assert_eq!(
        c.name_for(&table(), &uq, None).unwrap(),
        Name::explicit("my_key")
    );
}

#[test]
fn rule_4_explicit_name_and_a_template_with_constraint_name() {
    let c = conv(&[(Kind::Check, "ck_%(table_name)s_%(constraint_name)s")]);
    let ck = Check::new("a <> b").named("distinct");
    assert_eq!(
        c.name_for(&table(), &ck, None).unwrap(),
        generated("ck_t_distinct", Some("distinct"))
    );
    // A generated name is made again from the explicit name it came from.
    let again = Check::new("a <> b").named(generated("ck_old_distinct", Some("distinct")));
    assert_eq!(
        c.name_for(&table(), &again, None).unwrap(),
        generated("ck_t_distinct", Some("distinct"))
    );
}

#[test]
fn rule_5_no_name_and_a_template_with_constraint_name() {
    let c = conv(&[(Kind::Check, "ck_%(table_name)s_%(constraint_name)s")]);
    match c.name_for(&table(), &Check::new("a <> b"), None) {
        Err(NamingError::ConstraintNameRequired { table, kind, .. }) => {
            assert_eq!(table, TableRef::new(None, "t"));
            assert_eq!(kind, Kind::Check);
        }
        other => panic!("expected rule 5's error, got {other:?}"),
    }
}

#[test]
fn rule_6_a_final_name_is_untouched() {
    let c = conv(&[(Kind::Unique, "uq_%(constraint_name)s")]);
    let uq = Unique::new(["a"]).named(Name::final_("as_is"));
    assert_eq!(
        c.name_for(&table(), &uq, None).unwrap(),
        Name::final_("as_is")
    );
}

#[test]
fn a_template_that_renders_nothing_keeps_the_given_name() {
    let c = conv(&[(Kind::Unique, "%(column_3_name)s")]);
    let t = table();
    assert_eq!(
        c.name_for(&t, &Unique::new(["a"]), None).unwrap(),
        Name::Pending
    );
    let c = conv(&[(Kind::Unique, "%(column_3_name)s%(constraint_name)s")]);
    let given = Unique::new(["a"]).named(generated("", Some("")));
    assert_eq!(c.name_for(&t, &given, None).unwrap(), Name::explicit(""));
}

#[test]
fn column_level_check_sees_its_column() {
    let c = conv(&[(Kind::Check, "ck_%(table_name)s_%(column_0_name)s")]);
    let mut md = MetaData::with_convention(c.clone());
    let t = md
        .add_table(table().column(Column::new("qty", "integer").check(Check::new("qty > 0"))))
        .unwrap();
    let ck = &t.constraints()[0];
    assert_eq!(ck.columns(), ["qty"]);
    assert_eq!(ck.name().as_str(), Some("ck_t_qty"));
    let declared = t.to_detached();
    assert_eq!(
        c.name_for(t, &declared.constraints()[0], None)
            .unwrap()
            .as_str(),
        Some("ck_t_qty")
    );
    // A table-level check has no columns.
    assert_eq!(
        c.name_for(t, &Check::new("qty > 1"), None)
            .unwrap()
            .as_str(),
        Some("ck_t_")
    );
}

#[test]
fn foreign_key_referred_columns_come_from_the_referred_primary_key() {
    let c = conv(&[(
        Kind::ForeignKey,
        "fk_%(table_name)s_%(referred_table_name)s_%(referred_column_0_N_name)s",
    )]);
    let parent = Table::new("parent")
        .column(Column::new("x", "integer"))
        .column(Column::new("y", "integer"))
        .constraint(PrimaryKey::new(["x", "y"]));
    let child = table();
    let fk = ForeignKey::new(["a", "b"], TableRef::new(None, "parent"));
    assert!(c.needs_referred_table(&fk));
    assert_eq!(
        c.name_for(&child, &fk, Some(&parent)).unwrap().as_str(),
        Some("fk_t_parent_x_y")
    );
    // Without the referred table (or one without a primary key): an error.
    for referred in [None, Some(&Table::new("parent"))] {
        match c.name_for(&child, &fk, referred) {
            Err(e @ NamingError::ReferredKeyUnknown { .. }) => {
                assert!(e.to_string().contains("\"parent\""), "{e}")
            }
            other => panic!("expected ReferredKeyUnknown, got {other:?}"),
        }
    }
    // Declared referred columns need no table.
    let declared = fk.clone().referred_columns(["p", "q"]);
    assert!(!c.needs_referred_table(&declared));
    assert_eq!(
        c.name_for(&child, &declared, None).unwrap().as_str(),
        Some("fk_t_parent_p_q")
    );
    // A template without referred columns needs no table either.
    let plain = conv(&[(
        Kind::ForeignKey,
        "fk_%(table_name)s_%(referred_table_name)s",
    )]);
    assert!(!plain.needs_referred_table(&fk));
    assert_eq!(
        plain.name_for(&child, &fk, None).unwrap().as_str(),
        Some("fk_t_parent")
    );
    // Attaching gives the same, once the referred table is there.
    let mut md = MetaData::with_convention(c.clone());
    md.add_table(table().constraint(fk.clone())).unwrap();
    md.add_table(parent.clone()).unwrap();
    let attached = md.table("t").unwrap().constraints()[0].name().clone();
    assert_eq!(attached.as_str(), Some("fk_t_parent_x_y"));
}

/// `%(ncols)s`, and `%(nope)s`, which never has a value.
struct Tokens;
impl TokenProvider for Tokens {
    fn provides(&self, token: &str) -> bool {
        matches!(token, "ncols" | "nope")
    }
    fn resolve(&self, token: &str, cx: &TokenContext<'_>) -> Result<String, TokenError> {
        match token {
            "ncols" => Ok(cx.columns().len().to_string()),
            _ => Err(TokenError::new(token, "has no value")),
        }
    }
}

#[test]
fn a_token_error_names_the_key_and_the_token() {
    let mut c = NamingConvention::new();
    c.add_provider(Arc::new(Tokens));
    c.set(Kind::Unique, "uq_%(table_name)s_%(ncols)s").unwrap();
    c.set(Kind::Index, "ix_%(nope)s").unwrap();
    let t = table();
    assert_eq!(
        c.name_for(&t, &Unique::new(["a", "b"]), None)
            .unwrap()
            .as_str(),
        Some("uq_t_2")
    );
    let e = c.name_for(&t, &Index::new(["a"]), None).unwrap_err();
    match &e {
        NamingError::TokenValue {
            key,
            template,
            error,
            ..
        } => {
            assert_eq!(*key, Kind::Index);
            assert_eq!(template, "ix_%(nope)s");
            assert_eq!(error, &TokenError::new("nope", "has no value"));
        }
        other => panic!("expected a token value error, got {other:?}"),
    }
    assert_eq!(
        e.to_string(),
        "naming convention key ix = \"ix_%(nope)s\": token nope: has no value"
    );
    // Attaching reports the same error.
    let mut md = MetaData::with_convention(c);
    let err = md.add_table(table().index(Index::new(["a"]))).unwrap_err();
    assert!(
        err.to_string().contains("token nope: has no value"),
        "{err}"
    );
}

#[test]
fn token_context_is_made_without_a_metadata() {
    let t = Table::new("line")
        .in_schema("shop")
        .column(Column::new("order_id", "integer").key("order"))
        .column(Column::new("sku", "text"));
    let orders = TableRef::new(Some("shop"), "orders");
    let referred = vec!["id".to_owned()];
    let cx = TokenContext::new(&t, Kind::ForeignKey)
        .with_column_names(&["order_id", "missing"])
        .with_explicit_name("to_orders")
        .with_referred_table(&orders)
        .with_referred_columns(&referred);
    assert_eq!(cx.table().name(), "line");
    assert_eq!(cx.kind(), Kind::ForeignKey);
    assert_eq!(cx.columns().len(), 1);
    assert_eq!(cx.explicit_name(), Some("to_orders"));
    assert_eq!(cx.referred_table(), Some(&orders));
    assert_eq!(cx.referred_columns(), Some(&referred[..]));
    assert_eq!(cx.check_sql(), None);
    let c = conv(&[(
        Kind::ForeignKey,
        "%(constraint_name)s_%(column_0_key)s_%(column_0_label)s_%(referred_table_name)s_%(referred_column_0_name)s",
    )]);
    let template = c.template(Kind::ForeignKey).unwrap();
    assert_eq!(
        c.render(template, &cx).unwrap(),
        "to_orders_order_shop_line_order_id_orders_id"
    );
    let ck = TokenContext::new(&t, Kind::Check).with_check_sql("sku <> ''");
    assert_eq!(ck.check_sql(), Some("sku <> ''"));
    assert!(ck.columns().is_empty());
}

#[test]
fn a_pack_convention_names_without_attaching() {
    let mut set = ConventionSet::new();
    set.add_pack("sqlalchemy", None).unwrap();
    let (c, _) = set.build(&Plugins::new()).unwrap();
    let t = table();
    let fk = ForeignKey::new(["a"], TableRef::new(None, "other"));
    assert_eq!(
        c.name_for(&t, &fk, None).unwrap().as_str(),
        Some("fk_t_a_other")
    );
}
