//! Attachment events: their documented order (module doc of `events`),
//! listener registration and removal, `once`, phases, rejection, scoping,
//! cloning, copying and deferred naming.

#![allow(clippy::result_large_err)]

use std::sync::{Arc, Mutex};

use nomenclator::events::{
    on_column, on_constraint, on_index, on_table, ColumnAttached, ConstraintAttached,
    IndexAttached, ListenOptions, Listener, ListenerError, ListenerResult, PrimaryKeyColumnAdded,
    TableAttached,
};
use nomenclator::schema::SchemaError;
use nomenclator::{
    Check, Column, Constraint, Error, ForeignKey, Index, Kind, MetaData, Name, NamingConvention,
    PrimaryKey, Reference, Table, TableRef, Unique,
};

type Log = Arc<Mutex<Vec<String>>>;

fn log() -> Log {
    Arc::new(Mutex::new(Vec::new()))
}

fn take(l: &Log) -> Vec<String> {
    std::mem::take(&mut *l.lock().unwrap())
}

fn cname(c: &Constraint) -> String {
    format!("{}({})={}", c.kind().key(), c.columns().join(","), c.name())
}

/// Records every attachment event as a line.
#[derive(Clone)]
struct Recorder(Log);

impl Recorder {
    fn push(&self, s: String) {
        self.0.lock().unwrap().push(s);
    }
}

impl Listener for Recorder {
    fn table_attached(&mut self, e: &mut TableAttached<'_>) -> ListenerResult {
        self.push(format!("table {}", e.table.full_name()));
        Ok(())
    }
    fn column_attached(&mut self, e: &mut ColumnAttached<'_>) -> ListenerResult {
        self.push(format!("column {}.{}", e.table.name(), e.column.name()));
        Ok(())
    }
    fn constraint_attached(&mut self, e: &mut ConstraintAttached<'_>) -> ListenerResult {
        self.push(format!(
            "constraint {}.{}",
            e.table.name(),
            cname(e.constraint)
        ));
        Ok(())
    }
    fn index_attached(&mut self, e: &mut IndexAttached<'_>) -> ListenerResult {
        let u = if e.index.is_unique() { " unique" } else { "" };
        self.push(format!(
            "index {}.ix({}){u}={}",
            e.table.name(),
            e.index.columns().collect::<Vec<_>>().join(","),
            e.index.name
        ));
        Ok(())
    }
    fn primary_key_column_added(&mut self, e: &mut PrimaryKeyColumnAdded<'_>) -> ListenerResult {
        self.push(format!(
            "pk_column_added {}.pk({})={}",
            e.table.name(),
            e.primary_key.columns().join(","),
            e.primary_key.name
        ));
        Ok(())
    }
}

fn convention() -> NamingConvention {
    let mut c = NamingConvention::new();
    for (k, t) in [
        (Kind::PrimaryKey, "pk_%(table_name)s_%(column_0_N_name)s"),
        (Kind::ForeignKey, "fk_%(table_name)s_%(column_0_name)s"),
        (Kind::Unique, "uq_%(table_name)s_%(column_0_N_name)s"),
        (Kind::Check, "ck_%(table_name)s_%(column_0_name)s"),
        (Kind::Index, "ix_%(table_name)s_%(column_0_N_name)s"),
    ] {
        c.set(k, t).unwrap();
    }
    c
}

fn item_table() -> Table {
    Table::new("item")
        .column(Column::new("id", "integer").primary_key())
        .column(Column::new("code", "text").primary_key())
        .column(
            Column::new("org_id", "integer")
                .index()
                .references(Reference::parse("org.id").unwrap())
                .check(Check::new("org_id > 0")),
        )
        .column(Column::new("name", "text").unique())
        .constraint(Unique::new(["name", "code"]))
        .index(Index::new(["code"]))
}

#[test]
fn order_for_a_table_built_apart_then_added() {
    let l = log();
    let mut md = MetaData::with_convention(convention());
    md.listen(Recorder(l.clone()));
    md.add_table(item_table()).unwrap();
    assert_eq!(
        take(&l),
        [
            "table item",
            "column item.id",
            "constraint item.pk(id)=pk_item_id",
            "column item.code",
            "pk_column_added item.pk(id,code)=pk_item_id_code",
            "column item.org_id",
            "index item.ix(org_id)=ix_item_org_id",
            "constraint item.fk(org_id)=fk_item_org_id",
            "constraint item.ck(org_id)=ck_item_org_id",
            "column item.name",
            "constraint item.uq(name)=uq_item_name",
            "constraint item.uq(name,code)=uq_item_name_code",
            "index item.ix(code)=ix_item_code",
        ]
    );
}

