//! Drawing: `view(&Model, &mut Frame)` paints the model and changes nothing else.
//!
//! One file per pane: [`header`] (project and counts, the problems banner), [`list`],
//! [`detail`], [`footer`] (status line and keys) and [`overlays`] (editor, prompts, help,
//! preview, problems, menus). Values are masked here, at the last moment: a sensitive value
//! is drawn as `••••` with its length unless the user revealed it; config values are drawn
//! in clear. Every badge pairs a symbol and a word with its colour, so the screen reads the
//! same under `NO_COLOR`.

mod detail;
mod footer;
mod header;
mod list;
mod overlays;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::Block;
use secrecy::{ExposeSecret, SecretString};

use super::model::{Model, Row};
use crate::analysis::{Severity, Status, Variable};

/// Colours, or none.
#[derive(Clone, Copy)]
pub(crate) struct Paint {
    color: bool,
}

impl Paint {
    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    fn bold(self, c: Color) -> Style {
        self.fg(c).add_modifier(Modifier::BOLD)
    }

    fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }
}

/// The symbol, word and colour of a status.
pub fn badge(status: Status) -> (&'static str, Color) {
    match status {
        Status::Missing => ("✗", Color::Red),
        Status::Placeholder => ("?", Color::Magenta),
        Status::Weak => ("!", Color::Yellow),
        Status::Invalid => ("≠", Color::LightRed),
        Status::Unused => ("-", Color::DarkGray),
        Status::Ok => ("✓", Color::Green),
    }
}

/// The symbol and colour of a finding's severity.
fn severity_badge(severity: Severity) -> (&'static str, Color) {
    match severity {
        Severity::Error => ("✗", Color::Red),
        Severity::Warning => ("!", Color::Yellow),
    }
}

/// Draws the whole screen.
pub fn view(model: &Model, frame: &mut Frame) {
    let paint = Paint {
        color: model.options.color,
    };
    let areas = model.areas();
    header::draw(model, paint, frame, areas.header);
    header::draw_banner(model, paint, frame, areas.banner);
    list::draw(model, paint, frame, areas.list);
    detail::draw(model, paint, frame, areas.detail, areas.wide);
    footer::draw_status(model, paint, frame, areas.status);
    footer::draw_keys(model, paint, frame, areas.footer);
    overlays::draw(model, paint, frame, frame.area());
}

/// `s` cut or padded to exactly `width` characters (an ellipsis marks a cut).
fn fit(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n <= width {
        format!("{s:<width$}")
    } else if width == 0 {
        String::new()
    } else {
        let mut out: String = s.chars().take(width - 1).collect();
        out.push('…');
        out
    }
}

/// How a value is shown: hidden (`•••• (N)`), or in clear for config and revealed values.
/// A multi-line value in clear shows its first line and how many more there are.
fn shown(value: Option<&SecretString>, clear: bool) -> String {
    match value {
        None => "(not set)".to_string(),
        Some(v) if v.expose_secret().is_empty() => "(empty)".to_string(),
        Some(v) if clear => {
            let v = v.expose_secret();
            match v.split_once('\n') {
                Some((first, rest)) => {
                    format!("{first} … (+{} lines)", rest.matches('\n').count() + 1)
                }
                None => v.to_string(),
            }
        }
        Some(v) => {
            let v = v.expose_secret();
            let lines = v.matches('\n').count();
            if lines > 0 {
                format!("•••• ({}, {} lines)", v.chars().count(), lines + 1)
            } else {
                format!("•••• ({})", v.chars().count())
            }
        }
    }
}

fn is_clear(model: &Model, var: &Variable) -> bool {
    !var.class.is_sensitive() || model.revealed.as_deref() == Some(var.name.as_str())
}

/// Wraps `text` to `width` columns on spaces; a word longer than a line is cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let (ln, wn) = (line.chars().count(), word.chars().count());
        if ln > 0 && ln + 1 + wn > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        let mut rest: &str = word;
        while rest.chars().count() > width {
            let cut = rest
                .char_indices()
                .nth(width)
                .map_or(rest.len(), |(b, _)| b);
            out.push(rest[..cut].to_string());
            rest = &rest[cut..];
        }
        line.push_str(rest);
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// A rectangle of `w`×`h` centred in `area` (clipped to it).
fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn popup(title: &str, paint: Paint) -> Block<'_> {
    Block::bordered()
        .border_style(paint.fg(Color::Cyan))
        .title(Span::styled(
            title,
            Style::new().add_modifier(Modifier::BOLD),
        ))
}

/// How many variable rows the list has.
fn listed(model: &Model) -> usize {
    model
        .rows
        .iter()
        .filter(|r| matches!(r, Row::Var(_)))
        .count()
}
