//! The burnout guard: two signs that a learner is pushing harder than is wise.
//!
//! - **Over the ceiling**: the seven days ending today (today included) hold more than
//!   `ceiling_percent` of the weekly budget. The episode started on the first day of the
//!   unbroken run of days, ending today, whose own seven-day window is over the ceiling; that
//!   day names the episode, so a dismissal lasts until the learner drops back under and
//!   climbs over again. A zero budget sets no ceiling.
//! - **No rest**: study (any minutes) on each of at least [`NO_REST_DAYS`] days in a row,
//!   ending today, or yesterday when nothing is logged today yet (today may still be the rest
//!   day, but the run so far is already long). The episode is named by the run's first day.
//!
//! Signals come in that order. Logs after today are ignored.

use jiff::civil::Date;
use serde::Serialize;

use super::activity::{Activity, shift};
use crate::curriculum::Minutes;

/// Days of study in a row that raise [`BurnoutSignal::NoRest`].
pub const NO_REST_DAYS: u32 = 10;
/// The ceiling, in percent of the weekly budget, when the learner has not chosen one.
pub const DEFAULT_CEILING_PERCENT: u32 = 150;

/// A sign of overwork, with what the learner needs to see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BurnoutSignal {
    /// The 7 days ending today hold more than the ceiling.
    OverCeiling {
        /// Minutes in the seven days ending today.
        last_seven: Minutes,
        /// The ceiling they exceed: `ceiling_percent` of the weekly budget.
        ceiling: Minutes,
        /// The first day of the run of days whose seven-day window is over the ceiling.
        since: Date,
    },
    /// This many days in a row (ending today or yesterday) with study on every one.
    NoRest {
        /// Days in the run, at least [`NO_REST_DAYS`].
        days: u32,
        /// The run's first day.
        since: Date,
    },
}

impl BurnoutSignal {
    /// Stable for the whole episode, such as `over-ceiling:2026-03-02` or
    /// `no-rest:2026-03-01`: what to remember when the learner dismisses the signal.
    pub fn key(&self) -> String {
        match self {
            BurnoutSignal::OverCeiling { since, .. } => format!("over-ceiling:{since}"),
            BurnoutSignal::NoRest { since, .. } => format!("no-rest:{since}"),
        }
    }
}

/// The burnout signals on `today`. The ceiling is `ceiling_percent` (see
/// [`DEFAULT_CEILING_PERCENT`]) of `weekly_budget`, rounded down to the minute; a zero budget
/// gives no ceiling signal. `since` of OverCeiling: the first day of the unbroken run of days
/// whose 7-day window is over.
pub fn burnout(
    activity: &Activity,
    today: Date,
    weekly_budget: Minutes,
    ceiling_percent: u32,
) -> Vec<BurnoutSignal> {
    let mut signals = Vec::new();
    if let Some(signal) = over_ceiling(activity, today, weekly_budget, ceiling_percent) {
        signals.push(signal);
    }
    if let Some(signal) = no_rest(activity, today) {
        signals.push(signal);
    }
    signals
}

fn over_ceiling(
    activity: &Activity,
    today: Date,
    weekly_budget: Minutes,
    ceiling_percent: u32,
) -> Option<BurnoutSignal> {
    if weekly_budget.is_zero() {
        return None;
    }
    let ceiling = u64::from(weekly_budget.get()) * u64::from(ceiling_percent) / 100;
    let ceiling = Minutes::new(u32::try_from(ceiling).unwrap_or(u32::MAX));
    let window = |last: Date| activity.between(shift(last, -6), last).total();
    let last_seven = window(today);
    if last_seven <= ceiling {
        return None;
    }
    // A window over the ceiling holds some study, so the walk back stops within seven days
    // of the first log.
    let first_log = activity.first_day()?;
    let mut since = today;
    loop {
        let before = shift(since, -1);
        if before < first_log || before == since || window(before) <= ceiling {
            break;
        }
        since = before;
    }
    Some(BurnoutSignal::OverCeiling {
        last_seven,
        ceiling,
        since,
    })
}

