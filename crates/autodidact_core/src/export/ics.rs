//! A plan as an iCalendar file (RFC 5545): an all-day event for each item's span and for each
//! phase deadline, the deadlines with a reminder, and (in a learner's feed) one for each spaced
//! review on the day it is due.
//!
//! The `icalendar` crate builds the file and escapes text; it takes chrono types, so jiff dates
//! are converted here and nowhere else. Lines are folded here, see [`refold`]. Every event gets a UID derived from the curriculum and
//! the item, so importing a newer export, or refreshing a subscription, updates the events
//! instead of duplicating them.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, Property, Trigger};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::curriculum::{Curriculum, ItemId, slugify};
use crate::plan::{Plan, PlannedItem, PlannedPhase};
use crate::store::FollowId;

use super::web_url;

/// What a calendar export needs besides the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsOptions {
    /// The `DTSTAMP` of every event: when the file was made. Passed in, because the core never
    /// reads the clock.
    pub generated_at: Timestamp,
    /// The name calendar programs show; the curriculum's title when `None`.
    pub calendar_name: Option<String>,
}

impl IcsOptions {
    pub fn new(generated_at: Timestamp) -> Self {
        Self {
            generated_at,
            calendar_name: None,
        }
    }
}

/// Hours before an all-day deadline's start (midnight) that its reminder fires: 09:00 on the
/// day before, which leaves a day to finish.
const REMINDER_HOURS_BEFORE: i64 = 15;

/// A spaced review of an item marked worth revisiting, on the day it is due (after spreading).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsReview {
    /// The follow the item belongs to; with the item, it makes the event's UID.
    pub follow: FollowId,
    pub item: ItemId,
    /// The item's title.
    pub title: String,
    /// The day the review is due.
    pub due: Date,
}

/// The plan as an iCalendar file. Done items and finished phases have no event.
pub fn plan_ics(c: &Curriculum, plan: &Plan, options: &IcsOptions) -> String {
    plan_ics_with_reviews(c, plan, &[], options)
}

/// The plan as an iCalendar file, as [`plan_ics`] writes it, with one all-day event per due
/// review: "Review: <title>", its UID made of the follow, the item and `review`, so that a
/// review moving to another day moves its event rather than adding one.
pub fn plan_ics_with_reviews(
    c: &Curriculum,
    plan: &Plan,
    reviews: &[IcsReview],
    options: &IcsOptions,
) -> String {
    let export = Export {
        curriculum: c,
        domain: uid_domain(&c.title),
        stamp: to_utc(options.generated_at),
    };
    let name = options.calendar_name.as_deref().unwrap_or(&c.title);
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//Autodidact//Plan//EN"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        // Not `Calendar::name`: it also writes RFC 7986 `NAME`, which this crate version does
        // not escape, so a comma or line break in the name would corrupt the file.
        .append_property(("X-WR-CALNAME", one_line(name).as_str()));
    calendar.extend(plan.items.iter().filter_map(|item| export.item_event(item)));
    calendar.extend(
        plan.phases
            .iter()
            .enumerate()
            .filter_map(|(n, phase)| export.phase_event(n, phase, plan.phases.len())),
    );
    calendar.extend(
        reviews
            .iter()
            .filter_map(|review| export.review_event(review)),
    );
    refold(&calendar.to_string())
}

/// The longest content line, in octets, without its CRLF (RFC 5545, section 3.1).
const MAX_LINE_OCTETS: usize = 75;

/// Folds every content line at 75 octets, on character boundaries.
///
/// icalendar 0.17.17 folds too, but lets a continuation line carry 75 octets after its
/// leading space, 76 in all, whenever exactly 75 remain. So its folds are undone (a CRLF
/// followed by a space never occurs otherwise: text is escaped, and `text` drops bare CRs) and
/// the lines are folded again.
fn refold(ics: &str) -> String {
    let unfolded = ics.replace("\r\n ", "");
    let mut out = String::with_capacity(ics.len());
    for line in unfolded.split_terminator("\r\n") {
        let mut room = MAX_LINE_OCTETS;
        let mut used = 0;
        for c in line.chars() {
            if used + c.len_utf8() > room {
                out.push_str("\r\n ");
                // The space that marks a continuation counts towards the line.
                room = MAX_LINE_OCTETS - 1;
                used = 0;
            }
            out.push(c);
            used += c.len_utf8();
        }
        out.push_str("\r\n");
    }
    out
}

