//! The learner's figures at a glance, loaded through the `Store` traits: hours per week against
//! the budget, the streak, taking in against making, calibration, and for each followed
//! curriculum what has been earned, where it stands against the plan in force and when it
//! will likely finish. The API's insight endpoint reads this.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use super::activity::{Activity, RestDays};
use super::balance::{Balance, balance};
use super::burnup::{Standing, standing};
use super::calibration::{Calibration, calibration};
use super::forecast::RangeForecast;
use super::streak::{StreakRules, Streaks, streaks};
use super::weekly::{WeekBar, weekly_bars};
use crate::curriculum::Minutes;
use crate::follow::{
    CurriculumCache, FollowError, Progress, finished_items, load_follow, plan_in_force,
    range_forecast,
};
use crate::store::{CurriculumId, FollowId, Store, StoreError, User};

/// Weeks of bars.
const WEEKS: usize = 12;
const EARLIEST: Date = Date::constant(1900, 1, 1);

/// One followed curriculum's figures.
#[derive(Debug, Clone, Serialize)]
pub struct FollowFigures {
    pub follow: FollowId,
    pub curriculum: CurriculumId,
    pub title: String,
    pub items: usize,
    pub done_items: usize,
    /// Estimated minutes earned by today.
    pub earned: Minutes,
    /// The estimate of every item not skipped.
    pub total: Minutes,
    pub remaining: Minutes,
    /// The last day of the rolling plan: the work left, planned from today (the date every
    /// page, the week and the calendar feed give).
    pub plan_end: Option<Date>,
    /// The last day of the plan the learner accepted (the plan in force).
    pub accepted_end: Option<Date>,
    /// Against the plan the learner accepted, today.
    pub standing: Option<Standing>,
    /// When the open items will be done: a calibrated 80 % range and its median, from the
    /// learner's pace and evidence (`follow::range_forecast`).
    pub forecast: Option<RangeForecast>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub today: Date,
    /// Every follow's weekly budget together, this week (each week has its own in `weeks`).
    pub weekly_budget: Minutes,
    pub weeks: Vec<WeekBar>,
    pub streaks: Streaks,
    /// The last 28 days and the last 84.
    pub balance: [Balance; 2],
    pub calibration: Calibration,
    pub follows: Vec<FollowFigures>,
}

/// The learner's figures as of `now`.
pub async fn load_overview(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    now: Timestamp,
) -> Result<Overview, StoreError> {
    let today = user.today(now);
    let week_start = user.settings.week_start.0;
    let tomorrow = today.tomorrow().unwrap_or(today);
    let activity = Activity::from_entries(store.daily_minutes(user.id, EARLIEST, tomorrow).await?);
    let mut rest = RestDays::default();
    let mut budgets = Vec::new();
    let mut loaded = Vec::new();
    for follow in store.follows_of(user.id).await? {
        budgets.push(follow.budgets());
        rest.breaks.extend(follow.breaks.iter().copied());
        let id = follow.id;
        let followed = match load_follow(store, cache, follow, week_start).await {
            Ok(f) => f,
            Err(FollowError::Store(e)) => return Err(e),
            Err(_) => continue,
        };
        let minutes = store.follow_minutes(id).await?;
        let progress = Progress::new(&followed, &minutes, &user.settings.timezone, today);
        loaded.push((followed, progress));
    }
    let finished: Vec<_> = loaded
        .iter()
        .flat_map(|(f, p)| finished_items(f, p))
        .collect();
    let calibration = calibration(&finished);
    let follows = loaded
        .iter()
        .map(|(followed, progress)| {
            let in_force = plan_in_force(followed);
            let remaining = progress.remaining();
            FollowFigures {
                follow: followed.follow.id,
                curriculum: followed.record.id,
                title: followed.record.title.clone(),
                items: followed.curriculum.items().count(),
                done_items: progress.done_items,
                earned: progress.earned_today,
                total: progress.total,
                remaining,
                plan_end: followed
                    .rolling_plan(progress, today)
                    .ok()
                    .and_then(|plan| plan.end),
                accepted_end: in_force.as_ref().and_then(|(plan, _)| plan.end),
                standing: in_force
                    .as_ref()
                    .map(|(_, line)| standing(line, progress.earned_today, today)),
                forecast: range_forecast(followed, progress, &finished, today),
            }
        })
        .collect();
    let weeks = weekly_bars(&activity, &budgets[..], today, week_start, WEEKS);
    let pacing = user.settings.pacing;
    let rules = StreakRules {
        min_minutes: Minutes::new(pacing.streak_min_minutes),
        rest_days_per_week: pacing.rest_days_per_week,
        week_start,
    };
    Ok(Overview {
        today,
        weekly_budget: weeks.last().map_or(Minutes::ZERO, |w| w.budget),
        weeks,
        streaks: streaks(&activity, &rest, &rules, today),
        balance: [balance(&activity, today, 28), balance(&activity, today, 84)],
        calibration,
        follows,
    })
}
