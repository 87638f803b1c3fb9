//! `envward refs`: every compose reference grouped by variable, as text or JSON.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::analysis::Relations;
use crate::compose::{ComposeRef, Usage};

/// One reference in `refs --format json`.
#[derive(Debug, Serialize)]
struct JsonRef<'a> {
    name: &'a str,
    service: &'a str,
    file: String,
    line: usize,
    column: usize,
    required: bool,
    default: Option<&'a str>,
    in_uri: bool,
}

/// The references whose variable is in `only` (all when `only` is empty), in file order.
pub fn select<'a>(refs: &'a [ComposeRef], only: &[String]) -> Vec<&'a ComposeRef> {
    refs.iter()
        .filter(|r| only.is_empty() || only.contains(&r.name))
        .collect()
}

/// What `default` shows for a variable whose value is a secret.
pub const HIDDEN_DEFAULT: &str = "<hidden: secret>";

/// The JSON array of references. `secret` tells which variables hold secrets: their
/// defaults (a literal in the compose file) are hidden.
pub fn json(refs: &[&ComposeRef], secret: &dyn Fn(&str) -> bool) -> String {
    let items: Vec<JsonRef<'_>> = refs
        .iter()
        .map(|r| JsonRef {
            name: &r.name,
            service: r.scope.name(),
            file: r.file.display().to_string(),
            line: r.position.line,
            column: r.position.column,
            required: r.required,
            default: r.default.as_deref().map(|d| {
                if secret(&r.name) && !d.is_empty() {
                    HIDDEN_DEFAULT
                } else {
                    d
                }
            }),
            in_uri: r.in_uri,
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_string());
    out.push('\n');
    out
}

/// References grouped by variable, aligned, one line per use, then what the analysis knows
/// ties each variable to others (a group that must hold one value, URLs carrying it, tokens
/// signed with it).
pub fn text(refs: &[&ComposeRef], relations: &Relations) -> String {
    let mut groups: BTreeMap<&str, Vec<&ComposeRef>> = BTreeMap::new();
    for r in refs {
        groups.entry(&r.name).or_default().push(r);
    }
    let scope_width = refs.iter().map(|r| r.scope.name().len()).max().unwrap_or(0);
    let loc = |r: &ComposeRef| format!("{}:{}", r.file.display(), r.position);
    let loc_width = refs.iter().map(|r| loc(r).len()).max().unwrap_or(0);
    let mut out = String::new();
    for (name, uses) in &groups {
        let required = uses.iter().any(|r| r.required);
        let _ = writeln!(
            out,
            "{name}  ({} use{}, {})",
            uses.len(),
            if uses.len() == 1 { "" } else { "s" },
            if required { "required" } else { "optional" }
        );
        for r in uses {
            let mut notes = vec![match r.usage {
                Usage::Passthrough => "passthrough".to_string(),
                Usage::Interpolation(f) => f.label().to_string(),
            }];
            notes.push(if r.required { "required" } else { "optional" }.to_string());
            if r.default.is_some() {
                notes.push("has default".to_string());
            }
            if r.in_uri {
                notes.push("in URI".to_string());
            }
            let _ = writeln!(
                out,
                "  {:scope_width$}  {:loc_width$}  {}",
                r.scope.name(),
                loc(r),
                notes.join(", ")
            );
        }
        for line in relations.ties(name) {
            let _ = writeln!(out, "  {line}");
        }
    }
    if groups.is_empty() {
        out.push_str("no references\n");
    }
    out
}
