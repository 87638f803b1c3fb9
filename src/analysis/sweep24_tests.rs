//! What the blind sweep 24 found envward misread (Tolgee, kan, Shuffle): one test per kind,
//! on small projects built in memory.

use super::testkit::analysed as run;

#[test]
fn a_password_beside_a_jdbc_url_to_a_compose_literal_is_pinned() {
    // Tolgee: the app's `spring.datasource.password` names no database, only the
    // `jdbc:postgresql://db…` setting beside it does; `db` keeps the literal password.
    let compose = "services:\n  db:\n    image: postgres:11\n    environment:\n      - POSTGRES_PASSWORD=postgres\n  app:\n    image: tolgee/tolgee\n    env_file:\n      - .env\n";
    for (url, pw) in [
        ("spring.datasource.url", "spring.datasource.password"),
        ("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_PASSWORD"),
    ] {
        for scheme in ["jdbc:postgresql", "postgresql"] {
            let env = format!("{url}={scheme}://db:5432/postgres\n{pw}=postgres\n");
            let inv = run(compose, &env, &env);
            let v = inv.get(pw).unwrap();
            assert!(v.pinned, "{pw} beside {scheme}");
            assert_eq!(
                v.pinned_by.as_deref(),
                Some("POSTGRES_PASSWORD in compose.yaml:5"),
                "{pw}"
            );
        }
    }
    // A URL setting of another prefix, or one naming another host, pins nothing.
    for env in [
        "OTHER_URL=jdbc:postgresql://db:5432/postgres\nSPRING_DATASOURCE_PASSWORD=postgres\n",
        "SPRING_DATASOURCE_URL=jdbc:postgresql://elsewhere:5432/x\nSPRING_DATASOURCE_PASSWORD=postgres\n",
    ] {
        let inv = run(compose, env, env);
        assert!(!inv.get("SPRING_DATASOURCE_PASSWORD").unwrap().pinned, "{env}");
    }
}

#[test]
fn a_password_beside_a_jdbc_url_joins_its_servers_password() {
    // The server's password comes from the env file: the app's copy joins it as one group.
    let compose = "services:\n  db:\n    image: mysql:8\n    environment:\n      MYSQL_PASSWORD: ${MYSQL_PASSWORD}\n  app:\n    image: example/app\n    env_file: .env\n";
    for scheme in ["jdbc:mysql", "jdbc:mariadb"] {
        let env = format!("MYSQL_PASSWORD=\nAPP_DATASOURCE_URL={scheme}://db:3306/app\nAPP_DATASOURCE_PASSWORD=\n");
        let inv = run(compose, &env, &env);
        assert!(
            inv.relations
                .same("MYSQL_PASSWORD", "APP_DATASOURCE_PASSWORD"),
            "{scheme}"
        );
    }
    // Pointing at another server of the project, it is that one's.
    let compose = "services:\n  db:\n    image: mysql:8\n    environment:\n      MYSQL_PASSWORD: ${MYSQL_PASSWORD}\n  other:\n    image: postgres:16\n  app:\n    image: example/app\n    env_file: .env\n";
    let env = "MYSQL_PASSWORD=\nDB_URL=jdbc:postgresql://other:5432/app\nDB_PASSWORD=\n";
    let inv = run(compose, env, env);
    assert!(!inv.relations.same("MYSQL_PASSWORD", "DB_PASSWORD"));
}
