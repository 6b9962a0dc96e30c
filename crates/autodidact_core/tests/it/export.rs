//! Exports: Markdown for people and GitHub, iCalendar for calendar programs. Outputs are read
//! back with real parsers (pulldown-cmark, icalendar's parser) rather than matched as text.

use std::collections::BTreeSet;

use autodidact_core::curriculum::{
    Curriculum, Effort, EstimateSource, Item, ItemId, ItemKind, Minutes, Phase, Tenths,
};
use autodidact_core::export::{IcsOptions, curriculum_markdown, plan_ics, plan_markdown};
use autodidact_core::plan::{Plan, PlanRequest, WeeklyBudget, plan_schedule};
use icalendar::parser::{read_calendar, unfold};
use jiff::Timestamp;
use jiff::civil::{Date, date};
use proptest::prelude::*;
use pulldown_cmark::{Event, Options, Parser, Tag};

const HOSTILE: &str = "[click](javascript:alert(1))<script>alert(1)</script>";

fn item(id: &str, kind: ItemKind, title: &str, effort: Effort) -> Item {
    Item {
        id: ItemId::parse(id).unwrap(),
        kind,
        title: title.into(),
        url: None,
        effort,
        estimate_source: EstimateSource::Stated,
        skills: vec![],
        requires: vec![],
        mode_override: None,
        notes: String::new(),
        due: None,
    }
}

fn hours(h: u32) -> Effort {
    Effort::Hours(Minutes::from_hours(h))
}

/// Two phases, three items: a guessed course with a URL and notes, a book with a range, and a
/// project estimated in weeks that needs both.
fn sample() -> Curriculum {
    let mut python = item(
        "python",
        ItemKind::Course,
        "Python for Everybody",
        hours(20),
    );
    python.url = Some("https://www.py4e.com/".into());
    python.estimate_source = EstimateSource::Guess;
    python.skills = vec!["python".into(), "pro`gram`ming".into()];
    python.notes = "Do the exercises.\n\nAll of them.".into();
    let mut sql = item(
        "sql",
        ItemKind::Book,
        "SQL, joins; and \"friends\"",
        Effort::HoursRange {
            min: Minutes::from_hours(80),
            max: Minutes::from_hours(120),
        },
    );
    sql.requires = vec![ItemId::parse("python").unwrap()];
    let mut capstone = item(
        "capstone",
        ItemKind::Project,
        "Capstone",
        Effort::Weeks {
            min_weeks: Tenths::new(20),
            max_weeks: Tenths::new(20),
            weekly: Some(Minutes::from_hours(5)),
        },
    );
    capstone.url = Some("https://example.com/rust (language)".into());
    capstone.requires = vec![
        ItemId::parse("python").unwrap(),
        ItemId::parse("sql").unwrap(),
    ];
    Curriculum {
        title: "Data Engineering".into(),
        description: "A path into **data** work.".into(),
        author: "Ada".into(),
        hours_per_week: Some(Minutes::from_hours(10)),
        phases: vec![
            Phase {
                title: "Foundations".into(),
                description: "Start _here_.".into(),
                items: vec![python, sql],
            },
            Phase {
                title: "Projects".into(),
                description: String::new(),
                items: vec![capstone],
            },
        ],
    }
}

fn plan(c: &Curriculum, done: &[&str], breaks: &[&str]) -> Plan {
    let budget = WeeklyBudget::PerWeek(Minutes::from_hours(10));
    let mut request = PlanRequest::new(c, budget, date(2026, 12, 7));
    request.done = done.iter().map(|id| ItemId::parse(id).unwrap()).collect();
    request.breaks = breaks.iter().map(|b| b.parse().unwrap()).collect();
    plan_schedule(&request).unwrap()
}

fn options(at: &str) -> IcsOptions {
    IcsOptions::new(at.parse::<Timestamp>().unwrap())
}

fn gfm(markdown: &str) -> Vec<Event<'_>> {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    Parser::new_ext(markdown, options).collect()
}

/// What a reader sees: the text of the rendered document.
fn rendered_text(events: &[Event<'_>]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect()
}

fn assert_no_html_and_only_web_links(markdown: &str) {
    for event in gfm(markdown) {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                panic!("raw HTML {html:?} in\n{markdown}")
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => assert!(
                dest_url.starts_with("https://") || dest_url.starts_with("http://"),
                "link to {dest_url} in\n{markdown}"
            ),
            _ => {}
        }
    }
}

