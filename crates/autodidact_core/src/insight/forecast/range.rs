//! The finishing day as a calibrated 80 % range.
//!
//! The learner finishes `T` weeks after today (work goes on from tomorrow) when the minutes
//! they log from then on, `S(T)`, reach the real minutes left, `W`:
//! `P(finished by T) = P(S(T) ≥ W)`.
//! - `W` is log-normal (the `work` module): the open items' estimates times the learner's
//!   factor, with the factor's uncertainty and each item's own, and time logged on an item in
//!   progress counted as evidence that it needs more than that.
//! - `S(T)` comes from a mixture of pace models (the `pace` module): for each, the level now
//!   times the normal weeks available by `T` (declared breaks take their share out, a fading
//!   pace counts later weeks for less), as a log-normal whose spread grows with the horizon
//!   (drift) and shrinks with the weeks summed (noise).
//! - `P(S(T) ≥ W)` is then a mixture of normal distribution functions of `ln T`; its 50th
//!   percentile and the two the recalibration gives for the range's ends (the 10th and 90th
//!   without it) are found by a root search, and a count of days becomes the day
//!   that many days after today, rounded up (the day the last minute is done). The ends of the
//!   range are moved half a day inwards (a continuity correction for whole days).
//!
//! - **The recalibration** ([`Recalibration`]): the range's ends are not always the model's
//!   10th and 90th percentiles. Where the model is known to be too sure or too unsure for
//!   records of a given shape, the levels are moved, in logits, by a linear function of what
//!   the record shows (`features`: the posterior weights of a wandering level and of a fade
//!   under way, each as if its prior had been even odds; the weeks' noise; the horizon; the
//!   weeks' lag-one autocorrelation, their recent change, their share of empty weeks, and how
//!   much more sums of 4 weeks vary than single weeks),
//!   interpolated between four record lengths (2, 8, 30 and 80 weeks). It is fitted on the
//!   calibration benchmark's training seed (`--fit-recalibration --seed 1`) to the table's
//!   model × horizon cells and, so that it does not trade one record length against another,
//!   to the record length × horizon and model × record length cells, with a penalty on
//!   open-ended ranges; it reads nothing but the input. The likely day stays the model's
//!   median. It may narrow a range but never close one the model leaves open: when the model
//!   gives more than a tenth of never finishing within [`HORIZON_WEEKS`], the late end is open. The benchmark's cells are not all inside 75–85 % with it (docs/BENCHMARKS.md):
//!   early on, a drifting learner's record looks like a steady one's.
//!
//! No randomness: the same input always gives the same range. The priors the pace and the
//! work left start from are population assumptions, chosen so that the calibration benchmark
//! (`benches/forecast_calibration/`, docs/BENCHMARKS.md) is as close to 80 % in each of its
//! cells as they allow; they should be re-fitted from real learners' records.
//!
//! **The rest-day allowance is not read.** The weekly history already holds the rest days the
//! learner takes, so discounting them again would count them twice; declared breaks ahead are
//! different (the history cannot know them) and come in through `availability`.
//!
//! **Building the input from a follow** (`Followed`, its `Progress`, the learner's settings):
//! - `today`: the learner's today (`User::today(now)`).
//! - `weeks`: `insight::weekly::complete_weeks(&progress.activity, today, week_start, 104)`.
//! - `this_week` and `days_into_week`: with `first = plan::start_of_week(today, week_start)`,
//!   `progress.activity.between(first, today).total()` and the days from `first` to `today`
//!   plus one.
//! - `open`: every item of the curriculum whose status is neither done nor skipped, with
//!   `estimate = item.planned(curriculum.hours_per_week)` (as the plan uses) and `logged` from
//!   `progress.logged` (zero when absent).
//! - `finished`: `follow::finished_items` over all the learner's follows, as the calibration
//!   is learner-wide.
//! - `availability`: for each learner week from the one holding today up to the last declared
//!   date break of the follow, the share of that week's budgeted minutes (the budget per
//!   weekday after weekly rest days, as the planner spreads it) falling on days not covered by
//!   a date break; for the week holding today only the days after today count, and a week with
//!   no budgeted day is 1.0. Empty when no date break lies ahead.

