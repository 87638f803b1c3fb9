//! `stray-dollar`: a `$` in a live value that Compose reads as a variable nothing sets.
//!
//! Compose interpolates unquoted and double-quoted values of an env file: `a9Z$kLq7^f03`
//! becomes `a9Z^f03`, with no word from Compose, so a password pasted with a `$` in it is not
//! the password the container gets. Only a bare `$word` naming no key of the file and no
//! variable of the environment counts: `$HOME/data` or `${BASE}/x` mean a reference.

use super::{Rule, RuleId, about};
use crate::analysis::facts::Context;
use crate::analysis::{Class, Finding, Severity};

/// See the module docs.
pub struct StrayDollar;

impl Rule for StrayDollar {
    fn id(&self) -> RuleId {
        RuleId::StrayDollar
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for var in &cx.vars {
            if !var.live.as_ref().is_some_and(|l| l.stray_dollar) {
                continue;
            }
            // The variable's name after the `$` is part of the value: never quoted, even in
            // configuration, so one message serves every class.
            let what = if var.class == Class::Config {
                "value"
            } else {
                "secret"
            };
            let message = format!(
                "{}'s {what} has a `$` that Compose reads as a variable nothing sets: the container gets the {what} without that part; write `$$` for a literal `$`, or single-quote the value",
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
    use crate::analysis::testkit::{Fixture, first_of, vars_of};

    #[test]
    fn truth_table() {
        let cases: [(&str, &[&str]); 6] = [
            // A `$` typed inside a random value: Compose drops `$kLq7`.
            ("S=a9Z$kLq7^f03GzNw!bP9dH4xV6sT2yXl3O8vR@uYq3\n", &["S"]),
            ("S=\"a9Z$kLq7^f03GzNw!bP9dH4xV6sT2yXl3O8vR\"\n", &["S"]),
            // Single quotes and `$$` keep it literal.
            ("S='a9Z$kLq7^f03GzNw!bP9dH4xV6sT2yXl3O8vR'\n", &[]),
            ("S=a9Z$$kLq7^f03GzNw!bP9dH4xV6sT2yXl3O8vR\n", &[]),
            // References to the file's own keys are meant.
            ("BASE=/srv\nDIR=$BASE/data\nURL=${BASE}/x\n", &[]),
            // A braced reference to nothing is a reference all the same (`undocumented`'s).
            ("S=${NOT_SET_ANYWHERE}\n", &[]),
        ];
        for (live, want) in cases {
            let inv = Fixture::new().live(live).run();
            assert_eq!(vars_of(&inv, RuleId::StrayDollar), want, "{live:?}");
        }
    }

    #[test]
    fn the_message_never_holds_the_value() {
        let inv = Fixture::new().live("DB_PASSWORD=hunter$kLq7secret\n").run();
        let f = first_of(&inv, RuleId::StrayDollar);
        for part in ["hunter", "kLq7"] {
            assert!(!f.message.contains(part), "{}", f.message);
        }
    }
}
