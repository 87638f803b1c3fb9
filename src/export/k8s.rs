//! Kubernetes manifests as typed values, written with `serde_yaml`: a `Secret` (type
//! Opaque, `data` base64 of the exact bytes), a `ConfigMap`, an RBAC `Role` granting `get`
//! on that one Secret with a `RoleBinding`, and an `ExternalSecret` shaped as the secrets
//! strategy's example (`refreshInterval`, `secretStoreRef`, `target`, one `data` entry per
//! secret with a lowercase `property`).

use base64::Engine;
use serde::Serialize;

use super::{Export, ExportError, Input, Item, Options, Ordered, container, in_secret};
use crate::analysis::Variable;

/// Name and namespace only, as in the strategy's examples (no labels to keep in step).
#[derive(Serialize)]
struct Metadata<'a> {
    name: &'a str,
    namespace: &'a str,
}

impl<'a> Metadata<'a> {
    fn new(name: &'a str, namespace: &'a str) -> Self {
        Metadata { name, namespace }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Secret<'a> {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata<'a>,
    #[serde(rename = "type")]
    type_: &'static str,
    data: Ordered<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConfigMap<'a> {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata<'a>,
    data: Ordered<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PolicyRule<'a> {
    api_groups: [&'static str; 1],
    resources: [&'static str; 1],
    resource_names: [&'a str; 1],
    verbs: [&'static str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Role<'a> {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata<'a>,
    rules: [PolicyRule<'a>; 1],
}

#[derive(Serialize)]
struct Subject<'a> {
    kind: &'static str,
    name: &'a str,
    namespace: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RoleRef<'a> {
    api_group: &'static str,
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RoleBinding<'a> {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata<'a>,
    subjects: [Subject<'a>; 1],
    role_ref: RoleRef<'a>,
}

const RBAC_API: &str = "rbac.authorization.k8s.io/v1";

/// The `ConfigMap`'s name for a Secret called `name`.
pub fn config_map_name(name: &str) -> String {
    format!("{name}-config")
}

/// The Role's (and `RoleBinding`'s) name for a Secret called `name`.
pub fn role_name(name: &str) -> String {
    format!("{name}-reader")
}

/// Secret and `ConfigMap` keys: `[-._a-zA-Z0-9]+`, as the API server requires.
fn check_key(var: &Variable) -> Result<(), ExportError> {
    let ok = !var.name.is_empty()
        && var
            .name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(ExportError::CannotCarry {
            variables: vec![var.name.clone()],
            reason: "not a valid Secret or ConfigMap key (letters, digits, '-', '_', '.')"
                .to_string(),
        })
    }
}

fn yaml<T: Serialize>(value: &T) -> Result<String, ExportError> {
    serde_yaml::to_string(value)
        .map_err(|e| ExportError::Usage(format!("could not write YAML: {e}")))
}

/// Joins documents into one YAML stream.
fn stream(docs: &[String]) -> String {
    docs.join("---\n")
}

/// The `Secret` (secret and external classes), the `ConfigMap` (config), and with `--rbac`
/// the `Role` and `RoleBinding`. Empty objects are left out.
pub fn manifests(
    input: &Input<'_>,
    items: &[Item<'_>],
    options: &Options,
) -> Result<Export, ExportError> {
    let (name, ns) = (options.name.as_str(), options.namespace.as_str());
    let cm_name = config_map_name(name);
    let role = role_name(name);
    let mut encoded = Vec::new();
    let mut config = Vec::new();
    for item in items {
        check_key(item.var)?;
        let value = item.value.unwrap_or_default();
        if in_secret(item.var) {
            encoded.push((
                item.var.name.as_str(),
                base64::engine::general_purpose::STANDARD.encode(value.as_bytes()),
            ));
        } else {
            config.push((item.var.name.as_str(), value));
        }
    }
    let mut docs = Vec::new();
    let mut summary = Vec::new();
    if !encoded.is_empty() {
        docs.push(yaml(&Secret {
            api_version: "v1",
            kind: "Secret",
            metadata: Metadata::new(name, ns),
            type_: "Opaque",
            data: Ordered(encoded.iter().map(|(k, v)| (*k, v.as_str())).collect()),
        })?);
        summary.push(format!("Secret {name} ({} keys)", encoded.len()));
    }
    if !config.is_empty() {
        let doc = yaml(&ConfigMap {
            api_version: "v1",
            kind: "ConfigMap",
            metadata: Metadata::new(&cm_name, ns),
            data: Ordered(config.clone()),
        })?;
        docs.push(quote_yaml11_scalars(doc, &config));
        summary.push(format!("ConfigMap {cm_name} ({} keys)", config.len()));
    }
    if let Some(account) = options.rbac.as_deref() {
        if encoded.is_empty() {
            return Err(ExportError::Usage(
                "--rbac grants access to the Secret, but no secret is exported".to_string(),
            ));
        }
        docs.extend(rbac(name, ns, account)?);
        summary.push(format!(
            "Role and RoleBinding {role}: service account {account} may get Secret {name}"
        ));
    }
    let (container_env, notes) = match options.service.as_deref() {
        Some(service) => {
            let secret_keys: Vec<&str> = encoded.iter().map(|(k, _)| *k).collect();
            let config_keys: Vec<&str> = config.iter().map(|(k, _)| *k).collect();
            let refs = container::Targets {
                secret: name,
                config_map: &cm_name,
                secret_keys: &secret_keys,
                config_keys: &config_keys,
            };
            let planned = container::entries(input, service, &refs)?;
            (Some(planned.yaml), planned.notes)
        }
        None => (None, Vec::new()),
    };
    Ok(Export {
        document: stream(&docs),
        summary,
        container_env,
        notes,
    })
}

/// Whether a plain scalar means something other than a string to a YAML 1.1 reader
/// (kubectl's): `on`, `yes`, `n`, `0777`, `1_000`, `1:20`, `2025-01-31` … `serde_yaml` quotes
/// what YAML 1.2 would misread, not these.
fn yaml11_non_string(v: &str) -> bool {
    static PATTERN: std::sync::OnceLock<Option<regex_lite::Regex>> = std::sync::OnceLock::new();
    PATTERN
        .get_or_init(|| {
            regex_lite::Regex::new(concat!(
                r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE",
                r"|on|On|ON|off|Off|OFF|~|null|Null|NULL|=|<<",
                r"|[-+]?(?:0b[01_]+|0[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*)",
                r"|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?",
                r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
                r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?)$"
            ))
            .ok()
        })
        .as_ref()
        .is_some_and(|re| re.is_match(v))
}

/// Single-quotes the `data` values a YAML 1.1 reader would not read as strings, so kubectl
/// sees the same text Compose does.
fn quote_yaml11_scalars(mut doc: String, data: &[(&str, &str)]) -> String {
    for (key, value) in data {
        if yaml11_non_string(value) {
            let plain = format!("\n  {key}: {value}\n");
            doc = doc.replacen(&plain, &format!("\n  {key}: '{value}'\n"), 1);
        }
    }
    doc
}

fn rbac(secret: &str, ns: &str, account: &str) -> Result<Vec<String>, ExportError> {
    super::check_name("--service-account", account, 253)?;
    let role = role_name(secret);
    Ok(vec![
        yaml(&Role {
            api_version: RBAC_API,
            kind: "Role",
            metadata: Metadata::new(&role, ns),
            rules: [PolicyRule {
                api_groups: [""],
                resources: ["secrets"],
                resource_names: [secret],
                verbs: ["get"],
            }],
        })?,
        yaml(&RoleBinding {
            api_version: RBAC_API,
            kind: "RoleBinding",
            metadata: Metadata::new(&role, ns),
            subjects: [Subject {
                kind: "ServiceAccount",
                name: account,
                namespace: ns,
            }],
            role_ref: RoleRef {
                api_group: "rbac.authorization.k8s.io",
                kind: "Role",
                name: &role,
            },
        })?,
    ])
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExternalSecret<'a> {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata<'a>,
    spec: ExternalSpec<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExternalSpec<'a> {
    refresh_interval: &'static str,
    secret_store_ref: StoreRef<'a>,
    target: Target<'a>,
    data: Vec<ExternalData<'a>>,
}

#[derive(Serialize)]
struct StoreRef<'a> {
    name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Target<'a> {
    name: &'a str,
    creation_policy: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExternalData<'a> {
    secret_key: &'a str,
    remote_ref: RemoteRef<'a>,
}

#[derive(Serialize)]
struct RemoteRef<'a> {
    key: &'a str,
    property: String,
}

/// The secret manager's property for a variable, as in the strategy's example:
/// `JWT_SECRET` → `jwt_secret`.
pub fn property_name(variable: &str) -> String {
    variable.to_ascii_lowercase()
}

/// An `ExternalSecret` (external-secrets.io/v1) that builds the Secret `--name` from
/// `--store`'s `--remote-key`, one entry per secret. It names variables and holds no value.
pub fn external_secret(secrets: &[&Variable], options: &Options) -> Result<Export, ExportError> {
    let (Some(store), Some(remote_key)) = (options.store.as_deref(), options.remote_key.as_deref())
    else {
        return Err(ExportError::Usage(
            "--format external-secret needs --store NAME (the SecretStore) and \
             --remote-key KEY (the secret in the manager, e.g. myapp/production)"
                .to_string(),
        ));
    };
    super::check_name("--store", store, 253)?;
    let (name, ns) = (options.name.as_str(), options.namespace.as_str());
    for var in secrets {
        check_key(var)?;
    }
    let mut docs = vec![yaml(&ExternalSecret {
        api_version: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: Metadata::new(name, ns),
        spec: ExternalSpec {
            refresh_interval: "1h",
            secret_store_ref: StoreRef {
                name: store,
                kind: "SecretStore",
            },
            target: Target {
                name,
                creation_policy: "Owner",
            },
            data: secrets
                .iter()
                .map(|v| ExternalData {
                    secret_key: &v.name,
                    remote_ref: RemoteRef {
                        key: remote_key,
                        property: property_name(&v.name),
                    },
                })
                .collect(),
        },
    })?];
    let mut summary = vec![format!(
        "ExternalSecret {name} ({} keys from {store}:{remote_key})",
        secrets.len()
    )];
    if let Some(account) = options.rbac.as_deref() {
        docs.extend(rbac(name, ns, account)?);
        summary.push(format!(
            "Role and RoleBinding {}: service account {account} may get Secret {name}",
            role_name(name)
        ));
    }
    Ok(Export {
        document: stream(&docs),
        summary,
        container_env: None,
        notes: Vec::new(),
    })
}
