//! Reading and forking stored curricula, over the `Store` traits.

use jiff::Timestamp;

use super::rules::copy_of;
use crate::accounts::UserId;
use crate::curriculum::{Curriculum, Problem, Severity, check_toml, validate, write_toml};
use crate::sharing::relation_between;
use crate::store::{
    CurriculumId, CurriculumRecord, Lineage, NewCurriculum, Relation, Store, StoreError, User,
    Visibility,
};

#[derive(Debug, thiserror::Error)]
pub enum CurriculumError {
    /// No such curriculum, or not one the viewer may see (or change): the same answer, so
    /// that a private curriculum's existence is not revealed.
    #[error("no such curriculum")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A curriculum `viewer` may open at its address: their own, an unlisted or public one, or
/// one shown to followers when the viewer is an approved follower of its owner.
pub async fn visible_curriculum(
    store: &dyn Store,
    viewer: Option<UserId>,
    id: CurriculumId,
) -> Result<CurriculumRecord, CurriculumError> {
    let record = store
        .curriculum(id)
        .await?
        .ok_or(CurriculumError::NotFound)?;
    // The relation costs a read: only a followers-only curriculum of someone else needs it.
    let relation = match (record.visibility, viewer) {
        (_, Some(v)) if v == record.owner => Relation::Owner,
        (Visibility::Followers, _) => relation_between(store, record.owner, viewer).await?,
        _ => Relation::Stranger,
    };
    if record.visibility.shows_to(relation) {
        Ok(record)
    } else {
        Err(CurriculumError::NotFound)
    }
}

/// One of `owner`'s curricula.
pub async fn owned_curriculum(
    store: &dyn Store,
    owner: UserId,
    id: CurriculumId,
) -> Result<CurriculumRecord, CurriculumError> {
    store
        .curriculum(id)
        .await?
        .filter(|r| r.owner == owner)
        .ok_or(CurriculumError::NotFound)
}

/// `owner`'s curriculum `id` with its model, read as stored (the rules added since it was
/// stored do not stop it), for a change to it.
pub(crate) async fn owned_model(
    store: &dyn Store,
    owner: UserId,
    id: CurriculumId,
) -> Result<(CurriculumRecord, Curriculum), EditError> {
    let record = owned_curriculum(store, owner, id)
        .await
        .map_err(|e| match e {
            CurriculumError::NotFound => EditError::NotFound,
            CurriculumError::Store(e) => EditError::Store(e),
        })?;
    let model = crate::curriculum::check_stored_toml(&record.source)
        .curriculum
        .ok_or(EditError::WouldNotReadBack)?;
    Ok((record, model))
}

/// A private copy of a curriculum `user` may see, owned by them and linked to its source.
pub async fn fork_curriculum(
    store: &dyn Store,
    user: &User,
    source: CurriculumId,
    now: Timestamp,
) -> Result<CurriculumRecord, CurriculumError> {
    let record = visible_curriculum(store, Some(user.id), source).await?;
    let owner = store
        .user(record.owner)
        .await?
        .ok_or(CurriculumError::NotFound)?;
    Ok(store
        .create_curriculum(copy_of(&record, &owner.handle, user.id, now))
        .await?)
}

/// Why an edit was refused.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("no such curriculum")]
    NotFound,
    /// The edited curriculum breaks a rule of the format; every error is here.
    #[error("the curriculum has {} problem(s): {}", .0.len(), .0.iter().map(|p| p.kind.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Problem>),
    /// Written out, it would not read back as the same curriculum: a bug, never stored.
    #[error("the edited curriculum would not read back the same from its file")]
    WouldNotReadBack,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Stores an edited curriculum of `owner`'s as its TOML file, after the same checks as
/// `autodidact check`, and counts a version. What is stored is exactly what the command line
/// would read back.
pub async fn edit_curriculum(
    store: &dyn Store,
    owner: UserId,
    id: CurriculumId,
    changed: &Curriculum,
    now: Timestamp,
) -> Result<(), EditError> {
    let errors: Vec<Problem> = validate(changed)
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        return Err(EditError::Invalid(errors));
    }
    let source = write_toml(changed);
    if check_toml(&source).curriculum.as_ref() != Some(changed) {
        return Err(EditError::WouldNotReadBack);
    }
    match store
        .update_curriculum(id, owner, &changed.title, &source, now)
        .await
    {
        Ok(()) => Ok(()),
        Err(StoreError::NotFound) => Err(EditError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// Stores a new curriculum of `owner`'s from its TOML source, after the checks of
/// `autodidact check`.
pub async fn create_curriculum(
    store: &dyn Store,
    owner: UserId,
    source: &str,
    visibility: Visibility,
    lineage: Lineage,
    now: Timestamp,
) -> Result<CurriculumRecord, EditError> {
    let checked = check_toml(source);
    let Some(curriculum) = checked.curriculum else {
        let problems = checked.diagnostics.into_iter().map(|d| d.problem).collect();
        return Err(EditError::Invalid(problems));
    };
    Ok(store
        .create_curriculum(NewCurriculum {
            owner,
            title: curriculum.title,
            visibility,
            source: source.to_owned(),
            lineage,
            now,
        })
        .await?)
}

/// Stores an edited TOML source of `owner`'s curriculum, after the checks of `autodidact check`.
pub async fn replace_source(
    store: &dyn Store,
    owner: UserId,
    id: CurriculumId,
    source: &str,
    now: Timestamp,
) -> Result<(), EditError> {
    let checked = check_toml(source);
    let Some(curriculum) = checked.curriculum else {
        let problems = checked.diagnostics.into_iter().map(|d| d.problem).collect();
        return Err(EditError::Invalid(problems));
    };
    owned_curriculum(store, owner, id)
        .await
        .map_err(|e| match e {
            CurriculumError::NotFound => EditError::NotFound,
            CurriculumError::Store(e) => EditError::Store(e),
        })?;
    edit_curriculum(store, owner, id, &curriculum, now).await
}

/// Changes who may see one of `owner`'s curricula.
pub async fn set_visibility(
    store: &dyn Store,
    owner: UserId,
    id: CurriculumId,
    visibility: Visibility,
    now: Timestamp,
) -> Result<(), CurriculumError> {
    match store
        .set_curriculum_visibility(id, owner, visibility, now)
        .await
    {
        Err(StoreError::NotFound) => Err(CurriculumError::NotFound),
        other => Ok(other?),
    }
}

/// Deletes one of `owner`'s curricula with their own follows of it; other learners' copies
/// stay.
pub async fn delete_curriculum(
    store: &dyn Store,
    owner: UserId,
    id: CurriculumId,
) -> Result<(), CurriculumError> {
    match store.delete_curriculum(id, owner).await {
        Err(StoreError::NotFound) => Err(CurriculumError::NotFound),
        other => Ok(other?),
    }
}
