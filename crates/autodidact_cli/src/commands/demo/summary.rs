//! The demo as read back from the database once written: what the command prints, and a check
//! that the story landed (the standing is computed from stored rows, as the dashboard does).

use std::time::Duration;

use anyhow::{Context, Result};
use autodidact_core::accounts::{Handle, Zone};
use autodidact_core::curriculum::Minutes;
use autodidact_core::follow::{
    CurriculumCache, Progress, finished_items, load_follow, plan_in_force,
};
use autodidact_core::insight::burnup::{Standing, standing};
use autodidact_core::store::{
    CommitmentStore, FollowId, FollowStore, InsightStore, LogStore, ReviewStore,
};
use autodidact_store::Db;
use jiff::civil::{Date, Weekday};

use super::Written;
use super::story::Story;
use crate::commands::plural;

/// One follow as read back.
#[derive(Debug)]
struct FollowSummary {
    title: String,
    items: usize,
    done: usize,
    logged: Minutes,
    /// Σ logged / Σ estimate over finished items with time logged.
    ratio: Option<f64>,
    standing: Standing,
    revisions: usize,
}

/// The demo as read back from the database.
#[derive(Debug)]
pub struct Summary {
    logs: usize,
    logged: Minutes,
    follows: Vec<FollowSummary>,
    commitments: usize,
    reviews: usize,
    reviews_due: usize,
    written: Duration,
    logs_took: Duration,
}

impl Summary {
    /// Reads the written learner back: their logs, follows, commitments and reviews.
    pub async fn read(db: &Db, story: &Story, written: &Written) -> Result<Summary> {
        let today = story.today;
        let logs = db.logs_between(written.user, story.first, today).await?;
        let mut follows = Vec::new();
        for &id in &written.follows {
            follows.push(follow_summary(db, id, today).await?);
        }
        let reviews = db.reviews_of_user(written.user).await?;
        Ok(Summary {
            logs: logs.len(),
            logged: logs.iter().map(|l| l.minutes).sum(),
            follows,
            commitments: db.commitments(written.user).await?.len(),
            reviews: reviews.len(),
            reviews_due: reviews.iter().filter(|r| r.due <= today).count(),
            written: written.total,
            logs_took: written.logs,
        })
    }

    /// What was made, on standard output.
    pub fn print(&self, story: &Story, handle: &Handle) {
        println!(
            "Made the demo learner @{handle}: a year of study from {} to {}, written in {:.1} s \
             ({} logs in {:.1} s).",
            story.first,
            story.today,
            self.written.as_secs_f64(),
            self.logs,
            self.logs_took.as_secs_f64(),
        );
        println!(
            "  {} study logs, {} h in all; a break {}..{}; {} commitments; {} items to revisit, {} due.",
            self.logs,
            self.logged.get() / 60,
            story.vacation.0,
            story.vacation.1,
            self.commitments,
            self.reviews,
            self.reviews_due,
        );
        for f in &self.follows {
            let standing = &f.standing;
            let pace = if standing.behind > Minutes::ZERO {
                format!(
                    "behind the plan by {} h ({} days)",
                    standing.behind.get() / 60,
                    standing.days
                )
            } else {
                format!("ahead of the plan by {} h", standing.ahead.get() / 60)
            };
            let ratio = f
                .ratio
                .map(|r| format!(", items took {r:.2}x their estimates"))
                .unwrap_or_default();
            println!(
                "  {}: {} of {} items done, {} h logged, {pace}, {}{ratio}.",
                f.title,
                f.done,
                f.items,
                f.logged.get() / 60,
                plural(f.revisions, "re-plan"),
            );
        }
    }
}

/// A follow's items, time and standing against the plan in force, from the database, with
/// the dashboard's own rules (`autodidact_core::follow`).
async fn follow_summary(db: &Db, id: FollowId, today: Date) -> Result<FollowSummary> {
    let follow = db
        .follow(id)
        .await?
        .context("the follow just made is gone")?;
    let followed = load_follow(db, &CurriculumCache::new(), follow, Weekday::Monday).await?;
    let minutes = db.follow_minutes(id).await?;
    let progress = Progress::new(&followed, &minutes, &Zone::utc(), today);
    let (_, plan) = plan_in_force(&followed).context("the demo's plan cannot be made")?;
    let (logged_done, estimate_done) = finished_items(&followed, &progress)
        .iter()
        .filter(|i| !i.logged.is_zero())
        .fold((0u64, 0u64), |(l, e), i| {
            (
                l + u64::from(i.logged.get()),
                e + u64::from(i.estimate.get()),
            )
        });
    Ok(FollowSummary {
        title: followed.record.title.clone(),
        items: followed.curriculum.items().count(),
        done: progress.done_items,
        logged: minutes.iter().map(|&(_, _, m)| m).sum(),
        ratio: (estimate_done > 0).then(|| logged_done as f64 / estimate_done as f64),
        standing: standing(&plan, progress.earned_today, today),
        revisions: db.plan_revisions(id).await?.len(),
    })
}
