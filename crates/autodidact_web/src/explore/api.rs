//! The JSON API of explore: a page of public curricula.

use autodidact_core::explore::{RawQuery, explore, parse_query};
use autodidact_core::store::ListedCurriculum;
use axum::Json;
use axum::extract::{Query, State};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::dto::ErrorBody;
use crate::api::extract::TokenUser;
use crate::app::AppState;
use crate::error::ApiError;

/// A page of public curricula.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExploreDto {
    pub page: u32,
    /// Whether the next page has curricula.
    pub more: bool,
    pub curricula: Vec<ListedDto>,
}

/// A public curriculum, in figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListedDto {
    pub id: String,
    pub title: String,
    pub author: String,
    pub items: u32,
    pub total_minutes: u32,
    /// The curriculum's own hours a week, in minutes, when it states one.
    pub weekly_minutes: Option<u32>,
    pub kinds: Vec<String>,
    pub skills: Vec<String>,
    /// Learners following it or a copy of it.
    pub followers: u32,
    /// Learners who finished it or a copy of it.
    pub finishers: u32,
    pub updated_at: String,
}

impl ListedDto {
    fn new(l: &ListedCurriculum) -> Self {
        Self {
            id: l.id.0.to_string(),
            title: l.title.clone(),
            author: l.owner_handle.to_string(),
            items: l.summary.items,
            total_minutes: l.summary.total.get(),
            weekly_minutes: l.summary.weekly.map(|w| w.get()),
            kinds: l
                .summary
                .kinds
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect(),
            skills: l.summary.skills.clone(),
            followers: l.followers,
            finishers: l.finishers,
            updated_at: l.updated_at.to_string(),
        }
    }
}

/// Public curricula: search by title, skill and author, filter by kind and hours, sorted.
#[utoipa::path(
    get,
    path = "/api/v1/explore",
    operation_id = "explore",
    tag = "sharing",
    params(
        ("q" = Option<String>, Query, description = "Words, each found in the title, a skill or the author's handle"),
        ("skill" = Option<String>, Query, description = "An exact skill"),
        ("kind" = Option<String>, Query, description = "Has an item of this kind: course, book, paper, project, practice, article, video or other"),
        ("min_hours" = Option<u32>, Query, description = "At least this many planned hours"),
        ("max_hours" = Option<u32>, Query, description = "At most this many planned hours"),
        ("max_weekly" = Option<u32>, Query, description = "States at most this many hours a week"),
        ("sort" = Option<String>, Query, description = "followers (the default), finishers or recent"),
        ("page" = Option<u32>, Query, description = "From 1; 20 a page"),
    ),
    responses(
        (status = 200, description = "A page of public curricula", body = ExploreDto),
        (status = 400, description = "A field that cannot be read, with what to write", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    _who: TokenUser,
    Query(raw): Query<RawQuery>,
) -> Result<Json<ExploreDto>, ApiError> {
    let query = parse_query(&raw).map_err(|problems| {
        ApiError::BadRequest(
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let page = explore(state.store.as_ref(), query).await?;
    Ok(Json(ExploreDto {
        page: page.query.page,
        more: page.more,
        curricula: page.entries.iter().map(ListedDto::new).collect(),
    }))
}
