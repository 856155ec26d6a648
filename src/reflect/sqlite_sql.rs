//! Reading SQLite's `CREATE TABLE`, `CREATE INDEX` and `CREATE VIEW` text
//! back: SQLite keeps constraint names, check expressions, index
//! expressions and partial-index predicates nowhere else.
//!
//! A tokenizer (quoted identifiers `".."`, `` `..` `` and `[..]`, string
//! literals with `''`, blobs, `--` and `/* */` comments) and a reader over
//! its tokens that follows parentheses; the text of an expression is cut
//! out of the statement as written.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TokenKind {
    /// A bare word: a keyword, an identifier or a number.
    Word,
    /// A quoted identifier: `"a"`, `` `a` `` or `[a]`.
    Quoted,
    /// A string literal `'a'` (or a blob `x'00'`).
    String,
    /// One character of punctuation or an operator.
    Punct,
}

/// One token: its kind and where it sits in the text.
#[derive(Clone, Copy, Debug)]
struct Token {
    kind: TokenKind,
    start: usize,
    end: usize,
}

/// The tokens of `sql`, comments and white space left out.
fn tokenize(sql: &str) -> Vec<Token> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let kind = match c {
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {
                i += 1;
                continue;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i = (i + 2).min(bytes.len());
                continue;
            }
            b'\'' | b'"' | b'`' => {
                i = quoted_end(bytes, i, c);
                if c == b'\'' {
                    TokenKind::String
                } else {
                    TokenKind::Quoted
                }
            }
            b'[' => {
                while i < bytes.len() && bytes[i] != b']' {
                    i += 1;
                }
                i = (i + 1).min(bytes.len());
                TokenKind::Quoted
            }
            b'x' | b'X' if bytes.get(i + 1) == Some(&b'\'') => {
                i = quoted_end(bytes, i + 1, b'\'');
                TokenKind::String
            }
            c if is_word_byte(c) => {
                while i < bytes.len() && is_word_byte(bytes[i]) {
                    i += 1;
                }
                TokenKind::Word
            }
            _ => {
                // One character (whole, if it is not ASCII).
                i += sql[i..].chars().next().map_or(1, char::len_utf8);
                TokenKind::Punct
            }
        };
        out.push(Token {
            kind,
            start,
            end: i,
        });
    }
    out
}

