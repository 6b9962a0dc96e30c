//! A value's history, such as which weekly budget was in force on each day.
//!
//! A follow's budget changes over time (new settings, a re-plan that keeps the end date). Past
//! days keep the budget they had: the weekly chart, the plan the learner accepted and the week
//! page judge each day by the budget in force on it, never by today's. A change takes effect
//! from a day the learner chooses (the next week by default, or today), and everything from
//! that day on follows the new budget.
//!
//! Written as one change a line, `2026-01-05 10` or `2026-03-02 mon=2,sat=6`, oldest first;
//! the empty history is the follow's one budget since its start.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::Serialize;

use super::budget::{BudgetError, WeeklyBudget};
use crate::curriculum::Minutes;

/// From `from` on, `value` holds (until the next change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Change<T> {
    pub from: Date,
    pub value: T,
}

/// A value that changes over time: changes oldest first, at most one a day. The budget's
/// history and the commitment delay's both are one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct History<T>(Vec<Change<T>>);

impl<T> Default for History<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

/// Which weekly budget held on each day.
pub type BudgetHistory = History<WeeklyBudget>;
/// One change of a budget.
pub type BudgetChange = Change<WeeklyBudget>;

/// Why a stored or imported history does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    #[error(
        "line {line}: `{text}` is not a change: write the day and the value, as `2026-01-05 10`"
    )]
    Unreadable { line: usize, text: String },
    #[error("line {line}: {cause}")]
    Value { line: usize, cause: String },
}

impl<T: Copy + PartialEq> History<T> {
    /// One value from `from` on.
    pub fn starting(from: Date, value: T) -> Self {
        Self(vec![Change { from, value }])
    }

    /// The changes, oldest first.
    pub fn changes(&self) -> &[Change<T>] {
        &self.0
    }

    /// The value of the last change: the one that holds from then on.
    pub fn latest(&self) -> Option<T> {
        self.0.last().map(|c| c.value)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value on `day`: the latest change on or before it, or the first value for a day
    /// before every change (a plan may be drawn from before its first change).
    pub fn on(&self, day: Date) -> Option<T> {
        let first = self.0.first()?;
        Some(
            self.0
                .iter()
                .rev()
                .find(|c| c.from <= day)
                .unwrap_or(first)
                .value,
        )
    }

    /// The changes after `day`, oldest first: what a plan starting on `day` must still apply.
    pub fn after(&self, day: Date) -> Vec<Change<T>> {
        self.0.iter().filter(|c| c.from > day).copied().collect()
    }

    /// `value` from `from` on: changes on or after that day are replaced.
    pub fn set_from(&mut self, from: Date, value: T) {
        self.0.retain(|c| c.from < from);
        if self.0.last().is_some_and(|c| c.value == value) {
            return;
        }
        self.0.push(Change { from, value });
    }

    /// Reads the written form, one change a line (`2026-01-05 10`). Each line is applied as
    /// [`History::set_from`] applies a change, so a later line from the same or an earlier day
    /// replaces what came before it from that day on.
    pub fn parse_with<E: fmt::Display>(
        raw: &str,
        value: impl Fn(&str) -> Result<T, E>,
    ) -> Result<Self, HistoryError> {
        let mut history = Self::default();
        for (n, text) in raw.lines().map(str::trim).enumerate() {
            let line = n + 1;
            if text.is_empty() {
                continue;
            }
            let unreadable = || HistoryError::Unreadable {
                line,
                text: text.to_owned(),
            };
            let (day, raw_value) = text.split_once(' ').ok_or_else(unreadable)?;
            let from: Date = day.parse().map_err(|_| unreadable())?;
            let parsed = value(raw_value.trim()).map_err(|e| HistoryError::Value {
                line,
                cause: e.to_string(),
            })?;
            history.set_from(from, parsed);
        }
        Ok(history)
    }
}

impl<T: Copy + PartialEq + FromStr> History<T>
where
    T::Err: fmt::Display,
{
    /// Reads the written form with the value's own parser.
    pub fn parse(raw: &str) -> Result<Self, HistoryError> {
        Self::parse_with(raw, str::parse::<T>)
    }
}

impl BudgetHistory {
    /// The minutes this history asks for over `first..=last`: each day counts a seventh of
    /// the weekly minutes in force that day (rounded once, at the end), so a whole week
    /// under one budget asks for exactly its weekly minutes. Days before the first change ask
    /// for nothing.
    pub fn minutes_between(&self, first: Date, last: Date) -> Minutes {
        let Some(start) = self.0.first().map(|c| c.from) else {
            return Minutes::ZERO;
        };
        let mut sevenths: u64 = 0;
        let mut day = first.max(start);
        while day <= last {
            if let Some(budget) = self.on(day) {
                sevenths += u64::from(budget.weekly_total().get());
            }
            let Ok(next) = day.tomorrow() else { break };
            day = next;
        }
        Minutes::new(u32::try_from((sevenths + 3) / 7).unwrap_or(u32::MAX))
    }
}

impl FromStr for WeeklyBudget {
    type Err = BudgetError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        WeeklyBudget::parse(raw)
    }
}

