//! The time a learner has: a weekly budget, a start date and breaks, turned into minutes per day.

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, Weekday};
use serde::Serialize;

use crate::curriculum::Minutes;

/// Hours a week, either as one figure spread over the study days, or per weekday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "minutes", rename_all = "snake_case")]
pub enum WeeklyBudget {
    PerWeek(Minutes),
    /// Monday first.
    PerWeekday([Minutes; 7]),
}

impl WeeklyBudget {
    /// The most a full week without breaks can hold.
    pub fn weekly_total(&self) -> Minutes {
        match self {
            WeeklyBudget::PerWeek(m) => *m,
            WeeklyBudget::PerWeekday(days) => days.iter().copied().sum(),
        }
    }

    /// Parses `20` (hours a week) or `mon=2,wed=2,sat=6` (hours per weekday).
    pub fn parse(raw: &str) -> Result<Self, BudgetError> {
        let raw = raw.trim();
        if !raw.contains('=') {
            let hours: f64 = raw
                .parse()
                .map_err(|_| BudgetError::NotANumber(raw.to_owned()))?;
            return Ok(WeeklyBudget::PerWeek(hours_to_minutes(hours, raw)?));
        }
        let mut days = [Minutes::ZERO; 7];
        for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (day, hours) = part
                .split_once('=')
                .ok_or_else(|| BudgetError::BadDay(part.to_owned()))?;
            let weekday = parse_weekday(day).ok_or_else(|| BudgetError::BadDay(day.to_owned()))?;
            let hours: f64 = hours
                .trim()
                .parse()
                .map_err(|_| BudgetError::NotANumber(hours.to_owned()))?;
            days[weekday_index(weekday)] = hours_to_minutes(hours, part)?;
        }
        Ok(WeeklyBudget::PerWeekday(days))
    }
}

/// Written as [`WeeklyBudget::parse`] reads it: `20` or `mon=2,wed=1.5,sat=6` (hours, with up
/// to four decimals so that every whole minute reads back exactly; days without time are left
/// out, and a budget per weekday with no time at all is `mon=0`).
impl fmt::Display for WeeklyBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WeeklyBudget::PerWeek(minutes) => f.write_str(&hours_text(*minutes)),
            WeeklyBudget::PerWeekday(days) => {
                const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
                let parts: Vec<String> = days
                    .iter()
                    .zip(NAMES)
                    .filter(|(m, _)| !m.is_zero())
                    .map(|(m, day)| format!("{day}={}", hours_text(*m)))
                    .collect();
                if parts.is_empty() {
                    f.write_str("mon=0")
                } else {
                    f.write_str(&parts.join(","))
                }
            }
        }
    }
}

/// Minutes as decimal hours: `20`, `1.5`, `0.0167` (one minute; reads back as one minute).
fn hours_text(minutes: Minutes) -> String {
    let m = minutes.get();
    if m.is_multiple_of(60) {
        return (m / 60).to_string();
    }
    let text = format!("{:.4}", f64::from(m) / 60.0);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn hours_to_minutes(hours: f64, raw: &str) -> Result<Minutes, BudgetError> {
    if !(0.0..=7.0 * 24.0).contains(&hours) {
        return Err(BudgetError::OutOfRange(raw.to_owned()));
    }
    Ok(Minutes::new((hours * 60.0).round() as u32))
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BudgetError {
    #[error("`{0}` is not a number of hours: write, for example, 20 or 7.5")]
    NotANumber(String),
    #[error("`{0}` is out of range: hours a week go from 0 to 168")]
    OutOfRange(String),
    #[error("`{0}` is not a weekday: write hours per day as mon=2,tue=1.5,sat=6")]
    BadDay(String),
}

/// Monday = 0 … Sunday = 6.
pub fn weekday_index(day: Weekday) -> usize {
    day.to_monday_zero_offset() as usize
}

pub fn parse_weekday(raw: &str) -> Option<Weekday> {
    let raw = raw.trim().to_ascii_lowercase();
    let day = match raw.get(..3)? {
        "mon" => Weekday::Monday,
        "tue" => Weekday::Tuesday,
        "wed" => Weekday::Wednesday,
        "thu" => Weekday::Thursday,
        "fri" => Weekday::Friday,
        "sat" => Weekday::Saturday,
        "sun" => Weekday::Sunday,
        _ => return None,
    };
    let full = format!("{day:?}").to_ascii_lowercase();
    (full.starts_with(&raw)).then_some(day)
}

/// Time off: a span of dates (inclusive), or a weekday that is always a rest day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Break {
    Dates { from: Date, to: Date },
    Weekly { day: Weekday },
}

impl Break {
    pub fn covers(&self, date: Date) -> bool {
        match *self {
            Break::Dates { from, to } => from <= date && date <= to,
            Break::Weekly { day } => date.weekday() == day,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BreakError {
    #[error(
        "`{0}` is not a break: write a date (`2026-12-25`), a range (`2026-12-21..2027-01-03`) or a weekday (`sun`)"
    )]
    Unreadable(String),
    #[error("the break {from}..{to} ends before it starts: put the earlier date first")]
    Reversed { from: Date, to: Date },
    #[error("a break on {0}: {1}")]
    OutsideCalendar(String, super::OutsideCalendar),
}

impl FromStr for Break {
    type Err = BreakError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let raw = raw.trim();
        let unreadable = || BreakError::Unreadable(raw.to_owned());
        if let Some(day) = parse_weekday(raw) {
            return Ok(Break::Weekly { day });
        }
        let (from, to) = match raw.split_once("..") {
            Some((a, b)) => (a.trim(), b.trim()),
            None => (raw, raw),
        };
        let from: Date = from.parse().map_err(|_| unreadable())?;
        let to: Date = to.parse().map_err(|_| unreadable())?;
        for day in [from, to] {
            super::check_calendar_day(day)
                .map_err(|e| BreakError::OutsideCalendar(raw.to_owned(), e))?;
        }
        if to < from {
            return Err(BreakError::Reversed { from, to });
        }
        Ok(Break::Dates { from, to })
    }
}

/// Serialised in the form it is written: `2026-12-25`, `2026-12-21..2027-01-03`, `sun`.
impl Serialize for Break {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Break::Dates { from, to } if from == to => write!(f, "{from}"),
            Break::Dates { from, to } => write!(f, "{from}..{to}"),
            Break::Weekly { day } => write!(f, "{}", &format!("{day:?}")[..3].to_ascii_lowercase()),
        }
    }
}

