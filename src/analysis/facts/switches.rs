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
    has(family) || (family == STORAGE_WORDS && has(STORAGE_VENDORS) && has(BUCKET_WORDS))
}

/// Integrations the template switches off: `(name prefix, credential words)` for every
/// storage selector set to local storage and every mail selector set to a console or log
/// backend. The prefix scopes it (`PLUGIN_STORAGE_TYPE` governs `PLUGIN_AWS_…`).
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
    }
    out
}
