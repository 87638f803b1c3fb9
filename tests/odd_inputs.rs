//! Odd files and bad settings fail cleanly (issue #14, items 8 and 9): one line naming the
//! file (and position), exit 2, within a second, no value printed, nothing written. An odd
//! process environment (a variable that is not UTF-8) does not stop envward at all.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

mod common;

use std::os::unix::fs::{PermissionsExt, symlink};
use std::time::Duration;

use common::{Home, TestProject, run_bounded};

const COMPOSE: &str = "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n";
const CANARY: &str = "AGE-SECRET-KEY-1QQQCANARYQQQ7Z9";

/// Runs `args` in `p`; asserts exit 2 with one `error:` line containing `needle`, within a
/// second, and that no project file changed.
fn fails_cleanly(p: &TestProject, args: &[&str], needle: &str) -> String {
    let before = p.snapshot();
    let mut cmd = p.cmd();
    cmd.args(args);
    // Killed after 30 s of wall time (a read blocked on a FIFO costs no CPU); bounded in CPU
    // time, which a loaded CI box does not stretch.
    let ran = run_bounded(&cmd, Duration::from_secs(30));
    assert!(!ran.killed, "{args:?} hung");
    let (out, took) = (ran.output, ran.cpu);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    assert!(
        err.starts_with("error: ") && err.contains(needle),
        "{args:?}: {err}"
    );
    assert!(
        took < Duration::from_secs(1),
        "{args:?} took {took:?} of CPU"
    );
    assert_eq!(p.snapshot(), before, "{args:?} changed a file");
    err
}

#[test]
fn a_config_type_error_no_longer_echoes_the_value() {
    for (toml, key) in [
        (format!("[backup]\nkeep = \"{CANARY}\"\n"), "backup.keep"),
        (
            format!("[backup]\nrecipients = \"{CANARY}\"\n"),
            "backup.recipients",
        ),
        (
            format!("[policy]\ndefault = \"{CANARY}\"\n"),
            "policy.default",
        ),
        (
            format!("[vars.DB_PASSWORD]\nkind = \"{CANARY}\"\n"),
            "vars.DB_PASSWORD.kind",
        ),
    ] {
        let p = TestProject::new()
            .file("compose.yaml", COMPOSE)
            .file("envward.toml", &toml);
        let err = fails_cleanly(&p, &["check"], "envward.toml:2:");
        assert!(err.contains(key), "{err}");
        assert!(!err.contains("CANARY"), "{err}");
    }
}

#[test]
fn min_bits_nan_no_longer_disables_strength_checks() {
    for bad in ["nan", "inf", "-8.0"] {
        let p = TestProject::new()
            .file("compose.yaml", COMPOSE)
            .file("envward.toml", format!("[policy]\nmin_bits = {bad}\n"));
        fails_cleanly(&p, &["check"], "envward.toml:2:12: policy.min_bits");
    }
}

#[test]
fn an_odd_live_file_is_no_longer_taken_for_a_missing_one() {
    type Make = Box<dyn Fn(&TestProject)>;
    let cases: Vec<(&str, Make, &str)> = vec![
        (
            "directory",
            Box::new(|p| std::fs::create_dir(p.join(".env")).unwrap()),
            "is a directory",
        ),
        (
            "fifo",
            Box::new(|p| {
                rustix::fs::mknodat(
                    rustix::fs::CWD,
                    p.join(".env"),
                    rustix::fs::FileType::Fifo,
                    rustix::fs::Mode::from_raw_mode(0o600),
                    0,
                )
                .unwrap();
            }),
            "named pipe",
        ),
        (
            "device",
            Box::new(|p| symlink("/dev/zero", p.join(".env")).unwrap()),
            "character device",
        ),
        (
            "loop",
            Box::new(|p| {
                symlink(".env2", p.join(".env")).unwrap();
                symlink(".env", p.join(".env2")).unwrap();
            }),
            "loop of symbolic links",
        ),
        (
            "dangling",
            Box::new(|p| symlink("gone", p.join(".env")).unwrap()),
            "which does not exist",
        ),
    ];
    for (what, make, needle) in cases {
        let p = TestProject::new().file("compose.yaml", COMPOSE);
        make(&p);
        for args in [&["check"][..], &["fill", "--yes"], &["refs"]] {
            let err = fails_cleanly(&p, args, needle);
            assert!(err.contains(".env"), "{what}: {err}");
        }
    }
}