/// Minutes available on each day, derived from the budget and the breaks.
#[derive(Debug)]
pub(super) struct Calendar<'a> {
    breaks: &'a [Break],
    /// For a weekly budget: its share on each weekday, after weekly rest days.
    weekly_shares: [u32; 7],
}

impl<'a> Calendar<'a> {
    /// `None` when no day could ever hold study time.
    pub(super) fn new(budget: WeeklyBudget, breaks: &'a [Break]) -> Option<Self> {
        let rest = |i: usize| {
            breaks
                .iter()
                .any(|b| matches!(b, Break::Weekly { day } if weekday_index(*day) == i))
        };
        let mut shares = [0u32; 7];
        match budget {
            WeeklyBudget::PerWeek(total) => {
                let study: Vec<usize> = (0..7).filter(|&i| !rest(i)).collect();
                let n = study.len() as u64;
                let total = u64::from(total.get());
                // Spread evenly, so that a whole week sums exactly to the budget.
                for (k, &i) in study.iter().enumerate() {
                    let k = k as u64;
                    shares[i] = ((k + 1) * total / n.max(1) - k * total / n.max(1)) as u32;
                }
            }
            WeeklyBudget::PerWeekday(days) => {
                for (i, share) in shares.iter_mut().enumerate() {
                    if !rest(i) {
                        *share = days[i].get();
                    }
                }
            }
        }
        (shares.iter().any(|&s| s > 0)).then_some(Self {
            breaks,
            weekly_shares: shares,
        })
    }

    pub(super) fn minutes_on(&self, date: Date) -> u32 {
        let covered = self
            .breaks
            .iter()
            .any(|b| matches!(b, Break::Dates { .. }) && b.covers(date));
        if covered {
            0
        } else {
            self.weekly_shares[weekday_index(date.weekday())]
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn a_budget_is_written_as_it_is_read() {
        let cases = [
            (WeeklyBudget::PerWeek(Minutes::new(1200)), "20"),
            (WeeklyBudget::PerWeek(Minutes::new(90)), "1.5"),
            (WeeklyBudget::PerWeek(Minutes::new(1)), "0.0167"),
            (WeeklyBudget::PerWeek(Minutes::ZERO), "0"),
            (
                WeeklyBudget::PerWeekday([
                    Minutes::new(120),
                    Minutes::ZERO,
                    Minutes::new(90),
                    Minutes::ZERO,
                    Minutes::ZERO,
                    Minutes::new(360),
                    Minutes::ZERO,
                ]),
                "mon=2,wed=1.5,sat=6",
            ),
            (WeeklyBudget::PerWeekday([Minutes::ZERO; 7]), "mon=0"),
        ];
        for (budget, text) in cases {
            assert_eq!(budget.to_string(), text);
            assert_eq!(WeeklyBudget::parse(text).unwrap(), budget, "{text}");
        }
    }

    proptest! {
        #[test]
        fn every_budget_reads_back_from_its_text(
            weekly in 0u32..=10_080,
            days in prop::array::uniform7(0u32..=1_440),
            per_day in any::<bool>(),
        ) {
            let budget = if per_day {
                WeeklyBudget::PerWeekday(days.map(Minutes::new))
            } else {
                WeeklyBudget::PerWeek(Minutes::new(weekly))
            };
            prop_assert_eq!(WeeklyBudget::parse(&budget.to_string()), Ok(budget));
        }
    }
}
