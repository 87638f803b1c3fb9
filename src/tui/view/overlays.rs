//! What is drawn above the panes: the value editor, short prompts, questions, the help,
//! the change preview, the list of every finding, the decisions menu and the file picker.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout as Split, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{Paint, centred, fit, popup, severity_badge, shown, wrap};
use crate::tui::editor::EditState;
use crate::tui::keys::{self, Context};
use crate::tui::model::{Ask, AskState, DiffKind, DiffLine, FilesState, Mode, Model};
use crate::tui::update::diff;

pub(super) fn draw(model: &Model, paint: Paint, frame: &mut Frame, area: Rect) {
    match &model.mode {
        Mode::List | Mode::Search => {}
        Mode::Edit(edit) => draw_edit(edit, paint, frame, area),
        Mode::Ask(ask) => draw_ask(ask, paint, frame, area),
        Mode::Help => draw_help(model, paint, frame, area),
        Mode::Diff(scroll) => draw_diff(model, *scroll, paint, frame, area),
        Mode::Problems(at) => draw_problems(model, *at, paint, frame, area),
        Mode::Mark => {
            let name = model
                .selected_var()
                .map(|(_, v)| v.name.clone())
                .unwrap_or_default();
            draw_prompt(
                frame,
                paint,
                area,
                &format!(" Mark {name} "),
                "Recorded in envward.toml (or the example), so `envward check` agrees.",
                Context::Mark,
            );
        }
        Mode::Files(files) => draw_files(model, files, paint, frame, area),
        Mode::Confirm(c) => draw_prompt(frame, paint, area, &c.title, &c.text, Context::Confirm),
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

/// Clears `rect`, draws a titled popup border in it, and returns the area inside.
fn open_popup(frame: &mut Frame, rect: Rect, title: &str, paint: Paint) -> Rect {
    let block = popup(title, paint);
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    inner
}

/// Indented lines of wrapped text.
fn body_lines(body: Vec<String>) -> Vec<Line<'static>> {
    body.into_iter()
        .map(|l| Line::from(format!(" {l}")))
        .collect()
}

fn draw_edit(edit: &EditState, paint: Paint, frame: &mut Frame, area: Rect) {
    let width = area
        .width
        .saturating_sub(8)
        .min(72.max(area.width.saturating_mul(2) / 3));
    let inner_w = usize::from(width.saturating_sub(4)).max(1);
    let rows: usize = edit
        .area
        .lines()
        .iter()
        .map(|l| l.chars().count().div_ceil(inner_w).max(1))
        .sum();
    let text_rows = u16::try_from(rows.clamp(1, 12)).unwrap_or(12);
    let rect = centred(area, width, text_rows + 4);
    let title = format!(" Edit {} ", edit.name);
    let inner = open_popup(frame, rect, &title, paint);
    let [text, _, note] = Split::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let text = Rect {
        x: text.x + 1,
        width: text.width.saturating_sub(2),
        ..text
    };
    frame.render_widget(&edit.area, text);
    let n = edit.char_count();
    let lines = edit.line_count();
    let shape = if lines > 1 {
        format!("{n} chars, {lines} lines")
    } else {
        format!("{n} chars")
    };
    let note_text = if !edit.sensitive {
        format!("{shape} · configuration, shown as typed · M-Enter new line")
    } else if edit.reveal {
        format!("{shape} · shown while typing (^R hides) · ^O current value")
    } else {
        format!("{shape} · hidden (^R shows) · ^O current value")
    };
    frame.render_widget(
        Paragraph::new(Line::styled(format!(" {note_text}"), paint.dim())),
        note,
    );
}

fn draw_ask(ask: &AskState, paint: Paint, frame: &mut Frame, area: Rect) {
    let (title, question) = match &ask.ask {
        Ask::NewName => (
            " Add a variable ".to_string(),
            "Its name (then its value):".to_string(),
        ),
        Ask::SameAs(name) => (
            format!(" {name} holds the same value as… "),
            "The other variable's name:".to_string(),
        ),
        Ask::IgnoreReason { name, rule } => (
            format!(" Ignore {rule} for {name} "),
            "Why is this finding fine? (kept in envward.toml for the next reader)".to_string(),
        ),
    };
    let width = area.width.saturating_sub(8).min(72);
    let body = wrap(&question, usize::from(width.saturating_sub(4)));
    let height = u16::try_from(body.len() + 4).unwrap_or(u16::MAX);
    let rect = centred(area, width, height);
    let inner = open_popup(frame, rect, &title, paint);
    let mut lines = body_lines(body);
    let room = usize::from(inner.width).saturating_sub(3);
    let count = ask.text.chars().count();
    let tail: String = ask.text.chars().skip(count.saturating_sub(room)).collect();
    lines.push(Line::styled(
        format!(" {tail}"),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    let cursor_y = inner.y + u16::try_from(lines.len() - 1).unwrap_or(0);
    let cursor_x = inner.x + 1 + u16::try_from(tail.chars().count()).unwrap_or(0);
    lines.push(Line::styled(" Enter accepts · Esc goes back", paint.dim()));
    frame.render_widget(Paragraph::new(lines), inner);
    frame.set_cursor_position((cursor_x.min(inner.right().saturating_sub(1)), cursor_y));
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
                Span::styled(fit(&format!(" {keys}"), 12), paint.bold(Color::Cyan)),
                Span::raw(fit(text, width.saturating_sub(12))),
            ]));
        }
    }
    lines
}

