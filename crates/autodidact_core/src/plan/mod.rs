//! The planner: a curriculum and the hours a learner has, turned into dates.
//!
//! Work is scheduled one item at a time, in an order that keeps prerequisites first and the
//! curriculum's phase order wherever prerequisites allow, and it fills each day's share of the
//! weekly budget. One item at a time never leaves a day idle, so no other order finishes
//! sooner; and it is how most people with a day job actually study. Everything is in whole
//! minutes, so the planned total equals the estimate exactly.

mod budget;
mod history;
mod order;

use std::collections::{BTreeSet, HashMap};

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use serde::Serialize;

use crate::curriculum::{Curriculum, ItemId, ItemKind, Minutes, Mode};

use budget::Calendar;
pub use budget::{Break, BreakError, BudgetError, WeeklyBudget, parse_weekday, weekday_index};
pub use history::{BudgetChange, BudgetHistory, Change, History, HistoryError};

/// A plan runs for at most this many years; longer means the budget is far too small.
pub const MAX_PLAN_YEARS: i64 = 20;

/// The first day a learner may write (a log, a start, a break): earlier is a typo.
pub const FIRST_DAY: Date = jiff::civil::date(1900, 1, 1);
/// The last day a learner may write.
pub const LAST_DAY: Date = jiff::civil::date(2200, 12, 31);

/// A day outside [`FIRST_DAY`]..=[`LAST_DAY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0} is not between 1900-01-01 and 2200-12-31: check the year")]
pub struct OutsideCalendar(pub Date);

/// `day` when it lies between [`FIRST_DAY`] and [`LAST_DAY`].
pub fn check_calendar_day(day: Date) -> Result<Date, OutsideCalendar> {
    if (FIRST_DAY..=LAST_DAY).contains(&day) {
        Ok(day)
    } else {
        Err(OutsideCalendar(day))
    }
}

/// What the planner needs to know.
#[derive(Debug, Clone)]
pub struct PlanRequest<'a> {
    pub curriculum: &'a Curriculum,
    pub budget: WeeklyBudget,
    pub start: Date,
    pub breaks: Vec<Break>,
    /// Items already finished: they take no more time, and their dependents need not wait.
    pub done: BTreeSet<ItemId>,
    /// The first day of a planning week.
    pub week_start: Weekday,
    /// Minutes already spent on items not yet finished: only what is left of each is planned
    /// (see [`work_left`]).
    pub spent: HashMap<ItemId, Minutes>,
    /// Minutes already studied on the first day: that day holds only what is left of its share.
    pub used_on_start: Minutes,
    /// Budget changes after `start`, oldest first: from each one's day on, its budget replaces
    /// `budget` (see [`BudgetHistory`]).
    pub later_budgets: Vec<BudgetChange>,
}

impl<'a> PlanRequest<'a> {
    pub fn new(curriculum: &'a Curriculum, budget: WeeklyBudget, start: Date) -> Self {
        Self {
            curriculum,
            budget,
            start,
            breaks: Vec::new(),
            done: BTreeSet::new(),
            week_start: Weekday::Monday,
            spent: HashMap::new(),
            used_on_start: Minutes::ZERO,
            later_budgets: Vec::new(),
        }
    }
}

/// What is left of an item estimated at `estimate` with `spent` minutes already on it: the
/// estimate less the time spent, but never less than a tenth of the estimate (rounded up). An
/// item is finished only when the learner marks it done; until then it keeps a place in the
/// plan, even when it has run past its estimate.
pub fn work_left(estimate: Minutes, spent: Minutes) -> Minutes {
    let floor = estimate.get().div_ceil(10);
    Minutes::new(estimate.get().saturating_sub(spent.get()).max(floor))
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("the weekly budget is zero hours: give at least some time each week")]
    ZeroBudget,
    #[error(
        "every day that has study hours is a break day, so nothing can ever be scheduled: move a rest day or add hours to another weekday"
    )]
    NoStudyDays,
    #[error("prerequisites go round in a cycle: {}; remove one of them", path_text(.path))]
    PrerequisiteCycle { path: Vec<ItemId> },
    #[error("`{item}` requires `{missing}`, which is not in the curriculum")]
    UnknownPrerequisite { item: ItemId, missing: ItemId },
    #[error(
        "at this budget the plan would run past {limit}, more than {MAX_PLAN_YEARS} years: raise the weekly hours or shorten the breaks"
    )]
    TooLong { limit: Date },
}

