//! The `${…}` interpolation engine, exactly as Docker Compose evaluates it.
//!
//! One engine serves compose-file strings and `.env` values (COMPOSE-SEMANTICS.md §3). It
//! owns two operations over a template string: [`substitute`] (evaluate it against a lookup)
//! and [`references`] (list every variable it reads, with its form and byte span, without
//! evaluating anything). It never touches the environment itself: lookups are supplied by the
//! caller, so the same engine serves the project environment, `.env` files and tests.

use std::ops::Range;

/// How a reference is written, which decides when it is required and what it yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    /// `$NAME`
    Bare,
    /// `${NAME}`
    Braced,
    /// `${NAME:-word}`: word when unset or empty.
    DefaultIfEmpty,
    /// `${NAME-word}`: word when unset.
    DefaultIfUnset,
    /// `${NAME:?message}`: error when unset or empty.
    RequiredNonEmpty,
    /// `${NAME?message}`: error when unset.
    Required,
    /// `${NAME:+word}`: word when set and not empty, else empty.
    AltIfNonEmpty,
    /// `${NAME+word}`: word when set, else empty.
    AltIfSet,
}

impl Form {
    /// The operator as written between the name and the word (empty for `$X` and `${X}`).
    pub fn operator(self) -> &'static str {
        match self {
            Form::Bare | Form::Braced => "",
            Form::DefaultIfEmpty => ":-",
            Form::DefaultIfUnset => "-",
            Form::RequiredNonEmpty => ":?",
            Form::Required => "?",
            Form::AltIfNonEmpty => ":+",
            Form::AltIfSet => "+",
        }
    }

    /// A short label for reports: `$X`, `${X}`, `:-`, `-`, `:?`, `?`, `:+`, `+`.
    pub fn label(self) -> &'static str {
        match self {
            Form::Bare => "$X",
            Form::Braced => "${X}",
            other => other.operator(),
        }
    }

    /// Whether a reference of this form needs the variable set: no default and not a `+` form.
    pub fn is_required(self) -> bool {
        matches!(
            self,
            Form::Bare | Form::Braced | Form::RequiredNonEmpty | Form::Required
        )
    }

    /// Whether the word is a default value (`:-` or `-`).
    pub fn has_default(self) -> bool {
        matches!(self, Form::DefaultIfEmpty | Form::DefaultIfUnset)
    }
}

/// Why a template could not be evaluated. Offsets are byte offsets into the template given to
/// the top-level call. Messages never repeat the template text, which may hold a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// A `${` that does not form a valid expression (`${`, `${1A}`, `${A.B}`, `${A:=x}` …).
    #[error(
        "malformed variable expression: `${{` must be followed by a name and `}}`, or a name, one of :- - :? ? :+ + and `}}`"
    )]
    Invalid {
        /// Where the bad `${` starts.
        offset: usize,
    },
    /// Defaults nested deeper than any real file does (a guard against hostile input).
    #[error("variable expressions nested more than 64 deep")]
    TooDeep {
        /// Where the nesting goes too deep.
        offset: usize,
    },
    /// The result grows past the expansion budget: values that repeat each other
    /// (`A=${A}${A}` line after line) double at each step. Compose would build them; envward
    /// stops, so a few hundred bytes cannot take minutes and gigabytes.
    #[error("variable expansion grows past {} MiB (values that repeat each other)", budget / (1024 * 1024))]
    TooLarge {
        /// Where the expression that overflowed starts.
        offset: usize,
        /// The budget, in bytes.
        budget: usize,
    },
    /// A `${NAME:?message}` or `${NAME?message}` whose variable is missing.
    #[error("required variable {name} is missing a value{}", if message.is_empty() { String::new() } else { format!(": {message}") })]
    MissingRequired {
        /// Where the expression starts.
        offset: usize,
        /// The variable.
        name: String,
        /// The author's message after interpolation (not a value).
        message: String,
    },
}

