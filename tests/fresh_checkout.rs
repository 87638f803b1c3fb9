//! A fresh checkout, as a user has it before the first `cp .env.example .env`: `fill` makes
//! the live file in one run, stand-ins and all replaced; and when the compose file lives in a
//! folder of its own and its services load `../.env`, that file is the one judged and filled,
//! not an empty `.env` beside the compose file.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;

use common::{Home, TestProject};
use serde_json::Value;

/// Services that get their secrets only through `env_file:` (nothing is interpolated), the
/// way Ghostfolio, Tandoor and many others ship: the template's stand-ins reach the app only
/// by being copied into the live file.
const COMPOSE_IN_DOCKER: &str = "services:
  app:
    image: example/app:1
    env_file:
      - ../.env
  postgres:
    image: postgres:16
    env_file:
      - ../.env
";

const EXAMPLE: &str = "COMPOSE_PROJECT_NAME=shop
REDIS_HOST=redis
REDIS_PASSWORD=<INSERT_REDIS_PASSWORD>
POSTGRES_USER=user
POSTGRES_PASSWORD=<INSERT_POSTGRES_PASSWORD>
ACCESS_TOKEN_SALT=<INSERT_RANDOM_STRING>
JWT_SECRET_KEY=<INSERT_RANDOM_STRING>
";

const SECRETS: [&str; 4] = [
    "REDIS_PASSWORD",
    "POSTGRES_PASSWORD",
    "ACCESS_TOKEN_SALT",
    "JWT_SECRET_KEY",
];

fn docker_folder_project() -> TestProject {
    TestProject::new()
        .file("docker/docker-compose.yml", COMPOSE_IN_DOCKER)
        .file(".env.example", EXAMPLE)
}

fn check_json(home: &Home, p: &TestProject, args: &[&str]) -> (Option<i32>, Value) {
    let out = home
        .on(p)
        .args(args)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), json)
}

