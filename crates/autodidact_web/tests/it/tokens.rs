//! The token pages: create (shown once), list, revoke, and what the API makes of each.

use axum::http::StatusCode;

use crate::api::call;
use crate::logs::user_id;
use crate::support::TestApp;

fn token_in(resp: &crate::support::Resp) -> String {
    let html = resp.html();
    let sel = scraper::Selector::parse("#new-token").unwrap();
    html.select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_token_is_shown_once_listed_used_and_revoked() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let page = ada.get("/settings/tokens").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text(".empty"), "No tokens yet.");

    let created = ada
        .post(
            "/settings/tokens",
            &[("name", "laptop CLI"), ("scope", "read-write")],
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.headers.get("cache-control").unwrap(), "no-store");
    let secret = token_in(&created);
    assert!(secret.starts_with("adt_") && secret.len() > 40, "{secret}");
    assert!(created.text("#new-token-heading").contains("laptop CLI"));

    let list = ada.get("/settings/tokens").await;
    assert!(
        !list.body.contains(&secret),
        "the secret is shown only once"
    );
    assert_eq!(list.text("table.tokens td.name"), "laptop CLI");
    assert_eq!(list.text("table.tokens td.scope"), "Read and write");
    assert_eq!(list.text("table.tokens td.last-used"), "Never");

    let me = call(&app, "GET", "/api/v1/me", Some(&secret), None, &[]).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["handle"], "ada");
    assert_eq!(me.json()["token"]["name"], "laptop CLI");
    let list = ada.get("/settings/tokens").await;
    assert_ne!(list.text("table.tokens td.last-used"), "Never");

    let id = {
        let html = list.html();
        let sel = scraper::Selector::parse("table.tokens tbody tr").unwrap();
        let row = html.select(&sel).next().unwrap();
        row.value()
            .id()
            .unwrap()
            .trim_start_matches("token-")
            .to_owned()
    };
    let revoked = ada
        .post(&format!("/settings/tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let list = ada.get(revoked.location().unwrap()).await;
    assert!(list.text(".notice").contains("revoked"));
    assert!(list.texts("table.tokens tbody tr").is_empty());
    let me = call(&app, "GET", "/api/v1/me", Some(&secret), None, &[]).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_read_only_token_made_on_the_page_cannot_log() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    ada.get("/settings/tokens").await;
    let created = ada
        .post(
            "/settings/tokens",
            &[("name", "dashboard widget"), ("scope", "read")],
        )
        .await;
    let secret = token_in(&created);
    let resp = call(
        &app,
        "POST",
        "/api/v1/logs",
        Some(&secret),
        Some(r#"{"minutes": 5}"#),
        &[],
    )
    .await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
    let resp = call(&app, "GET", "/api/v1/logs", Some(&secret), None, &[]).await;
    assert_eq!(resp.status, StatusCode::OK);
}

#[tokio::test]
async fn a_token_needs_a_name_and_a_scope() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    ada.get("/settings/tokens").await;
    let resp = ada
        .post("/settings/tokens", &[("name", "  "), ("scope", "admin")])
        .await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text("#name-error").contains("1 to 80 characters"));
    assert!(resp.text("#scope-error").contains("Choose read only"));
    assert!(token_in(&resp).is_empty());
    use autodidact_core::store::TokenStore;
    let id = user_id(&app, "ada").await;
    assert!(app.db.tokens_of(id).await.unwrap().is_empty());
}

#[tokio::test]
async fn another_learners_token_cannot_be_revoked() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    ada.get("/settings/tokens").await;
    let created = ada
        .post("/settings/tokens", &[("name", "ada's"), ("scope", "read")])
        .await;
    let secret = token_in(&created);
    use autodidact_core::store::TokenStore;
    let ada_id = user_id(&app, "ada").await;
    let token_id = app.db.tokens_of(ada_id).await.unwrap()[0].id;

    let mut bob = app.learner("bob").await;
    bob.get("/settings/tokens").await;
    let resp = bob
        .post(&format!("/settings/tokens/{token_id}/revoke"), &[])
        .await;
    assert_eq!(resp.status, StatusCode::NOT_FOUND);
    let me = call(&app, "GET", "/api/v1/me", Some(&secret), None, &[]).await;
    assert_eq!(me.status, StatusCode::OK);
}

#[tokio::test]
async fn the_token_pages_need_a_session() {
    let app = TestApp::new().await;
    let mut visitor = app.client();
    let resp = visitor.get("/settings/tokens").await;
    assert_eq!(resp.location(), Some("/signin?next=/settings/tokens"));
}
