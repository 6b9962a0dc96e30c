//! A follow with everything needed to plan it.

use std::collections::{BTreeSet, HashMap};

use jiff::civil::{Date, Weekday};

use crate::curriculum::{Curriculum, ItemId};
use crate::plan::{Break, Plan, PlanError, PlanRequest, WeeklyBudget, plan_schedule};
use crate::store::{CurriculumRecord, Follow, ItemState, ItemStatus};

/// A follow with its curriculum (parsed) and the learner's board.
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

/// Items that need no more time.
pub fn is_finished(status: ItemStatus) -> bool {
    matches!(status, ItemStatus::Done | ItemStatus::Skipped)
}

impl Followed {
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

    /// The stored settings.
    pub fn settings(&self) -> PlanSettings {
        PlanSettings {
            budget: self.follow.budget,
            start: self.follow.start,
            breaks: self.follow.breaks.clone(),
        }
    }

    /// The planner's request for `settings`, with `done` left out.
    pub fn request_with(&self, settings: &PlanSettings, done: BTreeSet<ItemId>) -> PlanRequest<'_> {
        settings.request(&self.curriculum, done, self.week_start)
    }

    /// The plan for these settings (the stored ones, or ones about to be stored), with every
    /// finished item left out.
    pub fn plan_with(&self, settings: &PlanSettings) -> Result<Plan, PlanError> {
        plan_schedule(&self.request_with(settings, self.finished()))
    }

    /// The plan as it stands: the stored settings, finished items left out.
    pub fn plan(&self) -> Result<Plan, PlanError> {
        self.plan_with(&self.settings())
    }
}

/// The settings of a follow as the planner reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanSettings {
    pub budget: WeeklyBudget,
    pub start: Date,
    pub breaks: Vec<Break>,
}

impl PlanSettings {
    /// The planner's request for `curriculum`; `done` holds the items that take no more time.
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
}