fn path_text(path: &[ItemId]) -> String {
    path.iter()
        .map(ItemId::as_str)
        .collect::<Vec<_>>()
        .join(" → ")
}

/// A dated plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub start: Date,
    pub budget: WeeklyBudget,
    /// Every item of the curriculum, in document order.
    pub items: Vec<PlannedItem>,
    pub phases: Vec<PlannedPhase>,
    /// From the week holding `start` to the week holding `end`, with nothing skipped.
    pub weeks: Vec<PlannedWeek>,
    /// The day the last item ends; `None` when everything is already done.
    pub end: Option<Date>,
    /// Minutes planned: what is left of every item not done.
    pub total: Minutes,
    /// The work of the first day (`start`), minutes per item (index into [`Plan::items`]) in
    /// the order it happens: for a rolling plan, what to do today.
    pub first_day: Vec<(usize, Minutes)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedItem {
    pub id: ItemId,
    pub title: String,
    pub kind: ItemKind,
    pub mode: Mode,
    pub phase: usize,
    pub minutes: Minutes,
    pub done: bool,
    /// The work's dates and weeks (1-based); `None` for done items.
    pub span: Option<Span>,
    /// Position in the order the work happens (0 first); `None` for done items.
    pub sequence: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: Date,
    pub end: Date,
    pub start_week: u32,
    pub end_week: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedPhase {
    pub title: String,
    pub minutes: Minutes,
    /// The day its last item ends; `None` when the whole phase is done.
    pub end: Option<Date>,
    pub end_week: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedWeek {
    /// 1-based.
    pub number: u32,
    pub start: Date,
    pub end: Date,
    /// The study time the week holds after breaks and days before the start.
    pub capacity: Minutes,
    /// Minutes per item (index into [`Plan::items`]), in the order the work happens.
    pub work: Vec<(usize, Minutes)>,
}

impl PlannedWeek {
    pub fn planned(&self) -> Minutes {
        self.work.iter().map(|&(_, m)| m).sum()
    }
}

impl Plan {
    /// The items in the order the planner does them.
    pub fn in_order(&self) -> Vec<&PlannedItem> {
        let mut items: Vec<&PlannedItem> = self.items.iter().filter(|i| !i.done).collect();
        items.sort_by_key(|i| i.sequence);
        items
    }
}

/// Schedules every item that is not done.
pub fn plan_schedule(request: &PlanRequest<'_>) -> Result<Plan, PlanError> {
    let calendar = Budgets::new(request)?;
    let curriculum = request.curriculum;
    let weekly = curriculum.hours_per_week;
    let flat: Vec<(usize, &crate::curriculum::Item)> = curriculum.items_with_phase().collect();
    let done: Vec<bool> = flat
        .iter()
        .map(|(_, i)| request.done.contains(&i.id))
        .collect();
    let minutes: Vec<Minutes> = flat
        .iter()
        .zip(&done)
        .map(|((_, item), &d)| {
            if d {
                Minutes::ZERO
            } else {
                let spent = request.spent.get(&item.id).copied().unwrap_or_default();
                work_left(item.planned(weekly), spent)
            }
        })
        .collect();
    let order = order::work_order(curriculum, &done)?;

    let week_one = start_of_week(request.start, request.week_start);
    let limit = request
        .start
        .checked_add(MAX_PLAN_YEARS.years())
        .unwrap_or(Date::MAX);
    let mut fill = Filler {
        calendar: &calendar,
        week_one,
        day: request.start,
        left_today: calendar
            .minutes_on(request.start)
            .saturating_sub(request.used_on_start.get()),
        limit,
        weeks: Vec::new(),
        first_day: Vec::new(),
        start: request.start,
    };
    let mut spans: Vec<Option<Span>> = vec![None; flat.len()];
    let mut sequence: Vec<Option<usize>> = vec![None; flat.len()];
    for (k, &n) in order.iter().enumerate() {
        spans[n] = Some(fill.schedule(n, minutes[n].get())?);
        sequence[n] = Some(k);
    }
    let end = spans.iter().flatten().map(|s| s.end).max();
    let first_day = std::mem::take(&mut fill.first_day);
    let weeks = fill.into_weeks(request.start, end);

    let items: Vec<PlannedItem> = flat
        .iter()
        .enumerate()
        .map(|(n, &(phase, item))| PlannedItem {
            id: item.id.clone(),
            title: item.title.clone(),
            kind: item.kind,
            mode: item.mode(),
            phase,
            minutes: minutes[n],
            done: done[n],
            span: spans[n],
            sequence: sequence[n],
        })
        .collect();
    let phases = curriculum
        .phases
        .iter()
        .enumerate()
        .map(|(p, phase)| {
            let of_phase = || items.iter().filter(move |i| i.phase == p);
            let last = of_phase().filter_map(|i| i.span).max_by_key(|s| s.end);
            PlannedPhase {
                title: phase.title.clone(),
                minutes: of_phase().map(|i| i.minutes).sum(),
                end: last.map(|s| s.end),
                end_week: last.map(|s| s.end_week),
            }
        })
        .collect();
    Ok(Plan {
        start: request.start,
        budget: request.budget,
        total: minutes.iter().copied().sum(),
        items,
        phases,
        weeks,
        end,
        first_day,
    })
}

/// The first day of the week holding `date`.
pub fn start_of_week(date: Date, week_start: Weekday) -> Date {
    let back = date.weekday().since(week_start);
    date.checked_sub(i64::from(back).days()).unwrap_or(date)
}

/// The calendar of each budget in force, from the day it takes effect.
struct Budgets<'a> {
    /// Oldest first; the first from the plan's start. `None` for a budget with no study time.
    spans: Vec<(Date, Option<Calendar<'a>>)>,
}

impl<'a> Budgets<'a> {
    /// The last budget (the one that runs on for ever) must be able to hold study time; an
    /// earlier one may be a pause.
    fn new(request: &'a PlanRequest<'_>) -> Result<Self, PlanError> {
        let changes = std::iter::once((request.start, request.budget)).chain(
            request
                .later_budgets
                .iter()
                .filter(|c| c.from > request.start)
                .map(|c| (c.from, c.value)),
        );
        let spans: Vec<(Date, Option<Calendar<'a>>)> = changes
            .map(|(from, budget)| (from, Calendar::new(budget, &request.breaks)))
            .collect();
        let last = request
            .later_budgets
            .iter()
            .rfind(|c| c.from > request.start)
            .map_or(request.budget, |c| c.value);
        if last.weekly_total().is_zero() {
            return Err(PlanError::ZeroBudget);
        }
        if spans.last().is_none_or(|(_, c)| c.is_none()) {
            return Err(PlanError::NoStudyDays);
        }
        Ok(Self { spans })
    }

    fn minutes_on(&self, date: Date) -> u32 {
        self.spans
            .iter()
            .rev()
            .find(|(from, _)| *from <= date)
            .or(self.spans.first())
            .and_then(|(_, c)| c.as_ref())
            .map_or(0, |c| c.minutes_on(date))
    }
}

/// Walks the calendar day by day, pouring work into each day's share of the budget.
struct Filler<'c> {
    calendar: &'c Budgets<'c>,
    week_one: Date,
    day: Date,
    left_today: u32,
    limit: Date,
    /// Work per week, indexed from week one.
    weeks: Vec<Vec<(usize, Minutes)>>,
    /// The start day's work.
    first_day: Vec<(usize, Minutes)>,
    /// The start day.
    start: Date,
}

impl Filler<'_> {
    fn week_of(&self, date: Date) -> usize {
        let days = (date - self.week_one).get_days();
        usize::try_from(days / 7).unwrap_or(0)
    }

    fn next_day(&mut self) -> Result<(), PlanError> {
        self.day = self
            .day
            .tomorrow()
            .ok()
            .filter(|d| *d <= self.limit)
            .ok_or(PlanError::TooLong { limit: self.limit })?;
        self.left_today = self.calendar.minutes_on(self.day);
        Ok(())
    }

    fn schedule(&mut self, item: usize, mut minutes: u32) -> Result<Span, PlanError> {
        while self.left_today == 0 {
            self.next_day()?;
        }
        let start = self.day;
        loop {
            let take = minutes.min(self.left_today);
            self.left_today -= take;
            minutes -= take;
            self.add(item, take);
            if minutes == 0 {
                break;
            }
            self.next_day()?;
        }
        let week_number = |d: Date| self.week_of(d) as u32 + 1;
        Ok(Span {
            start,
            end: self.day,
            start_week: week_number(start),
            end_week: week_number(self.day),
        })
    }

    fn add(&mut self, item: usize, minutes: u32) {
        if minutes == 0 {
            return;
        }
        if self.day == self.start {
            match self.first_day.last_mut() {
                Some((last, m)) if *last == item => *m = m.saturating_add(Minutes::new(minutes)),
                _ => self.first_day.push((item, Minutes::new(minutes))),
            }
        }
        let week = self.week_of(self.day);
        if self.weeks.len() <= week {
            self.weeks.resize_with(week + 1, Vec::new);
        }
        let work = &mut self.weeks[week];
        match work.last_mut() {
            Some((last, m)) if *last == item => *m = m.saturating_add(Minutes::new(minutes)),
            _ => work.push((item, Minutes::new(minutes))),
        }
    }

    fn into_weeks(self, start: Date, end: Option<Date>) -> Vec<PlannedWeek> {
        let last = end.map_or(0, |e| self.week_of(e));
        let mut weeks = self.weeks;
        weeks.resize_with(last + 1, Vec::new);
        weeks
            .into_iter()
            .enumerate()
            .map(|(w, work)| {
                let first = self
                    .week_one
                    .checked_add((w as i64 * 7).days())
                    .unwrap_or(Date::MAX);
                let last = first.checked_add(6.days()).unwrap_or(Date::MAX);
                let capacity = days(first, last)
                    .filter(|d| *d >= start)
                    .map(|d| Minutes::new(self.calendar.minutes_on(d)))
                    .sum();
                PlannedWeek {
                    number: w as u32 + 1,
                    start: first,
                    end: last,
                    capacity,
                    work,
                }
            })
            .collect()
    }
}

fn days(first: Date, last: Date) -> impl Iterator<Item = Date> {
    std::iter::successors(Some(first), move |d| {
        d.tomorrow().ok().filter(|n| *n <= last)
    })
}

/// Declared availability ahead, for the forecast: one share per learner week from the week
/// holding `today` up to the week of the last date break, of that week's budgeted minutes on
/// days that are not date breaks (weekly rest days are part of every week, not a break). For
/// the week holding `today` only the days after today count; a week with no budgeted day is
/// 1.0. Empty when no date break lies ahead.
pub fn availability(
    budget: WeeklyBudget,
    breaks: &[Break],
    today: Date,
    week_start: Weekday,
) -> Vec<f64> {
    let last = breaks
        .iter()
        .filter_map(|b| match *b {
            Break::Dates { to, .. } if to > today => Some(to),
            _ => None,
        })
        .max();
    let Some(last) = last else {
        return Vec::new();
    };
    let weekly: Vec<Break> = breaks
        .iter()
        .copied()
        .filter(|b| matches!(b, Break::Weekly { .. }))
        .collect();
    let (Some(with), Some(without)) = (
        Calendar::new(budget, breaks),
        Calendar::new(budget, &weekly),
    ) else {
        return Vec::new();
    };
    let mut shares = Vec::new();
    let mut first = start_of_week(today, week_start);
    while first <= last {
        let (mut have, mut normal) = (0u64, 0u64);
        for n in 0..7 {
            let Ok(day) = first.checked_add(n.days()) else {
                break;
            };
            if day <= today {
                continue;
            }
            have += u64::from(with.minutes_on(day));
            normal += u64::from(without.minutes_on(day));
        }
        shares.push(if normal == 0 {
            1.0
        } else {
            have as f64 / normal as f64
        });
        let Ok(next) = first.checked_add(7.days()) else {
            break;
        };
        first = next;
    }
    shares
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod availability_tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn a_declared_break_ahead_takes_its_days_out_of_its_weeks() {
        let budget = WeeklyBudget::parse("7").unwrap();
        // Wednesday 4 March; a break from Saturday 7 to Sunday 15 March.
        let breaks: Vec<Break> = vec!["2026-03-07..2026-03-15".parse().unwrap()];
        let shares = availability(budget, &breaks, date(2026, 3, 4), Weekday::Monday);
        // This week: Thursday to Sunday left, two of them off; next week all off.
        assert_eq!(shares, [0.5, 0.0]);
        assert!(availability(budget, &[], date(2026, 3, 4), Weekday::Monday).is_empty());
        // A weekly rest day is no break: it is not counted as one.
        let rest: Vec<Break> = vec!["sun".parse().unwrap(), "2026-03-11".parse().unwrap()];
        let shares = availability(budget, &rest, date(2026, 3, 4), Weekday::Monday);
        assert_eq!(shares.len(), 2);
        assert_eq!(shares[0], 1.0);
        assert!((shares[1] - 5.0 / 6.0).abs() < 1e-9, "{shares:?}");
    }
}
