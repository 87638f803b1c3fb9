//! The kinds of mistakes blind sweeps 24 to 27 found (Tolgee, kan, Shuffle, useSend,
//! cognee, opencloud, Hexabot), through the real binary: what `check` says and what `fill`
//! writes.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

mod common;

use common::sweep::{check, fill, project};

/// Hexabot (sweep 27): `SIGNED_URL_SECRET` signs URLs with HMAC; its template's 32 hex
/// characters give the encoding, and `fill` writes a 32-byte key (64 hex), as for a JWT key.
#[test]
fn a_signing_secret_is_filled_with_32_bytes_whatever_its_samples_size() {
    let sample = "f661ff500fff6b0c8f91310b6fff6b0c";
    let env = format!("SIGNED_URL_SECRET={sample}\n");
    let p = project(
        "docker-compose.yml",
        "services:\n  api:\n    image: example/api\n    env_file: .env\n",
        &env,
        true,
    );
    let (code, _) = fill(&p);
    assert_eq!(code, Some(0));
    let text = std::fs::read_to_string(p.join(".env")).unwrap();
    let value = text.trim().strip_prefix("SIGNED_URL_SECRET=").unwrap();
    assert_ne!(value, sample);
    assert_eq!(value.len(), 64, "32 bytes of hex");
    assert!(value.bytes().all(|b| b.is_ascii_hexdigit()));
}

/// Tolgee: the app reads `spring.datasource.password` and a `jdbc:postgresql://db…` URL; `db`
/// keeps the literal `POSTGRES_PASSWORD=postgres`. `fill` must leave the password (a new one
/// locks the app out of its database) and name the literal.
#[test]
fn a_password_beside_a_jdbc_url_to_a_compose_literal_is_left() {
    let compose = "services:\n  db:\n    image: postgres:11\n    environment:\n      - POSTGRES_PASSWORD=postgres\n  app:\n    image: tolgee/tolgee\n    env_file:\n      - .env\n";
    for (url, pw, scheme) in [
        (
            "spring.datasource.url",
            "spring.datasource.password",
            "jdbc:postgresql",
        ),
        (
            "SPRING_DATASOURCE_URL",
            "SPRING_DATASOURCE_PASSWORD",
            "jdbc:postgresql",
        ),
        (
            "spring.datasource.url",
            "spring.datasource.password",
            "JDBC:postgresql",
        ),
    ] {
        let env = format!("{url}={scheme}://db:5432/postgres\n{pw}=postgres\n");
        let p = project("docker-compose.yml", compose, &env, false);
        let step = format!(
            "kept in two places, to change in both together: {pw} (also POSTGRES_PASSWORD in docker-compose.yml:5)"
        );
        let out = p
            .cmd()
            .args(["fill", "--yes", "--no-color"])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with("nothing to fill"), "{pw}: {text}");
        assert!(text.contains(&step), "{text}");
        assert_eq!(p.read(".env"), env);
    }
}

/// kan: `NEXT_PUBLIC_BASE_URL= # e.g. https://kan.bn` reaches the container as the comment.
/// `check` warns (without printing it) and says how to write it; `fill` generates the secret
/// written the same way, leaves the setting and names it as the user's to choose.
#[test]
fn a_comment_compose_reads_as_the_value_is_flagged_and_left_to_the_user() {
    let example = "# Required environment variables\nNEXT_PUBLIC_BASE_URL= # e.g. https://kan.bn\nBETTER_AUTH_SECRET= # Random 32+ char string\n";
    let compose = "services:\n  web:\n    image: ghcr.io/kanbn/kan:latest\n    env_file:\n      - .env\n    environment:\n      - NEXT_PUBLIC_BASE_URL=${NEXT_PUBLIC_BASE_URL}\n      - BETTER_AUTH_SECRET=${BETTER_AUTH_SECRET}\n";
    let p = project("docker-compose.yml", compose, example, true);
    let (code, text) = check(&p);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("NEXT_PUBLIC_BASE_URL  .env:2:1  is a placeholder: its value is the comment written after its `=`: Compose reads text opening with `#` after `=` as the value, not as a comment; write `NEXT_PUBLIC_BASE_URL=` with the comment on its own line, or `NEXT_PUBLIC_BASE_URL=\"\"  # …` (warning)"),
        "{text}"
    );
    assert!(
        !text.contains("kan.bn") && !text.contains("Random"),
        "no value printed: {text}"
    );
    let (_, text) = fill(&p);
    assert!(
        text.contains("need a value you choose: NEXT_PUBLIC_BASE_URL"),
        "{text}"
    );
    let after = p.read(".env");
    assert!(
        after.contains("\nNEXT_PUBLIC_BASE_URL= # e.g. https://kan.bn\n"),
        "{after}"
    );
    assert!(!after.contains("# Random"), "{after}");
}

