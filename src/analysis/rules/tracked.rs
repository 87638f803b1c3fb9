//! `tracked`: the live file is in the git index, so its secrets are in the history.

use super::{Rule, RuleId, about_live_file};
use crate::analysis::Finding;
use crate::analysis::facts::Context;

/// See the module docs.
pub struct Tracked;

impl Rule for Tracked {
    fn id(&self) -> RuleId {
        RuleId::Tracked
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(git) = cx.input.live_facts.git else {
            return;
        };
        if !git.tracked {
            return;
        }
        let file = cx.input.live_path;
        out.push(about_live_file(
            self.id(),
            cx,
            format!(
                "{} is tracked by git, so its secrets are in the repository; run `git rm --cached {}` and rotate every secret in it",
                file.display(),
                file.display()
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::testkit::{Fixture, count_of};
    use crate::analysis::{FileFacts, GitFacts, RuleId};

    #[test]
    fn truth_table() {
        let cases = [
            (None, 0),
            (
                Some(GitFacts {
                    ignored: true,
                    tracked: false,
                }),
                0,
            ),
            (
                Some(GitFacts {
                    ignored: false,
                    tracked: true,
                }),
                1,
            ),
            (
                Some(GitFacts {
                    ignored: true,
                    tracked: true,
                }),
                1,
            ),
        ];
        for (git, want) in cases {
            let inv = Fixture::new()
                .live("A=1\n")
                .facts(FileFacts {
                    mode: Some(0o600),
                    git,
                    leftovers: Vec::new(),
                    ..FileFacts::default()
                })
                .run();
            assert_eq!(count_of(&inv, RuleId::Tracked), want, "{git:?}");
        }
    }
}
