//! Dependency order of tables, as SQLAlchemy's `sort_tables_and_constraints`.
//!
//! A table comes after every table its foreign keys refer to. Foreign keys
//! marked `use_alter`, and those whose tables form a cycle, take no part in
//! the order: they are created by `ALTER TABLE` after all tables (where the
//! dialect can) and dropped before them. Ties are broken by schema (tables
//! without one first), then name, so the order is deterministic.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

// kosaraju_scc walks the graph with an explicit stack; tarjan_scc recurses
// and overflows the stack on long dependency chains (100,000 tables).
use petgraph::algo::kosaraju_scc;
use petgraph::graphmap::DiGraphMap;

use super::error::DdlError;
use crate::schema::{MetaData, TableRef};

/// A foreign key left out of the dependency order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeferredForeignKey {
    /// The table holding it.
    pub table: TableRef,
    /// Its position in that table's `constraints()`.
    pub constraint: usize,
    /// The tables of the cycle it is part of; empty when it is only marked `use_alter`.
    pub cycle: Vec<TableRef>,
}

/// Tables in creation order, and the foreign keys to add after them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortResult {
    /// Every table, in creation order (drop order reversed).
    pub tables: Vec<TableRef>,
    /// Foreign keys to add by `ALTER TABLE` after all tables (empty when the
    /// dialect cannot alter: they then stay inline).
    pub deferred: Vec<DeferredForeignKey>,
    /// Foreign keys ignored for the order whatever the dialect: `deferred`
    /// when it can alter, otherwise those that stay inline yet break a cycle.
    pub ignored: Vec<DeferredForeignKey>,
}

/// Every table in creation order; foreign keys in cycles or marked
/// `use_alter` are ignored for the order. Never fails: references to unknown
/// tables are ignored.
pub fn sorted_tables(md: &MetaData) -> Vec<TableRef> {
    sort(md, true, false).0
}

/// As [`sort_tables_and_constraints`], for dropping: unnamed `use_alter`
/// foreign keys cannot be dropped by name, so they stay in the order (as
/// SQLAlchemy does); one still left in a cycle cannot be dropped at all.
pub(crate) fn sort_for_drop(md: &MetaData, can_alter: bool) -> Result<SortResult, DdlError> {
    check_references(md)?;
    Ok(result(md, can_alter, true))
}

/// Tables in creation order and the foreign keys to add after them: those
/// marked `use_alter` and those in a cycle (when `can_alter`; otherwise they
/// stay inline and only the order breaks the cycle). Fails when a foreign key
/// refers to a table the metadata lacks.
pub fn sort_tables_and_constraints(md: &MetaData, can_alter: bool) -> Result<SortResult, DdlError> {
    check_references(md)?;
    Ok(result(md, can_alter, false))
}

fn check_references(md: &MetaData) -> Result<(), DdlError> {
    for t in md.tables() {
        for fk in t.foreign_keys() {
            if md.get(fk.referred_table()).is_none() {
                return Err(DdlError::Reference {
                    table: t.key(),
                    columns: fk.columns().to_vec(),
                    reason: format!("table \"{}\" does not exist", fk.referred_table()),
                });
            }
        }
    }
    Ok(())
}

fn result(md: &MetaData, can_alter: bool, keep_unnamed: bool) -> SortResult {
    let (tables, ignored) = sort(md, can_alter, keep_unnamed);
    let deferred = if can_alter {
        ignored.clone()
    } else {
        Vec::new()
    };
    SortResult {
        tables,
        deferred,
        ignored,
    }
}

type Key = (Option<String>, String);

fn sort(
    md: &MetaData,
    use_alter: bool,
    keep_unnamed: bool,
) -> (Vec<TableRef>, Vec<DeferredForeignKey>) {
    let tables = md.tables();
    let key = |i: usize| -> Key {
        (
            tables[i].schema_opt().map(str::to_owned),
            tables[i].name().to_owned(),
        )
    };

    // Edges referred -> referring, for each foreign key (not self-references).
    let mut edges: Vec<(usize, usize, usize)> = Vec::new(); // (from, to, constraint position)
    let mut ignored = Vec::new();
    for (ti, t) in tables.iter().enumerate() {
        for (ci, k) in t.constraints().iter().enumerate() {
            let Some(fk) = k.as_foreign_key() else {
                continue;
            };
            let Some(ri) = md.position(fk.referred_table()) else {
                continue;
            };
            if ri == ti {
                continue;
            }
            if fk.use_alter && use_alter && !(keep_unnamed && fk.name.as_str().is_none()) {
                ignored.push((ti, ci, Vec::new()));
                continue;
            }
            edges.push((ri, ti, ci));
        }
    }
    let mut g = DiGraphMap::<usize, ()>::new();
    for i in 0..tables.len() {
        g.add_node(i);
    }
    for &(a, b, _) in &edges {
        g.add_edge(a, b, ());
    }
    // Foreign keys whose two tables are in one strongly connected component
    // form cycles: leave them out of the order.
    let mut component = vec![usize::MAX; tables.len()];
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (n, scc) in kosaraju_scc(&g).into_iter().enumerate() {
        for &i in &scc {
            component[i] = n;
        }
        members.push(scc);
    }
    let mut kept = Vec::new();
    for (a, b, ci) in edges {
        if component[a] == component[b] {
            let mut cycle: Vec<usize> = members[component[a]].clone();
            cycle.sort_by_key(|&i| key(i));
            ignored.push((b, ci, cycle));
        } else {
            kept.push((a, b));
        }
    }
    // Kahn's algorithm, smallest (schema, name) first among the ready tables.
    let mut indegree = vec![0usize; tables.len()];
    let mut out_edges: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); tables.len()];
    for (a, b) in kept {
        if out_edges[a].insert(b) {
            indegree[b] += 1;
        }
    }
    let mut ready: BinaryHeap<Reverse<(Key, usize)>> = (0..tables.len())
        .filter(|&i| indegree[i] == 0)
        .map(|i| Reverse((key(i), i)))
        .collect();
    let mut order = Vec::with_capacity(tables.len());
    let mut rank = vec![usize::MAX; tables.len()];
    while let Some(Reverse((_, i))) = ready.pop() {
        rank[i] = order.len();
        order.push(tables[i].key());
        for &j in &out_edges[i] {
            indegree[j] -= 1;
            if indegree[j] == 0 {
                ready.push(Reverse((key(j), j)));
            }
        }
    }
    ignored.sort_by_key(|&(ti, ci, _)| (rank[ti], ci));
    let ignored: Vec<DeferredForeignKey> = ignored
        .into_iter()
        .map(|(ti, ci, cycle)| DeferredForeignKey {
            table: tables[ti].key(),
            constraint: ci,
            cycle: cycle.into_iter().map(|i| tables[i].key()).collect(),
        })
        .collect();
    (order, ignored)
}
