//! Integrations a template leaves off by a setting other than an `X_ENABLED` switch:
//!
//! - a **selector** (`CREDENTIAL_VAULT_TYPE=skyvern`) that names one choice while the
//!   template documents another (`Set CREDENTIAL_VAULT_TYPE=bitwarden to use Bitwarden`):
//!   the other choice's credentials (`…_BITWARDEN_CLIENT_SECRET`) are not read;
//! - a setting a comment says turns the integration on by being set ("Langfuse is enabled
//!   when `LANGFUSE_BASE_URL` is set"), left unset or commented out;
//! - a provider's **primary key** left empty (`STRIPE_API_KEY=`): its secondary credentials
//!   (`STRIPE_ACCOUNT_WEBHOOK_SECRET=test`) wait for it;
//! - a switch for the use of an integration (`EMAIL_ALERT=false`) heading the run of
//!   settings that share its first word.
//!
//! Each rule asks for evidence in the template itself, and only a provider's credentials are
//! ever switched off ([`super::situation`] leaves the project's own secrets judged).

use super::Var;
use crate::analysis::declare::Declarations;
use crate::analysis::knowledge::{Knowledge, name_words};
use crate::compose::Usage;
use crate::interpolate::Form;

/// The credentials one piece of evidence switches off: names under `prefix`, and, for the
/// alternative choice of a selector, those carrying its word.
#[derive(Debug)]
pub(super) struct Gate {
    prefix: String,
    choice: Option<Choice>,
    /// Names the gate never covers: the primary keys whose emptiness is the evidence (a
    /// primary the template requires is still reported missing).
    except: Vec<String>,
}

/// An alternative a selector does not select.
#[derive(Debug)]
struct Choice {
    /// Its word, upper-cased (`BITWARDEN`).
    word: String,
    /// The word names a provider: any credential carrying it is that provider's.
    provider: bool,
    /// The selector's subject words (`RERANK` of `RERANK_TYPE`): a word that names no known
    /// provider (`VIKINGDB`) scopes only a credential that shares one of them.
    subject: Vec<String>,
}

impl Gate {
    /// Whether the gate covers the variable `name`, whose name words are `words`.
    pub(super) fn covers(&self, name: &str, words: &[String]) -> bool {
        name.starts_with(self.prefix.as_str())
            && !self.except.iter().any(|e| e == name)
            && self.choice.as_ref().is_none_or(|c| {
                words.contains(&c.word)
                    && (c.provider || words.iter().any(|w| c.subject.contains(w)))
            })
    }
}

/// Suffixes of a setting that selects one of several backends or providers.
const SELECTOR_SUFFIXES: &[&str] = &[
    "_TYPE",
    "_PROVIDER",
    "_BACKEND",
    "_DRIVER",
    "_VENDOR",
    "_ENGINE",
    "_MODE",
];

/// Suffixes of a provider's primary key: without it, nothing else of the provider is used.
const PRIMARY_SUFFIXES: &[&str] = &["_API_KEY", "_SECRET_KEY", "_API_TOKEN", "_KEY", "_TOKEN"];

/// Words after an integration's first word that name a use of it (`EMAIL_ALERT`): a switch
/// for that use, heading the integration's settings, governs them.
const USE_WORDS: &[&str] = &["ALERT", "ALERTS", "NOTIFY", "NOTIFICATION", "NOTIFICATIONS"];

/// The value in force: the live file's, else the example's, else a compose default.
pub(super) fn in_force<'v>(v: &'v Var<'_>) -> Option<&'v str> {
    v.live
        .as_ref()
        .or(v.example.as_ref())
        .and_then(|e| e.value.as_deref())
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .or_else(|| v.default_value.as_deref().filter(|x| !x.is_empty()))
}

fn is_false(value: &str) -> bool {
    ["false", "0", "no", "off", "disabled"]
        .iter()
        .any(|f| value.eq_ignore_ascii_case(f))
}

/// Compose refuses to start without it: the integration is on by force.
fn compose_requires(v: &Var<'_>) -> bool {
    v.refs.iter().any(|r| {
        matches!(
            r.usage,
            Usage::Interpolation(Form::Required | Form::RequiredNonEmpty)
        )
    })
}

/// The default a selector's own comment names for an empty value (`default:rrf`, `defaults
/// to local`).
fn default_in(comment: &str) -> Option<String> {
    let lower = comment.to_ascii_lowercase();
    let at = lower.find("default")?;
    let rest = lower[at + "default".len()..]
        .trim_start_matches('s')
        .trim_start_matches([':', ' ', '=', '`', '"', '\''])
        .trim_start_matches("is ")
        .trim_start_matches("to ")
        .trim_start_matches(['`', '"', '\'']);
    let word: String = rest
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    (!word.is_empty()).then_some(word)
}

/// The words a comment quotes as options (`` current support `vikingdb`,`rrf` ``).
fn quoted_options(comment: &str) -> impl Iterator<Item = &str> {
    comment.split('`').skip(1).step_by(2)
}

