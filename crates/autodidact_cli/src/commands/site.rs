//! `autodidact site --user ada --out DIR`: the learner's public profile as a static site,
//! from the local database. The site is the web app's own pages rendered to files (the web
//! crate's `build_site`),
//! built from what `sharing::compose_public` keeps: only what is public.
//!
//! The folder is written whole or not at all: the files go into a new folder beside it, which
//! then takes its place. An existing folder is replaced only when a site written here is in
//! it (its marker file), so a wrong `--out` never deletes anything else.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use autodidact_core::accounts::Handle;
use autodidact_core::follow::CurriculumCache;
use autodidact_core::sharing::{ProfileError, load_public_profile};
use autodidact_core::store::Store;
use autodidact_web::{SITE_MARKER, SiteFile, build_site};
use jiff::Timestamp;

use crate::commands::local::with_database;

#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  autodidact site --user ada --out ada-site")]
pub struct SiteArgs {
    /// The handle of the learner.
    #[arg(long, value_name = "HANDLE")]
    pub user: String,
    /// The folder to write: a new one, or one a previous `autodidact site` wrote.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The database, as for `serve` [default: SQLite in the user's data directory].
    #[arg(long, env = "AUTODIDACT_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// A config file, as for `serve`.
    #[arg(long, env = "AUTODIDACT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub fn run(args: &SiteArgs) -> Result<()> {
    let handle = Handle::parse(&args.user).map_err(|e| anyhow!("--user: {e}"))?;
    check_target(&args.out)?;
    let files = with_database(
        args.config.clone(),
        args.database_url.clone(),
        async |db, _config| {
            let store: &dyn Store = db;
            let cache = CurriculumCache::new();
            let now = Timestamp::now();
            let profile = match load_public_profile(store, &cache, &handle, now).await {
                Ok(p) => p,
                Err(ProfileError::NotFound) => bail!("--user: there is no learner @{handle}"),
                Err(e) => bail!("@{handle}: {e}"),
            };
            Ok(build_site(&profile, now)?)
        },
    )?;
    write_site(&args.out, &files)?;
    println!(
        "Wrote {} files of @{handle}'s public profile to {}: open {} in a browser.",
        files.len(),
        args.out.display(),
        args.out.join("index.html").display()
    );
    Ok(())
}

/// Refuses a folder that holds anything but a site written here.
fn check_target(out: &Path) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        bail!(
            "--out: {} is a file: give a folder to write the site into",
            out.display()
        );
    }
    let empty = out
        .read_dir()
        .with_context(|| format!("--out: cannot read {}", out.display()))?
        .next()
        .is_none();
    if !empty && !out.join(SITE_MARKER).exists() {
        bail!(
            "--out: {} is not empty and holds no site written by Autodidact: give a new folder (nothing in it is changed)",
            out.display()
        );
    }
    Ok(())
}

/// Writes the files into a new folder beside `out`, then puts it in `out`'s place.
fn write_site(out: &Path, files: &[SiteFile]) -> Result<()> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot make the folder {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".autodidact-site-")
        .tempdir_in(parent)
        .with_context(|| format!("cannot write in {}", parent.display()))?;
    for f in files {
        let path = staging.path().join(&f.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, &f.bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if out.exists() {
        std::fs::remove_dir_all(out)
            .with_context(|| format!("cannot replace {}", out.display()))?;
    }
    let staged = staging.keep();
    std::fs::rename(&staged, out)
        .with_context(|| format!("cannot move the site to {}", out.display()))?;
    Ok(())
}
