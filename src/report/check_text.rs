//! `envward check` as text for people: findings grouped by status or rule, aligned, wrapped
//! to the terminal's width by words, each variable named once, then a summary and the next
//! steps. Reads only the [`Inventory`], which holds no secret values.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use crate::analysis::{Class, Finding, Inventory, RuleId, Severity, Status};

/// The group a finding is listed under: its variable's status for the status rules,
/// otherwise its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Status(Status),
    Rule(RuleId),
}

impl Group {
    fn title(self) -> &'static str {
        match self {
            Group::Status(s) => s.as_str(),
            Group::Rule(r) => r.as_str(),
        }
    }
}

/// Findings grouped under headings: the status rules by status, then each other rule. One
/// pass over the findings with a name index: linear in their number (it was quadratic,
/// looking each variable up by scanning the list: 40,000 unused variables took 29 s).
fn groups(inv: &Inventory) -> Vec<(Group, Severity, Vec<&Finding>)> {
    let status_of: HashMap<&str, Status> = inv
        .variables
        .iter()
        .map(|v| (v.name.as_str(), v.status))
        .collect();
    let mut buckets: BTreeMap<Group, Vec<&Finding>> = BTreeMap::new();
    for f in &inv.findings {
        let status = match f.rule {
            RuleId::Missing
            | RuleId::Placeholder
            | RuleId::Weak
            | RuleId::WeakDefault
            | RuleId::Invalid
            | RuleId::Unused => f
                .variable
                .as_deref()
                .and_then(|v| status_of.get(v).copied())
                // A finding about a variable whose own value is fine (a `${X}` Compose will
                // not fill from the live file) goes under its rule, not under "ok".
                .filter(|s| *s != Status::Ok),
            _ => None,
        };
        let group = status.map_or(Group::Rule(f.rule), Group::Status);
        buckets.entry(group).or_default().push(f);
    }
    // A group's severity is its most severe finding (errors sort first).
    buckets
        .into_iter()
        .filter_map(|(g, items)| Some((g, items.iter().map(|f| f.severity).min()?, items)))
        .collect()
}

fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// How `check`'s text is laid out.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// ANSI colours.
    pub color: bool,
    /// Wrap to this many columns (the terminal's width); `None`: one line per finding.
    pub width: Option<usize>,
}

/// Words of `text` in lines of at most `width` characters (a longer word stands alone).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let (ln, wn) = (line.chars().count(), word.chars().count());
        if ln > 0 && ln + 1 + wn > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// Writes `text` starting at column `at` (the line so far is `at` wide), wrapped to the
/// width with continuation lines indented to `indent`.
fn push_wrapped(out: &mut String, text: &str, at: usize, indent: usize, width: Option<usize>) {
    let Some(width) = width else {
        out.push_str(text);
        out.push('\n');
        return;
    };
    let room = width.saturating_sub(indent).max(20);
    let first_room = width.saturating_sub(at).max(20);
    let mut lines = wrap(text, first_room).into_iter();
    let first = lines.next().unwrap_or_default();
    out.push_str(&first);
    out.push('\n');
    let rest: Vec<String> = lines.collect();
    for l in wrap(&rest.join(" "), room) {
        if l.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{}{l}", " ".repeat(indent));
    }
}

/// A finding's message without its variable's name in front (the name is in its column).
fn message_of(f: &Finding) -> &str {
    f.variable
        .as_deref()
        .and_then(|v| f.message.strip_prefix(v))
        .and_then(|m| m.strip_prefix(' '))
        .unwrap_or(&f.message)
}

/// Names as a list, the first `max` and a count of the rest.
fn some_names<'a>(names: impl Iterator<Item = &'a str>, max: usize) -> String {
    let all: Vec<&str> = names.collect();
    let mut out = all.iter().take(max).copied().collect::<Vec<_>>().join(", ");
    if all.len() > max {
        let _ = write!(out, " and {} more", all.len() - max);
    }
    out
}

/// Whether the template makes the variable with a key-pair or certificate tool: the user
/// runs that tool (`openssl genrsa`); no provider issues it.
fn made_with_key_pair_tool(v: &crate::analysis::Variable) -> bool {
    v.classified_by == crate::analysis::classify::MADE_WITH_KEY_PAIR_TOOL
}

/// What to do next, one sentence each: what `fill` fixes, what needs a provider or a person.
pub fn next_steps(inv: &Inventory) -> Vec<String> {
    next_steps_for(inv, None)
}

