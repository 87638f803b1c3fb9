//! Credentials of an account outside the project: a cloud account's access key pair
//! (`X_ACCESS_KEY` beside `X_SECRET_KEY`), or a login to a server on the internet
//! (`TURN_SERVER_USERNAME` / `_CREDENTIAL` for `turn:a.relay.metered.ca`). The outside party
//! issues them, so a generated value matches no account; only a server the project runs
//! takes what the env file says, and the wiring ties its clients to its own credentials.

use super::Var;
use crate::analysis::Class;
use crate::analysis::Input;
use crate::analysis::knowledge::name_words;

/// How the login half of a pair ends (`HUAWEICLOUD_OBS_ACCESS_KEY`, `S3_ACCESS_KEY_ID`).
const LOGIN_HALVES: [&str; 3] = ["_ACCESS_KEY_ID", "_ACCESS_KEYID", "_ACCESS_KEY"];

/// How the secret half beside it ends.
const SECRET_HALVES: [&str; 4] = [
    "_SECRET_ACCESS_KEY",
    "_SECRET_KEY",
    "_ACCESS_SECRET",
    "_ACCESS_KEY_SECRET",
];

/// Makes the halves of an access key pair external unless their names speak for an object
/// store the project runs (`S3_`, `MINIO_` beside a `minio` service). Huawei Cloud's OBS
/// keys beside apitable's own `MinIO` were generated: a 43-character password in the key
/// id, and check was green.
pub(super) fn outside_key_pairs(vars: &mut [Var<'_>], input: &Input<'_>) {
    // Most projects have no pair: a suffix test spares the rest.
    if !vars
        .iter()
        .any(|v| LOGIN_HALVES.iter().any(|s| v.name.ends_with(s)))
    {
        return;
    }
    // The name words of the clients of each object store the project runs.
    let store_words: Vec<&str> = input
        .project
        .services
        .iter()
        .filter_map(|s| s.image.as_deref())
        .filter_map(|i| input.knowledge.image(i))
        .filter(|i| i.family.as_deref() == Some("s3"))
        .flat_map(|i| i.clients.iter().map(String::as_str))
        .collect();
    let by_name = by_name(vars);
    let mut outside: Vec<String> = Vec::new();
    for v in vars.iter() {
        let Some(prefix) = LOGIN_HALVES.iter().find_map(|s| v.name.strip_suffix(s)) else {
            continue;
        };
        if prefix.is_empty() {
            continue;
        }
        let secrets: Vec<String> = SECRET_HALVES
            .iter()
            .map(|s| format!("{prefix}{s}"))
            .filter(|n| by_name.contains_key(n.as_str()))
            .collect();
        if secrets.is_empty() {
            continue;
        }
        let for_own_store =
            name_words(prefix).any(|w| store_words.iter().any(|s| *s == w.as_ref()));
        let own_service = address_hosts(&by_name, prefix).into_iter().any(|host| {
            matches!(host, "localhost" | "127.0.0.1" | "host.docker.internal")
                || input.project.services.iter().any(|s| s.name == host)
        });
        if for_own_store || own_service {
            continue;
        }
        outside.push(v.name.clone());
        outside.extend(secrets);
    }
    for v in vars
        .iter_mut()
        .filter(|v| v.class == Class::Secret && outside.contains(&v.name))
    {
        v.class = Class::External;
        v.kind = None;
        v.classified_by =
            "an access key pair of a cloud account or object store the project does not run"
                .to_string();
    }
}

/// The variables by name: every pair and login looks up its siblings, and a large project
/// has one per service.
fn by_name<'v, 'a>(vars: &'v [Var<'a>]) -> super::Map<&'v str, &'v Var<'a>> {
    vars.iter().map(|v| (v.name.as_str(), v)).collect()
}

