//! The owner's changes to a curriculum as a whole: title and description, phases (add, edit,
//! remove, move), visibility, and deleting it.

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::curriculum::Curriculum;
use autodidact_core::store::Visibility;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::IdPath;
use super::access::{Owned, load_owned, page_url, save};
use super::changes::{self, Direction};
use super::forms::{DetailsForm, FormErrors, PhaseForm, check};
use crate::app::AppState;
use crate::auth::Viewer;
use crate::auth::csrf::CsrfForm;
use crate::error::PageError;
use crate::page::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/curricula/{id}/edit", get(details_page).post(save_details))
        .route("/curricula/{id}/phases/new", get(new_phase_page))
        .route("/curricula/{id}/phases", post(add_phase))
        .route(
            "/curricula/{id}/phases/{phase}/edit",
            get(phase_page).post(save_phase),
        )
        .route("/curricula/{id}/phases/{phase}/remove", post(remove_phase))
        .route("/curricula/{id}/phases/{phase}/move", post(move_phase))
        .route("/curricula/{id}/visibility", post(set_visibility))
        .route("/curricula/{id}/delete", get(delete_page).post(delete))
}

#[derive(Debug, Deserialize)]
pub struct PhasePath {
    id: String,
    phase: String,
}

/// A phase's number in a URL (from 1) as an index; anything else is not found.
fn phase_index(c: &Curriculum, raw: &str) -> Result<usize, PageError> {
    raw.parse::<usize>()
        .ok()
        .filter(|n| (1..=c.phases.len()).contains(n))
        .map(|n| n - 1)
        .ok_or(PageError::NotFound)
}

/// A button's direction.
#[derive(Debug, Deserialize)]
pub struct MoveForm {
    pub direction: Direction,
}

/// Validates and stores a change, then shows its place on the curriculum's page. Changes
/// from buttons (moves) cannot break a rule, so a refusal here is a bad request.
pub async fn save_change(
    state: &AppState,
    owned: &Owned,
    changed: Curriculum,
    anchor: &str,
) -> Result<Response, PageError> {
    let changed = check(changed, |_| None)
        .map_err(|e: FormErrors| PageError::BadRequest(e.general.join(" ")))?;
    save(state, owned, &changed).await?;
    let url = format!("{}#{anchor}", page_url(owned.record.id));
    Ok(Redirect::to(&url).into_response())
}

// ---------------------------------------------------------------------------------------------
// Title and description

#[derive(Template, WebTemplate)]
#[template(path = "curricula/details.html")]
struct DetailsPage {
    layout: Layout,
    back: String,
    form: DetailsForm,
    errors: FormErrors,
}

impl DetailsPage {
    fn new(owned: &Owned, form: DetailsForm, errors: FormErrors) -> Self {
        Self {
            layout: Layout::signed_in(format!("Edit “{}”", owned.curriculum.title), &owned.who),
            back: page_url(owned.record.id),
            form,
            errors,
        }
    }
}

async fn details_page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<IdPath>,
) -> Result<DetailsPage, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    let form = DetailsForm::of(&owned.curriculum);
    Ok(DetailsPage::new(&owned, form, FormErrors::default()))
}

