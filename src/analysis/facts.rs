//! Per-variable facts gathered once, and the verdict that decides each status.
//!
//! Every rule reads this [`Context`]; the status of a variable and the findings of the
//! `missing`, `placeholder`, `weak`, `weak-default`, `invalid` and `unused` rules all come
//! from the one [`Verdict`] computed here, so they can never disagree.

use std::collections::HashMap;

// The analysis builds a dozen maps keyed by every variable name; foldhash (hashbrown's own
// seeded hasher) halves what SipHash cost there.
type Map<K, V> = foldhash::HashMap<K, V>;
type Set<T> = foldhash::HashSet<T>;

use super::knowledge::{Knowledge, ValueRules};
use super::strength::Weakness;
use super::{Class, EnvInput, Input, Status, Use, Variable};
use crate::compose::{ComposeRef, Usage, display_path};
use crate::dotenv::{Document, Item, ParseError};
use crate::generate::{Alphabet, Constraints, Kind};
use crate::interpolate;
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
        via_default: Option<ComposeRef>,
    },
    /// A weak secret; `via_default` as above.
    Weak {
        /// What falls short.
        weaknesses: Vec<Weakness>,
        /// The compose reference whose default supplies the value.
        via_default: Option<ComposeRef>,
    },
    /// A value of the wrong format.
    Invalid {
        /// Why.
        why: String,
    },
    /// Only in the live file.
    Unused,
    /// Nothing to fix.
    Ok,
}

/// Everything known about one variable.
#[derive(Debug, Clone)]
pub struct Var<'a> {
    /// The name.
    pub name: String,
    /// Its class.
    pub class: Class,
    /// Its kind.
    pub kind: Option<Kind>,
    /// Image constraints merged across the containers it feeds.
    pub rules: ValueRules,
    /// What decided class and kind.
    pub classified_by: String,
    /// Must be set.
    pub required: bool,
    /// The example's statement.
    pub example: Option<EntryFacts>,
    /// The live file's statement.
    pub live: Option<EntryFacts>,
    /// Compose references to it.
    pub refs: Vec<&'a ComposeRef>,
    /// Used inside a URI (in compose, or inside another variable's value).
    pub in_uri: bool,
    /// Variables allowed to share its value.
    pub same_as: Vec<String>,
    /// The example section it sits under.
    pub section: Option<String>,
    /// Strength of the judged value, when judged.
    pub strength_bits: Option<f64>,
    /// The verdict.
    pub verdict: Verdict,
}

impl Var<'_> {
    /// The status the verdict gives.
    pub fn status(&self) -> Status {
        match self.verdict {
            Verdict::Missing => Status::Missing,
            Verdict::Placeholder { .. } => Status::Placeholder,
            Verdict::Weak { .. } => Status::Weak,
            Verdict::Invalid { .. } => Status::Invalid,
            Verdict::Unused => Status::Unused,
            Verdict::Ok => Status::Ok,
        }
    }

    /// The live value, when set.
    pub fn live_value(&self) -> Option<&str> {
        self.live.as_ref().and_then(|e| e.value.as_deref())
    }

    /// Where a finding about the live value should point: the live statement, else the
    /// first compose use, else the example.
    pub fn location(&self, cx: &Context<'_>) -> (std::path::PathBuf, Position) {
        if let Some(l) = &self.live {
            return (cx.input.live_path.to_path_buf(), l.position);
        }
        if let Some(r) = self.refs.iter().find(|r| r.required).or(self.refs.first()) {
            return (r.file.clone(), r.position);
        }
        if let Some(e) = &self.example {
            return (cx.input.example_path.to_path_buf(), e.position);
        }
        (
            cx.input.live_path.to_path_buf(),
            Position { line: 1, column: 1 },
        )
    }

    /// The constraints a generated value must meet.
    pub fn constraints(&self) -> Constraints {
        Constraints {
            uri_safe: self.in_uri || self.rules.uri_safe,
            max_len: self.rules.max_length,
            forbidden: self
                .rules
                .forbidden
                .clone()
                .unwrap_or_default()
                .chars()
                .collect(),
            alphabet: self
                .rules
                .alphabet
                .as_deref()
                .and_then(|a| Alphabet::new(a).ok()),
        }
    }

    pub(super) fn to_variable(&self, findings: Vec<usize>) -> Variable {
        let mut used_by: Vec<Use> = self
            .refs
            .iter()
            .map(|r| Use {
                service: r.scope.name().to_string(),
                file: r.file.clone(),
                position: r.position,
                in_uri: r.in_uri,
            })
            .collect();
        used_by.dedup();
        Variable {
            name: self.name.clone(),
            status: self.status(),
            class: self.class,
            kind: self.kind,
            required: self.required,
            in_env: self.live.is_some(),
            in_example: self.example.is_some(),
            used_by,
            findings,
            strength_bits: self.strength_bits,
            constraints: self.constraints(),
            section: self.section.clone(),
            env_position: self.live.as_ref().map(|e| e.position),
            example_position: self.example.as_ref().map(|e| e.position),
            classified_by: self.classified_by.clone(),
        }
    }
}

