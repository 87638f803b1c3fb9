//! `audit` output: text for a terminal, Markdown for the monthly report a team files, and
//! JSON (schema version 1, documented in the README). Evidence holds no values, so neither
//! does any of these.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::audit::{Evidence, Item, Report, Status, date};

/// Evidence lines shown per item in text and Markdown; JSON lists them all.
const SHOWN: usize = 20;

fn heading(report: &Report) -> String {
    let mut s = format!("{} as of {}", report.env_file.display(), date(report.as_of));
    if let Some(since) = report.since {
        let _ = write!(s, ", history since {}", date(since));
    }
    s
}

fn totals(report: &Report) -> String {
    format!(
        "{} fail, {} pass, {} unknown",
        report.count(Status::Fail),
        report.count(Status::Pass),
        report.count(Status::Unknown)
    )
}

fn shown(item: &Item) -> (&[Evidence], usize) {
    let n = item.evidence.len().min(SHOWN);
    (&item.evidence[..n], item.evidence.len() - n)
}

/// Aligned lines, one per item, with evidence under fails (colour on a terminal).
pub fn text(report: &Report, color: bool) -> String {
    let paint = |s: Status| {
        let label = s.as_str().to_uppercase();
        if !color {
            return format!("{label:7}");
        }
        let code = match s {
            Status::Pass => "32",
            Status::Fail => "31",
            Status::Unknown => "33",
        };
        format!("\x1b[{code}m{label:7}\x1b[0m")
    };
    let mut out = format!("envward audit of {}\n\n", heading(report));
    for item in &report.items {
        let _ = writeln!(out, "{} {}", paint(item.status), item.id.title());
        let _ = writeln!(out, "        {}", item.summary);
        let (evidence, more) = shown(item);
        for e in evidence {
            let _ = writeln!(out, "        - {}", e.text);
        }
        if more > 0 {
            let _ = writeln!(out, "        … and {more} more (--format json lists all)");
        }
    }
    for line in &report.not_checked {
        let _ = writeln!(out, "\nnot checked: {line}");
    }
    let mark = if report.failed() { "✗" } else { "✓" };
    let _ = writeln!(out, "\n{mark} {}", totals(report));
    out
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The monthly report: a table of every item, then the evidence of each fail, then what is
/// left to check by hand.
pub fn markdown(report: &Report) -> String {
    let mut out = format!("# Secrets audit: {}\n\n", heading(report));
    let _ = writeln!(out, "**{}**\n", totals(report));
    out.push_str("| Result | Check | Finding |\n|---|---|---|\n");
    for item in &report.items {
        let mark = match item.status {
            Status::Pass => "✅ pass",
            Status::Fail => "❌ fail",
            Status::Unknown => "❔ unknown",
        };
        let _ = writeln!(
            out,
            "| {mark} | {} | {} |",
            cell(item.id.title()),
            cell(&item.summary)
        );
    }
    let fails: Vec<&Item> = report
        .items
        .iter()
        .filter(|i| i.status == Status::Fail && !i.evidence.is_empty())
        .collect();
    if !fails.is_empty() {
        out.push_str("\n## To fix\n");
        for item in fails {
            let _ = writeln!(out, "\n### {}\n", item.id.title());
            let (evidence, more) = shown(item);
            for e in evidence {
                let _ = writeln!(out, "- {}", e.text.replace('`', "'"));
            }
            if more > 0 {
                let _ = writeln!(out, "- … and {more} more (`envward audit --format json`)");
            }
        }
    }
    if !report.not_checked.is_empty() {
        out.push_str("\n## By hand\n\n");
        for line in &report.not_checked {
            let _ = writeln!(out, "- [ ] {line}");
        }
    }
    out
}

fn evidence_json(e: &Evidence) -> Value {
    json!({
        "text": e.text,
        "file": e.file.as_ref().map(|f| f.display().to_string()),
        "line": e.position.map(|p| p.line),
        "column": e.position.map(|p| p.column),
        "commit": e.commit,
        "date": e.date.map(|d| d.to_string()),
        "variable": e.variable,
        "service": e.service,
    })
}

/// JSON, schema version 1.
pub fn json(report: &Report) -> String {
    let value = json!({
        "version": 1,
        "env_file": report.env_file.display().to_string(),
        "as_of": report.as_of.to_string(),
        "since": report.since.map(|s| s.to_string()),
        "summary": {
            "pass": report.count(Status::Pass),
            "fail": report.count(Status::Fail),
            "unknown": report.count(Status::Unknown),
        },
        "items": report.items.iter().map(|i| json!({
            "id": i.id.as_str(),
            "title": i.id.title(),
            "status": i.status.as_str(),
            "summary": i.summary,
            "evidence": i.evidence.iter().map(evidence_json).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "not_checked": report.not_checked,
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}
