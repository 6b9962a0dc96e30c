//! Fewer bytes on the wire: validators for answers a cache may keep (an `ETag` on every
//! successful GET that is not `no-store`, and `304 Not Modified` when the client already holds
//! it), and the static assets under names that change with their content, so they can be
//! kept for a year. Compression is tower-http's layer, in `app.rs`.

use std::sync::LazyLock;

use autodidact_core::secrets::hash_token;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Answers larger than this get no validator (the body would be held in memory to hash it).
const MAX_HASHED: usize = 4 * 1024 * 1024;

/// An entity tag for `bytes`: the first 32 hex digits of their SHA-256, weak (`W/`) because
/// the same page is sent compressed or not.
pub fn etag_of(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let digest = hash_token(&text);
    format!("W/\"{}\"", &digest[..32])
}

/// Whether `If-None-Match` names `etag` (or is `*`), comparing weakly.
pub fn matches(headers: &HeaderMap, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || bare(t) == bare(etag))
}

/// Adds an `ETag` to a successful GET that a cache may keep, and turns it into a bodiless 304
/// when the client's `If-None-Match` already names it.
pub async fn validators(request: Request, next: Next) -> Response {
    let get = request.method() == Method::GET || request.method() == Method::HEAD;
    let asked = request.headers().clone();
    let response = next.run(request).await;
    let storable = !response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store"));
    if !get || response.status() != StatusCode::OK || !storable {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    if let Some(etag) = parts
        .headers
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
    {
        // The handler set its own.
        if matches(&asked, etag) {
            return not_modified(parts.headers);
        }
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = to_bytes(body, MAX_HASHED).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let etag = etag_of(&bytes);
    if let Ok(value) = HeaderValue::from_str(&etag) {
        parts.headers.insert(header::ETAG, value);
    }
    if matches(&asked, &etag) {
        return not_modified(parts.headers);
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn not_modified(headers: HeaderMap) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
        if let Some(value) = headers.get(&name) {
            response.headers_mut().insert(name, value.clone());
        }
    }
    response
}

/// A static asset under a name that holds its content's hash.
pub struct Asset {
    pub body: &'static str,
    pub content_type: &'static str,
    /// `/static/app.3f2a9c1b7e.css`.
    pub path: String,
    pub etag: String,
}

impl Asset {
    fn new(stem: &str, extension: &str, content_type: &'static str, body: &'static str) -> Self {
        let etag = etag_of(body.as_bytes());
        let hash = &hash_token(body)[..10];
        Asset {
            body,
            content_type,
            path: format!("/static/{stem}.{hash}.{extension}"),
            etag,
        }
    }
}

pub static CSS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "app",
        "css",
        "text/css; charset=utf-8",
        include_str!("../static/app.css"),
    )
});
pub static JS: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "app",
        "js",
        "text/javascript; charset=utf-8",
        include_str!("../static/app.js"),
    )
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_validator_is_matched_weakly_in_a_list_and_by_star() {
        let etag = etag_of(b"hello");
        let mut headers = HeaderMap::new();
        assert!(!matches(&headers, &etag));
        let strong = etag.trim_start_matches("W/").to_owned();
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&format!("\"other\", {strong}"))
                .unwrap_or(HeaderValue::from_static("")),
        );
        assert!(matches(&headers, &etag));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(matches(&headers, &etag));
        assert_ne!(etag_of(b"hello"), etag_of(b"hello!"));
    }

    #[test]
    fn an_asset_name_changes_with_its_content() {
        assert!(CSS.path.starts_with("/static/app.") && CSS.path.ends_with(".css"));
        assert!(JS.path.ends_with(".js"));
        assert_ne!(
            Asset::new("a", "css", "", "x").path,
            Asset::new("a", "css", "", "y").path
        );
    }
}
