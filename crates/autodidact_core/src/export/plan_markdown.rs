//! A dated plan as Markdown: a summary, when each phase ends, and what each week holds.

use std::fmt::Write as _;

use crate::curriculum::{Curriculum, Minutes};
use crate::plan::{Plan, PlannedWeek};

use super::escape::inline;
use super::{budget_text, count};

/// The plan as a Markdown document: a summary, a table of phases with the day each ends, and
/// a week-by-week table; weeks with no study time (breaks) say so.
pub fn plan_markdown(c: &Curriculum, plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Study plan: {}\n", inline(&c.title));
    push_summary(&mut out, plan);
    push_phases(&mut out, plan);
    push_weeks(&mut out, plan);
    out
}

fn push_summary(out: &mut String, plan: &Plan) {
    let open = plan.items.iter().filter(|i| !i.done).count();
    let done = plan.items.len() - open;
    let _ = writeln!(out, "- **Start:** {}", plan.start);
    match plan.end {
        Some(end) => {
            let weeks = plan.weeks.len();
            let _ = writeln!(out, "- **End:** {end} ({})", count(weeks, "week", "weeks"));
        }
        None => {
            let _ = writeln!(out, "- **End:** nothing left to do");
        }
    }
    let mut total = format!(
        "{} of study for {}",
        plan.total,
        count(open, "item", "items")
    );
    if done > 0 {
        let _ = write!(total, " ({done} already done)");
    }
    let _ = writeln!(out, "- **Total:** {total}");
    let _ = writeln!(out, "- **Budget:** {}", budget_text(&plan.budget));
}

fn push_phases(out: &mut String, plan: &Plan) {
    let _ = writeln!(out, "\n## Phases\n");
    let _ = writeln!(out, "| Phase | Hours | Ends on | Week |");
    let _ = writeln!(out, "|---|---:|---|---:|");
    for (n, phase) in plan.phases.iter().enumerate() {
        let (ends, week) = match (phase.end, phase.end_week) {
            (Some(end), Some(week)) => (end.to_string(), week.to_string()),
            (Some(end), None) => (end.to_string(), "–".to_owned()),
            (None, _) => ("done".to_owned(), "–".to_owned()),
        };
        let _ = writeln!(
            out,
            "| {}. {} | {} | {ends} | {week} |",
            n + 1,
            inline(&phase.title),
            phase.minutes
        );
    }
    let (end, week) = match plan.end {
        Some(end) => (end.to_string(), plan.weeks.len().to_string()),
        None => ("–".to_owned(), "–".to_owned()),
    };
    let _ = writeln!(
        out,
        "| **Total** | **{}** | **{end}** | **{week}** |",
        plan.total
    );
}

fn push_weeks(out: &mut String, plan: &Plan) {
    let _ = writeln!(out, "\n## Weeks\n");
    let _ = writeln!(out, "| Week | Dates | Items | Planned / capacity |");
    let _ = writeln!(out, "|---:|---|---|---|");
    let mut capacity = Minutes::ZERO;
    for week in &plan.weeks {
        capacity = capacity.saturating_add(week.capacity);
        let _ = writeln!(
            out,
            "| {} | {} – {} | {} | {} / {} |",
            week.number,
            week.start,
            week.end,
            week_items(plan, week),
            week.planned(),
            week.capacity
        );
    }
    let _ = writeln!(
        out,
        "| | | **Total** | **{}** / {capacity} |",
        plan.weeks.iter().map(PlannedWeek::planned).sum::<Minutes>()
    );
}

/// `Title (5 h) · Other (2.5 h)`; `_break_` for a week without study time; `–` for a week
/// with nothing in it otherwise (a first week whose study days all come before the start).
fn week_items(plan: &Plan, week: &PlannedWeek) -> String {
    if week.capacity.is_zero() && week.start >= plan.start {
        return "_break_".to_owned();
    }
    let items: Vec<String> = week
        .work
        .iter()
        .filter_map(|&(index, minutes)| {
            let item = plan.items.get(index)?;
            Some(format!("{} ({minutes})", inline(&item.title)))
        })
        .collect();
    if items.is_empty() {
        "–".to_owned()
    } else {
        items.join(" · ")
    }
}
