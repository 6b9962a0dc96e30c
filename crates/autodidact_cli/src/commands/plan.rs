//! `autodidact plan FILE --hours 20 --start 2026-12-07 [--break …] [--format …]`

use std::collections::BTreeSet;
use std::fmt::Write as _;

use anyhow::{Context, Result, anyhow, bail};
use autodidact_core::curriculum::{Curriculum, ItemId, Minutes};
use autodidact_core::export::{IcsOptions, plan_ics, plan_markdown};
use autodidact_core::plan::{Break, Plan, PlanRequest, WeeklyBudget, parse_weekday, plan_schedule};
use jiff::civil::Date;
use serde::Serialize;

use super::load_curriculum;
use crate::cli::{PlanArgs, PlanFormat};
use crate::files::write_output;

pub fn run(args: &PlanArgs) -> Result<()> {
    let curriculum = load_curriculum(&args.file)?;
    let budget = match (&args.hours, curriculum.hours_per_week) {
        (Some(raw), _) => WeeklyBudget::parse(raw).map_err(|e| anyhow!("--hours: {e}"))?,
        (None, Some(weekly)) => WeeklyBudget::PerWeek(weekly),
        (None, None) => {
            bail!("the curriculum suggests no weekly hours: pass --hours, for example --hours 10")
        }
    };
    let start = match &args.start {
        Some(raw) => raw
            .parse::<Date>()
            .map_err(|_| anyhow!("--start: `{raw}` is not a date; write it as YYYY-MM-DD"))?,
        None => jiff::Zoned::now().date(),
    };
    let breaks = args
        .breaks
        .iter()
        .map(|b| b.parse::<Break>().map_err(|e| anyhow!("--break: {e}")))
        .collect::<Result<Vec<_>>>()?;
    let done = parse_done(&curriculum, &args.done)?;
    let week_start = parse_weekday(&args.week_start).ok_or_else(|| {
        anyhow!(
            "--week-start: `{}` is not a weekday; write mon, sun, …",
            args.week_start
        )
    })?;
    let mut request = PlanRequest::new(&curriculum, budget, start);
    request.breaks = breaks;
    request.done = done;
    request.week_start = week_start;
    let plan = plan_schedule(&request)?;
    let text = match args.format {
        PlanFormat::Table => table(&curriculum, &plan),
        PlanFormat::Markdown => plan_markdown(&curriculum, &plan),
        PlanFormat::Json => serde_json::to_string_pretty(&PlanJson::new(&plan))? + "\n",
        PlanFormat::Ics => plan_ics(
            &curriculum,
            &plan,
            &IcsOptions {
                generated_at: jiff::Timestamp::now(),
                calendar_name: Some(curriculum.title.clone()),
            },
        ),
    };
    write_output(args.output.as_deref(), &text, args.force).context("writing the plan")
}

fn parse_done(curriculum: &Curriculum, raw: &[String]) -> Result<BTreeSet<ItemId>> {
    raw.iter()
        .map(|id| id.trim())
        .filter(|id| !id.is_empty())
        .map(|id| {
            let parsed = ItemId::parse(id).map_err(|e| anyhow!("--done: {e}"))?;
            if curriculum.item(&parsed).is_none() {
                bail!("--done: no item has the id `{id}`; `autodidact export FILE` lists the ids");
            }
            Ok(parsed)
        })
        .collect()
}

fn day(d: Date) -> String {
    d.strftime("%a %Y-%m-%d").to_string()
}

fn hours(m: Minutes) -> String {
    m.to_string()
}

