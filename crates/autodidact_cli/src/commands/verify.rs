//! `autodidact verify`: checks the database as a whole (the file's integrity, and the running
//! totals against the logs) and says what it found; exits 1 when something is wrong.

use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::commands::local::with_database;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  autodidact verify --database-url sqlite:///var/lib/autodidact/autodidact.db"
)]
pub struct VerifyArgs {
    /// The database, as for `serve` [default: SQLite in the user's data directory].
    #[arg(long, env = "AUTODIDACT_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// A config file, as for `serve`.
    #[arg(long, env = "AUTODIDACT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub fn run(args: &VerifyArgs) -> Result<()> {
    with_database(
        args.config.clone(),
        args.database_url.clone(),
        async |db, _| {
            let found = db.verify().await?;
            println!("integrity: {}", found.integrity.join("; "));
            println!("study logs: {}", found.logs);
            println!(
                "running totals: {} learner days and {} item days differ from their logs",
                found.learner_days_off, found.item_days_off
            );
            if !found.is_sound() {
                bail!("the database is not sound: see above");
            }
            println!("ok");
            Ok(())
        },
    )
}
