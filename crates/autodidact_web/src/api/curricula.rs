//! Curricula over the API: create (from a shipped template, a TOML file or an import), replace
//! the TOML (every edit of phases and items), change who may see one, delete, fork. The core's
//! services decide; this only translates.

use autodidact_core::curricula::{
    create_curriculum, delete_curriculum, fork_curriculum, replace_source, set_visibility,
    visible_curriculum,
};
use autodidact_core::curriculum::write_toml;
use autodidact_core::import::{MAX_IMPORT_BYTES, SourceFormat, import_bytes};
use autodidact_core::store::{CurriculumId, Lineage, Visibility};
use autodidact_core::templates;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde::Deserialize;
use utoipa::ToSchema;

use super::dto::{CurriculumDetail, ErrorBody, Id};
use super::extract::{ApiId, ApiJson, Writer};
use crate::app::AppState;
use crate::error::ApiError;

/// Who may see a curriculum.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum VisibilityDto {
    Private,
    /// The owner's approved followers.
    Followers,
    Unlisted,
    Public,
}

impl From<VisibilityDto> for Visibility {
    fn from(v: VisibilityDto) -> Self {
        match v {
            VisibilityDto::Private => Visibility::Private,
            VisibilityDto::Followers => Visibility::Followers,
            VisibilityDto::Unlisted => Visibility::Unlisted,
            VisibilityDto::Public => Visibility::Public,
        }
    }
}

/// A file to import: a Trello board export, a Markdown checklist, a roadmap.sh JSON or a TOML
/// curriculum, as text.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportDto {
    /// `trello`, `markdown`, `roadmapsh` or `toml`; detected when left out.
    pub format: Option<String>,
    /// The file's text, at most 32 MiB.
    #[schema(max_length = 33554432)]
    pub content: String,
    /// The title when the file gives none.
    #[schema(max_length = 200)]
    pub title: Option<String>,
}

/// A new curriculum: give exactly one of `template`, `toml` or `import`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCurriculumRequest {
    /// A shipped template's id, such as `deep-learning-in-six-months`.
    #[schema(max_length = 100)]
    pub template: Option<String>,
    /// A curriculum file's text (docs/curriculum-format.md).
    #[schema(max_length = 16777216)]
    pub toml: Option<String>,
    pub import: Option<ImportDto>,
    /// Default `private`.
    pub visibility: Option<VisibilityDto>,
}

/// A change: the whole TOML (every edit of phases and items), who may see it, or both.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CurriculumPatch {
    #[schema(max_length = 16777216)]
    pub toml: Option<String>,
    pub visibility: Option<VisibilityDto>,
}

async fn detail(
    state: &AppState,
    who: &Writer,
    id: CurriculumId,
) -> Result<CurriculumDetail, ApiError> {
    let record = visible_curriculum(state.store.as_ref(), Some(who.0.user.id), id).await?;
    let curriculum = state.curricula.parse(&record).ok_or_else(|| {
        ApiError::Internal(format!("stored curriculum {} does not read back", id.0))
    })?;
    let owner = state
        .store
        .user(record.owner)
        .await?
        .map_or_else(String::new, |u| u.handle.to_string());
    Ok(CurriculumDetail::new(&record, owner, &curriculum))
}

fn created(detail: CurriculumDetail) -> Response {
    let location = format!("/api/v1/curricula/{}", detail.id.0);
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(detail),
    )
        .into_response()
}