/// Shuffle: `SHUFFLE_ENCRYPTION_MODIFIER=` ("This HAS to be set") is hashed into the AES key
/// credentials are stored with. `check` says it is missing and `fill` makes it.
#[test]
fn an_empty_encryption_modifier_is_missing_and_filled() {
    let example = "# Encryption modifier. This HAS to be set to encrypt any authentication being used in the app.\nAPP_ENCRYPTION_MODIFIER=\nAPP_PORT=5001\n";
    let compose = "services:\n  backend:\n    image: ghcr.io/shuffle/shuffle-backend:latest\n    env_file: .env\n    ports:\n      - \"${APP_PORT}:5001\"\n";
    let p = project("docker-compose.yml", compose, example, true);
    let (code, text) = check(&p);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("APP_ENCRYPTION_MODIFIER  .env:2:1  is empty in .env but needed by service backend (env_file)"),
        "{text}"
    );
    let (code, text) = fill(&p);
    assert_eq!(code, Some(0), "{text}");
    let after = p.read(".env");
    let line = after
        .lines()
        .find(|l| l.starts_with("APP_ENCRYPTION_MODIFIER="))
        .unwrap();
    assert!(
        line.len() > "APP_ENCRYPTION_MODIFIER=".len() + 32,
        "{after}"
    );
    assert!(after.contains("\nAPP_PORT=5001\n"), "{after}");
}

/// Shuffle: `OpenSearch` refuses an initial admin password without an upper-case and a
/// lower-case letter, a digit and a symbol. `fill` writes one value to the variable compose
/// hands it and to the copy the backend reads, meeting that policy every time (a random
/// base64url value misses a symbol about one time in four; twenty runs all passing by luck
/// would happen once in four hundred).
#[test]
fn fill_meets_an_images_password_policy_for_a_whole_group() {
    let compose = "services:\n  backend:\n    image: ghcr.io/shuffle/shuffle-backend:latest\n    env_file: .env\n  opensearch:\n    image: opensearchproject/opensearch:3.2.0\n    environment:\n      - OPENSEARCH_INITIAL_ADMIN_PASSWORD=${SHUFFLE_OPENSEARCH_PASSWORD}\n";
    let env = "SHUFFLE_OPENSEARCH_USERNAME=\"admin\"\nSHUFFLE_OPENSEARCH_PASSWORD=\"StrongShufflePassword321!\" # first setup\nOPENSEARCH_INITIAL_ADMIN_PASSWORD=\"StrongShufflePassword321!\" # first setup\n";
    for run in 0..20 {
        let p = project("docker-compose.yml", compose, env, false);
        let (code, text) = fill(&p);
        assert_eq!(code, Some(0), "{text}");
        let after = p.read(".env");
        let value = |key: &str| {
            let line = after.lines().find(|l| l.starts_with(key)).unwrap();
            let quoted = line.split('"').nth(1).unwrap();
            quoted.to_string()
        };
        let a = value("SHUFFLE_OPENSEARCH_PASSWORD=");
        assert_eq!(a, value("OPENSEARCH_INITIAL_ADMIN_PASSWORD="), "run {run}");
        assert_ne!(a, "StrongShufflePassword321!");
        assert!(
            a.chars().any(|c| c.is_ascii_uppercase())
                && a.chars().any(|c| c.is_ascii_lowercase())
                && a.chars().any(|c| c.is_ascii_digit())
                && a.chars()
                    .any(|c| c.is_ascii_graphic() && !c.is_ascii_alphanumeric())
                && !a.starts_with('-'),
            "run {run}: the value misses a character class OpenSearch requires"
        );
    }
}

/// useSend (blind sweep 25): a fill-in marker in a login provider's id is worth a warning
/// where a service reads it, and nothing where none does (no reference, no `env_file:`).
#[test]
fn a_fill_in_marker_no_container_reads_is_not_flagged() {
    let example = "# Login providers\nGITHUB_ID=\"<your-github-client-id>\"\nGITHUB_SECRET=\"<your-github-client-secret>\"\nGOOGLE_CLIENT_ID=\"<your-google-client-id>\"\nGOOGLE_CLIENT_SECRET=\"<your-google-client-secret>\"\nAPP_URL=http://localhost:3000\n";
    let compose = "services:\n  app:\n    image: nginx:alpine\n    environment:\n      - APP_URL=${APP_URL:?err}\n      - GITHUB_ID=${GITHUB_ID:?err}\n      - GITHUB_SECRET=${GITHUB_SECRET:?err}\n";
    let p = project("compose.yml", compose, example, true);
    let (_, text) = check(&p);
    assert!(
        text.contains("GITHUB_ID      .env:2:1  is a placeholder: its value still holds the template's fill-in marker (<…>) (warning)"),
        "{text}"
    );
    assert!(!text.contains("GOOGLE_CLIENT"), "{text}");
    assert!(
        text.contains("need a value you choose: GITHUB_ID\n"),
        "{text}"
    );
}

