//! Where a rotated value is used in the compose project: the services that use it (through
//! a reference, or by loading the live file whole), the servers that keep their own copy of
//! it (a recipe, or an image that reads it only when its volume is first created), and the
//! order in which they are recreated.

use super::{RotateInput, RotationPlan, ServerStep};
use crate::compose::{Scope, Service};
use crate::interpolate;

/// The servers, the services to recreate in order, and the notes, for `names`.
pub(super) fn order(input: &RotateInput<'_>, out: &mut RotationPlan, names: &[String]) {
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
pub(super) fn loads_live(input: &RotateInput<'_>, service: &Service) -> bool {
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
    // A password the command line hands the server (the official redis image's
    // `--requirepass`) is read from no environment entry of that name.
    if container_var.starts_with("--") {
        out.extend(crate::analysis::facts::command_line_passwords(
            service,
            input.live_path,
        ));
    }
    match service
        .environment
        .iter()
        .find(|e| e.key == container_var && !container_var.starts_with("--"))
    {
        Some(entry) => match &entry.value {
            None => out.push(container_var.to_string()),
            Some(v) => out.extend(
                interpolate::references(v)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|r| r.name),
            ),
        },
        None if loads_live(input, service) && !container_var.starts_with("--") => {
            out.push(container_var.to_string());
        }
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
                    volumes: service.named_volumes(),
                });
            }
        }
    }
    out.dedup_by(|a, b| a.service == b.service && a.container_var == b.container_var);
    out
}
