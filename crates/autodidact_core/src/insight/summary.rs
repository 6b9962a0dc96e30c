//! A learner's week on one page: what was studied (by item and by kind), what was finished,
//! the streak, where the commitment stands, and what each followed curriculum plans for the
//! week after.
//!
//! Rules:
//!
//! - A week is a learner week: it starts on their `week_start` and lasts seven days. Any day
//!   asked for is moved back to the start of its week.
//! - Hours count every log dated in the week (the log's `day`, already in the learner's zone),
//!   grouped by the item logged (or by no item), largest first; ties by curriculum, then title.
//! - An item is finished in the week when its board status is `done` and its last change
//!   (`updated_at`) falls in the week in the learner's time zone. Skipped items are not
//!   finished.
//! - The streak and the commitment buffer are taken as of the week's last day, or today when
//!   the week holds today (or lies ahead): a past week shows how things stood at its end.
//! - Next week's plan is the rolling plan, as every page shows it (the work left, from today):
//!   the items its week after this one holds, with their planned minutes. For a week whose
//!   week after is already over, it is the plan the learner had accepted then (the plan in
//!   force), since the rolling plan holds nothing in the past.
//!
//! [`summarize`] is pure; [`load_week`] reads what it needs through the [`Store`] traits and
//! calls it.

use std::collections::BTreeMap;

use jiff::civil::{Date, Weekday};
use serde::Serialize;

use super::activity::{Activity, DayActivity, RestDays, shift};
use super::commitment::{
    self, CommitmentChange, CommitmentRequest, Excuses, buffer_days, in_force, schedule,
};
use super::streak::{StreakRules, Streaks, streaks};
use crate::accounts::{Pacing, Zone};
use crate::curriculum::{Curriculum, ItemId, Minutes};
use crate::follow::{CurriculumCache, FollowError, Progress, load_follow, plan_in_force};
use crate::plan::{Plan, start_of_week};
use crate::store::{FollowId, ItemState, ItemStatus, LogKind, Store, StoreError, StudyLog, User};

/// One followed curriculum as the summary needs it.
#[derive(Debug, Clone)]
pub struct FollowedWeek {
    pub follow: FollowId,
    /// The curriculum's title.
    pub title: String,
    /// The curriculum, when its stored source reads (titles come from it).
    pub curriculum: Option<std::sync::Arc<Curriculum>>,
    /// The board: items with a stored status.
    pub states: Vec<ItemState>,
    /// The plan as it stands, when one can be made.
    pub plan: Option<Plan>,
}

impl FollowedWeek {
    fn item_title(&self, item: &ItemId) -> String {
        self.curriculum
            .as_ref()
            .and_then(|c| c.item(item))
            .map_or_else(|| item.as_str().to_owned(), |i| i.title.clone())
    }
}

/// Everything [`summarize`] reads.
#[derive(Debug, Clone, Copy)]
pub struct WeekRecord<'a> {
    /// Any day of the week to summarise; moved back to the start of its week.
    pub first: Date,
    pub today: Date,
    /// The learner's zone, for the day an item was finished.
    pub zone: &'a Zone,
    pub week_start: Weekday,
    pub pacing: Pacing,
    /// Every day with study, from the learner's first (for the streak and the buffer).
    pub activity: &'a Activity,
    /// Declared breaks of every followed curriculum (for the streak).
    pub rest: &'a RestDays,
    /// The logs dated in the week.
    pub logs: &'a [StudyLog],
    pub follows: &'a [FollowedWeek],
    /// The scheduled commitment changes.
    pub commitments: &'a [CommitmentChange],
    /// Days excused from the commitment by breaks declared ahead.
    pub excuses: &'a Excuses,
}

/// Minutes logged on one item (or on no item) in the week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemHours {
    /// The follow the time was logged for, if any.
    pub follow: Option<FollowId>,
    /// The item, or `None` for time logged without one.
    pub item: Option<ItemId>,
    /// The item's title (its id if the curriculum no longer has it); empty without an item.
    pub title: String,
    /// The curriculum's title, when the time was logged for a follow.
    pub curriculum: Option<String>,
    pub minutes: Minutes,
}

