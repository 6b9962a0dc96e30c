//! The `autodidact` command line: parses arguments, reads and writes files, and calls the core.
//! No rules live here; they belong to `autodidact_core`.

mod cli;
mod commands;
mod config;
mod files;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
