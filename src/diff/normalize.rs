//! Comparable forms of what a server rewrites: types, defaults, check
//! expressions, index expressions and view queries.
//!
//! A catalog gives back `character varying(40)` for `VARCHAR(40)`,
//! `CHECK ((price > '-1'::integer))` for `CHECK (price > -1)` and
//! `` `price` > 0 `` on MariaDB. Two texts are the same definition when
//! their normal forms are equal: identifiers unquoted, words in lower case,
//! PostgreSQL's casts and the parentheses servers add left out,
//! `= ANY (ARRAY[...])` read as `IN (...)`.

use crate::dialect::Dialect;
use crate::schema::{ColumnType, DialectKind};

/// The comparable form of a column type on `dialect`.
pub(crate) fn type_key(dialect: &dyn Dialect, ty: &ColumnType, auto_increment: bool) -> String {
    let written = if auto_increment {
        dialect.auto_increment_type_sql(ty)
    } else {
        dialect.type_sql(ty)
    };
    let text = match written {
        Ok(t) => t,
        Err(_) => ty.to_string(),
    };
    // Read the text back and write it again: a catalog spelling the
    // dialect parses becomes the dialect's own.
    let again = match dialect.parse_type(&text) {
        _ if auto_increment => text,
        ColumnType::Other(_) => text,
        portable => dialect.type_sql(&portable).unwrap_or(text),
    };
    let words = squash(&again.to_ascii_lowercase());
    let words = words.replace(" (", "(").replace(", ", ",");
    match dialect.kind() {
        DialectKind::PostgreSql => pg_type_alias(&words),
        DialectKind::MySql | DialectKind::MariaDb => mysql_type_alias(&words),
        _ => words,
    }
}

fn pg_type_alias(t: &str) -> String {
    let (base, rest) = match t.find('(') {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, ""),
    };
    let base = match base.trim() {
        "character varying" => "varchar",
        "character" | "bpchar" => "char",
        "int" | "int4" | "serial" | "serial4" => "integer",
        "int8" | "bigserial" | "serial8" => "bigint",
        "int2" | "smallserial" | "serial2" => "smallint",
        "float8" | "double precision" | "float" => "double precision",
        "float4" => "real",
        "bool" => "boolean",
        "decimal" => "numeric",
        "timestamp without time zone" => "timestamp",
        "timestamp with time zone" => "timestamptz",
        "time without time zone" => "time",
        "time with time zone" => "timetz",
        other => other,
    };
    format!("{base}{rest}")
}

fn mysql_type_alias(t: &str) -> String {
    let (base, rest) = match t.find('(') {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, ""),
    };
    let base = base.trim();
    // Display widths of integer types say nothing about their values.
    let rest = match base {
        "int" | "integer" | "bigint" | "smallint" | "mediumint" => {
            if rest.starts_with('(') {
                rest.split_once(')').map(|(_, r)| r).unwrap_or("")
            } else {
                rest
            }
        }
        // No fractional seconds is the default precision.
        "timestamp" | "datetime" | "time" if rest.starts_with("(0)") => &rest[3..],
        _ => rest,
    };
    let base = match base {
        "integer" => "int",
        "bool" | "boolean" => return "tinyint(1)".into(),
        "numeric" | "dec" | "fixed" => "decimal",
        "double precision" | "real" => "double",
        other => other,
    };
    format!("{base}{}", rest.trim_end())
}

/// The comparable form of a server default; `None` for none (or `NULL`).
///
/// MySQL and MariaDB keep a boolean's `TRUE` as `1` and write
/// `CURRENT_DATE` as `curdate()`; every server may write a decimal's
/// default with the column's scale (`0.0000` for `0`).
pub(crate) fn default_key(dialect: &dyn Dialect, default: Option<&str>) -> Option<String> {
    let d = default?;
    let mysql = matches!(dialect.kind(), DialectKind::MySql | DialectKind::MariaDb);
    let key = expr_key(dialect, d);
    let words: Vec<&str> = key
        .split(' ')
        .map(|w| match w {
            "now" => "current_timestamp",
            // Synonyms on MySQL; elsewhere a timestamp without a time zone.
            "localtimestamp" | "localtime" if mysql => "current_timestamp",
            "curdate" if mysql => "current_date",
            "curtime" if mysql => "current_time",
            "true" if mysql => "1",
            "false" if mysql => "0",
            w => w,
        })
        .collect();
    let key = words.join(" ");
    (key != "null" && !key.is_empty()).then_some(key)
}

