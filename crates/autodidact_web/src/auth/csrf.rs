//! Cross-site request forgery: two independent checks on every state-changing page request.
//!
//! 1. The browser's own word on where the request comes from: `Sec-Fetch-Site` must be
//!    `same-origin` (or `none`, typed by the user), and `Origin`, when sent, must be ours.
//! 2. A token in the form that a foreign page cannot read: the session's token when signed
//!    in, or, before signing in, a random token also held in a `SameSite=Strict` cookie
//!    (double submit).
//!
//! API calls with a bearer token carry no ambient credential, so they need neither.

use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::de::DeserializeOwned;

use super::{Viewer, random_token};
use crate::app::AppState;
use crate::error::PageError;

pub const ANON_COOKIE: &str = "autodidact_csrf";

/// Middleware: refuses cross-site state-changing requests before any handler runs.
pub async fn check_origin(
    State(state): State<AppState>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if unsafe_method && !same_origin(&state, request.headers()) {
        return PageError::Csrf.into_response();
    }
    next.run(request).await
}

fn same_origin(state: &AppState, headers: &axum::http::HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => origin == state.config.origin(),
        // Neither header: an old browser or a script. The form token still has to match.
        None => true,
    }
}

/// The anonymous token for a form, setting its cookie if the visitor has none yet.
pub fn anonymous_token(jar: CookieJar, secure: bool) -> (CookieJar, String) {
    if let Some(existing) = jar.get(ANON_COOKIE) {
        let token = existing.value().to_owned();
        return (jar, token);
    }
    let token = random_token();
    let cookie = Cookie::build((ANON_COOKIE, token.clone()))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .path("/")
        .build();
    (jar.add(cookie), token)
}

/// Constant-time comparison, so the check leaks nothing about the expected token.
pub fn tokens_match(given: &str, expected: &str) -> bool {
    if expected.is_empty() || given.len() != expected.len() {
        return false;
    }
    given
        .bytes()
        .zip(expected.bytes())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0
}

/// The token a form from this visitor must carry: the session's when signed in, otherwise the
/// anonymous double-submit cookie's (empty when there is none, which matches nothing).
pub fn expected_token(viewer: Option<&super::SignedIn>, headers: &axum::http::HeaderMap) -> String {
    match viewer {
        Some(signed_in) => signed_in.session.csrf_token.clone(),
        None => CookieJar::from_headers(headers)
            .get(ANON_COOKIE)
            .map(|c| c.value().to_owned())
            .unwrap_or_default(),
    }
}

#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// A URL-encoded form whose `csrf` field has been checked against the viewer's token.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let Viewer(viewer) = Viewer::from_request_parts(&mut parts, state).await?;
        let expected = expected_token(viewer.as_ref(), &parts.headers);
        let bytes = axum::body::to_bytes(body, state.config.max_body_bytes)
            .await
            .map_err(|_| PageError::BadRequest("The form is too large.".to_owned()))?;
        let field: CsrfField = serde_urlencoded::from_bytes(&bytes).map_err(|_| PageError::Csrf)?;
        if !tokens_match(&field.csrf, &expected) {
            return Err(PageError::Csrf);
        }
        let form = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| PageError::BadRequest(format!("The form could not be read: {e}.")))?;
        Ok(CsrfForm(form))
    }
}
