//! Which configuration settings hold an address or a provider's identifier: the only
//! configuration `check` judges for stand-ins (an example host, a fill-in marker), and only
//! while the provider they belong to is in use.

use super::{Vars, current};
use crate::analysis::facts::Var;

/// Whether a config variable's name says it holds a host, domain or address.
pub(super) fn is_host_setting(name: &str) -> bool {
    crate::analysis::knowledge::name_words(name).any(|w| {
        matches!(
            &*w,
            "HOST"
                | "HOSTS"
                | "HOSTNAME"
                | "DOMAIN"
                | "DOMAINS"
                | "URL"
                | "URI"
                | "ORIGIN"
                | "ORIGINS"
                | "FQDN"
                | "SERVERNAME"
                | "BASEURL"
                | "ENDPOINT"
                | "DOMAINNAME"
                | "HOSTNAMES"
                | "PUBLICURL"
                | "SITEURL"
                | "APPURL"
        )
    })
}

/// Whether a value is a web address (`https://issuer.example.com/…`), whatever its name says.
pub(super) fn is_web_address(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    v.starts_with("https://") || v.starts_with("http://")
}

/// Whether a provider's setting belongs to an integration the project leaves unset: its name
/// starts with the provider (`STRIPE_PAYMENT_REDIRECT_URL`), and every credential starting the
/// same way is empty (Bigcapital's `STRIPE_*` keys). A stand-in address there is no more to
/// act on than the empty keys beside it.
pub(super) fn provider_left_unset(
    k: &crate::analysis::Knowledge,
    var: &Var<'_>,
    vars: &Vars<'_, '_>,
) -> bool {
    let Some(provider) = crate::analysis::knowledge::name_words(&var.name).next() else {
        return false;
    };
    if !k.is_provider_word(&provider) {
        return false;
    }
    let prefix = format!("{provider}_");
    let mut credentials = vars
        .all
        .iter()
        .filter(|v| {
            v.class.is_sensitive()
                && v.name
                    .as_bytes()
                    .get(..prefix.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
        })
        .peekable();
    credentials.peek().is_some() && credentials.all(|v| current(vars, &v.name).is_none())
}

/// Whether a configuration name is an identifier a provider issues with a credential
/// (`GITHUB_CLIENT_ID`, `SLACK_APP_ID`): a stand-in there means the integration is broken.
pub(super) fn is_provider_identifier(k: &crate::analysis::Knowledge, name: &str) -> bool {
    let words: Vec<String> = crate::analysis::knowledge::name_words(name)
        .map(std::borrow::Cow::into_owned)
        .collect();
    words.last().is_some_and(|w| w == "ID")
        && ((words.iter().any(|w| k.is_provider_word(w))
            && words
                .iter()
                .any(|w| matches!(w.as_str(), "CLIENT" | "APP" | "ACCOUNT" | "CONSUMER" | "TENANT")))
            // An OAuth client's id is issued by its provider, named or not (ever-gauzy's
            // `FIVERR_CLIENT_ID=XXXXXXX` beside `GOOGLE_CLIENT_ID=XXXXXXX`).
            || words.ends_with(&["CLIENT".to_string(), "ID".to_string()]))
}
