//! How PostgreSQL makes the names it chooses itself, as its own source
//! does (`makeObjectName` in `indexcmds.c`, `pg_mbcliplen`): shared by the
//! diff (a serial column's sequence) and the native naming plugin.

/// PostgreSQL's `NAMEDATALEN`: a name is at most one byte less.
pub const NAMEDATALEN: usize = 64;

/// PostgreSQL's `makeObjectName`: `name1_name2_label` in at most 63 bytes,
/// the longer of `name1` and `name2` cut first, never inside a character.
///
/// ```
/// use nomenclator::dialect::postgres_names::make_object_name;
/// assert_eq!(make_object_name("orders", Some("customer_id"), "fkey"), "orders_customer_id_fkey");
/// assert_eq!(make_object_name("orders", None, "pkey"), "orders_pkey");
/// let long = "a".repeat(40);
/// let name = make_object_name(&long, Some(&"b".repeat(40)), "key");
/// assert_eq!(name, format!("{}_{}_key", "a".repeat(29), "b".repeat(29)));
/// ```
pub fn make_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let mut overhead = 0;
    let mut n1 = name1.len();
    let mut n2 = 0;
    if let Some(n) = name2 {
        n2 = n.len();
        overhead += 1;
    }
    overhead += label.len() + 1;
    let avail = (NAMEDATALEN - 1).saturating_sub(overhead);
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let mut out = String::with_capacity(NAMEDATALEN);
    out.push_str(clip(name1, n1));
    if let Some(n) = name2 {
        out.push('_');
        out.push_str(clip(n, n2));
    }
    out.push('_');
    out.push_str(label);
    out
}

/// The longest start of `s` within `len` bytes that ends on a character
/// boundary (`pg_mbcliplen`).
pub fn clip(s: &str, len: usize) -> &str {
    let mut end = len.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
