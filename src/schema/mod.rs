//! The schema model: [`MetaData`], [`Table`], [`Column`], constraints,
//! [`Index`] and [`Name`]. This layer holds no SQL text of its own: raw SQL
//! fragments (checks, defaults, custom DDL) are carried as given.

mod column;
mod constraint;
mod dialect_kind;
mod error;
mod kind;
mod metadata;
mod name;
mod table;
mod table_index;

pub use column::{Column, ColumnType, EnumType};
pub use constraint::{
    Check, Constraint, ForeignKey, Index, IndexPart, Origin, PrimaryKey, Reference, ReferenceError,
    ReferentialAction, TableRef, Unique, UnknownAction,
};
pub use dialect_kind::{DialectKind, UnknownDialect};
pub(crate) use error::closest;
pub use error::SchemaError;
pub use kind::{Kind, UnknownKind};
pub use metadata::{MetaData, Resolved, TableMut, MAX_CREATION_DEPTH};
pub use name::Name;
pub use table::{CustomDdl, Table, View};
pub(crate) use table_index::TableIndex;
