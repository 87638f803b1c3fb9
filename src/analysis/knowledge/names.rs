//! Reading a variable's name: the specific and pattern rules of `templates/names.toml`, its
//! words (secret words, switches, settings about a secret, outside providers and issued
//! credentials), and the server families the words speak for.

use std::borrow::Cow;

use super::{Knowledge, NameReading, name_words, piece_count};
use crate::analysis::Class;
use crate::generate::Kind;

/// Name words any server family's clients use (`DB`, `CACHE`, `STORAGE` …): they name no
/// family specifically.
const GENERIC_FAMILY_WORDS: [&str; 16] = [
    "DB", "DATABASE", "SQL", "CACHE", "KV", "STORAGE", "OBJECT", "BUCKET", "BLOB", "SEARCH", "MQ",
    "BROKER", "VECTOR", "ES", "CH", "WS",
];

impl Knowledge {
    /// What the name alone says: specific rules first, then its words (a switch, a setting
    /// about a secret, or no secret word at all are configuration), then the patterns.
    pub fn name(&self, name: &str) -> NameReading {
        let upper = name.to_ascii_uppercase();
        // A rule over a provider's whole prefix (`VAPID_*`, `TWILIO_*`) speaks for its keys
        // and identifiers, not for a setting beside them: `VAPID_SUBJECT=mailto:…` is a
        // contact address, configuration, which the name's words then say.
        let setting = name_words(name)
            .last()
            .is_some_and(|w| self.config_suffixes.contains(w.as_ref()));
        if let Some(r) = self.exact.iter().find(|r| {
            r.patterns
                .iter()
                .any(|p| p.matches(&upper) && !(setting && p.is_prefix()))
        }) {
            return NameReading {
                class: r.class,
                kind: r.kind,
                why: "name rule in templates/names.toml",
                exact: true,
            };
        }
        let words: Vec<Cow<'_, str>> = name_words(name).collect();
        // A fused secret word (`SQUIDEX_GITHUBSECRET`, `NGROK_AUTHTOKEN`) made more words than
        // the name has pieces: the name reads as spelled with separators, which the patterns
        // are written for (`*_AUTH_TOKEN`).
        if words.len() != piece_count(name) {
            return self.name(&words.join("_"));
        }
        if let Some(singular) = self.singular(&words) {
            return self.name(&singular);
        }
        let config = |why| NameReading {
            class: Class::Config,
            kind: None,
            why,
            exact: false,
        };
        let Some(last_secret) = words
            .iter()
            .rposition(|w| self.secret_words.contains(w.as_ref()))
        else {
            if self.names_key_material(&words) {
                // Made like the key it feeds (`*ENCRYPTION_KEY` is `hex:32`): an app key,
                // which the app cannot run without.
                return NameReading {
                    class: Class::Secret,
                    kind: Some(Kind::Hex(32)),
                    why: "a key by its name (an encryption or signing word, then MODIFIER, SEED …)",
                    exact: false,
                };
            }
            return config("no secret word in its name");
        };
        if words[..last_secret]
            .iter()
            .any(|w| self.flag_prefixes.contains(w.as_ref()))
        {
            return config("its name is a switch (ALLOW_…, ENABLE_…)");
        }
        // `CLIENT_SECRET_GITHUB_LOGIN`: words after a provider's name name the provider's
        // thing, not a setting about the secret.
        let after_secret = &words[last_secret + 1..];
        let qualifying = after_secret
            .iter()
            .position(|w| self.provider_words.contains(w.as_ref()))
            .map_or(after_secret, |p| &after_secret[..p]);
        if qualifying
            .iter()
            .any(|w| self.config_suffixes.contains(w.as_ref()))
        {
            return config("its name is a setting about a secret (…_FILE, …_EXPIRY, …_RESET)");
        }
        let before = &words[..last_secret];
        if self.names_an_issuer(before) || self.names_an_issuer(after_secret) {
            return NameReading {
                class: Class::External,
                kind: None,
                why: "a credential issued by an outside provider (its name says which)",
                exact: false,
            };
        }
        match self
            .names
            .iter()
            .find(|r| r.patterns.iter().any(|p| p.matches(&upper)))
        {
            Some(r) => NameReading {
                class: r.class,
                kind: r.kind,
                why: "name pattern in templates/names.toml",
                exact: false,
            },
            None => NameReading {
                class: Class::Secret,
                kind: Some(Kind::Password),
                why: "a secret word in its name",
                exact: false,
            },
        }
    }

