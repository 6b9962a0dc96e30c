//! Loading a follow through the `Store` traits.

use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::civil::Weekday;

use super::cache::CurriculumCache;
use super::model::{Effective, Followed, PlanSettings};
use super::rules::{Progress, ProposeError, plan_in_force, propose};
use crate::accounts::UserId;
use crate::curricula::{CurriculumError, copy_of, visible_curriculum};
use crate::curriculum::{ItemId, Minutes};
use crate::insight::replan::{Replan, ReplanMode};
use crate::plan::{PlanError, plan_schedule};
use crate::store::{
    CurriculumId, DeclaredBreak, Follow, FollowId, FollowSettings, ItemStatus, NewFollow,
    Replanned, Store, StoreError, User,
};

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

/// Why a curriculum could not be followed.
#[derive(Debug, thiserror::Error)]
pub enum FollowCurriculumError {
    /// No such curriculum, or not one the learner may see.
    #[error("no such curriculum")]
    NotFound,
    /// The learner already follows it (or their copy of it).
    #[error("you already follow this curriculum")]
    AlreadyFollowing(FollowId),
    #[error("“{title}” has errors in its source, so it cannot be planned until they are fixed")]
    Unreadable { title: String },
    /// No plan can be made with these settings.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// A new start before today: a plan starts today or later.
    #[error(
        "{start} is in the past: a plan starts today or later, and what you did before counts when you mark it done"
    )]
    StartPassed { start: jiff::civil::Date },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The learner's follow of curriculum `id`, or of their copy of it.
pub async fn existing_follow(
    store: &dyn Store,
    user: UserId,
    id: CurriculumId,
) -> Result<Option<FollowId>, StoreError> {
    let follows = store.follows_of(user).await?;
    if let Some(f) = follows.iter().find(|f| f.curriculum == id) {
        return Ok(Some(f.id));
    }
    let copies = store.copies_of(user, id).await?;
    Ok(follows
        .iter()
        .find(|f| copies.iter().any(|c| c.id == f.curriculum))
        .map(|f| f.id))
}

/// Follows curriculum `id` with these settings. A curriculum of someone else's is copied
/// first, and the learner follows their own copy: nothing its owner does later (editing it,
/// making it private, deleting it) reaches the learner's plan, board, notes, evidence, logs or
/// reviews. The settings must give a plan, or nothing is stored.
///
/// A start in the past counts from today: the plan the learner accepts starts now, and what
/// they had already done before is theirs to say ([`record_done_already`]), rather than the
/// plan declaring them weeks behind on their first day.
pub async fn follow_curriculum(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    id: CurriculumId,
    settings: &PlanSettings,
    now: Timestamp,
) -> Result<Follow, FollowCurriculumError> {
    let record = visible_curriculum(store, Some(user.id), id)
        .await
        .map_err(|e| match e {
            CurriculumError::NotFound => FollowCurriculumError::NotFound,
            CurriculumError::Store(e) => FollowCurriculumError::Store(e),
        })?;
    let curriculum = cache
        .parse(&record)
        .ok_or_else(|| FollowCurriculumError::Unreadable {
            title: record.title.clone(),
        })?;
    let today = user.today(now);
    let settings = &PlanSettings::new(
        settings.budget,
        settings.start.max(today),
        settings.breaks.clone(),
    );
    plan_schedule(&settings.request(&curriculum, BTreeSet::new(), user.settings.week_start.0))?;
    if let Some(existing) = existing_follow(store, user.id, id).await? {
        return Err(FollowCurriculumError::AlreadyFollowing(existing));
    }
    let new = NewFollow {
        user: user.id,
        curriculum: record.id,
        budget: settings.budget,
        start: settings.start,
        breaks: settings.breaks.clone(),
        declared: DeclaredBreak::of(&settings.breaks, &[], today),
        now,
    };
    let created = if record.owner == user.id {
        match imported_progress(store, &record, &curriculum).await? {
            Some((done, doing, base)) => {
                store
                    .create_follow_with_progress(new, &done, &doing, base)
                    .await
            }
            None => store.create_follow(new).await,
        }
    } else {
        let owner = store
            .user(record.owner)
            .await?
            .ok_or(FollowCurriculumError::NotFound)?;
        let copy = copy_of(&record, &owner.handle, user.id, now);
        store.follow_copy(copy, new).await.map(|(_, follow)| follow)
    };
    match created {
        Ok(follow) => Ok(follow),
        // Two requests at once: the unique constraint decided.
        Err(StoreError::Conflict { .. }) => match existing_follow(store, user.id, id).await? {
            Some(existing) => Err(FollowCurriculumError::AlreadyFollowing(existing)),
            None => Err(FollowCurriculumError::NotFound),
        },
        Err(e) => Err(e.into()),
    }
}

