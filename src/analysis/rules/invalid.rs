//! `invalid`: a provider token without its known format, or a value that breaks the
//! constraints of the image it feeds.

use super::{Rule, RuleId, report_verdicts};
use crate::analysis::Finding;
use crate::analysis::facts::{Context, Verdict};

/// See the module docs.
pub struct Invalid;

impl Rule for Invalid {
    fn id(&self) -> RuleId {
        RuleId::Invalid
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        report_verdicts(self.id(), cx, out, |var| match &var.verdict {
            Verdict::Invalid { why } => Some(format!("{} {why}", var.name)),
            _ => None,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::RuleId;
    use crate::analysis::testkit::{Fixture, vars_of};

    #[test]
    fn truth_table() {
        let cases: [(&str, &[&str]); 4] = [
            (
                "TELEGRAM_BOT_TOKEN=123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1\n",
                &[],
            ),
            (
                "TELEGRAM_BOT_TOKEN=AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1\n",
                &["TELEGRAM_BOT_TOKEN"],
            ),
            (
                "TWILIO_ACCOUNT_SID=AC0123456789abcdef0123456789abcdef\n",
                &[],
            ),
            (
                "AWS_ACCESS_KEY_ID=akia-lowercase-nonsense\n",
                &["AWS_ACCESS_KEY_ID"],
            ),
        ];
        for (live, want) in cases {
            let inv = Fixture::new().live(live).run();
            assert_eq!(vars_of(&inv, RuleId::Invalid), want, "{live:?}");
        }
    }

    #[test]
    fn image_constraints() {
        let compose = "services:\n  m:\n    image: minio/minio\n    environment:\n      MINIO_ROOT_USER: ${U}\n";
        let inv = Fixture::new().compose(compose).live("U=ab\n").run();
        assert_eq!(vars_of(&inv, RuleId::Invalid), ["U"]);
    }
}
