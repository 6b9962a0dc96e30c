//! A fork's update from its source, over the `Store` traits: whether one is available, its
//! preview with the plan impact, and accepting it.

use std::collections::BTreeSet;
use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;

use super::model::{Decisions, Merge};
use super::rules::merge;
use crate::curricula::visible_curriculum;
use crate::curriculum::{Curriculum, ItemId, Minutes, Problem, check_stored_toml, write_toml};
use crate::follow::range_forecast;
use crate::follow::{CurriculumCache, Followed, finished_items, load_follow, load_progress};
use crate::store::{
    CurriculumId, CurriculumRecord, FollowId, ForkOf, ForkSync, ItemStatus, Lineage, Store,
    StoreError, User,
};

#[derive(Debug, thiserror::Error)]
pub enum UpstreamError {
    /// Not the learner's curriculum (or none): the same answer, as everywhere.
    #[error("no such curriculum")]
    NotFound,
    #[error("this curriculum is not a copy of another, so it has no source to update from")]
    NotACopy,
    /// The source was deleted or is no longer shared with the learner: the copy stays whole
    /// and stops receiving updates.
    #[error(
        "the curriculum this is a copy of is no longer shared with you (or was deleted): your copy stays as it is, and no update will come"
    )]
    SourceGone,
    #[error("your copy is up to date with its source")]
    UpToDate,
    /// A stored text that no longer reads (a rule added since): a bug or a hand edit.
    #[error("{0} no longer reads as a curriculum, so it cannot be merged")]
    Unreadable(&'static str),
    /// The copy or its source changed since the preview.
    #[error(
        "your copy or its source changed since this preview: look at the update again before accepting it"
    )]
    Stale,
    /// The merge as chosen breaks a rule of the format.
    #[error("the update as chosen would break the curriculum's rules: {}", .0.iter().map(|p| p.kind.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Problem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A copy of the learner's, its lineage and its source, readable and shared with them.
struct Sides {
    fork: CurriculumRecord,
    lineage: ForkOf,
    source: CurriculumRecord,
    base: Curriculum,
    mine: Curriculum,
    theirs: Curriculum,
}

async fn sides(store: &dyn Store, user: &User, id: CurriculumId) -> Result<Sides, UpstreamError> {
    let fork = store
        .curriculum(id)
        .await?
        .filter(|c| c.owner == user.id)
        .ok_or(UpstreamError::NotFound)?;
    let Lineage::Fork(lineage) = fork.lineage.clone() else {
        return Err(UpstreamError::NotACopy);
    };
    let source = match visible_curriculum(store, Some(user.id), lineage.source).await {
        Ok(source) => source,
        Err(crate::curricula::CurriculumError::NotFound) => return Err(UpstreamError::SourceGone),
        Err(crate::curricula::CurriculumError::Store(e)) => return Err(e.into()),
    };
    let read = |text: &str, what: &'static str| {
        check_stored_toml(text)
            .curriculum
            .ok_or(UpstreamError::Unreadable(what))
    };
    Ok(Sides {
        base: read(&lineage.base, "the version your copy was made from")?,
        mine: read(&fork.source, "your copy")?,
        theirs: read(&source.source, "the source")?,
        fork,
        lineage,
        source,
    })
}

/// The version of its source a copy of the learner's could take, when there is one newer than
/// the one it last took and the source is still shared with them. Reads two rows; for the
/// copy's page.
pub async fn update_available(
    store: &dyn Store,
    user: &User,
    fork: &CurriculumRecord,
) -> Result<Option<u32>, StoreError> {
    let Lineage::Fork(lineage) = &fork.lineage else {
        return Ok(None);
    };
    if fork.owner != user.id {
        return Ok(None);
    }
    match visible_curriculum(store, Some(user.id), lineage.source).await {
        Ok(source) if source.version > lineage.version => Ok(Some(source.version)),
        Ok(_) | Err(crate::curricula::CurriculumError::NotFound) => Ok(None),
        Err(crate::curricula::CurriculumError::Store(e)) => Err(e),
    }
}

/// An item whose week in the plan moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovedItem {
    pub id: ItemId,
    pub title: String,
    /// The week (1-based, of the plan) it starts in before and after; `None` when it is not
    /// in that plan (new, removed, or done).
    pub before: Option<u32>,
    pub after: Option<u32>,
}

/// The 80 % range of the finishing day: `(early, late)`, `late` `None` when it lies beyond
/// the forecast's horizon ("or later").
pub type FinishRange = (Date, Option<Date>);

/// What accepting the update does to the learner's plan of the copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanImpact {
    pub follow: FollowId,
    /// The work left in the plan, before and after.
    pub left_before: Minutes,
    pub left_after: Minutes,
    pub end_before: Option<Date>,
    pub end_after: Option<Date>,
    /// The calibrated finishing range, before and after; `None` without a pace yet.
    pub range_before: Option<FinishRange>,
    pub range_after: Option<FinishRange>,
    /// Items whose starting week changes, in the new plan's order, then the ones that leave.
    pub moved: Vec<MovedItem>,
}

/// A proposed update, merged with the learner's choices, with its plan impact.
#[derive(Debug, Clone, PartialEq)]
pub struct UpstreamPreview {
    pub fork: CurriculumRecord,
    pub source: CurriculumRecord,
    pub merge: Merge,
    /// The plan of the learner's follow of the copy, if they follow it.
    pub impact: Option<PlanImpact>,
}

