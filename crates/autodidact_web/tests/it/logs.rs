//! Logging study time from the pages: the quick form, the list, editing and deleting.

use autodidact_core::accounts::{Handle, UserId};
use autodidact_core::curriculum::{ItemId, Minutes};
use autodidact_core::store::{
    AccountStore, CurriculumId, CurriculumStore, FollowId, LogKind, LogStore, NewLog, StudyLog,
    TimerStore, Visibility,
};
use autodidact_store::testing::{CurriculumBuilder, FollowBuilder};
use axum::http::StatusCode;
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};

use crate::support::{Client, TestApp};

pub const DEEP_LEARNING: &str = r#"title = "Deep learning"
hours_per_week = 10

[[phases]]
title = "Foundations"

[[phases.items]]
id = "fast-ai-part-1"
kind = "course"
title = "Practical Deep Learning"
hours = 20

[[phases.items]]
id = "linear-algebra"
kind = "book"
title = "Linear Algebra Done Right"
hours = 30
"#;

pub const MATHS: &str = r#"title = "Maths"

[[phases]]
title = "Algebra"

[[phases.items]]
id = "linear-algebra"
kind = "course"
title = "Linear algebra (MIT 18.06)"
hours = 40
"#;

/// A learner with a curriculum they follow.
pub struct Learner {
    pub client: Client,
    pub id: UserId,
    pub curriculum: CurriculumId,
    pub follow: FollowId,
}

