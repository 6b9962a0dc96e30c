//! `autodidact log 90m --item fast-ai-part-1 "lesson 3"`: record study time; or time it with
//! `autodidact log --start --item fast-ai-part-1` and `autodidact log --stop` (the same timer
//! the web app shows, kept on the server; see `timer`).
//!
//! Two ways to reach the data. Locally, against the database `serve` uses, acting as
//! `--user`, through the same service as the web app (`autodidact_core::logs::record_log`),
//! so a log means the same whichever way it came in. Remotely, with `--server` and `--token`, through
//! `POST /api/v1/logs`: each run sends one fresh `Idempotency-Key` and repeats it on every
//! retry, so a retry after a lost answer never logs twice.

use crate::commands::local::{learner, with_database};
use std::path::PathBuf;
use std::thread::sleep;
use std::time::Duration;

use crate::commands::local::random_token;
use anyhow::{Result, anyhow, bail};
use autodidact_core::accounts::Handle;
use autodidact_core::curriculum::Minutes;
use autodidact_core::follow::CurriculumCache;
use autodidact_core::logs::{ItemTarget, LogInput, parse_day, parse_duration, record_log};
use autodidact_core::store::LogKind;
use clap::ValueEnum;
use jiff::Timestamp;
use jiff::civil::Date;
use serde_json::{Map, Value, json};

/// Retries after the first try, on a connection failure or a 5xx.
const RETRIES: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(500);

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  autodidact log 90m --item fast-ai-part-1 --kind learn \"lesson 3\" --user ada\n  \
                  autodidact log 1.5h --item project --server https://learn.example.org --token adt_…\n  \
                  autodidact log --start --item fast-ai-part-1 --user ada\n  \
                  autodidact log --stop --user ada"
)]
pub struct LogArgs {
    /// Time spent: minutes (45, 90m) or hours (1.5h, 1h30m); at most 24 h.
    #[arg(required_unless_present_any = ["start", "stop", "discard"])]
    pub duration: Option<String>,
    /// Start the timer (on --item, if given) instead of logging a duration.
    #[arg(long, conflicts_with_all = ["duration", "stop", "discard", "date"])]
    pub start: bool,
    /// Stop the timer and log its time (with --done, mark its item done).
    #[arg(long, conflicts_with_all = ["duration", "discard", "item", "date"])]
    pub stop: bool,
    /// Stop the timer without logging.
    #[arg(long, conflicts_with_all = ["duration", "item", "date", "done"])]
    pub discard: bool,
    /// A note about the session.
    pub note: Option<String>,
    /// The id of the item worked on, as the curriculum names it.
    #[arg(long, value_name = "ITEM")]
    pub item: Option<String>,
    /// The curriculum's id, when the item is in more than one curriculum you follow.
    #[arg(long, value_name = "ID", requires = "item")]
    pub curriculum: Option<i64>,
    /// Mark the item done with the log.
    #[arg(long)]
    pub done: bool,
    #[arg(long, value_enum, default_value_t = KindArg::Learn)]
    pub kind: KindArg,
    /// The day (YYYY-MM-DD) [default: today, in your time zone].
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Log through this server's API instead of a local database.
    #[arg(long, env = "AUTODIDACT_SERVER", value_name = "URL")]
    pub server: Option<String>,
    /// A read-write personal access token, from the server's /settings/tokens.
    #[arg(
        long,
        env = "AUTODIDACT_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// Locally: the handle of the learner to log for.
    #[arg(long, value_name = "HANDLE")]
    pub user: Option<String>,
    /// Locally: the database, as for `serve` [default: SQLite in the user's data directory].
    #[arg(long, env = "AUTODIDACT_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// Locally: a config file, as for `serve`.
    #[arg(long, env = "AUTODIDACT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Learn,
    Build,
    Review,
}

impl From<KindArg> for LogKind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::Learn => LogKind::Learn,
            KindArg::Build => LogKind::Build,
            KindArg::Review => LogKind::Review,
        }
    }
}

pub fn run(args: &LogArgs) -> Result<()> {
    if args.start || args.stop || args.discard {
        return super::timer::run(args);
    }
    if args.done && args.item.is_none() {
        bail!("--done marks the item done: give it with --item");
    }
    let duration = args.duration.as_deref().unwrap_or_default();
    let minutes = parse_duration(duration).map_err(|e| anyhow!("{e}"))?;
    match (&args.server, &args.token) {
        (Some(server), Some(token)) => remote(args, server, token, minutes),
        (Some(_), None) => bail!(
            "--server needs --token (or AUTODIDACT_TOKEN): create a read-write token on the server's /settings/tokens page"
        ),
        (None, _) => local(args, minutes),
    }
}

// ---------------------------------------------------------------------------------------------
// Locally

/// The learner a local command acts for, from `--user`.
pub(super) fn local_handle(args: &LogArgs) -> Result<Handle> {
    let handle = args.user.as_deref().ok_or_else(|| {
        anyhow!(
            "say whose log this is with --user <handle>, or log remotely with --server and --token"
        )
    })?;
    Handle::parse(handle).map_err(|e| anyhow!("--user: {e}"))
}

