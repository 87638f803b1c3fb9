//! `envward export` through the real binary: manifests validated offline with
//! `kubernetes-validate --strict` (skipped when it is not installed, failed instead under
//! `ENVWARD_REQUIRE_AGE=1` as in CI), Secrets decoded back to exactly the bytes Compose reads,
//! the `ExternalSecret` compared with the secrets strategy's example, and the refusals.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use common::TestProject;

/// `kubernetes-validate` (`pip install kubernetes-validate`), or `None`: see [`common::tool`].
fn kubernetes_validate() -> Option<PathBuf> {
    common::tool("kubernetes-validate")
}

/// Validates a manifest file strictly, offline (the schemas ship inside the package).
fn validate(file: &Path) {
    let Some(tool) = kubernetes_validate() else {
        return;
    };
    let out = Command::new(tool)
        .arg("--strict")
        .arg(file)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "kubernetes-validate failed:\n{text}");
    assert!(
        !text.contains("WARN"),
        "a manifest was not validated:\n{text}"
    );
}

const COMPOSE: &str = "services:
  api:
    image: example/api
    environment:
      DATABASE_URL: postgres://${DB_USER}:${DB_PASSWORD}@db/app
      DB_PASSWORD: ${DB_PASSWORD}
      TLS_PRIVATE_KEY: ${TLS_PRIVATE_KEY}
      GREETING: ${GREETING}
      LOG_LEVEL: ${LOG_LEVEL:-info}
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: ${DB_USER}
      POSTGRES_PASSWORD: ${DB_PASSWORD}
  worker:
    image: example/worker
    env_file: .env
";

/// Every quoting form Compose reads, with the value it hands on.
const LIVE: &str = "DB_USER=app # the role
DB_PASSWORD='Qm9vbGVhbi1mcmVlLXJhbmRvbS1zdHJpbmctb2Y$'
TLS_PRIVATE_KEY=\"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n\"
GREETING=\"hello
  world
\"
SESSION_SECRET=\"${DB_USER}-Zr4qW9xLp2mN7vBZr4qW9xLp2mN7vB11\"
LOG_LEVEL=on
";

/// What Compose reads for each variable of [`LIVE`].
const EXPECTED: [(&str, &str); 6] = [
    ("DB_USER", "app"),
    ("DB_PASSWORD", "Qm9vbGVhbi1mcmVlLXJhbmRvbS1zdHJpbmctb2Y$"),
    (
        "TLS_PRIVATE_KEY",
        "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n",
    ),
    ("GREETING", "hello\n  world\n"),
    ("SESSION_SECRET", "app-Zr4qW9xLp2mN7vBZr4qW9xLp2mN7vB11"),
    ("LOG_LEVEL", "on"),
];

fn project() -> TestProject {
    TestProject::new()
        .file("compose.yaml", COMPOSE)
        .file(".env", LIVE)
}

fn docs(text: &str) -> Vec<serde_yaml::Value> {
    text.split("---\n")
        .filter(|d| !d.trim().is_empty())
        .map(|d| serde_yaml::from_str(d).unwrap())
        .collect()
}

fn of_kind<'a>(docs: &'a [serde_yaml::Value], kind: &str) -> &'a serde_yaml::Value {
    docs.iter().find(|d| d["kind"] == kind).unwrap()
}

/// Every value as a Kubernetes client reads it: the Secret's base64 decoded, the
/// `ConfigMap`'s strings as they are.
fn decoded(docs: &[serde_yaml::Value]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, v) in of_kind(docs, "Secret")["data"].as_mapping().unwrap() {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap())
            .unwrap();
        out.push((
            k.as_str().unwrap().to_string(),
            String::from_utf8(bytes).unwrap(),
        ));
    }
    for (k, v) in of_kind(docs, "ConfigMap")["data"].as_mapping().unwrap() {
        out.push((
            k.as_str().unwrap().to_string(),
            v.as_str().unwrap().to_string(),
        ));
    }
    out.sort();
    out
}

fn expected() -> Vec<(String, String)> {
    let mut e: Vec<(String, String)> = EXPECTED
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
    e.sort();
    e
}

