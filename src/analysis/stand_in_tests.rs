//! What blind sweeps L to O (stop 23) found envward misreading, one test per kind, on small
//! projects built in memory: a stand-in or a name taken for a tie between two secrets
//! (grist, nautobot, ever-gauzy, Mayan), a label hiding a recipe (`SurfSense`), a `$` hiding
//! a published sample (Maxun), display text or a quota taken for a secret (ever-gauzy,
//! refly), a dotted sample taken for a host (lowcoder), a byte size in words (refly), and a
//! provider's credential taken for the project's (Skyvern, `DocsGPT`, refly).

use super::testkit::{Fixture, analysed as run, vars_of};
use super::{Class, RuleId};

#[test]
fn a_shared_stand_in_does_not_tie_the_passwords_of_two_servers() {
    // grist: `CHANGE THIS PASSWORD` on postgres's and MinIO's passwords.
    let example = "DATABASE_PASSWORD=CHANGE THIS PASSWORD\nMINIO_PASSWORD=CHANGE THIS PASSWORD\n";
    let compose = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DATABASE_PASSWORD}\n  minio:\n    image: minio/minio\n    command: server /data\n    environment:\n      MINIO_ROOT_USER: app\n      MINIO_ROOT_PASSWORD: ${MINIO_PASSWORD}\n";
    let inv = run(compose, example, example);
    assert!(!inv.relations.same("DATABASE_PASSWORD", "MINIO_PASSWORD"));
    // Both are stand-ins by convention, not merely the example's sample.
    let mut flagged = vars_of(&inv, RuleId::Placeholder);
    flagged.sort();
    assert_eq!(flagged, ["DATABASE_PASSWORD", "MINIO_PASSWORD"]);
    // A sample in words is no secret either, whatever its length.
    let example = "APP_SECRET=set this to something long and random\nSESSION_SECRET=set this to something long and random\n";
    let compose = "services:\n  app:\n    image: example/app\n    env_file: .env\n";
    let inv = run(compose, example, example);
    assert!(!inv.relations.same("APP_SECRET", "SESSION_SECRET"));
    // A random shared sample still means one value.
    let example = "A_SECRET=Jx8Lq2Vz9Rm4Tk7Wp3Ys6Nd1Hf5Gc0Bb2Ae8Uu4Oo7\nB_SECRET=Jx8Lq2Vz9Rm4Tk7Wp3Ys6Nd1Hf5Gc0Bb2Ae8Uu4Oo7\n";
    let inv = run(compose, example, example);
    assert!(inv.relations.same("A_SECRET", "B_SECRET"));
}

#[test]
fn an_equal_stand_in_in_another_env_file_is_no_pair_unless_both_speak_for_one_server() {
    // nautobot: the database password and an LDAP bind password both `changeme`.
    let compose = "services:\n  app:\n    image: example/app\n    env_file: [settings.env, .env]\n";
    let example = "DB_PASSWORD=changeme\nSESSION_SECRET=XXXXXXX\n";
    let inv = Fixture::new()
        .compose(compose)
        .example(example)
        .live(example)
        .other_env(
            "settings.env",
            "LDAP_BIND_PASSWORD=changeme\nTWITTER_CLIENT_SECRET=XXXXXXX\n",
        )
        .run();
    for name in ["DB_PASSWORD", "SESSION_SECRET"] {
        assert_eq!(inv.get(name).unwrap().pinned_with, None, "{name}");
    }
    // The database's own file holding the same stand-in is the other half of one login.
    let inv = Fixture::new()
        .compose(compose)
        .example(example)
        .live(example)
        .other_env("db.env", "MYSQL_PASSWORD=changeme\n")
        .run();
    assert_eq!(
        inv.get("DB_PASSWORD").unwrap().pinned_with.as_deref(),
        Some("MYSQL_PASSWORD in db.env")
    );
}

