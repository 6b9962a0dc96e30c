//! The pace: how many minutes a week the learner will log, and how sure that is.
//!
//! The weekly minutes are a level that wanders plus noise around it:
//! - `x_t = L_t + e_t`, `Var(e_t) = s² L_t²` (the weeks' spread, zero weeks included);
//! - `L_t = L_{t−1} + w_t`, `Var(w_t) = q² L_{t−1}²` (the level drifts by about `q` a week).
//!
//! Neither `q` nor `s` is known. Every pair of a small grid is run through a Kalman filter
//! over the history (the current, partial week last, scaled to a week with a wider noise),
//! and weighted by its prior times its likelihood: a steady record makes the small drifts
//! likely, a wandering one the large ones, and a short record leaves the prior in charge.
//! Each pair then says where the level is now (`level`, with the filter's variance) and how
//! the sum of the weeks ahead spreads (see [`Component::rel_var`]).

use crate::curriculum::Minutes;

/// At most this many complete weeks are read (the newest).
pub(super) const MAX_HISTORY: usize = 104;

/// Drifts of the level per week, relative, with their prior weights.
const DRIFTS: [(f64, f64); 6] = [
    (0.0, 0.15),
    (0.03, 0.2),
    (0.06, 0.2),
    (0.1, 0.2),
    (0.15, 0.15),
    (0.22, 0.1),
];
/// Spreads of single weeks around the level, relative (equal prior weights).
const SPREADS: [f64; 5] = [0.2, 0.35, 0.55, 0.8, 1.1];
/// The extra relative variance of a week known from one day only (it shrinks as
/// `(7 − d) / d` with the days `d` seen): which weekdays a learner studies is unknown.
const PARTIAL_WEEK_VAR: f64 = 1.0;

/// One `(q, s)` pair of the grid, after the history.
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
}

impl Component {
    /// The variance, relative to its mean squared, of the minutes logged in the next `weeks`
    /// calendar weeks which hold `available` normal weeks: the level's uncertainty now, its
    /// drift (the sum of a random walk grows as `weeks³ / 3`), and the weeks' own noise (which
    /// averages out as `1 / available`).
    pub fn rel_var(&self, weeks: f64, available: f64) -> f64 {
        self.level_var + self.drift_var * weeks / 3.0 + self.spread_var / available
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
    let mut observations: Vec<Observation> = history
        .iter()
        .map(|m| (f64::from(m.get()), 0.0))
        .collect();
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
    let mut components = Vec::with_capacity(DRIFTS.len() * SPREADS.len());
    for &(drift, prior) in &DRIFTS {
        for &spread in &SPREADS {
            components.push(filter(&observations, start, drift, spread, prior));
        }
    }
    let best = components
        .iter()
        .map(|(_, ll)| *ll)
        .fold(f64::NEG_INFINITY, f64::max);
    let mut total = 0.0;
    let mut out: Vec<Component> = components
        .into_iter()
        .map(|(mut c, ll)| {
            c.weight *= (ll - best).exp();
            total += c.weight;
            c
        })
        .collect();
    if !(total.is_finite() && total > 0.0) {
        return None;
    }
    for c in &mut out {
        c.weight /= total;
    }
    Some(Pace {
        components: out,
        weeks: u32::try_from(history.len()).unwrap_or(u32::MAX),
    })
}

/// Runs the filter for one `(q, s)` pair from a level of `start` (relative spread 1); returns
/// the component (its weight still the prior) and the log-likelihood of the observations.
fn filter(
    observations: &[Observation],
    start: f64,
    drift: f64,
    spread: f64,
    prior: f64,
) -> (Component, f64) {
    let floor = start * 1e-6;
    let mut level = start;
    let mut var = start * start;
    let mut ll = 0.0;
    for &(x, extra) in observations {
        let scale = level.max(floor).powi(2);
        var += drift * drift * scale;
        let noise = (spread * spread + extra) * scale;
        let total = var + noise;
        let innovation = x - level;
        ll -= 0.5 * (total.ln() + innovation * innovation / total);
        let gain = var / total;
        level += gain * innovation;
        var *= 1.0 - gain;
    }
    let level = level.max(floor);
    (
        Component {
            weight: prior,
            level,
            level_var: var / (level * level),
            drift_var: drift * drift,
            spread_var: spread * spread,
        },
        ll,
    )
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
        assert!((steady.level() - 300.0).abs() < 1.0);
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
