//! Saving the live file so that no version is ever lost.
//!
//! [`save_with_backup`] keeps two promises from the design: before a version of the live
//! file is replaced it exists in an encrypted backup, and after a save the newest backup
//! equals the live file. Every backup is written and verified *before* the live file is
//! touched, so if any backup step fails the live file is left exactly as it was and the
//! error says why ([`StoreError::BackupFailed`]).
//!
//! The steps, all under the save lock of the live file ([`super::lock`]), so two envward
//! processes never interleave them:
//! 0. take the lock (waiting briefly for another envward) and sweep temporary files that an
//!    earlier crash left beside the live file ([`super::leftover`]);
//! 1. resolve the target (a symbolic link is refused unless following was asked for) and
//!    read its current content, refusing if it changed since the caller read it;
//! 2. back up the current content unless the newest backup already holds it;
//! 3. back up the new content unless that backup would repeat the newest one;
//! 4. write the new content atomically; if that fails, remove the backup of step 3 so the
//!    newest backup again equals the live file;
//! 5. prune old backups by creation order, never one this save wrote (a failure here is
//!    reported, not fatal: the save happened).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use zeroize::Zeroizing;

use super::StoreError;
use super::atomic::{WriteOptions, resolve_target, write_atomic};
use super::backup::{self, DEFAULT_KEEP};
use super::identity::Identity;
use super::read::{Snapshot, read_bytes};
use super::recipients::Recipient;
use super::{leftover, lock};

/// Everything a save needs besides the path and the content.
#[derive(Debug)]
pub struct SaveContext<'a> {
    /// The project's recipients; the identity's own recipient is always added.
    pub recipients: &'a [Recipient],
    /// The user's identity, which verifies every backup (and can always restore it).
    pub identity: &'a Identity,
    /// The time that names the backups.
    pub now: Timestamp,
    /// Write backups as ASCII armor instead of binary age.
    pub armor: bool,
    /// How many backups to keep (at least one is always kept).
    pub keep: usize,
    /// The expected snapshot and symbolic-link choice for the live file (`create_new` is
    /// ignored).
    pub write: WriteOptions,
    /// How long to wait for another envward's save of the same file.
    pub lock_wait: Duration,
    /// A backup of the new content written beforehand by [`stage`] (a rotation keeps its
    /// new value in a backup before anything else changes): when it is still the newest
    /// and the backup before it holds the current content, neither is written again.
    pub staged: Option<PathBuf>,
}

impl<'a> SaveContext<'a> {
    /// A context with the default backup count, binary backups and no expectation about
    /// the live file.
    pub fn new(recipients: &'a [Recipient], identity: &'a Identity, now: Timestamp) -> Self {
        SaveContext {
            recipients,
            identity,
            now,
            armor: false,
            keep: DEFAULT_KEEP,
            write: WriteOptions::default(),
            lock_wait: lock::WAIT,
            staged: None,
        }
    }
}

/// What [`save_with_backup`] did.
#[derive(Debug)]
pub struct SaveReport {
    /// The live file as named by the caller.
    pub live: PathBuf,
    /// The file actually written (the end of a followed symbolic link, or `live`).
    pub written: PathBuf,
    /// The backups written by this save, oldest first (zero, one or two).
    pub backups: Vec<PathBuf>,
    /// The old file's permission bits when they let the group or others in.
    pub previous_mode: Option<u32>,
    /// Old backups removed by pruning, newest first.
    pub pruned: Vec<PathBuf>,
    /// Temporary files an earlier, interrupted write had left beside the live file, removed.
    pub swept: Vec<PathBuf>,
    /// Backups whose name carries a time in the future (a wrong clock, or copied from another
    /// host); they are ordered by their sequence number all the same.
    pub future_dated: Vec<PathBuf>,
    /// Pruning failed after a successful save; the save itself stands.
    pub prune_error: Option<StoreError>,
}

