//! What blind sweep 28 found envward misread (Chartbrew, `OneUptime`, `OpenPanel`): one test
//! per kind, on small projects built in memory.

use super::testkit::{analysed as run, vars_of};
use super::{Class, RuleId};
use crate::generate::Kind;

#[test]
fn a_shared_instruction_sample_ties_no_unrelated_secrets() {
    // OneUptime: seven secrets share `please-change-this-to-random-value`, under a comment
    // saying "All of these can be different values". Neither the stand-in nor a block whose
    // comment lets the values differ makes one secret of them.
    let compose = "services:\n  redis:\n    image: redis:7\n    command: redis-server --requirepass \"${REDIS_PASSWORD}\"\n  postgres:\n    image: postgres:15\n    environment:\n      POSTGRES_PASSWORD: ${DATABASE_PASSWORD}\n  app:\n    image: example/app\n    environment:\n      APP_SECRET: ${APP_SECRET}\n      ENCRYPTION_SECRET: ${ENCRYPTION_SECRET}\n      DATABASE_PASSWORD: ${DATABASE_PASSWORD}\n      REDIS_PASSWORD: ${REDIS_PASSWORD}\n";
    let names = [
        "APP_SECRET",
        "DATABASE_PASSWORD",
        "REDIS_PASSWORD",
        "ENCRYPTION_SECRET",
    ];
    let with_comment = "# Secrets - PLEASE CHANGE THESE. All of these can be different values.\nAPP_SECRET=please-change-this-to-random-value\nDATABASE_PASSWORD=please-change-this-to-random-value\nREDIS_PASSWORD=please-change-this-to-random-value\nENCRYPTION_SECRET=please-change-this-to-random-value\n";
    // The same value under a comment that says nothing of sameness, and a long random-ish
    // shared sample under the comment.
    let stand_in_only = with_comment.replace("All of these can be different values.", "");
    let comment_only = with_comment.replace(
        "please-change-this-to-random-value",
        "Zq8vN3kLw7Xr2TbY5mHs9PdC4",
    );
    for env in [with_comment.to_string(), stand_in_only, comment_only] {
        let inv = run(compose, &env, &env);
        assert!(
            inv.relations.groups.is_empty(),
            "{:?}\n{env}",
            inv.relations.groups
        );
        for n in names {
            assert!(inv.relations.group_of(n).is_none(), "{n}");
        }
    }
    // A true pair keeps its tie: the app's password and its server's, one stand-in.
    let pair = "DB_PASSWORD=please-change-this\nPOSTGRES_PASSWORD=please-change-this\n";
    let compose = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n  app:\n    image: example/app\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n";
    let inv = run(compose, pair, pair);
    assert!(inv.relations.same("DB_PASSWORD", "POSTGRES_PASSWORD"));
}

#[test]
fn a_self_reference_is_judged_by_what_compose_resolves_it_to() {
    // OpenPanel: `COOKIE_SECRET="$COOKIE_SECRET"` is a marker for its setup script. Compose
    // reads it from the OS environment, or as "": with nothing exported the app gets an
    // empty secret. A reference to another variable still follows it.
    let compose = "services:\n  api:\n    image: node:22-alpine\n    env_file:\n      - .env\n";
    let env = "# Will be replaced with the setup script\nCOOKIE_SECRET=\"$COOKIE_SECRET\"\nSESSION_SECRET=Zq8vN3kLw7Xr2TbY5mHs9PdC4aE6uJ1o\nOTHER_SECRET=\"$SESSION_SECRET\"\n";
    let inv = run(compose, env, env);
    let missing = vars_of(&inv, RuleId::Missing);
    assert!(
        missing.contains(&"COOKIE_SECRET".to_string()),
        "{missing:?}"
    );
    assert!(
        !missing.contains(&"OTHER_SECRET".to_string()),
        "{missing:?}"
    );
    assert!(inv.get("OTHER_SECRET").unwrap().findings.is_empty());
}

