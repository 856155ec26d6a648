//! PostgreSQL's names for unnamed constraints and indexes.
//!
//! PostgreSQL makes a name of three parts, `name1_name2_label`
//! (`makeObjectName`): the table's name, the columns' names joined by `_`
//! (`ChooseIndexNameAddition`, `ChooseForeignKeyConstraintNameAddition`)
//! and a label (`pkey`, `key`, `fkey`, `idx`, `check`). When the whole is
//! over 63 bytes, the longer of the first two parts loses a byte at a time
//! (the second on a tie), and each is then cut back to a whole character.
//! When the name is taken, a number is appended to the label (`key1`,
//! `key2`, ...) and the name is made again (`ChooseRelationName`,
//! `ChooseConstraintName`). What counts as taken:
//!
//! - an index, and the index of a primary key or unique constraint, is a
//!   relation: its name must differ from every table, view and index of the
//!   schema, and for a key also from every constraint of the schema;
//! - a check or foreign key must differ from every constraint of the schema.

use std::collections::{HashMap, HashSet};

use nomenclator::dialect::postgres_names::{clip, make_object_name, NAMEDATALEN};
use nomenclator::dialect::{Dialect, PostgreSql};

use crate::view::{Chosen, Obj, Order, Part, View, What};

/// The schema a table without one is in.
const DEFAULT_SCHEMA: &str = "public";

/// An identifier as PostgreSQL keeps it: cut to 63 bytes, never inside a
/// character (`truncate_identifier`; nomenclator refuses to write such a
/// name, but the server takes it).
fn ident(s: &str) -> &str {
    clip(s, NAMEDATALEN - 1)
}

/// The names joined by `_`, stopping once `NAMEDATALEN` bytes are reached
/// (`ChooseIndexNameAddition`, `ChooseForeignKeyConstraintNameAddition`).
fn addition<S: AsRef<str>>(names: &[S]) -> String {
    let mut buf = String::new();
    for n in names {
        if !buf.is_empty() {
            buf.push('_');
        }
        buf.push_str(ident(n.as_ref()));
        if buf.len() >= NAMEDATALEN {
            break;
        }
    }
    buf
}

/// The names an index gives its parts (`ChooseIndexColumnNames`): a
/// column's name, an expression's [`expression_name`] (or `expr`), with a
/// number appended when an earlier part of the index has that name already
/// (`(a, a)` is `a`, `a1`).
fn index_column_names(parts: &[Part<'_>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    for p in parts {
        let figured;
        let c = match p {
            Part::Column(c) => ident(c),
            Part::Expression(e) => {
                figured = expression_name(e);
                figured.as_deref().map_or("expr", ident)
            }
        };
        let mut name = c.to_owned();
        let mut i = 1;
        while out.contains(&name) {
            let n = i.to_string();
            name = format!("{}{n}", clip(c, NAMEDATALEN - 1 - n.len()));
            i += 1;
        }
        out.push(name);
    }
    out
}

/// The names taken in one schema.
#[derive(Default)]
struct Namespace {
    /// Tables, views and indexes (`pg_class`).
    relations: HashSet<String>,
    /// Constraints (`pg_constraint`).
    constraints: HashSet<String>,
}

impl Namespace {
    /// `ChooseRelationName`: free among relations, and for the index of a
    /// key among constraints too.
    fn relation_name(&self, n1: &str, n2: Option<&str>, label: &str, key: bool) -> String {
        self.choose(n1, n2, label, |name| {
            let taken = self.relations.contains(name) || (key && self.constraints.contains(name));
            !taken
        })
    }

    /// `ChooseConstraintName`: free among constraints.
    fn constraint_name(&self, n1: &str, n2: Option<&str>, label: &str) -> String {
        self.choose(n1, n2, label, |name| !self.constraints.contains(name))
    }

    fn choose(
        &self,
        n1: &str,
        n2: Option<&str>,
        label: &str,
        free: impl Fn(&str) -> bool,
    ) -> String {
        let mut pass = 0u32;
        let mut modlabel = label.to_owned();
        loop {
            let name = make_object_name(n1, n2, &modlabel);
            if free(&name) {
                return name;
            }
            pass += 1;
            modlabel = format!("{label}{pass}");
        }
    }
}