/// Letters, digits, `_`, `$` and every byte of a non-ASCII character.
fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// Where a literal opened by `q` at `i` ends (a doubled `q` stays inside).
fn quoted_end(bytes: &[u8], mut i: usize, q: u8) -> usize {
    i += 1;
    while i < bytes.len() {
        if bytes[i] == q {
            if bytes.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    i
}

/// The tokens of one statement, with the text they come from.
struct Tokens<'a> {
    sql: &'a str,
    tokens: Vec<Token>,
}

impl<'a> Tokens<'a> {
    fn new(sql: &'a str) -> Self {
        Tokens {
            sql,
            tokens: tokenize(sql),
        }
    }

    fn len(&self) -> usize {
        self.tokens.len()
    }

    /// The text of a `/* ... */` comment between token `i` and the next
    /// (nomenclator writes ` /* text */`: one space inside each end).
    fn comment_after(&self, i: usize) -> Option<String> {
        let from = self.tokens.get(i)?.end;
        let to = self.tokens.get(i + 1).map_or(self.sql.len(), |t| t.start);
        let gap = self.sql[from..to].trim();
        let body = gap.strip_prefix("/*")?.strip_suffix("*/")?;
        if body.contains("*/") {
            return None;
        }
        let body = body.strip_prefix(' ').unwrap_or(body);
        let body = body.strip_suffix(' ').unwrap_or(body);
        Some(body.to_owned())
    }

    fn raw(&self, i: usize) -> &'a str {
        self.tokens.get(i).map_or("", |t| &self.sql[t.start..t.end])
    }

    /// Whether token `i` is the bare keyword `kw` (any case).
    fn is(&self, i: usize, kw: &str) -> bool {
        self.tokens
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Word && self.raw(i).eq_ignore_ascii_case(kw))
    }

    /// Whether token `i` is the punctuation `p`.
    fn punct(&self, i: usize, p: &str) -> bool {
        self.tokens
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Punct && self.raw(i) == p)
    }

    /// Token `i` read as a name: quotes taken off, doubled quotes made one.
    fn name(&self, i: usize) -> String {
        let raw = self.raw(i);
        match self.tokens.get(i).map(|t| t.kind) {
            Some(TokenKind::Quoted) | Some(TokenKind::String) => unquote(raw),
            _ => raw.to_owned(),
        }
    }

    /// The index just past the parenthesised group that opens at `i` (or
    /// `i + 1` when token `i` opens none).
    fn skip_group(&self, i: usize) -> usize {
        if !self.punct(i, "(") {
            return i + 1;
        }
        let mut depth = 0usize;
        let mut j = i;
        while j < self.len() {
            if self.punct(j, "(") {
                depth += 1;
            } else if self.punct(j, ")") {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            j += 1;
        }
        j
    }

    /// The source text from token `a` up to (not including) token `b`.
    fn text(&self, a: usize, b: usize) -> &'a str {
        if a >= b || a >= self.len() {
            return "";
        }
        let start = self.tokens[a].start;
        let end = self.tokens[b - 1].end;
        &self.sql[start..end]
    }

    /// The text inside the group opening at `i`, trimmed.
    fn inner(&self, i: usize) -> &'a str {
        let end = self.skip_group(i);
        if end <= i + 1 {
            return "";
        }
        let from = self.tokens[i].end;
        let to = if self.punct(end - 1, ")") {
            self.tokens[end - 1].start
        } else {
            self.sql.len()
        };
        self.sql[from..to.max(from)].trim()
    }

    /// The top-level comma-separated items of the group opening at `i`, as
    /// token ranges.
    fn items(&self, i: usize) -> Vec<(usize, usize)> {
        let end = self.skip_group(i);
        let close = if self.punct(end - 1, ")") {
            end - 1
        } else {
            end
        };
        let mut out = Vec::new();
        let mut start = i + 1;
        let mut j = i + 1;
        while j < close {
            if self.punct(j, "(") {
                j = self.skip_group(j);
                continue;
            }
            if self.punct(j, ",") {
                out.push((start, j));
                start = j + 1;
            }
            j += 1;
        }
        if start < close {
            out.push((start, close));
        }
        out
    }

    /// Past `[schema .] name` at `i`: the name and the index after it.
    fn qualified_name(&self, i: usize) -> (String, usize) {
        if self.punct(i + 1, ".") {
            (self.name(i + 2), i + 3)
        } else {
            (self.name(i), i + 1)
        }
    }
}

/// A quoted identifier or string literal without its quotes.
fn unquote(raw: &str) -> String {
    let Some(first) = raw.chars().next() else {
        return String::new();
    };
    if first == '[' {
        return raw[1..].strip_suffix(']').unwrap_or(&raw[1..]).to_owned();
    }
    let (body, q) = match first {
        'x' | 'X' => (&raw[1..], '\''),
        q => (raw, q),
    };
    let inner = body[1..].strip_suffix(q).unwrap_or(&body[1..]);
    let doubled: String = [q, q].iter().collect();
    inner.replace(&doubled, &q.to_string())
}

/// A primary key or unique constraint as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct KeyDef {
    /// Its name (`CONSTRAINT name`), if it has one.
    pub name: Option<String>,
    /// Its columns as written (quotes taken off).
    pub columns: Vec<String>,
}

/// A check constraint as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CheckDef {
    /// Its name, if it has one.
    pub name: Option<String>,
    /// The expression between its parentheses, trimmed.
    pub sql: String,
    /// The column it is declared on, for a column constraint.
    pub column: Option<String>,
}

/// A foreign key as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ForeignKeyDef {
    /// Its name, if it has one.
    pub name: Option<String>,
    /// Its columns.
    pub columns: Vec<String>,
    /// The referred table.
    pub table: String,
    /// `DEFERRABLE` (not `NOT DEFERRABLE`), which the pragmas do not tell.
    pub deferrable: bool,
}

