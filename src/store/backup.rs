//! Encrypted backups next to the live file.
//!
//! A backup of `.env` is `.env.<UTC YYYYMMDDTHHMMSSZ>.age` in the same directory (a second
//! backup in the same second is `…Z-1.age`, then `-2`, …), mode 0600, written through the
//! atomic writer so it is never half there, and verified by decrypting it in memory and
//! comparing before it counts. The plaintext is encrypted in memory; it never touches the
//! disk.
//!
//! Every backup is encrypted to the project's recipients *and* to the user's identity (the
//! one that verifies it), so the person who made it can always restore it. The `age` and
//! `rage` command-line tools decrypt every backup.
//!
//! This module makes, lists, prunes and reads backups; deciding when to make one is
//! [`super::save`]'s job.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use zeroize::Zeroizing;

use super::StoreError;
use super::atomic::{WriteOptions, parent_dir, sync_dir, write_atomic};
use super::crypto;
use super::identity::Identity;
use super::read::{MAX_FILE_SIZE, read_bytes_with_limit};
use super::recipients::Recipient;

/// How many backups are kept when the configuration does not say.
pub const DEFAULT_KEEP: usize = 10;

/// The largest backup file read back: armored age output of a [`MAX_FILE_SIZE`] file is
/// about a third larger, plus its header.
const MAX_BACKUP_SIZE: u64 = MAX_FILE_SIZE * 2;

/// How many same-second names are tried before giving up.
const MAX_SAME_SECOND: u32 = 1000;

/// The timestamp part of a backup's name.
const TIME_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// One backup file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupInfo {
    /// The backup file.
    pub path: PathBuf,
    /// When it was made (from its name), to the second.
    pub time: Timestamp,
    /// Its position among backups made in the same second (0 for the first, then the `-1`,
    /// `-2`, … suffix).
    pub seq: u32,
    /// Its size in bytes.
    pub size: u64,
}

/// The file name of a backup of `live_name` made at `time`, `seq`-th in that second.
pub fn backup_name(live_name: &OsStr, time: Timestamp, seq: u32) -> OsString {
    let mut name = live_name.to_os_string();
    name.push(".");
    name.push(time.strftime(TIME_FORMAT).to_string());
    if seq > 0 {
        name.push(format!("-{seq}"));
    }
    name.push(".age");
    name
}

/// The time and sequence number in `candidate` if it is a backup name of `live_name`.
fn parse_backup_name(live_name: &OsStr, candidate: &OsStr) -> Option<(Timestamp, u32)> {
    let rest = candidate
        .as_bytes()
        .strip_prefix(live_name.as_bytes())?
        .strip_prefix(b".")?
        .strip_suffix(b".age")?;
    let rest = std::str::from_utf8(rest).ok()?;
    let (stamp, seq) = match rest.split_once('-') {
        Some((stamp, seq)) => {
            if seq.is_empty() || seq.starts_with('0') || !seq.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (stamp, seq.parse().ok()?)
        }
        None => (rest, 0),
    };
    // Strict shape first: jiff's parser accepts some shorter fields.
    let shape_ok = stamp.len() == 16
        && stamp.bytes().enumerate().all(|(i, b)| match i {
            8 => b == b'T',
            15 => b == b'Z',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return None;
    }
    let civil = DateTime::strptime("%Y%m%dT%H%M%S", &stamp[..15]).ok()?;
    let time = TimeZone::UTC.to_timestamp(civil).ok()?;
    Some((time, seq))
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
/// `now` names the file; `armor` writes ASCII armor instead of binary age.
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

    // Names carry whole seconds; compare in whole seconds.
    let now = Timestamp::from_second(now.as_second()).unwrap_or(now);
    let first_free = list(live_path)?
        .iter()
        .filter(|b| b.time == now)
        .map(|b| b.seq + 1)
        .max()
        .unwrap_or(0);
    let options = WriteOptions {
        create_new: true,
        ..WriteOptions::default()
    };
    let mut written = None;
    for seq in first_free..first_free + MAX_SAME_SECOND {
        let path = dir.join(backup_name(name, now, seq));
        match write_atomic(&path, &cipher, &options) {
            Ok(_) => {
                written = Some(path);
                break;
            }
            Err(StoreError::AlreadyExists { .. }) => {}
            Err(err) => return Err(err),
        }
    }
    let path = written.ok_or_else(|| StoreError::AlreadyExists {
        path: dir.join(backup_name(name, now, first_free + MAX_SAME_SECOND)),
    })?;

    let verified = read_backup(&path, identity).is_ok_and(|plain| plain.as_slice() == content);
    if !verified {
        // A backup that cannot restore is worse than none: it looks like safety.
        let _ = fs::remove_file(&path);
        return Err(StoreError::BackupVerify { path });
    }
    Ok(path)
}

/// Reads and decrypts one backup (or any age file) with `identity`, in memory.
pub fn read_backup(path: &Path, identity: &Identity) -> Result<Zeroizing<Vec<u8>>, StoreError> {
    let (cipher, _) = read_bytes_with_limit(path, MAX_BACKUP_SIZE)?;
    crypto::decrypt(&cipher, [identity]).map_err(|source| StoreError::Crypto {
        path: path.to_path_buf(),
        source,
    })
}

/// The backups of `live_path`, newest first. Files that merely look similar (another live
/// file's backups, temporary files) are not included.
pub fn list(live_path: &Path) -> Result<Vec<BackupInfo>, StoreError> {
    let name = live_name(live_path)?;
    let dir = parent_dir(live_path);
    let entries = fs::read_dir(dir).map_err(|e| StoreError::io(dir, "list the directory", e))?;
    let mut backups = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::io(dir, "list the directory", e))?;
        let Some((time, seq)) = parse_backup_name(name, &entry.file_name()) else {
            continue;
        };
        let path = dir.join(entry.file_name());
        let metadata = match fs::symlink_metadata(&path) {
            Ok(metadata) if metadata.is_file() => metadata,
            // Removed meanwhile, or not a plain file: not a backup we made.
            Ok(_) | Err(_) => continue,
        };
        backups.push(BackupInfo {
            path,
            time,
            seq,
            size: metadata.len(),
        });
    }
    backups.sort_by_key(|b| std::cmp::Reverse((b.time, b.seq)));
    Ok(backups)
}

