//! `permissions`: the live file is readable or writable by group or others.

use super::{Rule, RuleId, about_live_file};
use crate::analysis::Finding;
use crate::analysis::facts::Context;

/// See the module docs.
pub struct Permissions;

impl Rule for Permissions {
    fn id(&self) -> RuleId {
        RuleId::Permissions
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(mode) = cx.input.live_facts.mode else {
            return;
        };
        // Group and other bits, as `ls -l` shows them.
        #[allow(clippy::verbose_bit_mask)]
        if mode & 0o077 == 0 {
            return;
        }
        let file = cx.input.live_path;
        out.push(about_live_file(
            self.id(),
            cx,
            format!(
                "{} has mode {:04o}, so group or others can read it; run `chmod 600 {}` (envward saves with 0600)",
                file.display(),
                mode & 0o7777,
                file.display()
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::testkit::{Fixture, count_of};
    use crate::analysis::{FileFacts, RuleId};

    #[test]
    fn truth_table() {
        for (mode, want) in [
            (Some(0o600), 0),
            (Some(0o644), 1),
            (Some(0o620), 1),
            (Some(0o400), 0),
            (None, 0),
        ] {
            let inv = Fixture::new()
                .live("A=1\n")
                .facts(FileFacts {
                    mode,
                    git: None,
                    leftovers: Vec::new(),
                    ..FileFacts::default()
                })
                .run();
            assert_eq!(count_of(&inv, RuleId::Permissions), want, "{mode:?}");
        }
    }
}
