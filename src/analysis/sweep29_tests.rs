//! What blind sweep 29 found envward misread (Squidex): one test per kind, on small projects
//! built in memory.

use super::testkit::{analysed as run, vars_of};
use super::{Class, RuleId};
use crate::analysis::knowledge::{Knowledge, name_words};
use crate::generate::Kind;

fn words(name: &str) -> Vec<String> {
    name_words(name).map(std::borrow::Cow::into_owned).collect()
}

#[test]
fn a_secret_word_fused_to_the_word_before_reads_as_its_own_word() {
    // Squidex spells its OAuth client secrets `SQUIDEX_GITHUBSECRET`, `…GOOGLESECRET`.
    assert_eq!(
        words("SQUIDEX_GITHUBSECRET"),
        ["SQUIDEX", "GITHUB", "SECRET"]
    );
    assert_eq!(words("NGROK_AUTHTOKEN"), ["NGROK", "AUTH", "TOKEN"]);
    assert_eq!(words("clientsecret2"), ["CLIENT", "SECRET"]);
    assert_eq!(words("DBPASSWORD1"), ["DB", "PASSWORD"]);
    assert_eq!(words("AWSSECRETKEY"), ["AWS", "SECRETKEY"]);
    // A secret word alone, a short one ending an ordinary word, and a plural stay whole.
    for whole in [
        "SECRET",
        "APIKEY",
        "SECRETKEY",
        "MONKEY",
        "BYPASS",
        "COMPASS",
        "BASALT",
        "HTPASSWD",
        "SUPERTOKENS",
    ] {
        assert_eq!(words(whole), [whole]);
    }

    let k = Knowledge::builtin().unwrap();
    let class = |n: &str| k.name(n).class;
    for provider in [
        "SQUIDEX_GITHUBSECRET",
        "SQUIDEX_GOOGLESECRET",
        "SQUIDEX_MICROSOFTSECRET",
        "BW_CLIENTSECRET",
        // The patterns see the name spelled with separators (`*_AUTH_TOKEN`).
        "NGROK_AUTHTOKEN",
    ] {
        assert_eq!(class(provider), Class::External, "{provider}");
    }
    assert_eq!(k.name("APP_ADMINTOKEN").kind, Some(Kind::Token(64)));
    assert_eq!(k.name("APP_DBPASSWORD").kind, Some(Kind::Password));
    // Settings about it, switches and names with no fused secret word stay configuration.
    for config in [
        "SQUIDEX_GITHUBSECRET_FILE",
        "APP_ADMINTOKEN_EXPIRY",
        "SHOWPASSWORD",
        "SUDO_NOPASSWD",
        "SUDO_NOPASSWORD",
        "SQUIDEX_GITHUBCLIENT",
        "POSTGRES_URI_SUPERTOKENS",
        "APP_MONKEY",
        "NETWORK_BYPASS",
        // The registry image's login prompt, beside Apache's password file.
        "REGISTRY_AUTH_HTPASSWD_REALM",
    ] {
        assert_eq!(class(config), Class::Config, "{config}");
    }
    // A whole name a rule knows is read as written: libpq's password.
    assert_eq!(k.name("PGPASSWORD").kind, Some(Kind::Password));
    assert!(k.name("PGPASSWORD").exact);
}

#[test]
fn a_fused_provider_secret_with_a_stand_in_is_a_placeholder() {
    // Squidex: `changeme` under `APP_GITHUBSECRET` is as much a stand-in as under
    // `APP_GITHUB_SECRET`, and the client id beside it stays configuration.
    let compose = "services:\n  app:\n    image: squidex/squidex:7\n    environment:\n      - IDENTITY__GITHUBCLIENT=${APP_GITHUBCLIENT}\n      - IDENTITY__GITHUBSECRET=${APP_GITHUBSECRET}\n      - OTHER=${APP_GITHUB_SECRET}\n";
    let example = "APP_GITHUBCLIENT=\nAPP_GITHUBSECRET=\nAPP_GITHUB_SECRET=\n";
    let live = "APP_GITHUBCLIENT=Iv1.0123456789abcdef\nAPP_GITHUBSECRET=changeme\nAPP_GITHUB_SECRET=changeme\n";
    let inv = run(compose, example, live);
    assert_eq!(inv.get("APP_GITHUBSECRET").unwrap().class, Class::External);
    assert_eq!(inv.get("APP_GITHUBCLIENT").unwrap().class, Class::Config);
    assert_eq!(
        vars_of(&inv, RuleId::Placeholder),
        ["APP_GITHUBSECRET", "APP_GITHUB_SECRET"]
    );
}
