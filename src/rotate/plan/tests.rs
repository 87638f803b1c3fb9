use std::collections::HashMap;

use secrecy::{ExposeSecret, SecretString};

use super::*;
use crate::analysis::testkit::{Built, Fixture};

fn rng() -> rand::rngs::SysRng {
    rand::rngs::SysRng
}

/// Runs `f` with a rotation input over a fixture.
fn with<T>(built: &Built, config: &Config, f: impl FnOnce(&RotateInput<'_>) -> T) -> T {
    let knowledge = Knowledge::builtin().unwrap();
    let input = RotateInput {
        plan: PlanInput {
            inventory: &built.inventory,
            live: built.live.as_ref(),
            example: built.example.as_ref(),
            project: &built.project,
            now: jiff::Timestamp::UNIX_EPOCH,
        },
        knowledge: &knowledge,
        config,
        live_path: &built.project.env_file,
    };
    f(&input)
}

const PW: &str = "Zr4qW9xLp2mN7vBZr4qW9xLp2mN7vB11aaQ";

#[test]
fn a_group_and_its_urls_follow_and_the_database_changes_first() {
    let built = Fixture::new()
        .compose(
            "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n      - ./init:/docker-entrypoint-initdb.d\n  api:\n    image: example/api\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n      DATABASE_URL: postgres://postgres:${POSTGRES_PASSWORD}@db/app\n  side:\n    image: example/side\n    env_file: .env\n  web:\n    image: nginx\nvolumes:\n  pgdata:\n",
        )
        .live(&format!(
            "POSTGRES_PASSWORD={PW}\nDB_PASSWORD={PW}\nLOCAL_URL=postgres://postgres:{PW}@db/app\n"
        ))
        .build();
    let plan = with(&built, &Config::default(), |input| {
        plan_rotation(
            input,
            &["POSTGRES_PASSWORD".to_string()],
            &HashMap::new(),
            &mut rng(),
        )
    })
    .unwrap();
    let by_name: HashMap<&str, &str> = plan
        .changes
        .changes
        .iter()
        .map(|c| (c.name.as_str(), c.value.expose_secret()))
        .collect();
    let new = by_name["POSTGRES_PASSWORD"];
    assert_ne!(new, PW);
    assert_eq!(by_name["DB_PASSWORD"], new, "the group follows");
    assert_eq!(
        by_name["LOCAL_URL"],
        format!("postgres://postgres:{new}@db/app")
    );
    assert_eq!(plan.servers.len(), 1);
    let db = &plan.servers[0];
    assert_eq!(
        (db.service.as_str(), db.user.as_deref()),
        ("db", Some("postgres")),
        "the image's default user"
    );
    assert!(db.runnable());
    // Clients (and the env_file consumer) first, the server that already has the value last;
    // web uses none of it.
    assert_eq!(plan.recreate, ["api", "side", "db"]);
    let steps = plan.steps(&["docker".into(), "compose".into()], ".env");
    let text = steps.join("\n");
    assert!(text.find("ALTER USER postgres").unwrap() < text.find("write .env").unwrap());
    assert!(text.find("write .env").unwrap() < text.find("--force-recreate api").unwrap());
    // The named volume, not the bind-mounted init scripts.
    assert!(text.contains("(its data is in volume pgdata)"), "{text}");
    assert!(!text.contains(new) && !text.contains(PW), "{text}");
}

#[test]
fn servers_are_found_by_environment_command_line_or_restart() {
    let built = Fixture::new()
        .compose(
            "services:\n  cache:\n    image: redis:7\n    command: redis-server --requirepass ${REDIS_PASSWORD}\n  mysql:\n    image: mariadb:11\n    environment:\n      MARIADB_USER: shop\n      MARIADB_PASSWORD: ${SHOP_DB_PASSWORD}\n  s3:\n    image: minio/minio\n    environment:\n      MINIO_ROOT_PASSWORD: ${MINIO_ROOT_PASSWORD}\n  app:\n    image: example/app\n    environment:\n      S3_SECRET: ${MINIO_ROOT_PASSWORD}\n",
        )
        .live(&format!(
            "REDIS_PASSWORD={PW}\nSHOP_DB_PASSWORD={PW}x\nMINIO_ROOT_PASSWORD={PW}y\n"
        ))
        .build();
    let names = |v: &[&str]| v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
    let plan = with(&built, &Config::default(), |input| {
        plan_rotation(
            input,
            &names(&["REDIS_PASSWORD", "SHOP_DB_PASSWORD", "MINIO_ROOT_PASSWORD"]),
            &HashMap::new(),
            &mut rng(),
        )
    })
    .unwrap();
    let found: Vec<(&str, &str, Option<&str>)> = plan
        .servers
        .iter()
        .map(|s| {
            (
                s.service.as_str(),
                s.container_var.as_str(),
                s.user.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            // The official redis image reads its password from the command line only.
            ("cache", "--requirepass", Some("")),
            ("mysql", "MARIADB_PASSWORD", Some("shop")),
            ("s3", "MINIO_ROOT_PASSWORD", Some("")),
        ]
    );
    assert_eq!(
        plan.recreate.first().map(String::as_str),
        Some("s3"),
        "MinIO restarts before its clients"
    );
    assert_eq!(plan.runnable().count(), 2, "MinIO has nothing to run");
    assert!(plan.notes.iter().any(|n| n.contains("CONFIG REWRITE")));
}

#[test]
fn followers_and_configuration_are_refused_with_their_source() {
    let built = Fixture::new()
        .compose("services:\n  api:\n    image: example/api\n    environment:\n      DATABASE_URL: ${DATABASE_URL}\n      PORT: ${PORT}\n")
        .live(&format!(
            "POSTGRES_PASSWORD={PW}\nDATABASE_URL=postgres://app:{PW}@db/app\nPORT=8080\nAPP_DB_PASSWORD=${{POSTGRES_PASSWORD}}\n"
        ))
        .build();
    let inv = &built.inventory;
    assert!(
        matches!(target(inv, "DATABASE_URL"), Err(RotateError::Url { .. })),
        "{:?}",
        target(inv, "DATABASE_URL")
    );
    assert!(matches!(
        target(inv, "PORT"),
        Err(RotateError::NotSecret(_))
    ));
    assert!(matches!(
        target(inv, "APP_DB_PASSWORD"),
        Err(RotateError::FollowsOthers(_))
    ));
    assert!(matches!(
        target(inv, "MISSING"),
        Err(RotateError::Unknown(_))
    ));
    assert!(target(inv, "POSTGRES_PASSWORD").is_ok());
}

#[test]
fn typed_values_must_be_new_and_providers_need_one() {
    let built = Fixture::new()
        .compose("services:\n  bot:\n    image: example/bot\n    environment:\n      STRIPE_SECRET_KEY: ${STRIPE_SECRET_KEY}\n")
        .live("STRIPE_SECRET_KEY=sk_live_51Hx8sdf7sd8f7sd8f7sd8f7sd8f\n")
        .build();
    let name = vec!["STRIPE_SECRET_KEY".to_string()];
    let run = |typed: HashMap<String, SecretString>| {
        with(&built, &Config::default(), |input| {
            plan_rotation(input, &name, &typed, &mut rng())
        })
    };
    assert!(matches!(
        run(HashMap::new()),
        Err(RotateError::NeedsValue(_))
    ));
    let same = HashMap::from([(
        name[0].clone(),
        SecretString::from("sk_live_51Hx8sdf7sd8f7sd8f7sd8f7sd8f"),
    )]);
    assert!(matches!(run(same), Err(RotateError::SameValue(_))));
    let fresh = HashMap::from([(name[0].clone(), SecretString::from("sk_live_new"))]);
    let plan = run(fresh).unwrap();
    assert_eq!(plan.external, name);
    assert!(
        plan.steps(&[], ".env")
            .join("\n")
            .contains("revoke the old STRIPE_SECRET_KEY")
    );
}

#[test]
fn an_overlap_then_a_promotion() {
    let key = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
    let compose = "services:\n  api:\n    image: example/api\n    environment:\n      JWT_SIGNING_KEY: ${JWT_SIGNING_KEY}\n";
    let built = Fixture::new()
        .compose(compose)
        .live(&format!("JWT_SIGNING_KEY={key}\n"))
        .build();
    let config = crate::config::parse("[vars.JWT_SIGNING_KEY]\noverlap = \"JWT_NEXT\"\n").unwrap();
    let plan = with(&built, &config, |input| {
        plan_overlap(input, "JWT_SIGNING_KEY", None, &mut rng())
    })
    .unwrap();
    assert_eq!(plan.changes.changes.len(), 1);
    assert_eq!(plan.changes.changes[0].name, "JWT_NEXT");
    assert_eq!(
        plan.changes.changes[0].value.expose_secret().len(),
        key.len()
    );
    assert_eq!(plan.recreate, ["api"]);
    assert!(plan.notes[0].contains("no compose service reads JWT_NEXT"));
    let doc = apply(built.live.as_ref(), None, &plan).unwrap();
    let new = plan.changes.changes[0].value.expose_secret().to_string();

    let built = Fixture::new().compose(compose).live(&doc.render()).build();
    let again = with(&built, &config, |input| {
        plan_overlap(input, "JWT_SIGNING_KEY", None, &mut rng())
    });
    assert!(matches!(again, Err(RotateError::OverlapRunning { .. })));
    let promoted = with(&built, &config, |input| {
        plan_promote(input, "JWT_SIGNING_KEY")
    })
    .unwrap();
    let doc = apply(built.live.as_ref(), None, &promoted).unwrap();
    assert_eq!(doc.render(), format!("JWT_SIGNING_KEY={new}\n"));
}

#[test]
fn every_built_in_recipe_keeps_values_out_of_its_arguments() {
    let knowledge = Knowledge::builtin().unwrap();
    let mut seen = 0;
    for image in [
        "postgres", "mysql", "mariadb", "mongo", "redis", "rabbitmq", "grafana", "minio",
    ] {
        let image = knowledge.image(image).unwrap();
        for (var, recipe) in &image.recipes {
            seen += 1;
            if recipe.restart_first {
                continue;
            }
            let out = recipe
                .render(var, "app", "NEWcanary'\"\\x", "OLDcanary'\"\\y", &mut rng())
                .unwrap();
            for a in &out.args {
                assert!(!a.contains("canary"), "{var}: {a}");
            }
            assert!(!out.step.contains("canary"));
            let carries = out.stdin.contains("NEWcanary") || out.stdin.contains("SCRAM-SHA-256$");
            assert!(carries, "{var}: the new value goes to standard input");
        }
    }
    assert!(seen >= 10, "{seen} recipes");
}
