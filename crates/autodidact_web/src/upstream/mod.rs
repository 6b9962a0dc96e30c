//! A copy's update from its source: the preview (what the three-way merge does, side by side
//! where both sides changed a field, and the plan impact) and accepting it.
//!
//! The use cases are the core's (`autodidact_core::upstream`): `pages` reads the learner's
//! choices and renders the preview, `api` gives the same as JSON, `views` holds the template's
//! types.

pub(crate) mod api;
mod pages;
mod suggest;
pub(crate) mod views;

use autodidact_core::upstream::{SuggestError, UpstreamError};
use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;
use crate::error::{ApiError, PageError};
use crate::page::capitalise;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/curricula/{id}/upstream",
            get(pages::preview_page).post(pages::preview_with_choices),
        )
        .route("/curricula/{id}/upstream/accept", post(pages::accept))
        .route(
            "/curricula/{id}/suggest",
            get(suggest::suggest_page).post(suggest::suggest),
        )
        .route(
            "/curricula/{id}/suggestions/{sid}/accept",
            post(suggest::accept),
        )
        .route(
            "/curricula/{id}/suggestions/{sid}/decline",
            post(suggest::decline),
        )
}

impl From<UpstreamError> for PageError {
    fn from(err: UpstreamError) -> Self {
        match err {
            UpstreamError::NotFound => PageError::NotFound,
            UpstreamError::NotACopy
            | UpstreamError::SourceGone
            | UpstreamError::UpToDate
            | UpstreamError::Stale
            | UpstreamError::Invalid(_) => PageError::BadRequest(capitalise(&err.to_string())),
            UpstreamError::Unreadable(_) => PageError::Internal(err.to_string()),
            UpstreamError::Store(e) => e.into(),
        }
    }
}

impl From<UpstreamError> for ApiError {
    fn from(err: UpstreamError) -> Self {
        match err {
            UpstreamError::NotFound => ApiError::NotFound,
            UpstreamError::Stale => ApiError::Conflict(err.to_string()),
            UpstreamError::NotACopy
            | UpstreamError::SourceGone
            | UpstreamError::UpToDate
            | UpstreamError::Invalid(_) => ApiError::Unprocessable(err.to_string()),
            UpstreamError::Unreadable(_) => ApiError::Internal(err.to_string()),
            UpstreamError::Store(e) => e.into(),
        }
    }
}

impl From<SuggestError> for PageError {
    fn from(err: SuggestError) -> Self {
        match err {
            SuggestError::NotFound => PageError::NotFound,
            SuggestError::NotACopy
            | SuggestError::SourceGone
            | SuggestError::NoSuchItem(_)
            | SuggestError::NoteTooLong
            | SuggestError::Unchanged
            | SuggestError::Answered => PageError::BadRequest(capitalise(&err.to_string())),
            SuggestError::Edit(e) => e.into(),
            SuggestError::Throttled(t) => t.into(),
            SuggestError::Store(e) => e.into(),
        }
    }
}
