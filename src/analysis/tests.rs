//! The kinds of misjudgement issue 9 found on real projects, one test each, on small
//! projects built in memory. Each names the kind, not the project it was seen in.

use super::testkit::{Fixture, count_of, first_of, vars_of};
use super::{Class, RuleId, Status};
use crate::generate::Kind;

const STRONG: &str = "Vq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiElx";

/// A service that loads the live file whole, so every variable in it is used.
pub(super) const LOADS_ENV: &str = "services:\n  app:\n    image: x\n    env_file: .env\n";

fn status(inv: &super::Inventory, name: &str) -> Status {
    inv.get(name).unwrap_or_else(|| panic!("{name}")).status
}

fn class(inv: &super::Inventory, name: &str) -> Class {
    inv.get(name).unwrap_or_else(|| panic!("{name}")).class
}

#[test]
fn passthrough_entries_are_optional_uses() {
    let compose = "services:\n  app:\n    image: x\n    environment:\n      - SOME_TOKEN\n      - OTHER_PASSWORD\n";
    let inv = Fixture::new()
        .compose(compose)
        .example("OTHER_PASSWORD=\n")
        .live("A=1\n")
        .run();
    assert!(vars_of(&inv, RuleId::Missing).is_empty());
    assert!(vars_of(&inv, RuleId::Undocumented).is_empty());
}

#[test]
fn values_shaped_like_configuration_are_configuration() {
    let example = "ALLOW_EMPTY_PASSWORD=yes\nAUTH_PASSWORD_RESET=false\nGPG_KEYSERVER=https://keys.openpgp.org\nAPP_SECRETS_FILE=/run/secrets/app\nTOKEN_VALIDITY=86400\n";
    let inv = Fixture::new().example(example).live(example).run();
    for name in [
        "ALLOW_EMPTY_PASSWORD",
        "AUTH_PASSWORD_RESET",
        "GPG_KEYSERVER",
        "APP_SECRETS_FILE",
        "TOKEN_VALIDITY",
    ] {
        assert_eq!(class(&inv, name), Class::Config, "{name}");
        assert_eq!(status(&inv, name), Status::Ok, "{name}");
    }
}

#[test]
fn a_comment_saying_two_values_must_match_makes_a_group() {
    let example =
        "# must be the same as MYSQL_PASSWORD\nDB_PASSWORD=changeme\nMYSQL_PASSWORD=changeme\n";
    let inv = Fixture::new().example(example).live(example).run();
    let g = inv.relations.group_of("DB_PASSWORD").expect("a group");
    assert!(g.members.contains(&"MYSQL_PASSWORD".to_string()));
    assert!(g.is_certain());
    assert_eq!(count_of(&inv, RuleId::Reused), 0);
}

#[test]
fn a_client_password_for_the_projects_own_server_joins_its_group() {
    let compose = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n  app:\n    image: example/app\n    environment:\n      DB_HOST: db\n      DB_PASSWORD: ${APP_DB_PASSWORD}\n";
    let example = "POSTGRES_PASSWORD=\nAPP_DB_PASSWORD=\n";
    let inv = Fixture::new()
        .compose(compose)
        .example(example)
        .live(example)
        .run();
    assert!(inv.relations.same("POSTGRES_PASSWORD", "APP_DB_PASSWORD"));
}

#[test]
fn a_key_named_for_what_it_encrypts_or_signs_is_not_a_database_login() {
    // Tracecat: `TRACECAT__DB_ENCRYPTION_KEY` encrypts secrets stored in the database (a
    // Fernet key); tied to the postgres password, `fill` copied the password into it and the
    // app refused to start.
    let compose = "services:\n  postgres_db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${TRACECAT__POSTGRES_PASSWORD}\n  api:\n    image: ghcr.io/tracecathq/tracecat\n    environment:\n      TRACECAT__DB_ENCRYPTION_KEY: ${TRACECAT__DB_ENCRYPTION_KEY}\n      TRACECAT__DB_SIGNING_SECRET: ${TRACECAT__DB_SIGNING_SECRET}\n      TRACECAT__DB_PASSWORD: ${TRACECAT__POSTGRES_PASSWORD}\n      TRACECAT__DB_URI: postgresql+psycopg://postgres:${TRACECAT__POSTGRES_PASSWORD}@postgres_db:5432/postgres\n";
    let example = "TRACECAT__POSTGRES_PASSWORD=postgres\n# Can be generated using `python -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\"`\nTRACECAT__DB_ENCRYPTION_KEY=your-tracecat-db-fernet-key\nTRACECAT__DB_SIGNING_SECRET=changeme\n";
    let inv = Fixture::new()
        .compose(compose)
        .example(example)
        .live(example)
        .run();
    for key in ["TRACECAT__DB_ENCRYPTION_KEY", "TRACECAT__DB_SIGNING_SECRET"] {
        assert!(
            !inv.relations.same("TRACECAT__POSTGRES_PASSWORD", key),
            "{key} is not the database password"
        );
    }
    let key = inv
        .variables
        .iter()
        .find(|v| v.name == "TRACECAT__DB_ENCRYPTION_KEY")
        .unwrap();
    assert_eq!(key.kind, Some(crate::generate::Kind::Fernet));
}

#[test]
fn a_key_whose_sample_is_a_number_is_an_identifier_not_a_credential() {
    // Leantime: `LEAN_LDAP_DEFAULT_ROLE_KEY = 20;` is the role new LDAP users get. Read as a
    // provider's key, "still the example's public value" kept CI red for good.
    let example = "LEAN_LDAP_DEFAULT_ROLE_KEY = 20;\nSTRIPE_API_KEY=12345\nDB_PASSWORD=123456\n";
    let inv = Fixture::new().example(example).live(example).run();
    assert_eq!(class(&inv, "LEAN_LDAP_DEFAULT_ROLE_KEY"), Class::Config);
    assert!(
        !inv.findings
            .iter()
            .any(|f| f.variable.as_deref() == Some("LEAN_LDAP_DEFAULT_ROLE_KEY"))
    );
    // A name that says credential in another word is still one, whatever its sample.
    assert_ne!(class(&inv, "STRIPE_API_KEY"), Class::Config);
    assert_eq!(class(&inv, "DB_PASSWORD"), Class::Secret);
}

