//! The kinds of mistakes blind sweep 28 found (Chartbrew), through the real binary: what
//! `check` says and what `fill` writes.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{Home, TestProject};

/// A project of one compose file and a live `.env` (mode 0600, as `fill` leaves it), with an
/// `.env.example` equal to it.
fn project(compose: &str, env: &str) -> TestProject {
    let p = TestProject::new()
        .file("docker-compose.yml", compose)
        .file(".env", env)
        .file(".env.example", env);
    std::fs::set_permissions(p.join(".env"), std::fs::Permissions::from_mode(0o600)).unwrap();
    p
}

/// `fill --yes --no-color` with its own home (for the backup key): its exit code and what it
/// printed.
fn fill(p: &TestProject) -> (Option<i32>, String) {
    let out = Home::new()
        .on(p)
        .args(["fill", "--yes", "--no-color"])
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

/// `check --no-color`: its exit code and what it printed.
fn check(p: &TestProject) -> (Option<i32>, String) {
    let out = p.cmd().args(["check", "--no-color"]).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

/// Chartbrew: `REDIS_PASSWORD: ${CB_REDIS_PASSWORD}` on `image: redis:alpine`, which reads no
/// such variable (Bitnami's images do). The server runs open: nothing is missing, and `fill`
/// invents no password that no server checks.
#[test]
fn a_password_the_official_redis_image_ignores_is_not_required() {
    let env = "APP_REDIS_HOST=redis\nAPP_REDIS_PASSWORD=\n";
    let compose = "services:\n  redis:\n    image: redis:alpine\n    environment:\n      REDIS_PASSWORD: ${APP_REDIS_PASSWORD}\n  app:\n    image: node:22-alpine\n    env_file: .env\n";
    let p = project(compose, env);
    let (code, out) = check(&p);
    assert_eq!(code, Some(0), "{out}");
    let (code, _) = fill(&p);
    assert_eq!(code, Some(0));
    assert_eq!(std::fs::read_to_string(p.join(".env")).unwrap(), env);
    // Bitnami's image reads it, and refuses to start without it.
    let p = project(&compose.replace("redis:alpine", "bitnami/redis:7.2"), env);
    let (code, out) = check(&p);
    assert_eq!(code, Some(1));
    assert!(out.contains("APP_REDIS_PASSWORD"), "{out}");
}

/// Chartbrew: `CB_SECRET_DEV` and `CB_REDIS_PASSWORD_DEV`, read only when NODE_ENV is not
/// production. Judged for production they are no errors, and `fill` neither copies the
/// production secret into them nor makes the dev password the compose redis's.
#[test]
fn a_development_twin_is_left_to_the_developer() {
    let env = "APP_SECRET=change_to_random_string\nAPP_REDIS_HOST=redis\nAPP_REDIS_PASSWORD=\nAPP_SECRET_DEV=change_to_random_string\nAPP_REDIS_HOST_DEV=localhost\nAPP_REDIS_PASSWORD_DEV=\n";
    let compose = "services:\n  redis:\n    image: redis:alpine\n    command: redis-server --requirepass \"${APP_REDIS_PASSWORD:?}\"\n  app:\n    image: node:22-alpine\n    env_file: .env\n    environment:\n      NODE_ENV: production\n";
    let p = project(compose, env);
    let (code, out) = check(&p);
    assert_eq!(code, Some(1));
    assert!(!out.contains("_DEV"), "{out}");
    let (code, _) = fill(&p);
    assert_eq!(code, Some(0));
    let text = std::fs::read_to_string(p.join(".env")).unwrap();
    assert!(
        text.contains("APP_SECRET_DEV=change_to_random_string\n"),
        "{text}"
    );
    assert!(text.contains("APP_REDIS_PASSWORD_DEV=\n"), "{text}");
    assert!(
        !text.contains("APP_SECRET=change_to_random_string\n"),
        "{text}"
    );
}
