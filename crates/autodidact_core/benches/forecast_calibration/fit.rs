//! `--fit`: fits the forecast's population assumptions ([`Priors`]) to the cells of the table,
//! on the learners of the seed given (a training seed: never the default one, whose tables are
//! reported).
//!
//! The assumptions the records measure directly are measured on the training learners, as the
//! product could measure them on real ones: the median and log-spread of the learners' usual
//! weekly minutes (their mean week over the first half-year) and of their factors (real time
//! over the estimate, over all their items). The others (how many learners wander and how, how
//! noisy weeks are, how often learners fade, how items scatter) are searched:
//! the forecasts' inputs are drawn once; each trial of the priors asks `forecast_range_with`
//! again for every forecast point and scores the model × horizon cells with `n ≥ 200`: ten
//! times the sum of the squared distances of the cells' coverages beyond 76.5–83.5 %, plus the
//! largest distance of a cell's coverage from 80 %, plus a quarter of the mean squared
//! distance, plus a small reward for narrow ranges (twice the mean over the cells of the log of
//! the median width relative to the time left). A coordinate search moves one assumption at a time by a factor
//! (up and down), keeps what lowers the score, and halves the factor's logarithm when a round
//! finds nothing better and a few random joint moves of several assumptions do not either. It
//! prints the best priors as Rust, to be copied into
//! `Priors::FITTED`.
//!
//! `--fit-recalibration` fits `Priors::recalibration` alone: the model's probability of having
//! finished by each forecast's real day (and within its horizon) and the features of its record
//! are computed once, so a trial only compares levels with them (a 10,000-learner fit takes
//! about 35 s). Its objective is described at [`recalibration_score`].

use autodidact_core::insight::forecast::{
    ANCHORS, FEATURES, ForecastInput, Priors, Recalibration, forecast_probability_with,
    forecast_range_with,
};
use jiff::civil::Date;

use crate::sim::{CAP_WEEKS, Known, Model, Rng, known, learner};
use crate::{BUCKETS, HIGH, LOW, MIN_JUDGED, POINTS, START, bucket, span_days};

/// One forecast point: what the product knows, and what really happened.
struct Case {
    known: Known,
    today: Date,
    model: Model,
    day: usize,
    finish: Option<usize>,
}

/// What the training learners' records say of the population, measured as the product could
/// (each learner's mean week over their first half-year, or until they finished; each
/// learner's real time over the estimate, over all their items): the median and the standard
/// deviation of the logarithm of each.
struct Population {
    usual: (f64, f64),
    factor: (f64, f64),
}

fn median_and_log_sd(mut xs: Vec<f64>) -> (f64, f64) {
    xs.retain(|x| x.is_finite() && *x > 0.0);
    xs.sort_by(f64::total_cmp);
    let logs: Vec<f64> = xs.iter().map(|x| x.ln()).collect();
    let n = logs.len().max(1) as f64;
    let mean = logs.iter().sum::<f64>() / n;
    let var = logs.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (
        xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN),
        var.sqrt(),
    )
}

fn population(seed: u64, learners: u64) -> Population {
    let mut usual = Vec::new();
    let mut factor = Vec::new();
    for index in 0..learners {
        let l = learner(seed, index);
        let weeks = (l.finish.map_or(26 * 7, |f| f.min(26 * 7)) / 7).max(1);
        usual.push(l.cumulative[weeks * 7 - 1] / weeks as f64);
        let (estimate, real) = l.items.iter().fold((0.0, 0.0), |(e, r), &(est, re)| {
            (e + f64::from(est), r + re)
        });
        factor.push(real / estimate);
    }
    Population {
        usual: median_and_log_sd(usual),
        factor: median_and_log_sd(factor),
    }
}

fn cases(seed: u64, learners: u64) -> Vec<Case> {
    let mut out = Vec::new();
    for index in 0..learners {
        let l = learner(seed, index);
        let mut rng = Rng::seeded(seed.wrapping_add(index).rotate_left(17) ^ 0x5EED);
        for &week in &POINTS {
            let day = week * 7 + rng.below(7);
            if l.finish.is_some_and(|f| f <= day) {
                break;
            }
            let Ok(today) = START.checked_add(jiff::Span::new().days(day as i64)) else {
                continue;
            };
            out.push(Case {
                known: known(&l, day),
                today,
                model: l.model,
                day,
                finish: l.finish,
            });
        }
    }
    out
}