/// The names PostgreSQL gives the unnamed objects of `views`, created in
/// `order` as nomenclator's DDL creates them: for each table its checks
/// (in statement order), its primary key and unique constraints (a unique
/// constraint on the same columns as the primary key or an earlier one is
/// not created: its name is `None`), its foreign keys, its indexes; then
/// the foreign keys added after every table.
pub(crate) fn names(views: &[View<'_>], order: &Order) -> Vec<Chosen> {
    let mut spaces: HashMap<&str, Namespace> = HashMap::new();
    for v in views {
        spaces
            .entry(v.schema.unwrap_or(DEFAULT_SCHEMA))
            .or_default()
            .relations
            .insert(ident(v.name).to_owned());
    }
    let deferred: HashSet<(usize, usize)> = order.deferred.iter().copied().collect();
    let mut out = Vec::new();
    for &ti in &order.tables {
        let Some(t) = views.get(ti) else { continue };
        let ns = spaces
            .entry(t.schema.unwrap_or(DEFAULT_SCHEMA))
            .or_default();
        let mut chosen = |at, name: Option<String>| {
            out.push(Chosen {
                table: ti,
                at,
                name,
            })
        };
        let table = ident(t.name);

        for (o, _) in t.checks(true, nomenclator::DialectKind::PostgreSql) {
            let What::Check(ck) = o.what else { continue };
            let name = match o.fixed {
                Some(n) => n.to_owned(),
                None => {
                    let col = check_column(ck.sql(), &t.columns);
                    let name = ns.constraint_name(table, col.map(ident), "check");
                    chosen(o.at, Some(name.clone()));
                    name
                }
            };
            ns.constraints.insert(name);
        }

        // The primary key, then the unique constraints; one that repeats
        // the columns of a key before it is not created. When it has a
        // name and the key before it has none, the one index takes that
        // name: the name stays with the object that was given it, and the
        // other is left without one.
        let keys: Vec<&Obj<'_>> = t
            .primary_key
            .iter()
            .chain(
                t.constraints
                    .iter()
                    .filter(|o| matches!(o.what, What::Unique)),
            )
            .collect();
        let mut kept: Vec<(&Obj<'_>, Option<&str>)> = Vec::new();
        for o in keys {
            let before = kept
                .iter_mut()
                .find(|(k, _)| !matches!(o.what, What::PrimaryKey) && k.parts == o.parts);
            match before {
                Some((k, given)) => {
                    if k.is_ours() && given.is_none() {
                        *given = o.fixed;
                    }
                    if o.is_ours() {
                        chosen(o.at, None);
                    }
                }
                None => kept.push((o, None)),
            }
        }
        for (o, given) in kept {
            let name = match (o.fixed, given) {
                (Some(n), _) => n.to_owned(),
                (None, Some(g)) => {
                    chosen(o.at, None);
                    g.to_owned()
                }
                (None, None) => {
                    let name = match o.what {
                        What::PrimaryKey => ns.relation_name(table, None, "pkey", true),
                        _ => {
                            let cols = addition(&index_column_names(&o.parts));
                            ns.relation_name(table, Some(&cols), "key", true)
                        }
                    };
                    chosen(o.at, Some(name.clone()));
                    name
                }
            };
            ns.relations.insert(name.clone());
            ns.constraints.insert(name);
        }

        for (ci, o) in t.constraints.iter().enumerate() {
            if matches!(o.what, What::ForeignKey { .. }) && !deferred.contains(&(ti, ci)) {
                let name = foreign_key(t, o, ns, &mut chosen);
                ns.constraints.insert(name);
            }
        }

        for o in &t.indexes {
            let name = match o.fixed {
                Some(n) => n.to_owned(),
                None => {
                    let cols = addition(&index_column_names(&o.parts));
                    let name = ns.relation_name(table, Some(&cols), "idx", false);
                    chosen(o.at, Some(name.clone()));
                    name
                }
            };
            ns.relations.insert(name);
        }
    }
    for &(ti, ci) in &order.deferred {
        let Some(t) = views.get(ti) else { continue };
        let Some(o) = t.constraints.get(ci) else {
            continue;
        };
        let ns = spaces
            .entry(t.schema.unwrap_or(DEFAULT_SCHEMA))
            .or_default();
        let mut chosen = |at, name: Option<String>| {
            out.push(Chosen {
                table: ti,
                at,
                name,
            })
        };
        let name = foreign_key(t, o, ns, &mut chosen);
        ns.constraints.insert(name);
    }
    out
}

/// The name of foreign key `o` of `t`: its own, or the one PostgreSQL chooses.
fn foreign_key(
    t: &View<'_>,
    o: &Obj<'_>,
    ns: &Namespace,
    chosen: &mut impl FnMut(nomenclator::events::ObjectAt, Option<String>),
) -> String {
    match o.fixed {
        Some(n) => n.to_owned(),
        None => {
            let names: Vec<&str> = o.parts.iter().map(|p| p.text()).collect();
            let cols = addition(&names);
            let name = ns.constraint_name(ident(t.name), Some(&cols), "fkey");
            chosen(o.at, Some(name.clone()));
            name
        }
    }
}

/// The column a check is named after: the one column of the table its
/// expression uses, if it uses exactly one (PostgreSQL counts the
/// expression's column references, whatever the check was declared on).
pub(crate) fn check_column<'c>(sql: &str, columns: &[&'c str]) -> Option<&'c str> {
    let mut found: Option<&'c str> = None;
    for c in column_references(sql, columns) {
        match found {
            None => found = Some(c),
            Some(f) if f == c => {}
            Some(_) => return None,
        }
    }
    found
}

