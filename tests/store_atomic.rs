//! `store::atomic`: symbolic links, changes on disk and byte-exact writes.
// The helpers below are test code too, outside `#[test]` functions.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;

use envward::store::{self, Snapshot, StoreError, WriteOptions, write_atomic};
use proptest::prelude::*;

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn a_symlinked_target_is_refused_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.env");
    let link = dir.path().join(".env");
    fs::write(&real, "OLD=1\n").unwrap();
    symlink(&real, &link).unwrap();

    let err = write_atomic(&link, b"NEW=1\n", &WriteOptions::default()).unwrap_err();
    assert!(matches!(err, StoreError::Symlink { .. }));
    assert!(err.to_string().contains("is a symbolic link to"), "{err}");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read(&real).unwrap(), b"OLD=1\n");
}

#[test]
fn a_symlinked_target_is_written_through_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("secrets")).unwrap();
    let real = dir.path().join("secrets/app.env");
    let link = dir.path().join(".env");
    fs::write(&real, "OLD=1\n").unwrap();
    fs::set_permissions(&real, fs::Permissions::from_mode(0o644)).unwrap();
    symlink("secrets/app.env", &link).unwrap();

    let options = WriteOptions {
        follow_symlinks: true,
        ..WriteOptions::default()
    };
    let report = write_atomic(&link, b"NEW=1\n", &options).unwrap();
    assert_eq!(report.written, dir.path().join("secrets/app.env"));
    assert_eq!(report.previous_mode, Some(0o644));
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read(&link).unwrap(), b"NEW=1\n");
    assert_eq!(mode(&real), 0o600);
}

#[test]
fn a_dangling_followed_link_creates_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join(".env");
    symlink("made.env", &link).unwrap();
    let options = WriteOptions {
        follow_symlinks: true,
        ..WriteOptions::default()
    };
    write_atomic(&link, b"A=1\n", &options).unwrap();
    assert_eq!(fs::read(dir.path().join("made.env")).unwrap(), b"A=1\n");
}

#[test]
fn a_change_on_disk_since_reading_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    fs::write(&path, "A=1\n").unwrap();
    let loaded = store::read_text(&path).unwrap();
    fs::write(&path, "A=1\nEDITED=yes\n").unwrap();

    let options = WriteOptions {
        expected: Some(loaded.snapshot),
        ..WriteOptions::default()
    };
    let err = write_atomic(&path, b"A=2\n", &options).unwrap_err();
    assert!(matches!(err, StoreError::ChangedOnDisk { .. }));
    assert!(err.to_string().contains("changed on disk"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), b"A=1\nEDITED=yes\n");
}

#[test]
fn a_deleted_file_counts_as_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    fs::write(&path, "A=1\n").unwrap();
    let snapshot = store::read_text(&path).unwrap().snapshot;
    fs::remove_file(&path).unwrap();
    let options = WriteOptions {
        expected: Some(snapshot),
        ..WriteOptions::default()
    };
    assert!(matches!(
        write_atomic(&path, b"A=2\n", &options),
        Err(StoreError::ChangedOnDisk { .. })
    ));
    assert!(!path.exists());
}

#[test]
fn a_file_created_since_an_absent_read_counts_as_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    fs::write(&path, "SOMEONE=else\n").unwrap();
    let options = WriteOptions {
        expected: Some(Snapshot::absent()),
        ..WriteOptions::default()
    };
    assert!(matches!(
        write_atomic(&path, b"A=2\n", &options),
        Err(StoreError::ChangedOnDisk { .. })
    ));
    assert_eq!(fs::read(&path).unwrap(), b"SOMEONE=else\n");
}

#[test]
fn rewriting_the_same_bytes_is_not_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    fs::write(&path, "A=1\n").unwrap();
    let snapshot = store::read_text(&path).unwrap().snapshot;
    fs::write(&path, "A=1\n").unwrap();
    let options = WriteOptions {
        expected: Some(snapshot),
        ..WriteOptions::default()
    };
    write_atomic(&path, b"A=2\n", &options).unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"A=2\n");
}

#[test]
fn crlf_bom_and_missing_final_newline_are_written_as_given() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    let bytes = "\u{feff}A=1\r\nB=\"x\r\ny\"\r\n\r\n# tail without newline".as_bytes();
    write_atomic(&path, bytes, &WriteOptions::default()).unwrap();
    assert_eq!(fs::read(&path).unwrap(), bytes);
    assert_eq!(store::read_text(&path).unwrap().text.as_bytes(), bytes);
}

#[test]
fn a_wide_mode_is_reported_and_narrowed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    fs::write(&path, "A=1\n").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o664)).unwrap();
    let report = write_atomic(&path, b"A=2\n", &WriteOptions::default()).unwrap();
    assert_eq!(report.previous_mode, Some(0o664));
    assert_eq!(mode(&path), 0o600);
    let again = write_atomic(&path, b"A=3\n", &WriteOptions::default()).unwrap();
    assert_eq!(again.previous_mode, None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_bytes_are_written_exactly(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        fs::write(&path, "old").unwrap();
        write_atomic(&path, &bytes, &WriteOptions::default()).unwrap();
        prop_assert_eq!(fs::read(&path).unwrap(), bytes);
    }
}
