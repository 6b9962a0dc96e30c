//! Storage of the public listing (see `crate::explore`): what a curriculum is, in a line, kept
//! beside its source, and the search over public curricula.

use async_trait::async_trait;
use jiff::Timestamp;

use super::{CurriculumId, StoreResult};
use crate::accounts::Handle;
use crate::curriculum::{ItemKind, Minutes};

/// A curriculum in figures, derived from its source and written with it in the same
/// transaction, so that a listing never parses a file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CurriculumSummary {
    pub items: u32,
    /// Planned hours of every item.
    pub total: Minutes,
    /// The curriculum's own hours a week, when it states one.
    pub weekly: Option<Minutes>,
    /// The kinds of its items, each once, in [`ItemKind::ALL`] order.
    pub kinds: Vec<ItemKind>,
    /// Its items' skills, each once, sorted.
    pub skills: Vec<String>,
    /// The title and skills, lowercased, for search.
    pub search_text: String,
}

/// How a listing is ordered; ties go to the most recently updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExploreSort {
    /// Learners following it or a copy of it.
    #[default]
    Followers,
    /// Learners who finished it or a copy of it.
    Finishers,
    /// Most recently changed.
    Recent,
}

/// Which public curricula to list: every `Some` narrows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExploreFilter {
    /// Lowercased words, each found in the title, the skills or the author's handle.
    pub words: Vec<String>,
    /// An exact skill, lowercased.
    pub skill: Option<String>,
    pub kind: Option<ItemKind>,
    pub min_total: Option<Minutes>,
    pub max_total: Option<Minutes>,
    /// At most this many hours a week (curricula that state none are left out).
    pub max_weekly: Option<Minutes>,
    pub sort: ExploreSort,
    pub offset: u32,
    pub limit: u32,
}

/// A public curriculum, as one line of the listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedCurriculum {
    pub id: CurriculumId,
    pub title: String,
    pub owner_handle: Handle,
    pub summary: CurriculumSummary,
    pub followers: u32,
    pub finishers: u32,
    pub updated_at: Timestamp,
}

#[async_trait]
pub trait ExploreStore: Send + Sync {
    /// Public curricula matching `filter`, in its order, from `offset`, at most `limit`.
    async fn explore(&self, filter: &ExploreFilter) -> StoreResult<Vec<ListedCurriculum>>;
    /// How many learners follow curriculum `id` or a copy of it, and how many finished:
    /// `(followers, finishers)`, whatever its privacy.
    async fn follower_counts(&self, id: CurriculumId) -> StoreResult<Option<(u32, u32)>>;
}
