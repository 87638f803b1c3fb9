//! `syntax`: a statement Docker Compose would reject, in the live or example file.

use super::{Rule, RuleId};
use crate::analysis::facts::Context;
use crate::analysis::{Finding, Severity};

/// See the module docs.
pub struct Syntax;

impl Rule for Syntax {
    fn id(&self) -> RuleId {
        RuleId::Syntax
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let files = [
            (cx.input.live, &cx.live_interpolation_errors),
            (cx.input.example, &cx.example_interpolation_errors),
        ];
        for (file, interpolation) in files {
            let Some(file) = file else { continue };
            for e in file.errors.iter().chain(interpolation) {
                out.push(Finding {
                    rule: self.id(),
                    severity: Severity::Error,
                    variable: None,
                    file: file.path.to_path_buf(),
                    position: e.position,
                    message: format!("{}; Docker Compose rejects the whole file", e.kind),
                });
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
        let cases: [(&str, &[usize]); 4] = [
            ("A=1\n", &[]),
            ("A=1\nBAD KEY=2\n", &[2]),
            ("A=\"open\nB=1\n", &[1]),
            ("A=${B:?need}\n", &[1]),
        ];
        for (live, lines) in cases {
            let inv = Fixture::new().live(live).run();
            assert_eq!(lines_of(&inv, RuleId::Syntax), lines, "{live:?}");
        }
    }
}
