//! `missing`: a required variable that is absent or empty in the live file.

use super::{Rule, RuleId, about, services_of};
use crate::analysis::facts::{Context, Verdict};
use crate::analysis::{Finding, Severity};
use crate::position::Position;

/// See the module docs.
pub struct Missing;

impl Rule for Missing {
    fn id(&self) -> RuleId {
        RuleId::Missing
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let live = cx.input.live_path.display();
        // The services that read the whole live file (`env_file:`), for variables no compose
        // entry names: they are the ones that need it.
        let live_abs = &cx.input.project.env_file;
        let loads = |s: &&crate::compose::Service, required: bool| {
            s.env_files
                .iter()
                .any(|f| f.path == *live_abs && (f.required || !required))
        };
        let services = &cx.input.project.services;
        let readers: Vec<&crate::compose::Service> =
            services.iter().filter(|s| loads(s, false)).collect();
        // No live file at all, and a service loads it without `required: false`: Compose
        // refuses to start ("env file not found"), whatever the variables say.
        let requiring: Vec<&str> = services
            .iter()
            .filter(|s| loads(s, true))
            .map(|s| s.name.as_str())
            .collect();
        if cx.input.live.is_none() && !requiring.is_empty() {
            let s = if requiring.len() == 1 { "" } else { "s" };
            let fix = if cx.input.example.is_some() {
                format!(
                    "; `envward fill` creates it from {}",
                    cx.input.example_path.display()
                )
            } else {
                String::new()
            };
            out.push(Finding {
                rule: self.id(),
                severity: Severity::Error,
                variable: None,
                file: cx.input.live_path.to_path_buf(),
                position: Position { line: 1, column: 1 },
                message: format!(
                    "{live} does not exist, and service{s} {} load it (env_file:), so Compose will not start them{fix}",
                    requiring.join(", ")
                ),
            });
        }
        if !cx.input.live_interpolates {
            unfilled_references(self.id(), cx, out);
        }
        for var in cx.vars.iter().filter(|v| v.verdict == Verdict::Missing) {
            let who = services_of(var);
            let needed = if !who.is_empty() {
                format!("required by {who}")
            } else if !readers.is_empty() {
                // A server image envward knows reads only its own variables: Mbin's postgres
                // loads the app's file but needs none of its keys.
                let knowledge = cx.input.knowledge;
                let reading: Vec<&str> = readers
                    .iter()
                    .filter(|s| {
                        !s.image
                            .as_deref()
                            .and_then(|i| knowledge.image(i))
                            .is_some_and(|i| i.family.is_some() && !i.vars.contains_key(&var.name))
                    })
                    .map(|s| s.name.as_str())
                    .collect();
                let reading = if reading.is_empty() {
                    readers.iter().map(|s| s.name.as_str()).collect()
                } else {
                    reading
                };
                let s = if reading.len() == 1 { "" } else { "s" };
                format!("needed by service{s} {} (env_file)", reading.join(", "))
            } else if cx.input.example.is_some() {
                // No compose reference and no env_file: the template asks for it (a recipe,
                // `# Required`) for an app that reads the file itself (Next.js beside compose).
                // Saying so keeps a green `fill` from reading as "the containers have it".
                format!(
                    "required by the example file; no compose service reads it, only an app that reads {live} itself"
                )
            } else {
                "listed to be set".to_string()
            };
            let message = if var.live.is_some() {
                format!("{} is empty in {live} but {needed}", var.name)
            } else {
                format!("{} is not set in {live} but {needed}", var.name)
            };
            out.push(about(
                self.id(),
                Severity::Error,
                var,
                var.location(cx),
                message,
            ));
        }
    }
}

/// The live file is an env file the services load and the project has no `.env` (weblate's
/// `environment`): its values reach those containers whole, but Compose fills `${X}` from
/// `.env` or the shell only. A `${X}` the file sets is empty in the container, and an
/// `environment:` entry outranks the env file's line.
fn unfilled_references(rule: RuleId, cx: &Context<'_>, out: &mut Vec<Finding>) {
    use crate::compose::Usage;
    use crate::interpolate::Form;
    let live = cx.input.live_path.display();
    for var in &cx.vars {
        let set = var
            .live
            .as_ref()
            .and_then(|e| e.value.as_deref())
            .is_some_and(|v| !v.is_empty());
        if !set || cx.input.env.contains_key(&var.name) {
            continue;
        }
        let Some(r) = var.refs.iter().find(|r| {
            matches!(
                r.usage,
                Usage::Interpolation(
                    Form::Bare | Form::Braced | Form::Required | Form::RequiredNonEmpty
                )
            )
        }) else {
            continue;
        };
        out.push(Finding {
            rule,
            severity: Severity::Error,
            variable: Some(var.name.clone()),
            file: r.file.clone(),
            position: r.position,
            message: format!(
                "{} is set in {live}, but Compose fills ${{{}}} from .env or the shell only, so it is empty here; delete the line if the service loads {live} (env_file:), or set {} in .env",
                var.name, var.name, var.name
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::RuleId;
    use crate::analysis::testkit::{Fixture, first_of, vars_of};

    const COMPOSE: &str = "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n      TZ: ${TZ:-UTC}\n";

    #[test]
    fn truth_table() {
        let strong = "DB_PASSWORD=Vq3J8xk2Lw9ZbN4rT7yUe1MfHs6DpQa0CgKj5XoWiEl\n";
        let cases: [(Option<&str>, &[&str]); 4] = [
            (None, &["DB_PASSWORD"]),
            (Some("DB_PASSWORD=\n"), &["DB_PASSWORD"]),
            (Some(strong), &[]),
            (Some("OTHER=1\n"), &["DB_PASSWORD"]),
        ];
        for (live, want) in cases {
            let mut f = Fixture::new().compose(COMPOSE);
            if let Some(l) = live {
                f = f.live(l);
            }
            let inv = f.run();
            assert_eq!(vars_of(&inv, RuleId::Missing), want, "{live:?}");
        }
    }

    #[test]
    fn the_message_names_who_needs_it() {
        // Nextcloud's db.env: read whole by two services, no compose entry names the key.
        let compose = "services:\n  db:\n    image: postgres\n    env_file: .env\n  app:\n    image: nextcloud\n    env_file: .env\n";
        let message = |inv: &crate::analysis::Inventory| -> String {
            first_of(inv, RuleId::Missing).message.clone()
        };
        let inv = Fixture::new()
            .compose(compose)
            .live("POSTGRES_PASSWORD=\nPOSTGRES_DB=nextcloud\n")
            .run();
        let m = message(&inv);
        assert!(
            m.ends_with("is empty in .env but needed by services db, app (env_file)"),
            "{m}"
        );
        // A key of the app's alone: the database image does not read it (Mbin).
        let inv = Fixture::new()
            .compose(compose)
            .live("POSTGRES_PASSWORD=x8Jq2Lw9Vr4Tz7Kp3Ym6Nb1Hd5Fg0Sc\nOAUTH_ENCRYPTION_KEY=\n")
            .example("# Generate with: openssl rand -hex 16\nOAUTH_ENCRYPTION_KEY=\n")
            .run();
        let m = message(&inv);
        assert!(
            m.ends_with("is empty in .env but needed by service app (env_file)"),
            "{m}"
        );
        // Named in compose: the services that name it.
        let inv = Fixture::new().compose(COMPOSE).live("OTHER=1\n").run();
        let f = &inv
            .findings
            .iter()
            .find(|f| f.rule == RuleId::Missing)
            .unwrap();
        assert!(
            f.message.contains("required by service db"),
            "{}",
            f.message
        );
    }
}
