//! Rotation: each secret's last-set date against its schedule.
//!
//! The dates come from the state file every envward write keeps beside the live file, or
//! from the backups the identity opens; the schedule is the secrets strategy's table as
//! `envward.toml` overrides it ([`crate::rotate::schedule`]). The analysis already joined
//! them into each variable's [`crate::rotate::RotationFacts`]; this check reads those. When
//! no date is known at all, the edge hands in [`Records::NotRecorded`] and the item is
//! "unknown".

use jiff::Timestamp;

use super::{Evidence, Item, ItemId, Status};
use crate::analysis::{Inventory, Variable};
use crate::rotate::schedule::day;

/// Whether any last-set date is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Records {
    /// No record exists; the reason says why (for the report).
    NotRecorded {
        /// Why there is none.
        reason: String,
    },
    /// Dates are known (in the inventory's rotation facts).
    Recorded,
}

/// The rotation item.
pub fn check(inventory: &Inventory, records: &Records, as_of: Timestamp) -> Item {
    if let Records::NotRecorded { reason } = records {
        return Item::new(
            ItemId::Rotation,
            Status::Unknown,
            format!("no last-set dates: {reason}"),
        );
    }
    let mut due = Vec::new();
    let mut undated = Vec::new();
    let secrets: Vec<&Variable> = inventory
        .variables
        .iter()
        .filter(|v| v.class.is_sensitive() && v.in_env)
        .collect();
    for var in &secrets {
        let Some(facts) = var.rotation else { continue };
        let Some(when) = facts.last_set else {
            undated.push(var.name.clone());
            continue;
        };
        let Some(next) = facts.next_due.filter(|d| *d <= as_of) else {
            continue;
        };
        let age = as_of.duration_since(when).as_secs() / 86_400;
        due.push(Evidence {
            variable: Some(var.name.clone()),
            text: format!(
                "{}: last set {} ({age} days ago), rotated every {}, due since {}",
                var.name,
                day(when),
                facts.every,
                day(next)
            ),
            ..Evidence::default()
        });
    }
    let mut item = if due.is_empty() {
        Item::new(
            ItemId::Rotation,
            Status::Pass,
            format!(
                "{} secrets within their schedule",
                secrets.len() - undated.len()
            ),
        )
    } else {
        Item::new(
            ItemId::Rotation,
            Status::Fail,
            format!("{} secrets past their rotation date", due.len()),
        )
    };
    item.evidence = due;
    if !undated.is_empty() {
        item.summary.push_str("; no date for ");
        item.summary.push_str(&undated.join(", "));
        if item.status == Status::Pass {
            item.status = Status::Unknown;
        }
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::FileFacts;
    use crate::analysis::testkit::Fixture;
    use crate::rotate::State;

    #[test]
    fn unknown_until_records_exist_then_judged_by_schedule() {
        let old: Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
        let mut state = State::default();
        state.set.insert("DB_PASSWORD".to_string(), old);
        state.set.insert("JWT_SIGNING_KEY".to_string(), old);
        let inv = Fixture::new()
            .live("DB_PASSWORD=Zr4-qW9xLp2mN7vBZr4-qW9xLp2mN7vB11\nJWT_SIGNING_KEY=ab\n")
            .facts(FileFacts {
                rotation: state,
                ..FileFacts::default()
            })
            .run();
        let now: Timestamp = "2025-06-01T00:00:00Z".parse().unwrap();
        let none = Records::NotRecorded {
            reason: "not recorded yet".to_string(),
        };
        assert_eq!(check(&inv, &none, now).status, Status::Unknown);
        let item = check(&inv, &Records::Recorded, now);
        assert_eq!(item.status, Status::Fail);
        assert_eq!(item.evidence.len(), 1, "the yearly key is not due");
        assert_eq!(item.evidence[0].variable.as_deref(), Some("DB_PASSWORD"));
    }
}
