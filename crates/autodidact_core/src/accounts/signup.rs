//! Signing up on a server that sends email: the answer is the same whether or not the address
//! is taken, so the sign-up form tells nobody which addresses have accounts. The account is
//! made when the link emailed to the address is followed; the owner of a taken address is told
//! by email instead. (Without email, `sign_up` makes the account at once and names a taken
//! address: there is no other way to tell the person signing up.)

use jiff::{SignedDuration, Timestamp};

use super::Settings;
use super::service::{Attempt, PasswordHasher, SignUp, SignUpError};
use crate::secrets::{hash_token, token_text};
use crate::store::{NewUser, PendingSignUp, Store, StoreError, User};
use crate::throttle::{self, Hit, Limit};

/// How long a link to finish signing up works.
pub const SIGN_UP_LINK_LIFETIME: SignedDuration = SignedDuration::from_hours(24);

/// What to email after a sign-up (the answer on the page is the same either way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignUpRequest {
    /// The address is free: email it this link's token to make the account.
    Confirm { token: String },
    /// The address has an account: tell its owner someone tried to sign up with it.
    EmailTaken,
}

/// A sign-up, on a server that sends email (see the module docs). Counted per address like
/// `sign_up`; a handle already taken is said (handles are public); the password is hashed
/// either way, so the answer takes as long whether or not the address is taken.
pub async fn request_sign_up(
    store: &dyn Store,
    hasher: &dyn PasswordHasher,
    new: SignUp,
    random: &[u8; 32],
    attempt: Attempt<'_>,
) -> Result<SignUpRequest, SignUpError> {
    let hits = [Hit::new(Limit::SignUpAddress, attempt.address_key())];
    throttle::take(store, &hits, attempt.now).await??;
    if store.user_by_handle(&new.handle).await?.is_some() {
        return Err(SignUpError::Taken {
            handle: true,
            email: false,
        });
    }
    let password_hash = hasher.hash(new.password.clone()).await?;
    if store.credentials(new.email.as_str()).await?.is_some() {
        return Ok(SignUpRequest::EmailTaken);
    }
    let token = token_text(random);
    let expires_at = attempt
        .now
        .saturating_add(SIGN_UP_LINK_LIFETIME)
        .unwrap_or(attempt.now);
    store
        .add_pending_sign_up(PendingSignUp {
            token_hash: hash_token(&token),
            user: NewUser {
                handle: new.handle,
                display_name: new.display_name,
                email: new.email,
                password_hash,
                settings: Settings::default(),
                now: attempt.now,
            },
            expires_at,
        })
        .await?;
    Ok(SignUpRequest::Confirm { token })
}

#[derive(Debug, thiserror::Error)]
pub enum ConfirmSignUpError {
    #[error(
        "this link to finish signing up has been used, has expired or is not one we sent: sign up again"
    )]
    LinkNotValid,
    #[error(
        "the handle or the email address was taken while the link waited: sign up again with another"
    )]
    Taken,
    #[error(transparent)]
    Store(StoreError),
}

/// Follows a link to finish signing up: the account, made now.
pub async fn confirm_sign_up(
    store: &dyn Store,
    token: &str,
    now: Timestamp,
) -> Result<User, ConfirmSignUpError> {
    match store.confirm_pending_sign_up(&hash_token(token), now).await {
        Ok(Some(user)) => Ok(user),
        Ok(None) => Err(ConfirmSignUpError::LinkNotValid),
        Err(StoreError::Conflict { .. }) => Err(ConfirmSignUpError::Taken),
        Err(e) => Err(ConfirmSignUpError::Store(e)),
    }
}

/// The link a new learner follows: `{base}/signup/confirm/{token}`.
pub fn sign_up_url(base_url: &str, token: &str) -> String {
    format!("{}/signup/confirm/{token}", base_url.trim_end_matches('/'))
}
