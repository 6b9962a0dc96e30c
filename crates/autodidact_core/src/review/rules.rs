//! Spaced review of items a learner marked "worth revisiting": when each is next due, and how
//! due reviews are spread over the days a learner actually studies.
//!
//! # The algorithm
//!
//! Scheduling is FSRS (the Free Spaced Repetition Scheduler) through the `rs-fsrs` crate, with
//! its default weights, a requested retention of 90 %, no fuzz and the *long-term* scheduler
//! (`enable_short_term = false`): every interval is a whole number of days and there are no
//! learning steps measured in minutes, which would make no sense for a course or a book.
//!
//! FSRS works on instants; this module works on civil dates. A review on the date `d` is handed
//! to the algorithm as `d` at 12:00 UTC, and the next review is due on the civil date of the
//! instant it returns, which is always at least one day after the review. Because every
//! instant is at noon, differences between them are whole days and time zones play no part.
//!
//! # The rules
//!
//! - Marking an item worth revisiting counts as a first "good" recall on that day, so the first
//!   review is due after FSRS' first "good" interval (three days with the default weights).
//! - Each review then updates the memory (stability and difficulty) from the grade and from how
//!   long it has really been since the last review: reviewing late is allowed and, if the grade
//!   is good, grows the interval more than reviewing on time would.
//! - A review dated before the previous one is treated as happening on the day of the previous
//!   one (the clock never runs backwards for the algorithm).
//! - "Again" counts a lapse and gives a short interval; "hard", "good" and "easy" give
//!   intervals in increasing order.
//! - No interval is longer than [`MAX_INTERVAL_DAYS`] (a year; FSRS' own default is a
//!   century): these are courses, books and projects, and one seen less than once a year is
//!   as good as forgotten by the learner's plans. Once intervals reach it they stay there.
//! - Due dates never go past the last representable date (9999-12-31).
//!
//! [`spread`] then places due reviews on study days so that coming back from a break never
//! means a pile of overdue reviews on one day.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use jiff::SignedDuration;
use jiff::civil::Date;
use rs_fsrs::{Card, FSRS, Parameters, Rating, State};
use serde::{Deserialize, Serialize};

/// The longest interval between two reviews, in days.
pub const MAX_INTERVAL_DAYS: i64 = 365;

/// How well the learner remembered an item at a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Grade {
    /// Forgotten: the review counts as a lapse and comes back soon.
    Again,
    /// Remembered with difficulty.
    Hard,
    /// Remembered.
    Good,
    /// Remembered without effort.
    Easy,
}

impl Grade {
    /// Every grade, from worst to best.
    pub const ALL: [Grade; 4] = [Grade::Again, Grade::Hard, Grade::Good, Grade::Easy];

    /// The grade's stable name: `again`, `hard`, `good` or `easy`.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Again => "again",
            Grade::Hard => "hard",
            Grade::Good => "good",
            Grade::Easy => "easy",
        }
    }

    /// The grade named by [`Grade::as_str`], or `None` for any other text.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == raw)
    }

    fn rating(self) -> Rating {
        match self {
            Grade::Again => Rating::Again,
            Grade::Hard => Rating::Hard,
            Grade::Good => Rating::Good,
            Grade::Easy => Rating::Easy,
        }
    }
}

/// Why a stored review state could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// The text is not the JSON that [`ReviewState::to_json`] writes.
    #[error("the review state is not readable: {0}")]
    Json(#[from] serde_json::Error),
    /// The JSON is well formed but its values cannot belong to a real review history.
    #[error("the review state is inconsistent: {0}")]
    Invalid(&'static str),
}

/// What the store keeps for one item marked "worth revisiting": the dates, the counts and the
/// algorithm's memory of the item. [`ReviewState::to_json`] and [`ReviewState::from_json`]
/// turn it into a JSON string and back without loss.
///
/// The memory is FSRS' stability and difficulty. FSRS also has a card "state" (new, learning,
/// review, relearning); with the long-term scheduler every graded card is in the review state,
/// so it is not stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewState {
    /// The day the next review is due.
    pub due: Date,
    /// The day of the latest review, `None` before the first one.
    pub last: Option<Date>,
    /// The day the item was marked worth revisiting.
    pub marked: Date,
    /// Reviews done since the item was marked.
    pub reviews: u32,
    /// Reviews graded "again".
    pub lapses: u32,
    /// FSRS stability: the number of days after which the chance of remembering falls to 90 %.
    /// Kept to six decimals so that the JSON round trip is exact.
    pub stability: f64,
    /// FSRS difficulty, from 1 (easy to remember) to 10 (hard).
    pub difficulty: f64,
}

