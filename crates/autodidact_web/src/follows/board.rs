//! The board: every item as a card in one of four columns (to do, doing, done, skipped), and
//! moving a card, which is one form post. Without JavaScript the post redirects back; the
//! page's script sends the same form with `X-Requested-With: fetch` and gets JSON instead, so
//! it can move the card in place.
//!
//! Starting or finishing an item before its prerequisites is allowed (learners know when they
//! know enough), but warned about.

use askama::Template;
use autodidact_core::board::move_card;
use autodidact_core::curriculum::{Item, ItemId};
use autodidact_core::follow::LoggedByItem;
use autodidact_core::plan::Plan;
use autodidact_core::store::ItemStatus;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::plan::layout_for;
use super::{FollowRoute, FollowToday, Followed, follow_today, status_heading, wants_json};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::error::PageError;
use crate::insight::words::day_words;
use crate::memos::render;
use crate::page::Layout;

/// A prerequisite as a card shows it.
pub struct Prereq {
    pub id: String,
    pub title: String,
    pub status: &'static str,
}

struct Card {
    id: String,
    title: String,
    kind: &'static str,
    estimate: String,
    logged: String,
    /// Whether any time is logged on it (the compact card says so only then).
    logged_any: bool,
    planned: Option<String>,
    prereqs: Vec<Prereq>,
    status: &'static str,
    phase: usize,
}

/// One phase's cards within a column; every column has one per phase, empty ones hidden, so a
/// card moved in place lands in its phase.
struct PhaseGroup {
    number: usize,
    title: String,
    /// Shown open: every group but those of "To do" after its first with cards.
    open: bool,
    cards: Vec<Card>,
}

struct Column {
    status: &'static str,
    heading: &'static str,
    count: usize,
    groups: Vec<PhaseGroup>,
}

/// Every status with the words of the button that moves a card to it.
pub const MOVES: [(&str, &str); 4] = [
    ("todo", "to do"),
    ("doing", "doing"),
    ("done", "done"),
    ("skipped", "skipped"),
];

#[derive(Template)]
#[template(path = "follows/board.html")]
pub struct BoardPage {
    layout: Layout,
    follow_id: i64,
    title: String,
    columns: Vec<Column>,
    warning: Option<String>,
    moves: [(&'static str, &'static str); 4],
    /// The kinds and skills of the curriculum, for the filter, and the ones chosen.
    kinds: Vec<&'static str>,
    skills: Vec<String>,
    kind: String,
    skill: String,
    /// How many cards the filter hides.
    hidden: usize,
}

#[derive(Debug, Deserialize)]
pub struct WarnQuery {
    warn: Option<String>,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    skill: String,
}

pub async fn show(
    State(state): State<AppState>,
    route: FollowRoute,
    Query(query): Query<WarnQuery>,
) -> Result<Response, PageError> {
    let today = route.who.user.today(Timestamp::now());
    let looked = follow_today(&state, &route.who, route.id, today).await?;
    let page = board_page(&route, &looked.view, &query, today);
    render(&page, &state.memos.follow, &route.who.user, looked)
}

fn board_page(
    route: &FollowRoute,
    shown_today: &FollowToday,
    query: &WarnQuery,
    today: Date,
) -> BoardPage {
    let followed = &shown_today.followed;
    let logged = &shown_today.progress.logged;
    // The board works even when the settings give no plan; the cards then show no weeks.
    let plan = shown_today.plan.as_ref().ok();
    let (kind, skill) = (query.kind.trim(), query.skill.trim());
    let shown = |item: &Item| {
        (kind.is_empty() || item.kind.as_str() == kind)
            && (skill.is_empty() || item.skills.iter().any(|s| s == skill))
    };
    let mut kinds: Vec<&'static str> = followed
        .curriculum
        .items()
        .map(|i| i.kind.as_str())
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut skills: Vec<String> = followed
        .curriculum
        .items()
        .flat_map(|i| i.skills.iter().cloned())
        .collect();
    skills.sort_unstable();
    skills.dedup();
    let hidden = followed.curriculum.items().filter(|i| !shown(i)).count();
    let columns = ItemStatus::ALL
        .into_iter()
        .map(|status| {
            let mut seen_cards = false;
            let groups: Vec<PhaseGroup> = followed
                .curriculum
                .phases
                .iter()
                .enumerate()
                .map(|(n, phase)| {
                    let cards: Vec<Card> = phase
                        .items
                        .iter()
                        .filter(|item| followed.status(&item.id) == status && shown(item))
                        .map(|item| card(followed, item, n, logged, plan, today))
                        .collect();
                    // "To do" opens only its first phase with cards: the rest fold away.
                    let open = status != ItemStatus::Todo || (!seen_cards && !cards.is_empty());
                    seen_cards |= !cards.is_empty();
                    PhaseGroup {
                        number: n + 1,
                        title: phase.title.clone(),
                        open,
                        cards,
                    }
                })
                .collect();
            Column {
                status: status.as_str(),
                heading: status_heading(status),
                count: groups.iter().map(|g| g.cards.len()).sum(),
                groups,
            }
        })
        .collect();
    BoardPage {
        layout: layout_for(
            format!("Board: {}", followed.record.title),
            &route.who,
            followed,
        ),
        follow_id: route.id.0,
        title: followed.record.title.clone(),
        warning: warning_from_query(followed, query.warn.as_deref()),
        columns,
        moves: MOVES,
        kinds,
        skills,
        kind: kind.to_owned(),
        skill: skill.to_owned(),
        hidden,
    }
}

