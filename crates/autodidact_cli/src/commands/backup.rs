//! `autodidact backup` and `autodidact restore`: an online, consistent copy of a SQLite
//! database, and putting one back. PostgreSQL has its own tools (pg_dump, pg_restore), and
//! both commands say so.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use autodidact_store::Db;

use crate::commands::local::with_database;
use crate::config::{ServerArgs, ServerConfig};

#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  autodidact backup --to autodidact-2026-12-07.db")]
pub struct BackupArgs {
    /// The new file to write the copy to (it must not exist).
    #[arg(long, value_name = "FILE")]
    pub to: PathBuf,
    /// The database, as for `serve` [default: SQLite in the user's data directory].
    #[arg(long, env = "AUTODIDACT_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// A config file, as for `serve`.
    #[arg(long, env = "AUTODIDACT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example (with the server stopped):\n  autodidact restore autodidact-2026-12-07.db --force"
)]
pub struct RestoreArgs {
    /// A backup made by `autodidact backup`.
    pub file: PathBuf,
    /// Replace the database if it exists. Stop the server first.
    #[arg(long)]
    pub force: bool,
    /// The database to restore into, as for `serve` [default: SQLite in the user's data
    /// directory].
    #[arg(long, env = "AUTODIDACT_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// A config file, as for `serve`.
    #[arg(long, env = "AUTODIDACT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub fn backup(args: &BackupArgs) -> Result<()> {
    with_database(
        args.config.clone(),
        args.database_url.clone(),
        async |db, _| {
            let started = std::time::Instant::now();
            db.backup_to(&args.to).await?;
            let copy = Db::connect(&sqlite_url(&args.to)).await?;
            let found = copy.verify().await;
            copy.close().await;
            let found = found?;
            if !found.is_sound() {
                bail!(
                    "the copy at {} does not check out ({found:?}): keep the old backups",
                    args.to.display()
                );
            }
            println!(
                "Backed up to {} in {:.1} s: {} study logs; integrity ok, running totals equal to the logs.",
                args.to.display(),
                started.elapsed().as_secs_f64(),
                found.logs
            );
            Ok(())
        },
    )
}

pub fn restore(args: &RestoreArgs) -> Result<()> {
    let config: ServerConfig = ServerArgs {
        config: args.config.clone(),
        database_url: args.database_url.clone(),
        ..ServerArgs::default()
    }
    .resolve()?;
    let Some(target) = sqlite_path(&config.database_url) else {
        bail!(
            "restore works on a SQLite database; for PostgreSQL use pg_restore (see docs/OPERATIONS.md)"
        );
    };
    if !args.file.is_file() {
        bail!(
            "{} is not a file: give a backup made by `autodidact backup`",
            args.file.display()
        );
    }
    if target.exists() && !args.force {
        bail!(
            "{} exists: stop the server, then pass --force to replace it with the backup",
            target.display()
        );
    }
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // A copy next to the target is checked (and brought to this version's schema) before it
    // takes the target's place in one rename.
    let staged = dir.join(format!(".autodidact-restore-{}.db", std::process::id()));
    std::fs::copy(&args.file, &staged).with_context(|| {
        format!(
            "cannot copy {} to {}",
            args.file.display(),
            staged.display()
        )
    })?;
    let checked = check_staged(&staged);
    if let Err(e) = checked {
        let _ = std::fs::remove_file(&staged);
        return Err(e);
    }
    let logs = checked?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        let _ = std::fs::remove_file(side);
    }
    std::fs::rename(&staged, &target)
        .with_context(|| format!("cannot move the restored copy to {}", target.display()))?;
    println!(
        "Restored {} into {}: {logs} study logs; integrity ok, running totals equal to the logs.",
        args.file.display(),
        target.display()
    );
    Ok(())
}

/// Opens the staged copy, migrates it and checks it: its study logs.
fn check_staged(staged: &Path) -> Result<i64> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let db = Db::connect(&sqlite_url(staged)).await?;
        let outcome = async {
            db.migrate()
                .await
                .context("the backup's schema cannot be brought up to date")?;
            let found = db.verify().await?;
            if !found.is_sound() {
                bail!("the backup does not check out ({found:?}): nothing was restored");
            }
            Ok(found.logs)
        }
        .await;
        db.close().await;
        outcome
    })
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// The file of a `sqlite://PATH` URL.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}
