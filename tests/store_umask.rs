//! Files are born private whatever the umask.
//!
//! The umask belongs to the whole process and the tests of one binary run on parallel
//! threads, so these tests live in their own binary and take a lock around each umask
//! change.
// The helpers below are test code too, outside `#[test]` functions.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use envward::store::{self, WriteOptions, backup, identity};
use rustix::fs::Mode;

static UMASK: Mutex<()> = Mutex::new(());

/// Sets the umask for the duration of the returned guard.
fn with_umask(mask: u32) -> MutexGuard<'static, ()> {
    let guard = UMASK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    rustix::process::umask(Mode::from_raw_mode(mask));
    guard
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn a_new_file_is_0600_under_umask_000() {
    let _umask = with_umask(0o000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    store::write_atomic(&path, b"A=1\n", &WriteOptions::default()).unwrap();
    assert_eq!(mode(&path), 0o600);
    // The control: what an ordinary create gives under the same umask.
    let open = dir.path().join("control");
    fs::write(&open, "x").unwrap();
    assert_eq!(mode(&open), 0o666);
}

#[test]
fn a_replaced_0644_file_becomes_0600_under_umask_000() {
    let _umask = with_umask(0o000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    fs::write(&path, "A=1\n").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let report = store::write_atomic(&path, b"A=2\n", &WriteOptions::default()).unwrap();
    assert_eq!(report.previous_mode, Some(0o644));
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn backups_are_0600_under_umask_000() {
    let _umask = with_umask(0o000);
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join(".env");
    let me = store::Identity::generate();
    let now = jiff::Timestamp::from_second(1_700_000_000).unwrap();
    let path = backup::backup_now(&live, b"A=1\n", &[], &me, now, false).unwrap();
    assert_eq!(mode(&path), 0o600);

    let context = store::SaveContext::new(&[], &me, now);
    let report = store::save_with_backup(&live, b"A=2\n", &context).unwrap();
    assert_eq!(mode(&live), 0o600);
    for written in &report.backups {
        assert_eq!(mode(written), 0o600, "{}", written.display());
    }
}

#[test]
fn a_created_identity_is_0600_in_a_0700_directory_under_umask_000() {
    let _umask = with_umask(0o000);
    let dir = tempfile::tempdir().unwrap();
    let at = store::IdentityPath {
        path: dir.path().join("config/envward/identity.txt"),
        origin: store::IdentityOrigin::Default,
    };
    let now = jiff::Timestamp::from_second(1_700_000_000).unwrap();
    let (_, notice) = identity::load_or_create(&at, now).unwrap();
    assert!(notice.is_some());
    assert_eq!(mode(&at.path), 0o600);
    assert_eq!(mode(&dir.path().join("config/envward")), 0o700);
    assert_eq!(mode(&dir.path().join("config")), 0o700);
}

#[test]
fn set_private_umask_makes_ordinary_creates_private() {
    let _umask = with_umask(0o022);
    let previous = store::set_private_umask();
    assert_eq!(previous, 0o022);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plain");
    fs::write(&path, "x").unwrap();
    assert_eq!(mode(&path), 0o600);
}
