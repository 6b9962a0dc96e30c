//! Inhale and exhale: how a learner's time splits between taking in and making.
//!
//! Taking in is learning and reviewing; making is building (see [`DayActivity`]). The balance
//! is read over the days ending today, today included; logs after today are left out. A nudge
//! to make something ([`needs_making`]) needs enough study to be worth reading: at least
//! [`NUDGE_MIN_MINUTES`] over the last [`NUDGE_DAYS`] days.
//!
//! [`DayActivity`]: super::activity::DayActivity

use jiff::civil::Date;
use serde::Serialize;

use super::activity::{Activity, shift};
use crate::curriculum::Minutes;

/// The days [`needs_making`] looks back over, today included.
pub const NUDGE_DAYS: u32 = 28;
/// The least study over [`NUDGE_DAYS`] for [`needs_making`] to say anything: 5 h.
pub const NUDGE_MIN_MINUTES: Minutes = Minutes::new(300);

/// Taking in against making over some days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Balance {
    /// The days looked at, ending today.
    pub days: u32,
    /// Learn and review minutes.
    pub taking_in: Minutes,
    /// Build minutes.
    pub making: Minutes,
}

impl Balance {
    /// Making as a share of all the time (0.0..=1.0); `None` when nothing was logged.
    pub fn making_share(&self) -> Option<f64> {
        let total = f64::from(self.taking_in.get()) + f64::from(self.making.get());
        (total > 0.0).then(|| f64::from(self.making.get()) / total)
    }

    /// Taking in and making together.
    pub fn total(&self) -> Minutes {
        self.taking_in.saturating_add(self.making)
    }
}

/// The balance of the `days` days ending today (today included); zero days is an empty window.
pub fn balance(activity: &Activity, today: Date, days: u32) -> Balance {
    let sum = if days == 0 {
        Default::default()
    } else {
        activity.between(shift(today, 1 - i64::from(days)), today)
    };
    Balance {
        days,
        taking_in: sum.taking_in(),
        making: sum.making(),
    }
}

/// True when the last 28 days (today included) hold at least 5 h and making is under
/// `threshold_percent` of that time. Exact: no rounding of the share.
pub fn needs_making(activity: &Activity, today: Date, threshold_percent: u32) -> bool {
    let b = balance(activity, today, NUDGE_DAYS);
    let total = b.total();
    total >= NUDGE_MIN_MINUTES
        && u64::from(b.making.get()) * 100 < u64::from(threshold_percent) * u64::from(total.get())
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

    #[test]
    fn the_window_ends_today_and_includes_it() {
        let today = date(2026, 3, 10);
        let activity = Activity::from_entries([
            (date(2026, 3, 3), LogKind::Learn, m(100)), // 8 days back: outside a week
            (date(2026, 3, 4), LogKind::Learn, m(60)),
            (date(2026, 3, 6), LogKind::Review, m(20)),
            (today, LogKind::Build, m(40)),
            (date(2026, 3, 11), LogKind::Build, m(500)), // after today
        ]);
        let week = balance(&activity, today, 7);
        assert_eq!(
            week,
            Balance {
                days: 7,
                taking_in: m(80),
                making: m(40)
            }
        );
        assert_eq!(week.making_share(), Some(40.0 / 120.0));
        assert_eq!(balance(&activity, today, 8).taking_in, m(180));
        assert_eq!(balance(&activity, today, 1).total(), m(40));
        assert_eq!(balance(&activity, today, 0).total(), m(0));
    }

    #[test]
    fn nothing_logged_has_no_share() {
        let b = balance(&Activity::default(), date(2026, 3, 10), 28);
        assert_eq!(b.making_share(), None);
        let only_making = Activity::from_entries([(date(2026, 3, 10), LogKind::Build, m(30))]);
        assert_eq!(
            balance(&only_making, date(2026, 3, 10), 28).making_share(),
            Some(1.0)
        );
    }

    #[test]
    fn the_nudge_needs_five_hours_in_four_weeks() {
        let today = date(2026, 3, 28);
        // 4 h 59 of reading: too little to judge.
        let little = Activity::from_entries([(today, LogKind::Learn, m(299))]);
        assert!(!needs_making(&little, today, 20));
        let enough = Activity::from_entries([(today, LogKind::Learn, m(300))]);
        assert!(needs_making(&enough, today, 20));
        // The 28 days run from 1 March to 28 March: a log on 28 February is outside.
        let early = Activity::from_entries([
            (date(2026, 2, 28), LogKind::Learn, m(200)),
            (date(2026, 3, 1), LogKind::Learn, m(200)),
        ]);
        assert!(!needs_making(&early, today, 20));
        assert!(needs_making(&early, date(2026, 3, 27), 20));
    }

    #[test]
    fn the_nudge_stops_once_making_reaches_the_threshold() {
        let today = date(2026, 3, 28);
        let with = |build: u32| {
            Activity::from_entries([
                (today, LogKind::Learn, m(1000 - build)),
                (today, LogKind::Build, m(build)),
            ])
        };
        assert!(needs_making(&with(199), today, 20));
        assert!(!needs_making(&with(200), today, 20));
        assert!(!needs_making(&with(0), today, 0));
    }
}
