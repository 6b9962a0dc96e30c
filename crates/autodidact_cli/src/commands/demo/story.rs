//! The demo learner's year, made up in memory before anything is written: which days they
//! studied and for how long, the sessions, when each item started and finished, the
//! commitments, the re-plan and the reviews. Deterministic: fixed seeds, and every date is an
//! offset from `today`.
//!
//! The hours come from the story (the follow's 10 h a week, the burnout week, the vacation,
//! the slow month, the second curriculum), not from the number of logs asked for: that number
//! only decides how finely each day is cut into sessions. So the same `--today` gives the same
//! days, items and standing whatever `--logs` is, and a small `--logs` only makes sessions
//! longer (the year holds about 550 hours: 5,000 logs are sessions of about 7 minutes).

use anyhow::{Context, Result, anyhow};
use autodidact_core::curriculum::{Curriculum, ItemId, Minutes, Mode};
use autodidact_core::plan::{PlanRequest, WeeklyBudget, plan_schedule};
use autodidact_core::store::LogKind;
use autodidact_core::templates;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::board;

/// Days from the first day of study to today.
pub const DAYS: i64 = 365;
/// The main curriculum, followed all year at 10 h a week.
pub const MAIN_TEMPLATE: &str = "deep-learning-in-six-months";
/// The second curriculum, followed for the last four months at 5 h a week.
pub const SECOND_TEMPLATE: &str = "back-to-basics-data-first";

// Key days, as offsets from the first day of study.
const COMMIT_8: i64 = 31;
const COMMIT_10: i64 = 98;
/// Study on every one of these days, the burnout week among them.
const NO_REST: (i64, i64) = (127, 142);
/// About 35 hours in these seven days.
const BURNOUT: (i64, i64) = (133, 139);
/// The vacation starts on the Monday on or after this day and lasts two weeks.
const VACATION_NEAR: i64 = 182;
/// Declared this many days ahead.
const VACATION_NOTICE: i64 = 30;
const COMMIT_6: i64 = 212;
/// A third of the usual time.
const SLOW: (i64, i64) = (214, 244);
const SECOND_START: i64 = DAYS - 120;
const COMMIT_8_AGAIN: i64 = SECOND_START + 1;
const REPLAN: i64 = DAYS - 90;

/// One followed curriculum.
#[derive(Debug, Clone)]
pub struct Track {
    /// The shipped template it starts from.
    pub template: &'static str,
    pub source: &'static str,
    pub curriculum: Curriculum,
    pub budget: WeeklyBudget,
    pub start: Date,
    /// Items in the order the plan works on them: id, estimate, mode.
    pub order: Vec<(ItemId, Minutes, Mode)>,
}

/// One study log to write.
#[derive(Debug, Clone)]
pub struct Session {
    pub track: usize,
    pub item: Option<ItemId>,
    pub minutes: Minutes,
    pub kind: LogKind,
    pub day: Date,
    pub at: Timestamp,
    pub note: &'static str,
}

/// When work on an item started and finished.
#[derive(Debug, Clone)]
pub struct Progress {
    pub track: usize,
    pub item: ItemId,
    pub estimate: Minutes,
    pub logged: Minutes,
    pub started: Timestamp,
    pub finished: Option<(Date, Timestamp)>,
}

/// The re-plan made three months ago: same budget, from that day, with these items done.
#[derive(Debug, Clone)]
pub struct Replan {
    pub day: Date,
    pub budget: WeeklyBudget,
    pub done: Vec<ItemId>,
    pub base: Minutes,
}

