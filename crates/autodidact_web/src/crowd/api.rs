//! What other learners found of an item, over the JSON API, and the learner's own review.

use autodidact_core::crowd::{
    CrowdHours, ItemCrowd, ReviewInput, Spread, delete_item_review, item_crowd, save_item_review,
};
use autodidact_core::store::{CurriculumId, ItemReview};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::dto::ErrorBody;
use crate::api::extract::{ApiJson, ItemPath, TokenUser, Writer};
use crate::app::AppState;
use crate::error::ApiError;

/// How long a group of learners took, in minutes.
#[derive(Debug, Serialize, ToSchema)]
pub struct SpreadDto {
    pub learners: usize,
    pub median_minutes: u32,
    /// The middle half: the 25th percentile.
    pub low_minutes: u32,
    /// The middle half: the 75th percentile.
    pub high_minutes: u32,
}

impl From<&Spread> for SpreadDto {
    fn from(s: &Spread) -> Self {
        Self {
            learners: s.learners,
            median_minutes: s.median.get(),
            low_minutes: s.low.get(),
            high_minutes: s.high.get(),
        }
    }
}

/// Crowd hours: every learner, and each depth (`read`, `exercises`, `evidence`) with enough.
#[derive(Debug, Serialize, ToSchema)]
pub struct CrowdHoursDto {
    pub all: SpreadDto,
    pub by_depth: Vec<DepthDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DepthDto {
    /// `read`, `exercises` or `evidence`.
    pub depth: String,
    #[serde(flatten)]
    pub spread: SpreadDto,
}

impl From<&CrowdHours> for CrowdHoursDto {
    fn from(c: &CrowdHours) -> Self {
        Self {
            all: (&c.all).into(),
            by_depth: c
                .by_depth
                .iter()
                .map(|(d, s)| DepthDto {
                    depth: d.as_str().to_owned(),
                    spread: s.into(),
                })
                .collect(),
        }
    }
}

/// Of the learners who finished the item, how many finished the next one.
#[derive(Debug, Serialize, ToSchema)]
pub struct OnwardDto {
    pub finished: usize,
    pub went_on: usize,
    pub next_item: String,
}

/// A review, with what the reviewer's records say.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemReviewDto {
    pub handle: String,
    pub item: String,
    /// 0.5 to 5, in half stars.
    pub rating: f64,
    /// Markdown.
    pub text: String,
    /// The spoiler-free note for the next learner.
    pub tip: String,
    pub logged_minutes: u32,
    pub finished: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl From<&ItemReview> for ItemReviewDto {
    fn from(r: &ItemReview) -> Self {
        Self {
            handle: r.handle.to_string(),
            item: r.item.to_string(),
            rating: r.rating.stars(),
            text: r.text.clone(),
            tip: r.tip.clone(),
            logged_minutes: r.logged.get(),
            finished: r.finished,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// What other learners found of an item, as far as you may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemCrowdDto {
    /// Absent below five learners, or when the curriculum's lineage is not public.
    pub hours: Option<CrowdHoursDto>,
    pub onward: Option<OnwardDto>,
    /// The mean rating, 0.5 to 5; absent without reviews.
    pub mean_rating: Option<f64>,
    /// Newest first, one per learner; only your own unless the lineage is public.
    pub reviews: Vec<ItemReviewDto>,
}

impl From<&ItemCrowd> for ItemCrowdDto {
    fn from(c: &ItemCrowd) -> Self {
        Self {
            hours: c.hours.as_ref().map(Into::into),
            onward: c.onward.as_ref().map(|o| OnwardDto {
                finished: o.finished,
                went_on: o.went_on,
                next_item: o.next.to_string(),
            }),
            mean_rating: c.rating.map(|r| r.mean),
            reviews: c.reviews.iter().map(Into::into).collect(),
        }
    }
}

/// Crowd hours, whether finishers went on to the next item, and the reviews of an item of a
/// curriculum you can see, counted across its lineage.
#[utoipa::path(
    get,
    path = "/api/v1/curricula/{id}/items/{item}/crowd",
    operation_id = "getItemCrowd",
    tag = "crowd",
    params(
        ("id" = i64, Path, description = "The curriculum's id"),
        ("item" = String, Path, description = "The item's id"),
    ),
    responses(
        (status = 200, description = "What others found", body = ItemCrowdDto),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 404, description = "No such curriculum or item visible to you", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    who: TokenUser,
    path: ItemPath,
) -> Result<Json<ItemCrowdDto>, ApiError> {
    // `{id}` is a curriculum here.
    let id = CurriculumId(path.follow.0);
    let record =
        autodidact_core::curricula::visible_curriculum(state.store.as_ref(), Some(who.user.id), id)
            .await?;
    if state
        .curricula
        .parse(&record)
        .is_none_or(|c| c.item(&path.item).is_none())
    {
        return Err(ApiError::NotFound);
    }
    let crowd = item_crowd(
        state.store.as_ref(),
        &state.curricula,
        Some(who.user.id),
        id,
        &path.item,
    )
    .await?;
    Ok(Json((&crowd).into()))
}

/// Your review of an item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemReviewBody {
    /// 0.5 to 5, in half stars.
    pub rating: f64,
    /// Markdown, at most 4,000 characters.
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub text: String,
    /// A spoiler-free note for the next learner, at most 280 characters.
    #[serde(default)]
    #[schema(max_length = 280)]
    pub tip: String,
}

/// Writes or rewrites your review of an item you logged time on or finished: one per item.
#[utoipa::path(
    put,
    path = "/api/v1/follows/{id}/items/{item}/rating",
    operation_id = "putItemReview",
    tag = "crowd",
    params(
        ("id" = i64, Path, description = "The follow's id"),
        ("item" = String, Path, description = "The item's id"),
    ),
    request_body = ItemReviewBody,
    responses(
        (status = 200, description = "The review as saved", body = ItemReviewDto),
        (status = 400, description = "What to fix in the body", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such follow or item of yours", body = ErrorBody),
        (status = 422, description = "What to fix: the rating, a text too long, or an item not started", body = ErrorBody),
        (status = 429, description = "Too many reviews today", body = ErrorBody),
    )
)]
pub async fn put(
    State(state): State<AppState>,
    Writer(who): Writer,
    path: ItemPath,
    ApiJson(body): ApiJson<ItemReviewBody>,
) -> Result<Json<ItemReviewDto>, ApiError> {
    let rating = body.rating.to_string();
    let review = save_item_review(
        state.store.as_ref(),
        &state.curricula,
        &who.user,
        path.follow,
        &path.item,
        ReviewInput {
            rating: &rating,
            text: &body.text,
            tip: &body.tip,
        },
        Timestamp::now(),
    )
    .await?;
    Ok(Json((&review).into()))
}

/// Removes your review of an item.
#[utoipa::path(
    delete,
    path = "/api/v1/follows/{id}/items/{item}/rating",
    operation_id = "deleteItemReview",
    tag = "crowd",
    params(
        ("id" = i64, Path, description = "The follow's id"),
        ("item" = String, Path, description = "The item's id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such follow, item or review of yours", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    Writer(who): Writer,
    path: ItemPath,
) -> Result<Response, ApiError> {
    delete_item_review(
        state.store.as_ref(),
        &state.curricula,
        &who.user,
        path.follow,
        &path.item,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
