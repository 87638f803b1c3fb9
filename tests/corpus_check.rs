//! `envward check` on every corpus project, as if its template had been copied to the live
//! file unchanged (`cp .env.example .env`): no project makes envward fail or panic, and the
//! summary of each (counts per status and per rule) is pinned by a snapshot.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus")
}

fn is_yaml(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "yml" || e == "yaml")
}

/// The project's env template: the first of the usual names, else any file named like one.
fn template(dir: &Path) -> Option<String> {
    let mut names: Vec<String> = envward::cli::workspace::EXAMPLE_NAMES
        .iter()
        .map(ToString::to_string)
        .collect();
    names.push(".env".to_string());
    let mut others: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("env") && !is_yaml(Path::new(n)))
        .collect();
    others.sort();
    names.extend(others);
    names.into_iter().find(|n| dir.join(n).is_file())
}

#[test]
fn every_corpus_project_is_analysed_and_summarised() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 30);
    let mut summary = String::new();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_envward"));
        cmd.env("NO_COLOR", "1").arg("-C").arg(&dir);
        let mut composes: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| PathBuf::from(e.unwrap().file_name()))
            .filter(|p| is_yaml(p))
            .collect();
        composes.sort();
        for c in &composes {
            cmd.arg("-f").arg(c);
        }
        let tpl = template(&dir);
        if let Some(t) = &tpl {
            cmd.args(["--env-file", t, "--example", t]);
        }
        // The fixtures sit in envward's own repository: whether they are tracked, ignored or
        // group-readable depends on the checkout, not on the project.
        let out = cmd
            .args(["check", "--format", "json"])
            .args([
                "--skip",
                "permissions",
                "--skip",
                "tracked",
                "--skip",
                "not-ignored",
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{name}: exit {:?}: {stderr}",
            out.status.code()
        );
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
        for v in doc["variables"].as_array().unwrap() {
            *statuses
                .entry(v["status"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        let mut rules: BTreeMap<String, usize> = BTreeMap::new();
        for f in doc["findings"].as_array().unwrap() {
            *rules
                .entry(f["rule"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        let _ = writeln!(
            summary,
            "{name} (env {}): {} variables, {} errors, {} warnings\n  status {statuses:?}\n  rules  {rules:?}",
            tpl.as_deref().unwrap_or("-"),
            doc["summary"]["variables"],
            doc["summary"]["errors"],
            doc["summary"]["warnings"],
        );
    }
    insta::assert_snapshot!("corpus_check_summary", summary);
}