/// An item whose board status became `done` in the week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemFinished {
    pub follow: FollowId,
    pub item: ItemId,
    pub title: String,
    pub curriculum: String,
    /// The day it was marked done, in the learner's zone.
    pub on: Date,
}

/// Planned minutes for one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedWork {
    pub item: ItemId,
    pub title: String,
    pub minutes: Minutes,
}

/// What one follow's plan holds for the week after the summarised one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowNextWeek {
    pub follow: FollowId,
    pub curriculum: String,
    /// In the order the work happens; empty when the plan holds nothing that week.
    pub items: Vec<PlannedWork>,
    /// The sum of `items`.
    pub planned: Minutes,
}

/// A learner's week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeekSummary {
    /// The week's first day (a `week_start`) and last.
    pub first: Date,
    pub last: Date,
    /// Whether the week holds today.
    pub current: bool,
    /// All minutes logged in the week.
    pub total: Minutes,
    /// The same minutes by kind of study.
    pub by_kind: DayActivity,
    /// By item, largest first.
    pub by_item: Vec<ItemHours>,
    /// Items finished in the week, in the order they were finished.
    pub finished: Vec<ItemFinished>,
    /// The day the streak and the buffer are taken on.
    pub as_of: Date,
    pub streaks: Streaks,
    /// What the week's commitment asks for, pro-rated by day, excused days left out (see
    /// `insight::commitment::record`).
    pub committed: Option<Minutes>,
    /// Days ahead (+) or behind (−) of the commitment line on `as_of`.
    pub buffer_days: Option<i64>,
    /// The first day of the week after.
    pub next_first: Date,
    /// Each follow with a plan, in the order given.
    pub next_week: Vec<FollowNextWeek>,
}

/// The summary of the week holding `record.first`.
pub fn summarize(record: &WeekRecord<'_>) -> WeekSummary {
    let first = start_of_week(record.first, record.week_start);
    let last = shift(first, 6);
    let current = (first..=last).contains(&record.today);
    let as_of = last.min(record.today);
    let in_week: Vec<&StudyLog> = record
        .logs
        .iter()
        .filter(|l| (first..=last).contains(&l.day))
        .collect();
    let mut by_kind = DayActivity::default();
    for log in &in_week {
        by_kind.add(log.kind, log.minutes);
    }
    let rules = StreakRules {
        min_minutes: Minutes::new(record.pacing.streak_min_minutes),
        rest_days_per_week: record.pacing.rest_days_per_week,
        week_start: record.week_start,
    };
    let next_first = shift(first, 7);
    WeekSummary {
        first,
        last,
        current,
        total: by_kind.total(),
        by_kind,
        by_item: hours_by_item(&in_week, record.follows),
        finished: finished_in(record.follows, record.zone, first, last),
        as_of,
        streaks: streaks(record.activity, record.rest, &rules, as_of),
        committed: commitment::record(
            record.activity,
            record.commitments,
            record.excuses,
            as_of,
            record.week_start,
        )
        .into_iter()
        .find(|w| w.first == first)
        .map_or_else(|| in_force(record.commitments, first), |w| w.committed),
        buffer_days: buffer_days(record.activity, record.commitments, as_of),
        next_first,
        next_week: record
            .follows
            .iter()
            .filter_map(|f| next_week_of(f, next_first, record.week_start))
            .collect(),
    }
}

