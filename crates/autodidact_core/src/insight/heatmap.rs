//! The year heatmap: a square per day for the last year, shaded by the minutes studied.
//!
//! The map starts on the learner's week start on or before today − 364 days, so it is drawn as
//! columns of whole weeks (53 of them, the last one holding today and possibly shorter), and
//! ends today. Each day gets a level from 0 to 4 by fixed bounds a learner can read off a
//! legend, rather than quantiles of their own record that shift as they study:
//!
//! | level | minutes in the day |
//! |-------|--------------------|
//! | 0     | none               |
//! | 1     | 1 min to 29 min    |
//! | 2     | 30 min to 1 h 29   |
//! | 3     | 1 h 30 to 2 h 59   |
//! | 4     | 3 h or more        |

use jiff::civil::{Date, Weekday};
use serde::Serialize;

use super::activity::{Activity, each_day, shift};
use crate::curriculum::Minutes;
use crate::plan::start_of_week;

/// Lower bounds (inclusive) of levels 1 to 4: 1 min, 30 min, 1 h 30, 3 h.
pub const LEVEL_THRESHOLDS: [Minutes; 4] = [
    Minutes::new(1),
    Minutes::new(30),
    Minutes::new(90),
    Minutes::new(180),
];

/// One square of the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HeatDay {
    /// The day this square stands for.
    pub day: Date,
    /// All kinds together.
    pub minutes: Minutes,
    /// 0 (no study) to 4, by [`LEVEL_THRESHOLDS`].
    pub level: u8,
}

/// The last year of study, a day per square.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heatmap {
    /// The first day shown: the week start on or before today − 364 days.
    pub first: Date,
    /// The last day shown: today.
    pub last: Date,
    /// Every day of `first..=last`, in order.
    pub days: Vec<HeatDay>,
    /// Lower bounds (inclusive) of levels 1..=4; level 0 is no study.
    pub thresholds: [Minutes; 4],
    /// Minutes over all the days shown.
    pub total: Minutes,
    /// Days shown with some study.
    pub active_days: u32,
}

impl Heatmap {
    /// The map's columns, a learner week each, oldest first: seven days each, except the last,
    /// which ends today.
    pub fn weeks(&self) -> impl Iterator<Item = &[HeatDay]> + '_ {
        self.days.chunks(7)
    }
}

/// The level (0..=4) of a day with `minutes` of study, by [`LEVEL_THRESHOLDS`].
pub fn level(minutes: Minutes) -> u8 {
    LEVEL_THRESHOLDS
        .iter()
        .filter(|bound| minutes >= **bound)
        .count() as u8
}

/// The heatmap of the year ending `today`, in columns of weeks starting on `week_start`.
/// Logs after today are not shown.
pub fn year_heatmap(activity: &Activity, today: Date, week_start: Weekday) -> Heatmap {
    let first = start_of_week(shift(today, -364), week_start);
    let days: Vec<HeatDay> = each_day(first, today)
        .map(|day| {
            let minutes = activity.on(day).total();
            HeatDay {
                day,
                minutes,
                level: level(minutes),
            }
        })
        .collect();
    Heatmap {
        first,
        last: today,
        total: days.iter().map(|d| d.minutes).sum(),
        active_days: days.iter().filter(|d| !d.minutes.is_zero()).count() as u32,
        days,
        thresholds: LEVEL_THRESHOLDS,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::store::LogKind;

    #[test]
    fn levels_change_exactly_at_their_bounds() {
        let cases = [
            (0, 0),
            (1, 1),
            (29, 1),
            (30, 2),
            (89, 2),
            (90, 3),
            (179, 3),
            (180, 4),
            (1_000, 4),
        ];
        for (minutes, expected) in cases {
            assert_eq!(level(Minutes::new(minutes)), expected, "{minutes} min");
        }
    }

    #[test]
    fn the_map_starts_on_a_week_start_and_has_fifty_three_columns() {
        let activity = Activity::default();
        // Every weekday as today, with weeks starting Monday or Sunday.
        for offset in 0..7 {
            let today = shift(date(2026, 3, 2), offset);
            for week_start in [Weekday::Monday, Weekday::Sunday] {
                let map = year_heatmap(&activity, today, week_start);
                assert_eq!(map.first.weekday(), week_start);
                assert!(map.first <= shift(today, -364));
                assert!(map.first > shift(today, -371));
                assert_eq!(map.last, today);
                assert_eq!(map.days.first().unwrap().day, map.first);
                assert_eq!(map.days.last().unwrap().day, today);
                assert_eq!(map.weeks().count(), 53);
                assert!(map.weeks().all(|w| w[0].day.weekday() == week_start));
            }
        }
    }

    #[test]
    fn every_day_is_there_once_in_order() {
        let map = year_heatmap(&Activity::default(), date(2026, 3, 4), Weekday::Monday);
        assert_eq!(map.first, date(2025, 3, 3));
        assert_eq!(map.days.len(), 367);
        assert!(
            map.days
                .windows(2)
                .all(|w| w[1].day == w[0].day.tomorrow().unwrap())
        );
        assert!(map.days.iter().all(|d| d.level == 0));
        assert_eq!((map.total, map.active_days), (Minutes::ZERO, 0));
    }

    #[test]
    fn totals_count_only_the_days_shown() {
        let today = date(2026, 3, 4);
        let activity = Activity::from_entries([
            // Before the map: left out.
            (date(2025, 1, 1), LogKind::Learn, Minutes::new(500)),
            (date(2025, 3, 3), LogKind::Learn, Minutes::new(20)),
            (date(2025, 3, 3), LogKind::Build, Minutes::new(15)),
            (date(2026, 1, 10), LogKind::Review, Minutes::new(200)),
            (today, LogKind::Learn, Minutes::new(45)),
            // After today: left out.
            (date(2026, 3, 5), LogKind::Learn, Minutes::new(60)),
        ]);
        let map = year_heatmap(&activity, today, Weekday::Monday);
        assert_eq!(map.total, Minutes::new(280));
        assert_eq!(map.active_days, 3);
        assert_eq!(map.days[0].minutes, Minutes::new(35));
        assert_eq!(map.days[0].level, 2);
        let jan = map
            .days
            .iter()
            .find(|d| d.day == date(2026, 1, 10))
            .unwrap();
        assert_eq!(jan.level, 4);
        assert_eq!(map.days.last().unwrap().level, 2);
        assert_eq!(map.thresholds, LEVEL_THRESHOLDS);
    }
}
