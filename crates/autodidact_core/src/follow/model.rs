//! A follow with everything needed to plan it.

use std::collections::{BTreeSet, HashMap};

use jiff::civil::{Date, Weekday};

use super::rules::Progress;
use crate::curriculum::{Curriculum, ItemId};
use crate::plan::{
    Break, BudgetHistory, Plan, PlanError, PlanRequest, WeeklyBudget, plan_schedule, start_of_week,
};
use crate::store::{CurriculumRecord, Follow, ItemState, ItemStatus};

/// A follow with its curriculum (parsed) and the learner's board.
#[derive(Debug, Clone)]
pub struct Followed {
    pub follow: Follow,
    pub record: CurriculumRecord,
    pub curriculum: std::sync::Arc<Curriculum>,
    /// Stored board states by item; an item without one is `todo`.
    pub states: HashMap<ItemId, ItemState>,
    /// The learner's first day of the week, for week numbers.
    pub week_start: Weekday,
}

/// Items that need no more time.
pub fn is_finished(status: ItemStatus) -> bool {
    matches!(status, ItemStatus::Done | ItemStatus::Skipped)
}

impl Followed {
    pub fn status(&self, item: &ItemId) -> ItemStatus {
        self.states
            .get(item)
            .map_or(ItemStatus::Todo, |state| state.status)
    }

    /// Items that need no more time: done or skipped.
    pub fn finished(&self) -> BTreeSet<ItemId> {
        self.states
            .values()
            .filter(|s| is_finished(s.status))
            .map(|s| s.item.clone())
            .collect()
    }

    /// The stored settings.
    pub fn settings(&self) -> PlanSettings {
        PlanSettings {
            budget: self.follow.budget,
            start: self.follow.start,
            breaks: self.follow.breaks.clone(),
            history: self.follow.budget_history.clone(),
        }
    }

    /// The stored settings with a new budget, start and breaks: a new `budget` takes effect on
    /// `from` (earlier days keep the budget they had), or from the start when the plan has
    /// not started by `today`; the same budget leaves the history as it is.
    pub fn changed(&self, new: &PlanSettings, from: Date, today: Date) -> PlanSettings {
        let history = if new.budget == self.follow.budget {
            self.follow.budget_history.clone()
        } else if self.follow.start > today && new.start > today {
            BudgetHistory::starting(new.start, new.budget)
        } else {
            let mut history = self.follow.budgets();
            history.set_from(from, new.budget);
            history
        };
        PlanSettings {
            history,
            ..new.clone()
        }
    }

    /// The planner's request for `settings`, with `done` left out.
    pub fn request_with(&self, settings: &PlanSettings, done: BTreeSet<ItemId>) -> PlanRequest<'_> {
        settings.request(&self.curriculum, done, self.week_start)
    }

    /// The plan for these settings (the stored ones, or ones about to be stored), with every
    /// finished item left out.
    pub fn plan_with(&self, settings: &PlanSettings) -> Result<Plan, PlanError> {
        plan_schedule(&self.request_with(settings, self.finished()))
    }

    /// The request for the rolling plan: the work left, from `today` (or from the stored start
    /// when that is later), with the time already spent on unfinished items and on `today`
    /// taken off.
    pub fn rolling_request(&self, progress: &Progress, today: Date) -> PlanRequest<'_> {
        let finished = self.finished();
        let started = self.follow.start <= today;
        let mut settings = self.settings();
        if started {
            settings.history = settings.budgets();
            settings.start = today;
        }
        let mut request = self.request_with(&settings, BTreeSet::new());
        request.spent = progress
            .logged
            .iter()
            .filter(|(item, _)| !finished.contains(*item))
            .map(|(item, m)| (item.clone(), *m))
            .collect();
        request.done = finished;
        if started {
            request.used_on_start = progress.activity.on(today).total();
        }
        request
    }

    /// The rolling plan: the one schedule every page, the week, the calendar feed and the API
    /// show. It always starts today (or at the stored start, when that is still ahead) with the
    /// work that is left, so unfinished work is carried forward and never drawn in the past.
    /// How far behind the learner is, is measured against the plan they accepted
    /// ([`super::plan_in_force`]), not against this one.
    pub fn rolling_plan(&self, progress: &Progress, today: Date) -> Result<Plan, PlanError> {
        plan_schedule(&self.rolling_request(progress, today))
    }
}

