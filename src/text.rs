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

/// `s`, or for a huge input (a 1 MB identifier, a 100 KB template) its first
/// 100 characters and its size, so that an error message stays readable.
pub(crate) fn abbrev(s: &str) -> std::borrow::Cow<'_, str> {
    const KEEP: usize = 100;
    match s.char_indices().nth(KEEP) {
        Some((end, _)) if s.len() > 2 * KEEP => {
            // `end` is where a character starts, so the cut is on a boundary.
            let head = s.get(..end).unwrap_or(s);
            format!("{head}... ({} bytes in all)", s.len()).into()
        }
        _ => s.into(),
    }
}

/// The 1-based line and column (in characters) of a byte offset in `text`.
///
/// An offset past the end is the end; one inside a character is that
/// character.
///
/// ```
/// use nomenclator::document::line_col;
/// assert_eq!(line_col("a = 1\nbé = 2\n", 9), (2, 3));
/// assert_eq!(line_col("abc", 99), (1, 4));
/// ```
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut start = offset.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = text.get(..start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |l| l.chars().count());
    (line, column + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbrev_keeps_short_text_and_cuts_long_text_on_a_character() {
        assert_eq!(abbrev("short"), "short");
        let long = "é".repeat(300);
        let cut = abbrev(&long);
        assert!(cut.starts_with(&"é".repeat(100)), "{cut}");
        assert!(cut.ends_with("... (600 bytes in all)"), "{cut}");
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 3), (2, 1));
        // Inside a character: that character.
        assert_eq!(line_col("é", 1), (1, 1));
    }
}
