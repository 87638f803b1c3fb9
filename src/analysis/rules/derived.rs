//! `derived`: a value computed from another (an HS256 JWT signed with `JWT_SECRET`) that no
//! longer matches its source — a new secret with the old tokens locks every client out.

use super::{Rule, RuleId, report_verdicts};
use crate::analysis::Finding;
use crate::analysis::facts::{Context, Verdict};

/// See the module docs.
pub struct Derived;

impl Rule for Derived {
    fn id(&self) -> RuleId {
        RuleId::Derived
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        report_verdicts(self.id(), cx, out, |var| match &var.verdict {
            Verdict::Derived { why } => Some(format!(
                "{} does not match its source: {why}; `envward fill` makes it again",
                var.name
            )),
            _ => None,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::RuleId;
    use crate::analysis::testkit::{Fixture, first_of, vars_of};

    const SECRET: &str = "your-super-secret-jwt-token-with-at-least-32-characters-long";
    const ANON: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyAgCiAgICAicm9sZSI6ICJhbm9uIiwKICAgICJpc3MiOiAic3VwYWJhc2UtZGVtbyIsCiAgICAiaWF0IjogMTY0MTc2OTIwMCwKICAgICJleHAiOiAxNzk5NTM1NjAwCn0.dc_X5iR_VP_qT0zsiyj_I_OZ2T9FtRU2BBNWN8Bu4GE";

    #[test]
    fn a_token_signed_with_another_secret_is_reported() {
        let strong = "Vq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiElx";
        let inv = Fixture::new()
            .live(&format!("JWT_SECRET={strong}\nANON_KEY={ANON}\n"))
            .run();
        assert_eq!(vars_of(&inv, RuleId::Derived), ["ANON_KEY"]);
        let f = first_of(&inv, RuleId::Derived);
        assert!(
            !f.message.contains(strong) && !f.message.contains("eyJ"),
            "{}",
            f.message
        );
    }

    #[test]
    fn a_token_signed_with_its_secret_is_fine() {
        let inv = Fixture::new()
            .live(&format!("JWT_SECRET={SECRET}\nANON_KEY={ANON}\n"))
            .run();
        assert!(vars_of(&inv, RuleId::Derived).is_empty());
    }
}
