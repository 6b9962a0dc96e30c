//! Your data and your account in the browser: the takeout download and its import, a new
//! email, deleting the account, and a forgotten password's link by email through a real SMTP
//! server (a local sink that `.ci/run` starts).

use autodidact_core::store::{
    AccountDataStore, AccountStore, CurriculumStore, FollowStore, TokenScope, TokenStore,
    Visibility,
};
use axum::http::StatusCode;

use crate::logs::{DEEP_LEARNING, add_curriculum, learner_following, user_id};
use crate::support::{Client, TestApp};
use crate::support::{message_to, rand_suffix, smtp_sink};

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test]
async fn the_takeout_downloads_everything_and_imports_into_an_empty_account() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let choice = format!("{}:fast-ai-part-1", ada.follow.0);
    ada.client
        .submit(
            "/logs/new",
            "/logs",
            &[("duration", "45m"), ("item", &choice), ("note", "lesson 1")],
        )
        .await;
    let resp = ada.client.get("/settings/takeout").await;
    assert_eq!(resp.status, StatusCode::OK);
    assert_eq!(resp.headers["content-type"], "application/json");
    assert_eq!(resp.headers["cache-control"], "no-store");
    assert!(
        resp.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"autodidact-takeout-ada-"),
    );
    let doc = resp.json();
    assert_eq!(
        (doc["format"].as_str(), doc["version"].as_u64()),
        (Some("autodidact-takeout"), Some(1))
    );
    assert_eq!(doc["curricula"][0]["title"], "Deep learning");
    assert_eq!(doc["logs"][0]["note"], "lesson 1");
    assert_eq!(doc["logs"][0]["follow"], doc["follows"][0]["id"]);

    // Into a new account: everything comes in.
    let mut grace = app.learner("grace").await;
    let page = grace.get("/settings/account").await;
    assert!(page.body.contains("Bring your data in"));
    let imported = grace
        .upload("/settings/takeout", "ada.json", resp.body.as_bytes())
        .await;
    assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", imported.body);
    let grace_id = user_id(&app, "grace").await;
    let again = grace.get("/settings/takeout").await.json();
    assert_eq!(again["logs"][0]["note"], "lesson 1");
    assert_eq!(
        again["curricula"][0]["source"],
        doc["curricula"][0]["source"]
    );
    assert_eq!(app.db.follows_of(grace_id).await.unwrap().len(), 1);

    // Not twice: the account now holds something.
    grace.get("/settings/account").await;
    let twice = grace
        .upload("/settings/takeout", "ada.json", resp.body.as_bytes())
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        twice.text("#file-error").contains("empty account"),
        "{}",
        twice.text("#file-error")
    );
    assert_eq!(app.db.follows_of(grace_id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_running_timer_goes_with_the_takeout_and_a_timer_on_a_missing_follow_is_refused() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let target = format!("{}:linear-algebra", ada.follow.0);
    ada.client.get("/logs").await;
    let started = ada
        .client
        .post(
            "/timer/start",
            &[("item", target.as_str()), ("kind", "build")],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let resp = ada.client.get("/settings/takeout").await;
    let doc = resp.json();
    assert_eq!(doc["timer"]["follow"], doc["follows"][0]["id"]);
    assert_eq!(doc["timer"]["item"], "linear-algebra");
    assert_eq!(doc["timer"]["kind"], "build");

    // A timer naming a follow the file does not hold: refused, with where, and nothing written.
    let mut wrong = doc.clone();
    wrong["timer"]["follow"] = serde_json::json!("999");
    let mut bob = app.learner("bob").await;
    bob.get("/settings/account").await;
    let refused = bob
        .upload(
            "/settings/takeout",
            "wrong.json",
            wrong.to_string().as_bytes(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text("#file-error")
            .to_lowercase()
            .contains("timer.follow: no follow 999"),
        "{}",
        refused.text("#file-error")
    );
    let bob_id = user_id(&app, "bob").await;
    assert!(app.db.curricula_of(bob_id).await.unwrap().is_empty());

    // The whole file: the timer runs in the new account, on the new follow's item.
    let imported = bob
        .upload("/settings/takeout", "ada.json", resp.body.as_bytes())
        .await;
    assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", imported.body);
    let page = bob.get("/logs").await;
    assert!(
        page.text("#timer")
            .contains("Linear Algebra Done Right: running since"),
        "{}",
        page.text("#timer")
    );
    let again = bob.get("/settings/takeout").await.json();
    assert_eq!(again["timer"]["follow"], again["follows"][0]["id"]);
    assert_eq!(again["timer"]["started_at"], doc["timer"]["started_at"]);
}

#[tokio::test]
async fn a_cut_short_takeout_is_refused_and_writes_nothing() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let body = ada.client.get("/settings/takeout").await.body;
    let mut bob = app.learner("bob").await;
    bob.get("/settings/account").await;
    let cut = bob
        .upload(
            "/settings/takeout",
            "cut.json",
            &body.as_bytes()[..body.len() / 2],
        )
        .await;
    assert_eq!(cut.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        cut.text("#file-error").contains("ends early"),
        "{}",
        cut.text("#file-error")
    );
    let bob_id = user_id(&app, "bob").await;
    assert!(app.db.curricula_of(bob_id).await.unwrap().is_empty());
    assert!(app.db.follows_of(bob_id).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_email_changes_only_with_the_password_and_to_a_free_address() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    app.learner("bob").await;
    let form = "/settings/account";
    let wrong = ada
        .submit(
            form,
            "/settings/email",
            &[
                ("email", "ada@new.example.org"),
                ("password", "not it at all"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text("#password-error")
            .contains("This is not your current password")
    );
    let taken = ada
        .submit(
            form,
            "/settings/email",
            &[("email", "bob@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert!(
        taken
            .text("#email-error")
            .contains("Another account uses this email")
    );
    let bad = ada
        .submit(
            form,
            "/settings/email",
            &[("email", "nope"), ("password", PASSWORD)],
        )
        .await;
    assert!(
        bad.text("#email-error")
            .contains("Does not look like an email")
            || bad
                .text("#email-error")
                .contains("does not look like an email")
    );
    assert_eq!(app.user("ada").await.email.as_str(), "ada@example.org");
    let ok = ada
        .submit(
            form,
            "/settings/email",
            &[("email", "ada@new.example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(app.user("ada").await.email.as_str(), "ada@new.example.org");
    assert!(
        ada.get("/settings/account?saved=email")
            .await
            .text(".notice")
            .contains("ada@new.example.org")
    );
}

#[tokio::test]
async fn deleting_the_account_takes_everything_but_other_learners_copies() {
    let app = TestApp::new().await;
    let mut rosa = learner_following(&app, "rosa").await;
    let rosa_id = rosa.id;
    let shared = add_curriculum(&app, rosa_id, DEEP_LEARNING, Visibility::Public).await;
    // Kim follows Rosa's public curriculum: her own copy.
    let mut kim = app.learner("kim").await;
    let today = crate::logs::today().to_string();
    let form = format!("/curricula/{}/follow", shared.0);
    kim.submit(&form, &form, &[("hours_per_week", "10"), ("start", &today)])
        .await;
    let kim_id = user_id(&app, "kim").await;
    // A token and a calendar feed of Rosa's.
    app.db
        .create_token(
            rosa_id,
            "laptop",
            "rosas-token-hash",
            TokenScope::Read,
            jiff::Timestamp::now(),
        )
        .await
        .unwrap();
    rosa.client
        .get(&format!("/follows/{}", rosa.follow.0))
        .await;
    rosa.client
        .post(&format!("/follows/{}/calendar", rosa.follow.0), &[])
        .await;

    let page = rosa.client.get("/settings/delete").await;
    assert!(page.text("h1").contains("Delete your account?"));
    let unconfirmed = rosa
        .client
        .post(
            "/settings/delete",
            &[("confirm", "someone"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unconfirmed
            .text("#confirm-error")
            .contains("Type your handle, rosa, to confirm")
    );
    let wrong = rosa
        .client
        .post(
            "/settings/delete",
            &[("confirm", "rosa"), ("password", "wrong password")],
        )
        .await;
    assert!(
        wrong
            .text("#password-error")
            .contains("This is not your current password")
    );
    assert!(app.db.user(rosa_id).await.unwrap().is_some());

    let gone = rosa
        .client
        .post(
            "/settings/delete",
            &[("confirm", "@rosa"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert!(app.db.user(rosa_id).await.unwrap().is_none());
    assert!(app.db.account_snapshot(rosa_id).await.unwrap().is_none());
    assert!(app.db.curricula_of(rosa_id).await.unwrap().is_empty());
    assert!(app.db.tokens_of(rosa_id).await.unwrap().is_empty());
    // Her session is gone: she is signed out.
    let after = rosa.client.get("/settings").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.location().unwrap().starts_with("/signin"));
    // Kim's copy and plan stay.
    let follows = app.db.follows_of(kim_id).await.unwrap();
    assert_eq!(follows.len(), 1);
    assert!(
        app.db
            .curriculum(follows[0].curriculum)
            .await
            .unwrap()
            .is_some()
    );
}

// ---------------------------------------------------------------------------------------------
// A forgotten password

async fn ask_for_link(client: &mut Client, login: &str) -> crate::support::Resp {
    client
        .submit("/password/forgot", "/password/forgot", &[("login", login)])
        .await
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_an_emailed_one_time_link() {
    let Some((address, maildir)) = smtp_sink() else {
        return;
    };
    let app = TestApp::with_config(|c| c.smtp_url = Some(format!("smtp://{address}"))).await;
    let unique = format!("reset{}", rand_suffix());
    let mut learner = app.learner(&unique).await;
    learner.get("/settings/sessions").await;
    let email = format!("{unique}@example.org");

    let mut visitor = app.client();
    let known = ask_for_link(&mut visitor, &email).await;
    let unknown = ask_for_link(&mut visitor, "nobody-at-all@example.org").await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(
        known.text(".notice"),
        unknown.text(".notice"),
        "the answer reveals nothing"
    );
    assert_eq!(known.status, unknown.status);

    let message = message_to(&maildir, &email, "/password/reset/").await;
    assert!(
        message.contains("Subject: Set a new password for Autodidact"),
        "{message}"
    );
    let start = message
        .find("http://autodidact.test/password/reset/")
        .expect("a link");
    let link = message[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let path = link.trim_start_matches("http://autodidact.test").to_owned();

    let page = visitor.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("For @{unique}")));
    let short = visitor.post(&path, &[("new", "short")]).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let set = visitor
        .post(&path, &[("new", "a brand new passphrase")])
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    assert_eq!(set.location(), Some("/signin?reset=1"));

    // The old session is signed out; the new password works, the old one no longer does.
    assert_eq!(learner.get("/settings").await.status, StatusCode::SEE_OTHER);
    let mut fresh = app.client();
    fresh.get("/signin").await;
    let old = fresh
        .post("/signin", &[("login", &unique), ("password", PASSWORD)])
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = fresh
        .post(
            "/signin",
            &[("login", &unique), ("password", "a brand new passphrase")],
        )
        .await;
    assert_eq!(new.status, StatusCode::SEE_OTHER);
    // The link works once.
    assert_eq!(app.client().get(&path).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_expired_or_unknown_link_sets_nothing() {
    let app = TestApp::new().await;
    app.learner("ada").await;
    let ada = user_id(&app, "ada").await;
    let past = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(2);
    app.db
        .add_password_reset(
            ada,
            &autodidact_core::secrets::hash_token("old-link"),
            past,
            past + jiff::SignedDuration::from_hours(1),
        )
        .await
        .unwrap();
    let mut visitor = app.client();
    let page = visitor.get("/password/reset/old-link").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.text(".error").contains("has expired"));
    visitor.get("/password/forgot").await; // a token to post with
    let tried = visitor
        .post(
            "/password/reset/old-link",
            &[("new", "a brand new passphrase")],
        )
        .await;
    assert_eq!(tried.status, StatusCode::NOT_FOUND);
    assert_eq!(
        visitor.get("/password/reset/made-up").await.status,
        StatusCode::NOT_FOUND
    );
    let mut fresh = app.client();
    fresh.get("/signin").await;
    let still = fresh
        .post("/signin", &[("login", "ada"), ("password", PASSWORD)])
        .await;
    assert_eq!(still.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn asking_for_links_is_throttled_per_account_and_per_address() {
    let app = TestApp::new().await;
    app.learner("ada").await;
    let mut visitor = app.client();
    for _ in 0..3 {
        assert_eq!(
            ask_for_link(&mut visitor, "ada").await.status,
            StatusCode::OK
        );
    }
    let fourth = ask_for_link(&mut visitor, "ada").await;
    assert_eq!(fourth.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(fourth.headers.contains_key("retry-after"));
}
