//! A service's container `env:` entries for Kubernetes, from its compose `environment:` and
//! `env_file:`.
//!
//! Each entry says where its value comes from instead of holding it: `${VAR}` becomes
//! `valueFrom.secretKeyRef` (secret and external classes) or `configMapKeyRef` (config); a
//! value built from several pieces (`postgres://u:${PW}@db/x`) becomes a `value` with
//! Kubernetes' own `$(VAR)` expansion, after entries that define each `VAR`; a literal stays a
//! literal (with `$` escaped as `$$`, which Kubernetes reads back as `$`). A service that loads
//! the live file through `env_file:` gets `envFrom` with the Secret and the `ConfigMap`, as
//! Compose hands it every variable of the file.

use serde::Serialize;

use super::{ExportError, Input, loads_live_file};
use crate::interpolate::{self, Form, Reference};

/// The objects the entries point at, and the keys each holds.
#[derive(Debug, Clone, Copy)]
pub struct Targets<'a> {
    /// The Secret's name.
    pub secret: &'a str,
    /// The `ConfigMap`'s name.
    pub config_map: &'a str,
    /// Keys in the Secret.
    pub secret_keys: &'a [&'a str],
    /// Keys in the `ConfigMap`.
    pub config_keys: &'a [&'a str],
}

/// The entries as YAML, and what could not be expressed.
#[derive(Debug, Clone)]
pub struct Planned {
    /// `env:` (and `envFrom:`) as a YAML mapping, ready to paste under a container.
    pub yaml: String,
    /// Entries left out or changed, and why (names only).
    pub notes: Vec<String>,
}

#[derive(Serialize)]
struct KeyRef<'a> {
    name: &'a str,
    key: String,
}

/// `valueFrom`: exactly one of the two is set. (A struct, not an enum: `serde_yaml` writes
/// enum variants as YAML tags.)
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ValueFrom<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_key_ref: Option<KeyRef<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    config_map_key_ref: Option<KeyRef<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EnvEntry<'a> {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value_from: Option<ValueFrom<'a>>,
}

#[derive(Serialize)]
struct NameRef<'a> {
    name: &'a str,
}

/// One `envFrom` source: exactly one of the two is set.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EnvFromSource<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_ref: Option<NameRef<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    config_map_ref: Option<NameRef<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ContainerEnv<'a> {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    env_from: Vec<EnvFromSource<'a>>,
    env: Vec<EnvEntry<'a>>,
}

/// Compose's `$$` is a literal `$`; Kubernetes reads `$$` as a literal `$` too, and `$(X)` as
/// an expansion, so every literal `$` is written doubled.
fn k8s_literal(compose_text: &str) -> String {
    compose_text.replace("$$", "$").replace('$', "$$")
}

struct Builder<'a> {
    targets: &'a Targets<'a>,
    input: &'a Input<'a>,
    env: Vec<EnvEntry<'a>>,
    notes: Vec<String>,
}

