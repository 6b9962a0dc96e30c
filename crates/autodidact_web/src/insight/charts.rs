//! The dashboard's pictures as geometry: the year heatmap, the weekly bars and the burn-up.
//!
//! As with the plan's timeline, positions are computed here and written as SVG attributes by
//! the templates (the content security policy forbids inline styles), colours come from classes
//! in `app.css`, every chart has a `viewBox` so it scales down to a phone, and every square,
//! bar and line carries a `<title>`.

use autodidact_core::curriculum::Minutes;
use autodidact_core::insight::burnup::Line;
use autodidact_core::insight::heatmap::Heatmap;
use autodidact_core::insight::weekly::WeekBar;
use jiff::ToSpan;
use jiff::civil::Date;

use super::words::{hm, long_day, short_day};

/// A label placed along an axis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    /// Its position along the axis (x for a horizontal axis, y for a vertical one).
    pub at: i64,
    pub label: String,
}

// ---------------------------------------------------------------------------------------------
// The year heatmap

const HEAT_CELL: i64 = 11;
const HEAT_PITCH: i64 = 13;
const HEAT_LEFT: i64 = 30;
const HEAT_TOP: i64 = 16;

/// One day's square.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeatCell {
    pub x: i64,
    pub y: i64,
    pub level: u8,
    /// `Tue 3 Mar 2026: 1 h 30 min`.
    pub tip: String,
    /// ISO date, for tests and tools.
    pub day: String,
    /// A day of a declared break (or a weekly rest day).
    pub rest: bool,
}

/// The heatmap drawn as 53 columns of weeks by 7 rows of weekdays.
#[derive(Debug, Clone)]
pub struct HeatmapChart {
    pub width: i64,
    pub height: i64,
    pub size: i64,
    pub cells: Vec<HeatCell>,
    /// Month names above the first column of each month.
    pub months: Vec<Tick>,
    /// Weekday names left of the first, third and fifth rows.
    pub weekdays: Vec<Tick>,
}

