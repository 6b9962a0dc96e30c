//! The learner's derived views kept between requests ([`LearnerMemo`]): what every signed-in
//! page shows (the running timer, the quick log's items), Today, the week, the dashboard and
//! what a profile is made of.
//! Each is keyed by the learner's data version, which the session's query reads anyway, so a
//! page that nothing has changed since costs one query and a render, on every node.
//!
//! A view is weighed by the size of the page rendered from it, a fair measure of the strings
//! it holds, so the memos together stay within `WebConfig::memo_bytes`.

use std::sync::Arc;

use askama::Template;
use autodidact_core::insight::summary::WeekSummary;
use autodidact_core::logs::Catalog;
use autodidact_core::memo::{LearnerMemo, ModelMemo};
use autodidact_core::sharing::ProfileData;
use autodidact_core::store::{FollowId, Timer, User};
use autodidact_core::today::Today;
use axum::response::{Html, IntoResponse, Response};
use jiff::civil::Date;

use crate::curricula::view::CurriculumBody;
use crate::dashboard::DashboardView;
use crate::error::PageError;
use crate::follows::FollowToday;

/// What every signed-in page shows of the learner's data.
#[derive(Debug)]
pub struct Viewed {
    pub timer: Option<Timer>,
    pub catalog: Arc<Catalog>,
}

impl Viewed {
    /// Approximate bytes: the titles and ids of every item the quick log lists.
    pub fn weight(&self) -> u64 {
        let items: usize = self.catalog.followed.iter().map(|f| f.items.len()).sum();
        512 + 96 * items as u64
    }
}

pub struct Memos {
    pub viewer: LearnerMemo<(), Viewed>,
    /// Today, keyed by the learner's date.
    pub today: LearnerMemo<Date, Today>,
    /// The week shown, keyed by its first day and the learner's date.
    pub week: LearnerMemo<(Date, Date), WeekSummary>,
    /// The dashboard, keyed by the learner's date.
    pub dashboard: LearnerMemo<Date, DashboardView>,
    /// Each follow shown (its plan, board), keyed by the follow and the learner's date.
    pub follow: LearnerMemo<(FollowId, Date), FollowToday>,
    /// The curriculum page's phases and items, the same for every viewer, per parsed model.
    pub curriculum: ModelMemo<CurriculumBody>,
    /// What a learner's profile is made of, keyed by their date, filed under the profile's
    /// owner; each viewer's page is composed from it by what they may see.
    pub profile: LearnerMemo<Date, ProfileData>,
}

impl Memos {
    /// Memos holding about `bytes` in all: a seventh each.
    pub fn new(bytes: u64) -> Self {
        let share = bytes / 7;
        Self {
            viewer: LearnerMemo::new(share),
            today: LearnerMemo::new(share),
            week: LearnerMemo::new(share),
            dashboard: LearnerMemo::new(share),
            follow: LearnerMemo::new(share),
            curriculum: ModelMemo::new(share),
            profile: LearnerMemo::new(share),
        }
    }
}

impl std::fmt::Debug for Memos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memos")
            .field("viewer", &self.viewer.usage())
            .field("today", &self.today.usage())
            .field("week", &self.week.usage())
            .field("dashboard", &self.dashboard.usage())
            .field("follow", &self.follow.usage())
            .field("curriculum", &self.curriculum.usage())
            .field("profile", &self.profile.usage())
            .finish()
    }
}

/// A view from a memo, or one just computed that is filed once its page is rendered.
pub struct Looked<K, V> {
    pub view: Arc<V>,
    /// The key to file a computed view under; `None` when it came from the memo.
    file_as: Option<K>,
}

/// The learner's view from `memo`, or computed by `load`.
pub async fn look<K: Eq + std::hash::Hash + Clone, V, E, Fut>(
    memo: &LearnerMemo<K, V>,
    user: &User,
    key: K,
    load: impl FnOnce() -> Fut,
) -> Result<Looked<K, V>, E>
where
    Fut: Future<Output = Result<V, E>>,
{
    if let Some(view) = memo.get(user, &key) {
        return Ok(Looked {
            view,
            file_as: None,
        });
    }
    Ok(Looked {
        view: Arc::new(load().await?),
        file_as: Some(key),
    })
}

/// Renders `page`, made from `looked`'s view, and files a view just computed, weighed by the
/// page's size.
pub fn render<T: Template, K: Eq + std::hash::Hash + Clone, V>(
    page: &T,
    memo: &LearnerMemo<K, V>,
    user: &User,
    looked: Looked<K, V>,
) -> Result<Response, PageError> {
    let html = page
        .render()
        .map_err(|e| PageError::Internal(format!("rendering a page: {e}")))?;
    if let Some(key) = looked.file_as {
        memo.put(user, key, looked.view, html.len() as u64);
    }
    Ok(Html(html).into_response())
}
