//! Shared helpers for the integration tests: a throwaway project directory and a command that
//! runs the real `envward` binary in it.
//!
//! ```ignore
//! mod common;
//! use common::TestProject;
//!
//! let project = TestProject::new()
//!     .file("compose.yaml", "services:\n  db:\n    image: postgres\n")
//!     .file(".env", "A=1\n");
//! let before = project.snapshot();
//! project.cmd().args(["refs", "--format", "json"]).assert().success();
//! assert_eq!(project.snapshot(), before, "refs writes nothing");
//! ```
//!
//! Each test binary includes this module with `mod common;` and uses only part of it.
#![allow(dead_code)]

pub mod sweep;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A temporary project directory, deleted when dropped.
#[derive(Debug)]
pub struct TestProject {
    dir: tempfile::TempDir,
}

impl Default for TestProject {
    fn default() -> Self {
        Self::new()
    }
}

impl TestProject {
    /// An empty project directory.
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("envward-test-")
            .tempdir()
            .expect("create a temporary directory");
        TestProject { dir }
    }

    /// Adds a file (text or bytes), creating its parent directories. Builder form.
    #[must_use]
    pub fn file(self, path: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> Self {
        self.write(path, contents);
        self
    }

    /// Writes (or overwrites) a file, creating its parent directories.
    pub fn write(&self, path: impl AsRef<Path>, contents: impl AsRef<[u8]>) {
        let full = self.path().join(path.as_ref());
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).expect("create parent directories");
        }
        std::fs::write(&full, contents).expect("write a project file");
    }

    /// Adds an empty directory. Builder form.
    #[must_use]
    pub fn dir(self, path: impl AsRef<Path>) -> Self {
        std::fs::create_dir_all(self.path().join(path.as_ref())).expect("create a directory");
        self
    }

    /// The project directory (absolute).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The absolute path of a file inside the project.
    pub fn join(&self, path: impl AsRef<Path>) -> PathBuf {
        self.path().join(path.as_ref())
    }

    /// Reads a project file as text.
    pub fn read(&self, path: impl AsRef<Path>) -> String {
        std::fs::read_to_string(self.join(path)).expect("read a project file")
    }

    /// The `envward` binary, run as `envward -C <project dir> …`, with `NO_COLOR=1` and no
    /// `COMPOSE_*` variables from the environment running the tests. Add arguments with
    /// `.arg`/`.args` and set variables with `.env`.
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_envward"));
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("COMPOSE_") {
                cmd.env_remove(&key);
            }
        }
        cmd.env("NO_COLOR", "1");
        cmd.current_dir(self.path());
        cmd.arg("-C").arg(self.path());
        cmd
    }

    /// Every file under the project with its bytes, keyed by relative path, to check that a
    /// run wrote nothing. Directories are listed with an empty `Vec` and a trailing `/`; files
    /// over 1 MiB are summarised by their length and a hash of their bytes.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut out = BTreeMap::new();
        let mut stack = vec![self.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("list a project directory") {
                let entry = entry.expect("read a directory entry");
                let path = entry.path();
                let rel = path
                    .strip_prefix(self.path())
                    .expect("inside the project")
                    .to_path_buf();
                let kind = entry.file_type().expect("file type");
                if kind.is_dir() {
                    out.insert(rel.join(""), Vec::new());
                    stack.push(path);
                } else if kind.is_file() {
                    let bytes = std::fs::read(&path).expect("read a project file");
                    let value = if bytes.len() > 1024 * 1024 {
                        use std::hash::{DefaultHasher, Hash, Hasher};
                        let mut h = DefaultHasher::new();
                        bytes.hash(&mut h);
                        format!("<{} bytes, hash {:016x}>", bytes.len(), h.finish()).into_bytes()
                    } else {
                        bytes
                    };
                    out.insert(rel, value);
                } else {
                    out.insert(rel, b"<other>".to_vec());
                }
            }
        }
        out
    }
}

/// A user's home directory, holding their envward identity (created on first use), so tests
/// never touch the real one.
#[derive(Debug)]
pub struct Home {
    dir: tempfile::TempDir,
}

impl Default for Home {
    fn default() -> Self {
        Self::new()
    }
}

impl Home {
    /// An empty home.
    pub fn new() -> Self {
        Home {
            dir: tempfile::tempdir().expect("create a home directory"),
        }
    }

    /// `project.cmd()` run by this user: `HOME` and `XDG_CONFIG_HOME` point here, and no
    /// identity or passphrase comes from the environment running the tests.
    pub fn on(&self, project: &TestProject) -> assert_cmd::Command {
        let mut cmd = project.cmd();
        for (key, value) in self.vars() {
            cmd.env(key, value);
        }
        cmd.env_remove("ENVWARD_IDENTITY")
            .env_remove("ENVWARD_PASSPHRASE");
        cmd
    }

