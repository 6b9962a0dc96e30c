//! Following makes your own copy: nothing the owner of a curriculum does later (editing it,
//! making it private, deleting it) reaches a follower's plan, board, notes, evidence or logs,
//! and no title the owner writes after going private ever reaches the follower.

use autodidact_core::store::{CurriculumId, CurriculumStore, FollowId, FollowStore, Lineage};
use axum::http::StatusCode;

use crate::logs::{DEEP_LEARNING, today, user_id};
use crate::support::{Client, Resp, TestApp};

const SECRET: &str = "Written after going private";

/// Everything of Kim's follow that a learner sees and keeps, page by page.
async fn kims_record(kim: &mut Client, follow: FollowId) -> String {
    let id = follow.0;
    let mut out = String::new();
    for path in [
        format!("/follows/{id}"),
        format!("/follows/{id}/board"),
        format!("/follows/{id}/items/fast-ai-part-1"),
        "/logs".to_owned(),
    ] {
        let resp = kim.get(&path).await;
        assert_eq!(resp.status, StatusCode::OK, "{path}");
        for selector in [
            "main table",
            ".board .column",
            "#notes-rendered",
            "#evidence",
            "main h1",
        ] {
            out += &format!("{path} {selector}: {:?}\n", resp.texts(selector));
        }
    }
    out
}

/// No page Kim can open names the secret title.
async fn assert_never_shown(kim: &mut Client, follow: FollowId, copy: CurriculumId) {
    for path in [
        "/".to_owned(),
        "/follows".to_owned(),
        "/curricula".to_owned(),
        "/week".to_owned(),
        "/logs/new".to_owned(),
        format!("/follows/{}", follow.0),
        format!("/follows/{}/board", follow.0),
        format!("/curricula/{}", copy.0),
    ] {
        let resp: Resp = kim.get(&path).await;
        assert!(
            !resp.body.contains(SECRET),
            "{path} shows what was written after going private"
        );
    }
}

#[tokio::test]
async fn a_followers_copy_is_untouched_by_every_later_change_of_the_source() {
    let app = TestApp::new().await;
    let mut rosa = app.learner("rosa").await;
    let mut kim = app.learner("kim").await;

    // Rosa shares a curriculum; Kim follows it.
    let rosa_id = user_id(&app, "rosa").await;
    let source = crate::logs::add_curriculum(
        &app,
        rosa_id,
        DEEP_LEARNING,
        autodidact_core::store::Visibility::Public,
    )
    .await;
    let page = format!("/curricula/{}", source.0);
    let today = today().to_string();
    let resp = kim
        .submit(
            &format!("{page}/follow"),
            &format!("{page}/follow"),
            &[("hours_per_week", "10"), ("start", &today)],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let follow = FollowId(
        resp.location()
            .unwrap()
            .trim_start_matches("/follows/")
            .parse()
            .unwrap(),
    );

    // What Kim follows is her own private copy, linked to Rosa's.
    let stored = app.db.follow(follow).await.unwrap().unwrap();
    let copy = stored.curriculum;
    assert_ne!(copy, source);
    let record = app.db.curriculum(copy).await.unwrap().unwrap();
    assert_eq!(record.owner, user_id(&app, "kim").await);
    let Lineage::Fork(fork) = &record.lineage else {
        panic!("{:?}", record.lineage)
    };
    assert_eq!(
        (fork.source, fork.version, fork.owner_handle.as_str()),
        (source, 1, "rosa")
    );
    let copy_page = kim.get(&format!("/curricula/{}", copy.0)).await;
    assert_eq!(
        copy_page.text(".lineage"),
        "Forked from “Deep learning” by @rosa (version 1)."
    );

    // Kim works: a card done, notes, evidence, a log.
    let item = format!("/follows/{}/items/fast-ai-part-1", follow.0);
    kim.get(&format!("/follows/{}/board", follow.0)).await;
    kim.post(&format!("{item}/status"), &[("status", "done")])
        .await;
    kim.get(&item).await;
    kim.post(
        &format!("{item}/notes"),
        &[("notes", "Lesson 3: **SGD** by hand.")],
    )
    .await;
    kim.get(&item).await;
    let evidence = kim
        .post(
            &format!("{item}/evidence"),
            &[
                ("kind", "notebook"),
                ("url", "https://example.org/sgd.ipynb"),
                ("title", "SGD"),
            ],
        )
        .await;
    assert_eq!(evidence.status, StatusCode::SEE_OTHER, "{}", evidence.body);
    let choice = format!("{}:fast-ai-part-1", follow.0);
    let logged = kim
        .submit(
            "/logs/new",
            "/logs",
            &[("duration", "90m"), ("item", &choice), ("return_to", "/")],
        )
        .await;
    assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.body);
    let before = kims_record(&mut kim, follow).await;
    assert!(before.contains("SGD"), "{before}");
    assert!(
        before.contains("1 h 30 min Learn Practical Deep Learning"),
        "{before}"
    );
    assert!(
        before.contains("Linear Algebra Done Right 130 h"),
        "{before}"
    );
    assert!(before.contains("Practical Deep Learning"), "{before}");

    // 1. Rosa adds 100 hours while the curriculum is public.
    let add = |title: &'static str, id: &'static str| {
        [
            ("id", id),
            ("kind", "course"),
            ("title", title),
            ("hours", "100"),
            ("phase", "1"),
        ]
    };
    let added = rosa
        .submit(
            &format!("{page}/items/new"),
            &format!("{page}/items"),
            &add("A new course", "new-course"),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert_eq!(kims_record(&mut kim, follow).await, before);
    assert!(
        !kim.get(&format!("/follows/{}", follow.0))
            .await
            .body
            .contains("A new course")
    );

    // 2. Rosa makes it private, then adds a title Kim must never see.
    let private = rosa
        .submit(
            &page,
            &format!("{page}/visibility"),
            &[("visibility", "private")],
        )
        .await;
    assert_eq!(private.status, StatusCode::SEE_OTHER);
    let secret = rosa
        .submit(
            &format!("{page}/items/new"),
            &format!("{page}/items"),
            &add(SECRET, "secret"),
        )
        .await;
    assert_eq!(secret.status, StatusCode::SEE_OTHER, "{}", secret.body);
    assert_eq!(kims_record(&mut kim, follow).await, before);
    assert_never_shown(&mut kim, follow, copy).await;
    assert_eq!(kim.get(&page).await.status, StatusCode::NOT_FOUND);

    // 3. Rosa deletes it.
    let deleted = rosa
        .submit(&format!("{page}/delete"), &format!("{page}/delete"), &[])
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert!(app.db.curriculum(source).await.unwrap().is_none());
    assert_eq!(kims_record(&mut kim, follow).await, before);
    assert_never_shown(&mut kim, follow, copy).await;
    let copy_page = kim.get(&format!("/curricula/{}", copy.0)).await;
    assert_eq!(copy_page.status, StatusCode::OK);
    assert!(
        copy_page
            .text(".lineage")
            .starts_with("Forked from “Deep learning” by @rosa")
    );
}

#[tokio::test]
async fn following_the_same_curriculum_again_points_to_the_copy_already_followed() {
    let app = TestApp::new().await;
    app.learner("rosa").await;
    let mut kim = app.learner("kim").await;
    let rosa_id = user_id(&app, "rosa").await;
    let source = crate::logs::add_curriculum(
        &app,
        rosa_id,
        DEEP_LEARNING,
        autodidact_core::store::Visibility::Unlisted,
    )
    .await;
    let form = format!("/curricula/{}/follow", source.0);
    let today = today().to_string();
    let fields = [("hours_per_week", "10"), ("start", today.as_str())];
    let first = kim.submit(&form, &form, &fields).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let again = kim.submit(&form, &form, &fields).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again.body.contains(first.location().unwrap()),
        "{}",
        again.body
    );
    let shown = kim.get(&form).await;
    assert!(shown.body.contains(first.location().unwrap()));
    let kim_id = user_id(&app, "kim").await;
    assert_eq!(app.db.follows_of(kim_id).await.unwrap().len(), 1);
    assert_eq!(app.db.copies_of(kim_id, source).await.unwrap().len(), 1);
}

