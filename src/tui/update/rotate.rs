//! The TUI's rotate action (`t`): the same plan as `envward rotate`, shown before the new
//! value is drawn through the loop's generator ([`Cmd::Generate`]), which then changes the
//! working copy the way `g` does (its group, URLs and signed tokens follow). Saving writes it
//! with the usual backups and dates it. The steps that touch servers and containers are left
//! to `envward rotate`, which the plan names; a provider's credential is typed with `e`.

use std::fmt::Write as _;

use super::{Tone, say};
use crate::analysis::Class;
use crate::rotate::plan::{self as rplan, RotateInput};
use crate::tui::model::{Mode, Model};
use crate::tui::msg::Cmd;

/// Shows the rotation plan of the selected variable and asks for its new value.
pub fn rotate_selected(model: &mut Model) -> Option<Cmd> {
    let Some((_, var)) = model.selected_var() else {
        say(model, Tone::Warn, "Nothing selected");
        return None;
    };
    let name = var.name.clone();
    let var = match rplan::target(&model.inv, &name) {
        Ok(v) => v,
        Err(e) => {
            say(model, Tone::Warn, e.to_string());
            return None;
        }
    };
    let class = var.class;
    let live = model.doc().cloned();
    let outline = rplan::outline(
        &RotateInput {
            plan: crate::plan::PlanInput {
                inventory: &model.inv,
                live: live.as_ref(),
                example: model.ws.example.as_ref().map(|e| &e.document),
                project: &model.ws.project,
                now: model.now,
            },
            knowledge: &model.knowledge,
            config: &model.ws.config,
            live_path: &model.ws.project.env_file,
        },
        std::slice::from_ref(&name),
    );
    let env = model.inv.env_file.display().to_string();
    let compose = ["docker".to_string(), "compose".to_string()];
    let mut text = match class {
        Class::External => format!(
            "{name} is issued by a provider: get a new one there, type it with e, then save (s). Then:\n"
        ),
        _ => format!("A new {name} is generated now (hidden); s saves it. Then:\n"),
    };
    for line in outline.steps(&compose, &env) {
        text.push_str(&line);
        text.push('\n');
    }
    if outline.runnable().next().is_some() {
        let _ = write!(
            text,
            "Saving here changes only the env file: the database must learn the value first. \
             To have envward do every step in this order, undo (u) and run \
             `envward rotate {name} --apply --restart`."
        );
    }
    model.mode = Mode::RotationPlan(text);
    match class {
        Class::External => None,
        // One value for its group, as `g` makes it; the rest follows when it is applied.
        _ => Some(Cmd::Generate(crate::plan::steps(
            &super::generate::input(model),
            &[name.as_str()],
            true,
        ))),
    }
}
