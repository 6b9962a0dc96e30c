//! What others found, on an item's page and over the API: crowd hours shown from five learners
//! who opted in and finished it, never from four, and never for a curriculum that is not
//! public; how many finishers went on to the next item; and reviews, one per learner, editable,
//! with the reviewer's hours and whether they finished.

use autodidact_core::curriculum::{ItemId, Minutes};
use autodidact_core::store::{
    CurriculumRecord, CurriculumStore, FollowStore, ForkOf, ItemStatus, Lineage, LogKind, LogStore,
    NewLog, ProfileSettings, SharingStore, Visibility,
};
use autodidact_store::testing::{CurriculumBuilder, FollowBuilder};
use axum::http::StatusCode;
use jiff::Timestamp;

use crate::support::{Client, TestApp};

const SOURCE: &str = r#"title = "Statistics"
[[phases]]
title = "One"
items = [
  { id = "book", kind = "book", title = "The book", hours = 30, url = "https://arxiv.org/abs/1706.03762" },
  { id = "project", kind = "project", title = "The project", hours = 10 },
]
"#;

/// Learner `handle` copies `source`, follows the copy, logs `hours` on the book over as many
/// days, marks it done and opts in to crowd figures. Returns them signed in, and their
/// follow's item page.
async fn finisher(
    app: &TestApp,
    handle: &str,
    source: &CurriculumRecord,
    hours: u32,
) -> (Client, String) {
    let client = app.learner(handle).await;
    let user = app.user(handle).await;
    let mut copy = CurriculumBuilder::new(&user, "x").source(SOURCE).build();
    copy.lineage = Lineage::Fork(ForkOf {
        source: source.id,
        version: source.version,
        owner: source.owner,
        owner_handle: autodidact_core::accounts::Handle::parse("ada").unwrap(),
        title: source.title.clone(),
        base: source.source.clone(),
    });
    let copy = app.db.create_curriculum(copy).await.unwrap();
    let follow = FollowBuilder::new(&user, &copy)
        .hours_per_week(10)
        .create(&app.db)
        .await;
    let now = Timestamp::now();
    let book = ItemId::parse("book").unwrap();
    let mut day = jiff::civil::date(2026, 3, 1);
    for _ in 0..hours {
        app.db
            .add_log(NewLog {
                user: user.id,
                follow: Some(follow.id),
                item: Some(book.clone()),
                minutes: Minutes::from_hours(1),
                kind: LogKind::Learn,
                day,
                note: String::new(),
                idempotency_key: None,
                start_item: false,
                finish_item: false,
                now,
            })
            .await
            .unwrap();
        day = day.tomorrow().unwrap();
    }
    app.db
        .set_item_status(follow.id, user.id, &book, ItemStatus::Done, now)
        .await
        .unwrap();
    let mut settings = ProfileSettings::default();
    settings.crowd = true;
    app.db
        .set_profile_settings(user.id, &settings, now)
        .await
        .unwrap();
    (client, format!("/follows/{}/items/book", follow.id.0))
}

#[tokio::test]
async fn five_learners_make_a_figure_four_do_not_and_only_a_public_curriculum_has_one() {
    let app = TestApp::new().await;
    let (ada, source) = public_source(&app).await;
    for (n, hours) in [20, 30, 40, 50].into_iter().enumerate() {
        finisher(&app, &format!("learner{n}"), &source, hours).await;
    }
    let (mut bobby, bobs_page) = finisher(&app, "bobby", &source, 5).await;
    let page = bobby.get(&bobs_page).await;
    let crowd = page.text("#crowd-hours");
    assert!(
        crowd.contains("20 h–40 h (median 30 h, 5 learners)"),
        "{crowd}"
    );

    // Four are not enough: a learner who opted out leaves four.
    let learner0 = app.user("learner0").await;
    app.db
        .set_profile_settings(learner0.id, &ProfileSettings::default(), Timestamp::now())
        .await
        .unwrap();
    assert!(
        bobby.get(&bobs_page).await.texts("#crowd-hours").is_empty(),
        "four learners"
    );
    let mut settings = ProfileSettings::default();
    settings.crowd = true;
    app.db
        .set_profile_settings(learner0.id, &settings, Timestamp::now())
        .await
        .unwrap();
    assert!(!bobby.get(&bobs_page).await.texts("#crowd-hours").is_empty());

    // Every value but public: no figure, even for a learner who finished it.
    for visibility in [
        Visibility::Private,
        Visibility::Followers,
        Visibility::Unlisted,
        Visibility::Public,
    ] {
        app.db
            .set_curriculum_visibility(source.id, ada.id, visibility, Timestamp::now())
            .await
            .unwrap();
        let shown = !bobby.get(&bobs_page).await.texts("#crowd-hours").is_empty();
        assert_eq!(shown, visibility == Visibility::Public, "{visibility:?}");
    }
}

