use super::*;

fn k() -> Knowledge {
    Knowledge::builtin().expect("built-in templates parse")
}

/// The word lists and name patterns are used as the templates write them, without a copy
/// in another case, so a word written in the wrong case would silently never match.
#[test]
fn template_words_are_written_in_the_case_they_are_matched_in() {
    let k = k();
    let upper = [
        &k.secret_words,
        &k.config_suffixes,
        &k.flag_prefixes,
        &k.provider_words,
        &k.issued_words,
        &k.plural_secret_words,
        &k.plural_count_words,
        &k.plural_naming_words,
        &k.crypto_words,
        &k.key_material_words,
    ];
    for w in upper.into_iter().flatten() {
        assert_eq!(*w, w.to_ascii_uppercase(), "templates/names.toml: {w}");
    }
    let names: super::files::NamesFile<'static> =
        super::baked::read(&super::baked::files::NAMES).expect("names.toml reads");
    for w in &names.glued_secret_words {
        assert_eq!(*w, w.to_ascii_uppercase(), "templates/names.toml: {w}");
    }
    for p in names
        .exact
        .iter()
        .chain(&names.rule)
        .flat_map(|r| &r.patterns)
    {
        assert_eq!(*p, p.to_ascii_uppercase(), "templates/names.toml: {p}");
    }
    for name in k.image_by_name.keys() {
        assert_eq!(
            *name,
            name.to_ascii_lowercase(),
            "templates/images.toml: {name}"
        );
    }
    for client in k.families_by_client.keys() {
        assert_eq!(
            *client,
            client.to_ascii_uppercase(),
            "templates/images.toml: {client}"
        );
    }
    let lower = [&k.placeholder_words, &k.sentinels, &k.defaults];
    let lower_lists = [&k.example_hosts, &k.dev_markers];
    for w in lower
        .into_iter()
        .flatten()
        .chain(lower_lists.into_iter().flatten())
    {
        assert_eq!(*w, w.to_lowercase(), "templates: {w}");
    }
}

#[test]
fn every_template_file_parses() {
    Knowledge::validate_builtin().expect("image kinds and rotation recipes are valid");
    let k = k();
    assert!(k.names.len() > 5);
    assert!(k.images.len() > 10);
    assert!(k.providers.len() >= 10);
    assert!(!k.derived.is_empty());
    // Images are read when first asked for: every one must read, and every name in the
    // index must lead to an image that has it.
    assert!(k.images.iter().all(|i| i.get().is_some()));
    for (name, &i) in &k.image_by_name {
        let table = k.images[i].baked;
        assert!(
            super::baked::strs_at(table, "match").any(|m| m.eq_ignore_ascii_case(name)),
            "{name}"
        );
        assert!(k.image(name).is_some(), "{name}");
    }
    assert_eq!(
        k.image("postgres:16").and_then(|i| i.family.as_deref()),
        Some("postgres")
    );
}

#[test]
fn names_choose_class_and_kind() {
    let k = k();
    let cases = [
        ("POSTGRES_PASSWORD", Class::Secret, Some("password")),
        ("JWT_SIGNING_KEY", Class::Secret, Some("hex:32")),
        ("ENCRYPTION_KEY", Class::Secret, Some("hex:32")),
        ("WHATSAPP_WEBHOOK_VERIFY_TOKEN", Class::Secret, Some("uuid")),
        ("TELEGRAM_WEBHOOK_SECRET", Class::Secret, Some("token:64")),
        ("APP_KEY", Class::Secret, Some("laravel")),
        ("AIRFLOW__CORE__FERNET_KEY", Class::Secret, Some("fernet")),
        ("SECRET_KEY_BASE", Class::Secret, Some("hex:64")),
        ("SECRET_KEY", Class::Secret, Some("token:64")),
        ("TELEGRAM_BOT_TOKEN", Class::External, None),
        ("OAUTH2_CLIENT_SECRET", Class::External, None),
        ("SMS_ACCOUNT_SID", Class::External, None),
        ("S3_ACCESS_KEY_ID", Class::External, None),
        ("SMTP_PASSWORD", Class::External, None),
        ("STRIPE_WEBHOOK_SECRET", Class::External, None),
        ("ADMIN_PASSWORD_HASH", Class::External, None),
        ("GITHUB_CLIENT_SECRET", Class::External, None),
        ("CLIENT_SECRET_GITHUB_LOGIN", Class::External, None),
        ("INTERNAL_API_KEY", Class::External, None),
        // A provider spelt as two words is still the provider.
        ("_APP_DOCKER_HUB_PASSWORD", Class::External, None),
        ("NEW_RELIC_LICENSE_KEY", Class::External, None),
        ("HUGGING_FACE_TOKEN", Class::External, None),
        ("POSTGRES_USER", Class::Config, None),
        ("DATABASE_PASSWORD_FILE", Class::Config, None),
    ];
    for (name, class, kind) in cases {
        let r = k.name(name);
        assert_eq!(r.class, class, "{name}");
        assert_eq!(r.kind.map(|k| k.to_string()).as_deref(), kind, "{name}");
    }
    assert_eq!(k.by_name("LOG_FORMAT"), None);
}

