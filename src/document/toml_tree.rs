//! TOML text read into a tree of its tables, arrays and values, with
//! TOML's rules about tables applied: the one TOML reader of documents.
//!
//! `toml_parser` lexes the text and checks its grammar (the same parser
//! the `toml` crate is built on); its events are read here into a tree of
//! nodes in one vector, each value with its span, each key and string
//! borrowed from the text unless it has escapes. What the grammar does not
//! say is checked here, as the `toml` crate checks it and with its
//! wording: a key defined twice (`duplicate key`), a table header that
//! comes back to a table already defined, dotted keys that would extend an
//! inline table, an array or a value (`cannot extend value of type …`), a
//! table defined by dotted keys and by a header. Tables may be defined in
//! any order (`[a.b]` before `[a]`), and `[[a]]` appends to an array of
//! tables, whose sub-tables (`[a.b]`, `[[a.c]]`) go into its last element.
//!
//! A table's entries keep their order in the text (the `toml` crate sorted
//! them), so of two errors in the values of one table the first in the
//! text is reported, as for JSON. Nesting is bounded as
//! the `toml` crate bounds it: arrays and inline tables 80 deep, dotted
//! keys of fewer than 80 parts.
//!
//! The first error is the one reported, with the byte offset where it is,
//! the one the `toml` crate reports: errors of the grammar first (the
//! parser reads the whole text before the tree is made), then the others in
//! the order of the text, where an `[[array of tables]]` header's own error
//! counts once its table's keys are read.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

use rustc_hash::FxHashMap;
use toml_parser::decoder::{Encoding, ScalarKind};
use toml_parser::lexer::Token;
use toml_parser::parser::{parse_document, Event, EventKind, EventReceiver};
use toml_parser::{ErrorSink, Expected, ParseError, Source, Span};

/// How deep arrays and inline tables may nest, and how many parts a dotted
/// key may have (less than this), as the `toml` crate allows.
const LIMIT: u32 = 80;

/// A table with this many entries finds its keys through a hash map.
const INDEXED: usize = 16;

/// Buffers for tokens and events of more than this many are not kept.
const KEEP: usize = 1 << 16;

thread_local! {
    /// The buffers of the tokens and events of the last text read on this
    /// thread: a document is read a `[[tables]]` block at a time.
    static BUFFERS: RefCell<(Vec<Token>, Vec<Event>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// The root table's node.
pub(crate) const ROOT: usize = 0;

/// No node.
const NONE: usize = usize::MAX;

/// What is wrong with a TOML text, or with a value read from it, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TomlError {
    /// What is wrong, such as `duplicate key` or `invalid type: …`.
    pub(crate) message: String,
    /// The byte offset in the text, where known.
    pub(crate) at: Option<usize>,
}

impl TomlError {
    /// An error at `at`.
    fn new(message: impl Into<String>, at: usize) -> Self {
        TomlError {
            message: message.into(),
            at: Some(at),
        }
    }

    /// The error, placed at `at` unless it is placed already.
    pub(crate) fn or_at(mut self, at: usize) -> Self {
        self.at.get_or_insert(at);
        self
    }

    /// An error of `toml_parser`, worded as the `toml` crate words it:
    /// what is wrong, then what was expected.
    fn parse(e: &ParseError) -> Self {
        let mut message = e.description().to_owned();
        if let Some(expected) = e.expected() {
            message.push_str(", expected ");
            if expected.is_empty() {
                message.push_str("nothing");
            }
            for (i, x) in expected.iter().enumerate() {
                if i > 0 {
                    message.push_str(", ");
                }
                match x {
                    Expected::Literal(s) => message.push_str(&literal(s)),
                    Expected::Description(s) => message.push_str(s),
                    _ => message.push_str("etc"),
                }
            }
        }
        TomlError {
            message,
            at: e.unexpected().map(|s| s.start()),
        }
    }
}

/// An expected literal as messages show it: in backquotes, a line feed by name.
fn literal(s: &str) -> String {
    match s {
        "\n" => "newline".to_owned(),
        "`" => "'`'".to_owned(),
        s if s.chars().all(|c| c.is_ascii_control()) => format!("`{}`", s.escape_debug()),
        s => format!("`{s}`"),
    }
}

impl fmt::Display for TomlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TomlError {}

impl serde::de::Error for TomlError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        TomlError {
            message: msg.to_string(),
            at: None,
        }
    }
}

