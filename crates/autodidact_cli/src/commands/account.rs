//! `autodidact account …`: a learner's whole account on the local database (the one `serve`
//! uses): the takeout as one JSON file, its import into an empty account (made when missing),
//! deleting the account, and a one-time link to set a new password.

use std::path::PathBuf;

use anyhow::{Result, anyhow, bail};
use autodidact_core::accounts::{Handle, Password, Settings};
use autodidact_core::secrets::hash_token;
use autodidact_core::store::{
    AccountDataStore, AccountStore, NewUser, TokenScope, TokenStore, User,
};
use autodidact_core::takeout::{
    MAX_TAKEOUT_BYTES, check_takeout, email_of, export_account, import_account,
};
use autodidact_store::Db;
use jiff::Timestamp;

use crate::commands::local::{hash_password, learner, random_token, with_database};
use crate::files::{read_limited, write_output};

#[derive(Debug, clap::Args)]
pub struct AccountArgs {
    #[command(subcommand)]
    pub action: AccountAction,
    /// The database, as for `serve` [default: SQLite in the user's data directory].
    #[arg(
        long,
        global = true,
        env = "AUTODIDACT_DATABASE_URL",
        value_name = "URL"
    )]
    pub database_url: Option<String>,
    /// A config file, as for `serve`.
    #[arg(long, global = true, env = "AUTODIDACT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The address people use, for the link `reset-password` prints [default: as for `serve`].
    #[arg(long, global = true, env = "AUTODIDACT_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
pub enum AccountAction {
    /// Write everything the learner owns to one JSON file (docs/takeout.md).
    #[command(after_help = "Example:\n  autodidact account export --user ada -o ada-takeout.json")]
    Export {
        /// The learner's handle.
        #[arg(long, value_name = "HANDLE")]
        user: String,
        /// Where to write the takeout; `-` for standard output.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Bring a takeout into an empty account, all of it or nothing; the account is made when
    /// there is none with this handle (set its password with `account reset-password`).
    #[command(after_help = "Example:\n  autodidact account import ada-takeout.json --user ada")]
    Import {
        /// The takeout file (at most 64 MB).
        file: PathBuf,
        /// The handle of the account to import into.
        #[arg(long, value_name = "HANDLE")]
        user: String,
    },
    /// Delete the learner's account and everything they own, for good.
    Delete {
        #[arg(long, value_name = "HANDLE")]
        user: String,
    },
    /// Make a personal access token for the API and print it (once: only its hash is kept).
    #[command(
        after_help = "Example:\n  autodidact account token --user ada --name laptop --scope read-write"
    )]
    Token {
        #[arg(long, value_name = "HANDLE")]
        user: String,
        /// A name to recognise it by on /settings/tokens.
        #[arg(long, default_value = "command line")]
        name: String,
        /// `read` or `read-write`.
        #[arg(long, default_value = "read")]
        scope: String,
    },
    /// Print a one-time link to set a new password (for the operator, when email is not set
    /// up); it works once and expires.
    ResetPassword {
        #[arg(long, value_name = "HANDLE")]
        user: String,
    },
}

fn handle(raw: &str) -> Result<Handle> {
    Handle::parse(raw).map_err(|e| anyhow!("--user: {e}"))
}

pub fn run(args: &AccountArgs) -> Result<()> {
    let (config, url) = (args.config.clone(), args.database_url.clone());
    match &args.action {
        AccountAction::Export {
            user,
            output,
            force,
        } => {
            let handle = handle(user)?;
            with_database(config, url, async |db, config| {
                let user = learner(db, &handle, config).await?;
                let started = std::time::Instant::now();
                let doc = export_account(db, user.id, Timestamp::now())
                    .await?
                    .ok_or_else(|| anyhow!("@{handle} is gone"))?;
                let text = serde_json::to_string_pretty(&doc)?;
                write_output(Some(output), &text, *force)?;
                eprintln!(
                    "Wrote the takeout of @{handle} ({} curricula, {} plans, {} logs, {:.1} MB) in {:.2} s.",
                    doc.curricula.len(),
                    doc.follows.len(),
                    doc.logs.len(),
                    text.len() as f64 / 1_048_576.0,
                    started.elapsed().as_secs_f64(),
                );
                Ok(())
            })
        }
        AccountAction::Import { file, user } => {
            let handle = handle(user)?;
            let bytes = read_limited(file, MAX_TAKEOUT_BYTES)?;
            // The file is read whole and every value checked before the database is opened,
            // so that no account is made for a file that is refused.
            let doc = check_takeout(&bytes).map_err(|e| anyhow!("{}: {e}", file.display()))?;
            with_database(config, url, async |db, _| {
                let (user, made) = match db.user_by_handle(&handle).await? {
                    Some(user) => (user, false),
                    None => (new_account(db, &handle, &email_of(&doc)?).await?, true),
                };
                let imported = import_account(db, &user, &bytes).await;
                if imported.is_err() && made {
                    db.delete_user(user.id).await?;
                }
                let done = imported.map_err(|e| anyhow!("{}: {e}", file.display()))?;
                println!(
                    "Imported into @{handle}: {} curricula, {} plans, {} logs, {} commitments, {} items to revisit.",
                    done.curricula, done.follows, done.logs, done.commitments, done.reviews
                );
                Ok(())
            })
        }
        AccountAction::Delete { user } => {
            let handle = handle(user)?;
            with_database(config, url, async |db, config| {
                let user = learner(db, &handle, config).await?;
                db.delete_user(user.id).await?;
                println!("Deleted @{handle} and everything they owned.");
                Ok(())
            })
        }
        AccountAction::Token { user, name, scope } => {
            let handle = handle(user)?;
            let scope = TokenScope::parse(scope)
                .ok_or_else(|| anyhow!("--scope: `{scope}` is not read or read-write"))?;
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 100 {
                bail!("--name: give 1 to 100 characters");
            }
            with_database(config, url, async |db, config| {
                let user = learner(db, &handle, config).await?;
                let secret = format!("adt_{}", random_token());
                db.create_token(user.id, name, &hash_token(&secret), scope, Timestamp::now())
                    .await?;
                println!("{secret}");
                eprintln!(
                    "A {} token for @{handle}: keep it secret; it is shown only now.",
                    scope.as_str()
                );
                Ok(())
            })
        }
        AccountAction::ResetPassword { user } => {
            let handle = handle(user)?;
            with_database(config, url, async |db, config| {
                let user = learner(db, &handle, config).await?;
                let base = args.base_url.as_deref().unwrap_or(&config.web.base_url);
                let link = crate::commands::local::reset_link(db, &user, base).await?;
                println!("{link}");
                eprintln!(
                    "The link works once, within an hour. Nothing else changes until it is used."
                );
                Ok(())
            })
        }
    }
}

/// An account for an import, with a password nobody knows until it is reset.
async fn new_account(
    db: &Db,
    handle: &Handle,
    email: &autodidact_core::accounts::Email,
) -> Result<User> {
    if db.credentials(email.as_str()).await?.is_some() {
        bail!(
            "another account has the takeout's email {}: import into that account, or make @{handle} on the web app first",
            email.as_str()
        );
    }
    let secret = Password::for_sign_in(&random_token());
    Ok(db
        .create_user(NewUser {
            handle: handle.clone(),
            display_name: handle.as_str().to_owned(),
            email: email.clone(),
            password_hash: hash_password(&secret)?,
            settings: Settings::default(),
            now: Timestamp::now(),
        })
        .await?)
}
