//! What a template leaves out, comments out or mislabels, as the fifth blind sweep found
//! it on real projects (Bookwyrm, Bigcapital, Loomio, OpenReplay): one test per kind, on
//! small projects built in memory.

use super::testkit::{Fixture, analysed as run, vars_of};
use super::{Class, RuleId};
use crate::generate::Kind;

/// Bookwyrm's layout: the template lists its server passwords only on commented-out lines,
/// postgres loads the live file, and Redis takes its password on the command line.
const SERVERS: &str = "services:
  db:
    image: postgres:17
    env_file: .env
  redis:
    image: redis:7.2.1
    command: redis-server --requirepass ${REDIS_PASSWORD} --appendonly yes
  backup:
    image: postgres:17
    environment:
      - PGPASSWORD=${POSTGRES_PASSWORD}
";

#[test]
fn a_server_password_the_template_comments_out_is_missing() {
    let example = "# POSTGRES_PASSWORD=securedbypassword123\n# REDIS_PASSWORD=redispassword345\nPOSTGRES_USER=app\n";
    let inv = run(SERVERS, example, example);
    let mut missing = vars_of(&inv, RuleId::Missing);
    missing.sort();
    assert_eq!(missing, ["POSTGRES_PASSWORD", "REDIS_PASSWORD"]);
}

#[test]
fn a_setting_that_lets_postgres_run_open_keeps_its_password_optional() {
    let example = "# POSTGRES_PASSWORD=securedbypassword123\nPOSTGRES_USER=app\nPOSTGRES_HOST_AUTH_METHOD=trust\n";
    let compose = "services:\n  db:\n    image: postgres:17\n    env_file: .env\n  backup:\n    image: postgres:17\n    environment:\n      - PGPASSWORD=${POSTGRES_PASSWORD}\n";
    let inv = run(compose, example, example);
    assert!(vars_of(&inv, RuleId::Missing).is_empty());
}

#[test]
fn a_commented_out_secret_no_server_needs_stays_optional() {
    // An app's optional key, read bare: the commented line says it may stay unset.
    let example = "# SENTRY_SIGNING_PASSWORD=changeme\nAPP_NAME=x\n";
    let compose =
        "services:\n  app:\n    image: x\n    environment:\n      - S=${SENTRY_SIGNING_PASSWORD}\n";
    let inv = run(compose, example, example);
    assert!(vars_of(&inv, RuleId::Missing).is_empty());
}

#[test]
fn postgres_loading_the_live_file_needs_its_password_even_when_nothing_names_it() {
    let example = "POSTGRES_USER=app\nPOSTGRES_DB=app\n";
    let compose = "services:\n  db:\n    image: postgres:17\n    env_file: .env\n";
    let inv = run(compose, example, example);
    assert_eq!(vars_of(&inv, RuleId::Missing), ["POSTGRES_PASSWORD"]);
    assert_eq!(inv.get("POSTGRES_PASSWORD").unwrap().class, Class::Secret);
    // Let run open by the env file itself, it needs none, and none is made up.
    let open = "POSTGRES_USER=app\nPOSTGRES_HOST_AUTH_METHOD=trust\n";
    let inv = run(compose, open, open);
    assert!(vars_of(&inv, RuleId::Missing).is_empty());
    assert!(inv.get("POSTGRES_PASSWORD").is_none());
    // MySQL takes its root password, a random one or an empty one: no single name is the
    // one it needs, so none is made up.
    let compose = "services:\n  db:\n    image: mariadb:11\n    env_file: .env\n";
    let inv = run(compose, "MYSQL_USER=app\n", "MYSQL_USER=app\n");
    assert!(vars_of(&inv, RuleId::Missing).is_empty());
    assert!(inv.get("MARIADB_ROOT_PASSWORD").is_none());
}

#[test]
fn a_server_behind_a_profile_that_is_off_needs_nothing() {
    let compose = "services:\n  search:\n    image: opensearchproject/opensearch:2\n    profiles: [opensearch]\n    environment:\n      - OPENSEARCH_INITIAL_ADMIN_PASSWORD=${OPENSEARCH_PASSWORD}\n  app:\n    image: x\n    env_file: .env\n";
    let example = "# OPENSEARCH_PASSWORD=changeme\nAPP=1\n";
    let inv = run(compose, example, example);
    assert!(vars_of(&inv, RuleId::Missing).is_empty());
}

