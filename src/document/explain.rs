//! The schema model's errors, placed in the document.
//!
//! The model checks names, duplicates, columns and references once, for
//! tables from anywhere; its errors say which table, column and referred
//! table they are about. Here those fields lead back to the document's key
//! path (`tables[1].uniques[0].columns[2]`), and the message is worded for
//! someone editing the document.

use super::error::DocumentError;
use super::model::{DocIndexPart, DocTable, Text};
use super::path::{ColumnPath, ForeignKeyPath, TablePath};
use super::source::Source;
use crate::schema::{ForeignKey, Kind, Origin, SchemaError, Table, TableRef};
use crate::{Error, MetaData};

/// Places an error of adding the document's table `tables[i]` (`t`) to the metadata.
pub(crate) fn table_error(src: &Source<'_>, i: usize, t: &DocTable<'_>, e: Error) -> DocumentError {
    if let Error::Schema(s) = &e {
        if let Some(placed) = in_table(src, i, t, s) {
            return placed;
        }
    }
    let help = matches!(e, Error::Schema(SchemaError::PrimaryKeyConflict { .. }))
        .then(|| "declare the primary key once".to_owned());
    src.err(Some(TablePath(i).to_string()), e.to_string(), help)
}

/// Places an error of the metadata as a whole (references between tables,
/// names that waited for a later table). The metadata's tables are the
/// document's, in document order.
pub(crate) fn metadata_error(src: &Source<'_>, md: &MetaData, e: Error) -> DocumentError {
    if let Error::Schema(s) = &e {
        if let Some(placed) = in_references(src, md, s) {
            return placed;
        }
    }
    src.err(None, e.to_string(), None)
}

/// The errors adding one table can give, placed by the table's own parts.
fn in_table(
    src: &Source<'_>,
    i: usize,
    t: &DocTable<'_>,
    e: &SchemaError,
) -> Option<DocumentError> {
    let p = TablePath(i);
    Some(match e {
        SchemaError::EmptyName { what: "table", .. } => src.at(
            format!("{p}.name"),
            "table name is empty".into(),
            "give the table a name",
        ),
        SchemaError::EmptyName { what: "schema", .. } => src.at(
            format!("{p}.schema"),
            "schema is empty".into(),
            "remove `schema` or give a name",
        ),
        SchemaError::EmptyName { what: "column", .. } => {
            let j = t.columns.iter().position(|c| c.name().is_empty())?;
            src.at(
                format!("{}.name", ColumnPath(i, j)),
                "column name is empty".into(),
                "give the column a name",
            )
        }
        SchemaError::DuplicateTable(key) => src.at(
            format!("{p}.name"),
            format!("table \"{key}\" is defined twice"),
            "rename or remove one of them",
        ),
        SchemaError::DuplicateColumn { column, .. } => {
            // The second column of that name.
            let (j, _) = t
                .columns
                .iter()
                .enumerate()
                .filter(|(_, c)| c.name() == column.as_str())
                .nth(1)?;
            src.at(
                format!("{}.name", ColumnPath(i, j)),
                format!(
                    "column \"{column}\" is defined twice in table \"{}\"",
                    t.name
                ),
                "rename or remove one of them",
            )
        }
        SchemaError::NoColumns { what, .. } => {
            let (path, _) = column_lists(i, t, what)
                .into_iter()
                .find(|(_, cols)| cols.is_empty())?;
            src.at(
                path,
                format!("{what} has no columns"),
                "list at least one column",
            )
        }
        SchemaError::UnknownColumn {
            what,
            column,
            suggestion,
            ..
        } => {
            // The model stops at the first missing column of the first list
            // of this kind that has one.
            let has = |c: &Text<'_>| t.columns.iter().any(|x| x.name() == c.as_str());
            let (path, m) = column_lists(i, t, what)
                .into_iter()
                .find_map(|(path, cols)| {
                    let (m, missing) = cols
                        .iter()
                        .enumerate()
                        .find_map(|(m, c)| c.filter(|c| !has(c)).map(|c| (m, c)))?;
                    (*missing == column.as_str()).then_some((path, m))
                })?;
            let keyed = t
                .columns
                .iter()
                .find(|x| x.key.as_ref().is_some_and(|k| k == column.as_str()))
                .map(|x| {
                    format!(
                        " (column \"{}\" has this key; constraints list column names)",
                        x.name()
                    )
                });
            let hint = keyed
                .or_else(|| {
                    suggestion
                        .as_ref()
                        .map(|s| format!(" (did you mean \"{s}\"?)"))
                })
                .unwrap_or_default();
            src.at(
                format!("{path}[{m}]"),
                format!("table \"{}\" has no column \"{column}\"{hint}", t.name),
                "",
            )
        }
        SchemaError::ForeignKeyColumnCount {
            referred,
            local,
            referred_count,
            ..
        } => {
            let k = t.foreign_keys.iter().position(|fk| {
                fk.columns.len() == *local
                    && fk.referred_columns.as_ref().map(Vec::len) == Some(*referred_count)
            })?;
            count_error(src, ForeignKeyPath(i, k), *local, *referred_count, referred)
        }
        _ => return None,
    })
}

