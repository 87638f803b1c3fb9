//! From libyaml's events to positioned [`Node`]s: anchors and aliases (within a budget),
//! merge keys, duplicate and non-string keys refused, nesting bounded.

use std::collections::HashMap;

use libyaml_safer::{Encoding, EventData, Mark, Parser, ScalarStyle};

use super::scalar::{MERGE_TAG, scalar_kind};
use super::{Kind, Node, YamlError};
use crate::position::{LineIndex, Position};

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
    parse_documents_indexed(source, &LineIndex::new(source))
}

/// [`parse_documents`] with the line index of `source` already built, for a caller that
/// needs the index again afterwards (the loader locates references with it).
pub fn parse_documents_indexed(source: &str, index: &LineIndex) -> Result<Vec<Node>, YamlError> {
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
        index,
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
    // an error, for a tag right before `,` in a flow collection) must not take envward down:
    // it is caught, kept off the terminal, and reported as an error after the last event read.
    let mut last = Mark::default();
    let outcome = quietly(|| {
        let mut parser = Parser::new();
        parser.set_encoding(Encoding::Utf8);
        parser.set_input(input.as_slice());
        loop {
            let event = parser.parse().map_err(|e| builder.parser_error(&e))?;
            if matches!(event.data, EventData::StreamEnd) {
                return Ok(());
            }
            last = event.end_mark;
            builder.event(event.data, event.start_mark, event.end_mark)?;
        }
    });
    match outcome {
        Some(Ok(())) => Ok(builder.documents),
        Some(Err(e)) => Err(e),
        None => Err(builder.error(last, "the YAML parser cannot read what follows here")),
    }
}

thread_local! {
    /// Set while this thread runs the parser under [`quietly`].
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, catching a panic (`None`) without the panic hook printing it. The hook that is in
/// place the first time is wrapped once, process-wide, to stay silent on a thread inside this
/// call only; every other panic reaches it as before.
fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    static WRAP: std::sync::Once = std::sync::Once::new();
    WRAP.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).ok();
    QUIET.with(|q| q.set(false));
    outcome
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
    index: &'s LineIndex,
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
        if let Some((first, again)) = first_duplicate(&entries) {
            return Err(YamlError {
                position: again,
                message: format!("mapping key already defined at line {}", first.line),
            });
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

/// Where the first key written twice is first written and written again (the earliest
/// repeat in the mapping's order). Most mappings are small: those are compared pairwise
/// without a table.
fn first_duplicate(entries: &[(Key, Node)]) -> Option<(Position, Position)> {
    const SMALL: usize = 16;
    if entries.len() <= SMALL {
        return entries.iter().enumerate().find_map(|(i, (key, _))| {
            entries[..i]
                .iter()
                .find(|(k, _)| k.text == key.text)
                .map(|(k, _)| (k.position, key.position))
        });
    }
    let mut seen: foldhash::HashMap<&str, Position> = foldhash::HashMap::default();
    seen.reserve(entries.len());
    entries.iter().find_map(|(key, _)| {
        seen.insert(key.text.as_str(), key.position)
            .map(|first| (first, key.position))
    })
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
