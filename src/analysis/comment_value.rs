//! `KEY= # comment`: Compose reads the comment as the value (COMPOSE-SEMANTICS.md §2.8), so
//! the container gets `# e.g. https://kan.bn` where the template meant an empty value. A
//! dotenv library reads the same line as empty, so this matters only where Compose itself
//! reads the value.

use super::Class;
use super::facts::Var;

/// Whether the value in force is a comment Compose hands a container: the live statement is
/// `KEY= # …` and Compose reads it (a compose reference, or the file loaded by `env_file:`).
pub(super) fn reaches_a_container(var: &Var<'_>) -> bool {
    var.compose_reads && var.live.as_ref().is_some_and(|e| e.comment_as_value)
}

/// Whether such a comment is worth a finding on this variable: always on the project's own
/// secret; on configuration only where a setting is judged at all (`address`: an address or
/// a provider id the app uses) or must be set, since an optional feature's setting holding
/// a comment (kan's `SMTP_SECURE= # set to "false" …`) does no harm while the feature is off.
pub(super) fn worth_a_finding(var: &Var<'_>, address: bool) -> bool {
    match var.class {
        Class::Secret => true,
        Class::Config => address || var.required,
        // A provider's key is judged by its format, which says the same (see `why`).
        Class::External => false,
    }
}

/// The reason, naming the quirk and the two ways to write what was meant. It never quotes
/// the value, which may be a secret's.
pub(super) fn why(name: &str) -> String {
    format!(
        "is the comment written after its `=`: Compose reads text opening with `#` after `=` as the value, not as a comment; write `{name}=` with the comment on its own line, or `{name}=\"\"  # …`"
    )
}