/// One token of a check's SQL, as far as finding column references goes.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// An identifier: unquoted ones folded to lower case, with whether it was quoted.
    Ident(String, bool),
    /// A string literal (any form).
    Str,
    /// `(`
    Open,
    /// `.`
    Dot,
    /// `)`
    Close,
    /// `[`
    OpenBracket,
    /// `]`
    CloseBracket,
    /// `,`
    Comma,
    /// `::`
    Cast,
    /// A number.
    Num,
    /// Anything else: operators, other punctuation, parameters.
    Other,
}

/// The columns of the table (among `columns`) that the expression `sql`
/// refers to, in order of appearance, with repeats: identifiers that name a
/// column, leaving out function names (followed by `(`), type names (after
/// `::` or `AS`, or before a string as in `date '2024-01-01'`), qualifiers
/// (followed by `.`) and unquoted reserved words.
fn column_references<'c>(sql: &str, columns: &[&'c str]) -> Vec<&'c str> {
    let toks = tokens(sql);
    let mut out = Vec::new();
    for (i, tok) in toks.iter().enumerate() {
        let Tok::Ident(word, quoted) = tok else {
            continue;
        };
        if !quoted && PostgreSql.is_reserved(word) {
            continue;
        }
        let next = toks.get(i + 1);
        if matches!(next, Some(Tok::Open | Tok::Dot | Tok::Str)) {
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| toks.get(p));
        if matches!(prev, Some(Tok::Cast)) {
            continue;
        }
        if let Some(Tok::Ident(p, false)) = prev {
            if p == "as" {
                continue;
            }
        }
        if let Some(c) = columns.iter().find(|c| ident(c) == ident(word)) {
            out.push(*c);
        }
    }
    out
}

