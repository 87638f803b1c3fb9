//! What blind sweep 28 found envward misread (`OneUptime`, `OpenPanel`): one test per kind,
//! on small projects built in memory.

use super::RuleId;
use super::testkit::{analysed as run, vars_of};

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
