//! Calibration: how a learner's real time compares with the estimates they study from.
//!
//! Every finished item with some logged time is one piece of evidence: it was estimated at so
//! many minutes and took so many. The ratio is the sum of logged minutes over the sum of
//! estimates (not the mean of per-item ratios), so a long book weighs more than a short
//! article, and one five-minute item logged at an hour cannot swing the figure.
//!
//! Rules:
//! - Only finished items count, and only those with some logged time (an item ticked off
//!   without a log says nothing about pace) and a non-zero estimate.
//! - The overall factor covers every counted item; the per-kind factors list only the kinds
//!   that have counted items, in the order of [`ItemKind::ALL`].
//! - The forecast uses the overall ratio clamped to 0.25..=4 (a quarter to four times the
//!   estimate), and 1.0 when nothing counts yet: a few odd items must not make a forecast absurd.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::curriculum::{ItemKind, Minutes};

/// The lowest factor the forecast will use: four times faster than the estimates.
pub const MIN_FORECAST_FACTOR: f64 = 0.25;
/// The highest factor the forecast will use: four times slower than the estimates.
pub const MAX_FORECAST_FACTOR: f64 = 4.0;

/// One finished item: what it was estimated at and what the learner logged on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FinishedItem {
    /// The item's kind, for the per-kind factors.
    pub kind: ItemKind,
    /// The planned minutes of the item (its estimate).
    pub estimate: Minutes,
    /// All minutes the learner logged on the item.
    pub logged: Minutes,
}

/// Real time against estimated time over a set of finished items.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Factor {
    /// `logged / estimate`: above 1 the learner takes longer than estimated, below 1 less.
    pub ratio: f64,
    /// How many items this factor is made of.
    pub items: u32,
    /// Minutes logged on those items.
    pub logged: Minutes,
    /// Minutes estimated for those items.
    pub estimate: Minutes,
}

impl Factor {
    /// The ratio as a whole percentage of the estimate (125 means a quarter longer), rounded.
    pub fn percent(&self) -> u32 {
        let percent = (self.ratio * 100.0).round();
        if percent.is_finite() && percent > 0.0 {
            percent.min(f64::from(u32::MAX)) as u32
        } else {
            0
        }
    }
}

/// A learner's calibration, overall and per kind of item.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Calibration {
    /// Over every counted item; `None` when no finished item has logged time.
    pub overall: Option<Factor>,
    /// Per kind, only kinds with counted items, in the order of [`ItemKind::ALL`].
    pub by_kind: Vec<(ItemKind, Factor)>,
}

/// Running sums for one factor, kept wide so that no sum saturates before the division.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    items: u32,
    logged: u64,
    estimate: u64,
}

impl Sums {
    fn add(&mut self, item: &FinishedItem) {
        self.items = self.items.saturating_add(1);
        self.logged += u64::from(item.logged.get());
        self.estimate += u64::from(item.estimate.get());
    }

    fn factor(&self) -> Option<Factor> {
        (self.items > 0 && self.estimate > 0).then(|| Factor {
            ratio: self.logged as f64 / self.estimate as f64,
            items: self.items,
            logged: to_minutes(self.logged),
            estimate: to_minutes(self.estimate),
        })
    }
}

fn to_minutes(minutes: u64) -> Minutes {
    Minutes::new(u32::try_from(minutes).unwrap_or(u32::MAX))
}

/// Computes the calibration from finished items. Only items with some logged time and a
/// non-zero estimate count; `ratio = Σ logged / Σ estimate`.
pub fn calibration(items: &[FinishedItem]) -> Calibration {
    let mut overall = Sums::default();
    let mut by_kind: BTreeMap<ItemKind, Sums> = BTreeMap::new();
    for item in items
        .iter()
        .filter(|i| !i.logged.is_zero() && !i.estimate.is_zero())
    {
        overall.add(item);
        by_kind.entry(item.kind).or_default().add(item);
    }
    Calibration {
        overall: overall.factor(),
        // ItemKind's order is the declaration order, which is the order of ItemKind::ALL.
        by_kind: by_kind
            .into_iter()
            .filter_map(|(kind, sums)| Some((kind, sums.factor()?)))
            .collect(),
    }
}

impl Calibration {
    /// The factor the forecast uses: the overall ratio clamped to
    /// [`MIN_FORECAST_FACTOR`]`..=`[`MAX_FORECAST_FACTOR`], or 1.0 without data.
    pub fn forecast_factor(&self) -> f64 {
        match self.overall {
            Some(f) if f.ratio.is_finite() => {
                f.ratio.clamp(MIN_FORECAST_FACTOR, MAX_FORECAST_FACTOR)
            }
            _ => 1.0,
        }
    }

