//! The explore page: reads the query, asks the core for the page and renders it.

use autodidact_core::explore::{RawQuery, explore, parse_query};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::views::{ExplorePage, Row, kind_choices, page_url, sort_choices};
use crate::app::AppState;
use crate::auth::Viewer;
use crate::error::PageError;
use crate::home::template_cards;
use crate::page::{Layout, capitalise};

/// `/explore`, for anyone: a query that cannot be read is shown back with what to fix (400),
/// never guessed at.
pub async fn explore_page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Query(raw): Query<RawQuery>,
) -> Result<Response, PageError> {
    let layout = match &viewer {
        Some(who) => Layout::signed_in("Explore curricula", who),
        None => Layout::bare("Explore curricula"),
    };
    let mut page = ExplorePage {
        layout,
        q: raw.q.trim().to_owned(),
        skill: raw.skill.trim().to_owned(),
        min_hours: raw.min_hours.trim().to_owned(),
        max_hours: raw.max_hours.trim().to_owned(),
        max_weekly: raw.max_weekly.trim().to_owned(),
        kinds: kind_choices(None),
        sorts: sort_choices(Default::default()),
        problems: Vec::new(),
        rows: Vec::new(),
        page: 1,
        previous: None,
        next: None,
        filtered: false,
        templates: template_cards(),
    };
    let query = match parse_query(&raw) {
        Ok(query) => query,
        Err(problems) => {
            page.problems = problems
                .iter()
                .map(|p| capitalise(&p.to_string()))
                .collect();
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
    };
    page.kinds = kind_choices(query.kind);
    page.sorts = sort_choices(query.sort);
    page.filtered = !query.words.is_empty()
        || query.skill.is_some()
        || query.kind.is_some()
        || query.min_hours.is_some()
        || query.max_hours.is_some()
        || query.max_weekly.is_some();
    let listed = explore(state.store.as_ref(), query).await?;
    page.page = listed.query.page;
    page.previous = (listed.query.page > 1).then(|| page_url(&listed.query, listed.query.page - 1));
    page.next = listed
        .more
        .then(|| page_url(&listed.query, listed.query.page + 1));
    page.rows = listed.entries.iter().map(Row::new).collect();
    Ok(page.into_response())
}
