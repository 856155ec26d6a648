//! The library API in one page: a convention pack, listeners before and
//! after naming, the generated names, and the `assert_names!` test helper.
//!
//! Run it with `cargo run --example library`.

use nomenclator::events::{on_constraint, on_index, ListenOptions};
use nomenclator::naming::{final_names, ConventionSet};
use nomenclator::testing::line;
use nomenclator::{
    assert_names, dialect, Check, Column, Constraint, Index, MetaData, Name, Plugins, Reference,
    Table,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. A convention from a built-in pack. Later packs and inline templates
    //    override earlier ones key by key, as in a schema document.
    let mut set = ConventionSet::new();
    set.add_pack("sqlalchemy", None)?;
    // The sqlalchemy pack names a unique constraint after its first column
    // only; spell out every column instead (an inline template).
    let mut inline = std::collections::BTreeMap::new();
    inline.insert(
        "uq".to_owned(),
        "uq_%(table_name)s_%(column_0_N_name)s".to_owned(),
    );
    set.add_inline(&inline, "library example")?;
    // The sqlalchemy pack needs no plugin, so an empty registry will do.
    let (convention, _plugins) = set.build(&Plugins::new())?;
    let mut md = MetaData::with_convention(convention);

    // 2. A listener BEFORE naming sees the constraint as declared. The pack's
    //    `ck` template uses %(constraint_name)s, so an unnamed check would be
    //    an error; this listener names unnamed column checks after their column.
    md.listen_with(
        on_constraint(|ev| {
            if let Constraint::Check(ck) = &mut *ev.constraint {
                if ck.name.is_pending() {
                    if let Some(column) = ck.column() {
                        let name = format!("{column}_valid");
                        println!(
                            "before naming: check on {}.{column} gets the explicit name {name}",
                            ev.table.name()
                        );
                        ck.name = Name::explicit(name);
                    }
                }
            }
            Ok(())
        }),
        ListenOptions::new().before_naming(),
    );

    // 3. Listeners AFTER naming (the default) see the names the templates made.
    let after = md.listen(on_constraint(|ev| {
        println!(
            "after naming:  {} {:<3} {:?}",
            ev.table.name(),
            ev.constraint.kind().key(),
            ev.constraint
                .name()
                .as_str()
                .unwrap_or("(database chooses)")
        );
        Ok(())
    }));
    md.listen(on_index(|ev| {
        println!(
            "after naming:  {} ix  {:?}",
            ev.table.name(),
            ev.index.name.as_str().unwrap_or("-")
        );
        Ok(())
    }));

    // 4. Tables built in code. Attaching them fires the events above.
    md.add_table(
        Table::new("author")
            .column(Column::new("id", "integer").primary_key())
            .column(Column::new("name", "varchar(100)").nullable(false))
            .column(Column::new("born", "integer").check(Check::new("born > 1000"))),
    )?;
    md.add_table(
        Table::new("book")
            .column(Column::new("id", "integer").primary_key())
            .column(
                Column::new("author_id", "integer")
                    .references(Reference::parse("author.id").expect("table.column")),
            )
            .column(Column::new("title", "varchar(200)").nullable(false))
            .column(Column::new("isbn", "varchar(13)").unique())
            .constraint(nomenclator::Unique::new(["author_id", "title"]))
            .index(Index::new(["title"])),
    )?;

    // Registration returned a handle; removing the listener silences it.
    md.remove_listener(after);

    // 5. The final names for a dialect: shortened to its identifier limit,
    //    checked for collisions. This is what `nomenclator names` prints.
    let postgresql = dialect::by_name("postgresql").expect("a built-in dialect");
    println!("\nnames on PostgreSQL:");
    for object in final_names(&md, &postgresql.name_rules(None))? {
        println!("  {}", line(&object));
    }

    // The same metadata on an old server with 20-character names: the
    // generated names are shortened the SQLAlchemy way (…_<4 hex digits>).
    println!("\nnames with --max-identifier-length 20:");
    for object in final_names(&md, &postgresql.name_rules(Some(20)))? {
        println!("  {}", line(&object));
    }

    // 6. In your own tests: assert every generated name in one go. The
    //    order does not matter; on a mismatch it panics with a diff.
    assert_names!(
        md,
        "postgresql",
        [
            "author.pk(id) = pk_author",
            "author.ck(born) = ck_author_born_valid",
            "book.pk(id) = pk_book",
            "book.fk(author_id) = fk_book_author_id_author",
            "book.uq(isbn) = uq_book_isbn",
            "book.uq(author_id, title) = uq_book_author_id_title",
            "book.ix(title) = ix_book_title",
        ]
    );
    println!("\nassert_names! passed");
    Ok(())
}
