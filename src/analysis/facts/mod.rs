//! Per-variable facts gathered once, in the order the analysis needs them: what the files
//! say (entries, declarations, compose uses), the class and kind, the relations between
//! variables, whether each is required, and finally the verdict that decides its status.
//!
//! Every rule reads this [`Context`]; the status of a variable and the findings of the
//! value rules all come from the one [`Verdict`] computed here, so they never disagree.

mod compose;
mod entries;
mod required;
mod situation;
mod switches;
mod var;

pub use var::Var;

// The analysis builds a dozen maps keyed by every variable name; foldhash (hashbrown's own
// seeded hasher) halves what SipHash cost there.
type Map<K, V> = foldhash::HashMap<K, V>;
type Set<T> = foldhash::HashSet<T>;

use compose::{compose_uri_parts, feeds, required_by_running_images};
use entries::{default_value, entries, uncomment};
use required::required;

use super::classify::{self, Evidence};
use super::declare::{self, Declarations};
use super::relations::{self, Relations};
use super::strength::Weakness;
use super::{EnvInput, Input, verdict};
use crate::compose::{ComposeRef, display_path};
use crate::dotenv::ParseError;
use crate::position::Position;

/// A statement of a `.env`-syntax file, decoded.
#[derive(Debug, Clone)]
pub struct EntryFacts {
    /// Where the winning statement is.
    pub position: Position,
    /// Its value as Compose reads it; `None` when it could not be decoded.
    pub value: Option<String>,
    /// Variables its value interpolates, with whether each sits in a URI.
    pub refs: Vec<(String, bool)>,
    /// The URI part each interpolated variable sits in, for those inside a URI.
    pub uri_parts: Vec<(String, crate::analysis::shape::UriPart)>,
    /// Where every statement for this key is, in order (duplicates).
    pub all_positions: Vec<Position>,
}

/// Why a variable has the status it has.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Required and unset or empty.
    Missing,
    /// A placeholder; `via_default` when the value comes from a compose default.
    Placeholder {
        /// Why it is a placeholder.
        why: String,
        /// The compose reference whose default supplies the value.
        via_default: Option<Box<ComposeRef>>,
    },
    /// A weak secret; `via_default` as above.
    Weak {
        /// What falls short.
        weaknesses: Vec<Weakness>,
        /// The compose reference whose default supplies the value.
        via_default: Option<Box<ComposeRef>>,
    },
    /// A value of the wrong format.
    Invalid {
        /// Why.
        why: String,
    },
    /// A derived value that does not match its source.
    Derived {
        /// Why.
        why: String,
    },
    /// A value that must equal another's and does not.
    Mismatch {
        /// The other variable.
        with: String,
        /// Why they must be equal.
        why: String,
    },
    /// Only in the live file.
    Unused,
    /// Nothing to fix.
    Ok,
}

/// The analysis input with its per-variable facts.
pub struct Context<'a> {
    /// What was read.
    pub input: &'a Input<'a>,
    /// Every variable, in report order.
    pub vars: Vec<Var<'a>>,
    /// Groups, URL links and derivations.
    pub relations: Relations,
    /// What the template declares (to know what it documents).
    pub declarations: Declarations,
    /// Values of the live file whose interpolation fails (Compose rejects the file).
    pub live_interpolation_errors: Vec<ParseError>,
    /// The same for the example file.
    pub example_interpolation_errors: Vec<ParseError>,
}

/// The facts of every variable up to the relations between them: what `refs` shows, without
/// what only a verdict needs (requirement, strength).
struct Gathered<'a> {
    vars: Vec<Var<'a>>,
    used: Vec<bool>,
    relations: Relations,
    declarations: Declarations,
    live_abs: std::path::PathBuf,
    live_is_env_file: bool,
    live_interpolation_errors: Vec<ParseError>,
    example_interpolation_errors: Vec<ParseError>,
}

/// The relations between the variables (groups, URL links, derivations), without judging
/// any value: `refs` shows them, and on a 10,000-variable project the judging (requirement,
/// strength, zxcvbn's dictionaries) is a third of the analysis (issue 13).
pub fn relations(input: &Input<'_>) -> Relations {
    Gathered::new(input).relations
}

