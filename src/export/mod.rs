//! `export`'s planner: the [`Inventory`] plus the live file's decoded values turned into what
//! another consumer reads — Kubernetes manifests, an `ExternalSecret`, a `docker run
//! --env-file` file or a JSON object.
//!
//! Pure: it gets the values already decoded (exactly as Compose reads them) and returns text.
//! Which variables go out, and whether the project is complete enough to export, is decided
//! here once for every format; [`k8s`] writes the manifests and [`container`] a service's
//! container `env:` entries. Errors name variables, never values.

pub mod container;
pub mod k8s;

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::analysis::{Class, Inventory, Status, Variable};
use crate::compose::Project;

/// What to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A `Secret` (secret and external classes) and a `ConfigMap` (config).
    K8s,
    /// An `ExternalSecret` (external-secrets.io/v1) naming every secret; no values.
    ExternalSecret,
    /// `KEY=value` lines for `docker run --env-file` (`env` and `docker` are one format).
    EnvFile,
    /// One JSON object of names to values.
    Json,
}

impl Format {
    /// Whether the output holds values (and so must not go to a terminal unasked).
    pub fn carries_values(self) -> bool {
        self != Format::ExternalSecret
    }
}

/// How to export.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The Secret's name (the `ConfigMap` is `NAME-config`, the Role `NAME-reader`).
    pub name: String,
    /// The namespace of every manifest.
    pub namespace: String,
    /// Only what this service uses.
    pub service: Option<String>,
    /// Add a Role and a `RoleBinding` for this service account.
    pub rbac: Option<String>,
    /// `ExternalSecret`: the `SecretStore`.
    pub store: Option<String>,
    /// `ExternalSecret`: the key in the secret manager.
    pub remote_key: Option<String>,
    /// Export placeholders and leave missing values out instead of refusing.
    pub allow_incomplete: bool,
}

/// What a project looks like to the exporter.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The analysis.
    pub inventory: &'a Inventory,
    /// The live file's values, decoded as Compose decodes them (last assignment wins).
    pub values: &'a HashMap<String, String>,
    /// The compose project (services, their `environment:` and `env_file:`).
    pub project: &'a Project,
}

/// The export, ready to write.
#[derive(Debug, Clone)]
pub struct Export {
    /// The document (manifests, env file or JSON).
    pub document: String,
    /// One line per object or file section, for the summary (names and counts, no values).
    pub summary: Vec<String>,
    /// With `--service` and `k8s`: the container's `env:` (and `envFrom:`) entries as YAML.
    /// They reference the Secret and `ConfigMap`, so they hold no secret value.
    pub container_env: Option<String>,
    /// Things the user should know (environment entries left out, and why).
    pub notes: Vec<String>,
}

/// Why an export was refused. Messages name variables, never values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// Placeholders or missing required values (without `--allow-incomplete`).
    #[error("{}", incomplete_message(placeholders, missing))]
    Incomplete {
        /// Variables still holding a placeholder.
        placeholders: Vec<String>,
        /// Required variables with no value.
        missing: Vec<String>,
    },
    /// Values (or names) the format cannot represent.
    #[error("{}: {reason}", variables.join(", "))]
    CannotCarry {
        /// The variables.
        variables: Vec<String>,
        /// Why.
        reason: String,
    },
    /// `--service` names no service of the project.
    #[error("no service named {name:?}; services are: {}", known.join(", "))]
    UnknownService {
        /// What was asked for.
        name: String,
        /// The project's services.
        known: Vec<String>,
    },
    /// Options that do not fit together, or a name Kubernetes would reject.
    #[error("{0}")]
    Usage(String),
    /// Nothing would be exported.
    #[error("nothing to export: {0}")]
    Nothing(String),
}

impl ExportError {
    /// Whether the project's content (not the request) stopped the export: exit 1, not 2.
    pub fn is_finding(&self) -> bool {
        matches!(
            self,
            ExportError::Incomplete { .. } | ExportError::CannotCarry { .. }
        )
    }
}