fn hours_by_item(logs: &[&StudyLog], follows: &[FollowedWeek]) -> Vec<ItemHours> {
    let mut sums: BTreeMap<(Option<FollowId>, Option<ItemId>), Minutes> = BTreeMap::new();
    for log in logs {
        let key = (log.follow, log.item.clone());
        let sum = sums.entry(key).or_default();
        *sum = sum.saturating_add(log.minutes);
    }
    let mut rows: Vec<ItemHours> = sums
        .into_iter()
        .map(|((follow, item), minutes)| {
            let followed = follow.and_then(|id| follows.iter().find(|f| f.follow == id));
            let title = match (&item, followed) {
                (Some(item), Some(f)) => f.item_title(item),
                (Some(item), None) => item.as_str().to_owned(),
                (None, _) => String::new(),
            };
            ItemHours {
                follow,
                item,
                title,
                curriculum: followed.map(|f| f.title.clone()),
                minutes,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.minutes
            .cmp(&a.minutes)
            .then_with(|| a.curriculum.cmp(&b.curriculum))
            .then_with(|| a.title.cmp(&b.title))
    });
    rows
}

fn finished_in(
    follows: &[FollowedWeek],
    zone: &Zone,
    first: Date,
    last: Date,
) -> Vec<ItemFinished> {
    let mut finished: Vec<ItemFinished> = follows
        .iter()
        .flat_map(|f| {
            f.states
                .iter()
                .filter(|s| s.status == ItemStatus::Done)
                .map(move |s| (f, s, zone.date_of(s.updated_at)))
        })
        .filter(|(_, _, on)| (first..=last).contains(on))
        .map(|(f, s, on)| ItemFinished {
            follow: f.follow,
            item: s.item.clone(),
            title: f.item_title(&s.item),
            curriculum: f.title.clone(),
            on,
        })
        .collect();
    finished.sort_by(|a, b| (a.on, &a.curriculum, &a.title).cmp(&(b.on, &b.curriculum, &b.title)));
    finished
}

fn next_week_of(f: &FollowedWeek, next_first: Date, week_start: Weekday) -> Option<FollowNextWeek> {
    let plan = f.plan.as_ref()?;
    let items: Vec<PlannedWork> = plan
        .weeks
        .iter()
        .find(|w| start_of_week(w.start, week_start) == next_first)
        .map(|w| {
            w.work
                .iter()
                .filter_map(|&(n, minutes)| {
                    let item = plan.items.get(n)?;
                    Some(PlannedWork {
                        item: item.id.clone(),
                        title: item.title.clone(),
                        minutes,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    Some(FollowNextWeek {
        follow: f.follow,
        curriculum: f.title.clone(),
        planned: items.iter().map(|i| i.minutes).sum(),
        items,
    })
}

// ---------------------------------------------------------------------------------------------
// Loading

/// Why a week could not be summarised.
#[derive(Debug, thiserror::Error)]
pub enum WeekError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The first day logs are read from for the streak: earlier than any real log.
const HISTORY_FROM: Date = Date::constant(1900, 1, 1);

/// Reads the learner's record and summarises the week holding `first`, as of `today` (the
/// learner's today, in their zone).
///
/// A curriculum whose stored source no longer reads keeps its title but gives item ids for
/// titles and no plan; a follow whose budget or breaks no longer read has no plan (and its
/// unreadable breaks declare no rest).
pub async fn load_week(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    first: Date,
    today: Date,
) -> Result<WeekSummary, WeekError> {
    let week_start = user.settings.week_start.0;
    let first = start_of_week(first, week_start);
    let last = shift(first, 6);
    let zone = &user.settings.timezone;

    let mut follows = Vec::new();
    let mut rest = RestDays::default();
    for follow in store.follows_of(user.id).await? {
        rest.breaks.extend(follow.breaks.iter().copied());
        let id = follow.id;
        match load_follow(store, cache, follow, week_start).await {
            Ok(followed) => follows.push(FollowedWeek {
                follow: id,
                plan: if shift(last, 7) < today {
                    plan_in_force(&followed).map(|(plan, _)| plan)
                } else {
                    let minutes = store.follow_minutes(id).await?;
                    let progress = Progress::new(&followed, &minutes, zone, today);
                    followed.rolling_plan(&progress, today).ok()
                },
                title: followed.record.title,
                states: followed.states.into_values().collect(),
                curriculum: Some(followed.curriculum),
            }),
            Err(FollowError::Unreadable { title }) => follows.push(FollowedWeek {
                follow: id,
                title,
                curriculum: None,
                states: store.item_states(id).await?,
                plan: None,
            }),
            Err(FollowError::NotFound) => continue,
            Err(FollowError::Store(e)) => return Err(e.into()),
        }
    }

    let until = today.max(last);
    let activity = Activity::from_entries(store.daily_minutes(user.id, HISTORY_FROM, until).await?);
    let logs = store.logs_between(user.id, first, last).await?;
    let requests: Vec<CommitmentRequest> = store
        .commitments(user.id)
        .await?
        .into_iter()
        .map(|c| CommitmentRequest {
            requested_on: c.requested_on,
            weekly: c.weekly,
        })
        .collect();
    let commitments = schedule(&requests, &user.settings.delays());
    let declared = store
        .follows_of(user.id)
        .await?
        .into_iter()
        .flat_map(|f| f.declared)
        .collect();
    let excuses = Excuses::new(declared, week_start);

    Ok(summarize(&WeekRecord {
        first,
        today,
        zone,
        week_start,
        pacing: user.settings.pacing,
        activity: &activity,
        rest: &rest,
        logs: &logs,
        follows: &follows,
        commitments: &commitments,
        excuses: &excuses,
    }))
}

/// The kinds of study in the order they are shown, with their minutes in `by_kind`.
pub fn kinds(by_kind: &DayActivity) -> [(LogKind, Minutes); 3] {
    [
        (LogKind::Learn, by_kind.learn),
        (LogKind::Build, by_kind.build),
        (LogKind::Review, by_kind.review),
    ]
}

/// Each part's share of the whole in whole percent, adding up to exactly 100 (0 for every part
/// when the whole is zero): the shares are rounded down, then the points left go to the parts
/// with the largest remainders (the earlier part first on a tie). Rounding each share on its
/// own gives 33 + 33 + 33 = 99.
pub fn whole_percents(parts: &[Minutes]) -> Vec<u32> {
    let total: u64 = parts.iter().map(|m| u64::from(m.get())).sum();
    if total == 0 {
        return vec![0; parts.len()];
    }
    let scaled: Vec<u64> = parts.iter().map(|m| u64::from(m.get()) * 100).collect();
    let mut percents: Vec<u64> = scaled.iter().map(|s| s / total).collect();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(scaled[i] % total));
    let left = 100 - percents.iter().sum::<u64>();
    for &i in order.iter().take(usize::try_from(left).unwrap_or(0)) {
        percents[i] += 1;
    }
    percents
        .into_iter()
        .map(|p| u32::try_from(p).unwrap_or(100))
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use jiff::Timestamp;
    use jiff::civil::date;

    use super::*;
    use crate::accounts::{Settings, UserId};

    use crate::follow::fixture::id;

    fn log(day: Date, kind: LogKind, minutes: u32, item: Option<&str>) -> StudyLog {
        StudyLog {
            id: crate::store::LogId(0),
            user: UserId(1),
            follow: item.map(|_| FollowId(7)),
            item: item.map(id),
            minutes: Minutes::new(minutes),
            kind,
            day,
            note: String::new(),
            created_at: Timestamp::UNIX_EPOCH,
        }
    }

    fn state(item: &str, status: ItemStatus, at: &str) -> ItemState {
        ItemState {
            item: id(item),
            status,
            notes: String::new(),
            updated_at: at.parse().unwrap(),
        }
    }

    /// Follows SOURCE at 10 h a week from Monday 2 November 2026.
    fn followed(states: Vec<ItemState>) -> FollowedWeek {
        let followed = crate::follow::fixture::followed("10", date(2026, 11, 2), &states);
        // The plan starts on 2 November, after the days the tests summarise from.
        let today = date(2026, 10, 28);
        let progress = crate::follow::Progress::new(&followed, &[], &Zone::utc(), today);
        FollowedWeek {
            follow: FollowId(7),
            plan: followed.rolling_plan(&progress, today).ok(),
            title: followed.record.title,
            curriculum: Some(followed.curriculum),
            states,
        }
    }

    struct Case {
        logs: Vec<StudyLog>,
        follows: Vec<FollowedWeek>,
        changes: Vec<CommitmentChange>,
        zone: Zone,
    }

    impl Case {
        fn summarize(&self, first: Date, today: Date) -> WeekSummary {
            let activity =
                Activity::from_entries(self.logs.iter().map(|l| (l.day, l.kind, l.minutes)));
            // The logs of other weeks too: `summarize` keeps those of its week.
            summarize(&WeekRecord {
                first,
                today,
                zone: &self.zone,
                week_start: Weekday::Monday,
                pacing: Pacing::default(),
                activity: &activity,
                rest: &RestDays::default(),
                logs: &self.logs,
                follows: &self.follows,
                commitments: &self.changes,
                excuses: &Excuses::default(),
            })
        }
    }

    fn case() -> Case {
        let mut logs = Vec::new();
        // Every day of the week of 2 November, an hour on the course.
        for d in 2..=8 {
            logs.push(log(date(2026, 11, d), LogKind::Learn, 60, Some("course")));
        }
        // The week of 9 November: the book, some building, and an evening of loose review.
        logs.push(log(date(2026, 11, 9), LogKind::Learn, 120, Some("book")));
        logs.push(log(date(2026, 11, 10), LogKind::Learn, 90, Some("book")));
        logs.push(log(date(2026, 11, 11), LogKind::Build, 45, Some("project")));
        logs.push(log(date(2026, 11, 12), LogKind::Review, 30, None));
        let states = vec![
            // Done on Sunday 8 November at 23:30 in Amsterdam: the 8th there, in UTC 22:30.
            state("course", ItemStatus::Done, "2026-11-08T22:30:00Z"),
            // Done on Monday 9 November after midnight in Amsterdam (still the 8th in UTC).
            state("book", ItemStatus::Done, "2026-11-08T23:30:00Z"),
            state("project", ItemStatus::Doing, "2026-11-11T10:00:00Z"),
        ];
        let requests = [CommitmentRequest {
            requested_on: date(2026, 11, 2),
            weekly: Some(Minutes::new(7 * 60)),
        }];
        Case {
            logs,
            follows: vec![followed(states)],
            changes: schedule(&requests, &Settings::default().delays()),
            zone: Zone::parse("Europe/Amsterdam").unwrap(),
        }
    }

    #[test]
    fn hours_are_summed_by_item_and_by_kind_largest_first() {
        let s = case().summarize(date(2026, 11, 11), date(2026, 11, 20));
        assert_eq!((s.first, s.last), (date(2026, 11, 9), date(2026, 11, 15)));
        assert!(!s.current);
        assert_eq!(s.total, Minutes::new(285));
        assert_eq!(s.by_kind.learn, Minutes::new(210));
        assert_eq!(s.by_kind.build, Minutes::new(45));
        assert_eq!(s.by_kind.review, Minutes::new(30));
        let rows: Vec<(&str, u32)> = s
            .by_item
            .iter()
            .map(|r| (r.title.as_str(), r.minutes.get()))
            .collect();
        assert_eq!(
            rows,
            [
                ("Linear Algebra Done Right", 210),
                ("A small model", 45),
                ("", 30)
            ]
        );
        assert_eq!(s.by_item[0].curriculum.as_deref(), Some("Deep learning"));
        assert_eq!(s.by_item[2].item, None);
    }

    #[test]
    fn an_item_is_finished_in_the_week_of_its_local_day() {
        let c = case();
        let before = c.summarize(date(2026, 11, 2), date(2026, 11, 20));
        let titles: Vec<&str> = before.finished.iter().map(|f| f.title.as_str()).collect();
        assert_eq!(titles, ["Practical Deep Learning"]);
        assert_eq!(before.finished[0].on, date(2026, 11, 8));
        let after = c.summarize(date(2026, 11, 9), date(2026, 11, 20));
        let titles: Vec<&str> = after.finished.iter().map(|f| f.title.as_str()).collect();
        assert_eq!(titles, ["Linear Algebra Done Right"]);
        assert_eq!(after.finished[0].on, date(2026, 11, 9));
    }

    #[test]
    fn the_same_instant_finishes_in_another_week_in_another_zone() {
        let mut c = case();
        c.zone = Zone::utc();
        let s = c.summarize(date(2026, 11, 2), date(2026, 11, 20));
        assert_eq!(s.finished.len(), 2, "both were done on the 8th in UTC");
    }

    #[test]
    fn the_streak_and_buffer_of_a_past_week_are_taken_at_its_end() {
        let c = case();
        let s = c.summarize(date(2026, 11, 2), date(2026, 11, 20));
        assert_eq!(s.as_of, date(2026, 11, 8));
        assert_eq!(s.streaks.current, 7);
        assert_eq!(s.committed, Some(Minutes::new(420)));
        // Exactly on the line: an hour a day against 7 h a week.
        assert_eq!(s.buffer_days, Some(0));
        let now = c.summarize(date(2026, 11, 9), date(2026, 11, 12));
        assert!(now.current);
        assert_eq!(now.as_of, date(2026, 11, 12));
        assert_eq!(now.streaks.current, 11);
    }

    #[test]
    fn next_week_lists_the_plans_items_for_the_week_after() {
        let c = case();
        // Course and book are done: the project is all that is left, 10 h at 10 h a week,
        // planned from the start of the plan (2 November), so in its first week.
        let s = c.summarize(date(2026, 10, 26), date(2026, 10, 28));
        assert_eq!(s.next_first, date(2026, 11, 2));
        assert_eq!(s.next_week.len(), 1);
        let next = &s.next_week[0];
        assert_eq!(next.curriculum, "Deep learning");
        let items: Vec<(&str, u32)> = next
            .items
            .iter()
            .map(|i| (i.item.as_str(), i.minutes.get()))
            .collect();
        assert_eq!(items, [("project", 600)]);
        assert_eq!(next.planned, Minutes::new(600));
        // The week after holds nothing: the plan is over.
        let later = c.summarize(date(2026, 11, 2), date(2026, 11, 3));
        assert!(later.next_week[0].items.is_empty());
    }

    #[test]
    fn a_week_without_anything_is_empty_but_whole() {
        let c = Case {
            logs: vec![],
            follows: vec![],
            changes: vec![],
            zone: Zone::utc(),
        };
        let s = c.summarize(date(2026, 11, 18), date(2026, 11, 18));
        assert_eq!(s.first, date(2026, 11, 16));
        assert!(s.current);
        assert_eq!(s.total, Minutes::ZERO);
        assert!(s.by_item.is_empty() && s.finished.is_empty() && s.next_week.is_empty());
        assert_eq!(s.streaks.current, 0);
        assert_eq!((s.committed, s.buffer_days), (None, None));
    }

    #[test]
    fn whole_percents_add_up_to_a_hundred() {
        let m = |v: &[u32]| v.iter().copied().map(Minutes::new).collect::<Vec<_>>();
        assert_eq!(whole_percents(&m(&[1, 1, 1])), [34, 33, 33]);
        assert_eq!(whole_percents(&m(&[90, 30, 0])), [75, 25, 0]);
        assert_eq!(whole_percents(&m(&[2, 2, 1, 1])), [33, 33, 17, 17]);
        assert_eq!(whole_percents(&m(&[0, 0])), [0, 0]);
        assert_eq!(whole_percents(&m(&[])), Vec::<u32>::new());
        for parts in [[7, 13, 29], [1, 998, 1], [u32::MAX, u32::MAX, 1]] {
            let sum: u32 = whole_percents(&m(&parts)).iter().sum();
            assert_eq!(sum, 100, "{parts:?}");
        }
    }
}