impl<'a> Builder<'a> {
    fn reference(&self, var: &str) -> Option<ValueFrom<'a>> {
        let key = var.to_string();
        if self.targets.secret_keys.contains(&var) {
            Some(ValueFrom {
                secret_key_ref: Some(KeyRef {
                    name: self.targets.secret,
                    key,
                }),
                config_map_key_ref: None,
            })
        } else if self.targets.config_keys.contains(&var) {
            Some(ValueFrom {
                secret_key_ref: None,
                config_map_key_ref: Some(KeyRef {
                    name: self.targets.config_map,
                    key,
                }),
            })
        } else {
            None
        }
    }

    /// Whether the variable counts as set for this form (`:` forms also need it non-empty).
    fn is_set(&self, r: &Reference) -> bool {
        let colon = matches!(
            r.form,
            Form::DefaultIfEmpty | Form::RequiredNonEmpty | Form::AltIfNonEmpty
        );
        self.input
            .values
            .get(&r.name)
            .is_some_and(|v| !colon || !v.is_empty())
            && self.reference(&r.name).is_some()
    }

    fn has(&self, name: &str) -> bool {
        self.env.iter().any(|e| e.name == name)
    }

    fn push_ref(&mut self, name: &str, var: &str) {
        if self.has(name) {
            return;
        }
        let value_from = self.reference(var);
        self.env.push(EnvEntry {
            name: name.to_string(),
            value: None,
            value_from,
        });
    }

    fn push_value(&mut self, name: &str, value: String) {
        if !self.has(name) {
            self.env.push(EnvEntry {
                name: name.to_string(),
                value: Some(value),
                value_from: None,
            });
        }
    }

    /// The literal a reference stands for when it is not an expansion (`+` words, defaults),
    /// or `None` when that literal itself reads variables.
    fn word_literal(word: Option<&str>) -> Option<String> {
        let word = word.unwrap_or_default();
        match interpolate::references(word) {
            Ok(refs) if refs.is_empty() => Some(k8s_literal(word)),
            _ => None,
        }
    }

    /// One `environment:` entry whose value is a template.
    fn template(&mut self, key: &str, template: &str) {
        let refs: Vec<Reference> = match interpolate::references(template) {
            Ok(refs) => refs.into_iter().filter(|r| !r.nested).collect(),
            Err(_) => {
                self.notes
                    .push(format!("{key}: not a valid compose template; left out"));
                return;
            }
        };
        if let [only] = refs.as_slice()
            && only.span == (0..template.len())
            && !matches!(only.form, Form::AltIfNonEmpty | Form::AltIfSet)
            && self.is_set(only)
        {
            let var = only.name.clone();
            self.push_ref(key, &var);
            return;
        }
        let mut value = String::new();
        let mut at = 0;
        let mut needs = Vec::new();
        for r in &refs {
            value.push_str(&k8s_literal(&template[at..r.span.start]));
            at = r.span.end;
            let set = self.is_set(r);
            let piece = match r.form {
                Form::AltIfNonEmpty | Form::AltIfSet if set => {
                    Self::word_literal(r.word.as_deref())
                }
                Form::AltIfNonEmpty | Form::AltIfSet => Some(String::new()),
                _ if set => {
                    needs.push(r.name.clone());
                    Some(format!("$({})", r.name))
                }
                Form::DefaultIfEmpty | Form::DefaultIfUnset => {
                    Self::word_literal(r.word.as_deref())
                }
                _ => {
                    self.notes.push(format!(
                        "{key}: {} has no value; Compose would use an empty string",
                        r.name
                    ));
                    Some(String::new())
                }
            };
            let Some(piece) = piece else {
                self.notes.push(format!(
                    "{key}: a default or alternative that reads other variables cannot be \
                     written as a Kubernetes env entry; left out, write it by hand"
                ));
                return;
            };
            value.push_str(&piece);
        }
        value.push_str(&k8s_literal(&template[at..]));
        for var in needs {
            self.push_ref(&var, &var);
        }
        self.push_value(key, value);
    }
}

/// The container `env:` entries of `service` (which must exist: the selection checked it).
pub fn entries(
    input: &Input<'_>,
    service: &str,
    targets: &Targets<'_>,
) -> Result<Planned, ExportError> {
    let svc = super::find_service(input.project, service)?;
    let mut b = Builder {
        targets,
        input,
        env: Vec::new(),
        notes: Vec::new(),
    };
    let mut env_from = Vec::new();
    if loads_live_file(svc, &input.project.env_file) {
        if !targets.secret_keys.is_empty() {
            env_from.push(EnvFromSource {
                secret_ref: Some(NameRef {
                    name: targets.secret,
                }),
                config_map_ref: None,
            });
        }
        if !targets.config_keys.is_empty() {
            env_from.push(EnvFromSource {
                secret_ref: None,
                config_map_ref: Some(NameRef {
                    name: targets.config_map,
                }),
            });
        }
    }
    for other in svc
        .env_files
        .iter()
        .filter(|f| f.path != input.project.env_file)
    {
        b.notes.push(format!(
            "env_file {} is not the live file; its variables are not exported",
            other.path.display()
        ));
    }
    for e in &svc.environment {
        match &e.value {
            None if b.reference(&e.key).is_some() && input.values.contains_key(&e.key) => {
                b.push_ref(&e.key, &e.key);
            }
            None => b.notes.push(format!(
                "{}: passes through a variable the live file does not set; left out, as \
                 Compose leaves it out",
                e.key
            )),
            Some(template) => b.template(&e.key, template),
        }
    }
    let yaml = serde_yaml::to_string(&ContainerEnv {
        env_from,
        env: b.env,
    })
    .map_err(|e| ExportError::Usage(format!("could not write YAML: {e}")))?;
    Ok(Planned {
        yaml,
        notes: b.notes,
    })
}