/// [`next_steps`], its commands naming the live file with `--env-file` (a shell word) when
/// plain `envward` would open another file.
pub fn next_steps_for(inv: &Inventory, env_file: Option<&str>) -> Vec<String> {
    let fixable: Vec<&str> = inv
        .variables
        .iter()
        .filter(|v| {
            crate::plan::is_fillable(v, &[Status::Missing, Status::Placeholder, Status::Weak])
        })
        .map(|v| v.name.as_str())
        .collect();
    let provider: Vec<&str> = inv
        .variables
        .iter()
        .filter(|v| {
            v.class == Class::External
                && !made_with_key_pair_tool(v)
                && matches!(
                    v.status,
                    Status::Missing | Status::Placeholder | Status::Invalid
                )
        })
        .map(|v| v.name.as_str())
        .collect();
    // A URL that carries a password fill generates is rewritten with it: not the user's.
    let rewritten = |name: &str| {
        inv.relations
            .urls
            .iter()
            .any(|u| u.url == name && fixable.contains(&u.password_of.as_str()))
    };
    let yours: Vec<&str> = inv
        .variables
        .iter()
        .filter(|v| {
            (v.class == Class::Config && v.status != Status::Ok && v.status != Status::Unused)
                || (made_with_key_pair_tool(v)
                    && matches!(
                        v.status,
                        Status::Missing | Status::Placeholder | Status::Invalid
                    ))
                || (v.class == Class::Secret
                    && v.kind.is_none()
                    && v.status != Status::Ok
                    && !rewritten(&v.name))
        })
        .map(|v| v.name.as_str())
        .collect();
    // Flagged, but its value is also kept in another env file or a compose literal: fill
    // leaves the pair alone.
    let paired: Vec<String> = inv
        .variables
        .iter()
        .filter(|v| {
            matches!(
                v.status,
                Status::Missing | Status::Placeholder | Status::Weak
            )
        })
        .filter_map(|v| {
            v.pinned_with
                .as_ref()
                .or(v.pinned_by.as_ref())
                .map(|w| format!("{} (also {w})", v.name))
        })
        .collect();
    let mut out = Vec::new();
    if !fixable.is_empty() {
        let flag = env_file.map_or_else(String::new, |f| format!(" --env-file {f}"));
        out.push(format!(
            "{} fixable: run `envward{flag} fill` (or `envward{flag}`, then G)",
            fixable.len()
        ));
    }
    if !provider.is_empty() {
        out.push(format!(
            "{} need a value from their provider: {}",
            provider.len(),
            some_names(provider.into_iter(), 8)
        ));
    }
    if !yours.is_empty() {
        out.push(format!(
            "{} need a value you choose: {}",
            yours.len(),
            some_names(yours.into_iter(), 8)
        ));
    }
    if !paired.is_empty() {
        out.push(format!(
            "{} kept in two places, to change in both together: {}",
            paired.len(),
            some_names(paired.iter().map(String::as_str), 4)
        ));
    }
    out
}

/// Aligned text grouped by status, with a summary line. `color` adds ANSI colours.
pub fn text(inv: &Inventory, color: bool) -> String {
    text_with(inv, TextOptions { color, width: None })
}

/// Aligned text grouped by status, wrapped to the terminal's width by words, with a summary
/// and the next steps.
pub fn text_with(inv: &Inventory, options: TextOptions) -> String {
    text_with_steps(inv, options, &next_steps(inv))
}

