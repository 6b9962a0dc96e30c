//! Spaced review: marking a done item, grading it, stopping, who may do it, and the feed.

use autodidact_core::accounts::UserId;
use autodidact_core::curriculum::ItemId;
use autodidact_core::review::ReviewState;
use autodidact_core::store::ReviewStore;
use axum::http::StatusCode;
use jiff::{Timestamp, ToSpan};

use crate::logs::{learner_following, today};
use crate::support::{Client, TestApp};

const ITEM: &str = "fast-ai-part-1";

fn item() -> ItemId {
    ItemId::parse(ITEM).unwrap()
}

async fn finish(client: &mut Client, follow: i64) {
    let page = format!("/follows/{follow}/items/{ITEM}");
    let resp = client
        .submit(&page, &format!("{page}/status"), &[("status", "done")])
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
}

/// Marks the item as if it had been marked ten days ago, so that its review is due.
async fn mark_long_ago(app: &TestApp, follow: autodidact_core::store::FollowId, user: UserId) {
    let state = ReviewState::new(today() - 10.days());
    app.db
        .mark_review(
            follow,
            user,
            &item(),
            &state.to_json(),
            state.due,
            Timestamp::now(),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn only_a_done_item_can_be_marked_worth_revisiting() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let f = ada.follow.0;
    let page = ada.client.get(&format!("/follows/{f}/items/{ITEM}")).await;
    assert!(page.texts("#mark-review").is_empty());
    assert!(
        page.text("#review-status")
            .contains("Once the item is done")
    );
    let resp = ada
        .client
        .post(&format!("/follows/{f}/items/{ITEM}/review"), &[])
        .await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST);
    assert!(resp.body.contains("Finish the item first"), "{}", resp.body);
    assert!(app.db.reviews_of(ada.follow).await.unwrap().is_empty());

    finish(&mut ada.client, f).await;
    let page = ada.client.get(&format!("/follows/{f}/items/{ITEM}")).await;
    assert_eq!(page.text("#mark-review"), "Worth revisiting");
    let resp = ada
        .client
        .post(&format!("/follows/{f}/items/{ITEM}/review"), &[])
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    assert_eq!(
        resp.location(),
        Some(format!("/follows/{f}/items/{ITEM}?saved=review#review").as_str())
    );
    let stored = app.db.reviews_of(ada.follow).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].due, ReviewState::new(today()).due);
    // Marking again keeps the first mark and is no error.
    let again = ada
        .client
        .post(&format!("/follows/{f}/items/{ITEM}/review"), &[])
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(app.db.reviews_of(ada.follow).await.unwrap(), stored);

    let page = ada
        .client
        .get(&format!("/follows/{f}/items/{ITEM}?saved=review"))
        .await;
    assert!(
        page.text("#review-status")
            .starts_with("Marked worth revisiting")
    );
    assert!(page.texts("#mark-review").is_empty());
    // It is coming up, not due yet.
    let reviews = ada.client.get("/reviews").await;
    assert!(reviews.texts("#due-list li").is_empty());
    let upcoming = reviews.texts("table.rv-upcoming tbody tr");
    assert_eq!(upcoming.len(), 1);
    assert!(
        upcoming[0].contains("Practical Deep Learning"),
        "{upcoming:?}"
    );
    assert!(upcoming[0].contains("not reviewed yet"), "{upcoming:?}");

    let resp = ada
        .client
        .post(&format!("/follows/{f}/items/{ITEM}/review/stop"), &[])
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    assert!(app.db.reviews_of(ada.follow).await.unwrap().is_empty());
}

