//! `store::backup` and `store::save`: the newest backup always equals the live file, and
//! no version is ever lost.
// The helpers below are test code too, outside `#[test]` functions.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;

use envward::store::{self, SaveContext, backup};
use proptest::prelude::*;

fn plain_of(path: &Path, me: &store::Identity) -> Vec<u8> {
    backup::read_backup(path, me).unwrap().to_vec()
}

#[test]
fn save_report_names_live_backups_and_wide_mode() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join(".env");
    fs::write(&live, "OLD=1\n").unwrap();
    fs::set_permissions(&live, fs::Permissions::from_mode(0o644)).unwrap();
    let me = store::Identity::generate();
    let team = store::Identity::generate();
    let recipients = [team.recipient()];
    let now = jiff::Timestamp::from_second(1_700_000_000).unwrap();
    let context = SaveContext::new(&recipients, &me, now);

    let report = store::save_with_backup(&live, b"NEW=1\n", &context).unwrap();
    assert_eq!(report.live, live);
    assert_eq!(report.written, live);
    assert_eq!(report.previous_mode, Some(0o644));
    assert_eq!(report.backups.len(), 2);
    assert!(report.backups[0].ends_with(".env.000001.20231114T221320Z.age"));
    assert!(report.backups[1].ends_with(".env.000002.20231114T221320Z.age"));
    assert_eq!(plain_of(&report.backups[0], &me), b"OLD=1\n");
    // Both the user and the team can restore.
    assert_eq!(plain_of(&report.backups[1], &me), b"NEW=1\n");
    assert_eq!(plain_of(&report.backups[1], &team), b"NEW=1\n");
    assert!(report.pruned.is_empty());
    assert!(report.prune_error.is_none());
}

#[test]
fn a_followed_symlink_keeps_backups_next_to_the_link() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("real")).unwrap();
    let real = dir.path().join("real/app.env");
    let link = dir.path().join(".env");
    fs::write(&real, "OLD=1\n").unwrap();
    symlink(&real, &link).unwrap();
    let me = store::Identity::generate();
    let mut context = SaveContext::new(&[], &me, jiff::Timestamp::from_second(5).unwrap());
    context.write.follow_symlinks = true;

    let report = store::save_with_backup(&link, b"NEW=1\n", &context).unwrap();
    assert_eq!(report.written, real);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read(&real).unwrap(), b"NEW=1\n");
    assert!(
        report
            .backups
            .iter()
            .all(|b| b.parent() == Some(dir.path()))
    );
}

#[test]
fn an_edit_outside_envward_is_backed_up_before_the_next_save() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join(".env");
    let me = store::Identity::generate();
    let context = SaveContext::new(&[], &me, jiff::Timestamp::from_second(10).unwrap());
    store::save_with_backup(&live, b"A=1\n", &context).unwrap();
    fs::write(&live, "A=1\nHAND_EDIT=1\n").unwrap();
    let context = SaveContext::new(&[], &me, jiff::Timestamp::from_second(20).unwrap());
    store::save_with_backup(&live, b"A=2\n", &context).unwrap();

    let found = backup::find_equal(&live, b"A=1\nHAND_EDIT=1\n", &me)
        .unwrap()
        .unwrap();
    assert!(found.path.ends_with(".env.000002.19700101T000020Z.age"));
    let contents: Vec<Vec<u8>> = backup::list(&live)
        .unwrap()
        .iter()
        .map(|b| plain_of(&b.path, &me))
        .collect();
    assert_eq!(
        contents,
        vec![
            b"A=2\n".to_vec(),
            b"A=1\nHAND_EDIT=1\n".to_vec(),
            b"A=1\n".to_vec()
        ]
    );
}

#[test]
fn backups_another_identity_cannot_read_are_not_trusted_as_newest() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join(".env");
    let alice = store::Identity::generate();
    let bob = store::Identity::generate();
    let context = SaveContext::new(&[], &alice, jiff::Timestamp::from_second(10).unwrap());
    store::save_with_backup(&live, b"A=1\n", &context).unwrap();
    // Bob cannot read Alice's backup, so he backs the live file up again for himself.
    let context = SaveContext::new(&[], &bob, jiff::Timestamp::from_second(20).unwrap());
    let report = store::save_with_backup(&live, b"A=2\n", &context).unwrap();
    assert_eq!(report.backups.len(), 2);
    assert_eq!(plain_of(&report.backups[0], &bob), b"A=1\n");
}

#[test]
fn list_ignores_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join(".env");
    for other in [
        ".env.local.20240101T000000Z.age",
        ".env.20240101T000000Z.age.envward-tmp",
        ".env.backup",
        "x.env.20240101T000000Z.age",
    ] {
        fs::write(dir.path().join(other), "x").unwrap();
    }
    fs::create_dir(dir.path().join(".env.20240101T000001Z.age")).unwrap();
    assert!(backup::list(&live).unwrap().is_empty());
}

#[test]
fn prune_uses_the_default_count_and_keeps_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join(".env");
    let me = store::Identity::generate();
    for i in 0..13 {
        let now = jiff::Timestamp::from_second(1000 + i).unwrap();
        backup::backup_now(&live, format!("{i}").as_bytes(), &[], &me, now, false).unwrap();
    }
    let removed = backup::prune(&live, store::DEFAULT_KEEP, &[]).unwrap();
    assert_eq!(removed.len(), 3);
    let left = backup::list(&live).unwrap();
    assert_eq!(left.len(), 10);
    assert_eq!(plain_of(&left[0].path, &me), b"12");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Any sequence of saves and outside edits: after each save the live file holds the new
    /// content, the newest backup equals it, and every version the live file ever had is
    /// in some backup.
    #[test]
    fn saves_never_lose_a_version(
        steps in proptest::collection::vec(
            (proptest::collection::vec(any::<u8>(), 0..64), any::<bool>()),
            1..6,
        ),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let live = dir.path().join(".env");
        let me = store::Identity::generate();
        let mut versions: Vec<Vec<u8>> = Vec::new();
        for (i, (content, edit_outside_first)) in steps.iter().enumerate() {
            if *edit_outside_first {
                let edit = [content.as_slice(), b"#edited"].concat();
                fs::write(&live, &edit).unwrap();
                versions.push(edit);
            }
            let now = jiff::Timestamp::from_second(1_000 + i64::try_from(i).unwrap()).unwrap();
            let mut context = SaveContext::new(&[], &me, now);
            context.keep = 100;
            store::save_with_backup(&live, content, &context).unwrap();
            versions.push(content.clone());

            prop_assert_eq!(&fs::read(&live).unwrap(), content);
            let backups = backup::list(&live).unwrap();
            prop_assert_eq!(&plain_of(&backups[0].path, &me), content);
            let plains: Vec<Vec<u8>> =
                backups.iter().map(|b| plain_of(&b.path, &me)).collect();
            for version in &versions {
                prop_assert!(plains.contains(version));
            }
        }
    }
}
