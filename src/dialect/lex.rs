//! Where a statement ends: a small lexer that finds `;` outside string
//! literals, quoted identifiers and comments, reading them as each server
//! reads them.
//!
//! Raw SQL in a document (a check's expression, a default, a type, a view's
//! query, custom DDL) is the user's by design, but it must not end the
//! statement nomenclator writes it into and start another: what runs must
//! be what the plan and its summary say. [`check_sql`] tells.
//!
//! Where a server setting changes how text is read — a backslash in a
//! `'...'` string escapes the next character on PostgreSQL with
//! `standard_conforming_strings = off` and on MySQL without
//! `NO_BACKSLASH_ESCAPES` — the text is read both ways and must be one
//! statement under both.

use crate::naming::NameCase;

/// How a dialect's SQL text is read, as far as telling where a statement
/// ends needs: which quotes and comments there are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lexical {
    /// A backslash in a `'...'` string may escape the next character,
    /// depending on a server setting (PostgreSQL `standard_conforming_strings`,
    /// MySQL `NO_BACKSLASH_ESCAPES`): text is read both ways.
    pub backslash_depends_on_setting: bool,
    /// `E'...'` strings, in which a backslash always escapes (PostgreSQL).
    pub escape_strings: bool,
    /// `$tag$...$tag$` strings (PostgreSQL).
    pub dollar_quotes: bool,
    /// `"..."` may be a string in which a backslash escapes (MySQL without
    /// `ANSI_QUOTES`); otherwise it is an identifier.
    pub double_quoted_strings: bool,
    /// `` `...` `` identifiers (MySQL, SQLite).
    pub backtick_identifiers: bool,
    /// `[...]` identifiers (SQLite).
    pub bracket_identifiers: bool,
    /// Block comments nest (PostgreSQL).
    pub nested_comments: bool,
    /// `/*! ... */` and `/*M! ... */` hold code that the server runs (MySQL, MariaDB).
    pub executable_comments: bool,
    /// `#` starts a comment that runs to the end of the line (MySQL).
    pub hash_comments: bool,
    /// `--` starts a comment only when a space or a control character
    /// follows it (MySQL); otherwise always.
    pub dash_comments_need_space: bool,
    /// Parameters such as `$name(...)`, whose parentheses may hold any
    /// character but spaces and `)` (SQLite's `$`, `@`, `:` and `#` parameters).
    pub tcl_variables: bool,
}

impl Lexical {
    /// PostgreSQL: `E'...'` and dollar-quoted strings, nested comments.
    pub const POSTGRESQL: Lexical = Lexical {
        backslash_depends_on_setting: true,
        escape_strings: true,
        dollar_quotes: true,
        double_quoted_strings: false,
        backtick_identifiers: false,
        bracket_identifiers: false,
        nested_comments: true,
        executable_comments: false,
        hash_comments: false,
        dash_comments_need_space: false,
        tcl_variables: false,
    };

    /// MySQL and MariaDB: `"..."` strings, backticks, `#` and `/*! */` comments.
    pub const MYSQL: Lexical = Lexical {
        backslash_depends_on_setting: true,
        escape_strings: false,
        dollar_quotes: false,
        double_quoted_strings: true,
        backtick_identifiers: true,
        bracket_identifiers: false,
        nested_comments: false,
        executable_comments: true,
        hash_comments: true,
        dash_comments_need_space: true,
        tcl_variables: false,
    };

    /// SQLite: no backslash escapes; backtick and bracket identifiers.
    pub const SQLITE: Lexical = Lexical {
        backslash_depends_on_setting: false,
        escape_strings: false,
        dollar_quotes: false,
        double_quoted_strings: false,
        backtick_identifiers: true,
        bracket_identifiers: true,
        nested_comments: false,
        executable_comments: false,
        hash_comments: false,
        dash_comments_need_space: false,
        tcl_variables: true,
    };
}

