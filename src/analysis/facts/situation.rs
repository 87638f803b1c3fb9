//! Where each variable stands in the project beyond its own value: pinned by a compose
//! literal, shadowed by a service's own setting, a client of a server run without a password
//! (or not run at all), or a credential of an integration the template switches off.

use std::path::Path;

use super::compose::compose_literals;
use super::servers::{opens_server, server_families};
use super::switches::switched_off_scopes;
use super::{Set, Var};
use crate::analysis::knowledge::name_words;
use crate::analysis::{Class, Input, relations};
use crate::compose::{Usage, display_path};

/// The credential of another env file the project's services read that holds `value`, for
/// the variable `name`. Short values (`1`, `yes`) say nothing about being one pair. Nor does
/// a stand-in (`changeme`, `XXXXXXX`) typed in both files when the names disagree: a
/// database password and an LDAP bind password that both read `changeme` are two values to
/// choose, and a project's own secret is never one half of a provider's. Names that speak
/// for the same kind of server (`DB_PASSWORD` here, `MYSQL_PASSWORD` in the database's
/// file), or a bare key of the app's config (Misskey's `pass` under `db:`), still pair.
fn kept_elsewhere<'i>(
    name: &str,
    class: Class,
    value: &str,
    input: &'i Input<'_>,
) -> Option<(&'i str, &'i Path)> {
    if value.chars().count() < 6 {
        return None;
    }
    let k = input.knowledge;
    // Asked only once an equal value turns up: most values have none.
    let stand_in = std::cell::OnceCell::new();
    let families = std::cell::OnceCell::new();
    let own = class != Class::External;
    input.other_env_files.iter().find_map(|file| {
        file.values
            .iter()
            .find(|(key, v)| {
                if v != value {
                    return false;
                }
                let their_class = k.name(key).class;
                their_class != Class::Config
                    && (!*stand_in.get_or_init(|| relations::is_stand_in(value, k))
                        || ((their_class != Class::External) == own && {
                            let ours = families.get_or_init(|| k.families_of_name(name));
                            let theirs = k.families_of_name(key);
                            theirs.iter().any(|f| ours.contains(f))
                                || (theirs.is_empty()
                                    && !name_words(key).any(|w| k.is_provider_word(&w)))
                        }))
            })
            .map(|(key, _)| (key.as_str(), file.path.as_path()))
    })
}

