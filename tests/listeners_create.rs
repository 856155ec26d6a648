//! Listeners that create: constraints and indexes attached from the
//! table-, table-built-, column-, constraint- and index-attached events,
//! named by the convention, marked as made by a listener, stopped when a
//! listener keeps creating, and left out of copies.

#![allow(clippy::result_large_err)]

use std::sync::{Arc, Mutex};

use nomenclator::ddl::{create_script, DdlOptions};
use nomenclator::dialect::for_kind;
use nomenclator::events::{
    on_column, ColumnAttached, ConstraintAttached, IndexAttached, Listener, ListenerResult,
    TableAttached, TableBuilt,
};
use nomenclator::naming::final_names;
use nomenclator::schema::{Origin, SchemaError, MAX_CREATION_DEPTH};
use nomenclator::{
    Check, Column, ColumnType, Constraint, DialectKind, Index, Kind, MetaData, NamingConvention,
    Reference, Table, TableRef,
};

fn convention() -> NamingConvention {
    NamingConvention::new()
        .with(Kind::PrimaryKey, "pk_%(table_name)s")
        .unwrap()
        .with(Kind::Check, "ck_%(table_name)s_%(column_0_name)s")
        .unwrap()
        .with(Kind::Index, "ix_%(table_name)s_%(column_0_N_name)s")
        .unwrap()
        .with(Kind::Unique, "uq_%(table_name)s_%(column_0_name)s")
        .unwrap()
        .with(
            Kind::ForeignKey,
            "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        )
        .unwrap()
}

/// A check `col IN (0, 1)` for every boolean column.
#[derive(Clone)]
struct BooleanChecks;

impl Listener for BooleanChecks {
    fn name(&self) -> &str {
        "boolean-checks"
    }
    fn column_attached(&mut self, e: &mut ColumnAttached<'_>) -> ListenerResult {
        if e.column.column_type() == Some(&ColumnType::Boolean) {
            let col = e.column.name().to_owned();
            e.add_constraint(Check::new(format!("{col} IN (0, 1)")).on_column(col));
        }
        Ok(())
    }
}

/// An index on the columns of every foreign key.
#[derive(Clone)]
struct IndexEachForeignKey;

impl Listener for IndexEachForeignKey {
    fn name(&self) -> &str {
        "index-each-fk"
    }
    fn constraint_attached(&mut self, e: &mut ConstraintAttached<'_>) -> ListenerResult {
        if let Constraint::ForeignKey(fk) = &*e.constraint {
            let cols = fk.columns().to_vec();
            e.add_index(Index::new(cols));
        }
        Ok(())
    }
}

fn account() -> Table {
    Table::new("account")
        .column(Column::new("id", "integer").primary_key())
        .column(Column::new("active", "boolean"))
}

fn post() -> Table {
    Table::new("post")
        .column(Column::new("id", "integer").primary_key())
        .column(
            Column::new("author_id", "integer").references(Reference::parse("account.id").unwrap()),
        )
        .column(Column::new("draft", "boolean"))
}

#[test]
fn a_column_listener_attaches_a_check_named_for_its_column() {
    let mut md = MetaData::with_convention(convention());
    md.listen(BooleanChecks);
    md.add_table(account()).unwrap();
    let t = md.table("account").unwrap();
    assert_eq!(t.constraints().len(), 1);
    let Constraint::Check(ck) = &t.constraints()[0] else {
        panic!("not a check: {:?}", t.constraints()[0]);
    };
    assert_eq!(ck.sql(), "active IN (0, 1)");
    // Named by the `ck` template, with the column as column_0.
    assert_eq!(ck.name.as_str(), Some("ck_account_active"));
    assert_eq!(ck.column(), Some("active"));
    assert_eq!(t.constraints()[0].created_by(), Some("boolean-checks"));
    assert_eq!(
        t.constraints()[0].origin(),
        &Origin::Listener {
            by: "boolean-checks".into(),
            column: Some("active".into())
        }
    );
    // A declared check is not marked.
    let mut md = MetaData::with_convention(convention());
    md.add_table(
        Table::new("t")
            .column(Column::new("a", "integer").check(Check::new("a > 0")))
            .constraint(Check::new("a < 10")),
    )
    .unwrap();
    let t = md.table("t").unwrap();
    assert!(t.constraints().iter().all(|c| c.created_by().is_none()));
}

#[test]
fn a_constraint_listener_attaches_an_index_right_after_the_constraint() {
    let mut md = MetaData::with_convention(convention());
    md.listen(IndexEachForeignKey);
    // A second listener records the order of the attachment events.
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    #[derive(Clone)]
    struct Order(Arc<Mutex<Vec<String>>>);
    impl Listener for Order {
        fn column_attached(&mut self, e: &mut ColumnAttached<'_>) -> ListenerResult {
            self.0
                .lock()
                .unwrap()
                .push(format!("column {}", e.column.name()));
            Ok(())
        }
        fn constraint_attached(&mut self, e: &mut ConstraintAttached<'_>) -> ListenerResult {
            let c = &*e.constraint;
            self.0
                .lock()
                .unwrap()
                .push(format!("{} {}", c.kind().key(), c.name()));
            Ok(())
        }
        fn index_attached(&mut self, e: &mut IndexAttached<'_>) -> ListenerResult {
            let by = e.index.created_by().unwrap_or("declared").to_owned();
            self.0
                .lock()
                .unwrap()
                .push(format!("ix {} by {by}", e.index.name));
            Ok(())
        }
    }
    md.listen(Order(seen.clone()));
    md.add_table(account()).unwrap();
    seen.lock().unwrap().clear();
    md.add_table(post()).unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "column id",
            "pk pk_post",
            "column author_id",
            "fk fk_post_author_id_account",
            // Named by the convention, before the next column.
            "ix ix_post_author_id by index-each-fk",
            "column draft",
        ]
    );
    let t = md.table("post").unwrap();
    assert_eq!(t.indexes().len(), 1);
    assert_eq!(t.indexes()[0].name.as_str(), Some("ix_post_author_id"));
}

