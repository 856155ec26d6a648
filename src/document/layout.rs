//! Where a TOML document's tables are, so that each is parsed on its own.
//!
//! The `toml` crate parses a document into a whole tree before anything
//! can be read from it: for a document of 10,000 tables that tree was
//! seven times the memory of the JSON path and most of its time. A TOML
//! document written as the format describes it is a run of `[[tables]]`
//! blocks, each of them a TOML document by itself (its header, its keys
//! and its `[tables.…]` and `[[tables.…]]` sub-tables); the rest of the
//! document (the keys before the first header, `[naming_convention]`,
//! `[[views]]`, `[[ddl]]`) is one more. Splitting at top-level headers
//! keeps every part small, and the tables can be handed over as they are
//! parsed.
//!
//! Headers are found with `toml_parser`'s lexer, the one the `toml` crate
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

use toml_parser::lexer::{Token, TokenKind};

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

/// Splits a TOML document at its top-level headers.
pub(crate) fn scan(text: &str) -> Layout {
    let source = toml_parser::Source::new(text);
    let mut tokens = source.lex().peekable();
    let mut layout = Layout::default();
    let mut current = Current::Rest;
    // Where the lines of `current` started, and where this line starts.
    let mut section = 0;
    let mut line = 0;
    let mut state = State::LineStart;
    while let Some(token) = tokens.next() {
        let kind = token.kind();
        match (state, kind) {
            (_, TokenKind::Eof) => break,
            (State::Value(depth), TokenKind::Newline) if depth > 0 => {}
            (_, TokenKind::Newline) => {
                state = State::LineStart;
                line = token.span().end();
                continue;
            }
            (State::LineStart, TokenKind::Whitespace | TokenKind::Comment) => {}
            (State::LineStart, TokenKind::LeftSquareBracket) => {
                state = State::Line;
                let Some(header) = header(&source, token, &mut tokens) else {
                    continue;
                };
                let next = match (header, current) {
                    (Header::Table, _) => {
                        layout.tables.push(Part::default());
                        Current::Table(layout.tables.len() - 1)
                    }
                    (Header::OfTable, Current::Table(_)) => continue,
                    (Header::OfTable, Current::Rest) if !layout.tables.is_empty() => {
                        Current::Table(layout.tables.len() - 1)
                    }
                    (Header::OfTable | Header::Other, Current::Rest) => continue,
                    (Header::Other, Current::Table(_)) => Current::Rest,
                };
                close(&mut layout, current, section..line);
                current = next;
                section = line;
            }
            (State::LineStart, _) => state = value(State::Value(0), kind),
            (State::Value(_), _) => state = value(state, kind),
            (State::Line, _) => {}
        }
    }
    close(&mut layout, current, section..text.len());
    layout
}

/// Gives the lines `range` to the part `current`.
fn close(layout: &mut Layout, current: Current, range: Range<usize>) {
    let part = match current {
        Current::Rest => Some(&mut layout.rest),
        Current::Table(i) => layout.tables.get_mut(i),
    };
    if let Some(part) = part {
        part.push(range);
    }
}

/// The state after `kind` in a key-value pair.
fn value(state: State, kind: TokenKind) -> State {
    let State::Value(depth) = state else {
        return state;
    };
    match kind {
        TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => State::Value(depth + 1),
        TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
            State::Value(depth.saturating_sub(1))
        }
        _ => state,
    }
}

/// Reads a header that starts with `open`, up to its closing bracket(s).
/// `None` if it is not a well-formed header: it then stays in the part it
/// is in, whose parser reports it.
fn header<'i>(
    source: &toml_parser::Source<'i>,
    open: Token,
    tokens: &mut std::iter::Peekable<toml_parser::lexer::Lexer<'i>>,
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