/// Writes `new_content` to `live_path` atomically (mode 0600) with encrypted backups before
/// and after, as described in the module documentation.
///
/// Backups are placed next to `live_path` as the caller named it, even when it is a
/// followed symbolic link.
pub fn save_with_backup(
    live_path: &Path,
    new_content: &[u8],
    context: &SaveContext<'_>,
) -> Result<SaveReport, StoreError> {
    // A refused symbolic link is refused before anything is created beside it.
    resolve_target(live_path, context.write.follow_symlinks)?;
    let _lock = lock::acquire(live_path, context.lock_wait)?;
    let mut swept = leftover::sweep(super::atomic::parent_dir(live_path));
    let target = resolve_target(live_path, context.write.follow_symlinks)?;
    let target_dir = super::atomic::parent_dir(&target);
    if target_dir != super::atomic::parent_dir(live_path) {
        // A followed link: the live file's own temporary files sit beside its target.
        swept.extend(leftover::sweep(target_dir));
    }
    let current: Option<(Zeroizing<Vec<u8>>, Snapshot)> = match read_bytes(&target) {
        Ok(read) => Some(read),
        Err(StoreError::NotFound { .. }) => None,
        Err(err) => return Err(backup_failed(live_path, err)),
    };
    let current_snapshot = current
        .as_ref()
        .map_or_else(Snapshot::absent, |(_, snapshot)| snapshot.clone());
    if let Some(expected) = &context.write.expected
        && !expected.same_content(&current_snapshot)
    {
        return Err(StoreError::ChangedOnDisk { path: target });
    }

    let mut written_backups = Vec::new();
    let newest =
        newest_content(live_path, context.identity).map_err(|err| backup_failed(live_path, err))?;
    let mut newest: Option<Zeroizing<Vec<u8>>> = newest;
    let staged_holds_both = staged_holds(
        live_path,
        context,
        current.as_ref().map(|c| c.0.as_slice()),
        new_content,
    );

    if let Some((content, _)) = &current
        && newest.as_deref() != Some(&**content)
        && !staged_holds_both
    {
        let path = make_backup(live_path, content, context)?;
        written_backups.push(path);
        newest = Some(content.clone());
    }
    let mut new_backup = None;
    if newest.as_deref().map(Vec::as_slice) != Some(new_content) {
        let path = make_backup(live_path, new_content, context)?;
        written_backups.push(path.clone());
        new_backup = Some(path);
    }

    let options = WriteOptions {
        // Our own read, which already matched the caller's expectation, guards the window
        // between reading and writing.
        expected: Some(current_snapshot),
        follow_symlinks: context.write.follow_symlinks,
        create_new: false,
    };
    let report = match write_atomic(live_path, new_content, &options) {
        Ok(report) => report,
        Err(err) => {
            if let Some(path) = new_backup {
                // The new content was not saved, so its backup must not pose as the newest.
                let _ = fs::remove_file(path);
            }
            return Err(err);
        }
    };

    let (pruned, prune_error) = match backup::prune(live_path, context.keep, &written_backups) {
        Ok(pruned) => (pruned, None),
        Err(err) => (Vec::new(), Some(err)),
    };
    let future_dated = backup::list(live_path)
        .map(|all| backup::future_dated(&all, context.now))
        .unwrap_or_default();
    Ok(SaveReport {
        live: live_path.to_path_buf(),
        written: report.written,
        backups: written_backups,
        previous_mode: report.previous_mode,
        pruned,
        swept,
        future_dated,
        prune_error,
    })
}

/// What [`backup_current`] did.
#[derive(Debug)]
pub struct BackupReport {
    /// The backup written.
    pub backup: PathBuf,
    /// Old backups removed by pruning, newest first.
    pub pruned: Vec<PathBuf>,
    /// Leftover temporary files removed (see [`SaveReport::swept`]).
    pub swept: Vec<PathBuf>,
    /// Backups dated in the future (see [`SaveReport::future_dated`]).
    pub future_dated: Vec<PathBuf>,
}

/// Backs up the live file as it is now, under the save lock, then prunes (never the new
/// backup). The file is read under the lock, so the backup holds a version no save was
/// halfway through. Only `recipients`, `identity`, `now`, `armor`, `keep` and `lock_wait`
/// of the context are used.
pub fn backup_current(
    live_path: &Path,
    context: &SaveContext<'_>,
) -> Result<BackupReport, StoreError> {
    let _lock = lock::acquire(live_path, context.lock_wait)?;
    let swept = leftover::sweep(super::atomic::parent_dir(live_path));
    let content = super::read::read_content(live_path, super::read::MAX_FILE_SIZE)?;
    let backup = backup::backup_now(
        live_path,
        &content,
        context.recipients,
        context.identity,
        context.now,
        context.armor,
    )?;
    let pruned = backup::prune(live_path, context.keep, std::slice::from_ref(&backup))?;
    let future_dated = backup::future_dated(&backup::list(live_path)?, context.now);
    Ok(BackupReport {
        backup,
        pruned,
        swept,
        future_dated,
    })
}

/// Whether the staged backup is the newest, holds `new_content`, and the backup right before
/// it holds `current`: then the save needs no backup of its own.
fn staged_holds(
    live_path: &Path,
    context: &SaveContext<'_>,
    current: Option<&[u8]>,
    new_content: &[u8],
) -> bool {
    let Some(staged) = &context.staged else {
        return false;
    };
    let Ok(list) = backup::list(live_path) else {
        return false;
    };
    let [newest, before, ..] = list.as_slice() else {
        return false;
    };
    let holds = |path: &Path, content: &[u8]| {
        backup::read_backup(path, context.identity).is_ok_and(|p| p.as_slice() == content)
    };
    newest.path == *staged
        && holds(&newest.path, new_content)
        && current.is_some_and(|c| holds(&before.path, c))
}

/// What [`stage`] wrote: the backups holding the versions before and after a change.
#[derive(Debug)]
pub struct Staged {
    /// The backup holding the live file as it is now (written now, or the newest already).
    pub before: PathBuf,
    /// The backup holding the new content, written now.
    pub after: PathBuf,
    /// The backups written (one or two).
    pub written: Vec<PathBuf>,
}

