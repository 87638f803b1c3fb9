//! One service's YAML turned into the model, and services merged as Compose merges them
//! (a later file or an `extends:` base under the service that extends it).
//!
//! Strings the loader must understand (volume sources, build contexts) are interpolated with
//! the project environment, leniently: a failing expression leaves the text as written, since
//! Compose reports it elsewhere. Command strings stay as written.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::discover::resolve_path;
use super::model::{Build, CommandKey, CommandText, EnvVar, Located, Mount, MountKind, Service};
use super::yaml;
use crate::interpolate;
use crate::position::Position;

/// What a service is read with: its file, the project directory its relative paths resolve
/// against, and the project environment for the strings Compose evaluates while loading.
pub(super) struct Context<'a> {
    /// The compose file as displayed.
    pub display: &'a Path,
    /// Where relative paths of this service resolve.
    pub project_dir: &'a Path,
    /// The project environment.
    pub environment: &'a HashMap<String, String>,
}

impl Context<'_> {
    fn interpolate(&self, text: &str) -> String {
        let env = self.environment;
        interpolate::substitute(text, &|k: &str| env.get(k).cloned())
            .unwrap_or_else(|_| text.to_string())
    }

    fn located(&self, node: &yaml::Node, value: &str) -> Located {
        Located {
            value: value.to_string(),
            file: self.display.to_path_buf(),
            position: node.position,
        }
    }
}

/// The parts of a service that need no evaluation: image, environment, volumes, commands,
/// dependencies, build context and profiles. `env_file:` paths are evaluated by the loader.
pub(super) fn read(
    cx: &Context<'_>,
    name: &str,
    node: &yaml::Node,
) -> Result<Service, (Position, String)> {
    let mut service = Service {
        name: name.to_string(),
        image: node
            .get("image")
            .and_then(yaml::Node::as_str)
            .map(str::to_string),
        pull_policy: node
            .get("pull_policy")
            .and_then(yaml::Node::as_str)
            .map(str::to_string),
        ..Service::default()
    };
    if let Some(env) = node.get("environment") {
        service.environment = environment_entries(env, cx.display)?;
    }
    if let Some(volumes) = node.get("volumes") {
        service.volumes = merge_by(
            Vec::new(),
            volumes
                .items()
                .iter()
                .filter_map(|v| mount(cx, v))
                .collect(),
            |m| m.target.clone(),
        );
    }
    let key_path = format!("services.{name}");
    for (key, which) in [
        (node.get("command"), CommandKey::Command),
        (node.get("entrypoint"), CommandKey::Entrypoint),
        (
            node.get("healthcheck").and_then(|h| h.get("test")),
            CommandKey::HealthcheckTest,
        ),
    ] {
        if let Some(value) = key {
            let path = match which {
                CommandKey::Command => format!("{key_path}.command"),
                CommandKey::Entrypoint => format!("{key_path}.entrypoint"),
                CommandKey::HealthcheckTest => format!("{key_path}.healthcheck.test"),
            };
            commands(cx, which, value, &path, &mut service.commands);
        }
    }
    if let Some(deps) = node.get("depends_on") {
        service.depends_on = match &deps.kind {
            yaml::Kind::Map(entries) => entries
                .iter()
                .map(|(k, p, _)| Located {
                    value: k.clone(),
                    file: cx.display.to_path_buf(),
                    position: *p,
                })
                .collect(),
            _ => deps
                .items()
                .iter()
                .filter_map(|d| d.as_str().map(|s| cx.located(d, s)))
                .collect(),
        };
    }
    if let Some(build) = node.get("build") {
        service.build = build_context(cx, build);
    }
    if let Some(profiles) = node.get("profiles") {
        service.profiles = profiles
            .items()
            .iter()
            .filter_map(|p| p.as_str().map(|s| cx.located(p, s)))
            .collect();
    }
    Ok(service)
}

/// The strings of a command-like value: the string form whole, or each string of the list.
fn commands(
    cx: &Context<'_>,
    key: CommandKey,
    value: &yaml::Node,
    key_path: &str,
    out: &mut Vec<CommandText>,
) {
    let mut push = |node: &yaml::Node, text: &str, key_path: String| {
        out.push(CommandText {
            key,
            text: text.to_string(),
            key_path,
            file: cx.display.to_path_buf(),
            position: node.position,
        });
    };
    match &value.kind {
        yaml::Kind::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                if let Some(text) = item.as_str() {
                    push(item, text, format!("{key_path}[{i}]"));
                }
            }
        }
        _ => {
            if let Some(text) = value.as_str() {
                push(value, text, key_path.to_string());
            }
        }
    }
}

