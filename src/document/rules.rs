//! Rules of the document that the schema model does not make: it never
//! sees them broken, because the document's own shorthand (column flags,
//! `on_delete` on a column, an empty `referred_columns`) is gone by the time
//! a table reaches it, or because they are about text the model takes as
//! given (types, SQL). Values that must be converted (references, actions,
//! DDL events, dialects) are checked where they are converted
//! ([`convert`](super::convert)); everything else (names, duplicates,
//! columns, references between tables) is left to the model, whose errors
//! the loader places in the document ([`explain`](super::explain)).

use rustc_hash::FxHashMap as HashMap;

use super::error::DocumentError;
use super::model::{DocColumn, DocTable, Text};
use super::path::{ColumnPath, ForeignKeyPath, TablePath};
use super::source::Source;
use crate::dialect::{check_sql, Lexical, SqlPlace};

/// Checks the rules of one table of the document, `tables[i]`.
pub(crate) fn table(src: &Source<'_>, i: usize, t: &DocTable<'_>) -> Result<(), DocumentError> {
    let p = TablePath(i);
    if t.columns.is_empty() {
        return Err(src.at(
            format!("{p}.columns"),
            format!("table \"{}\" has no columns", t.name),
            "a table needs at least one column",
        ));
    }
    named(src, i, t)?;
    column_keys(src, i, t)?;
    for (j, c) in t.columns.iter().enumerate() {
        column(src, ColumnPath(i, j), c)?;
    }
    if let Some(pk) = &t.primary_key {
        // With a table-level key, the loader turns the flags into nothing
        // more than `nullable = false`: they must agree with it.
        let flagged: Vec<&str> = t
            .columns
            .iter()
            .filter(|c| c.primary_key)
            .map(DocColumn::name)
            .collect();
        if !flagged.is_empty()
            && (flagged.len() != pk.columns.len()
                || !flagged.iter().all(|f| pk.columns.iter().any(|c| c == f)))
        {
            return Err(src.at(
                format!("{p}.primary_key"),
                format!(
                    "table \"{}\" declares primary key columns ({}) by column flags and ({}) in `primary_key`",
                    t.name,
                    flagged.join(", "),
                    join(&pk.columns)
                ),
                "declare the primary key once",
            ));
        }
    }
    for (k, ck) in t.checks.iter().enumerate() {
        if ck.sql.trim().is_empty() {
            return Err(src.at(
                format!("{p}.checks[{k}].sql"),
                "check constraint has empty `sql`".into(),
                "give the SQL expression to check",
            ));
        }
    }
    for (k, ix) in t.indexes.iter().enumerate() {
        for (m, part) in ix.columns.iter().enumerate() {
            if let Some(e) = part.expression() {
                let path = || format!("{p}.indexes[{k}].columns[{m}].expression");
                index_sql(src, path, e, "expression")?;
            }
        }
        if let Some(w) = &ix.predicate {
            index_sql(
                src,
                || format!("{p}.indexes[{k}].where"),
                w,
                "`where` predicate",
            )?;
        }
    }
    for (k, fk) in t.foreign_keys.iter().enumerate() {
        let fp = ForeignKeyPath(i, k);
        // To the model no referred columns means "the primary key"; written
        // out as an empty list it is a count that does not match.
        if fk.referred_columns.as_ref().is_some_and(Vec::is_empty) && !fk.columns.is_empty() {
            return Err(src.at(
                fp.to_string(),
                format!(
                    "foreign key has {} column(s) but refers to 0 column(s) of \"{}\"",
                    fk.columns.len(),
                    fk.references
                ),
                "give as many `referred_columns` as `columns`",
            ));
        }
    }
    Ok(())
}

/// Every column has a name, once templates are expanded: its own, or its
/// template's.
fn named(src: &Source<'_>, i: usize, t: &DocTable<'_>) -> Result<(), DocumentError> {
    match t.columns.iter().position(|c| c.name.is_none()) {
        None => Ok(()),
        Some(j) => Err(src.at(
            ColumnPath(i, j).to_string(),
            "missing field `name`".into(),
            "add `name`, or `template` to make the column from a column template",
        )),
    }
}

