//! The dashboard's sections about the learner as a whole, each built from the learner's
//! [`Activity`] (every log, folded per day and kind) and settings: the heatmap, the weekly
//! bars, the balance of taking in and making, calibration, the forgiving streak, the burnout
//! guard and the commitment buffer. Per-follow sections are in `burnup.rs`.

use autodidact_core::accounts::Pacing;
use autodidact_core::curriculum::Minutes;
use autodidact_core::insight::activity::{Activity, RestDays};
use autodidact_core::insight::balance::{balance, needs_making};
use autodidact_core::insight::burnout::{BurnoutSignal, burnout};
use autodidact_core::insight::calibration::FinishedItem;
use autodidact_core::insight::calibration::{Calibration, calibration};
use autodidact_core::insight::commitment::{CommitmentRequest, buffer_days, in_force, schedule};
use autodidact_core::insight::heatmap::year_heatmap;
use autodidact_core::insight::streak::{StreakRules, streaks};
use autodidact_core::insight::weekly::weekly_bars;
use autodidact_core::plan::{BudgetHistory, History};
use autodidact_core::store::CommitmentRecord;
use jiff::civil::{Date, Weekday};

use super::charts::{BarsChart, HeatmapChart};
use super::words::{day_words, days, hm, kind_plural, long_day, times};

/// Weeks in the weekly chart.
pub const WEEKS_SHOWN: usize = 12;

/// One step of the heatmap's legend.
#[derive(Debug, Clone)]
pub struct LegendStep {
    pub level: u8,
    pub words: String,
}

/// The year heatmap with its legend and a sentence.
#[derive(Debug, Clone)]
pub struct HeatmapView {
    /// The section's heading: the dashboard's "Your year", a profile's own.
    pub heading: &'static str,
    pub chart: HeatmapChart,
    pub legend: Vec<LegendStep>,
    /// `12 h over 5 days in the last year`.
    pub summary: String,
}

/// The year of study, with the days of declared breaks (`rest`) marked as such.
pub fn heatmap_view(
    activity: &Activity,
    rest: &RestDays,
    today: Date,
    week_start: Weekday,
) -> HeatmapView {
    let map = year_heatmap(activity, today, week_start);
    let t = map.thresholds;
    let below = |m: Minutes| hm(Minutes::new(m.get().saturating_sub(1)));
    let legend = vec![
        LegendStep {
            level: 0,
            words: "no study".to_owned(),
        },
        LegendStep {
            level: 1,
            words: format!("{} to {}", hm(t[0]), below(t[1])),
        },
        LegendStep {
            level: 2,
            words: format!("{} to {}", hm(t[1]), below(t[2])),
        },
        LegendStep {
            level: 3,
            words: format!("{} to {}", hm(t[2]), below(t[3])),
        },
        LegendStep {
            level: 4,
            words: format!("{} or more", hm(t[3])),
        },
    ];
    let summary = if map.active_days == 0 {
        "Nothing logged in the last year yet".to_owned()
    } else {
        format!(
            "{} over {} in the last year",
            hm(map.total),
            days(i64::from(map.active_days))
        )
    };
    let mut chart = HeatmapChart::new(&map);
    for cell in &mut chart.cells {
        if cell.day.parse::<Date>().is_ok_and(|d| rest.is_rest(d)) {
            cell.rest = true;
            cell.tip.push_str(" (a break)");
        }
    }
    HeatmapView {
        heading: "Your year",
        summary,
        chart,
        legend,
    }
}

/// One row of the weekly chart's table.
#[derive(Debug, Clone)]
pub struct WeekRow {
    pub week: String,
    pub logged: String,
    /// The budget in force that week; empty when there was none.
    pub budget: String,
    pub current: bool,
}

/// Weekly hours against the budget, as bars and as a table.
#[derive(Debug, Clone)]
pub struct WeeklyView {
    pub chart: BarsChart,
    pub rows: Vec<WeekRow>,
    pub budget: Option<String>,
    /// How many complete weeks reached the budget.
    pub summary: String,
}

