//! Conditions a template's comments put on its integrations: a choice it documents for a
//! setting (`Set CREDENTIAL_VAULT_TYPE=bitwarden to use Bitwarden`, a commented-out
//! `# STORAGE=s3`), and a setting whose presence turns an integration on ("Langfuse is
//! enabled when `LANGFUSE_BASE_URL` is set"). Read once per comment line; judged elsewhere.

/// Whether a byte may be part of a variable name written in a comment.
fn name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The shouted name (`CREDENTIAL_VAULT_TYPE`) that ends at byte `end` of `line`, if any.
fn name_ending_at(line: &str, end: usize) -> Option<&str> {
    let b = line.as_bytes();
    let start = b[..end]
        .iter()
        .rposition(|&c| !name_byte(c))
        .map_or(0, |i| i + 1);
    let name = &line[start..end];
    let shouted = name.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
        && !name.bytes().any(|c| c.is_ascii_lowercase())
        && name.len() >= 2;
    shouted.then_some(name)
}

/// Every `NAME=value` written in a comment line, the value lower-cased and stripped of
/// quotes: the template documents `value` as a choice for `NAME`.
pub(super) fn assignments_in(line: &str, out: &mut Vec<(String, String)>) {
    let b = line.as_bytes();
    let mut from = 0;
    while let Some(i) = line[from..].find('=').map(|i| i + from) {
        from = i + 1;
        // `==` and `!=` compare; they document no choice.
        if b.get(i + 1) == Some(&b'=') || (i > 0 && matches!(b[i - 1], b'=' | b'!')) {
            continue;
        }
        let Some(name) = name_ending_at(line, i) else {
            continue;
        };
        let rest = line[i + 1..].trim_start_matches(['"', '\'', '`']);
        let len = rest
            .bytes()
            .take_while(|&c| name_byte(c) || matches!(c, b'-' | b'.'))
            .count();
        let value = rest[..len].trim_end_matches('.');
        if !value.is_empty() {
            out.push((name.to_string(), value.to_ascii_lowercase()));
        }
    }
}

/// The name a comment line says turns something on by being set ("Langfuse is enabled when
/// `LANGFUSE_BASE_URL` is set", "only used if `SENTRY_DSN` is provided").
pub(super) fn enabled_when_set(line: &str) -> Option<String> {
    // Asked of every comment line: most have no " is " and are spared the lower-casing.
    if !line.contains(" is ") {
        return None;
    }
    let lower = line.to_ascii_lowercase();
    if ![
        "enabled",
        "activated",
        "active",
        "turned on",
        "only used",
        "used only",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return None;
    }
    [" is set", " is provided", " is configured", " is not empty"]
        .iter()
        .find_map(|tail| {
            let at = lower.find(tail)?;
            let name = name_ending_at(line, at)?;
            let before = lower[..at - name.len()].trim_end();
            ["when", "if", "once"]
                .iter()
                .any(|w| before.ends_with(w))
                .then(|| name.to_string())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assignments(line: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        assignments_in(line, &mut out);
        out
    }

    #[test]
    fn choices_written_in_prose_and_commented_out_lines() {
        assert_eq!(
            assignments(" Set CREDENTIAL_VAULT_TYPE=bitwarden to use Bitwarden"),
            [("CREDENTIAL_VAULT_TYPE".into(), "bitwarden".into())]
        );
        assert_eq!(
            assignments("# STORAGE_TYPE=\"s3\""),
            [("STORAGE_TYPE".into(), "s3".into())]
        );
        // Comparisons and lower-case words are not assignments.
        assert!(assignments(" if a == b or x=1").is_empty());
        assert!(assignments(" KEY=").is_empty());
    }

    #[test]
    fn a_setting_that_turns_an_integration_on() {
        assert_eq!(
            enabled_when_set(" Langfuse is enabled when LANGFUSE_BASE_URL is set").as_deref(),
            Some("LANGFUSE_BASE_URL")
        );
        // Saying what a set value does is not saying it switches anything on.
        assert_eq!(
            enabled_when_set(" Used as the sender when SMTP_FROM is set"),
            None
        );
        assert_eq!(enabled_when_set(" The port, when PORT is set"), None);
    }
}
