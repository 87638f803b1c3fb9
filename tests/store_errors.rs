//! Bad inputs fail with an error that names the file, never shows a secret, and leaves
//! every file as it was.
// The helpers below are test code too, outside `#[test]` functions.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use envward::store::{
    self, CryptoError, SaveContext, StoreError, WriteOptions, backup, crypto, identity, recipients,
};
use secrecy::SecretString;

const SECRET: &str = "hunter2-very-secret";

/// Every file under `dir` with its bytes, to compare before and after. The save lock's
/// file (empty, created by the first save and kept) is left out.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(".env.envward-lock")
        {
            continue;
        }
        let metadata = fs::symlink_metadata(&path).unwrap();
        if metadata.is_dir() {
            files.extend(tree(&path));
        } else if metadata.is_file() {
            files.insert(path.clone(), fs::read(&path).unwrap());
        }
    }
    files
}

fn assert_secret_free(err: &StoreError) {
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(SECRET), "error shows a secret: {shown}");
    }
}

struct Fixture {
    dir: tempfile::TempDir,
    live: PathBuf,
    me: store::Identity,
    backup: PathBuf,
}

/// A live file with a secret and one backup of it.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join(".env");
    let content = format!("PASSWORD={SECRET}\n");
    fs::write(&live, &content).unwrap();
    let me = store::identity::create(
        &dir.path().join("identity.txt"),
        jiff::Timestamp::from_second(1_700_000_000).unwrap(),
    )
    .unwrap();
    let now = jiff::Timestamp::from_second(1_700_000_000).unwrap();
    let backup = backup::backup_now(&live, content.as_bytes(), &[], &me, now, false).unwrap();
    Fixture {
        dir,
        live,
        me,
        backup,
    }
}

#[test]
fn wrong_identity() {
    let f = fixture();
    let before = tree(f.dir.path());
    let stranger = store::Identity::generate();
    let err = backup::read_backup(&f.backup, &stranger).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{}: no identity matches this file", f.backup.display())
    );
    assert_secret_free(&err);
    assert_eq!(tree(f.dir.path()), before);
}

#[test]
fn truncated_backup() {
    let f = fixture();
    let bytes = fs::read(&f.backup).unwrap();
    fs::write(&f.backup, &bytes[..bytes.len() - 5]).unwrap();
    let before = tree(f.dir.path());
    let err = backup::read_backup(&f.backup, &f.me).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Crypto {
                source: CryptoError::Corrupted,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("truncated or corrupted"));
    assert_secret_free(&err);

    fs::write(&f.backup, &bytes[..30]).unwrap();
    let err = backup::read_backup(&f.backup, &f.me).unwrap_err();
    assert!(err.to_string().contains("header is truncated"), "{err}");
    fs::write(&f.backup, &bytes[..bytes.len() - 5]).unwrap();
    assert_eq!(tree(f.dir.path()), before);
}

#[test]
fn missing_identity_file() {
    let dir = tempfile::tempdir().unwrap();
    let before = tree(dir.path());
    let missing = dir.path().join("nope/identity.txt");
    let err = store::Identity::load(&missing).unwrap_err();
    assert_eq!(err.to_string(), format!("{}: not found", missing.display()));
    let at = store::IdentityPath {
        path: missing.clone(),
        origin: store::IdentityOrigin::Argument,
    };
    let now = jiff::Timestamp::from_second(1_700_000_000).unwrap();
    let err = identity::load_or_create(&at, now).unwrap_err();
    assert!(matches!(err, StoreError::IdentityNotFound { .. }));
    assert!(err.to_string().contains("named by --identity"), "{err}");
    assert_eq!(tree(dir.path()), before);
    assert!(!missing.parent().unwrap().exists());
}

#[test]
fn wrong_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret.age");
    let pass = SecretString::from("right".to_owned());
    let cipher =
        crypto::encrypt_passphrase_with_work_factor(SECRET.as_bytes(), &pass, false, 4).unwrap();
    fs::write(&file, &cipher).unwrap();
    let before = tree(dir.path());
    let wrong = SecretString::from("wrong".to_owned());
    let err = crypto::decrypt_passphrase(&fs::read(&file).unwrap(), &wrong).unwrap_err();
    assert_eq!(err.to_string(), "wrong passphrase");
    assert_eq!(tree(dir.path()), before);
}