/// `(variable, rule)` of every finding.
fn findings(json: &Value) -> Vec<(String, String)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["variable"].as_str().unwrap_or_default().to_string(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn values(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn the_env_file_the_services_load_from_the_folder_above_is_the_one_checked() {
    let p = docker_folder_project();
    let home = Home::new();
    p.write(".env", EXAMPLE);
    std::fs::set_permissions(p.join(".env"), std::fs::Permissions::from_mode(0o600)).unwrap();
    let (code, json) = check_json(&home, &p, &["-f", "docker/docker-compose.yml"]);
    // Before, this judged an empty docker/.env and called the project clean (exit 0).
    assert_eq!(code, Some(1), "{json}");
    assert_eq!(json["env_file"], ".env");
    assert_eq!(json["example_file"], ".env.example");
    let mut flagged: Vec<(String, String)> = findings(&json);
    flagged.sort();
    let mut expected: Vec<(String, String)> = SECRETS
        .iter()
        .map(|s| ((*s).to_string(), "placeholder".to_string()))
        .collect();
    expected.sort();
    assert_eq!(flagged, expected, "the four stand-ins, and nothing else");

    // fill writes that file, not one beside the compose file, and the result is clean.
    home.on(&p)
        .args(["-f", "docker/docker-compose.yml", "fill", "--yes"])
        .assert()
        .code(0);
    assert!(!p.join("docker/.env").exists());
    let filled = values(&p.read(".env"));
    for s in SECRETS {
        assert!(!filled[s].contains("INSERT"), "{s} was generated");
    }
    assert_eq!(filled["POSTGRES_USER"], "user", "configuration is kept");
    let (code, json) = check_json(&home, &p, &["-f", "docker/docker-compose.yml"]);
    assert_eq!((code, findings(&json)), (Some(0), Vec::new()), "{json}");

    // backup takes the same file.
    let out = home
        .on(&p)
        .args(["-f", "docker/docker-compose.yml", "backup"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("backup .env."),
        "{out:?}"
    );
}

#[test]
fn a_fresh_checkout_is_filled_in_one_run_as_after_copying_the_example() {
    // Fresh: no live file at all. Before, fill copied the four stand-ins in, generated
    // nothing, and asked to be run again.
    let fresh = docker_folder_project();
    let home = Home::new();
    let out = home
        .on(&fresh)
        .args(["-f", "docker/docker-compose.yml", "fill", "--yes"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(".env does not exist: it will be created from .env.example"));
    assert!(stdout.contains("4 values to generate in .env"), "{stdout}");
    let created = fresh.read(".env");
    assert_eq!(
        values(&created).keys().collect::<Vec<_>>(),
        values(EXAMPLE).keys().collect::<Vec<_>>(),
        "the example's keys, in its order"
    );
    let (code, json) = check_json(&home, &fresh, &["-f", "docker/docker-compose.yml"]);
    assert_eq!((code, findings(&json)), (Some(0), Vec::new()), "{json}");

    // The same plan as `cp .env.example .env` then fill (values differ: they are random).
    let copied = docker_folder_project();
    copied.write(".env", EXAMPLE);
    let plan = |p: &TestProject| -> Vec<String> {
        let out = home
            .on(p)
            .args(["-f", "docker/docker-compose.yml", "fill", "--dry-run"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.starts_with("  "))
            .map(str::to_string)
            .collect()
    };
    let fresh_again = docker_folder_project();
    assert_eq!(plan(&fresh_again), plan(&copied));
    assert_eq!(plan(&copied).len(), 4);
}

#[test]
fn an_example_in_the_project_folder_keeps_env_there_as_the_live_file() {
    // The services also load a file of their own: `.env` (absent, with its example beside
    // the compose file) is still the live file, and app.env is only read.
    let p = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  app:\n    image: example/app:1\n    env_file: app.env\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n",
        )
        .file("app.env", "LOG_LEVEL=info\n")
        .file(".env.example", "DB_PASSWORD=changeme\n");
    let home = Home::new();
    let (code, json) = check_json(&home, &p, &[]);
    assert_eq!(json["env_file"], ".env", "{json}");
    assert_eq!(code, Some(1));
    assert_eq!(
        findings(&json),
        vec![("DB_PASSWORD".to_string(), "missing".to_string())]
    );
    home.on(&p).args(["fill", "--yes"]).assert().code(0);
    assert_eq!(
        p.read("app.env"),
        "LOG_LEVEL=info\n",
        "app.env is untouched"
    );
    assert!(!values(&p.read(".env"))["DB_PASSWORD"].contains("changeme"));
}

#[test]
fn two_different_env_files_are_not_guessed_between() {
    let p = TestProject::new()
        .file(
            "docker/compose.yml",
            "services:\n  a:\n    image: example/a\n    env_file: ../a.env\n  b:\n    image: example/b\n    env_file: ../b.env\n",
        )
        .file("a.env", "A_PASSWORD=changeme\n")
        .file("b.env", "B_PASSWORD=changeme\n");
    let home = Home::new();
    let (_, json) = check_json(&home, &p, &["-f", "docker/compose.yml"]);
    // Neither is taken for the other: each is judged (sweep 29), in the order first named.
    assert_eq!(
        json["env_files"],
        serde_json::json!(["a.env", "b.env"]),
        "{json}"
    );
    assert_eq!(json["files"][1]["env_file"], "b.env", "{json}");
}

#[test]
fn a_password_a_mounted_config_file_repeats_is_left_for_the_user_to_change_in_both() {
    // Misskey's layout: postgres takes the password from the env file, the app from the
    // YAML it mounts. Regenerating only the env file's copy locks the app out.
    let p = TestProject::new()
        .file(
            "compose.yml",
            "services:\n  web:\n    image: misskey/misskey:latest\n    volumes:\n      - ./.config:/misskey/.config:ro\n  db:\n    image: postgres:15-alpine\n    env_file:\n      - .config/docker.env\n",
        )
        .file(
            ".config/docker_example.env",
            "POSTGRES_PASSWORD=example-misskey-pass\nPOSTGRES_USER=example-misskey-user\nPOSTGRES_DB=misskey\n",
        )
        .file(
            ".config/default.yml",
            "url: https://example.tld/\ndb:\n  host: db\n  user: example-misskey-user\n  pass: example-misskey-pass\n",
        )
        .file("files/note.yml", "pass: example-misskey-pass\n");
    p.write(".config/docker.env", p.read(".config/docker_example.env"));
    std::fs::set_permissions(
        p.join(".config/docker.env"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let home = Home::new();
    let args = [
        "--env-file",
        ".config/docker.env",
        "--example",
        ".config/docker_example.env",
    ];
    // Still flagged: the value is a public sample.
    let (code, json) = check_json(&home, &p, &args);
    assert_eq!(code, Some(1));
    assert_eq!(
        findings(&json),
        vec![("POSTGRES_PASSWORD".to_string(), "placeholder".to_string())]
    );
    let text = home.on(&p).args(args).arg("check").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("POSTGRES_PASSWORD (also pass in .config/default.yml)"),
        "{text}"
    );
    // …but fill leaves the pair alone, and says why.
    let before = p.read(".config/docker.env");
    let out = home
        .on(&p)
        .args(args)
        .args(["fill", "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(p.read(".config/docker.env"), before);
    assert_eq!(
        p.read(".config/default.yml")
            .matches("example-misskey-pass")
            .count(),
        1
    );

    // A folder no service mounts ties nothing; nor does a key that names no secret.
    p.write(
        ".config/default.yml",
        "url: https://example.tld/\ndb:\n  host: db\n  user: example-misskey-user\n",
    );
    home.on(&p)
        .args(args)
        .args(["fill", "--yes"])
        .assert()
        .code(0);
    assert!(
        !p.read(".config/docker.env")
            .contains("example-misskey-pass")
    );
}

#[test]
fn before_the_first_fill_check_says_the_live_file_the_services_load_is_missing() {
    let p = docker_folder_project();
    let home = Home::new();
    let (code, json) = check_json(&home, &p, &["-f", "docker/docker-compose.yml"]);
    assert_eq!(code, Some(1), "Compose would not start: {json}");
    let file_level: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["variable"].is_null())
        .collect();
    assert_eq!(file_level.len(), 1, "{json}");
    assert_eq!(file_level[0]["rule"], "missing");
    assert_eq!(file_level[0]["file"], ".env");
    let message = file_level[0]["message"].as_str().unwrap();
    assert!(
        message.contains("services app, postgres load it"),
        "{message}"
    );
    assert!(
        message.contains("`envward fill` creates it from .env.example"),
        "{message}"
    );

    // `required: false` lets Compose start without it: nothing to say about the file.
    let optional = TestProject::new().file(
        "compose.yaml",
        "services:\n  app:\n    image: example/app:1\n    env_file:\n      - path: .env\n        required: false\n",
    );
    let (code, json) = check_json(&home, &optional, &[]);
    assert_eq!((code, findings(&json)), (Some(0), Vec::new()), "{json}");
}

#[test]
fn a_known_image_loading_the_live_file_from_the_folder_above_needs_its_password() {
    // The env_file: entry is compared with the live file wherever envward runs from: with
    // the compose file in docker/, `../.env` once never matched `.env`, so an empty
    // POSTGRES_PASSWORD that postgres cannot start without passed unnoticed.
    let p = TestProject::new()
        .file(
            "docker/compose.yml",
            "services:\n  db:\n    image: postgres:16\n    env_file: ../.env\n",
        )
        .file(".env.example", "POSTGRES_USER=app\nPOSTGRES_PASSWORD=\n");
    p.write(".env", "POSTGRES_USER=app\nPOSTGRES_PASSWORD=\n");
    std::fs::set_permissions(p.join(".env"), std::fs::Permissions::from_mode(0o600)).unwrap();
    let home = Home::new();
    for args in [
        &["-f", "docker/compose.yml"][..],
        &["-f", "docker/compose.yml", "--env-file", ".env"][..],
    ] {
        let (code, json) = check_json(&home, &p, args);
        assert_eq!(code, Some(1), "{args:?}: {json}");
        // The template beside the live file is its example.
        assert_eq!(json["example_file"], ".env.example", "{args:?}");
        assert_eq!(
            findings(&json),
            vec![("POSTGRES_PASSWORD".to_string(), "missing".to_string())],
            "{args:?}"
        );
    }
}

#[test]
fn a_service_loading_the_default_env_keeps_it_the_live_file() {
    let p = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  app:\n    image: example/app\n    env_file: [.env, app.env]\n",
        )
        .file("app.env", "APP_PASSWORD=changeme\n");
    let home = Home::new();
    let (_, json) = check_json(&home, &p, &[]);
    assert_eq!(json["env_file"], ".env", "{json}");
}

#[test]
fn a_mounted_folder_that_links_out_of_the_project_is_not_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("app.yml"), "pass: example-app-pass\n").unwrap();
    let p = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  app:\n    image: example/app\n    env_file: .env\n    volumes:\n      - ./linked/conf:/conf\n",
        )
        .file(".env.example", "APP_DB_PASSWORD=example-app-pass\n");
    std::os::unix::fs::symlink(outside.path(), p.join("linked")).unwrap();
    std::fs::create_dir(outside.path().join("conf")).unwrap();
    std::fs::write(
        outside.path().join("conf/app.yml"),
        "pass: example-app-pass\n",
    )
    .unwrap();
    p.write(".env", "APP_DB_PASSWORD=example-app-pass\n");
    std::fs::set_permissions(p.join(".env"), std::fs::Permissions::from_mode(0o600)).unwrap();
    let home = Home::new();
    // Not pinned to a file outside the project: fill replaces the sample.
    home.on(&p).args(["fill", "--yes"]).assert().code(0);
    assert!(!p.read(".env").contains("example-app-pass"));
}
