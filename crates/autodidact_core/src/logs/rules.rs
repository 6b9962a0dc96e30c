//! The rules of a study log, as pure functions: reading a duration, a kind, a day and a note
//! as people write them, and which item a client names. The service (`super::service`)
//! applies them before anything is stored, whichever front end the log came from.
//!
//! A log holds 1 to 1,440 minutes, is dated at most a day after the learner's today (someone
//! logging late in the evening may be ahead of the server's idea of the date, never further)
//! and not before 1900, a day's logs hold at most 24 h together (the store checks it in the
//! transaction that writes, `DAY_FULL`), and, when it names an item, the item is in a
//! curriculum the learner follows.

use crate::accounts::UserId;
use crate::curriculum::{ItemId, Minutes};
use crate::store::{FollowId, LogChange, LogKind, NewLog};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};

/// The most minutes one log may hold: a whole day.
pub const MAX_MINUTES: u32 = 1440;
/// The name of the store's refusal when a day's logs would hold more than 24 h
/// (`StoreError::Conflict`).
pub const DAY_FULL: &str = "log_days_day_total";
/// The longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;
/// The longest idempotency key a client may send.
pub const MAX_KEY_CHARS: usize = 200;

/// Why a log was refused. Each message says what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogError {
    #[error("give the time you spent, such as 45, 90m or 1.5h")]
    MissingDuration,
    #[error("`{0}` is not a duration: write minutes (45 or 90m) or hours (1.5h or 1h30m)")]
    NotADuration(String),
    #[error(
        "a log holds 1 to {MAX_MINUTES} minutes (24 h), and {0} minutes is outside that: split longer work over several days"
    )]
    MinutesOutOfRange(i64),
    #[error("`{0}` is not a kind of study: choose learn, build or review")]
    UnknownKind(String),
    #[error("`{0}` is not a date: write it as year-month-day, for example `2026-09-07`")]
    NotADate(String),
    #[error("{day} is more than a day after today ({today}): log time you have spent")]
    TooFarAhead { day: Date, today: Date },
    #[error("{0}")]
    OutsideCalendar(#[from] crate::plan::OutsideCalendar),
    #[error(
        "a day holds at most 24 h of logs, and {0} would hold more with this one: check the date, or the time of the other logs that day"
    )]
    DayFull(Date),
    #[error("a note has at most {MAX_NOTE_CHARS} characters, and this one has {0}")]
    NoteTooLong(usize),
    #[error(
        "no item `{0}`: you follow no curriculum yet, so log without an item or follow one first"
    )]
    NothingFollowed(String),
    #[error("no item `{item}` in the curricula you follow{hint}; you follow: {followed}")]
    UnknownItem {
        item: String,
        /// `: did you mean `x`?`, or nothing.
        hint: String,
        followed: String,
    },
    #[error(
        "`{item}` is in more than one curriculum you follow ({choices}): say which with its curriculum"
    )]
    AmbiguousItem { item: String, choices: String },
    #[error("you do not follow curriculum {0}: give one you follow, or leave it out")]
    CurriculumNotFollowed(i64),
    #[error("you have no follow {0}: give one of yours, or leave it out")]
    FollowNotFound(i64),
    #[error("choose an item from the list, or no item")]
    UnknownChoice,
    #[error("give either a follow or a curriculum for the item, not both")]
    FollowAndCurriculum,
    #[error("a follow or curriculum was given without an item: give the item's id too")]
    PlaceWithoutItem,
    #[error("to mark an item done with the log, choose the item")]
    FinishWithoutItem,
    #[error(
        "an idempotency key is 1 to {MAX_KEY_CHARS} visible ASCII characters, such as a random UUID"
    )]
    BadIdempotencyKey,
    #[error(
        "this idempotency key was used for a different log: send a new key for a new log, and the same body when retrying"
    )]
    IdempotencyKeyReused,
}

impl LogError {
    /// The form field the message belongs next to.
    pub fn field(&self) -> &'static str {
        match self {
            LogError::MissingDuration
            | LogError::NotADuration(_)
            | LogError::MinutesOutOfRange(_) => "duration",
            LogError::UnknownKind(_) => "kind",
            LogError::NotADate(_)
            | LogError::TooFarAhead { .. }
            | LogError::OutsideCalendar(_)
            | LogError::DayFull(_) => "date",
            LogError::NoteTooLong(_) => "note",
            LogError::NothingFollowed(_)
            | LogError::UnknownItem { .. }
            | LogError::AmbiguousItem { .. }
            | LogError::CurriculumNotFollowed(_)
            | LogError::FollowNotFound(_)
            | LogError::UnknownChoice
            | LogError::FollowAndCurriculum
            | LogError::PlaceWithoutItem
            | LogError::FinishWithoutItem => "item",
            LogError::BadIdempotencyKey | LogError::IdempotencyKeyReused => "idempotency_key",
        }
    }
}