/// The comparable form of an SQL expression (a check, an index part, a
/// predicate, a default).
pub(crate) fn expr_key(dialect: &dyn Dialect, sql: &str) -> String {
    let kind = dialect.kind();
    let mut tokens = tokens(sql, kind);
    if kind == DialectKind::PostgreSql {
        tokens = pg_spellings(strip_casts(tokens));
    }
    if matches!(kind, DialectKind::MySql | DialectKind::MariaDb) {
        mysql_spellings(&mut tokens);
        position_as_locate(&mut tokens);
    }
    let mut tokens = join_signs(tokens);
    tokens.retain(|t| t != "(" && t != ")");
    any_array_as_in(&mut tokens);
    for t in &mut tokens {
        if let Some(n) = decimal(t) {
            *t = n;
        }
    }
    tokens.join(" ")
}

/// MariaDB keeps a check in its own spelling: `length(x)` as
/// `octet_length(x)`, `lower` as `lcase`, `upper` as `ucase`,
/// `substring` as `substr`, `a % b` as `a MOD b`.
fn mysql_spellings(tokens: &mut [String]) {
    for i in 0..tokens.len() {
        let call = tokens.get(i + 1).is_some_and(|t| t == "(");
        let own = match tokens[i].as_str() {
            "length" if call => "octet_length",
            "lower" if call => "lcase",
            "upper" if call => "ucase",
            "substring" if call => "substr",
            "%" => "mod",
            _ => continue,
        };
        tokens[i] = own.to_owned();
    }
}

/// PostgreSQL keeps `LIKE` and `ILIKE` as their operators (`~~`, `~~*`,
/// `!~~` for `NOT LIKE`) and `a BETWEEN x AND y` as `a >= x AND a <= y`
/// (`NOT BETWEEN` as `a < x OR a > y`): written so, as the tokenizer reads
/// what the server prints.
fn pg_spellings(tokens: Vec<String>) -> Vec<String> {
    // Every check and default of both sides passes here: most have none.
    if !tokens
        .iter()
        .any(|t| matches!(t.as_str(), "like" | "ilike" | "between"))
    {
        return tokens;
    }
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    for t in tokens {
        let op: &[&str] = match t.as_str() {
            "like" => &["~", "~"],
            "ilike" => &["~", "~", "*"],
            _ => {
                out.push(t);
                continue;
            }
        };
        if out.last().is_some_and(|l| l == "not") {
            out.pop();
            out.push("!".into());
        }
        out.extend(op.iter().map(|s| (*s).to_owned()));
    }
    while let Some(at) = out.iter().position(|t| t == "between") {
        match between(&out, at) {
            Some((range, spelled)) => {
                out.splice(range, spelled);
            }
            None => break,
        }
    }
    out
}