#[test]
fn order_for_live_changes() {
    let l = log();
    let mut md = MetaData::with_convention(convention());
    md.add_table(Table::new("t").column(Column::new("id", "integer").primary_key()))
        .unwrap();
    md.listen(Recorder(l.clone()));
    let r = TableRef::new(None, "t");
    md.table_mut(&r)
        .unwrap()
        .add_column(
            Column::new("email", "text")
                .unique()
                .index()
                .check(Check::new("email <> ''")),
        )
        .unwrap()
        .add_constraint(Check::new("id > 0"))
        .unwrap()
        .add_index(Index::new(["id", "email"]))
        .unwrap();
    assert_eq!(
        take(&l),
        [
            "column t.email",
            "index t.ix(email) unique=ix_t_email",
            "constraint t.ck(email)=ck_t_email",
            "constraint t.ck()=ck_t_",
            "index t.ix(id,email)=ix_t_id_email",
        ]
    );
    let t = md.table("t").unwrap();
    assert_eq!(t.columns().len(), 2);
    assert_eq!(t.indexes().len(), 2);
}

#[test]
fn primary_key_column_added_renames_an_implicit_primary_key() {
    let mut md = MetaData::with_convention(convention());
    md.add_table(
        Table::new("t")
            .column(Column::new("a", "integer").primary_key())
            .column(Column::new("b", "integer").primary_key()),
    )
    .unwrap();
    assert_eq!(
        md.table("t").unwrap().primary_key().unwrap().name.as_str(),
        Some("pk_t_a_b")
    );
    md.table_mut(&TableRef::new(None, "t"))
        .unwrap()
        .add_column(Column::new("c", "integer").primary_key())
        .unwrap();
    let pk = md.table("t").unwrap().primary_key().unwrap();
    assert_eq!(pk.columns(), ["a", "b", "c"]);
    assert_eq!(pk.name.as_str(), Some("pk_t_a_b_c"));
}

#[test]
fn listener_removal_by_handle() {
    let l = log();
    let mut md = MetaData::with_convention(convention());
    let before = md.listener_count();
    let id = md.listen(Recorder(l.clone()));
    assert_eq!(md.listener_count(), before + 1);
    md.add_table(Table::new("a").column(Column::new("x", "integer")))
        .unwrap();
    assert_eq!(take(&l), ["table a", "column a.x"]);
    assert!(md.remove_listener(id));
    assert!(!md.remove_listener(id), "a second removal finds nothing");
    assert_eq!(md.listener_count(), before);
    md.add_table(Table::new("b").column(Column::new("y", "integer")))
        .unwrap();
    assert!(take(&l).is_empty());
    // The naming handler still runs.
    md.table_mut(&TableRef::new(None, "b"))
        .unwrap()
        .add_index(Index::new(["y"]))
        .unwrap();
    assert_eq!(
        md.table("b").unwrap().indexes()[0].name.as_str(),
        Some("ix_b_y")
    );
}

#[test]
fn once_listeners_run_a_single_time() {
    let l = log();
    let mut md = MetaData::with_convention(convention());
    let l2 = l.clone();
    md.listen_with(
        on_constraint(move |e| {
            l2.lock().unwrap().push(cname(e.constraint));
            Ok(())
        }),
        ListenOptions::new().once(),
    );
    let count = md.listener_count();
    md.add_table(
        Table::new("t")
            .column(Column::new("a", "integer"))
            .constraint(Unique::new(["a"]))
            .constraint(Check::new("a > 0")),
    )
    .unwrap();
    md.add_table(Table::new("u").column(Column::new("b", "integer").unique()))
        .unwrap();
    assert_eq!(take(&l), ["uq(a)=uq_t_a"]);
    assert_eq!(md.listener_count(), count - 1, "used up and removed");
}