#[test]
fn a_root_password_sharing_the_users_stand_in_is_not_tied_to_it() {
    // Leantime: root, the MySQL user and the app's copy all ship `changeme123`; only the
    // user's two are one password (the comment says so). Tied to them, `fill` made the root
    // password the app's.
    let compose = "services:\n  db:\n    image: mysql:8.4\n    env_file: ./.env\n  app:\n    image: leantime/leantime\n    env_file: ./.env\n";
    let example = "MYSQL_ROOT_PASSWORD = 'changeme123'\nMYSQL_PASSWORD = 'changeme123'\nLEAN_DB_HOST = 'db'\nLEAN_DB_PASSWORD = 'changeme123'   # Database password (needs to be the same as MYSQL_PASSWORD)\n";
    let inv = Fixture::new()
        .compose(compose)
        .example(example)
        .live(example)
        .run();
    assert!(inv.relations.same("MYSQL_PASSWORD", "LEAN_DB_PASSWORD"));
    assert!(!inv.relations.same("MYSQL_ROOT_PASSWORD", "MYSQL_PASSWORD"));
    assert!(
        !inv.relations
            .same("MYSQL_ROOT_PASSWORD", "LEAN_DB_PASSWORD")
    );
}

#[test]
fn a_weak_sample_shared_by_unrelated_secrets_ties_none_of_them() {
    // FreshRSS ships `freshrss` for the admin, API and database passwords; rybbit `frog` for
    // ClickHouse and Postgres. One typed word, not one password: fill made them one value.
    // A random sample shared by two names is still one value the template means.
    let example = "ADMIN_PASSWORD=freshrss\nADMIN_API_PASSWORD=freshrss\nDB_PASSWORD=freshrss\nCLICKHOUSE_PASSWORD=frog\nPOSTGRES_PASSWORD=frog\nJWT_SECRET=Vq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiEl\nAUTH_JWT_SECRET=Vq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiEl\n";
    let inv = Fixture::new().example(example).live(example).run();
    let r = &inv.relations;
    assert!(!r.same("ADMIN_PASSWORD", "DB_PASSWORD"));
    assert!(!r.same("ADMIN_API_PASSWORD", "DB_PASSWORD"));
    assert!(!r.same("CLICKHOUSE_PASSWORD", "POSTGRES_PASSWORD"));
    assert!(r.same("JWT_SECRET", "AUTH_JWT_SECRET"));
}

#[test]
fn a_client_that_logs_in_as_root_shares_the_root_password() {
    // huginn: the app logs in to mysql as root, so its password is MYSQL_ROOT_PASSWORD's;
    // filled apart, the app was locked out.
    let live = "MYSQL_ROOT_PASSWORD=myrootpassword\nHUGINN_DATABASE_PASSWORD=myrootpassword\nHUGINN_DATABASE_USERNAME=root\nMYSQL_PORT_3306_TCP_ADDR=mysql\n";
    let whole = "services:\n  mysql:\n    image: mysql:8.0\n    env_file: .env\n  web:\n    image: ghcr.io/huginn/huginn-single-process\n    env_file: .env\n";
    let inv = Fixture::new().compose(whole).live(live).run();
    assert!(
        inv.relations
            .same("MYSQL_ROOT_PASSWORD", "HUGINN_DATABASE_PASSWORD")
    );
    // Written in compose: `DB_USERNAME: root` beside `DB_PASSWORD: ${DB_PASSWORD}`.
    let wired = |user: &str| {
        format!(
            "services:\n  db:\n    image: mysql:8.0\n    environment:\n      MYSQL_ROOT_PASSWORD: ${{MYSQL_ROOT_PASSWORD}}\n      MYSQL_PASSWORD: ${{MYSQL_PASSWORD}}\n  app:\n    image: app\n    environment:\n      DB_HOST: db\n      DB_USERNAME: {user}\n      DB_PASSWORD: ${{DB_PASSWORD}}\n"
        )
    };
    let live = "MYSQL_ROOT_PASSWORD=changeme-root\nMYSQL_PASSWORD=changeme-user\nDB_PASSWORD=changeme-app\n";
    let inv = Fixture::new().compose(&wired("root")).live(live).run();
    assert!(inv.relations.same("MYSQL_ROOT_PASSWORD", "DB_PASSWORD"));
    assert!(!inv.relations.same("MYSQL_PASSWORD", "DB_PASSWORD"));
    // Any other user logs in with the user's password, never root's.
    let inv = Fixture::new().compose(&wired("app")).live(live).run();
    assert!(inv.relations.same("MYSQL_PASSWORD", "DB_PASSWORD"));
    assert!(!inv.relations.same("MYSQL_ROOT_PASSWORD", "DB_PASSWORD"));
}

#[test]
fn a_key_a_container_reads_as_its_own_secret_is_generatable() {
    // Seafile passes `JWT_PRIVATE_KEY` to its AI service as `SEAFILE_AI_SECRET_KEY`: a shared
    // random string, not a key pair. Read as a provider's key it was left empty, and compose
    // refused to start (`${JWT_PRIVATE_KEY:?…}`).
    let compose = "services:\n  seafile:\n    image: seafileltd/seafile-mc:13.0-latest\n    environment:\n      - JWT_PRIVATE_KEY=${JWT_PRIVATE_KEY:?Variable is not set or empty}\n  seafile-ai:\n    image: seafileltd/seafile-ai:latest\n    environment:\n      - SEAFILE_AI_SECRET_KEY=${JWT_PRIVATE_KEY:?Variable is not set or empty}\n  api:\n    image: x\n    environment:\n      - GITHUB_PRIVATE_KEY=${GITHUB_PRIVATE_KEY}\n      - APP_SECRET_KEY=${GITHUB_PRIVATE_KEY}\n      - SIGNING_PRIVATE_KEY=${SIGNING_PRIVATE_KEY}\n";
    let example = "JWT_PRIVATE_KEY=\nGITHUB_PRIVATE_KEY=\nSIGNING_PRIVATE_KEY=\n";
    let inv = Fixture::new()
        .compose(compose)
        .example(example)
        .live(example)
        .run();
    assert_eq!(class(&inv, "JWT_PRIVATE_KEY"), Class::Secret);
    assert_eq!(status(&inv, "JWT_PRIVATE_KEY"), Status::Missing);
    // A provider's key stays the provider's, and a key no container reads otherwise stays
    // what its name says.
    assert_eq!(class(&inv, "GITHUB_PRIVATE_KEY"), Class::External);
    assert_eq!(class(&inv, "SIGNING_PRIVATE_KEY"), Class::External);
}

