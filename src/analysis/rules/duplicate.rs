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
        for file in [cx.input.live, cx.input.example].into_iter().flatten() {
            let mut first: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
            for entry in file.document.entries() {
                let line = entry.position().line;
                match first.get(entry.key()) {
                    None => {
                        first.insert(entry.key(), line);
                    }
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
}
