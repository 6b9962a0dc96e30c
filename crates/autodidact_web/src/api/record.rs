//! The learner's record over the API: commitments, the week's summary, and the insight
//! figures (weekly hours, streak, balance, calibration, and each plan's burn-up and forecast).

use autodidact_core::commitments::{CommitmentError, commit_weekly, scheduled};
use autodidact_core::curriculum::Minutes;
use autodidact_core::insight::overview::{Overview, load_overview};
use autodidact_core::insight::summary::{WeekSummary, load_week};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dto::ErrorBody;
use super::extract::{ApiJson, ApiQuery, TokenUser, Writer};
use crate::app::AppState;
use crate::error::ApiError;

#[derive(Debug, Serialize, ToSchema)]
pub struct CommitmentDto {
    /// 1 for the first request.
    pub number: u32,
    pub requested_on: Date,
    /// The day it takes effect: the request's day for a raise, later for a loosening.
    pub effective_on: Date,
    /// Minutes a week; none is a pause.
    pub weekly_minutes: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommitmentList {
    /// Every request, in the order made; none is ever rewritten.
    pub commitments: Vec<CommitmentDto>,
}

/// Every commitment request, with when each takes effect.
#[utoipa::path(
    get,
    path = "/api/v1/commitments",
    operation_id = "listCommitments",
    tag = "commitments",
    responses(
        (status = 200, description = "The requests", body = CommitmentList),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
    )
)]
pub async fn commitments(
    State(state): State<AppState>,
    who: TokenUser,
) -> Result<Json<CommitmentList>, ApiError> {
    let records = state.store.commitments(who.user.id).await?;
    let (ordered, changes) = scheduled(&records, &who.user.settings.delays());
    Ok(Json(CommitmentList {
        commitments: ordered
            .iter()
            .zip(&changes)
            .map(|(r, c)| CommitmentDto {
                number: r.number,
                requested_on: r.requested_on,
                effective_on: c.effective_on,
                weekly_minutes: r.weekly.map(Minutes::get),
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitmentRequest {
    /// 15 to 6,000 minutes a week; `null` pauses.
    #[schema(minimum = 15, maximum = 6000)]
    pub weekly_minutes: Option<u32>,
}

/// Asks for a new weekly minimum from today, or a pause: raising counts at once, lowering or
/// pausing waits the learner's delay.
#[utoipa::path(
    post,
    path = "/api/v1/commitments",
    operation_id = "createCommitment",
    tag = "commitments",
    request_body = CommitmentRequest,
    responses(
        (status = 201, description = "Recorded", body = CommitmentDto),
        (status = 400, description = "What to fix in the body", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
    )
)]
pub async fn commit(
    State(state): State<AppState>,
    Writer(who): Writer,
    ApiJson(body): ApiJson<CommitmentRequest>,
) -> Result<(StatusCode, Json<CommitmentDto>), ApiError> {
    let weekly = body.weekly_minutes.map(Minutes::new);
    let done = commit_weekly(state.store.as_ref(), &who.user, weekly, Timestamp::now())
        .await
        .map_err(|e| match e {
            CommitmentError::Store(e) => ApiError::from(e),
            other => ApiError::BadRequest(format!("weekly_minutes: {other}")),
        })?;
    Ok((
        StatusCode::CREATED,
        Json(CommitmentDto {
            number: done.record.number,
            requested_on: done.record.requested_on,
            effective_on: done.effective_on,
            weekly_minutes: done.record.weekly.map(Minutes::get),
        }),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeekQuery {
    /// Any day of the week to summarise (default: this week, in the learner's zone).
    pub start: Option<Date>,
}

/// The week's summary: hours by item and kind, what was finished, the streak, the commitment,
/// and next week's plan. The same as the `/week` page and `autodidact week`.
#[utoipa::path(
    get,
    path = "/api/v1/week",
    operation_id = "getWeek",
    tag = "insight",
    params(WeekQuery),
    responses(
        (status = 200, description = "The summary", content_type = "application/json"),
        (status = 400, description = "A date that does not read", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
    )
)]
pub async fn week(
    State(state): State<AppState>,
    who: TokenUser,
    ApiQuery(query): ApiQuery<WeekQuery>,
) -> Result<Json<WeekSummary>, ApiError> {
    let today = who.user.today(Timestamp::now());
    let first = query.start.unwrap_or(today);
    let summary = load_week(
        state.store.as_ref(),
        &state.curricula,
        &who.user,
        first,
        today,
    )
    .await
    .map_err(|e| match e {
        autodidact_core::insight::summary::WeekError::Store(e) => ApiError::from(e),
    })?;
    Ok(Json(summary))
}

/// The learner's figures: hours per week against the budget (12 weeks), the streak, taking in
/// against making (28 and 84 days), calibration, and for each plan what is earned, where it
/// stands against the plan in force, and the forecast.
#[utoipa::path(
    get,
    path = "/api/v1/insight",
    operation_id = "getInsight",
    tag = "insight",
    responses(
        (status = 200, description = "The figures", content_type = "application/json"),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
    )
)]
pub async fn insight(
    State(state): State<AppState>,
    who: TokenUser,
) -> Result<Json<Overview>, ApiError> {
    Ok(Json(
        load_overview(
            state.store.as_ref(),
            &state.curricula,
            &who.user,
            Timestamp::now(),
        )
        .await?,
    ))
}
