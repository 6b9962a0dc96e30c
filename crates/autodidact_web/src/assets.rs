//! The stylesheet and the small script, compiled into the binary, under names that hold their
//! content's hash (`caching::CSS.path`): kept for a year, `immutable`. The plain names
//! (`/static/app.css`) still answer, for pages cached before a release, with an hour's cache
//! and a validator.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::app::AppState;
use crate::caching::{Asset, CSS, JS, matches};

pub fn routes() -> Router<AppState> {
    Router::new().route("/static/{asset}", get(file))
}

async fn file(Path(name): Path<String>, asked: HeaderMap) -> Response {
    let path = format!("/static/{name}");
    match name.as_str() {
        _ if path == CSS.path => serve(&CSS, &asked, true),
        _ if path == JS.path => serve(&JS, &asked, true),
        "app.css" => serve(&CSS, &asked, false),
        "app.js" => serve(&JS, &asked, false),
        _ => crate::error::PageError::NotFound.into_response(),
    }
}

fn serve(asset: &Asset, asked: &HeaderMap, fingerprinted: bool) -> Response {
    let cache = if fingerprinted {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    let etag = HeaderValue::from_str(&asset.etag).unwrap_or(HeaderValue::from_static("\"\""));
    if matches(asked, &asset.etag) {
        return (
            axum::http::StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            ],
        )
            .into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (header::ETAG, etag),
        ],
        asset.body,
    )
        .into_response()
}

/// The stylesheet's address, for templates.
pub fn css_href() -> &'static str {
    &CSS.path
}

/// The script's address, for templates.
pub fn js_href() -> &'static str {
    &JS.path
}