/// Compose's test for a short-syntax source that is a host path rather than a volume name.
fn is_host_path(source: &str) -> bool {
    let mut chars = source.chars();
    match chars.next() {
        Some('.' | '/' | '~' | '\\') => true,
        Some(c) if c.is_ascii_alphabetic() => {
            chars.next() == Some(':') && matches!(chars.next(), Some('\\' | '/'))
        }
        _ => false,
    }
}

/// One `volumes:` entry: `[SOURCE:]TARGET[:MODE]` or the long syntax.
fn mount(cx: &Context<'_>, node: &yaml::Node) -> Option<Mount> {
    let (kind, source, target) = match &node.kind {
        yaml::Kind::Map(_) => {
            let text = |k: &str| {
                node.get(k)
                    .and_then(yaml::Node::as_str)
                    .map(|s| cx.interpolate(s))
            };
            let source = text("source").filter(|s| !s.is_empty());
            let kind = match text("type").as_deref() {
                Some("bind") => MountKind::Bind,
                Some("tmpfs") => MountKind::Tmpfs,
                Some("volume") | None => MountKind::Volume,
                Some(other) => MountKind::Other(other.to_string()),
            };
            (kind, source, text("target")?)
        }
        _ => {
            let spec = cx.interpolate(node.as_str()?);
            // A Windows drive letter (`C:\\data`) is part of the source, not a separator; the
            // project folder itself (`.:/var/www/html`, Laravel Sail) is a source like any other.
            let bytes = spec.as_bytes();
            let skip = if bytes.first().is_some_and(u8::is_ascii_alphabetic)
                && bytes.get(1) == Some(&b':')
                && matches!(bytes.get(2), Some(b'\\' | b'/'))
            {
                2
            } else {
                0
            };
            match spec[skip..].find(':').map(|i| i + skip) {
                None => (MountKind::Volume, None, spec),
                Some(at) => {
                    let source = spec[..at].to_string();
                    let rest = &spec[at + 1..];
                    let target = rest.split(':').next().unwrap_or(rest).to_string();
                    let kind = if is_host_path(&source) {
                        MountKind::Bind
                    } else {
                        MountKind::Volume
                    };
                    (kind, Some(source), target)
                }
            }
        }
    };
    Some(Mount {
        kind,
        source,
        target,
        declared: false,
        file: cx.display.to_path_buf(),
        position: node.position,
    })
}

/// `build: CONTEXT` or `build: {context: …, dockerfile: …}` (context `.` and `Dockerfile`
/// when omitted).
fn build_context(cx: &Context<'_>, node: &yaml::Node) -> Option<Build> {
    let written = match &node.kind {
        yaml::Kind::Map(_) => node
            .get("context")
            .and_then(yaml::Node::as_str)
            .unwrap_or("."),
        _ => node.as_str()?,
    };
    let context = cx.interpolate(written);
    let remote = context.contains("://") || context.starts_with("git@");
    let dockerfile = node
        .get("dockerfile")
        .and_then(yaml::Node::as_str)
        .map_or_else(|| "Dockerfile".to_string(), |d| cx.interpolate(d));
    Some(Build {
        path: (!remote).then(|| resolve_path(cx.project_dir, Path::new(&context))),
        context,
        dockerfile,
        file: cx.display.to_path_buf(),
        position: node.position,
    })
}

/// `base` with `over`'s items, one per key: an item of `over` replaces the one of `base`
/// with the same key in place, the others are appended.
fn merge_by<T, K: std::hash::Hash + Eq>(
    mut base: Vec<T>,
    over: Vec<T>,
    key: impl Fn(&T) -> K,
) -> Vec<T> {
    let mut at: HashMap<K, usize> = base.iter().enumerate().map(|(i, t)| (key(t), i)).collect();
    for item in over {
        match at.get(&key(&item)) {
            Some(&i) => base[i] = item,
            None => {
                at.insert(key(&item), base.len());
                base.push(item);
            }
        }
    }
    base
}

