//! Naming conventions: a template per kind, and rendering them.

use std::fmt;
use std::sync::Arc;

use super::error::NamingError;
use super::template::{apply_spec, ColumnAttr, Part, Selector, Template, Token};
use super::token::{TokenContext, TokenProvider};
use crate::schema::{Column, Kind};

/// A naming convention: at most one template per [`Kind`], and the token
/// providers its custom tokens come from.
#[derive(Clone, Default)]
pub struct NamingConvention {
    templates: [Option<Arc<Template>>; 5],
    providers: Vec<Arc<dyn TokenProvider>>,
}

impl fmt::Debug for NamingConvention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for k in Kind::ALL {
            if let Some(t) = self.template(k) {
                m.entry(&k.key(), &t.source());
            }
        }
        m.finish()
    }
}

impl NamingConvention {
    /// An empty convention: nothing is named.
    pub fn new() -> Self {
        Self::default()
    }

    /// SQLAlchemy's default: `ix = "ix_%(column_0_label)s"`.
    pub fn sqlalchemy_default() -> Self {
        let mut c = Self::new();
        c.templates[Kind::Index.slot()] = Some(Arc::new(Template::sqlalchemy_default_index()));
        c
    }

    /// Adds a provider of custom tokens (before the templates that use them).
    pub fn add_provider(&mut self, provider: Arc<dyn TokenProvider>) {
        self.providers.push(provider);
    }

    /// Sets the template for `kind`, checking its tokens.
    pub fn set(&mut self, kind: Kind, template: &str) -> Result<(), NamingError> {
        let t = Template::parse(template).map_err(|e| NamingError::Template {
            origin: None,
            key: kind,
            error: e,
        })?;
        t.check_tokens(kind, |name| self.providers.iter().any(|p| p.provides(name)))
            .map_err(|message| NamingError::Token {
                origin: None,
                key: kind,
                template: template.to_owned(),
                message,
            })?;
        self.templates[kind.slot()] = Some(Arc::new(t));
        Ok(())
    }

    /// Builder form of [`set`](Self::set).
    pub fn with(mut self, kind: Kind, template: &str) -> Result<Self, NamingError> {
        self.set(kind, template)?;
        Ok(self)
    }

    /// Removes the template for `kind`.
    pub fn unset(&mut self, kind: Kind) {
        self.templates[kind.slot()] = None;
    }

    /// The template for `kind`.
    pub fn template(&self, kind: Kind) -> Option<&Template> {
        self.templates[kind.slot()].as_deref()
    }

    /// Whether no template is set.
    pub fn is_empty(&self) -> bool {
        self.templates.iter().all(Option::is_none)
    }

    /// Renders `template` for the object described by `cx`.
    pub fn render(
        &self,
        template: &Template,
        cx: &TokenContext<'_>,
    ) -> Result<String, NamingError> {
        // Room for the template's text and a few names: one allocation.
        let mut out = String::with_capacity(template.source().len() + 48);
        for part in template.parts() {
            match part {
                Part::Literal(s) => out.push_str(s),
                Part::Token(tok, None) => self.push_value(tok, template, cx, &mut out)?,
                Part::Token(tok, Some(spec)) => {
                    let mut v = String::new();
                    self.push_value(tok, template, cx, &mut v)?;
                    out.push_str(&apply_spec(spec, &v).map_err(|m| NamingError::Token {
                        origin: None,
                        key: cx.kind(),
                        template: template.source().to_owned(),
                        message: m,
                    })?)
                }
            }
        }
        Ok(out)
    }

    /// Appends the value of `tok` to `out` (written in place: templates are
    /// rendered for every constraint and index attached).
    fn push_value(
        &self,
        tok: &Token,
        template: &Template,
        cx: &TokenContext<'_>,
        out: &mut String,
    ) -> Result<(), NamingError> {
        let push_column = |c: &Column, attr: ColumnAttr, out: &mut String| match attr {
            ColumnAttr::Name => out.push_str(&c.name),
            ColumnAttr::Key => out.push_str(c.key_or_name()),
            ColumnAttr::Label => out.push_str(&cx.label(c)),
        };
        match tok {
            Token::TableName => out.push_str(cx.table().name()),
            Token::ConstraintName => match cx.explicit_name() {
                Some(n) => out.push_str(n),
                None => {
                    return Err(NamingError::ConstraintNameRequired {
                        table: cx.table().key(),
                        kind: cx.kind(),
                        columns: cx.columns().iter().map(|c| c.name.clone()).collect(),
                        template: template.source().to_owned(),
                    })
                }
            },
            Token::ReferredTableName => {
                if let Some(t) = cx.referred_table() {
                    out.push_str(&t.name);
                }
            }
            Token::Column(attr, Selector::At(i)) => {
                if let Some(c) = cx.columns().get(*i) {
                    push_column(c, *attr, out);
                }
            }
            Token::Column(attr, sel) => {
                push_joined(cx.columns(), *sel, out, |c, out| push_column(c, *attr, out))
            }
            Token::ReferredColumn(sel) => {
                let cols = cx.referred_columns().unwrap_or(&[]);
                match sel {
                    Selector::At(i) => match cols.get(*i) {
                        Some(c) => out.push_str(c),
                        None => {
                            return Err(NamingError::Token {
                                origin: None,
                                key: cx.kind(),
                                template: template.source().to_owned(),
                                message: format!(
                                    "{tok}: the foreign key of table \"{}\" has only {} referred column(s)",
                                    cx.table().key(),
                                    cols.len()
                                ),
                            })
                        }
                    },
                    _ => push_joined(cols, *sel, out, |c, out| out.push_str(c)),
                }
            }
            Token::Custom(name) => {
                let p = self
                    .providers
                    .iter()
                    .find(|p| p.provides(name))
                    .ok_or_else(|| NamingError::Token {
                        origin: None,
                        key: cx.kind(),
                        template: template.source().to_owned(),
                        message: format!("no plugin provides token {name:?}"),
                    })?;
                let v = p
                    .resolve(name, cx)
                    .map_err(|error| NamingError::TokenValue {
                        origin: None,
                        key: cx.kind(),
                        template: template.source().to_owned(),
                        error,
                    })?;
                out.push_str(&v);
            }
        }
        Ok(())
    }
}

/// Appends each of `items` with `push`, joined with `_` (nothing between
/// them for [`Selector::Concat`]): the `column_0N_*` and `column_0_N_*`
/// forms of a token.
fn push_joined<T>(
    items: &[T],
    sel: Selector,
    out: &mut String,
    mut push: impl FnMut(&T, &mut String),
) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 && sel != Selector::Concat {
            out.push('_');
        }
        push(item, out);
    }
}
