//! The Compose project as Docker Compose loads it, and every variable reference in it.
//!
//! The flow, one module each: `discover` decides which compose files a project has; `load`
//! reads them (through [`yaml`]) into the `model`, following COMPOSE-SEMANTICS.md §1 and §8–§10
//! (the env file, `-f`/`COMPOSE_FILE`/discovery, `include:`, `extends:`), with `service`
//! turning each service's YAML into the model; and `refs` finds every interpolation reference
//! (file, line, column, form, default, whether it is required and whether it sits in a URI).
//! Errors are typed and located (`error`).

mod discover;
mod error;
mod load;
mod model;
mod refs;
mod service;
pub mod yaml;

pub use discover::{display_path, resolve_path};
pub use error::{ComposeError, ComposeErrorKind, ReadError};
pub use load::{Options, Source, env_file_path, load, working_dir};
pub use model::{
    Build, CommandKey, CommandText, ComposeRef, EnvFileRef, EnvVar, Located, Mount, MountKind,
    Project, Scope, Service, Usage,
};
pub use refs::{in_uri, in_uri_all};
