//! The dependency sort of a foreign-key ring takes memory in the number of
//! tables, not its square: each cycle is kept once and its foreign keys refer
//! to it (it was a copy of the whole cycle per foreign key: 1.8 GB for a ring
//! of 4,000 tables). An allocator that counts bytes measures the peak.

#![allow(clippy::result_large_err)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use nomenclator::ddl::{create_plan, drop_plan, sort_tables_and_constraints, DdlOptions};
use nomenclator::dialect::{PostgreSql, Sqlite};
use nomenclator::{Column, ForeignKey, MetaData, Table, TableRef};

struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only
// the byte counts are kept on the side.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = NOW.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: the caller's layout, as given.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        NOW.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// `n` tables, each with a named foreign key to the next, the last to the first.
fn ring(n: usize) -> MetaData {
    let mut md = MetaData::new();
    let name = |i: usize| format!("ring_{i:05}");
    for i in 0..n {
        md.add_table(
            Table::new(name(i))
                .column(Column::new("id", "integer").primary_key())
                .column(Column::new("next_id", "integer"))
                .constraint(
                    ForeignKey::new(["next_id"], TableRef::new(None, &name((i + 1) % n)))
                        .named(format!("fk_{i}")),
                ),
        )
        .unwrap();
    }
    md
}

/// Bytes allocated at the peak of `f`, above what was allocated before it.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = NOW.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed) - before)
}

#[test]
fn a_ring_of_tables_is_sorted_in_linear_memory() {
    const N: usize = 5_000;
    let md = ring(N);
    let (sorted, peak) = peak_of(|| sort_tables_and_constraints(&md, true).unwrap());
    assert_eq!(sorted.tables.len(), N);
    assert_eq!(sorted.deferred.len(), N);
    assert_eq!(sorted.cycles.len(), 1, "one cycle, kept once");
    assert_eq!(sorted.cycles[0].len(), N);
    assert!(sorted.deferred.iter().all(|d| d.cycle == Some(0)));
    assert_eq!(
        sorted.cycle_of(&sorted.deferred[0]).map(<[_]>::len),
        Some(N)
    );
    // About 2 KB a table here; a copy of the cycle per foreign key was
    // 5,000 × 5,000 table references (over 1 GB).
    assert!(
        peak < 20 << 20,
        "the sort of {N} tables peaked at {peak} bytes"
    );

    for (what, peak) in [
        (
            "create plan, PostgreSQL",
            peak_of(|| create_plan(&md, &PostgreSql, &DdlOptions::default()).map(drop)).1,
        ),
        (
            "create plan, SQLite",
            peak_of(|| create_plan(&md, &Sqlite, &DdlOptions::default()).map(drop)).1,
        ),
        (
            "drop plan, PostgreSQL",
            peak_of(|| drop_plan(&md, &PostgreSql, &DdlOptions::default()).map(drop)).1,
        ),
    ] {
        assert!(
            peak < 64 << 20,
            "{what} of {N} tables peaked at {peak} bytes"
        );
    }
}

#[test]
fn an_unnamed_foreign_key_in_a_ring_names_the_whole_cycle_once() {
    let mut md = MetaData::new();
    for (name, next) in [("a", "b"), ("b", "c"), ("c", "a")] {
        md.add_table(
            Table::new(name)
                .column(Column::new("id", "integer").primary_key())
                .column(Column::new("next_id", "integer"))
                .constraint(ForeignKey::new(["next_id"], TableRef::new(None, next))),
        )
        .unwrap();
    }
    let err = drop_plan(&md, &PostgreSql, &DdlOptions::default()).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("cannot drop the tables"), "{text}");
    for t in ["a", "b", "c"] {
        assert!(
            text.contains(&format!("\"{t}\"")) || text.contains(t),
            "{text}"
        );
    }
}
