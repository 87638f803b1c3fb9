//! `hardcoded`: a secret-looking `environment:` entry in a compose file with a literal value
//! (or credentials written into a URI), which the env file can never fix or rotate.

use super::{Rule, RuleId};
use crate::analysis::facts::Context;
use crate::analysis::{Class, Finding, Severity};

/// See the module docs.
pub struct Hardcoded;

/// Whether `value` is a URI with a literal password (`scheme://user:pass@host`).
fn has_literal_credentials(value: &str) -> bool {
    let Some(after) = value.split_once("://").map(|(_, a)| a) else {
        return false;
    };
    let authority = after.split(['/', '?', '#']).next().unwrap_or("");
    let Some((userinfo, _)) = authority.rsplit_once('@') else {
        return false;
    };
    match userinfo.split_once(':') {
        Some((_, pass)) => !pass.is_empty() && !pass.contains('$'),
        None => false,
    }
}

impl Rule for Hardcoded {
    fn id(&self) -> RuleId {
        RuleId::Hardcoded
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let k = cx.input.knowledge;
        for service in &cx.input.project.services {
            for var in &service.environment {
                let Some(value) = &var.value else { continue };
                if value.contains('$') {
                    continue;
                }
                let image_class = service
                    .image
                    .as_deref()
                    .and_then(|i| k.image_var(i, &var.key))
                    .and_then(|r| r.class);
                let class = image_class
                    .or_else(|| k.by_name(&var.key).map(|(c, _)| c))
                    .unwrap_or(Class::Config);
                let message = if class.is_sensitive() {
                    let what = if value.is_empty() {
                        "set to an empty literal"
                    } else {
                        "written as a literal"
                    };
                    format!(
                        "{} of service {} is {what} in {}; use ${{{}}} and set it in the env file",
                        var.key,
                        service.name,
                        var.file.display(),
                        var.key
                    )
                } else if has_literal_credentials(value) {
                    format!(
                        "{} of service {} has a password written into its URI in {}; interpolate it from the env file",
                        var.key,
                        service.name,
                        var.file.display()
                    )
                } else {
                    continue;
                };
                out.push(Finding {
                    rule: self.id(),
                    severity: Severity::Error,
                    variable: Some(var.key.clone()),
                    file: var.file.clone(),
                    position: var.position,
                    message,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::RuleId;
    use crate::analysis::testkit::{Fixture, vars_of};

    #[test]
    fn truth_table() {
        let cases: [(&str, &[&str]); 6] = [
            ("POSTGRES_PASSWORD: testpass", &["POSTGRES_PASSWORD"]),
            ("POSTGRES_PASSWORD: ${DB_PASSWORD}", &[]),
            ("POSTGRES_PASSWORD: ''", &["POSTGRES_PASSWORD"]),
            (
                "DATABASE_URL: postgres://app:hunter2@db/app",
                &["DATABASE_URL"],
            ),
            ("DATABASE_URL: postgres://app:${PW}@db/app", &[]),
            ("LOG_LEVEL: debug", &[]),
        ];
        for (env, want) in cases {
            let compose =
                format!("services:\n  db:\n    image: postgres\n    environment:\n      {env}\n");
            let inv = Fixture::new().compose(&compose).run();
            assert_eq!(vars_of(&inv, RuleId::Hardcoded), want, "{env}");
        }
    }
}
