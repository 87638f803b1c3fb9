//! `store::read`: what a read refuses, and what it remembers.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use envward::store::{self, StoreError};

#[test]
fn a_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = store::read_text(dir.path()).unwrap_err();
    assert!(err.to_string().ends_with(": is a directory"), "{err}");
}

#[test]
fn a_missing_file_is_not_found_or_none() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    let err = store::read_text(&path).unwrap_err();
    assert_eq!(err.to_string(), format!("{}: not found", path.display()));
    assert!(store::read_optional(&path).unwrap().is_none());
}

#[test]
fn read_optional_still_reports_other_errors() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        store::read_optional(dir.path()),
        Err(StoreError::IsDirectory { .. })
    ));
}

#[test]
fn invalid_utf8_names_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    fs::write(&path, b"A=1\nB=caf\xc3\xa9\xff\n").unwrap();
    let err = store::read_text(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{}:2:7: invalid UTF-8", path.display())
    );
}

#[test]
fn a_50_mb_file_is_refused_from_metadata_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.env");
    // Sparse: 50 MiB long without writing 50 MiB.
    fs::File::create(&path)
        .unwrap()
        .set_len(50 * 1024 * 1024)
        .unwrap();
    let started = Instant::now();
    let err = store::read_text(&path).unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(
        err.to_string(),
        format!("{}: too large (50 MB > 4 MB limit)", path.display())
    );
}

#[test]
fn exactly_the_limit_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.env");
    fs::write(
        &path,
        vec![b'x'; usize::try_from(store::MAX_FILE_SIZE).unwrap()],
    )
    .unwrap();
    let loaded = store::read_text(&path).unwrap();
    assert_eq!(loaded.text.len() as u64, store::MAX_FILE_SIZE);
    fs::write(
        &path,
        vec![b'x'; usize::try_from(store::MAX_FILE_SIZE).unwrap() + 1],
    )
    .unwrap();
    assert!(matches!(
        store::read_text(&path),
        Err(StoreError::TooLarge { .. })
    ));
}

#[test]
fn text_is_exactly_the_bytes_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    let raw = "\u{feff}A=1\r\nB='x y'\r\n# no newline at end";
    fs::write(&path, raw).unwrap();
    assert_eq!(store::read_text(&path).unwrap().text, raw);
}

#[test]
fn snapshot_records_size_and_wide_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    fs::write(&path, "A=1\n").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let snapshot = store::read_text(&path).unwrap().snapshot;
    assert_eq!(snapshot.size(), Some(4));
    assert_eq!(snapshot.mode(), Some(0o640));
    assert_eq!(snapshot.wide_mode(), Some(0o640));
    assert!(snapshot.modified().is_some());
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(store::read_text(&path).unwrap().snapshot.wide_mode(), None);
}

#[test]
fn a_fifo_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pipe");
    if std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .is_ok_and(|s| s.success())
    {
        let err = store::read_text(&path).unwrap_err();
        assert!(err.to_string().ends_with(": not a regular file"), "{err}");
    } else {
        eprintln!("skipped: mkfifo is not available");
    }
}
