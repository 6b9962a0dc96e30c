//! Today, the landing page: what the rolling plan puts on today and this week, the item in
//! progress, and logging, timing and finishing from there in one click.

use autodidact_core::store::{FollowStore, ItemStatus, LogStore};
use axum::http::StatusCode;

use crate::logs::{learner_following, today};
use crate::support::TestApp;

#[tokio::test]
async fn today_shows_the_days_work_and_logs_it_in_one_click() {
    let app = TestApp::new().await;
    // 10 h a week from today: about 1 h 26 min a day, all on the first item.
    let mut ada = learner_following(&app, "ada").await;
    let follow = ada.follow.0;
    let page = ada.client.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    let card = format!("#today-{follow}");
    assert_eq!(page.text(&format!("{card} h2")), "Deep learning");
    let items = page.texts(&format!("{card} .today-item .title"));
    assert_eq!(items, ["Practical Deep Learning"]);
    let planned = page.text(&format!("{card} .today-item .planned"));
    // About 1 h 26 min, shown to the quarter hour: what the buttons say is what they log.
    assert_eq!(planned, "1.5 h");
    assert!(
        page.text(&format!("{card} .current"))
            .starts_with("In progress: Practical Deep Learning")
    );
    assert!(
        page.text("#logged-today")
            .starts_with("Nothing logged yet today")
    );
    assert!(
        page.text(&format!("{card} .plan-end"))
            .starts_with("At your hours you finish on ")
    );

    // "Log and mark done" posts the planned minutes with the item and done.
    let form = page.html();
    let selector = scraper::Selector::parse(&format!("{card} .today-item form")).unwrap();
    let forms: Vec<_> = form.select(&selector).collect();
    assert_eq!(forms.len(), 3, "timer, log, log and mark done");
    let fields = |n: usize| -> Vec<(String, String)> {
        let input = scraper::Selector::parse("input").unwrap();
        forms[n]
            .select(&input)
            .filter_map(|i| {
                Some((
                    i.value().attr("name")?.to_owned(),
                    i.value().attr("value")?.to_owned(),
                ))
            })
            .filter(|(name, _)| name != "csrf")
            .collect()
    };
    assert_eq!(forms[2].value().attr("action"), Some("/logs"));
    let done = fields(2);
    let borrowed: Vec<(&str, &str)> = done.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let resp = ada.client.post("/logs", &borrowed).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    assert_eq!(resp.location(), Some("/#logged"));
    let logs = app.db.recent_logs(ada.id, 5).await.unwrap();
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].day, today());
    assert_eq!(logs[0].minutes.get(), 90);
    let states = app.db.item_states(ada.follow).await.unwrap();
    assert_eq!(states[0].status, ItemStatus::Done);

    // Today now moves on: the first item is done, today's hour is spent, the next one waits.
    let page = ada.client.get("/").await;
    assert!(
        page.text("#logged-today").contains("1.5 h logged today."),
        "{}",
        page.text("#logged-today")
    );
    assert!(page.texts(&format!("{card} .today-item")).is_empty());
    assert!(
        page.text(&format!("{card} .current"))
            .contains("Linear Algebra Done Right")
    );

    // The timer starts from Today on an item, and Today knows it runs.
    let resp = ada
        .client
        .post(
            "/timer/start",
            &[
                ("item", &format!("{follow}:linear-algebra")),
                ("return_to", "/"),
            ],
        )
        .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let page = ada.client.get("/").await;
    assert!(page.text("#timer").contains("Linear Algebra Done Right"));
}
