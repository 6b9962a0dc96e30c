//! A follow's stored settings read back into a plan, in one place, for every page that shows
//! dates (the plan, the board, the item pages, the calendar feed and the dashboard).
//!
//! Also the parsing of the settings forms, so that what is stored is always something this
//! module can read back: a budget `WeeklyBudget::parse` accepts, an ISO start date, and breaks
//! in the form `Break` writes them.

use std::collections::{BTreeSet, HashMap};

use autodidact_core::curriculum::{Curriculum, ItemId, check_toml};
use autodidact_core::plan::{
    Break, BreakError, BudgetError, Plan, PlanError, PlanRequest, WeeklyBudget, plan_schedule,
};
use autodidact_core::store::{CurriculumRecord, Follow, FollowId, ItemState, ItemStatus};
use jiff::civil::{Date, Weekday};

use crate::app::AppState;
use crate::auth::SignedIn;
use crate::error::PageError;
use crate::page::{FieldErrors, capitalise};

/// A follow with everything needed to plan it: its curriculum and the learner's board.
#[derive(Debug, Clone)]
pub struct Followed {
    pub follow: Follow,
    pub record: CurriculumRecord,
    pub curriculum: Curriculum,
    /// Stored board states by item; an item without one is `todo`.
    pub states: HashMap<ItemId, ItemState>,
    /// The learner's first day of the week, for week numbers.
    pub week_start: Weekday,
}

/// The viewer's follow `id` with its curriculum and board; 404 unless the viewer owns it.
pub async fn load_followed(
    state: &AppState,
    who: &SignedIn,
    id: FollowId,
) -> Result<Followed, PageError> {
    let follow = state
        .store
        .follow(id)
        .await?
        .filter(|f| f.user == who.user.id)
        .ok_or(PageError::NotFound)?;
    Followed::load(state, follow, who.user.settings.week_start.0).await
}

/// Why a stored follow gives no plan.
#[derive(Debug, thiserror::Error)]
pub enum PlanProblem {
    #[error("the stored weekly budget no longer reads: {0}")]
    Budget(#[from] BudgetError),
    #[error("a stored break no longer reads: {0}")]
    Break(#[from] BreakError),
    #[error("{0}")]
    Plan(#[from] PlanError),
}

impl Followed {
    /// Loads the curriculum and board of a follow whose ownership the caller has checked.
    pub async fn load(
        state: &AppState,
        follow: Follow,
        week_start: Weekday,
    ) -> Result<Self, PageError> {
        let record = state
            .store
            .curriculum(follow.curriculum)
            .await?
            .ok_or(PageError::NotFound)?;
        let curriculum = parse_curriculum(&record)?;
        let states = state
            .store
            .item_states(follow.id)
            .await?
            .into_iter()
            .map(|s| (s.item.clone(), s))
            .collect();
        Ok(Self {
            follow,
            record,
            curriculum,
            states,
            week_start,
        })
    }

    pub fn status(&self, item: &ItemId) -> ItemStatus {
        self.states
            .get(item)
            .map_or(ItemStatus::Todo, |state| state.status)
    }

    /// Items that need no more time: done or skipped.
    pub fn finished(&self) -> BTreeSet<ItemId> {
        self.states
            .values()
            .filter(|s| is_finished(s.status))
            .map(|s| s.item.clone())
            .collect()
    }

    /// The stored settings, read back.
    pub fn settings(&self) -> Result<PlanSettings, PlanProblem> {
        PlanSettings::from_follow(&self.follow)
    }

    /// The plan for these settings (the stored ones, or ones about to be stored).
    pub fn plan_with(&self, settings: &PlanSettings) -> Result<Plan, PlanError> {
        plan_schedule(&settings.request(&self.curriculum, self.finished(), self.week_start))
    }

    pub fn plan(&self) -> Result<Plan, PlanProblem> {
        Ok(self.plan_with(&self.settings()?)?)
    }
}

pub fn is_finished(status: ItemStatus) -> bool {
    matches!(status, ItemStatus::Done | ItemStatus::Skipped)
}

/// A stored curriculum's model. The source is the truth and is checked when saved, so this
/// fails only if a curriculum was stored with errors; say so rather than fail as internal.
///
/// Parsed models are kept in a small process-wide cache keyed by the curriculum's id and a hash
/// of its source: the same source always gives the same model, so this holds no state that
/// another server could disagree with, and an edit is a new key.
pub fn parse_curriculum(record: &CurriculumRecord) -> Result<Curriculum, PageError> {
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};
    use std::sync::{LazyLock, Mutex};

    /// Enough for every curriculum a busy server's active learners follow; cleared when full.
    const CACHED: usize = 512;
    static CACHE: LazyLock<Mutex<HashMap<(i64, u64), Curriculum>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));

    let mut hasher = DefaultHasher::new();
    record.source.hash(&mut hasher);
    let key = (record.id.0, hasher.finish());
    if let Some(hit) = CACHE.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(hit);
    }
    let parsed = check_toml(&record.source).curriculum.ok_or_else(|| {
        PageError::BadRequest(format!(
            "“{}” has errors in its source, so it cannot be planned until its owner fixes them.",
            record.title
        ))
    })?;
    if let Ok(mut cache) = CACHE.lock() {
        if cache.len() >= CACHED {
            cache.clear();
        }
        cache.insert(key, parsed.clone());
    }
    Ok(parsed)
}

/// The settings of a follow as the planner reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanSettings {
    /// As stored: `20` or `mon=2,sat=6`.
    pub budget_text: String,
    pub budget: WeeklyBudget,
    pub start: Date,
    pub breaks: Vec<Break>,
}

impl PlanSettings {
    pub fn from_follow(follow: &Follow) -> Result<Self, PlanProblem> {
        Ok(Self {
            budget_text: follow.budget.clone(),
            budget: WeeklyBudget::parse(&follow.budget)?,
            start: follow.start,
            breaks: follow
                .breaks
                .iter()
                .map(|b| b.parse())
                .collect::<Result<_, _>>()?,
        })
    }

    /// The planner's request; `done` holds the items that take no more time.
    pub fn request<'a>(
        &self,
        curriculum: &'a Curriculum,
        done: BTreeSet<ItemId>,
        week_start: Weekday,
    ) -> PlanRequest<'a> {
        let mut request = PlanRequest::new(curriculum, self.budget, self.start);
        request.breaks = self.breaks.clone();
        request.done = done;
        request.week_start = week_start;
        request
    }

    /// The breaks as stored: one entry each, in the form `Break` writes.
    pub fn break_texts(&self) -> Vec<String> {
        self.breaks.iter().map(ToString::to_string).collect()
    }
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
) -> Option<(String, WeeklyBudget)> {
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
    let budget = errors.check(field, WeeklyBudget::parse(text))?;
    Some((text.to_ascii_lowercase(), budget))
}

/// The form field a stored budget is edited in.
pub fn budget_field(budget_text: &str) -> &'static str {
    if budget_text.contains('=') {
        "per_weekday"
    } else {
        "hours_per_week"
    }
}

pub fn parse_start(errors: &mut FieldErrors, raw: &str) -> Option<Date> {
    match raw.trim().parse::<Date>() {
        Ok(date) => Some(date),
        Err(_) => {
            errors.add(
                "start",
                "Write the start date as year-month-day, for example 2026-09-07.",
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
