//! The finishing day as a calibrated 80 % range.
//!
//! The learner finishes `T` weeks after today (work goes on from tomorrow) when the minutes
//! they log from then on, `S(T)`, reach the real minutes left, `W`:
//! `P(finished by T) = P(S(T) ≥ W)`.
//! - `W` is log-normal ([`super::work`]): the open items' estimates times the learner's
//!   factor, with the factor's uncertainty and each item's own, and time logged on an item in
//!   progress counted as evidence that it needs more than that.
//! - `S(T)` comes from a mixture of pace models ([`super::pace`]): for each, the level now
//!   times the normal weeks available by `T` (declared breaks take their share out), with a
//!   relative variance that grows with the horizon (drift) and shrinks with the weeks summed
//!   (noise). Each is matched by a log-normal whose median is the level times the weeks, less
//!   half the noise term (a sum of noisy weeks has its mean, not its median, at the level).
//! - `P(S(T) ≥ W)` is then a mixture of normal distribution functions of `ln T`; the 10th,
//!   50th and 90th percentiles are found by bisection, and a day count `d` becomes the day `d`
//!   days after today, rounded up (the day the last minute is done).
//!
//! No randomness: the same input always gives the same range.

use jiff::civil::Date;
use serde::Serialize;

use super::normal::cdf;
use super::pace::{Pace, Weeks, pace};
use super::work::{WorkLeft, work_left};
use crate::curriculum::Minutes;
use crate::insight::calibration::FinishedItem;

/// The probability that the finishing day falls in a [`RangeForecast`]'s range.
pub const RANGE_PROBABILITY: f64 = 0.8;

/// The longest horizon the forecast looks at, in weeks (50 years): a percentile beyond it is
/// "open" (a fading pace may never finish).
pub const HORIZON_WEEKS: f64 = 2609.0;
/// The shortest horizon the search looks at, in weeks (about a minute).
const MIN_WEEKS: f64 = 1e-4;
/// Fewer available weeks than this count as this many (no logarithm of zero).
const MIN_AVAILABLE: f64 = 1e-9;
/// At most this many steps of the root search on `ln T`.
const STEPS: usize = 100;
/// The root search stops when its bracket on `ln T` is this narrow (a relative error of 1e−9
/// on the horizon).
const TOLERANCE: f64 = 1e-8;
/// How close to a whole number a day count must be to be taken as that whole number.
const SNAP: f64 = 1e-6;

/// An item neither done nor skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenItem {
    /// The item's planned minutes (its estimate, as the plan uses it).
    pub estimate: Minutes,
    /// All minutes logged on the item so far (zero when it has not been started).
    pub logged: Minutes,
}

/// Everything the range forecast reads, for one followed curriculum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForecastInput<'a> {
    /// The day the forecast is made, in the learner's zone. Its logs count; work goes on from
    /// tomorrow.
    pub today: Date,
    /// Minutes logged on the curriculum in each complete learner week before the week holding
    /// today, oldest first. Weeks with nothing logged are included (as zero); weeks that end
    /// before the learner's first log on it are left out. Only the newest 104 are read.
    pub weeks: &'a [Minutes],
    /// Minutes logged on the curriculum in the week holding today, up to and including today.
    pub this_week: Minutes,
    /// Days of the week holding today that have passed, today included: 1 on the week's first
    /// day, 7 on its last (values outside 1..=7 are clamped).
    pub days_into_week: u8,
    /// The items neither done nor skipped, with the time already logged on each.
    pub open: &'a [OpenItem],
    /// The learner's finished items, as evidence of how their real time compares with
    /// estimates (items without a log or an estimate are ignored).
    pub finished: &'a [FinishedItem],
    /// Declared availability ahead, one share per learner week: entry 0 is the rest of the
    /// week holding today (the days after today), entry 1 the next week, and so on. A share is
    /// the part of that week's normal study days that are not declared breaks: 1.0 is a normal
    /// week, 0.0 a week off. Weeks past the end of the list are normal; an empty list is all
    /// normal. Values are clamped to 0..=1 (not a number counts as 1).
    pub availability: &'a [f64],
}