fn link_targets(markdown: &str) -> Vec<String> {
    gfm(markdown)
        .into_iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Curriculum Markdown

#[test]
fn curriculum_markdown_lists_every_phase_and_item_as_a_task() {
    let c = sample();
    let md = curriculum_markdown(&c);
    assert!(md.starts_with("# Data Engineering\n"), "{md}");
    assert!(
        md.contains("A path into **data** work."),
        "description keeps its Markdown"
    );
    assert!(
        md.contains("## 1. Foundations\n") && md.contains("## 2. Projects\n"),
        "{md}"
    );
    assert!(
        md.contains("By Ada · 3 items in 2 phases · 130 h in total (110–150 h)"),
        "{md}"
    );
    assert!(
        md.contains("at the suggested 10 h a week, about 13 weeks"),
        "{md}"
    );
    assert!(md.contains(
        "- [ ] **[Python for Everybody](https://www.py4e.com/)** `python` · course · 20 h (guess) · skills `python` ``pro`gram`ming``"
    ), "{md}");
    assert!(
        md.contains("`sql` · book · 80–120 h · requires `python`"),
        "{md}"
    );
    assert!(
        md.contains(
            "`capstone` · project · 2 weeks at 5 h a week (10 h) · requires `python`, `sql`"
        ),
        "{md}"
    );
    assert!(
        md.contains("\n  Do the exercises.\n\n  All of them.\n"),
        "notes nest under the item:\n{md}"
    );

    let events = gfm(&md);
    let tasks = events
        .iter()
        .filter(|e| matches!(e, Event::TaskListMarker(false)))
        .count();
    assert_eq!(tasks, 3);
    let text = rendered_text(&events);
    for item in c.items() {
        assert!(
            text.contains(&item.title),
            "{} is missing from\n{text}",
            item.title
        );
    }
}

#[test]
fn a_hostile_title_cannot_inject_a_link_or_html_into_markdown() {
    let mut c = sample();
    c.title = HOSTILE.into();
    c.author = "<b>Mallory</b>".into();
    c.phases[0].title = format!("# {HOSTILE}");
    c.phases[0].items[0].title = HOSTILE.into();
    c.phases[0].items[0].skills = vec![HOSTILE.into()];
    c.phases[0].items[1].title = "| table | breaker |\n# heading".into();
    c.phases[0].description =
        "Fine **bold**, [good](https://ok.example) and [bad](javascript:alert(1)).\n\n<div onclick=x>\n\n*hi*\n</div>\n\n<javascript:alert(1)> ![img](data:image/png;base64,xx)".into();
    c.phases[0].items[0].notes =
        "<img src=x onerror=alert(1)> [ref][r]\n\n[r]: javascript:alert(1)".into();

    let md = curriculum_markdown(&c);
    assert_no_html_and_only_web_links(&md);
    let text = rendered_text(&gfm(&md));
    // Found by the property test below: one field's definition serving another's `[r]`; a
    // fence left open pairing with one in a later field; a tab that indents less once nested.
    let mut split = sample();
    split.description = "[r] and ~~~".into();
    split.phases[0].description = "~~~".into();
    split.phases[0].items[0].notes = "[r]: javascript:x\n~~~\n- <script>x</script>".into();
    split.phases[0].items[1].notes = "javascript:alert(1)\n\t<!--".into();
    assert_no_html_and_only_web_links(&curriculum_markdown(&split));
    assert!(text.contains(HOSTILE), "the title shows as itself:\n{text}");
    assert!(text.contains("| table | breaker | # heading"), "{text}");
    assert!(
        md.contains("Fine **bold**, [good](https://ok.example)"),
        "safe Markdown stays:\n{md}"
    );
    assert_eq!(
        link_targets(&md),
        [
            "https://ok.example",
            "https://www.py4e.com/",
            "https://example.com/rust%20%28language%29"
        ]
    );
}

#[test]
fn only_web_urls_become_links_and_they_stay_one_link() {
    let mut c = sample();
    c.phases[0].items[0].url = Some("javascript:alert(document.cookie)".into());
    c.phases[0].items[1].url = Some("data:text/html,<script>alert(1)</script>".into());
    let md = curriculum_markdown(&c);
    assert!(!md.contains("javascript:") && !md.contains("data:"), "{md}");
    assert!(
        md.contains("- [ ] **Python for Everybody** `python`"),
        "unlinked title:\n{md}"
    );
    assert_eq!(
        link_targets(&md),
        ["https://example.com/rust%20%28language%29"]
    );
}

/// Text built from the pieces Markdown and HTML are made of.
fn markup() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "javascript:alert(1)",
        "https://ok.example/",
        "mailto:a@b.c",
        "<script>",
        "</div>",
        "<a href=x>",
        "<http://x>",
        "<a@b.c>",
        "<!--",
        "-->",
        "<?php",
        "<![CDATA[",
        "<!DOCTYPE",
        "&#60;",
        "[r]: javascript:x\n",
        "[r]",
        "[^1]",
        "![",
        "```",
        "~~~",
        "|---|",
        "\n\n",
        "\n- ",
        "\n> ",
        "\n1. ",
        "    ",
        "\t",
        "\\",
    ])
    .prop_map(str::to_owned);
    let piece = prop_oneof![known, "[\\[\\]()<>!*_`#&|\\\\a-z:/ \n-]{1,6}"];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_user_text_turns_into_html_or_a_non_web_link(
        title in markup(),
        description in markup(),
        notes in markup(),
        url in markup(),
    ) {
        let mut c = sample();
        c.title = title.clone();
        c.phases[0].title = title.clone();
        c.phases[0].description = description;
        c.phases[0].items[0].title = title;
        c.phases[0].items[0].notes = notes;
        c.phases[0].items[0].url = Some(url);
        let md = curriculum_markdown(&c);
        assert_no_html_and_only_web_links(&md);
        let p = plan(&c, &[], &[]);
        assert_no_html_and_only_web_links(&plan_markdown(&c, &p));
    }
}