pub async fn user_id(app: &TestApp, handle: &str) -> UserId {
    app.db
        .user_by_handle(&Handle::parse(handle).unwrap())
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Today in UTC, the zone every new account starts with.
pub fn today() -> Date {
    Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date()
}

pub async fn add_curriculum(
    app: &TestApp,
    owner: UserId,
    source: &str,
    visibility: Visibility,
) -> CurriculumId {
    let owner = app.db.user(owner).await.unwrap().unwrap();
    CurriculumBuilder::new(&owner, "")
        .source(source)
        .visibility(visibility)
        .create(&app.db)
        .await
        .id
}

pub async fn add_follow(
    app: &TestApp,
    user: UserId,
    curriculum: CurriculumId,
    budget: &str,
    start: Date,
) -> FollowId {
    let user = app.db.user(user).await.unwrap().unwrap();
    let curriculum = app.db.curriculum(curriculum).await.unwrap().unwrap();
    FollowBuilder::new(&user, &curriculum)
        .budget(budget)
        .start(start)
        .create(&app.db)
        .await
        .id
}

/// `handle` signed up, following the deep learning curriculum from today at 10 h a week.
pub async fn learner_following(app: &TestApp, handle: &str) -> Learner {
    learner_following_from(app, handle, today()).await
}

/// `handle` signed up, following the deep learning curriculum from `start` at 10 h a week.
pub async fn learner_following_from(app: &TestApp, handle: &str, start: Date) -> Learner {
    let client = app.learner(handle).await;
    let id = user_id(app, handle).await;
    let curriculum = add_curriculum(app, id, DEEP_LEARNING, Visibility::Private).await;
    let follow = add_follow(app, id, curriculum, "10", start).await;
    Learner {
        client,
        id,
        curriculum,
        follow,
    }
}

pub async fn add_log(app: &TestApp, user: UserId, minutes: u32, day: Date) -> StudyLog {
    app.db
        .add_log(NewLog {
            user,
            follow: None,
            item: None,
            minutes: Minutes::new(minutes),
            kind: LogKind::Learn,
            day,
            note: String::new(),
            idempotency_key: None,
            start_item: false,
            finish_item: false,
            now: Timestamp::now(),
        })
        .await
        .unwrap()
        .0
}

pub async fn logs_of(app: &TestApp, user: UserId) -> Vec<StudyLog> {
    app.db.recent_logs(user, 100).await.unwrap()
}

#[tokio::test]
async fn a_quick_log_from_any_page_shows_on_the_dashboard_and_in_the_log_list() {
    let app = TestApp::new().await;
    // Following since the week began, so the week asks for its whole 10 h.
    let monday = today()
        .checked_sub(i64::from(today().weekday().to_monday_zero_offset()).days())
        .unwrap();
    let mut ada = learner_following_from(&app, "ada", monday).await;
    let settings = ada.client.get("/settings").await;
    assert_eq!(settings.texts("form.quick-log-form").len(), 1);
    let choice = format!("{}:fast-ai-part-1", ada.follow.0);
    let resp = ada
        .client
        .post(
            "/logs",
            &[
                ("duration", "1.5h"),
                ("item", &choice),
                ("kind", "build"),
                ("date", &today().to_string()),
                ("note", "lesson 3"),
                ("return_to", "/settings"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    assert_eq!(resp.location(), Some("/settings#logged"));

    let logs = logs_of(&app, ada.id).await;
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].minutes, Minutes::new(90));
    assert_eq!(logs[0].kind, LogKind::Build);
    assert_eq!(logs[0].follow, Some(ada.follow));
    assert_eq!(logs[0].item, Some(ItemId::parse("fast-ai-part-1").unwrap()));

    let home = ada.client.get("/dashboard").await;
    let recent = home.text(".recent-logs li");
    // A log shows exactly what was logged; the week's hours are to the quarter hour.
    assert!(recent.contains("1 h 30 min"), "{recent}");
    assert!(recent.contains("Practical Deep Learning"), "{recent}");
    assert!(recent.contains("lesson 3"), "{recent}");
    assert!(home.text(".week-hours").starts_with("1.5 h of 10 h logged"));

    let list = ada.client.get("/logs").await;
    assert_eq!(list.texts("table.logs tbody tr").len(), 1);
    assert_eq!(list.text("table.logs td.duration"), "1 h 30 min");
    assert_eq!(list.text("table.logs td.kind"), "Build");
    assert!(
        list.text("table.logs td.item")
            .contains("Practical Deep Learning")
    );
    assert_eq!(list.text("table.logs td.note"), "lesson 3");
}

#[tokio::test]
async fn without_a_return_path_the_quick_log_goes_back_to_the_referring_page() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    ada.client.get("/").await;
    let csrf = ada.client.csrf.clone().unwrap();
    let request = ada
        .client
        .request("POST", "/logs")
        .header("content-type", "application/x-www-form-urlencoded")
        .header(
            "referer",
            format!(
                "{}/follows/{}?tab=plan#top",
                crate::support::ORIGIN,
                ada.follow.0
            ),
        )
        .body(axum::body::Body::from(format!("csrf={csrf}&duration=45")))
        .unwrap();
    let resp = ada.client.send(request).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    assert_eq!(
        resp.location(),
        Some(format!("/follows/{}?tab=plan#logged", ada.follow.0).as_str())
    );

    // Another site, as the return path: back to the dashboard instead.
    let resp = ada
        .client
        .post(
            "/logs",
            &[("duration", "45"), ("return_to", "https://evil.example/")],
        )
        .await;
    assert_eq!(resp.location(), Some("/#logged"));
    let resp = ada
        .client
        .post(
            "/logs",
            &[("duration", "45"), ("return_to", "//evil.example/")],
        )
        .await;
    assert_eq!(resp.location(), Some("/#logged"));
}

#[tokio::test]
async fn the_dashboards_quick_form_lists_followed_items_by_curriculum() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let maths = add_curriculum(&app, ada.id, MATHS, Visibility::Private).await;
    add_follow(&app, ada.id, maths, "5", today()).await;
    let home = ada.client.get("/").await;
    let html = home.html();
    let groups: Vec<String> = html
        .select(&scraper::Selector::parse("#ql-item optgroup").unwrap())
        .map(|g| g.value().attr("label").unwrap().to_owned())
        .collect();
    assert_eq!(groups, ["Deep learning", "Maths"]);
    assert_eq!(
        home.texts("#ql-item optgroup option"),
        [
            "Practical Deep Learning",
            "Linear Algebra Done Right",
            "Linear algebra (MIT 18.06)"
        ]
    );
    let date = html
        .select(&scraper::Selector::parse("#ql-date").unwrap())
        .next()
        .unwrap()
        .value()
        .attr("value")
        .unwrap()
        .to_owned();
    assert_eq!(date, today().to_string());
}

#[tokio::test]
async fn bad_minutes_date_and_item_are_refused_next_to_their_fields_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let bob = learner_following(&app, "bob").await;
    ada.client.get("/").await;
    let too_late = today().checked_add(2.days()).unwrap().to_string();
    let bobs_item = format!("{}:fast-ai-part-1", bob.follow.0);
    let resp = ada
        .client
        .post(
            "/logs",
            &[
                ("duration", "1441"),
                ("date", &too_late),
                ("item", &bobs_item),
                ("kind", "learn"),
                ("return_to", "/"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        resp.text("#duration-error").contains("1 to 1440 minutes"),
        "{}",
        resp.text("#duration-error")
    );
    assert!(
        resp.text("#date-error")
            .contains("more than a day after today"),
        "{}",
        resp.text("#date-error")
    );
    assert!(
        resp.text("#item-error").contains("You have no follow"),
        "{}",
        resp.text("#item-error")
    );
    // What was typed stays in the form.
    assert!(resp.body.contains("value=\"1441\""));

    for (duration, item, field, message) in [
        ("0", "", "#duration-error", "1 to 1440 minutes"),
        ("an hour", "", "#duration-error", "is not a duration"),
        (
            "30",
            &format!("{}:no-such-item", ada.follow.0) as &str,
            "#item-error",
            "No item “no-such-item”",
        ),
    ] {
        let resp = ada
            .client
            .post("/logs", &[("duration", duration), ("item", item)])
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{duration}");
        assert!(resp.text(field).contains(message), "{}", resp.text(field));
    }
    assert!(logs_of(&app, ada.id).await.is_empty());
    assert!(logs_of(&app, bob.id).await.is_empty());
}

#[tokio::test]
async fn a_double_submitted_quick_log_is_stored_once() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    ada.client.get("/").await;
    for _ in 0..2 {
        let resp = ada
            .client
            .post("/logs", &[("duration", "20m"), ("key", "form-key-1")])
            .await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER);
    }
    assert_eq!(logs_of(&app, ada.id).await.len(), 1);
}

