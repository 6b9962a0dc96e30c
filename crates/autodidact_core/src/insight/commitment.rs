//! Commitments without money: a weekly minimum the learner sets for themselves, which is easy
//! to raise and slow to lower.
//!
//! Rules:
//!
//! - Requests are taken in the order they were made (by `requested_on`; requests of the same
//!   day in the order given). A request sets a weekly minimum, or pauses (`None`); a pause
//!   counts as the lowest possible value.
//! - A request that does not lower anything takes effect the day it is made. One that would
//!   lower what is in force on that day, or what is already scheduled to come into force
//!   later, is a *loosening* and takes effect `delay_days` later. So a lowering cannot be
//!   slipped in early by asking for a smaller cut on top of a larger pending one.
//! - On any day, the value in force is that of the latest-requested change whose effective
//!   date has come. A raise therefore cancels every lowering requested before it; a lowering
//!   requested after another pending one takes over only on its own effective date.
//! - A week's commitment is pro-rated by day: each day asks for a seventh of the weekly
//!   minimum in force that day, so a commitment made on Sunday asks for one seventh of its
//!   week, and a raise on Thursday counts for Thursday to Sunday. Only the logs of days with a
//!   commitment in force count toward it.
//! - A day covered by a break of dates declared before its week began is excused: it asks for
//!   nothing. A week whose every committed day is excused is marked excused, not kept.

use jiff::civil::{Date, Weekday};
use serde::Serialize;

use super::activity::{Activity, each_day, shift};
use crate::curriculum::Minutes;
use crate::plan::{History, start_of_week};
use crate::store::DeclaredBreak;

/// What the learner asked for, in order: a weekly minimum, or `None` to pause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CommitmentRequest {
    /// The day the learner asked.
    pub requested_on: Date,
    /// The weekly minimum asked for; `None` pauses the commitment.
    pub weekly: Option<Minutes>,
}

/// A request with the day it takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CommitmentChange {
    /// The day the learner asked.
    pub requested_on: Date,
    /// The request day for a raise; `delay_days` later for a loosening.
    pub effective_on: Date,
    /// The weekly minimum, or `None` for a pause.
    pub weekly: Option<Minutes>,
    /// Whether it lowers (or pauses) the commitment, and so waits for the delay.
    pub loosening: bool,
}

/// The days a lowering or pause waits when the learner has not chosen otherwise.
pub const DEFAULT_DELAY_DAYS: u32 = 7;

/// A pause weighs as nothing.
fn level(weekly: Option<Minutes>) -> u32 {
    weekly.map_or(0, Minutes::get)
}

/// Raising takes effect the day it is asked; lowering or pausing (compared with what is in
/// force, or already scheduled, on that day) waits the delay in force on the day it was asked
/// (`delays`, which a learner can shorten only as slowly). On any day the value in force is
/// that of the latest-requested change whose effective date has come. One change per request,
/// in the order of `requested_on`.
pub fn schedule(requests: &[CommitmentRequest], delays: &History<u32>) -> Vec<CommitmentChange> {
    let mut ordered: Vec<&CommitmentRequest> = requests.iter().collect();
    ordered.sort_by_key(|r| r.requested_on);
    let mut changes: Vec<CommitmentChange> = Vec::with_capacity(ordered.len());
    for request in ordered {
        let day = request.requested_on;
        // The most the commitment would be on any day from `day` on without this request:
        // the value can only change on the effective dates of the changes so far.
        let highest = std::iter::once(day)
            .chain(changes.iter().map(|c| c.effective_on).filter(|d| *d > day))
            .map(|d| level(in_force(&changes, d)))
            .max()
            .unwrap_or(0);
        let loosening = level(request.weekly) < highest;
        changes.push(CommitmentChange {
            requested_on: day,
            effective_on: if loosening {
                let delay = delays.on(day).unwrap_or(DEFAULT_DELAY_DAYS);
                shift(day, i64::from(delay))
            } else {
                day
            },
            weekly: request.weekly,
            loosening,
        });
    }
    changes
}

/// The change that sets the value on `day`: the latest-requested one in force by then (on a
/// tie, the later in the slice).
fn governing(changes: &[CommitmentChange], day: Date) -> Option<&CommitmentChange> {
    changes.iter().filter(|c| c.effective_on <= day).fold(
        None,
        |best: Option<&CommitmentChange>, c| match best {
            Some(b) if b.requested_on > c.requested_on => Some(b),
            _ => Some(c),
        },
    )
}

