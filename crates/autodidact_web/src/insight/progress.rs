//! One follow's record read into figures: what has been earned, the plan in force and the
//! earlier ones, and the two kind re-plans. Computed from a [`Followed`] (its curriculum parsed
//! once) and the follow's minutes per day and item, so the dashboard and the re-plan handler
//! compute the same numbers.

use std::collections::{BTreeSet, HashMap};

use autodidact_core::curriculum::{ItemId, Minutes};
use autodidact_core::insight::activity::Activity;
use autodidact_core::insight::burnup::{ItemProgress, Line, earned_line, plan_line};
use autodidact_core::insight::calibration::FinishedItem;
use autodidact_core::insight::replan::{Replan, ReplanMode, keep_budget, keep_end};
use autodidact_core::plan::{Break, Plan, PlanRequest, WeeklyBudget, plan_schedule};
use autodidact_core::store::{ItemStatus, LogKind, PlanRevision};
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::follows::Followed;
use crate::page::capitalise;

/// A follow's minutes per day and item, as `InsightStore::follow_minutes` gives them.
pub type FollowMinutes = [(Date, Option<ItemId>, Minutes)];

/// What a follow's record says today.
#[derive(Debug, Clone)]
pub struct Progress {
    /// Estimated minutes earned, day by day, up to today.
    pub earned: Line,
    /// What has been earned by today.
    pub earned_today: Minutes,
    /// The estimate of every item not skipped: where the earned line ends when all is done.
    pub total: Minutes,
    /// The estimate of the items marked done: what a re-plan starts its line from, so that the
    /// new plan (which plans every unfinished item whole) ends where the earned line will.
    pub done_estimate: Minutes,
    /// Items neither done nor skipped.
    pub open_items: usize,
    /// Minutes logged on each item, all time.
    pub logged: HashMap<ItemId, Minutes>,
    /// The follow's minutes per day (all counted as one kind: only totals are read).
    pub activity: Activity,
}

impl Progress {
    /// Each item earns its logged minutes up to its estimate, and its whole estimate on the day
    /// it was marked done (the day of its board state's last change, in the learner's zone);
    /// skipped items are left out.
    pub fn new(followed: &Followed, minutes: &FollowMinutes, zone: &TimeZone, today: Date) -> Self {
        let mut logs: HashMap<&ItemId, Vec<(Date, Minutes)>> = HashMap::new();
        let mut logged: HashMap<ItemId, Minutes> = HashMap::new();
        let mut activity = Activity::default();
        for (day, item, m) in minutes {
            activity.add(*day, LogKind::Learn, *m);
            if let Some(item) = item {
                logs.entry(item).or_default().push((*day, *m));
                let sum = logged.entry(item.clone()).or_default();
                *sum = sum.saturating_add(*m);
            }
        }
        let weekly = followed.curriculum.hours_per_week;
        let mut done_estimate = Minutes::ZERO;
        let items: Vec<ItemProgress> = followed
            .curriculum
            .items()
            .filter_map(|item| {
                let state = followed.states.get(&item.id);
                let done_on = match state.map(|s| s.status) {
                    Some(ItemStatus::Skipped) => return None,
                    Some(ItemStatus::Done) => {
                        state.map(|s| s.updated_at.to_zoned(zone.clone()).date())
                    }
                    _ => None,
                };
                let estimate = item.planned(weekly);
                if done_on.is_some() {
                    done_estimate = done_estimate.saturating_add(estimate);
                }
                Some(ItemProgress {
                    estimate,
                    logs: logs.remove(&item.id).unwrap_or_default(),
                    done_on,
                })
            })
            .collect();
        let total = items.iter().map(|i| i.estimate).sum();
        let open_items = items.iter().filter(|i| i.done_on.is_none()).count();
        let earned = earned_line(&items, today);
        Self {
            earned_today: earned.at(today),
            earned,
            total,
            done_estimate,
            open_items,
            logged,
            activity,
        }
    }

    /// The estimate still to earn.
    pub fn remaining(&self) -> Minutes {
        self.total.saturating_sub(self.earned_today)
    }
}

