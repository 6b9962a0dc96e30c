use axum::http::StatusCode;

use crate::support::TestApp;

#[tokio::test]
async fn signing_up_signs_you_in_and_lands_on_today() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let home = ada.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.text("h1").starts_with("Today"), "{}", home.text("h1"));
    assert!(
        home.text("#today-empty")
            .contains("You follow no curriculum yet")
    );
    assert!(home.body.contains("@ada"));
    let dashboard = ada.get("/dashboard").await;
    assert_eq!(dashboard.text("h1"), "Dashboard");
}

#[tokio::test]
async fn sign_up_errors_sit_next_to_their_fields_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let mut visitor = app.client();
    visitor.get("/signup").await;
    let resp = visitor
        .post(
            "/signup",
            &[
                ("handle", "A!"),
                ("display_name", ""),
                ("email", "nope"),
                ("password", "password"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        resp.text("#handle-error").contains("3 to 30 characters"),
        "{}",
        resp.text("#handle-error")
    );
    assert!(
        resp.text("#email-error")
            .contains("does not look like an email")
    );
    assert!(
        resp.text("#password-error")
            .contains("most common passwords")
    );
    assert!(resp.text("#display_name-error").contains("1 to 80"));
    let handle = autodidact_core::accounts::Handle::parse("ada").unwrap();
    use autodidact_core::store::AccountStore;
    assert!(app.db.user_by_handle(&handle).await.unwrap().is_none());
}

#[tokio::test]
async fn a_taken_handle_is_refused_with_a_clear_message() {
    let app = TestApp::new().await;
    app.learner("ada").await;
    let mut other = app.client();
    let resp = other.sign_up("ada").await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        resp.text("#handle-error"),
        "This handle is taken: choose another."
    );
}

