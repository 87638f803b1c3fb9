//! Generation recipes and format notes in comments (`openssl rand -hex 32`, `php artisan
//! key:generate`, "32 characters"), read as the kind of value the variable takes.

use crate::generate::Kind;
/// The kind a generation recipe or format note in a comment (or in a placeholder that
/// describes itself, `<KEY_MUST_BE_32_LONG>`) asks for.
pub fn recipe(text: &str) -> Option<Kind> {
    recipe_in(&text.to_lowercase()).or_else(|| {
        let spaced: String = text
            .to_lowercase()
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

fn recipe_in(t: &str) -> Option<Kind> {
    let number_after = |pat: &str| -> Option<usize> {
        let at = t.find(pat)? + pat.len();
        let digits: String = t[at..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok().filter(|n| (1..=512).contains(n))
    };
    if let Some(n) = number_after("openssl rand -hex") {
        return Some(Kind::Hex(n));
    }
    if let Some(n) = number_after("openssl rand -base64") {
        return Some(Kind::Base64(n));
    }
    if let Some(n) = number_after("token_hex(") {
        return Some(Kind::Hex(n));
    }
    if let Some(n) = number_after("randombytes(")
        && t.contains("'hex'")
    {
        return Some(Kind::Hex(n));
    }
    if t.contains("artisan key:generate") {
        return Some(Kind::Laravel);
    }
    if t.contains("fernet") {
        return Some(Kind::Fernet);
    }
    if t.contains("rake secret") || t.contains("rails secret") {
        return Some(Kind::Hex(64));
    }
    if t.contains("phx.gen.secret") {
        return Some(Kind::Token(64));
    }
    if [
        "uuidgen",
        "uuid4",
        "uuid v4",
        "uuidv4",
        "a uuid",
        "valid uuid",
    ]
    .iter()
    .any(|p| t.contains(p))
    {
        return Some(Kind::Uuid);
    }
    // `… | md5sum` prints 32 hex digits, `sha256sum` 64, `sha1sum` 40.
    for (tool, bytes) in [
        ("md5sum", 16),
        ("sha256sum", 32),
        ("sha1sum", 20),
        ("sha512sum", 64),
    ] {
        if t.contains(tool) {
            return Some(Kind::Hex(bytes));
        }
    }
    if let Some(n) = number_after("pwgen -s").or_else(|| number_after("pwgen")) {
        return Some(Kind::Token(n));
    }
    if let Some(n) = hex_length_note(t) {
        return Some(Kind::Hex(n / 2));
    }
    if let Some(n) = exact_length_note(t) {
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