/// Marks `pinned`, `shadowed`, `passwordless_server` and `switched_off` on every variable.
pub(super) fn situate(
    vars: &mut [Var<'_>],
    input: &Input<'_>,
    live_abs: &Path,
    declarations: &crate::analysis::declare::Declarations,
) {
    let literals = compose_literals(input);
    let beside = relations::UrlsBeside::of(vars, input);
    let env_file_services: Vec<&crate::compose::Service> = input
        .project
        .services
        .iter()
        .filter(|s| {
            s.env_files.iter().any(|f| {
                f.path == live_abs
                    || display_path(&input.project.working_dir, &f.path) == input.live_path
            })
        })
        .collect();
    for v in vars.iter_mut() {
        // The value in force: the env files', or else the compose default (a client's
        // `${CUBEJS_DB_PASS:-postgres}` against `POSTGRES_PASSWORD=postgres` in compose).
        let value = v
            .live
            .as_ref()
            .or(v.example.as_ref())
            .and_then(|e| e.value.as_deref())
            .filter(|x| !x.is_empty())
            .or_else(|| v.default_value.as_deref().filter(|x| !x.is_empty()));
        let secret_part = value.map(|x| match crate::analysis::shape::url_password_span(x) {
            Some(span) if v.url_credentials => relations::percent_decode(&x[span]),
            _ => x.to_string(),
        });
        // Pinned: it holds the same password a compose literal gives a server it speaks
        // for (by its name, or by the host of its URL).
        let url_family = value
            .filter(|_| v.url_credentials)
            .and_then(relations::host_of)
            .and_then(|h| input.project.services.iter().find(|s| s.name == h))
            .and_then(|s| s.image.as_deref())
            .and_then(|i| input.knowledge.image(i))
            .and_then(|i| i.family.as_deref());
        // Or by the host of the database URL setting beside it (`spring.datasource.url`).
        let beside_family = beside.server_of(&v.name).map(|(_, family)| family);
        v.pinned_by = if v.class != Class::Config && !v.follows_others() {
            secret_part.as_deref().and_then(|p| {
                literals
                    .iter()
                    .find(|l| {
                        l.password == p
                            && (v.families.contains(&l.family.as_str())
                                || url_family == Some(l.family.as_str())
                                || beside_family == Some(l.family.as_str()))
                    })
                    .map(|l| l.at.clone())
            })
        } else {
            None
        };
        v.pinned = v.pinned_by.is_some();
        // Or it holds the value a credential in another env file has (`DB_PASSWORD` here,
        // `MYSQL_PASSWORD` in the database's `.db.env`): the two files make one pair.
        if v.class != Class::Config && !v.follows_others() {
            v.pinned_with = secret_part
                .as_deref()
                .and_then(|p| kept_elsewhere(&v.name, v.class, p, input))
                .map(|(key, file)| format!("{key} in {}", file.display()));
            v.pinned |= v.pinned_with.is_some();
        }
        // Shadowed: some service that loads the env file sets the key itself, and every
        // other one is a known server image that does not read it.
        let overrides = |s: &&&crate::compose::Service| {
            s.environment
                .iter()
                .any(|e| e.key == v.name && e.value.is_some())
        };
        let ignores = |s: &&&crate::compose::Service| {
            s.image
                .as_deref()
                .and_then(|i| input.knowledge.image(i))
                .is_some_and(|i| i.family.is_some() && !i.vars.contains_key(&v.name))
        };
        v.shadowed = v.live.is_some()
            && !v
                .refs
                .iter()
                .any(|r| matches!(r.usage, Usage::Interpolation(_)))
            && env_file_services.iter().any(|s| overrides(&s))
            && env_file_services
                .iter()
                .all(|s| overrides(&s) || ignores(&s));
    }
    let env_keys: Set<String> = vars
        .iter()
        .filter(|v| v.live.is_some() || v.example.is_some())
        .map(|v| v.name.clone())
        .collect();
    // The env files' own setting that lets a server run open, the live file's value first.
    let env_opens = vars.iter().any(|v| {
        v.live
            .as_ref()
            .or(v.example.as_ref())
            .and_then(|e| e.value.as_deref())
            .is_some_and(|value| opens_server(&v.name, value))
    });
    let (open, run) = server_families(input, &env_keys, env_opens);
    for v in vars.iter_mut() {
        if v.class == Class::Config {
            continue;
        }
        let specific = &v.specific_families;
        // A credential for a server the project runs without a password, or for a kind
        // of server it does not run at all (the template's optional Redis), may stay empty.
        v.passwordless_server = v.families.iter().any(|f| open.contains(*f))
            || (!specific.is_empty() && !specific.iter().any(|f| run.contains(*f)));
    }
    let off = switched_off_scopes(vars);
    let gates = super::gates::gates(vars, declarations, input.knowledge);
    if !off.is_empty() || !gates.is_empty() {
        // Its credentials, and its host settings still pointing at an example host.
        for v in vars.iter_mut().filter(|v| v.class != Class::Secret) {
            let words: Vec<String> = crate::analysis::knowledge::name_words(&v.name)
                .map(std::borrow::Cow::into_owned)
                .collect();
            v.switched_off = off.iter().any(|(prefix, family)| {
                v.name.starts_with(prefix.as_str())
                    && super::switches::credential_of(family, &words)
            }) || gates.iter().any(|g| g.covers(&v.name, &words));
        }
    }
    dev_twins(vars, input);
}

/// The base name of a variable named for development: `CB_SECRET` of `CB_SECRET_DEV`,
/// `DB_PASSWORD` of `DEV_DB_PASSWORD` (`_DEVELOPMENT` and `DEVELOPMENT_` too, in any case).
pub(crate) fn dev_twin_base(name: &str) -> Option<&str> {
    let upper = name.to_ascii_uppercase();
    for suffix in ["_DEV", "_DEVELOPMENT"] {
        if upper.len() > suffix.len() && upper.ends_with(suffix) {
            return name.get(..name.len() - suffix.len());
        }
    }
    for prefix in ["DEV_", "DEVELOPMENT_"] {
        if upper.len() > prefix.len() && upper.starts_with(prefix) {
            return name.get(prefix.len()..);
        }
    }
    None
}

/// The settings that name the mode an app runs in.
const MODE_SETTINGS: &[&str] = &[
    "NODE_ENV",
    "APP_ENV",
    "APP_ENVIRONMENT",
    "ENVIRONMENT",
    "ENV",
    "RAILS_ENV",
    "RACK_ENV",
    "FLASK_ENV",
    "DJANGO_ENV",
    "MIX_ENV",
    "GO_ENV",
];

/// Marks the development twins (see [`Var::dev_twin`]). Judged for production (the prod
/// policy, and no service or env file setting a mode to development), a twin is switched
/// off: the app reads it only in development (Chartbrew's `CB_SECRET_DEV`, read by
/// `settings-dev.js` when `NODE_ENV` is not production), so its empty or sample value keeps
/// nothing from running. A twin compose asks for by `${X:?}` stays judged.
fn dev_twins(vars: &mut [Var<'_>], input: &Input<'_>) {
    let names: Set<String> = vars.iter().map(|v| v.name.clone()).collect();
    let dev_value = |value: &str| value.to_ascii_lowercase().contains("dev");
    let mode_setting = |key: &str| MODE_SETTINGS.iter().any(|m| key.eq_ignore_ascii_case(m));
    let in_development = input.policy.level == crate::analysis::strength::PolicyLevel::Dev
        || input.project.services.iter().any(|s| {
            s.environment
                .iter()
                .any(|e| mode_setting(&e.key) && e.value.as_deref().is_some_and(dev_value))
        })
        || vars.iter().any(|v| {
            mode_setting(&v.name)
                && v.live
                    .as_ref()
                    .or(v.example.as_ref())
                    .and_then(|e| e.value.as_deref())
                    .is_some_and(dev_value)
        });
    for v in vars.iter_mut() {
        let Some(base) = dev_twin_base(&v.name) else {
            continue;
        };
        if !names.contains(base) {
            continue;
        }
        v.dev_twin = true;
        let strict = v.refs.iter().any(|r| {
            matches!(
                r.usage,
                Usage::Interpolation(
                    crate::interpolate::Form::Required | crate::interpolate::Form::RequiredNonEmpty
                )
            )
        });
        if !in_development && !strict {
            v.switched_off = true;
        }
    }
}
