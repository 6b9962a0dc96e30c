//! Streaks that forgive: runs of study days that survive declared breaks and a few days off.
//!
//! The days from the learner's first logged day to today are each one of:
//!
//! - **counting**: its total (all kinds) is at least [`StreakRules::min_minutes`];
//! - **rest**: a declared break covers it ([`RestDays::is_rest`]); it neither counts nor breaks;
//! - **open**: today, when it does not count yet; it breaks nothing;
//! - **a miss**: any other day.
//!
//! A streak is a span of days in which no learner week (weeks start on
//! [`StreakRules::week_start`]) holds more misses than [`StreakRules::rest_days_per_week`]; its
//! length is the number of counting days in it, and it runs from its first counting day to its
//! last. Walking forward, each miss uses one of its week's allowance, and the run breaks when a
//! week's allowance is exceeded; only the misses inside the run itself count against it, so a
//! run that starts mid-week after a break is not charged for the misses that broke the one
//! before. Logs after today are ignored.
//!
//! The current streak is the longest span ending today; the longest streak is the longest span
//! anywhere, the current one included. When several spans are equally long the most recent one
//! is reported, so a learner who matches their record sees the record as their current run.

use jiff::civil::{Date, Weekday};
use serde::Serialize;

use super::activity::{Activity, RestDays, days_from, each_day};
use crate::curriculum::Minutes;
use crate::plan::start_of_week;

/// What makes a day count and how many days off a week keep a streak alive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreakRules {
    /// A day counts when it has at least this much (total of all kinds). At least 1 minute:
    /// zero is read as 1.
    pub min_minutes: Minutes,
    /// Days a week that may go without study without breaking the streak (0..=3 is sensible;
    /// larger values are accepted as given).
    pub rest_days_per_week: u8,
    /// The first day of a learner week, whose allowance starts afresh.
    pub week_start: Weekday,
}

impl Default for StreakRules {
    /// Any study counts, one day off a week, weeks starting on Monday.
    fn default() -> Self {
        Self {
            min_minutes: Minutes::new(1),
            rest_days_per_week: 1,
            week_start: Weekday::Monday,
        }
    }
}

/// A learner's current and longest streaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Streaks {
    /// Counting days in the current run (rest days bridge it but are not counted).
    pub current: u32,
    /// The first counting day of the current run; `None` when `current` is 0.
    pub current_start: Option<Date>,
    /// Whether today already counts (if not, today is still open and breaks nothing).
    pub today_counts: bool,
    /// Counting days in the longest run so far, the current one included.
    pub longest: u32,
    /// The first counting day of the longest run; `None` when `longest` is 0.
    pub longest_start: Option<Date>,
    /// The last counting day of the longest run; `None` when `longest` is 0.
    pub longest_end: Option<Date>,
}

impl Streaks {
    const NONE: Streaks = Streaks {
        current: 0,
        current_start: None,
        today_counts: false,
        longest: 0,
        longest_start: None,
        longest_end: None,
    };
}

/// How one day stands in a streak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DayKind {
    Counting,
    /// Rest, or today still open.
    Neutral,
    Miss,
}

