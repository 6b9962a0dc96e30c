//! Kind re-planning: when life got in the way, spread what is left again without blame.
//!
//! Two ways, both from today and both leaving finished items out (`request.done`):
//! - **Keep the budget** ([`keep_budget`]): the same weekly hours, so the end date moves.
//! - **Keep the end** ([`keep_end`]): the same end date, so the weekly hours change. The answer
//!   is the smallest budget of the same shape that finishes on or before the end:
//!   a budget per week stays a budget per week; a budget per weekday is scaled proportionally,
//!   each day rounded so that the days add up to exactly the weekly minutes (largest
//!   remainders first, ties to the earlier weekday). Weekdays that are weekly rest days get
//!   nothing, so every minute of the weekly figure can be studied; a per-weekday budget that
//!   is all zero is spread evenly over the week instead.
//!
//! The weekly minutes are found by a binary search over the planner between 1 minute and the
//! most a week may hold: 12 hours on every study day (12 h × 7 without weekly rest days, and
//! for a per-weekday budget, the point where its largest day reaches 12 hours). When even that
//! does not finish by the end, the answer is [`ReplanError::TooMuch`]. Breaks and rounding
//! make "finishes by the end" not perfectly monotonic in the weekly minutes, so the search
//! keeps the invariant that the returned budget does finish in time, and it is the smallest
//! one up to a few minutes a week. When nothing is left to do, the budget is kept.

use jiff::civil::Date;
use serde::Serialize;

use crate::curriculum::Minutes;
use crate::plan::{
    Break, Plan, PlanError, PlanRequest, WeeklyBudget, plan_schedule, weekday_index,
};

/// The most a study day may hold when the end date is kept: 12 hours.
pub const MAX_DAILY: Minutes = Minutes::from_hours(12);

/// Which of the two re-plans this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReplanMode {
    /// Same weekly hours; the end date moves.
    KeepBudget,
    /// Same end date; the weekly hours change.
    KeepEnd,
}

impl ReplanMode {
    /// Both modes, keeping the budget first.
    pub const ALL: [ReplanMode; 2] = [ReplanMode::KeepBudget, ReplanMode::KeepEnd];

    /// `keep-budget` or `keep-end`, as in forms and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            ReplanMode::KeepBudget => "keep-budget",
            ReplanMode::KeepEnd => "keep-end",
        }
    }

    /// The inverse of [`ReplanMode::as_str`].
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == raw.trim())
    }
}

/// A proposed new plan for the work that is left.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replan {
    /// How it was made.
    pub mode: ReplanMode,
    /// The budget the new plan uses (the old one when keeping the budget).
    pub budget: WeeklyBudget,
    /// The new plan's first day: today.
    pub start: Date,
    /// The day the last item ends; `None` when everything is done.
    pub end: Option<Date>,
    /// The budget's weekly minutes.
    pub weekly: Minutes,
    /// The new plan.
    pub plan: Plan,
}

/// Why a re-plan could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplanError {
    /// The planner refused (a cycle, an unknown prerequisite, no study days, too long).
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The end date is today or past.
    #[error("the end date {end} is today or already past: choose a date after today")]
    EndPassed { end: Date },
    /// Finishing in time would need more than 12 hours on a study day.
    #[error(
        "finishing by that date would take more than 12 hours of study a day, over {weekly} a week: choose a later date, or keep your weekly hours and see when you would finish"
    )]
    TooMuch { weekly: Minutes },
}

/// Re-spreads the remaining work (`request.done` excluded) from `today` at the same budget.
pub fn keep_budget(request: &PlanRequest<'_>, today: Date) -> Result<Replan, ReplanError> {
    let mut request = request.clone();
    request.start = today;
    let plan = plan_schedule(&request)?;
    Ok(replan(ReplanMode::KeepBudget, plan))
}