impl HeatmapChart {
    pub fn new(map: &Heatmap) -> Self {
        let mut cells = Vec::with_capacity(map.days.len());
        let mut months: Vec<Tick> = Vec::new();
        let mut last_month = None;
        for (col, week) in map.weeks().enumerate() {
            let x = HEAT_LEFT + col as i64 * HEAT_PITCH;
            if let Some(first) = week.first() {
                let month = (first.day.year(), first.day.month());
                if last_month != Some(month) {
                    // A month label needs about three columns; the earlier one makes room.
                    if months.last().is_some_and(|m| x - m.at < 3 * HEAT_PITCH) {
                        months.pop();
                    }
                    months.push(Tick {
                        at: x,
                        label: first.day.strftime("%b").to_string(),
                    });
                    last_month = Some(month);
                }
            }
            for (row, day) in week.iter().enumerate() {
                let words = if day.minutes.is_zero() {
                    "no study".to_owned()
                } else {
                    hm(day.minutes)
                };
                cells.push(HeatCell {
                    x,
                    y: HEAT_TOP + row as i64 * HEAT_PITCH,
                    level: day.level,
                    tip: format!("{}: {words}", long_day(day.day)),
                    day: day.day.to_string(),
                    rest: false,
                });
            }
        }
        let weekdays = [0i64, 2, 4]
            .into_iter()
            .filter_map(|row| {
                let day = map.first.checked_add(row.days()).ok()?;
                Some(Tick {
                    at: HEAT_TOP + row * HEAT_PITCH + HEAT_CELL - 2,
                    label: day.strftime("%a").to_string(),
                })
            })
            .collect();
        let columns = map.weeks().count() as i64;
        Self {
            width: HEAT_LEFT + columns * HEAT_PITCH,
            height: HEAT_TOP + 7 * HEAT_PITCH,
            size: HEAT_CELL,
            cells,
            months,
            weekdays,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Weekly hours against the budget

const BARS_WIDTH: i64 = 640;
const BARS_HEIGHT: i64 = 200;
const BARS_LEFT: i64 = 40;
const BARS_RIGHT: i64 = 8;
const BARS_TOP: i64 = 12;
const BARS_BOTTOM: i64 = 22;

/// One week's bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarGeom {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    /// `wbar`, plus `reached` when the budget was met and `current` for this week.
    pub class: String,
    /// `Week of Mon 2 Mar 2026: 12.5 h of 20 h` (weekly hours to the quarter hour).
    pub tip: String,
    /// The week's first day under the bar, on every other bar.
    pub label: Option<String>,
    pub label_x: i64,
}

/// The last weeks as bars, with the budget as a line across them.
#[derive(Debug, Clone)]
pub struct BarsChart {
    pub width: i64,
    pub height: i64,
    pub left: i64,
    pub right: i64,
    /// The y of the axis the bars stand on.
    pub base: i64,
    pub bars: Vec<BarGeom>,
    /// The budget line, one step per week at the budget in force that week (none for a week
    /// without a budget).
    pub budget_steps: Vec<BudgetStep>,
    pub y_ticks: Vec<Tick>,
}

/// One week's part of the budget line.
#[derive(Debug, Clone)]
pub struct BudgetStep {
    pub x1: i64,
    pub x2: i64,
    pub y: i64,
    /// `Budget the week of Mon 2 Mar 2026: 10 h`.
    pub tip: String,
}

impl BarsChart {
    /// Each week's bar against the budget in force that week.
    pub fn new(weeks: &[WeekBar]) -> Self {
        let most = weeks
            .iter()
            .map(|w| w.logged.get().max(w.budget.get()))
            .max()
            .unwrap_or(0);
        // A tenth of headroom, so the budget line never sits on the chart's top edge.
        let (top, y_ticks) = hour_scale((most.saturating_mul(11) / 10).max(60));
        let base = BARS_HEIGHT - BARS_BOTTOM;
        let plot = base - BARS_TOP;
        let y = |m: u32| base - (i64::from(m) * plot) / i64::from(top.max(1));
        let slot = (BARS_WIDTH - BARS_LEFT - BARS_RIGHT) / (weeks.len().max(1) as i64);
        let bars = weeks
            .iter()
            .enumerate()
            .map(|(n, week)| {
                let x = BARS_LEFT + n as i64 * slot + slot / 6;
                let width = slot * 2 / 3;
                let top_y = y(week.logged.get());
                let mut class = "wbar".to_owned();
                if !week.budget.is_zero() && week.reached() {
                    class.push_str(" reached");
                }
                if week.current {
                    class.push_str(" current");
                }
                let of = if week.budget.is_zero() {
                    String::new()
                } else {
                    format!(" of {}", week.budget)
                };
                let so_far = if week.current { " so far" } else { "" };
                BarGeom {
                    x,
                    y: top_y,
                    width,
                    // A week without study still shows a sliver, so the week is visibly there.
                    height: (base - top_y).max(1),
                    class,
                    tip: format!(
                        "Week of {}: {}{of}{so_far}",
                        long_day(week.first),
                        week.logged
                    ),
                    label: (weeks.len() - 1 - n)
                        .is_multiple_of(2)
                        .then(|| short_day(week.first)),
                    label_x: x + width / 2,
                }
            })
            .collect();
        let budget_steps = weeks
            .iter()
            .enumerate()
            .filter(|(_, w)| !w.budget.is_zero())
            .map(|(n, w)| BudgetStep {
                x1: BARS_LEFT + n as i64 * slot,
                x2: BARS_LEFT + (n as i64 + 1) * slot,
                y: y(w.budget.get()),
                tip: format!("Budget the week of {}: {}", long_day(w.first), w.budget),
            })
            .collect();
        let y_ticks = y_ticks
            .into_iter()
            .map(|(minutes, label)| Tick {
                at: y(minutes),
                label,
            })
            .collect();
        Self {
            width: BARS_WIDTH,
            height: BARS_HEIGHT,
            left: BARS_LEFT,
            right: BARS_WIDTH - BARS_RIGHT,
            base,
            bars,
            budget_steps,
            y_ticks,
        }
    }
}

/// A top value in minutes, a whole number of a "nice" step of hours, and the ticks of that
/// step from zero: `(minutes, "10 h")`. At most about five ticks.
fn hour_scale(most: u32) -> (u32, Vec<(u32, String)>) {
    const STEPS: [u32; 14] = [
        1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000,
    ];
    let hours = most.div_ceil(60).max(1);
    let step = STEPS
        .into_iter()
        .find(|s| hours.div_ceil(*s) <= 5)
        .unwrap_or(10_000);
    let count = hours.div_ceil(step);
    let top = count * step * 60;
    let ticks = (0..=count)
        .map(|k| (k * step * 60, format!("{} h", k * step)))
        .collect();
    (top, ticks)
}

// ---------------------------------------------------------------------------------------------
// The burn-up

const BURN_WIDTH: i64 = 640;
const BURN_HEIGHT: i64 = 240;
const BURN_LEFT: i64 = 48;
const BURN_RIGHT: i64 = 10;
const BURN_TOP: i64 = 12;
const BURN_BOTTOM: i64 = 24;
/// A forecast further out than this many days past the plan's end (or today) is cut at the
/// chart's edge, so one slow month does not squash the rest of the picture.
const MIN_HORIZON_DAYS: i64 = 90;

/// What the burn-up shows: the lines, today, and the forecast's earliest and latest dates.
#[derive(Debug, Clone)]
pub struct BurnupInput<'a> {
    pub plan: &'a Line,
    pub earlier: &'a [Line],
    pub earned: &'a Line,
    pub today: Date,
    pub earned_today: Minutes,
    pub total: Minutes,
    /// `(earliest, latest)` of the forecast.
    pub forecast: Option<(Date, Date)>,
}

/// The burn-up as SVG geometry: `points` strings for polylines and the band's polygon.
#[derive(Debug, Clone)]
pub struct BurnupChart {
    pub width: i64,
    pub height: i64,
    pub left: i64,
    pub right: i64,
    pub top: i64,
    pub base: i64,
    pub plan: String,
    pub earlier: Vec<String>,
    pub earned: String,
    pub band: Option<String>,
    pub today_x: i64,
    /// The y of the total, drawn as a faint line: where every line is heading.
    pub total_y: i64,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
}

struct Scale {
    first: Date,
    span: i64,
    top: u32,
}

impl Scale {
    fn x(&self, day: Date) -> i64 {
        let days = i64::from((day - self.first).get_days()).clamp(0, self.span);
        BURN_LEFT + days * (BURN_WIDTH - BURN_LEFT - BURN_RIGHT) / self.span
    }