#[test]
fn k8s_with_rbac_passes_strict_validation_and_decodes_to_what_compose_reads() {
    let p = project();
    p.cmd()
        .args([
            "export",
            "--format",
            "k8s",
            "--rbac",
            "--service-account",
            "api",
            "--name",
            "chat-secrets",
            "-o",
            "k8s/secrets.yaml",
        ])
        .assert()
        .success();
    let file = p.join("k8s/secrets.yaml");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    validate(&file);
    let d = docs(&p.read("k8s/secrets.yaml"));
    assert_eq!(d.len(), 4, "Secret, ConfigMap, Role, RoleBinding");
    let secret = of_kind(&d, "Secret");
    assert_eq!(secret["type"], "Opaque");
    let secret_keys: Vec<&str> = secret["data"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap())
        .collect();
    // Without an example file, variables go in name order.
    assert_eq!(
        secret_keys,
        ["DB_PASSWORD", "SESSION_SECRET", "TLS_PRIVATE_KEY"]
    );
    assert_eq!(decoded(&d), expected());
    let role = of_kind(&d, "Role");
    assert_eq!(role["rules"][0]["resourceNames"][0], "chat-secrets");
    assert_eq!(role["rules"][0]["verbs"].as_sequence().unwrap().len(), 1);
    assert_eq!(of_kind(&d, "RoleBinding")["subjects"][0]["name"], "api");
    yaml_1_1_readers_agree(&file);
}

/// kubectl reads YAML as 1.1 (`on` is a boolean there); `PyYAML` reads it the same way, so a
/// value that round-trips through `PyYAML` round-trips through kubectl.
fn yaml_1_1_readers_agree(file: &Path) {
    if kubernetes_validate().is_none() {
        return;
    }
    let script = "import json,sys,yaml\n\
        docs=[d for d in yaml.safe_load_all(open(sys.argv[1])) if d]\n\
        cm=[d for d in docs if d['kind']=='ConfigMap'][0]\n\
        print(json.dumps(cm['data']))";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let data: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(data["LOG_LEVEL"], "on");
    assert_eq!(data["GREETING"], "hello\n  world\n");
    assert_eq!(data["DB_USER"], "app");
}