/// When the open items will be done: an 80 % range and its middle.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RangeForecast {
    /// The probability that the finishing day falls between `early` and `late`, both
    /// included: [`RANGE_PROBABILITY`] (0.8).
    pub probability: f64,
    /// The 10th percentile of the finishing day: one learner in ten like this one finishes
    /// by then.
    pub early: Date,
    /// The median finishing day: as likely before as after.
    pub likely: Date,
    /// The 90th percentile of the finishing day: one learner in ten like this one finishes
    /// later. When that lies beyond [`HORIZON_WEEKS`] (a fading pace may never finish), the
    /// horizon's last day, and `open_ended` is set.
    pub late: Date,
    /// Whether the 90th percentile lies beyond [`HORIZON_WEEKS`]: "or later, perhaps never".
    pub open_ended: bool,
    /// The pace the forecast starts from: the estimated minutes a week now (the level of the
    /// logged weeks, newer weeks weighing more).
    pub pace: f64,
    /// Complete weeks of history read.
    pub weeks: u32,
    /// Finished items counted as evidence of the real time against estimates.
    pub evidence: u32,
    /// The factor (real / estimate) the open items are scaled by, from that evidence.
    pub factor: f64,
    /// The median of the real minutes left on the open items.
    pub work_left: Minutes,
}

/// Forecasts the finishing day of the open items as an 80 % range.
///
/// `None` when nothing is open, or when nothing was logged (no complete week and the current
/// one all zero): there is no pace to forecast from. Otherwise always a date, however far.
pub fn forecast_range(input: &ForecastInput<'_>) -> Option<RangeForecast> {
    let work = work_left(input.open, input.finished)?;
    let pace = pace(input.weeks, input.this_week, input.days_into_week)?;
    let ahead = Ahead {
        first: (7.0 - f64::from(input.days_into_week.clamp(1, 7))) / 7.0,
        shares: input.availability,
    };
    let whole = (MIN_WEEKS, HORIZON_WEEKS);
    let quantile = |p: f64, within: (f64, f64)| weeks_at(p, within, &work, &pace, &ahead);
    let likely = quantile(0.5, whole);
    let early = quantile(1.0 - UPPER, (MIN_WEEKS, likely.unwrap_or(HORIZON_WEEKS)));
    let late = likely.and_then(|l| quantile(UPPER, (l, HORIZON_WEEKS)));
    // The finishing day is the day count rounded up. The range's ends are moved half a day
    // inwards (a continuity correction), so that on average a tenth of learners finish before
    // its first day and a tenth after its last, rather than at most a tenth.
    let day = |weeks: Option<f64>, shift: f64| {
        after(
            input.today,
            round_up(weeks.unwrap_or(HORIZON_WEEKS) * 7.0 + shift),
        )
    };
    let likely_day = day(likely, 0.0);
    Some(RangeForecast {
        probability: RANGE_PROBABILITY,
        early: day(early, 0.5).min(likely_day),
        likely: likely_day,
        late: day(late, -0.5).max(likely_day),
        open_ended: late.is_none(),
        pace: pace.level(),
        weeks: pace.weeks,
        evidence: work.evidence,
        factor: work.factor,
        work_left: Minutes::new(
            work.ln_median
                .exp()
                .round()
                .clamp(1.0, f64::from(u32::MAX)) as u32,
        ),
    })
}

/// The upper percentile of the range (0.9); the lower is `1 − ` it.
const UPPER: f64 = 0.5 + RANGE_PROBABILITY / 2.0;

/// The declared availability from the end of today.
struct Ahead<'a> {
    /// The length of the rest of the week holding today, in weeks.
    first: f64,
    shares: &'a [f64],
}

