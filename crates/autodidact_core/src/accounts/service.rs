//! Account use cases over the `Store` traits: changing the email, deleting the account, and a
//! forgotten password's one-time link. Hashing is the caller's (`PasswordHasher`): the web app
//! runs it on a blocking thread, the command line directly.

use async_trait::async_trait;
use jiff::{SignedDuration, Timestamp};

use jiff::civil::Date;

use super::{Email, EmailError, Pacing, Password, PasswordError};
use crate::secrets::{HashError, hash_token, token_text};
use crate::store::{Store, StoreError, User};
use crate::throttle::{self, Hit, Limit, Throttled, account_key};

/// Where an attempt on a throttled path comes from, and when.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    /// The client's address (see the web app's trusted-proxy setting).
    pub address: &'a str,
    pub now: Timestamp,
}

impl Attempt<'_> {
    pub(crate) fn address_key(&self) -> String {
        format!("ip:{}", self.address)
    }
}

/// How long a link to set a new password works.
pub const RESET_LINK_LIFETIME: SignedDuration = SignedDuration::from_hours(1);

/// Hashes and checks passwords (argon2id, see `crate::secrets`), where the caller runs CPU work.
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    async fn hash(&self, password: Password) -> Result<String, HashError>;
    /// Whether `password` matches `stored`; with none it takes as long and says no. An error
    /// when it could not be checked (`HashError::Busy`: too many at once).
    async fn verify(&self, password: Password, stored: Option<String>) -> Result<bool, HashError>;
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("this is not your current password")]
    WrongPassword,
    #[error("{0}")]
    Email(#[from] EmailError),
    #[error("another account uses this email address: choose another")]
    EmailTaken,
    #[error("type your handle, {handle}, to confirm")]
    NotConfirmed { handle: String },
    #[error(
        "this link to set a new password has been used, has expired or is not one we sent: ask for a new one"
    )]
    LinkNotValid,
    #[error("{0}")]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks a signed-in learner's current password, throttled per account