fn draw_help(model: &Model, paint: Paint, frame: &mut Frame, area: Rect) {
    let rect = centred(area, area.width.saturating_sub(2).max(78), area.height);
    let block = popup(" Keys (↑↓ scroll · Esc closes) ", paint);
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    let sections = [
        ("In the list", Context::List),
        ("Marking a variable (m)", Context::Mark),
        ("Typing a value (e)", Context::Edit),
    ];
    // As few columns as hold every line (as many of at least 38 characters as fit), the
    // lines flowing down each; what still does not fit scrolls.
    let height = usize::from(inner.height).max(1);
    let total = help_column(&sections, 38, paint).len();
    let columns = (usize::from(inner.width) / 38).clamp(1, total.div_ceil(height).max(1));
    let col_w = (usize::from(inner.width) / columns).min(64);
    let lines = help_column(&sections, col_w, paint);
    let per = lines.len().div_ceil(columns).max(1);
    let scroll = model.help_scroll.min(per.saturating_sub(height));
    for (c, chunk) in lines.chunks(per).enumerate() {
        let x = inner.x + u16::try_from(c * col_w).unwrap_or(0);
        let rect = Rect {
            x,
            width: u16::try_from(col_w).unwrap_or(inner.width),
            ..inner
        };
        let shown: Vec<Line> = chunk.iter().skip(scroll).take(height).cloned().collect();
        frame.render_widget(Paragraph::new(shown), rect);
    }
}

fn diff_line(line: &DiffLine, name_w: usize, paint: Paint) -> Line<'static> {
    let (mark, color) = match line.kind {
        DiffKind::Added => ("+", Color::Green),
        DiffKind::Changed => ("~", Color::Yellow),
        DiffKind::Removed => ("-", Color::Red),
    };
    let clear = !line.sensitive;
    let mut spans = vec![
        Span::styled(format!(" {mark} "), paint.bold(color)),
        Span::raw(fit(&line.name, name_w)),
        Span::styled(shown(line.old.as_ref(), clear), paint.dim()),
        Span::raw(" → "),
        Span::raw(shown(line.new.as_ref(), clear)),
    ];
    if let Some(why) = &line.why {
        spans.push(Span::styled(format!("  ({why})"), paint.dim()));
    }
    Line::from(spans)
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
    let inner = open_popup(frame, rect, &title, paint);
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

fn draw_problems(model: &Model, at: usize, paint: Paint, frame: &mut Frame, area: Rect) {
    let rect = centred(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    let title = format!(
        " Every finding: {} errors, {} warnings (as `envward check`) ",
        model.inv.errors(),
        model.inv.warnings()
    );
    let inner = open_popup(frame, rect, &title, paint);
    let height = usize::from(inner.height).max(1);
    let top = at.saturating_sub(height - 1);
    let width = usize::from(inner.width);
    let lines: Vec<Line> = model
        .inv
        .findings
        .iter()
        .enumerate()
        .skip(top)
        .take(height)
        .map(|(i, f)| {
            let (sym, color) = severity_badge(f.severity);
            let head = format!(
                " {sym} {:<14}{}:{} ",
                f.rule.as_str(),
                f.file.display(),
                f.position
            );
            let room = width.saturating_sub(head.chars().count());
            let mut line = Line::from(vec![
                Span::styled(head, paint.bold(color)),
                Span::raw(fit(&f.message, room)),
            ]);
            if i == at {
                line = line.style(Style::new().add_modifier(Modifier::REVERSED));
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_files(model: &Model, files: &FilesState, paint: Paint, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(8).min(64);
    let height = u16::try_from(files.files.len() + 4).unwrap_or(u16::MAX);
    let rect = centred(area, width, height);
    let block = popup(" Open an env file ", paint);
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    let mut lines: Vec<Line> = files
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let shown = model.ws.display(f).display().to_string();
            let current = if *f == model.ws.project.env_file {
                " (open)"
            } else {
                ""
            };
            let line = Line::from(format!(" {shown}{current}"));
            if i == files.selected {
                line.style(Style::new().add_modifier(Modifier::REVERSED))
            } else {
                line
            }
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        " Enter opens · Esc goes back · --env-file NEW makes a new one",
        paint.dim(),
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_prompt(
    frame: &mut Frame,
    paint: Paint,
    area: Rect,
    title: &str,
    text: &str,
    context: Context,
) {
    let width = area.width.saturating_sub(8).min(72);
    let body = wrap(text, usize::from(width.saturating_sub(4)));
    let choices: Vec<String> = keys::help(context)
        .into_iter()
        .filter(|(k, _)| k != "^C")
        .map(|(k, h)| format!("{k}  {h}"))
        .collect();
    let height = u16::try_from(body.len() + choices.len() + 3).unwrap_or(u16::MAX);
    let rect = centred(area, width, height);
    let inner = open_popup(frame, rect, title, paint);
    let mut lines = body_lines(body);
    lines.push(Line::raw(""));
    lines.extend(
        choices
            .into_iter()
            .map(|c| Line::styled(format!(" {c}"), paint.fg(Color::Cyan))),
    );
    frame.render_widget(Paragraph::new(lines), inner);
}