/// Where SQL text goes, which decides what it may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqlPlace {
    /// Inside a statement that nomenclator writes: a check's expression, a
    /// default, a type. It holds no `;`, and it closes every quote and
    /// comment it opens, a `--` comment included (by a line break).
    Fragment,
    /// The end of a statement (a view's query): no `;` but one at the very
    /// end, followed only by spaces and comments.
    Tail,
    /// A whole statement (custom DDL): as [`Tail`](SqlPlace::Tail), and a
    /// `;` may also end the statements inside the `BEGIN ... END` body of
    /// `CREATE TRIGGER`, `FUNCTION`, `PROCEDURE` or `EVENT`.
    Statement,
}

/// What [`check_sql`] found in text that is one statement (or one fragment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SqlExtent {
    /// Where the statement ends: the byte offset of a final `;`, or the
    /// length of the text.
    pub end: usize,
    /// Whether the text holds nothing but spaces, comments and a final `;`.
    pub blank: bool,
}

/// Why SQL text is not one statement, or not a fragment that can be
/// written into one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{problem} (at byte {offset}){}", backslash_note(*.only_with_backslash_escapes))]
pub struct SqlTextError {
    /// What is wrong.
    pub problem: SqlTextProblem,
    /// Where, as a byte offset into the text.
    pub offset: usize,
    /// Whether the problem shows only when a backslash escapes the next
    /// character in a `'...'` string.
    pub only_with_backslash_escapes: bool,
}

fn backslash_note(only_with_backslash_escapes: bool) -> &'static str {
    if only_with_backslash_escapes {
        " when a backslash escapes in strings (PostgreSQL with standard_conforming_strings off, \
         MySQL without NO_BACKSLASH_ESCAPES); write the text so that it reads the same either way"
    } else {
        ""
    }
}

/// What is wrong with SQL text, in [`SqlTextError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SqlTextProblem {
    /// A `;` outside quotes and comments, with more after it (or anywhere in a fragment).
    #[error("a \";\" outside quotes and comments would end the statement there")]
    Separator,
    /// A string, quoted identifier or comment that is not closed.
    #[error("an unterminated {0}")]
    Unterminated(&'static str),
    /// A fragment ends inside a comment that runs to the end of the line.
    #[error("a comment running to the end of the line would hide the SQL written after the text")]
    OpenLineComment,
}

/// Checks that `sql` is one statement, or a fragment of one, as a server
/// with these lexical rules reads it, and says where it ends.
///
/// ```
/// use nomenclator::dialect::{check_sql, Lexical, SqlPlace};
/// let pg = Lexical::POSTGRESQL;
/// assert!(check_sql("v > 0 AND note <> ';'", &pg, SqlPlace::Fragment).is_ok());
/// assert!(check_sql("v > 0)); DROP TABLE precious; SELECT ((1", &pg, SqlPlace::Fragment).is_err());
/// // Read with backslash escapes (standard_conforming_strings off), the
/// // string ends at the last quote and the `;` is inside it; read without,
/// // the `;` ends the statement. Both readings count.
/// assert!(check_sql(r"'\'; DROP TABLE precious; --'", &pg, SqlPlace::Fragment).is_err());
/// assert_eq!(check_sql("SELECT 1; -- done", &pg, SqlPlace::Statement)?.end, 8);
/// # Ok::<(), nomenclator::dialect::SqlTextError>(())
/// ```
pub fn check_sql(sql: &str, lexical: &Lexical, place: SqlPlace) -> Result<SqlExtent, SqlTextError> {
    let plain =
        scan(sql.as_bytes(), lexical, place, false, &mut |_| {}).map_err(|(problem, offset)| {
            SqlTextError {
                problem,
                offset,
                only_with_backslash_escapes: false,
            }
        })?;
    if !lexical.backslash_depends_on_setting {
        return Ok(plain);
    }
    let escaped =
        scan(sql.as_bytes(), lexical, place, true, &mut |_| {}).map_err(|(problem, offset)| {
            SqlTextError {
                problem,
                offset,
                only_with_backslash_escapes: true,
            }
        })?;
    if escaped.end != plain.end {
        return Err(SqlTextError {
            problem: SqlTextProblem::Separator,
            offset: plain.end.min(escaped.end),
            only_with_backslash_escapes: true,
        });
    }
    Ok(plain)
}

