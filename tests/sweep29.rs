//! The kinds of mistakes blind sweep 29 found (Squidex), through the real binary: what `check`
//! says and what `export` writes.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

mod common;

use common::sweep::{check, project};

/// Squidex (sweep 29): `…_GITHUBSECRET`, the GitHub client secret spelled as one word, is a
/// provider's secret: `changeme` there is a placeholder, and `export --format k8s` puts it in
/// the `Secret`, not in the `ConfigMap`.
#[test]
fn a_fused_secret_word_is_judged_and_exported_as_a_secret() {
    let env = "APP_GITHUBCLIENT=Iv1.0123456789abcdef\nAPP_GITHUBSECRET=changeme\n";
    let compose = "services:\n  app:\n    image: squidex/squidex:7\n    environment:\n      - IDENTITY__GITHUBCLIENT=${APP_GITHUBCLIENT}\n      - IDENTITY__GITHUBSECRET=${APP_GITHUBSECRET}\n";
    let p = project("compose.yml", compose, env, true);
    let (code, out) = check(&p);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.lines()
            .any(|l| l.trim_start().starts_with("APP_GITHUBSECRET")
                && l.contains("is a placeholder")),
        "{out}"
    );
    let out = p
        .cmd()
        .args(["export", "--format", "k8s", "--allow-incomplete", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let yaml = String::from_utf8(out.stdout).unwrap();
    let config_map = yaml.split("kind: ConfigMap").nth(1).unwrap();
    let secret = yaml.split("kind: ConfigMap").next().unwrap();
    assert!(secret.contains("APP_GITHUBSECRET:"), "{yaml}");
    assert!(!config_map.contains("APP_GITHUBSECRET"), "{yaml}");
    assert!(config_map.contains("APP_GITHUBCLIENT:"), "{yaml}");
}
