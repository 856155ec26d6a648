//! The metadata's index of its tables by schema and name.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use super::table::Table;

/// Positions of tables in a metadata's table list, found by schema and
/// name. It keeps no copy of the names: a candidate is compared with the
/// table itself, which a caller goes on to read anyway.
#[derive(Clone, Debug, Default)]
pub(crate) struct TableIndex {
    /// Each table's hash and position.
    positions: HashTable<(u64, usize)>,
}

fn hash(schema: Option<&str>, name: &str) -> u64 {
    FxBuildHasher.hash_one((schema, name))
}

impl TableIndex {
    /// The position in `tables` of the table `schema.name`.
    pub(crate) fn get(&self, tables: &[Table], schema: Option<&str>, name: &str) -> Option<usize> {
        let h = hash(schema, name);
        self.positions
            .find(h, |&(th, i)| {
                th == h && {
                    let t = &tables[i];
                    t.name == name && t.schema.as_deref() == schema
                }
            })
            .map(|&(_, i)| i)
    }

    /// Indexes `tables[i]`, whose key must not be indexed yet.
    pub(crate) fn insert(&mut self, tables: &[Table], i: usize) {
        let t = &tables[i];
        let h = hash(t.schema.as_deref(), &t.name);
        self.positions.insert_unique(h, (h, i), |&(h, _)| h);
    }

    /// Indexes `tables` afresh (after a table is removed, positions shift).
    pub(crate) fn rebuild(&mut self, tables: &[Table]) {
        self.positions.clear();
        for i in 0..tables.len() {
            self.insert(tables, i);
        }
    }
}