#[test]
fn a_password_written_into_a_url_is_for_the_urls_host_whatever_the_key() {
    // Mayan: `CELERY_RESULT_BACKEND: redis://…@redis` is Redis's, not the broker's.
    let example = "RABBIT_PASSWORD=\nREDIS_PASSWORD=\n";
    let compose = "services:\n  worker:\n    image: example/app\n    environment:\n      CELERY_BROKER_URL: amqp://app:${RABBIT_PASSWORD}@rabbitmq:5672//\n      CELERY_RESULT_BACKEND: redis://:${REDIS_PASSWORD}@redis:6379/1\n  rabbitmq:\n    image: rabbitmq:3\n    environment:\n      RABBITMQ_DEFAULT_USER: app\n      RABBITMQ_DEFAULT_PASS: ${RABBIT_PASSWORD}\n  redis:\n    image: redis:7\n    command: [\"redis-server\", \"--requirepass\", \"${REDIS_PASSWORD}\"]\n";
    let inv = run(compose, example, example);
    assert!(!inv.relations.same("RABBIT_PASSWORD", "REDIS_PASSWORD"));
}

#[test]
fn a_service_that_logs_in_with_the_servers_password_has_no_second_login_to_it() {
    // ever-gauzy's Cube: CUBEJS_DB_PASS is its login to postgres; CUBEJS_SQL_PASSWORD is
    // what its own SQL clients type.
    let example = "DB_PASS=\nCUBE_PASS=\n";
    let compose = "services:\n  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASS}\n  cube:\n    image: cubejs/cube\n    environment:\n      CUBEJS_DB_HOST: db\n      CUBEJS_DB_PASS: ${DB_PASS}\n      CUBEJS_SQL_PASSWORD: ${CUBE_PASS}\n";
    let inv = run(compose, example, example);
    assert!(!inv.relations.same("DB_PASS", "CUBE_PASS"));
    // Without the server's own variable, the client's database password is its login.
    let example = "DB_PASS=\nCUBE_DB_PASS=\n";
    let compose = "services:\n  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASS}\n  cube:\n    image: cubejs/cube\n    environment:\n      CUBEJS_DB_HOST: db\n      CUBEJS_DB_PASS: ${CUBE_DB_PASS}\n";
    let inv = run(compose, example, example);
    assert!(inv.relations.same("DB_PASS", "CUBE_DB_PASS"));
}

#[test]
fn a_shouted_label_keeps_its_recipe() {
    // SurfSense: `# REQUIRED: Generate a secret key with: openssl rand -hex 32`.
    let example = "# IMPORTANT: generate with: openssl rand -hex 32\nDATA_KEY=\n# REQUIRED: Generate with: openssl rand -hex 16\nSECRET_KEY=\n# DB_HOST: the database host\n";
    let compose = "services:\n  app:\n    image: example/app\n    environment:\n      DATA_KEY: ${DATA_KEY:?}\n      SECRET_KEY: ${SECRET_KEY:?}\n";
    let inv = run(compose, example, example);
    assert_eq!(
        inv.get("DATA_KEY").unwrap().kind,
        Some(crate::generate::Kind::Hex(32))
    );
    assert_eq!(
        inv.get("SECRET_KEY").unwrap().kind,
        Some(crate::generate::Kind::Hex(16))
    );
    // A commented-out key in the YAML-like form is still one.
    assert_eq!(
        super::declare::commented_key("# DB_HOST: the database host").as_deref(),
        Some("DB_HOST")
    );
    assert_eq!(
        super::declare::commented_key("# IMPORTANT: read this"),
        None
    );
}

#[test]
fn a_dollar_inside_a_published_sample_does_not_hide_it() {
    // Maxun: `JWT_SECRET=a9Z$kLq7^f03…` — Compose reads `$kLq7` as an unset variable.
    let example =
        "JWT_SECRET=a9Z$kLq7^f03GzNw!bP9dH4xV6sT2yXl3O8vR@uYq3\nBASE=/srv\nDATA_DIR=$BASE/data\n";
    let compose = "services:\n  api:\n    image: example/api\n    env_file: .env\n";
    let inv = run(compose, example, example);
    assert_eq!(vars_of(&inv, RuleId::Placeholder), ["JWT_SECRET"]);
    // A `$NAME` naming a variable of the file still follows it.
    assert!(inv.get("DATA_DIR").unwrap().follows_others);
}

