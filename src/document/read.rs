//! Reading document values with serde, keeping track of where an error
//! happened.
//!
//! Every type of the document model implements [`Read`]: deserialisation
//! that is handed a [`Trail`]. Nothing is recorded while reading succeeds;
//! when an error passes back up through a map value, a list element or an
//! unknown key, that step is added to the trail, so the trail ends up
//! holding the error's key path (`tables[1].columns[0].nullable`). This
//! costs nothing on the way down, where a path-tracking deserializer
//! wrapper would copy every key it reads.
//!
//! Records (the document's tables, columns, constraints, ...) are declared
//! with [`record!`], which writes the struct and its reader: unknown keys,
//! duplicate keys and missing keys are errors with serde's usual wording.
//!
//! Every string read is checked for control characters ([`text`]): NUL and
//! the rest of Unicode's category Cc, but tab, line feed and carriage
//! return, are refused where they are, since the text goes into SQL as
//! written (a NUL ends a statement early on SQLite) and into messages.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// The key path of a reading error, recorded innermost step first while the
/// error travels up.
#[derive(Default)]
pub(crate) struct Trail(Cell<Vec<Step>>);

/// One step of a [`Trail`].
pub(crate) enum Step {
    /// A map key.
    Key(String),
    /// A list index.
    Index(usize),
}

impl Trail {
    /// Records that the error happened under `step`.
    pub(crate) fn push(&self, step: Step) {
        let mut steps = self.0.take();
        steps.push(step);
        self.0.set(steps);
    }

    /// The path recorded, outermost step first, such as
    /// `tables[1].columns[0].name`; `None` for an error at the top level.
    /// The trail is left empty.
    pub(crate) fn take_path(&self) -> Option<String> {
        let steps = self.0.take();
        if steps.is_empty() {
            return None;
        }
        let mut out = String::new();
        for step in steps.iter().rev() {
            match step {
                Step::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Step::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
            }
        }
        Some(out)
    }
}

/// A document value that can be read with a [`Trail`].
pub(crate) trait Read<'de>: Sized {
    /// Reads the value from `d`, recording on `trail` where an error happened.
    fn read<D: Deserializer<'de>>(d: D, trail: &Trail) -> Result<Self, D::Error>;
}

/// Where a value sits in its parent: the step an error in it adds.
#[derive(Clone, Copy)]
pub(crate) enum At<'k> {
    /// Under this key of a map.
    Key(&'k str),
    /// At this index of a list.
    Index(usize),
}

/// Reads a `T` found at `at`, as a [`DeserializeSeed`].
pub(crate) struct Seed<'t, 'k, T> {
    trail: &'t Trail,
    at: At<'k>,
    value: PhantomData<fn() -> T>,
}

impl<'t, 'k, T> Seed<'t, 'k, T> {
    /// A seed for the value at `at`.
    pub(crate) fn new(trail: &'t Trail, at: At<'k>) -> Self {
        Seed {
            trail,
            at,
            value: PhantomData,
        }
    }
}

impl<'de, T: Read<'de>> DeserializeSeed<'de> for Seed<'_, '_, T> {
    type Value = T;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::read(d, self.trail).inspect_err(|_| {
            self.trail.push(match self.at {
                At::Key(k) => Step::Key(k.to_owned()),
                At::Index(i) => Step::Index(i),
            })
        })
    }
}

/// Reads a map key that must be one of a record's keys: `known` maps it to
/// the record's key type, `names` lists them for the message. An unknown
/// key is an error inside the key itself, so that TOML places it at the key.
#[derive(Clone, Copy)]
pub(crate) struct KeySeed<'t, F> {
    pub(crate) known: F,
    pub(crate) names: &'static [&'static str],
    pub(crate) trail: &'t Trail,
}

impl<'de, K, F: Fn(&str) -> Option<K>> DeserializeSeed<'de> for KeySeed<'_, F> {
    type Value = K;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<K, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de, K, F: Fn(&str) -> Option<K>> Visitor<'de> for KeySeed<'_, F> {
    type Value = K;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    #[inline]
    fn visit_str<E: de::Error>(self, v: &str) -> Result<K, E> {
        (self.known)(v).ok_or_else(|| {
            self.trail.push(Step::Key(v.to_owned()));
            E::unknown_field(v, self.names)
        })
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<K, E> {
        match std::str::from_utf8(v) {
            Ok(s) => self.visit_str(s),
            Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(v), &self)),
        }
    }
}

