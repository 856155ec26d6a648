//! Where a TOML document's tables are, so that each is parsed on its own.
//!
//! A TOML document can only be read once its tables are known: a table's
//! keys may come back after other tables (`[a.b]` after `[c]`), so a
//! reader of the whole text keeps all of it until the end (the `toml`
//! crate's tree of a document of 10,000 tables was seven times the memory
//! of the JSON path). A TOML document written as the format describes it
//! is a run of `[[tables]]`
//! blocks, each of them a TOML document by itself (its header, its keys
//! and its `[tables.…]` and `[[tables.…]]` sub-tables); the rest of the
//! document (the keys before the first header, `[naming_convention]`,
//! `[[views]]`, `[[ddl]]`) is one more. Splitting at top-level headers
//! keeps every part small: each is read by [`toml_tree`](super::toml_tree)
//! on its own, on two threads, and the tables are handed over as they are
//! read.
//!
//! Headers are found with `toml_parser`'s lexer, the one the reader
//! parses with: a bracket counts as a header only at the start of a
//! statement, never inside a string, a comment or a value that spans
//! lines. The parts mean what the whole document means: a block only
//! defines its own element of `tables`; a `[tables.…]` header that comes
//! back to the last table after another section joins that table's part;
//! anything else that mentions `tables` (`tables = [...]`, `[tables]`
//! before any block) stays in the rest, where the loader refuses it next to
//! `[[tables]]` blocks, as TOML does. A document without `[[tables]]`
//! headers (one `tables = [...]` array) is one part, the rest.

use std::borrow::Cow;
use std::ops::Range;

use toml_parser::lexer::{Lexer, Token, TokenKind};

/// One part of a TOML document: byte ranges of the document, whole lines,
/// in document order. Most parts are one range.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Part {
    pieces: Vec<Range<usize>>,
}

impl Part {
    /// The part's text: a slice of the document, or its pieces joined.
    pub(crate) fn text<'a>(&self, document: &'a str) -> Cow<'a, str> {
        match self.pieces.as_slice() {
            [] => Cow::Borrowed(""),
            [one] => Cow::Borrowed(document.get(one.clone()).unwrap_or_default()),
            many => Cow::Owned(
                many.iter()
                    .filter_map(|r| document.get(r.clone()))
                    .collect(),
            ),
        }
    }

    /// The document offset of an offset in the part's text.
    pub(crate) fn to_document(&self, mut offset: usize) -> usize {
        let mut end = 0;
        for piece in &self.pieces {
            let len = piece.end - piece.start;
            if offset < len {
                return piece.start + offset;
            }
            offset -= len;
            end = piece.end;
        }
        end + offset
    }

    /// Where the part starts in the document.
    pub(crate) fn start(&self) -> usize {
        self.pieces.first().map_or(0, |r| r.start)
    }

    /// Adds the lines `range` to the part.
    fn push(&mut self, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        match self.pieces.last_mut() {
            Some(last) if last.end == range.start => last.end = range.end,
            _ => self.pieces.push(range),
        }
    }
}

/// A TOML document split into its `[[tables]]` blocks and the rest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Layout {
    /// Each `[[tables]]` block, in document order.
    pub(crate) tables: Vec<Part>,
    /// Everything else: the document itself when it has no `[[tables]]` header.
    pub(crate) rest: Part,
}

/// What a header line starts.
enum Header {
    /// `[[tables]]`: the next table.
    Table,
    /// `[tables.…]` or `[[tables.…]]` (or `[tables]`): more of the last table.
    OfTable,
    /// Any other section.
    Other,
}

/// Which part the lines being read belong to.
#[derive(Clone, Copy)]
enum Current {
    Rest,
    Table(usize),
}

/// Gives each run of lines between headers to its part.
struct Splitter {
    layout: Layout,
    current: Current,
    /// Where the lines of `current` started.
    section: usize,
    /// Where the line being read started.
    line: usize,
}

impl Splitter {
    fn new() -> Self {
        Splitter {
            layout: Layout::default(),
            current: Current::Rest,
            section: 0,
            line: 0,
        }
    }

