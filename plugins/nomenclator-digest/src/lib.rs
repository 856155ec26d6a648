//! Plugins for nomenclator, written against its public API only.
//!
//! - [`DigestPlugin`] (`digest`): the tokens `digest` (8 hex digits),
//!   `digest4` and `digest16`, a deterministic MD5 of what the object is, in
//!   the manner of the short hashed names Django and Rails give constraints.
//! - [`StrictPlugin`] (`strict`): a listener that refuses any constraint or
//!   index the convention leaves unnamed, so that no name is left to the
//!   database.
//!
//! The digest input is, joined by `|`: the table's qualified name, the
//! convention key (`fk`, `ix`, ...), the column names joined by `,`, and for
//! a foreign key the referred table and columns, for a check its SQL.
//!
//! ```
//! use nomenclator::{Column, MetaData, Plugins, Table, assert_names};
//! use nomenclator::naming::ConventionSet;
//! use nomenclator_digest::{DigestPlugin, StrictPlugin};
//!
//! let plugins = Plugins::new().with(DigestPlugin).with(StrictPlugin);
//! let mut set = ConventionSet::new();
//! set.add_pack("digest", None).unwrap();
//! let (convention, used) = set.build(&plugins).unwrap();
//! let mut md = MetaData::with_convention(convention);
//! for p in used {
//!     for (listener, options) in p.listeners() {
//!         md.listen_boxed(listener, options);
//!     }
//! }
//! md.add_table(Table::new("book").column(Column::new("id", "integer").primary_key())
//!     .column(Column::new("isbn", "text").unique())).unwrap();
//! assert_names!(md, "sqlite", ["book.pk(id) = book_pkey", "book.uq(isbn) = book_isbn_e9d438f7_uniq"]);
//! ```

use std::sync::Arc;

use md5::{Digest, Md5};
use nomenclator::events::{
    ConstraintAttached, EventKind, IndexAttached, Interest, ListenOptions, Listener, ListenerError,
    ListenerResult,
};
use nomenclator::{Constraint, Plugin, TokenContext, TokenError, TokenProvider};

/// The `digest` plugin: digest tokens for templates.
#[derive(Clone, Copy, Debug, Default)]
pub struct DigestPlugin;

impl Plugin for DigestPlugin {
    fn name(&self) -> &str {
        "digest"
    }

    fn description(&self) -> &str {
        "tokens digest, digest4 and digest16: a deterministic MD5 of the object's table, kind and columns"
    }

    fn token_provider(&self) -> Option<Arc<dyn TokenProvider>> {
        Some(Arc::new(DigestTokens))
    }
}

/// The token provider of [`DigestPlugin`].
#[derive(Clone, Copy, Debug, Default)]
pub struct DigestTokens;

/// The text the digest tokens hash, for the object described by `cx`.
pub fn digest_input(cx: &TokenContext<'_>) -> String {
    let mut parts = vec![
        cx.table().full_name(),
        cx.kind().key().to_owned(),
        cx.columns()
            .iter()
            .map(|c| c.name())
            .collect::<Vec<_>>()
            .join(","),
    ];
    if let Some(r) = cx.referred_table() {
        parts.push(r.to_string());
        parts.push(cx.referred_columns().unwrap_or(&[]).join(","));
    }
    if let Some(sql) = cx.check_sql() {
        parts.push(sql.to_owned());
    }
    // An index's expressions and predicate tell apart indexes whose
    // columns (`expr` for each expression) are the same; a plain index's
    // input is its columns alone, as before.
    if let Some(ix) = cx.index() {
        if ix.has_expressions() {
            let texts: Vec<&str> = ix.parts().iter().map(|p| p.text()).collect();
            parts.push(texts.join(","));
        }
        if let Some(p) = ix.predicate() {
            parts.push(format!("WHERE {p}"));
        }
    }
    parts.join("|")
}

impl TokenProvider for DigestTokens {
    fn provides(&self, token: &str) -> bool {
        matches!(token, "digest" | "digest4" | "digest16")
    }

    fn resolve(&self, token: &str, cx: &TokenContext<'_>) -> Result<String, TokenError> {
        let len = match token {
            "digest4" => 4,
            "digest16" => 16,
            "digest" => 8,
            other => return Err(TokenError::new(other, format!("unknown token {other}"))),
        };
        let hash = Md5::digest(digest_input(cx).as_bytes());
        let mut hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        hex.truncate(len);
        Ok(hex)
    }
}

/// The `strict` plugin: every constraint and index must be named by the convention or explicitly.
#[derive(Clone, Copy, Debug, Default)]
pub struct StrictPlugin;

impl Plugin for StrictPlugin {
    fn name(&self) -> &str {
        "strict"
    }

    fn description(&self) -> &str {
        "refuses constraints and indexes that would be left for the database to name"
    }

    fn listeners(&self) -> Vec<(Box<dyn Listener>, ListenOptions)> {
        vec![(Box::new(StrictListener), ListenOptions::new())]
    }
}

/// The listener of [`StrictPlugin`]; it runs after naming.
#[derive(Clone, Copy, Debug, Default)]
pub struct StrictListener;

impl Listener for StrictListener {
    fn interest(&self) -> Interest {
        Interest::only(EventKind::ConstraintAttached).with(EventKind::IndexAttached)
    }

    fn constraint_attached(&mut self, ev: &mut ConstraintAttached<'_>) -> ListenerResult {
        if !ev.constraint.name().is_pending() {
            return Ok(());
        }
        if let Constraint::ForeignKey(fk) = &*ev.constraint {
            // The convention may be waiting for the referred table: wait with it.
            if ev.catalog.table(fk.referred_table()).is_none() {
                let r = fk.referred_table().clone();
                ev.defer_until(r);
                return Ok(());
            }
        }
        Err(ListenerError::msg(format!(
            "strict: the {} on table \"{}\" ({}) has no name and no template names it; name it or add a `{}` template",
            ev.constraint.kind().describe(),
            ev.table.full_name(),
            ev.constraint.columns().join(", "),
            ev.constraint.kind().key()
        )))
    }

    fn index_attached(&mut self, ev: &mut IndexAttached<'_>) -> ListenerResult {
        if ev.index.name.is_pending() {
            return Err(ListenerError::msg(format!(
                "strict: the index on table \"{}\" ({}) has no name and no template names it; name it or add an `ix` template",
                ev.table.full_name(),
                ev.index
                    .parts()
                    .iter()
                    .map(|p| p.text())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        Ok(())
    }
}
