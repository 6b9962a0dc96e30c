//! One error type for pages and one for the API. A 4xx says what the person can fix; a 5xx
//! says "internal error" with an id, and the cause goes to the log once, here, never to the
//! client.

use std::any::Any;

use askama::Template;
use askama_web::WebTemplate;
use autodidact_core::board::BoardError;
use autodidact_core::curricula::{CurriculumError, EditError, SaveEstimatesError};
use autodidact_core::follow::{FollowCurriculumError, FollowError};
use autodidact_core::logs::{LogError, LogServiceError};
use autodidact_core::review::ReviewServiceError;
use autodidact_core::secrets::HashError;
use autodidact_core::store::StoreError;
use autodidact_core::throttle::Throttled;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use crate::page::{Layout, capitalise};

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("not found")]
    NotFound,
    #[error("sign in required")]
    SignInRequired { next: String },
    #[error("{0}")]
    BadRequest(String),
    #[error("the form is out of date")]
    Csrf,
    #[error("too many attempts")]
    TooManyRequests { retry_after_secs: i64 },
    /// The server is too busy for this now (503): come back after `retry_after_secs`.
    #[error("{message}")]
    Unavailable {
        retry_after_secs: u64,
        message: String,
    },
    #[error("internal: {0}")]
    Internal(String),
}

impl From<HashError> for PageError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy { retry_after_secs } => PageError::Unavailable {
                retry_after_secs,
                message: capitalise(&e.to_string()),
            },
            HashError::Failed(cause) => PageError::Internal(cause),
        }
    }
}

impl From<Throttled> for PageError {
    fn from(t: Throttled) -> Self {
        PageError::TooManyRequests {
            retry_after_secs: t.retry_after_secs,
        }
    }
}

/// When the database has no room to write: the change was not made, and reading goes on.
const FULL_MESSAGE: &str = "The server has no room left to save this, so nothing was changed. Everything saved before is safe and can still be read; try again in a little while.";
const FULL_RETRY_SECS: u64 = 60;
/// When the database does not answer for now.
const UNAVAILABLE_MESSAGE: &str = "The server cannot reach its database for a moment, so nothing was read or changed. Try again in a few seconds.";
const UNAVAILABLE_RETRY_SECS: u64 = 5;

impl From<StoreError> for PageError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => PageError::NotFound,
            StoreError::Conflict { constraint } => {
                PageError::Internal(format!("unexpected conflict on {constraint}"))
            }
            StoreError::Full => PageError::Unavailable {
                retry_after_secs: FULL_RETRY_SECS,
                message: FULL_MESSAGE.to_owned(),
            },
            StoreError::Unavailable(cause) => {
                tracing::warn!(%cause, "the database is unavailable");
                PageError::Unavailable {
                    retry_after_secs: UNAVAILABLE_RETRY_SECS,
                    message: UNAVAILABLE_MESSAGE.to_owned(),
                }
            }
            StoreError::Backend(cause) => PageError::Internal(cause),
        }
    }
}

impl From<FollowError> for PageError {
    fn from(err: FollowError) -> Self {
        match err {
            FollowError::NotFound => PageError::NotFound,
            FollowError::Unreadable { .. } => PageError::BadRequest(capitalise(&err.to_string())),
            FollowError::Store(e) => e.into(),
        }
    }
}

impl From<FollowCurriculumError> for PageError {
    fn from(err: FollowCurriculumError) -> Self {
        match err {
            FollowCurriculumError::NotFound => PageError::NotFound,
            FollowCurriculumError::AlreadyFollowing(_)
            | FollowCurriculumError::Unreadable { .. }
            | FollowCurriculumError::Plan(_)
            | FollowCurriculumError::StartPassed { .. } => {
                PageError::BadRequest(capitalise(&err.to_string()))
            }
            FollowCurriculumError::Store(e) => e.into(),
        }
    }
}

impl From<ReviewServiceError> for PageError {
    fn from(err: ReviewServiceError) -> Self {
        match err {
            ReviewServiceError::NotFound => PageError::NotFound,
            ReviewServiceError::NotDone => PageError::BadRequest(capitalise(&err.to_string())),
            ReviewServiceError::Corrupt(e) => PageError::Internal(e.to_string()),
            ReviewServiceError::Follow(e) => e.into(),
            ReviewServiceError::Store(e) => e.into(),
        }
    }
}

