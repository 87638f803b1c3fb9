//! What the blind sweeps 24 and 25 found envward misread (Tolgee, kan, Shuffle, useSend): one
//! test per kind, on small projects built in memory.

use super::testkit::{analysed as run, first_of, vars_of};
use super::{Class, RuleId, Severity};

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
        assert!(
            !inv.get("SPRING_DATASOURCE_PASSWORD").unwrap().pinned,
            "{env}"
        );
    }
}

#[test]
fn a_password_beside_a_jdbc_url_joins_its_servers_password() {
    // The server's password comes from the env file: the app's copy joins it as one group.
    let compose = "services:\n  db:\n    image: mysql:8\n    environment:\n      MYSQL_PASSWORD: ${MYSQL_PASSWORD}\n  app:\n    image: example/app\n    env_file: .env\n";
    for scheme in ["jdbc:mysql", "jdbc:mariadb"] {
        let env = format!(
            "MYSQL_PASSWORD=\nAPP_DATASOURCE_URL={scheme}://db:3306/app\nAPP_DATASOURCE_PASSWORD=\n"
        );
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

#[test]
fn a_comment_compose_reads_as_a_settings_value_is_flagged() {
    // kan: `NEXT_PUBLIC_BASE_URL= # e.g. https://kan.bn` reaches the web container as the
    // comment, which its URL check rejects.
    let example = "# Required environment variables\nNEXT_PUBLIC_BASE_URL= # e.g. https://kan.bn\nBETTER_AUTH_SECRET= # Random 32+ char string\nSMTP_SECURE= # set to \"false\" to use port 587\nTHEME_COLOR=#3b82f6\nAPP_URL=\"\"  # e.g. https://kan.bn\n";
    let compose = "services:\n  web:\n    image: ghcr.io/kanbn/kan:latest\n    environment:\n      - NEXT_PUBLIC_BASE_URL=${NEXT_PUBLIC_BASE_URL}\n      - BETTER_AUTH_SECRET=${BETTER_AUTH_SECRET}\n      - SMTP_SECURE=${SMTP_SECURE}\n      - THEME_COLOR=${THEME_COLOR}\n      - APP_URL=${APP_URL}\n";
    let inv = run(compose, example, example);
    // An optional feature's setting, a value that only starts with `#`, and a quoted empty
    // value with its comment are left alone.
    assert_eq!(
        vars_of(&inv, RuleId::Placeholder),
        ["NEXT_PUBLIC_BASE_URL", "BETTER_AUTH_SECRET"]
    );
    for f in inv
        .findings
        .iter()
        .filter(|f| f.rule == RuleId::Placeholder)
    {
        let name = f.variable.as_deref().unwrap();
        assert!(
            f.message
                .contains("Compose reads text opening with `#` after `=` as the value")
                && f.message
                    .contains(&format!("`{name}=` with the comment on its own line"))
                && f.message.contains(&format!("`{name}=\"\"  # …`")),
            "{}",
            f.message
        );
        // The value (the comment) is never printed.
        assert!(
            !f.message.contains("kan.bn") && !f.message.contains("Random"),
            "{}",
            f.message
        );
    }
    let config = first_of(&inv, RuleId::Placeholder);
    assert_eq!(config.severity, Severity::Warning);
    assert_eq!(
        inv.get("NEXT_PUBLIC_BASE_URL").unwrap().class,
        Class::Config
    );
    // Loaded whole with `env_file:`, the same.
    let whole = "services:\n  web:\n    image: ghcr.io/kanbn/kan:latest\n    env_file: .env\n";
    let inv = run(whole, example, example);
    assert_eq!(
        vars_of(&inv, RuleId::Placeholder),
        ["NEXT_PUBLIC_BASE_URL", "BETTER_AUTH_SECRET"]
    );
}

#[test]
fn a_comment_only_an_apps_dotenv_library_reads_is_an_empty_value() {
    // The file only mounted into the container (mirotalk's `./.env:/src/.env:ro`): the app's
    // dotenv library reads `KEY= # …` as empty, so the setting is not the comment there.
    let example = "NEXT_PUBLIC_BASE_URL= # e.g. https://kan.bn\n";
    let compose =
        "services:\n  web:\n    image: example/web\n    volumes:\n      - ./.env:/src/.env:ro\n";
    let inv = run(compose, example, example);
    assert!(vars_of(&inv, RuleId::Placeholder).is_empty());
}

#[test]
fn a_word_for_what_a_key_is_made_of_after_an_encryption_word_names_a_key() {
    // Shuffle: `SHUFFLE_ENCRYPTION_MODIFIER=` "has to be set"; it is hashed into the AES key.
    let example = "# Encryption modifier. This HAS to be set to encrypt any authentication being used in the app.\nAPP_ENCRYPTION_MODIFIER=\nAPP_SIGNING_SEED=\nUSE_ENCRYPTION_SEED=true\nZBX_DB_CIPHER_LIST=\nPAYLOAD_ENCRYPTION_CACHE_MAX_ITEMS=\nLETS_ENCRYPT_TLS_CHALLENGE=\nAPP_ENCRYPTION_ALGORITHM=\nAPP_PORT=5001\n";
    let compose = "services:\n  backend:\n    image: ghcr.io/shuffle/shuffle-backend:latest\n    env_file: .env\n";
    let inv = run(compose, example, example);
    for name in ["APP_ENCRYPTION_MODIFIER", "APP_SIGNING_SEED"] {
        assert_eq!(inv.get(name).unwrap().class, Class::Secret, "{name}");
    }
    // A switch, and settings whose last word is anything else, stay configuration.
    for name in [
        "USE_ENCRYPTION_SEED",
        "ZBX_DB_CIPHER_LIST",
        "PAYLOAD_ENCRYPTION_CACHE_MAX_ITEMS",
        "LETS_ENCRYPT_TLS_CHALLENGE",
        "APP_ENCRYPTION_ALGORITHM",
    ] {
        assert_eq!(inv.get(name).unwrap().class, Class::Config, "{name}");
    }
    assert_eq!(
        vars_of(&inv, RuleId::Missing),
        ["APP_ENCRYPTION_MODIFIER", "APP_SIGNING_SEED"]
    );
}

#[test]
fn a_fill_in_marker_in_a_setting_no_container_reads_is_left_alone() {
    // useSend (blind sweep 25): `GOOGLE_CLIENT_ID="<your-google-client-id>"`, which no
    // service references and no `env_file:` loads, is not flagged; the same marker in a
    // setting a service reads still is.
    let compose = "services:\n  app:\n    image: example/app\n    environment:\n      - GITHUB_ID=${GITHUB_ID:?err}\n";
    let env = "GITHUB_ID=\"<your-github-id>\"\nGOOGLE_CLIENT_ID=\"<your-google-client-id>\"\n";
    let inv = run(compose, env, env);
    let flagged = first_of(&inv, RuleId::Placeholder);
    assert_eq!(flagged.variable.as_deref(), Some("GITHUB_ID"));
    assert_eq!(flagged.severity, Severity::Warning);
    assert!(
        !inv.findings
            .iter()
            .any(|f| f.variable.as_deref() == Some("GOOGLE_CLIENT_ID")),
        "{:?}",
        inv.findings
    );
}