/// The progress an import of `record` found (done items, items in progress, and the minutes
/// of the done ones), for the items still in the curriculum; `None` when it was not imported
/// or found none. The learner's follow of their own imported curriculum starts with it.
async fn imported_progress(
    store: &dyn Store,
    record: &crate::store::CurriculumRecord,
    curriculum: &crate::curriculum::Curriculum,
) -> Result<Option<(Vec<ItemId>, Vec<ItemId>, Minutes)>, StoreError> {
    let Some(report) = store.import_report(record.id).await? else {
        return Ok(None);
    };
    let (mut done, mut doing) = (Vec::new(), Vec::new());
    let mut base = Minutes::ZERO;
    for (id, status) in &report.progress {
        let Some(item) = curriculum.item(id) else {
            continue;
        };
        match status {
            ItemStatus::Done => {
                done.push(id.clone());
                base = base.saturating_add(item.planned(curriculum.hours_per_week));
            }
            ItemStatus::Doing => doing.push(id.clone()),
            ItemStatus::Todo | ItemStatus::Skipped => {}
        }
    }
    Ok((!done.is_empty() || !doing.is_empty()).then_some((done, doing, base)))
}

/// New settings for the learner's follow, stored only when they give a plan. A new budget
/// takes effect on the day `from` gives (the days before it keep the budget they had).
pub async fn change_plan(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    id: FollowId,
    settings: &PlanSettings,
    from: Effective,
    now: Timestamp,
) -> Result<Followed, FollowCurriculumError> {
    let mut followed = owned_follow(store, cache, user, id)
        .await
        .map_err(|e| match e {
            FollowError::NotFound => FollowCurriculumError::NotFound,
            FollowError::Unreadable { title } => FollowCurriculumError::Unreadable { title },
            FollowError::Store(e) => FollowCurriculumError::Store(e),
        })?;
    let today = user.today(now);
    if settings.start < today && settings.start != followed.follow.start {
        return Err(FollowCurriculumError::StartPassed {
            start: settings.start,
        });
    }
    let settings = followed.changed(settings, from.day(today, followed.week_start), today);
    followed.plan_with(&settings)?;
    let stored = FollowSettings {
        budget: settings.budget,
        history: settings.history,
        start: settings.start,
        declared: DeclaredBreak::of(&settings.breaks, &followed.follow.declared, today),
        breaks: settings.breaks,
    };
    store.update_follow_plan(id, user.id, &stored, now).await?;
    followed.follow.budget = stored.budget;
    followed.follow.budget_history = stored.history;
    followed.follow.start = stored.start;
    followed.follow.breaks = stored.breaks;
    followed.follow.declared = stored.declared;
    Ok(followed)
}

/// Stops following: the plan, board, notes, evidence and reviews of the follow go; logs keep
/// their time.
pub async fn unfollow(store: &dyn Store, user: &User, id: FollowId) -> Result<(), FollowError> {
    match store.delete_follow(id, user.id).await {
        Err(StoreError::NotFound) => Err(FollowError::NotFound),
        other => Ok(other?),
    }
}

