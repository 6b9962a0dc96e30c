//! The board's use cases over the `Store` traits, with the clock passed in.

use jiff::Timestamp;

use super::rules::{EvidenceInput, MAX_NOTES_CHARS, start_warning};
use crate::curriculum::ItemId;
use crate::follow::{CurriculumCache, FollowError, Followed, owned_follow};
use crate::store::{Evidence, EvidenceId, FollowId, ItemStatus, Store, StoreError, User};

#[derive(Debug, thiserror::Error)]
pub enum BoardError {
    /// No such follow, item or evidence, or not the learner's.
    #[error("no such follow, item or evidence")]
    NotFound,
    #[error(
        "notes hold at most {MAX_NOTES_CHARS} characters: shorten them, or link to a longer document"
    )]
    NotesTooLong,
    #[error(transparent)]
    Task(#[from] super::tasks::TaskError),
    #[error(transparent)]
    Follow(FollowError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<FollowError> for BoardError {
    fn from(e: FollowError) -> Self {
        match e {
            FollowError::NotFound => BoardError::NotFound,
            FollowError::Store(e) => BoardError::Store(e),
            other => BoardError::Follow(other),
        }
    }
}

/// A card moved, and the warning when its prerequisites are not finished.
#[derive(Debug, Clone)]
pub struct Moved {
    pub followed: Followed,
    pub warning: Option<String>,
}

/// The learner's follow with `item` in its curriculum.
async fn with_item(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    follow: FollowId,
    item: &ItemId,
) -> Result<Followed, BoardError> {
    let followed = owned_follow(store, cache, user, follow).await?;
    followed.curriculum.item(item).ok_or(BoardError::NotFound)?;
    Ok(followed)
}

/// Moves an item of the learner's follow to `status`.
pub async fn move_card(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    follow: FollowId,
    item: &ItemId,
    status: ItemStatus,
    now: Timestamp,
) -> Result<Moved, BoardError> {
    let mut followed = with_item(store, cache, user, follow, item).await?;
    store
        .set_item_status(follow, user.id, item, status, now)
        .await?;
    let state = followed
        .states
        .entry(item.clone())
        .or_insert_with(|| crate::store::ItemState {
            item: item.clone(),
            status,
            notes: String::new(),
            updated_at: now,
        });
    (state.status, state.updated_at) = (status, now);
    let warning = start_warning(&followed, item, status);
    Ok(Moved { followed, warning })
}

/// Replaces an item's notes (Markdown).
pub async fn save_notes(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    follow: FollowId,
    item: &ItemId,
    notes: &str,
    now: Timestamp,
) -> Result<(), BoardError> {
    if notes.chars().count() > MAX_NOTES_CHARS {
        return Err(BoardError::NotesTooLong);
    }
    with_item(store, cache, user, follow, item).await?;
    Ok(store
        .set_item_notes(follow, user.id, item, notes, now)
        .await?)
}

/// Ticks (or unticks) checklist item `n` (0 first) in an item's notes.
#[allow(
    clippy::too_many_arguments,
    reason = "the service's inputs, each one named"
)]
pub async fn tick_task(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    follow: FollowId,
    item: &ItemId,
    n: usize,
    checked: bool,
    now: Timestamp,
) -> Result<(), BoardError> {
    let followed = with_item(store, cache, user, follow, item).await?;
    let notes = followed
        .states
        .get(item)
        .map(|s| s.notes.as_str())
        .unwrap_or_default();
    let ticked = super::tasks::set_task(notes, n, checked)?;
    if ticked != notes {
        store
            .set_item_notes(follow, user.id, item, &ticked, now)
            .await?;
    }
    Ok(())
}

/// Adds checked evidence to an item.
pub async fn add_evidence(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    follow: FollowId,
    item: &ItemId,
    evidence: &EvidenceInput,
    now: Timestamp,
) -> Result<Evidence, BoardError> {
    with_item(store, cache, user, follow, item).await?;
    Ok(store
        .add_evidence(
            follow,
            user.id,
            item,
            evidence.kind,
            &evidence.url,
            &evidence.title,
            now,
        )
        .await?)
}

/// Removes one piece of an item's evidence; evidence of another item is not found, so an
/// address always names what it removes.
pub async fn remove_evidence(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    follow: FollowId,
    item: &ItemId,
    id: EvidenceId,
) -> Result<(), BoardError> {
    with_item(store, cache, user, follow, item).await?;
    let belongs = store
        .evidence(follow)
        .await?
        .iter()
        .any(|e| e.id == id && &e.item == item);
    if !belongs {
        return Err(BoardError::NotFound);
    }
    match store.delete_evidence(follow, user.id, id).await {
        Err(StoreError::NotFound) => Err(BoardError::NotFound),
        other => Ok(other?),
    }
}