/// The weeks against `budgets`: each follow's budget history, so that each week is judged by
/// the budget in force then.
pub fn weekly_view(
    activity: &Activity,
    budgets: &[BudgetHistory],
    today: Date,
    week_start: Weekday,
) -> WeeklyView {
    let weeks = weekly_bars(activity, budgets, today, week_start, WEEKS_SHOWN);
    // This week's budget is the one the sentences name.
    let budget = weeks.last().map_or(Minutes::ZERO, |w| w.budget);
    // Weeks before the first log are not held against the learner.
    let started = activity.first_day_until(today);
    let complete: Vec<_> = weeks
        .iter()
        .filter(|w| !w.current && started.is_some_and(|first| w.last >= first))
        .collect();
    let reached = complete.iter().filter(|w| w.reached()).count();
    let summary = match (budget.is_zero(), complete.len()) {
        (true, _) => "Follow a curriculum to set a weekly budget to measure against.".to_owned(),
        (false, 0) => format!("Your budget is {} a week (your follows together).", budget),
        (false, 1) => format!(
            "Your budget is {} a week (your follows together); you {} it in your first complete week.",
            budget,
            if reached == 1 {
                "reached"
            } else {
                "did not reach"
            }
        ),
        (false, n) => format!(
            "Your budget is {} a week (your follows together); you reached the budget of the week in {reached} of your last {n} complete weeks.",
            budget
        ),
    };
    WeeklyView {
        chart: BarsChart::new(&weeks),
        rows: weeks
            .iter()
            .rev()
            .map(|w| WeekRow {
                week: long_day(w.first),
                logged: w.logged.to_string(),
                budget: if w.budget.is_zero() {
                    String::new()
                } else {
                    w.budget.to_string()
                },
                current: w.current,
            })
            .collect(),
        budget: (!budget.is_zero()).then(|| budget.to_string()),
        summary,
    }
}

/// Taking in against making over one window, as a split bar 100 units wide.
#[derive(Debug, Clone)]
pub struct BalanceWindow {
    pub label: &'static str,
    /// Making's share in whole percent; `None` without logs.
    pub making_percent: Option<u32>,
    /// Where the making part of the bar starts (0..=100) and how wide it is.
    pub make_x: u32,
    pub make_width: u32,
    pub words: String,
}

/// Inhale and exhale over four and twelve weeks, with the nudge to make something.
#[derive(Debug, Clone)]
pub struct BalanceView {
    pub windows: Vec<BalanceWindow>,
    pub nudge: bool,
    pub threshold: u32,
}

pub fn balance_view(activity: &Activity, today: Date, pacing: &Pacing) -> BalanceView {
    let windows = [("Last 4 weeks", 28), ("Last 12 weeks", 84)]
        .into_iter()
        .map(|(label, n)| {
            let b = balance(activity, today, n);
            let percent = b
                .making_share()
                .map(|share| (share * 100.0).round().clamp(0.0, 100.0) as u32);
            let words = match percent {
                None => "Nothing logged.".to_owned(),
                Some(p) => format!(
                    "{} taking in, {} making: {p}% making.",
                    hm(b.taking_in),
                    hm(b.making)
                ),
            };
            let make = percent.unwrap_or(0);
            BalanceWindow {
                label,
                making_percent: percent,
                make_x: 100 - make,
                make_width: make,
                words,
            }
        })
        .collect();
    BalanceView {
        windows,
        nudge: needs_making(activity, today, pacing.making_threshold_percent),
        threshold: pacing.making_threshold_percent,
    }
}

/// Real time against the estimates, as sentences.
#[derive(Debug, Clone)]
pub struct CalibrationView {
    pub sentence: String,
    pub detail: Option<String>,
}

