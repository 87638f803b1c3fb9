//! Export planner tests on in-memory projects.

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::path::PathBuf;

use base64::Engine;

use super::*;
use crate::analysis::testkit::MemSource;
use crate::analysis::{self, EnvInput, FileFacts, Knowledge, Policy};
use crate::compose;
use crate::config::Config;
use crate::dotenv;

struct Case {
    inventory: Inventory,
    values: HashMap<String, String>,
    project: Project,
}

fn case(example: &str, live: &str, compose_text: &str) -> Case {
    let dir = PathBuf::from("/p");
    let mut files = HashMap::new();
    files.insert(dir.join("compose.yaml"), compose_text.to_string());
    files.insert(dir.join(".env"), live.to_string());
    let options = compose::Options {
        cwd: dir.clone(),
        ..compose::Options::default()
    };
    let project = compose::load(&options, &MemSource(files)).unwrap();
    let (ex, ex_err) = dotenv::parse_recovering(example);
    let (doc, errs) = dotenv::parse_recovering(live);
    let knowledge = Knowledge::builtin().unwrap();
    let env = HashMap::new();
    let (ep, lp) = (PathBuf::from(".env.example"), PathBuf::from(".env"));
    let inventory = analysis::analyze(&analysis::Input {
        example: Some(EnvInput {
            path: &ep,
            document: &ex,
            errors: &ex_err,
        }),
        example_path: &ep,
        live: Some(EnvInput {
            path: &lp,
            document: &doc,
            errors: &errs,
        }),
        live_path: &lp,
        project: &project,
        env: &env,
        live_facts: FileFacts::default(),
        knowledge: &knowledge,
        config: &Config::default(),
        policy: Policy::default(),
        now: jiff::Timestamp::UNIX_EPOCH,
        other_env_files: &[],
        live_interpolates: true,
    });
    let values = doc
        .resolve_lenient(&|_: &str| None)
        .into_iter()
        .map(|b| (b.key, b.value))
        .collect();
    Case {
        inventory,
        values,
        project,
    }
}

impl Case {
    fn export(&self, format: Format, options: &Options) -> Result<Export, ExportError> {
        plan(
            &Input {
                inventory: &self.inventory,
                values: &self.values,
                project: &self.project,
            },
            format,
            options,
        )
    }
}

fn options() -> Options {
    Options {
        name: "app".to_string(),
        namespace: "default".to_string(),
        ..Options::default()
    }
}

const STRONG: &str = "Qm9vbGVhbi1mcmVlLXJhbmRvbS1zdHJpbmctb2YtNDg";

fn docs(stream: &str) -> Vec<serde_yaml::Value> {
    stream
        .split("---\n")
        .map(|d| serde_yaml::from_str(d).unwrap())
        .collect()
}