/// A TOML value in the tree.
#[derive(Debug)]
pub(crate) enum Value<'i> {
    /// A string, decoded.
    String(Cow<'i, str>),
    /// An integer: its digits (with the sign, without `_` and the radix
    /// prefix) and its radix.
    Integer(Cow<'i, str>, u32),
    /// A float, as Rust parses it.
    Float(Cow<'i, str>),
    /// `true` or `false`.
    Boolean(bool),
    /// An offset or local date-time, date or time, as written.
    Datetime(Cow<'i, str>),
    /// An array; `true` for an array of tables (`[[…]]` headers).
    Array(List, bool),
    /// A table.
    Table(List, TableKind),
}

impl Value<'_> {
    /// The kind of value, as messages name it.
    pub(crate) fn type_str(&self) -> &'static str {
        match self {
            Value::String(_) => "string",
            Value::Integer(..) => "integer",
            Value::Float(_) => "float",
            Value::Boolean(_) => "boolean",
            Value::Datetime(_) => "datetime",
            Value::Array(..) => "array",
            Value::Table(..) => "table",
        }
    }
}

/// The elements of an array or the entries of a table: a chain of nodes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct List {
    /// The first node, or none.
    pub(crate) first: usize,
    last: usize,
    /// How many nodes.
    pub(crate) len: usize,
}

impl List {
    const EMPTY: List = List {
        first: NONE,
        last: NONE,
        len: 0,
    };
}

/// How a table was made, which decides how it may be extended.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TableKind {
    /// Made on the way to another table or key (`a` of `[a.b]` or `a.b = 1`),
    /// not by a header of its own.
    implicit: bool,
    /// Made or extended by dotted keys.
    dotted: bool,
    /// Written inline (`{ … }`), or made by dotted keys inside one: closed.
    inline: bool,
}

/// A value in the tree, with its key if it is a table's entry.
#[derive(Debug)]
pub(crate) struct Node<'i> {
    /// Its key, decoded (empty for array elements and the root).
    pub(crate) key: Cow<'i, str>,
    /// Where its key is (where a header or dotted key last named it).
    pub(crate) key_at: usize,
    /// Where the value is: a header for a table it defines.
    pub(crate) span: Span,
    /// The value.
    pub(crate) value: Value<'i>,
    /// The next element or entry of the same array or table.
    pub(crate) next: usize,
}

/// A TOML text read into nodes: the root table is [`ROOT`].
#[derive(Debug)]
pub(crate) struct Tree<'i> {
    nodes: Vec<Node<'i>>,
    /// The keys of tables with many entries: table → key → entry.
    index: FxHashMap<usize, FxHashMap<Cow<'i, str>, usize>>,
}

impl<'i> Tree<'i> {
    /// Reads a TOML text.
    pub(crate) fn parse(text: &'i str) -> Result<Self, TomlError> {
        let reused = BUFFERS.try_with(|buffers| {
            let mut buffers = buffers.try_borrow_mut().ok()?;
            let (tokens, events) = &mut *buffers;
            let tree = Self::parse_with(text, tokens, events);
            // What a large text needed is not kept.
            if tokens.capacity() > KEEP {
                *tokens = Vec::new();
                *events = Vec::new();
            }
            Some(tree)
        });
        match reused {
            Ok(Some(tree)) => tree,
            // The buffers are in use or gone (a thread that is ending).
            _ => Self::parse_with(text, &mut Vec::new(), &mut Vec::new()),
        }
    }

