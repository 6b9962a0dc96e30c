//! Sharing: the profile at `/@handle`, its settings, following a learner, and the journal.
//!
//! The use cases are the core's (`autodidact_core::sharing`): `pages` translates requests to
//! them and renders the outcome, `api` does the same for the JSON API, `views` holds the
//! templates' types. What a viewer sees is decided in one place, the core's `compose`; the
//! owner's "see it as a stranger" calls it with another relation, so the preview cannot drift
//! from what a stranger gets.

pub(crate) mod api;
pub(crate) mod feed;
mod journal;
mod pages;
pub mod site;
mod views;

use autodidact_core::sharing::{FollowLearnerError, JournalError, ProfileError};
use autodidact_core::store::Visibility;
use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;
use crate::curricula::Choice;
use crate::error::{ApiError, PageError};
use crate::page::capitalise;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/@{handle}", get(pages::profile))
        .route("/@{handle}/feed.xml", get(pages::feed))
        .route("/@{handle}/follow", post(pages::follow))
        .route("/@{handle}/unfollow", post(pages::unfollow))
        .route(
            "/settings/profile",
            get(pages::settings_page).post(pages::save_settings),
        )
        .route("/settings/profile/site.zip", get(pages::site_download))
        .route(
            "/settings/profile/follows/{id}",
            post(pages::save_follow_visibility),
        )
        .route("/settings/followers/{handle}/approve", post(pages::approve))
        .route(
            "/settings/followers/{handle}/remove",
            post(pages::remove_follower),
        )
        .route("/journal", get(journal::journal_page).post(journal::write))
        .route("/journal/{id}", get(journal::post_page))
        .route(
            "/journal/{id}/edit",
            get(journal::edit_page).post(journal::edit),
        )
        .route("/journal/{id}/delete", post(journal::delete))
}

pub fn visibility_label(visibility: Visibility) -> &'static str {
    match visibility {
        Visibility::Private => "Private",
        Visibility::Followers => "Followers",
        Visibility::Unlisted => "Unlisted",
        Visibility::Public => "Public",
    }
}

pub fn visibility_help(visibility: Visibility) -> &'static str {
    match visibility {
        Visibility::Private => "Only you can see it.",
        Visibility::Followers => "You and the followers you approved can see it.",
        Visibility::Unlisted => "Anyone with the link can see it; it is not listed anywhere.",
        Visibility::Public => "Anyone can see it, and it is listed.",
    }
}

pub fn visibility_choices(current: Visibility) -> Vec<Choice> {
    Visibility::ALL
        .into_iter()
        .map(|v| Choice {
            value: v.as_str().to_owned(),
            label: format!("{}: {}", visibility_label(v), visibility_help(v)),
            selected: v == current,
        })
        .collect()
}

/// Who sees a thing shown at `visibility`, in a few words.
pub fn audience_words(visibility: Visibility) -> &'static str {
    match visibility {
        Visibility::Private => "only you",
        Visibility::Followers => "you and your approved followers",
        Visibility::Unlisted => "anyone with the address (not listed)",
        Visibility::Public => "everyone (listed)",
    }
}

impl From<ProfileError> for PageError {
    fn from(err: ProfileError) -> Self {
        match err {
            ProfileError::NotFound | ProfileError::NoSuchFollow => PageError::NotFound,
            ProfileError::BioTooLong { .. } | ProfileError::NotPublic => {
                PageError::BadRequest(capitalise(&err.to_string()))
            }
            ProfileError::Store(e) => e.into(),
        }
    }
}

impl From<ProfileError> for ApiError {
    fn from(err: ProfileError) -> Self {
        match err {
            ProfileError::NotFound | ProfileError::NoSuchFollow => ApiError::NotFound,
            ProfileError::BioTooLong { .. } | ProfileError::NotPublic => {
                ApiError::Unprocessable(err.to_string())
            }
            ProfileError::Store(e) => e.into(),
        }
    }
}

impl From<FollowLearnerError> for PageError {
    fn from(err: FollowLearnerError) -> Self {
        match err {
            FollowLearnerError::NotFound | FollowLearnerError::NoRequest(_) => PageError::NotFound,
            FollowLearnerError::Yourself | FollowLearnerError::AlreadyAsked(_) => {
                PageError::BadRequest(capitalise(&err.to_string()))
            }
            FollowLearnerError::Throttled(t) => t.into(),
            FollowLearnerError::Store(e) => e.into(),
        }
    }
}

impl From<JournalError> for PageError {
    fn from(err: JournalError) -> Self {
        match err {
            JournalError::NotFound => PageError::NotFound,
            JournalError::TitleMissing
            | JournalError::TitleTooLong { .. }
            | JournalError::BodyTooLong { .. }
            | JournalError::UnknownItem => PageError::BadRequest(capitalise(&err.to_string())),
            JournalError::Throttled(t) => t.into(),
            JournalError::Store(e) => e.into(),
        }
    }
}

impl From<JournalError> for ApiError {
    fn from(err: JournalError) -> Self {
        match err {
            JournalError::NotFound => ApiError::NotFound,
            JournalError::TitleMissing
            | JournalError::TitleTooLong { .. }
            | JournalError::BodyTooLong { .. }
            | JournalError::UnknownItem => ApiError::Unprocessable(err.to_string()),
            JournalError::Throttled(t) => t.into(),
            JournalError::Store(e) => e.into(),
        }
    }
}

/// The field of the journal form an error belongs next to.
fn journal_field(err: &JournalError) -> &'static str {
    match err {
        JournalError::TitleMissing | JournalError::TitleTooLong { .. } => "title",
        JournalError::BodyTooLong { .. } => "body",
        JournalError::UnknownItem => "about",
        JournalError::NotFound | JournalError::Throttled(_) | JournalError::Store(_) => "form",
    }
}
