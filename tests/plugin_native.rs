//! The native packs (`postgresql`, `mariadb`, `mysql`; plugins/nomenclator-native)
//! offline: the rules each server follows, as measured on PostgreSQL 15 and
//! MariaDB 10.11 (tests/native_live.rs checks the whole corpus against the
//! servers themselves), and how the handler fits with templates, explicit
//! names and the order nomenclator creates things in.

#![allow(clippy::result_large_err)]

use nomenclator::document::{load_str, Format, LoadOptions};
use nomenclator::naming::ConventionSet;
use nomenclator::reflect::{
    lint, Catalog, CatalogColumn, CatalogForeignKey, CatalogKey, CatalogTable, WriteOptions,
};
use nomenclator::testing::name_lines;
use nomenclator::{
    Check, Column, ForeignKey, Index, MetaData, Plugins, PrimaryKey, Reference, Table, TableRef,
    Unique,
};
use nomenclator_native::{implicit_indexes, NativePlugin, Server};

fn plugins() -> Plugins {
    let mut p = Plugins::new();
    for n in NativePlugin::all() {
        p.register(n);
    }
    p
}

/// A metadata named by the built-in `pack`.
fn md(pack: &str) -> MetaData {
    let mut set = ConventionSet::new();
    set.add_pack(pack, None).unwrap();
    let (convention, used) = set.build(&plugins()).unwrap();
    let mut md = MetaData::with_convention(convention);
    for p in used {
        for (l, o) in p.listeners() {
            md.listen_boxed(l, o);
        }
    }
    md
}

fn lines(md: &MetaData, dialect: &str) -> Vec<String> {
    let mut l = name_lines(md, dialect);
    l.sort();
    l
}

fn sorted(expected: &[&str]) -> Vec<String> {
    let mut e: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
    e.sort();
    e
}

fn load(doc: &str, packs: &[&str]) -> Result<MetaData, String> {
    let options = LoadOptions::new()
        .format(Format::Toml)
        .conventions(packs.iter().copied())
        .plugins(plugins());
    load_str(doc, &options).map_err(|e| e.to_string())
}

#[test]
fn postgresql_numbers_a_taken_name_in_creation_order() {
    // "t_b" is declared first but refers to "t", so "t" is created first
    // and its check takes the plain name; both make "t_b_c_check".
    let mut md = md("postgresql");
    md.add_table(
        Table::new("t_b")
            .column(Column::new("id", "integer").primary_key())
            .column(Column::new("c", "integer").check(Check::new("c > 0")))
            .column(Column::new("t_id", "integer").references(Reference::parse("t.id").unwrap())),
    )
    .unwrap();
    md.add_table(
        Table::new("t")
            .column(Column::new("id", "integer").primary_key())
            .column(Column::new("b_c", "integer").check(Check::new("b_c > 0"))),
    )
    .unwrap();
    md.resolve_deferred().unwrap();
    assert_eq!(
        lines(&md, "postgresql"),
        sorted(&[
            "t.pk(id) = t_pkey",
            "t.ck(b_c) = t_b_c_check",
            "t_b.pk(id) = t_b_pkey",
            "t_b.ck(c) = t_b_c_check1",
            "t_b.fk(t_id) = t_b_t_id_fkey",
        ])
    );
}

#[test]
fn postgresql_collisions_within_a_table_and_with_explicit_names() {
    let mut md = md("postgresql");
    md.add_table(
        Table::new("t")
            .column(Column::new("a", "integer").check(Check::new("a > 0")))
            .column(Column::new("b", "integer"))
            .constraint(Unique::new(["b"]).named("t_a_key"))
            .constraint(Unique::new(["a"]))
            .constraint(Check::new("a < 10"))
            .constraint(Check::new("a < b"))
            .constraint(Check::new("1 = 1"))
            .index(Index::new(["a", "a"]))
            .index(Index::new(["b"]))
            .index(Index::new(["b"])),
    )
    .unwrap();
    md.resolve_deferred().unwrap();
    assert_eq!(
        lines(&md, "postgresql"),
        sorted(&[
            "t.ck(a) = t_a_check",
            "t.uq(b) = t_a_key",
            "t.uq(a) = t_a_key1",
            "t.ck() = t_a_check1",
            "t.ck() = t_check",
            "t.ck() = t_check1",
            "t.ix(a, a) = t_a_a1_idx",
            "t.ix(b) = t_b_idx",
            "t.ix(b) = t_b_idx1",
        ])
    );
}

