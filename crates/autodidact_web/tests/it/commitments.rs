//! Commitments without money: raising counts at once, lowering waits, and the record keeps
//! every week and every request.

use autodidact_core::curriculum::Minutes;
use autodidact_core::plan::start_of_week;
use autodidact_core::store::{AccountStore, CommitmentStore, CurriculumStore, Visibility};
use autodidact_store::testing::FollowBuilder;
use axum::http::StatusCode;
use jiff::civil::{Date, Weekday};
use jiff::{Timestamp, ToSpan};

use crate::logs::{DEEP_LEARNING, add_curriculum, add_log, today, user_id};
use crate::support::TestApp;

/// As the page writes a day: `Sat 28 Nov`, with the year when it is not this year's.
fn day_label(day: Date) -> String {
    if day.year() == today().year() {
        day.strftime("%a %-d %b").to_string()
    } else {
        day.strftime("%a %-d %b %Y").to_string()
    }
}

#[tokio::test]
async fn raising_counts_at_once_and_lowering_waits_for_the_delay() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = user_id(&app, "ada").await;
    let page = ada.get("/commitments").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.text("#in-force"),
        "You have not made a commitment yet."
    );

    let resp = ada.post("/commitments", &[("hours", "8")]).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    assert_eq!(resp.location(), Some("/commitments?saved=raised"));
    let page = ada.get("/commitments").await;
    assert_eq!(page.text("#in-force"), "8 h a week is in force.");
    assert!(page.texts(".cm-pending").is_empty());

    let resp = ada.post("/commitments", &[("hours", "5")]).await;
    assert_eq!(resp.location(), Some("/commitments?saved=waiting"));
    let page = ada.get("/commitments?saved=waiting").await;
    assert_eq!(page.text("#in-force"), "8 h a week is in force.");
    let effective = today() + 7.days();
    assert_eq!(
        page.texts(".cm-pending"),
        [format!(
            "Lowering to 5 h takes effect on {}; until then 8 h a week stands.",
            day_label(effective)
        )]
    );
    let requests = page.texts("table.cm-requests tbody tr");
    assert_eq!(requests.len(), 2);
    assert!(
        requests[0].contains(&format!("waits until {}", day_label(effective))),
        "{requests:?}"
    );
    assert!(requests[1].contains("took effect at once"), "{requests:?}");

    let stored = app.db.commitments(id).await.unwrap();
    let values: Vec<_> = stored.iter().map(|c| (c.requested_on, c.weekly)).collect();
    assert_eq!(
        values,
        [
            (today(), Some(Minutes::new(480))),
            (today(), Some(Minutes::new(300)))
        ]
    );

    // Raising again counts at once and cancels the pending lowering.
    ada.post("/commitments", &[("hours", "8.5")]).await;
    let page = ada.get("/commitments").await;
    assert_eq!(page.text("#in-force"), "8.5 h a week is in force.");
    assert!(page.texts(".cm-pending").is_empty());
}

#[tokio::test]
async fn pausing_waits_too_and_says_so() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    ada.submit("/commitments", "/commitments", &[("hours", "6")])
        .await;
    let resp = ada
        .post("/commitments", &[("hours", ""), ("pause", "1")])
        .await;
    assert_eq!(resp.location(), Some("/commitments?saved=waiting"));
    let page = ada.get("/commitments").await;
    assert_eq!(page.text("#in-force"), "6 h a week is in force.");
    assert_eq!(
        page.text(".cm-pending"),
        format!(
            "Pausing takes effect on {}; until then 6 h a week stands.",
            day_label(today() + 7.days())
        )
    );
}

#[tokio::test]
async fn the_record_shows_a_missed_week_and_the_buffer_behind() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = user_id(&app, "ada").await;
    let this_week = start_of_week(today(), Weekday::Monday);
    let first = this_week - 14.days();
    app.db
        .add_commitment(id, first, Some(Minutes::from_hours(8)), Timestamp::now())
        .await
        .unwrap();
    add_log(&app, id, 9 * 60, first).await; // kept
    add_log(&app, id, 60, first + 7.days()).await; // missed

    let page = ada.get("/commitments").await;
    let rows = page.texts("table.cm-weeks tbody tr");
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows[0].ends_with("in progress"), "{rows:?}");
    assert!(
        rows[1].starts_with(&day_label(first + 7.days())),
        "{rows:?}"
    );
    assert!(rows[1].contains("1 h"), "{rows:?}");
    assert_eq!(page.texts("table.cm-weeks tr.cm-missed").len(), 1);
    assert!(rows[1].ends_with("missed"), "{rows:?}");
    assert!(rows[2].ends_with("kept"), "{rows:?}");
    assert!(page.body.contains("1 week kept, 1 missed."));
    let buffer = page.text("#buffer");
    assert!(buffer.contains("behind"), "{buffer}");
    assert_eq!(page.texts("#buffer.cm-behind").len(), 1);
}

