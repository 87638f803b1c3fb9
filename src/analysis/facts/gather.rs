//! Gathering the facts of every variable up to the relations between them: the entries
//! of both env files, the template's declarations, the compose uses, the class and kind,
//! where the variable stands (pinned, shadowed, switched off) and the relations.

use super::compose::{compose_uri_parts, feeds};
use super::entries::{default_value, entries, uncomment};
use super::required::names_the_app;
use super::servers::required_by_running_images;
use super::{Map, Set, Var, Verdict, situation};
use crate::analysis::classify::{self, Evidence};
use crate::analysis::declare::{self, Declarations};
use crate::analysis::relations::{self, Relations};
use crate::analysis::{EnvInput, Input};
use crate::compose::{ComposeRef, display_path};
use crate::dotenv::ParseError;

/// The facts of every variable up to the relations between them: what `refs` shows, without
/// what only a verdict needs (requirement, strength).
pub(super) struct Gathered<'a> {
    pub(super) vars: Vec<Var<'a>>,
    pub(super) used: Vec<bool>,
    pub(super) relations: Relations,
    pub(super) declarations: Declarations,
    pub(super) live_abs: std::path::PathBuf,
    pub(super) live_is_env_file: bool,
    /// A service bind-mounts the live file (or a folder holding it): the app reads it whole.
    pub(super) live_mounted: bool,
    pub(super) live_interpolation_errors: Vec<ParseError>,
    pub(super) example_interpolation_errors: Vec<ParseError>,
}

/// The relations between the variables (groups, URL links, derivations), without judging
/// any value: `refs` shows them, and on a 10,000-variable project the judging (requirement,
/// strength, zxcvbn's dictionaries) is a third of the analysis (issue 13).
pub fn relations(input: &Input<'_>) -> Relations {
    Gathered::new(input).relations
}