/// The current and longest streaks on `today`, under `rules`, with `rest` days bridging.
pub fn streaks(activity: &Activity, rest: &RestDays, rules: &StreakRules, today: Date) -> Streaks {
    let Some(first) = activity.first_day_until(today) else {
        return Streaks::NONE;
    };
    let min = rules.min_minutes.get().max(1);
    let allowance = u32::from(rules.rest_days_per_week);
    let week_one = start_of_week(first, rules.week_start);

    let days: Vec<Date> = each_day(first, today).collect();
    let kinds: Vec<DayKind> = days
        .iter()
        .map(|&day| {
            if activity.on(day).total().get() >= min {
                DayKind::Counting
            } else if day == today || rest.is_rest(day) {
                DayKind::Neutral
            } else {
                DayKind::Miss
            }
        })
        .collect();
    let week = |i: usize| usize::try_from(days_from(week_one, days[i]) / 7).unwrap_or(0);
    // The nearest counting day at or after each index, to name a window's first counting day.
    let mut next_counting = vec![None; days.len()];
    let mut next = None;
    for i in (0..days.len()).rev() {
        if kinds[i] == DayKind::Counting {
            next = Some(i);
        }
        next_counting[i] = next;
    }

    // A sliding window [left, end]: for each end, the earliest start that keeps every week
    // within its allowance. Windows only move forward, so each day enters and leaves once.
    let mut misses_in_week = vec![0u32; week(days.len() - 1) + 1];
    let mut left = 0;
    let mut counted = 0u32;
    let mut result = Streaks::NONE;
    for end in 0..days.len() {
        match kinds[end] {
            DayKind::Counting => counted += 1,
            DayKind::Miss => {
                let w = week(end);
                misses_in_week[w] += 1;
                while misses_in_week[w] > allowance {
                    match kinds[left] {
                        DayKind::Counting => counted -= 1,
                        DayKind::Miss => misses_in_week[week(left)] -= 1,
                        DayKind::Neutral => {}
                    }
                    left += 1;
                }
            }
            DayKind::Neutral => {}
        }
        let start = next_counting
            .get(left)
            .copied()
            .flatten()
            .filter(|&i| i <= end)
            .map(|i| days[i]);
        if kinds[end] == DayKind::Counting && counted >= result.longest {
            result.longest = counted;
            result.longest_start = start;
            result.longest_end = Some(days[end]);
        }
        if end == days.len() - 1 {
            result.current = counted;
            result.current_start = start;
            result.today_counts = kinds[end] == DayKind::Counting;
        }
    }
    result
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use jiff::Timestamp;
    use jiff::civil::date;
    use jiff::tz::TimeZone;
    use proptest::prelude::*;

    use super::*;
    use crate::insight::activity::shift;
    use crate::plan::Break;
    use crate::store::LogKind;

    /// Any study counts; weeks start on Monday.
    fn rules(rest_days_per_week: u8) -> StreakRules {
        StreakRules {
            min_minutes: Minutes::new(1),
            rest_days_per_week,
            week_start: Weekday::Monday,
        }
    }

    fn studied(days: &[Date]) -> Activity {
        Activity::from_entries(days.iter().map(|d| (*d, LogKind::Learn, Minutes::new(30))))
    }

    /// 2026-03-02 is a Monday; `d(n)` is n days later.
    fn d(n: i64) -> Date {
        shift(date(2026, 3, 2), n)
    }

    fn run(days: impl IntoIterator<Item = i64>) -> Vec<Date> {
        days.into_iter().map(d).collect()
    }

    #[test]
    fn nothing_logged_means_no_streak() {
        let s = streaks(&Activity::default(), &RestDays::default(), &rules(1), d(0));
        assert_eq!(s, Streaks::NONE);
    }

    #[test]
    fn consecutive_days_ending_today_are_the_current_streak() {
        let s = streaks(&studied(&run(0..5)), &RestDays::default(), &rules(0), d(4));
        assert_eq!(s.current, 5);
        assert_eq!(s.current_start, Some(d(0)));
        assert!(s.today_counts);
        assert_eq!(
            (s.longest, s.longest_start, s.longest_end),
            (5, Some(d(0)), Some(d(4)))
        );
    }

    #[test]
    fn today_without_study_is_open_and_breaks_nothing() {
        let s = streaks(&studied(&run(0..5)), &RestDays::default(), &rules(0), d(5));
        assert_eq!(s.current, 5);
        assert!(!s.today_counts);
        // Tomorrow, the empty day is a miss.
        let s = streaks(&studied(&run(0..5)), &RestDays::default(), &rules(0), d(6));
        assert_eq!((s.current, s.current_start), (0, None));
        assert_eq!(s.longest, 5);
    }

    #[test]
    fn one_day_off_a_week_is_forgiven_and_a_second_breaks_the_run() {
        // Mon–Fri 2 March, Wednesday off: one miss in the week.
        let days = run([0, 1, 3, 4]);
        let s = streaks(&studied(&days), &RestDays::default(), &rules(1), d(4));
        assert_eq!((s.current, s.current_start), (4, Some(d(0))));
        // Wednesday and Thursday off: the second miss breaks it.
        let days = run([0, 1, 4, 5]);
        let s = streaks(&studied(&days), &RestDays::default(), &rules(1), d(5));
        assert_eq!((s.current, s.current_start), (2, Some(d(4))));
        assert_eq!(
            (s.longest, s.longest_start, s.longest_end),
            (2, Some(d(4)), Some(d(5)))
        );
    }

    #[test]
    fn the_allowance_starts_afresh_each_learner_week() {
        // Sunday 8 March off, then Monday 9 March off: one miss in each Monday week.
        let mut days = run(0..6);
        days.extend(run(8..12));
        let s = streaks(&studied(&days), &RestDays::default(), &rules(1), d(11));
        assert_eq!((s.current, s.current_start), (10, Some(d(0))));
        // With weeks starting on Sunday both misses fall in the same week.
        let sunday = StreakRules {
            week_start: Weekday::Sunday,
            ..rules(1)
        };
        let s = streaks(&studied(&days), &RestDays::default(), &sunday, d(11));
        assert_eq!((s.current, s.current_start), (4, Some(d(8))));
        assert_eq!(s.longest, 6);
    }

    #[test]
    fn a_declared_break_bridges_the_streak_without_counting() {
        // Two weeks of study, a two-week break, one more week.
        let mut days = run(0..14);
        days.extend(run(28..35));
        let rest = RestDays {
            breaks: vec![Break::Dates {
                from: d(14),
                to: d(27),
            }],
        };
        let s = streaks(&studied(&days), &rest, &rules(0), d(34));
        assert_eq!((s.current, s.current_start), (21, Some(d(0))));
        // Without the break, the run restarts after it.
        let s = streaks(&studied(&days), &RestDays::default(), &rules(0), d(34));
        assert_eq!((s.current, s.longest), (7, 14));
    }

    #[test]
    fn a_weekly_rest_day_is_not_a_miss() {
        // Every day but Sundays, for three weeks, with Sunday declared as rest.
        let days: Vec<Date> = (0..21).filter(|n| n % 7 != 6).map(d).collect();
        let rest = RestDays {
            breaks: vec![Break::Weekly {
                day: Weekday::Sunday,
            }],
        };
        let s = streaks(&studied(&days), &rest, &rules(0), d(20));
        assert_eq!(s.current, 18);
        assert!(!s.today_counts);
    }

    #[test]
    fn a_day_under_the_minimum_does_not_count() {
        let activity = Activity::from_entries([
            (d(0), LogKind::Learn, Minutes::new(30)),
            (d(1), LogKind::Learn, Minutes::new(10)),
            (d(1), LogKind::Build, Minutes::new(10)),
            (d(2), LogKind::Review, Minutes::new(5)),
        ]);
        let min = |minutes: u32| StreakRules {
            min_minutes: Minutes::new(minutes),
            ..rules(0)
        };
        // 20 minutes on day 1 (two kinds together) counts; 5 on day 2 does not, but it is today.
        let s = streaks(&activity, &RestDays::default(), &min(20), d(2));
        assert_eq!((s.current, s.today_counts), (2, false));
        let s = streaks(&activity, &RestDays::default(), &min(25), d(2));
        assert_eq!((s.current, s.longest), (0, 1));
        // A zero minimum is read as one minute.
        let s = streaks(&activity, &RestDays::default(), &min(0), d(2));
        assert_eq!(s.current, 3);
    }

    #[test]
    fn logs_after_today_are_ignored() {
        let s = streaks(&studied(&run(0..10)), &RestDays::default(), &rules(0), d(2));
        assert_eq!((s.current, s.longest), (3, 3));
        let s = streaks(&studied(&run(5..10)), &RestDays::default(), &rules(0), d(2));
        assert_eq!(s, Streaks::NONE);
    }

    #[test]
    fn the_longest_run_is_remembered_after_it_breaks() {
        let mut days = run(0..9);
        days.extend(run(20..23));
        let s = streaks(&studied(&days), &RestDays::default(), &rules(0), d(22));
        assert_eq!(s.current, 3);
        assert_eq!(
            (s.longest, s.longest_start, s.longest_end),
            (9, Some(d(0)), Some(d(8)))
        );
    }

    #[test]
    fn a_tie_with_the_record_reports_the_current_run() {
        let mut days = run(0..3);
        days.extend(run(10..13));
        let s = streaks(&studied(&days), &RestDays::default(), &rules(0), d(12));
        assert_eq!(
            (s.longest, s.longest_start, s.longest_end),
            (3, Some(d(10)), Some(d(12)))
        );
    }

    #[test]
    fn a_new_run_is_not_charged_for_the_misses_that_broke_the_last_one() {
        // Mon studied, Tue and Wed off (the run breaks), Thu studied, Fri off, then daily.
        let mut days = run([0, 3]);
        days.extend(run(5..12));
        let s = streaks(&studied(&days), &RestDays::default(), &rules(1), d(11));
        assert_eq!((s.current, s.current_start), (8, Some(d(3))));
    }

    /// The days, in `zone`, of study sessions at 21:30 local time each evening from `first`
    /// for `count` days, computed from the instants as a server would.
    fn evenings(zone: &str, first: Date, count: i64) -> Vec<Timestamp> {
        (0..count)
            .map(|n| {
                shift(first, n)
                    .at(21, 30, 0, 0)
                    .in_tz(zone)
                    .unwrap()
                    .timestamp()
            })
            .collect()
    }

    fn local_days(instants: &[Timestamp], zone: &str) -> Vec<Date> {
        let tz = TimeZone::get(zone).unwrap();
        instants
            .iter()
            .map(|t| t.to_zoned(tz.clone()).date())
            .collect()
    }

    #[test]
    fn studying_every_evening_keeps_the_streak_across_daylight_saving_changes() {
        for (zone, change) in [
            ("Europe/Amsterdam", date(2026, 3, 29)),
            ("Europe/Amsterdam", date(2026, 10, 25)),
            ("America/New_York", date(2026, 3, 8)),
            ("America/New_York", date(2026, 11, 1)),
        ] {
            let first = shift(change, -10);
            let instants = evenings(zone, first, 21);
            // The UTC gap between two evenings is 23 or 25 hours across the change.
            let gaps: Vec<i64> = instants
                .windows(2)
                .map(|w| (w[1].as_second() - w[0].as_second()) / 3600)
                .collect();
            assert!(gaps.contains(&23) || gaps.contains(&25), "{zone} {change}");
            let days = local_days(&instants, zone);
            let expected: Vec<Date> = (0..21).map(|n| shift(first, n)).collect();
            assert_eq!(days, expected, "{zone} {change}");
            let today = shift(first, 20);
            let s = streaks(&studied(&days), &RestDays::default(), &rules(0), today);
            assert_eq!((s.current, s.current_start), (21, Some(first)), "{zone}");
            assert!(s.today_counts);
        }
    }

    #[test]
    fn the_same_instants_fall_on_different_days_in_tokyo_and_new_york() {
        let first = date(2026, 3, 1);
        let instants = evenings("America/New_York", first, 14);
        let new_york = local_days(&instants, "America/New_York");
        let tokyo = local_days(&instants, "Asia/Tokyo");
        for (ny, tk) in new_york.iter().zip(&tokyo) {
            assert_eq!(shift(*ny, 1), *tk);
        }
        // On New York's last evening, Tokyo's learner has already studied "tomorrow".
        let today = new_york[13];
        let ny = streaks(&studied(&new_york), &RestDays::default(), &rules(0), today);
        let tk = streaks(&studied(&tokyo), &RestDays::default(), &rules(0), today);
        assert_eq!((ny.current, ny.today_counts), (14, true));
        assert_eq!((tk.current, tk.today_counts), (13, true));
        assert_eq!(tk.current_start, Some(shift(first, 1)));
    }

    /// The plain count: consecutive days with study ending today, or yesterday when today has
    /// none yet; and the longest such run up to today.
    fn plain(studied_days: &[bool], today: usize) -> (u32, u32) {
        let mut longest = 0;
        let mut run = 0;
        for &s in &studied_days[..=today] {
            run = if s { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        let end = if studied_days[today] {
            today + 1
        } else {
            today
        };
        let current = studied_days[..end].iter().rev().take_while(|s| **s).count();
        (current as u32, longest)
    }

    fn activity_of(pattern: &[bool]) -> Activity {
        let days: Vec<Date> = pattern
            .iter()
            .enumerate()
            .filter(|(_, s)| **s)
            .map(|(n, _)| d(n as i64))
            .collect();
        studied(&days)
    }

    proptest! {
        #[test]
        fn the_longest_streak_is_never_shorter_than_the_current_one(
            pattern in prop::collection::vec(any::<bool>(), 1..120),
            allowance in 0u8..=3,
            weekly_rest in prop::option::of(0u8..7),
            today_back in 0usize..10,
        ) {
            let activity = activity_of(&pattern);
            let today = d(pattern.len() as i64 - 1 - today_back as i64);
            let rest = RestDays {
                breaks: weekly_rest
                    .map(|n| Break::Weekly { day: d(i64::from(n)).weekday() })
                    .into_iter()
                    .collect(),
            };
            let s = streaks(&activity, &rest, &rules(allowance), today);
            prop_assert!(s.longest >= s.current);
            prop_assert_eq!(s.current == 0, s.current_start.is_none());
            prop_assert_eq!(s.longest == 0, s.longest_end.is_none());
            if let (Some(start), Some(end)) = (s.longest_start, s.longest_end) {
                prop_assert!(start <= end && end <= today);
            }
        }

        #[test]
        fn adding_a_log_never_lowers_the_longest_streak(
            pattern in prop::collection::vec(any::<bool>(), 1..120),
            extra in 0i64..140,
            allowance in 0u8..=3,
            week_start in 0i64..7,
            with_break in any::<bool>(),
        ) {
            let rules = StreakRules {
                week_start: d(week_start).weekday(),
                ..rules(allowance)
            };
            let rest = RestDays {
                breaks: if with_break {
                    vec![Break::Dates { from: d(30), to: d(40) }]
                } else {
                    vec![]
                },
            };
            let today = d(130);
            let before = activity_of(&pattern);
            let mut after = before.clone();
            after.add(d(extra - 10), LogKind::Build, Minutes::new(20));
            let (b, a) = (
                streaks(&before, &rest, &rules, today),
                streaks(&after, &rest, &rules, today),
            );
            prop_assert!(a.longest >= b.longest, "{b:?} then {a:?}");
            prop_assert!(a.current >= b.current, "{b:?} then {a:?}");
        }

        #[test]
        fn without_allowance_or_breaks_a_streak_is_the_plain_count_of_consecutive_days(
            pattern in prop::collection::vec(any::<bool>(), 1..120),
            today_back in 0usize..20,
        ) {
            let today = pattern.len().saturating_sub(1 + today_back);
            let s = streaks(
                &activity_of(&pattern),
                &RestDays::default(),
                &rules(0),
                d(today as i64),
            );
            prop_assert_eq!((s.current, s.longest), plain(&pattern, today));
        }
    }
}
