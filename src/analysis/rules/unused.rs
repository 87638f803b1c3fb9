//! `unused`: a variable only the live file has: nothing reads it.

use super::{Rule, RuleId, about};
use crate::analysis::facts::{Context, Verdict};
use crate::analysis::{Finding, Severity};

/// See the module docs.
pub struct Unused;

impl Rule for Unused {
    fn id(&self) -> RuleId {
        RuleId::Unused
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let live = cx.input.live_path.display();
        for var in cx.vars.iter().filter(|v| v.verdict == Verdict::Unused) {
            let message = format!(
                "{} is set in {live} but no compose file, example entry or other value uses it",
                var.name
            );
            out.push(about(
                self.id(),
                Severity::Warning,
                var,
                var.location(cx),
                message,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::RuleId;
    use crate::analysis::testkit::{Fixture, vars_of};

    #[test]
    fn truth_table() {
        let compose = "services:\n  a:\n    image: x\n    environment:\n      U: ${USED}\n";
        let inv = Fixture::new()
            .compose(compose)
            .example("DOC=1\n")
            .live("USED=1\nDOC=1\nSTRAY=1\nBASE=h\nURL=http://${BASE}\nCOMPOSE_PROJECT_NAME=x\n")
            .run();
        assert_eq!(vars_of(&inv, RuleId::Unused), ["STRAY", "URL"]);
        let with_env_file = "services:\n  a:\n    image: x\n    env_file: .env\n";
        let inv = Fixture::new()
            .compose(with_env_file)
            .live("STRAY=1\n")
            .run();
        assert!(vars_of(&inv, RuleId::Unused).is_empty());
    }
}