impl<'a> Gathered<'a> {
    pub(super) fn new(input: &'a Input<'a>) -> Self {
        // A template whose every line is commented out (`# POSTGRES_PASSWORD=…` in two
        // alternative blocks) still says what to set: its commented lines are its entries.
        let uncommented = input
            .example
            .or(input.live.filter(|_| input.example.is_none()))
            .filter(|e| e.document.entries().next().is_none())
            .and_then(|e| uncomment(e.document));
        let synthetic = uncommented.as_ref().map(|d| EnvInput {
            path: input.example_path,
            document: d,
            errors: &[],
        });
        let example_input = input.example.filter(|_| synthetic.is_none()).or(synthetic);
        let (mut example, example_interpolation_errors) = example_input
            .map(|e| entries(&e, input.env))
            .unwrap_or_default();
        let (mut live, live_interpolation_errors) = input
            .live
            .map(|e| entries(&e, input.env))
            .unwrap_or_default();
        // The template's comments: the example's, or the live file's when it is the template.
        let mut declarations = input
            .example
            .or(input.live)
            .map(|e| declare::read(e.document))
            .unwrap_or_default();
        let live_keys: Vec<&str> = live.keys().copied().collect();
        // Keys the example does not list (a `settings.env` beside the `.env.example` of
        // `.env`): the live file's own comments are all that describe them ("Get your ID and
        // key from …" above Bitwarden's installation key).
        // They describe the variable only: what the example documents stays the example's.
        let mut live_declared: Map<String, declare::Declared> = Map::default();
        if let (Some(_), Some(l)) = (input.example, input.live)
            && live_keys.iter().any(|k| !example.contains_key(k))
        {
            live_declared.extend(
                declare::read(l.document)
                    .vars
                    .into_iter()
                    .filter(|(k, _)| !example.contains_key(k.as_str())),
            );
        }
        let (mut feeds, whole_file_images) = feeds(input, &live_keys);
        // Variables the unknown images loading the live file whole run: its keys, and the
        // sources of aliases among them.
        let whole_keys: Set<&str> = if whole_file_images.is_empty() {
            Set::default()
        } else {
            live_keys.iter().copied().collect()
        };
        let mut whole_sources: Set<String> = Set::default();
        let whole_fed =
            |name: &str, sources: &Set<String>| whole_keys.contains(name) || sources.contains(name);
        // `APP_S3_SECRET=${AWS_SECRET}`: whatever the alias feeds, its source feeds.
        for (name, e) in example.iter().chain(live.iter()) {
            if let [(source, _)] = e.refs.as_slice() {
                if let Some(fed) = feeds.get(*name).cloned() {
                    feeds.entry(source.clone()).or_default().extend(fed);
                }
                if whole_fed(name, &whole_sources) {
                    whole_sources.insert(source.clone());
                }
            }
        }
        // The words of the services' names, and of those names and their images'.
        let words_of = |n: &str| -> Vec<String> {
            n.split(['-', '_', '.', '/'])
                .filter(|w| !w.is_empty())
                .map(str::to_ascii_uppercase)
                .collect()
        };
        let service_words: foldhash::HashSet<String> = input
            .project
            .services
            .iter()
            .flat_map(|s| words_of(&s.name))
            .collect();
        let mut own_words = service_words.clone();
        own_words.extend(
            input
                .project
                .services
                .iter()
                .filter_map(|s| s.image.as_deref())
                .flat_map(|i| words_of(crate::analysis::knowledge::image_name(i))),
        );
        let own_servers: foldhash::HashSet<String> = input
            .project
            .services
            .iter()
            .filter_map(|s| s.image.as_deref())
            .filter(|i| input.knowledge.image(i).is_some_and(|i| i.family.is_some()))
            .map(|i| crate::analysis::knowledge::image_name(i).to_ascii_uppercase())
            .collect();
        let mut refs: Map<&str, Vec<&ComposeRef>> = Map::with_capacity_and_hasher(
            input.project.references.len(),
            foldhash::fast::RandomState::default(),
        );
        for r in &input.project.references {
            refs.entry(r.name.as_str()).or_default().push(r);
        }
        // A live file loaded by a service's env_file goes into that container whole.
        let live_abs = input.project.env_file.clone();
        let live_is_env_file = input.project.services.iter().any(|s| {
            s.env_files.iter().any(|f| {
                f.path == live_abs
                    || display_path(&input.project.working_dir, &f.path) == input.live_path
            })
        });
        let whole_file_reaches = live_is_env_file || live_reaches_containers(input, &live_abs);
        let uri_refs: Set<String> = example
            .values()
            .chain(live.values())
            .flat_map(|e| {
                e.refs
                    .iter()
                    .filter(|(_, uri)| *uri)
                    .map(|(n, _)| n.clone())
            })
            .collect();
        let compose_parts = compose_uri_parts(input);
        let mut value_uri_parts: Map<String, Vec<crate::analysis::shape::UriPart>> = Map::default();
        for e in example.values().chain(live.values()) {
            for (n, p) in &e.uri_parts {
                value_uri_parts.entry(n.clone()).or_default().push(*p);
            }
        }
        let value_refs: Set<String> = example
            .values()
            .chain(live.values())
            .flat_map(|e| e.refs.iter().map(|(n, _)| n.clone()))
            .collect();

        // Order: the example's order, then the rest by name. Borrowed from the documents and
        // the project until each becomes its variable's own name.
        let mut listed: Set<&str> = Set::default();
        let mut names: Vec<&str> = example_input
            .map(|e| {
                e.document
                    .entries()
                    .map(crate::dotenv::Entry::key)
                    .filter(|k| listed.insert(k))
                    .collect()
            })
            .unwrap_or_default();
        // A password a known image loading the live file cannot start without (the postgres
        // image's POSTGRES_PASSWORD) is a variable of the project even where nothing names it.
        let image_needs = if input.live.is_some() {
            // The env files' own setting that lets the server run open, the live file's
            // value first.
            let env_opens = live
                .iter()
                .chain(example.iter().filter(|(k, _)| !live.contains_key(*k)))
                .any(|(k, e)| {
                    e.value
                        .as_deref()
                        .is_some_and(|v| super::servers::opens_server(k, v))
                });
            super::servers::unset_server_passwords(input, &live_abs, env_opens)
        } else {
            Vec::new()
        };
        let mut rest: Vec<&str> = live
            .keys()
            .copied()
            .chain(refs.keys().copied())
            .chain(image_needs.iter().map(String::as_str))
            .filter(|n| !listed.contains(n))
            .collect();
        rest.sort_unstable();
        rest.dedup();
        names.extend(rest);

        // `PLAID_CLIENT_ID` -> `PLAID_SECRET`, `PLAID_SECRET_KEY`; a vendor's API key ->
        // `VERIFF_SHARED_SECRET`, `X_API_SECRET`: the secrets issued with it.
        let client_ids: Map<String, String> = names
            .iter()
            .filter_map(|n| issued_with(n, input.knowledge))
            .flatten()
            .collect();
        let mut used: Vec<bool> = Vec::with_capacity(names.len());
        let mut vars: Vec<Var<'a>> = names
            .into_iter()
            .map(|name| {
                let my_refs = refs.remove(name).unwrap_or_default();
                let example_entry = example.remove(name);
                let live_entry = live.remove(name);
                // Taken, not copied: afterwards the declarations are asked only which names
                // they document.
                let declared = declarations
                    .vars
                    .get_mut(name)
                    .map(std::mem::take)
                    .or_else(|| live_declared.remove(name))
                    .map(|mut d| {
                        // "Only needed when …", yet the app fails without it: required after all.
                        if d.required == Some(false)
                            && d.fails_without
                                .as_ref()
                                .is_some_and(|(before, last)| names_the_app(before, last, input))
                        {
                            d.required = None;
                        }
                        Box::new(d)
                    });
                let live_set_empty = live_entry
                    .as_ref()
                    .is_some_and(|e| e.value.as_deref() == Some(""));
                let default_with_ref = default_value(&my_refs, input, live_set_empty);
                let live_unset = live_entry
                    .as_ref()
                    .is_none_or(|e| e.value.as_deref().is_none_or(str::is_empty));
                let sample = example_entry
                    .as_ref()
                    .or(if input.example.is_none() {
                        live_entry.as_ref()
                    } else {
                        None
                    })
                    .and_then(|e| e.value.as_deref());
                let defaults: Vec<&str> = my_refs
                    .iter()
                    .filter_map(|r| r.default.as_deref())
                    .filter(|d| !d.contains('$'))
                    .collect();
                let c = classify::classify(
                    input.knowledge,
                    &Evidence {
                        name,
                        config: input.config.vars.get(name),
                        declared: declared.as_deref(),
                        sample,
                        defaults,
                        feeds: feeds.get(name).map_or(&[], Vec::as_slice),
                        whole_file_images: if whole_fed(name, &whole_sources) {
                            &whole_file_images
                        } else {
                            &[]
                        },
                        own_words: &own_words,
                        service_words: &service_words,
                        own_servers: &own_servers,
                        client_id: client_ids.get(name).map(String::as_str),
                    },
                );
                let (families, specific_families) = input.knowledge.name_families(name);
                let in_uri = my_refs.iter().any(|r| r.in_uri) || uri_refs.contains(name);
                let mut parts: Vec<crate::analysis::shape::UriPart> =
                    value_uri_parts.get(name).cloned().unwrap_or_default();
                for r in my_refs.iter().filter(|r| r.in_uri) {
                    parts.push(
                        compose_parts
                            .get(&(r.file.clone(), r.position.line, r.name.clone()))
                            .copied()
                            .unwrap_or(crate::analysis::shape::UriPart::UserInfo),
                    );
                }
                let reaches =
                    !my_refs.is_empty() || whole_file_reaches || value_refs.contains(name);
                let compose_reads = !my_refs.is_empty() || live_is_env_file;
                used.push(
                    !my_refs.is_empty()
                        || example_entry.is_some()
                        || live_is_env_file
                        || value_refs.contains(name)
                        // A commented-out line of the example documents a variable. With no
                        // example, the live file is its own template (a committed `.env`):
                        // nothing says which of its keys are stale.
                        || input.example.is_none()
                        || declarations.documents(name)
                        || name.starts_with("COMPOSE_"),
                );
                Var {
                    same_as: input
                        .config
                        .vars
                        .get(name)
                        .map(|v| v.same_as.clone())
                        .unwrap_or_default(),
                    example: example_entry,
                    live: live_entry,
                    refs: my_refs,
                    name: name.to_string(),
                    class: c.class,
                    kind: c.kind,
                    rules: c.rules,
                    classified_by: c.why,
                    url_credentials: c.url_credentials,
                    known_key: c.known_key,
                    required: false,
                    in_uri,
                    uri_parts: parts,
                    declared,
                    default_value: default_with_ref.as_ref().map(|(v, _)| v.clone()),
                    pinned: false,
                    pinned_by: None,
                    pinned_with: None,
                    shadowed: false,
                    passwordless_server: false,
                    families,
                    specific_families,
                    switched_off: false,
                    dev_twin: false,
                    reaches,
                    compose_reads,
                    strength_bits: None,
                    verdict: Verdict::Ok,
                    // The effective value of a setting the env file leaves to compose; never a
                    // secret's (the Inventory holds no secret value).
                    compose_default: default_with_ref
                        .filter(|_| c.class == crate::analysis::Class::Config && live_unset)
                        .map(|(value, r)| crate::analysis::ComposeDefault {
                            value,
                            file: r.file,
                            position: r.position,
                        }),
                }
            })
            .collect();
        situation::situate(&mut vars, input, &live_abs, &declarations);
        bundle_passphrases(&mut vars);
        super::outside_accounts::outside_key_pairs(&mut vars, input);
        super::outside_accounts::outside_logins(&mut vars, input);
        // An image's needs count only where Compose starts it (not behind a profile).
        let needed = required_by_running_images(input);
        for v in &mut vars {
            v.rules.required &= needed.contains(&v.name);
        }
        let relations = relations::infer(&mut vars, input);
        Gathered {
            vars,
            used,
            relations,
            declarations,
            live_mounted: live_mounted(input, &live_abs),
            live_abs,
            live_is_env_file,
            live_interpolation_errors,
            example_interpolation_errors,
        }
    }
}

