//! Secrets at rest: passwords hashed with argon2id, and tokens (sessions, API tokens, calendar
//! feeds, one-time links) stored as their SHA-256.
//!
//! Randomness comes from the caller (the web app and the command line draw it from the
//! operating system), so everything here is a pure function. Hashing a password takes tens of
//! milliseconds of CPU and 19 MiB: an async caller runs it on a blocking thread.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::accounts::Password;

/// OWASP's argon2id settings: 19 MiB, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("the password could not be hashed: {0}")]
    Failed(String),
    /// Too many passwords are waiting to be hashed or checked: hashing takes memory and CPU,
    /// so only a few run at once and a short queue waits; beyond it, the caller is told to
    /// come back.
    #[error("too many passwords are being checked right now: try again in {retry_after_secs} s")]
    Busy { retry_after_secs: u64 },
}

impl HashError {
    pub fn new(cause: impl Into<String>) -> Self {
        Self::Failed(cause.into())
    }
}

/// The PHC string of `password` with `salt` (16 random bytes).
pub fn hash_password(password: &Password, salt: &[u8; 16]) -> Result<String, HashError> {
    argon2()
        .hash_password_with_salt(password.expose().as_bytes(), salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError::Failed(e.to_string()))
}

/// Checks a password against a stored hash. With no hash (no such account) it checks against
/// a fixed hash anyway, so that the answer takes as long either way, and says no.
pub fn verify_password(password: &Password, stored: Option<&str>) -> bool {
    let known = stored.is_some();
    let ok = PasswordHash::new(stored.unwrap_or(DUMMY_HASH))
        .map(|parsed| {
            argon2()
                .verify_password(password.expose().as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false);
    ok && known
}

/// An argon2id hash of a random password nobody knows, with the same parameters.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0TFxaTX6oz1eQ6MF3cyoN/Oa6dp0JWw7fEBVqf/4AK8";

/// A token as handed out: 32 random bytes, URL-safe base64.
pub fn token_text(random: &[u8; 32]) -> String {
    URL_SAFE_NO_PAD.encode(random)
}

/// What is stored in place of a token.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_another_does_not() {
        let right = Password::for_sign_in("correct horse battery");
        let hash = hash_password(&right, &[7; 16]).unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password(&right, Some(&hash)));
        assert!(!verify_password(
            &Password::for_sign_in("wrong"),
            Some(&hash)
        ));
        assert!(!verify_password(&right, None));
    }

    #[test]
    fn tokens_are_url_safe_and_stored_as_their_sha256() {
        let token = token_text(&[255; 32]);
        assert_eq!(token.len(), 43);
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
