//! Estimates written in free text: "(10h)", "~6 hrs", "8-10 weeks", "2-3 hours/week",
//! "6 months, 5 hours/week", "1,5 h".
//!
//! A small scanner finds quantities (a number or a range, then a unit word) in text; the
//! importers decide what each one means in their context. Numbers inside web addresses
//! (`…watch?v=x_9h8Cs…`) and course codes (`CSE 490H`, `CS 229`) are not quantities.

use crate::curriculum::{Effort, Minutes};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Hours,
    Weeks,
    Months,
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

/// Weeks in a month, for "6 months".
const WEEKS_A_MONTH: f64 = 52.0 / 12.0;

/// Every quantity in `text`, in order.
pub(super) fn quantities(text: &str) -> Vec<Quantity> {
    let bytes = text.as_bytes();
    let addresses = web_addresses(text);
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(&(_, end)) = addresses.iter().find(|(s, e)| (*s..*e).contains(&i)) {
            i = end;
            continue;
        }
        let starts_number = bytes[i].is_ascii_digit()
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'.'));
        if !starts_number {
            i += 1;
            continue;
        }
        if after_course_code(text, i) {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.') {
                i += 1;
            }
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
        "mo" | "mos" | "month" | "months" => Unit::Months,
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

/// The byte spans of the web addresses in `text`: words with `://`, starting `www.`, or
/// shaped like `domain.tld/path`. Numbers inside them are never estimates.
fn web_addresses(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    let boundary =
        |c: char| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | '"' | '\'' | '[' | ']');
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (start, boundary(c)) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                let word = &text[s..i];
                let domain_path = word.split_once('/').is_some_and(|(host, _)| {
                    host.contains('.')
                        && host
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
                });
                if word.contains("://") || word.starts_with("www.") || domain_path {
                    spans.push((s, i));
                }
                start = None;
            }
            _ => {}
        }
    }
    spans
}

/// Whether the number at `at` is part of a course code: it follows a word of 2 to 5 capital
/// letters and a space (`CSE 490H`, `CS 229`, `MATH 54`).
fn after_course_code(text: &str, at: usize) -> bool {
    let Some(before) = text[..at].strip_suffix(' ') else {
        return false;
    };
    let code: String = before
        .chars()
        .rev()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    let preceded_by_word_end = before[..before.len() - code.len()]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    (2..=5).contains(&code.len())
        && code.chars().all(|c| c.is_ascii_uppercase())
        && preceded_by_word_end
}

/// Digits with an optional decimal part (a point, or a comma followed by one or two digits:
/// `1,5`), or thousands after a comma (`1,500`), and the offset after them.
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
    match bytes.get(end) {
        Some(b'.') => {
            let fraction = digits(end + 1);
            if fraction > 0 {
                end += 1 + fraction;
            }
        }
        Some(b',') => {
            let after = digits(end + 1);
            let rest = &text[end + 1..end + 1 + after];
            let value = match after {
                // A decimal comma: `1,5`.
                1 | 2 => format!("{}.{rest}", &text[start..end]),
                // A thousands separator: `1,500`.
                3 => format!("{}{rest}", &text[start..end]),
                _ => return text[start..end].parse().ok().map(|n| (n, end)),
            };
            return value.parse().ok().map(|n| (n, end + 1 + after));
        }
        _ => {}
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

/// A span of weeks or months times hours a week anywhere in `text`: "6 months, 5 hours/week"
/// (about 130 h), "8-10 weeks at 2-3 h a week" (16-30 h). `None` without both.
pub(super) fn find_span_times_rate(text: &str) -> Option<Effort> {
    let found = quantities(text);
    let span = found
        .iter()
        .find(|q| matches!(q.unit, Unit::Weeks | Unit::Months))?;
    let rate = found.iter().find(|q| q.unit == Unit::Hours && q.per_week)?;
    let weeks = if span.unit == Unit::Months {
        WEEKS_A_MONTH
    } else {
        1.0
    };
    hours_effort(
        (span.min * weeks * rate.min).round(),
        (span.max * weeks * rate.max).round(),
    )
}

/// Every estimate free text can state, best first: a span times a rate, then an amount of
/// hours.
pub(super) fn find_effort(text: &str) -> Option<Effort> {
    find_span_times_rate(text).or_else(|| find_hours(text))
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
    let weeks = if span.unit == Unit::Months {
        WEEKS_A_MONTH
    } else {
        1.0
    };
    let span = Quantity {
        min: span.min * weeks,
        max: span.max * weeks,
        ..span
    };
    let weekly = first(effort, &|q| matches!(q.unit, Unit::Hours | Unit::Bare));
    match weekly {
        Some(rate) => hours_effort((span.min * rate.min).round(), (span.max * rate.max).round())
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
        assert_eq!(
            find_hours("1,5 hours"),
            Some(Effort::Hours(Minutes::new(90)))
        );
        assert_eq!(find_hours("1,500 hours"), hours(1500));
    }

    #[test]
    fn numbers_in_web_addresses_and_course_codes_are_not_hours() {
        assert_eq!(
            find_hours("https://www.youtube.com/watch?v=a_9h8Cs2 lecture"),
            None
        );
        assert_eq!(find_hours("see youtu.be/9h8Cs and www.x.org/10h"), None);
        assert_eq!(find_hours("[talk](https://x.org/3h) (2 h)"), hours(2));
        assert_eq!(find_hours("CSE 490H: Machine learning"), None);
        assert_eq!(find_hours("CS 229 (10 hours)"), hours(10));
        assert_eq!(
            split_trailing_hours("Distributed systems, CSE 490H"),
            ("Distributed systems, CSE 490H".to_owned(), None)
        );
        // A sentence's capitalised word is not a code.
        assert_eq!(find_hours("Watch it: THE 5 h cut"), None);
        assert_eq!(find_hours("Read it in 5 h"), hours(5));
    }

    #[test]
    fn months_or_weeks_times_hours_a_week_are_hours() {
        assert_eq!(
            find_effort("6 months, 5 hours/week"),
            Some(Effort::Hours(Minutes::from_hours(130)))
        );
        assert_eq!(
            find_effort("8-10 weeks at 2-3 h a week"),
            Some(range(16, 30))
        );
        assert_eq!(
            find_effort("about 2 months at 1,5 hours/week"),
            Some(Effort::Hours(Minutes::from_hours(13)))
        );
        assert_eq!(find_effort("6 months"), None);
        assert_eq!(find_effort("(12h)"), hours(12));
        assert_eq!(
            table_estimate(Some("3 months"), Some("10 hours/week"), None),
            TableEstimate::Stated(Effort::Hours(Minutes::from_hours(130)))
        );
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