#[test]
fn an_example_host_in_a_setting_that_reaches_no_container_is_not_flagged() {
    // solidtime: `APP_DOMAIN=your-domain.com` in `.env` is read only by a Traefik example
    // the project does not run; its services get `laravel.env`, not `.env`.
    let example = "APP_DOMAIN=your-domain.com\nAPP_URL=https://example.com\n";
    let plain = "services:\n  app:\n    image: x\n    env_file: laravel.env\n    environment:\n      APP_URL: ${APP_URL}\n";
    let inv = Fixture::new()
        .compose(plain)
        .example(example)
        .live(example)
        .run();
    assert_eq!(status(&inv, "APP_DOMAIN"), Status::Ok);
    assert_eq!(status(&inv, "APP_URL"), Status::Placeholder);
    // The file goes into a container whole: a bind mount of its folder, a build from it, an
    // env_file of it.
    for service in [
        "    volumes:\n      - ./:/app\n",
        "    build: .\n",
        "    env_file: .env\n",
    ] {
        let compose = format!("services:\n  web:\n    image: y\n{service}");
        let inv = Fixture::new()
            .compose(&compose)
            .example(example)
            .live(example)
            .run();
        assert_eq!(status(&inv, "APP_DOMAIN"), Status::Placeholder, "{service}");
    }
}

#[test]
fn an_access_key_sharing_its_secret_keys_stand_in_is_not_tied_to_it() {
    // Reactive-Resume: `STORAGE_ACCESS_KEY=minioadmin` and `STORAGE_SECRET_KEY=minioadmin`
    // are the two halves of a MinIO login; one value for both is no secret.
    let example = "STORAGE_ACCESS_KEY=minioadmin\nSTORAGE_SECRET_KEY=minioadmin\nMINIO_ROOT_PASSWORD=minioadmin\n";
    let inv = Fixture::new().example(example).live(example).run();
    assert!(
        !inv.relations
            .same("STORAGE_ACCESS_KEY", "STORAGE_SECRET_KEY")
    );
    assert!(
        !inv.relations
            .same("STORAGE_ACCESS_KEY", "MINIO_ROOT_PASSWORD")
    ); // Onyx: the AWS-style pair; its secret half is not a login half.
    let example = "S3_AWS_ACCESS_KEY_ID=minioadmin\nS3_AWS_SECRET_ACCESS_KEY=minioadmin\nMINIO_ROOT_PASSWORD=minioadmin\n";
    let inv = Fixture::new().example(example).live(example).run();
    assert!(
        !inv.relations
            .same("S3_AWS_ACCESS_KEY_ID", "S3_AWS_SECRET_ACCESS_KEY")
    );
    assert!(
        !inv.relations
            .same("S3_AWS_ACCESS_KEY_ID", "MINIO_ROOT_PASSWORD")
    );
}

#[test]
fn a_key_bundle_and_its_passphrase_are_never_generated() {
    // OpenSign ships a sample PFX and its passphrase: fill replaced the passphrase alone,
    // and the server could no longer open its signing certificate.
    let example = "PFX_BASE64='MIIKCQIBAzCCCc8GCSqGSIb3DQEHAaCCCcAEggm8MIIJuDCCBG8GCSqGSIb3DQEH'\nPASS_PHRASE=opensign\nJWT_SECRET=changeme\n";
    let inv = Fixture::new().example(example).live(example).run();
    assert_eq!(class(&inv, "PFX_BASE64"), Class::External);
    assert_eq!(class(&inv, "PASS_PHRASE"), Class::External);
    // Both are still the template's public values: flagged, for a person to replace together.
    assert_eq!(status(&inv, "PFX_BASE64"), Status::Placeholder);
    assert_ne!(status(&inv, "PASS_PHRASE"), Status::Ok);
    for name in ["PFX_BASE64", "PASS_PHRASE"] {
        let v = inv.get(name).unwrap();
        assert!(!crate::plan::is_fillable(
            v,
            &[Status::Placeholder, Status::Weak]
        ));
    }
    assert!(crate::plan::is_fillable(
        inv.get("JWT_SECRET").unwrap(),
        &[Status::Placeholder]
    ));
    // Without a bundle, a passphrase is a secret envward makes.
    let inv = Fixture::new()
        .example("JWT_PASSPHRASE=changeme\n")
        .live("JWT_PASSPHRASE=changeme\n")
        .run();
    assert_eq!(class(&inv, "JWT_PASSPHRASE"), Class::Secret);
}

#[test]
fn a_provider_credential_is_never_a_client_of_a_local_server() {
    let compose = "services:\n  search:\n    image: getmeili/meilisearch\n    environment:\n      MEILI_MASTER_KEY: ${MEILI_MASTER_KEY}\n  app:\n    image: x\n    environment:\n      AZURE_AI_SEARCH_API_KEY: ${AZURE_AI_SEARCH_API_KEY}\n";
    let example = "MEILI_MASTER_KEY=\nAZURE_AI_SEARCH_API_KEY=\n";
    let inv = Fixture::new()
        .compose(compose)
        .example(example)
        .live(example)
        .run();
    assert!(
        !inv.relations
            .same("MEILI_MASTER_KEY", "AZURE_AI_SEARCH_API_KEY")
    );
    assert_eq!(class(&inv, "AZURE_AI_SEARCH_API_KEY"), Class::External);
}

#[test]
fn a_compose_default_url_that_bakes_in_a_password_is_linked_and_reported() {
    let compose = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-app}\n  api:\n    image: x\n    environment:\n      DATABASE_URL: ${DATABASE_URL:-postgres://app:app@db/app}\n";
    let inv = Fixture::new().compose(compose).live("OTHER=1\n").run();
    let link = inv.relations.url_of("DATABASE_URL").expect("linked");
    assert_eq!(link.password_of, "POSTGRES_PASSWORD");
    assert!(vars_of(&inv, RuleId::WeakDefault).contains(&"DATABASE_URL".to_string()));
}