/// Reads the value of a record's key into `slot` (an error if the key
/// came before).
#[inline]
pub(crate) fn value<'de, A: MapAccess<'de>, T: Read<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    key: &'static str,
    trail: &Trail,
) -> Result<(), A::Error> {
    if slot.is_some() {
        trail.push(Step::Key(key.to_owned()));
        return Err(de::Error::duplicate_field(key));
    }
    *slot = Some(map.next_value_seed(Seed::new(trail, At::Key(key)))?);
    Ok(())
}

/// 1 for the bytes that may start a control character (below 0x20, 0x7F,
/// 0xC2), for [`forbidden_char`].
const SUSPECT: [u8; 256] = {
    let mut suspect = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        suspect[b] = 1;
        b += 1;
    }
    suspect[0x7f] = 1;
    suspect[0xc2] = 1;
    suspect
};

/// The first control character of `s` that the document may not hold:
/// Unicode's category Cc (U+0000–U+001F, U+007F–U+009F) but tab, line
/// feed and carriage return.
#[inline]
pub(crate) fn forbidden_char(s: &str) -> Option<char> {
    // Every such character is below U+0020, U+007F, or U+0080–U+009F,
    // whose UTF-8 starts with 0xC2: most text has none of these bytes.
    // One lookup per byte and no branch: every string of a document
    // passes here.
    if s.bytes().fold(0, |seen, b| seen | SUSPECT[usize::from(b)]) == 0 {
        return None;
    }
    s.chars()
        .find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// `s`, if it holds no control character the document may not hold.
#[inline]
pub(crate) fn text<E: de::Error>(s: &str) -> Result<&str, E> {
    match forbidden_char(s) {
        None => Ok(s),
        Some(c) => Err(E::custom(format_args!(
            "the control character U+{:04X}{} is not allowed in the document's text",
            u32::from(c),
            match c {
                '\0' => " (NUL)",
                '\u{1b}' => " (ESC)",
                '\u{7f}' => " (DEL)",
                _ => "",
            }
        ))),
    }
}

/// A document value with all its text owned, for values read from text
/// that does not outlive the loading (a TOML part joined from pieces).
pub(crate) trait Owned {
    /// The value with owned text.
    type Out;
    /// Copies any borrowed text.
    fn owned(self) -> Self::Out;
}

/// The room a document value takes in memory, roughly: its own size and
/// the bytes of its text. Templates are charged by it each time they are
/// used, so that a small document cannot expand without end.
pub(crate) trait Weigh {
    /// The value's weight, in bytes.
    fn weight(&self) -> usize;
}

impl Weigh for bool {
    fn weight(&self) -> usize {
        0
    }
}

impl<T: Weigh> Weigh for Option<T> {
    fn weight(&self) -> usize {
        self.as_ref().map_or(0, T::weight)
    }
}

impl<T: Weigh> Weigh for Vec<T> {
    fn weight(&self) -> usize {
        self.iter()
            .fold(0, |sum: usize, x| sum.saturating_add(x.weight()))
    }
}

impl Owned for bool {
    type Out = bool;
    fn owned(self) -> bool {
        self
    }
}

impl Owned for String {
    type Out = String;
    fn owned(self) -> String {
        self
    }
}

impl<T: Owned> Owned for Option<T> {
    type Out = Option<T::Out>;
    fn owned(self) -> Self::Out {
        self.map(T::owned)
    }
}

impl<T: Owned> Owned for Vec<T> {
    type Out = Vec<T::Out>;
    fn owned(self) -> Self::Out {
        self.into_iter().map(T::owned).collect()
    }
}

/// Values read as serde deserialises them: they hold no value an error
/// could be inside of, so their parent records the place.
macro_rules! plain {
    ($($t:ty),*) => {$(
        impl<'de> Read<'de> for $t {
            #[inline]
            fn read<D: Deserializer<'de>>(d: D, _: &Trail) -> Result<Self, D::Error> {
                <$t>::deserialize(d)
            }
        }
    )*};
}

plain!(bool);

impl<'de> Read<'de> for String {
    #[inline]
    fn read<D: Deserializer<'de>>(d: D, _: &Trail) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        text::<D::Error>(&s)?;
        Ok(s)
    }
}

impl<'de, T: Read<'de>> Read<'de> for Option<T> {
    #[inline]
    fn read<D: Deserializer<'de>>(d: D, trail: &Trail) -> Result<Self, D::Error> {
        struct V<'t, T>(&'t Trail, PhantomData<fn() -> T>);
        impl<'de, T: Read<'de>> Visitor<'de> for V<'_, T> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("option")
            }
            fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }
            #[inline]
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
                T::read(d, self.0).map(Some)
            }
        }
        d.deserialize_option(V(trail, PhantomData))
    }
}

