//! Storage of what crowd hours are made from (see `crate::crowd`): the time learners who
//! opted in logged on an item they finished, in a curriculum and its copies; and the
//! learners' reviews of items.

use async_trait::async_trait;

use jiff::Timestamp;

use super::{CurriculumId, FollowId, StoreResult};
use crate::accounts::{Handle, UserId};
use crate::curriculum::{ItemId, Minutes};

/// One learner's time on one finished item, with how far they went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrowdSample {
    pub user: UserId,
    /// Every minute logged on the item.
    pub minutes: Minutes,
    /// Of which logged as building (exercises, practice, a project).
    pub building: Minutes,
    /// Whether the learner attached evidence to the item.
    pub evidence: bool,
}

#[async_trait]
pub trait CrowdStore: Send + Sync {
    /// For each follow of curriculum `root` or of a direct copy of it, and of any public
    /// curriculum (or copy of one) with an item whose link has `address`
    /// (`crowd::resource_address`), by a learner who
    /// opted in to crowd figures, that has the item done: the time logged on it.
    async fn crowd_samples(
        &self,
        root: CurriculumId,
        item: &ItemId,
        address: Option<&str>,
    ) -> StoreResult<Vec<CrowdSample>>;
}

/// A learner who finished an item, and whether they went on to finish the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Onward {
    pub user: UserId,
    pub finished_next: bool,
}

/// A rating in half stars: 1 is half a star, 10 five stars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HalfStars(u8);

impl HalfStars {
    pub const MAX: u8 = 10;

    /// `halves` half stars, when from 1 to [`Self::MAX`].
    pub fn new(halves: u8) -> Option<Self> {
        (1..=Self::MAX).contains(&halves).then_some(Self(halves))
    }

    pub fn halves(self) -> u8 {
        self.0
    }

    /// The rating in stars: 3.5.
    pub fn stars(self) -> f64 {
        f64::from(self.0) / 2.0
    }
}

/// A learner's review of an item, as they write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewItemReview {
    pub follow: FollowId,
    pub item: ItemId,
    pub rating: HalfStars,
    /// Markdown, at most `crowd::REVIEW_MAX_CHARS`.
    pub text: String,
    /// A spoiler-free note for the next learner, plain text.
    pub tip: String,
    pub now: Timestamp,
}

/// A review as stored, for the takeout and its import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemReviewRecord {
    pub follow: FollowId,
    pub item: ItemId,
    pub rating: HalfStars,
    pub text: String,
    pub tip: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A stored review, with what the reviewer's own records say about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemReview {
    pub follow: FollowId,
    pub user: UserId,
    pub handle: Handle,
    pub item: ItemId,
    pub rating: HalfStars,
    pub text: String,
    pub tip: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Every minute the reviewer logged on the item in that follow.
    pub logged: Minutes,
    /// Whether the item is done on the reviewer's board.
    pub finished: bool,
    /// The curriculum the review was written from (the reviewer's follow's).
    pub curriculum: CurriculumId,
}

#[async_trait]
pub trait ItemReviewStore: Send + Sync {
    /// The learners who opted in to crowd figures and finished `item` in curriculum `root` or
    /// a direct copy of it, each with whether `next` is done on that same board.
    async fn onward(
        &self,
        root: CurriculumId,
        item: &ItemId,
        next: &ItemId,
    ) -> StoreResult<Vec<Onward>>;
    /// Writes the follow's review of the item, replacing one there is.
    async fn save_item_review(&self, review: NewItemReview) -> StoreResult<ItemReview>;
    /// Removes the follow's review of the item; `NotFound` when there is none.
    async fn delete_item_review(&self, follow: FollowId, item: &ItemId) -> StoreResult<()>;
    /// The reviews of `item` written from follows of `root` or of a direct copy of it, newest
    /// first.
    async fn item_reviews(&self, root: CurriculumId, item: &ItemId)
    -> StoreResult<Vec<ItemReview>>;
    /// The follow's review of the item.
    async fn item_review(&self, follow: FollowId, item: &ItemId)
    -> StoreResult<Option<ItemReview>>;
    /// Every review `user` wrote, newest first.
    async fn item_reviews_by(&self, user: UserId) -> StoreResult<Vec<ItemReview>>;
}
