//! The convention handler: the listener that applies a naming convention.

use std::sync::Arc;

use super::convention::NamingConvention;
use super::error::NamingError;
use super::template::{Template, Token};
use super::token::TokenContext;
use crate::events::{
    Catalog, ConstraintAttached, EventKind, IndexAttached, Interest, Listener, ListenerError,
    ListenerResult, PrimaryKeyColumnAdded,
};
use crate::schema::{Constraint, Kind, Name, Table};

/// The listener that fills in constraint and index names from a
/// [`NamingConvention`], following the six rules of `spec/naming.md`:
///
/// 1. no name and a template: the template names it;
/// 2. no name and no template: it stays unnamed (an index without a name is
///    reported when names are finalised);
/// 3. an explicit name and a template without `constraint_name`: kept;
/// 4. an explicit name and a template with `constraint_name`: the template applies;
/// 5. no name and a template with `constraint_name`: an error;
/// 6. a [`Final`](Name::Final) name: untouched.
///
/// A foreign key whose template needs referred columns it has not declared
/// (they default to the referred table's primary key) is deferred until that
/// table joins the metadata.
#[derive(Clone)]
pub struct ConventionHandler {
    convention: Arc<NamingConvention>,
}

impl ConventionHandler {
    /// A handler for `convention`.
    pub fn new(convention: Arc<NamingConvention>) -> Self {
        ConventionHandler { convention }
    }

    /// The name `template` gives an object now called `current`, or `None`
    /// to leave it as it is.
    fn apply(
        &self,
        template: &Template,
        current: &Name,
        cx: TokenContext<'_>,
    ) -> Result<Option<Name>, NamingError> {
        let explicit = match current {
            Name::Final(_) => return Ok(None),
            Name::Pending => None,
            Name::Explicit(e) if template.uses_constraint_name() => Some(e.as_str()),
            Name::Explicit(_) => return Ok(None),
            Name::Generated { explicit, .. } => explicit.as_deref(),
        };
        let cx = match explicit {
            Some(e) => cx.with_explicit_name(e),
            None => cx,
        };
        let generated = self.convention.render(template, &cx)?;
        if generated.is_empty() {
            // As SQLAlchemy (`if newname:`): a template that renders nothing
            // names nothing; the object keeps the name it was given, if any.
            let mut kept = current.clone();
            kept.reset();
            return Ok(Some(kept));
        }
        Ok(Some(Name::Generated {
            name: generated,
            explicit: explicit.map(str::to_owned),
        }))
    }

    fn name_constraint(
        &self,
        table: &Table,
        c: &mut Constraint,
        catalog: &Catalog<'_>,
    ) -> Result<Option<crate::schema::TableRef>, NamingError> {
        let kind = c.kind();
        let Some(template) = self.convention.template(kind) else {
            return Ok(None);
        };
        let (fk, referred) = match &*c {
            Constraint::ForeignKey(fk) => {
                let referred: Option<&[String]> = if !fk.referred_columns.is_empty() {
                    Some(&fk.referred_columns)
                } else {
                    // Undeclared referred columns are the referred table's primary key,
                    // for built-in tokens and for plugins' tokens alike
                    // (`TokenContext::referred_columns`); wait for that table if a token may need them.
                    // No lookup when no token can ask for them.
                    let custom = template.tokens().any(|t| matches!(t, Token::Custom(_)));
                    if !(template.uses_referred_columns() || custom) {
                        None
                    } else {
                        match catalog
                            .table(&fk.referred_table)
                            .and_then(Table::primary_key)
                        {
                            Some(pk) => Some(pk.columns()),
                            None => return Ok(Some(fk.referred_table.clone())),
                        }
                    }
                };
                (Some(fk), referred)
            }
            _ => (None, None),
        };
        let check_sql = match &*c {
            Constraint::Check(ck) => Some(ck.sql()),
            _ => None,
        };
        let mut cx = TokenContext::new(table, kind).with_column_names(c.columns());
        if let Some(fk) = fk {
            cx = cx.with_referred_table(&fk.referred_table);
        }
        if let Some(r) = referred {
            cx = cx.with_referred_columns(r);
        }
        if let Some(sql) = check_sql {
            cx = cx.with_check_sql(sql);
        }
        // The new name is made while the constraint is borrowed for the
        // tokens, then stored.
        if let Some(name) = self.apply(template, c.name(), cx)? {
            *c.name_mut() = name;
        }
        Ok(None)
    }
}

impl Listener for ConventionHandler {
    fn interest(&self) -> Interest {
        Interest::only(EventKind::ConstraintAttached)
            .with(EventKind::IndexAttached)
            .with(EventKind::PrimaryKeyColumnAdded)
    }

    fn constraint_attached(&mut self, event: &mut ConstraintAttached<'_>) -> ListenerResult {
        match self.name_constraint(event.table, event.constraint, &event.catalog) {
            Ok(Some(awaited)) => {
                event.defer_until(awaited);
                Ok(())
            }
            Ok(None) => Ok(()),
            Err(e) => Err(ListenerError::from_error(e)),
        }
    }

    fn index_attached(&mut self, event: &mut IndexAttached<'_>) -> ListenerResult {
        let Some(template) = self.convention.template(Kind::Index) else {
            return Ok(());
        };
        let cx =
            TokenContext::new(event.table, Kind::Index).with_column_names(&event.index.columns);
        if let Some(name) = self
            .apply(template, &event.index.name, cx)
            .map_err(ListenerError::from_error)?
        {
            event.index.name = name;
        }
        Ok(())
    }

    fn primary_key_column_added(
        &mut self,
        event: &mut PrimaryKeyColumnAdded<'_>,
    ) -> ListenerResult {
        let Some(template) = self.convention.template(Kind::PrimaryKey) else {
            return Ok(());
        };
        if !event.primary_key.name.is_generated() {
            return Ok(());
        }
        let cx = TokenContext::new(event.table, Kind::PrimaryKey)
            .with_column_names(&event.primary_key.columns);
        if let Some(name) = self
            .apply(template, &event.primary_key.name, cx)
            .map_err(ListenerError::from_error)?
        {
            event.primary_key.name = name;
        }
        Ok(())
    }
}
