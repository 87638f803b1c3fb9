//! What a rotation does, as data: the new values (the variable's group, the URLs that carry
//! it and the tokens signed with it follow, through [`crate::plan::propagate`]), the servers
//! that must learn the new password first, the services to recreate one at a time, and what
//! to check afterwards.
//!
//! The order is the secrets strategy's zero-downtime procedure: the database first (so it
//! accepts the new password before any client uses it), then the env file, then each service
//! that uses the value, recreated one by one. A server that reads its password each time it
//! starts (`MinIO`) has nothing to run first: it is recreated before its clients instead.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use secrecy::{ExposeSecret, SecretString};

use super::recipe::Recipe;
use super::schedule;
use crate::analysis::{Class, Inventory, Knowledge, Variable};
use crate::compose::{Scope, Service};
use crate::config::Config;
use crate::dotenv::Document;
use crate::generate::{self, GenerateError};
use crate::interpolate;
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
    /// The named volumes each service mounts (for the plan's words only).
    pub volumes: &'a BTreeMap<String, Vec<String>>,
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

impl RotationPlan {
    /// The names whose value changes or disappears.
    pub fn names(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .changes
            .changes
            .iter()
            .map(|c| c.name.clone())
            .collect();
        out.extend(self.removed.iter().cloned());
        out
    }

    /// Servers envward changes itself with `--apply`.
    pub fn runnable(&self) -> impl Iterator<Item = &ServerStep> {
        self.servers.iter().filter(|s| s.runnable())
    }

