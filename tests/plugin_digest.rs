//! The `digest` and `strict` plugins (plugins/nomenclator-digest) through
//! the public API and the built-in `digest` pack.
//!
//! The digest input is `table|kind|columns[|referred table|referred columns][|check sql]`
//! (see the plugin's crate docs); the expected digests were computed apart with
//! `python3 -c 'import hashlib; print(hashlib.md5(b"book|uq|isbn").hexdigest()[:8])'`.

#![allow(clippy::result_large_err)]

use nomenclator::document::{load_str, Format, LoadOptions};
use nomenclator::events::ListenOptions;
use nomenclator::naming::ConventionSet;
use nomenclator::{
    assert_names, Check, Column, Error, ForeignKey, Index, Kind, MetaData, NamingConvention,
    Plugins, Reference, Table, TableRef, Unique,
};
use nomenclator_digest::{DigestPlugin, StrictListener, StrictPlugin};

fn plugins() -> Plugins {
    Plugins::new().with(DigestPlugin).with(StrictPlugin)
}

fn digest_md() -> MetaData {
    let mut set = ConventionSet::new();
    set.add_pack("digest", None).unwrap();
    let Ok((convention, used)) = set.build(&plugins()) else {
        panic!("the digest pack builds")
    };
    let mut md = MetaData::with_convention(convention);
    for p in used {
        for (l, o) in p.listeners() {
            md.listen_boxed(l, o);
        }
    }
    md
}

fn book() -> Table {
    Table::new("book")
        .column(Column::new("id", "integer").primary_key())
        .column(Column::new("isbn", "text").unique())
        .column(Column::new("title", "text").index())
        .column(Column::new("price", "numeric(8,2)").check(Check::new("price > 0")))
        .constraint(Check::new("price > 0"))
}

#[test]
fn digest_pack_names() {
    let mut md = digest_md();
    md.add_table(book()).unwrap();
    md.add_table(
        Table::new("loan")
            .column(Column::new("id", "integer").primary_key())
            .column(
                Column::new("book_id", "integer").references(Reference::parse("book.id").unwrap()),
            ),
    )
    .unwrap();
    assert_names!(
        md,
        "postgresql",
        [
            // pk = "%(table_name)s_pkey": no digest
            "book.pk(id) = book_pkey",
            // md5("book|uq|isbn")[:8] = e9d438f7
            "book.uq(isbn) = book_isbn_e9d438f7_uniq",
            // md5("book|ix|title")[:8] = 32d93262
            "book.ix(title) = book_title_32d93262",
            // column-level check: md5("book|ck|price|price > 0")[:8] = f6558ff2
            "book.ck(price) = book_f6558ff2_check",
            // table-level check: md5("book|ck||price > 0")[:8] = 1099d6ef
            "book.ck() = book_1099d6ef_check",
            "loan.pk(id) = loan_pkey",
            // md5("loan|fk|book_id|book|id")[:8] = d0cd260d
            "loan.fk(book_id) = loan_book_id_d0cd260d_fk",
        ]
    );
}

#[test]
fn digest_tokens_of_other_lengths() {
    let mut conv = NamingConvention::new();
    let Some(tp) = nomenclator::Plugin::token_provider(&DigestPlugin) else {
        panic!("digest provides tokens")
    };
    conv.add_provider(tp);
    conv.set(Kind::Unique, "uq_%(digest4)s_{digest16}").unwrap();
    conv.set(Kind::ForeignKey, "fk_%(digest)s").unwrap();
    let mut md = MetaData::with_convention(conv);
    md.add_table(
        Table::new("book")
            .in_schema("lib")
            .column(Column::new("id", "integer").primary_key())
            .column(Column::new("isbn", "text")),
    )
    .unwrap();
    md.add_table(
        Table::new("loan")
            .column(Column::new("a", "integer"))
            .column(Column::new("b", "text"))
            .constraint(Unique::new(["a", "b"]))
            // referred columns default to the referred table's primary key
            .constraint(ForeignKey::new(["a"], TableRef::new(Some("lib"), "book"))),
    )
    .unwrap();
    assert_names!(
        md,
        "sqlite",
        [
            "lib.book.pk(id) = -",
            // md5("loan|uq|a,b") = b101cc163d081582... (first 4 / first 16)
            "loan.uq(a, b) = uq_b101_b101cc163d081582",
            // md5("loan|fk|a|lib.book|id")[:8] = 71b1b9f2: the referred table with its schema, its pk column
            "loan.fk(a) = fk_71b1b9f2",
        ]
    );
}

