//! The learner's today and week. Pure functions, with the instant and the zone (or the day)
//! passed in, so they are tested with fixed dates. The streak is the core's forgiving one
//! (`autodidact_core::insight::streak`), shown on the dashboard.

use autodidact_core::plan::start_of_week;
use jiff::civil::{Date, Weekday};
use jiff::{Timestamp, ToSpan};

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

    #[test]
    fn today_depends_on_the_zone_near_midnight() {
        // 23:30 UTC on 10 March: still the 10th in New York, already the 11th in Tokyo.
        let now: Timestamp = "2026-03-10T23:30:00Z".parse().unwrap();
        assert_eq!(today_in(now, "America/New_York"), date(2026, 3, 10));
        assert_eq!(today_in(now, "Asia/Tokyo"), date(2026, 3, 11));
        assert_eq!(today_in(now, "Not/AZone"), date(2026, 3, 10));
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