/// Puts `new_content` in a backup of `live_path` (and the current content too, unless the
/// newest backup already holds it) without touching the live file, under the save lock.
/// A change made in steps (a rotation: the database first, then the live file) thus has its
/// new value safe before anything else changes; a later [`save_with_backup`] with
/// [`SaveContext::staged`] set writes the live file without backing it up again. Refuses
/// when the live file changed since `context.write.expected` or does not exist.
pub fn stage(
    live_path: &Path,
    new_content: &[u8],
    context: &SaveContext<'_>,
) -> Result<Staged, StoreError> {
    let _lock = lock::acquire(live_path, context.lock_wait)?;
    let target = resolve_target(live_path, context.write.follow_symlinks)?;
    let (current, snapshot) = read_bytes(&target).map_err(|err| backup_failed(live_path, err))?;
    if let Some(expected) = &context.write.expected
        && !expected.same_content(&snapshot)
    {
        return Err(StoreError::ChangedOnDisk { path: target });
    }
    let mut written = Vec::new();
    let newest = backup::list(live_path)
        .map_err(|err| backup_failed(live_path, err))?
        .into_iter()
        .next();
    let before = match newest {
        Some(b)
            if backup::read_backup(&b.path, context.identity)
                .is_ok_and(|p| p.as_slice() == current.as_slice()) =>
        {
            b.path
        }
        _ => {
            let path = make_backup(live_path, &current, context)?;
            written.push(path.clone());
            path
        }
    };
    let after = make_backup(live_path, new_content, context)?;
    written.push(after.clone());
    Ok(Staged {
        before,
        after,
        written,
    })
}

/// The decrypted content of the newest backup, or `None` when there is none or it cannot
/// be decrypted with `identity` (then it cannot stand for the live file either).
fn newest_content(
    live_path: &Path,
    identity: &Identity,
) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
    let Some(newest) = backup::list(live_path)?.into_iter().next() else {
        return Ok(None);
    };
    Ok(backup::read_backup(&newest.path, identity).ok())
}

fn make_backup(
    live_path: &Path,
    content: &[u8],
    context: &SaveContext<'_>,
) -> Result<PathBuf, StoreError> {
    backup::backup_now(
        live_path,
        content,
        context.recipients,
        context.identity,
        context.now,
        context.armor,
    )
    .map_err(|err| backup_failed(live_path, err))
}

fn backup_failed(live_path: &Path, source: StoreError) -> StoreError {
    StoreError::BackupFailed {
        live: live_path.to_path_buf(),
        source: Box::new(source),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, PathBuf, Identity) {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join(".env");
        (dir, live, Identity::generate())
    }

    fn newest_plain(live: &Path, identity: &Identity) -> Vec<u8> {
        let newest = backup::list(live).unwrap().remove(0);
        backup::read_backup(&newest.path, identity)
            .unwrap()
            .to_vec()
    }

    #[test]
    fn first_save_backs_up_the_new_content_only() {
        let (_dir, live, identity) = setup();
        let context = SaveContext::new(&[], &identity, Timestamp::from_second(1).unwrap());
        let report = save_with_backup(&live, b"A=1\n", &context).unwrap();
        assert_eq!(report.backups.len(), 1);
        assert_eq!(fs::read(&live).unwrap(), b"A=1\n");
        assert_eq!(newest_plain(&live, &identity), b"A=1\n");
    }

    #[test]
    fn unbacked_old_content_is_backed_up_first() {
        let (_dir, live, identity) = setup();
        fs::write(&live, "OLD=1\n").unwrap();
        let context = SaveContext::new(&[], &identity, Timestamp::from_second(1).unwrap());
        let report = save_with_backup(&live, b"NEW=1\n", &context).unwrap();
        assert_eq!(report.backups.len(), 2);
        let all = backup::list(&live).unwrap();
        assert_eq!(
            backup::read_backup(&all[1].path, &identity)
                .unwrap()
                .as_slice(),
            b"OLD=1\n"
        );
        assert_eq!(newest_plain(&live, &identity), b"NEW=1\n");
    }

    #[test]
    fn saving_the_same_content_twice_adds_no_backup() {
        let (_dir, live, identity) = setup();
        let context = SaveContext::new(&[], &identity, Timestamp::from_second(1).unwrap());
        save_with_backup(&live, b"A=1\n", &context).unwrap();
        let again = save_with_backup(&live, b"A=1\n", &context).unwrap();
        assert!(again.backups.is_empty());
        assert_eq!(backup::list(&live).unwrap().len(), 1);
    }

    #[test]
    fn prunes_to_keep() {
        let (_dir, live, identity) = setup();
        for i in 0..5 {
            let mut context =
                SaveContext::new(&[], &identity, Timestamp::from_second(100 + i).unwrap());
            context.keep = 3;
            save_with_backup(&live, format!("A={i}\n").as_bytes(), &context).unwrap();
        }
        assert_eq!(backup::list(&live).unwrap().len(), 3);
        assert_eq!(newest_plain(&live, &identity), b"A=4\n");
    }
}
