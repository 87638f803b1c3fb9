//! Access key pairs (`X_ACCESS_KEY` beside `X_SECRET_KEY`): the credentials of an object
//! store or a cloud account. A cloud vendor's IAM issues them, so a generated pair matches no
//! account; only an object store the project runs itself (its `MinIO`) takes what the env
//! file says, and the wiring ties its clients' pairs to its root credentials.

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
    let names: super::Set<String> = vars.iter().map(|v| v.name.clone()).collect();
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
            .filter(|n| names.contains(n))
            .collect();
        if secrets.is_empty() {
            continue;
        }
        let for_own_store =
            name_words(prefix).any(|w| store_words.iter().any(|s| *s == w.as_ref()));
        if for_own_store || points_at_own_service(vars, prefix, input) {
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

/// Whether the pair's own address setting (`AGENTA_STORE_ENDPOINT_URL=http://seaweedfs:8333`)
/// names a service of the project or this machine: a store it runs that envward has no
/// template for, which takes the keys the env file sets.
fn points_at_own_service(vars: &[Var<'_>], prefix: &str, input: &Input<'_>) -> bool {
    const ADDRESSES: [&str; 7] = [
        "_ENDPOINT",
        "_ENDPOINT_URL",
        "_URL",
        "_HOST",
        "_SERVER",
        "_ADDRESS",
        "_ADDR",
    ];
    vars.iter()
        .filter(|v| {
            v.name
                .strip_prefix(prefix)
                .is_some_and(|rest| ADDRESSES.contains(&rest))
        })
        .filter_map(|v| {
            v.live
                .as_ref()
                .or(v.example.as_ref())
                .and_then(|e| e.value.as_deref())
                .filter(|x| !x.trim().is_empty())
                .or(v.default_value.as_deref())
        })
        .filter_map(crate::analysis::relations::host_of)
        .any(|host| {
            matches!(host, "localhost" | "127.0.0.1" | "host.docker.internal")
                || input.project.services.iter().any(|s| s.name == host)
        })
}