    /// Reads a TOML text with these buffers for its tokens and events.
    fn parse_with(
        text: &'i str,
        tokens: &mut Vec<Token>,
        events: &mut Vec<Event>,
    ) -> Result<Self, TomlError> {
        let source = Source::new(text);
        tokens.clear();
        tokens.extend(source.lex());
        events.clear();
        let mut error: Option<ParseError> = None;
        let mut structure = Structure {
            events,
            source,
            depth: 0,
        };
        parse_document(tokens, &mut structure, &mut error);
        if let Some(e) = error {
            return Err(TomlError::parse(&e));
        }
        let mut builder = Builder {
            source,
            events,
            pos: 0,
            path: Vec::new(),
            tree: Tree {
                nodes: Vec::with_capacity(events.len() / 3 + 1),
                index: FxHashMap::default(),
            },
        };
        builder.document()?;
        Ok(builder.tree)
    }

    /// The node `id`.
    #[inline]
    pub(crate) fn node(&self, id: usize) -> &Node<'i> {
        &self.nodes[id]
    }

    /// The entry `key` of the table `table`.
    pub(crate) fn get(&self, table: usize, key: &str) -> Option<usize> {
        let Value::Table(list, _) = self.nodes.get(table)?.value else {
            return None;
        };
        if list.len >= INDEXED {
            return self.index.get(&table)?.get(key).copied();
        }
        let mut at = list.first;
        while let Some(node) = self.nodes.get(at) {
            if node.key == key {
                return Some(at);
            }
            at = node.next;
        }
        None
    }

    /// The element `i` of the array `array`.
    pub(crate) fn element(&self, array: usize, i: usize) -> Option<usize> {
        let Value::Array(list, _) = self.nodes.get(array)?.value else {
            return None;
        };
        let mut at = list.first;
        for _ in 0..i {
            at = self.nodes.get(at)?.next;
        }
        (at != NONE).then_some(at)
    }

    fn push(&mut self, span: Span, value: Value<'i>) -> usize {
        self.nodes.push(Node {
            key: Cow::Borrowed(""),
            key_at: span.start(),
            span,
            value,
            next: NONE,
        });
        self.nodes.len() - 1
    }

    fn table(&mut self, span: Span, kind: TableKind) -> usize {
        self.push(span, Value::Table(List::EMPTY, kind))
    }

    /// Adds `child` at the end of the array or table `parent`.
    fn append(&mut self, parent: usize, child: usize) {
        let (list, table) = match &mut self.nodes[parent].value {
            Value::Array(list, _) => (list, false),
            Value::Table(list, _) => (list, true),
            _ => return,
        };
        let last = std::mem::replace(&mut list.last, child);
        if last == NONE {
            list.first = child;
        }
        list.len += 1;
        let len = list.len;
        if let Some(node) = self.nodes.get_mut(last) {
            node.next = child;
        }
        if table && len >= INDEXED {
            self.index_entry(parent, child, len);
        }
    }

    /// Adds `child` to the hash map of the keys of `table`, which has
    /// `len` entries (all of them, the first time).
    fn index_entry(&mut self, table: usize, child: usize, len: usize) {
        let nodes = &self.nodes;
        let keys = self.index.entry(table).or_default();
        if len == INDEXED {
            let Value::Table(list, _) = nodes[table].value else {
                return;
            };
            let mut at = list.first;
            while let Some(node) = nodes.get(at) {
                keys.insert(node.key.clone(), at);
                at = node.next;
            }
        } else {
            keys.insert(nodes[child].key.clone(), child);
        }
    }

    /// Adds `child` to `table` under `key`.
    fn insert(&mut self, table: usize, key: Key<'i>, child: usize) {
        let node = &mut self.nodes[child];
        node.key = key.name;
        node.key_at = key.span.start();
        self.append(table, child);
    }

    fn kind_mut(&mut self, table: usize) -> Option<&mut TableKind> {
        match &mut self.nodes[table].value {
            Value::Table(_, kind) => Some(kind),
            _ => None,
        }
    }
}

