//! `autodidact week --user ada [--start 2026-11-16]`: the weekly summary, as text, from the
//! local database (the one `serve` uses). The figures are the web page's own
//! (`autodidact_core::insight::summary::load_week`).

use crate::commands::local::{learner, with_database};
use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Result, anyhow};
use autodidact_core::accounts::Handle;
use autodidact_core::curriculum::Minutes;
use autodidact_core::follow::CurriculumCache;
use autodidact_core::insight::summary::{WeekSummary, kinds, load_week};
use autodidact_core::store::Store;
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};

#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  autodidact week --user ada --start 2026-11-16")]
pub struct WeekArgs {
    /// The handle of the learner.
    #[arg(long, value_name = "HANDLE")]
    pub user: String,
    /// Any day of the week to show (YYYY-MM-DD) [default: this week, in your time zone].
    #[arg(long, value_name = "DATE")]
    pub start: Option<String>,
    /// The database, as for `serve` [default: SQLite in the user's data directory].
    #[arg(long, env = "AUTODIDACT_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// A config file, as for `serve`.
    #[arg(long, env = "AUTODIDACT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub fn run(args: &WeekArgs) -> Result<()> {
    let handle = Handle::parse(&args.user).map_err(|e| anyhow!("--user: {e}"))?;
    let start = args
        .start
        .as_deref()
        .map(|raw| {
            raw.trim().parse::<Date>().map_err(|_| {
                anyhow!("--start: `{raw}` is not a date: write it as year-month-day, for example 2026-11-16")
            })
        })
        .transpose()?;
    with_database(
        args.config.clone(),
        args.database_url.clone(),
        async |db, config| {
            let user = learner(db, &handle, config).await?;
            let today = user.today(Timestamp::now());
            let store: &dyn Store = db;
            let cache = CurriculumCache::new();
            let summary = load_week(store, &cache, &user, start.unwrap_or(today), today).await?;
            print!("{}", render(&summary, &handle, today));
            Ok(())
        },
    )
}

/// `Mon 16 Nov`, with the year when it is not this year's.
fn day(d: Date, today: Date) -> String {
    if d.year() == today.year() {
        d.strftime("%a %-d %b").to_string()
    } else {
        d.strftime("%a %-d %b %Y").to_string()
    }
}

fn days(n: u32) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

fn buffer(days_ahead: i64) -> String {
    let unit = |n: i64| if n == 1 { "day" } else { "days" };
    match days_ahead {
        0 => "right on your line".to_owned(),
        n if n > 0 => format!("{n} {} ahead of your line", unit(n)),
        n => format!("{} {} behind", -n, unit(-n)),
    }
}

/// Minutes right-aligned in a column, so the titles line up.
fn col(m: Minutes) -> String {
    format!("{:>8}", m.to_string())
}

/// The summary as the terminal shows it.
pub fn render(s: &WeekSummary, handle: &Handle, today: Date) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Week of {} ({} to {}), @{handle}{}",
        s.first.strftime("%-d %b %Y"),
        day(s.first, today),
        day(s.last, today),
        if s.current { ", so far" } else { "" }
    );
    let _ = writeln!(out, "\nTime studied: {}", s.total);
    if !s.total.is_zero() {
        let by_kind: Vec<String> = kinds(&s.by_kind)
            .iter()
            .map(|(kind, m)| format!("{} {m}", kind.as_str()))
            .collect();
        let _ = writeln!(out, "  {}", by_kind.join(" · "));
        for r in &s.by_item {
            let title = if r.item.is_some() {
                r.title.as_str()
            } else {
                "(without an item)"
            };
            let curriculum = r
                .curriculum
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            let _ = writeln!(out, "{}  {title}{curriculum}", col(r.minutes));
        }
    }
    let _ = writeln!(out, "\nFinished:");
    if s.finished.is_empty() {
        let _ = writeln!(out, "  nothing this week");
    }
    for f in &s.finished {
        let _ = writeln!(
            out,
            "  {} ({}), {}",
            f.title,
            f.curriculum,
            day(f.on, today)
        );
    }
    let _ = writeln!(
        out,
        "\nStreak: {} on {} (longest {})",
        days(s.streaks.current),
        day(s.as_of, today),
        days(s.streaks.longest)
    );
    match (s.committed, s.buffer_days) {
        (Some(c), Some(b)) => {
            let _ = writeln!(out, "Commitment: {c} a week; {}", buffer(b));
        }
        (Some(c), None) => {
            let _ = writeln!(out, "Commitment: {c} a week");
        }
        (None, _) => {
            let _ = writeln!(out, "Commitment: none this week");
        }
    }
    let next_last = s.next_first.checked_add(6.days()).unwrap_or(s.next_first);
    let _ = writeln!(
        out,
        "\nPlanned for the week after ({} to {}):",
        day(s.next_first, today),
        day(next_last, today)
    );
    if s.next_week.is_empty() {
        let _ = writeln!(out, "  no curriculum with a plan");
    }
    for n in &s.next_week {
        if n.items.is_empty() {
            let _ = writeln!(out, "  {}: nothing planned", n.curriculum);
            continue;
        }
        let _ = writeln!(out, "  {}: {}", n.curriculum, n.planned);
        for i in &n.items {
            let _ = writeln!(out, "  {}  {}", col(i.minutes), i.title);
        }
    }
    out
}
