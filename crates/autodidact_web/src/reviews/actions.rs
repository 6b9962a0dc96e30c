//! Marking an item worth revisiting, stopping, and grading a review. Each answers 404 unless
//! the follow is the viewer's and the item is in its curriculum.

use autodidact_core::curriculum::ItemId;
use autodidact_core::review::{Grade, ReviewState};
use autodidact_core::store::{ItemStatus, StoreError};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use serde::Deserialize;

use super::item_url;
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::error::PageError;
use crate::follows::{FollowRoute, Followed, load_followed};
use crate::page::safe_next;

/// The viewer's follow and the route's item, which must be in its curriculum.
async fn followed_item(
    state: &AppState,
    route: &FollowRoute,
) -> Result<(Followed, ItemId), PageError> {
    let followed = load_followed(state, &route.who, route.id).await?;
    let item = route.item()?.clone();
    if followed.curriculum.item(&item).is_none() {
        return Err(PageError::NotFound);
    }
    Ok((followed, item))
}

fn today(route: &FollowRoute) -> jiff::civil::Date {
    route.who.user.today(Timestamp::now())
}

fn back_to_item(route: &FollowRoute, item: &ItemId, saved: &str) -> Response {
    let to = format!("{}?saved={saved}#review", item_url(route.id, item));
    Redirect::to(&to).into_response()
}

/// `POST …/review`: the first review comes a few days after today. Marking twice keeps the
/// first mark (and its schedule); only a done item can be marked.
pub async fn mark(
    State(state): State<AppState>,
    route: FollowRoute,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    let (followed, item) = followed_item(&state, &route).await?;
    if followed.status(&item) != ItemStatus::Done {
        return Err(PageError::BadRequest(
            "Finish the item first: only an item marked done can be revisited. Move it to Done, then mark it.".to_owned(),
        ));
    }
    let review = ReviewState::new(today(&route));
    let marked = state
        .store
        .mark_review(
            route.id,
            route.who.user.id,
            &item,
            &review.to_json(),
            review.due,
            Timestamp::now(),
        )
        .await;
    match marked {
        Ok(_) | Err(StoreError::Conflict { .. }) => Ok(back_to_item(&route, &item, "review")),
        Err(e) => Err(e.into()),
    }
}

/// `POST …/review/stop`: forgets the item's schedule and history. Stopping an item that is not
/// marked changes nothing.
pub async fn stop(
    State(state): State<AppState>,
    route: FollowRoute,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    let (_, item) = followed_item(&state, &route).await?;
    match state
        .store
        .unmark_review(route.id, route.who.user.id, &item)
        .await
    {
        Ok(()) | Err(StoreError::NotFound) => Ok(back_to_item(&route, &item, "review-stopped")),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct GradeForm {
    #[serde(default)]
    grade: String,
    #[serde(default)]
    return_to: String,
}

/// `POST …/review/grade` with `grade=again|hard|good|easy`: records the review as done today
/// and schedules the next one. 404 for an item that is not marked.
pub async fn grade(
    State(state): State<AppState>,
    route: FollowRoute,
    CsrfForm(form): CsrfForm<GradeForm>,
) -> Result<Response, PageError> {
    let (_, item) = followed_item(&state, &route).await?;
    let record = state
        .store
        .reviews_of(route.id)
        .await?
        .into_iter()
        .find(|r| r.item == item)
        .ok_or(PageError::NotFound)?;
    let grade = Grade::parse(form.grade.trim()).ok_or_else(|| {
        PageError::BadRequest(
            "Choose how well you remembered it: again, hard, good or easy.".to_owned(),
        )
    })?;
    let current = ReviewState::from_json(&record.state)
        .map_err(|e| PageError::Internal(format!("review state of {item}: {e}")))?;
    let day = today(&route);
    let next = current.after(grade, day);
    state
        .store
        .record_review(
            route.id,
            route.who.user.id,
            &item,
            grade,
            day,
            &next.to_json(),
            next.due,
            Timestamp::now(),
        )
        .await?;
    let back = if form.return_to.is_empty() {
        "/reviews".to_owned()
    } else {
        safe_next(Some(&form.return_to))
    };
    Ok(Redirect::to(&back).into_response())
}
