//! Following a curriculum: the plan, its settings and breaks, the calendar feed, the board,
//! item notes and evidence, and who may see and change any of it.

use autodidact_core::accounts::{Handle, UserId};
use autodidact_core::store::{
    AccountStore, CurriculumStore, FollowId, FollowStore, ItemStatus, NewCurriculum, Visibility,
};
use axum::body::Body;
use axum::http::{StatusCode, header};
use jiff::Timestamp;

use crate::support::{Client, Resp, TestApp};

const TEMPLATE: &str = "deep-learning-in-six-months";
/// Items and phases of that template.
const ITEMS: usize = 22;
const PHASES: usize = 2;
/// A Monday two to three weeks ahead: the plans in these tests start in the future, so their
/// dates do not depend on the day the tests run.
static START: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let today = jiff::Zoned::now().date();
    let mut day = today.checked_add(jiff::ToSpan::days(14)).unwrap();
    while day.weekday() != jiff::civil::Weekday::Monday {
        day = day.tomorrow().unwrap();
    }
    day.to_string()
});

/// Four weeks in the plan, from its sixth week.
static BREAK: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let start: jiff::civil::Date = START.parse().unwrap();
    let first = start.checked_add(jiff::ToSpan::days(35)).unwrap();
    let last = first.checked_add(jiff::ToSpan::days(27)).unwrap();
    format!("{first}..{last}")
});

async fn user_id(app: &TestApp, handle: &str) -> UserId {
    let handle = Handle::parse(handle).unwrap();
    app.db.user_by_handle(&handle).await.unwrap().unwrap().id
}

/// Stores the template as `owner`'s curriculum, straight through the store.
async fn curriculum(app: &TestApp, owner: &str, visibility: Visibility) -> i64 {
    let template = autodidact_core::templates::find(TEMPLATE).unwrap();
    let title = template.curriculum().unwrap().title;
    let record = app
        .db
        .create_curriculum(NewCurriculum {
            owner: user_id(app, owner).await,
            title,
            visibility,
            source: template.source.to_owned(),
            lineage: Default::default(),
            now: Timestamp::now(),
        })
        .await
        .unwrap();
    record.id.0
}

/// Follows through the form and returns the follow's id.
async fn follow(client: &mut Client, curriculum: i64, fields: &[(&str, &str)]) -> i64 {
    let page = format!("/curricula/{curriculum}/follow");
    let resp = client.submit(&page, &page, fields).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let location = resp.location().unwrap();
    let id = location.strip_prefix("/follows/").unwrap();
    id.split(['/', '?']).next().unwrap().parse().unwrap()
}

/// A learner `ada` following the template at 20 h a week from a fixed Monday.
pub(crate) async fn ada_following(app: &TestApp) -> (Client, i64) {
    let mut ada = app.learner("ada").await;
    let c = curriculum(app, "ada", Visibility::Private).await;
    let id = follow(
        &mut ada,
        c,
        &[
            ("hours_per_week", "20"),
            ("start", START.as_str()),
            ("breaks", ""),
        ],
    )
    .await;
    (ada, id)
}

/// The plan's end as its ISO date (the page writes it in words, `<time datetime>` carries it).
fn end_date(resp: &Resp) -> String {
    let end = resp.attr("#plan-end", "datetime").unwrap_or_default();
    assert!(
        !end.is_empty(),
        "no end date: {}",
        resp.text("#plan-summary")
    );
    end
}

async fn post_fetch(client: &mut Client, path: &str, fields: &[(&str, &str)]) -> Resp {
    let csrf = client.csrf.clone().unwrap();
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let request = client
        .request("POST", path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-requested-with", "fetch")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(serde_urlencoded::to_string(&all).unwrap()))
        .unwrap();
    client.send(request).await
}

fn column_of(board: &Resp, item: &str) -> String {
    let html = board.html();
    let selector = scraper::Selector::parse(&format!("#card-{item}")).unwrap();
    let card = html.select(&selector).next().expect("card on the board");
    let column = card
        .ancestors()
        .filter_map(scraper::ElementRef::wrap)
        .find(|e| {
            e.value()
                .has_class("column", scraper::CaseSensitivity::CaseSensitive)
        })
        .unwrap();
    column.value().attr("data-status").unwrap().to_owned()
}

// ---------------------------------------------------------------------------------------------
// Following and the plan

#[tokio::test]
async fn following_a_template_at_twenty_hours_shows_a_timeline_with_every_item() {
    let app = TestApp::new().await;
    let (mut ada, id) = ada_following(&app).await;
    let plan = ada.get(&format!("/follows/{id}")).await;
    assert_eq!(plan.status, StatusCode::OK);
    assert_eq!(plan.text("h1"), "Deep learning in six months");
    assert!(plan.text("title").starts_with("Plan: Deep learning"));
    assert_eq!(plan.texts("svg.timeline-svg rect.bar").len(), ITEMS);
    assert_eq!(plan.texts("svg.timeline-svg .tl-label").len(), ITEMS);
    assert_eq!(
        plan.texts("svg.timeline-svg polygon.tl-diamond").len(),
        PHASES
    );
    assert_eq!(plan.texts(".plan-table tbody tr").len(), ITEMS);
    assert_eq!(plan.texts(".deadlines li").len(), PHASES);
    assert!(plan.text("svg.timeline-svg > title").contains("Timeline"));
    assert!(plan.text("#plan-summary").contains("20 h a week"));
    // Every bar says what it is without the picture.
    let tip = plan.text("svg.timeline-svg rect.bar title");
    assert!(tip.starts_with("Python Crash Course"), "{tip}");
    assert!(tip.contains(&crate::support::iso_words(&START)), "{tip}");
    assert!(end_date(&plan) > *START);
}

#[tokio::test]
async fn the_follow_form_offers_the_curriculums_hours_and_today() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let c = curriculum(&app, "ada", Visibility::Private).await;
    let form = ada.get(&format!("/curricula/{c}/follow")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.text("h1"), "Follow Deep learning in six months");
    let html = form.html();
    let value = |sel: &str| {
        let s = scraper::Selector::parse(sel).unwrap();
        html.select(&s)
            .next()
            .unwrap()
            .value()
            .attr("value")
            .unwrap()
            .to_owned()
    };
    assert_eq!(value("#hours_per_week"), "20");
    let today = Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let start = value("#start");
    assert!(
        start == today.to_string() || start == today.yesterday().unwrap().to_string(),
        "{start}"
    );
}

