//! The document's records as schema objects: tables, views and custom DDL.
//!
//! What cannot be converted (a reference that does not read as one, an
//! unknown referential action, DDL event or dialect) is an error here, at
//! the value's place.

use super::error::DocumentError;
use super::model::{DocDdl, DocIndexPart, DocTable, DocView, Text};
use super::path::{ColumnPath, ForeignKeyPath, TablePath};
use super::source::Source;
use crate::events::EventKind;
use crate::schema::{
    Check, Column, ColumnType, CustomDdl, DialectKind, ForeignKey, Index, IndexPart, Name,
    PrimaryKey, Reference, ReferentialAction, Table, TableRef, Unique, View,
};

/// The referential actions `on_delete` and `on_update` may name (in any case).
const ACTIONS: &[&str] = &[
    "CASCADE",
    "SET NULL",
    "SET DEFAULT",
    "RESTRICT",
    "NO ACTION",
];

/// The dialect names custom DDL may be restricted to (in any case).
const DIALECTS: &[&str] = &["postgresql", "postgres", "sqlite", "mysql", "mariadb"];

/// The document's table `tables[i]`, detached, ready to be added to a metadata.
pub(crate) fn table(src: &Source<'_>, i: usize, t: &DocTable<'_>) -> Result<Table, DocumentError> {
    let mut table = Table::new(own(&t.name));
    if let Some(s) = &t.schema {
        table = table.in_schema(own(s));
    }
    if let Some(c) = &t.comment {
        table = table.with_comment(own(c));
    }
    if let Some(r) = &t.renamed_from {
        table = table.renamed_from(own(r));
    }
    let table_pk = t.primary_key.is_some();
    // Room for everything below, so no list grows step by step.
    let constraints =
        usize::from(table_pk) + t.foreign_keys.len() + t.uniques.len() + t.checks.len();
    table.columns.reserve_exact(t.columns.len());
    table.constraints.reserve_exact(constraints);
    table.indexes.reserve_exact(t.indexes.len());
    table
        .log
        .reserve_exact(t.columns.len() + constraints + t.indexes.len());
    for (j, c) in t.columns.iter().enumerate() {
        let mut col = match &c.ty {
            Some(ty) => Column::new(c.name().to_owned(), ColumnType::parse(ty)),
            None => Column::untyped(c.name().to_owned()),
        };
        if let Some(k) = &c.key {
            col = col.key(own(k));
        }
        if let Some(n) = c.nullable {
            col = col.nullable(n);
        }
        if let Some(a) = c.autoincrement {
            col = col.autoincrement(a);
        }
        if c.primary_key && !table_pk {
            col = col.primary_key();
        } else if c.primary_key && c.nullable.is_none() {
            col = col.nullable(false);
        }
        if c.unique {
            col = col.unique();
        }
        if c.index {
            col = col.index();
        }
        if let Some(d) = &c.default {
            col = col.default_sql(own(d));
        }
        if let Some(r) = &c.references {
            let cp = ColumnPath(i, j);
            let mut r = Reference::parse(r).map_err(|_| {
                src.at(
                    format!("{cp}.references"),
                    format!("cannot read reference {:?}", r.as_str()),
                    "write \"table.column\" or \"schema.table.column\"",
                )
            })?;
            r.on_delete = action(src, || format!("{cp}.on_delete"), &c.on_delete)?;
            r.on_update = action(src, || format!("{cp}.on_update"), &c.on_update)?;
            col = col.references(r);
        }
        if let Some(ck) = &c.check {
            let ck = &ck.0;
            col = col.check(Check::new(own(&ck.sql)).named(name(ck.name.as_ref(), ck.convention)));
        }
        if let Some(cm) = &c.comment {
            col = col.with_comment(own(cm));
        }
        if let Some(r) = &c.renamed_from {
            col = col.renamed_from(own(r));
        }
        table.push_column(col);
    }
    if let Some(pk) = &t.primary_key {
        table.push_constraint(
            PrimaryKey::new(pk.columns.iter().map(own))
                .named(name(pk.name.as_ref(), pk.convention))
                .into(),
        );
    }
    for (k, fk) in t.foreign_keys.iter().enumerate() {
        let fp = ForeignKeyPath(i, k);
        let r = TableRef::parse(&fk.references).ok_or_else(|| {
            src.at(
                format!("{fp}.references"),
                format!("cannot read reference {:?}", fk.references.as_str()),
                "write \"table\" or \"schema.table\"",
            )
        })?;
        let mut f = ForeignKey::new(fk.columns.iter().map(own), r)
            .named(name(fk.name.as_ref(), fk.convention))
            .use_alter(fk.use_alter);
        if let Some(rc) = &fk.referred_columns {
            f = f.referred_columns(rc.iter().map(own));
        }
        f.on_delete = action(src, || format!("{fp}.on_delete"), &fk.on_delete)?;
        f.on_update = action(src, || format!("{fp}.on_update"), &fk.on_update)?;
        table.push_constraint(f.into());
    }
    for u in &t.uniques {
        table.push_constraint(
            Unique::new(u.columns.iter().map(own))
                .named(name(u.name.as_ref(), u.convention))
                .into(),
        );
    }
    for ck in &t.checks {
        table.push_constraint(
            Check::new(own(&ck.sql))
                .named(name(ck.name.as_ref(), ck.convention))
                .into(),
        );
    }
    for ix in &t.indexes {
        let parts = ix.columns.iter().map(|p| match p {
            DocIndexPart::Column(c) => IndexPart::Column(own(c)),
            DocIndexPart::Expression(e) => IndexPart::Expression(own(e)),
        });
        let mut index = Index::with_parts(parts)
            .named(name(ix.name.as_ref(), ix.convention))
            .unique(ix.unique);
        if let Some(p) = &ix.predicate {
            index = index.with_where(own(p));
        }
        table.push_index(index);
    }
    for (k, d) in t.ddl.iter().enumerate() {
        let path = || format!("{}.ddl[{k}]", TablePath(i));
        table = table.ddl(ddl(src, path, d)?);
    }
    Ok(table)
}

