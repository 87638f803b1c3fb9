//! What blind sweep 26 found envward misread (cognee): one test per kind, on small projects
//! built in memory.

use super::testkit::{analysed as run, vars_of};
use super::{Class, RuleId};

#[test]
fn a_user_slash_password_literal_in_neo4j_auth_is_hardcoded() {
    // cognee: `NEO4J_AUTH=neo4j/pleaseletmein` sets the server's password; no env file can
    // change it. The list form and the map form alike.
    for env in [
        "      - NEO4J_AUTH=neo4j/pleaseletmein\n",
        "      NEO4J_AUTH: neo4j/pleaseletmein\n",
        "      NEO4J_AUTH: ${NEO4J_USER:-neo4j}/pleaseletmein\n",
    ] {
        let compose =
            format!("services:\n  neo4j:\n    image: neo4j:5.26\n    environment:\n{env}");
        let inv = run(&compose, "A=1\n", "A=1\n");
        assert_eq!(vars_of(&inv, RuleId::Hardcoded), ["NEO4J_AUTH"], "{env}");
        let f = inv
            .findings
            .iter()
            .find(|f| f.rule == RuleId::Hardcoded)
            .unwrap();
        assert!(!f.message.contains("pleaseletmein"), "{}", f.message);
    }
    // `none` turns authentication off; a reference in the password's part is the env file's;
    // an image that is not neo4j reads its own NEO4J_AUTH however it likes.
    for (image, env) in [
        ("neo4j:5", "NEO4J_AUTH: none"),
        ("neo4j:5", "NEO4J_AUTH: neo4j/${NEO4J_PASSWORD}"),
        (
            "neo4j:5",
            "NEO4J_AUTH: ${NEO4J_USER}/${NEO4J_PASSWORD:-password}",
        ),
        ("neo4j:5", "NEO4J_AUTH: ${NEO4J_AUTH}"),
        ("example/app", "NEO4J_AUTH: neo4j/pleaseletmein"),
    ] {
        let compose =
            format!("services:\n  graph:\n    image: {image}\n    environment:\n      {env}\n");
        let inv = run(&compose, "A=1\n", "A=1\n");
        assert!(vars_of(&inv, RuleId::Hardcoded).is_empty(), "{image} {env}");
    }
}

#[test]
fn the_reference_after_neo4j_auths_slash_is_the_servers_password() {
    // graphiti: `NEO4J_AUTH=${NEO4J_USER}/${NEO4J_PASSWORD}`: the password, not the user,
    // nor a variable holding the whole `user/password` (a generated one would lose `neo4j/`).
    let compose = "services:\n  neo4j:\n    image: neo4j:5.26\n    environment:\n      - NEO4J_AUTH=${NEO4J_USER}/${NEO4J_PASSWORD}\n  other:\n    image: neo4j:5.26\n    environment:\n      - NEO4J_AUTH=${GRAPH_AUTH}\n";
    let env = "NEO4J_USER=neo4j\nNEO4J_PASSWORD=\nGRAPH_AUTH=neo4j/x\n";
    let inv = run(compose, env, env);
    let password = inv.get("NEO4J_PASSWORD").unwrap();
    assert_eq!(password.class, Class::Secret);
    assert!(
        password
            .classified_by
            .contains("image neo4j reads it as NEO4J_AUTH"),
        "{}",
        password.classified_by
    );
    for name in ["NEO4J_USER", "GRAPH_AUTH"] {
        let v = inv.get(name).unwrap();
        assert!(
            !v.classified_by.contains("image neo4j"),
            "{name}: {}",
            v.classified_by
        );
    }
}

#[test]
fn a_vendor_cloud_token_is_the_vendors_even_beside_a_service_of_its_name() {
    // cognee: `COGNEE_CLOUD_AUTH_TOKEN` is a Cognee Cloud API key, beside a service called
    // `cognee`.
    let env = "COGNEE_CLOUD_AUTH_TOKEN=\"your-api-key\"\n";
    let class_of =
        |compose: &str, name: &str, env: &str| run(compose, env, env).get(name).unwrap().class;
    let cognee =
        "services:\n  cognee:\n    image: busybox\n    volumes:\n      - .env:/app/.env:ro\n";
    assert_eq!(
        class_of(cognee, "COGNEE_CLOUD_AUTH_TOKEN", env),
        Class::External
    );
    // The control the sweep ran: another service name gave `external` already.
    let app = cognee.replace("  cognee:", "  app:");
    assert_eq!(
        class_of(&app, "COGNEE_CLOUD_AUTH_TOKEN", env),
        Class::External
    );
    // Without the cloud word, a key named after the project's own service stays its own.
    let own = "COGNEE_AUTH_TOKEN=\"your-api-key\"\n";
    assert_eq!(class_of(cognee, "COGNEE_AUTH_TOKEN", own), Class::Secret);
    // A project that runs a cloud itself (AppFlowy-Cloud's `appflowy_cloud` service) keeps
    // its `<NAME>_CLOUD_…` keys.
    let runs_cloud = "services:\n  appflowy_cloud:\n    image: busybox\n    volumes:\n      - .env:/app/.env:ro\n";
    let env = "APPFLOWY_CLOUD_API_KEY=\"your-api-key\"\n";
    assert_eq!(
        class_of(runs_cloud, "APPFLOWY_CLOUD_API_KEY", env),
        Class::Secret
    );
}

