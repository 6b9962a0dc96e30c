//! Updating a curriculum from a file: an edited TOML or a re-exported board applied to the
//! curriculum it came from, matched by item id. The follows of the curriculum keep their plan
//! settings, board states, notes, evidence and logs, all of which name items by id.
//!
//! - [`diff`]: what a new version adds, removes and changes, and the hours before and after;
//! - [`preview_update`]: reads an uploaded file (any import format) against a stored
//!   curriculum and gives the diff, the new source and a fingerprint of the version it was
//!   compared with;
//! - [`apply_update`]: stores the new source if the curriculum is still the version the
//!   learner saw (else it asks them to look again).

use jiff::Timestamp;

use super::service::{EditError, edit_curriculum, owned_model};
use crate::accounts::UserId;
use crate::curriculum::{Curriculum, ItemId, Minutes, check_toml, write_toml};
use crate::import::{ImportError, SourceFormat, import_bytes};
use crate::store::{CurriculumId, Store};

/// One item, as a line of the diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffItem {
    pub id: ItemId,
    pub title: String,
    pub minutes: Minutes,
}

/// An item in both versions that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedItem {
    pub id: ItemId,
    pub title: String,
    /// What changed, in words: `title`, `hours 10 h → 12 h`, `kind`, `link`, `notes`,
    /// `phase`, `prerequisites`.
    pub changes: Vec<String>,
    pub minutes_before: Minutes,
    pub minutes_after: Minutes,
}

/// What a new version of a curriculum does to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurriculumDiff {
    pub added: Vec<DiffItem>,
    pub removed: Vec<DiffItem>,
    pub changed: Vec<ChangedItem>,
    pub title: Option<(String, String)>,
    pub hours_before: Minutes,
    pub hours_after: Minutes,
}

impl CurriculumDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.title.is_none()
    }
}

/// What `new` adds to, removes from and changes in `old`, item by item (by id), in `new`'s
/// order (removed items in `old`'s).
pub fn diff(old: &Curriculum, new: &Curriculum) -> CurriculumDiff {
    let phase_of = |c: &Curriculum, id: &ItemId| {
        c.phases
            .iter()
            .find(|p| p.items.iter().any(|i| &i.id == id))
            .map(|p| p.title.clone())
    };
    let mut added = Vec::new();
    let mut changed = Vec::new();
    for item in new.items() {
        let after = item.planned(new.hours_per_week);
        let Some(before_item) = old.item(&item.id) else {
            added.push(DiffItem {
                id: item.id.clone(),
                title: item.title.clone(),
                minutes: after,
            });
            continue;
        };
        let before = before_item.planned(old.hours_per_week);
        let mut changes = Vec::new();
        if before_item.title != item.title {
            changes.push("title".to_owned());
        }
        if before != after {
            changes.push(format!("hours {before} → {after}"));
        }
        if before_item.kind != item.kind {
            changes.push(format!(
                "kind {} → {}",
                before_item.kind.as_str(),
                item.kind.as_str()
            ));
        }
        if before_item.url != item.url {
            changes.push("link".to_owned());
        }
        if before_item.notes != item.notes {
            changes.push("notes".to_owned());
        }
        if before_item.requires != item.requires {
            changes.push("prerequisites".to_owned());
        }
        if phase_of(old, &item.id) != phase_of(new, &item.id) {
            changes.push("phase".to_owned());
        }
        if !changes.is_empty() {
            changed.push(ChangedItem {
                id: item.id.clone(),
                title: item.title.clone(),
                changes,
                minutes_before: before,
                minutes_after: after,
            });
        }
    }
    let removed = old
        .items()
        .filter(|i| new.item(&i.id).is_none())
        .map(|i| DiffItem {
            id: i.id.clone(),
            title: i.title.clone(),
            minutes: i.planned(old.hours_per_week),
        })
        .collect();
    CurriculumDiff {
        added,
        removed,
        changed,
        title: (old.title != new.title).then(|| (old.title.clone(), new.title.clone())),
        hours_before: old.total_planned(),
        hours_after: new.total_planned(),
    }
}

/// A new version, read and compared, waiting for the learner's yes.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdatePreview {
    pub diff: CurriculumDiff,
    /// The new version as a curriculum file, to apply.
    pub source: String,
    /// The fingerprint of the stored version it was compared with.
    pub base: String,
    pub format: SourceFormat,
    pub notes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("no such curriculum")]
    NotFound,
    #[error(transparent)]
    Import(#[from] ImportError),
    /// The curriculum changed between the preview and the yes.
    #[error(
        "the curriculum changed since this comparison was made: upload the file again to see what it would change now"
    )]
    Stale,
    #[error("this file changes nothing: it is the curriculum as it is")]
    Unchanged,
    #[error(transparent)]
    Edit(#[from] EditError),
}

