//! The timer's pages: start (from the quick log, on its item), stop (which logs the time) and
//! discard. The rules are `core::timer`'s; these handlers only translate.

use autodidact_core::logs::{ItemTarget, LogServiceError, parse_kind};
use autodidact_core::timer::{TimerServiceError, discard_timer, start_timer, stop_timer};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use serde::Deserialize;

use super::pages::back_to;
use crate::app::AppState;
use crate::auth::SignedIn;
use crate::auth::csrf::CsrfForm;
use crate::error::PageError;
use crate::page::capitalise;

/// The quick log's fields the timer reads (the rest are ignored).
#[derive(Debug, Default, Deserialize)]
pub struct TimerForm {
    #[serde(default)]
    item: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    return_to: String,
    /// `1`: mark the item done with the log, when stopping.
    #[serde(default)]
    done: String,
}

fn refused(e: TimerServiceError) -> PageError {
    match e {
        TimerServiceError::Store(e) => e.into(),
        TimerServiceError::Log(LogServiceError::Store(e)) => e.into(),
        other => PageError::BadRequest(capitalise(&other.to_string())),
    }
}

pub async fn start(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<TimerForm>,
) -> Result<Response, PageError> {
    let target = ItemTarget::from_choice(&form.item)
        .map_err(|e| PageError::BadRequest(capitalise(&e.to_string())))?;
    let kind = if form.kind.trim().is_empty() {
        autodidact_core::store::LogKind::Learn
    } else {
        parse_kind(&form.kind).map_err(|e| PageError::BadRequest(capitalise(&e.to_string())))?
    };
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    start_timer(store, cache, &who.user, target, kind, Timestamp::now())
        .await
        .map_err(refused)?;
    let back = back_to(&form.return_to, &headers, state.config.origin());
    Ok(Redirect::to(&format!("{back}#timer")).into_response())
}

pub async fn stop(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<TimerForm>,
) -> Result<Response, PageError> {
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    let stopped = stop_timer(store, cache, &who.user, form.done == "1", Timestamp::now())
        .await
        .map_err(refused)?;
    let back = back_to(&form.return_to, &headers, state.config.origin());
    let anchor = if stopped.recorded.is_some() {
        "logged"
    } else {
        "timer-short"
    };
    Ok(Redirect::to(&format!("{back}#{anchor}")).into_response())
}

pub async fn discard(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<TimerForm>,
) -> Result<Response, PageError> {
    discard_timer(state.store.as_ref(), &who.user)
        .await
        .map_err(refused)?;
    let back = back_to(&form.return_to, &headers, state.config.origin());
    Ok(Redirect::to(&format!("{back}#timer")).into_response())
}
