//! Interoperability with the `age` command-line tool, both ways.
//!
//! When `age` (or `ssh-keygen`, for the SSH cases) is not on PATH the tests say so and
//! pass, unless `ENVWARD_REQUIRE_AGE=1` is set, as in CI: then a missing tool fails them.
// The helpers below are test code too, outside `#[test]` functions.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use envward::store::{self, backup, crypto, identity, recipients};

const PLAIN: &[u8] = b"POSTGRES_PASSWORD=s3cr3t\r\nEMPTY=\r\n\xc3\xa9=unicode\n";

/// Whether the tool runs; a missing tool skips the test, or fails it when
/// `ENVWARD_REQUIRE_AGE=1`.
fn tool(name: &str, probe: &[&str]) -> bool {
    let found = Command::new(name)
        .args(probe)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("ENVWARD_REQUIRE_AGE").is_none_or(|v| v != "1"),
            "`{name}` is not on PATH but ENVWARD_REQUIRE_AGE=1"
        );
        eprintln!("skipped: `{name}` is not on PATH (set ENVWARD_REQUIRE_AGE=1 to fail instead)");
    }
    found
}

fn age_decrypt(identity: &Path, file: &Path) -> Vec<u8> {
    let output = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(identity)
        .arg(file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "age -d failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn age_encrypt(args: &[&str], plain: &[u8], out: &Path) {
    let mut child = Command::new("age")
        .args(args)
        .arg("-o")
        .arg(out)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(plain).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "age {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// An identity made by envward at the default location, as a new user gets it.
fn envward_identity(dir: &Path) -> (store::Identity, PathBuf) {
    let at = store::IdentityPath {
        path: dir.join("identity.txt"),
        origin: store::IdentityOrigin::Default,
    };
    let now = jiff::Timestamp::from_second(1_700_000_000).unwrap();
    let (me, notice) = identity::load_or_create(&at, now).unwrap();
    assert!(notice.is_some());
    (me, at.path)
}

fn ssh_keypair(dir: &Path) -> Option<PathBuf> {
    if !tool("ssh-keygen", &["-?"]) {
        return None;
    }
    let key = dir.join("id_ed25519");
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "test@envward", "-f"])
        .arg(&key)
        .status()
        .unwrap();
    assert!(status.success());
    Some(key)
}

#[test]
fn age_decrypts_our_encryption_with_our_identity_file() {
    if !tool("age", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (me, identity_path) = envward_identity(dir.path());
    for armor in [false, true] {
        let cipher = crypto::encrypt(PLAIN, &[me.recipient()], armor).unwrap();
        let file = dir.path().join(format!("secret-{armor}.age"));
        fs::write(&file, cipher).unwrap();
        assert_eq!(age_decrypt(&identity_path, &file), PLAIN, "armor={armor}");
    }
}

#[test]
fn age_decrypts_our_backups() {
    if !tool("age", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (me, identity_path) = envward_identity(dir.path());
    let live = dir.path().join(".env");
    let now = jiff::Timestamp::from_second(1_700_000_000).unwrap();
    let binary = backup::backup_now(&live, PLAIN, &[], &me, now, false).unwrap();
    let armored = backup::backup_now(&live, b"SECOND=2\n", &[], &me, now, true).unwrap();
    assert_eq!(age_decrypt(&identity_path, &binary), PLAIN);
    assert_eq!(age_decrypt(&identity_path, &armored), b"SECOND=2\n");

    let context = store::SaveContext::new(&[], &me, now);
    let report = store::save_with_backup(&live, b"THIRD=3\n", &context).unwrap();
    let newest = report.backups.last().unwrap();
    assert_eq!(age_decrypt(&identity_path, newest), b"THIRD=3\n");
}

#[test]
fn we_decrypt_age_output_for_an_age1_recipient() {
    if !tool("age", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (me, _) = envward_identity(dir.path());
    let public = me.public_key();
    for (args, name) in [
        (vec!["-r", public.as_str()], "binary.age"),
        (vec!["-a", "-r", public.as_str()], "armored.age"),
    ] {
        let file = dir.path().join(name);
        age_encrypt(&args, PLAIN, &file);
        let plain = crypto::decrypt(&fs::read(&file).unwrap(), [&me]).unwrap();
        assert_eq!(plain.as_slice(), PLAIN, "{name}");
    }
}

#[test]
fn we_load_identities_made_by_age_keygen() {
    if !tool("age-keygen", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("keygen.txt");
    let status = Command::new("age-keygen")
        .arg("-o")
        .arg(&key)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let loaded = store::Identity::load(&key).unwrap();
    let text = fs::read_to_string(&key).unwrap();
    assert!(text.contains(&format!("# public key: {}", loaded.public_key())));
}

#[test]
fn we_decrypt_age_output_for_an_ssh_ed25519_recipients_file() {
    if !tool("age", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let Some(key) = ssh_keypair(dir.path()) else {
        return;
    };
    let file = dir.path().join("ssh.age");
    let public = dir.path().join("id_ed25519.pub");
    age_encrypt(&["-R", public.to_str().unwrap()], PLAIN, &file);

    let me = store::Identity::load(&key).unwrap();
    assert!(me.public_key().starts_with("ssh-ed25519 "));
    let plain = crypto::decrypt(&fs::read(&file).unwrap(), [&me]).unwrap();
    assert_eq!(plain.as_slice(), PLAIN);
}

#[test]
fn age_decrypts_our_encryption_to_an_ssh_ed25519_recipients_file() {
    if !tool("age", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let Some(key) = ssh_keypair(dir.path()) else {
        return;
    };
    let team = dir.path().join("team.txt");
    let public = fs::read_to_string(dir.path().join("id_ed25519.pub")).unwrap();
    let other = store::Identity::generate().public_key();
    fs::write(&team, format!("# the team\n{public}\n{other}\n")).unwrap();
    let list = recipients::read_recipients_file(&team).unwrap();
    assert_eq!(list.len(), 2);

    let file = dir.path().join("team.age");
    fs::write(&file, crypto::encrypt(PLAIN, &list, true).unwrap()).unwrap();
    assert_eq!(age_decrypt(&key, &file), PLAIN);
}