/// The analysis input with its per-variable facts.
pub struct Context<'a> {
    /// What was read.
    pub input: &'a Input<'a>,
    /// Every variable, in report order.
    pub vars: Vec<Var<'a>>,
    /// Values of the live file whose interpolation fails (Compose rejects the file).
    pub live_interpolation_errors: Vec<ParseError>,
    /// The same for the example file.
    pub example_interpolation_errors: Vec<ParseError>,
}

/// Decodes each statement of a file (tolerating interpolation errors per statement, which
/// are returned for the `syntax` rule).
fn entries(
    input: &EnvInput<'_>,
    env: &HashMap<String, String>,
) -> (Map<String, EntryFacts>, Vec<ParseError>) {
    let mut out: Map<String, EntryFacts> = Map::with_capacity_and_hasher(
        input.document.items().len(),
        foldhash::fast::RandomState::default(),
    );
    let (bindings, errors) = input
        .document
        .resolve_collecting(&|k: &str| env.get(k).cloned());
    let mut values: Map<&str, &str> =
        Map::with_capacity_and_hasher(bindings.len(), foldhash::fast::RandomState::default());
    values.extend(bindings.iter().map(|b| (b.key.as_str(), b.value.as_str())));
    for entry in input.document.entries() {
        let refs = if entry.raw_value().contains('$') {
            let refs = entry.references();
            let starts: Vec<usize> = refs.iter().map(|r| r.span.start).collect();
            let uri = entry.template().map_or_else(
                || vec![false; starts.len()],
                |t| crate::compose::in_uri_all(&t, &starts),
            );
            refs.into_iter().map(|r| r.name).zip(uri).collect()
        } else {
            Vec::new()
        };
        let facts = out.entry(entry.key().to_string()).or_insert(EntryFacts {
            position: entry.position(),
            value: None,
            refs: Vec::new(),
            all_positions: Vec::new(),
        });
        facts.position = entry.position();
        facts.all_positions.push(entry.position());
        facts.refs = refs;
        facts.value = values.get(entry.key()).map(|v| (*v).to_string());
    }
    (out, errors)
}

/// Section headings of the example: the last comment line of a comment block that follows a
/// blank line, applied to every entry until the next heading.
fn sections(doc: &Document) -> Map<String, String> {
    let mut out = Map::default();
    let mut current: Option<String> = None;
    for item in doc.items() {
        match item {
            Item::Trivia(t) => {
                let lines: Vec<&str> = t.lines().collect();
                let blank_before = lines.iter().any(|l| l.trim().is_empty());
                let heading = lines
                    .iter()
                    .filter_map(|l| l.trim().strip_prefix('#'))
                    .map(|l| {
                        l.trim_matches(|c: char| {
                            c == '#' || c == '-' || c == '=' || c == '*' || c.is_whitespace()
                        })
                    })
                    .rfind(|l| l.chars().any(char::is_alphanumeric) && !l.starts_with("envward:"));
                if let Some(h) = heading
                    && (blank_before || current.is_none())
                {
                    current = Some(h.to_string());
                }
            }
            Item::Entry(e) => {
                if let Some(s) = &current {
                    out.entry(e.key().to_string()).or_insert_with(|| s.clone());
                }
            }
        }
    }
    out
}

/// `# envward: secret hex:32` on the line right above an example entry.
fn annotations(doc: &Document) -> Map<String, (Option<Class>, Option<Kind>)> {
    let mut out = Map::default();
    let mut pending: Option<(Option<Class>, Option<Kind>)> = None;
    for item in doc.items() {
        match item {
            Item::Trivia(t) => {
                let last_comment = t
                    .lines()
                    .rfind(|l| !l.trim().is_empty())
                    .and_then(|l| l.trim().strip_prefix('#'))
                    .and_then(|l| l.trim().strip_prefix("envward:"));
                pending = last_comment.map(|words| {
                    let mut class = None;
                    let mut kind = None;
                    for w in words.split_whitespace() {
                        match w {
                            "secret" => class = Some(Class::Secret),
                            "external" => class = Some(Class::External),
                            "config" => class = Some(Class::Config),
                            other => kind = other.parse().ok().or(kind),
                        }
                    }
                    (class, kind)
                });
            }
            Item::Entry(e) => {
                if let Some(a) = pending.take() {
                    out.insert(e.key().to_string(), a);
                }
            }
        }
    }
    out
}

