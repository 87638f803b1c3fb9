//! The statement scanner: a cursor over the whole text, as Compose's dotenv parser is.
//!
//! It does not split the text into lines first, because quoted values span lines and text
//! after a closing quote starts the next statement.

use std::ops::Range;

use unicode_general_category::{GeneralCategory, get_general_category};

use super::{ParseErrorKind, Quote};

/// Go's `unicode.IsSpace` minus `\n`: the parser's horizontal space.
pub(super) fn is_hspace(c: char) -> bool {
    matches!(
        c,
        '\t' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{85}' | '\u{A0}'
    )
}

/// Go's `unicode.IsLetter || unicode.IsNumber`: general categories L and N.
fn is_letter_or_number(c: char) -> bool {
    use GeneralCategory as G;
    matches!(
        get_general_category(c),
        G::UppercaseLetter
            | G::LowercaseLetter
            | G::TitlecaseLetter
            | G::ModifierLetter
            | G::OtherLetter
            | G::DecimalNumber
            | G::LetterNumber
            | G::OtherNumber
    )
}

/// A character a key may hold: `_ . - [ ]`, a letter or a number. The only ASCII letters and
/// numbers are `A-Z`, `a-z` and `0-9`, so ASCII is answered without the Unicode tables.
pub(super) fn is_key_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '[' | ']');
    }
    is_letter_or_number(c)
}

/// The offset where the next statement starts at or after `pos`, skipping whitespace
/// (newlines included) and `#` comment lines; `None` at the end of the text.
pub(super) fn statement_start(text: &str, mut pos: usize) -> Option<usize> {
    loop {
        let rest = &text[pos..];
        let skipped = rest.find(|c: char| !c.is_whitespace())?;
        pos += skipped;
        if !text[pos..].starts_with('#') {
            return Some(pos);
        }
        pos += text[pos..].find('\n')?;
    }
}

/// One statement as found in the text. Offsets are into the whole text.
pub(super) struct Statement {
    pub key: String,
    pub key_offset: usize,
    /// The value token (quotes included) and its quoting; `None` for a bare key.
    pub value: Option<(Range<usize>, Quote)>,
    /// End of the statement's own text.
    pub end: usize,
    /// Where scanning resumes.
    pub next: usize,
}

/// `^export\s+` with Go's `\s` = `[\t\n\f\r ]`.
fn export_prefix_len(s: &str) -> usize {
    if let Some(after) = s.strip_prefix("export")
        && after.starts_with(['\t', '\n', '\u{0C}', '\r', ' '])
    {
        let skipped = after.find(|c: char| !is_hspace(c)).unwrap_or(after.len());
        return 6 + skipped;
    }
    0
}

/// Scans the statement starting at `start`. Errors carry the offset to blame.
pub(super) fn statement(text: &str, start: usize) -> Result<Statement, (usize, ParseErrorKind)> {
    let key_offset = start + export_prefix_len(&text[start..]);
    let src = &text[key_offset..];
    let mut found = None;
    // Most keys are ASCII: their run is skipped a byte at a time (each byte would pass the
    // loop below as a key character).
    let ascii = src
        .bytes()
        .take_while(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'[' | b']'))
        .count();
    for (i, c) in src[ascii..].char_indices() {
        let i = ascii + i;
        if is_hspace(c) {
            continue;
        }
        match c {
            '=' | ':' | '\n' => {
                found = Some((i, c));
                break;
            }
            c if is_key_char(c) => {}
            c => return Err((key_offset + i, ParseErrorKind::UnexpectedCharacter(c))),
        }
    }
    let Some((sep_at, sep)) = found else {
        // Compose quirk: a last line with no separator and no newline becomes the *value* of
        // the empty key.
        return value(text, key_offset, String::new(), key_offset);
    };
    let key = src[..sep_at].trim_end().to_string();
    if key.contains(' ') {
        return Err((key_offset, ParseErrorKind::SpaceInKey));
    }
    if sep == '\n' {
        let end = key_offset + src[..sep_at].trim_end().len();
        return Ok(Statement {
            key,
            key_offset,
            value: None,
            end,
            next: key_offset + sep_at + 1,
        });
    }
    let after_sep = key_offset + sep_at + 1;
    let mut value_start = after_sep
        + text[after_sep..]
            .find(|c: char| !is_hspace(c))
            .unwrap_or(text.len() - after_sep);
    // An empty value on a CRLF line: Compose skipped the `\r` as space, but the value's place
    // is before it, so that writing a value there keeps the line ending intact.
    if matches!(text.as_bytes().get(value_start), None | Some(b'\n')) {
        while value_start > after_sep && text.as_bytes()[value_start - 1] == b'\r' {
            value_start -= 1;
        }
    }
    value(text, value_start, key, key_offset)
}

