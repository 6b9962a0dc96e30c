//! The weekly summary page: time by item, finished items, next week's plan, other weeks.

use autodidact_core::curriculum::{ItemId, Minutes};
use autodidact_core::plan::start_of_week;
use autodidact_core::store::{LogKind, LogStore, NewLog, Visibility};
use axum::http::StatusCode;
use jiff::civil::Weekday;
use jiff::{Timestamp, ToSpan};

use crate::logs::{DEEP_LEARNING, add_curriculum, add_follow, add_log, today, user_id};
use crate::support::TestApp;

#[tokio::test]
async fn the_week_shows_hours_by_item_what_was_finished_and_next_weeks_items() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = user_id(&app, "ada").await;
    let monday = start_of_week(today(), Weekday::Monday);
    let curriculum = add_curriculum(&app, id, DEEP_LEARNING, Visibility::Private).await;
    let follow = add_follow(&app, id, curriculum, "10", monday).await;
    app.db
        .add_log(NewLog {
            user: id,
            follow: Some(follow),
            item: Some(ItemId::parse("fast-ai-part-1").unwrap()),
            minutes: Minutes::new(90),
            kind: LogKind::Build,
            day: today(),
            note: String::new(),
            idempotency_key: None,
            start_item: false,
            finish_item: false,
            now: Timestamp::now(),
        })
        .await
        .unwrap();
    add_log(&app, id, 30, today()).await;
    add_log(&app, id, 45, monday - 1.days()).await; // the week before
    let item = format!("/follows/{}/items/fast-ai-part-1", follow.0);
    ada.submit(&item, &format!("{item}/status"), &[("status", "done")])
        .await;

    let page = ada.get("/week").await;
    assert_eq!(page.status, StatusCode::OK);
    let heading = format!("Week of {}", crate::support::day_words(monday));
    assert_eq!(page.text("h1"), heading);
    assert!(page.text("title").starts_with(&heading));
    assert_eq!(page.text("#week-total"), "2 h");
    let rows = page.texts("#by-item tbody tr");
    assert_eq!(
        rows,
        [
            "Practical Deep Learning Deep learning 1.5 h",
            "Without an item — 30 min"
        ]
    );
    let kinds = page.text("#by-kind");
    assert!(kinds.contains("Build: 1.5 h (75%)"), "{kinds}");
    assert!(kinds.contains("Learn: 30 min (25%)"), "{kinds}");
    assert_eq!(page.texts("svg.wk-kinds-svg[role=img] title").len(), 1);
    let finished = page.texts(".wk-finished li");
    assert_eq!(finished.len(), 1);
    assert!(finished[0].starts_with("Practical Deep Learning"));
    // The fast.ai course is done: next week holds 10 h of the linear algebra book.
    let next = page.texts("#next-week .wk-planned li");
    assert_eq!(next, ["Linear Algebra Done Right 10 h"]);

    // The week before: its own log, nothing finished, and a link back.
    let before = ada.get(&format!("/week?start={}", monday - 7.days())).await;
    assert_eq!(before.status, StatusCode::OK);
    assert_eq!(before.text("#week-total"), "45 min");
    assert!(before.texts(".wk-finished li").is_empty());
    assert!(
        before
            .body
            .contains(&format!("href=\"/week?start={monday}\""))
    );
}

#[tokio::test]
async fn any_day_shows_its_week_and_a_bad_date_says_how_to_write_one() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let page = ada.get("/week?start=2026-11-18").await;
    assert_eq!(page.status, StatusCode::OK);
    let monday: jiff::civil::Date = "2026-11-16".parse().unwrap();
    assert_eq!(
        page.text("h1"),
        format!("Week of {}", crate::support::day_words(monday))
    );
    assert!(page.body.contains("href=\"/week?start=2026-11-09\""));
    assert!(page.body.contains("href=\"/week?start=2026-11-23\""));
    assert!(page.text("#no-hours").starts_with("Nothing logged"));

    let bad = ada.get("/week?start=next-tuesday").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("is not a date"), "{}", bad.body);
    assert!(bad.body.contains("year-month-day"));
}
