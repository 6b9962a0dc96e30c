//! One item of a follow: its place in the plan, its status, the learner's Markdown notes and
//! the evidence of their work (links to a repository, a notebook, a post, a certificate).

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::crowd::item_crowd;
use autodidact_core::curriculum::{Item, ItemId, is_web_url};
use autodidact_core::follow::load_progress;
use autodidact_core::plan::Plan;
use autodidact_core::review::ReviewState;
use autodidact_core::store::{EvidenceId, EvidenceKind, ItemStatus};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;

use super::board::{MOVES, Prereq, prereqs, warning_from_query};
use super::timeline::weeks_text;
use super::{FollowRoute, Followed, load_followed, status_heading};
use crate::app::AppState;
use crate::auth::csrf::CsrfForm;
use crate::crowd::views::CrowdSection;
use crate::error::PageError;
use crate::insight::words::{ShownDay, day_words};
use crate::markdown;
use crate::page::{FieldErrors, Layout, capitalise};

use autodidact_core::board::{self, MAX_NOTES_CHARS, check_evidence};

struct EvidenceRow {
    id: i64,
    kind: &'static str,
    url: String,
    title: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "follows/item.html")]
pub struct ItemPage {
    layout: Layout,
    follow_id: i64,
    curriculum_title: String,
    id: String,
    title: String,
    kind: &'static str,
    link: Option<String>,
    estimate: String,
    phase: String,
    planned: Option<String>,
    logged: String,
    about_html: String,
    status: &'static str,
    status_heading: &'static str,
    moves: [(&'static str, &'static str); 4],
    prereqs: Vec<Prereq>,
    notes: String,
    notes_html: String,
    /// How many checklist boxes the notes hold: one tick form each.
    tasks: usize,
    /// The latest logs on this item, newest first.
    item_logs: Vec<ItemLogRow>,
    /// `{follow}:{item}`, the quick log's value for this item.
    log_target: String,
    /// A fresh idempotency key for the "log time here" form.
    log_key: String,
    today: String,
    evidence: Vec<EvidenceRow>,
    kinds: [EvidenceKind; 5],
    new_evidence: EvidenceForm,
    pub(crate) errors: FieldErrors,
    notice: Option<&'static str>,
    warning: Option<String>,
    review: ReviewControls,
    /// What other learners found: crowd hours, reviews, and the learner's review form.
    pub(crate) crowd: CrowdSection,
}

/// One log on the item.
struct ItemLogRow {
    id: i64,
    day: ShownDay,
    minutes: String,
    kind: &'static str,
    note: String,
}

/// Logs shown on an item's page; the logs page has them all.
const ITEM_LOGS: u32 = 20;

/// The "worth revisiting" controls: offered once the item is done.
#[derive(Debug, Default)]
struct ReviewControls {
    /// Whether the item is done, so it can be marked.
    can_mark: bool,
    /// When marked: the next due day and the current interval in days.
    marked: Option<(String, i64)>,
}

impl ReviewControls {
    async fn load(
        state: &AppState,
        route: &FollowRoute,
        item: &ItemId,
        done: bool,
    ) -> Result<Self, PageError> {
        let record = state
            .store
            .reviews_of(route.id)
            .await?
            .into_iter()
            .find(|r| &r.item == item);
        let marked = record.map(|r| {
            let interval = ReviewState::from_json(&r.state).map_or(0, |s| s.interval_days());
            (r.due.strftime("%a %-d %b %Y").to_string(), interval)
        });
        Ok(Self {
            can_mark: done,
            marked,
        })
    }
}

