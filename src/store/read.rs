//! Reading files at the edge, with a size limit, and remembering what was read.
//!
//! A [`Snapshot`] records a file's length, modification time, mode and a SHA-256 digest of
//! its content, so a later save can refuse to overwrite an edit made by someone else in the
//! meantime (see [`super::atomic::WriteOptions::expected`]). Sizes are checked from metadata
//! before any byte is read, so a huge file is refused at once.
//!
//! This module reads; it never writes, and it never puts file content in an error.

use std::fmt;
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::SystemTime;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::StoreError;

/// The largest file envward reads: 4 MiB. A `.env` file is a few kilobytes; anything this
/// big is a mistake (a wrong path, a binary), and refusing it early keeps memory bounded
/// and keeps every accepted file well under a second to read (8 MiB took about one).
pub const MAX_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// Mode bits that let the group or others read, write or execute a file.
const GROUP_OTHER_BITS: u32 = 0o077;

/// A text file as read from disk, with what is needed to detect a later change.
///
/// Its `Debug` output shows the length but never the text, which may hold secrets.
pub struct Loaded {
    /// The whole file, exactly as on disk (line endings and all).
    pub text: String,
    /// What the file looked like when it was read.
    pub snapshot: Snapshot,
}

impl fmt::Debug for Loaded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Loaded")
            .field(
                "text",
                &format_args!("<{} bytes redacted>", self.text.len()),
            )
            .field("snapshot", &self.snapshot)
            .finish()
    }
}

/// What a file looked like at one moment, or that it did not exist.
///
/// Two snapshots describe the same content when their lengths and digests agree; the
/// modification time is kept for reporting but a mere `touch` is not treated as an edit.
#[derive(Clone, PartialEq, Eq)]
pub struct Snapshot {
    present: Option<Present>,
}

#[derive(Clone, PartialEq, Eq)]
struct Present {
    len: u64,
    modified: Option<SystemTime>,
    digest: [u8; 32],
    mode: u32,
}

impl Snapshot {
    /// A snapshot of a file that does not exist. Used as an expectation, it makes a save
    /// refuse when the file has been created since.
    pub fn absent() -> Self {
        Snapshot { present: None }
    }

    /// Builds a snapshot from a file's content and its metadata.
    pub(crate) fn of(content: &[u8], metadata: &Metadata) -> Self {
        Snapshot {
            present: Some(Present {
                len: content.len() as u64,
                modified: metadata.modified().ok(),
                digest: Sha256::digest(content).into(),
                mode: metadata.permissions().mode() & 0o7777,
            }),
        }
    }

    /// True when the file did not exist.
    pub fn is_absent(&self) -> bool {
        self.present.is_none()
    }

    /// The file's length in bytes, if it existed.
    pub fn size(&self) -> Option<u64> {
        self.present.as_ref().map(|p| p.len)
    }

    /// The file's modification time, if it existed and the platform reports one.
    pub fn modified(&self) -> Option<SystemTime> {
        self.present.as_ref().and_then(|p| p.modified)
    }

    /// The file's permission bits (for example `0o600`), if it existed.
    pub fn mode(&self) -> Option<u32> {
        self.present.as_ref().map(|p| p.mode)
    }

    /// The permission bits when they let the group or others in (wider than `0600`), so the
    /// caller can warn "mode is 0644".
    pub fn wide_mode(&self) -> Option<u32> {
        self.mode().filter(|mode| mode & GROUP_OTHER_BITS != 0)
    }

    /// True when both snapshots describe the same content (or both an absent file).
    pub fn same_content(&self, other: &Snapshot) -> bool {
        match (&self.present, &other.present) {
            (None, None) => true,
            (Some(a), Some(b)) => a.len == b.len && a.digest == b.digest,
            _ => false,
        }
    }
}