/// The whole year.
#[derive(Debug, Clone)]
pub struct Story {
    pub first: Date,
    pub today: Date,
    pub tracks: Vec<Track>,
    /// A break of the main follow, as stored: `from..to`.
    pub vacation: (Date, Date),
    pub vacation_declared: Date,
    /// Weekly commitments in the order asked, in minutes.
    pub commitments: Vec<(Date, Minutes)>,
    pub sessions: Vec<Session>,
    pub progress: Vec<Progress>,
    pub replan: Replan,
    pub revisits: Vec<board::Revisit>,
    /// Markdown notes on items of the main follow.
    pub notes: Vec<(ItemId, &'static str)>,
    pub evidence: Vec<board::Shown>,
}

/// `first` moved by `days`.
pub fn on(first: Date, days: i64) -> Date {
    first.saturating_add(days.days())
}

/// A moment of a day in UTC, the demo learner's zone.
pub fn stamp(day: Date, minute_of_day: u32) -> Result<Timestamp> {
    let minute = minute_of_day.min(24 * 60 - 1);
    let hour = i8::try_from(minute / 60).unwrap_or(23);
    let min = i8::try_from(minute % 60).unwrap_or(59);
    Ok(day.at(hour, min, 0, 0).to_zoned(TimeZone::UTC)?.timestamp())
}

impl Story {
    /// Makes up the year that ends on `today`, cut into about `logs` sessions.
    pub fn new(today: Date, logs: usize) -> Result<Story> {
        let first = today
            .checked_sub(DAYS.days())
            .context("--today is too early in the calendar")?;
        let vacation_start = monday_on_or_after(on(first, VACATION_NEAR));
        let vacation = (vacation_start, on(vacation_start, 13));
        let tracks = vec![
            track(MAIN_TEMPLATE, "10", first)?,
            track(SECOND_TEMPLATE, "5", on(first, SECOND_START))?,
        ];
        let days = study_days(first, today, vacation);
        let (sessions, progress) = sessions(&tracks, &days, logs)?;
        let replan_day = on(first, REPLAN);
        let done: Vec<&Progress> = progress
            .iter()
            .filter(|p| p.track == 0 && p.finished.is_some_and(|(day, _)| day <= replan_day))
            .collect();
        let replan = Replan {
            day: replan_day,
            budget: WeeklyBudget::PerWeek(Minutes::from_hours(10)),
            done: done.iter().map(|p| p.item.clone()).collect(),
            base: done.iter().map(|p| p.estimate).sum(),
        };
        let hours = |h: u32| Minutes::new(h * 60);
        let commitments = vec![
            (on(first, COMMIT_8), hours(8)),
            (on(first, COMMIT_10), hours(10)),
            (on(first, COMMIT_6), hours(6)),
            (on(first, COMMIT_8_AGAIN), hours(8)),
        ];
        let revisits = board::revisits(&progress, today, vacation);
        let notes = board::notes(&progress);
        let evidence = board::evidence(&tracks, &progress);
        Ok(Story {
            first,
            today,
            tracks,
            vacation,
            vacation_declared: on(vacation_start, -VACATION_NOTICE),
            commitments,
            sessions,
            progress,
            replan,
            revisits,
            notes,
            evidence,
        })
    }
}

fn monday_on_or_after(day: Date) -> Date {
    let ahead = (7 - i64::from(day.weekday().to_monday_zero_offset())) % 7;
    on(day, ahead)
}

/// A shipped curriculum planned from `start`: the order of its items and their estimates.
fn track(template: &'static str, budget: &'static str, start: Date) -> Result<Track> {
    let shipped = templates::find(template)
        .ok_or_else(|| anyhow!("the shipped template {template} is missing"))?;
    let curriculum = shipped
        .curriculum()
        .map_err(|_| anyhow!("the shipped template {template} does not parse"))?;
    let weekly = WeeklyBudget::parse(budget).map_err(|e| anyhow!("{e}"))?;
    let plan = plan_schedule(&PlanRequest::new(&curriculum, weekly, start))
        .map_err(|e| anyhow!("cannot plan {template}: {e}"))?;
    let mut items: Vec<_> = plan.items.iter().filter(|i| !i.done).collect();
    items.sort_by_key(|i| i.sequence);
    let order = items
        .iter()
        .map(|i| (i.id.clone(), i.minutes, i.mode))
        .collect();
    Ok(Track {
        template,
        source: shipped.source,
        curriculum,
        budget: weekly,
        start,
        order,
    })
}

/// Minutes studied on each track on each day from `first` to `today`.
fn study_days(first: Date, today: Date, vacation: (Date, Date)) -> Vec<(Date, [u32; 2])> {
    let mut rng = StdRng::seed_from_u64(0x0D15_C0DE);
    let mut days = Vec::new();
    let mut monday = on(first, -i64::from(first.weekday().to_monday_zero_offset()));
    while monday <= today {
        let pace = rng.random_range(0.85..1.25);
        let second_pace = rng.random_range(0.8..1.2);
        let sunday_off = rng.random_bool(0.85);
        let other_off = rng.random_bool(0.35).then(|| rng.random_range(0..6i64));
        let week: Vec<(Date, i64, bool, f64)> = (0..7)
            .map(|i| {
                let day = on(monday, i);
                let d = day.since(first).map_or(0, |s| i64::from(s.get_days()));
                let slow = (SLOW.0..=SLOW.1).contains(&d);
                let rest = (i == 6 && sunday_off)
                    || Some(i) == other_off
                    || (slow && rng.random_bool(0.4));
                let off = (vacation.0..=vacation.1).contains(&day)
                    || (rest && !(NO_REST.0..=NO_REST.1).contains(&d));
                let weight = match day.weekday() {
                    Weekday::Saturday => 1.5,
                    Weekday::Sunday => 1.2,
                    _ => 1.0,
                } * rng.random_range(0.7..1.3);
                (day, d, off, weight)
            })
            .collect();
        let total: f64 = week.iter().filter(|w| !w.2).map(|w| w.3).sum();
        for &(day, d, off, weight) in &week {
            if off || day < first || day > today || total <= 0.0 {
                continue;
            }
            let share = weight / total;
            let mut main = if d < SECOND_START { 600.0 } else { 420.0 } * pace * share;
            if (SLOW.0..=SLOW.1).contains(&d) {
                main /= 3.0;
            }
            if (BURNOUT.0..=BURNOUT.1).contains(&d) {
                main = rng.random_range(270.0..330.0);
            }
            let second = if d >= SECOND_START {
                300.0 * second_pace * share
            } else {
                0.0
            };
            // Today is not over yet.
            let part = if day == today { 0.5 } else { 1.0 };
            days.push((day, [(main * part) as u32, (second * part) as u32]));
        }
        monday = on(monday, 7);
    }
    days
}

/// The session length that cuts `entries` (minutes of one track on one day) into `logs`
/// sessions, every entry into at least one: found by bisection, since the count falls as the
/// length grows.
fn session_length(entries: &[u32], logs: usize) -> f64 {
    let count = |length: f64| -> f64 {
        entries
            .iter()
            .map(|&m| (f64::from(m) / length).max(1.0))
            .sum()
    };
    let (mut low, mut high) = (
        0.5,
        f64::from(entries.iter().copied().max().unwrap_or(1)) + 1.0,
    );
    for _ in 0..60 {
        let mid = (low + high) / 2.0;
        if count(mid) > logs as f64 {
            low = mid;
        } else {
            high = mid;
        }
    }
    high
}

/// `minutes` cut into `parts` pieces of at least a minute, of random sizes around the mean.
fn cut(rng: &mut StdRng, minutes: u32, parts: u32) -> Vec<u32> {
    let parts = parts.clamp(1, minutes.max(1));
    let weights: Vec<f64> = (0..parts).map(|_| rng.random_range(0.5..1.5)).collect();
    let sum: f64 = weights.iter().sum();
    let spare = minutes.saturating_sub(parts);
    let mut pieces: Vec<u32> = weights
        .iter()
        .map(|w| 1 + (f64::from(spare) * w / sum) as u32)
        .collect();
    let left = minutes.saturating_sub(pieces.iter().sum());
    let count = pieces.len();
    for i in 0..left as usize {
        pieces[i % count] += 1;
    }
    pieces
}

const LEARN_NOTES: [&str; 6] = [
    "Lecture notes, then the quiz.",
    "Worked through the chapter's exercises.",
    "Re-derived the gradient by hand.",
    "Watched a lecture at 1.25x and summarised it.",
    "Read the paper's method section twice.",
    "Flashcards for the new terms.",
];
const BUILD_NOTES: [&str; 4] = [
    "Cleaned the data and set up a baseline.",
    "Training run; the loss finally goes down.",
    "Fixed a shape bug in the data loader.",
    "Wrote up the results in the README.",
];
const REVIEW_NOTES: [&str; 3] = [
    "Went over last week's notes.",
    "Redid two old exercises from memory.",
    "Reviewed my flashcards.",
];

/// A session's kind and note: making items are mostly built, the rest mostly learned.
fn kind_and_note(rng: &mut StdRng, mode: Option<Mode>) -> (LogKind, &'static str) {
    let roll = rng.random_range(0..100u8);
    let kind = if mode == Some(Mode::Making) {
        match roll {
            0..75 => LogKind::Build,
            75..90 => LogKind::Learn,
            _ => LogKind::Review,
        }
    } else {
        match roll {
            0..78 => LogKind::Learn,
            78..95 => LogKind::Review,
            _ => LogKind::Build,
        }
    };
    let pool: &[&'static str] = match kind {
        LogKind::Learn => &LEARN_NOTES,
        LogKind::Build => &BUILD_NOTES,
        LogKind::Review => &REVIEW_NOTES,
    };
    let note = if rng.random_bool(0.35) {
        pool[rng.random_range(0..pool.len())]
    } else {
        ""
    };
    (kind, note)
}

/// The item each track is on, and how long it really takes.
#[derive(Debug, Default)]
struct Cursor {
    started: bool,
    next: usize,
    logged: u32,
    cost: u32,
}

/// Starts work on the cursor's item, if any is left, drawing how long it will really take.
fn begin(
    cursor: &mut Cursor,
    order: &[(ItemId, Minutes, Mode)],
    track: usize,
    at: Timestamp,
    costs: &mut StdRng,
    progress: &mut Vec<Progress>,
) {
    cursor.started = true;
    cursor.logged = 0;
    if let Some((id, estimate, _)) = order.get(cursor.next) {
        cursor.cost = (f64::from(estimate.get()) * costs.random_range(1.1..1.5)) as u32;
        progress.push(Progress {
            track,
            item: id.clone(),
            estimate: *estimate,
            logged: Minutes::ZERO,
            started: at,
            finished: None,
        });
    }
}

/// Cuts the days into sessions, in order, each on the item its track is working on; an item
/// is finished when its logged time reaches 1.1 to 1.5 times its estimate.
fn sessions(
    tracks: &[Track],
    days: &[(Date, [u32; 2])],
    logs: usize,
) -> Result<(Vec<Session>, Vec<Progress>)> {
    let entries: Vec<u32> = days
        .iter()
        .flat_map(|(_, m)| m.iter().copied())
        .filter(|&m| m > 0)
        .collect();
    let length = session_length(&entries, logs);
    let mut cutting = StdRng::seed_from_u64(0x5E55_1011);
    let mut costs = StdRng::seed_from_u64(0xC057);
    let mut cursors: Vec<Cursor> = tracks.iter().map(|_| Cursor::default()).collect();
    let (mut out, mut progress) = (Vec::new(), Vec::<Progress>::new());
    let (mut wanted, mut made) = (0.0f64, 0usize);
    for &(day, minutes) in days {
        let mut clock = cutting.random_range(420..570u32);
        for (t, &total) in minutes.iter().enumerate() {
            if total == 0 {
                continue;
            }
            wanted += (f64::from(total) / length).max(1.0);
            let parts = (wanted.round() as usize).saturating_sub(made).max(1);
            let pieces = cut(&mut cutting, total, u32::try_from(parts).unwrap_or(1));
            made += pieces.len();
            for piece in pieces {
                let at = stamp(day, clock)?;
                clock = (clock + piece + cutting.random_range(3..15u32)).min(23 * 60 - 1);
                let cursor = &mut cursors[t];
                let order = &tracks[t].order;
                if !cursor.started {
                    begin(cursor, order, t, at, &mut costs, &mut progress);
                }
                let current = order.get(cursor.next);
                let (kind, note) = kind_and_note(&mut cutting, current.map(|c| c.2));
                out.push(Session {
                    track: t,
                    item: current.map(|c| c.0.clone()),
                    minutes: Minutes::new(piece),
                    kind,
                    day,
                    at,
                    note,
                });
                if current.is_none() {
                    continue;
                }
                cursor.logged += piece;
                let Some(p) = progress.iter_mut().rev().find(|p| p.track == t) else {
                    continue;
                };
                p.logged = Minutes::new(cursor.logged);
                if cursor.logged >= cursor.cost {
                    let end = at + SignedDuration::from_mins(i64::from(piece));
                    p.finished = Some((day, end));
                    cursor.next += 1;
                    // The next card moves to "doing" at once.
                    begin(cursor, order, t, end, &mut costs, &mut progress);
                }
            }
        }
    }
    Ok((out, progress))
}
