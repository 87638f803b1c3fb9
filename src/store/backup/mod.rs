//! Encrypted backups next to the live file.
//!
//! A backup of `.env` is `.env.<sequence>.<UTC YYYYMMDDTHHMMSSZ>.age` in the same directory
//! (see [`name`]), mode 0600, written through the atomic writer so it is never half there,
//! and verified by decrypting it in memory and comparing before it counts. The plaintext is
//! encrypted in memory; it never touches the disk.
//!
//! Backups are ordered by their sequence number, the order they were made in, never by the
//! time in their name: a clock that was wrong, or a backup copied from another host, cannot
//! make an old version the "newest" or get a fresh backup pruned. Backups dated in the future
//! are reported ([`future_dated`]).
//!
//! Every backup is encrypted to the project's recipients *and* to the user's identity (the
//! one that verifies it), so the person who made it can always restore it. The `age` and
//! `rage` command-line tools decrypt every backup.
//!
//! This module makes, lists, prunes and reads backups; deciding when to make one is
//! [`super::save`]'s job.

pub mod name;

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use jiff::{SignedDuration, Timestamp};
use zeroize::Zeroizing;

use super::StoreError;
use super::atomic::{WriteOptions, parent_dir, sync_dir, write_atomic};
use super::crypto;
use super::identity::Identity;
use super::read::{MAX_FILE_SIZE, read_content};
use super::recipients::Recipient;
pub use name::{Order, backup_name};

/// How many backups are kept when the configuration does not say.
pub const DEFAULT_KEEP: usize = 10;

/// The largest backup file read back: armored age output of a [`MAX_FILE_SIZE`] file is
/// about a third larger, plus its header.
const MAX_BACKUP_SIZE: u64 = MAX_FILE_SIZE * 2;

/// How many taken names are skipped (a file, or something planted, already there) before
/// giving up.
const MAX_TAKEN_NAMES: u64 = 1000;

/// How far ahead of the clock a backup's time may be before it is reported as dated in the
/// future (clocks of two hosts sharing a directory differ by a little).
const FUTURE_TOLERANCE: SignedDuration = SignedDuration::from_secs(120);

/// One backup file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupInfo {
    /// The backup file.
    pub path: PathBuf,
    /// Its place in creation order (from its name).
    pub order: Order,
    /// Its size in bytes.
    pub size: u64,
}

impl BackupInfo {
    /// When it was made, by the clock of whoever made it (from its name), to the second.
    pub fn time(&self) -> Timestamp {
        self.order.time
    }
}

fn live_name(live_path: &Path) -> Result<&OsStr, StoreError> {
    live_path
        .file_name()
        .ok_or_else(|| StoreError::IsDirectory {
            path: live_path.to_path_buf(),
        })
}

/// Encrypts `content` to `recipients` and to `identity`, writes it as a new backup of
/// `live_path` (which need not exist), verifies it decrypts to `content` and returns its
/// path.
///
/// The backup takes the next sequence number; a name already taken by anything (a file, a
/// planted symbolic link) is skipped, never followed or replaced. `now` is the time in the
/// name; `armor` writes ASCII armor instead of binary age.
pub fn backup_now(
    live_path: &Path,
    content: &[u8],
    recipients: &[Recipient],
    identity: &Identity,
    now: Timestamp,
    armor: bool,
) -> Result<PathBuf, StoreError> {
    let name = live_name(live_path)?;
    let dir = parent_dir(live_path);

    let mut all = recipients.to_vec();
    for own in identity.recipients() {
        if !all.contains(&own) {
            all.push(own);
        }
    }
    let cipher = crypto::encrypt(content, &all, armor).map_err(|source| StoreError::Crypto {
        path: live_path.to_path_buf(),
        source,
    })?;

    let next = scan(live_path)?.highest_seq + 1;
    let options = WriteOptions {
        create_new: true,
        ..WriteOptions::default()
    };
    let mut written = None;
    for seq in next..next + MAX_TAKEN_NAMES {
        let path = dir.join(backup_name(name, seq, now));
        match write_atomic(&path, &cipher, &options) {
            Ok(_) => {
                written = Some(path);
                break;
            }
            Err(StoreError::AlreadyExists { .. }) => {}
            Err(err) => return Err(err),
        }
    }
    let path = written.ok_or_else(|| StoreError::NoFreeBackupName {
        dir: dir.to_path_buf(),
        tried: MAX_TAKEN_NAMES,
    })?;

    // Read back from the disk and compared as it decrypts: no second copy of the secrets.
    let verified = read_content(&path, MAX_BACKUP_SIZE)
        .is_ok_and(|cipher| crypto::decrypts_to(&cipher, [identity], content).unwrap_or(false));
    if !verified {
        // A backup that cannot restore is worse than none: it looks like safety.
        let _ = fs::remove_file(&path);
        return Err(StoreError::BackupVerify { path });
    }
    Ok(path)
}

/// Reads and decrypts one backup (or any age file) with `identity`, in memory.
pub fn read_backup(path: &Path, identity: &Identity) -> Result<Zeroizing<Vec<u8>>, StoreError> {
    let cipher = read_content(path, MAX_BACKUP_SIZE)?;
    crypto::decrypt(&cipher, [identity]).map_err(|source| StoreError::Crypto {
        path: path.to_path_buf(),
        source,
    })
}

/// What is beside a live file: its backups (regular files only) and the highest sequence
/// number any entry's name carries, whatever kind of entry it is.
struct Scan {
    backups: Vec<BackupInfo>,
    highest_seq: u64,
}