pub fn calibration_view(items: &[FinishedItem]) -> (CalibrationView, Calibration) {
    let c = calibration(items);
    let view = match c.overall {
        None => CalibrationView {
            sentence: "How your time compares with the estimates appears here after your first finished item with logged time.".to_owned(),
            detail: None,
        },
        Some(overall) => {
            let mut parts = vec![format!("You take {} the estimate overall", times(overall.ratio))];
            parts.extend(
                c.by_kind
                    .iter()
                    .map(|(kind, f)| format!("{} on {}", times(f.ratio), kind_plural(*kind))),
            );
            let items = if overall.items == 1 { "item" } else { "items" };
            let used = c.forecast_factor();
            let forecasts = if (used - overall.ratio).abs() < 1e-9 {
                "Forecasts use this figure.".to_owned()
            } else {
                format!(
                    "Forecasts use {}: they keep the figure between a quarter and four times the estimate.",
                    times(used)
                )
            };
            CalibrationView {
                sentence: format!("{}.", parts.join("; ")),
                detail: Some(format!(
                    "From {} finished {items}: {} logged against {} estimated. {forecasts}",
                    overall.items,
                    hm(overall.logged),
                    hm(overall.estimate)
                )),
            }
        }
    };
    (view, c)
}

/// The forgiving streak: current and longest, and the rules that make it.
#[derive(Debug, Clone)]
pub struct StreakView {
    pub days: u32,
    pub words: String,
    pub longest: Option<String>,
    pub rules: String,
    pub hint: Option<String>,
}

pub fn streak_view(
    activity: &Activity,
    rest: &RestDays,
    pacing: &Pacing,
    week_start: Weekday,
    today: Date,
) -> StreakView {
    let rules = StreakRules {
        min_minutes: Minutes::new(pacing.streak_min_minutes),
        rest_days_per_week: pacing.rest_days_per_week,
        week_start,
    };
    let s = streaks(activity, rest, &rules, today);
    let min = hm(rules.min_minutes);
    let words = match s.current {
        0 => "No streak yet".to_owned(),
        n => days(i64::from(n)),
    };
    let logged_today = activity.on(today).total();
    let hint = match (s.current, s.today_counts) {
        (_, true) => None,
        (0, false) => Some(format!("Log {min} today to start one.")),
        (_, false) if logged_today.is_zero() => {
            Some("Nothing logged today yet: log a session to keep it going.".to_owned())
        }
        (_, false) => Some(format!(
            "Today counts once it holds {min}; {} more.",
            hm(rules.min_minutes.saturating_sub(logged_today))
        )),
    };
    let longest = match (s.longest, s.longest_start, s.longest_end) {
        (n, ..) if n > 0 && n == s.current && s.longest_start == s.current_start => {
            Some("Your longest so far.".to_owned())
        }
        (n, Some(start), Some(end)) if n > 0 && start == end => Some(format!(
            "Longest: {} ({}).",
            days(i64::from(n)),
            day_words(start, today)
        )),
        (n, Some(start), Some(end)) if n > 0 => Some(format!(
            "Longest: {} ({} to {}).",
            days(i64::from(n)),
            day_words(start, today),
            day_words(end, today)
        )),
        _ => None,
    };
    let rest_words = match pacing.rest_days_per_week {
        0 => "your breaks keep it".to_owned(),
        1 => "1 rest day a week and your breaks keep it".to_owned(),
        n => format!("{n} rest days a week and your breaks keep it"),
    };
    StreakView {
        days: s.current,
        words,
        longest,
        rules: format!("A day counts with {min}; {rest_words}."),
        hint,
    }
}

/// A burnout note the learner can dismiss.
#[derive(Debug, Clone)]
pub struct BurnoutNote {
    pub key: String,
    pub message: String,
}

pub fn burnout_notes(
    activity: &Activity,
    today: Date,
    budget: Minutes,
    pacing: &Pacing,
    dismissed: &[String],
) -> Vec<BurnoutNote> {
    burnout(activity, today, budget, pacing.ceiling_percent)
        .into_iter()
        .filter(|signal| !dismissed.contains(&signal.key()))
        .map(|signal| {
            let message = match signal {
                BurnoutSignal::OverCeiling {
                    last_seven,
                    ceiling,
                    ..
                } => format!(
                    "The last 7 days held {}, above your sustainable {}. Rest is part of the plan.",
                    hm(last_seven),
                    hm(ceiling)
                ),
                BurnoutSignal::NoRest { days: n, .. } => {
                    let keeps = if pacing.rest_days_per_week > 0 {
                        " A day off will not break your streak."
                    } else {
                        ""
                    };
                    format!(
                        "{n} days in a row without a rest day. Rest is part of the plan.{keeps}"
                    )
                }
            };
            BurnoutNote {
                key: signal.key(),
                message,
            }
        })
        .collect()
}

