//! The population assumptions the range forecast starts from.
//!
//! With a short record they decide the width of the range. [`Priors::FITTED`] holds the values
//! `forecast_range` uses, fitted on the calibration benchmark's training seed
//! (`cargo bench -p autodidact_core --bench forecast_calibration -- --fit --seed 1`, see
//! docs/BENCHMARKS.md); they should be re-fitted once real learners' records exist. The type is
//! public only so that the benchmark can fit it (`forecast_range_with`); it is not part of the
//! forecast's interface.
//!
//! [`Recalibration`] is fitted apart, with the other assumptions held
//! (`-- --fit-recalibration --seed 1 --learners 10000`): it moves the percentiles the range's
//! ends are read at by what the record shows, where the model itself is too sure or too unsure.

/// One way the level may wander: its logarithm returns towards the learner's usual level,
/// losing half its distance in `half_life` weeks, and wanders around it with `spread` (the
/// standard deviation of `ln(level / usual)` in the long run). A spread of zero is a steady
/// level (the half-life is then not read).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wander {
    pub half_life: f64,
    pub spread: f64,
    /// Prior weight (the weights need not sum to 1).
    pub weight: f64,
}

/// The population assumptions of the range forecast (see the module docs of `pace` and `work`
/// for what each means).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Priors {
    /// The ways the level may wander, with their prior weights.
    pub wanders: [Wander; 7],
    /// The learners' usual levels are log-normal with this median (minutes a week)…
    pub usual_median: f64,
    /// …and this standard deviation of their logarithm.
    pub usual_log_sd: f64,
    /// Spreads `s` of single weeks around the level (relative), with their prior weights.
    pub spreads: [(f64, f64); 5],
    /// The prior probability that a learner has been fading out since the start of the record.
    pub fade_from_start: f64,
    /// The prior probability, each week of the record, that a fade began then (in the
    /// record's first week; see `fade_decay`).
    pub fade_hazard: f64,
    /// The hazards that a fade begins fall with the weeks a learner has kept at it: by `e` in
    /// this many weeks (0: they do not fall).
    pub fade_decay: f64,
    /// Fading rates `ρ` (share of the level lost a week), equally likely when fading.
    pub fades: [f64; 4],
    /// The probability, each week ahead, that a learner not fading now begins to fade (were
    /// the record a week long; see `fade_decay`).
    pub onset_hazard: f64,
    /// The fading rate `ρ` of a fade that begins ahead.
    pub onset_fade: f64,
    /// The learners' factors (real / estimate) have this prior median…
    pub factor_median: f64,
    /// …and this prior standard deviation of their logarithm.
    pub factor_sd: f64,
    /// The spreads of single items' real times around the learner's factor (the standard
    /// deviation of the log ratio), with their prior weights.
    pub item_sds: [(f64, f64); 5],
    /// The recalibration of the range (see [`Recalibration`]).
    pub recalibration: Recalibration,
}

/// How many features of the record the recalibration reads (see `range::features`).
pub const FEATURES: usize = 9;
/// How many record lengths the recalibration is fitted at.
pub const ANCHORS: usize = 4;
/// The record lengths (complete weeks) the recalibration is fitted at; between two, it is
/// interpolated linearly in `ln weeks`.
pub const RECORD_ANCHORS: [f64; ANCHORS] = [2.0, 8.0, 30.0, 80.0];

/// A recalibration of the range's percentiles, fitted on the calibration benchmark's training
/// seed with the other assumptions held (`--fit-recalibration`).
///
/// The model's range runs from its `10 %` to its `90 %` point. The recalibration moves these
/// levels by what the record shows: with the design `d` (the features of `range::features`,
/// each row weighed by the record length's share of one of [`RECORD_ANCHORS`]), the early end
/// is the model's percentile `logistic(logit 0.1 + Σ early ∘ d)` and the late end its
/// percentile `logistic(logit 0.9 + Σ late ∘ d)`. The likely day stays the model's median.
/// All zeros is no recalibration. It makes up for what the model gets wrong for records of a
/// given shape (for example that a level wandering around its habit spreads the finishing day
/// wider than the wander prior allows), measured on the training learners.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recalibration {
    pub early: [[f64; FEATURES]; ANCHORS],
    pub late: [[f64; FEATURES]; ANCHORS],
}

impl Recalibration {
    /// No recalibration.
    pub const NONE: Recalibration = Recalibration {
        early: [[0.0; FEATURES]; ANCHORS],
        late: [[0.0; FEATURES]; ANCHORS],
    };
}

const fn wander(half_life: f64, spread: f64, weight: f64) -> Wander {
    Wander {
        half_life,
        spread,
        weight,
    }
}

impl Priors {
    /// The values `forecast_range` uses.
    pub const FITTED: Priors = Priors {
        wanders: [
            wander(0.0, 0.0, 1.51),
            wander(7.0, 0.375, 0.028),
            wander(7.0, 0.675, 0.0124),
            wander(4.44, 0.375, 0.0182),
            wander(4.44, 0.675, 0.00809),
            wander(149.0, 0.375, 0.00789),
            wander(149.0, 0.675, 0.00351),
        ],
        usual_median: 302.0,
        usual_log_sd: 0.629,
        spreads: [
            (0.2, 0.915),
            (0.35, 0.35),
            (0.55, 0.2),
            (0.8, 0.105),
            (1.1, 0.0526),
        ],
        fade_from_start: 0.045,
        fade_hazard: 0.0225,
        fade_decay: 25.0,
        fades: [0.02, 0.05, 0.1, 0.3],
        onset_hazard: 0.00701,
        onset_fade: 0.0156,
        factor_median: 1.107,
        factor_sd: 0.323,
        item_sds: [
            (0.2, 1.01),
            (0.3, 0.144),
            (0.45, 0.2),
            (0.65, 0.225),
            (0.9, 0.1),
        ],
        recalibration: Recalibration {
            early: [
                [0.0, 0.9, 0.15, 1.2, -0.4, -0.45, 1.1, 1.4, 0.0],
                [0.0, 0.0, 0.0, 0.0, 0.0, -0.5, -0.1, 0.1, -4.3],
                [0.0, -0.4, 0.8, 0.5, 0.8, -1.6, 1.0, 0.55, -6.2],
                [0.4, -1.2, -0.75, 0.8, 0.4, -0.6, 0.95, 0.4, -1.75],
            ],
            late: [
                [0.55, 0.15, 0.05, 0.7, 0.0, 0.15, -1.75, -2.65, 0.0],
                [0.0, -0.4, 0.2, 0.0, -0.05, -0.6, -0.2, -0.7, -0.6],
                [0.0, 0.0, 0.0, 0.0, -0.8, 1.6, 0.0, -1.9, 1.65],
                [0.0, 1.95, -0.95, -0.5, -0.8, 0.0, 0.7, 1.1, -0.9],
            ],
        },
    };
}

impl Default for Priors {
    fn default() -> Self {
        Priors::FITTED
    }
}
