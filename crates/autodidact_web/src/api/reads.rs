//! Reading endpoints: the token's owner, their curricula and follows. Any token may read.

use autodidact_core::curricula::visible_curriculum;
use autodidact_core::store::CurriculumId;
use axum::Json;
use axum::extract::State;

use super::dto::PageQuery;
use super::dto::{
    CurriculumDetail, CurriculumList, CurriculumSummary, ErrorBody, FollowDto, FollowList, Id,
    ImportReportDto, Me,
};
use super::extract::{ApiId, ApiQuery, TokenUser};
use crate::app::AppState;
use crate::error::ApiError;

/// The learner the token acts for, and the token itself.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    operation_id = "getMe",
    tag = "account",
    responses(
        (status = 200, description = "The token's owner", body = Me),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
    )
)]
pub async fn me(who: TokenUser) -> Json<Me> {
    Json(Me::new(&who.user, &who.token.name, who.token.scope))
}

/// The learner's own curricula, newest first as the store lists them.
#[utoipa::path(
    get,
    path = "/api/v1/curricula",
    operation_id = "listCurricula",
    tag = "curricula",
    params(PageQuery),
    responses(
        (status = 200, description = "The learner's curricula", body = CurriculumList),
        (status = 400, description = "A limit or cursor that does not read", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
    )
)]
pub async fn list_curricula(
    State(state): State<AppState>,
    who: TokenUser,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<CurriculumList>, ApiError> {
    let records = state.store.curricula_of(who.user.id).await?;
    let (records, next_cursor) = query.page(records)?;
    Ok(Json(CurriculumList {
        curricula: records.iter().map(CurriculumSummary::from).collect(),
        next_cursor,
    }))
}

/// One curriculum with its phases and items.
///
/// The learner's own, or anyone's unlisted or public one. A private curriculum of someone
/// else is a 404, like one that does not exist.
#[utoipa::path(
    get,
    path = "/api/v1/curricula/{id}",
    operation_id = "getCurriculum",
    tag = "curricula",
    params(("id" = Id, Path, description = "The curriculum's id")),
    responses(
        (status = 200, description = "The curriculum", body = CurriculumDetail),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 404, description = "No such curriculum, or not visible to you", body = ErrorBody),
    )
)]
pub async fn get_curriculum(
    State(state): State<AppState>,
    who: TokenUser,
    ApiId(id): ApiId,
) -> Result<Json<CurriculumDetail>, ApiError> {
    let record =
        visible_curriculum(state.store.as_ref(), Some(who.user.id), CurriculumId(id)).await?;
    let curriculum = state
        .curricula
        .parse(&record)
        .ok_or_else(|| ApiError::Internal(format!("stored curriculum {id} does not read back")))?;
    let owner = state
        .store
        .user(record.owner)
        .await?
        .map_or_else(String::new, |u| u.handle.to_string());
    Ok(Json(CurriculumDetail::new(&record, owner, &curriculum)))
}

/// What the import that made one of the learner's curricula from a file said: the format,
/// the importer's remarks and the progress the file recorded.
///
/// Only the owner's; a curriculum not imported from a file has none (404).
#[utoipa::path(
    get,
    path = "/api/v1/curricula/{id}/import-report",
    operation_id = "getImportReport",
    tag = "curricula",
    params(("id" = Id, Path, description = "The curriculum's id")),
    responses(
        (status = 200, description = "The import's report", body = ImportReportDto),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 404, description = "No such curriculum of yours, or not imported from a file", body = ErrorBody),
    )
)]
pub async fn get_import_report(
    State(state): State<AppState>,
    who: TokenUser,
    ApiId(id): ApiId,
) -> Result<Json<ImportReportDto>, ApiError> {
    let report = autodidact_core::curricula::import_report(
        state.store.as_ref(),
        who.user.id,
        CurriculumId(id),
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    Ok(Json(ImportReportDto::from(&report)))
}

/// The curricula the learner follows, with each plan's settings.
#[utoipa::path(
    get,
    path = "/api/v1/follows",
    operation_id = "listFollows",
    tag = "follows",
    params(PageQuery),
    responses(
        (status = 200, description = "The learner's follows", body = FollowList),
        (status = 400, description = "A limit or cursor that does not read", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
    )
)]
pub async fn list_follows(
    State(state): State<AppState>,
    who: TokenUser,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<FollowList>, ApiError> {
    let mut follows = Vec::new();
    let (page, next_cursor) = query.page(state.store.follows_of(who.user.id).await?)?;
    for follow in page {
        let title = state
            .store
            .curriculum(follow.curriculum)
            .await?
            .map_or_else(String::new, |c| c.title);
        follows.push(FollowDto::new(&follow, title));
    }
    Ok(Json(FollowList {
        follows,
        next_cursor,
    }))
}
