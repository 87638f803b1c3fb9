//! `leftover`: a temporary file from an interrupted envward write sits beside the live file.
//! It may hold a whole env file in plaintext; the next envward command that writes removes
//! it. One warning per file, at its first line; the file's content is never read.

use super::{Rule, RuleId};
use crate::analysis::facts::Context;
use crate::analysis::{Finding, Severity};
use crate::position::Position;

/// See the module docs.
pub struct Leftover;

impl Rule for Leftover {
    fn id(&self) -> RuleId {
        RuleId::Leftover
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for file in &cx.input.live_facts.leftovers {
            out.push(Finding {
                rule: self.id(),
                severity: Severity::Warning,
                variable: None,
                file: file.clone(),
                position: Position { line: 1, column: 1 },
                message: format!(
                    "{} is a temporary file left by an interrupted envward write and may hold a whole env file; delete it, or run any envward command that saves (it removes such files)",
                    file.display()
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::testkit::{Fixture, count_of};
    use crate::analysis::{FileFacts, RuleId, Severity};

    #[test]
    fn one_warning_per_leftover() {
        for n in [0, 1, 2] {
            let leftovers = (0..n)
                .map(|i| format!(".env.envward-tmp-abcde{i}.env").into())
                .collect();
            let inv = Fixture::new()
                .live("A=1\n")
                .facts(FileFacts {
                    leftovers,
                    ..FileFacts::default()
                })
                .run();
            assert_eq!(count_of(&inv, RuleId::Leftover), n, "{n}");
            assert!(inv.findings.iter().all(|f| f.rule != RuleId::Leftover
                || (f.severity == Severity::Warning && f.position.line == 1)));
        }
    }
}