#[test]
fn postgresql_creates_one_index_for_repeated_keys() {
    // Measured on PostgreSQL 15: UNIQUE (a) next to PRIMARY KEY (a), and a
    // second UNIQUE (b), are not created.
    let mut md = md("postgresql");
    md.add_table(
        Table::new("t")
            .column(Column::new("a", "integer").primary_key())
            .column(Column::new("b", "integer").unique())
            .constraint(Unique::new(["a"]))
            .constraint(Unique::new(["b"])),
    )
    .unwrap();
    md.resolve_deferred().unwrap();
    assert_eq!(
        lines(&md, "postgresql"),
        sorted(&[
            "t.pk(a) = t_pkey",
            "t.uq(b) = t_b_key",
            "t.uq(a) = -",
            "t.uq(b) = -",
        ])
    );
}

#[test]
fn postgresql_cuts_long_names_to_63_bytes() {
    let table = "ledger_price_task_address_org_item_audit";
    let mut md = md("postgresql");
    md.add_table(
        Table::new(table)
            .column(Column::new("note_post_project_group_tag_city", "integer").unique()),
    )
    .unwrap();
    md.resolve_deferred().unwrap();
    let uq = md.table(table).unwrap().constraints()[0].name().to_string();
    assert_eq!(
        uq,
        "ledger_price_task_address_org_note_post_project_group_tag_c_key"
    );
    assert_eq!(uq.len(), 63);
}

#[test]
fn the_pack_overrides_a_documents_templates_and_a_later_pack_overrides_it() {
    let doc = r#"
naming_convention = { pk = "pk_%(table_name)s", uq = "uq_%(table_name)s_%(column_0_name)s" }
[[tables]]
name = "t"
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = "k", type = "integer", primary_key = true },
  { name = "a", type = "integer", unique = true },
  { name = "b", type = "integer", index = true },
]
"#;
    // The composite primary key is named again as its second column joins.
    let md = load(doc, &["postgresql"]).unwrap();
    assert_eq!(
        lines(&md, "postgresql"),
        sorted(&[
            "t.pk(id, k) = t_pkey",
            "t.uq(a) = t_a_key",
            "t.ix(b) = t_b_idx"
        ])
    );
    let md = load(doc, &["postgresql", "sqlalchemy"]).unwrap();
    assert_eq!(
        lines(&md, "postgresql"),
        sorted(&["t.pk(id, k) = pk_t", "t.uq(a) = uq_t_a", "t.ix(b) = ix_t_b"])
    );
    // Loading names for good: the same again gives the same.
    let mut md = load(doc, &["postgresql"]).unwrap();
    md.resolve_deferred().unwrap();
    md.resolve_deferred().unwrap();
    assert_eq!(
        lines(&md, "postgresql"),
        sorted(&[
            "t.pk(id, k) = t_pkey",
            "t.uq(a) = t_a_key",
            "t.ix(b) = t_b_idx"
        ])
    );
}

#[test]
fn mariadb_names_keys_after_their_first_column_in_creation_order() {
    // The index is declared (by a column flag) before the unique key, but
    // the key is made by CREATE TABLE and the index by ALTER TABLE after
    // it: the key is `event`, the index `event_2`. Named at attach time
    // alone, the two would both be `event`.
    let mut md = md("mariadb");
    md.add_table(
        Table::new("shipment")
            .column(Column::new("id", "integer").primary_key())
            .column(Column::new("event", "integer").index())
            .constraint(Unique::new(["event"]))
            .constraint(Unique::new(["event", "id"])),
    )
    .unwrap();
    md.resolve_deferred().unwrap();
    assert_eq!(
        lines(&md, "mariadb"),
        sorted(&[
            "shipment.pk(id) = PRIMARY",
            "shipment.uq(event) = event",
            "shipment.uq(event, id) = event_2",
            "shipment.ix(event) = event_3",
        ])
    );
}

