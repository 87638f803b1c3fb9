//! The decorators env-schema tools write in templates (varlock's `# @sensitive`,
//! `@required`, `@optional`, `@type=…`, file-wide `@defaultSensitive`), read as declarations.

use super::super::Class;
use super::Declared;
use crate::dotenv::{Document, Item};
/// File-wide varlock defaults (`@defaultSensitive`, `@defaultRequired`), from the header.
#[derive(Debug, Default)]
pub(super) struct FileDefaults {
    sensitive: Option<bool>,
    required: Option<bool>,
}

pub(super) fn file_defaults(doc: &Document) -> FileDefaults {
    let mut out = FileDefaults::default();
    let Some(Item::Trivia(head)) = doc.items().first() else {
        return out;
    };
    for (name, value) in head.lines().flat_map(decorator_words) {
        match (name.as_str(), value.as_deref()) {
            ("defaultSensitive", v) => out.sensitive = Some(v != Some("false")),
            ("defaultRequired", Some("true")) => out.required = Some(true),
            ("defaultRequired", Some("false")) => out.required = Some(false),
            _ => {}
        }
    }
    out
}

/// The `@name` and `@name=value` words of a comment line.
fn decorator_words(line: &str) -> Vec<(String, Option<String>)> {
    let Some(c) = line.trim_start().strip_prefix('#') else {
        return Vec::new();
    };
    decorators_in(c)
}

fn decorators_in(text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        let Some(d) = word.strip_prefix('@') else {
            continue;
        };
        let (name, value) = match d.split_once('=') {
            Some((n, v)) => (n, Some(v.trim_matches(['"', '\'']).to_string())),
            None => (d, None),
        };
        if name.chars().all(|c| c.is_ascii_alphanumeric()) && !name.is_empty() {
            out.push((name.to_string(), value));
        }
    }
    out
}

/// varlock's item decorators: `@sensitive`, `@required`, `@optional`, `@type=…`.
pub(super) fn decorators(lines: &[&str], defaults: &FileDefaults, d: &mut Declared) {
    let mut sensitive = None;
    for l in lines {
        for (name, value) in decorators_in(l) {
            match (name.as_str(), value.as_deref()) {
                ("sensitive", v) => sensitive = Some(v != Some("false")),
                ("required", v) => d.required = Some(v != Some("false")),
                ("optional", v) => d.required = Some(v == Some("false")),
                ("type", Some(t)) => {
                    let base = t.split('(').next().unwrap_or(t);
                    if matches!(
                        base,
                        "boolean" | "number" | "port" | "url" | "email" | "enum" | "ip" | "semver"
                    ) {
                        d.class = Some(Class::Config);
                        d.by = Some("@type in the example file");
                    }
                }
                _ => {}
            }
        }
    }
    if d.required.is_none() {
        d.required = defaults.required;
    }
    match sensitive.or(if d.class.is_none() {
        defaults.sensitive
    } else {
        None
    }) {
        Some(true) if d.class != Some(Class::External) => {
            d.class = Some(Class::Secret);
            d.by = Some("@sensitive in the example file");
        }
        Some(false) => {
            d.class = Some(Class::Config);
            d.by = Some("@sensitive=false in the example file");
        }
        _ => {}
    }
}
