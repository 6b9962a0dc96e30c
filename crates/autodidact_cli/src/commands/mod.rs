//! One module per command. Each turns its arguments into core calls and prints the result.

pub mod account;
pub mod backup;
mod check;
mod convert;
pub mod demo;
pub mod limits;
pub mod links;
mod local;
pub mod log;
mod plan;
pub(crate) mod seed;
mod serve;
pub mod site;
mod templates;
mod timer;
pub mod verify;
pub mod week;

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use autodidact_core::curriculum::{Curriculum, MAX_FILE_BYTES, check_toml};
use autodidact_core::templates as shipped;

use crate::cli::{Cli, Command};
use crate::files::read_text;

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Check { file } => check::run(&file),
        Command::Plan(args) => plan::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Templates { format } => templates::list(format).map(|()| ExitCode::SUCCESS),
        Command::New {
            template,
            file,
            force,
        } => templates::new(&template, &file, force).map(|()| ExitCode::SUCCESS),
        Command::Import {
            file,
            from,
            output,
            force,
            into: Some(into),
            user,
            yes,
            database_url,
            config,
        } => {
            let _ = (output, force);
            let target = convert::IntoCurriculum {
                curriculum: into,
                user: user.unwrap_or_default(),
                yes,
                database_url,
                config,
            };
            convert::import_into(&file, from, &target).map(|()| ExitCode::SUCCESS)
        }
        Command::Import {
            file,
            from,
            output,
            force,
            ..
        } => {
            let output = output.unwrap_or_else(|| std::path::PathBuf::from("-"));
            convert::import(&file, from, &output, force).map(|()| ExitCode::SUCCESS)
        }
        Command::Log(args) => log::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Serve(args) => serve::serve(&args).map(|()| ExitCode::SUCCESS),
        Command::Migrate(args) => serve::migrate(&args).map(|()| ExitCode::SUCCESS),
        Command::Demo(args) => demo::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Account(args) => account::run(&args).map(|()| ExitCode::SUCCESS),
        Command::SeedLoad(args) => seed::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Week(args) => week::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Site(args) => site::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Links(args) => links::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Limits(args) => limits::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Verify(args) => verify::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Backup(args) => backup::backup(&args).map(|()| ExitCode::SUCCESS),
        Command::Restore(args) => backup::restore(&args).map(|()| ExitCode::SUCCESS),
        Command::ConfigDoc => {
            print!("{}", crate::config::config_doc());
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            file,
            to,
            output,
            force,
        } => convert::export(&file, to, output.as_deref(), force).map(|()| ExitCode::SUCCESS),
    }
}

/// Loads a curriculum from a file, or from a shipped template when no such file exists.
/// Warnings go to standard error; errors stop with every diagnostic listed.
pub fn load_curriculum(arg: &str) -> Result<Curriculum> {
    let path = Path::new(arg);
    if !path.exists() {
        if let Some(template) = shipped::find(arg) {
            return template.curriculum().map_err(|diagnostics| {
                let lines: Vec<String> = diagnostics.iter().map(|d| d.render(arg)).collect();
                anyhow::anyhow!("the shipped template is broken:\n{}", lines.join("\n"))
            });
        }
        bail!(
            "there is no file or template named `{arg}`: give a curriculum file, or a template id from `autodidact templates`"
        );
    }
    let source = read_text(path, MAX_FILE_BYTES)?;
    let checked = check_toml(&source);
    for d in checked.warnings() {
        eprintln!("{}", d.render(arg));
    }
    match checked.curriculum {
        Some(curriculum) => Ok(curriculum),
        None => {
            let errors: Vec<String> = checked.errors().map(|d| d.render(arg)).collect();
            bail!(
                "{arg} has {} to fix first:\n{}",
                plural(errors.len(), "error"),
                errors.join("\n")
            )
        }
    }
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