#[test]
fn an_encryption_key_with_no_sample_or_recipe_is_made_as_64_hex() {
    // Chartbrew: `CB_ENCRYPTION_KEY=` under "The new secret key used for encrypting data";
    // the app exits unless the key is 64 hex characters. Most templates ask for that form,
    // and an app taking any string of 32 or more accepts it too.
    let compose = "services:\n  app:\n    image: node:22-alpine\n    env_file: .env\n";
    let env = "## The new secret key used for encrypting data\nCB_ENCRYPTION_KEY=\n";
    let inv = run(compose, env, env);
    assert_eq!(
        inv.get("CB_ENCRYPTION_KEY").unwrap().kind,
        Some(Kind::Hex(32))
    );
    // A recipe or a sample still decides.
    let env = "# Generate with: openssl rand -base64 32\nDB_ENCRYPTION_KEY=\n\nSESSION_ENCRYPTION_KEY=6c1fe4e407b8911c104518103505b218\n";
    let inv = run(compose, env, env);
    assert_eq!(
        inv.get("DB_ENCRYPTION_KEY").unwrap().kind,
        Some(Kind::Base64(32))
    );
    assert_eq!(
        inv.get("SESSION_ENCRYPTION_KEY").unwrap().kind,
        Some(Kind::Hex(16))
    );
}

#[test]
fn a_private_key_described_in_prose_is_external_not_generated() {
    // OneUptime: "Generate a private key via openssl, encode it to base64 and paste it here."
    // describes a PEM private key (one half of a pair), not a random value.
    let compose = "services:\n  app:\n    image: example/app\n    environment:\n      LETS_ENCRYPT_ACCOUNT_KEY: ${LETS_ENCRYPT_ACCOUNT_KEY}\n      SIGNING_KEY: ${SIGNING_KEY}\n";
    let env = "# Generate a private key via openssl, encode it to base64 and paste it here.\n# Example: \"LS0tLS....1cbg==\"\nLETS_ENCRYPT_ACCOUNT_KEY=\n# Generate a private key with openssl rand -hex 32\nSIGNING_KEY=\n";
    let inv = run(compose, env, env);
    let v = inv.get("LETS_ENCRYPT_ACCOUNT_KEY").unwrap();
    assert_eq!(v.class, Class::External);
    assert_eq!(v.kind, None);
    assert!(
        !vars_of(&inv, RuleId::Missing).contains(&"LETS_ENCRYPT_ACCOUNT_KEY".to_string()),
        "{:?}",
        inv.findings
    );
    // A random recipe beside the words "private key" is still that recipe.
    let v = inv.get("SIGNING_KEY").unwrap();
    assert_eq!(v.class, Class::Secret);
    assert_eq!(v.kind, Some(Kind::Hex(32)));
}

#[test]
fn a_contact_setting_beside_a_providers_keys_is_configuration() {
    // OneUptime: `VAPID_SUBJECT=mailto:support@oneuptime.com` is the contact web push sends
    // with, not a credential: the `VAPID_*` rule speaks for the keys.
    let compose = "services:\n  app:\n    image: example/app\n    environment:\n      VAPID_PUBLIC_KEY: ${VAPID_PUBLIC_KEY}\n      VAPID_PRIVATE_KEY: ${VAPID_PRIVATE_KEY}\n      VAPID_SUBJECT: ${VAPID_SUBJECT}\n";
    let env = "# VAPID keys for Web Push Notifications\n# Generate using: npx web-push generate-vapid-keys\nVAPID_PUBLIC_KEY=\nVAPID_PRIVATE_KEY=\nVAPID_SUBJECT=mailto:support@oneuptime.com\n";
    let inv = run(compose, env, env);
    assert_eq!(inv.get("VAPID_SUBJECT").unwrap().class, Class::Config);
    assert_eq!(inv.get("VAPID_PRIVATE_KEY").unwrap().class, Class::External);
    assert!(inv.findings.is_empty(), "{:?}", inv.findings);
}