#[test]
fn a_url_elsewhere_that_happens_to_share_a_sample_password_is_not_tied_to_it() {
    // Appwrite: the SMS provider's stand-in URL and the database both say `password`.
    let compose = "services:\n  postgresql:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASS}\n  app:\n    image: x\n    environment:\n      - DB_PASS\n      - SMS_PROVIDER\n";
    let example = "DB_PASS=password\nSMS_PROVIDER=sms://username:password@mock\n";
    let inv = Fixture::new()
        .compose(compose)
        .example(example)
        .live(example)
        .run();
    assert!(inv.relations.url_of("SMS_PROVIDER").is_none());
    // The same sample in a URL to the project's own server is the same password.
    let example = "DB_PASS=password\nDATABASE_URL=postgres://app:password@postgresql/app\n";
    let inv = Fixture::new()
        .compose(compose)
        .example(example)
        .live(example)
        .run();
    let link = inv.relations.url_of("DATABASE_URL").expect("linked");
    assert_eq!(link.password_of, "DB_PASS");
    // Two secrets holding the one value: the value does not say which the URL carries.
    let example = "DB_PASS=password\nSMTP_PASSWORD=password\nDATABASE_URL=postgres://app:password@elsewhere/app\n";
    let inv = Fixture::new()
        .compose(compose)
        .example(example)
        .live(example)
        .run();
    assert!(inv.relations.url_of("DATABASE_URL").is_none());
}

#[test]
fn a_literal_url_whose_password_is_a_placeholder_is_flagged_like_the_password() {
    let inv = Fixture::new()
        .live("DATABASE_URL=postgres://app:changeme@db.example.net/app\n")
        .run();
    assert_eq!(status(&inv, "DATABASE_URL"), Status::Placeholder);
    assert_eq!(class(&inv, "DATABASE_URL"), Class::Secret);
}

#[test]
fn app_key_shapes_come_from_names_samples_and_recipes() {
    let example = "APP_KEY=\n# generate with `openssl rand -hex 32`\nSESSION_SECRET=\nCREDS_KEY=f34be427ebb29de8d88c107a71546019685ed8b241d8f2ed00c3df97ad2566f0\nAIRFLOW__CORE__FERNET_KEY=\nSECRET_KEY_BASE=\n";
    let inv = Fixture::new().example(example).live(example).run();
    let kind = |n: &str| inv.get(n).and_then(|v| v.kind);
    assert_eq!(kind("APP_KEY"), Some(Kind::Laravel));
    assert_eq!(kind("SESSION_SECRET"), Some(Kind::Hex(32)));
    assert_eq!(kind("CREDS_KEY"), Some(Kind::Hex(32)));
    assert_eq!(kind("AIRFLOW__CORE__FERNET_KEY"), Some(Kind::Fernet));
    assert_eq!(kind("SECRET_KEY_BASE"), Some(Kind::Hex(64)));
    // The 64-hex sample is public: keeping it is a placeholder.
    assert_eq!(status(&inv, "CREDS_KEY"), Status::Placeholder);
}

#[test]
fn a_provider_credential_left_empty_is_not_missing_but_a_stand_in_is_flagged() {
    let example = "GITHUB_CLIENT_SECRET=\nSTRIPE_SECRET_KEY=sk_test_your_key_here\n";
    let inv = Fixture::new().example(example).live(example).run();
    assert_eq!(status(&inv, "GITHUB_CLIENT_SECRET"), Status::Ok);
    assert_eq!(status(&inv, "STRIPE_SECRET_KEY"), Status::Placeholder);
    assert_eq!(class(&inv, "STRIPE_SECRET_KEY"), Class::External);
}

#[test]
fn documented_sentinels_are_not_placeholders() {
    let inv = Fixture::new()
        .compose(LOADS_ENV)
        .live("OPENAI_API_KEY=user_provided\n")
        .run();
    assert_eq!(status(&inv, "OPENAI_API_KEY"), Status::Ok);
}

#[test]
fn an_empty_value_said_to_be_optional_is_not_missing() {
    let example = "# Optional: leave blank to disable\nSIGNUP_SECRET=\n";
    let compose = "services:\n  app:\n    image: x\n    environment:\n      SIGNUP_SECRET: ${SIGNUP_SECRET}\n      CACHE_SECRET: ${CACHE_SECRET:-}\n";
    let inv = Fixture::new()
        .compose(compose)
        .example(example)
        .live(example)
        .run();
    assert_eq!(status(&inv, "SIGNUP_SECRET"), Status::Ok);
    assert_eq!(status(&inv, "CACHE_SECRET"), Status::Ok);
}

#[test]
fn commented_out_lines_document_a_variable() {
    let compose =
        "services:\n  app:\n    image: x\n    environment:\n      PUBLIC_URL: ${PUBLIC_URL}\n";
    let inv = Fixture::new()
        .compose(compose)
        .example("#PUBLIC_URL=https://x\nA=1\n")
        .live("A=1\n")
        .run();
    assert!(vars_of(&inv, RuleId::Undocumented).is_empty());
}

#[test]
fn a_template_of_only_commented_lines_still_says_what_to_set() {
    let compose = "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n";
    let inv = Fixture::new()
        .compose(compose)
        .example("# POSTGRES_PASSWORD=\n# POSTGRES_USER=joplin\n")
        .live("# nothing yet\n")
        .run();
    assert_eq!(status(&inv, "POSTGRES_PASSWORD"), Status::Missing);
}

#[test]
fn literal_secrets_inside_longer_compose_values_are_hardcoded() {
    let compose = "services:\n  app:\n    image: x\n    environment:\n      CONN: Host=db;Password=hunter2hunter2\n      CONFIG: '{\"password\": \"hunter2hunter2\"}'\n      URL: redis://:hunter2hunter2@cache:6379\n";
    let inv = Fixture::new().compose(compose).run();
    assert_eq!(vars_of(&inv, RuleId::Hardcoded), ["CONN", "CONFIG", "URL"]);
}

