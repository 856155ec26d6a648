//! Small text helpers shared by the crate.

/// The longest word the dialects lower-case on the stack (reserved words
/// are shorter), rather than in a new string.
pub(crate) const LOWERCASE_MAX: usize = 32;

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

/// Why a file or stream could not be read as text within its bound.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// Reading failed.
    Io(std::io::Error),
    /// There is more than `limit` bytes.
    TooLarge {
        /// The bound, in bytes.
        limit: u64,
    },
    /// A NUL byte, which no text document holds (UTF-16 and binary files
    /// do, and `/dev/zero` holds nothing else).
    Nul {
        /// Its byte offset.
        offset: usize,
        /// Its 1-based line and column.
        line_col: (usize, usize),
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::TooLarge { limit } => {
                write!(f, "it is larger than the limit of {limit} bytes")
            }
            ReadError::Nul {
                offset,
                line_col: (line, column),
            } => write!(
                f,
                "it holds a NUL byte at line {line}, column {column} (byte {offset}), so it is not UTF-8 text (UTF-16, or not a text file?)"
            ),
        }
    }
}

/// How much is read at a time.
const CHUNK: usize = 64 << 10;

/// Reads the file at `path` whole, but no more than `limit` bytes. A
/// regular file larger than that is refused before it is read; anything
/// else (a pipe, standard input, `/dev/zero`) is read as a stream is, see
/// [`read_bounded`].
pub(crate) fn read_file(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let expected = match file.metadata() {
        Ok(m) if m.is_file() => {
            if m.len() > limit {
                return Err(ReadError::TooLarge { limit });
            }
            m.len()
        }
        _ => 0,
    };
    read_bounded(file, limit, expected)
}

/// Reads `reader` to its end, but no more than `limit` bytes, stopping at
/// the first NUL byte: an endless or binary source ends at its first
/// chunk, a large one at the limit. `expected` is the size to make room
/// for (the file's length, or 0).
pub(crate) fn read_bounded(
    mut reader: impl std::io::Read,
    limit: u64,
    expected: u64,
) -> Result<Vec<u8>, ReadError> {
    use std::io::Read as _;
    let room = usize::try_from(expected.min(limit)).unwrap_or(0);
    let mut buf = Vec::with_capacity(room.saturating_add(CHUNK));
    loop {
        let len = buf.len();
        // Read into the spare room as it is: filling it with zeros first
        // would write every byte of a large document twice.
        buf.reserve(CHUNK);
        match reader.by_ref().take(CHUNK as u64).read_to_end(&mut buf) {
            Ok(0) => return Ok(buf),
            Ok(_) => {}
            Err(e) => return Err(ReadError::Io(e)),
        }
        let fresh = buf.get(len..).unwrap_or_default();
        if let Some(at) = memchr::memchr(0, fresh) {
            let offset = len + at;
            return Err(ReadError::Nul {
                offset,
                line_col: byte_line_col(&buf, offset),
            });
        }
        if buf.len() as u64 > limit {
            return Err(ReadError::TooLarge { limit });
        }
    }
}

/// The 1-based line and column (in characters) of a byte offset in bytes
/// that may not be UTF-8.
fn byte_line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(before.get(start..).unwrap_or_default())
        .chars()
        .count();
    (line, column + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_is_bounded_and_stops_at_nul() {
        let text = b"line one\nline two\n".repeat(10_000);
        let all = read_bounded(&text[..], text.len() as u64, 0).unwrap();
        assert_eq!(all, text);
        let e = read_bounded(&text[..], text.len() as u64 - 1, 0).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { .. }), "{e}");
        let e = read_bounded(std::io::repeat(b'x'), 1 << 20, 0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "it is larger than the limit of 1048576 bytes"
        );
        let e = read_bounded(&b"ab\ncd\0"[..], 100, 0).unwrap_err();
        assert!(
            matches!(
                e,
                ReadError::Nul {
                    offset: 5,
                    line_col: (2, 3)
                }
            ),
            "{e}"
        );
        let e = read_bounded(std::io::repeat(0), u64::MAX, 0).unwrap_err();
        assert!(matches!(e, ReadError::Nul { offset: 0, .. }), "{e}");
    }

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
