//! What a template says about its variables beyond their values.
//!
//! Templates carry knowledge in their comments: envward's own `# envward: secret hex:32`
//! annotation, the decorators env-schema tools use (varlock's `# @sensitive`, `@required`,
//! `@optional`, `@type=…`), sentences ("leave blank to disable", "must be the same as
//! `MYSQL_PASSWORD`"), generation recipes (`openssl rand -hex 32`, `php artisan
//! key:generate`), section headings, and commented-out lines that document a variable
//! without setting it (`# UID=1000`). This module reads them from a parsed document into
//! plain data; it judges nothing.

use foldhash::{HashMap, HashSet};

use super::Class;
use crate::dotenv::{Document, Item};
use crate::generate::Kind;

mod conditions;
mod decorators;
mod phrases;
mod recipe;

use decorators::{decorators, file_defaults};
pub use phrases::says_made_elsewhere;
use phrases::{
    fails_without_despite_condition, makes_key_pair, same_as_mentions, says_issued_elsewhere,
    says_not_required, says_optional, says_optional_strongly, says_required,
    says_section_is_conditional, says_values_differ,
};
pub use recipe::recipe;
use recipe::recipe_lower;

/// What the template declares about one variable.
// Each flag is a separate thing a comment can say; an enum would pretend they exclude each other.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Declared {
    /// The comment lines right above the entry (and its inline comment), without `#`.
    pub description: Option<String>,
    /// The section heading the entry sits under.
    pub section: Option<String>,
    /// Class from `# envward:` or `@sensitive`/`@type`.
    pub class: Option<Class>,
    /// Kind from `# envward:`.
    pub kind: Option<Kind>,
    /// `@required` / `@optional`, or a comment saying it may stay empty.
    pub required: Option<bool>,
    /// Variables a comment says must hold the same value.
    pub same_as: Vec<String>,
    /// The kind a generation recipe in its own comment asks for.
    pub recipe: Option<Kind>,
    /// The kind a recipe in the comment above its run of entries asks for ("generate each
    /// with `rake secret`"): weaker than its own comment and than a name the templates know.
    pub block_recipe: Option<Kind>,
    /// What declared the class (for "classified by").
    pub by: Option<&'static str>,
    /// Its comment, or the comment above its run of entries, says where to get it from an
    /// outside party ("Get your ID and key from <https://bitwarden.com/host/>").
    pub issued_elsewhere: bool,
    /// Its own comment makes it with a key-pair or certificate tool (`openssl genrsa`,
    /// `openssl req -x509`, `ssh-keygen`): one half of a pair envward cannot make, so no
    /// recipe for a random value.
    pub key_pair: bool,
    /// The introduction of its section says the section is only needed for another setup
    /// (`These are only required for configuring PostgreSQL`): an empty value there is
    /// the default setup, not a gap.
    pub section_conditional: bool,
    /// It opens a run of entries that all share its first name word (`EMAIL_ALERT` over
    /// `EMAIL_HOST`, `EMAIL_PASSWORD` …): a switch there governs the run.
    pub heads_run: bool,
    /// Its comment makes it optional only by a condition ("only needed when using the
    /// built-in LDAP server") and says, in a sentence of its own, that something fails
    /// without it ("If not set, opencloud will not work properly"): that sentence's subject,
    /// the word before its last and its last, lower-cased. Where the subject names the app
    /// (a service compose runs, "the app", "the container"), the failure outranks the
    /// condition: the analysis sets `required` back to undeclared.
    pub fails_without: Option<(String, String)>,
    /// Its comment, or the comment above its run of entries, says the values may or must
    /// differ ("All of these can be different values"): a sample it shares with another
    /// entry is a stand-in typed twice, not one secret.
    pub values_differ: bool,
}

/// Everything a template declares.
#[derive(Debug, Clone, Default)]
pub struct Declarations {
    /// Per variable, in no particular order.
    pub vars: HashMap<String, Declared>,
    /// Keys that appear only on commented-out lines (`# UID=1000`): documented, not set.
    pub commented: HashSet<String>,
    /// `NAME=value` written in comments (`Set CREDENTIAL_VAULT_TYPE=bitwarden to use …`,
    /// `# STORAGE=s3`): choices the template documents for a setting, value lower-cased.
    pub choices: Vec<(String, String)>,
    /// Names a comment says switch something on by being set ("Langfuse is enabled when
    /// `LANGFUSE_BASE_URL` is set").
    pub enabled_when_set: Vec<String>,
}