/// A column definition, as far as the catalog's pragmas do not tell it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ColumnDef {
    /// Its name.
    pub name: String,
    /// `PRIMARY KEY DESC` on the column (which keeps it from being the
    /// rowid alias).
    pub primary_key_desc: bool,
    /// The `/* ... */` comment that ends its definition (as nomenclator
    /// writes a column's comment).
    pub comment: Option<String>,
    /// Its `COLLATE` collation (`NOCASE`), unquoted.
    pub collation: Option<String>,
    /// A generated column's expression (`a + 1` of `AS (a + 1)`).
    pub generated: Option<String>,
}

/// What a `CREATE TABLE` statement says beyond the pragmas.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct TableDef {
    /// Its columns, in order.
    pub columns: Vec<ColumnDef>,
    /// Its primary key.
    pub primary_key: Option<KeyDef>,
    /// Its unique constraints, in order.
    pub uniques: Vec<KeyDef>,
    /// Its check constraints, in order.
    pub checks: Vec<CheckDef>,
    /// The `/* ... */` comment right after its `(` (as nomenclator writes
    /// a table's comment).
    pub comment: Option<String>,
    /// Its foreign keys, in order.
    pub foreign_keys: Vec<ForeignKeyDef>,
    /// `AUTOINCREMENT` on its primary key.
    pub autoincrement: bool,
    /// `WITHOUT ROWID`.
    pub without_rowid: bool,
    /// `STRICT`.
    pub strict: bool,
    /// `CREATE TABLE ... AS SELECT`.
    pub as_select: bool,
}

/// Reads a `CREATE TABLE` statement.
pub(crate) fn parse_create_table(sql: &str) -> TableDef {
    let t = Tokens::new(sql);
    let mut def = TableDef::default();
    let mut i = 0;
    while i < t.len() && !t.is(i, "TABLE") {
        i += 1;
    }
    i += 1;
    if t.is(i, "IF") {
        i += 3;
    }
    let (_, after) = t.qualified_name(i);
    i = after;
    if t.is(i, "AS") || !t.punct(i, "(") {
        def.as_select = true;
        return def;
    }
    def.comment = t.comment_after(i);
    for (a, b) in t.items(i) {
        let table_constraint = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]
            .iter()
            .any(|k| t.is(a, k));
        if table_constraint {
            read_constraints(&t, a, b, None, &mut def);
        } else {
            let name = t.name(a);
            def.columns.push(ColumnDef {
                name: name.clone(),
                primary_key_desc: false,
                comment: t.comment_after(b - 1),
                collation: None,
                generated: None,
            });
            read_constraints(&t, a + 1, b, Some(&name), &mut def);
        }
    }
    // Table options: WITHOUT ROWID, STRICT.
    let mut j = t.skip_group(i);
    while j < t.len() {
        if t.is(j, "WITHOUT") && t.is(j + 1, "ROWID") {
            def.without_rowid = true;
        } else if t.is(j, "STRICT") {
            def.strict = true;
        }
        j += 1;
    }
    def
}

/// The names in the column list opening at `i` (the first token of each
/// item: `a COLLATE x DESC` is `a`).
fn column_list(t: &Tokens<'_>, i: usize) -> Vec<String> {
    t.items(i).into_iter().map(|(a, _)| t.name(a)).collect()
}

