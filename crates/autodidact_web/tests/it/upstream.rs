//! Pulling a copy's source: "update available" on the copy, the preview (added, changed,
//! conflicting, retired and removed items, and the plan impact), accepting it with the
//! learner's choices, and nothing of the learner's lost: notes, logs, board states, evidence
//! and their edits stay. A stale preview is refused; a source gone private stops updates and
//! leaves the copy whole.

use autodidact_core::curriculum::{ItemId, Minutes, check_toml};
use autodidact_core::store::{
    CurriculumId, CurriculumStore, EvidenceKind, FollowStore, ItemStatus, LogKind, LogStore,
    NewLog, TokenScope, Visibility,
};
use autodidact_store::testing::{CurriculumBuilder, FollowBuilder};
use axum::http::StatusCode;
use jiff::Timestamp;

use crate::api::{call, token};
use crate::support::{Client, TestApp};

const SOURCE: &str = r#"title = "Deep learning"
hours_per_week = 10
[[phases]]
title = "Foundations"
[[phases.items]]
id = "a"
kind = "course"
title = "Linear algebra"
hours = 20
[[phases.items]]
id = "b"
kind = "book"
title = "The book"
hours = 10
[[phases.items]]
id = "c"
kind = "course"
title = "Probability"
hours = 10
[[phases.items]]
id = "d"
kind = "project"
title = "A first project"
hours = 8
[[phases.items]]
id = "e"
kind = "paper"
title = "A paper"
hours = 2
"#;

fn item(raw: &str) -> ItemId {
    ItemId::parse(raw).unwrap()
}

struct World {
    ada: autodidact_core::store::User,
    ada_client: Client,
    bob: Client,
    bob_user: autodidact_core::store::User,
    source: CurriculumId,
    copy: CurriculumId,
    follow: autodidact_core::store::FollowId,
}

/// Ada's public curriculum; Bob's copy of it, followed, with a log on `b`, notes on `c`,
/// evidence on `d`, `a` in progress and his own hours on `a`.
async fn world(app: &TestApp) -> World {
    let ada_client = app.learner("ada").await;
    let ada = app.user("ada").await;
    let source = CurriculumBuilder::new(&ada, "x")
        .source(SOURCE)
        .public()
        .create(&app.db)
        .await;
    let mut bob = app.learner("bob").await;
    let bob_user = app.user("bob").await;
    let forked = bob
        .submit(
            &format!("/curricula/{}", source.id.0),
            &format!("/curricula/{}/fork", source.id.0),
            &[],
        )
        .await;
    assert_eq!(forked.status, StatusCode::SEE_OTHER);
    let copy = app
        .db
        .copies_of(bob_user.id, source.id)
        .await
        .unwrap()
        .remove(0);
    let follow = FollowBuilder::new(&bob_user, &copy)
        .hours_per_week(10)
        .create(&app.db)
        .await;
    let now = Timestamp::now();
    app.db
        .add_log(NewLog {
            user: bob_user.id,
            follow: Some(follow.id),
            item: Some(item("b")),
            minutes: Minutes::new(90),
            kind: LogKind::Learn,
            day: bob_user.settings.timezone.today(now),
            note: "Chapter one".to_owned(),
            idempotency_key: None,
            start_item: true,
            finish_item: false,
            now,
        })
        .await
        .unwrap();
    app.db
        .set_item_notes(follow.id, bob_user.id, &item("c"), "Bob's notes on c", now)
        .await
        .unwrap();
    app.db
        .add_evidence(
            follow.id,
            bob_user.id,
            &item("d"),
            EvidenceKind::Repository,
            "https://github.com/bob/first",
            "First project",
            now,
        )
        .await
        .unwrap();
    app.db
        .set_item_status(follow.id, bob_user.id, &item("a"), ItemStatus::Doing, now)
        .await
        .unwrap();
    let mine = copy.source.replace("hours = 20", "hours = 26");
    app.db
        .update_curriculum(copy.id, bob_user.id, &copy.title, &mine, now)
        .await
        .unwrap();
    World {
        ada,
        ada_client,
        bob,
        bob_user,
        source: source.id,
        copy: copy.id,
        follow: follow.id,
    }
}

