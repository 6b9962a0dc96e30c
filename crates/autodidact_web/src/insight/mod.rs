//! The dashboard's insight: the learner's record drawn and read back to them (heatmap, weekly
//! hours, burn-ups with forecasts, balance, calibration, streaks, the burnout guard, the
//! commitment buffer), and the two actions it offers: a kind re-plan of a follow that fell
//! behind, and dismissing a burnout note.
//!
//! The figures come from `autodidact_core::insight` (pure functions); this module loads
//! nothing itself except in its two handlers. Every date is the learner's: today in their
//! zone, weeks from their first weekday.

pub mod burnup;
pub mod charts;

pub mod sections;
pub mod words;

use autodidact_core::insight::replan::ReplanMode;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::SignedIn;
use crate::auth::csrf::CsrfForm;
use crate::error::PageError;
use crate::follows::{FollowRoute, load_followed};
use crate::page::capitalise;
use autodidact_core::follow::{ReplanFollowError, replan_follow};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/follows/{id}/replan", post(replan))
        .route("/insight/dismiss", post(dismiss))
}

#[derive(Debug, Default, Deserialize)]
pub struct ReplanForm {
    #[serde(default)]
    mode: String,
}

/// Re-plans a follow from today, keeping its end date or its weekly hours
/// (`core::follow::replan_follow`: the numbers are computed there, never read from the form);
/// the plan that was in force is kept as a revision, drawn faded on the burn-up.
async fn replan(
    State(state): State<AppState>,
    route: FollowRoute,
    CsrfForm(form): CsrfForm<ReplanForm>,
) -> Result<Response, PageError> {
    let user = &route.who.user;
    let Some(mode) = ReplanMode::parse(&form.mode) else {
        // Whose follow it is comes first: another learner's is not found, whatever the form.
        load_followed(&state, &route.who, route.id).await?;
        return Err(PageError::BadRequest(
            "Choose how to re-plan: keep the end date, or keep your weekly hours.".to_owned(),
        ));
    };
    replan_follow(
        state.store.as_ref(),
        &state.curricula,
        user,
        route.id,
        mode,
        Timestamp::now(),
    )
    .await
    .map_err(|e| match e {
        ReplanFollowError::Follow(e) => PageError::from(e),
        ReplanFollowError::Propose(e) => PageError::BadRequest(capitalise(&e.to_string())),
    })?;
    Ok(Redirect::to(&format!("/dashboard#follow-{}", route.id.0)).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct DismissForm {
    #[serde(default)]
    key: String,
}

/// Whether `key` is one the burnout guard makes: `over-ceiling:2026-03-02` or
/// `no-rest:2026-03-01`.
pub fn is_signal_key(key: &str) -> bool {
    let Some((kind, day)) = key.split_once(':') else {
        return false;
    };
    matches!(kind, "over-ceiling" | "no-rest")
        && day.parse::<Date>().is_ok_and(|d| d.to_string() == day)
}

/// Remembers that the learner has seen a burnout note, so it stays away for that episode.
async fn dismiss(
    State(state): State<AppState>,
    who: SignedIn,
    CsrfForm(form): CsrfForm<DismissForm>,
) -> Result<Response, PageError> {
    if !is_signal_key(&form.key) {
        return Err(PageError::BadRequest(
            "That is not a note that can be dismissed: go back to the dashboard and use its button."
                .to_owned(),
        ));
    }
    state
        .store
        .dismiss(who.user.id, &form.key, Timestamp::now())
        .await?;
    Ok(Redirect::to("/dashboard").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_keys_the_guard_makes_can_be_dismissed() {
        assert!(is_signal_key("over-ceiling:2026-03-02"));
        assert!(is_signal_key("no-rest:2026-03-01"));
        for bad in [
            "",
            "no-rest",
            "no-rest:",
            "no-rest:2026-3-1",
            "no-rest:2026-02-30",
            "tired:2026-03-01",
            "no-rest:2026-03-01:x",
            "<script>:2026-03-01",
        ] {
            assert!(!is_signal_key(bad), "{bad}");
        }
    }
}
