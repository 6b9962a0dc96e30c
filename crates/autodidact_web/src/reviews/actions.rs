//! Marking an item worth revisiting, stopping, and grading a review. Each answers 404 unless
//! the follow is the viewer's and the item is in its curriculum.

use autodidact_core::curriculum::ItemId;
use autodidact_core::review::{Grade, grade_review, mark_for_review, stop_review};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use serde::Deserialize;

use super::item_url;
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::error::PageError;
use crate::follows::FollowRoute;
use crate::page::safe_next;

/// The route's item: 404 unless well formed (the service checks it is in the follow).
fn item_of(route: &FollowRoute) -> Result<ItemId, PageError> {
    Ok(route.item()?.clone())
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
    let item = item_of(&route)?;
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    mark_for_review(
        store,
        cache,
        &route.who.user,
        route.id,
        &item,
        Timestamp::now(),
    )
    .await?;
    Ok(back_to_item(&route, &item, "review"))
}

/// `POST …/review/stop`: forgets the item's schedule and history. Stopping an item that is not
/// marked changes nothing.
pub async fn stop(
    State(state): State<AppState>,
    route: FollowRoute,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    let item = item_of(&route)?;
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    stop_review(store, cache, &route.who.user, route.id, &item).await?;
    Ok(back_to_item(&route, &item, "review-stopped"))
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
    let item = item_of(&route)?;
    // Anyone but the owner gets 404 before the form is read.
    crate::follows::load_followed(&state, &route.who, route.id).await?;
    let grade = Grade::parse(form.grade.trim()).ok_or_else(|| {
        PageError::BadRequest(
            "Choose how well you remembered it: again, hard, good or easy.".to_owned(),
        )
    })?;
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    grade_review(
        store,
        cache,
        &route.who.user,
        route.id,
        &item,
        grade,
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
