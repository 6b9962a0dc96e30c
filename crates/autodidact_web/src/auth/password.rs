//! Password hashing with argon2id, always on the blocking pool: a hash takes tens of
//! milliseconds of CPU, which would stall every request sharing an async worker.

use autodidact_core::accounts::Password;
use autodidact_core::secrets::{hash_password, verify_password};

use crate::error::PageError;

pub async fn hash(password: Password) -> Result<String, PageError> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        rand::fill(&mut salt);
        hash_password(&password, &salt).map_err(|e| PageError::Internal(e.to_string()))
    })
    .await
    .map_err(|e| PageError::Internal(e.to_string()))?
}

/// Checks a password against a stored hash, taking as long when there is none.
pub async fn verify(password: Password, stored: Option<String>) -> Result<bool, PageError> {
    tokio::task::spawn_blocking(move || verify_password(&password, stored.as_deref()))
        .await
        .map_err(|e| PageError::Internal(e.to_string()))
}