#[test]
fn without_the_plugin_the_digest_token_is_unknown() {
    let err = NamingConvention::new()
        .with(Kind::Unique, "uq_%(digest)s")
        .unwrap_err()
        .to_string();
    assert!(err.contains("digest") && err.contains("uq"), "{err}");
}

#[test]
fn digest_pack_through_a_document() {
    let doc = r#"
conventions = "digest"
[[tables]]
name = "book"
columns = [ { name = "id", type = "integer", primary_key = true }, { name = "isbn", type = "text", unique = true } ]
"#;
    let opts = LoadOptions::new().plugins(plugins());
    let md = load_str(doc, &opts.clone().format(Format::Toml).name("doc.toml")).unwrap();
    assert_names!(
        md,
        "mysql",
        [
            "book.pk(id) = book_pkey",
            "book.uq(isbn) = book_isbn_e9d438f7_uniq"
        ]
    );
}

#[test]
fn strict_refuses_an_unnamed_constraint() {
    // Only a pk template: a unique constraint would be left to the database.
    let mut md = MetaData::with_convention(
        NamingConvention::new()
            .with(Kind::PrimaryKey, "pk_%(table_name)s")
            .unwrap(),
    );
    md.listen_with(StrictListener, ListenOptions::new());
    md.add_table(Table::new("ok").column(Column::new("id", "integer").primary_key()))
        .unwrap();
    let err = md
        .add_table(
            Table::new("person")
                .column(Column::new("id", "integer").primary_key())
                .column(Column::new("email", "text").unique()),
        )
        .map_err(nomenclator::Error::from)
        .unwrap_err();
    assert!(matches!(err, Error::Listener(_)), "{err:?}");
    let shown = err.to_string();
    assert!(
        shown.contains("strict")
            && shown.contains("unique constraint")
            && shown.contains("\"person\"")
            && shown.contains("email"),
        "{shown}"
    );
    assert!(md.table("person").is_none());
    // An explicit name satisfies it.
    md.add_table(
        Table::new("person")
            .column(Column::new("id", "integer").primary_key())
            .column(Column::new("email", "text"))
            .constraint(Unique::new(["email"]).named("uq_email")),
    )
    .unwrap();
    // An unnamed index too.
    let err = md
        .add_table(
            Table::new("x")
                .column(Column::new("a", "integer"))
                .index(Index::new(["a"])),
        )
        .unwrap_err();
    assert!(err.to_string().contains("index on table \"x\""), "{err}");
}

#[test]
fn strict_through_a_pack_file_in_a_document() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("strict.toml"),
        "name = \"strict-pk\"\nplugins = [\"strict\"]\n[naming_convention]\npk = \"pk_%(table_name)s\"\n",
    )
    .unwrap();
    let doc = r#"
conventions = "strict.toml"
[[tables]]
name = "t"
columns = [ { name = "id", type = "integer", primary_key = true }, { name = "n", type = "integer", check = "n > 0" } ]
"#;
    let opts = LoadOptions::new().plugins(plugins());
    let err = load_str(
        doc,
        &opts
            .clone()
            .format(Format::Toml)
            .name("doc.toml")
            .base(dir.path()),
    )
    .unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.contains("strict")
            && shown.contains("check constraint")
            && shown.contains("tables[0]"),
        "{shown}"
    );
}

#[test]
fn fk_digest_is_the_same_declared_or_defaulted_before_or_after_the_referred_table() {
    // md5("loan|fk|book_id|book|id")[:8] = d0cd260d, whichever way the fk is written.
    let parent = || Table::new("book").column(Column::new("id", "integer").primary_key());
    let declared = || {
        Table::new("loan")
            .column(Column::new("book_id", "integer"))
            .constraint(
                ForeignKey::new(["book_id"], TableRef::new(None, "book")).referred_columns(["id"]),
            )
    };
    let defaulted = || {
        Table::new("loan")
            .column(Column::new("book_id", "integer"))
            .constraint(ForeignKey::new(["book_id"], TableRef::new(None, "book")))
    };
    for (parent_first, child) in [
        (true, declared()),
        (true, defaulted()),
        (false, declared()),
        (false, defaulted()),
    ] {
        let mut md = digest_md();
        md.add_table(Table::new("other").column(Column::new("id", "integer").primary_key()))
            .unwrap();
        if parent_first {
            md.add_table(parent()).unwrap();
            md.add_table(child).unwrap();
        } else {
            // The strict listener and the convention wait for "book" together.
            md.add_table(child).unwrap();
            md.add_table(parent()).unwrap();
        }
        md.resolve_deferred().unwrap();
        let fk = &md.table("loan").unwrap().constraints()[0];
        assert_eq!(
            fk.name().as_str(),
            Some("loan_book_id_d0cd260d_fk"),
            "parent first: {parent_first}"
        );
    }
}
