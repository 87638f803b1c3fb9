//! The rules: one module each, behind one small trait, run in one ordered registry.
//!
//! A rule reads the [`Context`] and appends [`Finding`]s. Rules about a variable's value
//! (`missing`, `placeholder`, `weak`, `weak-default`, `invalid`, `unused`) only report the
//! verdict the context already reached, so statuses and findings always agree.

mod derived;
mod duplicate;
mod hardcoded;
mod invalid;
mod leftover;
mod mismatch;
mod missing;
mod not_ignored;
mod permissions;
mod placeholder;
mod reused;
mod rotation_due;
mod stray_dollar;
mod syntax;
mod tracked;
mod undocumented;
mod unsafe_in_uri;
mod unused;
mod weak;
mod weak_default;

use std::path::PathBuf;

use super::facts::{Context, Var};
use super::{Finding, PolicyLevel, RuleId, Severity};
use crate::compose::Scope;
use crate::position::Position;

/// One check.
pub trait Rule {
    /// Its id.
    fn id(&self) -> RuleId;
    /// Appends its findings.
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// Every rule, in report order.
pub fn registry() -> [&'static dyn Rule; 20] {
    [
        &syntax::Syntax,
        &missing::Missing,
        &placeholder::Placeholder,
        &weak::Weak,
        &weak_default::WeakDefault,
        &invalid::Invalid,
        &mismatch::Mismatch,
        &derived::Derived,
        &unsafe_in_uri::UnsafeInUri,
        &stray_dollar::StrayDollar,
        &hardcoded::Hardcoded,
        &permissions::Permissions,
        &not_ignored::NotIgnored,
        &tracked::Tracked,
        &leftover::Leftover,
        &undocumented::Undocumented,
        &unused::Unused,
        &duplicate::Duplicate,
        &reused::Reused,
        &rotation_due::RotationDue,
    ]
}

/// A finding about variable `var`.
fn about(
    rule: RuleId,
    severity: Severity,
    var: &Var<'_>,
    (file, position): (PathBuf, Position),
    message: String,
) -> Finding {
    Finding {
        rule,
        severity,
        variable: Some(var.name.clone()),
        file,
        position,
        message,
    }
}

/// One error per variable whose verdict `message` describes, at the variable's location: the
/// shape of every rule that reports a verdict the facts already reached.
fn report_verdicts(
    rule: RuleId,
    cx: &Context<'_>,
    out: &mut Vec<Finding>,
    message: impl Fn(&Var<'_>) -> Option<String>,
) {
    for var in &cx.vars {
        if let Some(m) = message(var) {
            out.push(about(rule, Severity::Error, var, var.location(cx), m));
        }
    }
}

/// An error about the live file as a whole (its mode or git standing), at its first line.
fn about_live_file(rule: RuleId, cx: &Context<'_>, message: String) -> Finding {
    Finding {
        rule,
        severity: Severity::Error,
        variable: None,
        file: cx.input.live_path.to_path_buf(),
        position: Position { line: 1, column: 1 },
        message,
    }
}

/// `weak` findings are warnings under the dev policy.
fn weak_severity(cx: &Context<'_>) -> Severity {
    match cx.input.policy.level {
        PolicyLevel::Dev => Severity::Warning,
        PolicyLevel::Prod => Severity::Error,
    }
}

/// A place in a compose project, for messages: `service db`, or `extension block x-common`
/// (an `x-` block is not a service), or `section volumes`.
fn place_name(scope: &Scope) -> String {
    match scope {
        Scope::Service(s) => format!("service {s}"),
        Scope::Section(s) if s.starts_with("x-") => format!("extension block {s}"),
        Scope::Section(s) => format!("section {s}"),
    }
}

/// Names the places that use a variable, for messages: `services api, worker`.
fn services_of(var: &Var<'_>) -> String {
    let mut services: Vec<&str> = Vec::new();
    let mut others: Vec<String> = Vec::new();
    for r in &var.refs {
        match &r.scope {
            Scope::Service(s) => services.push(s),
            Scope::Section(_) => others.push(place_name(&r.scope)),
        }
    }
    services.sort_unstable();
    services.dedup();
    others.sort_unstable();
    others.dedup();
    let mut parts = Vec::new();
    match services.len() {
        0 => {}
        1 => parts.push(format!("service {}", services[0])),
        _ => parts.push(format!("services {}", services.join(", "))),
    }
    parts.extend(others);
    parts.join(" and ")
}
