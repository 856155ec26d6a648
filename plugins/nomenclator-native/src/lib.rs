//! Native naming for nomenclator: handlers that give every constraint and
//! index the user left unnamed exactly the name the database server would
//! give it, written against nomenclator's public API only.
//!
//! Three plugins, one per server, each a naming handler (a listener in the
//! naming phase) that the packs `postgresql`, `mariadb` and `mysql` name:
//!
//! - `postgresql-native` ([`NativePlugin::postgresql`]): `<table>_pkey`,
//!   `<table>_<columns>_key`, `<table>_<columns>_fkey`,
//!   `<table>_<columns>_idx`, `<table>_<column>_check` or `<table>_check`,
//!   cut to 63 bytes and numbered on a collision as PostgreSQL does
//!   (see [`make_object_name`]; an index expression is named as
//!   [`expression_name`] says);
//! - `mariadb-native` ([`NativePlugin::mariadb`]): `PRIMARY`, keys named
//!   after their first column (`_2`, `_3` on repeats), `<table>_ibfk_<n>`,
//!   a column's check named after the column and the table's other checks
//!   `CONSTRAINT_<n>`;
//! - `mysql-native` ([`NativePlugin::mysql`]): as MariaDB, but checks are
//!   `<table>_chk_<n>` (MySQL 8).
//!
//! Names a server numbers depend on what it created before, so the handler
//! names each object when it is attached (against its own table), and
//! names everything again in the order nomenclator's DDL creates it once
//! every table is present ([`TablesComplete`], which loading a document
//! fires; call [`MetaData::resolve_deferred`] after adding tables yourself).
//! Only objects without a name are named: an explicit name, or one another
//! pack's template gave, is kept and counts as taken.
//!
//! ```
//! use nomenclator::naming::ConventionSet;
//! use nomenclator::{assert_names, Column, MetaData, Plugins, Reference, Table, Unique};
//! use nomenclator_native::NativePlugin;
//!
//! let plugins = Plugins::new().with(NativePlugin::postgresql());
//! let mut set = ConventionSet::new();
//! set.add_pack("postgresql", None).unwrap();
//! let (convention, used) = set.build(&plugins).unwrap();
//! let mut md = MetaData::with_convention(convention);
//! for p in used {
//!     for (listener, options) in p.listeners() {
//!         md.listen_boxed(listener, options);
//!     }
//! }
//! md.add_table(Table::new("author").column(Column::new("id", "integer").primary_key())).unwrap();
//! md.add_table(
//!     Table::new("book")
//!         .column(Column::new("id", "integer").primary_key())
//!         .column(Column::new("author_id", "integer").references(Reference::parse("author.id").unwrap()))
//!         .column(Column::new("isbn", "text").unique())
//!         .constraint(Unique::new(["isbn"]))
//!         .constraint(Unique::new(["author_id", "isbn"])),
//! )
//! .unwrap();
//! md.resolve_deferred().unwrap();
//! assert_names!(md, "postgresql", [
//!     "author.pk(id) = author_pkey",
//!     "book.pk(id) = book_pkey",
//!     "book.fk(author_id) = book_author_id_fkey",
//!     "book.uq(isbn) = book_isbn_key",
//!     "book.uq(isbn) = -",
//!     "book.uq(author_id, isbn) = book_author_id_isbn_key",
//! ]);
//! ```
//!
//! (PostgreSQL creates one index for the two unique constraints on `isbn`:
//! the second is not created, and is listed without a name.)

mod mysql;
mod postgres;
mod view;

use nomenclator::events::{
    ConstraintAttached, EventKind, IndexAttached, Interest, ListenOptions, Listener, ListenerError,
    ListenerResult, ObjectAt, Phase, PrimaryKeyColumnAdded, TablesComplete,
};
use nomenclator::naming::NamedObject;
use nomenclator::{Kind, MetaData, Name, Plugin, Table, TableRef};
use std::collections::HashMap;

