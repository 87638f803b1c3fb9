//! `undocumented`: compose requires a variable the example file does not list, so a new
//! checkout cannot know to set it.

use super::{Rule, RuleId, about};
use crate::analysis::facts::Context;
use crate::analysis::{Finding, Severity};

/// See the module docs.
pub struct Undocumented;

impl Rule for Undocumented {
    fn id(&self) -> RuleId {
        RuleId::Undocumented
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let example = cx.input.example_path.display();
        for var in cx.vars.iter().filter(|v| v.example.is_none()) {
            let Some(r) = var.refs.iter().find(|r| r.required) else {
                continue;
            };
            let message = format!(
                "{} is required by {} but {example} does not list it",
                var.name,
                r.scope.name()
            );
            out.push(about(
                self.id(),
                Severity::Warning,
                var,
                (r.file.clone(), r.position),
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
        let compose = "services:\n  a:\n    image: x\n    environment:\n      R: ${REQ}\n      O: ${OPT:-1}\n      P: ${DOC}\n";
        let inv = Fixture::new().compose(compose).example("DOC=1\n").run();
        assert_eq!(vars_of(&inv, RuleId::Undocumented), ["REQ"]);
    }
}
