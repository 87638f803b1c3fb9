//! The one error type of the filesystem edge.
//!
//! Every variant names the file it is about (and the line, where there is one), so the
//! command line can print `error: FILE[:LINE[:COL]]: message` without adding context.
//! No variant carries file content: the files this module handles hold secrets, so an
//! error may say *where* something is wrong, never *what* the bytes were.

use std::io;
use std::path::{Path, PathBuf};

use super::crypto::CryptoError;
use super::identity::IdentityOrigin;

/// What went wrong while reading, writing, encrypting or backing up a file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The file does not exist.
    #[error("{}: not found", .path.display())]
    NotFound {
        /// The missing file.
        path: PathBuf,
    },

    /// A file was expected but the path names a directory.
    #[error("{}: is a directory", .path.display())]
    IsDirectory {
        /// The directory.
        path: PathBuf,
    },

    /// The path names something other than a regular file (a FIFO, a socket, a device).
    #[error("{}: not a regular file", .path.display())]
    NotRegularFile {
        /// The path.
        path: PathBuf,
    },

    /// The file is larger than envward is willing to hold in memory.
    #[error(
        "{}: too large ({} MB > {} MB limit)",
        .path.display(),
        mebibytes_rounded_up(*.size),
        mebibytes_rounded_up(*.limit)
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },

    /// The file is not valid UTF-8. The position is that of the first bad byte; the column
    /// counts characters, starting at 1.
    #[error("{}:{line}:{column}: invalid UTF-8", .path.display())]
    InvalidUtf8 {
        /// The file.
        path: PathBuf,
        /// 1-based line of the first bad byte.
        line: usize,
        /// 1-based column (in characters) of the first bad byte.
        column: usize,
    },

    /// An operating-system error, with the step that failed.
    #[error("{}: cannot {action}: {source}", .path.display())]
    Io {
        /// The file or directory the step was working on.
        path: PathBuf,
        /// The step, as a verb phrase ("read", "create a temporary file next to", ...).
        action: &'static str,
        /// The underlying error.
        source: io::Error,
    },

    /// The file changed on disk since it was read; saving would overwrite someone's edit.
    #[error("{}: changed on disk since it was read; not overwriting it (reload and try again)", .path.display())]
    ChangedOnDisk {
        /// The file.
        path: PathBuf,
    },

    /// The file is a symbolic link and following links was not asked for.
    #[error(
        "{}: is a symbolic link to {}; refusing to replace it (ask to follow symbolic links to write the target instead)",
        .path.display(),
        .target.display()
    )]
    Symlink {
        /// The link.
        path: PathBuf,
        /// Where it points.
        target: PathBuf,
    },

    /// Following symbolic links went round in circles or too deep.
    #[error("{}: too many levels of symbolic links", .path.display())]
    SymlinkLoop {
        /// The first link.
        path: PathBuf,
    },

    /// A file that must be new already exists.
    #[error("{}: already exists", .path.display())]
    AlreadyExists {
        /// The file.
        path: PathBuf,
    },

    /// A line of a recipients list is not a recipient.
    #[error("{source_name}:{line}: {reason}")]
    BadRecipient {
        /// The file, or the name of the setting, the list came from.
        source_name: String,
        /// 1-based line (or entry) number.
        line: usize,
        /// What is wrong, without repeating the line (it might be a pasted secret key).
        reason: String,
    },

    /// A recipients list contains no recipient.
    #[error("{source_name}: no recipients")]
    NoRecipients {
        /// The file, or the name of the setting, the list came from.
        source_name: String,
    },

    /// The identity file named by `--identity` or `ENVWARD_IDENTITY` does not exist.
    #[error("{}: identity file not found (named by {origin})", .path.display())]
    IdentityNotFound {
        /// The file.
        path: PathBuf,
        /// Who named it.
        origin: IdentityOrigin,
    },

    /// The identity file is not an age identity file or a usable SSH private key.
    #[error("{}: {reason}", location(.path, *.line))]
    BadIdentity {
        /// The file.
        path: PathBuf,
        /// 1-based line, when the problem is on one line.
        line: Option<usize>,
        /// What is wrong, without repeating the line.
        reason: String,
    },

    /// No place for the identity file could be found.
    #[error(
        "no configuration directory for the identity file (set ENVWARD_IDENTITY or pass --identity FILE)"
    )]
    NoConfigDir,

    /// Encrypting or decrypting the file failed.
    #[error("{}: {source}", .path.display())]
    Crypto {
        /// The file being written or read.
        path: PathBuf,
        /// Why.
        source: CryptoError,
    },

    /// A backup was written but did not decrypt to the content it was made from, so it was
    /// removed.
    #[error("{}: the backup does not decrypt to the content it was made from; it was removed", .path.display())]
    BackupVerify {
        /// The backup file.
        path: PathBuf,
    },

    /// Another envward holds the save lock of the live file and did not finish in time.
    #[error(
        "{}: another envward is saving this file (it holds {}); waited {} s, nothing was written; try again when it has finished",
        .live.display(),
        .lock.display(),
        .waited.as_secs()
    )]
    Locked {
        /// The live file.
        live: PathBuf,
        /// The lock file.
        lock: PathBuf,
        /// How long this save waited.
        waited: std::time::Duration,
    },

    /// Every backup name tried was taken (by files or links that are not envward's).
    #[error(
        "{}: {tried} backup names in a row are taken by other files; move the files named like backups out of this directory",
        .dir.display()
    )]
    NoFreeBackupName {
        /// The directory of the backups.
        dir: PathBuf,
        /// How many names were tried.
        tried: u64,
    },

    /// A save was refused because backing up failed; the live file was not touched.
    #[error("{}: not saved, the live file is unchanged: backup failed: {source}", .live.display())]
    BackupFailed {
        /// The live file.
        live: PathBuf,
        /// Why the backup failed.
        source: Box<StoreError>,
    },
}

