//! `not-ignored` and `tracked` are answered by reading the repository, never by running git
//! (issue #14, item 4): a cloned repository whose `.git/config` names programs
//! (`core.fsmonitor`, hooks) cannot make `envward check` run them.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use common::TestProject;
use serde_json::Value;

const COMPOSE: &str = "services:\n  app:\n    image: x\n    environment:\n      A: ${A}\n";

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

fn project() -> TestProject {
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", "A=1\n");
    git(p.path(), &["init", "-q"]);
    p
}

/// The rules `check` reported about the live file as a whole.
fn git_rules(p: &TestProject) -> Vec<String> {
    let out = p
        .cmd()
        .args(["check", "--format", "json"])
        .env("HOME", p.path())
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .filter(|r| r == "not-ignored" || r == "tracked")
        .collect()
}

#[test]
fn check_no_longer_runs_the_fsmonitor_a_repository_configures() {
    let p = project();
    let marker = p.join("fsmonitor-ran");
    let hook = p.join("evil.sh");
    std::fs::write(&hook, format!("#!/bin/sh\ntouch '{}'\n", marker.display())).unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    git(p.path(), &["add", "compose.yaml"]);
    git(
        p.path(),
        &["config", "core.fsmonitor", hook.to_str().unwrap()],
    );
    git(
        p.path(),
        &["config", "core.hooksPath", p.path().to_str().unwrap()],
    );
    // The same script as every hook git might run.
    for name in ["post-index-change", "post-checkout", "fsmonitor-watchman"] {
        std::fs::copy(&hook, p.join(name)).unwrap();
    }
    // Proof that git itself would run it.
    let _ = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(p.path())
        .output()
        .unwrap();
    assert!(marker.exists(), "git status runs core.fsmonitor");
    std::fs::remove_file(&marker).unwrap();

    assert_eq!(git_rules(&p), ["not-ignored"]);
    assert!(
        !marker.exists(),
        "envward check ran the repository's fsmonitor"
    );
}

#[test]
fn not_ignored_and_tracked_keep_their_answers() {
    let p = project();
    assert_eq!(git_rules(&p), ["not-ignored"]);
    p.write(".gitignore", ".env\n");
    assert!(git_rules(&p).is_empty());
    git(p.path(), &["add", "-f", ".env"]);
    assert_eq!(git_rules(&p), ["tracked"]);
    p.write(".gitignore", "");
    assert_eq!(git_rules(&p), ["not-ignored", "tracked"]);
}

#[test]
fn ignore_rules_come_from_every_place_git_reads() {
    // A nested project: rules at the work tree's root and in the directory itself.
    let root = TestProject::new()
        .file("app/compose.yaml", COMPOSE)
        .file("app/.env", "A=1\n");
    git(root.path(), &["init", "-q"]);
    let check = |expect: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_envward"))
            .arg("-C")
            .arg(root.join("app"))
            .args(["check", "--format", "json"])
            .env("HOME", root.path())
            .env("XDG_CONFIG_HOME", root.join("xdg"))
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let rules: Vec<&str> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f["rule"].as_str())
            .filter(|r| *r == "not-ignored")
            .collect();
        assert_eq!(rules, expect);
    };
    check(&["not-ignored"]);
    root.write(".gitignore", "*.env\n.env\n");
    check(&[]);
    root.write(".gitignore", "");
    root.write("app/.gitignore", ".env*\n");
    check(&[]);
    root.write("app/.gitignore", "");
    root.write(".git/info/exclude", "app/.env\n");
    check(&[]);
    root.write(".git/info/exclude", "");
    root.write("xdg/git/ignore", ".env\n");
    check(&[]);
    root.write("xdg/git/ignore", "");
    root.write("global-ignore", ".env\n");
    git(
        root.path(),
        &[
            "config",
            "core.excludesFile",
            root.join("global-ignore").to_str().unwrap(),
        ],
    );
    check(&[]);
}
