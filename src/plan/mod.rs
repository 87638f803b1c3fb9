//! Changes as data: which variables get new values, and how a document takes them.
//!
//! [`plan_fill`] reads an [`Inventory`] and chooses a generated value for every secret whose
//! status `fill` may fix — one value per group of variables that must be equal — then
//! [`propagate`]s the consequences: members of a group take the same value, a URL that
//! carries a changed password is rewritten with it (percent-encoded), and values derived
//! from a changed secret (HS256 JWTs) are made again. [`apply`] writes a plan into the live
//! document (or into a new document made from the example's structure) rewriting only the
//! entries it changes. All of it is pure: randomness comes from the caller's generator and
//! the time from the caller.

use std::collections::HashMap;

use secrecy::{ExposeSecret, SecretString};

use crate::analysis::{Class, Inventory, Status, Variable};
use crate::compose::Project;
use crate::dotenv::Document;
use crate::generate::{self, Constraints, GenerateError, Kind};

mod propagate;

pub use propagate::propagate;
use propagate::propagate_with;

/// Why a change is in the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A new value was generated for it.
    Generated,
    /// It takes the value generated for another member of its group.
    Group {
        /// The member whose value it takes.
        leader: String,
    },
    /// It takes the (good) value another member of its group already has.
    Copied {
        /// The member whose value it takes.
        from: String,
    },
    /// A URL whose password is another variable's value, rewritten with it.
    Url {
        /// The variable whose value is the password.
        password_of: String,
    },
    /// A value derived from another (a JWT signed with it), made again.
    Derived {
        /// The source.
        from: String,
    },
    /// A value the user typed (the TUI's editor, `rotate` for an external credential).
    Typed,
}

impl Origin {
    /// What the change does, in words (no value).
    pub fn describe(&self) -> String {
        match self {
            Origin::Generated => "new value".to_string(),
            Origin::Typed => "typed value".to_string(),
            Origin::Group { leader } => format!("same value as {leader}"),
            Origin::Copied { from } => format!("copies {from}'s value"),
            Origin::Url { password_of } => format!("URL rewritten with {password_of}"),
            Origin::Derived { from } => format!("token signed with {from}"),
        }
    }
}

/// One planned change. The value is a secret: it has no `Display` and its `Debug` is
/// redacted.
#[derive(Debug, Clone)]
pub struct Change {
    /// The variable.
    pub name: String,
    /// How the value was generated (for a follower, its leader's kind).
    pub kind: Kind,
    /// The status that made it change.
    pub status: Status,
    /// Why, in words (no value).
    pub reason: String,
    /// The new value.
    pub value: SecretString,
    /// Why it is in the plan.
    pub origin: Origin,
}

/// A set of changes to one env file.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// In inventory order, followers right after what they follow.
    pub changes: Vec<Change>,
}

impl Plan {
    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    fn value_of(&self, name: &str) -> Option<&SecretString> {
        self.changes
            .iter()
            .find(|c| c.name == name)
            .map(|c| &c.value)
    }
}

/// What planning reads besides the inventory: the documents (for the values in force and
/// the URLs to rewrite), the compose project (for defaults that bake a URL in) and the time
/// (for new tokens).
#[derive(Debug, Clone, Copy)]
pub struct PlanInput<'a> {
    /// The analysis.
    pub inventory: &'a Inventory,
    /// The live file, when it exists.
    pub live: Option<&'a Document>,
    /// The example, which a new live file is made from.
    pub example: Option<&'a Document>,
    /// The compose project.
    pub project: &'a Project,
    /// Now.
    pub now: jiff::Timestamp,
}