// ---------------------------------------------------------------------------------------------
// Plan Markdown

#[test]
fn plan_markdown_totals_match_the_plan() {
    let c = sample();
    let p = plan(&c, &["python"], &[]);
    let md = plan_markdown(&c, &p);
    assert_no_html_and_only_web_links(&md);
    let end = p.end.unwrap();
    assert!(
        md.contains(&format!(
            "- **Start:** 2026-12-07\n- **End:** {end} ({} weeks)",
            p.weeks.len()
        )),
        "{md}"
    );
    assert!(
        md.contains("- **Total:** 110 h of study for 2 items (1 already done)"),
        "{md}"
    );
    assert!(md.contains("- **Budget:** 10 h a week"), "{md}");

    let phase_sum: Minutes = p.phases.iter().map(|ph| ph.minutes).sum();
    assert_eq!(phase_sum, p.total);
    for (n, phase) in p.phases.iter().enumerate() {
        let row = format!(
            "| {}. {} | {} | {} | {} |",
            n + 1,
            phase.title,
            phase.minutes,
            phase.end.unwrap(),
            phase.end_week.unwrap()
        );
        assert!(md.contains(&row), "missing {row} in\n{md}");
    }
    assert!(
        md.contains(&format!(
            "| **Total** | **110 h** | **{end}** | **{}** |",
            p.weeks.len()
        )),
        "{md}"
    );

    let week_rows: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains(" – "))
        .collect();
    assert_eq!(week_rows.len(), p.weeks.len());
    for (row, week) in week_rows.iter().zip(&p.weeks) {
        assert!(
            row.starts_with(&format!(
                "| {} | {} – {} |",
                week.number, week.start, week.end
            )),
            "{row}"
        );
        assert!(
            row.ends_with(&format!("| {} / {} |", week.planned(), week.capacity)),
            "{row}"
        );
    }
    assert!(md.contains("| | | **Total** | **110 h** / "), "{md}");
    assert!(
        week_rows[0].contains("SQL, joins; and \"friends\" (10 h)"),
        "{}",
        week_rows[0]
    );
}

