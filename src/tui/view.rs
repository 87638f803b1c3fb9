//! Drawing: `view(&Model, &mut Frame)` paints the model and changes nothing else.
//!
//! Values are masked here, at the last moment: a sensitive value is drawn as `••••` with its
//! length unless the user revealed it; config values are drawn in clear. Every badge pairs a
//! symbol and a word with its colour, so the screen reads the same under `NO_COLOR`.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout as Split, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use secrecy::{ExposeSecret, SecretString};

use super::keys::{self, Context};
use super::model::{Busy, DiffKind, DiffLine, EditState, Mode, Model, Row, Tone, layout};
use super::update::diff;
use crate::analysis::{Class, Status, Variable};

/// Colours, or none.
#[derive(Clone, Copy)]
struct Paint {
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

/// Draws the whole screen.
pub fn view(model: &Model, frame: &mut Frame) {
    let area = frame.area();
    let paint = Paint {
        color: model.options.color,
    };
    let split = layout((area.width, area.height), model.zoom);
    let [header, list, detail, status, footer] = Split::vertical([
        Constraint::Length(2),
        Constraint::Length(split.list),
        Constraint::Length(split.detail),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(model, paint, frame, header);
    draw_list(model, paint, frame, list);
    draw_detail(model, paint, frame, detail);
    draw_status(model, paint, frame, status);
    draw_footer(model, paint, frame, footer);
    match &model.mode {
        Mode::List | Mode::Search => {}
        Mode::Edit(edit) => draw_edit(edit, paint, frame, area),
        Mode::Help => draw_help(paint, frame, area),
        Mode::Diff(scroll) => draw_diff(model, *scroll, paint, frame, area),
        Mode::ConfirmQuit => draw_prompt(
            frame,
            paint,
            area,
            " Unsaved changes ",
            &format!("{} has unsaved changes.", model.inv.env_file.display()),
            Context::ConfirmQuit,
        ),
        Mode::Conflict => draw_prompt(
            frame,
            paint,
            area,
            " Changed on disk ",
            &format!(
                "{} changed on disk since envward read it; saving would overwrite that edit.",
                model.inv.env_file.display()
            ),
            Context::Conflict,
        ),
        Mode::Notice(text) => draw_prompt(
            frame,
            paint,
            area,
            " Backup key created ",
            text,
            Context::Notice,
        ),
        Mode::RotationPlan(text) => {
            draw_prompt(frame, paint, area, " Rotation plan ", text, Context::Notice);
        }
    }
}

fn draw_header(model: &Model, paint: Paint, frame: &mut Frame, area: Rect) {
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
    let mut second = vec![Span::raw(" ")];
    for (status, n) in model.inv.status_counts() {
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
    frame.render_widget(
        Paragraph::new(vec![Line::from(first), Line::from(second)]),
        area,
    );
}

/// Column widths of the list at `width`: name, class, kind, value.
fn columns(width: u16) -> (usize, usize, usize, usize) {
    let w = usize::from(width);
    let fixed = 2 + 14 + 9 + 10;
    let name = w.saturating_sub(fixed + 15).clamp(12, 31);
    let value = w.saturating_sub(fixed + name);
    (name, 9, 10, value)
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
fn shown(value: Option<&SecretString>, clear: bool) -> String {
    match value {
        None => "(not set)".to_string(),
        Some(v) if v.expose_secret().is_empty() => "(empty)".to_string(),
        Some(v) if clear => v.expose_secret().to_string(),
        Some(v) => format!("•••• ({})", v.expose_secret().chars().count()),
    }
}

fn is_clear(model: &Model, var: &Variable) -> bool {
    !var.class.is_sensitive() || model.revealed.as_deref() == Some(var.name.as_str())
}

fn draw_list(model: &Model, paint: Paint, frame: &mut Frame, area: Rect) {
    let mut title = format!(
        " Variables · showing {} ({}) ",
        model.filter.label(),
        model
            .rows
            .iter()
            .filter(|r| matches!(r, Row::Var(_)))
            .count()
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
    let (name_w, class_w, kind_w, value_w) = columns(inner.width);
    let height = usize::from(inner.height);
    let mut lines = Vec::with_capacity(height);
    if model.rows.is_empty() {
        lines.push(Line::styled("  No variable matches.", paint.dim()));
    }
    for (at, row) in model
        .rows
        .iter()
        .enumerate()
        .skip(model.offset)
        .take(height)
    {
        match row {
            Row::Section(s) => lines.push(Line::styled(
                format!("  {s}"),
                paint.bold(Color::Blue).add_modifier(Modifier::UNDERLINED),
            )),
            Row::Var(i) => {
                let var = &model.inv.variables[*i];
                let selected = model.selected == Some(at);
                let (sym, color) = badge(var.status);
                let kind = var.kind.map_or_else(|| "-".to_string(), |k| k.to_string());
                let value = shown(model.value(*i), is_clear(model, var));
                let mut line = Line::from(vec![
                    Span::raw(if selected { "▸ " } else { "  " }),
                    Span::styled(
                        fit(&format!("{sym} {}", var.status.as_str()), 14),
                        paint.bold(color),
                    ),
                    Span::raw(fit(&var.name, name_w)),
                    Span::styled(fit(var.class.as_str(), class_w), paint.dim()),
                    Span::styled(fit(&kind, kind_w), paint.dim()),
                    Span::raw(fit(&value, value_w)),
                ]);
                if selected {
                    line = line.style(Style::new().add_modifier(Modifier::REVERSED));
                }
                lines.push(line);
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
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

const LABEL: usize = 10;

fn labelled<'a>(
    label: &str,
    text: &str,
    width: usize,
    style: Style,
    paint: Paint,
) -> Vec<Line<'a>> {
    wrap(text, width.saturating_sub(LABEL))
        .into_iter()
        .enumerate()
        .map(|(n, part)| {
            let head = if n == 0 {
                fit(label, LABEL)
            } else {
                " ".repeat(LABEL)
            };
            Line::from(vec![
                Span::styled(head, paint.bold(Color::Cyan)),
                Span::styled(part, style),
            ])
        })
        .collect()
}

fn detail_lines(
    model: &Model,
    i: usize,
    var: &Variable,
    width: usize,
    paint: Paint,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let plain = Style::new();
    let findings: Vec<String> = model
        .inv
        .findings_of(var)
        .map(|f| format!("{}: {}", f.rule, f.message))
        .collect();
    if findings.is_empty() {
        lines.extend(labelled(
            "Why",
            "nothing to fix",
            width,
            paint.fg(Color::Green),
            paint,
        ));
    }
    for (n, f) in findings.iter().enumerate() {
        let label = if n == 0 { "Why" } else { "" };
        lines.extend(labelled(label, f, width, plain, paint));
    }
    let value = model.value(i);
    let strength = match (var.class, value, var.strength_bits) {
        (Class::Config, _, _) => "not judged: configuration, not a secret".to_string(),
        (_, None, _) => "no value yet".to_string(),
        (_, Some(_), Some(bits)) => format!(
            "about {bits:.0} bits · policy {} needs {}+ chars and {:.0}+ bits",
            model.inv.policy.level.as_str(),
            model.inv.policy.min_length,
            model.inv.policy.min_bits
        ),
        (_, Some(_), None) => "not estimated".to_string(),
    };
    lines.extend(labelled("Strength", &strength, width, plain, paint));
    let uses = if var.used_by.is_empty() {
        "no compose file uses it".to_string()
    } else {
        var.used_by
            .iter()
            .map(|u| {
                format!(
                    "{} {}:{}{}",
                    u.service,
                    u.file.display(),
                    u.position,
                    if u.in_uri { " (in a URI)" } else { "" }
                )
            })
            .collect::<Vec<_>>()
            .join(" · ")
    };
    lines.extend(labelled("Used by", &uses, width, plain, paint));
    if let Some(r) = var.rotation.filter(|r| r.last_set.is_some()) {
        let text = format!("{} · R rotates", r.describe(model.now));
        lines.extend(labelled("Rotation", &text, width, plain, paint));
    }
    let how = match (var.class, var.kind) {
        (Class::Secret, Some(kind)) => {
            let mut s = kind.description();
            if var.constraints.uri_safe {
                s.push_str(", URI-safe characters");
            }
            s.push_str(" · press g");
            s
        }
        (Class::Secret, None) => "no kind known: type it with e".to_string(),
        (Class::External, _) => "never: the provider issues it; type it with e".to_string(),
        (Class::Config, _) => "never: configuration; set it with e".to_string(),
    };
    lines.extend(labelled("Generate", &how, width, plain, paint));
    let clear = is_clear(model, var);
    let mut v = shown(value, clear);
    if !clear && value.is_some_and(|s| !s.expose_secret().is_empty()) {
        v.push_str(" · r reveals");
    }
    let vstyle = if clear && var.class.is_sensitive() {
        paint.bold(Color::Yellow)
    } else {
        plain
    };
    lines.extend(labelled("Value", &v, width, vstyle, paint));
    let mut about = match (var.env_position, var.example_position) {
        (Some(p), _) => format!("{}:{p} · ", model.inv.env_file.display()),
        (None, Some(p)) => format!("{}:{p} · ", model.inv.example_file.display()),
        (None, None) => String::new(),
    };
    about.push_str(if var.required {
        "required · "
    } else {
        "optional · "
    });
    about.push_str(&var.classified_by);
    lines.extend(labelled("About", &about, width, paint.dim(), paint));
    lines
}

fn draw_detail(model: &Model, paint: Paint, frame: &mut Frame, area: Rect) {
    let Some((i, var)) = model.selected_var() else {
        frame.render_widget(
            Block::new().borders(Borders::TOP).border_style(paint.dim()),
            area,
        );
        return;
    };
    let (sym, color) = badge(var.status);
    let kind = var.kind.map_or_else(|| "-".to_string(), |k| k.to_string());
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(paint.dim())
        .title(Span::styled(
            format!(" {} ", var.name),
            Style::new().add_modifier(Modifier::BOLD),
        ))
        .title_top(
            Line::from(vec![
                Span::styled(format!(" {sym} {}", var.status.as_str()), paint.bold(color)),
                Span::raw(format!(" · {} · {kind} ", var.class.as_str())),
            ])
            .right_aligned(),
        );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = detail_lines(model, i, var, usize::from(inner.width), paint);
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_status(model: &Model, paint: Paint, frame: &mut Frame, area: Rect) {
    if matches!(model.mode, Mode::Search) {
        let text = format!(" /{}", model.search);
        let x = area.x + u16::try_from(text.chars().count()).unwrap_or(area.width);
        frame.render_widget(Paragraph::new(text), area);
        frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
        return;
    }
    let mut spans = Vec::new();
    match model.busy {
        Some(Busy::Saving) => spans.push(Span::styled(" ⧗ saving… ", paint.bold(Color::Cyan))),
        Some(Busy::Reloading) => {
            spans.push(Span::styled(" ⧗ reloading… ", paint.bold(Color::Cyan)));
        }
        None => {}
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

fn draw_footer(model: &Model, paint: Paint, frame: &mut Frame, area: Rect) {
    let hints = keys::footer(model.context());
    let width = usize::from(area.width);
    let cost = |(k, h): &(String, &str)| k.chars().count() + 1 + h.chars().count() + 2;
    // The last two hints (help and quit, or the way out of a prompt) always show; others
    // are dropped from the end until the line fits.
    let protected = hints.len().saturating_sub(2);
    let mut keep: Vec<bool> = vec![true; hints.len()];
    let mut used: usize = 1 + hints.iter().map(cost).sum::<usize>();
    for at in (0..protected).rev() {
        if used <= width {
            break;
        }
        keep[at] = false;
        used -= cost(&hints[at]);
    }
    let mut spans = vec![Span::raw(" ")];
    for (hint, _) in hints.iter().zip(&keep).filter(|(_, k)| **k) {
        spans.push(Span::styled(
            hint.0.clone(),
            paint.bold(Color::Cyan).add_modifier(Modifier::REVERSED),
        ));
        spans.push(Span::raw(format!(" {}  ", hint.1)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
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

fn draw_edit(edit: &EditState, paint: Paint, frame: &mut Frame, area: Rect) {
    let rect = centred(area, area.width.saturating_sub(8).min(72), 5);
    let title = format!(" Edit {} ", edit.name);
    let block = popup(&title, paint);
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    let n = edit.buffer.chars().count();
    let clear = edit.reveal || !edit.sensitive;
    let shown: String = if clear {
        edit.buffer.to_string()
    } else {
        "•".repeat(n)
    };
    let room = usize::from(inner.width).saturating_sub(2);
    let tail: String = {
        let count = shown.chars().count();
        shown.chars().skip(count.saturating_sub(room)).collect()
    };
    let note = if !edit.sensitive {
        format!("{n} chars · configuration, shown as typed")
    } else if edit.reveal {
        format!("{n} chars · shown while typing (^R hides)")
    } else {
        format!("{n} chars · hidden (^R shows while typing)")
    };
    let cursor_x = inner.x + 1 + u16::try_from(tail.chars().count()).unwrap_or(0);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(format!(" {tail}")),
            Line::raw(""),
            Line::styled(format!(" {note}"), paint.dim()),
        ]),
        inner,
    );
    frame.set_cursor_position((cursor_x.min(inner.right().saturating_sub(1)), inner.y));
}

fn help_column(sections: &[(&str, Context)], width: usize, paint: Paint) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (title, context) in sections {
        lines.push(Line::styled((*title).to_string(), paint.bold(Color::Blue)));
        for (keys, text) in keys::help(*context) {
            if *context != Context::List && keys == "^C" {
                continue;
            }
            lines.push(Line::from(vec![
                Span::styled(fit(&format!(" {keys}"), 10), paint.bold(Color::Cyan)),
                Span::raw(fit(text, width.saturating_sub(10))),
            ]));
        }
    }
    lines
}

fn draw_help(paint: Paint, frame: &mut Frame, area: Rect) {
    let rect = centred(area, 78, 23);
    let block = popup(" Keys ", paint);
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    let [left, right] =
        Split::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
    let w = usize::from(left.width);
    frame.render_widget(
        Paragraph::new(help_column(&[("In the list", Context::List)], w, paint)),
        left,
    );
    frame.render_widget(
        Paragraph::new(help_column(
            &[
                ("Typing a value", Context::Edit),
                ("Searching", Context::Search),
                ("Change preview", Context::Diff),
                ("Quitting with changes", Context::ConfirmQuit),
            ],
            usize::from(right.width),
            paint,
        )),
        right,
    );
}

fn diff_line(line: &DiffLine, name_w: usize, paint: Paint) -> Line<'static> {
    let (mark, color) = match line.kind {
        DiffKind::Added => ("+", Color::Green),
        DiffKind::Changed => ("~", Color::Yellow),
        DiffKind::Removed => ("-", Color::Red),
    };
    let clear = !line.sensitive;
    Line::from(vec![
        Span::styled(format!(" {mark} "), paint.bold(color)),
        Span::raw(fit(&line.name, name_w)),
        Span::styled(shown(line.old.as_ref(), clear), paint.dim()),
        Span::raw(" → "),
        Span::raw(shown(line.new.as_ref(), clear)),
    ])
}

fn draw_diff(model: &Model, scroll: usize, paint: Paint, frame: &mut Frame, area: Rect) {
    let lines = diff(model);
    let rect = centred(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(4),
    );
    let title = format!(
        " Unsaved changes to {} ({}) ",
        model.inv.env_file.display(),
        lines.len()
    );
    let block = popup(&title, paint);
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    let name_w = lines
        .iter()
        .map(|l| l.name.chars().count() + 1)
        .max()
        .unwrap_or(0)
        .min(32);
    let mut out: Vec<Line> = vec![Line::styled(
        " Values stay hidden; configuration is shown as is.",
        paint.dim(),
    )];
    out.extend(lines.iter().map(|l| diff_line(l, name_w, paint)));
    let scroll = scroll.min(out.len().saturating_sub(1));
    frame.render_widget(
        Paragraph::new(out).scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        inner,
    );
}

fn draw_prompt(
    frame: &mut Frame,
    paint: Paint,
    area: Rect,
    title: &str,
    text: &str,
    context: Context,
) {
    let width = area.width.saturating_sub(8).min(64);
    let body = wrap(text, usize::from(width.saturating_sub(4)));
    let choices: Vec<String> = keys::help(context)
        .into_iter()
        .filter(|(k, _)| k != "^C")
        .map(|(k, h)| format!("{k}  {h}"))
        .collect();
    let height = u16::try_from(body.len() + choices.len() + 3).unwrap_or(u16::MAX);
    let rect = centred(area, width, height);
    let block = popup(title, paint);
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    let mut lines: Vec<Line> = body
        .into_iter()
        .map(|l| Line::from(format!(" {l}")))
        .collect();
    lines.push(Line::raw(""));
    lines.extend(
        choices
            .into_iter()
            .map(|c| Line::styled(format!(" {c}"), paint.fg(Color::Cyan))),
    );
    frame.render_widget(Paragraph::new(lines), inner);
}
