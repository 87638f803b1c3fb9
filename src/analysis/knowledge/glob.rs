//! `*` globs over variable names, compiled to the cheapest test that decides them: names are
//! matched by the thousand, so the common `*_SUFFIX` form must cost one comparison.

/// A compiled pattern over upper-case names, pointing into the baked templates.
#[derive(Debug, Clone)]
pub(super) enum Glob {
    Exact(&'static str),
    Suffix(&'static str),
    Prefix(&'static str),
    Contains(&'static str),
    General(&'static str),
}

impl Glob {
    /// Compiles an upper-case pattern (the templates' patterns are; a test checks it).
    pub(super) fn new(p: &'static str) -> Glob {
        let stars = p.matches('*').count();
        match (stars, p.strip_prefix('*'), p.strip_suffix('*')) {
            (0, _, _) => Glob::Exact(p),
            (1, Some(rest), _) => Glob::Suffix(rest),
            (1, _, Some(rest)) => Glob::Prefix(rest),
            (2, Some(inner), _) if inner.ends_with('*') => {
                Glob::Contains(inner.trim_end_matches('*'))
            }
            _ => Glob::General(p),
        }
    }

    /// Whether the pattern is a prefix and a `*` (`VAPID_*`): a rule over a whole family.
    pub(super) fn is_prefix(&self) -> bool {
        matches!(self, Glob::Prefix(_))
    }

    /// Matches an upper-case name.
    pub(super) fn matches(&self, n: &str) -> bool {
        match self {
            Glob::Exact(p) => n == *p,
            Glob::Suffix(s) => n.ends_with(s),
            Glob::Prefix(s) => n.starts_with(s),
            Glob::Contains(s) => n.contains(s),
            Glob::General(p) => glob_match_upper(p, n),
        }
    }
}

/// `*` glob, ignoring ASCII case.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    glob_match_upper(&pattern.to_ascii_uppercase(), &name.to_ascii_uppercase())
}

/// [`glob_match`] on a pattern and name already in upper case: no allocation.
fn glob_match_upper(p: &str, n: &str) -> bool {
    let Some((first, rest)) = p.split_once('*') else {
        return p == n;
    };
    let (middle, last) = rest.rsplit_once('*').unwrap_or(("", rest));
    if !n.starts_with(first) || n.len() < first.len() + last.len() || !n.ends_with(last) {
        return false;
    }
    let mut hay = &n[first.len()..n.len() - last.len()];
    for mid in middle.split('*').filter(|m| !m.is_empty()) {
        match hay.find(mid) {
            Some(at) => hay = &hay[at + mid.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_globs_agree_with_the_general_matcher() {
        for p in [
            "*_PASSWORD",
            "JWT_*",
            "*SECRET*",
            "JWT_*KEY*",
            "GITHUB_TOKEN",
            "A*B",
        ] {
            for n in [
                "DB_PASSWORD",
                "JWT_SIGNING_KEY",
                "MY_SECRET_X",
                "GITHUB_TOKEN",
                "AXB",
                "PASSWORD",
            ] {
                assert_eq!(Glob::new(p).matches(n), glob_match(p, n), "{p} {n}");
            }
        }
    }

    #[test]
    fn globs() {
        assert!(glob_match("*_PASSWORD", "db_password"));
        assert!(glob_match("JWT_*KEY*", "JWT_SIGNING_KEY"));
        assert!(!glob_match("*_PASSWORD", "PASSWORD"));
        assert!(glob_match("*PASSWORD*", "PASSWORD"));
        assert!(!glob_match("A*B*C", "ACB"));
    }
}
