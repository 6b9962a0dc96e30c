//! The commitment use cases over the `Store` traits, with the clock passed in.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::curriculum::Minutes;
use crate::insight::commitment::{CommitmentChange, CommitmentRequest, schedule};
use crate::plan::History;
use crate::store::{CommitmentRecord, Store, StoreError, User};

/// The smallest weekly commitment: a quarter of an hour.
pub const MIN_WEEKLY: Minutes = Minutes::new(15);
/// The largest: 100 hours.
pub const MAX_WEEKLY: Minutes = Minutes::from_hours(100);

#[derive(Debug, thiserror::Error)]
pub enum CommitmentError {
    #[error(
        "choose between {MIN_WEEKLY} and {MAX_WEEKLY} a week, and {0} is outside that; to stop for a while, pause instead"
    )]
    OutOfBounds(Minutes),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A request, with the day it takes effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    pub record: CommitmentRecord,
    pub effective_on: Date,
}

/// Every request in the order made, with when each takes effect.
pub fn scheduled(
    records: &[CommitmentRecord],
    delays: &History<u32>,
) -> (Vec<CommitmentRecord>, Vec<CommitmentChange>) {
    let mut ordered = records.to_vec();
    ordered.sort_by_key(|r| (r.requested_on, r.number));
    let requests: Vec<CommitmentRequest> = ordered
        .iter()
        .map(|r| CommitmentRequest {
            requested_on: r.requested_on,
            weekly: r.weekly,
        })
        .collect();
    let changes = schedule(&requests, delays);
    (ordered, changes)
}

/// Asks for a new weekly minimum from today (`None` pauses). Raising counts at once; lowering
/// or pausing waits the learner's delay.
pub async fn commit_weekly(
    store: &dyn Store,
    user: &User,
    weekly: Option<Minutes>,
    now: Timestamp,
) -> Result<Committed, CommitmentError> {
    if let Some(m) = weekly
        && !(MIN_WEEKLY..=MAX_WEEKLY).contains(&m)
    {
        return Err(CommitmentError::OutOfBounds(m));
    }
    let today = user.today(now);
    let record = store.add_commitment(user.id, today, weekly, now).await?;
    let records = store.commitments(user.id).await?;
    let (ordered, changes) = scheduled(&records, &user.settings.delays());
    let effective_on = ordered
        .iter()
        .zip(&changes)
        .find(|(r, _)| r.id == record.id)
        .map_or(today, |(_, c)| c.effective_on);
    Ok(Committed {
        record,
        effective_on,
    })
}
