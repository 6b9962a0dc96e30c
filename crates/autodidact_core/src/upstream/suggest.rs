//! Suggesting an item change to the source: the copy's owner sends an item as they have it;
//! the source's author sees what it changes and accepts it into their curriculum or declines.

use jiff::Timestamp;

use super::model::Field;
use crate::accounts::UserId;
use crate::curricula::{CurriculumError, EditError, edit_curriculum, visible_curriculum};
use crate::curriculum::{Curriculum, Item, ItemId, Phase, check_stored_toml, write_toml};
use crate::store::{
    CurriculumId, CurriculumRecord, Lineage, NewSuggestion, Store, StoreError, Suggestion,
    SuggestionId, SuggestionStatus, User,
};
use crate::throttle::{Hit, Limit, Throttled, take};

/// The longest note with a suggestion, in characters.
pub const NOTE_MAX_CHARS: usize = 1_000;

#[derive(Debug, thiserror::Error)]
pub enum SuggestError {
    #[error("no such curriculum")]
    NotFound,
    #[error("this curriculum is not a copy of another, so there is no source to suggest to")]
    NotACopy,
    #[error(
        "the curriculum this is a copy of is no longer shared with you (or was deleted), so nothing can be suggested to it"
    )]
    SourceGone,
    #[error("your copy has no item “{0}”")]
    NoSuchItem(String),
    #[error("a note is at most {NOTE_MAX_CHARS} characters: shorten it")]
    NoteTooLong,
    #[error("the source already has this item exactly as you do: there is nothing to suggest")]
    Unchanged,
    #[error("this suggestion was already answered")]
    Answered,
    /// Accepting it would break the curriculum's rules.
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The fields in which `a` and `b` differ, prerequisites and phase aside (they name other
/// items and phases of one curriculum, which the other may not have).
pub fn differing_fields(a: &Item, b: &Item) -> Vec<Field> {
    Field::ALL
        .into_iter()
        .filter(|f| match f {
            Field::Title => a.title != b.title,
            Field::Kind => a.kind != b.kind,
            Field::Link => a.url != b.url,
            Field::Hours => a.effort != b.effort || a.estimate_source != b.estimate_source,
            Field::Skills => a.skills != b.skills,
            Field::Mode => a.mode_override != b.mode_override,
            Field::Notes => a.notes != b.notes,
            Field::Due => a.due != b.due,
            Field::Prerequisites | Field::Phase => false,
        })
        .collect()
}

/// `item` (without its prerequisites) in `phase`, as a curriculum file of its own.
pub fn item_file(phase: &str, item: &Item) -> String {
    write_toml(&Curriculum {
        title: "A suggested item".to_owned(),
        description: String::new(),
        author: String::new(),
        hours_per_week: None,
        phases: vec![Phase {
            title: phase.to_owned(),
            description: String::new(),
            items: vec![Item {
                requires: Vec::new(),
                ..item.clone()
            }],
        }],
    })
}

/// The phase and the item of a suggestion's file.
pub fn read_item_file(text: &str) -> Option<(String, Item)> {
    let mut c = check_stored_toml(text).curriculum?;
    let phase = c.phases.pop()?;
    let item = phase.items.into_iter().next()?;
    Some((phase.title, item))
}

/// `curriculum` with the suggested item: in place of the item with its id (keeping that
/// one's place and prerequisites), or else at the end of the phase of that title (the last
/// phase when there is none).
pub fn apply_suggestion(curriculum: &Curriculum, phase: &str, item: &Item) -> Curriculum {
    let mut c = curriculum.clone();
    for p in &mut c.phases {
        if let Some(existing) = p.items.iter_mut().find(|i| i.id == item.id) {
            let requires = std::mem::take(&mut existing.requires);
            *existing = Item {
                requires,
                ..item.clone()
            };
            return c;
        }
    }
    let at = c
        .phases
        .iter()
        .position(|p| p.title == phase)
        .or_else(|| c.phases.len().checked_sub(1));
    match at {
        Some(at) => c.phases[at].items.push(item.clone()),
        None => c.phases.push(Phase {
            title: phase.to_owned(),
            description: String::new(),
            items: vec![item.clone()],
        }),
    }
    c
}

/// The learner's copy `copy` and the curriculum it came from, which must still be shared
/// with them.
async fn copy_and_source(
    store: &dyn Store,
    user: &User,
    copy: CurriculumId,
) -> Result<(CurriculumRecord, CurriculumRecord), SuggestError> {
    let record = store
        .curriculum(copy)
        .await?
        .filter(|c| c.owner == user.id)
        .ok_or(SuggestError::NotFound)?;
    let Lineage::Fork(lineage) = &record.lineage else {
        return Err(SuggestError::NotACopy);
    };
    let source = match visible_curriculum(store, Some(user.id), lineage.source).await {
        Ok(source) => source,
        Err(CurriculumError::NotFound) => return Err(SuggestError::SourceGone),
        Err(CurriculumError::Store(e)) => return Err(e.into()),
    };
    Ok((record, source))
}

/// Sends item `item` of the learner's copy `copy`, as they have it, to the author of the
/// curriculum it came from; throttled per account.
pub async fn suggest_item(
    store: &dyn Store,
    user: &User,
    copy: CurriculumId,
    item: &ItemId,
    note: &str,
    now: Timestamp,
) -> Result<Suggestion, SuggestError> {
    let note = note.trim();
    if note.chars().count() > NOTE_MAX_CHARS {
        return Err(SuggestError::NoteTooLong);
    }
    let (record, source) = copy_and_source(store, user, copy).await?;
    let mine = check_stored_toml(&record.source)
        .curriculum
        .ok_or(SuggestError::NotFound)?;
    let (phase, suggested) = mine
        .phases
        .iter()
        .find_map(|p| p.items.iter().find(|i| &i.id == item).map(|i| (p, i)))
        .ok_or_else(|| SuggestError::NoSuchItem(item.to_string()))?;
    let theirs = check_stored_toml(&source.source).curriculum;
    if let Some(current) = theirs.as_ref().and_then(|c| c.item(item))
        && differing_fields(current, suggested).is_empty()
    {
        return Err(SuggestError::Unchanged);
    }
    let hit = Hit::new(Limit::Suggestion, format!("user:{}", user.id.0));
    take(store, &[hit], now).await??;
    Ok(store
        .add_suggestion(NewSuggestion {
            curriculum: source.id,
            from: user.id,
            item: item.clone(),
            item_source: item_file(&phase.title, suggested),
            note: note.to_owned(),
            now,
        })
        .await?)
}

/// An item of a copy that differs from its source's, which its owner may suggest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestable {
    pub id: ItemId,
    pub title: String,
    /// Whether the source has no item of that id.
    pub new_item: bool,
    pub changes: Vec<Field>,
}