/// A terminal table: a row per item per week, phase deadlines as they pass, and a summary.
fn table(curriculum: &Curriculum, plan: &Plan) -> String {
    let mut out = String::new();
    let budget = match plan.budget {
        WeeklyBudget::PerWeek(m) => format!("{} a week", hours(m)),
        WeeklyBudget::PerWeekday(_) => {
            format!("{} a week (by weekday)", hours(plan.budget.weekly_total()))
        }
    };
    let _ = writeln!(
        out,
        "{}\n{budget}, starting {}",
        curriculum.title,
        day(plan.start)
    );
    let title_width = plan
        .items
        .iter()
        .map(|i| i.title.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 48);
    let _ = writeln!(
        out,
        "\n{:>4}  {:<23}  {:<title_width$}  {:>7}  PROGRESS",
        "WEEK", "DATES", "ITEM", "HOURS"
    );
    let mut phase_announced = vec![false; plan.phases.len()];
    let mut done_so_far = vec![Minutes::ZERO; plan.items.len()];
    for week in &plan.weeks {
        let dates = format!(
            "{} – {}",
            week.start.strftime("%Y-%m-%d"),
            week.end.strftime("%m-%d")
        );
        if week.work.is_empty() {
            let why = if week.capacity.is_zero() { "break" } else { "" };
            let _ = writeln!(out, "{:>4}  {dates:<23}  {why}", week.number);
        }
        for &(n, minutes) in &week.work {
            let item = &plan.items[n];
            done_so_far[n] = done_so_far[n].saturating_add(minutes);
            let progress = if done_so_far[n] == item.minutes && minutes == item.minutes {
                String::new()
            } else {
                format!("{} of {}", hours(done_so_far[n]), hours(item.minutes))
            };
            let _ = writeln!(
                out,
                "{:>4}  {dates:<23}  {:<title_width$}  {:>7}  {progress}",
                week.number,
                truncate(&item.title, title_width),
                hours(minutes),
            );
        }
        for (p, phase) in plan.phases.iter().enumerate() {
            if phase.end_week == Some(week.number) && !phase_announced[p] {
                phase_announced[p] = true;
                let end = phase.end.map(day).unwrap_or_default();
                let _ = writeln!(out, "      ── {} ends {end} ──", phase.title);
            }
        }
    }
    let _ = writeln!(out, "\nPHASES");
    for phase in &plan.phases {
        let end = match (phase.end, phase.end_week) {
            (Some(end), Some(week)) => format!("ends {} (week {week})", day(end)),
            _ => "done".to_owned(),
        };
        let _ = writeln!(
            out,
            "  {:<40}  {:>7}  {end}",
            truncate(&phase.title, 40),
            hours(phase.minutes)
        );
    }
    let done = plan.items.iter().filter(|i| i.done).count();
    let end = plan.end.map_or_else(
        || "nothing left to plan".to_owned(),
        |e| format!("ends {}", day(e)),
    );
    let _ = writeln!(
        out,
        "\nTOTAL  {} in {} items over {} weeks; {end}{}",
        hours(plan.total),
        plan.items.len() - done,
        plan.weeks.len(),
        if done > 0 {
            format!(" ({done} already done)")
        } else {
            String::new()
        }
    );
    out.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The JSON form of a plan: ids instead of indices, hours as numbers.
#[derive(Serialize)]
struct PlanJson<'a> {
    start: Date,
    end: Option<Date>,
    total_hours: f64,
    weekly_budget_hours: f64,
    phases: Vec<PhaseJson<'a>>,
    items: Vec<ItemJson<'a>>,
    weeks: Vec<WeekJson<'a>>,
}

#[derive(Serialize)]
struct PhaseJson<'a> {
    title: &'a str,
    hours: f64,
    end: Option<Date>,
    end_week: Option<u32>,
}

#[derive(Serialize)]
struct ItemJson<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'static str,
    mode: &'static str,
    phase: usize,
    hours: f64,
    done: bool,
    start: Option<Date>,
    end: Option<Date>,
    start_week: Option<u32>,
    end_week: Option<u32>,
}

#[derive(Serialize)]
struct WeekJson<'a> {
    number: u32,
    start: Date,
    end: Date,
    capacity_hours: f64,
    planned_hours: f64,
    work: Vec<WorkJson<'a>>,
}

#[derive(Serialize)]
struct WorkJson<'a> {
    item: &'a str,
    hours: f64,
}

impl<'a> PlanJson<'a> {
    fn new(plan: &'a Plan) -> Self {
        Self {
            start: plan.start,
            end: plan.end,
            total_hours: plan.total.hours(),
            weekly_budget_hours: plan.budget.weekly_total().hours(),
            phases: plan
                .phases
                .iter()
                .map(|p| PhaseJson {
                    title: &p.title,
                    hours: p.minutes.hours(),
                    end: p.end,
                    end_week: p.end_week,
                })
                .collect(),
            items: plan
                .items
                .iter()
                .map(|i| ItemJson {
                    id: i.id.as_str(),
                    title: &i.title,
                    kind: i.kind.as_str(),
                    mode: i.mode.as_str(),
                    phase: i.phase,
                    hours: i.minutes.hours(),
                    done: i.done,
                    start: i.span.map(|s| s.start),
                    end: i.span.map(|s| s.end),
                    start_week: i.span.map(|s| s.start_week),
                    end_week: i.span.map(|s| s.end_week),
                })
                .collect(),
            weeks: plan
                .weeks
                .iter()
                .map(|w| WeekJson {
                    number: w.number,
                    start: w.start,
                    end: w.end,
                    capacity_hours: w.capacity.hours(),
                    planned_hours: w.planned().hours(),
                    work: w
                        .work
                        .iter()
                        .map(|&(n, m)| WorkJson {
                            item: plan.items[n].id.as_str(),
                            hours: m.hours(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}