/// One part of a key, decoded, and where it is.
#[derive(Clone, Debug)]
struct Key<'i> {
    name: Cow<'i, str>,
    span: Span,
}

/// Keeps the events that make the structure: not white space, comments
/// and line ends, which it checks as `toml_parser`'s `ValidateWhitespace`
/// does, nor errors, which are reported. It bounds nesting as
/// `toml_parser`'s `RecursionGuard` does (one receiver rather than three
/// in a row: every token passes through it).
struct Structure<'e, 'i> {
    events: &'e mut Vec<Event>,
    source: Source<'i>,
    /// How deep arrays and inline tables are open.
    depth: i64,
}

impl Structure<'_, '_> {
    #[inline]
    fn keep(&mut self, kind: EventKind, encoding: Option<Encoding>, span: Span) {
        self.events.push(Event::new_unchecked(kind, encoding, span));
    }

    /// Opens an array or inline table: whether the parser may go in.
    fn open(&mut self, kind: EventKind, span: Span, error: &mut dyn ErrorSink) -> bool {
        self.keep(kind, None, span);
        self.depth += 1;
        if self.depth > i64::from(LIMIT) {
            error.report_error(
                ParseError::new("cannot recurse further; max recursion depth met")
                    .with_unexpected(span),
            );
            return false;
        }
        true
    }

    fn close(&mut self, kind: EventKind, span: Span) {
        self.depth -= 1;
        self.keep(kind, None, span);
    }
}

impl EventReceiver for Structure<'_, '_> {
    fn std_table_open(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.keep(EventKind::StdTableOpen, None, span);
    }
    fn std_table_close(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.keep(EventKind::StdTableClose, None, span);
    }
    fn array_table_open(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.keep(EventKind::ArrayTableOpen, None, span);
    }
    fn array_table_close(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.keep(EventKind::ArrayTableClose, None, span);
    }
    fn inline_table_open(&mut self, span: Span, error: &mut dyn ErrorSink) -> bool {
        self.open(EventKind::InlineTableOpen, span, error)
    }
    fn inline_table_close(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.close(EventKind::InlineTableClose, span);
    }
    fn array_open(&mut self, span: Span, error: &mut dyn ErrorSink) -> bool {
        self.open(EventKind::ArrayOpen, span, error)
    }
    fn array_close(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.close(EventKind::ArrayClose, span);
    }
    fn simple_key(&mut self, span: Span, encoding: Option<Encoding>, _: &mut dyn ErrorSink) {
        self.keep(EventKind::SimpleKey, encoding, span);
    }
    fn key_sep(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.keep(EventKind::KeySep, None, span);
    }
    fn key_val_sep(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.keep(EventKind::KeyValSep, None, span);
    }
    fn scalar(&mut self, span: Span, encoding: Option<Encoding>, _: &mut dyn ErrorSink) {
        self.keep(EventKind::Scalar, encoding, span);
    }
    fn value_sep(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.keep(EventKind::ValueSep, None, span);
    }
    fn comment(&mut self, span: Span, error: &mut dyn ErrorSink) {
        if let Some(raw) = self.source.get(span) {
            raw.decode_comment(error);
        }
    }
    fn newline(&mut self, span: Span, error: &mut dyn ErrorSink) {
        if let Some(raw) = self.source.get(span) {
            raw.decode_newline(error);
        }
    }
}

/// A set of bytes, as a table.
type ByteSet = [bool; 256];

/// The bytes of `ranges`.
const fn byte_set(ranges: &[(u8, u8)]) -> ByteSet {
    let mut set = [false; 256];
    let mut r = 0;
    while r < ranges.len() {
        let (mut b, last) = ranges[r];
        while b <= last {
            set[b as usize] = true;
            if b == u8::MAX {
                break;
            }
            b += 1;
        }
        r += 1;
    }
    set
}

