//! Today: what to do now, for each followed curriculum, from its rolling plan.
//!
//! The landing page of a signed-in learner, and the daily loop's centre: the work the rolling
//! plan puts on today and on the rest of this week, the item in progress, how far behind the
//! accepted plan the learner is, and what was logged today. Everything is read through the
//! same services as every other page (`follow::load_follow`, `Followed::rolling_plan`,
//! `plan_in_force`), so Today agrees with the plan page, the week and the feed.

mod service;

pub use service::{FollowToday, Today, TodayWork, load_today};