/// Cells further than this from 80 % (in points) are penalised most: a margin inside 75–85 %
/// for the sampling noise of other seeds.
const MARGIN: f64 = 3.5;

/// The score of `priors` (lower is better), the worst cell and its coverage, and the number
/// of cells outside 75–85 %.
fn score(cases: &[Case], priors: &Priors) -> (f64, String, usize) {
    let cells = Model::ALL.len() * BUCKETS.len();
    let mut covered = vec![(0usize, 0usize); cells];
    let mut widths: Vec<Vec<f64>> = vec![Vec::new(); cells];
    for c in cases {
        let k = &c.known;
        let input = ForecastInput {
            today: c.today,
            weeks: &k.weeks,
            this_week: k.this_week,
            days_into_week: k.days_into_week,
            open: &k.open,
            finished: &k.finished,
            availability: &k.availability,
        };
        let Some(range) = forecast_range_with(&input, priors) else {
            continue;
        };
        let day_of = |d: Date| span_days(START, d);
        let hit = match c.finish {
            Some(f) => day_of(range.early) <= f as i64 && f as i64 <= day_of(range.late),
            None => day_of(range.late) >= (CAP_WEEKS * 7) as i64,
        };
        let b = bucket(usize::try_from(span_days(c.today, range.likely)).unwrap_or(0));
        let m = Model::ALL.iter().position(|&m| m == c.model).unwrap_or(0);
        let cell = m * BUCKETS.len() + b;
        covered[cell].0 += usize::from(hit);
        covered[cell].1 += 1;
        if let Some(f) = c.finish {
            let left = (f - c.day) as f64;
            widths[cell].push(span_days(range.early, range.late) as f64 / left);
        }
    }
    let mut worst = (0.0f64, String::new());
    let (mut squares, mut beyond, mut log_width) = (0.0, 0.0, 0.0);
    let (mut judged, mut outside) = (0usize, 0usize);
    for (cell, &(hit, n)) in covered.iter().enumerate() {
        if n < MIN_JUDGED {
            continue;
        }
        let cover = hit as f64 / n as f64;
        let distance = (cover - 0.8).abs() * 100.0;
        if distance > worst.0 {
            let name = format!(
                "{} {} {:.1} %",
                Model::ALL[cell / BUCKETS.len()].name(),
                BUCKETS[cell % BUCKETS.len()],
                cover * 100.0
            );
            worst = (distance, name);
        }
        outside += usize::from(!(LOW..=HIGH).contains(&cover));
        squares += distance * distance;
        beyond += (distance - MARGIN).max(0.0).powi(2);
        let w = &mut widths[cell];
        if !w.is_empty() {
            w.sort_by(f64::total_cmp);
            log_width += w[w.len() / 2].ln();
        }
        judged += 1;
    }
    let judged = judged.max(1) as f64;
    let score = 10.0 * beyond + worst.0 + squares / judged / 4.0 + 2.0 * log_width / judged;
    (score, worst.1, outside)
}

/// The assumptions measured on the training learners rather than searched.
const MEASURED: [&str; 4] = ["usual.median", "usual.sd", "factor.median", "factor.sd"];

/// Joint moves tried when a round along single assumptions finds nothing better.
const JOINT_TRIES: usize = 12;

/// A fitted assumption: its name, and how to read and write it.
pub struct Knob {
    pub name: &'static str,
    get: fn(&Priors) -> f64,
    pub set: fn(&mut Priors, f64),
    /// The largest value it may take.
    max: f64,
}

