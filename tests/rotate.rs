//! `envward rotate` through the real binary, with a stand-in `docker` on `PATH` that records
//! every call: the plan and its order, the exact commands, the value only ever on standard
//! input, failures that leave a rotation to resume or undo, provider credentials, overlaps
//! and promotion, and `check --as-of`.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

mod common;
mod rotate_support;

use rotate_support::{Rig, assert_never_outside_stdin};

const COMPOSE: &str = "services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
    volumes:
      - pgdata:/var/lib/postgresql/data
  api:
    image: example/api
    environment:
      DATABASE_URL: postgres://app:${POSTGRES_PASSWORD}@db:5432/app
      JWT_SIGNING_KEY: ${JWT_SIGNING_KEY}
  worker:
    image: example/worker
    environment:
      DATABASE_URL: postgres://app:${POSTGRES_PASSWORD}@db:5432/app
  web:
    image: nginx
  bot:
    image: example/bot
    environment:
      TELEGRAM_BOT_TOKEN: ${TELEGRAM_BOT_TOKEN}
volumes:
  pgdata:
";

const OLD_PW: &str = "Qm9vdHN0cmFwUGFzc3dvcmRGb3JUZXN0aW5nMTIzNDU";
const OLD_KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
const OLD_BOT: &str = "123456789:AAF1kE4tY7uI9oP2aS5dF8gH0jK3lZ6xC9v";

fn live() -> String {
    format!(
        "# the app
POSTGRES_PASSWORD={OLD_PW}
REPORTING_DATABASE_URL=postgres://app:{OLD_PW}@db:5432/app
JWT_SIGNING_KEY={OLD_KEY}
TELEGRAM_BOT_TOKEN={OLD_BOT}
"
    )
}

fn rig() -> Rig {
    Rig::new(&[("compose.yaml", COMPOSE), (".env", &live())])
}

/// Runs `envward ARGS` (the stand-in docker failing on `fail`): exit code and all output.
fn run(r: &Rig, args: &[&str], fail: Option<&str>) -> (Option<i32>, String) {
    let mut c = r.cmd();
    c.args(args);
    if let Some(f) = fail {
        c.env("FAKE_DOCKER_FAIL", f);
    }
    let out = c.output().unwrap();
    (out.status.code(), text(&out))
}

const APPLY_RESTART: [&str; 5] = [
    "rotate",
    "POSTGRES_PASSWORD",
    "--apply",
    "--restart",
    "--yes",
];

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn rotating_a_postgres_password_writes_it_everywhere_plans_the_database_first_and_prints_no_value()
{
    let r = rig();
    let out = r
        .cmd()
        .args(["rotate", "POSTGRES_PASSWORD", "--yes"])
        .output()
        .unwrap();
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    let v = r.values();
    let new = v["POSTGRES_PASSWORD"].clone();
    assert_ne!(new, OLD_PW);
    assert!(new.len() >= 32, "a strong value");
    // The literal URL in the live file carries the new password.
    assert_eq!(
        v["REPORTING_DATABASE_URL"],
        format!("postgres://app:{new}@db:5432/app")
    );
    assert_eq!(v["JWT_SIGNING_KEY"], OLD_KEY, "nothing else changes");
    for value in [OLD_PW, new.as_str()] {
        assert!(!shown.contains(value), "a value was printed:\n{shown}");
    }
    // The services that use it, exactly: api and worker through DATABASE_URL, db itself.
    let recreated: Vec<&str> = shown
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("docker compose up -d --no-deps --force-recreate ")
        })
        .collect();
    assert_eq!(recreated, ["api", "worker", "db"], "{shown}");
    let alter = shown.find("ALTER USER app").expect("the ALTER USER step");
    let recreate = shown.find("--force-recreate").unwrap();
    assert!(alter < recreate, "the database first:\n{shown}");
    assert!(shown.contains("volume pgdata"), "{shown}");
    // The old version is in a backup the age CLI decrypts.
    if let Some(first) = r.backups().first().and_then(|b| r.age_decrypt(b)) {
        assert_eq!(first, live());
    }
    assert!(
        r.calls().is_empty(),
        "nothing ran without --apply/--restart"
    );
    // The database step is still to do: the journal says so, and check warns.
    assert!(r.state().contains("database = [\"db\"]"), "{}", r.state());
    let check = r.cmd().arg("check").output().unwrap();
    assert!(
        text(&check).contains("--resume --apply"),
        "{}",
        text(&check)
    );
    // Running it later finishes the rotation: the journal goes, and so does the warning.
    let (code, shown) = run(&r, &["rotate", "--resume", "--apply"], None);
    assert_eq!(code, Some(0), "{shown}");
    assert_eq!(r.calls().len(), 1, "the database step, once");
    assert!(!r.state().contains("[pending]"), "{}", r.state());
    let check = r.cmd().arg("check").output().unwrap();
    assert!(!text(&check).contains("rotation-due"), "{}", text(&check));
}

