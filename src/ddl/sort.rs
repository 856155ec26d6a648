//! Dependency order of tables, as SQLAlchemy's `sort_tables_and_constraints`.
//!
//! A table comes after every table its foreign keys refer to. Foreign keys
//! marked `use_alter`, and those whose tables form a cycle, take no part in
//! the order: they are created by `ALTER TABLE` after all tables (where the
//! dialect can) and dropped before them. Ties are broken by schema (tables
//! without one first), then name, so the order is deterministic.

use std::borrow::Borrow;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

// kosaraju_scc walks the graph with an explicit stack; tarjan_scc recurses
// and overflows the stack on long dependency chains (100,000 tables).
use petgraph::algo::kosaraju_scc;
use petgraph::graph::{Graph, NodeIndex};
use petgraph::Directed;

use super::error::DdlError;
use crate::schema::{ForeignKey, MetaData, Resolved, Table, TableRef};
use rustc_hash::FxHashMap;

/// A foreign key left out of the dependency order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeferredForeignKey {
    /// The table holding it.
    pub table: TableRef,
    /// Its position in that table's `constraints()`.
    pub constraint: usize,
    /// The cycle it is part of, as a position in [`SortResult::cycles`];
    /// `None` when it is only marked `use_alter`.
    pub cycle: Option<usize>,
}

/// Tables in creation order, and the foreign keys to add after them.
///
/// Each cycle is kept once, in `cycles`; the foreign keys in it refer to it
/// by position, so that a ring of N tables takes memory in N, not N².
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
    /// The tables of each cycle (each strongly connected component of more
    /// than one table), sorted by (schema, name); cycles in the order of
    /// their first table.
    pub cycles: Vec<Vec<TableRef>>,
}

impl SortResult {
    /// The tables of the cycle a deferred or ignored foreign key is part of;
    /// `None` when it is only marked `use_alter`.
    ///
    /// ```
    /// use nomenclator::ddl::sort_tables_and_constraints;
    /// use nomenclator::{Column, MetaData, Reference, Table};
    ///
    /// let mut md = MetaData::new();
    /// for (name, next) in [("a", "b.id"), ("b", "a.id")] {
    ///     md.add_table(
    ///         Table::new(name)
    ///             .column(Column::new("id", "integer").primary_key())
    ///             .column(Column::new("next_id", "integer").references(Reference::parse(next)?)),
    ///     )?;
    /// }
    /// let sorted = sort_tables_and_constraints(&md, true)?;
    /// assert_eq!(sorted.deferred.len(), 2);
    /// assert_eq!(sorted.cycles.len(), 1);
    /// let cycle: Vec<String> = sorted
    ///     .cycle_of(&sorted.deferred[0])
    ///     .unwrap_or_default()
    ///     .iter()
    ///     .map(ToString::to_string)
    ///     .collect();
    /// assert_eq!(cycle, ["a", "b"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cycle_of(&self, fk: &DeferredForeignKey) -> Option<&[TableRef]> {
        fk.cycle.and_then(|c| self.cycles.get(c)).map(Vec::as_slice)
    }
}

/// Every table in creation order; foreign keys in cycles or marked
/// `use_alter` are ignored for the order. Never fails: references to unknown
/// tables are ignored.
pub fn sorted_tables(md: &MetaData) -> Vec<TableRef> {
    order(md.tables(), &|r| md.position(r), None, true, false, false)
        .map(|o| o.refs(md.tables()).0)
        .unwrap_or_default()
}

/// As [`sort_tables_and_constraints`], for dropping: unnamed `use_alter`
/// foreign keys cannot be dropped by name, so they stay in the order (as
/// SQLAlchemy does); one still left in a cycle cannot be dropped at all.
pub(crate) fn order_for_drop(resolved: &Resolved<'_>, can_alter: bool) -> Result<Order, DdlError> {
    resolved_order(resolved, can_alter, true)
}

/// [`sort_tables_and_constraints`] by position: what plans use.
pub(crate) fn order_for_create(
    resolved: &Resolved<'_>,
    can_alter: bool,
) -> Result<Order, DdlError> {
    resolved_order(resolved, can_alter, false)
}

