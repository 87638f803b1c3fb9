//! The `.env` file as a lossless document, read exactly as Docker Compose reads it.
//!
//! [`parse`] turns text into a [`Document`] of entries and the trivia between them (blank
//! lines, comments, whitespace); [`Document::render`] gives back the same bytes. Entries keep
//! their position. [`Document::resolve`] decodes values as Compose does (quotes, escapes and
//! interpolation with a caller-supplied lookup, COMPOSE-SEMANTICS.md §2), and the `edit`
//! functions rewrite one entry at a time with the quoting its new value needs.
//!
//! This module is pure: it takes text and returns documents and values. It must not read
//! files, the process environment or the clock.

mod decode;
mod edit;
mod scan;

use std::ops::Range;

use crate::interpolate::{self, Reference};
use crate::position::{LineIndex, Position};

pub use decode::{Binding, expand_escapes};
pub use edit::{EditError, encode_value, is_portable};

/// Whether `name` is a key a `.env` file can set under Compose's rules (letters, numbers,
/// `_ . - [ ]`, and inside it the horizontal spaces other than ` ` that Compose keeps), so a
/// passthrough `environment:` entry of that name can be fed by one.
pub fn is_key(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| scan::is_key_char(c) || (scan::is_hspace(c) && c != ' '))
        && !name.ends_with(char::is_whitespace)
}

/// Whether `name` is a key both Compose and `dotenvy` read: ASCII letters, digits, `_` and
/// `.`, not starting with a digit. The only keys envward writes into a new statement.
pub fn is_portable_key(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// How an entry's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    /// `KEY=value`
    None,
    /// `KEY='value'`
    Single,
    /// `KEY="value"`
    Double,
}

/// One statement of a `.env` file: `KEY=value`, `KEY: value`, `export KEY=value` or a bare
/// `KEY` that inherits from the environment. Its `Debug` shows the key and position only:
/// values are secrets and must not reach logs or panic messages.
#[derive(Clone, PartialEq, Eq)]
pub struct Entry {
    /// Exact source text of the statement (from the key, or `export`, to the end of the
    /// value; an unquoted value's line includes its inline comment).
    text: String,
    key: String,
    value: Option<ValueSpan>,
    position: Position,
}

#[derive(Clone, PartialEq, Eq)]
struct ValueSpan {
    /// The value token within `Entry::text`, quotes included.
    range: Range<usize>,
    quote: Quote,
    position: Position,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("key", &self.key)
            .field("position", &self.position)
            .finish_non_exhaustive()
    }
}

impl Entry {
    /// The key as Compose reads it (trailing whitespace trimmed).
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Where the statement starts.
    pub fn position(&self) -> Position {
        self.position
    }

    /// Where the value starts (the key's position for a bare key).
    pub fn value_position(&self) -> Position {
        self.value.as_ref().map_or(self.position, |v| v.position)
    }

    /// The exact source text of the statement.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// True for a bare `KEY` line, which takes its value from the environment.
    pub fn is_bare(&self) -> bool {
        self.value.is_none()
    }

    /// How the value is quoted (`None` also for a bare key).
    pub fn quote(&self) -> Quote {
        self.value.as_ref().map_or(Quote::None, |v| v.quote)
    }

    /// The value token as written, quotes included (empty for a bare key).
    pub fn raw_value(&self) -> &str {
        self.value
            .as_ref()
            .map_or("", |v| &self.text[v.range.clone()])
    }

    /// The value after quote processing and before interpolation: what the template engine
    /// sees. `None` for single-quoted values, which are never interpolated, and bare keys.
    pub fn template(&self) -> Option<String> {
        let v = self.value.as_ref()?;
        let raw = &self.text[v.range.clone()];
        match v.quote {
            Quote::None => Some(raw.to_string()),
            Quote::Single => None,
            Quote::Double => Some(expand_escapes(&scan::unquote(&raw[1..], '"').0)),
        }
    }

    /// The interpolation references inside this entry's value (`URL=postgres://${USER}@…`).
    pub fn references(&self) -> Vec<Reference> {
        if !self.raw_value().contains('$') {
            return Vec::new();
        }
        self.template()
            .and_then(|t| interpolate::references(&t).ok())
            .unwrap_or_default()
    }
}

/// A piece of a document: a statement, or the text between statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// Whitespace, blank lines and comments, exactly as written.
    Trivia(String),
    /// A statement.
    Entry(Entry),
}

/// A parsed `.env` file that renders back to exactly the bytes it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    bom: bool,
    items: Vec<Item>,
}

