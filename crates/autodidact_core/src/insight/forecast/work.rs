//! The work left, in real minutes, as a log-normal distribution.
//!
//! An item's real time is its estimate times the learner's factor times its own error:
//! `ln(real / estimate) = μ + ε`, `ε ~ N(0, σ²)` independently per item.
//! - The items' spread `σ` is one of a small grid with prior weights ([`Priors`]): most
//!   learners' items scatter a little around their factor, some a lot. Each finished item's
//!   log ratio is one observation of `μ + ε` (clamped to a tenth and ten times the estimate, so
//!   that one item ticked off without its real time cannot swing it), and each `σ` is weighted
//!   by the marginal likelihood of the ratios, so a few finished items tell a scattered learner
//!   from a regular one.
//! - Given `σ`, `μ` (the learner's factor, in logs) has the prior
//!   `N(ln factor_median − σ² / 2, factor_sd²)`: the population's typical real time over the
//!   estimate, until finished items say otherwise (the factor is on average over items, so the
//!   median ratio sits `σ² / 2` below it). Its posterior variance shrinks as `1 / n` with the
//!   finished items.
//! - An untouched item's remaining time is its whole real time. An item with logged time `l`
//!   is known to need more than `l` (it is not finished): its remaining time is the real time
//!   minus `l`, given that the real time exceeds `l` (partial moments of the log-normal). So
//!   an item that has run past its estimate is still expected to need a share more, and time
//!   logged on an item in progress is not taken at face value.
//! - The items' remaining times are summed (mean and variance, independent given `μ`) and
//!   matched by a log-normal; the factor's uncertainty is added in logs, through the
//!   sensitivity of the sum to `μ`; the spreads' log-normals are mixed by their posterior
//!   weights and the mixture is matched by one log-normal.

use super::normal::ln_cdf;
use super::priors::Priors;
use super::range::OpenItem;
use crate::insight::calibration::FinishedItem;

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

/// What the finished items say about `μ` for one value of the items' spread `σ`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Factor {
    /// The posterior weight of this `σ`.
    weight: f64,
    /// `σ²`.
    item_var: f64,
    /// The posterior mean and variance of `μ` given this `σ`.
    mean: f64,
    var: f64,
}

/// The finished items' log ratios, clamped.
fn ratios(finished: &[FinishedItem]) -> Vec<f64> {
    finished
        .iter()
        .filter(|i| !i.logged.is_zero() && !i.estimate.is_zero())
        .map(|i| {
            (f64::from(i.logged.get()) / f64::from(i.estimate.get()))
                .ln()
                .clamp(-MAX_LN_RATIO, MAX_LN_RATIO)
        })
        .collect()
}