fn incomplete_message(placeholders: &[String], missing: &[String]) -> String {
    let mut parts = Vec::new();
    if !placeholders.is_empty() {
        parts.push(format!("placeholders in {}", placeholders.join(", ")));
    }
    if !missing.is_empty() {
        parts.push(format!("no value for required {}", missing.join(", ")));
    }
    format!(
        "not exported: {}; set them (envward fill, or edit the file) or pass --allow-incomplete",
        parts.join("; ")
    )
}

/// One variable going out, with its value.
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    /// The variable.
    pub var: &'a Variable,
    /// Its decoded value (`None` only for `ExternalSecret`, which carries names).
    pub value: Option<&'a str>,
}

/// Plans the export.
pub fn plan(input: &Input<'_>, format: Format, options: &Options) -> Result<Export, ExportError> {
    check_name("--name", &options.name, 253 - "-reader".len())?;
    check_name("--namespace", &options.namespace, 63)?;
    let selected = select(input, options.service.as_deref())?;
    let with_values = || -> Result<Vec<Item<'_>>, ExportError> {
        let items = complete(input, &selected, options.allow_incomplete)?;
        if items.is_empty() {
            return Err(ExportError::Nothing(format!(
                "no variable with a value in {}",
                input.inventory.env_file.display()
            )));
        }
        Ok(items)
    };
    match format {
        Format::ExternalSecret => {
            // The secret manager holds the values, not the live file: every secret the
            // project documents or uses belongs in it, set here or not.
            let secrets: Vec<&Variable> = input
                .inventory
                .variables
                .iter()
                .filter(|v| {
                    (v.in_env || v.in_example || !v.used_by.is_empty())
                        && options
                            .service
                            .as_deref()
                            .is_none_or(|s| v.used_by.iter().any(|u| u.service == s))
                })
                .filter(|v| in_secret(v))
                .collect();
            if secrets.is_empty() {
                return Err(ExportError::Nothing(
                    "no secret or external variable in the selection".to_string(),
                ));
            }
            k8s::external_secret(&secrets, options)
        }
        Format::K8s => k8s::manifests(input, &with_values()?, options),
        Format::EnvFile => env_file(&with_values()?),
        Format::Json => Ok(json(&with_values()?)),
    }
}

/// Kubernetes object names: DNS-1123 subdomains (lowercase letters, digits, `-` and `.`,
/// starting and ending with a letter or digit).
fn check_name(flag: &str, name: &str, max: usize) -> Result<(), ExportError> {
    let ok = !name.is_empty()
        && name.len() <= max
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(ExportError::Usage(format!(
            "{flag} {name:?} is not a Kubernetes name: lowercase letters, digits, '-' and '.', \
             starting and ending with a letter or digit, at most {max} characters"
        )))
    }
}

/// A Kubernetes name made from a directory name: lowercased, other characters as `-`.
pub fn default_name(dir_name: &str) -> String {
    let mut out: String = dir_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    out = out.trim_matches('-').to_string();
    out.truncate(200);
    if out.is_empty() {
        "envward".to_string()
    } else {
        out
    }
}

/// Whether the service reads the live file itself through `env_file:`.
pub fn loads_live_file(service: &crate::compose::Service, live: &Path) -> bool {
    service.env_files.iter().any(|f| f.path == live)
}

/// The service called `name`, or the error listing the project's services.
pub fn find_service<'a>(
    project: &'a Project,
    name: &str,
) -> Result<&'a crate::compose::Service, ExportError> {
    project
        .services
        .iter()
        .find(|s| s.name == name)
        .ok_or_else(|| ExportError::UnknownService {
            name: name.to_string(),
            known: project.services.iter().map(|s| s.name.clone()).collect(),
        })
}

