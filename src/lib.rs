//! # nomenclator
//!
//! Schema definitions whose constraint and index names are never left to chance.
//!
//! Build a [`MetaData`] of [`Table`]s in code or load one from a TOML/JSON
//! schema document ([`document`]). Attaching columns, constraints and
//! indexes fires events on the metadata's [`EventBus`](events::EventBus);
//! the naming-convention handler, itself a [`Listener`], fills in names from
//! templates such as `fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s`,
//! exactly as SQLAlchemy's naming conventions do. Names are then finalised
//! per dialect ([`final_names`]): shortened to the identifier limit with
//! SQLAlchemy's MD5 suffix, checked for length and for collisions.
//!
//! ```
//! use nomenclator::{Column, Kind, MetaData, NamingConvention, Table, Unique};
//! use nomenclator::events::{on_constraint, ListenOptions};
//!
//! let convention = NamingConvention::new()
//!     .with(Kind::Unique, "uq_%(table_name)s_%(column_0_N_name)s")?;
//! let mut md = MetaData::with_convention(convention);
//!
//! // A listener that runs after naming and sees the final name.
//! md.listen(on_constraint(|ev| {
//!     assert!(ev.constraint.name().as_str().is_some());
//!     Ok(())
//! }));
//!
//! md.add_table(
//!     Table::new("person")
//!         .column(Column::new("first", "text"))
//!         .column(Column::new("last", "text"))
//!         .constraint(Unique::new(["first", "last"])),
//! )?;
//! assert_eq!(
//!     md.table("person").unwrap().constraints()[0].name().as_str(),
//!     Some("uq_person_first_last")
//! );
//! # Ok::<(), nomenclator::Error>(())
//! ```
//!
//! Layers, in one direction: [`schema`] and [`events`] (the model, no SQL)
//! → [`naming`] → [`sql`] (statements as data) → [`dialect`] (writing SQL)
//! → [`ddl`] (plans) → [`engine`] (databases) → [`reflect`] (reading a
//! database back into a document) → [`diff`] (migrations) → [`diagram`]
//! (entity–relationship pictures) → the command line.

#![warn(missing_docs)]
// Errors are structured (which table, which constraint, which token) and
// travel only on the cold path; boxing every variant would cost clarity for
// no measurable gain, so their size is accepted.
#![allow(clippy::result_large_err)]

pub mod ddl;
pub mod diagram;
pub mod dialect;
pub mod diff;
pub mod document;
pub mod engine;
mod error;
pub mod events;
pub mod naming;
pub mod plugin;
pub mod reflect;
pub mod schema;
pub mod sql;
pub mod testing;
mod text;

pub use error::Error;
pub use events::{EventKind, Listener, ListenerId};
pub use naming::{
    final_names, IdentifierLimit, NamedObject, NamingConvention, ObjectRef, TokenContext,
    TokenError, TokenProvider,
};
pub use plugin::{Plugin, PluginSettings, Plugins, Setting};
pub use schema::{
    Check, Column, ColumnType, Constraint, CustomDdl, DialectKind, EnumType, ForeignKey, Index,
    IndexPart, Kind, MetaData, Name, PrimaryKey, Reference, ReferentialAction, Table, TableRef,
    Unique, View,
};

pub(crate) use schema::closest as schema_closest;

/// The Rust snippets of the README and of `docs/`, compiled and run as
/// doc tests so that they cannot go stale.
#[cfg(doctest)]
mod doc_snippets {
    #[doc = include_str!("../README.md")]
    struct Readme;
    #[doc = include_str!("../docs/guide.md")]
    struct Guide;
    #[doc = include_str!("../docs/reference.md")]
    struct Reference;
    #[doc = include_str!("../docs/faq.md")]
    struct Faq;
    #[doc = include_str!("../docs/faq-ddl.md")]
    struct FaqDdl;
    #[doc = include_str!("../docs/dialects.md")]
    struct Dialects;
    #[doc = include_str!("../docs/databases.md")]
    struct Databases;
    #[doc = include_str!("../docs/architecture.md")]
    struct Architecture;
    #[doc = include_str!("../docs/reflect.md")]
    struct Reflect;
    #[doc = include_str!("../docs/migrations.md")]
    struct Migrations;
}
