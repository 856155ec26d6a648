//! The constructors of [`MetaData`] that install a naming convention.
//!
//! The model (`crate::schema`) knows nothing of naming; this layer adds
//! the convention handler to a metadata as a listener in the naming phase.

use std::sync::Arc;

use super::convention::NamingConvention;
use super::handler::ConventionHandler;
use crate::schema::MetaData;

impl Default for MetaData {
    fn default() -> Self {
        Self::new()
    }
}

impl MetaData {
    /// A metadata with SQLAlchemy's default convention, `ix = "ix_%(column_0_label)s"`.
    pub fn new() -> Self {
        Self::with_convention(NamingConvention::sqlalchemy_default())
    }

    /// A metadata whose naming-convention handler uses `convention`.
    pub fn with_convention(convention: NamingConvention) -> Self {
        let mut md = Self::without_convention();
        md.set_convention(convention);
        md
    }

    /// Replaces the naming convention for attachments from now on.
    pub fn set_convention(&mut self, convention: NamingConvention) {
        let convention = Arc::new(convention);
        let handler = ConventionHandler::new(convention.clone());
        self.replace_naming_handler(Box::new(handler), convention);
    }

    /// The naming convention, if a handler is registered.
    pub fn convention(&self) -> Option<&NamingConvention> {
        self.naming_data()?.downcast_ref()
    }
}
