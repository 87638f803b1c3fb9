//! `envward check` output: text for people (in [`super::check_text`]), JSON (schema
//! version 1), SARIF 2.1.0 and GitHub workflow commands for programs. Every renderer reads
//! only the [`Inventory`], which holds no secret values, so no format can print one.

use std::fmt::Write;

use serde_json::{Value, json};

use crate::analysis::{Inventory, RuleId, Severity};

pub use super::check_text::{TextOptions, next_steps, text, text_with};

/// The JSON document of DESIGN.md, schema version 1, as a value (see [`super::check_json`]
/// for the document itself, which `check` writes without building this).
pub fn json_value(inv: &Inventory) -> Value {
    serde_json::to_value(super::check_json::document(inv)).unwrap_or_default()
}

/// The JSON document as pretty text.
pub fn json(inv: &Inventory) -> String {
    let mut out = Vec::new();
    // Writing to memory fails only on a serialisation error, which these types cannot have.
    let _ = super::check_json::write(inv, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// SARIF 2.1.0: one run, every rule's metadata, one result per finding with its location.
pub fn sarif(inv: &Inventory) -> String {
    let rules: Vec<Value> = RuleId::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.as_str(),
                "name": r.as_str(),
                "shortDescription": { "text": r.description() },
                "fullDescription": { "text": r.description() },
                "defaultConfiguration": {
                    "level": match r {
                        RuleId::Undocumented | RuleId::Unused | RuleId::Duplicate | RuleId::Reused => "warning",
                        _ => "error",
                    }
                },
            })
        })
        .collect();
    let results: Vec<Value> = inv
        .findings
        .iter()
        .map(|f| {
            let index = RuleId::ALL.iter().position(|r| *r == f.rule).unwrap_or(0);
            json!({
                "ruleId": f.rule.as_str(),
                "ruleIndex": index,
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": f.file.display().to_string().replace('\\', "/") },
                        "region": { "startLine": f.position.line, "startColumn": f.position.column },
                    }
                }],
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "envward",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://crates.io/crates/envward",
                "rules": rules,
            }},
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// Escapes a workflow-command message (`%`, CR, LF).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands: one `::error` or `::warning` line per finding.
pub fn github(inv: &Inventory) -> String {
    let mut out = String::new();
    for f in &inv.findings {
        let title = match &f.variable {
            Some(v) => format!("envward {}: {v}", f.rule),
            None => format!("envward {}", f.rule),
        };
        let _ = writeln!(
            out,
            "::{} file={},line={},col={},title={}::{}",
            level(f.severity),
            escape_property(&f.file.display().to_string()),
            f.position.line,
            f.position.column,
            escape_property(&title),
            escape_data(&f.message)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_escape() {
        assert_eq!(escape_data("50%\nx"), "50%25%0Ax");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