impl fmt::Debug for Snapshot {
    // The digest of a short secret could be brute-forced, so it is not printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.present {
            None => f.write_str("Snapshot(absent)"),
            Some(p) => f
                .debug_struct("Snapshot")
                .field("len", &p.len)
                .field("modified", &p.modified)
                .field("mode", &format_args!("{:04o}", p.mode))
                .finish_non_exhaustive(),
        }
    }
}

/// Reads a UTF-8 text file of at most [`MAX_FILE_SIZE`] bytes.
///
/// Refuses a missing file, a directory, anything but a regular file, a file over the limit
/// (checked before reading) and invalid UTF-8 (naming the line and column of the first bad
/// byte). Symbolic links are followed.
pub fn read_text(path: &Path) -> Result<Loaded, StoreError> {
    let (bytes, snapshot) = read_bytes(path)?;
    let text = utf8(path, bytes)?;
    Ok(Loaded { text, snapshot })
}

/// [`read_text`] without the snapshot, for files envward never writes back (compose files,
/// `envward.toml`): no digest of their content is computed.
pub fn read_text_only(path: &Path) -> Result<String, StoreError> {
    let (bytes, _) = read_checked(path, MAX_FILE_SIZE)?;
    utf8(path, bytes)
}

/// Like [`read_text`], but a missing file is `Ok(None)` rather than an error.
pub fn read_optional(path: &Path) -> Result<Option<Loaded>, StoreError> {
    match read_text(path) {
        Ok(loaded) => Ok(Some(loaded)),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(err) => Err(err),
    }
}

/// Reads a file of at most [`MAX_FILE_SIZE`] bytes as raw bytes, wiped from memory when
/// dropped.
pub fn read_bytes(path: &Path) -> Result<(Zeroizing<Vec<u8>>, Snapshot), StoreError> {
    read_bytes_with_limit(path, MAX_FILE_SIZE)
}

/// Reads a file of at most `limit` bytes as raw bytes, wiped from memory when dropped.
///
/// The limit is checked from metadata before reading, and again while reading in case the
/// file grows in between.
pub fn read_bytes_with_limit(
    path: &Path,
    limit: u64,
) -> Result<(Zeroizing<Vec<u8>>, Snapshot), StoreError> {
    let (bytes, metadata) = read_checked(path, limit)?;
    let snapshot = Snapshot::of(&bytes, &metadata);
    Ok((bytes, snapshot))
}

/// [`read_bytes_with_limit`] without the snapshot, for a caller that will not compare the
/// file later: no digest of the content is computed (a 1 MiB backup spent a tenth of its
/// time hashing what it then threw away).
pub fn read_content(path: &Path, limit: u64) -> Result<Zeroizing<Vec<u8>>, StoreError> {
    read_checked(path, limit).map(|(bytes, _)| bytes)
}

