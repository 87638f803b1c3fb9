//! `envward check` output: text for people, JSON (schema version 1), SARIF 2.1.0 and GitHub
//! workflow commands for programs. Every renderer reads only the [`Inventory`], which holds
//! no secret values, so no format can print one.

use std::fmt::Write;

use serde_json::{Value, json};

use crate::analysis::{Finding, Inventory, RuleId, Severity, Status};

/// Findings grouped under headings: the status rules by status, then each other rule.
fn groups<'a>(inv: &'a Inventory) -> Vec<(String, Severity, Vec<&'a Finding>)> {
    let mut out: Vec<(String, Severity, Vec<&Finding>)> = Vec::new();
    let status_rule = |f: &Finding| -> Option<Status> {
        let var = inv.get(f.variable.as_deref()?)?;
        match f.rule {
            RuleId::Missing
            | RuleId::Placeholder
            | RuleId::Weak
            | RuleId::WeakDefault
            | RuleId::Invalid
            | RuleId::Unused => Some(var.status),
            _ => None,
        }
    };
    // A group's severity is its most severe finding (errors sort first).
    let mut push = |title: &str, items: Vec<&'a Finding>| {
        if let Some(sev) = items.iter().map(|f| f.severity).min() {
            out.push((title.to_string(), sev, items));
        }
    };
    for status in Status::ALL {
        let items = inv
            .findings
            .iter()
            .filter(|f| status_rule(f) == Some(status))
            .collect();
        push(status.as_str(), items);
    }
    for rule in RuleId::ALL {
        let items = inv
            .findings
            .iter()
            .filter(|f| f.rule == *rule && status_rule(f).is_none())
            .collect();
        push(rule.as_str(), items);
    }
    out
}

fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// Aligned text grouped by status, with a summary line. `color` adds ANSI colours.
pub fn text(inv: &Inventory, color: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  ({} variables, {} policy; example {}; compose {})",
        inv.env_file.display(),
        inv.variables.len(),
        inv.policy.level.as_str(),
        inv.example_file.display(),
        inv.compose_files
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let all: Vec<&Finding> = inv.findings.iter().collect();
    let name_w = all
        .iter()
        .map(|f| f.variable.as_deref().unwrap_or("-").len())
        .max()
        .unwrap_or(0);
    let loc = |f: &Finding| format!("{}:{}", f.file.display(), f.position);
    let loc_w = all.iter().map(|f| loc(f).len()).max().unwrap_or(0);
    for (title, severity, items) in groups(inv) {
        let (code, label) = match severity {
            Severity::Error => ("1;31", "error"),
            Severity::Warning => ("1;33", "warning"),
        };
        let _ = writeln!(
            out,
            "\n{} ({}, {})",
            paint(&title, code, color),
            items.len(),
            label
        );
        for f in items {
            let _ = writeln!(
                out,
                "  {:name_w$}  {:loc_w$}  {}",
                f.variable.as_deref().unwrap_or("-"),
                loc(f),
                f.message
            );
        }
    }
    let rel = &inv.relations;
    if !rel.groups.is_empty() || !rel.urls.is_empty() || !rel.derived.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint("tied together (fill keeps them in step)", "1", color)
        );
        for g in &rel.groups {
            let _ = writeln!(out, "  same value: {} ({})", g.members.join(" = "), g.why);
        }
        for u in &rel.urls {
            let _ = writeln!(out, "  {} carries {} ({})", u.url, u.password_of, u.why);
        }
        for d in &rel.derived {
            let _ = writeln!(out, "  {} is a token signed with {}", d.var, d.from);
        }
    }
    let counts: Vec<String> = inv
        .status_counts()
        .iter()
        .map(|(s, n)| format!("{n} {}", s.as_str()))
        .collect();
    let (errors, warnings) = (inv.errors(), inv.warnings());
    let verdict = if errors > 0 {
        paint("✗", "1;31", color)
    } else if warnings > 0 {
        paint("!", "1;33", color)
    } else {
        paint("✓", "1;32", color)
    };
    let _ = writeln!(
        out,
        "\n{verdict} {errors} error{}, {warnings} warning{} in {} variables ({})",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
        inv.variables.len(),
        counts.join(", ")
    );
    out
}

/// The JSON document of DESIGN.md, schema version 1.
pub fn json_value(inv: &Inventory) -> Value {
    let path = |p: &std::path::Path| p.display().to_string();
    json!({
        "version": 1,
        "env_file": path(&inv.env_file),
        "example_file": path(&inv.example_file),
        "compose_files": inv.compose_files.iter().map(|p| path(p)).collect::<Vec<_>>(),
        "summary": {
            "variables": inv.variables.len(),
            "errors": inv.errors(),
            "warnings": inv.warnings(),
        },
        "variables": inv.variables.iter().map(|v| json!({
            "name": v.name,
            "status": v.status.as_str(),
            "class": v.class.as_str(),
            "kind": v.kind.map(|k| k.to_string()),
            "in_env": v.in_env,
            "in_example": v.in_example,
            "required": v.required,
            "used_by": v.used_by.iter().map(|u| json!({
                "service": u.service,
                "file": path(&u.file),
                "line": u.position.line,
                "column": u.position.column,
                "in_uri": u.in_uri,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "groups": inv.relations.groups.iter().map(|g| json!({
            "members": g.members,
            "why": g.why,
        })).collect::<Vec<_>>(),
        "urls": inv.relations.urls.iter().map(|u| json!({
            "variable": u.url,
            "password_of": u.password_of,
            "why": u.why,
        })).collect::<Vec<_>>(),
        "derived": inv.relations.derived.iter().map(|d| json!({
            "variable": d.var,
            "from": d.from,
            "claims": d.claims,
        })).collect::<Vec<_>>(),
        "findings": inv.findings.iter().map(|f| json!({
            "rule": f.rule.as_str(),
            "severity": match f.severity { Severity::Error => "error", Severity::Warning => "warning" },
            "variable": f.variable,
            "file": path(&f.file),
            "line": f.position.line,
            "column": f.position.column,
            "message": f.message,
        })).collect::<Vec<_>>(),
    })
}

/// [`json_value`] as pretty text.
pub fn json(inv: &Inventory) -> String {
    let mut s = serde_json::to_string_pretty(&json_value(inv)).unwrap_or_default();
    s.push('\n');
    s
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
