//! Storage of the throttles (see `crate::throttle`).

use async_trait::async_trait;
use jiff::Timestamp;

use super::StoreResult;
use crate::throttle::{Hit, Limit, Rule, Throttled, Ticket};

#[async_trait]
pub trait ThrottleStore: Send + Sync {
    /// In one transaction: for each hit, counts its key's events within its rule's window
    /// (the rule of `throttle_rules`, or the default should its row be missing); when any has
    /// reached the rule's maximum, records nothing and refuses; otherwise records an event for
    /// each hit and returns their ids. Events older than the window are deleted on the way.
    async fn take_throttle(
        &self,
        hits: &[Hit],
        now: Timestamp,
    ) -> StoreResult<Result<Ticket, Throttled>>;
    /// Deletes the events of a ticket (an attempt that turned out harmless).
    async fn forgive_throttle(&self, ticket: &Ticket) -> StoreResult<()>;
    /// Deletes every event of a key under a limit.
    async fn clear_throttle(&self, limit: Limit, key: &str) -> StoreResult<()>;
    /// Every limit with the rule in force.
    async fn throttle_rules(&self) -> StoreResult<Vec<(Limit, Rule)>>;
    /// Stores a limit's rule.
    async fn set_throttle_rule(&self, limit: Limit, rule: Rule) -> StoreResult<()>;
}

/// Whether the database answers (for `GET /readyz`).
#[async_trait]
pub trait HealthStore: Send + Sync {
    /// One trivial query; an error when the database does not answer.
    async fn ping(&self) -> StoreResult<()>;
}
