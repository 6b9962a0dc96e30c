//! The dashboard's insight: the heatmap, weekly bars, burn-up and forecast, kind re-planning,
//! the balance nudge, calibration, the burnout guard and its dismissal, the commitment buffer,
//! due reviews, and the pacing settings.

use autodidact_core::accounts::UserId;
use autodidact_core::curriculum::{ItemId, Minutes};
use autodidact_core::review::ReviewState;
use autodidact_core::store::{
    AccountStore, CommitmentStore, FollowId, FollowStore, InsightStore, ItemStatus, LogKind,
    LogStore, NewLog, ReviewStore, Visibility,
};
use axum::http::StatusCode;
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};

use crate::logs::{
    DEEP_LEARNING, add_curriculum, add_follow, add_log, learner_following, learner_following_from,
    today, user_id,
};
use crate::support::{Client, TestApp};

fn days_ago(n: i64) -> Date {
    today().checked_sub(n.days()).unwrap()
}

/// A log of `minutes` of `kind` on `day`, for `follow` and `item` when given.
async fn log(
    app: &TestApp,
    user: UserId,
    place: Option<(FollowId, &str)>,
    kind: LogKind,
    minutes: u32,
    day: Date,
) {
    app.db
        .add_log(NewLog {
            user,
            follow: place.map(|(f, _)| f),
            item: place.map(|(_, i)| ItemId::parse(i).unwrap()),
            minutes: Minutes::new(minutes),
            kind,
            day,
            note: String::new(),
            idempotency_key: None,
            start_item: false,
            finish_item: false,
            now: Timestamp::now(),
        })
        .await
        .unwrap();
}

/// Ada, following the deep learning curriculum (50 h) at 5 h a week since four weeks ago,
/// with one hour logged on its first item ten days ago.
async fn ada_behind(app: &TestApp) -> (Client, UserId, FollowId) {
    let client = app.learner("ada").await;
    let id = user_id(app, "ada").await;
    let curriculum = add_curriculum(app, id, DEEP_LEARNING, Visibility::Private).await;
    let follow = add_follow(app, id, curriculum, "5", days_ago(28)).await;
    log(
        app,
        id,
        Some((follow, "fast-ai-part-1")),
        LogKind::Learn,
        60,
        days_ago(10),
    )
    .await;
    (client, id, follow)
}

#[tokio::test]
async fn the_heatmap_shows_a_logged_day_with_its_time() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let day = days_ago(3);
    add_log(&app, ada.id, 60, day).await;
    add_log(&app, ada.id, 30, day).await;
    let home = ada.client.get("/dashboard").await;
    let title = home.text(&format!("#heatmap rect[data-day=\"{day}\"] title"));
    assert_eq!(
        title,
        format!("{}: 1 h 30 min", day.strftime("%a %-d %b %Y"))
    );
    assert_eq!(
        home.attr(&format!("#heatmap rect[data-day=\"{day}\"]"), "class")
            .as_deref(),
        Some("heat level-3")
    );
    assert_eq!(
        home.text("#heatmap .heat-summary"),
        "1 h 30 min over 1 day in the last year"
    );
    assert_eq!(home.texts("#heatmap svg.heat-svg rect").len(), {
        // Whole weeks from the week start a year back, to today.
        let first = start_of_week(days_ago(364));
        usize::try_from((today() - first).get_days()).unwrap() + 1
    });
    assert!(home.text("#heatmap .heat-legend").contains("3 h or more"));
}

fn start_of_week(day: Date) -> Date {
    day.checked_sub(i64::from(day.weekday().to_monday_zero_offset()).days())
        .unwrap()
}

#[tokio::test]
async fn the_weekly_bars_are_drawn_against_the_budget() {
    let app = TestApp::new().await;
    // Following from the start of this week: the weeks before it have no budget.
    let first = start_of_week(today());
    let mut ada = learner_following_from(&app, "ada", first).await;
    add_log(&app, ada.id, 120, today()).await;
    let home = ada.client.get("/dashboard").await;
    assert_eq!(
        home.texts("#weekly-hours line.budget-line title"),
        [format!(
            "Budget the week of {}: 10 h",
            first.strftime("%a %-d %b %Y")
        )]
    );
    assert_eq!(home.texts("#weekly-hours rect.wbar").len(), 12);
    let current = home.texts("#weekly-hours rect.wbar.current title");
    assert_eq!(current.len(), 1);
    assert!(current[0].ends_with(": 2 h of 10 h so far"), "{current:?}");
    assert_eq!(home.texts("#weekly-hours details tbody tr").len(), 12);
}

