//! What a rotation does, as data: the new values (the variable's group, the URLs that carry
//! it and the tokens signed with it follow, through [`crate::plan::propagate`]), the servers
//! that must learn the new password first, the services to recreate one at a time, and what
//! to check afterwards.
//!
//! The order is the secrets strategy's zero-downtime procedure: the database first (so it
//! accepts the new password before any client uses it), then the env file, then each service
//! that uses the value, recreated one by one. A server that reads its password each time it
//! starts (`MinIO`) has nothing to run first: it is recreated before its clients instead.

use std::collections::HashMap;
use std::path::Path;

use secrecy::{ExposeSecret, SecretString};

use super::recipe::Recipe;
use super::schedule;
use crate::analysis::{Class, Inventory, Knowledge, Variable};
use crate::config::Config;
use crate::dotenv::Document;
use crate::generate::{self, GenerateError};
use crate::plan::{self, Change, Origin, Plan, PlanInput};

/// Everything a rotation plan reads.
#[derive(Debug, Clone, Copy)]
pub struct RotateInput<'a> {
    /// The analysis, the documents, the project and the time.
    pub plan: PlanInput<'a>,
    /// Built-in knowledge (images and their recipes).
    pub knowledge: &'a Knowledge,
    /// The project's `envward.toml`.
    pub config: &'a Config,
    /// The live file's absolute path, to find services that load it with `env_file:`.
    pub live_path: &'a Path,
}

/// Why a rotation cannot be planned. Messages name variables, never values.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RotateError {
    /// No such variable.
    #[error("{0}: no such variable in the env file, the example or the compose files")]
    Unknown(String),
    /// The live file does not set it.
    #[error("{0} is not set in the env file: `envward fill` sets a missing secret")]
    NotSet(String),
    /// Configuration is not rotated.
    #[error("{0} is configuration, not a secret: there is nothing to rotate")]
    NotSecret(String),
    /// Its value is written through another variable.
    #[error("{0} is written as a reference to other variables: rotate those instead")]
    FollowsOthers(String),
    /// A derived value.
    #[error("{name} is derived from {from}: rotate {from} and it is made again")]
    Derived {
        /// The derived variable.
        name: String,
        /// Its source.
        from: String,
    },
    /// A URL carrying another variable's password.
    #[error(
        "{name} carries the password of {password_of}: rotate {password_of} and the URL follows"
    )]
    Url {
        /// The URL variable.
        name: String,
        /// The password's variable.
        password_of: String,
    },
    /// Also written as a literal in a compose file.
    #[error(
        "{0} is also written as a literal in a compose file (see `envward check`): change it there to a reference first"
    )]
    Pinned(String),
    /// Its value is also kept in another env file a service reads.
    #[error(
        "{0}'s value is also {1}: envward writes only the live file, so change both together (or make one a ${{…}} reference to the other)"
    )]
    PinnedWith(String, String),
    /// An external credential without a new value.
    #[error(
        "{0} is issued by a provider: envward never generates it; type the new one (on a terminal) or pass it with --value-stdin"
    )]
    NeedsValue(String),
    /// The typed value is empty.
    #[error("the new value of {0} is empty")]
    EmptyValue(String),
    /// The typed value is the current one.
    #[error("the new value of {0} is the one it already has")]
    SameValue(String),
    /// An overlap is already running.
    #[error(
        "{secondary} is already set: an overlap of {name} is running; promote it first (`envward rotate {name} --promote`)"
    )]
    OverlapRunning {
        /// The variable.
        name: String,
        /// Its secondary.
        secondary: String,
    },
    /// Nothing to promote.
    #[error(
        "{secondary} is not set: there is no new value of {name} to promote (start with `envward rotate {name} --overlap`)"
    )]
    NothingToPromote {
        /// The variable.
        name: String,
        /// Its secondary.
        secondary: String,
    },
    /// A value could not be generated.
    #[error(transparent)]
    Generate(#[from] GenerateError),
}

/// A server that must learn the new value before its clients do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerStep {
    /// The compose service running it.
    pub service: String,
    /// Its image, as written.
    pub image: String,
    /// The env-file variable rotated.
    pub var: String,
    /// The container variable it feeds.
    pub container_var: String,
    /// How to change it; `None` when envward knows none (the user does it by hand).
    pub recipe: Option<Recipe>,
    /// The server's user name (from the compose file, or the image's default).
    pub user: Option<String>,
    /// Named volumes the service mounts (where its data lives).
    pub volumes: Vec<String>,
}

impl ServerStep {
    /// Whether envward can run this step (a recipe with a command and a known user).
    pub fn runnable(&self) -> bool {
        self.recipe.as_ref().is_some_and(|r| !r.restart_first) && self.user.is_some()
    }

    /// The step in words.
    pub fn describe(&self) -> String {
        let user = self.user.as_deref().unwrap_or("?");
        match &self.recipe {
            Some(r) => r.describe(user),
            None => format!(
                "change {} in the server by hand: {} reads it only when its data volume is first created, and envward has no recipe for it",
                self.container_var, self.image
            ),
        }
    }
}