/// Ada and her public curriculum.
async fn public_source(app: &TestApp) -> (autodidact_core::store::User, CurriculumRecord) {
    app.learner("ada").await;
    let ada = app.user("ada").await;
    let source = CurriculumBuilder::new(&ada, "x")
        .source(SOURCE)
        .public()
        .create(&app.db)
        .await;
    (ada, source)
}

/// Marks `item` done on the board of the follow behind `page` (`/follows/{id}/items/…`).
async fn mark_done(app: &TestApp, handle: &str, page: &str, item: &str) {
    let user = app.user(handle).await;
    let follow: i64 = page.split('/').nth(2).unwrap().parse().unwrap();
    app.db
        .set_item_status(
            autodidact_core::store::FollowId(follow),
            user.id,
            &ItemId::parse(item).unwrap(),
            ItemStatus::Done,
            Timestamp::now(),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn reviews_are_one_per_learner_editable_checked_and_show_what_the_reviewer_logged() {
    let app = TestApp::new().await;
    let (_, source) = public_source(&app).await;
    let (mut bobby, bobs_page) = finisher(&app, "bobby", &source, 12).await;
    let form = format!("{bobs_page}/rating");

    // Bad input: every problem at once, nothing saved, what was written kept.
    let long_tip = "t".repeat(281);
    let refused = bobby
        .submit(
            &bobs_page,
            &form,
            &[("rating", "6"), ("text", "Fine"), ("tip", &long_tip)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text("#rating-error").contains("0.5 to 5 stars"));
    assert!(refused.text("#tip-error").contains("at most 280"));
    assert_eq!(refused.attr("#rating", "value").as_deref(), Some("6"));
    assert_eq!(refused.text("#review-text"), "Fine");
    assert!(bobby.get(&bobs_page).await.texts("#no-reviews").len() == 1);

    // A review, then an edit: still one, with the reviewer's hours and that they finished.
    let saved = bobby
        .submit(
            &bobs_page,
            &form,
            &[
                ("rating", "3.5"),
                ("text", "Dense <script>x</script> but *good*"),
                ("tip", "Do chapter 2's exercises"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let edited = bobby
        .submit(
            &bobs_page,
            &form,
            &[("rating", "4½"), ("text", "Dense but *good*"), ("tip", "")],
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER);
    let page = bobby.get(&bobs_page).await;
    assert_eq!(page.texts(".review").len(), 1, "one review per learner");
    let review = page.text(".review");
    assert!(review.contains("4.5"), "{review}");
    assert!(review.contains("@bobby (you)"), "{review}");
    assert!(review.contains("logged 12 h, finished"), "{review}");
    assert!(
        !review.contains("For the next learner"),
        "the tip was cleared: {review}"
    );
    assert!(page.body.contains("<em>good</em>"), "the text is Markdown");
    assert_eq!(
        page.attr("#rating", "value").as_deref(),
        Some("4.5"),
        "the form holds the review"
    );

    // Markdown is sanitised: raw HTML is shown as text, never run.
    bobby
        .submit(
            &bobs_page,
            &form,
            &[
                ("rating", "2"),
                ("text", "<script>alert(1)</script>"),
                ("tip", "<b>x</b>"),
            ],
        )
        .await;
    let page = bobby.get(&bobs_page).await;
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(!page.body.contains("<b>x</b>"));

    // A learner who has neither logged time nor finished cannot review yet.
    let (mut carol, carols_page) = finisher(&app, "carol", &source, 0).await;
    let project = carols_page.replace("/items/book", "/items/project");
    let early = carol
        .submit(&project, &format!("{project}/rating"), &[("rating", "5")])
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        early
            .text("#rating-error")
            .contains("Log time on this item or mark it done")
    );

    // Carol finished the book without logging: she may review it, and sees Bobby's review.
    let ok = carol
        .submit(
            &carols_page,
            &format!("{carols_page}/rating"),
            &[("rating", "1")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let page = carol.get(&carols_page).await;
    assert_eq!(page.texts(".review").len(), 2);
    assert!(
        page.text("#mean-rating")
            .contains("1.5 of 5 from 2 reviews"),
        "{}",
        page.text("#mean-rating")
    );
    assert!(
        page.text(".review.mine").contains("logged 0 h, finished"),
        "{}",
        page.text(".review.mine")
    );

    // Removing it.
    let gone = carol
        .submit(&carols_page, &format!("{carols_page}/rating/delete"), &[])
        .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert_eq!(carol.get(&carols_page).await.texts(".review").len(), 1);
}

#[tokio::test]
async fn others_reviews_show_only_on_a_public_lineage_and_onward_counts_need_five() {
    let app = TestApp::new().await;
    let (ada, source) = public_source(&app).await;
    let mut pages = Vec::new();
    for n in 0..5 {
        let handle = format!("learner{n}");
        let (mut client, page) = finisher(&app, &handle, &source, 10 + n).await;
        client
            .submit(&page, &format!("{page}/rating"), &[("rating", "4")])
            .await;
        if n < 3 {
            mark_done(&app, &handle, &page, "project").await;
        }
        pages.push((client, page));
    }
    let (client, page) = &mut pages[4];
    let shown = client.get(page).await;
    assert_eq!(
        shown.text("#onward"),
        "Of 5 learners who finished it, 3 went on to finish the next item, “The project”."
    );
    assert_eq!(shown.texts(".review").len(), 5);

    // Four finishers (one opted out of crowd figures): no onward figure; reviews stay, as
    // each reviewer chose to write one.
    let learner0 = app.user("learner0").await;
    app.db
        .set_profile_settings(learner0.id, &ProfileSettings::default(), Timestamp::now())
        .await
        .unwrap();
    let shown = client.get(page).await;
    assert!(shown.texts("#onward").is_empty());
    assert_eq!(shown.texts(".review").len(), 5);

    // The source not public: each learner sees only their own review.
    for visibility in [
        Visibility::Private,
        Visibility::Followers,
        Visibility::Unlisted,
    ] {
        app.db
            .set_curriculum_visibility(source.id, ada.id, visibility, Timestamp::now())
            .await
            .unwrap();
        let shown = client.get(page).await;
        assert_eq!(shown.texts(".review").len(), 1, "{visibility:?}");
        assert!(shown.text(".review").contains("@learner4 (you)"));
        assert!(shown.texts("#onward").is_empty());
    }
}

#[tokio::test]
async fn the_api_gives_what_others_found_and_writes_your_review() {
    use autodidact_core::store::TokenScope;

    use crate::api::{call, token};

    let app = TestApp::new().await;
    let (_, source) = public_source(&app).await;
    for (n, hours) in [20, 30, 40, 50, 60].into_iter().enumerate() {
        finisher(&app, &format!("learner{n}"), &source, hours).await;
    }
    let (_, page) = finisher(&app, "bobby", &source, 8).await;
    let follow = page.split('/').nth(2).unwrap().to_owned();
    let bobby = app.user("bobby").await;
    let writer = token(&app, bobby.id, TokenScope::ReadWrite).await;
    let reader = token(&app, bobby.id, TokenScope::Read).await;
    let rating = format!("/api/v1/follows/{follow}/items/book/rating");

    let bad = call(
        &app,
        "PUT",
        &rating,
        Some(&writer),
        Some(r#"{"rating": 4.25}"#),
        &[],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("half stars"), "{}", bad.body);
    let read_only = call(
        &app,
        "PUT",
        &rating,
        Some(&reader),
        Some(r#"{"rating": 4}"#),
        &[],
    )
    .await;
    assert_eq!(read_only.status, StatusCode::FORBIDDEN);
    let put = call(
        &app,
        "PUT",
        &rating,
        Some(&writer),
        Some(r#"{"rating": 4.5, "text": "Worth it", "tip": "Skip the appendix"}"#),
        &[],
    )
    .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    assert_eq!(put.json()["rating"], 4.5);
    assert_eq!(put.json()["logged_minutes"], 8 * 60);
    assert_eq!(put.json()["finished"], true);

    let crowd = call(
        &app,
        "GET",
        &format!("/api/v1/curricula/{}/items/book/crowd", source.id.0),
        Some(&reader),
        None,
        &[],
    )
    .await;
    assert_eq!(crowd.status, StatusCode::OK, "{}", crowd.body);
    let json = crowd.json();
    assert_eq!(json["hours"]["all"]["learners"], 6);
    assert_eq!(
        json["hours"]["all"]["median_minutes"],
        35 * 60,
        "8, 20, 30 | 40, 50, 60"
    );
    assert_eq!(json["reviews"][0]["handle"], "bobby");
    assert_eq!(json["reviews"][0]["tip"], "Skip the appendix");
    assert_eq!(json["mean_rating"], 4.5);
    let missing = call(
        &app,
        "GET",
        &format!("/api/v1/curricula/{}/items/nope/crowd", source.id.0),
        Some(&reader),
        None,
        &[],
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    // The takeout holds the review.
    let takeout = call(&app, "GET", "/api/v1/takeout", Some(&reader), None, &[]).await;
    let follows = takeout.json()["follows"].clone();
    let reviews: Vec<_> = follows
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["item_reviews"].as_array().unwrap().clone())
        .collect();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0]["rating"], 4.5);
    assert_eq!(reviews[0]["text"], "Worth it");

    let deleted = call(&app, "DELETE", &rating, Some(&writer), None, &[]).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let again = call(&app, "DELETE", &rating, Some(&writer), None, &[]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_same_resource_in_an_unrelated_curriculum_adds_to_the_figure() {
    let app = TestApp::new().await;
    let (_, source) = public_source(&app).await;
    for (n, hours) in [20, 30, 40, 50].into_iter().enumerate() {
        finisher(&app, &format!("learner{n}"), &source, hours).await;
    }
    let (mut bobby, page) = finisher(&app, "bobby", &source, 5).await;
    // Five in the lineage with Bobby; then Zed, elsewhere, on the same paper's PDF.
    app.learner("zedd").await;
    let zed = app.user("zedd").await;
    let theirs = CurriculumBuilder::new(&zed, "x")
        .source(
            r#"title = "Attention"
[[phases]]
title = "Papers"
items = [{ id = "transformer", kind = "paper", title = "Attention is all you need", hours = 4, url = "https://arxiv.org/pdf/1706.03762v7" }]
"#,
        )
        .public()
        .create(&app.db)
        .await;
    let follow = FollowBuilder::new(&zed, &theirs)
        .hours_per_week(5)
        .create(&app.db)
        .await;
    let transformer = ItemId::parse("transformer").unwrap();
    app.db
        .add_log(NewLog {
            user: zed.id,
            follow: Some(follow.id),
            item: Some(transformer.clone()),
            minutes: Minutes::from_hours(20),
            kind: LogKind::Learn,
            day: jiff::civil::date(2026, 3, 1),
            note: String::new(),
            idempotency_key: None,
            start_item: false,
            finish_item: false,
            now: Timestamp::now(),
        })
        .await
        .unwrap();
    let shown = bobby.get(&page).await.text("#crowd-hours");
    assert!(
        shown.contains("5 learners"),
        "Zed has not finished: {shown}"
    );
    app.db
        .set_item_status(
            follow.id,
            zed.id,
            &transformer,
            ItemStatus::Done,
            Timestamp::now(),
        )
        .await
        .unwrap();
    let mut settings = ProfileSettings::default();
    settings.crowd = true;
    app.db
        .set_profile_settings(zed.id, &settings, Timestamp::now())
        .await
        .unwrap();
    let shown = bobby.get(&page).await.text("#crowd-hours");
    assert!(shown.contains("6 learners"), "{shown}");
}

#[tokio::test]
async fn a_guess_can_take_the_crowds_median_into_the_plan_and_switch_it_off_again() {
    let app = TestApp::new().await;
    let (_, source) = public_source(&app).await;
    let mut others = Vec::new();
    for (n, hours) in [20, 30, 40, 50, 60].into_iter().enumerate() {
        others.push(
            finisher(&app, &format!("learner{n}"), &source, hours)
                .await
                .0,
        );
    }
    // Bobby's copy guesses the project at 10 h (the source states the book at 30 h).
    let mut client = app.learner("bobby").await;
    let bobby = app.user("bobby").await;
    let mut copy = CurriculumBuilder::new(&bobby, "x")
        .source(&SOURCE.replace(r#"hours = 10 },"#, r#"hours = 10, estimated = "guess" },"#))
        .build();
    copy.lineage = Lineage::Fork(ForkOf {
        source: source.id,
        version: source.version,
        owner: source.owner,
        owner_handle: autodidact_core::accounts::Handle::parse("ada").unwrap(),
        title: source.title.clone(),
        base: source.source.clone(),
    });
    let copy = app.db.create_curriculum(copy).await.unwrap();
    let page = format!("/curricula/{}/crowd-hours", copy.id.0);
    let shown = client.get(&page).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(
        shown.texts("#no-crowd-hours").len() == 1,
        "no one finished the project, and the book is not a guess"
    );
    // Five finish the project with 8 h to 16 h.
    for n in 0..5u32 {
        let learner = app.user(&format!("learner{n}")).await;
        let follow = app.db.follows_of(learner.id).await.unwrap().remove(0);
        let project = ItemId::parse("project").unwrap();
        app.db
            .add_log(NewLog {
                user: learner.id,
                follow: Some(follow.id),
                item: Some(project.clone()),
                minutes: Minutes::from_hours(8 + 2 * n),
                kind: LogKind::Build,
                day: jiff::civil::date(2026, 5, 1),
                note: String::new(),
                idempotency_key: None,
                start_item: false,
                finish_item: false,
                now: Timestamp::now(),
            })
            .await
            .unwrap();
        app.db
            .set_item_status(
                follow.id,
                learner.id,
                &project,
                ItemStatus::Done,
                Timestamp::now(),
            )
            .await
            .unwrap();
    }
    let shown = client.get(&page).await;
    let row = shown.text("#crowd-project");
    assert!(row.contains("10 h (a guess)"), "{row}");
    assert!(
        row.contains("12 h"),
        "the median of 8, 10, 12, 14, 16: {row}"
    );
    assert!(row.contains("10 h–14 h (5 learners)"), "{row}");
    assert!(
        shown.texts("#crowd-book").is_empty(),
        "a stated estimate is not offered"
    );

    let taken = client.submit(&page, &page, &[("item", "project")]).await;
    assert_eq!(taken.status, StatusCode::SEE_OTHER);
    let stored = app.db.curriculum(copy.id).await.unwrap().unwrap();
    assert!(
        stored.source.contains(r#"estimated = "crowd""#)
            && stored.source.contains("own_hours = 10"),
        "{}",
        stored.source
    );
    let model = autodidact_core::curriculum::check_stored_toml(&stored.source)
        .curriculum
        .unwrap();
    let project = model.item(&ItemId::parse("project").unwrap()).unwrap();
    assert_eq!(
        project.planned(None),
        Minutes::from_hours(12),
        "the plan uses the median"
    );
    let shown = client.get(&format!("{page}?taken=1")).await;
    assert!(
        shown
            .text("#crowd-notice")
            .contains("1 item is now planned")
    );

    // The off switch gives the guess back.
    let off = client.submit(&page, &format!("{page}/off"), &[]).await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    let stored = app.db.curriculum(copy.id).await.unwrap().unwrap();
    assert!(
        stored.source.contains(r#"estimated = "guess""#),
        "{}",
        stored.source
    );
    assert!(!stored.source.contains("own_hours"));
    assert!(client.get(&page).await.texts("#crowd-off").is_empty());

    // Only the owner: another learner gets nothing.
    assert_eq!(others[0].get(&page).await.status, StatusCode::NOT_FOUND);
}