/// ([`Limit::PasswordCheck`]): a stolen session cannot be used to guess it. The right password
/// is not counted.
async fn check_password(
    store: &dyn Store,
    hasher: &dyn PasswordHasher,
    user: &User,
    password: Password,
    attempt: Attempt<'_>,
) -> Result<(), AccountError> {
    let hits = [Hit::new(
        Limit::PasswordCheck,
        account_key(Some(user.id), ""),
    )];
    let ticket = throttle::take(store, &hits, attempt.now).await??;
    let stored = store
        .credentials(user.handle.as_str())
        .await?
        .map(|(_, hash)| hash);
    let right = hasher.verify(password, stored).await;
    if !matches!(right, Ok(false)) {
        // The right password, or one that could not be checked: neither counts.
        store.forgive_throttle(&ticket).await?;
    }
    if right? {
        Ok(())
    } else {
        Err(AccountError::WrongPassword)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("that handle or email and password do not match an account")]
    Mismatch,
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Signs in with a handle or an email and a password.
///
/// Throttled before the password is checked, in one step that also counts the attempt
/// (`throttle::take`): per account and address ([`Limit::SignInPair`], the tight limit, which
/// someone elsewhere cannot use to lock the owner out), per account from anywhere
/// ([`Limit::SignInAccount`]) and per address ([`Limit::SignInAddress`]). A handle and the
/// email of one account count as one account. The right password is not counted, and clears
/// the pair's count. An unknown login takes the same work and gets the same answer.
pub async fn sign_in(
    store: &dyn Store,
    hasher: &dyn PasswordHasher,
    login: &str,
    password: Password,
    attempt: Attempt<'_>,
) -> Result<User, SignInError> {
    let found = store.credentials(login.trim()).await?;
    let account = account_key(found.as_ref().map(|(user, _)| user.id), login);
    let address = attempt.address_key();
    let pair = format!("{account}|{address}");
    let hits = [
        Hit::new(Limit::SignInPair, pair.clone()),
        Hit::new(Limit::SignInAccount, account),
        Hit::new(Limit::SignInAddress, address),
    ];
    let ticket = throttle::take(store, &hits, attempt.now).await??;
    let (user, stored) = match found {
        Some((user, hash)) => (Some(user), Some(hash)),
        None => (None, None),
    };
    // Without an account the check takes the same work and says no.
    let right = match hasher.verify(password, stored).await {
        Ok(right) => right,
        Err(e) => {
            // Not checked: the attempt does not count.
            store.forgive_throttle(&ticket).await?;
            return Err(e.into());
        }
    };
    match user.filter(|_| right) {
        Some(user) => {
            store.forgive_throttle(&ticket).await?;
            store.clear_throttle(Limit::SignInPair, &pair).await?;
            Ok(user)
        }
        None => Err(SignInError::Mismatch),
    }
}

/// Changes a signed-in learner's password, once their current one is given: every other
/// session (all but `keep_session`, a token hash) and every link to set a password stop
/// working; with `revoke_keys`, every API token and calendar feed address too (for a learner
/// who thinks someone else had the password).
#[allow(clippy::too_many_arguments)]
pub async fn change_password(
    store: &dyn Store,
    hasher: &dyn PasswordHasher,
    user: &User,
    current: Password,
    new_password: &str,
    keep_session: &str,
    revoke_keys: bool,
    attempt: Attempt<'_>,
) -> Result<(), AccountError> {
    let new = Password::parse_new(new_password)?;
    check_password(store, hasher, user, current, attempt).await?;
    let hash = hasher.hash(new).await?;
    let revoke_at = revoke_keys.then_some(attempt.now);
    store
        .change_password(user.id, &hash, keep_session, revoke_at)
        .await?;
    Ok(())
}

/// However often it is used, a session ends this many days after sign-in.
pub const SESSION_MAX_DAYS: i64 = 90;

/// When a session used at `now` expires: `idle_days` from now, but never more than
/// [`SESSION_MAX_DAYS`] after it began.
pub fn session_expiry(created_at: Timestamp, now: Timestamp, idle_days: i64) -> Timestamp {
    let idle = now
        .saturating_add(SignedDuration::from_hours(24 * idle_days))
        .unwrap_or(now);
    idle.min(session_end(created_at))
}

/// Whether a session begun at `created_at` may still be used at `now`.
pub fn session_within_lifetime(created_at: Timestamp, now: Timestamp) -> bool {
    now < session_end(created_at)
}

fn session_end(created_at: Timestamp) -> Timestamp {
    created_at
        .saturating_add(SignedDuration::from_hours(24 * SESSION_MAX_DAYS))
        .unwrap_or(created_at)
}

/// Changes `user`'s email, once their password is given.
pub async fn change_email(
    store: &dyn Store,
    hasher: &dyn PasswordHasher,
    user: &User,
    password: Password,
    new_email: &str,
    attempt: Attempt<'_>,
) -> Result<Email, AccountError> {
    let email = Email::parse(new_email)?;
    check_password(store, hasher, user, password, attempt).await?;
    match store.change_email(user.id, &email).await {
        Ok(()) => Ok(email),
        Err(StoreError::Conflict { .. }) => Err(AccountError::EmailTaken),
        Err(e) => Err(e.into()),
    }
}

/// Deletes `user` with everything they own, once their password is given and their handle is
/// typed as confirmation. Copies other learners made of their curricula stay.
pub async fn delete_account(
    store: &dyn Store,
    hasher: &dyn PasswordHasher,
    user: &User,
    password: Password,
    confirmation: &str,
    attempt: Attempt<'_>,
) -> Result<(), AccountError> {
    let typed = confirmation.trim().trim_start_matches('@');
    if !typed.eq_ignore_ascii_case(user.handle.as_str()) {
        return Err(AccountError::NotConfirmed {
            handle: user.handle.as_str().to_owned(),
        });
    }
    check_password(store, hasher, user, password, attempt).await?;
    Ok(store.delete_user(user.id).await?)
}

/// A new one-time link for the account whose handle or email is `login`: its user and the
/// token to put in the link. `None` when there is no such account; the caller answers the
/// same either way, so that the answer never reveals whether an account exists.
pub async fn start_password_reset(
    store: &dyn Store,
    login: &str,
    random: &[u8; 32],
    now: Timestamp,
) -> Result<Option<(User, String)>, StoreError> {
    let Some((user, _)) = store.credentials(login.trim()).await? else {
        return Ok(None);
    };
    let token = token_text(random);
    let expires = now.saturating_add(RESET_LINK_LIFETIME).unwrap_or(now);
    store
        .add_password_reset(user.id, &hash_token(&token), now, expires)
        .await?;
    Ok(Some((user, token)))
}

/// [`start_password_reset`] asked from outside (the web's "forgot your password?"): counted
/// per account ([`Limit::ResetAccount`], so nobody can fill a learner's inbox) and per address
/// ([`Limit::ResetAddress`], so nobody can probe many accounts), whether or not the account
/// exists.
pub async fn ask_password_reset(
    store: &dyn Store,
    login: &str,
    random: &[u8; 32],
    attempt: Attempt<'_>,
) -> Result<Result<Option<(User, String)>, Throttled>, StoreError> {
    let account = store
        .credentials(login.trim())
        .await?
        .map(|(user, _)| user.id);
    let hits = [
        Hit::new(Limit::ResetAccount, account_key(account, login)),
        Hit::new(Limit::ResetAddress, attempt.address_key()),
    ];
    if let Err(refused) = throttle::take(store, &hits, attempt.now).await? {
        return Ok(Err(refused));
    }
    Ok(Ok(
        start_password_reset(store, login, random, attempt.now).await?
    ))
}

/// The account a live link is for.
pub async fn reset_link_user(
    store: &dyn Store,
    token: &str,
    now: Timestamp,
) -> Result<User, AccountError> {
    store
        .password_reset_user(&hash_token(token), now)
        .await?
        .ok_or(AccountError::LinkNotValid)
}

/// Sets a new password through a live link: the link and every other one of the account's
/// stop working, and every session is signed out.
pub async fn finish_password_reset(
    store: &dyn Store,
    hasher: &dyn PasswordHasher,
    token: &str,
    new_password: &str,
    now: Timestamp,
) -> Result<User, AccountError> {
    let password = Password::parse_new(new_password)?;
    reset_link_user(store, token, now).await?;
    let hash = hasher.hash(password).await?;
    match store
        .use_password_reset(&hash_token(token), &hash, now)
        .await
    {
        Ok(user) => Ok(user),
        Err(StoreError::NotFound) => Err(AccountError::LinkNotValid),
        Err(e) => Err(e.into()),
    }
}

/// The link a learner opens: `{base}/password/reset/{token}`.
pub fn reset_url(base_url: &str, token: &str) -> String {
    format!("{}/password/reset/{token}", base_url.trim_end_matches('/'))
}

/// A new account as the sign-up form gives it, each field checked by its type.
#[derive(Debug, Clone)]
pub struct SignUp {
    pub handle: super::Handle,
    pub display_name: String,
    pub email: Email,
    pub password: Password,
}

#[derive(Debug, thiserror::Error)]
pub enum SignUpError {
    /// The handle, the email or both belong to another account; each is said.
    #[error("the handle or email is taken")]
    Taken { handle: bool, email: bool },
    #[error(transparent)]
    Throttled(#[from] Throttled),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

async fn taken(store: &dyn Store, new: &SignUp) -> Result<(bool, bool), StoreError> {
    Ok((
        store.user_by_handle(&new.handle).await?.is_some(),
        store.credentials(new.email.as_str()).await?.is_some(),
    ))
}

/// Makes an account with the default settings. Sign-ups are counted per address
/// ([`Limit::SignUpAddress`]) before anything else; a handle or email already taken is said
/// before the password is hashed; two sign-ups racing for one are decided by the database.
pub async fn sign_up(
    store: &dyn Store,
    hasher: &dyn PasswordHasher,
    new: SignUp,
    attempt: Attempt<'_>,
) -> Result<User, SignUpError> {
    let now = attempt.now;
    let hits = [Hit::new(Limit::SignUpAddress, attempt.address_key())];
    throttle::take(store, &hits, now).await??;
    if let (handle @ true, email) | (handle, email @ true) = taken(store, &new).await? {
        return Err(SignUpError::Taken { handle, email });
    }
    let password_hash = hasher.hash(new.password.clone()).await?;
    let created = store
        .create_user(crate::store::NewUser {
            handle: new.handle.clone(),
            display_name: new.display_name.clone(),
            email: new.email.clone(),
            password_hash,
            settings: super::Settings::default(),
            now,
        })
        .await;
    match created {
        Ok(user) => Ok(user),
        Err(StoreError::Conflict { .. }) => {
            let (handle, email) = taken(store, &new).await?;
            Err(SignUpError::Taken { handle, email })
        }
        Err(e) => Err(e.into()),
    }
}

/// Saves how the learner wants their record judged. The delay before a looser commitment is
/// under its own delay ([`Settings::with_pacing`]); returns the day the delay asked for holds
/// from (today, unless it is shorter than the one in force).
pub async fn save_pacing(
    store: &dyn Store,
    user: &User,
    pacing: Pacing,
    now: Timestamp,
) -> Result<Date, StoreError> {
    let (settings, from) = user.settings.with_pacing(pacing, user.today(now));
    store
        .update_profile(user.id, &user.display_name, &settings)
        .await?;
    Ok(from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_extended_by_use_but_never_past_90_days_from_sign_in() {
        let day = |n: i64| Timestamp::UNIX_EPOCH + SignedDuration::from_hours(24 * n);
        let start = day(1000);
        // Used on day 10: 30 idle days from then.
        assert_eq!(session_expiry(start, day(1010), 30), day(1040));
        // Used on day 80: capped at day 90.
        assert_eq!(session_expiry(start, day(1080), 30), day(1090));
        assert!(session_within_lifetime(start, day(1089)));
        assert!(!session_within_lifetime(start, day(1090)));
    }
}