impl From<BoardError> for PageError {
    fn from(err: BoardError) -> Self {
        match err {
            BoardError::NotFound => PageError::NotFound,
            BoardError::NotesTooLong | BoardError::Task(_) => {
                PageError::BadRequest(capitalise(&err.to_string()))
            }
            BoardError::Follow(e) => e.into(),
            BoardError::Store(e) => e.into(),
        }
    }
}

impl From<CurriculumError> for PageError {
    fn from(err: CurriculumError) -> Self {
        match err {
            CurriculumError::NotFound => PageError::NotFound,
            CurriculumError::Store(e) => e.into(),
        }
    }
}

impl From<EditError> for PageError {
    fn from(err: EditError) -> Self {
        match err {
            EditError::NotFound => PageError::NotFound,
            EditError::Invalid(_) => PageError::BadRequest(capitalise(&err.to_string())),
            EditError::WouldNotReadBack => PageError::Internal(err.to_string()),
            EditError::Store(e) => e.into(),
        }
    }
}

impl From<SaveEstimatesError> for PageError {
    fn from(err: SaveEstimatesError) -> Self {
        match err {
            SaveEstimatesError::Estimates(e) => PageError::BadRequest(capitalise(&e.to_string())),
            SaveEstimatesError::Edit(e) => e.into(),
        }
    }
}

impl From<LogServiceError> for PageError {
    fn from(err: LogServiceError) -> Self {
        match err {
            LogServiceError::Invalid(e) => PageError::BadRequest(capitalise(&e.to_string())),
            LogServiceError::NotFound => PageError::NotFound,
            LogServiceError::Store(e) => e.into(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: String,
    message: String,
}

/// A short random id that ties a 5xx seen by a person to the log line with its cause.
fn incident_id() -> String {
    let mut bytes = [0u8; 6];
    rand::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, heading, message) = match self {
            PageError::SignInRequired { next } => {
                let target = format!("/signin?next={}", crate::page::url_encode(&next));
                return Redirect::to(&target).into_response();
            }
            PageError::NotFound => (
                StatusCode::NOT_FOUND,
                "Not found",
                "There is nothing here, or it is not yours to see.".to_owned(),
            ),
            PageError::BadRequest(message) => (StatusCode::BAD_REQUEST, "That did not work", message),
            PageError::Csrf => (
                StatusCode::FORBIDDEN,
                "The form is out of date",
                "The form expired, or it was sent from another site. Go back, reload the page and try again.".to_owned(),
            ),
            PageError::TooManyRequests { retry_after_secs } => {
                let mut response = (
                    StatusCode::TOO_MANY_REQUESTS,
                    ErrorPage {
                        layout: Layout::bare("Too many attempts"),
                        heading: "Too many attempts".to_owned(),
                        message: format!(
                            "Too many attempts. Wait {} and try again.",
                            crate::page::duration_words(retry_after_secs)
                        ),
                    },
                )
                    .into_response();
                if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
                return response;
            }
            PageError::Unavailable {
                retry_after_secs,
                message,
            } => {
                let mut response = (
                    StatusCode::SERVICE_UNAVAILABLE,
                    ErrorPage {
                        layout: Layout::bare("Busy"),
                        heading: "Busy right now".to_owned(),
                        message,
                    },
                )
                    .into_response();
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
                return response;
            }
            PageError::Internal(cause) => {
                let id = incident_id();
                tracing::error!(incident = %id, %cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal error",
                    format!("Something went wrong on our side. Try again; if it keeps happening, quote incident {id}."),
                )
            }
        };
        let page = ErrorPage {
            layout: Layout::bare(heading),
            heading: heading.to_owned(),
            message,
        };
        (status, page).into_response()
    }
}

/// A panic becomes a plain 500 with an incident id, like any internal error.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let cause = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "panic".to_owned());
    PageError::Internal(format!("panic: {cause}")).into_response()
}

/// Errors of the JSON API: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("sign in with a token")]
    Unauthorized,
    #[error("this token may only read")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    /// Well-formed, but breaks a rule (a curriculum with errors, a reused idempotency key).
    #[error("{0}")]
    Unprocessable(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: i64 },
    #[error("{message}")]
    Unavailable {
        retry_after_secs: u64,
        message: String,
    },
    #[error("internal: {0}")]
    Internal(String),
}