fn no_rest(activity: &Activity, today: Date) -> Option<BurnoutSignal> {
    let studied = |day: Date| !activity.on(day).total().is_zero();
    let end = if studied(today) {
        today
    } else {
        shift(today, -1)
    };
    let mut since = end;
    let mut days = 0u32;
    while studied(since) {
        days += 1;
        let before = shift(since, -1);
        if before == since || !studied(before) {
            break;
        }
        since = before;
    }
    (days >= NO_REST_DAYS).then_some(BurnoutSignal::NoRest { days, since })
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

    fn daily(first: Date, count: i64, minutes: u32) -> Activity {
        Activity::from_entries((0..count).map(|n| (shift(first, n), LogKind::Learn, m(minutes))))
    }

    #[test]
    fn a_calm_week_raises_nothing() {
        let activity = daily(date(2026, 3, 2), 5, 60);
        assert!(burnout(&activity, date(2026, 3, 6), m(600), 150).is_empty());
    }

    #[test]
    fn more_than_the_ceiling_in_seven_days_is_a_signal() {
        // Budget 10 h, ceiling 15 h; 16 h in the last seven days, on three of them.
        let activity = Activity::from_entries([
            (date(2026, 3, 3), LogKind::Learn, m(300)),
            (date(2026, 3, 5), LogKind::Build, m(300)),
            (date(2026, 3, 8), LogKind::Learn, m(360)),
        ]);
        let signals = burnout(&activity, date(2026, 3, 8), m(600), 150);
        assert_eq!(
            signals,
            [BurnoutSignal::OverCeiling {
                last_seven: m(960),
                ceiling: m(900),
                since: date(2026, 3, 8)
            }]
        );
        assert_eq!(signals[0].key(), "over-ceiling:2026-03-08");
        // Exactly at the ceiling is not over it.
        assert!(burnout(&activity, date(2026, 3, 8), m(640), 150).is_empty());
        // A zero budget has no ceiling.
        assert!(burnout(&activity, date(2026, 3, 8), m(0), 150).is_empty());
    }

    #[test]
    fn the_episode_keeps_its_first_day_while_it_lasts() {
        // 3 h a day against a 10 h budget: the window goes over 15 h on the sixth day.
        let activity = daily(date(2026, 3, 1), 9, 180);
        let since = |today: Date| match burnout(&activity, today, m(600), 150).first() {
            Some(BurnoutSignal::OverCeiling { since, .. }) => Some(*since),
            _ => None,
        };
        assert_eq!(since(date(2026, 3, 5)), None);
        assert_eq!(since(date(2026, 3, 6)), Some(date(2026, 3, 6)));
        assert_eq!(since(date(2026, 3, 9)), Some(date(2026, 3, 6)));
        // The study stops on 9 March: the window falls to 15 h (not over) on the 11th.
        assert_eq!(since(date(2026, 3, 10)), Some(date(2026, 3, 6)));
        assert_eq!(since(date(2026, 3, 11)), None);
    }

    #[test]
    fn a_new_episode_gets_a_new_key() {
        let mut activity = daily(date(2026, 3, 1), 9, 180);
        for n in 0..9 {
            activity.add(shift(date(2026, 3, 20), n), LogKind::Learn, m(180));
        }
        let key = |today: Date| burnout(&activity, today, m(600), 150)[0].key();
        assert_eq!(key(date(2026, 3, 8)), "over-ceiling:2026-03-06");
        assert_eq!(key(date(2026, 3, 27)), "over-ceiling:2026-03-25");
    }

    #[test]
    fn ten_days_in_a_row_without_rest_is_a_signal() {
        let activity = daily(date(2026, 3, 1), 10, 20);
        assert!(burnout(&activity, date(2026, 3, 9), m(600), 150).is_empty());
        let signals = burnout(&activity, date(2026, 3, 10), m(600), 150);
        assert_eq!(
            signals,
            [BurnoutSignal::NoRest {
                days: 10,
                since: date(2026, 3, 1)
            }]
        );
        assert_eq!(signals[0].key(), "no-rest:2026-03-01");
    }

    #[test]
    fn a_run_ending_yesterday_still_counts_until_today_is_studied_or_over() {
        let activity = daily(date(2026, 3, 1), 12, 20);
        // 13 March has nothing yet: the run of 12 ending yesterday stands.
        let signals = burnout(&activity, date(2026, 3, 13), m(600), 150);
        assert_eq!(
            signals,
            [BurnoutSignal::NoRest {
                days: 12,
                since: date(2026, 3, 1)
            }]
        );
        // On the 14th, the 13th was a rest day.
        assert!(burnout(&activity, date(2026, 3, 14), m(600), 150).is_empty());
    }

    #[test]
    fn one_empty_day_restarts_the_count() {
        let mut activity = daily(date(2026, 3, 1), 5, 20);
        for n in 0..9 {
            activity.add(shift(date(2026, 3, 7), n), LogKind::Review, m(20));
        }
        assert!(burnout(&activity, date(2026, 3, 15), m(600), 150).is_empty());
        activity.add(date(2026, 3, 16), LogKind::Review, m(1));
        let signals = burnout(&activity, date(2026, 3, 16), m(600), 150);
        assert_eq!(signals[0].key(), "no-rest:2026-03-07");
    }

    #[test]
    fn both_signals_come_together_in_order() {
        let activity = daily(date(2026, 3, 1), 10, 180);
        let signals = burnout(
            &activity,
            date(2026, 3, 10),
            m(600),
            DEFAULT_CEILING_PERCENT,
        );
        assert_eq!(signals.len(), 2);
        assert!(matches!(signals[0], BurnoutSignal::OverCeiling { .. }));
        assert!(matches!(signals[1], BurnoutSignal::NoRest { days: 10, .. }));
    }

    #[test]
    fn logs_after_today_are_ignored() {
        let activity = daily(date(2026, 3, 5), 10, 600);
        assert!(burnout(&activity, date(2026, 3, 4), m(60), 150).is_empty());
    }
}