    /// A header on the line being read.
    fn header(&mut self, header: Header) {
        let line = self.line;
        let next = match (header, self.current) {
            (Header::Table, _) => {
                self.layout.tables.push(Part::default());
                Current::Table(self.layout.tables.len() - 1)
            }
            (Header::OfTable, Current::Table(_)) => return,
            (Header::OfTable, Current::Rest) if !self.layout.tables.is_empty() => {
                Current::Table(self.layout.tables.len() - 1)
            }
            (Header::OfTable | Header::Other, Current::Rest) => return,
            (Header::Other, Current::Table(_)) => Current::Rest,
        };
        self.close(line);
        self.current = next;
        self.section = line;
    }

    /// Gives the lines up to `end` to the current part.
    fn close(&mut self, end: usize) {
        let part = match self.current {
            Current::Rest => Some(&mut self.layout.rest),
            Current::Table(i) => self.layout.tables.get_mut(i),
        };
        if let Some(part) = part {
            part.push(self.section..end);
        }
    }

    fn finish(mut self, end: usize) -> Layout {
        self.close(end);
        self.layout
    }
}

/// Splits a TOML document at its top-level headers.
///
/// The document is read byte by byte for what can hide a line's start:
/// strings (basic, literal, and their multi-line forms, with escapes),
/// comments, and arrays and inline tables that span lines. A line that
/// starts with `[` outside of those is a header, read with `toml_parser`'s
/// lexer. (Lexing the whole document with it was a fifth of the time of
/// loading one; the lexer-based scan is kept in the tests, which check that
/// both split documents alike.) Should this ever split a valid document
/// where it must not, the part before the split ends inside a string or
/// value and fails to parse: a wrong split is an error, never another
/// meaning.
///
/// A large document is scanned in two halves at once: the second half from
/// a `[[tables]]` line after the middle, taken to be a header, while the
/// first half is scanned up to it. If the first half reaches that line at
/// the start of a statement, it was a header and the halves are joined;
/// otherwise (the line was inside a string or an array) the first half's
/// scan goes on to the end alone.
pub(crate) fn scan(text: &str) -> Layout {
    let junction = (text.len() >= PARALLEL_SCAN)
        .then(|| {
            let middle = text.len() / 2;
            let from = text.get(middle..)?;
            memchr::memmem::find(from.as_bytes(), b"\n[[tables]]").map(|at| middle + at + 1)
        })
        .flatten();
    let Some(junction) = junction else {
        let mut scanner = Scanner::new(text, 0);
        scanner.run(text.len());
        return scanner.splitter.finish(text.len());
    };
    std::thread::scope(|s| {
        let second = std::thread::Builder::new()
            .name("document scan".into())
            .spawn_scoped(s, || {
                let mut scanner = Scanner::new(text, junction);
                scanner.run(text.len());
                scanner.splitter.finish(text.len())
            });
        let mut first = Scanner::new(text, 0);
        first.run(junction);
        let joined = first.at_statement(junction);
        match second.map(|h| h.join()) {
            Ok(Ok(second)) if joined => {
                let mut layout = first.splitter.finish(junction);
                layout.tables.extend(second.tables);
                for piece in second.rest.pieces {
                    layout.rest.push(piece);
                }
                layout
            }
            // No thread to be had, or the line was not a header.
            _ => {
                first.run(text.len());
                first.splitter.finish(text.len())
            }
        }
    })
}

/// Documents of this many bytes are scanned in two halves at once.
const PARALLEL_SCAN: usize = 1 << 20;

/// Where the scan is in a statement.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a line, before anything but white space.
    LineStart,
    /// In a key-value pair, this deep in arrays and inline tables.
    Value(usize),
    /// After a header (or what is not one): the rest of the line.
    Line,
}

/// The byte scan of a document, from some offset on.
struct Scanner<'t> {
    text: &'t str,
    splitter: Splitter,
    state: State,
    /// Where the last string ended: a quote there starts another string.
    string_ended: usize,
    /// The next byte to read.
    i: usize,
}

