//! Small text helpers shared by the crate.

/// The longest word [`with_ascii_lowercase`] lower-cases.
pub(crate) const LOWERCASE_MAX: usize = 32;

/// Calls `f` with `word` in ASCII lower case, made on the stack rather than
/// in a new string (type names and identifiers are lower-cased for every
/// column and every rendered name). `None` for a word longer than
/// [`LOWERCASE_MAX`] bytes.
pub(crate) fn with_ascii_lowercase<R>(word: &str, f: impl FnOnce(&str) -> R) -> Option<R> {
    let mut buf = [0u8; LOWERCASE_MAX];
    let lower = buf.get_mut(..word.len())?;
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    // ASCII lower-casing keeps UTF-8 valid.
    std::str::from_utf8(lower).ok().map(f)
}
