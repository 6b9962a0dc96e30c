//! Sign-in throttling, per account and per address, kept in the shared store so that every
//! node sees the same counts. Failures for accounts that do not exist are counted the same
//! way, so the limits reveal nothing about which accounts exist.

use autodidact_core::store::Store;
use jiff::Timestamp;

use crate::error::PageError;

/// Failures allowed per account in the window.
pub const PER_ACCOUNT: u32 = 5;
/// Failures allowed per address in the window.
pub const PER_ADDRESS: u32 = 20;
/// The window, in seconds.
pub const WINDOW_SECS: i64 = 15 * 60;

pub fn account_key(login: &str) -> String {
    format!("account:{}", login.trim().to_lowercase())
}

pub fn address_key(ip: &str) -> String {
    format!("ip:{ip}")
}

/// Refuses with 429 when either key is over its limit.
pub async fn check(
    store: &dyn Store,
    login: &str,
    ip: &str,
    now: Timestamp,
) -> Result<(), PageError> {
    for (key, limit) in [
        (account_key(login), PER_ACCOUNT),
        (address_key(ip), PER_ADDRESS),
    ] {
        let (count, oldest) = store.login_failures(&key, now, WINDOW_SECS).await?;
        if count >= limit {
            let retry = (oldest.as_second() + WINDOW_SECS - now.as_second()).max(1);
            return Err(PageError::TooManyRequests {
                retry_after_secs: retry,
            });
        }
    }
    Ok(())
}

pub async fn record_failure(
    store: &dyn Store,
    login: &str,
    ip: &str,
    now: Timestamp,
) -> Result<(), PageError> {
    store
        .record_login_failure(&account_key(login), now, WINDOW_SECS)
        .await?;
    store
        .record_login_failure(&address_key(ip), now, WINDOW_SECS)
        .await?;
    Ok(())
}

pub async fn clear_account(store: &dyn Store, login: &str) -> Result<(), PageError> {
    store.clear_login_failures(&account_key(login)).await?;
    Ok(())
}

/// Links to set a password asked for per account in the window.
pub const RESETS_PER_ACCOUNT: u32 = 3;
/// Links asked for per address in the window.
pub const RESETS_PER_ADDRESS: u32 = 10;

/// Counts a request for a password link, and refuses with 429 past either limit: per account
/// (so nobody can fill a learner's inbox) and per address (so nobody can probe many accounts).
/// Counted whether or not the account exists.
pub async fn reset_request(
    store: &dyn Store,
    login: &str,
    ip: &str,
    now: Timestamp,
) -> Result<(), PageError> {
    for (key, limit) in [
        (
            format!("reset:{}", login.trim().to_lowercase()),
            RESETS_PER_ACCOUNT,
        ),
        (format!("reset-ip:{ip}"), RESETS_PER_ADDRESS),
    ] {
        let (count, oldest) = store.record_login_failure(&key, now, WINDOW_SECS).await?;
        if count > limit {
            let retry = (oldest.as_second() + WINDOW_SECS - now.as_second()).max(1);
            return Err(PageError::TooManyRequests {
                retry_after_secs: retry,
            });
        }
    }
    Ok(())
}
