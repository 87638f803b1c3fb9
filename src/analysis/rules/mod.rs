//! The rules: one module each, behind one small trait, run in one ordered registry.
//!
//! A rule reads the [`Context`] and appends [`Finding`]s. Rules about a variable's value
//! (`missing`, `placeholder`, `weak`, `weak-default`, `invalid`, `unused`) only report the
//! verdict the context already reached, so statuses and findings always agree.

mod duplicate;
mod hardcoded;
mod invalid;
mod leftover;
mod missing;
mod not_ignored;
mod permissions;
mod placeholder;
mod reused;
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
use crate::position::Position;

/// One check.
pub trait Rule {
    /// Its id.
    fn id(&self) -> RuleId;
    /// Appends its findings.
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>);
}

/// Every rule, in report order.
pub fn registry() -> [&'static dyn Rule; 16] {
    [
        &syntax::Syntax,
        &missing::Missing,
        &placeholder::Placeholder,
        &weak::Weak,
        &weak_default::WeakDefault,
        &invalid::Invalid,
        &unsafe_in_uri::UnsafeInUri,
        &hardcoded::Hardcoded,
        &permissions::Permissions,
        &not_ignored::NotIgnored,
        &tracked::Tracked,
        &leftover::Leftover,
        &undocumented::Undocumented,
        &unused::Unused,
        &duplicate::Duplicate,
        &reused::Reused,
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

/// Names the services that use a variable, for messages.
fn services_of(var: &Var<'_>) -> String {
    let mut names: Vec<&str> = var.refs.iter().map(|r| r.scope.name()).collect();
    names.dedup();
    names.sort_unstable();
    names.dedup();
    names.join(", ")
}