#[test]
fn secret_data_decodes_to_the_exact_bytes_and_config_keeps_awkward_strings() {
    let live = format!(
        "DB_PASSWORD={STRONG}\nTLS_PRIVATE_KEY=\"-----BEGIN KEY-----\\nabc\\n-----END KEY-----\\n\\n\"\n\
         FEATURE=yes\nGREETING=\"  two spaces\\n\"\n"
    );
    let c = case("", &live, "services:\n  web:\n    image: x\n");
    let out = c.export(Format::K8s, &options()).unwrap();
    let d = docs(&out.document);
    assert_eq!(d[0]["kind"], "Secret");
    assert_eq!(d[0]["type"], "Opaque");
    let decode = |k: &str| {
        let text = d[0]["data"][k].as_str().unwrap();
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(decode("DB_PASSWORD"), STRONG);
    assert_eq!(
        decode("TLS_PRIVATE_KEY"),
        "-----BEGIN KEY-----\nabc\n-----END KEY-----\n\n"
    );
    assert_eq!(d[1]["kind"], "ConfigMap");
    assert_eq!(d[1]["metadata"]["name"], "app-config");
    assert_eq!(d[1]["data"]["FEATURE"], "yes");
    assert!(
        out.document.contains("  FEATURE: 'yes'\n"),
        "YAML 1.1 readers see a string"
    );
    assert_eq!(d[1]["data"]["GREETING"], "  two spaces\n");
    assert!(out.container_env.is_none());
}

#[test]
fn placeholders_and_missing_required_values_stop_the_export_by_name() {
    let c = case(
        "",
        "API_TOKEN=your_token_here\n",
        "services:\n  web:\n    image: x\n    environment:\n      A: ${API_TOKEN}\n      B: ${DB_PASSWORD:?set it}\n",
    );
    let err = c.export(Format::Json, &options()).unwrap_err();
    assert_eq!(
        err,
        ExportError::Incomplete {
            placeholders: vec!["API_TOKEN".to_string()],
            missing: vec!["DB_PASSWORD".to_string()],
        }
    );
    assert!(err.is_finding());
    assert!(!err.to_string().contains("your_token_here"));
    let allowed = Options {
        allow_incomplete: true,
        ..options()
    };
    let out = c.export(Format::Json, &allowed).unwrap();
    assert_eq!(out.document, "{\n  \"API_TOKEN\": \"your_token_here\"\n}\n");
}

#[test]
fn env_file_refuses_a_multi_line_value_naming_it() {
    let c = case(
        "",
        &format!("A_PASSWORD={STRONG}\nPEM_KEY=\"x\\ny\"\n"),
        "services: {}\n",
    );
    let err = c.export(Format::EnvFile, &options()).unwrap_err();
    assert!(
        matches!(&err, ExportError::CannotCarry { variables, .. } if variables == &["PEM_KEY"])
    );
    assert!(!err.to_string().contains("x\ny"));
    let single = case(
        "",
        &format!("A_PASSWORD={STRONG}\nNOTE= keep \"quotes\" \n"),
        "services: {}\n",
    );
    let out = single.export(Format::EnvFile, &options()).unwrap();
    assert_eq!(
        out.document,
        format!("A_PASSWORD={STRONG}\nNOTE=keep \"quotes\"\n")
    );
}

#[test]
fn external_secret_has_the_strategy_shape_and_no_values() {
    let c = case(
        "",
        &format!("JWT_SECRET={STRONG}\nLOG_LEVEL=info\n"),
        "services: {}\n",
    );
    let o = Options {
        store: Some("aws-secrets-manager".to_string()),
        remote_key: Some("chatbox/production".to_string()),
        ..options()
    };
    let out = c.export(Format::ExternalSecret, &o).unwrap();
    assert!(!out.document.contains(STRONG));
    let d = docs(&out.document);
    assert_eq!(d[0]["apiVersion"], "external-secrets.io/v1");
    assert_eq!(d[0]["spec"]["secretStoreRef"]["kind"], "SecretStore");
    assert_eq!(d[0]["spec"]["target"]["creationPolicy"], "Owner");
    let data = d[0]["spec"]["data"].as_sequence().unwrap();
    assert_eq!(data.len(), 1, "config stays out");
    assert_eq!(data[0]["secretKey"], "JWT_SECRET");
    assert_eq!(data[0]["remoteRef"]["property"], "jwt_secret");
    let missing = c.export(Format::ExternalSecret, &options()).unwrap_err();
    assert!(matches!(missing, ExportError::Usage(_)));
}

#[test]
fn service_env_entries_reference_the_secret_and_expand_composites() {
    let compose_text = "services:\n  api:\n    image: x\n    environment:\n      \
        DB_URL: postgres://${DB_USER}:${DB_PASSWORD}@db/app\n      \
        DB_PASSWORD: ${DB_PASSWORD}\n      MODE: ${MODE:-prod}\n      COST: 5$$\n  \
        other:\n    image: y\n    environment:\n      T: ${OTHER_TOKEN}\n";
    let live = format!("DB_USER=app\nDB_PASSWORD={STRONG}\nOTHER_TOKEN={STRONG}x\n");
    let c = case("", &live, compose_text);
    let o = Options {
        service: Some("api".to_string()),
        ..options()
    };
    let out = c.export(Format::K8s, &o).unwrap();
    let d = docs(&out.document);
    assert!(
        d[0]["data"].get("OTHER_TOKEN").is_none(),
        "only what api uses"
    );
    let env: serde_yaml::Value =
        serde_yaml::from_str(out.container_env.as_deref().unwrap()).unwrap();
    let env = env["env"].as_sequence().unwrap();
    let names: Vec<&str> = env.iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["DB_USER", "DB_PASSWORD", "DB_URL", "MODE", "COST"]);
    assert_eq!(env[0]["valueFrom"]["configMapKeyRef"]["name"], "app-config");
    assert_eq!(env[1]["valueFrom"]["secretKeyRef"]["key"], "DB_PASSWORD");
    assert_eq!(
        env[2]["value"],
        "postgres://$(DB_USER):$(DB_PASSWORD)@db/app"
    );
    assert_eq!(env[3]["value"], "prod");
    assert_eq!(env[4]["value"], "5$$");
    assert!(!out.container_env.unwrap().contains(STRONG));
    let unknown = c
        .export(
            Format::K8s,
            &Options {
                service: Some("nope".to_string()),
                ..options()
            },
        )
        .unwrap_err();
    assert!(unknown.to_string().contains("api, other"));
}

#[test]
fn rbac_grants_get_on_the_one_secret() {
    let c = case("", &format!("DB_PASSWORD={STRONG}\n"), "services: {}\n");
    let o = Options {
        rbac: Some("web".to_string()),
        ..options()
    };
    let d = docs(&c.export(Format::K8s, &o).unwrap().document);
    assert_eq!(d.len(), 3, "Secret, Role, RoleBinding (no empty ConfigMap)");
    assert_eq!(d[1]["kind"], "Role");
    assert_eq!(d[1]["rules"][0]["resourceNames"][0], "app");
    assert_eq!(d[1]["rules"][0]["verbs"][0], "get");
    assert_eq!(d[2]["subjects"][0]["name"], "web");
    assert_eq!(d[2]["roleRef"]["name"], "app-reader");
}

#[test]
fn names_kubernetes_would_reject_are_refused() {
    let c = case("", &format!("DB_PASSWORD={STRONG}\n"), "services: {}\n");
    let bad = Options {
        name: "My_App".to_string(),
        ..options()
    };
    assert!(matches!(
        c.export(Format::K8s, &bad),
        Err(ExportError::Usage(_))
    ));
    assert_eq!(default_name("My App_2"), "my-app-2");
    assert_eq!(default_name("__"), "envward");
}