#[tokio::test]
async fn a_learner_behind_the_plan_sees_by_how_much_and_two_kind_ways_to_plan_again() {
    let app = TestApp::new().await;
    let (mut ada, _, follow) = ada_behind(&app).await;
    let home = ada.get("/dashboard").await;
    let card = format!("#follow-{}", follow.0);
    let behind = home.text(&format!("{card} .behind"));
    assert!(
        behind.starts_with("You are ")
            && behind.contains(" days) behind the plan you accepted, which ends on "),
        "{behind}"
    );
    let hours: u32 = behind["You are ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((15..=22).contains(&hours), "{behind}");
    // The form offers both choices, each with its figure.
    let choices = home.texts(&format!("{card} form.replan label.choice"));
    assert_eq!(choices.len(), 2, "{choices:?}");
    assert!(
        choices[0].starts_with("Keep the end date (") && choices[0].ends_with(" a week from today"),
        "{choices:?}"
    );
    assert!(
        choices[1].starts_with("Keep 5 h a week: finish on "),
        "{choices:?}"
    );
    assert_eq!(
        home.attr(&format!("{card} form.replan"), "action"),
        Some(format!("/follows/{}/replan", follow.0))
    );
    // What is next: the rest of this week in the rolling plan, which carries the unfinished
    // work forward from today: the item in progress first, at most the week's 5 h.
    let items = home.texts(&format!("{card} .week-items li"));
    assert!(!items.is_empty() && items.len() <= 2, "{items:?}");
    assert!(
        items[0].starts_with("Practical Deep Learning "),
        "{items:?}"
    );
    assert!(
        !home
            .body
            .contains("The plan put the remaining work before this week")
    );
    // The burn-up has the plan, the earned line and today, and no forecast yet.
    let burnup = format!("#burnup-{}", follow.0);
    assert_eq!(
        home.texts(&format!("{burnup}.burnup polyline.plan-line"))
            .len(),
        1
    );
    assert_eq!(
        home.texts(&format!("{burnup} polyline.earned-line")).len(),
        1
    );
    assert!(
        home.texts(&format!("{burnup} polyline.plan-old"))
            .is_empty()
    );
    assert_eq!(home.texts(&format!("{burnup} line.today-line")).len(), 1);
}

#[tokio::test]
async fn without_study_on_a_curriculum_there_is_no_forecast_yet() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    add_log(&app, ada.id, 120, days_ago(9)).await; // not on the curriculum
    let home = ada.client.get("/dashboard").await;
    let burnup = format!("#burnup-{}", ada.follow.0);
    assert_eq!(
        home.text(&format!("{burnup} .forecast")),
        "Log a few weeks of study to see a forecast."
    );
    assert!(home.texts(&format!("{burnup} polygon")).is_empty());
    let summary = home.text(&format!("{burnup} .burnup-summary"));
    assert!(
        summary.starts_with("Earned 0 min of 50 h; the plan asks for "),
        "{summary}"
    );
}

