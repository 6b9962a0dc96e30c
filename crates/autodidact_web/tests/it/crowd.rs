//! Crowd hours on an item's page: shown from five learners who opted in and finished it, never
//! from four, and never for a curriculum that is not public.

use autodidact_core::curriculum::{ItemId, Minutes};
use autodidact_core::store::{
    CurriculumRecord, CurriculumStore, FollowStore, ForkOf, ItemStatus, Lineage, LogKind, LogStore,
    NewLog, ProfileSettings, SharingStore, Visibility,
};
use autodidact_store::testing::{CurriculumBuilder, FollowBuilder};
use jiff::Timestamp;

use crate::support::{Client, TestApp};

const SOURCE: &str = r#"title = "Statistics"
[[phases]]
title = "One"
items = [{ id = "book", kind = "book", title = "The book", hours = 30 }]
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
    app.learner("ada").await;
    let ada = app.user("ada").await;
    let source = CurriculumBuilder::new(&ada, "x")
        .source(SOURCE)
        .public()
        .create(&app.db)
        .await;
    for (n, hours) in [20, 30, 40, 50].into_iter().enumerate() {
        finisher(&app, &format!("learner{n}"), &source, hours).await;
    }
    let (mut bobby, bobs_page) = finisher(&app, "bobby", &source, 5).await;
    let page = bobby.get(&bobs_page).await;
    let crowd = page.text("#crowd");
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
        bobby.get(&bobs_page).await.texts("#crowd").is_empty(),
        "four learners"
    );
    let mut settings = ProfileSettings::default();
    settings.crowd = true;
    app.db
        .set_profile_settings(learner0.id, &settings, Timestamp::now())
        .await
        .unwrap();
    assert!(!bobby.get(&bobs_page).await.texts("#crowd").is_empty());

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
        let shown = !bobby.get(&bobs_page).await.texts("#crowd").is_empty();
        assert_eq!(shown, visibility == Visibility::Public, "{visibility:?}");
    }
}
