//! The work left, in real minutes, as a log-normal distribution.
//!
//! An item's real time is its estimate times the learner's factor times its own error:
//! `ln(real / estimate) = μ + ε`, `ε ~ N(0, σ²)` independently per item.
//! - `μ` (the learner's factor, in logs) has the prior `N(0, PRIOR_FACTOR_SD²)`: estimates are
//!   taken at their word until finished items say otherwise. Each finished item's log ratio is
//!   one observation of `μ + ε` (clamped to a tenth and ten times the estimate, so that one
//!   item ticked off without its real time cannot swing it), so the factor's variance shrinks
//!   as `1 / n` with the finished items.
//! - `σ²` has a scaled inverse-χ² prior worth [`PRIOR_ITEM_WEIGHT`] items at
//!   [`PRIOR_ITEM_SD`], updated with the spread of the finished items' log ratios. Its
//!   posterior is averaged over five points (so a spread known from few items gives the
//!   heavier tail it should).
//! - An untouched item's remaining time is its whole real time. An item with logged time `l`
//!   is known to need more than `l` (it is not finished): its remaining time is the real time
//!   minus `l`, given that the real time exceeds `l` (partial moments of the log-normal). So
//!   an item that has run past its estimate is still expected to need a share more, and time
//!   logged on an item in progress is not taken at face value.
//! - The items' remaining times are summed (mean and variance, independent given `μ`) and
//!   matched by a log-normal; the factor's uncertainty is added in logs, through the
//!   sensitivity of the sum to `μ`.

use super::normal::ln_cdf;
use super::range::OpenItem;
use crate::insight::calibration::FinishedItem;

/// The prior spread of a learner's factor, in logs: 95 % of learners between about 0.55 and
/// 1.8 times the estimates.
const PRIOR_FACTOR_SD: f64 = 0.3;
/// The prior spread of one item's real time around the learner's factor, in logs.
const PRIOR_ITEM_SD: f64 = 0.32;
/// How many items the prior of the items' spread is worth (degrees of freedom).
const PRIOR_ITEM_WEIGHT: f64 = 6.0;
/// A finished item's ratio counts between a tenth and ten times the estimate.
const MAX_LN_RATIO: f64 = std::f64::consts::LN_10;
/// An item's remaining time is at least a minute.
const MIN_REMAINING: f64 = 1.0;

/// The work left as a log-normal distribution of real minutes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct WorkLeft {
    /// `ln` of the median real minutes left.
    pub ln_median: f64,
    /// The variance of `ln` of the real minutes left.
    pub ln_var: f64,
    /// The learner's factor (real / estimate) the forecast uses: `exp(μ̂)`.
    pub factor: f64,
    /// Finished items counted as evidence.
    pub evidence: u32,
}

/// What the finished items say about `μ` and `σ²`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Factor {
    mean: f64,
    var: f64,
    /// The posterior mean of `σ²`.
    item_var: f64,
    /// The posterior of `σ²` is scaled inverse-χ² with `dof` degrees of freedom and `scale`.
    dof: f64,
    scale: f64,
    evidence: u32,
}

/// Standard normal quantiles at 0.1, 0.3, 0.5, 0.7 and 0.9: the items' variance is averaged
/// over these five points of its posterior (equal weights), so an uncertain spread gives the
/// heavier tail it should.
const QUADRATURE: [f64; 5] = [-1.281_551_6, -0.524_400_5, 0.0, 0.524_400_5, 1.281_551_6];

impl Factor {
    /// Five values of `σ²` spread over its posterior (Wilson–Hilferty for the χ² quantiles).
    fn item_vars(&self) -> [f64; 5] {
        let k = 2.0 / (9.0 * self.dof);
        QUADRATURE.map(|z| {
            // A high χ² is a low σ², so walk the quantiles the other way.
            let chi = self.dof * (1.0 - k - z * k.sqrt()).max(0.05).powi(3);
            self.dof * self.scale / chi
        })
    }
}

fn factor(finished: &[FinishedItem]) -> Factor {
    let ratios: Vec<f64> = finished
        .iter()
        .filter(|i| !i.logged.is_zero() && !i.estimate.is_zero())
        .map(|i| {
            (f64::from(i.logged.get()) / f64::from(i.estimate.get()))
                .ln()
                .clamp(-MAX_LN_RATIO, MAX_LN_RATIO)
        })
        .collect();
    let n = ratios.len() as f64;
    let mean_ratio = if ratios.is_empty() {
        0.0
    } else {
        ratios.iter().sum::<f64>() / n
    };
    let spread: f64 = ratios.iter().map(|r| (r - mean_ratio).powi(2)).sum();
    // The scaled inverse-χ² posterior of σ²: `dof` degrees of freedom around `scale`; its mean
    // `dof / (dof − 2) · scale` is what the items' variance is taken as.
    let dof = PRIOR_ITEM_WEIGHT + (n - 1.0).max(0.0);
    let scale = (PRIOR_ITEM_WEIGHT * PRIOR_ITEM_SD.powi(2) + spread) / dof;
    let item_var = scale * dof / (dof - 2.0);
    let precision = PRIOR_FACTOR_SD.powi(-2) + n / item_var;
    Factor {
        mean: n * mean_ratio / item_var / precision,
        var: 1.0 / precision,
        item_var,
        dof,
        scale,
        evidence: u32::try_from(ratios.len()).unwrap_or(u32::MAX),
    }
}

