//! Compose YAML as a small positioned tree.
//!
//! saphyr gives every node a marker; this module turns its tree into [`Node`]s that keep the
//! byte span of each node in the source, resolve merge keys (`<<: *anchor`) as Compose's YAML
//! library does, and unwrap `!reset`/`!override` tags. Aliases arrive already expanded by
//! saphyr, within its node budget, so an alias bomb is refused rather than expanded.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use crate::position::{LineIndex, Position};

/// A YAML node with its place in the source.
#[derive(Debug, Clone)]
pub struct Node {
    /// What the node holds.
    pub kind: Kind,
    /// Start of the node.
    pub position: Position,
    /// Byte range of the node in the source (best effort for block scalars).
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
    /// A number or boolean, as its text.
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

/// A YAML syntax error with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// Where it is.
    pub position: Position,
    /// What is wrong.
    pub message: String,
}

/// Parses the first document of `source`. An empty file gives a `Null` node.
pub fn parse(source: &str) -> Result<Node, YamlError> {
    let docs = MarkedYaml::load_from_str(source).map_err(|e| YamlError {
        position: Position {
            line: e.marker().line(),
            column: e.marker().col() + 1,
        },
        message: e.info().to_string(),
    })?;
    let index = LineIndex::new(source);
    let conv = Converter { source, index };
    match docs.first() {
        Some(doc) => conv.node(doc),
        None => Ok(Node {
            kind: Kind::Null,
            position: Position { line: 1, column: 1 },
            span: 0..0,
        }),
    }
}

struct Converter<'s> {
    source: &'s str,
    index: LineIndex,
}

impl Converter<'_> {
    fn offset(&self, line: usize, col: usize) -> usize {
        let Some(start) = self.index.line_start(line) else {
            return self.source.len();
        };
        let rest = &self.source[start..];
        rest.char_indices()
            .nth(col)
            .map_or(self.source.len(), |(i, _)| start + i)
    }

    fn node(&self, y: &MarkedYaml<'_>) -> Result<Node, YamlError> {
        let start = self.offset(y.span.start.line(), y.span.start.col());
        let end = self.offset(y.span.end.line(), y.span.end.col()).max(start);
        let position = self.index.position(self.source, start);
        let kind = match &y.data {
            YamlData::Value(Scalar::String(s)) | YamlData::Representation(s, _, _) => {
                Kind::Str(s.to_string())
            }
            YamlData::Value(Scalar::Null) => Kind::Null,
            YamlData::Value(Scalar::Boolean(b)) => Kind::Other(b.to_string()),
            YamlData::Value(Scalar::Integer(i)) => Kind::Other(i.to_string()),
            YamlData::Value(Scalar::FloatingPoint(f)) => Kind::Other(f.to_string()),
            YamlData::Sequence(items) => Kind::Seq(
                items
                    .iter()
                    .map(|i| self.node(i))
                    .collect::<Result<_, _>>()?,
            ),
            YamlData::Mapping(map) => {
                let mut entries: Vec<(String, Position, Node)> = Vec::new();
                let mut merged: Vec<(String, Position, Node)> = Vec::new();
                for (k, v) in map {
                    let key_node = self.node(k)?;
                    let key = key_node.as_str().unwrap_or_default().to_string();
                    let value = self.node(v)?;
                    if key == "<<" && !matches!(key_node.kind, Kind::Null) {
                        // Merge keys: explicit keys win, then earlier merged maps.
                        let sources = match value.kind {
                            Kind::Seq(items) => items,
                            _ => vec![value],
                        };
                        for src in sources {
                            if let Kind::Map(m) = src.kind {
                                merged.extend(m);
                            }
                        }
                    } else {
                        entries.push((key, key_node.position, value));
                    }
                }
                for (k, p, v) in merged {
                    if !entries.iter().any(|(e, _, _)| *e == k) {
                        entries.push((k, p, v));
                    }
                }
                Kind::Map(entries)
            }
            YamlData::Tagged(_, inner) => return self.node(inner),
            YamlData::Alias(_) | YamlData::BadValue => {
                return Err(YamlError {
                    position,
                    message: "unresolvable alias or value".to_string(),
                });
            }
        };
        Ok(Node {
            kind,
            position,
            span: start..end,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keys_and_positions() {
        let src = "x: &base\n  A: 1\n  B: two\ny:\n  <<: *base\n  B: three\n";
        let root = parse(src).unwrap();
        let y = root.get("y").unwrap();
        let keys: Vec<_> = y.entries().iter().map(|(k, _, _)| k.as_str()).collect();
        assert_eq!(keys, ["B", "A"]);
        assert_eq!(y.get("B").unwrap().as_str(), Some("three"));
        assert_eq!(
            y.get("B").unwrap().position,
            Position { line: 6, column: 6 }
        );
    }

    #[test]
    fn alias_bombs_are_refused() {
        use std::fmt::Write;
        let mut src = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = (b'a' + i - 1) as char;
            let cur = (b'a' + i) as char;
            let refs = vec![format!("*{prev}"); 10].join(", ");
            writeln!(src, "{cur}: &{cur} [{refs}]").unwrap();
        }
        assert!(parse(&src).is_err());
    }
}
