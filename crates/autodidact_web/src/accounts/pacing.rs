//! The pacing settings: how the learner wants their own record judged (what makes a study
//! day, rest days a week, the burnout ceiling, the making threshold, the delay before a lower
//! commitment), bounded by `Pacing::check`.

use autodidact_core::accounts::{Pacing, PacingError, save_pacing};
use autodidact_core::store::User;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use serde::Deserialize;

use super::SettingsPage;
use crate::app::AppState;
use crate::auth::SignedIn;
use crate::auth::csrf::CsrfForm;
use crate::error::PageError;
use crate::page::{FieldErrors, capitalise};

/// The pacing fields as typed, so a rejected form shows what was sent.
#[derive(Debug, Default, Deserialize)]
pub(super) struct PacingForm {
    #[serde(default)]
    pub(super) streak_min_minutes: String,
    #[serde(default)]
    pub(super) rest_days_per_week: String,
    #[serde(default)]
    pub(super) ceiling_percent: String,
    #[serde(default)]
    pub(super) making_threshold_percent: String,
    #[serde(default)]
    pub(super) loosen_delay_days: String,
}

impl From<Pacing> for PacingForm {
    fn from(p: Pacing) -> Self {
        Self {
            streak_min_minutes: p.streak_min_minutes.to_string(),
            rest_days_per_week: p.rest_days_per_week.to_string(),
            ceiling_percent: p.ceiling_percent.to_string(),
            making_threshold_percent: p.making_threshold_percent.to_string(),
            loosen_delay_days: p.loosen_delay_days.to_string(),
        }
    }
}

impl PacingForm {
    /// The values as numbers; each one that is not a whole number gets a message.
    fn read(&self, errors: &mut FieldErrors) -> Option<Pacing> {
        let mut number = |field: &'static str, raw: &str| match raw.trim().parse::<i64>() {
            // Out of `u32` reads as the largest value, which the bounds then refuse.
            Ok(n) => Some(u32::try_from(n).unwrap_or(u32::MAX)),
            Err(_) => {
                errors.add(field, "Write a whole number.");
                None
            }
        };
        let streak = number("streak_min_minutes", &self.streak_min_minutes);
        let rest = number("rest_days_per_week", &self.rest_days_per_week);
        let ceiling = number("ceiling_percent", &self.ceiling_percent);
        let making = number("making_threshold_percent", &self.making_threshold_percent);
        let delay = number("loosen_delay_days", &self.loosen_delay_days);
        Some(Pacing {
            streak_min_minutes: streak?,
            rest_days_per_week: u8::try_from(rest?).unwrap_or(u8::MAX),
            ceiling_percent: ceiling?,
            making_threshold_percent: making?,
            loosen_delay_days: delay?,
        })
    }
}

/// The form field a pacing bound belongs to.
fn pacing_field(err: &PacingError) -> &'static str {
    match err {
        PacingError::StreakMinutes => "streak_min_minutes",
        PacingError::RestDays => "rest_days_per_week",
        PacingError::Ceiling => "ceiling_percent",
        PacingError::MakingThreshold => "making_threshold_percent",
        PacingError::LoosenDelay => "loosen_delay_days",
    }
}

/// Saves how the learner wants their record judged; the other settings stay as they are.
pub(super) async fn save(
    State(state): State<AppState>,
    who: SignedIn,
    CsrfForm(form): CsrfForm<PacingForm>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    let pacing = form.read(&mut errors).and_then(|p| match p.check() {
        Ok(()) => Some(p),
        Err(e) => {
            errors.add(pacing_field(&e), capitalise(&e.to_string()));
            None
        }
    });
    let Some(pacing) = pacing else {
        let mut page = SettingsPage::new(&who);
        page.pacing = form;
        page.errors = errors;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let now = Timestamp::now();
    // A shorter delay waits; the page says until when.
    save_pacing(state.store.as_ref(), &who.user, pacing, now).await?;
    Ok(Redirect::to("/settings?saved=pacing#pacing").into_response())
}

/// While a shorter delay waits for the one in force, when it holds.
pub(super) fn pending_delay(user: &User, now: Timestamp) -> Option<String> {
    let today = user.today(now);
    let delays = user.settings.delays();
    let now_days = delays.on(today)?;
    let next = delays.after(today).into_iter().next()?;
    Some(format!(
        "A lower commitment waits {now_days} days until {}; from then on, {} days. A shorter delay waits the one in force, so it cannot be used to lower a commitment at once.",
        next.from, next.value
    ))
}