/// The secrets a vendor issues together with `id` (a client id, or an API key the names
/// read as a provider's), each paired with `id`.
fn issued_with(
    id: &str,
    k: &crate::analysis::knowledge::Knowledge,
) -> Option<impl Iterator<Item = (String, String)>> {
    const WITH_CLIENT_ID: [&str; 2] = ["SECRET", "SECRET_KEY"];
    const WITH_API_KEY: [&str; 7] = [
        "SECRET",
        "SECRET_KEY",
        "API_SECRET",
        "API_SECRET_KEY",
        "SHARED_SECRET",
        "WEBHOOK_SECRET",
        "SIGNING_SECRET",
    ];
    let (prefix, secrets): (&str, &[&str]) = if let Some(p) = id.strip_suffix("_CLIENT_ID") {
        (p, &WITH_CLIENT_ID)
    } else if let Some(p) = id
        .strip_suffix("_API_KEY")
        .or_else(|| id.strip_suffix("_APIKEY"))
    {
        // Only an outside vendor's key: `APP_API_KEY` or an internal one names no issuer.
        let generic = matches!(
            p,
            "APP"
                | "API"
                | "WEB"
                | "SERVER"
                | "SERVICE"
                | "BACKEND"
                | "FRONTEND"
                | "AUTH"
                | "ADMIN"
                | "INTERNAL"
                | "PUBLIC"
                | "PRIVATE"
                | "NEXT_PUBLIC"
                | "MASTER"
                | "ROOT"
        );
        if generic || k.name(id).class != crate::analysis::Class::External {
            return None;
        }
        (p, &WITH_API_KEY)
    } else {
        return None;
    };
    if prefix.is_empty() {
        return None;
    }
    Some(
        secrets
            .iter()
            .map(move |s| (format!("{prefix}_{s}"), id.to_string())),
    )
}

