//! The abuse paths, tried as an attacker would: parallel guesses, locking the owner out,
//! one account under two names, a spoofed forwarding header, a stolen session guessing the
//! current password, and floods of sign-ups.

use std::net::{IpAddr, SocketAddr};

use axum::http::StatusCode;

use crate::support::{Client, TestApp};

const PASSWORD: &str = "correct horse battery staple";

async fn sign_in(client: &mut Client, login: &str, password: &str) -> StatusCode {
    client
        .submit(
            "/signin",
            "/signin",
            &[("login", login), ("password", password)],
        )
        .await
        .status
}

/// Sends `count` sign-ins at once from one client's address: the statuses.
async fn parallel_sign_ins(client: &Client, attempts: Vec<(String, String)>) -> Vec<StatusCode> {
    let mut tasks = Vec::new();
    for (login, password) in attempts {
        let mut client = client.clone();
        tasks.push(tokio::spawn(async move {
            client
                .post("/signin", &[("login", &login), ("password", &password)])
                .await
                .status
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses
}

fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

#[tokio::test]
async fn sixty_parallel_wrong_passwords_get_five_checks() {
    let app = TestApp::new().await;
    app.learner("ada").await;
    let mut attacker = app.client();
    attacker.get("/signin").await;
    let guesses = (0..60)
        .map(|n| ("ada".to_owned(), format!("guess number {n}")))
        .collect();
    let statuses = parallel_sign_ins(&attacker, guesses).await;
    assert_eq!(
        count(&statuses, StatusCode::UNAUTHORIZED),
        5,
        "{statuses:?}"
    );
    assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 55);
}

#[tokio::test]
async fn the_right_password_hidden_in_a_parallel_batch_of_guesses_gets_in_only_among_the_first_five()
 {
    let app = TestApp::new().await;
    app.learner("ada").await;
    let mut attacker = app.client();
    attacker.get("/signin").await;
    let mut attempts: Vec<(String, String)> = (0..39)
        .map(|n| ("ada".to_owned(), format!("guess number {n}")))
        .collect();
    attempts.push(("ada".to_owned(), PASSWORD.to_owned()));
    let statuses = parallel_sign_ins(&attacker, attempts).await;
    let checked =
        count(&statuses, StatusCode::UNAUTHORIZED) + count(&statuses, StatusCode::SEE_OTHER);
    // Every attempt reserves its place before its password is checked: at most five are
    // checked (a right one frees its place, so one more may follow it).
    assert!(checked <= 6, "{statuses:?}");
    assert!(
        count(&statuses, StatusCode::TOO_MANY_REQUESTS) >= 34,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn an_attacker_elsewhere_cannot_lock_the_owner_out() {
    let app = TestApp::new().await;
    app.learner("ada").await;
    let mut attacker = app.client();
    for _ in 0..5 {
        assert_eq!(
            sign_in(&mut attacker, "ada", "guess guess").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        sign_in(&mut attacker, "ada", "guess again").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Even the right password is refused from the attacker's address…
    assert_eq!(
        sign_in(&mut attacker, "ada", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // …while the owner, at home, signs in.
    let mut owner = app.client();
    assert_eq!(
        sign_in(&mut owner, "ada", PASSWORD).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn many_addresses_guessing_one_account_meet_the_slower_cap_per_account() {
    let app = TestApp::new().await;
    app.learner("ada").await;
    app.execute("UPDATE throttle_rules SET max_events = 12 WHERE name = 'sign_in_account'")
        .await;
    // Three addresses, four guesses each: twelve, all checked.
    for _ in 0..3 {
        let mut attacker = app.client();
        for _ in 0..4 {
            assert_eq!(
                sign_in(&mut attacker, "ada", "guess guess").await,
                StatusCode::UNAUTHORIZED
            );
        }
    }
    let mut another = app.client();
    assert_eq!(
        sign_in(&mut another, "ada", "guess guess").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn the_handle_and_the_email_of_one_account_count_as_one() {
    let app = TestApp::new().await;
    app.learner("ada").await;
    let mut attacker = app.client();
    for login in ["ada", "ada@example.org", "@ADA", " Ada@Example.org ", "ada"] {
        assert_eq!(
            sign_in(&mut attacker, login, "guess guess").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        sign_in(&mut attacker, "ada@example.org", "guess again").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn an_unknown_login_is_throttled_the_same_way() {
    let app = TestApp::new().await;
    let mut prober = app.client();
    for _ in 0..5 {
        assert_eq!(
            sign_in(&mut prober, "nobody", "guess guess").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        sign_in(&mut prober, "nobody", "guess guess").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn one_address_trying_many_accounts_meets_the_cap_per_address() {
    let app = TestApp::new().await;
    app.execute("UPDATE throttle_rules SET max_events = 8 WHERE name = 'sign_in_address'")
        .await;
    let mut sprayer = app.client();
    for n in 0..8 {
        let login = format!("learner{n}");
        assert_eq!(
            sign_in(&mut sprayer, &login, "Summer2026!").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        sign_in(&mut sprayer, "learner9", "Summer2026!").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn a_forwarded_address_counts_only_from_a_trusted_proxy() {
    let proxy: IpAddr = "10.200.0.1".parse().unwrap();
    let app = TestApp::with_config(|c| c.trusted_proxies = vec![proxy]).await;
    app.learner("ada").await;
    let forwarded = |client: &mut Client, from: &str| {
        let mut request = client.request("POST", "/signin");
        request = request.header("x-forwarded-for", from);
        request
    };
    // Through the proxy, each forwarded client is counted apart: one's failures do not
    // refuse another.
    let mut via_proxy = app.client();
    via_proxy.address = SocketAddr::new(proxy, 443);
    via_proxy.get("/signin").await;
    let csrf = via_proxy.csrf.clone().unwrap();
    let body = |password: &str| {
        format!(
            "csrf={csrf}&login=ada&password={}",
            password.replace(' ', "+")
        )
    };
    for _ in 0..6 {
        let request = forwarded(&mut via_proxy, "203.0.113.7")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(body("guess guess")))
            .unwrap();
        via_proxy.send(request).await;
    }
    let request = forwarded(&mut via_proxy, "198.51.100.20, 203.0.113.99")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(body(PASSWORD)))
        .unwrap();
    assert_eq!(via_proxy.send(request).await.status, StatusCode::SEE_OTHER);

    // From any other peer the header is not believed: a spoofed header escapes nothing.
    let mut spoofer = app.client();
    spoofer.get("/signin").await;
    let csrf = spoofer.csrf.clone().unwrap();
    for n in 0..6 {
        let request = forwarded(&mut spoofer, &format!("192.0.2.{n}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(format!(
                "csrf={csrf}&login=ada&password=guess+{n}"
            )))
            .unwrap();
        let status = spoofer.send(request).await.status;
        let expected = if n < 5 {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(status, expected, "attempt {n}");
    }
}

#[tokio::test]
async fn a_stolen_session_cannot_guess_the_current_password() {
    let app = TestApp::new().await;
    let mut thief = app.learner("ada").await;
    for n in 0..5 {
        let resp = thief
            .submit(
                "/settings",
                "/settings/password",
                &[
                    ("current", &format!("guess {n}")),
                    ("new", "a brand new passphrase"),
                ],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    for (page, action, fields) in [
        (
            "/settings",
            "/settings/password",
            vec![("current", PASSWORD), ("new", "a brand new passphrase")],
        ),
        (
            "/settings/account",
            "/settings/email",
            vec![("email", "thief@example.org"), ("password", PASSWORD)],
        ),
    ] {
        let resp = thief.submit(page, action, &fields).await;
        assert_eq!(resp.status, StatusCode::TOO_MANY_REQUESTS, "{action}");
        assert!(resp.headers.contains_key("retry-after"));
    }
    // Nothing changed: the password is still the old one.
    let mut owner = app.client();
    assert_eq!(
        sign_in(&mut owner, "ada", PASSWORD).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_right_current_password_is_not_counted() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    for n in 0..8 {
        let (current, new) = if n % 2 == 0 {
            (PASSWORD, "a brand new passphrase")
        } else {
            ("a brand new passphrase", PASSWORD)
        };
        let resp = ada
            .submit(
                "/settings",
                "/settings/password",
                &[("current", current), ("new", new)],
            )
            .await;
        assert_eq!(
            resp.status,
            StatusCode::SEE_OTHER,
            "change {n}: {}",
            resp.body
        );
    }
}

#[tokio::test]
async fn sign_ups_are_throttled_per_address() {
    let app = TestApp::new().await;
    app.execute("UPDATE throttle_rules SET max_events = 3 WHERE name = 'sign_up_address'")
        .await;
    let mut bot = app.client();
    for n in 0..3 {
        let resp = bot.sign_up(&format!("bot{n}")).await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
        bot.cookies.clear();
    }
    let resp = bot.sign_up("bot3").await;
    assert_eq!(resp.status, StatusCode::TOO_MANY_REQUESTS);
    // Someone else signs up.
    assert_eq!(
        app.client().sign_up("grace").await.status,
        StatusCode::SEE_OTHER
    );
}

// ---------------------------------------------------------------------------------------------
// Input

#[tokio::test]
async fn a_nul_character_is_refused_in_a_form_a_query_and_json_and_nothing_is_stored() {
    use autodidact_core::store::TokenScope;
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let user = app.user("ada").await;
    ada.get("/logs/new").await;
    let resp = ada
        .post("/logs", &[("duration", "30"), ("note", "before\0after")])
        .await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST, "{}", resp.body);
    assert!(resp.body.contains("NUL"), "{}", resp.body);
    assert_eq!(
        ada.get("/curricula?q=a%00b").await.status,
        StatusCode::BAD_REQUEST
    );
    let token = crate::api::token(&app, user.id, TokenScope::ReadWrite).await;
    let resp = crate::api::call(
        &app,
        "POST",
        "/api/v1/logs",
        Some(&token),
        Some(r#"{"minutes": 30, "note": "before\u0000after"}"#),
        &[],
    )
    .await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST, "{}", resp.body);
    assert!(
        resp.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("NUL")
    );
    assert!(crate::logs::logs_of(&app, user.id).await.is_empty());
    // An escaped backslash before `u0000` is text, not a NUL.
    let resp = crate::api::call(
        &app,
        "POST",
        "/api/v1/logs",
        Some(&token),
        Some(r#"{"minutes": 30, "note": "C:\\u0000 is a path"}"#),
        &[],
    )
    .await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.body);
}

#[tokio::test]
async fn a_control_character_in_a_place_to_go_back_to_gets_400_before_anything_is_done() {
    let app = TestApp::new().await;
    app.learner("ada").await;
    let mut visitor = app.client();
    assert_eq!(
        visitor.get("/signin?next=/%09/evil.example").await.status,
        StatusCode::BAD_REQUEST
    );
    visitor.get("/signin").await;
    let resp = visitor
        .post(
            "/signin",
            &[
                ("login", "ada"),
                ("password", PASSWORD),
                ("next", "/plan\n"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST);
    // Not signed in: the action was never taken.
    assert!(!visitor.cookies.contains_key("autodidact_session"));
}

#[tokio::test]
async fn log_dates_stay_between_1900_and_2200_and_a_day_holds_at_most_24_hours() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let user = app.user("ada").await;
    ada.get("/logs/new").await;
    let resp = ada
        .post("/logs", &[("duration", "30"), ("date", "0001-01-01")])
        .await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.body.contains("1900"), "{}", resp.body);
    let day = crate::logs::today().to_string();
    let first = ada
        .post("/logs", &[("duration", "20h"), ("date", &day)])
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let second = ada
        .post("/logs", &[("duration", "5h"), ("date", &day)])
        .await;
    assert_eq!(second.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(second.body.contains("24 h"), "{}", second.body);
    let third = ada
        .post("/logs", &[("duration", "4h"), ("date", &day)])
        .await;
    assert_eq!(third.status, StatusCode::SEE_OTHER);
    let logs = crate::logs::logs_of(&app, user.id).await;
    assert_eq!(logs.iter().map(|l| l.minutes.get()).sum::<u32>(), 24 * 60);
}

#[tokio::test]
async fn parallel_logs_never_fill_a_day_past_24_hours() {
    use autodidact_core::store::TokenScope;
    let app = TestApp::new().await;
    app.learner("ada").await;
    let user = app.user("ada").await;
    let token = crate::api::token(&app, user.id, TokenScope::ReadWrite).await;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (router_app, token) = (app.client(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut client = router_app;
            client.cookies.clear();
            let request = axum::http::Request::post("/api/v1/logs")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(r#"{"minutes": 420}"#))
                .unwrap();
            let resp = client.send(request).await;
            (resp.status, resp.body)
        }));
    }
    let mut created = 0;
    for task in tasks {
        let (status, body) = task.await.unwrap();
        assert!(
            status == StatusCode::CREATED
                || (status == StatusCode::BAD_REQUEST && body.contains("24 h")),
            "{status}: {body}"
        );
        created += usize::from(status == StatusCode::CREATED);
    }
    assert_eq!(created, 3);
    let logs = crate::logs::logs_of(&app, user.id).await;
    assert_eq!(logs.iter().map(|l| l.minutes.get()).sum::<u32>(), 3 * 420);
}

#[tokio::test]
async fn a_start_or_a_break_outside_1900_to_2200_is_refused() {
    use autodidact_core::plan::Break;
    let e = "2026-12-21..2301-01-03"
        .parse::<Break>()
        .unwrap_err()
        .to_string();
    assert!(e.contains("1900") && e.contains("2301"), "{e}");
    let app = TestApp::new().await;
    let ada = crate::logs::learner_following(&app, "ada").await;
    let token =
        crate::api::token(&app, ada.id, autodidact_core::store::TokenScope::ReadWrite).await;
    let path = format!("/api/v1/follows/{}", ada.follow.0);
    let resp = crate::api::call(
        &app,
        "PATCH",
        &path,
        Some(&token),
        Some(r#"{"start": "0001-01-01"}"#),
        &[],
    )
    .await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST, "{}", resp.body);
    assert!(
        resp.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("1900")
    );
}

// ---------------------------------------------------------------------------------------------
// Headers

#[tokio::test]
async fn signed_in_pages_and_the_api_are_never_stored_and_every_answer_carries_the_policies() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let anonymous = app.client().get("/").await;
    assert_ne!(
        anonymous
            .headers
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
    for resp in [anonymous, ada.get("/").await, ada.get("/settings").await] {
        assert_eq!(resp.headers["cross-origin-opener-policy"], "same-origin");
        assert!(
            resp.headers["permissions-policy"]
                .to_str()
                .unwrap()
                .contains("camera=()")
        );
        // Served over http here: no HSTS.
        assert!(!resp.headers.contains_key("strict-transport-security"));
    }
    for path in ["/", "/settings", "/logs"] {
        let resp = ada.get(path).await;
        assert_eq!(resp.headers["cache-control"], "no-store", "{path}");
    }
    let api = crate::api::call(&app, "GET", "/api/v1/me", None, None, &[]).await;
    assert_eq!(api.headers["cache-control"], "no-store");
    // Static files keep their own caching.
    let css = ada.get("/static/app.css").await;
    assert_ne!(css.headers["cache-control"], "no-store");
}

#[tokio::test]
async fn hsts_is_sent_when_the_app_is_served_over_https() {
    let app = TestApp::with_config(|c| c.base_url = "https://learn.example.org".to_owned()).await;
    let resp = app.client().get("/signin").await;
    assert_eq!(
        resp.headers["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}

// ---------------------------------------------------------------------------------------------
// Credentials

#[tokio::test]
async fn a_password_change_may_also_revoke_every_api_token_and_calendar_feed() {
    use autodidact_core::store::TokenScope;
    let app = TestApp::new().await;
    let (mut ada, follow) = crate::follows::ada_following(&app).await;
    let user = app.user("ada").await;
    ada.get(&format!("/follows/{follow}")).await;
    let feed = ada
        .post(&format!("/follows/{follow}/calendar"), &[])
        .await
        .feed_path();
    let token = crate::api::token(&app, user.id, TokenScope::Read).await;
    let me = |app: &TestApp, token: String| {
        let app_client = app.client();
        async move {
            let mut client = app_client;
            let request = client
                .request("GET", "/api/v1/me")
                .header("authorization", format!("Bearer {token}"))
                .body(axum::body::Body::empty())
                .unwrap();
            client.send(request).await.status
        }
    };
    // A plain change keeps them.
    let changed = ada
        .submit(
            "/settings",
            "/settings/password",
            &[("current", PASSWORD), ("new", "a brand new passphrase")],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(me(&app, token.clone()).await, StatusCode::OK);
    assert_eq!(app.client().get(&feed).await.status, StatusCode::OK);
    // With the box ticked, they stop working; the session that changed it stays.
    let changed = ada
        .submit(
            "/settings",
            "/settings/password",
            &[
                ("current", "a brand new passphrase"),
                ("new", PASSWORD),
                ("revoke_keys", "1"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(me(&app, token).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.client().get(&feed).await.status, StatusCode::NOT_FOUND);
    assert_eq!(ada.get("/settings").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_session_ends_90_days_after_sign_in_however_often_it_is_used() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    assert_eq!(ada.get("/settings").await.status, StatusCode::OK);
    // Used every day, so never idle, but begun 89 days ago: still good.
    let day = 24 * 3600;
    let now = jiff::Timestamp::now().as_second();
    app.execute(&format!(
        "UPDATE sessions SET created_at = {}, last_seen_at = {now}, expires_at = {}",
        now - 89 * day,
        now + 30 * day
    ))
    .await;
    assert_eq!(ada.get("/settings").await.status, StatusCode::OK);
    // Begun 91 days ago: over.
    app.execute(&format!(
        "UPDATE sessions SET created_at = {}, last_seen_at = {now}, expires_at = {}",
        now - 91 * day,
        now + 30 * day
    ))
    .await;
    let resp = ada.get("/settings").await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    assert_eq!(resp.location(), Some("/signin?next=/settings"));
}

// ---------------------------------------------------------------------------------------------
// Sign-up on a server that sends email

#[tokio::test]
async fn sign_up_answers_the_same_whether_or_not_the_email_is_taken_and_tells_the_owner() {
    use crate::support::{message_to, rand_suffix, smtp_sink};
    let Some((address, maildir)) = smtp_sink() else {
        return;
    };
    let app = TestApp::with_config(|c| c.smtp_url = Some(format!("smtp://{address}"))).await;
    let owner = format!("own{}", rand_suffix());
    // The harness follows the emailed link: the owner's account exists.
    let mut owner_client = app.learner(&owner).await;
    assert_eq!(owner_client.get("/settings").await.status, StatusCode::OK);
    let taken = format!("{owner}@example.org");
    let newcomer = format!("new{}", rand_suffix());
    let fresh = format!("{newcomer}@example.org");

    let mut visitor = app.client();
    let mut sign_up = async |handle: &str, email: &str| {
        visitor
            .submit(
                "/signup",
                "/signup",
                &[
                    ("handle", handle),
                    ("display_name", "Someone"),
                    ("email", email),
                    ("password", PASSWORD),
                ],
            )
            .await
    };
    let with_taken = sign_up(&format!("x{}", rand_suffix()), &taken).await;
    let with_fresh = sign_up(&newcomer, &fresh).await;
    assert_eq!(with_taken.status, StatusCode::OK);
    assert_eq!(with_fresh.status, StatusCode::OK);
    assert_eq!(
        with_taken.text("main").replace(&taken, "EMAIL"),
        with_fresh.text("main").replace(&fresh, "EMAIL"),
        "the answer reveals nothing"
    );
    assert!(with_fresh.text("main").contains("Check your email"));
    assert!(!visitor.cookies.contains_key("autodidact_session"));

    // The owner is told by email; the newcomer gets the link, which makes the account once.
    let told = message_to(&maildir, &taken, "Someone tried to sign up").await;
    assert!(told.contains("already has an account"), "{told}");
    let message = message_to(&maildir, &fresh, "/signup/confirm/").await;
    let start = message.find("/signup/confirm/").unwrap();
    let path = message[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let page = visitor.get(&path).await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "opening the link makes nothing"
    );
    {
        use autodidact_core::store::AccountStore;
        let handle = autodidact_core::accounts::Handle::parse(&newcomer).unwrap();
        assert!(app.db.user_by_handle(&handle).await.unwrap().is_none());
    }
    let made = visitor.post(&path, &[]).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    assert_eq!(visitor.get("/settings").await.status, StatusCode::OK);
    assert_eq!(app.user(&newcomer).await.email.as_str(), fresh);
    let mut late = app.client();
    late.get(&path).await;
    let again = late.post(&path, &[]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("has been used"), "{}", again.body);
    // A handle is public: a taken one is said at once.
    let mut other = app.client();
    let resp = other
        .submit(
            "/signup",
            "/signup",
            &[
                ("handle", owner.as_str()),
                ("display_name", "Someone"),
                ("email", &format!("z{}@example.org", rand_suffix())),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text("#handle-error").contains("taken"));
}