#[test]
fn apply_and_restart_run_the_exact_commands_with_the_value_only_on_standard_input() {
    let r = rig();
    let (code, shown) = run(&r, &APPLY_RESTART, None);
    assert_eq!(code, Some(0), "{shown}");
    let new = r.values()["POSTGRES_PASSWORD"].clone();
    let calls = r.calls();
    let args: Vec<Vec<String>> = calls.iter().map(|c| c.args.clone()).collect();
    let words = |s: &str| -> Vec<String> { s.split(' ').map(str::to_string).collect() };
    assert_eq!(
        args,
        vec![
            words(
                "compose exec -T db psql -X -q -v ON_ERROR_STOP=1 --username=app --dbname=postgres"
            ),
            words("compose up -d --no-deps --force-recreate api"),
            words("compose up -d --no-deps --force-recreate worker"),
            words("compose up -d --no-deps --force-recreate db"),
        ]
    );
    let script = &calls[0].stdin;
    assert!(script.contains("ALTER USER :\"envward_user\" WITH PASSWORD :'envward_verifier';"));
    assert!(
        script.contains("\\set envward_verifier 'SCRAM-SHA-256$4096:"),
        "{script}"
    );
    assert!(
        !script.contains(&new),
        "PostgreSQL gets a verifier, not the password"
    );
    for value in [OLD_PW, new.as_str()] {
        assert_never_outside_stdin(&calls, value);
    }
    assert!(!r.state().contains("[pending]"), "done: {}", r.state());
    assert!(shown.contains("rotation done"));
}

#[test]
fn a_failed_database_step_changes_nothing_else_and_can_be_undone_or_resumed() {
    let r = rig();
    let (code, shown) = run(&r, &APPLY_RESTART, Some(" exec "));
    assert_eq!(code, Some(2), "{shown}");
    assert_eq!(r.project.read(".env"), live(), "the live file is untouched");
    assert!(shown.contains("envward rotate --resume --apply"), "{shown}");
    assert!(shown.contains("envward rotate --undo"), "{shown}");
    assert!(
        shown.contains("failing as asked"),
        "the tool's own words: {shown}"
    );
    assert_eq!(r.calls().len(), 1, "no service was recreated");
    // The new version waits in a backup; undo removes it.
    let backups = r.backups().len();
    let undo = r.cmd().args(["rotate", "--undo"]).output().unwrap();
    assert!(undo.status.success(), "{}", text(&undo));
    assert_eq!(r.backups().len(), backups - 1);
    assert_eq!(r.project.read(".env"), live());
    assert!(!r.state().contains("[pending]"));

    // Fail again, then resume once the database answers.
    r.cmd()
        .args(["rotate", "POSTGRES_PASSWORD", "--apply", "--yes"])
        .env("FAKE_DOCKER_FAIL", " exec ")
        .assert()
        .code(2);
    let resumed = r
        .cmd()
        .args(["rotate", "--resume", "--apply"])
        .output()
        .unwrap();
    assert!(resumed.status.success(), "{}", text(&resumed));
    let new = r.values()["POSTGRES_PASSWORD"].clone();
    assert_ne!(new, OLD_PW);
    assert!(!r.state().contains("[pending]"), "{}", r.state());
    let calls = r.calls();
    assert_never_outside_stdin(&calls, &new);
    let last = calls.last().unwrap();
    assert_eq!(last.args[..4], ["compose", "exec", "-T", "db"]);
}

