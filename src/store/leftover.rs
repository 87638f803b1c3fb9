//! Temporary files: how they are named, and finding and sweeping those a crash left behind.
//!
//! The atomic writer writes a whole new file (often a whole `.env`, in plaintext, mode 0600)
//! under a temporary name before renaming it into place; a crash in between leaves it there.
//! The name is `.env.envward-tmp-XXXXXX.env`: it starts with `.env.` and ends with `.env`,
//! so the ignore rules people write for env files (`.env*`, `.env.*`, `*.env`) keep it out
//! of git. envward 0.1 named them `.<target>.XXXXXX.envward-tmp`; those are found too.
//!
//! A writer holds an exclusive `flock(2)` on its temporary file for as long as it exists.
//! [`sweep`] removes a leftover only when it is older than the running process and no one
//! holds that lock, so a save in progress in another envward is never disturbed.

use std::ffi::OsStr;
use std::fs::{self, File};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::SystemTime;

use rustix::fs::{FlockOperation, Mode, OFlags};

use super::atomic::sync_dir;

/// The start of every temporary file's name.
pub const TEMP_PREFIX: &str = ".env.envward-tmp-";
/// The end of every temporary file's name.
pub const TEMP_SUFFIX: &str = ".env";
/// How many random characters sit between [`TEMP_PREFIX`] and [`TEMP_SUFFIX`].
pub const TEMP_RANDOM_LEN: usize = 6;

/// The end of the names envward 0.1 gave its temporary files.
const LEGACY_SUFFIX: &str = ".envward-tmp";

static PROCESS_START: OnceLock<SystemTime> = OnceLock::new();

/// Records now as the start of this process; files older than it cannot be one of its own
/// writes in progress. Call it first thing in `main`; later calls change nothing.
pub fn mark_process_start() {
    let _ = PROCESS_START.set(SystemTime::now());
}

/// When this process started (or first asked, if [`mark_process_start`] was never called).
pub fn process_start() -> SystemTime {
    *PROCESS_START.get_or_init(SystemTime::now)
}

/// True when `name` is the name of an envward temporary file (this version's or 0.1's).
pub fn is_temp_name(name: &OsStr) -> bool {
    let bytes = name.as_bytes();
    let current = bytes.len() == TEMP_PREFIX.len() + TEMP_RANDOM_LEN + TEMP_SUFFIX.len()
        && bytes.starts_with(TEMP_PREFIX.as_bytes())
        && bytes.ends_with(TEMP_SUFFIX.as_bytes());
    let legacy = bytes.len() > 1 + LEGACY_SUFFIX.len()
        && bytes.starts_with(b".")
        && bytes.ends_with(LEGACY_SUFFIX.as_bytes());
    current || legacy
}

/// The envward temporary files (regular files only) directly in `dir`, sorted by name.
/// An unreadable directory gives none: this only ever adds a warning.
pub fn find(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| is_temp_name(&e.file_name()))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// Removes the leftover temporary files in `dir` that are older than this process and not
/// locked by a writer, and returns them. Files in use are left alone. Best effort: a file
/// that cannot be removed stays (and `check` keeps reporting it); it never stops a save.
pub fn sweep(dir: &Path) -> Vec<PathBuf> {
    let started = process_start();
    let removed: Vec<PathBuf> = find(dir)
        .into_iter()
        .filter(|path| remove_if_stale(path, started))
        .collect();
    if !removed.is_empty() {
        let _ = sync_dir(dir);
    }
    removed
}

fn remove_if_stale(path: &Path, started: SystemTime) -> bool {
    let Ok(before) = fs::symlink_metadata(path) else {
        return false;
    };
    if !before.is_file() || before.modified().is_ok_and(|m| m >= started) {
        return false;
    }
    let Ok(fd) = rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    ) else {
        return false;
    };
    let file = File::from(fd);
    if rustix::fs::flock(&file, FlockOperation::NonBlockingLockExclusive).is_err() {
        // A writer holds it: a save in progress.
        return false;
    }
    // Remove the file we checked, not one that replaced it meanwhile.
    let same = file
        .metadata()
        .is_ok_and(|m| m.dev() == before.dev() && m.ino() == before.ino());
    same && fs::remove_file(path).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_are_recognised() {
        for yes in [
            ".env.envward-tmp-Ab3xYz.env",
            "..env.Q1w2E3.envward-tmp",
            ".prod.env.Q1w2E3.envward-tmp",
        ] {
            assert!(is_temp_name(OsStr::new(yes)), "{yes}");
        }
        for no in [
            ".env",
            ".env.envward-tmp-.env",
            ".env.envward-tmp-Ab3xYzz.env",
            ".env.envward-lock.env",
            "x.envward-tmp",
            ".envward-tmp",
        ] {
            assert!(!is_temp_name(OsStr::new(no)), "{no}");
        }
    }

    #[test]
    fn sweep_removes_old_unlocked_leftovers_and_keeps_locked_or_new_ones() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(".env.envward-tmp-aaaaaa.env");
        let locked = dir.path().join(".env.envward-tmp-bbbbbb.env");
        fs::write(&old, "A=1\n").unwrap();
        fs::write(&locked, "A=2\n").unwrap();
        let holder = File::open(&locked).unwrap();
        rustix::fs::flock(&holder, FlockOperation::LockExclusive).unwrap();
        // Both are older than a process that starts now.
        std::thread::sleep(std::time::Duration::from_millis(20));
        let started = SystemTime::now();
        assert!(remove_if_stale(&old, started));
        assert!(!remove_if_stale(&locked, started));
        assert!(locked.exists() && !old.exists());
        // File times come from a coarse clock (a tick behind `SystemTime::now`).
        std::thread::sleep(std::time::Duration::from_millis(30));
        let young = dir.path().join(".env.envward-tmp-cccccc.env");
        fs::write(&young, "A=3\n").unwrap();
        assert!(!remove_if_stale(&young, started));
    }
}