/// Ada changes three items (a's title, b's hours, c's link), removes d and e, and adds f.
async fn ada_updates(app: &TestApp, w: &World) {
    let theirs = SOURCE
        .replace(
            "title = \"Linear algebra\"",
            "title = \"Linear algebra, 2nd ed.\"",
        )
        .replace(
            "title = \"The book\"\nhours = 10",
            "title = \"The book\"\nhours = 14",
        )
        .replace(
            "title = \"Probability\"",
            "title = \"Probability\"\nurl = \"https://example.org/prob\"",
        );
    let cut = theirs.find("[[phases.items]]\nid = \"d\"").unwrap();
    let theirs = format!(
        "{}[[phases.items]]\nid = \"f\"\nkind = \"practice\"\ntitle = \"Kaggle\"\nhours = 6\n",
        &theirs[..cut]
    );
    ada_publishes(app, w, &theirs).await;
}

/// Ada stores a new version of her curriculum.
async fn ada_publishes(app: &TestApp, w: &World, theirs: &str) {
    app.db
        .update_curriculum(
            w.source,
            w.ada.id,
            "Deep learning",
            theirs,
            Timestamp::now(),
        )
        .await
        .unwrap();
}

async fn copy_of(app: &TestApp, w: &World) -> autodidact_core::curriculum::Curriculum {
    let record = app.db.curriculum(w.copy).await.unwrap().unwrap();
    check_toml(&record.source).curriculum.unwrap()
}

#[tokio::test]
async fn an_update_is_previewed_with_its_plan_impact_and_accepted_without_losing_anything() {
    let app = TestApp::new().await;
    let mut w = world(&app).await;
    let copy_url = format!("/curricula/{}", w.copy.0);
    assert!(
        w.bob
            .get(&copy_url)
            .await
            .texts("#update-available")
            .is_empty(),
        "nothing to take yet"
    );
    ada_updates(&app, &w).await;

    let page = w.bob.get(&copy_url).await;
    assert!(page.text("#update-available").contains("newer version"));
    let preview = w.bob.get(&format!("{copy_url}/upstream")).await;
    assert_eq!(preview.status, StatusCode::OK);
    let updated = preview.texts("#updated li");
    assert!(
        updated
            .iter()
            .any(|u| u.contains("Linear algebra, 2nd ed.: title")),
        "{updated:?}"
    );
    assert!(
        updated.iter().any(|u| u.contains("The book: hours")),
        "{updated:?}"
    );
    assert!(
        updated.iter().any(|u| u.contains("Probability: link")),
        "{updated:?}"
    );
    assert!(
        preview
            .text("#retired")
            .contains("A first project (kept: you have progress on it)")
    );
    assert!(preview.text("#removed").contains("A paper"));
    assert!(preview.text("#added").contains("Kaggle"));
    assert!(
        preview.texts("#conflicts").is_empty(),
        "Bob's hours on a were his alone"
    );
    let impact = preview.text("#impact");
    assert!(impact.contains("Work left"), "{impact}");
    assert!(
        impact.contains("(+"),
        "b grew by 4 h, f adds 6 h, e goes: {impact}"
    );
    assert!(!preview.texts("#moved tbody tr").is_empty(), "weeks move");

    // Leaving the new item out, then taking it: the preview follows the choices.
    let without = w
        .bob
        .post(&format!("{copy_url}/upstream"), &[("proposed", "f")])
        .await;
    assert_eq!(without.status, StatusCode::OK);
    assert_eq!(without.attr("#added input[type=checkbox]", "checked"), None);

    let fork_version = preview.attr("input[name=fork_version]", "value").unwrap();
    let source_version = preview.attr("input[name=source_version]", "value").unwrap();
    let accepted = w
        .bob
        .post(
            &format!("{copy_url}/upstream/accept"),
            &[
                ("fork_version", fork_version.as_str()),
                ("source_version", source_version.as_str()),
                ("proposed", "f"),
                ("add", "f"),
            ],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    assert_eq!(
        accepted.location(),
        Some(format!("{copy_url}?synced=1").as_str())
    );

    let merged = copy_of(&app, &w).await;
    let ids: Vec<&str> = merged.items().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "f"]);
    let a = merged.item(&item("a")).unwrap();
    assert_eq!(a.title, "Linear algebra, 2nd ed.");
    assert_eq!(a.planned(None), Minutes::from_hours(26), "Bob's hours stay");
    assert_eq!(
        merged.item(&item("b")).unwrap().planned(None),
        Minutes::from_hours(14)
    );
    assert_eq!(
        merged.item(&item("c")).unwrap().url.as_deref(),
        Some("https://example.org/prob")
    );
    // Everything of Bob's, keyed by item id, is where it was.
    let states = app.db.item_states(w.follow).await.unwrap();
    let state = |id: &str| states.iter().find(|s| s.item.as_str() == id).cloned();
    assert_eq!(state("a").unwrap().status, ItemStatus::Doing);
    assert_eq!(state("c").unwrap().notes, "Bob's notes on c");
    let minutes = app.db.minutes_by_item(w.follow).await.unwrap();
    assert!(
        minutes
            .iter()
            .any(|(i, m)| i.as_str() == "b" && *m == Minutes::new(90))
    );
    assert_eq!(app.db.evidence(w.follow).await.unwrap().len(), 1);

    let after = w.bob.get(&format!("{copy_url}?synced=1")).await;
    assert!(
        after
            .text("#curriculum-notice")
            .contains("Updated from its source")
    );
    assert!(
        after.texts("#update-available").is_empty(),
        "taken: nothing new"
    );
    let again = w.bob.get(&format!("{copy_url}/upstream")).await;
    assert!(again.text("#no-update").contains("up to date"));

    // The same form again is stale: the copy moved on.
    let stale = w
        .bob
        .post(
            &format!("{copy_url}/upstream/accept"),
            &[
                ("fork_version", fork_version.as_str()),
                ("source_version", source_version.as_str()),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::BAD_REQUEST);
    assert!(stale.body.contains("changed since this preview"));
    let _ = &w.bob_user;
}

