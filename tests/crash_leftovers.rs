//! What a crash or a panic leaves behind (issue #14, item 6 and the panic hook): a
//! temporary file named so `.env` ignore rules cover it, reported by `check` and swept by
//! the next command that writes; a panic prints one fixed line and never its payload.
//!
//! Built only with `--features failpoints` (CI runs `cargo test --all-features`).
#![cfg(feature = "failpoints")]
#![allow(clippy::unwrap_used)]
// Test code: a panic is the failure report.
// File names here are compared as names, not as extensions.
#![allow(clippy::case_sensitive_file_extension_comparisons)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Home, TestProject};
use envward::store::{self, failpoint};
use serde_json::Value;

const COMPOSE: &str = "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n";
const OLD: &str = "DB_PASSWORD=changeme\n";

/// A project whose `fill` crashed after writing the new `.env` to its temporary file.
fn crashed() -> (Home, TestProject, PathBuf) {
    common::no_core_dumps();
    let me = Home::new();
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", OLD);
    me.on(&p).arg("key").assert().success();
    let out = me
        .on(&p)
        .args(["fill", "--yes"])
        .env(failpoint::ENV, format!("{}:3", failpoint::AFTER_FSYNC))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), None, "the fill did not crash");
    assert_eq!(p.read(".env"), OLD);
    let leftovers = store::leftover::find(p.path());
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    (me, p, leftovers[0].clone())
}

fn ignored_by(dir: &Path, pattern: &str, name: &str) -> bool {
    std::fs::write(dir.join(".gitignore"), format!("{pattern}\n")).unwrap();
    Command::new("git")
        .args(["check-ignore", "-q", "--no-index", "--", name])
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .status()
        .unwrap()
        .success()
}

#[test]
fn a_crashed_save_no_longer_leaves_plaintext_unreported() {
    let (me, p, leftover) = crashed();
    let name = leftover.file_name().unwrap().to_str().unwrap().to_string();
    assert!(
        name.starts_with(".env.envward-tmp-") && name.ends_with(".env"),
        "{name}"
    );
    assert!(
        std::fs::read_to_string(&leftover)
            .unwrap()
            .starts_with("DB_PASSWORD=")
    );

    // The ignore rules people write for env files cover it (a bare `.env` names one file).
    let repo = tempfile::tempdir().unwrap();
    Command::new("git")
        .args(["init", "-q"])
        .current_dir(repo.path())
        .status()
        .unwrap();
    for pattern in [".env*", "*.env", ".env.*"] {
        assert!(
            ignored_by(repo.path(), pattern, &name),
            "{pattern} misses {name}"
        );
    }

    // check warns, at the file's first line, without any of its content.
    let out = p
        .cmd()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<&Value> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "leftover")
        .collect();
    assert_eq!(found.len(), 1, "{doc}");
    assert_eq!(found[0]["severity"], "warning");
    assert_eq!(found[0]["file"], name.as_str());
    assert_eq!(
        (found[0]["line"].as_u64(), found[0]["column"].as_u64()),
        (Some(1), Some(1))
    );
    let text = p.cmd().arg("check").output().unwrap();
    let shown = String::from_utf8(text.stdout).unwrap();
    assert!(shown.contains(&name), "{shown}");
    assert!(!shown.contains("DB_PASSWORD=") && !shown.contains("changeme"));

    // The next command that writes sweeps it and says so.
    let out = me.on(&p).arg("backup").output().unwrap();
    assert!(out.status.success());
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(
        said.contains(&format!(
            "removed {name}, a temporary file left by an interrupted save"
        )),
        "{said}"
    );
    assert!(!leftover.exists());
    assert!(store::leftover::find(p.path()).is_empty());
}

#[test]
fn a_fill_after_a_crash_sweeps_the_leftover_and_saves() {
    let (me, p, leftover) = crashed();
    let out = me.on(&p).args(["fill", "--yes"]).output().unwrap();
    assert!(out.status.success());
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(said.contains("removed .env.envward-tmp-"), "{said}");
    assert!(!leftover.exists());
    assert_ne!(p.read(".env"), OLD);
}

#[test]
fn a_panic_no_longer_prints_its_payload() {
    let canary = "CANARY-7f3a-secret-in-a-panic";
    let me = Home::new();
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", OLD);
    me.on(&p).arg("key").assert().success();
    let before = std::fs::read(p.join(".env")).unwrap();
    let out = me
        .on(&p)
        .args(["fill", "--yes"])
        .env(failpoint::ENV, failpoint::BEFORE_TEMP)
        .env(failpoint::ACTION_ENV, "panic")
        .env(failpoint::PAYLOAD_ENV, canary)
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr, format!("{}\n", envward::cli::PANIC_LINE));
    assert!(!stdout.contains(canary) && !stderr.contains(canary));
    assert_eq!(std::fs::read(p.join(".env")).unwrap(), before);
}