#[test]
fn the_secret_of_a_client_id_is_issued_with_it() {
    // Plaid is in no template: the pair says who issues the secret.
    let example = "# Your Plaid keys, from the Plaid Dashboard.\nPLAID_CLIENT_ID=\nPLAID_SECRET=\n";
    let compose = "services:\n  server:\n    image: example/server\n    environment:\n      - PLAID_CLIENT_ID=${PLAID_CLIENT_ID}\n      - PLAID_SECRET=${PLAID_SECRET}\n";
    let inv = run(compose, example, example);
    assert_eq!(inv.get("PLAID_SECRET").unwrap().class, Class::External);
    assert!(vars_of(&inv, RuleId::Missing).is_empty());
    // Without the client id, the same name is the app's own secret to make.
    let example = "ACME_SECRET=\n";
    let compose = "services:\n  server:\n    image: example/server\n    environment:\n      - ACME_SECRET=${ACME_SECRET}\n";
    let inv = run(compose, example, example);
    assert_eq!(inv.get("ACME_SECRET").unwrap().class, Class::Secret);
}

#[test]
fn a_recipe_in_the_comment_makes_a_provider_sounding_name_the_projects_own() {
    let example = "# generate with: openssl rand -hex 32\nRELAY_EMAIL_PASSWORD=REPLACE_WITH_RELAY_EMAIL_PASSWORD\n";
    let inv = run(super::tests::LOADS_ENV, example, example);
    let v = inv.get("RELAY_EMAIL_PASSWORD").unwrap();
    assert_eq!((v.class, v.kind), (Class::Secret, Some(Kind::Hex(32))));
    // Without the recipe, the e-mail word reads as a provider's.
    let example = "RELAY_EMAIL_PASSWORD=REPLACE_WITH_RELAY_EMAIL_PASSWORD\n";
    let inv = run(super::tests::LOADS_ENV, example, example);
    assert_eq!(
        inv.get("RELAY_EMAIL_PASSWORD").unwrap().class,
        Class::External
    );
}

#[test]
fn an_inbound_mail_password_is_the_projects_own() {
    // Loomio's template has no comment on it; Action Mailbox checks it and the project's own
    // haraka relay sends it.
    let example = "RAILS_INBOUND_EMAIL_PASSWORD=REPLACE_WITH_RAILS_INBOUND_EMAIL_PASSWORD\n";
    let inv = run(super::tests::LOADS_ENV, example, example);
    assert_eq!(
        inv.get("RAILS_INBOUND_EMAIL_PASSWORD").unwrap().class,
        Class::Secret
    );
}

#[test]
fn a_short_public_signing_key_gives_its_encoding_not_its_size() {
    // 16 bytes of base64, public: HS256 asks 256 bits, and JJWT refuses fewer.
    let example = "JWT_SECRET=c2VjcmV0c2VjcmV0MTIzNA==\nSIGNING_KEY=6c1fe4e407b8911c104518103505b218\nENCRYPTION_KEY=6c1fe4e407b8911c104518103505b218\nJWT_ENCRYPTION_KEY=6c1fe4e407b8911c104518103505b218\n";
    let inv = run(super::tests::LOADS_ENV, example, example);
    let kind = |n: &str| inv.get(n).and_then(|v| v.kind);
    assert_eq!(kind("JWT_SECRET"), Some(Kind::Base64(32)));
    assert_eq!(kind("SIGNING_KEY"), Some(Kind::Hex(32)));
    // A cipher's key is the size the cipher takes (AES-128: exactly 16 bytes).
    assert_eq!(kind("ENCRYPTION_KEY"), Some(Kind::Hex(16)));
    assert_eq!(kind("JWT_ENCRYPTION_KEY"), Some(Kind::Hex(16)));
}

