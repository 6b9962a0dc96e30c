//! The `autodidact` command line: parses arguments, reads and writes files, and calls the core.
//! No rules live here; they belong to `autodidact_core`.

mod cli;
mod commands;
mod config;
mod files;

use std::process::ExitCode;

use clap::Parser;

/// Allocations of 1 MiB or more always get their own mapping, given back to the system when
/// freed. glibc raises that threshold by itself after each large free, so the 19 MiB buffers of
/// password hashing, run on different threads, stayed in per-thread arenas: a flood of
/// sign-ins left 600 MB resident for good. Measured against mimalloc in docs/BENCHMARKS.md
/// ("Abuse and overload").
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn give_large_buffers_back() {
    // SAFETY: mallopt only sets a parameter of the allocator, and it runs first thing in
    // `main`, before any other thread exists to allocate concurrently.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn give_large_buffers_back() {}

fn main() -> ExitCode {
    give_large_buffers_back();
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
