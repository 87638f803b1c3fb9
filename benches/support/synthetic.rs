//! The synthetic project of the benchmarks and of the work-counting test: `services` services,
//! each reading ten variables of different kinds (passwords, hosts, ports, provider tokens,
//! signing keys, a URL carrying a password), so 1,000 services make 10,000 variables and
//! 13,000 compose lines. The live values mix strong, weak, placeholder and empty ones.
//!
//! Shared by `benches/analysis.rs`, `examples/synthetic.rs` (which writes it to a directory
//! for the whole-process benchmarks) and `tests/work_counts.rs`, so every figure is about the
//! same project.

use std::fmt::Write;

/// The three files of a synthetic project.
pub struct Project {
    /// `compose.yaml`.
    pub compose: String,
    /// `.env.example`.
    pub example: String,
    /// `.env`.
    pub live: String,
}

/// The project of `services` services and ten times as many variables.
pub fn project(services: usize) -> Project {
    let suffixes = [
        "PASSWORD",
        "USER",
        "HOST",
        "PORT",
        "API_TOKEN",
        "SIGNING_KEY",
        "DB",
        "VERIFY_TOKEN",
        "URL_BASE",
        "LOG_LEVEL",
    ];
    let mut compose = String::from("services:\n");
    let mut example = String::new();
    let mut live = String::new();
    for s in 0..services {
        let _ = writeln!(
            compose,
            "  svc{s}:\n    image: example/svc{s}:1\n    environment:"
        );
        let _ = writeln!(example, "\n# Service {s}");
        for (j, suffix) in suffixes.iter().enumerate() {
            let name = format!("SVC{s}_{suffix}");
            if j == 8 {
                let _ = writeln!(
                    compose,
                    "      DSN_{j}: postgres://u:${{SVC{s}_PASSWORD}}@db/${{{name}:-app}}"
                );
            } else {
                let _ = writeln!(compose, "      V{j}: ${{{name}}}");
            }
            let _ = writeln!(example, "{name}=change_me");
            // A mix of strong, weak, placeholder and empty values.
            let value = match (s + j) % 4 {
                0 => format!("k{s}Xq9{j}vB2nM5tY8cF4hJ6gD0sA3eL7uI1oK9wR"),
                1 => "changeme".to_string(),
                2 => format!("short{j}"),
                _ => String::new(),
            };
            let _ = writeln!(live, "{name}={value}");
        }
    }
    Project {
        compose,
        example,
        live,
    }
}

/// The same project with `env_file: .env` on every service, as many real projects load one
/// shared file into each container: every service then reads every variable.
pub fn project_loading_env_file(services: usize) -> Project {
    let mut p = project(services);
    p.compose = p.compose.replace(
        ":1\n    environment:",
        ":1\n    env_file: .env\n    environment:",
    );
    p
}
