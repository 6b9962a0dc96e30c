//! The dashboard: what is next this week, the week's hours against the budget, the streak,
//! recent logs, and the empty states. The charts and the re-plan are in `insight.rs`.

use autodidact_core::accounts::{Settings, WeekStart, Zone};
use autodidact_core::store::{AccountStore, FollowStore, LogStore, Visibility};
use axum::http::StatusCode;
use jiff::civil::{Date, Weekday};
use jiff::{Timestamp, ToSpan};

use crate::logs::{
    DEEP_LEARNING, MATHS, add_curriculum, add_follow, add_log, learner_following, today, user_id,
};
use crate::support::TestApp;

fn start_of_week(day: Date, first: Weekday) -> Date {
    let back = day.weekday().since(first);
    day.checked_sub(i64::from(back).days()).unwrap()
}

#[tokio::test]
async fn a_learner_who_follows_nothing_is_offered_the_templates_and_a_first_log() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let home = ada.get("/dashboard").await;
    assert_eq!(home.status, StatusCode::OK);
    assert_eq!(
        home.text("#start h3"),
        "No curriculum yet: start from one of these"
    );
    assert_eq!(home.texts("#start .card").len(), 5);
    // Each card opens a preview before anything is copied.
    assert_eq!(
        home.attrs("#start .card a.button", "href"),
        [
            "/templates/deep-learning-in-six-months",
            "/templates/ml-and-dl-in-four-months",
            "/templates/ml-beginner-path",
            "/templates/ml-advanced-path",
            "/templates/back-to-basics-data-first"
        ]
    );
    assert!(!home.body.contains("action=\"/curricula/from-template\""));
    assert_eq!(
        home.text("#recent .empty"),
        "No study logged yet: log your first session above."
    );
    assert_eq!(home.text(".streak-days"), "No streak yet");
    // The quick form is there, without an item list: there is nothing to choose from.
    assert_eq!(home.texts("form.quick-log-form").len(), 1);
    assert!(home.texts("#ql-item").is_empty());
}

#[tokio::test]
async fn this_weeks_hours_count_against_the_sum_of_the_budgets_in_the_learners_week() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    // Both plans hold the whole week (a plan that starts mid-week asks for the days from its
    // start only): 10 h a week and 8 h on Mondays and Saturdays.
    let first = start_of_week(today(), Weekday::Sunday);
    let deep = app.db.follow(ada.follow).await.unwrap().unwrap();
    let mut settings = deep.stored_settings();
    settings.start = first;
    app.db
        .update_follow_plan(ada.follow, ada.id, &settings, Timestamp::now())
        .await
        .unwrap();
    let maths = add_curriculum(&app, ada.id, MATHS, Visibility::Private).await;
    add_follow(&app, ada.id, maths, "mon=2,sat=6", first).await;
    // Weeks start on Sunday for Ada.
    app.db
        .update_profile(
            ada.id,
            "Ada",
            &Settings {
                timezone: Zone::utc(),
                week_start: WeekStart(Weekday::Sunday),
                ..Settings::default()
            },
        )
        .await
        .unwrap();
    add_log(&app, ada.id, 90, first).await;
    add_log(&app, ada.id, 30, today()).await;
    add_log(&app, ada.id, 60, first.yesterday().unwrap()).await;

    let home = ada.client.get("/dashboard").await;
    assert_eq!(home.text(".week-hours"), "2 h of 18 h logged, 16 h to go.");
    let meter = home.html();
    let meter = meter
        .select(&scraper::Selector::parse("meter.week-meter").unwrap())
        .next()
        .unwrap();
    assert_eq!(meter.value().attr("max"), Some("1080"));
    assert_eq!(meter.value().attr("value"), Some("120"));
    let shown_first = home.text("#this-week .muted");
    assert!(
        shown_first.starts_with(&first.strftime("%a %-d %b").to_string()),
        "{shown_first}"
    );
    assert!(shown_first.starts_with("Sun"), "{shown_first}");
}

