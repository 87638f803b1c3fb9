//! What a scalar decodes to, as go-yaml decodes it for Compose.

use super::Kind;

pub(super) const MERGE_TAG: &str = "tag:yaml.org,2002:merge";

/// What a scalar decodes to, with go-yaml's resolution of plain scalars (YAML 1.2 core:
/// `yes`/`on` stay strings) and explicit `!!` tags. Other tags (`!reset`, `!override`, local
/// ones) resolve the scalar as if it had none.
pub(super) fn scalar_kind(value: String, plain: bool, tag: Option<&str>) -> Kind {
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