#[test]
fn an_empty_password_literal_is_a_finding_only_where_the_image_needs_one() {
    // ClickHouse's empty password is its password-less default user, by choice.
    let compose = "services:\n  clickhouse:\n    image: clickhouse/clickhouse-server:24\n    environment:\n      CLICKHOUSE_PASSWORD: \"\"\n";
    let inv = Fixture::new().compose(compose).live("A=1\n").run();
    assert!(vars_of(&inv, RuleId::Hardcoded).is_empty());
    // The postgres image refuses to start without one.
    let compose = "services:\n  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: \"\"\n";
    let inv = Fixture::new().compose(compose).live("A=1\n").run();
    assert_eq!(vars_of(&inv, RuleId::Hardcoded), ["POSTGRES_PASSWORD"]);
}

#[test]
fn a_providers_stand_in_address_waits_while_its_credentials_are_empty() {
    let compose = "services:\n  server:\n    image: example/server\n    env_file: .env\n";
    let example = "STRIPE_SECRET_KEY=\nSTRIPE_PAYMENT_REDIRECT_URL=https://example.com/payment\nBASE_URL=https://example.com\n";
    let inv = run(compose, example, example);
    // The app's own address is still a stand-in to replace; Stripe's waits for Stripe.
    assert_eq!(vars_of(&inv, RuleId::Placeholder), ["BASE_URL"]);
    let live = "STRIPE_SECRET_KEY=sk_live_51Hx2example0000000000000000\nSTRIPE_PAYMENT_REDIRECT_URL=https://example.com/payment\nBASE_URL=https://app.acme.io\n";
    let inv = run(compose, example, live);
    assert!(
        vars_of(&inv, RuleId::Placeholder).contains(&"STRIPE_PAYMENT_REDIRECT_URL".to_string())
    );
}

#[test]
fn a_password_the_app_logs_in_to_its_own_mysql_with_is_missing_when_commented_out() {
    // Lychee: compose hands the same `${DB_PASSWORD}` to mariadb's user and to the app.
    let compose = "services:\n  db:\n    image: mariadb:10\n    environment:\n      - MYSQL_USER=${DB_USERNAME:-lychee}\n      - MYSQL_PASSWORD=${DB_PASSWORD}\n  app:\n    image: lycheeorg/lychee\n    environment:\n      - DB_PASSWORD=${DB_PASSWORD}\n";
    let example = "# DB_USERNAME=lychee\n# DB_PASSWORD=lychee\nTIMEZONE=UTC\n";
    let inv = run(compose, example, example);
    assert_eq!(vars_of(&inv, RuleId::Missing), ["DB_PASSWORD"]);
    // Read by the server alone, an empty one only means no app user: nothing logs in with it.
    let compose = "services:\n  db:\n    image: mariadb:10\n    environment:\n      - MYSQL_PASSWORD=${DB_PASSWORD}\n";
    let inv = run(compose, example, example);
    assert!(vars_of(&inv, RuleId::Missing).is_empty());
}

#[test]
fn a_provider_credential_the_user_empties_is_their_choice() {
    // Hi.Events runs without Stripe when its keys are empty.
    let compose = "services:\n  app:\n    image: x\n    environment:\n      - STRIPE_SECRET_KEY=${STRIPE_SECRET_KEY}\n";
    let example = "STRIPE_SECRET_KEY=sk_test_your_stripe_secret_key\n";
    let emptied = run(compose, example, "STRIPE_SECRET_KEY=\n");
    assert!(vars_of(&emptied, RuleId::Missing).is_empty());
    // The stand-in itself still needs a person.
    let kept = run(compose, example, example);
    assert_eq!(vars_of(&kept, RuleId::Placeholder), ["STRIPE_SECRET_KEY"]);
    // A live file without the key has chosen nothing.
    let absent = run(compose, example, "OTHER=1\n");
    assert_eq!(vars_of(&absent, RuleId::Missing), ["STRIPE_SECRET_KEY"]);
}

#[test]
fn a_wildcard_address_is_no_stand_in_and_allowed_hosts_are_addresses() {
    let example = "CORS_ALLOWED_ORIGIN=*\nALLOWED_EMAIL_DOMAINS=*\nALLOWED_HOSTS=example.com\n";
    let inv = run(super::tests::LOADS_ENV, example, example);
    assert_eq!(vars_of(&inv, RuleId::Placeholder), ["ALLOWED_HOSTS"]);
}

