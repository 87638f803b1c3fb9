//! Encrypted backups through the real binary, checked with the real `age` CLI: every save is
//! backed up, `encrypt` output decrypts with a team member's key, `restore` brings back an
//! earlier version byte for byte, and bad input fails cleanly without touching any file.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::TestProject;

const COMPOSE: &str = "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n      POSTGRES_USER: ${DB_USER:-app}\n";
const ORIGINAL: &str = "# original\nDB_USER=app\nDB_PASSWORD=changeme\n";

/// The `age` CLI, or `None` (and the test is skipped) unless `ENVWARD_REQUIRE_AGE=1`.
fn age() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("age"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("ENVWARD_REQUIRE_AGE").as_deref() != Ok("1"),
            "the age CLI is required (ENVWARD_REQUIRE_AGE=1) but not on PATH"
        );
        eprintln!("skipping: the age CLI is not installed");
    }
    found
}

fn age_decrypt(age: &Path, identity: &Path, file: &Path) -> Vec<u8> {
    let out = Command::new(age)
        .args(["-d", "-i"])
        .arg(identity)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A user: a home holding their envward identity.
struct User {
    home: tempfile::TempDir,
}

impl User {
    fn new() -> Self {
        User {
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn on(&self, p: &TestProject) -> assert_cmd::Command {
        let mut c = p.cmd();
        c.env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join(".config"))
            .env_remove("ENVWARD_IDENTITY")
            .env_remove("ENVWARD_PASSPHRASE");
        c
    }

    fn identity(&self) -> PathBuf {
        self.home.path().join(".config/envward/identity.txt")
    }

    fn public_key(&self, p: &TestProject) -> String {
        let out = self.on(p).arg("key").output().unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }
}

fn backups(p: &TestProject) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(p.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "age"))
        .collect();
    // Names sort by time, then by the same-second suffix.
    v.sort_by_key(|p| {
        let n = p.file_name().unwrap().to_string_lossy().into_owned();
        let stem = n.trim_end_matches(".age");
        stem.split_once('-')
            .map_or((stem.to_string(), 0), |(a, b)| {
                (a.to_string(), b.parse().unwrap_or(0))
            })
    });
    v
}

#[test]
fn every_save_is_backed_up_and_age_decrypts_each_version() {
    let Some(age) = age() else { return };
    let me = User::new();
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", ORIGINAL);
    me.on(&p).args(["fill", "--yes"]).assert().success();
    let new = std::fs::read(p.join(".env")).unwrap();
    assert_ne!(new, ORIGINAL.as_bytes());
    let list = backups(&p);
    assert_eq!(list.len(), 2, "{list:?}");
    for b in &list {
        assert_eq!(std::fs::metadata(b).unwrap().mode() & 0o777, 0o600);
    }
    assert_eq!(age_decrypt(&age, &me.identity(), list.last().unwrap()), new);
    assert_eq!(
        age_decrypt(&age, &me.identity(), &list[0]),
        ORIGINAL.as_bytes()
    );
    let listing = me.on(&p).arg("backups").output().unwrap();
    let text = String::from_utf8(listing.stdout).unwrap();
    assert_eq!(
        text.lines().filter(|l| l.contains("= live file")).count(),
        1,
        "{text}"
    );
}

#[test]
fn encrypt_for_the_team_and_restore_byte_for_byte() {
    let Some(age) = age() else { return };
    let me = User::new();
    let teammate = User::new();
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", ORIGINAL);
    let team_key = teammate.public_key(&p);
    assert!(team_key.starts_with("age1"));
    p.write("team-recipients.txt", format!("# the team\n{team_key}\n"));
    me.on(&p)
        .args([
            "encrypt",
            ".env",
            "-R",
            "team-recipients.txt",
            "-o",
            "out.age",
        ])
        .assert()
        .success();
    assert_eq!(
        std::fs::metadata(p.join("out.age")).unwrap().mode() & 0o777,
        0o600
    );
    assert_eq!(
        age_decrypt(&age, &teammate.identity(), &p.join("out.age")),
        ORIGINAL.as_bytes()
    );
    let wrong = Command::new(&age)
        .args(["-d", "-i"])
        .arg(me.identity())
        .arg(p.join("out.age"))
        .output()
        .unwrap();
    assert!(
        !wrong.status.success(),
        "only the team's key was a recipient"
    );

    me.on(&p).args(["fill", "--yes"]).assert().success();
    assert_ne!(p.read(".env"), ORIGINAL);
    let first = backups(&p)[0].clone();
    me.on(&p)
        .args(["restore", "--dry-run"])
        .arg(&first)
        .assert()
        .success();
    assert_ne!(p.read(".env"), ORIGINAL, "dry run writes nothing");
    let out = me.on(&p).arg("restore").arg(&first).output().unwrap();
    assert!(out.status.success());
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(
        said.contains("DB_PASSWORD") && !said.contains("changeme"),
        "{said}"
    );
    assert_eq!(std::fs::read(p.join(".env")).unwrap(), ORIGINAL.as_bytes());
    assert_eq!(
        std::fs::metadata(p.join(".env")).unwrap().mode() & 0o777,
        0o600
    );
}

