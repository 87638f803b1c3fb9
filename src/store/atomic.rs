//! The atomic writer: files are born private and replaced whole.
//!
//! [`write_atomic`] creates a temporary file in the target's own directory with mode 0600
//! from the first instant (whatever the umask), writes the bytes exactly as given, syncs
//! them, renames the temporary file over the target and syncs the directory. At no moment
//! can the group or others read the content, and a crash at any step leaves the old file or
//! the new file whole, never a mix (see [`super::failpoint`] for the crash tests).
//!
//! The writer never `chmod`s after writing: a file that was wider than 0600 is replaced by a
//! 0600 one, and [`WriteReport::previous_mode`] lets the caller say so.
//!
//! The temporary file is named as [`super::leftover`] describes (covered by `.env*` and
//! `*.env` ignore rules) and locked while it exists, so a later run can sweep it if a crash
//! leaves it behind.
//!
//! With an expected snapshot, the replacement is an exchange (`renameat2` with
//! `RENAME_EXCHANGE`): the new file takes the target's name and the displaced file takes the
//! temporary name, where it is compared with the snapshot. If someone changed the target
//! after the last check (an editor saving during the write), the two are exchanged back, the
//! edit stays in place and the write is refused, so no edit is silently overwritten. Where
//! the filesystem cannot exchange, a plain rename follows the last check.

use std::fs::{self, File, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use rustix::fs::{FlockOperation, RenameFlags};
use rustix::io::Errno;

use super::StoreError;
use super::failpoint;
use super::leftover;
use super::read::{Snapshot, snapshot_of};

/// Symbolic links followed before giving up, as the kernel's own limit.
const MAX_SYMLINK_HOPS: usize = 40;

/// The mode every file written by envward is created with.
const PRIVATE_MODE: u32 = 0o600;

/// How [`write_atomic`] treats what is already at the target.
#[derive(Clone, Debug, Default)]
pub struct WriteOptions {
    /// When set, the write is refused with [`StoreError::ChangedOnDisk`] unless the target
    /// still has the content this snapshot describes ([`Snapshot::absent`] means "must
    /// still not exist").
    pub expected: Option<Snapshot>,
    /// A target that is a symbolic link is refused unless this is true; when true, the
    /// link's final target is replaced and the link itself is kept.
    pub follow_symlinks: bool,
    /// Refuse with [`StoreError::AlreadyExists`] instead of replacing an existing file.
    /// The check and the rename are one step, so two writers can never both win.
    pub create_new: bool,
}

/// What [`write_atomic`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteReport {
    /// The file actually written: the target itself, or the end of its symbolic links.
    pub written: PathBuf,
    /// The old file's permission bits when they let the group or others in, so the caller
    /// can say "mode was 0644, now 0600".
    pub previous_mode: Option<u32>,
}