/// Reads the constraints in tokens `a..b`: those of column `column`, or
/// (without one) table constraints.
fn read_constraints(t: &Tokens<'_>, a: usize, b: usize, column: Option<&str>, def: &mut TableDef) {
    let own = || column.map(|c| vec![c.to_owned()]).unwrap_or_default();
    let mut name: Option<String> = None;
    let mut fk_columns: Option<Vec<String>> = None;
    let mut i = a;
    while i < b {
        if t.punct(i, "(") {
            i = t.skip_group(i);
            continue;
        }
        if t.is(i, "CONSTRAINT") {
            name = Some(t.name(i + 1));
            i += 2;
            continue;
        }
        if column.is_some() && t.is(i, "AS") && t.punct(i + 1, "(") {
            // A generated column (`GENERATED ALWAYS` before it is optional).
            name = None;
            if let Some(c) = def.columns.last_mut() {
                c.generated = Some(t.inner(i + 1).to_owned());
            }
            i = t.skip_group(i + 1);
            continue;
        }
        if column.is_some() && t.is(i, "COLLATE") && i + 1 < b {
            // A named COLLATE: the name is not kept.
            name = None;
            if let Some(c) = def.columns.last_mut() {
                c.collation = Some(t.name(i + 1));
            }
            i += 2;
            continue;
        }
        if t.is(i, "PRIMARY") && t.is(i + 1, "KEY") {
            i += 2;
            let columns = if t.punct(i, "(") {
                let c = column_list(t, i);
                i = t.skip_group(i);
                c
            } else {
                if t.is(i, "DESC") {
                    if let Some(c) = def.columns.last_mut() {
                        c.primary_key_desc = true;
                    }
                }
                own()
            };
            def.primary_key = Some(KeyDef {
                name: name.take(),
                columns,
            });
            continue;
        }
        if t.is(i, "UNIQUE") {
            i += 1;
            let columns = if t.punct(i, "(") {
                let c = column_list(t, i);
                i = t.skip_group(i);
                c
            } else {
                own()
            };
            def.uniques.push(KeyDef {
                name: name.take(),
                columns,
            });
            continue;
        }
        if t.is(i, "CHECK") && t.punct(i + 1, "(") {
            def.checks.push(CheckDef {
                name: name.take(),
                sql: t.inner(i + 1).to_owned(),
                column: column.map(str::to_owned),
            });
            i = t.skip_group(i + 1);
            continue;
        }
        if t.is(i, "FOREIGN") && t.is(i + 1, "KEY") {
            i += 2;
            if t.punct(i, "(") {
                fk_columns = Some(column_list(t, i));
                i = t.skip_group(i);
            }
            continue;
        }
        if t.is(i, "REFERENCES") {
            let (table, after) = t.qualified_name(i + 1);
            def.foreign_keys.push(ForeignKeyDef {
                name: name.take(),
                columns: fk_columns.take().unwrap_or_else(own),
                table,
                deferrable: false,
            });
            i = after;
            continue;
        }
        if t.is(i, "DEFERRABLE") && !(i > a && t.is(i - 1, "NOT")) {
            if let Some(fk) = def.foreign_keys.last_mut() {
                fk.deferrable = true;
            }
        }
        if t.is(i, "AUTOINCREMENT") {
            def.autoincrement = true;
        } else if t.is(i, "SET") {
            // ON DELETE SET NULL / SET DEFAULT: not a column's NULL or DEFAULT.
            i += 2;
            continue;
        } else if t.is(i, "DEFAULT") {
            name = None;
            i += 1;
            if t.punct(i, "-") || t.punct(i, "+") {
                i += 1;
            }
            i = t.skip_group(i);
            continue;
        } else if ["NOT", "NULL", "COLLATE", "GENERATED", "AS"]
            .iter()
            .any(|k| t.is(i, k))
        {
            // A named NOT NULL, COLLATE or generated column: the name is not kept.
            name = None;
        }
        i += 1;
    }
}

/// One part of an index as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IndexItem {
    /// The part without `COLLATE`, `ASC` or `DESC`; an expression without
    /// the parentheses around all of it.
    pub text: String,
    /// Whether it has `COLLATE`, `ASC` or `DESC`, which the model does not
    /// express.
    pub ordered: bool,
}

/// What a `CREATE INDEX` statement says beyond the pragmas.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct IndexDef {
    /// Its parts, in order.
    pub items: Vec<IndexItem>,
    /// The `WHERE` of a partial index, trimmed.
    pub predicate: Option<String>,
}