/// The hosts a prefix's address settings name (`AGENTA_STORE_ENDPOINT_URL=http://seaweedfs:8333`,
/// `TURN_SERVER_URL=turn:a.relay.metered.ca:443`).
fn address_hosts<'v>(by_name: &super::Map<&str, &'v Var<'_>>, prefix: &str) -> Vec<&'v str> {
    const ADDRESSES: [&str; 9] = [
        "_ENDPOINT",
        "_ENDPOINT_URL",
        "_URL",
        "_URI",
        "_HOST",
        "_HOSTNAME",
        "_SERVER",
        "_ADDRESS",
        "_ADDR",
    ];
    ADDRESSES
        .iter()
        .filter_map(|s| by_name.get(format!("{prefix}{s}").as_str()).copied())
        .filter_map(|v| super::gates::in_force(v))
        .filter_map(|value| {
            // `turn:host:port` and `stun:` URLs carry no `//`.
            let value = ["turn:", "turns:", "stun:", "stuns:"]
                .iter()
                .find_map(|s| value.strip_prefix(s))
                .unwrap_or(value);
            crate::analysis::relations::host_of(value)
        })
        .collect()
}

/// How a login's user-name setting ends, and the password settings beside it.
const USER_SUFFIXES: [&str; 3] = ["_USERNAME", "_USER", "_LOGIN"];
const PASSWORD_SUFFIXES: [&str; 5] = [
    "_PASSWORD",
    "_PASS",
    "_CREDENTIAL",
    "_CREDENTIALS",
    "_SECRET",
];

/// Prefixes that speak for the project itself (its own URL, its admin account): a password
/// beside `APP_URL=https://app.example.org` and `APP_USER=admin` is the project's to choose.
const OWN_PREFIXES: [&str; 14] = [
    "APP", "WEB", "SITE", "PUBLIC", "SERVER", "BASE", "FRONTEND", "BACKEND", "ADMIN", "ROOT",
    "NEXTAUTH", "AUTH", "INITIAL", "DEFAULT",
];

/// Makes a password external when its prefix's address setting names a host on the internet
/// that the project does not run and the template fills in the user name beside it: the
/// account is the outside server's (`MiroTalk`'s published metered.ca TURN credential was
/// generated; a TURN server checks it against its own accounts).
pub(super) fn outside_logins(vars: &mut [Var<'_>], input: &Input<'_>) {
    let by_name = by_name(vars);
    let mut outside: Vec<String> = Vec::new();
    for v in vars.iter() {
        let Some(prefix) = USER_SUFFIXES.iter().find_map(|s| v.name.strip_suffix(s)) else {
            continue;
        };
        let passwords: Vec<String> = PASSWORD_SUFFIXES
            .iter()
            .map(|s| format!("{prefix}{s}"))
            .filter(|n| by_name.contains_key(n.as_str()))
            .collect();
        if prefix.is_empty()
            || passwords.is_empty()
            || super::gates::in_force(v).is_none()
            || OWN_PREFIXES
                .iter()
                .any(|p| prefix == *p || prefix.starts_with(&format!("{p}_")))
            || !outside_address(&by_name, prefix, input)
        {
            continue;
        }
        outside.extend(passwords);
    }
    for v in vars
        .iter_mut()
        .filter(|v| v.class == Class::Secret && outside.contains(&v.name))
    {
        v.class = Class::External;
        v.kind = None;
        v.classified_by = "the password of an account on a server outside the project".to_string();
    }
}

/// Whether the prefix's address setting names a host on the internet: a dotted name, not a
/// service of the project, not this machine, not a private address, not an example domain.
fn outside_address(by_name: &super::Map<&str, &Var<'_>>, prefix: &str, input: &Input<'_>) -> bool {
    address_hosts(by_name, prefix).into_iter().any(|host| {
        // A top-level domain of letters only (`metered.ca`): not `db.basic-docker`, a service
        // on a compose network, nor an address.
        let tld = host.rsplit('.').next().unwrap_or("");
        let first = host.split('.').next().unwrap_or("");
        host.contains('.')
            && (2..=24).contains(&tld.len())
            && tld.bytes().all(|b| b.is_ascii_alphabetic())
            && !matches!(tld, "local" | "internal" | "lan" | "localhost" | "docker")
            && !input
                .project
                .services
                .iter()
                .any(|s| s.name == host || s.name == first)
            && !input.knowledge.mentions_example_host(host)
    })
}
