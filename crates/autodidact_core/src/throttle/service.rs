//! Taking a throttle: the one way every throttled path counts.

use jiff::Timestamp;

use super::{Hit, Limit, Ticket};
use crate::store::{Store, StoreError};

/// A refusal: a limit is reached; the earliest moment one of its events leaves the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many attempts: try again in {retry_after_secs} s")]
pub struct Throttled {
    pub limit: Limit,
    pub retry_after_secs: i64,
}

/// Checks every hit's key against its rule and, when none has reached its limit, records one
/// event for each, in one transaction: two parallel attempts never both pass a check the first
/// of them should have closed. Nothing is recorded when refused.
pub async fn take(
    store: &dyn Store,
    hits: &[Hit],
    now: Timestamp,
) -> Result<Result<Ticket, Throttled>, StoreError> {
    store.take_throttle(hits, now).await
}