#[test]
fn the_official_redis_image_reads_no_password_from_its_environment() {
    // Chartbrew: `REDIS_PASSWORD: ${CB_REDIS_PASSWORD}` on `image: redis:alpine`.
    // docker-library/redis reads no REDIS_PASSWORD (that is Bitnami's convention): the
    // server runs open, and an empty client password is no missing value.
    let env = "APP_REDIS_PASSWORD=\n";
    let with = |image: &str, extra: &str| {
        format!(
            "services:\n  redis:\n    image: {image}\n{extra}    environment:\n      REDIS_PASSWORD: ${{APP_REDIS_PASSWORD}}\n"
        )
    };
    for image in [
        "redis:alpine",
        "docker.io/library/redis:7",
        "valkey/valkey:8",
    ] {
        let inv = run(&with(image, ""), env, env);
        assert!(vars_of(&inv, RuleId::Missing).is_empty(), "{image}");
        assert!(!inv.get("APP_REDIS_PASSWORD").unwrap().required, "{image}");
    }
    // Bitnami's image reads it (and refuses to start without it).
    for image in ["bitnami/redis:7.2", "docker.io/bitnamilegacy/redis:8.0"] {
        let inv = run(&with(image, ""), env, env);
        assert_eq!(
            vars_of(&inv, RuleId::Missing),
            ["APP_REDIS_PASSWORD"],
            "{image}"
        );
    }
    // The official image given the password on its command line: directly, or through its
    // container's shell reading the environment entry.
    for command in [
        "    command: redis-server --requirepass ${APP_REDIS_PASSWORD}\n",
        "    command: [\"sh\", \"-c\", \"redis-server --requirepass \\\"$${REDIS_PASSWORD}\\\"\"]\n",
        "    command: sh -c 'exec redis-server --requirepass $$REDIS_PASSWORD'\n",
    ] {
        let inv = run(&with("redis:7", command), env, env);
        assert_eq!(
            vars_of(&inv, RuleId::Missing),
            ["APP_REDIS_PASSWORD"],
            "{command}"
        );
    }
}

#[test]
fn a_development_twin_is_not_judged_for_production_nor_tied_to_its_twin() {
    // Chartbrew: `CB_SECRET_DEV` and `CB_REDIS_PASSWORD_DEV` under "DEVELOPMENT VARS", read
    // only when NODE_ENV is not production; the app container runs in production.
    let compose = "services:\n  redis:\n    image: redis:alpine\n    command: redis-server --requirepass \"${APP_REDIS_PASSWORD:?}\"\n  app:\n    image: node:22-alpine\n    env_file: .env\n";
    let env = "APP_SECRET=change_to_random_string\nAPP_REDIS_PASSWORD=\nAPP_SECRET_DEV=change_to_random_string\nAPP_REDIS_PASSWORD_DEV=\nDEV_API_TOKEN=\nAPI_TOKEN=replace-me\n";
    let inv = run(compose, env, env);
    assert_eq!(vars_of(&inv, RuleId::Missing), ["APP_REDIS_PASSWORD"]);
    assert_eq!(
        vars_of(&inv, RuleId::Placeholder),
        ["APP_SECRET", "API_TOKEN"]
    );
    for twin in ["APP_SECRET_DEV", "APP_REDIS_PASSWORD_DEV", "DEV_API_TOKEN"] {
        assert!(inv.relations.group_of(twin).is_none(), "{twin}");
        assert!(!inv.get(twin).unwrap().required, "{twin}");
    }
    // A name that ends in DEV with no twin beside it is judged as ever.
    let alone = "APP_SECRET_DEV=change_to_random_string\n";
    let inv = run(compose, alone, alone);
    assert_eq!(vars_of(&inv, RuleId::Placeholder), ["APP_SECRET_DEV"]);
    // Run in development, the twin is the one the app reads: judged, though still not tied.
    let dev = format!("NODE_ENV=development\n{env}");
    let inv = run(compose, &dev, &dev);
    assert!(
        vars_of(&inv, RuleId::Placeholder).contains(&"APP_SECRET_DEV".to_string()),
        "{:?}",
        vars_of(&inv, RuleId::Placeholder)
    );
    assert!(inv.relations.group_of("APP_SECRET_DEV").is_none());
}
