//! `autodidact demo`: a learner a year into their studies, written into a database through the
//! storage traits like the web app, so the dashboard, the charts and the reviews have something
//! true-to-life to show on a fresh install.
//!
//! The learner (`@demo` unless `--handle` says otherwise, password [`DEMO_PASSWORD`]) has
//! followed "Deep learning in six months" at 10 h a week since 365 days before `--today`,
//! and "Back to basics: data first" at 5 h a week for the last four months. Their year has a
//! burnout week, a declared two-week vacation, a slow month, Sundays mostly off, a re-plan
//! three months ago, commitments kept and missed, and three items under spaced review; they
//! are behind their plan. The story is made up in memory first (`story.rs`, deterministic) and
//! then written; the summary printed at the end is read back from the database.

mod board;
mod story;
mod summary;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use autodidact_core::accounts::{Email, Handle, Password, Settings, UserId};
use autodidact_core::plan::{Break, BudgetHistory};
use autodidact_core::store::{
    AccountStore, CommitmentStore, CurriculumStore, DeclaredBreak, FollowId, FollowSettings,
    FollowStore, InsightStore, ItemStatus, Lineage, LogStore, NewCurriculum, NewFollow, NewLog,
    NewUser, Replanned, ReviewStore, Visibility,
};
use autodidact_store::Db;
use indicatif::{ProgressBar, ProgressStyle};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use self::story::{Story, stamp};
use self::summary::Summary;
use super::local::with_database;
use super::serve::redact;

/// The demo learner's password: documented, so anyone can sign in to a demo.
pub const DEMO_PASSWORD: &str = "demo-year-of-study";

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  autodidact demo --database-url sqlite://demo.db\n  autodidact serve --database-url sqlite://demo.db"
)]
pub struct DemoArgs {
    /// The database, as for `serve` [default: SQLite in the user's data directory]. Migrated
    /// first; it must not hold a learner with the demo handle yet.
    #[arg(long, env = "AUTODIDACT_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// A config file, as for `serve`.
    #[arg(long, env = "AUTODIDACT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The demo learner's handle.
    #[arg(long, default_value = "demo", value_name = "HANDLE")]
    pub handle: String,
    /// The last day of the demo year (YYYY-MM-DD) [default: today, in UTC].
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// About how many study logs to write. The year's hours stay the same (about 550), so
    /// this sets the length of a session: about 7 minutes for 5,000, 20 for 1,600.
    #[arg(long, value_name = "N", default_value_t = 5000,
          value_parser = clap::value_parser!(u32).range(100..=100_000))]
    pub logs: u32,
}

pub fn run(args: &DemoArgs) -> Result<()> {
    let handle = Handle::parse(&args.handle).map_err(|e| anyhow!("--handle: {e}"))?;
    let today = match &args.today {
        Some(raw) => raw.trim().parse::<Date>().map_err(|_| {
            anyhow!("--today: `{raw}` is not a date: write it as year-month-day, e.g. 2026-09-07")
        })?,
        None => Timestamp::now().to_zoned(TimeZone::UTC).date(),
    };
    let story = Story::new(today, args.logs as usize)?;
    let (summary, base_url) = with_database(
        args.config.clone(),
        args.database_url.clone(),
        async |db, config| {
            if db.user_by_handle(&handle).await?.is_some() {
                bail!(
                    "the database at {} already has a learner @{handle}: pass another --handle, or a \
                 fresh --database-url",
                    redact(&config.database_url)
                );
            }
            let written = write(db, &story, &handle).await.context(
                "the demo was only partly written: start again with a fresh --database-url, or \
             another --handle",
            )?;
            let summary = Summary::read(db, &story, &written).await?;
            Ok((summary, config.web.base_url.clone()))
        },
    )?;
    summary.print(&story, &handle);
    println!(
        "\n{}\nthen sign in at {}/signin\n  handle:   {handle}\n  password: {DEMO_PASSWORD}",
        serve_command(args),
        base_url
    );
    Ok(())
}

