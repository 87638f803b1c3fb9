//! Integrations a template leaves off by something other than an `X_ENABLED=false` switch
//! (blind sweeps 18 and 20: Skyvern, refly, `MiroTalk`, Coze Studio): their credentials'
//! stand-ins are not the user's problem today, while the same stand-ins stay findings once
//! the integration is on. One test per kind, with the finding it must not hide.

use super::RuleId;
use super::testkit::{analysed as run, vars_of};

const LOADS_ENV: &str = "services:\n  app:\n    image: example/app\n    env_file: .env\n";

#[test]
fn a_providers_credentials_are_off_while_its_selector_names_another() {
    // Skyvern: the vault type selects the built-in vault; Bitwarden is one documented choice.
    let off = "CREDENTIAL_VAULT_TYPE=skyvern\n\n# Set CREDENTIAL_VAULT_TYPE=bitwarden to use Bitwarden\nAPP_BITWARDEN_CLIENT_SECRET=your-client-secret-here\nAPP_BITWARDEN_MASTER_PASSWORD=your-master-password-here\nAPP_SECRET=changeme\n";
    let inv = run(LOADS_ENV, off, off);
    // The project's own secret stays judged.
    assert_eq!(vars_of(&inv, RuleId::Placeholder), ["APP_SECRET"]);
    // Selected, the same stand-ins are findings.
    let on = off.replace("=skyvern", "=bitwarden");
    let inv = run(LOADS_ENV, &on, &on);
    assert_eq!(
        vars_of(&inv, RuleId::Placeholder),
        [
            "APP_BITWARDEN_CLIENT_SECRET",
            "APP_BITWARDEN_MASTER_PASSWORD",
            "APP_SECRET"
        ]
    );
}

#[test]
fn an_option_a_selectors_comment_lists_is_off_under_its_default() {
    // Coze Studio: `RERANK_TYPE="" # current support `vikingdb`,`rrf`,default:rrf` over a
    // vikingdb section whose keys say `# required`.
    let example = "RERANK_TYPE=\"\" # current support `vikingdb`,`rrf`,default:rrf\n# vikingdb rerank\nVIKINGDB_RERANK_AK=\"\" # required\nVIKINGDB_RERANK_SK=\"\" # required\n";
    let inv = run(LOADS_ENV, example, example);
    assert!(vars_of(&inv, RuleId::Missing).is_empty());
    let chosen = example.replace("RERANK_TYPE=\"\"", "RERANK_TYPE=vikingdb");
    let inv = run(LOADS_ENV, &chosen, &chosen);
    assert_eq!(
        vars_of(&inv, RuleId::Missing),
        ["VIKINGDB_RERANK_AK", "VIKINGDB_RERANK_SK"]
    );
}

#[test]
fn an_option_word_that_names_no_provider_scopes_only_the_selectors_subject() {
    // `DB_TYPE=sqlite` beside `# DB_TYPE=postgres` says nothing of a Postgres-named token
    // of another subject (a backup service's), and never of the database's own password.
    let example = "# DB_TYPE=postgres\nDB_TYPE=sqlite\nBACKUP_POSTGRES_TOKEN=your-token-here\nPOSTGRES_PASSWORD=changeme\n";
    let inv = run(LOADS_ENV, example, example);
    let placeholders = vars_of(&inv, RuleId::Placeholder);
    assert!(placeholders.contains(&"BACKUP_POSTGRES_TOKEN".to_string()));
    assert!(placeholders.contains(&"POSTGRES_PASSWORD".to_string()));
}

#[test]
fn credentials_wait_for_the_setting_a_comment_says_turns_them_on() {
    // refly: "Langfuse is enabled when LANGFUSE_BASE_URL is set", the URL commented out.
    let off = "# Langfuse is enabled when LANGFUSE_BASE_URL is set\n# LANGFUSE_BASE_URL=http://localhost:33001\nLANGFUSE_PUBLIC_KEY=pk-lf-dev\nLANGFUSE_SECRET_KEY=sk-lf-dev\n";
    let inv = run(LOADS_ENV, off, off);
    assert!(vars_of(&inv, RuleId::Placeholder).is_empty());
    // The user sets the URL: the keys are read and their stand-ins reported.
    let on = off.replace("# LANGFUSE_BASE_URL", "LANGFUSE_BASE_URL");
    let inv = run(LOADS_ENV, off, &on);
    assert!(vars_of(&inv, RuleId::Placeholder).contains(&"LANGFUSE_SECRET_KEY".to_string()));
}

#[test]
fn a_providers_secondary_credentials_wait_for_its_primary_key() {
    // refly: `STRIPE_API_KEY=` empty beside two webhook secrets left at `test`.
    let off = "STRIPE_API_KEY=\nSTRIPE_ACCOUNT_WEBHOOK_SECRET=test\nSTRIPE_ACCOUNT_TEST_WEBHOOK_SECRET=test\n";
    let inv = run(LOADS_ENV, off, off);
    assert!(inv.findings.is_empty(), "{:?}", inv.findings);
    // With the key set, the stand-ins are the user's to replace.
    let on = off.replace(
        "STRIPE_API_KEY=\n",
        "STRIPE_API_KEY=rk_live_51Habcdefghijklmnop\n",
    );
    let inv = run(LOADS_ENV, off, &on);
    assert_eq!(
        vars_of(&inv, RuleId::Placeholder),
        [
            "STRIPE_ACCOUNT_WEBHOOK_SECRET",
            "STRIPE_ACCOUNT_TEST_WEBHOOK_SECRET"
        ]
    );
    // A primary the template requires is reported, and so is what it turns on.
    let required = "# Required\nSTRIPE_API_KEY=\nSTRIPE_WEBHOOK_SECRET=test\n";
    let inv = run(LOADS_ENV, required, required);
    assert_eq!(vars_of(&inv, RuleId::Missing), ["STRIPE_API_KEY"]);
    assert_eq!(
        vars_of(&inv, RuleId::Placeholder),
        ["STRIPE_WEBHOOK_SECRET"]
    );
}

#[test]
fn an_empty_key_of_the_project_itself_switches_nothing_off() {
    // `APP_KEY=` names no provider: the database password beside it is still the user's.
    let example = "APP_KEY=\nAPP_DB_PASSWORD=changeme\nAPP_SMTP_PASSWORD=your-smtp-password\n";
    let inv = run(LOADS_ENV, example, example);
    assert_eq!(
        vars_of(&inv, RuleId::Placeholder),
        ["APP_DB_PASSWORD", "APP_SMTP_PASSWORD"]
    );
}

#[test]
fn a_switch_for_an_integrations_use_heading_its_settings_turns_them_off() {
    // MiroTalk: `EMAIL_ALERT=false` over the SMTP settings used only for alerts.
    let off = "# Email alerts\nEMAIL_ALERT=false # true or false\nEMAIL_HOST=localhost\nEMAIL_USERNAME=test\nEMAIL_PASSWORD=test\n";
    let inv = run(LOADS_ENV, off, off);
    assert!(vars_of(&inv, RuleId::Placeholder).is_empty());
    let on = off.replace("=false", "=true");
    let inv = run(LOADS_ENV, &on, &on);
    assert_eq!(vars_of(&inv, RuleId::Placeholder), ["EMAIL_PASSWORD"]);
    // A transport option heading the same settings switches nothing off.
    let tls = off.replace("EMAIL_ALERT=false", "EMAIL_TLS=false");
    let inv = run(LOADS_ENV, &tls, &tls);
    assert_eq!(vars_of(&inv, RuleId::Placeholder), ["EMAIL_PASSWORD"]);
}
