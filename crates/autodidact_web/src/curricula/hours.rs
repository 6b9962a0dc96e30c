//! The hours grid: every item of a curriculum in one form, its estimate editable, saved all
//! or none (`core::curricula::save_estimates`). After a web import it also shows the import's
//! report, so a learner checks a whole board's hours in one submit.

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::curricula::{EstimateChange, import_report, save_estimates};
use autodidact_core::curriculum::{Effort, EstimateSource, Item, ItemId};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use serde::Deserialize;

use super::IdPath;
use super::access::{Owned, load_owned, page_url};
use super::forms::{hours_text, parse_effort};
use crate::app::AppState;
use crate::auth::Viewer;
use crate::auth::csrf::CsrfForm;
use crate::error::PageError;
use crate::page::{Layout, capitalise};

/// The form field of an item's hours: `h-` and its id.
const FIELD: &str = "h-";

struct Row {
    id: String,
    field: String,
    phase: String,
    /// The first row of its phase, which names it.
    first_of_phase: bool,
    title: String,
    kind: &'static str,
    /// The field's text: the hours as typed or stored; empty while the estimate is missing.
    value: String,
    /// What an empty field stands for: the placeholder of a missing estimate, or weeks.
    hint: String,
    flag: Option<&'static str>,
    error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "curricula/hours.html")]
pub struct HoursPage {
    layout: Layout,
    back: String,
    action: String,
    title: String,
    rows: Vec<Row>,
    missing: usize,
    /// The import's report, shown right after a web import.
    report: Option<Vec<String>>,
    format: String,
    notice: Option<String>,
    problem: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct HoursQuery {
    imported: Option<String>,
    saved: Option<usize>,
}

impl HoursPage {
    fn new(owned: &Owned, typed: Option<&[(String, String)]>) -> Self {
        let mut rows = Vec::new();
        for phase in &owned.curriculum.phases {
            for (n, item) in phase.items.iter().enumerate() {
                let field = format!("{FIELD}{}", item.id);
                let stored = stored_text(item);
                let value = typed
                    .and_then(|t| t.iter().find(|(k, _)| *k == field))
                    .map_or(stored, |(_, v)| v.clone());
                let hint = match (item.estimate_source, item.effort) {
                    (EstimateSource::Missing, _) => {
                        format!("{} (typical)", hours_text(&item.effort))
                    }
                    (_, Effort::Weeks { .. }) => "in weeks".to_owned(),
                    _ => String::new(),
                };
                rows.push(Row {
                    id: item.id.to_string(),
                    field,
                    phase: phase.title.clone(),
                    first_of_phase: n == 0,
                    title: item.title.clone(),
                    kind: item.kind.as_str(),
                    value,
                    hint,
                    flag: match item.estimate_source {
                        EstimateSource::Stated => None,
                        EstimateSource::Guess => Some("guess"),
                        EstimateSource::Missing => Some("no estimate yet"),
                        EstimateSource::Crowd { .. } => Some("crowd median"),
                    },
                    error: None,
                });
            }
        }
        let missing = rows
            .iter()
            .filter(|r| r.flag == Some("no estimate yet"))
            .count();
        Self {
            layout: Layout::signed_in(format!("Hours of “{}”", owned.curriculum.title), &owned.who),
            back: page_url(owned.record.id),
            action: format!("/curricula/{}/hours", owned.record.id.0),
            title: owned.curriculum.title.clone(),
            rows,
            missing,
            report: None,
            format: String::new(),
            notice: None,
            problem: None,
        }
    }
}

/// An item's hours as the grid's field shows them: empty while the estimate is missing.
fn stored_text(item: &Item) -> String {
    match item.estimate_source {
        EstimateSource::Missing => String::new(),
        _ => hours_text(&item.effort),
    }
}

pub async fn page(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<IdPath>,
    Query(query): Query<HoursQuery>,
) -> Result<HoursPage, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    let mut page = HoursPage::new(&owned, None);
    if query.imported.is_some()
        && let Some(report) =
            import_report(state.store.as_ref(), owned.who.user.id, owned.record.id).await?
    {
        page.format = report.format;
        page.report = Some(report.notes.iter().map(|n| capitalise(n)).collect());
    }
    page.notice = query.saved.map(|n| match n {
        0 => "Nothing changed.".to_owned(),
        1 => "1 estimate is saved.".to_owned(),
        n => format!("{n} estimates are saved."),
    });
    Ok(page)
}

pub async fn save(
    State(state): State<AppState>,
    Viewer(viewer): Viewer,
    Path(path): Path<IdPath>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let owned = load_owned(&state, &path.id, viewer).await?;
    let mut page = HoursPage::new(&owned, Some(&fields));
    let mut changes = Vec::new();
    let mut errors = 0;
    for item in owned.curriculum.items() {
        let field = format!("{FIELD}{}", item.id);
        let Some((_, raw)) = fields.iter().find(|(k, _)| *k == field) else {
            continue;
        };
        let stored = stored_text(item);
        // An untouched field changes nothing (a missing estimate left empty stays missing).
        if raw.trim() == stored || raw.trim().is_empty() {
            continue;
        }
        match parse_effort(raw, Some(&item.effort)) {
            Ok(effort) => changes.push(EstimateChange {
                item: ItemId::clone(&item.id),
                effort,
            }),
            Err(e) => {
                errors += 1;
                if let Some(row) = page.rows.iter_mut().find(|r| r.field == field) {
                    row.error = Some(capitalise(&e));
                }
            }
        }
    }
    if errors > 0 {
        page.problem = Some(format!(
            "Nothing is saved: {} to fix, marked below.",
            if errors == 1 {
                "1 estimate".to_owned()
            } else {
                format!("{errors} estimates")
            }
        ));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let (store, owner, id) = (state.store.as_ref(), owned.who.user.id, owned.record.id);
    let saved = save_estimates(store, owner, id, &changes, Timestamp::now()).await?;
    Ok(Redirect::to(&format!("/curricula/{}/hours?saved={saved}", id.0)).into_response())
}
