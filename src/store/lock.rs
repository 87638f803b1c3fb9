//! The save lock: one envward at a time reads, checks and writes a given live file.
//!
//! A save holds an exclusive `flock(2)` on a lock file beside the live file for its whole
//! read–check–write: reading the current content, comparing it with what the caller read,
//! writing the backups and replacing the file. Another envward saving the same file waits
//! up to [`WAIT`] and then refuses with [`StoreError::Locked`]. The lock is advisory: it
//! orders envward processes; an editor that does not take it is caught by the
//! "changed on disk" checks instead (see [`super::atomic`]).
//!
//! The lock file is `.env.envward-lock.env` beside a live file named `.env`, and
//! `.env.envward-lock.<name>.env` beside any other live file `<name>`: it starts with `.env`
//! and ends with `.env`, so the ignore rules people write for env files (`.env*`, `.env.*`,
//! `*.env`) cover it. It is empty, mode 0600, and stays after the save: deleting a lock file
//! while another process waits on it would let two processes hold "the" lock at once.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rustix::fs::{FlockOperation, Mode, OFlags};
use rustix::io::Errno;

use super::StoreError;
use super::atomic::parent_dir;

/// How long a save waits for another envward to finish before refusing.
pub const WAIT: Duration = Duration::from_secs(3);

/// How often a waiting save tries the lock again.
const POLL: Duration = Duration::from_millis(20);

/// The lock file's name for a live file called `live_name`.
pub fn lock_name(live_name: &OsStr) -> OsString {
    beside_name(live_name, "lock")
}

/// The name of envward's `what` file beside a live file called `live_name`:
/// `.env.envward-WHAT.env` for `.env`, `.env.envward-WHAT.NAME.env` otherwise. It starts
/// with `.env` and ends with `.env`, so env-file ignore rules cover it.
pub fn beside_name(live_name: &OsStr, what: &str) -> OsString {
    if live_name == ".env" {
        return OsString::from(format!(".env.envward-{what}.env"));
    }
    let mut name = OsString::from(format!(".env.envward-{what}."));
    name.push(live_name);
    name.push(".env");
    name
}

/// The lock file beside `live_path`.
pub fn lock_path(live_path: &Path) -> PathBuf {
    let name = live_path.file_name().unwrap_or(live_path.as_os_str());
    parent_dir(live_path).join(lock_name(name))
}

/// A held save lock; released when dropped (or when the process ends, however it ends).
#[derive(Debug)]
pub struct SaveLock {
    // Held for its lock; closing it releases the lock.
    _file: Option<File>,
}

/// Takes the save lock of `live_path`, waiting up to `wait` for another holder.
///
/// On a filesystem without `flock` support the save goes on unlocked (as envward 0.1 did);
/// the changed-on-disk checks still apply.
pub fn acquire(live_path: &Path, wait: Duration) -> Result<SaveLock, StoreError> {
    let path = lock_path(live_path);
    // NOFOLLOW: a link planted at the lock's name must not make us create or lock a file
    // elsewhere. NONBLOCK: something that is not a file (a FIFO) must not hang the open.
    let fd = rustix::fs::open(
        &path,
        OFlags::RDWR | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NONBLOCK,
        Mode::from_raw_mode(0o600),
    )
    .map_err(|e| match e {
        Errno::LOOP => StoreError::NotRegularFile { path: path.clone() },
        // The directory is missing: say so, rather than "lock file not found".
        Errno::NOENT => StoreError::Io {
            path: parent_dir(live_path).to_path_buf(),
            action: "create a lock file in",
            source: e.into(),
        },
        other => StoreError::io(&path, "open the lock file", other.into()),
    })?;
    let file = File::from(fd);
    let metadata = file
        .metadata()
        .map_err(|e| StoreError::io(&path, "read the metadata of", e))?;
    if !metadata.is_file() {
        return Err(StoreError::NotRegularFile { path });
    }
    let deadline = Instant::now() + wait;
    loop {
        match rustix::fs::flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => return Ok(SaveLock { _file: Some(file) }),
            Err(Errno::WOULDBLOCK) => {}
            Err(Errno::NOSYS | Errno::OPNOTSUPP | Errno::NOLCK) => {
                return Ok(SaveLock { _file: None });
            }
            Err(other) => return Err(StoreError::io(&path, "lock", other.into())),
        }
        if Instant::now() >= deadline {
            return Err(StoreError::Locked {
                live: live_path.to_path_buf(),
                lock: path,
                waited: wait,
            });
        }
        std::thread::sleep(POLL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_names_start_and_end_with_dot_env() {
        assert_eq!(lock_name(OsStr::new(".env")), ".env.envward-lock.env");
        assert_eq!(
            lock_name(OsStr::new("prod.env")),
            ".env.envward-lock.prod.env.env"
        );
        assert_eq!(
            lock_name(OsStr::new(".env.production")),
            ".env.envward-lock..env.production.env"
        );
    }

    #[test]
    fn a_second_holder_waits_then_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join(".env");
        let held = acquire(&live, WAIT).unwrap();
        let started = Instant::now();
        let err = acquire(&live, Duration::from_millis(100)).unwrap_err();
        assert!(started.elapsed() >= Duration::from_millis(100));
        assert!(matches!(err, StoreError::Locked { .. }), "{err}");
        drop(held);
        acquire(&live, Duration::ZERO).unwrap();
    }

    #[test]
    fn a_planted_link_at_the_lock_name_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join(".env");
        std::os::unix::fs::symlink("/etc/passwd", lock_path(&live)).unwrap();
        let err = acquire(&live, WAIT).unwrap_err();
        assert!(matches!(err, StoreError::NotRegularFile { .. }), "{err}");
    }
}
