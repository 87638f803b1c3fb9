//! Decoding values as Compose does: escapes in double quotes, then interpolation with the
//! lookup order of COMPOSE-SEMANTICS.md §2.11 (the caller's environment first, then the keys
//! already read from this file).

use std::borrow::Cow;
use std::collections::HashMap;

use super::{Document, Entry, ParseError, ParseErrorKind, Quote, scan};
use crate::interpolate;
use crate::position::Position;

/// One decoded assignment, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The key.
    pub key: String,
    /// The value as Compose would hand it on.
    pub value: String,
    /// Where the statement starts.
    pub position: Position,
}

/// Expands the escapes Compose recognises inside double quotes (§2.10 table).
pub fn expand_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let Some(c) = after.chars().next() else {
            out.push('\\');
            rest = "";
            break;
        };
        let consumed = match c {
            'a' => push(&mut out, '\u{07}'),
            'b' => push(&mut out, '\u{08}'),
            'f' => push(&mut out, '\u{0C}'),
            'n' => push(&mut out, '\n'),
            'r' => push(&mut out, '\r'),
            't' => push(&mut out, '\t'),
            'v' => push(&mut out, '\u{0B}'),
            '\\' => push(&mut out, '\\'),
            '"' => push(&mut out, '"'),
            '$' => {
                out.push_str("$$");
                1
            }
            '0' => {
                let digits: String = after[1..]
                    .chars()
                    .take(3)
                    .take_while(char::is_ascii_digit)
                    .collect();
                let code = (digits.len() == 3)
                    .then(|| u32::from_str_radix(&digits, 8).ok())
                    .flatten()
                    .filter(|&v| v <= 255)
                    .and_then(char::from_u32);
                match code {
                    Some(ch) => out.push(ch),
                    None => {
                        out.push('\\');
                        out.push_str(&digits);
                    }
                }
                1 + digits.len()
            }
            // `\c` is matched and rejected by Compose; everything else is not an escape.
            _ => {
                out.push('\\');
                0
            }
        };
        rest = &after[consumed..];
    }
    out.push_str(rest);
    out
}

fn push(out: &mut String, c: char) -> usize {
    out.push(c);
    1
}

impl Entry {
    /// Decodes this entry's value with `lookup` (already combining the environment and the
    /// keys read so far). `Ok(None)` is a bare key that is not found, which Compose omits.
    fn decode<F>(
        &self,
        lookup: &F,
        budget: &mut interpolate::Budget,
    ) -> Result<Option<String>, ParseError>
    where
        F: Fn(&str) -> Option<String>,
    {
        let Some(v) = &self.value else {
            return Ok(lookup(&self.key));
        };
        let raw = &self.text[v.range.clone()];
        let template = match v.quote {
            Quote::Single => return Ok(Some(scan::unquote(&raw[1..], '\'').0)),
            Quote::Double => Cow::Owned(expand_escapes(&scan::unquote(&raw[1..], '"').0)),
            Quote::None => Cow::Borrowed(raw),
        };
        interpolate::substitute_within(&template, lookup, budget)
            .map(Some)
            .map_err(|e| {
                // An unquoted value is the template itself, so the offset is exact; inside
                // quotes escapes shift it, so blame the value's start.
                let position = if v.quote == Quote::None {
                    Position {
                        line: v.position.line,
                        column: v.position.column
                            + template.get(..e.offset()).map_or(0, |t| t.chars().count()),
                    }
                } else {
                    v.position
                };
                ParseError {
                    position,
                    kind: ParseErrorKind::Template(e),
                }
            })
    }
}

/// An earlier value, as a lookup hands it to the next statement. Once the file's budget is
/// spent, any use that writes a value out fails and the other uses only ask whether it is
/// set and non-empty: a one-byte stand-in answers both alike, where copying a value of up to
/// the whole budget for each of thousands of later statements made a file of doubling
/// values quadratic.
fn earlier(value: &str, exhausted: bool) -> String {
    if exhausted && !value.is_empty() {
        "\0".to_string()
    } else {
        value.to_string()
    }
}

impl Document {
    /// The expansion budget of one resolve: all values of the file together (see
    /// [`interpolate::default_budget`]).
    fn budget(&self) -> interpolate::Budget {
        let len = self.entries().map(|e| e.text.len()).sum();
        interpolate::Budget::new(interpolate::default_budget(len))
    }

    /// Decodes every statement in order, as Compose does: each value is interpolated with
    /// `env` first and the keys already read second; a bare key takes its value the same way
    /// or is left out. Duplicates all appear; the last one is the one that wins.
    pub fn resolve<F>(&self, env: &F) -> Result<Vec<Binding>, ParseError>
    where
        F: Fn(&str) -> Option<String>,
    {
        // The keys read so far, each to its last binding in `out`.
        let mut seen: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
        let mut out: Vec<Binding> = Vec::new();
        let mut budget = self.budget();
        for entry in self.entries() {
            let exhausted = budget.is_exhausted();
            let lookup = |k: &str| {
                env(k).or_else(|| seen.get(k).map(|&i| earlier(&out[i].value, exhausted)))
            };
            if let Some(value) = entry.decode(&lookup, &mut budget)? {
                seen.insert(&entry.key, out.len());
                out.push(Binding {
                    key: entry.key.clone(),
                    value,
                    position: entry.position,
                });
            }
        }
        Ok(out)
    }

