//! Following a curriculum: the dated plan (a timeline and a table), its settings and breaks,
//! the private calendar feed, the board of item states, and each item's notes and evidence.
//!
//! Everything under `/follows/{id}` belongs to the follow's owner alone: anyone else, signed in
//! or not, gets the same 404 whether or not the follow exists, on reads and writes alike, and
//! the store re-checks ownership on every write. The calendar feed is the one exception: it is
//! read with its own secret token, for calendar programs that hold no session.

mod board;
mod calendar;
mod done_before;
mod following;
pub(crate) mod items;
mod plan;
mod plan_page;
mod timeline;

use autodidact_core::curriculum::ItemId;
use autodidact_core::store::{FollowId, ItemStatus};
use axum::Router;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::routing::{get, post};

use crate::app::AppState;
use crate::auth::{SignedIn, Viewer};
use crate::error::PageError;

// The pages here use `load_followed`, so that a plan that cannot be made is shown in place,
// next to the settings that fix it. The dashboard reads every follow at once and builds
// `Followed` itself from a curriculum it parses once.
pub use plan::{FollowToday, Followed, follow_today, load_checked, load_followed};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/curricula/{id}/follow",
            get(following::follow_page).post(following::follow),
        )
        .route("/follows", get(following::list))
        .route("/follows/{id}", get(plan_page::show))
        .route("/follows/{id}/plan", post(plan_page::change_plan))
        .route(
            "/follows/{id}/done-before",
            get(done_before::show).post(done_before::record),
        )
        .route("/follows/{id}/breaks", post(plan_page::add_break))
        .route("/follows/{id}/breaks/remove", post(plan_page::remove_break))
        .route(
            "/follows/{id}/unfollow",
            get(following::unfollow_page).post(following::unfollow),
        )
        .route("/follows/{id}/calendar", post(calendar::create))
        .route("/follows/{id}/calendar/revoke", post(calendar::revoke))
        .route("/calendar/{file}", get(calendar::feed))
        .route("/follows/{id}/board", get(board::show))
        .route("/follows/{id}/items/{item_id}", get(items::show))
        .route(
            "/follows/{id}/items/{item_id}/status",
            post(board::set_status),
        )
        .route(
            "/follows/{id}/items/{item_id}/notes",
            post(items::save_notes),
        )
        .route(
            "/follows/{id}/items/{item_id}/tasks/{n}",
            post(items::tick_task),
        )
        .route(
            "/follows/{id}/items/{item_id}/evidence",
            post(items::add_evidence),
        )
        .route(
            "/follows/{id}/items/{item_id}/evidence/{evidence_id}/remove",
            post(items::remove_evidence),
        )
}

/// A request for one of the viewer's follows: the signed-in viewer and the follow id from the
/// path. Anyone not signed in gets 404 rather than a sign-in page, like anyone who is not the
/// owner, so a follow's address reveals nothing. Ownership itself is checked when the follow
/// is loaded ([`load_followed`]) and again by the store on every write.
#[derive(Debug)]
pub struct FollowRoute {
    pub who: SignedIn,
    pub id: FollowId,
    /// The `{item_id}` segment, when the route has one and it is a well-formed id.
    pub item: Option<ItemId>,
    /// The `{evidence_id}` segment, when the route has one.
    pub evidence: Option<i64>,
}

impl FromRequestParts<AppState> for FollowRoute {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| PageError::NotFound)?;
        let param = |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| v);
        let id = param("id")
            .and_then(|v| v.parse().ok())
            .map(FollowId)
            .ok_or(PageError::NotFound)?;
        // A route with an `{item_id}` or `{evidence_id}` segment that does not parse is 404.
        let item = param("item_id")
            .map(|v| ItemId::parse(v).map_err(|_| PageError::NotFound))
            .transpose()?;
        let evidence = param("evidence_id")
            .map(|v| v.parse::<i64>().map_err(|_| PageError::NotFound))
            .transpose()?;
        let Viewer(viewer) = Viewer::from_request_parts(parts, state).await?;
        let who = viewer.ok_or(PageError::NotFound)?;
        Ok(FollowRoute {
            who,
            id,
            item,
            evidence,
        })
    }
}

impl FollowRoute {
    /// The item of an `/items/{item_id}` route.
    pub fn item(&self) -> Result<&ItemId, PageError> {
        self.item.as_ref().ok_or(PageError::NotFound)
    }
}

/// Whether the request came from the page's script, which wants data rather than a redirect.
pub fn wants_json(headers: &HeaderMap) -> bool {
    let fetch = headers
        .get("x-requested-with")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"fetch"));
    let json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    fetch || json
}

/// How a status reads in a sentence and in a column heading.
pub fn status_heading(status: ItemStatus) -> &'static str {
    match status {
        ItemStatus::Todo => "To do",
        ItemStatus::Doing => "Doing",
        ItemStatus::Done => "Done",
        ItemStatus::Skipped => "Skipped",
    }
}

/// Today in the learner's time zone: the default start of a plan and the timeline's marker.
pub fn today(who: &SignedIn) -> jiff::civil::Date {
    who.user.today(jiff::Timestamp::now())
}
