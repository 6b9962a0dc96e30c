//! The pace: how many minutes a week the learner will log, and how sure that is.
//!
//! The weekly minutes are a level plus noise around it, and the level returns towards the
//! learner's own usual level:
//! - `x_t = L_t + e_t`, `Var(e_t) = s² U²` (the weeks' spread, zero weeks included);
//! - `L_t = U + φ (L_{t−1} − U) + w_t`, `Var(w_t) = σ² (1 − φ²) L²`: the level's distance from
//!   the usual level `U` halves in a half-life (`φ = 0.5^{1 / half-life}`), and the level
//!   wanders around it with a long-run spread `σ` (relative); `σ = 0` is a steady level;
//! - and the learner may be fading out: since a change point `K` weeks ago, both levels lose a
//!   share `ρ` every week on top.
//!
//! A learner's real pace wanders around their own habit (jobs, seasons, motivation) and comes
//! back; it does not drift without bound, so the uncertainty far ahead is mostly how well the
//! usual level is known, which the record pins down week by week.
//!
//! Neither `σ`, the half-life, `s`, nor whether and how fast the learner fades is known. Every
//! point of a small grid is run through a Kalman filter on `(L, U)` over the history (the
//! current, partial week last, scaled to a week with a wider noise) and weighted by its prior
//! times its likelihood: a steady record makes the steady level likely, a wandering one the
//! wide spreads, a falling one the fades, and a short record leaves the prior in charge. The
//! points are then merged by wander and fade (moments matched). The usual level is then
//! combined, in logs, with the population's prior of usual levels (so that a first few weeks
//! far from the usual are not taken as the learner's habit), and each component says where the
//! levels are now and how the sum of the weeks ahead spreads ([`Component::ahead`]). A learner
//! who is not fading now may begin to: components for fades beginning ahead, at a constant
//! hazard a week, are added.
//!
//! The pace also reports the prior probabilities of a wandering level and of a fade under way
//! for the record's length: the range's recalibration reads the posterior weights against them
//! (how much the record itself says).
//!
//! The priors ([`Priors`]) are population assumptions, fitted on the calibration benchmark's
//! training seed. With a short record they decide the width of the range, so they should be
//! re-fitted from real learners' records.

use super::priors::Priors;
use crate::curriculum::Minutes;

/// At most this many complete weeks are read (the newest).
pub(super) const MAX_HISTORY: usize = 104;

/// The prior variance of the usual level in the filter, relative to the record's mean week
/// squared: wide, so that the record (and then the population's prior) decides.
const USUAL_FILTER_VAR: f64 = 1.0;
/// How many weeks ago a fade may have begun (counting the current week), each standing for the
/// number of weeks after it: 4 for weeks 1–6 ago, 8 for 7–12, 16 for 13–24, 32 for 25–48, 64
/// for 49–96.
const FADE_STARTS: [(usize, f64); 5] = [(4, 6.0), (8, 6.0), (16, 12.0), (32, 24.0), (64, 48.0)];
/// Fades beginning ahead: each stands for the weeks `from..to` ahead and begins at `at`.
const ONSETS: [(f64, f64, f64); 3] = [(0.0, 16.0, 8.0), (16.0, 52.0, 34.0), (52.0, 156.0, 104.0)];
/// Components whose weight falls below this are dropped (and the rest renormalised).
const MIN_WEIGHT: f64 = 1e-4;
/// The extra relative variance of a week known from one day only (it shrinks as
/// `(7 − d) / d` with the days `d` seen): which weekdays a learner studies is unknown. A
/// learner studying on `k` of the 7 days, at random, gives about `1 / k`; 0.15 is a learner
/// who studies on most days.
pub(super) const PARTIAL_WEEK_VAR: f64 = 0.15;