#[test]
fn before_naming_sees_the_raw_name_after_naming_the_generated_one() {
    let l = log();
    let mut md = MetaData::with_convention(convention());
    let (b, a) = (l.clone(), l.clone());
    // Registered after-naming first, to show that the phase, not registration order, decides.
    md.listen(on_constraint(move |e| {
        a.lock()
            .unwrap()
            .push(format!("after {:?}", e.constraint.name()));
        Ok(())
    }));
    md.listen_with(
        on_constraint(move |e| {
            b.lock()
                .unwrap()
                .push(format!("before {:?}", e.constraint.name()));
            Ok(())
        }),
        ListenOptions::new().before_naming(),
    );
    md.add_table(
        Table::new("t")
            .column(Column::new("a", "integer"))
            .constraint(Unique::new(["a"]))
            .constraint(Unique::new(["a"]).named("mine")),
    )
    .unwrap();
    assert_eq!(
        take(&l),
        [
            "before Pending",
            "after Generated { name: \"uq_t_a\", explicit: None }",
            "before Explicit(\"mine\")",
            "after Explicit(\"mine\")",
        ]
    );
}

#[test]
fn a_before_naming_listener_can_set_the_name() {
    let mut c = NamingConvention::new();
    c.set(Kind::Check, "ck_%(table_name)s_%(constraint_name)s")
        .unwrap();
    let mut md = MetaData::with_convention(c);
    // Gives every unnamed check a name, so the constraint_name template applies (rule 4, not rule 5).
    md.listen_with(
        on_constraint(|e| {
            if e.constraint.kind() == Kind::Check && e.constraint.name().is_pending() {
                *e.constraint.name_mut() = Name::explicit("auto");
            }
            Ok(())
        }),
        ListenOptions::new().before_naming(),
    );
    let t = md
        .add_table(
            Table::new("t")
                .column(Column::new("a", "integer"))
                .constraint(Check::new("a > 0")),
        )
        .unwrap();
    assert_eq!(t.constraints()[0].name().as_str(), Some("ck_t_auto"));
}

#[test]
fn a_rejecting_listener_stops_the_attachment_and_leaves_metadata_unchanged() {
    let mut md = MetaData::with_convention(convention());
    md.add_table(Table::new("ok").column(Column::new("id", "integer")))
        .unwrap();
    md.listen(on_constraint(|e| {
        if e.constraint.kind() == Kind::Unique {
            return Err(ListenerError::msg("no unique constraints here"));
        }
        Ok(())
    }));
    let err = md
        .add_table(
            Table::new("bad")
                .column(Column::new("a", "integer"))
                .constraint(Unique::new(["a"])),
        )
        .map_err(nomenclator::Error::from)
        .unwrap_err();
    assert!(matches!(err, Error::Listener(_)), "{err:?}");
    assert!(
        err.to_string().contains("no unique constraints here"),
        "{err}"
    );
    assert!(md.table("bad").is_none());
    assert_eq!(md.len(), 1);
    // The table may be added once the offending constraint is gone.
    md.add_table(Table::new("bad").column(Column::new("a", "integer")))
        .unwrap();

    // Live: a rejected column leaves the table as it was.
    let r = TableRef::new(None, "ok");
    let rejected = md
        .table_mut(&r)
        .unwrap()
        .add_column(Column::new("email", "text").unique())
        .is_err();
    assert!(rejected);
    let t = md.table("ok").unwrap();
    assert_eq!(
        t.columns().iter().map(Column::name).collect::<Vec<_>>(),
        ["id"]
    );
    assert!(t.constraints().is_empty());
    assert!(t.column_named("email").is_none());
    // And the column can then be attached without the flag.
    md.table_mut(&r)
        .unwrap()
        .add_column(Column::new("email", "text"))
        .unwrap();
    assert!(md.table("ok").unwrap().column_named("email").is_some());
}

#[test]
fn a_rejecting_index_listener() {
    let mut md = MetaData::with_convention(convention());
    md.listen(on_index(|e| {
        if e.index.parts().len() > 1 {
            Err(ListenerError::msg("single-column indexes only"))
        } else {
            Ok(())
        }
    }));
    assert!(md
        .add_table(
            Table::new("t")
                .column(Column::new("a", "integer"))
                .column(Column::new("b", "integer"))
                .index(Index::new(["a", "b"]))
        )
        .is_err());
    assert!(md.is_empty());
}

#[test]
fn listeners_change_comments() {
    let mut md = MetaData::with_convention(convention());
    md.listen(on_table(|e| {
        if e.table.comment().is_none() {
            e.table.set_comment(format!("table {}", e.table.name()));
        }
        Ok(())
    }));
    md.listen(on_column(|e| {
        let c = format!("column of {}", e.table.name());
        e.column.set_comment(c);
        Ok(())
    }));
    md.add_table(Table::new("t").column(Column::new("a", "integer")))
        .unwrap();
    md.add_table(
        Table::new("u")
            .with_comment("given")
            .column(Column::new("b", "integer")),
    )
    .unwrap();
    assert_eq!(md.table("t").unwrap().comment(), Some("table t"));
    assert_eq!(
        md.table("t").unwrap().columns()[0].comment(),
        Some("column of t")
    );
    assert_eq!(md.table("u").unwrap().comment(), Some("given"));
}

