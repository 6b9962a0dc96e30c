//! The burn-up: estimated minutes earned over time, against the plan's line.
//!
//! Both lines count *estimated* minutes, so they can be compared: the plan line says how much
//! of the estimate should be behind the learner on a day, the earned line how much is.
//!
//! Rules:
//! - A [`Line`] is a list of `(day, cumulative minutes)` points in date order, joined by
//!   straight lines. Between two points a day's value is interpolated and rounded down (a line
//!   never claims a minute it has not reached); before the first point it is the first value,
//!   after the last point the last value.
//! - The plan line starts at `base` (what was already earned when the plan was made) on the
//!   day before the plan starts, then has a point at the end of every planned week holding the
//!   cumulative planned minutes; the last week's point is on the plan's end day.
//! - Earned value: an item earns the minutes logged on it, up to its estimate, and its whole
//!   estimate on the day it is marked done. Logging more than the estimate earns nothing more.
//!   Skipped items earn nothing: leave them out (or give them a zero estimate).
//! - Standing: the learner is behind by `planned − earned` minutes when the plan line is above
//!   what they have earned, and the day count is today minus the first day the plan line
//!   reached what they have earned (positive behind, negative ahead).

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::curriculum::Minutes;
use crate::plan::Plan;

/// Cumulative estimated minutes over time, as points joined by straight lines.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Line {
    /// In date order (a later point never has an earlier date).
    pub points: Vec<(Date, Minutes)>,
}

impl Line {
    /// The value on `day`: interpolated between points and rounded down; before the first point
    /// the first value, after the last the last; zero for a line without points. On a day that
    /// holds several points (a jump), the last of them counts.
    pub fn at(&self, day: Date) -> Minutes {
        let Some(&(first_day, first)) = self.points.first() else {
            return Minutes::ZERO;
        };
        if day < first_day {
            return first;
        }
        // The last point on or before `day` (on a day with several points, the last counts).
        let j = self.points.partition_point(|&(d, _)| d <= day) - 1;
        let (d0, v0) = self.points[j];
        let Some(&(d1, v1)) = self.points.get(j + 1) else {
            return v0;
        };
        let span = days_between(d0, d1);
        if span <= 0 {
            // Only for points out of date order, which a line should not have.
            return Minutes::new(v1.get());
        }
        let (v0, v1) = (i64::from(v0.get()), i64::from(v1.get()));
        let value = v0 + ((v1 - v0) * days_between(d0, day)).div_euclid(span);
        Minutes::new(u32::try_from(value.max(0)).unwrap_or(u32::MAX))
    }

    /// The first day on which [`Line::at`] is at least `value`; the first point's day when the
    /// line starts there already, `None` when it never gets there.
    pub fn reaches(&self, value: Minutes) -> Option<Date> {
        let &(first_day, first) = self.points.first()?;
        if first >= value {
            return Some(first_day);
        }
        for pair in self.points.windows(2) {
            let [(d0, v0), (d1, v1)] = [pair[0], pair[1]];
            if v1 >= value {
                // v0 < value <= v1, or we would have stopped at d0.
                let span = days_between(d0, d1);
                let need = i64::from(value.get() - v0.get());
                let rise = i64::from(v1.get() - v0.get());
                let k = (need * span + rise - 1) / rise;
                return Some(add_days(d0, k));
            }
        }
        None
    }

    /// The last point, if any: where the line ends and at what value.
    pub fn last(&self) -> Option<(Date, Minutes)> {
        self.points.last().copied()
    }
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
fn days_between(from: Date, to: Date) -> i64 {
    i64::from((to - from).get_days())
}

/// `day` moved by `days`, stopping at the ends of the calendar.
fn add_days(day: Date, days: i64) -> Date {
    jiff::Span::new()
        .try_days(days)
        .ok()
        .and_then(|span| day.checked_add(span).ok())
        .unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
}

fn to_minutes(minutes: u64) -> Minutes {
    Minutes::new(u32::try_from(minutes).unwrap_or(u32::MAX))
}

/// A plan's line: `base` on the day before `plan.start`, then `base` plus the cumulative
/// planned minutes at each week's end (the last week's end clipped to `plan.end`).
///
/// `base` is what had been earned when the plan was made, usually the estimates of the items
/// already done, so that the plan line and the earned line share a scale.
pub fn plan_line(plan: &Plan, base: Minutes) -> Line {
    let mut points = vec![(plan.start.yesterday().unwrap_or(plan.start), base)];
    let mut total = u64::from(base.get());
    for week in &plan.weeks {
        total += u64::from(week.planned().get());
        let end = match plan.end {
            Some(end) if end < week.end => end,
            _ => week.end,
        };
        points.push((end, to_minutes(total)));
    }
    Line { points }
}

/// One item's progress, for the earned line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemProgress {
    /// The item's planned minutes: the most it can earn.
    pub estimate: Minutes,
    /// Minutes logged on the item and the day of each log, in any order.
    pub logs: Vec<(Date, Minutes)>,
    /// The day the item was marked done, if it is.
    pub done_on: Option<Date>,
}