/// Gates the template's evidence sets, for every integration it leaves off.
pub(super) fn gates(vars: &[Var<'_>], decl: &Declarations, k: &Knowledge) -> Vec<Gate> {
    let mut out = Vec::new();
    selectors(vars, decl, k, &mut out);
    // A setting whose presence turns its integration on, left unset or commented out. Few
    // templates say so: the names are looked up only then.
    if !decl.enabled_when_set.is_empty() {
        let by_name: super::Map<&str, &Var<'_>> =
            vars.iter().map(|v| (v.name.as_str(), v)).collect();
        for name in &decl.enabled_when_set {
            let v = by_name.get(name.as_str());
            if v.is_some_and(|v| in_force(v).is_some() || compose_requires(v)) {
                continue;
            }
            if let Some((first, _)) = name.split_once('_') {
                out.push(Gate {
                    prefix: format!("{first}_"),
                    choice: None,
                    except: Vec::new(),
                });
            }
        }
    }
    // Prefixes a feature switch turns on (`STRIPE_ENABLED=true` for `STRIPE_`), found once
    // and only when an empty primary key asks.
    let switched_on = std::cell::OnceCell::new();
    let switched_on = || {
        switched_on.get_or_init(|| {
            vars.iter()
                .filter(|s| in_force(s).is_some_and(|x| !is_false(x)))
                .filter_map(|s| super::switches::feature_prefix(&s.name.to_ascii_uppercase()))
                .collect::<super::Set<String>>()
        })
    };
    // Names are matched as written: templates write them in capitals, and a copy of every
    // name in upper case would cost an allocation per variable.
    for v in vars {
        let name = v.name.as_str();
        // A provider's primary key, set empty by the template: the provider is not set up.
        if let Some(provider) = PRIMARY_SUFFIXES.iter().find_map(|s| name.strip_suffix(s))
            && v.example.is_some()
            && in_force(v).is_none()
            && !compose_requires(v)
            && v.declared.as_ref().and_then(|d| d.required) != Some(true)
            && name_words(provider)
                .last()
                .is_some_and(|w| k.is_provider_word(&w))
        {
            let prefix = format!("{provider}_");
            if !switched_on().contains(&prefix) {
                let except = PRIMARY_SUFFIXES
                    .iter()
                    .map(|s| format!("{provider}{s}"))
                    .collect();
                out.push(Gate {
                    prefix,
                    choice: None,
                    except,
                });
            }
        }
        // `EMAIL_ALERT=false` over `EMAIL_HOST`, `EMAIL_PASSWORD` …
        if v.declared.as_ref().is_some_and(|d| d.heads_run)
            && in_force(v).is_some_and(is_false)
            && let Some((first, rest)) = name.split_once('_')
            && USE_WORDS.contains(&rest)
        {
            out.push(Gate {
                prefix: format!("{first}_"),
                choice: None,
                except: Vec::new(),
            });
        }
    }
    out
}

/// Gates for the choices of every selector the template documents but does not select.
fn selectors(vars: &[Var<'_>], decl: &Declarations, k: &Knowledge, out: &mut Vec<Gate>) {
    // What each selector selects: its value, or the default its own comment names.
    let selected: Vec<(&Var<'_>, String)> = vars
        .iter()
        .filter(|v| {
            SELECTOR_SUFFIXES
                .iter()
                .any(|s| v.name.len() > s.len() && v.name.ends_with(s))
        })
        .filter_map(|v| {
            let comment = v.declared.as_ref().and_then(|d| d.description.as_deref());
            let value = match in_force(v) {
                Some(x) => x.to_ascii_lowercase(),
                None => default_in(comment?)?,
            };
            Some((v, value))
        })
        .collect();
    if selected.is_empty() {
        return;
    }
    let mut choices: super::Map<&str, Vec<&str>> = super::Map::default();
    for (name, choice) in &decl.choices {
        choices
            .entry(name.as_str())
            .or_default()
            .push(choice.as_str());
    }
    for (v, value) in &selected {
        let comment = v.declared.as_ref().and_then(|d| d.description.as_deref());
        let alternatives = choices
            .get(v.name.as_str())
            .into_iter()
            .flatten()
            .copied()
            .chain(comment.into_iter().flat_map(quoted_options));
        let subject: Vec<String> = {
            let words: Vec<String> = name_words(&v.name)
                .map(std::borrow::Cow::into_owned)
                .collect();
            words[..words.len().saturating_sub(1)].to_vec()
        };
        for alt in alternatives {
            let alt = alt.to_ascii_lowercase();
            // One word a name can carry, chosen by no selector of the project.
            if alt == *value
                || alt.len() < 2
                || !alt.bytes().all(|b| b.is_ascii_alphanumeric())
                || alt.bytes().all(|b| b.is_ascii_digit())
                || selected.iter().any(|(_, s)| *s == alt)
            {
                continue;
            }
            let word = alt.to_ascii_uppercase();
            if subject.contains(&word) {
                continue;
            }
            out.push(Gate {
                prefix: String::new(),
                choice: Some(Choice {
                    provider: k.is_provider_word(&word),
                    word,
                    subject: subject.clone(),
                }),
                except: Vec::new(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{default_in, quoted_options};

    #[test]
    fn a_selectors_comment_names_its_options_and_default() {
        let c = "current support `vikingdb`,`rrf`,default:rrf";
        assert_eq!(default_in(c).as_deref(), Some("rrf"));
        assert_eq!(quoted_options(c).collect::<Vec<_>>(), ["vikingdb", "rrf"]);
        assert_eq!(default_in("Defaults to local").as_deref(), Some("local"));
        assert_eq!(default_in("the storage backend"), None);
    }
}