/// The posterior over the prior's grid of items' spreads, and of `μ` given each.
///
/// Given `σ`, the ratios are `μ + ε` with `μ ~ N(m₀, τ²)`: their marginal likelihood is
/// `N(r; m₀ 1, σ² I + τ² 1 1ᵀ)`, which depends on the ratios through their mean `r̄` and their
/// sum of squares about it `S` only. The prior's factor is the learners' real time over the
/// estimate on average over items, so the median ratio is `m₀ = ln factor − σ² / 2`.
fn factors(ratios: &[f64], priors: &Priors) -> [Factor; 5] {
    let n = ratios.len() as f64;
    let mean_ratio = if ratios.is_empty() {
        0.0
    } else {
        ratios.iter().sum::<f64>() / n
    };
    let spread: f64 = ratios.iter().map(|r| (r - mean_ratio).powi(2)).sum();
    let tau2 = priors.factor_sd.powi(2);
    let mut out = priors.item_sds.map(|(sd, weight)| {
        let item_var = sd * sd;
        let m0 = priors.factor_median.ln() - item_var / 2.0;
        let joint = item_var + n * tau2;
        let log_likelihood = if ratios.is_empty() {
            0.0
        } else {
            -(n - 1.0) * sd.ln()
                - 0.5 * joint.ln()
                - spread / (2.0 * item_var)
                - n * (mean_ratio - m0).powi(2) / (2.0 * joint)
        };
        let precision = 1.0 / tau2 + n / item_var;
        Factor {
            weight: weight.max(0.0).ln() + log_likelihood,
            item_var,
            mean: (m0 / tau2 + n * mean_ratio / item_var) / precision,
            var: 1.0 / precision,
        }
    });
    let best = out
        .iter()
        .map(|f| f.weight)
        .fold(f64::NEG_INFINITY, f64::max);
    let mut total = 0.0;
    for f in &mut out {
        f.weight = if f.weight.is_finite() {
            (f.weight - best).exp()
        } else {
            0.0
        };
        total += f.weight;
    }
    for f in &mut out {
        f.weight /= total;
    }
    out
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
pub(super) fn work_left(
    open: &[OpenItem],
    finished: &[FinishedItem],
    priors: &Priors,
) -> Option<WorkLeft> {
    if open.is_empty() {
        return None;
    }
    let ratios = ratios(finished);
    let factors = factors(&ratios, priors);
    // For each spread: the sum's log-normal given `μ`, widened by `μ`'s uncertainty through
    // the sensitivity of the sum to `μ` (1 when no time is logged on open items); then the
    // mixture over the spreads, moment-matched.
    let (mut first, mut second, mut ln_factor) = (0.0, 0.0, 0.0);
    for f in factors.iter().filter(|f| f.weight > 0.0) {
        let (mean, var) = sum_moments(open, f.mean, f.item_var);
        let h = 0.01;
        let (up, _) = sum_moments(open, f.mean + h, f.item_var);
        let (down, _) = sum_moments(open, f.mean - h, f.item_var);
        let slope = (up.ln() - down.ln()) / (2.0 * h);
        let ln_var = (var / (mean * mean)).ln_1p() + slope * slope * f.var;
        let m = mean * (slope * slope * f.var / 2.0).exp();
        first += f.weight * m;
        second += f.weight * m * m * ln_var.exp();
        ln_factor += f.weight * f.mean;
    }
    let ln_var = (second / (first * first)).ln().max(0.0);
    Some(WorkLeft {
        ln_median: first.ln() - ln_var / 2.0,
        ln_var,
        factor: ln_factor.exp(),
        evidence: u32::try_from(ratios.len()).unwrap_or(u32::MAX),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curriculum::{ItemKind, Minutes};

    const P: Priors = Priors::FITTED;
    const ITEM_VAR: f64 = P.item_sds[1].0 * P.item_sds[1].0;

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
    fn without_evidence_an_item_is_expected_to_take_the_populations_factor() {
        let w = work_left(&[open(600, 0)], &[], &P).unwrap_or_else(|| panic!("open"));
        // The factor is the prior's median ratio, averaged over the spreads' prior weights.
        let total: f64 = P.item_sds.iter().map(|(_, w)| w).sum();
        let ln_factor: f64 = P
            .item_sds
            .iter()
            .map(|(sd, w)| w * (P.factor_median.ln() - sd * sd / 2.0))
            .sum::<f64>()
            / total;
        assert!((w.factor - ln_factor.exp()).abs() < 1e-9, "{}", w.factor);
        // The mean of the work left is the estimate times the population's factor, times
        // `e^{τ²/2}` for the factor's own uncertainty (`τ` its prior log-sd); its median sits
        // below, as the work left is skewed.
        let mean = (w.ln_median + w.ln_var / 2.0).exp();
        let expected = 600.0 * P.factor_median * (P.factor_sd.powi(2) / 2.0).exp();
        assert!((mean / expected - 1.0).abs() < 0.05, "{mean} {expected}");
        assert!(w.ln_median < mean.ln());
        assert_eq!(w.evidence, 0);
    }

    #[test]
    fn evidence_moves_the_factor_and_narrows_it() {
        let slow: Vec<FinishedItem> = (0..20).map(|_| done(100, 150)).collect();
        let few = work_left(&[open(600, 0)], &slow[..2], &P).unwrap_or_else(|| panic!("open"));
        let many = work_left(&[open(600, 0)], &slow, &P).unwrap_or_else(|| panic!("open"));
        assert!(few.factor > 1.0 && many.factor > few.factor && many.factor < 1.5);
        assert!(many.ln_var < few.ln_var);
        assert_eq!(many.evidence, 20);
    }

    #[test]
    fn an_item_past_its_estimate_still_needs_more() {
        let (mean, var) = item_moments(&open(60, 600), 0.0, ITEM_VAR);
        assert!(mean > 1.0 && mean < 600.0, "{mean}");
        assert!(var > 0.0);
        let (beyond, _) = item_moments(&open(60, 60_000), 0.0, ITEM_VAR);
        assert!(beyond.is_finite() && beyond >= MIN_REMAINING);
    }

    #[test]
    fn time_logged_on_an_item_in_progress_counts_for_less_than_its_face_value() {
        let (untouched, _) = item_moments(&open(600, 0), 0.0, ITEM_VAR);
        let (halfway, _) = item_moments(&open(600, 300), 0.0, ITEM_VAR);
        assert!(halfway < untouched);
        assert!(halfway > untouched - 300.0);
    }
}
