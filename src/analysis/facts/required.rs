//! Whether a variable must be set: what Compose insists on, what the template and known
//! images need, and what they leave to the user.

use super::{EntryFacts, Var};
use crate::analysis::{Class, Input, knowledge, shape};
use crate::compose::Usage;
use crate::generate::Kind;
use crate::interpolate::Form;

/// Whether the variable must be set.
///
/// Compose itself only insists on `${X:?…}` / `${X?…}`; a bare `${X}` that is unset becomes
/// an empty string with a warning, and a passthrough (`- X`) is silently left out. So beyond
/// the `?` forms, what the template lists decides: a generatable secret it lists is meant
/// to be set (envward makes it), unless only passthroughs or defaulted uses read it, or it
/// is an integration's key the template leaves empty, or a comment or declaration says it
/// is optional.
pub(super) fn required(
    v: &Var<'_>,
    input: &Input<'_>,
    consumed_by_env_file: bool,
    needed: bool,
) -> bool {
    let configured = input.config.vars.get(&v.name);
    if configured.is_some_and(|c| c.optional) {
        return false;
    }
    if let Some(r) = configured.and_then(|c| c.required) {
        return r;
    }
    // `${X:?…}`: Compose itself refuses to start without it.
    let strict = v.refs.iter().any(|r| {
        matches!(
            r.usage,
            Usage::Interpolation(Form::Required | Form::RequiredNonEmpty)
        )
    });
    if strict {
        return true;
    }
    let follows = v.follows_others() || v.default_value.is_some() || v.switched_off;
    // `${X:-}` supplies nothing: written to quiet Compose's warning, it leaves the value to
    // the env file, and a template that asks for one to be made (Formbricks'
    // `CUBEJS_API_SECRET`, "Generate with: openssl rand -hex 32") means it to be set.
    let asked = v.class == Class::Secret && recipe_in_comment(v);
    let empty_default = |r: &crate::compose::ComposeRef| {
        asked
            && matches!(
                r.usage,
                Usage::Interpolation(Form::DefaultIfEmpty | Form::DefaultIfUnset)
            )
            && r.default.as_deref() == Some("")
    };
    let interpolated = v.refs.iter().any(|r| {
        matches!(r.usage, Usage::Interpolation(Form::Bare | Form::Braced)) || empty_default(r)
    });
    let defaulted = v.refs.iter().any(|r| {
        matches!(
            r.usage,
            Usage::Interpolation(
                Form::DefaultIfEmpty | Form::DefaultIfUnset | Form::AltIfNonEmpty | Form::AltIfSet
            )
        ) && !empty_default(r)
    });
    // A known image that compose starts refuses to start without it (postgres and its
    // POSTGRES_PASSWORD), even where the template calls it optional: that comment's
    // condition ("only if you're using Postgres") is met when compose runs the image.
    if v.rules.required && interpolated && !defaulted && !follows {
        return true;
    }
    if let Some(r) = v.declared.as_ref().and_then(|d| d.required) {
        return r;
    }
    if follows {
        return false;
    }
    // Its section is only for another setup (PostgreSQL settings while SQLite is the default).
    if v.declared.as_ref().is_some_and(|d| d.section_conditional) {
        return false;
    }
    // Compose does not name it: read through the env file a service loads whole, or, where
    // no service loads it, by the app run beside compose (Dub's Next.js reads
    // `apps/web/.env` on the host) when the template asks for a value to be made.
    let read = interpolated || (v.refs.is_empty() && (consumed_by_env_file || asked));
    let Some(example) = template_entry(v, input) else {
        // The template lists it only on a commented-out line (`# POSTGRES_PASSWORD=…`,
        // Bookwyrm), or not at all, yet a server the project starts cannot run without it:
        // the postgres image loading the live file, Redis given `--requirepass ${X}`.
        return needed && v.class == Class::Secret && !v.passwordless_server && read && !defaulted;
    };
    let example_empty = example.value.as_deref().is_none_or(shape::is_blank);
    if example_empty && v.passwordless_server {
        return false;
    }
    // Read only by the app, through env_file: compose says nothing about it, so an empty
    // sample is the template's choice (Firefly III leaves a dozen optional mail and
    // integration secrets empty) unless a known image reading the file needs it, or its
    // comment says how to make it.
    let only_the_app_reads = !interpolated;
    match v.class {
        // A template that writes the secret as a reference to itself (a setup script's
        // marker, `COOKIE_SECRET="$COOKIE_SECRET"`) asks for a value there: Compose reads it
        // as "" when nothing is exported, and the app gets an empty secret.
        Class::Secret
            if only_the_app_reads
                && example_empty
                && !needed
                && !asked_for(v)
                && !example.self_marker =>
        {
            false
        }
        Class::Secret => {
            // An integration's key, unless the template says how to make it: then it is the
            // project's own (`CUBEJS_API_SECRET` with an `openssl rand` recipe).
            // A provider the project runs itself (MinIO's `MINIO_ROOT_PASSWORD`) is no
            // integration: its server starts on published defaults without the password.
            // Named for it, or a known image of that family (soketi serves `PUSHER_*`). Not
            // the S3 family: a client's S3 keys must match the server's own login, which the
            // relations tie where they can; otherwise they stay the user's to set.
            let runs = |w: &str| {
                input.project.services.iter().any(|s| {
                    s.image.as_deref().is_some_and(|i| {
                        knowledge::image_name(i)
                            .split(['-', '_', '.', '/'])
                            .any(|part| part.eq_ignore_ascii_case(w))
                            || (w != "S3"
                                && input.knowledge.image(i).is_some_and(|img| {
                                    img.family
                                        .as_deref()
                                        .is_some_and(|f| f.eq_ignore_ascii_case(w))
                                }))
                    })
                })
            };
            // Nor is a key of a shape the app parses (highlight's `JWT_ACCESS_SECRET`, hex:32):
            // an ACCESS word there names what it signs, not an outside party's access.
            let app_key = matches!(
                v.kind,
                Some(Kind::Hex(_) | Kind::Base64(_) | Kind::Laravel | Kind::Fernet)
            );
            let integration = example_empty
                && !asked
                && !app_key
                && knowledge::name_words(&v.name).any(|w| {
                    matches!(&*w, "API" | "ACCESS" | "WEBHOOK" | "BOT" | "APIKEY")
                        || (input.knowledge.is_provider_word(&w) && !runs(&w))
                });
            read && !defaulted && !integration
        }
        // A provider credential the template asks for (a placeholder to replace) is needed
        // where something reads it; one it leaves empty is the user's choice, and so is one
        // the user empties (Hi.Events runs without Stripe when its keys are empty): only a
        // live file without the key at all has not chosen.
        Class::External => {
            let emptied = v
                .live
                .as_ref()
                .is_some_and(|e| e.value.as_deref().is_some_and(shape::is_blank));
            read && !defaulted && !example_empty && !emptied
        }
        // A setting the template gives a value for and compose reads, which the live file
        // does not have at all: compose warns and substitutes nothing.
        Class::Config => interpolated && !example_empty && v.live.is_none(),
    }
}