/// The weekly minimum in force on `day`; `None` before any commitment or while paused.
pub fn in_force(changes: &[CommitmentChange], day: Date) -> Option<Minutes> {
    governing(changes, day).and_then(|c| c.weekly)
}

/// The changes still to come after `day` that will really take effect (a raise made since
/// cancels a pending lowering), by effective date: what to tell a learner about ("your
/// commitment drops to 2 h on 9 March").
pub fn upcoming(changes: &[CommitmentChange], day: Date) -> Vec<CommitmentChange> {
    let mut coming: Vec<CommitmentChange> = changes
        .iter()
        .filter(|c| c.effective_on > day)
        .filter(|c| governing(changes, c.effective_on).is_some_and(|g| std::ptr::eq(g, *c)))
        .copied()
        .collect();
    coming.sort_by_key(|c| c.effective_on);
    coming
}

/// How a week went against its commitment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WeekOutcome {
    /// The logged minutes reached the commitment (the current week, too, once it has).
    Kept,
    /// A past week that fell short.
    Missed,
    /// The week holding today, not reached yet.
    InProgress,
    /// Every day with a commitment was a break declared before the week began.
    Excused,
    /// Paused, or no commitment in force on any day of the week.
    NoCommitment,
}

impl WeekOutcome {
    /// `kept`, `missed`, `in_progress`, `excused`, `no_commitment`.
    pub fn as_str(self) -> &'static str {
        match self {
            WeekOutcome::Kept => "kept",
            WeekOutcome::Missed => "missed",
            WeekOutcome::InProgress => "in_progress",
            WeekOutcome::Excused => "excused",
            WeekOutcome::NoCommitment => "no_commitment",
        }
    }
}

/// Days excused from the commitment: covered by a break of dates declared before the week
/// that holds them began (a break declared later cannot lower a week already under way).
#[derive(Debug, Clone, Default)]
pub struct Excuses {
    breaks: Vec<DeclaredBreak>,
    week_start: Option<Weekday>,
}

impl Excuses {
    pub fn new(breaks: Vec<DeclaredBreak>, week_start: Weekday) -> Self {
        Self {
            breaks,
            week_start: Some(week_start),
        }
    }

    pub fn excuses(&self, day: Date) -> bool {
        let Some(week_start) = self.week_start else {
            return false;
        };
        let first = start_of_week(day, week_start);
        self.breaks
            .iter()
            .any(|b| b.from <= day && day <= b.to && b.declared_on < first)
    }
}

/// One learner week of the commitment record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CommitmentWeek {
    /// The week's first day.
    pub first: Date,
    /// The week's last day (six days after `first`).
    pub last: Date,
    /// What the week asks for: a seventh of the weekly minimum in force on each day that is
    /// not excused; `None` when no day had a commitment in force.
    pub committed: Option<Minutes>,
    /// Days of the week with a commitment in force.
    pub committed_days: u8,
    /// Of those, days excused by a break declared ahead.
    pub excused_days: u8,
    /// Minutes logged on the days with a commitment in force, all kinds (up to today).
    pub logged: Minutes,
    /// Kept, missed, still running, excused, or nothing to keep.
    pub outcome: WeekOutcome,
}

/// Every week from the first with a commitment to the week holding today, oldest first, each
/// pro-rated by day and with the days `excuses` excuses taken out; empty when no week has a
/// commitment yet.
pub fn record(
    activity: &Activity,
    changes: &[CommitmentChange],
    excuses: &Excuses,
    today: Date,
    week_start: Weekday,
) -> Vec<CommitmentWeek> {
    let this_week = start_of_week(today, week_start);
    let Some(earliest) = changes.iter().map(|c| c.effective_on).min() else {
        return Vec::new();
    };
    let weeks = std::iter::successors(Some(start_of_week(earliest, week_start)), |first| {
        Some(shift(*first, 7)).filter(|next| next > first && *next <= this_week)
    })
    .filter(|first| *first <= this_week);
    let mut record = Vec::new();
    for first in weeks {
        let last = shift(first, 6);
        let (mut sevenths, mut committed_days, mut excused_days) = (0u64, 0u8, 0u8);
        let mut logged = Minutes::ZERO;
        for day in each_day(first, last) {
            let Some(weekly) = in_force(changes, day) else {
                continue;
            };
            committed_days += 1;
            if day <= today {
                logged = logged.saturating_add(activity.on(day).total());
            }
            if excuses.excuses(day) {
                excused_days += 1;
            } else {
                sevenths += u64::from(weekly.get());
            }
        }
        if record.is_empty() && committed_days == 0 {
            continue;
        }
        let committed = (committed_days > 0)
            .then(|| Minutes::new(u32::try_from((sevenths + 3) / 7).unwrap_or(u32::MAX)));
        let outcome = match committed {
            None => WeekOutcome::NoCommitment,
            Some(_) if excused_days == committed_days => WeekOutcome::Excused,
            Some(minimum) if logged >= minimum => WeekOutcome::Kept,
            Some(_) if first == this_week => WeekOutcome::InProgress,
            Some(_) => WeekOutcome::Missed,
        };
        record.push(CommitmentWeek {
            first,
            last,
            committed,
            committed_days,
            excused_days,
            logged,
            outcome,
        });
    }
    record
}