/// Time spent, as people write it: `45` (minutes), `90m`, `1.5h`, `1h30m`, `1:30`.
pub fn parse_duration(raw: &str) -> Result<Minutes, LogError> {
    let text = raw.trim().to_ascii_lowercase().replace(',', ".");
    if text.is_empty() {
        return Err(LogError::MissingDuration);
    }
    let minutes = match text.split_once(':') {
        Some((h, m)) => match (h.trim().parse::<u32>(), m.trim().parse::<u32>()) {
            (Ok(h), Ok(m)) if m < 60 => Some(f64::from(h) * 60.0 + f64::from(m)),
            _ => None,
        },
        None => sum_of_units(&text),
    };
    let minutes = minutes.ok_or_else(|| LogError::NotADuration(raw.trim().to_owned()))?;
    // Rounded to whole minutes; far larger values are still only reported, never stored.
    check_minutes(minutes.round().min(1e12) as i64)
}

/// `1h30m`, `2 hours`, `90 min`: numbers each with an optional unit (minutes when none).
fn sum_of_units(text: &str) -> Option<f64> {
    let mut total = 0.0;
    let mut rest = text.trim();
    let mut parts = 0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_len].parse().ok()?;
        rest = rest[number_len..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_len] {
            "" | "m" | "min" | "mins" | "minute" | "minutes" => 1.0,
            "h" | "hr" | "hrs" | "hour" | "hours" => 60.0,
            _ => return None,
        };
        rest = rest[unit_len..].trim_start();
        total += number * factor;
        parts += 1;
        if parts > 3 {
            return None;
        }
    }
    total.is_finite().then_some(total)
}

/// Minutes as a number, as the API and the command line give them.
pub fn check_minutes(minutes: i64) -> Result<Minutes, LogError> {
    match u32::try_from(minutes) {
        Ok(m) if (1..=MAX_MINUTES).contains(&m) => Ok(Minutes::new(m)),
        _ => Err(LogError::MinutesOutOfRange(minutes)),
    }
}

/// A kind as typed; nothing means `learn`.
pub fn parse_kind(raw: &str) -> Result<LogKind, LogError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(LogKind::Learn);
    }
    LogKind::parse(&raw.to_ascii_lowercase()).ok_or_else(|| LogError::UnknownKind(raw.to_owned()))
}

/// A date as typed; nothing means today.
pub fn parse_day(raw: &str, today: Date) -> Result<Date, LogError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(today);
    }
    let day = raw
        .parse::<Date>()
        .map_err(|_| LogError::NotADate(raw.to_owned()))?;
    check_day(day, today)
}

/// At most a day after the learner's today, and not before 1900.
pub fn check_day(day: Date, today: Date) -> Result<Date, LogError> {
    let latest = today.checked_add(1.day()).unwrap_or(today);
    if day > latest {
        return Err(LogError::TooFarAhead { day, today });
    }
    Ok(crate::plan::check_calendar_day(day)?)
}

pub fn check_note(raw: &str) -> Result<String, LogError> {
    let note = raw.trim();
    let len = note.chars().count();
    if len > MAX_NOTE_CHARS {
        return Err(LogError::NoteTooLong(len));
    }
    Ok(note.to_owned())
}

/// A client's idempotency key: kept when it is 1 to 200 visible ASCII characters.
pub fn check_key(raw: &str) -> Option<String> {
    let ok =
        !raw.is_empty() && raw.len() <= MAX_KEY_CHARS && raw.bytes().all(|b| b.is_ascii_graphic());
    ok.then(|| raw.to_owned())
}

// ---------------------------------------------------------------------------------------------
// Items

/// Which item a log is about, as a client names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemTarget {
    /// An item id alone: it must be in exactly one of the learner's follows.
    Anywhere(String),
    InFollow {
        follow: i64,
        item: String,
    },
    InCurriculum {
        curriculum: i64,
        item: String,
    },
}

