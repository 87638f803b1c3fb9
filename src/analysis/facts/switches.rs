//! Integrations a template switches off (`FILE_STORAGE=local`, `EMAIL_BACKEND=console`): the
//! credentials of a switched-off integration are not the user's problem today.

use super::Var;

/// Words of object-storage and mail credentials, for integration switches.
const STORAGE_WORDS: &[&str] = &[
    "AWS",
    "S3",
    "SPACES",
    "R2",
    "GCS",
    "OSS",
    "COS",
    "TOS",
    "BLOB",
    "B2",
    "WASABI",
    "ALIYUN",
    "TENCENT",
    "VOLCENGINE",
    "AZURE",
];
const MAIL_WORDS: &[&str] = &["SMTP", "MAIL", "EMAIL", "MAILER"];
/// Every credential under a feature's prefix: a feature switched off by name
/// (`ENABLE_SEAFILE_AI=false`, `OIDC_ENABLED=false`) uses none of its provider's keys.
const ANY_WORDS: &[&str] = &[];

/// Vendors whose object storage is named after the vendor, not the service
/// (`CLOUDFLARE_ACCESS_KEY` for R2): their words scope a storage switch only together with
/// a word of a bucket's credentials, since the same vendor also issues DNS and tunnel
/// tokens that local storage does not switch off.
const STORAGE_VENDORS: &[&str] = &[
    "CLOUDFLARE",
    "DIGITALOCEAN",
    "BACKBLAZE",
    "SCALEWAY",
    "LINODE",
];
const BUCKET_WORDS: &[&str] = &[
    "ACCESS",
    "BUCKET",
    "BUCKETNAME",
    "ACCOUNT",
    "ENDPOINT",
    "REGION",
];

/// Whether a name of these `words` is a credential of the integration `family` (one of the
/// word lists [`switched_off_scopes`] gives): it has one of its words, or, for storage, a
/// storage vendor's word and a bucket credential's.
pub(super) fn credential_of(family: &[&str], words: &[String]) -> bool {
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    family.is_empty()
        || has(family)
        || (family == STORAGE_WORDS && has(STORAGE_VENDORS) && has(BUCKET_WORDS))
}

/// The prefix of the variables a feature switch governs: `ENABLE_X`, `USE_X` and
/// `X_ENABLED` govern `X_…`; `P_USE_X` governs `P_…` when `P` names `X` too
/// (`LEAN_LDAP_USE_LDAP` governs `LEAN_LDAP_…`).
pub(super) fn feature_prefix(upper: &str) -> Option<String> {
    let prefix = ["ENABLE_", "ENABLED_", "USE_"]
        .iter()
        .find_map(|p| upper.strip_prefix(p))
        .or_else(|| {
            ["_ENABLED", "_ENABLE"]
                .iter()
                .find_map(|s| upper.strip_suffix(s))
        })
        .map(str::to_string)
        .or_else(|| {
            let (p, x) = upper.split_once("_USE_")?;
            p.split('_').any(|w| w == x).then(|| p.to_string())
        })?;
    (!prefix.is_empty()).then(|| format!("{prefix}_"))
}

/// Integrations the template switches off: `(name prefix, credential words)` for every
/// storage selector set to local storage, every mail selector set to a console or log
/// backend and every feature switch set to false. The prefix scopes it
/// (`PLUGIN_STORAGE_TYPE` governs `PLUGIN_AWS_…`).
pub(super) fn switched_off_scopes(vars: &[Var<'_>]) -> Vec<(String, &'static [&'static str])> {
    let mut out = Vec::new();
    for v in vars {
        let Some(value) = v
            .live
            .as_ref()
            .or(v.example.as_ref())
            .and_then(|e| e.value.as_deref())
        else {
            continue;
        };
        let value = value.trim().to_ascii_lowercase();
        let upper = v.name.to_ascii_uppercase();
        let storage = [
            "FILE_STORAGE",
            "STORAGE_TYPE",
            "STORAGE_DRIVER",
            "STORAGE_BACKEND",
            "STORAGE_PROVIDER",
            "FILESYSTEM_DISK",
            "FILESYSTEM_DRIVER",
            "UPLOAD_TRANSPORT",
            "STORAGE",
        ];
        let mail = [
            "EMAIL_BACKEND",
            "MAIL_BACKEND",
            "MAIL_MAILER",
            "MAIL_DRIVER",
            "MAIL_TRANSPORT",
            "EMAIL_TRANSPORT",
            "MAILER",
        ];
        let scope = |suffixes: &[&str]| {
            suffixes.iter().find_map(|s| {
                upper
                    .strip_suffix(s)
                    .filter(|p| p.is_empty() || p.ends_with('_'))
                    .map(str::to_string)
            })
        };
        if matches!(
            value.as_str(),
            "local" | "local_public" | "disk" | "fs" | "filesystem" | "file" | "database" | "db"
        ) && let Some(prefix) = scope(&storage)
        {
            out.push((prefix, STORAGE_WORDS));
        }
        if matches!(
            value.as_str(),
            "console"
                | "log"
                | "dummy"
                | "array"
                | "file"
                | "disabled"
                | "none"
                | "false"
                | "locmem"
        ) && let Some(prefix) = scope(&mail)
        {
            out.push((prefix, MAIL_WORDS));
        }
        if matches!(value.as_str(), "false" | "0" | "no" | "off" | "disabled")
            && let Some(prefix) = feature_prefix(&upper)
        {
            out.push((prefix, ANY_WORDS));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::feature_prefix;

    #[test]
    fn feature_switches_govern_their_own_prefix_only() {
        assert_eq!(
            feature_prefix("ENABLE_SEAFILE_AI").as_deref(),
            Some("SEAFILE_AI_")
        );
        assert_eq!(feature_prefix("OIDC_ENABLED").as_deref(), Some("OIDC_"));
        assert_eq!(feature_prefix("USE_S3").as_deref(), Some("S3_"));
        assert_eq!(
            feature_prefix("LEAN_LDAP_USE_LDAP").as_deref(),
            Some("LEAN_LDAP_")
        );
        // `P_USE_X` where P does not name X says nothing about P's other variables.
        assert_eq!(feature_prefix("APP_USE_CACHE"), None);
        assert_eq!(feature_prefix("DEBUG"), None);
        assert_eq!(feature_prefix("ENABLED"), None);
    }
}
