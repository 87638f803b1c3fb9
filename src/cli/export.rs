//! `envward export`: the live file for another consumer — Kubernetes `Secret` and
//! `ConfigMap` (with an RBAC `Role`), an `ExternalSecret`, a `docker run --env-file` file, or
//! JSON.
//!
//! The edge loads and analyses the project, decodes the live file's values exactly as Compose
//! does, lets [`crate::export::plan`] build the document and writes it: to `-o FILE` through
//! the store's atomic writer (mode 0600), or to standard output. Values are never printed on a
//! terminal unless `-o -` asks for it. Placeholders and missing required values stop the
//! export with exit 1, naming them, unless `--allow-incomplete`.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{Error, ExitCode, GlobalArgs, workspace};
use crate::analysis::Knowledge;
use crate::export::{self, Format, Options};
use crate::store::{self, WriteOptions};

/// `--format` of `export`. Doc comments are `--help` text.
#[allow(clippy::doc_markdown)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// A Secret (secret and external classes) and a ConfigMap (config).
    K8s,
    /// An ExternalSecret (external-secrets.io/v1) for --store and --remote-key; no values.
    ExternalSecret,
    /// KEY=value lines for docker run --env-file (no quotes, no multi-line values).
    Env,
    /// The same as env.
    Docker,
    /// One JSON object of names to values.
    Json,
}

impl From<ExportFormat> for Format {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::K8s => Format::K8s,
            ExportFormat::ExternalSecret => Format::ExternalSecret,
            ExportFormat::Env | ExportFormat::Docker => Format::EnvFile,
            ExportFormat::Json => Format::Json,
        }
    }
}

/// The arguments of `envward export`. Doc comments are `--help` text.
#[allow(clippy::doc_markdown)]
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// What to produce.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Write to FILE (mode 0600), or - for standard output (needed on a terminal).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The Secret's name (ConfigMap: NAME-config, Role: NAME-reader); default: the project
    /// directory's name.
    #[arg(long)]
    pub name: Option<String>,
    /// The namespace of every object.
    #[arg(long, default_value = "default")]
    pub namespace: String,
    /// Only what this compose service uses; k8s also prints its container env: entries.
    #[arg(long, value_name = "SVC")]
    pub service: Option<String>,
    /// Add a Role granting get on the one Secret, and a RoleBinding for --service-account.
    #[arg(long, requires = "service_account")]
    pub rbac: bool,
    /// The service account the RoleBinding names.
    #[arg(long, value_name = "NAME")]
    pub service_account: Option<String>,
    /// external-secret: the SecretStore to read from.
    #[arg(long, value_name = "NAME")]
    pub store: Option<String>,
    /// external-secret: the secret's key in the manager (e.g. myapp/production).
    #[arg(long, value_name = "KEY")]
    pub remote_key: Option<String>,
    /// Export placeholders as they are and leave missing values out instead of refusing.
    #[arg(long)]
    pub allow_incomplete: bool,
}

/// The live file's values as Compose decodes them: escapes, then interpolation with the
/// process environment first and earlier keys second; the last assignment wins.
pub fn decoded_values(ws: &workspace::Workspace) -> HashMap<String, String> {
    let Some(live) = &ws.live else {
        return HashMap::new();
    };
    live.document
        .resolve_lenient(&|k: &str| ws.os_env.get(k).cloned())
        .into_iter()
        .map(|b| (b.key, b.value))
        .collect()
}

/// Runs `export`.
pub fn run(global: &GlobalArgs, args: &ExportArgs) -> Result<ExitCode, Error> {
    let format = Format::from(args.format);
    let to_stdout = match args.output.as_deref() {
        Some(p) => p == Path::new("-"),
        None => {
            if format.carries_values() && std::io::stdout().is_terminal() {
                return Err(Error::Usage(
                    "not printing secret values on the terminal; use -o FILE (or -o - to insist)"
                        .to_string(),
                ));
            }
            true
        }
    };
    let ws = workspace::load(global)?;
    let knowledge = Knowledge::builtin()?;
    let inventory = ws.analyze(&knowledge, ws.policy(global.policy));
    let values = decoded_values(&ws);
    let dir_name = ws
        .project
        .working_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = Options {
        name: args
            .name
            .clone()
            .unwrap_or_else(|| export::default_name(&dir_name)),
        namespace: args.namespace.clone(),
        service: args.service.clone(),
        rbac: args.rbac.then(|| args.service_account.clone()).flatten(),
        store: args.store.clone(),
        remote_key: args.remote_key.clone(),
        allow_incomplete: args.allow_incomplete,
    };
    let input = export::Input {
        inventory: &inventory,
        values: &values,
        project: &ws.project,
    };
    let planned = match export::plan(&input, format, &options) {
        Ok(p) => p,
        Err(e) if e.is_finding() => {
            writeln!(std::io::stderr(), "error: {e}")?;
            return Ok(ExitCode::Findings);
        }
        Err(e) => return Err(Error::Usage(e.to_string())),
    };
    let mut err = std::io::stderr().lock();
    for note in &planned.notes {
        writeln!(err, "note: {note}")?;
    }
    drop(err);
    let mut out = std::io::stdout().lock();
    if to_stdout {
        out.write_all(planned.document.as_bytes())?;
        if let Some(env) = &planned.container_env {
            // As comments, so the stream stays one valid set of manifests for kubectl.
            writeln!(out, "# container env for service {}:", service(args))?;
            for line in env.lines() {
                writeln!(out, "# {line}")?;
            }
        }
        return Ok(ExitCode::Clean);
    }
    let Some(path) = &args.output else {
        return Ok(ExitCode::Clean);
    };
    let path = crate::compose::resolve_path(&ws.cwd, path);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            Error::Usage(format!(
                "{}: cannot create: {e}",
                ws.display(parent).display()
            ))
        })?;
    }
    store::write_atomic(&path, planned.document.as_bytes(), &WriteOptions::default())?;
    writeln!(out, "wrote {} (mode 0600)", ws.display(&path).display())?;
    for line in &planned.summary {
        writeln!(out, "  {line}")?;
    }
    if let Some(env) = &planned.container_env {
        writeln!(
            out,
            "container env for service {} (under spec.template.spec.containers[]):",
            service(args)
        )?;
        out.write_all(env.as_bytes())?;
    }
    Ok(ExitCode::Clean)
}

fn service(args: &ExportArgs) -> &str {
    args.service.as_deref().unwrap_or_default()
}