    fn y(&self, minutes: Minutes) -> i64 {
        let base = BURN_HEIGHT - BURN_BOTTOM;
        let m = i64::from(minutes.get().min(self.top));
        base - m * (base - BURN_TOP) / i64::from(self.top.max(1))
    }

    fn points(&self, line: &Line) -> String {
        line.points
            .iter()
            .map(|&(d, m)| format!("{},{}", self.x(d), self.y(m)))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn days_between(from: Date, to: Date) -> i64 {
    i64::from((to - from).get_days())
}

impl BurnupChart {
    pub fn new(input: &BurnupInput<'_>) -> Self {
        let today = input.today;
        let lines = || {
            std::iter::once(input.plan)
                .chain(input.earlier.iter())
                .chain(std::iter::once(input.earned))
        };
        let first = lines()
            .filter_map(|l| l.points.first().map(|p| p.0))
            .min()
            .unwrap_or(today)
            .min(today);
        let known_end = lines()
            .filter_map(Line::last)
            .map(|p| p.0)
            .max()
            .unwrap_or(today)
            .max(today);
        let horizon = days_between(first, known_end).max(MIN_HORIZON_DAYS);
        let limit = known_end.checked_add(horizon.days()).unwrap_or(known_end);
        let last = input
            .forecast
            .map_or(known_end, |(_, latest)| latest.min(limit).max(known_end));
        let top_minutes = lines()
            .filter_map(Line::last)
            .map(|p| p.1)
            .chain([input.total, input.earned_today])
            .max()
            .unwrap_or(Minutes::ZERO);
        let (top, y_ticks) = hour_scale(top_minutes.get().max(60));
        let scale = Scale {
            first,
            span: days_between(first, last).max(1),
            top,
        };
        let band = input.forecast.map(|(earliest, latest)| {
            let from = (scale.x(today), scale.y(input.earned_today));
            let corner = |day: Date| {
                let (day, minutes) = clipped(input, day, last);
                format!("{},{}", scale.x(day), scale.y(minutes))
            };
            format!(
                "{},{} {} {}",
                from.0,
                from.1,
                corner(earliest),
                corner(latest)
            )
        });
        Self {
            width: BURN_WIDTH,
            height: BURN_HEIGHT,
            left: BURN_LEFT,
            right: BURN_WIDTH - BURN_RIGHT,
            top: BURN_TOP,
            base: BURN_HEIGHT - BURN_BOTTOM,
            plan: scale.points(input.plan),
            earlier: input.earlier.iter().map(|l| scale.points(l)).collect(),
            earned: scale.points(input.earned),
            band,
            today_x: scale.x(today),
            total_y: scale.y(input.total),
            x_ticks: month_ticks(first, last, &scale),
            y_ticks: y_ticks
                .into_iter()
                .map(|(m, label)| Tick {
                    at: scale.y(Minutes::new(m)),
                    label,
                })
                .collect(),
        }
    }
}

/// The forecast's corner on `day` at the total, or where its straight line from today crosses
/// the chart's last day when `day` lies beyond it.
fn clipped(input: &BurnupInput<'_>, day: Date, last: Date) -> (Date, Minutes) {
    if day <= last {
        return (day, input.total);
    }
    let whole = days_between(input.today, day).max(1);
    let part = days_between(input.today, last).clamp(0, whole);
    let rise = i64::from(input.total.saturating_sub(input.earned_today).get());
    let at = i64::from(input.earned_today.get()) + rise * part / whole;
    (last, Minutes::new(u32::try_from(at).unwrap_or(u32::MAX)))
}

/// The first of each month in the chart, thinned to at most about seven labels; `Jan` carries
/// its year, as does the first label.
fn month_ticks(first: Date, last: Date, scale: &Scale) -> Vec<Tick> {
    let mut months = Vec::new();
    let mut day = first.first_of_month();
    while day <= last {
        if day >= first {
            months.push(day);
        }
        match day.checked_add(1.month()) {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    let step = months.len().div_ceil(7).max(1);
    months
        .iter()
        .step_by(step)
        .enumerate()
        .map(|(n, day)| Tick {
            at: scale.x(*day),
            label: if n == 0 || day.month() == 1 {
                day.strftime("%b %Y").to_string()
            } else {
                day.strftime("%b").to_string()
            },
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use autodidact_core::insight::activity::Activity;
    use autodidact_core::insight::heatmap::year_heatmap;
    use autodidact_core::insight::weekly::weekly_bars;
    use autodidact_core::store::LogKind;
    use jiff::civil::{Weekday, date};

    use super::*;

    #[test]
    fn the_heatmap_has_a_square_per_day_with_its_time() {
        let today = date(2026, 3, 4);
        let activity =
            Activity::from_entries([(date(2026, 3, 3), LogKind::Learn, Minutes::new(90))]);
        let chart = HeatmapChart::new(&year_heatmap(&activity, today, Weekday::Monday));
        assert_eq!(chart.cells.len(), 367);
        let cell = chart.cells.iter().find(|c| c.day == "2026-03-03").unwrap();
        assert_eq!(cell.tip, "Tue 3 Mar 2026: 1 h 30 min");
        assert_eq!(cell.level, 3);
        assert_eq!(chart.width, 30 + 53 * 13);
        let labels: Vec<&str> = chart.weekdays.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["Mon", "Wed", "Fri"]);
        assert!(chart.months.len() >= 12 && chart.months.len() <= 13);
    }

    #[test]
    fn bars_stand_on_the_axis_and_the_budget_line_is_where_the_budget_is() {
        let today = date(2026, 3, 4);
        let activity =
            Activity::from_entries([(date(2026, 3, 2), LogKind::Learn, Minutes::new(600))]);
        let budget = Minutes::new(1200);
        let chart = BarsChart::new(&weekly_bars(&activity, &budget, today, Weekday::Monday, 12));
        assert_eq!(chart.bars.len(), 12);
        let current = chart.bars.last().unwrap();
        assert!(current.class.contains("current"));
        assert_eq!(current.tip, "Week of Mon 2 Mar 2026: 10 h of 20 h so far");
        assert_eq!(current.y + current.height, chart.base);
        // 20 h on a 25 h scale, a step over every week.
        assert_eq!(chart.budget_steps.len(), 12);
        let step = chart.budget_steps.last().unwrap();
        assert_eq!(step.y, chart.base - (chart.base - 12) * 20 / 25);
        assert_eq!(step.tip, "Budget the week of Mon 2 Mar 2026: 20 h");
        assert_eq!(chart.y_ticks.last().unwrap().label, "25 h");
    }

    #[test]
    fn each_week_is_drawn_against_the_budget_in_force_then() {
        use autodidact_core::plan::{BudgetHistory, WeeklyBudget};
        let today = date(2026, 3, 4);
        let activity =
            Activity::from_entries([(date(2026, 2, 24), LogKind::Learn, Minutes::new(600))]);
        // 10 h a week from 9 February, 5 h from 2 March.
        let mut history =
            BudgetHistory::starting(date(2026, 2, 9), WeeklyBudget::parse("10").unwrap());
        history.set_from(date(2026, 3, 2), WeeklyBudget::parse("5").unwrap());
        let weeks = weekly_bars(&activity, &[history][..], today, Weekday::Monday, 6);
        let budgets: Vec<u32> = weeks.iter().map(|w| w.budget.get() / 60).collect();
        assert_eq!(budgets, [0, 0, 10, 10, 10, 5]);
        let chart = BarsChart::new(&weeks);
        // No step before the first budget; the week of 23 February reached its 10 h.
        assert_eq!(chart.budget_steps.len(), 4);
        assert!(chart.bars[4].class.contains("reached"));
        assert!(chart.budget_steps[3].y > chart.budget_steps[2].y);
    }

    #[test]
    fn hour_scales_are_round() {
        assert_eq!(hour_scale(60).0, 60);
        assert_eq!(hour_scale(61).0, 120);
        assert_eq!(hour_scale(1200).0, 20 * 60);
        assert_eq!(hour_scale(1201).0, 25 * 60);
        assert_eq!(hour_scale(100 * 60).1.len(), 6);
    }

    fn line(points: &[(Date, u32)]) -> Line {
        Line {
            points: points.iter().map(|&(d, m)| (d, Minutes::new(m))).collect(),
        }
    }

    #[test]
    fn a_far_forecast_is_cut_at_the_charts_edge() {
        let plan = line(&[(date(2026, 1, 4), 0), (date(2026, 3, 1), 6000)]);
        let earned = line(&[(date(2026, 1, 10), 0), (date(2026, 2, 1), 600)]);
        let input = BurnupInput {
            plan: &plan,
            earlier: &[],
            earned: &earned,
            today: date(2026, 2, 1),
            earned_today: Minutes::new(600),
            total: Minutes::new(6000),
            forecast: Some((date(2026, 6, 1), date(2040, 1, 1))),
        };
        let chart = BurnupChart::new(&input);
        let band = chart.band.unwrap();
        let xs: Vec<i64> = band
            .split(' ')
            .map(|p| p.split(',').next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(xs.len(), 3);
        assert!(xs.iter().all(|x| *x <= chart.right), "{band}");
        assert_eq!(xs[2], chart.right);
        assert!(chart.x_ticks.len() <= 8);
        assert_eq!(chart.x_ticks[0].label, "Feb 2026");
    }
}
