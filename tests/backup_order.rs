//! Backups are ordered by the number in their name, never by its date (issue #14, item 2):
//! backups dated in the future (a wrong clock, files copied from another host) no longer
//! get a fresh save's backups pruned or pose as the newest, pruned files are reported, and
//! names sort in creation order for `ls`.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{Home, TestProject, run_bounded};
use envward::store;

const COMPOSE: &str = "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n";

/// Backup files beside `.env`, in the order `ls` shows them (byte order of the names).
fn ls_backups(p: &TestProject) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(p.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "age"))
        .collect();
    v.sort();
    v
}

fn plain(home: &Home, backup: &Path) -> Vec<u8> {
    let me = store::Identity::load(&home.identity()).unwrap();
    store::backup::read_backup(backup, &me).unwrap().to_vec()
}

/// Runs a command, checks it used under a second of CPU (wall time is what a loaded CI box
/// stretches) and did not hang, and returns (exit code, stdout, stderr).
fn run(cmd: &assert_cmd::Command) -> (i32, String, String) {
    let ran = run_bounded(cmd, Duration::from_secs(120));
    assert!(!ran.killed, "hung");
    assert!(
        ran.cpu < Duration::from_secs(1),
        "took {:?} of CPU",
        ran.cpu
    );
    let out = ran.output;
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn future_dated_backups_no_longer_get_a_fresh_save_pruned() {
    let me = Home::new();
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file("envward.toml", "[backup]\nkeep = 2\n")
        .file(".env", "DB_PASSWORD=changeme\n");
    me.on(&p).arg("backup").assert().success();
    // Two backups "from another host whose clock is ahead": an envward 0.1 name and a
    // numbered one, both dated 2099.
    let made = ls_backups(&p).remove(0);
    std::fs::copy(&made, p.join(".env.20990101T000000Z.age")).unwrap();
    std::fs::rename(&made, p.join(".env.000001.20990102T000000Z.age")).unwrap();
    // A hand edit since, so the save backs up the old version and the new one.
    p.write(".env", "# edited\nDB_PASSWORD=changeme\n");

    let (code, out, err) = run(&{
        let mut c = me.on(&p);
        c.args(["fill", "--yes"]);
        c
    });
    assert_eq!(code, 0, "{err}");
    let wrote: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("backup "))
        .collect();
    assert_eq!(wrote.len(), 2, "{out}");
    for name in &wrote {
        assert!(p.join(name).is_file(), "{name} was pruned: {out}");
    }
    // Both old ones were pruned (keep = 2), and each is named.
    let pruned: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("pruned "))
        .collect();
    assert_eq!(pruned.len(), 2, "{out}");
    assert!(pruned.contains(&".env.20990101T000000Z.age"), "{out}");
    assert_eq!(ls_backups(&p).len(), 2);
    // The newest backup is the live file.
    let live = std::fs::read(p.join(".env")).unwrap();
    assert_eq!(plain(&me, &p.join(wrote[1])), live);

    // restore with no argument picks the newest by order and names it.
    let (code, out, _) = run(&{
        let mut c = me.on(&p);
        c.args(["restore", "--dry-run"]);
        c
    });
    assert_eq!(code, 0);
    assert_eq!(out.trim(), format!(".env already equals {}", wrote[1]));
}

#[test]
fn a_future_dated_backup_is_reported_and_never_restored_by_default() {
    let me = Home::new();
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", "DB_PASSWORD=changeme\n");
    me.on(&p).arg("backup").assert().success();
    let first = ls_backups(&p).remove(0);
    let future = p.join(".env.000009.20990101T000000Z.age");
    std::fs::rename(&first, &future).unwrap();
    p.write(".env", "# edited\nDB_PASSWORD=changeme\n");
    me.on(&p).args(["fill", "--yes"]).assert().success();
    let (code, out, err) = run(&{
        let mut c = me.on(&p);
        c.args(["restore", "--dry-run"]);
        c
    });
    assert_eq!(code, 0, "{err}");
    // The fill's backups took numbers 10 and 11: the newest is the live file.
    assert!(out.starts_with(".env already equals .env.000011."), "{out}");
    assert!(
        err.contains(".env.000009.20990101T000000Z.age is dated in the future"),
        "{err}"
    );
    let (_, listing, _) = run(&{
        let mut c = me.on(&p);
        c.arg("backups");
        c
    });
    assert!(
        listing
            .lines()
            .any(|l| l.contains("000009") && l.ends_with("(dated in the future)")),
        "{listing}"
    );
}

#[test]
fn backups_made_in_one_second_sort_in_creation_order_for_ls() {
    let me = Home::new();
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", "DB_PASSWORD=changeme\n");
    for _ in 0..3 {
        me.on(&p).arg("backup").assert().success();
    }
    me.on(&p).args(["fill", "--yes"]).assert().success();
    let names = ls_backups(&p);
    assert_eq!(names.len(), 4);
    for (i, name) in names.iter().enumerate() {
        let n = name.file_name().unwrap().to_string_lossy().into_owned();
        assert!(n.starts_with(&format!(".env.{:06}.", i + 1)), "{n}");
    }
    // The last in `ls` order is the newest: the live file.
    assert_eq!(
        plain(&me, names.last().unwrap()),
        std::fs::read(p.join(".env")).unwrap()
    );
}

#[test]
fn a_planted_symlink_at_the_next_backup_name_no_longer_blocks_saves() {
    let me = Home::new();
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", "DB_PASSWORD=changeme\n")
        .file("elsewhere", "precious\n");
    me.on(&p).arg("backup").assert().success();
    let made = ls_backups(&p).remove(0);
    let name = made.file_name().unwrap().to_string_lossy().into_owned();
    // A link where the next backup would go (number 2, any date: it is skipped by number).
    let planted = p.join(name.replacen("000001", "000002", 1));
    std::os::unix::fs::symlink(p.join("elsewhere"), &planted).unwrap();
    let (code, out, err) = run(&{
        let mut c = me.on(&p);
        c.args(["fill", "--yes"]);
        c
    });
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("backup .env.000003."), "{out}");
    assert_eq!(p.read("elsewhere"), "precious\n");
    assert!(
        std::fs::symlink_metadata(&planted)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}