pub use nomenclator::dialect::postgres_names::make_object_name;
pub use postgres::expression_name;

use view::{Chosen, Order, View};

/// The database server whose names a handler predicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Server {
    /// PostgreSQL (the rules are those of PostgreSQL 15, unchanged since 9.x).
    PostgreSql,
    /// MariaDB (10.11).
    MariaDb,
    /// MySQL 8.
    MySql,
}

impl Server {
    /// The name of its plugin: `postgresql-native`, `mariadb-native` or `mysql-native`.
    pub fn plugin_name(self) -> &'static str {
        match self {
            Server::PostgreSql => "postgresql-native",
            Server::MariaDb => "mariadb-native",
            Server::MySql => "mysql-native",
        }
    }
}

/// A plugin whose handler names unnamed constraints and indexes as `server` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NativePlugin {
    server: Server,
}

impl NativePlugin {
    /// The plugin for `server`.
    pub fn new(server: Server) -> Self {
        NativePlugin { server }
    }

    /// `postgresql-native`, which the `postgresql` pack names.
    pub fn postgresql() -> Self {
        Self::new(Server::PostgreSql)
    }

    /// `mariadb-native`, which the `mariadb` pack names.
    pub fn mariadb() -> Self {
        Self::new(Server::MariaDb)
    }

    /// `mysql-native`, which the `mysql` pack names.
    pub fn mysql() -> Self {
        Self::new(Server::MySql)
    }

    /// The three plugins.
    pub fn all() -> [NativePlugin; 3] {
        [Self::postgresql(), Self::mariadb(), Self::mysql()]
    }

    /// The server it names as.
    pub fn server(&self) -> Server {
        self.server
    }
}

impl Plugin for NativePlugin {
    fn name(&self) -> &str {
        self.server.plugin_name()
    }

    fn description(&self) -> &str {
        match self.server {
            Server::PostgreSql => {
                "names unnamed constraints and indexes exactly as PostgreSQL does"
            }
            Server::MariaDb => "names unnamed constraints and indexes exactly as MariaDB does",
            Server::MySql => "names unnamed constraints and indexes as MySQL 8 does",
        }
    }

    fn listeners(&self) -> Vec<(Box<dyn Listener>, ListenOptions)> {
        vec![(
            Box::new(NativeNames::new(self.server)),
            ListenOptions::new().phase(Phase::Naming),
        )]
    }
}

/// The naming handler of a [`NativePlugin`]: a listener in the naming phase.
///
/// It names an object only if it has no name once the templates have run
/// (`Name::Pending`); the names it gave are remembered, so that it can
/// name them again when every table is present without touching names
/// that came from elsewhere.
#[derive(Clone, Debug)]
pub struct NativeNames {
    server: Server,
    /// The names this handler gave, by table and position.
    given: HashMap<(TableRef, ObjectAt), String>,
}

impl NativeNames {
    /// A handler for `server`.
    pub fn new(server: Server) -> Self {
        NativeNames {
            server,
            given: HashMap::new(),
        }
    }

    /// Whether this handler names the object of `table` at `at`, now named `name`.
    fn is_ours(&self, table: &TableRef, at: ObjectAt, name: &Name) -> bool {
        match name {
            Name::Pending => true,
            Name::Generated {
                name,
                explicit: None,
            } => self
                .given
                .get(&(table.clone(), at))
                .is_some_and(|g| g == name),
            _ => false,
        }
    }