fn value(
    text: &str,
    value_start: usize,
    key: String,
    key_offset: usize,
) -> Result<Statement, (usize, ParseErrorKind)> {
    let rest = &text[value_start..];
    let quote = match rest.chars().next() {
        Some('\'') => Some('\''),
        Some('"') => Some('"'),
        _ => None,
    };
    if let Some(q) = quote {
        let Some(close) = closing_quote(&rest[1..], q) else {
            return Err((value_start, ParseErrorKind::UnterminatedQuote(q)));
        };
        let end = value_start + 1 + close + 1;
        let quote = if q == '"' {
            Quote::Double
        } else {
            Quote::Single
        };
        return Ok(Statement {
            key,
            key_offset,
            value: Some((value_start..end, quote)),
            end,
            next: end,
        });
    }
    let line_end = rest.find('\n').unwrap_or(rest.len());
    let line = &rest[..line_end];
    // The first ` #`, found from its `#` (a byte search, where a two-byte pattern would set
    // up a substring searcher per statement).
    let cut = line
        .match_indices('#')
        .find(|&(i, _)| i > 0 && line.as_bytes()[i - 1] == b' ')
        .map_or(line.len(), |(i, _)| i - 1);
    let value_len = line[..cut].trim_end().len();
    Ok(Statement {
        key,
        key_offset,
        value: Some((value_start..value_start + value_len, Quote::None)),
        end: value_start + line_end,
        next: value_start + line_end,
    })
}

/// Scans a quoted value that starts just after its opening quote `q`. Returns the text with
/// Compose's quote rule applied (an escaped `q` gives `q`; any other escaped character keeps
/// its backslash) and the offset of the closing quote, if any.
pub(super) fn unquote(s: &str, q: char) -> (String, Option<usize>) {
    let mut out = String::with_capacity(s.len());
    let close = scan_quoted(s, q, |c| out.push(c));
    (out, close)
}

/// The offset of the closing quote `q` in `s` (which starts just after the opening one), as
/// [`unquote`] finds it, without building the value: the scanner needs only where it ends.
fn closing_quote(s: &str, q: char) -> Option<usize> {
    scan_quoted(s, q, |_| {})
}

/// The quote rule of [`unquote`]: hands each character of the value to `push` and returns the
/// offset of the closing quote.
fn scan_quoted(s: &str, q: char, mut push: impl FnMut(char)) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if c != q {
            if !escaped && c == '\\' {
                escaped = true;
                continue;
            }
            if escaped {
                escaped = false;
                push('\\');
            }
            push(c);
            continue;
        }
        if escaped {
            escaped = false;
            push(c);
            continue;
        }
        return Some(i);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_key_characters_agree_with_the_unicode_tables() {
        for c in (0..128u8).map(char::from) {
            let by_tables = matches!(c, '_' | '.' | '-' | '[' | ']') || is_letter_or_number(c);
            assert_eq!(is_key_char(c), by_tables, "{c:?}");
        }
    }

    #[test]
    fn the_inline_comment_cut_is_the_first_space_hash() {
        let text = "A=x#y  #z #w\n";
        let stmt = statement(text, 0).unwrap();
        assert_eq!(stmt.value.map(|(r, _)| &text[r]), Some("x#y"));
        let text = "A=#x\n";
        let stmt = statement(text, 0).unwrap();
        assert_eq!(stmt.value.map(|(r, _)| &text[r]), Some("#x"));
    }
}
