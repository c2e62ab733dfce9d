//! `cargo xtask`: see `cargo xtask --help` and the library docs (`xtask/src/lib.rs`).

fn main() -> std::process::ExitCode {
    xtask::cli::run(std::env::args_os().skip(1))
}
