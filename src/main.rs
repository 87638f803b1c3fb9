//! The `envward` binary: parse the arguments, run, exit with the code the run chose.

fn main() -> std::process::ExitCode {
    envward::cli::main()
}
