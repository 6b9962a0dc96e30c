//! The forecast: when the learner will finish at the pace they actually keep.
//!
//! Two forecasts live here. [`forecast_range`] (in [`range`]) is the calibrated one: an 80 %
//! range of finishing days with its median, from the whole weekly history, the current week,
//! the open items and the evidence of finished ones, and the declared breaks ahead. The older
//! [`forecast`] below (a pace band of ± one standard deviation) stays until its callers move.
//!
//! The older forecast's rules:
//! - The pace is an exponentially weighted mean of the last complete weeks' logged minutes
//!   with [`ALPHA`] = 0.3: the newest week weighs 1, the one before 0.7, then 0.49 and so on,
//!   and the weights are normalised, so a steady learner's pace is exactly their weekly minutes
//!   and the oldest week does not count double.
//! - The spread is the standard deviation of those weeks around the pace, with the same
//!   weights. The high pace is `pace + sd`; the low pace is `pace − sd`, but never below a
//!   quarter of the pace (so an irregular learner still gets a date, not "never").
//! - The work left in real minutes is the remaining estimate times the calibration factor
//!   (real / estimate); a factor that is not a positive number counts as 1.
//! - Counting starts from `today` (work happens from tomorrow on): finishing takes
//!   `real × 7 / pace` days. The earliest date uses the high pace and rounds the day count
//!   down, the latest uses the low pace and rounds up, the likely date uses the pace and rounds
//!   up (the day the last minute is done). A day count within a millionth of a whole number is
//!   taken as that whole number, so that floating-point noise cannot move a date by a day.
//! - No forecast without a pace: no weeks, or nothing logged in them.

mod normal;
mod pace;
#[doc(hidden)]
pub mod priors;
pub mod range;
mod work;

#[doc(hidden)]
pub use priors::{ANCHORS, FEATURES, Priors, RECORD_ANCHORS, Recalibration, Wander};
pub use range::{
    ForecastInput, HORIZON_WEEKS, OpenItem, RANGE_PROBABILITY, RangeForecast, forecast_range,
};
#[doc(hidden)]
pub use range::{forecast_probability_with, forecast_range_with};

use jiff::civil::Date;
use serde::Serialize;

use crate::curriculum::Minutes;

/// The weight of the newest week in the exponentially weighted pace; each older week weighs
/// `1 − ALPHA` times the next newer one.
pub const ALPHA: f64 = 0.3;

/// The low pace is never below this share of the pace.
const LOW_FLOOR: f64 = 0.25;

/// Day counts beyond this (about 8,000 years) are cut here; the dates end at the calendar's end.
const MAX_DAYS: f64 = 3_000_000.0;

/// How close to a whole number a day count must be to be taken as that whole number.
const SNAP: f64 = 1e-6;

/// When the remaining work will be done at the learner's own pace.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Forecast {
    /// Weeks of history used.
    pub weeks: u32,
    /// Exponentially weighted weekly logged minutes (newest weighs most, see [`ALPHA`]).
    pub rate: f64,
    /// `max(rate − sd, rate / 4)`, where `sd` is the weighted standard deviation of the weeks.
    pub low_rate: f64,
    /// `rate + sd`.
    pub high_rate: f64,
    /// The finishing day at the high rate, the day count rounded down.
    pub earliest: Date,
    /// The finishing day at the rate.
    pub likely: Date,
    /// The finishing day at the low rate, the day count rounded up.
    pub latest: Date,
}

/// Forecasts the finishing day.
///
/// `weekly_logged`: the last complete weeks on this curriculum, oldest first (six is the
/// intent; leave out weeks before the learner started, or they drag the pace down).
/// `remaining`: estimated minutes left; `factor`: the calibration factor (real / estimate).
/// `None` when the rate is zero.
pub fn forecast(
    weekly_logged: &[Minutes],
    remaining: Minutes,
    factor: f64,
    today: Date,
) -> Option<Forecast> {
    let (rate, sd) = weighted_pace(weekly_logged)?;
    let low_rate = (rate - sd).max(rate * LOW_FLOOR);
    let high_rate = rate + sd;
    let factor = if factor.is_finite() && factor > 0.0 {
        factor
    } else {
        1.0
    };
    let real = f64::from(remaining.get()) * factor;
    let days_at = |rate: f64| real * 7.0 / rate;
    Some(Forecast {
        weeks: u32::try_from(weekly_logged.len()).unwrap_or(u32::MAX),
        rate,
        low_rate,
        high_rate,
        earliest: after(today, round_down(days_at(high_rate))),
        likely: after(today, round_up(days_at(rate))),
        latest: after(today, round_up(days_at(low_rate))),
    })
}

