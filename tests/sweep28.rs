//! The kinds of mistakes blind sweep 28 found (Chartbrew, `OneUptime`, `OpenPanel`), through
//! the real binary: what `check` says and what `fill` writes.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

mod common;

use common::TestProject;
use common::sweep::{check, fill, project};

/// The value of `key` in the project's `.env`.
fn value_of(p: &TestProject, key: &str) -> String {
    let text = std::fs::read_to_string(p.join(".env")).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .unwrap()
        .trim_matches('"')
        .to_string()
}

/// `OneUptime` (sweep 28): secrets that share the stand-in `please-change-this-to-random-value`
/// under "All of these can be different values" get one generated value each.
#[test]
fn fill_gives_secrets_sharing_a_stand_in_their_own_values() {
    let env = "# Secrets - PLEASE CHANGE THESE. All of these can be different values.\nAPP_SECRET=please-change-this-to-random-value\nDATABASE_PASSWORD=please-change-this-to-random-value\nREDIS_PASSWORD=please-change-this-to-random-value\nENCRYPTION_SECRET=please-change-this-to-random-value\n";
    let compose = "services:\n  redis:\n    image: redis:7\n    command: redis-server --requirepass \"${REDIS_PASSWORD}\"\n  postgres:\n    image: postgres:15\n    environment:\n      POSTGRES_PASSWORD: ${DATABASE_PASSWORD}\n  app:\n    image: example/app\n    environment:\n      APP_SECRET: ${APP_SECRET}\n      ENCRYPTION_SECRET: ${ENCRYPTION_SECRET}\n      DATABASE_PASSWORD: ${DATABASE_PASSWORD}\n      REDIS_PASSWORD: ${REDIS_PASSWORD}\n";
    let p = project("docker-compose.yml", compose, env, true);
    let (_, out) = check(&p);
    assert!(!out.contains("tied together"), "{out}");
    let (code, _) = fill(&p);
    assert_eq!(code, Some(0));
    let mut values: Vec<String> = [
        "APP_SECRET",
        "DATABASE_PASSWORD",
        "REDIS_PASSWORD",
        "ENCRYPTION_SECRET",
    ]
    .iter()
    .map(|k| value_of(&p, k))
    .collect();
    assert!(values.iter().all(|v| !v.contains("please")), "{values:?}");
    values.sort();
    values.dedup();
    assert_eq!(values.len(), 4, "{values:?}");
}

/// `OpenPanel` (sweep 28): `COOKIE_SECRET="$COOKIE_SECRET"` resolves to "" with nothing
/// exported: `check` says it is missing and `fill` writes a real value in its place.
#[test]
fn a_self_referencing_marker_is_missing_and_filled() {
    let env = "# Will be replaced with the setup script\nCOOKIE_SECRET=\"$COOKIE_SECRET\"\nDB_PASSWORD=\n";
    let compose = "services:\n  api:\n    image: node:22-alpine\n    env_file:\n      - .env\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:?set it}\n";
    let p = project("docker-compose.yml", compose, env, true);
    let (code, out) = check(&p);
    assert_eq!(code, Some(1));
    assert!(
        out.lines()
            .any(|l| l.trim_start().starts_with("COOKIE_SECRET") && l.contains("empty")),
        "{out}"
    );
    // Exported, the value is the environment's: nothing to say about it.
    let out = p
        .cmd()
        .env("COOKIE_SECRET", "Zq8vN3kLw7Xr2TbY5mHs9PdC4aE6uJ1oXk")
        .args(["check", "--no-color"])
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(!out.contains("COOKIE_SECRET"), "{out}");
    let (code, _) = fill(&p);
    assert_eq!(code, Some(0));
    let v = value_of(&p, "COOKIE_SECRET");
    assert!(!v.contains('$') && v.len() >= 32, "{v}");
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

/// Chartbrew: `REDIS_PASSWORD: ${CB_REDIS_PASSWORD}` on `image: redis:alpine`, which reads no
/// such variable (Bitnami's images do). The server runs open: nothing is missing, and `fill`
/// invents no password that no server checks.
#[test]
fn a_password_the_official_redis_image_ignores_is_not_required() {
    let env = "APP_REDIS_HOST=redis\nAPP_REDIS_PASSWORD=\n";
    let compose = "services:\n  redis:\n    image: redis:alpine\n    environment:\n      REDIS_PASSWORD: ${APP_REDIS_PASSWORD}\n  app:\n    image: node:22-alpine\n    env_file: .env\n";
    let p = project("docker-compose.yml", compose, env, true);
    let (code, out) = check(&p);
    assert_eq!(code, Some(0), "{out}");
    let (code, _) = fill(&p);
    assert_eq!(code, Some(0));
    assert_eq!(std::fs::read_to_string(p.join(".env")).unwrap(), env);
    // Bitnami's image reads it, and refuses to start without it.
    let p = project(
        "docker-compose.yml",
        &compose.replace("redis:alpine", "bitnami/redis:7.2"),
        env,
        true,
    );
    let (code, out) = check(&p);
    assert_eq!(code, Some(1));
    assert!(out.contains("APP_REDIS_PASSWORD"), "{out}");
}

/// Chartbrew: `CB_SECRET_DEV` and `CB_REDIS_PASSWORD_DEV`, read only when `NODE_ENV` is not
/// production. Judged for production they are no errors, and `fill` neither copies the
/// production secret into them nor makes the dev password the compose redis's.
#[test]
fn a_development_twin_is_left_to_the_developer() {
    let env = "APP_SECRET=change_to_random_string\nAPP_REDIS_HOST=redis\nAPP_REDIS_PASSWORD=\nAPP_SECRET_DEV=change_to_random_string\nAPP_REDIS_HOST_DEV=localhost\nAPP_REDIS_PASSWORD_DEV=\n";
    let compose = "services:\n  redis:\n    image: redis:alpine\n    command: redis-server --requirepass \"${APP_REDIS_PASSWORD:?}\"\n  app:\n    image: node:22-alpine\n    env_file: .env\n    environment:\n      NODE_ENV: production\n";
    let p = project("docker-compose.yml", compose, env, true);
    let (code, out) = check(&p);
    assert_eq!(code, Some(1));
    assert!(!out.contains("_DEV"), "{out}");
    let (code, _) = fill(&p);
    assert_eq!(code, Some(0));
    let text = std::fs::read_to_string(p.join(".env")).unwrap();
    assert!(
        text.contains("APP_SECRET_DEV=change_to_random_string\n"),
        "{text}"
    );
    assert!(text.contains("APP_REDIS_PASSWORD_DEV=\n"), "{text}");
    assert!(
        !text.contains("APP_SECRET=change_to_random_string\n"),
        "{text}"
    );
}
