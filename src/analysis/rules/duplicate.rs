//! `duplicate`: a key defined twice in one file; the last one wins, as in Compose.

use super::{Rule, RuleId};
use crate::analysis::facts::Context;
use crate::analysis::{Finding, Severity};

/// See the module docs.
pub struct Duplicate;

impl Rule for Duplicate {
    fn id(&self) -> RuleId {
        RuleId::Duplicate
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        // A key the live file repeats is reported there, where the user edits: the same
        // repetition in the example it was copied from would only say it twice.
        let mut in_live: foldhash::HashSet<&str> = foldhash::HashSet::default();
        for (file, is_live) in [(cx.input.live, true), (cx.input.example, false)] {
            let Some(file) = file else {
                continue;
            };
            let mut first: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
            for entry in file.document.entries() {
                let line = entry.position().line;
                match first.get(entry.key()) {
                    None => {
                        first.insert(entry.key(), line);
                    }
                    Some(_) if !is_live && in_live.contains(entry.key()) => {}
                    Some(first_line) => out.push(Finding {
                        rule: self.id(),
                        severity: Severity::Warning,
                        variable: Some(entry.key().to_string()),
                        file: file.path.to_path_buf(),
                        position: entry.position(),
                        message: format!(
                            "{} is defined again (first on line {first_line}); this later one wins",
                            entry.key()
                        ),
                    }),
                }
                if is_live && first.get(entry.key()).is_some_and(|&l| l != line) {
                    in_live.insert(entry.key());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::RuleId;
    use crate::analysis::testkit::{Fixture, lines_of};

    #[test]
    fn truth_table() {
        let cases: [(&str, &[usize]); 3] = [
            ("A=1\nB=2\n", &[]),
            ("A=1\nB=2\nA=3\n", &[3]),
            ("A=1\nA=2\nA=3\n", &[2, 3]),
        ];
        for (live, want) in cases {
            let inv = Fixture::new().live(live).run();
            assert_eq!(lines_of(&inv, RuleId::Duplicate), want, "{live:?}");
        }
    }

    #[test]
    fn a_repetition_copied_from_the_example_is_reported_once_in_the_live_file() {
        // Postiz's template defines APPLE_TEAM_ID twice; after `cp` it was reported twice.
        let text = "APPLE_TEAM_ID=\nA=1\nAPPLE_TEAM_ID=\n";
        // (file, line) of each duplicate finding when the example is `text`.
        let found = |live: &str| -> Vec<(String, usize)> {
            Fixture::new()
                .example(text)
                .live(live)
                .run()
                .findings
                .iter()
                .filter(|f| f.rule == RuleId::Duplicate)
                .map(|f| (f.file.display().to_string(), f.position.line))
                .collect()
        };
        assert_eq!(found(text), [(".env".to_string(), 3)]);
        // A repetition only the example has is still the example's to report.
        assert_eq!(
            found("APPLE_TEAM_ID=x\n"),
            [(".env.example".to_string(), 3)]
        );
    }
}
