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
//! the sum of the weeks ahead spreads (see [`Component::ahead`]).

use crate::curriculum::Minutes;

/// At most this many complete weeks are read (the newest).
pub(super) const MAX_HISTORY: usize = 104;

/// Drifts of the level per week, relative, with their prior weights.
const DRIFTS: [(f64, f64); 6] = [
    (0.0, 0.35),
    (0.03, 0.25),
    (0.06, 0.2),
    (0.1, 0.12),
    (0.15, 0.06),
    (0.22, 0.02),
];
/// Spreads of single weeks around the level, relative, with their prior weights.
const SPREADS: [(f64, f64); 5] = [(0.2, 0.3), (0.35, 0.35), (0.55, 0.2), (0.8, 0.1), (1.1, 0.05)];
/// Fading: the share of the level lost each week, with prior weights. Learners who fade out
/// are common, and a fading pace may never finish.
const FADES: [(f64, f64); 4] = [(0.0, 0.9), (0.02, 0.033), (0.05, 0.033), (0.1, 0.034)];
/// Old weeks' evidence about which model holds is discounted by this factor a week (dynamic
/// model averaging): a learner who was steady for a year and began to fade last month is
/// judged mostly on the last months.
const FORGET: f64 = 0.98;
/// Components whose weight falls below this are dropped (and the rest renormalised).
const MIN_WEIGHT: f64 = 1e-4;
/// The extra relative variance of a week known from one day only (it shrinks as
/// `(7 − d) / d` with the days `d` seen): which weekdays a learner studies is unknown.
pub(super) const PARTIAL_WEEK_VAR: f64 = 0.15;

/// One `(q, s, ρ)` triple of the grid, after the history.
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

impl Component {
    /// The minutes logged in the next `weeks` calendar weeks, which hold `available` normal
    /// weeks (each faded by `e^{−λt}`), as a log-normal: `(ln median, variance of ln)`.
    ///
    /// Three independent mean-one factors multiply `level × available`:
    /// - the level's uncertainty now (the filter's variance);
    /// - the drift: the level's logarithm walks with variance `q²` a week, so the logarithm of
    ///   its average over a horizon `H` has variance `q² H / 3` and, by Jensen, a median
    ///   `q² H / 12` above the level's (a faded level's far weeks count less: `H` is faded);
    /// - the weeks' own noise ([`Component::noise_var`]).
    ///
    /// The level and the noise are mean-matched (their medians sit below their means).
    pub fn ahead(&self, weeks: f64, available: f64) -> (f64, f64) {
        let horizon = if self.fade > 0.0 {
            -(-self.fade * weeks).exp_m1() / self.fade
        } else {
            weeks
        };
        let drift = self.drift_var * horizon;
        let level = self.level_var.ln_1p();
        let noise = self.noise_var(available).ln_1p();
        let median = (self.level * available).ln() + drift / 12.0 - (level + noise) / 2.0;
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
    let mut components = Vec::with_capacity(DRIFTS.len() * SPREADS.len() * FADES.len());
    for &(drift, drift_prior) in &DRIFTS {
        for &(fade, fade_prior) in &FADES {
            for &(spread, spread_prior) in &SPREADS {
                let model = Model {
                    drift,
                    spread,
                    keep: 1.0 - fade,
                };
                let (mut c, ll) = filter(&observations, start, model);
                c.weight = (drift_prior * fade_prior * spread_prior).ln() + ll;
                components.push(c);
            }
        }
    }
    let best = components
        .iter()
        .map(|c| c.weight)
        .fold(f64::NEG_INFINITY, f64::max);
    for c in &mut components {
        c.weight = (c.weight - best).exp();
    }
    normalise(&mut components)?;
    let mut components = collapse_spreads(&components);
    components.retain(|c| c.weight >= MIN_WEIGHT);
    normalise(&mut components)?;
    Some(Pace {
        components,
        weeks: u32::try_from(history.len()).unwrap_or(u32::MAX),
    })
}

/// Merges the components that differ only in their spread `s` into one (moments matched):
/// the spread matters only for the noise of the weeks ahead, which the mixture of drifts and
/// fades does not need spelled out, and five times fewer components keep a call fast.
fn collapse_spreads(components: &[Component]) -> Vec<Component> {
    components
        .chunks(SPREADS.len())
        .filter_map(|group| {
            let weight: f64 = group.iter().map(|c| c.weight).sum();
            if weight <= 0.0 {
                return None;
            }
            let mean = |f: &dyn Fn(&Component) -> f64| {
                group.iter().map(|c| c.weight * f(c)).sum::<f64>() / weight
            };
            let level = mean(&|c| c.level);
            // The spread of the levels between spreads adds to the level's variance.
            let level_var = mean(&|c| (c.level_var + 1.0) * (c.level / level).powi(2)) - 1.0;
            Some(Component {
                weight,
                level,
                level_var: level_var.max(0.0),
                drift_var: group[0].drift_var,
                spread_var: mean(&|c| c.spread_var),
                fade: group[0].fade,
            })
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

/// One point of the grid.
#[derive(Debug, Clone, Copy)]
struct Model {
    drift: f64,
    spread: f64,
    /// `1 − ρ`: the share of the level kept from one week to the next.
    keep: f64,
}

/// Runs the filter for one model from a level of `start` (relative spread 1); returns the
/// component (its weight not set) and the discounted log-likelihood of the observations.
fn filter(observations: &[Observation], start: f64, m: Model) -> (Component, f64) {
    let floor = start * 1e-6;
    let mut level = start;
    let mut var = start * start;
    let mut ll = 0.0;
    for (i, &(x, extra)) in observations.iter().enumerate() {
        if i > 0 {
            level *= m.keep;
            var *= m.keep * m.keep;
        }
        let scale = level.max(floor).powi(2);
        var += m.drift * m.drift * scale;
        let noise = (m.spread * m.spread + extra) * scale;
        let total = var + noise;
        let innovation = x - level;
        ll = FORGET * ll - 0.5 * (total.ln() + innovation * innovation / total);
        let gain = var / total;
        level += gain * innovation;
        var *= 1.0 - gain;
    }
    let level = level.max(floor);
    (
        Component {
            weight: 0.0,
            level,
            level_var: var / (level * level),
            drift_var: m.drift * m.drift,
            spread_var: m.spread * m.spread,
            fade: -m.keep.ln(),
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