/// `a BETWEEN x AND y` at `tokens[at]` (`between`) spelled with `>=` and
/// `<=`: the tokens it covers and those that replace them; `None` when the
/// operands cannot be told.
fn between(tokens: &[String], at: usize) -> Option<(std::ops::Range<usize>, Vec<String>)> {
    let negated = at > 0 && tokens[at - 1] == "not";
    let end_of_operand = if negated {
        at.checked_sub(2)?
    } else {
        at.checked_sub(1)?
    };
    // The operand: a word, or a parenthesised group (with its function's name).
    let mut start = end_of_operand;
    if tokens[end_of_operand] == ")" {
        let mut depth = 0;
        loop {
            match tokens[start].as_str() {
                ")" => depth += 1,
                "(" => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                break;
            }
            start = start.checked_sub(1)?;
        }
        let word = |t: &str| {
            t.chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        };
        if start > 0
            && word(&tokens[start - 1])
            && !matches!(tokens[start - 1].as_str(), "and" | "or" | "not")
        {
            start -= 1;
        }
    }
    let operand = &tokens[start..=end_of_operand];
    // The bounds: up to the `and` at this depth, then up to the end of the
    // expression (`and`, `or`, a closing parenthesis, or the end).
    let bound = |from: usize, stop_at_and: bool| -> Option<usize> {
        let mut depth = 0i32;
        let mut i = from;
        while i < tokens.len() {
            match tokens[i].as_str() {
                "(" => depth += 1,
                ")" if depth == 0 => return (!stop_at_and).then_some(i),
                ")" => depth -= 1,
                "and" if depth == 0 => return Some(i),
                "or" if depth == 0 && !stop_at_and => return Some(i),
                _ => {}
            }
            i += 1;
        }
        (!stop_at_and).then_some(i)
    };
    let and = bound(at + 1, true)?;
    let end = bound(and + 1, false)?;
    let (low, high) = (&tokens[at + 1..and], &tokens[and + 1..end]);
    if low.is_empty() || high.is_empty() {
        return None;
    }
    let (first, join, second) = if negated {
        ("<", "or", ">")
    } else {
        (">=", "and", "<=")
    };
    let mut spelled: Vec<String> = operand.to_vec();
    spelled.push(first.into());
    spelled.extend_from_slice(low);
    spelled.push(join.into());
    spelled.extend_from_slice(operand);
    spelled.push(second.into());
    spelled.extend_from_slice(high);
    Some((start..end, spelled))
}

/// MariaDB keeps `position(x IN y)` as `locate(x, y)`.
fn position_as_locate(tokens: &mut [String]) {
    let mut i = 0;
    while i + 1 < tokens.len() {
        if tokens[i] == "position" && tokens[i + 1] == "(" {
            let mut depth = 0;
            for j in i + 1..tokens.len() {
                match tokens[j].as_str() {
                    "(" => depth += 1,
                    ")" => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    "in" if depth == 1 => {
                        tokens[i] = "locate".into();
                        tokens[j] = ",".into();
                        break;
                    }
                    _ => {}
                }
            }
        }
        i += 1;
    }
}

/// A decimal number without the zeros its scale adds (`0.0000` is `0`,
/// `-1.50` is `-1.5`); `None` for any other token.
fn decimal(t: &str) -> Option<String> {
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (whole, frac) = digits.split_once('.')?;
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let frac = frac.trim_end_matches('0');
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let sign = if t.starts_with('-') && (whole != "0" || !frac.is_empty()) {
        "-"
    } else {
        ""
    };
    Some(if frac.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac}")
    })
}

/// The comparable form of a view's query: [`expr_key`], with qualifiers
/// of columns (`t.a`) left out and no trailing `;`.
pub(crate) fn view_key(dialect: &dyn Dialect, sql: &str) -> String {
    let key = expr_key(dialect, sql.trim().trim_end_matches(';'));
    let words: Vec<&str> = key.split(' ').collect();
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        if i + 2 < words.len() && words[i + 1] == "." && is_word(words[i]) {
            i += 2;
            continue;
        }
        // A column named as itself (MariaDB writes `t.a AS a`).
        if words[i] == "as"
            && out.last() == words.get(i + 1)
            && words.get(i + 1).is_some_and(|w| is_word(w))
        {
            i += 2;
            continue;
        }
        out.push(words[i]);
        i += 1;
    }
    out.join(" ")
}

fn is_word(t: &str) -> bool {
    t.chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        && !t.is_empty()
}

/// Words in lower case, identifiers unquoted, strings kept as written,
/// `!=` as `<>`.
fn tokens(sql: &str, kind: DialectKind) -> Vec<String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            let start = i;
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                if chars[i] == '\\' && matches!(kind, DialectKind::MySql | DialectKind::MariaDb) {
                    i += 1;
                }
                i += 1;
            }
            i = (i + 1).min(chars.len());
            out.push(chars[start..i].iter().collect());
        } else if c == '"' || c == '`' || c == '[' && kind == DialectKind::Sqlite {
            let close = if c == '[' { ']' } else { c };
            let mut word = String::new();
            i += 1;
            while i < chars.len() {
                if chars[i] == close {
                    if chars.get(i + 1) == Some(&close) && close != ']' {
                        word.push(close);
                        i += 2;
                        continue;
                    }
                    break;
                }
                word.push(chars[i]);
                i += 1;
            }
            i += 1;
            out.push(identifier(word, kind));
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            // A number's decimal part.
            if c.is_ascii_digit() && chars.get(i) == Some(&'.') {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let word: String = chars[start..i].iter().collect();
            out.push(word.to_lowercase());
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let op = match two.as_str() {
                "!=" => Some("<>"),
                "<>" | "<=" | ">=" | "::" | "||" => Some(two.as_str()),
                _ => None,
            };
            match op {
                Some(op) => {
                    out.push(op.to_owned());
                    i += 2;
                }
                None => {
                    out.push(c.to_string());
                    i += 1;
                }
            }
        }
    }
    out
}