/// When a new budget takes effect: the days before it keep the budget they had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Effective {
    /// From the first day of the next week: this week keeps the target it started with.
    #[default]
    NextWeek,
    /// From today, because the learner says so.
    Today,
}

impl Effective {
    /// `next-week` or `today`, as in forms and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Effective::NextWeek => "next-week",
            Effective::Today => "today",
        }
    }

    /// The inverse of [`Effective::as_str`].
    pub fn parse(raw: &str) -> Option<Self> {
        [Effective::NextWeek, Effective::Today]
            .into_iter()
            .find(|e| e.as_str() == raw.trim())
    }

    /// The first day with the new budget.
    pub fn day(self, today: Date, week_start: Weekday) -> Date {
        match self {
            Effective::Today => today,
            Effective::NextWeek => start_of_week(today, week_start)
                .checked_add(jiff::ToSpan::days(7))
                .unwrap_or(today),
        }
    }
}

/// The settings of a follow as the planner reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanSettings {
    /// The latest budget.
    pub budget: WeeklyBudget,
    pub start: Date,
    pub breaks: Vec<Break>,
    /// Which budget is in force on each day; empty means `budget` since `start`.
    pub history: BudgetHistory,
}

impl PlanSettings {
    /// New settings with one budget from the start.
    pub fn new(budget: WeeklyBudget, start: Date, breaks: Vec<Break>) -> Self {
        Self {
            budget,
            start,
            breaks,
            history: BudgetHistory::default(),
        }
    }

    /// The history, with `budget` since `start` when it is empty.
    pub fn budgets(&self) -> BudgetHistory {
        if self.history.is_empty() {
            BudgetHistory::starting(self.start, self.budget)
        } else {
            self.history.clone()
        }
    }

