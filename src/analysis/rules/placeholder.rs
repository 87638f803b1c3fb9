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
}
