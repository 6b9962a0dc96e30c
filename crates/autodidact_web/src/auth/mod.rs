//! Who is asking: sessions from cookies, tokens for the API, passwords, CSRF and sign-in
//! throttling.
//!
//! Sessions are server-side. The cookie holds 32 random bytes; the database holds only their
//! SHA-256, so a leaked database holds no usable session. Every node reads sessions from the
//! shared store, so any node can serve any request (no sticky sessions).

pub mod csrf;
pub mod password;

use autodidact_core::secrets::token_text;
use autodidact_core::store::{Session, User};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use jiff::{SignedDuration, Timestamp};

use std::sync::Arc;

use crate::app::{AppState, WebConfig};
use crate::error::PageError;
use crate::memos::Viewed;

pub const SESSION_COOKIE: &str = "autodidact_session";

/// A new random secret, URL-safe: session tokens, CSRF tokens, API tokens, feed tokens.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    token_text(&bytes)
}

pub use autodidact_core::secrets::hash_token;

/// The session cookie, with the flags the deployment calls for.
pub fn session_cookie(config: &WebConfig, token: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(config.secure_cookies())
        .path("/")
        .max_age(cookie_duration(config.session_days * 24 * 3600))
        .build()
}

pub fn removal_cookie(name: &'static str) -> Cookie<'static> {
    Cookie::build((name, ""))
        .path("/")
        .max_age(cookie_duration(0))
        .build()
}

fn cookie_duration(secs: i64) -> cookie::time::Duration {
    cookie::time::Duration::seconds(secs)
}

/// A signed-in person: their account and the session the request came with.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub session: Session,
    pub token_hash: String,
    /// The learner's running timer, shown on every page.
    pub timer: Option<autodidact_core::store::Timer>,
    /// The items the learner may log against, for the quick log of a page read with GET (a
    /// form post that fails re-renders without them).
    pub catalog: Option<Arc<autodidact_core::logs::Catalog>>,
}

/// The person asking, if signed in. Looked up once per request.
#[derive(Debug, Clone)]
pub struct Viewer(pub Option<SignedIn>);

/// Sessions are touched at most this often, so reading a page rarely writes.
const TOUCH_EVERY_SECS: i64 = 3600;

impl FromRequestParts<AppState> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(viewer) = parts.extensions.get::<Viewer>() {
            return Ok(viewer.clone());
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let reading =
            parts.method == axum::http::Method::GET || parts.method == axum::http::Method::HEAD;
        let viewer = match jar.get(SESSION_COOKIE) {
            Some(cookie) => load_session(state, cookie.value(), reading).await?,
            None => None,
        };
        let viewer = Viewer(viewer);
        parts.extensions.insert(viewer.clone());
        Ok(viewer)
    }
}

/// The session and its learner, with the timer and, for a page read with GET (`reading`), the
/// quick log's items: from the memo when the learner's data has not changed since.
async fn load_session(
    state: &AppState,
    token: &str,
    reading: bool,
) -> Result<Option<SignedIn>, PageError> {
    let token_hash = hash_token(token);
    let now = Timestamp::now();
    let Some((session, user)) = state.store.session(&token_hash, now).await? else {
        return Ok(None);
    };
    // However often it is used, a session ends SESSION_MAX_DAYS after sign-in.
    if !autodidact_core::accounts::session_within_lifetime(session.created_at, now) {
        state.store.delete_session(&token_hash).await?;
        return Ok(None);
    }
    if now.duration_since(session.last_seen_at) > SignedDuration::from_secs(TOUCH_EVERY_SECS) {
        let expires = autodidact_core::accounts::session_expiry(
            session.created_at,
            now,
            state.config.session_days,
        );
        // Bookkeeping: a database with no room left to write does not sign anyone out.
        match state.store.touch_session(&token_hash, now, expires).await {
            Ok(()) | Err(autodidact_core::store::StoreError::Full) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let memo = &state.memos.viewer;
    let (timer, catalog) = match memo.get(&user, &()) {
        Some(viewed) => (
            viewed.timer.clone(),
            reading.then(|| viewed.catalog.clone()),
        ),
        // A write (the only other kind of request) changes the data anyway: nothing to file.
        None if !reading => (state.store.timer(user.id).await?, None),
        None => {
            let (timer, catalog) = tokio::try_join!(
                state.store.timer(user.id),
                crate::logs::catalog(state, user.id)
            )?;
            let viewed = Viewed {
                timer,
                catalog: Arc::new(catalog),
            };
            let weight = viewed.weight();
            let (timer, catalog) = (viewed.timer.clone(), viewed.catalog.clone());
            memo.put(&user, (), Arc::new(viewed), weight);
            (timer, Some(catalog))
        }
    };
    Ok(Some(SignedIn {
        user,
        session,
        token_hash,
        timer,
        catalog,
    }))
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Viewer(viewer) = Viewer::from_request_parts(parts, state).await?;
        viewer.ok_or_else(|| PageError::SignInRequired {
            next: parts
                .uri
                .path_and_query()
                .map_or_else(|| "/".to_owned(), |pq| pq.as_str().to_owned()),
        })
    }
}
