//! How a timer's run becomes a log.
//!
//! Rules:
//! - The time logged is the run rounded to the nearest whole minute.
//! - A run under half a minute logs nothing (the timer is stopped all the same).
//! - A run of more than 24 hours is not logged: a log holds at most a day, and a timer left
//!   running overnight is a forgotten one. The learner discards it and logs by hand.
//! - The log is dated the day the timer started, in the learner's zone.

use jiff::Timestamp;

use crate::curriculum::Minutes;
use crate::logs::MAX_MINUTES;

/// Why a timer could not be started or stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimerError {
    /// Another timer runs; one at a time.
    #[error("a timer is already running{on} since {since}: stop it (or discard it) first")]
    AlreadyRunning { on: String, since: String },
    #[error("no timer is running: start one first")]
    NotRunning,
    #[error("the timer ran for less than half a minute, so there was nothing to log")]
    TooShort,
    #[error(
        "the timer ran for {hours} h, more than the 24 h a log can hold: it was probably left running; discard it and log the time you spent by hand"
    )]
    TooLong { hours: i64 },
}

/// The whole minutes from `started_at` to `now`, rounded to the nearest.
pub fn elapsed_minutes(started_at: Timestamp, now: Timestamp) -> Result<Minutes, TimerError> {
    let seconds = now.duration_since(started_at).as_secs().max(0);
    let minutes = (seconds + 30) / 60;
    if minutes < 1 {
        return Err(TimerError::TooShort);
    }
    if minutes > i64::from(MAX_MINUTES) {
        return Err(TimerError::TooLong {
            hours: seconds / 3600,
        });
    }
    Ok(Minutes::new(u32::try_from(minutes).unwrap_or(MAX_MINUTES)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use jiff::SignedDuration;

    use super::*;

    #[test]
    fn a_run_is_rounded_to_the_nearest_minute_within_a_day() {
        let start: Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
        let after = |secs: i64| start + SignedDuration::from_secs(secs);
        assert_eq!(elapsed_minutes(start, after(29)), Err(TimerError::TooShort));
        assert_eq!(elapsed_minutes(start, after(30)), Ok(Minutes::new(1)));
        assert_eq!(
            elapsed_minutes(start, after(45 * 60 + 29)),
            Ok(Minutes::new(45))
        );
        assert_eq!(
            elapsed_minutes(start, after(24 * 3600)),
            Ok(Minutes::new(1440))
        );
        assert_eq!(
            elapsed_minutes(start, after(31 * 3600)),
            Err(TimerError::TooLong { hours: 31 })
        );
        // A clock that went back counts as no time.
        assert_eq!(
            elapsed_minutes(start, after(-600)),
            Err(TimerError::TooShort)
        );
    }
}