/// [`text_with`], ending with the next steps given.
pub fn text_with_steps(inv: &Inventory, options: TextOptions, steps: &[String]) -> String {
    let (color, width) = (options.color, options.width);
    let mut out = String::new();
    // Never name an example file that is not there.
    let no_example = !inv.example_exists;
    let example = if no_example {
        "no example".to_string()
    } else {
        format!("example {}", inv.example_file.display())
    };
    let head = format!(
        "{}{}  ({}, {} policy; {example}; compose {})",
        inv.env_file.display(),
        if inv.env_exists {
            ""
        } else {
            " (does not exist)"
        },
        variables(inv.variables.len()),
        inv.policy.level.as_str(),
        inv.compose_files
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    push_wrapped(&mut out, &head, 0, 2, width);
    let name_w = inv
        .findings
        .iter()
        .map(|f| f.variable.as_deref().unwrap_or("-").chars().count())
        .max()
        .unwrap_or(0);
    let loc = |f: &Finding| format!("{}:{}", f.file.display(), f.position);
    let loc_w = inv
        .findings
        .iter()
        .map(|f| loc(f).chars().count())
        .max()
        .unwrap_or(0);
    for (group, severity, items) in groups(inv) {
        let (code, label) = match severity {
            Severity::Error => ("1;31", "error"),
            Severity::Warning => ("1;33", "warning"),
        };
        // A group of both severities says how many of each, and marks its warnings, so a
        // reader never counts a warning among the errors.
        let warnings = items
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count();
        let mixed = warnings > 0 && warnings < items.len();
        let count = if mixed {
            let errors = items.len() - warnings;
            format!(
                "{errors} error{}, {warnings} warning{}",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" }
            )
        } else {
            format!("{}, {label}", items.len())
        };
        let _ = writeln!(out, "\n{} ({count})", paint(group.title(), code, color));
        if group == Group::Rule(RuleId::Undocumented) && no_example {
            // Without an example every variable compose reads is undocumented: say it once.
            // "Reads", not "requires": most are plain `${X}`, which Compose leaves empty.
            let text = format!(
                "there is no {} to document the {} compose reads: {}",
                inv.example_file.display(),
                variables(items.len()),
                some_names(items.iter().filter_map(|f| f.variable.as_deref()), 6)
            );
            out.push_str("  ");
            push_wrapped(&mut out, &text, 2, 4, width);
            continue;
        }
        // Name and place on one line with the message when it fits, else the message
        // below them.
        let msg_col = 2 + name_w + 2 + loc_w + 2;
        let beside = width.is_none_or(|w| w >= msg_col + 30);
        for f in items {
            let name = f.variable.as_deref().unwrap_or("-");
            let message = if mixed && f.severity == Severity::Warning {
                format!("{} (warning)", message_of(f))
            } else {
                message_of(f).to_string()
            };
            if beside {
                let _ = write!(out, "  {name:name_w$}  {:loc_w$}  ", loc(f));
                push_wrapped(&mut out, &message, msg_col, msg_col, width);
            } else {
                let _ = writeln!(out, "  {name}  {}", loc(f));
                out.push_str("      ");
                push_wrapped(&mut out, &message, 6, 6, width);
            }
        }
    }
    let rel = &inv.relations;
    if !rel.groups.is_empty() || !rel.urls.is_empty() || !rel.derived.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint("tied together (fill keeps them in step)", "1", color)
        );
        let mut tie = |line: String| {
            out.push_str("  ");
            push_wrapped(&mut out, &line, 2, 4, width);
        };
        for g in &rel.groups {
            tie(format!("same value: {} ({})", g.members.join(" = "), g.why));
        }
        for u in &rel.urls {
            tie(format!("{} carries {} ({})", u.url, u.password_of, u.why));
        }
        for d in &rel.derived {
            tie(format!("{} is a token signed with {}", d.var, d.from));
        }
    }
    let counts: Vec<String> = inv
        .status_counts()
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {}", s.as_str()))
        .collect();
    let (errors, warnings) = (inv.errors(), inv.warnings());
    let verdict = if errors > 0 {
        paint("✗", "1;31", color)
    } else if warnings > 0 {
        paint("!", "1;33", color)
    } else {
        paint("✓", "1;32", color)
    };
    let ignored = if inv.ignored.is_empty() {
        String::new()
    } else {
        format!("; {} ignored by envward.toml", inv.ignored.len())
    };
    let summary = format!(
        "{errors} error{}, {warnings} warning{} in {} ({}){ignored}",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
        variables(inv.variables.len()),
        counts.join(", ")
    );
    let _ = write!(out, "\n{verdict} ");
    push_wrapped(&mut out, &summary, 2, 2, width);
    for step in steps {
        out.push_str("  → ");
        push_wrapped(&mut out, step, 4, 4, width);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testkit::Fixture;

    /// Regression (issue 14): the text report looked each finding's variable up by scanning
    /// every variable, so 40,000 unused variables took 29 s (JSON: 0.6 s). Grouping is one
    /// pass now: ten times the variables must cost about ten times the time, not a hundred.
    #[test]
    fn text_report_time_grows_linearly_with_unused_variables() {
        fn timed(n: usize) -> std::time::Duration {
            let mut live = String::new();
            for i in 0..n {
                let _ = writeln!(live, "UNUSED_SETTING_{i}=x");
            }
            let inv = Fixture::new()
                .compose("services:\n  a:\n    image: x\n")
                .example("A=1\n")
                .live(&live)
                .run();
            assert_eq!(inv.findings.len(), n);
            // The fastest of five runs: other tests share the machine.
            (0..5)
                .map(|_| {
                    let start = std::time::Instant::now();
                    let text = text(&inv, false);
                    let took = start.elapsed();
                    assert_eq!(text.matches("UNUSED_SETTING_").count(), n);
                    took
                })
                .min()
                .unwrap_or_default()
        }
        let small = timed(3_000).max(std::time::Duration::from_millis(1));
        let large = timed(30_000);
        // Linear is about 10 times, quadratic about 100; the bound leaves room for a busy
        // machine (40 failed once with two builds and a fuzz campaign running).
        assert!(large < small * 60, "3,000: {small:?}; 30,000: {large:?}");
    }

    #[test]
    fn text_wraps_by_words_names_once_and_ends_with_the_next_step() {
        let inv = Fixture::new()
            .compose("services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n      TOKEN: ${STRIPE_SECRET_KEY:?set it}\n")
            .example("DB_PASSWORD=\nSTRIPE_SECRET_KEY=\n")
            .run();
        let out = text_with(
            &inv,
            TextOptions {
                color: false,
                width: Some(60),
            },
        );
        for line in out.lines() {
            assert!(line.chars().count() <= 60, "{line:?} in\n{out}");
            assert!(line.matches("DB_PASSWORD").count() <= 1, "{line:?}");
        }
        assert!(!out.contains('/'), "no regex or path noise:\n{out}");
        assert!(out.contains("1 fixable: run `envward fill`"), "{out}");
        assert!(
            out.contains("1 need a value from their provider: STRIPE_SECRET_KEY"),
            "{out}"
        );
    }

    #[test]
    fn a_key_the_user_makes_with_a_key_pair_tool_is_not_asked_of_a_provider() {
        // A secret the template makes with `openssl genrsa` is external (never generated),
        // but it is the user who runs the tool: no provider issues it.
        let inv = Fixture::new()
            .compose("services:\n  app:\n    image: x\n    environment:\n      SIGNING: ${RSA_KEY:?set it}\n      TOKEN: ${STRIPE_SECRET_KEY:?set it}\n")
            .example("# Generate with: openssl genrsa 2048 | base64\nRSA_KEY=\nSTRIPE_SECRET_KEY=\n")
            .run();
        let steps = next_steps(&inv);
        assert!(
            steps.contains(&"1 need a value from their provider: STRIPE_SECRET_KEY".to_string()),
            "{steps:?}"
        );
        assert!(
            steps.contains(&"1 need a value you choose: RSA_KEY".to_string()),
            "{steps:?}"
        );
    }

    #[test]
    fn ignored_findings_are_counted_in_the_summary() {
        let inv = Fixture::new()
            .compose("services:\n  a:\n    image: x\n")
            .example("A=1\n")
            .live("OLD_SETTING=1\n")
            .config("[[ignore]]\nrule = \"unused\"\nreason = \"cron\"\n")
            .run();
        let out = text(&inv, false);
        assert!(
            out.contains("0 errors, 0 warnings in 2 variables (2 ok); 1 ignored by envward.toml"),
            "{out}"
        );
        assert_eq!(
            super::super::check::json_value(&inv)["summary"]["ignored"],
            1
        );
    }

    #[test]
    fn a_missing_example_is_said_once() {
        let compose = "services:\n  a:\n    image: x\n    environment:\n      A: ${ONE}\n      B: ${TWO}\n      C: ${THREE}\n";
        let inv = Fixture::new().compose(compose).run();
        let out = text(&inv, false);
        assert_eq!(out.matches("there is no").count(), 1, "{out}");
        assert!(out.contains("undocumented (3, warning)"), "{out}");
        // The header does not name an example file that is not there.
        let head = out.lines().next().unwrap();
        assert!(
            head.contains("; no example;") && !head.contains(".example"),
            "{head}"
        );
    }
}

