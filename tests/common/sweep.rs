//! The set-up the blind-sweep tests share (`tests/sweep24.rs`, `tests/sweep28.rs`): one small
//! project per test, then `check` or `fill` through the real binary.

use std::os::unix::fs::PermissionsExt;

use super::{Home, TestProject};

/// A project of one compose file and a live `.env` (mode 0600, as `fill` leaves it), with an
/// `.env.example` equal to it when the template is the example.
pub fn project(compose_file: &str, compose: &str, env: &str, with_example: bool) -> TestProject {
    let mut p = TestProject::new()
        .file(compose_file, compose)
        .file(".env", env);
    if with_example {
        p = p.file(".env.example", env);
    }
    std::fs::set_permissions(p.join(".env"), std::fs::Permissions::from_mode(0o600)).unwrap();
    p
}

/// `fill --yes --no-color` with its own home (for the backup key): its exit code and what it
/// printed.
pub fn fill(p: &TestProject) -> (Option<i32>, String) {
    let out = Home::new()
        .on(p)
        .args(["fill", "--yes", "--no-color"])
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

/// `check --no-color`: its exit code and what it printed.
pub fn check(p: &TestProject) -> (Option<i32>, String) {
    let out = p.cmd().args(["check", "--no-color"]).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}