#[test]
fn an_odd_example_or_config_is_no_longer_ignored() {
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .dir(".env.example");
    fails_cleanly(&p, &["check"], ".env.example: is a directory");
    let p = TestProject::new().file("compose.yaml", COMPOSE);
    symlink("missing.toml", p.join("envward.toml")).unwrap();
    fails_cleanly(
        &p,
        &["check"],
        "envward.toml: is a symbolic link to missing.toml",
    );
}

/// A project whose `.env` was encrypted to `x.age` by its user.
fn with_ciphertext() -> (Home, TestProject) {
    let me = Home::new();
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", "DB_PASSWORD=changeme\n");
    me.on(&p)
        .args(["encrypt", ".env", "-o", "x.age"])
        .assert()
        .success();
    (me, p)
}

#[test]
fn decrypt_onto_its_own_input_is_refused() {
    let (me, p) = with_ciphertext();
    let before = p.snapshot();
    for args in [
        &["decrypt", "x.age", "-o", "x.age"][..],
        &["decrypt", "x.age", "-o", "./x.age"],
        &["encrypt", ".env", "-o", ".env"],
    ] {
        let out = me.on(&p).args(args).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("onto itself"), "{err}");
        assert_eq!(p.snapshot(), before);
    }
}

#[test]
fn decrypt_onto_the_live_file_no_longer_skips_the_backup() {
    let (me, p) = with_ciphertext();
    p.write(".env", "DB_PASSWORD=edited-since\n");
    let out = me
        .on(&p)
        .args(["decrypt", "x.age", "-o", ".env"])
        .output()
        .unwrap();
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{said}");
    assert!(said.contains("backup .env.000001."), "{said}");
    assert_eq!(p.read(".env"), "DB_PASSWORD=changeme\n");
    let me_id = envward::store::Identity::load(&me.identity()).unwrap();
    let first = envward::store::backup::list(&p.join(".env"))
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(
        envward::store::backup::read_backup(&first.path, &me_id)
            .unwrap()
            .as_slice(),
        b"DB_PASSWORD=edited-since\n"
    );
}

#[test]
fn an_identity_others_can_read_is_no_longer_silent() {
    let me = Home::new();
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", "DB_PASSWORD=changeme\n");
    me.on(&p).arg("key").assert().success();
    std::fs::set_permissions(me.identity(), std::fs::Permissions::from_mode(0o644)).unwrap();
    for args in [&["key"][..], &["backup"], &["fill", "--yes"], &["backups"]] {
        let out = me.on(&p).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("your age identity has mode 0644") && err.contains("chmod 600"),
            "{args:?}: {err}"
        );
    }
}

/// A variable of the process environment that is not UTF-8, in its name or its value,
/// stopped every command with "internal error" (`std::env::vars` panics on it). Now the
/// check runs and reports exactly what it reports without it.
#[test]
fn an_environment_variable_that_is_not_utf8_no_longer_stops_envward() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", "OTHER=1\n");
    std::fs::set_permissions(p.join(".env"), std::fs::Permissions::from_mode(0o600)).unwrap();
    let plain = p
        .cmd()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let odd = p
        .cmd()
        .env("ODD_VALUE", OsStr::from_bytes(b"Qx7\xff\xfeLm9"))
        .env(OsStr::from_bytes(b"ODD\xffNAME"), "1")
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        plain.status.code(),
        Some(1),
        "DB_PASSWORD is missing: {}",
        String::from_utf8_lossy(&plain.stderr)
    );
    assert_eq!(
        odd.status.code(),
        plain.status.code(),
        "{}",
        String::from_utf8_lossy(&odd.stderr)
    );
    assert!(
        odd.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&odd.stderr)
    );
    assert_eq!(odd.stdout, plain.stdout);
}
