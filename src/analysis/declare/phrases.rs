//! Sentences in comments that declare something: "leave blank to disable" (optional),
//! "must be the same as `MYSQL_PASSWORD`" (a group). Each list is a compile-time
//! [`Phrases`] table, found in one pass over a comment.

use crate::analysis::phrase::Phrases;

/// Phrases that say the app makes the value when the template's is empty (MISP's `ADMIN_KEY`:
/// "defaults to an automatically generated one", in a form of its own that a random value
/// breaks), so the variable may stay empty.
const MADE_BY_THE_APP: [&str; 12] = [
    "defaults to an automatically generated",
    "defaults to an auto-generated",
    "defaults to a generated",
    "defaults to a random",
    "generated automatically if",
    "automatically generated if",
    "auto-generated if",
    "generated if empty",
    "generated if not set",
    "generated if unset",
    "will be auto-generated",
    "will be automatically generated",
];

/// Phrases that say a variable may stay empty.
const PHRASES: [&str; 28] = [
    "optional",
    "optionally",
    // What empty means, said outright (docker-mailserver's `# empty => generated when the
    // image is built`): empty is a setting.
    "empty =>",
    "empty means",
    "if empty",
    "when empty",
    "if left empty",
    "if left blank",
    "if blank",
    "leave blank",
    "leave empty",
    "leave it blank",
    "leave it empty",
    "left blank",
    "left empty",
    "empty to disable",
    "blank to disable",
    "empty to use",
    "blank to use",
    "not required",
    "if you want",
    "if you need",
    "only needed",
    "only required",
    "if set",
    "if these are set",
    "if this is set",
    "when set",
];

/// Whether a comment opens by declaring its variable required (`# Required - A passphrase to
/// encrypt JWT`, `# REQUIRED: …`), without a condition (`# Required if you use S3`). Templates
/// that mark every entry `Optional -` or `Required -` say so for values the app reads itself.
pub(super) fn says_required(line: &str) -> bool {
    required_label(line).is_some_and(|next| {
        !NOT_REQUIRED.contains(&next.as_str())
            && !matches!(
                next.as_str(),
                "if" | "when" | "for" | "only" | "unless" | "with" | "by" | "in" | "on"
            )
    })
}

/// The answers of a `Required:` label that mean "no" (notesnook's `# Required: no` under
/// each optional setting).
const NOT_REQUIRED: [&str; 3] = ["no", "false", "optional"];

/// Whether a comment line is a `Required: no` label: the template says the variable may stay
/// empty, in the form it uses for the ones it needs.
pub(super) fn says_not_required(line: &str) -> bool {
    required_label(line).is_some_and(|next| NOT_REQUIRED.contains(&next.as_str()))
}

/// The word after a comment line's opening "Required" (lower-cased, without the label's
/// punctuation; empty when nothing follows), or `None` when the line does not open with it.
fn required_label(line: &str) -> Option<String> {
    // `### REQUIRED: …` keeps the hashes beyond the comment's first.
    let t = line.trim().trim_start_matches('#').trim_start();
    // Most comment lines do not open with the word: decided without lower-casing them.
    if !t
        .get(..8)
        .is_some_and(|w| w.eq_ignore_ascii_case("required"))
    {
        return None;
    }
    let t = t.to_lowercase();
    let rest = t.strip_prefix("required")?;
    if rest.starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    let next = rest
        .trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '-' | ':' | '.' | ')' | '!' | '—' | '–' | '=')
        })
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches(|c: char| !c.is_alphanumeric());
    Some(next.to_string())
}

/// Whether a comment (lower-cased) says the variable may stay empty, in whole words (Onyx's
/// "if setting manually, run: openssl rand -hex 32" is no "if set").
pub(super) fn says_optional(lower: &str) -> bool {
    const TABLE: Phrases = Phrases::new(&PHRASES);
    const MADE: Phrases = Phrases::new(&MADE_BY_THE_APP);
    TABLE.any_word_in(lower) || MADE.any_word_in(lower)
}

