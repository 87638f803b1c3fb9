//! `envward check`: statuses a careful reviewer would give, every format, exit codes, and
//! never a secret value in any output.

#![allow(
    clippy::unwrap_used,
    clippy::cast_possible_truncation,
    clippy::format_push_string
)] // Test code.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::TestProject;
use serde_json::Value;

const STRONG: &str = "Vq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiEl";

/// The must-show project: missing, placeholder, weak, external, hardcoded, URI-embedded,
/// duplicated and unused variables; `.env` mode 0644 in a git work tree with no .gitignore.
fn mixed_project() -> TestProject {
    let p = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n\
             \x20 db:\n\
             \x20   image: postgres:16\n\
             \x20   environment:\n\
             \x20     POSTGRES_PASSWORD: ${DB_PASSWORD}\n\
             \x20     POSTGRES_USER: ${DB_USER:-app}\n\
             \x20 api:\n\
             \x20   image: example/api\n\
             \x20   environment:\n\
             \x20     DATABASE_URL: postgres://app:${DB_PASSWORD}@db/app\n\
             \x20     REDIS_URL: redis://:${REDIS_PASSWORD}@redis:6379\n\
             \x20     JWT_SIGNING_KEY: ${JWT_SIGNING_KEY}\n\
             \x20     TELEGRAM_BOT_TOKEN: ${TELEGRAM_BOT_TOKEN}\n\
             \x20     SESSION_SECRET: ${SESSION_SECRET}\n\
             \x20     ADMIN_PASSWORD: hunter2hunter2\n\
             \x20     SMTP_HOST: ${SMTP_HOST}\n",
        )
        .file(
            ".env.example",
            "# Database\nDB_USER=app\nDB_PASSWORD=change_me\n\n# Cache\nREDIS_PASSWORD=change_me\n\n# Auth\nJWT_SIGNING_KEY=generate_strong_key_here\nTELEGRAM_BOT_TOKEN=your_bot_token_here\nSESSION_SECRET=\n",
        )
        .file(
            ".env",
            format!(
                "DB_USER=app\nDB_PASSWORD=changeme\nREDIS_PASSWORD={STRONG}@x\nJWT_SIGNING_KEY=deadbeef1234\nTELEGRAM_BOT_TOKEN=123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1\nDB_USER=app\nLEFTOVER=1\n"
            ),
        );
    std::fs::set_permissions(p.join(".env"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let git = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(p.path())
        .status()
        .unwrap();
    assert!(git.success());
    p
}

fn json_of(p: &TestProject, args: &[&str]) -> (Value, i32) {
    let out = p.cmd().args(args).output().unwrap();
    let code = out.status.code().unwrap();
    (serde_json::from_slice(&out.stdout).unwrap(), code)
}

/// `check --no-color` on a project whose `.env` is made private first (so `permissions` stays
/// out of the way): its text and exit code.
fn text_of(p: &TestProject) -> (String, i32) {
    std::fs::set_permissions(p.join(".env"), std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = p.cmd().args(["check", "--no-color"]).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

fn status_of<'a>(doc: &'a Value, name: &str) -> &'a str {
    doc["variables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("{name} in variables"))["status"]
        .as_str()
        .unwrap()
}

fn findings<'a>(doc: &'a Value, rule: &str) -> Vec<&'a Value> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

#[test]
fn mixed_project_gets_the_statuses_a_reviewer_would_give() {
    let p = mixed_project();
    let (doc, code) = json_of(&p, &["check", "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["env_file"], ".env");
    assert_eq!(doc["compose_files"], serde_json::json!(["compose.yaml"]));
    for (name, status) in [
        ("DB_USER", "ok"),
        ("DB_PASSWORD", "placeholder"),
        ("REDIS_PASSWORD", "ok"),
        ("JWT_SIGNING_KEY", "weak"),
        ("TELEGRAM_BOT_TOKEN", "ok"),
        ("SESSION_SECRET", "missing"),
        // A bare `${SMTP_HOST}` that nothing sets becomes an empty string with a warning;
        // the template not listing it is the finding (`undocumented`), not a missing value.
        ("SMTP_HOST", "ok"),
        ("LEFTOVER", "unused"),
    ] {
        assert_eq!(status_of(&doc, name), status, "{name}");
    }
    let var = doc["variables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "TELEGRAM_BOT_TOKEN")
        .unwrap();
    assert_eq!(var["class"], "external");
    let db = doc["variables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "DB_PASSWORD")
        .unwrap();
    assert_eq!(db["kind"], "password");
    assert_eq!(db["used_by"].as_array().unwrap().len(), 2);
    assert_eq!(db["used_by"][1]["in_uri"], true);

    let perm = findings(&doc, "permissions");
    assert_eq!(perm.len(), 1);
    assert_eq!(perm[0]["file"], ".env");
    assert_eq!(findings(&doc, "not-ignored").len(), 1);
    let hard = findings(&doc, "hardcoded");
    assert_eq!(hard.len(), 1);
    assert_eq!(hard[0]["variable"], "ADMIN_PASSWORD");
    assert_eq!(
        (hard[0]["file"].as_str(), hard[0]["line"].as_u64()),
        (Some("compose.yaml"), Some(15))
    );
    let uri = findings(&doc, "unsafe-in-uri");
    assert_eq!(uri.len(), 1);
    assert_eq!(uri[0]["variable"], "REDIS_PASSWORD");
    assert_eq!(uri[0]["line"], 11);
    let undoc = findings(&doc, "undocumented");
    assert_eq!(undoc.len(), 1);
    assert_eq!(undoc[0]["variable"], "SMTP_HOST");
    assert_eq!(undoc[0]["line"], 16);
    let dup = findings(&doc, "duplicate");
    assert_eq!(dup.len(), 1);
    assert_eq!(
        (dup[0]["variable"].as_str(), dup[0]["line"].as_u64()),
        (Some("DB_USER"), Some(6))
    );
    assert_eq!(
        doc["summary"]["errors"].as_u64().unwrap() as usize,
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .count()
    );
}

#[test]
fn dash_dash_check_is_check() {
    let p = mixed_project();
    let a = p
        .cmd()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let b = p
        .cmd()
        .args(["--check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(a.status.code(), b.status.code());
    let text = p.cmd().arg("--check").output().unwrap();
    assert_eq!(text.status.code(), Some(1));
    let s = String::from_utf8(text.stdout).unwrap();
    assert!(s.contains("placeholder"), "{s}");
    assert!(s.contains("errors"), "{s}");
    assert!(!s.contains('\x1b'), "no colour outside a terminal");
}

#[test]
fn sarif_is_2_1_0_with_rule_ids_and_locations() {
    let p = mixed_project();
    let (doc, code) = json_of(&p, &["check", "--format", "sarif"]);
    assert_eq!(code, 1);
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        assert!(rules.contains(&id));
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize], id);
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(loc["artifactLocation"]["uri"].is_string());
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(matches!(r["level"].as_str(), Some("error" | "warning")));
    }
}

#[test]
fn github_format_prints_workflow_commands() {
    let p = mixed_project();
    let out = p
        .cmd()
        .args(["check", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.is_empty());
    for line in text.lines() {
        assert!(
            line.starts_with("::error file=") || line.starts_with("::warning file="),
            "{line}"
        );
        assert!(
            line.contains(",line=") && line.contains(",col=") && line.contains(",title="),
            "{line}"
        );
    }
}

#[test]
fn exit_codes_strict_and_skip() {
    let clean = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  a:\n    image: x\n    environment:\n      P: ${APP_PASSWORD}\n",
        )
        .file(".env.example", "APP_PASSWORD=change_me\n")
        .file(".env", format!("APP_PASSWORD={STRONG}\nSTRAY=1\n"));
    std::fs::set_permissions(clean.join(".env"), std::fs::Permissions::from_mode(0o600)).unwrap();
    clean.cmd().arg("check").assert().code(0);
    clean.cmd().args(["check", "--strict"]).assert().code(1);
    clean
        .cmd()
        .args(["check", "--strict", "--skip", "unused"])
        .assert()
        .code(0);
    clean
        .cmd()
        .args(["check", "--skip", "nonsense"])
        .assert()
        .code(2);
    let broken = TestProject::new().file("compose.yaml", "services: [\n");
    broken.cmd().arg("check").assert().code(2);
}

#[test]
fn dev_policy_turns_weak_into_a_warning() {
    let p = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  a:\n    image: x\n    environment:\n      P: ${APP_PASSWORD}\n",
        )
        .file(".env.example", "APP_PASSWORD=\n")
        .file(".env.local", "APP_PASSWORD=short-dev-pass\n");
    std::fs::set_permissions(p.join(".env.local"), std::fs::Permissions::from_mode(0o600)).unwrap();
    let (doc, code) = json_of(
        &p,
        &["--env-file", ".env.local", "check", "--format", "json"],
    );
    assert_eq!(findings(&doc, "weak")[0]["severity"], "warning");
    assert_eq!(code, 0);
    let (doc, code) = json_of(
        &p,
        &[
            "--env-file",
            ".env.local",
            "--policy",
            "prod",
            "check",
            "--format",
            "json",
        ],
    );
    assert_eq!(findings(&doc, "weak")[0]["severity"], "error");
    assert_eq!(code, 1);
}

#[test]
fn syntax_errors_are_findings_with_positions() {
    let p = TestProject::new()
        .file("compose.yaml", "services: {}\n")
        .file(".env", "A=1\nB=\"open\n");
    std::fs::set_permissions(p.join(".env"), std::fs::Permissions::from_mode(0o600)).unwrap();
    let (doc, code) = json_of(&p, &["check", "--format", "json"]);
    assert_eq!(code, 1);
    let syntax = findings(&doc, "syntax");
    assert_eq!(
        (syntax[0]["line"].as_u64(), syntax[0]["column"].as_u64()),
        (Some(2), Some(3))
    );
}

/// A unique canary in every variable of the fixture (live file, example and compose
/// literals, defaults included) never appears in any output of `check` or `refs`.
#[test]
fn no_secret_value_in_any_output() {
    let canary = |i: usize| format!("CANARYv4lue{i}zq");
    let mut live = String::new();
    let mut example = String::new();
    let names = [
        "DB_PASSWORD",
        "REDIS_PASSWORD",
        "API_TOKEN",
        "JWT_SECRET",
        "SMTP_PASSWORD",
        "TELEGRAM_BOT_TOKEN",
        "DB_USER",
        "STRAY_SECRET",
    ];
    for (i, n) in names.iter().enumerate() {
        live.push_str(&format!("{n}={}@:/\n", canary(i)));
        example.push_str(&format!("{n}={}\n", canary(100 + i)));
    }
    live.push_str(&format!("DB_PASSWORD={}\n", canary(50)));
    live.push_str("BAD LINE\n");
    let compose = format!(
        "services:\n  a:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: {}\n      URL: postgres://u:${{DB_PASSWORD}}@db\n      R: redis://:${{REDIS_PASSWORD:-{}}}@r\n      T: ${{API_TOKEN:?{}}}\n      J: ${{JWT_SECRET}}\n      S: ${{SMTP_PASSWORD-{}}}\n",
        canary(200),
        canary(201),
        "need it",
        canary(203)
    );
    let p = TestProject::new()
        .file("compose.yaml", &compose)
        .file(".env.example", &example)
        .file(".env", &live);
    // `refs` and `fill` read a valid live file (a syntax error stops them, rightly), so they
    // get the same project without the bad line.
    let q = TestProject::new()
        .file("compose.yaml", &compose)
        .file(".env.example", &example)
        .file(".env", live.replace("BAD LINE\n", ""));
    let mut runs: Vec<(&TestProject, Vec<&str>, i32)> = ["text", "json", "sarif", "github"]
        .iter()
        .map(|f| (&p, vec!["check", "--format", f], 1))
        .collect();
    runs.push((&q, vec!["refs"], 0));
    runs.push((&q, vec!["refs", "--format", "json"], 0));
    runs.push((&q, vec!["fill", "--dry-run"], 0));
    for (project, args, code) in runs {
        let out = project.cmd().args(&args).output().unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(code), "{args:?}: {all}");
        assert!(all.contains("DB_PASSWORD"), "{args:?} did its job:\n{all}");
        assert!(!all.contains("CANARY"), "{args:?} leaked a value:\n{all}");
    }
    let json = q.cmd().args(["refs", "--format", "json"]).output().unwrap();
    assert!(String::from_utf8_lossy(&json.stdout).contains(envward::report::refs::HIDDEN_DEFAULT));
}

#[test]
fn example_project_json_is_pinned() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/chat4all");
    let p = TestProject::new()
        .file(
            "compose.yaml",
            std::fs::read(root.join("compose.yaml")).unwrap(),
        )
        .file(
            ".env.example",
            std::fs::read(root.join(".env.example")).unwrap(),
        );
    let (doc, code) = json_of(&p, &["check", "--format", "json"]);
    assert_eq!(code, 1);
    insta::assert_json_snapshot!("chat4all_check", doc);
}

#[test]
fn every_common_template_name_is_found_as_the_example() {
    for name in [
        ".env.template",
        "env.template",
        ".example.env",
        "example.env",
        ".env.dist",
        ".env.defaults",
        "template.env",
    ] {
        let p = TestProject::new()
            .file(
                "compose.yaml",
                "services:\n  a:\n    image: x\n    environment:\n      S: ${SESSION_SECRET}\n",
            )
            .file(name, "SESSION_SECRET=\n");
        let (doc, _) = json_of(&p, &["check", "--format", "json"]);
        assert_eq!(doc["example_file"], name, "{name}");
        assert_eq!(status_of(&doc, "SESSION_SECRET"), "missing", "{name}");
    }
}

/// Akaunting keeps every secret in `env/run.env` and `env/db.env` and has no `.env`: a bare
/// "0 errors" read as "nothing to do" while both files held stand-in passwords. Each file is
/// judged now (sweep 29, `LibreBooking`), one section each. Where compose interpolates from the
/// absent `.env`, that stays the file judged and the text only names the others: it suggests
/// no `--env-file` run, which makes the file the one Compose interpolates from, and `fill`
/// then added the interpolation file's variables to a service's env file (docker-mautic's
/// `.mautic_env`). The exit code stays the judged file's, and JSON the inventory alone.
#[test]
fn env_files_the_services_load_but_the_run_did_not_judge_are_named() {
    let compose = "services:\n  app:\n    image: akaunting/akaunting\n    env_file:\n      - env/run.env\n    environment:\n      - AKAUNTING_SETUP\n  db:\n    image: mariadb\n    env_file:\n      - env/db.env\n";
    let p = TestProject::new()
        .file("docker-compose.yml", compose)
        .file("env/run.env", "DB_PASSWORD=akaunting_password\n")
        .file("env/db.env", "MYSQL_PASSWORD=akaunting_password\n");
    let out = p.cmd().args(["check", "--no-color"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.starts_with(".env does not exist: each env file the services load is judged as the live file (env/run.env, env/db.env)\n"),
        "{text}"
    );
    assert!(text.contains("\nenv/run.env  ("), "{text}");
    assert!(text.contains("\nenv/db.env  ("), "{text}");
    assert!(!text.contains("not judged"), "{text}");
    assert!(!text.contains("akaunting_password"));
    // Compose reads `${APP_PORT}` from `.env`: that is the file judged, the others named.
    p.write(
        "docker-compose.yml",
        compose.replace(
            "    environment:",
            "    ports: [\"${APP_PORT:-8080}:80\"]\n    environment:",
        ),
    );
    let out = p
        .cmd()
        .env_remove("APP_PORT")
        .args(["check", "--no-color"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    // The header never presents a file that is not there as judged and clean.
    assert!(text.starts_with(".env (does not exist)  ("), "{text}");
    let note = text.lines().find(|l| l.starts_with("note:")).unwrap();
    assert!(note.contains(".env does not exist"), "{note}");
    assert!(note.contains("env/run.env, env/db.env"), "{note}");
    assert!(note.contains("envward judges .env only"), "{note}");
    assert!(!note.contains("--env-file"), "{note}");
    assert!(!text.contains("akaunting_password"));
    // With the live file present, the others are still named, once each.
    p.write(".env", "COMPOSE_PROJECT_NAME=shop\n");
    let out = p.cmd().args(["check", "--no-color"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("note: the services also load env/run.env, env/db.env,"),
        "{text}"
    );
}

/// A status group holding errors and warnings counts each and marks its warnings: the header
/// once said "placeholder (2, error)" over an example host that is only a warning.
#[test]
fn a_group_of_errors_and_warnings_counts_each() {
    let p = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  app:\n    image: x\n    environment:\n      APP_URL: ${APP_URL}\n      DB_PASSWORD: ${DB_PASSWORD}\n",
        )
        .file(".env", "APP_URL=https://example.com\nDB_PASSWORD=changeme\n");
    let out = p.cmd().args(["check", "--no-color"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("placeholder (1 error, 1 warning)"), "{text}");
    let line = |name: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap()
    };
    assert!(line("APP_URL").ends_with("(warning)"), "{text}");
    assert!(!line("DB_PASSWORD").contains("(warning)"), "{text}");
}

/// weblate: no `.env`, and the services load `environment` (`env_file:`), which envward takes
/// as the live file. A `${SMTP_PASSWORD}` in compose is filled from `.env` or the shell
/// only, so it is empty in the container whatever the file says, and the `environment:`
/// entry outranks the file's line: an error under `missing`, never a green check. With
/// `--env-file environment` Compose does fill it from the file, and nothing is said.
#[test]
fn a_reference_compose_will_not_fill_from_a_picked_env_file_is_an_error() {
    let p = TestProject::new()
        .file(
            "docker-compose.yml",
            "services:\n  app:\n    image: busybox\n    env_file: ./environment\n    environment:\n      SMTP_PASSWORD: ${SMTP_PASSWORD}\n      LOG_LEVEL: info\n",
        )
        .file(
            "environment",
            "DB_PASSWORD=Kq7vN2xR9pLm4Tz8Wc3Yb6Hd1Fg5Js0A\nSMTP_PASSWORD=Zr8Pq2Lm7Xn4Vb9Kc1Td6Wy3Hs5Jf0Ge\n",
        );
    std::fs::set_permissions(
        p.join("environment"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let out = p.cmd().args(["check", "--no-color"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.starts_with("environment  ("), "{text}");
    assert!(text.contains("\nmissing (1, error)\n"), "{text}");
    assert!(
        text.contains("SMTP_PASSWORD  docker-compose.yml:6:22  is set in environment, but Compose fills ${SMTP_PASSWORD} from .env or the shell only"),
        "{text}"
    );
    assert!(!text.contains("Zr8Pq2"), "{text}");
    let out = p
        .cmd()
        .args(["--env-file", "environment", "check", "--no-color"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
}

/// A live file named otherwise finds the template named after it (Misskey's
/// `.config/docker.env` and `.config/docker_example.env`), so a value still equal to the
/// published sample is reported, however random it looks.
#[test]
fn a_live_file_named_otherwise_finds_the_template_named_after_it() {
    let sample = "POSTGRES_USER=app\nPOSTGRES_PASSWORD=Zq8vK2pLw9XmR4tY7nB3\n";
    let p = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  db:\n    image: postgres:16\n    env_file: .config/docker.env\n",
        )
        .file(".config/docker_example.env", sample)
        .file(".config/docker.env", sample);
    std::fs::set_permissions(
        p.join(".config/docker.env"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let (doc, code) = json_of(
        &p,
        &[
            "--env-file",
            ".config/docker.env",
            "check",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{doc}");
    assert_eq!(status_of(&doc, "POSTGRES_PASSWORD"), "placeholder", "{doc}");
}

/// The template beside a live file kept in a subfolder is its own (Skyvern's
/// `skyvern-frontend/.env.example`), not the root's template of another service: the root's
/// secrets are not reported missing in the UI's file.
#[test]
fn a_live_file_in_a_subfolder_finds_the_template_beside_it() {
    let p = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  api:\n    image: example/api\n    env_file: .env\n  ui:\n    image: example/ui\n    env_file: ui/.env\n",
        )
        .file(".env.example", "# generate with openssl rand -hex 32\nSESSION_KEY=\n")
        .file("ui/.env.example", "UI_TITLE=Demo\n")
        .file("ui/.env", "UI_TITLE=Demo\n");
    std::fs::set_permissions(p.join("ui/.env"), std::fs::Permissions::from_mode(0o600)).unwrap();
    let (doc, code) = json_of(&p, &["--env-file", "ui/.env", "check", "--format", "json"]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["example_file"], "ui/.env.example", "{doc}");
}

/// Skyvern's `skyvern-ui` loads `skyvern-frontend/.env`, which the docs' first step does not
/// create: Compose then refuses to start (`env file … not found`), so a green check must say
/// so. Files that may be missing (`required: false`) and services behind a profile (Compose
/// reads env files only for what it starts) are not named; the exit code stays the judged
/// file's own.
#[test]
fn an_env_file_a_service_loads_that_does_not_exist_gets_a_note_naming_its_template() {
    let project = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  api:\n    image: x\n    env_file: .env\n    environment:\n      - PORT=${PORT}\n  ui:\n    image: y\n    env_file: ui/.env\n  tools:\n    image: z\n    profiles: [tools]\n    env_file: tools/.env\n  opt:\n    image: w\n    env_file:\n      - path: opt.env\n        required: false\n",
        )
        .file(".env.example", "PORT=8080\n")
        .file(".env", "PORT=8080\n")
        .file("ui/.env.example", "API_URL=http://api:8080\n");
    let (text, code) = text_of(&project);
    assert_eq!(code, 0, "nothing in .env is wrong: {text}");
    assert!(
        text.contains(
            "note: ui/.env does not exist, and service ui loads it: Compose will not start until it does; its template is ui/.env.example"
        ),
        "{text}"
    );
    assert!(
        !text.contains("tools/.env") && !text.contains("opt.env"),
        "{text}"
    );
    // Once it exists, the note is the one about files this run does not judge.
    project.write("ui/.env", "API_URL=http://api:8080\n");
    let (text, _) = text_of(&project);
    assert!(!text.contains("does not exist"), "{text}");
    let json = project
        .cmd()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        serde_json::from_slice::<Value>(&json.stdout).is_ok(),
        "json stays a document"
    );
}

/// Without an example, the variables compose reads are listed once, counted in words a user
/// reads right: a plain `${X}` is read, not required (Compose leaves it empty), and one is
/// "1 variable".
#[test]
fn without_an_example_the_variables_compose_reads_are_named_once() {
    let project = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  app:\n    image: x\n    environment:\n      - KEY=${LLM_API_KEY}\n",
        )
        .file(".env", "APP_PORT=8080\n");
    let (text, _) = text_of(&project);
    assert!(
        text.contains(
            "there is no .env.example to document the 1 variable compose reads: LLM_API_KEY"
        ),
        "{text}"
    );
}

/// komodo writes `KOMODO_AWS_ACCESS_KEY_ID= # Alt: …_FILE`: Compose keeps the comment as the
/// value, which then fails the key id's format. The message says why and how to fix it,
/// without the value; and a provider named with a vowel takes "an".
#[test]
fn a_comment_read_as_the_value_is_named_as_such() {
    let project = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  app:\n    image: x\n    env_file: .env\n",
        )
        .file(
            ".env",
            "AWS_ACCESS_KEY_ID= # Alt: AWS_ACCESS_KEY_ID_FILE\nOPENAI_API_KEY=not-a-key-1234567890\n",
        );
    let (text, code) = text_of(&project);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("AWS_ACCESS_KEY_ID") && text.contains("is the comment written after its `=`"),
        "{text}"
    );
    assert!(
        text.contains("does not have the format of an OpenAI API key"),
        "{text}"
    );
    assert!(
        !text.contains("Alt:") && !text.contains("not-a-key"),
        "no value printed: {text}"
    );
}

/// boxyhq/jackson: `JACKSON_API_KEYS=secret` is the key list every admin API call is checked
/// against. Plural names were configuration, so `check` was green on `secret`; after `fill`
/// each holds one strong token (a one-element list) and `check` is green for good.
#[test]
fn a_plural_secret_name_is_judged_and_filled() {
    let template = "# Comma-separated API keys that may call the admin API\nAPP_API_KEYS=secret\nADMIN_TOKENS=secret\nDB_PASSWORDS=secret\nOPENAI_MAX_TOKENS=4096\n";
    let p = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  app:\n    image: example/app:1\n    environment:\n      - APP_API_KEYS=${APP_API_KEYS}\n      - ADMIN_TOKENS=${ADMIN_TOKENS}\n      - DB_PASSWORDS=${DB_PASSWORDS}\n      - OPENAI_MAX_TOKENS=${OPENAI_MAX_TOKENS}\n      - LITERAL_API_KEYS=secret\n",
        )
        .file(".env.example", template)
        .file(".env", template);
    std::fs::set_permissions(p.join(".env"), std::fs::Permissions::from_mode(0o600)).unwrap();
    let (doc, code) = json_of(&p, &["check", "--format", "json"]);
    assert_eq!(code, 1);
    for name in ["APP_API_KEYS", "ADMIN_TOKENS", "DB_PASSWORDS"] {
        assert_eq!(status_of(&doc, name), "placeholder", "{name}");
    }
    assert_eq!(status_of(&doc, "OPENAI_MAX_TOKENS"), "ok");
    let hardcoded: Vec<&Value> = findings(&doc, "hardcoded");
    assert_eq!(hardcoded.len(), 1);
    assert_eq!(hardcoded[0]["variable"], "LITERAL_API_KEYS");
    // It exits 1: the compose literal is still there.
    p.cmd().args(["fill", "--yes"]).assert().code(1);
    let env = p.read(".env");
    assert!(env.contains("OPENAI_MAX_TOKENS=4096\n"));
    assert!(!env.contains("=secret"));
    // The compose literal is the user's to move into .env; everything else is now clean.
    let (doc, _) = json_of(&p, &["check", "--format", "json"]);
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["hardcoded"]);
}