#[test]
fn mariadb_numbers_foreign_keys_and_indexes_them() {
    // Measured on MariaDB 10.11: the foreign keys of CREATE TABLE are
    // numbered first, one added by ALTER TABLE after every table goes on
    // from the highest; a foreign key no key starts with gets an index
    // named after its first column, which a later key starting with its
    // columns replaces.
    let mut md = md("mariadb");
    md.add_table(
        Table::new("p")
            .column(Column::new("id", "integer").primary_key())
            .column(Column::new("b", "integer").unique()),
    )
    .unwrap();
    md.add_table(
        Table::new("t")
            .column(Column::new("a", "integer"))
            .column(Column::new("c", "integer"))
            .column(Column::new("d", "integer"))
            .constraint(
                ForeignKey::new(["a"], TableRef::new(None, "p"))
                    .referred_columns(["id"])
                    .use_alter(true),
            )
            .constraint(ForeignKey::new(["c"], TableRef::new(None, "p")).referred_columns(["id"]))
            .constraint(ForeignKey::new(["d"], TableRef::new(None, "p")).referred_columns(["id"]))
            .index(Index::new(["d", "c"])),
    )
    .unwrap();
    md.resolve_deferred().unwrap();
    assert_eq!(
        lines(&md, "mariadb"),
        sorted(&[
            "p.pk(id) = PRIMARY",
            "p.uq(b) = b",
            "t.fk(a) = t_ibfk_3",
            "t.fk(c) = t_ibfk_1",
            "t.fk(d) = t_ibfk_2",
            "t.ix(d, c) = d",
        ])
    );
    let implicit: Vec<(String, Vec<String>, Option<String>)> =
        implicit_indexes(&md, Server::MariaDb)
            .unwrap()
            .into_iter()
            .map(|o| (o.table, o.columns, o.name))
            .collect();
    assert_eq!(
        implicit,
        [
            ("t".into(), vec!["c".into()], Some("c".into())),
            ("t".into(), vec!["a".into()], Some("a".into())),
        ]
    );
}

#[test]
fn mariadb_and_mysql_name_checks_their_own_ways() {
    let table = || {
        Table::new("u")
            .column(Column::new("x", "integer").check(Check::new("x > y")))
            .column(Column::new("y", "integer"))
            .constraint(Check::new("x > 0"))
            .constraint(Check::new("x <> y").named("CONSTRAINT_1"))
            .constraint(Check::new("y > 0"))
    };
    let mut maria = md("mariadb");
    maria.add_table(table()).unwrap();
    maria.resolve_deferred().unwrap();
    // Measured on MariaDB 10.11: a column's check after the column, the
    // others counted past the names the table has.
    assert_eq!(
        lines(&maria, "mariadb"),
        sorted(&[
            "u.ck(x) = x",
            "u.ck() = CONSTRAINT_2",
            "u.ck() = CONSTRAINT_1",
            "u.ck() = CONSTRAINT_3",
        ])
    );
    let mut mysql = md("mysql");
    mysql.add_table(table()).unwrap();
    mysql.resolve_deferred().unwrap();
    assert_eq!(
        lines(&mysql, "mysql"),
        sorted(&[
            "u.ck(x) = u_chk_1",
            "u.ck() = u_chk_2",
            "u.ck() = CONSTRAINT_1",
            "u.ck() = u_chk_3",
        ])
    );
}

#[test]
fn mariadb_refuses_names_over_64_characters_and_so_does_the_pack() {
    // Measured on MariaDB 10.11: `<58 letters>_ibfk_1` is refused (error 1059).
    let long = "b".repeat(59);
    let mut md = md("mariadb");
    md.add_table(Table::new("p").column(Column::new("id", "integer").primary_key()))
        .unwrap();
    let e = md
        .add_table(
            Table::new(long.as_str())
                .column(Column::new("id", "integer").references(Reference::parse("p.id").unwrap())),
        )
        .unwrap_err();
    let shown = e.to_string();
    assert!(
        shown.contains(&format!("{long}_ibfk_1")) && shown.contains("over 64 characters"),
        "{shown}"
    );
    // A 64-character column's second key would be `<64>_2` (error 1280).
    let col = "c".repeat(64);
    let e = md
        .add_table(
            Table::new("t")
                .column(Column::new(col.as_str(), "integer").unique())
                .constraint(Unique::new([col.as_str()])),
        )
        .unwrap_err();
    assert!(e.to_string().contains(&format!("{col}_2")), "{e}");
}

#[test]
fn the_sqlite_pack_names_nothing() {
    let doc = r#"
naming_convention = { pk = "pk_%(table_name)s" }
[[tables]]
name = "t"
columns = [
  { name = "id", type = "integer", primary_key = true },
  { name = "a", type = "integer", unique = true, check = "a > 0" },
]
"#;
    let md = load(doc, &["sqlite"]).unwrap();
    assert_eq!(
        lines(&md, "sqlite"),
        sorted(&["t.pk(id) = -", "t.uq(a) = -", "t.ck(a) = -"])
    );
}