/// Earned value per day: each item earns its logged minutes up to its estimate, and its whole
/// estimate on the day it was finished. Logs and finishing after `until` are ignored.
///
/// The line has a zero point the day before the first day that earns anything, a point on
/// every day the total changes, and ends at `until` with the total earned then. Without any
/// earning up to `until` it is the single point `(until, 0)`.
pub fn earned_line(items: &[ItemProgress], until: Date) -> Line {
    let mut changes: BTreeMap<Date, u64> = BTreeMap::new();
    for item in items {
        let estimate = u64::from(item.estimate.get());
        let done_on = item.done_on.filter(|d| *d <= until);
        let mut logs: Vec<(Date, Minutes)> = item
            .logs
            .iter()
            .copied()
            .filter(|(d, _)| *d <= until && done_on.is_none_or(|done| *d < done))
            .collect();
        logs.sort_by_key(|&(d, _)| d);
        let mut logged = 0u64;
        let mut earned = 0u64;
        for (day, minutes) in logs {
            logged += u64::from(minutes.get());
            let now = logged.min(estimate);
            if now > earned {
                *changes.entry(day).or_default() += now - earned;
                earned = now;
            }
        }
        if let Some(done) = done_on
            && estimate > earned
        {
            *changes.entry(done).or_default() += estimate - earned;
        }
    }
    let Some(&first) = changes.keys().next() else {
        return Line {
            points: vec![(until, Minutes::ZERO)],
        };
    };
    let mut points = vec![(first.yesterday().unwrap_or(first), Minutes::ZERO)];
    let mut total = 0u64;
    for (day, delta) in changes {
        total += delta;
        points.push((day, to_minutes(total)));
    }
    if points.last().is_some_and(|&(day, _)| day < until) {
        points.push((until, to_minutes(total)));
    }
    Line { points }
}

/// Where the learner stands against a plan line today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Standing {
    /// The plan line's value today.
    pub planned: Minutes,
    /// What the learner has earned.
    pub earned: Minutes,
    /// `planned − earned` when behind, else zero.
    pub behind: Minutes,
    /// `earned − planned` when ahead, else zero.
    pub ahead: Minutes,
    /// Days behind (+) or ahead (−): today minus the first day the plan line reached `earned`.
    /// When `earned` is beyond the whole plan, the plan's last day is used; the count is never
    /// positive when the learner is not behind, nor negative when they are.
    pub days: i64,
}