fn local(args: &LogArgs, minutes: Minutes) -> Result<()> {
    let handle = local_handle(args)?;
    with_database(
        args.config.clone(),
        args.database_url.clone(),
        async |db, config| {
            let user = learner(db, &handle, config).await?;
            let now = Timestamp::now();
            let input = LogInput {
                minutes,
                kind: args.kind.into(),
                day: Some(parse_day(
                    args.date.as_deref().unwrap_or(""),
                    user.today(now),
                )?),
                note: args.note.clone().unwrap_or_default(),
                target: ItemTarget::from_parts(None, args.curriculum, args.item.clone())?,
                finish: args.done,
            };
            let cache = CurriculumCache::new();
            let recorded = record_log(db, &cache, &user, input, None, now).await?;
            let (log, catalog) = (recorded.log, recorded.catalog);
            let what = match (log.follow, &log.item) {
                (Some(follow), Some(item)) => catalog
                    .describe(follow, item)
                    .map(|(curriculum, title)| format!(" on {title} ({curriculum})")),
                _ => None,
            };
            println!(
                "Logged {} of {} on {}{} for @{handle}.",
                log.minutes,
                log.kind.as_str(),
                log.day,
                what.unwrap_or_default()
            );
            Ok(())
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Remotely

/// The request body: only the fields given, so the server applies its own defaults.
fn request_body(args: &LogArgs, minutes: Minutes) -> Result<String> {
    let mut body = Map::new();
    body.insert("minutes".into(), json!(minutes.get()));
    body.insert("kind".into(), json!(LogKind::from(args.kind).as_str()));
    if let Some(date) = &args.date {
        let day: Date = date.trim().parse().map_err(|_| {
            anyhow!("`{date}` is not a date: write it as year-month-day, for example 2026-09-07")
        })?;
        body.insert("date".into(), json!(day.to_string()));
    }
    if let Some(note) = &args.note {
        body.insert("note".into(), json!(note));
    }
    if let Some(item) = &args.item {
        body.insert("item".into(), json!(item));
    }
    if let Some(curriculum) = args.curriculum {
        body.insert("curriculum".into(), json!(curriculum.to_string()));
    }
    if args.done {
        body.insert("done".into(), json!(true));
    }
    Ok(Value::Object(body).to_string())
}

fn remote(args: &LogArgs, server: &str, token: &str, minutes: Minutes) -> Result<()> {
    let base = server.trim().trim_end_matches('/');
    if !base.starts_with("http://") && !base.starts_with("https://") {
        bail!("--server: `{server}` must start with http:// or https://");
    }
    let url = format!("{base}/api/v1/logs");
    let body = request_body(args, minutes)?;
    let key = random_token();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let mut backoff = FIRST_BACKOFF;
    for attempt in 0..=RETRIES {
        let last = attempt == RETRIES;
        let sent = agent
            .post(&url)
            .header("Authorization", &format!("Bearer {token}"))
            .header("Idempotency-Key", &key)
            .header("Content-Type", "application/json")
            .send(body.as_str());
        match sent {
            Ok(mut response) => {
                let status = response.status().as_u16();
                let text = response.body_mut().read_to_string().unwrap_or_default();
                if status >= 500 && !last {
                    eprintln!("The server answered {status}; trying again.");
                } else {
                    return answer(base, status, &text);
                }
            }
            Err(e) if retryable(&e) && !last => {
                eprintln!("Cannot reach {base} ({e}); trying again.");
            }
            Err(e) => bail!("cannot reach {base}: {e}"),
        }
        sleep(backoff);
        backoff *= 2;
    }
    bail!("cannot reach {base}: gave up after {} tries", RETRIES + 1)
}

/// Failures where the request may not have arrived, or its answer was lost.
pub(super) fn retryable(e: &ureq::Error) -> bool {
    matches!(
        e,
        ureq::Error::Io(_)
            | ureq::Error::Timeout(_)
            | ureq::Error::ConnectionFailed
            | ureq::Error::BodyStalled
    )
}

fn answer(base: &str, status: u16, text: &str) -> Result<()> {
    let json: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    match status {
        200 | 201 => {
            let again = if status == 200 {
                " (already logged)"
            } else {
                ""
            };
            let minutes = json["minutes"].as_u64().unwrap_or(0);
            let item = json["item"]
                .as_str()
                .map(|i| format!(" on {i}"))
                .unwrap_or_default();
            println!(
                "Logged {} of {} on {}{item}{again}.",
                Minutes::new(u32::try_from(minutes).unwrap_or(0)),
                json["kind"].as_str().unwrap_or("learn"),
                json["date"].as_str().unwrap_or("today"),
            );
            Ok(())
        }
        _ => {
            let message = json["error"]["message"]
                .as_str()
                .map_or_else(|| format!("HTTP {status}"), ToOwned::to_owned);
            let hint = match status {
                401 => format!(
                    "\ncheck --token (or AUTODIDACT_TOKEN); tokens are made on {base}/settings/tokens"
                ),
                403 => format!(
                    "\nthis token is read-only: make a read-write one on {base}/settings/tokens"
                ),
                _ => String::new(),
            };
            bail!("the server refused the log: {message}{hint}")
        }
    }
}
