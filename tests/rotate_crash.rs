//! Crash safety of `envward rotate`: the process is aborted at every step of a rotation —
//! between its own steps and at every step of every file write it makes (backups, the state
//! file, the live file) — and after each crash:
//!
//! - the live file is the old version or the new one, whole, its URL agreeing with its
//!   password, and no file beside it is readable by others;
//! - if the "server" already took the new password, the new version is in a backup;
//! - `rotate --undo` (or, once the live file has the new value, `--resume`) and
//!   `rotate --resume` each bring the live file and the server to the same password, with no
//!   rotation left pending.
//!
//! The server is the stand-in docker's log: its password is the last `CONFIG SET
//! requirepass` the Redis recipe sent. Built only with `--features failpoints`.
#![cfg(feature = "failpoints")]
#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

mod common;
mod rotate_support;

use std::os::unix::fs::MetadataExt;
use std::os::unix::process::ExitStatusExt;

use rotate_support::Rig;

use rotate_support::{REDIS_COMPOSE as COMPOSE, REDIS_OLD as OLD};

fn live() -> String {
    format!("REDIS_PASSWORD={OLD}\nCACHE_URL=redis://:{OLD}@cache:6379/0\n")
}

/// The stand-in server's password: the last value a recipe set, else the old one.
fn server_password(r: &Rig) -> String {
    let mut password = OLD.to_string();
    for call in r.calls() {
        for line in call.stdin.lines() {
            if let Some(quoted) = line.strip_prefix("CONFIG SET requirepass ") {
                password = unquote(quoted);
            }
        }
    }
    password
}

/// Undoes the recipe's redis-cli quoting (`"…\xHH…"`).
fn unquote(quoted: &str) -> String {
    let inner = quoted.trim_matches('"');
    let mut out = Vec::new();
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && bytes.get(i + 1) == Some(&b'x') {
            out.push(u8::from_str_radix(&inner[i + 2..i + 4], 16).unwrap());
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The live file's password, checked whole and consistent.
fn live_password(r: &Rig, at: &str) -> String {
    let v = r.values();
    let pw = v["REDIS_PASSWORD"].clone();
    assert_eq!(
        v["CACHE_URL"],
        format!("redis://:{pw}@cache:6379/0"),
        "{at}: the URL follows its password"
    );
    pw
}

fn backup_holds(r: &Rig, password: &str) -> bool {
    let identity = envward::store::Identity::load(&r.identity()).unwrap();
    r.backups().iter().any(|b| {
        envward::store::backup::read_backup(b, &identity).is_ok_and(|plain| {
            String::from_utf8_lossy(&plain).contains(&format!("REDIS_PASSWORD={password}\n"))
        })
    })
}

fn private_files(r: &Rig, at: &str) {
    for entry in std::fs::read_dir(r.project.path()).unwrap() {
        let e = entry.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(".env") {
            assert_eq!(e.metadata().unwrap().mode() & 0o077, 0, "{name} at {at}");
        }
    }
}

fn recover(r: &Rig, undo_first: bool, at: &str) {
    let run = |args: &[&str]| {
        r.cmd()
            .args(args)
            .env("FAKE_DOCKER_STDOUT", "OK\\n")
            .output()
            .unwrap()
    };
    if undo_first {
        let out = run(&["rotate", "--undo"]);
        if out.status.code() == Some(0) {
            return;
        }
        assert_eq!(out.status.code(), Some(2), "{at}: undo");
    }
    let out = run(&["rotate", "--resume", "--apply", "--restart"]);
    assert!(
        out.status.success(),
        "{at}: resume: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_crash_at_any_step_leaves_a_rotation_that_resume_or_undo_completes() {
    common::no_core_dumps();
    let mut points: Vec<String> = [
        "rotate-after-stage",
        "rotate-after-database",
        "rotate-after-env",
        "rotate-after-recreate",
        "rotate-after-recreate:2",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect();
    for step in envward::store::failpoint::ALL {
        // A whole run makes ten writes: two backups, the journal (four times), the live
        // file, its dates and one journal entry per recreated service.
        for n in 1..=11 {
            points.push(format!("{step}:{n}"));
        }
    }
    for point in &points {
        for undo_first in [true, false] {
            let at = format!("{point} ({})", if undo_first { "undo" } else { "resume" });
            let r = Rig::new(&[("compose.yaml", COMPOSE), (".env", &live())]);
            // The identity is made outside the crash, by a harmless first command.
            r.cmd().arg("key").assert().success();
            let out = r
                .cmd()
                .args(["rotate", "REDIS_PASSWORD", "--apply", "--restart", "--yes"])
                .env("FAKE_DOCKER_STDOUT", "OK\\n")
                .env("ENVWARD_FAILPOINT", point)
                .output()
                .unwrap();
            let aborted = out.status.signal() == Some(6);
            assert!(aborted || out.status.success(), "{at}: {out:?}");
            let now = live_password(&r, &at);
            private_files(&r, &at);
            let server = server_password(&r);
            if server != OLD {
                assert!(
                    backup_holds(&r, &server),
                    "{at}: the server's new value is in a backup"
                );
            }
            if now != OLD {
                assert!(
                    backup_holds(&r, OLD),
                    "{at}: the old version is in a backup"
                );
                assert_eq!(
                    now, server,
                    "{at}: the env file never runs ahead of the server"
                );
            }
            recover(&r, undo_first, &at);
            let now = live_password(&r, &at);
            assert_eq!(now, server_password(&r), "{at}: env file and server agree");
            assert!(!r.state().contains("[pending]"), "{at}: {}", r.state());
            private_files(&r, &at);
        }
    }
}