/// A sentence saying something fails without the value: "If not set, opencloud will not
/// work properly", "Without it the container won't start". Its subject, lower-cased: the
/// word right before the failure and the one before that ("the app", "notifications
/// service"); the analysis, which knows the services, decides whether it names the app.
/// `sentence` is lower-cased.
fn fails_without(sentence: &str) -> Option<(String, String)> {
    const ABSENT: Phrases = Phrases::new(&[
        "if not set",
        "if unset",
        "if not provided",
        "if not specified",
        "if not defined",
        "if not configured",
        "if missing",
        "if empty",
        "if left empty",
        "if left blank",
        "if it is not set",
        "if this is not set",
        "if you don't set",
        "if you do not set",
        "when not set",
        "when unset",
        "without it",
        "without this",
        "without a value",
    ]);
    const FAILS: Phrases = Phrases::new(&[
        "will not work",
        "won't work",
        "won’t work",
        "will not start",
        "won't start",
        "won’t start",
        "will not run",
        "won't run",
        "will not function",
        "will not boot",
        "will fail to start",
        "fails to start",
        "refuses to start",
        "will refuse to start",
        "cannot start",
        "can't start",
        "does not start",
        "doesn't start",
        "will crash",
        "will keep restarting",
        "will be restarting",
    ]);
    if !ABSENT.any_word_in(sentence) {
        return None;
    }
    let at = FAILS
        .first_starts::<21>(sentence)
        .into_iter()
        .flatten()
        .min()?;
    let mut words = sentence[..at]
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | '(' | ')'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty());
    let last = words.next_back()?.to_string();
    let before = words.next_back().unwrap_or_default().to_string();
    Some((before, last))
}

/// The subject of a sentence in the comment saying something fails without the value, where
/// the comment's only other word on the matter is an "only needed" or "only required"
/// condition ("NOTE: This is only needed when using the built-in LDAP server (idm). … If not
/// set, opencloud will not work properly."). `None` where no such sentence is, or where
/// anything else in the comment calls the value optional. `lower` is the comment lower-cased.
pub(super) fn fails_without_despite_condition(lower: &str) -> Option<(String, String)> {
    const CONDITION: Phrases = Phrases::new(&["only needed", "only required"]);
    let mut subject = None;
    let mut rest = String::with_capacity(lower.len());
    for sentence in lower.split(['.', '!', '?', ';', '\n']) {
        if subject.is_none()
            && let Some(s) = fails_without(sentence)
        {
            subject = Some(s);
            continue;
        }
        rest.push_str(sentence);
        rest.push_str(". ");
    }
    let subject = subject?;
    if !CONDITION.any_word_in(&rest) {
        return None;
    }
    let rest = rest
        .replace("only needed", "needed")
        .replace("only required", "required");
    (!says_optional(&rest)).then_some(subject)
}

/// The phrases that say "optional" even about a whole block of entries (not the conditional
/// "if you want …", which a block intro uses for one of its entries; a plural "if these are
/// set" speaks of the whole block). `lower` is the comment lower-cased.
pub(super) fn says_optional_strongly(lower: &str) -> bool {
    const TABLE: Phrases = Phrases::new(&[
        "optional",
        "leave blank",
        "leave empty",
        "leave it blank",
        "leave it empty",
        "not required",
        "if these are set",
    ]);
    TABLE.any_in(lower)
}

/// Whether a comment (lower-cased) says where to get the value from an outside party:
/// "Get your ID and key from <https://bitwarden.com/host/>", "can be found in the Plaid
/// Dashboard". A site that makes random values ("generate one at https://…") is a recipe,
/// not an issuer.
pub(super) fn says_issued_elsewhere(lower: &str) -> bool {
    const ASKS: Phrases = Phrases::new(&[
        "get your",
        "obtain",
        "request your",
        "can be found",
        "found in your",
        "issued by",
        "sign up",
        "register at",
        "register your",
        "get from",
        "get it from",
        "from your dashboard",
        "in your dashboard",
    ]);
    const MAKES: Phrases = Phrases::new(&["generate", "random"]);
    let points = lower.contains("http://")
        || lower.contains("https://")
        || lower.contains("dashboard")
        || lower.contains("console")
        || lower.contains("portal");
    points && ASKS.any_in(lower) && !MAKES.any_in(lower)
}

/// Whether a section's introduction says its settings only matter for a setup other than
/// the default one (`only required for configuring PostgreSQL`, `not relevant if using the
/// default SQLite`, `Only if you use external Redis`).
pub(super) fn says_section_is_conditional(text: &str) -> bool {
    const TABLE: Phrases = Phrases::new(&[
        "only required for",
        "only required if",
        "only needed for",
        "only needed if",
        "only if you use",
        "only if using",
        "only when using",
        "not relevant if",
        "not needed if",
        "don't need to configure",
        "do not need to configure",
    ]);
    let t = text.to_lowercase();
    says_optional_strongly(&t) || TABLE.any_in(&t)
}

