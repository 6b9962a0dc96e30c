//! The JSON API of a copy's update: the preview and accepting it.

use autodidact_core::curriculum::ItemId;
use autodidact_core::store::CurriculumId;
use autodidact_core::upstream::{
    Decisions, Merge, UpstreamPreview, accept_upstream, preview_upstream,
};
use axum::Json;
use axum::extract::State;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::dto::ErrorBody;
use crate::api::extract::{ApiId, ApiJson, TokenUser, Writer};
use crate::app::AppState;
use crate::error::ApiError;

/// What taking the source's version does to the copy.
#[derive(Debug, Serialize, ToSchema)]
pub struct MergeDto {
    /// Items the source added: `{id, title, phase, minutes, taken}`.
    pub added: Vec<AddedDto>,
    /// Items whose fields the source changed and you had not: they apply.
    pub updated: Vec<UpdatedDto>,
    /// Fields of the curriculum itself that apply: `title`, `description`, `author`,
    /// `hours_per_week`.
    pub updated_curriculum: Vec<String>,
    /// Fields both sides changed; yours stands unless `take_theirs` names its `key`.
    pub conflicts: Vec<ConflictDto>,
    /// Items the source removed that your copy keeps, and why: `progress` or `edited`.
    pub retired: Vec<RetiredDto>,
    /// Items the source removed that go from your copy (untouched, no progress).
    pub removed: Vec<String>,
    /// Rule errors the merge as chosen would make; it cannot be accepted while any remain.
    pub problems: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AddedDto {
    pub id: String,
    pub title: String,
    pub phase: String,
    pub minutes: u32,
    pub taken: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UpdatedDto {
    pub id: String,
    pub fields: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictDto {
    /// `item:ID:FIELD` or `curriculum:FIELD`.
    pub key: String,
    pub base: String,
    pub mine: String,
    pub theirs: String,
    pub took_theirs: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RetiredDto {
    pub id: String,
    pub why: String,
}

impl MergeDto {
    fn new(m: &Merge) -> Self {
        Self {
            added: m
                .added
                .iter()
                .map(|a| AddedDto {
                    id: a.id.to_string(),
                    title: a.title.clone(),
                    phase: a.phase.clone(),
                    minutes: a.minutes.get(),
                    taken: a.taken,
                })
                .collect(),
            updated: m
                .updated
                .iter()
                .map(|u| UpdatedDto {
                    id: u.id.to_string(),
                    fields: u.fields.iter().map(|f| f.as_str().to_owned()).collect(),
                })
                .collect(),
            updated_curriculum: m
                .updated_top
                .iter()
                .map(|f| f.as_str().to_owned())
                .collect(),
            conflicts: m
                .conflicts
                .iter()
                .map(|c| ConflictDto {
                    key: c.place.key(),
                    base: c.base.clone(),
                    mine: c.mine.clone(),
                    theirs: c.theirs.clone(),
                    took_theirs: c.took_theirs,
                })
                .collect(),
            retired: m
                .retired
                .iter()
                .map(|r| RetiredDto {
                    id: r.id.to_string(),
                    why: match r.why {
                        autodidact_core::upstream::Kept::Progress => "progress",
                        autodidact_core::upstream::Kept::Edited => "edited",
                    }
                    .to_owned(),
                })
                .collect(),
            removed: m.removed.iter().map(|r| r.id.to_string()).collect(),
            problems: m.problems.iter().map(|p| p.kind.to_string()).collect(),
        }
    }
}

/// The update available to a copy, with the default choices and its plan impact.
#[derive(Debug, Serialize, ToSchema)]
pub struct UpstreamDto {
    /// Send both back to accept: the update is refused if either changed since.
    pub fork_version: u32,
    pub source_version: u32,
    pub merge: MergeDto,
    /// Minutes of work left in your plan of the copy, before and after; absent when you do
    /// not follow it.
    pub left_minutes_before: Option<u32>,
    pub left_minutes_after: Option<u32>,
    /// The day the plan ends, before and after.
    pub end_before: Option<String>,
    pub end_after: Option<String>,
}

impl UpstreamDto {
    fn new(p: &UpstreamPreview) -> Self {
        let i = p.impact.as_ref();
        Self {
            fork_version: p.fork.version,
            source_version: p.source.version,
            merge: MergeDto::new(&p.merge),
            left_minutes_before: i.map(|i| i.left_before.get()),
            left_minutes_after: i.map(|i| i.left_after.get()),
            end_before: i.and_then(|i| i.end_before).map(|d| d.to_string()),
            end_after: i.and_then(|i| i.end_after).map(|d| d.to_string()),
        }
    }
}

/// The update a copy of yours could take from its source.
#[utoipa::path(
    get,
    path = "/api/v1/curricula/{id}/upstream",
    operation_id = "previewUpstream",
    tag = "curricula",
    params(("id" = String, Path, description = "Your copy's id")),
    responses(
        (status = 200, description = "What taking the source's version does", body = UpstreamDto),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 404, description = "No such curriculum of yours", body = ErrorBody),
        (status = 422, description = "Not a copy, up to date, or the source is no longer shared", body = ErrorBody),
    )
)]
pub async fn preview(
    State(state): State<AppState>,
    who: TokenUser,
    ApiId(id): ApiId,
) -> Result<Json<UpstreamDto>, ApiError> {
    let p = preview_upstream(
        state.store.as_ref(),
        &state.curricula,
        &who.user,
        CurriculumId(id),
        &Decisions::default(),
        Timestamp::now(),
    )
    .await?;
    Ok(Json(UpstreamDto::new(&p)))
}

/// Accepting an update, with your choices.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptRequest {
    pub fork_version: u32,
    pub source_version: u32,
    /// Added items not to take.
    #[serde(default)]
    pub leave_out: Vec<String>,
    /// Conflict keys to settle with the source's value.
    #[serde(default)]
    pub take_theirs: Vec<String>,
}

/// Takes the source's version into your copy, with your choices.
#[utoipa::path(
    post,
    path = "/api/v1/curricula/{id}/upstream",
    operation_id = "acceptUpstream",
    tag = "curricula",
    params(("id" = String, Path, description = "Your copy's id")),
    request_body = AcceptRequest,
    responses(
        (status = 200, description = "Merged and stored", body = MergeDto),
        (status = 400, description = "What to fix in the body", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such curriculum of yours", body = ErrorBody),
        (status = 409, description = "The copy or its source changed since those versions", body = ErrorBody),
        (status = 422, description = "Not a copy, up to date, the source no longer shared, or the choices break the rules", body = ErrorBody),
    )
)]
pub async fn accept(
    State(state): State<AppState>,
    Writer(who): Writer,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<AcceptRequest>,
) -> Result<Json<MergeDto>, ApiError> {
    let leave_out = body
        .leave_out
        .iter()
        .map(|raw| {
            ItemId::parse(raw).map_err(|e| ApiError::BadRequest(format!("leave_out: {raw}: {e}")))
        })
        .collect::<Result<_, _>>()?;
    let decisions = Decisions {
        leave_out,
        take_theirs: body.take_theirs.into_iter().collect(),
    };
    let m = accept_upstream(
        state.store.as_ref(),
        &who.user,
        CurriculumId(id),
        &decisions,
        body.fork_version,
        body.source_version,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(MergeDto::new(&m)))
}
