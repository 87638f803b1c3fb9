//! The variable list: a badge (the status, or for an `ok` value its worst finding, so a
//! green row is never wrong), the name at its full width where the terminal allows, class,
//! kind and the (masked) value.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Paint, badge, fit, is_clear, listed, severity_badge, shown};
use crate::analysis::{Status, Variable};
use crate::tui::model::{Model, Row};

/// The badge column's width: a symbol, a space and the longest rule id.
const BADGE: usize = 16;

/// The badge of a row: its status, or for an `ok` variable with findings the worst one.
pub(super) fn row_badge(model: &Model, var: &Variable) -> (String, Color) {
    if var.status != Status::Ok {
        let (sym, color) = badge(var.status);
        return (format!("{sym} {}", var.status.as_str()), color);
    }
    match model.inv.findings_of(var).min_by_key(|f| f.severity) {
        Some(f) => {
            let (sym, color) = severity_badge(f.severity);
            (format!("{sym} {}", f.rule), color)
        }
        None => {
            let (sym, color) = badge(Status::Ok);
            (format!("{sym} ok"), color)
        }
    }
}

/// Column widths at `width`: name, class, kind, value. The name keeps its full width
/// (up to 40) as long as anything is left for the value; class and kind give way first.
fn columns(width: usize, longest: usize) -> (usize, usize, usize, usize) {
    let rest = width.saturating_sub(2 + BADGE);
    let name = longest.clamp(8, 40) + 1;
    let (class, kind) = if rest >= name + 9 + 10 + 12 {
        (9, 10)
    } else if rest >= name + 9 + 10 {
        (9, 0)
    } else {
        (0, 0)
    };
    let name = name.min(rest.saturating_sub(class + kind + 10).max(rest.min(12)));
    let value = rest.saturating_sub(name + class + kind);
    (name, class, kind, value)
}

/// The value column at `width`: the value (masked unless clear), or the compose default
/// that applies, marked as such (in full where it fits, else with a `*`; the detail pane
/// says where it comes from).
fn value_text(model: &Model, i: usize, var: &Variable, width: usize) -> String {
    let value = model.value(i);
    let unset = value.is_none_or(|v| secrecy::ExposeSecret::expose_secret(v).is_empty());
    match &var.compose_default {
        Some(d) if unset => {
            let long = format!("{} (default)", d.value);
            if long.chars().count() <= width {
                long
            } else {
                format!("{}*", d.value)
            }
        }
        _ => shown(value, is_clear(model, var)),
    }
}

pub(super) fn draw(model: &Model, paint: Paint, frame: &mut Frame, area: Rect) {
    let mut title = format!(
        " Variables · showing {} ({}) ",
        model.filter.label(),
        listed(model)
    );
    if !model.search.is_empty() {
        let _ = write!(title, "· /{} ", model.search);
    }
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(paint.dim())
        .title(Span::styled(
            title,
            Style::new().add_modifier(Modifier::BOLD),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = usize::from(inner.height);
    let visible: Vec<(usize, &Row)> = model
        .rows
        .iter()
        .enumerate()
        .skip(model.offset)
        .take(height)
        .collect();
    let longest = visible
        .iter()
        .filter_map(|(_, r)| match r {
            Row::Var(i) => Some(model.inv.variables[*i].name.chars().count()),
            Row::Section(_) => None,
        })
        .max()
        .unwrap_or(0);
    let (name_w, class_w, kind_w, value_w) = columns(usize::from(inner.width), longest);
    let mut lines = Vec::with_capacity(height);
    if model.rows.is_empty() {
        lines.push(Line::styled("  No variable matches.", paint.dim()));
    }
    for (at, row) in visible {
        match row {
            Row::Section(s) => lines.push(Line::styled(
                format!("  {s}"),
                paint.bold(Color::Blue).add_modifier(Modifier::UNDERLINED),
            )),
            Row::Var(i) => {
                let var = &model.inv.variables[*i];
                let selected = model.selected == Some(at);
                let (word, color) = row_badge(model, var);
                let kind = var.kind.map_or_else(|| "-".to_string(), |k| k.to_string());
                let mut spans = vec![
                    Span::raw(if selected { "▸ " } else { "  " }),
                    Span::styled(fit(&word, BADGE), paint.bold(color)),
                    Span::raw(fit(&var.name, name_w)),
                ];
                if class_w > 0 {
                    spans.push(Span::styled(fit(var.class.as_str(), class_w), paint.dim()));
                }
                if kind_w > 0 {
                    spans.push(Span::styled(fit(&kind, kind_w), paint.dim()));
                }
                spans.push(Span::raw(fit(
                    &value_text(model, *i, var, value_w),
                    value_w,
                )));
                let mut line = Line::from(spans);
                if selected {
                    line = line.style(Style::new().add_modifier(Modifier::REVERSED));
                }
                lines.push(line);
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::columns;

    #[test]
    fn names_keep_their_width_and_class_and_kind_give_way() {
        // 80 columns, a 28-character name: everything fits.
        let (name, class, kind, value) = columns(80, 28);
        assert_eq!((name, class, kind), (29, 9, 10));
        assert!(value >= 12);
        // 60 columns: class and kind go, the name stays whole.
        let (name, class, kind, value) = columns(60, 28);
        assert_eq!((name, class, kind), (29, 0, 0));
        assert!(value >= 10, "{value}");
    }
}