/// One `(wander, fade)` pair of the grid, after the history.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Component {
    /// Posterior weight; the weights sum to 1.
    pub weight: f64,
    /// The level now, minutes a week.
    pub level: f64,
    /// The learner's usual level, to which the level returns, minutes a week.
    pub usual: f64,
    /// The covariance of (level, usual): the level's variance, the covariance, the usual
    /// level's variance, in minutes².
    pub cov: [f64; 3],
    /// How fast the level returns to the usual one: `κ = ln 2 / half-life`, per week.
    pub revert: f64,
    /// The variance a week of the wandering, relative, as a continuous process: `2 κ σ²`.
    pub wander_var: f64,
    /// `s²`.
    pub spread_var: f64,
    /// The fading rate `λ = −ln(1 − ρ)`, per week, from `onset` weeks ahead on.
    pub fade: f64,
    /// When the fade begins, in weeks from now (0: it is under way, or there is none).
    pub onset: f64,
}

/// A horizon as a component with a given fade and return sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Weeks {
    /// Normal weeks available, each faded.
    pub available: f64,
    /// Normal weeks available, each faded and weighed by `e^{−κt}`: how much of the level's
    /// distance from the usual one is still there, summed.
    pub transient: f64,
    /// [`Component::wander_horizon`] of the calendar weeks, faded.
    pub wander: f64,
}

impl Component {
    /// The minutes logged over a horizon (`weeks`, as this component's fade and return see
    /// it) as a log-normal: `(ln median, variance of ln)`.
    ///
    /// The level ahead returns from where it is now to the usual level: its sum is
    /// `usual × (available − transient) + level × transient`, whose uncertainty comes from the
    /// filter's covariance of the two. The wandering ahead adds the relative variance of an
    /// Ornstein–Uhlenbeck process's average over the horizon `H` given its start,
    /// `σ_c² H g(κH)` with `g(x) = (x − 2(1 − e^{−x}) + (1 − e^{−2x}) / 2) / x³` (which is
    /// `1 / 3`, a random walk's, for a slow return), and the weeks' own noise adds
    /// [`Component::noise_var`]. The wandering and the noise are mean-one factors (their
    /// medians sit below their means); the levels' uncertainty is taken as log-normal around
    /// the filter's estimate (a usual level is as likely to be twice as high as half as high).
    pub fn ahead(&self, weeks: &Weeks) -> (f64, f64) {
        let c_level = weeks.transient;
        let c_usual = weeks.available - weeks.transient;
        let mean = self.usual * c_usual + self.level * c_level;
        let [p_level, p_cross, p_usual] = self.cov;
        let state = c_level * c_level * p_level
            + 2.0 * c_level * c_usual * p_cross
            + c_usual * c_usual * p_usual;
        let wander = 1.0 + self.wander_var * weeks.wander;
        let noise = 1.0 + self.noise_var(weeks.available);
        let level = 1.0 + state.max(0.0) / (mean * mean);
        let spread = wander * noise;
        ((mean / spread.sqrt()).ln(), (level * spread).ln())
    }

    /// `H g(κH)` for a horizon of `H` (faded) calendar weeks and a return `κ`: the relative
    /// variance of the wandering's average over the horizon, for a unit variance a week.
    pub fn wander_horizon(revert: f64, horizon: f64) -> f64 {
        let x = revert * horizon;
        let g = if x < 1e-3 {
            1.0 / 3.0 - x / 4.0 + 7.0 * x * x / 60.0
        } else {
            (x + 2.0 * (-x).exp_m1() - 0.5 * (-2.0 * x).exp_m1()) / (x * x * x)
        };
        horizon * g
    }

    /// The relative variance of the minutes logged in `available` normal weeks from the
    /// weeks' own noise: `s² / available` over whole weeks; within a week the week's noise
    /// stays whole, and which days of the week the learner studies adds its share.
    pub fn noise_var(&self, available: f64) -> f64 {
        self.spread_var / available.max(1.0)
            + PARTIAL_WEEK_VAR * (1.0 - available).max(0.0) / available
    }
}

/// The pace from the history; `None` when nothing was logged.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Pace {
    pub components: Vec<Component>,
    /// Complete weeks read.
    pub weeks: u32,
    /// The prior probabilities of a wandering level and of a fade under way (for the record's
    /// length): with the posterior weights, how much the record itself says.
    pub prior_wander: f64,
    pub prior_fading: f64,
}

