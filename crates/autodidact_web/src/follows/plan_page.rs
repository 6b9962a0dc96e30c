//! The plan page: the timeline, the same plan as a table, the phase deadlines, and the forms
//! that change the budget, the start and the breaks. The plan shown is the rolling plan
//! (`core::follow::Followed::rolling_plan`): the work left, from today, never stored, so it is
//! always current; where the learner stands is measured against the plan they accepted.

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::curriculum::Minutes;
use autodidact_core::follow::{
    Effective, FollowCurriculumError, Progress, change_plan as core_change_plan, load_progress,
    plan_in_force,
};
use autodidact_core::insight::burnup::standing;
use autodidact_core::plan::{Break, Plan, PlanError};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;

use super::plan::{
    PlanSettings, budget_field, budget_words, check_plan, layout_for, parse_breaks, parse_budget,
    parse_start,
};
use super::timeline::Timeline;
use super::{FollowRoute, Followed, follow_today, load_followed, status_heading, today};
use crate::app::AppState;
use crate::auth::SignedIn;
use crate::auth::csrf::CsrfForm;
use crate::error::PageError;
use crate::insight::words::{ShownDay, day_words, hours_about};
use crate::memos::render;
use crate::page::{FieldErrors, Layout, capitalise};

struct Summary {
    budget: String,
    start: ShownDay,
    end: Option<ShownDay>,
    weeks: usize,
    total: String,
    /// Where the learner stands against the plan they accepted, when behind or ahead.
    standing: Option<String>,
}

struct TableRow {
    id: String,
    title: String,
    phase: usize,
    hours: String,
    dates: Option<(ShownDay, ShownDay)>,
    weeks: String,
    status: &'static str,
    status_class: &'static str,
}

struct PhaseRow {
    title: String,
    hours: String,
    end: Option<ShownDay>,
    week: Option<u32>,
}

#[derive(Template, WebTemplate)]
#[template(path = "follows/plan.html")]
pub struct PlanPage {
    layout: Layout,
    follow_id: i64,
    curriculum_id: i64,
    title: String,
    today: String,
    summary: Option<Summary>,
    /// Why there is no plan, when the stored settings cannot be planned any more.
    problem: Option<String>,
    timeline: Option<Timeline>,
    table: Vec<TableRow>,
    phases: Vec<PhaseRow>,
    hours_per_week: String,
    per_weekday: String,
    start: String,
    /// Each break as written (`2026-12-21..2027-01-03`, the value to remove it by) and in
    /// words (`Mon 21 Dec to Sun 3 Jan 2027`).
    breaks: Vec<(String, String)>,
    new_break: String,
    errors: FieldErrors,
    notice: Option<&'static str>,
    /// `From 5 January 2026: 10 h a week`, oldest first, when the hours ever changed.
    budget_history: Vec<String>,
}

impl PlanPage {
    async fn load(
        state: &AppState,
        who: &SignedIn,
        followed: &Followed,
    ) -> Result<Self, PageError> {
        let today = today(who);
        let progress =
            load_progress(state.store.as_ref(), followed, &who.user, Timestamp::now()).await?;
        let plan = followed.rolling_plan(&progress, today);
        Ok(Self::new(who, followed, &progress, plan.as_ref(), today))
    }

    fn new(
        who: &SignedIn,
        followed: &Followed,
        progress: &Progress,
        plan: Result<&Plan, &PlanError>,
        today: Date,
    ) -> Self {
        let budget = &followed.follow.budget;
        let (hours_per_week, per_weekday) = match budget_field(budget) {
            "per_weekday" => (String::new(), budget.to_string()),
            _ => (budget.to_string(), String::new()),
        };
        let title = followed.record.title.clone();
        let mut page = Self {
            layout: layout_for(format!("Plan: {title}"), who, followed),
            follow_id: followed.follow.id.0,
            curriculum_id: followed.record.id.0,
            title,
            today: day_words(today, today),
            summary: None,
            problem: None,
            timeline: None,
            table: Vec::new(),
            phases: Vec::new(),
            hours_per_week,
            per_weekday,
            start: followed.follow.start.to_string(),
            breaks: followed
                .follow
                .breaks
                .iter()
                .map(|b| (b.to_string(), break_words(b, today)))
                .collect(),
            new_break: String::new(),
            errors: FieldErrors::default(),
            notice: None,
            budget_history: budget_history_words(followed, today),
        };
        match plan {
            Ok(plan) => {
                page.show_plan(plan, followed, today);
                if let Some(s) = page.summary.as_mut() {
                    s.standing = standing_words(followed, progress, today);
                }
            }
            Err(e) => page.problem = Some(capitalise(&e.to_string())),
        }
        page
    }