#[tokio::test]
async fn invalid_settings_sit_next_to_their_fields_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let c = curriculum(&app, "ada", Visibility::Private).await;
    let page = format!("/curricula/{c}/follow");
    let resp = ada
        .submit(
            &page,
            &page,
            &[
                ("hours_per_week", "lots"),
                ("start", "next monday"),
                ("breaks", "sun\nsomeday"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        resp.text("#hours_per_week-error")
            .contains("not a number of hours")
    );
    assert!(resp.text("#start-error").contains("2026-09-07"));
    assert!(resp.text("#breaks-error").starts_with("Line 2:"));
    let zero = ada
        .submit(
            &page,
            &page,
            &[("hours_per_week", "0"), ("start", START.as_str())],
        )
        .await;
    assert_eq!(zero.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(zero.text("#hours_per_week-error").contains("zero hours"));
    let both = ada
        .submit(
            &page,
            &page,
            &[
                ("hours_per_week", "10"),
                ("per_weekday", "sat=6"),
                ("start", START.as_str()),
            ],
        )
        .await;
    assert!(both.text("#per_weekday-error").contains("not both"));
    let ada_id = user_id(&app, "ada").await;
    assert!(app.db.follows_of(ada_id).await.unwrap().is_empty());
}

#[tokio::test]
async fn following_twice_says_so_and_keeps_one_follow() {
    let app = TestApp::new().await;
    let (mut ada, id) = ada_following(&app).await;
    let c = app
        .db
        .follow(FollowId(id))
        .await
        .unwrap()
        .unwrap()
        .curriculum
        .0;
    let page = format!("/curricula/{c}/follow");
    let again = ada
        .submit(
            &page,
            &page,
            &[("hours_per_week", "5"), ("start", START.as_str())],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again
            .text("#already-following")
            .contains("You already follow")
    );
    let ada_id = user_id(&app, "ada").await;
    let follows = app.db.follows_of(ada_id).await.unwrap();
    assert_eq!(follows.len(), 1);
    assert_eq!(follows[0].budget.to_string(), "20");
    // The form itself says so too, instead of offering to follow again.
    let form = ada.get(&page).await;
    assert!(form.text("#already-following").contains("Open your plan"));
    assert!(form.texts("form[action$='/follow']").is_empty());
}

#[tokio::test]
async fn following_someone_elses_public_curriculum_works_but_a_private_one_is_404() {
    let app = TestApp::new().await;
    app.learner("ada").await;
    let public = curriculum(&app, "ada", Visibility::Public).await;
    let private = curriculum(&app, "ada", Visibility::Private).await;
    let mut bob = app.learner("bob").await;
    follow(
        &mut bob,
        public,
        &[("hours_per_week", "8"), ("start", START.as_str())],
    )
    .await;
    assert_eq!(
        bob.get(&format!("/curricula/{private}/follow"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    bob.get("/follows").await;
    let resp = bob
        .post(
            &format!("/curricula/{private}/follow"),
            &[("hours_per_week", "8"), ("start", START.as_str())],
        )
        .await;
    assert_eq!(resp.status, StatusCode::NOT_FOUND);
    let bob_id = user_id(&app, "bob").await;
    assert_eq!(app.db.follows_of(bob_id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_list_of_plans_starts_empty_and_then_shows_each_follow() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let empty = ada.get("/follows").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(
        empty
            .text("#no-follows")
            .contains("Find or write a curriculum")
    );
    assert_eq!(
        empty
            .html()
            .select(&scraper::Selector::parse("#no-follows a").unwrap())
            .next()
            .unwrap()
            .value()
            .attr("href"),
        Some("/curricula")
    );
    let c = curriculum(&app, "ada", Visibility::Private).await;
    follow(
        &mut ada,
        c,
        &[("hours_per_week", "20"), ("start", START.as_str())],
    )
    .await;
    let list = ada.get("/follows").await;
    assert_eq!(
        list.texts(".follow h2"),
        vec!["Deep learning in six months"]
    );
    assert!(list.text(".follow .progress-count").starts_with("0 of 22"));
}

#[tokio::test]
async fn new_hours_count_from_next_week_unless_the_learner_says_today() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let c = curriculum(&app, "ada", Visibility::Private).await;
    let today = jiff::Zoned::now().date();
    let id = follow(
        &mut ada,
        c,
        &[("hours_per_week", "20"), ("start", &today.to_string())],
    )
    .await;
    // A plan that began three weeks ago.
    let started = today.checked_sub(jiff::ToSpan::days(21)).unwrap();
    let stored = app.db.follow(FollowId(id)).await.unwrap().unwrap();
    let mut settings = stored.stored_settings();
    settings.start = started;
    app.db
        .update_follow_plan(stored.id, stored.user, &settings, jiff::Timestamp::now())
        .await
        .unwrap();
    let plan = format!("/follows/{id}");
    ada.get(&plan).await;
    let resp = ada
        .post(
            &format!("{plan}/plan"),
            &[("hours_per_week", "10"), ("start", &started.to_string())],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let stored = app.db.follow(FollowId(id)).await.unwrap().unwrap();
    let changes = stored.budget_history.changes();
    assert_eq!(changes.len(), 2, "{changes:?}");
    let next_week = autodidact_core::plan::start_of_week(today, jiff::civil::Weekday::Monday)
        .checked_add(jiff::ToSpan::days(7))
        .unwrap();
    assert_eq!(changes[1].from, next_week);
    assert_eq!(stored.budget_history.on(today).unwrap().to_string(), "20");
    let page = ada.get(&plan).await;
    let history = page.texts("#budget-history li");
    assert_eq!(history.len(), 2, "{history:?}");
    assert!(
        history[1].starts_with(&format!(
            "From {}: 10 h",
            crate::support::day_words(next_week)
        )),
        "{history:?}"
    );

    // Said to count from today: today already has the new hours, and the pending change goes.
    let resp = ada
        .post(
            &format!("{plan}/plan"),
            &[
                ("hours_per_week", "12"),
                ("start", &started.to_string()),
                ("budget_from", "today"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let stored = app.db.follow(FollowId(id)).await.unwrap().unwrap();
    let changes = stored.budget_history.changes();
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(changes[1].from, today);
    assert_eq!(stored.budget_history.on(today).unwrap().to_string(), "12");
    assert_eq!(stored.budget_history.on(started).unwrap().to_string(), "20");
    // Breaks alone leave the history as it is.
    ada.get(&plan).await;
    ada.post(&format!("{plan}/breaks"), &[("break", "sun")])
        .await;
    let again = app.db.follow(FollowId(id)).await.unwrap().unwrap();
    assert_eq!(again.budget_history, stored.budget_history);
}

#[tokio::test]
async fn a_learner_who_began_before_says_what_is_done_and_starts_on_plan() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let c = curriculum(&app, "ada", Visibility::Private).await;
    let today = jiff::Zoned::now().date();
    let began = today.checked_sub(jiff::ToSpan::days(21)).unwrap();
    let page = format!("/curricula/{c}/follow");
    let resp = ada
        .submit(
            &page,
            &page,
            &[("hours_per_week", "20"), ("start", &began.to_string())],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let location = resp.location().unwrap().to_owned();
    assert!(
        location.ends_with(&format!("/done-before?since={began}")),
        "{location}"
    );
    let id: i64 = location
        .strip_prefix("/follows/")
        .and_then(|l| l.split('/').next())
        .unwrap()
        .parse()
        .unwrap();
    // The plan the learner accepts starts today.
    let stored = app.db.follow(FollowId(id)).await.unwrap().unwrap();
    assert_eq!(stored.start, today);

    let question = ada.get(&location).await;
    assert_eq!(question.status, StatusCode::OK);
    assert!(question.text(".lead").contains(&began.to_string()));
    let boxes = question.texts("form.done-before input[type=checkbox]");
    assert_eq!(boxes.len(), ITEMS);
    let template = autodidact_core::templates::find(TEMPLATE).unwrap();
    let curriculum = template.curriculum().unwrap();
    let first_two: Vec<String> = curriculum
        .items()
        .take(2)
        .map(|i| i.id.as_str().to_owned())
        .collect();

    // An item the curriculum does not have is refused, and nothing changes.
    let bad = ada
        .post(
            &format!("/follows/{id}/done-before"),
            &[("item", first_two[0].as_str()), ("item", "no-such-item")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text("main").contains("“no-such-item” is not an item"));
    assert!(app.db.item_states(FollowId(id)).await.unwrap().is_empty());

    ada.get(&location).await;
    let done = ada
        .post(
            &format!("/follows/{id}/done-before"),
            &[
                ("item", first_two[0].as_str()),
                ("item", first_two[1].as_str()),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let states = app.db.item_states(FollowId(id)).await.unwrap();
    assert_eq!(states.len(), 2);
    assert!(states.iter().all(|s| s.status == ItemStatus::Done));
    let stored = app.db.follow(FollowId(id)).await.unwrap().unwrap();
    let mut plan_done: Vec<String> = stored.plan_done.iter().map(|i| i.to_string()).collect();
    plan_done.sort();
    let mut expected = first_two.clone();
    expected.sort();
    assert_eq!(plan_done, expected);
    let estimate: u32 = curriculum
        .items()
        .take(2)
        .map(|i| i.planned(curriculum.hours_per_week).get())
        .sum();
    assert_eq!(stored.plan_base.get(), estimate);
    // Neither behind nor ahead, and the plan holds only the rest.
    let plan = ada.get(done.location().unwrap()).await;
    assert!(plan.text(".notice").contains("What you had done is marked"));
    assert!(
        plan.texts("#plan-standing").is_empty(),
        "{}",
        plan.text("#plan-standing")
    );
    assert_eq!(plan.texts("svg.timeline-svg rect.bar").len(), ITEMS - 2);
    let home = ada.get("/").await;
    assert!(home.texts(&format!("#follow-{id} .behind")).is_empty());

    // The question belongs to the day of following: two days later it is closed.
    app.execute(&format!(
        "UPDATE follows SET created_at = created_at - 172800 WHERE id = {id}"
    ))
    .await;
    let closed = ada.get(&location).await;
    assert!(
        closed
            .text("#done-before-closed")
            .contains("mark items done on the board")
    );
    assert!(closed.texts("form.done-before").is_empty());
    let late = ada
        .post(
            &format!("/follows/{id}/done-before"),
            &[("item", first_two[0].as_str())],
        )
        .await;
    assert_eq!(late.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn changing_the_budget_moves_the_end_date() {
    let app = TestApp::new().await;
    let (mut ada, id) = ada_following(&app).await;
    let plan = format!("/follows/{id}");
    let before = end_date(&ada.get(&plan).await);
    let resp = ada
        .post(
            &format!("{plan}/plan"),
            &[("hours_per_week", "10"), ("start", START.as_str())],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    let after_page = ada.get(resp.location().unwrap()).await;
    let after = end_date(&after_page);
    assert!(after > before, "{after} should be after {before}");
    assert!(after_page.text(".notice").contains("saved"));
    // Per weekday works too, and a bad one is refused next to its field.
    let bad = ada
        .post(
            &format!("{plan}/plan"),
            &[("per_weekday", "funday=3"), ("start", START.as_str())],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text("#per_weekday-error").contains("not a weekday"));
    let follow = app.db.follow(FollowId(id)).await.unwrap().unwrap();
    assert_eq!(follow.budget.to_string(), "10");
}

#[tokio::test]
async fn adding_a_break_moves_the_end_date_and_removing_it_moves_it_back() {
    let app = TestApp::new().await;
    let (mut ada, id) = ada_following(&app).await;
    let plan = format!("/follows/{id}");
    let before = end_date(&ada.get(&plan).await);
    assert!(
        ada.get(&plan)
            .await
            .text("#no-breaks")
            .contains("No breaks")
    );
    let resp = ada
        .post(&format!("{plan}/breaks"), &[("break", BREAK.as_str())])
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    let page = ada.get(&plan).await;
    assert_eq!(
        page.attr("span.break", "data-break").as_deref(),
        Some(BREAK.as_str())
    );
    assert_eq!(page.texts("span.break").len(), 1);
    let with_break = end_date(&page);
    assert!(with_break > before, "{with_break} should be after {before}");

    let bad = ada
        .post(&format!("{plan}/breaks"), &[("break", "soon")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text("#break-error").contains("is not a break"));

    let resp = ada
        .post(
            &format!("{plan}/breaks/remove"),
            &[("break", BREAK.as_str())],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    let page = ada.get(&plan).await;
    assert!(page.texts("span.break").is_empty());
    assert_eq!(end_date(&page), before);
}

#[tokio::test]
async fn a_break_that_leaves_no_study_day_is_refused() {
    let app = TestApp::new().await;
    let (mut ada, id) = ada_following(&app).await;
    let plan = format!("/follows/{id}");
    ada.post(
        &format!("{plan}/plan"),
        &[("per_weekday", "sat=6"), ("start", START.as_str())],
    )
    .await;
    ada.get(&plan).await;
    let resp = ada
        .post(&format!("{plan}/breaks"), &[("break", "sat")])
        .await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text("#break-error").contains("break day"));
    let follow = app.db.follow(FollowId(id)).await.unwrap().unwrap();
    assert!(follow.breaks.is_empty());
}

#[tokio::test]
async fn unfollowing_asks_first_and_then_deletes_the_plan() {
    let app = TestApp::new().await;
    let (mut ada, id) = ada_following(&app).await;
    let confirm = ada.get(&format!("/follows/{id}/unfollow")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.text("h1").starts_with("Unfollow"));
    assert!(app.db.follow(FollowId(id)).await.unwrap().is_some());
    let resp = ada.post(&format!("/follows/{id}/unfollow"), &[]).await;
    assert_eq!(resp.location(), Some("/follows?unfollowed=1"));
    assert!(app.db.follow(FollowId(id)).await.unwrap().is_none());
    assert_eq!(
        ada.get(&format!("/follows/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

// ---------------------------------------------------------------------------------------------
// The calendar feed

#[tokio::test]
async fn the_calendar_feed_serves_the_plan_and_revoking_it_makes_it_404() {
    let app = TestApp::new().await;
    let (mut ada, id) = ada_following(&app).await;
    ada.get(&format!("/follows/{id}")).await;
    let page = ada.post(&format!("/follows/{id}/calendar"), &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    let path = page.feed_path();

    // Only the token's hash is stored.
    let token = path
        .trim_start_matches("/calendar/")
        .trim_end_matches(".ics");
    assert!(
        app.db
            .follow_by_calendar_token(token)
            .await
            .unwrap()
            .is_none()
    );
    let hash = autodidact_core::secrets::hash_token(token);
    assert!(
        app.db
            .follow_by_calendar_token(&hash)
            .await
            .unwrap()
            .is_some()
    );

    // No session needed.
    let mut calendar = app.client();
    let feed = calendar.get(&path).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert_eq!(
        feed.headers[header::CONTENT_TYPE],
        "text/calendar; charset=utf-8"
    );
    assert!(feed.body.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(feed.body.trim_end().ends_with("END:VCALENDAR"));
    assert_eq!(feed.body.matches("BEGIN:VEVENT").count(), ITEMS + PHASES);
    assert_eq!(
        feed.body.matches("BEGIN:VEVENT").count(),
        feed.body.matches("END:VEVENT").count()
    );

    // A new address replaces the old one.
    ada.get(&format!("/follows/{id}")).await;
    let again = ada.post(&format!("/follows/{id}/calendar"), &[]).await;
    let new_path = again.feed_path();
    assert_ne!(new_path, path);
    assert_eq!(calendar.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(calendar.get(&new_path).await.status, StatusCode::OK);

    ada.get(&format!("/follows/{id}")).await;
    let off = ada
        .post(&format!("/follows/{id}/calendar/revoke"), &[])
        .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert_eq!(calendar.get(&new_path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        calendar.get("/calendar/not-a-token.ics").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_feed_leaves_out_finished_items() {
    let app = TestApp::new().await;
    let (mut ada, id) = ada_following(&app).await;
    ada.get(&format!("/follows/{id}/board")).await;
    ada.post(
        &format!("/follows/{id}/items/python-crash-course/status"),
        &[("status", "done")],
    )
    .await;
    ada.get(&format!("/follows/{id}")).await;
    let path = ada
        .post(&format!("/follows/{id}/calendar"), &[])
        .await
        .feed_path();
    let feed = app.client().get(&path).await;
    assert_eq!(
        feed.body.matches("BEGIN:VEVENT").count(),
        ITEMS - 1 + PHASES
    );
    // And the plan page marks it done.
    let plan = ada.get(&format!("/follows/{id}")).await;
    assert_eq!(plan.texts("svg.timeline-svg rect.bar").len(), ITEMS - 1);
    assert_eq!(plan.texts("svg.timeline-svg .tl-finished"), vec!["✓ done"]);
    assert_eq!(plan.text("#row-python-crash-course td:last-child"), "Done");
}

// ---------------------------------------------------------------------------------------------
// The board

#[tokio::test]
async fn the_board_moves_a_card_with_a_plain_form_post() {
    let app = TestApp::new().await;
    let (mut ada, id) = ada_following(&app).await;
    let board = ada.get(&format!("/follows/{id}/board")).await;
    assert_eq!(board.status, StatusCode::OK);
    assert_eq!(board.texts("#column-todo .board-card").len(), ITEMS);
    assert_eq!(column_of(&board, "python-crash-course"), "todo");
    assert!(
        board
            .text("#card-python-crash-course .estimate")
            .contains("20 h")
    );
    // Nothing logged yet: the compact card says nothing of it; its details do.
    assert!(
        board
            .texts("#card-python-crash-course .meta .logged")
            .is_empty()
    );
    assert!(
        board
            .text("#card-python-crash-course .card-details")
            .contains("0 h logged")
    );
    assert!(
        board
            .text("#card-kaggle-titanic .prereqs")
            .contains("Andrew Ng's Machine Learning")
    );
    let resp = ada
        .post(
            &format!("/follows/{id}/items/python-crash-course/status"),
            &[("status", "doing")],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    assert_eq!(
        resp.location(),
        Some(format!("/follows/{id}/board#card-python-crash-course").as_str())
    );
    let board = ada.get(&format!("/follows/{id}/board")).await;
    assert_eq!(column_of(&board, "python-crash-course"), "doing");
    assert!(board.texts("#warning").is_empty());
    assert_eq!(board.text("#column-doing .count"), "1");
}

#[tokio::test]
async fn the_board_moves_a_card_with_fetch_and_answers_json() {
    let app = TestApp::new().await;
    let (mut ada, id) = ada_following(&app).await;
    ada.get(&format!("/follows/{id}/board")).await;
    let resp = post_fetch(
        &mut ada,
        &format!("/follows/{id}/items/python-crash-course/status"),
        &[("status", "done")],
    )
    .await;
    assert_eq!(resp.status, StatusCode::OK);
    let json = resp.json();
    assert_eq!(json["item"], "python-crash-course");
    assert_eq!(json["status"], "done");
    assert!(json["warning"].is_null());
    let board = ada.get(&format!("/follows/{id}/board")).await;
    assert_eq!(column_of(&board, "python-crash-course"), "done");
    // Its dependents now show it done.
    assert!(
        board
            .text("#card-coursera-machine-learning [data-prereq=python-crash-course]")
            .contains("done")
    );
}

#[tokio::test]
async fn starting_an_item_before_its_prerequisites_warns_but_never_refuses() {
    let app = TestApp::new().await;
    let (mut ada, id) = ada_following(&app).await;
    ada.get(&format!("/follows/{id}/board")).await;
    let resp = ada
        .post(
            &format!("/follows/{id}/items/kaggle-titanic/status"),
            &[("status", "doing")],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    let location = resp.location().unwrap().to_owned();
    assert!(location.contains("?warn=kaggle-titanic"), "{location}");
    let board = ada.get(&location).await;
    assert_eq!(column_of(&board, "kaggle-titanic"), "doing");
    assert_eq!(
        board.text("#warning"),
        "You started “Kaggle Titanic classification challenge” before finishing \
         “Andrew Ng's Machine Learning (Coursera), weeks 1-8” and \
         “Jake VanderPlas's scikit-learn tutorial notebooks”."
    );
    // With fetch, the warning comes back in the JSON.
    let json = post_fetch(
        &mut ada,
        &format!("/follows/{id}/items/coursera-machine-learning/status"),
        &[("status", "done")],
    )
    .await
    .json();
    assert_eq!(json["status"], "done");
    assert!(
        json["warning"]
            .as_str()
            .unwrap()
            .contains("Python Crash Course")
    );
    // Once the prerequisite is done, no warning.
    ada.post(
        &format!("/follows/{id}/items/python-crash-course/status"),
        &[("status", "done")],
    )
    .await;
    let resp = ada
        .post(
            &format!("/follows/{id}/items/vanderplas-sklearn-notebooks/status"),
            &[("status", "doing")],
        )
        .await;
    assert!(!resp.location().unwrap().contains("warn="));
}

#[tokio::test]
async fn an_unknown_status_or_item_is_refused_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let (mut ada, id) = ada_following(&app).await;
    ada.get(&format!("/follows/{id}/board")).await;
    let resp = ada
        .post(
            &format!("/follows/{id}/items/python-crash-course/status"),
            &[("status", "finished")],
        )
        .await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST);
    for path in [
        format!("/follows/{id}/items/no-such-item"),
        format!("/follows/{id}/items/Not_An_Id"),
    ] {
        assert_eq!(ada.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    ada.get(&format!("/follows/{id}/board")).await;
    let resp = ada
        .post(
            &format!("/follows/{id}/items/no-such-item/status"),
            &[("status", "done")],
        )
        .await;
    assert_eq!(resp.status, StatusCode::NOT_FOUND);
    assert!(app.db.item_states(FollowId(id)).await.unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Item pages: notes and evidence

#[tokio::test]
async fn a_checklist_in_notes_is_ticked_from_the_page() {
    let app = TestApp::new().await;
    let (mut ada, id) = ada_following(&app).await;
    let item = format!("/follows/{id}/items/python-crash-course");
    ada.get(&item).await;
    let notes = "Plan:\n\n- [ ] chapter 1\n- [x] chapter 2\n\n```\n- [ ] code, not a task\n```\n";
    ada.post(&format!("{item}/notes"), &[("notes", notes)])
        .await;
    let page = ada.get(&item).await;
    let boxes = page.texts("#notes-rendered button.task-box");
    assert_eq!(boxes, ["☐", "☑"]);
    assert_eq!(page.texts("form.task-form").len(), 2);
    assert_eq!(
        page.attr("#notes-rendered button.task-box", "form")
            .as_deref(),
        Some("task-0")
    );
    // The form of box 0 posts to its own address with the page's token; ticking it.
    assert_eq!(
        page.attr("form#task-0", "action"),
        Some(format!("{item}/tasks/0"))
    );
    let resp = ada
        .post(&format!("{item}/tasks/0"), &[("checked", "1")])
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let state = app.db.item_states(FollowId(id)).await.unwrap();
    assert_eq!(
        state[0].notes,
        notes.replacen("- [ ] chapter 1", "- [x] chapter 1", 1)
    );
    let page = ada.get(&item).await;
    assert_eq!(page.texts("#notes-rendered button.task-box"), ["☑", "☑"]);
    // Unticking, and a box that is no longer there.
    ada.post(&format!("{item}/tasks/1"), &[("checked", "0")])
        .await;
    let state = app.db.item_states(FollowId(id)).await.unwrap();
    assert!(
        state[0].notes.contains("- [ ] chapter 2"),
        "{}",
        state[0].notes
    );
    ada.get(&item).await;
    let gone = ada
        .post(&format!("{item}/tasks/2"), &[("checked", "1")])
        .await;
    assert_eq!(gone.status, StatusCode::BAD_REQUEST);
    assert!(
        gone.text("main").contains("reload the page"),
        "{}",
        gone.text("main")
    );
}

#[tokio::test]
async fn an_item_page_lists_its_logs_and_logs_time_there() {
    let app = TestApp::new().await;
    let (mut ada, id) = ada_following(&app).await;
    let item = format!("/follows/{id}/items/python-crash-course");
    let page = ada.get(&item).await;
    assert!(page.text("#no-item-logs").contains("No time logged"));
    // The quick log at the top is about this item.
    assert_eq!(
        page.attr("#ql-item option[selected]", "value"),
        Some(format!("{id}:python-crash-course"))
    );
    let form = page.html();
    let key = form
        .select(&scraper::Selector::parse("form.log-here input[name=key]").unwrap())
        .next()
        .unwrap()
        .value()
        .attr("value")
        .unwrap()
        .to_owned();
    let resp = ada
        .post(
            "/logs",
            &[
                ("duration", "45m"),
                ("item", &format!("{id}:python-crash-course")),
                ("kind", "learn"),
                ("key", &key),
                ("return_to", &format!("{item}#log-here")),
                ("note", "lists and dicts"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let page = ada.get(&item).await;
    let rows = page.texts("#item-logs tbody tr");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(
        rows[0].contains("45 min") && rows[0].contains("lists and dicts"),
        "{rows:?}"
    );
    // Logging on a to-do item started it.
    assert_eq!(page.text("#status"), "Doing");
    // Log and mark done.
    ada.post(
        "/logs",
        &[
            ("duration", "30"),
            ("item", &format!("{id}:python-crash-course")),
            ("kind", "build"),
            ("done", "1"),
        ],
    )
    .await;
    let page = ada.get(&item).await;
    assert_eq!(page.texts("#item-logs tbody tr").len(), 2);
    assert_eq!(page.text("#status"), "Done");
}

#[tokio::test]
async fn notes_render_markdown_but_never_scripts_or_javascript_links() {
    let app = TestApp::new().await;
    let (mut ada, id) = ada_following(&app).await;
    let item = format!("/follows/{id}/items/python-crash-course");
    let page = ada.get(&item).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.text("h1"),
        "Python Crash Course, PEP 8 and the core packages"
    );
    assert!(page.text("#no-notes").contains("No notes yet"));
    let notes = "Learnt **list comprehensions**.\n\n<script>alert(1)</script>\n\n\
                 [bad](javascript:alert(1)) [good](https://pep8.org/)";
    let resp = ada
        .post(&format!("{item}/notes"), &[("notes", notes)])
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    let page = ada.get(resp.location().unwrap()).await;
    assert_eq!(page.text("#notes-rendered strong"), "list comprehensions");
    assert!(page.texts("#notes-rendered script").is_empty());
    assert!(
        page.texts("#notes-rendered a[href^='javascript']")
            .is_empty()
    );
    assert_eq!(
        page.texts("#notes-rendered a[href='https://pep8.org/']"),
        vec!["good"]
    );
    assert!(
        page.text("#notes-rendered")
            .contains("<script>alert(1)</script>")
    );
    // The editor holds the source as text, escaped.
    assert_eq!(
        page.text("#notes-text").split_whitespace().count(),
        notes.split_whitespace().count()
    );
    assert!(!page.body.contains("<script>alert(1)"));
}

#[tokio::test]
async fn evidence_needs_a_web_address_and_can_be_removed() {
    let app = TestApp::new().await;
    let (mut ada, id) = ada_following(&app).await;
    let item = format!("/follows/{id}/items/kaggle-titanic");
    ada.get(&item).await;
    for url in [
        "javascript:alert(1)",
        "ftp://example.org/x",
        "github.com/ada/titanic",
    ] {
        let resp = ada
            .post(
                &format!("{item}/evidence"),
                &[("kind", "repository"), ("url", url), ("title", "Titanic")],
            )
            .await;
        assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{url}");
        assert!(resp.text("#url-error").contains("https://"), "{url}");
    }
    assert!(app.db.evidence(FollowId(id)).await.unwrap().is_empty());

    let resp = ada
        .post(
            &format!("{item}/evidence"),
            &[
                ("kind", "notebook"),
                ("url", "https://kaggle.com/ada/titanic"),
                ("title", "My Titanic notebook"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    let page = ada.get(resp.location().unwrap()).await;
    assert_eq!(page.texts("ul.evidence a"), vec!["My Titanic notebook"]);
    let stored = app.db.evidence(FollowId(id)).await.unwrap();
    assert_eq!(stored.len(), 1);
    let evidence_id = stored[0].id;
    // Another item's address does not reach it.
    let wrong = ada
        .post(
            &format!("/follows/{id}/items/gpu-access/evidence/{evidence_id}/remove"),
            &[],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    let resp = ada
        .post(&format!("{item}/evidence/{evidence_id}/remove"), &[])
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    assert!(app.db.evidence(FollowId(id)).await.unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Who may see and change what

/// A form post: a path and its fields.
type Post = (String, Vec<(&'static str, &'static str)>);

/// Every follow route, GET and POST, with fields that would change something.
fn routes(id: i64, evidence: i64) -> (Vec<String>, Vec<Post>) {
    let f = format!("/follows/{id}");
    let item = format!("{f}/items/python-crash-course");
    let gets = vec![
        f.clone(),
        format!("{f}/board"),
        format!("{f}/unfollow"),
        item.clone(),
    ];
    let posts = vec![
        (
            format!("{f}/plan"),
            vec![("hours_per_week", "1"), ("start", "2030-01-07")],
        ),
        (format!("{f}/breaks"), vec![("break", "sun")]),
        (format!("{f}/breaks/remove"), vec![("break", "2026-12-25")]),
        (format!("{f}/calendar"), vec![]),
        (format!("{f}/calendar/revoke"), vec![]),
        (format!("{item}/status"), vec![("status", "skipped")]),
        (format!("{item}/notes"), vec![("notes", "mine now")]),
        (
            format!("{item}/evidence"),
            vec![("kind", "post"), ("url", "https://evil.example/")],
        ),
        (format!("{item}/evidence/{evidence}/remove"), vec![]),
        (format!("{f}/unfollow"), vec![]),
    ];
    (gets, posts)
}

/// What ada has stored, to compare before and after.
async fn snapshot(app: &TestApp, id: i64) -> String {
    let follow = app.db.follow(FollowId(id)).await.unwrap();
    let states = app.db.item_states(FollowId(id)).await.unwrap();
    let evidence = app.db.evidence(FollowId(id)).await.unwrap();
    format!("{follow:?} {states:?} {evidence:?}")
}

/// Ada's follow with a break, a status, notes, evidence and a calendar feed.
async fn ada_with_everything(app: &TestApp) -> (Client, i64, i64, String) {
    let (mut ada, id) = ada_following(app).await;
    ada.get(&format!("/follows/{id}")).await;
    ada.post(&format!("/follows/{id}/breaks"), &[("break", "2026-12-25")])
        .await;
    let item = format!("/follows/{id}/items/python-crash-course");
    ada.get(&item).await;
    ada.post(&format!("{item}/status"), &[("status", "doing")])
        .await;
    ada.post(&format!("{item}/notes"), &[("notes", "ada's notes")])
        .await;
    ada.post(
        &format!("{item}/evidence"),
        &[
            ("kind", "repository"),
            ("url", "https://github.com/ada/pcc"),
        ],
    )
    .await;
    ada.get(&format!("/follows/{id}")).await;
    let feed = ada
        .post(&format!("/follows/{id}/calendar"), &[])
        .await
        .feed_path();
    let evidence = app.db.evidence(FollowId(id)).await.unwrap()[0].id.0;
    (ada, id, evidence, feed)
}

#[tokio::test]
async fn another_learner_gets_404_on_every_route_and_changes_nothing() {
    let app = TestApp::new().await;
    let (_, id, evidence, feed) = ada_with_everything(&app).await;
    let before = snapshot(&app, id).await;
    let mut bob = app.learner("bob").await;
    let (gets, posts) = routes(id, evidence);
    for path in &gets {
        assert_eq!(
            bob.get(path).await.status,
            StatusCode::NOT_FOUND,
            "GET {path}"
        );
    }
    for (path, fields) in &posts {
        bob.get("/follows").await; // bob's own, valid token
        let resp = bob.post(path, fields).await;
        assert_eq!(resp.status, StatusCode::NOT_FOUND, "POST {path}");
    }
    assert_eq!(snapshot(&app, id).await, before);
    assert_eq!(app.client().get(&feed).await.status, StatusCode::OK);
    // And a follow that does not exist looks the same.
    assert_eq!(
        bob.get("/follows/12345").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(bob.get("/follows/abc").await.status, StatusCode::NOT_FOUND);
    // Bob's list does not show ada's plan.
    assert!(bob.get("/follows").await.texts(".follow").is_empty());
}

#[tokio::test]
async fn a_visitor_gets_404_on_every_follow_route_and_changes_nothing() {
    let app = TestApp::new().await;
    let (_, id, evidence, feed) = ada_with_everything(&app).await;
    let before = snapshot(&app, id).await;
    let mut visitor = app.client();
    visitor.get("/signin").await; // an anonymous form token, as a browser would have
    let (gets, posts) = routes(id, evidence);
    for path in &gets {
        assert_eq!(
            visitor.get(path).await.status,
            StatusCode::NOT_FOUND,
            "GET {path}"
        );
    }
    for (path, fields) in &posts {
        let resp = visitor.post(path, fields).await;
        assert_eq!(resp.status, StatusCode::NOT_FOUND, "POST {path}");
    }
    assert_eq!(snapshot(&app, id).await, before);
    assert_eq!(visitor.get(&feed).await.status, StatusCode::OK);
    // Pages that are not about one follow send visitors to sign in instead.
    let list = visitor.get("/follows").await;
    assert_eq!(list.location(), Some("/signin?next=/follows"));
}

#[tokio::test]
async fn a_bad_csrf_token_is_refused_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let (mut ada, id, evidence, feed) = ada_with_everything(&app).await;
    let before = snapshot(&app, id).await;
    let (_, posts) = routes(id, evidence);
    for (path, fields) in &posts {
        let mut forged = vec![("csrf", "forged")];
        forged.extend_from_slice(fields);
        let resp = ada.post_exact(path, &forged).await;
        assert_eq!(resp.status, StatusCode::FORBIDDEN, "POST {path}");
        let resp = ada.post_exact(path, fields).await;
        assert_eq!(
            resp.status,
            StatusCode::FORBIDDEN,
            "POST {path} without a token"
        );
    }
    assert_eq!(snapshot(&app, id).await, before);
    assert_eq!(app.client().get(&feed).await.status, StatusCode::OK);
    let c = app
        .db
        .follow(FollowId(id))
        .await
        .unwrap()
        .unwrap()
        .curriculum
        .0;
    let resp = ada
        .post_exact(
            &format!("/curricula/{c}/follow"),
            &[
                ("csrf", "forged"),
                ("hours_per_week", "3"),
                ("start", START.as_str()),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
    let ada_id = user_id(&app, "ada").await;
    assert_eq!(app.db.follows_of(ada_id).await.unwrap().len(), 1);
    let states = app.db.item_states(FollowId(id)).await.unwrap();
    assert_eq!(states[0].status, ItemStatus::Doing);
}

#[tokio::test]
async fn a_plan_that_starts_today_marks_today_on_the_timeline() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let c = curriculum(&app, "ada", Visibility::Private).await;
    let form = ada.get(&format!("/curricula/{c}/follow")).await;
    let html = form.html();
    let start = html
        .select(&scraper::Selector::parse("#start").unwrap())
        .next()
        .unwrap()
        .value()
        .attr("value")
        .unwrap()
        .to_owned();
    let id = follow(&mut ada, c, &[("hours_per_week", "20"), ("start", &start)]).await;
    let plan = ada.get(&format!("/follows/{id}")).await;
    assert_eq!(plan.texts("svg.timeline-svg line.tl-today").len(), 1);
    assert_eq!(
        plan.text("svg.timeline-svg line.tl-today title"),
        format!("Today, {}", crate::support::iso_words(&start))
    );
    assert!(
        plan.text("#timeline-caption")
            .contains("the red line is today")
    );
}

#[tokio::test]
async fn the_board_groups_cards_by_phase_folds_later_phases_and_filters_by_kind() {
    let app = TestApp::new().await;
    let (mut ada, id) = ada_following(&app).await;
    let board = ada.get(&format!("/follows/{id}/board")).await;
    let todo = "#column-todo .phase-group";
    let groups = board.texts(&format!("{todo} > summary .phase-title"));
    assert_eq!(groups.len(), PHASES, "{groups:?}");
    // Only the first phase of "To do" is open; the others fold away.
    assert_eq!(board.texts(&format!("{todo}[open]")).len(), 1);
    assert_eq!(
        board
            .attr(&format!("{todo}[open]"), "data-phase")
            .as_deref(),
        Some("1")
    );
    let all = board.texts("#column-todo .board-card").len();
    assert_eq!(all, ITEMS);
    assert!(board.texts(".board-card[draggable=true]").len() == ITEMS);
    // Columns as tabs on a phone, "Doing" among them.
    assert_eq!(board.texts(".board-tabs a").len(), 4);
    // Filtering by a kind keeps only its cards, and says how many are hidden.
    let books = ada.get(&format!("/follows/{id}/board?kind=book")).await;
    let shown = books.texts(".board-card .tag");
    assert!(
        !shown.is_empty() && shown.iter().all(|k| k == "book"),
        "{shown:?}"
    );
    assert!(
        books
            .text("#filter-hidden")
            .starts_with(&format!("{} cards hidden", all - shown.len()))
    );
}