/// Whether `sql` names `name` as an identifier (a word, or a quoted
/// identifier; in MySQL's `"..."`, which may be either, too), the names
/// compared as `case` says. Strings and comments are not looked into.
pub(crate) fn mentions(sql: &str, lexical: &Lexical, name: &str, case: NameCase) -> bool {
    let mut found = false;
    // Whatever problem the text has was reported when it was checked.
    let _ = scan(
        sql.as_bytes(),
        lexical,
        SqlPlace::Tail,
        false,
        &mut |word| {
            found |= std::str::from_utf8(word).is_ok_and(|w| case.same(w, name));
        },
    );
    found
}

/// `sql` with each identifier (a word, or a quoted identifier) that is one
/// of the `renames`' old names, compared as `case` says, replaced by
/// `quote` of its new name. Strings and comments are left as they are.
pub(crate) fn rename_identifiers(
    sql: &str,
    lexical: &Lexical,
    case: NameCase,
    renames: &[(&str, &str)],
    quote: &dyn Fn(&str) -> String,
) -> String {
    let base = sql.as_ptr() as usize;
    let bytes = sql.as_bytes();
    // (start, end, new name) of each identifier to replace, quotes included.
    let mut edits: Vec<(usize, usize, &str)> = Vec::new();
    let _ = scan(bytes, lexical, SqlPlace::Tail, false, &mut |word| {
        let Ok(w) = std::str::from_utf8(word) else {
            return;
        };
        let Some((_, new)) = renames.iter().find(|(old, _)| case.same(w, old)) else {
            return;
        };
        let start = word.as_ptr() as usize - base;
        let end = start + word.len();
        let quoted = start > 0
            && matches!(bytes[start - 1], b'"' | b'`' | b'[')
            && bytes
                .get(end)
                .is_some_and(|&c| matches!(c, b'"' | b'`' | b']'));
        if quoted {
            edits.push((start - 1, end + 1, new));
        } else {
            edits.push((start, end, new));
        }
    });
    let mut out = String::with_capacity(sql.len());
    let mut at = 0;
    for (start, end, new) in edits {
        out.push_str(&sql[at..start]);
        out.push_str(&quote(new));
        at = end;
    }
    out.push_str(&sql[at..]);
    out
}

type Scan<T> = Result<T, (SqlTextProblem, usize)>;

