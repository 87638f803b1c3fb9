//! Moving through the list: keys, `n`/`N` to the next problem, the mouse, and the list of
//! every finding.

use super::{Model, Tone, say};
use crate::tui::keys::Action;
use crate::tui::model::{Filter, Mode, Row};
use crate::tui::rows::has_problem;

/// Moves the selection by `delta` variable rows (section headings are skipped), clamped.
pub(super) fn move_by(model: &mut Model, delta: isize) {
    model.settle();
    let Some(current) = model.selected else {
        return;
    };
    let is_var = |r: &Row| matches!(r, Row::Var(_));
    let target = match delta {
        isize::MIN => model.rows.iter().position(is_var),
        isize::MAX => model.rows.iter().rposition(is_var),
        d => {
            let mut at = current;
            let mut left = d.unsigned_abs();
            let mut last_var = current;
            while left > 0 {
                let next = if d < 0 {
                    at.checked_sub(1)
                } else {
                    Some(at + 1).filter(|n| *n < model.rows.len())
                };
                let Some(n) = next else { break };
                at = n;
                if is_var(&model.rows[n]) {
                    last_var = n;
                    left -= 1;
                }
            }
            Some(last_var)
        }
    };
    if let Some(t) = target
        && t != current
    {
        model.selected = Some(t);
        model.revealed = None;
        model.scroll_into_view();
    }
}

/// Selects the next (or previous) variable with a problem, wrapping around.
pub(super) fn next_problem(model: &mut Model, forward: bool) {
    model.settle();
    let n = model.rows.len();
    if n == 0 {
        return;
    }
    let start = model.selected.unwrap_or(0);
    let found = (1..=n)
        .map(|k| {
            if forward {
                (start + k) % n
            } else {
                (start + n * 2 - k) % n
            }
        })
        .find(|&at| matches!(model.rows[at], Row::Var(i) if has_problem(&model.inv.variables[i])));
    match found {
        Some(at) => {
            model.selected = Some(at);
            model.revealed = None;
            model.scroll_into_view();
        }
        None => say(model, Tone::Good, "No variable in the list has a problem"),
    }
}

pub(super) fn on_mouse(model: &mut Model, event: crossterm::event::MouseEvent) {
    use crossterm::event::{MouseButton, MouseEventKind};
    if !matches!(model.mode, Mode::List) {
        return;
    }
    let areas = model.areas();
    let inside = |r: ratatui::layout::Rect| {
        event.column >= r.x
            && event.column < r.x + r.width
            && event.row >= r.y
            && event.row < r.y + r.height
    };
    match event.kind {
        MouseEventKind::ScrollDown if inside(areas.list) => move_by(model, 3),
        MouseEventKind::ScrollUp if inside(areas.list) => move_by(model, -3),
        MouseEventKind::Down(MouseButton::Left) if inside(areas.list) => {
            model.settle();
            // The list's first row is its title.
            let Some(line) = event.row.checked_sub(areas.list.y + 1) else {
                return;
            };
            let at = model.offset + usize::from(line);
            if matches!(model.rows.get(at), Some(Row::Var(_))) {
                model.selected = Some(at);
                model.revealed = None;
                model.scroll_into_view();
            }
        }
        MouseEventKind::Down(MouseButton::Left) if inside(areas.banner) => {
            model.mode = Mode::Problems(0);
        }
        _ => {}
    }
}

pub(super) fn on_problems(model: &mut Model, action: Action) {
    let Mode::Problems(at) = &mut model.mode else {
        return;
    };
    let n = model.inv.findings.len();
    match action {
        Action::Up => *at = at.saturating_sub(1),
        Action::Down => *at = (*at + 1).min(n.saturating_sub(1)),
        Action::Accept => {
            let name = model.inv.findings.get(*at).and_then(|f| f.variable.clone());
            model.mode = Mode::List;
            if let Some(name) = name
                && !model.select_name(&name)
            {
                {
                    // Hidden by the search or filter: show everything, then select it.
                    model.search.clear();
                    model.filter = Filter::All;
                    model.rebuild_rows();
                    if !model.select_name(&name) {
                        say(
                            model,
                            Tone::Info,
                            format!("{name} is a compose setting, not a variable of the env file"),
                        );
                    }
                }
            }
        }
        Action::Cancel => model.mode = Mode::List,
        _ => {}
    }
}
