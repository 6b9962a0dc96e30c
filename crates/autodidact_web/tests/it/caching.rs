//! Fewer bytes: compression, validators and fingerprinted static files.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::support::TestApp;

#[tokio::test]
async fn pages_are_compressed_for_a_client_that_takes_it() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    for (accept, expected) in [
        ("br", Some("br")),
        ("gzip", Some("gzip")),
        ("identity", None),
    ] {
        let request = ada
            .request("GET", "/settings")
            .header(header::ACCEPT_ENCODING, accept)
            .body(Body::empty())
            .unwrap();
        let resp = ada.send(request).await;
        assert_eq!(resp.status, StatusCode::OK);
        assert_eq!(
            resp.headers
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap()),
            expected,
            "{accept}"
        );
    }
}

#[tokio::test]
async fn a_page_a_cache_may_keep_has_a_validator_and_a_client_that_holds_it_gets_304() {
    let app = TestApp::new().await;
    let mut visitor = app.client();
    let first = visitor.get("/signup").await;
    // The sign-up page carries a per-visitor token and sets a cookie, yet is not private.
    let home = visitor.get("/").await;
    let etag = home.headers[header::ETAG].to_str().unwrap().to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    let again = visitor
        .send(
            visitor
                .request("GET", "/")
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.headers[header::ETAG], etag.as_str());
    assert_eq!(first.status, StatusCode::OK);

    // A signed-in page is never stored, so it gets no validator.
    let mut ada = app.learner("ada").await;
    let private = ada.get("/settings").await;
    assert!(!private.headers.contains_key(header::ETAG));
}

#[tokio::test]
async fn static_files_are_named_by_their_content_and_kept_for_a_year() {
    let app = TestApp::new().await;
    let mut visitor = app.client();
    let page = visitor.get("/signin").await;
    let css = page.attr("link[rel=stylesheet]", "href").unwrap();
    let js = page.attr("script[src]", "src").unwrap();
    assert!(css.starts_with("/static/app.") && css.ends_with(".css") && css != "/static/app.css");
    for path in [&css, &js] {
        let resp = visitor.get(path).await;
        assert_eq!(resp.status, StatusCode::OK, "{path}");
        assert_eq!(
            resp.headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        let etag = resp.headers[header::ETAG].to_str().unwrap().to_owned();
        let request = Request::get(path.as_str())
            .header(header::IF_NONE_MATCH, etag)
            .body(Body::empty())
            .unwrap();
        assert_eq!(visitor.send(request).await.status, StatusCode::NOT_MODIFIED);
    }
    // The plain names still answer, for pages cached before a release, for an hour.
    let plain = visitor.get("/static/app.css").await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.headers[header::CACHE_CONTROL], "public, max-age=3600");
    assert_eq!(
        visitor.get("/static/app.5d41402abc.css").await.status,
        StatusCode::NOT_FOUND
    );
}