impl<'t> Scanner<'t> {
    /// A scan of `text` from `start`, the start of a line.
    fn new(text: &'t str, start: usize) -> Self {
        let mut splitter = Splitter::new();
        splitter.section = start;
        splitter.line = start;
        Scanner {
            text,
            splitter,
            state: State::LineStart,
            string_ended: usize::MAX,
            i: start,
        }
    }

    /// Whether the scan stands at `offset`, at the start of a statement.
    fn at_statement(&self, offset: usize) -> bool {
        self.i == offset && self.state == State::LineStart
    }

    /// Scans until the offset `end` is reached or passed.
    fn run(&mut self, end: usize) {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut i = self.i;
        let mut state = self.state;
        while i < end {
            if state != State::LineStart {
                // Past the bytes that change nothing: words, values, white space.
                while bytes.get(i).is_some_and(|&b| !SPECIAL[usize::from(b)]) {
                    i += 1;
                }
            }
            let Some(&b) = bytes.get(i) else { break };
            match b {
                // A line feed, a CR LF, or (as the lexer takes it) a lone CR.
                b'\n' | b'\r' => {
                    i += if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                    if !matches!(state, State::Value(d) if d > 0) {
                        state = State::LineStart;
                        self.splitter.line = i;
                    }
                }
                b' ' | b'\t' => i += 1,
                b'#' => i = find(bytes, i, |rest| memchr::memchr2(b'\n', b'\r', rest)),
                b'[' if state == State::LineStart => {
                    let end = find(bytes, i, |rest| memchr::memchr(b'\n', rest));
                    if let Some(header) = text.get(i..end).and_then(header_line) {
                        self.splitter.header(header);
                    }
                    state = State::Line;
                    i += 1;
                }
                b'"' | b'\'' => {
                    // A quote inside a bare word is part of the word.
                    let starts = i == 0
                        || i == self.string_ended
                        || bytes.get(i - 1).is_some_and(|&p| DELIMITER[usize::from(p)]);
                    if starts {
                        i = string_end(bytes, i);
                        self.string_ended = i;
                    } else {
                        i += 1;
                    }
                    if state == State::LineStart {
                        state = State::Value(0);
                    }
                }
                b'[' | b'{' | b']' | b'}' => {
                    i += 1;
                    let depth = match state {
                        State::Value(d) => d,
                        State::LineStart => 0,
                        State::Line => continue,
                    };
                    state = State::Value(if matches!(b, b'[' | b'{') {
                        depth + 1
                    } else {
                        depth.saturating_sub(1)
                    });
                }
                // The first byte of a key.
                _ => state = State::Value(0),
            }
        }
        self.i = i;
        self.state = state;
    }
}

/// The bytes the scan stops at: line ends, comments, strings, brackets.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut k = 0;
    let set = b"\"'#[]{}\r\n";
    while k < set.len() {
        table[set[k] as usize] = true;
        k += 1;
    }
    table
};

/// The bytes that end a bare word in `toml_parser`'s lexer (quotes do not).
const DELIMITER: [bool; 256] = {
    let mut table = [false; 256];
    let mut k = 0;
    let set = b".=,[]{} \t#\r\n";
    while k < set.len() {
        table[set[k] as usize] = true;
        k += 1;
    }
    table
};

/// `i` plus where `search` finds something in the bytes from `i` on, or
/// the end.
fn find(bytes: &[u8], i: usize, search: impl Fn(&[u8]) -> Option<usize>) -> usize {
    bytes
        .get(i..)
        .and_then(search)
        .map_or(bytes.len(), |n| i + n)
}