impl ItemPage {
    pub(crate) async fn load(
        state: &AppState,
        route: &FollowRoute,
        followed: &Followed,
        item: &Item,
    ) -> Result<Self, PageError> {
        let logged: HashMap<ItemId, _> = state
            .store
            .minutes_by_item(route.id)
            .await?
            .into_iter()
            .collect();
        let evidence = evidence_rows(state, route, &item.id).await?;
        let now = Timestamp::now();
        let today = route.who.user.today(now);
        let progress = load_progress(state.store.as_ref(), followed, &route.who.user, now).await?;
        let plan = followed.rolling_plan(&progress, today).ok();
        let planned = plan.as_ref().and_then(|p| planned_text(p, &item.id, today));
        let notes = followed
            .states
            .get(&item.id)
            .map(|s| s.notes.clone())
            .unwrap_or_default();
        let status = followed.status(&item.id);
        let review =
            ReviewControls::load(state, route, &item.id, status == ItemStatus::Done).await?;
        let item_logs = state
            .store
            .item_logs(route.id, &item.id, ITEM_LOGS)
            .await?
            .into_iter()
            .map(|l| ItemLogRow {
                id: l.id.0,
                day: ShownDay::new(l.day, today),
                minutes: l.minutes.to_string(),
                kind: l.kind.as_str(),
                note: l.note,
            })
            .collect();
        let crowd = item_crowd(
            state.store.as_ref(),
            &state.curricula,
            Some(route.who.user.id),
            followed.record.id,
            &item.id,
        )
        .await?;
        let crowd = CrowdSection::new(&crowd, route.id);
        let (notes_html, tasks) = markdown::render_tickable(&notes, "task");
        let log_target = format!("{}:{}", route.id.0, item.id);
        let mut layout = Layout::signed_in(item.title.clone(), &route.who);
        // The quick log is about this item here.
        if let Some(quick) = layout.quick_log.as_mut() {
            quick.preset(&log_target, &item.title);
        }
        Ok(Self {
            layout,
            follow_id: route.id.0,
            curriculum_title: followed.record.title.clone(),
            id: item.id.as_str().to_owned(),
            title: item.title.clone(),
            kind: item.kind.as_str(),
            link: item.url.clone().filter(|u| is_web_url(u)),
            estimate: match item.estimate_source {
                autodidact_core::curriculum::EstimateSource::Crowd { own } => format!(
                    "{} (the crowd's median{})",
                    item.planned(followed.curriculum.hours_per_week),
                    own.map(|o| format!("; your own figure: {o}"))
                        .unwrap_or_default()
                ),
                _ => item.planned(followed.curriculum.hours_per_week).to_string(),
            },
            phase: phase_title(followed, &item.id),
            planned,
            logged: logged
                .get(&item.id)
                .copied()
                .unwrap_or_default()
                .to_string(),
            about_html: markdown::render(&item.notes),
            status: status.as_str(),
            status_heading: status_heading(status),
            moves: MOVES,
            prereqs: prereqs(followed, item),
            notes_html,
            tasks,
            notes,
            item_logs,
            log_target,
            log_key: crate::auth::random_token(),
            today: route.who.user.today(now).to_string(),
            evidence,
            kinds: EvidenceKind::ALL,
            new_evidence: EvidenceForm::default(),
            crowd,
            errors: FieldErrors::default(),
            notice: None,
            warning: None,
            review,
        })
    }
}

async fn evidence_rows(
    state: &AppState,
    route: &FollowRoute,
    item: &ItemId,
) -> Result<Vec<EvidenceRow>, PageError> {
    Ok(state
        .store
        .evidence(route.id)
        .await?
        .into_iter()
        .filter(|e| &e.item == item)
        .map(|e| EvidenceRow {
            id: e.id.0,
            kind: e.kind.as_str(),
            url: e.url,
            title: e.title,
        })
        .collect())
}

/// When the rolling plan puts the item, if the item still needs time.
fn planned_text(plan: &Plan, item: &ItemId, today: Date) -> Option<String> {
    let span = plan.items.iter().find(|i| &i.id == item)?.span?;
    Some(format!(
        "{} to {} ({})",
        day_words(span.start, today),
        day_words(span.end, today),
        weeks_text(span.start_week, span.end_week)
    ))
}

fn phase_title(followed: &Followed, id: &ItemId) -> String {
    followed
        .curriculum
        .phases
        .iter()
        .find(|p| p.items.iter().any(|i| &i.id == id))
        .map(|p| p.title.clone())
        .unwrap_or_default()
}

/// The follow and the item of an `/items/{item_id}` route; 404 for an item not in the
/// curriculum.
pub(crate) async fn load_item(
    state: &AppState,
    route: &FollowRoute,
) -> Result<(Followed, Item), PageError> {
    let followed = load_followed(state, &route.who, route.id).await?;
    let item = followed
        .curriculum
        .item(route.item()?)
        .cloned()
        .ok_or(PageError::NotFound)?;
    Ok((followed, item))
}

