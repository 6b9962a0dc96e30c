//! What other learners found of an item, on its page and over the API: crowd hours, whether
//! finishers went on, and reviews; writing and removing the learner's own review; and the
//! crowd's hours in place of a curriculum's guesses (`estimates`).
//!
//! The use cases are the core's (`autodidact_core::crowd`): `pages` reads the review form and
//! answers on the item page, `api` gives the same as JSON, `views` holds what the item page's
//! template shows.

pub(crate) mod api;
mod estimates;
mod pages;
pub(crate) mod views;

use autodidact_core::crowd::ReviewError;
use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;
use crate::error::{ApiError, PageError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/follows/{id}/items/{item_id}/rating",
            post(pages::save_review),
        )
        .route(
            "/follows/{id}/items/{item_id}/rating/delete",
            post(pages::delete_review),
        )
        .route(
            "/curricula/{id}/crowd-hours",
            get(estimates::page).post(estimates::take),
        )
        .route("/curricula/{id}/crowd-hours/off", post(estimates::off))
}

impl From<ReviewError> for PageError {
    fn from(err: ReviewError) -> Self {
        match err {
            ReviewError::NotFound => PageError::NotFound,
            ReviewError::NotStarted | ReviewError::Invalid(_) => {
                PageError::BadRequest(crate::page::capitalise(&err.to_string()) + ".")
            }
            ReviewError::Throttled(t) => t.into(),
            ReviewError::Store(e) => e.into(),
        }
    }
}

impl From<ReviewError> for ApiError {
    fn from(err: ReviewError) -> Self {
        match err {
            ReviewError::NotFound => ApiError::NotFound,
            ReviewError::NotStarted | ReviewError::Invalid(_) => {
                ApiError::Unprocessable(err.to_string())
            }
            ReviewError::Throttled(t) => t.into(),
            ReviewError::Store(e) => e.into(),
        }
    }
}
