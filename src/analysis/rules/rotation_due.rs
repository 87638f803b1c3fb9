//! `rotation-due`: a secret is older than its rotation interval, a new key has overlapped the
//! old one long enough to be promoted, or a rotation stopped half-way.
//!
//! The dates come in with the file facts (the state file beside the live file, or the
//! backups); a secret without a date is never reported, since its age is unknown. Warnings
//! only: an old secret still works, it is a schedule to keep.

use super::{Rule, RuleId, about};
use crate::analysis::facts::Context;
use crate::analysis::{Finding, Severity};
use crate::position::Position;
use crate::rotate::schedule::day;

/// See the module docs.
pub struct RotationDue;

impl Rule for RotationDue {
    fn id(&self) -> RuleId {
        RuleId::RotationDue
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let now = cx.input.now;
        let state = &cx.input.live_facts.rotation;
        for var in &cx.vars {
            // A secret without a date is never due: its schedule is not worked out (a name
            // read against the strategy's table, for each of 10,000 variables; issue 13).
            if !state.set.contains_key(&var.name) {
                continue;
            }
            // A value that follows another (a URL carrying a password, a signed token, a
            // reference) is rotated with it: only the source is reported.
            let follower = cx.relations.url_of(&var.name).is_some()
                || cx.relations.derivation_of(&var.name).is_some()
                || var.follows_others();
            let Some(facts) = var.rotation(cx).filter(|_| !follower) else {
                continue;
            };
            let (Some(last), Some(due)) = (facts.last_set, facts.next_due) else {
                continue;
            };
            if due > now {
                continue;
            }
            let age = now.duration_since(last).as_secs() / 86_400;
            out.push(about(
                self.id(),
                Severity::Warning,
                var,
                var.location(cx),
                format!(
                    "{} was last set {} ({age} days ago) and is rotated every {}: due since {}; run `envward rotate {}`",
                    var.name,
                    day(last),
                    facts.every,
                    day(due),
                    var.name
                ),
            ));
        }
        for (name, overlap) in &state.overlaps {
            if overlap.promote_after > now {
                continue;
            }
            let message = format!(
                "{} has held the new value of {name} beside the old one since {}; promote it: `envward rotate {name} --promote`",
                overlap.secondary,
                day(overlap.started)
            );
            match cx.vars.iter().find(|v| v.name == *name) {
                Some(var) => out.push(about(
                    self.id(),
                    Severity::Warning,
                    var,
                    var.location(cx),
                    message,
                )),
                None => out.push(file_finding(cx, Some(name.clone()), message)),
            }
        }
        if let Some(p) = &state.pending {
            let what = if !p.env_written {
                "the live file still has the old value; `envward rotate --resume` finishes it, `envward rotate --undo` takes it back"
            } else if !p.database.is_empty() {
                "the live file has the new value but the database does not yet; `envward rotate --resume --apply` changes it"
            } else {
                "services still run with the old value; `envward rotate --resume --restart` recreates them"
            };
            out.push(file_finding(
                cx,
                None,
                format!(
                    "the rotation of {} started {} is unfinished: {what}",
                    p.vars.join(", "),
                    day(p.started)
                ),
            ));
        }
    }
}

fn file_finding(cx: &Context<'_>, variable: Option<String>, message: String) -> Finding {
    Finding {
        rule: RuleId::RotationDue,
        severity: Severity::Warning,
        variable,
        file: cx.input.live_path.to_path_buf(),
        position: Position { line: 1, column: 1 },
        message,
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::testkit::{Fixture, vars_of};
    use crate::analysis::{FileFacts, RuleId};
    use crate::rotate::{Overlap, State};

    fn t(s: &str) -> jiff::Timestamp {
        s.parse().unwrap()
    }

    fn facts(state: State) -> FileFacts {
        FileFacts {
            mode: Some(0o600),
            rotation: state,
            ..FileFacts::default()
        }
    }

    const LIVE: &str = "POSTGRES_PASSWORD=Zr4qW9xLp2mN7vBZr4qW9xLp2mN7vB11aa\nJWT_SIGNING_KEY=0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0\nAPP_NAME=shop\n";

    #[test]
    fn due_exactly_when_older_than_the_schedule() {
        let mut state = State::default();
        for name in ["POSTGRES_PASSWORD", "JWT_SIGNING_KEY", "APP_NAME"] {
            state.set.insert(name.into(), t("2025-01-01T00:00:00Z"));
        }
        let at = |now: &str| {
            vars_of(
                &Fixture::new()
                    .live(LIVE)
                    .facts(facts(state.clone()))
                    .now(t(now))
                    .run(),
                RuleId::RotationDue,
            )
        };
        assert!(
            at("2025-03-31T00:00:00Z").is_empty(),
            "89 days: nothing due"
        );
        assert_eq!(at("2025-04-02T00:00:00Z"), vec!["POSTGRES_PASSWORD"]);
        assert_eq!(
            at("2026-01-02T00:00:00Z"),
            vec!["POSTGRES_PASSWORD", "JWT_SIGNING_KEY"],
            "a year on the signing key is due too; configuration never is"
        );
    }

    #[test]
    fn unknown_dates_are_never_due_and_config_can_opt_out() {
        let inv = Fixture::new()
            .live(LIVE)
            .now(t("2030-01-01T00:00:00Z"))
            .run();
        assert!(vars_of(&inv, RuleId::RotationDue).is_empty());
        let mut state = State::default();
        state
            .set
            .insert("POSTGRES_PASSWORD".into(), t("2025-01-01T00:00:00Z"));
        let inv = Fixture::new()
            .live(LIVE)
            .config("[vars.POSTGRES_PASSWORD]\nrotate_every = \"never\"\n")
            .facts(facts(state))
            .now(t("2030-01-01T00:00:00Z"))
            .run();
        assert!(vars_of(&inv, RuleId::RotationDue).is_empty());
        let v = inv.get("POSTGRES_PASSWORD").unwrap();
        assert_eq!(v.rotation.unwrap().next_due, None);
    }

    #[test]
    fn a_promotion_is_due_after_the_overlap() {
        let mut state = State::default();
        state.overlaps.insert(
            "JWT_SIGNING_KEY".into(),
            Overlap {
                secondary: "JWT_SIGNING_KEY_SECONDARY".into(),
                started: t("2025-01-01T00:00:00Z"),
                promote_after: t("2025-01-08T00:00:00Z"),
            },
        );
        let run = |now: &str| {
            Fixture::new()
                .live(LIVE)
                .facts(facts(state.clone()))
                .now(t(now))
                .run()
        };
        assert!(vars_of(&run("2025-01-07T00:00:00Z"), RuleId::RotationDue).is_empty());
        let inv = run("2025-01-09T00:00:00Z");
        assert_eq!(vars_of(&inv, RuleId::RotationDue), vec!["JWT_SIGNING_KEY"]);
        assert!(inv.findings[0].message.contains("--promote"));
    }
}
