//! The named volumes each service mounts, for the plan's words ("its data is in volume
//! pgdata").
//!
//! Stop-gap: the compose model does not carry mounts yet (`Service.volumes`, with a
//! named-volume flag, is being added to `src/compose`). Until then this reads
//! `services.NAME.volumes` from each compose file itself, short syntax (`data:/x`) and long
//! syntax (`type: volume`). When the model has mounts, [`named_volumes`] becomes a filter
//! over `Service.volumes` and this file goes. Nothing here decides the plan: a database
//! image keeps its data in a volume whether or not it is named (an anonymous one survives
//! `up --force-recreate`), so the in-database step does not depend on what is found.

use std::collections::BTreeMap;

use crate::compose::Project;
use crate::compose::yaml::{self, Kind, Node};

/// Service name → the named volumes it mounts, in file order.
pub fn named_volumes(project: &Project) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for file in &project.files {
        let Ok(text) = std::fs::read_to_string(project.working_dir.join(file)) else {
            continue;
        };
        let Ok(root) = yaml::parse(&text) else {
            continue;
        };
        let Some(services) = root.get("services") else {
            continue;
        };
        for (name, _, service) in services.entries() {
            let Some(Node {
                kind: Kind::Seq(mounts),
                ..
            }) = service.get("volumes")
            else {
                continue;
            };
            for m in mounts {
                if let Some(v) = named(m) {
                    let list = out.entry(name.clone()).or_default();
                    if !list.contains(&v) {
                        list.push(v);
                    }
                }
            }
        }
    }
    out
}

/// The volume name of one mount, when it is a named volume.
fn named(mount: &Node) -> Option<String> {
    let source = match &mount.kind {
        Kind::Str(s) => {
            let (source, _) = s.split_once(':')?;
            source.to_string()
        }
        Kind::Map(_) => {
            if mount.get("type").and_then(Node::as_str) != Some("volume") {
                return None;
            }
            mount.get("source").and_then(Node::as_str)?.to_string()
        }
        _ => return None,
    };
    let host_path = source.starts_with(['.', '/', '~', '$']) || source.is_empty();
    (!host_path).then_some(source)
}
