//! Rotation: each secret's last-set date against its schedule.
//!
//! Nothing records those dates yet (`envward rotate`, which will write them to a state file
//! beside the live file, is still to come), so today the edge hands in
//! [`Records::NotRecorded`] and the item is "unknown". When the state file exists the edge
//! reads it into [`Records::Recorded`] and this check needs no change. The schedule is the
//! secrets strategy's table until `envward.toml` can override it.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::{Evidence, Item, ItemId, Status};
use crate::analysis::{Class, Inventory, Variable};
use crate::generate::Kind;

/// What is known about when each value last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Records {
    /// No record exists; the reason says why (for the report).
    NotRecorded {
        /// Why there is none.
        reason: String,
    },
    /// The date each variable's value was last set.
    Recorded {
        /// By variable name.
        last_set: BTreeMap<String, Timestamp>,
    },
}

/// Days between rotations, from the strategy's schedule: signing keys yearly, provider
/// tokens and webhook tokens every six months, passwords quarterly.
pub fn interval_days(var: &Variable) -> i64 {
    let name = var.name.to_ascii_uppercase();
    match (var.class, var.kind) {
        _ if name.contains("MINIO") => 365,
        (_, Some(Kind::Hex(_))) => 365,
        (Class::External, _) | (_, Some(Kind::Uuid | Kind::Token(_))) => 180,
        _ => 90,
    }
}

/// The rotation item.
pub fn check(inventory: &Inventory, records: &Records, as_of: Timestamp) -> Item {
    let last_set = match records {
        Records::NotRecorded { reason } => {
            return Item::new(
                ItemId::Rotation,
                Status::Unknown,
                format!("no last-set dates: {reason}"),
            );
        }
        Records::Recorded { last_set } => last_set,
    };
    let mut due = Vec::new();
    let mut undated = Vec::new();
    let secrets: Vec<&Variable> = inventory
        .variables
        .iter()
        .filter(|v| v.class.is_sensitive() && v.in_env)
        .collect();
    for var in &secrets {
        let Some(when) = last_set.get(&var.name) else {
            undated.push(var.name.clone());
            continue;
        };
        let age = as_of.duration_since(*when).as_secs() / 86_400;
        let interval = interval_days(var);
        if age > interval {
            due.push(Evidence {
                variable: Some(var.name.clone()),
                text: format!(
                    "{}: last set {} ({age} days ago), due every {interval} days",
                    var.name,
                    super::date(*when)
                ),
                ..Evidence::default()
            });
        }
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
    use crate::analysis::testkit::Fixture;

    #[test]
    fn unknown_until_records_exist_then_judged_by_schedule() {
        let inv = Fixture::new()
            .live("DB_PASSWORD=Zr4-qW9xLp2mN7vBZr4-qW9xLp2mN7vB11\nJWT_SIGNING_KEY=ab\n")
            .run();
        let now: Timestamp = "2025-06-01T00:00:00Z".parse().unwrap();
        let none = Records::NotRecorded {
            reason: "not recorded yet".to_string(),
        };
        assert_eq!(check(&inv, &none, now).status, Status::Unknown);
        let old: Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
        let recorded = Records::Recorded {
            last_set: BTreeMap::from([
                ("DB_PASSWORD".to_string(), old),
                ("JWT_SIGNING_KEY".to_string(), old),
            ]),
        };
        let item = check(&inv, &recorded, now);
        assert_eq!(item.status, Status::Fail);
        assert_eq!(item.evidence.len(), 1, "the yearly key is not due");
        assert_eq!(item.evidence[0].variable.as_deref(), Some("DB_PASSWORD"));
    }
}