/// Variable names that a comment says must hold the same value as this one (`lower` is the
/// comment lower-cased).
pub(super) fn same_as_mentions(text: &str, lower: &str, me: &str) -> Vec<String> {
    const SAYING: [&str; 6] = [
        "same as",
        "same value",
        "match",
        "equal",
        "identical",
        "must be the same",
    ];
    const TABLE: Phrases = Phrases::new(&SAYING);
    if !TABLE.any_in(lower) {
        return Vec::new();
    }
    // Only the names in the sentence that says so: Agenta's "same pattern as AUTH_KEY/CRYPT_KEY
    // above. The store service and the api all read these same values …" ties nothing.
    let ascii = text.to_ascii_lowercase();
    // A sentence ends at `!`, `?`, `;` or a full stop before a space (not the dot of
    // `docker-compose.yml`).
    let bytes = text.as_bytes();
    let ends_at = |i: usize| {
        matches!(bytes[i], b'!' | b'?' | b';')
            || (bytes[i] == b'.' && bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace))
    };
    let mut out: Vec<String> = Vec::new();
    for phrase in SAYING {
        for (at, _) in ascii.match_indices(phrase) {
            let start = (0..at).rev().find(|&i| ends_at(i)).map_or(0, |i| i + 1);
            let end = (at..bytes.len())
                .find(|&i| ends_at(i))
                .unwrap_or(bytes.len());
            out.extend(
                text[start..end]
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .filter(|w| {
                        w.len() >= 3
                            && w.contains('_')
                            && w.chars()
                                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                            && *w != me
                    })
                    .map(str::to_string),
            );
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whether a comment (lower-cased) says something other than the user makes the value
/// ("auto-generated by Docker during bootstrap", "will be generated"): a random value the
/// comment describes is then not one the template asks the user for.
pub fn says_made_elsewhere(lower: &str) -> bool {
    const TABLE: Phrases = Phrases::new(&[
        "auto-generat",
        "autogenerat",
        "auto generat",
        "generated automatically",
        "will be generated",
        "is generated",
        "generated by",
    ]);
    TABLE.any_in(lower)
}

/// Whether a comment (lower-cased) makes its value with a key-pair or certificate tool
/// (`openssl req -x509 … -out public.crt`, `openssl genrsa`, `openssl rsa -pubout`,
/// `ssh-keygen`): that value is one half of a pair, or a certificate made from a key, and a
/// random string in its place is neither. The comment is then no recipe for a random value,
/// whatever else it says ("… to generate one").
pub(super) fn makes_key_pair(lower: &str) -> bool {
    const TABLE: Phrases = Phrases::new(&[
        "openssl req",
        "openssl genrsa",
        "openssl genpkey",
        "openssl gendsa",
        "openssl dsaparam",
        "openssl ecparam",
        "openssl ec ",
        "openssl rsa",
        "openssl pkey",
        "openssl x509",
        "-pubout",
        "ssh-keygen",
        "age-keygen",
        "keytool -genkey",
        "mkcert",
        "cfssl",
        "step certificate create",
        "gpg --gen-key",
        "gpg --full-gen",
        "gpg --quick-gen",
        "generate-vapid-keys",
    ]);
    // The same said in prose (OneUptime's "Generate a private key via openssl, encode it to
    // base64"): an asymmetric private key, which no random string is. "Private key" alone is
    // not enough (a provider's "public and private key"), nor where a random recipe is given.
    const PROSE: Phrases = Phrases::new(&[
        "generate a private key",
        "generate the private key",
        "generate a new private key",
        "private key via openssl",
        "private key with openssl",
        "private key using openssl",
        "rsa private key",
        "pem private key",
        "pem-encoded private key",
        "pem encoded private key",
        "ec private key",
        "ecdsa private key",
        "ed25519 private key",
    ]);
    TABLE.any_in(lower) || (PROSE.any_word_in(lower) && !lower.contains("openssl rand"))
}

/// Whether a comment (lower-cased) says the values of the entries it covers may or must
/// differ from each other (`OneUptime`'s "All of these can be different values" over seven
/// secrets that share one stand-in): a shared sample there ties nothing.
pub(super) fn says_values_differ(lower: &str) -> bool {
    const TABLE: Phrases = Phrases::new(&[
        "can be different values",
        "can be different",
        "should be different",
        "must be different",
        "should all be different",
        "must all be different",
        "different from each other",
        "a different value for each",
        "not share the same value",
        "should not be the same",
        "must not be the same",
    ]);
    TABLE.any_in(lower)
}