#[tokio::test]
async fn a_field_changed_on_both_sides_is_settled_by_the_learner() {
    let app = TestApp::new().await;
    let mut w = world(&app).await;
    let theirs = SOURCE.replace("hours = 20", "hours = 30");
    ada_publishes(&app, &w, &theirs).await;
    let copy_url = format!("/curricula/{}", w.copy.0);
    let preview = w.bob.get(&format!("{copy_url}/upstream")).await;
    let row = preview.text("#conflicts tbody tr");
    for expected in ["Linear algebra: hours", "20 h", "26 h", "30 h"] {
        assert!(row.contains(expected), "{expected} in {row}");
    }
    let fork_version = preview.attr("input[name=fork_version]", "value").unwrap();
    let source_version = preview.attr("input[name=source_version]", "value").unwrap();
    let accepted = w
        .bob
        .post(
            &format!("{copy_url}/upstream/accept"),
            &[
                ("fork_version", fork_version.as_str()),
                ("source_version", source_version.as_str()),
                ("c:item:a:hours", "theirs"),
            ],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    let merged = copy_of(&app, &w).await;
    assert_eq!(
        merged.item(&item("a")).unwrap().planned(None),
        Minutes::from_hours(30)
    );
}

#[tokio::test]
async fn a_source_gone_private_or_deleted_leaves_the_copy_whole_and_sends_no_update() {
    let app = TestApp::new().await;
    let mut w = world(&app).await;
    ada_updates(&app, &w).await;
    let before = app.db.curriculum(w.copy).await.unwrap().unwrap();
    app.db
        .set_curriculum_visibility(w.source, w.ada.id, Visibility::Private, Timestamp::now())
        .await
        .unwrap();
    let copy_url = format!("/curricula/{}", w.copy.0);
    assert!(
        w.bob
            .get(&copy_url)
            .await
            .texts("#update-available")
            .is_empty()
    );
    let page = w.bob.get(&format!("{copy_url}/upstream")).await;
    assert!(
        page.text("#no-update")
            .contains("no longer shared with you")
    );
    app.db.delete_curriculum(w.source, w.ada.id).await.unwrap();
    let page = w.bob.get(&format!("{copy_url}/upstream")).await;
    assert!(
        page.text("#no-update")
            .contains("no longer shared with you")
    );
    assert_eq!(app.db.curriculum(w.copy).await.unwrap().unwrap(), before);
}

#[tokio::test]
async fn the_api_previews_and_accepts_with_the_same_rules() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    ada_updates(&app, &w).await;
    let secret = token(&app, w.bob_user.id, TokenScope::ReadWrite).await;
    let path = format!("/api/v1/curricula/{}/upstream", w.copy.0);
    let preview = call(&app, "GET", &path, Some(&secret), None, &[]).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let body = preview.json();
    assert_eq!(body["merge"]["retired"][0]["id"], "d");
    assert_eq!(body["merge"]["retired"][0]["why"], "progress");
    assert_eq!(body["merge"]["removed"], serde_json::json!(["e"]));
    let request = serde_json::json!({
        "fork_version": body["fork_version"],
        "source_version": body["source_version"],
        "leave_out": ["f"],
    })
    .to_string();
    let accepted = call(&app, "POST", &path, Some(&secret), Some(&request), &[]).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    assert_eq!(accepted.json()["added"][0]["taken"], false);
    let merged = copy_of(&app, &w).await;
    assert!(merged.item(&item("f")).is_none(), "left out");
    let again = call(&app, "POST", &path, Some(&secret), Some(&request), &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let up_to_date = call(&app, "GET", &path, Some(&secret), None, &[]).await;
    assert_eq!(up_to_date.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn an_item_change_suggested_to_the_source_is_taken_or_declined_by_its_author() {
    let app = TestApp::new().await;
    let mut w = world(&app).await;
    let copy_url = format!("/curricula/{}", w.copy.0);
    let source_url = format!("/curricula/{}", w.source.0);
    // Bob's hours on a differ from the source's; he renames b too.
    let mine = app.db.curriculum(w.copy).await.unwrap().unwrap();
    let renamed = mine
        .source
        .replace("title = \"The book\"", "title = \"The book, annotated\"");
    app.db
        .update_curriculum(
            w.copy,
            w.bob_user.id,
            &mine.title,
            &renamed,
            Timestamp::now(),
        )
        .await
        .unwrap();
    let page = w.bob.get(&format!("{copy_url}/suggest")).await;
    assert_eq!(page.status, StatusCode::OK);
    let rows = page.texts(".suggestable li p");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].contains("Linear algebra") && rows[0].contains("hours"),
        "{rows:?}"
    );
    assert!(
        rows[1].contains("The book, annotated") && rows[1].contains("title"),
        "{rows:?}"
    );

    for (item, note) in [("a", "26 h is what it took me, twice."), ("b", "")] {
        let sent = w
            .bob
            .post(
                &format!("{copy_url}/suggest"),
                &[("item", item), ("note", note)],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    }
    let mut ada = w.ada_client.clone();
    let page = ada.get(&source_url).await;
    let suggestions = page.texts("#suggestions li");
    assert_eq!(suggestions.len(), 2, "{suggestions:?}");
    let a = suggestions
        .iter()
        .find(|s| s.contains("Linear algebra"))
        .unwrap();
    assert!(
        a.contains("@bob suggests") && a.contains("hours") && a.contains("twice"),
        "{a}"
    );

    // Each row's own forms: take a, decline b.
    let rows_html = page.html();
    let selector = scraper::Selector::parse("#suggestions li").unwrap();
    let mut accept = String::new();
    let mut decline = String::new();
    for li in rows_html.select(&selector) {
        let text: String = li.text().collect();
        let action = |kind: &str| {
            li.select(&scraper::Selector::parse("form").unwrap())
                .filter_map(|f| f.value().attr("action"))
                .find(|a| a.ends_with(kind))
                .unwrap()
                .to_owned()
        };
        if text.contains("Linear algebra") {
            accept = action("/accept");
        } else {
            decline = action("/decline");
        }
    }
    assert_eq!(ada.post(&accept, &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(ada.post(&decline, &[]).await.status, StatusCode::SEE_OTHER);
    let source = app.db.curriculum(w.source).await.unwrap().unwrap();
    let theirs = check_toml(&source.source).curriculum.unwrap();
    assert_eq!(
        theirs.item(&item("a")).unwrap().planned(None),
        Minutes::from_hours(26)
    );
    assert_eq!(
        theirs.item(&item("b")).unwrap().title,
        "The book",
        "declined"
    );
    let page = ada.get(&source_url).await;
    let tags = page.texts("#suggestions .tag");
    assert!(
        tags.contains(&"accepted".to_owned()) && tags.contains(&"declined".to_owned()),
        "{tags:?}"
    );
    assert_eq!(
        ada.post(&accept, &[]).await.status,
        StatusCode::BAD_REQUEST,
        "answered"
    );

    // a is now the same on both sides: nothing to suggest about it.
    let again = w
        .bob
        .post(
            &format!("{copy_url}/suggest"),
            &[("item", "a"), ("note", "")],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text("#suggest-error").contains("nothing to suggest"));
}