/// What is wrong with a `.env` file, as Compose would reject it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseErrorKind {
    /// A character that may not appear in a key. The message names no character: the line may
    /// be a stray value, so only its position is shown.
    #[error("unexpected character in variable name")]
    UnexpectedCharacter(char),
    /// An ASCII space inside a key (`FOO BAR=1`).
    #[error("variable name cannot contain a space")]
    SpaceInKey,
    /// A quoted value with no closing quote.
    #[error("unterminated quoted value (no closing {0})")]
    UnterminatedQuote(char),
    /// A value whose interpolation fails (malformed `${`, or `${X:?}` with X missing).
    #[error("{0}")]
    Template(interpolate::TemplateError),
    /// Text after a closing quote on the same line. Compose reads it as another statement
    /// (`PW="a" rest` sets `PW` and looks up a variable `rest`); it is almost always a
    /// broken value, so the recovering parser reports it instead of making a key of it.
    #[error(
        "text after the closing quote (quote the whole value, or put the next variable on its own line)"
    )]
    TextAfterQuote,
}

/// A `.env` error with the position Compose would blame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{position}: {kind}")]
pub struct ParseError {
    /// Where it is.
    pub position: Position,
    /// What it is.
    pub kind: ParseErrorKind,
}

/// Parses `.env` text. Errors are the syntax errors that make Compose reject the whole file;
/// interpolation errors surface later, from [`Document::resolve`], because they depend on the
/// lookup.
pub fn parse(input: &str) -> Result<Document, ParseError> {
    let (doc, errors) = parse_inner(input, false);
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(doc),
    }
}

/// Parses as much as possible: a statement Compose would reject becomes trivia up to the end
/// of its line and its error is collected, and parsing goes on. The document still renders
/// to the exact input. For reports that should show every syntax error and analyse the rest.
///
/// Unlike [`parse`], text after a closing quote on the same line is an error here
/// ([`ParseErrorKind::TextAfterQuote`]), not a statement: no fragment of a broken value
/// becomes a key that reports would then show.
pub fn parse_recovering(input: &str) -> (Document, Vec<ParseError>) {
    parse_inner(input, true)
}

fn parse_inner(input: &str, recover: bool) -> (Document, Vec<ParseError>) {
    let (bom, text) = match input.strip_prefix('\u{feff}') {
        Some(rest) => (true, rest),
        None => (false, input),
    };
    let index = LineIndex::new(text);
    // A statement and the line break after it are two items: sized once, not doubled into.
    let mut items = Vec::with_capacity(2 * index.line_count() + 1);
    let mut errors = Vec::new();
    let mut trivia_start = 0;
    let mut pos = 0;
    // Where the last quoted value closed, while the line it closed on is not over.
    let mut after_quote: Option<usize> = None;
    while let Some(start) = scan::statement_start(text, pos) {
        if recover
            && let Some(close) = after_quote.take()
            && !text[close..start].contains('\n')
        {
            errors.push(ParseError {
                position: index.position(text, start),
                kind: ParseErrorKind::TextAfterQuote,
            });
            pos = text[start..].find('\n').map_or(text.len(), |n| start + n);
            continue;
        }
        let stmt = match scan::statement(text, start) {
            Ok(stmt) => stmt,
            Err((offset, kind)) => {
                errors.push(ParseError {
                    position: index.position(text, offset),
                    kind,
                });
                if !recover {
                    break;
                }
                // An unterminated quote runs to the end of the file for Compose: what follows is
                // inside the value, so none of it may become a key. Other errors skip the rest
                // of their line. The skipped text stays in the document as trivia.
                if matches!(
                    errors.last().map(|e| &e.kind),
                    Some(ParseErrorKind::UnterminatedQuote(_))
                ) {
                    break;
                }
                pos = text[offset..].find('\n').map_or(text.len(), |n| offset + n);
                continue;
            }
        };
        if trivia_start < start {
            items.push(Item::Trivia(text[trivia_start..start].to_string()));
        }
        let entry_text = &text[start..stmt.end];
        let key = (stmt.key_offset, index.position(text, stmt.key_offset));
        let value = stmt.value.map(|(range, quote)| ValueSpan {
            position: index.position_after(text, key, range.start),
            range: range.start - start..range.end - start,
            quote,
        });
        after_quote = matches!(
            value,
            Some(ValueSpan {
                quote: Quote::Single | Quote::Double,
                ..
            })
        )
        .then_some(stmt.end);
        items.push(Item::Entry(Entry {
            text: entry_text.to_string(),
            key: stmt.key,
            value,
            position: key.1,
        }));
        trivia_start = stmt.end;
        pos = stmt.next;
    }
    if trivia_start < text.len() {
        items.push(Item::Trivia(text[trivia_start..].to_string()));
    }
    (Document { bom, items }, errors)
}

