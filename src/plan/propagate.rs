//! What must follow a change: the rest of its group, the URLs that carry a changed
//! password (rewritten, percent-encoded), and the tokens signed with a changed secret.

use std::collections::HashMap;

use secrecy::{ExposeSecret, SecretString};

use super::{Change, Origin, Plan, PlanInput, reason};
use crate::analysis::relations::percent_encode;
use crate::analysis::shape::url_password_span;
use crate::analysis::{Class, Status, UrlSource, jwt};
use crate::generate::Kind;

/// `changes` (values chosen by the user or generated one at a time) plus everything that
/// must follow them: the rest of each group, the URLs that carry a changed password, and
/// the values derived from a changed secret.
pub fn propagate(input: &PlanInput<'_>, changes: Vec<Change>) -> Plan {
    propagate_with(input, changes, false)
}

pub(super) fn propagate_with(input: &PlanInput<'_>, changes: Vec<Change>, repair: bool) -> Plan {
    let values = input.values();
    let mut plan = Plan { changes };
    let inv = input.inventory;
    let mut followers = Vec::new();
    for c in &plan.changes {
        let Some(group) = inv.relations.group_of(&c.name) else {
            continue;
        };
        for m in &group.members {
            let Some(var) = inv.get(m) else { continue };
            let same = values.get(m).is_some_and(|v| v == c.value.expose_secret());
            if *m == c.name
                || same
                || var.class == Class::Config
                || var.follows_others
                || var.pinned
                || plan.changes.iter().any(|x| x.name == *m)
                || followers.iter().any(|x: &Change| x.name == *m)
            {
                continue;
            }
            followers.push(Change {
                name: m.clone(),
                kind: c.kind,
                status: var.status,
                reason: reason(inv, var),
                value: c.value.clone(),
                origin: Origin::Group {
                    leader: match &c.origin {
                        Origin::Copied { from } => from.clone(),
                        _ => c.name.clone(),
                    },
                },
            });
        }
    }
    plan.changes.extend(followers);
    propagate_into(input, &values, &mut plan, repair);
    plan
}

/// Adds URL rewrites and derived values for what `plan` changes. With `repair`, a URL or
/// token that is wrong already is fixed too, even if its source does not change.
fn propagate_into(
    input: &PlanInput<'_>,
    values: &HashMap<String, String>,
    plan: &mut Plan,
    repair: bool,
) {
    let inv = input.inventory;
    for link in &inv.relations.urls {
        let new_password = match plan.value_of(&link.password_of) {
            Some(v) => v.expose_secret().to_string(),
            None if repair => match values.get(&link.password_of) {
                Some(v) if !v.is_empty() => v.clone(),
                _ => continue,
            },
            None => continue,
        };
        let url = match &link.source {
            UrlSource::EnvFile => values.get(&link.url).cloned(),
            UrlSource::ComposeDefault { file, position } => input
                .project
                .references
                .iter()
                .find(|r| r.name == link.url && &r.file == file && r.position == *position)
                .and_then(|r| r.default.clone()),
        };
        let Some(url) = url else { continue };
        let Some(span) = url_password_span(&url) else {
            continue;
        };
        let encoded = percent_encode(&new_password);
        if url[span.clone()] == encoded {
            continue;
        }
        let rewritten = format!("{}{encoded}{}", &url[..span.start], &url[span.end..]);
        let Some(var) = inv.get(&link.url) else {
            continue;
        };
        if var.pinned {
            continue;
        }
        plan.changes.retain(|c| c.name != link.url);
        plan.changes.push(Change {
            name: link.url.clone(),
            kind: Kind::Password,
            status: var.status,
            reason: link.why.clone(),
            value: SecretString::from(rewritten),
            origin: Origin::Url {
                password_of: link.password_of.clone(),
            },
        });
    }
    for d in &inv.relations.derived {
        let Some(var) = inv.get(&d.var) else { continue };
        let secret = match plan.value_of(&d.from) {
            Some(v) => v.expose_secret().to_string(),
            None if repair && var.status != Status::Ok => match values.get(&d.from) {
                Some(v) if !v.is_empty() => v.clone(),
                _ => continue,
            },
            None => continue,
        };
        let mut claims = d.claims.clone();
        if let Some(iss) = &d.issuer {
            claims
                .entry("iss".to_string())
                .or_insert_with(|| iss.clone());
        }
        let token = jwt::sign(&secret, &claims, input.now, d.lifetime_days);
        plan.changes.retain(|c| c.name != d.var);
        plan.changes.push(Change {
            name: d.var.clone(),
            kind: Kind::Password,
            status: var.status,
            reason: format!("derived from {}", d.from),
            value: SecretString::from(token),
            origin: Origin::Derived {
                from: d.from.clone(),
            },
        });
    }
}