/// A rotation, planned.
#[derive(Debug, Clone, Default)]
pub struct RotationPlan {
    /// The variables asked for.
    pub rotated: Vec<String>,
    /// Every change to the env file (followers included).
    pub changes: Plan,
    /// Variables the env file loses (a promoted secondary).
    pub removed: Vec<String>,
    /// Servers to change before anything else, in order.
    pub servers: Vec<ServerStep>,
    /// Services to recreate, in order (servers that read the value at start come first).
    pub recreate: Vec<String>,
    /// External credentials rotated: the old one must be revoked with the provider.
    pub external: Vec<String>,
    /// Things to know, one sentence each.
    pub notes: Vec<String>,
}

/// Whether `name` can be rotated, and the variable it is.
pub fn target<'a>(inv: &'a Inventory, name: &str) -> Result<&'a Variable, RotateError> {
    let var = inv
        .get(name)
        .ok_or_else(|| RotateError::Unknown(name.to_string()))?;
    if var.class == Class::Config {
        return Err(RotateError::NotSecret(name.to_string()));
    }
    if let Some(d) = inv.relations.derivation_of(name) {
        return Err(RotateError::Derived {
            name: name.to_string(),
            from: d.from.clone(),
        });
    }
    if let Some(u) = inv.relations.url_of(name) {
        return Err(RotateError::Url {
            name: name.to_string(),
            password_of: u.password_of.clone(),
        });
    }
    if var.follows_others {
        return Err(RotateError::FollowsOthers(name.to_string()));
    }
    if !var.in_env {
        return Err(RotateError::NotSet(name.to_string()));
    }
    if let Some(with) = &var.pinned_with {
        return Err(RotateError::PinnedWith(name.to_string(), with.clone()));
    }
    if var.pinned {
        return Err(RotateError::Pinned(name.to_string()));
    }
    Ok(var)
}

/// The secrets due at `now` that can be rotated themselves (a follower is rotated with the
/// variable it follows).
pub fn due(inv: &Inventory, now: jiff::Timestamp) -> Vec<String> {
    inv.variables
        .iter()
        .filter(|v| v.rotation.is_some_and(|r| r.is_due(now)))
        .filter(|v| target(inv, &v.name).is_ok())
        .map(|v| v.name.clone())
        .collect()
}

fn current_values(input: &RotateInput<'_>) -> HashMap<String, String> {
    input
        .plan
        .live
        .map(super::state::values_of)
        .unwrap_or_default()
}

/// A new value for `var`: `typed` when given, else generated for its kind with the
/// constraints every member of its group can live with.
fn new_value<R: rand::TryCryptoRng + ?Sized>(
    input: &RotateInput<'_>,
    var: &Variable,
    typed: Option<&SecretString>,
    rng: &mut R,
) -> Result<(SecretString, Origin), RotateError> {
    let current = current_values(input);
    if let Some(v) = typed {
        if v.expose_secret().is_empty() {
            return Err(RotateError::EmptyValue(var.name.clone()));
        }
        if current.get(&var.name).map(String::as_str) == Some(v.expose_secret()) {
            return Err(RotateError::SameValue(var.name.clone()));
        }
        return Ok((v.clone(), Origin::Typed));
    }
    if var.class == Class::External {
        return Err(RotateError::NeedsValue(var.name.clone()));
    }
    let inv = input.plan.inventory;
    let members: Vec<&Variable> = inv.relations.group_of(&var.name).map_or_else(
        || vec![var],
        |g| g.members.iter().filter_map(|m| inv.get(m)).collect(),
    );
    let constraints = plan::merged_constraints(&members);
    let value = generate::generate(var.kind.unwrap_or_default(), &constraints, rng)?;
    Ok((value, Origin::Generated))
}

/// Plans the rotation of `names`: a new value each (`typed` ones as given), everything that
/// follows them, the servers to change first and the services to recreate.
pub fn plan_rotation<R: rand::TryCryptoRng + ?Sized, S: std::hash::BuildHasher>(
    input: &RotateInput<'_>,
    names: &[String],
    typed: &HashMap<String, SecretString, S>,
    rng: &mut R,
) -> Result<RotationPlan, RotateError> {
    let inv = input.plan.inventory;
    let mut changes = Vec::new();
    let mut external = Vec::new();
    for name in names {
        let var = target(inv, name)?;
        if changes.iter().any(|c: &Change| c.name == *name) {
            continue;
        }
        let (value, origin) = new_value(input, var, typed.get(name), rng)?;
        if var.class == Class::External {
            external.push(name.clone());
        }
        changes.push(Change {
            name: name.clone(),
            kind: var.kind.unwrap_or_default(),
            status: var.status,
            reason: "rotated".to_string(),
            value,
            origin,
        });
    }
    let changes = plan::propagate(&input.plan, changes);
    let mut out = RotationPlan {
        rotated: names.to_vec(),
        changes,
        external,
        ..RotationPlan::default()
    };
    finish(input, &mut out);
    Ok(out)
}

