//! Two middlewares every request passes: the response headers that depend on the request
//! (HSTS, `Cache-Control: no-store` for a signed-in learner and the API, and the policies every
//! answer carries), and a guard on input no form or API takes (a NUL character anywhere in the
//! query or a form or JSON body; a control character in a place to go back to).

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::auth::SESSION_COOKIE;
use crate::error::{ApiError, PageError};

/// HSTS for a year, when the app is served over https.
const HSTS: &str = "max-age=31536000; includeSubDomains";
/// No camera, microphone, location, payment or USB for any page.
const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

/// Adds the headers that depend on the request and the settings.
pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let private = request.uri().path().starts_with("/api")
        || request.headers().contains_key(header::AUTHORIZATION)
        || has_session(&request);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if private && !headers.contains_key(header::CACHE_CONTROL) {
        // Back after signing out must not show a private page from the browser's cache.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config.secure_cookies() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    headers.insert("permissions-policy", HeaderValue::from_static(PERMISSIONS));
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

fn has_session(request: &Request) -> bool {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|pair| {
            pair.trim()
                .split_once('=')
                .is_some_and(|(name, value)| name == SESSION_COOKIE && !value.is_empty())
        })
}

/// Load shedding: a request waits at most `queue_wait` for one of `max_in_flight` places,
/// then gets 503 with `Retry-After: 1` at once. The health routes never wait, so a balancer
/// sees a busy node as alive and ready.
pub async fn shed(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path == "/healthz" || path == "/readyz" {
        return next.run(request).await;
    }
    let place = tokio::time::timeout(state.config.queue_wait, state.in_flight.acquire()).await;
    match place {
        Ok(Ok(_place)) => next.run(request).await,
        _ => {
            let api = path.starts_with("/api");
            let message = "The server is busy: try again in a second.".to_owned();
            if api {
                ApiError::Unavailable {
                    retry_after_secs: 1,
                    message,
                }
                .into_response()
            } else {
                PageError::Unavailable {
                    retry_after_secs: 1,
                    message,
                }
                .into_response()
            }
        }
    }
}

/// Why input was refused before any handler saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    Nul,
    ControlInNext,
}

impl Refusal {
    fn message(self) -> &'static str {
        match self {
            Refusal::Nul => {
                "Text may not contain the NUL character (U+0000): remove it and send again."
            }
            Refusal::ControlInNext => {
                "The page to go back to (next or return_to) holds a control character: follow the link again from the page you came from."
            }
        }
    }
}

/// Refuses with 400 a NUL character in the query or in a form or JSON body, and a control
/// character in `next` or `return_to`. Other bodies (uploads) pass untouched; their own
/// readers check them.
pub async fn refuse_bad_input(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let api = request.uri().path().starts_with("/api");
    let refuse = |r: Refusal| -> Response {
        if api {
            ApiError::BadRequest(r.message().to_owned()).into_response()
        } else {
            PageError::BadRequest(r.message().to_owned()).into_response()
        }
    };
    if let Some(query) = request.uri().query()
        && let Some(r) = check_form(query.as_bytes())
    {
        return refuse(r);
    }
    if request.method() == Method::GET || request.method() == Method::HEAD {
        return next.run(request).await;
    }
    let kind = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    let form = kind.as_deref() == Some("application/x-www-form-urlencoded");
    let json = kind
        .as_deref()
        .is_some_and(|k| k == "application/json" || k.ends_with("+json"));
    if !form && !json {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, state.config.max_body_bytes).await {
        Ok(bytes) => bytes,
        // Over the limit: the body limit's own answer.
        Err(_) => return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    let refusal = if form {
        check_form(&bytes)
    } else {
        check_json(&bytes)
    };
    if let Some(r) = refusal {
        return refuse(r);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// A form (or query): a NUL anywhere, or a control character in `next` or `return_to`.
fn check_form(raw: &[u8]) -> Option<Refusal> {
    if raw.contains(&0) {
        return Some(Refusal::Nul);
    }
    for (key, value) in form_urlencoded_pairs(raw) {
        if value.contains('\0') || key.contains('\0') {
            return Some(Refusal::Nul);
        }
        if (key == "next" || key == "return_to") && value.chars().any(char::is_control) {
            return Some(Refusal::ControlInNext);
        }
    }
    None
}

fn form_urlencoded_pairs(raw: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(raw).unwrap_or_default()
}

/// A JSON body: a NUL byte, or an escaped one (`\u0000`) in any string.
fn check_json(raw: &[u8]) -> Option<Refusal> {
    if raw.contains(&0) {
        return Some(Refusal::Nul);
    }
    let lower: Vec<u8> = raw.iter().map(u8::to_ascii_lowercase).collect();
    // `\u0000` preceded by an even run of backslashes is an escaped NUL; an odd run makes it
    // the text `\u0000`, which is allowed.
    let needle = b"u0000";
    let mut at = 0;
    while let Some(found) = lower[at..].windows(needle.len()).position(|w| w == needle) {
        let i = at + found;
        let slashes = lower[..i].iter().rev().take_while(|b| **b == b'\\').count();
        if slashes % 2 == 1 {
            return Some(Refusal::Nul);
        }
        at = i + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_is_found_however_it_is_written() {
        assert_eq!(check_form(b"title=a%00b"), Some(Refusal::Nul));
        assert_eq!(check_form(b"title=a\0b"), Some(Refusal::Nul));
        assert_eq!(check_form(b"title=a%2500b"), None);
        assert_eq!(check_json(br#"{"note":"a\u0000b"}"#), Some(Refusal::Nul));
        assert_eq!(check_json(br#"{"note":"a\U0000b"}"#), Some(Refusal::Nul));
        assert_eq!(check_json(br#"{"note":"a\\u0000b"}"#), None);
        assert_eq!(check_json(br#"{"note":"a\\\u0000b"}"#), Some(Refusal::Nul));
        assert_eq!(check_json(br#"{"note":"fine"}"#), None);
    }

    #[test]
    fn a_control_character_in_a_place_to_go_back_to_is_refused_and_elsewhere_allowed() {
        assert_eq!(
            check_form(b"next=/%09/evil.example"),
            Some(Refusal::ControlInNext)
        );
        assert_eq!(
            check_form(b"return_to=/plan%0A"),
            Some(Refusal::ControlInNext)
        );
        assert_eq!(check_form(b"next=/plan%3Fa%3D1"), None);
        assert_eq!(check_form(b"note=line%0Aline"), None);
    }
}