impl Pace {
    /// The weighted level, minutes a week.
    pub fn level(&self) -> f64 {
        self.components.iter().map(|c| c.weight * c.level).sum()
    }
}

/// One week's observation: minutes scaled to a whole week, and the extra relative variance of
/// a partial week.
type Observation = (f64, f64);

pub(super) fn pace(
    weeks: &[Minutes],
    this_week: Minutes,
    days_into_week: u8,
    priors: &Priors,
) -> Option<Pace> {
    let history = &weeks[weeks.len().saturating_sub(MAX_HISTORY)..];
    let days = f64::from(days_into_week.clamp(1, 7));
    let mut observations: Vec<Observation> =
        history.iter().map(|m| (f64::from(m.get()), 0.0)).collect();
    observations.push((
        f64::from(this_week.get()) * 7.0 / days,
        PARTIAL_WEEK_VAR * (7.0 - days) / days,
    ));
    let start = if history.is_empty() {
        observations[0].0
    } else {
        history.iter().map(|m| f64::from(m.get())).sum::<f64>() / history.len() as f64
    };
    if !(start.is_finite() && start > 0.0) {
        return None;
    }
    let mut points = Vec::new();
    for (w, wander) in priors.wanders.iter().enumerate() {
        let keep = if wander.spread > 0.0 && wander.half_life > 0.0 {
            0.5f64.powf(wander.half_life.recip())
        } else {
            1.0
        };
        for &(spread, spread_prior) in &priors.spreads {
            let prior = (wander.weight * spread_prior).ln();
            if !prior.is_finite() {
                continue;
            }
            let model = Model {
                keep,
                step_var: wander.spread * wander.spread * (1.0 - keep * keep),
                spread,
                floor: start * 1e-6,
            };
            let state = State::new(start, wander.spread);
            grid_point(&observations, state, model, prior, w, priors, &mut points);
        }
    }
    let best = points
        .iter()
        .map(|p| p.log_weight)
        .fold(f64::NEG_INFINITY, f64::max);
    let mut components = merge(&points, best, priors);
    let evidence: Vec<f64> = components
        .iter_mut()
        .map(|c| with_usual_prior(c, priors))
        .collect();
    let top = evidence.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    for (c, e) in components.iter_mut().zip(&evidence) {
        c.weight *= (e - top).exp();
    }
    normalise(&mut components)?;
    add_onsets(&mut components, priors, observations.len());
    components.retain(|c| c.weight >= MIN_WEIGHT);
    normalise(&mut components)?;
    let total: f64 = priors.wanders.iter().map(|w| w.weight.max(0.0)).sum();
    let steady = priors.wanders[0].weight.max(0.0) / total;
    Some(Pace {
        components,
        weeks: u32::try_from(history.len()).unwrap_or(u32::MAX),
        prior_wander: 1.0 - steady,
        prior_fading: steady
            * fade_starts(observations.len(), priors)
                .iter()
                .map(|(_, p)| p)
                .sum::<f64>(),
    })
}

/// One filtered point of the grid.
#[derive(Debug, Clone, Copy)]
struct Point {
    /// Which merged component it belongs to: the wander's index times `fades + 1`, plus 0
    /// without a fade or the fade's index plus one.
    group: usize,
    log_weight: f64,
    state: State,
    spread: f64,
}