impl ReviewState {
    /// An item marked worth revisiting on `on`. Marking counts as a first "good" recall, so the
    /// first review is due after FSRS' first "good" interval, at least one day later.
    pub fn new(on: Date) -> Self {
        let now = noon(on);
        let card = Card {
            due: now,
            last_review: now,
            state: State::New,
            ..Card::default()
        };
        let next = scheduler().next(card, now, Rating::Good).card;
        ReviewState {
            due: due_after(on, now, next.due),
            last: None,
            marked: on,
            reviews: 0,
            lapses: 0,
            stability: six_decimals(next.stability),
            difficulty: six_decimals(next.difficulty),
        }
    }

    /// The state after a review on `on` graded `grade`. The review may be early or late; one
    /// dated before the previous review counts as on the day of the previous review.
    pub fn after(&self, grade: Grade, on: Date) -> Self {
        let base = self.since();
        let on = on.max(base);
        let now = noon(on);
        let card = Card {
            due: noon(self.due),
            stability: self.stability,
            difficulty: self.difficulty,
            elapsed_days: 0,
            scheduled_days: self.interval_days(),
            reps: i32::try_from(self.reviews.saturating_add(1)).unwrap_or(i32::MAX),
            lapses: i32::try_from(self.lapses).unwrap_or(i32::MAX),
            state: State::Review,
            last_review: noon(base),
        };
        let next = scheduler().next(card, now, grade.rating()).card;
        ReviewState {
            due: due_after(on, now, next.due),
            last: Some(on),
            marked: self.marked,
            reviews: self.reviews.saturating_add(1),
            lapses: self.lapses.saturating_add(u32::from(grade == Grade::Again)),
            stability: six_decimals(next.stability),
            difficulty: six_decimals(next.difficulty),
        }
    }

    /// The current interval in days: from the latest review (or, before the first one, from
    /// the day the item was marked) to the due day.
    pub fn interval_days(&self) -> i64 {
        days_between(self.since(), self.due)
    }

