//! The verdict on one variable's value: missing, a placeholder, weak, invalid, a derived value
//! that no longer matches its source, a value that differs from one it must equal, unused,
//! or fine. The first that applies wins.

use super::Class;
use super::facts::{Var, Verdict};
use super::relations::{Relations, percent_decode};
use super::shape::url_password_span;
use super::{Input, jwt};
use crate::compose::ComposeRef;
use crate::generate::Kind;

mod address;
mod described;

use address::{is_host_setting, is_provider_identifier, is_web_address, provider_left_unset};
use described::described_placeholder;

/// The value a compose default supplies while the live file leaves the variable unset (or
/// empty, for `:-`), with the reference it comes from.
fn default_supply(var: &Var<'_>) -> Option<(String, ComposeRef)> {
    let value = var.default_value.clone()?;
    let r = var
        .refs
        .iter()
        .find(|r| r.default.is_some())
        .map(|r| (*r).clone())?;
    Some((value, r))
}

/// Every variable, and where each name is among them (the first, as a search would find).
pub struct Vars<'v, 'a> {
    /// In report order.
    pub all: &'v [Var<'a>],
    /// Name to index into `all`.
    pub by_name: &'v foldhash::HashMap<String, usize>,
}

/// The value of `name` in force (the live file's, else the template's), when set. Looked up,
/// not searched: each variable asks for its partners.
fn current<'v>(vars: &Vars<'v, '_>, name: &str) -> Option<&'v str> {
    let v = &vars.all[*vars.by_name.get(name)?];
    v.live
        .as_ref()
        .or(v.example.as_ref())
        .and_then(|e| e.value.as_deref())
        .filter(|s| !s.is_empty())
        .or(v.default_value.as_deref())
}

/// Whether a name says it holds a password (`…_PASSWORD`, `…_PASS`, `…_PASSWD`).
fn names_a_password(name: &str) -> bool {
    super::knowledge::name_words(name).any(|w| {
        ["PASSWORD", "PASS", "PASSWD", "PWD"]
            .iter()
            .any(|p| w.eq_ignore_ascii_case(p))
    })
}