pub fn knobs() -> Vec<Knob> {
    fn pair_weight(p: &Priors, i: usize) -> f64 {
        p.wanders[i].weight
    }
    vec![
        Knob {
            name: "steady",
            get: |p| p.wanders[0].weight,
            set: |p, v| p.wanders[0].weight = v,
            max: 10.0,
        },
        Knob {
            name: "w.short",
            get: |p| pair_weight(p, 1),
            set: |p, v| {
                let r = v / p.wanders[1].weight;
                p.wanders[1].weight = v;
                p.wanders[2].weight *= r;
            },
            max: 10.0,
        },
        Knob {
            name: "w.mid",
            get: |p| pair_weight(p, 3),
            set: |p, v| {
                let r = v / p.wanders[3].weight;
                p.wanders[3].weight = v;
                p.wanders[4].weight *= r;
            },
            max: 10.0,
        },
        Knob {
            name: "w.long",
            get: |p| pair_weight(p, 5),
            set: |p, v| {
                let r = v / p.wanders[5].weight;
                p.wanders[5].weight = v;
                p.wanders[6].weight *= r;
            },
            max: 10.0,
        },
        Knob {
            name: "w.wide",
            get: |p| p.wanders[2].weight / p.wanders[1].weight,
            set: |p, v| {
                for i in [2, 4, 6] {
                    p.wanders[i].weight = p.wanders[i - 1].weight * v;
                }
            },
            max: 10.0,
        },
        Knob {
            name: "h.short",
            get: |p| p.wanders[1].half_life,
            set: |p, v| {
                p.wanders[1].half_life = v;
                p.wanders[2].half_life = v;
            },
            max: 12.0,
        },
        Knob {
            name: "h.mid",
            get: |p| p.wanders[3].half_life,
            set: |p, v| {
                p.wanders[3].half_life = v;
                p.wanders[4].half_life = v;
            },
            max: 40.0,
        },
        Knob {
            name: "h.long",
            get: |p| p.wanders[5].half_life,
            set: |p, v| {
                p.wanders[5].half_life = v;
                p.wanders[6].half_life = v;
            },
            // A level that takes more than two years to come back has no usual level.
            max: 104.0,
        },
        Knob {
            name: "sd.narrow",
            get: |p| p.wanders[1].spread,
            set: |p, v| {
                for i in [1, 3, 5] {
                    p.wanders[i].spread = v;
                }
            },
            max: 0.5,
        },
        Knob {
            name: "sd.wide",
            get: |p| p.wanders[2].spread,
            set: |p, v| {
                for i in [2, 4, 6] {
                    p.wanders[i].spread = v;
                }
            },
            max: 1.0,
        },
        Knob {
            name: "usual.median",
            get: |p| p.usual_median,
            set: |p, v| p.usual_median = v,
            max: 2000.0,
        },
        Knob {
            name: "usual.sd",
            get: |p| p.usual_log_sd,
            set: |p, v| p.usual_log_sd = v,
            max: 3.0,
        },
        Knob {
            name: "noisy",
            get: |p| p.spreads[3].1,
            set: |p, v| {
                let r = v / p.spreads[3].1;
                p.spreads[3].1 = v;
                p.spreads[4].1 *= r;
            },
            max: 2.0,
        },
        Knob {
            name: "quiet",
            get: |p| p.spreads[0].1,
            set: |p, v| p.spreads[0].1 = v,
            max: 2.0,
        },
        Knob {
            name: "fade.start",
            get: |p| p.fade_from_start,
            set: |p, v| p.fade_from_start = v,
            max: 0.5,
        },
        Knob {
            name: "fade.hazard",
            get: |p| p.fade_hazard,
            set: |p, v| p.fade_hazard = v,
            max: 0.03,
        },
        Knob {
            name: "fade.decay",
            get: |p| p.fade_decay,
            set: |p, v| p.fade_decay = v,
            max: 500.0,
        },
        Knob {
            name: "onset.hazard",
            get: |p| p.onset_hazard,
            set: |p, v| p.onset_hazard = v,
            max: 0.03,
        },
        Knob {
            name: "onset.fade",
            get: |p| p.onset_fade,
            set: |p, v| p.onset_fade = v,
            max: 0.2,
        },
        Knob {
            name: "factor.median",
            get: |p| p.factor_median,
            set: |p, v| p.factor_median = v,
            max: 2.0,
        },
        Knob {
            name: "factor.sd",
            get: |p| p.factor_sd,
            set: |p, v| p.factor_sd = v,
            max: 1.0,
        },
        Knob {
            name: "items.0",
            get: |p| p.item_sds[0].1,
            set: |p, v| p.item_sds[0].1 = v,
            max: 10.0,
        },
        Knob {
            name: "items.1",
            get: |p| p.item_sds[1].1,
            set: |p, v| p.item_sds[1].1 = v,
            max: 10.0,
        },
        Knob {
            name: "items.2",
            get: |p| p.item_sds[2].1,
            set: |p, v| p.item_sds[2].1 = v,
            max: 10.0,
        },
        Knob {
            name: "items.3",
            get: |p| p.item_sds[3].1,
            set: |p, v| p.item_sds[3].1 = v,
            max: 10.0,
        },
        Knob {
            name: "items.4",
            get: |p| p.item_sds[4].1,
            set: |p, v| p.item_sds[4].1 = v,
            max: 10.0,
        },
    ]
}