#[test]
fn decorated_placeholders_and_example_hosts_are_found() {
    let inv = Fixture::new()
        .compose(LOADS_ENV)
        .live("SESSION_SECRET=__CHANGE_ME__\nAPP_DOMAIN=https://yourdomain.com\nMAIL_FROM=noreply@example.com\n")
        .run();
    assert_eq!(status(&inv, "SESSION_SECRET"), Status::Placeholder);
    assert_eq!(status(&inv, "APP_DOMAIN"), Status::Placeholder);
    // An example sender is the user's business, not a placeholder to fail on.
    assert_eq!(status(&inv, "MAIL_FROM"), Status::Ok);
    let f = inv
        .findings
        .iter()
        .find(|f| f.variable.as_deref() == Some("APP_DOMAIN"))
        .unwrap();
    assert_eq!(
        f.severity,
        super::Severity::Warning,
        "configuration is not a secret"
    );
}

#[test]
fn a_jwt_signed_with_another_secret_is_a_derived_finding() {
    let demo = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyAgCiAgICAicm9sZSI6ICJhbm9uIiwKICAgICJpc3MiOiAic3VwYWJhc2UtZGVtbyIsCiAgICAiaWF0IjogMTY0MTc2OTIwMCwKICAgICJleHAiOiAxNzk5NTM1NjAwCn0.dc_X5iR_VP_qT0zsiyj_I_OZ2T9FtRU2BBNWN8Bu4GE";
    let inv = Fixture::new()
        .live(&format!("JWT_SECRET={STRONG}\nANON_KEY={demo}\n"))
        .run();
    assert_eq!(vars_of(&inv, RuleId::Derived), ["ANON_KEY"]);
    assert!(inv.relations.derivation_of("ANON_KEY").is_some());
}

#[test]
fn a_value_written_through_another_is_judged_at_its_source() {
    let inv = Fixture::new()
        .compose(LOADS_ENV)
        .live("POSTGRES_PASSWORD=changeme\nDB_PASSWORD=${POSTGRES_PASSWORD}\n")
        .run();
    assert_eq!(status(&inv, "POSTGRES_PASSWORD"), Status::Placeholder);
    assert_eq!(status(&inv, "DB_PASSWORD"), Status::Ok);
    assert!(inv.get("DB_PASSWORD").unwrap().follows_others);
}

#[test]
fn credentials_of_a_switched_off_integration_are_not_flagged() {
    let example = "FILE_STORAGE=local\nAWS_SECRET_ACCESS_KEY=get_the_secret_of_above_key\nEMAIL_BACKEND=console\nEMAIL_HOST_PASSWORD=your-smtp-password\n";
    let inv = Fixture::new().example(example).live(example).run();
    assert_eq!(status(&inv, "AWS_SECRET_ACCESS_KEY"), Status::Ok);
    assert_eq!(status(&inv, "EMAIL_HOST_PASSWORD"), Status::Ok);
}

#[test]
fn provider_keys_of_a_feature_switched_off_by_name_are_not_flagged() {
    // Seafile: `ENABLE_SEAFILE_AI=false` above `SEAFILE_AI_LLM_KEY= # your llm key` (Compose
    // reads the comment as the value). `fill` wrote a random password there.
    let example = "ENABLE_SEAFILE_AI=false\nSEAFILE_AI_LLM_KEY= # your llm key\nOIDC_ENABLED=true\nOIDC_CLIENT_SECRET=your-client-secret\n";
    let inv = Fixture::new().example(example).live(example).run();
    assert_eq!(class(&inv, "SEAFILE_AI_LLM_KEY"), Class::External);
    assert_eq!(status(&inv, "SEAFILE_AI_LLM_KEY"), Status::Ok);
    // A feature switched on keeps its keys judged.
    assert_eq!(status(&inv, "OIDC_CLIENT_SECRET"), Status::Placeholder);
}

#[test]
fn a_value_every_consumer_overrides_in_compose_is_not_judged() {
    let compose = "services:\n  app:\n    image: x\n    env_file: .env\n    environment:\n      - DATABASE_URL=postgresql://app:${POSTGRES_PASSWORD}@db/app\n";
    let inv = Fixture::new()
        .compose(compose)
        .live(&format!(
            "POSTGRES_PASSWORD={STRONG}\nDATABASE_URL=postgres://user:password@localhost/x\n"
        ))
        .run();
    assert_eq!(status(&inv, "DATABASE_URL"), Status::Ok);
}

#[test]
fn a_password_a_compose_literal_also_holds_is_flagged_but_not_filled() {
    let compose = "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: changeme\n";
    let inv = Fixture::new()
        .compose(compose)
        .live("DATABASE_URL=postgres://app:changeme@db/app\n")
        .run();
    let v = inv.get("DATABASE_URL").unwrap();
    assert_eq!(v.status, Status::Placeholder);
    assert!(v.pinned);
    assert!(!crate::plan::is_fillable(v, &[Status::Placeholder]));
}

#[test]
fn an_empty_client_password_for_a_server_run_without_one_is_fine() {
    let compose = "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_HOST_AUTH_METHOD: trust\n  web:\n    image: x\n    env_file: .env\n";
    let example = "DB_PASS=\nSECRET_KEY_BASE=\n";
    let inv = Fixture::new()
        .compose(compose)
        .example(example)
        .live(example)
        .run();
    assert_eq!(status(&inv, "DB_PASS"), Status::Ok);
    assert_eq!(status(&inv, "SECRET_KEY_BASE"), Status::Missing);
}

#[test]
fn varlock_decorators_declare_what_names_cannot() {
    let example = "# @sensitive\nWIDGET=abc\n# @type=port\nADMIN_TOKEN_PORT_X=8080\n# @optional\nSESSION_SECRET=\n";
    let inv = Fixture::new().example(example).live(example).run();
    assert_eq!(class(&inv, "WIDGET"), Class::Secret);
    assert_eq!(class(&inv, "ADMIN_TOKEN_PORT_X"), Class::Config);
    assert_eq!(status(&inv, "SESSION_SECRET"), Status::Ok);
}

#[test]
fn host_and_path_values_in_their_uri_part_are_safe() {
    let live = format!(
        "POSTGRES_PASSWORD={STRONG}\nDATABASE_HOST=db:5432\nDATABASE_URL=postgresql://app:${{POSTGRES_PASSWORD}}@${{DATABASE_HOST}}/app\n"
    );
    let inv = Fixture::new().live(&live).run();
    assert!(vars_of(&inv, RuleId::UnsafeInUri).is_empty());
    let bad = "DB_USER=a:b\nDATABASE_URL=postgresql://${DB_USER}@db/app\n";
    let inv = Fixture::new().live(bad).run();
    assert_eq!(vars_of(&inv, RuleId::UnsafeInUri), ["DB_USER"]);
}

