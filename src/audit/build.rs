//! Docker build contexts that would send the live file to the builder.
//!
//! `docker build` uploads its whole context except what `.dockerignore` excludes, so a
//! `Dockerfile` whose context holds `.env` can copy it into an image (`COPY . .`). The edge
//! finds the contexts (compose `build:` entries and a `Dockerfile` in the project directory)
//! and reads their ignore files; [`excludes`] decides, with Docker's rules: patterns in Go's
//! `filepath.Match` syntax plus `**`, a leading `/` ignored, `!` re-including, the last
//! matching line winning, and a pattern that matches a directory excluding what is inside.

use std::path::PathBuf;

use globset::GlobBuilder;

/// One build context, as the edge found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildContext {
    /// The compose service that builds it, if any.
    pub service: Option<String>,
    /// The Dockerfile, as shown to the user.
    pub dockerfile: PathBuf,
    /// The context directory, as shown to the user.
    pub context: PathBuf,
    /// The live file's path inside the context (`/`-separated), or `None` when it is
    /// outside.
    pub live_inside: Option<String>,
    /// The ignore file that applies (`Dockerfile.dockerignore`, else `.dockerignore`) and
    /// its text.
    pub ignore_file: Option<(PathBuf, String)>,
}

impl BuildContext {
    /// Whether this context sends the live file to the builder.
    pub fn leaks_live_file(&self) -> bool {
        match (&self.live_inside, &self.ignore_file) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(rel), Some((_, text))) => !excludes(text, rel),
        }
    }
}

/// Whether `.dockerignore` text excludes `path` (relative to the context, `/`-separated).
pub fn excludes(ignore_text: &str, path: &str) -> bool {
    let mut excluded = false;
    for line in ignore_text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (negated, pattern) = match line.strip_prefix('!') {
            Some(rest) => (true, rest.trim()),
            None => (false, line),
        };
        let pattern = pattern.trim_start_matches('/').trim_start_matches("./");
        let pattern = pattern.trim_end_matches('/');
        if pattern.is_empty() {
            continue;
        }
        let Ok(glob) = GlobBuilder::new(pattern)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
        else {
            continue;
        };
        let matcher = glob.compile_matcher();
        // The path itself or any directory above it.
        let mut candidate = Some(path);
        let mut matched = false;
        while let Some(p) = candidate {
            if matcher.is_match(p) {
                matched = true;
                break;
            }
            candidate = p.rsplit_once('/').map(|(parent, _)| parent);
        }
        if matched {
            excluded = !negated;
        }
    }
    excluded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_ignore_rules() {
        assert!(excludes(".env\n", ".env"));
        assert!(excludes("/.env\n", ".env"));
        assert!(excludes(".env*\n", ".env"));
        assert!(excludes("**/.env\n", "app/.env"));
        assert!(excludes("app\n", "app/.env"));
        assert!(!excludes("*.log\nnode_modules\n", ".env"));
        assert!(!excludes(".env\n!.env\n", ".env"));
        assert!(!excludes("*/.env\n", ".env"), "* needs a directory");
        assert!(!excludes("", ".env"));
    }

    #[test]
    fn a_context_outside_the_live_file_does_not_leak() {
        let mut c = BuildContext {
            service: Some("web".to_string()),
            dockerfile: PathBuf::from("web/Dockerfile"),
            context: PathBuf::from("web"),
            live_inside: None,
            ignore_file: None,
        };
        assert!(!c.leaks_live_file());
        c.live_inside = Some(".env".to_string());
        assert!(c.leaks_live_file());
        c.ignore_file = Some((PathBuf::from(".dockerignore"), ".env\n".to_string()));
        assert!(!c.leaks_live_file());
    }
}
