//! Naming templates: parsed once into literal text and typed tokens.

use std::fmt;

use once_cell::sync::Lazy;
use regex::Regex;

use crate::schema::Kind;
use crate::text::abbrev;

/// `[referred_]column_<0N|0_N|digits>_<name|key|label>`, compiled once.
static COLUMN_TOKEN: Lazy<Regex> = Lazy::new(|| {
    // A constant pattern: `token_pattern_compiles` below proves it valid,
    // so this cannot fail at run time.
    Regex::new(r"^(?P<referred>referred_)?column_(?P<sel>0N|0_N|\d+)_(?P<attr>name|key|label)$")
        .expect("the column-token pattern is valid")
});

/// Which column value a column token reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColumnAttr {
    /// The column's name.
    Name,
    /// The column's key (default: its name).
    Key,
    /// `<table>_<column>`, or `<schema>_<table>_<column>`.
    Label,
}

/// Which of the constraint's columns a column token reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Selector {
    /// The X-th column (`column_X_...`), 0-based.
    At(usize),
    /// All columns joined with no separator (`column_0N_...`).
    Concat,
    /// All columns joined with `_` (`column_0_N_...`).
    Joined,
}

/// A token of a naming template.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Token {
    /// `table_name`
    TableName,
    /// `constraint_name`: the explicit name; an unnamed constraint is an error.
    ConstraintName,
    /// `referred_table_name` (foreign keys)
    ReferredTableName,
    /// `column_X_name`, `column_0N_key`, `column_0_N_label`, ...
    Column(ColumnAttr, Selector),
    /// `referred_column_X_name`, `referred_column_0N_name`, `referred_column_0_N_name` (foreign keys)
    ReferredColumn(Selector),
    /// A token supplied by a plugin's [`TokenProvider`](crate::TokenProvider).
    Custom(String),
}

impl Token {
    /// Parses a built-in token name; anything else is [`Token::Custom`].
    pub fn parse(name: &str) -> Token {
        match name {
            "table_name" => return Token::TableName,
            "constraint_name" => return Token::ConstraintName,
            "referred_table_name" => return Token::ReferredTableName,
            _ => {}
        }
        match Self::parse_column(name) {
            Some((false, attr, sel)) => Token::Column(attr, sel),
            Some((true, ColumnAttr::Name, sel)) => Token::ReferredColumn(sel),
            _ => Token::Custom(name.to_owned()),
        }
    }

    /// Reads `[referred_]column_<0N|0_N|digits>_<name|key|label>`: whether
    /// it is `referred_`, the attribute and the selector.
    fn parse_column(name: &str) -> Option<(bool, ColumnAttr, Selector)> {
        let c = COLUMN_TOKEN.captures(name)?;
        let attr = match c.name("attr")?.as_str() {
            "name" => ColumnAttr::Name,
            "key" => ColumnAttr::Key,
            _ => ColumnAttr::Label,
        };
        let sel = match c.name("sel")?.as_str() {
            "0N" => Selector::Concat,
            "0_N" => Selector::Joined,
            // Too many digits for a position: no built-in token.
            digits => Selector::At(digits.parse().ok()?),
        };
        Some((c.name("referred").is_some(), attr, sel))
    }

    /// Whether the token only makes sense for foreign keys.
    pub fn is_foreign_key_only(&self) -> bool {
        matches!(self, Token::ReferredTableName | Token::ReferredColumn(_))
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sel = |s: &Selector| match s {
            Selector::At(i) => i.to_string(),
            Selector::Concat => "0N".to_owned(),
            Selector::Joined => "0_N".to_owned(),
        };
        let attr = |a: &ColumnAttr| match a {
            ColumnAttr::Name => "name",
            ColumnAttr::Key => "key",
            ColumnAttr::Label => "label",
        };
        match self {
            Token::TableName => f.write_str("table_name"),
            Token::ConstraintName => f.write_str("constraint_name"),
            Token::ReferredTableName => f.write_str("referred_table_name"),
            Token::Column(a, s) => write!(f, "column_{}_{}", sel(s), attr(a)),
            Token::ReferredColumn(s) => write!(f, "referred_column_{}_name", sel(s)),
            Token::Custom(n) => f.write_str(n),
        }
    }
}

