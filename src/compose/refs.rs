//! Finding every variable reference in a compose file's string values.
//!
//! Only string scalars are interpolated by Compose (never keys, never comments), so only they
//! are scanned. Each reference is located in the source by searching for its text from the
//! scalar's start, which gives exact columns even inside quoted scalars.

use std::path::Path;

use super::model::{ComposeRef, Scope, Usage};
use super::yaml;
use crate::interpolate::{self, TemplateError};
use crate::position::{LineIndex, Position};

/// Whether byte `offset` of `text` sits inside a `scheme://…` URI: the run of non-space
/// characters before it contains `://` right after a scheme character.
pub fn in_uri(text: &str, offset: usize) -> bool {
    let before = &text[..offset.min(text.len())];
    let start = before
        .rfind(|c: char| c.is_whitespace() || c == '"' || c == '\'')
        .map_or(0, |i| i + 1);
    let token = &before[start..];
    token.match_indices("://").any(|(i, _)| {
        token[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric())
    })
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
    walk(source, index, node, scope, file, key_path, out)
}

fn walk(
    source: &str,
    index: &LineIndex,
    node: &yaml::Node,
    scope: &Scope,
    file: &Path,
    key_path: &str,
    out: &mut Vec<ComposeRef>,
) -> Result<(), (Position, TemplateError)> {
    match &node.kind {
        yaml::Kind::Map(entries) => {
            let is_environment = key_path.ends_with(".environment");
            for (key, key_pos, value) in entries {
                let path = format!("{key_path}.{key}");
                if is_environment && matches!(value.kind, yaml::Kind::Null) {
                    out.push(passthrough(key, scope, file, *key_pos, &path));
                }
                walk(source, index, value, scope, file, &path, out)?;
            }
        }
        yaml::Kind::Seq(items) => {
            let is_environment = key_path.ends_with(".environment");
            for (i, item) in items.iter().enumerate() {
                if is_environment
                    && let Some(text) = item.as_str()
                    && !text.contains('=')
                {
                    let path = format!("{key_path}.{text}");
                    out.push(passthrough(text, scope, file, item.position, &path));
                }
                walk(
                    source,
                    index,
                    item,
                    scope,
                    file,
                    &format!("{key_path}[{i}]"),
                    out,
                )?;
            }
        }
        yaml::Kind::Str(text) if text.contains('$') => {
            let refs = interpolate::references(text)
                .map_err(|e| (locate(source, index, node, text, e.offset()), e))?;
            let mut cursor = node.span.start;
            for r in refs {
                let raw = &text[r.span.clone()];
                let limit = node.span.end.max(node.span.start + text.len() + 2);
                let hay = &source[cursor.min(source.len())..limit.min(source.len())];
                let position = match hay.find(raw) {
                    Some(at) => {
                        let found = cursor + at;
                        // Nested references sit inside the one just found: search on from
                        // just after its start.
                        cursor = found + 1;
                        index.position(source, found)
                    }
                    None => node.position,
                };
                out.push(ComposeRef {
                    in_uri: in_uri(text, r.span.start),
                    required: r.is_required(),
                    default: r.default().map(str::to_string),
                    usage: Usage::Interpolation(r.form),
                    name: r.name,
                    scope: scope.clone(),
                    file: file.to_path_buf(),
                    position,
                    key_path: key_path.to_string(),
                });
            }
        }
        _ => {}
    }
    Ok(())
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
    let probe: String = text[offset..].chars().take(8).collect();
    source
        .get(node.span.start..)
        .and_then(|s| s.find(&probe))
        .map_or(node.position, |at| {
            index.position(source, node.span.start + at)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