/// The bytes of a bare key (TOML's `unquoted-key`).
const BARE: ByteSet = byte_set(&[
    (b'A', b'Z'),
    (b'a', b'z'),
    (b'0', b'9'),
    (b'-', b'-'),
    (b'_', b'_'),
]);

/// The bytes a basic string holds as they are (TOML's `basic-unescaped`
/// and tab): not `"`, `\`, nor control characters.
const BASIC: ByteSet = byte_set(&[
    (b'\t', b'\t'),
    (0x20, 0x21),
    (0x23, 0x5b),
    (0x5d, 0x7e),
    (0x80, 0xff),
]);

/// The bytes a literal string may hold (TOML's `literal-char`).
const LITERAL: ByteSet = byte_set(&[(b'\t', b'\t'), (0x20, 0x26), (0x28, 0x7e), (0x80, 0xff)]);

fn bytes_are(s: &str, set: &ByteSet) -> bool {
    s.bytes().all(|b| set[usize::from(b)])
}

/// The text of a one-line string `raw` between its `quote`s, if it is
/// made only of bytes of `set`: then it means itself, and needs no
/// decoding. `None` for anything else (escapes, or what is not valid),
/// which `toml_parser` decodes, or reports.
fn quoted<'i>(raw: &'i str, quote: char, set: &ByteSet) -> Option<&'i str> {
    let inner = raw.strip_prefix(quote)?.strip_suffix(quote)?;
    bytes_are(inner, set).then_some(inner)
}

/// Makes the tree from the events of a text without grammar errors.
struct Builder<'e, 'i> {
    source: Source<'i>,
    events: &'e [Event],
    pos: usize,
    /// The parts of the key being read (reused).
    path: Vec<Key<'i>>,
    tree: Tree<'i>,
}

/// The error of a value defined twice, at `span`.
fn duplicate(span: Span) -> TomlError {
    TomlError::new("duplicate key", span.start())
}

/// The error of dotted keys or a header that would extend a `what`.
fn cannot_extend(what: &str, span: Span) -> TomlError {
    TomlError::new(
        format!("cannot extend value of type {what} with a dotted key"),
        span.start(),
    )
}