impl PlanInput<'_> {
    /// The values in force, decoded as Compose reads them (the example's when there is no
    /// live file yet, since that is what the new file starts from).
    fn values(&self) -> HashMap<String, String> {
        self.live
            .or(self.example)
            .map(|d| {
                d.resolve_lenient(&|_: &str| None)
                    .into_iter()
                    .map(|b| (b.key, b.value))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Whether `fill` may generate a value for `var` under the `only` statuses.
pub fn is_fillable(var: &Variable, only: &[Status]) -> bool {
    var.class == Class::Secret
        && var.kind.is_some()
        && !var.follows_others
        && !var.pinned
        && only.contains(&var.status)
}

fn reason(inv: &Inventory, var: &Variable) -> String {
    inv.findings_of(var)
        .map(|f| f.message.clone())
        .next()
        .unwrap_or_else(|| var.status.as_str().to_string())
}

/// Constraints every member of a group can live with.
pub fn merged_constraints(members: &[&Variable]) -> Constraints {
    let mut c = Constraints::default();
    for m in members {
        let mc = &m.constraints;
        c.uri_safe |= mc.uri_safe;
        c.max_len = match (c.max_len, mc.max_len) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        c.forbidden.extend(mc.forbidden.iter().copied());
        if mc.alphabet.is_some() {
            c.alphabet.clone_from(&mc.alphabet);
        }
        for r in &mc.require {
            if !c.require.contains(r) {
                c.require.push(*r);
            }
        }
        c.no_leading.extend(mc.no_leading.iter().copied());
    }
    c
}

/// One value to make: for a variable, or for the leader of a group whose other members
/// follow it (see [`propagate`]).
#[derive(Debug, Clone)]
pub struct Step {
    /// The variable the value is made for.
    pub name: String,
    /// How to generate it.
    pub kind: Kind,
    /// What it must satisfy: every member's constraints for a group.
    pub constraints: Constraints,
    /// The status that asked for it.
    pub status: Status,
    /// Why, in words (no value).
    pub reason: String,
    /// Copy this member's good value instead of generating (its name and value).
    pub copy: Option<(String, SecretString)>,
}

impl Step {
    /// The change this step makes, with `rng` when it generates.
    pub fn perform<R: rand::TryCryptoRng + ?Sized>(
        &self,
        rng: &mut R,
    ) -> Result<Change, GenerateError> {
        let (value, origin) = match &self.copy {
            Some((from, value)) => (value.clone(), Origin::Copied { from: from.clone() }),
            None => (
                generate::generate(self.kind, &self.constraints, rng)?,
                Origin::Generated,
            ),
        };
        Ok(Change {
            name: self.name.clone(),
            kind: self.kind,
            status: self.status,
            reason: self.reason.clone(),
            value,
            origin,
        })
    }
}

/// The values to make for `names` — one per group: the good value a member already has
/// (copied, unless `regenerate`), or one value generated under every member's constraints,
/// made for the member a known image reads (its rules decide the kind). Names that are not
/// generatable secrets (external, configuration, written through another, pinned by a compose
/// literal, derived from another) are left out.
pub fn steps(input: &PlanInput<'_>, names: &[&str], regenerate: bool) -> Vec<Step> {
    let inv = input.inventory;
    let values = input.values();
    let mut out = Vec::new();
    let mut done: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let generatable = |v: &&Variable| {
        v.class == Class::Secret
            && v.kind.is_some()
            && !v.follows_others
            && !v.pinned
            && inv.relations.derivation_of(&v.name).is_none()
    };
    for var in names
        .iter()
        .filter_map(|n| inv.get(n))
        .filter(|v| generatable(v))
    {
        if !done.insert(var.name.as_str()) {
            continue;
        }
        let Some(group) = inv.relations.group_of(&var.name) else {
            out.push(Step {
                name: var.name.clone(),
                kind: var.kind.unwrap_or_default(),
                constraints: var.constraints.clone(),
                status: var.status,
                reason: reason(inv, var),
                copy: None,
            });
            continue;
        };
        let members: Vec<&Variable> = group
            .members
            .iter()
            .filter_map(|m| inv.get(m))
            .filter(|m| m.class != Class::Config && !m.follows_others && !m.pinned)
            .collect();
        done.extend(members.iter().map(|m| m.name.as_str()));
        // A member that already holds a good value is what the others must match: the
        // server it belongs to already runs with it.
        let good: Vec<&&Variable> = members
            .iter()
            .filter(|m| {
                m.status == Status::Ok && values.get(&m.name).is_some_and(|v| !v.is_empty())
            })
            .collect();
        let distinct_good: std::collections::BTreeSet<&String> =
            good.iter().filter_map(|m| values.get(&m.name)).collect();
        if !regenerate && distinct_good.len() > 1 {
            continue; // They disagree already: `mismatch` says so; nothing to copy.
        }
        if !regenerate && let Some(anchor) = good.first() {
            if let Some(m) = members.iter().find(|m| m.name != anchor.name) {
                let value = values.get(&anchor.name).cloned().unwrap_or_default();
                out.push(Step {
                    name: m.name.clone(),
                    kind: anchor.kind.or(m.kind).unwrap_or_default(),
                    constraints: m.constraints.clone(),
                    status: m.status,
                    reason: reason(inv, m),
                    copy: Some((anchor.name.clone(), SecretString::from(value))),
                });
            }
            continue;
        }
        let leader = members
            .iter()
            .find(|m| m.initializes_volume || m.classified_by.starts_with("image "))
            .or(members.first())
            .copied()
            .unwrap_or(var);
        out.push(Step {
            name: leader.name.clone(),
            kind: leader.kind.unwrap_or_default(),
            constraints: merged_constraints(&members),
            status: leader.status,
            reason: reason(inv, leader),
            copy: None,
        });
    }
    out
}

/// Plans a generated value for every secret variable whose status is in `only` — one value
/// per group — and everything that must follow. External and config variables are never
/// generated.
pub fn plan_fill<R: rand::TryCryptoRng + ?Sized>(
    input: &PlanInput<'_>,
    only: &[Status],
    rng: &mut R,
) -> Result<Plan, GenerateError> {
    let names: Vec<&str> = input
        .inventory
        .variables
        .iter()
        .filter(|v| is_fillable(v, only))
        .map(|v| v.name.as_str())
        .collect();
    let changes = steps(input, &names, false)
        .iter()
        .map(|s| s.perform(rng))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(propagate_with(input, changes, true))
}

/// A generated value for one variable, honouring its constraints.
pub fn generate_for<R: rand::TryCryptoRng + ?Sized>(
    inv: &Inventory,
    var: &Variable,
    kind: Kind,
    rng: &mut R,
) -> Result<Change, GenerateError> {
    let value = generate::generate(kind, &var.constraints, rng)?;
    Ok(Change {
        name: var.name.clone(),
        kind,
        status: var.status,
        reason: reason(inv, var),
        value,
        origin: Origin::Generated,
    })
}

/// Where a new key goes: after the nearest key that precedes it in the example and exists in
/// the live document.
fn anchor<'a>(example: Option<&'a Document>, live: &Document, key: &str) -> Option<&'a str> {
    let keys = example?.keys();
    let at = keys.iter().position(|k| *k == key)?;
    keys[..at]
        .iter()
        .rev()
        .find(|k| live.get(k).is_some())
        .copied()
}

/// Applies `plan` to the live document, or, when there is none, to a copy of the example
/// (its comments, sections and order; config and external values as the example has them).
/// Only the planned entries change. Returns the new document, or the first change that
/// cannot be written so that it reads back unchanged (nothing is applied then).
pub fn apply(
    live: Option<&Document>,
    example: Option<&Document>,
    plan: &Plan,
) -> Result<Document, crate::dotenv::EditError> {
    let mut doc = match (live, example) {
        (Some(l), _) => l.clone(),
        (None, Some(e)) => e.clone(),
        (None, None) => Document::default(),
    };
    for change in &plan.changes {
        let after = anchor(example, &doc, &change.name).map(str::to_string);
        doc.set(&change.name, change.value.expose_secret(), after.as_deref())?;
    }
    Ok(doc)
}

#[cfg(test)]
mod tests;
