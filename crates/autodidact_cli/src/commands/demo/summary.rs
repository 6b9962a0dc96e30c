//! The demo as read back from the database once written: what the command prints, and a check
//! that the story landed (the standing is computed from stored rows, as the dashboard does).

use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use autodidact_core::accounts::Handle;
use autodidact_core::curriculum::{Minutes, check_toml};
use autodidact_core::insight::burnup::{ItemProgress, Standing, earned_line, plan_line, standing};
use autodidact_core::plan::{PlanRequest, WeeklyBudget, plan_schedule};
use autodidact_core::store::{
    CommitmentStore, CurriculumStore, FollowId, FollowStore, InsightStore, ItemStatus, LogStore,
    ReviewStore,
};
use autodidact_store::Db;
use jiff::civil::Date;
use jiff::tz::TimeZone;

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

/// A follow's items, time and standing against the plan in force, from the database.
async fn follow_summary(db: &Db, id: FollowId, today: Date) -> Result<FollowSummary> {
    let follow = db
        .follow(id)
        .await?
        .context("the follow just made is gone")?;
    let record = db
        .curriculum(follow.curriculum)
        .await?
        .context("the curriculum just made is gone")?;
    let curriculum = check_toml(&record.source)
        .curriculum
        .context("the shipped curriculum does not parse")?;
    let done: Vec<_> = db
        .item_states(id)
        .await?
        .into_iter()
        .filter(|s| s.status == ItemStatus::Done)
        .map(|s| (s.item, s.updated_at.to_zoned(TimeZone::UTC).date()))
        .collect();
    let minutes = db.follow_minutes(id).await?;
    let weekly = curriculum.hours_per_week;
    let (mut logged_done, mut estimate_done) = (0u64, 0u64);
    let items: Vec<ItemProgress> = curriculum
        .items()
        .map(|item| {
            let logs: Vec<(Date, Minutes)> = minutes
                .iter()
                .filter(|(_, i, _)| i.as_ref() == Some(&item.id))
                .map(|&(day, _, m)| (day, m))
                .collect();
            let done_on = done.iter().find(|(i, _)| *i == item.id).map(|(_, d)| *d);
            let estimate = item.planned(weekly);
            if done_on.is_some() && !logs.is_empty() {
                logged_done += logs.iter().map(|(_, m)| u64::from(m.get())).sum::<u64>();
                estimate_done += u64::from(estimate.get());
            }
            ItemProgress {
                estimate,
                logs,
                done_on,
            }
        })
        .collect();
    let mut request = PlanRequest::new(
        &curriculum,
        WeeklyBudget::parse(&follow.budget).map_err(|e| anyhow!("{e}"))?,
        follow.start,
    );
    request.breaks = follow
        .breaks
        .iter()
        .map(|b| b.parse())
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow!("{e}"))?;
    request.done = follow.plan_done.iter().cloned().collect();
    let plan = plan_schedule(&request).map_err(|e| anyhow!("{e}"))?;
    let earned = earned_line(&items, today)
        .last()
        .map_or(Minutes::ZERO, |(_, m)| m);
    Ok(FollowSummary {
        title: record.title,
        items: items.len(),
        done: done.len(),
        logged: minutes.iter().map(|&(_, _, m)| m).sum(),
        ratio: (estimate_done > 0).then(|| logged_done as f64 / estimate_done as f64),
        standing: standing(&plan_line(&plan, follow.plan_base), earned, today),
        revisions: db.plan_revisions(id).await?.len(),
    })
}
