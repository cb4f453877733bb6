//! The `entente` command: argument parsing and dispatch, nothing more.

mod args;
mod commands;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use args::Cli;

/// mimalloc rather than the system allocator: runs allocate and free small
/// objects at a high rate on every worker thread, where glibc's allocator
/// costs a sweep a tenth of its parallel speed-up (ARCHITECTURE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use entente_runner::{EXIT_BUG, EXIT_INPUT, EXIT_OK, Error};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // --help and --version are not errors.
            return ExitCode::from(if e.use_stderr() {
                EXIT_INPUT as u8
            } else {
                EXIT_OK as u8
            });
        }
    };
    match commands::dispatch(cli) {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {}", display_error(&e));
            ExitCode::from(exit_code(&e) as u8)
        }
    }
}

fn display_error(e: &anyhow::Error) -> String {
    match e.downcast_ref::<Error>() {
        Some(inner) => inner.to_string(),
        None => format!("internal error: {e:#}\nthis is a bug in entente; please report it"),
    }
}

/// Every error the runner can name has its status; anything else is a
/// fault of the program's own.
fn exit_code(e: &anyhow::Error) -> i32 {
    e.downcast_ref::<Error>().map_or(EXIT_BUG, Error::exit_code)
}
