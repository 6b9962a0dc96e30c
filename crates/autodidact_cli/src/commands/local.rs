//! The commands that work on the local database (`log --user`, `week`, `demo`): the database
//! is found as `serve` finds it (flags, environment, config file), opened and migrated on a
//! small runtime, and closed when the work is done, whether it succeeded or not.

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use autodidact_core::accounts::Handle;
use autodidact_core::store::{AccountStore, User};
use autodidact_store::Db;

use crate::commands::serve::{open_database, redact};
use crate::config::{ServerArgs, ServerConfig};

/// Runs `work` with the local database of `--config` / `--database-url`.
pub(crate) fn with_database<T>(
    config: Option<PathBuf>,
    database_url: Option<String>,
    work: impl AsyncFnOnce(&Db, &ServerConfig) -> Result<T>,
) -> Result<T> {
    let config = ServerArgs {
        config,
        database_url,
        ..ServerArgs::default()
    }
    .resolve()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let db = open_database(&config).await?;
        let outcome = work(&db, &config).await;
        db.close().await;
        outcome
    })
}

/// The learner `@handle`, or an error that says how to get one.
pub(crate) async fn learner(db: &Db, handle: &Handle, config: &ServerConfig) -> Result<User> {
    db.user_by_handle(handle).await?.ok_or_else(|| {
        anyhow!(
            "there is no learner @{handle} in {}: sign up on the web app first",
            redact(&config.database_url)
        )
    })
}

/// A new random secret, as the web app makes them (sessions, tokens, idempotency keys).
pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    autodidact_core::secrets::token_text(&bytes)
}

/// An argon2id hash of `password` with a fresh random salt.
pub(crate) fn hash_password(password: &autodidact_core::accounts::Password) -> Result<String> {
    let mut salt = [0u8; 16];
    rand::fill(&mut salt);
    autodidact_core::secrets::hash_password(password, &salt).map_err(|e| anyhow!("{e}"))
}

/// A one-time link to set `user`'s password, on the server's base URL.
pub(crate) async fn reset_link(db: &Db, user: &User, base_url: &str) -> Result<String> {
    let mut random = [0u8; 32];
    rand::fill(&mut random);
    let now = jiff::Timestamp::now();
    let (_, token) =
        autodidact_core::accounts::start_password_reset(db, user.handle.as_str(), &random, now)
            .await?
            .ok_or_else(|| anyhow!("@{} is gone", user.handle))?;
    Ok(autodidact_core::accounts::reset_url(base_url, &token))
}
