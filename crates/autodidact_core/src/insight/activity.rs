//! A learner's logged minutes, day by day and kind by kind, and the days they declared as rest.
//!
//! Every other insight reads the record through [`Activity`]: the store's logs are folded into
//! one [`DayActivity`] per civil day (the log's own `day`, already in the learner's time zone),
//! with several logs of the same day and kind summed. Logs of zero minutes leave no trace, so a
//! day is "logged" only when something was studied on it.

use std::collections::BTreeMap;

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use crate::curriculum::Minutes;
use crate::plan::Break;
use crate::store::LogKind;

/// Minutes of one day by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DayActivity {
    /// Reading, watching, following a course.
    pub learn: Minutes,
    /// Making something: exercises, projects.
    pub build: Minutes,
    /// Going back over what was learned.
    pub review: Minutes,
}

impl DayActivity {
    /// All three kinds together.
    pub fn total(&self) -> Minutes {
        self.learn
            .saturating_add(self.build)
            .saturating_add(self.review)
    }

    /// Time spent making ("exhaling"): the build minutes.
    pub fn making(&self) -> Minutes {
        self.build
    }

    /// Time spent taking in ("inhaling"): learn plus review minutes.
    pub fn taking_in(&self) -> Minutes {
        self.learn.saturating_add(self.review)
    }

    /// Adds `minutes` of `kind`.
    pub fn add(&mut self, kind: LogKind, minutes: Minutes) {
        let slot = match kind {
            LogKind::Learn => &mut self.learn,
            LogKind::Build => &mut self.build,
            LogKind::Review => &mut self.review,
        };
        *slot = slot.saturating_add(minutes);
    }

    /// Both days' minutes, kind by kind.
    pub fn plus(self, other: DayActivity) -> DayActivity {
        DayActivity {
            learn: self.learn.saturating_add(other.learn),
            build: self.build.saturating_add(other.build),
            review: self.review.saturating_add(other.review),
        }
    }
}

/// A learner's logged minutes per day: only days with some study are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Activity {
    days: BTreeMap<Date, DayActivity>,
}

impl Activity {
    /// Folds logs, given as `(day, kind, minutes)` in any order, into days; the minutes of the
    /// same day and kind are summed, and zero-minute logs are ignored.
    pub fn from_entries(entries: impl IntoIterator<Item = (Date, LogKind, Minutes)>) -> Self {
        let mut activity = Self::default();
        for (day, kind, minutes) in entries {
            activity.add(day, kind, minutes);
        }
        activity
    }

    /// Adds one log; zero minutes change nothing.
    pub fn add(&mut self, day: Date, kind: LogKind, minutes: Minutes) {
        if !minutes.is_zero() {
            self.days.entry(day).or_default().add(kind, minutes);
        }
    }

    /// The minutes of one day (all zero when nothing was logged).
    pub fn on(&self, day: Date) -> DayActivity {
        self.days.get(&day).copied().unwrap_or_default()
    }

    /// The sum over `first..=last`, both included; zero when `last` is before `first`.
    pub fn between(&self, first: Date, last: Date) -> DayActivity {
        if last < first {
            return DayActivity::default();
        }
        self.days
            .range(first..=last)
            .fold(DayActivity::default(), |sum, (_, day)| sum.plus(*day))
    }

    /// The days with some study, in ascending order.
    pub fn days(&self) -> impl Iterator<Item = (Date, DayActivity)> + '_ {
        self.days.iter().map(|(day, activity)| (*day, *activity))
    }

    /// The first day with some study.
    pub fn first_day(&self) -> Option<Date> {
        self.days.keys().next().copied()
    }

    /// The first day with some study on or before `today`: later, future-dated logs do not
    /// make a learner's history start.
    pub fn first_day_until(&self, today: Date) -> Option<Date> {
        self.first_day().filter(|first| *first <= today)
    }

    /// Whether nothing at all was logged.
    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }
}

/// Which days are declared rest: any break of any curriculum the learner follows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RestDays {
    /// Spans of dates and weekly rest days, in no particular order.
    pub breaks: Vec<Break>,
}

impl RestDays {
    /// Whether some break covers `day`.
    pub fn is_rest(&self, day: Date) -> bool {
        self.breaks.iter().any(|b| b.covers(day))
    }
}

/// Every day of `first..=last`, both included; nothing when `last` is before `first`.
pub(crate) fn each_day(first: Date, last: Date) -> impl Iterator<Item = Date> {
    std::iter::successors((first <= last).then_some(first), move |d| {
        d.tomorrow().ok().filter(|next| *next <= last)
    })
}

