//! The planner's rules, on hand-built and on generated curricula.

use std::collections::{BTreeSet, HashMap};

use autodidact_core::curriculum::{
    Curriculum, Effort, EstimateSource, Item, ItemId, ItemKind, Minutes, Phase,
};
use autodidact_core::plan::{
    Break, PlanError, PlanRequest, WeeklyBudget, plan_schedule, weekday_index,
};
use jiff::civil::{Date, Weekday, date};
use proptest::prelude::*;

fn item(id: &str, hours: u32, requires: &[&str]) -> Item {
    Item {
        id: ItemId::parse(id).unwrap(),
        kind: ItemKind::Course,
        title: id.to_uppercase(),
        url: None,
        effort: Effort::Hours(Minutes::from_hours(hours)),
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

fn hours(h: u32) -> WeeklyBudget {
    WeeklyBudget::PerWeek(Minutes::from_hours(h))
}

#[test]
fn a_small_plan_has_the_dates_a_person_would_work_out() {
    // 10 h a week from Monday 7 December: 10 h, then 15 h, then 5 h.
    let c = curriculum(vec![
        vec![item("a", 10, &[]), item("b", 15, &["a"])],
        vec![item("c", 5, &["b"])],
    ]);
    let plan = plan_schedule(&PlanRequest::new(&c, hours(10), date(2026, 12, 7))).unwrap();
    let span = |n: usize| plan.items[n].span.unwrap();
    assert_eq!(
        (span(0).start, span(0).end),
        (date(2026, 12, 7), date(2026, 12, 13))
    );
    assert_eq!((span(1).start_week, span(1).end_week), (2, 3));
    assert_eq!(span(1).end, date(2026, 12, 24));
    assert_eq!(span(2).start, date(2026, 12, 24));
    assert_eq!(plan.end, Some(date(2026, 12, 27)));
    assert_eq!(plan.phases[0].end, Some(date(2026, 12, 24)));
    assert_eq!(plan.weeks.len(), 3);
    assert_eq!(plan.total, Minutes::from_hours(30));
}

#[test]
fn a_break_pushes_the_work_past_it() {
    let c = curriculum(vec![vec![item("a", 20, &[])]]);
    let mut request = PlanRequest::new(&c, hours(10), date(2026, 12, 7));
    request.breaks = vec!["2026-12-14..2026-12-27".parse().unwrap()];
    let plan = plan_schedule(&request).unwrap();
    let span = plan.items[0].span.unwrap();
    assert_eq!(span.end, date(2027, 1, 3));
    assert_eq!(plan.weeks[1].capacity, Minutes::ZERO);
    assert_eq!(plan.weeks[2].capacity, Minutes::ZERO);
}

#[test]
fn weekly_rest_days_move_the_budget_onto_the_other_days() {
    let c = curriculum(vec![vec![item("a", 12, &[])]]);
    let mut request = PlanRequest::new(&c, hours(12), date(2026, 12, 7));
    request.breaks = vec![
        Break::Weekly {
            day: Weekday::Saturday,
        },
        Break::Weekly {
            day: Weekday::Sunday,
        },
    ];
    let plan = plan_schedule(&request).unwrap();
    assert_eq!(
        plan.items[0].span.unwrap().end,
        date(2026, 12, 11),
        "done by Friday"
    );
}

#[test]
fn done_items_take_no_time_and_do_not_hold_back_their_dependents() {
    let c = curriculum(vec![vec![item("a", 10, &[]), item("b", 10, &["a"])]]);
    let mut request = PlanRequest::new(&c, hours(10), date(2026, 12, 7));
    request.done.insert(ItemId::parse("a").unwrap());
    let plan = plan_schedule(&request).unwrap();
    assert!(plan.items[0].done && plan.items[0].span.is_none());
    assert_eq!(plan.items[1].span.unwrap().start, date(2026, 12, 7));
    assert_eq!(plan.total, Minutes::from_hours(10));
}

#[test]
fn a_prerequisite_in_a_later_phase_is_pulled_forward_but_free_items_are_not() {
    // Phase 1: a needs d. Phase 2: c (free), d. Expected order: d, a, c.
    let c = curriculum(vec![
        vec![item("a", 1, &["d"])],
        vec![item("c", 1, &[]), item("d", 1, &[])],
    ]);
    let plan = plan_schedule(&PlanRequest::new(&c, hours(10), date(2026, 12, 7))).unwrap();
    let order: Vec<&str> = plan.in_order().iter().map(|i| i.id.as_str()).collect();
    assert_eq!(order, ["d", "a", "c"]);
}

#[test]
fn a_zero_budget_is_refused() {
    let c = curriculum(vec![vec![item("a", 1, &[])]]);
    let err = plan_schedule(&PlanRequest::new(&c, hours(0), date(2026, 12, 7))).unwrap_err();
    assert_eq!(err, PlanError::ZeroBudget);
    assert!(err.to_string().contains("zero hours"));
}

#[test]
fn a_budget_only_on_rest_days_is_refused_not_looped_on() {
    let c = curriculum(vec![vec![item("a", 1, &[])]]);
    let budget = WeeklyBudget::parse("sat=4,sun=4").unwrap();
    let mut request = PlanRequest::new(&c, budget, date(2026, 12, 7));
    request.breaks = vec!["sat".parse().unwrap(), "sunday".parse().unwrap()];
    assert_eq!(plan_schedule(&request).unwrap_err(), PlanError::NoStudyDays);
}

#[test]
fn a_cycle_is_refused_with_its_path() {
    let c = curriculum(vec![vec![item("a", 1, &["b"]), item("b", 1, &["a"])]]);
    let err = plan_schedule(&PlanRequest::new(&c, hours(5), date(2026, 12, 7))).unwrap_err();
    assert!(matches!(err, PlanError::PrerequisiteCycle { .. }));
    assert!(err.to_string().contains("a → b → a"), "{err}");
}

#[test]
fn a_plan_longer_than_twenty_years_is_refused() {
    let c = curriculum(vec![vec![item("a", 4000, &[])]]);
    let budget = WeeklyBudget::PerWeek(Minutes::new(1));
    let err = plan_schedule(&PlanRequest::new(&c, budget, date(2026, 12, 7))).unwrap_err();
    assert!(matches!(err, PlanError::TooLong { .. }), "{err}");
}

#[test]
fn budgets_and_breaks_parse_from_what_people_type() {
    assert_eq!(
        WeeklyBudget::parse("7.5").unwrap(),
        WeeklyBudget::PerWeek(Minutes::new(450))
    );
    let WeeklyBudget::PerWeekday(days) = WeeklyBudget::parse("mon=2, sat=6").unwrap() else {
        panic!("per weekday")
    };
    assert_eq!(days[0], Minutes::from_hours(2));
    assert_eq!(days[5], Minutes::from_hours(6));
    assert!(
        WeeklyBudget::parse("lots")
            .unwrap_err()
            .to_string()
            .contains("not a number")
    );
    assert!(WeeklyBudget::parse("funday=2").is_err());
    assert!(
        "2027-01-03..2026-12-21"
            .parse::<Break>()
            .unwrap_err()
            .to_string()
            .contains("earlier date first")
    );
    assert_eq!(
        "2026-12-25".parse::<Break>().unwrap().to_string(),
        "2026-12-25"
    );
}

// ---------------------------------------------------------------------------------------------
// Generated curricula

#[derive(Debug, Clone)]
struct Case {
    curriculum: Curriculum,
    budget: WeeklyBudget,
    start: Date,
    breaks: Vec<Break>,
    done: BTreeSet<ItemId>,
}

fn case() -> impl Strategy<Value = Case> {
    let phases = prop::collection::vec(
        prop::collection::vec((1u32..3000, any::<u64>()), 1..8),
        1..5,
    );
    let budget = prop_oneof![
        (600u32..3000).prop_map(|m| WeeklyBudget::PerWeek(Minutes::new(m))),
        prop::array::uniform7(prop_oneof![Just(0u32), 15u32..600])
            .prop_filter("at least 10 hours a week", |d| d.iter().sum::<u32>() >= 600)
            .prop_map(|d| WeeklyBudget::PerWeekday(d.map(Minutes::new))),
    ];
    let breaks = prop::collection::vec((0i32..200, 0i32..30), 0..3);
    (
        phases,
        budget,
        0i32..365,
        breaks,
        any::<u64>(),
        any::<u64>(),
    )
        .prop_map(|(phases, budget, offset, breaks, order_seed, done_seed)| {
            let start = date(2026, 1, 1)
                .checked_add(jiff::Span::new().days(offset))
                .unwrap();
            build_case(phases, budget, start, breaks, order_seed, done_seed)
        })
}

/// Prerequisites follow a random hidden order, so some point into later phases, and none
/// can form a cycle.
fn build_case(
    phases: Vec<Vec<(u32, u64)>>,
    budget: WeeklyBudget,
    start: Date,
    breaks: Vec<(i32, i32)>,
    order_seed: u64,
    done_seed: u64,
) -> Case {
    let count: usize = phases.iter().map(Vec::len).sum();
    let mut hidden: Vec<usize> = (0..count).collect();
    let mut seed = order_seed;
    for n in (1..count).rev() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        hidden.swap(n, (seed >> 33) as usize % (n + 1));
    }
    let mut n = 0;
    let built: Vec<Vec<Item>> = phases
        .iter()
        .map(|items| {
            items
                .iter()
                .map(|&(minutes, bits)| {
                    let earlier: Vec<String> = (0..count)
                        .filter(|&m| {
                            hidden[m] < hidden[n]
                                && (bits >> (m % 64)) & 1 == 1
                                && (bits >> ((m + 7) % 64)) & 1 == 1
                        })
                        .map(|m| format!("i{m}"))
                        .collect();
                    let refs: Vec<&str> = earlier.iter().map(String::as_str).collect();
                    let mut it = item(&format!("i{n}"), 1, &refs);
                    it.effort = Effort::Hours(Minutes::new(minutes));
                    n += 1;
                    it
                })
                .collect()
        })
        .collect();
    let done = (0..count)
        .filter(|m| (done_seed >> (m % 64)) & 1 == 1 && done_seed.is_multiple_of(3))
        .map(|m| ItemId::parse(&format!("i{m}")).unwrap())
        .collect();
    let breaks = breaks
        .into_iter()
        .map(|(from, len)| {
            let from = start.checked_add(jiff::Span::new().days(from)).unwrap();
            Break::Dates {
                from,
                to: from.checked_add(jiff::Span::new().days(len)).unwrap(),
            }
        })
        .collect();
    Case {
        curriculum: curriculum(built),
        budget,
        start,
        breaks,
        done,
    }
}

fn is_study_day(case: &Case, day: Date) -> bool {
    let budgeted = match case.budget {
        WeeklyBudget::PerWeek(m) => !m.is_zero(),
        WeeklyBudget::PerWeekday(days) => !days[weekday_index(day.weekday())].is_zero(),
    };
    budgeted && day >= case.start && !case.breaks.iter().any(|b| b.covers(day))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn generated_plans_keep_every_rule(case in case()) {
        let mut request = PlanRequest::new(&case.curriculum, case.budget, case.start);
        request.breaks = case.breaks.clone();
        request.done = case.done.clone();
        let plan = plan_schedule(&request).unwrap();
        let items: Vec<&Item> = case.curriculum.items().collect();
        let index: HashMap<&ItemId, usize> = items.iter().enumerate().map(|(n, i)| (&i.id, n)).collect();

        // Total planned hours equal the total estimate of the work not done.
        let expected: Minutes = items.iter().filter(|i| !case.done.contains(&i.id)).map(|i| i.planned(None)).sum();
        prop_assert_eq!(plan.total, expected);
        let in_weeks: Minutes = plan.weeks.iter().map(|w| w.planned()).sum();
        prop_assert_eq!(in_weeks, expected);

        // Weekly hours never exceed the budget; a week's work fits its capacity.
        for week in &plan.weeks {
            prop_assert!(week.planned() <= week.capacity, "week {} over capacity", week.number);
            prop_assert!(week.capacity <= case.budget.weekly_total());
        }

        // Each item's weekly pieces add up to the item, in the weeks of its span; an item
        // larger than its first week's capacity is split across weeks.
        for (n, planned) in plan.items.iter().enumerate() {
            let pieces: Vec<(u32, Minutes)> = plan.weeks.iter()
                .flat_map(|w| w.work.iter().filter(|(i, _)| *i == n).map(move |&(_, m)| (w.number, m)))
                .collect();
            let sum: Minutes = pieces.iter().map(|&(_, m)| m).sum();
            prop_assert_eq!(sum, planned.minutes);
            if let Some(span) = planned.span {
                prop_assert!(pieces.iter().all(|&(w, _)| span.start_week <= w && w <= span.end_week));
                prop_assert!(is_study_day(&case, span.start) && is_study_day(&case, span.end));
                let first_week = &plan.weeks[span.start_week as usize - 1];
                if planned.minutes > first_week.capacity {
                    prop_assert!(span.end_week > span.start_week);
                }
            } else {
                prop_assert!(planned.done);
            }
        }

        // No item starts before its prerequisites end.
        let order: Vec<usize> = plan.in_order().iter().map(|p| index[&p.id]).collect();
        let position: HashMap<usize, usize> = order.iter().enumerate().map(|(k, &n)| (n, k)).collect();
        for (n, it) in items.iter().enumerate() {
            let Some(span) = plan.items[n].span else { continue };
            for req in &it.requires {
                let r = index[req];
                if let Some(req_span) = plan.items[r].span {
                    prop_assert!(req_span.end <= span.start, "{} starts before {} ends", it.id, req);
                    prop_assert!(position[&r] < position[&n]);
                }
            }
        }

        // Phase order holds, unless a later-phase item is needed by an earlier phase's work.
        let needed_by = |y: usize, phase: usize| -> bool {
            let mut stack: Vec<usize> = (0..items.len()).filter(|&x| plan.items[x].phase <= phase && plan.items[x].span.is_some()).collect();
            let mut seen = BTreeSet::new();
            while let Some(x) = stack.pop() {
                for req in &items[x].requires {
                    let r = index[req];
                    if r == y { return true; }
                    if seen.insert(r) { stack.push(r); }
                }
            }
            false
        };
        for (k, &y) in order.iter().enumerate() {
            for &x in &order[k + 1..] {
                if plan.items[y].phase > plan.items[x].phase {
                    prop_assert!(needed_by(y, plan.items[x].phase),
                        "{} (phase {}) ran ahead of {} (phase {})", items[y].id, plan.items[y].phase, items[x].id, plan.items[x].phase);
                }
            }
        }
    }
}