/// The document's view `views[k]`.
pub(crate) fn view(src: &Source<'_>, k: usize, v: &DocView<'_>) -> Result<View, DocumentError> {
    if v.name.is_empty() {
        return Err(src.at(
            format!("views[{k}].name"),
            "view name is empty".into(),
            "give the view a name",
        ));
    }
    if v.sql.trim().is_empty() {
        return Err(src.at(
            format!("views[{k}].sql"),
            "view has empty `sql`".into(),
            "give the SELECT the view stands for",
        ));
    }
    Ok(View {
        name: own(&v.name),
        schema: v.schema.as_ref().map(own),
        sql: own(&v.sql),
    })
}

/// Custom DDL of the document at `path()` (such as `ddl[0]`).
pub(crate) fn ddl(
    src: &Source<'_>,
    path: impl Fn() -> String,
    d: &DocDdl<'_>,
) -> Result<CustomDdl, DocumentError> {
    let when = EventKind::parse_ddl(&d.when).ok_or_else(|| {
        src.at(
            format!("{}.when", path()),
            format!("unknown DDL event {:?}", d.when.as_str()),
            "use before_create, after_create, before_drop or after_drop",
        )
    })?;
    let mut dialects = Vec::new();
    for (m, dialect) in d.dialects.iter().flatten().enumerate() {
        let kind = DIALECTS
            .contains(&dialect.to_ascii_lowercase().as_str())
            .then(|| dialect.parse::<DialectKind>().ok())
            .flatten()
            .ok_or_else(|| {
                src.at(
                    format!("{}.dialects[{m}]", path()),
                    format!("unknown dialect {:?}", dialect.as_str()),
                    "use postgresql, sqlite or mysql",
                )
            })?;
        dialects.push(kind);
    }
    Ok(CustomDdl::new(when, own(&d.sql)).only_for(dialects))
}

/// A referential action, one of [`ACTIONS`], at `path()`. `path` is only
/// built for an error: this runs twice per foreign key.
fn action(
    src: &Source<'_>,
    path: impl FnOnce() -> String,
    action: &Option<Text<'_>>,
) -> Result<Option<ReferentialAction>, DocumentError> {
    let Some(a) = action else { return Ok(None) };
    let known = ACTIONS.iter().any(|x| x.eq_ignore_ascii_case(a.trim()));
    match a.parse() {
        Ok(parsed) if known => Ok(Some(parsed)),
        _ => Err(src.at(
            path(),
            format!("unknown referential action {:?}", a.as_str()),
            &format!("use one of {}", ACTIONS.join(", ")),
        )),
    }
}

/// A constraint's or index's name: none, explicit, or final with `convention = false`.
fn name(n: Option<&Text<'_>>, convention: Option<bool>) -> Name {
    Name::from_parts(n.map(own), convention.unwrap_or(true))
}

/// The text as a string of its own.
fn own(t: &Text<'_>) -> String {
    t.as_str().to_owned()
}