/// Why a re-plan was not made.
#[derive(Debug, thiserror::Error)]
pub enum ReplanFollowError {
    #[error(transparent)]
    Follow(#[from] FollowError),
    /// The re-plan cannot be made (no end to keep, past end, too much a day, no plan).
    #[error(transparent)]
    Propose(#[from] ProposeError),
}

/// Re-plans the learner's follow from today, keeping its end date or its weekly hours. The
/// figures are computed here from the stored settings, board and logs, never taken from the
/// caller; the plan that was in force is kept as a revision.
pub async fn replan_follow(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    id: FollowId,
    mode: ReplanMode,
    now: Timestamp,
) -> Result<Replan, ReplanFollowError> {
    let followed = owned_follow(store, cache, user, id).await?;
    let zone = &user.settings.timezone;
    let today = zone.today(now);
    let minutes = store.follow_minutes(id).await.map_err(FollowError::from)?;
    let progress = Progress::new(&followed, &minutes, zone, today);
    let end = plan_in_force(&followed).and_then(|(plan, _)| plan.end);
    let new = propose(&followed, &progress, mode, end, today)?;
    // The new budget holds from today; the days before keep theirs.
    let mut history = followed.follow.budgets();
    history.set_from(today, new.budget);
    let replanned = Replanned {
        budget: new.budget,
        history,
        start: today,
        done: followed.finished().into_iter().collect(),
        base: progress.done_estimate,
        today,
        now,
    };
    store
        .replan(id, user.id, replanned)
        .await
        .map_err(FollowError::from)?;
    Ok(new)
}

/// The learner's progress on `followed` as of `now`, in their zone: what the rolling plan
/// ([`Followed::rolling_plan`]) and the standing against the accepted plan are made from.
pub async fn load_progress(
    store: &dyn Store,
    followed: &Followed,
    user: &User,
    now: Timestamp,
) -> Result<Progress, StoreError> {
    let minutes = store.follow_minutes(followed.follow.id).await?;
    let zone = &user.settings.timezone;
    Ok(Progress::new(followed, &minutes, zone, zone.today(now)))
}

/// Why what the learner had already done could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum DoneAlreadyError {
    #[error(transparent)]
    Follow(#[from] FollowError),
    /// An item the curriculum does not have.
    #[error("“{0}” is not an item of this curriculum")]
    UnknownItem(String),
    /// Asked only on the day of following; later, items are marked done on the board.
    #[error(
        "what you had done before is asked on the day you follow a curriculum: mark items done on the board instead"
    )]
    TooLate,
}

/// Whether the learner may still say what they had done before following: on the day they
/// followed, in their zone. Later, marking items done must not move the plan they accepted.
pub fn asks_done_already(followed: &Followed, user: &User, today: jiff::civil::Date) -> bool {
    user.settings.timezone.date_of(followed.follow.created_at) == today
}

/// Marks `items` done as finished before following, and makes the accepted plan start from
/// everything finished now: the items are left out of it and its line starts at their
/// estimate, so the learner is neither behind nor ahead for work done before. Returns how many
/// items became done.
pub async fn record_done_already(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    id: FollowId,
    items: &[String],
    now: Timestamp,
) -> Result<usize, DoneAlreadyError> {
    let mut followed = owned_follow(store, cache, user, id).await?;
    if !asks_done_already(&followed, user, user.today(now)) {
        return Err(DoneAlreadyError::TooLate);
    }
    let mut new = Vec::new();
    for raw in items {
        let item = crate::curriculum::ItemId::parse(raw.trim())
            .ok()
            .filter(|i| followed.curriculum.item(i).is_some())
            .ok_or_else(|| DoneAlreadyError::UnknownItem(raw.trim().to_owned()))?;
        if followed.status(&item) != crate::store::ItemStatus::Done && !new.contains(&item) {
            new.push(item);
        }
    }
    for item in &new {
        followed.states.insert(
            item.clone(),
            crate::store::ItemState {
                item: item.clone(),
                status: crate::store::ItemStatus::Done,
                notes: String::new(),
                updated_at: now,
            },
        );
    }
    let weekly = followed.curriculum.hours_per_week;
    let base = followed
        .curriculum
        .items()
        .filter(|i| followed.status(&i.id) == crate::store::ItemStatus::Done)
        .map(|i| i.planned(weekly))
        .sum();
    let plan_done: Vec<_> = followed.finished().into_iter().collect();
    store
        .settle_done(id, user.id, &new, &plan_done, base, now)
        .await
        .map_err(FollowError::from)?;
    Ok(new.len())
}
