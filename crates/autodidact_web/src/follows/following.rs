//! Starting and stopping: the follow form, the list of follows and unfollowing.

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::curricula::visible_curriculum;
use autodidact_core::curriculum::Curriculum;
use autodidact_core::follow::{FollowCurriculumError, existing_follow, follow_curriculum};
use autodidact_core::store::{CurriculumId, CurriculumRecord, FollowId};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use serde::Deserialize;

use super::plan::{
    PlanSettings, budget_field, budget_words, check_plan, is_finished, parse_breaks, parse_budget,
    parse_curriculum, parse_start,
};
use super::{FollowRoute, load_followed, today};
use crate::app::AppState;
use crate::auth::SignedIn;
use crate::auth::csrf::CsrfForm;
use crate::error::PageError;
use crate::insight::words::day_words;
use crate::page::{FieldErrors, Layout};

// ---------------------------------------------------------------------------------------------
// Following

#[derive(Debug, Default, Clone, Deserialize)]
pub struct FollowForm {
    #[serde(default)]
    hours_per_week: String,
    #[serde(default)]
    per_weekday: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    breaks: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "follows/follow.html")]
pub struct FollowPage {
    layout: Layout,
    curriculum_id: i64,
    title: String,
    items: usize,
    hours: String,
    form: FollowForm,
    errors: FieldErrors,
    /// The viewer's follow of this curriculum, if they already follow it.
    existing: Option<i64>,
}

impl FollowPage {
    fn new(who: &SignedIn, record: &CurriculumRecord, c: &Curriculum, form: FollowForm) -> Self {
        Self {
            layout: Layout::signed_in(format!("Follow {}", record.title), who),
            curriculum_id: record.id.0,
            title: record.title.clone(),
            items: c.items().count(),
            hours: c.total_planned().to_string(),
            form,
            errors: FieldErrors::default(),
            existing: None,
        }
    }
}

/// A curriculum the viewer may see (their own, or unlisted or public), with its model.
async fn visible(
    state: &AppState,
    who: &SignedIn,
    raw_id: &str,
) -> Result<(CurriculumRecord, std::sync::Arc<Curriculum>), PageError> {
    let id = raw_id
        .parse()
        .map(CurriculumId)
        .map_err(|_| PageError::NotFound)?;
    let record = visible_curriculum(state.store.as_ref(), Some(who.user.id), id).await?;
    let curriculum = parse_curriculum(state, &record)?;
    Ok((record, curriculum))
}

/// The viewer's follow of this curriculum, or of their copy of it.
async fn existing(
    state: &AppState,
    who: &SignedIn,
    curriculum: CurriculumId,
) -> Result<Option<i64>, PageError> {
    let found = existing_follow(state.store.as_ref(), who.user.id, curriculum).await?;
    Ok(found.map(|f| f.0))
}

pub async fn follow_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<FollowPage, PageError> {
    let (record, curriculum) = visible(&state, &who, &id).await?;
    let suggested = curriculum.hours_per_week.map_or(10.0, |m| m.hours());
    let form = FollowForm {
        hours_per_week: format!("{suggested}"),
        start: today(&who).to_string(),
        ..FollowForm::default()
    };
    let mut page = FollowPage::new(&who, &record, &curriculum, form);
    page.existing = existing(&state, &who, record.id).await?;
    Ok(page)
}

pub async fn follow(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<FollowForm>,
) -> Result<Response, PageError> {
    let (record, curriculum) = visible(&state, &who, &id).await?;
    let mut errors = FieldErrors::default();
    let refused = |errors, existing| {
        let mut page = FollowPage::new(&who, &record, &curriculum, form.clone());
        page.errors = errors;
        page.existing = existing;
        page
    };
    let Some(settings) = settings_of(&mut errors, &form) else {
        let page = refused(errors, None);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    let now = Timestamp::now();
    match follow_curriculum(store, cache, &who.user, record.id, &settings, now).await {
        // Started before today: ask what is already done before showing the plan.
        Ok(follow) if settings.start < who.user.today(now) => Ok(Redirect::to(&format!(
            "/follows/{}/done-before?since={}",
            follow.id.0, settings.start
        ))
        .into_response()),
        Ok(follow) => Ok(Redirect::to(&format!("/follows/{}", follow.id.0)).into_response()),
        Err(FollowCurriculumError::AlreadyFollowing(existing)) => {
            let page = refused(errors, Some(existing.0));
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(FollowCurriculumError::Plan(e)) => {
            check_plan(
                &mut errors,
                (budget_field(&settings.budget), "breaks"),
                Err(e),
            );
            let page = refused(errors, None);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The form's settings, each problem next to its field; the service checks that they plan.
fn settings_of(errors: &mut FieldErrors, form: &FollowForm) -> Option<PlanSettings> {
    let budget = parse_budget(errors, &form.hours_per_week, &form.per_weekday);
    let start = parse_start(errors, &form.start);
    let breaks = parse_breaks(errors, "breaks", &form.breaks);
    Some(PlanSettings::new(budget?, start?, breaks?))
}

// ---------------------------------------------------------------------------------------------
// The list

struct FollowRow {
    id: i64,
    title: String,
    start: String,
    budget: String,
    finished: usize,
    items: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "follows/list.html")]
pub struct ListPage {
    layout: Layout,
    follows: Vec<FollowRow>,
    notice: Option<&'static str>,
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    unfollowed: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, PageError> {
    let mut follows = Vec::new();
    for follow in state.store.follows_of(who.user.id).await? {
        follows.push(follow_row(&state, &who, follow.id).await?);
    }
    Ok(ListPage {
        layout: Layout::signed_in("Your plans", &who),
        follows,
        notice: query
            .unfollowed
            .map(|_| "You no longer follow that curriculum."),
    })
}

async fn follow_row(
    state: &AppState,
    who: &SignedIn,
    id: FollowId,
) -> Result<FollowRow, PageError> {
    let followed = load_followed(state, who, id).await?;
    let budget = budget_words(&followed.follow.budget);
    let finished = followed
        .curriculum
        .items()
        .filter(|i| is_finished(followed.status(&i.id)))
        .count();
    Ok(FollowRow {
        id: id.0,
        title: followed.record.title.clone(),
        start: day_words(followed.follow.start, super::today(who)),
        budget,
        finished,
        items: followed.curriculum.items().count(),
    })
}

// ---------------------------------------------------------------------------------------------
// Unfollowing

#[derive(Template, WebTemplate)]
#[template(path = "follows/unfollow.html")]
pub struct UnfollowPage {
    layout: Layout,
    follow_id: i64,
    title: String,
}

pub async fn unfollow_page(
    State(state): State<AppState>,
    route: FollowRoute,
) -> Result<UnfollowPage, PageError> {
    let followed = load_followed(&state, &route.who, route.id).await?;
    let title = followed.record.title;
    Ok(UnfollowPage {
        layout: Layout::signed_in(format!("Unfollow {title}"), &route.who),
        follow_id: route.id.0,
        title,
    })
}

pub async fn unfollow(
    State(state): State<AppState>,
    route: FollowRoute,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    // The store deletes only the owner's follow; anyone else's id is NotFound, so 404.
    state
        .store
        .delete_follow(route.id, route.who.user.id)
        .await?;
    Ok(Redirect::to("/follows?unfollowed=1").into_response())
}
