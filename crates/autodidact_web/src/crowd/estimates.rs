//! The crowd's hours in place of guesses: the owner of a curriculum sees, for each guessed or
//! missing estimate with crowd hours, the crowd's median and middle half (and that at their
//! own pace), takes the ones they choose into the plan, or switches them all off again.

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::crowd::{crowd_estimates, stop_crowd_estimates, use_crowd_estimates};
use autodidact_core::curriculum::{EstimateSource, ItemId};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::SignedIn;
use crate::auth::csrf::CsrfForm;
use crate::curricula::{IdPath, parse_id};
use crate::error::PageError;
use crate::page::Layout;

struct Row {
    id: String,
    title: String,
    /// "12 h (your guess)", "30 h (no estimate yet)", "25 h (crowd median)".
    now: String,
    on_crowd: bool,
    median: String,
    /// "18 h–33 h (9 learners)".
    middle: String,
    /// "22 h–40 h", at the learner's pace.
    yours: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "crowd/estimates.html")]
pub struct EstimatesPage {
    layout: Layout,
    url: String,
    title: String,
    rows: Vec<Row>,
    on_crowd: usize,
    /// "You take 125 % of estimates".
    factor: Option<String>,
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    taken: Option<usize>,
    off: Option<usize>,
}

pub async fn page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(path): Path<IdPath>,
    Query(query): Query<DoneQuery>,
) -> Result<EstimatesPage, PageError> {
    let id = parse_id(&path.id)?;
    let found = crowd_estimates(
        state.store.as_ref(),
        &state.curricula,
        &who.user,
        id,
        Timestamp::now(),
    )
    .await?;
    let rows = found
        .candidates
        .iter()
        .map(|c| Row {
            id: c.id.to_string(),
            title: c.title.clone(),
            now: format!(
                "{} ({})",
                c.planned,
                match c.source {
                    EstimateSource::Guess => "a guess",
                    EstimateSource::Missing => "no estimate yet",
                    EstimateSource::Crowd { .. } => "the crowd's median",
                    EstimateSource::Stated => "stated",
                }
            ),
            on_crowd: matches!(c.source, EstimateSource::Crowd { .. }),
            median: c.crowd.median.to_string(),
            middle: format!(
                "{}–{} ({} learners)",
                c.crowd.low, c.crowd.high, c.crowd.learners
            ),
            yours: c.at_your_pace.map(|(low, high)| format!("{low}–{high}")),
        })
        .collect();
    let notice = match (query.taken, query.off) {
        (Some(n), _) => Some(format!(
            "{n} {} now planned at the crowd's median.",
            if n == 1 { "item is" } else { "items are" }
        )),
        (_, Some(n)) => Some(format!(
            "{n} {} back on {} own figure.",
            if n == 1 { "item is" } else { "items are" },
            if n == 1 { "its" } else { "their" }
        )),
        _ => None,
    };
    Ok(EstimatesPage {
        layout: Layout::signed_in(format!("Crowd hours: {}", found.record.title), &who),
        url: format!("/curricula/{}", id.0),
        title: found.record.title.clone(),
        rows,
        on_crowd: found.on_crowd,
        factor: found
            .factor
            .map(|f| format!("you take {:.0} % of estimates", f * 100.0)),
        notice,
    })
}

/// Takes the crowd's median for the items ticked (`item` repeated).
pub async fn take(
    State(state): State<AppState>,
    who: SignedIn,
    Path(path): Path<IdPath>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = parse_id(&path.id)?;
    let items: Vec<ItemId> = pairs
        .iter()
        .filter(|(k, _)| k == "item")
        .filter_map(|(_, v)| ItemId::parse(v).ok())
        .collect();
    // Ownership first (the service's), so that a stranger learns nothing from the answer.
    let n = use_crowd_estimates(
        state.store.as_ref(),
        &who.user,
        id,
        &items,
        Timestamp::now(),
    )
    .await?;
    if items.is_empty() {
        return Err(PageError::BadRequest(
            "Tick the items to plan at the crowd's median.".to_owned(),
        ));
    }
    Ok(Redirect::to(&format!("/curricula/{}/crowd-hours?taken={n}", id.0)).into_response())
}

/// The off switch: every item on the crowd's figure goes back to its own.
pub async fn off(
    State(state): State<AppState>,
    who: SignedIn,
    Path(path): Path<IdPath>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    let id = parse_id(&path.id)?;
    let n = stop_crowd_estimates(state.store.as_ref(), &who.user, id, Timestamp::now()).await?;
    Ok(Redirect::to(&format!("/curricula/{}/crowd-hours?off={n}", id.0)).into_response())
}