/// Runs the coordinate search from `start` and prints the best priors.
pub fn fit(seed: u64, learners: u64, start: Priors, rounds: usize, step: f64, only: &[String]) {
    let started = std::time::Instant::now();
    // The assumptions the records measure directly are measured, not searched.
    let measured = population(seed, learners);
    let mut start = start;
    (start.usual_median, start.usual_log_sd) = measured.usual;
    (start.factor_median, start.factor_sd) = measured.factor;
    println!(
        "measured on seed {seed}: usual level median {:.0} min a week, log-sd {:.3}; factor median {:.3}, log-sd {:.3}",
        measured.usual.0, measured.usual.1, measured.factor.0, measured.factor.1
    );
    let cases = cases(seed, learners);
    let knobs: Vec<Knob> = knobs()
        .into_iter()
        .filter(|k| !MEASURED.contains(&k.name))
        .filter(|k| {
            only.is_empty()
                || only.iter().any(|o| {
                    o == k.name || (o.ends_with('*') && k.name.starts_with(o.trim_end_matches('*')))
                })
        })
        .collect();
    let mut best = start;
    let (mut best_score, worst, outside) = score(&cases, &best);
    println!(
        "fit on seed {seed}, {learners} learners, {} forecasts: start {best_score:.3} (worst {worst}, {outside} cells outside)",
        cases.len()
    );
    let mut step = step.max(1.001);
    let mut rng = Rng::seeded(seed ^ 0xF17);
    for round in 0..rounds {
        let mut improved = false;
        for knob in &knobs {
            let now = (knob.get)(&best);
            // A zero can only move up, by an amount of its own.
            let tries = if now > 0.0 {
                vec![now * step, now / step]
            } else {
                vec![knob.max / 50.0]
            };
            for value in tries {
                if !(value > 0.0 && value <= knob.max) {
                    continue;
                }
                let mut trial = best;
                (knob.set)(&mut trial, value);
                let (s, worst, outside) = score(&cases, &trial);
                if s < best_score - 1e-9 {
                    println!(
                        "  round {round}, {}: {now:.4} → {value:.4}: {s:.3} (worst {worst}, {outside} outside) [{:.0} s]",
                        knob.name,
                        started.elapsed().as_secs_f64()
                    );
                    best = trial;
                    best_score = s;
                    improved = true;
                    break;
                }
            }
        }
        if !improved {
            // Before a smaller step: a few moves of several assumptions at once, which a
            // search along one at a time cannot see.
            for attempt in 0..JOINT_TRIES {
                let mut trial = best;
                for knob in &knobs {
                    let now = (knob.get)(&trial);
                    if now > 0.0 && rng.chance(0.4) {
                        let value = now * step.powf(rng.normal());
                        if value > 0.0 && value <= knob.max {
                            (knob.set)(&mut trial, value);
                        }
                    }
                }
                let (s, worst, outside) = score(&cases, &trial);
                if s < best_score - 1e-9 {
                    println!(
                        "  round {round}, joint move {attempt}: {s:.3} (worst {worst}, {outside} outside) [{:.0} s]",
                        started.elapsed().as_secs_f64()
                    );
                    best = trial;
                    best_score = s;
                    improved = true;
                    break;
                }
            }
        }
        if !improved {
            step = step.sqrt();
            println!("  round {round}: no gain, step now ×{step:.3}");
            if step < 1.02 {
                break;
            }
        }
    }
    let settings: Vec<String> = self::knobs()
        .iter()
        .map(|k| format!("--set {}={:.4}", k.name, (k.get)(&best)))
        .collect();
    println!("\nbest score {best_score:.3}: {}", settings.join(" "));
    println!("as Rust:\n{best:#?}");
}