#[test]
fn a_failure_without_the_value_outranks_an_only_needed_condition() {
    // opencloud: the comment opens "only needed when using the built-in LDAP server (idm)",
    // the default setup, and goes on "If not set, <the app> will not work properly".
    let compose = "services:\n  opencloud:\n    image: opencloudeu/opencloud-rolling:7\n    environment:\n      IDM_ADMIN_PASSWORD: \"${INITIAL_ADMIN_PASSWORD}\"\n";
    let env_with = |failure: &str| {
        format!(
            "# Admin Password for the admin user.\n# NOTE: This is only needed when using the built-in LDAP server (idm).\n# {failure}\nINITIAL_ADMIN_PASSWORD=\n"
        )
    };
    let missing = |compose: &str, failure: &str| {
        let env = env_with(failure);
        vars_of(&run(compose, &env, &env), RuleId::Missing)
    };
    for failure in [
        "If not set, the app will not work properly. The container will be restarting.",
        "If not set, opencloud will not work properly.",
        "Without it, the opencloud server won't start.",
    ] {
        assert_eq!(
            missing(compose, failure),
            ["INITIAL_ADMIN_PASSWORD"],
            "{failure}"
        );
    }
    // A feature's failure, or a subject that is no service of this project, leaves the
    // condition in force.
    for failure in [
        "If not set, uploads will not work.",
        "If not set, the notifications service will not start.",
        "If not set, it will not work.",
        "Documentation: https://docs.opencloud.eu",
    ] {
        assert!(missing(compose, failure).is_empty(), "{failure}");
    }
    let other = compose
        .replace("opencloud:", "cloud:")
        .replace("opencloudeu/opencloud-rolling:7", "example/files:1");
    assert!(missing(&other, "If not set, opencloud will not work properly.").is_empty());
}

#[test]
fn an_ldap_bind_password_that_sets_the_projects_own_openldap_is_its_secret() {
    // opencloud's idm/ldap-keycloak.yml: `${LDAP_BIND_PASSWORD:-admin}` is the app's bind
    // password and the bundled openldap's admin password: the project's, weak by default.
    let env = "# Password of LDAP bind user \"cn=admin,dc=opencloud,dc=eu\". Defaults to \"admin\"\nLDAP_BIND_PASSWORD=\n";
    for image in [
        "bitnamilegacy/openldap:2.6",
        "bitnami/openldap:2",
        "osixia/openldap:1.5.0",
    ] {
        let compose = format!(
            "services:\n  app:\n    image: busybox\n    environment:\n      OC_LDAP_BIND_PASSWORD: ${{LDAP_BIND_PASSWORD:-admin}}\n  ldap-server:\n    image: {image}\n    environment:\n      LDAP_ADMIN_PASSWORD: ${{LDAP_BIND_PASSWORD:-admin}}\n"
        );
        let inv = run(&compose, env, env);
        assert_eq!(
            inv.get("LDAP_BIND_PASSWORD").unwrap().class,
            Class::Secret,
            "{image}"
        );
        assert_eq!(
            vars_of(&inv, RuleId::WeakDefault),
            ["LDAP_BIND_PASSWORD"],
            "{image}"
        );
    }
    // A directory the project does not run stays the outside party's: checked, not judged
    // weak, never generated.
    let compose = "services:\n  app:\n    image: busybox\n    environment:\n      OC_LDAP_BIND_PASSWORD: ${LDAP_BIND_PASSWORD:-admin}\n";
    let inv = run(compose, env, env);
    assert_eq!(
        inv.get("LDAP_BIND_PASSWORD").unwrap().class,
        Class::External
    );
    assert!(vars_of(&inv, RuleId::WeakDefault).is_empty());
}