#[test]
fn break_weeks_are_marked_as_breaks_in_plan_markdown() {
    let c = sample();
    let p = plan(&c, &[], &["2026-12-21..2027-01-03"]);
    let md = plan_markdown(&c, &p);
    let rows: Vec<&str> = md.lines().filter(|l| l.contains("_break_")).collect();
    assert_eq!(
        rows,
        [
            "| 3 | 2026-12-21 – 2026-12-27 | _break_ | 0 h / 0 h |",
            "| 4 | 2026-12-28 – 2027-01-03 | _break_ | 0 h / 0 h |",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// iCalendar

/// An event as read back by icalendar's parser, text unescaped.
#[derive(Debug)]
struct ParsedEvent {
    uid: String,
    summary: String,
    start: String,
    end: String,
    all_day: bool,
    alarms: Vec<(String, String)>,
}

fn parse_events(ics: &str) -> Vec<ParsedEvent> {
    let unfolded = unfold(ics);
    let calendar = read_calendar(&unfolded).unwrap();
    let prop = |c: &icalendar::parser::Component<'_>, name: &str| {
        c.find_prop(name)
            .map(|p| p.val.as_str().to_owned())
            .unwrap_or_default()
    };
    let is_date = |c: &icalendar::parser::Component<'_>, name: &str| {
        c.find_prop(name).is_some_and(|p| {
            p.params.iter().any(|param| {
                param.key == "VALUE" && param.val.as_ref().is_some_and(|v| v.as_str() == "DATE")
            })
        })
    };
    calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|c| ParsedEvent {
            uid: prop(c, "UID"),
            summary: prop(c, "SUMMARY"),
            start: prop(c, "DTSTART"),
            end: prop(c, "DTEND"),
            all_day: is_date(c, "DTSTART") && is_date(c, "DTEND"),
            alarms: c
                .components
                .iter()
                .filter(|a| a.name == "VALARM")
                .map(|a| (prop(a, "ACTION"), prop(a, "TRIGGER")))
                .collect(),
        })
        .collect()
}

fn ics_date(d: Date) -> String {
    d.strftime("%Y%m%d").to_string()
}

#[test]
fn the_calendar_has_an_event_per_open_item_and_per_phase_deadline() {
    let c = sample();
    for done in [
        &[][..],
        &["python"],
        &["python", "sql"],
        &["python", "sql", "capstone"],
    ] {
        let p = plan(&c, done, &[]);
        let ics = plan_ics(&c, &p, &options("2026-12-01T12:00:00Z"));
        let expected = p.items.iter().filter(|i| !i.done).count()
            + p.phases.iter().filter(|ph| ph.end.is_some()).count();
        assert_eq!(parse_events(&ics).len(), expected, "done: {done:?}");
        // The crate's own reader accepts it too.
        let calendar: icalendar::Calendar = ics.parse().unwrap();
        assert_eq!(
            calendar.property_value("PRODID"),
            Some("-//Autodidact//Plan//EN")
        );
        assert_eq!(
            calendar.property_value("X-WR-CALNAME"),
            Some("Data Engineering")
        );
        assert_eq!(calendar.property_value("VERSION"), Some("2.0"));
    }
}

#[test]
fn every_phase_deadline_carries_a_display_reminder_and_items_do_not() {
    let c = sample();
    let p = plan(&c, &[], &[]);
    let events = parse_events(&plan_ics(&c, &p, &options("2026-12-01T12:00:00Z")));
    let (phases, items): (Vec<_>, Vec<_>) =
        events.iter().partition(|e| e.uid.starts_with("phase-"));
    assert_eq!(phases.len(), 2);
    for event in phases {
        assert!(event.summary.starts_with("Phase due: "), "{event:?}");
        assert_eq!(event.alarms.len(), 1, "{event:?}");
        let (action, trigger) = &event.alarms[0];
        assert_eq!(action, "DISPLAY");
        assert!(trigger.starts_with("-P"), "fires before the day: {trigger}");
    }
    assert!(items.iter().all(|e| e.alarms.is_empty()));
}

#[test]
fn uids_are_unique_and_stable_across_exports() {
    let c = sample();
    let p = plan(&c, &[], &[]);
    let first = plan_ics(&c, &p, &options("2026-12-01T12:00:00Z"));
    let later = plan_ics(&c, &p, &options("2027-02-01T08:30:00Z"));
    let uids =
        |ics: &str| -> Vec<String> { parse_events(ics).into_iter().map(|e| e.uid).collect() };
    let (a, b) = (uids(&first), uids(&later));
    assert_eq!(a, b);
    assert_eq!(
        a.iter().collect::<BTreeSet<_>>().len(),
        a.len(),
        "unique: {a:?}"
    );
    assert!(
        a.contains(&"item-python@data-engineering.autodidact".to_owned()),
        "{a:?}"
    );
    assert!(
        a.contains(&"phase-1@data-engineering.autodidact".to_owned()),
        "{a:?}"
    );
    // Nothing random or clock-dependent: the same input gives the same bytes.
    assert_eq!(first, plan_ics(&c, &p, &options("2026-12-01T12:00:00Z")));
    assert!(first.contains("\r\nDTSTAMP:20261201T120000Z\r\n"));
    assert!(later.contains("\r\nDTSTAMP:20270201T083000Z\r\n"));

    // Titles without ASCII letters still give each curriculum its own UIDs.
    let (mut maths, mut physics) = (c.clone(), c.clone());
    maths.title = "数学".into();
    physics.title = "物理".into();
    let (m, ph) = (
        uids(&plan_ics(&maths, &p, &options("2026-12-01T12:00:00Z"))),
        uids(&plan_ics(&physics, &p, &options("2026-12-01T12:00:00Z"))),
    );
    assert!(m.iter().all(|uid| !ph.contains(uid)), "{m:?} {ph:?}");
}