/// Plans an overlap: the new value goes to the secondary variable, the old one stays.
pub fn plan_overlap<R: rand::TryCryptoRng + ?Sized>(
    input: &RotateInput<'_>,
    name: &str,
    typed: Option<&SecretString>,
    rng: &mut R,
) -> Result<RotationPlan, RotateError> {
    let inv = input.plan.inventory;
    let var = target(inv, name)?;
    let secondary = schedule::secondary_name(input.config, name);
    if current_values(input).contains_key(&secondary) {
        return Err(RotateError::OverlapRunning {
            name: name.to_string(),
            secondary,
        });
    }
    let (value, origin) = new_value(input, var, typed, rng)?;
    let mut out = RotationPlan {
        rotated: vec![name.to_string()],
        changes: Plan {
            changes: vec![Change {
                name: secondary.clone(),
                kind: var.kind.unwrap_or_default(),
                status: var.status,
                reason: format!("new value of {name}, beside the old one"),
                value,
                origin,
            }],
        },
        ..RotationPlan::default()
    };
    let mut names = out.names();
    names.push(name.to_string());
    out.recreate = services_using(input, &names);
    if !input
        .plan
        .project
        .references
        .iter()
        .any(|r| r.name == secondary)
        && !input
            .plan
            .project
            .services
            .iter()
            .any(|s| loads_live(input, s))
    {
        out.notes.push(format!(
            "no compose service reads {secondary}: add it to the environment of the services that use {name}, so they accept what the new value signs while the old one still works"
        ));
    }
    Ok(out)
}

/// Plans a promotion: the secondary's value becomes the variable's (its followers follow)
/// and the secondary is removed.
pub fn plan_promote(input: &RotateInput<'_>, name: &str) -> Result<RotationPlan, RotateError> {
    let inv = input.plan.inventory;
    let var = target(inv, name)?;
    let secondary = schedule::secondary_name(input.config, name);
    let Some(value) = current_values(input).remove(&secondary) else {
        return Err(RotateError::NothingToPromote {
            name: name.to_string(),
            secondary,
        });
    };
    let changes = plan::propagate(
        &input.plan,
        vec![Change {
            name: name.to_string(),
            kind: var.kind.unwrap_or_default(),
            status: var.status,
            reason: format!("promoted from {secondary}"),
            value: SecretString::from(value),
            origin: Origin::Copied {
                from: secondary.clone(),
            },
        }],
    );
    let mut out = RotationPlan {
        rotated: vec![name.to_string()],
        changes,
        removed: vec![secondary],
        ..RotationPlan::default()
    };
    finish(input, &mut out);
    Ok(out)
}

/// Applies a plan to the live document: the changes, then the removals.
///
/// # Errors
/// A change that would not read back as written (see [`plan::apply`]).
pub fn apply(
    live: Option<&Document>,
    example: Option<&Document>,
    p: &RotationPlan,
) -> Result<Document, crate::dotenv::EditError> {
    let mut doc = plan::apply(live, example, &p.changes)?;
    for name in &p.removed {
        doc.remove(name);
    }
    Ok(doc)
}

/// The steps of rotating `names` without choosing values: the variables that would follow
/// them (their groups, the URLs carrying them, the tokens signed with them), the servers to
/// change first and the services to recreate. For faces that show the plan before any value
/// exists (the TUI's rotate action draws its value through the loop).
pub fn outline(input: &RotateInput<'_>, names: &[String]) -> RotationPlan {
    let inv = input.plan.inventory;
    let mut all: Vec<String> = names.to_vec();
    loop {
        let mut next: Vec<String> = Vec::new();
        for n in &all {
            if let Some(g) = inv.relations.group_of(n) {
                next.extend(g.members.iter().cloned());
            }
        }
        next.extend(
            inv.relations
                .urls
                .iter()
                .filter(|u| all.contains(&u.password_of))
                .map(|u| u.url.clone()),
        );
        next.extend(
            inv.relations
                .derived
                .iter()
                .filter(|d| all.contains(&d.from))
                .map(|d| d.var.clone()),
        );
        let before = all.len();
        for n in next {
            if !all.contains(&n) {
                all.push(n);
            }
        }
        if all.len() == before {
            break;
        }
    }
    let mut out = RotationPlan {
        rotated: names.to_vec(),
        external: names
            .iter()
            .filter(|n| inv.get(n).is_some_and(|v| v.class == Class::External))
            .cloned()
            .collect(),
        ..RotationPlan::default()
    };
    order(input, &mut out, &all);
    out
}

/// Adds the servers, the services to recreate and the notes.
fn finish(input: &RotateInput<'_>, out: &mut RotationPlan) {
    let names = out.names();
    order(input, out, &names);
}

mod compose_uses;
mod steps;

use compose_uses::{loads_live, order};
pub use compose_uses::{servers, services_using};

#[cfg(test)]
mod tests;