impl<'a> Gathered<'a> {
    fn new(input: &'a Input<'a>) -> Self {
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
        let live_keys: Vec<String> = live.keys().cloned().collect();
        let (mut feeds, whole_file_images) = feeds(input, &live_keys);
        // Variables the unknown images loading the live file whole run: its keys, and the
        // sources of aliases among them.
        let whole_keys: Set<&str> = if whole_file_images.is_empty() {
            Set::default()
        } else {
            live_keys.iter().map(String::as_str).collect()
        };
        let mut whole_sources: Set<String> = Set::default();
        let whole_fed =
            |name: &str, sources: &Set<String>| whole_keys.contains(name) || sources.contains(name);
        // `APP_S3_SECRET=${AWS_SECRET}`: whatever the alias feeds, its source feeds.
        for (name, e) in example.iter().chain(live.iter()) {
            if let [(source, _)] = e.refs.as_slice() {
                if let Some(fed) = feeds.get(name).cloned() {
                    feeds.entry(source.clone()).or_default().extend(fed);
                }
                if whole_fed(name, &whole_sources) {
                    whole_sources.insert(source.clone());
                }
            }
        }
        let own_words: foldhash::HashSet<String> = input
            .project
            .services
            .iter()
            .flat_map(|s| {
                let image = s
                    .image
                    .as_deref()
                    .map_or("", crate::analysis::knowledge::image_name);
                [s.name.clone(), image.to_string()]
            })
            .flat_map(|n| {
                n.split(['-', '_', '.', '/'])
                    .filter(|w| !w.is_empty())
                    .map(str::to_ascii_uppercase)
                    .collect::<Vec<_>>()
            })
            .collect();
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
        let live_abs = input.project.working_dir.join(input.live_path);
        let live_is_env_file = input.project.services.iter().any(|s| {
            s.env_files.iter().any(|f| {
                f.path == live_abs
                    || display_path(&input.project.working_dir, &f.path) == input.live_path
            })
        });
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

        // Order: the example's order, then the rest by name.
        let mut names: Vec<String> = example_input
            .map(|e| e.document.keys().into_iter().map(str::to_string).collect())
            .unwrap_or_default();
        let mut seen_names: Set<String> = Set::default();
        names.retain(|n| seen_names.insert(n.clone()));
        let listed: Set<&String> = names.iter().collect();
        let mut rest: Vec<String> = live
            .keys()
            .cloned()
            .chain(refs.keys().map(|k| (*k).to_string()))
            .filter(|n| !listed.contains(n))
            .collect();
        rest.sort();
        rest.dedup();
        names.extend(rest);

        let mut used: Vec<bool> = Vec::with_capacity(names.len());
        let mut vars: Vec<Var<'a>> = names
            .into_iter()
            .map(|name| {
                let my_refs = refs.remove(name.as_str()).unwrap_or_default();
                let example_entry = example.remove(&name);
                let live_entry = live.remove(&name);
                // Taken, not copied: afterwards the declarations are asked only which names
                // they document.
                let declared = declarations
                    .vars
                    .get_mut(&name)
                    .map(|d| Box::new(std::mem::take(d)));
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
                        name: &name,
                        config: input.config.vars.get(&name),
                        declared: declared.as_deref(),
                        sample,
                        defaults,
                        feeds: feeds.get(&name).map_or(&[], Vec::as_slice),
                        whole_file_images: if whole_fed(&name, &whole_sources) {
                            &whole_file_images
                        } else {
                            &[]
                        },
                        own_words: &own_words,
                        own_servers: &own_servers,
                    },
                );
                let in_uri = my_refs.iter().any(|r| r.in_uri) || uri_refs.contains(&name);
                let mut parts: Vec<crate::analysis::shape::UriPart> =
                    value_uri_parts.get(&name).cloned().unwrap_or_default();
                for r in my_refs.iter().filter(|r| r.in_uri) {
                    parts.push(
                        compose_parts
                            .get(&(r.file.clone(), r.position.line, r.name.clone()))
                            .copied()
                            .unwrap_or(crate::analysis::shape::UriPart::UserInfo),
                    );
                }
                used.push(
                    !my_refs.is_empty()
                        || example_entry.is_some()
                        || live_is_env_file
                        || value_refs.contains(&name)
                        // A commented-out line of the example documents a variable. With no
                        // example, the live file is its own template (a committed `.env`):
                        // nothing says which of its keys are stale.
                        || input.example.is_none()
                        || declarations.documents(&name)
                        || name.starts_with("COMPOSE_"),
                );
                Var {
                    same_as: input
                        .config
                        .vars
                        .get(&name)
                        .map(|v| v.same_as.clone())
                        .unwrap_or_default(),
                    example: example_entry,
                    live: live_entry,
                    refs: my_refs,
                    name,
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
                    pinned_with: None,
                    shadowed: false,
                    passwordless_server: false,
                    switched_off: false,
                    strength_bits: None,
                    verdict: Verdict::Ok,
                    // The effective value of a setting the env file leaves to compose; never a
                    // secret's (the Inventory holds no secret value).
                    compose_default: default_with_ref
                        .filter(|_| c.class == super::Class::Config && live_unset)
                        .map(|(value, r)| super::ComposeDefault {
                            value,
                            file: r.file,
                            position: r.position,
                        }),
                }
            })
            .collect();
        situation::situate(&mut vars, input, &live_abs);
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
            live_abs,
            live_is_env_file,
            live_interpolation_errors,
            example_interpolation_errors,
        }
    }
}