/// A quoted identifier: as written, except where the server compares
/// names without case (MySQL, SQLite), or where PostgreSQL's lower-case
/// name needed no quotes.
fn identifier(word: String, kind: DialectKind) -> String {
    match kind {
        DialectKind::PostgreSql => word,
        _ => word.to_lowercase(),
    }
}

/// Leaves out PostgreSQL's `::type` casts (`'a'::character varying`,
/// `(x)::text`, `'{}'::integer[]`).
fn strip_casts(tokens: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i] == "::" {
            i += 1;
            // The type: words (`character varying`, `double precision`),
            // a `(n)` modifier, `[]`.
            // A type in another schema is qualified (`'a'::s1.post_state`).
            while i < tokens.len()
                && (is_word(&tokens[i]) && !is_keyword_after_cast(&tokens[i])
                    || tokens[i] == "." && tokens.get(i + 1).is_some_and(|t| is_word(t)))
            {
                i += 1;
                if i < tokens.len() && tokens[i] == "(" {
                    while i < tokens.len() && tokens[i] != ")" {
                        i += 1;
                    }
                    i += 1;
                }
            }
            while i + 1 < tokens.len() && tokens[i] == "[" && tokens[i + 1] == "]" {
                i += 2;
            }
            continue;
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    // A number PostgreSQL quoted to cast it ('-1'::integer) is the number.
    for t in &mut out {
        if t.len() > 2 && t.starts_with('\'') && t.ends_with('\'') {
            let inner = &t[1..t.len() - 1];
            if inner.parse::<f64>().is_ok() && !inner.contains(['e', 'E', ' ']) {
                *t = inner.to_owned();
            }
        }
    }
    out
}

/// Words that end a cast's type name rather than continue it.
fn is_keyword_after_cast(w: &str) -> bool {
    matches!(
        w,
        "and" | "or" | "not" | "is" | "in" | "like" | "between" | "then" | "else" | "end" | "when"
    )
}