#[test]
fn extension_blocks_are_not_called_services() {
    let compose = "x-common: &c\n  environment:\n    TOKEN_SECRET: ${TOKEN_SECRET:?set it}\nservices:\n  app:\n    image: x\n";
    let inv = Fixture::new().compose(compose).run();
    let f = first_of(&inv, RuleId::Missing);
    assert!(
        f.message.contains("extension block x-common"),
        "{}",
        f.message
    );
    assert!(!f.message.contains("service x-common"));
}

#[test]
fn a_service_behind_a_profile_needs_nothing_by_default() {
    let compose = "services:\n  search:\n    image: opensearchproject/opensearch\n    profiles: [opensearch]\n    environment:\n      OPENSEARCH_INITIAL_ADMIN_PASSWORD: ${OPENSEARCH_PASSWORD}\n";
    let inv = Fixture::new()
        .compose(compose)
        .example("A=1\n")
        .live("A=1\n")
        .run();
    assert_eq!(status(&inv, "OPENSEARCH_PASSWORD"), Status::Ok);
    let inv = Fixture::new()
        .compose(compose)
        .example("A=1\n")
        .live("A=1\nCOMPOSE_PROFILES=opensearch\n")
        .run();
    assert_eq!(status(&inv, "OPENSEARCH_PASSWORD"), Status::Missing);
}

#[test]
fn an_env_file_edited_in_place_still_asks_for_its_empty_secrets() {
    // No separate template: the live file loaded by env_file is the template itself.
    let live = "# A random 32-character secret key used to encrypt user sessions\nSECRET_PASSWORD=\nSMTP_PWD=\nSUPPORT_EMAIL=\n";
    let inv = Fixture::new().compose(LOADS_ENV).live(live).run();
    assert_eq!(status(&inv, "SECRET_PASSWORD"), Status::Missing);
    assert_eq!(status(&inv, "SMTP_PWD"), Status::Ok);
    assert_eq!(status(&inv, "SUPPORT_EMAIL"), Status::Ok);
    let filled = "SECRET_PASSWORD=Vq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiEl\nSMTP_PWD=\n";
    let inv = Fixture::new().compose(LOADS_ENV).live(filled).run();
    assert_eq!(status(&inv, "SECRET_PASSWORD"), Status::Ok);
}

#[test]
fn an_empty_secret_in_a_section_for_another_backend_is_not_missing() {
    let live = "SECRET_KEY=\n\n# Database settings\n# These are currently only required for configuring PostgreSQL.\n# By default, the app uses SQLite for which you don't need to configure anything.\n\n# Database engine, can be sqlite (default) or postgres\nDB_ENGINE=\n# Password to connect to the database server\nDB_PASSWORD=\n";
    let inv = Fixture::new()
        .compose(LOADS_ENV)
        .example(live)
        .live(live)
        .run();
    assert_eq!(status(&inv, "DB_PASSWORD"), Status::Ok);
    assert_eq!(status(&inv, "SECRET_KEY"), Status::Missing);
}

#[test]
fn a_fill_in_marker_left_in_any_setting_is_a_placeholder() {
    let env = "POSTGRES_USER=<MY POSTGRES USERNAME>\nADMIN_EMAIL=<MY EMAIL ADDRESS>\nSMTP_FROM=noreply@<MY DOMAIN>\nMAIL_FROM=App <app@mail.org>\nADMIN_USER=admin\n";
    let inv = Fixture::new().compose(LOADS_ENV).live(env).run();
    assert_eq!(
        vars_of(&inv, RuleId::Placeholder),
        ["POSTGRES_USER", "ADMIN_EMAIL", "SMTP_FROM"]
    );
}

#[test]
fn a_subpath_interpolated_right_after_the_host_is_safe_in_its_uri() {
    let compose = "services:\n  grafana:\n    image: grafana/grafana\n    environment:\n      - GF_SERVER_ROOT_URL=http://${GRAFANA_DOMAIN}${GRAFANA_PATH}/\n";
    let env = "GRAFANA_DOMAIN=\nGRAFANA_PATH=/grafana\n";
    let inv = Fixture::new().compose(compose).example(env).live(env).run();
    assert!(vars_of(&inv, RuleId::UnsafeInUri).is_empty());
    let env = "GRAFANA_DOMAIN=\nGRAFANA_PATH=me@host/grafana\n";
    let inv = Fixture::new().compose(compose).example(env).live(env).run();
    assert_eq!(vars_of(&inv, RuleId::UnsafeInUri), ["GRAFANA_PATH"]);
}

#[test]
fn a_readable_sample_under_a_comment_asking_for_a_random_value_is_a_placeholder() {
    // A committed env file, edited in place: no separate template to compare with.
    let live = "# Django's secret key, change to a 50 character random string.\nSECRET_KEY=myapp-docker-supersecret-key-1234567890!@#$%^&*(-_)\n";
    let inv = Fixture::new().compose(LOADS_ENV).live(live).run();
    assert_eq!(status(&inv, "SECRET_KEY"), Status::Placeholder);
    // What fill writes there reads as random and is left alone.
    let filled = "# Django's secret key, change to a 50 character random string.\nSECRET_KEY=q7Zr3kW1pX9vB2nM5tY8cF4hJ6gD0sA3eL7uI1oK9wRtXmN4bV8cZ2yQ6jH1dG5f\n";
    let inv = Fixture::new().compose(LOADS_ENV).live(filled).run();
    assert_eq!(status(&inv, "SECRET_KEY"), Status::Ok);
}

#[test]
fn a_running_image_needs_what_a_comment_calls_optional_and_a_required_comment_is_believed() {
    let compose = "services:\n  app:\n    build: .\n  postgres:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n";
    let example = "# Required - A passphrase to encrypt JWT. Use a random long string\nJWT_SECRET=\n\n# Optional - SQL database credential details\n# Only if you're using Postgres or MySQL\nDB_HOST=localhost\nDB_PASSWORD=\nREDIS_PASSWORD=\n";
    let inv = Fixture::new()
        .compose(compose)
        .example(example)
        .live(example)
        .run();
    assert_eq!(status(&inv, "JWT_SECRET"), Status::Missing);
    assert_eq!(status(&inv, "DB_PASSWORD"), Status::Missing);
    assert_eq!(status(&inv, "REDIS_PASSWORD"), Status::Ok);
}