    fn show_plan(&mut self, plan: &Plan, followed: &Followed, today: jiff::civil::Date) {
        self.summary = Some(Summary {
            budget: budget_words(&plan.budget),
            start: ShownDay::new(plan.start, today),
            end: plan.end.map(|d| ShownDay::new(d, today)),
            weeks: plan.weeks.len(),
            total: plan.total.to_string(),
            standing: None,
        });
        self.timeline = Some(Timeline::new(plan, today, |id| followed.status(id)));
        self.table = plan
            .items
            .iter()
            .map(|item| {
                let status = followed.status(&item.id);
                TableRow {
                    id: item.id.as_str().to_owned(),
                    title: item.title.clone(),
                    phase: item.phase + 1,
                    hours: item.minutes.to_string(),
                    dates: item
                        .span
                        .map(|s| (ShownDay::new(s.start, today), ShownDay::new(s.end, today))),
                    weeks: item.span.map_or_else(String::new, |s| {
                        if s.start_week == s.end_week {
                            s.start_week.to_string()
                        } else {
                            format!("{}–{}", s.start_week, s.end_week)
                        }
                    }),
                    status: status_heading(status),
                    status_class: status.as_str(),
                }
            })
            .collect();
        self.phases = plan
            .phases
            .iter()
            .map(|p| PhaseRow {
                title: p.title.clone(),
                hours: p.minutes.to_string(),
                end: p.end.map(|d| ShownDay::new(d, today)),
                week: p.end_week,
            })
            .collect();
    }
}

/// A break as the page writes dates: `Fri 25 Dec`, `Mon 21 Dec to Sun 3 Jan 2027`, `every Sunday`.
fn break_words(b: &Break, today: Date) -> String {
    match *b {
        Break::Dates { from, to } if from == to => day_words(from, today),
        Break::Dates { from, to } => {
            format!("{} to {}", day_words(from, today), day_words(to, today))
        }
        Break::Weekly { day } => format!("every {}", weekday_name(day)),
    }
}

fn weekday_name(day: jiff::civil::Weekday) -> &'static str {
    use jiff::civil::Weekday::*;
    match day {
        Monday => "Monday",
        Tuesday => "Tuesday",
        Wednesday => "Wednesday",
        Thursday => "Thursday",
        Friday => "Friday",
        Saturday => "Saturday",
        Sunday => "Sunday",
    }
}

/// The budget's history as lines, when it changed at least once (or a change is coming).
fn budget_history_words(followed: &Followed, today: Date) -> Vec<String> {
    let history = followed.follow.budgets();
    if history.changes().len() < 2 {
        return Vec::new();
    }
    history
        .changes()
        .iter()
        .map(|c| {
            let when = if c.from > today { "From" } else { "Since" };
            format!(
                "{when} {}: {}",
                day_words(c.from, today),
                budget_words(&c.value)
            )
        })
        .collect()
}

/// `You are 49 h behind the plan you accepted, which ended on Sun 6 Dec.` from the end of
/// yesterday (today is still open), or how far ahead; `None` within an hour of it.
fn standing_words(followed: &Followed, progress: &Progress, today: Date) -> Option<String> {
    let (accepted, line) = plan_in_force(followed)?;
    let yesterday = today.yesterday().ok()?;
    let s = standing(&line, progress.earned_today, yesterday);
    let end = match accepted.end {
        Some(end) if end < today => format!(", which ended on {}", day_words(end, today)),
        Some(end) => format!(", which ends on {}", day_words(end, today)),
        None => String::new(),
    };
    if s.behind >= Minutes::from_hours(1) {
        Some(format!(
            "You are {} behind the plan you accepted{end}; the dates here carry the rest forward from today. The dashboard offers a re-plan.",
            hours_about(s.behind)
        ))
    } else if s.ahead >= Minutes::from_hours(1) {
        Some(format!(
            "You are {} ahead of the plan you accepted{end}.",
            hours_about(s.ahead)
        ))
    } else {
        None
    }
}

#[derive(Debug, Deserialize)]
pub struct PlanQuery {
    saved: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    route: FollowRoute,
    Query(query): Query<PlanQuery>,
) -> Result<Response, PageError> {
    let today = today(&route.who);
    let looked = follow_today(&state, &route.who, route.id, today).await?;
    let shown = &looked.view;
    let mut page = PlanPage::new(
        &route.who,
        &shown.followed,
        &shown.progress,
        shown.plan.as_ref(),
        today,
    );
    page.notice = match query.saved.as_deref() {
        Some("plan") => Some("Your hours and start are saved, and the plan is updated."),
        Some("break") => Some("The break is added, and the plan is updated."),
        Some("break-removed") => Some("The break is removed, and the plan is updated."),
        Some("feed-off") => Some("The calendar feed is off: its address no longer works."),
        Some("done-before") => {
            Some("What you had done is marked, and the plan starts today with the rest.")
        }
        _ => None,
    };
    render(&page, &state.memos.follow, &route.who.user, looked)
}

