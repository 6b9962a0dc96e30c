//! Writing and removing the learner's review of an item, from the item page.

use autodidact_core::crowd::{ReviewError, ReviewInput, delete_item_review, save_item_review};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;

use super::views::ReviewForm;
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::error::PageError;
use crate::follows::FollowRoute;
use crate::follows::items::{ItemPage, load_item};
use crate::page::capitalise;

fn back_to(route: &FollowRoute, item: &str, saved: &str) -> Response {
    Redirect::to(&format!(
        "/follows/{}/items/{item}?saved={saved}#reviews",
        route.id.0
    ))
    .into_response()
}

/// Saves the learner's review; a review that does not check is shown again on the item page
/// with what to fix.
pub async fn save_review(
    State(state): State<AppState>,
    route: FollowRoute,
    CsrfForm(form): CsrfForm<ReviewForm>,
) -> Result<Response, PageError> {
    let (followed, item) = load_item(&state, &route).await?;
    let input = ReviewInput {
        rating: &form.rating,
        text: &form.text,
        tip: &form.tip,
    };
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    let saved = save_item_review(
        store,
        cache,
        &route.who.user,
        route.id,
        &item.id,
        input,
        Timestamp::now(),
    )
    .await;
    let mut page = match saved {
        Ok(_) => return Ok(back_to(&route, item.id.as_str(), "rating")),
        Err(ReviewError::Invalid(_) | ReviewError::NotStarted) => {
            ItemPage::load(&state, &route, &followed, &item).await?
        }
        Err(e) => return Err(e.into()),
    };
    match saved {
        Err(ReviewError::Invalid(problems)) => {
            for p in problems {
                page.errors.add(p.field(), capitalise(&p.to_string()) + ".");
            }
        }
        Err(e) => page.errors.add("rating", capitalise(&e.to_string()) + "."),
        Ok(_) => {}
    }
    page.crowd.form = form;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn delete_review(
    State(state): State<AppState>,
    route: FollowRoute,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    let (_, item) = load_item(&state, &route).await?;
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    delete_item_review(store, cache, &route.who.user, route.id, &item.id).await?;
    Ok(back_to(&route, item.id.as_str(), "rating-removed"))
}
