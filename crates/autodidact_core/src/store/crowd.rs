//! Storage of what crowd hours are made from (see `crate::crowd`): the time learners who
//! opted in logged on an item they finished, in a curriculum and its copies.

use async_trait::async_trait;

use super::{CurriculumId, StoreResult};
use crate::accounts::UserId;
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
    /// For each follow of curriculum `root` or of a direct copy of it, by a learner who opted
    /// in to crowd figures, that has `item` done with time logged on it: the time.
    async fn crowd_samples(
        &self,
        root: CurriculumId,
        item: &ItemId,
    ) -> StoreResult<Vec<CrowdSample>>;
}