/// The order of a validated metadata's tables, for the dialect.
fn resolved_order(
    resolved: &Resolved<'_>,
    can_alter: bool,
    keep_unnamed: bool,
) -> Result<Order, DdlError> {
    let md = resolved.metadata();
    let position = |r: &TableRef| md.position(r);
    Ok(order(
        md.tables(),
        &position,
        Some(resolved),
        can_alter,
        keep_unnamed,
        true,
    )?
    .for_dialect(can_alter))
}

/// Tables in creation order and the foreign keys to add after them: those
/// marked `use_alter` and those in a cycle (when `can_alter`; otherwise they
/// stay inline and only the order breaks the cycle). Fails when a foreign key
/// refers to a table the metadata lacks.
pub fn sort_tables_and_constraints(md: &MetaData, can_alter: bool) -> Result<SortResult, DdlError> {
    let (tables, ignored, cycles) = order(
        md.tables(),
        &|r| md.position(r),
        None,
        can_alter,
        false,
        true,
    )?
    .refs(md.tables());
    let deferred = if can_alter {
        ignored.clone()
    } else {
        Vec::new()
    };
    Ok(SortResult {
        tables,
        deferred,
        ignored,
        cycles,
    })
}

/// The creation order of `tables` by position: what
/// [`sort_tables_and_constraints`] gives for a metadata holding them (and
/// nothing else), without building one. For a listener of
/// [`TablesComplete`](crate::events::TablesComplete), which sees the tables
/// but not the metadata.
///
/// # Errors
///
/// A foreign key to a table that is not in `tables`.
///
/// ```
/// use nomenclator::ddl::table_order;
/// use nomenclator::{Column, Reference, Table};
///
/// let author = Table::new("author").column(Column::new("id", "integer").primary_key());
/// let book = Table::new("book")
///     .column(Column::new("id", "integer").primary_key())
///     .column(Column::new("author_id", "integer").references(Reference::parse("author.id")?));
/// let order = table_order(&[&book, &author], true)?;
/// assert_eq!(order.tables, [1, 0]);
/// assert!(order.deferred.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn table_order(tables: &[&Table], can_alter: bool) -> Result<TableOrder, DdlError> {
    let at: FxHashMap<(Option<&str>, &str), usize> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| ((t.schema(), t.name()), i))
        .collect();
    let position = |r: &TableRef| at.get(&(r.schema.as_deref(), r.name.as_str())).copied();
    let order = order(tables, &position, None, can_alter, false, true)?;
    Ok(TableOrder {
        tables: order.tables,
        deferred: if can_alter {
            order
                .deferred
                .iter()
                .map(|x| (x.table, x.constraint))
                .collect()
        } else {
            Vec::new()
        },
    })
}

/// [`table_order`]'s answer: positions in the slice it was given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableOrder {
    /// Table positions, in creation order.
    pub tables: Vec<usize>,
    /// The foreign keys to add by `ALTER TABLE` after every table, as
    /// (table position, position in that table's `constraints()`), in
    /// the order they are added.
    pub deferred: Vec<(usize, usize)>,
}

/// The error for a foreign key of `t` to a table the metadata lacks.
fn unknown_table(t: &Table, fk: &ForeignKey) -> DdlError {
    DdlError::Reference {
        table: t.key(),
        columns: fk.columns().to_vec(),
        reason: format!("table \"{}\" does not exist", fk.referred_table()),
    }
}

/// A foreign key left out of the order, by position.
#[derive(Clone, Debug)]
pub(crate) struct Ignored {
    /// The table's position in `MetaData::tables()`.
    pub(crate) table: usize,
    /// The foreign key's position in that table's `constraints()`.
    pub(crate) constraint: usize,
    /// Its cycle, as a position in [`Order::cycles`]; `None` when it is
    /// only marked `use_alter`.
    pub(crate) cycle: Option<usize>,
}

