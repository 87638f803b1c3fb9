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
//! characters; positions are computed from the byte index with [`LineIndex`], so lines are
//! counted at `\n` only, as editors count them (libyaml also breaks lines at `\r`, U+0085,
//! U+2028 and U+2029).

use std::collections::HashMap;

use libyaml_safer::{Encoding, EventData, Mark, Parser, ScalarStyle};

use crate::position::{LineIndex, Position};

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

/// How deep collections may nest. go-yaml stops at 10,000; real compose files stay under 20,
/// and the consumers of the tree walk it recursively.
const MAX_DEPTH: usize = 1_000;

/// Nodes that alias expansion may add on top of the nodes written in the file: a fixed
/// allowance plus four copies of what was written, so expansion stays linear in the input.
const ALIAS_ALLOWANCE: usize = 100_000;
const ALIAS_FACTOR: usize = 4;

/// Parses the first document of `source`. An empty stream gives a `Null` node.
pub fn parse(source: &str) -> Result<Node, YamlError> {
    Ok(parse_documents(source)?.into_iter().next().unwrap_or(Node {
        kind: Kind::Null,
        position: Position { line: 1, column: 1 },
        span: 0..0,
    }))
}

/// Parses every document of `source` (`---` separated), in order.
pub fn parse_documents(source: &str) -> Result<Vec<Node>, YamlError> {
    // A byte order mark is skipped here, and the encoding fixed to UTF-8, so that marks are
    // byte offsets into the text after it (libyaml's own detection consumes the mark without
    // counting it, and mistakes other text starting with byte EF for a bad mark).
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    // libyaml-safer 0.3 panics where a block scalar runs into the end of the input (libyaml's
    // C buffer ends in a NUL that its port lacks), so the parser always sees a final line
    // break; `Builder::scalar` takes back the one it adds to a block scalar's value.
    let mut input = source.as_bytes()[bom..].to_vec();
    let appended = !source.ends_with(['\n', '\r']);
    if appended {
        input.push(b'\n');
    }
    let mut builder = Builder {
        source,
        bom,
        index: LineIndex::new(source),
        anchors: HashMap::new(),
        stack: Vec::new(),
        written: 0,
        copied: 0,
        documents: Vec::new(),
        appended,
    };
    // Events are built into nodes as they come, so that the nesting limit stops a hostile
    // input early (libyaml's work per token grows with the nesting depth).
    // A panic inside the parser (a defect of the port: it has `panic!` where libyaml reports
    // an error) must not take envward down: it is caught and reported as a located error.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut parser = Parser::new();
        parser.set_encoding(Encoding::Utf8);
        parser.set_input(input.as_slice());
        loop {
            let event = parser.parse().map_err(|e| builder.parser_error(&e))?;
            if matches!(event.data, EventData::StreamEnd) {
                return Ok(());
            }
            builder.event(event.data, event.start_mark, event.end_mark)?;
        }
    }));
    match outcome {
        Ok(Ok(())) => Ok(builder.documents),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(YamlError {
            position: Position { line: 1, column: 1 },
            message: "the YAML parser failed on this file".to_string(),
        }),
    }
}

/// A scalar key as written: its text, position, and what it resolves to.
struct Key {
    text: String,
    position: Position,
    merge: bool,
    string: bool,
}

enum Frame {
    Seq {
        start: Mark,
        anchor: Option<String>,
        items: Vec<Node>,
        count: usize,
    },
    Map {
        start: Mark,
        anchor: Option<String>,
        entries: Vec<(Key, Node)>,
        key: Option<Key>,
        count: usize,
    },
}

struct Builder<'s> {
    source: &'s str,
    bom: usize,
    index: LineIndex,
    /// Anchored nodes of the current document, with their node counts.
    anchors: HashMap<String, (Node, usize)>,
    stack: Vec<Frame>,
    written: usize,
    copied: usize,
    documents: Vec<Node>,
    /// A line break was added after the source for the parser.
    appended: bool,
}

