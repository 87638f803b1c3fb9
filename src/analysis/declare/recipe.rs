//! Generation recipes and format notes in comments (`openssl rand -hex 32`, `php artisan
//! key:generate`, "32 characters"), read as the kind of value the variable takes.

use crate::analysis::phrase::Phrases;
use crate::generate::Kind;

/// The kind a generation recipe or format note in a comment (or in a placeholder that
/// describes itself, `<KEY_MUST_BE_32_LONG>`) asks for.
pub fn recipe(text: &str) -> Option<Kind> {
    if text.trim().is_empty() {
        return None;
    }
    recipe_lower(&text.to_lowercase())
}

/// [`recipe`] of a text already lower-cased.
pub(super) fn recipe_lower(lower: &str) -> Option<Kind> {
    if lower.trim().is_empty() {
        return None;
    }
    recipe_in(lower).or_else(|| {
        // Read again with separators as spaces (`<KEY_MUST_BE_32_LONG>`); text without
        // them reads the same and was just read.
        if !lower.contains(['_', '-', '<', '>']) {
            return None;
        }
        let spaced: String = lower
            .chars()
            .map(|c| {
                if matches!(c, '_' | '-' | '<' | '>') {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        recipe_in(&spaced)
    })
}

/// A phrase [`recipe_in`] looks for; all are found in one pass over a comment (see
/// [`Phrases`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phrase {
    OpensslHex,
    OpensslBase64,
    TokenHex,
    RandomBytes,
    QuotedHex,
    Artisan,
    Fernet,
    RakeSecret,
    RailsSecret,
    PhxSecret,
    Uuidgen,
    Uuid4,
    UuidV4Spaced,
    UuidV4,
    AUuid,
    ValidUuid,
    Md5sum,
    Sha256sum,
    Sha1sum,
    Sha512sum,
    PwgenSecure,
    Pwgen,
    Hex,
    Char,
    Long,
}

impl Phrase {
    /// Every phrase, in the order of the enum.
    const TEXTS: [&'static str; 25] = [
        "openssl rand -hex",
        "openssl rand -base64",
        "token_hex(",
        "randombytes(",
        "'hex'",
        "artisan key:generate",
        "fernet",
        "rake secret",
        "rails secret",
        "phx.gen.secret",
        "uuidgen",
        "uuid4",
        "uuid v4",
        "uuidv4",
        "a uuid",
        "valid uuid",
        "md5sum",
        "sha256sum",
        "sha1sum",
        "sha512sum",
        "pwgen -s",
        "pwgen",
        "hex",
        "char",
        "long",
    ];
    const TABLE: Phrases = Phrases::new(&Phrase::TEXTS);

    fn text(self) -> &'static str {
        Phrase::TEXTS[self as usize]
    }
}

/// Where each [`Phrase`] first starts in a text.
struct Found([Option<usize>; Phrase::TEXTS.len()]);

impl Found {
    fn of(t: &str) -> Found {
        Found(Phrase::TABLE.first_starts(t))
    }

    fn find(&self, phrase: Phrase) -> Option<usize> {
        self.0[phrase as usize]
    }

    fn has(&self, phrase: Phrase) -> bool {
        self.find(phrase).is_some()
    }
}

fn recipe_in(t: &str) -> Option<Kind> {
    let phrases = Found::of(t);
    let number_after = |phrase: Phrase| -> Option<usize> {
        let at = phrases.find(phrase)? + phrase.text().len();
        let digits: String = t[at..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok().filter(|n| (1..=512).contains(n))
    };
    if let Some(n) = number_after(Phrase::OpensslHex) {
        return Some(Kind::Hex(n));
    }
    if let Some(n) = number_after(Phrase::OpensslBase64) {
        return Some(Kind::Base64(n));
    }
    if let Some(n) = number_after(Phrase::TokenHex) {
        return Some(Kind::Hex(n));
    }
    if let Some(n) = number_after(Phrase::RandomBytes)
        && phrases.has(Phrase::QuotedHex)
    {
        return Some(Kind::Hex(n));
    }
    if phrases.has(Phrase::Artisan) {
        return Some(Kind::Laravel);
    }
    if phrases.has(Phrase::Fernet) {
        return Some(Kind::Fernet);
    }
    if phrases.has(Phrase::RakeSecret) || phrases.has(Phrase::RailsSecret) {
        return Some(Kind::Hex(64));
    }
    if phrases.has(Phrase::PhxSecret) {
        return Some(Kind::Token(64));
    }
    if [
        Phrase::Uuidgen,
        Phrase::Uuid4,
        Phrase::UuidV4Spaced,
        Phrase::UuidV4,
        Phrase::AUuid,
        Phrase::ValidUuid,
    ]
    .into_iter()
    .any(|p| phrases.has(p))
    {
        return Some(Kind::Uuid);
    }
    // `… | md5sum` prints 32 hex digits, `sha256sum` 64, `sha1sum` 40.
    for (tool, bytes) in [
        (Phrase::Md5sum, 16),
        (Phrase::Sha256sum, 32),
        (Phrase::Sha1sum, 20),
        (Phrase::Sha512sum, 64),
    ] {
        if phrases.has(tool) {
            return Some(Kind::Hex(bytes));
        }
    }
    if let Some(n) = number_after(Phrase::PwgenSecure).or_else(|| number_after(Phrase::Pwgen)) {
        return Some(Kind::Token(n));
    }
    // Both notes need a number; the hex one the word "hex" (also the start of
    // "hexadecimal"), the length one "char…" or "long" after its number.
    if !t.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    if phrases.has(Phrase::Hex)
        && let Some(n) = hex_length_note(t)
    {
        return Some(Kind::Hex(n / 2));
    }
    // "32-byte (256-bit) hex-encoded key", "32 bytes, base64": a size in bytes and an encoding.
    if let Some(n) = byte_length_note(t) {
        if phrases.has(Phrase::Hex) {
            return Some(Kind::Hex(n));
        }
        if t.contains("base64") {
            return Some(Kind::Base64(n));
        }
        // A size in bytes with no encoding is the key as the app takes it, one character a
        // byte (coze's AES secret: "The size of secret must be 16, 24 or 32 bytes").
        // Under 22 characters a key holds less than the policy's 128 bits, and `check` would
        // call the generated value weak: left to the default kind.
        if (t.contains("must be") || t.contains("exactly")) && n >= 22 {
            return Some(Kind::Token(n));
        }
    }
    if (phrases.has(Phrase::Char) || phrases.has(Phrase::Long))
        && let Some(n) = exact_length_note(t)
    {
        return Some(Kind::Token(n));
    }
    None
}

/// "64 hex characters", "64-character hex", "hex-64": a length in hex digits.
fn hex_length_note(t: &str) -> Option<usize> {
    let t = &t.replace("hexadecimal", "hex");
    let words: Vec<&str> = t
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let Ok(n) = w.parse::<usize>() else { continue };
        if !(16..=256).contains(&n) || n % 2 != 0 {
            continue;
        }
        let next = words.get(i + 1).copied().unwrap_or("");
        let after = words.get(i + 2).copied().unwrap_or("");
        let before = if i > 0 { words[i - 1] } else { "" };
        let chars = |x: &str| x.starts_with("char") || x == "digits";
        if next == "hex" && (chars(after) || after.is_empty() || after == "string")
            || chars(next) && after == "hex"
            || before == "hex"
        {
            return Some(n);
        }
    }
    None
}

/// "32-byte", "32 bytes", "32 random bytes": a size in bytes, 16 to 128 (refly's `ENCRYPTION_KEY`: "32-byte
/// (256-bit) hex-encoded key").
fn byte_length_note(t: &str) -> Option<usize> {
    let words: Vec<&str> = t
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().find_map(|(i, w)| {
        let n = w.parse::<usize>().ok()?;
        // "32 bytes", "32 random bytes".
        let unit = match words.get(i + 1).copied() {
            Some("random" | "secure") => words.get(i + 2).copied(),
            next => next,
        };
        ((16..=128).contains(&n) && matches!(unit, Some("byte" | "bytes"))).then_some(n)
    })
}

/// "must be 32 characters", "exactly 32 chars", "at least 64 characters", "32 chars min": a
/// required length.
fn exact_length_note(t: &str) -> Option<usize> {
    let words: Vec<&str> = t.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        if let Ok(n) = w.parse::<usize>()
            && (8..=512).contains(&n)
            && words.get(i + 1).is_some_and(|x| x.starts_with("char"))
            && words.get(i + 2).is_some_and(|x| x.starts_with("min"))
        {
            return Some(n);
        }
    }
    // "any 32-character value", "a 64-char key": a hyphenated length names the size.
    for (i, _) in t.match_indices("-char") {
        let digits: String = t[..i]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let before = t[..i - digits.len()].chars().next_back();
        if let Ok(n) = digits.parse::<usize>()
            && (8..=512).contains(&n)
            && !before.is_some_and(char::is_alphanumeric)
        {
            return Some(n);
        }
    }
    for marker in [
        "must be ",
        "exactly ",
        "should be ",
        "at least ",
        "minimum of ",
        "min ",
    ] {
        let mut from = 0;
        while let Some(at) = t[from..].find(marker) {
            let start = from + at + marker.len();
            let rest = &t[start..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let after = rest[digits.len()..].trim_start();
            if let Ok(n) = digits.parse::<usize>()
                && (8..=512).contains(&n)
                && (after.starts_with("char") || after.starts_with("long"))
            {
                return Some(n);
            }
            from = start;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_are_listed_in_the_order_of_their_enum() {
        for (phrase, text) in [
            (Phrase::OpensslHex, "openssl rand -hex"),
            (Phrase::ValidUuid, "valid uuid"),
            (Phrase::Pwgen, "pwgen"),
            (Phrase::Long, "long"),
        ] {
            assert_eq!(phrase.text(), text, "{phrase:?}");
        }
        // Overlapping phrases are each found at their leftmost start.
        let found = Found::of("pwgen -s 32 or pwgen 16, openssl rand -hex 8");
        assert_eq!(found.find(Phrase::PwgenSecure), Some(0));
        assert_eq!(found.find(Phrase::Pwgen), Some(0));
        assert_eq!(found.find(Phrase::OpensslHex), Some(25));
        assert_eq!(found.find(Phrase::Hex), Some(39));
    }
}
