//! The synthetic learners: random numbers, the pace models, and what the product would know.

use autodidact_core::curriculum::{ItemKind, Minutes};
use autodidact_core::insight::calibration::FinishedItem;
use autodidact_core::insight::forecast::OpenItem;

/// Weeks simulated.
pub const CAP_WEEKS: usize = 520;
/// Declared breaks are known this many weeks ahead.
const DECLARED_AHEAD: usize = 12;

// ---------------------------------------------------------------------------------------------
// Random numbers

/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64.
pub struct Rng([u64; 4]);

impl Rng {
    pub fn seeded(seed: u64) -> Self {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng([next(), next(), next(), next()])
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.uniform()
    }

    pub fn below(&mut self, n: usize) -> usize {
        ((self.uniform() * n as f64) as usize).min(n.saturating_sub(1))
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u = 1.0 - self.uniform();
        let v = self.uniform();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// Gamma with mean 1 and coefficient of variation `cv` ≤ 1 (Marsaglia and Tsang).
    pub fn gamma_mean_one(&mut self, cv: f64) -> f64 {
        let shape = 1.0 / (cv * cv).clamp(1e-6, 1.0);
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v <= 0.0 {
                continue;
            }
            let u = 1.0 - self.uniform();
            if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v / shape;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Learners

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    Steady,
    Drift,
    ZeroWeeks,
    FadeOut,
    ItemError,
    Mixed,
}

impl Model {
    pub const ALL: [Model; 6] = [
        Model::Steady,
        Model::Drift,
        Model::ZeroWeeks,
        Model::FadeOut,
        Model::ItemError,
        Model::Mixed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Model::Steady => "steady",
            Model::Drift => "drift",
            Model::ZeroWeeks => "zero-weeks",
            Model::FadeOut => "fade-out",
            Model::ItemError => "item-error",
            Model::Mixed => "mixed",
        }
    }
}

/// One simulated learner: what really happens.
pub struct Learner {
    pub model: Model,
    /// (estimate, real minutes), in the order worked.
    pub items: Vec<(u32, f64)>,
    /// Minutes worked through the end of each day (cumulative).
    pub cumulative: Vec<f64>,
    /// The share of each week that is not a declared break.
    declared: Vec<f64>,
    /// The day the last item was done (days from the start), if within the cap.
    pub finish: Option<usize>,
}

pub fn learner(seed: u64, index: u64) -> Learner {
    let mut rng = Rng::seeded(seed ^ index.wrapping_mul(0xA24B_AED4_963E_E407));
    let model = Model::ALL[rng.below(Model::ALL.len())];
    let item_sd = match model {
        Model::ItemError => rng.between(0.4, 0.9),
        Model::Mixed => 0.35,
        _ => 0.25,
    };
    let factor = (f64::ln(1.1) + 0.3 * rng.normal()).exp();
    let count = 5 + rng.below(36);
    let items: Vec<(u32, f64)> = (0..count)
        .map(|_| {
            let estimate = (300.0 * (0.9 * rng.normal()).exp()).clamp(30.0, 6000.0);
            let estimate = ((estimate / 15.0).round() * 15.0).max(15.0);
            // The item's own error has mean 1: it scatters, the learner's factor biases.
            let real = estimate * factor * (item_sd * rng.normal() - item_sd * item_sd / 2.0).exp();
            (estimate as u32, real)
        })
        .collect();
    let weekly = weekly_minutes(model, &mut rng);
    let declared = weekly.1;
    let days = day_weights(&mut rng);
    let total: f64 = items.iter().map(|(_, real)| real).sum();
    let mut cumulative = Vec::with_capacity(CAP_WEEKS * 7);
    let mut sum = 0.0;
    let mut finish = None;
    for (week, minutes) in weekly.0.iter().enumerate() {
        for (day, weight) in days.iter().enumerate() {
            sum += minutes * weight;
            cumulative.push(sum);
            if finish.is_none() && sum >= total {
                finish = Some(week * 7 + day);
            }
        }
    }
    Learner {
        model,
        items,
        cumulative,
        declared,
        finish,
    }
}

/// Which weekdays the learner studies, and how much of the week falls on each.
fn day_weights(rng: &mut Rng) -> [f64; 7] {
    let study_days = 3 + rng.below(5);
    let mut order = [0usize, 1, 2, 3, 4, 5, 6];
    for i in (1..7).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut weights = [0.0; 7];
    for &day in &order[..study_days] {
        weights[day] = rng.between(0.5, 1.5);
    }
    let total: f64 = weights.iter().sum();
    weights.map(|w| w / total)
}

/// No level above 40 hours a week.
const MAX_LEVEL: f64 = 2400.0;

/// How a learner's level wanders from week to week.
#[derive(Debug, Clone, Copy)]
enum Wander {
    /// It does not.
    None,
    /// A random walk in logs with steps of `q` a week, reflected to stay within ×6 of the base.
    Walk(f64),
    /// An Ornstein–Uhlenbeck process in logs around the base: each week the deviation keeps
    /// `keep` of itself (`0.5^(1 / half-life)`) plus a fresh step, so that its spread stays `sd`.
    Revert { keep: f64, sd: f64 },
}

/// The minutes of each week, and the declared share of each week.
fn weekly_minutes(model: Model, rng: &mut Rng) -> (Vec<f64>, Vec<f64>) {
    let base = (rng.between(f64::ln(120.0), f64::ln(900.0))).exp();
    let cv = rng.between(0.15, 0.5);
    let wander = match model {
        Model::Drift => {
            let half_life = rng.between(f64::ln(4.0), f64::ln(26.0)).exp();
            Wander::Revert {
                keep: 0.5f64.powf(half_life.recip()),
                sd: rng.between(0.2, 0.5),
            }
        }
        Model::Mixed => Wander::Walk(rng.between(0.02, 0.08)),
        _ => Wander::None,
    };
    let illness = match model {
        Model::ZeroWeeks => rng.between(0.03, 0.12),
        Model::Mixed => rng.between(0.0, 0.06),
        _ => 0.0,
    };
    let holidays = matches!(model, Model::ZeroWeeks | Model::Mixed);
    let fade = (model == Model::FadeOut).then(|| (rng.between(0.0, 30.0), rng.between(8.0, 52.0)));
    let mut declared = vec![1.0; CAP_WEEKS];
    if holidays {
        for year in 0..CAP_WEEKS / 52 {
            for _ in 0..2 {
                let first = year * 52 + rng.below(52);
                let length = 1 + rng.below(2);
                let share = if rng.chance(0.5) {
                    0.0
                } else {
                    1.0 - rng.between(0.4, 0.7)
                };
                for slot in declared.iter_mut().skip(first).take(length) {
                    *slot = share;
                }
            }
        }
    }
    let mut ln_level = base.ln();
    let (low, high) = (base.ln() - 6f64.ln(), (base * 6.0).min(MAX_LEVEL).ln());
    // A reverting learner starts anywhere in their usual range (the process is stationary).
    let mut deviation = match wander {
        Wander::Revert { sd, .. } => sd * rng.normal(),
        _ => 0.0,
    };
    let mut ill_for = 0usize;
    let mut stopped = false;
    let mut weeks = Vec::with_capacity(CAP_WEEKS);
    for (week, &available) in declared.iter().enumerate() {
        match wander {
            Wander::Walk(q) if week > 0 => {
                ln_level += q * rng.normal();
                if ln_level > high {
                    ln_level = 2.0 * high - ln_level;
                }
                if ln_level < low {
                    ln_level = 2.0 * low - ln_level;
                }
            }
            Wander::Revert { keep, sd } if week > 0 => {
                deviation = keep * deviation + sd * (1.0 - keep * keep).sqrt() * rng.normal();
            }
            _ => {}
        }
        let mut level = (ln_level + deviation).exp().min(MAX_LEVEL);
        if let Some((from, half_life)) = fade {
            let t = week as f64 - from;
            if t > 0.0 {
                level *= 0.5f64.powf(t / half_life);
            }
            stopped |= level < 20.0;
        }
        if ill_for == 0 && rng.chance(illness) {
            ill_for = 1 + rng.below(4);
        }
        let noise = rng.gamma_mean_one(cv);
        let minutes = if stopped || ill_for > 0 {
            0.0
        } else {
            level * noise * available
        };
        ill_for = ill_for.saturating_sub(1);
        weeks.push(minutes);
    }
    (weeks, declared)
}

// ---------------------------------------------------------------------------------------------
// What the product knows, and what the forecasts say

pub struct Known {
    pub weeks: Vec<Minutes>,
    pub this_week: Minutes,
    pub days_into_week: u8,
    pub open: Vec<OpenItem>,
    pub finished: Vec<FinishedItem>,
    pub availability: Vec<f64>,
}

fn minutes(m: f64) -> Minutes {
    Minutes::new(m.round().clamp(0.0, f64::from(u32::MAX)) as u32)
}

pub fn known(l: &Learner, day: usize) -> Known {
    let week = day / 7;
    let cum = |d: Option<usize>| d.map_or(0.0, |d| l.cumulative[d]);
    let week_end = |w: usize| cum((w * 7 + 7).checked_sub(1));
    let weeks = (0..week)
        .map(|w| minutes(week_end(w) - cum((w * 7).checked_sub(1))))
        .collect();
    let this_week = minutes(l.cumulative[day] - cum((week * 7).checked_sub(1)));
    let worked = l.cumulative[day];
    let mut open = Vec::new();
    let mut finished = Vec::new();
    let mut before = 0.0;
    for &(estimate, real) in &l.items {
        let spent = (worked - before).clamp(0.0, real);
        if spent >= real {
            finished.push(FinishedItem {
                kind: ItemKind::Book,
                estimate: Minutes::new(estimate),
                logged: minutes(real).max(Minutes::new(1)),
            });
        } else {
            open.push(OpenItem {
                estimate: Minutes::new(estimate),
                logged: minutes(spent),
            });
        }
        before += real;
    }
    // Declared breaks: the rest of this week, then the weeks after, as far as declared.
    let availability = (week..(week + DECLARED_AHEAD).min(CAP_WEEKS))
        .map(|w| l.declared[w])
        .collect();
    Known {
        weeks,
        this_week,
        days_into_week: (day % 7 + 1) as u8,
        open,
        finished,
        availability,
    }
}