/// Where the string that starts with the quote at `i` ends (just after
/// it), as `toml_parser`'s lexer reads it. Basic strings (`"`, `"""`) have
/// backslash escapes (`\\` and `\"` are skipped), literal ones (`'`,
/// `'''`) none; a one-line string also ends before a line feed (where it
/// is an error, reported by the parser), a multi-line one takes up to two
/// more quotes after its closing three.
fn string_end(bytes: &[u8], i: usize) -> usize {
    let Some(&quote) = bytes.get(i) else {
        return bytes.len();
    };
    let escapes = quote == b'"';
    let is = |j: usize, c: u8| bytes.get(j) == Some(&c);
    let multi = is(i + 1, quote) && is(i + 2, quote);
    let mut j = if multi { i + 3 } else { i + 1 };
    loop {
        // The next quote, backslash or (for one line) line feed.
        let stop = bytes.get(j..).and_then(|rest| match (escapes, multi) {
            (true, true) => memchr::memchr2(quote, b'\\', rest),
            (true, false) => memchr::memchr3(quote, b'\\', b'\n', rest),
            (false, true) => memchr::memchr(quote, rest),
            (false, false) => memchr::memchr2(quote, b'\n', rest),
        });
        let Some(n) = stop else {
            return bytes.len();
        };
        j += n;
        match bytes.get(j) {
            Some(b'\\') => {
                j += if is(j + 1, b'\\') || is(j + 1, b'"') {
                    2
                } else {
                    1
                }
            }
            Some(b'\n') => return j,
            _ if !multi => return j + 1,
            _ if is(j + 1, quote) && is(j + 2, quote) => {
                let mut end = j + 3;
                while end < j + 5 && is(end, quote) {
                    end += 1;
                }
                return end;
            }
            _ => j += 1,
        }
    }
}

/// What the header on `line` (which starts with `[`) starts, read with
/// `toml_parser`'s lexer; `None` if it is not a well-formed header.
fn header_line(line: &str) -> Option<Header> {
    // The header of nearly every block, as the lexer would read it.
    if line.starts_with("[[tables]]") {
        return Some(Header::Table);
    }
    let source = toml_parser::Source::new(line);
    let mut tokens = source.lex().peekable();
    let open = tokens.next()?;
    header(&source, open, &mut tokens)
}

/// Splits a TOML document at its top-level headers, lexing all of it with
/// `toml_parser`: the reference [`scan`] is checked against.
#[cfg(test)]
fn scan_by_lexer(text: &str) -> Layout {
    /// Where the lexer is in a statement.
    #[derive(Clone, Copy)]
    enum State {
        /// At the start of a line, before anything but whitespace.
        LineStart,
        /// In a key-value pair, this deep in arrays and inline tables.
        Value(usize),
        /// After a header (or something that is not one): the rest of the line.
        Line,
    }
    let source = toml_parser::Source::new(text);
    let mut tokens = source.lex().peekable();
    let mut splitter = Splitter::new();
    let mut state = State::LineStart;
    while let Some(token) = tokens.next() {
        let kind = token.kind();
        match (state, kind) {
            (_, TokenKind::Eof) => break,
            (State::Value(depth), TokenKind::Newline) if depth > 0 => {}
            (_, TokenKind::Newline) => {
                state = State::LineStart;
                splitter.line = token.span().end();
            }
            (State::LineStart, TokenKind::Whitespace | TokenKind::Comment) => {}
            (State::LineStart, TokenKind::LeftSquareBracket) => {
                state = State::Line;
                if let Some(h) = header(&source, token, &mut tokens) {
                    splitter.header(h);
                }
            }
            (State::LineStart, _) | (State::Value(_), _) => {
                let depth = match state {
                    State::Value(d) => d,
                    _ => 0,
                };
                state = State::Value(match kind {
                    TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => depth + 1,
                    TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                        depth.saturating_sub(1)
                    }
                    _ => depth,
                });
            }
            (State::Line, _) => {}
        }
    }
    splitter.finish(text.len())
}

