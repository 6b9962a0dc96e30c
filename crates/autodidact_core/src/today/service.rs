//! Loading Today through the `Store` traits.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::curriculum::{ItemId, Minutes};
use crate::follow::{CurriculumCache, FollowError, Followed, Progress, load_follow, plan_in_force};
use crate::insight::burnup::standing;
use crate::plan::Plan;
use crate::store::{FollowId, ItemStatus, Store, StoreError, User};

/// One item's planned work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TodayWork {
    pub item: ItemId,
    pub title: String,
    pub minutes: Minutes,
    pub status: ItemStatus,
    /// Minutes logged on it today.
    pub logged_today: Minutes,
    /// Minutes logged on it, all time, and its estimate.
    pub logged: Minutes,
    pub estimate: Minutes,
}

/// One followed curriculum today.
#[derive(Debug, Clone)]
pub struct FollowToday {
    pub follow: FollowId,
    pub title: String,
    /// The rolling plan's work for today, in the order it happens.
    pub today: Vec<TodayWork>,
    /// The rest of this week after today.
    pub later_this_week: Vec<TodayWork>,
    /// The item being worked on: the one in progress, else the next.
    pub current: Option<TodayWork>,
    /// How far behind the accepted plan, by the end of yesterday; zero when not behind.
    pub behind: Minutes,
    /// The rolling plan's last day; `None` when everything is done.
    pub end: Option<Date>,
    /// Why there is no plan, when there is none.
    pub problem: Option<String>,
}

/// Today for a learner.
#[derive(Debug, Clone)]
pub struct Today {
    pub date: Date,
    pub follows: Vec<FollowToday>,
    /// Minutes logged today, on anything.
    pub logged_today: Minutes,
}

/// The learner's Today, as of `now`.
pub async fn load_today(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    now: Timestamp,
) -> Result<Today, StoreError> {
    let zone = &user.settings.timezone;
    let today = zone.today(now);
    let week_start = user.settings.week_start.0;
    let mut follows = Vec::new();
    for follow in store.follows_of(user.id).await? {
        let id = follow.id;
        let followed = match load_follow(store, cache, follow, week_start).await {
            Ok(f) => f,
            Err(FollowError::Store(e)) => return Err(e),
            Err(FollowError::NotFound) => continue,
            Err(e @ FollowError::Unreadable { .. }) => {
                let title = match &e {
                    FollowError::Unreadable { title } => title.clone(),
                    _ => String::new(),
                };
                follows.push(FollowToday {
                    follow: id,
                    title,
                    today: Vec::new(),
                    later_this_week: Vec::new(),
                    current: None,
                    behind: Minutes::ZERO,
                    end: None,
                    problem: Some(e.to_string()),
                });
                continue;
            }
        };
        let minutes = store.follow_minutes(id).await?;
        let progress = Progress::new(&followed, &minutes, zone, today);
        let today_logs: Vec<(ItemId, Minutes)> = minutes
            .iter()
            .filter(|(day, _, _)| *day == today)
            .filter_map(|(_, item, m)| item.clone().map(|i| (i, *m)))
            .collect();
        follows.push(follow_today(&followed, &progress, &today_logs, today));
    }
    let logged_today = store
        .daily_minutes(user.id, today, today.tomorrow().unwrap_or(today))
        .await?
        .into_iter()
        .filter(|(day, _, _)| *day == today)
        .map(|(_, _, m)| m)
        .sum();
    Ok(Today {
        date: today,
        follows,
        logged_today,
    })
}

fn follow_today(
    followed: &Followed,
    progress: &Progress,
    today_logs: &[(ItemId, Minutes)],
    today: Date,
) -> FollowToday {
    let weekly = followed.curriculum.hours_per_week;
    let work = |item: &ItemId, minutes: Minutes| -> Option<TodayWork> {
        let it = followed.curriculum.item(item)?;
        Some(TodayWork {
            item: item.clone(),
            title: it.title.clone(),
            minutes,
            status: followed.status(item),
            logged_today: today_logs
                .iter()
                .filter(|(i, _)| i == item)
                .map(|(_, m)| *m)
                .sum(),
            logged: progress.logged.get(item).copied().unwrap_or_default(),
            estimate: it.planned(weekly),
        })
    };
    let behind = plan_in_force(followed)
        .and_then(|(_, line)| {
            let yesterday = today.yesterday().ok()?;
            Some(standing(&line, progress.earned_today, yesterday).behind)
        })
        .unwrap_or_default();
    let (today_work, later, end, problem) = match followed.rolling_plan(progress, today) {
        Ok(plan) => {
            let (t, l) = split_week(&plan, today);
            let to_work = |v: Work| -> Vec<TodayWork> {
                v.into_iter()
                    .filter_map(|(n, m)| work(&plan.items.get(n)?.id, m))
                    .collect()
            };
            (to_work(t), to_work(l), plan.end, None)
        }
        Err(e) => (Vec::new(), Vec::new(), None, Some(e.to_string())),
    };
    let states: Vec<_> = followed.states.values().cloned().collect();
    let entry = crate::logs::FollowedCurriculum::new(
        followed.follow.id,
        &followed.record,
        Some(&followed.curriculum),
        &states,
    );
    let current = entry.current.as_ref().and_then(|item| {
        let planned = today_work
            .iter()
            .find(|w| &w.item == item)
            .map_or(Minutes::ZERO, |w| w.minutes);
        work(item, planned)
    });
    FollowToday {
        follow: followed.follow.id,
        title: followed.record.title.clone(),
        today: today_work,
        later_this_week: later,
        current,
        behind,
        end,
        problem,
    }
}

/// Minutes per item of a plan (index into its items).
type Work = Vec<(usize, Minutes)>;

/// Today's work, and the rest of the week holding today, from a plan that starts today.
fn split_week(plan: &Plan, today: Date) -> (Work, Work) {
    if plan.start != today {
        // A plan that starts later has nothing today.
        return (Vec::new(), Vec::new());
    }
    let today_work = plan.first_day.clone();
    let week: Work = plan
        .weeks
        .iter()
        .find(|w| w.start <= today && today <= w.end)
        .map(|w| w.work.clone())
        .unwrap_or_default();
    // The week's work less today's, item by item.
    let later = week
        .into_iter()
        .filter_map(|(n, m)| {
            let done_today: Minutes = today_work
                .iter()
                .filter(|(i, _)| *i == n)
                .map(|(_, t)| *t)
                .sum();
            let left = m.saturating_sub(done_today);
            (!left.is_zero()).then_some((n, left))
        })
        .collect();
    (today_work, later)
}