impl Ahead<'_> {
    fn share(&self, week: usize) -> f64 {
        match self.shares.get(week) {
            Some(s) if s.is_finite() => s.clamp(0.0, 1.0),
            _ => 1.0,
        }
    }

    /// Normal weeks available in the next `weeks` calendar weeks, each faded by `e^{−λt}`.
    fn available(&self, weeks: f64, fade: f64) -> f64 {
        // ∫ from t0 to t1 of e^{−λt} dt.
        let faded = |t0: f64, t1: f64| {
            if fade > 0.0 {
                (-fade * t0).exp() * -(-fade * (t1 - t0)).exp_m1() / fade
            } else {
                t1 - t0
            }
        };
        if weeks <= self.first {
            return self.share(0) * faded(0.0, weeks);
        }
        let mut sum = self.share(0) * faded(0.0, self.first);
        let mut from = self.first;
        let mut week = 1;
        while from < weeks && week < self.shares.len() {
            let to = (from + 1.0).min(weeks);
            sum += self.share(week) * faded(from, to);
            from = to;
            week += 1;
        }
        if from < weeks {
            sum += faded(from, weeks);
        }
        sum
    }
}

/// `P(finished within `weeks` weeks)`.
fn finished_by(weeks: f64, work: &WorkLeft, pace: &Pace, ahead: &Ahead<'_>) -> f64 {
    // Components share a few fades: the horizon is worked out once for each.
    let mut seen: [(f64, Weeks); 8] = [(f64::NAN, NO_WEEKS); 8];
    let mut count = 0;
    let mut sum = 0.0;
    for c in &pace.components {
        let cached = seen[..count].iter().find(|(fade, _)| *fade == c.fade);
        let horizon = match cached {
            Some((_, w)) => *w,
            None => {
                let available = ahead.available(weeks, c.fade).max(MIN_AVAILABLE);
                let w = Weeks {
                    available,
                    ln_available: available.ln(),
                    horizon: if c.fade > 0.0 {
                        -(-c.fade * weeks).exp_m1() / c.fade
                    } else {
                        weeks
                    },
                };
                if count < seen.len() {
                    seen[count] = (c.fade, w);
                    count += 1;
                }
                w
            }
        };
        let (median, var) = c.ahead(&horizon);
        sum += c.weight * cdf((median - work.ln_median) / (var + work.ln_var).sqrt());
    }
    sum
}

const NO_WEEKS: Weeks = Weeks {
    available: 0.0,
    ln_available: 0.0,
    horizon: 0.0,
};

/// The horizon in weeks by which the learner has finished with probability `p`, searched
/// between `low` and `high` weeks; `None` when not even by `high`.
fn weeks_at(
    p: f64,
    (low, high): (f64, f64),
    work: &WorkLeft,
    pace: &Pace,
    ahead: &Ahead<'_>,
) -> Option<f64> {
    if finished_by(high, work, pace, ahead) < p {
        return None;
    }
    if finished_by(low, work, pace, ahead) >= p {
        return Some(low);
    }
    // The Illinois variant of regula falsi on `ln T`: superlinear, and it keeps the bracket.
    let g = |x: f64| finished_by(x.exp(), work, pace, ahead) - p;
    let (mut a, mut b) = (low.ln(), high.ln());
    let (mut ga, mut gb) = (g(a), g(b));
    let mut side = 0i8;
    for _ in 0..STEPS {
        if b - a < TOLERANCE {
            break;
        }
        let mut x = (a * gb - b * ga) / (gb - ga);
        if !(x > a && x < b) {
            x = 0.5 * (a + b);
        }
        let gx = g(x);
        if gx < 0.0 {
            a = x;
            ga = gx;
            if side == -1 {
                gb /= 2.0;
            }
            side = -1;
        } else {
            b = x;
            gb = gx;
            if side == 1 {
                ga /= 2.0;
            }
            side = 1;
        }
    }
    Some(b.exp())
}

/// Days rounded up, at least one (work goes on from tomorrow); a count within a millionth of a
/// whole number is that number.
fn round_up(days: f64) -> i64 {
    let near = days.round();
    let days = if (days - near).abs() < SNAP {
        near
    } else {
        days.ceil()
    };
    if days.is_nan() {
        return 1;
    }
    days.clamp(1.0, HORIZON_WEEKS * 7.0) as i64
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

    #[test]
    fn the_90th_percentile_constant_is_the_tail_of_the_range() {
        assert!((UPPER - 0.9).abs() < 1e-12);
    }
}
