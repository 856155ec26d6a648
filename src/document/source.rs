//! The document being loaded, and the wording of its errors: every error
//! names the file, the place (key path, and line and column where they are
//! known) and what is wrong.

use super::error::{DocumentError, Place};
use super::layout::{Layout, Part};
use super::locate::{in_part, json_line_col, line_col, toml_line_col};
use super::options::Format;
use super::toml_tree::TomlError;

/// The text of a document, its syntax and the name its errors give it.
#[derive(Clone, Copy)]
pub(crate) struct Source<'a> {
    pub(crate) text: &'a str,
    pub(crate) format: Format,
    pub(crate) name: &'a str,
    /// Where a TOML document's tables are (`None` for JSON).
    pub(crate) layout: Option<&'a Layout>,
}

impl Source<'_> {
    /// An error at `path` (a key path such as `tables[1].name`), with its
    /// line and column.
    pub(crate) fn err(
        &self,
        path: Option<String>,
        message: String,
        help: Option<String>,
    ) -> DocumentError {
        let line_col = path.as_deref().and_then(|p| self.line_col(p));
        DocumentError {
            file: self.name.to_owned(),
            place: Place {
                path: path.map(clean),
                line_col,
            },
            message: clean(message),
            help,
        }
    }

    /// The line and column of `path` in the document.
    fn line_col(&self, path: &str) -> Option<(usize, usize)> {
        match (self.format, self.layout) {
            (Format::Toml, Some(layout)) => toml_line_col(self.text, layout, path),
            (Format::Toml, None) => None,
            (Format::Json, _) => json_line_col(self.text, path),
        }
    }

    /// An error at `path`, with `help` unless it is empty.
    pub(crate) fn at(&self, path: String, message: String, help: &str) -> DocumentError {
        let help = (!help.is_empty()).then(|| help.to_owned());
        self.err(Some(path), message, help)
    }

    /// A JSON reading error at `path` (`None`: the top level).
    pub(crate) fn json_err(&self, path: Option<String>, e: &serde_json::Error) -> DocumentError {
        let message = clean(strip_position(&e.to_string()));
        let help = serde_help(&message);
        DocumentError {
            file: self.name.to_owned(),
            place: Place {
                path: path.map(clean),
                line_col: (e.line() > 0).then(|| (e.line(), e.column().max(1))),
            },
            message,
            help,
        }
    }

    /// Something follows the JSON document's end.
    pub(crate) fn json_trailing(&self, e: &serde_json::Error) -> DocumentError {
        DocumentError {
            help: Some("remove what follows the document's closing brace".into()),
            ..self.json_err(None, e)
        }
    }

    /// A TOML reading error at `path` (`None`: the top level) of `part` of
    /// the document (`None`: the whole), with its offset in the document
    /// where the error gives one.
    pub(crate) fn toml_err(
        &self,
        part: Option<&Part>,
        path: Option<String>,
        e: &TomlError,
    ) -> (Option<usize>, DocumentError) {
        let message = clean(e.message.trim().to_owned());
        let offset = e.at.map(|at| in_part(part, at));
        let line_col = offset
            .map(|o| line_col(self.text, o))
            .or_else(|| path.as_deref().and_then(|p| self.line_col(p)));
        let help = serde_help(&message);
        let e = DocumentError {
            file: self.name.to_owned(),
            place: Place {
                path: path.map(clean),
                line_col,
            },
            message,
            help,
        };
        (offset, e)
    }
}

/// `s` with its control characters but line feeds escaped (`\u{1b}`), so
/// that a message never carries one to a terminal: messages quote the
/// document's keys and values.
fn clean(s: String) -> String {
    if !s.chars().any(|c| c.is_control() && c != '\n') {
        return s;
    }
    s.chars()
        .map(|c| match c {
            '\n' => "\n".to_owned(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// Removes serde_json's " at line X column Y" suffix (the place is reported apart).
fn strip_position(m: &str) -> String {
    m.rsplit_once(" at line ")
        .map_or(m, |(message, _)| message)
        .to_owned()
}

/// Advice for serde's messages.
fn serde_help(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        let sugg = crate::schema_closest(field, expected.iter().copied());
        return Some(match sugg {
            Some(s) => format!("did you mean `{s}`? Unknown keys are errors so that a typo never drops a constraint"),
            None => "remove the key; unknown keys are errors so that a typo never drops a constraint".to_owned(),
        });
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        return Some(format!("add `{field}`"));
    }
    if message.starts_with("invalid type") && message.contains("expected a string") {
        return Some("write the value as a string, in quotes".to_owned());
    }
    if message.contains("control character U+") {
        return Some(
            "remove it: no text of the document may hold a control character but tab, line feed and carriage return (SQL is written as given, and a NUL ends a statement early)"
                .to_owned(),
        );
    }
    if message.starts_with("duplicate ") {
        return Some("give each key once".to_owned());
    }
    if message.contains("recursion limit") {
        return Some(
            "the document nests too deeply; a schema document is at most a few levels deep"
                .to_owned(),
        );
    }
    None
}