#[tokio::test]
async fn keeping_the_budget_moves_the_end_date_and_keeps_the_old_plan_faded() {
    let app = TestApp::new().await;
    let (mut ada, _, follow) = ada_behind(&app).await;
    let card = format!("#follow-{}", follow.0);
    let before = ada
        .get("/dashboard")
        .await
        .text(&format!("{card} .plan-end"));
    let resp = ada
        .post(
            &format!("/follows/{}/replan", follow.0),
            &[("mode", "keep-budget")],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    assert_eq!(
        resp.location(),
        Some(format!("/dashboard#follow-{}", follow.0).as_str())
    );

    let home = ada.get("/dashboard").await;
    let after = home.text(&format!("{card} .plan-end"));
    assert!(after.starts_with("The plan ends on "), "{after}");
    // The dashboard already gave the rolling plan's end (the work left at the same hours from
    // today): keeping the budget accepts that plan, so the date stays and the learner is no
    // longer behind.
    assert_eq!(after, before);
    assert!(home.text(&format!("{card} .behind")).is_empty());
    assert_eq!(
        home.texts(&format!("#burnup-{} polyline.plan-old", follow.0))
            .len(),
        1
    );
    let revisions = app.db.plan_revisions(follow).await.unwrap();
    assert_eq!(revisions.len(), 1);
    assert_eq!(revisions[0].budget.to_string(), "5");
    assert_eq!(revisions[0].start, days_ago(28));
    let now = app.db.follow(follow).await.unwrap().unwrap();
    assert_eq!(
        (now.budget.to_string(), now.start),
        ("5".to_owned(), today())
    );
}

#[tokio::test]
async fn keeping_the_end_date_asks_for_more_hours_a_week() {
    let app = TestApp::new().await;
    let (mut ada, _, follow) = ada_behind(&app).await;
    let home = ada.get("/dashboard").await;
    let label = home.texts(&format!("#follow-{} label.choice", follow.0))[0].clone();
    let weekly: f64 = label
        .split("): ")
        .nth(1)
        .and_then(|rest| rest.split(" h").next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(weekly > 5.0, "{label}");
    let resp = ada
        .post(
            &format!("/follows/{}/replan", follow.0),
            &[("mode", "keep-end"), ("budget", "1")],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let stored = app.db.follow(follow).await.unwrap().unwrap();
    let budget = stored.budget;
    // Computed again on the server, whatever the form said.
    assert!(
        budget.weekly_total() > Minutes::from_hours(5),
        "{}",
        stored.budget
    );
    assert_eq!(stored.start, today());
}

/// The weekly table's rows, newest first: (week, budget).
fn budget_rows(home: &crate::support::Resp) -> Vec<(String, String)> {
    home.texts("#weekly-hours tbody tr")
        .iter()
        .zip(home.texts("#weekly-hours tbody tr td:last-child"))
        .map(|(row, budget)| (row.split(' ').take(2).collect::<Vec<_>>().join(" "), budget))
        .collect()
}

#[tokio::test]
async fn a_re_plan_leaves_the_budget_of_past_weeks_as_it_was() {
    let app = TestApp::new().await;
    let (mut ada, _, follow) = ada_behind(&app).await;
    let before = budget_rows(&ada.get("/dashboard").await);
    // Four weeks at 5 h: the complete weeks since the start ask for 5 h each.
    assert!(
        before.iter().skip(1).take(3).all(|(_, b)| b == "5 h"),
        "{before:?}"
    );
    let resp = ada
        .post(
            &format!("/follows/{}/replan", follow.0),
            &[("mode", "keep-end")],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let stored = app.db.follow(follow).await.unwrap().unwrap();
    assert!(stored.budget.weekly_total() > Minutes::from_hours(5));
    let after = budget_rows(&ada.get("/dashboard").await);
    // Every past week keeps its budget; this week's changes from today on.
    assert_eq!(after[1..], before[1..]);
    assert_ne!(after[0], before[0]);
    let history = stored.budget_history.changes();
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[1].from, today());
}

#[tokio::test]
async fn a_re_plan_with_an_unknown_mode_is_refused_with_a_message() {
    let app = TestApp::new().await;
    let (mut ada, _, follow) = ada_behind(&app).await;
    ada.get("/dashboard").await;
    let resp = ada
        .post(
            &format!("/follows/{}/replan", follow.0),
            &[("mode", "faster")],
        )
        .await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST);
    assert!(resp.text("main").contains("Choose how to re-plan"));
    assert!(app.db.plan_revisions(follow).await.unwrap().is_empty());
}

#[tokio::test]
async fn another_learner_cannot_re_plan_my_follow() {
    let app = TestApp::new().await;
    let (_, _, follow) = ada_behind(&app).await;
    let before = app.db.follow(follow).await.unwrap();
    let mut bob = app.learner("bob").await;
    bob.get("/dashboard").await;
    let resp = bob
        .post(
            &format!("/follows/{}/replan", follow.0),
            &[("mode", "keep-budget")],
        )
        .await;
    assert_eq!(resp.status, StatusCode::NOT_FOUND);
    assert_eq!(app.db.follow(follow).await.unwrap(), before);
    assert!(app.db.plan_revisions(follow).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_forecast_appears_after_complete_weeks_of_study() {
    let app = TestApp::new().await;
    let (mut ada, id, follow) = ada_behind(&app).await;
    for back in [8, 15, 22] {
        log(
            &app,
            id,
            Some((follow, "linear-algebra")),
            LogKind::Learn,
            240,
            days_ago(back),
        )
        .await;
    }
    let home = ada.get("/dashboard").await;
    let forecast = home.text(&format!("#burnup-{} .forecast", follow.0));
    // A stated probability, a range and its middle, the pace it comes from and the plan.
    assert!(
        forecast.starts_with("You finish 80 % likely between "),
        "{forecast}"
    );
    assert!(forecast.contains(", most likely "), "{forecast}");
    assert!(forecast.contains("at your pace of the last "), "{forecast}");
    assert!(forecast.contains("(plan: "), "{forecast}");
    assert_eq!(
        home.texts(&format!("#burnup-{} polygon.forecast-band", follow.0))
            .len(),
        1
    );
}

#[tokio::test]
async fn a_month_of_only_reading_brings_the_nudge_to_make_something() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    for back in (0..28).step_by(3) {
        log(&app, ada.id, None, LogKind::Learn, 60, days_ago(back)).await;
    }
    let home = ada.client.get("/dashboard").await;
    assert_eq!(
        home.text("#balance .nudge"),
        "You have learned a lot; build something with it."
    );
    assert!(home.text("#balance").contains("0% making"));
}

#[tokio::test]
async fn a_third_of_building_keeps_the_nudge_away() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    for back in (0..28).step_by(3) {
        log(&app, ada.id, None, LogKind::Learn, 42, days_ago(back)).await;
        log(&app, ada.id, None, LogKind::Build, 18, days_ago(back)).await;
    }
    let home = ada.client.get("/dashboard").await;
    assert!(home.texts("#balance .nudge").is_empty());
    assert!(
        home.text("#balance").contains("30% making"),
        "{}",
        home.text("#balance")
    );
}

#[tokio::test]
async fn calibration_compares_logged_time_with_the_estimate_of_finished_items() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let empty = ada.client.get("/dashboard").await;
    assert!(
        empty
            .text("#calibration .calibration-sentence")
            .contains("after your first finished item")
    );
    // 30 h on a 20 h course.
    for back in [1, 2] {
        log(
            &app,
            ada.id,
            Some((ada.follow, "fast-ai-part-1")),
            LogKind::Learn,
            900,
            days_ago(back),
        )
        .await;
    }
    app.db
        .set_item_status(
            ada.follow,
            ada.id,
            &ItemId::parse("fast-ai-part-1").unwrap(),
            ItemStatus::Done,
            Timestamp::now(),
        )
        .await
        .unwrap();
    let home = ada.client.get("/dashboard").await;
    assert_eq!(
        home.text("#calibration .calibration-sentence"),
        "You take 1.5× the estimate overall; 1.5× on courses."
    );
}

#[tokio::test]
async fn ten_days_without_rest_bring_a_calm_note_that_can_be_dismissed() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    for back in 0..10 {
        add_log(&app, ada.id, 30, days_ago(back)).await;
    }
    let home = ada.client.get("/dashboard").await;
    let note = home.text("#burnout .rest-note p");
    assert!(
        note.starts_with("10 days in a row without a rest day."),
        "{note}"
    );
    let key = home.attr("#burnout input[name=key]", "value").unwrap();
    assert_eq!(key, format!("no-rest:{}", days_ago(9)));

    let forged = ada
        .client
        .post("/insight/dismiss", &[("key", "no-rest:soon")])
        .await;
    assert_eq!(forged.status, StatusCode::BAD_REQUEST);
    assert!(app.db.dismissals(ada.id).await.unwrap().is_empty());

    ada.client.get("/dashboard").await;
    let resp = ada.client.post("/insight/dismiss", &[("key", &key)]).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    assert_eq!(resp.location(), Some("/dashboard"));
    let home = ada.client.get("/dashboard").await;
    assert!(home.texts("#burnout").is_empty());
    assert_eq!(app.db.dismissals(ada.id).await.unwrap(), vec![key]);
}

