//! The private calendar feed: an `.ics` address that calendar programs poll without a session.
//!
//! The address holds a random token; the store keeps only its hash, so the address is shown
//! once, when it is made. Making a new one replaces the old, and turning the feed off clears
//! it; either way the old address answers 404 from then on.

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::export::{IcsOptions, IcsReview, plan_ics_with_reviews};
use autodidact_core::follow::load_progress;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;

use super::{FollowRoute, load_checked, load_followed};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::auth::{hash_token, random_token};
use crate::error::PageError;
use crate::page::{Layout, capitalise};
use crate::reviews::ReviewBook;

/// Longer than any token we make; anything longer is not worth hashing.
const MAX_TOKEN_CHARS: usize = 128;

#[derive(Template, WebTemplate)]
#[template(path = "follows/calendar.html")]
pub struct FeedPage {
    layout: Layout,
    follow_id: i64,
    title: String,
    url: String,
}

pub async fn create(
    State(state): State<AppState>,
    route: FollowRoute,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    let followed = load_followed(&state, &route.who, route.id).await?;
    let token = random_token();
    state
        .store
        .set_calendar_token(route.id, route.who.user.id, Some(&hash_token(&token)))
        .await?;
    let base = state.config.base_url.trim_end_matches('/');
    let page = FeedPage {
        layout: Layout::signed_in("Your calendar feed", &route.who),
        follow_id: route.id.0,
        title: followed.record.title,
        url: format!("{base}/calendar/{token}.ics"),
    };
    // The page holds the secret: keep it out of caches and the back-forward history.
    Ok(([(header::CACHE_CONTROL, "no-store")], page).into_response())
}

pub async fn revoke(
    State(state): State<AppState>,
    route: FollowRoute,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    state
        .store
        .set_calendar_token(route.id, route.who.user.id, None)
        .await?;
    let to = format!("/follows/{}?saved=feed-off#calendar", route.id.0);
    Ok(Redirect::to(&to).into_response())
}

/// `GET /calendar/{token}.ics`: the plan as iCalendar, with an event for each item of the
/// follow marked worth revisiting on its review day, for whoever holds the token.
pub async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, PageError> {
    let token = file
        .strip_suffix(".ics")
        .filter(|t| !t.is_empty() && t.len() <= MAX_TOKEN_CHARS)
        .ok_or(PageError::NotFound)?;
    let follow = state
        .store
        .follow_by_calendar_token(&hash_token(token))
        .await?
        .ok_or(PageError::NotFound)?;
    let owner = state
        .store
        .user(follow.user)
        .await?
        .ok_or(PageError::NotFound)?;
    let followed = load_checked(&state, follow, owner.settings.week_start.0).await?;
    let now = Timestamp::now();
    // The same spread days as the reviews page, from the owner's today.
    let today = owner.today(now);
    // The rolling plan, as every page shows it: unfinished work moves forward day by day.
    let progress = load_progress(state.store.as_ref(), &followed, &owner, now).await?;
    let plan = followed
        .rolling_plan(&progress, today)
        .map_err(|e| PageError::BadRequest(capitalise(&e.to_string())))?;
    let reviews: Vec<IcsReview> = ReviewBook::load(&state, owner.id, today)
        .await?
        .of_follow(followed.follow.id)
        .map(|p| IcsReview {
            follow: p.follow,
            item: p.item.clone(),
            title: p.title.clone(),
            due: p.on,
        })
        .collect();
    let mut options = IcsOptions::new(now);
    options.calendar_name = Some(format!("{} · Autodidact", followed.record.title));
    let body = plan_ics_with_reviews(&followed.curriculum, &plan, &reviews, &options);
    let headers = [
        (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
        (header::CACHE_CONTROL, "private, max-age=300"),
        (header::CONTENT_DISPOSITION, "inline; filename=\"plan.ics\""),
    ];
    Ok((headers, body).into_response())
}