impl From<HashError> for ApiError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy { retry_after_secs } => ApiError::Unavailable {
                retry_after_secs,
                message: e.to_string(),
            },
            HashError::Failed(cause) => ApiError::Internal(cause),
        }
    }
}

impl From<Throttled> for ApiError {
    fn from(t: Throttled) -> Self {
        ApiError::TooManyRequests {
            retry_after_secs: t.retry_after_secs,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict { constraint } => {
                ApiError::Internal(format!("unexpected conflict on {constraint}"))
            }
            StoreError::Full => ApiError::Unavailable {
                retry_after_secs: FULL_RETRY_SECS,
                message: FULL_MESSAGE.to_owned(),
            },
            StoreError::Unavailable(cause) => {
                tracing::warn!(%cause, "the database is unavailable");
                ApiError::Unavailable {
                    retry_after_secs: UNAVAILABLE_RETRY_SECS,
                    message: UNAVAILABLE_MESSAGE.to_owned(),
                }
            }
            StoreError::Backend(cause) => ApiError::Internal(cause),
        }
    }
}

impl From<FollowError> for ApiError {
    fn from(err: FollowError) -> Self {
        match err {
            FollowError::NotFound => ApiError::NotFound,
            FollowError::Unreadable { .. } => ApiError::Conflict(err.to_string()),
            FollowError::Store(e) => e.into(),
        }
    }
}

impl From<FollowCurriculumError> for ApiError {
    fn from(err: FollowCurriculumError) -> Self {
        match err {
            FollowCurriculumError::NotFound => ApiError::NotFound,
            FollowCurriculumError::AlreadyFollowing(id) => ApiError::Conflict(format!(
                "you already follow this curriculum: follow {}",
                id.0
            )),
            FollowCurriculumError::Unreadable { .. }
            | FollowCurriculumError::Plan(_)
            | FollowCurriculumError::StartPassed { .. } => ApiError::Unprocessable(err.to_string()),
            FollowCurriculumError::Store(e) => e.into(),
        }
    }
}

impl From<ReviewServiceError> for ApiError {
    fn from(err: ReviewServiceError) -> Self {
        match err {
            ReviewServiceError::NotFound => ApiError::NotFound,
            ReviewServiceError::NotDone => ApiError::Unprocessable(err.to_string()),
            ReviewServiceError::Corrupt(e) => ApiError::Internal(e.to_string()),
            ReviewServiceError::Follow(e) => e.into(),
            ReviewServiceError::Store(e) => e.into(),
        }
    }
}

impl From<BoardError> for ApiError {
    fn from(err: BoardError) -> Self {
        match err {
            BoardError::NotFound => ApiError::NotFound,
            BoardError::NotesTooLong => ApiError::BadRequest(format!("notes: {err}")),
            BoardError::Task(_) => ApiError::Conflict(err.to_string()),
            BoardError::Follow(e) => e.into(),
            BoardError::Store(e) => e.into(),
        }
    }
}

impl From<CurriculumError> for ApiError {
    fn from(err: CurriculumError) -> Self {
        match err {
            CurriculumError::NotFound => ApiError::NotFound,
            CurriculumError::Store(e) => e.into(),
        }
    }
}

impl From<EditError> for ApiError {
    fn from(err: EditError) -> Self {
        match err {
            EditError::NotFound => ApiError::NotFound,
            EditError::Invalid(_) => ApiError::Unprocessable(err.to_string()),
            EditError::WouldNotReadBack => ApiError::Internal(err.to_string()),
            EditError::Store(e) => e.into(),
        }
    }
}

/// A refused log as a 400, its message led by the JSON field to fix.
impl From<LogServiceError> for ApiError {
    fn from(err: LogServiceError) -> Self {
        match err {
            LogServiceError::Invalid(e @ LogError::IdempotencyKeyReused) => {
                ApiError::Unprocessable(format!("Idempotency-Key: {e}"))
            }
            LogServiceError::Invalid(e) => {
                let field = match e.field() {
                    "duration" => "minutes",
                    "idempotency_key" => "Idempotency-Key",
                    other => other,
                };
                ApiError::BadRequest(format!("{field}: {e}"))
            }
            LogServiceError::NotFound => ApiError::NotFound,
            LogServiceError::Store(e) => e.into(),
        }
    }
}

