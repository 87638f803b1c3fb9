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
