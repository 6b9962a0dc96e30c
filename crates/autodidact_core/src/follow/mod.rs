//! A followed curriculum: the plan of a stored follow, with the learner's progress on it.
//!
//! This is the one place that turns a stored follow (its budget, start and breaks, the board,
//! the logs) into a dated plan and into earned value. Every page, the API, the weekly summary,
//! the calendar feed and the command line read a follow through [`load_follow`] or
//! [`owned_follow`] and compute from the [`Followed`] they get back:
//!
//! - `model`: [`Followed`] and its [`PlanSettings`];
//! - `rules`: pure functions over it: the plan, earned value ([`Progress`]), the plan in force
//!   and the earlier plans as burn-up lines, and the two kind re-plans;
//! - `cache`: the parse cache of stored curricula, held by the application's state;
//! - `service`: loading a follow through the `Store` traits.

mod cache;
#[cfg(test)]
pub(crate) mod fixture;
mod model;
mod rules;
mod service;

pub use cache::CurriculumCache;
pub use model::{Effective, Followed, PlanSettings, is_finished};
pub use rules::{
    FollowMinutes, LoggedByItem, Progress, Proposals, ProposeError, earlier_plans, finished_items,
    plan_in_force, proposals, propose, range_forecast,
};
pub use service::{
    DoneAlreadyError, FollowCurriculumError, FollowError, ReplanFollowError, asks_done_already,
    change_plan, existing_follow, follow_curriculum, load_follow, load_progress, owned_follow,
    record_done_already, replan_follow, unfollow,
};