#[tokio::test]
async fn anyone_who_may_see_a_curriculum_may_fork_it_and_the_copy_says_where_it_came_from() {
    let app = TestApp::new().await;
    app.learner("rosa").await;
    let mut kim = app.learner("kim").await;
    let rosa_id = user_id(&app, "rosa").await;
    let source = crate::logs::add_curriculum(
        &app,
        rosa_id,
        DEEP_LEARNING,
        autodidact_core::store::Visibility::Public,
    )
    .await;
    let page = format!("/curricula/{}", source.0);
    let shown = kim.get(&page).await;
    assert_eq!(
        shown.texts("form[action$='/fork'] button"),
        ["Fork: make your own copy"]
    );
    let forked = kim.post(&format!("{page}/fork"), &[]).await;
    assert_eq!(forked.status, StatusCode::SEE_OTHER);
    let copy_page = kim.get(forked.location().unwrap()).await;
    assert_eq!(copy_page.text("h1"), "Deep learning");
    assert_eq!(
        copy_page.text(".lineage"),
        "Forked from “Deep learning” by @rosa (version 1)."
    );
    assert_eq!(
        copy_page.texts(".lineage a"),
        ["Forked from “Deep learning” by @rosa (version 1)."]
    );
    // The copy is Kim's to change; Rosa's is untouched.
    assert!(copy_page.body.contains("Edit title and description"));
    assert_eq!(
        app.db.curriculum(source).await.unwrap().unwrap().owner,
        rosa_id
    );
    // The source's page lists its public copies only: Kim's is private until she shares it.
    let mut anonymous = app.client();
    assert!(anonymous.get(&page).await.texts("#forks").is_empty());
    let copy_url = forked.location().unwrap().to_owned();
    kim.get(&copy_url).await;
    let shared = kim
        .post(
            &format!("{copy_url}/visibility"),
            &[("visibility", "public")],
        )
        .await;
    assert_eq!(shared.status, StatusCode::SEE_OTHER);
    let listed = anonymous.get(&page).await;
    assert_eq!(
        listed.text("#forks"),
        "1 public copy: “Deep learning” by @kim"
    );
    assert_eq!(
        listed.attr("#forks a", "href").as_deref(),
        Some(copy_url.as_str())
    );
    // Shown to followers only, it is not listed.
    kim.get(&copy_url).await;
    kim.post(
        &format!("{copy_url}/visibility"),
        &[("visibility", "followers")],
    )
    .await;
    assert!(anonymous.get(&page).await.texts("#forks").is_empty());
}