/// Replaces `path` with `bytes`, atomically and privately (mode 0600).
///
/// The bytes are written exactly as given (line endings included). See the module
/// documentation for the steps and [`WriteOptions`] for the checks made first. With
/// `create_new`, nothing at `path` is followed or replaced, a symbolic link included.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    options: &WriteOptions,
) -> Result<WriteReport, StoreError> {
    let target = if options.create_new {
        match fs::symlink_metadata(path) {
            Ok(_) => {
                return Err(StoreError::AlreadyExists {
                    path: path.to_path_buf(),
                });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => path.to_path_buf(),
            Err(e) => return Err(StoreError::io(path, "read the metadata of", e)),
        }
    } else {
        resolve_target(path, options.follow_symlinks)?
    };
    let previous_mode = match fs::metadata(&target) {
        Ok(metadata) if metadata.is_dir() => {
            return Err(StoreError::IsDirectory { path: target });
        }
        Ok(metadata) if !metadata.is_file() => {
            return Err(StoreError::NotRegularFile { path: target });
        }
        Ok(metadata) => Some(metadata.permissions().mode() & 0o7777).filter(|m| m & 0o077 != 0),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(StoreError::io(&target, "read the metadata of", e)),
    };
    if let Some(expected) = &options.expected {
        check_unchanged(&target, expected)?;
    }

    let dir = parent_dir(&target);
    if target.file_name().is_none() {
        return Err(StoreError::IsDirectory { path: target });
    }

    failpoint::hit(failpoint::BEFORE_TEMP);
    // The mode is given to open(2), so the file never exists with wider permissions; the
    // umask can only narrow it further.
    let mut temp = tempfile::Builder::new()
        .prefix(leftover::TEMP_PREFIX)
        .rand_bytes(leftover::TEMP_RANDOM_LEN)
        .suffix(leftover::TEMP_SUFFIX)
        .permissions(Permissions::from_mode(PRIVATE_MODE))
        .tempfile_in(dir)
        .map_err(|e| StoreError::io(dir, "create a temporary file in", e))?;
    // Tells a sweeping envward that this file is in use. Nobody else can hold the lock of a
    // file this new, and a filesystem without locks only loses that protection.
    let _ = rustix::fs::flock(temp.as_file(), FlockOperation::NonBlockingLockExclusive);
    temp.write_all(bytes)
        .map_err(|e| StoreError::io(temp.path(), "write", e))?;
    failpoint::hit(failpoint::AFTER_TEMP_WRITE);
    temp.as_file()
        .sync_all()
        .map_err(|e| StoreError::io(temp.path(), "sync", e))?;
    failpoint::hit(failpoint::AFTER_FSYNC);

    let expected = options.expected.as_ref().filter(|e| !e.is_absent());
    match expected {
        Some(expected) if !options.create_new => {
            if exchange_into_place(&temp, &target, expected)? {
                // The temporary name holds the old content now: remove it at once (if this
                // fails, it is a leftover the next run sweeps).
                let _ = temp.close();
            } else {
                temp.persist(&target).map_err(|err| {
                    StoreError::io(&target, "rename a temporary file onto", err.error)
                })?;
            }
        }
        // On error the temporary file is handed back and removed when dropped.
        _ => {
            // A file that must not exist yet (a new backup, or a live file that was absent
            // when read) never replaces one that appeared meanwhile.
            let must_be_new = options.create_new || options.expected.is_some();
            let persisted = if must_be_new {
                temp.persist_noclobber(&target)
            } else {
                temp.persist(&target)
            };
            if let Err(err) = persisted {
                if err.error.kind() == io::ErrorKind::AlreadyExists {
                    return Err(if options.create_new {
                        StoreError::AlreadyExists { path: target }
                    } else {
                        StoreError::ChangedOnDisk { path: target }
                    });
                }
                return Err(StoreError::io(
                    &target,
                    "rename a temporary file onto",
                    err.error,
                ));
            }
        }
    }
    failpoint::hit(failpoint::AFTER_RENAME);
    sync_dir(dir)?;

    Ok(WriteReport {
        written: target,
        previous_mode,
    })
}

/// Puts `temp` in place of `target` by exchanging the two, then checks that what was
/// displaced is what `expected` describes; if not, exchanges them back and refuses with
/// [`StoreError::ChangedOnDisk`]. Returns `Ok(false)`, having changed nothing, when the
/// filesystem cannot exchange. On success the displaced file (the old content) sits at the
/// temporary name, for the caller to remove.
fn exchange_into_place(
    temp: &tempfile::NamedTempFile,
    target: &Path,
    expected: &Snapshot,
) -> Result<bool, StoreError> {
    let cwd = rustix::fs::CWD;
    match rustix::fs::renameat_with(cwd, temp.path(), cwd, target, RenameFlags::EXCHANGE) {
        Ok(()) => {}
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => return Ok(false),
        Err(Errno::NOENT) => {
            // The target was deleted since the last check: that is a change too.
            return Err(StoreError::ChangedOnDisk {
                path: target.to_path_buf(),
            });
        }
        Err(e) => {
            return Err(StoreError::io(
                target,
                "exchange a temporary file with",
                e.into(),
            ));
        }
    }
    failpoint::hit(failpoint::AFTER_EXCHANGE);
    // The temporary name now holds what was live a moment ago.
    let displaced = snapshot_of(temp.path());
    if displaced.is_ok_and(|d| expected.same_content(&d)) {
        // The caller removes the displaced old content (it is in a backup already).
        return Ok(true);
    }
    rustix::fs::renameat_with(cwd, temp.path(), cwd, target, RenameFlags::EXCHANGE).map_err(
        |e| {
            StoreError::io(
                target,
                "put back an edit made during the write to",
                e.into(),
            )
        },
    )?;
    Err(StoreError::ChangedOnDisk {
        path: target.to_path_buf(),
    })
}

/// Where a write to `path` must go: `path` itself when it is not a symbolic link (or does
/// not exist yet); otherwise [`StoreError::Symlink`], or with `follow` the end of the chain
/// of links (which may not exist yet).
pub fn resolve_target(path: &Path, follow: bool) -> Result<PathBuf, StoreError> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_SYMLINK_HOPS {
        let metadata = match fs::symlink_metadata(&current) {
            Ok(metadata) => metadata,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(e) => return Err(StoreError::io(&current, "read the metadata of", e)),
        };
        if !metadata.file_type().is_symlink() {
            return Ok(current);
        }
        let link = fs::read_link(&current)
            .map_err(|e| StoreError::io(&current, "read the symbolic link", e))?;
        if !follow {
            return Err(StoreError::Symlink {
                path: path.to_path_buf(),
                target: link,
            });
        }
        current = if link.is_absolute() {
            link
        } else {
            parent_dir(&current).join(link)
        };
    }
    Err(StoreError::SymlinkLoop {
        path: path.to_path_buf(),
    })
}

