//! Compose YAML as a small positioned tree, read with the grammar Docker Compose uses.
//!
//! Compose decodes its files with go-yaml, a port of libyaml; this module reads them with
//! `libyaml-safer`, a safe Rust port of the same libyaml, so a file is accepted or refused by
//! the same grammar. The parser's events become [`Node`]s that keep the byte span and position
//! of each node, with go-yaml's decoding rules on top: aliases expanded (within a budget, so
//! an alias bomb is refused rather than expanded), merge keys (`<<: *anchor`) resolved,
//! duplicate keys refused, and `!reset`/`!override` tags unwrapped. Keys that are not strings
//! are refused, as Compose refuses them after decoding.
//!
//! Offsets: libyaml's marks carry a byte index (used here for spans) and a column counted in
//! characters; positions are computed from the byte index with `LineIndex`, so lines are
//! counted at `\n` only, as editors count them (libyaml also breaks lines at `\r`, U+0085,
//! U+2028 and U+2029).

mod build;
mod scalar;
#[cfg(test)]
mod tests;

use crate::position::Position;

pub use build::{parse, parse_documents, parse_documents_indexed};

/// A YAML node with its place in the source.
#[derive(Debug, Clone)]
pub struct Node {
    /// What the node holds.
    pub kind: Kind,
    /// Start of the node.
    pub position: Position,
    /// Byte range of the node in the source (for a quoted scalar, quotes included).
    pub span: std::ops::Range<usize>,
}

/// The shape of a node.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A mapping, in source order, merge keys resolved. Keys are scalars as text.
    Map(Vec<(String, Position, Node)>),
    /// A sequence.
    Seq(Vec<Node>),
    /// A string scalar: the only kind Compose interpolates.
    Str(String),
    /// A number or boolean, as Compose turns it into text (`0x1F` is `31`).
    Other(String),
    /// `null`, `~` or an empty value.
    Null,
}

impl Node {
    /// The entries of a mapping (empty for anything else).
    pub fn entries(&self) -> &[(String, Position, Node)] {
        match &self.kind {
            Kind::Map(m) => m,
            _ => &[],
        }
    }

    /// The items of a sequence (empty for anything else).
    pub fn items(&self) -> &[Node] {
        match &self.kind {
            Kind::Seq(items) => items,
            _ => &[],
        }
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, _, v)| v)
    }

    /// The text of a string or other scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) | Kind::Other(s) => Some(s),
            _ => None,
        }
    }

    /// A short name of the node's shape, for error messages.
    pub fn shape(&self) -> &'static str {
        match self.kind {
            Kind::Map(_) => "a mapping",
            Kind::Seq(_) => "a list",
            Kind::Str(_) | Kind::Other(_) => "a scalar",
            Kind::Null => "empty",
        }
    }
}

/// A YAML error with its position. The message never quotes the file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// Where it is.
    pub position: Position,
    /// What is wrong.
    pub message: String,
}
