//! `index-foreign-keys`: an index on each foreign key that nothing covers.

use nomenclator::events::{
    ConstraintAttached, EventKind, Interest, Listener, ListenerResult, TableBuilt,
};
use nomenclator::{Constraint, Index, IndexPart, Table};

/// An index on the columns of each foreign key that no index, primary key
/// or unique constraint of its table already leads with (the key's columns
/// first, in its order; a partial index does not count), named by the
/// `ix` template.
///
/// PostgreSQL makes no index for a foreign key, so deleting a referred row
/// scans the referring table; MySQL and MariaDB make one under a name of
/// their own, which then differs from the convention (and which they drop
/// in favour of this one).
///
/// It looks once the table is whole ([`TableBuilt`]), so an index declared
/// after the key counts, and again for each foreign key added later
/// through [`TableMut`](nomenclator::schema::TableMut).
#[derive(Clone, Debug, Default)]
pub struct IndexForeignKeys;

impl IndexForeignKeys {
    /// The plugin and its listener.
    pub fn new() -> Self {
        IndexForeignKeys
    }
}

/// Whether `parts` start with exactly `columns`, in order.
fn leads_with<'a>(mut parts: impl Iterator<Item = Option<&'a str>>, columns: &[String]) -> bool {
    columns
        .iter()
        .all(|c| parts.next().flatten() == Some(c.as_str()))
}

/// Whether an index or key of `t` can serve the foreign key on `columns`.
fn covered(t: &Table, columns: &[String]) -> bool {
    let by_key = |cols: &[String]| leads_with(cols.iter().map(|c| Some(c.as_str())), columns);
    t.primary_key().is_some_and(|pk| by_key(pk.columns()))
        || t.constraints().iter().any(|c| match c {
            Constraint::Unique(u) => by_key(u.columns()),
            _ => false,
        })
        || t.indexes().iter().any(|ix| {
            ix.predicate().is_none()
                && leads_with(
                    ix.parts().iter().map(|p| match p {
                        IndexPart::Column(c) => Some(c.as_str()),
                        IndexPart::Expression(_) => None,
                    }),
                    columns,
                )
        })
}

impl Listener for IndexForeignKeys {
    fn name(&self) -> &str {
        "index-foreign-keys"
    }

    fn interest(&self) -> Interest {
        Interest::only(EventKind::TableBuilt).with(EventKind::ConstraintAttached)
    }

    fn table_built(&mut self, e: &mut TableBuilt<'_>) -> ListenerResult {
        let mut made: Vec<&[String]> = Vec::new();
        for c in e.table.constraints() {
            let Constraint::ForeignKey(fk) = c else {
                continue;
            };
            let cols = fk.columns();
            if covered(e.table, cols) || made.contains(&cols) {
                continue;
            }
            made.push(cols);
        }
        for cols in made {
            e.add_index(Index::new(cols.iter().cloned()));
        }
        Ok(())
    }

    fn constraint_attached(&mut self, e: &mut ConstraintAttached<'_>) -> ListenerResult {
        // While the table is declared, `table_built` looks at the whole.
        if !e.is_table_complete() {
            return Ok(());
        }
        if let Constraint::ForeignKey(fk) = &*e.constraint {
            if !covered(e.table, fk.columns()) {
                let cols = fk.columns().to_vec();
                e.add_index(Index::new(cols));
            }
        }
        Ok(())
    }
}

listener_plugin!(
    IndexForeignKeys,
    "index-foreign-keys",
    "an index on each foreign key that no index or key already covers"
);

#[cfg(test)]
mod tests {
    use super::*;
    use nomenclator::schema::TableMut;
    use nomenclator::{Column, MetaData, Reference, TableRef, Unique};

    fn md() -> MetaData {
        let mut md = MetaData::new();
        md.listen(IndexForeignKeys::new());
        md.add_table(
            Table::new("a")
                .column(Column::new("id", "integer"))
                .column(Column::new("x", "integer"))
                .constraint(nomenclator::PrimaryKey::new(["id", "x"])),
        )
        .unwrap();
        md
    }

    fn fk_cols(t: Table) -> Table {
        t.column(Column::new("a_id", "integer"))
            .column(Column::new("a_x", "integer"))
            .constraint(
                nomenclator::ForeignKey::new(["a_id", "a_x"], TableRef::new(None, "a"))
                    .referred_columns(["id", "x"]),
            )
    }

    fn indexes(md: &MetaData, t: &str) -> Vec<String> {
        md.table(t)
            .unwrap()
            .indexes()
            .iter()
            .map(|ix| ix.name.to_string())
            .collect()
    }

    #[test]
    fn an_uncovered_key_gets_an_index() {
        let mut md = md();
        md.add_table(fk_cols(Table::new("b"))).unwrap();
        assert_eq!(indexes(&md, "b"), ["ix_b_a_id"]);
        let ix = &md.table("b").unwrap().indexes()[0];
        assert_eq!(ix.columns().collect::<Vec<_>>(), ["a_id", "a_x"]);
    }

    #[test]
    fn a_leading_index_or_key_covers_it_wherever_it_is_declared() {
        let mut md = md();
        // An index declared after the key, with more columns after it.
        md.add_table(
            fk_cols(Table::new("b"))
                .column(Column::new("y", "integer"))
                .index(Index::new(["a_id", "a_x", "y"])),
        )
        .unwrap();
        assert_eq!(indexes(&md, "b"), ["ix_b_a_id"]);
        assert!(md.table("b").unwrap().indexes()[0].created_by().is_none());
        // A unique constraint.
        md.add_table(fk_cols(Table::new("c")).constraint(Unique::new(["a_id", "a_x"])))
            .unwrap();
        assert!(indexes(&md, "c").is_empty());
        // The wrong order, or a partial index, does not cover it.
        md.add_table(fk_cols(Table::new("d")).index(Index::new(["a_x", "a_id"])))
            .unwrap();
        assert_eq!(indexes(&md, "d").len(), 2);
        md.add_table(
            fk_cols(Table::new("e")).index(Index::new(["a_id", "a_x"]).with_where("a_id > 0")),
        )
        .unwrap();
        assert_eq!(indexes(&md, "e").len(), 2);
    }

    #[test]
    fn a_key_added_later_gets_its_index_then() {
        let mut md = md();
        md.add_table(Table::new("b").column(Column::new("id", "integer")))
            .unwrap();
        let mut t: TableMut<'_> = md.table_mut(&TableRef::new(None, "b")).unwrap();
        t.add_column(Column::new("a_ref", "integer").references(Reference::parse("a.id").unwrap()))
            .unwrap();
        assert_eq!(indexes(&md, "b"), ["ix_b_a_ref"]);
    }
}
