//! The checklist items made directly from [`Facts`]: modes, git standing, the history scan's
//! and literal scan's verdicts, the recovery drill, example drift, build contexts and least
//! privilege.

use std::fmt::Write as _;

use super::history::{Hit, Origin};
use super::{Drill, DrillOutcome, Evidence, Facts, FileFact, Item, ItemId, Status, date};
use crate::analysis::Variable;
use crate::export::loads_live_file;

/// Pass without evidence, or fail with it.
fn verdict(id: ItemId, evidence: Vec<Evidence>, pass: String, fail: String) -> Item {
    let failed = !evidence.is_empty();
    let mut item = Item::new(
        id,
        if failed { Status::Fail } else { Status::Pass },
        if failed { fail } else { pass },
    );
    item.evidence = evidence;
    item
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What is wrong with a file's mode or owner, if anything.
fn mode_problem(f: &FileFact, uid: u32) -> Option<String> {
    let mut problems = Vec::new();
    if f.mode & 0o077 != 0 {
        problems.push(format!(
            "mode {:04o}: readable or writable by group or others (chmod 600)",
            f.mode & 0o7777
        ));
    }
    if f.owner != uid {
        problems.push(format!("owned by uid {}, not you (uid {uid})", f.owner));
    }
    (!problems.is_empty()).then(|| format!("{}: {}", f.path.display(), problems.join("; ")))
}

pub(super) fn permissions(facts: &Facts<'_>) -> Item {
    let Some(live) = &facts.live else {
        return Item::new(
            ItemId::Permissions,
            Status::Unknown,
            format!("{} does not exist", facts.inventory.env_file.display()),
        );
    };
    let mut files = vec![live];
    files.extend(&facts.backups);
    let mut checked = vec![
        live.path.display().to_string(),
        plural(facts.backups.len(), "backup", "backups"),
    ];
    match &facts.identity {
        Ok(identity) => {
            files.push(identity);
            checked.push("the identity".to_string());
        }
        Err(reason) => checked.push(format!("not the identity ({reason})")),
    }
    let evidence: Vec<Evidence> = files
        .iter()
        .filter_map(|f| {
            mode_problem(f, facts.uid).map(|text| Evidence {
                text,
                file: Some(f.path.clone()),
                ..Evidence::default()
            })
        })
        .collect();
    let what = checked.join(", ");
    let fail = format!(
        "{} of {what} open to others or not yours",
        plural(evidence.len(), "file", "files")
    );
    verdict(
        ItemId::Permissions,
        evidence,
        format!("0600 and yours: {what}"),
        fail,
    )
}

pub(super) fn git_ignored(facts: &Facts<'_>) -> Item {
    let live = facts.inventory.env_file.display();
    match &facts.git {
        Err(reason) => Item::new(ItemId::GitIgnored, Status::Unknown, reason.clone()),
        Ok(g) if g.ignored && !g.tracked => Item::new(
            ItemId::GitIgnored,
            Status::Pass,
            format!("{live} is ignored and not tracked"),
        ),
        Ok(g) => {
            let mut problems = Vec::new();
            if g.tracked {
                problems.push(format!(
                    "{live} is tracked: git rm --cached {live}, then rotate its secrets"
                ));
            }
            if !g.ignored {
                problems.push(format!("{live} is not ignored: add it to .gitignore"));
            }
            Item::new(ItemId::GitIgnored, Status::Fail, problems.join("; "))
        }
    }
}

fn origin_text(origin: Origin) -> String {
    match origin {
        Origin::Live => "its current value".to_string(),
        Origin::Backup(t) => format!("its value in the backup of {}", date(t)),
    }
}

fn hit_evidence(hit: &Hit) -> Evidence {
    let day = date(hit.time);
    let mut text = format!(
        "{} {day} {}: {} ({}",
        hit.commit,
        hit.path,
        hit.variable,
        origin_text(hit.origin)
    );
    if hit.encoding != super::history::Encoding::Raw {
        let _ = write!(text, ", {}", hit.encoding.as_str());
    }
    text.push(')');
    Evidence {
        text,
        file: Some(hit.path.clone().into()),
        commit: Some(hit.commit.clone()),
        date: Some(day),
        variable: Some(hit.variable.clone()),
        ..Evidence::default()
    }
}

pub(super) fn git_history(facts: &Facts<'_>) -> Item {
    let scan = match &facts.history {
        Err(reason) => return Item::new(ItemId::GitHistory, Status::Unknown, reason.clone()),
        Ok(scan) => scan,
    };
    let bound = facts
        .since
        .map(|s| format!(" since {}", date(s)))
        .unwrap_or_default();
    let mut summary = format!(
        "{}{bound} searched for {} (as they are, base64 and URL-encoded)",
        plural(scan.commits, "commit", "commits"),
        plural(scan.searched, "secret value", "secret values"),
    );
    if !scan.skipped.is_empty() {
        let names: Vec<String> = scan
            .skipped
            .iter()
            .map(|(v, why)| format!("{v} ({why})"))
            .collect();
        let _ = write!(
            summary,
            "; not searched, too short or common to identify: {}",
            names.join(", ")
        );
    }
    if scan.hits.is_empty() {
        return Item::new(ItemId::GitHistory, Status::Pass, summary);
    }
    let commits: std::collections::BTreeSet<&str> =
        scan.hits.iter().map(|h| h.commit.as_str()).collect();
    let mut item = Item::new(
        ItemId::GitHistory,
        Status::Fail,
        format!(
            "{summary}: found in {}; rotate those secrets (rewriting history does not unpublish them)",
            plural(commits.len(), "commit", "commits")
        ),
    );
    item.evidence = scan.hits.iter().map(hit_evidence).collect();
    item
}

pub(super) fn git_literals(facts: &Facts<'_>) -> Item {
    let scan = match &facts.literals {
        Err(reason) => return Item::new(ItemId::GitLiterals, Status::Unknown, reason.clone()),
        Ok(scan) => scan,
    };
    let read = plural(scan.files, "tracked config file", "tracked config files");
    if scan.found.is_empty() {
        return Item::new(
            ItemId::GitLiterals,
            Status::Pass,
            format!("no literal secret in {read} (YAML, JSON, TOML, properties)"),
        );
    }
    let mut item = Item::new(
        ItemId::GitLiterals,
        Status::Fail,
        format!(
            "{} in {read}: use ${{VARIABLE}} from the environment instead",
            plural(scan.found.len(), "literal secret", "literal secrets")
        ),
    );
    item.evidence = scan
        .found
        .iter()
        .map(|l| Evidence {
            text: format!(
                "{}:{}: {} has a literal value",
                l.file.display(),
                l.position,
                l.key
            ),
            file: Some(l.file.clone()),
            position: Some(l.position),
            variable: Some(l.key.clone()),
            ..Evidence::default()
        })
        .collect();
    item
}

pub(super) fn recovery(facts: &Facts<'_>) -> Item {
    let live = facts.inventory.env_file.display();
    let drill = match &facts.drill {
        Err(reason) => return Item::new(ItemId::Recovery, Status::Unknown, reason.clone()),
        Ok(d) => d,
    };
    let (path, time, outcome) = match drill {
        Drill::NoBackups => {
            return Item::new(
                ItemId::Recovery,
                Status::Fail,
                format!("no backup of {live}: run envward backup"),
            );
        }
        Drill::Newest {
            path,
            time,
            outcome,
        } => (path, *time, outcome),
    };
    let days = facts.as_of.duration_since(time).as_secs().max(0) / 86_400;
    let newest = format!(
        "newest backup {} ({}, {})",
        path.display(),
        date(time),
        plural(usize::try_from(days).unwrap_or(0), "day old", "days old")
    );
    let (status, what) = match outcome {
        DrillOutcome::CannotDecrypt(why) => (Status::Fail, format!("does not decrypt: {why}")),
        DrillOutcome::NotRestorable(why) => (Status::Fail, format!("does not restore: {why}")),
        DrillOutcome::Differs => (
            Status::Fail,
            format!("differs from {live}: its latest change is not backed up (envward backup)"),
        ),
        DrillOutcome::Restores => (
            Status::Pass,
            format!("decrypts, equals {live}, and a restore dry run succeeds"),
        ),
    };
    Item::new(ItemId::Recovery, status, format!("{newest} {what}"))
}

fn var_evidence(var: &Variable, text: String) -> Evidence {
    Evidence {
        text,
        variable: Some(var.name.clone()),
        ..Evidence::default()
    }
}

pub(super) fn example_drift(facts: &Facts<'_>) -> Item {
    let inv = facts.inventory;
    let example = inv.example_file.display();
    if !inv.variables.iter().any(|v| v.in_example) {
        let required = inv.variables.iter().filter(|v| v.required).count();
        return if required == 0 {
            Item::new(
                ItemId::ExampleDrift,
                Status::Pass,
                "compose requires no variable; no example needed",
            )
        } else {
            Item::new(
                ItemId::ExampleDrift,
                Status::Fail,
                format!(
                    "no {example} lists the {} compose requires",
                    plural(required, "variable", "variables")
                ),
            )
        };
    }
    // A service that loads the live file hands every variable to its app, so an example
    // entry no compose file names may still be read.
    let whole_file = facts
        .project
        .services
        .iter()
        .any(|s| loads_live_file(s, &facts.project.env_file));
    let mut evidence = Vec::new();
    for var in &inv.variables {
        if var.required && !var.in_example {
            evidence.push(var_evidence(
                var,
                format!(
                    "{}: compose requires it; {example} does not list it",
                    var.name
                ),
            ));
        } else if var.in_example && var.used_by.is_empty() && !whole_file {
            evidence.push(var_evidence(
                var,
                format!("{}: listed in {example}; no compose file uses it", var.name),
            ));
        }
    }
    let listed = inv.variables.iter().filter(|v| v.in_example).count();
    let fail = format!(
        "{example} is out of date: {}",
        plural(evidence.len(), "variable", "variables")
    );
    verdict(
        ItemId::ExampleDrift,
        evidence,
        format!(
            "{example} lists {} and every variable compose requires",
            plural(listed, "variable", "variables")
        ),
        fail,
    )
}

pub(super) fn build_context(facts: &Facts<'_>) -> Item {
    let live = facts.inventory.env_file.display();
    let leaks: Vec<Evidence> = facts
        .builds
        .iter()
        .filter(|b| b.leaks_live_file())
        .map(|b| {
            let who = b
                .service
                .as_ref()
                .map(|s| format!("service {s}: "))
                .unwrap_or_default();
            let why = match &b.ignore_file {
                None => format!("no .dockerignore in {}", b.context.display()),
                Some((f, _)) => format!("{} does not exclude it", f.display()),
            };
            Evidence {
                text: format!(
                    "{who}{} builds from {}, which holds {live}; {why}",
                    b.dockerfile.display(),
                    b.context.display()
                ),
                file: Some(b.dockerfile.clone()),
                service: b.service.clone(),
                ..Evidence::default()
            }
        })
        .collect();
    let contexts = plural(facts.builds.len(), "build context", "build contexts");
    let pass = if facts.builds.is_empty() {
        "no Dockerfile in the project and no compose build:".to_string()
    } else {
        format!("{contexts}; none sends {live} to the builder")
    };
    let fail = format!(
        "{} of {contexts} send {live} to the builder: add {live} to .dockerignore",
        leaks.len()
    );
    verdict(ItemId::BuildContext, leaks, pass, fail)
}

pub(super) fn least_privilege(facts: &Facts<'_>) -> Item {
    let inv = facts.inventory;
    let live = inv.env_file.display();
    let secrets: Vec<&Variable> = inv
        .variables
        .iter()
        .filter(|v| v.in_env && v.class.is_sensitive())
        .collect();
    let mut evidence = Vec::new();
    let mut loaders = 0;
    for svc in &facts.project.services {
        if !loads_live_file(svc, &facts.project.env_file) {
            continue;
        }
        loaders += 1;
        let extra: Vec<&str> = secrets
            .iter()
            .filter(|v| !v.used_by.iter().any(|u| u.service == svc.name))
            .map(|v| v.name.as_str())
            .collect();
        if !extra.is_empty() {
            evidence.push(Evidence {
                text: format!(
                    "service {} gets {} through env_file {live} that it never references: {}",
                    svc.name,
                    plural(extra.len(), "secret", "secrets"),
                    extra.join(", ")
                ),
                service: Some(svc.name.clone()),
                ..Evidence::default()
            });
        }
    }
    let pass = if loaders == 0 {
        format!("no service loads {live} through env_file")
    } else {
        format!(
            "{} {live} through env_file, and each uses every secret it gets",
            plural(loaders, "service loads", "services load")
        )
    };
    let fail = format!(
        "{} more secrets than they use: pass each one in environment: instead of env_file",
        plural(evidence.len(), "service gets", "services get")
    );
    verdict(ItemId::LeastPrivilege, evidence, pass, fail)
}