#[tokio::test]
async fn a_log_can_be_edited_and_deleted() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let yesterday = today().yesterday().unwrap();
    let log = add_log(&app, ada.id, 90, yesterday).await;

    let edit = ada.client.get(&format!("/logs/{}/edit", log.id)).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.body.contains("value=\"90m\""), "{}", edit.body);
    assert!(edit.body.contains(&format!("value=\"{yesterday}\"")));

    let choice = format!("{}:linear-algebra", ada.follow.0);
    let resp = ada
        .client
        .post(
            &format!("/logs/{}", log.id),
            &[
                ("duration", "2h"),
                ("item", &choice),
                ("kind", "review"),
                ("date", &yesterday.to_string()),
                ("note", "chapter 2"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let month = yesterday.strftime("%Y-%m").to_string();
    assert_eq!(
        resp.location(),
        Some(format!("/logs?month={month}&notice=saved").as_str())
    );
    let stored = &logs_of(&app, ada.id).await[0];
    assert_eq!(stored.minutes, Minutes::new(120));
    assert_eq!(stored.kind, LogKind::Review);
    assert_eq!(stored.note, "chapter 2");
    assert_eq!(stored.item, Some(ItemId::parse("linear-algebra").unwrap()));

    let list = ada.client.get(resp.location().unwrap()).await;
    assert_eq!(list.text(".notice"), "The log is saved.");

    // A bad edit is refused in place and changes nothing.
    let resp = ada
        .client
        .post(&format!("/logs/{}", log.id), &[("duration", "-3")])
        .await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text("#duration-error").contains("is not a duration"));
    assert_eq!(logs_of(&app, ada.id).await[0].minutes, Minutes::new(120));

    let resp = ada
        .client
        .post(&format!("/logs/{}/delete", log.id), &[])
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    assert!(logs_of(&app, ada.id).await.is_empty());
    let list = ada.client.get(resp.location().unwrap()).await;
    assert_eq!(list.text(".notice"), "The log is deleted.");
}

#[tokio::test]
async fn another_learners_log_is_not_found_on_every_log_route() {
    let app = TestApp::new().await;
    let ada = learner_following(&app, "ada").await;
    let mut bob = learner_following(&app, "bob").await;
    let log = add_log(&app, ada.id, 30, today()).await;
    bob.client.get("/").await;

    let edit = bob.client.get(&format!("/logs/{}/edit", log.id)).await;
    assert_eq!(edit.status, StatusCode::NOT_FOUND);
    let update = bob
        .client
        .post(&format!("/logs/{}", log.id), &[("duration", "5h")])
        .await;
    assert_eq!(update.status, StatusCode::NOT_FOUND);
    let delete = bob
        .client
        .post(&format!("/logs/{}/delete", log.id), &[])
        .await;
    assert_eq!(delete.status, StatusCode::NOT_FOUND);
    for path in ["/logs/not-a-number/edit", "/logs/999999/edit"] {
        assert_eq!(bob.client.get(path).await.status, StatusCode::NOT_FOUND);
    }
    // Bob's list does not show it either.
    assert!(
        bob.client
            .get("/logs")
            .await
            .texts("table.logs tr")
            .is_empty()
    );

    let logs = logs_of(&app, ada.id).await;
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].minutes, Minutes::new(30));
}

#[tokio::test]
async fn the_log_list_goes_by_month_newest_first() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let this_month = today().first_of_month();
    let last_month = this_month.checked_sub(1.month()).unwrap();
    add_log(&app, ada.id, 30, this_month).await;
    add_log(&app, ada.id, 45, today()).await;
    add_log(&app, ada.id, 60, last_month).await;

    let list = ada.client.get("/logs").await;
    // Same day or not, the newer log comes first.
    assert_eq!(list.texts("table.logs td.duration"), ["45 min", "30 min"]);
    let previous = format!("/logs?month={}", last_month.strftime("%Y-%m"));
    assert!(list.body.contains(&previous));
    assert!(!list.body.contains("rel=\"next\""));
    let earlier = ada.client.get(&previous).await;
    assert_eq!(earlier.texts("table.logs td.duration"), ["1 h"]);
    assert!(earlier.body.contains("rel=\"next\""));
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in_and_see_no_quick_form() {
    let app = TestApp::new().await;
    let mut visitor = app.client();
    let resp = visitor.get("/logs").await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    assert_eq!(resp.location(), Some("/signin?next=/logs"));
    let landing = visitor.get("/").await;
    assert!(landing.texts("form.quick-log-form").is_empty());
}