/// The items of the learner's copy `copy` that differ from its source's, in the copy's order.
pub async fn suggestable_items(
    store: &dyn Store,
    user: &User,
    copy: CurriculumId,
) -> Result<Vec<Suggestable>, SuggestError> {
    let (record, source) = copy_and_source(store, user, copy).await?;
    let (Some(mine), theirs) = (
        check_stored_toml(&record.source).curriculum,
        check_stored_toml(&source.source).curriculum,
    ) else {
        return Err(SuggestError::NotFound);
    };
    Ok(mine
        .items()
        .filter_map(|i| {
            let existing = theirs.as_ref().and_then(|c| c.item(&i.id));
            let changes = existing.map_or_else(Vec::new, |e| differing_fields(e, i));
            (existing.is_none() || !changes.is_empty()).then(|| Suggestable {
                id: i.id.clone(),
                title: i.title.clone(),
                new_item: existing.is_none(),
                changes,
            })
        })
        .collect())
}

/// A suggestion as its curriculum's author sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionView {
    pub suggestion: Suggestion,
    /// The item's title as suggested.
    pub title: String,
    /// Whether the curriculum has no item of that id (it would be added).
    pub new_item: bool,
    /// What it changes in the curriculum's item of that id.
    pub changes: Vec<Field>,
}

