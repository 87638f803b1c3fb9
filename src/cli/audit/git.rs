//! The git facts `audit` needs — the live file's standing, the history scan, the tracked
//! files — each asked through [`safe_git`], so no program the repository configures runs.

use std::io::{BufRead, BufReader};
use std::ops::Not;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use jiff::Timestamp;

use crate::analysis::{GitFacts, Knowledge};
use crate::audit::history::{self, Needles, Scanner};
use crate::audit::{LiteralScan, literals};
use crate::cli::workspace;
use crate::store;

/// A `git` command that runs no program the repository (or the system) configures.
///
/// The environment loses every `GIT_*` variable (`GIT_DIR`, `GIT_EXTERNAL_DIFF`,
/// `GIT_CONFIG_PARAMETERS` … could redirect git or name programs); the system config is
/// skipped; `-c` settings, which beat every config file, turn off the fsmonitor hook,
/// signature checking (`gpg.program`), pagers and every transport (no lazy fetch in a partial
/// clone, so no `core.sshCommand`). Hooks do not run for the read-only commands used here.
pub fn safe_git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("GIT_") {
            c.env_remove(key);
        }
    }
    c.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_PAGER", "cat")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .arg("--no-pager")
        .arg("-C")
        .arg(dir);
    for setting in [
        "core.fsmonitor=false",
        "core.untrackedCache=false",
        "core.pager=cat",
        "log.showSignature=false",
        "protocol.allow=never",
        "core.quotePath=true",
    ] {
        c.arg("-c").arg(setting);
    }
    c.stdin(Stdio::null());
    c
}

pub(super) fn in_work_tree(dir: &Path) -> bool {
    dir.ancestors().any(|d| d.join(".git").exists())
}

/// Whether the live file is tracked and ignored, asked the safe way (`ls-files` and
/// `check-ignore` read the index and ignore files; with the fsmonitor off nothing runs).
pub(super) fn git_standing(live: &Path) -> Option<GitFacts> {
    let dir = live.parent()?;
    if !in_work_tree(dir) {
        return None;
    }
    let name = live.file_name()?;
    let tracked = safe_git(dir)
        .args(["ls-files", "--cached", "-z", "--"])
        .arg(name)
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())?
        .stdout
        .is_empty()
        .not();
    let ignored = safe_git(dir)
        .args(["check-ignore", "-q", "--no-index", "--"])
        .arg(name)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    // 0: ignored, 1: not ignored, anything else: git could not tell.
    match ignored.code() {
        Some(0) => Some(GitFacts {
            ignored: true,
            tracked,
        }),
        Some(1) => Some(GitFacts {
            ignored: false,
            tracked,
        }),
        _ => None,
    }
}

/// Streams `git log -p` through the scanner: one process, read as it writes.
pub(super) fn scan_history(
    dir: &Path,
    needles: &Needles,
    since: Option<Timestamp>,
    until: Option<Timestamp>,
) -> Result<history::Scan, String> {
    if !in_work_tree(dir) {
        return Err("not inside a git work tree".to_string());
    }
    let mut child = safe_git(dir)
        .args(history::git_log_args(since, until))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not run git: {e}"))?;
    let mut scanner = Scanner::new(needles);
    if let Some(out) = child.stdout.take() {
        let mut reader = BufReader::with_capacity(1 << 16, out);
        let mut line = Vec::with_capacity(256);
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(_) => scanner.line(&line),
                Err(e) => return Err(format!("reading git log: {e}")),
            }
        }
    }
    let status = child.wait().map_err(|e| format!("git log: {e}"))?;
    if !status.success() {
        return Err(format!(
            "git log failed ({status}): the history could not be read"
        ));
    }
    Ok(scanner.finish())
}

/// Tracked files under `dir` that the literal check reads, scanned.
pub(super) fn scan_literals(
    ws: &workspace::Workspace,
    knowledge: &Knowledge,
) -> Result<LiteralScan, String> {
    let dir = &ws.project.working_dir;
    if !in_work_tree(dir) {
        return Err("not inside a git work tree".to_string());
    }
    let out = safe_git(dir)
        .args(["ls-files", "-z", "--cached"])
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("could not run git: {e}"))?;
    if !out.status.success() {
        return Err(format!("git ls-files failed ({})", out.status));
    }
    let mut scan = LiteralScan::default();
    for raw in out.stdout.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let rel = PathBuf::from(String::from_utf8_lossy(raw).into_owned());
        if !literals::is_candidate(&rel) {
            continue;
        }
        let path = dir.join(&rel);
        // Deleted in the work tree, too large or not text: nothing a config loader reads.
        let Ok(loaded) = store::read::read_text(&path) else {
            continue;
        };
        scan.files += 1;
        scan.found
            .extend(literals::scan(&ws.display(&path), &loaded.text, knowledge));
    }
    Ok(scan)
}
