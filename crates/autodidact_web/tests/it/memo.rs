//! Pages kept between requests (the dashboard, Today, the week, the quick log's items) show
//! every change at once, whichever node or path made it: they are kept under the learner's data
//! version, which the database raises.

use autodidact_core::store::LogStore;

use crate::logs::{learner_following, today};
use crate::support::{Client, TestApp};

/// This week's hours as Today, the dashboard and the week page say them.
async fn hours_shown(client: &mut Client) -> (String, String, String) {
    let today_page = client.get("/").await;
    let dashboard = client.get("/dashboard").await;
    let week = client.get("/week").await;
    (
        today_page.text("#logged-today"),
        dashboard.text("#this-week .week-hours strong"),
        week.text("#week-total"),
    )
}

/// Logs `minutes` today on `item` (`FOLLOW:ITEM`) through the quick log, which must take it.
async fn log_today(client: &mut Client, item: &str, minutes: &str) {
    let resp = client
        .post(
            "/logs",
            &[
                ("item", item),
                ("duration", minutes),
                ("kind", "learn"),
                ("date", &today().to_string()),
            ],
        )
        .await;
    assert_eq!(
        resp.status,
        axum::http::StatusCode::SEE_OTHER,
        "{}",
        resp.body
    );
}

#[tokio::test]
async fn kept_pages_show_a_change_from_another_node_or_straight_sql_at_once() {
    let app = TestApp::new().await;
    let ada = learner_following(&app, "ada").await;
    let mut node_a = ada.client.clone();
    let mut node_b = app.on_another_node(&ada.client);

    let (today_words, week_hours, week_total) = hours_shown(&mut node_a).await;
    assert!(
        today_words.starts_with("Nothing logged yet today"),
        "{today_words}"
    );
    assert_eq!((week_hours.as_str(), week_total.as_str()), ("0 h", "0 h"));
    // Asked again, node A answers from what it kept: the same.
    assert_eq!(
        hours_shown(&mut node_a).await,
        (today_words, week_hours, week_total)
    );

    // Node B logs 90 minutes: node A's next pages show them.
    node_b.get("/logs").await;
    let item = format!("{}:{}", ada.follow.0, "fast-ai-part-1");
    log_today(&mut node_b, &item, "90").await;
    let (today_words, week_hours, week_total) = hours_shown(&mut node_a).await;
    assert!(today_words.contains("1.5 h logged today"), "{today_words}");
    assert_eq!(
        (week_hours.as_str(), week_total.as_str()),
        ("1.5 h", "1.5 h")
    );
    assert_eq!(
        node_a.get("/dashboard").await.texts("#recent .note"),
        Vec::<String>::new()
    );

    // A change made in SQL, past every code path, shows too.
    app.execute("UPDATE study_logs SET note = 'read chapter 2'")
        .await;
    assert_eq!(
        app.db.recent_logs(ada.id, 1).await.unwrap()[0].note,
        "read chapter 2"
    );
    assert_eq!(
        node_a.get("/dashboard").await.texts("#recent .note"),
        ["read chapter 2"]
    );
}

#[tokio::test]
async fn a_kept_board_and_plan_show_a_move_made_on_another_node() {
    let app = TestApp::new().await;
    let ada = learner_following(&app, "ada").await;
    let follow = ada.follow.0;
    let mut node_a = ada.client.clone();
    let mut node_b = app.on_another_node(&ada.client);
    let board = format!("/follows/{follow}/board");
    let doing = "#column-doing #card-linear-algebra";
    assert!(node_a.get(&board).await.texts(doing).is_empty());
    let plan = format!("/follows/{follow}");
    let row = "#row-linear-algebra";
    assert_eq!(
        node_a.get(&plan).await.attr(row, "class").as_deref(),
        Some("status-todo")
    );

    node_b.get(&board).await;
    let resp = node_b
        .post(
            &format!("/follows/{follow}/items/linear-algebra/status"),
            &[("status", "done")],
        )
        .await;
    assert_eq!(
        resp.status,
        axum::http::StatusCode::SEE_OTHER,
        "{}",
        resp.body
    );

    let on_a = node_a.get(&board).await;
    assert_eq!(on_a.texts("#column-done #card-linear-algebra").len(), 1);
    // The plan page, kept from the same follow, moved on too.
    assert_eq!(
        node_a.get(&plan).await.attr(row, "class").as_deref(),
        Some("status-done")
    );
}

#[tokio::test]
async fn a_log_is_checked_against_the_follows_of_now_not_those_a_node_kept() {
    use autodidact_core::store::Visibility;
    let app = TestApp::new().await;
    let ada = learner_following(&app, "ada").await;
    let mut node_a = ada.client.clone();
    // Node A keeps Ada's loggable items (her one follow).
    node_a.get("/logs").await;
    node_a.get("/logs").await;

    // Another path follows a second curriculum: its item is loggable on node A at once.
    const STATS: &str = "title = \"Statistics\"\n[[phases]]\ntitle = \"One\"\nitems = [{ id = \"probability\", kind = \"course\", title = \"Probability\", hours = 30 }]\n";
    let stats = crate::logs::add_curriculum(&app, ada.id, STATS, Visibility::Private).await;
    let follow = crate::logs::add_follow(&app, ada.id, stats, "5", today()).await;
    log_today(&mut node_a, &format!("{}:probability", follow.0), "30").await;
    let logs = app.db.recent_logs(ada.id, 10).await.unwrap();
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].follow, Some(follow));
}