/// How far ahead of (or behind) the commitment in force the learner is.
#[derive(Debug, Clone)]
pub struct BufferView {
    pub text: String,
    pub behind: bool,
}

pub fn buffer_view(
    activity: &Activity,
    records: &[CommitmentRecord],
    delays: &History<u32>,
    today: Date,
) -> Option<BufferView> {
    let requests: Vec<CommitmentRequest> = records
        .iter()
        .map(|r| CommitmentRequest {
            requested_on: r.requested_on,
            weekly: r.weekly,
        })
        .collect();
    let changes = schedule(&requests, delays);
    let weekly = in_force(&changes, today)?;
    let buffer = buffer_days(activity, &changes, today)?;
    let commitment = format!("your {} a week commitment", hm(weekly));
    let text = match buffer {
        0 => format!("Right on {commitment}"),
        n if n > 0 => format!("{} ahead of {commitment}", days(n)),
        n => format!("{} behind {commitment}", days(-n)),
    };
    Some(BufferView {
        text,
        behind: buffer < 0,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use autodidact_core::curriculum::ItemKind;
    use autodidact_core::store::LogKind;
    use jiff::civil::date;

    use super::*;

    #[test]
    fn calibration_reads_as_one_sentence_overall_and_by_kind() {
        let item = |kind, estimate, logged| FinishedItem {
            kind,
            estimate: Minutes::new(estimate),
            logged: Minutes::new(logged),
        };
        let (view, _) = calibration_view(&[
            item(ItemKind::Course, 600, 540),
            item(ItemKind::Book, 600, 960),
        ]);
        assert_eq!(
            view.sentence,
            "You take 1.2× the estimate overall; 0.9× on courses; 1.6× on books."
        );
        let (none, _) = calibration_view(&[]);
        assert!(none.sentence.contains("after your first finished item"));
    }

    #[test]
    fn weeks_before_the_first_log_are_not_counted_against_the_budget() {
        let today = date(2026, 3, 4);
        let ten = [BudgetHistory::starting(
            date(2026, 1, 5),
            autodidact_core::plan::WeeklyBudget::parse("10").unwrap(),
        )];
        let fresh = Activity::from_entries([(today, LogKind::Learn, Minutes::new(60))]);
        let view = weekly_view(&fresh, &ten, today, Weekday::Monday);
        assert_eq!(
            view.summary,
            "Your budget is 10 h a week (your follows together)."
        );
        let older = Activity::from_entries([
            (date(2026, 2, 16), LogKind::Learn, Minutes::new(600)),
            (date(2026, 2, 24), LogKind::Learn, Minutes::new(60)),
        ]);
        let view = weekly_view(&older, &ten, today, Weekday::Monday);
        assert_eq!(
            view.summary,
            "Your budget is 10 h a week (your follows together); you reached the budget of the week in 1 of your last 2 complete weeks."
        );
        assert_eq!(view.rows.len(), WEEKS_SHOWN);
        assert!(view.rows[0].current);
    }

    #[test]
    fn the_streak_says_its_rules() {
        let today = date(2026, 3, 4);
        let activity = Activity::from_entries([
            (date(2026, 3, 2), LogKind::Learn, Minutes::new(20)),
            (date(2026, 3, 3), LogKind::Learn, Minutes::new(20)),
        ]);
        let view = streak_view(
            &activity,
            &RestDays::default(),
            &Pacing::default(),
            Weekday::Monday,
            today,
        );
        assert_eq!(view.words, "2 days");
        assert_eq!(
            view.rules,
            "A day counts with 15 min; 1 rest day a week and your breaks keep it."
        );
        assert_eq!(
            view.hint.as_deref(),
            Some("Nothing logged today yet: log a session to keep it going.")
        );
        assert_eq!(view.longest.as_deref(), Some("Your longest so far."));
    }
}
