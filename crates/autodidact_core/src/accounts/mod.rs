//! People and their credentials: the rules for handles, emails, passwords and settings, and
//! (in `service`) the account's use cases: signing up and in (throttled, see `crate::throttle`),
//! a new password or email, deleting the account, and a forgotten password's one-time link. Sessions live in the web crate; hashing is `crate::secrets`.

mod service;
mod signup;

pub use service::{
    AccountError, Attempt, PasswordHasher, RESET_LINK_LIFETIME, SESSION_MAX_DAYS, SignInError,
    SignUp, SignUpError, ask_password_reset, change_email, change_password, delete_account,
    finish_password_reset, reset_link_user, reset_url, save_pacing, session_expiry,
    session_within_lifetime, sign_in, sign_up, start_password_reset,
};
pub use signup::{
    ConfirmSignUpError, SIGN_UP_LINK_LIFETIME, SignUpRequest, confirm_sign_up, request_sign_up,
    sign_up_url,
};

use std::fmt;

use jiff::civil::{Date, Weekday};

use crate::plan::History;
use serde::Serialize;

/// A user's numeric id. Ids are random, so that they say nothing about how many users exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UserId(pub i64);

/// Written as a string of digits: ids are 64-bit, and JSON numbers that large lose digits in
/// JavaScript.
impl Serialize for UserId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// `@ada`: 3–30 characters of lowercase letters, digits, `_` and `-`, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Handle(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandleError {
    #[error("a handle has 3 to 30 characters")]
    Length,
    #[error("a handle starts with a letter and has only lowercase letters, digits, `_` and `-`")]
    Characters,
    #[error("`{0}` is reserved: choose another handle")]
    Reserved(String),
}

const RESERVED_HANDLES: &[&str] = &[
    "admin",
    "api",
    "app",
    "about",
    "account",
    "assets",
    "autodidact",
    "explore",
    "help",
    "login",
    "logout",
    "new",
    "root",
    "settings",
    "signin",
    "signout",
    "signup",
    "static",
    "support",
    "system",
    "www",
];

impl Handle {
    pub fn parse(raw: &str) -> Result<Self, HandleError> {
        let handle = raw.trim().trim_start_matches('@').to_ascii_lowercase();
        if !(3..=30).contains(&handle.len()) {
            return Err(HandleError::Length);
        }
        let mut chars = handle.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        let rest_ok =
            chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if !first_ok || !rest_ok {
            return Err(HandleError::Characters);
        }
        if RESERVED_HANDLES.contains(&handle.as_str()) {
            return Err(HandleError::Reserved(handle));
        }
        Ok(Self(handle))
    }

