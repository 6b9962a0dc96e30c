//! The JSON API of sharing: a profile as the token's learner may see it, the learner's own
//! profile settings, and their journal.

use autodidact_core::accounts::Handle;
use autodidact_core::curriculum::ItemId;
use autodidact_core::sharing::{
    JournalInput, Profile, delete_post, edit_post, load_profile, notebook_links,
    save_profile_settings, visible_post, write_post,
};
use autodidact_core::store::{
    FollowId, JournalPost, JournalPostId, LinkCheck, LinkStatus, ProfileSettings, Section,
    Visibility,
};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::dto::ErrorBody;
use crate::api::extract::{ApiId, ApiJson, TokenUser, Writer};
use crate::app::AppState;
use crate::error::ApiError;

/// A profile as the token's learner may see it: a section they may not see is absent.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileDto {
    pub handle: String,
    pub display_name: String,
    /// Markdown.
    pub bio: String,
    /// What the token's learner is to this one: `owner`, `follower` or `stranger`.
    pub relation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<Vec<ProgressDto>>,
    /// Minutes per day over the shared follows, oldest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heatmap: Option<Vec<DayDto>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio: Option<Vec<ProjectDto>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub journal: Option<Vec<PostDto>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub curricula: Option<Vec<CardDto>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<SkillDto>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressDto {
    pub curriculum_id: String,
    pub title: String,
    pub done_items: usize,
    pub items: usize,
    pub percent: u32,
    pub earned_minutes: u32,
    pub total_minutes: u32,
    pub logged_minutes: u32,
    pub doing: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayDto {
    pub date: String,
    pub minutes: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EvidenceRefDto {
    pub kind: String,
    pub url: String,
    pub title: String,
    pub created_at: String,
    /// For a notebook on GitHub: where it runs (Colab, Binder) and renders (nbviewer).
    pub notebook: Option<NotebookDto>,
    /// The last check of the address, if any (made away from any request).
    pub check: Option<LinkCheckDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotebookDto {
    pub colab: String,
    pub binder: String,
    pub nbviewer: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkCheckDto {
    /// `alive`, `broken` or `unreachable`.
    pub status: String,
    /// The HTTP status of the answer; none when there was no answer.
    pub http_status: Option<u16>,
    pub checked_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectDto {
    pub item_id: String,
    pub title: String,
    pub kind: String,
    pub curriculum: String,
    pub status: String,
    pub logged_minutes: u32,
    pub skills: Vec<String>,
    pub evidence: Vec<EvidenceRefDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptDto {
    pub item_id: String,
    pub title: String,
    pub curriculum: String,
    pub logged_minutes: u32,
    pub finished_on: String,
    pub evidence: Vec<EvidenceRefDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillDto {
    pub name: String,
    pub receipts: Vec<ReceiptDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CardDto {
    pub id: String,
    pub title: String,
    pub visibility: String,
    pub copied_from: Option<String>,
}

/// A journal post.
#[derive(Debug, Serialize, ToSchema)]
pub struct PostDto {
    pub id: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    /// `private`, `followers`, `unlisted` or `public`.
    pub visibility: String,
    /// The follow and item it is about, for its author.
    pub follow_id: Option<String>,
    pub item_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl PostDto {
    fn new(p: &JournalPost) -> Self {
        Self {
            id: p.id.to_string(),
            title: p.title.clone(),
            body: p.body.clone(),
            visibility: p.visibility.as_str().to_owned(),
            follow_id: p.about.as_ref().map(|(f, _)| f.0.to_string()),
            item_id: p.about.as_ref().map(|(_, i)| i.as_str().to_owned()),
            created_at: p.created_at.to_string(),
            updated_at: p.updated_at.to_string(),
        }
    }
}

type Checks = std::collections::HashMap<String, LinkCheck>;

fn evidence(list: &[autodidact_core::store::Evidence], checks: &Checks) -> Vec<EvidenceRefDto> {
    list.iter()
        .map(|e| EvidenceRefDto {
            kind: e.kind.as_str().to_owned(),
            url: e.url.clone(),
            title: e.title.clone(),
            created_at: e.created_at.to_string(),
            notebook: notebook_links(&e.url).map(|n| NotebookDto {
                colab: n.colab,
                binder: n.binder,
                nbviewer: n.nbviewer,
            }),
            check: checks.get(&e.url).map(|c| {
                let (status, http_status) = match c.status {
                    LinkStatus::Alive(code) => ("alive", Some(code)),
                    LinkStatus::Broken(code) => ("broken", Some(code)),
                    LinkStatus::Unreachable => ("unreachable", None),
                };
                LinkCheckDto {
                    status: status.to_owned(),
                    http_status,
                    checked_at: c.checked_at.to_string(),
                }
            }),
        })
        .collect()
}

impl ProfileDto {
    fn new(p: &Profile) -> Self {
        Self {
            handle: p.handle.to_string(),
            display_name: p.display_name.clone(),
            bio: p.bio.clone(),
            relation: p.relation.as_str().to_owned(),
            progress: p.progress.as_ref().map(|cards| {
                cards
                    .iter()
                    .map(|c| ProgressDto {
                        curriculum_id: c.curriculum.0.to_string(),
                        title: c.title.clone(),
                        done_items: c.done_items,
                        items: c.items,
                        percent: c.percent,
                        earned_minutes: c.earned.get(),
                        total_minutes: c.total.get(),
                        logged_minutes: c.logged.get(),
                        doing: c.doing.clone(),
                    })
                    .collect()
            }),
            heatmap: p.heatmap.as_ref().map(|a| {
                a.days()
                    .map(|(d, m)| DayDto {
                        date: d.to_string(),
                        minutes: m.total().get(),
                    })
                    .collect()
            }),
            portfolio: p.portfolio.as_ref().map(|ps| {
                ps.iter()
                    .map(|x| ProjectDto {
                        item_id: x.item.as_str().to_owned(),
                        title: x.title.clone(),
                        kind: x.kind.as_str().to_owned(),
                        curriculum: x.curriculum.clone(),
                        status: x.status.as_str().to_owned(),
                        logged_minutes: x.logged.get(),
                        skills: x.skills.clone(),
                        evidence: evidence(&x.evidence, &p.link_checks),
                    })
                    .collect()
            }),
            journal: p
                .journal
                .as_ref()
                .map(|posts| posts.iter().map(PostDto::new).collect()),
            curricula: p.curricula.as_ref().map(|cards| {
                cards
                    .iter()
                    .map(|c| CardDto {
                        id: c.id.0.to_string(),
                        title: c.title.clone(),
                        visibility: c.visibility.as_str().to_owned(),
                        copied_from: c.copied_from.as_ref().map(ToString::to_string),
                    })
                    .collect()
            }),
            skills: p.skills.as_ref().map(|skills| {
                skills
                    .iter()
                    .map(|s| SkillDto {
                        name: s.name.clone(),
                        receipts: s
                            .receipts
                            .iter()
                            .map(|r| ReceiptDto {
                                item_id: r.item.as_str().to_owned(),
                                title: r.title.clone(),
                                curriculum: r.curriculum.clone(),
                                logged_minutes: r.logged.get(),
                                finished_on: r.finished.to_string(),
                                evidence: evidence(&r.evidence, &p.link_checks),
                            })
                            .collect(),
                    })
                    .collect()
            }),
        }
    }
}

/// A learner's profile, as the token's learner may see it.
#[utoipa::path(
    get,
    path = "/api/v1/profiles/{handle}",
    operation_id = "getProfile",
    tag = "sharing",
    params(("handle" = String, Path, description = "The learner's handle, without the @")),
    responses(
        (status = 200, description = "The profile, with the sections you may see", body = ProfileDto),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 404, description = "No such learner, or nothing of theirs you may see", body = ErrorBody),
    )
)]
pub async fn get_profile(
    State(state): State<AppState>,
    who: TokenUser,
    Path(handle): Path<String>,
) -> Result<Json<ProfileDto>, ApiError> {
    let handle = Handle::parse(&handle).map_err(|_| ApiError::NotFound)?;
    let profile = load_profile(
        state.store.as_ref(),
        &state.curricula,
        Some(&who.user),
        &handle,
        None,
        Timestamp::now(),
    )
    .await?;
    Ok(Json(ProfileDto::new(&profile)))
}

/// How the learner's profile is shared. Every value is `private`, `followers`, `unlisted` or
/// `public`; a section is shown at most as widely as `profile`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileSettingsDto {
    /// Markdown, at most 2,000 characters.
    pub bio: String,
    pub profile: String,
    pub progress: String,
    pub heatmap: String,
    pub portfolio: String,
    pub journal: String,
    pub curricula: String,
    pub skills: String,
    /// Whether your logged hours count, without your name, in figures across learners.
    pub crowd: bool,
}

impl ProfileSettingsDto {
    fn new(s: &ProfileSettings) -> Self {
        Self {
            bio: s.bio.clone(),
            profile: s.profile.as_str().to_owned(),
            progress: s.section(Section::Progress).as_str().to_owned(),
            heatmap: s.section(Section::Heatmap).as_str().to_owned(),
            portfolio: s.section(Section::Portfolio).as_str().to_owned(),
            journal: s.section(Section::Journal).as_str().to_owned(),
            curricula: s.section(Section::Curricula).as_str().to_owned(),
            skills: s.section(Section::Skills).as_str().to_owned(),
            crowd: s.crowd,
        }
    }

    fn settings(&self) -> Result<ProfileSettings, ApiError> {
        let parse = |field: &str, raw: &str| {
            Visibility::parse(raw).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "{field}: “{raw}” is not one of private, followers, unlisted, public"
                ))
            })
        };
        let mut s = ProfileSettings::default();
        s.bio.clone_from(&self.bio);
        s.crowd = self.crowd;
        s.profile = parse("profile", &self.profile)?;
        for (section, raw) in [
            (Section::Progress, &self.progress),
            (Section::Heatmap, &self.heatmap),
            (Section::Portfolio, &self.portfolio),
            (Section::Journal, &self.journal),
            (Section::Curricula, &self.curricula),
            (Section::Skills, &self.skills),
        ] {
            s.set_section(section, parse(section.as_str(), raw)?);
        }
        Ok(s)
    }
}

