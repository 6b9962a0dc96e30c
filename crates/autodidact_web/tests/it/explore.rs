//! `/explore`: public curricula for anyone, searched, filtered, sorted and paged; what is not
//! public never listed; a query that cannot be read shown back with what to fix; a fork from
//! the listing counted once it is followed; and the same listing in the API.

use autodidact_core::store::{CurriculumStore, FollowStore, ItemStatus, TokenScope, Visibility};
use autodidact_store::testing::{CurriculumBuilder, FollowBuilder};
use axum::http::StatusCode;
use jiff::Timestamp;

use crate::api::{call, token};
use crate::support::TestApp;

fn source(title: &str, skill: &str, kind: &str, hours: u32) -> String {
    format!(
        "title = \"{title}\"\nhours_per_week = 8\n[[phases]]\ntitle = \"One\"\nitems = [\n  \
         {{ id = \"first\", kind = \"{kind}\", title = \"First\", hours = {hours}, skills = [\"{skill}\"] }},\n  \
         {{ id = \"second\", kind = \"practice\", title = \"Second\", hours = 2 }},\n]\n"
    )
}

#[tokio::test]
async fn anyone_finds_public_curricula_and_nothing_narrower_is_ever_listed() {
    let app = TestApp::new().await;
    app.learner("ada").await;
    let ada = app.user("ada").await;
    for (visibility, title) in [
        (Visibility::Private, "Private transformers"),
        (Visibility::Followers, "Followers transformers"),
        (Visibility::Unlisted, "Unlisted transformers"),
        (Visibility::Public, "Public transformers"),
    ] {
        CurriculumBuilder::new(&ada, title)
            .source(&source(title, "Attention", "paper", 40))
            .visibility(visibility)
            .create(&app.db)
            .await;
    }
    let mut anonymous = app.client();
    for path in [
        "/explore",
        "/explore?q=transformers",
        "/explore?skill=attention",
        "/explore?kind=paper&sort=recent",
    ] {
        let page = anonymous.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(
            page.texts(".card.listed h3"),
            ["Public transformers"],
            "{path}: only the public one"
        );
    }
    let page = anonymous.get("/explore").await;
    let card = page.text(".card.listed");
    for expected in ["@ada", "2 items", "42 h", "8 h a week", "paper", "practice"] {
        assert!(card.contains(expected), "{expected} in {card}");
    }
    assert_eq!(
        page.attrs(".card.listed .skills a", "href"),
        ["/explore?skill=Attention"]
    );
    assert!(
        !page.texts("#templates h3").is_empty(),
        "the shipped curricula are beside the listing"
    );
    // The listed curriculum and a template preview open without an account.
    let url = page.attr(".card.listed h3 a", "href").unwrap();
    assert_eq!(anonymous.get(&url).await.status, StatusCode::OK);
    let preview = page.attrs("#templates h3 a", "href").remove(0);
    assert_eq!(anonymous.get(&preview).await.status, StatusCode::OK);

    for (path, why) in [
        ("/explore?q=rust", "no title, skill or author matches"),
        ("/explore?kind=book", "no book"),
        ("/explore?max_hours=41", "more hours than that"),
        ("/explore?min_hours=43", "fewer hours than that"),
        ("/explore?max_weekly=7", "more hours a week than that"),
        (
            "/explore?q=ada+transformers+private",
            "every word must match",
        ),
    ] {
        let page = anonymous.get(path).await;
        assert!(page.texts(".card.listed").is_empty(), "{path}: {why}");
        assert!(page.text("#none").contains("No public curriculum matches"));
    }
    assert_eq!(
        anonymous
            .get("/explore?q=ADA&min_hours=42&max_hours=42")
            .await
            .texts(".card.listed h3"),
        ["Public transformers"],
        "by author, whatever the case, and bounds included"
    );
}

#[tokio::test]
async fn a_query_that_cannot_be_read_is_shown_back_with_what_to_fix() {
    let app = TestApp::new().await;
    let mut anonymous = app.client();
    let page = anonymous
        .get("/explore?min_hours=ten&sort=stars&kind=podcast&q=kept")
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    let problems = page.texts("#query-problems li");
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("like 40")));
    assert!(
        problems
            .iter()
            .any(|p| p.contains("followers, finishers or recent"))
    );
    assert!(problems.iter().any(|p| p.contains("course, book")));
    assert_eq!(page.attr("#min_hours", "value").as_deref(), Some("ten"));
    assert_eq!(page.attr("#q", "value").as_deref(), Some("kept"));
}

