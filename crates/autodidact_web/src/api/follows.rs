//! Follows over the API: follow a curriculum (your own copy of someone else's), change the
//! budget, start and breaks, stop following, and the dated plan.

use autodidact_core::follow::{
    Effective, FollowCurriculumError, PlanSettings, change_plan, follow_curriculum, load_progress,
    owned_follow, unfollow,
};
use autodidact_core::plan::{Break, WeeklyBudget};
use autodidact_core::store::{CurriculumId, FollowId};
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::{ErrorBody, FollowDto, Id};
use super::extract::{ApiId, ApiJson, TokenUser, Writer};
use crate::app::AppState;
use crate::error::ApiError;

/// Following a curriculum.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFollowRequest {
    pub curriculum: Id,
    /// Hours a week (`10`, `7.5`) or per weekday (`mon=2,sat=6`).
    #[schema(max_length = 200, example = "10")]
    pub budget: String,
    /// Default today, in the learner's zone. A day in the past counts from today: the plan
    /// starts with the work left, and items already finished are marked done on the board.
    pub start: Option<Date>,
    /// `2026-12-25`, `2026-12-21..2027-01-03` or a weekday such as `sun`.
    #[schema(max_items = 200)]
    pub breaks: Option<Vec<String>>,
}

/// New settings; only the fields given change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowPatch {
    #[schema(max_length = 200)]
    pub budget: Option<String>,
    /// Today or later; the stored start may be kept as it is.
    pub start: Option<Date>,
    #[schema(max_items = 200)]
    pub breaks: Option<Vec<String>>,
    /// When a new budget takes effect: `next-week` (the default; this week keeps its target)
    /// or `today`. Earlier days keep the budget they had.
    #[schema(pattern = "^(next-week|today)$")]
    pub budget_from: Option<String>,
}

/// A start date given, when it lies in the calendar the app accepts.
fn start(day: Option<Date>) -> Result<Option<Date>, ApiError> {
    day.map(|d| {
        autodidact_core::plan::check_calendar_day(d)
            .map_err(|e| ApiError::BadRequest(format!("start: {e}")))
    })
    .transpose()
}

fn budget(raw: &str) -> Result<WeeklyBudget, ApiError> {
    if raw.chars().count() > 200 {
        return Err(ApiError::BadRequest(
            "budget: write it as 10 or mon=2,sat=6".to_owned(),
        ));
    }
    WeeklyBudget::parse(raw).map_err(|e| ApiError::BadRequest(format!("budget: {e}")))
}

fn breaks(raw: &[String]) -> Result<Vec<Break>, ApiError> {
    if raw.len() > 200 {
        return Err(ApiError::BadRequest("breaks: give at most 200".to_owned()));
    }
    raw.iter()
        .enumerate()
        .map(|(n, b)| {
            b.parse()
                .map_err(|e| ApiError::BadRequest(format!("breaks[{n}]: {e}")))
        })
        .collect()
}

async fn follow_dto(
    state: &AppState,
    who: &TokenUser,
    id: FollowId,
) -> Result<FollowDto, ApiError> {
    let followed = owned_follow(state.store.as_ref(), &state.curricula, &who.user, id).await?;
    Ok(FollowDto::new(&followed.follow, followed.record.title))
}

/// Follows a curriculum with a budget: your own, or your own copy of someone else's, so that
/// nothing its owner does later changes your plan.
#[utoipa::path(
    post,
    path = "/api/v1/follows",
    operation_id = "createFollow",
    tag = "follows",
    request_body = NewFollowRequest,
    responses(
        (status = 201, description = "Following", body = FollowDto),
        (status = 400, description = "What to fix in the body", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such curriculum, or not visible to you", body = ErrorBody),
        (status = 409, description = "You already follow it", body = ErrorBody),
        (status = 422, description = "No plan can be made with this budget and these breaks", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Writer(who): Writer,
    ApiJson(body): ApiJson<NewFollowRequest>,
) -> Result<Response, ApiError> {
    let now = Timestamp::now();
    let settings = PlanSettings::new(
        budget(&body.budget)?,
        start(body.start)?.unwrap_or_else(|| who.user.today(now)),
        breaks(body.breaks.as_deref().unwrap_or_default())?,
    );
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    let id = CurriculumId(body.curriculum.0);
    let follow = follow_curriculum(store, cache, &who.user, id, &settings, now).await?;
    let dto = follow_dto(&state, &who, follow.id).await?;
    let location = format!("/api/v1/follows/{}", follow.id.0);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(dto),
    )
        .into_response())
}