impl<'i> Builder<'_, 'i> {
    #[inline]
    fn next(&mut self) -> Option<Event> {
        let e = self.events.get(self.pos).copied();
        self.pos += 1;
        e
    }

    #[inline]
    fn peek(&self) -> Option<EventKind> {
        self.events.get(self.pos).map(Event::kind)
    }

    /// Events in an order the parser would have reported: never expected.
    fn broken(&self) -> TomlError {
        let at = self
            .events
            .get(self.pos.saturating_sub(1))
            .map_or(self.source.input().len(), |e| e.span().start());
        TomlError::new("invalid TOML", at)
    }

    fn document(&mut self) -> Result<(), TomlError> {
        let root = self
            .tree
            .table(Span::new_unchecked(0, 0), TableKind::default());
        let mut current = root;
        // The error of an `[[array of tables]]` header, reported (as the
        // `toml` crate reports it) once its table's keys are read.
        let mut pending: Option<TomlError> = None;
        while let Some(event) = self.next() {
            match event.kind() {
                EventKind::StdTableOpen | EventKind::ArrayTableOpen => {
                    if let Some(e) = pending.take() {
                        return Err(e);
                    }
                    (current, pending) = self.header(event)?;
                }
                EventKind::SimpleKey => {
                    let (path, key) = self.key(event)?;
                    if self.next().map(|e| e.kind()) != Some(EventKind::KeyValSep) {
                        return Err(self.broken());
                    }
                    let value = self.value()?;
                    let done = self.keyval(current, &path, key, value);
                    self.give_back(path);
                    done?;
                }
                _ => return Err(self.broken()),
            }
        }
        pending.map_or(Ok(()), Err)
    }

    /// Reads a key that starts with `first`: the parts before the last
    /// (none for a key of one part, else in the buffer of `path`, to be
    /// given back) and the last.
    #[inline]
    fn key(&mut self, first: Event) -> Result<(Vec<Key<'i>>, Key<'i>), TomlError> {
        let mut key = self.decode_key(first)?;
        if self.peek() != Some(EventKind::KeySep) {
            return Ok((Vec::new(), key));
        }
        let mut path = std::mem::take(&mut self.path);
        path.clear();
        while self.peek() == Some(EventKind::KeySep) {
            self.pos += 1;
            let part = match self.next() {
                Some(e) if e.kind() == EventKind::SimpleKey => self.decode_key(e)?,
                _ => return Err(self.broken()),
            };
            path.push(std::mem::replace(&mut key, part));
        }
        if path.len() >= LIMIT as usize {
            return Err(TomlError {
                message: "recursion limit".to_owned(),
                at: Some(key.span.start()),
            });
        }
        Ok((path, key))
    }

    /// Keeps the buffer of a key's parts for the next key.
    #[inline]
    fn give_back(&mut self, path: Vec<Key<'i>>) {
        if path.capacity() > 0 {
            self.path = path;
        }
    }

    #[inline]
    fn text(&self, event: Event) -> Result<&'i str, TomlError> {
        let span = event.span();
        self.source
            .input()
            .get(span.start()..span.end())
            .ok_or_else(|| self.broken())
    }

    fn decode_key(&self, event: Event) -> Result<Key<'i>, TomlError> {
        let text = self.text(event)?;
        let plain = match event.encoding() {
            None => Some(text).filter(|k| !k.is_empty() && bytes_are(k, &BARE)),
            Some(Encoding::BasicString) => quoted(text, '"', &BASIC),
            Some(Encoding::LiteralString) => quoted(text, '\'', &LITERAL),
            _ => None,
        };
        if let Some(name) = plain {
            return Ok(Key {
                name: Cow::Borrowed(name),
                span: event.span(),
            });
        }
        let raw = self.source.get(event).ok_or_else(|| self.broken())?;
        let mut name = Cow::Borrowed("");
        let mut error: Option<ParseError> = None;
        raw.decode_key(&mut name, &mut error);
        match error {
            Some(e) => Err(TomlError::parse(&e)),
            None => Ok(Key {
                name,
                span: event.span(),
            }),
        }
    }

    /// A `[table]` or `[[array of tables]]` header: the table it opens,
    /// and for an array of tables the error it makes, if any (the table is
    /// then one of its own, in no other).
    fn header(&mut self, open: Event) -> Result<(usize, Option<TomlError>), TomlError> {
        let array = open.kind() == EventKind::ArrayTableOpen;
        let (path, key) = match self.next() {
            Some(e) if e.kind() == EventKind::SimpleKey => self.key(e)?,
            _ => return Err(self.broken()),
        };
        let span = match self.next() {
            Some(e)
                if matches!(
                    e.kind(),
                    EventKind::StdTableClose | EventKind::ArrayTableClose
                ) =>
            {
                open.span().append(e.span())
            }
            _ => return Err(self.broken()),
        };
        let parent = self.descend(ROOT, &path, false);
        self.give_back(path);
        if array {
            return Ok(match self.array_table(parent, key, span) {
                Ok(table) => (table, None),
                Err(e) => (self.tree.table(span, TableKind::default()), Some(e)),
            });
        }
        let parent = parent?;
        match self.tree.get(parent, &key.name) {
            None => {
                let table = self.tree.table(span, TableKind::default());
                self.tree.insert(parent, key, table);
                Ok((table, None))
            }
            Some(n) => {
                let node = &mut self.tree.nodes[n];
                match &mut node.value {
                    // Made on the way to a sub-table: now defined.
                    Value::Table(_, kind) if kind.implicit && !kind.dotted => {
                        kind.implicit = false;
                        node.key_at = key.span.start();
                        node.span = span;
                        Ok((n, None))
                    }
                    _ => Err(duplicate(key.span)),
                }
            }
        }
    }

    /// The next table of the array of tables `key` of `parent`.
    fn array_table(
        &mut self,
        parent: Result<usize, TomlError>,
        key: Key<'i>,
        span: Span,
    ) -> Result<usize, TomlError> {
        let parent = parent?;
        let array = match self.tree.get(parent, &key.name) {
            None => {
                let array = self.tree.push(span, Value::Array(List::EMPTY, true));
                self.tree.insert(parent, key, array);
                array
            }
            Some(n) if matches!(self.tree.nodes[n].value, Value::Array(_, true)) => n,
            Some(_) => return Err(duplicate(key.span)),
        };
        let table = self.tree.table(span, TableKind::default());
        self.tree.append(array, table);
        Ok(table)
    }

    /// The table that the parts `path` lead to from `table`, made where
    /// missing; `dotted` for the dotted keys of a key-value pair, rather
    /// than a header.
    fn descend(
        &mut self,
        mut table: usize,
        path: &[Key<'i>],
        dotted: bool,
    ) -> Result<usize, TomlError> {
        for key in path {
            table = match self.tree.get(table, &key.name) {
                None => {
                    let kind = TableKind {
                        implicit: true,
                        dotted,
                        inline: false,
                    };
                    let child = self.tree.table(key.span, kind);
                    self.tree.insert(table, key.clone(), child);
                    child
                }
                Some(n) => match &self.tree.nodes[n].value {
                    // An array of tables: its last table.
                    Value::Array(list, true) => match self.tree.nodes.get(list.last) {
                        Some(Node {
                            value: Value::Table(..),
                            ..
                        }) => list.last,
                        _ => return Err(self.broken()),
                    },
                    Value::Table(_, kind) if kind.inline => {
                        return Err(cannot_extend("inline table", key.span))
                    }
                    Value::Table(_, kind) => {
                        if dotted {
                            if !kind.implicit {
                                return Err(duplicate(key.span));
                            }
                            if let Some(kind) = self.tree.kind_mut(n) {
                                kind.dotted = true;
                            }
                        }
                        n
                    }
                    other => return Err(cannot_extend(other.type_str(), key.span)),
                },
            };
        }
        Ok(table)
    }

    /// A key-value pair of the table `table` (a header's, or the root).
    fn keyval(
        &mut self,
        table: usize,
        path: &[Key<'i>],
        key: Key<'i>,
        value: usize,
    ) -> Result<(), TomlError> {
        let dotted = !path.is_empty();
        let parent = self.descend(table, path, dotted)?;
        if dotted && !self.tree.kind_mut(parent).is_some_and(|k| k.implicit) {
            return Err(duplicate(key.span));
        }
        if self.tree.get(parent, &key.name).is_some() {
            return Err(duplicate(key.span));
        }
        self.tree.insert(parent, key, value);
        Ok(())
    }

    /// A value; its node.
    fn value(&mut self) -> Result<usize, TomlError> {
        let Some(event) = self.next() else {
            return Err(self.broken());
        };
        match event.kind() {
            EventKind::Scalar => self.scalar(event),
            EventKind::ArrayOpen => self.array(event),
            EventKind::InlineTableOpen => self.inline_table(event),
            _ => Err(self.broken()),
        }
    }

    fn scalar(&mut self, event: Event) -> Result<usize, TomlError> {
        let text = self.text(event)?;
        let plain = match event.encoding() {
            Some(Encoding::BasicString) => {
                quoted(text, '"', &BASIC).map(|s| Value::String(Cow::Borrowed(s)))
            }
            Some(Encoding::LiteralString) => {
                quoted(text, '\'', &LITERAL).map(|s| Value::String(Cow::Borrowed(s)))
            }
            None => match text {
                "true" => Some(Value::Boolean(true)),
                "false" => Some(Value::Boolean(false)),
                _ => None,
            },
            _ => None,
        };
        if let Some(value) = plain {
            return Ok(self.tree.push(event.span(), value));
        }
        let raw = self.source.get(event).ok_or_else(|| self.broken())?;
        let mut decoded = Cow::Borrowed("");
        let mut error: Option<ParseError> = None;
        let kind = raw.decode_scalar(&mut decoded, &mut error);
        if let Some(e) = error {
            return Err(TomlError::parse(&e));
        }
        let value = match kind {
            ScalarKind::String => Value::String(decoded),
            ScalarKind::Boolean(b) => Value::Boolean(b),
            ScalarKind::Integer(radix) => Value::Integer(decoded, radix.value()),
            ScalarKind::Float => Value::Float(decoded),
            ScalarKind::DateTime => {
                if let Err(e) = decoded.parse::<toml_datetime::Datetime>() {
                    return Err(TomlError::new(e.to_string(), event.span().start()));
                }
                Value::Datetime(decoded)
            }
        };
        Ok(self.tree.push(event.span(), value))
    }

    fn array(&mut self, open: Event) -> Result<usize, TomlError> {
        let array = self
            .tree
            .push(open.span(), Value::Array(List::EMPTY, false));
        loop {
            let Some(event) = self.next() else {
                return Err(self.broken());
            };
            let element = match event.kind() {
                EventKind::ArrayClose => {
                    let node = &mut self.tree.nodes[array];
                    node.span = node.span.append(event.span());
                    return Ok(array);
                }
                EventKind::ValueSep => continue,
                EventKind::Scalar => self.scalar(event)?,
                EventKind::ArrayOpen => self.array(event)?,
                EventKind::InlineTableOpen => self.inline_table(event)?,
                _ => return Err(self.broken()),
            };
            self.tree.append(array, element);
        }
    }

    fn inline_table(&mut self, open: Event) -> Result<usize, TomlError> {
        let kind = TableKind {
            inline: true,
            ..TableKind::default()
        };
        let table = self.tree.table(open.span(), kind);
        loop {
            let Some(event) = self.next() else {
                return Err(self.broken());
            };
            match event.kind() {
                EventKind::InlineTableClose => {
                    let node = &mut self.tree.nodes[table];
                    node.span = node.span.append(event.span());
                    return Ok(table);
                }
                EventKind::ValueSep => {}
                EventKind::SimpleKey => {
                    let (path, key) = self.key(event)?;
                    if self.next().map(|e| e.kind()) != Some(EventKind::KeyValSep) {
                        return Err(self.broken());
                    }
                    let value = self.value()?;
                    let done = self.inline_keyval(table, &path, key, value);
                    self.give_back(path);
                    done?;
                }
                _ => return Err(self.broken()),
            }
        }
    }

    /// A key-value pair of the inline table `table`.
    fn inline_keyval(
        &mut self,
        table: usize,
        path: &[Key<'i>],
        key: Key<'i>,
        value: usize,
    ) -> Result<(), TomlError> {
        let mut parent = table;
        for part in path {
            parent = match self.tree.get(parent, &part.name) {
                None => {
                    let kind = TableKind {
                        implicit: true,
                        dotted: true,
                        inline: true,
                    };
                    let child = self.tree.table(part.span, kind);
                    self.tree.insert(parent, part.clone(), child);
                    child
                }
                Some(n) => match &self.tree.nodes[n].value {
                    Value::Table(_, kind) if !kind.implicit => return Err(duplicate(part.span)),
                    Value::Table(..) => n,
                    other => return Err(cannot_extend(other.type_str(), part.span)),
                },
            };
        }
        if self.tree.get(parent, &key.name).is_some() {
            return Err(duplicate(key.span));
        }
        self.tree.insert(parent, key, value);
        Ok(())
    }
}