#[test]
fn bad_input_fails_with_one_line_and_touches_nothing() {
    let me = User::new();
    let stranger = User::new();
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", ORIGINAL);
    me.on(&p).arg("backup").assert().success();
    let stranger_key = stranger.public_key(&p);
    let backup = backups(&p)[0].clone();
    let bytes = std::fs::read(&backup).unwrap();
    p.write("truncated.age", &bytes[..bytes.len() / 2]);
    p.write(
        "corrupt.age",
        b"age-encryption.org/v1\n-> X25519 garbage\n--- nope\n",
    );
    p.write("bad-recipients.txt", format!("{stranger_key}\nnot-a-key\n"));
    let pw = p.join("pw.age");
    let mut enc = me.on(&p);
    enc.args(["encrypt", ".env", "--passphrase", "-o"])
        .arg(&pw)
        .env("ENVWARD_PASSPHRASE", "right horse");
    enc.assert().success();
    let before = p.snapshot();
    let missing_identity = p.join("no-such-identity.txt");
    let cases: Vec<(assert_cmd::Command, &str)> = vec![
        (
            {
                let mut c = stranger.on(&p);
                c.args(["restore"]).arg(&backup);
                c
            },
            "no identity matches",
        ),
        (
            {
                let mut c = me.on(&p);
                c.args(["restore", "truncated.age"]);
                c
            },
            "truncated",
        ),
        (
            {
                let mut c = me.on(&p);
                c.args(["decrypt", "corrupt.age", "-o", "x.env"]);
                c
            },
            "corrupt.age",
        ),
        (
            {
                let mut c = me.on(&p);
                c.arg("--identity").arg(&missing_identity).arg("restore");
                c
            },
            "no-such-identity.txt",
        ),
        (
            {
                let mut c = me.on(&p);
                c.args(["decrypt", "pw.age", "-o", "x.env"])
                    .env("ENVWARD_PASSPHRASE", "wrong horse");
                c
            },
            "wrong passphrase",
        ),
        (
            {
                let mut c = me.on(&p);
                c.args(["encrypt", ".env", "-R", "bad-recipients.txt", "-o", "y.age"]);
                c
            },
            "bad-recipients.txt:2",
        ),
    ];
    for (mut cmd, needle) in cases {
        let out = cmd.output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{needle}: {err}");
        assert_eq!(err.lines().count(), 1, "{needle}: {err}");
        assert!(
            err.starts_with("error: ") && err.contains(needle),
            "{needle}: {err}"
        );
        assert!(!err.contains("changeme"));
        assert_eq!(p.snapshot(), before, "{needle}: a file changed");
    }
    me.on(&p)
        .args(["decrypt", "pw.age", "-o", "x.env"])
        .env("ENVWARD_PASSPHRASE", "right horse")
        .assert()
        .success();
    assert_eq!(p.read("x.env"), ORIGINAL);
}

#[test]
fn backup_reads_nothing_of_the_project_but_the_live_file() {
    // A backup encrypts the live file's bytes: a compose file that does not parse and a live
    // file with a syntax error (both reported by `check`) do not stop it, and the backup
    // decrypts to the file byte for byte.
    let me = User::new();
    let live = "DB_PASSWORD=changeme\nnot a statement\n";
    let p = TestProject::new()
        .file("compose.yaml", "services: [unclosed\n")
        .file(".env", live);
    me.on(&p).arg("backup").assert().success();
    let found = backups(&p);
    assert_eq!(found.len(), 1, "{found:?}");
    if let Some(age) = age() {
        assert_eq!(
            age_decrypt(&age, &me.identity(), &found[0]),
            live.as_bytes()
        );
    }
    // Without a live file there is nothing to back up: one line, exit 2.
    let empty = TestProject::new().file("compose.yaml", COMPOSE);
    me.on(&empty)
        .arg("backup")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            ".env: no such file; nothing to back up",
        ));
}