/// Splits SQL into [`Tok`]s, skipping comments and whitespace.
fn tokens(sql: &str) -> Vec<Tok> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            _ if c.is_ascii_whitespace() => i += 1,
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                // Block comments nest.
                let mut depth = 0;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'\'' => {
                i = skip_string(b, i, false);
                out.push(Tok::Str);
            }
            b'"' => {
                let (word, end) = quoted_identifier(sql, i);
                out.push(Tok::Ident(word, true));
                i = end;
            }
            b'$' => {
                // $n parameters, or a $tag$ ... $tag$ string.
                let tag_end = b[i + 1..]
                    .iter()
                    .position(|&x| !(x.is_ascii_alphanumeric() || x == b'_' || x >= 0x80))
                    .map(|p| i + 1 + p);
                match tag_end {
                    Some(e)
                        if b[e] == b'$' && !b[i + 1..e].first().is_some_and(u8::is_ascii_digit) =>
                    {
                        let tag = &sql[i..=e];
                        let body = e + 1;
                        i = sql[body..]
                            .find(tag)
                            .map_or(b.len(), |p| body + p + tag.len());
                        out.push(Tok::Str);
                    }
                    _ => {
                        i += 1;
                        while i < b.len() && b[i].is_ascii_digit() {
                            i += 1;
                        }
                        out.push(Tok::Other);
                    }
                }
            }
            b'(' => {
                out.push(Tok::Open);
                i += 1;
            }
            b'.' if !b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                out.push(Tok::Dot);
                i += 1;
            }
            b':' if b.get(i + 1) == Some(&b':') => {
                out.push(Tok::Cast);
                i += 2;
            }
            _ if c.is_ascii_digit() || c == b'.' => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'_')
                {
                    i += 1;
                }
                out.push(Tok::Num);
            }
            _ if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                let start = i;
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric()
                        || b[i] == b'_'
                        || b[i] == b'$'
                        || b[i] >= 0x80)
                {
                    i += 1;
                }
                let word = &sql[start..i];
                // E'...', B'...', X'...', N'...' and U&'...' are strings.
                let prefixed = matches!(word.to_ascii_lowercase().as_str(), "e" | "b" | "x" | "n");
                if b.get(i) == Some(&b'\'') && prefixed {
                    i = skip_string(b, i, word.eq_ignore_ascii_case("e"));
                    out.push(Tok::Str);
                } else if word.eq_ignore_ascii_case("u") && b.get(i) == Some(&b'&') {
                    match b.get(i + 1) {
                        Some(b'\'') => {
                            i = skip_string(b, i + 1, false);
                            out.push(Tok::Str);
                        }
                        Some(b'"') => {
                            let (w, end) = quoted_identifier(sql, i + 1);
                            out.push(Tok::Ident(w, true));
                            i = end;
                        }
                        _ => out.push(Tok::Ident(word.to_ascii_lowercase(), false)),
                    }
                } else {
                    out.push(Tok::Ident(word.to_ascii_lowercase(), false));
                }
            }
            _ => {
                out.push(match c {
                    b')' => Tok::Close,
                    b'[' => Tok::OpenBracket,
                    b']' => Tok::CloseBracket,
                    b',' => Tok::Comma,
                    _ => Tok::Other,
                });
                i += 1;
            }
        }
    }
    out
}

/// The name PostgreSQL gives an index expression (`FigureIndexColname`),
/// or `None` where it gives none (and the index calls the part `expr`):
///
/// - a column, alone or qualified (`(email)`, `t.email`): its name;
/// - a function call (`lower(email)`, `s.f(x)`): the function's name
///   (`trim(...)` is `btrim`, `ltrim` or `rtrim`); `coalesce`, `greatest`,
///   `least`, `nullif`, `row`, `array`, `exists` and the like likewise;
/// - `current_date` and the other SQL value functions: their name;
/// - a cast (`x::text`, `CAST(x AS text)`): the name of what is cast if it
///   is one of the above, else the type's name as PostgreSQL spells it
///   (`int4` for `integer`, `varchar`, `float8`, `timestamptz`, ...);
/// - `CASE ... END`: the name of its `ELSE` result if that is one of the
///   first three, else `case`;
/// - `x COLLATE c`, and a subscript (`f(x)[1]`): the name of `x`, `f`;
/// - anything else (an operator, a constant, `IS NULL`): none.
///
/// ```
/// # use nomenclator_native::expression_name;
/// assert_eq!(expression_name("lower(email)").as_deref(), Some("lower"));
/// assert_eq!(expression_name("(price * 2)::integer").as_deref(), Some("int4"));
/// assert_eq!(expression_name("a + b"), None);
/// ```
pub fn expression_name(sql: &str) -> Option<String> {
    let toks = tokens(sql);
    figure(&toks)
        .filter(|(_, strength)| *strength > 0)
        .map(|(n, _)| n)
}

