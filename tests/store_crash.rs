//! Crash safety of the atomic writer and of a save, by really crashing.
//!
//! Built only with `--features failpoints` (CI runs `cargo test --all-features`). Each
//! parent test re-executes this test binary, running only [`crash_child`], with
//! `ENVWARD_FAILPOINT` naming a step of the writer; the child aborts there, as a power cut
//! would stop it. The parent then checks what a crash may leave behind: the target holds
//! the whole old or the whole new content, never a mix, and any leftover temporary file is
//! readable by its owner only.
#![cfg(feature = "failpoints")]
// The helpers below are test code too, outside `#[test]` functions.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use envward::store::{self, WriteOptions, backup, failpoint};

mod common;

const OLD: &[u8] = b"DB_PASSWORD=old-secret\r\nAPI_KEY=old\r\n";
const NEW: &[u8] = b"DB_PASSWORD=new-secret\r\nAPI_KEY=new\r\nADDED=1\r\n";

/// Set in the child: the live file to write.
const CHILD_TARGET: &str = "ENVWARD_TEST_CRASH_TARGET";
/// Set in the child: `write` (one atomic write) or `save` (a save with backups).
const CHILD_OP: &str = "ENVWARD_TEST_CRASH_OP";
/// Set in the child for `save`: the identity file.
const CHILD_IDENTITY: &str = "ENVWARD_TEST_CRASH_IDENTITY";

/// Not a test of its own: the body of the re-executed child. Without the variables it
/// returns at once, so an ordinary `cargo test` run passes it.
#[test]
fn crash_child() {
    let Some(target) = std::env::var_os(CHILD_TARGET).map(PathBuf::from) else {
        return;
    };
    common::no_core_dumps();
    match std::env::var(CHILD_OP).unwrap().as_str() {
        "write" => {
            store::write_atomic(&target, NEW, &WriteOptions::default()).unwrap();
        }
        "save" => {
            let identity_path = PathBuf::from(std::env::var_os(CHILD_IDENTITY).unwrap());
            let me = store::Identity::load(&identity_path).unwrap();
            let now = jiff::Timestamp::from_second(1_700_000_000).unwrap();
            let context = store::SaveContext::new(&[], &me, now);
            store::save_with_backup(&target, NEW, &context).unwrap();
        }
        other => panic!("unknown crash operation {other}"),
    }
}

/// Runs [`crash_child`] in a new process with the failpoint set; returns whether it
/// aborted.
fn run_child(op: &str, target: &Path, failpoint_spec: &str, identity: Option<&Path>) -> bool {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_TARGET, target)
        .env(CHILD_OP, op)
        .env(failpoint::ENV, failpoint_spec)
        .current_dir(target.parent().unwrap());
    if let Some(identity) = identity {
        command.env(CHILD_IDENTITY, identity);
    }
    let output = command.output().unwrap();
    match output.status.signal() {
        Some(6) => true,
        None if output.status.success() => false,
        _ => panic!(
            "child failed without the failpoint abort: {:?}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

fn private_leftovers_only(dir: &Path, keep: &[&Path]) -> Vec<PathBuf> {
    let mut leftovers = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode & 0o077, 0, "{} has mode {mode:o}", path.display());
        if !keep.contains(&path.as_path()) {
            leftovers.push(path);
        }
    }
    leftovers
}

fn is_temp(path: &Path) -> bool {
    store::leftover::is_temp_name(path.file_name().unwrap())
}

