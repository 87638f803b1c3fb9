//! `undocumented`: compose requires a variable the example file does not list (not even on a
//! commented-out line), so a new checkout cannot know to set it. Passthrough entries
//! (`- NAME`) require nothing, and without an example file there is nothing to compare with
//! (that is said once, not per variable).

use super::{Rule, RuleId, about};
use crate::analysis::facts::{Context, Var};
use crate::analysis::{Finding, Severity};

/// See the module docs.
pub struct Undocumented;

/// Variables every shell exports, which compose files use for paths (`${PWD}/data`): the
/// environment always sets them.
const SHELL_VARIABLES: [&str; 6] = ["PWD", "HOME", "USER", "PATH", "SHELL", "LOGNAME"];

impl Rule for Undocumented {
    fn id(&self) -> RuleId {
        RuleId::Undocumented
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        // Without an example, the live file is the project's documentation (a committed
        // `.env` that is its own template); without either, nothing documents anything.
        let (doc_path, listed): (_, &dyn Fn(&Var<'_>) -> bool) = if cx.input.example.is_some() {
            (cx.input.example_path, &|v: &Var<'_>| v.example.is_some())
        } else if cx.input.live.is_some() {
            (cx.input.live_path, &|v: &Var<'_>| v.live.is_some())
        } else {
            (cx.input.example_path, &|_: &Var<'_>| false)
        };
        let example = doc_path.display();
        for var in cx.vars.iter().filter(|v| {
            !listed(v)
                && !cx.declarations.documents(&v.name)
                && !SHELL_VARIABLES.contains(&v.name.as_str())
        }) {
            let Some(r) = var
                .refs
                .iter()
                .find(|r| r.required && r.usage != crate::compose::Usage::Passthrough)
            else {
                continue;
            };
            let message = format!(
                "{} is required by {} but {example} does not list it",
                var.name,
                super::place_name(&r.scope)
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