/// Days ahead (+) or behind (−) of the commitment line: logged minutes since the first
/// commitment took effect minus the line (each day in force adds weekly/7), divided by the
/// daily rate in force today. None without a commitment in force today.
///
/// The line and the logs both run through today, and the result is rounded toward zero, so a
/// learner exactly on track through yesterday shows −1 until today's share is logged. A
/// commitment of zero minutes gives `None` too (there is no daily rate to divide by); paused
/// days add nothing to the line.
pub fn buffer_days(activity: &Activity, changes: &[CommitmentChange], today: Date) -> Option<i64> {
    let rate = level(in_force(changes, today));
    if rate == 0 {
        return None;
    }
    // The first day with a commitment in force: one of the effective dates.
    let mut starts: Vec<Date> = changes
        .iter()
        .map(|c| c.effective_on)
        .filter(|d| *d <= today)
        .collect();
    starts.sort();
    let start = starts
        .into_iter()
        .find(|d| in_force(changes, *d).is_some())?;
    // In sevenths of a minute, so that the line is exact.
    let line: i64 = each_day(start, today)
        .map(|d| i64::from(level(in_force(changes, d))))
        .sum();
    let logged = i64::from(activity.between(start, today).total().get());
    Some((7 * logged - line) / i64::from(rate))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;
    use crate::store::LogKind;

    fn m(minutes: u32) -> Minutes {
        Minutes::new(minutes)
    }

    /// The same delay on every day.
    fn delay(days: u32) -> History<u32> {
        History::starting(date(1970, 1, 1), days)
    }

    fn ask(day: Date, weekly: Option<u32>) -> CommitmentRequest {
        CommitmentRequest {
            requested_on: day,
            weekly: weekly.map(Minutes::new),
        }
    }

    /// March 2026, day `n` (2 March is a Monday).
    fn mar(n: i8) -> Date {
        date(2026, 3, n)
    }

    #[test]
    fn the_delay_is_under_the_delay_so_it_cannot_be_switched_off_to_lower_at_once() {
        use crate::accounts::{Pacing, Settings};
        let settings = Settings::default();
        assert_eq!(settings.pacing.loosen_delay_days, 7);
        // Shortening to 0 on 2 March holds only after the 7 days in force.
        let zero = Pacing {
            loosen_delay_days: 0,
            ..settings.pacing
        };
        let (shorter, from) = settings.with_pacing(zero, mar(2));
        assert_eq!(from, mar(9));
        let delays = shorter.delays();
        assert_eq!(delays.on(mar(8)), Some(7));
        assert_eq!(delays.on(mar(9)), Some(0));
        // A lowering asked on 3 March still waits 7 days; one asked on the 9th is instant.
        let changes = schedule(
            &[
                ask(mar(1), Some(600)),
                ask(mar(3), Some(300)),
                ask(mar(9), Some(120)),
            ],
            &delays,
        );
        assert_eq!(changes[1].effective_on, mar(10));
        assert_eq!(changes[2].effective_on, mar(9));
        assert_eq!(in_force(&changes, mar(9)), Some(m(120)));
        // A longer delay holds at once, and the pending shortening goes.
        let fourteen = Pacing {
            loosen_delay_days: 14,
            ..settings.pacing
        };
        let (longer, from) = shorter.with_pacing(fourteen, mar(4));
        assert_eq!(from, mar(4));
        assert_eq!(longer.delays().on(mar(20)), Some(14));
        assert_eq!(longer.delays().on(mar(3)), Some(7));
    }

    #[test]
    fn a_first_commitment_takes_effect_at_once() {
        let changes = schedule(&[ask(mar(4), Some(300))], &delay(7));
        assert_eq!(
            changes,
            [CommitmentChange {
                requested_on: mar(4),
                effective_on: mar(4),
                weekly: Some(m(300)),
                loosening: false
            }]
        );
        assert_eq!(in_force(&changes, mar(3)), None);
        assert_eq!(in_force(&changes, mar(4)), Some(m(300)));
    }

    #[test]
    fn lowering_on_the_first_is_in_force_on_the_eighth_not_the_seventh() {
        let changes = schedule(&[ask(mar(1), Some(600)), ask(mar(1), Some(300))], &delay(7));
        assert!(changes[1].loosening);
        assert_eq!(changes[1].effective_on, mar(8));
        assert_eq!(in_force(&changes, mar(1)), Some(m(600)));
        assert_eq!(in_force(&changes, mar(7)), Some(m(600)));
        assert_eq!(in_force(&changes, mar(8)), Some(m(300)));
        assert_eq!(upcoming(&changes, mar(3)), [changes[1]]);
        assert!(upcoming(&changes, mar(8)).is_empty());
    }

    #[test]
    fn raising_takes_effect_the_day_it_is_asked() {
        let changes = schedule(&[ask(mar(1), Some(300)), ask(mar(5), Some(600))], &delay(7));
        assert!(!changes[1].loosening);
        assert_eq!(in_force(&changes, mar(4)), Some(m(300)));
        assert_eq!(in_force(&changes, mar(5)), Some(m(600)));
    }

    #[test]
    fn raising_after_a_pending_lowering_cancels_it() {
        let changes = schedule(
            &[
                ask(mar(1), Some(600)),
                ask(mar(2), Some(120)),
                ask(mar(4), Some(600)),
            ],
            &delay(7),
        );
        assert_eq!(changes[2].effective_on, mar(4));
        for day in 2..=20 {
            assert_eq!(in_force(&changes, mar(day)), Some(m(600)), "{day}");
        }
        assert!(upcoming(&changes, mar(4)).is_empty());
        assert_eq!(upcoming(&changes, mar(3)).len(), 1);
    }

    #[test]
    fn a_smaller_cut_on_top_of_a_pending_one_is_still_a_loosening() {
        // 10 h, then a pending drop to 2 h; asking for 5 h is lower than the 10 h in force.
        let changes = schedule(
            &[
                ask(mar(1), Some(600)),
                ask(mar(2), Some(120)),
                ask(mar(4), Some(300)),
            ],
            &delay(7),
        );
        assert!(changes[2].loosening);
        assert_eq!(changes[2].effective_on, mar(11));
        assert_eq!(in_force(&changes, mar(8)), Some(m(600)));
        assert_eq!(in_force(&changes, mar(9)), Some(m(120)));
        assert_eq!(in_force(&changes, mar(11)), Some(m(300)));
        let coming: Vec<Date> = upcoming(&changes, mar(4))
            .iter()
            .map(|c| c.effective_on)
            .collect();
        assert_eq!(coming, [mar(9), mar(11)]);
    }

    #[test]
    fn a_raise_below_a_scheduled_value_waits_too() {
        // 10 h; drop to 1 h from the 8th, to 5 h from the 9th; on the 8th ask for 3 h.
        let changes = schedule(
            &[
                ask(mar(1), Some(600)),
                ask(mar(1), Some(60)),
                ask(mar(2), Some(300)),
                ask(mar(8), Some(180)),
            ],
            &delay(7),
        );
        assert_eq!(in_force(&changes, mar(8)), Some(m(60)));
        assert!(changes[3].loosening, "5 h is still to come on the 9th");
        assert_eq!(in_force(&changes, mar(9)), Some(m(300)));
        assert_eq!(in_force(&changes, mar(15)), Some(m(180)));
    }

    #[test]
    fn a_pause_waits_for_the_delay_and_resuming_is_at_once() {
        let changes = schedule(
            &[
                ask(mar(1), Some(300)),
                ask(mar(10), None),
                ask(mar(25), Some(60)),
            ],
            &delay(7),
        );
        assert!(changes[1].loosening && !changes[2].loosening);
        assert_eq!(in_force(&changes, mar(16)), Some(m(300)));
        assert_eq!(in_force(&changes, mar(17)), None);
        assert_eq!(in_force(&changes, mar(25)), Some(m(60)));
    }

    #[test]
    fn requests_are_taken_in_date_order() {
        let changes = schedule(&[ask(mar(10), Some(60)), ask(mar(1), Some(300))], &delay(7));
        assert_eq!(changes[0].requested_on, mar(1));
        assert_eq!(changes[1].effective_on, mar(17));
    }

    /// 5 h a week from Wednesday 4 March; 2 h (asked on 9 March, from the 16th).
    fn commitments() -> Vec<CommitmentChange> {
        schedule(&[ask(mar(4), Some(300)), ask(mar(9), Some(120))], &delay(7))
    }

    #[test]
    fn the_record_starts_with_the_week_the_commitment_began_pro_rated_by_day() {
        let activity = Activity::from_entries([
            (mar(9), LogKind::Learn, m(200)),
            (mar(15), LogKind::Build, m(100)),
            (mar(17), LogKind::Learn, m(60)),
            (mar(24), LogKind::Learn, m(150)),
            (mar(31), LogKind::Learn, m(30)),
        ]);
        let none = Excuses::default();
        let record = record(&activity, &commitments(), &none, mar(31), Weekday::Monday);
        let rows: Vec<(Date, Option<u32>, u32, WeekOutcome)> = record
            .iter()
            .map(|w| {
                (
                    w.first,
                    w.committed.map(Minutes::get),
                    w.logged.get(),
                    w.outcome,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                // From Wednesday: five sevenths of 5 h, and nothing logged from then.
                (mar(2), Some(214), 0, WeekOutcome::Missed),
                (mar(9), Some(300), 300, WeekOutcome::Kept),
                (mar(16), Some(120), 60, WeekOutcome::Missed),
                (mar(23), Some(120), 150, WeekOutcome::Kept),
                (mar(30), Some(120), 30, WeekOutcome::InProgress),
            ]
        );
        assert_eq!(record[1].last, mar(15));
        assert_eq!((record[0].committed_days, record[0].excused_days), (5, 0));
    }

    #[test]
    fn a_commitment_made_on_sunday_asks_for_a_seventh_of_its_week() {
        let changes = schedule(&[ask(mar(8), Some(420))], &delay(7));
        // Saturday's hours came before the commitment: they do not count.
        let activity = Activity::from_entries([
            (mar(7), LogKind::Learn, m(600)),
            (mar(8), LogKind::Learn, m(30)),
        ]);
        let none = Excuses::default();
        let week = record(&activity, &changes, &none, mar(9), Weekday::Monday)[0];
        assert_eq!((week.first, week.committed), (mar(2), Some(m(60))));
        assert_eq!(week.logged, m(30));
        assert_eq!(week.outcome, WeekOutcome::Missed);
    }

    #[test]
    fn breaks_declared_ahead_excuse_their_days_and_a_whole_week_off_is_excused() {
        use crate::store::DeclaredBreak;
        let changes = schedule(&[ask(mar(2), Some(700))], &delay(7));
        let holiday = |from, to, declared_on| DeclaredBreak {
            from,
            to,
            declared_on,
        };
        let excuses = Excuses::new(
            vec![
                // The whole week of the 9th, declared on the 1st.
                holiday(mar(9), mar(15), mar(1)),
                // Thursday to Sunday of the week of the 16th, declared the week before.
                holiday(mar(19), mar(22), mar(12)),
                // Declared on the 24th for that same week: too late to excuse it.
                holiday(mar(26), mar(29), mar(24)),
            ],
            Weekday::Monday,
        );
        let activity = Activity::from_entries([(mar(17), LogKind::Learn, m(300))]);
        let weeks = record(&activity, &changes, &excuses, mar(31), Weekday::Monday);
        let rows: Vec<(Date, Option<u32>, u8, WeekOutcome)> = weeks
            .iter()
            .map(|w| {
                (
                    w.first,
                    w.committed.map(Minutes::get),
                    w.excused_days,
                    w.outcome,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (mar(2), Some(700), 0, WeekOutcome::Missed),
                (mar(9), Some(0), 7, WeekOutcome::Excused),
                (mar(16), Some(300), 4, WeekOutcome::Kept),
                (mar(23), Some(700), 0, WeekOutcome::Missed),
                (mar(30), Some(700), 0, WeekOutcome::InProgress),
            ]
        );
        assert_eq!(WeekOutcome::Excused.as_str(), "excused");
    }

    #[test]
    fn a_paused_week_has_no_commitment_and_the_current_week_can_be_kept_early() {
        let changes = schedule(
            &[
                ask(mar(2), Some(60)),
                ask(mar(2), None),
                ask(mar(23), Some(60)),
            ],
            &delay(7),
        );
        let activity = Activity::from_entries([(mar(24), LogKind::Learn, m(90))]);
        let none = Excuses::default();
        let record = record(&activity, &changes, &none, mar(25), Weekday::Monday);
        let outcomes: Vec<WeekOutcome> = record.iter().map(|w| w.outcome).collect();
        assert_eq!(
            outcomes,
            [
                WeekOutcome::Missed,
                WeekOutcome::NoCommitment,
                WeekOutcome::NoCommitment,
                WeekOutcome::Kept
            ]
        );
        assert_eq!(WeekOutcome::NoCommitment.as_str(), "no_commitment");
        assert!(super::record(&activity, &[], &none, mar(25), Weekday::Monday).is_empty());
    }

    #[test]
    fn the_buffer_counts_days_ahead_of_the_line() {
        // 7 h a week from 2 March is an hour a day; 10 h logged by the 5th: 4 h line, 6 ahead.
        let changes = schedule(&[ask(mar(2), Some(420))], &delay(7));
        let activity = Activity::from_entries([(mar(3), LogKind::Learn, m(600))]);
        assert_eq!(buffer_days(&activity, &changes, mar(5)), Some(6));
    }

    #[test]
    fn the_buffer_counts_days_behind_the_line() {
        let changes = schedule(&[ask(mar(2), Some(420))], &delay(7));
        let activity = Activity::from_entries([
            (mar(1), LogKind::Learn, m(600)), // before the commitment: not counted
            (mar(3), LogKind::Learn, m(90)),
        ]);
        // Line on the 10th: 9 h; logged 1.5 h: 7.5 days behind, rounded toward zero.
        assert_eq!(buffer_days(&activity, &changes, mar(10)), Some(-7));
        // Exactly on track through yesterday and nothing yet today: one day behind.
        let on_track = Activity::from_entries((2..=9).map(|d| (mar(d), LogKind::Learn, m(60))));
        assert_eq!(buffer_days(&on_track, &changes, mar(10)), Some(-1));
        assert_eq!(buffer_days(&on_track, &changes, mar(9)), Some(0));
    }

    #[test]
    fn the_buffer_uses_todays_rate_and_skips_paused_days() {
        // 14 h a week (2 h a day) from the 2nd, paused from the 5th, 7 h a week from the 9th.
        let changes = schedule(
            &[
                ask(mar(2), Some(840)),
                ask(mar(2), None),
                ask(mar(9), Some(420)),
            ],
            &delay(3),
        );
        // Line: 3 days × 2 h + 2 days × 1 h = 8 h; logged 10 h: 2 h ahead = 2 days at 1 h.
        let activity = Activity::from_entries([(mar(4), LogKind::Build, m(600))]);
        assert_eq!(buffer_days(&activity, &changes, mar(10)), Some(2));
        assert_eq!(buffer_days(&activity, &changes, mar(6)), None);
        assert_eq!(buffer_days(&activity, &[], mar(6)), None);
    }

    fn requests() -> impl Strategy<Value = Vec<CommitmentRequest>> {
        prop::collection::vec((0i64..60, prop::option::of(0u32..=900)), 0..8).prop_map(|mut raw| {
            raw.sort_by_key(|(day, _)| *day);
            raw.into_iter()
                .map(|(day, weekly)| CommitmentRequest {
                    requested_on: shift(mar(1), day),
                    weekly: weekly.map(Minutes::new),
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn no_request_lowers_the_commitment_before_its_delay_has_passed(
            requests in requests(),
            delay in 0u32..=14,
        ) {
            let delays = super::tests::delay(delay);
            let all = schedule(&requests, &delays);
            for k in 0..requests.len() {
                // Scheduling is incremental: the first k + 1 requests give the first changes.
                let with = schedule(&requests[..=k], &delays);
                prop_assert_eq!(&with[..], &all[..=k]);
                let without = schedule(&requests[..k], &delays);
                let asked = requests[k];
                let due = shift(asked.requested_on, i64::from(delay));
                for day in each_day(shift(asked.requested_on, -3), shift(due, 10)) {
                    let (w, wo) = (level(in_force(&with, day)), level(in_force(&without, day)));
                    if day < due {
                        // Before its delay, the request can only raise.
                        prop_assert!(w >= wo, "day {day}: {w} < {wo}");
                    } else {
                        // Once due, the latest request is what is in force.
                        prop_assert_eq!(in_force(&with, day), asked.weekly, "day {}", day);
                    }
                    if day >= asked.requested_on && !with[k].loosening {
                        prop_assert_eq!(in_force(&with, day), asked.weekly);
                    }
                }
            }
        }
    }
}