    /// The planner's request for `curriculum`; `done` holds the items that take no more time.
    /// The plan starts with the budget in force on the start day, and applies every later
    /// change on its day.
    pub fn request<'a>(
        &self,
        curriculum: &'a Curriculum,
        done: BTreeSet<ItemId>,
        week_start: Weekday,
    ) -> PlanRequest<'a> {
        let history = self.budgets();
        let budget = history.on(self.start).unwrap_or(self.budget);
        let mut request = PlanRequest::new(curriculum, budget, self.start);
        request.later_budgets = history.after(self.start);
        request.breaks = self.breaks.clone();
        request.done = done;
        request.week_start = week_start;
        request
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use jiff::Timestamp;
    use jiff::civil::date;

    use super::*;
    use crate::accounts::Zone;
    use crate::curriculum::Minutes;
    use crate::follow::fixture::{self, id};

    /// The fixture followed at 7 h a week (an hour a day) from `start`, with `done` marked done.
    fn followed(start: Date, done: &[&str]) -> Followed {
        let at: Timestamp = "2026-03-01T12:00:00Z".parse().unwrap();
        let states: Vec<ItemState> = done
            .iter()
            .map(|item| ItemState {
                item: id(item),
                status: ItemStatus::Done,
                notes: String::new(),
                updated_at: at,
            })
            .collect();
        fixture::followed("7", start, &states)
    }

    fn progress(f: &Followed, logs: &[(Date, Option<&str>, u32)], today: Date) -> Progress {
        let minutes: Vec<(Date, Option<ItemId>, Minutes)> = logs
            .iter()
            .map(|(day, item, m)| (*day, item.map(id), Minutes::new(*m)))
            .collect();
        Progress::new(f, &minutes, &Zone::utc(), today)
    }

    fn item<'p>(plan: &'p Plan, raw: &str) -> &'p crate::plan::PlannedItem {
        plan.items.iter().find(|i| i.id == id(raw)).unwrap()
    }

    #[test]
    fn behind_the_plan_starts_today_with_everything_left_and_nothing_in_the_past() {
        // Started eight weeks ago at an hour a day; nothing done, nothing logged.
        let today = date(2026, 3, 4);
        let f = followed(date(2026, 1, 7), &[]);
        let plan = f.rolling_plan(&progress(&f, &[], today), today).unwrap();
        assert_eq!(plan.start, today);
        assert_eq!(plan.total, Minutes::from_hours(40));
        for planned in &plan.items {
            assert!(planned.span.unwrap().start >= today, "{planned:?}");
        }
        // Forty hours at an hour a day: today and the 39 days after it.
        assert_eq!(plan.end, Some(date(2026, 4, 12)));
        assert!(plan.weeks.iter().all(|w| w.end >= today));
        // The stored plan from its start would have drawn it all in the past.
        assert!(f.plan_with(&f.settings()).unwrap().end < Some(today));
    }

    #[test]
    fn time_spent_on_an_unfinished_item_is_taken_off_it_down_to_a_tenth() {
        let today = date(2026, 3, 4);
        let f = followed(date(2026, 3, 2), &["course"]);
        let logs = [
            (date(2026, 3, 2), Some("course"), 600),
            (date(2026, 3, 3), Some("book"), 300),
            (date(2026, 3, 3), Some("project"), 700),
        ];
        let plan = f.rolling_plan(&progress(&f, &logs, today), today).unwrap();
        assert!(item(&plan, "course").done);
        assert_eq!(item(&plan, "book").minutes, Minutes::new(20 * 60 - 300));
        // Logged past its estimate but not marked done: it keeps a tenth of it.
        assert_eq!(item(&plan, "project").minutes, Minutes::new(60));
        assert_eq!(plan.total, Minutes::new(900 + 60));
    }

    #[test]
    fn time_already_studied_today_fills_todays_share_first() {
        let today = date(2026, 3, 4);
        let f = followed(date(2026, 3, 2), &[]);
        // Half of today's hour is used: the first item starts today with 30 minutes, and the
        // week (Wednesday to Sunday) holds 30 + 4 × 60 minutes of it.
        let half = f
            .rolling_plan(&progress(&f, &[(today, None, 30)], today), today)
            .unwrap();
        assert_eq!(half.weeks[0].work, [(0, Minutes::new(270))]);
        // Today holds what is left of its hour.
        assert_eq!(half.first_day, [(0, Minutes::new(30))]);
        assert_eq!(item(&half, "course").span.unwrap().start, today);
        // All of it is used: nothing more is planned today.
        let full = f
            .rolling_plan(&progress(&f, &[(today, None, 90)], today), today)
            .unwrap();
        assert_eq!(item(&full, "course").span.unwrap().start, date(2026, 3, 5));
    }

    #[test]
    fn a_plan_that_starts_later_keeps_its_start() {
        let today = date(2026, 3, 4);
        let f = followed(date(2026, 3, 16), &[]);
        let plan = f
            .rolling_plan(&progress(&f, &[(today, None, 60)], today), today)
            .unwrap();
        assert_eq!(plan.start, date(2026, 3, 16));
        assert_eq!(plan, f.plan_with(&f.settings()).unwrap());
    }

    #[test]
    fn work_left_never_drops_below_a_tenth_of_the_estimate() {
        use crate::plan::work_left;
        let m = Minutes::new;
        assert_eq!(work_left(m(600), m(0)), m(600));
        assert_eq!(work_left(m(600), m(200)), m(400));
        assert_eq!(work_left(m(600), m(580)), m(60));
        assert_eq!(work_left(m(605), m(5000)), m(61));
        assert_eq!(work_left(m(0), m(10)), m(0));
    }
}