/// Makes a curriculum from a shipped template, a TOML file or an imported file.
#[utoipa::path(
    post,
    path = "/api/v1/curricula",
    operation_id = "createCurriculum",
    tag = "curricula",
    request_body = NewCurriculumRequest,
    responses(
        (status = 201, description = "Made", body = CurriculumDetail),
        (status = 400, description = "What to fix in the body", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such template", body = ErrorBody),
        (status = 422, description = "The curriculum has errors; the message lists them", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    who: Writer,
    ApiJson(body): ApiJson<NewCurriculumRequest>,
) -> Result<Response, ApiError> {
    let (source, lineage) = match (body.template, body.toml, body.import) {
        (Some(id), None, None) => {
            let template = templates::find(&id).ok_or(ApiError::NotFound)?;
            (
                template.source.to_owned(),
                Lineage::Template {
                    id: template.id.to_owned(),
                },
            )
        }
        (None, Some(toml), None) => (toml, Lineage::Original),
        (None, None, Some(import)) => {
            if import.content.len() > MAX_IMPORT_BYTES {
                return Err(ApiError::TooLarge(
                    "import.content: at most 32 MiB".to_owned(),
                ));
            }
            let format = import
                .format
                .as_deref()
                .map(|f| {
                    f.parse::<SourceFormat>()
                        .map_err(|e| ApiError::BadRequest(format!("import.format: {e}")))
                })
                .transpose()?;
            let title = import.title.as_deref().unwrap_or("Imported");
            let imported = import_bytes(import.content.as_bytes(), format, title)
                .map_err(|e| ApiError::Unprocessable(format!("import: {e}")))?;
            (write_toml(&imported.curriculum), Lineage::Original)
        }
        _ => {
            return Err(ApiError::BadRequest(
                "give exactly one of `template`, `toml` or `import`".to_owned(),
            ));
        }
    };
    let visibility = body.visibility.map_or(Visibility::Private, Into::into);
    let store = state.store.as_ref();
    let record = create_curriculum(
        store,
        who.0.user.id,
        &source,
        visibility,
        lineage,
        Timestamp::now(),
    )
    .await?;
    Ok(created(detail(&state, &who, record.id).await?))
}

/// Changes one of the learner's curricula: its whole TOML, who may see it, or both.
#[utoipa::path(
    patch,
    path = "/api/v1/curricula/{id}",
    operation_id = "updateCurriculum",
    tag = "curricula",
    params(("id" = Id, Path, description = "The curriculum's id")),
    request_body = CurriculumPatch,
    responses(
        (status = 200, description = "The curriculum as changed", body = CurriculumDetail),
        (status = 400, description = "What to fix in the body", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such curriculum of yours", body = ErrorBody),
        (status = 422, description = "The curriculum has errors; the message lists them", body = ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    who: Writer,
    ApiId(id): ApiId,
    ApiJson(patch): ApiJson<CurriculumPatch>,
) -> Result<Json<CurriculumDetail>, ApiError> {
    let (store, owner, id, now) = (
        state.store.as_ref(),
        who.0.user.id,
        CurriculumId(id),
        Timestamp::now(),
    );
    autodidact_core::curricula::owned_curriculum(store, owner, id).await?;
    if let Some(toml) = &patch.toml {
        replace_source(store, owner, id, toml, now).await?;
    }
    if let Some(visibility) = patch.visibility {
        set_visibility(store, owner, id, visibility.into(), now).await?;
    }
    Ok(Json(detail(&state, &who, id).await?))
}

/// Deletes one of the learner's curricula, with their own plan of it; learners who follow it
/// keep their copies.
#[utoipa::path(
    delete,
    path = "/api/v1/curricula/{id}",
    operation_id = "deleteCurriculum",
    tag = "curricula",
    params(("id" = Id, Path, description = "The curriculum's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such curriculum of yours", body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    who: Writer,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    delete_curriculum(state.store.as_ref(), who.0.user.id, CurriculumId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Makes the learner's own private copy of a curriculum they may see, linked to it.
#[utoipa::path(
    post,
    path = "/api/v1/curricula/{id}/fork",
    operation_id = "forkCurriculum",
    tag = "curricula",
    params(("id" = Id, Path, description = "The curriculum to copy")),
    responses(
        (status = 201, description = "The copy", body = CurriculumDetail),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such curriculum, or not visible to you", body = ErrorBody),
    )
)]
pub async fn fork(
    State(state): State<AppState>,
    who: Writer,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let copy = fork_curriculum(
        state.store.as_ref(),
        &who.0.user,
        CurriculumId(id),
        Timestamp::now(),
    )
    .await?;
    Ok(created(detail(&state, &who, copy.id).await?))
}
