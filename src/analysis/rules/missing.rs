//! `missing`: a required variable that is absent or empty in the live file.

use super::{Rule, RuleId, about, services_of};
use crate::analysis::facts::{Context, Verdict};
use crate::analysis::{Finding, Severity};

/// See the module docs.
pub struct Missing;

impl Rule for Missing {
    fn id(&self) -> RuleId {
        RuleId::Missing
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let live = cx.input.live_path.display();
        for var in cx.vars.iter().filter(|v| v.verdict == Verdict::Missing) {
            let who = services_of(var);
            let needed = if who.is_empty() {
                "required by the example file".to_string()
            } else {
                format!("required by {who}")
            };
            let message = if var.live.is_some() {
                format!("{} is empty in {live} but {needed}", var.name)
            } else {
                format!("{} is not set in {live} but {needed}", var.name)
            };
            out.push(about(
                self.id(),
                Severity::Error,
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
    use crate::analysis::testkit::{Fixture, vars_of};

    const COMPOSE: &str = "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n      TZ: ${TZ:-UTC}\n";

    #[test]
    fn truth_table() {
        let strong = "DB_PASSWORD=Vq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiEl\n";
        let cases: [(Option<&str>, &[&str]); 4] = [
            (None, &["DB_PASSWORD"]),
            (Some("DB_PASSWORD=\n"), &["DB_PASSWORD"]),
            (Some(strong), &[]),
            (Some("OTHER=1\n"), &["DB_PASSWORD"]),
        ];
        for (live, want) in cases {
            let mut f = Fixture::new().compose(COMPOSE);
            if let Some(l) = live {
                f = f.live(l);
            }
            let inv = f.run();
            assert_eq!(vars_of(&inv, RuleId::Missing), want, "{live:?}");
        }
    }
}
