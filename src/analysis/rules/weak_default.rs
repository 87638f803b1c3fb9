//! `weak-default`: a secret the live file does not set, so compose falls back to a default
//! (`${DB_PASSWORD:-changeme}`) that is a placeholder or weak.

use super::{Rule, RuleId, about, weak_severity};
use crate::analysis::Finding;
use crate::analysis::facts::{Context, Verdict};

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
}