#[test]
fn a_failed_recreate_says_what_is_left_and_resume_finishes_it() {
    let r = rig();
    let (code, shown) = run(&r, &APPLY_RESTART, Some("force-recreate worker"));
    assert_eq!(code, Some(2), "{shown}");
    assert!(shown.contains("still to recreate: worker, db"), "{shown}");
    assert_ne!(
        r.values()["POSTGRES_PASSWORD"],
        OLD_PW,
        "the live file has the new value"
    );
    let undo = r.cmd().args(["rotate", "--undo"]).output().unwrap();
    assert_eq!(undo.status.code(), Some(2), "too late to undo");
    r.cmd()
        .args(["rotate", "--resume", "--restart"])
        .assert()
        .success();
    let tail: Vec<String> = r
        .calls()
        .iter()
        .rev()
        .take(2)
        .map(|c| c.args.last().unwrap().clone())
        .collect();
    assert_eq!(tail, ["db", "worker"]);
    assert!(!r.state().contains("[pending]"));
}

#[test]
fn a_provider_token_is_typed_never_generated_and_its_revocation_reminded() {
    let r = rig();
    let refused = r
        .cmd()
        .args(["rotate", "TELEGRAM_BOT_TOKEN", "--yes"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused).contains("--value-stdin"),
        "{}",
        text(&refused)
    );
    let fresh = "987654321:BBG2lF5uZ8vJ0pQ3bT6eG9hI1kL4mA7yD0w";
    let out = r
        .cmd()
        .args(["rotate", "TELEGRAM_BOT_TOKEN", "--value-stdin", "--yes"])
        .write_stdin(format!("{fresh}\n"))
        .output()
        .unwrap();
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    assert_eq!(r.values()["TELEGRAM_BOT_TOKEN"], fresh);
    assert!(
        shown.contains("revoke the old TELEGRAM_BOT_TOKEN"),
        "{shown}"
    );
    assert!(shown.contains("--force-recreate bot"), "{shown}");
    assert!(!shown.contains(fresh) && !shown.contains(OLD_BOT));
}