    /// Like [`Document::resolve`], but a statement whose interpolation fails is left out, so
    /// one bad value does not hide the others from the analysis.
    pub fn resolve_lenient<F>(&self, env: &F) -> Vec<Binding>
    where
        F: Fn(&str) -> Option<String>,
    {
        self.resolve_collecting(env).0
    }

    /// [`Document::resolve_lenient`] plus the interpolation errors it skipped, in order.
    pub fn resolve_collecting<F>(&self, env: &F) -> (Vec<Binding>, Vec<ParseError>)
    where
        F: Fn(&str) -> Option<String>,
    {
        let (bound, errors) = self.resolve_borrowed(env);
        let out = bound
            .into_iter()
            .map(|(entry, value)| Binding {
                key: entry.key.clone(),
                value,
                position: entry.position,
            })
            .collect();
        (out, errors)
    }

    /// [`Document::resolve_collecting`] with each statement borrowed rather than its key
    /// copied: the analysis keys every fact by the document's own names, and a copy of each
    /// key here was a tenth of the allocations of a 10,000-variable check (issue 13).
    pub fn resolve_borrowed<F>(&self, env: &F) -> (Vec<(&Entry, String)>, Vec<ParseError>)
    where
        F: Fn(&str) -> Option<String>,
    {
        let mut seen: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
        let mut out: Vec<(&Entry, String)> = Vec::new();
        let mut errors = Vec::new();
        let mut budget = self.budget();
        for entry in self.entries() {
            let exhausted = budget.is_exhausted();
            let lookup =
                |k: &str| env(k).or_else(|| seen.get(k).map(|&i| earlier(&out[i].1, exhausted)));
            match entry.decode(&lookup, &mut budget) {
                Ok(Some(value)) => {
                    seen.insert(&entry.key, out.len());
                    out.push((entry, value));
                }
                Ok(None) => {}
                Err(e) => errors.push(e),
            }
        }
        (out, errors)
    }

    /// The final map of keys to values (last assignment wins), decoded with `env`.
    pub fn to_map<F>(&self, env: &F) -> Result<HashMap<String, String>, ParseError>
    where
        F: Fn(&str) -> Option<String>,
    {
        Ok(self
            .resolve(env)?
            .into_iter()
            .map(|b| (b.key, b.value))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_compose_table() {
        assert_eq!(expand_escapes(r"a\tb\nc"), "a\tb\nc");
        assert_eq!(expand_escapes(r"\$X"), "$$X");
        assert_eq!(expand_escapes(r"\0123"), "S");
        assert_eq!(expand_escapes(r"\0"), r"\");
        assert_eq!(expand_escapes(r"\012"), r"\12");
        assert_eq!(expand_escapes(r"\01234"), "S4");
        assert_eq!(expand_escapes(r"\0400"), r"\400");
        assert_eq!(expand_escapes(r"\c\x07\'"), r"\c\x07\'");
        assert_eq!(expand_escapes("\\\\n"), "\\n");
    }

    #[test]
    fn statements_after_the_budget_is_spent_read_earlier_values_as_before() {
        // Past the budget a lookup hands over a stand-in, not the value: every answer must
        // still be the one the value itself gives (set, empty or not, too large to write).
        let mut text = "A=${A:-x}${A:-y}\n".repeat(26);
        text.push_str("EMPTY=\nALT=${A:+}\nALT_EMPTY=${EMPTY:+}\nREQ=${A:?gone}\n");
        text.push_str("DEF=${A:-}\nMISSING=${EMPTY:?needed}\nPLAIN=kept\n");
        let doc = super::super::parse(&text).unwrap();
        let (bindings, errors) = doc.resolve_collecting(&|_: &str| None);
        let value = |k: &str| {
            bindings
                .iter()
                .rev()
                .find(|b| b.key == k)
                .map(|b| b.value.as_str())
        };
        assert_eq!(value("ALT"), Some(""));
        assert_eq!(value("ALT_EMPTY"), Some(""));
        assert_eq!(value("EMPTY"), Some(""));
        // The budget is the whole file's: even a plain value no longer fits.
        assert_eq!(value("PLAIN"), None);
        assert_eq!(value("REQ"), None);
        assert_eq!(value("DEF"), None);
        // Every later statement that writes a byte fails on size, as with the real value
        // (MISSING's message is written too); the stand-in never shows.
        assert!(errors.iter().all(|e| matches!(
            e.kind,
            ParseErrorKind::Template(interpolate::TemplateError::TooLarge { .. })
        )));
        assert_eq!(value("MISSING"), None);
        assert!(bindings.iter().all(|b| !b.value.contains('\0')));
    }

    #[test]
    fn values_that_double_line_after_line_stop_at_the_budget() {
        // 26 lines, 442 bytes: A doubles each line (2^26 times 2 bytes in the end); this took
        // 21 s and 361 MB before the budget.
        let doc = super::super::parse(&"A=${A:-x}${A:-y}\n".repeat(26)).unwrap();
        let started = std::time::Instant::now();
        let err = doc.resolve(&|_: &str| None).unwrap_err();
        assert!(matches!(
            err.kind,
            ParseErrorKind::Template(interpolate::TemplateError::TooLarge { .. })
        ));
        assert!(err.position.line > 15, "{err:?}");
        let (bindings, errors) = doc.resolve_collecting(&|_: &str| None);
        assert!(bindings.len() > 15 && !errors.is_empty());
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}