impl Declarations {
    /// What is declared about `name`.
    pub fn get(&self, name: &str) -> Option<&Declared> {
        self.vars.get(name)
    }

    /// Whether `name` is documented: an entry or a commented-out line.
    pub fn documents(&self, name: &str) -> bool {
        self.vars.contains_key(name) || self.commented.contains(name)
    }
}

/// One statement with the comment text attached to it.
struct Attached<'a> {
    key: &'a str,
    /// Comment lines right above (no blank line between).
    above: Vec<String>,
    /// The comment block above the run of entries this one belongs to: an index into the
    /// blocks [`attach`] returns (every entry of a run shares it).
    block: usize,
    inline: Option<String>,
}

/// What the comment block above a run of entries says about all of them, read once per block.
struct BlockSays {
    optional: bool,
    /// None where the block makes a key pair or certificate: its commands are no recipe
    /// for a random value, for any entry of the run.
    recipe: Option<Kind>,
    issued_elsewhere: bool,
    values_differ: bool,
}

/// What an entry's own comment says, beyond its lines.
#[derive(Clone, Copy)]
// Each flag is a separate thing a comment can say, as in `Declared`.
#[allow(clippy::struct_excessive_bools)]
struct OwnSays {
    optional: bool,
    key_pair: bool,
    recipe: Option<Kind>,
    issued_elsewhere: bool,
    values_differ: bool,
}

impl OwnSays {
    /// Reads a comment, lower-cased.
    fn of(lower: &str) -> Self {
        let key_pair = makes_key_pair(lower);
        OwnSays {
            optional: says_optional(lower),
            key_pair,
            recipe: (!key_pair).then(|| recipe_lower(lower)).flatten(),
            issued_elsewhere: says_issued_elsewhere(lower),
            values_differ: says_values_differ(lower),
        }
    }
}