    /// The name with its plural secret words made singular (`JACKSON_API_KEYS` reads as
    /// `JACKSON_API_KEY`), or `None` when it has none that counts: a name that counts or
    /// limits them (`OPENAI_MAX_TOKENS`, `ALLOWED_KEYS`) is read as if the word were no secret
    /// word, since the plural is not in `secret_words`.
    fn singular(&self, words: &[Cow<'_, str>]) -> Option<String> {
        if !words
            .iter()
            .any(|w| self.plural_secret_words.contains(w.as_ref()))
            || words
                .iter()
                .any(|w| self.plural_count_words.contains(w.as_ref()))
        {
            return None;
        }
        let mut changed = false;
        let out: Vec<&str> = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let naming = i > 0 && self.plural_naming_words.contains(words[i - 1].as_ref());
                if self.plural_secret_words.contains(w.as_ref()) && !naming {
                    changed = true;
                    w.strip_suffix('S').unwrap_or(w)
                } else {
                    w.as_ref()
                }
            })
            .collect();
        changed.then(|| out.join("_"))
    }

    /// Whether a name ends in a word for what a key is made of right after a word for what it
    /// is for (`…_ENCRYPTION_MODIFIER`), and is no switch (`USE_…`).
    fn names_key_material(&self, words: &[Cow<'_, str>]) -> bool {
        let [before @ .., crypto, material] = words else {
            return false;
        };
        self.crypto_words.contains(crypto.as_ref())
            && self.key_material_words.contains(material.as_ref())
            && !before
                .iter()
                .any(|w| self.flag_prefixes.contains(w.as_ref()))
    }

    /// Whether these name words name an outside provider or an issued credential. A provider
    /// written as two words (`DOCKER_HUB`, `NEW_RELIC`, `PAGER_DUTY`) counts as its one-word
    /// spelling: a Docker Hub password is the user's account, never one envward can make.
    fn names_an_issuer(&self, words: &[Cow<'_, str>]) -> bool {
        words.iter().any(|w| {
            self.provider_words.contains(w.as_ref()) || self.issued_words.contains(w.as_ref())
        }) || words.windows(2).any(|pair| {
            self.provider_words
                .contains(format!("{}{}", pair[0], pair[1]).as_str())
        })
    }

    /// Whether `word` names a secret (`PASSWORD`, `TOKEN`, `KEY` …).
    pub fn is_secret_word(&self, word: &str) -> bool {
        self.secret_words.contains(word)
    }

    /// Whether `word` names an outside provider (`GITHUB`, `STRIPE` …).
    pub fn is_provider_word(&self, word: &str) -> bool {
        self.provider_words.contains(word)
    }

    /// Class and kind by the variable's name alone (`None`: configuration).
    pub fn by_name(&self, name: &str) -> Option<(Class, Option<Kind>)> {
        let r = self.name(name);
        (r.class != Class::Config).then_some((r.class, r.kind))
    }

    /// The server families whose clients a variable's name speaks for (`DB_PASSWORD`:
    /// postgres, mysql, mongo; `S3_SECRET_KEY`: s3).
    pub fn families_of_name(&self, name: &str) -> Vec<&str> {
        self.families_by_words(&name_words(name).collect::<Vec<_>>())
    }

    /// The server families a variable's name names specifically (`REDIS_PASSWORD`: redis),
    /// leaving out words any family's clients use (`DB`, `CACHE`, `STORAGE` …).
    pub fn specific_families_of_name(&self, name: &str) -> Vec<&str> {
        self.families_by_words(
            &name_words(name)
                .filter(|w| !GENERIC_FAMILY_WORDS.contains(&w.as_ref()))
                .collect::<Vec<_>>(),
        )
    }

    /// [`Knowledge::families_of_name`] and [`Knowledge::specific_families_of_name`] from one
    /// reading of the name's words: both are asked of every variable, and reading the words
    /// again for each question was a twentieth of a 10,000-variable check (issue 13).
    pub fn name_families(&self, name: &str) -> (Vec<&str>, Vec<&str>) {
        let words: Vec<Cow<'_, str>> = name_words(name).collect();
        let all = self.families_by_words(&words);
        if all.is_empty() {
            // No word names any family's clients: neither does any part of them.
            return (all, Vec::new());
        }
        let specific: Vec<Cow<'_, str>> = words
            .into_iter()
            .filter(|w| !GENERIC_FAMILY_WORDS.contains(&w.as_ref()))
            .collect();
        let specific = self.families_by_words(&specific);
        (all, specific)
    }

    fn families_by_words(&self, words: &[Cow<'_, str>]) -> Vec<&str> {
        let mut out: Vec<&str> = words
            .iter()
            .filter_map(|w| self.families_by_client.get(w.as_ref()))
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}
