//! The detail pane: everything known about the selected variable — the example's comment
//! about it, why it has its status (every finding), its value or the compose default that
//! applies, where it is defined and used, how it would be generated, its strength, and a
//! warning when it initialises a database volume. Lines that do not fit are counted on the
//! last row, never cut silently.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use secrecy::ExposeSecret;

use super::{Paint, fit, is_clear, shown, wrap};
use crate::analysis::{Class, Variable};
use crate::tui::model::Model;
use crate::tui::update::initialises_volume;

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

fn value_line(model: &Model, i: usize, var: &Variable) -> String {
    let value = model.value(i);
    let unset = value.is_none_or(|v| v.expose_secret().is_empty());
    if unset && let Some(d) = &var.compose_default {
        return format!(
            "{} · not set in {}, so compose uses its default at {}:{}",
            d.value,
            model.inv.env_file.display(),
            d.file.display(),
            d.position
        );
    }
    let clear = is_clear(model, var);
    let mut v = shown(value, clear);
    if !clear && !unset {
        v.push_str(" · r reveals");
    }
    v
}

fn lines_of(
    model: &Model,
    i: usize,
    var: &Variable,
    width: usize,
    paint: Paint,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let plain = Style::new();
    if let Some(note) = model.comments.descriptions.get(&var.name) {
        lines.extend(labelled("Note", note, width, paint.fg(Color::Blue), paint));
    }
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
    for f in model
        .inv
        .ignored
        .iter()
        .filter(|f| f.variable.as_deref() == Some(var.name.as_str()))
    {
        let reason = model
            .ws
            .config
            .ignore
            .iter()
            .find(|i| i.covers(f))
            .map(|i| i.reason.clone())
            .unwrap_or_default();
        lines.extend(labelled(
            "Ignored",
            &format!("{} (envward.toml: {reason})", f.rule),
            width,
            paint.dim(),
            paint,
        ));
    }
    let vstyle = if is_clear(model, var) && var.class.is_sensitive() {
        paint.bold(Color::Yellow)
    } else {
        plain
    };
    lines.extend(labelled(
        "Value",
        &value_line(model, i, var),
        width,
        vstyle,
        paint,
    ));
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
    // Only a value already saved can have initialised a database.
    let saved = var.in_env
        && model
            .disk
            .as_ref()
            .and_then(|d| d.document.get(&var.name))
            .is_some_and(|e| !e.raw_value().is_empty());
    if saved && let Some((service, image)) = initialises_volume(model, &var.name) {
        lines.extend(labelled(
            "Careful",
            &format!(
                "initialises the database volume of {service} ({image}): once it has started, \
                 change it with `envward rotate {}`, not here",
                var.name
            ),
            width,
            paint.fg(Color::Yellow),
            paint,
        ));
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
    // What a change here carries along (g, G and saving keep them in step).
    let mut ties = model.inv.relations.ties(&var.name);
    if let Some(with) = &var.pinned_with {
        // envward writes one file: the other half of the pair is the user's to change.
        ties.push(format!("also {with} (change both together)"));
    }
    if !ties.is_empty() {
        lines.extend(labelled("Tied to", &ties.join(" · "), width, plain, paint));
    }
    if let Some(r) = var.rotation.filter(|r| r.last_set.is_some()) {
        let text = format!("{} · t rotates", r.describe(model.now));
        lines.extend(labelled("Rotation", &text, width, plain, paint));
    }
    let strength = match (var.class, model.value(i), var.strength_bits) {
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
    lines
}

pub(super) fn draw(model: &Model, paint: Paint, frame: &mut Frame, area: Rect, wide: bool) {
    let borders = if wide {
        Borders::TOP | Borders::LEFT
    } else {
        Borders::TOP
    };
    let Some((i, var)) = model.selected_var() else {
        frame.render_widget(
            Block::new().borders(borders).border_style(paint.dim()),
            area,
        );
        return;
    };
    let (word, color) = super::list::row_badge(model, var);
    let kind = var.kind.map_or_else(|| "-".to_string(), |k| k.to_string());
    let block = Block::new()
        .borders(borders)
        .border_style(paint.dim())
        .title(Span::styled(
            format!(" {} ", var.name),
            Style::new().add_modifier(Modifier::BOLD),
        ))
        .title_top(
            Line::from(vec![
                Span::styled(format!(" {word}"), paint.bold(color)),
                Span::raw(format!(" · {} · {kind} ", var.class.as_str())),
            ])
            .right_aligned(),
        );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = lines_of(model, i, var, usize::from(inner.width), paint);
    let room = usize::from(inner.height);
    if lines.len() > room && room > 0 {
        let hidden = lines.len() - (room - 1);
        lines.truncate(room - 1);
        let hint = if model.zoom { "" } else { ": Enter enlarges" };
        lines.push(Line::styled(
            format!("… {hidden} more lines{hint}"),
            paint.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
