//! The pace: how many minutes a week the learner will log, and how sure that is.
//!
//! The weekly minutes are a level plus noise around it:
//! - `x_t = L_t + e_t`, `Var(e_t) = s² L_t²` (the weeks' spread, zero weeks included);
//! - `L_t = L_{t−1} + w_t`, `Var(w_t) = q² L_{t−1}²` (the level drifts by about `q` a week);
//! - and the learner may be fading out: since a change point `K` weeks ago, the level loses a
//!   share `ρ` every week on top (`L_t = (1 − ρ) L_{t−1} + w_t`).
//!
//! Neither `q`, `s`, nor whether and how fast the learner fades is known. Every point of a
//! small grid is run through a Kalman filter over the history (the current, partial week last,
//! scaled to a week with a wider noise) and weighted by its prior times its likelihood: a
//! steady record makes the small drifts likely, a wandering one the large ones, a falling one
//! the fades, and a short record leaves the prior in charge. The points are then merged by
//! drift and fade (moments matched), and each says where the level is now (with the filter's
//! variance) and how the sum of the weeks ahead spreads ([`Component::ahead`]).
//!
//! The priors below are population assumptions (how many learners drift, how far; how noisy
//! their weeks are; how often they begin to fade), chosen on the calibration benchmark. With
//! a short record they decide the width of the range, so they should be re-fitted from real
//! learners' records.

use crate::curriculum::Minutes;

/// At most this many complete weeks are read (the newest).
pub(super) const MAX_HISTORY: usize = 104;

/// Drifts `q` of the level per week, relative, with their prior weights.
const DRIFTS: [(f64, f64); 6] = [
    (0.0, 0.45),
    (0.03, 0.26),
    (0.06, 0.17),
    (0.1, 0.08),
    (0.15, 0.03),
    (0.22, 0.01),
];
/// Spreads `s` of single weeks around the level, relative, with their prior weights.
const SPREADS: [(f64, f64); 5] = [
    (0.2, 0.3),
    (0.35, 0.35),
    (0.55, 0.2),
    (0.8, 0.1),
    (1.1, 0.05),
];
/// The prior probability that a learner fades out from the start of their record.
const FADE_FROM_START: f64 = 0.08;
/// The prior probability, each week, that a learner begins to fade out.
const FADE_HAZARD: f64 = 0.008;
/// Fading rates `ρ` (share of the level lost a week), equally likely when fading.
const FADES: [f64; 3] = [0.02, 0.05, 0.1];
/// How many weeks ago a fade may have begun (counting the current week), each standing for the
/// number of weeks after it: 4 for weeks 1–6 ago, 8 for 7–12, 16 for 13–24, 32 for 25–48.
const FADE_STARTS: [(usize, f64); 4] = [(4, 6.0), (8, 6.0), (16, 12.0), (32, 24.0)];
/// Components whose weight falls below this are dropped (and the rest renormalised).
const MIN_WEIGHT: f64 = 1e-4;
/// The extra relative variance of a week known from one day only (it shrinks as
/// `(7 − d) / d` with the days `d` seen): which weekdays a learner studies is unknown. A
/// learner studying on `k` of the 7 days, at random, gives about `1 / k`; 0.15 is a learner
/// who studies on most days.
pub(super) const PARTIAL_WEEK_VAR: f64 = 0.15;

/// One `(q, ρ)` pair of the grid, after the history.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Component {
    /// Posterior weight; the weights sum to 1.
    pub weight: f64,
    /// The level now, minutes a week.
    pub level: f64,
    /// The filter's variance of the level, relative to the level squared.
    pub level_var: f64,
    /// `q²`.
    pub drift_var: f64,
    /// `s²`.
    pub spread_var: f64,
    /// The fading rate `λ = −ln(1 − ρ)`, per week: the level ahead is `level · e^{−λt}`.
    pub fade: f64,
}

/// A horizon as a component with a given fade sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Weeks {
    /// Normal weeks available, each faded by `e^{−λt}`.
    pub available: f64,
    /// `ln available`.
    pub ln_available: f64,
    /// The calendar weeks, faded: `∫ e^{−λt} dt` over the horizon.
    pub horizon: f64,
}

