//! What a follow's record says: earned value, the plan in force and the earlier plans as
//! burn-up lines, calibration evidence, and the two kind re-plans.
//!
//! Earned value has one rule, here: each item earns its logged minutes up to its estimate,
//! and its whole estimate on the day it was marked done (the day of its board state's last
//! change, in the learner's zone); skipped items are left out.

use std::collections::BTreeSet;

use foldhash::{HashMap, HashMapExt};

use jiff::civil::Date;

use super::model::Followed;
use crate::accounts::Zone;
use crate::curriculum::{ItemId, Minutes};
use crate::insight::activity::Activity;
use crate::insight::burnup::{ItemProgress, Line, earned_line, plan_line};
use crate::insight::calibration::FinishedItem;
use crate::insight::forecast::{ForecastInput, OpenItem, RangeForecast, forecast_range};
use crate::insight::replan::{Replan, ReplanError, ReplanMode, keep_budget, keep_end};
use crate::insight::weekly::complete_weeks;
use crate::plan::{Plan, availability, plan_schedule, start_of_week};
use crate::store::{ItemStatus, LogKind, PlanRevision};

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
    /// Items marked done.
    pub done_items: usize,
    /// Minutes logged on each item, all time.
    pub logged: LoggedByItem,
    /// The follow's minutes per day (all counted as one kind: only totals are read).
    pub activity: Activity,
}

/// Minutes logged on each item of a follow (a map with a fast hash: it is built on every
/// view of a plan or board).
pub type LoggedByItem = HashMap<ItemId, Minutes>;

impl Progress {
    /// Earned value of `followed` by `today`, from its minutes per day and item.
    pub fn new(followed: &Followed, minutes: &FollowMinutes, zone: &Zone, today: Date) -> Self {
        let mut logs: HashMap<&ItemId, Vec<(Date, Minutes)>> = HashMap::new();
        let mut logged = LoggedByItem::new();
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
                    Some(ItemStatus::Done) => state.map(|s| zone.date_of(s.updated_at)),
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
        let done_items = items.iter().filter(|i| i.done_on.is_some()).count();
        let earned = earned_line(&items, today);
        Self {
            earned_today: earned.at(today),
            earned,
            total,
            done_estimate,
            open_items: items.len() - done_items,
            done_items,
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

/// A plan as made when it was put in force: its settings and the items finished then.
fn line_of(
    followed: &Followed,
    settings: &super::PlanSettings,
    done: &[ItemId],
    base: Minutes,
) -> Option<(Plan, Line)> {
    let done: BTreeSet<ItemId> = done.iter().cloned().collect();
    let plan = plan_schedule(&followed.request_with(settings, done)).ok()?;
    let line = plan_line(&plan, base);
    Some((plan, line))
}

/// The plan in force as the burn-up draws it: made from the follow's settings with the items
/// that were finished when it was made (`plan_done`), starting at what was earned then
/// (`plan_base`), so finishing more later does not move it. `None` when it cannot be made.
pub fn plan_in_force(followed: &Followed) -> Option<(Plan, Line)> {
    let f = &followed.follow;
    line_of(followed, &followed.settings(), &f.plan_done, f.plan_base)
}

/// The plans replaced by re-plans, first first, as lines; one that cannot be made is left out.
pub fn earlier_plans(followed: &Followed, revisions: &[PlanRevision]) -> Vec<Line> {
    revisions
        .iter()
        .filter_map(|r| {
            let settings = super::PlanSettings::new(r.budget, r.start, r.breaks.clone());
            line_of(followed, &settings, &r.done, r.base)
        })
        .map(|(_, line)| line)
        .collect()
}

/// Why a kind re-plan could not be proposed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProposeError {
    #[error("the plan in force has no end date to keep: keep your weekly hours instead")]
    NoEndToKeep,
    #[error(transparent)]
    Replan(#[from] ReplanError),
}

/// The two kind re-plans, computed now from the stored settings with today's finished items.
#[derive(Debug, Clone)]
pub struct Proposals {
    pub keep_end: Result<Replan, ProposeError>,
    pub keep_budget: Result<Replan, ProposeError>,
}

/// One re-plan from `today` of the work left (every finished item left out, time spent on the
/// others taken off): keeping the budget, or keeping `end` (the end of the plan in force).
pub fn propose(
    followed: &Followed,
    progress: &Progress,
    mode: ReplanMode,
    end: Option<Date>,
    today: Date,
) -> Result<Replan, ProposeError> {
    let request = followed.rolling_request(progress, today);
    Ok(match mode {
        ReplanMode::KeepBudget => keep_budget(&request, today)?,
        ReplanMode::KeepEnd => keep_end(&request, today, end.ok_or(ProposeError::NoEndToKeep)?)?,
    })
}

/// Both re-plans, for the offer on the dashboard.
pub fn proposals(
    followed: &Followed,
    progress: &Progress,
    end: Option<Date>,
    today: Date,
) -> Proposals {
    Proposals {
        keep_end: propose(followed, progress, ReplanMode::KeepEnd, end, today),
        keep_budget: propose(followed, progress, ReplanMode::KeepBudget, end, today),
    }
}

/// The calibrated 80 % range of the day the follow's open items will be done
/// (`insight::forecast::forecast_range`), from the learner's record: the weeks logged on the
/// curriculum, this week so far, the time on each open item, the learner's finished items as
/// evidence (`finished`, over every follow), and the breaks declared ahead. `None` without any
/// pace, or when nothing is open.
pub fn range_forecast(
    followed: &Followed,
    progress: &Progress,
    finished: &[FinishedItem],
    today: Date,
) -> Option<RangeForecast> {
    let week_start = followed.week_start;
    let weeks = complete_weeks(&progress.activity, today, week_start, FORECAST_WEEKS);
    let first = start_of_week(today, week_start);
    let this_week = progress.activity.between(first, today).total();
    let days_into_week = u8::try_from((today - first).get_days() + 1).unwrap_or(7);
    let weekly = followed.curriculum.hours_per_week;
    let open: Vec<OpenItem> = followed
        .curriculum
        .items()
        .filter(|i| !super::is_finished(followed.status(&i.id)))
        .map(|i| OpenItem {
            estimate: i.planned(weekly),
            logged: progress.logged.get(&i.id).copied().unwrap_or_default(),
        })
        .collect();
    let budget = followed
        .follow
        .budgets()
        .on(today)
        .unwrap_or(followed.follow.budget);
    let availability = availability(budget, &followed.follow.breaks, today, week_start);
    forecast_range(&ForecastInput {
        today,
        weeks: &weeks,
        this_week,
        days_into_week,
        open: &open,
        finished,
        availability: &availability,
    })
}

/// Complete weeks of history the range forecast reads.
const FORECAST_WEEKS: usize = 104;