#[test]
fn an_overlap_keeps_the_old_key_until_promotion_leaves_only_the_new_one() {
    let r = rig();
    let out = r
        .cmd()
        .args(["rotate", "JWT_SIGNING_KEY", "--overlap", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let v = r.values();
    assert_eq!(v["JWT_SIGNING_KEY"], OLD_KEY, "the old key is untouched");
    let new = v["JWT_SIGNING_KEY_SECONDARY"].clone();
    assert_eq!(new.len(), OLD_KEY.len(), "same kind: 32 bytes of hex");
    assert_ne!(new, OLD_KEY);
    assert!(
        r.state().contains("[overlap.JWT_SIGNING_KEY]"),
        "{}",
        r.state()
    );
    assert!(text(&out).contains("no compose service reads JWT_SIGNING_KEY_SECONDARY"));

    // The promotion is due after the overlap (7 days by default), not before.
    let in_days = |d: i64| {
        (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * d))
            .strftime("%Y-%m-%d")
            .to_string()
    };
    let before = r
        .cmd()
        .args(["check", "--as-of", &in_days(3)])
        .output()
        .unwrap();
    assert!(!text(&before).contains("--promote"), "{}", text(&before));
    let after = r
        .cmd()
        .args(["check", "--as-of", &in_days(8)])
        .output()
        .unwrap();
    assert!(
        text(&after).contains("JWT_SIGNING_KEY --promote"),
        "{}",
        text(&after)
    );

    let out = r
        .cmd()
        .args(["rotate", "JWT_SIGNING_KEY", "--promote", "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let v = r.values();
    assert_eq!(v["JWT_SIGNING_KEY"], new);
    assert!(!v.contains_key("JWT_SIGNING_KEY_SECONDARY"));
    assert!(!r.project.read(".env").contains("SECONDARY"));
    assert!(!r.state().contains("[overlap"), "{}", r.state());
    assert!(!text(&out).contains(&new));
}

#[test]
fn check_as_of_reports_exactly_the_secrets_due_then() {
    let r = rig();
    // A first envward write dates every value (a new file: all of them).
    std::fs::remove_file(r.project.join(".env")).unwrap();
    r.project.write(".env.example", live());
    // fill writes the file and exits 1: the bot token still holds the example's public value,
    // which only its provider can replace.
    r.cmd().args(["fill", "--yes"]).assert().code(1);
    assert!(r.project.read(".env").contains("JWT_SIGNING_KEY="));
    let due_at = |days: i64| -> Vec<String> {
        let when = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * days))
            .strftime("%Y-%m-%d")
            .to_string();
        let out = r
            .cmd()
            .args(["check", "--format", "json", "--as-of", &when])
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut v: Vec<String> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "rotation-due")
            .map(|f| f["variable"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    assert!(due_at(80).is_empty());
    assert_eq!(due_at(100), ["POSTGRES_PASSWORD"], "passwords: 90 days");
    assert_eq!(
        due_at(200),
        ["POSTGRES_PASSWORD", "TELEGRAM_BOT_TOKEN"],
        "API tokens: 6 months"
    );
    assert_eq!(
        due_at(400),
        ["JWT_SIGNING_KEY", "POSTGRES_PASSWORD", "TELEGRAM_BOT_TOKEN"],
        "signing keys: a year"
    );
    // Without the state file, the backups date the values (the identity opens them).
    std::fs::remove_file(r.project.join(".env.envward-state.env")).unwrap();
    assert_eq!(due_at(100), ["POSTGRES_PASSWORD"]);
    // `rotate --due` rotates what is due now: nothing yet.
    let out = r.cmd().args(["rotate", "--due", "--yes"]).output().unwrap();
    assert!(text(&out).contains("nothing is due"), "{}", text(&out));
}

#[test]
fn rotate_refuses_what_it_cannot_rotate_without_changing_anything() {
    let r = rig();
    let before = r.project.snapshot();
    for (var, says) in [
        ("NOPE", "no such variable"),
        (
            "REPORTING_DATABASE_URL",
            "rotate POSTGRES_PASSWORD and the URL follows",
        ),
    ] {
        let out = r.cmd().args(["rotate", var, "--yes"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{var}");
        assert!(text(&out).contains(says), "{}", text(&out));
    }
    assert_eq!(r.project.snapshot(), before);
    r.project.write(
        ".env.envward-state.env",
        "version = 1\n[set]\nA = \"soon\"\n",
    );
    let out = r.cmd().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains(".env.envward-state.env:3:"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_redis_password_changes_in_the_server_first_and_errors_are_caught() {
    let old = rotate_support::REDIS_OLD;
    let r = Rig::new(&[
        ("compose.yaml", rotate_support::REDIS_COMPOSE),
        (".env", &format!("REDIS_PASSWORD={old}\n")),
    ]);
    let out = r
        .cmd()
        .args(["rotate", "REDIS_PASSWORD", "--apply", "--yes"])
        .env(
            "FAKE_DOCKER_STDOUT",
            "(error) WRONGPASS invalid username-password pair\\n",
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("WRONGPASS"), "{}", text(&out));
    assert_eq!(r.values()["REDIS_PASSWORD"], old);
    // The failed change may have half happened: undo sets the old password again.
    r.cmd()
        .args(["rotate", "--undo"])
        .env("FAKE_DOCKER_STDOUT", "OK\\n")
        .assert()
        .success();
    let undo = r.calls().last().unwrap().stdin.clone();
    assert!(
        undo.ends_with(&format!("CONFIG SET requirepass \"{old}\"\n")),
        "{undo}"
    );
    let out = r
        .cmd()
        .args(["rotate", "REDIS_PASSWORD", "--apply", "--yes"])
        .env(
            "FAKE_DOCKER_STDOUT",
            "(error) WRONGPASS invalid username-password pair\\nOK\\nOK\\n",
        )
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let new = r.values()["REDIS_PASSWORD"].clone();
    let calls = r.calls();
    let last = calls.last().unwrap();
    assert_eq!(last.args, ["compose", "exec", "-T", "cache", "redis-cli"]);
    let hex = |s: &str| -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    char::from(b).to_string()
                } else {
                    format!("\\x{b:02x}")
                }
            })
            .collect()
    };
    assert_eq!(
        last.stdin,
        format!(
            "AUTH \"{}\"\nAUTH \"{}\"\nCONFIG SET requirepass \"{}\"\n",
            hex(&new),
            hex(old),
            hex(&new)
        )
    );
    assert_never_outside_stdin(&calls, &new);
    assert_never_outside_stdin(&calls, old);
}

#[test]
fn every_write_dates_only_the_values_it_changes() {
    let r = rig();
    let long_ago = "2020-01-01T00:00:00Z";
    r.project.write(
        ".env.envward-state.env",
        format!(
            "version = 1\n[set]\nPOSTGRES_PASSWORD = {long_ago}\nREPORTING_DATABASE_URL = {long_ago}\nJWT_SIGNING_KEY = {long_ago}\nTELEGRAM_BOT_TOKEN = {long_ago}\n"
        ),
    );
    let dated = |r: &Rig, name: &str| -> bool {
        let state = r.state();
        let line = state
            .lines()
            .find(|l| l.starts_with(&format!("{name} = ")))
            .unwrap_or_else(|| panic!("{name} has no date: {state}"))
            .to_string();
        !line.ends_with(long_ago)
    };
    r.cmd()
        .args(["rotate", "JWT_SIGNING_KEY", "--yes"])
        .assert()
        .success();
    assert!(dated(&r, "JWT_SIGNING_KEY"));
    assert!(!dated(&r, "POSTGRES_PASSWORD") && !dated(&r, "TELEGRAM_BOT_TOKEN"));
    // Restoring the version before the rotation changes the key again: dated again; the
    // rest keeps its old date.
    r.project.write(
        ".env.envward-state.env",
        format!(
            "version = 1\n[set]\nJWT_SIGNING_KEY = {long_ago}\nPOSTGRES_PASSWORD = {long_ago}\n"
        ),
    );
    let first = r.backups().into_iter().next().unwrap();
    r.cmd().arg("restore").arg(&first).assert().success();
    assert_eq!(r.values()["JWT_SIGNING_KEY"], OLD_KEY);
    assert!(dated(&r, "JWT_SIGNING_KEY"));
    assert!(!dated(&r, "POSTGRES_PASSWORD"));
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(r.project.join(".env.envward-state.env"))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);
}

/// Found by the crash test: stopped between writing the live file and noting it in the
/// journal, a rotation was refused by both --resume ("changed since") and --undo.
#[test]
fn resume_accepts_a_live_file_written_before_the_journal_said_so() {
    let r = rig();
    r.cmd()
        .args(["rotate", "POSTGRES_PASSWORD", "--yes"])
        .assert()
        .success();
    let new = r.values()["POSTGRES_PASSWORD"].clone();
    let state = r
        .state()
        .replace("env_written = true", "env_written = false");
    assert!(state.contains("env_written = false"), "{state}");
    r.project.write(".env.envward-state.env", state);
    let (code, shown) = run(&r, &["rotate", "--undo"], None);
    assert_eq!(code, Some(2), "too late to undo: {shown}");
    assert!(shown.contains("already has the new value"), "{shown}");
    let (code, shown) = run(&r, &["rotate", "--resume", "--apply"], None);
    assert_eq!(code, Some(0), "{shown}");
    assert_eq!(r.values()["POSTGRES_PASSWORD"], new);
    assert!(!r.state().contains("[pending]"), "{}", r.state());
}