/// Your profile's settings.
#[utoipa::path(
    get,
    path = "/api/v1/profile",
    operation_id = "getProfileSettings",
    tag = "sharing",
    responses(
        (status = 200, description = "Your settings", body = ProfileSettingsDto),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
    )
)]
pub async fn get_settings(
    State(state): State<AppState>,
    who: TokenUser,
) -> Result<Json<ProfileSettingsDto>, ApiError> {
    let settings = state.store.profile_settings(who.user.id).await?;
    Ok(Json(ProfileSettingsDto::new(&settings)))
}

/// Replaces your profile's settings, whole.
#[utoipa::path(
    put,
    path = "/api/v1/profile",
    operation_id = "putProfileSettings",
    tag = "sharing",
    request_body = ProfileSettingsDto,
    responses(
        (status = 200, description = "Saved", body = ProfileSettingsDto),
        (status = 400, description = "What to fix in the body", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 422, description = "A bio that is too long", body = ErrorBody),
    )
)]
pub async fn put_settings(
    State(state): State<AppState>,
    Writer(who): Writer,
    ApiJson(body): ApiJson<ProfileSettingsDto>,
) -> Result<Json<ProfileSettingsDto>, ApiError> {
    let settings = body.settings()?;
    let store = state.store.as_ref();
    save_profile_settings(store, &who.user, &settings, Timestamp::now()).await?;
    Ok(Json(ProfileSettingsDto::new(
        &store.profile_settings(who.user.id).await?,
    )))
}

