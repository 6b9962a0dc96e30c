//! Checking that evidence links are alive, away from any page: a front end (the CLI's
//! `autodidact links check`, run by cron or a timer) probes the addresses due and the store
//! keeps each answer, so a profile shows "checked on …" without fetching anything.

use async_trait::async_trait;
use jiff::{SignedDuration, Timestamp};

use crate::store::{LinkCheck, LinkStatus, Store, StoreError};

/// Asks a web address whether it is there. Implemented where IO is allowed.
#[async_trait]
pub trait LinkProbe: Send + Sync {
    async fn probe(&self, url: &str) -> LinkStatus;
}

/// What a round of checks found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckReport {
    pub alive: usize,
    pub broken: usize,
    pub unreachable: usize,
}

impl CheckReport {
    pub fn checked(&self) -> usize {
        self.alive + self.broken + self.unreachable
    }
}

/// Probes the evidence addresses not checked within `max_age` (at most `limit`, the longest
/// unchecked first) and keeps each answer.
pub async fn check_links(
    store: &dyn Store,
    probe: &dyn LinkProbe,
    now: Timestamp,
    max_age: SignedDuration,
    limit: u32,
) -> Result<CheckReport, StoreError> {
    let mut report = CheckReport::default();
    for url in store.links_to_check(now - max_age, limit).await? {
        let status = probe.probe(&url).await;
        match status {
            LinkStatus::Alive(_) => report.alive += 1,
            LinkStatus::Broken(_) => report.broken += 1,
            LinkStatus::Unreachable => report.unreachable += 1,
        }
        store
            .record_link_check(&LinkCheck {
                url,
                status,
                checked_at: now,
            })
            .await?;
    }
    Ok(report)
}

/// Whether an answer's status code says the page is there.
pub fn status_of(code: u16) -> LinkStatus {
    if (200..300).contains(&code) {
        LinkStatus::Alive(code)
    } else {
        LinkStatus::Broken(code)
    }
}
