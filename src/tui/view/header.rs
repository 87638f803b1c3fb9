//! The header (project, live file, policy, counts of statuses and of findings) and the
//! problems banner under it: findings about a file as a whole (permissions, syntax, git,
//! a literal secret in compose) that no list row shows, each with its `file:line`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Paint, badge, fit, severity_badge};
use crate::analysis::Severity;
use crate::tui::layout::{BANNER_MAX, file_findings};
use crate::tui::model::Model;

pub(super) fn draw(model: &Model, paint: Paint, frame: &mut Frame, area: Rect) {
    let project = model
        .ws
        .project
        .working_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let live = if model.disk.is_some() {
        model.inv.env_file.display().to_string()
    } else {
        format!("{} (new)", model.inv.env_file.display())
    };
    let mut first = vec![
        Span::styled(" envward ", paint.bold(Color::Cyan)),
        Span::raw("│ "),
        Span::styled(project, Style::new().add_modifier(Modifier::BOLD)),
        Span::raw(" │ "),
        Span::raw(live),
        Span::raw(" │ "),
        Span::raw(format!("policy {}", model.inv.policy.level.as_str())),
        Span::raw(" │ "),
        Span::raw(format!("{} variables", model.inv.variables.len())),
    ];
    if model.is_dirty() {
        first.push(Span::styled("  ● unsaved", paint.bold(Color::Yellow)));
    }
    if model.analysis_due || model.analyzing.is_some() {
        first.push(Span::styled("  ↻ re-checking", paint.fg(Color::Cyan)));
    }
    // Narrow terminals leave out the statuses nobody has, so the finding counts fit.
    let all = area.width >= 110;
    let mut second = vec![Span::raw(" ")];
    for (status, n) in model.inv.status_counts() {
        if n == 0 && !all {
            continue;
        }
        let (sym, color) = badge(status);
        let style = if n == 0 {
            paint.dim()
        } else {
            paint.bold(color)
        };
        second.push(Span::styled(
            format!("{sym} {n} {}", status.as_str()),
            style,
        ));
        second.push(Span::raw("  "));
    }
    let (errors, warnings) = (model.inv.errors(), model.inv.warnings());
    second.push(Span::raw("│ "));
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    second.push(Span::styled(
        plural(errors, "error"),
        if errors > 0 {
            paint.bold(Color::Red)
        } else {
            paint.dim()
        },
    ));
    second.push(Span::raw(", "));
    second.push(Span::styled(
        plural(warnings, "warning"),
        if warnings > 0 {
            paint.bold(Color::Yellow)
        } else {
            paint.dim()
        },
    ));
    if !model.inv.ignored.is_empty() {
        second.push(Span::styled(
            format!(" ({} ignored)", model.inv.ignored.len()),
            paint.dim(),
        ));
    }
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), Line::from(second)]),
        area,
    );
}

pub(super) fn draw_banner(model: &Model, paint: Paint, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let found: Vec<_> = file_findings(model).collect();
    let rows = usize::from(area.height.min(BANNER_MAX));
    let shown = if found.len() > rows { rows - 1 } else { rows };
    let width = usize::from(area.width);
    let mut lines: Vec<Line> = found
        .iter()
        .take(shown)
        .map(|f| {
            let (sym, color) = severity_badge(f.severity);
            let head = format!(" {sym} {}:{} {} ", f.file.display(), f.position, f.rule);
            let room = width.saturating_sub(head.chars().count());
            Line::from(vec![
                Span::styled(head, paint.bold(color)),
                Span::raw(fit(&f.message, room)),
            ])
        })
        .collect();
    if found.len() > shown {
        let more = found.len() - shown;
        let errors = found[shown..]
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        lines.push(Line::styled(
            format!(" + {more} more ({errors} errors) about files · p lists every finding"),
            paint.fg(Color::Red),
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
