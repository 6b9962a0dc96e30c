//! A follow's stored settings read back into a plan, in one place, for every page that shows
//! dates (the plan, the board, the item pages, the calendar feed and the dashboard).
//!
//! Also the parsing of the settings forms, so that what is stored is always something this
//! module can read back: a budget `WeeklyBudget::parse` accepts, an ISO start date, and breaks
//! in the form `Break` writes them.

use autodidact_core::curriculum::Curriculum;
use autodidact_core::follow::{FollowError, Progress, load_follow, owned_follow};
use autodidact_core::plan::{Break, Plan, PlanError, WeeklyBudget};
use autodidact_core::store::{CurriculumRecord, Follow, FollowId};
use jiff::civil::{Date, Weekday};

pub use autodidact_core::follow::{Followed, PlanSettings, is_finished};

use crate::app::AppState;
use crate::auth::SignedIn;
use crate::error::PageError;
use crate::memos::{Looked, look};
use crate::page::{FieldErrors, capitalise, plain};

/// A follow as its pages start from: the curriculum with the board, the progress and the
/// rolling plan as of one day. Kept in the memo (see `crate::memos`) between requests.
#[derive(Debug)]
pub struct FollowToday {
    pub followed: Followed,
    pub progress: Progress,
    /// The rolling plan from `today`, or why there is none.
    pub plan: Result<Plan, PlanError>,
}

/// The viewer's follow `id` as of `today`, from the memo when nothing changed since; 404
/// unless the viewer owns it (the memo is the owner's, so it is asked first).
pub async fn follow_today(
    state: &AppState,
    who: &SignedIn,
    id: FollowId,
    today: Date,
) -> Result<Looked<(FollowId, Date), FollowToday>, PageError> {
    look(&state.memos.follow, &who.user, (id, today), || async {
        let followed = load_followed(state, who, id).await?;
        let minutes = state.store.follow_minutes(id).await?;
        let progress = Progress::new(&followed, &minutes, &who.user.settings.timezone, today);
        let plan = followed.rolling_plan(&progress, today);
        Ok(FollowToday {
            followed,
            progress,
            plan,
        })
    })
    .await
}

/// The viewer's follow `id` with its curriculum and board; 404 unless the viewer owns it.
pub async fn load_followed(
    state: &AppState,
    who: &SignedIn,
    id: FollowId,
) -> Result<Followed, PageError> {
    Ok(owned_follow(state.store.as_ref(), &state.curricula, &who.user, id).await?)
}

/// A follow whose ownership the caller has checked (the calendar feed's, by its token).
pub async fn load_checked(
    state: &AppState,
    follow: Follow,
    week_start: Weekday,
) -> Result<Followed, PageError> {
    Ok(load_follow(state.store.as_ref(), &state.curricula, follow, week_start).await?)
}

/// A stored curriculum's model, through the application's parse cache. The source is checked
/// when saved, so this fails only if a curriculum was stored with errors; say so rather than
/// fail as internal.
pub fn parse_curriculum(
    state: &AppState,
    record: &CurriculumRecord,
) -> Result<std::sync::Arc<Curriculum>, PageError> {
    state.curricula.parse(record).ok_or_else(|| {
        FollowError::Unreadable {
            title: record.title.clone(),
        }
        .into()
    })
}

// ---------------------------------------------------------------------------------------------
// The settings forms

/// The most breaks a follow may hold; more is certainly a mistake in pasted text.
const MAX_BREAKS: usize = 200;
const MAX_BUDGET_CHARS: usize = 200;

/// The weekly budget from the form's two ways of giving it: hours a week, or hours per weekday
/// (`mon=2,sat=6`). Errors go to the field they belong to.
pub fn parse_budget(
    errors: &mut FieldErrors,
    hours_per_week: &str,
    per_weekday: &str,
) -> Option<WeeklyBudget> {
    let (hours, days) = (hours_per_week.trim(), per_weekday.trim());
    let (field, text) = match (hours.is_empty(), days.is_empty()) {
        (true, true) => {
            errors.add(
                "hours_per_week",
                "Give the hours you have a week, or hours per weekday.",
            );
            return None;
        }
        (false, false) => {
            errors.add(
                "per_weekday",
                "Give either hours a week or hours per weekday, not both: clear one of them.",
            );
            return None;
        }
        (false, true) => ("hours_per_week", hours),
        (true, false) => ("per_weekday", days),
    };
    if text.chars().count() > MAX_BUDGET_CHARS {
        errors.add(field, "This is too long: write hours as mon=2,sat=6.");
        return None;
    }
    if field == "per_weekday" && !text.contains('=') {
        errors.add(
            field,
            "Write hours per weekday as mon=2,wed=1.5,sat=6, or give hours a week above.",
        );
        return None;
    }
    errors.check(field, WeeklyBudget::parse(text))
}