#[test]
fn a_comment_saying_where_to_get_a_key_makes_it_the_issuers() {
    // Bitwarden lite: a random installation key only looks configured.
    let example = "# Installation information\n# Get your ID and key from https://bitwarden.com/host/\nBW_INSTALLATION_ID=00000000-0000-0000-0000-000000000000\nBW_INSTALLATION_KEY=xxxxxxxxxxxx\n";
    let inv = run(super::tests::LOADS_ENV, example, example);
    assert_eq!(
        inv.get("BW_INSTALLATION_KEY").unwrap().class,
        Class::External
    );
    // A site that makes random values is a recipe, not an issuer.
    let example =
        "# You can generate one at https://generate-secret.vercel.app/32\nNEXTAUTH_SECRET=\n";
    let inv = run(super::tests::LOADS_ENV, example, example);
    assert_eq!(inv.get("NEXTAUTH_SECRET").unwrap().class, Class::Secret);
    // A link to the docs says nothing of who issues the value.
    let example = "# See https://docs.example.org/config for details\nSESSION_SECRET=changeme\n";
    let inv = run(super::tests::LOADS_ENV, example, example);
    assert_eq!(inv.get("SESSION_SECRET").unwrap().class, Class::Secret);
}

#[test]
fn the_nil_uuid_stands_in_for_an_issued_id() {
    let example = "# register an app in Azure AD and paste its id and secret\nAZURE_CLIENT_ID=00000000-0000-0000-0000-000000000000\nAZURE_TENANT_NAME=contoso\n";
    let inv = run(super::tests::LOADS_ENV, example, example);
    assert_eq!(vars_of(&inv, RuleId::Placeholder), ["AZURE_CLIENT_ID"]);
}

#[test]
fn the_live_files_own_comments_describe_what_the_example_does_not_list() {
    // Bitwarden lite: `settings.env` edited in place, beside a `.env.example` for `.env` that
    // lists none of its keys.
    let live = "# Get your ID and key from https://bitwarden.com/host/\nBW_INSTALLATION_ID=00000000-0000-0000-0000-000000000000\nBW_INSTALLATION_KEY=xxxxxxxxxxxx\n";
    let inv = run(
        super::tests::LOADS_ENV,
        "COMPOSE_PROJECT_NAME=bitwarden\n",
        live,
    );
    assert_eq!(
        inv.get("BW_INSTALLATION_KEY").unwrap().class,
        Class::External
    );
}

/// The `AFFiNE` self-host layout: compose hands postgres the password and `trust` at once.
const TRUSTED: &str = "services:
  app:
    image: ghcr.io/example/app:1
    environment:
      - DATABASE_URL=postgresql://app:${DB_PASSWORD}@postgres:5432/app
  postgres:
    image: postgres:16
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD: ${DB_PASSWORD}
      POSTGRES_HOST_AUTH_METHOD: {method}
";

#[test]
fn a_password_postgres_runs_open_without_may_stay_empty() {
    // `trust` writes `host all all all trust` into pg_hba.conf: postgres starts with an
    // empty password and accepts the app's connection, as the project ships it.
    let inv = run(
        &TRUSTED.replace("{method}", "trust"),
        "DB_PASSWORD=\n",
        "DB_PASSWORD=\n",
    );
    assert!(vars_of(&inv, RuleId::Missing).is_empty());
}

#[test]
fn an_auth_method_that_asks_for_passwords_does_not_open_the_server() {
    // scram-sha-256 is the stricter setting: postgres refuses to start without a password.
    for method in ["scram-sha-256", "md5"] {
        let inv = run(
            &TRUSTED.replace("{method}", method),
            "DB_PASSWORD=\n",
            "DB_PASSWORD=\n",
        );
        assert_eq!(vars_of(&inv, RuleId::Missing), ["DB_PASSWORD"], "{method}");
    }
    let example =
        "# POSTGRES_PASSWORD=x\nPOSTGRES_USER=app\nPOSTGRES_HOST_AUTH_METHOD=scram-sha-256\n";
    let compose = "services:\n  db:\n    image: postgres:17\n    env_file: .env\n";
    let inv = run(compose, example, example);
    assert_eq!(vars_of(&inv, RuleId::Missing), ["POSTGRES_PASSWORD"]);
}