/// Filters one `(wander, s)` pair without a fade and with every fade and change point,
/// pushing the points with their log weights (prior plus log-likelihood).
fn grid_point(
    observations: &[Observation],
    mut state: State,
    model: Model,
    prior: f64,
    wander_index: usize,
    priors: &Priors,
    points: &mut Vec<Point>,
) {
    let groups = priors.fades.len() + 1;
    let n = observations.len();
    // Where a fade may have begun (an observation index; 0 is the record's start), with its
    // prior: a constant hazard a week for the weeks each change point stands for.
    let starts = fade_starts(n, priors);
    let fading: f64 = starts.iter().map(|(_, p)| p).sum();
    let mut before = vec![state; starts.len()];
    for (i, &observation) in observations.iter().enumerate() {
        for (k, &(from, _)) in starts.iter().enumerate() {
            if from == i {
                before[k] = state;
            }
        }
        state.step(observation, &model, 1.0, i > 0);
    }
    // Only a steady level fades (a wandering one is not given a fade as well).
    let fades = wander_index == 0;
    let kept = if fades {
        (1.0 - fading).max(1e-9).ln()
    } else {
        0.0
    };
    points.push(Point {
        group: wander_index * groups,
        log_weight: prior + kept + state.log_likelihood(),
        state,
        spread: model.spread,
    });
    if !fades {
        return;
    }
    let per_fade = (priors.fades.len() as f64).recip();
    for (f, &fade) in priors.fades.iter().enumerate() {
        for (k, &(from, start_prior)) in starts.iter().enumerate() {
            if start_prior <= 0.0 {
                continue;
            }
            let mut faded = before[k];
            for (i, &observation) in observations.iter().enumerate().skip(from) {
                faded.step(observation, &model, 1.0 - fade, i > 0);
            }
            points.push(Point {
                group: wander_index * groups + f + 1,
                log_weight: prior + (start_prior * per_fade).ln() + faded.log_likelihood(),
                state: faded,
                spread: model.spread,
            });
        }
    }
}

/// Where a fade may have begun in a record of `n` observations (an observation index; 0 is the
/// record's start), with its prior: a constant hazard a week for the weeks each change point
/// stands for.
fn fade_starts(n: usize, priors: &Priors) -> Vec<(usize, f64)> {
    let mut starts: Vec<(usize, f64)> = vec![(0, priors.fade_from_start)];
    starts.extend(
        FADE_STARTS
            .iter()
            .filter(|(weeks, _)| *weeks < n)
            .map(|&(weeks, span)| {
                (
                    n - weeks,
                    priors.fade_hazard * span * decay(priors, n - weeks),
                )
            }),
    );
    starts
}

/// Merges the points of each (wander, fade) group into one component, moments matched: the
/// spread and the change point matter only through the levels now and the noise ahead.
fn merge(points: &[Point], best: f64, priors: &Priors) -> Vec<Component> {
    let groups = priors.fades.len() + 1;
    let mut sums = vec![[0.0f64; 7]; priors.wanders.len() * groups];
    for p in points {
        let w = (p.log_weight - best).exp();
        let (l, u) = (p.state.level, p.state.usual);
        let [p11, p12, p22] = p.state.cov;
        let s = &mut sums[p.group];
        s[0] += w;
        s[1] += w * l;
        s[2] += w * u;
        s[3] += w * (l * l + p11);
        s[4] += w * (l * u + p12);
        s[5] += w * (u * u + p22);
        s[6] += w * p.spread * p.spread;
    }
    sums.iter()
        .enumerate()
        .filter(|(_, s)| s[0] > 0.0 && s[1] > 0.0 && s[2] > 0.0)
        .map(|(g, s)| {
            let (level, usual) = (s[1] / s[0], s[2] / s[0]);
            let fade = match g % groups {
                0 => 0.0,
                f => -(1.0 - priors.fades[f - 1]).ln(),
            };
            let wander = priors.wanders[g / groups];
            let revert = if wander.spread > 0.0 && wander.half_life > 0.0 {
                std::f64::consts::LN_2 / wander.half_life
            } else {
                0.0
            };
            Component {
                weight: s[0],
                level,
                usual,
                cov: [
                    (s[3] / s[0] - level * level).max(0.0),
                    s[4] / s[0] - level * usual,
                    (s[5] / s[0] - usual * usual).max(0.0),
                ],
                revert,
                wander_var: 2.0 * revert * wander.spread * wander.spread,
                spread_var: s[6] / s[0],
                fade,
                onset: 0.0,
            }
        })
        .collect()
}

