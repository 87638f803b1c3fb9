//! What blind sweep 28 found envward misread (Chartbrew, OneUptime): one test per kind, on
//! small projects built in memory.

use super::RuleId;
use super::testkit::{analysed as run, vars_of};

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