struct Export<'a> {
    curriculum: &'a Curriculum,
    /// The right-hand side of every UID: `<curriculum slug>.autodidact`.
    domain: String,
    stamp: DateTime<Utc>,
}

impl Export<'_> {
    fn item_event(&self, planned: &PlannedItem) -> Option<Event> {
        let span = planned.span?;
        let item = self.curriculum.item(&planned.id);
        let url = item.and_then(|i| i.url.as_deref()).and_then(web_url);
        let phase = self.curriculum.phases.get(planned.phase);

        let mut description = format!("{} · {} planned", planned.kind, planned.minutes);
        if let Some(phase) = phase {
            let _ = write!(
                description,
                "\nPhase {}: {}",
                planned.phase + 1,
                phase.title
            );
        }
        if let Some(item) = item.filter(|i| !i.requires.is_empty()) {
            let ids: Vec<&str> = item.requires.iter().map(|id| id.as_str()).collect();
            let _ = write!(description, "\nRequires: {}", ids.join(", "));
        }
        if let Some(url) = &url {
            let _ = write!(description, "\n{url}");
        }

        let mut event = self.all_day(
            &format!("item-{}", planned.id),
            span.start,
            span.end,
            &planned.title,
        )?;
        event.description(&text(&description));
        if let Some(url) = &url {
            event.url(url);
        }
        Some(event.done())
    }

    fn phase_event(&self, n: usize, phase: &PlannedPhase, phases: usize) -> Option<Event> {
        let end = phase.end?;
        let number = n + 1;
        let mut event = self.all_day(
            &format!("phase-{number}"),
            end,
            end,
            &format!("Phase due: {}", phase.title),
        )?;
        event.description(&text(&format!(
            "The last day of phase {number} of {phases} in {}: {}, {} planned.",
            self.curriculum.title, phase.title, phase.minutes
        )));
        // Without a UID and a DTSTAMP of its own the crate writes a random UID and the current
        // time into the alarm, and the export would differ on every run.
        let alarm = Alarm::display(
            &text(&format!(
                "Tomorrow: phase {number}, {}, is due",
                phase.title
            )),
            Trigger::before_start(TimeDelta::hours(REMINDER_HOURS_BEFORE)),
        )
        .uid(&format!("phase-{number}-reminder@{}", self.domain))
        .timestamp(self.stamp)
        .done();
        event.alarm(alarm);
        Some(event.done())
    }

    fn review_event(&self, review: &IcsReview) -> Option<Event> {
        let mut event = self.all_day(
            &format!("review-{}-{}", review.follow.0, review.item),
            review.due,
            review.due,
            &format!("Review: {}", review.title),
        )?;
        event.description(&text(&format!(
            "A spaced review of {}, which you marked worth revisiting: go back over it, then grade how well you remembered it on the reviews page.",
            review.title
        )));
        Some(event.done())
    }

    /// An all-day event from `first` to `last`, both included; `DTEND` is the day after, as
    /// RFC 5545 makes it exclusive. `TRANSP` keeps study days from showing as busy.
    fn all_day(&self, uid: &str, first: Date, last: Date, summary: &str) -> Option<Event> {
        // Plans end within twenty years of their start, so neither fails in practice.
        let start = to_naive(first)?;
        let end = to_naive(last.tomorrow().ok()?)?;
        let mut event = Event::new();
        event
            .uid(&format!("{uid}@{}", self.domain))
            .timestamp(self.stamp)
            .summary(&text(summary))
            .starts(start)
            .ends(end)
            .append_property(Property::new("TRANSP", "TRANSPARENT"));
        Some(event)
    }
}