/// Reads the declarations of `doc`.
pub fn read(doc: &Document) -> Declarations {
    let mut out = Declarations::default();
    let (attached, blocks) = attach(doc);
    let blocks: Vec<BlockSays> = blocks
        .iter()
        .map(|lines| {
            let lower = lines.join(" ").to_lowercase();
            BlockSays {
                optional: says_optional_strongly(&lower),
                recipe: (!makes_key_pair(&lower))
                    .then(|| recipe_lower(&lower))
                    .flatten(),
                issued_elsewhere: says_issued_elsewhere(&lower),
                values_differ: says_values_differ(&lower),
            }
        })
        .collect();
    let headings = sections(doc);
    let conditional = conditional_sections(doc);
    let defaults = file_defaults(doc);
    // Most entries of a large template have no comment of their own: what no comment says
    // is read once, not once for each of them.
    let silent = OwnSays::of("");
    for a in &attached {
        let mut d = Declared {
            section: headings.get(a.key).map(|h| (*h).to_string()),
            section_conditional: conditional.contains(a.key),
            ..Declared::default()
        };
        let mut own: Vec<&str> = a.above.iter().map(String::as_str).collect();
        if let Some(i) = &a.inline {
            own.push(i);
        }
        if !own.is_empty() {
            d.description = Some(
                own.iter()
                    .filter(|l| !l.trim_start().starts_with("envward:") && !l.contains('@'))
                    .copied()
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
            .filter(|s| !s.trim().is_empty());
        }
        annotation(&own, &mut d);
        decorators(&own, &defaults, &mut d);
        let block = &blocks[a.block];
        let text = own.join(" ");
        let lower = text.to_lowercase();
        // A line that opens with an unconditional "Required" is the template's own marker
        // and outranks an optional-sounding phrase elsewhere in the comment.
        // A shouted `# REQUIRED:` label is as often a banner over a section (snipe-it's
        // "REQUIRED: DOCKER SPECIFIC SETTINGS") or a condition the template leaves unsaid
        // (documenso's S3 bucket, with the database storage as default) as a marker: its
        // recipe is read, the requirement is not.
        // `# Required: no` answers the question for the variable, as `Required: yes` would.
        if d.required.is_none() && own.iter().any(|l| says_not_required(l)) {
            d.required = Some(false);
        }
        if d.required.is_none() && own.iter().any(|l| says_required(l) && !is_shouted_label(l)) {
            d.required = Some(true);
        }
        let says = if own.is_empty() {
            silent
        } else {
            OwnSays::of(&lower)
        };
        if d.required.is_none() && (says.optional || block.optional) {
            d.required = Some(false);
            if !block.optional {
                d.fails_without = fails_without_despite_condition(&lower);
            }
        }
        d.same_as = same_as_mentions(&text, &lower, a.key);
        d.key_pair = says.key_pair;
        d.recipe = says.recipe;
        d.block_recipe = block.recipe;
        d.issued_elsewhere = block.issued_elsewhere || says.issued_elsewhere;
        d.values_differ = block.values_differ || says.values_differ;
        out.vars.entry(a.key.to_string()).or_insert(d);
    }
    // The first entry of a run whose every entry shares its first name word heads it.
    let mut run_start = 0;
    for i in 1..=attached.len() {
        if i == attached.len() || attached[i].block != attached[run_start].block {
            let run = &attached[run_start..i];
            let first = run[0].key;
            let shared = first
                .split_once('_')
                .map(|(w, _)| w)
                .filter(|w| !w.is_empty());
            if run.len() >= 2
                && let Some(w) = shared
                && run[1..]
                    .iter()
                    .all(|a| a.key.split_once('_').is_some_and(|(x, _)| x == w))
                && let Some(d) = out.vars.get_mut(first)
            {
                d.heads_run = true;
            }
            run_start = i;
        }
    }
    for item in doc.items() {
        if let Item::Trivia(t) = item {
            for line in t.lines() {
                if let Some(key) = commented_key(line) {
                    out.commented.insert(key);
                }
                if line.contains('=') {
                    conditions::assignments_in(line, &mut out.choices);
                }
                if let Some(name) = conditions::enabled_when_set(line) {
                    out.enabled_when_set.push(name);
                }
            }
        }
    }
    out
}

/// The comment lines of trivia, stripped of `#` and surrounding space; a blank line resets.
fn comment_lines(trivia: &str) -> (Vec<String>, bool) {
    let mut lines = Vec::new();
    let mut blank = false;
    for l in trivia.lines() {
        let t = l.trim();
        if t.is_empty() {
            lines.clear();
            blank = true;
        } else if let Some(c) = t.strip_prefix('#') {
            // A commented-out assignment is documentation of that key, not prose.
            if commented_key(l).is_none() {
                lines.push(c.trim().to_string());
            }
        }
    }
    (lines, blank)
}

/// Each statement with its comments, and the comment blocks above runs of statements.
fn attach(doc: &Document) -> (Vec<Attached<'_>>, Vec<Vec<String>>) {
    let mut out: Vec<Attached<'_>> = Vec::new();
    let mut blocks: Vec<Vec<String>> = Vec::new();
    let mut above: Vec<String> = Vec::new();
    let mut in_run = false;
    let items = doc.items();
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Trivia(t) => {
                // The trivia right after an entry starts with the rest of its line: a quoted
                // value's inline comment lives there.
                let (first, rest) = t.split_once('\n').unwrap_or((t, ""));
                if i > 0
                    && let Some(prev) = out.last_mut()
                    && prev.inline.is_none()
                    && let Some(c) = first.trim().strip_prefix('#')
                {
                    prev.inline = Some(c.trim().to_string());
                }
                let body = if i > 0 { rest } else { t.as_str() };
                let (lines, blank) = comment_lines(body);
                let ends_blank = t.ends_with("\n\n") || t.ends_with("\r\n\r\n");
                if blank || !lines.is_empty() || ends_blank {
                    in_run = false;
                }
                above = if ends_blank { Vec::new() } else { lines };
            }
            Item::Entry(e) => {
                if !in_run || blocks.is_empty() {
                    blocks.push(above.clone());
                    in_run = true;
                }
                let inline = inline_comment(e.text(), e.raw_value());
                out.push(Attached {
                    key: e.key(),
                    above: std::mem::take(&mut above),
                    block: blocks.len() - 1,
                    inline,
                });
            }
        }
    }
    (out, blocks)
}

