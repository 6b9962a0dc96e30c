//! Writing curricula and plans in other formats: Markdown to commit next to a curriculum, and
//! iCalendar for calendar programs.
//!
//! Every export is a pure function from the model to a `String`; writing the file, and reading
//! the clock for a calendar's timestamp, belong to the caller. Curricula come from strangers,
//! so all user text is escaped for the target format and only `http(s)` links are kept.

mod escape;
mod ics;
pub mod markdown;
mod plan_markdown;

pub use ics::{IcsOptions, IcsReview, plan_ics, plan_ics_with_reviews};
pub use markdown::curriculum_markdown;
pub use plan_markdown::plan_markdown;

use std::fmt::Write as _;

use crate::curriculum::{Effort, EstimateSource, Item, Minutes};
use crate::plan::WeeklyBudget;

/// The URL as a link target, or `None` unless it is `http(s)` with a host.
///
/// Characters that end or break a Markdown link destination or an iCalendar line are
/// percent-encoded, so that a URL stays one link whatever it holds.
fn web_url(url: &str) -> Option<String> {
    let url = url.trim();
    let scheme_len = if starts_with_ignore_case(url, "https://") {
        8
    } else if starts_with_ignore_case(url, "http://") {
        7
    } else {
        return None;
    };
    let rest = url.get(scheme_len..)?;
    if rest.is_empty() || rest.starts_with('/') || url.chars().any(char::is_control) {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' | '(' | ')' | '<' | '>' | '\\' | '"' | '`' | '|' => {
                // All ASCII, so one byte each.
                let _ = write!(out, "%{:02X}", u32::from(c));
            }
            _ => out.push(c),
        }
    }
    Some(out)
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// `12`, `1.5`: an hours figure without its unit, for ranges.
fn hours_figure(m: Minutes) -> String {
    if m.get().is_multiple_of(60) {
        format!("{}", m.get() / 60)
    } else {
        format!("{:.1}", m.hours())
    }
}

/// `20 h`, `80–120 h`, `30–45 min`.
fn minutes_range(min: Minutes, max: Minutes) -> String {
    if min == max {
        min.to_string()
    } else if max.get() < 60 {
        format!("{}–{} min", min.get(), max.get())
    } else {
        format!("{}–{} h", hours_figure(min), hours_figure(max))
    }
}

/// How much work an item is, as its author put it: `20 h (guess)`, `80–120 h`,
/// `4–6 weeks at 8 h a week (32–48 h)`.
fn effort_text(item: &Item, curriculum_weekly: Option<Minutes>) -> String {
    let mut text = match item.effort {
        Effort::Hours(m) => m.to_string(),
        Effort::HoursRange { min, max } => minutes_range(min, max),
        Effort::Weeks {
            min_weeks,
            max_weeks,
            weekly,
        } => {
            let weeks = if min_weeks == max_weeks {
                min_weeks.to_string()
            } else {
                format!("{min_weeks}–{max_weeks}")
            };
            let unit = if max_weeks.get() <= 10 {
                "week"
            } else {
                "weeks"
            };
            match weekly.or(curriculum_weekly) {
                Some(w) => {
                    let (min, max) = item.effort.bounds(curriculum_weekly);
                    format!("{weeks} {unit} at {w} a week ({})", minutes_range(min, max))
                }
                None => format!("{weeks} {unit}"),
            }
        }
    };
    match item.estimate_source {
        EstimateSource::Stated => {}
        EstimateSource::Guess => text.push_str(" (guess)"),
        EstimateSource::Missing => text.push_str(" (no estimate yet)"),
        EstimateSource::Crowd { .. } => text.push_str(" (crowd median)"),
    }
    text
}

const WEEKDAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// `10 h a week`, or `10 h a week: Mon 2 h, Wed 2 h, Sat 6 h`.
fn budget_text(budget: &WeeklyBudget) -> String {
    let total = budget.weekly_total();
    match budget {
        WeeklyBudget::PerWeek(_) => format!("{total} a week"),
        WeeklyBudget::PerWeekday(days) => {
            let days: Vec<String> = WEEKDAY_NAMES
                .iter()
                .zip(days)
                .filter(|(_, m)| !m.is_zero())
                .map(|(name, m)| format!("{name} {m}"))
                .collect();
            format!("{total} a week: {}", days.join(", "))
        }
    }
}

/// `1 item`, `3 items`.
fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}
