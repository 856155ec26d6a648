//! Reading the text values of catalog rows.
// Read by the drivers' backends: unused in a build without one.
#![cfg_attr(
    not(any(feature = "sqlite", feature = "postgres", feature = "mysql")),
    allow(dead_code)
)]

use super::error::ReflectError;

/// One row of a catalog query: every value as text, `None` for NULL.
pub(crate) type Row = Vec<Option<String>>;

/// The value of column `i`, `""` for NULL.
pub(crate) fn text(row: &Row, i: usize) -> String {
    row.get(i).cloned().flatten().unwrap_or_default()
}

/// The value of column `i`, `None` for NULL.
pub(crate) fn opt(row: &Row, i: usize) -> Option<String> {
    row.get(i).cloned().flatten()
}

/// The value of column `i` read as a boolean (`t`, `true`, `1`, `YES`).
pub(crate) fn flag(row: &Row, i: usize) -> bool {
    matches!(
        row.get(i).and_then(|v| v.as_deref()),
        Some("t" | "true" | "1" | "YES" | "yes" | "TRUE")
    )
}

/// The value of column `i` read as a JSON array of strings.
pub(crate) fn list(row: &Row, i: usize, what: &'static str) -> Result<Vec<String>, ReflectError> {
    match row.get(i).and_then(|v| v.as_deref()) {
        None => Ok(Vec::new()),
        Some(json) => serde_json::from_str::<Vec<Option<String>>>(json)
            .map(|v| v.into_iter().map(Option::unwrap_or_default).collect())
            .map_err(|e| ReflectError::Unexpected {
                what,
                detail: format!("{e} in {json:?}"),
            }),
    }
}
