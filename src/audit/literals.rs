//! Tracked configuration files that assign a secret-looking key a literal value.
//!
//! The secrets strategy's "never hardcode" rule covers more than compose files:
//! `application.yml`, `config.toml`, `*.properties`, JSON. Keys are judged with the same
//! name rules as variables ([`Knowledge::by_name`] on the key's dotted path written as
//! `UPPER_SNAKE`, so `spring.datasource.password` reads as `SPRING_DATASOURCE_PASSWORD`), and
//! values with the same placeholder conventions ([`Knowledge::placeholder`]); a value that
//! interpolates (`${X}`, `{{ x }}`, `$(X)`) is not a literal. Findings carry file, line,
//! column and key, never the value.

use std::path::{Path, PathBuf};

use crate::analysis::Knowledge;
use crate::compose::yaml::{self, Kind, Node};
use crate::position::Position;

/// A literal secret in a tracked file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    /// The file, relative to the repository.
    pub file: PathBuf,
    /// Where the value starts.
    pub position: Position,
    /// The key, dotted (`spring.datasource.password`).
    pub key: String,
}

/// How a file is read, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Yaml,
    Toml,
    Properties,
}

fn syntax_of(path: &Path) -> Option<Syntax> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    // `name` is already lowercase.
    if name.rsplit('.').next() == Some("lock")
        || name == "package-lock.json"
        || name
            .strip_suffix(".json")
            .is_some_and(|s| s.rsplit('.').next() == Some("min"))
    {
        return None;
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e)?;
    match ext {
        // JSON is YAML 1.2 as far as keys and string values go; one positioned reader serves both.
        "yml" | "yaml" | "json" => Some(Syntax::Yaml),
        "toml" => Some(Syntax::Toml),
        "properties" => Some(Syntax::Properties),
        _ => None,
    }
}

/// Whether a tracked file is one this check reads (YAML, JSON, TOML, properties).
pub fn is_candidate(path: &Path) -> bool {
    syntax_of(path).is_some()
}

/// `a.b-c` → `A_B_C`, the shape the name rules are written in.
fn env_style(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

fn is_secret_key(key: &str, knowledge: &Knowledge) -> bool {
    knowledge
        .by_name(&env_style(key))
        .is_some_and(|(class, _)| class.is_sensitive())
}

/// Whether a value is a literal secret rather than a reference, a placeholder or nothing.
fn is_literal_secret(value: &str, knowledge: &Knowledge) -> bool {
    let v = value.trim();
    !v.is_empty()
        && !v.contains("${")
        && !v.contains("{{")
        && !v.contains("$(")
        && !matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "~" | "none" | "nil"
        )
        && knowledge.placeholder(v, true).is_none()
}

/// The literal secrets in one file's text. A file that does not parse gives none: this check
/// reports leaks, and `check` reports syntax.
pub fn scan(file: &Path, text: &str, knowledge: &Knowledge) -> Vec<Literal> {
    let mut out = Vec::new();
    let mut found = |key: String, position: Position, value: &str| {
        if is_secret_key(&key, knowledge) && is_literal_secret(value, knowledge) {
            out.push(Literal {
                file: file.to_path_buf(),
                position,
                key,
            });
        }
    };
    match syntax_of(file) {
        Some(Syntax::Yaml) => {
            if let Ok(root) = yaml::parse(text) {
                walk(&root, "", &mut found);
            }
        }
        Some(Syntax::Toml) => lines(text, Syntax::Toml, &mut found),
        Some(Syntax::Properties) => lines(text, Syntax::Properties, &mut found),
        None => {}
    }
    out
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn walk(node: &Node, prefix: &str, found: &mut impl FnMut(String, Position, &str)) {
    match &node.kind {
        Kind::Map(entries) => {
            for (key, _, value) in entries {
                walk(value, &join(prefix, key), found);
            }
        }
        Kind::Seq(items) => {
            for item in items {
                // Compose's list form of `environment:`: `- KEY=value`.
                if let Kind::Str(s) = &item.kind
                    && let Some((k, v)) = s.split_once('=')
                    && !k.is_empty()
                    && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    found(join(prefix, k), item.position, v);
                } else {
                    walk(item, prefix, found);
                }
            }
        }
        Kind::Str(s) | Kind::Other(s) => found(prefix.to_string(), node.position, s),
        Kind::Null => {}
    }
}

