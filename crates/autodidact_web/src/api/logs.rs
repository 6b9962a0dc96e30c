//! Study logs over the API: the same rules as the pages ([`crate::logs::record`]), with a
//! client's `Idempotency-Key` so that a retried POST logs once.

use autodidact_core::store::{LogKind, StudyLog};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};

use super::dto::{ErrorBody, LogDto, LogList, LogPatchRequest, LogSessionRequest, LogsQuery};
use super::extract::{ApiId, ApiJson, ApiQuery, TokenUser, Writer};
use crate::app::AppState;
use crate::error::ApiError;
use crate::logs::Catalog;
use crate::logs::record::{
    ItemTarget, LogDraft, LogError, check_day, check_key, check_minutes, check_note, today_for,
};

/// The widest range one list request may ask for.
const MAX_RANGE_DAYS: i64 = 366;
const DEFAULT_RANGE_DAYS: i64 = 30;

/// A refused log as a 400, its message led by the JSON field to fix.
fn invalid(e: LogError) -> ApiError {
    let field = match e.field() {
        "duration" => "minutes",
        other => other,
    };
    ApiError::BadRequest(format!("{field}: {e}"))
}

async fn own_log(state: &AppState, who: &TokenUser, id: i64) -> Result<StudyLog, ApiError> {
    state
        .store
        .log(id)
        .await?
        .filter(|log| log.user == who.user.id)
        .ok_or(ApiError::NotFound)
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
    let today = today_for(&who.user, Timestamp::now());
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
    let catalog = Catalog::load(state.store.as_ref(), who.user.id).await?;
    Ok(Json(LogList {
        from,
        to,
        logs: logs.iter().map(|l| LogDto::new(l, &catalog)).collect(),
    }))
}

fn check_new(
    body: LogSessionRequest,
    catalog: &Catalog,
    today: Date,
) -> Result<LogDraft, LogError> {
    let minutes = check_minutes(body.minutes)?;
    let day = check_day(body.date.unwrap_or(today), today)?;
    let note = check_note(body.note.as_deref().unwrap_or(""))?;
    let target = ItemTarget::from_parts(body.follow, body.curriculum, body.item)?
        .map(|t| catalog.resolve(&t))
        .transpose()?;
    Ok(LogDraft {
        minutes,
        kind: body.kind.map_or(LogKind::Learn, Into::into),
        day,
        note,
        target,
    })
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .and_then(check_key)
        .map(Some)
        .ok_or_else(|| {
            ApiError::BadRequest(
                "Idempotency-Key: use 1 to 200 visible ASCII characters, such as a random UUID"
                    .to_owned(),
            )
        })
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
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Writer(who): Writer,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LogSessionRequest>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let now = Timestamp::now();
    let catalog = Catalog::load(state.store.as_ref(), who.user.id).await?;
    let draft = check_new(body, &catalog, today_for(&who.user, now)).map_err(invalid)?;
    let (log, created) = state
        .store
        .add_log(draft.into_new(who.user.id, key, now))
        .await?;
    let status = if created {
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
    params(("id" = i64, Path, description = "The log's id")),
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
    let log = own_log(&state, &who, id).await?;
    let catalog = Catalog::load(state.store.as_ref(), who.user.id).await?;
    Ok(Json(LogDto::new(&log, &catalog)))
}

fn check_patch(
    patch: LogPatchRequest,
    log: &StudyLog,
    catalog: &Catalog,
    today: Date,
) -> Result<LogDraft, LogError> {
    let minutes = patch.minutes.map(check_minutes).transpose()?;
    let day = patch.date.map(|d| check_day(d, today)).transpose()?;
    let note = patch.note.as_deref().map(check_note).transpose()?;
    let place_given = patch.follow.is_some() || patch.curriculum.is_some();
    let target = match patch.item {
        None if place_given => return Err(LogError::PlaceWithoutItem),
        None => log.follow.zip(log.item.clone()),
        Some(item) => ItemTarget::from_parts(patch.follow, patch.curriculum, item)?
            .map(|t| catalog.resolve(&t))
            .transpose()?,
    };
    Ok(LogDraft {
        minutes: minutes.unwrap_or(log.minutes),
        kind: patch.kind.map_or(log.kind, Into::into),
        day: day.unwrap_or(log.day),
        note: note.unwrap_or_else(|| log.note.clone()),
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
    params(("id" = i64, Path, description = "The log's id")),
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
    let log = own_log(&state, &who, id).await?;
    let catalog = Catalog::load(state.store.as_ref(), who.user.id).await?;
    let today = today_for(&who.user, Timestamp::now());
    let draft = check_patch(patch, &log, &catalog, today).map_err(invalid)?;
    state
        .store
        .update_log(id, who.user.id, draft.into_change())
        .await?;
    let log = own_log(&state, &who, id).await?;
    Ok(Json(LogDto::new(&log, &catalog)))
}

/// Deletes one of the learner's logs.
#[utoipa::path(
    delete,
    path = "/api/v1/logs/{id}",
    operation_id = "deleteLog",
    tag = "logs",
    params(("id" = i64, Path, description = "The log's id")),
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
    state.store.delete_log(id, who.user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