/// Removes all but the newest `keep` backups of `live_path` (at least one is always kept)
/// and returns the removed paths, oldest last.
pub fn prune(live_path: &Path, keep: usize) -> Result<Vec<PathBuf>, StoreError> {
    let backups = list(live_path)?;
    let mut removed = Vec::new();
    for old in backups.into_iter().skip(keep.max(1)) {
        fs::remove_file(&old.path).map_err(|e| StoreError::io(&old.path, "remove", e))?;
        removed.push(old.path);
    }
    if !removed.is_empty() {
        sync_dir(parent_dir(live_path))?;
    }
    Ok(removed)
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
    fn names_round_trip() {
        let time = at("2025-03-04T05:06:07Z");
        let name = backup_name(OsStr::new(".env"), time, 0);
        assert_eq!(name, ".env.20250304T050607Z.age");
        assert_eq!(
            parse_backup_name(OsStr::new(".env"), &name),
            Some((time, 0))
        );
        let name = backup_name(OsStr::new(".env"), time, 12);
        assert_eq!(name, ".env.20250304T050607Z-12.age");
        assert_eq!(
            parse_backup_name(OsStr::new(".env"), &name),
            Some((time, 12))
        );
    }

    #[test]
    fn other_files_are_not_backups() {
        for other in [
            ".env.local.20250304T050607Z.age",
            ".env.20250304T050607Z.age.tmp",
            ".env.20250304T0506Z.age",
            ".env.20250304T050607Z-.age",
            ".env.20250304T050607Z-01.age",
            ".env.20251304T050607Z.age",
            ".env.age",
            ".env",
        ] {
            assert_eq!(
                parse_backup_name(OsStr::new(".env"), OsStr::new(other)),
                None,
                "{other}"
            );
        }
    }

    #[test]
    fn backups_in_one_second_get_suffixes_and_sort_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join(".env");
        let identity = Identity::generate();
        let now = at("2025-03-04T05:06:07.250Z");
        let first = backup_now(&live, b"one", &[], &identity, now, false).unwrap();
        let second = backup_now(&live, b"two", &[], &identity, now, true).unwrap();
        assert!(first.ends_with(".env.20250304T050607Z.age"));
        assert!(second.ends_with(".env.20250304T050607Z-1.age"));
        let listed = list(&live).unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].path, second);
        assert_eq!(listed[0].seq, 1);
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
        assert_eq!(prune(&live, 2).unwrap().len(), 2);
        assert_eq!(prune(&live, 0).unwrap().len(), 1);
        let left = list(&live).unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].path, newest);
    }
}
