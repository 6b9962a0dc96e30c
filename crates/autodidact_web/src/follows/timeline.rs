//! The plan as a picture: weeks across, one row per item, drawn as SVG on the server so it
//! shows without JavaScript. Positions are computed here and written as SVG attributes (the
//! content security policy forbids inline styles), colours come from classes in `app.css`,
//! and every bar and marker carries a `<title>`. The page also has the same plan as a table.

use crate::insight::words::day_words;
use autodidact_core::curriculum::{ItemId, Mode};
use autodidact_core::plan::{Plan, PlannedItem};
use autodidact_core::store::ItemStatus;
use jiff::civil::Date;

/// Room for the item titles, left of the chart.
const LABEL_WIDTH: i64 = 250;
const HEADER_HEIGHT: i64 = 40;
const ROW_HEIGHT: i64 = 22;
const BAR_HEIGHT: i64 = 14;
const RIGHT_PAD: i64 = 16;
/// Longest title drawn in full; longer ones are cut, with the whole title in `<title>`.
const LABEL_CHARS: usize = 34;

#[derive(Debug)]
pub struct Timeline {
    pub width: i64,
    pub height: i64,
    pub chart_left: i64,
    pub chart_top: i64,
    pub week_ticks: Vec<Tick>,
    pub month_ticks: Vec<Tick>,
    pub rows: Vec<Row>,
    pub deadlines: Vec<Deadline>,
    pub today: Option<i64>,
    /// The baseline of the line under the rows, where the today marker is labelled.
    pub footer_y: i64,
}

#[derive(Debug)]
pub struct Tick {
    pub x: i64,
    pub label: String,
}

#[derive(Debug)]
pub struct Row {
    pub phase: bool,
    /// The row's text baseline.
    pub text_y: i64,
    pub label: String,
    pub title: String,
    pub bar: Option<Bar>,
    /// For finished items: `done` or `skipped`, drawn where the chart starts.
    pub finished: Option<&'static str>,
    pub item_id: Option<String>,
}

#[derive(Debug)]
pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    pub class: &'static str,
    pub tip: String,
}

#[derive(Debug)]
pub struct Deadline {
    pub x: i64,
    pub y: i64,
    /// The diamond's corners.
    pub points: String,
    pub label: String,
    pub tip: String,
    /// Where the label starts or ends: left of the diamond when there is room, else right.
    pub text_x: i64,
    pub anchor: &'static str,
}

struct Scale {
    week_one: Date,
    day_width: i64,
    /// For the dates in words.
    today: Date,
}

impl Scale {
    fn x(&self, date: Date) -> i64 {
        LABEL_WIDTH + (date - self.week_one).get_days() as i64 * self.day_width
    }
}

impl Timeline {
    /// Draws `plan`; `status` gives each item's board status.
    pub fn new(plan: &Plan, today: Date, status: impl Fn(&ItemId) -> ItemStatus) -> Self {
        let weeks = plan.weeks.len().max(1) as i64;
        // Narrower days for long plans, so a year or two still fits a screen or two.
        let day_width = match weeks {
            0..=80 => 4,
            81..=200 => 2,
            _ => 1,
        };
        let week_one = plan.weeks.first().map_or(plan.start, |w| w.start);
        let scale = Scale {
            week_one,
            day_width,
            today,
        };
        let chart_width = weeks * 7 * day_width;
        let rows = rows(plan, &scale, &status);
        let height = HEADER_HEIGHT + rows.len() as i64 * ROW_HEIGHT + 20;
        let last_day = plan.weeks.last().map_or(plan.start, |w| w.end);
        Self {
            width: LABEL_WIDTH + chart_width + RIGHT_PAD,
            height,
            chart_left: LABEL_WIDTH,
            chart_top: HEADER_HEIGHT - 4,
            footer_y: height - 4,
            week_ticks: week_ticks(plan, &scale),
            month_ticks: month_ticks(plan, &scale),
            deadlines: deadlines(plan, &scale),
            rows,
            today: (week_one <= today && today <= last_day).then(|| scale.x(today) + day_width / 2),
        }
    }
}

fn week_ticks(plan: &Plan, scale: &Scale) -> Vec<Tick> {
    let step = match plan.weeks.len() {
        0..=40 => 1,
        41..=80 => 2,
        81..=200 => 4,
        _ => 13,
    };
    plan.weeks
        .iter()
        .step_by(step)
        .map(|w| Tick {
            x: scale.x(w.start),
            label: format!("W{}", w.number),
        })
        .collect()
}

