//! Per-variable facts gathered once, in the order the analysis needs them: what the files
//! say (entries, declarations, compose uses), the class and kind, the relations between
//! variables, whether each is required, and finally the verdict that decides its status.
//!
//! Every rule reads this [`Context`]; the status of a variable and the findings of the
//! value rules all come from the one [`Verdict`] computed here, so they never disagree.

mod compose;
mod entries;
mod gates;
mod gather;
mod outside_accounts;
mod required;
mod servers;
mod situation;
mod switches;
mod var;

use gather::Gathered;
pub use gather::relations;
pub use servers::command_line_passwords;
pub use var::Var;

// The analysis builds a dozen maps keyed by every variable name; foldhash (hashbrown's own
// seeded hasher) halves what SipHash cost there.
type Map<K, V> = foldhash::HashMap<K, V>;
type Set<T> = foldhash::HashSet<T>;

use required::required;

use super::declare::Declarations;
use super::relations::Relations;
use super::strength::Weakness;
use super::{Class, Input, shape, verdict};
use crate::compose::ComposeRef;
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
    /// Its value has a bare `$word` naming nothing the file or the environment sets, which
    /// Compose reads as an unset variable and drops.
    pub stray_dollar: bool,
    /// Written `KEY= # comment`: an unquoted value opening with `#` after blanks. Compose
    /// reads the comment as the value; a dotenv library (dotenvy, Node's dotenv) reads it
    /// empty.
    pub comment_as_value: bool,
    /// Its value refers to its own name (`OpenPanel`'s `COOKIE_SECRET="$COOKIE_SECRET"`, a
    /// marker a setup script replaces): Compose reads that from the OS environment, or as
    /// "". The reference is not kept in `refs`; the template asks for a value there.
    pub self_marker: bool,
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
            live_mounted,
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
        let mut image_needs = servers::required_through_env_file(input, &live_abs);
        image_needs.extend(servers::command_line_server_passwords(input));
        image_needs.extend(servers::server_passwords_apps_use(input));
        // The server families the project runs: a client password named for one of them
        // (`POSTGRES_PASSWORD` for rails beside a postgres service) is how the app logs in.
        let own_families: Set<&str> = input
            .project
            .services
            .iter()
            // Behind a profile that is off, a server is not run (ragflow's OpenSearch).
            .filter(|s| compose::is_active(s, input))
            .filter_map(|s| s.image.as_deref())
            .filter_map(|i| input.knowledge.image(i))
            .filter_map(|i| i.family.as_deref())
            .collect();
        for v in &mut vars {
            let needed = image_needs.contains(&v.name)
                || (!v.passwordless_server
                    && v.specific_families.iter().any(|f| own_families.contains(f)));
            // A live file a service mounts is read whole by the app, as through env_file.
            v.required = required(v, input, live_is_env_file || live_mounted, needed);
            // A setting a known image cannot start without once another is set (MinIO's root
            // user beside its root password) needs the value the user chooses.
            if v.class == Class::Config && image_needs.contains(&v.name) {
                v.required |= v
                    .live
                    .as_ref()
                    .or(v.example.as_ref())
                    .is_none_or(|e| e.value.as_deref().is_none_or(shape::is_blank));
            }
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