#[cfg(test)]
mod next_step_tests {
    use super::*;
    use crate::analysis::testkit::Fixture;

    #[test]
    fn a_url_fill_rewrites_with_a_new_password_is_not_left_to_the_user() {
        // OpenProject: fill rewrites DATABASE_URL with the POSTGRES_PASSWORD it generates,
        // yet the last line told the user to choose the URL themselves.
        let inv = Fixture::new()
            .compose("services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-p4ssw0rd}\n  web:\n    image: openproject/openproject:14\n    environment:\n      DATABASE_URL: ${DATABASE_URL}\n")
            .example("DATABASE_URL=postgres://postgres:p4ssw0rd@db/openproject\n")
            .live("DATABASE_URL=postgres://postgres:p4ssw0rd@db/openproject\n")
            .run();
        let steps = next_steps(&inv);
        assert!(
            inv.relations.urls.iter().any(|u| u.url == "DATABASE_URL"),
            "{:?}",
            inv.relations
        );
        assert!(steps.iter().any(|s| s.contains("fixable")), "{steps:?}");
        assert!(!steps.iter().any(|s| s.contains("you choose")), "{steps:?}");
    }
}

/// "1 variable", "3 variables".
fn variables(n: usize) -> String {
    if n == 1 {
        "1 variable".to_string()
    } else {
        format!("{n} variables")
    }
}
