//! Shared by the rotation tests: a project, a private home for the age identity, and a
//! stand-in `docker` on `PATH` that records every call — its arguments, its environment and
//! its standard input — and can fail on request or run the command it was asked to run in
//! the "container" (here, on this machine: the real-PostgreSQL test points `psql` at a
//! throwaway server).
#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::common::TestProject;

/// A Redis server whose password is on its command line, and an app using it in a URL.
pub const REDIS_COMPOSE: &str = "services:
  cache:
    image: redis:7
    command: redis-server --requirepass ${REDIS_PASSWORD}
  app:
    image: example/app
    environment:
      REDIS_URL: redis://:${REDIS_PASSWORD}@cache:6379/0
";

/// The Redis password before a rotation.
pub const REDIS_OLD: &str = "cQ4nV8pL2xZ7mK9tR3wB6yH1jD5sF0gA";

/// The stand-in `docker`. It writes each call to `$FAKE_DOCKER_LOG/NNN/{args,env,stdin}`
/// (arguments NUL-separated), prints `$FAKE_DOCKER_STDOUT` for `exec` calls, exits 1 when
/// the call's words contain `$FAKE_DOCKER_FAIL`, and with `FAKE_DOCKER_EXEC=1` runs the
/// command after `exec -T SERVICE` with the recorded standard input.
const SCRIPT: &str = r#"#!/bin/sh
set -u
log="$FAKE_DOCKER_LOG"
mkdir -p "$log"
n=$(ls "$log" | wc -l)
dir="$log/$(printf %03d "$n")"
mkdir "$dir"
for a in "$@"; do printf '%s\0' "$a"; done > "$dir/args"
env > "$dir/env"
cat > "$dir/stdin"
words=" $* "
if [ -n "${FAKE_DOCKER_FAIL:-}" ]; then
  case "$words" in *"$FAKE_DOCKER_FAIL"*) echo "stand-in docker: failing as asked" >&2; exit 1;; esac
fi
case "$words" in
  *" exec "*)
    if [ -n "${FAKE_DOCKER_STDOUT:-}" ]; then printf '%b' "$FAKE_DOCKER_STDOUT"; fi
    if [ "${FAKE_DOCKER_EXEC:-}" = 1 ]; then
      while [ "$1" != exec ]; do shift; done
      shift; shift; shift
      exec "$@" < "$dir/stdin"
    fi
    ;;
esac
exit 0
"#;

/// One recorded call.
#[derive(Debug, Clone)]
pub struct Call {
    /// Its arguments.
    pub args: Vec<String>,
    /// Its environment, as `env` printed it.
    pub env: String,
    /// What it read on standard input.
    pub stdin: String,
}

/// A project with a stand-in docker and its own home.
pub struct Rig {
    pub project: TestProject,
    pub home: tempfile::TempDir,
    pub bin: tempfile::TempDir,
    pub log: PathBuf,
}

impl Rig {
    /// A project with these files (`.env` written 0600).
    pub fn new(files: &[(&str, &str)]) -> Self {
        let mut project = TestProject::new();
        for (name, text) in files {
            project = project.file(name, text);
        }
        if project.join(".env").exists() {
            std::fs::set_permissions(project.join(".env"), std::fs::Permissions::from_mode(0o600))
                .unwrap();
        }
        let bin = tempfile::tempdir().unwrap();
        let docker = bin.path().join("docker");
        std::fs::write(&docker, SCRIPT).unwrap();
        std::fs::set_permissions(&docker, std::fs::Permissions::from_mode(0o755)).unwrap();
        let log = bin.path().join("calls");
        Rig {
            project,
            home: tempfile::tempdir().unwrap(),
            bin,
            log,
        }
    }

    /// `envward -C PROJECT …` with the stand-in docker first on `PATH`.
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut c = self.project.cmd();
        let path = format!(
            "{}:{}",
            self.bin.path().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        c.env("PATH", path)
            .env("FAKE_DOCKER_LOG", &self.log)
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join(".config"))
            .env_remove("ENVWARD_IDENTITY")
            .env_remove("FAKE_DOCKER_FAIL")
            .env_remove("FAKE_DOCKER_EXEC")
            .env_remove("FAKE_DOCKER_STDOUT");
        c
    }

    /// The identity file (created by the first command that saves).
    pub fn identity(&self) -> PathBuf {
        self.home.path().join(".config/envward/identity.txt")
    }

    /// Every call the stand-in recorded, in order.
    pub fn calls(&self) -> Vec<Call> {
        let Ok(entries) = std::fs::read_dir(&self.log) else {
            return Vec::new();
        };
        let mut dirs: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        dirs.sort();
        dirs.iter()
            .map(|d| Call {
                args: std::fs::read_to_string(d.join("args"))
                    .unwrap()
                    .split('\0')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                env: std::fs::read_to_string(d.join("env")).unwrap(),
                stdin: std::fs::read_to_string(d.join("stdin")).unwrap(),
            })
            .collect()
    }

    /// The live file's decoded values.
    pub fn values(&self) -> std::collections::HashMap<String, String> {
        envward::dotenv::parse(&self.project.read(".env"))
            .unwrap()
            .to_map(&|_: &str| None)
            .unwrap()
    }

    /// The state file's text ("" when there is none).
    pub fn state(&self) -> String {
        std::fs::read_to_string(self.project.join(".env.envward-state.env")).unwrap_or_default()
    }

    /// The backups beside the live file, oldest first.
    pub fn backups(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(self.project.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "age"))
            .collect();
        v.sort();
        v
    }

    /// A backup decrypted with the real `age` CLI (`None`: the CLI is not installed).
    pub fn age_decrypt(&self, backup: &Path) -> Option<String> {
        let age = crate::common::tool("age")?;
        let out = std::process::Command::new(age)
            .arg("-d")
            .arg("-i")
            .arg(self.identity())
            .arg(backup)
            .output()
            .unwrap();
        assert!(out.status.success(), "age -d {}", backup.display());
        Some(String::from_utf8(out.stdout).unwrap())
    }
}

/// Asserts that no argument and no environment variable of any call holds `value` (as is,
/// or percent-encoded as a URL would carry it).
pub fn assert_never_outside_stdin(calls: &[Call], value: &str) {
    let encoded: String =
        percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    for (i, c) in calls.iter().enumerate() {
        for a in &c.args {
            assert!(
                !a.contains(value) && !a.contains(&encoded),
                "call {i}: a value in an argument"
            );
        }
        assert!(
            !c.env.contains(value) && !c.env.contains(&encoded),
            "call {i}: a value in the environment"
        );
    }
}