/// Whether the live file can reach a container other than through compose references: the
/// project has no services to say (a bare env file is judged whole), or a service
/// bind-mounts it or a folder holding it, or builds an image from such a folder (a build
/// may copy it in) rather than pulling the image it names.
fn live_reaches_containers(input: &Input<'_>, live: &std::path::Path) -> bool {
    let project = &input.project;
    project.services.is_empty()
        || live_mounted(input, live)
        || project.services.iter().any(|s| {
            s.builds_on_up()
                && s.build
                    .as_ref()
                    .is_some_and(|b| b.path.as_deref().is_some_and(|dir| live.starts_with(dir)))
        })
}

/// Whether a service bind-mounts the live file or a folder holding it (Laravel Sail's
/// `.:/var/www/html`): the app reads the file itself, as through `env_file:`.
fn live_mounted(input: &Input<'_>, live: &std::path::Path) -> bool {
    let project = &input.project;
    project.services.iter().any(|s| {
        s.volumes.iter().any(|m| {
            m.kind == crate::compose::MountKind::Bind
                && m.source.as_deref().is_some_and(|src| {
                    // A home-relative source cannot be resolved here: count it.
                    src.starts_with('~')
                        || live.starts_with(crate::compose::resolve_path(
                            &project.working_dir,
                            src.as_ref(),
                        ))
                })
        })
    })
}

