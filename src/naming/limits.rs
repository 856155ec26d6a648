//! Identifier length limits and SQLAlchemy's MD5 shortening.

use std::borrow::Cow;

use md5::{Digest, Md5};

/// What an identifier limit counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LengthUnit {
    /// UTF-8 bytes (PostgreSQL's NAMEDATALEN).
    Bytes,
    /// Characters (MySQL, MariaDB).
    Chars,
}

/// The longest identifier a dialect accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdentifierLimit {
    /// The maximum length; `None` for no limit.
    pub max: Option<usize>,
    /// What the length counts.
    pub unit: LengthUnit,
}

impl IdentifierLimit {
    /// No limit (SQLite).
    pub const NONE: IdentifierLimit = IdentifierLimit {
        max: None,
        unit: LengthUnit::Chars,
    };

    /// A limit in bytes.
    pub fn bytes(max: usize) -> Self {
        IdentifierLimit {
            max: Some(max),
            unit: LengthUnit::Bytes,
        }
    }

    /// A limit in characters.
    pub fn chars(max: usize) -> Self {
        IdentifierLimit {
            max: Some(max),
            unit: LengthUnit::Chars,
        }
    }

    /// The same unit with another maximum (`--max-identifier-length`).
    pub fn with_max(self, max: usize) -> Self {
        IdentifierLimit {
            max: Some(max),
            unit: self.unit,
        }
    }

    /// The length of `s` in this limit's unit.
    pub fn length(&self, s: &str) -> usize {
        match self.unit {
            LengthUnit::Bytes => s.len(),
            LengthUnit::Chars => s.chars().count(),
        }
    }

    /// "bytes" or "characters".
    pub fn unit_name(&self) -> &'static str {
        match self.unit {
            LengthUnit::Bytes => "bytes",
            LengthUnit::Chars => "characters",
        }
    }

    /// Whether `s` fits.
    pub fn fits(&self, s: &str) -> bool {
        // A name within `max` bytes is within `max` characters too.
        self.max.is_none_or(|m| s.len() <= m || self.length(s) <= m)
    }

    /// Shortens a generated name as SQLAlchemy does: the first `max - 8`
    /// units (never splitting a character), `_`, and the last four hex digits
    /// of the MD5 of the whole name. Names that fit are returned unchanged.
    ///
    /// ```
    /// use nomenclator::IdentifierLimit;
    /// assert_eq!(IdentifierLimit::chars(15).shorten("uq_user_dataData2Data3"), "uq_user_2769");
    /// ```
    pub fn shorten<'s>(&self, s: &'s str) -> Cow<'s, str> {
        let Some(max) = self.max.filter(|_| !self.fits(s)) else {
            return Cow::Borrowed(s);
        };
        let budget = max.saturating_sub(8);
        let mut prefix_end = 0;
        let mut used = 0;
        for (i, ch) in s.char_indices() {
            let w = match self.unit {
                LengthUnit::Bytes => ch.len_utf8(),
                LengthUnit::Chars => 1,
            };
            if used + w > budget {
                break;
            }
            used += w;
            prefix_end = i + ch.len_utf8();
        }
        let digest = Md5::digest(s.as_bytes());
        // The last four hex digits are the last two bytes.
        Cow::Owned(format!(
            "{}_{:02x}{:02x}",
            &s[..prefix_end],
            digest[14],
            digest[15]
        ))
    }
}

impl IdentifierLimit {
    /// The start of `name` when `name` has the shape [`shorten`] gives a
    /// name too long for this limit (the first `max - 8` units, or up to 3
    /// bytes fewer where a character would have been split, `_` and four
    /// hex digits); `None` otherwise, and always without a limit.
    ///
    /// [`shorten`]: IdentifierLimit::shorten
    ///
    /// ```
    /// use nomenclator::IdentifierLimit;
    /// let limit = IdentifierLimit::chars(15);
    /// assert_eq!(limit.shortened_start("uq_user_2769"), Some("uq_user"));
    /// assert_eq!(limit.shortened_start("uq_user_email"), None);
    /// ```
    pub fn shortened_start<'n>(&self, name: &'n str) -> Option<&'n str> {
        let budget = self.max?.saturating_sub(8);
        let (start, hash) = name.rsplit_once('_')?;
        let hex = hash.len() == 4 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        let full = (budget.saturating_sub(3)..=budget).contains(&self.length(start));
        (hex && full).then_some(start)
    }
}

/// Which characters a dialect accepts in identifiers, even quoted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentifierChars {
    /// Any character but NUL (PostgreSQL, SQLite).
    AnyButNul,
    /// Characters of the Basic Multilingual Plane but NUL, and no trailing
    /// space (MySQL and MariaDB store identifiers in 3-byte UTF-8 and strip
    /// trailing spaces from names).
    BmpWithoutTrailingSpace,
}

impl IdentifierChars {
    /// What is wrong with `name` under these rules, if anything.
    ///
    /// ```
    /// use nomenclator::naming::IdentifierChars;
    /// let mysql = IdentifierChars::BmpWithoutTrailingSpace;
    /// assert_eq!(mysql.problem("café"), None);
    /// assert!(mysql.problem("party 🎉").is_some());
    /// assert!(mysql.problem("name ").is_some());
    /// assert_eq!(IdentifierChars::AnyButNul.problem("party 🎉"), None);
    /// ```
    pub fn problem(self, name: &str) -> Option<&'static str> {
        if name.contains('\0') {
            return Some("contains a NUL character");
        }
        match self {
            IdentifierChars::AnyButNul => None,
            IdentifierChars::BmpWithoutTrailingSpace => {
                if name.chars().any(|c| u32::from(c) > 0xFFFF) {
                    Some("contains a character outside the Basic Multilingual Plane (such as an emoji)")
                } else if name.ends_with(' ') {
                    Some("ends with a space")
                } else {
                    None
                }
            }
        }
    }
}
