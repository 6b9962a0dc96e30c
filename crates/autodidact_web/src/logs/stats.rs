//! The learner's week. Pure functions, with the day passed in, so they are tested with fixed
//! dates. The streak is the core's forgiving one
//! (`autodidact_core::insight::streak`), shown on the dashboard.

use autodidact_core::plan::start_of_week;
use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

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
