//! The command line as documentation: shell completions for bash, zsh and fish, the man
//! page (generated here with `clap_mangen` and kept in `assets/envward.1`, rewritten with
//! `ENVWARD_UPDATE_ASSETS=1 cargo test --test cli_docs`), global flags under their own
//! heading in every `--help`, `--color`, and a `-C` directory that does not exist.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use clap::CommandFactory;
use common::TestProject;

fn envward() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::new(env!("CARGO_BIN_EXE_envward"));
    c.env_remove("NO_COLOR");
    c
}

#[test]
fn completions_for_bash_zsh_and_fish_name_every_command() {
    for shell in ["bash", "zsh", "fish"] {
        let out = envward().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for word in ["check", "fill", "restore", "--env-file", "--color"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
        // The shell itself reads it, where installed.
        if let Ok(status) = std::process::Command::new(shell)
            .arg("-n")
            .arg("-c")
            .arg(&script)
            .status()
            && shell != "fish"
        {
            assert!(status.success(), "{shell} rejects its completion script");
        }
    }
    envward().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn the_man_page_is_generated_and_current() {
    let mut page = Vec::new();
    clap_mangen::Man::new(envward::cli::Cli::command())
        .render(&mut page)
        .unwrap();
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains(".TH envward"), "{page}");
    assert!(page.contains("\\-\\-env\\-file"), "{page}");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/envward.1");
    if std::env::var_os("ENVWARD_UPDATE_ASSETS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &page).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == page,
        "assets/envward.1 is stale; run `ENVWARD_UPDATE_ASSETS=1 cargo test --test cli_docs` \
         and commit the result"
    );
}

#[test]
fn global_flags_have_their_own_heading_in_every_help() {
    for args in [&["--help"][..], &["check", "--help"], &["fill", "--help"]] {
        let out = envward().args(args).output().unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        let at = help
            .find("Global options:")
            .unwrap_or_else(|| panic!("{args:?}: {help}"));
        let global = &help[at..];
        for flag in ["-C, --directory", "--env-file", "--color", "-i, --identity"] {
            assert!(
                global.contains(flag),
                "{args:?}: {flag} not under the heading"
            );
        }
    }
}

#[test]
fn color_always_and_never_override_the_terminal_test() {
    let p = TestProject::new().file(
        "compose.yaml",
        "services:\n  a:\n    image: x\n    environment:\n      A: ${SECRET_KEY}\n",
    );
    let run = |args: &[&str]| {
        let out = p.cmd().env_remove("NO_COLOR").args(args).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(run(&["--color", "always", "check"]).contains("\x1b["));
    assert!(!run(&["--color", "never", "check"]).contains("\x1b["));
    // Piped: auto means no colour.
    assert!(!run(&["check"]).contains("\x1b["));
    assert!(!run(&["--color", "always", "--no-color", "check"]).contains("\x1b["));
}

#[test]
fn a_missing_directory_for_dash_c_is_named_with_exit_2() {
    let out = envward()
        .args(["-C", "/nonexistent/project", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: /nonexistent/project: no such directory (given to -C)\n"
    );
}