impl StoreError {
    /// Wraps an I/O error, turning "not found" into [`StoreError::NotFound`] so callers can
    /// match on it.
    pub(crate) fn io(path: &Path, action: &'static str, source: io::Error) -> Self {
        if source.kind() == io::ErrorKind::NotFound {
            StoreError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            StoreError::Io {
                path: path.to_path_buf(),
                action,
                source,
            }
        }
    }

    /// True when the error means the file does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            StoreError::NotFound { .. } | StoreError::IdentityNotFound { .. }
        )
    }
}

/// Bytes in whole mebibytes, rounded up so "8 MB + 1 byte" never reads as "8 MB".
fn mebibytes_rounded_up(bytes: u64) -> u64 {
    bytes.div_ceil(1024 * 1024)
}

/// `FILE` or `FILE:LINE`.
fn location(path: &Path, line: Option<usize>) -> String {
    match line {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_large_rounds_up_and_names_the_file() {
        let err = StoreError::TooLarge {
            path: PathBuf::from("big/.env"),
            size: 50 * 1024 * 1024,
            limit: 8 * 1024 * 1024,
        };
        assert_eq!(err.to_string(), "big/.env: too large (50 MB > 8 MB limit)");
        let err = StoreError::TooLarge {
            path: PathBuf::from(".env"),
            size: 8 * 1024 * 1024 + 1,
            limit: 8 * 1024 * 1024,
        };
        assert_eq!(err.to_string(), ".env: too large (9 MB > 8 MB limit)");
    }

    #[test]
    fn not_found_io_errors_become_not_found() {
        let err = StoreError::io(
            Path::new("x"),
            "read",
            io::Error::from(io::ErrorKind::NotFound),
        );
        assert!(err.is_not_found());
        assert_eq!(err.to_string(), "x: not found");
    }

    #[test]
    fn bad_identity_shows_line_only_when_known() {
        let with_line = StoreError::BadIdentity {
            path: PathBuf::from("id.txt"),
            line: Some(3),
            reason: "not an age identity".into(),
        };
        assert_eq!(with_line.to_string(), "id.txt:3: not an age identity");
        let without = StoreError::BadIdentity {
            path: PathBuf::from("id.txt"),
            line: None,
            reason: "contains no identity".into(),
        };
        assert_eq!(without.to_string(), "id.txt: contains no identity");
    }
}