/// Whether the subject of a sentence saying something fails without a value (`before` and
/// `last`, its last two words, lower-cased) names the app rather than one of its features: a
/// service compose runs or its image (`opencloud`, of `opencloudeu/opencloud-rolling`), or a
/// generic noun for the whole ("the app", "the container", "the opencloud server"); not "the
/// notifications service", nor "uploads" or "it".
pub(super) fn names_the_app(before: &str, last: &str, input: &Input<'_>) -> bool {
    let runs = |w: &str| {
        !w.is_empty()
            && input.project.services.iter().any(|s| {
                s.name.eq_ignore_ascii_case(w)
                    || s.image.as_deref().is_some_and(|i| {
                        knowledge::image_name(i)
                            .split(['-', '_', '.'])
                            .any(|part| part.eq_ignore_ascii_case(w))
                    })
            })
    };
    let whole = matches!(
        last,
        "app" | "application" | "container" | "server" | "service" | "stack" | "instance"
    );
    runs(last) || (whole && (matches!(before, "" | "the" | "your" | "this") || runs(before)))
}

/// Whether the template's comment asks for a value to be made: a recipe, or a description of
/// a random value ("A random 32-character secret key", "use … to generate one").
fn asked_for(v: &Var<'_>) -> bool {
    // A name templates/names.toml knows as an application's own key (`SECRET_KEY`,
    // `SECRET_KEY_BASE`, `APP_KEY`, a JWT or encryption key of a set shape): the app cannot
    // run without it. A generic `*_PASSWORD` or `*_TOKEN` says nothing of the sort.
    v.known_key
        || matches!(
            v.kind,
            Some(Kind::Hex(_) | Kind::Base64(_) | Kind::Laravel | Kind::Fernet)
        )
        || recipe_in_comment(v)
}

/// Whether the template's comment says how to make the value: a recipe (`openssl rand -hex
/// 32`) on the variable or atop its block, or a description of a random value. Stronger than
/// a known name: the template's author asks for this variable to be set. "Auto-generated by
/// Docker during bootstrap" (Pixelfed's `APP_KEY`) says the opposite: something else makes it,
/// and so does a key-pair or certificate tool (`openssl req -x509 … to generate one`): no
/// random value is asked for.
fn recipe_in_comment(v: &Var<'_>) -> bool {
    v.declared.as_ref().is_some_and(|d| {
        let text = d.description.as_deref().unwrap_or_default().to_lowercase();
        !d.key_pair
            && !crate::analysis::declare::says_made_elsewhere(&text)
            && (d.recipe.is_some()
                || d.block_recipe.is_some()
                || text.contains("random")
                || text.contains("generate"))
    })
}

/// Whether a secret is left empty for the app to read (through the env file, or in a
/// compose entry without a default): in a group whose other member is needed, it is needed
/// too, since the group holds one value.
pub(super) fn empty_for_the_app(
    v: &Var<'_>,
    input: &Input<'_>,
    consumed_by_env_file: bool,
) -> bool {
    if v.class != Class::Secret || v.follows_others() || v.default_value.is_some() {
        return false;
    }
    if input
        .config
        .vars
        .get(&v.name)
        .is_some_and(|c| c.optional || c.required == Some(false))
        || v.declared
            .as_ref()
            .is_some_and(|d| d.required == Some(false))
    {
        return false;
    }
    let Some(example) = template_entry(v, input) else {
        return false;
    };
    let interpolated = v
        .refs
        .iter()
        .any(|r| matches!(r.usage, Usage::Interpolation(Form::Bare | Form::Braced)));
    example.value.as_deref().is_none_or(shape::is_blank)
        && (interpolated || (v.refs.is_empty() && consumed_by_env_file))
}

/// The template's entry; a live file that is its own template (a committed `.env`, an
/// `env_file` edited in place) plays that part, so its empty secrets are still asked for.
fn template_entry<'v>(v: &'v Var<'_>, input: &Input<'_>) -> Option<&'v EntryFacts> {
    v.example
        .as_ref()
        .or(v.live.as_ref().filter(|_| input.example.is_none()))
}