/// The dependency order by table position (no names are copied).
#[derive(Clone, Debug)]
pub(crate) struct Order {
    /// Table positions in creation order.
    pub(crate) tables: Vec<usize>,
    /// Foreign keys to add by `ALTER TABLE` after all tables.
    pub(crate) deferred: Vec<Ignored>,
    /// The table positions of each cycle, sorted by (schema, name): kept
    /// once, whatever the number of foreign keys in it.
    pub(crate) cycles: Vec<Vec<usize>>,
}

impl Order {
    /// Keeps the ignored keys as deferred only where the dialect can alter.
    fn for_dialect(mut self, can_alter: bool) -> Order {
        if !can_alter {
            self.deferred.clear();
        }
        self
    }

    /// The tables of the cycle of `x`, by position; empty when it is only
    /// marked `use_alter`.
    pub(crate) fn cycle_of(&self, x: &Ignored) -> &[usize] {
        x.cycle
            .and_then(|c| self.cycles.get(c))
            .map_or(&[], Vec::as_slice)
    }

    /// The tables, ignored keys and cycles as references.
    fn refs(
        self,
        tables: &[Table],
    ) -> (Vec<TableRef>, Vec<DeferredForeignKey>, Vec<Vec<TableRef>>) {
        let order = self.tables.iter().map(|&i| tables[i].key()).collect();
        let ignored = self
            .deferred
            .into_iter()
            .map(|x| DeferredForeignKey {
                table: tables[x.table].key(),
                constraint: x.constraint,
                cycle: x.cycle,
            })
            .collect();
        let cycles = self
            .cycles
            .iter()
            .map(|c| c.iter().map(|&i| tables[i].key()).collect())
            .collect();
        (order, ignored, cycles)
    }
}

/// What breaks ties between tables ready at once: (schema, name).
type TieKey<'m> = (Option<&'m str>, &'m str);

/// The order with every ignored foreign key in `deferred`. With
/// `refuse_unknown`, a foreign key to a table the metadata lacks is an error
/// (the first one, in declaration order); otherwise it is left out.
fn order<T: Borrow<Table>>(
    tables: &[T],
    position: &dyn Fn(&TableRef) -> Option<usize>,
    resolved: Option<&Resolved<'_>>,
    use_alter: bool,
    keep_unnamed: bool,
    refuse_unknown: bool,
) -> Result<Order, DdlError> {
    let n = tables.len();

    // Edges referred -> referring, for each foreign key (not self-references).
    let fks = tables
        .iter()
        .flat_map(|t| t.borrow().constraints())
        .filter(|k| k.as_foreign_key().is_some())
        .count();
    let mut edges: Vec<Edge> = Vec::with_capacity(fks);
    let mut ignored = Vec::new();
    for (ti, t) in tables.iter().enumerate() {
        let t = t.borrow();
        for (ci, k) in t.constraints().iter().enumerate() {
            let Some(fk) = k.as_foreign_key() else {
                continue;
            };
            let found = resolved.and_then(|r| r.referred_position(ti, ci));
            let Some(ri) = found.or_else(|| position(fk.referred_table())) else {
                if refuse_unknown {
                    return Err(unknown_table(t, fk));
                }
                continue;
            };
            if ri == ti {
                continue;
            }
            if fk.use_alter && use_alter && !(keep_unnamed && fk.name.as_str().is_none()) {
                ignored.push(Ignored {
                    table: ti,
                    constraint: ci,
                    cycle: None,
                });
                continue;
            }
            edges.push(Edge {
                from: ri,
                to: ti,
                constraint: ci,
            });
        }
    }
    // Most schemas have no cycle: then every edge is kept and the first
    // ordering is the answer. Otherwise the edges inside strongly connected
    // components are left out and the rest ordered again.
    edges.sort_unstable_by_key(|e| (e.from, e.to));
    let mut cycles = Vec::new();
    let (order, rank) = match kahn(tables, &edges) {
        Ok(done) => done,
        Err(()) => {
            let (in_cycles, found) = cycle_edges(n, &mut edges, |i| tie_key(tables, i));
            ignored.extend(in_cycles);
            cycles = found;
            // `cycle_edges` took out every edge between two tables of one
            // strongly connected component; what is left joins components
            // only, and the graph of components has no cycle, so this
            // ordering cannot fail.
            kahn(tables, &edges).expect("no cycle is left once cycle edges are out")
        }
    };
    ignored.sort_by_key(|x| (rank[x.table], x.constraint));
    Ok(Order {
        tables: order,
        deferred: ignored,
        cycles,
    })
}