#[derive(Debug, Deserialize)]
pub struct ItemQuery {
    saved: Option<String>,
    warn: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    route: FollowRoute,
    Query(query): Query<ItemQuery>,
) -> Result<ItemPage, PageError> {
    let (followed, item) = load_item(&state, &route).await?;
    let mut page = ItemPage::load(&state, &route, &followed, &item).await?;
    page.warning = warning_from_query(&followed, query.warn.as_deref());
    page.notice = match query.saved.as_deref() {
        Some("notes") => Some("Your notes are saved."),
        Some("evidence") => Some("The evidence is added."),
        Some("evidence-removed") => Some("The evidence is removed."),
        Some("review") => Some("Marked worth revisiting: it will come back on your reviews page."),
        Some("review-stopped") => Some("You stopped reviewing this item."),
        Some("rating") => Some("Your review is saved."),
        Some("rating-removed") => Some("Your review is removed."),
        _ => None,
    };
    Ok(page)
}

#[derive(Debug, Deserialize)]
pub struct NotesForm {
    #[serde(default)]
    notes: String,
}

pub async fn save_notes(
    State(state): State<AppState>,
    route: FollowRoute,
    CsrfForm(form): CsrfForm<NotesForm>,
) -> Result<Response, PageError> {
    let (followed, item) = load_item(&state, &route).await?;
    if form.notes.chars().count() > MAX_NOTES_CHARS {
        let mut page = ItemPage::load(&state, &route, &followed, &item).await?;
        page.errors.add(
            "notes",
            format!("Notes hold at most {MAX_NOTES_CHARS} characters: shorten them, or link to a longer document."),
        );
        page.notes = form.notes;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    let user = &route.who.user;
    board::save_notes(
        store,
        cache,
        user,
        route.id,
        &item.id,
        &form.notes,
        Timestamp::now(),
    )
    .await?;
    Ok(back_to(&route, &item, "notes"))
}

#[derive(Debug, Default, Deserialize)]
pub struct EvidenceForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    title: String,
}

pub async fn add_evidence(
    State(state): State<AppState>,
    route: FollowRoute,
    CsrfForm(form): CsrfForm<EvidenceForm>,
) -> Result<Response, PageError> {
    let (followed, item) = load_item(&state, &route).await?;
    let evidence = match check_evidence(&form.kind, &form.url, &form.title) {
        Ok(evidence) => evidence,
        Err(problems) => {
            let mut page = ItemPage::load(&state, &route, &followed, &item).await?;
            for p in problems {
                page.errors.add(p.field(), capitalise(&p.to_string()) + ".");
            }
            page.new_evidence = form;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    let user = &route.who.user;
    board::add_evidence(
        store,
        cache,
        user,
        route.id,
        &item.id,
        &evidence,
        Timestamp::now(),
    )
    .await?;
    Ok(back_to(&route, &item, "evidence"))
}

pub async fn remove_evidence(
    State(state): State<AppState>,
    route: FollowRoute,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    let (_, item) = load_item(&state, &route).await?;
    let id = route.evidence.ok_or(PageError::NotFound)?;
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    board::remove_evidence(
        store,
        cache,
        &route.who.user,
        route.id,
        &item.id,
        EvidenceId(id),
    )
    .await?;
    Ok(back_to(&route, &item, "evidence-removed"))
}

fn back_to(route: &FollowRoute, item: &Item, saved: &str) -> Response {
    let anchor = if saved == "notes" {
        "notes"
    } else {
        "evidence"
    };
    let to = format!(
        "/follows/{}/items/{}?saved={saved}#{anchor}",
        route.id.0,
        item.id.as_str()
    );
    Redirect::to(&to).into_response()
}

#[derive(Debug, Deserialize)]
pub struct TaskForm {
    /// `1` ticks, `0` unticks.
    #[serde(default)]
    checked: String,
}

/// Ticks or unticks checklist box `n` of the item's notes (`core::board::tick_task`).
pub async fn tick_task(
    State(state): State<AppState>,
    route: FollowRoute,
    Path((_, item_id, n)): Path<(String, String, usize)>,
    CsrfForm(form): CsrfForm<TaskForm>,
) -> Result<Response, PageError> {
    let item = ItemId::parse(&item_id).map_err(|_| PageError::NotFound)?;
    let checked = match form.checked.as_str() {
        "1" => true,
        "0" => false,
        _ => {
            return Err(PageError::BadRequest(
                "Say whether to tick the box (checked=1) or untick it (checked=0).".to_owned(),
            ));
        }
    };
    let (store, cache) = (state.store.as_ref(), &state.curricula);
    let now = Timestamp::now();
    board::tick_task(
        store,
        cache,
        &route.who.user,
        route.id,
        &item,
        n,
        checked,
        now,
    )
    .await?;
    Ok(Redirect::to(&format!("/follows/{}/items/{}#notes", route.id.0, item)).into_response())
}