/// The form field a budget is edited in.
pub fn budget_field(budget: &WeeklyBudget) -> &'static str {
    match budget {
        WeeklyBudget::PerWeekday(_) => "per_weekday",
        WeeklyBudget::PerWeek(_) => "hours_per_week",
    }
}

pub fn parse_start(errors: &mut FieldErrors, raw: &str) -> Option<Date> {
    match raw.trim().parse::<Date>() {
        Ok(date) => match autodidact_core::plan::check_calendar_day(date) {
            Ok(date) => Some(date),
            Err(e) => {
                errors.add("start", capitalise(&plain(&e.to_string())));
                None
            }
        },
        Err(_) => {
            errors.add(
                "start",
                "Write the start date as year-month-day, for example `2026-09-07`.",
            );
            None
        }
    }
}

/// Breaks, one per line; blank lines are ignored.
pub fn parse_breaks(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
) -> Option<Vec<Break>> {
    let lines: Vec<&str> = raw
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.len() > MAX_BREAKS {
        errors.add(field, format!("Give at most {MAX_BREAKS} breaks."));
        return None;
    }
    let mut breaks = Vec::with_capacity(lines.len());
    for (n, line) in lines.iter().enumerate() {
        match line.parse::<Break>() {
            Ok(b) if !breaks.contains(&b) => breaks.push(b),
            Ok(_) => {}
            Err(e) => {
                let message = capitalise(&e.to_string());
                let message = if lines.len() > 1 {
                    format!("Line {}: {message}", n + 1)
                } else {
                    message
                };
                errors.add(field, message);
                return None;
            }
        }
    }
    Some(breaks)
}

/// Runs the planner on settings about to be stored, so nothing is stored that cannot be
/// planned; a failure is put next to the field that can fix it (the budget's or the breaks').
pub fn check_plan(
    errors: &mut FieldErrors,
    (budget_field, breaks_field): (&'static str, &'static str),
    result: Result<Plan, PlanError>,
) -> Option<Plan> {
    let err = match result {
        Ok(plan) => return Some(plan),
        Err(err) => err,
    };
    let field = match err {
        PlanError::ZeroBudget | PlanError::TooLong { .. } => budget_field,
        PlanError::NoStudyDays => breaks_field,
        PlanError::PrerequisiteCycle { .. } | PlanError::UnknownPrerequisite { .. } => "plan",
    };
    errors.add(field, capitalise(&err.to_string()));
    None
}

/// A budget as a sentence: `20 h a week`, or `Mon 2 h, Sat 6 h`.
pub fn budget_words(budget: &WeeklyBudget) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    match budget {
        WeeklyBudget::PerWeek(minutes) => format!("{minutes} a week"),
        WeeklyBudget::PerWeekday(days) => {
            let parts: Vec<String> = days
                .iter()
                .zip(DAYS)
                .filter(|(m, _)| !m.is_zero())
                .map(|(m, day)| format!("{day} {m}"))
                .collect();
            format!("{} ({} a week)", parts.join(", "), budget.weekly_total())
        }
    }
}

/// A layout whose quick log is about this follow: its item in progress, else its next one.
pub fn layout_for(title: String, who: &SignedIn, followed: &Followed) -> crate::page::Layout {
    let mut layout = crate::page::Layout::signed_in(title, who);
    if let Some(quick) = layout.quick_log.as_mut() {
        let states: Vec<_> = followed.states.values().cloned().collect();
        let entry = autodidact_core::logs::FollowedCurriculum::new(
            followed.follow.id,
            &followed.record,
            Some(&followed.curriculum),
            &states,
        );
        quick.preset_follow(&entry);
    }
    layout
}