use jiff::civil::Date;
use serde::Serialize;

use super::normal::cdf;
use super::pace::MAX_HISTORY;
use super::pace::{Component, Pace, Weeks, pace};
use super::priors::{ANCHORS, FEATURES, Priors, RECORD_ANCHORS, Recalibration};
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
/// The root search stops when its bracket on `ln T` is this narrow (a relative error of 1e−8
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
    forecast_range_with(input, &Priors::FITTED)
}

/// [`forecast_range`] with other population assumptions: for the calibration benchmark's fit
/// only.
#[doc(hidden)]
pub fn forecast_range_with(input: &ForecastInput<'_>, priors: &Priors) -> Option<RangeForecast> {
    let work = work_left(input.open, input.finished, priors)?;
    let pace = pace(input.weeks, input.this_week, input.days_into_week, priors)?;
    let ahead = Ahead {
        first: (7.0 - f64::from(input.days_into_week.clamp(1, 7))) / 7.0,
        shares: input.availability,
    };
    let whole = (MIN_WEEKS, HORIZON_WEEKS);
    let quantile =
        |p: f64, guess: f64, within: (f64, f64)| weeks_at(p, guess, within, &work, &pace, &ahead);
    // The search starts from the work left at the pace now.
    let guess = work.ln_median.exp() / pace.level().max(MIN_AVAILABLE);
    let likely = quantile(0.5, guess, whole);
    let middle = likely.unwrap_or(HORIZON_WEEKS);
    // The range's ends: the percentiles the recalibration gives for this record.
    let (lower, upper) = levels(&design(&pace, likely, input.weeks), &priors.recalibration);
    let early = quantile(lower, middle / 1.5, (MIN_WEEKS, middle));
    // When the model itself gives more than a tenth of never finishing within the horizon,
    // the late end stays open, whatever the recalibration says: a pace fading to nothing is
    // "perhaps never".
    let never = finished_by(HORIZON_WEEKS, &work, &pace, &ahead) < UPPER;
    let late = likely
        .filter(|_| !never)
        .and_then(|l| quantile(upper, l * 1.5, (l, HORIZON_WEEKS)));
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
        work_left: Minutes::new(work.ln_median.exp().round().clamp(1.0, f64::from(u32::MAX)) as u32),
    })
}

/// What the record shows, for the recalibration (see [`Recalibration`]), each in 0..=1:
/// - a constant 1;
/// - the posterior weight of the wandering levels, and that of the fades under way, each as if
///   its prior had been even odds (how much the record itself says);
/// - how noisy the weeks are: the posterior root-mean-square spread of single weeks, from 0 at
///   0.2 to 1 at 0.8;
/// - how far the likely day lies: 0 up to 4 weeks, 1 from a year, in between by `ln T`;
/// - from the complete weeks read (4 or more; 0 otherwise): their lag-one autocorrelation
///   plus 0.2 (a level that wanders or falls makes neighbouring weeks alike), the size of
///   `ln(mean of the last 4 / mean of all)` (a recent change), four times the share of
///   weeks with nothing logged, and (12 weeks or more) a third of how much the variance of
///   sums of 4 weeks exceeds 4 times that of single weeks (a wandering level).
fn features(pace: &Pace, likely: Option<f64>, weeks: &[Minutes]) -> [f64; FEATURES] {
    let mut wander = 0.0;
    let mut fading = 0.0;
    let mut spread = 0.0;
    for c in &pace.components {
        if c.wander_var > 0.0 {
            wander += c.weight;
        }
        if c.fade > 0.0 && c.onset <= 0.0 {
            fading += c.weight;
        }
        spread += c.weight * c.spread_var;
    }
    // The posterior weights as if the prior had given even odds: what the record says.
    let even = |posterior: f64, prior: f64| {
        let prior = prior.clamp(1e-6, 1.0 - 1e-6);
        let (yes, no) = (posterior / prior, (1.0 - posterior) / (1.0 - prior));
        if yes + no > 0.0 {
            yes / (yes + no)
        } else {
            0.0
        }
    };
    let horizon = likely.map_or(1.0, |l| (l / 4.0).max(1e-9).ln() / 13.0f64.ln());
    let (alike, change, zeros, blocks) =
        record_shape(&weeks[weeks.len().saturating_sub(MAX_HISTORY)..]);
    [
        1.0,
        even(wander.clamp(0.0, 1.0), pace.prior_wander),
        even(fading.clamp(0.0, 1.0), pace.prior_fading),
        ((spread.sqrt() - 0.2) / 0.6).clamp(0.0, 1.0),
        horizon.clamp(0.0, 1.0),
        alike,
        change,
        zeros,
        blocks,
    ]
}