#[tokio::test]
async fn a_fork_from_the_listing_counts_once_it_is_followed_and_finished() {
    let app = TestApp::new().await;
    app.learner("ada").await;
    let ada = app.user("ada").await;
    let popular = CurriculumBuilder::new(&ada, "Popular")
        .source(&source("Popular", "Python", "course", 10))
        .public()
        .at(Timestamp::from_second(1_790_000_000).unwrap())
        .create(&app.db)
        .await;
    CurriculumBuilder::new(&ada, "Quiet")
        .source(&source("Quiet", "Python", "course", 10))
        .public()
        .at(Timestamp::from_second(1_790_000_100).unwrap())
        .create(&app.db)
        .await;
    let mut bob = app.learner("bob").await;
    let listed = bob.get("/explore?sort=recent").await;
    assert_eq!(listed.texts(".card.listed h3"), ["Quiet", "Popular"]);

    let forked = bob
        .post(&format!("/curricula/{}/fork", popular.id.0), &[])
        .await;
    assert_eq!(forked.status, StatusCode::SEE_OTHER);
    let bob_user = app.user("bob").await;
    let copy = app
        .db
        .copies_of(bob_user.id, popular.id)
        .await
        .unwrap()
        .remove(0);
    let follow = FollowBuilder::new(&bob_user, &copy)
        .hours_per_week(5)
        .create(&app.db)
        .await;
    let page = bob.get("/explore").await;
    assert_eq!(
        page.texts(".card.listed h3"),
        ["Popular", "Quiet"],
        "most followed first"
    );
    assert!(
        page.text(".card.listed")
            .contains("1 following · 0 finished")
    );
    for item in ["first", "second"] {
        app.db
            .set_item_status(
                follow.id,
                bob_user.id,
                &autodidact_core::curriculum::ItemId::parse(item).unwrap(),
                ItemStatus::Done,
                Timestamp::now(),
            )
            .await
            .unwrap();
    }
    let page = bob.get("/explore?sort=finishers").await;
    assert_eq!(page.texts(".card.listed h3")[0], "Popular");
    assert!(
        page.text(".card.listed")
            .contains("1 following · 1 finished")
    );
    // Bob's copy is private: it is not listed beside its source.
    assert_eq!(page.texts(".card.listed h3").len(), 2);
}

#[tokio::test]
async fn the_listing_comes_in_pages_of_twenty() {
    let app = TestApp::new().await;
    app.learner("ada").await;
    let ada = app.user("ada").await;
    for n in 0..25 {
        let title = format!("Course {n:02}");
        CurriculumBuilder::new(&ada, &title)
            .source(&source(&title, "Go", "course", 5))
            .public()
            .at(Timestamp::from_second(1_790_000_000 + n).unwrap())
            .create(&app.db)
            .await;
    }
    let mut anonymous = app.client();
    let first = anonymous.get("/explore?sort=recent").await;
    let titles = first.texts(".card.listed h3");
    assert_eq!((titles.len(), titles[0].as_str()), (20, "Course 24"));
    let next = first.attr("a[rel=next]", "href").unwrap();
    assert_eq!(next, "/explore?sort=recent&page=2");
    let second = anonymous.get(&next).await;
    assert_eq!(second.texts(".card.listed h3").len(), 5);
    assert!(second.attr("a[rel=next]", "href").is_none());
    assert_eq!(
        second.attr("a[rel=prev]", "href").as_deref(),
        Some("/explore?sort=recent")
    );
    let past = anonymous.get("/explore?page=501").await;
    assert_eq!(past.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_api_gives_the_same_listing_and_says_what_to_fix() {
    let app = TestApp::new().await;
    app.learner("ada").await;
    let ada = app.user("ada").await;
    CurriculumBuilder::new(&ada, "Listed")
        .source(&source("Listed", "Statistics", "book", 12))
        .public()
        .create(&app.db)
        .await;
    CurriculumBuilder::new(&ada, "Hidden")
        .source(&source("Hidden", "Statistics", "book", 12))
        .visibility(Visibility::Unlisted)
        .create(&app.db)
        .await;
    let secret = token(&app, ada.id, TokenScope::Read).await;
    let resp = call(
        &app,
        "GET",
        "/api/v1/explore?skill=statistics",
        Some(&secret),
        None,
        &[],
    )
    .await;
    assert_eq!(resp.status, StatusCode::OK);
    let body = resp.json();
    let listed = body["curricula"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["title"], "Listed");
    assert_eq!(listed[0]["author"], "ada");
    assert_eq!(listed[0]["total_minutes"], 14 * 60);
    assert_eq!(listed[0]["weekly_minutes"], 8 * 60);
    assert_eq!(listed[0]["kinds"], serde_json::json!(["book", "practice"]));
    assert_eq!(
        (body["page"].as_u64(), body["more"].as_bool()),
        (Some(1), Some(false))
    );

    let bad = call(
        &app,
        "GET",
        "/api/v1/explore?max_hours=lots",
        Some(&secret),
        None,
        &[],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("max_hours"), "{}", bad.body);
    let anonymous = call(&app, "GET", "/api/v1/explore", None, None, &[]).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}
