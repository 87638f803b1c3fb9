//! `placeholder`: a live value that is still a placeholder, or a secret still equal to the
//! example's value. A placeholder in a secret or a provider credential is an error; one in
//! configuration (`DOMAIN=yourdomain.com`) is a warning: it is worth a look, but CI fails on
//! secrets.

use super::{Rule, RuleId, about};
use crate::analysis::facts::{Context, Verdict};
use crate::analysis::{Finding, Severity};

/// See the module docs.
pub struct Placeholder;

impl Rule for Placeholder {
    fn id(&self) -> RuleId {
        RuleId::Placeholder
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for var in &cx.vars {
            if let Verdict::Placeholder {
                why,
                via_default: None,
            } = &var.verdict
            {
                let message = format!("{} is a placeholder: its value {why}", var.name);
                let severity = if var.class.is_sensitive() {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                out.push(about(self.id(), severity, var, var.location(cx), message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::RuleId;
    use crate::analysis::testkit::{Fixture, vars_of};

    #[test]
    fn truth_table() {
        let example = "DB_PASSWORD=change_me\nAPI_TOKEN=sk-live-example-1234567890\nDB_USER=app\n";
        let cases: [(&str, &[&str]); 5] = [
            ("DB_PASSWORD=change_me\n", &["DB_PASSWORD"]),
            ("DB_PASSWORD=<strong-password>\n", &["DB_PASSWORD"]),
            ("API_TOKEN=sk-live-example-1234567890\n", &["API_TOKEN"]),
            ("DB_USER=app\n", &[]),
            (
                "DB_PASSWORD=Vq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiEl\n",
                &[],
            ),
        ];
        for (live, want) in cases {
            let inv = Fixture::new().example(example).live(live).run();
            assert_eq!(vars_of(&inv, RuleId::Placeholder), want, "{live:?}");
        }
    }

    #[test]
    fn a_provider_credential_no_container_reads_is_not_flagged() {
        // rybbit: RESEND_API_KEY is read only by the vendor's cloud build; the self-hosted
        // compose passes the backend an explicit list without it.
        let live = "RESEND_API_KEY=your_resend_api_key\nSTRIPE_SECRET_KEY=your_stripe_secret_key\nAPP_SECRET=changeme\nSMTP_PASSWORD=your_smtp_password\n";
        let compose = "services:\n  backend:\n    image: ghcr.io/x/backend\n    environment:\n      - STRIPE_SECRET_KEY=${STRIPE_SECRET_KEY}\n";
        let inv = Fixture::new().compose(compose).live(live).run();
        // A secret of the project's own is still flagged (fill makes it strong for free),
        // and so is a password the user also sets at the other end.
        assert_eq!(
            vars_of(&inv, RuleId::Placeholder),
            ["STRIPE_SECRET_KEY", "APP_SECRET", "SMTP_PASSWORD"]
        );
        // Loaded whole by a service, every line reaches it.
        let whole = "services:\n  backend:\n    image: ghcr.io/x/backend\n    env_file: .env\n";
        let inv = Fixture::new().compose(whole).live(live).run();
        assert_eq!(
            vars_of(&inv, RuleId::Placeholder),
            [
                "RESEND_API_KEY",
                "STRIPE_SECRET_KEY",
                "APP_SECRET",
                "SMTP_PASSWORD"
            ]
        );
    }
}