impl Component {
    /// The minutes logged over a horizon (`weeks`, as this component's fade sees it) as a
    /// log-normal: `(ln median, variance of ln)`.
    ///
    /// Three independent mean-one factors multiply `level × available`:
    /// - the level's uncertainty now (the filter's variance);
    /// - the drift: the level's logarithm walks with variance `q²` a week, so the logarithm of
    ///   its average over a horizon `H` has variance `q² H / 3` and, by Jensen, a median
    ///   `q² H / 12` above the level's (a faded level's far weeks count less: `H` is faded);
    /// - the weeks' own noise ([`Component::noise_var`]).
    ///
    /// The level and the noise are mean-matched (their medians sit below their means).
    pub fn ahead(&self, weeks: &Weeks) -> (f64, f64) {
        let drift = self.drift_var * weeks.horizon;
        let level = self.level_var.ln_1p();
        let noise = self.noise_var(weeks.available).ln_1p();
        let median = self.level.ln() + weeks.ln_available + drift / 12.0 - (level + noise) / 2.0;
        (median, level + drift / 3.0 + noise)
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

pub(super) fn pace(weeks: &[Minutes], this_week: Minutes, days_into_week: u8) -> Option<Pace> {
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
    for (d, &(drift, drift_prior)) in DRIFTS.iter().enumerate() {
        for &(spread, spread_prior) in &SPREADS {
            let prior = (drift_prior * spread_prior).ln();
            let model = Model {
                drift,
                spread,
                floor: start * 1e-6,
            };
            grid_point(&observations, start, model, prior, d, &mut points);
        }
    }
    let best = points
        .iter()
        .map(|p| p.log_weight)
        .fold(f64::NEG_INFINITY, f64::max);
    let mut components = merge(&points, best);
    normalise(&mut components)?;
    components.retain(|c| c.weight >= MIN_WEIGHT);
    normalise(&mut components)?;
    Some(Pace {
        components,
        weeks: u32::try_from(history.len()).unwrap_or(u32::MAX),
    })
}

/// One filtered point of the grid.
#[derive(Debug, Clone, Copy)]
struct Point {
    /// Which merged component it belongs to: the drift's index times `FADES.len() + 1`, plus
    /// 0 without a fade or the fade's index plus one.
    group: usize,
    log_weight: f64,
    state: State,
    spread: f64,
}

/// Filters one `(q, s)` pair without a fade and with every fade and change point, pushing the
/// points with their log weights (prior plus log-likelihood).
fn grid_point(
    observations: &[Observation],
    start: f64,
    model: Model,
    prior: f64,
    drift_index: usize,
    points: &mut Vec<Point>,
) {
    let groups = FADES.len() + 1;
    let n = observations.len();
    let hazard = FADE_HAZARD;
    let from_start = FADE_FROM_START;
    // Where a fade may have begun (an observation index; 0 is the record's start), with its
    // prior: a constant hazard a week for the weeks each change point stands for.
    let mut starts: Vec<(usize, f64)> = vec![(0, from_start)];
    starts.extend(
        FADE_STARTS
            .iter()
            .filter(|(weeks, _)| *weeks < n)
            .map(|&(weeks, span)| (n - weeks, hazard * span)),
    );
    let fading: f64 = starts.iter().map(|(_, p)| p).sum();
    let mut state = State::new(start);
    let mut before = vec![state; starts.len()];
    for (i, &observation) in observations.iter().enumerate() {
        for (k, &(from, _)) in starts.iter().enumerate() {
            if from == i {
                before[k] = state;
            }
        }
        state.step(observation, &model, 1.0, i > 0);
    }
    points.push(Point {
        group: drift_index * groups,
        log_weight: prior + (1.0 - fading).max(1e-9).ln() + state.log_likelihood(),
        state,
        spread: model.spread,
    });
    let per_fade = (FADES.len() as f64).recip();
    for (f, &fade) in FADES.iter().enumerate() {
        for (k, &(from, start_prior)) in starts.iter().enumerate() {
            let mut faded = before[k];
            for (i, &observation) in observations.iter().enumerate().skip(from) {
                faded.step(observation, &model, 1.0 - fade, i > 0);
            }
            points.push(Point {
                group: drift_index * groups + f + 1,
                log_weight: prior + (start_prior * per_fade).ln() + faded.log_likelihood(),
                state: faded,
                spread: model.spread,
            });
        }
    }
}

/// Merges the points of each (drift, fade) group into one component, moments matched: the
/// spread and the change point matter only through the level now and the noise ahead.
fn merge(points: &[Point], best: f64) -> Vec<Component> {
    let groups = FADES.len() + 1;
    let mut sums = vec![[0.0f64; 4]; DRIFTS.len() * groups];
    for p in points {
        let w = (p.log_weight - best).exp();
        let level = p.state.level;
        let s = &mut sums[p.group];
        s[0] += w;
        s[1] += w * level;
        s[2] += w * (level * level + p.state.var);
        s[3] += w * p.spread * p.spread;
    }
    sums.iter()
        .enumerate()
        .filter(|(_, s)| s[0] > 0.0 && s[1] > 0.0)
        .map(|(g, s)| {
            let level = s[1] / s[0];
            let fade = match g % groups {
                0 => 0.0,
                f => -(1.0 - FADES[f - 1]).ln(),
            };
            Component {
                weight: s[0],
                level,
                level_var: (s[2] / s[0] / (level * level) - 1.0).max(0.0),
                drift_var: DRIFTS[g / groups].0.powi(2),
                spread_var: s[3] / s[0],
                fade,
            }
        })
        .collect()
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

/// One `(q, s)` pair of the grid.
#[derive(Debug, Clone, Copy)]
struct Model {
    drift: f64,
    spread: f64,
    /// The level's variances are scaled by at least this level (no zero variance).
    floor: f64,
}

/// A filter's state: the level, its variance, and the log-likelihood so far.
#[derive(Debug, Clone, Copy)]
struct State {
    level: f64,
    var: f64,
    /// The log-likelihood is `ll − ln(det) / 2`: the product of the predictive variances is
    /// kept apart and its logarithm taken once in a while (a logarithm a week is most of a
    /// filter's cost).
    ll: f64,
    det: f64,
}

impl State {
    fn new(level: f64) -> Self {
        State {
            level,
            var: level * level,
            ll: 0.0,
            det: 1.0,
        }
    }

    /// One week: the level keeps `keep` of itself and drifts (not before the first week), then
    /// the week's observation updates it.
    fn step(&mut self, (x, extra): Observation, m: &Model, keep: f64, drifts: bool) {
        if drifts {
            self.level *= keep;
            self.var *= keep * keep;
            self.var += m.drift * m.drift * self.level.max(m.floor).powi(2);
        }
        let scale = self.level.max(m.floor).powi(2);
        let total = self.var + (m.spread * m.spread + extra) * scale;
        let innovation = x - self.level;
        self.ll -= 0.5 * innovation * innovation / total;
        self.det *= total;
        if !(1e-100..=1e100).contains(&self.det) {
            self.ll -= 0.5 * self.det.ln();
            self.det = 1.0;
        }
        let gain = self.var / total;
        self.level = (self.level + gain * innovation).max(m.floor);
        self.var *= 1.0 - gain;
    }

    fn log_likelihood(&self) -> f64 {
        self.ll - 0.5 * self.det.ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weeks(minutes: &[u32]) -> Vec<Minutes> {
        minutes.iter().copied().map(Minutes::new).collect()
    }

    fn drift(p: &Pace) -> f64 {
        p.components.iter().map(|c| c.weight * c.drift_var).sum()
    }

    #[test]
    fn nothing_logged_is_no_pace() {
        assert!(pace(&[], Minutes::ZERO, 3).is_none());
        assert!(pace(&weeks(&[0, 0]), Minutes::ZERO, 7).is_none());
    }

    #[test]
    fn a_steady_record_gives_its_level_and_little_drift() {
        let steady = pace(&weeks(&[300; 20]), Minutes::new(300), 7).unwrap_or_else(|| panic!());
        // The fading models, still possible after a steady record, pull the level down a little.
        assert!((steady.level() - 300.0).abs() < 10.0, "{}", steady.level());
        let wandering = pace(
            &weeks(&[100, 150, 200, 300, 500, 400, 250, 150, 100, 60, 100, 200]),
            Minutes::new(100),
            3,
        )
        .unwrap_or_else(|| panic!());
        assert!(drift(&steady) < drift(&wandering));
    }

    #[test]
    fn the_current_week_counts() {
        let without = pace(&weeks(&[300; 6]), Minutes::ZERO, 1).unwrap_or_else(|| panic!());
        let with = pace(&weeks(&[300; 6]), Minutes::new(600), 4).unwrap_or_else(|| panic!());
        assert!(with.level() > without.level());
        let only = pace(&[], Minutes::new(120), 2).unwrap_or_else(|| panic!());
        assert!((only.level() - 420.0).abs() < 1.0);
    }
}
