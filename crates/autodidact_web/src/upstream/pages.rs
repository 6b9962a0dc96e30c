//! The update's pages: the preview (with the default choices, or the learner's) and accepting
//! it. They translate to the core's `preview_upstream` and `accept_upstream`.

use std::collections::BTreeSet;

use autodidact_core::curriculum::ItemId;
use autodidact_core::upstream::{Decisions, UpstreamError, accept_upstream, preview_upstream};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;

use super::views::{NoUpdatePage, PreviewPage};
use crate::app::AppState;
use crate::auth::SignedIn;
use crate::auth::csrf::CsrfForm;
use crate::curricula::{IdPath, parse_id};
use crate::error::PageError;
use crate::page::{Layout, capitalise};

/// The learner's choices from the preview's form: `proposed` names every added item shown and
/// `add` the ones ticked; `c:KEY` is `theirs` for a conflict settled with the source's value.
/// Also the versions the preview was made at.
pub(crate) fn read_choices(pairs: &[(String, String)]) -> (Decisions, Option<(u32, u32)>) {
    fn values<'a>(pairs: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> {
        pairs
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    let proposed: BTreeSet<&str> = values(pairs, "proposed").collect();
    let added: BTreeSet<&str> = values(pairs, "add").collect();
    let leave_out = proposed
        .difference(&added)
        .filter_map(|id| ItemId::parse(id).ok())
        .collect();
    let take_theirs = pairs
        .iter()
        .filter(|(k, v)| k.starts_with("c:") && v == "theirs")
        .map(|(k, _)| k["c:".len()..].to_owned())
        .collect();
    let version = |name: &str| {
        values(pairs, name)
            .next()
            .and_then(|v| v.parse::<u32>().ok())
    };
    let versions = version("fork_version").zip(version("source_version"));
    (
        Decisions {
            leave_out,
            take_theirs,
        },
        versions,
    )
}

async fn render(
    state: &AppState,
    who: &SignedIn,
    raw_id: &str,
    decisions: &Decisions,
) -> Result<Response, PageError> {
    let id = parse_id(raw_id)?;
    let preview = match preview_upstream(
        state.store.as_ref(),
        &state.curricula,
        &who.user,
        id,
        decisions,
        Timestamp::now(),
    )
    .await
    {
        Ok(preview) => preview,
        // Nothing to preview is said on a page of its own, with the way back.
        Err(
            e @ (UpstreamError::NotACopy | UpstreamError::UpToDate | UpstreamError::SourceGone),
        ) => {
            let layout = Layout::signed_in("No update", who);
            return Ok(NoUpdatePage {
                layout,
                message: capitalise(&e.to_string()),
                url: format!("/curricula/{}", id.0),
            }
            .into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let layout = Layout::signed_in(format!("Update: {}", preview.fork.title), who);
    Ok(PreviewPage::new(layout, &preview).into_response())
}

pub async fn preview_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(path): Path<IdPath>,
) -> Result<Response, PageError> {
    render(&state, &who, &path.id, &Decisions::default()).await
}

/// The preview again with the learner's choices: nothing is stored.
pub async fn preview_with_choices(
    State(state): State<AppState>,
    who: SignedIn,
    Path(path): Path<IdPath>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (decisions, _) = read_choices(&pairs);
    render(&state, &who, &path.id, &decisions).await
}

pub async fn accept(
    State(state): State<AppState>,
    who: SignedIn,
    Path(path): Path<IdPath>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = parse_id(&path.id)?;
    let (decisions, versions) = read_choices(&pairs);
    // A form without the versions it was made at is as stale as one made at others: the
    // learner is asked to look again (and someone else's curriculum is not found first).
    let (fork_version, source_version) = versions.unwrap_or((0, 0));
    accept_upstream(
        state.store.as_ref(),
        &who.user,
        id,
        &decisions,
        fork_version,
        source_version,
        Timestamp::now(),
    )
    .await?;
    Ok(Redirect::to(&format!("/curricula/{}?synced=1", id.0)).into_response())
}
