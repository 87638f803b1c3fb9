//! `weak-default`: a secret the live file does not set, so compose falls back to a default
//! (`${DB_PASSWORD:-changeme}`) that is a placeholder or weak, or a secret however strong:
//! the compose file is in every copy of the project.

use super::{Rule, RuleId, about, weak_severity};
use crate::analysis::Finding;
use crate::analysis::facts::{Context, Verdict};
use crate::analysis::strength::Weakness;

/// See the module docs.
pub struct WeakDefault;

impl Rule for WeakDefault {
    fn id(&self) -> RuleId {
        RuleId::WeakDefault
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let live = cx.input.live_path.display();
        for var in &cx.vars {
            let (what, r) = match &var.verdict {
                Verdict::Placeholder {
                    via_default: Some(r),
                    ..
                } => ("a placeholder", r),
                Verdict::Weak {
                    via_default: Some(r),
                    weaknesses,
                } if weaknesses == &[Weakness::PublishedDefault] => {
                    ("public: everyone with the compose file has it", r)
                }
                Verdict::Weak {
                    via_default: Some(r),
                    ..
                } => ("weak", r),
                _ => continue,
            };
            let message = format!(
                "{} is not set in {live}, so compose uses the default written in {}, which is {what}; set a strong value in {live}",
                var.name,
                r.file.display()
            );
            out.push(about(
                self.id(),
                weak_severity(cx),
                var,
                (r.file.clone(), r.position),
                message,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::testkit::{Fixture, vars_of};
    use crate::analysis::{RuleId, Status};

    #[test]
    fn truth_table() {
        let compose = "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:-changeme}\n      POSTGRES_USER: ${DB_USER:-postgres}\n";
        let cases: [(Option<&str>, &[&str]); 3] = [
            (None, &["DB_PASSWORD"]),
            (Some("DB_PASSWORD=\n"), &["DB_PASSWORD"]),
            (
                Some("DB_PASSWORD=Vq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiEl\n"),
                &[],
            ),
        ];
        for (live, want) in cases {
            let mut f = Fixture::new().compose(compose);
            if let Some(l) = live {
                f = f.live(l);
            }
            let inv = f.run();
            assert_eq!(vars_of(&inv, RuleId::WeakDefault), want, "{live:?}");
        }
        let inv = Fixture::new().compose(compose).run();
        assert_eq!(inv.get("DB_PASSWORD").unwrap().status, Status::Placeholder);
        assert_eq!(inv.get("DB_USER").unwrap().status, Status::Ok);
    }

    #[test]
    fn a_strong_looking_secret_default_is_public() {
        // Cap's quick start runs with no .env: the 64-hex default of a key is what the app
        // encrypts with, and the compose file is in everyone's copy.
        let compose = "services:\n  web:\n    image: busybox\n    environment:\n      DATABASE_ENCRYPTION_KEY: ${DATABASE_ENCRYPTION_KEY:-9f3c1e7a52d8b46e0c19a3f7d5b2e8c4a60be6d3f1c7a95e2b8d04f6c3a71e92}\n      LOG_LEVEL: ${LOG_LEVEL:-info}\n";
        for live in [None, Some("DATABASE_ENCRYPTION_KEY=\n")] {
            let mut f = Fixture::new().compose(compose);
            if let Some(l) = live {
                f = f.live(l);
            }
            let inv = f.run();
            assert_eq!(
                vars_of(&inv, RuleId::WeakDefault),
                ["DATABASE_ENCRYPTION_KEY"],
                "{live:?}"
            );
            let finding = inv
                .findings
                .iter()
                .find(|f| f.rule == RuleId::WeakDefault)
                .unwrap();
            assert!(finding.message.contains("everyone with the compose file"));
            assert!(!finding.message.contains("9f3c1e7a"));
        }
        let set = Fixture::new()
            .compose(compose)
            .live("DATABASE_ENCRYPTION_KEY=0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f1\n")
            .run();
        assert!(vars_of(&set, RuleId::WeakDefault).is_empty());
    }
}
