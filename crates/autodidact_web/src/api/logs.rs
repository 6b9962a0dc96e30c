//! Study logs over the API: the same service as the pages (`autodidact_core::logs`), with a
//! client's `Idempotency-Key` so that a retried POST logs once.

use autodidact_core::store::{LogId, LogKind};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::{Timestamp, ToSpan};

use super::dto::{
    ErrorBody, Id, LogDto, LogList, LogPatchRequest, LogSessionRequest, LogsQuery, PageQuery,
};
use super::extract::{ApiId, ApiJson, ApiQuery, TokenUser, Writer};
use crate::app::AppState;
use crate::error::ApiError;
use crate::logs::catalog;
use autodidact_core::logs::{
    ItemTarget, LogError, LogInput, LogPatch, LogServiceError, check_minutes, delete_log, edit_log,
    own_log,
};

/// The widest range one list request may ask for.
const MAX_RANGE_DAYS: i64 = 366;
const DEFAULT_RANGE_DAYS: i64 = 30;

fn invalid(e: LogError) -> ApiError {
    LogServiceError::Invalid(e).into()
}

/// The learner's logs from `from` to `to`, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/logs",
    operation_id = "listLogs",
    tag = "logs",
    params(LogsQuery),
    responses(
        (status = 200, description = "The logs in the range", body = LogList),
        (status = 400, description = "A date that does not read, or a range too wide", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    who: TokenUser,
    ApiQuery(query): ApiQuery<LogsQuery>,
) -> Result<Json<LogList>, ApiError> {
    let today = who.user.today(Timestamp::now());
    let to = query
        .to
        .unwrap_or_else(|| today.checked_add(1.day()).unwrap_or(today));
    let from = query
        .from
        .unwrap_or_else(|| to.checked_sub(DEFAULT_RANGE_DAYS.days()).unwrap_or(to));
    if from > to {
        return Err(ApiError::BadRequest(format!(
            "from ({from}) is after to ({to}): swap them"
        )));
    }
    if i64::from((to - from).get_days()) > MAX_RANGE_DAYS {
        return Err(ApiError::BadRequest(format!(
            "ask for at most {MAX_RANGE_DAYS} days at a time, and {from} to {to} is more"
        )));
    }
    let logs = state.store.logs_between(who.user.id, from, to).await?;
    let paging = PageQuery {
        limit: query.limit,
        cursor: query.cursor.clone(),
    };
    let (logs, next_cursor) = paging.page(logs)?;
    let catalog = catalog(&state, who.user.id).await?;
    Ok(Json(LogList {
        from,
        to,
        logs: logs.iter().map(|l| LogDto::new(l, &catalog)).collect(),
        next_cursor,
    }))
}

/// The body read into the service's input; the service checks it against the record.
fn read_new(body: LogSessionRequest) -> Result<LogInput, LogError> {
    Ok(LogInput {
        minutes: check_minutes(body.minutes)?,
        kind: body.kind.map_or(LogKind::Learn, Into::into),
        day: body.date,
        note: body.note.unwrap_or_default(),
        target: ItemTarget::from_parts(
            body.follow.map(|f| f.0),
            body.curriculum.map(|c| c.0),
            body.item,
        )?,
        finish: body.done.unwrap_or(false),
    })
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<&str>, ApiError> {
    headers
        .get("idempotency-key")
        .map(|value| {
            value
                .to_str()
                .map_err(|_| invalid(LogError::BadIdempotencyKey))
        })
        .transpose()
}

/// Logs a study session.
///
/// With an `Idempotency-Key` already used by this learner, nothing is logged and the first
/// log comes back with 200 instead of 201.
#[utoipa::path(
    post,
    path = "/api/v1/logs",
    operation_id = "createLog",
    tag = "logs",
    request_body = LogSessionRequest,
    params((
        "Idempotency-Key" = Option<String>, Header,
        description = "A fresh random value per session logged; send the same value when retrying it"
    )),
    responses(
        (status = 201, description = "Logged", body = LogDto,
            headers(("Location" = String, description = "The new log's address"))),
        (status = 200, description = "A retry: the log first stored with this key", body = LogDto),
        (status = 400, description = "What to fix in the body", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 422, description = "The Idempotency-Key was used for a different log", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Writer(who): Writer,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LogSessionRequest>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let input = read_new(body).map_err(invalid)?;
    let recorded = crate::logs::record(&state, &who.user, input, key, Timestamp::now()).await?;
    let (log, catalog) = (recorded.log, recorded.catalog);
    let status = if recorded.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let location = format!("/api/v1/logs/{}", log.id);
    Ok((
        status,
        [(header::LOCATION, location)],
        Json(LogDto::new(&log, &catalog)),
    )
        .into_response())
}

/// One of the learner's logs.
#[utoipa::path(
    get,
    path = "/api/v1/logs/{id}",
    operation_id = "getLog",
    tag = "logs",
    params(("id" = Id, Path, description = "The log's id")),
    responses(
        (status = 200, description = "The log", body = LogDto),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 404, description = "No such log, or not yours", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    who: TokenUser,
    ApiId(id): ApiId,
) -> Result<Json<LogDto>, ApiError> {
    let log = own_log(state.store.as_ref(), &who.user, LogId(id)).await?;
    let catalog = catalog(&state, who.user.id).await?;
    Ok(Json(LogDto::new(&log, &catalog)))
}

/// The fields given, read into the service's patch.
fn read_patch(patch: LogPatchRequest) -> Result<LogPatch, LogError> {
    let place_given = patch.follow.is_some() || patch.curriculum.is_some();
    let target = match patch.item {
        None if place_given => return Err(LogError::PlaceWithoutItem),
        None => None,
        Some(item) => Some(ItemTarget::from_parts(
            patch.follow.map(|f| f.0),
            patch.curriculum.map(|c| c.0),
            item,
        )?),
    };
    Ok(LogPatch {
        minutes: patch.minutes.map(check_minutes).transpose()?,
        kind: patch.kind.map(Into::into),
        day: patch.date,
        note: patch.note,
        target,
    })
}

/// Changes a log.
///
/// Only the fields given change; the others stay as they are.
#[utoipa::path(
    patch,
    path = "/api/v1/logs/{id}",
    operation_id = "updateLog",
    tag = "logs",
    params(("id" = Id, Path, description = "The log's id")),
    request_body = LogPatchRequest,
    responses(
        (status = 200, description = "The log as changed", body = LogDto),
        (status = 400, description = "What to fix in the body", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such log, or not yours", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    Writer(who): Writer,
    ApiId(id): ApiId,
    ApiJson(patch): ApiJson<LogPatchRequest>,
) -> Result<Json<LogDto>, ApiError> {
    let patch = read_patch(patch).map_err(invalid)?;
    let store = state.store.as_ref();
    let edited = edit_log(
        store,
        &state.curricula,
        &who.user,
        LogId(id),
        patch,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(LogDto::new(&edited.log, &edited.catalog)))
}

/// Deletes one of the learner's logs.
#[utoipa::path(
    delete,
    path = "/api/v1/logs/{id}",
    operation_id = "deleteLog",
    tag = "logs",
    params(("id" = Id, Path, description = "The log's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such log, or not yours", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    Writer(who): Writer,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    delete_log(state.store.as_ref(), &who.user, LogId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
