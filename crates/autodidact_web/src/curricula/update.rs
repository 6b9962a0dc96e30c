//! "Update from a file": an edited TOML or a re-exported board uploaded onto the curriculum it
//! came from. The upload shows what it would change (`core::curricula::preview_update`); the
//! learner's yes applies it (`apply_update`), and the follows keep their board, notes,
//! evidence and logs, which name items by id.

use std::str::FromStr;

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::curricula::{UpdateError, UpdatePreview, apply_update, preview_update};
use autodidact_core::import::SourceFormat;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use serde::Deserialize;

use super::access::{Owned, load_owned, page_url};
use super::upload::{Upload, format_choices, limit_words, upload_limit};
use super::{Choice, IdPath};
use crate::app::AppState;
use crate::auth::Viewer;
use crate::auth::csrf::CsrfForm;
use crate::error::PageError;
use crate::page::{Layout, capitalise};

struct Line {
    title: String,
    detail: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "curricula/update.html")]
pub struct UpdatePage {
    layout: Layout,
    back: String,
    action: String,
    apply: String,
    title: String,
    formats: Vec<Choice>,
    limit: String,
    problem: Option<String>,
    /// The comparison, once a file is read.
    preview: Option<PreviewView>,
}

struct PreviewView {
    source: String,
    base: String,
    format: &'static str,
    title_change: Option<(String, String)>,
    added: Vec<Line>,
    removed: Vec<Line>,
    changed: Vec<Line>,
    hours: String,
    notes: Vec<String>,
}

impl UpdatePage {
    fn new(state: &AppState, owned: &Owned) -> Self {
        let id = owned.record.id.0;
        Self {
            layout: Layout::signed_in(
                format!("Update “{}” from a file", owned.curriculum.title),
                &owned.who,
            ),
            back: page_url(owned.record.id),
            action: format!("/curricula/{id}/update"),
            apply: format!("/curricula/{id}/update/apply"),
            title: owned.curriculum.title.clone(),
            formats: format_choices(""),
            limit: limit_words(&state.config),
            problem: None,
            preview: None,
        }
    }
}

fn preview_view(p: UpdatePreview) -> PreviewView {
    let d = p.diff;
    let delta = i64::from(d.hours_after.get()) - i64::from(d.hours_before.get());
    let sign = if delta >= 0 { "+" } else { "−" };
    PreviewView {
        source: p.source,
        base: p.base,
        format: p.format.as_str(),
        title_change: d.title,
        added: d
            .added
            .into_iter()
            .map(|i| Line {
                title: i.title,
                detail: i.minutes.to_string(),
            })
            .collect(),
        removed: d
            .removed
            .into_iter()
            .map(|i| Line {
                title: i.title,
                detail: i.minutes.to_string(),
            })
            .collect(),
        changed: d
            .changed
            .into_iter()
            .map(|i| Line {
                title: i.title,
                detail: i.changes.join(", "),
            })
            .collect(),
        hours: format!(
            "{} → {} ({sign}{})",
            d.hours_before,
            d.hours_after,
            autodidact_core::curriculum::Minutes::new(
                u32::try_from(delta.unsigned_abs()).unwrap_or(u32::MAX)
            )
        ),
        notes: p.notes.iter().map(|n| capitalise(n)).collect(),
    }
}

pub async fn page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<IdPath>,
) -> Result<UpdatePage, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    Ok(UpdatePage::new(&state, &owned))
}

/// Reads the upload and shows what it would change; nothing is stored.
pub async fn compare(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<IdPath>,
    upload: Result<Upload, PageError>,
) -> Result<Response, PageError> {
    // Whose curriculum it is comes first: to anyone else it does not exist, whatever they send.
    let owned = load_owned(&state, &path.id, viewer).await?;
    let upload = upload?;
    let mut page = UpdatePage::new(&state, &owned);
    page.formats = format_choices(&upload.format);
    let format = match upload.format.as_str() {
        "" => None,
        raw => match SourceFormat::from_str(raw) {
            Ok(f) => Some(f),
            Err(e) => {
                page.problem = Some(capitalise(&e.to_string()));
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
            }
        },
    };
    if upload.size > upload_limit(&state.config) {
        page.problem = Some(format!("The file is larger than {}.", page.limit));
        return Ok((StatusCode::PAYLOAD_TOO_LARGE, page).into_response());
    }
    let (store, owner, id) = (state.store.as_ref(), owned.who.user.id, owned.record.id);
    match preview_update(store, owner, id, &upload.bytes, format).await {
        Ok(preview) => {
            page.preview = Some(preview_view(preview));
            Ok(page.into_response())
        }
        Err(UpdateError::NotFound) => Err(PageError::NotFound),
        Err(e) => {
            page.problem = Some(capitalise(&e.to_string()));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    source: String,
    #[serde(default)]
    base: String,
}

/// The learner's yes: stores the new version if the curriculum is still the one compared.
pub async fn apply(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<IdPath>,
    CsrfForm(form): CsrfForm<ApplyForm>,
) -> Result<Response, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    let (store, owner, id) = (state.store.as_ref(), owned.who.user.id, owned.record.id);
    match apply_update(store, owner, id, &form.source, &form.base, Timestamp::now()).await {
        Ok(_) => Ok(Redirect::to(&format!("{}?updated", page_url(id))).into_response()),
        Err(UpdateError::NotFound) => Err(PageError::NotFound),
        Err(e) => {
            let mut page = UpdatePage::new(&state, &owned);
            page.problem = Some(capitalise(&e.to_string()));
            Ok((StatusCode::CONFLICT, page).into_response())
        }
    }
}