/// A journal post to write, or a post's new content.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostRequest {
    pub title: String,
    /// Markdown, at most 20,000 characters.
    #[serde(default)]
    pub body: String,
    /// `private` (the default), `followers`, `unlisted` or `public`.
    pub visibility: Option<String>,
    /// One of your follows, with `item_id`: the item the post is about.
    pub follow_id: Option<String>,
    pub item_id: Option<String>,
}

impl PostRequest {
    fn input(self) -> Result<JournalInput, ApiError> {
        let visibility = match self.visibility.as_deref() {
            None => Visibility::Private,
            Some(raw) => Visibility::parse(raw).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "visibility: “{raw}” is not one of private, followers, unlisted, public"
                ))
            })?,
        };
        let about = match (self.follow_id, self.item_id) {
            (None, None) => None,
            (Some(f), Some(i)) => {
                let f = f.parse::<i64>().map_err(|_| {
                    ApiError::BadRequest("follow_id: give a follow's id, as a string".to_owned())
                })?;
                let i =
                    ItemId::parse(&i).map_err(|e| ApiError::BadRequest(format!("item_id: {e}")))?;
                Some((FollowId(f), i))
            }
            _ => {
                return Err(ApiError::BadRequest(
                    "give both follow_id and item_id, or neither".to_owned(),
                ));
            }
        };
        Ok(JournalInput {
            title: self.title,
            body: self.body,
            about,
            visibility,
        })
    }
}