impl TemplateError {
    /// Byte offset of the error in the template.
    pub fn offset(&self) -> usize {
        match self {
            TemplateError::Invalid { offset }
            | TemplateError::TooDeep { offset }
            | TemplateError::TooLarge { offset, .. }
            | TemplateError::MissingRequired { offset, .. } => *offset,
        }
    }

    fn shifted(self, by: usize) -> Self {
        match self {
            TemplateError::Invalid { offset } => TemplateError::Invalid {
                offset: offset + by,
            },
            TemplateError::TooDeep { offset } => TemplateError::TooDeep {
                offset: offset + by,
            },
            TemplateError::TooLarge { offset, budget } => TemplateError::TooLarge {
                offset: offset + by,
                budget,
            },
            TemplateError::MissingRequired {
                offset,
                name,
                message,
            } => TemplateError::MissingRequired {
                offset: offset + by,
                name,
                message,
            },
        }
    }
}

/// One variable reference found in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The variable name as written (lookups are case-sensitive).
    pub name: String,
    /// How it is written.
    pub form: Form,
    /// The raw word after the operator (default, message or replacement), before evaluation.
    pub word: Option<String>,
    /// Byte range of the whole expression (`$X` or `${…}`) in the top-level template.
    pub span: Range<usize>,
    /// True when the reference sits inside another reference's word, so Compose reads it only
    /// when that word is used.
    pub nested: bool,
    /// The variable whose default (`:-` or `-` word) this reference sits in, when that
    /// reference is itself top-level: Compose reads this one exactly when that variable is
    /// unset (or empty, for `:-`).
    pub default_of: Option<(String, Form)>,
}

impl Reference {
    /// Required as Compose sees it: no default, not a `+` form, and not inside a word that is
    /// only evaluated conditionally.
    pub fn is_required(&self) -> bool {
        self.form.is_required() && !self.nested
    }

    /// The default text for `:-` and `-` forms.
    pub fn default(&self) -> Option<&str> {
        if self.form.has_default() {
            self.word.as_deref()
        } else {
            None
        }
    }
}

/// `(?i)[_a-z]`: Go's case folding also admits `ſ` (U+017F) and the Kelvin sign (U+212A).
fn is_name_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic() || c == '\u{17F}' || c == '\u{212A}'
}

fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_ascii_digit()
}

/// Length in bytes of the name at the start of `s` (0 when there is none).
fn name_len(s: &str) -> usize {
    let mut chars = s.char_indices();
    match chars.next() {
        Some((_, c)) if is_name_start(c) => {}
        _ => return 0,
    }
    for (i, c) in chars {
        if !is_name_char(c) {
            return i;
        }
    }
    s.len()
}

/// One `$` token as the Compose pattern matches it.
enum Token<'a> {
    /// `$$`
    Escaped,
    /// `$NAME`
    Named(&'a str),
    /// `${…}`: the expression up to its closing brace.
    Braced {
        name: &'a str,
        form: Form,
        word: &'a str,
        word_offset: usize,
    },
    /// A `$` that starts nothing: kept literally.
    Literal,
}

