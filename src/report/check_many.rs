//! `check` output when one run judges several env files (a project with no `.env` whose
//! services load env files of their own, each judged as the live file): text has one section
//! per file and one summary; JSON is one object holding each file's schema-1 document, every
//! finding and the summary of all; SARIF is one run with every file's results (GitHub code
//! scanning refuses two runs of one tool in one upload); GitHub workflow commands are every
//! file's lines. A run of one file keeps the single-file output.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::check::{github as github_one, sarif as sarif_one};
use super::check_json::document;
use super::check_text::{TextOptions, next_steps_for, text_with_steps};
use crate::analysis::Inventory;

/// One judged file: its analysis and how a command names it (`--env-file` takes a shell word).
#[derive(Debug, Clone, Copy)]
pub struct Part<'a> {
    /// The analysis of the file.
    pub inv: &'a Inventory,
    /// The file as one shell word, for the commands the next steps suggest.
    pub word: &'a str,
}

/// The text: which file is absent and which are judged instead, a section per file as a
/// run on it alone shows it (its next steps naming it with `--env-file`), then one summary.
pub fn text(absent: &Path, parts: &[Part<'_>], options: TextOptions) -> String {
    let names: Vec<String> = parts
        .iter()
        .map(|p| p.inv.env_file.display().to_string())
        .collect();
    let mut out = format!(
        "{} does not exist: each env file the services load is judged as the live file ({})\n",
        absent.display(),
        names.join(", ")
    );
    for p in parts {
        out.push('\n');
        let steps = next_steps_for(p.inv, Some(p.word));
        out.push_str(&text_with_steps(p.inv, options, &steps));
    }
    let (errors, warnings) = parts.iter().fold((0, 0), |(e, w), p| {
        (e + p.inv.errors(), w + p.inv.warnings())
    });
    let (verdict, code) = if errors > 0 {
        ("✗", "1;31")
    } else if warnings > 0 {
        ("!", "1;33")
    } else {
        ("✓", "1;32")
    };
    let verdict = if options.color {
        format!("\x1b[{code}m{verdict}\x1b[0m")
    } else {
        verdict.to_string()
    };
    let each: Vec<String> = parts
        .iter()
        .zip(&names)
        .map(|(p, name)| format!("{name}: {}", counts(p.inv.errors(), p.inv.warnings())))
        .collect();
    let _ = writeln!(
        out,
        "\n{verdict} {} in {} env files ({})",
        counts(errors, warnings),
        parts.len(),
        each.join("; ")
    );
    out
}

/// `2 errors, 1 warning`.
fn counts(errors: usize, warnings: usize) -> String {
    format!(
        "{errors} error{}, {warnings} warning{}",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    )
}

#[derive(Serialize)]
struct Many<D> {
    env_files: Vec<String>,
    files: Vec<D>,
    findings: Vec<Value>,
    summary: Summary,
    version: u32,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    ignored: usize,
    variables: usize,
    warnings: usize,
}

/// The JSON document: `env_files` (the files judged, in order), `files` (each one's
/// schema-1 document), `findings` (all of theirs, in that order: each names its file) and
/// `summary` (the sums), `version` 1. A reader of the one-file document's `summary` and
/// `findings` reads the same fields here.
pub fn write_json(parts: &[Part<'_>], out: impl std::io::Write) -> std::io::Result<()> {
    let mut findings = Vec::new();
    for p in parts {
        if let Value::Object(mut doc) = serde_json::to_value(document(p.inv))?
            && let Some(Value::Array(found)) = doc.remove("findings")
        {
            findings.extend(found);
        }
    }
    let many = Many {
        env_files: parts
            .iter()
            .map(|p| p.inv.env_file.display().to_string())
            .collect(),
        files: parts.iter().map(|p| document(p.inv)).collect(),
        findings,
        summary: Summary {
            errors: parts.iter().map(|p| p.inv.errors()).sum(),
            ignored: parts.iter().map(|p| p.inv.ignored.len()).sum(),
            variables: parts.iter().map(|p| p.inv.variables.len()).sum(),
            warnings: parts.iter().map(|p| p.inv.warnings()).sum(),
        },
        version: 1,
    };
    let mut out = std::io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, &many)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// SARIF 2.1.0: the one-file log with the results of every file in its one run.
pub fn sarif(parts: &[Part<'_>]) -> String {
    let mut logs = parts
        .iter()
        .filter_map(|p| serde_json::from_str::<Value>(&sarif_one(p.inv)).ok());
    let Some(mut log) = logs.next() else {
        return String::new();
    };
    let more: Vec<Value> = logs
        .filter_map(|mut l| l["runs"][0]["results"].as_array_mut().map(std::mem::take))
        .flatten()
        .collect();
    if let Some(results) = log["runs"][0]["results"].as_array_mut() {
        results.extend(more);
    }
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

/// GitHub workflow commands: every file's, in order (each line names its file).
pub fn github(parts: &[Part<'_>]) -> String {
    parts.iter().map(|p| github_one(p.inv)).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::analysis::testkit::Fixture;

    fn two() -> (Inventory, Inventory) {
        let compose = "services:\n  db:\n    image: postgres\n    env_file: [db.env]\n  app:\n    image: x\n    env_file: [app.env]\n";
        let db = Fixture::new()
            .compose(compose)
            .live("POSTGRES_PASSWORD=changeme\n")
            .run();
        let app = Fixture::new()
            .compose(compose)
            .live("APP_SECRET=Vq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiEl\n")
            .run();
        (db, app)
    }

    #[test]
    fn every_format_holds_every_file() {
        let (db, app) = two();
        let parts = [
            Part {
                inv: &db,
                word: "db.env",
            },
            Part {
                inv: &app,
                word: "app.env",
            },
        ];
        let text = text(Path::new(".env"), &parts, TextOptions::default());
        assert!(
            text.starts_with(".env does not exist: each env file"),
            "{text}"
        );
        assert!(
            text.contains("run `envward --env-file db.env fill`"),
            "{text}"
        );
        assert!(
            text.trim_end().ends_with(
                "in 2 env files (.env: 1 error, 0 warnings; .env: 0 errors, 0 warnings)"
            ),
            "{text}"
        );
        let mut json = Vec::new();
        write_json(&parts, &mut json).unwrap();
        let json: Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(json["files"].as_array().unwrap().len(), 2);
        assert_eq!(json["summary"]["errors"], 1);
        assert_eq!(
            json["findings"].as_array().unwrap().len(),
            db.findings.len() + app.findings.len()
        );
        let sarif: Value = serde_json::from_str(&sarif(&parts)).unwrap();
        assert_eq!(sarif["runs"].as_array().unwrap().len(), 1);
        assert_eq!(
            sarif["runs"][0]["results"].as_array().unwrap().len(),
            db.findings.len() + app.findings.len()
        );
        assert_eq!(github(&parts), github_one(&db) + &github_one(&app));
    }
}