/// `over` merged onto `base` with Compose's rules for the parts envward reads.
pub(super) fn merge(base: Service, over: Service) -> Service {
    let mut env_files = base.env_files;
    env_files.extend(over.env_files);
    let replaced: HashSet<CommandKey> = over.commands.iter().map(|c| c.key).collect();
    let mut commands: Vec<CommandText> = base
        .commands
        .into_iter()
        .filter(|c| !replaced.contains(&c.key))
        .collect();
    commands.extend(over.commands);
    Service {
        name: over.name,
        image: over.image.or(base.image),
        environment: merge_by(base.environment, over.environment, |e| e.key.clone()),
        env_files,
        volumes: merge_by(base.volumes, over.volumes, |m| m.target.clone()),
        commands,
        depends_on: merge_by(base.depends_on, over.depends_on, |d| d.value.clone()),
        build: over.build.or(base.build),
        pull_policy: over.pull_policy.or(base.pull_policy),
        profiles: merge_by(base.profiles, over.profiles, |p| p.value.clone()),
    }
}

/// The `env_file:` entries of a service: each item's path node, whether it is required and
/// whether its format is `raw`.
pub(super) fn env_file_items(files: &yaml::Node) -> Vec<(&yaml::Node, bool, bool)> {
    let items: Vec<&yaml::Node> = match &files.kind {
        yaml::Kind::Seq(items) => items.iter().collect(),
        _ => vec![files],
    };
    items
        .into_iter()
        .filter_map(|item| match &item.kind {
            yaml::Kind::Map(_) => Some((
                item.get("path")?,
                item.get("required").and_then(yaml::Node::as_str) != Some("false"),
                item.get("format").and_then(yaml::Node::as_str) == Some("raw"),
            )),
            _ => Some((item, true, false)),
        })
        .collect()
}

/// Compose's shape rules for `services:`: a mapping whose entries are mappings (or empty).
pub(super) fn check_services(services: &yaml::Node) -> Result<(), (Position, String)> {
    match &services.kind {
        yaml::Kind::Map(entries) => {
            for (name, _, node) in entries {
                if !matches!(node.kind, yaml::Kind::Map(_) | yaml::Kind::Null) {
                    return Err((
                        node.position,
                        format!(
                            "services.{name} must be a mapping, but this is {}",
                            node.shape()
                        ),
                    ));
                }
            }
            Ok(())
        }
        _ => Err((
            services.position,
            format!(
                "services must be a mapping, but this is {}",
                services.shape()
            ),
        )),
    }
}

/// `environment:` as a mapping or a list, passthrough entries included.
fn environment_entries(env: &yaml::Node, file: &Path) -> Result<Vec<EnvVar>, (Position, String)> {
    let mut out: Vec<EnvVar> = Vec::new();
    match &env.kind {
        // A mapping's keys are distinct (the YAML reader refuses a key written twice and
        // merges only keys not set), so its entries need no merging by key.
        yaml::Kind::Map(entries) => {
            out.reserve(entries.len());
            for (key, key_pos, value) in entries {
                out.push(EnvVar {
                    key: key.clone(),
                    value: match &value.kind {
                        yaml::Kind::Null => None,
                        yaml::Kind::Str(s) | yaml::Kind::Other(s) => Some(s.clone()),
                        _ => {
                            return Err((
                                value.position,
                                format!("environment.{key} must be a string, number or boolean"),
                            ));
                        }
                    },
                    file: file.to_path_buf(),
                    position: if matches!(value.kind, yaml::Kind::Null) {
                        *key_pos
                    } else {
                        value.position
                    },
                });
            }
        }
        yaml::Kind::Seq(items) => {
            // A list may name a key twice: the later entry replaces the earlier in place.
            let mut at: HashMap<&str, usize> = HashMap::with_capacity(items.len());
            for item in items {
                let Some(text) = item.as_str() else { continue };
                let (key, value) = match text.split_once('=') {
                    Some((k, v)) => (k, Some(v.to_string())),
                    None => (text, None),
                };
                if key.ends_with(char::is_whitespace) {
                    return Err((
                        item.position,
                        format!("environment variable {key:?} is declared with a trailing space"),
                    ));
                }
                let var = EnvVar {
                    key: key.to_string(),
                    value,
                    file: file.to_path_buf(),
                    position: item.position,
                };
                match at.get(key) {
                    Some(&i) => out[i] = var,
                    None => {
                        at.insert(key, out.len());
                        out.push(var);
                    }
                }
            }
        }
        yaml::Kind::Null => {}
        _ => {
            return Err((
                env.position,
                "environment must be a mapping or a list".to_string(),
            ));
        }
    }
    Ok(out)
}
