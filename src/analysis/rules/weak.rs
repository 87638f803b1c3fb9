//! `weak`: a secret that fails the strength policy (a warning under the dev policy).

use super::{Rule, RuleId, about, weak_severity};
use crate::analysis::Finding;
use crate::analysis::facts::{Context, Verdict};

/// See the module docs.
pub struct Weak;

impl Rule for Weak {
    fn id(&self) -> RuleId {
        RuleId::Weak
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for var in &cx.vars {
            if let Verdict::Weak {
                weaknesses,
                via_default: None,
            } = &var.verdict
            {
                let kind = var.kind.map_or("secret", crate::generate::Kind::noun);
                let reasons: Vec<String> = weaknesses.iter().map(ToString::to_string).collect();
                // A URL is judged by the password inside it: the reasons (its length …) are
                // the password's, not the URL's.
                let message = if var.url_credentials {
                    format!(
                        "the password in {} is weak: {}",
                        var.name,
                        reasons.join("; ")
                    )
                } else {
                    format!("{} is a weak {kind}: {}", var.name, reasons.join("; "))
                };
                out.push(about(
                    self.id(),
                    weak_severity(cx),
                    var,
                    var.location(cx),
                    message,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::testkit::{Fixture, vars_of};
    use crate::analysis::{RuleId, Severity};

    #[test]
    fn truth_table() {
        let cases: [(&str, &[&str]); 5] = [
            ("DB_PASSWORD=postgres\n", &["DB_PASSWORD"]),
            ("DB_PASSWORD=short-but-random-Xk3\n", &["DB_PASSWORD"]),
            (
                "DB_PASSWORD=Vq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiEl\n",
                &[],
            ),
            ("DB_USER=postgres\n", &[]),
            ("STRIPE_SECRET_KEY=abc\n", &[]),
        ];
        for (live, want) in cases {
            let inv = Fixture::new().live(live).run();
            assert_eq!(vars_of(&inv, RuleId::Weak), want, "{live:?}");
        }
    }

    #[test]
    fn the_message_names_the_kind_in_words() {
        // Firefly: "APP_KEY is a weak laravel" read as a typo.
        let inv = Fixture::new()
            .live("APP_KEY=SomeRandomStringOf32CharsExactly\nDB_PASSWORD=postgres\n")
            .run();
        let message = |name: &str| {
            inv.findings
                .iter()
                .find(|f| f.rule == RuleId::Weak && f.variable.as_deref() == Some(name))
                .map(|f| f.message.clone())
                .unwrap_or_default()
        };
        assert!(
            message("APP_KEY").starts_with("APP_KEY is a weak Laravel key: "),
            "{}",
            message("APP_KEY")
        );
        assert!(message("DB_PASSWORD").starts_with("DB_PASSWORD is a weak password: "));
    }

    #[test]
    fn a_url_is_reported_by_the_password_inside_it() {
        // "DATABASE_URL is a weak secret: 7 characters" read as the URL's length.
        let inv = Fixture::new()
            .live(
                "DATABASE_URL=postgresql://postgres:typebot@db:5432/typebot
",
            )
            .run();
        let f = inv
            .findings
            .iter()
            .find(|f| f.rule == RuleId::Weak)
            .unwrap();
        assert!(
            f.message
                .starts_with("the password in DATABASE_URL is weak: "),
            "{}",
            f.message
        );
        assert!(f.message.contains("7 characters"), "{}", f.message);
    }

    #[test]
    fn dev_policy_makes_it_a_warning() {
        let inv = Fixture::new().live("DB_PASSWORD=postgres\n").dev().run();
        let f = inv
            .findings
            .iter()
            .find(|f| f.rule == RuleId::Weak)
            .unwrap();
        assert_eq!(f.severity, Severity::Warning);
    }
}