/// Matches the token starting at `s[0] == '$'`. Returns the token and its length in bytes.
fn match_token(s: &str) -> Result<(Token<'_>, usize), TemplateError> {
    let after = &s[1..];
    if after.starts_with('$') {
        return Ok((Token::Escaped, 2));
    }
    let n = name_len(after);
    if n > 0 {
        return Ok((Token::Named(&after[..n]), 1 + n));
    }
    if !after.starts_with('{') {
        return Ok((Token::Literal, 1));
    }
    let invalid = TemplateError::Invalid { offset: 0 };
    let inner = &after[1..];
    let n = name_len(inner);
    if n == 0 {
        return Err(invalid);
    }
    let name = &inner[..n];
    let tail = &inner[n..];
    if tail.starts_with('}') {
        let len = 2 + n + 1;
        return Ok((
            Token::Braced {
                name,
                form: Form::Braced,
                word: "",
                word_offset: len,
            },
            len,
        ));
    }
    let op_len = usize::from(tail.starts_with(':'));
    let form = match (op_len, tail[op_len..].chars().next()) {
        (1, Some('?')) => Form::RequiredNonEmpty,
        (0, Some('?')) => Form::Required,
        (1, Some('-')) => Form::DefaultIfEmpty,
        (0, Some('-')) => Form::DefaultIfUnset,
        (1, Some('+')) => Form::AltIfNonEmpty,
        (0, Some('+')) => Form::AltIfSet,
        _ => return Err(invalid),
    };
    // Compose's pattern `(.*)\}` matches greedily to the last `}` on the line (`.` stops at a
    // newline) and the engine then narrows the match: each `{` opens a level and skips the
    // next character, and the first `}` that closes the outer level ends the expression; the
    // rest of the greedy match is substituted again as a template of its own. Scanning
    // forward to that closing brace and resuming after it is the same thing, without
    // rescanning the line once per expression (which made a line of many expressions
    // quadratic). The operator is the one right after the name: nothing before it can be an
    // operator character.
    let word_offset = 2 + n + op_len + 1;
    let bytes = s.as_bytes();
    let mut depth = 0usize;
    let mut i = 1;
    let mut close = None;
    while i < bytes.len() && bytes[i] != b'\n' {
        match bytes[i] {
            b'{' => {
                depth += 1;
                i += 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let expr_end = match close {
        Some(c) if c >= word_offset => c,
        _ => {
            // No brace closes the outer level: the whole greedy match (to the last `}` on the
            // line) is the expression, if there is such a brace at all.
            let line_end = s.find('\n').unwrap_or(s.len());
            match s[word_offset..line_end].rfind('}') {
                Some(at) => word_offset + at,
                None => return Err(invalid),
            }
        }
    };
    Ok((
        Token::Braced {
            name,
            form,
            word: &s[word_offset..expr_end],
            word_offset,
        },
        expr_end + 1,
    ))
}

/// Evaluates `template` as Compose does. `lookup` returns `None` for an unset variable and
/// `Some("")` for one set to the empty string. Looked-up values are never re-interpolated.
/// The result may grow to [`default_budget`] bytes.
pub fn substitute<F>(template: &str, lookup: &F) -> Result<String, TemplateError>
where
    F: Fn(&str) -> Option<String> + ?Sized,
{
    let mut budget = Budget::new(default_budget(template.len()));
    substitute_within(template, lookup, &mut budget)
}

/// What one evaluation may produce: 1 MiB, or 16 bytes per template byte if that is more.
/// Far beyond real values (a few KiB), it bounds a template whose looked-up values repeat.
pub fn default_budget(template_len: usize) -> usize {
    (1024 * 1024).max(template_len.saturating_mul(16))
}

/// Bytes an evaluation may still produce, shared by the evaluations of one file so that the
/// whole file is bounded, not each value alone.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    total: usize,
    left: usize,
}

impl Budget {
    /// A budget of `bytes`.
    pub fn new(bytes: usize) -> Self {
        Budget {
            total: bytes,
            left: bytes,
        }
    }

    /// Whether nothing is left: every later evaluation that produces a byte fails, so a
    /// caller need not hand it a value's full text to learn that.
    pub fn is_exhausted(&self) -> bool {
        self.left == 0
    }

    fn spend(&mut self, bytes: usize, offset: usize) -> Result<(), TemplateError> {
        match self.left.checked_sub(bytes) {
            Some(left) => {
                self.left = left;
                Ok(())
            }
            None => {
                self.left = 0;
                Err(TemplateError::TooLarge {
                    offset,
                    budget: self.total,
                })
            }
        }
    }
}

/// [`substitute`] spending from a caller's `budget`.
pub fn substitute_within<F>(
    template: &str,
    lookup: &F,
    budget: &mut Budget,
) -> Result<String, TemplateError>
where
    F: Fn(&str) -> Option<String> + ?Sized,
{
    substitute_nested(template, lookup, 0, budget)
}

/// How deep defaults may nest (`${A:-${B:-…}}`). Compose has no limit; this one only stops
/// a hostile file from exhausting the stack, far beyond anything written by hand.
const MAX_NESTING: usize = 64;

fn substitute_nested<F>(
    template: &str,
    lookup: &F,
    depth: usize,
    budget: &mut Budget,
) -> Result<String, TemplateError>
where
    F: Fn(&str) -> Option<String> + ?Sized,
{
    if depth > MAX_NESTING {
        return Err(TemplateError::TooDeep { offset: 0 });
    }
    let mut out = String::with_capacity(template.len());
    let mut pos = 0;
    while let Some(found) = template[pos..].find('$') {
        let start = pos + found;
        budget.spend(start - pos, start)?;
        out.push_str(&template[pos..start]);
        let (token, len) = match_token(&template[start..]).map_err(|e| e.shifted(start))?;
        match token {
            Token::Escaped | Token::Literal => out.push('$'),
            Token::Named(name) => {
                let value = lookup(name).unwrap_or_default();
                budget.spend(value.len(), start)?;
                out.push_str(&value);
            }
            Token::Braced {
                name,
                form,
                word,
                word_offset,
            } => {
                let value = lookup(name);
                let mut eval_word = || {
                    substitute_nested(word, lookup, depth + 1, budget)
                        .map_err(|e| e.shifted(start + word_offset))
                };
                let piece = match form {
                    Form::Bare | Form::Braced => value.unwrap_or_default(),
                    Form::DefaultIfEmpty => match value {
                        Some(v) if !v.is_empty() => v,
                        _ => eval_word()?,
                    },
                    Form::DefaultIfUnset => match value {
                        Some(v) => v,
                        None => eval_word()?,
                    },
                    Form::RequiredNonEmpty | Form::Required => match value {
                        Some(v) if !(v.is_empty() && form == Form::RequiredNonEmpty) => v,
                        _ => {
                            return Err(TemplateError::MissingRequired {
                                offset: start,
                                name: name.to_string(),
                                message: eval_word()?,
                            });
                        }
                    },
                    Form::AltIfNonEmpty => match value {
                        Some(v) if !v.is_empty() => eval_word()?,
                        _ => String::new(),
                    },
                    Form::AltIfSet => match value {
                        Some(_) => eval_word()?,
                        None => String::new(),
                    },
                };
                budget.spend(piece.len(), start)?;
                out.push_str(&piece);
            }
        }
        pos = start + len;
    }
    budget.spend(template.len() - pos, pos)?;
    out.push_str(&template[pos..]);
    Ok(out)
}

/// Lists every reference in `template`, in order, including those nested in defaults and
/// replacements, without evaluating anything. `$$` escapes yield none. A malformed `${` is an
/// error, as it would be when Compose evaluates the string.
pub fn references(template: &str) -> Result<Vec<Reference>, TemplateError> {
    let mut out = Vec::new();
    collect(template, 0, 0, None, &mut out)?;
    Ok(out)
}

fn collect(
    template: &str,
    base: usize,
    depth: usize,
    default_of: Option<(&str, Form)>,
    out: &mut Vec<Reference>,
) -> Result<(), TemplateError> {
    if depth > MAX_NESTING {
        return Err(TemplateError::TooDeep { offset: base });
    }
    let nested = depth > 0;
    let mut pos = 0;
    while let Some(found) = template[pos..].find('$') {
        let start = pos + found;
        let (token, len) = match_token(&template[start..]).map_err(|e| e.shifted(base + start))?;
        match token {
            Token::Escaped | Token::Literal => {}
            Token::Named(name) => out.push(Reference {
                name: name.to_string(),
                form: Form::Bare,
                word: None,
                span: base + start..base + start + len,
                nested,
                default_of: default_of.map(|(n, f)| (n.to_string(), f)),
            }),
            Token::Braced {
                name,
                form,
                word,
                word_offset,
            } => {
                out.push(Reference {
                    name: name.to_string(),
                    form,
                    word: (form != Form::Braced).then(|| word.to_string()),
                    span: base + start..base + start + len,
                    nested,
                    default_of: default_of.map(|(n, f)| (n.to_string(), f)),
                });
                if form != Form::Braced {
                    // Only a top-level reference's default: deeper ones are read under
                    // conditions on more than one variable.
                    let parent = (depth == 0 && form.has_default()).then_some((name, form));
                    collect(word, base + start + word_offset, depth + 1, parent, out)?;
                }
            }
        }
        pos = start + len;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    fn sub(t: &str, e: &HashMap<String, String>) -> Result<String, TemplateError> {
        substitute(t, &|k: &str| e.get(k).cloned())
    }

    #[test]
    fn forms_follow_the_compose_table() {
        let e = env(&[("E", ""), ("V", "v")]);
        let cases = [
            ("${U:-w}", "w"),
            ("${E:-w}", "w"),
            ("${V:-w}", "v"),
            ("${U-w}", "w"),
            ("${E-w}", ""),
            ("${U:+w}", ""),
            ("${E:+w}", ""),
            ("${V:+w}", "w"),
            ("${U+w}", ""),
            ("${E+w}", "w"),
            ("${E?w}", ""),
            ("$$V", "$V"),
            ("$1 $- $", "$1 $- $"),
            ("${U:-a}b${V:-c}", "abv"),
            ("${U:-{a}}", "{a}"),
            ("${U:-}}", "}"),
        ];
        for (t, want) in cases {
            assert_eq!(sub(t, &e).as_deref(), Ok(want), "{t}");
        }
        assert!(matches!(
            sub("${E:?need it}", &e),
            Err(TemplateError::MissingRequired { .. })
        ));
        assert!(matches!(
            sub("x ${A.B}", &e),
            Err(TemplateError::Invalid { offset: 2 })
        ));
    }

    #[test]
    fn references_carry_form_span_and_nesting() {
        let t = "a ${A:-${B:-x}} $$C $D";
        let refs = references(t).unwrap();
        let names: Vec<_> = refs
            .iter()
            .map(|r| (r.name.as_str(), r.form, r.nested, &t[r.span.clone()]))
            .collect();
        assert_eq!(
            names,
            vec![
                ("A", Form::DefaultIfEmpty, false, "${A:-${B:-x}}"),
                ("B", Form::DefaultIfEmpty, true, "${B:-x}"),
                ("D", Form::Bare, false, "$D"),
            ]
        );
        assert!(!refs[0].is_required());
        assert!(refs[2].is_required());
        assert_eq!(refs[0].default(), Some("${B:-x}"));
    }

    #[test]
    fn hostile_templates_finish_and_do_not_overflow() {
        let many = "${B:-x}".repeat(200_000);
        assert_eq!(sub(&many, &env(&[])).unwrap().len(), 200_000);
        assert_eq!(references(&many).unwrap().len(), 200_000);
        let deep = format!("{}x{}", "${A:-".repeat(10_000), "}".repeat(10_000));
        assert!(matches!(
            sub(&deep, &env(&[])),
            Err(TemplateError::TooDeep { .. })
        ));
        assert!(matches!(
            references(&deep),
            Err(TemplateError::TooDeep { .. })
        ));
        let fine = format!("{}x{}", "${A:-".repeat(20), "}".repeat(20));
        assert_eq!(sub(&fine, &env(&[])).unwrap(), "x");
        // A value looked up many times stops at the budget instead of growing on.
        let big = env(&[("A", &"x".repeat(1 << 20))]);
        assert!(matches!(
            sub(&"$A".repeat(64), &big),
            Err(TemplateError::TooLarge { .. })
        ));
        let mut budget = Budget::new(10);
        assert_eq!(
            substitute_within("abc$A", &|_: &str| Some("defg".into()), &mut budget).unwrap(),
            "abcdefg"
        );
        assert!(substitute_within("abcd", &|_: &str| None, &mut budget).is_err());
    }

    #[test]
    fn error_messages_never_repeat_the_template() {
        let err = references("${password-is-hunter2").unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
    }
}