/// The smallest budget of the same shape (a budget per week scaled, a budget per weekday
/// scaled proportionally, in whole minutes) that finishes by `end`, planned from `today`.
/// A binary search over the planner; see the module documentation for the rules.
pub fn keep_end(request: &PlanRequest<'_>, today: Date, end: Date) -> Result<Replan, ReplanError> {
    if end <= today {
        return Err(ReplanError::EndPassed { end });
    }
    let mut request = request.clone();
    request.start = today;
    if remaining(&request).is_zero() && !request.budget.weekly_total().is_zero() {
        let plan = plan_schedule(&request)?;
        return Ok(replan(ReplanMode::KeepEnd, plan));
    }
    let shape = Shape::new(request.budget, &request.breaks).ok_or(PlanError::NoStudyDays)?;
    let mut attempt = |weekly: u32| -> Result<Option<Plan>, ReplanError> {
        request.budget = shape.scaled(weekly);
        match plan_schedule(&request) {
            Ok(plan) if plan.end.is_none_or(|e| e <= end) => Ok(Some(plan)),
            Ok(_) | Err(PlanError::TooLong { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    };
    let most = shape.most();
    let Some(mut best) = attempt(most)? else {
        return Err(ReplanError::TooMuch {
            weekly: Minutes::new(most),
        });
    };
    // `low` does not finish in time (0 cannot plan at all), `high` does.
    let (mut low, mut high) = (0u32, most);
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        match attempt(mid)? {
            Some(plan) => {
                best = plan;
                high = mid;
            }
            None => low = mid,
        }
    }
    Ok(replan(ReplanMode::KeepEnd, best))
}

fn replan(mode: ReplanMode, plan: Plan) -> Replan {
    Replan {
        mode,
        budget: plan.budget,
        start: plan.start,
        end: plan.end,
        weekly: plan.budget.weekly_total(),
        plan,
    }
}

/// The estimate of the items not done.
fn remaining(request: &PlanRequest<'_>) -> Minutes {
    let weekly = request.curriculum.hours_per_week;
    request
        .curriculum
        .items()
        .filter(|i| !request.done.contains(&i.id))
        .map(|i| i.planned(weekly))
        .sum()
}

/// The shape of a budget to scale: per week over `days` study days, or per weekday.
#[derive(Debug, Clone, Copy)]
enum Shape {
    PerWeek {
        study_days: u32,
    },
    /// Minutes per weekday (Monday first), weekly rest days zeroed; at least one is non-zero.
    PerWeekday([u32; 7]),
}

impl Shape {
    /// `None` when no weekday can hold study.
    fn new(budget: WeeklyBudget, breaks: &[Break]) -> Option<Self> {
        let mut rest = [false; 7];
        for b in breaks {
            if let Break::Weekly { day } = b {
                rest[weekday_index(*day)] = true;
            }
        }
        let study_days = rest.iter().filter(|r| !**r).count() as u32;
        if study_days == 0 {
            return None;
        }
        let per_week = Some(Shape::PerWeek { study_days });
        match budget {
            WeeklyBudget::PerWeek(_) => per_week,
            WeeklyBudget::PerWeekday(days) if days.iter().all(|d| d.is_zero()) => per_week,
            WeeklyBudget::PerWeekday(days) => {
                let mut shape = [0u32; 7];
                for (i, day) in days.iter().enumerate() {
                    if !rest[i] {
                        shape[i] = day.get();
                    }
                }
                shape
                    .iter()
                    .any(|&d| d > 0)
                    .then_some(Shape::PerWeekday(shape))
            }
        }
    }

    /// The most weekly minutes allowed: no study day over [`MAX_DAILY`], at most 12 h × 7.
    fn most(&self) -> u32 {
        let cap = MAX_DAILY.get();
        match *self {
            Shape::PerWeek { study_days } => cap * study_days,
            Shape::PerWeekday(days) => {
                let total: u64 = days.iter().map(|&d| u64::from(d)).sum();
                let largest = u64::from(days.iter().copied().max().unwrap_or(1).max(1));
                let most = u64::from(cap) * total / largest;
                u32::try_from(most.min(u64::from(cap) * 7)).unwrap_or(cap * 7)
            }
        }
    }

    /// This shape holding `weekly` minutes a week in total.
    fn scaled(&self, weekly: u32) -> WeeklyBudget {
        match *self {
            Shape::PerWeek { .. } => WeeklyBudget::PerWeek(Minutes::new(weekly)),
            Shape::PerWeekday(days) => {
                WeeklyBudget::PerWeekday(scale_days(days, weekly).map(Minutes::new))
            }
        }
    }
}

/// `days` scaled to add up to `weekly`, by largest remainders (ties to the earlier weekday).
/// At least one day must be non-zero.
fn scale_days(days: [u32; 7], weekly: u32) -> [u32; 7] {
    let total: u64 = days.iter().map(|&d| u64::from(d)).sum::<u64>().max(1);
    let weekly64 = u64::from(weekly);
    let mut scaled = [0u32; 7];
    let mut remainders = [0u64; 7];
    for i in 0..7 {
        let exact = weekly64 * u64::from(days[i]);
        scaled[i] = u32::try_from(exact / total).unwrap_or(u32::MAX);
        remainders[i] = exact % total;
    }
    let given: u64 = scaled.iter().map(|&d| u64::from(d)).sum();
    let mut order: Vec<usize> = (0..7).filter(|&i| days[i] > 0).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(remainders[i]), i));
    let short = usize::try_from(weekly64.saturating_sub(given)).unwrap_or(0);
    for &i in order.iter().cycle().take(short) {
        scaled[i] += 1;
    }
    scaled
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::curriculum::{Curriculum, Effort, EstimateSource, Item, ItemId, ItemKind, Phase};
    use jiff::civil::{Weekday, date};
    use proptest::prelude::*;

    fn item(id: &str, minutes: u32, requires: &[&str]) -> Item {
        Item {
            id: ItemId::parse(id).unwrap(),
            kind: ItemKind::Course,
            title: id.to_uppercase(),
            url: None,
            effort: Effort::Hours(Minutes::new(minutes)),
            estimate_source: EstimateSource::Stated,
            skills: vec![],
            requires: requires.iter().map(|r| ItemId::parse(r).unwrap()).collect(),
            mode_override: None,
            notes: String::new(),
            due: None,
        }
    }

    fn curriculum(phases: Vec<Vec<Item>>) -> Curriculum {
        Curriculum {
            title: "Test".into(),
            description: String::new(),
            author: String::new(),
            hours_per_week: None,
            phases: phases
                .into_iter()
                .enumerate()
                .map(|(n, items)| Phase {
                    title: format!("Phase {}", n + 1),
                    description: String::new(),
                    items,
                })
                .collect(),
        }
    }

    fn hours(h: u32) -> Minutes {
        Minutes::from_hours(h)
    }

    fn per_week(h: u32) -> WeeklyBudget {
        WeeklyBudget::PerWeek(hours(h))
    }

    /// 10 h, 10 h and 10 h, the second needing the first.
    fn thirty_hours() -> Curriculum {
        curriculum(vec![vec![
            item("a", 600, &[]),
            item("b", 600, &["a"]),
            item("c", 600, &[]),
        ]])
    }

    #[test]
    fn keeping_the_budget_plans_what_is_left_from_today() {
        let c = thirty_hours();
        let mut request = PlanRequest::new(&c, per_week(10), date(2026, 1, 5));
        request.done.insert(ItemId::parse("a").unwrap());
        let today = date(2026, 3, 2);
        let r = keep_budget(&request, today).unwrap();
        assert_eq!(r.mode, ReplanMode::KeepBudget);
        assert_eq!((r.start, r.plan.start), (today, today));
        assert_eq!(r.budget, per_week(10));
        assert_eq!(r.weekly, hours(10));
        assert_eq!(r.plan.total, hours(20));
        assert_eq!(r.end, Some(date(2026, 3, 15)));
        assert!(r.plan.items[0].done && r.plan.items[0].span.is_none());
    }

    #[test]
    fn keeping_the_end_finds_the_smallest_weekly_budget() {
        let c = thirty_hours();
        let request = PlanRequest::new(&c, per_week(5), date(2026, 1, 5));
        // Two whole weeks, Monday 2 March to Sunday 15 March: 15 h a week.
        let r = keep_end(&request, date(2026, 3, 2), date(2026, 3, 15)).unwrap();
        assert_eq!(r.mode, ReplanMode::KeepEnd);
        assert_eq!(r.budget, per_week(15));
        assert_eq!(r.weekly, hours(15));
        assert_eq!(r.end, Some(date(2026, 3, 15)));
        // A minute less a week does not finish in time.
        let mut less = request.clone();
        less.start = date(2026, 3, 2);
        less.budget = WeeklyBudget::PerWeek(Minutes::new(hours(15).get() - 1));
        assert!(plan_schedule(&less).unwrap().end > Some(date(2026, 3, 15)));
        // A budget larger than needed comes down: 30 h over four weeks.
        let r = keep_end(&request, date(2026, 3, 2), date(2026, 3, 29)).unwrap();
        assert_eq!(r.weekly, Minutes::new(450));
    }

    #[test]
    fn a_budget_per_weekday_keeps_its_shape_unless_it_has_none() {
        // Monday 2 h and Saturday 6 h; 24 h in two weeks is 12 h a week: 3 h and 9 h.
        let c = curriculum(vec![vec![item("a", 24 * 60, &[])]]);
        let budget = WeeklyBudget::parse("mon=2,sat=6").unwrap();
        let request = PlanRequest::new(&c, budget, date(2026, 1, 5));
        let r = keep_end(&request, date(2026, 3, 2), date(2026, 3, 15)).unwrap();
        let mut days = [Minutes::ZERO; 7];
        days[0] = hours(3);
        days[5] = hours(9);
        assert_eq!(r.budget, WeeklyBudget::PerWeekday(days));
        assert_eq!(r.weekly, hours(12));
        // A budget per weekday that is all zero has no shape: it is spread over the week.
        let zero = WeeklyBudget::PerWeekday([Minutes::ZERO; 7]);
        let request = PlanRequest::new(&c, zero, date(2026, 1, 5));
        let r = keep_end(&request, date(2026, 3, 2), date(2026, 3, 8)).unwrap();
        assert_eq!(r.budget, per_week(24));
    }

    #[test]
    fn scaled_days_add_up_to_the_weekly_minutes_largest_remainders_first() {
        assert_eq!(scale_days([1, 1, 1, 0, 0, 0, 0], 10), [4, 3, 3, 0, 0, 0, 0]);
        assert_eq!(
            scale_days([60, 0, 0, 0, 0, 180, 0], 100),
            [25, 0, 0, 0, 0, 75, 0]
        );
        assert_eq!(scale_days([1, 2, 0, 0, 0, 0, 4], 10), [1, 3, 0, 0, 0, 0, 6]);
        assert_eq!(scale_days([0, 0, 0, 0, 0, 0, 5], 0), [0; 7]);
    }

    #[test]
    fn an_end_today_or_past_is_refused_with_what_to_do() {
        let c = thirty_hours();
        let request = PlanRequest::new(&c, per_week(5), date(2026, 1, 5));
        let today = date(2026, 3, 2);
        for end in [today, date(2026, 2, 1)] {
            let err = keep_end(&request, today, end).unwrap_err();
            assert_eq!(err, ReplanError::EndPassed { end });
            assert!(
                err.to_string().contains("choose a date after today"),
                "{err}"
            );
        }
    }

    #[test]
    fn more_than_twelve_hours_a_day_is_too_much() {
        let c = curriculum(vec![vec![item("a", 200 * 60, &[])]]);
        let request = PlanRequest::new(&c, per_week(10), date(2026, 1, 5));
        let err = keep_end(&request, date(2026, 3, 2), date(2026, 3, 8)).unwrap_err();
        assert_eq!(err, ReplanError::TooMuch { weekly: hours(84) });
        assert!(err.to_string().contains("choose a later date"), "{err}");
    }

    #[test]
    fn weekly_rest_days_lower_the_most_a_week_may_hold() {
        let c = curriculum(vec![vec![item("a", 200 * 60, &[])]]);
        let mut request = PlanRequest::new(&c, per_week(10), date(2026, 1, 5));
        request.breaks = vec!["sat".parse().unwrap(), "sun".parse().unwrap()];
        let err = keep_end(&request, date(2026, 3, 2), date(2026, 3, 8)).unwrap_err();
        assert_eq!(err, ReplanError::TooMuch { weekly: hours(60) });
        // Exactly 60 h over five weekdays is 12 h a day: allowed.
        let c = curriculum(vec![vec![item("a", 60 * 60, &[])]]);
        request.curriculum = &c;
        let r = keep_end(&request, date(2026, 3, 2), date(2026, 3, 8)).unwrap();
        assert_eq!(r.weekly, hours(60));
    }

    #[test]
    fn the_largest_weekday_caps_a_per_weekday_budget_at_twelve_hours() {
        let budget = WeeklyBudget::parse("mon=1,tue=2").unwrap();
        let shape = Shape::new(budget, &[]).unwrap();
        assert_eq!(shape.most(), hours(18).get());
        assert_eq!(
            shape.scaled(shape.most()),
            WeeklyBudget::parse("mon=6,tue=12").unwrap()
        );
        // A rest day in the shape gets nothing and does not count.
        let rest = ["tue".parse().unwrap()];
        let shape = Shape::new(budget, &rest).unwrap();
        assert_eq!(shape.most(), hours(12).get());
        assert_eq!(shape.scaled(60), WeeklyBudget::parse("mon=1").unwrap());
    }

    #[test]
    fn breaks_in_the_window_raise_the_budget_needed() {
        let c = curriculum(vec![vec![item("a", 30 * 60, &[])]]);
        let mut request = PlanRequest::new(&c, per_week(10), date(2026, 1, 5));
        request.breaks = vec!["2026-03-09..2026-03-15".parse().unwrap()];
        let r = keep_end(&request, date(2026, 3, 2), date(2026, 3, 22)).unwrap();
        assert_eq!(r.weekly, hours(15), "two weeks of study in three");
    }

    #[test]
    fn planner_errors_come_through() {
        let c = curriculum(vec![vec![item("a", 60, &["b"]), item("b", 60, &["a"])]]);
        let request = PlanRequest::new(&c, per_week(5), date(2026, 1, 5));
        let err = keep_end(&request, date(2026, 3, 2), date(2026, 6, 1)).unwrap_err();
        assert!(matches!(
            err,
            ReplanError::Plan(PlanError::PrerequisiteCycle { .. })
        ));
        assert!(err.to_string().contains("a → b → a"), "{err}");
        assert!(matches!(
            keep_budget(&request, date(2026, 3, 2)).unwrap_err(),
            ReplanError::Plan(PlanError::PrerequisiteCycle { .. })
        ));

        let c = thirty_hours();
        let mut request =
            PlanRequest::new(&c, WeeklyBudget::parse("sat=4").unwrap(), date(2026, 1, 5));
        request.breaks = vec!["sat".parse().unwrap()];
        assert_eq!(
            keep_end(&request, date(2026, 3, 2), date(2026, 6, 1)).unwrap_err(),
            ReplanError::Plan(PlanError::NoStudyDays)
        );
        let request = PlanRequest::new(&c, per_week(0), date(2026, 1, 5));
        assert_eq!(
            keep_budget(&request, date(2026, 3, 2)).unwrap_err(),
            ReplanError::Plan(PlanError::ZeroBudget)
        );
    }

    #[test]
    fn with_nothing_left_the_end_is_kept_at_the_same_budget() {
        let c = thirty_hours();
        let mut request = PlanRequest::new(&c, per_week(7), date(2026, 1, 5));
        request.done = ["a", "b", "c"]
            .iter()
            .map(|i| ItemId::parse(i).unwrap())
            .collect();
        let r = keep_end(&request, date(2026, 3, 2), date(2026, 3, 8)).unwrap();
        assert_eq!(
            (r.budget, r.end, r.plan.total),
            (per_week(7), None, Minutes::ZERO)
        );
    }

    #[test]
    fn modes_read_back_what_they_write() {
        for mode in ReplanMode::ALL {
            assert_eq!(ReplanMode::parse(mode.as_str()), Some(mode));
        }
        assert_eq!(ReplanMode::parse("keep-both"), None);
    }

    // -----------------------------------------------------------------------------------------
    // Generated curricula, built like the planner's own property tests (which also cover
    // prerequisites in later phases): here an item may require any earlier item.

    #[derive(Debug, Clone)]
    struct Case {
        curriculum: Curriculum,
        budget: WeeklyBudget,
        start: Date,
        breaks: Vec<Break>,
        done: BTreeSet<ItemId>,
        today: Date,
        end: Date,
    }

    impl Case {
        fn request(&self) -> PlanRequest<'_> {
            let mut request = PlanRequest::new(&self.curriculum, self.budget, self.start);
            request.breaks = self.breaks.clone();
            request.done = self.done.clone();
            request
        }

        fn remaining(&self) -> Minutes {
            self.curriculum
                .items()
                .filter(|i| !self.done.contains(&i.id))
                .map(|i| i.planned(None))
                .sum()
        }
    }

    fn days_after(day: Date, days: i64) -> Date {
        day.checked_add(jiff::Span::new().days(days)).unwrap()
    }

    fn case() -> impl Strategy<Value = Case> {
        let phases = prop::collection::vec(
            prop::collection::vec((1u32..3000, any::<u64>()), 1..6),
            1..4,
        );
        let budget = prop_oneof![
            (600u32..3000).prop_map(|m| WeeklyBudget::PerWeek(Minutes::new(m))),
            prop::array::uniform7(prop_oneof![Just(0u32), 15u32..600])
                .prop_filter("at least 10 hours a week", |d| d.iter().sum::<u32>() >= 600)
                .prop_map(|d| WeeklyBudget::PerWeekday(d.map(Minutes::new))),
        ];
        let breaks = prop::collection::vec((0i64..200, 0i64..30), 0..3);
        // Start offset, today after start, end after today, a weekly rest day.
        let days = (0i64..365, 0i64..120, 1i64..400, prop::option::of(0i8..7));
        (phases, budget, breaks, days, any::<u64>())
            .prop_map(|(phases, budget, breaks, days, done_seed)| {
                let (offset, today, end, rest) = days;
                let start = days_after(date(2026, 1, 1), offset);
                let today = days_after(start, today);
                let count: usize = phases.iter().map(Vec::len).sum();
                let flat = phases
                    .iter()
                    .enumerate()
                    .flat_map(|(p, items)| items.iter().map(move |&it| (p, it)));
                let mut built: Vec<Vec<Item>> = vec![Vec::new(); phases.len()];
                for (n, (phase, (minutes, bits))) in flat.enumerate() {
                    let earlier: Vec<String> = (0..n)
                        .filter(|&m| {
                            (bits >> (m % 64)) & 1 == 1 && (bits >> ((m + 7) % 64)) & 1 == 1
                        })
                        .map(|m| format!("i{m}"))
                        .collect();
                    let refs: Vec<&str> = earlier.iter().map(String::as_str).collect();
                    built[phase].push(item(&format!("i{n}"), minutes, &refs));
                }
                let done = (0..count)
                    .filter(|m| (done_seed >> (m % 64)) & 1 == 1 && done_seed.is_multiple_of(3))
                    .map(|m| ItemId::parse(&format!("i{m}")).unwrap())
                    .collect();
                let mut breaks: Vec<Break> = breaks
                    .into_iter()
                    .map(|(from, len)| {
                        let from = days_after(start, from);
                        Break::Dates {
                            from,
                            to: days_after(from, len),
                        }
                    })
                    .collect();
                if let Some(day) = rest {
                    let day = Weekday::from_monday_zero_offset(day).unwrap();
                    breaks.push(Break::Weekly { day });
                }
                let end = days_after(today, end);
                Case {
                    curriculum: curriculum(built),
                    budget,
                    start,
                    breaks,
                    done,
                    today,
                    end,
                }
            })
            .prop_filter("the old plan can be made", |c| {
                plan_schedule(&c.request()).is_ok()
            })
    }

    /// The rules every re-plan keeps: the work left is all there, weeks hold no more than
    /// their capacity under the new budget, and nothing starts before today.
    fn check_plan(case: &Case, r: &Replan) -> Result<(), TestCaseError> {
        let plan = &r.plan;
        prop_assert_eq!(plan.total, case.remaining());
        let in_weeks: Minutes = plan.weeks.iter().map(|w| w.planned()).sum();
        prop_assert_eq!(in_weeks, case.remaining());
        prop_assert_eq!(plan.budget, r.budget);
        prop_assert_eq!(r.weekly, r.budget.weekly_total());
        prop_assert_eq!((r.start, plan.start), (case.today, case.today));
        prop_assert_eq!(r.end, plan.end);
        for week in &plan.weeks {
            prop_assert!(
                week.planned() <= week.capacity,
                "week {} over capacity",
                week.number
            );
            prop_assert!(week.capacity <= r.budget.weekly_total());
        }
        for planned in &plan.items {
            match planned.span {
                Some(span) => prop_assert!(span.start >= case.today),
                None => prop_assert!(planned.done),
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn keeping_the_budget_keeps_every_rule(case in case()) {
            match keep_budget(&case.request(), case.today) {
                Ok(r) => {
                    check_plan(&case, &r)?;
                    prop_assert_eq!(r.budget, case.budget);
                }
                // The old plan could be made, so only the 20-year limit, counted from
                // today instead of the old start, could refuse the new one.
                Err(e) => prop_assert!(matches!(e, ReplanError::Plan(PlanError::TooLong { .. })), "{e}"),
            }
        }

        #[test]
        fn keeping_the_end_finishes_by_the_end_or_says_it_is_too_much(case in case()) {
            let request = case.request();
            match keep_end(&request, case.today, case.end) {
                Ok(r) => {
                    check_plan(&case, &r)?;
                    prop_assert!(r.end.is_none_or(|e| e <= case.end), "ends {:?} after {}", r.end, case.end);
                    // The same shape, and no day over twelve hours.
                    match (case.budget, r.budget) {
                        (WeeklyBudget::PerWeek(_), WeeklyBudget::PerWeek(m)) => {
                            prop_assert!(m <= hours(84));
                        }
                        (WeeklyBudget::PerWeekday(_), WeeklyBudget::PerWeekday(days)) => {
                            prop_assert!(days.iter().all(|&d| d <= MAX_DAILY));
                        }
                        (old, new) => prop_assert!(false, "{old:?} became {new:?}"),
                    }
                }
                Err(ReplanError::TooMuch { weekly }) => {
                    let shape = Shape::new(case.budget, &case.breaks).unwrap();
                    prop_assert_eq!(weekly.get(), shape.most());
                    let mut most = request.clone();
                    most.start = case.today;
                    most.budget = shape.scaled(shape.most());
                    if let Ok(plan) = plan_schedule(&most) {
                        prop_assert!(plan.end.is_some_and(|e| e > case.end));
                    }
                }
                Err(e) => prop_assert!(false, "unexpected {e}"),
            }
        }
    }
}