/// `date` moved by `days` (negative: back), stopping at the ends of the calendar.
pub(crate) fn shift(date: Date, days: i64) -> Date {
    date.checked_add(days.days())
        .unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub(crate) fn days_from(from: Date, to: Date) -> i64 {
    i64::from((to - from).get_days())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use jiff::civil::{Weekday, date};

    use super::*;

    fn m(minutes: u32) -> Minutes {
        Minutes::new(minutes)
    }

    #[test]
    fn a_day_splits_into_making_and_taking_in() {
        let day = DayActivity {
            learn: m(30),
            build: m(45),
            review: m(10),
        };
        assert_eq!(day.total(), m(85));
        assert_eq!(day.making(), m(45));
        assert_eq!(day.taking_in(), m(40));
    }

    #[test]
    fn logs_of_the_same_day_and_kind_are_summed() {
        let d = date(2026, 3, 2);
        let activity = Activity::from_entries([
            (d, LogKind::Learn, m(20)),
            (d, LogKind::Learn, m(25)),
            (d, LogKind::Build, m(60)),
            (date(2026, 3, 4), LogKind::Review, m(15)),
        ]);
        assert_eq!(
            activity.on(d),
            DayActivity {
                learn: m(45),
                build: m(60),
                review: m(0)
            }
        );
        assert_eq!(activity.on(date(2026, 3, 3)), DayActivity::default());
        assert_eq!(activity.days().count(), 2);
    }

    #[test]
    fn zero_minute_logs_leave_no_day_behind() {
        let activity = Activity::from_entries([
            (date(2026, 1, 1), LogKind::Learn, m(0)),
            (date(2026, 1, 5), LogKind::Learn, m(5)),
        ]);
        assert_eq!(activity.first_day(), Some(date(2026, 1, 5)));
        assert!(Activity::from_entries([(date(2026, 1, 1), LogKind::Build, m(0))]).is_empty());
    }

    #[test]
    fn between_includes_both_ends_and_is_empty_when_reversed() {
        let activity = Activity::from_entries([
            (date(2026, 3, 1), LogKind::Learn, m(10)),
            (date(2026, 3, 3), LogKind::Build, m(20)),
            (date(2026, 3, 5), LogKind::Review, m(40)),
        ]);
        let sum = activity.between(date(2026, 3, 1), date(2026, 3, 3));
        assert_eq!((sum.learn, sum.build, sum.review), (m(10), m(20), m(0)));
        assert_eq!(
            activity.between(date(2026, 3, 1), date(2026, 3, 5)).total(),
            m(70)
        );
        assert_eq!(
            activity.between(date(2026, 3, 5), date(2026, 3, 1)),
            DayActivity::default()
        );
    }

    #[test]
    fn days_come_in_ascending_order_whatever_the_input_order() {
        let activity = Activity::from_entries([
            (date(2026, 5, 9), LogKind::Learn, m(1)),
            (date(2026, 1, 2), LogKind::Learn, m(1)),
            (date(2026, 3, 4), LogKind::Learn, m(1)),
        ]);
        let days: Vec<Date> = activity.days().map(|(d, _)| d).collect();
        assert_eq!(days, [date(2026, 1, 2), date(2026, 3, 4), date(2026, 5, 9)]);
        assert_eq!(activity.first_day(), Some(date(2026, 1, 2)));
        assert_eq!(activity.first_day_until(date(2026, 1, 1)), None);
    }

    #[test]
    fn a_day_is_rest_when_any_break_covers_it() {
        let rest = RestDays {
            breaks: vec![
                Break::Weekly {
                    day: Weekday::Sunday,
                },
                Break::Dates {
                    from: date(2026, 12, 21),
                    to: date(2027, 1, 3),
                },
            ],
        };
        assert!(rest.is_rest(date(2026, 3, 1))); // a Sunday
        assert!(!rest.is_rest(date(2026, 3, 2)));
        assert!(rest.is_rest(date(2026, 12, 24)));
        assert!(!rest.is_rest(date(2027, 1, 4)));
        assert!(!RestDays::default().is_rest(date(2026, 3, 1)));
    }

    #[test]
    fn day_helpers_count_and_walk_the_calendar() {
        let days: Vec<Date> = each_day(date(2026, 2, 27), date(2026, 3, 2)).collect();
        assert_eq!(days.len(), 4);
        assert_eq!(each_day(date(2026, 3, 2), date(2026, 3, 1)).count(), 0);
        assert_eq!(shift(date(2026, 3, 1), -1), date(2026, 2, 28));
        assert_eq!(days_from(date(2026, 3, 1), date(2026, 2, 28)), -1);
        assert_eq!(days_from(date(2025, 3, 1), date(2026, 3, 1)), 365);
        assert_eq!(shift(Date::MAX, 3), Date::MAX);
    }
}