/// The weighted mean and standard deviation of the weeks; `None` when the mean is not positive.
fn weighted_pace(weeks: &[Minutes]) -> Option<(f64, f64)> {
    let mut weight = 1.0;
    let mut weighted: Vec<(f64, f64)> = Vec::with_capacity(weeks.len());
    for week in weeks.iter().rev() {
        weighted.push((weight, f64::from(week.get())));
        weight *= 1.0 - ALPHA;
    }
    let total: f64 = weighted.iter().map(|(w, _)| w).sum();
    if total <= 0.0 {
        return None;
    }
    let mean = weighted.iter().map(|(w, x)| w * x).sum::<f64>() / total;
    if !(mean.is_finite() && mean > 0.0) {
        return None;
    }
    // Every week alike: exactly that, with no spread (the sums above may be off in the last bit).
    if weeks.windows(2).all(|w| w[0] == w[1]) {
        return Some((f64::from(weeks[0].get()), 0.0));
    }
    let variance = weighted
        .iter()
        .map(|(w, x)| w * (x - mean).powi(2))
        .sum::<f64>()
        / total;
    Some((mean, variance.max(0.0).sqrt()))
}

fn round_down(days: f64) -> i64 {
    let near = days.round();
    let days = if (days - near).abs() < SNAP {
        near
    } else {
        days.floor()
    };
    clamp_days(days)
}

fn round_up(days: f64) -> i64 {
    let near = days.round();
    let days = if (days - near).abs() < SNAP {
        near
    } else {
        days.ceil()
    };
    clamp_days(days)
}

fn clamp_days(days: f64) -> i64 {
    if days.is_nan() {
        return 0;
    }
    days.clamp(0.0, MAX_DAYS) as i64
}