/// The column lists of `t`'s constraints or indexes of the kind the model
/// calls `what`, with their paths, in the order the model checks them. An
/// index's expression entries are `None`.
fn column_lists<'t, 'a>(
    i: usize,
    t: &'t DocTable<'a>,
    what: &str,
) -> Vec<(String, Vec<Option<&'t Text<'a>>>)> {
    let p = TablePath(i);
    let all = |cols: &'t [Text<'a>]| cols.iter().map(Some).collect::<Vec<_>>();
    let mut out = Vec::new();
    if what == Kind::PrimaryKey.describe() {
        if let Some(pk) = &t.primary_key {
            out.push((format!("{p}.primary_key.columns"), all(&pk.columns)));
        }
    } else if what == Kind::ForeignKey.describe() {
        for (k, fk) in t.foreign_keys.iter().enumerate() {
            out.push((
                format!("{}.columns", ForeignKeyPath(i, k)),
                all(&fk.columns),
            ));
        }
    } else if what == Kind::Unique.describe() {
        for (k, u) in t.uniques.iter().enumerate() {
            out.push((format!("{p}.uniques[{k}].columns"), all(&u.columns)));
        }
    } else if what == Kind::Index.describe() {
        for (k, ix) in t.indexes.iter().enumerate() {
            let parts = ix.columns.iter().map(DocIndexPart::column).collect();
            out.push((format!("{p}.indexes[{k}].columns"), parts));
        }
    }
    out
}

/// The errors of references between tables, placed at the referring
/// foreign key (the first of its table that fits the error, as the model
/// checks them in order).
fn in_references(src: &Source<'_>, md: &MetaData, e: &SchemaError) -> Option<DocumentError> {
    let (table, referred) = match e {
        SchemaError::UnknownTable {
            table, referred, ..
        }
        | SchemaError::UnknownReferredColumn {
            table, referred, ..
        }
        | SchemaError::NoReferredKey { table, referred }
        | SchemaError::ForeignKeyColumnCount {
            table, referred, ..
        } => (table, referred),
        _ => return None,
    };
    let (i, t) = md
        .tables()
        .iter()
        .enumerate()
        .find(|(_, t)| t.key() == *table)?;
    let fits = |fk: &ForeignKey| match e {
        SchemaError::UnknownReferredColumn { column, .. } => {
            fk.declared_referred_columns().contains(column)
        }
        SchemaError::NoReferredKey { .. } => fk.declared_referred_columns().is_empty(),
        SchemaError::ForeignKeyColumnCount { local, .. } => fk.columns().len() == *local,
        _ => true,
    };
    let (fk, at) = foreign_keys(t).find(|(fk, _)| fk.referred_table() == referred && fits(fk))?;
    let (path, of_column) = match at {
        KeyAt::Column(j) => (format!("{}.references", ColumnPath(i, j)), true),
        KeyAt::Table(k) => (ForeignKeyPath(i, k).to_string(), false),
    };
    Some(match e {
        SchemaError::UnknownTable { suggestion, .. } => src.at(
            if of_column {
                path
            } else {
                format!("{path}.references")
            },
            format!("table \"{referred}\" is not defined{}", suggest(suggestion)),
            "define the table, or correct the reference",
        ),
        SchemaError::UnknownReferredColumn {
            column, suggestion, ..
        } => {
            let path = match at {
                KeyAt::Column(_) => path,
                KeyAt::Table(_) => {
                    let m = fk
                        .declared_referred_columns()
                        .iter()
                        .position(|c| c == column)?;
                    format!("{path}.referred_columns[{m}]")
                }
            };
            src.at(
                path,
                format!(
                    "table \"{referred}\" has no column \"{column}\"{}",
                    suggest(suggestion)
                ),
                "",
            )
        }
        SchemaError::NoReferredKey { .. } => src.at(
            path,
            format!("table \"{referred}\" has no primary key to refer to"),
            "list `referred_columns`",
        ),
        SchemaError::ForeignKeyColumnCount {
            local,
            referred_count,
            ..
        } => {
            let KeyAt::Table(k) = at else { return None };
            count_error(src, ForeignKeyPath(i, k), *local, *referred_count, referred)
        }
        _ => return None,
    })
}

/// Where a foreign key of the document was declared.
#[derive(Clone, Copy)]
enum KeyAt {
    /// By `references` on the column at this index.
    Column(usize),
    /// In `foreign_keys`, at this index.
    Table(usize),
}

/// The foreign keys of a metadata's table, in the model's order, with
/// where the document declared each.
fn foreign_keys(t: &Table) -> impl Iterator<Item = (&ForeignKey, KeyAt)> {
    let mut declared = 0;
    t.constraints().iter().filter_map(move |c| {
        let fk = c.as_foreign_key()?;
        let at = match c.origin() {
            Origin::Column(name) => {
                KeyAt::Column(t.columns().iter().position(|x| x.name() == name)?)
            }
            Origin::Table => {
                declared += 1;
                KeyAt::Table(declared - 1)
            }
            // Made by a listener: the document does not declare it.
            Origin::Listener { .. } => return None,
        };
        Some((fk, at))
    })
}

/// A foreign key whose local and referred columns differ in number.
fn count_error(
    src: &Source<'_>,
    fp: ForeignKeyPath,
    local: usize,
    referred_count: usize,
    referred: &TableRef,
) -> DocumentError {
    src.at(
        fp.to_string(),
        format!(
            "foreign key has {local} column(s) but refers to {referred_count} column(s) of \"{referred}\""
        ),
        "give as many `referred_columns` as `columns`",
    )
}

/// ` (did you mean "x"?)`, or nothing.
fn suggest(s: &Option<String>) -> String {
    s.as_ref()
        .map(|s| format!(" (did you mean \"{s}\"?)"))
        .unwrap_or_default()
}
