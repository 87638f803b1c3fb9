//! Rewriting a document one entry at a time.
//!
//! A new value is written with the quoting it needs so that Compose and `dotenvy` both read
//! back exactly that value: bare when it is made of plainly safe characters, single quotes when
//! it holds no quote or backslash (nothing is interpolated there), otherwise double quotes with
//! every special character escaped. Everything outside the edited value keeps its bytes.

use super::{Document, Entry, Item, Quote, ValueSpan, is_portable_key, parse};

/// Why a value could not be written. Messages name neither the key nor the value: a key that
/// is not a valid name may be a fragment of a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// A new statement's key is not one Compose and `dotenvy` both read.
    #[error(
        "refusing to write a variable whose name is not a valid variable name (letters, digits, `_` and `.`)"
    )]
    InvalidKey,
    /// The edited statement would not read back as the same key and value.
    #[error("refusing to write a value that would not read back unchanged")]
    NotReadBack,
}

/// Whether `text`, parsed alone, is one statement of `key` whose value decodes to `value`.
fn reads_back(text: &str, key: &str, value: &str) -> bool {
    let Ok(doc) = parse(text) else {
        return false;
    };
    let mut entries = doc.entries();
    let (Some(entry), None) = (entries.next(), entries.next()) else {
        return false;
    };
    entry.key() == key
        && doc
            .resolve(&|_: &str| None)
            .ok()
            .and_then(|b| b.into_iter().next())
            .is_some_and(|b| b.value == value)
}

/// Characters that mean the same to Compose and `dotenvy` in an unquoted value.
fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_.:/@+=,~%^*".contains(c)
}

/// Whether `value` can be written in the given quoting so that it reads back unchanged.
fn fits(value: &str, quote: Quote) -> bool {
    match quote {
        Quote::None => value.chars().all(is_plain),
        Quote::Single => !value.contains(['\'', '\\']),
        Quote::Double => true,
    }
}

/// Whether `dotenvy` can represent `value` at all (it has no escape for a carriage return or
/// other control characters inside quotes).
pub fn is_portable(value: &str) -> bool {
    !value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
}