/// The mean and variance of one open item's remaining real minutes, given `μ` and `σ²`.
fn item_moments(item: &OpenItem, mu: f64, item_var: f64) -> (f64, f64) {
    let ln_median = f64::from(item.estimate.get().max(1)).ln() + mu;
    let sd = item_var.sqrt();
    let logged = f64::from(item.logged.get());
    if item.logged.is_zero() {
        let mean = (ln_median + item_var / 2.0).exp();
        return (mean, mean * mean * item_var.exp_m1());
    }
    // Partial moments of the log-normal above `logged`.
    let a = (logged.ln() - ln_median) / sd;
    let tail = ln_cdf(-a);
    let first = (ln_median + item_var / 2.0 + ln_cdf(sd - a) - tail).exp();
    let second = (2.0 * ln_median + 2.0 * item_var + ln_cdf(2.0 * sd - a) - tail).exp();
    let mean = (first - logged).max(MIN_REMAINING);
    (mean, (second - first * first).max(0.0))
}

fn sum_moments(open: &[OpenItem], mu: f64, item_var: f64) -> (f64, f64) {
    open.iter()
        .map(|item| item_moments(item, mu, item_var))
        .fold((0.0, 0.0), |(m, v), (im, iv)| (m + im, v + iv))
}

/// The real minutes left on `open`, given the evidence of `finished`; `None` when nothing is
/// open.
pub(super) fn work_left(open: &[OpenItem], finished: &[FinishedItem]) -> Option<WorkLeft> {
    if open.is_empty() {
        return None;
    }
    let f = factor(finished);
    let sums = f.item_vars().map(|v| sum_moments(open, f.mean, v));
    let count = sums.len() as f64;
    let mean = sums.iter().map(|(m, _)| m).sum::<f64>() / count;
    let var = sums
        .iter()
        .map(|(m, v)| v + (m - mean).powi(2))
        .sum::<f64>()
        / count;
    // How much the sum moves with μ, in logs (1 when no time is logged on open items).
    let h = 0.01;
    let (up, _) = sum_moments(open, f.mean + h, f.item_var);
    let (down, _) = sum_moments(open, f.mean - h, f.item_var);
    let slope = (up.ln() - down.ln()) / (2.0 * h);
    let items_ln_var = (var / (mean * mean)).ln_1p();
    Some(WorkLeft {
        ln_median: mean.ln() - items_ln_var / 2.0,
        ln_var: items_ln_var + slope * slope * f.var,
        factor: f.mean.exp(),
        evidence: f.evidence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curriculum::{ItemKind, Minutes};

    fn open(estimate: u32, logged: u32) -> OpenItem {
        OpenItem {
            estimate: Minutes::new(estimate),
            logged: Minutes::new(logged),
        }
    }

    fn done(estimate: u32, logged: u32) -> FinishedItem {
        FinishedItem {
            kind: ItemKind::Book,
            estimate: Minutes::new(estimate),
            logged: Minutes::new(logged),
        }
    }

    #[test]
    fn without_evidence_an_item_is_expected_to_take_its_estimate() {
        let w = work_left(&[open(600, 0)], &[]).unwrap_or_else(|| panic!("open"));
        // The median of the work left is the estimate, give or take the skew of an uncertain
        // spread.
        assert!(
            (w.ln_median - 600f64.ln()).abs() < 0.05,
            "{}",
            w.ln_median.exp()
        );
        assert_eq!(w.evidence, 0);
        assert!((w.factor - 1.0).abs() < 1e-12);
    }

    #[test]
    fn evidence_moves_the_factor_and_narrows_it() {
        let slow: Vec<FinishedItem> = (0..20).map(|_| done(100, 150)).collect();
        let few = work_left(&[open(600, 0)], &slow[..2]).unwrap_or_else(|| panic!("open"));
        let many = work_left(&[open(600, 0)], &slow).unwrap_or_else(|| panic!("open"));
        assert!(few.factor > 1.0 && many.factor > few.factor && many.factor < 1.5);
        assert!(many.ln_var < few.ln_var);
        assert_eq!(many.evidence, 20);
    }

    #[test]
    fn an_item_past_its_estimate_still_needs_more() {
        let (mean, var) = item_moments(&open(60, 600), 0.0, PRIOR_ITEM_SD.powi(2));
        assert!(mean > 1.0 && mean < 600.0, "{mean}");
        assert!(var > 0.0);
        let (beyond, _) = item_moments(&open(60, 60_000), 0.0, PRIOR_ITEM_SD.powi(2));
        assert!(beyond.is_finite() && beyond >= MIN_REMAINING);
    }

    #[test]
    fn time_logged_on_an_item_in_progress_counts_for_less_than_its_face_value() {
        let (untouched, _) = item_moments(&open(600, 0), 0.0, PRIOR_ITEM_SD.powi(2));
        let (halfway, _) = item_moments(&open(600, 300), 0.0, PRIOR_ITEM_SD.powi(2));
        assert!(halfway < untouched);
        assert!(halfway > untouched - 300.0);
    }
}
