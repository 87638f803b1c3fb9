//! The kinds of mistakes blind sweep 24 found (Tolgee, kan, Shuffle), through the real
//! binary: what `check` says and what `fill` writes.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::TestProject;

/// Tolgee: the app reads `spring.datasource.password` and a `jdbc:postgresql://db…` URL; `db`
/// keeps the literal `POSTGRES_PASSWORD=postgres`. `fill` must leave the password (a new one
/// locks the app out of its database) and name the literal.
#[test]
fn a_password_beside_a_jdbc_url_to_a_compose_literal_is_left() {
    let compose = "services:\n  db:\n    image: postgres:11\n    environment:\n      - POSTGRES_PASSWORD=postgres\n  app:\n    image: tolgee/tolgee\n    env_file:\n      - .env\n";
    for (url, pw, scheme) in [
        ("spring.datasource.url", "spring.datasource.password", "jdbc:postgresql"),
        ("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_PASSWORD", "jdbc:postgresql"),
        ("spring.datasource.url", "spring.datasource.password", "JDBC:postgresql"),
    ] {
        let env = format!("{url}={scheme}://db:5432/postgres\n{pw}=postgres\n");
        let p = TestProject::new()
            .file("docker-compose.yml", compose)
            .file(".env", &env);
        std::fs::set_permissions(p.join(".env"), std::fs::Permissions::from_mode(0o600)).unwrap();
        let step = format!(
            "kept in two places, to change in both together: {pw} (also POSTGRES_PASSWORD in docker-compose.yml:5)"
        );
        let out = p
            .cmd()
            .args(["fill", "--yes", "--no-color"])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with("nothing to fill"), "{pw}: {text}");
        assert!(text.contains(&step), "{text}");
        assert_eq!(p.read(".env"), env);
    }
}