fn merge_rules(into: &mut ValueRules, from: &ValueRules) {
    into.min_length = into.min_length.max(from.min_length);
    into.max_length = match (into.max_length, from.max_length) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if from.alphabet.is_some() {
        into.alphabet.clone_from(&from.alphabet);
    }
    if let Some(f) = &from.forbidden {
        into.forbidden = Some(format!("{}{f}", into.forbidden.clone().unwrap_or_default()));
    }
    into.uri_safe |= from.uri_safe;
}

/// Classifies a variable: config file, then annotation, then the images it feeds, then its
/// name. Returns class, kind, image rules and what decided.
fn classify(
    name: &str,
    input: &Input<'_>,
    annotation: Option<&(Option<Class>, Option<Kind>)>,
    feeds: &[(String, String)],
) -> (Class, Option<Kind>, ValueRules, String) {
    let k: &Knowledge = input.knowledge;
    let mut rules = ValueRules::default();
    let mut from_image: Option<(Class, Option<Kind>, String)> = None;
    for (image, container_var) in feeds {
        if let Some(r) = k.image_var(image, container_var) {
            merge_rules(&mut rules, r);
            if from_image.is_none()
                && let Some(class) = r.class
            {
                let kind = r.kind.as_deref().and_then(|s| s.parse().ok());
                from_image = Some((
                    class,
                    kind,
                    format!(
                        "image {} reads it as {container_var}",
                        super::knowledge::image_name(image)
                    ),
                ));
            }
        }
    }
    let by_name = k.by_name(name);
    let (mut class, mut kind, mut why) = match (&from_image, by_name) {
        (Some((c, kd, why)), _) => (*c, *kd, why.clone()),
        (None, Some((c, kd))) => (c, kd, "name pattern in templates/names.toml".to_string()),
        (None, None) => (
            Class::Config,
            None,
            "no secret pattern matches its name".to_string(),
        ),
    };
    if let Some((c, kd)) = annotation {
        if let Some(c) = c {
            class = *c;
        }
        if kd.is_some() {
            kind = *kd;
        }
        why = "annotation in the example file".to_string();
    }
    if let Some(vc) = input.config.vars.get(name) {
        if let Some(c) = vc.class {
            class = c;
        }
        if let Some(kd) = vc.kind.as_deref().and_then(|s| s.parse().ok()) {
            kind = Some(kd);
        }
        why = "envward.toml".to_string();
    }
    if class == Class::Secret && kind.is_none() {
        kind = Some(Kind::Password);
    }
    if class != Class::Secret {
        kind = kind.filter(|_| class == Class::External);
    }
    (class, kind, rules, why)
}

/// Which `(image, container variable)` pairs each `.env` variable feeds.
fn feeds(input: &Input<'_>) -> Map<String, Vec<(String, String)>> {
    let mut out: Map<String, Vec<(String, String)>> = Map::default();
    for service in &input.project.services {
        let Some(image) = &service.image else {
            continue;
        };
        for var in &service.environment {
            match &var.value {
                None => out
                    .entry(var.key.clone())
                    .or_default()
                    .push((image.clone(), var.key.clone())),
                Some(v) => {
                    for r in interpolate::references(v).unwrap_or_default() {
                        out.entry(r.name)
                            .or_default()
                            .push((image.clone(), var.key.clone()));
                    }
                }
            }
        }
    }
    out
}

