//! `envward fill`: strong values for every generatable secret, written 0600 and atomically,
//! untouched lines kept byte for byte, readable back identically by Compose's rules and by
//! dotenvy; created from the example when there is no `.env`.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

mod common;

use std::collections::HashMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use common::{Home, TestProject};
use serde_json::Value;

const COMPOSE: &str = "services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: ${DB_USER:-app}
      POSTGRES_PASSWORD: ${DB_PASSWORD}
  api:
    image: example/api
    environment:
      DATABASE_URL: postgres://app:${DB_PASSWORD}@db/app
      REDIS_URL: redis://:${REDIS_PASSWORD}@redis:6379/0
      JWT_SIGNING_KEY: ${JWT_SIGNING_KEY}
      SESSION_SECRET: ${SESSION_SECRET}
      WEBHOOK_VERIFY_TOKEN: ${WEBHOOK_VERIFY_TOKEN}
      TELEGRAM_BOT_TOKEN: ${TELEGRAM_BOT_TOKEN}
      OPENAI_API_KEY: ${OPENAI_API_KEY}
";

const EXAMPLE: &str = "# Database
DB_USER=app
DB_PASSWORD=change_me

# Cache
REDIS_PASSWORD=change_me

# Keys
JWT_SIGNING_KEY=generate_strong_key_here
SESSION_SECRET=
WEBHOOK_VERIFY_TOKEN=your_verify_token

# Providers (from their consoles)
TELEGRAM_BOT_TOKEN=your_bot_token_here
OPENAI_API_KEY=sk-your-openai-key
";

const LIVE: &str = "# Local settings: keep this comment exactly.
DB_USER=app
DB_PASSWORD=change_me # still the template value
REDIS_PASSWORD=redis123

JWT_SIGNING_KEY=
TELEGRAM_BOT_TOKEN=your_bot_token_here
OPENAI_API_KEY='sk-your-openai-key'
# trailing comment
EXTRA='keep me'
";

const GENERATED: [&str; 5] = [
    "DB_PASSWORD",
    "REDIS_PASSWORD",
    "JWT_SIGNING_KEY",
    "SESSION_SECRET",
    "WEBHOOK_VERIFY_TOKEN",
];

/// A project plus a private home for the age identity.
struct Setup {
    project: TestProject,
    home: tempfile::TempDir,
}

