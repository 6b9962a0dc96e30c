#![allow(clippy::unwrap_used, clippy::expect_used)]

mod backup;
mod commands;
mod demo;
mod fixtures;
mod links;
mod log;
mod multinode;
mod site;
mod takeout;
mod week;

use std::path::Path;
use std::process::{Command, Output};

/// Runs the real `autodidact` binary in `dir`.
pub fn autodidact(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_autodidact"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
