//! The log pages: create (from the quick form or the full one), list by month, edit, delete.

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::store::{LogId, LogKind, StudyLog};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde::Deserialize;

use autodidact_core::logs::{
    Catalog, ItemTarget, LogError, LogInput, LogPatch, LogServiceError, check_key, check_note,
    delete_log, edit_log, own_log as owned_log, parse_day, parse_duration, parse_kind,
};

use super::{ItemGroup, LogRow, QuickLog, catalog, duration_input, item_groups, log_rows};
use crate::app::AppState;
use crate::auth::SignedIn;
use crate::auth::csrf::CsrfForm;
use crate::error::PageError;
use crate::page::{FieldErrors, Layout, capitalise, safe_next};

/// The fields of both log forms, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct LogForm {
    #[serde(default)]
    duration: String,
    #[serde(default)]
    item: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    return_to: String,
    /// `1`: mark the item done with the log.
    #[serde(default)]
    done: String,
}

/// The form read into the service's input, each problem next to its field. The item is
/// resolved (and every rule checked again) by the service.
fn read_form(form: &LogForm, today: Date) -> Result<LogInput, FieldErrors> {
    let mut errors = FieldErrors::default();
    let minutes = errors.check("duration", parse_duration(&form.duration));
    let kind = errors.check("kind", parse_kind(&form.kind));
    let day = errors.check("date", parse_day(&form.date, today));
    let note = errors.check("note", check_note(&form.note));
    let target = errors.check("item", ItemTarget::from_choice(&form.item));
    match (minutes, kind, day, note, target) {
        (Some(minutes), Some(kind), Some(day), Some(note), Some(target)) => Ok(LogInput {
            minutes,
            kind,
            day: Some(day),
            note,
            target,
            finish: form.done == "1",
        }),
        _ => Err(errors),
    }
}

/// A refusal of the service next to the field it is about; anything else is an error page.
fn refused(e: LogServiceError) -> Result<FieldErrors, PageError> {
    match e {
        LogServiceError::Invalid(e) => Ok(field_error(&e)),
        other => Err(other.into()),
    }
}

/// When other fields were refused before the service ran, the item is still checked against
/// the catalog, so that every problem shows at once.
fn item_error(errors: &mut FieldErrors, form: &LogForm, catalog: &Catalog) {
    if let Ok(Some(target)) = ItemTarget::from_choice(&form.item)
        && let Err(e) = catalog.resolve(&target)
        && errors.get("item").is_none()
    {
        errors.add("item", capitalise(&e.to_string()));
    }
}

fn field_error(e: &LogError) -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.add(e.field(), capitalise(&e.to_string()));
    errors
}

pub struct KindOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