impl Setup {
    fn new(live: Option<&str>) -> Self {
        let mut project = TestProject::new()
            .file("compose.yaml", COMPOSE)
            .file(".env.example", EXAMPLE);
        if let Some(l) = live {
            project = project.file(".env", l);
            std::fs::set_permissions(project.join(".env"), std::fs::Permissions::from_mode(0o644))
                .unwrap();
        }
        Setup {
            project,
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn cmd(&self) -> assert_cmd::Command {
        let mut c = self.project.cmd();
        c.env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join(".config"))
            .env_remove("ENVWARD_IDENTITY");
        c
    }

    fn check(&self) -> Value {
        let out = self
            .cmd()
            .args(["check", "--format", "json"])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn compose_map(path: &Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap();
    envward::dotenv::parse(&text)
        .unwrap()
        .to_map(&|_: &str| None)
        .unwrap()
}

fn dotenvy_map(path: &Path) -> HashMap<String, String> {
    dotenvy::from_path_iter(path)
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn generatable_findings(doc: &Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            matches!(
                f["rule"].as_str(),
                Some("missing" | "placeholder" | "weak" | "weak-default")
            )
        })
        .filter(|f| GENERATED.contains(&f["variable"].as_str().unwrap_or("")))
        .map(ToString::to_string)
        .collect()
}

#[test]
fn fill_fixes_every_generatable_secret_and_nothing_else() {
    let s = Setup::new(Some(LIVE));
    let out = s.cmd().args(["fill", "--yes"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    // Written, but provider tokens are left: fill says so and exits 1.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("it was 0644"), "{stdout}");
    assert!(
        stdout.contains("2 need a value from their provider: TELEGRAM_BOT_TOKEN, OPENAI_API_KEY"),
        "{stdout}"
    );
    let env = s.project.join(".env");
    assert_eq!(std::fs::metadata(&env).unwrap().mode() & 0o777, 0o600);

    let doc = s.check();
    assert!(
        generatable_findings(&doc).is_empty(),
        "{:?}",
        generatable_findings(&doc)
    );
    for external in ["TELEGRAM_BOT_TOKEN", "OPENAI_API_KEY"] {
        assert!(
            doc["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["variable"] == external && f["rule"] == "placeholder"),
            "{external} must still be flagged"
        );
    }

    // Untouched lines, comments included, keep their bytes and order.
    let new = s.project.read(".env");
    let untouched: Vec<&str> = LIVE
        .lines()
        .filter(|l| !GENERATED.iter().any(|k| l.starts_with(&format!("{k}="))))
        .collect();
    let kept: Vec<&str> = new
        .lines()
        .filter(|l| !GENERATED.iter().any(|k| l.starts_with(&format!("{k}="))))
        .collect();
    assert_eq!(kept, untouched);
    assert!(new.contains("DB_PASSWORD=") && new.contains(" # still the template value\n"));

    // Values inside URIs are made of RFC 3986 unreserved characters only.
    let values = compose_map(&env);
    for k in ["DB_PASSWORD", "REDIS_PASSWORD"] {
        assert!(
            values[k]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c)),
            "{k} is not URI-safe"
        );
        assert!(values[k].len() >= 32);
    }
    // Compose's rules and dotenvy read every value identically.
    assert_eq!(compose_map(&env), dotenvy_map(&env));

    // A second fill changes nothing, and still says what is left.
    let before = s.project.read(".env");
    s.cmd()
        .args(["fill", "--yes"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("still to do"));
    assert_eq!(s.project.read(".env"), before);
}

#[test]
fn without_env_fill_creates_it_from_the_example() {
    let s = Setup::new(None);
    s.cmd().args(["fill", "--yes"]).assert().code(1);
    let created = s.project.read(".env");
    let comments = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.starts_with('#') || l.is_empty())
            .map(str::to_string)
            .collect()
    };
    assert_eq!(comments(&created), comments(EXAMPLE));
    let keys = |t: &str| -> Vec<String> {
        t.lines()
            .filter_map(|l| l.split_once('=').map(|(k, _)| k.to_string()))
            .collect()
    };
    assert_eq!(keys(&created), keys(EXAMPLE));
    assert!(created.contains("DB_USER=app\n"));
    assert!(created.contains("TELEGRAM_BOT_TOKEN=your_bot_token_here\n"));
    assert_eq!(
        std::fs::metadata(s.project.join(".env")).unwrap().mode() & 0o777,
        0o600
    );
    assert!(generatable_findings(&s.check()).is_empty());
}

#[test]
fn a_new_env_file_is_created_like_env_and_a_clean_fill_exits_0() {
    let s = Setup::new(None);
    s.project.write(
        "compose.yaml",
        "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n",
    );
    s.project.write(".env.example", "DB_PASSWORD=\n");
    let out = s
        .cmd()
        .args(["--env-file", ".env.staging", "fill", "--yes"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(s.project.join(".env.staging").is_file(), "{stdout}");
    assert!(!s.project.join(".env").exists());
    assert!(stdout.contains("is clean: nothing left to do"), "{stdout}");
    assert_eq!(out.status.code(), Some(0), "{stdout}");
}

#[test]
fn crlf_lines_stay_crlf() {
    let live = LIVE.replace('\n', "\r\n");
    let s = Setup::new(Some(&live));
    s.cmd().args(["fill", "--yes"]).assert().code(1);
    let new = s.project.read(".env");
    assert!(
        !new.replace("\r\n", "").contains('\n'),
        "every line still ends in CRLF"
    );
    assert!(new.contains("# Local settings: keep this comment exactly.\r\n"));
}

#[test]
fn without_terminal_or_yes_nothing_is_written() {
    let s = Setup::new(Some(LIVE));
    let before = s.project.snapshot();
    s.cmd().arg("fill").assert().code(1);
    assert_eq!(s.project.snapshot(), before);
    let out = s.cmd().args(["fill", "--dry-run"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(s.project.snapshot(), before);
    let text = String::from_utf8(out.stdout).unwrap();
    for k in GENERATED {
        assert!(text.contains(k), "the plan names {k}");
    }
}

#[test]
fn umask_000_still_gives_0600() {
    let s = Setup::new(None);
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 000; exec '{}' -C '{}' fill --yes",
            env!("CARGO_BIN_EXE_envward"),
            s.project.path().display()
        ))
        .env("HOME", s.home.path())
        .env("XDG_CONFIG_HOME", s.home.path().join(".config"))
        .env_remove("ENVWARD_IDENTITY")
        .status()
        .unwrap();
    // Written; the provider tokens left make it exit 1.
    assert_eq!(status.code(), Some(1));
    for entry in std::fs::read_dir(s.project.path()).unwrap() {
        let e = entry.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(".env") && name != ".env.example" {
            assert_eq!(e.metadata().unwrap().mode() & 0o777, 0o600, "{name}");
        }
    }
}

#[test]
fn symlinked_env_is_refused_unless_followed() {
    let s = Setup::new(None);
    s.project.write("real.env", LIVE);
    std::os::unix::fs::symlink("real.env", s.project.join(".env")).unwrap();
    let before = s.project.snapshot();
    let out = s.cmd().args(["fill", "--yes"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("error: ") && err.contains("symbolic link"),
        "{err}"
    );
    assert_eq!(s.project.snapshot(), before);
    s.cmd()
        .args(["--follow-symlinks", "fill", "--yes"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("wrote .env"));
    assert!(
        std::fs::symlink_metadata(s.project.join(".env"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_ne!(s.project.read("real.env"), LIVE);
    assert_eq!(
        std::fs::metadata(s.project.join("real.env"))
            .unwrap()
            .mode()
            & 0o777,
        0o600
    );
}

/// Aborts `envward fill` at every step of every write of a save (old-content backup,
/// new-content backup, live file) and checks the live file is always the old or the new
/// content, whole, and nothing is left readable by others.
#[cfg(feature = "failpoints")]
#[test]
fn crash_at_any_step_leaves_old_or_new_whole() {
    use std::os::unix::process::ExitStatusExt;
    for step in [
        "before-temp",
        "after-temp-write",
        "after-fsync",
        "after-rename",
    ] {
        for n in 1..=3 {
            let s = Setup::new(Some(LIVE));
            // The identity is created outside the crash, by a first harmless command.
            s.cmd().arg("key").assert().success();
            let out = s
                .cmd()
                .args(["fill", "--yes"])
                .env("ENVWARD_FAILPOINT", format!("{step}:{n}"))
                .output()
                .unwrap();
            assert_eq!(out.status.signal(), Some(6), "{step}:{n} should abort");
            let now = s.project.read(".env");
            if now != LIVE {
                // The new content, whole: it parses and fixes every generatable secret.
                envward::dotenv::parse(&now).unwrap();
                assert!(generatable_findings(&s.check()).is_empty(), "{step}:{n}");
                assert!(
                    step == "after-rename" && n == 3,
                    "{step}:{n} replaced the live file early"
                );
            }
            for entry in std::fs::read_dir(s.project.path()).unwrap() {
                let e = entry.unwrap();
                let name = e.file_name().to_string_lossy().into_owned();
                if name.contains("envward-tmp") || name.contains(".age") {
                    assert_eq!(
                        e.metadata().unwrap().mode() & 0o077,
                        0,
                        "{name} at {step}:{n}"
                    );
                }
            }
        }
    }
}

/// Firefly III's layout: the app reads `.env`, its database `.db.env`, and the one password
/// is written in both.
#[test]
fn a_password_kept_in_two_env_files_is_never_changed_in_one() {
    let compose = "services:
  app:
    image: fireflyiii/core
    env_file: .env
  db:
    image: mariadb:lts
    env_file: .db.env
";
    let live = "DB_CONNECTION=mysql\nDB_PASSWORD=secret_firefly_password\nSTATIC_CRON_TOKEN=\n";
    let db = "MYSQL_USER=firefly\nMYSQL_PASSWORD=secret_firefly_password\n";
    let project = TestProject::new()
        .file("compose.yaml", compose)
        .file(".env", live)
        .file(".db.env", db);
    let home = Home::new();
    let run = |args: &[&str]| home.on(&project).args(args).output().unwrap();
    let check = run(&["check", "--no-color"]);
    let said = String::from_utf8_lossy(&check.stdout);
    // Still flagged (it is a sample), and the way out is named.
    assert_eq!(check.status.code(), Some(1), "{said}");
    assert!(said.contains("DB_PASSWORD"), "{said}");
    assert!(
        said.contains("to change in both together: DB_PASSWORD (also MYSQL_PASSWORD in .db.env)"),
        "{said}"
    );
    assert!(!said.contains("secret_firefly_password"), "{said}");
    let fill = run(&["fill", "--yes", "--no-color"]);
    let out =
        String::from_utf8_lossy(&fill.stdout).to_string() + &String::from_utf8_lossy(&fill.stderr);
    // The app and its database keep one password: fill does not write half of the pair.
    let after = compose_map(&project.join(".env"));
    assert_eq!(after["DB_PASSWORD"], "secret_firefly_password", "{out}");
    assert_eq!(project.read(".db.env"), db);
    assert!(out.contains("MYSQL_PASSWORD in .db.env"), "{out}");
    assert!(!out.contains("secret_firefly_password"), "{out}");
}

/// solidtime's layout, judged from the app's side: postgres gets `DB_PASSWORD` from `.env`
/// by interpolation, the app from `laravel.env`. `envward --env-file laravel.env fill` once
/// rewrote the app's copy alone and the app could no longer log in.
#[test]
fn a_password_also_in_the_projects_env_is_kept_when_another_file_is_live() {
    let compose = "services:
  app:
    image: solidtime/solidtime
    env_file: laravel.env
  database:
    image: postgres:15
    environment:
      POSTGRES_PASSWORD: '${DB_PASSWORD:-secret}'
";
    let env = "DB_PASSWORD=randompassword\n";
    let laravel = "APP_KEY=\nDB_PASSWORD=randompassword\n";
    let project = TestProject::new()
        .file("compose.yaml", compose)
        .file(".env", env)
        .file("laravel.env", laravel);
    let home = Home::new();
    let fill = home
        .on(&project)
        .args(["--env-file", "laravel.env", "fill", "--yes", "--no-color"])
        .output()
        .unwrap();
    let out =
        String::from_utf8_lossy(&fill.stdout).to_string() + &String::from_utf8_lossy(&fill.stderr);
    let after = compose_map(&project.join("laravel.env"));
    assert_eq!(after["DB_PASSWORD"], "randompassword", "{out}");
    assert_eq!(project.read(".env"), env);
    assert!(out.contains("DB_PASSWORD in .env"), "{out}");
    // The rest of the file is still filled.
    assert!(after["APP_KEY"].starts_with("base64:"), "{out}");
    assert!(!out.contains("randompassword"), "{out}");
}

/// Authentik's docs build `.env` with `echo … >> .env`: there is no example. `fill` said the
/// new file would be "created from .env.example", a file that does not exist.
#[test]
fn without_an_example_fill_says_it_creates_the_file_from_nothing() {
    let project = TestProject::new().file(
        "compose.yaml",
        "services:\n  app:\n    image: x\n    environment:\n      PG_PASS: ${PG_PASS:?database password required}\n",
    );
    let home = Home::new();
    let out = home
        .on(&project)
        .args(["fill", "--dry-run", "--no-color"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(".env does not exist: it will be created\n"),
        "{text}"
    );
    assert!(!text.contains(".env.example"), "{text}");
}

/// monica: the app's `DB_PASSWORD` equals the literal `MYSQL_PASSWORD` the database service gets
/// in compose. `fill` must leave it (a new value on one side locks the app out), and both
/// `check` and `fill` say where the other half is, instead of "nothing to fill" alone.
#[test]
fn a_password_tied_to_a_compose_literal_is_left_and_the_literal_named() {
    let compose = "services:\n  app:\n    image: monica\n    env_file: .env\n  db:\n    image: mariadb:11\n    environment:\n      - MYSQL_PASSWORD=secret\n";
    let p = TestProject::new()
        .file("docker-compose.yml", compose)
        .file(".env", "DB_USERNAME=monica\nDB_PASSWORD=secret\n");
    std::fs::set_permissions(p.join(".env"), std::fs::Permissions::from_mode(0o600)).unwrap();
    let step = "kept in two places, to change in both together: DB_PASSWORD (also MYSQL_PASSWORD in docker-compose.yml:8)";
    let out = p.cmd().args(["check", "--no-color"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains(step), "{text}");
    let before = p.read(".env");
    let out = p
        .cmd()
        .args(["fill", "--yes", "--no-color"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(
            "nothing to fill: no secret in .env that is missing, placeholder or weak can be generated"
        ),
        "{text}"
    );
    assert!(text.contains(step), "{text}");
    assert_eq!(p.read(".env"), before);
}

/// rybbit on a fresh checkout: `check` asks the user to choose `DOMAIN_NAME`, and `fill`
/// creates `.env` from the example, whose value is the vendor's demo host. `fill` keeps it
/// (it is a setting, not a secret) but says so, before writing and in a dry run.
#[test]
fn a_fresh_fill_names_the_settings_it_copies_from_the_example() {
    let p = TestProject::new()
        .file(
            ".env.example",
            "DOMAIN_NAME=demo.rybbit.io\nBASE_URL=\"https://${DOMAIN_NAME}\"\nAUTH_SECRET=\nLOG_LEVEL=info\n",
        )
        .file(
            "docker-compose.yml",
            "services:\n  caddy:\n    image: caddy\n    environment:\n      - DOMAIN_NAME=${DOMAIN_NAME}\n      - LOG_LEVEL=${LOG_LEVEL:-info}\n  backend:\n    image: busybox\n    environment:\n      - BETTER_AUTH_SECRET=${AUTH_SECRET}\n      - BASE_URL=${BASE_URL}\n",
        );
    let line = "  copied as the example has it, yours to choose: DOMAIN_NAME\n";
    let out = p
        .cmd()
        .args(["fill", "--dry-run", "--no-color"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(line), "{text}");
    assert!(!p.join(".env").exists());
    let out = p
        .cmd()
        .args(["fill", "--yes", "--no-color"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(line), "{text}");
    assert!(p.read(".env").contains("DOMAIN_NAME=demo.rybbit.io\n"));
    // With the file there, nothing is copied and nothing is said.
    let out = p
        .cmd()
        .args(["fill", "--dry-run", "--no-color"])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8(out.stdout)
            .unwrap()
            .contains("yours to choose")
    );
}

#[test]
fn server_passwords_the_template_only_comments_out_are_filled_and_kept_in_step() {
    // Bookwyrm's layout: every password a commented-out sample, postgres loading `.env`,
    // Redis told `--requirepass ${REDIS_PASSWORD}`, a backup job logging in with the same
    // postgres password. A green check and "clean" once left postgres unable to initialise.
    let s = Setup::new(None);
    s.project.write(
        "compose.yaml",
        "services:\n  db:\n    image: postgres:17\n    env_file: .env\n  redis:\n    image: redis:7\n    command: redis-server --requirepass ${REDIS_PASSWORD} --appendonly yes\n  backup:\n    image: postgres:17\n    environment:\n      - PGPASSWORD=${POSTGRES_PASSWORD}\n",
    );
    let example = "# Generate secrets with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'\n# POSTGRES_PASSWORD=securedbypassword123\n# REDIS_PASSWORD=redispassword345\nPOSTGRES_USER=app\n";
    s.project.write(".env.example", example);
    s.project.write(".env", example);
    std::fs::set_permissions(
        s.project.join(".env"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    let before = s.check();
    let mut missing: Vec<String> = before["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "missing")
        .map(|f| f["variable"].as_str().unwrap().to_string())
        .collect();
    missing.sort();
    assert_eq!(missing, ["POSTGRES_PASSWORD", "REDIS_PASSWORD"], "{before}");
    s.cmd().args(["fill", "--yes"]).assert().code(0);
    let after = dotenvy_map(&s.project.join(".env"));
    for name in ["POSTGRES_PASSWORD", "REDIS_PASSWORD"] {
        assert!(after.get(name).is_some_and(|v| v.len() >= 32), "{name}");
    }
    // What Compose hands the server and the backup job is the one value now in `.env`.
    assert_eq!(
        compose_map(&s.project.join(".env")).get("POSTGRES_PASSWORD"),
        after.get("POSTGRES_PASSWORD")
    );
    assert!(s.project.read(".env").starts_with(example));
    assert_eq!(s.check()["summary"]["errors"], 0);
}

/// A service's `env_file:` that is a symbolic link to the live file (Formbricks'
/// `apps/web/.env -> ../../.env`), and a committed `.env` linking to a live file named
/// otherwise (huly's `.env -> huly_v7.conf`): Compose follows the links, so each is the live
/// file itself. `check` reports what the service needs from it, and `fill` writes it, with no
/// second copy "to change in both together".
#[test]
fn a_link_to_the_live_file_is_the_live_file() {
    let home = tempfile::tempdir().unwrap();
    let run = |p: &TestProject, args: &[&str]| {
        p.cmd()
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join(".config"))
            .env_remove("ENVWARD_IDENTITY")
            .args(args)
            .output()
            .unwrap()
    };
    let example = "# Mandatory. Generate with: openssl rand -hex 32\nSESSION_SECRET=\nQUEUE_TOKEN=dev-queue-token\n";
    let project = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  worker:\n    image: example/worker\n    env_file: app/.env\n    environment:\n      QUEUE_TOKEN: ${QUEUE_TOKEN}\n",
        )
        .file(".env.example", example)
        .file(".env", example)
        .dir("app");
    std::fs::set_permissions(project.join(".env"), std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::symlink("../.env", project.join("app/.env")).unwrap();
    let out = run(&project, &["check", "--no-color"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("SESSION_SECRET") && text.contains("missing"),
        "{text}"
    );
    assert!(
        !text.contains("two places") && !text.contains("not judged"),
        "{text}"
    );
    let out = run(&project, &["fill", "--yes"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let live = project.read(".env");
    assert!(!live.contains("SESSION_SECRET=\n") && !live.contains("dev-queue-token"));
    assert!(
        std::fs::symlink_metadata(project.join("app/.env"))
            .unwrap()
            .is_symlink()
    );
    assert_eq!(run(&project, &["check"]).status.code(), Some(0));

    let project = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  app:\n    image: example/app\n    environment:\n      SECRET: ${SECRET}\n",
        )
        .file("example.conf", "SECRET=CHANGE_ME\n")
        .file("app.conf", "SECRET=CHANGE_ME\n");
    std::fs::set_permissions(
        project.join("app.conf"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    std::os::unix::fs::symlink("app.conf", project.join(".env")).unwrap();
    let args = ["--env-file", "app.conf", "--example", "example.conf"];
    let out = run(&project, &[&args[..], &["check", "--no-color"]].concat());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("placeholder") && !text.contains("two places"),
        "{text}"
    );
    let out = run(&project, &[&args[..], &["fill", "--yes"]].concat());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!project.read("app.conf").contains("CHANGE_ME"));
}

/// apitable names its images through the env file (`image: ${IMAGE_MYSQL}`) and its app logs
/// in to `MySQL` as root with `MYSQL_PASSWORD`. Compose pulls the interpolated image, so what
/// envward knows of mysql applies: the app's password must come out equal to the root
/// password, or `MySQL` refuses the app. Read as written, the image was unknown and `fill`
/// gave the two different values.
#[test]
fn fill_keeps_a_root_login_equal_when_the_image_is_named_through_a_variable() {
    let template = "IMAGE_MYSQL=mysql:8.0.32\nMYSQL_HOST=mysql\nMYSQL_USERNAME=root\nMYSQL_PASSWORD=apitable@com\nMYSQL_ROOT_PASSWORD=apitable@com\n";
    let project = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  mysql:\n    image: ${IMAGE_MYSQL}\n    environment:\n      - MYSQL_ROOT_PASSWORD=${MYSQL_ROOT_PASSWORD}\n  app:\n    image: example/app\n    env_file: .env\n",
        )
        .file(".env.example", template);
    project.cmd().args(["fill", "--yes"]).assert().success();
    let values = dotenvy_map(&project.join(".env"));
    assert_ne!(values["MYSQL_ROOT_PASSWORD"], "apitable@com", "replaced");
    assert_eq!(values["MYSQL_PASSWORD"], values["MYSQL_ROOT_PASSWORD"]);
    // An image whose `:?` variable is unset is kept as written: the project still loads.
    let unset = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  db:\n    image: ${DB_IMAGE:?set DB_IMAGE}\n",
        )
        .file(".env.example", "A=1\n");
    let out = unset
        .cmd()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// boxyhq/jackson's SAML pair: `PUBLIC_KEY` is the base64 of a certificate `openssl req -x509`
/// makes, and the app reads it whole (`env_file`). `check` called it missing and `fill` wrote a
/// random password where a certificate belongs; neither half of the pair is envward's to make.
#[test]
fn a_certificate_a_key_pair_tool_makes_is_never_filled() {
    let template = "# You can use `openssl req -x509 -newkey rsa:2048 -keyout key.pem -out public.crt -sha256 -days 365000 -nodes` to generate one\n# Base64 encoded value of public key `cat public.crt | base64`\nPUBLIC_KEY=\n\n# Base64 encoded value of private key `cat key.pem | base64`\nPRIVATE_KEY=\n\n# Generate with: openssl rand -hex 32\nSESSION_SECRET=\n";
    let project = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  app:\n    image: example/app:1\n    env_file: .env\n",
        )
        .file(".env.example", template);
    project.cmd().args(["fill", "--yes"]).assert().success();
    let values = dotenvy_map(&project.join(".env"));
    assert_eq!(values["PUBLIC_KEY"], "");
    assert_eq!(values["PRIVATE_KEY"], "");
    assert_eq!(values["SESSION_SECRET"].len(), 64, "hex:32");
    project.cmd().arg("check").assert().success();
}
