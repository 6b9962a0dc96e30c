//! Storage of suggestions to a curriculum's author (see `crate::upstream`): an item as a
//! copy's owner has it, sent to the curriculum the copy came from.

use async_trait::async_trait;
use jiff::Timestamp;

use super::{CurriculumId, StoreResult};
use crate::accounts::{Handle, UserId};
use crate::curriculum::ItemId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SuggestionId(pub i64);

/// Where a suggestion stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionStatus {
    Open,
    Accepted,
    Declined,
}

impl SuggestionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionStatus::Open => "open",
            SuggestionStatus::Accepted => "accepted",
            SuggestionStatus::Declined => "declined",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Open, Self::Accepted, Self::Declined]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// A suggestion to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSuggestion {
    /// The curriculum it is suggested to.
    pub curriculum: CurriculumId,
    pub from: UserId,
    pub item: ItemId,
    /// The item as suggested: a curriculum file of one phase holding that one item.
    pub item_source: String,
    pub note: String,
    pub now: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub id: SuggestionId,
    pub curriculum: CurriculumId,
    pub from: UserId,
    pub from_handle: Handle,
    pub item: ItemId,
    pub item_source: String,
    pub note: String,
    pub status: SuggestionStatus,
    pub created_at: Timestamp,
    pub decided_at: Option<Timestamp>,
}

#[async_trait]
pub trait SuggestionStore: Send + Sync {
    async fn add_suggestion(&self, new: NewSuggestion) -> StoreResult<Suggestion>;
    async fn suggestion(&self, id: SuggestionId) -> StoreResult<Option<Suggestion>>;
    /// The suggestions to curriculum `id`, the open ones first, newest first in each.
    async fn suggestions_to(&self, id: CurriculumId) -> StoreResult<Vec<Suggestion>>;
    /// The suggestions `user` made, newest first.
    async fn suggestions_by(&self, user: UserId) -> StoreResult<Vec<Suggestion>>;
    /// Answers an open suggestion to a curriculum `owner` owns; `NotFound` otherwise (one
    /// already answered included).
    async fn answer_suggestion(
        &self,
        id: SuggestionId,
        owner: UserId,
        status: SuggestionStatus,
        now: Timestamp,
    ) -> StoreResult<()>;
}