/// The variables to export: those the live file sets plus the required ones it lacks, or,
/// with `--service`, those that service uses (everything the live file sets when the
/// service loads it with `env_file:`).
fn select<'a>(input: &Input<'a>, service: Option<&str>) -> Result<Vec<&'a Variable>, ExportError> {
    let inv = input.inventory;
    let Some(name) = service else {
        return Ok(inv
            .variables
            .iter()
            .filter(|v| v.in_env || v.status == Status::Missing)
            .collect());
    };
    let svc = find_service(input.project, name)?;
    let whole_file = loads_live_file(svc, &input.project.env_file);
    Ok(inv
        .variables
        .iter()
        .filter(|v| {
            let uses = v.used_by.iter().any(|u| u.service == name);
            (uses && (v.in_env || v.status == Status::Missing)) || (whole_file && v.in_env)
        })
        .collect())
}

/// The selected variables with their values, or the refusal naming placeholders and missing
/// required values.
fn complete<'a>(
    input: &Input<'a>,
    selected: &[&'a Variable],
    allow_incomplete: bool,
) -> Result<Vec<Item<'a>>, ExportError> {
    let names = |status: Status| -> Vec<String> {
        selected
            .iter()
            .filter(|v| v.status == status)
            .map(|v| v.name.clone())
            .collect()
    };
    let (placeholders, missing) = (names(Status::Placeholder), names(Status::Missing));
    if !allow_incomplete && (!placeholders.is_empty() || !missing.is_empty()) {
        return Err(ExportError::Incomplete {
            placeholders,
            missing,
        });
    }
    Ok(selected
        .iter()
        .filter_map(|v| {
            let value = input.values.get(&v.name)?;
            Some(Item {
                var: v,
                value: Some(value.as_str()),
            })
        })
        .collect())
}

/// `docker run --env-file`: `KEY=value`, the value taken literally to the end of the line.
/// Docker strips nothing after `=` and reads no quotes or escapes, so a value with a line
/// break cannot be carried; a key with whitespace or `=` is rejected by Docker too.
fn env_file(items: &[Item<'_>]) -> Result<Export, ExportError> {
    let multi_line: Vec<String> = items
        .iter()
        .filter(|i| i.value.unwrap_or_default().contains(['\n', '\r', '\0']))
        .map(|i| i.var.name.clone())
        .collect();
    if !multi_line.is_empty() {
        return Err(ExportError::CannotCarry {
            variables: multi_line,
            reason: "the value holds a line break, which docker run --env-file cannot carry \
                     (it reads one line per variable, without quotes or escapes); use \
                     --format k8s or json"
                .to_string(),
        });
    }
    let bad_names: Vec<String> = items
        .iter()
        .map(|i| &i.var.name)
        .filter(|n| n.is_empty() || n.contains(|c: char| c.is_whitespace() || c == '='))
        .cloned()
        .collect();
    if !bad_names.is_empty() {
        return Err(ExportError::CannotCarry {
            variables: bad_names,
            reason: "docker run --env-file cannot carry this name".to_string(),
        });
    }
    let mut out = String::new();
    for item in items {
        out.push_str(&item.var.name);
        out.push('=');
        out.push_str(item.value.unwrap_or_default());
        out.push('\n');
    }
    Ok(Export {
        summary: vec![format!("{} variables", items.len())],
        document: out,
        container_env: None,
        notes: Vec::new(),
    })
}

/// A JSON object of names to values, in inventory order.
fn json(items: &[Item<'_>]) -> Export {
    let map = Ordered(
        items
            .iter()
            .map(|i| (i.var.name.as_str(), i.value.unwrap_or_default()))
            .collect(),
    );
    let mut document = serde_json::to_string_pretty(&map).unwrap_or_default();
    document.push('\n');
    Export {
        summary: vec![format!("{} variables", items.len())],
        document,
        container_env: None,
        notes: Vec::new(),
    }
}

/// A map that serialises in the order given (the example's order, not sorted).
#[derive(Debug, Clone, Default)]
pub struct Ordered<'a>(pub Vec<(&'a str, &'a str)>);

impl Serialize for Ordered<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The class a variable is exported under: `secret` and `external` go to the Secret.
pub fn in_secret(var: &Variable) -> bool {
    matches!(var.class, Class::Secret | Class::External)
}

#[cfg(test)]
mod tests;
