//! MySQL: written by a helper.
use super::{catalog::Catalog, error::ReflectError, Reader, ReflectOptions};
use crate::schema::DialectKind;
pub(crate) fn read(
    _db: &mut dyn Reader,
    _k: DialectKind,
    _o: &ReflectOptions,
) -> Result<Catalog, ReflectError> {
    Err(ReflectError::Unsupported("mysql"))
}