/// Combines a component's usual level with the population's prior, in logs (the filter's
/// usual level is taken as log-normal with its mean and variance), moves the level with it by
/// their covariance, and returns the log-evidence of the prior for the component.
fn with_usual_prior(c: &mut Component, priors: &Priors) -> f64 {
    let [p11, p12, p22] = c.cov;
    let v = (p22 / (c.usual * c.usual)).ln_1p().max(1e-12);
    let m = c.usual.ln() - v / 2.0;
    let t = priors.usual_log_sd * priors.usual_log_sd;
    let m0 = priors.usual_median.ln();
    let post_v = v * t / (v + t);
    let post_m = post_v * (m / v + m0 / t);
    let usual = (post_m + post_v / 2.0).exp();
    let p22_new = usual * usual * post_v.exp_m1();
    let beta = if p22 > 0.0 { p12 / p22 } else { 0.0 };
    c.level = (c.level + beta * (usual - c.usual)).max(c.level * 1e-3);
    c.cov = [
        (p11 - beta * p12 + beta * beta * p22_new).max(0.0),
        beta * p22_new,
        p22_new,
    ];
    c.usual = usual;
    -0.5 * (m - m0).powi(2) / (v + t) - 0.5 * (v + t).ln()
}

/// How much of the hazard that a fade begins is left after `weeks` weeks of record.
fn decay(priors: &Priors, weeks: usize) -> f64 {
    if priors.fade_decay > 0.0 {
        (-(weeks as f64) / priors.fade_decay).exp()
    } else {
        1.0
    }
}

/// Splits the steady component that is not fading into one that never fades and ones whose
/// fade begins ahead (at [`ONSETS`], with the prior's hazard a week, falling as the record
/// grows).
fn add_onsets(components: &mut Vec<Component>, priors: &Priors, weeks: usize) {
    let h = priors.onset_hazard * decay(priors, weeks);
    if h <= 0.0 {
        return;
    }
    let fade = -(1.0 - priors.onset_fade).ln();
    // The probability of no fade in the first `t` weeks ahead.
    let tau = priors.fade_decay;
    let survive = |t: f64| {
        if tau > 0.0 {
            (h * tau * (-t / tau).exp_m1()).exp()
        } else {
            (-h * t).exp()
        }
    };
    let steady = components.len();
    for i in 0..steady {
        let c = components[i];
        // Only a steady level that is not fading yet may begin to (as only a steady level
        // fades in the record).
        if c.fade > 0.0 || c.revert > 0.0 || c.wander_var > 0.0 {
            continue;
        }
        let mut left = 1.0;
        for &(from, to, at) in &ONSETS {
            let p = survive(from) - survive(to);
            left -= p;
            components.push(Component {
                weight: c.weight * p,
                fade,
                onset: at,
                ..c
            });
        }
        components[i].weight *= left.max(0.0);
    }
}

fn normalise(components: &mut [Component]) -> Option<()> {
    let total: f64 = components.iter().map(|c| c.weight).sum();
    if !(total.is_finite() && total > 0.0) {
        return None;
    }
    for c in components {
        c.weight /= total;
    }
    Some(())
}

/// One `(wander, s)` pair of the grid.
#[derive(Debug, Clone, Copy)]
struct Model {
    /// The share of the level's distance from the usual level kept each week.
    keep: f64,
    /// The variance of the level's step a week, relative to the level squared.
    step_var: f64,
    spread: f64,
    /// The levels' variances are scaled by at least this level (no zero variance).
    floor: f64,
}

/// A filter's state: the level and the usual level, their covariance, and the
/// log-likelihood so far.
#[derive(Debug, Clone, Copy)]
struct State {
    level: f64,
    usual: f64,
    /// (level, usual): the level's variance, the covariance, the usual level's variance.
    cov: [f64; 3],
    /// The log-likelihood is `ll − ln(det) / 2`: the product of the predictive variances is
    /// kept apart and its logarithm taken once in a while (a logarithm a week is most of a
    /// filter's cost).
    ll: f64,
    det: f64,
}

