//! A provider's credential typed at `envward rotate`'s masked prompt, in a real
//! pseudo-terminal: the new value is saved and never echoed.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

#[test]
fn a_typed_provider_token_is_masked_and_saved() {
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  bot:\n    image: example/bot\n    environment:\n      TELEGRAM_BOT_TOKEN: ${TELEGRAM_BOT_TOKEN}\n",
    )
    .unwrap();
    let old = "123456789:AAF1kE4tY7uI9oP2aS5dF8gH0jK3lZ6xC9v";
    std::fs::write(
        dir.path().join(".env"),
        format!("TELEGRAM_BOT_TOKEN={old}\n"),
    )
    .unwrap();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_envward"));
    cmd.args(["rotate", "TELEGRAM_BOT_TOKEN", "--yes"]);
    cmd.cwd(dir.path());
    cmd.env("HOME", home.path());
    cmd.env("XDG_CONFIG_HOME", home.path().join(".config"));
    cmd.env("NO_COLOR", "1");
    cmd.env_remove("ENVWARD_IDENTITY");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !String::from_utf8_lossy(&seen).contains("(hidden): ") {
        assert!(
            Instant::now() < deadline,
            "no prompt: {}",
            String::from_utf8_lossy(&seen)
        );
        if let Ok(b) = rx.recv_timeout(Duration::from_millis(100)) {
            seen.extend(b);
        }
    }
    // The prompt is printed just before echo is turned off: type as a person would, after it.
    std::thread::sleep(Duration::from_millis(500));
    let fresh = "987654321:BBG2lF5uZ8vJ0pQ3bT6eG9hI1kL4mA7yD0w";
    writer.write_all(format!("{fresh}\r").as_bytes()).unwrap();
    writer.flush().unwrap();
    let status = child.wait().unwrap();
    while let Ok(b) = rx.recv_timeout(Duration::from_millis(300)) {
        seen.extend(b);
    }
    let shown = String::from_utf8_lossy(&seen).into_owned();
    assert!(status.success(), "{shown}");
    assert!(!shown.contains(fresh) && !shown.contains(old), "{shown}");
    assert!(
        shown.contains("revoke the old TELEGRAM_BOT_TOKEN"),
        "{shown}"
    );
    let live = std::fs::read_to_string(dir.path().join(".env")).unwrap();
    assert_eq!(live, format!("TELEGRAM_BOT_TOKEN={fresh}\n"));
}
