//! Weekly hours: the minutes logged in each learner week, against the budget.
//!
//! A learner week starts on the learner's chosen weekday ([`start_of_week`]); "the week holding
//! today" is the one whose first day is the week start on or before today. That week is still
//! running: it counts the logs up to today only, so future-dated logs never fill it.

use jiff::civil::{Date, Weekday};
use serde::Serialize;

use super::activity::{Activity, shift};
use crate::curriculum::Minutes;
use crate::plan::{BudgetHistory, start_of_week};

/// One bar of the weekly chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WeekBar {
    /// The week's first day.
    pub first: Date,
    /// The week's last day (six days after `first`), even for the week still running.
    pub last: Date,
    /// Minutes logged in the week (up to today for the current one), all kinds.
    pub logged: Minutes,
    /// The weekly budget the bar is drawn against.
    pub budget: Minutes,
    /// Whether this is the week holding today.
    pub current: bool,
}

impl WeekBar {
    /// Whether the week's logged minutes reached its budget (always true for a zero budget).
    pub fn reached(&self) -> bool {
        self.logged >= self.budget
    }
}

/// What the budgets ask for over a week: each week is judged by the budget in force then.
pub trait BudgetLine {
    /// The minutes asked for from `first` to `last`, both included (a whole week).
    fn week(&self, first: Date, last: Date) -> Minutes;
}

/// One weekly budget that never changed.
impl BudgetLine for Minutes {
    fn week(&self, _first: Date, _last: Date) -> Minutes {
        *self
    }
}

/// Every follow's budget history together: each day asks for a seventh of the weekly minutes
/// in force that day (see [`BudgetHistory::minutes_between`]).
impl BudgetLine for [BudgetHistory] {
    fn week(&self, first: Date, last: Date) -> Minutes {
        self.iter().map(|h| h.minutes_between(first, last)).sum()
    }
}

/// The last `weeks` learner weeks ending with the one holding today, oldest first, each drawn
/// against the budget in force that week. Weeks before the learner's first log are included,
/// empty.
pub fn weekly_bars<B: BudgetLine + ?Sized>(
    activity: &Activity,
    budget: &B,
    today: Date,
    week_start: Weekday,
    weeks: usize,
) -> Vec<WeekBar> {
    let this_week = start_of_week(today, week_start);
    (0..weeks)
        .rev()
        .map(|back| {
            let first = shift(this_week, -7 * back as i64);
            let last = shift(first, 6);
            WeekBar {
                first,
                last,
                logged: activity.between(first, last.min(today)).total(),
                budget: budget.week(first, last),
                current: back == 0,
            }
        })
        .collect()
}

/// Minutes per week for up to `weeks` complete weeks before the week holding today, oldest
/// first (the pace input of a forecast).
///
/// Weeks that end before the learner's first log are left out, so a learner who began three
/// weeks ago gets at most three figures, not a pace dragged down by weeks before they started;
/// the week of the first log counts even when the learner began mid-week. Nothing logged on or
/// before today gives an empty list.
pub fn complete_weeks(
    activity: &Activity,
    today: Date,
    week_start: Weekday,
    weeks: usize,
) -> Vec<Minutes> {
    let Some(first_log) = activity.first_day_until(today) else {
        return Vec::new();
    };
    let this_week = start_of_week(today, week_start);
    (1..=weeks)
        .rev()
        .map(|back| shift(this_week, -7 * back as i64))
        .filter(|first| shift(*first, 6) >= first_log)
        .map(|first| activity.between(first, shift(first, 6)).total())
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::store::LogKind;

    fn m(minutes: u32) -> Minutes {
        Minutes::new(minutes)
    }

    /// Logs from Monday 2 February 2026 on: 60 min in week 1, 120 in week 2, nothing in week 3,
    /// 300 in week 4, and 30 so far in week 5, plus a log dated after today.
    fn record() -> Activity {
        Activity::from_entries([
            (date(2026, 2, 4), LogKind::Learn, m(60)),
            (date(2026, 2, 9), LogKind::Build, m(100)),
            (date(2026, 2, 15), LogKind::Review, m(20)),
            (date(2026, 2, 23), LogKind::Learn, m(150)),
            (date(2026, 3, 1), LogKind::Learn, m(150)),
            (date(2026, 3, 2), LogKind::Learn, m(30)),
            (date(2026, 3, 6), LogKind::Learn, m(999)),
        ])
    }

    #[test]
    fn bars_run_oldest_first_and_end_with_the_week_holding_today() {
        let today = date(2026, 3, 4);
        let bars = weekly_bars(&record(), &m(240), today, Weekday::Monday, 5);
        let firsts: Vec<Date> = bars.iter().map(|b| b.first).collect();
        assert_eq!(
            firsts,
            [
                date(2026, 2, 2),
                date(2026, 2, 9),
                date(2026, 2, 16),
                date(2026, 2, 23),
                date(2026, 3, 2)
            ]
        );
        let logged: Vec<u32> = bars.iter().map(|b| b.logged.get()).collect();
        assert_eq!(logged, [60, 120, 0, 300, 30]);
        assert!(bars.iter().all(|b| b.budget == m(240)));
        assert_eq!(bars.iter().filter(|b| b.current).count(), 1);
        assert!(bars[4].current);
        assert_eq!(bars[4].last, date(2026, 3, 8));
        assert!(bars[3].reached() && !bars[1].reached());
    }

    #[test]
    fn the_week_start_moves_the_bars() {
        // Weeks from Sunday: 1 March starts the current week.
        let bars = weekly_bars(&record(), &m(240), date(2026, 3, 4), Weekday::Sunday, 2);
        assert_eq!(bars[1].first, date(2026, 3, 1));
        assert_eq!(bars[1].logged, m(180));
        assert_eq!(bars[0].logged, m(150));
    }

    #[test]
    fn bars_before_the_first_log_are_empty_and_zero_weeks_is_no_bar() {
        let bars = weekly_bars(&record(), &m(60), date(2026, 3, 4), Weekday::Monday, 8);
        assert_eq!(bars.len(), 8);
        assert!(bars[..3].iter().all(|b| b.logged.is_zero()));
        assert!(weekly_bars(&record(), &m(60), date(2026, 3, 4), Weekday::Monday, 0).is_empty());
    }

    #[test]
    fn complete_weeks_leave_out_the_current_week() {
        let weeks = complete_weeks(&record(), date(2026, 3, 4), Weekday::Monday, 3);
        assert_eq!(weeks, [m(120), m(0), m(300)]);
    }

    #[test]
    fn complete_weeks_start_with_the_week_of_the_first_log() {
        let weeks = complete_weeks(&record(), date(2026, 3, 4), Weekday::Monday, 6);
        assert_eq!(weeks, [m(60), m(120), m(0), m(300)]);
        // On the learner's first week there is no complete week yet.
        assert!(complete_weeks(&record(), date(2026, 2, 6), Weekday::Monday, 6).is_empty());
        assert!(
            complete_weeks(&Activity::default(), date(2026, 2, 6), Weekday::Monday, 6).is_empty()
        );
    }

    #[test]
    fn the_week_that_just_ended_counts_whole() {
        // Today is Monday 9 March: the week of 2 March is complete, Friday's log included.
        let weeks = complete_weeks(&record(), date(2026, 3, 9), Weekday::Monday, 1);
        assert_eq!(weeks, [m(1029)]);
    }
}
