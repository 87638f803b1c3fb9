//! Rewriting a document one entry at a time.
//!
//! A new value is written with the quoting it needs so that Compose and `dotenvy` both read
//! back exactly that value: bare when it is made of plainly safe characters, single quotes when
//! it holds no quote or backslash (nothing is interpolated there), otherwise double quotes with
//! every special character escaped. Everything outside the edited value keeps its bytes.

use super::{Document, Entry, Item, Quote, ValueSpan, parse};

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

fn new_entry(key: &str, value: &str) -> Entry {
    let text = format!("{key}={}", encode_value(value, None));
    // A key we write is always one Compose accepts, and the value is encoded for it, so the
    // single statement parses; fall back to building the entry by hand only to stay total.
    match parse(&text).ok().and_then(|d| d.entries().next().cloned()) {
        Some(entry) => entry,
        None => Entry {
            value: Some(ValueSpan {
                range: key.len() + 1..text.len(),
                quote: Quote::None,
                position: crate::position::Position::default(),
            }),
            key: key.to_string(),
            text,
            position: crate::position::Position::default(),
        },
    }
}

impl Entry {
    fn set_value(&mut self, value: &str) {
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
    /// the end. Returns true when the key was new.
    pub fn set(&mut self, key: &str, value: &str, after: Option<&str>) -> bool {
        let last = self
            .items
            .iter()
            .rposition(|i| matches!(i, Item::Entry(e) if e.key == key));
        if let Some(at) = last {
            if let Item::Entry(e) = &mut self.items[at] {
                e.set_value(value);
            }
            return false;
        }
        self.insert(new_entry(key, value), after);
        true
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
        doc.set("A", "new", None);
        assert_eq!(doc.render(), "# top\r\nA=new # keep\r\nB=\"x\"\r\n");
        doc.set("B", "it's $5", None);
        assert_eq!(doc.render(), "# top\r\nA=new # keep\r\nB=\"it's \\$5\"\r\n");
        assert_eq!(read(&doc.render())["B"], "it's $5");
    }

    #[test]
    fn new_keys_go_after_their_anchor_or_at_the_end() {
        let mut doc = parse("A=1\n# section\nC=3").unwrap();
        doc.set("B", "two words", Some("A"));
        doc.set("D", "4", None);
        assert_eq!(doc.render(), "A=1\nB='two words'\n# section\nC=3\nD=4");
        let mut doc = parse("A=\"q\" # c\r\nZ=9\r\n").unwrap();
        doc.set("B", "b", Some("A"));
        assert_eq!(doc.render(), "A=\"q\" # c\r\nB=b\r\nZ=9\r\n");
    }

    #[test]
    fn empty_value_on_a_crlf_line_keeps_the_line_ending() {
        let mut doc = parse("A=\r\nB=  \r\n").unwrap();
        doc.set("A", "x", None);
        doc.set("B", "y", None);
        assert_eq!(doc.render(), "A=x\r\nB=  y\r\n");
    }

    #[test]
    fn edits_never_run_into_neighbouring_text() {
        let mut doc = parse("K=old # c\n").unwrap();
        doc.set("K", "", None);
        assert_eq!(doc.render(), "K='' # c\n");
        assert_eq!(read(&doc.render())["K"], "");
        let mut doc = parse("A=\"x\" B=1\n").unwrap();
        doc.set("K", "v", Some("A"));
        assert_eq!(doc.render(), "A=\"x\" \nK=v\nB=1\n");
        assert_eq!(read(&doc.render())["B"], "1");
    }

    #[test]
    fn bare_key_gains_a_value() {
        let mut doc = parse("A\nB=1\n").unwrap();
        doc.set("A", "v", None);
        assert_eq!(doc.render(), "A=v\nB=1\n");
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
