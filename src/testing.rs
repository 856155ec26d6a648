//! Helpers for asserting generated names in your own tests.
//!
//! Each object is written as one line, `table.kind(columns) = name`
//! (`schema.table...` for a table in a schema, `-` for a name the database
//! chooses). [`assert_names!`](crate::assert_names) compares the lines of a
//! metadata with the expected ones in any order and, on failure, panics with
//! a diff of the missing and unexpected lines.
//!
//! ```
//! use nomenclator::{assert_names, Column, MetaData, NamingConvention, Kind, Table};
//!
//! let conv = NamingConvention::new().with(Kind::PrimaryKey, "pk_%(table_name)s").unwrap()
//!     .with(Kind::Unique, "uq_%(table_name)s_%(column_0_name)s").unwrap();
//! let mut md = MetaData::with_convention(conv);
//! md.add_table(Table::new("account")
//!     .column(Column::new("id", "integer").primary_key())
//!     .column(Column::new("email", "text").unique())).unwrap();
//!
//! assert_names!(md, "postgresql", [
//!     "account.pk(id) = pk_account",
//!     "account.uq(email) = uq_account_email",
//! ]);
//! ```

use crate::dialect;
use crate::naming::{final_names, NamedObject};
use crate::MetaData;

/// One object as a line: `table.kind(columns) = name`.
pub fn line(o: &NamedObject) -> String {
    let table = match &o.schema {
        Some(s) => format!("{s}.{}", o.table),
        None => o.table.clone(),
    };
    let unique = if o.unique == Some(true) {
        " unique"
    } else {
        ""
    };
    format!(
        "{table}.{}({}){unique} = {}",
        o.kind.key(),
        o.columns.join(", "),
        o.name.as_deref().unwrap_or("-")
    )
}

/// Every object of `md` as a line, for the dialect named `dialect`.
///
/// Panics (this is a test helper) if the dialect is unknown or the names cannot be finalised.
pub fn name_lines(md: &MetaData, dialect: &str) -> Vec<String> {
    let d = dialect::by_name(dialect).unwrap_or_else(|| panic!("unknown dialect {dialect:?}"));
    let names = final_names(md, &d.name_rules(None))
        .unwrap_or_else(|e| panic!("names cannot be finalised: {e}"));
    names.iter().map(line).collect()
}

/// Compares actual and expected lines in any order; `Err` holds a readable diff.
pub fn compare_lines(actual: &[String], expected: &[&str]) -> Result<(), String> {
    let mut missing: Vec<&str> = Vec::new();
    let mut rest: Vec<&String> = actual.iter().collect();
    for e in expected {
        match rest.iter().position(|a| a.as_str() == *e) {
            Some(i) => {
                rest.remove(i);
            }
            None => missing.push(e),
        }
    }
    if missing.is_empty() && rest.is_empty() {
        return Ok(());
    }
    let mut out = String::from("generated names differ from the expected ones:\n");
    for m in &missing {
        out.push_str(&format!("  - {m}    (expected, not generated)\n"));
    }
    for r in &rest {
        out.push_str(&format!("  + {r}    (generated, not expected)\n"));
    }
    Err(out)
}

/// Asserts the generated names of a metadata for a dialect, in any order.
///
/// `assert_names!(md, "postgresql", ["t.pk(id) = pk_t", ...])`
#[macro_export]
macro_rules! assert_names {
    ($md:expr, $dialect:expr, [$($line:expr),* $(,)?]) => {{
        let actual = $crate::testing::name_lines(&$md, $dialect);
        let expected: &[&str] = &[$($line),*];
        if let Err(diff) = $crate::testing::compare_lines(&actual, expected) {
            panic!("{}", diff);
        }
    }};
}

/// Reads the catalog of the database at `url` (any URL
/// [`Engine::from_url`](crate::engine::Engine::from_url) takes), for
/// comparing two databases with [`catalog_differences`] or
/// [`assert_same_catalog`].
///
/// Panics (this is a test helper) if the database cannot be reached or read.
pub fn snapshot(url: &str) -> crate::reflect::Catalog {
    let engine =
        crate::engine::Engine::from_url(url).unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    let mut conn = engine
        .connect()
        .unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"));
    crate::reflect::reflect(&mut conn, &crate::reflect::ReflectOptions::default())
        .unwrap_or_else(|e| panic!("cannot read the catalog of {url}: {e}"))
}

/// `Err` with one line per difference (`-` only in `expected`, `+` only in
/// `actual`, `~` changed) when two catalogs are not equal as
/// `spec/evolve.md` defines it: column order is not compared, and
/// constraints the server keeps unnamed count as equally named.
pub fn catalog_differences(
    expected: &crate::reflect::Catalog,
    actual: &crate::reflect::Catalog,
) -> Result<(), String> {
    let d = expected.differences(actual);
    if d.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the catalogs differ ({} difference(s)):\n  {}",
            d.len(),
            d.join("\n  ")
        ))
    }
}

/// Asserts that two catalogs are equal, with a readable list of the
/// differences on failure.
///
/// ```
/// use nomenclator::reflect::{Catalog, CatalogTable};
/// use nomenclator::testing::{assert_same_catalog, catalog_differences};
///
/// let a = Catalog { tables: vec![CatalogTable { name: "t".into(), ..Default::default() }], ..Default::default() };
/// assert_same_catalog(&a, &a.clone());
/// let err = catalog_differences(&a, &Catalog::default()).unwrap_err();
/// assert!(err.contains("- table t"));
/// ```
pub fn assert_same_catalog(expected: &crate::reflect::Catalog, actual: &crate::reflect::Catalog) {
    if let Err(e) = catalog_differences(expected, actual) {
        panic!("{e}");
    }
}
