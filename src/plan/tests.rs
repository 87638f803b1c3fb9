use rand::SeedableRng;
use secrecy::{ExposeSecret, SecretString};

use super::*;
use crate::analysis::jwt;
use crate::analysis::shape::url_password_span;
use crate::analysis::testkit::{Built, Fixture};
use crate::dotenv::parse;
use crate::generate::CharClass;

fn change(name: &str, value: &str) -> Change {
    Change {
        name: name.to_string(),
        kind: Kind::Password,
        status: Status::Missing,
        reason: String::new(),
        value: SecretString::from(value.to_string()),
        origin: Origin::Generated,
    }
}

fn fill(b: &Built) -> (Plan, HashMap<String, String>) {
    let input = PlanInput {
        inventory: &b.inventory,
        live: b.live.as_ref(),
        example: b.example.as_ref(),
        project: &b.project,
        now: jiff::Timestamp::from_second(1_800_000_000).unwrap(),
    };
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let plan = plan_fill(
        &input,
        &[Status::Missing, Status::Placeholder, Status::Weak],
        &mut rng,
    )
    .unwrap();
    let doc = apply(b.live.as_ref(), b.example.as_ref(), &plan).unwrap();
    let values = doc
        .resolve_lenient(&|_: &str| None)
        .into_iter()
        .map(|b| (b.key, b.value))
        .collect();
    (plan, values)
}

#[test]
fn new_keys_follow_the_example_order() {
    let example = parse("# db\nDB_USER=app\nDB_PASSWORD=change_me\n\n# api\nAPI_KEY=x\n").unwrap();
    let live = parse("DB_USER=app\n\nAPI_KEY=real\n").unwrap();
    let plan = Plan {
        changes: vec![change("DB_PASSWORD", "s3cret-value")],
    };
    let doc = apply(Some(&live), Some(&example), &plan).unwrap();
    assert_eq!(
        doc.render(),
        "DB_USER=app\nDB_PASSWORD=s3cret-value\n\nAPI_KEY=real\n"
    );
}

#[test]
fn without_a_live_file_the_example_is_the_template() {
    let example =
        parse("# db\nDB_USER=app\nDB_PASSWORD=change_me # set me\nTOKEN=your_token\n").unwrap();
    let plan = Plan {
        changes: vec![
            change("DB_PASSWORD", "generated"),
            change("EXTRA_SECRET", "g2"),
        ],
    };
    let doc = apply(None, Some(&example), &plan).unwrap();
    assert_eq!(
        doc.render(),
        "# db\nDB_USER=app\nDB_PASSWORD=generated # set me\nTOKEN=your_token\nEXTRA_SECRET=g2\n"
    );
}

const APP_AND_DB: &str = "services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
  api:
    image: example/api
    environment:
      DB_HOST: db
      DB_PASSWORD: ${DB_PASSWORD}
      DATABASE_URL: ${DATABASE_URL}
";

#[test]
fn a_client_password_and_its_server_get_one_value_and_the_url_follows() {
    let template = "POSTGRES_PASSWORD=changeme\nDB_PASSWORD=changeme2\nDATABASE_URL=postgres://app:changeme@db:5432/app\n";
    let b = Fixture::new()
        .compose(APP_AND_DB)
        .example(template)
        .live(template)
        .build();
    let (plan, after) = fill(&b);
    assert_eq!(
        after["POSTGRES_PASSWORD"],
        after["DB_PASSWORD"],
        "{:?}",
        plan.changes
            .iter()
            .map(|c| (&c.name, &c.origin))
            .collect::<Vec<_>>()
    );
    assert_ne!(after["POSTGRES_PASSWORD"], "changeme");
    let url = &after["DATABASE_URL"];
    let span = url_password_span(url).unwrap();
    assert_eq!(
        crate::analysis::relations::percent_decode(&url[span]),
        after["POSTGRES_PASSWORD"]
    );
    assert!(url.starts_with("postgres://app:") && url.ends_with("@db:5432/app"));
}

#[test]
fn a_good_server_password_is_copied_not_replaced() {
    let strong = "Vq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiElx";
    let live = format!("POSTGRES_PASSWORD={strong}\nDB_PASSWORD=changeme\n");
    let b = Fixture::new()
        .compose(APP_AND_DB)
        .example("POSTGRES_PASSWORD=\nDB_PASSWORD=\n")
        .live(&live)
        .build();
    let (plan, after) = fill(&b);
    assert_eq!(after["DB_PASSWORD"], strong);
    assert_eq!(after["POSTGRES_PASSWORD"], strong);
    assert!(matches!(plan.changes[0].origin, Origin::Copied { .. }));
}

#[test]
fn an_interpolated_value_is_never_overwritten() {
    let template = "POSTGRES_PASSWORD=changeme\nDB_PASSWORD=${POSTGRES_PASSWORD}\n";
    let b = Fixture::new().example(template).live(template).build();
    let (plan, after) = fill(&b);
    assert!(plan.changes.iter().all(|c| c.name != "DB_PASSWORD"));
    assert_eq!(after["DB_PASSWORD"], after["POSTGRES_PASSWORD"]);
}