#[test]
fn an_index_listener_attaches_a_constraint() {
    // Every unique index gets a matching unique constraint (a contrived
    // rule, to show the index event creating).
    #[derive(Clone)]
    struct UniqueForUniqueIndex;
    impl Listener for UniqueForUniqueIndex {
        fn index_attached(&mut self, e: &mut IndexAttached<'_>) -> ListenerResult {
            if e.index.is_unique() {
                let cols: Vec<String> = e.index.columns().map(str::to_owned).collect();
                e.add_constraint(nomenclator::Unique::new(cols));
            }
            Ok(())
        }
    }
    let mut md = MetaData::with_convention(convention());
    md.listen(UniqueForUniqueIndex);
    md.add_table(
        Table::new("t")
            .column(Column::new("code", "varchar(10)"))
            .index(Index::new(["code"]).unique(true)),
    )
    .unwrap();
    let t = md.table("t").unwrap();
    assert_eq!(t.constraints().len(), 1);
    assert_eq!(t.constraints()[0].name().as_str(), Some("uq_t_code"));
    assert!(t.constraints()[0]
        .created_by()
        .is_some_and(|n| n.contains("UniqueForUniqueIndex")));
}

#[test]
fn table_listeners_attach_after_every_declared_item() {
    // From TableAttached, for a column declared later; from TableBuilt,
    // with the whole table in view.
    #[derive(Clone)]
    struct Both;
    impl Listener for Both {
        fn table_attached(&mut self, e: &mut TableAttached<'_>) -> ListenerResult {
            assert!(e.table.columns().is_empty());
            assert!(!e.is_table_complete());
            e.add_index(Index::new(["created_at"]));
            Ok(())
        }
        fn table_built(&mut self, e: &mut TableBuilt<'_>) -> ListenerResult {
            assert!(e.is_table_complete());
            // Sees the index TableAttached asked for, and every column.
            assert_eq!(e.table.indexes().len(), 1);
            let n = e.table.columns().len();
            e.add_constraint(Check::new(format!("{n} > 0")));
            Ok(())
        }
        fn column_attached(&mut self, e: &mut ColumnAttached<'_>) -> ListenerResult {
            assert!(!e.is_table_complete());
            Ok(())
        }
    }
    let mut md = MetaData::with_convention(
        convention()
            .with(Kind::Check, "ck_%(table_name)s_rows")
            .unwrap(),
    );
    md.listen(Both);
    md.add_table(
        Table::new("event")
            .column(Column::new("id", "integer"))
            .column(Column::new("created_at", "timestamp")),
    )
    .unwrap();
    let t = md.table("event").unwrap();
    assert_eq!(t.indexes()[0].name.as_str(), Some("ix_event_created_at"));
    let Constraint::Check(ck) = &t.constraints()[0] else {
        panic!()
    };
    assert_eq!(
        (ck.sql(), ck.name.as_str()),
        ("2 > 0", Some("ck_event_rows"))
    );
}

