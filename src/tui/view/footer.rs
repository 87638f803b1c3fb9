//! The status line (messages, the search being typed, work in progress) and the footer:
//! the keys that matter now, from the key table, for the selected variable.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Paint;
use crate::analysis::{Class, Status};
use crate::tui::keys::{self, Action, Context};
use crate::tui::model::{Busy, Mode, Model, Tone};
use crate::tui::rows::has_problem;

pub(super) fn draw_status(model: &Model, paint: Paint, frame: &mut Frame, area: Rect) {
    if matches!(model.mode, Mode::Search) {
        let text = format!(" /{}", model.search);
        let x = area.x + u16::try_from(text.chars().count()).unwrap_or(area.width);
        frame.render_widget(Paragraph::new(text), area);
        frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
        return;
    }
    let mut spans = Vec::new();
    let busy = match model.busy {
        Some(Busy::Saving) => Some(" ⧗ saving… "),
        Some(Busy::Reloading) => Some(" ⧗ reloading… "),
        Some(Busy::Recording) => Some(" ⧗ recording… "),
        Some(Busy::Opening) => Some(" ⧗ opening… "),
        None => None,
    };
    if let Some(b) = busy {
        spans.push(Span::styled(b, paint.bold(Color::Cyan)));
    }
    if let Some(s) = &model.status {
        let (mark, style) = match s.tone {
            Tone::Info => ("", Style::new()),
            Tone::Good => ("✓ ", paint.fg(Color::Green)),
            Tone::Warn => ("! ", paint.fg(Color::Yellow)),
            Tone::Error => ("✗ ", paint.bold(Color::Red)),
        };
        spans.push(Span::styled(format!(" {mark}{}", s.text), style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Whether a list key is worth showing for the selected variable now.
fn matters(model: &Model, action: Action) -> bool {
    let var = model.selected_var().map(|(_, v)| v);
    match action {
        Action::Generate => var.is_some_and(|v| v.class == Class::Secret),
        Action::Reveal => var.is_some_and(|v| v.class.is_sensitive() && v.in_env),
        Action::GenerateAll => model.generate_all_plan().generate > 0,
        Action::NextProblem => model.inv.variables.iter().any(has_problem),
        Action::Undo => !model.undo.is_empty(),
        Action::Diff | Action::Save => model.is_dirty(),
        Action::Delete => var.is_some_and(|v| v.status == Status::Unused),
        Action::Problems => !model.inv.findings.is_empty(),
        _ => true,
    }
}

pub(super) fn draw_keys(model: &Model, paint: Paint, frame: &mut Frame, area: Rect) {
    let context = model.context();
    let mut hints: Vec<(String, &str)> = keys::BINDINGS
        .iter()
        .filter(|b| b.context == Some(context))
        .filter(|b| {
            if context == Context::List {
                // The list shows what applies to the selection; unused ones get `x`.
                (b.footer || (b.action == Action::Delete && matters(model, b.action)))
                    && matters(model, b.action)
            } else {
                b.footer
            }
        })
        .filter_map(|b| b.keys.first().map(|k| (keys::label(k), b.hint)))
        .collect();
    let width = usize::from(area.width);
    let cost = |(k, h): &(String, &str)| k.chars().count() + 1 + h.chars().count() + 2;
    // The last two hints (help and quit, or the way out of a prompt) always show; others
    // are dropped from the end until the line fits.
    let protected = hints.len().saturating_sub(2);
    let mut used: usize = 1 + hints.iter().map(cost).sum::<usize>();
    let mut at = protected;
    while used > width && at > 0 {
        at -= 1;
        used -= cost(&hints[at]);
        hints.remove(at);
    }
    let mut spans = vec![Span::raw(" ")];
    for (k, h) in hints {
        spans.push(Span::styled(
            k,
            paint.bold(Color::Cyan).add_modifier(Modifier::REVERSED),
        ));
        spans.push(Span::raw(format!(" {h}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