/// Reads `b` once, a backslash in `'...'` strings escaping or not, calling
/// `names` with each word and the inside of each quoted identifier.
fn scan(
    b: &[u8],
    lx: &Lexical,
    place: SqlPlace,
    backslash: bool,
    names: &mut dyn FnMut(&[u8]),
) -> Scan<SqlExtent> {
    let n = b.len();
    let mut i = 0;
    let mut blank = true;
    // The final `;`, once seen.
    let mut end: Option<usize> = None;
    // An executable comment (`/*!`) open since this offset.
    let mut code_comment: Option<usize> = None;
    let mut body = Body::new(place == SqlPlace::Statement);
    while let Some(&c) = b.get(i) {
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let next = b.get(i + 1).copied();
        let dash_comment = c == b'-'
            && next == Some(b'-')
            && (!lx.dash_comments_need_space
                || b.get(i + 2)
                    .is_none_or(|d| d.is_ascii_whitespace() || d.is_ascii_control()));
        if dash_comment || (c == b'#' && lx.hash_comments) {
            i = match b[i..].iter().position(|&x| x == b'\n') {
                Some(nl) => i + nl + 1,
                None if place == SqlPlace::Fragment => {
                    return Err((SqlTextProblem::OpenLineComment, i))
                }
                None => n,
            };
            continue;
        }
        if c == b'/' && next == Some(b'*') {
            let rest = &b[i + 2..];
            let code = if rest.starts_with(b"!") {
                1
            } else if rest.starts_with(b"M!") {
                2
            } else {
                0
            };
            if lx.executable_comments && code_comment.is_none() && code > 0 {
                code_comment = Some(i);
                i += 2 + code;
            } else {
                i = block_comment(b, i, lx.nested_comments)?;
            }
            continue;
        }
        if c == b'*' && next == Some(b'/') && code_comment.is_some() {
            code_comment = None;
            i += 2;
            continue;
        }
        // Anything else is a token: none may follow the final `;`.
        if let Some(e) = end {
            return Err((SqlTextProblem::Separator, e));
        }
        if c == b';' {
            body.other();
            if body.inside() && code_comment.is_none() {
                i += 1;
                continue;
            }
            if place == SqlPlace::Fragment || code_comment.is_some() {
                return Err((SqlTextProblem::Separator, i));
            }
            end = Some(i);
            i += 1;
            continue;
        }
        blank = false;
        if is_word_byte(c) && c != b'$' {
            let start = i;
            while b.get(i).copied().is_some_and(is_word_byte) {
                i += 1;
            }
            let word = &b[start..i];
            if lx.escape_strings && (word == b"e" || word == b"E") && b.get(i) == Some(&b'\'') {
                i = quoted(b, i, true)?;
                body.other();
            } else if !c.is_ascii_digit() {
                names(word);
                body.word(word);
            } else {
                body.other();
            }
            continue;
        }
        body.other();
        let start = i;
        i = match c {
            b'\'' => quoted(b, i, backslash)?,
            b'"' => quoted(b, i, backslash && lx.double_quoted_strings)?,
            b'`' if lx.backtick_identifiers => quoted(b, i, false)?,
            b'[' if lx.bracket_identifiers => match b[i..].iter().position(|&x| x == b']') {
                Some(close) => i + close + 1,
                None => return Err((SqlTextProblem::Unterminated("[identifier]"), i)),
            },
            b'$' if lx.dollar_quotes => dollar_quoted(b, i)?,
            b'$' | b'@' | b':' | b'#' if lx.tcl_variables => variable(b, i),
            _ => i + 1,
        };
        if matches!(c, b'"' | b'`' | b'[') && i - start >= 2 {
            names(&b[start + 1..i - 1]);
        }
    }
    if let Some(open) = code_comment {
        return Err((SqlTextProblem::Unterminated("/*! comment"), open));
    }
    Ok(SqlExtent {
        end: end.unwrap_or(n),
        blank,
    })
}

/// A byte of a word: an identifier, a keyword or a number (`$` included,
/// as PostgreSQL, MySQL and SQLite allow it after the first character, so
/// that `a$b$` is never taken for the start of a dollar quote).
fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// The end of the string or quoted identifier opening at `b[i]`: the same
/// quote doubled stands for itself, and where `backslash`, a backslash
/// escapes the next byte.
fn quoted(b: &[u8], i: usize, backslash: bool) -> Scan<usize> {
    let q = b[i];
    let mut j = i + 1;
    while let Some(&c) = b.get(j) {
        if backslash && c == b'\\' {
            j += 2;
        } else if c == q {
            if b.get(j + 1) == Some(&q) {
                j += 2;
            } else {
                return Ok(j + 1);
            }
        } else {
            j += 1;
        }
    }
    let what = match q {
        b'\'' => "string literal",
        b'"' => "quoted identifier or string",
        _ => "quoted identifier",
    };
    Err((SqlTextProblem::Unterminated(what), i))
}

/// The end of the block comment opening at `b[i]` (`/*`).
fn block_comment(b: &[u8], i: usize, nested: bool) -> Scan<usize> {
    let mut depth = 0usize;
    let mut j = i;
    while j < b.len() {
        if b[j..].starts_with(b"*/") {
            depth -= 1;
            j += 2;
            if depth == 0 {
                return Ok(j);
            }
        } else if b[j..].starts_with(b"/*") && (nested || depth == 0) {
            depth += 1;
            j += 2;
        } else {
            j += 1;
        }
    }
    Err((SqlTextProblem::Unterminated("/* comment"), i))
}

