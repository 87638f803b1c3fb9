//! The kinds of mistakes blind sweep 29 found, through the real binary: a secret word fused to
//! the word before it (Squidex) and a project whose services load several env files
//! (`LibreBooking`).

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::sweep::{check, project};
use common::{Home, TestProject};

/// Squidex (sweep 29): `…_GITHUBSECRET`, the GitHub client secret spelled as one word, is a
/// provider's secret: `changeme` there is a placeholder, and `export --format k8s` puts it in
/// the `Secret`, not in the `ConfigMap`.
#[test]
fn a_fused_secret_word_is_judged_and_exported_as_a_secret() {
    let env = "APP_GITHUBCLIENT=Iv1.0123456789abcdef\nAPP_GITHUBSECRET=changeme\n";
    let compose = "services:\n  app:\n    image: squidex/squidex:7\n    environment:\n      - IDENTITY__GITHUBCLIENT=${APP_GITHUBCLIENT}\n      - IDENTITY__GITHUBSECRET=${APP_GITHUBSECRET}\n";
    let p = project("compose.yml", compose, env, true);
    let (code, out) = check(&p);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.lines()
            .any(|l| l.trim_start().starts_with("APP_GITHUBSECRET")
                && l.contains("is a placeholder")),
        "{out}"
    );
    let out = p
        .cmd()
        .args(["export", "--format", "k8s", "--allow-incomplete", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let yaml = String::from_utf8(out.stdout).unwrap();
    let config_map = yaml.split("kind: ConfigMap").nth(1).unwrap();
    let secret = yaml.split("kind: ConfigMap").next().unwrap();
    assert!(secret.contains("APP_GITHUBSECRET:"), "{yaml}");
    assert!(!config_map.contains("APP_GITHUBSECRET"), "{yaml}");
    assert!(config_map.contains("APP_GITHUBCLIENT:"), "{yaml}");
}

/// `LibreBooking`'s `.examples/docker`: no `.env`, no example; mariadb loads `db.env`, the app
/// and its cron `lb.env`, and the database password is in both.
fn librebooking() -> TestProject {
    let compose = "services:\n  db:\n    image: linuxserver/mariadb:10.6.13\n    env_file:\n      - db.env\n  app:\n    image: librebooking/librebooking:develop\n    env_file:\n      - lb.env\n  cron:\n    image: librebooking/librebooking:develop\n    env_file:\n      - lb.env\n";
    let p = TestProject::new()
        .file("docker-compose.yml", compose)
        .file(
            "db.env",
            "MYSQL_ROOT_PASSWORD=db_root_pwd\nMYSQL_DATABASE=librebooking\nMYSQL_USER=lb_user\nMYSQL_PASSWORD=db_user_pwd\n",
        )
        .file(
            "lb.env",
            "LB_INSTALL_PASSWORD=app_install_pwd\nLB_DATABASE_PASSWORD=db_user_pwd\nLB_DATABASE_NAME=librebooking\nLB_DATABASE_USER=lb_user\nLB_DATABASE_HOSTSPEC=db\n",
        );
    for f in ["db.env", "lb.env"] {
        std::fs::set_permissions(p.join(f), std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    p
}

/// The line of `out` that names `var` as a finding.
fn finding_line<'a>(out: &'a str, var: &str) -> Option<&'a str> {
    out.lines()
        .find(|l| l.trim_start().starts_with(&format!("{var} ")))
}

/// `LibreBooking` (sweep 29): plain `check` judged an absent `.env` and passed; each env file
/// the services load is judged now, and the run fails on their weak passwords.
#[test]
fn check_judges_each_env_file_the_services_load_when_there_is_no_dot_env() {
    let p = librebooking();
    let (code, out) = check(&p);
    assert_eq!(code, Some(1), "{out}");
    for var in [
        "MYSQL_ROOT_PASSWORD",
        "MYSQL_PASSWORD",
        "LB_INSTALL_PASSWORD",
        "LB_DATABASE_PASSWORD",
    ] {
        assert!(finding_line(&out, var).is_some(), "{var}: {out}");
    }
    assert!(
        out.contains("MYSQL_PASSWORD (also LB_DATABASE_PASSWORD in lb.env)"),
        "{out}"
    );
    assert!(
        out.contains("run `envward --env-file db.env fill`"),
        "{out}"
    );
    assert!(out.contains("in 2 env files"), "{out}");
    assert!(!out.contains("not judged"), "{out}");
    let json = p
        .cmd()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(json["env_files"], serde_json::json!(["db.env", "lb.env"]));
    assert_eq!(json["summary"]["errors"], 4);
    let sarif = p
        .cmd()
        .args(["check", "--format", "sarif"])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(sarif["runs"].as_array().unwrap().len(), 1);
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 4);
}