impl<'a> Context<'a> {
    /// Gathers the facts of every variable.
    pub fn new(input: &'a Input<'a>) -> Self {
        let Gathered {
            mut vars,
            used,
            relations,
            declarations,
            live_abs,
            live_is_env_file,
            live_interpolation_errors,
            example_interpolation_errors,
        } = Gathered::new(input);
        // Where each name is (the first, as a search would find): every variable looks up
        // its partners, and a search each would make the analysis quadratic.
        let mut positions: Map<String, usize> = Map::default();
        for (i, v) in vars.iter().enumerate() {
            positions.entry(v.name.clone()).or_insert(i);
        }
        // A password that a URL carries must survive inside that URL.
        for link in &relations.urls {
            if let Some(&i) = positions.get(&link.password_of) {
                vars[i].in_uri = true;
            }
        }
        let image_needs = compose::required_through_env_file(input, &live_abs);
        // The server families the project runs: a client password named for one of them
        // (`POSTGRES_PASSWORD` for rails beside a postgres service) is how the app logs in.
        let own_families: Set<&str> = input
            .project
            .services
            .iter()
            .filter_map(|s| s.image.as_deref())
            .filter_map(|i| input.knowledge.image(i))
            .filter_map(|i| i.family.as_deref())
            .collect();
        for v in &mut vars {
            let needed = image_needs.contains(&v.name)
                || (!v.passwordless_server
                    && input
                        .knowledge
                        .specific_families_of_name(&v.name)
                        .iter()
                        .any(|f| own_families.contains(f)));
            v.required = required(v, input, live_is_env_file, needed);
        }
        // One value for a group: a member needed makes the others needed where they too are
        // left empty for the app (ToolJet's TOOLJET_DB_PASS beside the postgres PG_PASS).
        for group in &relations.groups {
            let members: Vec<usize> = group
                .members
                .iter()
                .filter_map(|m| positions.get(m).copied())
                .collect();
            if members.iter().any(|&i| vars[i].required) {
                for i in members {
                    let v = &mut vars[i];
                    v.required |= required::empty_for_the_app(v, input, live_is_env_file);
                }
            }
        }
        let all = verdict::Vars {
            all: &vars,
            by_name: &positions,
        };
        let verdicts: Vec<(Verdict, Option<f64>)> = vars
            .iter()
            .zip(&used)
            .map(|(v, used)| verdict::judge(v, &all, &relations, input, *used))
            .collect();
        for (v, (verdict, bits)) in vars.iter_mut().zip(verdicts) {
            v.verdict = verdict;
            v.strength_bits = bits;
        }
        vars.shrink_to_fit();
        Context {
            input,
            vars,
            relations,
            declarations,
            live_interpolation_errors,
            example_interpolation_errors,
        }
    }

    /// The variable called `name`.
    pub fn var(&self, name: &str) -> Option<&Var<'a>> {
        self.vars.iter().find(|v| v.name == name)
    }

    /// Whether Compose would use the default of a top-level `${name:-…}` (`form` says which
    /// operator): the variable is unset in the environment and in the live file (in the
    /// example, before there is a live file, since that is what the live file starts as), or
    /// empty under `:-`.
    pub fn default_applies(&self, name: &str, form: crate::interpolate::Form) -> bool {
        let value = self.input.env.get(name).cloned().or_else(|| {
            let v = self.var(name)?;
            let entry = if self.input.live.is_some() {
                v.live.as_ref()
            } else {
                v.example.as_ref()
            }?;
            // An undecodable value is set to something: Compose would not use the default.
            Some(entry.value.clone().unwrap_or_else(|| "?".to_string()))
        });
        match value {
            None => true,
            Some(v) => v.is_empty() && form == crate::interpolate::Form::DefaultIfEmpty,
        }
    }
}