#[test]
fn a_credential_another_env_file_repeats_is_pinned_to_it() {
    let inv = Fixture::new()
        .live("DB_PASSWORD=J5brHrAXFLQSif0K\nAPP_NAME=netbox\nDB_PORT=5432\n")
        .other_env(
            "env/postgres.env",
            "POSTGRES_DB=netbox\nPOSTGRES_PASSWORD=J5brHrAXFLQSif0K\nPGPORT=5432\n",
        )
        .run();
    let db = inv.get("DB_PASSWORD").unwrap();
    assert!(db.pinned);
    assert_eq!(
        db.pinned_with.as_deref(),
        Some("POSTGRES_PASSWORD in env/postgres.env")
    );
    // Settings that happen to be equal tie nothing: `netbox` is a name, `5432` a port.
    for name in ["APP_NAME", "DB_PORT"] {
        assert_eq!(inv.get(name).unwrap().pinned_with, None, "{name}");
    }
}

#[test]
fn a_client_default_that_matches_the_servers_compose_literal_is_pinned() {
    // Formbricks: the database password is a literal in compose, and Cube's default is it.
    let compose = "services:\n  postgres:\n    image: pgvector/pgvector:pg18\n    environment:\n      - POSTGRES_PASSWORD=postgres\n  cube:\n    image: cubejs/cube\n    environment:\n      CUBEJS_DB_HOST: ${CUBEJS_DB_HOST:-postgres}\n      CUBEJS_DB_PASS: ${CUBEJS_DB_PASS:-postgres}\n";
    let inv = Fixture::new().compose(compose).live("OTHER=1\n").run();
    let cube = inv.get("CUBEJS_DB_PASS").unwrap();
    // Still weak, but generating it alone would lock Cube out of the database.
    assert!(cube.pinned);
    assert!(!crate::plan::is_fillable(
        cube,
        &[Status::Missing, Status::Placeholder, Status::Weak]
    ));
}

#[test]
fn a_comment_saying_what_empty_means_makes_empty_a_setting() {
    // docker-mailserver's mailserver.env is the template and the live file at once.
    let compose = "services:\n  mailserver:\n    image: ghcr.io/docker-mailserver/docker-mailserver\n    env_file: .env\n";
    let live = "# empty => generated when the image is built\nSRS_SECRET=\n\n# empty => no default\nRELAY_PASSWORD=\n\n# The session secret (openssl rand -hex 32)\nSESSION_SECRET=\n";
    let inv = Fixture::new().compose(compose).live(live).run();
    assert_eq!(status(&inv, "SRS_SECRET"), Status::Ok);
    assert_eq!(status(&inv, "RELAY_PASSWORD"), Status::Ok);
    // Without such a comment, an empty secret the file lists is still asked for.
    assert_eq!(status(&inv, "SESSION_SECRET"), Status::Missing);
}

#[test]
fn a_provider_the_project_runs_itself_has_secrets_the_project_makes() {
    // authentik's own compose file: the server is authentik.
    let compose = "services:\n  server:\n    image: ghcr.io/goauthentik/server:2025.2.4\n    environment:\n      AUTHENTIK_SECRET_KEY: ${AUTHENTIK_SECRET_KEY:?secret key required}\n  app:\n    image: example/app\n    environment:\n      AUTHENTIK_CLIENT_SECRET: ${AUTHENTIK_CLIENT_SECRET}\n      GITHUB_CLIENT_SECRET: ${GITHUB_CLIENT_SECRET}\n";
    let inv = Fixture::new().compose(compose).live("OTHER=1\n").run();
    assert_eq!(class(&inv, "AUTHENTIK_SECRET_KEY"), Class::Secret);
    assert_eq!(status(&inv, "AUTHENTIK_SECRET_KEY"), Status::Missing);
    // Another app's login at an identity provider is still the provider's to issue.
    assert_eq!(class(&inv, "AUTHENTIK_CLIENT_SECRET"), Class::External);
    assert_eq!(class(&inv, "GITHUB_CLIENT_SECRET"), Class::External);
}

#[test]
fn a_provider_loading_the_whole_env_file_still_runs_its_secrets() {
    // The same through `env_file: .env` on an image envward does not know: no pair per
    // variable is kept for such an image, but that it runs them still counts.
    let compose = "services:\n  server:\n    image: ghcr.io/goauthentik/server:2025.2.4\n    env_file: .env\n  worker:\n    image: example/worker\n    env_file: .env\n";
    let live = "AUTHENTIK_SECRET_KEY=\nGITHUB_CLIENT_SECRET=\n";
    let inv = Fixture::new().compose(compose).live(live).run();
    assert_eq!(class(&inv, "AUTHENTIK_SECRET_KEY"), Class::Secret);
    assert_eq!(class(&inv, "GITHUB_CLIENT_SECRET"), Class::External);
}

#[test]
fn an_empty_secret_only_the_app_reads_is_needed_only_on_evidence() {
    // Firefly III: the app reads the whole .env; its template leaves optional secrets empty.
    let compose = "services:\n  app:\n    image: fireflyiii/core\n    env_file: .env\n  db:\n    image: postgres:16\n    env_file: .env\n";
    let example = "MANDRILL_SECRET=\nDEMO_PASSWORD=\nPOSTGRES_PASSWORD=\n# A random 32-character secret key used to encrypt user sessions\nSESSION_KEY=\nCOOKIE_SAMESITE=lax\n";
    let inv = Fixture::new()
        .compose(compose)
        .example(example)
        .live(example)
        .run();
    // Nothing says these are needed: empty is the template's choice.
    assert_eq!(status(&inv, "MANDRILL_SECRET"), Status::Ok);
    assert_eq!(status(&inv, "DEMO_PASSWORD"), Status::Ok);
    // The postgres image reading the file cannot start without it.
    assert_eq!(status(&inv, "POSTGRES_PASSWORD"), Status::Missing);
    // The comment asks for a random value.
    assert_eq!(status(&inv, "SESSION_KEY"), Status::Missing);
    // A cookie's setting, not a cookie secret.
    assert_eq!(class(&inv, "COOKIE_SAMESITE"), Class::Config);
}

