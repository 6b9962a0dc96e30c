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
    let resp = node_b
        .post(
            "/logs",
            &[
                ("item", item.as_str()),
                ("duration", "90"),
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
