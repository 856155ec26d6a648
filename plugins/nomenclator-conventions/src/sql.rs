//! SQL text the conventions write into checks.

use nomenclator::dialect::for_kind;
use nomenclator::events::ColumnAttached;
use nomenclator::{Check, DialectKind, Name};

/// `name` as an identifier that every dialect in `dialects` reads: bare
/// where none of them needs it quoted, else in backticks, which SQLite
/// reads as MySQL and MariaDB do (backticks inside doubled).
pub(crate) fn ident(name: &str, dialects: &[DialectKind]) -> String {
    if !dialects.iter().any(|d| for_kind(*d).needs_quoting(name)) {
        return name.to_owned();
    }
    if dialects == [DialectKind::Sqlite] {
        return for_kind(DialectKind::Sqlite).quote(name);
    }
    format!("`{}`", name.replace('`', "``"))
}

/// Attaches `CHECK (<column> <test>)` to the event's column, made only on
/// `dialects`: it belongs to the column (its `column_0`), and the column's
/// name is its `constraint_name` (naming rule 7).
pub(crate) fn add_column_check(e: &mut ColumnAttached<'_>, test: &str, dialects: &[DialectKind]) {
    let column = e.column.name().to_owned();
    let sql = format!("{} {test}", ident(&column, dialects));
    e.add_constraint(
        Check::new(sql)
            .named(Name::explicit(column.clone()))
            .on_column(column)
            .only_for(dialects.iter().copied()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: &[DialectKind] = &[DialectKind::Sqlite, DialectKind::MySql];

    #[test]
    fn identifiers_are_quoted_only_when_a_dialect_needs_it() {
        assert_eq!(ident("active", BOTH), "active");
        assert_eq!(ident("order", BOTH), "`order`");
        assert_eq!(ident("a`b", BOTH), "`a``b`");
        assert_eq!(
            ident("Mixed Case", &[DialectKind::Sqlite]),
            "\"Mixed Case\""
        );
    }
}