#[test]
fn recipients_file_with_a_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("recipients.txt");
    let good = store::Identity::generate().public_key();
    fs::write(&file, format!("# team\n{good}\n\n{SECRET}\n")).unwrap();
    let before = tree(dir.path());
    let err = recipients::read_recipients_file(&file).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:4: not a recipient (expected age1…, ssh-ed25519 … or ssh-rsa …)",
            file.display()
        )
    );
    assert_secret_free(&err);
    assert_eq!(tree(dir.path()), before);
}

#[test]
fn recipients_file_without_recipients() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("recipients.txt");
    fs::write(&file, "# nobody yet\n").unwrap();
    let err = recipients::read_recipients_file(&file).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{}: no recipients", file.display())
    );
}

#[test]
fn identity_file_with_a_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("identity.txt");
    fs::write(&file, format!("# created: today\n{SECRET}\n")).unwrap();
    let before = tree(dir.path());
    let err = store::Identity::load(&file).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:2: not an age identity (expected AGE-SECRET-KEY-1…)",
            file.display()
        )
    );
    assert_secret_free(&err);
    assert_eq!(tree(dir.path()), before);
}

#[test]
fn save_refuses_a_changed_live_file_and_writes_no_backup() {
    let f = fixture();
    let snapshot = store::read_text(&f.live).unwrap().snapshot;
    fs::write(&f.live, format!("PASSWORD={SECRET}\nEDITED=1\n")).unwrap();
    let before = tree(f.dir.path());
    let mut context = SaveContext::new(&[], &f.me, jiff::Timestamp::now());
    context.write = WriteOptions {
        expected: Some(snapshot),
        ..WriteOptions::default()
    };
    let err = store::save_with_backup(&f.live, b"NEW=1\n", &context).unwrap_err();
    assert!(matches!(err, StoreError::ChangedOnDisk { .. }), "{err}");
    assert_secret_free(&err);
    assert_eq!(tree(f.dir.path()), before);
}

#[test]
fn save_refuses_a_symlink_and_writes_no_backup() {
    let f = fixture();
    let link = f.dir.path().join("linked.env");
    symlink(&f.live, &link).unwrap();
    let before = tree(f.dir.path());
    let context = SaveContext::new(&[], &f.me, jiff::Timestamp::now());
    let err = store::save_with_backup(&link, b"NEW=1\n", &context).unwrap_err();
    assert!(matches!(err, StoreError::Symlink { .. }), "{err}");
    assert_eq!(tree(f.dir.path()), before);
}

#[test]
fn save_leaves_the_live_file_when_the_old_version_cannot_be_backed_up() {
    let f = fixture();
    // Too large to read back, so it cannot be backed up, so it must not be replaced.
    fs::File::options()
        .append(true)
        .open(&f.live)
        .unwrap()
        .set_len(store::MAX_FILE_SIZE + 1)
        .unwrap();
    let before = tree(f.dir.path());
    let context = SaveContext::new(&[], &f.me, jiff::Timestamp::now());
    let err = store::save_with_backup(&f.live, b"NEW=1\n", &context).unwrap_err();
    assert!(matches!(err, StoreError::BackupFailed { .. }), "{err}");
    assert!(
        err.to_string().starts_with(&format!(
            "{}: not saved, the live file is unchanged",
            f.live.display()
        )),
        "{err}"
    );
    assert!(err.to_string().contains("too large"), "{err}");
    assert_eq!(tree(f.dir.path()), before);
}

#[test]
fn save_refuses_when_backups_cannot_be_listed_and_leaves_everything() {
    let f = fixture();
    let before = tree(f.dir.path());
    // A live path whose directory does not exist cannot receive backups.
    let nowhere = f.dir.path().join("missing-dir/.env");
    let context = SaveContext::new(&[], &f.me, jiff::Timestamp::now());
    let err = store::save_with_backup(&nowhere, b"NEW=1\n", &context).unwrap_err();
    // The save lock is the first thing created beside the live file.
    assert!(
        err.to_string()
            .contains("missing-dir: cannot create a lock file in"),
        "{err}"
    );
    assert_eq!(tree(f.dir.path()), before);
}
