//! The kinds of named schema objects.

use std::fmt;
use std::str::FromStr;

/// The kind of a constraint or index: the key of a naming convention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Primary key (`pk`).
    PrimaryKey,
    /// Foreign key (`fk`).
    ForeignKey,
    /// Unique constraint (`uq`).
    Unique,
    /// Check constraint (`ck`).
    Check,
    /// Index (`ix`).
    Index,
}

impl Kind {
    /// Every kind, in convention-key order.
    pub const ALL: [Kind; 5] = [
        Kind::PrimaryKey,
        Kind::ForeignKey,
        Kind::Unique,
        Kind::Check,
        Kind::Index,
    ];

    /// The convention key: `pk`, `fk`, `uq`, `ck` or `ix`.
    pub fn key(self) -> &'static str {
        match self {
            Kind::PrimaryKey => "pk",
            Kind::ForeignKey => "fk",
            Kind::Unique => "uq",
            Kind::Check => "ck",
            Kind::Index => "ix",
        }
    }

    /// A human description, such as "unique constraint".
    pub fn describe(self) -> &'static str {
        match self {
            Kind::PrimaryKey => "primary key",
            Kind::ForeignKey => "foreign key",
            Kind::Unique => "unique constraint",
            Kind::Check => "check constraint",
            Kind::Index => "index",
        }
    }

    pub(crate) fn slot(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The error returned when a string is not a convention key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown convention key {0:?}: expected one of pk, fk, uq, ck, ix")]
pub struct UnknownKind(pub String);

impl FromStr for Kind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .into_iter()
            .find(|k| k.key() == s)
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}
