//! Estimates in bulk, and imports that remember what they said.
//!
//! - [`apply_estimates`]: new hours for many items at once (the hours grid), each then the
//!   learner's own (stated);
//! - [`save_estimates`]: the same for a stored curriculum, checked and stored as one edit;
//! - [`import_curriculum`]: stores an imported curriculum with its report, in one transaction.

use jiff::Timestamp;

use super::service::{EditError, edit_curriculum, owned_curriculum, owned_model};
use crate::accounts::UserId;
use crate::curriculum::{Curriculum, Effort, EstimateSource, ItemId, check_toml, write_toml};
use crate::import::Imported;
use crate::store::{
    CurriculumId, CurriculumRecord, ImportReport, Lineage, NewCurriculum, Store, Visibility,
};

/// New hours for one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EstimateChange {
    pub item: ItemId,
    pub effort: Effort,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EstimatesError {
    #[error(
        "there is no item `{0}` in this curriculum: it may have been removed since the page was shown"
    )]
    UnknownItem(ItemId),
}

/// `curriculum` with each change applied; a changed item's estimate becomes the learner's own
/// (no longer a guess or missing). Items not named keep theirs.
pub fn apply_estimates(
    curriculum: &Curriculum,
    changes: &[EstimateChange],
) -> Result<Curriculum, EstimatesError> {
    let mut changed = curriculum.clone();
    for change in changes {
        let item = changed
            .phases
            .iter_mut()
            .flat_map(|p| p.items.iter_mut())
            .find(|i| i.id == change.item)
            .ok_or_else(|| EstimatesError::UnknownItem(change.item.clone()))?;
        item.effort = change.effort;
        item.estimate_source = EstimateSource::Stated;
    }
    Ok(changed)
}

/// Stores new hours for items of `owner`'s curriculum `id`, all or none, after the checks of
/// every edit. Returns how many items changed.
pub async fn save_estimates(
    store: &dyn Store,
    owner: UserId,
    id: CurriculumId,
    changes: &[EstimateChange],
    now: Timestamp,
) -> Result<usize, SaveEstimatesError> {
    let (_, curriculum) = owned_model(store, owner, id).await?;
    let changed = apply_estimates(&curriculum, changes)?;
    if changed == curriculum {
        return Ok(0);
    }
    edit_curriculum(store, owner, id, &changed, now).await?;
    Ok(changes.len())
}

#[derive(Debug, thiserror::Error)]
pub enum SaveEstimatesError {
    #[error(transparent)]
    Estimates(#[from] EstimatesError),
    #[error(transparent)]
    Edit(#[from] EditError),
}

/// Stores an imported curriculum as a new private curriculum of `owner`'s, with the import's
/// report, in one transaction.
pub async fn import_curriculum(
    store: &dyn Store,
    owner: UserId,
    imported: &Imported,
    now: Timestamp,
) -> Result<CurriculumRecord, EditError> {
    let source = write_toml(&imported.curriculum);
    // What is stored is what `autodidact check` would accept (a curriculum file over 16 MB is
    // not, though a 32 MB import may make one).
    let checked = check_toml(&source);
    if checked.curriculum.is_none() {
        let problems = checked.diagnostics.into_iter().map(|d| d.problem).collect();
        return Err(EditError::Invalid(problems));
    }
    let report = ImportReport {
        format: imported.format.as_str().to_owned(),
        notes: imported.notes.clone(),
        progress: imported.progress.clone(),
        created_at: now,
    };
    Ok(store
        .create_imported_curriculum(
            NewCurriculum {
                owner,
                title: imported.curriculum.title.clone(),
                visibility: Visibility::Private,
                source,
                lineage: Lineage::Original,
                now,
            },
            &report,
        )
        .await?)
}

/// `owner`'s curriculum that an import of `imported` would most likely duplicate: one with the
/// same title (case and spacing aside). Re-uploading a board should update it, not make a copy
/// cut off from the plan and the logs.
pub async fn likely_duplicate(
    store: &dyn Store,
    owner: UserId,
    imported: &Curriculum,
) -> Result<Option<CurriculumRecord>, crate::store::StoreError> {
    let key = |t: &str| {
        t.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let title = key(&imported.title);
    Ok(store
        .curricula_of(owner)
        .await?
        .into_iter()
        .find(|r| key(&r.title) == title))
}

/// The report of the import that made `owner`'s curriculum `id`; `None` when it was not
/// imported, or is not theirs.
pub async fn import_report(
    store: &dyn Store,
    owner: UserId,
    id: CurriculumId,
) -> Result<Option<ImportReport>, EditError> {
    if owned_curriculum(store, owner, id).await.is_err() {
        return Ok(None);
    }
    Ok(store.import_report(id).await?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;
    use crate::curriculum::{Minutes, check_toml};

    const SOURCE: &str = r#"title = "T"
[[phases]]
title = "One"
[[phases.items]]
id = "a"
kind = "book"
title = "A"
hours = 20
estimated = "missing"
[[phases.items]]
id = "b"
kind = "course"
title = "B"
hours = 5
"#;

    #[test]
    fn new_hours_become_the_learners_own_and_the_others_stay() {
        let c = check_toml(SOURCE).curriculum.unwrap();
        let changed = apply_estimates(
            &c,
            &[EstimateChange {
                item: ItemId::from_title("a"),
                effort: Effort::Hours(Minutes::from_hours(12)),
            }],
        )
        .unwrap();
        let a = changed.items().next().unwrap();
        assert_eq!(a.effort, Effort::Hours(Minutes::from_hours(12)));
        assert_eq!(a.estimate_source, EstimateSource::Stated);
        assert_eq!(changed.items().nth(1), c.items().nth(1));
        let unknown = apply_estimates(
            &c,
            &[EstimateChange {
                item: ItemId::from_title("zzz"),
                effort: Effort::Hours(Minutes::from_hours(1)),
            }],
        );
        assert_eq!(
            unknown,
            Err(EstimatesError::UnknownItem(ItemId::from_title("zzz")))
        );
    }
}