#[tokio::test]
async fn what_is_next_this_week_comes_from_each_follows_plan() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = user_id(&app, "ada").await;
    let curriculum = add_curriculum(&app, id, DEEP_LEARNING, Visibility::Private).await;
    let first = start_of_week(today(), Weekday::Monday);
    let follow = add_follow(&app, id, curriculum, "10", first).await;
    let log = app
        .db
        .add_log(autodidact_core::store::NewLog {
            follow: Some(follow),
            item: Some(autodidact_core::curriculum::ItemId::parse("fast-ai-part-1").unwrap()),
            // Enough that the learner is not behind the plan on any day of the week, logged
            // on its first day so that some of the week is always left to plan.
            day: first,
            ..new_log(id, 540)
        })
        .await
        .unwrap();
    assert!(log.1);

    let home = ada.get("/dashboard").await;
    assert_eq!(home.text(".follow-week h4"), "Deep learning");
    let items = home.texts(".week-items li");
    assert_eq!(items.len(), 1, "{items:?}");
    // The rest of the week from today, at 10 h a week: never more than the week's 10 h.
    let planned: f64 = items[0]
        .strip_prefix("Practical Deep Learning ")
        .and_then(|rest| rest.strip_suffix(" h (9 h logged)"))
        .unwrap_or_else(|| panic!("{}", items[0]))
        .parse()
        .unwrap();
    assert!(planned > 0.0 && planned <= 10.0, "{}", items[0]);
    assert!(home.texts(".follow-week .behind").is_empty());
    assert!(home.body.contains(&format!(
        "href=\"/follows/{}/items/fast-ai-part-1\"",
        follow.0
    )));
}

fn new_log(
    user: autodidact_core::accounts::UserId,
    minutes: u32,
) -> autodidact_core::store::NewLog {
    autodidact_core::store::NewLog {
        user,
        follow: None,
        item: None,
        minutes: autodidact_core::curriculum::Minutes::new(minutes),
        kind: autodidact_core::store::LogKind::Learn,
        day: today(),
        note: String::new(),
        idempotency_key: None,
        start_item: false,
        finish_item: false,
        now: Timestamp::now(),
    }
}

#[tokio::test]
async fn a_plan_that_starts_later_says_when() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = user_id(&app, "ada").await;
    let curriculum = add_curriculum(&app, id, DEEP_LEARNING, Visibility::Private).await;
    let later = today().checked_add(30.days()).unwrap();
    add_follow(&app, id, curriculum, "10", later).await;
    let home = ada.get("/dashboard").await;
    assert_eq!(
        home.text(".follow-week .status"),
        format!("The plan starts on {later}.")
    );
}

#[tokio::test]
async fn the_streak_counts_study_days_up_to_today_and_forgives_one_missed_day_a_week() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let t = today();
    for back in [0, 1, 2, 4] {
        add_log(&app, ada.id, 20, t.checked_sub(back.days()).unwrap()).await;
    }
    let home = ada.client.get("/dashboard").await;
    // Four study days; the one missed day in between is the week's rest day.
    assert_eq!(home.text(".streak-days"), "4 days");
    assert!(home.text("#streak .muted").is_empty());
    assert_eq!(
        home.text("#streak .streak-rules"),
        "A day counts with 15 min; 1 rest day a week and your breaks keep it. Change"
    );
}

#[tokio::test]
async fn a_day_under_the_minimum_does_not_count_for_the_streak() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    add_log(&app, ada.id, 10, today().yesterday().unwrap()).await;
    let home = ada.client.get("/dashboard").await;
    assert_eq!(home.text(".streak-days"), "No streak yet");
    assert_eq!(
        home.text("#streak .muted"),
        "Log 15 min today to start one."
    );
}

#[tokio::test]
async fn a_streak_ending_yesterday_still_counts_and_asks_for_today() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    add_log(&app, ada.id, 20, today().yesterday().unwrap()).await;
    let home = ada.client.get("/dashboard").await;
    assert_eq!(home.text(".streak-days"), "1 day");
    assert!(
        home.text("#streak .muted")
            .contains("Nothing logged today yet")
    );
}

#[tokio::test]
async fn a_long_streak_is_counted_from_the_whole_record() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    for back in 0..130 {
        add_log(&app, ada.id, 20, today().checked_sub(back.days()).unwrap()).await;
    }
    let home = ada.client.get("/dashboard").await;
    assert_eq!(home.text(".streak-days"), "130 days");
    let streak = home.html();
    let days = streak
        .select(&scraper::Selector::parse(".streak-days").unwrap())
        .next()
        .unwrap();
    assert_eq!(days.value().attr("data-days"), Some("130"));
}