/// Two columns with different names may not share a key. (Two columns with
/// the same name are the model's to report.)
fn column_keys(src: &Source<'_>, i: usize, t: &DocTable<'_>) -> Result<(), DocumentError> {
    if t.columns.iter().all(|c| c.key.is_none()) {
        return Ok(());
    }
    let mut keys: HashMap<&str, &str> =
        HashMap::with_capacity_and_hasher(t.columns.len(), Default::default());
    for (j, c) in t.columns.iter().enumerate() {
        let key = c.key.as_deref().unwrap_or(c.name());
        match keys.insert(key, c.name()) {
            Some(other) if other != c.name() => {
                return Err(src.at(
                    format!("{}.key", ColumnPath(i, j)),
                    format!("column key \"{key}\" is used twice in table \"{}\"", t.name),
                    "give each column a distinct key",
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

fn column(src: &Source<'_>, cp: ColumnPath, c: &DocColumn<'_>) -> Result<(), DocumentError> {
    if c.references.is_none() {
        for (key, set) in [("on_delete", &c.on_delete), ("on_update", &c.on_update)] {
            if set.is_some() {
                return Err(src.at(
                    format!("{cp}.{key}"),
                    format!("`{key}` without `references`"),
                    "add `references = \"table.column\"`, or remove it",
                ));
            }
        }
    }
    if let Some(ck) = &c.check {
        if ck.0.sql.trim().is_empty() {
            return Err(src.at(
                format!("{cp}.check"),
                "check has empty `sql`".into(),
                "give the SQL expression to check",
            ));
        }
    }
    if let Some(ty) = &c.ty {
        if ty.trim().is_empty() {
            return Err(src.at(
                format!("{cp}.type"),
                "type is empty".into(),
                "give a type such as \"integer\" or \"varchar(40)\"",
            ));
        }
        if let Some(problem) = enum_problem(ty) {
            return Err(src.at(
                format!("{cp}.type"),
                format!("type {:?}: {problem}", ty.trim()),
                "write the values as quoted strings, each once: \"enum('new', 'paid')\"",
            ));
        }
    }
    Ok(())
}

/// What is wrong with an `enum(...)` type's list of values, if anything:
/// text after the list (a collation, say) is the server's to read.
fn enum_problem(ty: &str) -> Option<&'static str> {
    let t = ty.trim();
    let open = t.get(..5).filter(|h| h.eq_ignore_ascii_case("enum("))?;
    let body = &t[open.len()..];
    // The closing parenthesis, outside quotes.
    let mut quoted = false;
    let mut close = None;
    for (i, c) in body.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            ')' if !quoted => {
                close = Some(i);
                break;
            }
            _ => {}
        }
    }
    let Some(close) = close else {
        return Some("the list of values is not closed");
    };
    if body[..close].trim().is_empty() {
        return Some("it has no values");
    }
    match crate::schema::ColumnType::parse(&format!("enum({})", &body[..close])) {
        crate::schema::ColumnType::Enum(e) if e.values().is_empty() => Some("it has no values"),
        crate::schema::ColumnType::Enum(e) => {
            let values = e.values();
            let repeated = values
                .iter()
                .enumerate()
                .any(|(i, v)| values[..i].contains(v));
            repeated.then_some("a value is listed twice")
        }
        _ => Some("its values are not a list of quoted strings"),
    }
}

/// An index's expression or predicate: not empty, and raw SQL that some
/// dialect can write into `CREATE INDEX` (one that would end the statement
/// on every dialect, such as `1); DROP TABLE x; --`, is refused here, at
/// its place; what only some dialects refuse is refused when DDL is made
/// for them, as for checks).
fn index_sql(
    src: &Source<'_>,
    path: impl Fn() -> String,
    sql: &Text<'_>,
    what: &str,
) -> Result<(), DocumentError> {
    if sql.trim().is_empty() {
        return Err(src.at(
            path(),
            format!("index {what} is empty"),
            "give the SQL expression, or remove it",
        ));
    }
    let mut first = None;
    for lexical in [Lexical::POSTGRESQL, Lexical::SQLITE, Lexical::MYSQL] {
        match check_sql(sql, &lexical, SqlPlace::Fragment) {
            Ok(_) => return Ok(()),
            Err(e) => {
                first.get_or_insert(e);
            }
        }
    }
    let error = first.map(|e| e.to_string()).unwrap_or_default();
    Err(src.at(
        path(),
        format!(
            "index {what} {:?} cannot be written into a statement: {error}",
            crate::text::abbrev(sql)
        ),
        "write one SQL expression that closes every quote and comment it opens",
    ))
}

/// Column names separated by `, `, for messages.
fn join(cols: &[Text<'_>]) -> String {
    cols.iter().map(Text::as_str).collect::<Vec<_>>().join(", ")
}
