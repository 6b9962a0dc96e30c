//! The timer's use cases over the `Store` traits, with the clock passed in.

use jiff::Timestamp;

use super::rules::{TimerError, elapsed_minutes};
use crate::follow::CurriculumCache;
use crate::logs::{Catalog, ItemTarget, LogError, LogInput, Recorded, record_log};
use crate::store::{LogKind, Store, StoreError, Timer, User};

#[derive(Debug, thiserror::Error)]
pub enum TimerServiceError {
    #[error(transparent)]
    Timer(#[from] TimerError),
    /// The item does not resolve, or the log breaks a rule.
    #[error(transparent)]
    Log(#[from] crate::logs::LogServiceError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<LogError> for TimerServiceError {
    fn from(e: LogError) -> Self {
        TimerServiceError::Log(e.into())
    }
}

/// The learner's running timer, if any.
pub async fn running_timer(store: &dyn Store, user: &User) -> Result<Option<Timer>, StoreError> {
    store.timer(user.id).await
}

/// Starts a timer on `target` (an item of the learner's, or none) for `kind` of study.
pub async fn start_timer(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    target: Option<ItemTarget>,
    kind: LogKind,
    now: Timestamp,
) -> Result<Timer, TimerServiceError> {
    let (follow, item, label) = match target {
        Some(target) => {
            let catalog = Catalog::load(store, cache, user.id).await?;
            let (follow, item) = catalog.resolve(&target)?;
            let label = catalog
                .followed
                .iter()
                .find(|f| f.follow == follow)
                .and_then(|f| f.items.iter().find(|(id, _)| *id == item))
                .map(|(_, title)| title.clone())
                .unwrap_or_else(|| item.as_str().to_owned());
            (Some(follow), Some(item), label)
        }
        None => (None, None, String::new()),
    };
    let timer = Timer {
        user: user.id,
        follow,
        item,
        kind,
        label,
        started_at: now,
    };
    match store.start_timer(&timer).await {
        Ok(()) => Ok(timer),
        Err(StoreError::Conflict { .. }) => Err(already_running(store, user).await?.into()),
        Err(e) => Err(e.into()),
    }
}

async fn already_running(store: &dyn Store, user: &User) -> Result<TimerError, StoreError> {
    let running = store.timer(user.id).await?;
    Ok(match running {
        Some(t) => TimerError::AlreadyRunning {
            on: if t.label.is_empty() {
                String::new()
            } else {
                format!(" on “{}”", t.label)
            },
            since: user
                .settings
                .timezone
                .time_of(t.started_at)
                .strftime("%-d %b %H:%M")
                .to_string(),
        },
        None => TimerError::NotRunning,
    })
}

/// What stopping did: the log made, or why nothing was logged.
#[derive(Debug)]
pub struct Stopped {
    pub timer: Timer,
    /// The log, unless the run was too short to log.
    pub recorded: Option<Recorded>,
}

/// Stops the learner's timer and logs its time, dated the day it started; with `finish`, the
/// item is marked done with the log. A retry after a lost answer logs once (the log's
/// idempotency key is the timer's start). A run over 24 hours is refused and the timer kept,
/// to be discarded.
pub async fn stop_timer(
    store: &dyn Store,
    cache: &CurriculumCache,
    user: &User,
    finish: bool,
    now: Timestamp,
) -> Result<Stopped, TimerServiceError> {
    let timer = store.timer(user.id).await?.ok_or(TimerError::NotRunning)?;
    let minutes = match elapsed_minutes(timer.started_at, now) {
        Ok(m) => m,
        Err(TimerError::TooShort) => {
            end(store, &timer).await?;
            return Ok(Stopped {
                timer,
                recorded: None,
            });
        }
        Err(e) => return Err(e.into()),
    };
    let target = match (timer.follow, &timer.item) {
        (Some(follow), Some(item)) => Some(ItemTarget::InFollow {
            follow: follow.0,
            item: item.as_str().to_owned(),
        }),
        _ => None,
    };
    let input = LogInput {
        minutes,
        kind: timer.kind,
        day: Some(user.settings.timezone.date_of(timer.started_at)),
        note: String::new(),
        finish: finish && target.is_some(),
        target,
    };
    let key = format!("timer-{}", timer.started_at.as_second());
    let recorded = record_log(store, cache, user, input, Some(&key), now).await?;
    end(store, &timer).await?;
    Ok(Stopped {
        timer,
        recorded: Some(recorded),
    })
}

/// Stops the learner's timer without logging anything.
pub async fn discard_timer(store: &dyn Store, user: &User) -> Result<Timer, TimerServiceError> {
    let timer = store.timer(user.id).await?.ok_or(TimerError::NotRunning)?;
    end(store, &timer).await?;
    Ok(timer)
}

/// Removes `timer`; one already gone (a stop racing another) is not an error.
async fn end(store: &dyn Store, timer: &Timer) -> Result<(), StoreError> {
    match store.end_timer(timer.user, timer.started_at).await {
        Ok(()) | Err(StoreError::NotFound) => Ok(()),
        Err(e) => Err(e),
    }
}