    /// The numbered steps, as lines for people: `compose` is the `docker compose …` prefix
    /// (with the project's `-f` and `--env-file`), `env` the live file as shown.
    pub fn steps(&self, compose: &[String], env: &str) -> Vec<String> {
        let cmd = |rest: &[String]| -> String {
            compose
                .iter()
                .chain(rest)
                .map(|a| shell_word(a))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut out = Vec::new();
        let mut n = 0;
        let mut step = |out: &mut Vec<String>, text: String| {
            n += 1;
            out.push(format!("{n}. {text}"));
        };
        for s in self
            .servers
            .iter()
            .filter(|s| !s.recipe.as_ref().is_some_and(|r| r.restart_first))
        {
            let place = if s.volumes.is_empty() {
                String::new()
            } else {
                format!(" (its data is in volume {})", s.volumes.join(", "))
            };
            step(&mut out, format!("{}{place}: {}", s.service, s.describe()));
            if let Some(r) = &s.recipe {
                match &s.user {
                    Some(user) => {
                        let mut rest =
                            vec!["exec".to_string(), "-T".to_string(), s.service.clone()];
                        rest.extend(r.args(user));
                        out.push(format!(
                            "     {}  < new value on standard input",
                            cmd(&rest)
                        ));
                    }
                    None => out.push(format!(
                        "     the user name is unknown: set {} in the compose file",
                        r.user.as_deref().unwrap_or("the user variable")
                    )),
                }
            }
        }
        step(
            &mut out,
            format!("write {env} (the version it replaces stays in an encrypted backup)"),
        );
        if self.recreate.is_empty() {
            step(
                &mut out,
                "no compose service uses it: nothing to recreate".to_string(),
            );
        } else {
            step(
                &mut out,
                "recreate each service that uses it, one at a time:".to_string(),
            );
            for s in &self.recreate {
                let rest: Vec<String> = ["up", "-d", "--no-deps", "--force-recreate", s]
                    .iter()
                    .map(|a| (*a).to_string())
                    .collect();
                out.push(format!("     {}", cmd(&rest)));
            }
            let mut verify = format!(
                "verify: `{}` shows them running",
                cmd(&[vec!["ps".to_string()], self.recreate.clone()].concat())
            );
            for s in &self.servers {
                if let Some(log) = s.recipe.as_ref().and_then(|r| r.failure_log.as_deref()) {
                    let _ = write!(
                        verify,
                        ", and `{}` has no \"{log}\"",
                        cmd(&[
                            "logs".to_string(),
                            "--since".to_string(),
                            "10m".to_string(),
                            s.service.clone()
                        ])
                    );
                }
            }
            step(&mut out, verify);
        }
        for e in &self.external {
            step(
                &mut out,
                format!(
                    "revoke the old {e} with its provider once the services run with the new one"
                ),
            );
        }
        out
    }
}

/// A word as a POSIX shell would need it to be typed (for the commands the plan prints).
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_=./:,@%+".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
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
pub fn apply(live: Option<&Document>, example: Option<&Document>, p: &RotationPlan) -> Document {
    let mut doc = plan::apply(live, example, &p.changes);
    for name in &p.removed {
        doc.remove(name);
    }
    doc
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

/// The servers, the services to recreate in order, and the notes, for `names`.
fn order(input: &RotateInput<'_>, out: &mut RotationPlan, names: &[String]) {
    let names = names.to_vec();
    out.servers = servers(input, &names);
    let users = services_using(input, &names);
    let first: Vec<String> = out
        .servers
        .iter()
        .filter(|s| s.recipe.as_ref().is_some_and(|r| r.restart_first))
        .map(|s| s.service.clone())
        .collect();
    let changed_in_db: Vec<&str> = out
        .servers
        .iter()
        .filter(|s| !s.recipe.as_ref().is_some_and(|r| r.restart_first))
        .map(|s| s.service.as_str())
        .collect();
    // Servers that read the value at start go first (their clients need them); servers that
    // already hold the new value go last (recreating them only keeps compose's view in step).
    let mut order: Vec<String> = first.clone();
    order.extend(
        users
            .iter()
            .filter(|s| !first.contains(s) && !changed_in_db.contains(&s.as_str()))
            .cloned(),
    );
    order.extend(
        users
            .iter()
            .filter(|s| !first.contains(s) && changed_in_db.contains(&s.as_str()))
            .cloned(),
    );
    out.recreate = order;
    for s in &out.servers {
        if let Some(note) = s.recipe.as_ref().and_then(|r| r.note.as_ref())
            && !out.notes.contains(note)
        {
            out.notes.push(note.clone());
        }
    }
}

/// Whether a service loads the live file whole (`env_file: .env`).
fn loads_live(input: &RotateInput<'_>, service: &Service) -> bool {
    service.env_files.iter().any(|f| f.path == input.live_path)
}

/// The services that use any of `names`, in the project's order: through a reference in
/// their definition, or by loading the live file with `env_file:`.
pub fn services_using(input: &RotateInput<'_>, names: &[String]) -> Vec<String> {
    let project = input.plan.project;
    project
        .services
        .iter()
        .filter(|s| {
            loads_live(input, s)
                || project.references.iter().any(|r| {
                    matches!(&r.scope, Scope::Service(svc) if *svc == s.name)
                        && names.contains(&r.name)
                })
        })
        .map(|s| s.name.clone())
        .collect()
}

/// The env-file variables among `names` that feed a container variable of `service`, by
/// that container variable.
fn feeds(
    input: &RotateInput<'_>,
    service: &Service,
    container_var: &str,
    password_role: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    match service.environment.iter().find(|e| e.key == container_var) {
        Some(entry) => match &entry.value {
            None => out.push(container_var.to_string()),
            Some(v) => out.extend(
                interpolate::references(v)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|r| r.name),
            ),
        },
        None if loads_live(input, service) => out.push(container_var.to_string()),
        None => {}
    }
    // Redis takes its password on the command line (`--requirepass ${REDIS_PASSWORD}`).
    if password_role {
        let command = format!("services.{}.command", service.name);
        out.extend(
            input
                .plan
                .project
                .references
                .iter()
                .filter(|r| r.key_path.starts_with(&command))
                .map(|r| r.name.clone()),
        );
    }
    out
}

/// The value a container variable gets: its `environment:` entry interpolated with the
/// project environment, or the project's own value when the service loads the live file.
fn container_value(input: &RotateInput<'_>, service: &Service, var: &str) -> Option<String> {
    let env = &input.plan.project.environment;
    let lookup = |k: &str| env.get(k).cloned();
    match service.environment.iter().find(|e| e.key == var) {
        Some(e) => match &e.value {
            Some(v) => interpolate::substitute(v, &lookup).ok(),
            None => env.get(var).cloned(),
        },
        None if loads_live(input, service) => env.get(var).cloned(),
        None => None,
    }
    .filter(|v| !v.is_empty())
}

/// The servers whose own copy of a rotated value must change first: each service whose
/// image has a recipe for (or initialises its volume from) a container variable that one of
/// `names` feeds.
pub fn servers(input: &RotateInput<'_>, names: &[String]) -> Vec<ServerStep> {
    let mut out = Vec::new();
    for service in &input.plan.project.services {
        let Some(image_name) = &service.image else {
            continue;
        };
        let Some(image) = input.knowledge.image(image_name) else {
            continue;
        };
        let mut vars: Vec<(&String, &crate::analysis::knowledge::ValueRules)> =
            image.vars.iter().collect();
        vars.sort_by(|a, b| a.0.cmp(b.0));
        for (container_var, rules) in vars {
            let recipe = image.recipes.get(container_var);
            if recipe.is_none() && !rules.initializes {
                continue;
            }
            let password_role = image.family.as_deref() == Some("redis")
                && rules.server == Some(crate::analysis::knowledge::ServerRole::Password);
            for source in feeds(input, service, container_var, password_role) {
                if !names.contains(&source) {
                    continue;
                }
                // A recipe that names no user variable needs none (it logs in as root).
                let user = recipe.and_then(|r| match r.user.as_deref() {
                    Some(u) => {
                        container_value(input, service, u).or_else(|| r.default_user.clone())
                    }
                    None => Some(r.default_user.clone().unwrap_or_default()),
                });
                out.push(ServerStep {
                    service: service.name.clone(),
                    image: image_name.clone(),
                    var: source,
                    container_var: container_var.clone(),
                    recipe: recipe.cloned(),
                    user,
                    volumes: input
                        .volumes
                        .get(&service.name)
                        .cloned()
                        .unwrap_or_default(),
                });
            }
        }
    }
    out.dedup_by(|a, b| a.service == b.service && a.container_var == b.container_var);
    out
}

#[cfg(test)]
mod tests;