#[test]
fn a_listener_that_keeps_creating_is_stopped_with_an_error() {
    // Every check makes another check: without a guard, this never ends.
    #[derive(Clone)]
    struct Forever;
    impl Listener for Forever {
        fn name(&self) -> &str {
            "forever"
        }
        fn constraint_attached(&mut self, e: &mut ConstraintAttached<'_>) -> ListenerResult {
            if let Constraint::Check(ck) = &*e.constraint {
                let sql = format!("({}) OR true", ck.sql());
                e.add_constraint(Check::new(sql));
            }
            Ok(())
        }
    }
    let mut md = MetaData::with_convention(NamingConvention::new());
    md.listen(Forever);
    let err = md
        .add_table(
            Table::new("t")
                .column(Column::new("a", "integer"))
                .constraint(Check::new("a > 0")),
        )
        .unwrap_err();
    let SchemaError::CreationLoop {
        table, listener, ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!((table.name.as_str(), listener.as_str()), ("t", "forever"));
    let msg = err.to_string();
    assert!(msg.contains("listener forever keeps creating"), "{msg}");
    assert!(
        msg.contains(&format!("{MAX_CREATION_DEPTH} levels deep")),
        "{msg}"
    );
    // Nothing half-done: the table is not there.
    assert!(md.table("t").is_none());
}

#[test]
fn two_listeners_that_create_for_each_other_are_stopped() {
    #[derive(Clone)]
    struct IndexForCheck;
    impl Listener for IndexForCheck {
        fn constraint_attached(&mut self, e: &mut ConstraintAttached<'_>) -> ListenerResult {
            if matches!(&*e.constraint, Constraint::Check(_)) {
                e.add_index(Index::new(["a"]));
            }
            Ok(())
        }
    }
    #[derive(Clone)]
    struct CheckForIndex;
    impl Listener for CheckForIndex {
        fn name(&self) -> &str {
            "check-for-index"
        }
        fn index_attached(&mut self, e: &mut IndexAttached<'_>) -> ListenerResult {
            e.add_constraint(Check::new("a > 0"));
            Ok(())
        }
    }
    let mut md = MetaData::with_convention(NamingConvention::new());
    md.listen(IndexForCheck);
    md.listen(CheckForIndex);
    let err = md
        .add_table(
            Table::new("t")
                .column(Column::new("a", "integer"))
                .index(Index::new(["a"])),
        )
        .unwrap_err();
    assert!(matches!(err, SchemaError::CreationLoop { .. }), "{err:?}");
}

#[test]
fn what_a_listener_creates_is_checked_like_anything_declared() {
    #[derive(Clone)]
    struct Wrong;
    impl Listener for Wrong {
        fn column_attached(&mut self, e: &mut ColumnAttached<'_>) -> ListenerResult {
            e.add_index(Index::new(["nope"]));
            Ok(())
        }
    }
    let mut md = MetaData::new();
    md.listen(Wrong);
    let err = md
        .add_table(Table::new("t").column(Column::new("a", "integer")))
        .unwrap_err();
    assert!(err.to_string().contains("\"nope\""), "{err}");
    assert!(md.is_empty());
}

#[test]
fn copies_do_not_duplicate_what_listeners_made() {
    let mut a = MetaData::with_convention(convention());
    a.listen(BooleanChecks);
    a.add_table(account()).unwrap();
    assert_eq!(a.table("account").unwrap().constraints().len(), 1);

    // The same listener on the target makes the check again: one, not two.
    let mut b = MetaData::with_convention(convention());
    b.listen(BooleanChecks);
    b.copy_table(a.table("account").unwrap()).unwrap();
    let t = b.table("account").unwrap();
    assert_eq!(t.constraints().len(), 1);
    assert_eq!(
        t.constraints()[0].name().as_str(),
        Some("ck_account_active")
    );

    // A target without the listener has none.
    let mut c = MetaData::with_convention(convention());
    c.copy_table(a.table("account").unwrap()).unwrap();
    assert!(c.table("account").unwrap().constraints().is_empty());

    // A clone of the metadata keeps the table as it is, listener included.
    let mut d = a.clone();
    assert_eq!(d.table("account").unwrap().constraints().len(), 1);
    d.add_table(Table::new("flag").column(Column::new("on", "boolean")))
        .unwrap();
    assert_eq!(d.table("flag").unwrap().constraints().len(), 1);
    assert!(a.table("flag").is_none());
}

#[test]
fn later_changes_through_table_mut_create_too() {
    let mut md = MetaData::with_convention(convention());
    md.listen(BooleanChecks);
    md.add_table(account()).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    md.listen(on_column(move |e: &mut ColumnAttached<'_>| {
        s.lock().unwrap().push(e.is_table_complete());
        Ok(())
    }));
    md.table_mut(&TableRef::new(None, "account"))
        .unwrap()
        .add_column(Column::new("verified", "boolean"))
        .unwrap();
    let t = md.table("account").unwrap();
    let names: Vec<_> = t
        .constraints()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    assert_eq!(names, ["ck_account_active", "ck_account_verified"]);
    assert_eq!(*seen.lock().unwrap(), [true]);
}