#[test]
fn a_crash_at_any_step_of_a_write_leaves_old_or_new_whole() {
    for step in failpoint::ALL {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join(".env");
        fs::write(&live, OLD).unwrap();
        fs::set_permissions(&live, fs::Permissions::from_mode(0o600)).unwrap();

        assert!(
            run_child("write", &live, step, None),
            "{step}: did not abort"
        );

        let content = fs::read(&live).unwrap();
        let expected: &[u8] = if step == failpoint::AFTER_RENAME {
            NEW
        } else {
            OLD
        };
        assert_eq!(content, expected, "{step}: live file is not whole");

        let leftovers = private_leftovers_only(dir.path(), &[&live]);
        for leftover in &leftovers {
            assert!(is_temp(leftover), "{step}: stray {leftover:?}");
        }
        match step {
            failpoint::BEFORE_TEMP | failpoint::AFTER_RENAME => {
                assert!(leftovers.is_empty(), "{step}: {leftovers:?}");
            }
            // The aborted writer leaves its temporary file, private.
            _ => assert_eq!(leftovers.len(), 1, "{step}: {leftovers:?}"),
        }
    }
}

#[test]
fn the_child_completes_when_no_step_matches() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join(".env");
    fs::write(&live, OLD).unwrap();
    assert!(!run_child("write", &live, "no-such-step", None));
    assert_eq!(fs::read(&live).unwrap(), NEW);
}

/// A save writes three files (backup of the old content, backup of the new content, the
/// live file). Crashing any step of any of them must lose no version: the live file is
/// old or new whole, the old content stays recoverable, and if the live file is new its
/// backup exists.
#[test]
fn a_crash_at_any_step_of_a_save_loses_no_version() {
    for write in 1..=3 {
        for step in failpoint::ALL {
            let dir = tempfile::tempdir().unwrap();
            let live = dir.path().join(".env");
            fs::write(&live, OLD).unwrap();
            fs::set_permissions(&live, fs::Permissions::from_mode(0o600)).unwrap();
            let keys = tempfile::tempdir().unwrap();
            let identity_path = keys.path().join("identity.txt");
            let now = jiff::Timestamp::from_second(1_600_000_000).unwrap();
            let me = store::identity::create(&identity_path, now).unwrap();

            let spec = format!("{step}:{write}");
            assert!(
                run_child("save", &live, &spec, Some(&identity_path)),
                "{spec}: did not abort"
            );

            let content = fs::read(&live).unwrap();
            assert!(
                content == OLD || content == NEW,
                "{spec}: live file is not whole"
            );
            if write < 3 || step != failpoint::AFTER_RENAME {
                assert_eq!(content, OLD, "{spec}: live file touched before its backups");
            }
            let plains: Vec<Vec<u8>> = backup::list(&live)
                .unwrap()
                .iter()
                .map(|b| backup::read_backup(&b.path, &me).unwrap().to_vec())
                .collect();
            assert!(
                content == OLD || plains.iter().any(|p| p == OLD),
                "{spec}: the old version is lost"
            );
            if content == NEW {
                assert_eq!(plains.first().map(Vec::as_slice), Some(NEW), "{spec}");
            }
            private_leftovers_only(dir.path(), &[]);
        }
    }
}

/// A crash right after the exchange that put the new file in place: the live file is new
/// and backed up, and the displaced old version is a temporary file that the next run
/// sweeps (it is older than that run and nobody holds its lock).
#[test]
fn a_crash_after_the_exchange_leaves_a_sweepable_leftover() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join(".env");
    fs::write(&live, OLD).unwrap();
    let keys = tempfile::tempdir().unwrap();
    let identity_path = keys.path().join("identity.txt");
    let me =
        store::identity::create(&identity_path, jiff::Timestamp::from_second(1).unwrap()).unwrap();
    let spec = format!("{}:1", failpoint::AFTER_EXCHANGE);
    assert!(run_child("save", &live, &spec, Some(&identity_path)));
    assert_eq!(fs::read(&live).unwrap(), NEW);
    let newest = backup::list(&live).unwrap().remove(0);
    assert_eq!(
        backup::read_backup(&newest.path, &me).unwrap().as_slice(),
        NEW
    );
    let leftovers = store::leftover::find(dir.path());
    assert_eq!(leftovers.len(), 1);
    assert_eq!(fs::read(&leftovers[0]).unwrap(), OLD);
    assert_eq!(store::leftover::sweep(dir.path()), leftovers);
    assert!(store::leftover::find(dir.path()).is_empty());
}
