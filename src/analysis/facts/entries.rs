//! Reading the env files' statements: each decoded once (value, references and where each
//! reference sits in a URI), a fully commented template uncommented, and the value a compose
//! default supplies when the env file does not.

use std::collections::HashMap;

use super::{EntryFacts, Map};
use crate::analysis::{EnvInput, Input, declare, shape};
use crate::compose::{ComposeRef, Usage};
use crate::dotenv::ParseError;
use crate::interpolate::{self, Form};

/// Decodes each statement of a file (tolerating interpolation errors per statement, which
/// are returned for the `syntax` rule).
///
/// Keyed by the document's own names, borrowed: the facts outlive no document, and a copy
/// of every key (and of every value) was a tenth of the gathering's allocations (issue 13).
pub(super) fn entries<'d>(
    input: &EnvInput<'d>,
    env: &HashMap<String, String>,
) -> (Map<&'d str, EntryFacts>, Vec<ParseError>) {
    let (bindings, errors) = input
        .document
        .resolve_borrowed(&|k: &str| env.get(k).cloned());
    // One slot per statement: the document's items count its comments and blank lines too,
    // and a table sized by them is twice as large for nothing.
    let mut out: Map<&'d str, EntryFacts> =
        Map::with_capacity_and_hasher(bindings.len(), foldhash::fast::RandomState::default());
    let mut values: Map<&str, &str> =
        Map::with_capacity_and_hasher(bindings.len(), foldhash::fast::RandomState::default());
    values.extend(bindings.iter().map(|(e, v)| (e.key(), v.as_str())));
    for entry in input.document.entries() {
        let mut uri_parts = Vec::new();
        let mut stray_dollar = false;
        let mut self_marker = false;
        let refs = if entry.raw_value().contains('$') {
            // A bare `$word` naming nothing the file or the environment sets is a `$` typed
            // inside a random-looking value (Maxun's sample `a9Z$kLq7^f03…`), which Compose
            // reads as an unset variable. The value is still judged as a value: taken for a
            // reference, the published sample passed as "following another variable".
            // A reference to the entry's own name (OpenPanel's `COOKIE_SECRET="$COOKIE_SECRET"`,
            // a marker its setup script replaces) follows nothing in the file: Compose reads
            // it from the OS environment, or as "" (COMPOSE-SEMANTICS §2.11), and the value it
            // resolves to is judged as any other value, and replaced by `fill`.
            let key = entry.key();
            let (own, others): (Vec<_>, Vec<_>) =
                entry.references().into_iter().partition(|r| r.name == key);
            self_marker = !own.is_empty();
            let (refs, stray): (Vec<_>, Vec<_>) = others.into_iter().partition(|r| {
                r.form != Form::Bare
                    || values.contains_key(r.name.as_str())
                    || env.contains_key(&r.name)
            });
            stray_dollar = !stray.is_empty();
            let starts: Vec<usize> = refs.iter().map(|r| r.span.start).collect();
            let parts = entry.template().map_or_else(
                || vec![None; starts.len()],
                |t| shape::uri_parts_all(&t, &starts),
            );
            refs.into_iter()
                .zip(parts)
                .map(|(r, part)| {
                    if let Some(p) = part {
                        uri_parts.push((r.name.clone(), p));
                    }
                    (r.name, part.is_some())
                })
                .collect()
        } else {
            Vec::new()
        };
        let facts = out.entry(entry.key()).or_insert(EntryFacts {
            position: entry.position(),
            value: None,
            refs: Vec::new(),
            uri_parts: Vec::new(),
            all_positions: Vec::new(),
            stray_dollar: false,
            comment_as_value: false,
            self_marker: false,
        });
        facts.position = entry.position();
        facts.stray_dollar = stray_dollar;
        facts.self_marker = self_marker;
        facts.comment_as_value = comment_as_value(entry);
        facts.all_positions.push(entry.position());
        facts.refs = refs;
        facts.uri_parts = uri_parts;
    }
    // Each value moved in, not copied: the last statement that decodes wins, as in Compose.
    for (entry, value) in bindings {
        if let Some(facts) = out.get_mut(entry.key()) {
            facts.value = Some(value);
        }
    }
    (out, errors)
}

/// The value the first applicable compose default gives a variable that the env file does
/// not set (or sets empty, for `:-`), evaluated against the project environment.
pub(super) fn default_value(
    refs: &[&ComposeRef],
    input: &Input<'_>,
    set_empty: bool,
) -> Option<(String, ComposeRef)> {
    let env = &input.project.environment;
    refs.iter()
        .filter(|r| match r.usage {
            Usage::Interpolation(Form::DefaultIfEmpty) => true,
            // `${X-d}` keeps an empty value: the default applies only when X is unset.
            Usage::Interpolation(Form::DefaultIfUnset) => !set_empty,
            _ => false,
        })
        .find_map(|r| {
            let raw = r.default.as_deref()?;
            let value = interpolate::substitute(raw, &|k: &str| env.get(k).cloned()).ok()?;
            (!value.is_empty()).then(|| (value, (*r).clone()))
        })
}

/// The document with its commented-out assignments uncommented, when it has any.
pub(super) fn uncomment(doc: &crate::dotenv::Document) -> Option<crate::dotenv::Document> {
    let text = doc.render();
    let mut out = String::with_capacity(text.len());
    let mut any = false;
    for line in text.split_inclusive('\n') {
        if declare::commented_key(line).is_some() {
            let body = line.trim_start().trim_start_matches('#');
            out.push_str(body.strip_prefix(' ').unwrap_or(body));
            any = true;
        } else {
            out.push_str(line);
        }
    }
    any.then(|| crate::dotenv::parse_recovering(&out).0)
}

/// Whether a statement is `KEY= # comment`: unquoted, blanks after the separator, then `#`.
/// Compose cuts an unquoted value only at ` #` after some text, so a `#` right after the
/// blanks opens the value (compose-go's dotenv parser; COMPOSE-SEMANTICS.md §2.8). `KEY=#fff`
/// with no blank is a value that merely starts with `#` and is read alike everywhere.
fn comment_as_value(entry: &crate::dotenv::Entry) -> bool {
    if entry.quote() != crate::dotenv::Quote::None || !entry.raw_value().starts_with('#') {
        return false;
    }
    // A key holds neither `=` nor `:`, so the first of them is the separator.
    let text = entry.text();
    text.find(['=', ':'])
        .and_then(|at| text.get(at + 1..))
        .is_some_and(|rest| rest.starts_with([' ', '\t']) && rest.trim_start().starts_with('#'))
}