#[test]
fn table_scoped_listeners() {
    let l = log();
    let mut md = MetaData::with_convention(convention());
    md.listen_with(
        Recorder(l.clone()),
        ListenOptions::new().table(TableRef::new(Some("s"), "a")),
    );
    md.add_table(Table::new("a").column(Column::new("x", "integer")))
        .unwrap();
    md.add_table(
        Table::new("b")
            .in_schema("s")
            .column(Column::new("x", "integer")),
    )
    .unwrap();
    md.add_table(
        Table::new("a")
            .in_schema("s")
            .column(Column::new("y", "integer").unique()),
    )
    .unwrap();
    md.table_mut(&TableRef::new(None, "a"))
        .unwrap()
        .add_column(Column::new("z", "integer"))
        .unwrap();
    assert_eq!(
        take(&l),
        ["table s.a", "column a.y", "constraint a.uq(y)=uq_a_y"]
    );
}

#[test]
fn a_cloned_metadata_keeps_its_listeners() {
    let l = log();
    let mut md = MetaData::with_convention(convention());
    md.listen(Recorder(l.clone()));
    let mut copy = md.clone();
    assert_eq!(copy.listener_count(), md.listener_count());
    copy.add_table(Table::new("c").column(Column::new("x", "integer").unique()))
        .unwrap();
    assert_eq!(
        take(&l),
        ["table c", "column c.x", "constraint c.uq(x)=uq_c_x"]
    );
    assert!(md.table("c").is_none(), "the original is unchanged");
    // The convention handler came along.
    assert_eq!(
        copy.table("c").unwrap().constraints()[0].name().as_str(),
        Some("uq_c_x")
    );
}

#[test]
fn copy_table_renames_under_the_other_convention() {
    let mut src = MetaData::with_convention(convention());
    src.add_table(
        Table::new("t")
            .column(Column::new("id", "integer").primary_key())
            .column(Column::new("email", "text").unique())
            .constraint(Unique::new(["id", "email"]).named("kept"))
            .index(Index::new(["email"])),
    )
    .unwrap();
    let mut other = NamingConvention::new();
    other.set(Kind::Unique, "unique_%(column_0_name)s").unwrap();
    other.set(Kind::Index, "idx_%(column_0_label)s").unwrap();
    let l = log();
    let mut dst = MetaData::with_convention(other);
    dst.listen(Recorder(l.clone()));
    let copied = dst.copy_table(src.table("t").unwrap()).unwrap();
    assert!(
        copied.primary_key().unwrap().name.is_pending(),
        "no pk template in the target"
    );
    assert_eq!(
        copied.constraints()[0].name().as_str(),
        Some("unique_email")
    );
    assert_eq!(copied.constraints()[1].name().as_str(), Some("kept"));
    assert_eq!(copied.indexes()[0].name.as_str(), Some("idx_t_email"));
    // The target's listeners fired.
    assert_eq!(take(&l)[0], "table t");
    // The source keeps its names.
    assert_eq!(
        src.table("t").unwrap().constraints()[0].name().as_str(),
        Some("uq_t_email")
    );
}

fn deferred_md() -> MetaData {
    let mut c = NamingConvention::new();
    c.set(
        Kind::ForeignKey,
        "fk_%(table_name)s_%(referred_table_name)s_%(referred_column_0_name)s",
    )
    .unwrap();
    MetaData::with_convention(c)
}

fn child() -> Table {
    Table::new("child")
        .column(Column::new("id", "integer").primary_key())
        .column(Column::new("parent_ref", "integer"))
        .constraint(ForeignKey::new(
            ["parent_ref"],
            TableRef::new(None, "parent"),
        ))
}

#[test]
fn deferred_naming_waits_for_the_referred_table() {
    let mut md = deferred_md();
    md.add_table(child()).unwrap();
    assert!(md.table("child").unwrap().constraints()[0]
        .name()
        .is_pending());
    assert!(md.has_deferred());
    md.add_table(Table::new("parent").column(Column::new("pid", "integer").primary_key()))
        .unwrap();
    assert!(!md.has_deferred());
    assert_eq!(
        md.table("child").unwrap().constraints()[0].name().as_str(),
        Some("fk_child_parent_pid")
    );
    md.resolve_deferred().unwrap();
}

