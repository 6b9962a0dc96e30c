//! "What have you already done?": asked on the day a learner follows a curriculum they began
//! before, so that their plan starts from where they are instead of declaring them behind.
//! The rules are `core::follow::record_done_already`'s; this page only asks and translates.

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::follow::{DoneAlreadyError, asks_done_already, record_done_already};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;

use super::{FollowRoute, load_followed, status_heading, today};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::error::PageError;
use crate::page::{Layout, capitalise};

struct PhaseItems {
    title: String,
    items: Vec<ItemChoice>,
}

struct ItemChoice {
    id: String,
    title: String,
    kind: &'static str,
    hours: String,
    /// Already done on the board: shown ticked and fixed.
    done: bool,
    status: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "follows/done_before.html")]
pub struct DoneBeforePage {
    layout: Layout,
    follow_id: i64,
    title: String,
    /// The day the learner said they began, when they said one.
    since: Option<String>,
    phases: Vec<PhaseItems>,
    /// Why the question is no longer asked, instead of the form.
    closed: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SinceQuery {
    since: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    route: FollowRoute,
    Query(query): Query<SinceQuery>,
) -> Result<DoneBeforePage, PageError> {
    let followed = load_followed(&state, &route.who, route.id).await?;
    let since = query
        .since
        .and_then(|s| s.parse::<Date>().ok())
        .map(|d| d.to_string());
    let closed = (!asks_done_already(&followed, &route.who.user, today(&route.who)))
        .then(|| capitalise(&DoneAlreadyError::TooLate.to_string()));
    let weekly = followed.curriculum.hours_per_week;
    let phases = followed
        .curriculum
        .phases
        .iter()
        .map(|phase| PhaseItems {
            title: phase.title.clone(),
            items: phase
                .items
                .iter()
                .map(|item| {
                    let status = followed.status(&item.id);
                    ItemChoice {
                        id: item.id.as_str().to_owned(),
                        title: item.title.clone(),
                        kind: item.kind.as_str(),
                        hours: item.planned(weekly).to_string(),
                        done: status == autodidact_core::store::ItemStatus::Done,
                        status: status_heading(status),
                    }
                })
                .collect(),
        })
        .collect();
    Ok(DoneBeforePage {
        layout: Layout::signed_in(
            format!("Already done: {}", followed.record.title),
            &route.who,
        ),
        follow_id: route.id.0,
        title: followed.record.title,
        since,
        phases,
        closed,
        error: None,
    })
}

/// Records the ticked items: the form's `item` fields, one per box.
pub async fn record(
    State(state): State<AppState>,
    route: FollowRoute,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let items: Vec<String> = fields
        .into_iter()
        .filter(|(name, _)| name == "item")
        .map(|(_, value)| value)
        .collect();
    if items.len() > 2_000 {
        return Err(PageError::BadRequest(
            "Tick at most 2,000 items at once.".to_owned(),
        ));
    }
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    let now = Timestamp::now();
    match record_done_already(store, cache, &route.who.user, route.id, &items, now).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/follows/{}?saved=done-before", route.id.0)).into_response())
        }
        Err(DoneAlreadyError::Follow(e)) => Err(e.into()),
        Err(e @ (DoneAlreadyError::UnknownItem(_) | DoneAlreadyError::TooLate)) => {
            Err(PageError::BadRequest(capitalise(&e.to_string())))
        }
    }
}
