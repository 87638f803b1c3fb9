//! The kinds of mistakes blind sweep 28 found (Chartbrew, `OneUptime`), through the real binary:
//! what `check` says and what `fill` writes.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{Home, TestProject};

/// A project of one compose file and a live `.env` (mode 0600, as `fill` leaves it), with an
/// `.env.example` equal to it when the template is the example.
fn project(compose_file: &str, compose: &str, env: &str, with_example: bool) -> TestProject {
    let mut p = TestProject::new()
        .file(compose_file, compose)
        .file(".env", env);
    if with_example {
        p = p.file(".env.example", env);
    }
    std::fs::set_permissions(p.join(".env"), std::fs::Permissions::from_mode(0o600)).unwrap();
    p
}

/// `fill --yes --no-color` with its own home (for the backup key): its exit code and what it
/// printed.
fn fill(p: &TestProject) -> (Option<i32>, String) {
    let out = Home::new()
        .on(p)
        .args(["fill", "--yes", "--no-color"])
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

/// `check --no-color`: its exit code and what it printed.
fn check(p: &TestProject) -> (Option<i32>, String) {
    let out = p.cmd().args(["check", "--no-color"]).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

/// Chartbrew: `CB_ENCRYPTION_KEY=` with no sample and no recipe; the app exits unless the key
/// is 64 hex characters. `fill` writes 32 bytes of hex.
#[test]
fn an_empty_encryption_key_is_filled_with_64_hex() {
    let p = project(
        "docker-compose.yml",
        "services:\n  app:\n    image: node:22-alpine\n    env_file: .env\n",
        "## The new secret key used for encrypting data\nCB_ENCRYPTION_KEY=\n",
        true,
    );
    let (code, _) = fill(&p);
    assert_eq!(code, Some(0));
    let text = std::fs::read_to_string(p.join(".env")).unwrap();
    let value = text
        .lines()
        .last()
        .unwrap()
        .strip_prefix("CB_ENCRYPTION_KEY=")
        .unwrap();
    assert_eq!(value.len(), 64, "{value}");
    assert!(value.bytes().all(|b| b.is_ascii_hexdigit()), "{value}");
}

/// `OneUptime`: "Generate a private key via openssl, encode it to base64" describes a PEM
/// private key; `check` asks nothing of it and `fill` leaves it empty.
#[test]
fn a_private_key_described_in_prose_is_never_generated() {
    let env = "PROVISION_SSL=false\n# Generate a private key via openssl, encode it to base64 and paste it here.\n# Example: \"LS0tLS....1cbg==\"\nLETS_ENCRYPT_ACCOUNT_KEY=\n";
    let p = project(
        "docker-compose.yml",
        "services:\n  app:\n    image: example/app\n    environment:\n      PROVISION_SSL: ${PROVISION_SSL}\n      LETS_ENCRYPT_ACCOUNT_KEY: ${LETS_ENCRYPT_ACCOUNT_KEY}\n",
        env,
        true,
    );
    let (code, out) = check(&p);
    assert_eq!(code, Some(0), "{out}");
    fill(&p);
    assert_eq!(std::fs::read_to_string(p.join(".env")).unwrap(), env);
}

/// `OneUptime`: `VAPID_SUBJECT=mailto:…` is a contact address, configuration; with the push keys
/// empty nothing is asked of a provider.
#[test]
fn a_contact_address_beside_a_providers_keys_is_not_a_placeholder() {
    let p = project(
        "docker-compose.yml",
        "services:\n  app:\n    image: example/app\n    environment:\n      VAPID_PUBLIC_KEY: ${VAPID_PUBLIC_KEY}\n      VAPID_PRIVATE_KEY: ${VAPID_PRIVATE_KEY}\n      VAPID_SUBJECT: ${VAPID_SUBJECT}\n",
        "# Generate using: npx web-push generate-vapid-keys\nVAPID_PUBLIC_KEY=\nVAPID_PRIVATE_KEY=\nVAPID_SUBJECT=mailto:support@oneuptime.com\n",
        true,
    );
    let (code, out) = check(&p);
    assert_eq!(code, Some(0), "{out}");
    assert!(!out.contains("VAPID_SUBJECT"), "{out}");
}