/// Your journal, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/journal",
    operation_id = "listJournal",
    tag = "sharing",
    responses(
        (status = 200, description = "Your posts", body = Vec<PostDto>),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
    )
)]
pub async fn list_posts(
    State(state): State<AppState>,
    who: TokenUser,
) -> Result<Json<Vec<PostDto>>, ApiError> {
    let posts = state.store.journal_of(who.user.id).await?;
    Ok(Json(posts.iter().map(PostDto::new).collect()))
}

/// Writes a journal post.
#[utoipa::path(
    post,
    path = "/api/v1/journal",
    operation_id = "createPost",
    tag = "sharing",
    request_body = PostRequest,
    responses(
        (status = 201, description = "Written", body = PostDto,
            headers(("Location" = String, description = "The new post's address"))),
        (status = 400, description = "What to fix in the body", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 422, description = "A title missing or too long, a body too long, or an item not of your follows", body = ErrorBody),
        (status = 429, description = "Too many posts for now", body = ErrorBody),
    )
)]
pub async fn create_post(
    State(state): State<AppState>,
    Writer(who): Writer,
    ApiJson(body): ApiJson<PostRequest>,
) -> Result<Response, ApiError> {
    let input = body.input()?;
    let store = state.store.as_ref();
    let post = write_post(store, &state.curricula, &who.user, input, Timestamp::now()).await?;
    let location = format!("/api/v1/journal/{}", post.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(PostDto::new(&post)),
    )
        .into_response())
}

/// A journal post, yours or another learner's that you may see.
#[utoipa::path(
    get,
    path = "/api/v1/journal/{id}",
    operation_id = "getPost",
    tag = "sharing",
    params(("id" = String, Path, description = "The post's id")),
    responses(
        (status = 200, description = "The post", body = PostDto),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 404, description = "No such post, or not one you may see", body = ErrorBody),
    )
)]
pub async fn get_post(
    State(state): State<AppState>,
    who: TokenUser,
    ApiId(id): ApiId,
) -> Result<Json<PostDto>, ApiError> {
    let store = state.store.as_ref();
    let shown = visible_post(store, &state.curricula, Some(&who.user), JournalPostId(id)).await?;
    let mut dto = PostDto::new(&shown.post);
    if shown.author.id != who.user.id {
        // Another learner's follow ids are theirs.
        dto.follow_id = None;
        dto.item_id = None;
    }
    Ok(Json(dto))
}

/// Replaces a post's content.
#[utoipa::path(
    put,
    path = "/api/v1/journal/{id}",
    operation_id = "updatePost",
    tag = "sharing",
    params(("id" = String, Path, description = "The post's id")),
    request_body = PostRequest,
    responses(
        (status = 200, description = "Saved", body = PostDto),
        (status = 400, description = "What to fix in the body", body = ErrorBody),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such post of yours", body = ErrorBody),
        (status = 422, description = "A title missing or too long, a body too long, or an item not of your follows", body = ErrorBody),
        (status = 429, description = "Too many posts for now", body = ErrorBody),
    )
)]
pub async fn update_post(
    State(state): State<AppState>,
    Writer(who): Writer,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<PostRequest>,
) -> Result<Json<PostDto>, ApiError> {
    let input = body.input()?;
    let store = state.store.as_ref();
    let id = JournalPostId(id);
    edit_post(
        store,
        &state.curricula,
        &who.user,
        id,
        input,
        Timestamp::now(),
    )
    .await?;
    let post = store.journal_post(id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(PostDto::new(&post)))
}

/// Deletes one of your posts.
#[utoipa::path(
    delete,
    path = "/api/v1/journal/{id}",
    operation_id = "deletePost",
    tag = "sharing",
    params(("id" = String, Path, description = "The post's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No token, or not a valid one", body = ErrorBody),
        (status = 403, description = "A read-only token", body = ErrorBody),
        (status = 404, description = "No such post of yours", body = ErrorBody),
    )
)]
pub async fn delete_one(
    State(state): State<AppState>,
    Writer(who): Writer,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    delete_post(state.store.as_ref(), &who.user, JournalPostId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