/// `FigureColnameInternal`: a name and how strong a claim it is (2 for a
/// column, a function, a value function; 1 for a type or `case`).
fn figure(toks: &[Tok]) -> Option<(String, u8)> {
    let toks = strip_parens(toks);
    let first = toks.first()?;
    // A trailing cast, COLLATE or subscript, at the top level.
    if let Some(at) = last_top_level(toks, |t| matches!(t, Tok::Cast)) {
        let ty = type_name(&toks[at + 1..])?;
        return Some(match figure(&toks[..at]) {
            Some((n, 2)) => (n, 2),
            _ => (ty, 1),
        });
    }
    if let Some(at) = last_top_level(
        toks,
        |t| matches!(t, Tok::Ident(w, false) if w == "collate"),
    ) {
        if toks[at + 1..]
            .iter()
            .all(|t| matches!(t, Tok::Ident(..) | Tok::Dot))
        {
            return figure(&toks[..at]);
        }
        return None;
    }
    if matches!(toks.last(), Some(Tok::CloseBracket)) {
        let open = matching_open(toks, toks.len() - 1, &Tok::OpenBracket, &Tok::CloseBracket)?;
        if matches!(toks.first(), Some(Tok::Ident(w, false)) if w == "array") && open == 1 {
            return Some(("array".into(), 2));
        }
        return figure(&toks[..open]);
    }
    if let Tok::Ident(w, false) = first {
        if w == "case" && matches!(toks.last(), Some(Tok::Ident(e, false)) if e == "end") {
            let body = &toks[1..toks.len() - 1];
            let named = last_top_level(body, |t| matches!(t, Tok::Ident(e, false) if e == "else"))
                .and_then(|at| figure(&body[at + 1..]))
                .filter(|(_, s)| *s == 2);
            return Some(named.unwrap_or(("case".into(), 1)));
        }
    }
    // A name, qualified or not, maybe called.
    let mut i = 0;
    let (name, quoted) = loop {
        let Some(Tok::Ident(w, quoted)) = toks.get(i) else {
            return None;
        };
        i += 1;
        match toks.get(i) {
            Some(Tok::Dot) => i += 1,
            _ => break (w.clone(), *quoted),
        }
    };
    if i == toks.len() {
        if quoted {
            return Some((name, 2));
        }
        return match name.as_str() {
            "current_date" | "current_time" | "current_timestamp" | "localtime"
            | "localtimestamp" | "current_role" | "current_user" | "session_user" | "user"
            | "current_catalog" | "current_schema" | "system_user" => Some((name, 2)),
            w if PostgreSql.is_reserved(w) => None,
            _ => Some((name, 2)),
        };
    }
    if toks.get(i) != Some(&Tok::Open)
        || matching_open(toks, toks.len() - 1, &Tok::Open, &Tok::Close) != Some(i)
    {
        return None;
    }
    let args = &toks[i + 1..toks.len() - 1];
    if quoted || i > 1 {
        return Some((name, 2));
    }
    Some(match name.as_str() {
        "cast" => {
            let at = last_top_level(args, |t| matches!(t, Tok::Ident(w, false) if w == "as"))?;
            let ty = type_name(&args[at + 1..])?;
            match figure(&args[..at]) {
                Some((n, 2)) => (n, 2),
                _ => (ty, 1),
            }
        }
        "trim" => {
            let side = match args.first() {
                Some(Tok::Ident(w, false)) if w == "leading" => "ltrim",
                Some(Tok::Ident(w, false)) if w == "trailing" => "rtrim",
                _ => "btrim",
            };
            (side.to_owned(), 2)
        }
        _ => (name, 2),
    })
}

/// `toks` without parentheses around the whole of it.
fn strip_parens(mut toks: &[Tok]) -> &[Tok] {
    while toks.len() >= 2
        && toks[0] == Tok::Open
        && matching_open(toks, toks.len() - 1, &Tok::Open, &Tok::Close) == Some(0)
    {
        toks = &toks[1..toks.len() - 1];
    }
    toks
}

