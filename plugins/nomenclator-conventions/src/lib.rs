//! Constraint conventions for nomenclator, written against its public API
//! only: listeners that create (and reject) constraints and indexes as
//! tables are attached, the other half of SQLAlchemy's "naming and
//! constraint conventions".
//!
//! | plugin | pack | what it does |
//! |---|---|---|
//! | [`BooleanChecks`] | `boolean-checks` | a `CHECK (col IN (0, 1))` per boolean column on SQLite, MySQL and MariaDB |
//! | [`Enums`] | `enums` | a `CHECK (col IN (...))` per `enum(...)` column on SQLite |
//! | [`IndexForeignKeys`] | `index-foreign-keys` | an index on each foreign key no index or key covers |
//! | [`HouseRules`] | `house-rules` | rejects long names, tables without a primary key, foreign keys without `on_delete` |
//!
//! Each is registered in a [`Plugins`](nomenclator::Plugins) registry and
//! switched on by its pack, after the naming pack:
//! `conventions = ["sqlalchemy", "boolean-checks", "index-foreign-keys"]`.
//! What they create is named by the convention's templates like anything
//! declared, and is marked as made by them
//! ([`Constraint::created_by`](nomenclator::Constraint::created_by)).
//!
//! ```
//! use nomenclator::{Column, MetaData, Reference, Table};
//! use nomenclator_conventions::{BooleanChecks, IndexForeignKeys};
//!
//! let mut md = MetaData::new(); // SQLAlchemy's default convention
//! md.listen(BooleanChecks::new());
//! md.listen(IndexForeignKeys::new());
//! md.add_table(Table::new("author").column(Column::new("id", "integer").primary_key())).unwrap();
//! md.add_table(
//!     Table::new("book")
//!         .column(Column::new("id", "integer").primary_key())
//!         .column(Column::new("author_id", "integer").references(Reference::parse("author.id").unwrap()))
//!         .column(Column::new("in_print", "boolean")),
//! ).unwrap();
//! let book = md.table("book").unwrap();
//! assert_eq!(book.indexes()[0].name.as_str(), Some("ix_book_author_id"));
//! assert_eq!(book.indexes()[0].created_by(), Some("index-foreign-keys"));
//! ```

/// Implements [`Plugin`](nomenclator::Plugin) for a listener that is its
/// own plugin: its name, what it does, and itself as the one listener.
macro_rules! listener_plugin {
    ($ty:ty, $name:literal, $description:literal) => {
        impl nomenclator::Plugin for $ty {
            fn name(&self) -> &str {
                $name
            }

            fn description(&self) -> &str {
                $description
            }

            fn listeners(
                &self,
            ) -> Vec<(
                Box<dyn nomenclator::events::Listener>,
                nomenclator::events::ListenOptions,
            )> {
                vec![(
                    Box::new(self.clone()),
                    nomenclator::events::ListenOptions::new(),
                )]
            }
        }
    };
}

mod boolean;
mod enums;
mod foreign_keys;
mod house;
mod sql;

pub use boolean::BooleanChecks;
pub use enums::Enums;
pub use foreign_keys::IndexForeignKeys;
pub use house::HouseRules;

/// Registers every plugin of this crate, with its default settings, so
/// that their packs can be used.
pub fn register(plugins: &mut nomenclator::Plugins) {
    plugins
        .register(BooleanChecks::new())
        .register(Enums::new())
        .register(IndexForeignKeys::new())
        .register(HouseRules::default());
}
