//! Dependency order of tables, as SQLAlchemy's `sort_tables_and_constraints`.
//!
//! A table comes after every table its foreign keys refer to. Foreign keys
//! marked `use_alter`, and those whose tables form a cycle, take no part in
//! the order: they are created by `ALTER TABLE` after all tables (where the
//! dialect can) and dropped before them. Ties are broken by schema (tables
//! without one first), then name, so the order is deterministic.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

// kosaraju_scc walks the graph with an explicit stack; tarjan_scc recurses
// and overflows the stack on long dependency chains (100,000 tables).
use petgraph::algo::kosaraju_scc;
use petgraph::graph::{Graph, NodeIndex};
use petgraph::Directed;

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
    order(md, true, false).refs(md).0
}

/// As [`sort_tables_and_constraints`], for dropping: unnamed `use_alter`
/// foreign keys cannot be dropped by name, so they stay in the order (as
/// SQLAlchemy does); one still left in a cycle cannot be dropped at all.
pub(crate) fn order_for_drop(md: &MetaData, can_alter: bool) -> Result<Order, DdlError> {
    check_references(md)?;
    Ok(order(md, can_alter, true).for_dialect(can_alter))
}

/// [`sort_tables_and_constraints`] by position: what plans use.
pub(crate) fn order_for_create(md: &MetaData, can_alter: bool) -> Result<Order, DdlError> {
    check_references(md)?;
    Ok(order(md, can_alter, false).for_dialect(can_alter))
}

/// Tables in creation order and the foreign keys to add after them: those
/// marked `use_alter` and those in a cycle (when `can_alter`; otherwise they
/// stay inline and only the order breaks the cycle). Fails when a foreign key
/// refers to a table the metadata lacks.
pub fn sort_tables_and_constraints(md: &MetaData, can_alter: bool) -> Result<SortResult, DdlError> {
    check_references(md)?;
    let (tables, ignored) = order(md, can_alter, false).refs(md);
    let deferred = if can_alter {
        ignored.clone()
    } else {
        Vec::new()
    };
    Ok(SortResult {
        tables,
        deferred,
        ignored,
    })
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

/// A foreign key left out of the order, by position.
#[derive(Clone, Debug)]
pub(crate) struct Ignored {
    /// The table's position in `MetaData::tables()`.
    pub(crate) table: usize,
    /// The foreign key's position in that table's `constraints()`.
    pub(crate) constraint: usize,
    /// The positions of the tables of its cycle, sorted by (schema, name);
    /// empty when it is only marked `use_alter`.
    pub(crate) cycle: Vec<usize>,
}

/// The dependency order by table position (no names are copied).
#[derive(Clone, Debug)]
pub(crate) struct Order {
    /// Table positions in creation order.
    pub(crate) tables: Vec<usize>,
    /// Foreign keys to add by `ALTER TABLE` after all tables.
    pub(crate) deferred: Vec<Ignored>,
}

impl Order {
    /// Keeps the ignored keys as deferred only where the dialect can alter.
    fn for_dialect(mut self, can_alter: bool) -> Order {
        if !can_alter {
            self.deferred.clear();
        }
        self
    }

    /// The tables and ignored keys as references.
    fn refs(self, md: &MetaData) -> (Vec<TableRef>, Vec<DeferredForeignKey>) {
        let tables = md.tables();
        let order = self.tables.iter().map(|&i| tables[i].key()).collect();
        let ignored = self
            .deferred
            .into_iter()
            .map(|x| DeferredForeignKey {
                table: tables[x.table].key(),
                constraint: x.constraint,
                cycle: x.cycle.iter().map(|&i| tables[i].key()).collect(),
            })
            .collect();
        (order, ignored)
    }
}

/// What breaks ties between tables ready at once: (schema, name).
type TieKey<'m> = (Option<&'m str>, &'m str);

/// The order with every ignored foreign key in `deferred`.
fn order(md: &MetaData, use_alter: bool, keep_unnamed: bool) -> Order {
    let tables = md.tables();
    let n = tables.len();
    // Ties go to the smallest (schema, name); tables without a schema first.
    let key = |i: usize| (tables[i].schema_opt(), tables[i].name());

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
                ignored.push(Ignored {
                    table: ti,
                    constraint: ci,
                    cycle: Vec::new(),
                });
                continue;
            }
            edges.push((ri, ti, ci));
        }
    }
    let mut g = Graph::<(), (), Directed, u32>::with_capacity(n, edges.len());
    for _ in 0..n {
        g.add_node(());
    }
    for &(a, b, _) in &edges {
        g.add_edge(NodeIndex::new(a), NodeIndex::new(b), ());
    }
    // Foreign keys whose two tables are in one strongly connected component
    // form cycles: leave them out of the order.
    let mut component = vec![usize::MAX; n];
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (c, scc) in kosaraju_scc(&g).into_iter().enumerate() {
        let mut scc: Vec<usize> = scc.into_iter().map(NodeIndex::index).collect();
        for &i in &scc {
            component[i] = c;
        }
        if scc.len() > 1 {
            scc.sort_by_key(|&i| key(i));
            members.push(scc);
        } else {
            members.push(Vec::new());
        }
    }
    drop(g);
    let mut kept = Vec::with_capacity(edges.len());
    for (a, b, ci) in edges {
        if component[a] == component[b] {
            ignored.push(Ignored {
                table: b,
                constraint: ci,
                cycle: members[component[a]].clone(),
            });
        } else {
            kept.push((a, b));
        }
    }
    // Kahn's algorithm, smallest (schema, name) first among the ready tables.
    // Out-edges as one sorted list with offsets per table.
    kept.sort_unstable();
    kept.dedup();
    let mut start = vec![0usize; n + 1];
    let mut indegree = vec![0usize; n];
    for &(a, b) in &kept {
        start[a + 1] += 1;
        indegree[b] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut ready: BinaryHeap<Reverse<(TieKey<'_>, usize)>> = (0..n)
        .filter(|&i| indegree[i] == 0)
        .map(|i| Reverse((key(i), i)))
        .collect();
    let mut order = Vec::with_capacity(n);
    let mut rank = vec![usize::MAX; n];
    while let Some(Reverse((_, i))) = ready.pop() {
        rank[i] = order.len();
        order.push(i);
        for &(_, j) in &kept[start[i]..start[i + 1]] {
            indegree[j] -= 1;
            if indegree[j] == 0 {
                ready.push(Reverse((key(j), j)));
            }
        }
    }
    ignored.sort_by_key(|x| (rank[x.table], x.constraint));
    Order {
        tables: order,
        deferred: ignored,
    }
}
