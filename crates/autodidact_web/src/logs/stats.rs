//! Figures from a learner's logs: the streak and the week. Pure functions, with today (or the
//! instant and the zone) passed in, so they are tested with fixed dates.

use std::collections::BTreeSet;

use autodidact_core::plan::start_of_week;
use jiff::civil::{Date, Weekday};
use jiff::{Timestamp, ToSpan};

/// Consecutive days with any log, ending today, or ending yesterday while today is still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Streak {
    pub days: u32,
    /// The first day of the run; `None` without a streak.
    pub start: Option<Date>,
    /// Whether today has a log yet (if not, today still keeps the streak going).
    pub includes_today: bool,
}

/// The streak as of `today`, from the days that have at least one log.
pub fn streak(logged: &BTreeSet<Date>, today: Date) -> Streak {
    let includes_today = logged.contains(&today);
    let end = if includes_today {
        Some(today)
    } else {
        today.yesterday().ok().filter(|y| logged.contains(y))
    };
    let mut days = 0;
    let mut start = None;
    let mut day = end;
    while let Some(d) = day.filter(|d| logged.contains(d)) {
        days += 1;
        start = Some(d);
        day = d.yesterday().ok();
    }
    Streak {
        days,
        start,
        includes_today,
    }
}

/// The learner's today: the date at `now` in their zone (UTC if the zone is unknown).
pub fn today_in(now: Timestamp, zone: &str) -> Date {
    let zone = jiff::tz::TimeZone::get(zone).unwrap_or(jiff::tz::TimeZone::UTC);
    now.to_zoned(zone).date()
}

/// The first and last day of the week that holds `day`.
pub fn week_of(day: Date, week_start: Weekday) -> (Date, Date) {
    let first = start_of_week(day, week_start);
    let last = first.checked_add(6.days()).unwrap_or(first);
    (first, last)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn days(list: &[Date]) -> BTreeSet<Date> {
        list.iter().copied().collect()
    }

    #[test]
    fn no_logs_is_no_streak() {
        let s = streak(&BTreeSet::new(), date(2026, 3, 10));
        assert_eq!(s.days, 0);
        assert_eq!(s.start, None);
    }

    #[test]
    fn a_streak_counts_back_from_today() {
        let logged = days(&[date(2026, 3, 8), date(2026, 3, 9), date(2026, 3, 10)]);
        let s = streak(&logged, date(2026, 3, 10));
        assert_eq!(s.days, 3);
        assert_eq!(s.start, Some(date(2026, 3, 8)));
        assert!(s.includes_today);
    }

    #[test]
    fn today_without_a_log_yet_keeps_yesterdays_streak() {
        let logged = days(&[date(2026, 3, 8), date(2026, 3, 9)]);
        let s = streak(&logged, date(2026, 3, 10));
        assert_eq!(s.days, 2);
        assert!(!s.includes_today);
    }

    #[test]
    fn a_missed_day_before_yesterday_ends_the_streak() {
        let logged = days(&[date(2026, 3, 7), date(2026, 3, 8)]);
        assert_eq!(streak(&logged, date(2026, 3, 10)).days, 0);
    }

    #[test]
    fn a_gap_in_the_middle_stops_the_count() {
        let logged = days(&[
            date(2026, 3, 1),
            date(2026, 3, 2),
            date(2026, 3, 4),
            date(2026, 3, 5),
        ]);
        let s = streak(&logged, date(2026, 3, 5));
        assert_eq!(s.days, 2);
        assert_eq!(s.start, Some(date(2026, 3, 4)));
    }

    #[test]
    fn a_log_dated_tomorrow_does_not_count_yet() {
        let logged = days(&[date(2026, 3, 11)]);
        assert_eq!(streak(&logged, date(2026, 3, 10)).days, 0);
    }

    #[test]
    fn a_streak_crosses_month_and_year_ends() {
        let logged = days(&[date(2025, 12, 31), date(2026, 1, 1)]);
        assert_eq!(streak(&logged, date(2026, 1, 1)).days, 2);
    }

    #[test]
    fn today_depends_on_the_zone_near_midnight() {
        // 23:30 UTC on 10 March: still the 10th in New York, already the 11th in Tokyo.
        let now: Timestamp = "2026-03-10T23:30:00Z".parse().unwrap();
        assert_eq!(today_in(now, "America/New_York"), date(2026, 3, 10));
        assert_eq!(today_in(now, "Asia/Tokyo"), date(2026, 3, 11));
        assert_eq!(today_in(now, "Not/AZone"), date(2026, 3, 10));

        // Logs on the 8th and 9th: alive in New York (yesterday counts), broken in Tokyo,
        // where the 10th has already gone by without a log.
        let logged = days(&[date(2026, 3, 8), date(2026, 3, 9)]);
        assert_eq!(streak(&logged, today_in(now, "America/New_York")).days, 2);
        assert_eq!(streak(&logged, today_in(now, "Asia/Tokyo")).days, 0);
    }

    #[test]
    fn the_week_follows_the_learners_first_weekday() {
        // 2026-03-11 is a Wednesday.
        let wednesday = date(2026, 3, 11);
        assert_eq!(
            week_of(wednesday, Weekday::Monday),
            (date(2026, 3, 9), date(2026, 3, 15))
        );
        assert_eq!(
            week_of(wednesday, Weekday::Sunday),
            (date(2026, 3, 8), date(2026, 3, 14))
        );
        assert_eq!(
            week_of(wednesday, Weekday::Wednesday),
            (wednesday, date(2026, 3, 17))
        );
    }
}