/// After a `$` at `b[i]` (PostgreSQL): the end of the dollar-quoted string
/// it opens (`$$...$$`, `$tag$...$tag$`), or the next byte when it opens
/// none (a parameter `$1`, or a lone `$`).
fn dollar_quoted(b: &[u8], i: usize) -> Scan<usize> {
    let mut j = i + 1;
    if b.get(j)
        .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_' || c >= 0x80)
    {
        while b
            .get(j)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80)
        {
            j += 1;
        }
    }
    if b.get(j) != Some(&b'$') {
        return Ok(i + 1);
    }
    let tag = &b[i..=j];
    let body = j + 1;
    match b[body..].windows(tag.len()).position(|w| w == tag) {
        Some(at) => Ok(body + at + tag.len()),
        None => Err((SqlTextProblem::Unterminated("dollar-quoted string"), i)),
    }
}

/// The end of SQLite's parameter at `b[i]` (`$`, `@`, `:` or `#`, then
/// identifier characters and `::`, and optionally `(...)` holding anything
/// but spaces and `)`), read as SQLite's tokenizer reads it.
fn variable(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    let mut chars = 0;
    while let Some(&c) = b.get(j) {
        if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80 {
            chars += 1;
            j += 1;
        } else if c == b'(' && chars > 0 {
            j += 1;
            while b
                .get(j)
                .is_some_and(|&x| !x.is_ascii_whitespace() && x != b')')
            {
                j += 1;
            }
            if b.get(j) == Some(&b')') {
                j += 1;
            }
            break;
        } else if c == b':' && b.get(j + 1) == Some(&b':') {
            j += 2;
        } else {
            break;
        }
    }
    j
}

/// The `BEGIN ... END` body of a `CREATE TRIGGER` (`FUNCTION`, `PROCEDURE`,
/// `EVENT`), inside which `;` ends the body's statements, not the whole.
struct Body {
    /// Whether the text may be such a statement (so far).
    possible: bool,
    /// Words read so far.
    words: usize,
    /// Whether `TRIGGER`, `FUNCTION`, `PROCEDURE` or `EVENT` came before the body.
    routine: bool,
    /// `BEGIN` and `CASE` not yet closed by `END`.
    depth: usize,
    /// An `END` was read: the next token says what it closes.
    end_pending: bool,
}

impl Body {
    fn new(statement: bool) -> Body {
        Body {
            possible: statement,
            words: 0,
            routine: false,
            depth: 0,
            end_pending: false,
        }
    }

    /// Whether a `;` here is inside the body.
    fn inside(&self) -> bool {
        self.depth > 0
    }

    /// A token that is not a word: an `END` before it closed a `BEGIN` or a `CASE`.
    fn other(&mut self) {
        if std::mem::take(&mut self.end_pending) {
            self.depth = self.depth.saturating_sub(1);
        }
    }