fn kind_options(selected: &str) -> Vec<KindOption> {
    let selected = parse_kind(selected).unwrap_or(LogKind::Learn);
    LogKind::ALL
        .into_iter()
        .map(|kind| KindOption {
            value: kind.as_str(),
            label: super::kind_label(kind),
            selected: kind == selected,
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "logs/form.html")]
pub struct LogFormPage {
    layout: Layout,
    heading: &'static str,
    action: String,
    form: LogForm,
    groups: Vec<ItemGroup>,
    kinds: Vec<KindOption>,
    errors: FieldErrors,
    /// The log being edited, for its delete button.
    log_id: Option<i64>,
    follows_something: bool,
    max_date: String,
}

impl LogFormPage {
    fn new(who: &SignedIn, catalog: &Catalog, form: LogForm, log_id: Option<i64>) -> Self {
        let quick = QuickLog::with_items(who, catalog, "/logs");
        let (heading, action) = match log_id {
            Some(id) => ("Edit a log", format!("/logs/{id}")),
            None => ("Log study time", "/logs".to_owned()),
        };
        Self {
            heading,
            action,
            groups: item_groups(catalog, &form.item),
            kinds: kind_options(&form.kind),
            errors: FieldErrors::default(),
            log_id,
            follows_something: !catalog.is_empty(),
            max_date: quick.max_date.clone(),
            layout: Layout::signed_in_with_log(heading, who, quick),
            form,
        }
    }
}

fn today(who: &SignedIn) -> Date {
    who.user.today(Timestamp::now())
}

#[derive(Debug, Deserialize)]
pub struct NewQuery {
    return_to: Option<String>,
}

pub async fn new_page(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<NewQuery>,
) -> Result<LogFormPage, PageError> {
    let catalog = catalog(&state, who.user.id).await?;
    let form = LogForm {
        date: today(&who).to_string(),
        key: crate::auth::random_token(),
        return_to: safe_next(query.return_to.as_deref()),
        ..LogForm::default()
    };
    Ok(LogFormPage::new(&who, &catalog, form, None))
}

pub async fn create(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<LogForm>,
) -> Result<Response, PageError> {
    let now = Timestamp::now();
    let recorded = match read_form(&form, who.user.today(now)) {
        Ok(input) => {
            let key = check_key(&form.key);
            super::record(&state, &who.user, input, key.as_deref(), now)
                .await
                .map_err(refused)
        }
        Err(errors) => Err(Ok(errors)),
    };
    if let Err(errors) = recorded {
        let mut errors = errors?;
        let mut form = form;
        form.return_to = back_to(&form.return_to, &headers, state.config.origin());
        let catalog = catalog(&state, who.user.id).await?;
        item_error(&mut errors, &form, &catalog);
        let mut page = LogFormPage::new(&who, &catalog, form, None);
        page.errors = errors;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let back = back_to(&form.return_to, &headers, state.config.origin());
    Ok(Redirect::to(&format!("{back}#logged")).into_response())
}

/// Where to go after logging: the form's `return_to`, else the page it was sent from (the
/// `Referer`, when it is ours), else the dashboard. Always a local path, never another site.
pub(super) fn back_to(return_to: &str, headers: &HeaderMap, origin: &str) -> String {
    let from_referer = || {
        let referer = headers.get(header::REFERER)?.to_str().ok()?;
        let path = referer.strip_prefix(origin)?;
        Some(if path.is_empty() { "/" } else { path }.to_owned())
    };
    let chosen = if return_to.is_empty() {
        from_referer()
    } else {
        Some(return_to.to_owned())
    };
    let path = safe_next(chosen.as_deref());
    path.split('#').next().unwrap_or("/").to_owned()
}

// ---------------------------------------------------------------------------------------------
// The list

#[derive(Template, WebTemplate)]
#[template(path = "logs/list.html")]
pub struct LogListPage {
    layout: Layout,
    month_label: String,
    previous: (String, String),
    next: Option<(String, String)>,
    rows: Vec<LogRow>,
    total: String,
    notice: Option<&'static str>,
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    month: Option<String>,
    notice: Option<String>,
}

/// `2026-11` → 1 November 2026.
fn parse_month(raw: &str) -> Option<Date> {
    let (year, month) = raw.trim().split_once('-')?;
    Date::new(year.parse().ok()?, month.parse().ok()?, 1).ok()
}

fn month_param(first: Date) -> String {
    first.strftime("%Y-%m").to_string()
}

pub async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<LogListPage, PageError> {
    let this_month = today(&who).first_of_month();
    let first = query
        .month
        .as_deref()
        .and_then(parse_month)
        .unwrap_or(this_month);
    let last = first.last_of_month();
    let store = state.store.as_ref();
    let logs = store.logs_between(who.user.id, first, last).await?;
    let catalog = catalog(&state, who.user.id).await?;
    let total: autodidact_core::curriculum::Minutes = logs.iter().map(|l| l.minutes).sum();
    let label = |d: Date| d.strftime("%B %Y").to_string();
    let previous = first.checked_sub(1.month()).unwrap_or(first);
    let next = first
        .checked_add(1.month())
        .ok()
        .filter(|n| *n <= this_month);
    let return_to = format!("/logs?month={}", month_param(first));
    Ok(LogListPage {
        layout: Layout::signed_in_with_log(
            "Your study log",
            &who,
            QuickLog::with_items(&who, &catalog, &return_to),
        ),
        month_label: label(first),
        previous: (month_param(previous), label(previous)),
        next: next.map(|n| (month_param(n), label(n))),
        rows: log_rows(&logs, &catalog, today(&who)),
        total: total.to_string(),
        notice: match query.notice.as_deref() {
            Some("saved") => Some("The log is saved."),
            Some("deleted") => Some("The log is deleted."),
            _ => None,
        },
    })
}

// ---------------------------------------------------------------------------------------------
// Editing and deleting

/// The viewer's log `id`; anyone else's, or none, is 404.
async fn own_log(state: &AppState, who: &SignedIn, raw_id: &str) -> Result<StudyLog, PageError> {
    let id: i64 = raw_id.parse().map_err(|_| PageError::NotFound)?;
    Ok(owned_log(state.store.as_ref(), &who.user, LogId(id)).await?)
}

fn list_url(day: Date, notice: &str) -> String {
    format!("/logs?month={}&notice={notice}", month_param(day))
}

pub async fn edit_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
) -> Result<LogFormPage, PageError> {
    let log = own_log(&state, &who, &id).await?;
    let catalog = catalog(&state, who.user.id).await?;
    let item = match (log.follow, &log.item) {
        (Some(follow), Some(item)) => format!("{}:{item}", follow.0),
        _ => String::new(),
    };
    let form = LogForm {
        duration: duration_input(log.minutes),
        item,
        kind: log.kind.as_str().to_owned(),
        date: log.day.to_string(),
        note: log.note.clone(),
        ..LogForm::default()
    };
    Ok(LogFormPage::new(&who, &catalog, form, Some(log.id.0)))
}

pub async fn update(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<LogForm>,
) -> Result<Response, PageError> {
    let log = own_log(&state, &who, &id).await?;
    let now = Timestamp::now();
    let edited = match read_form(&form, who.user.today(now)) {
        Ok(input) => {
            let patch = LogPatch {
                minutes: Some(input.minutes),
                kind: Some(input.kind),
                day: input.day,
                note: Some(input.note),
                target: Some(input.target),
            };
            edit_log(
                state.store.as_ref(),
                &state.curricula,
                &who.user,
                log.id,
                patch,
                now,
            )
            .await
            .map_err(refused)
        }
        Err(errors) => Err(Ok(errors)),
    };
    match edited {
        Ok(done) => Ok(Redirect::to(&list_url(done.log.day, "saved")).into_response()),
        Err(errors) => {
            let mut errors = errors?;
            let catalog = catalog(&state, who.user.id).await?;
            item_error(&mut errors, &form, &catalog);
            let mut page = LogFormPage::new(&who, &catalog, form, Some(log.id.0));
            page.errors = errors;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub async fn delete(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, PageError> {
    let id: i64 = id.parse().map_err(|_| PageError::NotFound)?;
    let log = delete_log(state.store.as_ref(), &who.user, LogId(id)).await?;
    Ok(Redirect::to(&list_url(log.day, "deleted")).into_response())
}
