//! Study logs: the quick-log form every signed-in page carries, the log list by month, and
//! editing and deleting a log. The rules and the use cases are the core's
//! (`autodidact_core::logs`), shared with the JSON API and the command line; [`stats`] has the
//! learner's week.
//!
//! A log belongs to the learner who wrote it alone: another learner's log id is a 404 on every
//! route, reads and writes alike, and the store re-checks the owner on every write.

mod pages;
mod quick;
pub mod stats;
mod timer;

use autodidact_core::store::{LogKind, StudyLog};
use axum::Router;
use axum::routing::{get, post};
use jiff::civil::Date;

use crate::app::AppState;
use crate::insight::words::{day_words, hm};

pub use autodidact_core::logs::Catalog;
pub use quick::{ItemGroup, QuickLog, item_groups};

/// A duration for an input field: `90m`.
pub fn duration_input(minutes: autodidact_core::curriculum::Minutes) -> String {
    format!("{}m", minutes.get())
}

/// The learner's catalog of loggable items, through the application's parse cache.
pub async fn catalog(
    state: &AppState,
    user: autodidact_core::accounts::UserId,
) -> Result<Catalog, autodidact_core::store::StoreError> {
    Catalog::load(state.store.as_ref(), &state.curricula, user).await
}

/// Records a log for `user` (as read with their session or token, at their current data
/// version): with the catalog kept for that version when there is one, which is the catalog
/// `record_log` would load (a read of the learner's follows and curricula fewer), else loaded.
pub async fn record(
    state: &AppState,
    user: &autodidact_core::store::User,
    input: autodidact_core::logs::LogInput,
    key: Option<&str>,
    now: jiff::Timestamp,
) -> Result<autodidact_core::logs::Recorded, autodidact_core::logs::LogServiceError> {
    let store = state.store.as_ref();
    match state.memos.viewer.get(user, &()) {
        Some(viewed) => {
            let catalog = std::sync::Arc::clone(&viewed.catalog);
            autodidact_core::logs::record_log_in(store, catalog, user, input, key, now).await
        }
        None => {
            autodidact_core::logs::record_log(store, &state.curricula, user, input, key, now).await
        }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/logs", get(pages::list).post(pages::create))
        .route("/logs/new", get(pages::new_page))
        .route("/logs/{id}", post(pages::update))
        .route("/logs/{id}/edit", get(pages::edit_page))
        .route("/logs/{id}/delete", post(pages::delete))
        .route("/timer/start", post(timer::start))
        .route("/timer/stop", post(timer::stop))
        .route("/timer/discard", post(timer::discard))
}

/// A log as a row of a table.
#[derive(Debug, Clone)]
pub struct LogRow {
    pub id: i64,
    pub day: String,
    pub duration: String,
    pub kind: &'static str,
    /// The curriculum's title and the item's, when the log is about an item.
    pub curriculum: Option<String>,
    pub item: Option<String>,
    pub item_url: Option<String>,
    pub note: String,
}

impl LogRow {
    pub fn edit_url(&self) -> String {
        format!("/logs/{}/edit", self.id)
    }
}

/// Rows for logs, naming items by their titles where the learner still follows them.
pub fn log_rows(logs: &[StudyLog], catalog: &Catalog, today: Date) -> Vec<LogRow> {
    logs.iter()
        .map(|log| {
            let (curriculum, item, item_url) = match (log.follow, &log.item) {
                (Some(follow), Some(item)) => match catalog.describe(follow, item) {
                    Some((curriculum, title)) => (
                        Some(curriculum.to_owned()),
                        Some(title.to_owned()),
                        Some(format!("/follows/{}/items/{}", follow.0, item)),
                    ),
                    None => (None, Some(item.to_string()), None),
                },
                (_, Some(item)) => (None, Some(item.to_string()), None),
                (_, None) => (None, None, None),
            };
            LogRow {
                id: log.id.0,
                day: day_words(log.day, today),
                // A log shows exactly what was logged: `1 h 24 min`.
                duration: hm(log.minutes),
                kind: kind_label(log.kind),
                curriculum,
                item,
                item_url,
                note: log.note.clone(),
            }
        })
        .collect()
}

pub fn kind_label(kind: LogKind) -> &'static str {
    match kind {
        LogKind::Learn => "Learn",
        LogKind::Build => "Build",
        LogKind::Review => "Review",
    }
}
