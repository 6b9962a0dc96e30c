//! The crowd figures of an item, over the `Store` traits.

use super::model::CrowdHours;
use super::rules::crowd_hours;
use crate::accounts::UserId;
use crate::curricula::{CurriculumError, visible_curriculum};
use crate::curriculum::ItemId;
use crate::store::{CurriculumId, Lineage, Store, Visibility};

/// The crowd hours of `item` of curriculum `id`, which `viewer` must be able to see: counted
/// across the lineage (the curriculum a copy came from, and every copy of that), and only when
/// that curriculum is public. `None` when there are not enough learners.
pub async fn item_crowd_hours(
    store: &dyn Store,
    viewer: Option<UserId>,
    id: CurriculumId,
    item: &ItemId,
) -> Result<Option<CrowdHours>, CurriculumError> {
    let record = visible_curriculum(store, viewer, id).await?;
    let root = match &record.lineage {
        Lineage::Fork(fork) => match store.curriculum(fork.source).await? {
            Some(source) => source,
            // A copy whose source is gone has no lineage left to count.
            None => return Ok(None),
        },
        _ => record,
    };
    if root.visibility != Visibility::Public {
        return Ok(None);
    }
    let samples = store.crowd_samples(root.id, item).await?;
    Ok(crowd_hours(&samples))
}
