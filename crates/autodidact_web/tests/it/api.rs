//! The JSON API: tokens, scopes, idempotent logging, the error shape, visibility, and the
//! OpenAPI document against the real router.

use autodidact_core::accounts::UserId;
use autodidact_core::secrets::hash_token;
use autodidact_core::store::{TokenScope, TokenStore, Visibility};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use jiff::{Timestamp, ToSpan};
use serde_json::{Value, json};

use crate::logs::{
    Learner, MATHS, add_curriculum, add_follow, add_log, learner_following, logs_of, today,
};
use crate::support::{Client, Resp, TestApp};

/// A token for `user`, made through the store.
pub async fn token(app: &TestApp, user: UserId, scope: TokenScope) -> String {
    let secret = format!("adt_test_{}_{}", user.0, scope.as_str());
    app.db
        .create_token(user, "tests", &hash_token(&secret), scope, Timestamp::now())
        .await
        .unwrap();
    secret
}

/// Sends an API request: no cookies, no CSRF token, only the bearer token.
pub async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> Resp {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned())))
        .unwrap();
    let mut client: Client = app.client();
    client.cookies.clear();
    client.send(request).await
}

fn assert_error(resp: &Resp, status: StatusCode, code: &str) -> String {
    assert_eq!(resp.status, status, "{}", resp.body);
    let body = resp.json();
    assert_eq!(body["error"]["code"], code, "{body}");
    let message = body["error"]["message"].as_str().unwrap().to_owned();
    assert!(!message.is_empty());
    message
}

async fn writer(app: &TestApp, handle: &str) -> (Learner, String) {
    let learner = learner_following(app, handle).await;
    let token = token(app, learner.id, TokenScope::ReadWrite).await;
    (learner, token)
}