#[tokio::test]
async fn a_week_over_the_ceiling_is_named_with_its_hours() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    for back in 0..4 {
        add_log(&app, ada.id, 240, days_ago(back)).await;
    }
    let home = ada.client.get("/dashboard").await;
    assert_eq!(
        home.text("#burnout .rest-note p"),
        "The last 7 days held 16 h, above your sustainable 15 h. Rest is part of the plan."
    );
}

#[tokio::test]
async fn a_commitment_in_force_shows_how_far_ahead_the_learner_is() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    app.db
        .add_commitment(
            ada.id,
            days_ago(6),
            Some(Minutes::from_hours(7)),
            Timestamp::now(),
        )
        .await
        .unwrap();
    // 7 h a week is an hour a day: 7 days of line, 11 h logged is 4 days ahead.
    add_log(&app, ada.id, 660, days_ago(1)).await;
    let home = ada.client.get("/dashboard").await;
    assert_eq!(
        home.text("#buffer"),
        "Commitment 4 days ahead of your 7 h a week commitment"
    );
    assert_eq!(
        home.attr("#buffer a", "href").as_deref(),
        Some("/commitments")
    );
}

#[tokio::test]
async fn due_reviews_are_listed_with_links() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let none = ada.client.get("/dashboard").await;
    assert_eq!(none.text("#due-reviews .muted"), "Nothing to review today.");
    let item = ItemId::parse("linear-algebra").unwrap();
    app.db
        .mark_review(
            ada.follow,
            ada.id,
            &item,
            &ReviewState::new(days_ago(5)).to_json(),
            days_ago(1),
            Timestamp::now(),
        )
        .await
        .unwrap();
    let home = ada.client.get("/dashboard").await;
    assert_eq!(
        home.texts("#due-reviews li a"),
        vec!["Linear Algebra Done Right".to_owned()]
    );
    assert!(home.body.contains(&format!(
        "href=\"/follows/{}/items/linear-algebra\"",
        ada.follow.0
    )));
    assert_eq!(
        home.attr("#due-reviews p a", "href").as_deref(),
        Some("/reviews")
    );
}

