//! Finding every variable reference in a compose file's string values.
//!
//! Only string scalars are interpolated by Compose (never keys, never comments), so only they
//! are scanned. Each reference is located in the source by searching for its text within the
//! scalar's span, which gives exact columns even inside quoted scalars. A passthrough entry
//! (`- KEY` in `environment:`) is a use only when its name is one a `.env` could set: Compose
//! passes `- DB_PASSWORD}` or `- API SECRET` through from nowhere, and no file could fill them.
//!
//! Text is only ever sliced with `get`, at offsets from the parser or the template engine, so
//! a multi-byte character next to a reference cannot make a slice panic.

use std::fmt::Write as _;
use std::path::Path;

use super::model::{ComposeRef, Scope, Usage};
use super::yaml;
use crate::dotenv;
use crate::interpolate::{self, TemplateError};
use crate::position::{LineIndex, Position};

/// Whether byte `offset` of `text` sits inside a `scheme://…` URI: the run of non-space
/// characters before it contains `://` right after a scheme character. One reference; for
/// several in the same text, [`in_uri_all`] answers in one pass.
pub fn in_uri(text: &str, offset: usize) -> bool {
    in_uri_all(text, &[offset])[0]
}

/// [`in_uri`] for each of `offsets` (any order), in one pass over `text`: linear however many
/// references a long value holds. Offsets need not fall on character boundaries.
pub fn in_uri_all(text: &str, offsets: &[usize]) -> Vec<bool> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![false; offsets.len()];
    // Scanning state: whether the current token (since the last space or quote) holds a
    // `://` after a scheme character, counting only what lies before the scan position.
    let bytes = text.as_bytes();
    let mut uri = false;
    let mut pos = 0;
    for i in order {
        let target = offsets[i].min(bytes.len());
        while pos < target {
            let b = bytes[pos];
            if b == b'"' || b == b'\'' || b.is_ascii_whitespace() {
                uri = false;
            } else if b >= 0x80 {
                // A multi-byte character: whitespace ends the token like a space does.
                let end = (pos + 1..=bytes.len())
                    .find(|&e| text.is_char_boundary(e))
                    .unwrap_or(bytes.len());
                if text[pos..end].chars().all(char::is_whitespace) {
                    uri = false;
                }
                pos = end;
                continue;
            } else if b == b':'
                && bytes.get(pos + 1..pos + 3) == Some(b"//")
                && pos + 3 <= target
                && pos > 0
                && bytes[pos - 1].is_ascii_alphanumeric()
            {
                uri = true;
            }
            pos += 1;
        }
        out[i] = uri;
    }
    out
}

/// Appends the references of every string under `node` to `out`.
pub(super) fn collect(
    source: &str,
    index: &LineIndex,
    node: &yaml::Node,
    scope: &Scope,
    file: &Path,
    key_path: &str,
    out: &mut Vec<ComposeRef>,
) -> Result<(), (Position, TemplateError)> {
    // One path buffer for the whole walk, grown and cut back at each level: formatting a
    // new path string for every node of a 13,000-line file was a sixth of the walk.
    let mut path = key_path.to_string();
    walk(source, index, node, scope, file, &mut path, out)
}

fn walk(
    source: &str,
    index: &LineIndex,
    node: &yaml::Node,
    scope: &Scope,
    file: &Path,
    key_path: &mut String,
    out: &mut Vec<ComposeRef>,
) -> Result<(), (Position, TemplateError)> {
    match &node.kind {
        yaml::Kind::Map(entries) => {
            let is_environment = key_path.ends_with(".environment");
            let parent = key_path.len();
            for (key, key_pos, value) in entries {
                key_path.push('.');
                key_path.push_str(key);
                if is_environment && matches!(value.kind, yaml::Kind::Null) && dotenv::is_key(key) {
                    out.push(passthrough(key, scope, file, *key_pos, key_path));
                }
                let walked = walk(source, index, value, scope, file, key_path, out);
                key_path.truncate(parent);
                walked?;
            }
        }
        yaml::Kind::Seq(items) => {
            let is_environment = key_path.ends_with(".environment");
            let parent = key_path.len();
            for (i, item) in items.iter().enumerate() {
                if is_environment
                    && let Some(text) = item.as_str()
                    && !text.contains('=')
                    && dotenv::is_key(text)
                {
                    let path = format!("{key_path}.{text}");
                    out.push(passthrough(text, scope, file, item.position, &path));
                }
                let _ = write!(key_path, "[{i}]");
                let walked = walk(source, index, item, scope, file, key_path, out);
                key_path.truncate(parent);
                walked?;
            }
        }
        // `secrets: NAME: environment: VAR` (and `configs:`) takes the value of VAR from the
        // project environment, by bare name like a passthrough.
        yaml::Kind::Str(text)
            if is_environment_source(key_path) && !text.contains('$') && dotenv::is_key(text) =>
        {
            out.push(passthrough(text, scope, file, node.position, key_path));
        }
        yaml::Kind::Str(text) if text.contains('$') => {
            let refs = interpolate::references(text)
                .map_err(|e| (locate(source, index, node, text, e.offset()), e))?;
            // Most values hold no URI: then no reference sits in one, and the offsets need
            // not be gathered.
            let uri = if has_scheme_separator(text) {
                in_uri_all(text, &refs.iter().map(|r| r.span.start).collect::<Vec<_>>())
            } else {
                vec![false; refs.len()]
            };
            // The node's own text in the source (quotes included); references are found in it
            // in order, so the search only moves forward.
            let hay = source.get(node.span.clone()).unwrap_or("");
            let mut cursor = 0;
            // The last place located: the next reference's column is counted on from it, so
            // a long line of references is counted once, not once per reference.
            let mut known = (node.span.start, node.position);
            for (r, in_uri) in refs.into_iter().zip(uri) {
                let raw = text.get(r.span.clone()).unwrap_or("");
                let position = match hay.get(cursor..).and_then(|h| find_reference(h, raw)) {
                    Some(at) if !raw.is_empty() => {
                        let found = cursor + at;
                        // Nested references sit inside the one just found: search on from
                        // just after its `$`.
                        cursor = found + 1;
                        let offset = node.span.start + found;
                        let position = index.position_after(source, known, offset);
                        known = (offset, position);
                        position
                    }
                    _ => node.position,
                };
                out.push(ComposeRef {
                    in_uri,
                    required: r.is_required(),
                    default: r.default().map(str::to_string),
                    default_of: r.default_of.clone(),
                    usage: Usage::Interpolation(r.form),
                    name: r.name,
                    scope: scope.clone(),
                    file: file.to_path_buf(),
                    position,
                    key_path: key_path.clone(),
                });
            }
        }
        _ => {}
    }
    Ok(())
}

