//! str → `Template::parse`, then rendering it as a convention over a small
//! table: an error or a name, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nomenclator::naming::Template;
use nomenclator::{Column, ForeignKey, Index, Kind, MetaData, NamingConvention, Table, TableRef, Unique};

fuzz_target!(|source: &str| {
    let Ok(t) = Template::parse(source) else { return };
    assert_eq!(t.source(), source);
    for kind in [Kind::Unique, Kind::Index, Kind::ForeignKey] {
        let Ok(convention) = NamingConvention::new().with(kind, source) else { continue };
        let mut md = MetaData::with_convention(convention);
        let _ = md.add_table(Table::new("parent").column(Column::new("id", "integer").primary_key()));
        let _ = md.add_table(
            Table::new("child")
                .column(Column::new("id", "integer").primary_key())
                .column(Column::new("parent_id", "integer"))
                .constraint(Unique::new(["id", "parent_id"]))
                .constraint(ForeignKey::new(["parent_id"], TableRef::new(None, "parent")))
                .index(Index::new(["parent_id"])),
        );
    }
});