/// The passphrase of a key bundle the env file carries (`OpenSign`'s `PASS_PHRASE` for its
/// `PFX_BASE64`) unlocks that bundle: made with it, it is the provider's like the bundle
/// itself. A new random passphrase beside the old bundle left the app unable to sign.
fn bundle_passphrases(vars: &mut [Var<'_>]) {
    let words = |name: &str| -> Vec<String> {
        crate::analysis::knowledge::name_words(name)
            .map(std::borrow::Cow::into_owned)
            .collect()
    };
    // Most projects have no bundle: a substring test spares splitting every name.
    let may_bundle = |name: &str| {
        ["PFX", "P12", "KEYSTORE"].iter().any(|w| {
            name.as_bytes()
                .windows(w.len())
                .any(|part| part.eq_ignore_ascii_case(w.as_bytes()))
        })
    };
    let bundle = vars.iter().find(|v| {
        v.class == crate::analysis::Class::External
            && may_bundle(&v.name)
            && words(&v.name)
                .iter()
                .any(|w| matches!(w.as_str(), "PFX" | "P12" | "PKCS12" | "KEYSTORE"))
            && v.live
                .as_ref()
                .or(v.example.as_ref())
                .and_then(|e| e.value.as_deref())
                .is_some_and(|value| !value.trim().is_empty())
    });
    let Some(bundle) = bundle.map(|v| v.name.clone()) else {
        return;
    };
    for v in vars
        .iter_mut()
        .filter(|v| v.class == crate::analysis::Class::Secret)
    {
        let w = words(&v.name);
        let passphrase = w.iter().any(|w| w == "PASSPHRASE")
            || w.windows(2).any(|p| p[0] == "PASS" && p[1] == "PHRASE");
        if passphrase {
            v.class = crate::analysis::Class::External;
            v.kind = None;
            v.classified_by = format!("the passphrase of {bundle}, made with it");
        }
    }
}