/// The shape of the complete weeks (see [`features`]): autocorrelation plus 0.2, the size of
/// the recent change, four times the share of empty weeks, the excess variance of 4-week sums;
/// all 0 with fewer than 4 weeks or nothing logged.
fn record_shape(weeks: &[Minutes]) -> (f64, f64, f64, f64) {
    let n = weeks.len();
    let x: Vec<f64> = weeks.iter().map(|m| f64::from(m.get())).collect();
    let mean = x.iter().sum::<f64>() / n.max(1) as f64;
    if n < 4 || mean.is_nan() || mean <= 0.0 {
        return (0.0, 0.0, 0.0, 0.0);
    }
    let last = x[n - 4..].iter().sum::<f64>() / 4.0;
    let change = (last.max(1.0) / mean).ln().abs().min(1.0);
    let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let lagged: f64 = x.windows(2).map(|w| (w[0] - mean) * (w[1] - mean)).sum();
    let alike = lagged / (var * (n - 1) as f64).max(1e-9);
    let zeros = x.iter().filter(|v| **v == 0.0).count() as f64 / n as f64;
    // Sums of 4 weeks vary about 4 times as much as single weeks if the weeks are independent
    // around a steady level, more if the level wanders.
    let blocks: Vec<f64> = x.rchunks_exact(4).map(|b| b.iter().sum::<f64>()).collect();
    let spread = if blocks.len() >= 3 && var > 0.0 {
        let m = blocks.iter().sum::<f64>() / blocks.len() as f64;
        let v = blocks.iter().map(|b| (b - m).powi(2)).sum::<f64>() / (blocks.len() - 1) as f64;
        ((v / (4.0 * var) - 1.0) / 3.0).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (
        (alike + 0.2).clamp(0.0, 1.0),
        change,
        (4.0 * zeros).min(1.0),
        spread,
    )
}

/// The features (see [`features`]) spread over the record lengths of
/// [`RECORD_ANCHORS`]: each anchor's row holds the features times the anchor's share of the
/// record length (shares linear in `ln weeks` between neighbouring anchors, all on the first
/// anchor below it and on the last above it).
fn design(pace: &Pace, likely: Option<f64>, weeks: &[Minutes]) -> [[f64; FEATURES]; ANCHORS] {
    let f = features(pace, likely, weeks);
    let x = f64::from(pace.weeks.max(1)).ln();
    let mut shares = [0.0; ANCHORS];
    let at = |i: usize| RECORD_ANCHORS[i].ln();
    if x <= at(0) {
        shares[0] = 1.0;
    } else if x >= at(ANCHORS - 1) {
        shares[ANCHORS - 1] = 1.0;
    } else {
        for i in 0..ANCHORS - 1 {
            if x < at(i + 1) {
                let t = (x - at(i)) / (at(i + 1) - at(i));
                shares[i] = 1.0 - t;
                shares[i + 1] = t;
                break;
            }
        }
    }
    shares.map(|share| f.map(|v| v * share))
}

/// The range's lower and upper percentiles for a record (see [`Recalibration`]).
fn levels(design: &[[f64; FEATURES]; ANCHORS], r: &Recalibration) -> (f64, f64) {
    let shift = |coefficients: &[[f64; FEATURES]; ANCHORS]| -> f64 {
        coefficients
            .iter()
            .zip(design)
            .map(|(c, d)| c.iter().zip(d).map(|(a, b)| a * b).sum::<f64>())
            .sum()
    };
    let logit = |p: f64| (p / (1.0 - p)).ln();
    let logistic = |x: f64| 1.0 / (1.0 + (-x).exp());
    let lower = logistic(logit(1.0 - UPPER) + shift(&r.early)).clamp(1e-4, 0.45);
    let upper = logistic(logit(UPPER) + shift(&r.late)).clamp(0.55, 1.0 - 1e-4);
    (lower, upper)
}

/// For the calibration benchmark's fit of the recalibration only: the model's probability of
/// having finished within `weeks` weeks and within [`HORIZON_WEEKS`], and the
/// recalibration's design (see [`Recalibration`]).
#[doc(hidden)]
pub fn forecast_probability_with(
    input: &ForecastInput<'_>,
    priors: &Priors,
    weeks: f64,
) -> Option<(f64, f64, [[f64; FEATURES]; ANCHORS])> {
    let work = work_left(input.open, input.finished, priors)?;
    let pace = pace(input.weeks, input.this_week, input.days_into_week, priors)?;
    let ahead = Ahead {
        first: (7.0 - f64::from(input.days_into_week.clamp(1, 7))) / 7.0,
        shares: input.availability,
    };
    let guess = work.ln_median.exp() / pace.level().max(MIN_AVAILABLE);
    let likely = weeks_at(0.5, guess, (MIN_WEEKS, HORIZON_WEEKS), &work, &pace, &ahead);
    let t = weeks.clamp(MIN_WEEKS, HORIZON_WEEKS);
    Some((
        finished_by(t, &work, &pace, &ahead),
        finished_by(HORIZON_WEEKS, &work, &pace, &ahead),
        design(&pace, likely, input.weeks),
    ))
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

    /// Normal weeks available in the next `weeks` calendar weeks, each weighed by
    /// `e^{−rt}`, and by `e^{−λ(t − onset)}` more from `onset` on.
    fn available(&self, weeks: f64, rate: f64, fade: f64, onset: f64) -> f64 {
        // ∫ from t0 to t1 of the weight, for t0 < t1 on one side of the onset.
        let part = |t0: f64, t1: f64| {
            let (r, at) = if t0 >= onset && fade > 0.0 {
                (rate + fade, (-rate * t0 - fade * (t0 - onset)).exp())
            } else {
                (rate, (-rate * t0).exp())
            };
            if r > 0.0 {
                at * -(-r * (t1 - t0)).exp_m1() / r
            } else {
                t1 - t0
            }
        };
        let weighed = |t0: f64, t1: f64| {
            if fade > 0.0 && t0 < onset && onset < t1 {
                part(t0, onset) + part(onset, t1)
            } else {
                part(t0, t1)
            }
        };
        // Every week normal, less what the declared breaks take out.
        let mut sum = weighed(0.0, weeks);
        let mut from = 0.0;
        for week in 0..self.shares.len() {
            if from >= weeks {
                break;
            }
            let to = if week == 0 { self.first } else { from + 1.0 }.min(weeks);
            let off = 1.0 - self.share(week);
            if off > 0.0 && to > from {
                sum -= off * weighed(from, to);
            }
            from = to;
        }
        sum.max(0.0)
    }
}

/// `P(finished within `weeks` weeks)`.
fn finished_by(weeks: f64, work: &WorkLeft, pace: &Pace, ahead: &Ahead<'_>) -> f64 {
    // Components share a few fades and returns: the horizon is worked out once for each.
    let mut seen: [([f64; 3], Weeks); 48] = [([f64::NAN; 3], NO_WEEKS); 48];
    let mut count = 0;
    let mut sum = 0.0;
    for c in &pace.components {
        let key = [c.fade, c.revert, c.onset];
        let cached = seen[..count].iter().find(|(k, _)| *k == key);
        let horizon = match cached {
            Some((_, w)) => *w,
            None => {
                let available = ahead
                    .available(weeks, 0.0, c.fade, c.onset)
                    .max(MIN_AVAILABLE);
                let transient = if c.revert > 0.0 {
                    ahead
                        .available(weeks, c.revert, c.fade, c.onset)
                        .min(available)
                } else {
                    available
                };
                // The calendar weeks, faded.
                let faded = (weeks - c.onset).max(0.0);
                let horizon = if c.fade > 0.0 {
                    weeks - faded - (-c.fade * faded).exp_m1() / c.fade
                } else {
                    weeks
                };
                let w = Weeks {
                    available,
                    transient,
                    wander: Component::wander_horizon(c.revert, horizon),
                };
                if count < seen.len() {
                    seen[count] = (key, w);
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
    transient: 0.0,
    wander: 0.0,
};

/// The horizon in weeks by which the learner has finished with probability `p`, searched
/// between `low` and `high` weeks from `guess`; `None` when not even by `high`.
fn weeks_at(
    p: f64,
    guess: f64,
    (low, high): (f64, f64),
    work: &WorkLeft,
    pace: &Pace,
    ahead: &Ahead<'_>,
) -> Option<f64> {
    let g = |x: f64| finished_by(x.exp(), work, pace, ahead) - p;
    let (floor, ceiling) = (low.ln(), high.ln());
    // A bracket from the guess, doubling its step outwards until the sign changes.
    let x0 = guess.clamp(low, high).ln();
    let g0 = g(x0);
    let mut step = std::f64::consts::LN_2 / 2.0;
    let (mut a, mut ga, mut b, mut gb);
    if g0 >= 0.0 {
        (b, gb) = (x0, g0);
        loop {
            a = (b - step).max(floor);
            ga = g(a);
            if ga < 0.0 {
                break;
            }
            if a <= floor {
                return Some(low);
            }
            (b, gb) = (a, ga);
            step *= 2.0;
        }
    } else {
        (a, ga) = (x0, g0);
        loop {
            b = (a + step).min(ceiling);
            gb = g(b);
            if gb >= 0.0 {
                break;
            }
            if b >= ceiling {
                return None;
            }
            (a, ga) = (b, gb);
            step *= 2.0;
        }
    }
    // The Illinois variant of regula falsi on `ln T`: superlinear, and it keeps the bracket.
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
    use crate::curriculum::ItemKind;
    use jiff::civil::date;
    use proptest::prelude::*;

    const TODAY: Date = date(2026, 3, 4);

    fn minutes(values: &[u32]) -> Vec<Minutes> {
        values.iter().copied().map(Minutes::new).collect()
    }

    fn open(estimates: &[(u32, u32)]) -> Vec<OpenItem> {
        estimates
            .iter()
            .map(|&(estimate, logged)| OpenItem {
                estimate: Minutes::new(estimate),
                logged: Minutes::new(logged),
            })
            .collect()
    }

    fn done(count: usize, estimate: u32, logged: u32) -> Vec<FinishedItem> {
        (0..count)
            .map(|_| FinishedItem {
                kind: ItemKind::Course,
                estimate: Minutes::new(estimate),
                logged: Minutes::new(logged),
            })
            .collect()
    }

    /// A learner at about 5 h a week with a little noise, `weeks` complete weeks long.
    fn history(weeks: usize) -> Vec<Minutes> {
        const PATTERN: [u32; 6] = [300, 280, 330, 290, 310, 320];
        (0..weeks).map(|i| Minutes::new(PATTERN[i % 6])).collect()
    }

    fn input<'a>(
        weeks: &'a [Minutes],
        open: &'a [OpenItem],
        finished: &'a [FinishedItem],
    ) -> ForecastInput<'a> {
        ForecastInput {
            today: TODAY,
            weeks,
            this_week: Minutes::new(130),
            days_into_week: 3,
            open,
            finished,
            availability: &[],
        }
    }

    fn width(f: &RangeForecast) -> i64 {
        i64::from(f.early.until(f.late).unwrap().get_days())
    }

    fn days_to(day: Date) -> i64 {
        i64::from(TODAY.until(day).unwrap().get_days())
    }

    #[test]
    fn the_range_is_ordered_states_its_probability_and_starts_tomorrow_at_the_earliest() {
        let weeks = history(12);
        let items = open(&[(600, 120), (900, 0), (300, 0)]);
        let finished = done(5, 300, 330);
        let f = forecast_range(&input(&weeks, &items, &finished)).unwrap();
        assert_eq!(f.probability, 0.8);
        assert!(TODAY < f.early && f.early <= f.likely && f.likely <= f.late);
        assert!(!f.open_ended);
        assert_eq!((f.weeks, f.evidence), (12, 5));
        assert!((f.pace - 300.0).abs() < 40.0, "{}", f.pace);
        // About 1,700 real minutes at about 300 a week: five to six weeks.
        assert!((28..=49).contains(&days_to(f.likely)), "{f:?}");
    }

    #[test]
    fn more_work_left_finishes_later_with_a_wider_range() {
        let weeks = history(12);
        let finished = done(5, 300, 300);
        let short = open(&[(600, 0)]);
        let long = open(&[(600, 0); 10]);
        let near = forecast_range(&input(&weeks, &short, &finished)).unwrap();
        let far = forecast_range(&input(&weeks, &long, &finished)).unwrap();
        assert!(far.early > near.early && far.likely > near.likely && far.late > near.late);
        assert!(width(&far) > width(&near));
        // Further ahead, the pace has longer to drift: the range is wider even in relation to
        // the time left... but never narrower than the noise of a single item allows.
        assert!(width(&far) as f64 / days_to(far.likely) as f64 > 0.2);
    }

    #[test]
    fn a_longer_consistent_history_narrows_the_range() {
        let items = open(&[(600, 0); 8]);
        let finished = done(5, 300, 300);
        let (few, many) = (history(3), history(40));
        let short = forecast_range(&input(&few, &items, &finished)).unwrap();
        let long = forecast_range(&input(&many, &items, &finished)).unwrap();
        assert!(width(&long) < width(&short), "{short:?} {long:?}");
        assert_eq!(long.weeks, 40);
    }

    #[test]
    fn more_finished_items_narrow_the_range() {
        let weeks = history(12);
        let items = open(&[(600, 0); 8]);
        let (one, many) = (done(1, 300, 300), done(30, 300, 300));
        let little = forecast_range(&input(&weeks, &items, &one)).unwrap();
        let much = forecast_range(&input(&weeks, &items, &many)).unwrap();
        assert!(width(&much) < width(&little));
        assert_eq!(much.evidence, 30);
    }

    #[test]
    fn the_current_week_counts() {
        let weeks = history(6);
        let items = open(&[(2400, 0)]);
        let idle = ForecastInput {
            this_week: Minutes::ZERO,
            days_into_week: 6,
            ..input(&weeks, &items, &[])
        };
        let busy = ForecastInput {
            this_week: Minutes::new(900),
            ..idle
        };
        let slow = forecast_range(&idle).unwrap();
        let fast = forecast_range(&busy).unwrap();
        assert!(fast.pace > slow.pace);
        assert!(fast.likely < slow.likely);
        // A learner who has only just begun, in the current week, already has a pace.
        let first = ForecastInput { weeks: &[], ..busy };
        assert!(forecast_range(&first).is_some());
    }

    #[test]
    fn items_that_ran_past_their_estimates_still_get_a_date() {
        let weeks = history(8);
        let items = open(&[(60, 300), (120, 500)]);
        let f = forecast_range(&input(&weeks, &items, &done(3, 300, 300))).unwrap();
        assert!(f.work_left > Minutes::ZERO);
        assert!(TODAY < f.early && f.late < date(2027, 1, 1), "{f:?}");
    }

    /// The mean of what is left of an item in progress is more than its estimate less the time
    /// logged (see `work`); its median can be less, as what is left is skewed.
    #[test]
    fn time_logged_on_an_item_in_progress_shortens_the_work_left() {
        let weeks = history(8);
        let finished = done(5, 300, 300);
        let fresh = open(&[(1200, 0)]);
        let halfway = open(&[(1200, 600)]);
        let a = forecast_range(&input(&weeks, &fresh, &finished)).unwrap();
        let b = forecast_range(&input(&weeks, &halfway, &finished)).unwrap();
        assert!(b.work_left < a.work_left && b.likely < a.likely);
        assert!(b.work_left.get() > 400, "{b:?}");
    }

    #[test]
    fn a_declared_break_ahead_moves_the_dates_later() {
        let weeks = history(12);
        let items = open(&[(600, 0); 3]);
        let plain = input(&weeks, &items, &[]);
        let away = ForecastInput {
            availability: &[1.0, 0.0, 0.0, 0.5],
            ..plain
        };
        let at_home = forecast_range(&plain).unwrap();
        let travelling = forecast_range(&away).unwrap();
        assert!(travelling.early > at_home.early);
        assert!(travelling.likely > at_home.likely);
        assert!(travelling.late > at_home.late);
        // Shares outside 0..=1 or not a number are read as the nearest sensible share.
        let odd = ForecastInput {
            availability: &[f64::NAN, 7.0],
            ..plain
        };
        assert_eq!(forecast_range(&odd), Some(at_home));
    }

    #[test]
    fn no_pace_or_nothing_open_gives_no_forecast() {
        let items = open(&[(600, 0)]);
        let nothing = ForecastInput {
            this_week: Minutes::ZERO,
            ..input(&[], &items, &[])
        };
        assert_eq!(forecast_range(&nothing), None);
        let zeros = minutes(&[0, 0, 0]);
        assert_eq!(
            forecast_range(&ForecastInput {
                weeks: &zeros,
                ..nothing
            }),
            None
        );
        let weeks = history(4);
        assert_eq!(forecast_range(&input(&weeks, &[], &[])), None);
    }

    #[test]
    fn a_pace_fading_to_nothing_leaves_the_late_end_open() {
        let weeks = minutes(&[600, 420, 300, 210, 150, 100, 70, 50, 35, 25, 18, 12, 8, 5]);
        let items = open(&[(6000, 0); 10]);
        let f = forecast_range(&ForecastInput {
            this_week: Minutes::new(1),
            ..input(&weeks, &items, &[])
        })
        .unwrap();
        assert!(f.open_ended, "{f:?}");
        assert!(f.early <= f.likely && f.likely <= f.late);
    }

    #[test]
    fn the_same_input_always_gives_the_same_range() {
        let weeks = minutes(&[300, 0, 450, 120, 600, 0, 0, 380]);
        let items = open(&[(600, 700), (45, 0), (3000, 10)]);
        let finished = done(2, 100, 340);
        let first = forecast_range(&input(&weeks, &items, &finished));
        for _ in 0..3 {
            assert_eq!(forecast_range(&input(&weeks, &items, &finished)), first);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn any_record_gives_ordered_dates_from_tomorrow_or_none_without_a_pace(
            weeks in prop::collection::vec(0u32..5000, 0..60),
            this_week in 0u32..3000,
            days in 0u8..9,
            items in prop::collection::vec((0u32..20_000, 0u32..20_000), 0..12),
            finished in prop::collection::vec((0u32..5000, 0u32..5000), 0..20),
            shares in prop::collection::vec(-0.5f64..1.5, 0..20),
        ) {
            let weeks = minutes(&weeks);
            let items = open(&items);
            let finished: Vec<FinishedItem> = finished
                .iter()
                .map(|&(e, l)| FinishedItem { kind: ItemKind::Book, estimate: Minutes::new(e), logged: Minutes::new(l) })
                .collect();
            let input = ForecastInput {
                today: TODAY,
                weeks: &weeks,
                this_week: Minutes::new(this_week),
                days_into_week: days,
                open: &items,
                finished: &finished,
                availability: &shares,
            };
            let logged = this_week > 0 || weeks.iter().any(|w| !w.is_zero());
            match forecast_range(&input) {
                Some(f) => {
                    prop_assert!(logged && !items.is_empty());
                    prop_assert!(TODAY < f.early && f.early <= f.likely && f.likely <= f.late);
                    prop_assert!(f.work_left > Minutes::ZERO);
                    prop_assert!(f.pace > 0.0 && f.factor > 0.0);
                }
                None => prop_assert!(!logged || items.is_empty()),
            }
        }
    }
}
