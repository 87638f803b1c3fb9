//! `not-ignored`: inside a git work tree, no `.gitignore` rule covers the live file, so one
//! `git add .` commits every secret.

use super::{Rule, RuleId, about_live_file};
use crate::analysis::Finding;
use crate::analysis::facts::Context;

/// See the module docs.
pub struct NotIgnored;

impl Rule for NotIgnored {
    fn id(&self) -> RuleId {
        RuleId::NotIgnored
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(git) = cx.input.live_facts.git else {
            return;
        };
        if git.ignored || cx.input.live.is_none() {
            return;
        }
        let file = cx.input.live_path;
        out.push(about_live_file(
            self.id(),
            cx,
            format!(
                "{} is inside a git work tree and not ignored; add it to .gitignore",
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
                    tracked: false,
                }),
                1,
            ),
            (
                Some(GitFacts {
                    ignored: false,
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
            assert_eq!(count_of(&inv, RuleId::NotIgnored), want, "{git:?}");
        }
    }
}