impl<'de, T: Read<'de>> Read<'de> for Vec<T> {
    fn read<D: Deserializer<'de>>(d: D, trail: &Trail) -> Result<Self, D::Error> {
        struct V<'t, T>(&'t Trail, PhantomData<fn() -> T>);
        impl<'de, T: Read<'de>> Visitor<'de> for V<'_, T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a sequence")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                // As serde does: trust a size hint only so far.
                let room = seq.size_hint().unwrap_or(0).min(4096);
                let mut out = Vec::with_capacity(room);
                while let Some(x) =
                    seq.next_element_seed(Seed::new(self.0, At::Index(out.len())))?
                {
                    out.push(x);
                }
                Ok(out)
            }
        }
        d.deserialize_seq(V(trail, PhantomData))
    }
}

/// Inline templates: key → template.
impl<'de> Read<'de> for BTreeMap<String, String> {
    fn read<D: Deserializer<'de>>(d: D, trail: &Trail) -> Result<Self, D::Error> {
        struct V<'t>(&'t Trail);
        impl<'de> Visitor<'de> for V<'_> {
            type Value = BTreeMap<String, String>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    if let Err(e) = text::<A::Error>(&key) {
                        self.0.push(Step::Key(key));
                        return Err(e);
                    }
                    let template =
                        map.next_value_seed(Seed::<String>::new(self.0, At::Key(&key)))?;
                    if out.contains_key(&key) {
                        // JSON keeps the last of two; TOML refuses them as syntax.
                        let e = de::Error::custom(format_args!("duplicate key `{key}`"));
                        self.0.push(Step::Key(key));
                        return Err(e);
                    }
                    out.insert(key, template);
                }
                Ok(out)
            }
        }
        d.deserialize_map(V(trail))
    }
}

/// Declares a record of the document: a struct whose fields are read from
/// the keys of a map, and its [`Read`] implementation.
///
/// Each field names its key; `required` fields must be present, the others
/// take their type's default. Keys not listed are errors.
macro_rules! record {
    (
        $(#[$attr:meta])*
        pub struct $name:ident<'a>, expecting $what:literal {
            $(
                $(#[$fattr:meta])*
                pub $field:ident: $ty:ty = $key:literal $(, $required:ident)?;
            )*
        }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone)]
        pub struct $name<'a> {
            $(
                $(#[$fattr])*
                pub $field: $ty,
            )*
        }

        impl<'de: 'a, 'a> $crate::document::read::Read<'de> for $name<'a> {
            fn read<D: serde::de::Deserializer<'de>>(
                d: D,
                trail: &$crate::document::read::Trail,
            ) -> Result<Self, D::Error> {
                #[allow(non_camel_case_types)]
                #[derive(Clone, Copy)]
                enum Key {
                    $($field,)*
                }
                const NAMES: &[&str] = &[$($key),*];
                fn known(key: &str) -> Option<Key> {
                    match key {
                        $($key => Some(Key::$field),)*
                        _ => None,
                    }
                }
                struct V<'t, 'a>(
                    &'t $crate::document::read::Trail,
                    std::marker::PhantomData<&'a ()>,
                );
                impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'_, 'a> {
                    type Value = $name<'a>;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$name<'a>, A::Error> {
                        $(let mut $field = None;)*
                        let keys = $crate::document::read::KeySeed {
                            known,
                            names: NAMES,
                            trail: self.0,
                        };
                        while let Some(found) = map.next_key_seed(keys)? {
                            match found {
                                $(Key::$field => $crate::document::read::value(
                                    &mut map,
                                    &mut $field,
                                    $key,
                                    self.0,
                                )?,)*
                            }
                        }
                        Ok($name {
                            $($field: $crate::document::read::record!(
                                @finish $field, $key $(, $required)?
                            ),)*
                        })
                    }
                }
                let v = V(trail, std::marker::PhantomData);
                d.deserialize_struct(stringify!($name), NAMES, v)
            }
        }

        impl $crate::document::read::Owned for $name<'_> {
            type Out = $name<'static>;
            fn owned(self) -> $name<'static> {
                $name {
                    $($field: $crate::document::read::Owned::owned(self.$field),)*
                }
            }
        }

        impl $crate::document::read::Weigh for $name<'_> {
            fn weight(&self) -> usize {
                std::mem::size_of::<Self>()
                    $(.saturating_add($crate::document::read::Weigh::weight(&self.$field)))*
            }
        }
    };
    (@finish $field:ident, $key:literal) => {
        $field.unwrap_or_default()
    };
    (@finish $field:ident, $key:literal, required) => {
        match $field {
            Some(v) => v,
            None => return Err(serde::de::Error::missing_field($key)),
        }
    };
}

pub(crate) use record;