    /// The state as a JSON object, for the store.
    pub fn to_json(&self) -> String {
        // Dates, integers and finite floats always serialise; the fallback is never taken.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads back what [`ReviewState::to_json`] wrote, checking that the values make sense.
    pub fn from_json(s: &str) -> Result<Self, ReviewError> {
        let state: ReviewState = serde_json::from_str(s)?;
        if !(state.stability.is_finite() && state.stability > 0.0) {
            return Err(ReviewError::Invalid(
                "the stability must be a positive number",
            ));
        }
        if !(1.0..=10.0).contains(&state.difficulty) {
            return Err(ReviewError::Invalid(
                "the difficulty must be between 1 and 10",
            ));
        }
        if state.last.is_some_and(|last| last < state.marked) {
            return Err(ReviewError::Invalid(
                "the last review is before the item was marked",
            ));
        }
        // Equal only when the due day stopped at the last representable date.
        if state.due < state.since() {
            return Err(ReviewError::Invalid(
                "the due day cannot come before the last review",
            ));
        }
        if state.lapses > state.reviews {
            return Err(ReviewError::Invalid("there are more lapses than reviews"));
        }
        Ok(state)
    }

    /// The day the current interval started.
    fn since(&self) -> Date {
        self.last.unwrap_or(self.marked)
    }
}

/// The scheduler: FSRS defaults, long-term (whole days) only, no fuzz, intervals of at most
/// [`MAX_INTERVAL_DAYS`].
///
/// `Parameters::default()` draws a fuzz seed from the clock; the scheduler replaces it with
/// one derived from the review, and fuzz is off anyway, so results depend only on the inputs.
fn scheduler() -> FSRS {
    FSRS::new(Parameters {
        enable_short_term: false,
        enable_fuzz: false,
        maximum_interval: MAX_INTERVAL_DAYS as i32,
        ..Parameters::default()
    })
}

/// `day` at 12:00 UTC.
fn noon(day: Date) -> DateTime<Utc> {
    let seconds = day.duration_since(Date::constant(1970, 1, 1)).as_secs();
    DateTime::UNIX_EPOCH + TimeDelta::seconds(seconds + 12 * 3600)
}

/// The civil date of the algorithm's `due` instant, for a review at `now` (noon of `on`):
/// at least one day after `on` and at most [`MAX_INTERVAL_DAYS`] (the scheduler keeps "easy"
/// one day past "good" even at the maximum, so it is clamped again here).
fn due_after(on: Date, now: DateTime<Utc>, due: DateTime<Utc>) -> Date {
    let days = (due - now).num_days().clamp(1, MAX_INTERVAL_DAYS);
    on.saturating_add(SignedDuration::from_hours(days * 24))
}

/// Whole days from `from` to `to`.
fn days_between(from: Date, to: Date) -> i64 {
    to.duration_since(from).as_hours() / 24
}

fn six_decimals(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Spreads due reviews so that a break never leaves a pile.
///
/// `due` lists each review's key and due day. Reviews are placed one by one, earliest due
/// first (ties by key): each goes on the first day on or after the later of its due day and
/// `today` that is not a rest day (`rest` returns true) and holds fewer than `per_day` reviews
/// already; the rest move on to the following days. A `per_day` of 0 is taken as 1. If no day
/// in the ten years from there is free, the review stays on the later of its due day and
/// `today`.
///
/// Returns every review with the day it was placed on, in the order they were placed.
pub fn spread<K: Clone + Ord>(
    due: &[(K, Date)],
    rest: impl Fn(Date) -> bool,
    today: Date,
    per_day: usize,
) -> Vec<(K, Date)> {
    const SEARCH_DAYS: usize = 3653;
    let per_day = per_day.max(1);
    let mut order: Vec<&(K, Date)> = due.iter().collect();
    order.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
    let mut load: BTreeMap<Date, usize> = BTreeMap::new();
    let mut placed = Vec::with_capacity(due.len());
    for (key, due_on) in order {
        let start = (*due_on).max(today);
        let mut day = start;
        let mut found = None;
        for _ in 0..SEARCH_DAYS {
            if !rest(day) && load.get(&day).copied().unwrap_or(0) < per_day {
                found = Some(day);
                break;
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        let day = found.unwrap_or(start);
        *load.entry(day).or_insert(0) += 1;
        placed.push((key.clone(), day));
    }
    placed
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;
    use jiff::ToSpan;
    use jiff::civil::{Weekday, date};
    use proptest::prelude::*;

    /// Reviews on the due day with each grade in turn; the intervals after each review.
    fn intervals_on_time(start: Date, grades: &[Grade]) -> Vec<i64> {
        let mut state = ReviewState::new(start);
        grades
            .iter()
            .map(|&grade| {
                state = state.after(grade, state.due);
                state.interval_days()
            })
            .collect()
    }

    #[test]
    fn grades_have_stable_names() {
        for grade in Grade::ALL {
            assert_eq!(Grade::parse(grade.as_str()), Some(grade));
        }
        assert_eq!(Grade::parse("Good"), None);
        assert_eq!(Grade::Again.as_str(), "again");
    }

    #[test]
    fn marking_an_item_makes_it_due_after_the_first_good_interval() {
        let state = ReviewState::new(date(2026, 3, 2));
        assert_eq!(state.marked, date(2026, 3, 2));
        assert_eq!(state.last, None);
        assert_eq!(state.reviews, 0);
        assert!(state.interval_days() >= 1);
        assert_eq!(state.due, date(2026, 3, 2) + state.interval_days().days());
        assert_eq!(state.interval_days(), 3);
    }

    #[test]
    fn good_four_times_in_a_row_gives_strictly_growing_intervals() {
        let intervals = intervals_on_time(date(2026, 3, 2), &[Grade::Good; 4]);
        let first = ReviewState::new(date(2026, 3, 2)).interval_days();
        assert!(first < intervals[0], "{first} then {intervals:?}");
        assert!(intervals.windows(2).all(|w| w[0] < w[1]), "{intervals:?}");
    }

    #[test]
    fn easy_gives_a_longer_interval_than_good_and_good_than_hard() {
        let state = ReviewState::new(date(2026, 3, 2));
        let next = |grade| state.after(grade, state.due).interval_days();
        let (again, hard, good, easy) = (
            next(Grade::Again),
            next(Grade::Hard),
            next(Grade::Good),
            next(Grade::Easy),
        );
        assert!(
            again < hard && hard < good && good < easy,
            "{again} {hard} {good} {easy}"
        );
    }

    #[test]
    fn again_shortens_the_interval_and_counts_a_lapse() {
        let mut state = ReviewState::new(date(2026, 1, 5));
        for _ in 0..3 {
            state = state.after(Grade::Good, state.due);
        }
        let before = state.interval_days();
        let lapsed = state.after(Grade::Again, state.due);
        assert!(
            lapsed.interval_days() < before,
            "{before} then {}",
            lapsed.interval_days()
        );
        assert!(lapsed.interval_days() >= 1);
        assert_eq!((lapsed.reviews, lapsed.lapses), (4, 1));
        assert!(lapsed.stability < state.stability);
    }

    #[test]
    fn a_late_review_still_grows_the_interval() {
        let state = ReviewState::new(date(2026, 3, 2)).after(Grade::Good, date(2026, 3, 5));
        let late = state.due + 20.days();
        let on_time = state.after(Grade::Good, state.due);
        let reviewed_late = state.after(Grade::Good, late);
        assert_eq!(reviewed_late.last, Some(late));
        assert!(reviewed_late.interval_days() > state.interval_days());
        assert!(reviewed_late.interval_days() >= on_time.interval_days());
    }

    #[test]
    fn a_review_dated_before_the_last_counts_on_the_last_day() {
        let state = ReviewState::new(date(2026, 3, 2)).after(Grade::Good, date(2026, 3, 5));
        let back = state.after(Grade::Good, date(2026, 3, 1));
        assert_eq!(back.last, Some(date(2026, 3, 5)));
        assert!(back.due > date(2026, 3, 5));
    }

    #[test]
    fn the_state_survives_a_json_round_trip() {
        let state = ReviewState::new(date(2026, 3, 2))
            .after(Grade::Good, date(2026, 3, 5))
            .after(Grade::Again, date(2026, 3, 20))
            .after(Grade::Easy, date(2026, 3, 21));
        let json = state.to_json();
        assert!(json.contains("\"due\":\"2026-"), "{json}");
        assert_eq!(ReviewState::from_json(&json).unwrap(), state);
    }

    #[test]
    fn unreadable_or_inconsistent_json_is_refused() {
        assert!(matches!(
            ReviewState::from_json("{"),
            Err(ReviewError::Json(_))
        ));
        let mut state = ReviewState::new(date(2026, 3, 2));
        state.due = date(2026, 3, 1);
        assert!(matches!(
            ReviewState::from_json(&state.to_json()),
            Err(ReviewError::Invalid(_))
        ));
        let mut state = ReviewState::new(date(2026, 3, 2));
        state.difficulty = 11.0;
        assert!(ReviewState::from_json(&state.to_json()).is_err());
    }

    #[test]
    fn due_dates_stop_at_the_last_representable_day() {
        let mut state = ReviewState::new(date(9999, 12, 20));
        state = state.after(Grade::Easy, state.due);
        assert_eq!(state.due, Date::MAX);
        let state = state.after(Grade::Good, Date::MAX);
        assert_eq!(state.due, Date::MAX);
        assert_eq!(ReviewState::from_json(&state.to_json()).unwrap(), state);
    }

    #[test]
    fn nine_reviews_due_during_a_two_week_break_land_on_five_days_after_it() {
        // A break from Monday 2 to Sunday 15 March 2026, Sundays off, back on Wednesday 18.
        let rest = |d: Date| {
            (date(2026, 3, 2)..=date(2026, 3, 15)).contains(&d) || d.weekday() == Weekday::Sunday
        };
        let today = date(2026, 3, 18);
        let due: Vec<(u32, Date)> = (0..9)
            .map(|n| (n, date(2026, 3, 3) + (n as i64).days()))
            .collect();
        let placed = spread(&due, rest, today, 2);
        assert_eq!(placed.len(), 9);
        let mut days: BTreeMap<Date, usize> = BTreeMap::new();
        for (_, day) in &placed {
            assert!(!rest(*day) && *day >= today, "{day}");
            *days.entry(*day).or_insert(0) += 1;
        }
        let expected = [(18, 2), (19, 2), (20, 2), (21, 2), (23, 1)];
        let expected: BTreeMap<Date, usize> = expected
            .into_iter()
            .map(|(d, n)| (date(2026, 3, d), n))
            .collect();
        assert_eq!(days, expected);
        // Earliest due first: the first two reviews are back first.
        assert_eq!(&placed[..2], &[(0, today), (1, today)]);
    }

    #[test]
    fn ties_are_broken_by_key_and_future_reviews_stay_put() {
        let day = date(2026, 5, 4);
        let due = [
            ("b", day),
            ("a", day),
            ("c", day),
            ("later", date(2026, 6, 1)),
        ];
        let placed = spread(&due, |_| false, date(2026, 5, 1), 2);
        assert_eq!(
            placed,
            vec![
                ("a", day),
                ("b", day),
                ("c", date(2026, 5, 5)),
                ("later", date(2026, 6, 1))
            ]
        );
    }

    fn good_or_easy() -> impl Strategy<Value = Grade> {
        prop_oneof![Just(Grade::Good), Just(Grade::Easy)]
    }

    fn any_grade() -> impl Strategy<Value = Grade> {
        prop::sample::select(Grade::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn intervals_grow_with_good_and_easy_grades_reviewed_on_time(
            start in 0i64..20_000,
            grades in prop::collection::vec(good_or_easy(), 1..8),
        ) {
            let start = date(2000, 1, 1) + start.days();
            let mut intervals = vec![ReviewState::new(start).interval_days()];
            intervals.extend(intervals_on_time(start, &grades));
            // Strictly growing until the maximum, then staying there.
            for w in intervals.windows(2) {
                prop_assert!(w[0] < w[1] || w[0] == MAX_INTERVAL_DAYS && w[1] == w[0], "{:?}", intervals);
            }
        }

        #[test]
        fn any_history_survives_a_json_round_trip(
            grades in prop::collection::vec((any_grade(), 0i64..400), 0..12),
        ) {
            let mut state = ReviewState::new(date(2026, 1, 1));
            for (grade, after_last) in grades {
                let on = state.last.unwrap_or(state.marked) + after_last.days();
                state = state.after(grade, on);
                prop_assert!(state.due > on);
            }
            prop_assert_eq!(ReviewState::from_json(&state.to_json()).unwrap(), state);
        }

        #[test]
        fn spread_respects_the_limit_rest_days_today_and_due_days(
            due in prop::collection::vec((0u8..50, 0i64..120), 0..40),
            today in 0i64..120,
            rest_weekdays in prop::collection::btree_set(1i8..=7, 0..7),
            break_days in (0i64..120, 0i64..30),
            per_day in 1usize..4,
        ) {
            let origin = date(2026, 1, 1);
            let due: Vec<(u8, Date)> = due.into_iter().map(|(k, d)| (k, origin + d.days())).collect();
            let today = origin + today.days();
            let (break_from, break_len) = (origin + break_days.0.days(), break_days.1);
            let rest = |d: Date| {
                rest_weekdays.contains(&d.weekday().to_monday_one_offset())
                    || (break_from..=break_from + break_len.days()).contains(&d)
            };
            let placed = spread(&due, rest, today, per_day);
            prop_assert_eq!(placed.len(), due.len());
            let mut load: BTreeMap<Date, usize> = BTreeMap::new();
            for (_, day) in &placed {
                prop_assert!(!rest(*day) && *day >= today);
                *load.entry(*day).or_insert(0) += 1;
            }
            prop_assert!(load.values().all(|&n| n <= per_day));
            // Placed in order of due day, then key: each keeps its key and is not early.
            let mut wanted = due.clone();
            wanted.sort_by_key(|a| (a.1, a.0));
            for ((key, due_on), (placed_key, day)) in wanted.iter().zip(&placed) {
                prop_assert_eq!(key, placed_key);
                prop_assert!(day >= due_on);
            }
        }
    }
}
