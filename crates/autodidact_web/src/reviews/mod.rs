//! Spaced review: items a learner marked "worth revisiting" come back on the days the review
//! algorithm (`autodidact_core::review`, FSRS) chooses, spread so that a break never leaves a
//! pile: at most [`PER_DAY`] a day, never on a declared rest day of any followed curriculum.
//!
//! The reviews page lists what is due (with a grade for each), what comes next, and each item's
//! history. Marking, grading and stopping are posts on the item's own address, under the
//! follow, so the follow's owner alone can make them (404 for anyone else). The dashboard reads
//! `ReviewBook::due`; the calendar feed places the same spread dates.

mod actions;
mod book;
mod page;

use autodidact_core::curriculum::ItemId;
use autodidact_core::store::FollowId;
use axum::Router;
use axum::routing::{get, post};
use jiff::civil::Date;

use crate::app::AppState;

pub use book::{Placed, ReviewBook};

/// The most reviews placed on one day.
pub const PER_DAY: usize = 3;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reviews", get(page::show))
        .route("/follows/{id}/items/{item_id}/review", post(actions::mark))
        .route(
            "/follows/{id}/items/{item_id}/review/stop",
            post(actions::stop),
        )
        .route(
            "/follows/{id}/items/{item_id}/review/grade",
            post(actions::grade),
        )
}

/// A review to do today (or one left over from before): what the dashboard lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReview {
    pub follow: FollowId,
    pub item: ItemId,
    /// The item's title (its id when the curriculum no longer has it).
    pub title: String,
    /// The curriculum's title.
    pub curriculum: String,
    /// The day the review was placed on (today or earlier).
    pub due: Date,
    /// The item's page.
    pub url: String,
    /// Where a form posts its `grade` (again, hard, good or easy) and CSRF token.
    pub grade_url: String,
}

/// `/follows/{id}/items/{item}`.
fn item_url(follow: FollowId, item: &ItemId) -> String {
    format!("/follows/{}/items/{}", follow.0, item.as_str())
}

/// Where a review of the item is graded.
fn grade_url(follow: FollowId, item: &ItemId) -> String {
    format!("{}/review/grade", item_url(follow, item))
}