#[test]
fn settings_about_secrets_are_configuration() {
    let k = k();
    for name in [
        "ALLOW_EMPTY_PASSWORD",
        "MYSQL_ALLOW_EMPTY_PASSWORD",
        "ENABLE_PASSWORD_LOGIN",
        "AUTH_PASSWORD_RESET",
        "PASSWORD_MIN_LENGTH",
        "JWT_ACCESS_TOKEN_EXPIRES_IN",
        "TOKEN_EXPIRY",
        "GPG_KEYSERVER",
        "APP_SECRETS_FILE",
        "S3_KEY_PREFIX",
        "SECRET_NAME",
        "API_KEY_HEADER",
        "LOG_LEVEL",
        "DOVECOT_PASS_FILTER",
    ] {
        assert_eq!(k.name(name).class, Class::Config, "{name}");
    }
    for name in [
        "DB_PASSWORD",
        "SESSION_SECRET",
        "MEILI_MASTER_KEY",
        "COOKIE_SECRET",
        "SIGNUP_SECRET_KEY_BASE",
    ] {
        assert_ne!(k.name(name).class, Class::Config, "{name}");
    }
}

#[test]
fn placeholders_from_the_corpus_are_recognised() {
    let k = k();
    for v in [
        "changeme",
        "change-me",
        "change_me_in_production",
        "changePassword",
        "replace-me",
        "replace_with_lengthy_secure_hex",
        "REPLACE_WITH_LONG_SECRET",
        "STRONG_DB_PASSWORD",
        "your-secret",
        "your-super-secret-and-long-postgres-password",
        "fixme-postgres-password",
        "add some secret here",
        "<ENCRYPTION_KEY_MUST_BE_32_LONG>",
        "*****",
        "p.eyJxxxxx",
        "---",
        "secret",
        "test",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "your_bot_token_here",
        "generate_strong_key_here",
        "this_password_is_insecure_and_should_be_updated",
        "fake_mail_password",
        "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        "add-your-token",
        "set a strong password",
        "insert_here",
    ] {
        assert!(k.placeholder(v, true).is_some(), "{v}");
    }
    // A random key that merely starts with such a verb and a letter is real: one base64url
    // key in a million starts `add-a` (`fill` drew one).
    assert!(
        k.placeholder("add-aoWsGY7sbECtoHOCF0KU_us45H8y5AXT4x_UKy4", true)
            .is_none()
    );
    for v in ["chat4all", "production", "k8Jd2-xQ_9vLm", "test"] {
        assert!(k.placeholder(v, false).is_none(), "{v} is fine for config");
    }
}

#[test]
fn decorated_placeholders_and_sentinels() {
    let k = k();
    for v in [
        "__CHANGEME__",
        "[CHANGE_ME]",
        "<<ChangeMe>>",
        "%SECRET%",
        "{CHANGE-ME}",
    ] {
        assert!(k.placeholder(v, true).is_some(), "{v}");
    }
    assert!(k.placeholder("user_provided", true).is_none());
    assert!(k.is_sentinel("user_provided"));
}