/// The ` # comment` after an unquoted value (quoted values' comments sit in the trivia).
fn inline_comment(text: &str, raw: &str) -> Option<String> {
    // Most statements hold no `#` at all: one byte scan spares the search for the value.
    if !text.contains('#') {
        return None;
    }
    let start = text.find(raw).map(|i| i + raw.len())?;
    let rest = text.get(start..)?;
    let at = rest.find('#')?;
    rest[..at]
        .chars()
        .all(char::is_whitespace)
        .then(|| rest[at + 1..].trim().to_string())
        .filter(|s| !s.is_empty())
}

/// `# KEY=value`, `#KEY=`, `# export KEY=value`: the key, when the line is a commented-out
/// assignment.
pub fn commented_key(line: &str) -> Option<String> {
    let t = line.trim_start().strip_prefix('#')?.trim_start();
    let t = t.strip_prefix("export ").unwrap_or(t);
    // Asked of every comment line, most of them prose: the key is copied only once it
    // qualifies.
    let len = t
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
        .count();
    let key = &t[..len];
    let after = t[len..].trim_start();
    let first_ok = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    // Prose such as "# Note: …" is not an assignment: keys in templates are written in capitals.
    let shouting =
        key.chars().any(|c| c.is_ascii_uppercase()) && !key.chars().any(|c| c.is_ascii_lowercase());
    // Nor is a shouted label ("# IMPORTANT: generate with openssl rand -hex 32", "# REQUIRED:
    // …"): in the YAML-like `KEY: value` form only a name with `_`, `.` or a digit is a key.
    // Read as a key, the label's line was dropped, recipe and all (SurfSense).
    let yaml_key = after.starts_with(": ")
        && key
            .bytes()
            .any(|b| matches!(b, b'_' | b'.') || b.is_ascii_digit());
    (first_ok && shouting && ((after.starts_with('=') && !after.starts_with("==")) || yaml_key))
        .then(|| key.to_string())
}

/// Whether a comment line opens with a shouted one-word label and a colon (`# REQUIRED: …`,
/// `# IMPORTANT: …`), which [`commented_key`] tells apart from a commented-out key.
fn is_shouted_label(line: &str) -> bool {
    // Comment lines come here with their first `#` taken off, or with it.
    let t = line.trim_start();
    let t = t.strip_prefix('#').map_or(t, str::trim_start);
    let len = t.bytes().take_while(u8::is_ascii_uppercase).count();
    len > 1 && t[len..].starts_with(": ")
}

/// Section headings: the last comment line of a block that follows a blank line, applied to
/// every entry until the next heading.
///
/// Both borrowed from the document: a heading stands over hundreds of entries, and a copy of
/// it (and of each key) per entry, copied again into each declaration, cost a tenth of this
/// reading (issue 13).
fn sections(doc: &Document) -> HashMap<&str, &str> {
    let mut out = HashMap::default();
    let mut current: Option<&str> = None;
    for item in doc.items() {
        match item {
            Item::Trivia(t) => {
                let lines: Vec<&str> = t.lines().collect();
                let blank_before = lines.iter().any(|l| l.trim().is_empty());
                let heading = lines
                    .iter()
                    .filter(|l| commented_key(l).is_none())
                    .filter_map(|l| l.trim().strip_prefix('#'))
                    .map(|l| {
                        l.trim_matches(|c: char| {
                            c == '#' || c == '-' || c == '=' || c == '*' || c.is_whitespace()
                        })
                    })
                    .rfind(|l| {
                        l.chars().any(char::is_alphanumeric)
                            && !l.starts_with("envward:")
                            && !l.starts_with('@')
                    });
                if let Some(h) = heading
                    && (blank_before || current.is_none())
                {
                    current = Some(h);
                }
            }
            Item::Entry(e) => {
                if let Some(s) = current {
                    out.entry(e.key()).or_insert(s);
                }
            }
        }
    }
    out
}