impl ItemTarget {
    /// From the API's and the command line's three optional fields.
    pub fn from_parts(
        follow: Option<i64>,
        curriculum: Option<i64>,
        item: Option<String>,
    ) -> Result<Option<Self>, LogError> {
        let item = item.map(|i| i.trim().to_owned()).filter(|i| !i.is_empty());
        match (follow, curriculum, item) {
            (None, None, None) => Ok(None),
            (Some(_), Some(_), _) => Err(LogError::FollowAndCurriculum),
            (_, _, None) => Err(LogError::PlaceWithoutItem),
            (Some(follow), None, Some(item)) => Ok(Some(Self::InFollow { follow, item })),
            (None, Some(curriculum), Some(item)) => {
                Ok(Some(Self::InCurriculum { curriculum, item }))
            }
            (None, None, Some(item)) => Ok(Some(Self::Anywhere(item))),
        }
    }

    /// From a form's `<select>`: `{follow}:{item}`, or nothing.
    pub fn from_choice(raw: &str) -> Result<Option<Self>, LogError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        match raw.split_once(':') {
            Some((follow, item)) => {
                let follow = follow.parse().map_err(|_| LogError::UnknownChoice)?;
                Ok(Some(Self::InFollow {
                    follow,
                    item: item.to_owned(),
                }))
            }
            None => Ok(Some(Self::Anywhere(raw.to_owned()))),
        }
    }

    pub(super) fn item(&self) -> &str {
        match self {
            Self::Anywhere(item)
            | Self::InFollow { item, .. }
            | Self::InCurriculum { item, .. } => item,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A checked log

/// A log that passed every rule, ready to store as new or as a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogDraft {
    pub minutes: Minutes,
    pub kind: LogKind,
    pub day: Date,
    pub note: String,
    pub target: Option<(FollowId, ItemId)>,
}

impl LogDraft {
    pub fn into_new(self, user: UserId, idempotency_key: Option<String>, now: Timestamp) -> NewLog {
        let (follow, item) = self.target.unzip();
        NewLog {
            user,
            follow,
            item,
            minutes: self.minutes,
            kind: self.kind,
            day: self.day,
            note: self.note,
            idempotency_key,
            // Time logged on an item means it is under way.
            start_item: true,
            finish_item: false,
            now,
        }
    }

    pub fn into_change(self) -> LogChange {
        let (follow, item) = self.target.unzip();
        LogChange {
            follow,
            item,
            minutes: self.minutes,
            kind: self.kind,
            day: self.day,
            note: self.note,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;

    fn minutes(raw: &str) -> Result<u32, LogError> {
        parse_duration(raw).map(Minutes::get)
    }

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(minutes("45"), Ok(45));
        assert_eq!(minutes("90m"), Ok(90));
        assert_eq!(minutes(" 90 min "), Ok(90));
        assert_eq!(minutes("1.5h"), Ok(90));
        assert_eq!(minutes("1,5 h"), Ok(90));
        assert_eq!(minutes("2 hours"), Ok(120));
        assert_eq!(minutes("1h30m"), Ok(90));
        assert_eq!(minutes("1h 30"), Ok(90));
        assert_eq!(minutes("1:30"), Ok(90));
        assert_eq!(minutes("24h"), Ok(1440));
    }

    #[test]
    fn durations_out_of_range_or_unreadable_are_refused() {
        assert_eq!(minutes(""), Err(LogError::MissingDuration));
        assert_eq!(minutes("0"), Err(LogError::MinutesOutOfRange(0)));
        assert_eq!(minutes("1441"), Err(LogError::MinutesOutOfRange(1441)));
        assert_eq!(minutes("25h"), Err(LogError::MinutesOutOfRange(1500)));
        assert!(matches!(minutes("abc"), Err(LogError::NotADuration(_))));
        assert!(matches!(minutes("-5"), Err(LogError::NotADuration(_))));
        assert!(matches!(minutes("1:75"), Err(LogError::NotADuration(_))));
        assert!(matches!(minutes("5 days"), Err(LogError::NotADuration(_))));
    }

    #[test]
    fn a_date_may_be_at_most_a_day_ahead() {
        let today = jiff::civil::date(2026, 3, 10);
        assert_eq!(parse_day("", today), Ok(today));
        assert_eq!(
            parse_day("2026-03-11", today),
            Ok(jiff::civil::date(2026, 3, 11))
        );
        assert!(matches!(
            parse_day("2026-03-12", today),
            Err(LogError::TooFarAhead { .. })
        ));
        assert!(matches!(
            parse_day("10/03/2026", today),
            Err(LogError::NotADate(_))
        ));
    }
}
