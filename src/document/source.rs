//! The document being loaded, and the wording of its errors: every error
//! names the file, the place (key path, and line and column where they are
//! known) and what is wrong.

use super::error::{DocumentError, Place};
use super::locate::{line_col, toml_line_col};
use super::options::Format;

/// The text of a document, its syntax and the name its errors give it.
#[derive(Clone, Copy)]
pub(crate) struct Source<'a> {
    pub(crate) text: &'a str,
    pub(crate) format: Format,
    pub(crate) name: &'a str,
}

impl Source<'_> {
    /// An error at `path` (a key path such as `tables[1].name`), with its
    /// line and column for TOML.
    pub(crate) fn err(
        &self,
        path: Option<String>,
        message: String,
        help: Option<String>,
    ) -> DocumentError {
        let line_col = match (self.format, &path) {
            (Format::Toml, Some(p)) => toml_line_col(self.text, p),
            _ => None,
        };
        DocumentError {
            file: self.name.to_owned(),
            place: Place { path, line_col },
            message,
            help,
        }
    }

    /// An error at `path`, with `help` unless it is empty.
    pub(crate) fn at(&self, path: String, message: String, help: &str) -> DocumentError {
        let help = (!help.is_empty()).then(|| help.to_owned());
        self.err(Some(path), message, help)
    }

    /// A JSON reading error at `path` (`None`: the top level).
    pub(crate) fn json_err(&self, path: Option<String>, e: &serde_json::Error) -> DocumentError {
        let message = strip_position(&e.to_string());
        let help = serde_help(&message);
        DocumentError {
            file: self.name.to_owned(),
            place: Place {
                path,
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

    /// A TOML reading error at `path` (`None`: the top level).
    pub(crate) fn toml_err(&self, path: Option<String>, e: &toml::de::Error) -> DocumentError {
        let message = e.message().trim().to_owned();
        let line_col = e
            .span()
            .map(|s| line_col(self.text, s.start))
            .or_else(|| path.as_deref().and_then(|p| toml_line_col(self.text, p)));
        let help = serde_help(&message);
        DocumentError {
            file: self.name.to_owned(),
            place: Place { path, line_col },
            message,
            help,
        }
    }
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
    if message.contains("recursion limit") {
        return Some(
            "the document nests too deeply; a schema document is at most a few levels deep"
                .to_owned(),
        );
    }
    None
}