#[test]
fn a_name_that_only_says_signature_is_display_text() {
    // ever-gauzy's APP_SIGNATURE="Gauzy": the name under its e-mails.
    let example = "APP_SIGNATURE=\"Acme Team\"\nMAIL_SIGNATURE=Acme\nSIGNATURE_KEY=\nWEBHOOK_SIGNATURE_SECRET=\n";
    let compose = "services:\n  api:\n    image: example/api\n    env_file: .env\n";
    let inv = run(compose, example, example);
    for name in ["APP_SIGNATURE", "MAIL_SIGNATURE"] {
        assert_eq!(inv.get(name).unwrap().class, Class::Config, "{name}");
    }
    for name in ["SIGNATURE_KEY", "WEBHOOK_SIGNATURE_SECRET"] {
        assert_eq!(inv.get(name).unwrap().class, Class::Secret, "{name}");
    }
}

#[test]
fn a_dotted_sample_of_a_password_or_salt_is_no_host() {
    // lowcoder: `LOWCODER_DB_ENCRYPTION_PASSWORD="lowcoder.org"` under "Please change these".
    let example = "# Please change these to something unique\nAPP_ENCRYPTION_PASSWORD=\"lowcoder.org\"\nAPP_ENCRYPTION_SALT=\"lowcoder.org\"\nJWT_SECRET=acme.dev\nMAIL_HOST=smtp.acme.dev\nPUBLIC_KEY_HOST=keys.acme.dev\n";
    let compose = "services:\n  app:\n    image: example/app\n    env_file: .env\n";
    let inv = run(compose, example, example);
    for name in [
        "APP_ENCRYPTION_PASSWORD",
        "APP_ENCRYPTION_SALT",
        "JWT_SECRET",
    ] {
        assert_eq!(inv.get(name).unwrap().class, Class::Secret, "{name}");
    }
    for name in ["MAIL_HOST", "PUBLIC_KEY_HOST"] {
        assert_eq!(inv.get(name).unwrap().class, Class::Config, "{name}");
    }
    let mut flagged = vars_of(&inv, RuleId::Placeholder);
    flagged.sort();
    assert_eq!(
        flagged,
        [
            "APP_ENCRYPTION_PASSWORD",
            "APP_ENCRYPTION_SALT",
            "JWT_SECRET"
        ]
    );
}

#[test]
fn a_size_in_bytes_and_an_encoding_in_words_fix_the_kind() {
    // refly: "32-byte (256-bit) hex-encoded key"; the app refuses anything but 64 hex digits.
    let example = "# 32-byte (256-bit) hex-encoded key for encrypting sensitive data\nENCRYPTION_KEY=\n# 32 random bytes, base64 encoded\nSESSION_KEY=\n";
    let compose = "services:\n  api:\n    image: example/api\n    environment:\n      ENCRYPTION_KEY: ${ENCRYPTION_KEY:?}\n      SESSION_KEY: ${SESSION_KEY:?}\n";
    let inv = run(compose, example, example);
    assert_eq!(
        inv.get("ENCRYPTION_KEY").unwrap().kind,
        Some(crate::generate::Kind::Hex(32))
    );
    assert_eq!(
        inv.get("SESSION_KEY").unwrap().kind,
        Some(crate::generate::Kind::Base64(32))
    );
}

#[test]
fn a_negative_number_is_a_setting_whatever_the_name() {
    // refly's `QUOTA_T1_TOKEN=-1`: a token quota, unlimited.
    let example = "QUOTA_T1_TOKEN=-1\nDB_PASSWORD=123456\n";
    let compose = "services:\n  api:\n    image: example/api\n    env_file: .env\n";
    let inv = run(compose, example, example);
    assert_eq!(inv.get("QUOTA_T1_TOKEN").unwrap().class, Class::Config);
    // A positive number under a password word is still a (terrible) password.
    assert_eq!(inv.get("DB_PASSWORD").unwrap().class, Class::Secret);
}

