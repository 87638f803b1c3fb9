//! `reused`: one secret value shared by variables not meant to be the same, so one leak or
//! one rotation affects both. A value written as `${OTHER}` and pairs listed in
//! `envward.toml` (`same_as`) are meant to be the same.

use std::collections::BTreeMap;

use super::{Rule, RuleId, about};
use crate::analysis::facts::{Context, Var, Verdict};
use crate::analysis::{Finding, Severity};

/// See the module docs.
pub struct Reused;

fn meant_same(cx: &Context<'_>, a: &Var<'_>, b: &Var<'_>) -> bool {
    let refs = |x: &Var<'_>, y: &Var<'_>| {
        x.live
            .as_ref()
            .is_some_and(|e| e.refs.iter().any(|(n, _)| *n == y.name))
    };
    a.same_as.contains(&b.name)
        || b.same_as.contains(&a.name)
        || refs(a, b)
        || refs(b, a)
        || cx.relations.same(&a.name, &b.name)
}

impl Rule for Reused {
    fn id(&self) -> RuleId {
        RuleId::Reused
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let mut by_value: BTreeMap<&str, Vec<&Var<'_>>> = BTreeMap::new();
        for var in &cx.vars {
            // Placeholders are reported on their own; only real values count as reuse.
            if !var.class.is_sensitive()
                || var.url_credentials
                || var.follows_others()
                // An integration the template switches off reads neither value (Stripe's two
                // webhook secrets left at `test` while its API key is empty).
                || var.switched_off
                // A value already reported (a placeholder, a weak or default password) is fixed
                // by fixing it; a second warning about sharing it is noise.
                || !matches!(var.verdict, Verdict::Ok | Verdict::Unused)
            {
                continue;
            }
            if let Some(v) = var
                .live_value()
                .filter(|v| !crate::analysis::shape::is_blank(v))
            {
                by_value.entry(v).or_default().push(var);
            }
        }
        for group in by_value.values().filter(|g| g.len() > 1) {
            for (i, var) in group.iter().enumerate().skip(1) {
                let Some(other) = group[..i].iter().find(|o| !meant_same(cx, o, var)) else {
                    continue;
                };
                let message = format!(
                    "{} has the same value as {}; give each its own secret (or declare `same_as` in envward.toml)",
                    var.name, other.name
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
}

#[cfg(test)]
mod tests {
    use crate::analysis::RuleId;
    use crate::analysis::testkit::{Fixture, vars_of};

    const S: &str = "Vq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiEl";

    #[test]
    fn truth_table() {
        let cases: [(String, &[&str]); 4] = [
            (format!("A_PASSWORD={S}\nB_PASSWORD={S}x\n"), &[]),
            (format!("A_PASSWORD={S}\nB_PASSWORD={S}\n"), &["B_PASSWORD"]),
            (format!("A_PASSWORD={S}\nB_PASSWORD=${{A_PASSWORD}}\n"), &[]),
            ("A_USER=app\nB_USER=app\n".to_string(), &[]),
        ];
        for (live, want) in cases {
            let inv = Fixture::new().live(&live).run();
            assert_eq!(vars_of(&inv, RuleId::Reused), want, "{live:?}");
        }
        let inv = Fixture::new()
            .live(&format!("A_PASSWORD={S}\nB_PASSWORD={S}\n"))
            .config("[vars.B_PASSWORD]\nsame_as = [\"A_PASSWORD\"]\n")
            .run();
        assert!(vars_of(&inv, RuleId::Reused).is_empty());
    }
}
