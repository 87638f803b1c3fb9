//! Saves under contention (issue #14, item 7): two `fill` runs at once never both win, an
//! edit made during the final write is detected instead of overwritten, and every version
//! the live file held is in a backup or still in place.

#![allow(clippy::unwrap_used)]
// Test code: a panic is the failure report.
// File names here are compared as names, not as extensions.
#![allow(clippy::case_sensitive_file_extension_comparisons)]

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{Home, TestProject};
use envward::store;

const COMPOSE: &str = "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n      API_KEY: ${SESSION_SECRET}\n";
const PLACEHOLDERS: &str = "DB_PASSWORD=changeme\nSESSION_SECRET=changeme\n";

fn fill(home: &Home, p: &TestProject) -> Command {
    let mut c = home.spawnable(p);
    c.args(["fill", "--yes"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn newest_backup(home: &Home, live: &Path) -> Vec<u8> {
    let me = store::Identity::load(&home.identity()).unwrap();
    let newest = store::backup::list(live).unwrap().remove(0);
    store::backup::read_backup(&newest.path, &me)
        .unwrap()
        .to_vec()
}

#[test]
fn two_simultaneous_fills_no_longer_both_win() {
    let me = Home::new();
    let p = TestProject::new().file("compose.yaml", COMPOSE);
    me.on(&p).arg("key").assert().success();
    let (mut one_won, mut serialised, mut refused) = (0, 0, 0);
    let started = Instant::now();
    for round in 0..50 {
        p.write(".env", format!("# round {round}\n{PLACEHOLDERS}"));
        let a = fill(&me, &p).spawn().unwrap();
        let b = fill(&me, &p).spawn().unwrap();
        let outs: Vec<Output> = [a, b]
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let wrote = outs
            .iter()
            .filter(|o| o.status.code() == Some(0) && text(&o.stdout).contains("wrote .env"))
            .count();
        assert_eq!(wrote, 1, "round {round}: {outs:?}");
        for o in &outs {
            let (out, err) = (text(&o.stdout), text(&o.stderr));
            match o.status.code() {
                Some(0) if out.contains("wrote .env") => {}
                // The other ran after the first finished and found nothing left to fill.
                Some(0) if out.starts_with("nothing to fill") => serialised += 1,
                Some(2) => {
                    assert_eq!(err.lines().count(), 1, "round {round}: {err}");
                    assert!(
                        err.contains("changed on disk") || err.contains("another envward"),
                        "round {round}: {err}"
                    );
                    refused += 1;
                }
                other => panic!("round {round}: exit {other:?}: {out}{err}"),
            }
        }
        one_won += 1;
        let live = std::fs::read(p.join(".env")).unwrap();
        assert!(!text(&live).contains("changeme"), "round {round}");
        assert_eq!(newest_backup(&me, &p.join(".env")), live, "round {round}");
    }
    eprintln!(
        "50 rounds in {:?}: one writer each round ({one_won}); the other refused {refused}, found nothing to fill {serialised}",
        started.elapsed()
    );
    assert_eq!(one_won, 50);
    assert_eq!(refused + serialised, 50);
}

#[test]
fn a_save_waiting_on_the_lock_is_refused_in_a_few_seconds() {
    let me = Home::new();
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", PLACEHOLDERS);
    me.on(&p).arg("key").assert().success();
    // Another envward's save in progress, as the lock shows it.
    let held = store::lock::acquire(&p.join(".env"), Duration::ZERO).unwrap();
    let started = Instant::now();
    let out = fill(&me, &p).output().unwrap();
    let waited = started.elapsed();
    drop(held);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: ") && err.contains("another envward is saving this file"),
        "{err}"
    );
    assert!(
        waited >= store::lock::WAIT && waited < store::lock::WAIT * 2,
        "{waited:?}"
    );
    assert_eq!(p.read(".env"), PLACEHOLDERS);
    assert!(store::backup::list(&p.join(".env")).unwrap().is_empty());
}

/// The lock file is named so the ignore rules people write for `.env` cover it.
#[test]
fn the_lock_file_is_covered_by_env_ignore_rules() {
    let me = Home::new();
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", PLACEHOLDERS);
    me.on(&p).args(["fill", "--yes"]).assert().success();
    let lock = store::lock::lock_path(&p.join(".env"));
    assert!(lock.is_file());
    let name = lock.file_name().unwrap().to_str().unwrap();
    assert_eq!(name, ".env.envward-lock.env");
    assert!(name.starts_with(".env.") && name.ends_with(".env"));
}

#[cfg(feature = "failpoints")]
#[test]
fn an_edit_made_during_the_final_write_is_no_longer_overwritten() {
    use envward::store::failpoint;
    let me = Home::new();
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", PLACEHOLDERS);
    me.on(&p).arg("key").assert().success();
    let signal = tempfile::tempdir().unwrap();
    let paused = signal.path().join("paused");
    // Writes of a save: backup of the old version, backup of the new one, the live file.
    let child = fill(&me, &p)
        .env(failpoint::ENV, format!("{}:3", failpoint::AFTER_FSYNC))
        .env(failpoint::ACTION_ENV, "pause")
        .env(failpoint::PAUSE_FILE_ENV, &paused)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !paused.exists() {
        assert!(
            Instant::now() < deadline,
            "the save never reached its final write"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // Someone edits the file in place while envward's new version waits to be renamed.
    let edit = "DB_PASSWORD=typed-by-hand-during-the-save\nSESSION_SECRET=changeme\n";
    std::fs::write(p.join(".env"), edit).unwrap();
    std::fs::remove_file(&paused).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}{err}", text(&out.stdout));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(".env: changed on disk"), "{err}");
    assert_eq!(p.read(".env"), edit, "the edit was overwritten");
    // The refused version is not left posing as the newest backup; the old one is kept.
    assert_eq!(newest_backup(&me, &p.join(".env")), PLACEHOLDERS.as_bytes());
    assert!(store::leftover::find(p.path()).is_empty());
}