/// Refuses with [`StoreError::ChangedOnDisk`] unless the file at `path` has the content
/// `expected` describes.
pub fn check_unchanged(path: &Path, expected: &Snapshot) -> Result<(), StoreError> {
    let now = snapshot_of(path)?;
    if expected.same_content(&now) {
        Ok(())
    } else {
        Err(StoreError::ChangedOnDisk {
            path: path.to_path_buf(),
        })
    }
}

/// Sets the process umask to 077 so that anything envward creates, by any route, is
/// private. Returns the previous umask. Call it once at startup.
pub fn set_private_umask() -> u32 {
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077)).as_raw_mode()
}

/// Syncs a directory so a rename or removal in it survives a crash.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| StoreError::io(dir, "sync the directory", e))
}

/// The directory holding `path` ("." for a bare file name).
pub(crate) fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn writes_new_file_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        let report = write_atomic(&path, b"A=1\r\n", &WriteOptions::default()).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"A=1\r\n");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(report.previous_mode, None);
        assert_eq!(report.written, path);
    }

    #[test]
    fn reports_a_wide_previous_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, Permissions::from_mode(0o644)).unwrap();
        let report = write_atomic(&path, b"new", &WriteOptions::default()).unwrap();
        assert_eq!(report.previous_mode, Some(0o644));
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        write_atomic(&path, b"one", &WriteOptions::default()).unwrap();
        write_atomic(&path, b"two", &WriteOptions::default()).unwrap();
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from(".env")]);
    }

    #[test]
    fn relative_links_resolve_against_the_link_directory() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("real")).unwrap();
        symlink("real/.env", dir.path().join(".env")).unwrap();
        let resolved = resolve_target(&dir.path().join(".env"), true).unwrap();
        assert_eq!(resolved, dir.path().join("real/.env"));
    }

    #[test]
    fn symlink_loops_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        symlink("b", dir.path().join("a")).unwrap();
        symlink("a", dir.path().join("b")).unwrap();
        let err = resolve_target(&dir.path().join("a"), true).unwrap_err();
        assert!(matches!(err, StoreError::SymlinkLoop { .. }), "{err}");
    }

    #[test]
    fn create_new_refuses_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.age");
        fs::write(&path, "x").unwrap();
        let options = WriteOptions {
            create_new: true,
            ..WriteOptions::default()
        };
        let err = write_atomic(&path, b"y", &options).unwrap_err();
        assert!(matches!(err, StoreError::AlreadyExists { .. }), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"x");
    }

    #[test]
    fn refuses_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomic(dir.path(), b"y", &WriteOptions::default()).unwrap_err();
        assert!(matches!(err, StoreError::IsDirectory { .. }), "{err}");
    }

    #[test]
    fn bare_file_names_live_in_the_current_directory() {
        assert_eq!(parent_dir(Path::new(".env")), Path::new("."));
        assert_eq!(parent_dir(Path::new("a/.env")), Path::new("a"));
    }
}