/// Whether a key path is `secrets.NAME.environment` or `configs.NAME.environment`: a
/// top-level secret or config whose content is a variable of the project environment.
fn is_environment_source(key_path: &str) -> bool {
    ["secrets.", "configs."].iter().any(|section| {
        key_path
            .strip_prefix(section)
            .and_then(|rest| rest.strip_suffix(".environment"))
            .is_some_and(|name| !name.is_empty() && !name.contains('.'))
    })
}

/// Whether `text` contains `://`, without setting up a substring searcher.
fn has_scheme_separator(text: &str) -> bool {
    text.as_bytes().windows(3).any(|w| w == b"://")
}

/// The first place `raw` (a reference's text, which starts with `$`) occurs in `hay`:
/// `str::find`, walking the `$`s instead of building a substring searcher per reference.
fn find_reference(hay: &str, raw: &str) -> Option<usize> {
    if !raw.starts_with('$') {
        return hay.find(raw);
    }
    hay.match_indices('$')
        .map(|(at, _)| at)
        .find(|&at| hay[at..].starts_with(raw))
}

fn passthrough(
    name: &str,
    scope: &Scope,
    file: &Path,
    position: Position,
    path: &str,
) -> ComposeRef {
    ComposeRef {
        name: name.to_string(),
        scope: scope.clone(),
        file: file.to_path_buf(),
        position,
        usage: Usage::Passthrough,
        default: None,
        default_of: None,
        required: true,
        in_uri: false,
        key_path: path.to_string(),
    }
}

/// The source position of byte `offset` of a scalar's decoded text, found by searching for the
/// text from the offset on; the scalar's start when it cannot be found verbatim.
fn locate(
    source: &str,
    index: &LineIndex,
    node: &yaml::Node,
    text: &str,
    offset: usize,
) -> Position {
    let probe: String = text.get(offset..).unwrap_or("").chars().take(8).collect();
    source
        .get(node.span.clone())
        .filter(|_| !probe.is_empty())
        .and_then(|s| s.find(&probe))
        .map_or(node.position, |at| {
            index.position(source, node.span.start + at)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_found_where_str_find_finds_them() {
        let hay = "\"$$A ${A} $A ${A:-$B} ${A}\"";
        for raw in ["${A}", "$A", "$B", "${A:-$B}", "$$", "${C}", "$", "A}"] {
            for from in 0..hay.len() {
                assert_eq!(
                    find_reference(&hay[from..], raw),
                    hay[from..].find(raw),
                    "{raw} from {from}"
                );
            }
        }
        assert!(has_scheme_separator("x postgres://h"));
        assert!(!has_scheme_separator("a:/b c//d :"));
    }

    #[test]
    fn uri_detection() {
        let t = "postgres://u:${P}@db/x";
        assert!(in_uri(t, t.find("${P}").unwrap()));
        let t = "--requirepass ${P}";
        assert!(!in_uri(t, t.find("${P}").unwrap()));
        let t = "${SCHEME}://host";
        assert!(!in_uri(t, 0));
        let t = "${URL:-redis://:${P}@r}";
        assert!(in_uri(t, t.find("${P}").unwrap()));
        let t = "a://b c ${P}";
        assert!(!in_uri(t, t.find("${P}").unwrap()));
        // Multi-byte whitespace before a reference used to slice mid-character and panic.
        for ws in ['\u{a0}', '\u{85}', '\u{2028}', '\u{3000}'] {
            let t = format!("x://u:p@h{ws}${{P}}");
            assert!(!in_uri(&t, t.find("${P}").unwrap()), "{ws:?}");
            let t = format!("{ws}x://u:${{P}}@h");
            assert!(in_uri(&t, t.find("${P}").unwrap()), "{ws:?}");
        }
        let t = "s://h ${A} p://${B}";
        assert_eq!(
            in_uri_all(t, &[t.find("${B}").unwrap(), t.find("${A}").unwrap(), 1]),
            [true, false, false]
        );
    }
}
