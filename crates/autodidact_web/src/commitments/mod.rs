//! Commitments without money: a weekly minimum the learner sets for themselves
//! (`GET /commitments`, `POST /commitments`).
//!
//! The rules are the core's (`autodidact_core::insight::commitment`): raising takes effect at
//! once, lowering or pausing after the learner's `loosen_delay_days`. The page says plainly
//! what is in force, what is waiting and when it comes, how far ahead of or behind the line
//! the learner is, and the whole record: every week since the first commitment (misses
//! included) and every request ever made. Requests are never deleted.

mod view;

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::commitments::{CommitmentError, commit_weekly, scheduled};
use autodidact_core::curriculum::Minutes;
use autodidact_core::insight::activity::Activity;
use autodidact_core::insight::commitment::Excuses;
use autodidact_core::plan::start_of_week;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::SignedIn;
use crate::auth::csrf::CsrfForm;
use crate::error::PageError;
use crate::page::{FieldErrors, Layout, capitalise};

use view::{RequestRow, WeekRow};

pub fn routes() -> Router<AppState> {
    Router::new().route("/commitments", get(show).post(change))
}

/// The smallest and largest weekly minimum, in hours.
const MIN_HOURS: f64 = 0.25;
const MAX_HOURS: f64 = 100.0;

/// `8 h a week`, `45 min a week`.
pub fn per_week(minutes: Minutes) -> String {
    format!("{minutes} a week")
}

