//! What an API request carries: a token, a JSON body, a query, an id. Every rejection is an
//! [`ApiError`], so a client always gets `{"error": {"code", "message"}}` and never axum's
//! plain-text rejections.

use autodidact_core::store::{ApiToken, TokenScope, User};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::header;
use axum::http::request::Parts;
use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use crate::app::AppState;
use crate::auth::hash_token;
use crate::error::ApiError;

/// The person a personal access token acts for. Every API route needs one; using it records
/// its last use.
#[derive(Debug, Clone)]
pub struct TokenUser {
    pub user: User,
    pub token: ApiToken,
}

impl FromRequestParts<AppState> for TokenUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let secret = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, secret)| secret.trim())
            .filter(|secret| !secret.is_empty())
            .ok_or(ApiError::Unauthorized)?;
        let (token, user) = state
            .store
            .use_token(&hash_token(secret), Timestamp::now())
            .await?
            .ok_or(ApiError::Unauthorized)?;
        Ok(Self { user, token })
    }
}

/// A token that may change data; a read-only token is refused with 403 before the body is read.
#[derive(Debug, Clone)]
pub struct Writer(pub TokenUser);

impl FromRequestParts<AppState> for Writer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let who = TokenUser::from_request_parts(parts, state).await?;
        match who.token.scope {
            TokenScope::ReadWrite => Ok(Self(who)),
            TokenScope::Read => Err(ApiError::Forbidden),
        }
    }
}

/// A JSON body. Any content type is read as JSON; what does not parse is a 400 that says where.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(request, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge(
                    "the request body is larger than this server takes: send less".to_owned(),
                )
            } else {
                ApiError::BadRequest(format!("the request body could not be read: {e}"))
            }
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::BadRequest(
                "the body is empty: send a JSON object, such as {\"minutes\": 45}".to_owned(),
            ));
        }
        serde_json::from_slice(&bytes)
            .map(ApiJson)
            .map_err(|e| ApiError::BadRequest(json_problem(&e)))
    }
}

fn json_problem(e: &serde_json::Error) -> String {
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            format!("the body is not valid JSON ({e}): send a JSON object")
        }
        Category::Data => format!(
            "the JSON body does not match what this endpoint takes: {e}; the fields are listed in /api/openapi.json"
        ),
    }
}

/// A query string, such as `?from=2026-09-01&to=2026-09-30`.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        serde_urlencoded::from_str(parts.uri.query().unwrap_or(""))
            .map(ApiQuery)
            .map_err(|e| {
                ApiError::BadRequest(format!(
                    "the query could not be read: {e}; write dates as year-month-day"
                ))
            })
    }
}

/// The `{id}` of the path. Anything but a number is not found, like an id that is not yours.
#[derive(Debug, Clone, Copy)]
pub struct ApiId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ApiId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound)?;
        params
            .iter()
            .find(|(name, _)| *name == "id")
            .and_then(|(_, value)| value.parse().ok())
            .map(ApiId)
            .ok_or(ApiError::NotFound)
    }
}

/// `{id}` and `{item}` of an item route: a follow and one of its items. Anything malformed is
/// not found.
#[derive(Debug, Clone)]
pub struct ItemPath {
    pub follow: autodidact_core::store::FollowId,
    pub item: autodidact_core::curriculum::ItemId,
    /// `{evidence_id}`, on the routes that have one.
    pub evidence: Option<i64>,
}

impl<S: Send + Sync> FromRequestParts<S> for ItemPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound)?;
        let param = |name: &str| params.iter().find(|(k, _)| *k == name).map(|(_, v)| v);
        let follow = param("id")
            .and_then(|v| v.parse().ok())
            .map(autodidact_core::store::FollowId)
            .ok_or(ApiError::NotFound)?;
        let item = param("item")
            .and_then(|v| autodidact_core::curriculum::ItemId::parse(v).ok())
            .ok_or(ApiError::NotFound)?;
        let evidence = match param("evidence_id") {
            Some(v) => Some(v.parse().map_err(|_| ApiError::NotFound)?),
            None => None,
        };
        Ok(Self {
            follow,
            item,
            evidence,
        })
    }
}