/// Reads a header that starts with `open`, up to its closing bracket(s).
/// `None` if it is not a well-formed header: it then stays in the part it
/// is in, whose parser reports it.
fn header<'i>(
    source: &toml_parser::Source<'i>,
    open: Token,
    tokens: &mut std::iter::Peekable<Lexer<'i>>,
) -> Option<Header> {
    let array = tokens.next_if(|t| {
        t.kind() == TokenKind::LeftSquareBracket && t.span().start() == open.span().end()
    });
    let mut first: Option<String> = None;
    let mut keys = 0;
    loop {
        let token = tokens.next_if(|t| t.kind() != TokenKind::Newline)?;
        match token.kind() {
            TokenKind::Whitespace | TokenKind::Dot => {}
            TokenKind::Atom | TokenKind::BasicString | TokenKind::LiteralString => {
                keys += 1;
                if first.is_none() {
                    let mut key = String::new();
                    let mut errors: Option<toml_parser::ParseError> = None;
                    source.get(token)?.decode_key(&mut key, &mut errors);
                    if errors.is_some() {
                        return None;
                    }
                    first = Some(key);
                }
            }
            TokenKind::RightSquareBracket => break,
            _ => return None,
        }
    }
    if array.is_some() {
        tokens.next_if(|t| t.kind() == TokenKind::RightSquareBracket)?;
    }
    Some(match first.as_deref() {
        Some("tables") if array.is_some() && keys == 1 => Header::Table,
        Some("tables") => Header::OfTable,
        _ => Header::Other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parts of `text` as strings: the tables, then the rest.
    fn parts(text: &str) -> (Vec<String>, String) {
        let layout = scan(text);
        let tables = layout
            .tables
            .iter()
            .map(|p| p.text(text).into_owned())
            .collect();
        (tables, layout.rest.text(text).into_owned())
    }

    #[test]
    fn blocks_are_split_at_their_headers() {
        let text = "a = 1\n[[tables]]\nname = \"t\"\n[[tables.columns]]\nname = \"id\"\n\n[[tables]] # two\nname = \"u\"\n[x]\ny = 2\n";
        let (tables, rest) = parts(text);
        assert_eq!(
            tables,
            [
                "[[tables]]\nname = \"t\"\n[[tables.columns]]\nname = \"id\"\n\n",
                "[[tables]] # two\nname = \"u\"\n"
            ]
        );
        assert_eq!(rest, "a = 1\n[x]\ny = 2\n");
    }

    #[test]
    fn brackets_in_strings_comments_and_values_are_not_headers() {
        let text = "[[tables]]\nsql = \"\"\"\n[[tables]]\n\"\"\"\n# [[tables]]\nx = [\n[[1]],\n]\ny = { a = [\n] }\n";
        let (tables, rest) = parts(text);
        assert_eq!(tables, [text]);
        assert_eq!(rest, "");
    }

    #[test]
    fn a_table_header_after_another_section_joins_the_last_table() {
        let text = "[[tables]]\nname = \"t\"\n[[views]]\nname = \"v\"\n[ \"tables\" . primary_key ]\ncolumns = [\"id\"]\n";
        let layout = scan(text);
        let (tables, rest) = parts(text);
        assert_eq!(
            tables,
            ["[[tables]]\nname = \"t\"\n[ \"tables\" . primary_key ]\ncolumns = [\"id\"]\n"]
        );
        assert_eq!(rest, "[[views]]\nname = \"v\"\n");
        // Offsets in the joined part lead back to the document.
        let joined = &layout.tables[0];
        let at = tables[0].find("columns").unwrap();
        assert_eq!(joined.to_document(at), text.find("columns").unwrap());
        assert_eq!(joined.to_document(0), 0);
    }

    #[test]
    fn without_table_headers_the_document_is_the_rest() {
        let text = "[tables]\nx = 1\ntables.y = 2\n[[tables.columns]]\n";
        let (tables, rest) = parts(text);
        assert!(tables.is_empty());
        assert_eq!(rest, text);
        let (tables, rest) = parts("");
        assert!(tables.is_empty());
        assert_eq!(rest, "");
    }

    /// Documents whose lines look like headers where they are not.
    const TRICKY: &[&str] = &[
        "a = \"[[tables]]\"\n[[tables]]\nname = 't'\n",
        "[[tables]]\nsql = \"\"\"\n[[tables]]\n\"\"\"\n[[tables]]\n",
        "[[tables]]\nsql = '''\n[[views]]\n''''\n[x]\n",
        "[[tables]]\nsql = \"\"\"a\\\"\"\"\n[[tables]]\n\"\"\"\"\"\n[y]\n",
        "[[tables]]\nsql = \"\"\"\\\n  [z]\"\"\"\n[[tables]]\n",
        "x = [ # [\n  [1], 'a]', \"b]\",\n]\n[[tables]]\ny = { a = [\n], b = '\"' }\n[ 'tables' . \"c\" ]\n",
        "[[tables]]\r\nname = \"t\"\r\n[[tables]]\r\n",
        "[[ tables ]] # \"\n[\"tables\".x]\n\t[[tables]]\n[[views]]\n[tables.y]\n",
        "[[tables]]\nname = \"unterminated\n[[tables]]\nname = 'also\n[[tables]]\n",
        "a = \"\"\"\n[[tables]]\n",
        "[[tables]\nx = 1\n[[tables]]\n",
    ];

    #[test]
    fn the_byte_scan_splits_as_the_lexer_does() {
        for text in TRICKY {
            assert_eq!(scan(text), scan_by_lexer(text), "{text:?}");
        }
    }

    const PIECES: &[&str] = &[
        "\n",
        "\r\n",
        " ",
        "\t",
        "[[tables]]",
        "[tables.columns]",
        "[[tables.columns]]",
        "[x]",
        "[[views]]",
        "[",
        "]",
        "[[",
        "]]",
        "{",
        "}",
        "a = ",
        "\"",
        "'",
        "\"\"\"",
        "'''",
        "\\",
        "\\\"",
        "#",
        "x",
        ",",
        ".",
        "tables",
        "\"tables\"",
        "'tables'",
        "=",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 4000,
            failure_persistence: None,
            ..Default::default()
        })]

        /// Random documents made of the pieces that hide or make headers
        /// split alike, valid or not.
        #[test]
        fn random_documents_split_alike(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..24)
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(scan(&text), scan_by_lexer(&text), "{:?}", text);
        }
    }

    /// The scan of `text` by one thread.
    fn serial(text: &str) -> Layout {
        let mut scanner = Scanner::new(text, 0);
        scanner.run(text.len());
        scanner.splitter.finish(text.len())
    }

    #[test]
    fn large_documents_are_scanned_in_halves_alike() {
        let block = "[[tables]]\nname = \"t\"\ncolumns = [\n  { name = \"id\" },\n]\n[tables.primary_key]\ncolumns = [\"id\"]\n";
        let blocks = PARALLEL_SCAN / block.len() + 10;
        let plain = format!(
            "conventions = \"x\"\n{}[[views]]\nname = \"v\"\n",
            block.repeat(blocks)
        );
        let layout = scan(&plain);
        assert_eq!(layout.tables.len(), blocks);
        assert_eq!(layout, serial(&plain));
        assert_eq!(
            layout.rest.text(&plain),
            "conventions = \"x\"\n[[views]]\nname = \"v\"\n"
        );
        // What looks like a header after the middle is inside a string
        // that starts before it, or inside an array.
        let half = block.repeat(blocks / 2);
        for (open, close) in [("comment = \"\"\"\n", "\"\"\"\n"), ("x = [\n", "]\n")] {
            let hidden = format!("{half}{open}{half}{close}{half}");
            let layout = scan(&hidden);
            assert_eq!(layout, serial(&hidden));
            assert_eq!(layout.tables.len(), 2 * (blocks / 2));
        }
    }

    #[test]
    fn broken_headers_stay_where_they_are() {
        // An unclosed array swallows what follows; a header without its
        // closing bracket is no header.
        let text = "x = [\n[[tables]]\nname = 1\n";
        assert_eq!(parts(text), (vec![], text.to_owned()));
        let text = "[[tables]]\nname = 1\n[[tables\nname = 2\n";
        assert_eq!(parts(text), (vec![text.to_owned()], String::new()));
    }
}
