//! Loading a follow through the `Store` traits.

use jiff::civil::Weekday;

use super::cache::CurriculumCache;
use super::model::Followed;
use crate::store::{Follow, FollowId, Store, StoreError, User};

/// Why a follow could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FollowError {
    /// No such follow, or not the learner's.
    #[error("no such follow")]
    NotFound,
    /// The stored curriculum's source does not read.
    #[error("“{title}” has errors in its source, so it cannot be planned until they are fixed")]
    Unreadable { title: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The curriculum and board of a follow whose ownership the caller has checked.
pub async fn load_follow(
    store: &dyn Store,
    cache: &CurriculumCache,
    follow: Follow,
    week_start: Weekday,
) -> Result<Followed, FollowError> {
    let record = store
        .curriculum(follow.curriculum)
        .await?
        .ok_or(FollowError::NotFound)?;
    let curriculum = cache
        .parse(&record)
        .ok_or_else(|| FollowError::Unreadable {
            title: record.title.clone(),
        })?;
    let states = store
        .item_states(follow.id)
        .await?
        .into_iter()
        .map(|s| (s.item.clone(), s))
        .collect();
    Ok(Followed {
        follow,
        record,
        curriculum,
        states,
        week_start,
    })
}

/// The learner's follow `id`, planned in their week; `NotFound` unless it is theirs.
pub async fn owned_follow(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    id: FollowId,
) -> Result<Followed, FollowError> {
    let follow = store
        .follow(id)
        .await?
        .filter(|f| f.user == user.id)
        .ok_or(FollowError::NotFound)?;
    load_follow(store, cache, follow, user.settings.week_start.0).await
}
