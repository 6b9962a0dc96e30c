//! Figures from a learner's own record, for the dashboard, the weekly summary and the terminal:
//! streaks, the year heatmap, weekly hours against the budget, the balance between taking in
//! and making, the burnout guard, commitments, calibration, the burn-up with its forecast, and
//! kind re-planning.
//!
//! Every function here is pure: the learner's days are civil dates in their own time zone
//! (a log's `day` is already one), and "today" is passed in.

pub mod activity;
pub mod balance;
pub mod burnout;
pub mod burnup;
pub mod calibration;
pub mod commitment;
pub mod forecast;
pub mod heatmap;
pub mod overview;
pub mod replan;
pub mod streak;
pub mod summary;
pub mod weekly;