impl<'a> Context<'a> {
    /// Gathers the facts of every variable.
    pub fn new(input: &'a Input<'a>) -> Self {
        let (mut example, example_interpolation_errors) = input
            .example
            .map(|e| entries(&e, input.env))
            .unwrap_or_default();
        let (mut live, live_interpolation_errors) = input
            .live
            .map(|e| entries(&e, input.env))
            .unwrap_or_default();
        let sections = input
            .example
            .map(|e| sections(e.document))
            .unwrap_or_default();
        let annotations = input
            .example
            .map(|e| annotations(e.document))
            .unwrap_or_default();
        let feeds = feeds(input);
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
        let value_refs: Set<String> = example
            .values()
            .chain(live.values())
            .flat_map(|e| e.refs.iter().map(|(n, _)| n.clone()))
            .collect();

        // Order: the example's order, then the rest by name.
        let mut names: Vec<String> = input
            .example
            .map(|e| e.document.keys().into_iter().map(str::to_string).collect())
            .unwrap_or_default();
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

        let mut vars: Vec<Var<'a>> = names
            .into_iter()
            .map(|name| {
                let my_refs = refs.remove(name.as_str()).unwrap_or_default();
                let (class, kind, rules, classified_by) = classify(
                    &name,
                    input,
                    annotations.get(&name),
                    feeds.get(&name).map_or(&[], Vec::as_slice),
                );
                let compose_required = my_refs.iter().any(|r| r.required);
                let has_refs = !my_refs.is_empty();
                let in_example = example.contains_key(&name);
                let required = input
                    .config
                    .vars
                    .get(&name)
                    .and_then(|v| v.required)
                    .unwrap_or(
                        compose_required || (in_example && class == Class::Secret && !has_refs),
                    );
                let in_uri = my_refs.iter().any(|r| r.in_uri) || uri_refs.contains(&name);
                let used = has_refs
                    || in_example
                    || live_is_env_file
                    || value_refs.contains(&name)
                    || name.starts_with("COMPOSE_");
                let mut var = Var {
                    same_as: input
                        .config
                        .vars
                        .get(&name)
                        .map(|v| v.same_as.clone())
                        .unwrap_or_default(),
                    section: sections.get(&name).cloned(),
                    example: example.remove(&name),
                    live: live.remove(&name),
                    refs: my_refs,
                    name,
                    class,
                    kind,
                    rules,
                    classified_by,
                    required,
                    in_uri,
                    strength_bits: None,
                    verdict: Verdict::Ok,
                };
                var.verdict = judge(&mut var, input, used);
                var
            })
            .collect();
        vars.shrink_to_fit();
        Context {
            input,
            vars,
            live_interpolation_errors,
            example_interpolation_errors,
        }
    }

    /// The variable called `name`.
    pub fn var(&self, name: &str) -> Option<&Var<'a>> {
        self.vars.iter().find(|v| v.name == name)
    }
}

/// The compose default that supplies a value when the live file does not, evaluated.
fn default_supply(var: &Var<'_>, input: &Input<'_>) -> Option<(String, ComposeRef)> {
    let env = &input.project.environment;
    var.refs
        .iter()
        .filter(|r| matches!(r.usage, Usage::Interpolation(_)) && !r.required)
        .find_map(|r| {
            let raw = r.default.as_deref()?;
            let value = interpolate::substitute(raw, &|k: &str| env.get(k).cloned()).ok()?;
            (!value.is_empty()).then(|| (value, (*r).clone()))
        })
}

fn judge(var: &mut Var<'_>, input: &Input<'_>, used: bool) -> Verdict {
    let k = input.knowledge;
    let sensitive = var.class.is_sensitive();
    let live_value = var.live_value().map(str::to_string);
    let (value, via_default) = match live_value.as_deref() {
        Some(v) if !v.is_empty() => (Some(v.to_string()), None),
        _ => match default_supply(var, input) {
            Some((v, r)) if sensitive => (Some(v), Some(r)),
            _ => (None, None),
        },
    };
    let Some(value) = value else {
        if var.required {
            return Verdict::Missing;
        }
        return if var.live.is_some() && !used {
            Verdict::Unused
        } else {
            Verdict::Ok
        };
    };
    let example_value = var
        .example
        .as_ref()
        .and_then(|e| e.value.clone())
        .filter(|v| !v.is_empty());
    let placeholder = k.placeholder(&value, sensitive).or_else(|| {
        (sensitive && via_default.is_none() && example_value.as_deref() == Some(value.as_str()))
            .then(|| "is still the example file's value".to_string())
    });
    if let Some(why) = placeholder {
        return Verdict::Placeholder { why, via_default };
    }
    if var.class == Class::Secret {
        let s = k.memoized_strength(&value, var.kind, &input.policy);
        var.strength_bits = Some(s.bits);
        if !s.is_strong() {
            return Verdict::Weak {
                weaknesses: s.weaknesses,
                via_default,
            };
        }
    }
    if via_default.is_none() {
        if let Some(why) = constraint_violation(var, &value) {
            return Verdict::Invalid { why };
        }
        if var.class == Class::External
            && let Some(p) = k.provider(&var.name)
            && !p.accepts(&value)
        {
            return Verdict::Invalid {
                why: format!("does not have the format of a {}", p.name),
            };
        }
    }
    if var.live.is_some() && !used {
        return Verdict::Unused;
    }
    Verdict::Ok
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
    None
}
