//! The study timer: the same one the pages show, kept on the server (`core::timer`).

use autodidact_core::logs::ItemTarget;
use autodidact_core::store::{LogKind, Timer};
use autodidact_core::timer::{
    TimerError, TimerServiceError, discard_timer, running_timer, start_timer, stop_timer,
};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::{ErrorBody, Id, Kind, LogDto};
use super::extract::{ApiJson, TokenUser, Writer};
use crate::app::AppState;
use crate::error::ApiError;

/// The learner's timer.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimerDto {
    pub running: bool,
    pub follow: Option<Id>,
    pub item: Option<String>,
    /// The item's title when the timer started; empty without an item.
    pub label: String,
    pub kind: Option<Kind>,
    pub started_at: Option<Timestamp>,
}

impl TimerDto {
    fn new(timer: Option<&Timer>) -> Self {
        Self {
            running: timer.is_some(),
            follow: timer.and_then(|t| t.follow).map(|f| Id(f.0)),
            item: timer.and_then(|t| t.item.as_ref()).map(ToString::to_string),
            label: timer.map(|t| t.label.clone()).unwrap_or_default(),
            kind: timer.map(|t| t.kind.into()),
            started_at: timer.map(|t| t.started_at),
        }
    }
}

/// What to time.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartTimerRequest {
    pub follow: Option<Id>,
    pub curriculum: Option<Id>,
    /// An item id, such as `fast-ai-part-1`; leave it out to time study without an item.
    pub item: Option<String>,
    /// Default `learn`.
    pub kind: Option<Kind>,
}

/// How to stop.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StopTimerRequest {
    /// Mark the item done with the log (default false).
    pub done: Option<bool>,
}

/// What stopping logged.
#[derive(Debug, Serialize, ToSchema)]
pub struct StoppedDto {
    /// The log made; none when the timer ran for under half a minute.
    pub log: Option<LogDto>,
}

impl From<TimerServiceError> for ApiError {
    fn from(err: TimerServiceError) -> Self {
        match err {
            TimerServiceError::Timer(
                e @ (TimerError::AlreadyRunning { .. } | TimerError::NotRunning),
            ) => ApiError::Conflict(e.to_string()),
            TimerServiceError::Timer(e @ (TimerError::TooShort | TimerError::TooLong { .. })) => {
                ApiError::Unprocessable(e.to_string())
            }
            TimerServiceError::Log(e) => e.into(),
            TimerServiceError::Store(e) => e.into(),
        }
    }
}

/// The running timer, if any.
#[utoipa::path(
    get,
    path = "/api/v1/timer",
    operation_id = "getTimer",
    tag = "logs",
    responses(
        (status = 200, description = "The timer, running or not", body = TimerDto),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    who: TokenUser,
) -> Result<Json<TimerDto>, ApiError> {
    let timer = running_timer(state.store.as_ref(), &who.user).await?;
    Ok(Json(TimerDto::new(timer.as_ref())))
}

/// Starts the timer, on an item or on none; one runs at a time.
#[utoipa::path(
    post,
    path = "/api/v1/timer",
    operation_id = "startTimer",
    tag = "logs",
    request_body = StartTimerRequest,
    responses(
        (status = 201, description = "Running", body = TimerDto),
        (status = 400, description = "What to fix in the body", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 409, description = "A timer is already running", body = ErrorBody),
    )
)]
pub async fn start(
    State(state): State<AppState>,
    Writer(who): Writer,
    ApiJson(body): ApiJson<StartTimerRequest>,
) -> Result<Response, ApiError> {
    let target = ItemTarget::from_parts(
        body.follow.map(|f| f.0),
        body.curriculum.map(|c| c.0),
        body.item,
    )
    .map_err(|e| ApiError::BadRequest(format!("{}: {e}", e.field())))?;
    let kind = body.kind.map_or(LogKind::Learn, Into::into);
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    let timer = start_timer(store, cache, &who.user, target, kind, Timestamp::now()).await?;
    Ok((StatusCode::CREATED, Json(TimerDto::new(Some(&timer)))).into_response())
}

/// Stops the timer and logs its time on its item, dated the day it started. A run over 24
/// hours is refused (discard it and log by hand); one under half a minute logs nothing.
#[utoipa::path(
    post,
    path = "/api/v1/timer/stop",
    operation_id = "stopTimer",
    tag = "logs",
    request_body = StopTimerRequest,
    responses(
        (status = 201, description = "Stopped; the log made, if any", body = StoppedDto),
        (status = 400, description = "What to fix in the body", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 409, description = "No timer is running", body = ErrorBody),
        (status = 422, description = "The timer ran for more than a day", body = ErrorBody),
    )
)]
pub async fn stop(
    State(state): State<AppState>,
    Writer(who): Writer,
    ApiJson(body): ApiJson<StopTimerRequest>,
) -> Result<Response, ApiError> {
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    let done = body.done.unwrap_or(false);
    let stopped = stop_timer(store, cache, &who.user, done, Timestamp::now()).await?;
    let log = stopped.recorded.map(|r| LogDto::new(&r.log, &r.catalog));
    Ok((StatusCode::CREATED, Json(StoppedDto { log })).into_response())
}

/// Stops the timer without logging.
#[utoipa::path(
    delete,
    path = "/api/v1/timer",
    operation_id = "discardTimer",
    tag = "logs",
    responses(
        (status = 204, description = "Discarded"),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 409, description = "No timer is running", body = ErrorBody),
    )
)]
pub async fn discard(
    State(state): State<AppState>,
    Writer(who): Writer,
) -> Result<StatusCode, ApiError> {
    discard_timer(state.store.as_ref(), &who.user).await?;
    Ok(StatusCode::NO_CONTENT)
}
