//! Estimates written in free text: "(10h)", "~6 hrs", "8-10 weeks", "2-3 hours/week".
//!
//! A small scanner finds quantities (a number or a range, then a unit word) in text; the
//! importers decide what each one means in their context.

use crate::curriculum::{Effort, Minutes};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Hours,
    Weeks,
    /// A bare number, meaningful only in a column that says its unit ("Hours").
    Bare,
}

/// A number or range with its unit, and where it sits in the text (byte offsets).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Quantity {
    pub start: usize,
    pub end: usize,
    pub min: f64,
    pub max: f64,
    pub unit: Unit,
    /// "hours/week", "hours per week": a rate, not an amount.
    pub per_week: bool,
}

/// Every quantity in `text`, in order.
pub(super) fn quantities(text: &str) -> Vec<Quantity> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_number = bytes[i].is_ascii_digit()
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'.'));
        if !starts_number {
            i += 1;
            continue;
        }
        match quantity_at(text, i) {
            Some(q) => {
                i = q.end;
                found.push(q);
            }
            None => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.') {
                    i += 1;
                }
            }
        }
    }
    found
}

fn quantity_at(text: &str, start: usize) -> Option<Quantity> {
    let (first, mut end) = number(text, start)?;
    let mut second = first;
    let after = skip_spaces(text, end);
    if let Some(sep_end) = range_separator(text, after)
        && let Some((n, n_end)) = number(text, skip_spaces(text, sep_end))
    {
        second = n;
        end = n_end;
    }
    let unit_start = skip_spaces(text, end);
    let word_len = text[unit_start..]
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    let word = text[unit_start..unit_start + word_len].to_ascii_lowercase();
    let unit = match word.as_str() {
        "h" | "hr" | "hrs" | "hour" | "hours" => Unit::Hours,
        "w" | "wk" | "wks" | "week" | "weeks" => Unit::Weeks,
        _ => Unit::Bare,
    };
    if unit != Unit::Bare {
        end = unit_start + word_len;
    } else if word_len > 0 && unit_start == end {
        // "3D", "5th", "64bit": a number glued to a word is not a quantity.
        return None;
    }
    Some(Quantity {
        start,
        end,
        min: first.min(second),
        max: first.max(second),
        unit,
        per_week: unit == Unit::Hours && is_per_week(&text[end..]),
    })
}

/// Digits with an optional decimal part, and the offset after them.
fn number(text: &str, start: usize) -> Option<(f64, usize)> {
    let bytes = text.as_bytes();
    let digits = |from: usize| {
        bytes
            .get(from..)
            .map_or(0, |b| b.iter().take_while(|b| b.is_ascii_digit()).count())
    };
    let whole = digits(start);
    if whole == 0 {
        return None;
    }
    let mut end = start + whole;
    if bytes.get(end) == Some(&b'.') {
        let fraction = digits(end + 1);
        if fraction > 0 {
            end += 1 + fraction;
        }
    }
    text[start..end].parse().ok().map(|n| (n, end))
}

fn skip_spaces(text: &str, from: usize) -> usize {
    from + text[from..]
        .bytes()
        .take_while(|b| *b == b' ' || *b == b'\t')
        .count()
}

/// `-`, `–`, `—` or `to` between the two ends of a range.
fn range_separator(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    ["-", "–", "—", "to "]
        .iter()
        .find(|sep| rest.starts_with(**sep))
        .map(|sep| at + sep.len())
}

fn is_per_week(rest: &str) -> bool {
    let rest: String = rest
        .trim_start()
        .chars()
        .take(12)
        .collect::<String>()
        .to_lowercase();
    [
        "/w",
        "/ w",
        "per w",
        "a week",
        "each week",
        "every week",
        "weekly",
        "pw",
        "p/w",
    ]
    .iter()
    .any(|p| rest.starts_with(p))
}

/// The first hours estimate anywhere in `text`: "(10h)", "10 hours", "~6 hrs", "8-10 h".
pub(super) fn find_hours(text: &str) -> Option<Effort> {
    quantities(text)
        .into_iter()
        .filter(|q| q.unit == Unit::Hours && !q.per_week)
        .find_map(|q| hours_effort(q.min, q.max))
}

/// Splits an hours estimate off the end of a title: `Build a shell — 6 hours` gives
/// `Build a shell` and 6 h. The title is unchanged when it has no trailing estimate, or when
/// the estimate is all there is.
pub(super) fn split_trailing_hours(text: &str) -> (String, Option<Effort>) {
    let text = text.trim();
    let trailing = quantities(text).into_iter().rev().find(|q| {
        q.unit == Unit::Hours
            && !q.per_week
            && text[q.end..]
                .chars()
                .all(|c| c.is_whitespace() || matches!(c, ')' | ']'))
    });
    let Some(q) = trailing else {
        return (text.to_owned(), None);
    };
    let Some(effort) = hours_effort(q.min, q.max) else {
        return (text.to_owned(), None);
    };
    let rest = text[..q.start].trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '~' | '≈' | '(' | '[' | '—' | '–' | '-' | ':' | ',' | '|')
    });
    (rest.to_owned(), Some(effort))
}

