//! End to end: the real binary in a pseudo-terminal of 80×24 on a copy of the example.
//! Press `G`, `s`, `q`; then the live file must be complete, mode 0600, with an encrypted
//! backup beside it; no generated value may ever have reached the terminal; and the
//! terminal must have left the alternate screen.

#![allow(clippy::unwrap_used)]

mod tui_support;

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::os::unix::fs::PermissionsExt;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Screen {
    parser: vt100::Parser,
    raw: Vec<u8>,
    screens: Vec<String>,
    rx: mpsc::Receiver<Vec<u8>>,
}

impl Screen {
    fn pump(&mut self, wait: Duration) -> bool {
        match self.rx.recv_timeout(wait) {
            Ok(bytes) => {
                self.parser.process(&bytes);
                self.raw.extend_from_slice(&bytes);
                self.screens.push(self.parser.screen().contents());
                true
            }
            Err(_) => false,
        }
    }

    /// Reads until the screen shows `text`, or fails after a while.
    fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.parser.screen().contents().contains(text) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {text:?}; screen:\n{}",
                self.parser.screen().contents()
            );
            self.pump(Duration::from_millis(100));
        }
    }
}

/// The binary running on `dir` in an 80×24 pseudo-terminal, with its own config dir.
fn spawn(
    dir: &std::path::Path,
    home: &std::path::Path,
) -> (
    Box<dyn portable_pty::Child + Send + Sync>,
    Box<dyn Write + Send>,
    Screen,
) {
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_envward"));
    cmd.cwd(dir);
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", home);
    cmd.env("XDG_CONFIG_HOME", home.join(".config"));
    cmd.env_remove("NO_COLOR");
    cmd.env_remove("ENVWARD_IDENTITY");
    let child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let writer = pair.master.take_writer().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        // Keep the master open for as long as the reader runs.
        let _master = pair.master;
        let mut buf = [0u8; 8192];
        loop {
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if tx.send(buf[..n].to_vec()).is_err() {
                        break;
                    }
                }
            }
        }
    });
    let screen = Screen {
        parser: vt100::Parser::new(
            NonZeroU16::new(24).unwrap(),
            NonZeroU16::new(80).unwrap(),
            0,
        ),
        raw: Vec::new(),
        screens: Vec::new(),
        rx,
    };
    (child, writer, screen)
}

/// Waits for the child to exit, reading the terminal meanwhile; then drains the output.
fn wait_exit(
    child: &mut Box<dyn portable_pty::Child + Send + Sync>,
    screen: &mut Screen,
) -> portable_pty::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "envward did not quit");
        screen.pump(Duration::from_millis(50));
    };
    while screen.pump(Duration::from_millis(200)) {}
    status
}

#[test]
fn generate_save_quit_in_a_real_terminal() {
    let ex = tui_support::copy_example();
    let home = ex.tmp.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let (mut child, mut writer, mut screen) = spawn(&ex.dir, &home);

    screen.wait_for("16 missing");
    screen.wait_for("G generates 9 secrets");
    assert!(screen.parser.screen().alternate_screen());
    let first = screen.parser.screen().contents();
    assert!(first.contains("POSTGRES_PASSWORD"), "{first}");
    assert!(
        first.contains("is not set in .env but required by"),
        "{first}"
    );

    writer.write_all(b"G").unwrap();
    writer.flush().unwrap();
    screen.wait_for("Generated 9 values");
    assert!(screen.parser.screen().contents().contains("0 missing"));

    writer.write_all(b"s").unwrap();
    writer.flush().unwrap();
    screen.wait_for("Saved .env (0600)");
    let saved = screen.parser.screen().contents();
    assert!(saved.contains("backup .env."), "{saved}");
    // A first save creates the backup key: its notice is shown whole until acknowledged.
    screen.wait_for("Backup key created");
    let notice = screen.parser.screen().contents();
    assert!(notice.contains("keep a copy somewhere safe"), "{notice}");
    writer.write_all(b"\r").unwrap();
    writer.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while screen
        .parser
        .screen()
        .contents()
        .contains("Backup key created")
    {
        assert!(Instant::now() < deadline, "the notice did not close");
        screen.pump(Duration::from_millis(50));
    }

    writer.write_all(b"q").unwrap();
    writer.flush().unwrap();
    let status = wait_exit(&mut child, &mut screen);
    assert!(status.success(), "exit status {status:?}");
    assert!(
        !screen.parser.screen().alternate_screen(),
        "the terminal was left on the alternate screen"
    );
    assert!(
        !screen.parser.screen().hide_cursor(),
        "the cursor was left hidden"
    );

    // The live file: 0600, with an encrypted backup next to it.
    let env = ex.dir.join(".env");
    let mode = std::fs::metadata(&env).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "mode {mode:o}");
    let backups: Vec<_> = std::fs::read_dir(&ex.dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with(".env.")
                && std::path::Path::new(n)
                    .extension()
                    .is_some_and(|e| e == "age")
        })
        .collect();
    assert!(!backups.is_empty(), "no backup next to .env");
    assert!(
        home.join(".config/envward/identity.txt").is_file(),
        "the backup identity was created in the test's own config dir"
    );

    // Complete: `check` finds nothing generatable left.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_envward"))
        .args(["check", "--format", "json"])
        .current_dir(&ex.dir)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let generatable: Vec<&serde_json::Value> = report["variables"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["class"] == "secret")
        .collect();
    assert!(!generatable.is_empty());
    for v in generatable {
        assert!(
            !["missing", "placeholder", "weak"].contains(&v["status"].as_str().unwrap()),
            "{v}"
        );
    }

    // No generated value ever reached the terminal, on any screen or in the raw stream.
    let text = std::fs::read_to_string(&env).unwrap();
    let doc = envward::dotenv::parse(&text).unwrap();
    let values = doc.to_map(&|_: &str| None).unwrap();
    let mut checked = 0;
    for v in report["variables"].as_array().unwrap() {
        if v["class"] != "secret" {
            continue;
        }
        let value = &values[v["name"].as_str().unwrap()];
        assert!(value.len() >= 32, "{} is short", v["name"]);
        let raw = String::from_utf8_lossy(&screen.raw);
        assert!(
            !raw.contains(value.as_str()),
            "{} reached the terminal",
            v["name"]
        );
        for s in &screen.screens {
            assert!(!s.contains(value.as_str()), "{} was on screen", v["name"]);
        }
        // Not even its first 8 characters.
        assert!(
            !raw.contains(&value[..8]),
            "{} (prefix) reached the terminal",
            v["name"]
        );
        checked += 1;
    }
    assert!(checked >= 7, "checked {checked} values");
}