/// One forecast point for the recalibration's fit: its cell, whether the learner finished,
/// the model's probability of having finished by the real day (half a day before it, as the
/// range's ends are moved half a day inwards; by the cap's day for a learner who never
/// finishes), and the design of the recalibration.
struct Point {
    cell: usize,
    /// The cell of the record's length (weeks 0–3, 4–12, 13–45, 46 on) and the horizon.
    record_cell: usize,
    /// The cell of the model and the record's length.
    model_record_cell: usize,
    finished: bool,
    probability: f64,
    /// The model's probability of having finished within its horizon (a range whose upper
    /// level is above it is open-ended).
    ever: f64,
    design: [[f64; FEATURES]; ANCHORS],
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn dot(c: &[[f64; FEATURES]; ANCHORS], d: &[[f64; FEATURES]; ANCHORS]) -> f64 {
    c.iter()
        .zip(d)
        .map(|(a, b)| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>())
        .sum()
}

/// Per cell: (covered, forecasts); the model × horizon cells first, then the record length ×
/// horizon cells (all models), then the model × record length cells; and the share of
/// open-ended ranges.
fn recalibrated_cells(points: &[Point], r: &Recalibration) -> (Vec<(usize, usize)>, f64) {
    let low = (0.1f64 / 0.9).ln();
    let models = Model::ALL.len() * BUCKETS.len();
    let records = RECORD_BINS * BUCKETS.len();
    let mut cells = vec![(0usize, 0usize); models + records + Model::ALL.len() * RECORD_BINS];
    let mut open = 0usize;
    for p in points {
        let lower = logistic(low + dot(&r.early, &p.design)).clamp(1e-4, 0.45);
        let upper = logistic(-low + dot(&r.late, &p.design)).clamp(0.55, 1.0 - 1e-4);
        // The late end is open when the model gives more than a tenth of never finishing
        // within the horizon, whatever the recalibration says, or beyond the horizon.
        let never = p.ever < 0.9;
        let covered = (!p.finished || p.probability >= lower) && (never || p.probability < upper);
        open += usize::from(never || upper > p.ever);
        for cell in [
            p.cell,
            models + p.record_cell,
            models + records + p.model_record_cell,
        ] {
            cells[cell].0 += usize::from(covered);
            cells[cell].1 += 1;
        }
    }
    (cells, open as f64 / points.len().max(1) as f64)
}

/// Record lengths the recalibration's fit also judges (all models together): 0–3, 4–12,
/// 13–45 and 46 or more complete weeks.
const RECORD_BINS: usize = 4;

fn record_bin(weeks: usize) -> usize {
    match weeks {
        0..=3 => 0,
        4..=12 => 1,
        13..=45 => 2,
        _ => 3,
    }
}

/// The recalibration's objective: over the judged cells, the squared distance of the coverage
/// from 80 % (in points) plus ten times its square beyond 3 points (and, for the table's cells,
/// a hundred times its square beyond 4), a small ridge penalty, and a penalty on open-ended
/// ranges. The cells are the table's model × horizon cells and, so that the recalibration
/// cannot buy a cell's coverage by mis-stating the range at some record lengths and not at
/// others, the record length × horizon cells of all models and the model × record length
/// cells. The count returned is of the table's cells outside 75–85 %.
fn recalibration_score(points: &[Point], r: &Recalibration) -> (f64, usize) {
    let mut total = 0.0;
    let mut outside = 0;
    let models = Model::ALL.len() * BUCKETS.len();
    let (cells, open) = recalibrated_cells(points, r);
    for (cell, &(hit, n)) in cells.iter().enumerate() {
        if n < MIN_JUDGED {
            continue;
        }
        let cover = hit as f64 / n as f64;
        let d = (cover - 0.8).abs() * 100.0;
        total += d * d + 10.0 * (d - 3.0).max(0.0).powi(2);
        if cell < models {
            // The table's cells are judged at 5 points: beyond 4, much more.
            total += 100.0 * (d - 4.0).max(0.0).powi(2);
        }
        outside += usize::from(cell < models && !(LOW..=HIGH).contains(&cover));
    }
    let ridge: f64 = r.early.iter().chain(&r.late).flatten().map(|c| c * c).sum();
    (total + RIDGE * ridge + OPEN * open, outside)
}

/// The penalty on open-ended ranges (score points per share of the forecasts): a late end
/// "perhaps never" says little, and widening every range that far is a cheap way to cover.
const OPEN: f64 = 5000.0;

/// The ridge penalty on the recalibration's coefficients (in score points per unit squared).
const RIDGE: f64 = 0.05;

/// `--fit-recalibration`: fits [`Recalibration`] on the learners of `seed`, the other priors
/// held, by a coordinate search (steps 0.4, 0.2, 0.1, 0.05 on each coefficient, until a pass
/// over them all finds nothing better), and prints it as Rust.
pub fn fit_recalibration(seed: u64, learners: u64, priors: Priors) {
    let started = std::time::Instant::now();
    let mut points = Vec::new();
    let mut base = priors;
    base.recalibration = Recalibration::NONE;
    let cap_day = (CAP_WEEKS * 7) as i64;
    for c in cases(seed, learners) {
        let k = &c.known;
        let input = ForecastInput {
            today: c.today,
            weeks: &k.weeks,
            this_week: k.this_week,
            days_into_week: k.days_into_week,
            open: &k.open,
            finished: &k.finished,
            availability: &k.availability,
        };
        let Some(range) = forecast_range_with(&input, &base) else {
            continue;
        };
        let end = c.finish.map_or(cap_day, |f| f as i64);
        let weeks = ((end - c.day as i64) as f64 - 0.5) / 7.0;
        let Some((probability, ever, design)) = forecast_probability_with(&input, &base, weeks)
        else {
            continue;
        };
        let b = bucket(usize::try_from(span_days(c.today, range.likely)).unwrap_or(0));
        let m = Model::ALL.iter().position(|&m| m == c.model).unwrap_or(0);
        points.push(Point {
            cell: m * BUCKETS.len() + b,
            record_cell: record_bin(k.weeks.len()) * BUCKETS.len() + b,
            model_record_cell: m * RECORD_BINS + record_bin(k.weeks.len()),
            finished: c.finish.is_some(),
            probability,
            ever,
            design,
        });
    }
    // Always from none, so that the fit is the same whatever `Priors::FITTED` holds.
    let mut best = Recalibration::NONE;
    let (mut best_score, outside) = recalibration_score(&points, &best);
    println!(
        "open-ended without recalibration: {:.1} %",
        100.0 * recalibrated_cells(&points, &Recalibration::NONE).1
    );
    println!(
        "recalibration fit on seed {seed}, {learners} learners, {} forecasts: start {best_score:.1} ({outside} cells outside) [{:.0} s]",
        points.len(),
        started.elapsed().as_secs_f64()
    );
    for step in [0.4, 0.2, 0.1, 0.05] {
        loop {
            let mut improved = false;
            for side in 0..2 {
                for a in 0..ANCHORS {
                    for f in 0..FEATURES {
                        for delta in [step, -step] {
                            let mut trial = best;
                            let row = if side == 0 {
                                &mut trial.early
                            } else {
                                &mut trial.late
                            };
                            row[a][f] += delta;
                            let (s, _) = recalibration_score(&points, &trial);
                            if s < best_score - 1e-9 {
                                best = trial;
                                best_score = s;
                                improved = true;
                                break;
                            }
                        }
                    }
                }
            }
            if !improved {
                break;
            }
        }
        let (_, outside) = recalibration_score(&points, &best);
        println!(
            "  step {step}: {best_score:.1} ({outside} cells outside, {:.1} % open-ended) [{:.0} s]",
            100.0 * recalibrated_cells(&points, &best).1,
            started.elapsed().as_secs_f64()
        );
    }
    let round =
        |rows: [[f64; FEATURES]; ANCHORS]| rows.map(|r| r.map(|c| (c * 1000.0).round() / 1000.0));
    println!(
        "as Rust:\n{:#?}",
        Recalibration {
            early: round(best.early),
            late: round(best.late),
        }
    );
}