    fn word(&mut self, word: &[u8]) {
        if !self.possible {
            return;
        }
        let is = |k: &str| word.eq_ignore_ascii_case(k.as_bytes());
        self.words += 1;
        if self.words == 1 {
            self.possible = is("create");
            return;
        }
        if std::mem::take(&mut self.end_pending) {
            // `END IF`, `END LOOP`, `END WHILE`, `END REPEAT` close what
            // was never counted; `END CASE` and a bare `END` close a count.
            if is("if") || is("loop") || is("while") || is("repeat") {
                return;
            }
            self.depth = self.depth.saturating_sub(1);
            if is("case") {
                return;
            }
        }
        if self.depth == 0 && !self.routine {
            self.routine = is("trigger") || is("function") || is("procedure") || is("event");
            return;
        }
        if is("begin") || (self.depth > 0 && is("case")) {
            self.depth += 1;
        } else if self.depth > 0 && is("end") {
            self.end_pending = true;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn identifiers_are_renamed_and_strings_and_comments_kept() {
        let renames = [("note", "memo"), ("body", "text body")];
        let quote = |n: &str| {
            if n.contains(' ') {
                format!("\"{n}\"")
            } else {
                n.to_owned()
            }
        };
        let sql = "CREATE TRIGGER t AFTER UPDATE OF body ON \"note\" BEGIN \
                   UPDATE note SET x = 'note body' WHERE id = NEW.id; -- note\nEND";
        let got = rename_identifiers(
            sql,
            &Lexical::SQLITE,
            NameCase::AsciiInsensitive,
            &renames,
            &quote,
        );
        assert_eq!(
            got,
            "CREATE TRIGGER t AFTER UPDATE OF \"text body\" ON memo BEGIN \
             UPDATE memo SET x = 'note body' WHERE id = NEW.id; -- note\nEND"
        );
    }

    use super::*;

    const PG: Lexical = Lexical::POSTGRESQL;
    const MY: Lexical = Lexical::MYSQL;
    const LITE: Lexical = Lexical::SQLITE;

    fn fragment(sql: &str, lx: &Lexical) -> Result<SqlExtent, SqlTextError> {
        check_sql(sql, lx, SqlPlace::Fragment)
    }

    fn statement(sql: &str, lx: &Lexical) -> Result<SqlExtent, SqlTextError> {
        check_sql(sql, lx, SqlPlace::Statement)
    }

    fn problem(r: Result<SqlExtent, SqlTextError>) -> SqlTextProblem {
        r.expect_err("refused").problem
    }

    #[test]
    fn separators_inside_quotes_and_comments_are_not_separators() {
        for lx in [PG, MY, LITE] {
            for ok in [
                "a = ';'",
                "a = ''';'''",
                "/* ; */ a",
                "a -- ;\n",
                "\"x;y\" > 0",
                "a IN ('x', 'y;z')",
            ] {
                assert!(fragment(ok, &lx).is_ok(), "{ok:?} {lx:?}");
            }
        }
        assert!(fragment("$$;$$ <> $a$ ; $a$", &PG).is_ok());
        assert!(fragment("E'\\';' = x", &PG).is_ok());
        assert!(fragment("`a;b` = 1 # ;\n", &MY).is_ok());
        assert!(fragment("[a;b] = `c;d`", &LITE).is_ok());
        assert!(fragment("/* /* ; */ ; */ 1", &PG).is_ok());
    }

    #[test]
    fn a_separator_in_a_fragment_is_refused() {
        for lx in [PG, MY, LITE] {
            let r = fragment("v > 0)); DROP TABLE precious; SELECT ((1", &lx);
            assert_eq!(r.unwrap_err().offset, 7, "{lx:?}");
            assert_eq!(problem(fragment("1;", &lx)), SqlTextProblem::Separator);
        }
        // MySQL reads the code of `/*! */` comments; PostgreSQL's comments nest.
        assert!(fragment("1 /*! ; DROP TABLE x */", &MY).is_err());
        assert!(fragment("1 /*M!100000 ; */", &MY).is_err());
        assert!(fragment("/* /* */ ; */ 1", &PG).is_ok());
        assert!(fragment("/* /* */ ; */ 1", &LITE).is_err());
        // `a$b$` is a word, not the start of a dollar quote.
        assert!(fragment("a$b$ ; $b$", &PG).is_err());
        // MySQL's `--` needs a space after it to start a comment.
        assert!(fragment("v --x; DROP TABLE precious", &MY).is_err());
        assert!(fragment("v --x\n", &PG).is_ok());
    }

    #[test]
    fn backslashes_are_read_both_ways_where_a_setting_decides() {
        let hostile = r"'\'; DROP TABLE precious; --'";
        for lx in [PG, MY] {
            let e = fragment(hostile, &lx).unwrap_err();
            assert_eq!(e.problem, SqlTextProblem::Separator);
            assert!(!e.only_with_backslash_escapes);
        }
        // The other way round: the string closes only without escapes.
        let e = fragment(r"'\' ; '", &PG).unwrap_err();
        assert_eq!(e.problem, SqlTextProblem::Separator);
        let e = fragment(r"'a\' = ';'", &MY).unwrap_err();
        assert!(e.only_with_backslash_escapes, "{e}");
        assert!(e.to_string().contains("standard_conforming_strings"), "{e}");
        // SQLite never escapes with a backslash.
        assert!(fragment(r"'\' = x", &LITE).is_ok());
        // Backslashes that mean the same either way are fine.
        assert!(fragment(r"'C:\path' = x", &PG).is_ok());
    }

    #[test]
    fn unterminated_quotes_and_comments_are_refused() {
        for (sql, lx) in [
            ("'abc", PG),
            ("\"abc", PG),
            ("/* abc", PG),
            ("$x$ abc", PG),
            ("`abc", MY),
            ("/*! abc", MY),
            ("[abc", LITE),
        ] {
            assert!(
                matches!(problem(fragment(sql, &lx)), SqlTextProblem::Unterminated(_)),
                "{sql:?}"
            );
            assert!(statement(sql, &lx).is_err(), "{sql:?}");
        }
        // A fragment must not end in a line comment; a statement may.
        assert_eq!(
            problem(fragment("0 -- note", &PG)),
            SqlTextProblem::OpenLineComment
        );
        assert!(statement("-- dropping t", &PG).unwrap().blank);
    }

    #[test]
    fn a_statement_may_end_with_one_separator() {
        let e = statement("GRANT SELECT ON t TO r;  -- done\n", &PG).unwrap();
        assert_eq!(
            e,
            SqlExtent {
                end: 22,
                blank: false
            }
        );
        assert_eq!(statement("SELECT 1", &MY).unwrap().end, 8);
        assert!(statement("SELECT 1; SELECT 2", &MY).is_err());
        assert!(statement("SELECT 1;;", &LITE).is_err());
        assert!(check_sql("SELECT 1;", &PG, SqlPlace::Tail).is_ok());
    }

    #[test]
    fn trigger_bodies_hold_statements() {
        let sqlite = "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN \
                      UPDATE t SET n = CASE WHEN n > 0 THEN n ELSE 0 END; \
                      INSERT INTO log VALUES (new.id); END";
        assert!(statement(sqlite, &LITE).is_ok());
        assert!(statement(&format!("{sqlite}; DROP TABLE precious"), &LITE).is_err());
        let mysql = "CREATE DEFINER = CURRENT_USER TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW \
                     BEGIN IF new.n < 0 THEN SET new.n = 0; END IF; \
                     CASE new.k WHEN 1 THEN SET new.k = 2; ELSE BEGIN END; END CASE; END;";
        assert!(statement(mysql, &MY).is_ok());
        let pg = "CREATE FUNCTION one() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END";
        assert!(statement(pg, &PG).is_ok());
        // Not a routine: BEGIN is a word like any other.
        assert!(statement("CREATE TABLE x (a int); BEGIN; END", &PG).is_err());
        // Never in a view's query or a fragment.
        assert!(check_sql("CREATE TRIGGER x BEGIN ; END", &PG, SqlPlace::Tail).is_err());
    }

    #[test]
    fn mentions_finds_identifiers_only() {
        let ci = NameCase::Insensitive;
        assert!(mentions("id > 0", &MY, "id", ci));
        assert!(mentions("`ID` > 0 AND t.x < 3", &MY, "id", ci));
        assert!(mentions("t.id > 0", &MY, "id", ci));
        assert!(!mentions(
            "ident > 0 AND note <> 'id' -- id\n",
            &MY,
            "id",
            ci
        ));
        assert!(!mentions("ID > 0", &PG, "id", NameCase::Sensitive));
        assert!(mentions("\"id\" > 0", &PG, "id", NameCase::Sensitive));
        assert!(mentions(
            "[id] > 0",
            &LITE,
            "ID",
            NameCase::AsciiInsensitive
        ));
    }

    #[test]
    fn sqlite_parameters_are_one_token() {
        // SQLite reads `$a(')` as one parameter: the quote opens nothing.
        assert!(fragment("$a(') ; DROP TABLE precious; --'", &LITE).is_err());
    }
}