/// `key = value` (TOML, under `[table]` headers) and `key=value` / `key: value` (properties),
/// line by line. Multi-line strings and continuation lines are not followed.
fn lines(text: &str, syntax: Syntax, found: &mut impl FnMut(String, Position, &str)) {
    let mut table = String::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('!') {
            continue;
        }
        if syntax == Syntax::Toml && trimmed.starts_with('[') {
            table = trimmed
                .trim_matches(|c| c == '[' || c == ']' || c == ' ')
                .to_string();
            continue;
        }
        let separator = match syntax {
            Syntax::Toml => trimmed.find('='),
            _ => trimmed.find(['=', ':']),
        };
        let Some(at) = separator else { continue };
        let key = trimmed[..at].trim().trim_matches('"').trim_matches('\'');
        let raw = &trimmed[at + 1..];
        let value = match syntax {
            Syntax::Toml => toml_value(raw),
            _ => Some(raw.trim()),
        };
        let Some(value) = value else { continue };
        let offset = line.len() - raw.trim_start().len();
        let position = Position {
            line: i + 1,
            column: line[..offset].chars().count() + 1,
        };
        let full = if syntax == Syntax::Toml {
            join(&table, key)
        } else {
            key.to_string()
        };
        found(full, position, value);
    }
}

/// A TOML string or bare scalar on one line, without its quotes and trailing comment.
fn toml_value(raw: &str) -> Option<&str> {
    let v = raw.trim();
    if v.starts_with("\"\"\"") || v.starts_with("'''") || v.starts_with(['[', '{']) {
        return None;
    }
    for quote in ['"', '\''] {
        if let Some(rest) = v.strip_prefix(quote) {
            return rest.find(quote).map(|end| &rest[..end]);
        }
    }
    Some(v.split(" #").next().unwrap_or(v).trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k() -> Knowledge {
        Knowledge::builtin().expect("templates parse")
    }

    fn keys(file: &str, text: &str) -> Vec<(String, usize, usize)> {
        scan(Path::new(file), text, &k())
            .into_iter()
            .map(|l| (l.key, l.position.line, l.position.column))
            .collect()
    }

    #[test]
    fn application_yml_with_a_literal_password_is_found_by_its_dotted_key() {
        let text = "spring:\n  datasource:\n    url: jdbc:postgresql://db/x\n    password: \"hardcoded_password\"\n";
        assert_eq!(
            keys("src/main/resources/application.yml", text),
            [("spring.datasource.password".to_string(), 4, 15)]
        );
        let good = "spring:\n  datasource:\n    password: ${SPRING_DATASOURCE_PASSWORD}\n";
        assert!(keys("application.yml", good).is_empty());
    }

    #[test]
    fn compose_list_form_toml_properties_and_json() {
        let compose = "services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD=my_password_123\n      - POSTGRES_USER=app\n";
        assert_eq!(
            keys("compose.yaml", compose),
            [(
                "services.db.environment.POSTGRES_PASSWORD".to_string(),
                4,
                9
            )]
        );
        let toml = "[chatbox]\njwt_secret = \"s3cr3t-Value-9\"  # no\nport = 8080\nencryption_key = \"PLACEHOLDER_ENCRYPTION_KEY\"\n";
        assert_eq!(
            keys("config.toml", toml),
            [("chatbox.jwt_secret".to_string(), 2, 14)]
        );
        let props =
            "# db\nspring.datasource.password=Tr0ub4dor&3\nspring.datasource.username=app\n";
        assert_eq!(
            keys("app.properties", props),
            [("spring.datasource.password".to_string(), 2, 28)]
        );
        let json = "{\n  \"smtp\": {\"host\": \"mail\", \"password\": \"hunter2hunter2\"}\n}\n";
        assert_eq!(keys("settings.json", json).len(), 1);
        assert!(keys("package-lock.json", json).is_empty());
        assert!(keys("notes.txt", props).is_empty());
    }
}
