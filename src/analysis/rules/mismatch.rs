//! `mismatch`: variables that must hold one value differ — a URL whose password is not the
//! password it must carry, or members of a declared group — so one side cannot log in.

use super::{Rule, RuleId, report_verdicts};
use crate::analysis::Finding;
use crate::analysis::facts::{Context, Verdict};

/// See the module docs.
pub struct Mismatch;

impl Rule for Mismatch {
    fn id(&self) -> RuleId {
        RuleId::Mismatch
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        report_verdicts(self.id(), cx, out, |var| match &var.verdict {
            Verdict::Mismatch { with, why } => Some(format!(
                "{} differs from {with} but must hold the same value ({why}); `envward fill` makes them agree",
                var.name
            )),
            _ => None,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::RuleId;
    use crate::analysis::testkit::{Fixture, vars_of};

    const A: &str = "Vq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiElx";
    const B: &str = "Zq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiEly";

    #[test]
    fn a_url_that_lost_its_password_is_reported() {
        let compose = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n  api:\n    image: app\n    environment:\n      DATABASE_URL: ${DATABASE_URL}\n";
        let inv = Fixture::new()
            .compose(compose)
            .live(&format!(
                "POSTGRES_PASSWORD={A}\nDATABASE_URL=postgres://app:{B}@db:5432/app\n"
            ))
            .run();
        assert_eq!(vars_of(&inv, RuleId::Mismatch), ["DATABASE_URL"]);
        let f = inv
            .findings
            .iter()
            .find(|f| f.rule == RuleId::Mismatch)
            .unwrap();
        assert!(!f.message.contains(A) && !f.message.contains(B));
    }

    #[test]
    fn declared_groups_must_agree() {
        let inv = Fixture::new()
            .example("# must be the same as MYSQL_PASSWORD\nDB_PASSWORD=\nMYSQL_PASSWORD=\n")
            .live(&format!("DB_PASSWORD={A}\nMYSQL_PASSWORD={B}\n"))
            .run();
        assert_eq!(
            vars_of(&inv, RuleId::Mismatch),
            ["DB_PASSWORD", "MYSQL_PASSWORD"]
        );
    }
}
