//! The convention handler: the listener that applies a naming convention.

use std::sync::Arc;

use super::convention::NamingConvention;
use super::error::NamingError;
use crate::events::{
    Catalog, ConstraintAttached, EventKind, IndexAttached, Interest, Listener, ListenerError,
    ListenerResult, PrimaryKeyColumnAdded,
};
use crate::schema::{Constraint, Table, TableRef};

/// The listener that names constraints and indexes as they are attached,
/// with [`NamingConvention::name_for`] (which follows the seven rules of the
/// naming specification).
///
/// Around it, the handler decides when to ask:
///
/// - a foreign key whose name needs the referred table's primary key
///   ([`NamingConvention::needs_referred_table`]) is deferred until that
///   table has joined the metadata with a primary key;
/// - a primary key made from column flags is named when its first column
///   is attached, and named again as columns join it only if the convention
///   named it (an explicit or database-chosen name stays).
#[derive(Clone)]
pub struct ConventionHandler {
    convention: Arc<NamingConvention>,
}

impl ConventionHandler {
    /// A handler for `convention`.
    pub fn new(convention: Arc<NamingConvention>) -> Self {
        ConventionHandler { convention }
    }

    /// Names `c`, or returns the table to wait for.
    fn name_constraint(
        &self,
        table: &Table,
        c: &mut Constraint,
        catalog: &Catalog<'_>,
    ) -> Result<Option<TableRef>, NamingError> {
        let mut referred = None;
        if let Some(fk) = c.as_foreign_key() {
            if self.convention.needs_referred_table(fk) {
                match catalog.table(&fk.referred_table) {
                    Some(t) if t.primary_key().is_some() => referred = Some(t),
                    _ => return Ok(Some(fk.referred_table.clone())),
                }
            }
        }
        let name = self.convention.name_for(table, &*c, referred)?;
        *c.name_mut() = name;
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
        let name = self
            .convention
            .name_for(event.table, &*event.index, None)
            .map_err(ListenerError::from_error)?;
        event.index.name = name;
        Ok(())
    }

    fn primary_key_column_added(
        &mut self,
        event: &mut PrimaryKeyColumnAdded<'_>,
    ) -> ListenerResult {
        if !event.primary_key.name.is_generated() {
            return Ok(());
        }
        let name = self
            .convention
            .name_for(event.table, &*event.primary_key, None)
            .map_err(ListenerError::from_error)?;
        event.primary_key.name = name;
        Ok(())
    }
}