/// A piece of a parsed template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Literal text.
    Literal(String),
    /// A token, with an optional strfmt format spec (`.10`, `>8`, ...).
    Token(Token, Option<String>),
}

/// Why a template does not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("template {:?}: {message} at position {position}", abbrev(.template))]
pub struct TemplateError {
    /// The template text.
    pub template: String,
    /// The byte offset of the problem.
    pub position: usize,
    /// What is wrong.
    pub message: String,
}

/// A naming template such as `fk_%(table_name)s_%(column_0_name)s`, parsed once.
///
/// Both spellings are accepted and may be mixed: `%(token)s` (with Python's
/// `-`, width and `.precision` flags) and `{token}` / `{token:spec}`.
/// `%%`, `{{` and `}}` are literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    source: String,
    parts: Vec<Part>,
}

impl Template {
    /// Parses a template.
    pub fn parse(source: &str) -> Result<Template, TemplateError> {
        let err = |position: usize, message: String| TemplateError {
            template: source.to_owned(),
            position,
            message,
        };
        let bytes = source.as_bytes();
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'%' => {
                    if bytes.get(i + 1) == Some(&b'%') {
                        lit.push('%');
                        i += 2;
                        continue;
                    }
                    if bytes.get(i + 1) != Some(&b'(') {
                        return Err(err(
                            i,
                            "a '%' must start %(token)s; write %% for a literal percent sign"
                                .into(),
                        ));
                    }
                    let close = source[i + 2..]
                        .find(')')
                        .map(|p| p + i + 2)
                        .ok_or_else(|| err(i, "%( is never closed; expected %(token)s".into()))?;
                    let name = &source[i + 2..close];
                    // Python %-format flags: '-' (left-align), width, '.precision', then the conversion 's'.
                    let mut j = close + 1;
                    let mut left = false;
                    while j < bytes.len() && matches!(bytes[j], b'-' | b' ' | b'+' | b'#' | b'0') {
                        left |= bytes[j] == b'-';
                        j += 1;
                    }
                    let w0 = j;
                    while j < bytes.len() && bytes[j].is_ascii_digit() {
                        j += 1;
                    }
                    let width = &source[w0..j];
                    let mut precision = "";
                    if j < bytes.len() && bytes[j] == b'.' {
                        let p0 = j + 1;
                        j += 1;
                        while j < bytes.len() && bytes[j].is_ascii_digit() {
                            j += 1;
                        }
                        // Python reads a `.` without digits as precision 0.
                        precision = if j == p0 { "0" } else { &source[p0..j] };
                    }
                    match bytes.get(j) {
                        Some(b's') => {}
                        Some(_) => {
                            let c = source[j..].chars().next().unwrap_or('?');
                            return Err(err(j, format!("unsupported conversion '%{c}' after %({name}); only 's' is supported")));
                        }
                        None => {
                            return Err(err(
                                i,
                                format!("%({name}) has no conversion; write %({name})s"),
                            ))
                        }
                    }
                    let token = Self::token(name).map_err(|m| err(i, m))?;
                    check_spec_numbers(width)
                        .and_then(|()| check_spec_numbers(precision))
                        .map_err(|m| err(i, format!("bad format for %({name}): {m}")))?;
                    let spec = if width.is_empty() && precision.is_empty() {
                        None
                    } else {
                        let align = if left { "<" } else { ">" };
                        let w = if width.is_empty() {
                            String::new()
                        } else {
                            format!("{align}{width}")
                        };
                        let p = if precision.is_empty() {
                            String::new()
                        } else {
                            format!(".{precision}")
                        };
                        Some(format!("{w}{p}"))
                    };
                    Self::flush(&mut lit, &mut parts);
                    parts.push(Part::Token(token, spec));
                    i = j + 1;
                }
                b'{' => {
                    if bytes.get(i + 1) == Some(&b'{') {
                        lit.push('{');
                        i += 2;
                        continue;
                    }
                    let close = source[i + 1..]
                        .find(['}', '{'])
                        .map(|p| p + i + 1)
                        .filter(|&p| bytes[p] == b'}')
                        .ok_or_else(|| err(i, "'{' is never closed; expected {token} or {token:spec}, or {{ for a literal brace".into()))?;
                    let inner = &source[i + 1..close];
                    let (name, spec) = match inner.find(':') {
                        Some(p) => (&inner[..p], Some(inner[p + 1..].to_owned())),
                        None => (inner, None),
                    };
                    let token = Self::token(name).map_err(|m| err(i, m))?;
                    if let Some(spec) = &spec {
                        check_spec_numbers(spec)
                            .and_then(|()| apply_spec(spec, "x"))
                            .map_err(|m| err(i, format!("bad format spec {spec:?}: {m}")))?;
                    }
                    Self::flush(&mut lit, &mut parts);
                    parts.push(Part::Token(token, spec.filter(|s| !s.is_empty())));
                    i = close + 1;
                }
                b'}' => {
                    if bytes.get(i + 1) == Some(&b'}') {
                        lit.push('}');
                        i += 2;
                        continue;
                    }
                    return Err(err(
                        i,
                        "single '}' has no matching '{'; write }} for a literal brace".into(),
                    ));
                }
                _ => {
                    // `i` is always where a character starts: every step
                    // above moves past ASCII bytes, this one past a character.
                    let Some(ch) = source.get(i..).and_then(|r| r.chars().next()) else {
                        break;
                    };
                    lit.push(ch);
                    i += ch.len_utf8();
                }
            }
        }
        Self::flush(&mut lit, &mut parts);
        Ok(Template {
            source: source.to_owned(),
            parts,
        })
    }

    /// SQLAlchemy's default index template, `ix_%(column_0_label)s`, made
    /// without parsing (equal to what [`parse`](Self::parse) makes of it).
    pub(crate) fn sqlalchemy_default_index() -> Template {
        Template {
            source: "ix_%(column_0_label)s".to_owned(),
            parts: vec![
                Part::Literal("ix_".to_owned()),
                Part::Token(Token::Column(ColumnAttr::Label, Selector::At(0)), None),
            ],
        }
    }

    fn token(name: &str) -> Result<Token, String> {
        if name.is_empty() {
            return Err("empty token name".into());
        }
        if !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return Err(format!(
                "token name {name:?} may only contain letters, digits and '_'"
            ));
        }
        Ok(Token::parse(name))
    }

    fn flush(lit: &mut String, parts: &mut Vec<Part>) {
        if !lit.is_empty() {
            parts.push(Part::Literal(std::mem::take(lit)));
        }
    }

    /// The template text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The parsed parts.
    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The tokens, in order.
    pub fn tokens(&self) -> impl Iterator<Item = &Token> {
        self.parts.iter().filter_map(|p| match p {
            Part::Token(t, _) => Some(t),
            Part::Literal(_) => None,
        })
    }

    /// Whether the template uses `constraint_name` (rules 4 and 5).
    pub fn uses_constraint_name(&self) -> bool {
        self.tokens().any(|t| *t == Token::ConstraintName)
    }

    /// Whether the template needs the referred columns of a foreign key.
    pub fn uses_referred_columns(&self) -> bool {
        self.tokens().any(|t| matches!(t, Token::ReferredColumn(_)))
    }

    /// Checks that every token fits the convention key (`referred_*` only for
    /// `fk`) and that custom tokens are known to `is_custom`.
    pub fn check_tokens(&self, kind: Kind, is_custom: impl Fn(&str) -> bool) -> Result<(), String> {
        for t in self.tokens() {
            if t.is_foreign_key_only() && kind != Kind::ForeignKey {
                return Err(format!(
                    "token {t} only applies to foreign keys (convention key fk), not {}",
                    kind.key()
                ));
            }
            if let Token::Custom(name) = t {
                if !is_custom(name) {
                    let hint = closest_builtin_token(name)
                        .map(|s| format!(" (did you mean {s:?}?)"))
                        .unwrap_or_default();
                    return Err(format!(
                        "unknown token {name:?}{hint}; built-in tokens are table_name, constraint_name, referred_table_name, \
                         column_X_name/key/label, column_0N_*, column_0_N_*, referred_column_X_name (or add a plugin that provides it)"
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The built-in token closest to a misspelt `name`, if one is close enough:
/// the column tokens are tried with the column number `name` has, if any.
fn closest_builtin_token(name: &str) -> Option<String> {
    let digits: String = name
        .split(|c: char| !c.is_ascii_digit())
        .find(|d| !d.is_empty())
        .unwrap_or("0")
        .to_owned();
    let mut candidates: Vec<String> = vec![
        "table_name".into(),
        "constraint_name".into(),
        "referred_table_name".into(),
    ];
    for prefix in ["column", "referred_column"] {
        for index in [digits.as_str(), "0N", "0_N"] {
            for what in ["name", "key", "label"] {
                if prefix == "referred_column" && what != "name" {
                    continue;
                }
                candidates.push(format!("{prefix}_{index}_{what}"));
            }
        }
    }
    crate::schema::closest(name, candidates.iter().map(String::as_str))
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// The largest width or precision a format spec may give: names are at
/// most 64 characters on MySQL, so more is a mistake, and an unbounded
/// width would pad a name to gigabytes.
pub(crate) const MAX_SPEC_NUMBER: u64 = 255;

/// Checks the numbers (width, precision) of a format spec against [`MAX_SPEC_NUMBER`].
fn check_spec_numbers(spec: &str) -> Result<(), String> {
    for digits in spec
        .split(|c: char| !c.is_ascii_digit())
        .filter(|d| !d.is_empty())
    {
        match digits.parse::<u64>() {
            Ok(n) if n <= MAX_SPEC_NUMBER => {}
            _ => {
                return Err(format!(
                    "width or precision {} is over the limit of {MAX_SPEC_NUMBER}",
                    abbrev(digits)
                ))
            }
        }
    }
    Ok(())
}

/// Formats `value` with a strfmt format spec (Python's format-spec mini-language for strings).
/// [`Template::parse`] has checked the spec's numbers ([`check_spec_numbers`]):
/// this runs for every name a template with a spec makes.
pub(crate) fn apply_spec(spec: &str, value: &str) -> Result<String, String> {
    let key = format!("v:{spec}");
    let mut out = String::new();
    let mut f = strfmt::Formatter::from_str(&key, &mut out).map_err(|e| e.to_string())?;
    f.str(value).map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {

    #[test]
    fn token_pattern_compiles() {
        assert!(COLUMN_TOKEN.is_match("referred_column_0_N_name"));
        assert!(!COLUMN_TOKEN.is_match("column_x_name"));
    }

    use super::*;

    #[test]
    fn the_default_index_template_is_what_parsing_makes() {
        let made = Template::sqlalchemy_default_index();
        assert_eq!(Template::parse(made.source()), Ok(made));
    }

    #[test]
    fn column_tokens() {
        use ColumnAttr::*;
        for (name, token) in [
            ("column_0_name", Token::Column(Name, Selector::At(0))),
            ("column_12_key", Token::Column(Key, Selector::At(12))),
            ("column_0N_label", Token::Column(Label, Selector::Concat)),
            ("column_0_N_name", Token::Column(Name, Selector::Joined)),
            (
                "referred_column_3_name",
                Token::ReferredColumn(Selector::At(3)),
            ),
            (
                "referred_column_0_N_name",
                Token::ReferredColumn(Selector::Joined),
            ),
        ] {
            assert_eq!(Token::parse(name), token, "{name}");
            assert_eq!(token.to_string(), name);
        }
        for custom in [
            "referred_column_0_key",
            "column__name",
            "column_0_size",
            "column_x_name",
            "column_0n_name",
            "column_\u{663}_name",
            "column_99999999999999999999999_name",
            "my_column_0_name",
        ] {
            assert_eq!(
                Token::parse(custom),
                Token::Custom(custom.into()),
                "{custom}"
            );
        }
    }
}
