//! The crate's error type, gathering each layer's errors.

use crate::document::DocumentError;
use crate::events::ListenerError;
use crate::naming::{NamingError, PackError};
use crate::schema::SchemaError;

/// Any error of this crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The schema cannot be built as declared.
    #[error(transparent)]
    Schema(SchemaError),
    /// A name cannot be made or used.
    #[error(transparent)]
    Naming(#[from] NamingError),
    /// A convention pack cannot be used.
    #[error(transparent)]
    Pack(#[from] PackError),
    /// A document cannot be loaded.
    #[error(transparent)]
    Document(Box<DocumentError>),
    /// DDL cannot be written for the dialect, or a statement failed.
    #[error(transparent)]
    Ddl(Box<crate::ddl::DdlError>),
    /// A listener rejected an attachment or stopped a plan.
    #[error("a listener refused: {0}")]
    Listener(ListenerError),
}

impl From<SchemaError> for Error {
    /// A listener's refusal is told as what it is (a naming error, a
    /// listener's own); other schema errors stay schema errors.
    fn from(e: SchemaError) -> Self {
        match e {
            SchemaError::Listener(l) => l.into(),
            e => Error::Schema(e),
        }
    }
}

impl From<DocumentError> for Error {
    fn from(e: DocumentError) -> Self {
        Error::Document(Box::new(e))
    }
}

impl From<crate::ddl::DdlError> for Error {
    fn from(e: crate::ddl::DdlError) -> Self {
        Error::Ddl(Box::new(e))
    }
}

impl From<ListenerError> for Error {
    fn from(e: ListenerError) -> Self {
        let e = match e.downcast::<NamingError>() {
            Ok(n) => return Error::Naming(n),
            Err(e) => e,
        };
        match e.downcast::<SchemaError>() {
            Ok(s) => Error::Schema(s),
            Err(e) => Error::Listener(e),
        }
    }
}