/// The cross-file pair: filling one side leaves the password both files share alone; plain
/// `fill`, which writes one file, says to name each.
#[test]
fn fill_of_one_env_file_leaves_the_shared_password_alone() {
    let p = librebooking();
    let home = Home::new();
    let plain = home.on(&p).args(["fill", "--yes"]).output().unwrap();
    let plain = String::from_utf8(plain.stdout).unwrap();
    assert!(
        plain.contains("(`envward --env-file db.env fill`, `envward --env-file lb.env fill`)"),
        "{plain}"
    );
    let lb_before = p.read("lb.env");
    let out = home
        .on(&p)
        .args(["--env-file", "db.env", "fill", "--yes"])
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    let db = p.read("db.env");
    assert!(db.contains("MYSQL_PASSWORD=db_user_pwd\n"), "{out}\n{db}");
    assert!(!db.contains("db_root_pwd"), "{out}");
    assert_eq!(p.read("lb.env"), lb_before);
    let (code, out) = check(&p);
    assert_eq!(code, Some(1), "{out}");
    assert!(finding_line(&out, "MYSQL_PASSWORD").is_some(), "{out}");
    assert!(finding_line(&out, "MYSQL_ROOT_PASSWORD").is_none(), "{out}");
}

/// A project with a `.env`, or whose services load one env file, keeps its output byte for
/// byte.
#[test]
fn one_live_file_keeps_its_output() {
    let p = TestProject::new()
        .file(
            "compose.yml",
            "services:\n  db:\n    image: postgres:16\n    env_file: [db.env]\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n",
        )
        .file(".env", "DB_PASSWORD=changeme\n")
        .file("db.env", "POSTGRES_USER=app\n");
    std::fs::set_permissions(p.join(".env"), std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(
        check(&p),
        (
            Some(1),
            ".env  (1 variable, prod policy; no example; compose compose.yml)

placeholder (1, error)
  DB_PASSWORD  .env:1:1  is a placeholder: its value follows a placeholder convention (a stand-in, not a real value)

✗ 1 error, 0 warnings in 1 variable (1 placeholder)
  → 1 fixable: run `envward fill` (or `envward`, then G)

note: the services also load db.env, not judged in this run (envward judges .env only)
"
            .to_string()
        )
    );
    let p = TestProject::new()
        .file(
            "compose.yml",
            "services:\n  app:\n    image: x/app\n    env_file: [app.env]\n",
        )
        .file("app.env", "APP_SECRET=changeme\n");
    std::fs::set_permissions(p.join("app.env"), std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(
        check(&p),
        (
            Some(1),
            "app.env  (1 variable, prod policy; no example; compose compose.yml)

placeholder (1, error)
  APP_SECRET  app.env:1:1  is a placeholder: its value follows a placeholder convention (a stand-in, not a real value)

✗ 1 error, 0 warnings in 1 variable (1 placeholder)
  → 1 fixable: run `envward fill` (or `envward`, then G)
"
            .to_string()
        )
    );
}
