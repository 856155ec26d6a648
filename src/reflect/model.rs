//! A model as the catalog it would make: names final for a dialect, types
//! in their portable spelling. For comparing a document with a database
//! by name (`lint`).

use super::catalog::{
    Catalog, CatalogCheck, CatalogColumn, CatalogForeignKey, CatalogIndex, CatalogKey,
    CatalogTable, CatalogView, IndexPart,
};
use crate::dialect::Dialect;
use crate::naming::{final_names, NamingError};
use crate::schema::{Constraint, IndexPart as ModelPart, MetaData};

/// The catalog `md` would make on `dialect`: every table with its columns,
/// keys, constraints and indexes under their final names.
///
/// Types are the portable spelling (or the type text as written), checks
/// and defaults the SQL as written: compare names with it, not definitions.
pub fn catalog_of(md: &MetaData, dialect: &dyn Dialect) -> Result<Catalog, NamingError> {
    let names = final_names(md, &dialect.name_rules(None))?;
    let mut next = names.into_iter();
    let mut tables = Vec::with_capacity(md.tables().len());
    for t in md.tables() {
        let mut name = || next.next().and_then(|n| n.name);
        let mut table = CatalogTable {
            schema: t.schema().map(str::to_owned),
            name: t.name().to_owned(),
            comment: t.comment().map(str::to_owned),
            ..CatalogTable::default()
        };
        for c in t.columns() {
            table.columns.push(CatalogColumn {
                name: c.name().to_owned(),
                ty: c.column_type().map(ToString::to_string).unwrap_or_default(),
                nullable: c.is_nullable(),
                default: c.server_default().map(str::to_owned),
                comment: c.comment().map(str::to_owned),
                auto_increment: false,
            });
        }
        if let Some(pk) = t.primary_key() {
            table.primary_key = Some(CatalogKey {
                name: name(),
                columns: pk.columns().to_vec(),
            });
        }
        for k in t.constraints() {
            let n = name();
            match k {
                Constraint::ForeignKey(fk) => {
                    let referred = fk.referred_table();
                    let mut referred_columns = fk.declared_referred_columns().to_vec();
                    if referred_columns.is_empty() {
                        referred_columns = md
                            .tables()
                            .iter()
                            .find(|x| x.key() == *referred)
                            .and_then(|x| x.primary_key())
                            .map(|pk| pk.columns().to_vec())
                            .unwrap_or_default();
                    }
                    table.foreign_keys.push(CatalogForeignKey {
                        name: n,
                        columns: fk.columns().to_vec(),
                        referred_schema: referred.schema.clone(),
                        referred_table: referred.name.clone(),
                        referred_columns,
                        on_delete: fk.on_delete.map(|a| a.sql().to_owned()),
                        on_update: fk.on_update.map(|a| a.sql().to_owned()),
                    });
                }
                Constraint::Unique(uq) => table.uniques.push(CatalogKey {
                    name: n,
                    columns: uq.columns().to_vec(),
                }),
                Constraint::Check(ck) => table.checks.push(CatalogCheck {
                    name: n,
                    sql: ck.sql().to_owned(),
                    column: ck.column().map(str::to_owned),
                }),
                Constraint::PrimaryKey(_) => {}
            }
        }
        for ix in t.indexes() {
            table.indexes.push(CatalogIndex {
                name: name().unwrap_or_default(),
                unique: ix.is_unique(),
                parts: ix
                    .parts()
                    .iter()
                    .map(|p| match p {
                        ModelPart::Column(c) => IndexPart::Column(c.clone()),
                        ModelPart::Expression(e) => IndexPart::Expression(e.clone()),
                    })
                    .collect(),
                predicate: ix.predicate().map(str::to_owned),
            });
        }
        tables.push(table);
    }
    Ok(Catalog {
        dialect: dialect.name().to_owned(),
        tables,
        views: md
            .views()
            .iter()
            .map(|v| CatalogView {
                schema: v.schema.clone(),
                name: v.name.clone(),
                sql: v.sql.clone(),
            })
            .collect(),
        ..Catalog::default()
    })
}
