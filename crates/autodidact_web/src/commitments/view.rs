//! The commitment page's rows and sentences, from the scheduled changes and the learner's
//! activity. Pure, so that the wording is tested with fixed dates.

use autodidact_core::insight::activity::Activity;
use autodidact_core::insight::commitment::{
    CommitmentChange, CommitmentWeek, Excuses, WeekOutcome, buffer_days, in_force, record, upcoming,
};
use autodidact_core::store::CommitmentRecord;
use jiff::civil::{Date, Weekday};

use super::per_week;
use crate::insight::words::day_words;

/// One week of the record.
pub struct WeekRow {
    pub first: String,
    pub last: String,
    pub committed: String,
    pub logged: String,
    /// `kept`, `missed`, `in-progress` or `none`, for the row's class.
    pub outcome: &'static str,
    pub outcome_words: &'static str,
}

/// One request, as made.
pub struct RequestRow {
    pub requested_on: String,
    pub value: String,
    pub effective: String,
    /// What became of it.
    pub status: String,
}

/// Everything the page shows, worked out.
pub struct View {
    pub in_force: Option<String>,
    pub pending: Vec<String>,
    pub buffer_days: Option<i64>,
    /// Newest first.
    pub weeks: Vec<WeekRow>,
    pub kept: usize,
    pub missed: usize,
    /// Newest first.
    pub requests: Vec<RequestRow>,
}

/// `records` and `changes` in the same (scheduled) order.
pub fn build(
    records: &[CommitmentRecord],
    changes: &[CommitmentChange],
    activity: &Activity,
    excuses: &Excuses,
    today: Date,
    week_start: Weekday,
) -> View {
    let weeks = record(activity, changes, excuses, today, week_start);
    let count = |o: WeekOutcome| weeks.iter().filter(|w| w.outcome == o).count();
    View {
        in_force: in_force(changes, today).map(per_week),
        pending: upcoming(changes, today)
            .iter()
            .map(|c| pending_sentence(changes, c, today))
            .collect(),
        buffer_days: buffer_days(activity, changes, today),
        kept: count(WeekOutcome::Kept),
        missed: count(WeekOutcome::Missed),
        weeks: weeks
            .iter()
            .rev()
            .map(|w| {
                let (outcome, outcome_words) = match w.outcome {
                    WeekOutcome::Kept => ("kept", "kept"),
                    WeekOutcome::Missed => ("missed", "missed"),
                    WeekOutcome::InProgress => ("in-progress", "in progress"),
                    WeekOutcome::Excused => ("excused", "excused: a break declared ahead"),
                    WeekOutcome::NoCommitment => ("none", "paused"),
                };
                WeekRow {
                    first: day_words(w.first, today),
                    last: day_words(w.last, today),
                    committed: committed_words(w),
                    logged: w.logged.to_string(),
                    outcome,
                    outcome_words,
                }
            })
            .collect(),
        requests: records
            .iter()
            .zip(changes)
            .enumerate()
            .rev()
            .map(|(n, (r, c))| request_row(r, c, &changes[n + 1..], today))
            .collect(),
    }
}

/// `5 h a week` for a whole week; `2 h 9 min (3 of 7 days)` or `1 h (4 days excused)` for a
/// week pro-rated by day.
fn committed_words(w: &CommitmentWeek) -> String {
    let Some(target) = w.committed else {
        return "paused".to_owned();
    };
    let mut parts = Vec::new();
    if w.committed_days < 7 {
        parts.push(format!("{} of 7 days", w.committed_days));
    }
    if w.excused_days > 0 {
        parts.push(format!("{} excused", days_words(w.excused_days)));
    }
    if parts.is_empty() {
        per_week(target)
    } else {
        format!("{target} ({})", parts.join(", "))
    }
}

fn days_words(n: u8) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

/// "Lowering to 5 h takes effect on Sat 28 Nov; until then 8 h a week stands."
fn pending_sentence(changes: &[CommitmentChange], c: &CommitmentChange, today: Date) -> String {
    let before = c
        .effective_on
        .yesterday()
        .ok()
        .and_then(|d| in_force(changes, d));
    let when = day_words(c.effective_on, today);
    let what = match c.weekly {
        Some(w) => format!("Lowering to {w} takes effect on {when}"),
        None => format!("Pausing takes effect on {when}"),
    };
    match before {
        Some(b) => format!("{what}; until then {} stands.", per_week(b)),
        None => format!("{what}."),
    }
}

