//! Building a `MetaData` (events and naming included), loading documents and
//! rendering DDL for the generated schema of `examples/generate.rs`, at
//! 1,000 / 10,000 / 100,000 tables.
//!
//! ```text
//! cargo bench --bench metadata
//! ```
//!
//! The 100,000-table cases take a few seconds a sample, so they run as
//! separate benchmarks with a handful of samples.

use nomenclator::ddl::{create_plan, DdlOptions};
use nomenclator::document::{load_str, Format, LoadOptions};
use nomenclator::events::{Interest, ListenOptions};
use nomenclator::{
    Check, Column, ForeignKey, Index, Kind, Listener, MetaData, NamingConvention, Table, TableRef,
    Unique,
};

#[allow(dead_code)]
#[path = "../examples/generate.rs"]
mod generate;

fn main() {
    divan::main();
}

/// A listener that does nothing (every method keeps its no-op default).
#[derive(Clone)]
struct Noop;

impl Listener for Noop {
    fn interest(&self) -> Interest {
        Interest::ALL
    }
}

fn sqlalchemy() -> NamingConvention {
    NamingConvention::new()
        .with(Kind::Index, "ix_%(column_0_label)s")
        .and_then(|c| c.with(Kind::Unique, "uq_%(table_name)s_%(column_0_name)s"))
        .and_then(|c| c.with(Kind::Check, "ck_%(table_name)s_%(constraint_name)s"))
        .and_then(|c| {
            c.with(
                Kind::ForeignKey,
                "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            )
        })
        .and_then(|c| c.with(Kind::PrimaryKey, "pk_%(table_name)s"))
        .expect("valid templates")
}

/// The generated schema as detached tables, ready to add.
fn tables(n: usize) -> Vec<Table> {
    generate::tables(n)
        .into_iter()
        .map(|(name, fks)| {
            let mut t = Table::new(name);
            for (i, (col, ty, nullable)) in generate::TABLE_COLUMNS.iter().enumerate() {
                let c = Column::new(*col, *ty);
                t = t.column(if i == 0 {
                    c.primary_key()
                } else {
                    c.nullable(*nullable)
                });
            }
            for (col, target) in fks {
                t = t.constraint(ForeignKey::new([col], TableRef::new(None, &target)));
            }
            t.constraint(Unique::new(["code", "name"]))
                .constraint(Check::new("amount >= 0").named("amount_positive"))
                .index(Index::new(["name"]))
                .index(Index::new(["created_at", "active"]))
        })
        .collect()
}

fn build(tables: Vec<Table>, listeners: usize) -> MetaData {
    let mut md = MetaData::with_convention(sqlalchemy());
    for _ in 0..listeners {
        md.listen_with(Noop, ListenOptions::new());
    }
    for t in tables {
        md.add_table(t).expect("valid table");
    }
    md.resolve_deferred().expect("resolved");
    md
}

fn load(text: &str, format: Format) -> MetaData {
    load_str(text, &LoadOptions::new().format(format).name("bench")).expect("valid document")
}

mod build_metadata {
    use super::*;

    #[divan::bench(args = [1_000, 10_000], sample_count = 10)]
    fn no_listeners(bencher: divan::Bencher, n: usize) {
        bencher
            .with_inputs(|| tables(n))
            .bench_local_values(|t| build(t, 0));
    }

    #[divan::bench(args = [1_000, 10_000], sample_count = 10)]
    fn ten_noop_listeners(bencher: divan::Bencher, n: usize) {
        bencher
            .with_inputs(|| tables(n))
            .bench_local_values(|t| build(t, 10));
    }

    #[divan::bench(args = [100_000], sample_count = 3, sample_size = 1)]
    fn no_listeners_large(bencher: divan::Bencher, n: usize) {
        bencher
            .with_inputs(|| tables(n))
            .bench_local_values(|t| build(t, 0));
    }

    #[divan::bench(args = [100_000], sample_count = 3, sample_size = 1)]
    fn ten_noop_listeners_large(bencher: divan::Bencher, n: usize) {
        bencher
            .with_inputs(|| tables(n))
            .bench_local_values(|t| build(t, 10));
    }
}

mod load_document {
    use super::*;

    #[divan::bench(args = [1_000, 10_000], sample_count = 10)]
    fn json(bencher: divan::Bencher, n: usize) {
        let text = generate::document(n, "json").expect("json");
        bencher.bench_local(|| load(&text, Format::Json));
    }

    #[divan::bench(args = [1_000, 10_000], sample_count = 5)]
    fn toml(bencher: divan::Bencher, n: usize) {
        let text = generate::document(n, "toml").expect("toml");
        bencher.bench_local(|| load(&text, Format::Toml));
    }

    #[divan::bench(args = [100_000], sample_count = 3, sample_size = 1)]
    fn json_large(bencher: divan::Bencher, n: usize) {
        let text = generate::document(n, "json").expect("json");
        bencher.bench_local(|| load(&text, Format::Json));
    }
}

mod ddl_postgresql {
    use super::*;

    fn script(md: &MetaData) -> String {
        let dialect = nomenclator::dialect::by_name("postgresql").expect("postgresql");
        nomenclator::ddl::create_script(md, dialect, &DdlOptions::default())
            .expect("script")
            .into_string()
    }

    fn plan(md: &MetaData) -> usize {
        let dialect = nomenclator::dialect::by_name("postgresql").expect("postgresql");
        create_plan(md, dialect, &DdlOptions::default())
            .expect("plan")
            .steps
            .len()
    }

    /// What `nomenclator ddl` does: the plan, written as one script.
    #[divan::bench(args = [1_000, 10_000], sample_count = 10)]
    fn create_script(bencher: divan::Bencher, n: usize) {
        let md = build(tables(n), 0);
        bencher.bench_local(|| script(&md));
    }

    #[divan::bench(args = [100_000], sample_count = 3, sample_size = 1)]
    fn create_script_large(bencher: divan::Bencher, n: usize) {
        let md = build(tables(n), 0);
        bencher.bench_local(|| script(&md));
    }

    /// The plan alone (what `apply` runs), without writing SQL.
    #[divan::bench(args = [1_000, 10_000], sample_count = 10)]
    fn create_plan_only(bencher: divan::Bencher, n: usize) {
        let md = build(tables(n), 0);
        bencher.bench_local(|| plan(&md));
    }
}