#[tokio::test]
async fn a_form_without_the_right_token_changes_nothing() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    ada.get("/settings").await;
    let resp = ada
        .post_exact(
            "/settings",
            &[
                ("csrf", "forged"),
                ("display_name", "Mallory"),
                ("timezone", "UTC"),
                ("week_start", "0"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
    assert!(
        ada.get("/settings")
            .await
            .body
            .contains("value=\"ada Lovelace\"")
    );
}

#[tokio::test]
async fn a_cross_site_post_is_refused_even_with_a_token() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    ada.get("/settings").await;
    let csrf = ada.csrf.clone().unwrap();
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("display_name", "Mallory"),
        ("timezone", "UTC"),
        ("week_start", "0"),
    ])
    .unwrap();
    let cookies = ada
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/settings")
        .header("cookie", cookies)
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(body))
        .unwrap();
    assert_eq!(ada.send(request).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn signing_in_with_a_wrong_password_says_the_same_as_for_an_unknown_account() {
    let app = TestApp::new().await;
    app.learner("ada").await;
    let mut visitor = app.client();
    let wrong = visitor
        .submit(
            "/signin",
            "/signin",
            &[("login", "ada"), ("password", "not the password")],
        )
        .await;
    let unknown = visitor
        .submit(
            "/signin",
            "/signin",
            &[("login", "nobody"), ("password", "not the password")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, unknown.status);
    assert_eq!(wrong.text("p.error"), unknown.text("p.error"));
}

#[tokio::test]
async fn too_many_failed_sign_ins_get_429_with_retry_after() {
    let app = TestApp::new().await;
    app.learner("ada").await;
    let mut visitor = app.client();
    for _ in 0..5 {
        let resp = visitor
            .submit(
                "/signin",
                "/signin",
                &[("login", "ada"), ("password", "guess guess")],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNAUTHORIZED);
    }
    let resp = visitor
        .submit(
            "/signin",
            "/signin",
            &[
                ("login", "ada"),
                ("password", "correct horse battery staple"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: i64 = resp
        .headers
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 15 * 60, "{retry}");
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let old_cookies = ada.cookies.clone();
    ada.get("/").await;
    let resp = ada.post("/signout", &[]).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    // The old cookie no longer works anywhere.
    let mut replay = app.client();
    replay.cookies = old_cookies;
    let settings = replay.get("/settings").await;
    assert_eq!(settings.status, StatusCode::SEE_OTHER);
    assert_eq!(settings.location(), Some("/signin?next=/settings"));
}

#[tokio::test]
async fn changing_the_password_signs_out_every_other_session() {
    let app = TestApp::new().await;
    let mut laptop = app.learner("ada").await;
    let mut phone = app.client();
    let signed_in = phone
        .submit(
            "/signin",
            "/signin",
            &[
                ("login", "ada@example.org"),
                ("password", "correct horse battery staple"),
            ],
        )
        .await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    assert_eq!(phone.get("/settings").await.status, StatusCode::OK);
    let changed = laptop
        .submit(
            "/settings",
            "/settings/password",
            &[
                ("current", "correct horse battery staple"),
                ("new", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    assert_eq!(laptop.get("/settings").await.status, StatusCode::OK);
    assert_eq!(phone.get("/settings").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_sessions_page_lists_and_revokes_sessions() {
    let app = TestApp::new().await;
    let mut laptop = app.learner("ada").await;
    let mut phone = app.client();
    phone
        .submit(
            "/signin",
            "/signin",
            &[
                ("login", "ada"),
                ("password", "correct horse battery staple"),
            ],
        )
        .await;
    let page = laptop.get("/settings/sessions").await;
    assert_eq!(page.texts("tbody tr").len(), 2);
    let html = page.html();
    let form = html
        .select(&scraper::Selector::parse("tbody form").unwrap())
        .next()
        .unwrap();
    let action = form.value().attr("action").unwrap().to_owned();
    assert_eq!(
        laptop.post(&action, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(phone.get("/settings").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        laptop
            .get("/settings/sessions")
            .await
            .texts("tbody tr")
            .len(),
        1
    );
}

#[tokio::test]
async fn settings_refuse_an_unknown_time_zone() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let resp = ada
        .submit(
            "/settings",
            "/settings",
            &[
                ("display_name", "Ada"),
                ("timezone", "Mars/Olympus"),
                ("week_start", "6"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text("#timezone-error").contains("not a time zone"));
    let ok = ada
        .submit(
            "/settings",
            "/settings",
            &[
                ("display_name", "Ada"),
                ("timezone", "Europe/Amsterdam"),
                ("week_start", "6"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let page = ada.get("/settings").await;
    assert!(page.body.contains("value=\"Europe/Amsterdam\""));
}

#[tokio::test]
async fn session_cookies_are_http_only_and_same_site_lax() {
    let app = TestApp::new().await;
    let mut visitor = app.client();
    visitor.get("/signup").await;
    let resp = visitor
        .post(
            "/signup",
            &[
                ("handle", "ada"),
                ("display_name", "Ada"),
                ("email", "ada@example.org"),
                ("password", "correct horse battery staple"),
            ],
        )
        .await;
    let cookie = resp
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("autodidact_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "http base URL: {cookie}");
}

#[tokio::test]
async fn an_expired_session_is_treated_as_signed_out_and_changes_nothing() {
    use autodidact_core::accounts::Handle;
    use autodidact_core::store::{AccountStore, NewSession};
    use jiff::{SignedDuration, Timestamp};

    let app = TestApp::new().await;
    app.learner("ada").await;
    let ada = app
        .db
        .user_by_handle(&Handle::parse("ada").unwrap())
        .await
        .unwrap()
        .unwrap();
    let token = "an-old-session-token-from-last-year";
    let long_ago = Timestamp::now() - SignedDuration::from_hours(24 * 400);
    app.db
        .create_session(NewSession {
            token_hash: autodidact_core::secrets::hash_token(token),
            user: ada.id,
            csrf_token: "old-csrf".to_owned(),
            now: long_ago,
            expires_at: long_ago + SignedDuration::from_hours(24 * 30),
            user_agent: "old laptop".to_owned(),
            ip: "192.0.2.1".to_owned(),
        })
        .await
        .unwrap();
    let mut stale = app.client();
    stale
        .cookies
        .insert("autodidact_session".to_owned(), token.to_owned());
    let page = stale.get("/settings").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), Some("/signin?next=/settings"));
    let post = stale
        .post_exact(
            "/settings",
            &[
                ("csrf", "old-csrf"),
                ("display_name", "Mallory"),
                ("timezone", "UTC"),
                ("week_start", "0"),
            ],
        )
        .await;
    let refused = post.status == StatusCode::FORBIDDEN
        || post.status == StatusCode::SEE_OTHER
            && post.location().is_some_and(|l| l.starts_with("/signin"));
    assert!(refused, "{} {:?}", post.status, post.location());
    let after = app.db.user(ada.id).await.unwrap().unwrap();
    assert_eq!(after.display_name, "ada Lovelace");
}

#[tokio::test]
async fn signing_in_never_sends_the_learner_to_another_site_or_fails_on_a_strange_next() {
    let app = TestApp::new().await;
    app.learner("ada").await;
    for (next, expected) in [
        ("//evil.example", Some("/")),
        ("/\\evil.example", Some("/")),
        ("https://evil.example/", Some("/")),
        ("/plan?week=2", Some("/plan?week=2")),
        // A control character is refused before the sign-in is tried (abuse.rs).
        ("/\t/evil.example", None),
        ("/\u{1}x", None),
    ] {
        let mut client = app.client();
        let signed_in = client
            .submit(
                "/signin",
                "/signin",
                &[
                    ("login", "ada@example.org"),
                    ("password", "correct horse battery staple"),
                    ("next", next),
                ],
            )
            .await;
        match expected {
            Some(location) => {
                assert_eq!(
                    signed_in.status,
                    StatusCode::SEE_OTHER,
                    "{next:?}: {}",
                    signed_in.body
                );
                assert_eq!(signed_in.location(), Some(location), "{next:?}");
            }
            None => assert_eq!(signed_in.status, StatusCode::BAD_REQUEST, "{next:?}"),
        }
    }
    // The page's own form carries only a safe value.
    let mut client = app.client();
    let page = client.get("/signin?next=//evil.example").await;
    assert_eq!(page.attr("input[name=next]", "value").as_deref(), Some("/"));
}