/// `-` `1` after an operator, a `(` or at the start: `-1`.
fn join_signs(tokens: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let unary = tokens[i] == "-"
            && out
                .last()
                .is_none_or(|p| !is_word(p) && p != ")" && !p.starts_with('\''));
        if unary
            && tokens
                .get(i + 1)
                .is_some_and(|n| n.chars().next().is_some_and(|c| c.is_ascii_digit()))
        {
            out.push(format!("-{}", tokens[i + 1]));
            i += 2;
            continue;
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

/// PostgreSQL writes `x IN (a, b)` as `x = ANY (ARRAY[a, b])` and
/// `x NOT IN (...)` as `x <> ALL (ARRAY[...])`.
fn any_array_as_in(tokens: &mut Vec<String>) {
    let mut i = 0;
    while i + 3 < tokens.len() {
        let (op, quant) = (tokens[i].as_str(), tokens[i + 1].as_str());
        let replacement = match (op, quant) {
            ("=", "any") => Some(vec!["in".to_owned()]),
            ("<>", "all") => Some(vec!["not".to_owned(), "in".to_owned()]),
            _ => None,
        };
        if let (Some(rep), true) = (
            replacement,
            tokens[i + 2] == "array" && tokens[i + 3] == "[",
        ) {
            let n = rep.len();
            tokens.splice(i..i + 4, rep);
            let mut depth = 0;
            let mut j = i + n;
            while j < tokens.len() {
                match tokens[j].as_str() {
                    "[" => depth += 1,
                    "]" if depth == 0 => {
                        tokens.remove(j);
                        break;
                    }
                    "]" => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            i += n;
            continue;
        }
        i += 1;
    }
}

/// Runs of white space as one space.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether changing a column from type `from` to type `to` keeps every
/// value: a longer string, a wider integer, a larger decimal, `text`.
pub(crate) fn widens(from: &str, to: &str) -> bool {
    fn split(t: &str) -> (&str, Vec<u64>) {
        match t.split_once('(') {
            Some((b, rest)) => (
                b.trim(),
                rest.trim_end_matches(')')
                    .split(',')
                    .filter_map(|n| n.trim().parse().ok())
                    .collect(),
            ),
            None => (t.trim(), Vec::new()),
        }
    }
    // MySQL's ENUM and SET: every value kept.
    let values = |t: &str, head: &str| -> Option<Vec<String>> {
        let inner = t
            .strip_prefix(head)?
            .trim_start()
            .strip_prefix('(')?
            .strip_suffix(')')?;
        let mut out = Vec::new();
        let mut rest = inner.trim();
        while !rest.is_empty() {
            let body = rest.strip_prefix('\'')?;
            let mut value = String::new();
            let mut chars = body.char_indices();
            let end = loop {
                let (i, c) = chars.next()?;
                if c == '\'' {
                    if body[i + 1..].starts_with('\'') {
                        value.push('\'');
                        chars.next();
                        continue;
                    }
                    break i + 1;
                }
                value.push(c);
            };
            out.push(value);
            rest = body[end..].trim_start();
            rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
        }
        Some(out)
    };
    for head in ["enum", "set"] {
        if let (Some(a), Some(b)) = (values(from, head), values(to, head)) {
            return a.iter().all(|v| b.contains(v));
        }
    }
    let (fb, fa) = split(from);
    let (tb, ta) = split(to);
    let rank = |b: &str| match b {
        "tinyint" => Some(1),
        "smallint" => Some(2),
        "mediumint" => Some(3),
        "int" | "integer" => Some(4),
        "bigint" => Some(5),
        _ => None,
    };
    let stringy = |b: &str| matches!(b, "varchar" | "char" | "character varying" | "nvarchar");
    match (rank(fb), rank(tb)) {
        (Some(a), Some(b)) => return b >= a,
        (Some(_), None) if matches!(tb, "numeric" | "decimal") => {
            return ta.is_empty() || ta[0] >= 20
        }
        _ => {}
    }
    if stringy(fb) && matches!(tb, "text" | "mediumtext" | "longtext" | "clob") {
        return true;
    }
    // MySQL's text and blob sizes: each holds what the smaller ones hold.
    let size = |b: &str| match b {
        "tinytext" | "tinyblob" => Some((b.ends_with("text"), 1)),
        "text" | "blob" => Some((b.ends_with("text"), 2)),
        "mediumtext" | "mediumblob" => Some((b.ends_with("text"), 3)),
        "longtext" | "longblob" => Some((b.ends_with("text"), 4)),
        _ => None,
    };
    if let (Some((text_a, a)), Some((text_b, b))) = (size(fb), size(tb)) {
        return text_a == text_b && b >= a;
    }
    if stringy(fb) && stringy(tb) {
        return match (fa.first(), ta.first()) {
            (_, None) => true,
            (Some(a), Some(b)) => b >= a,
            (None, Some(_)) => false,
        };
    }
    if matches!(fb, "numeric" | "decimal") && fb == tb {
        let (p1, s1) = (fa.first().copied(), fa.get(1).copied().unwrap_or(0));
        let (p2, s2) = (ta.first().copied(), ta.get(1).copied().unwrap_or(0));
        return match (p1, p2) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(p1), Some(p2)) => s2 >= s1 && p2 - s2.min(p2) >= p1 - s1.min(p1),
        };
    }
    matches!((fb, tb), ("real", "double precision") | ("float", "double"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::{MariaDb, PostgreSql, Sqlite};

    #[test]
    fn postgresql_spellings_of_one_type_are_one_type() {
        let d = &PostgreSql;
        let a = type_key(d, &ColumnType::Other("character varying(40)".into()), false);
        let b = type_key(d, &ColumnType::parse("varchar(40)"), false);
        assert_eq!(a, b);
        assert_eq!(
            type_key(
                d,
                &ColumnType::Other("timestamp without time zone".into()),
                false
            ),
            type_key(d, &ColumnType::parse("timestamp"), false)
        );
        assert_ne!(
            type_key(d, &ColumnType::parse("varchar(40)"), false),
            type_key(d, &ColumnType::parse("varchar(80)"), false)
        );
    }

    #[test]
    fn mysql_display_widths_do_not_count() {
        let d = &MariaDb;
        assert_eq!(
            type_key(d, &ColumnType::Other("int(11)".into()), false),
            type_key(d, &ColumnType::parse("integer"), false)
        );
        assert_eq!(
            type_key(d, &ColumnType::Other("bigint(20)".into()), false),
            type_key(d, &ColumnType::parse("bigint"), false)
        );
        // MySQL's own timestamp, as reflect writes it, is the catalog's.
        assert_eq!(
            type_key(d, &ColumnType::parse("timestamp(0)"), false),
            type_key(d, &ColumnType::Other("timestamp".into()), false)
        );
        assert_ne!(
            type_key(d, &ColumnType::parse("timestamp(0)"), false),
            type_key(d, &ColumnType::parse("timestamp"), false)
        );
    }

    #[test]
    fn checks_compare_as_the_server_rewrites_them() {
        let pg = &PostgreSql;
        // BETWEEN, LIKE and ILIKE as PostgreSQL keeps them.
        assert_eq!(
            expr_key(pg, "((percent_off >= 1) AND (percent_off <= 100))"),
            expr_key(pg, "percent_off BETWEEN 1 AND 100")
        );
        assert_eq!(
            expr_key(pg, "((length(code) < 2) OR (length(code) > 8)) AND (x > 0)"),
            expr_key(pg, "length(code) NOT BETWEEN 2 AND 8 AND x > 0")
        );
        assert_eq!(
            expr_key(pg, "((email)::text ~~ '%@%'::text)"),
            expr_key(pg, "email LIKE '%@%'")
        );
        assert_eq!(
            expr_key(pg, "((sku)::text !~~* 'x%'::text)"),
            expr_key(pg, "sku NOT ILIKE 'x%'")
        );
        assert_ne!(
            expr_key(pg, "percent_off BETWEEN 1 AND 100"),
            expr_key(pg, "percent_off BETWEEN 1 AND 99")
        );
        // MariaDB's locate for position.
        assert_eq!(
            expr_key(&MariaDb, "locate('@',`email`) > 0"),
            expr_key(&MariaDb, "position('@' in email) > 0")
        );
        assert_eq!(
            expr_key(pg, "(price > '-1000000'::integer)"),
            expr_key(pg, "price > -1000000")
        );
        assert_eq!(
            expr_key(pg, "((a IS NOT NULL))"),
            expr_key(pg, "a IS NOT NULL")
        );
        assert_eq!(
            expr_key(
                pg,
                "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"
            ),
            expr_key(pg, "status IN ('a', 'b')")
        );
        assert_ne!(expr_key(pg, "a > 1"), expr_key(pg, "a > 2"));
        assert_ne!(expr_key(pg, "a > 1"), expr_key(pg, "a < 1"));
        let my = &MariaDb;
        assert_eq!(expr_key(my, "`price` > 0"), expr_key(my, "price > 0"));
        let lite = &Sqlite;
        assert_eq!(expr_key(lite, "\"a\" != 1"), expr_key(lite, "a <> 1"));
    }

    #[test]
    fn defaults_compare_without_casts_and_call_parentheses() {
        let pg = &PostgreSql;
        assert_eq!(
            default_key(pg, Some("'x'::character varying")),
            default_key(pg, Some("'x'"))
        );
        assert_eq!(default_key(pg, Some("NULL")), None);
        // An enumerated type's value, its type in another schema.
        assert_eq!(
            default_key(pg, Some("'draft'::s1.post_state")),
            default_key(pg, Some("'draft'"))
        );
        assert_eq!(
            default_key(pg, Some("'x'::note_state")),
            default_key(pg, Some("'x'"))
        );
        let my = &MariaDb;
        assert_eq!(
            default_key(my, Some("current_timestamp()")),
            default_key(my, Some("CURRENT_TIMESTAMP"))
        );
        assert_ne!(default_key(my, Some("'a'")), default_key(my, Some("'b'")));
        // What MariaDB's catalog says for what a document writes.
        for (catalog, written) in [
            ("1", "TRUE"),
            ("0", "false"),
            ("curdate()", "CURRENT_DATE"),
            ("0.0000", "0"),
            ("-1.50", "-1.5"),
            ("current_timestamp(6)", "CURRENT_TIMESTAMP(6)"),
        ] {
            assert_eq!(
                default_key(my, Some(catalog)),
                default_key(my, Some(written)),
                "{written}"
            );
        }
        assert_ne!(default_key(my, Some("1")), default_key(my, Some("FALSE")));
        assert_ne!(
            default_key(my, Some("0.0100")),
            default_key(my, Some("0.1"))
        );
        assert_ne!(default_key(my, Some("10")), default_key(my, Some("1")));
        // Elsewhere TRUE is not 1, nor LOCALTIMESTAMP CURRENT_TIMESTAMP.
        assert_ne!(default_key(pg, Some("1")), default_key(pg, Some("true")));
        assert_ne!(
            default_key(pg, Some("LOCALTIMESTAMP")),
            default_key(pg, Some("CURRENT_TIMESTAMP"))
        );
        assert_eq!(
            default_key(my, Some("localtimestamp()")),
            default_key(my, Some("CURRENT_TIMESTAMP"))
        );
    }

    #[test]
    fn mariadb_checks_compare_in_its_own_spelling() {
        let my = &MariaDb;
        assert_eq!(
            expr_key(
                my,
                "octet_length(`name`) <= 40 and lcase(`name`) <> 'x' and `id` MOD 2 = 0"
            ),
            expr_key(
                my,
                "length(name) <= 40 AND lower(name) <> 'x' AND id % 2 = 0"
            )
        );
        assert_eq!(
            expr_key(my, "substr(`name`,1,2) <> 'ab' and ucase(`name`) <> 'Y'"),
            expr_key(my, "substring(name, 1, 2) <> 'ab' AND upper(name) <> 'Y'")
        );
        // A column called length is not the function.
        assert_ne!(expr_key(my, "length > 0"), expr_key(my, "octet_length > 0"));
        // PostgreSQL keeps length.
        assert_ne!(
            expr_key(&PostgreSql, "length(name) < 4"),
            expr_key(&PostgreSql, "octet_length(name) < 4")
        );
    }

    #[test]
    fn views_compare_without_column_qualifiers() {
        let pg = &PostgreSql;
        assert_eq!(
            view_key(pg, " SELECT note.id,\n    note.body\n   FROM note;"),
            view_key(pg, "SELECT id, body FROM note")
        );
        let my = &MariaDb;
        assert_eq!(
            view_key(
                my,
                "select `db`.`t`.`id` AS `id`,`db`.`t`.`a` AS `flag` from `db`.`t` where `db`.`t`.`id` > 1"
            ),
            view_key(my, "SELECT id, a AS flag FROM t WHERE id > 1")
        );
        assert_ne!(
            view_key(my, "select `t`.`a` AS `b` from `t`"),
            view_key(my, "SELECT a FROM t")
        );
    }

    #[test]
    fn widening_keeps_values_and_narrowing_does_not() {
        assert!(widens("varchar(40)", "varchar(80)"));
        assert!(!widens("varchar(80)", "varchar(40)"));
        assert!(widens("integer", "bigint"));
        assert!(widens("smallint", "integer"));
        assert!(!widens("bigint", "integer"));
        assert!(widens("numeric(10,2)", "numeric(12,2)"));
        assert!(!widens("numeric(10,2)", "numeric(10,3)"));
        assert!(!widens("text", "integer"));
        assert!(widens("tinytext", "text") && widens("blob", "longblob"));
        assert!(widens("enum('a','b')", "enum('a','b','c')"));
        assert!(widens("enum('it''s','b')", "enum('b', 'it''s')"));
        assert!(!widens("enum('a','b')", "enum('a','c')"));
        assert!(widens("set('x')", "set('x','y')"));
        assert!(!widens("mediumtext", "text") && !widens("tinyblob", "tinytext"));
    }
}