fn after(today: Date, days: i64) -> Date {
    jiff::Span::new()
        .try_days(days)
        .ok()
        .and_then(|span| today.checked_add(span).ok())
        .unwrap_or(Date::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn weeks(minutes: &[u32]) -> Vec<Minutes> {
        minutes.iter().copied().map(Minutes::new).collect()
    }

    fn days_after(day: Date, days: i64) -> Date {
        day.checked_add(jiff::Span::new().days(days)).unwrap()
    }

    #[test]
    fn no_history_or_no_study_gives_no_forecast() {
        let today = date(2026, 3, 1);
        assert_eq!(forecast(&[], Minutes::new(600), 1.0, today), None);
        assert_eq!(
            forecast(&weeks(&[0, 0, 0]), Minutes::new(600), 1.0, today),
            None
        );
    }

    #[test]
    fn a_steady_pace_gives_one_date_with_no_spread() {
        // 7 h a week is an hour a day: 10 h left is 10 days.
        let today = date(2026, 3, 1);
        let f = forecast(&weeks(&[420; 6]), Minutes::new(600), 1.0, today).unwrap();
        assert_eq!(f.weeks, 6);
        assert_eq!((f.rate, f.low_rate, f.high_rate), (420.0, 420.0, 420.0));
        assert_eq!(f.earliest, date(2026, 3, 11));
        assert_eq!(f.likely, date(2026, 3, 11));
        assert_eq!(f.latest, date(2026, 3, 11));
    }

    #[test]
    fn the_newest_week_weighs_most() {
        let rising = forecast(&weeks(&[0, 600]), Minutes::new(600), 1.0, date(2026, 3, 1)).unwrap();
        let falling =
            forecast(&weeks(&[600, 0]), Minutes::new(600), 1.0, date(2026, 3, 1)).unwrap();
        // Weights 1 and 0.7, normalised.
        assert!((rising.rate - 600.0 / 1.7).abs() < 1e-9);
        assert!((falling.rate - 600.0 * 0.7 / 1.7).abs() < 1e-9);
        assert!(rising.likely < falling.likely);
    }

    #[test]
    fn an_irregular_pace_spreads_the_dates_and_the_low_rate_has_a_floor() {
        let f = forecast(
            &weeks(&[0, 900, 0, 900, 0, 900]),
            Minutes::new(3000),
            1.0,
            date(2026, 3, 1),
        )
        .unwrap();
        assert!(f.low_rate < f.rate && f.rate < f.high_rate);
        assert!(f.low_rate >= f.rate / 4.0 - 1e-9);
        assert!(f.earliest < f.likely && f.likely < f.latest);
        let wild = forecast(
            &weeks(&[0, 0, 0, 0, 0, 6000]),
            Minutes::new(3000),
            1.0,
            date(2026, 3, 1),
        )
        .unwrap();
        assert!(
            (wild.low_rate - wild.rate / 4.0).abs() < 1e-9,
            "floored at a quarter"
        );
    }

    #[test]
    fn the_calibration_factor_stretches_the_work_left() {
        let today = date(2026, 3, 1);
        let plain = forecast(&weeks(&[420; 3]), Minutes::new(600), 1.0, today).unwrap();
        let slow = forecast(&weeks(&[420; 3]), Minutes::new(600), 1.5, today).unwrap();
        assert_eq!(plain.likely, date(2026, 3, 11));
        assert_eq!(slow.likely, date(2026, 3, 16));
        let ignored = forecast(&weeks(&[420; 3]), Minutes::new(600), f64::NAN, today).unwrap();
        assert_eq!(ignored, plain);
    }

    #[test]
    fn nothing_left_is_finished_today() {
        let today = date(2026, 3, 1);
        let f = forecast(&weeks(&[300, 200]), Minutes::ZERO, 1.0, today).unwrap();
        assert_eq!((f.earliest, f.likely, f.latest), (today, today, today));
    }

    #[test]
    fn rounding_goes_down_for_the_earliest_and_up_for_the_others() {
        // 700 minutes a week is 100 a day: 150 minutes left is a day and a half.
        let today = date(2026, 3, 1);
        let f = forecast(&weeks(&[700]), Minutes::new(150), 1.0, today).unwrap();
        assert_eq!(f.earliest, date(2026, 3, 2), "1.5 days rounds down");
        assert_eq!(f.likely, date(2026, 3, 3), "1.5 days rounds up");
    }

    #[test]
    fn a_tiny_pace_and_huge_work_end_at_the_calendars_end_without_panicking() {
        let f = forecast(&weeks(&[1]), Minutes::new(u32::MAX), 4.0, date(2026, 3, 1)).unwrap();
        assert_eq!(f.latest, Date::MAX);
        assert!(f.earliest <= f.likely && f.likely <= f.latest);
    }

    /// The first day (counted from `today`, learning from tomorrow) by which a learner doing
    /// `r / 7` real minutes a day has done `remaining × p / 4` real minutes, in exact integers.
    fn true_finish(today: Date, r: u32, remaining: u32, p: u32) -> Date {
        // k × r / 7 ≥ remaining × p / 4  ⇔  4 k r ≥ 7 remaining p.
        let need = 7 * u64::from(remaining) * u64::from(p);
        let k = need.div_ceil(4 * u64::from(r));
        days_after(today, k as i64)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn a_steady_learner_finishes_between_the_earliest_and_the_latest_day(
            r in 60u32..=3000,
            remaining in 60u32..=100_000,
            history in 1usize..=8,
            offset in 0i64..2000,
        ) {
            let today = days_after(date(2024, 1, 1), offset);
            let f = forecast(&vec![Minutes::new(r); history], Minutes::new(remaining), 1.0, today).unwrap();
            let finish = true_finish(today, r, remaining, 4);
            prop_assert!(f.earliest <= finish && finish <= f.latest, "{f:?} vs {finish}");
            prop_assert_eq!(f.likely, finish);
        }

        #[test]
        fn a_calibrated_learner_finishes_between_the_earliest_and_the_latest_day(
            r in 60u32..=3000,
            remaining in 60u32..=100_000,
            // The factor p / 4: from a quarter to four times the estimate.
            p in 1u32..=16,
            history in 1usize..=8,
        ) {
            let today = date(2026, 3, 1);
            let factor = f64::from(p) / 4.0;
            let f = forecast(&vec![Minutes::new(r); history], Minutes::new(remaining), factor, today).unwrap();
            let finish = true_finish(today, r, remaining, p);
            prop_assert!(f.earliest <= finish && finish <= f.latest, "{f:?} vs {finish}");
        }

        #[test]
        fn the_dates_are_always_in_order_and_the_rates_too(
            history in prop::collection::vec(0u32..5000, 1..10),
            remaining in 0u32..200_000,
            factor in 0.25f64..4.0,
        ) {
            let today = date(2026, 3, 1);
            if let Some(f) = forecast(&weeks(&history), Minutes::new(remaining), factor, today) {
                prop_assert!(f.low_rate <= f.rate && f.rate <= f.high_rate);
                prop_assert!(f.low_rate > 0.0);
                prop_assert!(today <= f.earliest && f.earliest <= f.likely && f.likely <= f.latest);
            } else {
                prop_assert!(history.iter().all(|&m| m == 0));
            }
        }
    }
}
