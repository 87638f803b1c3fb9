//! The template files as the build baked them (see `build.rs`): TOML turned into static data
//! at compile time, read through serde as if it had just been parsed. No run parses TOML.
//!
//! [`Baked`] is the value tree; `&'static Baked` is a serde `Deserializer`, so the typed
//! file structs of [`super::files`] deserialize from it unchanged.

use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
use serde::de::{self, IntoDeserializer, Visitor};

/// A TOML value, baked into the binary.
#[derive(Debug)]
pub enum Baked {
    /// A string.
    Str(&'static str),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// An array.
    Array(&'static [Baked]),
    /// A table, in the file's key order.
    Table(&'static [(&'static str, Baked)]),
}

/// The built-in template files: `NAMES`, `IMAGES`, `PLACEHOLDERS`, `PASSWORDS`, `PROVIDERS`,
/// `DERIVED`.
pub mod files {
    use super::Baked;
    include!(concat!(env!("OUT_DIR"), "/templates.rs"));
}

/// The `[[image]]` tables of `images.toml`, unread.
pub fn images(file: &'static Baked) -> Option<&'static [Baked]> {
    match at(file, "image")? {
        Baked::Array(items) => Some(items),
        _ => None,
    }
}

/// The value under `key` of a table.
fn at(table: &'static Baked, key: &str) -> Option<&'static Baked> {
    match table {
        Baked::Table(entries) => entries.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
        _ => None,
    }
}

/// The string under `key` of a table.
pub fn str_at(table: &'static Baked, key: &str) -> Option<&'static str> {
    match at(table, key)? {
        Baked::Str(s) => Some(s),
        _ => None,
    }
}

/// The strings of the array under `key` of a table (none when it is absent).
pub fn strs_at(table: &'static Baked, key: &str) -> impl Iterator<Item = &'static str> {
    let items: &'static [Baked] = match at(table, key) {
        Some(Baked::Array(items)) => items,
        _ => &[],
    };
    items.iter().filter_map(|b| match b {
        Baked::Str(s) => Some(*s),
        _ => None,
    })
}

/// Deserializes a template file's typed form from its baked tree.
pub fn read<T: de::Deserialize<'static>>(file: &'static Baked) -> Result<T, Error> {
    T::deserialize(file)
}

impl<'de> de::Deserializer<'de> for &'static Baked {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            // Borrowed, so a file's `&'static str` fields point into the baked data.
            Baked::Str(s) => visitor.visit_borrowed_str(s),
            Baked::Int(i) => visitor.visit_i64(*i),
            Baked::Float(f) => visitor.visit_f64(*f),
            Baked::Bool(b) => visitor.visit_bool(*b),
            Baked::Array(items) => visitor.visit_seq(SeqDeserializer::new(items.iter())),
            Baked::Table(entries) => {
                visitor.visit_map(MapDeserializer::new(entries.iter().map(|(k, v)| (*k, v))))
            }
        }
    }

    // TOML has no null: a value that is there is `Some`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    // Enums in the templates are unit variants written as strings (`class = "secret"`).
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Baked::Str(s) => visitor.visit_enum((*s).into_deserializer()),
            _ => Err(de::Error::custom("expected a string naming a variant")),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

impl IntoDeserializer<'_, Error> for &'static Baked {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}