#[test]
fn all_day_events_end_on_the_day_after_their_last_day() {
    let c = sample();
    let p = plan(&c, &[], &[]);
    let events = parse_events(&plan_ics(&c, &p, &options("2026-12-01T12:00:00Z")));
    assert!(events.iter().all(|e| e.all_day), "{events:?}");
    for planned in &p.items {
        let span = planned.span.unwrap();
        let event = events
            .iter()
            .find(|e| e.uid.starts_with(&format!("item-{}@", planned.id)))
            .unwrap();
        assert_eq!(event.start, ics_date(span.start));
        assert_eq!(event.end, ics_date(span.end.tomorrow().unwrap()));
    }
    // 20 h at 10 h a week: two whole weeks, Monday to Sunday, so DTEND is the third Monday.
    let python = events
        .iter()
        .find(|e| e.uid.starts_with("item-python@"))
        .unwrap();
    assert_eq!(
        (python.start.as_str(), python.end.as_str()),
        ("20261207", "20261221")
    );
    let deadline = events
        .iter()
        .find(|e| e.uid.starts_with("phase-2@"))
        .unwrap();
    let end = p.phases[1].end.unwrap();
    assert_eq!(
        (deadline.start.clone(), deadline.end.clone()),
        (ics_date(end), ics_date(end.tomorrow().unwrap()))
    );
}

#[test]
fn long_text_is_escaped_and_folded_at_75_octets() {
    let title = "Ünïcödé Grundlagen, Teil 1; mit Kommas, Semikolons; und\nZeilenumbrüchen\r\n\
                 — 数学と物理の長いタイトル, fünfundsiebzig Oktette überschreiten; 🦀🦀🦀 \\ Ende";
    let mut c = sample();
    c.phases[0].items[0].title = title.into();
    c.phases[0].title = title.into();
    let p = plan(&c, &[], &[]);
    let mut opts = options("2026-12-01T12:00:00Z");
    opts.calendar_name = Some(format!("My plan: {title}"));
    let ics = plan_ics(&c, &p, &opts);

    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    let body = ics.strip_suffix("\r\n").unwrap();
    for line in body.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break in {line:?}"
        );
    }
    assert!(
        body.split("\r\n").any(|l| l.starts_with(' ')),
        "long lines are folded"
    );

    // Every length of text, so that each way a line can end is folded correctly.
    for len in 60..=240 {
        let mut c = sample();
        c.phases[0].items[0].title = "aé,;\n数".chars().cycle().take(len).collect();
        c.phases[0].items[0].url = Some(format!("https://example.com/{}", "x".repeat(len)));
        let ics = plan_ics(&c, &plan(&c, &[], &[]), &options("2026-12-01T12:00:00Z"));
        for line in ics.split_terminator("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        }
        let summary = &parse_events(&ics)[0].summary;
        assert_eq!(summary, &c.phases[0].items[0].title);
    }

    let expected = title.replace("\r\n", "\n");
    let events = parse_events(&ics);
    let item = events
        .iter()
        .find(|e| e.uid.starts_with("item-python@"))
        .unwrap();
    assert_eq!(item.summary, expected);
    let phase = events
        .iter()
        .find(|e| e.uid.starts_with("phase-1@"))
        .unwrap();
    assert_eq!(phase.summary, format!("Phase due: {expected}"));
    let calendar: icalendar::Calendar = ics.parse().unwrap();
    let one_line = title.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        calendar.property_value("X-WR-CALNAME"),
        Some(format!("My plan: {one_line}").as_str())
    );
}