/// How to start the server on the same database, as a line to copy.
fn serve_command(args: &DemoArgs) -> String {
    let mut serve = String::from("autodidact serve");
    if let Some(path) = &args.config {
        serve.push_str(&format!(" --config {}", quote(&path.display().to_string())));
    }
    let mut hidden = "";
    if let Some(url) = &args.database_url {
        // The exact URL, unless it holds a password.
        let shown = if has_password(url) {
            hidden = " (with the database password in place of ***)";
            redact(url)
        } else {
            url.clone()
        };
        serve.push_str(&format!(" --database-url {}", quote(&shown)));
    }
    format!("Start the server{hidden}:\n  {serve}")
}

/// Whether a PostgreSQL URL holds a password: `postgres://user:password@host/…`.
fn has_password(url: &str) -> bool {
    url.starts_with("postgres")
        && url
            .split_once("://")
            .and_then(|(_, rest)| rest.rsplit_once('@'))
            .is_some_and(|(userinfo, _)| userinfo.contains(':'))
}

/// `text` as one shell word.
fn quote(text: &str) -> String {
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/:._-+=@%,".contains(c));
    if plain && !text.is_empty() {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// A bar on standard error for one step; indicatif draws nothing when that is not a terminal.
fn bar(len: usize, what: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) = ProgressStyle::with_template("{msg:17} [{bar:30}] {pos}/{len}, eta {eta}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what);
    bar
}

/// What was written, for the summary.
#[derive(Debug)]
struct Written {
    user: UserId,
    follows: Vec<FollowId>,
    logs: Duration,
    total: Duration,
}

async fn write(db: &Db, story: &Story, handle: &Handle) -> Result<Written> {
    let started = Instant::now();
    let (user, follows) = write_learner(db, story, handle).await?;
    let logs_started = Instant::now();
    write_logs(db, story, user, &follows).await?;
    let logs = logs_started.elapsed();
    write_board(db, story, user, &follows).await?;
    Ok(Written {
        user,
        follows,
        logs,
        total: started.elapsed(),
    })
}

/// The account, the curricula and their follows, the declared vacation, the commitments and
/// the re-plan, in the order the learner made them.
async fn write_learner(db: &Db, story: &Story, handle: &Handle) -> Result<(UserId, Vec<FollowId>)> {
    let first = story.first;
    let hash = crate::commands::local::hash_password(
        &Password::parse_new(DEMO_PASSWORD).map_err(|e| anyhow!("the demo password: {e}"))?,
    )?;
    let steps = bar(
        3 + 2 * story.tracks.len() + story.commitments.len(),
        "learner and plans",
    );
    let user = db
        .create_user(NewUser {
            handle: handle.clone(),
            display_name: "Demo learner".to_owned(),
            email: Email::parse(&format!("{handle}@demo.example.org"))
                .map_err(|e| anyhow!("{e}"))?,
            password_hash: hash,
            settings: Settings::default(),
            now: stamp(story::on(first, -3), 20 * 60)?,
        })
        .await?
        .id;
    steps.inc(1);
    let mut follows = Vec::new();
    for track in &story.tracks {
        let at = stamp(story::on(track.start, -1), 21 * 60)?;
        let record = db
            .create_curriculum(NewCurriculum {
                owner: user,
                title: track.curriculum.title.clone(),
                visibility: Visibility::Private,
                source: track.source.to_owned(),
                lineage: Lineage::Template {
                    id: track.template.to_owned(),
                },
                now: at,
            })
            .await?;
        let follow = db
            .create_follow(NewFollow {
                user,
                curriculum: record.id,
                budget: track.budget,
                start: track.start,
                breaks: Vec::new(),
                declared: Vec::new(),
                now: at + SignedDuration::from_mins(5),
            })
            .await?;
        follows.push(follow.id);
        steps.inc(2);
    }
    let main = follows[0];
    let (from, to) = story.vacation;
    let mut history = BudgetHistory::starting(first, story.tracks[0].budget);
    // The holiday is declared weeks ahead, so its days are excused from the commitment.
    let breaks = vec![Break::Dates { from, to }];
    let settings = FollowSettings {
        budget: story.tracks[0].budget,
        history: history.clone(),
        start: first,
        declared: DeclaredBreak::of(&breaks, &[], story.vacation_declared),
        breaks,
    };
    db.update_follow_plan(
        main,
        user,
        &settings,
        stamp(story.vacation_declared, 19 * 60)?,
    )
    .await?;
    steps.inc(1);
    for &(day, weekly) in &story.commitments {
        db.add_commitment(user, day, Some(weekly), stamp(day, 20 * 60)?)
            .await?;
        steps.inc(1);
    }
    let replan = &story.replan;
    history.set_from(replan.day, replan.budget);
    db.replan(
        main,
        user,
        Replanned {
            budget: replan.budget,
            history,
            start: replan.day,
            done: replan.done.clone(),
            base: replan.base,
            today: replan.day,
            now: stamp(replan.day, 23 * 60)?,
        },
    )
    .await?;
    steps.inc(1);
    steps.finish_and_clear();
    Ok((user, follows))
}

/// One `add_log` per session: one transaction each, which SQLite does at about 3,000 a second
/// (synchronous=NORMAL under WAL does not sync on commit), so no bulk path is needed.
async fn write_logs(db: &Db, story: &Story, user: UserId, follows: &[FollowId]) -> Result<()> {
    let logs = bar(story.sessions.len(), "study logs");
    for session in &story.sessions {
        db.add_log(NewLog {
            user,
            follow: Some(follows[session.track]),
            item: session.item.clone(),
            minutes: session.minutes,
            kind: session.kind,
            day: session.day,
            note: session.note.to_owned(),
            idempotency_key: None,
            start_item: false,
            finish_item: false,
            now: session.at + SignedDuration::from_mins(i64::from(session.minutes.get())),
        })
        .await?;
        logs.inc(1);
    }
    logs.finish_and_clear();
    Ok(())
}

/// Board statuses, notes, evidence and reviews.
async fn write_board(db: &Db, story: &Story, user: UserId, follows: &[FollowId]) -> Result<()> {
    let reviews: usize = story.revisits.iter().map(|r| 1 + r.reviews.len()).sum();
    let board = bar(
        story.progress.len() * 2 + story.notes.len() + story.evidence.len() + reviews,
        "board and reviews",
    );
    for p in &story.progress {
        let follow = follows[p.track];
        db.set_item_status(follow, user, &p.item, ItemStatus::Doing, p.started)
            .await?;
        if let Some((_, finished)) = p.finished {
            if let Some((_, text)) = story.notes.iter().find(|(id, _)| *id == p.item) {
                let at = finished - SignedDuration::from_mins(30);
                db.set_item_notes(follow, user, &p.item, text, at).await?;
                board.inc(1);
            }
            db.set_item_status(follow, user, &p.item, ItemStatus::Done, finished)
                .await?;
        }
        board.inc(2);
    }
    for shown in &story.evidence {
        db.add_evidence(
            follows[shown.track],
            user,
            &shown.item,
            shown.kind,
            &shown.url,
            &shown.title,
            shown.at,
        )
        .await?;
        board.inc(1);
    }
    for revisit in &story.revisits {
        let main = follows[0];
        let first = &revisit.first;
        db.mark_review(
            main,
            user,
            &revisit.item,
            &first.to_json(),
            first.due,
            stamp(revisit.marked, 20 * 60)?,
        )
        .await?;
        board.inc(1);
        for (grade, day, state) in &revisit.reviews {
            db.record_review(
                main,
                user,
                &revisit.item,
                *grade,
                *day,
                &state.to_json(),
                state.due,
                stamp(*day, 8 * 60)?,
            )
            .await?;
            board.inc(1);
        }
    }
    board.finish_and_clear();
    Ok(())
}
