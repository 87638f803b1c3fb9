//! One `---` document of a compose file into the model: the references of every string in
//! it, its `include:`s loaded in turn, its volumes, and its services read and merged by name.

use std::path::{Path, PathBuf};

use super::Loader;
use crate::compose::discover::{self, resolve_path};
use crate::compose::error::{ComposeError, ComposeErrorKind};
use crate::compose::model::{EnvFileRef, Located, Scope, Service};
use crate::compose::{refs, service, yaml};
use crate::position::LineIndex;

impl Loader<'_> {
    /// Loads one document (layer) of a compose file.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn load_document(
        &mut self,
        path: &Path,
        display: &Path,
        text: &str,
        index: &LineIndex,
        root: &yaml::Node,
        project_dir: &Path,
        stack: &mut Vec<PathBuf>,
    ) -> Result<(), ComposeError> {
        let base_dir = path.parent().unwrap_or(&self.working_dir).to_path_buf();

        for (section, _, node) in root.entries() {
            if section == "services" {
                for (name, _, service) in node.entries() {
                    let scope = Scope::Service(name.clone());
                    let key_path = format!("services.{name}");
                    refs::collect(
                        text,
                        index,
                        service,
                        &scope,
                        display,
                        &key_path,
                        &mut self.references,
                    )
                    .map_err(|(p, e)| self.error(path, Some(p), ComposeErrorKind::Template(e)))?;
                }
            } else {
                let scope = Scope::Section(section.clone());
                refs::collect(
                    text,
                    index,
                    node,
                    &scope,
                    display,
                    section,
                    &mut self.references,
                )
                .map_err(|(p, e)| self.error(path, Some(p), ComposeErrorKind::Template(e)))?;
            }
        }

        if let Some(include) = root.get("include") {
            stack.push(path.to_path_buf());
            for (items, dir_node) in discover::include_paths(include) {
                let mut targets = Vec::new();
                for item in items {
                    let value = self.eval(path, item)?;
                    let target = resolve_path(&base_dir, Path::new(&value));
                    self.inside_project(path, item, "include:", &target)?;
                    targets.push(target);
                }
                // The included project's directory: `project_directory`, else the directory of
                // its first file.
                let dir = match dir_node {
                    Some(node) => resolve_path(&base_dir, Path::new(&self.eval(path, node)?)),
                    None => targets
                        .first()
                        .and_then(|t| t.parent())
                        .map_or_else(|| base_dir.clone(), Path::to_path_buf),
                };
                for target in &targets {
                    // Each file is included once (per project directory): a diamond of
                    // includes would otherwise load its lower files exponentially often. A
                    // file that includes itself still fails as a cycle in `load_file`.
                    let on_stack = stack.iter().any(|p| p == target);
                    if !on_stack && !self.included.insert((target.clone(), dir.clone())) {
                        continue;
                    }
                    self.load_file(target, &dir, stack)?;
                }
            }
            stack.pop();
        }

        if let Some(volumes) = root.get("volumes") {
            for (name, position, _) in volumes.entries() {
                self.volumes.push(Located {
                    value: name.clone(),
                    file: display.to_path_buf(),
                    position: *position,
                });
            }
        }

        if let Some(services) = root.get("services") {
            for (name, _, node) in services.entries() {
                let mut service = self.service(path, display, name, node, project_dir)?;
                if let Some(ext) = node.get("extends") {
                    let mut seen = vec![(path.to_path_buf(), name.clone())];
                    let base = self.extends(path, project_dir, name, ext, &mut seen)?;
                    service = service::merge(base, service);
                }
                match self.service_index.get(name.as_str()) {
                    Some(&at) => {
                        let existing = &mut self.services[at];
                        let merged = service::merge(std::mem::take(existing), service);
                        *existing = merged;
                    }
                    None => {
                        self.service_index.insert(name.clone(), self.services.len());
                        self.services.push(service);
                    }
                }
            }
        }
        Ok(())
    }

    /// A service of `path` read into the model, its `env_file:` paths evaluated.
    pub(super) fn service(
        &self,
        path: &Path,
        display: &Path,
        name: &str,
        node: &yaml::Node,
        project_dir: &Path,
    ) -> Result<Service, ComposeError> {
        let cx = service::Context {
            display,
            project_dir,
            environment: self.environment,
        };
        let mut read = service::read(&cx, name, node)
            .map_err(|(p, msg)| self.error(path, Some(p), ComposeErrorKind::Shape(msg)))?;
        // `image: ${IMAGE_MYSQL}` (apitable) is the image Compose pulls once interpolated: what
        // envward knows of mysql applies to it. A failing `:?` leaves it as written, for the
        // reference rules to report; the image is not worth refusing the project over.
        if let Some(image) = read.image.as_mut().filter(|i| i.contains('$')) {
            let env = self.environment;
            if let Ok(resolved) =
                crate::interpolate::substitute(image, &|k: &str| env.get(k).cloned())
            {
                *image = resolved;
            }
        }
        if let Some(files) = node.get("env_file") {
            for (path_node, required, raw) in service::env_file_items(files) {
                let value = self.eval(path, path_node)?;
                read.env_files.push(EnvFileRef {
                    path: resolve_path(project_dir, Path::new(&value)),
                    required,
                    raw,
                });
            }
        }
        Ok(read)
    }
}