/// Judges one variable; returns the verdict and, for judged secrets, their strength.
pub fn judge(
    var: &Var<'_>,
    vars: &Vars<'_, '_>,
    rel: &Relations,
    input: &Input<'_>,
    used: bool,
) -> (Verdict, Option<f64>) {
    let k = input.knowledge;
    let sensitive = var.class.is_sensitive();
    let unused_or_ok = || {
        if var.live.is_some() && !used {
            Verdict::Unused
        } else {
            Verdict::Ok
        }
    };
    // A value written as `${OTHER}` follows its sources; the sources carry any finding. A
    // value every consumer overrides in compose never reaches a container.
    if var.follows_others() || var.shadowed || var.switched_off {
        return (unused_or_ok(), None);
    }
    // A key a provider issues that no container reads (rybbit's RESEND_API_KEY, read only by
    // the vendor's cloud build) does nothing and cannot be filled: a finding on its stand-in
    // would keep CI red with nothing a self-hoster can do about it. A password is another
    // matter: the user sets it at the other end too (trigger.dev's registry login, which
    // its scripts read), so its stand-in is still worth an error.
    if var.class == Class::External && !var.reaches && !names_a_password(&var.name) {
        return (unused_or_ok(), None);
    }
    let live_value = var.live_value().filter(|v| !super::shape::is_blank(v));
    let (value, via_default) = match live_value {
        Some(v) => (Some(v.to_string()), None),
        None => match default_supply(var) {
            Some((v, r)) if sensitive => (Some(v), Some(Box::new(r))),
            _ => (None, None),
        },
    };
    let Some(value) = value else {
        if var.required {
            return (Verdict::Missing, None);
        }
        return (unused_or_ok(), None);
    };
    if k.is_sentinel(&value) {
        return (unused_or_ok(), None);
    }

    // A URL that carries a password is judged by that password, or follows the variable
    // it is linked to.
    let judged: String = if var.url_credentials {
        let Some(span) = url_password_span(&value) else {
            return (unused_or_ok(), None);
        };
        let password = percent_decode(&value[span]);
        if let Some(link) = rel.url_of(&var.name)
            && via_default.is_none()
            && let Some(p) = current(vars, &link.password_of)
            && p != password
            && k.placeholder(&password, true).is_none()
        {
            return (
                Verdict::Mismatch {
                    with: link.password_of.clone(),
                    why: format!(
                        "the password inside it must be {}'s value",
                        link.password_of
                    ),
                },
                None,
            );
        }
        password
    } else {
        value.clone()
    };

    let example_value = var
        .example
        .as_ref()
        .and_then(|e| e.value.as_deref())
        .filter(|v| !v.is_empty());
    // In configuration only an address left pointing at an example host is worth a word: a
    // stand-in user name or sender is the user's business, and CI fails on secrets. A
    // fill-in marker (`<MY EMAIL ADDRESS>`) is the exception: nobody means it literally. Like
    // an example host, it matters only where the value reaches a container: a setting no
    // service reads (useSend's `GOOGLE_CLIENT_ID="<your-google-client-id>"`) is left alone.
    let address = var.reaches
        && (is_host_setting(&var.name)
            || is_provider_identifier(k, &var.name)
            || is_web_address(&judged))
        && !provider_left_unset(k, var, vars)
        // A lone `*` in an address setting is the wildcard "any" (CORS origins, allowed
        // domains), not a masked value.
        && judged.trim() != "*";
    // `KEY= # comment` handed to a container: the comment is what is wrong, whatever else
    // it looks like (an example host, a stand-in, the example's value).
    if via_default.is_none()
        && super::comment_value::reaches_a_container(var)
        && super::comment_value::worth_a_finding(var, address)
    {
        let why = super::comment_value::why(&var.name);
        return (Verdict::Placeholder { why, via_default }, None);
    }
    let mut placeholder = if sensitive {
        k.placeholder(&judged, true)
    } else if address {
        k.placeholder(&judged, false).or_else(|| {
            k.mentions_example_host(&judged)
                .then(|| "names an example host (example.com, yourdomain …)".to_string())
        })
    } else if var.reaches && super::Knowledge::has_fill_in_marker(&judged) {
        Some("still holds the template's fill-in marker (<…>)".to_string())
    } else {
        None
    };
    if placeholder.is_none() && sensitive && !var.url_credentials {
        placeholder = described_placeholder(var, &judged);
    }
    if placeholder.is_none()
        && sensitive
        && via_default.is_none()
        && !var.url_credentials
        && example_value == Some(value.as_str())
        // A template marker (`COOKIE_SECRET="$COOKIE_SECRET"`) publishes nothing: both
        // files read the value from the environment.
        && !var.example.as_ref().is_some_and(|e| e.self_marker)
        && input.live.is_some()
        && input.example.is_some()
    {
        placeholder = Some("is still the example file's value, which is public".to_string());
    }
    if placeholder.is_none() && sensitive && k.is_public(&judged) {
        placeholder = Some("was published in a public template, so it is not secret".to_string());
    }
    if let Some(why) = placeholder {
        return (Verdict::Placeholder { why, via_default }, None);
    }

    if let Some(d) = rel.derivation_of(&var.name) {
        let Some(secret) = current(vars, &d.from) else {
            return (unused_or_ok(), None);
        };
        return match jwt::verify(&judged, secret, &d.claims, input.now) {
            Ok(()) => (unused_or_ok(), None),
            Err(why) => (
                Verdict::Derived {
                    why: format!("{why}; it must be signed with {}", d.from),
                },
                None,
            ),
        };
    }

    let mut bits = None;
    if var.class == Class::Secret {
        let kind = if var.url_credentials {
            Some(Kind::Password)
        } else {
            var.kind
        };
        let s = super::strength::memoized(&judged, kind, &input.policy, k);
        bits = Some(s.bits);
        if !s.is_strong() {
            return (
                Verdict::Weak {
                    weaknesses: s.weaknesses,
                    via_default,
                },
                bits,
            );
        }
        // However random it looks, a default written in the compose file is in every copy
        // of the project: the value in force is one its readers all have.
        if via_default.is_some() {
            return (
                Verdict::Weak {
                    weaknesses: vec![super::strength::Weakness::PublishedDefault],
                    via_default,
                },
                bits,
            );
        }
    }
    if via_default.is_none() {
        if let Some(why) = constraint_violation(var, &value) {
            return (Verdict::Invalid { why }, bits);
        }
        if var.class == Class::External
            && let Some(p) = k.provider(&var.name)
            && !p.accepts(&value)
            // MinIO's, R2's or B2's key ids have their own forms.
            && !(rel.s3_elsewhere && var.name.ends_with("ACCESS_KEY_ID"))
        {
            // komodo's `KEY= # Alt: KEY_FILE`: Compose keeps a comment written right after
            // `=` as the value, which is what fails the format.
            let why = if value.trim_start().starts_with('#') {
                super::comment_value::why(&var.name)
            } else {
                let article = if p.name.starts_with(['A', 'E', 'I', 'O', 'U']) {
                    "an"
                } else {
                    "a"
                };
                format!("does not have the format of {article} {}", p.name)
            };
            return (Verdict::Invalid { why }, bits);
        }
        if let Some(g) = rel.group_of(&var.name).filter(|g| g.is_certain())
            && let Some(other) = g
                .members
                .iter()
                .find(|m| **m != var.name && current(vars, m).is_some_and(|o| o != value))
        {
            return (
                Verdict::Mismatch {
                    with: other.clone(),
                    why: g.why.clone(),
                },
                bits,
            );
        }
    }
    (unused_or_ok(), bits)
}

fn constraint_violation(var: &Var<'_>, value: &str) -> Option<String> {
    let r = &var.rules;
    let len = value.chars().count();
    if let Some(min) = r.min_length
        && len < min
    {
        return Some(format!(
            "is shorter than the {min} characters its image requires"
        ));
    }
    if let Some(max) = r.max_length
        && len > max
    {
        return Some(format!(
            "is longer than the {max} characters its image accepts"
        ));
    }
    if let Some(a) = &r.alphabet
        && value.chars().any(|c| !a.contains(c))
    {
        return Some("contains characters its image does not accept".to_string());
    }
    if let Some(f) = &r.forbidden
        && value.chars().any(|c| f.contains(c))
    {
        return Some("contains characters its image forbids".to_string());
    }
    if let Some(class) = r
        .require
        .iter()
        .find(|c| !value.chars().any(|ch| c.contains(ch)))
    {
        return Some(
            format!("lacks a character its image's password policy requires ({class:?})")
                .to_lowercase(),
        );
    }
    None
}
