use autodidact_core::curriculum::Minutes;
use autodidact_core::plan::{PlanRequest, WeeklyBudget, plan_schedule};
use autodidact_core::templates;
use jiff::ToSpan;
use jiff::civil::date;

#[test]
fn every_template_parses_without_errors_or_warnings() {
    assert_eq!(templates::all().len(), 5);
    for template in templates::all() {
        let checked = autodidact_core::curriculum::check_toml(template.source);
        let rendered: Vec<String> = checked
            .diagnostics
            .iter()
            .map(|d| d.render(template.id))
            .collect();
        assert!(rendered.is_empty(), "{}: {rendered:#?}", template.id);
        assert!(checked.curriculum.is_some());
    }
}

#[test]
fn every_template_plans_its_whole_estimate_at_its_suggested_budget() {
    for template in templates::all() {
        let curriculum = template.curriculum().expect("template parses");
        let weekly = curriculum
            .hours_per_week
            .expect("templates suggest a weekly budget");
        let request = PlanRequest::new(
            &curriculum,
            WeeklyBudget::PerWeek(weekly),
            date(2026, 12, 7),
        );
        let plan = plan_schedule(&request).expect("template plans");
        assert_eq!(plan.total, curriculum.total_planned(), "{}", template.id);
        let in_weeks: Minutes = plan.weeks.iter().map(|w| w.planned()).sum();
        assert_eq!(in_weeks, plan.total, "{}", template.id);
    }
}

#[test]
fn the_six_month_plan_fits_in_six_months_at_twenty_hours_a_week() {
    let template = templates::find("deep-learning-in-six-months").expect("shipped");
    let curriculum = template.curriculum().expect("parses");
    assert_eq!(curriculum.hours_per_week, Some(Minutes::from_hours(20)));
    assert_eq!(curriculum.phases.len(), 2);
    let start = date(2026, 12, 7);
    let request = PlanRequest::new(
        &curriculum,
        WeeklyBudget::PerWeek(Minutes::from_hours(20)),
        start,
    );
    let plan = plan_schedule(&request).expect("plans");
    let end = plan.end.expect("has work");
    assert!(
        end < start.checked_add(6.months()).expect("date"),
        "ends {end}"
    );
}

#[test]
fn the_four_month_plan_ends_with_a_chained_capstone() {
    let curriculum = templates::find("ml-and-dl-in-four-months")
        .expect("shipped")
        .curriculum()
        .expect("parses");
    let last = curriculum.phases.last().expect("phases");
    let projects: Vec<_> = last
        .items
        .iter()
        .filter(|i| i.kind == autodidact_core::curriculum::ItemKind::Project)
        .collect();
    assert!(projects.len() >= 7, "capstone stages: {}", projects.len());
    for pair in projects.windows(2) {
        assert!(
            pair[1].requires.contains(&pair[0].id),
            "{} should require {}",
            pair[1].id,
            pair[0].id
        );
    }
}

#[test]
fn both_master_paths_close_with_a_milestone_project() {
    for id in ["ml-beginner-path", "ml-advanced-path"] {
        let curriculum = templates::find(id)
            .expect("shipped")
            .curriculum()
            .expect("parses");
        let last = curriculum.items().last().expect("items");
        assert_eq!(
            last.kind,
            autodidact_core::curriculum::ItemKind::Project,
            "{id}"
        );
    }
}
