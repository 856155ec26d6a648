//! `boolean-checks`: a check per boolean column where the dialect has no
//! boolean type.

use nomenclator::events::{ColumnAttached, EventKind, Interest, Listener, ListenerResult};
use nomenclator::{ColumnType, DialectKind};

use crate::sql::add_column_check;

/// The dialects without a boolean type: SQLite stores any number, and
/// MySQL's and MariaDB's `BOOL` is `TINYINT(1)`, which holds -128..127.
const NO_BOOLEAN: [DialectKind; 2] = [DialectKind::Sqlite, DialectKind::MySql];

/// For each `boolean` column, `CHECK (col IN (0, 1))` on the dialects
/// that have no boolean type (SQLite, MySQL, MariaDB; PostgreSQL neither
/// makes nor expects it), as SQLAlchemy's `Boolean(create_constraint=True)`
/// does.
///
/// The check belongs to its column, so the `ck` template sees it as
/// `column_0`, and the column's name is its `constraint_name`: under
/// SQLAlchemy's `ck_%(table_name)s_%(constraint_name)s` the check of
/// `book.in_print` is `ck_book_in_print`. Without a `ck` template the
/// database names it.
///
/// ```
/// use nomenclator::{Column, Constraint, Kind, MetaData, NamingConvention, Table};
/// use nomenclator_conventions::BooleanChecks;
///
/// let convention = NamingConvention::new()
///     .with(Kind::Check, "ck_%(table_name)s_%(constraint_name)s").unwrap();
/// let mut md = MetaData::with_convention(convention);
/// md.listen(BooleanChecks::new());
/// md.add_table(Table::new("book").column(Column::new("in_print", "boolean"))).unwrap();
/// let Constraint::Check(ck) = &md.table("book").unwrap().constraints()[0] else { panic!() };
/// assert_eq!(ck.sql(), "in_print IN (0, 1)");
/// assert_eq!(ck.name.as_str(), Some("ck_book_in_print"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct BooleanChecks;

impl BooleanChecks {
    /// The plugin and its listener.
    pub fn new() -> Self {
        BooleanChecks
    }
}

impl Listener for BooleanChecks {
    fn name(&self) -> &str {
        "boolean-checks"
    }

    fn interest(&self) -> Interest {
        Interest::only(EventKind::ColumnAttached)
    }

    fn column_attached(&mut self, e: &mut ColumnAttached<'_>) -> ListenerResult {
        if e.column.column_type() != Some(&ColumnType::Boolean) {
            return Ok(());
        }
        add_column_check(e, "IN (0, 1)", &NO_BOOLEAN);
        Ok(())
    }
}

listener_plugin!(
    BooleanChecks,
    "boolean-checks",
    "a CHECK (col IN (0, 1)) per boolean column on SQLite, MySQL and MariaDB"
);