#[tokio::test]
async fn missing_or_invalid_tokens_get_401_in_the_error_shape() {
    let app = TestApp::new().await;
    let resp = call(&app, "GET", "/api/v1/me", None, None, &[]).await;
    assert_error(&resp, StatusCode::UNAUTHORIZED, "unauthorized");
    assert_eq!(
        resp.headers["www-authenticate"],
        "Bearer realm=\"autodidact\""
    );
    let resp = call(&app, "GET", "/api/v1/me", Some("adt_nope"), None, &[]).await;
    assert_error(&resp, StatusCode::UNAUTHORIZED, "unauthorized");
    let resp = call(
        &app,
        "GET",
        "/api/v1/me",
        None,
        None,
        &[("authorization", "Basic YWRhOnB3")],
    )
    .await;
    assert_error(&resp, StatusCode::UNAUTHORIZED, "unauthorized");
    // A session cookie is not a token.
    let mut ada = app.learner("ada").await;
    let request = ada
        .request("GET", "/api/v1/me")
        .body(Body::empty())
        .unwrap();
    assert_error(
        &ada.send(request).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_in_the_error_shape() {
    let app = TestApp::with_config(|c| c.max_body_bytes = 2048).await;
    let (_, token) = writer(&app, "ada").await;
    let note = "x".repeat(4096);
    let body = format!(r#"{{"minutes": 30, "note": "{note}"}}"#);
    let resp = call(&app, "POST", "/api/v1/logs", Some(&token), Some(&body), &[]).await;
    assert_eq!(resp.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", resp.body);
    let message = resp.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(!message.is_empty(), "{}", resp.body);
}

#[tokio::test]
async fn me_names_the_learner_and_the_token() {
    let app = TestApp::new().await;
    let (_, token) = writer(&app, "ada").await;
    let resp = call(&app, "GET", "/api/v1/me", Some(&token), None, &[]).await;
    assert_eq!(resp.status, StatusCode::OK);
    let me = resp.json();
    assert_eq!(me["handle"], "ada");
    assert_eq!(me["timezone"], "UTC");
    assert_eq!(me["week_start"], "monday");
    assert_eq!(me["token"]["scope"], "read-write");
}

#[tokio::test]
async fn a_read_only_token_may_read_but_is_refused_on_every_write() {
    let app = TestApp::new().await;
    let ada = learner_following(&app, "ada").await;
    let log = add_log(&app, ada.id, 30, today()).await;
    let read = token(&app, ada.id, TokenScope::Read).await;
    let resp = call(&app, "GET", "/api/v1/logs", Some(&read), None, &[]).await;
    assert_eq!(resp.status, StatusCode::OK);
    assert_eq!(resp.json()["logs"].as_array().unwrap().len(), 1);

    let resp = call(
        &app,
        "POST",
        "/api/v1/logs",
        Some(&read),
        Some(r#"{"minutes": 45}"#),
        &[],
    )
    .await;
    let message = assert_error(&resp, StatusCode::FORBIDDEN, "forbidden");
    assert!(message.contains("read-only"), "{message}");
    let path = format!("/api/v1/logs/{}", log.id);
    let resp = call(
        &app,
        "PATCH",
        &path,
        Some(&read),
        Some(r#"{"minutes": 45}"#),
        &[],
    )
    .await;
    assert_error(&resp, StatusCode::FORBIDDEN, "forbidden");
    let resp = call(&app, "DELETE", &path, Some(&read), None, &[]).await;
    assert_error(&resp, StatusCode::FORBIDDEN, "forbidden");
    let logs = logs_of(&app, ada.id).await;
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].minutes.get(), 30);
}

#[tokio::test]
async fn posting_twice_with_one_idempotency_key_logs_once() {
    let app = TestApp::new().await;
    let (ada, token) = writer(&app, "ada").await;
    let body = r#"{"minutes": 90, "item": "fast-ai-part-1", "kind": "learn", "note": "lesson 3"}"#;
    let key = [("idempotency-key", "3f1c9a7e-retry")];
    let first = call(&app, "POST", "/api/v1/logs", Some(&token), Some(body), &key).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let log = first.json();
    assert_eq!(log["minutes"], 90);
    assert_eq!(log["follow"], ada.follow.0.to_string());
    assert_eq!(log["curriculum"], ada.curriculum.0.to_string());
    assert_eq!(log["item"], "fast-ai-part-1");
    assert_eq!(log["date"], today().to_string());
    assert_eq!(
        first.location(),
        Some(format!("/api/v1/logs/{}", log["id"].as_str().unwrap()).as_str())
    );

    let again = call(&app, "POST", "/api/v1/logs", Some(&token), Some(body), &key).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.json()["id"], log["id"]);
    assert_eq!(logs_of(&app, ada.id).await.len(), 1);

    // The same key with another body is a mistake, said with 422; nothing is logged.
    let other = r#"{"minutes": 15, "item": "fast-ai-part-1"}"#;
    let reused = call(
        &app,
        "POST",
        "/api/v1/logs",
        Some(&token),
        Some(other),
        &key,
    )
    .await;
    assert_error(&reused, StatusCode::UNPROCESSABLE_ENTITY, "unprocessable");
    assert!(
        reused.body.contains("used for a different log"),
        "{}",
        reused.body
    );
    assert_eq!(logs_of(&app, ada.id).await.len(), 1);

    // Without a key, every POST logs.
    call(&app, "POST", "/api/v1/logs", Some(&token), Some(body), &[]).await;
    assert_eq!(logs_of(&app, ada.id).await.len(), 2);
}

#[tokio::test]
async fn malformed_json_is_a_400_in_the_error_shape_that_says_what_to_fix() {
    let app = TestApp::new().await;
    let (ada, token) = writer(&app, "ada").await;
    for (body, says) in [
        (r#"{"minutes": 45,"#, "not valid JSON"),
        ("", "the body is empty"),
        (r#"{"minutes": "90m"}"#, "invalid type"),
        (r#"{"minuts": 45}"#, "unknown field `minuts`"),
        (
            r#"{"minutes": 45, "kind": "study"}"#,
            "unknown variant `study`",
        ),
        (
            r#"{"minutes": 2000}"#,
            "minutes: a log holds 1 to 1440 minutes",
        ),
        (
            r#"{"minutes": 30, "item": "nope"}"#,
            "no item `nope` in the curricula you follow",
        ),
        (
            r#"{"minutes": 30, "curriculum": 1}"#,
            "give the item's id too",
        ),
    ] {
        let resp = call(&app, "POST", "/api/v1/logs", Some(&token), Some(body), &[]).await;
        let message = assert_error(&resp, StatusCode::BAD_REQUEST, "bad_request");
        assert!(message.contains(says), "{body}: {message}");
    }
    let too_late = today().checked_add(2.days()).unwrap();
    let body = json!({"minutes": 30, "date": too_late.to_string()}).to_string();
    let resp = call(&app, "POST", "/api/v1/logs", Some(&token), Some(&body), &[]).await;
    let message = assert_error(&resp, StatusCode::BAD_REQUEST, "bad_request");
    assert!(message.starts_with("date: "), "{message}");
    assert!(logs_of(&app, ada.id).await.is_empty());
}

#[tokio::test]
async fn an_item_in_two_followed_curricula_needs_its_curriculum() {
    let app = TestApp::new().await;
    let (ada, token) = writer(&app, "ada").await;
    let maths = add_curriculum(&app, ada.id, MATHS, Visibility::Private).await;
    let maths_follow = add_follow(&app, ada.id, maths, "5", today()).await;
    let body = r#"{"minutes": 30, "item": "linear-algebra"}"#;
    let resp = call(&app, "POST", "/api/v1/logs", Some(&token), Some(body), &[]).await;
    let message = assert_error(&resp, StatusCode::BAD_REQUEST, "bad_request");
    assert!(message.contains("more than one curriculum"), "{message}");
    assert!(
        message.contains(&format!("curriculum {}", maths.0)),
        "{message}"
    );

    let body = json!({"minutes": 30, "item": "linear-algebra", "curriculum": maths.0}).to_string();
    let resp = call(&app, "POST", "/api/v1/logs", Some(&token), Some(&body), &[]).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.body);
    assert_eq!(resp.json()["follow"], maths_follow.0.to_string());
    let body = json!({"minutes": 30, "item": "linear-algebra", "follow": ada.follow.0}).to_string();
    let resp = call(&app, "POST", "/api/v1/logs", Some(&token), Some(&body), &[]).await;
    assert_eq!(resp.json()["curriculum"], ada.curriculum.0.to_string());
}

#[tokio::test]
async fn logs_are_listed_by_range_and_can_be_patched_and_deleted() {
    let app = TestApp::new().await;
    let (ada, token) = writer(&app, "ada").await;
    let old = add_log(&app, ada.id, 60, today().checked_sub(40.days()).unwrap()).await;
    let new = add_log(&app, ada.id, 30, today()).await;
    let resp = call(&app, "GET", "/api/v1/logs", Some(&token), None, &[]).await;
    let ids: Vec<i64> = resp.json()["logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().parse::<i64>().unwrap())
        .collect();
    assert_eq!(ids, [new.id.0]);
    let from = today().checked_sub(50.days()).unwrap();
    let path = format!("/api/v1/logs?from={from}&to={}", today());
    let resp = call(&app, "GET", &path, Some(&token), None, &[]).await;
    assert_eq!(resp.json()["logs"].as_array().unwrap().len(), 2);
    let resp = call(
        &app,
        "GET",
        "/api/v1/logs?from=2020-01-01&to=2026-01-01",
        Some(&token),
        None,
        &[],
    )
    .await;
    assert!(
        assert_error(&resp, StatusCode::BAD_REQUEST, "bad_request").contains("at most 366 days")
    );
    let resp = call(
        &app,
        "GET",
        "/api/v1/logs?from=yesterday",
        Some(&token),
        None,
        &[],
    )
    .await;
    assert_error(&resp, StatusCode::BAD_REQUEST, "bad_request");

    let path = format!("/api/v1/logs/{}", old.id);
    let patch = r#"{"minutes": 75, "item": "fast-ai-part-1", "note": "redo"}"#;
    let resp = call(&app, "PATCH", &path, Some(&token), Some(patch), &[]).await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    let log = resp.json();
    assert_eq!(log["minutes"], 75);
    assert_eq!(log["item"], "fast-ai-part-1");
    assert_eq!(log["date"], old.day.to_string());
    assert_eq!(log["kind"], "learn");
    let resp = call(
        &app,
        "PATCH",
        &path,
        Some(&token),
        Some(r#"{"item": null}"#),
        &[],
    )
    .await;
    assert_eq!(resp.json()["item"], Value::Null);
    assert_eq!(resp.json()["minutes"], 75);

    let resp = call(&app, "DELETE", &path, Some(&token), None, &[]).await;
    assert_eq!(resp.status, StatusCode::NO_CONTENT);
    let resp = call(&app, "GET", &path, Some(&token), None, &[]).await;
    assert_error(&resp, StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn another_learners_log_is_not_found_through_the_api() {
    let app = TestApp::new().await;
    let ada = learner_following(&app, "ada").await;
    let (_, bob) = writer(&app, "bob").await;
    let log = add_log(&app, ada.id, 30, today()).await;
    let path = format!("/api/v1/logs/{}", log.id);
    for (method, body) in [
        ("GET", None),
        ("PATCH", Some(r#"{"minutes": 5}"#)),
        ("DELETE", None),
    ] {
        let resp = call(&app, method, &path, Some(&bob), body, &[]).await;
        assert_error(&resp, StatusCode::NOT_FOUND, "not_found");
    }
    let resp = call(&app, "GET", "/api/v1/logs/abc", Some(&bob), None, &[]).await;
    assert_error(&resp, StatusCode::NOT_FOUND, "not_found");
    let logs = logs_of(&app, ada.id).await;
    assert_eq!((logs.len(), logs[0].minutes.get()), (1, 30));
}

#[tokio::test]
async fn a_private_curriculum_of_someone_else_is_not_found_by_guessing_its_id() {
    let app = TestApp::new().await;
    let ada = learner_following(&app, "ada").await;
    let (bob, bob_token) = writer(&app, "bob").await;
    let unlisted = add_curriculum(&app, ada.id, MATHS, Visibility::Unlisted).await;

    let path = format!("/api/v1/curricula/{}", ada.curriculum.0);
    let resp = call(&app, "GET", &path, Some(&bob_token), None, &[]).await;
    assert_error(&resp, StatusCode::NOT_FOUND, "not_found");
    let missing = call(
        &app,
        "GET",
        "/api/v1/curricula/12345",
        Some(&bob_token),
        None,
        &[],
    )
    .await;
    assert_eq!(
        missing.body, resp.body,
        "a private curriculum looks like a missing one"
    );

    let resp = call(
        &app,
        "GET",
        &format!("/api/v1/curricula/{}", unlisted.0),
        Some(&bob_token),
        None,
        &[],
    )
    .await;
    assert_eq!(resp.status, StatusCode::OK);
    assert_eq!(resp.json()["owner"], "ada");
    assert_eq!(resp.json()["phases"][0]["items"][0]["id"], "linear-algebra");

    let own = format!("/api/v1/curricula/{}", bob.curriculum.0);
    let resp = call(&app, "GET", &own, Some(&bob_token), None, &[]).await;
    assert_eq!(resp.json()["phases"][0]["items"][0]["hours"], 20.0);

    // The list holds only Bob's own.
    let resp = call(
        &app,
        "GET",
        "/api/v1/curricula",
        Some(&bob_token),
        None,
        &[],
    )
    .await;
    let ids: Vec<i64> = resp.json()["curricula"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().parse::<i64>().unwrap())
        .collect();
    assert_eq!(ids, [bob.curriculum.0]);
    let resp = call(&app, "GET", "/api/v1/follows", Some(&bob_token), None, &[]).await;
    assert_eq!(resp.json()["follows"][0]["id"], bob.follow.0.to_string());
    assert_eq!(
        resp.json()["follows"][0]["curriculum_title"],
        "Deep learning"
    );
}

#[tokio::test]
async fn the_api_takes_no_cookies_and_needs_no_csrf_token() {
    let app = TestApp::new().await;
    let (ada, token) = writer(&app, "ada").await;
    let resp = call(
        &app,
        "POST",
        "/api/v1/logs",
        Some(&token),
        Some(r#"{"minutes": 15}"#),
        &[
            ("origin", "https://elsewhere.example"),
            ("sec-fetch-site", "cross-site"),
        ],
    )
    .await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.body);
    assert_eq!(logs_of(&app, ada.id).await.len(), 1);
}

#[tokio::test]
async fn unknown_api_paths_and_methods_answer_in_the_error_shape() {
    let app = TestApp::new().await;
    let (_, token) = writer(&app, "ada").await;
    let resp = call(&app, "GET", "/api/v1/nothing-here", Some(&token), None, &[]).await;
    assert_error(&resp, StatusCode::NOT_FOUND, "not_found");
    let resp = call(&app, "PUT", "/api/v1/me", Some(&token), None, &[]).await;
    assert_error(&resp, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
}

/// Fills a documented path's `{id}` with an object the caller owns.
fn concrete(path: &str, curriculum: i64, log: i64) -> String {
    path.replace(
        "{id}",
        &if path.starts_with("/api/v1/curricula") {
            curriculum.to_string()
        } else {
            log.to_string()
        },
    )
}

#[tokio::test]
async fn the_openapi_document_lists_exactly_the_routes_the_api_serves() {
    let app = TestApp::new().await;
    let (ada, token) = writer(&app, "ada").await;
    let log = add_log(&app, ada.id, 30, today()).await;
    let resp = call(&app, "GET", "/api/openapi.json", None, None, &[]).await;
    assert_eq!(resp.status, StatusCode::OK);
    let doc = resp.json();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc["components"]["securitySchemes"]["token"]["scheme"],
        "bearer"
    );
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert_eq!(doc["security"][0]["token"], json!([]));
    let paths = doc["paths"].as_object().unwrap();
    let mut documented = Vec::new();
    for (path, item) in paths {
        assert!(path.starts_with("/api/v1/"), "{path}");
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                documented.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    documented.sort();
    assert_eq!(
        documented,
        [
            ("DELETE", "/api/v1/curricula/{id}"),
            ("DELETE", "/api/v1/follows/{id}"),
            (
                "DELETE",
                "/api/v1/follows/{id}/items/{item}/evidence/{evidence_id}"
            ),
            ("DELETE", "/api/v1/follows/{id}/items/{item}/rating"),
            ("DELETE", "/api/v1/follows/{id}/items/{item}/review"),
            ("DELETE", "/api/v1/journal/{id}"),
            ("DELETE", "/api/v1/logs/{id}"),
            ("DELETE", "/api/v1/timer"),
            ("GET", "/api/v1/commitments"),
            ("GET", "/api/v1/curricula"),
            ("GET", "/api/v1/curricula/{id}"),
            ("GET", "/api/v1/curricula/{id}/import-report"),
            ("GET", "/api/v1/curricula/{id}/items/{item}/crowd"),
            ("GET", "/api/v1/curricula/{id}/upstream"),
            ("GET", "/api/v1/explore"),
            ("GET", "/api/v1/follows"),
            ("GET", "/api/v1/follows/{id}/items"),
            ("GET", "/api/v1/follows/{id}/plan"),
            ("GET", "/api/v1/insight"),
            ("GET", "/api/v1/journal"),
            ("GET", "/api/v1/journal/{id}"),
            ("GET", "/api/v1/logs"),
            ("GET", "/api/v1/logs/{id}"),
            ("GET", "/api/v1/me"),
            ("GET", "/api/v1/profile"),
            ("GET", "/api/v1/profiles/{handle}"),
            ("GET", "/api/v1/reviews"),
            ("GET", "/api/v1/takeout"),
            ("GET", "/api/v1/timer"),
            ("GET", "/api/v1/week"),
            ("PATCH", "/api/v1/curricula/{id}"),
            ("PATCH", "/api/v1/follows/{id}"),
            ("PATCH", "/api/v1/follows/{id}/items/{item}"),
            ("PATCH", "/api/v1/logs/{id}"),
            ("POST", "/api/v1/commitments"),
            ("POST", "/api/v1/curricula"),
            ("POST", "/api/v1/curricula/{id}/fork"),
            ("POST", "/api/v1/curricula/{id}/upstream"),
            ("POST", "/api/v1/follows"),
            ("POST", "/api/v1/follows/{id}/items/{item}/evidence"),
            ("POST", "/api/v1/follows/{id}/items/{item}/review"),
            ("POST", "/api/v1/follows/{id}/items/{item}/review/grades"),
            ("POST", "/api/v1/journal"),
            ("POST", "/api/v1/logs"),
            ("POST", "/api/v1/timer"),
            ("POST", "/api/v1/timer/stop"),
            ("PUT", "/api/v1/follows/{id}/items/{item}/rating"),
            ("PUT", "/api/v1/journal/{id}"),
            ("PUT", "/api/v1/profile"),
        ]
        .map(|(m, p)| (m.to_owned(), p.to_owned()))
    );

    // Every documented operation is served: a real handler answers, never the router's
    // "no such endpoint" or "method not allowed". Deleting goes last.
    let mut order = documented.clone();
    order.sort_by_key(|(m, _)| m == "DELETE");
    for (method, path) in &order {
        let uri = concrete(path, ada.curriculum.0, log.id.0);
        let body = matches!(method.as_str(), "POST" | "PATCH").then_some(r#"{"minutes": 10}"#);
        let resp = call(&app, method, &uri, Some(&token), body, &[]).await;
        let routed = resp.status != StatusCode::METHOD_NOT_ALLOWED
            && !resp.body.contains("there is no such endpoint")
            && !resp.status.is_server_error();
        assert!(routed, "{method} {uri}: {} {}", resp.status, resp.body);
    }
    // And every method not documented for a path is refused by the router.
    for path in paths.keys() {
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            if documented.contains(&(method.to_owned(), path.clone())) {
                continue;
            }
            let uri = concrete(path, ada.curriculum.0, log.id.0);
            let resp = call(&app, method, &uri, Some(&token), None, &[]).await;
            assert_error(&resp, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
        }
    }
}

#[tokio::test]
async fn the_timer_starts_stops_and_logs_through_the_api() {
    let app = TestApp::new().await;
    let (ada, token) = writer(&app, "ada").await;
    let off = call(&app, "GET", "/api/v1/timer", Some(&token), None, &[]).await;
    assert_eq!(off.status, StatusCode::OK);
    assert_eq!(off.json()["running"], false);
    let body = format!(
        r#"{{"follow": "{}", "item": "fast-ai-part-1"}}"#,
        ada.follow.0
    );
    let started = call(
        &app,
        "POST",
        "/api/v1/timer",
        Some(&token),
        Some(&body),
        &[],
    )
    .await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    assert_eq!(started.json()["label"], "Practical Deep Learning");
    let twice = call(&app, "POST", "/api/v1/timer", Some(&token), Some("{}"), &[]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    app.execute(&format!(
        "UPDATE timers SET started_at = started_at - 1800 WHERE user_id = {}",
        ada.id.0
    ))
    .await;
    let stopped = call(
        &app,
        "POST",
        "/api/v1/timer/stop",
        Some(&token),
        Some(r#"{"done": true}"#),
        &[],
    )
    .await;
    assert_eq!(stopped.status, StatusCode::CREATED, "{}", stopped.body);
    let log = &stopped.json()["log"];
    assert_eq!(
        (log["minutes"].as_u64(), log["item"].as_str()),
        (Some(30), Some("fast-ai-part-1"))
    );
    let states = autodidact_core::store::FollowStore::item_states(&app.db, ada.follow)
        .await
        .unwrap();
    assert_eq!(states[0].status, autodidact_core::store::ItemStatus::Done);
    let none = call(&app, "DELETE", "/api/v1/timer", Some(&token), None, &[]).await;
    assert_eq!(none.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_import_report_of_a_curriculum_is_read_by_its_owner_only() {
    use autodidact_core::curriculum::ItemId;
    use autodidact_core::store::{
        CurriculumStore, ImportReport, ItemStatus, Lineage, NewCurriculum,
    };
    let app = TestApp::new().await;
    let (ada, ada_token) = writer(&app, "ada").await;
    let (_, bob_token) = writer(&app, "bob").await;
    let imported = app
        .db
        .create_imported_curriculum(
            NewCurriculum {
                owner: ada.id,
                title: "Maths".to_owned(),
                visibility: Visibility::Public,
                source: MATHS.to_owned(),
                lineage: Lineage::Original,
                now: Timestamp::now(),
            },
            &ImportReport {
                format: "trello".to_owned(),
                notes: vec!["1 estimate was missing: guessed 2 h".to_owned()],
                progress: vec![(ItemId::parse("linear-algebra").unwrap(), ItemStatus::Done)],
                created_at: Timestamp::from_second(1_767_225_600).unwrap(),
            },
        )
        .await
        .unwrap();
    let path = format!("/api/v1/curricula/{}/import-report", imported.id.0);
    let resp = call(&app, "GET", &path, Some(&ada_token), None, &[]).await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    assert_eq!(
        resp.json(),
        json!({
            "format": "trello",
            "notes": ["1 estimate was missing: guessed 2 h"],
            "progress": [{ "item": "linear-algebra", "status": "done" }],
            "created_at": "2026-01-01T00:00:00Z",
        })
    );
    // Public, but the report is its owner's.
    let other = call(&app, "GET", &path, Some(&bob_token), None, &[]).await;
    assert_error(&other, StatusCode::NOT_FOUND, "not_found");
    // A curriculum not imported from a file has none.
    let typed = format!("/api/v1/curricula/{}/import-report", ada.curriculum.0);
    let none = call(&app, "GET", &typed, Some(&ada_token), None, &[]).await;
    assert_error(&none, StatusCode::NOT_FOUND, "not_found");
}

/// The OpenAPI document names each schema by its type's name, and a second type of the same
/// name silently replaces the first: every type the document describes has a name of its own.
#[test]
fn every_schema_type_has_a_name_of_its_own() {
    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    rust_files(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut seen: std::collections::BTreeMap<String, std::path::PathBuf> = Default::default();
    let mut twice = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut schema = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with("#[derive(") && line.contains("ToSchema") {
                schema = true;
                continue;
            }
            if !schema || line.starts_with("#[") || line.starts_with("///") {
                continue;
            }
            schema = false;
            let name = line
                .trim_start_matches("pub ")
                .trim_start_matches("(crate) ")
                .trim_start_matches("struct ")
                .trim_start_matches("enum ")
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .next()
                .unwrap_or_default()
                .to_owned();
            if let Some(first) = seen.insert(name.clone(), file.clone()) {
                twice.push(format!(
                    "{name}: {} and {}",
                    first.display(),
                    file.display()
                ));
            }
        }
    }
    assert!(seen.len() > 20, "the scan found the schema types: {seen:?}");
    assert!(twice.is_empty(), "{}", twice.join("\n"));
}