#[test]
fn sigterm_restores_the_terminal() {
    let ex = tui_support::copy_example();
    let home = ex.tmp.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let (mut child, _writer, mut screen) = spawn(&ex.dir, &home);
    screen.wait_for("G generates 9 secrets");
    assert!(screen.parser.screen().alternate_screen());
    let pid = child.process_id().unwrap();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    wait_exit(&mut child, &mut screen);
    assert!(!screen.parser.screen().alternate_screen());
    assert!(!screen.parser.screen().hide_cursor());
    assert!(!ex.dir.join(".env").exists(), "nothing is saved on SIGTERM");
}

#[test]
fn without_a_terminal_it_points_to_check_and_exits_2() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_envward"))
        .current_dir(tui_support::example_dir())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("envward check"), "{err}");
    assert!(out.stdout.is_empty());
}

/// Regression: when its terminal went away (a tmux window or an SSH session closed), envward
/// read end-of-file in a busy loop at full CPU and never exited: under a multiplexer's shell
/// the SIGHUP does not reach it and crossterm's poll spins on the dead terminal. Driven with
/// tmux, which reproduces it (a pseudo-terminal we own does not); `.ci/run` installs tmux.
#[test]
fn closing_the_terminal_ends_envward() {
    if std::process::Command::new("tmux")
        .arg("-V")
        .output()
        .is_err()
    {
        assert!(
            std::env::var("ENVWARD_REQUIRE_AGE").as_deref() != Ok("1"),
            "tmux is required in CI for this test"
        );
        eprintln!("skipping: tmux is not installed");
        return;
    }
    let ex = tui_support::copy_example();
    let home = ex.tmp.path().join("home");
    std::fs::create_dir(&home).unwrap();
    let socket = format!("envward-test-{}", std::process::id());
    let tmux = |args: &[&str]| {
        std::process::Command::new("tmux")
            .args(["-L", &socket])
            .args(args)
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env_remove("ENVWARD_IDENTITY")
            .env_remove("TMUX")
            .output()
            .unwrap()
    };
    let bin = env!("CARGO_BIN_EXE_envward");
    let dir = ex.dir.display().to_string();
    let command = format!("'{bin}' -C '{dir}'");
    assert!(
        tmux(&[
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            "80",
            "-y",
            "24",
            &command
        ])
        .status
        .success()
    );
    let running = || {
        std::process::Command::new("pgrep")
            .args(["-f", &format!("{bin} -C {dir}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let screen =
            String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned();
        if screen.contains("G generates") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "envward did not draw in tmux:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(running());
    tmux(&["kill-server"]);
    let deadline = Instant::now() + Duration::from_secs(5);
    while running() {
        if Instant::now() > deadline {
            let _ = std::process::Command::new("pkill")
                .args(["-9", "-f", &format!("{bin} -C {dir}")])
                .status();
            panic!("envward kept running after its terminal closed");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!ex.dir.join(".env").exists(), "nothing is saved on hang-up");
}
