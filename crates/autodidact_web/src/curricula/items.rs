//! The owner's changes to items: add, edit (every field, and its phase), remove, move.

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::curriculum::{Effort, ItemKind};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::access::{Owned, load_owned, page_url, save};
use super::changes::{self, position};
use super::edit::{MoveForm, save_change};
use super::forms::{Fields, FormErrors, ItemForm, ItemSlot};
use super::view::effort_words;
use super::{Choice, IdPath};
use crate::app::AppState;
use crate::auth::Viewer;
use crate::auth::csrf::CsrfForm;
use crate::error::PageError;
use crate::page::Layout;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/curricula/{id}/items/new", get(new_item_page))
        .route("/curricula/{id}/items", post(add_item))
        .route(
            "/curricula/{id}/items/{item}/edit",
            get(item_page).post(save_item),
        )
        .route("/curricula/{id}/items/{item}/remove", post(remove_item))
        .route("/curricula/{id}/items/{item}/move", post(move_item))
}

#[derive(Debug, Deserialize)]
struct ItemPath {
    id: String,
    item: String,
}

/// A checkbox for one of the other items, which this one may require.
struct PrerequisiteChoice {
    id: String,
    title: String,
    phase: String,
    checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "curricula/item.html")]
struct ItemPage {
    layout: Layout,
    back: String,
    curriculum_title: String,
    action: String,
    /// The remove button's target when editing an item.
    remove: Option<String>,
    form: ItemForm,
    kinds: Vec<Choice>,
    modes: Vec<Choice>,
    phases: Vec<Choice>,
    prerequisites: Vec<PrerequisiteChoice>,
    /// How an estimate in weeks reads now; the form edits hours only.
    weeks: Option<String>,
    errors: FormErrors,
}

fn choices(options: impl IntoIterator<Item = (String, String)>, selected: &str) -> Vec<Choice> {
    options
        .into_iter()
        .map(|(value, label)| Choice {
            selected: value == selected,
            value,
            label,
        })
        .collect()
}

impl ItemPage {
    fn new(owned: &Owned, slot: ItemSlot, form: ItemForm, errors: FormErrors) -> Self {
        let c = &owned.curriculum;
        let base = page_url(owned.record.id);
        let existing = match slot {
            ItemSlot::Existing { phase, index } => Some(&c.phases[phase].items[index]),
            ItemSlot::New => None,
        };
        let (title, action, remove) = match existing {
            Some(item) => (
                format!("Edit “{}”", item.title),
                format!("{base}/items/{}/edit", item.id),
                Some(format!("{base}/items/{}/remove", item.id)),
            ),
            None => ("Add an item".to_owned(), format!("{base}/items"), None),
        };
        let kinds = ItemKind::ALL.map(|k| {
            let mode = k.mode().as_str().replace('-', " ");
            (k.as_str().to_owned(), format!("{k} ({mode})"))
        });
        let modes = [
            ("", "Follow the kind"),
            ("taking-in", "Taking in"),
            ("making", "Making"),
        ]
        .map(|(v, l)| (v.to_owned(), l.to_owned()));
        let phases = c.phases.iter().enumerate().map(|(p, phase)| {
            let label = format!("{}. {}", p + 1, phase.title);
            ((p + 1).to_string(), label)
        });
        let prerequisites = c
            .items_with_phase()
            .filter(|(_, item)| existing.is_none_or(|e| e.id != item.id))
            .map(|(p, item)| PrerequisiteChoice {
                id: item.id.to_string(),
                title: item.title.clone(),
                phase: format!("{}. {}", p + 1, c.phases[p].title),
                checked: form.requires.iter().any(|r| r == item.id.as_str()),
            })
            .collect();
        let weeks = existing
            .filter(|item| matches!(item.effort, Effort::Weeks { .. }))
            .map(|item| effort_words(&item.effort, c.hours_per_week));
        Self {
            layout: Layout::signed_in(title, &owned.who),
            back: base,
            curriculum_title: c.title.clone(),
            action,
            remove,
            kinds: choices(kinds, &form.kind),
            modes: choices(modes, &form.mode),
            phases: choices(phases, &form.phase),
            prerequisites,
            weeks,
            form,
            errors,
        }
    }
}

/// The item named in the URL, or not found.
fn slot_of(owned: &Owned, raw: &str) -> Result<ItemSlot, PageError> {
    position(&owned.curriculum, raw)
        .map(|(phase, index)| ItemSlot::Existing { phase, index })
        .ok_or(PageError::NotFound)
}

/// Stores a valid form's curriculum, or shows the form again with its errors.
async fn save_form(
    state: &AppState,
    owned: &Owned,
    slot: ItemSlot,
    form: ItemForm,
) -> Result<Response, PageError> {
    match form.apply(&owned.curriculum, slot) {
        Ok(changed) => {
            save(state, owned, &changed).await?;
            let url = format!("{}#item-{}", page_url(owned.record.id), form.id.trim());
            Ok(Redirect::to(&url).into_response())
        }
        Err(errors) => {
            let page = ItemPage::new(owned, slot, form, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Debug, Deserialize)]
struct NewItemQuery {
    phase: Option<String>,
}

async fn new_item_page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<IdPath>,
    Query(query): Query<NewItemQuery>,
) -> Result<ItemPage, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    let phases = owned.curriculum.phases.len();
    let phase = query
        .phase
        .and_then(|p| p.parse::<usize>().ok())
        .filter(|n| (1..=phases).contains(n))
        .unwrap_or(phases);
    let form = ItemForm::blank(phase.saturating_sub(1));
    Ok(ItemPage::new(
        &owned,
        ItemSlot::New,
        form,
        FormErrors::default(),
    ))
}

async fn add_item(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<IdPath>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    let form = ItemForm::from_fields(&Fields(fields));
    save_form(&state, &owned, ItemSlot::New, form).await
}

async fn item_page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<ItemPath>,
) -> Result<ItemPage, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    let slot = slot_of(&owned, &path.item)?;
    let ItemSlot::Existing { phase, index } = slot else {
        return Err(PageError::NotFound);
    };
    let form = ItemForm::of(&owned.curriculum.phases[phase].items[index], phase);
    Ok(ItemPage::new(&owned, slot, form, FormErrors::default()))
}

async fn save_item(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<ItemPath>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    let slot = slot_of(&owned, &path.item)?;
    let form = ItemForm::from_fields(&Fields(fields));
    save_form(&state, &owned, slot, form).await
}

async fn remove_item(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<ItemPath>,
    CsrfForm(_): CsrfForm<IgnoredAny>,
) -> Result<Response, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    let at = position(&owned.curriculum, &path.item).ok_or(PageError::NotFound)?;
    match changes::remove_item(&owned.curriculum, at) {
        Ok(changed) => save_change(&state, &owned, changed, &format!("phase-{}", at.0 + 1)).await,
        Err(message) => {
            let mut errors = FormErrors::default();
            errors.field("remove", message);
            let item = &owned.curriculum.phases[at.0].items[at.1];
            let form = ItemForm::of(item, at.0);
            let slot = ItemSlot::Existing {
                phase: at.0,
                index: at.1,
            };
            let page = ItemPage::new(&owned, slot, form, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn move_item(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<ItemPath>,
    CsrfForm(form): CsrfForm<MoveForm>,
) -> Result<Response, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    let at = position(&owned.curriculum, &path.item).ok_or(PageError::NotFound)?;
    let changed = changes::move_item(&owned.curriculum, at, form.direction);
    save_change(&state, &owned, changed, &format!("item-{}", path.item)).await
}