#[test]
fn placeholder_messages_quote_no_pattern() {
    let msg = k().placeholder("changeme", true).unwrap();
    assert!(!msg.contains('^') && !msg.contains('/'), "{msg}");
}

#[test]
fn example_hosts() {
    let k = k();
    for v in [
        "https://example.com",
        "mail.example.org",
        "yourdomain.com",
        "https://your-domain.tld/x",
        "https://partdb.changeme.invalid/",
        "noreply@partdb.changeme",
        "https://changeme.app.io",
        "smtp.mail.invalid:25",
    ] {
        assert!(k.mentions_example_host(v), "{v}");
    }
    for v in [
        "https://counterexample.community",
        "db",
        "chat4all.io",
        "https://app.io/changeme-later",
        "https://invalidation.example-corp.io",
        "https://app.io/invalid",
    ] {
        assert!(!k.mentions_example_host(v), "{v}");
    }
}

#[test]
fn default_passwords_with_suffixes() {
    let k = k();
    assert!(k.is_default_password("password123!"));
    assert!(k.is_default_password("Admin2024"));
    assert!(!k.is_default_password("q7Zr3kW1pX9vB2nM"));
}

/// Values of every shape the patterns meet: each pattern's own examples, near misses,
/// decorations, Unicode, and real secrets.
const SAMPLES: [&str; 42] = [
    "changeme",
    "change_me_in_production",
    "changePassword",
    "replace-with-long-secret",
    "your_bot_token_here",
    "yoursecret",
    "add some secret here",
    "<strong-password>",
    "postgres://<postgres_username>:<pw>@db",
    "[your key]",
    "{{ secret }}",
    "*****",
    "p.eyjxxxxx",
    "todo",
    "tbd later",
    "fixme-postgres-password",
    "placeholder",
    "generate_strong_key_here",
    "insert_your_key",
    "add-aowsgy7sbectohocf0ku",
    "set-a-password",
    "fake_mail_password",
    "get_a_key_from_slack",
    "this_password_is_insecure_and_should_be_updated",
    "must-be-changed",
    "not set",
    "---",
    "...",
    "real-value-123",
    "q7zr3kw1px9vb2nm5ty8cf4hj6gd0sa3el7ui1ok9wr",
    "todolist",
    "xxxx",
    "héllo <wörld>",
    "ünïcode_here",
    "<>",
    "",
    "sample",
    "examples",
    "ac0123456789abcdef0123456789abcdef",
    "123456789:aahdqtcvch1vgwjxfseofsas0k5paldsaw1",
    "sk-ant-abcdefghijklmnopqrstuvwxyz",
    "ghp_0123456789abcdefghijklmnopqrstuvwxyz",
];

#[test]
fn the_built_placeholder_dfa_matches_what_each_pattern_matches() {
    let k = k();
    let file: files::PlaceholdersFile = baked::read(&baked::files::PLACEHOLDERS).unwrap();
    let patterns: Vec<regex_lite::Regex> = file
        .patterns
        .iter()
        .map(|p| regex_lite::Regex::new(p).unwrap())
        .collect();
    for v in SAMPLES {
        assert_eq!(
            dfa_matches(&k.placeholders, v.as_bytes(), None),
            patterns.iter().any(|r| r.is_match(v)),
            "{v}"
        );
    }
}

#[test]
fn the_built_provider_dfa_accepts_what_each_format_accepts() {
    let k = k();
    let file: files::ProvidersFile = baked::read(&baked::files::PROVIDERS).unwrap();
    assert_eq!(file.provider.len(), k.providers.len());
    for (p, f) in k.providers.iter().zip(&file.provider) {
        let format = regex_lite::Regex::new(f.format).unwrap();
        for v in SAMPLES.iter().map(ToString::to_string).chain([
            "AC0123456789abcdef0123456789ABCDEF".to_string(),
            "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1".to_string(),
            "AKIAABCDEFGHIJKLMNOP".to_string(),
            "sk_live_0123456789abc".to_string(),
        ]) {
            assert_eq!(p.accepts(&v), format.is_match(&v), "{}: {v}", p.name);
        }
    }
}

