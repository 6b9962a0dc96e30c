//! Password hashing with argon2id, always on the blocking pool: a hash takes tens of
//! milliseconds of CPU, which would stall every request sharing an async worker.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use autodidact_core::accounts::Password;

use crate::error::PageError;

/// OWASP's argon2id settings: 19 MiB, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub async fn hash(password: Password) -> Result<String, PageError> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        rand::fill(&mut salt);
        argon2()
            .hash_password_with_salt(password.expose().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| PageError::Internal(e.to_string()))
    })
    .await
    .map_err(|e| PageError::Internal(e.to_string()))?
}

/// Checks a password against a stored hash. With no hash (no such account) it checks against
/// a fixed hash anyway, so that the answer takes as long either way.
pub async fn verify(password: Password, stored: Option<String>) -> Result<bool, PageError> {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let ok = PasswordHash::new(&stored)
            .map(|parsed| {
                argon2()
                    .verify_password(password.expose().as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        ok && known
    })
    .await
    .map_err(|e| PageError::Internal(e.to_string()))
}

/// An argon2id hash of a random password nobody knows, with the same parameters.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0TFxaTX6oz1eQ6MF3cyoN/Oa6dp0JWw7fEBVqf/4AK8";