/// `<slug>.autodidact`, from the curriculum's title; a title with no ASCII letters or digits
/// gets a hash instead, so that two such curricula still have distinct UIDs.
fn uid_domain(title: &str) -> String {
    let slug = slugify(title);
    if slug.is_empty() {
        format!("c-{:016x}.autodidact", fnv1a(title.as_bytes()))
    } else {
        format!("{slug}.autodidact")
    }
}

/// FNV-1a: stable across Rust versions and platforms, unlike `DefaultHasher`.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// TEXT values may not hold control characters but tabs; the crate escapes `\n` but would
/// pass a bare `\r` through, which ends the content line early in strict parsers.
fn text(value: &str) -> String {
    value
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| !c.is_control() || c == '\n' || c == '\t')
        .collect()
}

/// A name is one line: line breaks and runs of spaces become one space.
fn one_line(value: &str) -> String {
    text(value).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn to_naive(date: Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        i32::from(date.year()),
        u32::try_from(date.month()).ok()?,
        u32::try_from(date.day()).ok()?,
    )
}

/// Whole seconds: `DTSTAMP` has no fractions. Every jiff timestamp is within chrono's range.
fn to_utc(timestamp: Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp(timestamp.as_second(), 0).unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::curriculum::{Minutes, check_toml};
    use crate::plan::{PlanRequest, WeeklyBudget, plan_schedule};

    const SOURCE: &str = r#"title = "Maths, again"
[[phases]]
title = "Algebra"
[[phases.items]]
id = "linear-algebra"
kind = "book"
title = "Linear Algebra Done Right"
hours = 30
[[phases.items]]
id = "calculus"
kind = "course"
title = "Calculus, one"
hours = 10
"#;

    fn export(reviews: &[IcsReview]) -> String {
        let c = check_toml(SOURCE).curriculum.unwrap();
        let mut request = PlanRequest::new(
            &c,
            WeeklyBudget::PerWeek(Minutes::from_hours(10)),
            date(2026, 12, 7),
        );
        request.done = [ItemId::parse("linear-algebra").unwrap()].into();
        let plan = plan_schedule(&request).unwrap();
        let stamp: Timestamp = "2026-12-01T08:00:00Z".parse().unwrap();
        plan_ics_with_reviews(&c, &plan, reviews, &IcsOptions::new(stamp))
    }

    #[test]
    fn a_review_is_an_all_day_event_with_a_stable_uid() {
        let review = IcsReview {
            follow: FollowId(42),
            item: ItemId::parse("linear-algebra").unwrap(),
            title: "Linear Algebra Done Right".into(),
            due: date(2026, 12, 10),
        };
        let ics = export(std::slice::from_ref(&review));
        let unfolded = ics.replace("\r\n ", "");
        assert!(
            unfolded.contains("SUMMARY:Review: Linear Algebra Done Right\r\n"),
            "{ics}"
        );
        assert!(unfolded.contains("UID:review-42-linear-algebra@maths-again.autodidact\r\n"));
        assert!(unfolded.contains("DTSTART;VALUE=DATE:20261210\r\n"));
        assert!(unfolded.contains("DTEND;VALUE=DATE:20261211\r\n"));
        let parsed: icalendar::Calendar = ics.parse().unwrap();
        assert_eq!(
            parsed.components.len(),
            3,
            "the plan's two events and the review"
        );
        // Moving the review moves the event: same UID.
        let moved = export(&[IcsReview {
            due: date(2026, 12, 20),
            ..review
        }]);
        assert!(
            moved
                .replace("\r\n ", "")
                .contains("UID:review-42-linear-algebra@")
        );
    }

    #[test]
    fn without_reviews_the_file_is_the_plans() {
        let c = check_toml(SOURCE).curriculum.unwrap();
        let request = PlanRequest::new(
            &c,
            WeeklyBudget::PerWeek(Minutes::from_hours(10)),
            date(2026, 12, 7),
        );
        let plan = plan_schedule(&request).unwrap();
        let options = IcsOptions::new("2026-12-01T08:00:00Z".parse().unwrap());
        assert_eq!(
            plan_ics(&c, &plan, &options),
            plan_ics_with_reviews(&c, &plan, &[], &options)
        );
        assert!(!plan_ics(&c, &plan, &options).contains("Review:"));
    }
}