/// The done items of a follow as calibration evidence: estimate against logged time.
pub fn finished_items(followed: &Followed, progress: &Progress) -> Vec<FinishedItem> {
    let weekly = followed.curriculum.hours_per_week;
    followed
        .curriculum
        .items()
        .filter(|item| followed.status(&item.id) == ItemStatus::Done)
        .map(|item| FinishedItem {
            kind: item.kind,
            estimate: item.planned(weekly),
            logged: progress.logged.get(&item.id).copied().unwrap_or_default(),
        })
        .collect()
}

/// The settings of a plan, stored or kept as a revision, read back.
struct Recipe {
    budget: WeeklyBudget,
    start: Date,
    breaks: Vec<Break>,
    done: BTreeSet<ItemId>,
    base: Minutes,
}

impl Recipe {
    fn read(
        budget: &str,
        start: Date,
        breaks: &[String],
        done: &[ItemId],
        base: Minutes,
    ) -> Option<Self> {
        Some(Self {
            budget: WeeklyBudget::parse(budget).ok()?,
            start,
            breaks: breaks
                .iter()
                .map(|b| b.parse().ok())
                .collect::<Option<_>>()?,
            done: done.iter().cloned().collect(),
            base,
        })
    }

    fn plan(&self, followed: &Followed) -> Option<Plan> {
        let mut request = PlanRequest::new(&followed.curriculum, self.budget, self.start);
        request.breaks = self.breaks.clone();
        request.done = self.done.clone();
        request.week_start = followed.week_start;
        plan_schedule(&request).ok()
    }
}

/// The plan in force as the burn-up draws it: made from the follow's settings with the items
/// that were finished when it was made (`plan_done`), starting at what was earned then
/// (`plan_base`), so finishing more later does not move it. `None` when it cannot be made.
pub fn plan_in_force(followed: &Followed) -> Option<(Plan, Line)> {
    let f = &followed.follow;
    let recipe = Recipe::read(&f.budget, f.start, &f.breaks, &f.plan_done, f.plan_base)?;
    let plan = recipe.plan(followed)?;
    let line = plan_line(&plan, recipe.base);
    Some((plan, line))
}

/// The plans replaced by re-plans, first first, as lines; one that no longer reads is left out.
pub fn earlier_plans(followed: &Followed, revisions: &[PlanRevision]) -> Vec<Line> {
    revisions
        .iter()
        .filter_map(|r| {
            let recipe = Recipe::read(&r.budget, r.start, &r.breaks, &r.done, r.base)?;
            Some(plan_line(&recipe.plan(followed)?, recipe.base))
        })
        .collect()
}

/// The two kind re-plans, computed now from the stored settings with today's finished items.
#[derive(Debug, Clone)]
pub struct Proposals {
    pub keep_end: Result<Replan, String>,
    pub keep_budget: Result<Replan, String>,
}

/// The planner's request for the work left: the stored budget and breaks, every finished
/// (done or skipped) item left out.
fn request(followed: &Followed) -> Result<PlanRequest<'_>, String> {
    let settings = followed
        .settings()
        .map_err(|e| capitalise(&e.to_string()))?;
    Ok(settings.request(
        &followed.curriculum,
        followed.finished(),
        followed.week_start,
    ))
}

/// One re-plan from `today`: keeping the budget, or keeping `end` (the end of the plan in
/// force). The error is a sentence for the learner.
pub fn propose(
    followed: &Followed,
    mode: ReplanMode,
    end: Option<Date>,
    today: Date,
) -> Result<Replan, String> {
    let request = request(followed)?;
    let result = match mode {
        ReplanMode::KeepBudget => keep_budget(&request, today),
        ReplanMode::KeepEnd => {
            let end = end.ok_or_else(|| {
                "The plan in force has no end date to keep: keep your weekly hours instead."
                    .to_owned()
            })?;
            keep_end(&request, today, end)
        }
    };
    result.map_err(|e| capitalise(&e.to_string()))
}

/// Both re-plans, for the offer on the dashboard.
pub fn proposals(followed: &Followed, end: Option<Date>, today: Date) -> Proposals {
    Proposals {
        keep_end: propose(followed, ReplanMode::KeepEnd, end, today),
        keep_budget: propose(followed, ReplanMode::KeepBudget, end, today),
    }
}