/// Compares what the learner has earned with the plan line on `today`.
pub fn standing(plan: &Line, earned: Minutes, today: Date) -> Standing {
    let planned = plan.at(today);
    let reached = plan
        .reaches(earned)
        .or_else(|| plan.last().map(|(day, _)| day))
        .unwrap_or(today);
    let days = days_between(reached, today);
    Standing {
        planned,
        earned,
        behind: planned.saturating_sub(earned),
        ahead: earned.saturating_sub(planned),
        days: if earned < planned {
            days.max(0)
        } else {
            days.min(0)
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;
    use crate::plan::{PlannedWeek, WeeklyBudget};
    use jiff::civil::date;
    use proptest::prelude::*;

    fn m(minutes: u32) -> Minutes {
        Minutes::new(minutes)
    }

    fn line(points: &[(Date, u32)]) -> Line {
        Line {
            points: points.iter().map(|&(d, v)| (d, m(v))).collect(),
        }
    }

    #[test]
    fn a_line_is_flat_before_its_first_point_and_after_its_last() {
        let l = line(&[(date(2026, 3, 2), 100), (date(2026, 3, 12), 600)]);
        assert_eq!(l.at(date(2026, 1, 1)), m(100));
        assert_eq!(l.at(date(2026, 3, 2)), m(100));
        assert_eq!(l.at(date(2026, 3, 12)), m(600));
        assert_eq!(l.at(date(2027, 1, 1)), m(600));
        assert_eq!(Line::default().at(date(2026, 3, 2)), Minutes::ZERO);
    }

    #[test]
    fn a_line_interpolates_between_points_rounding_down() {
        let l = line(&[
            (date(2026, 3, 1), 0),
            (date(2026, 3, 4), 100),
            (date(2026, 3, 5), 100),
        ]);
        assert_eq!(l.at(date(2026, 3, 2)), m(33));
        assert_eq!(l.at(date(2026, 3, 3)), m(66));
        assert_eq!(l.at(date(2026, 3, 4)), m(100));
    }

    #[test]
    fn on_a_day_with_several_points_the_last_one_counts() {
        let l = line(&[
            (date(2026, 3, 1), 0),
            (date(2026, 3, 1), 100),
            (date(2026, 3, 3), 300),
            (date(2026, 3, 3), 500),
        ]);
        assert_eq!(l.at(date(2026, 3, 1)), m(100));
        assert_eq!(l.at(date(2026, 3, 2)), m(200));
        assert_eq!(l.at(date(2026, 3, 3)), m(500));
        assert_eq!(l.reaches(m(50)), Some(date(2026, 3, 1)));
        assert_eq!(l.reaches(m(400)), Some(date(2026, 3, 3)));
    }

    #[test]
    fn reaches_finds_the_first_day_at_or_above_a_value() {
        let l = line(&[
            (date(2026, 3, 1), 0),
            (date(2026, 3, 4), 100),
            (date(2026, 3, 8), 100),
            (date(2026, 3, 10), 300),
        ]);
        assert_eq!(l.reaches(m(0)), Some(date(2026, 3, 1)));
        assert_eq!(l.reaches(m(33)), Some(date(2026, 3, 2)));
        assert_eq!(l.reaches(m(34)), Some(date(2026, 3, 3)));
        assert_eq!(l.reaches(m(100)), Some(date(2026, 3, 4)));
        assert_eq!(l.reaches(m(101)), Some(date(2026, 3, 9)));
        assert_eq!(l.reaches(m(300)), Some(date(2026, 3, 10)));
        assert_eq!(l.reaches(m(301)), None);
        assert_eq!(Line::default().reaches(m(1)), None);
    }

    fn plan(start: Date, end: Date, weeks: &[(Date, u32, u32)]) -> Plan {
        Plan {
            start,
            budget: WeeklyBudget::PerWeek(m(600)),
            items: vec![],
            phases: vec![],
            weeks: weeks
                .iter()
                .enumerate()
                .map(|(n, &(first, capacity, planned))| PlannedWeek {
                    number: n as u32 + 1,
                    start: first,
                    end: first.checked_add(jiff::Span::new().days(6)).unwrap(),
                    capacity: m(capacity),
                    work: vec![(0, m(planned))],
                })
                .collect(),
            end: Some(end),
            total: m(weeks.iter().map(|w| w.2).sum()),
            first_day: vec![],
        }
    }

    #[test]
    fn the_plan_line_starts_at_the_base_the_day_before_and_ends_on_the_last_day() {
        // Starts on a Wednesday, three weeks, ends on the Tuesday of week 3.
        let p = plan(
            date(2026, 3, 4),
            date(2026, 3, 17),
            &[
                (date(2026, 3, 2), 500, 500),
                (date(2026, 3, 9), 600, 600),
                (date(2026, 3, 16), 600, 100),
            ],
        );
        let l = plan_line(&p, m(1000));
        assert_eq!(
            l,
            line(&[
                (date(2026, 3, 3), 1000),
                (date(2026, 3, 8), 1500),
                (date(2026, 3, 15), 2100),
                (date(2026, 3, 17), 2200),
            ])
        );
        assert_eq!(l.at(date(2026, 3, 1)), m(1000));
        assert_eq!(l.at(date(2026, 3, 4)), m(1100));
    }

    #[test]
    fn the_plan_line_of_a_real_plan_ends_at_base_plus_total_on_the_end_day() {
        use crate::curriculum::{
            Curriculum, Effort, EstimateSource, Item, ItemId, ItemKind, Phase,
        };
        use crate::plan::{PlanRequest, plan_schedule};
        let item = |id: &str, hours: u32| Item {
            id: ItemId::parse(id).unwrap(),
            kind: ItemKind::Book,
            title: id.into(),
            url: None,
            effort: Effort::Hours(Minutes::from_hours(hours)),
            estimate_source: EstimateSource::Stated,
            skills: vec![],
            requires: vec![],
            mode_override: None,
            notes: String::new(),
            due: None,
        };
        let c = Curriculum {
            title: "T".into(),
            description: String::new(),
            author: String::new(),
            hours_per_week: None,
            phases: vec![Phase {
                title: "P".into(),
                description: String::new(),
                items: vec![item("a", 10), item("b", 15)],
            }],
        };
        let budget = WeeklyBudget::PerWeek(Minutes::from_hours(7));
        let p = plan_schedule(&PlanRequest::new(&c, budget, date(2026, 3, 4))).unwrap();
        let l = plan_line(&p, m(60));
        assert_eq!(l.points[0], (date(2026, 3, 3), m(60)));
        assert_eq!(l.last(), Some((p.end.unwrap(), m(60 + 25 * 60))));
        assert!(
            l.points
                .windows(2)
                .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1)
        );
    }

    fn progress(estimate: u32, logs: &[(Date, u32)], done_on: Option<Date>) -> ItemProgress {
        ItemProgress {
            estimate: m(estimate),
            logs: logs.iter().map(|&(d, v)| (d, m(v))).collect(),
            done_on,
        }
    }

    #[test]
    fn logs_earn_up_to_the_estimate_and_finishing_earns_the_rest() {
        let items = [
            // Logged 90 then 60 of 120: earns 90, then 30 more (capped).
            progress(120, &[(date(2026, 3, 3), 60), (date(2026, 3, 2), 90)], None),
            // Logged 30 of 300, then finished: the rest on the day it was done.
            progress(300, &[(date(2026, 3, 2), 30)], Some(date(2026, 3, 5))),
            // Finished without a log, after `until`: earns nothing yet.
            progress(500, &[], Some(date(2026, 3, 20))),
        ];
        let l = earned_line(&items, date(2026, 3, 10));
        assert_eq!(
            l,
            line(&[
                (date(2026, 3, 1), 0),
                (date(2026, 3, 2), 120),
                (date(2026, 3, 3), 150),
                (date(2026, 3, 5), 420),
                (date(2026, 3, 10), 420),
            ])
        );
    }

    #[test]
    fn logs_after_an_item_is_done_or_after_until_earn_nothing() {
        let items = [
            progress(100, &[(date(2026, 3, 6), 50)], Some(date(2026, 3, 5))),
            progress(100, &[(date(2026, 3, 12), 50)], None),
        ];
        let l = earned_line(&items, date(2026, 3, 10));
        assert_eq!(
            l,
            line(&[
                (date(2026, 3, 4), 0),
                (date(2026, 3, 5), 100),
                (date(2026, 3, 10), 100)
            ])
        );
    }

    #[test]
    fn nothing_earned_is_one_zero_point_on_until() {
        let l = earned_line(&[progress(100, &[], None)], date(2026, 3, 10));
        assert_eq!(l, line(&[(date(2026, 3, 10), 0)]));
        let l = earned_line(&[], date(2026, 3, 10));
        assert_eq!(l.at(date(2026, 3, 10)), Minutes::ZERO);
    }

    #[test]
    fn a_change_on_until_ends_the_line_there() {
        let l = earned_line(
            &[progress(100, &[(date(2026, 3, 10), 40)], None)],
            date(2026, 3, 10),
        );
        assert_eq!(l, line(&[(date(2026, 3, 9), 0), (date(2026, 3, 10), 40)]));
    }

    #[test]
    fn standing_behind_counts_minutes_and_days_behind() {
        // 100 minutes a day from March 1 (value 0) to March 11 (1000).
        let l = line(&[(date(2026, 3, 1), 0), (date(2026, 3, 11), 1000)]);
        let s = standing(&l, m(500), date(2026, 3, 9));
        assert_eq!(s.planned, m(800));
        assert_eq!(s.behind, m(300));
        assert_eq!(s.ahead, Minutes::ZERO);
        assert_eq!(s.days, 3, "the plan reached 500 on March 6");
    }

    #[test]
    fn standing_ahead_counts_days_negative() {
        let l = line(&[(date(2026, 3, 1), 0), (date(2026, 3, 11), 1000)]);
        let s = standing(&l, m(700), date(2026, 3, 4));
        assert_eq!(s.planned, m(300));
        assert_eq!((s.behind, s.ahead), (Minutes::ZERO, m(400)));
        assert_eq!(s.days, -4);
    }

    #[test]
    fn standing_on_track_is_zero_days_even_where_the_plan_is_flat() {
        let l = line(&[
            (date(2026, 3, 1), 0),
            (date(2026, 3, 5), 400),
            (date(2026, 3, 20), 400),
        ]);
        let s = standing(&l, m(400), date(2026, 3, 12));
        assert_eq!(
            (s.behind, s.ahead, s.days),
            (Minutes::ZERO, Minutes::ZERO, 0)
        );
    }

    #[test]
    fn earning_beyond_the_plan_counts_from_the_plans_last_day() {
        let l = line(&[(date(2026, 3, 1), 0), (date(2026, 3, 11), 1000)]);
        let s = standing(&l, m(1200), date(2026, 3, 6));
        assert_eq!(s.ahead, m(700));
        assert_eq!(s.days, -5);
        // After the plan's end, being beyond it is zero days, not "behind".
        let s = standing(&l, m(1200), date(2026, 3, 20));
        assert_eq!(s.days, 0);
        // An empty plan line: nothing planned, no day count.
        let s = standing(&Line::default(), m(10), date(2026, 3, 20));
        assert_eq!((s.planned, s.ahead, s.days), (Minutes::ZERO, m(10), 0));
    }

    fn rising_line() -> impl Strategy<Value = Line> {
        prop::collection::vec((0i64..30, 0u32..2000), 1..8).prop_map(|steps| {
            let mut day = date(2026, 1, 1);
            let mut value = 0u32;
            let points = steps
                .into_iter()
                .map(|(gap, rise)| {
                    day = add_days(day, gap);
                    value += rise;
                    (day, m(value))
                })
                .collect();
            Line { points }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn a_rising_line_reaches_a_value_exactly_on_the_first_day_at_or_above_it(
            l in rising_line(), value in 0u32..15_000
        ) {
            let value = m(value);
            match l.reaches(value) {
                Some(day) => {
                    prop_assert!(l.at(day) >= value);
                    if day > l.points[0].0 {
                        prop_assert!(l.at(day.yesterday().unwrap()) < value);
                    }
                }
                None => prop_assert!(l.last().unwrap().1 < value),
            }
        }

        #[test]
        fn the_earned_line_ends_at_the_sum_of_what_each_item_earns_and_never_falls(
            raw in prop::collection::vec(
                (1u32..3000, prop::collection::vec((0i64..40, 1u32..600), 0..6), prop::option::of(0i64..40)),
                0..8,
            ),
            until in 0i64..40,
        ) {
            let start = date(2026, 3, 1);
            let until = add_days(start, until);
            let items: Vec<ItemProgress> = raw
                .iter()
                .map(|(estimate, logs, done)| ItemProgress {
                    estimate: m(*estimate),
                    logs: logs.iter().map(|&(d, v)| (add_days(start, d), m(v))).collect(),
                    done_on: done.map(|d| add_days(start, d)),
                })
                .collect();
            let l = earned_line(&items, until);
            let expected: u32 = items
                .iter()
                .map(|i| {
                    if i.done_on.is_some_and(|d| d <= until) {
                        i.estimate.get()
                    } else {
                        let logged: u32 = i.logs.iter().filter(|(d, _)| *d <= until).map(|(_, v)| v.get()).sum();
                        logged.min(i.estimate.get())
                    }
                })
                .sum();
            prop_assert_eq!(l.last(), Some((until, m(expected))));
            prop_assert!(l.points.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1 || w[1].0 == until && w[0].1 == w[1].1));
            prop_assert_eq!(l.points[0].1, Minutes::ZERO);
        }
    }
}