async fn save_details(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<IdPath>,
    CsrfForm(form): CsrfForm<DetailsForm>,
) -> Result<Response, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    match form.apply(&owned.curriculum) {
        Ok(changed) => {
            save(&state, &owned, &changed).await?;
            Ok(Redirect::to(&page_url(owned.record.id)).into_response())
        }
        Err(errors) => {
            let page = DetailsPage::new(&owned, form, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Phases

#[derive(Template, WebTemplate)]
#[template(path = "curricula/phase.html")]
struct PhasePage {
    layout: Layout,
    back: String,
    curriculum_title: String,
    action: String,
    /// The phase's number when editing one; `None` when adding.
    number: Option<usize>,
    items: usize,
    form: PhaseForm,
    errors: FormErrors,
}

impl PhasePage {
    fn new(owned: &Owned, phase: Option<usize>, form: PhaseForm, errors: FormErrors) -> Self {
        let base = page_url(owned.record.id);
        let (title, action) = match phase {
            Some(p) => (
                format!("Edit phase {}", p + 1),
                format!("{base}/phases/{}/edit", p + 1),
            ),
            None => ("Add a phase".to_owned(), format!("{base}/phases")),
        };
        Self {
            layout: Layout::signed_in(title, &owned.who),
            back: base,
            curriculum_title: owned.curriculum.title.clone(),
            action,
            number: phase.map(|p| p + 1),
            items: phase.map_or(0, |p| owned.curriculum.phases[p].items.len()),
            form,
            errors,
        }
    }
}

async fn new_phase_page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<IdPath>,
) -> Result<PhasePage, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    Ok(PhasePage::new(
        &owned,
        None,
        PhaseForm::default(),
        FormErrors::default(),
    ))
}

async fn add_phase(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<IdPath>,
    CsrfForm(form): CsrfForm<PhaseForm>,
) -> Result<Response, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    match form.apply(&owned.curriculum, None) {
        Ok(changed) => {
            let anchor = format!("phase-{}", changed.phases.len());
            save(&state, &owned, &changed).await?;
            let url = format!("{}#{anchor}", page_url(owned.record.id));
            Ok(Redirect::to(&url).into_response())
        }
        Err(errors) => {
            let page = PhasePage::new(&owned, None, form, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn phase_page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<PhasePath>,
) -> Result<PhasePage, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    let phase = phase_index(&owned.curriculum, &path.phase)?;
    let form = PhaseForm::of(&owned.curriculum, phase);
    Ok(PhasePage::new(
        &owned,
        Some(phase),
        form,
        FormErrors::default(),
    ))
}

async fn save_phase(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<PhasePath>,
    CsrfForm(form): CsrfForm<PhaseForm>,
) -> Result<Response, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    let phase = phase_index(&owned.curriculum, &path.phase)?;
    match form.apply(&owned.curriculum, Some(phase)) {
        Ok(changed) => save_change(&state, &owned, changed, &format!("phase-{}", phase + 1)).await,
        Err(errors) => {
            let page = PhasePage::new(&owned, Some(phase), form, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn remove_phase(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<PhasePath>,
    CsrfForm(_): CsrfForm<IgnoredAny>,
) -> Result<Response, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    let phase = phase_index(&owned.curriculum, &path.phase)?;
    match changes::remove_phase(&owned.curriculum, phase) {
        Ok(changed) => save_change(&state, &owned, changed, "phases").await,
        Err(message) => {
            let mut errors = FormErrors::default();
            errors.field("remove", message);
            let form = PhaseForm::of(&owned.curriculum, phase);
            let page = PhasePage::new(&owned, Some(phase), form, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn move_phase(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<PhasePath>,
    CsrfForm(form): CsrfForm<MoveForm>,
) -> Result<Response, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    let phase = phase_index(&owned.curriculum, &path.phase)?;
    let changed = changes::move_phase(&owned.curriculum, phase, form.direction);
    let now_at = match form.direction {
        Direction::Up => phase.max(1),
        Direction::Down => (phase + 2).min(changed.phases.len()),
    };
    save_change(&state, &owned, changed, &format!("phase-{now_at}")).await
}

// ---------------------------------------------------------------------------------------------
// Visibility and deletion

#[derive(Debug, Deserialize)]
struct VisibilityForm {
    #[serde(default)]
    visibility: String,
}

async fn set_visibility(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<IdPath>,
    CsrfForm(form): CsrfForm<VisibilityForm>,
) -> Result<Response, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    let visibility = Visibility::parse(&form.visibility)
        .ok_or_else(|| PageError::BadRequest("Choose private, unlisted or public.".to_owned()))?;
    state
        .store
        .set_curriculum_visibility(
            owned.record.id,
            owned.who.user.id,
            visibility,
            Timestamp::now(),
        )
        .await?;
    Ok(Redirect::to(&page_url(owned.record.id)).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "curricula/delete.html")]
struct DeletePage {
    layout: Layout,
    back: String,
    title: String,
    items: usize,
    shared: bool,
}

async fn delete_page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<IdPath>,
) -> Result<DeletePage, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    Ok(DeletePage {
        layout: Layout::signed_in(format!("Delete “{}”?", owned.curriculum.title), &owned.who),
        back: page_url(owned.record.id),
        title: owned.curriculum.title.clone(),
        items: owned.curriculum.items().count(),
        shared: owned.record.visibility != Visibility::Private,
    })
}

async fn delete(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<IdPath>,
    CsrfForm(_): CsrfForm<IgnoredAny>,
) -> Result<Response, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    state
        .store
        .delete_curriculum(owned.record.id, owned.who.user.id)
        .await?;
    Ok(Redirect::to("/curricula").into_response())
}