#[test]
fn a_primary_key_declared_on_the_table_is_named_too() {
    let mut md = md("postgresql");
    md.add_table(
        Table::new("t")
            .column(Column::new("a", "integer"))
            .constraint(PrimaryKey::new(["a"])),
    )
    .unwrap();
    md.resolve_deferred().unwrap();
    assert_eq!(lines(&md, "postgresql"), sorted(&["t.pk(a) = t_pkey"]));
}

/// MySQL numbers unnamed foreign keys in declaration order, which the
/// catalog does not keep: against the native pack, `<table>_ibfk_<n>`
/// is the server's name whichever key has which number; a name given
/// by hand is still listed.
#[test]
fn mysql_foreign_key_numbers_in_any_order_are_the_servers() {
    let column = |name: &str, ty: &str| CatalogColumn {
        name: name.into(),
        ty: ty.into(),
        nullable: true,
        ..Default::default()
    };
    let table = |name: &str, columns: Vec<CatalogColumn>| CatalogTable {
        name: name.into(),
        primary_key: Some(CatalogKey {
            name: None,
            columns: vec![columns[0].name.clone()],
        }),
        columns,
        ..Default::default()
    };
    let fk = |name: &str, column: &str, to: &str| CatalogForeignKey {
        name: Some(name.into()),
        columns: vec![column.into()],
        referred_table: to.into(),
        referred_columns: vec![column.into()],
        ..Default::default()
    };
    let catalog = |third: &str| {
        let mut stock = table(
            "stock",
            vec![
                column("id", "int(11)"),
                column("sku", "int(11)"),
                column("wh", "int(11)"),
                column("bin", "int(11)"),
            ],
        );
        stock.foreign_keys = vec![
            fk("stock_ibfk_1", "wh", "warehouse"),
            fk("stock_ibfk_2", "sku", "product"),
            fk(third, "bin", "bin"),
        ];
        Catalog {
            dialect: "mariadb".into(),
            tables: vec![
                table("bin", vec![column("bin", "int(11)")]),
                table("product", vec![column("sku", "int(11)")]),
                stock,
                table("warehouse", vec![column("wh", "int(11)")]),
            ],
            ..Default::default()
        }
    };
    let options = WriteOptions {
        conventions: vec!["mariadb".into()],
        plugins: plugins(),
        ..WriteOptions::default()
    };
    let found = lint(&catalog("stock_ibfk_3"), &options).unwrap();
    assert!(found.is_empty(), "{found:?}");
    let found = lint(&catalog("fk_by_hand"), &options).unwrap();
    let listed: Vec<Option<&str>> = found.iter().map(|f| f.actual.as_deref()).collect();
    assert_eq!(listed, [Some("fk_by_hand")], "{found:?}");
}

/// PostgreSQL numbers a name it finds taken (`b_x_idx1` when someone named
/// another table's index `b_x_idx`): against the native pack, only the
/// index named by hand is listed, not the one the server numbered.
#[test]
fn a_name_the_server_numbered_around_one_given_by_hand_is_the_servers() {
    use nomenclator::reflect::{CatalogIndex, IndexPart};
    let table = |name: &str, column: &str, index: &str| CatalogTable {
        name: name.into(),
        columns: vec![CatalogColumn {
            name: column.into(),
            ty: "integer".into(),
            nullable: true,
            ..Default::default()
        }],
        indexes: vec![CatalogIndex {
            name: index.into(),
            parts: vec![IndexPart::Column(column.into())],
            ..Default::default()
        }],
        ..Default::default()
    };
    let catalog = Catalog {
        dialect: "postgresql".into(),
        tables: vec![table("a", "y", "b_x_idx"), table("b", "x", "b_x_idx1")],
        ..Default::default()
    };
    let options = WriteOptions {
        conventions: vec!["postgresql".into()],
        plugins: plugins(),
        ..WriteOptions::default()
    };
    let found = lint(&catalog, &options).unwrap();
    let listed: Vec<(Option<&str>, &str)> = found
        .iter()
        .map(|f| (f.actual.as_deref(), f.expected.as_str()))
        .collect();
    assert_eq!(listed, [(Some("b_x_idx"), "a_y_idx")], "{found:?}");
}