#[test]
fn deferred_naming_with_the_referred_table_first() {
    let mut md = deferred_md();
    md.add_table(Table::new("parent").column(Column::new("pid", "integer").primary_key()))
        .unwrap();
    md.add_table(child()).unwrap();
    assert!(!md.has_deferred());
    assert_eq!(
        md.table("child").unwrap().constraints()[0].name().as_str(),
        Some("fk_child_parent_pid")
    );
}

#[test]
fn resolve_deferred_reports_a_missing_table() {
    let mut md = deferred_md();
    md.add_table(child()).unwrap();
    md.add_table(Table::new("other").column(Column::new("x", "integer")))
        .unwrap();
    let err = md
        .resolve_deferred()
        .map_err(nomenclator::Error::from)
        .unwrap_err();
    match &err {
        Error::Schema(SchemaError::UnknownTable {
            table, referred, ..
        }) => {
            assert_eq!(table.name, "child");
            assert_eq!(referred.name, "parent");
        }
        other => panic!("expected UnknownTable, got {other:?}"),
    }
    assert!(err.to_string().contains("\"parent\""), "{err}");
}

#[test]
fn resolve_deferred_reports_a_referred_table_without_primary_key() {
    let mut md = deferred_md();
    md.add_table(child()).unwrap();
    md.add_table(Table::new("parent").column(Column::new("x", "integer")))
        .unwrap();
    let err = md
        .resolve_deferred()
        .map_err(nomenclator::Error::from)
        .unwrap_err();
    assert!(
        matches!(err, Error::Schema(SchemaError::NoReferredKey { .. })),
        "{err:?}"
    );
}

#[test]
fn explicit_primary_key_is_not_renamed_by_later_pk_columns() {
    // A table-level pk named explicitly; column flags agreeing with it do not rename it.
    let mut md = MetaData::with_convention(convention());
    md.add_table(
        Table::new("t")
            .column(Column::new("a", "integer"))
            .constraint(PrimaryKey::new(["a"]).named("my_pk")),
    )
    .unwrap();
    assert_eq!(
        md.table("t").unwrap().primary_key().unwrap().name,
        Name::Explicit("my_pk".into())
    );
}

/// Tables are found by schema and name (a table in a schema is not the one
/// of the same name without), and still after another table is removed
/// and a removed one is added again.
#[test]
fn tables_are_found_by_schema_and_name_across_removals() {
    let mut md = MetaData::new();
    for (schema, name) in [(None, "a"), (Some("s"), "a"), (None, "b"), (None, "c")] {
        let mut t = Table::new(name).column(Column::new("id", "integer").primary_key());
        if let Some(s) = schema {
            t = t.in_schema(s);
        }
        md.add_table(t).unwrap();
    }
    let schema_of =
        |md: &MetaData, s: Option<&str>, n: &str| md.table_in(s, n).map(|t| t.key().to_string());
    assert_eq!(schema_of(&md, Some("s"), "a").as_deref(), Some("s.a"));
    assert_eq!(schema_of(&md, None, "a").as_deref(), Some("a"));
    assert_eq!(schema_of(&md, Some("t"), "a"), None);

    let removed = md.remove_table(&TableRef::new(None, "a")).unwrap();
    assert!(md.table("a").is_none());
    assert_eq!(md.len(), 3);
    for (s, n) in [(Some("s"), "a"), (None, "b"), (None, "c")] {
        let t = md.table_in(s, n).expect("still there after a removal");
        assert_eq!((t.schema(), t.name()), (s, n));
    }
    assert!(md.table_mut(&TableRef::new(None, "c")).is_some());

    md.add_table(removed).unwrap();
    assert_eq!(md.tables().last().map(Table::name), Some("a"));
    assert_eq!(md.table("a").map(Table::name), Some("a"));
    assert!(matches!(
        md.add_table(Table::new("b").column(Column::new("id", "integer"))),
        Err(SchemaError::DuplicateTable(_))
    ));
}

