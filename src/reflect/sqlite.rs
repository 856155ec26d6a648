//! SQLite: written by a helper.
use super::{catalog::Catalog, error::ReflectError, Reader, ReflectOptions};
pub(crate) fn read(_db: &mut dyn Reader, _o: &ReflectOptions) -> Result<Catalog, ReflectError> {
    Err(ReflectError::Unsupported("sqlite"))
}