impl<T: fmt::Display> fmt::Display for History<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, c) in self.0.iter().enumerate() {
            if n > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{} {}", c.from, c.value)?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn hours(h: &str) -> WeeklyBudget {
        WeeklyBudget::parse(h).unwrap()
    }

    #[test]
    fn each_day_has_the_budget_in_force_then() {
        let mut h = BudgetHistory::starting(date(2026, 1, 5), hours("10"));
        h.set_from(date(2026, 3, 2), hours("5"));
        assert_eq!(h.on(date(2026, 1, 1)), Some(hours("10")));
        assert_eq!(h.on(date(2026, 3, 1)), Some(hours("10")));
        assert_eq!(h.on(date(2026, 3, 2)), Some(hours("5")));
        assert_eq!(h.after(date(2026, 2, 1)).len(), 1);
        assert!(h.after(date(2026, 3, 2)).is_empty());
        // A later change from an earlier day replaces what came after it.
        h.set_from(date(2026, 2, 16), hours("mon=2,sat=6"));
        assert_eq!(h.changes().len(), 2);
        assert_eq!(h.on(date(2026, 3, 9)), Some(hours("mon=2,sat=6")));
        // The same budget again adds nothing.
        h.set_from(date(2026, 4, 6), hours("mon=2,sat=6"));
        assert_eq!(h.changes().len(), 2);
        assert_eq!(BudgetHistory::default().on(date(2026, 1, 1)), None);
    }

    #[test]
    fn a_week_asks_for_the_sevenths_of_the_days_in_it() {
        let mut h = BudgetHistory::starting(date(2026, 1, 5), hours("14"));
        // A whole week under one budget: exactly its hours.
        assert_eq!(
            h.minutes_between(date(2026, 1, 5), date(2026, 1, 11)),
            Minutes::from_hours(14)
        );
        // Before the first change nothing is asked; three days of a week are 6 h.
        assert_eq!(
            h.minutes_between(date(2025, 12, 29), date(2026, 1, 4)),
            Minutes::ZERO
        );
        assert_eq!(
            h.minutes_between(date(2026, 1, 2), date(2026, 1, 7)),
            Minutes::from_hours(6)
        );
        // 7 h from Friday: four days at 14 h a week, three at 7 h.
        h.set_from(date(2026, 1, 16), hours("7"));
        assert_eq!(
            h.minutes_between(date(2026, 1, 12), date(2026, 1, 18)),
            Minutes::from_hours(8 + 3)
        );
    }

    #[test]
    fn a_history_is_written_as_it_is_read_and_bad_lines_say_which() {
        let mut h = BudgetHistory::starting(date(2026, 1, 5), hours("10"));
        h.set_from(date(2026, 3, 2), hours("mon=2,sat=6"));
        let text = h.to_string();
        assert_eq!(text, "2026-01-05 10\n2026-03-02 mon=2,sat=6");
        assert_eq!(BudgetHistory::parse(&text).unwrap(), h);
        assert_eq!(BudgetHistory::parse("").unwrap(), BudgetHistory::default());
        // A later line from an earlier day replaces what came after it.
        assert_eq!(
            BudgetHistory::parse("2026-03-02 5\n2026-01-05 10").unwrap(),
            BudgetHistory::starting(date(2026, 1, 5), hours("10"))
        );
        assert!(matches!(
            BudgetHistory::parse("soon 10"),
            Err(HistoryError::Unreadable { line: 1, .. })
        ));
        assert!(matches!(
            BudgetHistory::parse("2026-01-05 lots"),
            Err(HistoryError::Value { line: 1, .. })
        ));
    }
}