impl Builder<'_> {
    /// The value of a block scalar that ends the input, without the line break the parser
    /// saw only because one was added: `|+` kept it, and `|` kept it when the last line has
    /// content.
    fn block_value(&self, mut value: String, start: Mark, end: Mark) -> String {
        let ends_input =
            usize::try_from(end.index).map_or(true, |e| e + self.bom >= self.source.len());
        if !(self.appended && ends_input && value.ends_with('\n')) {
            return value;
        }
        let header = self.source.get(self.offset(start)..).unwrap_or("");
        let header: String = header.chars().skip(1).take(2).collect();
        let keep = header.contains('+');
        let strip = header.contains('-');
        let last_line_has_content = self
            .source
            .rsplit('\n')
            .next()
            .is_some_and(|l| !l.trim().is_empty());
        if keep || (!strip && last_line_has_content) {
            value.pop();
        }
        value
    }

    fn offset(&self, mark: Mark) -> usize {
        let at = usize::try_from(mark.index)
            .unwrap_or(usize::MAX)
            .saturating_add(self.bom)
            .min(self.source.len());
        // Marks fall on character boundaries; stay safe if one ever does not.
        (0..=at)
            .rev()
            .find(|&i| self.source.is_char_boundary(i))
            .unwrap_or(0)
    }

    fn position(&self, mark: Mark) -> Position {
        self.index.position(self.source, self.offset(mark))
    }

    fn error(&self, mark: Mark, message: impl Into<String>) -> YamlError {
        YamlError {
            position: self.position(mark),
            message: message.into(),
        }
    }

    fn parser_error(&self, e: &libyaml_safer::Error) -> YamlError {
        let message = match (e.context(), e.context_mark()) {
            (Some(context), Some(mark)) => {
                format!("{} ({context} at {})", e.problem(), self.position(mark))
            }
            _ => e.problem().to_string(),
        };
        let position = match e.problem_mark() {
            Some(mark) => self.position(mark),
            // Reader errors carry no mark. The only one UTF-8 text can raise is a character
            // YAML does not allow (a control character): point at the first one.
            None => {
                let at = self
                    .source
                    .char_indices()
                    .find(|&(_, c)| !allowed_in_yaml(c))
                    .map_or(0, |(i, _)| i);
                self.index.position(self.source, at)
            }
        };
        YamlError { position, message }
    }

    fn event(&mut self, data: EventData, start: Mark, end: Mark) -> Result<(), YamlError> {
        match data {
            EventData::StreamStart { .. }
            | EventData::DocumentEnd { .. }
            | EventData::StreamEnd => Ok(()),
            EventData::DocumentStart { .. } => {
                self.anchors.clear();
                Ok(())
            }
            EventData::Alias { anchor } => {
                let Some(count) = self.anchors.get(&anchor).map(|(_, c)| *c) else {
                    return Err(self.error(start, "alias to an unknown anchor"));
                };
                // The budget is checked before the copy is made.
                self.copied = self.copied.saturating_add(count);
                if self.copied > ALIAS_ALLOWANCE.saturating_add(ALIAS_FACTOR * self.written) {
                    return Err(self.error(
                        start,
                        "alias expansion exceeds the node budget (a YAML alias bomb?)",
                    ));
                }
                let node = self.anchors[&anchor].0.clone();
                self.finish(node, count, None, None, start)
            }
            EventData::Scalar {
                anchor,
                tag,
                value,
                style,
                ..
            } => {
                self.written += 1;
                let value = if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    self.block_value(value, start, end)
                } else {
                    value
                };
                let plain = style == ScalarStyle::Plain;
                let kind = scalar_kind(value, plain, tag.as_deref());
                let merge = plain
                    && matches!(&kind, Kind::Str(s) if s == "<<")
                    && tag.as_deref().is_none_or(|t| t == MERGE_TAG)
                    || tag.as_deref() == Some(MERGE_TAG);
                let node = Node {
                    kind,
                    position: self.position(start),
                    span: self.offset(start)..self.offset(end),
                };
                self.finish(node, 1, anchor, Some(merge), start)
            }
            EventData::SequenceStart { anchor, .. } => {
                self.open(start)?;
                self.stack.push(Frame::Seq {
                    start,
                    anchor,
                    items: Vec::new(),
                    count: 1,
                });
                Ok(())
            }
            EventData::MappingStart { anchor, .. } => {
                self.open(start)?;
                self.stack.push(Frame::Map {
                    start,
                    anchor,
                    entries: Vec::new(),
                    key: None,
                    count: 1,
                });
                Ok(())
            }
            EventData::SequenceEnd => match self.stack.pop() {
                Some(Frame::Seq {
                    start: open,
                    anchor,
                    items,
                    count,
                }) => {
                    let node = Node {
                        kind: Kind::Seq(items),
                        position: self.position(open),
                        span: self.offset(open)..self.offset(end),
                    };
                    self.finish(node, count, anchor, None, open)
                }
                _ => Err(self.error(start, "unbalanced sequence end")),
            },
            EventData::MappingEnd => match self.stack.pop() {
                Some(Frame::Map {
                    start: open,
                    anchor,
                    entries,
                    count,
                    ..
                }) => {
                    let kind = Kind::Map(Self::resolve_merges(entries)?);
                    let node = Node {
                        kind,
                        position: self.position(open),
                        span: self.offset(open)..self.offset(end),
                    };
                    self.finish(node, count, anchor, None, open)
                }
                _ => Err(self.error(start, "unbalanced mapping end")),
            },
        }
    }

    fn open(&mut self, start: Mark) -> Result<(), YamlError> {
        self.written += 1;
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.error(
                start,
                format!("collections nested more than {MAX_DEPTH} deep"),
            ));
        }
        // A collection cannot be a key Compose accepts.
        if let Some(Frame::Map { key: None, .. }) = self.stack.last() {
            return Err(self.error(start, "a mapping key must be a string"));
        }
        Ok(())
    }

    /// Attaches a finished node to its parent (or ends a document). `merge` is set for
    /// scalars: whether the scalar, used as a key, is the merge key `<<`.
    fn finish(
        &mut self,
        node: Node,
        count: usize,
        anchor: Option<String>,
        merge: Option<bool>,
        start: Mark,
    ) -> Result<(), YamlError> {
        if let Some(name) = anchor {
            self.anchors.insert(name, (node.clone(), count));
        }
        match self.stack.last_mut() {
            None => self.documents.push(node),
            Some(Frame::Seq {
                items, count: c, ..
            }) => {
                items.push(node);
                *c = c.saturating_add(count);
            }
            Some(Frame::Map {
                key: key @ None, ..
            }) => {
                let (text, string) = match node.kind {
                    Kind::Str(s) => (s, true),
                    Kind::Other(s) => (s, false),
                    Kind::Null => (String::new(), false),
                    Kind::Map(_) | Kind::Seq(_) => {
                        return Err(self.error(start, "a mapping key must be a string"));
                    }
                };
                *key = Some(Key {
                    text,
                    position: node.position,
                    merge: merge.unwrap_or(false),
                    string,
                });
            }
            Some(Frame::Map {
                key: key @ Some(_),
                entries,
                count: c,
                ..
            }) => {
                if let Some(k) = key.take() {
                    entries.push((k, node));
                }
                *c = c.saturating_add(count);
            }
        }
        Ok(())
    }

    /// Applies go-yaml's mapping rules: a key written twice is an error, a key that is not a
    /// string is refused (as Compose refuses it), and `<<` merges the keys of a mapping or of
    /// a list of mappings that the mapping does not set itself (earlier mappings first).
    fn resolve_merges(
        entries: Vec<(Key, Node)>,
    ) -> Result<Vec<(String, Position, Node)>, YamlError> {
        let mut seen: HashMap<&str, Position> = HashMap::with_capacity(entries.len());
        for (key, _) in &entries {
            if let Some(first) = seen.insert(key.text.as_str(), key.position) {
                return Err(YamlError {
                    position: key.position,
                    message: format!("mapping key already defined at line {}", first.line),
                });
            }
        }
        let mut out: Vec<(String, Position, Node)> = Vec::with_capacity(entries.len());
        let mut merged: Vec<(String, Position, Node)> = Vec::new();
        for (key, value) in entries {
            if key.merge {
                let position = value.position;
                let sources = match value.kind {
                    Kind::Map(m) => vec![m],
                    Kind::Seq(items) => {
                        let mut maps = Vec::with_capacity(items.len());
                        for item in items {
                            match item.kind {
                                Kind::Map(m) => maps.push(m),
                                _ => return Err(merge_error(item.position)),
                            }
                        }
                        maps
                    }
                    _ => return Err(merge_error(position)),
                };
                merged.extend(sources.into_iter().flatten());
            } else if !key.string {
                return Err(YamlError {
                    position: key.position,
                    message: "a mapping key must be a string, not a number, boolean or null"
                        .to_string(),
                });
            } else {
                out.push((key.text, key.position, value));
            }
        }
        if !merged.is_empty() {
            let mut present: std::collections::HashSet<String> =
                out.iter().map(|(k, _, _)| k.clone()).collect();
            for (k, p, v) in merged {
                if present.insert(k.clone()) {
                    out.push((k, p, v));
                }
            }
        }
        Ok(out)
    }
}