#[test]
fn images_and_providers() {
    let k = k();
    assert_eq!(
        image_name("docker.io/library/postgres:16-alpine"),
        "postgres"
    );
    assert_eq!(image_name("minio/minio@sha256:abc"), "minio");
    let rules = k
        .image_var("minio/minio:latest", "MINIO_ROOT_PASSWORD")
        .unwrap();
    assert_eq!(rules.min_length, Some(8));
    let pg = k.image("postgres:16").unwrap();
    assert_eq!(pg.family.as_deref(), Some("postgres"));
    assert_eq!(
        pg.server_var(ServerRole::Password).collect::<Vec<_>>(),
        ["POSTGRES_PASSWORD"]
    );
    let tg = k.provider("TELEGRAM_BOT_TOKEN").unwrap();
    assert!(tg.accepts("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"));
    assert!(!tg.accepts("your_bot_token_here"));
    assert!(
        k.provider("TWILIO_ACCOUNT_SID")
            .unwrap()
            .accepts("AC0123456789abcdef0123456789abcdef")
    );
}

#[test]
fn fill_in_markers_are_told_from_bracketed_addresses_and_choices() {
    for v in [
        "<MY DOMAIN>",
        "noreply@<MY DOMAIN>",
        "<MY DOMAIN>=peertube",
        "<your-email>",
    ] {
        assert!(Knowledge::has_fill_in_marker(v), "{v}");
    }
    for v in [
        "wger Workout Manager <wger@example.com>",
        "<none | optional | required>",
        "a < b > c",
        "[\"127.0.0.1\", \"loopback\"]",
        "plain",
    ] {
        assert!(!Knowledge::has_fill_in_marker(v), "{v}");
    }
}

#[test]
fn registration_tokens_are_issued_and_public_keys_are_not_secret() {
    let k = k();
    for name in [
        "REG_TOKEN",
        "RUNNER_REGISTRATION_TOKEN",
        "AGENT_ENROLLMENT_TOKEN",
    ] {
        assert_eq!(k.name(name).class, Class::External, "{name}");
    }
    // A name that opens with the public key reads as one that ends with it.
    for name in [
        "JWT_PUBLIC_KEY",
        "PUBLIC_KEY",
        "PUBLIC_KEY_PEM",
        "APP_PUB_KEY",
    ] {
        assert_eq!(k.name(name).class, Class::Config, "{name}");
    }
    assert_eq!(k.name("RECAPTCHA_PUBLIC_KEY").class, Class::External);
    for name in ["JWT_PRIVATE_KEY", "PRIVATE_KEY", "PRIVATE_KEY_PEM"] {
        assert_eq!(k.name(name).class, Class::External, "{name}");
    }
}

#[test]
fn the_generator_avoids_every_dev_marker_check_looks_for() {
    // fill must never write a value check then calls weak: the generator's list covers the
    // templates' (a marker it lists is found inside any value that holds one the templates list).
    let k = k();
    for marker in &k.dev_markers {
        assert!(
            crate::generate::SAMPLE_MARKERS
                .iter()
                .any(|m| marker.contains(m)),
            "{marker} is in templates/passwords.toml but the generator may still draw it"
        );
    }
}

#[test]
fn baked_automata_pass_full_validation() {
    // `compiled` reads the baked automata without validating their transitions; this is
    // the validation it skips, run on the very bytes the binary embeds.
    for (name, bytes) in [
        ("placeholders", crate::automata::PLACEHOLDERS),
        ("providers", crate::automata::PROVIDERS),
    ] {
        let (dfa, read) = regex_automata::dfa::sparse::DFA::from_bytes(bytes)
            .unwrap_or_else(|e| panic!("{name}: the baked automaton is invalid: {e}"));
        assert_eq!(
            read,
            bytes.len(),
            "{name}: trailing bytes after the automaton"
        );
        assert!(
            regex_automata::dfa::Automaton::pattern_len(&dfa) > 0,
            "{name}: no patterns"
        );
    }
}
