//! What blind sweep 27 found envward misread (Hexabot): one test per kind, on small projects
//! built in memory.

use super::RuleId;
use super::testkit::{analysed as run, vars_of};
use crate::generate::Kind;

#[test]
fn a_key_named_for_signing_is_never_sized_below_32_bytes_by_its_sample() {
    // Hexabot: `SIGNED_URL_SECRET=<32 hex>` signs URLs with HMAC, which takes a key of any
    // length; its 16-byte sample is an encoding, not a size. The words that say "signs" are
    // SIGN, SIGNED, SIGNATURE, SIGNING, HMAC and JWT.
    let compose = "services:\n  api:\n    image: example/api\n    env_file: .env\n";
    for (line, want) in [
        (
            "SIGNED_URL_SECRET=f661ff500fff6b0c8f91310b6fff6b0c",
            Kind::Hex(32),
        ),
        (
            "URL_SIGNATURE_KEY=9fJc0zNqk4YbW1x2V7sLpA==",
            Kind::Base64(32),
        ),
        (
            "COOKIE_SIGN_SECRET=f661ff500fff6b0c8f91310b6fff6b0c",
            Kind::Hex(32),
        ),
        ("JWT_SECRET=f661ff500fff6b0c8f91310b6fff6b0c", Kind::Hex(32)),
        // An encryption key keeps its sample's size (AES-128 takes exactly 16 bytes), and a
        // key that signs nothing by name keeps it too.
        (
            "SIGNED_COOKIE_ENCRYPTION_KEY=f661ff500fff6b0c8f91310b6fff6b0c",
            Kind::Hex(16),
        ),
        (
            "SESSION_KEY=f661ff500fff6b0c8f91310b6fff6b0c",
            Kind::Hex(16),
        ),
    ] {
        let env = format!("{line}\n");
        let inv = run(compose, &env, &env);
        let name = line.split('=').next().unwrap();
        assert_eq!(inv.get(name).unwrap().kind, Some(want), "{line}");
    }
}

#[test]
fn a_web_address_naming_an_example_host_is_flagged_whatever_its_setting_is_called() {
    // `OIDC_ISSUER=https://example.com` reaches the app like `OIDC_ISSUER_URL` would: the
    // value's shape says it is an address, though no word of the name does.
    let compose = "services:\n  app:\n    image: example/app\n    environment:\n      OIDC_ISSUER: ${OIDC_ISSUER:-}\n      OIDC_CLIENT_SECRET: ${OIDC_CLIENT_SECRET:-}\n      JWT_ISSUER: ${JWT_ISSUER:-}\n";
    let env = "OIDC_ISSUER=https://example.com\nOIDC_CLIENT_SECRET=Zk2v9QmX4rT7yB1n\nJWT_ISSUER=example.com\n";
    let inv = run(compose, env, env);
    let flagged = vars_of(&inv, RuleId::Placeholder);
    assert!(flagged.contains(&"OIDC_ISSUER".to_string()), "{flagged:?}");
    // An issuer that is a name, not an address, is the app's business.
    assert!(!flagged.contains(&"JWT_ISSUER".to_string()), "{flagged:?}");
    // With the provider's credentials all empty the integration is off: nothing to say.
    let off = "OIDC_ISSUER=https://example.com\nOIDC_CLIENT_SECRET=\nJWT_ISSUER=example.com\n";
    let inv = run(compose, off, off);
    assert!(vars_of(&inv, RuleId::Placeholder).is_empty());
}