    /// The same as [`Home::on`] as a plain `std::process::Command`, to run several at once.
    pub fn spawnable(&self, project: &TestProject) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_envward"));
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("COMPOSE_") {
                cmd.env_remove(&key);
            }
        }
        for (key, value) in self.vars() {
            cmd.env(key, value);
        }
        cmd.env("NO_COLOR", "1")
            .env_remove("ENVWARD_IDENTITY")
            .env_remove("ENVWARD_PASSPHRASE")
            .current_dir(project.path())
            .arg("-C")
            .arg(project.path());
        cmd
    }

    fn vars(&self) -> [(&'static str, PathBuf); 2] {
        [
            ("HOME", self.dir.path().to_path_buf()),
            ("XDG_CONFIG_HOME", self.dir.path().join(".config")),
        ]
    }

    /// The home directory itself.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The default identity file.
    pub fn identity(&self) -> PathBuf {
        self.dir.path().join(".config/envward/identity.txt")
    }
}

/// Stops this process, and every process it starts from now on, from writing a core dump:
/// the crash tests abort processes that hold secrets.
pub fn no_core_dumps() {
    let limit = rustix::process::getrlimit(rustix::process::Resource::Core);
    rustix::process::setrlimit(
        rustix::process::Resource::Core,
        rustix::process::Rlimit {
            current: Some(0),
            maximum: limit.maximum,
        },
    )
    .expect("set the core dump limit");
}

/// The program `name` on `PATH`, or `None` so the caller skips its check. Under
/// `ENVWARD_REQUIRE_AGE=1` (set by CI, which installs every tool the tests use) a missing
/// program fails the test instead.
pub fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("ENVWARD_REQUIRE_AGE").as_deref() != Ok("1"),
            "{name} is required (ENVWARD_REQUIRE_AGE=1) but not on PATH"
        );
        eprintln!("skipping a check: {name} is not installed");
    }
    found
}

/// A run of the binary under [`run_bounded`]: its output, the CPU time (user + system) the
/// process itself used, and whether the wall-clock deadline had to kill it.
#[derive(Debug)]
pub struct Bounded {
    pub output: std::process::Output,
    pub cpu: std::time::Duration,
    pub killed: bool,
}

/// Runs `cmd` with stdin closed and its output captured, and measures the CPU time the child
/// itself used (`wait4`'s accounting). Unlike the wall clock, CPU time does not grow when other
/// jobs load the machine, so a bound on it catches a quadratic path without flaking on a busy
/// box: stop 27's CI run took 5.7 s of wall time for a run of under a second of CPU. A child
/// still running after `deadline` of wall time (blocked on a FIFO, say, which costs no CPU) is
/// killed, and [`Bounded::killed`] says so.
// The child is reaped with wait4 (for its rusage), which clippy cannot see.
#[allow(unsafe_code, clippy::zombie_processes)]
pub fn run_bounded(cmd: &assert_cmd::Command, deadline: std::time::Duration) -> Bounded {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;

    let mut std_cmd = std::process::Command::new(cmd.get_program());
    std_cmd.args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => std_cmd.env(key, value),
            None => std_cmd.env_remove(key),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        std_cmd.current_dir(dir);
    }
    let mut child = std_cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start envward");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes)
                .expect("read the child's output");
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("piped stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("piped stderr")));
    let pid = libc::pid_t::try_from(child.id()).expect("a pid fits pid_t");

    let started = std::time::Instant::now();
    let mut killed = false;
    let mut status = 0;
    // SAFETY: wait4 writes only into the status and the rusage it is given, both initialised;
    // the child is ours and not yet reaped (std's `Child` is never waited on here).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        let flags = if killed { 0 } else { libc::WNOHANG };
        let reaped = unsafe { libc::wait4(pid, &raw mut status, flags, &raw mut usage) };
        assert!(reaped >= 0, "wait4 failed");
        if reaped == pid {
            break;
        }
        if started.elapsed() >= deadline {
            child.kill().expect("kill a child past its deadline");
            killed = true;
        } else {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
    let time = |t: libc::timeval| {
        std::time::Duration::new(
            u64::try_from(t.tv_sec).expect("non-negative seconds"),
            u32::try_from(t.tv_usec).expect("microseconds fit") * 1000,
        )
    };
    Bounded {
        output: std::process::Output {
            status: std::process::ExitStatus::from_raw(status),
            stdout: stdout.join().expect("stdout reader"),
            stderr: stderr.join().expect("stderr reader"),
        },
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        killed,
    }
}