/// A request with what became of it; `later` are the requests made after it.
fn request_row(
    r: &CommitmentRecord,
    c: &CommitmentChange,
    later: &[CommitmentChange],
    today: Date,
) -> RequestRow {
    let replaced_first = later.iter().any(|l| l.effective_on <= c.effective_on);
    let status = if replaced_first {
        "never took effect: a later change came first".to_owned()
    } else if c.effective_on > today {
        format!("waits until {}", day_words(c.effective_on, today))
    } else if c.effective_on == r.requested_on {
        "took effect at once".to_owned()
    } else {
        format!("took effect on {}", day_words(c.effective_on, today))
    };
    RequestRow {
        requested_on: day_words(r.requested_on, today),
        value: r.weekly.map_or_else(|| "pause".to_owned(), per_week),
        effective: day_words(c.effective_on, today),
        status,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use autodidact_core::accounts::UserId;
    use autodidact_core::curriculum::Minutes;
    use autodidact_core::insight::commitment::{CommitmentRequest, schedule};
    use autodidact_core::store::LogKind;
    use jiff::Timestamp;
    use jiff::civil::date;

    use super::*;

    fn rec(number: u32, on: Date, hours: Option<u32>) -> CommitmentRecord {
        CommitmentRecord {
            id: autodidact_core::store::CommitmentId(i64::from(number)),
            user: UserId(1),
            number,
            requested_on: on,
            weekly: hours.map(Minutes::from_hours),
            created_at: Timestamp::UNIX_EPOCH,
        }
    }

    fn view(records: &[CommitmentRecord], activity: &Activity, today: Date) -> View {
        let requests: Vec<CommitmentRequest> = records
            .iter()
            .map(|r| CommitmentRequest {
                requested_on: r.requested_on,
                weekly: r.weekly,
            })
            .collect();
        let changes = schedule(
            &requests,
            &autodidact_core::accounts::Settings::default().delays(),
        );
        build(
            records,
            &changes,
            activity,
            &Excuses::default(),
            today,
            Weekday::Monday,
        )
    }

    #[test]
    fn a_lowering_says_when_it_takes_effect_and_what_stands_until_then() {
        let records = [
            rec(1, date(2026, 11, 2), Some(8)),
            rec(2, date(2026, 11, 21), Some(5)),
        ];
        let v = view(&records, &Activity::default(), date(2026, 11, 21));
        assert_eq!(v.in_force.as_deref(), Some("8 h a week"));
        assert_eq!(
            v.pending,
            ["Lowering to 5 h takes effect on Sat 28 Nov; until then 8 h a week stands."]
        );
        assert_eq!(v.requests[0].status, "waits until Sat 28 Nov");
        assert_eq!(v.requests[1].status, "took effect at once");
    }

    #[test]
    fn the_record_shows_missed_weeks_newest_first() {
        let activity = Activity::from_entries([
            (date(2026, 11, 3), LogKind::Learn, Minutes::from_hours(9)),
            (date(2026, 11, 10), LogKind::Learn, Minutes::from_hours(2)),
        ]);
        let records = [rec(1, date(2026, 11, 2), Some(8))];
        let v = view(&records, &activity, date(2026, 11, 18));
        let outcomes: Vec<&str> = v.weeks.iter().map(|w| w.outcome).collect();
        assert_eq!(outcomes, ["in-progress", "missed", "kept"]);
        assert_eq!((v.kept, v.missed), (1, 1));
        assert_eq!(v.weeks[1].logged, "2 h");
        assert_eq!(v.weeks[1].first, "Mon 9 Nov");
    }

    #[test]
    fn a_raise_cancels_a_pending_pause() {
        let records = [
            rec(1, date(2026, 11, 2), Some(8)),
            rec(2, date(2026, 11, 3), None),
            rec(3, date(2026, 11, 4), Some(10)),
        ];
        let v = view(&records, &Activity::default(), date(2026, 11, 5));
        assert!(v.pending.is_empty());
        assert_eq!(v.in_force.as_deref(), Some("10 h a week"));
        assert_eq!(
            v.requests[1].status,
            "never took effect: a later change came first"
        );
    }
}
