//! Suggesting item changes to the source: the copy's owner picks an item that differs and
//! sends it with a note; the source's author answers on their curriculum's page.

use autodidact_core::curriculum::ItemId;
use autodidact_core::store::SuggestionId;
use autodidact_core::upstream::{SuggestError, answer_suggestion, suggest_item, suggestable_items};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use serde::Deserialize;

use super::views::{SuggestPage, SuggestRow, fields_words};
use crate::app::AppState;
use crate::auth::SignedIn;
use crate::auth::csrf::CsrfForm;
use crate::curricula::{IdPath, parse_id};
use crate::error::PageError;
use crate::page::{Layout, capitalise};

#[derive(Debug, Deserialize)]
pub struct SentQuery {
    sent: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SuggestForm {
    #[serde(default)]
    item: String,
    #[serde(default)]
    note: String,
}

async fn render(
    state: &AppState,
    who: &SignedIn,
    raw_id: &str,
    notice: Option<String>,
    error: Option<String>,
) -> Result<Response, PageError> {
    let id = parse_id(raw_id)?;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    // Nothing to suggest to is said on the page, with the way back.
    let (items, error) = match suggestable_items(state.store.as_ref(), &who.user, id).await {
        Ok(items) => (items, error),
        Err(e @ (SuggestError::NotACopy | SuggestError::SourceGone)) => {
            (Vec::new(), Some(capitalise(&e.to_string())))
        }
        Err(e) => return Err(e.into()),
    };
    let page = SuggestPage {
        layout: Layout::signed_in("Suggest changes to the source", who),
        url: format!("/curricula/{}", id.0),
        rows: items
            .iter()
            .map(|i| SuggestRow {
                id: i.id.to_string(),
                title: i.title.clone(),
                what: if i.new_item {
                    "a new item".to_owned()
                } else {
                    fields_words(&i.changes)
                },
            })
            .collect(),
        notice,
        error,
    };
    Ok((status, page).into_response())
}

pub async fn suggest_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(path): Path<IdPath>,
    Query(query): Query<SentQuery>,
) -> Result<Response, PageError> {
    let notice = query
        .sent
        .map(|item| format!("Sent: “{item}” is waiting for the source's author."));
    render(&state, &who, &path.id, notice, None).await
}

pub async fn suggest(
    State(state): State<AppState>,
    who: SignedIn,
    Path(path): Path<IdPath>,
    CsrfForm(form): CsrfForm<SuggestForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&path.id)?;
    let Ok(item) = ItemId::parse(form.item.trim()) else {
        let error = "Pick an item of your copy to suggest.".to_owned();
        return render(&state, &who, &path.id, None, Some(error)).await;
    };
    match suggest_item(
        state.store.as_ref(),
        &who.user,
        id,
        &item,
        &form.note,
        Timestamp::now(),
    )
    .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/curricula/{}/suggest?sent={item}", id.0)).into_response())
        }
        Err(
            e @ (SuggestError::NoSuchItem(_) | SuggestError::NoteTooLong | SuggestError::Unchanged),
        ) => {
            render(
                &state,
                &who,
                &path.id,
                None,
                Some(capitalise(&e.to_string())),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct AnswerPath {
    id: String,
    sid: String,
}

async fn answer(
    state: &AppState,
    who: &SignedIn,
    path: &AnswerPath,
    accept: bool,
) -> Result<Response, PageError> {
    let id = parse_id(&path.id)?;
    let sid = path
        .sid
        .parse::<i64>()
        .map(SuggestionId)
        .map_err(|_| PageError::NotFound)?;
    answer_suggestion(
        state.store.as_ref(),
        &who.user,
        sid,
        accept,
        Timestamp::now(),
    )
    .await?;
    Ok(Redirect::to(&format!("/curricula/{}#suggestions", id.0)).into_response())
}

pub async fn accept(
    State(state): State<AppState>,
    who: SignedIn,
    Path(path): Path<AnswerPath>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    answer(&state, &who, &path, true).await
}

pub async fn decline(
    State(state): State<AppState>,
    who: SignedIn,
    Path(path): Path<AnswerPath>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    answer(&state, &who, &path, false).await
}
