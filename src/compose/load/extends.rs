//! `extends:`: a service built on another, in the same file or another one, resolved
//! recursively (COMPOSE-SEMANTICS.md §10), the base's references attributed to the service
//! that extends it.

use std::path::{Path, PathBuf};

use super::{Loader, MAX_INCLUDE_DEPTH};
use crate::compose::discover::{display_path, resolve_path};
use crate::compose::error::{ComposeError, ComposeErrorKind};
use crate::compose::model::{Scope, Service};
use crate::compose::{refs, service, yaml};

impl Loader<'_> {
    /// Resolves `extends:` of service `name` in `path`: the base service merged recursively,
    /// with the base's references attributed to the extending service. A base in another file
    /// resolves its relative paths against that file's directory; one in the same file, against
    /// `project_dir` like the extending service.
    pub(super) fn extends(
        &mut self,
        path: &Path,
        project_dir: &Path,
        name: &str,
        ext: &yaml::Node,
        seen: &mut Vec<(PathBuf, String)>,
    ) -> Result<Service, ComposeError> {
        let (base_name, file) = match &ext.kind {
            yaml::Kind::Map(_) => (
                ext.get("service")
                    .and_then(yaml::Node::as_str)
                    .unwrap_or_default()
                    .to_string(),
                ext.get("file"),
            ),
            _ => (ext.as_str().unwrap_or_default().to_string(), None),
        };
        let (base_path, base_dir) = match file {
            Some(f) => {
                let value = self.eval(path, f)?;
                let base_path = resolve_path(
                    path.parent().unwrap_or(&self.working_dir),
                    Path::new(&value),
                );
                self.inside_project(path, f, "extends: file", &base_path)?;
                let base_dir = base_path
                    .parent()
                    .map_or_else(|| project_dir.to_path_buf(), Path::to_path_buf);
                (base_path, base_dir)
            }
            None => (path.to_path_buf(), project_dir.to_path_buf()),
        };
        if seen.iter().any(|(p, n)| *p == base_path && *n == base_name) {
            return Err(self.error(path, Some(ext.position), ComposeErrorKind::Cycle("extends")));
        }
        if seen.len() > MAX_INCLUDE_DEPTH {
            return Err(self.error(
                path,
                Some(ext.position),
                ComposeErrorKind::TooDeep("extends"),
            ));
        }
        seen.push((base_path.clone(), base_name.clone()));
        let parsed = self.parsed(&base_path)?;
        let text = &parsed.text;
        let Some(base_node) = parsed
            .docs
            .iter()
            .find_map(|root| root.get("services").and_then(|s| s.get(&base_name)))
        else {
            return Err(self.error(
                path,
                Some(ext.position),
                ComposeErrorKind::UnknownService(base_name),
            ));
        };
        let display = display_path(&self.cwd, &base_path);
        if base_path != path && !self.files.contains(&display) {
            self.files.push(display.clone());
        }
        let scope = Scope::Service(name.to_string());
        let key_path = format!("services.{base_name}");
        let mut found = Vec::new();
        refs::collect(
            text,
            &parsed.index,
            base_node,
            &scope,
            &display,
            &key_path,
            &mut found,
        )
        .map_err(|(p, e)| self.error(&base_path, Some(p), ComposeErrorKind::Template(e)))?;
        self.references.extend(found);
        let mut base = self.service(&base_path, &display, name, base_node, &base_dir)?;
        if let Some(next) = base_node.get("extends") {
            let deeper = self.extends(&base_path, &base_dir, name, next, seen)?;
            base = service::merge(deeper, base);
        }
        Ok(base)
    }
}