#[test]
fn names_list_the_listener_that_made_an_object() {
    let mut md = MetaData::with_convention(convention());
    md.listen(BooleanChecks);
    md.listen(IndexEachForeignKey);
    md.add_table(account()).unwrap();
    md.add_table(post()).unwrap();
    let rules = for_kind(DialectKind::Sqlite).name_rules(None);
    let names = final_names(&md, &rules).unwrap();
    let made: Vec<(String, Option<String>)> = names
        .iter()
        .map(|o| (o.name.clone().unwrap_or_default(), o.created_by.clone()))
        .collect();
    assert_eq!(
        made,
        [
            ("pk_account".into(), None),
            ("ck_account_active".into(), Some("boolean-checks".into())),
            ("pk_post".into(), None),
            ("fk_post_author_id_account".into(), None),
            ("ck_post_draft".into(), Some("boolean-checks".into())),
            ("ix_post_author_id".into(), Some("index-each-fk".into())),
        ]
    );
    let json = serde_json::to_string(&names[1]).unwrap();
    assert!(json.contains(r#""created_by":"boolean-checks""#), "{json}");
    let json = serde_json::to_string(&names[0]).unwrap();
    assert!(!json.contains("created_by"), "{json}");
}

#[test]
fn a_check_restricted_to_some_dialects_is_made_only_there() {
    let mut md = MetaData::with_convention(convention());
    md.add_table(
        Table::new("t")
            .column(Column::new("id", "integer").primary_key())
            .column(Column::new("on", "boolean"))
            .constraint(
                Check::new("\"on\" IN (0, 1)")
                    .on_column("on")
                    .only_for([DialectKind::Sqlite]),
            )
            .column(Column::new("n", "integer"))
            .constraint(
                Check::new("n > 0")
                    .on_column("n")
                    .only_for([DialectKind::MySql]),
            ),
    )
    .unwrap();
    let script = |k: DialectKind| {
        create_script(&md, for_kind(k), &DdlOptions::default())
            .unwrap()
            .into_string()
    };
    let sqlite = script(DialectKind::Sqlite);
    assert!(
        sqlite.contains("CONSTRAINT ck_t_on CHECK (\"on\" IN (0, 1))"),
        "{sqlite}"
    );
    assert!(!sqlite.contains("n > 0"), "{sqlite}");
    let pg = script(DialectKind::PostgreSql);
    assert!(!pg.contains("CHECK"), "{pg}");
    // `MySql` includes MariaDB.
    let maria = script(DialectKind::MariaDb);
    assert!(maria.contains("CHECK (n > 0)"), "{maria}");
    assert!(!maria.contains("IN (0, 1)"), "{maria}");
}

#[test]
fn a_listener_called_again_for_a_deferred_key_may_create_then() {
    // Indexes a foreign key once its referred table is there (a contrived
    // wait, to show creating on the retry).
    #[derive(Clone)]
    struct WhenReferredExists;
    impl Listener for WhenReferredExists {
        fn name(&self) -> &str {
            "when-referred-exists"
        }
        fn constraint_attached(&mut self, e: &mut ConstraintAttached<'_>) -> ListenerResult {
            let Constraint::ForeignKey(fk) = &*e.constraint else {
                return Ok(());
            };
            let referred = fk.referred_table().clone();
            if e.catalog.table(&referred).is_none() {
                e.defer_until(referred);
                return Ok(());
            }
            let cols = fk.columns().to_vec();
            e.add_index(Index::new(cols));
            Ok(())
        }
    }
    let mut md = MetaData::with_convention(convention());
    md.listen(WhenReferredExists);
    md.add_table(post()).unwrap();
    assert!(md.table("post").unwrap().indexes().is_empty());
    md.add_table(account()).unwrap();
    let ix = &md.table("post").unwrap().indexes()[0];
    assert_eq!(ix.name.as_str(), Some("ix_post_author_id"));
    assert_eq!(ix.created_by(), Some("when-referred-exists"));
}

#[test]
fn a_name_a_listener_suggests_only_fills_constraint_name() {
    #[derive(Clone)]
    struct Suggest;
    impl Listener for Suggest {
        fn column_attached(&mut self, e: &mut ColumnAttached<'_>) -> ListenerResult {
            let col = e.column.name().to_owned();
            e.add_constraint(
                Check::new(format!("{col} > 0"))
                    .named(nomenclator::Name::explicit("positive"))
                    .on_column(col),
            );
            Ok(())
        }
    }
    let named = |template: Option<&str>| {
        let mut c = NamingConvention::new();
        if let Some(t) = template {
            c = c.with(Kind::Check, t).unwrap();
        }
        let mut md = MetaData::with_convention(c);
        md.listen(Suggest);
        md.add_table(Table::new("t").column(Column::new("n", "integer")))
            .unwrap();
        md.table("t").unwrap().constraints()[0]
            .name()
            .as_str()
            .map(str::to_owned)
    };
    // Rule 4: the suggestion is constraint_name.
    assert_eq!(
        named(Some("ck_%(table_name)s_%(constraint_name)s")).as_deref(),
        Some("ck_t_positive")
    );
    // Rule 7: otherwise as if unnamed (rule 1, then rule 2).
    assert_eq!(
        named(Some("ck_%(table_name)s_%(column_0_name)s")).as_deref(),
        Some("ck_t_n")
    );
    assert_eq!(named(None), None);
    // A declared check keeps its explicit name (rule 3).
    let mut md = MetaData::with_convention(
        NamingConvention::new()
            .with(Kind::Check, "ck_%(table_name)s_%(column_0_name)s")
            .unwrap(),
    );
    md.add_table(
        Table::new("t")
            .column(Column::new("n", "integer").check(Check::new("n > 0").named("positive"))),
    )
    .unwrap();
    assert_eq!(
        md.table("t").unwrap().constraints()[0].name().as_str(),
        Some("positive")
    );
}