/// `3 days ahead of your line`, `1 day behind`, `right on your line`.
pub fn buffer_words(days: i64) -> String {
    let unit = |n: i64| if n == 1 { "day" } else { "days" };
    match days {
        0 => "right on your line".to_owned(),
        n if n > 0 => format!("{n} {} ahead of your line", unit(n)),
        n => format!("{} {} behind", -n, unit(-n)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "commitments/show.html")]
pub struct CommitmentPage {
    layout: Layout,
    /// What is in force today: `8 h a week`; `None` without one or while paused.
    in_force: Option<String>,
    /// Whether any request was ever made.
    any: bool,
    /// Changes still to come, as sentences.
    pending: Vec<String>,
    buffer: Option<String>,
    /// Whether the learner is behind the line.
    behind: bool,
    weeks: Vec<WeekRow>,
    kept: usize,
    missed: usize,
    requests: Vec<RequestRow>,
    delay_days: u32,
    hours: String,
    errors: FieldErrors,
    notice: Option<&'static str>,
}

impl CommitmentPage {
    async fn load(state: &AppState, who: &SignedIn, today: Date) -> Result<Self, PageError> {
        let user = &who.user;
        let delays = user.settings.delays();
        let delay_days = delays
            .on(today)
            .unwrap_or(user.settings.pacing.loosen_delay_days);
        let records = state.store.commitments(user.id).await?;
        let (ordered, changes) = scheduled(&records, &delays);
        let activity = match ordered.iter().map(|r| r.requested_on).min() {
            Some(first) => {
                let from = start_of_week(first.min(today), user.settings.week_start.0);
                Activity::from_entries(state.store.daily_minutes(user.id, from, today).await?)
            }
            None => Activity::default(),
        };
        // Breaks of dates declared ahead, on any follow, excuse their days.
        let declared = state
            .store
            .follows_of(user.id)
            .await?
            .into_iter()
            .flat_map(|f| f.declared)
            .collect();
        let week_start = user.settings.week_start.0;
        let excuses = Excuses::new(declared, week_start);
        let view = view::build(&ordered, &changes, &activity, &excuses, today, week_start);
        Ok(Self {
            layout: Layout::signed_in("Your commitment", who),
            in_force: view.in_force,
            any: !ordered.is_empty(),
            pending: view.pending,
            behind: view.buffer_days.is_some_and(|d| d < 0),
            buffer: view.buffer_days.map(buffer_words),
            kept: view.kept,
            missed: view.missed,
            weeks: view.weeks,
            requests: view.requests,
            delay_days,
            hours: String::new(),
            errors: FieldErrors::default(),
            notice: None,
        })
    }
}

fn today(who: &SignedIn) -> Date {
    who.user.today(Timestamp::now())
}

#[derive(Debug, Deserialize)]
pub struct ShowQuery {
    saved: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ShowQuery>,
) -> Result<CommitmentPage, PageError> {
    let mut page = CommitmentPage::load(&state, &who, today(&who)).await?;
    page.notice = match query.saved.as_deref() {
        Some("raised") => Some("Saved: it is in force from today."),
        Some("waiting") => Some("Saved: a lower commitment or a pause waits, as shown below."),
        _ => None,
    };
    Ok(page)
}

#[derive(Debug, Default, Deserialize)]
pub struct CommitmentForm {
    #[serde(default)]
    hours: String,
    /// Present when the pause button was pressed.
    pause: Option<String>,
}

/// Hours a week as typed (`8`, `7.5`, `7,5`, `8 h`) in whole minutes, within the bounds.
fn parse_hours(raw: &str) -> Result<Minutes, String> {
    let text = raw
        .trim()
        .trim_end_matches(['h', 'H'])
        .trim()
        .replace(',', ".");
    let hours: f64 = text
        .parse()
        .ok()
        .filter(|h: &f64| h.is_finite())
        .ok_or_else(|| {
            "Give the hours a week as a number, such as 8 or 7.5; to stop for a while, press Pause."
                .to_owned()
        })?;
    if !(MIN_HOURS..=MAX_HOURS).contains(&hours) {
        return Err(format!(
            "Choose between {MIN_HOURS} and {MAX_HOURS} hours a week; to stop for a while, press Pause."
        ));
    }
    // Within the bounds: at most 6,000 minutes.
    Ok(Minutes::new((hours * 60.0).round() as u32))
}

pub async fn change(
    State(state): State<AppState>,
    who: SignedIn,
    CsrfForm(form): CsrfForm<CommitmentForm>,
) -> Result<Response, PageError> {
    let today = today(&who);
    let weekly = if form.pause.is_some() {
        None
    } else {
        match parse_hours(&form.hours) {
            Ok(minutes) => Some(minutes),
            Err(message) => {
                let mut page = CommitmentPage::load(&state, &who, today).await?;
                page.errors.add("hours", message);
                page.hours = form.hours;
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
            }
        }
    };
    let committed = commit_weekly(state.store.as_ref(), &who.user, weekly, Timestamp::now())
        .await
        .map_err(|e| match e {
            CommitmentError::Store(e) => PageError::from(e),
            other => PageError::BadRequest(capitalise(&other.to_string())),
        })?;
    let saved = if committed.effective_on > today {
        "waiting"
    } else {
        "raised"
    };
    Ok(Redirect::to(&format!("/commitments?saved={saved}")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_read_in_minutes_within_the_bounds() {
        assert_eq!(parse_hours("8"), Ok(Minutes::new(480)));
        assert_eq!(parse_hours(" 7.5 "), Ok(Minutes::new(450)));
        assert_eq!(parse_hours("7,5 h"), Ok(Minutes::new(450)));
        assert_eq!(parse_hours("0.25"), Ok(Minutes::new(15)));
        assert_eq!(parse_hours("100"), Ok(Minutes::new(6000)));
        for bad in ["", "abc", "0", "0.2", "100.5", "-3", "NaN", "inf"] {
            assert!(parse_hours(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_buffer_reads_as_days_ahead_or_behind() {
        assert_eq!(buffer_words(3), "3 days ahead of your line");
        assert_eq!(buffer_words(1), "1 day ahead of your line");
        assert_eq!(buffer_words(0), "right on your line");
        assert_eq!(buffer_words(-2), "2 days behind");
        assert_eq!(buffer_words(-1), "1 day behind");
    }
}
