//! A password beside a database URL setting of the same prefix (`spring.datasource.url=
//! jdbc:postgresql://db:5432/app` beside `spring.datasource.password`, `KC_DB_URL` beside
//! `KC_DB_PASSWORD`): the URL's host is the server the password logs in to, even when the
//! password's own name names no kind of server (`DATASOURCE` is no database word). Without
//! this, Tolgee's password, equal to the `postgres` literal in compose, was replaced by
//! `fill` and the app was locked out of its database.

use super::super::Input;
use super::super::facts::Var;
use super::super::knowledge::name_words;
use super::urls::is_server_url;
use super::{current, host_of};

/// The words ending a URL setting's name that say it holds an address.
const ADDRESS_WORDS: [&str; 9] = [
    "URL",
    "URI",
    "DSN",
    "JDBC",
    "CONNECTION",
    "CONN",
    "STRING",
    "ADDR",
    "ADDRESS",
];

/// The words ending a password's name.
const PASSWORD_WORDS: [&str; 4] = ["PASSWORD", "PASS", "PWD", "PASSWD"];

/// The project's database URL settings that point at one of its own servers.
pub struct UrlsBeside<'k> {
    /// Each setting's words before its address words, the service its host names and that
    /// service's family.
    settings: Vec<(Vec<String>, String, &'k str)>,
}

impl<'k> UrlsBeside<'k> {
    /// Reads every variable whose value (or compose default) is a database or broker URL
    /// (`postgres://…`, `jdbc:mysql://…`) to a compose service running a known server image.
    pub fn of(vars: &[Var<'_>], input: &Input<'k>) -> Self {
        let k = input.knowledge;
        let settings = vars
            .iter()
            .filter_map(|v| {
                let value = current(v).or(v.default_value.as_deref())?;
                if !is_server_url(value) {
                    return None;
                }
                let host = host_of(value)?;
                let family = input
                    .project
                    .services
                    .iter()
                    .find(|s| s.name == host)?
                    .image
                    .as_deref()
                    .and_then(|i| k.image(i))?
                    .family
                    .as_deref()?;
                let mut words: Vec<String> = name_words(&v.name)
                    .map(std::borrow::Cow::into_owned)
                    .collect();
                let address = words
                    .iter()
                    .rev()
                    .take_while(|w| ADDRESS_WORDS.contains(&w.as_str()))
                    .count();
                if address == 0 || address == words.len() {
                    return None;
                }
                words.truncate(words.len() - address);
                Some((words, host.to_string(), family))
            })
            .collect();
        UrlsBeside { settings }
    }

    /// The service and family of the server a password logs in to, when its name is a URL
    /// setting's prefix followed by a password word, and every such setting names one server.
    pub fn server_of(&self, password: &str) -> Option<(&str, &'k str)> {
        if self.settings.is_empty() {
            return None;
        }
        let words: Vec<std::borrow::Cow<'_, str>> = name_words(password).collect();
        let (last, prefix) = words.split_last()?;
        if prefix.is_empty() || !PASSWORD_WORDS.contains(&last.as_ref()) {
            return None;
        }
        let mut found = self.settings.iter().filter(|(p, _, _)| {
            p.iter()
                .map(String::as_str)
                .eq(prefix.iter().map(AsRef::as_ref))
        });
        let (_, host, family) = found.next()?;
        // Two URL settings of one prefix naming different servers say nothing certain.
        if found.any(|(_, h, _)| h != host) {
            return None;
        }
        Some((host.as_str(), *family))
    }
}