/// A tick where the chart starts and on the first of each later month, labelled `Mar`, with
/// the year at the start and in January (`Jan 2027`).
fn month_ticks(plan: &Plan, scale: &Scale) -> Vec<Tick> {
    let firsts = plan.weeks.iter().filter_map(|w| {
        let first = w.end.first_of_month();
        (first >= w.start && first > scale.week_one).then_some(first)
    });
    let mut ticks = vec![Tick {
        x: scale.x(scale.week_one),
        label: scale.week_one.strftime("%b %Y").to_string(),
    }];
    ticks.extend(firsts.map(|first| Tick {
        x: scale.x(first),
        label: if first.month() == 1 {
            first.strftime("%b %Y").to_string()
        } else {
            first.strftime("%b").to_string()
        },
    }));
    // A month that starts in the first week would crowd the first label.
    if ticks.len() > 1 && ticks[1].x - ticks[0].x < 7 * scale.day_width * 2 {
        ticks.remove(0);
    }
    ticks
}

/// `week 3` or `weeks 3 to 5`.
pub fn weeks_text(start: u32, end: u32) -> String {
    if start == end {
        format!("week {start}")
    } else {
        format!("weeks {start} to {end}")
    }
}

fn rows(plan: &Plan, scale: &Scale, status: &impl Fn(&ItemId) -> ItemStatus) -> Vec<Row> {
    let mut rows = Vec::new();
    for (p, phase) in plan.phases.iter().enumerate() {
        rows.push(Row {
            phase: true,
            text_y: 0,
            label: short(&phase.title),
            title: phase.title.clone(),
            bar: None,
            finished: None,
            item_id: None,
        });
        for item in plan.items.iter().filter(|i| i.phase == p) {
            rows.push(item_row(item, scale, status(&item.id)));
        }
    }
    for (n, row) in rows.iter_mut().enumerate() {
        let top = HEADER_HEIGHT + n as i64 * ROW_HEIGHT;
        row.text_y = top + ROW_HEIGHT - 7;
        if let Some(bar) = &mut row.bar {
            bar.y = top + (ROW_HEIGHT - BAR_HEIGHT) / 2;
        }
    }
    rows
}

fn item_row(item: &PlannedItem, scale: &Scale, status: ItemStatus) -> Row {
    let bar = item.span.map(|span| {
        let days = (span.end - span.start).get_days() as i64 + 1;
        let class = match (item.mode, status) {
            (_, ItemStatus::Doing) => "bar doing",
            (Mode::Making, _) => "bar make",
            (Mode::TakingIn, _) => "bar take",
        };
        Bar {
            x: scale.x(span.start),
            y: 0,
            width: (days * scale.day_width).max(2),
            height: BAR_HEIGHT,
            class,
            tip: format!(
                "{}: {} to {} ({}), {}",
                item.title,
                day_words(span.start, scale.today),
                day_words(span.end, scale.today),
                weeks_text(span.start_week, span.end_week),
                item.minutes
            ),
        }
    });
    let finished = match status {
        ItemStatus::Done => Some("✓ done"),
        ItemStatus::Skipped => Some("skipped"),
        ItemStatus::Todo | ItemStatus::Doing => None,
    };
    Row {
        phase: false,
        text_y: 0,
        label: short(&item.title),
        title: item.title.clone(),
        bar,
        finished: finished.filter(|_| item.done),
        item_id: Some(item.id.as_str().to_owned()),
    }
}

/// A diamond on each phase's row at the day its last item ends.
fn deadlines(plan: &Plan, scale: &Scale) -> Vec<Deadline> {
    let mut row = 0usize;
    let mut out = Vec::new();
    for (p, phase) in plan.phases.iter().enumerate() {
        let phase_row = row;
        row += 1 + plan.items.iter().filter(|i| i.phase == p).count();
        let Some(end) = phase.end else { continue };
        let x = scale.x(end) + scale.day_width;
        let y = HEADER_HEIGHT + phase_row as i64 * ROW_HEIGHT + ROW_HEIGHT / 2;
        let room_on_left = x - LABEL_WIDTH > 110;
        out.push(Deadline {
            text_x: if room_on_left { x - 10 } else { x + 10 },
            anchor: if room_on_left { "end" } else { "start" },
            x,
            y,
            points: format!(
                "{},{} {},{} {},{} {},{}",
                x,
                y - 6,
                x + 6,
                y,
                x,
                y + 6,
                x - 6,
                y
            ),
            label: format!("ends {}", day_words(end, scale.today)),
            tip: format!("{} ends on {}", phase.title, day_words(end, scale.today)),
        });
    }
    out
}

fn short(title: &str) -> String {
    if title.chars().count() <= LABEL_CHARS {
        return title.to_owned();
    }
    let cut: String = title.chars().take(LABEL_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}