impl Document {
    /// The exact text: for an unchanged document, the bytes it was parsed from.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if self.bom {
            out.push('\u{feff}');
        }
        for item in &self.items {
            match item {
                Item::Trivia(t) => out.push_str(t),
                Item::Entry(e) => out.push_str(&e.text),
            }
        }
        out
    }

    /// The items in file order.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// The statements in file order (duplicates included).
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.items.iter().filter_map(|i| match i {
            Item::Entry(e) => Some(e),
            Item::Trivia(_) => None,
        })
    }

    /// The statement that wins for `key`: the last one, as in Compose.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries().filter(|e| e.key == key).last()
    }

    /// The distinct keys in order of first appearance.
    pub fn keys(&self) -> Vec<&str> {
        let mut seen = std::collections::HashSet::new();
        self.entries()
            .map(Entry::key)
            .filter(|k| seen.insert(*k))
            .collect()
    }

    /// The line ending the document uses (`\r\n` when its first line ends so).
    pub fn line_ending(&self) -> &'static str {
        let text = self.items.iter().find_map(|i| {
            let t = match i {
                Item::Trivia(t) => t,
                Item::Entry(e) => &e.text,
            };
            t.find('\n').map(|at| t[..at].ends_with('\r'))
        });
        if text == Some(true) { "\r\n" } else { "\n" }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_gives_back_every_byte() {
        let inputs = [
            "",
            "\u{feff}A=1\r\nB='x'\r\n",
            "# c\n\n  export A = \"multi\nline\" # after\nB=2 # inline\nC\n",
            "A=1\nFOO",
            "K: v\n\t\n",
        ];
        for input in inputs {
            assert_eq!(parse(input).unwrap().render(), input, "{input:?}");
        }
    }

    #[test]
    fn debug_output_never_shows_values() {
        let doc = parse("PASSWORD=hunter2-canary\n").unwrap();
        assert!(!format!("{doc:?}").contains("hunter2-canary"));
    }

    #[test]
    fn entries_keep_positions() {
        let doc = parse("# head\nA=1\n  B = 'two'\n").unwrap();
        let b = doc.get("B").unwrap();
        assert_eq!(b.position(), Position { line: 3, column: 3 });
        assert_eq!(b.value_position(), Position { line: 3, column: 7 });
        assert_eq!(b.quote(), Quote::Single);
    }

    #[test]
    fn recovering_parse_keeps_going_and_stays_lossless() {
        let input = "A=1\nBAD KEY=2\nD=4\nB=\"open\nC=3\n";
        let (doc, errors) = parse_recovering(input);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].position.line, 2);
        assert_eq!(errors[1].position.line, 4);
        // What follows an unterminated quote is inside it: `C` is not a key.
        assert_eq!(doc.keys(), ["A", "D"]);
        assert_eq!(doc.render(), input);
    }

    #[test]
    fn text_after_a_closing_quote_never_becomes_a_key() {
        for input in [
            "PW=\"a\" secretpart\nB=1\n",
            "PW='a' token:secret\nB=1\n",
            "PW=\"a\"secretpart\nB=1",
            "PW=\"a\" X=1\nB=1\n",
        ] {
            let (doc, errors) = parse_recovering(input);
            assert_eq!(doc.keys(), ["PW", "B"], "{input:?}");
            assert_eq!(errors.len(), 1, "{input:?}");
            assert_eq!(errors[0].kind, ParseErrorKind::TextAfterQuote);
            assert_eq!(errors[0].position.line, 1);
            assert!(!errors[0].to_string().contains("secret"));
            assert_eq!(doc.render(), input);
        }
        // A comment after the quote is fine, and strict parsing keeps Compose's reading.
        assert!(parse_recovering("PW=\"a\" # c\nB=1\n").1.is_empty());
        assert_eq!(parse("PW=\"a\" X=1\n").unwrap().keys(), ["PW", "X"]);
    }

    #[test]
    fn keys_keep_the_horizontal_spaces_compose_keeps() {
        // Found by fuzzing: a no-break space inside a key is part of it for Compose, so a
        // passthrough of that name is one a `.env` can set.
        let doc = parse("A\u{a0}B=1\n").unwrap();
        assert_eq!(doc.keys(), ["A\u{a0}B"]);
        assert!(is_key("A\u{a0}B") && is_key("A\tB"));
        assert!(!is_key("A B") && !is_key("A}") && !is_key("") && !is_key("A\u{a0}"));
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let err = parse("A=1\nB=\"open\nC=2\n").unwrap_err();
        assert_eq!(err.position, Position { line: 2, column: 3 });
        assert_eq!(err.kind, ParseErrorKind::UnterminatedQuote('"'));
        let err = parse("GOOD=1\nBAD$KEY=2\n").unwrap_err();
        assert_eq!(err.position, Position { line: 2, column: 4 });
    }
}