/// `validate` is remembered only until the tables change: a foreign key
/// added to a valid metadata, or the removal of the table it refers to,
/// is found by the next call.
#[test]
fn validation_is_redone_after_changes() {
    let mut md = MetaData::new();
    let key = || Column::new("id", "integer").primary_key();
    let to = |r: &str| Reference::parse(r).unwrap();
    md.add_table(Table::new("a").column(key())).unwrap();
    let b = Table::new("b")
        .column(key())
        .column(Column::new("c_id", "integer"));
    md.add_table(b.column(Column::new("a_id", "integer").references(to("a.id"))))
        .unwrap();
    md.validate().unwrap();
    md.validate().unwrap();
    // What validation found serves the metadata's own tables; a copy of a
    // table is looked up by name, with the same answer.
    let own = md.table("b").unwrap();
    let copy = own.clone();
    for t in [own, &copy] {
        let fk = t.foreign_keys().next().unwrap();
        assert_eq!(md.referred_columns(t, fk).unwrap(), ["id"]);
    }

    md.table_mut(&TableRef::new(None, "b"))
        .unwrap()
        .add_constraint(ForeignKey::new(["c_id"], TableRef::new(None, "c")))
        .unwrap();
    assert!(
        matches!(md.validate(), Err(SchemaError::UnknownTable { .. })),
        "a new foreign key to a missing table"
    );
    md.add_table(Table::new("c").column(key())).unwrap();
    md.validate().unwrap();

    md.remove_table(&TableRef::new(None, "a")).unwrap();
    assert!(
        matches!(md.validate(), Err(SchemaError::UnknownTable { .. })),
        "the referred table was removed"
    );
    let copy = md.clone();
    assert!(copy.validate().is_err(), "a clone keeps what is known");
}

/// Renames the first constraint of every table to `<table>_first`, and
/// asks for a rename of an object that does not exist.
#[derive(Clone)]
struct Complete(Log);

impl Listener for Complete {
    fn tables_complete(
        &mut self,
        e: &mut nomenclator::events::TablesComplete<'_>,
    ) -> ListenerResult {
        use nomenclator::events::ObjectAt;
        let tables: Vec<&Table> = e.catalog.tables().collect();
        self.0.lock().unwrap().push(
            tables
                .iter()
                .map(|t| t.name().to_owned())
                .collect::<Vec<_>>()
                .join(","),
        );
        for (i, t) in tables.iter().enumerate() {
            if !t.constraints().is_empty() {
                e.rename(
                    i,
                    ObjectAt::Constraint(0),
                    Name::explicit(format!("{}_first", t.name())),
                );
            }
            e.rename(i, ObjectAt::Index(99), Name::explicit("nowhere"));
        }
        Ok(())
    }
}

#[test]
fn tables_complete_fires_on_resolve_deferred_and_renames() {
    let l = log();
    let mut md = MetaData::with_convention(NamingConvention::new());
    md.listen(Complete(l.clone()));
    // A second listener sees the first one's renames.
    let seen = log();
    let s2 = seen.clone();
    #[derive(Clone)]
    struct After(Log);
    impl Listener for After {
        fn tables_complete(
            &mut self,
            e: &mut nomenclator::events::TablesComplete<'_>,
        ) -> ListenerResult {
            for t in e.catalog.tables() {
                for c in t.constraints() {
                    self.0.lock().unwrap().push(cname(c));
                }
            }
            Ok(())
        }
    }
    md.listen(After(s2));
    md.add_table(
        Table::new("a")
            .column(Column::new("x", "integer").unique())
            .column(Column::new("y", "integer")),
    )
    .unwrap();
    md.add_table(Table::new("b").column(Column::new("z", "integer")))
        .unwrap();
    // Not before every table is said to be present.
    assert!(take(&l).is_empty());
    md.resolve_deferred().unwrap();
    assert_eq!(take(&l), ["a,b"]);
    assert_eq!(take(&seen), ["uq(x)=a_first"]);
    assert_eq!(
        md.table("a").unwrap().constraints()[0].name().as_str(),
        Some("a_first")
    );
    assert!(md.table("b").unwrap().indexes().is_empty());
    // Again: it fires each time.
    md.resolve_deferred().unwrap();
    assert_eq!(take(&l), ["a,b"]);
}

#[test]
fn a_tables_complete_error_is_returned() {
    #[derive(Clone)]
    struct Refuse;
    impl Listener for Refuse {
        fn tables_complete(
            &mut self,
            _: &mut nomenclator::events::TablesComplete<'_>,
        ) -> ListenerResult {
            Err(ListenerError::msg("not today"))
        }
    }
    let mut md = MetaData::new();
    md.listen(Refuse);
    md.add_table(Table::new("a").column(Column::new("x", "integer")))
        .unwrap();
    let e = md.resolve_deferred().unwrap_err();
    assert!(e.to_string().contains("not today"), "{e}");
}
