//! `envward audit` through the real binary on git repositories the tests build: a value
//! committed and later removed is named by commit and variable (never shown) and fails the
//! audit; a clean project passes every line; literal secrets in tracked config, a
//! `Dockerfile` without `.dockerignore` and an over-shared `env_file:` each fail their line;
//! and git never runs a program the repository configures.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use base64::Engine;
use common::{Home, TestProject};

const DB_PASSWORD: &str = "Zr4qW9xLp2mN7vBk3Jd8sQ1tY6uE0oRa";
const OLD_DB_PASSWORD: &str = "Hx7Pq2Lm9Wc4Rt8Kv1Nb6Zs3Yd0Fg5Ju";
const API_TOKEN: &str = "tok_9fK2mX7qL4pW8zR1vB6nJ3sD5hG0cY";

const COMPOSE: &str = "services:
  api:
    image: example/api
    environment:
      DB_PASSWORD: ${DB_PASSWORD}
      API_TOKEN: ${API_TOKEN}
      LOG_LEVEL: ${LOG_LEVEL:-info}
";
const EXAMPLE: &str = "DB_PASSWORD=\nAPI_TOKEN=\nLOG_LEVEL=info\n";

fn live(db_password: &str) -> String {
    format!("DB_PASSWORD={db_password}\nAPI_TOKEN={API_TOKEN}\nLOG_LEVEL=info\n")
}

/// Runs git in `dir` with no user or system configuration and a fixed identity.
fn git(dir: &Path, args: &[&str]) -> String {
    git_at(dir, args, None)
}

fn git_at(dir: &Path, args: &[&str], date: Option<&str>) -> String {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args);
    if let Some(d) = date {
        c.env("GIT_AUTHOR_DATE", d).env("GIT_COMMITTER_DATE", d);
    }
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn commit(dir: &Path, message: &str, date: &str) -> String {
    git_at(dir, &["add", "-A"], None);
    git_at(dir, &["commit", "-q", "-m", message], Some(date));
    git(dir, &["rev-parse", "HEAD"]).trim().to_string()
}

/// A user whose identity lives in a temporary home.
struct User {
    home: Home,
}

impl User {
    fn new() -> Self {
        User { home: Home::new() }
    }

    fn on(&self, p: &TestProject) -> assert_cmd::Command {
        self.home.on(p)
    }

    fn backup(&self, p: &TestProject) {
        self.on(p).arg("backup").assert().success();
    }

    fn audit(&self, p: &TestProject, format: &str) -> (i32, String) {
        let out = self
            .on(p)
            .args(["audit", "--format", format])
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap(),
        )
    }

    fn audit_json(&self, p: &TestProject) -> (i32, serde_json::Value) {
        let (code, text) = self.audit(p, "json");
        (code, serde_json::from_str(&text).unwrap())
    }
}

fn status<'a>(report: &'a serde_json::Value, id: &str) -> &'a str {
    item(report, id)["status"].as_str().unwrap()
}

fn item<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap()
}