/// An hours amount or range, when the numbers are acceptable estimates.
pub(super) fn hours_effort(min: f64, max: f64) -> Option<Effort> {
    let lo = Minutes::parse_hours(min).ok()?;
    let hi = Minutes::parse_hours(max).ok()?;
    Some(if lo == hi {
        Effort::Hours(lo)
    } else {
        Effort::HoursRange { min: lo, max: hi }
    })
}

/// The estimate in a curriculum table row, from its Duration, Effort and Hours cells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum TableEstimate {
    Stated(Effort),
    /// A duration in weeks without the hours per week: the number of weeks.
    WeeksOnly {
        min: f64,
        max: f64,
    },
    Unknown,
}

/// Weeks × hours per week ("8-10 weeks" × "2-3 hours/week" = 16-30 h), or an amount of hours
/// given outright, in the Hours column or as the Duration ("23 hours").
pub(super) fn table_estimate(
    duration: Option<&str>,
    effort: Option<&str>,
    hours: Option<&str>,
) -> TableEstimate {
    let first = |cell: Option<&str>, accept: &dyn Fn(&Quantity) -> bool| {
        cell.and_then(|c| quantities(c).into_iter().find(|q| accept(q)))
    };
    let amount = |q: &Quantity| matches!(q.unit, Unit::Hours | Unit::Bare) && !q.per_week;
    if let Some(q) = first(hours, &amount)
        && let Some(effort) = hours_effort(q.min, q.max)
    {
        return TableEstimate::Stated(effort);
    }
    let Some(span) = first(duration, &|q| q.unit != Unit::Bare) else {
        return TableEstimate::Unknown;
    };
    if span.unit == Unit::Hours {
        return hours_effort(span.min, span.max)
            .map_or(TableEstimate::Unknown, TableEstimate::Stated);
    }
    let weekly = first(effort, &|q| matches!(q.unit, Unit::Hours | Unit::Bare));
    match weekly {
        Some(rate) => hours_effort(span.min * rate.min, span.max * rate.max)
            .map_or(TableEstimate::Unknown, TableEstimate::Stated),
        None => TableEstimate::WeeksOnly {
            min: span.min,
            max: span.max,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(h: u32) -> Option<Effort> {
        Some(Effort::Hours(Minutes::from_hours(h)))
    }

    fn range(min: u32, max: u32) -> Effort {
        Effort::HoursRange {
            min: Minutes::from_hours(min),
            max: Minutes::from_hours(max),
        }
    }

    #[test]
    fn hours_are_found_in_the_usual_spellings() {
        assert_eq!(find_hours("Build it (10h)"), hours(10));
        assert_eq!(find_hours("about 10 h of work"), hours(10));
        assert_eq!(find_hours("10 hours"), hours(10));
        assert_eq!(find_hours("~6 hrs"), hours(6));
        assert_eq!(find_hours("8-10 hours"), Some(range(8, 10)));
        assert_eq!(find_hours("5 hours/week for 3 weeks"), None);
        assert_eq!(find_hours("CS61A, 3D graphics, 64bit"), None);
        assert_eq!(find_hours("0 hours"), None);
    }

    #[test]
    fn a_trailing_estimate_is_split_off_the_title() {
        assert_eq!(
            split_trailing_hours("Build a shell (10h)"),
            ("Build a shell".to_owned(), hours(10))
        );
        assert_eq!(
            split_trailing_hours("Build a shell — 6 hours"),
            ("Build a shell".to_owned(), hours(6))
        );
        assert_eq!(
            split_trailing_hours("Read (~6 hrs)"),
            ("Read".to_owned(), hours(6))
        );
        assert_eq!(
            split_trailing_hours("24 hours of code"),
            ("24 hours of code".to_owned(), None)
        );
        assert_eq!(split_trailing_hours("(3h)"), (String::new(), hours(3)));
    }

    #[test]
    fn table_rows_multiply_weeks_by_weekly_hours() {
        assert_eq!(
            table_estimate(Some("10 weeks"), Some("10 hours/week"), None),
            TableEstimate::Stated(Effort::Hours(Minutes::from_hours(100)))
        );
        assert_eq!(
            table_estimate(Some("8-10 weeks"), Some("2-3 hours/week"), None),
            TableEstimate::Stated(range(16, 30))
        );
        assert_eq!(
            table_estimate(Some("23 hours"), Some("-"), None),
            TableEstimate::Stated(Effort::Hours(Minutes::from_hours(23)))
        );
        assert_eq!(
            table_estimate(Some("-"), Some(""), None),
            TableEstimate::Unknown
        );
        assert_eq!(
            table_estimate(None, None, Some("12")),
            TableEstimate::Stated(Effort::Hours(Minutes::from_hours(12)))
        );
        assert_eq!(
            table_estimate(Some("6 weeks"), None, None),
            TableEstimate::WeeksOnly { min: 6.0, max: 6.0 }
        );
    }
}