#[test]
fn a_providers_credential_stays_the_providers_beside_a_service_of_the_same_prefix() {
    // Skyvern's `SKYVERN_AUTH_BITWARDEN_*` beside a `skyvern` service; refly's Langfuse pair;
    // DocsGPT's `API_KEY=<LLM api key (for example, open ai key)>`.
    let example = "MYAPP_AUTH_BITWARDEN_MASTER_PASSWORD=your-master-password-here\nMYAPP_AUTH_BITWARDEN_CLIENT_SECRET=your-client-secret-here\nLANGFUSE_PUBLIC_KEY=\nLANGFUSE_SECRET_KEY=\nAPI_KEY=<LLM api key (for example, open ai key)>\nINTERNAL_KEY=<a random key>\n";
    let compose = "services:\n  myapp:\n    image: example/app\n    env_file: .env\n";
    let inv = run(compose, example, example);
    for name in [
        "MYAPP_AUTH_BITWARDEN_MASTER_PASSWORD",
        "MYAPP_AUTH_BITWARDEN_CLIENT_SECRET",
        "LANGFUSE_SECRET_KEY",
        "API_KEY",
    ] {
        assert_eq!(inv.get(name).unwrap().class, Class::External, "{name}");
    }
    assert_eq!(inv.get("INTERNAL_KEY").unwrap().class, Class::Secret);
    // A project that runs Langfuse owns its keys.
    let compose = "services:\n  langfuse:\n    image: langfuse/langfuse:3\n    env_file: .env\n";
    let inv = run(compose, example, example);
    assert_eq!(inv.get("LANGFUSE_SECRET_KEY").unwrap().class, Class::Secret);
}

#[test]
fn only_the_sentence_that_says_same_ties_the_names_in_it() {
    // Agenta: "same pattern as AUTH_KEY/CRYPT_KEY above. … read these same values".
    let example = "# Secrets (REPLACE in production!)\nAUTH_KEY=replace-me\nCRYPT_KEY=replace-me\n\n# ACCESS_KEY/SECRET_KEY are secrets, same pattern as\n# AUTH_KEY/CRYPT_KEY above. The store service and the api all\n# read these same values, so any shared replacement still works.\nSTORE_ACCESS_KEY=replace-me\nSTORE_SECRET_KEY=replace-me\n# Must be the same as STORE_SECRET_KEY (see docker-compose.yml).\nS3_SECRET=replace-me\n";
    let compose = "services:\n  api:\n    image: example/api\n    env_file: .env\n";
    let inv = run(compose, example, example);
    for other in ["AUTH_KEY", "CRYPT_KEY"] {
        assert!(!inv.relations.same("STORE_SECRET_KEY", other), "{other}");
    }
    assert!(inv.relations.same("S3_SECRET", "STORE_SECRET_KEY"));
}

#[test]
fn a_size_in_bytes_the_value_must_be_is_one_character_a_byte() {
    // coze: "The size of secret must be 16, 24 or 32 bytes", for aes.NewCipher.
    let example =
        "# The size of secret must be 16, 24 or 32 bytes.\nPLUGIN_AES_SECRET='^*6x3hdu2nc%-p38'\n";
    let compose = "services:\n  api:\n    image: example/api\n    env_file: .env\n";
    let inv = run(compose, example, example);
    assert_eq!(
        inv.get("PLUGIN_AES_SECRET").unwrap().kind,
        Some(crate::generate::Kind::Token(32))
    );
}

#[test]
fn editme_is_a_stand_in_and_an_html_tag_no_fill_in_marker() {
    // Sylius's `APP_SECRET=EDITME`; BigBlueButton's welcome text with `<b>` and `<u>`.
    let example = "APP_SECRET=EDITME\nWELCOME_FOOTER=Use a headset to <b>avoid echo</b>, see <u>help</u>.\nSITE_NAME=<your site name>\n";
    let compose = "services:\n  api:\n    image: example/api\n    env_file: .env\n";
    let inv = run(compose, example, example);
    let mut flagged = vars_of(&inv, RuleId::Placeholder);
    flagged.sort();
    assert_eq!(flagged, ["APP_SECRET", "SITE_NAME"]);
}