#[tokio::test]
async fn grading_a_due_review_good_moves_it_later_and_keeps_the_history() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let f = ada.follow.0;
    finish(&mut ada.client, f).await;
    mark_long_ago(&app, ada.follow, ada.id).await;
    let before = app.db.reviews_of(ada.follow).await.unwrap()[0].due;
    assert!(before < today());

    let page = ada.client.get("/reviews").await;
    let due = page.texts("#due-list li");
    assert_eq!(due.len(), 1, "{}", page.body);
    assert!(due[0].contains("Practical Deep Learning"));
    assert!(due[0].contains("Left over from before"), "{due:?}");
    let buttons = page.texts("#due-list li form.rv-grades button");
    assert_eq!(buttons.len(), 4, "{buttons:?}");

    let resp = ada
        .client
        .post(
            &format!("/follows/{f}/items/{ITEM}/review/grade"),
            &[("grade", "good"), ("return_to", "/reviews")],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    assert_eq!(resp.location(), Some("/reviews"));
    let after = app.db.reviews_of(ada.follow).await.unwrap()[0].clone();
    assert!(after.due > today() && after.due > before, "{after:?}");
    let events = app.db.review_events(ada.follow, &item()).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].grade.as_str(), events[0].day), ("good", today()));

    let page = ada.client.get("/reviews").await;
    assert!(page.texts("#due-list li").is_empty());
    let row = page.text("table.rv-upcoming tbody tr");
    assert!(row.contains("good on"), "{row}");

    // A foreign return path is not followed.
    let resp = ada
        .client
        .post(
            &format!("/follows/{f}/items/{ITEM}/review/grade"),
            &[("grade", "hard"), ("return_to", "//evil.example/")],
        )
        .await;
    assert_eq!(resp.location(), Some("/"));
}

#[tokio::test]
async fn grading_an_unmarked_item_is_404_and_a_bad_grade_is_400() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let f = ada.follow.0;
    finish(&mut ada.client, f).await;
    let grade = format!("/follows/{f}/items/{ITEM}/review/grade");
    let resp = ada.client.post(&grade, &[("grade", "good")]).await;
    assert_eq!(resp.status, StatusCode::NOT_FOUND);
    mark_long_ago(&app, ada.follow, ada.id).await;
    let resp = ada.client.post(&grade, &[("grade", "perfect")]).await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST);
    assert!(
        resp.body.contains("again, hard, good or easy"),
        "{}",
        resp.body
    );
    assert!(
        app.db
            .review_events(ada.follow, &item())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn another_learners_item_cannot_be_marked_graded_or_stopped() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let f = ada.follow.0;
    finish(&mut ada.client, f).await;
    let mut bob = app.learner("bob").await;
    bob.get("/reviews").await;
    let base = format!("/follows/{f}/items/{ITEM}/review");
    for path in [
        base.clone(),
        format!("{base}/grade"),
        format!("{base}/stop"),
    ] {
        let resp = bob.post(&path, &[("grade", "good")]).await;
        assert_eq!(resp.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(app.db.reviews_of(ada.follow).await.unwrap().is_empty());
    mark_long_ago(&app, ada.follow, ada.id).await;
    for path in [format!("{base}/grade"), format!("{base}/stop")] {
        let resp = bob.post(&path, &[("grade", "good")]).await;
        assert_eq!(resp.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(app.db.reviews_of(ada.follow).await.unwrap().len(), 1);
    let page = bob.get("/reviews").await;
    assert!(!page.body.contains("Practical Deep Learning"));
}

#[tokio::test]
async fn the_calendar_feed_has_an_event_for_a_marked_item() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let f = ada.follow.0;
    finish(&mut ada.client, f).await;
    mark_long_ago(&app, ada.follow, ada.id).await;
    ada.client.get(&format!("/follows/{f}")).await;
    let made = ada
        .client
        .post(&format!("/follows/{f}/calendar"), &[])
        .await;
    let feed = app.client().get(&made.feed_path()).await;
    assert_eq!(feed.status, StatusCode::OK);
    let body = feed.body.replace("\r\n ", "");
    assert!(
        body.contains("SUMMARY:Review: Practical Deep Learning\r\n"),
        "{body}"
    );
    let event = body
        .split("BEGIN:VEVENT")
        .find(|e| e.contains(&format!("UID:review-{f}-{ITEM}@")))
        .expect("a review event with a stable UID");
    // An overdue review is placed on today, never in the past.
    let today = today().strftime("%Y%m%d").to_string();
    assert!(
        event.contains(&format!("DTSTART;VALUE=DATE:{today}\r\n")),
        "{event}"
    );
}