impl State {
    /// Both levels at `start`; the usual one with a wide prior, the level now around it with
    /// the wander's spread `sd`.
    fn new(start: f64, sd: f64) -> Self {
        let usual = USUAL_FILTER_VAR * start * start;
        State {
            level: start,
            usual: start,
            cov: [usual + sd * sd * start * start, usual, usual],
            ll: 0.0,
            det: 1.0,
        }
    }

    /// One week: the level returns towards the usual level and wanders, and both keep `keep`
    /// of themselves (a fade; not before the first week), then the week's observation updates
    /// them.
    fn step(&mut self, (x, extra): Observation, m: &Model, keep: f64, moves: bool) {
        if moves {
            let a = m.keep * keep;
            let b = (1.0 - m.keep) * keep;
            let [p11, p12, p22] = self.cov;
            self.level = a * self.level + b * self.usual;
            self.usual *= keep;
            self.cov = [
                a * a * p11
                    + 2.0 * a * b * p12
                    + b * b * p22
                    + m.step_var * self.level.max(m.floor).powi(2),
                keep * (a * p12 + b * p22),
                keep * keep * p22,
            ];
        }
        let [p11, p12, p22] = self.cov;
        let scale = self.usual.max(m.floor).powi(2);
        let total = p11 + (m.spread * m.spread + extra) * scale;
        let innovation = x - self.level;
        self.ll -= 0.5 * innovation * innovation / total;
        self.det *= total;
        if !(1e-100..=1e100).contains(&self.det) {
            self.ll -= 0.5 * self.det.ln();
            self.det = 1.0;
        }
        let (g1, g2) = (p11 / total, p12 / total);
        self.level = (self.level + g1 * innovation).max(m.floor);
        self.usual = (self.usual + g2 * innovation).max(m.floor);
        self.cov = [p11 - g1 * p11, p12 - g1 * p12, p22 - g2 * p12];
    }

    fn log_likelihood(&self) -> f64 {
        self.ll - 0.5 * self.det.ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Priors = Priors::FITTED;

    fn weeks(minutes: &[u32]) -> Vec<Minutes> {
        minutes.iter().copied().map(Minutes::new).collect()
    }

    fn drift(p: &Pace) -> f64 {
        p.components.iter().map(|c| c.weight * c.wander_var).sum()
    }

    #[test]
    fn nothing_logged_is_no_pace() {
        assert!(pace(&[], Minutes::ZERO, 3, &P).is_none());
        assert!(pace(&weeks(&[0, 0]), Minutes::ZERO, 7, &P).is_none());
    }

    #[test]
    fn a_steady_record_gives_its_level_and_little_drift() {
        let steady = pace(&weeks(&[300; 20]), Minutes::new(300), 7, &P).unwrap_or_else(|| panic!());
        // The fading models, still possible after a steady record, pull the level down a little.
        assert!((steady.level() - 300.0).abs() < 10.0, "{}", steady.level());
        let wandering = pace(
            &weeks(&[100, 150, 200, 300, 500, 400, 250, 150, 100, 60, 100, 200]),
            Minutes::new(100),
            3,
            &P,
        )
        .unwrap_or_else(|| panic!());
        assert!(drift(&steady) < drift(&wandering));
    }

    #[test]
    fn the_current_week_counts() {
        let without = pace(&weeks(&[300; 6]), Minutes::ZERO, 1, &P).unwrap_or_else(|| panic!());
        let with = pace(&weeks(&[300; 6]), Minutes::new(600), 4, &P).unwrap_or_else(|| panic!());
        assert!(with.level() > without.level());
        // A learner who has only just begun already has a pace: what the current week says,
        // pulled a little towards the population's usual level.
        let only = pace(&[], Minutes::new(120), 2, &P).unwrap_or_else(|| panic!());
        let quick = pace(&[], Minutes::new(240), 2, &P).unwrap_or_else(|| panic!());
        assert!(
            (P.usual_median..420.0).contains(&only.level()),
            "{}",
            only.level()
        );
        assert!(quick.level() > only.level());
    }
}