#[test]
fn a_drop_in_postgres_image_is_postgres() {
    // LibrePhotos runs pgautoupgrade, a postgres that upgrades its data in place, and names
    // the variable `dbPass`: the image says what it is.
    let example = "dbPass=AaAa1234\n";
    let compose = "services:\n  db:\n    image: pgautoupgrade/pgautoupgrade:16-alpine\n    environment:\n      POSTGRES_PASSWORD: ${dbPass}\n";
    let inv = run(compose, example, example);
    assert_eq!(inv.get("dbPass").unwrap().class, Class::Secret);
    // Still the published sample: flagged, and `fill` makes it.
    assert_eq!(vars_of(&inv, RuleId::Placeholder), ["dbPass"]);
}

#[test]
fn a_camel_case_name_reads_as_its_words() {
    // LibrePhotos' `dbPass`, `jwtSecret`; `OAuth` is one word.
    let words = |n: &str| {
        crate::analysis::knowledge::name_words(n)
            .map(std::borrow::Cow::into_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(words("dbPass"), ["DB", "PASS"]);
    assert_eq!(words("jwtSecret"), ["JWT", "SECRET"]);
    assert_eq!(words("OAuth_CLIENT_ID"), ["OAUTH", "CLIENT", "ID"]);
    assert_eq!(words("DB_PASSWORD1"), ["DB", "PASSWORD"]);
    let example = "dbPass=AaAa1234\nlogLevel=info\n";
    let compose = "services:\n  app:\n    image: example/app\n    env_file: .env\n";
    let inv = run(compose, example, example);
    assert_eq!(inv.get("dbPass").unwrap().class, Class::Secret);
    assert_eq!(inv.get("logLevel").unwrap().class, Class::Config);
}

#[test]
fn a_blocks_recipe_is_not_the_access_key_ids() {
    // Agenta: "Generate the signing key with: openssl rand -base64 32" over the SeaweedFS
    // access key, secret key and signing key; a `/` in the access key id breaks SigV4.
    let example = "# These are secrets. Generate the signing key with: openssl rand -base64 32\nSTORE_ACCESS_KEY=replace-me\nSTORE_SECRET_KEY=replace-me\nSTORE_SIGNING_KEY=replace-me\n";
    let compose = "services:\n  api:\n    image: example/api\n    env_file: .env\n";
    let inv = run(compose, example, example);
    assert_ne!(
        inv.get("STORE_ACCESS_KEY").unwrap().kind,
        Some(crate::generate::Kind::Base64(32))
    );
    assert_eq!(
        inv.get("STORE_SIGNING_KEY").unwrap().kind,
        Some(crate::generate::Kind::Base64(32))
    );
}

#[test]
fn a_chat_servers_credentials_are_its_own_and_off_with_its_switch() {
    // MiroTalk: `MATTERMOST_ENABLED=false` beside a Mattermost password and token it issues.
    let example = "MATTERMOST_ENABLED=false\nMATTERMOST_SERVER_URL=https://mattermost.example.com\nMATTERMOST_PASSWORD=password\nMATTERMOST_TOKEN=token\n";
    let compose = "services:\n  app:\n    image: example/app\n    env_file: .env\n";
    let inv = run(compose, example, example);
    assert_eq!(inv.get("MATTERMOST_TOKEN").unwrap().class, Class::External);
    assert!(vars_of(&inv, RuleId::Placeholder).is_empty());
    // A project that runs Mattermost makes its own.
    let compose = "services:\n  mattermost:\n    image: mattermost/mattermost-team-edition\n    env_file: .env\n";
    let example = "MATTERMOST_PASSWORD=\n";
    let inv = run(compose, example, example);
    assert_eq!(inv.get("MATTERMOST_PASSWORD").unwrap().class, Class::Secret);
}