/// The bytes of a regular file of at most `limit` bytes, and its metadata when opened.
fn read_checked(path: &Path, limit: u64) -> Result<(Zeroizing<Vec<u8>>, Metadata), StoreError> {
    // Check the type before opening: opening a FIFO for reading would block.
    let metadata = std::fs::metadata(path).map_err(|e| StoreError::io(path, "read", e))?;
    check_regular(path, &metadata, limit)?;

    let mut file = File::open(path).map_err(|e| StoreError::io(path, "open", e))?;
    let metadata = file
        .metadata()
        .map_err(|e| StoreError::io(path, "read the metadata of", e))?;
    check_regular(path, &metadata, limit)?;

    // Sized up front so the buffer is never reallocated, which would leave an unwiped copy.
    let capacity = usize::try_from(metadata.len().min(limit) + 1).unwrap_or(0);
    let mut bytes = Zeroizing::new(Vec::with_capacity(capacity));
    (&mut file)
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| StoreError::io(path, "read", e))?;
    if bytes.len() as u64 > limit {
        return Err(StoreError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok((bytes, metadata))
}

/// Takes a snapshot of whatever is at `path` now (following symbolic links), hashing the
/// content as it streams so no size limit applies. A missing file gives
/// [`Snapshot::absent`].
pub fn snapshot_of(path: &Path) -> Result<Snapshot, StoreError> {
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Snapshot::absent()),
        Err(e) => return Err(StoreError::io(path, "read", e)),
    };
    check_regular(path, &metadata, u64::MAX)?;
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Snapshot::absent()),
        Err(e) => return Err(StoreError::io(path, "open", e)),
    };
    let metadata = file
        .metadata()
        .map_err(|e| StoreError::io(path, "read the metadata of", e))?;
    let mut hasher = Sha256::new();
    let mut buf = Zeroizing::new([0u8; 8192]);
    let mut len = 0u64;
    loop {
        let n = file
            .read(&mut buf[..])
            .map_err(|e| StoreError::io(path, "read", e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        len += n as u64;
    }
    Ok(Snapshot {
        present: Some(Present {
            len,
            modified: metadata.modified().ok(),
            digest: hasher.finalize().into(),
            mode: metadata.permissions().mode() & 0o7777,
        }),
    })
}

fn check_regular(path: &Path, metadata: &Metadata, limit: u64) -> Result<(), StoreError> {
    if metadata.is_dir() {
        return Err(StoreError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    if !metadata.is_file() {
        return Err(StoreError::NotRegularFile {
            path: path.to_path_buf(),
        });
    }
    if metadata.len() > limit {
        return Err(StoreError::TooLarge {
            path: path.to_path_buf(),
            size: metadata.len(),
            limit,
        });
    }
    Ok(())
}

/// Converts to a `String` without copying, or reports where the first bad byte is.
fn utf8(path: &Path, mut bytes: Zeroizing<Vec<u8>>) -> Result<String, StoreError> {
    let owned = std::mem::take(&mut *bytes);
    match String::from_utf8(owned) {
        Ok(text) => Ok(text),
        Err(err) => {
            let valid_up_to = err.utf8_error().valid_up_to();
            // Put the bytes back so they are wiped on drop.
            *bytes = err.into_bytes();
            let (line, column) = utf8_position(&bytes, valid_up_to);
            Err(StoreError::InvalidUtf8 {
                path: path.to_path_buf(),
                line,
                column,
            })
        }
    }
}

/// The 1-based line and character column of byte `offset`, given that everything before
/// `offset` is valid UTF-8.
fn utf8_position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.split(|&b| b == b'\n').count();
    let column = std::str::from_utf8(&before[line_start..])
        .map_or(offset - line_start, |s| s.chars().count())
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_position_counts_lines_and_characters() {
        assert_eq!(utf8_position(b"\xff", 0), (1, 1));
        assert_eq!(utf8_position(b"ab\xff", 2), (1, 3));
        assert_eq!(utf8_position(b"a\nb\n\xc3\xa9x\xff", 7), (3, 3));
        assert_eq!(utf8_position(b"a\r\nb\xff", 4), (2, 2));
    }

    #[test]
    fn same_content_ignores_mtime_and_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, "A=1\n").unwrap();
        let first = snapshot_of(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::write(&path, "A=1\n").unwrap();
        let second = snapshot_of(&path).unwrap();
        assert!(first.same_content(&second));
        assert_eq!(second.wide_mode(), Some(0o644));
        std::fs::write(&path, "A=2\n").unwrap();
        assert!(!first.same_content(&snapshot_of(&path).unwrap()));
        assert!(!first.same_content(&Snapshot::absent()));
        assert!(Snapshot::absent().same_content(&Snapshot::absent()));
    }

    #[test]
    fn streamed_snapshot_equals_read_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, vec![7u8; 20_000]).unwrap();
        let (_, read) = read_bytes(&path).unwrap();
        assert!(read.same_content(&snapshot_of(&path).unwrap()));
    }

    #[test]
    fn debug_output_hides_the_text() {
        let loaded = Loaded {
            text: "PASSWORD=hunter2".into(),
            snapshot: Snapshot::absent(),
        };
        let shown = format!("{loaded:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
