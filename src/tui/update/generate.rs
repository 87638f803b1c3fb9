//! Generating values: `g` for the selected secret, `G` for every fixable one, asking first
//! before a saved value that passes (or one a database volume was initialised with) is
//! replaced.

use std::fmt::Write as _;

use secrecy::ExposeSecret;

use super::{Cmd, Model, Msg, Tone, change, say};
use crate::analysis::{Class, Status};
use crate::plan::Step;
use crate::plan::{self, Change};
use crate::tui::model::{Confirm, Mode, Pending};

/// The planning input for the working copy.
pub(super) fn input(model: &Model) -> plan::PlanInput<'_> {
    plan::PlanInput {
        inventory: &model.inv,
        live: model.doc(),
        example: model.ws.example.as_ref().map(|e| &e.document),
        project: &model.ws.project,
        now: model.now,
    }
}

/// The service whose database volume `name` initialises, with its image, if any.
pub fn initialises_volume(model: &Model, name: &str) -> Option<(String, String)> {
    model.ws.project.services.iter().find_map(|s| {
        let image = s.image.as_deref()?;
        let short = crate::analysis::knowledge::image_name(image);
        // The image reads these only when it initialises its data volume
        // (`initializes = true` in templates/images.toml).
        let known = model.knowledge.image(image)?;
        s.environment
            .iter()
            .filter(|e| known.vars.get(&e.key).is_some_and(|r| r.initializes))
            .any(|e| match &e.value {
                None => e.key == name,
                Some(v) => crate::interpolate::references(v)
                    .unwrap_or_default()
                    .iter()
                    .any(|r| r.name == name),
            })
            .then(|| (s.name.clone(), short.to_string()))
    })
}

/// Whether `name` still has the non-empty value it has on disk: a saved value may already
/// be in use (a database initialised with it); an unsaved replacement is only a draft.
fn saved(model: &Model, name: &str) -> bool {
    let on_disk = |d: &crate::dotenv::Document| {
        d.get(name)
            .map(|e| e.raw_value().to_string())
            .filter(|v| !v.is_empty())
    };
    let disk = model.disk.as_ref().and_then(|d| on_disk(&d.document));
    disk.is_some() && disk == model.doc().and_then(on_disk)
}

fn volume_warning(model: &Model, names: &[&str]) -> String {
    let hits: Vec<String> = names
        .iter()
        .filter_map(|n| initialises_volume(model, n).map(|(s, i)| format!("{n} ({s}, image {i})")))
        .collect();
    if hits.is_empty() {
        String::new()
    } else {
        format!(
            " It initialises a database volume: {}. The database keeps the value it started \
             with, so a new one here locks the app out; change it with `envward rotate`, \
             which also changes it in the database.",
            hits.join(", ")
        )
    }
}