/// A fingerprint of a curriculum file: FNV-1a of its bytes, in hex. Enough to notice that a
/// curriculum changed between a preview and its application (not a security boundary: the
/// owner is checked on both).
pub fn fingerprint(source: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in source.as_bytes() {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// `owner`'s curriculum `id` and its model; not theirs (or none) is `NotFound`.
async fn owned(
    store: &dyn Store,
    owner: UserId,
    id: CurriculumId,
) -> Result<(crate::store::CurriculumRecord, Curriculum), UpdateError> {
    owned_model(store, owner, id).await.map_err(|e| match e {
        EditError::NotFound => UpdateError::NotFound,
        e => UpdateError::Edit(e),
    })
}

/// Reads `bytes` (in `format`, or the detected one) as a new version of `owner`'s curriculum
/// `id` and compares it with the stored one.
pub async fn preview_update(
    store: &dyn Store,
    owner: UserId,
    id: CurriculumId,
    bytes: &[u8],
    format: Option<SourceFormat>,
) -> Result<UpdatePreview, UpdateError> {
    let (record, old) = owned(store, owner, id).await?;
    let imported = import_bytes(bytes, format, &old.title)?;
    let diff = diff(&old, &imported.curriculum);
    if diff.is_empty() {
        return Err(UpdateError::Unchanged);
    }
    Ok(UpdatePreview {
        diff,
        source: write_toml(&imported.curriculum),
        base: fingerprint(&record.source),
        format: imported.format,
        notes: imported.notes,
    })
}

/// Stores `source` as the new version of `owner`'s curriculum `id`, if the stored version is
/// still the one fingerprinted `base`. Returns what it changed.
pub async fn apply_update(
    store: &dyn Store,
    owner: UserId,
    id: CurriculumId,
    source: &str,
    base: &str,
    now: Timestamp,
) -> Result<CurriculumDiff, UpdateError> {
    let (record, old) = owned(store, owner, id).await?;
    if fingerprint(&record.source) != base {
        return Err(UpdateError::Stale);
    }
    // A file sent back through a form comes with the browser's line ends.
    let source = source.replace("\r\n", "\n");
    let checked = check_toml(&source);
    let Some(new) = checked.curriculum else {
        let problems = checked.diagnostics.into_iter().map(|d| d.problem).collect();
        return Err(UpdateError::Edit(EditError::Invalid(problems)));
    };
    let diff = diff(&old, &new);
    if diff.is_empty() {
        return Err(UpdateError::Unchanged);
    }
    edit_curriculum(store, owner, id, &new, now).await?;
    Ok(diff)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;

    fn parse(source: &str) -> Curriculum {
        check_toml(source).curriculum.unwrap()
    }

    const OLD: &str = r#"title = "T"
[[phases]]
title = "One"
[[phases.items]]
id = "a"
kind = "book"
title = "A"
hours = 10
[[phases.items]]
id = "b"
kind = "course"
title = "B"
hours = 5
"#;

    #[test]
    fn a_diff_names_what_is_added_removed_and_changed_with_the_hours() {
        let new = OLD.replace("hours = 10", "hours = 12").replace(
            "id = \"b\"\nkind = \"course\"\ntitle = \"B\"",
            "id = \"c\"\nkind = \"course\"\ntitle = \"C\"",
        );
        let d = diff(&parse(OLD), &parse(&new));
        assert_eq!(
            d.added.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
            ["c"]
        );
        assert_eq!(
            d.removed.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
            ["b"]
        );
        assert_eq!(d.changed.len(), 1);
        assert_eq!(d.changed[0].changes, ["hours 10 h → 12 h"]);
        assert_eq!(d.hours_before, Minutes::from_hours(15));
        assert_eq!(d.hours_after, Minutes::from_hours(17));
        assert!(diff(&parse(OLD), &parse(OLD)).is_empty());
    }

    #[test]
    fn a_fingerprint_tells_versions_apart() {
        assert_eq!(fingerprint(OLD), fingerprint(OLD));
        assert_ne!(fingerprint(OLD), fingerprint(&OLD.replace("10", "11")));
    }
}