/// A foreign key as an edge from the referred table to the referring one.
#[derive(Clone, Copy, Debug)]
struct Edge {
    from: usize,
    to: usize,
    /// The foreign key's position in the referring table's constraints.
    constraint: usize,
}

/// Ties go to the smallest (schema, name); tables without a schema first.
fn tie_key<T: Borrow<Table>>(tables: &[T], i: usize) -> TieKey<'_> {
    let t = tables[i].borrow();
    (t.schema(), t.name())
}

/// Kahn's algorithm over `edges` (sorted by `from`), the smallest
/// (schema, name) first among the ready tables: the positions in order and
/// each table's rank in it, or `Err` if a cycle leaves tables unordered.
fn kahn<T: Borrow<Table>>(tables: &[T], edges: &[Edge]) -> Result<(Vec<usize>, Vec<usize>), ()> {
    let n = tables.len();
    // Out-edges as one sorted list with offsets per table.
    let mut start = vec![0usize; n + 1];
    let mut indegree = vec![0usize; n];
    for e in edges {
        start[e.from + 1] += 1;
        indegree[e.to] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut ready: BinaryHeap<Reverse<(TieKey<'_>, usize)>> = (0..n)
        .filter(|&i| indegree[i] == 0)
        .map(|i| Reverse((tie_key(tables, i), i)))
        .collect();
    let mut order = Vec::with_capacity(n);
    let mut rank = vec![usize::MAX; n];
    while let Some(Reverse((_, i))) = ready.pop() {
        rank[i] = order.len();
        order.push(i);
        for e in &edges[start[i]..start[i + 1]] {
            indegree[e.to] -= 1;
            if indegree[e.to] == 0 {
                ready.push(Reverse((tie_key(tables, e.to), e.to)));
            }
        }
    }
    if order.len() == n {
        Ok((order, rank))
    } else {
        Err(())
    }
}

/// Takes out of `edges` those whose two tables are in one strongly
/// connected component (they form cycles) and returns them as ignored
/// foreign keys, each referring to its cycle by position, and the cycles,
/// each once, its tables sorted by `key`, in the order of their first table.
fn cycle_edges<'m>(
    n: usize,
    edges: &mut Vec<Edge>,
    key: impl Fn(usize) -> TieKey<'m>,
) -> (Vec<Ignored>, Vec<Vec<usize>>) {
    let mut g = Graph::<(), (), Directed, u32>::with_capacity(n, edges.len());
    for _ in 0..n {
        g.add_node(());
    }
    for e in edges.iter() {
        g.add_edge(NodeIndex::new(e.from), NodeIndex::new(e.to), ());
    }
    // Each table's cycle, by position in `cycles`; `usize::MAX` for a table
    // in no cycle.
    let mut cycle_of = vec![usize::MAX; n];
    let mut cycles: Vec<Vec<usize>> = Vec::new();
    for scc in kosaraju_scc(&g) {
        if scc.len() > 1 {
            let mut members: Vec<usize> = scc.into_iter().map(NodeIndex::index).collect();
            members.sort_by_key(|&i| key(i));
            cycles.push(members);
        }
    }
    // Deterministic numbering: by each cycle's first table.
    cycles.sort_by_key(|c| c.first().map(|&i| key(i)));
    for (c, members) in cycles.iter().enumerate() {
        for &i in members {
            cycle_of[i] = c;
        }
    }
    let mut ignored = Vec::new();
    edges.retain(|e| {
        let c = cycle_of[e.from];
        let inside = c != usize::MAX && c == cycle_of[e.to];
        if inside {
            ignored.push(Ignored {
                table: e.to,
                constraint: e.constraint,
                cycle: Some(c),
            });
        }
        !inside
    });
    (ignored, cycles)
}
