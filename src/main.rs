//! The `envward` binary: parse the arguments, run, exit with the code the run chose.

fn main() -> std::process::ExitCode {
    // First, so no panic anywhere can print its payload (it could quote a secret).
    envward::cli::install_panic_hook();
    // Temporary files older than this moment cannot be this run's writes in progress.
    envward::store::leftover::mark_process_start();
    envward::cli::main()
}
