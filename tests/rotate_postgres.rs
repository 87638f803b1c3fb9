//! The `PostgreSQL` recipe against a real server: a throwaway cluster (Debian's `postgresql`
//! package; CI installs it) in a temporary directory, on a free local port, and the
//! stand-in `docker compose exec -T db psql …` running the recipe's `psql` against it. The
//! old password stops working and the new one works, and neither ever appears in an
//! argument or an environment variable of any process envward started.
//!
//! `initdb` refuses to run as root (CI does), so there the server runs as the `postgres`
//! user through `runuser`. Without `PostgreSQL` the test is skipped, unless
//! `ENVWARD_REQUIRE_AGE=1` (CI), where it fails.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

mod common;
mod rotate_support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use rotate_support::{Rig, assert_never_outside_stdin};

const OLD: &str = "Old-Pa55word-0f-The-Test-Cluster-1234567";

/// The directory holding `initdb`, `pg_ctl` and `psql`.
fn pg_bin() -> Option<PathBuf> {
    let on_path = common::tool("initdb").and_then(|p| {
        std::fs::canonicalize(p)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
    });
    if on_path.is_some() {
        return on_path;
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .map(|e| e.unwrap().path().join("bin"))
        .filter(|b| b.join("initdb").is_file())
        .collect();
    versions.sort();
    versions.pop()
}

/// A running throwaway cluster; stopped when dropped.
struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    as_postgres: bool,
}

impl Cluster {
    fn start(bin: PathBuf) -> Cluster {
        let as_postgres = rustix::process::getuid().is_root();
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cluster = Cluster {
            bin,
            dir,
            port,
            as_postgres,
        };
        for sub in ["data", "sock"] {
            std::fs::create_dir(cluster.dir.path().join(sub)).unwrap();
        }
        let pwfile = cluster.dir.path().join("pw");
        std::fs::write(&pwfile, format!("{OLD}\n")).unwrap();
        std::fs::set_permissions(&pwfile, std::fs::Permissions::from_mode(0o644)).unwrap();
        if as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:"])
                .arg(cluster.dir.path().join("data"))
                .arg(cluster.dir.path().join("sock"))
                .status()
                .unwrap();
            assert!(status.success(), "chown to the postgres user");
        }
        let data = cluster.dir.path().join("data");
        let out = cluster
            .server_cmd("initdb")
            .arg("-D")
            .arg(&data)
            .args([
                "--username=app",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
            ])
            .arg(format!("--pwfile={}", pwfile.display()))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let options = format!(
            "-k {} -c listen_addresses=127.0.0.1 -p {port}",
            cluster.socket_dir().display()
        );
        let out = cluster
            .server_cmd("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-o", &options, "-w", "-t", "60"])
            .arg("-l")
            .arg(cluster.dir.path().join("sock/log"))
            .arg("start")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg_ctl start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        cluster
    }

    fn socket_dir(&self) -> PathBuf {
        self.dir.path().join("sock")
    }

    /// A server program, run as the `postgres` user when the tests run as root.
    fn server_cmd(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    /// Whether `password` logs `app` in over TCP (where the server asks for a password).
    fn logs_in(&self, password: &str) -> bool {
        Command::new(self.bin.join("psql"))
            .args(["-X", "-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(["-U", "app", "-d", "postgres", "-Atc", "select 1"])
            .env("PGPASSWORD", password)
            .env("PGCONNECT_TIMEOUT", "10")
            .output()
            .unwrap()
            .status
            .success()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .server_cmd("pg_ctl")
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "stop"])
            .output();
    }
}

#[test]
fn the_postgres_recipe_changes_the_password_of_a_real_server() {
    let Some(bin) = pg_bin() else {
        assert!(
            std::env::var("ENVWARD_REQUIRE_AGE").as_deref() != Ok("1"),
            "PostgreSQL is required (ENVWARD_REQUIRE_AGE=1) but initdb is not installed"
        );
        eprintln!("skipping: PostgreSQL (initdb) is not installed");
        return;
    };
    let cluster = Cluster::start(bin.clone());
    assert!(
        cluster.logs_in(OLD),
        "the cluster starts with the old password"
    );

    let compose = "services:
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
volumes:
  pgdata:
";
    let r = Rig::new(&[
        ("compose.yaml", compose),
        (".env", &format!("POSTGRES_PASSWORD={OLD}\n")),
    ]);
    // The "container" is this machine: psql reaches the cluster through its socket, where
    // the server trusts local connections as the official image does.
    let path = format!(
        "{}:{}:{}",
        r.bin.path().display(),
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = r
        .cmd()
        .args(["rotate", "POSTGRES_PASSWORD", "--apply", "--yes"])
        .env("PATH", path)
        .env("FAKE_DOCKER_EXEC", "1")
        .env("PGHOST", cluster.socket_dir())
        .env("PGPORT", cluster.port.to_string())
        .output()
        .unwrap();
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{shown}");
    let new = r.values()["POSTGRES_PASSWORD"].clone();
    assert_ne!(new, OLD);
    assert!(!cluster.logs_in(OLD), "the old password stops working");
    assert!(cluster.logs_in(&new), "the new password works");
    let calls = r.calls();
    assert_eq!(calls.len(), 1, "one exec, no recreate without --restart");
    for value in [OLD, new.as_str()] {
        assert_never_outside_stdin(&calls, value);
        assert!(
            !calls[0].stdin.contains(value),
            "a verifier, not the password"
        );
        assert!(!shown.contains(value));
    }
}
