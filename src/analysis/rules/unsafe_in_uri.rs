//! `unsafe-in-uri`: a value interpolated inside a URI (`postgres://u:${PW}@db`) that
//! contains characters with a meaning in URIs, which breaks the connection string.

use super::{Rule, RuleId, about};
use crate::analysis::facts::Context;
use crate::analysis::{Finding, Severity};

/// Characters that end or restructure the part of a URI a value sits in.
const BREAKS_URI: &[char] = &[
    '@', ':', '/', '?', '#', '[', ']', '%', ' ', '"', '<', '>', '\\', '^', '`', '{', '}', '|',
];

/// See the module docs.
pub struct UnsafeInUri;

impl Rule for UnsafeInUri {
    fn id(&self) -> RuleId {
        RuleId::UnsafeInUri
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for var in cx.vars.iter().filter(|v| v.in_uri) {
            let Some(value) = var.live_value() else {
                continue;
            };
            let breaks = |c: char| {
                var.uri_parts.iter().any(|p| p.breaking().contains(&c))
                    || (var.uri_parts.is_empty() && BREAKS_URI.contains(&c))
            };
            if !value.chars().any(breaks) {
                continue;
            }
            let at = var
                .refs
                .iter()
                .find(|r| r.in_uri)
                .map_or_else(|| var.location(cx), |r| (r.file.clone(), r.position));
            let message = format!(
                "{} is used inside a URI at {}:{} but its value contains characters such as @ : / ? # % that break URIs; use a URI-safe value (envward generates one) or percent-encode it",
                var.name,
                at.0.display(),
                at.1
            );
            out.push(about(self.id(), Severity::Error, var, at, message));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::RuleId;
    use crate::analysis::testkit::{Fixture, vars_of};

    #[test]
    fn truth_table() {
        let compose = "services:\n  app:\n    image: app\n    environment:\n      URL: postgres://u:${PW}@db/app\n      PLAIN: ${OTHER}\n";
        let cases: [(&str, &[&str]); 4] = [
            ("PW=Vq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiEl\n", &[]),
            ("PW=Vq3J8xk2Lw9Z@N4rT7yUe1MfHs6DpQa0CgKj5XoWiEl\n", &["PW"]),
            ("PW=Vq3J8xk2Lw9Z/N4rT7yUe1MfHs6DpQa0CgKj5XoWiEl\n", &["PW"]),
            ("OTHER=a@b:c/d\n", &[]),
        ];
        for (live, want) in cases {
            let inv = Fixture::new().compose(compose).live(live).run();
            assert_eq!(vars_of(&inv, RuleId::UnsafeInUri), want, "{live:?}");
        }
        let inv = Fixture::new()
            .live("PW=a@b\nURL=redis://:${PW}@redis\n")
            .run();
        assert_eq!(vars_of(&inv, RuleId::UnsafeInUri), ["PW"]);
    }
}