fn scan(live_path: &Path) -> Result<Scan, StoreError> {
    let name = live_name(live_path)?;
    let dir = parent_dir(live_path);
    let entries = fs::read_dir(dir).map_err(|e| StoreError::io(dir, "list the directory", e))?;
    let mut backups = Vec::new();
    let mut highest_seq = 0;
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::io(dir, "list the directory", e))?;
        let Some(order) = name::parse(name, &entry.file_name()) else {
            continue;
        };
        highest_seq = highest_seq.max(order.seq);
        let path = dir.join(entry.file_name());
        let metadata = match fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.is_file() => metadata,
            // Removed meanwhile, or not a plain file: not a backup we made.
            Ok(_) | Err(_) => continue,
        };
        backups.push(BackupInfo {
            path,
            order,
            size: metadata.len(),
        });
    }
    backups.sort_by(|a, b| (b.order, &b.path).cmp(&(a.order, &a.path)));
    Ok(Scan {
        backups,
        highest_seq,
    })
}

/// The backups of `live_path`, newest (highest sequence number) first. Files that merely
/// look similar (another live file's backups, temporary files) and anything but regular
/// files are not included.
pub fn list(live_path: &Path) -> Result<Vec<BackupInfo>, StoreError> {
    Ok(scan(live_path)?.backups)
}

/// Removes all but the newest `keep` backups of `live_path` (at least one is always kept,
/// and never one listed in `protect`, such as those a save just wrote) and returns the
/// removed paths, newest first.
pub fn prune(
    live_path: &Path,
    keep: usize,
    protect: &[PathBuf],
) -> Result<Vec<PathBuf>, StoreError> {
    let backups = list(live_path)?;
    let mut removed = Vec::new();
    for old in backups.into_iter().skip(keep.max(1)) {
        if protect.contains(&old.path) {
            continue;
        }
        fs::remove_file(&old.path).map_err(|e| StoreError::io(&old.path, "remove", e))?;
        removed.push(old.path);
    }
    if !removed.is_empty() {
        sync_dir(parent_dir(live_path))?;
    }
    Ok(removed)
}

/// The backups whose name carries a time later than `now` (beyond a small tolerance for
/// clocks that differ a little): a wrong clock, or files copied from another host.
pub fn future_dated(backups: &[BackupInfo], now: Timestamp) -> Vec<PathBuf> {
    let limit = now.saturating_add(FUTURE_TOLERANCE).unwrap_or(now);
    backups
        .iter()
        .filter(|b| b.order.time > limit)
        .map(|b| b.path.clone())
        .collect()
}

/// The newest backup of `live_path` whose content equals `live_content`, if any. Backups
/// `identity` cannot decrypt are skipped.
pub fn find_equal(
    live_path: &Path,
    live_content: &[u8],
    identity: &Identity,
) -> Result<Option<BackupInfo>, StoreError> {
    for backup in list(live_path)? {
        if let Ok(plain) = read_backup(&backup.path, identity)
            && plain.as_slice() == live_content
        {
            return Ok(Some(backup));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn backups_in_one_second_take_the_next_numbers_and_sort_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join(".env");
        let identity = Identity::generate();
        let now = at("2025-03-04T05:06:07.250Z");
        let first = backup_now(&live, b"one", &[], &identity, now, false).unwrap();
        let second = backup_now(&live, b"two", &[], &identity, now, true).unwrap();
        assert!(first.ends_with(".env.000001.20250304T050607Z.age"));
        assert!(second.ends_with(".env.000002.20250304T050607Z.age"));
        let listed = list(&live).unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].path, second);
        assert_eq!(listed[0].order.seq, 2);
        assert_eq!(
            find_equal(&live, b"one", &identity).unwrap().unwrap().path,
            first
        );
        assert!(find_equal(&live, b"three", &identity).unwrap().is_none());
    }

    #[test]
    fn prune_keeps_the_newest_and_never_all() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join(".env");
        let identity = Identity::generate();
        for second in 0..4 {
            let now = Timestamp::from_second(1_700_000_000 + second).unwrap();
            backup_now(&live, b"x", &[], &identity, now, false).unwrap();
        }
        let newest = list(&live).unwrap()[0].path.clone();
        assert_eq!(prune(&live, 2, &[]).unwrap().len(), 2);
        assert_eq!(prune(&live, 0, &[]).unwrap().len(), 1);
        let left = list(&live).unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].path, newest);
    }

    #[test]
    fn prune_never_removes_a_protected_backup() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join(".env");
        let identity = Identity::generate();
        let oldest = backup_now(
            &live,
            b"a",
            &[],
            &identity,
            at("2025-01-01T00:00:00Z"),
            false,
        )
        .unwrap();
        backup_now(
            &live,
            b"b",
            &[],
            &identity,
            at("2025-01-01T00:00:01Z"),
            false,
        )
        .unwrap();
        let removed = prune(&live, 1, std::slice::from_ref(&oldest)).unwrap();
        assert!(removed.is_empty());
        assert_eq!(list(&live).unwrap().len(), 2);
    }

    #[test]
    fn future_dated_names_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join(".env");
        let identity = Identity::generate();
        let now = at("2025-01-01T00:00:00Z");
        backup_now(
            &live,
            b"a",
            &[],
            &identity,
            at("2031-01-01T00:00:00Z"),
            false,
        )
        .unwrap();
        backup_now(&live, b"b", &[], &identity, now, false).unwrap();
        let found = future_dated(&list(&live).unwrap(), now);
        assert_eq!(found.len(), 1);
        assert!(found[0].ends_with(".env.000001.20310101T000000Z.age"));
    }
}