    /// For values read back from storage, which were parsed on the way in.
    pub fn from_trusted(raw: String) -> Self {
        Self(raw)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An email address, lowercased. Checked for shape only; nothing is sent to it yet.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` does not look like an email address: write it as name@example.org")]
pub struct EmailError(pub String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let email = raw.trim().to_lowercase();
        let valid = email.len() <= 254
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
            })
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        if valid {
            Ok(Self(email))
        } else {
            Err(EmailError(raw.trim().to_owned()))
        }
    }

    pub fn from_trusted(raw: String) -> Self {
        Self(raw)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A display name: 1–80 characters, no control characters.
pub fn parse_display_name(raw: &str) -> Result<String, DisplayNameError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(DisplayNameError);
    }
    if name.chars().any(char::is_control) {
        return Err(DisplayNameError);
    }
    Ok(name.to_owned())
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a display name has 1 to 80 characters")]
pub struct DisplayNameError;

/// A password as typed, before hashing. Never logged, never stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("a password has at least 8 characters")]
    TooShort,
    #[error("a password has at most 128 characters")]
    TooLong,
    #[error("this password is on the list of the most common passwords: choose another")]
    Common,
}

/// The bundled list of common passwords, one per line, lowercase.
const COMMON_PASSWORDS: &str = include_str!("../../data/common-passwords.txt");

impl Password {
    /// The rules for a new password: length, and not a common one.
    pub fn parse_new(raw: &str) -> Result<Self, PasswordError> {
        let len = raw.chars().count();
        if len < 8 {
            return Err(PasswordError::TooShort);
        }
        if len > 128 {
            return Err(PasswordError::TooLong);
        }
        let lower = raw.to_lowercase();
        if COMMON_PASSWORDS.lines().any(|common| common == lower) {
            return Err(PasswordError::Common);
        }
        Ok(Self(raw.to_owned()))
    }

    /// A password typed at sign-in: no policy, only a bound on its size.
    pub fn for_sign_in(raw: &str) -> Self {
        Self(raw.chars().take(256).collect())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A learner's settings that every date depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// The learner's time zone: every "today" and every day a thing happened is read in it.
    pub timezone: Zone,
    pub week_start: WeekStart,
    pub pacing: Pacing,
    /// Which delay before a looser commitment held on each day (see [`Settings::delays`]);
    /// empty means `pacing.loosen_delay_days` always.
    pub delay_history: History<u32>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            timezone: Zone::utc(),
            week_start: WeekStart(Weekday::Monday),
            pacing: Pacing::default(),
            delay_history: History::default(),
        }
    }
}

impl Settings {
    /// The delay before a looser commitment, day by day: the stored history, or the one
    /// delay since always.
    pub fn delays(&self) -> History<u32> {
        if self.delay_history.is_empty() {
            History::starting(Date::constant(1970, 1, 1), self.pacing.loosen_delay_days)
        } else {
            self.delay_history.clone()
        }
    }

    /// These settings with `pacing`, on `today`. The delay before a looser commitment is
    /// itself under the delay: a longer one holds at once, a shorter one only after the delay
    /// in force today, so the lock cannot be switched off to lower a commitment at once.
    /// Returns the settings and the day the new delay holds from.
    pub fn with_pacing(&self, pacing: Pacing, today: Date) -> (Settings, Date) {
        let mut delays = self.delays();
        let now = delays.on(today).unwrap_or(self.pacing.loosen_delay_days);
        let from = if pacing.loosen_delay_days >= now {
            today
        } else {
            today
                .checked_add(jiff::Span::new().days(i64::from(now)))
                .unwrap_or(today)
        };
        delays.set_from(from, pacing.loosen_delay_days);
        let settings = Settings {
            pacing,
            delay_history: delays,
            ..self.clone()
        };
        (settings, from)
    }
}

/// How the learner wants their own record judged: what counts as a study day, how much rest
/// a week has, where the burnout guard and the making nudge speak up, and how long a looser
/// commitment waits. Every field is bounded by [`Pacing::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pacing {
    /// A day counts for the streak with at least this many minutes.
    pub streak_min_minutes: u32,
    /// Days a week that may go without study and keep the streak.
    pub rest_days_per_week: u8,
    /// The sustainable ceiling for 7 days, as a percentage of the weekly budget.
    pub ceiling_percent: u32,
    /// Below this share of making (building) over four weeks, a nudge appears.
    pub making_threshold_percent: u32,
    /// Days before lowering or pausing a commitment takes effect.
    pub loosen_delay_days: u32,
}

impl Default for Pacing {
    fn default() -> Self {
        Self {
            streak_min_minutes: 15,
            rest_days_per_week: 1,
            ceiling_percent: 150,
            making_threshold_percent: 20,
            loosen_delay_days: 7,
        }
    }
}

/// Which pacing field is out of bounds, with the bounds, for the settings form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PacingError {
    #[error("a study day needs between 1 and 600 minutes")]
    StreakMinutes,
    #[error("rest days a week go from 0 to 3")]
    RestDays,
    #[error("the sustainable ceiling goes from 100% to 400% of the weekly budget")]
    Ceiling,
    #[error("the making threshold goes from 0% to 100%")]
    MakingThreshold,
    #[error("the delay before a looser commitment goes from 0 to 60 days")]
    LoosenDelay,
}

impl Pacing {
    /// The bounds every stored value keeps; the database checks the same ones.
    pub fn check(&self) -> Result<(), PacingError> {
        if !(1..=600).contains(&self.streak_min_minutes) {
            return Err(PacingError::StreakMinutes);
        }
        if self.rest_days_per_week > 3 {
            return Err(PacingError::RestDays);
        }
        if !(100..=400).contains(&self.ceiling_percent) {
            return Err(PacingError::Ceiling);
        }
        if self.making_threshold_percent > 100 {
            return Err(PacingError::MakingThreshold);
        }
        if self.loosen_delay_days > 60 {
            return Err(PacingError::LoosenDelay);
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(into = "i8")]
pub struct WeekStart(pub Weekday);

impl From<WeekStart> for i8 {
    fn from(w: WeekStart) -> i8 {
        w.0.to_monday_zero_offset()
    }
}

impl WeekStart {
    pub fn from_monday_zero(n: i64) -> Self {
        let n = i8::try_from(n.rem_euclid(7)).unwrap_or(0);
        Self(Weekday::from_monday_zero_offset(n).unwrap_or(Weekday::Monday))
    }
}

/// An IANA time zone, checked against the bundled time zone database when parsed. "Today in
/// the learner's zone" is [`Zone::today`], and nowhere else.
#[derive(Debug, Clone)]
pub struct Zone {
    name: String,
    tz: jiff::tz::TimeZone,
}

impl Zone {
    /// A zone name such as `Europe/Amsterdam`.
    pub fn parse(raw: &str) -> Result<Self, TimezoneError> {
        let name = raw.trim();
        jiff::tz::TimeZone::get(name)
            .map(|tz| Self {
                name: name.to_owned(),
                tz,
            })
            .map_err(|_| TimezoneError(name.to_owned()))
    }

    pub fn utc() -> Self {
        Self {
            name: "UTC".to_owned(),
            tz: jiff::tz::TimeZone::UTC,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn tz(&self) -> &jiff::tz::TimeZone {
        &self.tz
    }

    /// The civil date in this zone at `now`: the learner's today.
    pub fn today(&self, now: jiff::Timestamp) -> jiff::civil::Date {
        self.date_of(now)
    }

    /// The civil date in this zone of a moment, such as the day an item was marked done.
    pub fn date_of(&self, at: jiff::Timestamp) -> jiff::civil::Date {
        at.to_zoned(self.tz.clone()).date()
    }

    /// The civil date and time in this zone of a moment, such as when a timer started.
    pub fn time_of(&self, at: jiff::Timestamp) -> jiff::civil::DateTime {
        at.to_zoned(self.tz.clone()).datetime()
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl Serialize for Zone {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name)
    }
}

impl std::fmt::Display for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a time zone: choose one such as Europe/Amsterdam or America/New_York")]
pub struct TimezoneError(pub String);

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn today_depends_on_the_zone_near_midnight() {
        // 23:30 UTC on 10 March: still the 10th in New York, already the 11th in Tokyo.
        let now: jiff::Timestamp = "2026-03-10T23:30:00Z".parse().unwrap();
        assert_eq!(
            Zone::parse("America/New_York").unwrap().today(now),
            date(2026, 3, 10)
        );
        assert_eq!(
            Zone::parse("Asia/Tokyo").unwrap().today(now),
            date(2026, 3, 11)
        );
        assert_eq!(Zone::utc().today(now), date(2026, 3, 10));
    }

    #[test]
    fn an_unknown_zone_is_refused_with_what_to_write_instead() {
        let err = Zone::parse(" Not/AZone ").unwrap_err().to_string();
        assert!(err.contains("`Not/AZone` is not a time zone"), "{err}");
        assert_eq!(
            Zone::parse(" Europe/Amsterdam ").unwrap().name(),
            "Europe/Amsterdam"
        );
    }
}