/// cognee (blind sweep 26): `NEO4J_AUTH=neo4j/pleaseletmein` is a password no env file can
/// change; `none` turns authentication off.
#[test]
fn a_user_slash_password_literal_in_neo4j_auth_is_hardcoded() {
    let compose = "services:\n  neo4j:\n    image: neo4j:5.26\n    environment:\n      - NEO4J_AUTH=neo4j/pleaseletmein\n  open:\n    image: neo4j:5.26\n    environment:\n      - NEO4J_AUTH=none\n";
    let env = "A=1\n";
    let p = project("docker-compose.yml", compose, env, true);
    let (code, text) = check(&p);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("NEO4J_AUTH  docker-compose.yml:5:9  of service neo4j has a password written into it in docker-compose.yml; interpolate it from the env file"),
        "{text}"
    );
    assert!(!text.contains("service open"), "{text}");
    assert!(!text.contains("pleaseletmein"), "{text}");
}

/// cognee (blind sweep 26): a Cognee Cloud token beside a service called `cognee` is the
/// vendor's: checked, never generated.
#[test]
fn a_vendor_cloud_token_is_not_generated_beside_a_service_of_its_name() {
    let compose =
        "services:\n  cognee:\n    image: busybox\n    volumes:\n      - .env:/app/.env:ro\n";
    let env = "COGNEE_CLOUD_AUTH_TOKEN=\"your-api-key\"\n";
    let p = project("docker-compose.yml", compose, env, true);
    let (_, text) = fill(&p);
    assert!(
        text.contains("need a value from their provider: COGNEE_CLOUD_AUTH_TOKEN"),
        "{text}"
    );
    assert_eq!(p.read(".env"), env);
}

/// opencloud (blind sweep 26): "only needed when using the built-in LDAP server", the setup
/// compose runs, and "If not set, opencloud will not work properly": missing, and filled.
#[test]
fn a_secret_the_app_fails_without_is_missing_despite_an_only_needed_comment() {
    let compose = "services:\n  opencloud:\n    image: opencloudeu/opencloud-rolling:7.3.0\n    environment:\n      IDM_ADMIN_PASSWORD: \"${INITIAL_ADMIN_PASSWORD}\"\n";
    let env = "# Admin Password for the OpenCloud admin user.\n# NOTE: This is only needed when using the built-in LDAP server (idm).\n# If not set, opencloud will not work properly. The container will be restarting.\nINITIAL_ADMIN_PASSWORD=\n";
    let p = project("docker-compose.yml", compose, env, true);
    let (code, text) = check(&p);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains(
            "INITIAL_ADMIN_PASSWORD  .env:4:1  is empty in .env but required by service opencloud"
        ),
        "{text}"
    );
    let (_, text) = fill(&p);
    let after = p.read(".env");
    let value = after
        .lines()
        .find_map(|l| l.strip_prefix("INITIAL_ADMIN_PASSWORD="))
        .unwrap();
    assert!(value.len() >= 32, "{text}\n{after}");
    // A feature's failure leaves the condition in force: optional, not filled.
    let feature = env.replace("opencloud will not work properly", "uploads will not work");
    let p = project("docker-compose.yml", compose, &feature, true);
    let (code, text) = check(&p);
    assert_eq!(code, Some(0), "{text}");
}

/// opencloud (blind sweep 26, the Keycloak overlay): a bind password that also sets the
/// project's own openldap server is the project's secret: its `admin` default is flagged and
/// fill writes one value both sides read.
#[test]
fn an_ldap_bind_password_for_the_projects_own_openldap_is_weak_by_default_and_filled() {
    let compose = "services:\n  app:\n    image: busybox\n    environment:\n      OC_LDAP_BIND_PASSWORD: ${LDAP_BIND_PASSWORD:-admin}\n  ldap-server:\n    image: bitnamilegacy/openldap:2.6\n    environment:\n      LDAP_ADMIN_PASSWORD: ${LDAP_BIND_PASSWORD:-admin}\n";
    let env = "# Password of LDAP bind user \"cn=admin,dc=opencloud,dc=eu\". Defaults to \"admin\"\nLDAP_BIND_PASSWORD=\n";
    let p = project("docker-compose.yml", compose, env, true);
    let (code, text) = check(&p);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("LDAP_BIND_PASSWORD  docker-compose.yml:5:30  is not set in .env, so compose uses the default written in docker-compose.yml, which is weak"),
        "{text}"
    );
    let (_, text) = fill(&p);
    let after = p.read(".env");
    let value = after
        .lines()
        .find_map(|l| l.strip_prefix("LDAP_BIND_PASSWORD="))
        .unwrap();
    assert!(value.len() >= 32, "{text}\n{after}");
    // Without the server in the project, the directory is someone else's: left alone.
    let outside = "services:\n  app:\n    image: busybox\n    environment:\n      OC_LDAP_BIND_PASSWORD: ${LDAP_BIND_PASSWORD:-admin}\n";
    let p = project("docker-compose.yml", outside, env, true);
    let (code, text) = check(&p);
    assert_eq!(code, Some(0), "{text}");
}