/// Reads a `CREATE INDEX` statement.
pub(crate) fn parse_create_index(sql: &str) -> IndexDef {
    let t = Tokens::new(sql);
    let mut def = IndexDef::default();
    let mut i = 0;
    while i < t.len() && !t.is(i, "ON") {
        i += 1;
    }
    let (_, open) = t.qualified_name(i + 1);
    if !t.punct(open, "(") {
        return def;
    }
    for (a, b) in t.items(open) {
        let mut end = b;
        let mut ordered = false;
        loop {
            if end > a + 1 && (t.is(end - 1, "ASC") || t.is(end - 1, "DESC")) {
                end -= 1;
                ordered = true;
            } else if end > a + 2 && t.is(end - 2, "COLLATE") {
                end -= 2;
                ordered = true;
            } else {
                break;
            }
        }
        let mut text = t.text(a, end);
        if t.punct(a, "(") && t.skip_group(a) == end {
            text = t.inner(a);
        }
        def.items.push(IndexItem {
            text: text.trim().to_owned(),
            ordered,
        });
    }
    let after = t.skip_group(open);
    if t.is(after, "WHERE") && after + 1 < t.len() {
        let mut end = t.len();
        while end > after + 1 && t.punct(end - 1, ";") {
            end -= 1;
        }
        def.predicate = Some(t.text(after + 1, end).trim().to_owned());
    }
    def
}

