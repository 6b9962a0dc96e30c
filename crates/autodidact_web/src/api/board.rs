//! The board over the API: each item's status, notes and evidence, and spaced review.

use autodidact_core::board::{
    add_evidence, check_evidence, move_card, remove_evidence, save_notes,
};
use autodidact_core::follow::owned_follow;
use autodidact_core::review::{Grade, grade_review, mark_for_review, stop_review};
use autodidact_core::store::{FollowId, ItemStatus};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::{ErrorBody, Id};
use super::extract::{ApiId, ApiJson, ItemPath, TokenUser, Writer};
use crate::app::AppState;
use crate::error::ApiError;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Todo,
    Doing,
    Done,
    Skipped,
}

impl From<Status> for ItemStatus {
    fn from(s: Status) -> Self {
        match s {
            Status::Todo => ItemStatus::Todo,
            Status::Doing => ItemStatus::Doing,
            Status::Done => ItemStatus::Done,
            Status::Skipped => ItemStatus::Skipped,
        }
    }
}

impl From<ItemStatus> for Status {
    fn from(s: ItemStatus) -> Self {
        match s {
            ItemStatus::Todo => Status::Todo,
            ItemStatus::Doing => Status::Doing,
            ItemStatus::Done => Status::Done,
            ItemStatus::Skipped => Status::Skipped,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EvidenceDto {
    pub id: Id,
    /// `repository`, `notebook`, `post`, `certificate` or `other`.
    pub kind: String,
    pub url: String,
    pub title: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewDto {
    /// The next review's day.
    pub due: Date,
}

/// One card of the board.
#[derive(Debug, Serialize, ToSchema)]
pub struct BoardItem {
    pub id: String,
    pub title: String,
    pub status: Status,
    /// Markdown.
    pub notes: String,
    pub evidence: Vec<EvidenceDto>,
    /// When the item is marked worth revisiting.
    pub review: Option<ReviewDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Board {
    pub follow: Id,
    pub items: Vec<BoardItem>,
}

async fn board(state: &AppState, who: &TokenUser, id: FollowId) -> Result<Board, ApiError> {
    let store = state.store.as_ref();
    let followed = owned_follow(store, &state.curricula, &who.user, id).await?;
    let evidence = store.evidence(id).await?;
    let reviews = store.reviews_of(id).await?;
    let items = followed
        .curriculum
        .items()
        .map(|item| BoardItem {
            id: item.id.to_string(),
            title: item.title.clone(),
            status: followed.status(&item.id).into(),
            notes: followed
                .states
                .get(&item.id)
                .map(|s| s.notes.clone())
                .unwrap_or_default(),
            evidence: evidence
                .iter()
                .filter(|e| e.item == item.id)
                .map(|e| EvidenceDto {
                    id: Id(e.id.0),
                    kind: e.kind.as_str().to_owned(),
                    url: e.url.clone(),
                    title: e.title.clone(),
                })
                .collect(),
            review: reviews
                .iter()
                .find(|r| r.item == item.id)
                .map(|r| ReviewDto { due: r.due }),
        })
        .collect();
    Ok(Board {
        follow: Id(id.0),
        items,
    })
}

/// The board of a follow: every item with its status, notes, evidence and review.
#[utoipa::path(
    get,
    path = "/api/v1/follows/{id}/items",
    operation_id = "getBoard",
    tag = "board",
    params(("id" = Id, Path, description = "The follow's id")),
    responses(
        (status = 200, description = "The board", body = Board),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 404, description = "No such follow of yours", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    who: TokenUser,
    ApiId(id): ApiId,
) -> Result<Json<Board>, ApiError> {
    Ok(Json(board(&state, &who, FollowId(id)).await?))
}

/// A card's change: its status, its notes, or both.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemPatch {
    pub status: Option<Status>,
    /// Markdown, at most 50,000 characters.
    #[schema(max_length = 50000)]
    pub notes: Option<String>,
}

/// The card as it is now, and a warning when it was started or finished before its
/// prerequisites.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemChanged {
    pub item: BoardItem,
    pub warning: Option<String>,
}

async fn card(state: &AppState, who: &TokenUser, path: &ItemPath) -> Result<BoardItem, ApiError> {
    board(state, who, path.follow)
        .await?
        .items
        .into_iter()
        .find(|i| i.id == path.item.as_str())
        .ok_or(ApiError::NotFound)
}

/// Moves a card, or replaces its notes.
#[utoipa::path(
    patch,
    path = "/api/v1/follows/{id}/items/{item}",
    operation_id = "updateItem",
    tag = "board",
    params(
        ("id" = Id, Path, description = "The follow's id"),
        ("item" = String, Path, description = "The item's id"),
    ),
    request_body = ItemPatch,
    responses(
        (status = 200, description = "The card as changed", body = ItemChanged),
        (status = 400, description = "What to fix in the body", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such follow or item of yours", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    Writer(who): Writer,
    path: ItemPath,
    ApiJson(patch): ApiJson<ItemPatch>,
) -> Result<Json<ItemChanged>, ApiError> {
    let (store, cache, now) = (state.store.as_ref(), &state.curricula, Timestamp::now());
    let mut warning = None;
    if let Some(notes) = &patch.notes {
        save_notes(store, cache, &who.user, path.follow, &path.item, notes, now).await?;
    }
    if let Some(status) = patch.status {
        let moved = move_card(
            store,
            cache,
            &who.user,
            path.follow,
            &path.item,
            status.into(),
            now,
        )
        .await?;
        warning = moved.warning;
    }
    Ok(Json(ItemChanged {
        item: card(&state, &who, &path).await?,
        warning,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEvidence {
    /// `repository`, `notebook`, `post`, `certificate` or `other`.
    #[schema(max_length = 20)]
    pub kind: String,
    /// An http(s) address, at most 2,000 characters.
    #[schema(max_length = 2000)]
    pub url: String,
    #[schema(max_length = 200)]
    pub title: Option<String>,
}

/// Adds evidence to an item: a repository, a notebook, a post.
#[utoipa::path(
    post,
    path = "/api/v1/follows/{id}/items/{item}/evidence",
    operation_id = "addEvidence",
    tag = "board",
    params(
        ("id" = Id, Path, description = "The follow's id"),
        ("item" = String, Path, description = "The item's id"),
    ),
    request_body = NewEvidence,
    responses(
        (status = 201, description = "The card with its evidence", body = BoardItem),
        (status = 400, description = "What to fix in the body", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such follow or item of yours", body = ErrorBody),
    )
)]
pub async fn evidence(
    State(state): State<AppState>,
    Writer(who): Writer,
    path: ItemPath,
    ApiJson(body): ApiJson<NewEvidence>,
) -> Result<(StatusCode, Json<BoardItem>), ApiError> {
    let evidence = check_evidence(&body.kind, &body.url, body.title.as_deref().unwrap_or(""))
        .map_err(|problems| {
            let said: Vec<String> = problems
                .iter()
                .map(|p| format!("{}: {p}", p.field()))
                .collect();
            ApiError::BadRequest(said.join("; "))
        })?;
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    add_evidence(
        store,
        cache,
        &who.user,
        path.follow,
        &path.item,
        &evidence,
        Timestamp::now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(card(&state, &who, &path).await?)))
}

/// Removes one piece of an item's evidence.
#[utoipa::path(
    delete,
    path = "/api/v1/follows/{id}/items/{item}/evidence/{evidence_id}",
    operation_id = "deleteEvidence",
    tag = "board",
    params(
        ("id" = Id, Path, description = "The follow's id"),
        ("item" = String, Path, description = "The item's id"),
        ("evidence_id" = Id, Path, description = "The evidence's id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such evidence of yours", body = ErrorBody),
    )
)]
pub async fn delete_evidence(
    State(state): State<AppState>,
    Writer(who): Writer,
    path: ItemPath,
) -> Result<StatusCode, ApiError> {
    let id = path.evidence.ok_or(ApiError::NotFound)?;
    remove_evidence(
        state.store.as_ref(),
        &state.curricula,
        &who.user,
        path.follow,
        &path.item,
        autodidact_core::store::EvidenceId(id),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Marks a done item worth revisiting; the first review comes a few days later.
#[utoipa::path(
    post,
    path = "/api/v1/follows/{id}/items/{item}/review",
    operation_id = "markForReview",
    tag = "reviews",
    params(
        ("id" = Id, Path, description = "The follow's id"),
        ("item" = String, Path, description = "The item's id"),
    ),
    responses(
        (status = 200, description = "Marked (or already marked)", body = ReviewDto),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such follow or item of yours", body = ErrorBody),
        (status = 422, description = "The item is not done", body = ErrorBody),
    )
)]
pub async fn mark(
    State(state): State<AppState>,
    Writer(who): Writer,
    path: ItemPath,
) -> Result<Json<ReviewDto>, ApiError> {
    let record = mark_for_review(
        state.store.as_ref(),
        &state.curricula,
        &who.user,
        path.follow,
        &path.item,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(ReviewDto { due: record.due }))
}

/// Stops reviewing an item; its review history goes with it.
#[utoipa::path(
    delete,
    path = "/api/v1/follows/{id}/items/{item}/review",
    operation_id = "stopReview",
    tag = "reviews",
    params(
        ("id" = Id, Path, description = "The follow's id"),
        ("item" = String, Path, description = "The item's id"),
    ),
    responses(
        (status = 204, description = "No longer reviewed"),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such follow or item of yours", body = ErrorBody),
    )
)]
pub async fn stop(
    State(state): State<AppState>,
    Writer(who): Writer,
    path: ItemPath,
) -> Result<StatusCode, ApiError> {
    stop_review(
        state.store.as_ref(),
        &state.curricula,
        &who.user,
        path.follow,
        &path.item,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum GradeDto {
    Again,
    Hard,
    Good,
    Easy,
}

impl From<GradeDto> for Grade {
    fn from(g: GradeDto) -> Self {
        match g {
            GradeDto::Again => Grade::Again,
            GradeDto::Hard => Grade::Hard,
            GradeDto::Good => Grade::Good,
            GradeDto::Easy => Grade::Easy,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeRequest {
    pub grade: GradeDto,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Graded {
    pub day: Date,
    /// The next review's day.
    pub due: Date,
    pub reviews: u32,
}

/// Records a review done today, and schedules the next one.
#[utoipa::path(
    post,
    path = "/api/v1/follows/{id}/items/{item}/review/grades",
    operation_id = "gradeReview",
    tag = "reviews",
    params(
        ("id" = Id, Path, description = "The follow's id"),
        ("item" = String, Path, description = "The item's id"),
    ),
    request_body = GradeRequest,
    responses(
        (status = 201, description = "Recorded", body = Graded),
        (status = 400, description = "What to fix in the body", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such item marked for review", body = ErrorBody),
    )
)]
pub async fn grade(
    State(state): State<AppState>,
    Writer(who): Writer,
    path: ItemPath,
    ApiJson(body): ApiJson<GradeRequest>,
) -> Result<(StatusCode, Json<Graded>), ApiError> {
    let (event, next) = grade_review(
        state.store.as_ref(),
        &state.curricula,
        &who.user,
        path.follow,
        &path.item,
        body.grade.into(),
        Timestamp::now(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(Graded {
            day: event.day,
            due: next.due,
            reviews: next.reviews,
        }),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DueReview {
    pub follow: Id,
    pub item: String,
    pub due: Date,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewList {
    /// Soonest due first.
    pub reviews: Vec<DueReview>,
}

/// Every item marked worth revisiting, soonest due first.
#[utoipa::path(
    get,
    path = "/api/v1/reviews",
    operation_id = "listReviews",
    tag = "reviews",
    responses(
        (status = 200, description = "The items to revisit", body = ReviewList),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    who: TokenUser,
) -> Result<Json<ReviewList>, ApiError> {
    let reviews = state.store.reviews_of_user(who.user.id).await?;
    Ok(Json(ReviewList {
        reviews: reviews
            .into_iter()
            .map(|r| DueReview {
                follow: Id(r.follow.0),
                item: r.item.to_string(),
                due: r.due,
            })
            .collect(),
    }))
}