    /// The factor for one kind of item, if that kind has counted items.
    pub fn for_kind(&self, kind: ItemKind) -> Option<&Factor> {
        self.by_kind
            .iter()
            .find_map(|(k, f)| (*k == kind).then_some(f))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn finished(kind: ItemKind, estimate: u32, logged: u32) -> FinishedItem {
        FinishedItem {
            kind,
            estimate: Minutes::new(estimate),
            logged: Minutes::new(logged),
        }
    }

    #[test]
    fn no_items_means_no_factor_and_a_neutral_forecast() {
        let c = calibration(&[]);
        assert_eq!(c.overall, None);
        assert!(c.by_kind.is_empty());
        assert_eq!(c.forecast_factor(), 1.0);
    }

    #[test]
    fn items_without_logged_time_or_estimate_do_not_count() {
        let c = calibration(&[
            finished(ItemKind::Book, 600, 0),
            finished(ItemKind::Course, 0, 120),
        ]);
        assert_eq!(c.overall, None);
        assert!(c.by_kind.is_empty());
        assert_eq!(c.forecast_factor(), 1.0);
    }

    #[test]
    fn the_ratio_is_the_sum_of_logged_over_the_sum_of_estimates() {
        // 10 h estimated took 15 h; 2 h estimated took 1 h: 16 / 12.
        let c = calibration(&[
            finished(ItemKind::Book, 600, 900),
            finished(ItemKind::Article, 120, 60),
            finished(ItemKind::Video, 60, 0),
        ]);
        let overall = c.overall.unwrap();
        assert_eq!(overall.items, 2);
        assert_eq!(overall.logged, Minutes::new(960));
        assert_eq!(overall.estimate, Minutes::new(720));
        assert!((overall.ratio - 960.0 / 720.0).abs() < 1e-12);
        assert_eq!(overall.percent(), 133);
        assert!((c.forecast_factor() - 960.0 / 720.0).abs() < 1e-12);
    }

    #[test]
    fn kinds_are_listed_in_the_order_of_all_kinds_with_their_own_ratio() {
        let c = calibration(&[
            finished(ItemKind::Project, 600, 1200),
            finished(ItemKind::Course, 600, 300),
            finished(ItemKind::Project, 600, 600),
            finished(ItemKind::Paper, 60, 0),
        ]);
        let kinds: Vec<ItemKind> = c.by_kind.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, [ItemKind::Course, ItemKind::Project]);
        let project = c.for_kind(ItemKind::Project).unwrap();
        assert_eq!(project.items, 2);
        assert!((project.ratio - 1.5).abs() < 1e-12);
        assert!((c.for_kind(ItemKind::Course).unwrap().ratio - 0.5).abs() < 1e-12);
        assert!(c.for_kind(ItemKind::Paper).is_none());
    }

    #[test]
    fn the_forecast_factor_is_clamped_to_a_quarter_and_four_times() {
        let slow = calibration(&[finished(ItemKind::Book, 60, 600)]);
        assert!((slow.overall.unwrap().ratio - 10.0).abs() < 1e-12);
        assert_eq!(slow.forecast_factor(), MAX_FORECAST_FACTOR);
        let fast = calibration(&[finished(ItemKind::Book, 600, 6)]);
        assert_eq!(fast.forecast_factor(), MIN_FORECAST_FACTOR);
    }

    #[test]
    fn huge_sums_do_not_overflow_the_ratio() {
        let items = vec![finished(ItemKind::Course, u32::MAX, u32::MAX); 3];
        let c = calibration(&items);
        let overall = c.overall.unwrap();
        assert!((overall.ratio - 1.0).abs() < 1e-12);
        assert_eq!(overall.logged, Minutes::new(u32::MAX));
        assert_eq!(overall.items, 3);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn the_forecast_factor_always_lies_in_its_bounds_and_kinds_add_up_to_the_whole(
            raw in prop::collection::vec((0usize..8, 0u32..10_000, 0u32..10_000), 0..20)
        ) {
            let items: Vec<FinishedItem> = raw
                .iter()
                .map(|&(k, e, l)| finished(ItemKind::ALL[k], e, l))
                .collect();
            let c = calibration(&items);
            let f = c.forecast_factor();
            prop_assert!((MIN_FORECAST_FACTOR..=MAX_FORECAST_FACTOR).contains(&f));
            let counted = items.iter().filter(|i| !i.logged.is_zero() && !i.estimate.is_zero()).count();
            let by_kind: u32 = c.by_kind.iter().map(|(_, f)| f.items).sum();
            prop_assert_eq!(by_kind as usize, counted);
            prop_assert_eq!(c.overall.map_or(0, |f| f.items) as usize, counted);
            let logged: Minutes = c.by_kind.iter().map(|(_, f)| f.logged).sum();
            prop_assert_eq!(logged, c.overall.map_or(Minutes::ZERO, |f| f.logged));
        }
    }
}