/// The characters YAML 1.1 admits in a stream (libyaml refuses the others).
fn allowed_in_yaml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7E}' | '\u{85}')
        || matches!(c, '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn merge_error(position: Position) -> YamlError {
    YamlError {
        position,
        message: "a merge key `<<` needs a mapping or a list of mappings".to_string(),
    }
}

const MERGE_TAG: &str = "tag:yaml.org,2002:merge";

/// What a scalar decodes to, with go-yaml's resolution of plain scalars (YAML 1.2 core:
/// `yes`/`on` stay strings) and explicit `!!` tags. Other tags (`!reset`, `!override`, local
/// ones) resolve the scalar as if it had none.
fn scalar_kind(value: String, plain: bool, tag: Option<&str>) -> Kind {
    match tag {
        Some("tag:yaml.org,2002:str" | "tag:yaml.org,2002:binary" | "!") => Kind::Str(value),
        Some("tag:yaml.org,2002:null") => Kind::Null,
        _ if !plain => Kind::Str(value),
        _ => resolve_plain(value),
    }
}

fn resolve_plain(value: String) -> Kind {
    match value.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Kind::Null,
        "true" | "True" | "TRUE" => return Kind::Other("true".to_string()),
        "false" | "False" | "FALSE" => return Kind::Other("false".to_string()),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Kind::Other("+Inf".to_string());
        }
        "-.inf" | "-.Inf" | "-.INF" => return Kind::Other("-Inf".to_string()),
        ".nan" | ".NaN" | ".NAN" => return Kind::Other("NaN".to_string()),
        _ => {}
    }
    let Some(first) = value.chars().next() else {
        return Kind::Str(value);
    };
    if !(first.is_ascii_digit() || matches!(first, '-' | '+' | '.')) {
        return Kind::Str(value);
    }
    match number(&value) {
        Some(text) => Kind::Other(text),
        None => Kind::Str(value),
    }
}