/// Where the bracket closed at `close` opens.
fn matching_open(toks: &[Tok], close: usize, open: &Tok, shut: &Tok) -> Option<usize> {
    if toks.get(close) != Some(shut) {
        return None;
    }
    let mut depth = 0usize;
    for i in (0..=close).rev() {
        if &toks[i] == shut {
            depth += 1;
        } else if &toks[i] == open {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// The last token at the top level (outside brackets) for which `is` holds.
fn last_top_level(toks: &[Tok], is: impl Fn(&Tok) -> bool) -> Option<usize> {
    let mut depth = 0i32;
    let mut found = None;
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Open | Tok::OpenBracket => depth += 1,
            Tok::Close | Tok::CloseBracket => depth -= 1,
            t if depth == 0 && is(t) => found = Some(i),
            _ => {}
        }
    }
    found
}

/// The name of the type written as `toks` (after `::` or `AS`), as
/// PostgreSQL's grammar spells it; `None` when `toks` is not a type alone.
fn type_name(toks: &[Tok]) -> Option<String> {
    // Modifiers and array brackets say nothing of the name.
    let mut words = Vec::new();
    let mut depth = 0;
    for t in toks {
        match t {
            Tok::Open | Tok::OpenBracket => depth += 1,
            Tok::Close | Tok::CloseBracket => depth -= 1,
            _ if depth > 0 => {}
            Tok::Ident(w, q) => words.push((w.as_str(), *q)),
            Tok::Dot => {}
            _ => return None,
        }
    }
    let (last, quoted) = *words.last()?;
    if quoted
        || words.len() > 1
            && !matches!(
                words[0].0,
                "double" | "character" | "char" | "national" | "bit" | "timestamp" | "time"
            )
    {
        return Some(last.to_owned());
    }
    let with_zone = words.iter().any(|(w, _)| *w == "with");
    let varying = words.iter().any(|(w, _)| *w == "varying");
    Some(
        match words[0].0 {
            "int" | "integer" => "int4",
            "smallint" => "int2",
            "bigint" => "int8",
            "real" => "float4",
            "float" => "float8",
            "double" => "float8",
            "decimal" | "dec" | "numeric" => "numeric",
            "boolean" => "bool",
            "character" | "char" | "national" | "nchar" if varying => "varchar",
            "character" | "char" | "national" | "nchar" => "bpchar",
            "varchar" => "varchar",
            "bit" if varying => "varbit",
            "timestamp" if with_zone => "timestamptz",
            "time" if with_zone => "timetz",
            other => other,
        }
        .to_owned(),
    )
}

/// The end of the string literal opening at `i` (a `'`), with `''` as a
/// quote inside it and, for `E'...'`, backslash escapes.
fn skip_string(b: &[u8], mut i: usize, backslash: bool) -> usize {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' if backslash => i += 2,
            b'\'' if b.get(i + 1) == Some(&b'\'') => i += 2,
            b'\'' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// The identifier quoted at `i` (a `"`), with `""` as a quote inside it,
/// and where it ends.
fn quoted_identifier(sql: &str, i: usize) -> (String, usize) {
    let b = sql.as_bytes();
    let mut word = String::new();
    let mut j = i + 1;
    let mut start = j;
    while j < b.len() {
        if b[j] == b'"' {
            word.push_str(&sql[start..j]);
            if b.get(j + 1) == Some(&b'"') {
                word.push('"');
                j += 2;
                start = j;
                continue;
            }
            return (word, j + 1);
        }
        j += 1;
    }
    word.push_str(&sql[start..]);
    (word, b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_in_63_bytes_cutting_the_longer_part_first() {
        let t = "ledger_price_task_address_org_item_audit";
        let c = "note_post_project_group_tag_city";
        let n = make_object_name(t, Some(c), "key");
        assert_eq!(
            n,
            "ledger_price_task_address_org_note_post_project_group_tag_c_key"
        );
        assert_eq!(n.len(), 63);
        // A tie cuts the second part.
        assert_eq!(
            make_object_name(&"a".repeat(30), Some(&"b".repeat(30)), "check1"),
            format!("{}_{}_check1", "a".repeat(28), "b".repeat(27))
        );
    }

    #[test]
    fn cuts_never_split_a_character() {
        // Measured on PostgreSQL 15: 58 and 60 bytes of two-byte letters.
        let t = "é".repeat(29);
        let c = "ü".repeat(30);
        assert_eq!(
            make_object_name(&t, Some(&c), "key"),
            format!("{}_{}_key", "é".repeat(14), "ü".repeat(14))
        );
    }

    #[test]
    fn repeated_index_columns_are_numbered() {
        let cols = [
            Part::Column("a"),
            Part::Column("a"),
            Part::Column("b"),
            Part::Column("a"),
        ];
        assert_eq!(index_column_names(&cols), ["a", "a1", "b", "a2"]);
        assert_eq!(addition(&index_column_names(&cols[..2])), "a_a1");
        // Measured on PostgreSQL 15: (c, (a + b), (b + c)) is `c_expr_expr1`.
        let exprs = [
            Part::Column("c"),
            Part::Expression("a + b"),
            Part::Expression("(b + c)"),
            Part::Expression("lower(d)"),
        ];
        assert_eq!(index_column_names(&exprs), ["c", "expr", "expr1", "lower"]);
    }

    #[test]
    fn expressions_are_named_after_what_they_compute() {
        let name = |e: &str| expression_name(e);
        for (e, n) in [
            ("lower(email)", Some("lower")),
            ("public.f(x, y)", Some("f")),
            ("\"Mixed\"(x)", Some("Mixed")),
            ("(email)", Some("email")),
            ("t.email", Some("email")),
            ("\"Email\"", Some("Email")),
            ("a + b", None),
            ("(a + b)", None),
            ("-a", None),
            ("a IS NULL", None),
            ("1", None),
            ("a::text", Some("a")),
            ("(a + b)::integer", Some("int4")),
            ("'x'::character varying(3)", Some("varchar")),
            ("(a + b)::double precision", Some("float8")),
            ("(a + b)::timestamp with time zone", Some("timestamptz")),
            ("(a || b)::public.my_type[]", Some("my_type")),
            ("CAST(a + b AS bigint)", Some("int8")),
            ("cast(lower(a) AS text)", Some("lower")),
            ("lower(a)::text || 'x'", None),
            ("CASE WHEN a > 0 THEN b ELSE c END", Some("c")),
            ("CASE WHEN a > 0 THEN b END", Some("case")),
            ("coalesce(a, b)", Some("coalesce")),
            ("trim(both ' ' from a)", Some("btrim")),
            ("TRIM(LEADING 'x' FROM a)", Some("ltrim")),
            ("current_date", Some("current_date")),
            ("a COLLATE \"C\"", Some("a")),
            (
                "(regexp_split_to_array(a, ','))[1]",
                Some("regexp_split_to_array"),
            ),
            ("ARRAY[a, b]", Some("array")),
            ("null", None),
        ] {
            assert_eq!(name(e).as_deref(), n, "{e}");
        }
    }

    #[test]
    fn a_check_is_named_after_its_one_column() {
        let cols = ["a", "b", "Mixed", "date", "lower"];
        assert_eq!(check_column("a > 0", &cols), Some("a"));
        assert_eq!(check_column("a > 0 AND a < 10", &cols), Some("a"));
        assert_eq!(check_column("a > b", &cols), None);
        assert_eq!(check_column("1 = 1", &cols), None);
        assert_eq!(check_column(r#""Mixed" IS NOT NULL"#, &cols), Some("Mixed"));
        // Unquoted names fold to lower case: `Mixed` is not the column "Mixed".
        assert_eq!(check_column("Mixed IS NOT NULL", &cols), None);
        assert_eq!(check_column("A > 0", &cols), Some("a"));
        // Function names, type names, strings and comments are not columns.
        assert_eq!(check_column("lower(b) <> ''", &cols), Some("b"));
        assert_eq!(
            check_column("b::date > date '2020-01-01'", &cols),
            Some("b")
        );
        assert_eq!(check_column("b <> 'a' -- a\n", &cols), Some("b"));
        assert_eq!(check_column("b <> E'\\'a' /* a */", &cols), Some("b"));
        assert_eq!(check_column("b <> $$a$$ AND date > b", &cols), None);
        assert_eq!(check_column("b <> $x$a$x$", &cols), Some("b"));
        assert_eq!(
            check_column("CAST(b AS date) IS NOT NULL", &cols),
            Some("b")
        );
        assert_eq!(check_column("t.b > 0", &cols), Some("b"));
    }
}
