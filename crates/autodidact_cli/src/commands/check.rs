//! `autodidact check FILE`

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use autodidact_core::curriculum::{MAX_FILE_BYTES, check_toml};

use super::plural;
use crate::files::read_text;

pub fn run(file: &Path) -> Result<ExitCode> {
    let name = file.display().to_string();
    let source = read_text(file, MAX_FILE_BYTES)?;
    let checked = check_toml(&source);
    for d in &checked.diagnostics {
        println!("{}", d.render(&name));
    }
    let errors = checked.errors().count();
    let warnings = checked.warnings().count();
    match &checked.curriculum {
        Some(c) => {
            let items = c.items().count();
            println!(
                "{name}: ok: {} in {}, {} planned{}",
                plural(items, "item"),
                plural(c.phases.len(), "phase"),
                c.total_planned(),
                if warnings > 0 {
                    format!(", {}", plural(warnings, "warning"))
                } else {
                    String::new()
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        None => {
            eprintln!(
                "{name}: {} and {} to fix",
                plural(errors, "error"),
                plural(warnings, "warning")
            );
            Ok(ExitCode::FAILURE)
        }
    }
}