/// A plain scalar read as go-yaml reads numbers (underscores dropped; `0x`, `0o`, `0b` and a
/// leading `0` for octal), as decimal text; `None` when it is not a number.
fn number(value: &str) -> Option<String> {
    let plain: String = value.chars().filter(|&c| c != '_').collect();
    let (negative, digits) = match plain.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, plain.strip_prefix('+').unwrap_or(&plain)),
    };
    let (radix, body) = if let Some(b) = digits.strip_prefix("0x") {
        (16, b)
    } else if let Some(b) = digits.strip_prefix("0o") {
        (8, b)
    } else if let Some(b) = digits.strip_prefix("0b") {
        (2, b)
    } else if digits.len() > 1
        && digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    if !body.is_empty() && body.chars().all(|c| c.is_digit(radix)) {
        if let Ok(n) = u128::from_str_radix(body, radix)
            && n <= u128::from(u64::MAX)
        {
            return Some(if negative && n != 0 {
                format!("-{n}")
            } else {
                n.to_string()
            });
        }
        return None;
    }
    // Floats: digits with an optional fraction and exponent (`1.5`, `.5`, `1e3`, `6.8523015e+5`).
    let is_float = {
        let (mantissa, exponent) = match digits.find(['e', 'E']) {
            Some(at) => (&digits[..at], Some(&digits[at + 1..])),
            None => (digits, None),
        };
        let mantissa_ok = {
            let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
            (!int.is_empty() || !frac.is_empty())
                && int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
        };
        let exponent_ok = exponent.is_none_or(|e| {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
        });
        mantissa_ok && exponent_ok
    };
    if is_float {
        let f: f64 = plain.parse().ok()?;
        return Some(f.to_string());
    }
    None
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
        let start = std::time::Instant::now();
        let err = parse(&src).unwrap_err();
        assert!(err.message.contains("alias expansion"), "{err:?}");
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn flow_sequence_closed_at_the_parent_indentation() {
        // Compose (go-yaml) reads this healthcheck; saphyr refused it ("invalid indentation").
        let src = "services:\n  db:\n    healthcheck:\n      test: [\n        \"CMD\", \"pg_isready\",   # comment inside\n        \"-U\", \"postgres\"\n      ]\n";
        let root = parse(src).unwrap();
        let test = root
            .get("services")
            .and_then(|s| s.get("db"))
            .and_then(|d| d.get("healthcheck"))
            .and_then(|h| h.get("test"))
            .unwrap();
        let items: Vec<_> = test.items().iter().filter_map(Node::as_str).collect();
        assert_eq!(items, ["CMD", "pg_isready", "-U", "postgres"]);
        assert_eq!(test.items()[2].position, Position { line: 6, column: 9 });
    }

    #[test]
    fn comments_and_line_breaks_inside_flow_mappings() {
        let src = "x: {\n  a: 1,   # one\n  b: \"two\"\n  }\ny: [a, # c\n  b]\n";
        let root = parse(src).unwrap();
        assert_eq!(
            root.get("x").unwrap().get("b").unwrap().as_str(),
            Some("two")
        );
        assert_eq!(root.get("y").unwrap().items().len(), 2);
    }

    #[test]
    fn tabs_where_yaml_allows_them() {
        // Tabs separate a value from its key and may follow content; they may not indent.
        let root = parse("a:\tb\t# c\nc: \"x\ty\"\n").unwrap();
        assert_eq!(root.get("a").unwrap().as_str(), Some("b"));
        assert_eq!(root.get("c").unwrap().as_str(), Some("x\ty"));
        assert!(parse("a:\n\tb: c\n").is_err());
    }

    #[test]
    fn duplicate_and_non_string_keys_are_refused_as_compose_does() {
        let err = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.position, Position { line: 3, column: 1 });
        assert!(err.message.contains("line 1"), "{}", err.message);
        assert!(parse("1: x\n").is_err());
        assert!(parse("? [a]\n: x\n").is_err());
        // Merged keys do not clash with explicit ones.
        assert!(parse("x: &x {a: 1}\ny:\n  <<: *x\n  a: 2\n").is_ok());
    }

    #[test]
    fn scalars_resolve_as_go_yaml_does() {
        let root = parse("a: yes\nb: 0x1F\nc: 0755\nd: 1.10\ne: ~\nf: '1'\ng: 1_000\n").unwrap();
        let kind = |k: &str| match &root.get(k).unwrap().kind {
            Kind::Str(s) => format!("str {s}"),
            Kind::Other(s) => format!("other {s}"),
            Kind::Null => "null".to_string(),
            _ => "collection".to_string(),
        };
        assert_eq!(kind("a"), "str yes");
        assert_eq!(kind("b"), "other 31");
        assert_eq!(kind("c"), "other 493");
        assert_eq!(kind("d"), "other 1.1");
        assert_eq!(kind("e"), "null");
        assert_eq!(kind("f"), "str 1");
        assert_eq!(kind("g"), "other 1000");
    }

    #[test]
    fn spans_are_bytes_and_columns_are_characters() {
        let src = "é: \"ü ${X}\"\n";
        let root = parse(src).unwrap();
        let (_, key_pos, value) = &root.entries()[0];
        assert_eq!(*key_pos, Position { line: 1, column: 1 });
        assert_eq!(value.position, Position { line: 1, column: 4 });
        assert_eq!(&src[value.span.clone()], "\"ü ${X}\"");
        let with_bom = format!("\u{feff}{src}");
        let value = &parse(&with_bom).unwrap().entries()[0].2.clone();
        assert_eq!(&with_bom[value.span.clone()], "\"ü ${X}\"");
    }

    #[test]
    fn block_scalar_at_the_end_of_a_file_without_a_line_break() {
        // libyaml-safer 0.3 panicked here (exit 101); the value is libyaml's.
        let value = |src: &str| {
            parse(src)
                .unwrap()
                .get("a")
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(value("a: |\n  echo hi"), "echo hi");
        assert_eq!(value("a: |\n  echo hi\n"), "echo hi\n");
        assert_eq!(value("a: |+\n  x"), "x");
        assert_eq!(value("a: >-\n  x\n  y"), "x y");
        assert_eq!(value("a: |\n  x\n  "), "x\n");
    }

    #[test]
    fn documents_are_all_read() {
        let docs = parse_documents("a: 1\n---\nb: 2\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].get("b").unwrap().position.line, 3);
        assert!(parse_documents("").unwrap().is_empty());
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let src = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
        let err = parse(&src).unwrap_err();
        assert!(err.message.contains("nested"), "{err:?}");
    }
}
