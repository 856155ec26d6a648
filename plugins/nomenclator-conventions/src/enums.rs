//! `enums`: the check that keeps an enumerated column to its values where
//! the dialect has no enumerated type.

use nomenclator::dialect::{Dialect, Sqlite};
use nomenclator::events::{ColumnAttached, EventKind, Interest, Listener, ListenerResult};
use nomenclator::{ColumnType, DialectKind};

use crate::sql::add_column_check;

/// The dialects with no enumerated type: PostgreSQL makes a type of its own
/// (`CREATE TYPE ... AS ENUM`) and MySQL and MariaDB an `ENUM(...)` column,
/// both without this plugin.
const NO_ENUM: [DialectKind; 1] = [DialectKind::Sqlite];

/// For each `enum(...)` column, `CHECK (col IN ('a', 'b'))` on SQLite, where
/// the column is a `VARCHAR` as long as the longest value, as SQLAlchemy's
/// `Enum(create_constraint=True)` does. Named as
/// [`BooleanChecks`](crate::BooleanChecks) names its checks: by the `ck`
/// template, with the column as `column_0` and as `constraint_name`.
///
/// ```
/// use nomenclator::ddl::{create_script, DdlOptions};
/// use nomenclator::dialect::{PostgreSql, Sqlite};
/// use nomenclator::{Column, Kind, MetaData, NamingConvention, Table};
/// use nomenclator_conventions::Enums;
///
/// let convention = NamingConvention::new()
///     .with(Kind::Check, "ck_%(table_name)s_%(constraint_name)s").unwrap();
/// let mut md = MetaData::with_convention(convention);
/// md.listen(Enums::new());
/// md.add_table(Table::new("post").column(Column::new("state", "enum('draft', 'out')"))).unwrap();
/// let sqlite = create_script(&md, &Sqlite, &DdlOptions::default()).unwrap().into_string();
/// assert!(sqlite.contains("state VARCHAR(5) CONSTRAINT ck_post_state CHECK (state IN ('draft', 'out'))"));
/// let pg = create_script(&md, &PostgreSql, &DdlOptions::default()).unwrap().into_string();
/// assert!(pg.starts_with("CREATE TYPE post_state AS ENUM ('draft', 'out');"));
/// assert!(!pg.contains("CHECK"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Enums;

impl Enums {
    /// The plugin and its listener.
    pub fn new() -> Self {
        Enums
    }
}

impl Listener for Enums {
    fn name(&self) -> &str {
        "enums"
    }

    fn interest(&self) -> Interest {
        Interest::only(EventKind::ColumnAttached)
    }

    fn column_attached(&mut self, e: &mut ColumnAttached<'_>) -> ListenerResult {
        let Some(ColumnType::Enum(ty)) = e.column.column_type() else {
            return Ok(());
        };
        let mut test = String::from("IN ");
        Sqlite.push_literal_list(&mut test, ty.values());
        add_column_check(e, &test, &NO_ENUM);
        Ok(())
    }
}

listener_plugin!(
    Enums,
    "enums",
    "a CHECK (col IN (...)) per enum(...) column on SQLite"
);

#[cfg(test)]
mod tests {
    use nomenclator::{Column, Constraint, MetaData, Table};

    #[test]
    fn values_are_sqlite_literals() {
        let mut md = MetaData::new();
        md.listen(super::Enums::new());
        md.add_table(Table::new("t").column(Column::new("order", "enum('it''s', 'b')")))
            .unwrap();
        let Constraint::Check(ck) = &md.table("t").unwrap().constraints()[0] else {
            panic!()
        };
        // The column's name is an SQL word: quoted as SQLite quotes it.
        assert_eq!(ck.sql(), "\"order\" IN ('it''s', 'b')");
    }
}