    /// The names the server gives the unnamed objects of `views`, created in `order`.
    fn choose(&self, views: &[View<'_>], order: &Order) -> Result<Vec<Chosen>, ListenerError> {
        rules(self.server, views, order).map(|(chosen, _)| chosen)
    }

    /// The name for the object at `at` of the last view alone, and records it.
    fn name_one(
        &mut self,
        table: &TableRef,
        view: View<'_>,
        at: ObjectAt,
    ) -> Result<Option<Name>, ListenerError> {
        let order = Order::single(&view);
        let chosen = self.choose(std::slice::from_ref(&view), &order)?;
        let name = chosen.into_iter().find(|c| c.at == at).and_then(|c| c.name);
        Ok(name.map(|n| {
            self.given.insert((table.clone(), at), n.clone());
            Name::Generated {
                name: n,
                explicit: None,
            }
        }))
    }
}

/// The names `server` gives, and (MariaDB, MySQL) the indexes it makes for
/// foreign keys.
fn rules(
    server: Server,
    views: &[View<'_>],
    order: &Order,
) -> Result<(Vec<Chosen>, Vec<mysql::Implicit>), ListenerError> {
    let flavor = match server {
        Server::PostgreSql => return Ok((postgres::names(views, order), Vec::new())),
        Server::MariaDb => mysql::Flavor::MariaDb,
        Server::MySql => mysql::Flavor::MySql,
    };
    mysql::names(views, order, flavor)
        .map(|o| (o.chosen, o.implicit))
        .map_err(|e| ListenerError::msg(format!("{}: {e}", server.plugin_name())))
}

/// The order nomenclator's DDL creates `tables` in (by position), and the
/// foreign keys it adds after them; `None` when a foreign key refers to a
/// table that is not there (the document is refused for it anyway).
fn creation_order(tables: &[&Table]) -> Option<Order> {
    let order = nomenclator::ddl::table_order(tables, true).ok()?;
    Some(Order {
        tables: order.tables,
        deferred: order.deferred,
    })
}

/// Whether an object of `t` waits for a name.
fn has_pending(t: &Table) -> bool {
    let pending = |n: &Name| matches!(n, Name::Pending);
    t.primary_key().is_some_and(|pk| pending(&pk.name))
        || t.constraints().iter().any(|c| pending(c.name()))
        || t.indexes().iter().any(|ix| pending(&ix.name))
}

/// The name of the object of `t` at `at`.
fn name_at(t: &Table, at: ObjectAt) -> Option<&Name> {
    match at {
        ObjectAt::PrimaryKey => t.primary_key().map(|pk| &pk.name),
        ObjectAt::Constraint(i) => t.constraints().get(i).map(|c| c.name()),
        ObjectAt::Index(i) => t.indexes().get(i).map(|ix| &ix.name),
    }
}

impl Listener for NativeNames {
    fn interest(&self) -> Interest {
        Interest::only(EventKind::ConstraintAttached)
            .with(EventKind::IndexAttached)
            .with(EventKind::PrimaryKeyColumnAdded)
            .with(EventKind::TablesComplete)
    }

    fn constraint_attached(&mut self, ev: &mut ConstraintAttached<'_>) -> ListenerResult {
        if !ev.constraint.name().is_pending() {
            return Ok(());
        }
        let key = ev.table.key();
        let name = {
            let mut view = View::of(ev.table, |at, n| self.is_ours(&key, at, n));
            let at = view.push_constraint(ev.constraint);
            self.name_one(&key, view, at)?
        };
        if let Some(n) = name {
            *ev.constraint.name_mut() = n;
        }
        Ok(())
    }

    fn index_attached(&mut self, ev: &mut IndexAttached<'_>) -> ListenerResult {
        if !ev.index.name.is_pending() {
            return Ok(());
        }
        let key = ev.table.key();
        let name = {
            let mut view = View::of(ev.table, |at, n| self.is_ours(&key, at, n));
            let at = view.push_index(ev.index);
            self.name_one(&key, view, at)?
        };
        if let Some(n) = name {
            ev.index.name = n;
        }
        Ok(())
    }

    fn primary_key_column_added(&mut self, ev: &mut PrimaryKeyColumnAdded<'_>) -> ListenerResult {
        let key = ev.table.key();
        if !self.is_ours(&key, ObjectAt::PrimaryKey, &ev.primary_key.name) {
            return Ok(());
        }
        let name = {
            let mut view = View::of(ev.table, |at, n| self.is_ours(&key, at, n));
            let at = view.push_primary_key(ev.primary_key);
            self.name_one(&key, view, at)?
        };
        if let Some(n) = name {
            ev.primary_key.name = n;
        }
        Ok(())
    }

    fn tables_complete(&mut self, ev: &mut TablesComplete<'_>) -> ListenerResult {
        let catalog = ev.catalog;
        let tables: Vec<&Table> = catalog.tables().collect();
        // Where a convention named everything, the server names nothing:
        // no object is ours, and there is nothing to choose.
        if self.given.is_empty() && !tables.iter().any(|t| has_pending(t)) {
            return Ok(());
        }
        let Some(order) = creation_order(&tables) else {
            return Ok(());
        };
        let keys: Vec<TableRef> = tables.iter().map(|t| t.key()).collect();
        let chosen = {
            let views: Vec<View<'_>> = tables
                .iter()
                .zip(&keys)
                .map(|(t, key)| View::of(t, |at, name| self.is_ours(key, at, name)))
                .collect();
            self.choose(&views, &order)?
        };
        for c in chosen {
            let new = match c.name {
                Some(n) => {
                    self.given.insert((keys[c.table].clone(), c.at), n.clone());
                    Name::Generated {
                        name: n,
                        explicit: None,
                    }
                }
                None => {
                    self.given.remove(&(keys[c.table].clone(), c.at));
                    Name::Pending
                }
            };
            if name_at(tables[c.table], c.at) != Some(&new) {
                ev.rename(c.table, c.at, new);
            }
        }
        Ok(())
    }
}

/// The indexes MariaDB or MySQL makes for the foreign keys of `md` that no
/// key of their table starts with, as `nomenclator names` would list them
/// (kind `ix`, not unique) though the document does not declare them: each
/// named after its foreign key's first column (`_2`, `_3` when that name
/// is taken), or after the foreign key's own name when the user gave it
/// one. A later key that starts with the same columns replaces such an
/// index. Objects whose name is not the user's count as unnamed, as in a
/// database where the server chose every other name. Empty for PostgreSQL,
/// which makes no such index.
///
/// # Errors
///
/// A name the server would refuse (over 64 characters), or a foreign key
/// to a table that is not in `md`.
///
/// ```
/// use nomenclator::{Column, MetaData, Reference, Table};
/// use nomenclator_native::{implicit_indexes, Server};
///
/// let mut md = MetaData::without_convention();
/// md.add_table(Table::new("author").column(Column::new("id", "integer").primary_key()))?;
/// md.add_table(
///     Table::new("book")
///         .column(Column::new("id", "integer").primary_key())
///         .column(Column::new("author_id", "integer").references(Reference::parse("author.id")?)),
/// )?;
/// let ix = implicit_indexes(&md, Server::MariaDb)?;
/// assert_eq!(ix.len(), 1);
/// assert_eq!((ix[0].table.as_str(), ix[0].name.as_deref()), ("book", Some("author_id")));
/// assert!(implicit_indexes(&md, Server::PostgreSql)?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn implicit_indexes(md: &MetaData, server: Server) -> Result<Vec<NamedObject>, ListenerError> {
    let tables: Vec<&Table> = md.tables().iter().collect();
    let order = creation_order(&tables).ok_or_else(|| {
        ListenerError::msg("a foreign key refers to a table that is not in the metadata")
    })?;
    let views: Vec<View<'_>> = tables
        .iter()
        .map(|t| View::of(t, |_, name| name.user_given().is_none()))
        .collect();
    let (_, implicit) = rules(server, &views, &order)?;
    Ok(implicit
        .into_iter()
        .map(|ix| NamedObject {
            schema: tables[ix.table].schema().map(str::to_owned),
            table: tables[ix.table].name().to_owned(),
            kind: Kind::Index,
            columns: ix.columns,
            name: Some(ix.name),
            unique: Some(false),
            created_by: None,
        })
        .collect())
}