#[test]
fn a_connector_named_after_a_provider_is_not_the_provider() {
    // Chat4All's connector image is a client of Telegram; the bot token is still Telegram's.
    let compose = "services:\n  telegram:\n    image: chat4all-telegram-connector:latest\n    environment:\n      TELEGRAM_BOT_TOKEN: ${TELEGRAM_BOT_TOKEN}\n";
    let inv = Fixture::new().compose(compose).live("OTHER=1\n").run();
    assert_eq!(class(&inv, "TELEGRAM_BOT_TOKEN"), Class::External);
}

#[test]
fn a_domain_setting_spelt_as_one_word_still_names_an_example_host() {
    // NocoDB's traefik setup: `DOMAINNAME=example.com` feeds the public URL and the certificate.
    let compose = "services:\n  app:\n    image: nocodb/nocodb\n    environment:\n      NC_PUBLIC_URL: https://nocodb.${DOMAINNAME}\n";
    let example = "DOMAINNAME=example.com\n";
    let inv = Fixture::new()
        .compose(compose)
        .example(example)
        .live(example)
        .run();
    assert_eq!(status(&inv, "DOMAINNAME"), Status::Placeholder);
    assert_eq!(class(&inv, "DOMAINNAME"), Class::Config);
}

#[test]
fn only_the_value_of_a_password_flag_on_a_redis_command_line_is_its_password() {
    // A config-file path beside `--requirepass` once became "the password": flagged weak,
    // and fill would have replaced the path, so Redis would not start.
    let compose = "services:\n  redis:\n    image: redis:7\n    command: \"${REDIS_CONFIG_FILE:-} --requirepass '${REDIS_PASSWORD:-}' --port ${REDIS_PORT:-6379}\"\n";
    let live = format!(
        "REDIS_CONFIG_FILE=/etc/redis/redis.conf\nREDIS_PORT=6380\nREDIS_PASSWORD={STRONG}\n"
    );
    let example = "REDIS_CONFIG_FILE=\nREDIS_PORT=6379\nREDIS_PASSWORD=\n";
    let inv = Fixture::new()
        .compose(compose)
        .example(example)
        .live(&live)
        .run();
    assert_eq!(class(&inv, "REDIS_CONFIG_FILE"), Class::Config);
    assert_eq!(class(&inv, "REDIS_PORT"), Class::Config);
    assert_eq!(class(&inv, "REDIS_PASSWORD"), Class::Secret);
    assert!(inv.findings.is_empty(), "{:?}", inv.findings);

    // The list form, and `--requirepass=VALUE`, name the password just the same.
    let compose = "services:\n  cache:\n    image: redis:7\n    command: [\"redis-server\", \"--requirepass\", \"${CACHE_AUTH}\", \"--masterauth=${PRIMARY_AUTH}\"]\n";
    let live = "CACHE_AUTH=short\nPRIMARY_AUTH=short\n";
    let inv = Fixture::new()
        .compose(compose)
        .example("CACHE_AUTH=\nPRIMARY_AUTH=\n")
        .live(live)
        .run();
    assert_eq!(class(&inv, "CACHE_AUTH"), Class::Secret);
    assert_eq!(class(&inv, "PRIMARY_AUTH"), Class::Secret);
    assert_eq!(status(&inv, "CACHE_AUTH"), Status::Weak);
}

#[test]
fn a_stand_in_in_square_brackets_is_not_a_json_document() {
    // `[generate with <openssl rand …>]` once read as a JSON array: the secret became a
    // provider's, and fill told the user to fetch it from one.
    let example = "NEXTAUTH_SECRET=[generate with <openssl rand -base64 36>]\nMEILI_MASTER_KEY=[random secret]\nGOOGLE_SERVICE_ACCOUNT_KEY={\"type\": \"service_account\", \"project_id\": \"x\"}\nALLOWED_HOSTS=[\"a.example.org\", \"b.example.org\"]\n";
    let inv = Fixture::new()
        .compose(LOADS_ENV)
        .example(example)
        .live(example)
        .run();
    assert_eq!(class(&inv, "NEXTAUTH_SECRET"), Class::Secret);
    assert_eq!(class(&inv, "MEILI_MASTER_KEY"), Class::Secret);
    assert_eq!(status(&inv, "NEXTAUTH_SECRET"), Status::Placeholder);
    assert_eq!(status(&inv, "MEILI_MASTER_KEY"), Status::Placeholder);
    // A document that parses is still made elsewhere.
    assert_eq!(class(&inv, "GOOGLE_SERVICE_ACCOUNT_KEY"), Class::External);
    assert_eq!(class(&inv, "ALLOWED_HOSTS"), Class::Config);
}

#[test]
fn a_storage_vendors_bucket_credentials_are_off_with_local_storage_but_not_its_other_tokens() {
    // Postiz: STORAGE_PROVIDER="local" turns Cloudflare R2 off; its keys were still errors.
    let example = "STORAGE_PROVIDER=local\nCLOUDFLARE_ACCOUNT_ID=your-account-id\nCLOUDFLARE_ACCESS_KEY=your-access-key\nCLOUDFLARE_SECRET_ACCESS_KEY=your-secret-access-key\nCLOUDFLARE_BUCKETNAME=your-bucket-name\nCLOUDFLARE_API_TOKEN=your-api-token\n";
    let inv = Fixture::new()
        .compose(LOADS_ENV)
        .example(example)
        .live(example)
        .run();
    for name in [
        "CLOUDFLARE_ACCOUNT_ID",
        "CLOUDFLARE_ACCESS_KEY",
        "CLOUDFLARE_SECRET_ACCESS_KEY",
        "CLOUDFLARE_BUCKETNAME",
    ] {
        assert!(inv.get(name).unwrap().findings.is_empty(), "{name}");
    }
    // A DNS or tunnel token of the same vendor is not storage.
    assert_eq!(status(&inv, "CLOUDFLARE_API_TOKEN"), Status::Placeholder);

    // With R2 chosen, its keys are the user's to set.
    let chosen = example.replace("STORAGE_PROVIDER=local", "STORAGE_PROVIDER=cloudflare");
    let inv = Fixture::new()
        .compose(LOADS_ENV)
        .example(&chosen)
        .live(&chosen)
        .run();
    assert_eq!(
        status(&inv, "CLOUDFLARE_SECRET_ACCESS_KEY"),
        Status::Placeholder
    );
}