fn set_mode(p: &TestProject, file: &str, mode: u32) {
    std::fs::set_permissions(p.join(file), std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A project in a git repository: compose, example, `.gitignore` covering `.env`, a live
/// file with mode 0600 and a backup equal to it.
fn clean_project(user: &User) -> TestProject {
    assert!(
        common::tool("git").is_some(),
        "git is needed to build the fixture repository"
    );
    let p = TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env.example", EXAMPLE)
        .file(".gitignore", ".env\n.env.*.age\n")
        .file("Dockerfile", "FROM scratch\nCOPY . /app\n")
        .file(".dockerignore", ".env\n.env.*\n")
        .file(
            "config/application.yml",
            "spring:\n  datasource:\n    password: ${DB_PASSWORD}\n",
        );
    git(p.path(), &["init", "-q"]);
    commit(p.path(), "project", "2025-01-10T10:00:00Z");
    p.write(".env", live(DB_PASSWORD));
    set_mode(&p, ".env", 0o600);
    user.backup(&p);
    p
}

#[test]
fn a_clean_repository_passes_every_line_and_exits_0() {
    let user = User::new();
    let p = clean_project(&user);
    let (code, report) = user.audit_json(&p);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["version"], 1);
    for i in report["items"].as_array().unwrap() {
        assert_eq!(i["status"], "pass", "{i:#}");
    }
    // The backup dates the values (no state file yet): set today, within their schedule.
    assert!(
        item(&report, "rotation")["summary"]
            .as_str()
            .unwrap()
            .contains("within their schedule"),
        "{report:#}"
    );
    let (code, text) = user.audit(&p, "text");
    assert_eq!(code, 0);
    assert!(text.contains("0 fail, 9 pass, 0 unknown"), "{text}");
}

#[test]
fn rotation_is_judged_by_the_dates_envward_recorded_or_unknown_without_any() {
    let user = User::new();
    let p = clean_project(&user);
    p.write(
        ".env.envward-state.env",
        "version = 1\n[set]\nDB_PASSWORD = 2025-01-01T00:00:00Z\n",
    );
    let out = user
        .on(&p)
        .args(["audit", "--format", "json", "--as-of", "2025-06-01"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rotation = item(&report, "rotation");
    assert_eq!(rotation["status"], "fail", "{rotation:#}");
    assert_eq!(rotation["evidence"][0]["variable"], "DB_PASSWORD");
    // No state file and no identity to open the backups: no date is known.
    std::fs::remove_file(p.join(".env.envward-state.env")).unwrap();
    let stranger = User::new();
    let (_, report) = stranger.audit_json(&p);
    assert_eq!(status(&report, "rotation"), "unknown");
    assert!(
        item(&report, "rotation")["summary"]
            .as_str()
            .unwrap()
            .contains("no rotation records yet")
    );
}

#[test]
fn history_that_once_held_env_names_commit_and_variables_never_values_and_exits_1() {
    let user = User::new();
    let p = clean_project(&user);
    // Someone once committed the live file with the old password, then removed it.
    p.write(".gitignore", ".env.*.age\n");
    p.write(".env", live(OLD_DB_PASSWORD));
    let leaked = commit(p.path(), "oops", "2025-02-01T09:00:00Z");
    user.backup(&p);
    git(p.path(), &["rm", "-q", "--cached", ".env"]);
    p.write(".gitignore", ".env\n.env.*.age\n");
    commit(p.path(), "remove .env", "2025-02-02T09:00:00Z");
    // The current password, base64-encoded inside a Kubernetes manifest.
    let encoded = base64::engine::general_purpose::STANDARD.encode(DB_PASSWORD);
    p.write(
        "k8s/secret.yaml",
        format!("apiVersion: v1\nkind: Secret\ndata:\n  password: {encoded}\n"),
    );
    let manifest = commit(p.path(), "k8s", "2025-03-01T09:00:00Z");
    p.write(".env", live(DB_PASSWORD));
    set_mode(&p, ".env", 0o600);
    user.backup(&p);

    for format in ["text", "json", "markdown"] {
        let (code, out) = user.audit(&p, format);
        assert_eq!(code, 1, "{out}");
        for secret in [DB_PASSWORD, OLD_DB_PASSWORD, API_TOKEN, encoded.as_str()] {
            assert!(!out.contains(secret), "a value reached the {format} output");
        }
        assert!(out.contains(&leaked[..12]), "{format}: {out}");
        assert!(out.contains(&manifest[..12]), "{format}: {out}");
    }
    let (_, report) = user.audit_json(&p);
    assert_eq!(status(&report, "git-history"), "fail");
    let evidence = item(&report, "git-history")["evidence"].as_array().unwrap();
    let found: Vec<(String, String, String)> = evidence
        .iter()
        .map(|e| {
            (
                e["commit"].as_str().unwrap().to_string(),
                e["file"].as_str().unwrap().to_string(),
                e["variable"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let short = |c: &str| c[..12].to_string();
    assert!(found.contains(&(short(&leaked), ".env".into(), "DB_PASSWORD".into())));
    assert!(found.contains(&(short(&leaked), ".env".into(), "API_TOKEN".into())));
    assert!(found.contains(&(
        short(&manifest),
        "k8s/secret.yaml".into(),
        "DB_PASSWORD".into()
    )));
    let leaked_entry = evidence
        .iter()
        .find(|e| e["variable"] == "DB_PASSWORD" && e["commit"] == short(&leaked))
        .unwrap();
    assert_eq!(leaked_entry["date"], "2025-02-01");
    assert!(
        leaked_entry["text"].as_str().unwrap().contains("backup of"),
        "the old password is known from a backup: {leaked_entry:#}"
    );
    // The manifest holds a secret-looking key with a literal value too.
    assert_eq!(status(&report, "git-literals"), "fail");

    // --since after the leak: only the manifest commit is scanned.
    let out = user
        .on(&p)
        .args(["audit", "--format", "json", "--since", "2025-02-15"])
        .output()
        .unwrap();
    let bounded: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let commits: Vec<&str> = item(&bounded, "git-history")["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["commit"].as_str().unwrap())
        .collect();
    assert_eq!(commits, [short(&manifest).as_str()]);
    user.on(&p)
        .args(["audit", "--since", "last tuesday"])
        .assert()
        .code(2);
}

#[test]
fn literal_config_secrets_an_unignored_build_context_and_an_overshared_env_file_fail() {
    let user = User::new();
    let p = clean_project(&user);
    p.write(
        "config/application.yml",
        "spring:\n  datasource:\n    password: \"hardcoded_password\"\n",
    );
    std::fs::remove_file(p.join(".dockerignore")).unwrap();
    p.write(
        "compose.yaml",
        format!("{COMPOSE}  worker:\n    image: example/worker\n    env_file: .env\n    environment:\n      TOKEN: ${{API_TOKEN}}\n"),
    );
    commit(p.path(), "config", "2025-04-01T09:00:00Z");
    let (code, report) = user.audit_json(&p);
    assert_eq!(code, 1);
    assert_eq!(status(&report, "git-literals"), "fail");
    let lit = &item(&report, "git-literals")["evidence"][0];
    assert_eq!(lit["file"], "config/application.yml");
    assert_eq!(lit["line"], 3);
    assert_eq!(lit["variable"], "spring.datasource.password");
    assert_eq!(status(&report, "build-context"), "fail");
    assert!(
        item(&report, "build-context")["evidence"][0]["text"]
            .as_str()
            .unwrap()
            .contains("no .dockerignore")
    );
    assert_eq!(status(&report, "least-privilege"), "fail");
    let lp = &item(&report, "least-privilege")["evidence"][0];
    assert_eq!(lp["service"], "worker");
    assert!(
        lp["text"].as_str().unwrap().ends_with(": DB_PASSWORD"),
        "{lp:#}"
    );
    assert!(
        !serde_json::to_string(&report)
            .unwrap()
            .contains("hardcoded_password")
    );
}

#[test]
fn modes_backups_and_the_drill_fail_when_they_should() {
    let user = User::new();
    let p = clean_project(&user);
    set_mode(&p, ".env", 0o644);
    p.write(".env", live(OLD_DB_PASSWORD));
    let (code, report) = user.audit_json(&p);
    assert_eq!(code, 1);
    assert_eq!(status(&report, "permissions"), "fail");
    assert!(
        item(&report, "permissions")["evidence"][0]["text"]
            .as_str()
            .unwrap()
            .contains("mode 0644")
    );
    assert_eq!(
        status(&report, "recovery"),
        "fail",
        "the change is not backed up"
    );
    let md = user.audit(&p, "markdown").1;
    assert!(md.starts_with("# Secrets audit: .env as of "));
    assert!(
        md.contains(
            "| ❌ fail | The live file, every backup and the identity are 0600 and yours |"
        )
    );
    assert!(md.contains("- [ ] Review access logs"));
}

/// A repository whose config names programs for every hook a read could trigger; each one
/// would create the marker.
#[test]
fn audit_never_runs_programs_the_repository_configures() {
    let user = User::new();
    let p = clean_project(&user);
    let marker = user.home.path().join("MARKER");
    let script = p.join(".git/evil.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ntouch '{}'\ncat \"$1\" 2>/dev/null\nexit 0\n",
            marker.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let s = script.display().to_string();
    for (key, value) in [
        ("core.fsmonitor", s.as_str()),
        ("diff.external", s.as_str()),
        ("diff.evil.textconv", s.as_str()),
        ("core.pager", s.as_str()),
        ("pager.log", s.as_str()),
        ("log.showSignature", "true"),
        ("gpg.program", s.as_str()),
    ] {
        git(p.path(), &["config", key, value]);
    }
    p.write(".gitattributes", "* diff=evil\n");
    p.write("notes.yml", "a: 1\n");
    commit(p.path(), "attributes", "2025-05-01T09:00:00Z");
    // The fixture bites: plain git runs the configured programs.
    let _ = Command::new("git")
        .current_dir(p.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(["log", "-p", "-1", "--ext-diff"])
        .output()
        .unwrap();
    assert!(
        marker.exists(),
        "the fixture's programs should run under plain git"
    );
    std::fs::remove_file(&marker).unwrap();
    let (code, report) = user.audit_json(&p);
    assert!(
        !marker.exists(),
        "audit ran a repository-configured program"
    );
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(status(&report, "git-history"), "pass");
}

/// Docker reads `<dockerfile>.dockerignore` before the context's `.dockerignore`; the
/// dockerfile comes from the compose model, interpolated like Compose does.
#[test]
fn a_build_s_own_dockerfile_ignore_file_is_the_one_that_counts() {
    let user = User::new();
    let p = clean_project(&user);
    std::fs::remove_file(p.join(".dockerignore")).unwrap();
    p.write(
        "compose.yaml",
        format!(
            "{COMPOSE}  worker:\n    build:\n      context: .\n      dockerfile: ${{WORKER_DOCKERFILE:-docker/worker.Dockerfile}}\n"
        ),
    );
    p.write("docker/worker.Dockerfile", "FROM scratch\nCOPY . /app\n");
    p.write("docker/worker.Dockerfile.dockerignore", ".env\n");
    commit(p.path(), "worker", "2025-04-01T09:00:00Z");
    let (_, report) = user.audit_json(&p);
    // The project's own Dockerfile shares the context but has no ignore file of its own.
    let evidence = item(&report, "build-context")["evidence"].to_string();
    assert!(!evidence.contains("worker"), "{evidence}");

    // Without its own ignore file the worker's context sends .env to the builder.
    std::fs::remove_file(p.join("docker/worker.Dockerfile.dockerignore")).unwrap();
    let (_, report) = user.audit_json(&p);
    assert_eq!(status(&report, "build-context"), "fail");
    let evidence = item(&report, "build-context")["evidence"].to_string();
    assert!(evidence.contains("worker"), "{evidence}");
}
