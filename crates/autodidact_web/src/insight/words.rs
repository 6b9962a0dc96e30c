//! How figures read in sentences and chart labels: `1 h 30 min`, `12 March`, `Tue 3 Mar 2026`.

use autodidact_core::curriculum::{ItemKind, Minutes};
use jiff::civil::Date;

/// Minutes as a person says them: `45 min`, `2 h`, `1 h 30 min`, `0 min`.
pub fn hm(minutes: Minutes) -> String {
    let m = minutes.get();
    match (m / 60, m % 60) {
        (0, rest) => format!("{rest} min"),
        (hours, 0) => format!("{hours} h"),
        (hours, rest) => format!("{hours} h {rest} min"),
    }
}

/// Minutes rounded to the nearest hour for sentences about larger amounts (`12 h`), in
/// minutes below an hour (`45 min`).
pub fn hours_about(minutes: Minutes) -> String {
    let m = minutes.get();
    if m < 60 {
        format!("{m} min")
    } else {
        format!("{} h", (m + 30) / 60)
    }
}

/// A day as every page writes it: `Thu 12 Mar`, with the year when it is not `today`'s:
/// `Fri 2 Apr 2027`. (`<time datetime>` carries the ISO date for machines.)
pub fn day_words(day: Date, today: Date) -> String {
    if day.year() == today.year() {
        day.strftime("%a %-d %b").to_string()
    } else {
        day.strftime("%a %-d %b %Y").to_string()
    }
}

/// A day on a page: its words (`Thu 12 Mar`, see [`day_words`]) and its ISO date, for
/// `<time datetime>` and scripts. Shows as its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownDay {
    pub iso: String,
    pub words: String,
}

impl ShownDay {
    pub fn new(day: Date, today: Date) -> Self {
        Self {
            iso: day.to_string(),
            words: day_words(day, today),
        }
    }
}

impl std::fmt::Display for ShownDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words)
    }
}

/// `Tue 3 Mar 2026`, for a square's or a bar's tooltip.
pub fn long_day(day: Date) -> String {
    day.strftime("%a %-d %b %Y").to_string()
}

/// `3 Mar`, for axis labels.
pub fn short_day(day: Date) -> String {
    day.strftime("%-d %b").to_string()
}

/// `1 day`, `5 days`.
pub fn days(n: i64) -> String {
    if n.abs() == 1 {
        format!("{n} day")
    } else {
        format!("{n} days")
    }
}

/// A kind of item in the plural, as in "1.6× on books".
pub fn kind_plural(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Course => "courses",
        ItemKind::Book => "books",
        ItemKind::Paper => "papers",
        ItemKind::Project => "projects",
        ItemKind::Practice => "practice",
        ItemKind::Article => "articles",
        ItemKind::Video => "videos",
        ItemKind::Other => "other items",
    }
}

/// A ratio of real to estimated time: `1.4×`.
pub fn times(ratio: f64) -> String {
    format!("{ratio:.1}×")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn minutes_read_as_hours_and_minutes() {
        assert_eq!(hm(Minutes::new(0)), "0 min");
        assert_eq!(hm(Minutes::new(45)), "45 min");
        assert_eq!(hm(Minutes::new(120)), "2 h");
        assert_eq!(hm(Minutes::new(90)), "1 h 30 min");
        assert_eq!(hours_about(Minutes::new(719)), "12 h");
        assert_eq!(hours_about(Minutes::new(20)), "20 min");
    }

    #[test]
    fn days_read_with_the_year_only_when_it_differs() {
        let today = date(2026, 3, 3);
        assert_eq!(day_words(date(2026, 3, 12), today), "Thu 12 Mar");
        assert_eq!(day_words(date(2027, 4, 2), today), "Fri 2 Apr 2027");
        assert_eq!(long_day(today), "Tue 3 Mar 2026");
        assert_eq!(short_day(today), "3 Mar");
        assert_eq!(days(1), "1 day");
        assert_eq!(days(-5), "-5 days");
        assert_eq!(times(1.44), "1.4×");
    }
}