/// `# envward: secret hex:32` among the lines.
fn annotation(lines: &[&str], d: &mut Declared) {
    for l in lines {
        let Some(words) = l.trim().strip_prefix("envward:") else {
            continue;
        };
        for w in words.split_whitespace() {
            match w {
                "secret" => d.class = Some(Class::Secret),
                "external" => d.class = Some(Class::External),
                "config" => d.class = Some(Class::Config),
                "optional" => d.required = Some(false),
                "required" => d.required = Some(true),
                other => {
                    if let Ok(k) = other.parse() {
                        d.kind = Some(k);
                    }
                }
            }
        }
        d.by = Some("annotation in the example file");
    }
}

/// The keys of sections whose introduction says they are only for another setup. A section
/// starts where a blank line separates two entries; its introduction is every comment line
/// of that gap (`# Database settings`, `# These are only required for PostgreSQL`, a blank
/// line, then the first entry's own comment). Comments right above later entries of the
/// section, with no blank line, keep it going.
fn conditional_sections(doc: &Document) -> HashSet<String> {
    let mut out = HashSet::default();
    let mut gap: Vec<&str> = Vec::new();
    let mut after_entry = false;
    let mut conditional = false;
    for item in doc.items() {
        match item {
            Item::Trivia(t) => {
                let mut lines = t.lines();
                // Trivia right after an entry starts with the rest of that entry's line.
                if after_entry {
                    lines.next();
                    after_entry = false;
                }
                gap.extend(lines);
            }
            Item::Entry(e) => {
                if gap.iter().any(|l| l.trim().is_empty()) {
                    // A paragraph of commented-out entries that the blank line closes is the
                    // previous section's tail ("# Optional Gemini provider:" over `# X=…`
                    // lines), not this section's introduction.
                    let paragraphs: Vec<&[&str]> = gap.split(|l| l.trim().is_empty()).collect();
                    let last = paragraphs.len() - 1;
                    let intro: Vec<&str> = paragraphs
                        .iter()
                        .enumerate()
                        .filter(|(i, p)| {
                            *i == last || !p.iter().any(|l| commented_key(l).is_some())
                        })
                        .flat_map(|(_, p)| p.iter())
                        .filter(|l| commented_key(l).is_none())
                        .filter_map(|l| l.trim().strip_prefix('#'))
                        .collect();
                    conditional = says_section_is_conditional(&intro.join(" "));
                }
                if conditional {
                    out.insert(e.key().to_string());
                }
                gap.clear();
                after_entry = true;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dotenv::parse_recovering;

    fn read_str(text: &str) -> Declarations {
        read(&parse_recovering(text).0)
    }

    #[test]
    fn a_failure_without_the_value_is_kept_beside_an_only_needed_condition() {
        // opencloud: "only needed when using the built-in LDAP server", yet "If not set, the
        // app will not work properly": the sentence's subject is kept for the analysis.
        let d = read_str(
            "# Admin Password for the admin user.\n# NOTE: This is only needed when using the built-in LDAP server (idm).\n# If not set, the app will not work properly. The container will be restarting.\nINITIAL_ADMIN_PASSWORD=\n",
        );
        let v = d.get("INITIAL_ADMIN_PASSWORD").unwrap();
        assert_eq!(v.required, Some(false));
        assert_eq!(
            v.fails_without,
            Some(("the".to_string(), "app".to_string()))
        );
        let subject = |comment: &str| {
            read_str(&format!("{comment}\nX=\n"))
                .get("X")
                .unwrap()
                .fails_without
                .clone()
        };
        assert_eq!(
            subject("# Only needed when using idm. Without it, OpenCloud won't start."),
            Some(("it".to_string(), "opencloud".to_string()))
        );
        // Anything else that calls it optional, or no condition at all: nothing is kept.
        for comment in [
            "# Optional. Only needed for idm. If not set, the app will not work.",
            "# Only needed for S3; leave empty to disable. If empty, the app will not start.",
            "# If not set, the app will not work properly.",
            "# Only needed when using idm. The app will not work properly.",
            "# Only needed if you use S3.",
        ] {
            assert_eq!(subject(comment), None, "{comment}");
        }
    }

    #[test]
    fn commented_out_lines_document_keys() {
        let d =
            read_str("# UID=1000\n#PUBLIC_URL=https://x\n# Note: see docs\n# export A_B=1\nX=1\n");
        assert!(d.documents("UID") && d.documents("PUBLIC_URL") && d.documents("A_B"));
        assert!(!d.documents("Note"));
        assert!(d.documents("X"));
    }

    #[test]
    fn required_said_in_any_line_outranks_an_optional_sounding_word() {
        // Onyx: "if setting manually" read as "if set" made the secret optional, and the API
        // server refuses to start without it.
        let d = read_str(
            "### Signs password reset and OAuth state cookies.\n### REQUIRED: the API server refuses to start with an empty value.\n### The installer auto-generates this; if setting manually, run: openssl rand -hex 32\nUSER_AUTH_SECRET=\"\"\n\n# Optionally set a proxy\nPROXY_PASSWORD=\n\n# Required if you use S3\nS3_SECRET=\n",
        );
        assert_eq!(d.get("USER_AUTH_SECRET").unwrap().required, Some(true));
        assert_eq!(d.get("PROXY_PASSWORD").unwrap().required, Some(false));
        assert_eq!(d.get("S3_SECRET").unwrap().required, None);
    }

    #[test]
    fn optional_comments_and_blocks() {
        let d = read_str(
            "# Optional: S3 storage, leave empty to use the disk\nS3_KEY=\nS3_SECRET=\n\nDB_PASSWORD=\n",
        );
        assert_eq!(d.get("S3_KEY").unwrap().required, Some(false));
        assert_eq!(
            d.get("S3_SECRET").unwrap().required,
            Some(false),
            "same block"
        );
        assert_eq!(d.get("DB_PASSWORD").unwrap().required, None);
        let d = read_str(
            "# An admin user is created if these are set\nADMIN_EMAIL=\nADMIN_PASSWORD=\n",
        );
        assert_eq!(
            d.get("ADMIN_PASSWORD").unwrap().required,
            Some(false),
            "a plural condition covers the block"
        );
    }

    #[test]
    fn a_comment_opening_with_required_declares_it() {
        let d = read_str(
            "# Required - A passphrase to encrypt JWT. Use a random long string\nJWT_SECRET=\n# Required if you use S3\nS3_KEY=\n# Requirements: none\nOTHER=\n",
        );
        assert_eq!(d.get("JWT_SECRET").unwrap().required, Some(true));
        assert_eq!(d.get("S3_KEY").unwrap().required, None);
        assert_eq!(d.get("OTHER").unwrap().required, None);
    }

    #[test]
    fn a_required_label_answered_no_makes_it_optional() {
        // notesnook-sync-server labels every setting `# Required: yes|no`.
        let d = read_str(
            "# Description: Host of the SMTP server used for password-reset e-mails.\n# Required: no\nSMTP_HOST=\n# Description: signs the tokens\n# Required: yes\nAPI_SECRET=\n# Required: false.\nA=\n# Required - none of the others work without it\nB=\n",
        );
        assert_eq!(d.get("SMTP_HOST").unwrap().required, Some(false));
        assert_eq!(d.get("A").unwrap().required, Some(false));
        assert_eq!(d.get("API_SECRET").unwrap().required, Some(true));
        assert_eq!(d.get("B").unwrap().required, Some(true));
    }

    #[test]
    fn the_previous_sections_commented_alternatives_do_not_introduce_the_next() {
        // Formbricks: optional providers, commented out, close the taxonomy section; the Cube
        // section after the blank line is required.
        let d = read_str(
            "TAXONOMY_MODEL=x\n#\n# Optional Gemini on Vertex AI provider:\n# TAXONOMY_LLM_PROVIDER=vertex-gemini\n\n####\n#  CUBE  #\n####\n# Cube API. Required.\nCUBE_URL=http://localhost:4000\n# Generate with: openssl rand -hex 32\nCUBE_SECRET=\n",
        );
        assert!(!d.get("CUBE_SECRET").unwrap().section_conditional);
        let d = read_str("A=1\n\n# Only needed if you use S3:\n# S3_REGION=eu\nS3_SECRET=\n");
        assert!(
            d.get("S3_SECRET").unwrap().section_conditional,
            "its own paragraph"
        );
    }

    #[test]
    fn a_section_for_another_setup_is_conditional() {
        let d = read_str(
            "SECRET=\n\n# Database settings\n# These are only required for configuring PostgreSQL.\n# By default SQLite is used.\n\n# Database engine\nDB_ENGINE=\n# Password\nDB_PASSWORD=\n\n# Mail\nMAIL_PASSWORD=\n",
        );
        assert!(d.get("DB_ENGINE").unwrap().section_conditional);
        assert!(
            d.get("DB_PASSWORD").unwrap().section_conditional,
            "same section"
        );
        assert!(!d.get("SECRET").unwrap().section_conditional);
        assert!(
            !d.get("MAIL_PASSWORD").unwrap().section_conditional,
            "next section"
        );
    }

    #[test]
    fn same_as_from_comments() {
        let d = read_str("# must be the same as MYSQL_PASSWORD\nDB_PASSWORD=x\nMYSQL_PASSWORD=x\n");
        assert_eq!(
            d.get("DB_PASSWORD").unwrap().same_as,
            vec!["MYSQL_PASSWORD"]
        );
        assert!(d.get("MYSQL_PASSWORD").unwrap().same_as.is_empty());
    }

    #[test]
    fn recipes_choose_kinds() {
        for (text, kind) in [
            ("generate with `openssl rand -hex 32`", Kind::Hex(32)),
            ("openssl rand -base64 48", Kind::Base64(48)),
            ("run php artisan key:generate", Kind::Laravel),
            ("use `bundle exec rake secret`", Kind::Hex(64)),
            ("a Fernet key", Kind::Fernet),
            (
                "python -c 'import secrets; print(secrets.token_hex(16))'",
                Kind::Hex(16),
            ),
            ("must be 64 hex characters", Kind::Hex(32)),
            ("your-secret-key-base-hex-64", Kind::Hex(32)),
            ("must be 32 characters long", Kind::Token(32)),
            ("<ENCRYPTION_KEY_MUST_BE_32_LONG>", Kind::Token(32)),
            ("your-encryption-key-32-chars-min", Kind::Token(32)),
            ("at least 64 characters", Kind::Token(64)),
            (
                "choose a random string, for example with `dd if=/dev/urandom bs=1K count=1 | md5sum`",
                Kind::Hex(16),
            ),
            ("ChangeMe_UUIDv4", Kind::Uuid),
            // Firefly III's STATIC_CRON_TOKEN and Rallly's SECRET_PASSWORD.
            (
                "Set this token to any 32-character value (this is important!).",
                Kind::Token(32),
            ),
            (
                "A random 32-character secret key used to encrypt user sessions",
                Kind::Token(32),
            ),
        ] {
            assert_eq!(recipe(text), Some(kind), "{text}");
        }
        assert_eq!(recipe("the database password"), None);
        // A hyphen after a word is no length: "utf8-charset", "a2-chars".
        assert_eq!(recipe("use a utf8-charset"), None);
    }

    #[test]
    fn recipes_apply_to_the_run_below_a_block() {
        let d = read_str(
            "# Generate each with `rake secret`\nSECRET_KEY_BASE=\nOTP_SECRET=\n\nOTHER=\n",
        );
        assert_eq!(
            d.get("OTP_SECRET").unwrap().block_recipe,
            Some(Kind::Hex(64))
        );
        assert_eq!(d.get("OTHER").unwrap().block_recipe, None);
    }

    #[test]
    fn varlock_decorators() {
        let d = read_str(
            "# @defaultSensitive=false\n# ---\n\n# @sensitive @required\nAPI=\n# @type=port\nPORT=1\n# @optional\nHOOK=\nPLAIN=1\n",
        );
        assert_eq!(d.get("API").unwrap().class, Some(Class::Secret));
        assert_eq!(d.get("API").unwrap().required, Some(true));
        assert_eq!(d.get("PORT").unwrap().class, Some(Class::Config));
        assert_eq!(d.get("HOOK").unwrap().required, Some(false));
        assert_eq!(
            d.get("PLAIN").unwrap().class,
            Some(Class::Config),
            "file default"
        );
    }

    #[test]
    fn envward_annotation_and_inline_comments() {
        let d = read_str("# envward: external\nTOKEN=\nKEY=\"x\" # leave blank to disable\n");
        assert_eq!(d.get("TOKEN").unwrap().class, Some(Class::External));
        assert_eq!(d.get("KEY").unwrap().required, Some(false));
    }
}