#[tokio::test]
async fn hours_out_of_bounds_are_refused_next_to_the_field() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = user_id(&app, "ada").await;
    ada.get("/commitments").await;
    for bad in ["0.1", "101", "eight", ""] {
        let resp = ada.post("/commitments", &[("hours", bad)]).await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let message = resp.text("#hours-error");
        assert!(
            message.contains("0.25 and 100") || message.contains("as a number"),
            "{bad}: {message}"
        );
        assert_eq!(
            resp.html()
                .select(&scraper::Selector::parse("#hours").unwrap())
                .next()
                .unwrap()
                .value()
                .attr("value"),
            Some(bad)
        );
    }
    assert!(app.db.commitments(id).await.unwrap().is_empty());
}

#[tokio::test]
async fn setting_the_delay_to_zero_does_not_make_lowering_instant() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    ada.get("/commitments").await;
    ada.post("/commitments", &[("hours", "10")]).await;

    // The delay goes to 0: it holds only after the 7 days in force.
    ada.get("/settings").await;
    let resp = ada
        .post(
            "/settings/pacing",
            &[
                ("streak_min_minutes", "15"),
                ("rest_days_per_week", "1"),
                ("ceiling_percent", "150"),
                ("making_threshold_percent", "20"),
                ("loosen_delay_days", "0"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let settings = ada.get("/settings").await;
    let effective = today() + 7.days();
    assert!(
        settings.text("#delay-pending").starts_with(&format!(
            "A lower commitment waits 7 days until {effective}"
        )),
        "{}",
        settings.text("#delay-pending")
    );

    let resp = ada.post("/commitments", &[("hours", "2")]).await;
    assert_eq!(resp.location(), Some("/commitments?saved=waiting"));
    let page = ada.get("/commitments").await;
    assert_eq!(page.text("#in-force"), "10 h a week is in force.");
    assert_eq!(
        page.texts(".cm-pending"),
        [format!(
            "Lowering to 2 h takes effect on {}; until then 10 h a week stands.",
            day_label(effective)
        )]
    );
}

#[tokio::test]
async fn a_break_declared_ahead_excuses_its_week_and_one_declared_late_does_not() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = user_id(&app, "ada").await;
    let this_week = start_of_week(today(), Weekday::Monday);
    let first = this_week - 21.days();
    app.db
        .add_commitment(id, first, Some(Minutes::from_hours(7)), Timestamp::now())
        .await
        .unwrap();
    // Two weeks ago was a holiday declared three weeks ago; last week's Thursday to Sunday
    // were declared off on its own Wednesday, too late to count.
    let user = app.db.user(id).await.unwrap().unwrap();
    let curriculum = add_curriculum(&app, id, DEEP_LEARNING, Visibility::Private).await;
    let curriculum = app.db.curriculum(curriculum).await.unwrap().unwrap();
    let holiday = format!("{}..{}", first + 7.days(), first + 13.days());
    let late = format!("{}..{}", this_week - 4.days(), this_week - 1.days());
    FollowBuilder::new(&user, &curriculum)
        .start(first)
        .with_break_declared(&holiday, first)
        .with_break_declared(&late, this_week - 5.days())
        .create(&app.db)
        .await;
    add_log(&app, id, 7 * 60, first).await; // kept

    let page = ada.get("/commitments").await;
    let rows = page.texts("table.cm-weeks tbody tr");
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(rows[1].ends_with("missed"), "{rows:?}");
    assert!(
        rows[2].starts_with(&day_label(first + 7.days())),
        "{rows:?}"
    );
    assert!(rows[2].contains("7 days excused"), "{rows:?}");
    assert!(
        rows[2].ends_with("excused: a break declared ahead"),
        "{rows:?}"
    );
    assert!(rows[3].ends_with("kept"), "{rows:?}");
    assert_eq!(page.texts("table.cm-weeks tr.cm-excused").len(), 1);
    assert!(page.body.contains("1 week kept, 1 missed."));
}