/// A view's `SELECT` from its `CREATE VIEW` statement; `None` where the
/// view names its columns (`CREATE VIEW v (a, b) AS ...`), which the model
/// does not express.
pub(crate) fn view_select(sql: &str) -> Option<String> {
    let t = Tokens::new(sql);
    let mut i = 0;
    while i < t.len() && !t.is(i, "VIEW") {
        i += 1;
    }
    i += 1;
    if t.is(i, "IF") {
        i += 3;
    }
    let (_, after) = t.qualified_name(i);
    if !t.is(after, "AS") || after + 1 >= t.len() {
        return None;
    }
    let start = t.tokens[after + 1].start;
    Some(
        sql[start..]
            .trim()
            .trim_end_matches(';')
            .trim_end()
            .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: Option<&str>, columns: &[&str]) -> KeyDef {
        KeyDef {
            name: name.map(str::to_owned),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    #[test]
    fn tokens_pass_over_comments_and_keep_quotes_whole() {
        let sql = "a /* b ) */ \"c\"\"d\" -- e (\n 'f''g' [h i] `j``k` x'00' (";
        let t = Tokens::new(sql);
        let names: Vec<String> = (0..t.len()).map(|i| t.name(i)).collect();
        assert_eq!(names, ["a", "c\"d", "f'g", "h i", "j`k", "00", "("]);
        assert_eq!(t.tokens[1].kind, TokenKind::Quoted);
        assert_eq!(t.tokens[2].kind, TokenKind::String);
        assert_eq!(t.tokens[6].kind, TokenKind::Punct);
    }

    #[test]
    fn named_and_unnamed_constraints_of_columns_and_the_table() {
        let def = parse_create_table(
            "CREATE TABLE \"t\" (\n\
               id INTEGER NOT NULL CONSTRAINT \"a\"\"b\" PRIMARY KEY,\n\
               \"check\" VARCHAR(40) CONSTRAINT ck_one CHECK (\"check\" <> ')') UNIQUE,\n\
               [order] INT REFERENCES parent (id) ON DELETE SET NULL CHECK ([order] > 0),\n\
               note TEXT DEFAULT 'CONSTRAINT x CHECK (y)' CONSTRAINT nn NOT NULL,\n\
               CONSTRAINT `uq two` UNIQUE (\"check\", [order]),\n\
               CHECK (length(note) > (1 + (2))),\n\
               CONSTRAINT fk_x FOREIGN KEY (note, id) REFERENCES main.other (a, b) ON UPDATE CASCADE\n\
             )",
        );
        assert_eq!(
            def.columns
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            ["id", "check", "order", "note"]
        );
        assert_eq!(def.primary_key, Some(key(Some("a\"b"), &["id"])));
        assert_eq!(
            def.uniques,
            [
                key(None, &["check"]),
                key(Some("uq two"), &["check", "order"])
            ]
        );
        assert_eq!(
            def.checks,
            [
                CheckDef {
                    name: Some("ck_one".into()),
                    sql: "\"check\" <> ')'".into(),
                    column: Some("check".into()),
                },
                CheckDef {
                    name: None,
                    sql: "[order] > 0".into(),
                    column: Some("order".into()),
                },
                CheckDef {
                    name: None,
                    sql: "length(note) > (1 + (2))".into(),
                    column: None,
                },
            ]
        );
        assert_eq!(
            def.foreign_keys,
            [
                ForeignKeyDef {
                    name: None,
                    columns: vec!["order".into()],
                    table: "parent".into(),
                    deferrable: false,
                },
                ForeignKeyDef {
                    name: Some("fk_x".into()),
                    columns: vec!["note".into(), "id".into()],
                    table: "other".into(),
                    deferrable: false,
                },
            ]
        );
        assert!(!def.without_rowid && !def.strict && !def.autoincrement);
    }

    #[test]
    fn comments_between_tokens_and_keywords_as_names() {
        let def = parse_create_table(
            "create table if not exists s.\"T\" ( -- the table\n\
               \"primary\" integer /* a key */ primary /* really */ key desc autoincrement,\n\
               \"unique\" text,\n\
               constraint /* named */ \"constraint\" check /* c */ ( \"unique\" /* in */ like '%--%' ),\n\
               constraint [foreign] unique (\"unique\" collate nocase)\n\
             ) without rowid, strict",
        );
        assert_eq!(def.primary_key, Some(key(None, &["primary"])));
        assert!(def.columns[0].primary_key_desc && def.autoincrement);
        assert_eq!(def.checks[0].name.as_deref(), Some("constraint"));
        assert_eq!(def.checks[0].sql, "\"unique\" /* in */ like '%--%'");
        assert_eq!(def.uniques, [key(Some("foreign"), &["unique"])]);
        assert!(def.without_rowid && def.strict);
    }

    /// Comments as nomenclator writes them (` /* text */` after the
    /// table's `(` and after a column's definition) are read back; other
    /// comments are not comments of anything.
    #[test]
    fn comments_of_the_table_and_its_columns() {
        let def = parse_create_table(
            "CREATE TABLE job ( /* jobs to run */\n\
               id INTEGER NOT NULL,\n\
               d INTEGER /* when, * / not now */,\n\
               e TEXT CHECK (e <> '/* no */') /* last */\n\
               /* between */ , f TEXT,\n\
               PRIMARY KEY (id)\n\
             )",
        );
        assert_eq!(def.comment.as_deref(), Some("jobs to run"));
        let comments: Vec<Option<&str>> =
            def.columns.iter().map(|c| c.comment.as_deref()).collect();
        assert_eq!(comments, [None, Some("when, * / not now"), None, None]);
    }

    #[test]
    fn a_name_before_not_null_or_default_names_nothing_else() {
        let def = parse_create_table(
            "CREATE TABLE t (a INT CONSTRAINT n1 NOT NULL UNIQUE, b INT CONSTRAINT d DEFAULT -1 CHECK (b > -1))",
        );
        assert_eq!(def.uniques, [key(None, &["a"])]);
        assert_eq!(def.checks[0].name, None);
        assert_eq!(def.checks[0].sql, "b > -1");
        assert!(parse_create_table("CREATE TABLE t AS SELECT 1").as_select);
    }

    #[test]
    fn index_parts_and_predicates() {
        let def = parse_create_index(
            "CREATE UNIQUE INDEX \"ix \"\"a\"\"\" ON \"t\" (a, lower(\"b\" || ','), (c + 1), d DESC, e COLLATE NOCASE) \
             WHERE a IS NOT NULL /* live */ AND (c > 0);",
        );
        let texts: Vec<&str> = def.items.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(texts, ["a", "lower(\"b\" || ',')", "c + 1", "d", "e"]);
        let ordered: Vec<bool> = def.items.iter().map(|i| i.ordered).collect();
        assert_eq!(ordered, [false, false, false, true, true]);
        assert_eq!(
            def.predicate.as_deref(),
            Some("a IS NOT NULL /* live */ AND (c > 0)")
        );
        assert_eq!(parse_create_index("CREATE INDEX i ON t(a)").predicate, None);
    }

    #[test]
    fn view_selects() {
        assert_eq!(
            view_select("CREATE VIEW IF NOT EXISTS \"as\" AS SELECT 1 AS x;").as_deref(),
            Some("SELECT 1 AS x")
        );
        assert_eq!(
            view_select("CREATE VIEW v -- as\n AS\n  select a from t").as_deref(),
            Some("select a from t")
        );
        assert_eq!(view_select("CREATE VIEW v (a) AS SELECT 1"), None);
    }
}
