//! Review use cases over the `Store` traits, with the clock passed in.

use jiff::Timestamp;

use super::rules::{Grade, ReviewError, ReviewState};
use crate::curriculum::ItemId;
use crate::follow::{CurriculumCache, FollowError, owned_follow};
use crate::store::{FollowId, ItemStatus, ReviewEvent, ReviewRecord, Store, StoreError, User};

#[derive(Debug, thiserror::Error)]
pub enum ReviewServiceError {
    /// No such follow or item, not the learner's, or (for a grade) not marked.
    #[error("no such item to review")]
    NotFound,
    #[error(
        "finish the item first: only an item marked done can be revisited; move it to Done, then mark it"
    )]
    NotDone,
    /// The stored state does not read back: a bug, never the learner's doing.
    #[error(transparent)]
    Corrupt(#[from] ReviewError),
    #[error(transparent)]
    Follow(FollowError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<FollowError> for ReviewServiceError {
    fn from(e: FollowError) -> Self {
        match e {
            FollowError::NotFound => ReviewServiceError::NotFound,
            FollowError::Store(e) => ReviewServiceError::Store(e),
            other => ReviewServiceError::Follow(other),
        }
    }
}

async fn done_item(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    follow: FollowId,
    item: &ItemId,
) -> Result<ItemStatus, ReviewServiceError> {
    let followed = owned_follow(store, cache, user, follow).await?;
    followed
        .curriculum
        .item(item)
        .ok_or(ReviewServiceError::NotFound)?;
    Ok(followed.status(item))
}

/// Marks a done item worth revisiting; the first review comes a few days after today. Marking
/// twice keeps the first mark and its schedule.
pub async fn mark_for_review(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    follow: FollowId,
    item: &ItemId,
    now: Timestamp,
) -> Result<ReviewRecord, ReviewServiceError> {
    if done_item(store, cache, user, follow, item).await? != ItemStatus::Done {
        return Err(ReviewServiceError::NotDone);
    }
    let state = ReviewState::new(user.today(now));
    match store
        .mark_review(follow, user.id, item, &state.to_json(), state.due, now)
        .await
    {
        Ok(record) => Ok(record),
        Err(StoreError::Conflict { .. }) => store
            .reviews_of(follow)
            .await?
            .into_iter()
            .find(|r| &r.item == item)
            .ok_or(ReviewServiceError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// Records a review done today with `grade`, and schedules the next one.
pub async fn grade_review(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    follow: FollowId,
    item: &ItemId,
    grade: Grade,
    now: Timestamp,
) -> Result<(ReviewEvent, ReviewState), ReviewServiceError> {
    done_item(store, cache, user, follow, item).await?;
    let record = store
        .reviews_of(follow)
        .await?
        .into_iter()
        .find(|r| &r.item == item)
        .ok_or(ReviewServiceError::NotFound)?;
    let day = user.today(now);
    let next = ReviewState::from_json(&record.state)?.after(grade, day);
    let event = store
        .record_review(
            follow,
            user.id,
            item,
            grade,
            day,
            &next.to_json(),
            next.due,
            now,
        )
        .await?;
    Ok((event, next))
}

/// Stops reviewing an item; its history goes with it. Stopping an unmarked item changes
/// nothing.
pub async fn stop_review(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    follow: FollowId,
    item: &ItemId,
) -> Result<(), ReviewServiceError> {
    done_item(store, cache, user, follow, item).await?;
    match store.unmark_review(follow, user.id, item).await {
        Ok(()) | Err(StoreError::NotFound) => Ok(()),
        Err(e) => Err(e.into()),
    }
}
