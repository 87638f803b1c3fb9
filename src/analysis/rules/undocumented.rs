//! `undocumented`: compose requires a variable the example file does not list (not even on a
//! commented-out line), so a new checkout cannot know to set it. Passthrough entries
//! (`- NAME`) require nothing, and without an example file there is nothing to compare with
//! (that is said once, not per variable).

use super::{Rule, RuleId, about};
use crate::analysis::facts::{Context, Var};
use crate::analysis::{Finding, Severity};
use crate::compose::Usage;
use crate::interpolate::Form;

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
            // A reference without a default counts where Compose reads it: at the top level,
            // or in the default of a variable the project leaves unset
            // (`${URL:-http://localhost:$PORT}` needs `PORT` while `URL` is unset).
            let read = |r: &crate::compose::ComposeRef| -> bool {
                r.usage != crate::compose::Usage::Passthrough
                    && (r.required
                        || matches!(
                            (&r.default_of, r.usage),
                            (Some((outer, form)), Usage::Interpolation(Form::Bare | Form::Braced))
                                if cx.default_applies(outer, *form)
                        ))
            };
            let Some(r) = var.refs.iter().find(|r| read(r)) else {
                continue;
            };
            let message = match (&r.default_of, r.required) {
                (Some((outer, _)), false) => format!(
                    "{} is read by {} in the default of {outer}, which is unset, but {example} \
                     does not list it",
                    var.name,
                    super::place_name(&r.scope)
                ),
                // Only `${X:?…}` stops Compose; a bare `${X}` left unset is read as empty.
                _ => format!(
                    "{} is {} by {} but {example} does not list it",
                    var.name,
                    if matches!(
                        r.usage,
                        Usage::Interpolation(Form::Required | Form::RequiredNonEmpty)
                    ) {
                        "required"
                    } else {
                        "read"
                    },
                    super::place_name(&r.scope)
                ),
            };
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

    #[test]
    fn a_reference_in_a_default_counts_while_that_default_is_used() {
        let compose = "services:\n  a:\n    image: x\n    environment:\n      \
                       U: ${URL:-http://localhost:$PORT}\n      \
                       E: ${EMPTY-http://x:${EPORT}}\n      \
                       D: ${DEEP:-${MID:-x$INNER}}\n      \
                       F: ${FINE:-http://x:${FPORT:-80}}\n";
        // URL is unset, so its default (and PORT) is used; EMPTY is set (to nothing) and `-`
        // only replaces an unset one; INNER is read only if two variables are unset, which
        // is not judged; FPORT has its own default.
        let inv = Fixture::new()
            .compose(compose)
            .example("EMPTY=\n")
            .live("EMPTY=\n")
            .run();
        assert_eq!(vars_of(&inv, RuleId::Undocumented), ["PORT"]);
        // Once the template sets URL, its default and PORT are never read.
        let inv = Fixture::new()
            .compose(compose)
            .example("EMPTY=\nURL=https://app.example.org\n")
            .live("EMPTY=\nURL=https://app.example.org\n")
            .run();
        assert!(vars_of(&inv, RuleId::Undocumented).is_empty());
    }
}