#[test]
fn service_env_entries_are_valid_container_env_and_hold_no_value() {
    let p = project();
    let out = p
        .cmd()
        .args([
            "export",
            "--format",
            "k8s",
            "--service",
            "api",
            "-o",
            "api.yaml",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let (_, env_yaml) = stdout.split_once("containers[]):\n").unwrap();
    for (_, value) in EXPECTED
        .iter()
        .filter(|(k, _)| *k != "DB_USER" && *k != "LOG_LEVEL")
    {
        assert!(!stdout.contains(value), "a value reached the terminal");
    }
    let d = docs(&p.read("api.yaml"));
    assert!(
        of_kind(&d, "Secret")["data"]
            .get("SESSION_SECRET")
            .is_none()
    );
    let env: serde_yaml::Value = serde_yaml::from_str(env_yaml).unwrap();
    let entries = env["env"].as_sequence().unwrap();
    let url = entries
        .iter()
        .find(|e| e["name"] == "DATABASE_URL")
        .unwrap();
    assert_eq!(url["value"], "postgres://$(DB_USER):$(DB_PASSWORD)@db/app");
    let pw = entries.iter().find(|e| e["name"] == "DB_PASSWORD").unwrap();
    assert_eq!(pw["valueFrom"]["secretKeyRef"]["key"], "DB_PASSWORD");
    // A Pod around the entries, so the schema checks them too.
    let pod = serde_yaml::to_string(&serde_yaml::from_str::<serde_yaml::Value>(&format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\nspec:\n  containers:\n  - name: api\n    image: example/api\n{}",
        env_yaml.lines().fold(String::new(), |mut acc, l| {
            acc.push_str("    ");
            acc.push_str(l);
            acc.push('\n');
            acc
        })
    ))
    .unwrap())
    .unwrap();
    p.write("pod.yaml", pod);
    validate(&p.join("pod.yaml"));
    // On standard output the entries follow as comments, so the stream stays valid.
    let piped = p
        .cmd()
        .args([
            "export",
            "--format",
            "k8s",
            "--service",
            "worker",
            "-o",
            "-",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(piped.stdout).unwrap();
    assert!(text.contains("# envFrom:\n# - secretRef:\n#     name: "));
    p.write("worker.yaml", &text);
    validate(&p.join("worker.yaml"));
}

/// The strategy's example (`external-secrets.io/v1beta1` there; v1 is current).
const SEED_EXTERNAL_SECRET: &str = "apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: chat-secrets
  namespace: default
spec:
  refreshInterval: 1h
  secretStoreRef:
    name: aws-secrets-manager
    kind: SecretStore
  target:
    name: chat-secrets
    creationPolicy: Owner
  data:
  - secretKey: JWT_SECRET
    remoteRef:
      key: chatbox/production
      property: jwt_secret
  - secretKey: ENCRYPTION_KEY
    remoteRef:
      key: chatbox/production
      property: encryption_key
  - secretKey: S3_ACCESS_KEY_ID
    remoteRef:
      key: chatbox/production
      property: s3_access_key_id
  - secretKey: S3_SECRET_ACCESS_KEY
    remoteRef:
      key: chatbox/production
      property: s3_secret_access_key
";

#[test]
fn external_secret_matches_the_strategy_example() {
    let p = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  chat:\n    image: chatbox\n    environment:\n      JWT_SECRET: ${JWT_SECRET}\n      \
             ENCRYPTION_KEY: ${ENCRYPTION_KEY}\n      S3_ACCESS_KEY_ID: ${S3_ACCESS_KEY_ID}\n      \
             S3_SECRET_ACCESS_KEY: ${S3_SECRET_ACCESS_KEY}\n      S3_BUCKET: ${S3_BUCKET}\n",
        )
        .file(
            ".env.example",
            "JWT_SECRET=\nENCRYPTION_KEY=\nS3_ACCESS_KEY_ID=\nS3_SECRET_ACCESS_KEY=\nS3_BUCKET=chat\n",
        );
    // No live file is needed: an ExternalSecret names secrets, it carries no value.
    let out = p
        .cmd()
        .args([
            "export",
            "--format",
            "external-secret",
            "--name",
            "chat-secrets",
            "--store",
            "aws-secrets-manager",
            "--remote-key",
            "chatbox/production",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: serde_yaml::Value = serde_yaml::from_slice(&out.stdout).unwrap();
    let want: serde_yaml::Value = serde_yaml::from_str(SEED_EXTERNAL_SECRET).unwrap();
    assert_eq!(got, want);
    p.cmd()
        .args(["export", "--format", "external-secret"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--store"));
}

#[test]
fn docker_env_file_refuses_a_multi_line_value_by_name_and_writes_nothing() {
    let p = project();
    let before = p.snapshot();
    p.cmd()
        .args(["export", "--format", "docker", "-o", "app.env"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("GREETING, TLS_PRIVATE_KEY: "))
        .stderr(predicates::str::contains("MIIEvQ").not());
    assert_eq!(p.snapshot(), before);
    let single = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  a:\n    image: x\n    env_file: .env\n",
        )
        .file(".env", "A_PASSWORD='p \"q\" #r '\nB=2\n");
    single
        .cmd()
        .args(["export", "--format", "env", "-o", "app.env"])
        .assert()
        .success();
    assert_eq!(single.read("app.env"), "A_PASSWORD=p \"q\" #r \nB=2\n");
    let mode = std::fs::metadata(single.join("app.env"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn json_is_an_object_of_what_compose_reads() {
    let p = project();
    let out = p
        .cmd()
        .args(["export", "--format", "json", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for (k, v) in EXPECTED {
        assert_eq!(got[k], v, "{k}");
    }
}

#[test]
fn placeholders_and_missing_values_stop_the_export_unless_allowed() {
    let p = TestProject::new()
        .file(
            "compose.yaml",
            "services:\n  a:\n    image: x\n    environment:\n      T: ${API_TOKEN}\n      P: ${DB_PASSWORD:?set it}\n",
        )
        .file(".env", "API_TOKEN=your_token_here\n");
    let before = p.snapshot();
    p.cmd()
        .args(["export", "--format", "k8s", "-o", "out.yaml"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("API_TOKEN"))
        .stderr(predicates::str::contains("DB_PASSWORD"))
        .stderr(predicates::str::contains("your_token_here").not());
    assert_eq!(p.snapshot(), before);
    p.cmd()
        .args([
            "export",
            "--format",
            "k8s",
            "--allow-incomplete",
            "-o",
            "out.yaml",
        ])
        .assert()
        .success();
    p.cmd()
        .args(["export", "--format", "k8s", "--service", "nope", "-o", "-"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("services are: a"));
}

use predicates::prelude::PredicateBooleanExt;