/// The suggestions to `owner`'s curriculum `record` (parsed: `current`), open ones first;
/// none for anyone else. The caller has the curriculum already: a page reads it once.
pub async fn suggestions_to(
    store: &dyn Store,
    owner: UserId,
    record: &CurriculumRecord,
    current: &Curriculum,
) -> Result<Vec<SuggestionView>, StoreError> {
    if record.owner != owner {
        return Ok(Vec::new());
    }
    let current = Some(current);
    Ok(store
        .suggestions_to(record.id)
        .await?
        .into_iter()
        .filter_map(|s| {
            let (_, item) = read_item_file(&s.item_source)?;
            let existing = current.as_ref().and_then(|c| c.item(&item.id));
            Some(SuggestionView {
                title: item.title.clone(),
                new_item: existing.is_none(),
                changes: existing.map_or_else(Vec::new, |e| differing_fields(e, &item)),
                suggestion: s,
            })
        })
        .collect())
}

/// The author's answer: accepting applies the item to their curriculum (with the checks of
/// any edit), declining only records it.
pub async fn answer_suggestion(
    store: &dyn Store,
    owner: &User,
    id: SuggestionId,
    accept: bool,
    now: Timestamp,
) -> Result<(), SuggestError> {
    let s = store.suggestion(id).await?.ok_or(SuggestError::NotFound)?;
    let record = store
        .curriculum(s.curriculum)
        .await?
        .filter(|c| c.owner == owner.id)
        .ok_or(SuggestError::NotFound)?;
    if s.status != SuggestionStatus::Open {
        return Err(SuggestError::Answered);
    }
    let status = if accept {
        let (phase, item) = read_item_file(&s.item_source).ok_or(SuggestError::NotFound)?;
        let current = check_stored_toml(&record.source)
            .curriculum
            .ok_or(SuggestError::NotFound)?;
        let changed = apply_suggestion(&current, &phase, &item);
        edit_curriculum(store, owner.id, record.id, &changed, now).await?;
        SuggestionStatus::Accepted
    } else {
        SuggestionStatus::Declined
    };
    match store.answer_suggestion(id, owner.id, status, now).await {
        Err(StoreError::NotFound) => Err(SuggestError::Answered),
        other => Ok(other?),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;
    use crate::curriculum::{Effort, Minutes, check_toml};

    const SOURCE: &str = r#"title = "T"
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
requires = ["a"]
"#;

    #[test]
    fn a_suggested_item_reads_back_from_its_file_without_its_prerequisites() {
        let c = check_toml(SOURCE).curriculum.unwrap();
        let b = c.item(&ItemId::parse("b").unwrap()).unwrap();
        let (phase, item) = read_item_file(&item_file("One", b)).unwrap();
        assert_eq!(phase, "One");
        assert_eq!(item.title, "B");
        assert!(item.requires.is_empty());
        assert!(differing_fields(b, &item).is_empty(), "prerequisites aside");
    }

    #[test]
    fn a_suggestion_replaces_its_item_in_place_or_adds_it_to_its_phase() {
        let c = check_toml(SOURCE).curriculum.unwrap();
        let mut b = c.item(&ItemId::parse("b").unwrap()).unwrap().clone();
        b.effort = Effort::Hours(Minutes::from_hours(8));
        b.requires.clear();
        let applied = apply_suggestion(&c, "Elsewhere", &b);
        let got = applied.item(&b.id).unwrap();
        assert_eq!(got.effort, Effort::Hours(Minutes::from_hours(8)));
        assert_eq!(
            got.requires,
            vec![ItemId::parse("a").unwrap()],
            "its prerequisites stay"
        );
        assert_eq!(applied.phases.len(), 1);

        let mut new = b.clone();
        new.id = ItemId::parse("c").unwrap();
        let applied = apply_suggestion(&c, "One", &new);
        assert_eq!(
            applied.items().map(|i| i.id.as_str()).collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
    }
}