#[tokio::test]
async fn pacing_settings_are_saved_and_a_bad_value_is_explained() {
    let app = TestApp::new().await;
    let mut ada = learner_following(&app, "ada").await;
    let page = ada.client.get("/settings").await;
    assert_eq!(
        page.attr("#streak_min_minutes", "value").as_deref(),
        Some("15")
    );
    let fields = |rest: &'static str| {
        vec![
            ("streak_min_minutes", "30"),
            ("rest_days_per_week", rest),
            ("ceiling_percent", "200"),
            ("making_threshold_percent", "10"),
            ("loosen_delay_days", "14"),
        ]
    };
    let bad = ada.client.post("/settings/pacing", &fields("5")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.text("#rest_days_per_week-error"),
        "Rest days a week go from 0 to 3."
    );
    assert_eq!(
        bad.attr("#rest_days_per_week", "value").as_deref(),
        Some("5")
    );
    let words = ada.client.post("/settings/pacing", &fields("two")).await;
    assert_eq!(words.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        words.text("#rest_days_per_week-error"),
        "Write a whole number."
    );
    let user = app.db.user(ada.id).await.unwrap().unwrap();
    assert_eq!(user.settings.pacing.rest_days_per_week, 1);

    let ok = ada.client.post("/settings/pacing", &fields("2")).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let user = app.db.user(ada.id).await.unwrap().unwrap();
    let p = user.settings.pacing;
    assert_eq!(
        (
            p.streak_min_minutes,
            p.rest_days_per_week,
            p.ceiling_percent,
            p.making_threshold_percent,
            p.loosen_delay_days
        ),
        (30, 2, 200, 10, 14)
    );
    assert_eq!(user.settings.timezone.name(), "UTC");
    assert_eq!(user.display_name, "ada Lovelace");
    let home = ada.client.get("/dashboard").await;
    assert_eq!(
        home.text("#streak .streak-rules"),
        "A day counts with 30 min; 2 rest days a week and your breaks keep it. Change"
    );
}

#[tokio::test]
async fn the_heatmap_marks_the_days_of_a_declared_break() {
    let app = TestApp::new().await;
    let ada = learner_following(&app, "ada").await;
    let mut client = ada.client;
    let from = days_ago(12);
    let to = days_ago(10);
    client.get(&format!("/follows/{}", ada.follow.0)).await;
    let resp = client
        .post(
            &format!("/follows/{}/breaks", ada.follow.0),
            &[("break", &format!("{from}..{to}"))],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let home = client.get("/dashboard").await;
    let rest = home.attr(&format!("#heatmap rect[data-day=\"{from}\"]"), "class");
    assert_eq!(rest.as_deref(), Some("heat level-0 rest"));
    let tip = home.text(&format!("#heatmap rect[data-day=\"{from}\"] title"));
    assert!(tip.ends_with("no study (a break)"), "{tip}");
    let after = days_ago(9);
    assert_eq!(
        home.attr(&format!("#heatmap rect[data-day=\"{after}\"]"), "class")
            .as_deref(),
        Some("heat level-0")
    );
}