#[test]
fn derived_tokens_are_signed_with_the_new_secret() {
    let template = "JWT_SECRET=your-super-secret-jwt-token-with-at-least-32-characters-long\nANON_KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyAgCiAgICAicm9sZSI6ICJhbm9uIiwKICAgICJpc3MiOiAic3VwYWJhc2UtZGVtbyIsCiAgICAiaWF0IjogMTY0MTc2OTIwMCwKICAgICJleHAiOiAxNzk5NTM1NjAwCn0.dc_X5iR_VP_qT0zsiyj_I_OZ2T9FtRU2BBNWN8Bu4GE\n";
    let b = Fixture::new().example(template).live(template).build();
    let (_, after) = fill(&b);
    let claims = std::collections::BTreeMap::from([("role".to_string(), "anon".to_string())]);
    let now = jiff::Timestamp::from_second(1_800_000_001).unwrap();
    assert_ne!(
        after["JWT_SECRET"],
        "your-super-secret-jwt-token-with-at-least-32-characters-long"
    );
    assert_eq!(
        jwt::verify(&after["ANON_KEY"], &after["JWT_SECRET"], &claims, now),
        Ok(())
    );
}

#[test]
fn propagate_follows_a_typed_value() {
    let template = "POSTGRES_PASSWORD=changeme\nDB_PASSWORD=changeme\nDATABASE_URL=postgres://app:changeme@db:5432/app\n";
    let b = Fixture::new()
        .compose(APP_AND_DB)
        .example(template)
        .live(template)
        .build();
    let input = PlanInput {
        inventory: &b.inventory,
        live: b.live.as_ref(),
        example: b.example.as_ref(),
        project: &b.project,
        now: jiff::Timestamp::UNIX_EPOCH,
    };
    let mut typed = change("POSTGRES_PASSWORD", "n3w p@ss");
    typed.origin = Origin::Typed;
    let plan = propagate(&input, vec![typed]);
    let names: Vec<&str> = plan.changes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["POSTGRES_PASSWORD", "DB_PASSWORD", "DATABASE_URL"]);
    let url = plan.changes[2].value.expose_secret();
    assert_eq!(url, "postgres://app:n3w%20p%40ss@db:5432/app");
}

/// A value `OpenSearch` accepts as its initial admin password: an upper-case and a lower-case
/// letter, a digit and a symbol, not opening with `-` (templates/images.toml).
fn opensearch_accepts(v: &str) -> bool {
    v.chars().any(|c| c.is_ascii_uppercase())
        && v.chars().any(|c| c.is_ascii_lowercase())
        && v.chars().any(|c| c.is_ascii_digit())
        && v.chars()
            .any(|c| c.is_ascii_graphic() && !c.is_ascii_alphanumeric())
        && !v.starts_with('-')
}

#[test]
fn an_image_password_policy_reaches_the_variable_behind_it_and_its_group() {
    // Shuffle: OpenSearch gets `${SHUFFLE_OPENSEARCH_PASSWORD}`; the backend reads a copy,
    // `OPENSEARCH_INITIAL_ADMIN_PASSWORD`, from the env file, with the same sample. A random
    // base64url password lacks a symbol about one time in four, and OpenSearch then refuses
    // to start: every draw must meet the policy, for both members alike.
    let compose = "services:\n  backend:\n    image: ghcr.io/shuffle/shuffle-backend:latest\n    env_file: .env\n  opensearch:\n    image: opensearchproject/opensearch:3.2.0\n    environment:\n      - OPENSEARCH_INITIAL_ADMIN_PASSWORD=${SHUFFLE_OPENSEARCH_PASSWORD}\n";
    let env = "SHUFFLE_OPENSEARCH_PASSWORD=\"StrongShufflePassword321!\"\nOPENSEARCH_INITIAL_ADMIN_PASSWORD=\"StrongShufflePassword321!\"\n";
    let b = Fixture::new()
        .compose(compose)
        .example(env)
        .live(env)
        .build();
    let inv = &b.inventory;
    assert!(inv.relations.same(
        "SHUFFLE_OPENSEARCH_PASSWORD",
        "OPENSEARCH_INITIAL_ADMIN_PASSWORD"
    ));
    let all = [
        CharClass::Upper,
        CharClass::Lower,
        CharClass::Digit,
        CharClass::Symbol,
    ];
    let fed = &inv.get("SHUFFLE_OPENSEARCH_PASSWORD").unwrap().constraints;
    assert!(all.iter().all(|c| fed.require.contains(c)), "{fed:?}");
    let input = PlanInput {
        inventory: inv,
        live: b.live.as_ref(),
        example: b.example.as_ref(),
        project: &b.project,
        now: jiff::Timestamp::from_second(1_800_000_000).unwrap(),
    };
    for seed in 0..200 {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let plan = plan_fill(&input, &[Status::Placeholder, Status::Weak], &mut rng).unwrap();
        let a = plan.value_of("SHUFFLE_OPENSEARCH_PASSWORD").unwrap();
        let c = plan.value_of("OPENSEARCH_INITIAL_ADMIN_PASSWORD").unwrap();
        assert_eq!(a.expose_secret(), c.expose_secret(), "seed {seed}");
        assert!(opensearch_accepts(a.expose_secret()), "seed {seed}");
    }
}