/// Changes a follow's budget, start or breaks; nothing is stored unless a plan can be made.
#[utoipa::path(
    patch,
    path = "/api/v1/follows/{id}",
    operation_id = "updateFollow",
    tag = "follows",
    params(("id" = Id, Path, description = "The follow's id")),
    request_body = FollowPatch,
    responses(
        (status = 200, description = "The follow as changed", body = FollowDto),
        (status = 400, description = "What to fix in the body", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such follow of yours", body = ErrorBody),
        (status = 422, description = "No plan can be made with these settings", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    Writer(who): Writer,
    ApiId(id): ApiId,
    ApiJson(patch): ApiJson<FollowPatch>,
) -> Result<Json<FollowDto>, ApiError> {
    let (store, cache, id) = (state.store.as_ref(), &state.curricula, FollowId(id));
    let current = owned_follow(store, cache, &who.user, id).await?.settings();
    let from = match patch.budget_from.as_deref() {
        None => Effective::default(),
        Some(raw) => Effective::parse(raw).ok_or_else(|| {
            ApiError::BadRequest("budget_from: write next-week or today".to_owned())
        })?,
    };
    let settings = PlanSettings::new(
        patch
            .budget
            .as_deref()
            .map(budget)
            .transpose()?
            .unwrap_or(current.budget),
        start(patch.start)?.unwrap_or(current.start),
        patch
            .breaks
            .as_deref()
            .map(breaks)
            .transpose()?
            .unwrap_or(current.breaks),
    );
    let now = Timestamp::now();
    let followed = change_plan(store, cache, &who.user, id, &settings, from, now).await?;
    Ok(Json(FollowDto::new(
        &followed.follow,
        followed.record.title,
    )))
}

/// Stops following: the plan, board, notes, evidence and reviews go; logs keep their time.
#[utoipa::path(
    delete,
    path = "/api/v1/follows/{id}",
    operation_id = "deleteFollow",
    tag = "follows",
    params(("id" = Id, Path, description = "The follow's id")),
    responses(
        (status = 204, description = "No longer following"),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such follow of yours", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    Writer(who): Writer,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    unfollow(state.store.as_ref(), &who.user, FollowId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One item of the dated plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlannedItem {
    pub id: String,
    pub title: String,
    /// 1 for the first phase.
    pub phase: usize,
    /// Minutes still planned (none for a finished item).
    pub minutes: u32,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub done: bool,
}

/// One week of the plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlannedWeek {
    pub start: Date,
    pub minutes: u32,
    /// Item ids with their minutes in the week.
    pub work: Vec<(String, u32)>,
}

/// The dated plan of a follow, from its settings and board.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanDto {
    pub follow: Id,
    pub start: Date,
    /// The day the last item ends; none when everything is done.
    pub end: Option<Date>,
    /// Minutes still planned.
    pub total: u32,
    pub items: Vec<PlannedItem>,
    pub weeks: Vec<PlannedWeek>,
}

/// The dated plan and schedule of a follow: every item with its days, and the work of each
/// week.
#[utoipa::path(
    get,
    path = "/api/v1/follows/{id}/plan",
    operation_id = "getPlan",
    tag = "follows",
    params(("id" = Id, Path, description = "The follow's id")),
    responses(
        (status = 200, description = "The plan", body = PlanDto),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 404, description = "No such follow of yours", body = ErrorBody),
        (status = 422, description = "The stored settings give no plan", body = ErrorBody),
    )
)]
pub async fn plan(
    State(state): State<AppState>,
    who: TokenUser,
    ApiId(id): ApiId,
) -> Result<Json<PlanDto>, ApiError> {
    let followed = owned_follow(
        state.store.as_ref(),
        &state.curricula,
        &who.user,
        FollowId(id),
    )
    .await?;
    let now = Timestamp::now();
    let progress = load_progress(state.store.as_ref(), &followed, &who.user, now).await?;
    let plan = followed
        .rolling_plan(&progress, who.user.today(now))
        .map_err(|e| ApiError::from(FollowCurriculumError::Plan(e)))?;
    Ok(Json(PlanDto {
        follow: Id(id),
        start: plan.start,
        end: plan.end,
        total: plan.total.get(),
        items: plan
            .items
            .iter()
            .map(|i| PlannedItem {
                id: i.id.to_string(),
                title: i.title.clone(),
                phase: i.phase + 1,
                minutes: i.minutes.get(),
                start: i.span.map(|s| s.start),
                end: i.span.map(|s| s.end),
                done: i.done,
            })
            .collect(),
        weeks: plan
            .weeks
            .iter()
            .map(|w| PlannedWeek {
                start: w.start,
                minutes: w.work.iter().map(|(_, m)| m.get()).sum(),
                work: w
                    .work
                    .iter()
                    .filter_map(|&(n, m)| plan.items.get(n).map(|i| (i.id.to_string(), m.get())))
                    .collect(),
            })
            .collect(),
    }))
}