#[derive(Debug, Deserialize)]
pub struct PlanForm {
    #[serde(default)]
    hours_per_week: String,
    #[serde(default)]
    per_weekday: String,
    #[serde(default)]
    start: String,
    /// `next-week` (the default) or `today`.
    #[serde(default)]
    budget_from: String,
}

pub async fn change_plan(
    State(state): State<AppState>,
    route: FollowRoute,
    CsrfForm(form): CsrfForm<PlanForm>,
) -> Result<Response, PageError> {
    let followed = load_followed(&state, &route.who, route.id).await?;
    let mut errors = FieldErrors::default();
    let budget = parse_budget(&mut errors, &form.hours_per_week, &form.per_weekday);
    let start = parse_start(&mut errors, &form.start);
    let from = Effective::parse(&form.budget_from).unwrap_or_default();
    let settings = budget
        .zip(start)
        .map(|(budget, start)| PlanSettings::new(budget, start, followed.follow.breaks.clone()));
    let saved = match settings {
        Some(settings) => save(&state, &route, &settings, from, &mut errors).await?,
        None => false,
    };
    if saved {
        return Ok(saved_redirect(&route, "plan"));
    }
    let mut page = PlanPage::load(&state, &route.who, &followed).await?;
    (page.hours_per_week, page.per_weekday, page.start) =
        (form.hours_per_week, form.per_weekday, form.start);
    page.errors = errors;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Debug, Deserialize)]
pub struct BreakForm {
    #[serde(default, rename = "break")]
    value: String,
}

pub async fn add_break(
    State(state): State<AppState>,
    route: FollowRoute,
    CsrfForm(form): CsrfForm<BreakForm>,
) -> Result<Response, PageError> {
    let followed = load_followed(&state, &route.who, route.id).await?;
    let mut errors = FieldErrors::default();
    let mut settings = followed.settings();
    let saved = match parse_breaks(&mut errors, "break", &form.value) {
        Some(new) if new.is_empty() => {
            errors.add(
                "break",
                "Write a break: a day, a range of days or a weekday.",
            );
            false
        }
        Some(new) => {
            for b in new {
                if !settings.breaks.contains(&b) {
                    settings.breaks.push(b);
                }
            }
            save(&state, &route, &settings, Effective::default(), &mut errors).await?
        }
        None => false,
    };
    if saved {
        return Ok(saved_redirect(&route, "break"));
    }
    let mut page = PlanPage::load(&state, &route.who, &followed).await?;
    page.new_break = form.value;
    page.errors = errors;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn remove_break(
    State(state): State<AppState>,
    route: FollowRoute,
    CsrfForm(form): CsrfForm<BreakForm>,
) -> Result<Response, PageError> {
    let followed = load_followed(&state, &route.who, route.id).await?;
    let mut settings = followed.settings();
    let gone = form.value.parse::<Break>().ok();
    settings.breaks.retain(|b| Some(*b) != gone);
    let mut errors = FieldErrors::default();
    if save(&state, &route, &settings, Effective::default(), &mut errors).await? {
        return Ok(saved_redirect(&route, "break-removed"));
    }
    let mut page = PlanPage::load(&state, &route.who, &followed).await?;
    page.errors = errors;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Stores the settings through `core::follow::change_plan`; `false` with the reason next to
/// its field when they give no plan.
async fn save(
    state: &AppState,
    route: &FollowRoute,
    settings: &PlanSettings,
    from: Effective,
    errors: &mut FieldErrors,
) -> Result<bool, PageError> {
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    let user = &route.who.user;
    let now = Timestamp::now();
    match core_change_plan(store, cache, user, route.id, settings, from, now).await {
        Ok(_) => Ok(true),
        Err(FollowCurriculumError::Plan(e)) => {
            check_plan(errors, (budget_field(&settings.budget), "break"), Err(e));
            Ok(false)
        }
        Err(e @ FollowCurriculumError::StartPassed { .. }) => {
            errors.add("start", capitalise(&e.to_string()));
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

fn saved_redirect(route: &FollowRoute, what: &str) -> Response {
    let anchor = if what == "plan" { "settings" } else { "breaks" };
    Redirect::to(&format!("/follows/{}?saved={what}#{anchor}", route.id.0)).into_response()
}
