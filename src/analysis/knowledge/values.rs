//! What the templates say about values: placeholder conventions and words, "supplied
//! elsewhere" sentinels, fill-in markers, example hosts, default and public passwords and
//! development markers. Each answers one question about one value.

use super::Knowledge;

impl Knowledge {
    /// Why `value` is a placeholder, if it is one. `secret` enables the exact words that are
    /// placeholders only for secrets (`secret`, `test` …). Decorations are ignored:
    /// `__CHANGEME__`, `[change-me]` and `<<ChangeMe>>` are all `changeme`.
    pub fn placeholder(&self, value: &str, secret: bool) -> Option<String> {
        let v = value.trim();
        if v.is_empty() || self.is_sentinel(v) {
            return None;
        }
        if crate::automata::follows_placeholder_convention(&self.placeholders, v) {
            return Some("follows a placeholder convention (a stand-in, not a real value)".into());
        }
        let lower = v.to_lowercase();
        let bare = crate::automata::undecorated(&lower);
        if secret
            && (self.placeholder_words.contains(lower.as_str())
                || self.placeholder_words.contains(bare))
        {
            return Some("is a placeholder word".to_string());
        }
        if v.len() >= 3 && v.chars().all(|c| c == '0') {
            return Some("is an all-zero key".to_string());
        }
        if secret && is_shouting_name(v) {
            return Some("is a NAME_IN_CAPITALS standing in for a value".to_string());
        }
        None
    }

    /// Whether `value` is a documented "supplied elsewhere" sentinel (`user_provided`).
    pub fn is_sentinel(&self, value: &str) -> bool {
        self.sentinels
            .contains(value.trim().to_lowercase().as_str())
    }

    /// Whether `value` still holds a template's fill-in marker: words in angle brackets
    /// (`<MY DOMAIN>`, `noreply@<your-domain>`, `<MY DOMAIN>=selector`). No real setting is
    /// written that way, so it is a stand-in whatever the setting; an address in brackets
    /// (`Name <me@host.org>`) or a list of choices (`<a | b>`) is not a marker.
    pub fn has_fill_in_marker(value: &str) -> bool {
        value.match_indices('<').any(|(at, _)| {
            let rest = &value[at + 1..];
            let Some(end) = rest.find('>') else {
                return false;
            };
            let inner = &rest[..end];
            inner.starts_with(|c: char| c.is_ascii_alphabetic())
                && inner
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '-'))
                && !is_html_tag(inner)
        })
    }

    /// Whether `value` names an example host (`example.com`, `yourdomain` …).
    pub fn mentions_example_host(&self, value: &str) -> bool {
        let lower = value.to_lowercase();
        // The reserved `.invalid` top-level domain (RFC 2606), and a `changeme` label
        // (Part-DB's `https://partdb.changeme.invalid/`, `noreply@partdb.changeme`).
        let reserved = lower.match_indices(".invalid").any(|(at, h)| {
            lower[at + h.len()..]
                .chars()
                .next()
                .is_none_or(|c| matches!(c, '/' | ':' | '?' | '#' | '"' | '\'' | ' '))
        });
        let changeme_label = lower.match_indices("changeme").any(|(at, h)| {
            let before = lower[..at].chars().next_back();
            let after = lower[at + h.len()..].chars().next();
            (before == Some('.') || before == Some('@') || before == Some('/'))
                && after.is_none_or(|c| matches!(c, '.' | '/' | ':'))
                && (before != Some('/') || after == Some('.'))
        });
        if reserved || changeme_label {
            return true;
        }
        self.example_hosts.iter().any(|h| {
            lower.match_indices(h).any(|(at, _)| {
                // A whole host label: `example.com` in `mail.example.com`, not in
                // `counterexample.community`.
                let before = lower[..at].chars().next_back();
                let after = lower[at + h.len()..].chars().next();
                before.is_none_or(|c| !c.is_ascii_alphanumeric())
                    && after.is_none_or(|c| !c.is_ascii_alphanumeric())
            })
        })
    }

    /// Whether `value` is a well-known default or dictionary password, also with digits or
    /// symbols appended (`password123!`) or capitalised.
    pub fn is_default_password(&self, value: &str) -> bool {
        let lower = value.to_lowercase();
        if self.defaults.contains(lower.as_str()) {
            return true;
        }
        let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
        stem.len() >= 4 && stem.len() < lower.len() && self.defaults.contains(stem)
    }

    /// Whether `value` contains a development marker (`dev_`, `_local`, `test` …).
    pub fn has_dev_marker(&self, value: &str) -> bool {
        let lower = value.to_lowercase();
        self.dev_markers.iter().any(|m| lower.contains(m))
    }

    /// Whether `value` was published in a well-known template.
    pub fn is_public(&self, value: &str) -> bool {
        self.public.contains(value)
    }
}

/// `STRONG_DB_PASSWORD`: capitals and underscores naming what should be there.
fn is_shouting_name(v: &str) -> bool {
    v.contains('_')
        && v.len() >= 6
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && ["PASSWORD", "SECRET", "TOKEN", "KEY", "PASS"]
            .iter()
            .any(|w| v.contains(w))
}

/// An HTML tag written in a value (`BigBlueButton`'s welcome message: `<b>`, `<br>`, `<u>`),
/// not a fill-in marker.
fn is_html_tag(inner: &str) -> bool {
    const TAGS: [&str; 24] = [
        "a", "b", "i", "u", "s", "p", "br", "hr", "em", "strong", "span", "div", "small", "big",
        "sub", "sup", "code", "pre", "li", "ul", "ol", "h1", "h2", "h3",
    ];
    TAGS.contains(&inner.to_ascii_lowercase().as_str())
}