/// The value token (quotes included) that makes Compose read exactly `value`, in the first
/// of `preferred`, bare, single or double quoting that can hold it.
pub fn encode_value(value: &str, preferred: Option<Quote>) -> String {
    let quote = preferred
        .filter(|q| fits(value, *q))
        .or_else(|| {
            [Quote::None, Quote::Single]
                .into_iter()
                .find(|q| fits(value, *q))
        })
        .unwrap_or(Quote::Double);
    match quote {
        Quote::None => value.to_string(),
        Quote::Single => format!("'{value}'"),
        Quote::Double => {
            let mut out = String::with_capacity(value.len() + 2);
            out.push('"');
            for c in value.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '"' => out.push_str("\\\""),
                    '$' => out.push_str("\\$"),
                    '\n' => out.push_str("\\n"),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
    }
}

fn new_entry(key: &str, value: &str) -> Result<Entry, EditError> {
    if !is_portable_key(key) {
        return Err(EditError::InvalidKey);
    }
    let text = format!("{key}={}", encode_value(value, None));
    if !reads_back(&text, key, value) {
        return Err(EditError::NotReadBack);
    }
    parse(&text)
        .ok()
        .and_then(|d| d.entries().next().cloned())
        .ok_or(EditError::NotReadBack)
}

impl Entry {
    /// Rewrites the value; the entry is left unchanged when the result would not read back.
    fn set_value(&mut self, value: &str) -> Result<(), EditError> {
        let mut edited = self.clone();
        edited.rewrite_value(value);
        // The statement's own text must read back; an unquoted one includes its inline
        // comment, which Compose drops, so `reads_back` sees exactly what Compose sees.
        if !reads_back(&edited.text, &edited.key, value) {
            return Err(EditError::NotReadBack);
        }
        *self = edited;
        Ok(())
    }

    fn rewrite_value(&mut self, value: &str) {
        match &mut self.value {
            Some(span) => {
                let mut token = encode_value(value, Some(span.quote));
                // An unquoted statement's text runs on to its inline comment: an empty bare
                // value there would make Compose read the comment (`K= # c` is `# c`).
                if token.is_empty() && span.range.end < self.text.len() {
                    token = "''".to_string();
                }
                let quote = match token.chars().next() {
                    Some('\'') => Quote::Single,
                    Some('"') => Quote::Double,
                    _ => Quote::None,
                };
                self.text.replace_range(span.range.clone(), &token);
                span.range = span.range.start..span.range.start + token.len();
                span.quote = quote;
            }
            None => {
                let key_end = self.text.len();
                let token = encode_value(value, None);
                self.text.push('=');
                self.text.push_str(&token);
                let quote = match token.chars().next() {
                    Some('\'') => Quote::Single,
                    Some('"') => Quote::Double,
                    _ => Quote::None,
                };
                self.value = Some(ValueSpan {
                    range: key_end + 1..self.text.len(),
                    quote,
                    position: self.position,
                });
            }
        }
    }
}

impl Document {
    /// Sets `key` to `value`. An existing key has only its winning (last) statement's value
    /// rewritten; a new key is inserted after `after` (when that key exists) or appended at
    /// the end. Returns true when the key was new. Refuses (and changes nothing) when the
    /// statement it would write does not read back as `key` and `value`, or when a new key is
    /// not a name both Compose and `dotenvy` read.
    pub fn set(&mut self, key: &str, value: &str, after: Option<&str>) -> Result<bool, EditError> {
        let last = self
            .items
            .iter()
            .rposition(|i| matches!(i, Item::Entry(e) if e.key == key));
        // The empty key exists only through Compose's last-line quirk; it is never set.
        if key.is_empty() {
            return Err(EditError::InvalidKey);
        }
        if let Some(at) = last {
            let mut quoted = false;
            if let Item::Entry(e) = &mut self.items[at] {
                e.set_value(value)?;
                quoted = e.quote() != Quote::None;
            }
            // Text glued to a closing quote (`PW="a"#c`, `PW="a"B=1`) means another statement
            // or a comment to Compose, but `dotenvy` reads it as part of the value: a space
            // after the quote keeps Compose's reading and gives `dotenvy` the same value.
            if quoted {
                match self.items.get_mut(at + 1) {
                    Some(Item::Trivia(t)) if !t.starts_with(char::is_whitespace) => {
                        t.insert(0, ' ');
                    }
                    Some(Item::Entry(_)) => self.items.insert(at + 1, Item::Trivia(" ".into())),
                    _ => {}
                }
            }
            return Ok(false);
        }
        let entry = new_entry(key, value)?;
        // A document that ends without a line break may end in Compose's last-line quirk (a
        // bare name at the end of the file is the value of the empty key); the line break the
        // insertion adds changes what that line means, so the whole result is read back.
        let ends_open = self.items.last().is_some_and(|i| match i {
            Item::Entry(e) => !e.text.ends_with('\n'),
            Item::Trivia(t) => !t.ends_with('\n'),
        });
        let before = ends_open.then(|| self.items.clone());
        self.insert(entry, after);
        if let Some(items) = before {
            let ok = parse(&self.render())
                .ok()
                .and_then(|d| d.to_map(&|_: &str| None).ok())
                .is_some_and(|m| m.get(key).map(String::as_str) == Some(value));
            if !ok {
                self.items = items;
                return Err(EditError::NotReadBack);
            }
        }
        Ok(true)
    }

    /// Inserts a statement on its own line after the winning statement of `after`, or at the
    /// end of the document.
    fn insert(&mut self, entry: Entry, after: Option<&str>) {
        let nl = self.line_ending();
        let anchor = after.and_then(|k| {
            self.items
                .iter()
                .rposition(|i| matches!(i, Item::Entry(e) if e.key == k))
        });
        match anchor {
            Some(at) => {
                // The trivia after the anchor holds the rest of its line (a comment after a
                // closing quote, say); the new line goes right after that line's end.
                let (head, tail) = match self.items.get(at + 1) {
                    Some(Item::Trivia(t)) => match t.find('\n') {
                        Some(n) => (t[..=n].to_string(), Some(t[n + 1..].to_string())),
                        None => (format!("{t}{nl}"), None),
                    },
                    _ => (nl.to_string(), None),
                };
                let replaced = matches!(self.items.get(at + 1), Some(Item::Trivia(_)));
                let end = if replaced { at + 2 } else { at + 1 };
                // A statement can follow the anchor on the same line (`A="x" B=1`): the new
                // line must end before it.
                let more_follows = end < self.items.len();
                let mut new_items = vec![Item::Trivia(head), Item::Entry(entry)];
                match tail {
                    Some(rest) => new_items.push(Item::Trivia(format!("{nl}{rest}"))),
                    None if replaced && !more_follows => {}
                    None => new_items.push(Item::Trivia(nl.to_string())),
                }
                self.items.splice(at + 1..end, new_items);
                self.merge_trivia();
            }
            None => {
                let rendered = self.render();
                let ends_open = !rendered.is_empty() && !rendered.ends_with('\n');
                if ends_open {
                    self.items.push(Item::Trivia(nl.to_string()));
                    self.items.push(Item::Entry(entry));
                } else {
                    self.items.push(Item::Entry(entry));
                    self.items.push(Item::Trivia(nl.to_string()));
                }
                self.merge_trivia();
            }
        }
    }

    /// Removes every statement for `key`, each with the rest of its line (an inline comment
    /// and the line ending). Returns whether anything was removed.
    pub fn remove(&mut self, key: &str) -> bool {
        let mut removed = false;
        let mut at = 0;
        while at < self.items.len() {
            if matches!(&self.items[at], Item::Entry(e) if e.key == key) {
                self.items.remove(at);
                removed = true;
                if let Some(Item::Trivia(t)) = self.items.get_mut(at) {
                    match t.find('\n') {
                        Some(n) => {
                            t.replace_range(..=n, "");
                        }
                        None => t.clear(),
                    }
                }
            } else {
                at += 1;
            }
        }
        self.items
            .retain(|i| !matches!(i, Item::Trivia(t) if t.is_empty()));
        self.merge_trivia();
        removed
    }

    /// Appends raw lines (comments, blank lines) at the end, on lines of their own.
    pub fn append_trivia(&mut self, text: &str) {
        let rendered = self.render();
        let nl = self.line_ending();
        if !rendered.is_empty() && !rendered.ends_with('\n') {
            self.items.push(Item::Trivia(nl.to_string()));
        }
        self.items.push(Item::Trivia(text.to_string()));
        self.merge_trivia();
    }

    fn merge_trivia(&mut self) {
        let mut merged: Vec<Item> = Vec::with_capacity(self.items.len());
        for item in self.items.drain(..) {
            match (merged.last_mut(), item) {
                (Some(Item::Trivia(prev)), Item::Trivia(t)) => prev.push_str(&t),
                (_, item) => merged.push(item),
            }
        }
        self.items = merged;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(text: &str) -> HashMap<String, String> {
        parse(text).unwrap().to_map(&|_: &str| None).unwrap()
    }

    #[test]
    fn set_rewrites_only_the_value() {
        let mut doc = parse("# top\r\nA=old # keep\r\nB=\"x\"\r\n").unwrap();
        doc.set("A", "new", None).unwrap();
        assert_eq!(doc.render(), "# top\r\nA=new # keep\r\nB=\"x\"\r\n");
        doc.set("B", "it's $5", None).unwrap();
        assert_eq!(doc.render(), "# top\r\nA=new # keep\r\nB=\"it's \\$5\"\r\n");
        assert_eq!(read(&doc.render())["B"], "it's $5");
    }

    #[test]
    fn new_keys_go_after_their_anchor_or_at_the_end() {
        let mut doc = parse("A=1\n# section\nC=3").unwrap();
        doc.set("B", "two words", Some("A")).unwrap();
        doc.set("D", "4", None).unwrap();
        assert_eq!(doc.render(), "A=1\nB='two words'\n# section\nC=3\nD=4");
        let mut doc = parse("A=\"q\" # c\r\nZ=9\r\n").unwrap();
        doc.set("B", "b", Some("A")).unwrap();
        assert_eq!(doc.render(), "A=\"q\" # c\r\nB=b\r\nZ=9\r\n");
    }

    #[test]
    fn empty_value_on_a_crlf_line_keeps_the_line_ending() {
        let mut doc = parse("A=\r\nB=  \r\n").unwrap();
        doc.set("A", "x", None).unwrap();
        doc.set("B", "y", None).unwrap();
        assert_eq!(doc.render(), "A=x\r\nB=  y\r\n");
    }

    #[test]
    fn edits_never_run_into_neighbouring_text() {
        let mut doc = parse("K=old # c\n").unwrap();
        doc.set("K", "", None).unwrap();
        assert_eq!(doc.render(), "K='' # c\n");
        assert_eq!(read(&doc.render())["K"], "");
        let mut doc = parse("A=\"x\" B=1\n").unwrap();
        doc.set("K", "v", Some("A")).unwrap();
        assert_eq!(doc.render(), "A=\"x\" \nK=v\nB=1\n");
        assert_eq!(read(&doc.render())["B"], "1");
    }

    #[test]
    fn remove_takes_every_statement_with_its_line() {
        let mut doc = parse("# a\nA=1 # one\nB=2\nA=3\r\nC=\"x\ny\"\n").unwrap();
        assert!(doc.remove("A"));
        assert_eq!(doc.render(), "# a\nB=2\nC=\"x\ny\"\n");
        assert!(doc.remove("C"));
        assert_eq!(doc.render(), "# a\nB=2\n");
        assert!(!doc.remove("Z"));
        let mut doc = parse("A=1\nB=2").unwrap();
        doc.remove("B");
        assert_eq!(read(&doc.render()).len(), 1);
    }

    #[test]
    fn bare_key_gains_a_value() {
        let mut doc = parse("A\nB=1\n").unwrap();
        doc.set("A", "v", None).unwrap();
        assert_eq!(doc.render(), "A=v\nB=1\n");
    }

    #[test]
    fn set_refuses_what_would_not_read_back() {
        let mut doc = parse("A=1\n").unwrap();
        for key in ["DB_PASSWORD}", "API SECRET", "a-b", "", "1X", "K=V"] {
            assert_eq!(
                doc.set(key, "v", None),
                Err(EditError::InvalidKey),
                "{key:?}"
            );
        }
        assert_eq!(doc.render(), "A=1\n");
        // A value only dotenvy cannot represent is still written for Compose.
        assert_eq!(doc.set("B", "x\ry", None), Ok(true));
        assert_eq!(read(&doc.render())["B"], "x\ry");
    }

    #[test]
    fn text_glued_to_a_closing_quote_is_set_apart() {
        // Found by fuzzing: `dotenvy` read `PW="new"#c` as `new#c`.
        let mut doc = parse("PW=\"a\"#c\nX='b'Y=1\n").unwrap();
        doc.set("PW", "new pw", None).unwrap();
        doc.set("X", "new x", None).unwrap();
        assert_eq!(doc.render(), "PW=\"new pw\" #c\nX='new x' Y=1\n");
        let compose = read(&doc.render());
        assert_eq!(
            (compose["PW"].as_str(), compose["Y"].as_str()),
            ("new pw", "1")
        );
        let dotenvy: HashMap<String, String> =
            dotenvy::from_read_iter(doc.render().lines().next().unwrap_or("").as_bytes())
                .collect::<Result<_, _>>()
                .unwrap();
        assert_eq!(dotenvy["PW"], "new pw");
    }

    #[test]
    fn set_after_a_bare_name_at_the_end_of_the_file_reads_back_or_refuses() {
        // Found by fuzzing: a last line without a line break is the value of the empty key
        // for Compose; appending a line made it a bare key, here one with a space, which
        // envward then refused to read.
        let mut doc = parse("A=1\nKK export KK").unwrap();
        assert_eq!(doc.set("B", "v", None), Err(EditError::NotReadBack));
        assert_eq!(doc.render(), "A=1\nKK export KK");
        let mut doc = parse("A=1\nNAME").unwrap();
        assert_eq!(doc.set("B", "v", None), Ok(true));
        assert_eq!(read(&doc.render())["B"], "v");
        // The empty key is never set.
        assert_eq!(doc.set("", "v", None), Err(EditError::InvalidKey));
    }

    #[test]
    fn encoding_picks_the_lightest_quoting() {
        assert_eq!(encode_value("abc-123", None), "abc-123");
        assert_eq!(encode_value("", None), "");
        assert_eq!(encode_value("a b#c$d", None), "'a b#c$d'");
        assert_eq!(encode_value("a'b\\c", None), "\"a'b\\\\c\"");
        assert_eq!(encode_value("x", Some(Quote::Double)), "\"x\"");
    }
}