fn card(
    followed: &Followed,
    item: &Item,
    phase: usize,
    logged: &LoggedByItem,
    plan: Option<&Plan>,
    today: Date,
) -> Card {
    let planned = plan
        .and_then(|p| p.items.iter().find(|i| i.id == item.id))
        .and_then(|i| i.span)
        .map(|s| {
            format!(
                "{} to {}",
                day_words(s.start, today),
                day_words(s.end, today)
            )
        });
    Card {
        id: item.id.as_str().to_owned(),
        title: item.title.clone(),
        kind: item.kind.as_str(),
        estimate: item.planned(followed.curriculum.hours_per_week).to_string(),
        logged: logged
            .get(&item.id)
            .copied()
            .unwrap_or_default()
            .to_string(),
        logged_any: logged.get(&item.id).is_some_and(|m| !m.is_zero()),
        planned,
        prereqs: prereqs(followed, item),
        status: followed.status(&item.id).as_str(),
        phase: phase + 1,
    }
}

pub fn prereqs(followed: &Followed, item: &Item) -> Vec<Prereq> {
    item.requires
        .iter()
        .map(|id| {
            let status = followed.status(id);
            Prereq {
                id: id.as_str().to_owned(),
                title: followed
                    .curriculum
                    .item(id)
                    .map_or_else(|| id.as_str().to_owned(), |i| i.title.clone()),
                status: status.as_str(),
            }
        })
        .collect()
}

/// The warning for `?warn=item`, if that item is under way with prerequisites unfinished.
pub fn warning_from_query(followed: &Followed, warn: Option<&str>) -> Option<String> {
    let id = ItemId::parse(warn?).ok()?;
    start_warning(followed, &id, followed.status(&id))
}

pub use autodidact_core::board::start_warning;

#[derive(Debug, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    /// `item` when sent from the item's own page, which is where to go back to.
    #[serde(default)]
    from: String,
}

#[derive(Serialize)]
struct Moved {
    item: String,
    status: &'static str,
    warning: Option<String>,
}

pub async fn set_status(
    State(state): State<AppState>,
    route: FollowRoute,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> Result<Response, PageError> {
    let id = route.item()?;
    let status = ItemStatus::parse(&form.status).ok_or_else(|| {
        PageError::BadRequest("Choose a column: todo, doing, done or skipped.".to_owned())
    })?;
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    let moved = move_card(
        store,
        cache,
        &route.who.user,
        route.id,
        id,
        status,
        Timestamp::now(),
    )
    .await?;
    let warning = moved.warning;
    if wants_json(&headers) {
        let moved = Moved {
            item: id.as_str().to_owned(),
            status: status.as_str(),
            warning,
        };
        return Ok(Json(moved).into_response());
    }
    let warn = match warning {
        Some(_) => format!("?warn={}", id.as_str()),
        None => String::new(),
    };
    let to = match form.from.as_str() {
        "item" => format!("/follows/{}/items/{}{warn}", route.id.0, id.as_str()),
        _ => format!("/follows/{}/board{warn}#card-{}", route.id.0, id.as_str()),
    };
    Ok(Redirect::to(&to).into_response())
}