pub(super) fn generate_selected(model: &mut Model) -> Option<Cmd> {
    let Some((_, var)) = model.selected_var() else {
        say(model, Tone::Warn, "Nothing selected");
        return None;
    };
    let name = var.name.clone();
    match (var.class, var.kind) {
        (Class::Secret, Some(_)) => {
            // One value for its whole group: the step may be for the member a known image
            // reads; the rest follow it when the change is applied.
            let steps = plan::steps(&input(model), &[name.as_str()], true);
            if steps.is_empty() {
                let why = if let Some(with) = &var.pinned_with {
                    format!("its value is also {with}; change both together")
                } else if var.pinned {
                    "a compose file sets it to a literal, which wins over .env".to_string()
                } else if var.follows_others {
                    "it is written through another variable".to_string()
                } else {
                    "it is made from another value".to_string()
                };
                say(
                    model,
                    Tone::Warn,
                    format!("envward does not generate {name}: {why}"),
                );
                return None;
            }
            let set = saved(model, &name);
            let ok = var.status == Status::Ok;
            // The group follows: a member that initialises a volume is replaced too.
            let affected: Vec<&str> = model.inv.relations.group_of(&name).map_or_else(
                || vec![name.as_str()],
                |g| g.members.iter().map(String::as_str).collect(),
            );
            let warning = if set {
                volume_warning(model, &affected)
            } else {
                String::new()
            };
            if set && (ok || !warning.is_empty()) {
                let what = if ok {
                    format!("{name} already has a value that passes every check.")
                } else {
                    format!("{name} already has a value.")
                };
                model.mode = Mode::Confirm(Box::new(Confirm {
                    title: format!(" Replace {name}? "),
                    text: format!(
                        "{what} Generating replaces it (u undoes it until you save).{warning}"
                    ),
                    then: Pending::Generate(steps),
                }));
                return None;
            }
            Some(Cmd::Generate(steps))
        }
        (Class::External, _) => {
            say(
                model,
                Tone::Warn,
                format!(
                    "{name} is issued by a provider: envward never generates it; press e to type it"
                ),
            );
            None
        }
        _ => {
            say(
                model,
                Tone::Warn,
                format!("{name} is configuration, not a secret: press e to set it"),
            );
            None
        }
    }
}

pub(super) fn generate_all(model: &mut Model) -> Option<Cmd> {
    let names: Vec<&str> = model
        .inv
        .variables
        .iter()
        .filter(|v| plan::is_fillable(v, &super::FIXABLE))
        .map(|v| v.name.as_str())
        .collect();
    // One value per group, copied from a member that already has a good one: what `fill`
    // does, so `G` and `envward fill` agree.
    let reqs = plan::steps(&input(model), &names, false);
    if reqs.is_empty() {
        say(
            model,
            Tone::Info,
            "Nothing to generate: every secret envward can generate is fine",
        );
        return None;
    }
    // Replacing a value a database volume was initialised with locks the app out: ask.
    let replaced: Vec<&str> = reqs
        .iter()
        .filter(|r| r.copy.is_none() && saved(model, &r.name))
        .map(|r| r.name.as_str())
        .collect();
    let warning = volume_warning(model, &replaced);
    if !warning.is_empty() {
        let n = reqs.len();
        model.mode = Mode::Confirm(Box::new(Confirm {
            title: " Generate all? ".to_string(),
            text: format!(
                "G generates {n} {}; {} of them replace a value already set.{warning}",
                if n == 1 { "value" } else { "values" },
                replaced.len()
            ),
            then: Pending::Generate(reqs),
        }));
        return None;
    }
    Some(Cmd::Generate(reqs))
}

/// Performs [`Cmd::Generate`] with `rng`: the loop passes the OS generator, tests a seeded
/// one. Kept here, beside the code that reads the answer, so both agree on its shape.
pub fn generate<R: rand::TryCryptoRng + ?Sized>(requests: &[Step], rng: &mut R) -> Msg {
    Msg::Generated(requests.iter().map(|r| r.perform(rng)).collect())
}

pub(super) fn on_generated(
    model: &mut Model,
    result: Result<Vec<Change>, crate::generate::GenerateError>,
) {
    match result {
        Ok(changes) if changes.is_empty() => {}
        Ok(changes) => {
            let n = changes.len();
            let created = model.disk.is_none();
            let what = if n == 1 {
                format!("generated {}", changes[0].name)
            } else {
                format!("generated {n} values")
            };
            let mut text = if n == 1 {
                let len = changes[0].value.expose_secret().chars().count();
                format!("Generated {} ({len} chars, hidden)", changes[0].name)
            } else {
                format!("Generated {n} values (hidden)")
            };
            if created && model.ws.example.is_some() {
                let _ = write!(text, " in a new {}", model.inv.env_file.display());
            }
            text.push_str(" · s save · u undo");
            change(model, changes, what);
            say(model, Tone::Good, text);
        }
        Err(e) => say(model, Tone::Error, format!("Could not generate: {e}")),
    }
}