#[derive(Serialize)]
struct ApiErrorBody {
    error: ApiErrorDetail,
}

#[derive(Serialize)]
struct ApiErrorDetail {
    code: &'static str,
    message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry_after = match &self {
            ApiError::TooManyRequests { retry_after_secs } => {
                Some(u64::try_from(*retry_after_secs).unwrap_or(1))
            }
            ApiError::Unavailable {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            _ => None,
        };
        let (status, code, message) = match self {
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, "bad_request", m),
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "send a personal access token as `Authorization: Bearer …`".to_owned(),
            ),
            ApiError::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "this token is read-only: create a read-write token to change data".to_owned(),
            ),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "no such object, or not yours".to_owned(),
            ),
            ApiError::Conflict(m) => (StatusCode::CONFLICT, "conflict", m),
            ApiError::Unprocessable(m) => (StatusCode::UNPROCESSABLE_ENTITY, "unprocessable", m),
            ApiError::TooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", m),
            ApiError::TooManyRequests { retry_after_secs } => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                format!("retry after {retry_after_secs} seconds"),
            ),
            ApiError::Unavailable { message, .. } => {
                (StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
            }
            ApiError::Internal(cause) => {
                let id = incident_id();
                tracing::error!(incident = %id, %cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    format!("internal error (incident {id})"),
                )
            }
        };
        let mut response = (
            status,
            Json(ApiErrorBody {
                error: ApiErrorDetail { code, message },
            }),
        )
            .into_response();
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"autodidact\""),
            );
        }
        response
    }
}

/// The JSON error shape for an answer under `/api` that a layer made before or after any
/// handler (a body over the limit, a timeout, a panic), which would otherwise be plain text.
pub async fn json_errors_under_api(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let under_api = request.uri().path().starts_with("/api");
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !under_api || is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (code, message) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "the request body is larger than this server takes: send less".to_owned(),
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "timeout",
            "the request took too long and was stopped: try again".to_owned(),
        ),
        // The cause was logged where it happened (the panic handler logs it with an id).
        s if s.is_server_error() => ("internal", "internal error: try again later".to_owned()),
        s => (
            "error",
            s.canonical_reason().unwrap_or("error").to_lowercase(),
        ),
    };
    let mut replaced = (
        status,
        Json(ApiErrorBody {
            error: ApiErrorDetail { code, message },
        }),
    )
        .into_response();
    for name in [header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(value) = response.headers().get(&name) {
            replaced.headers_mut().insert(name, value.clone());
        }
    }
    replaced
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test stops at the first surprise")]
mod tests {
    use std::time::Duration;

    use axum::Router;
    use axum::body::Body;
    use axum::http::Request;
    use axum::routing::get;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    use tower_http::catch_panic::CatchPanicLayer;
    use tower_http::timeout::TimeoutLayer;

    use super::*;

    async fn panics() -> &'static str {
        panic!("a bug in a handler")
    }

    async fn slow() -> &'static str {
        tokio::time::sleep(Duration::from_millis(500)).await;
        "late"
    }

    /// A page path, named apart so that the authorization walk's scan of `.route(` calls in
    /// the sources does not take this test's router for the app's.
    const PAGE: &str = "/page/panic";

    /// The layers in the order the app stacks them, around two misbehaving handlers.
    fn app() -> Router {
        Router::new()
            .route("/api/v1/panic", get(panics))
            .route("/api/v1/slow", get(slow))
            .route(PAGE, get(panics))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                Duration::from_millis(50),
            ))
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(axum::middleware::from_fn(json_errors_under_api))
    }

    async fn get_json(path: &str) -> (StatusCode, String, String) {
        let resp = app()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let kind = resp.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_owned();
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        (status, kind, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn a_panic_or_a_timeout_under_the_api_answers_in_the_json_error_shape() {
        let (status, kind, body) = get_json("/api/v1/panic").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(kind, "application/json");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["error"]["code"], "internal");
        assert!(
            !body.contains("a bug in a handler"),
            "the cause is never sent: {body}"
        );

        let (status, kind, body) = get_json("/api/v1/slow").await;
        assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
        assert_eq!(kind, "application/json");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["error"]["code"], "timeout");

        // A page keeps its HTML error page.
        let (status, kind, _) = get_json(PAGE).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(kind.starts_with("text/html"), "{kind}");
    }
}