#[tokio::test]
async fn a_timer_runs_on_the_server_across_pages_and_logs_to_its_item() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let item = format!("/follows/{}/items/linear-algebra", ada.follow.0);
    let page = ada.client.get(&item).await;
    assert_eq!(page.texts("#timer-start").len(), 1);
    assert!(page.texts("#timer").is_empty());
    // Started from the quick log, which is about this item on its page.
    let target = format!("{}:linear-algebra", ada.follow.0);
    let resp = ada
        .client
        .post(
            "/timer/start",
            &[
                ("item", target.as_str()),
                ("kind", "learn"),
                ("return_to", &item),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    assert_eq!(resp.location(), Some(format!("{item}#timer").as_str()));
    // Any page, any time later, shows it running.
    let home = ada.client.get("/logs").await;
    assert!(
        home.text("#timer")
            .contains("Linear Algebra Done Right: running since"),
        "{}",
        home.text("#timer")
    );
    assert!(home.texts("#timer-start").is_empty());
    // One at a time.
    let again = ada
        .client
        .post("/timer/start", &[("item", ""), ("kind", "learn")])
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(
        again
            .text("main")
            .contains("already running on “Linear Algebra Done Right”")
    );

    // 45 minutes later, stopping logs them on the item, dated today.
    app.execute(&format!(
        "UPDATE timers SET started_at = started_at - 2700 WHERE user_id = {}",
        ada.id.0
    ))
    .await;
    let resp = ada
        .client
        .post("/timer/stop", &[("return_to", "/logs")])
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    assert_eq!(resp.location(), Some("/logs#logged"));
    let logs = app.db.recent_logs(ada.id, 5).await.unwrap();
    assert_eq!(logs.len(), 1);
    let log = &logs[0];
    // Dated the day the timer started, which is yesterday in the first 45 minutes of a day.
    let started = (Timestamp::now() - jiff::SignedDuration::from_secs(2700))
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    assert_eq!((log.minutes.get(), log.day), (45, started));
    assert_eq!(
        log.item.as_ref().map(|i| i.as_str()),
        Some("linear-algebra")
    );
    assert!(app.db.timer(ada.id).await.unwrap().is_none());
    // Stopping again: there is nothing to stop.
    let none = ada.client.post("/timer/stop", &[]).await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    assert!(none.text("main").contains("No timer is running"));

    // A timer left running for more than a day is not logged; it is discarded by hand.
    ada.client.get("/logs").await;
    ada.client
        .post("/timer/start", &[("item", ""), ("kind", "build")])
        .await;
    app.execute(&format!(
        "UPDATE timers SET started_at = started_at - 30 * 3600 WHERE user_id = {}",
        ada.id.0
    ))
    .await;
    let long = ada.client.post("/timer/stop", &[]).await;
    assert_eq!(long.status, StatusCode::BAD_REQUEST);
    assert!(
        long.text("main")
            .contains("more than the 24 h a log can hold")
    );
    assert!(app.db.timer(ada.id).await.unwrap().is_some());
    ada.client.get("/logs").await;
    let discarded = ada.client.post("/timer/discard", &[]).await;
    assert_eq!(discarded.status, StatusCode::SEE_OTHER);
    assert!(app.db.timer(ada.id).await.unwrap().is_none());
    assert_eq!(app.db.recent_logs(ada.id, 5).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_quick_log_on_every_page_is_about_the_item_in_progress() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let follow = ada.follow.0;
    let selected = |page: &crate::support::Resp| page.attr("#ql-item option[selected]", "value");
    // Nothing started: the next item of the plan, on any page.
    for path in ["/week", "/commitments", "/settings"] {
        let page = ada.client.get(path).await;
        assert_eq!(
            selected(&page),
            Some(format!("{follow}:fast-ai-part-1")),
            "{path}"
        );
        assert_eq!(page.text("#ql-item option[value='']"), "Without an item");
    }
    // Once the second item is under way, it is the one.
    ada.client.get(&format!("/follows/{follow}/board")).await;
    ada.client
        .post(
            &format!("/follows/{follow}/items/linear-algebra/status"),
            &[("status", "doing")],
        )
        .await;
    let page = ada.client.get("/reviews").await;
    assert_eq!(selected(&page), Some(format!("{follow}:linear-algebra")));
    let plan = ada.client.get(&format!("/follows/{follow}")).await;
    assert_eq!(selected(&plan), Some(format!("{follow}:linear-algebra")));
}
