//! The application state and the router with its middleware.

use std::sync::Arc;
use std::time::Duration;

use autodidact_core::follow::CurriculumCache;

use crate::mail::{MailError, Mailer};
use crate::memos::Memos;
use autodidact_core::store::Store;
use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::{accounts, assets, auth, home};

/// Settings the web app needs. Built by the binary from flags, environment and config file.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The address people use, such as `https://learn.example.org`. Decides the `Secure`
    /// cookie flag and the origin that state-changing requests must come from.
    pub base_url: String,
    /// How long a session lasts without use.
    pub session_days: i64,
    /// The largest request body accepted, in bytes (uploads included).
    pub max_body_bytes: usize,
    /// The SMTP server for links to set a forgotten password (lettre's URL form); none sends
    /// no email.
    pub smtp_url: Option<String>,
    /// The sender of those emails.
    pub mail_from: String,
    /// Reverse proxies whose `X-Forwarded-For` is believed: a request from one of them is
    /// counted (by the throttles, and on the sessions page) under the address it forwarded
    /// for. Empty (the default): the connection's own address, whatever the headers say.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Requests handled at once; more wait at most `queue_wait`, then get 503 (load
    /// shedding: beyond capacity the server answers at once instead of queueing for seconds).
    pub max_in_flight: usize,
    /// How long a request may wait for one of the `max_in_flight` places.
    pub queue_wait: Duration,
    /// Bytes of learners' derived views kept between requests (see `crate::memos`); 0 keeps
    /// none.
    pub memo_bytes: u64,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            base_url: "http://127.0.0.1:8080".to_owned(),
            session_days: 30,
            max_body_bytes: 4 * 1024 * 1024,
            smtp_url: None,
            mail_from: "Autodidact <autodidact@localhost>".to_owned(),
            trusted_proxies: Vec::new(),
            max_in_flight: 16,
            queue_wait: Duration::from_millis(40),
            memo_bytes: 64 * 1024 * 1024,
        }
    }
}

impl WebConfig {
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// `scheme://host[:port]` of the base URL.
    pub fn origin(&self) -> &str {
        let after_scheme = self.base_url.find("://").map_or(0, |n| n + 3);
        match self.base_url[after_scheme..].find('/') {
            Some(n) => &self.base_url[..after_scheme + n],
            None => &self.base_url,
        }
    }
}

/// Shared by every handler: cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<WebConfig>,
    /// Parsed curricula, shared by every request that plans a stored curriculum.
    pub curricula: Arc<CurriculumCache>,
    /// Email, when an SMTP server is configured.
    pub mailer: Option<Arc<Mailer>>,
    /// The places for requests in flight (see `WebConfig::max_in_flight`).
    pub in_flight: Arc<tokio::sync::Semaphore>,
    /// Learners' derived views, kept under their data version.
    pub memos: Arc<Memos>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// The state for these settings; fails when the email settings do not read.
    pub fn new(store: Arc<dyn Store>, config: WebConfig) -> Result<Self, MailError> {
        let mailer = match &config.smtp_url {
            Some(url) => Some(Arc::new(Mailer::new(url, &config.mail_from)?)),
            None => None,
        };
        let in_flight = Arc::new(tokio::sync::Semaphore::new(config.max_in_flight.max(1)));
        Ok(Self {
            store,
            memos: Arc::new(Memos::new(config.memo_bytes)),
            config: Arc::new(config),
            curricula: Arc::new(CurriculumCache::new()),
            mailer,
            in_flight,
        })
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole app: pages, API and assets, with security headers, request ids, tracing,
/// a body limit, a timeout and panic recovery.
pub fn build_router(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    let pages = Router::new()
        .merge(home::routes())
        .merge(accounts::routes())
        .merge(crate::account::routes())
        .merge(crate::curricula::routes())
        .merge(crate::follows::routes())
        .merge(crate::logs::routes())
        .merge(crate::tokens::routes())
        .merge(crate::insight::routes())
        .merge(crate::commitments::routes())
        .merge(crate::reviews::routes())
        .merge(crate::week::routes())
        .merge(crate::sharing::routes())
        .merge(crate::explore::routes())
        .merge(crate::upstream::routes())
        .merge(crate::crowd::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::csrf::check_origin,
        ));
    Router::new()
        .merge(pages)
        .merge(crate::api::routes())
        .merge(assets::routes())
        .merge(crate::health::routes())
        .fallback(home::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::security::refuse_bad_input,
        ))
        .with_state(state.clone())
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(CatchPanicLayer::custom(crate::error::panic_response))
        .layer(axum::middleware::from_fn(crate::error::json_errors_under_api))
        .layer(TraceLayer::new_for_http())
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::security::shed,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state,
            crate::security::headers,
        ))
        // Validators see the final headers (`no-store`) and the body before compression.
        .layer(axum::middleware::from_fn(crate::caching::validators))
        .layer(CompressionLayer::new())
}
