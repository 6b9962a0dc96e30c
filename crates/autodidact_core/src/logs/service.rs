//! The use cases of study logs, over the `Store` traits, with the clock passed in.

use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;

use super::catalog::Catalog;
use super::rules::{
    DAY_FULL, ItemTarget, LogDraft, LogError, check_day, check_key, check_minutes, check_note,
};
use crate::curriculum::Minutes;
use crate::follow::CurriculumCache;
use crate::store::{LogId, LogKind, Store, StoreError, StudyLog, User};

/// A new log as a front end read it: typed, not yet checked against the learner's record.
#[derive(Debug, Clone)]
pub struct LogInput {
    pub minutes: Minutes,
    pub kind: LogKind,
    /// `None` means the learner's today.
    pub day: Option<Date>,
    pub note: String,
    pub target: Option<ItemTarget>,
    /// Mark the item done with the log ("log and mark done"); needs a target.
    pub finish: bool,
}

/// A change to a log: each field given replaces the stored one; `None` keeps it.
#[derive(Debug, Clone, Default)]
pub struct LogPatch {
    pub minutes: Option<Minutes>,
    pub kind: Option<LogKind>,
    pub day: Option<Date>,
    pub note: Option<String>,
    /// `Some(None)` takes the log off its item.
    pub target: Option<Option<ItemTarget>>,
}

/// A stored log, with the catalog it was checked against (to show its item's titles).
#[derive(Debug, Clone)]
pub struct Recorded {
    pub log: StudyLog,
    /// `false` when an idempotency key already used returned the first log.
    pub created: bool,
    pub catalog: Arc<Catalog>,
}

#[derive(Debug, thiserror::Error)]
pub enum LogServiceError {
    /// The log breaks a rule; the message says what to change.
    #[error(transparent)]
    Invalid(#[from] LogError),
    /// No such log, or not the learner's.
    #[error("no such log")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The store's refusal of a day over 24 h, as the log's error.
fn day_full(e: StoreError, day: Date) -> LogServiceError {
    match e {
        StoreError::Conflict { constraint } if constraint == DAY_FULL => {
            LogError::DayFull(day).into()
        }
        e => e.into(),
    }
}

fn minutes(m: Minutes) -> Result<Minutes, LogError> {
    check_minutes(i64::from(m.get()))
}

/// Records time spent by `user`. With an idempotency key this learner already used, nothing
/// is stored and the first log comes back with `created: false`.
pub async fn record_log(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    input: LogInput,
    idempotency_key: Option<&str>,
    now: Timestamp,
) -> Result<Recorded, LogServiceError> {
    let catalog = Arc::new(Catalog::load(store, cache, user.id).await?);
    record_log_in(store, catalog, user, input, idempotency_key, now).await
}

/// [`record_log`] with the learner's catalog at hand: one loaded at their current data
/// version (kept by a front end between requests) is the one `record_log` would load.
pub async fn record_log_in(
    store: &dyn Store,
    catalog: Arc<Catalog>,
    user: &User,
    input: LogInput,
    idempotency_key: Option<&str>,
    now: Timestamp,
) -> Result<Recorded, LogServiceError> {
    let today = user.today(now);
    let key = match idempotency_key {
        Some(raw) => Some(check_key(raw).ok_or(LogError::BadIdempotencyKey)?),
        None => None,
    };
    let minutes = minutes(input.minutes)?;
    let day = check_day(input.day.unwrap_or(today), today)?;
    let note = check_note(&input.note)?;
    let target = input.target.map(|t| catalog.resolve(&t)).transpose()?;
    let draft = LogDraft {
        minutes,
        kind: input.kind,
        day,
        note,
        target,
    };
    if input.finish && draft.target.is_none() {
        return Err(LogError::FinishWithoutItem.into());
    }
    let mut new = draft.clone().into_new(user.id, key, now);
    new.finish_item = input.finish;
    let (log, created) = store
        .add_log(new)
        .await
        .map_err(|e| day_full(e, draft.day))?;
    // A retry sends the same log; a different one under a used key is a client's mistake.
    let same = log.minutes == draft.minutes
        && log.kind == draft.kind
        && log.note == draft.note
        && log.follow.zip(log.item.clone()) == draft.target
        && (input.day.is_none() || log.day == draft.day);
    if !created && !same {
        return Err(LogError::IdempotencyKeyReused.into());
    }
    Ok(Recorded {
        log,
        created,
        catalog,
    })
}

/// The learner's log `id`.
pub async fn own_log(
    store: &dyn Store,
    user: &User,
    id: LogId,
) -> Result<StudyLog, LogServiceError> {
    store
        .log(id)
        .await?
        .filter(|log| log.user == user.id)
        .ok_or(LogServiceError::NotFound)
}

/// Changes the fields of one of the learner's logs that `patch` gives.
pub async fn edit_log(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    id: LogId,
    patch: LogPatch,
    now: Timestamp,
) -> Result<Recorded, LogServiceError> {
    let log = own_log(store, user, id).await?;
    let today = user.today(now);
    let catalog = Arc::new(Catalog::load(store, cache, user.id).await?);
    let target = match patch.target {
        None => log.follow.zip(log.item.clone()),
        Some(None) => None,
        Some(Some(t)) => Some(catalog.resolve(&t)?),
    };
    let draft = LogDraft {
        minutes: patch
            .minutes
            .map(minutes)
            .transpose()?
            .unwrap_or(log.minutes),
        kind: patch.kind.unwrap_or(log.kind),
        day: match patch.day {
            Some(day) => check_day(day, today)?,
            None => log.day,
        },
        note: match patch.note {
            Some(note) => check_note(&note)?,
            None => log.note.clone(),
        },
        target,
    };
    let day = draft.day;
    store
        .update_log(id, user.id, draft.into_change())
        .await
        .map_err(|e| day_full(e, day))?;
    let log = own_log(store, user, id).await?;
    Ok(Recorded {
        log,
        created: false,
        catalog,
    })
}

/// Deletes one of the learner's logs and gives it back.
pub async fn delete_log(
    store: &dyn Store,
    user: &User,
    id: LogId,
) -> Result<StudyLog, LogServiceError> {
    let log = own_log(store, user, id).await?;
    store.delete_log(id, user.id).await?;
    Ok(log)
}