/// The items the learner has progress on in their follows of `fork`: a board state other than
/// to-do, notes, evidence, logged time or reviews. No merge may lose one of them.
async fn progress_on(
    store: &dyn Store,
    user: &User,
    fork: CurriculumId,
) -> Result<(BTreeSet<ItemId>, Option<FollowId>), StoreError> {
    let mut items = BTreeSet::new();
    let mut first = None;
    for follow in store.follows_of(user.id).await? {
        if follow.curriculum != fork {
            continue;
        }
        first.get_or_insert(follow.id);
        for s in store.item_states(follow.id).await? {
            if s.status != ItemStatus::Todo || !s.notes.trim().is_empty() {
                items.insert(s.item);
            }
        }
        items.extend(store.evidence(follow.id).await?.into_iter().map(|e| e.item));
        items.extend(
            store
                .minutes_by_item(follow.id)
                .await?
                .into_iter()
                .filter(|(_, m)| !m.is_zero())
                .map(|(i, _)| i),
        );
        items.extend(
            store
                .reviews_of(follow.id)
                .await?
                .into_iter()
                .map(|r| r.item),
        );
    }
    Ok((items, first))
}

/// The update a copy of the learner's could take from its source, merged with `decisions`,
/// and what it does to their plan.
pub async fn preview_upstream(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    id: CurriculumId,
    decisions: &Decisions,
    now: Timestamp,
) -> Result<UpstreamPreview, UpstreamError> {
    let s = sides(store, user, id).await?;
    if s.source.version <= s.lineage.version && s.base == s.theirs {
        return Err(UpstreamError::UpToDate);
    }
    let (progress, follow) = progress_on(store, user, id).await?;
    let merged = merge(&s.base, &s.mine, &s.theirs, &progress, decisions);
    let impact = match follow {
        Some(f) => impact(store, cache, user, f, &merged.curriculum, now).await?,
        None => None,
    };
    Ok(UpstreamPreview {
        fork: s.fork,
        source: s.source,
        merge: merged,
        impact,
    })
}

async fn impact(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    follow: FollowId,
    merged: &Curriculum,
    now: Timestamp,
) -> Result<Option<PlanImpact>, StoreError> {
    let Some(follow) = store.follow(follow).await? else {
        return Ok(None);
    };
    let before = match load_follow(store, cache, follow, user.settings.week_start.0).await {
        Ok(f) => f,
        Err(crate::follow::FollowError::Store(e)) => return Err(e),
        Err(_) => return Ok(None),
    };
    let progress = load_progress(store, &before, user, now).await?;
    let today = user.settings.timezone.today(now);
    let after = Followed {
        curriculum: Arc::new(merged.clone()),
        ..before.clone()
    };
    let (Ok(plan_before), Ok(plan_after)) = (
        before.rolling_plan(&progress, today),
        after.rolling_plan(&progress, today),
    ) else {
        return Ok(None);
    };
    let finished = finished_items(&before, &progress);
    let range = |f: &Followed| {
        range_forecast(f, &progress, &finished, today)
            .map(|r| (r.early, (!r.open_ended).then_some(r.late)))
    };
    let week_of = |plan: &crate::plan::Plan, id: &ItemId| {
        plan.items
            .iter()
            .find(|i| &i.id == id)
            .and_then(|i| i.span.map(|s| s.start_week))
    };
    let mut moved: Vec<MovedItem> = plan_after
        .items
        .iter()
        .filter_map(|i| {
            let after = i.span.map(|s| s.start_week);
            let before = week_of(&plan_before, &i.id);
            (after != before).then(|| MovedItem {
                id: i.id.clone(),
                title: i.title.clone(),
                before,
                after,
            })
        })
        .collect();
    moved.extend(
        plan_before
            .items
            .iter()
            .filter(|i| i.span.is_some() && !plan_after.items.iter().any(|a| a.id == i.id))
            .map(|i| MovedItem {
                id: i.id.clone(),
                title: i.title.clone(),
                before: i.span.map(|s| s.start_week),
                after: None,
            }),
    );
    Ok(Some(PlanImpact {
        follow: before.follow.id,
        left_before: plan_before.total,
        left_after: plan_after.total,
        end_before: plan_before.end,
        end_after: plan_after.end,
        range_before: range(&before),
        range_after: range(&after),
        moved,
    }))
}

/// Accepts the update as previewed: merges again with `decisions` and stores the result with
/// the source as the new base, if neither the copy (at `fork_version`) nor the source (at
/// `source_version`) changed since the preview. Board states, notes, evidence, logs and
/// reviews name items by id and stay as they are.
pub async fn accept_upstream(
    store: &dyn Store,
    user: &User,
    id: CurriculumId,
    decisions: &Decisions,
    fork_version: u32,
    source_version: u32,
    now: Timestamp,
) -> Result<Merge, UpstreamError> {
    let s = sides(store, user, id).await?;
    if s.fork.version != fork_version || s.source.version != source_version {
        return Err(UpstreamError::Stale);
    }
    let (progress, _) = progress_on(store, user, id).await?;
    let merged = merge(&s.base, &s.mine, &s.theirs, &progress, decisions);
    if !merged.problems.is_empty() {
        return Err(UpstreamError::Invalid(merged.problems));
    }
    let source = write_toml(&merged.curriculum);
    if check_stored_toml(&source).curriculum.as_ref() != Some(&merged.curriculum) {
        return Err(UpstreamError::Unreadable("the merged curriculum"));
    }
    match store
        .sync_fork(ForkSync {
            id,
            owner: user.id,
            version: fork_version,
            title: &merged.curriculum.title,
            source: &source,
            base: &s.source.source,
            base_version: s.source.version,
            now,
        })
        .await
    {
        Ok(()) => Ok(merged),
        Err(StoreError::Conflict { .. }) => Err(UpstreamError::Stale),
        Err(StoreError::NotFound) => Err(UpstreamError::NotFound),
        Err(e) => Err(e.into()),
    }
}
