//! The rolling plan: a learner who fell behind sees the work left planned from today, with the
//! same dates on the plan page, the dashboard, the week page, the calendar feed and the API,
//! and none of it in the past.

use std::collections::BTreeMap;

use autodidact_core::curriculum::ItemId;
use autodidact_core::curriculum::Minutes;
use autodidact_core::store::{LogKind, LogStore, NewLog, TokenScope, Visibility};
use axum::http::StatusCode;
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde_json::Value;

use crate::api::{call, token};
use crate::logs::{DEEP_LEARNING, add_curriculum, add_follow, today, user_id};
use crate::support::TestApp;

/// Each item's first and last day, by item id.
type Spans = BTreeMap<String, (Date, Date)>;

fn day(raw: &str) -> Date {
    raw.parse().unwrap()
}

/// The all-day events of a feed, by item id: `DTEND` is exclusive, so the last day is the day
/// before it.
fn feed_spans(ics: &str) -> Spans {
    let unfolded = ics.replace("\r\n ", "");
    let mut spans = Spans::new();
    for event in unfolded.split("BEGIN:VEVENT").skip(1) {
        let field = |name: &str| {
            event
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .map(str::to_owned)
        };
        let Some(item) = field("UID:item-").and_then(|u| u.split('@').next().map(str::to_owned))
        else {
            continue;
        };
        let date = |raw: String| Date::strptime("%Y%m%d", raw.trim()).unwrap();
        let first = date(field("DTSTART;VALUE=DATE:").unwrap());
        let last = date(field("DTEND;VALUE=DATE:").unwrap())
            .yesterday()
            .unwrap();
        spans.insert(item, (first, last));
    }
    spans
}

#[tokio::test]
async fn a_learner_behind_sees_the_same_future_dates_on_every_page_and_in_the_feed() {
    let app = TestApp::new().await;
    let mut ada = app.learner("ada").await;
    let id = user_id(&app, "ada").await;
    let curriculum = add_curriculum(&app, id, DEEP_LEARNING, Visibility::Private).await;
    // Five hours a week from four weeks ago, and one hour logged since: 19 h behind.
    let start = today().checked_sub(28.days()).unwrap();
    let follow = add_follow(&app, id, curriculum, "5", start).await;
    app.db
        .add_log(NewLog {
            user: id,
            follow: Some(follow),
            item: Some(ItemId::parse("fast-ai-part-1").unwrap()),
            minutes: Minutes::from_hours(1),
            kind: LogKind::Learn,
            day: today().checked_sub(10.days()).unwrap(),
            note: String::new(),
            idempotency_key: None,
            start_item: false,
            finish_item: false,
            now: Timestamp::now(),
        })
        .await
        .unwrap();
    let today = today();

    // The API.
    let secret = token(&app, id, TokenScope::Read).await;
    let api = call(
        &app,
        "GET",
        &format!("/api/v1/follows/{}/plan", follow.0),
        Some(&secret),
        None,
        &[],
    )
    .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let plan = api.json();
    assert_eq!(day(plan["start"].as_str().unwrap()), today);
    let end = day(plan["end"].as_str().unwrap());
    let api_spans: Spans = plan["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let d = |k: &str| day(i[k].as_str().unwrap());
            (i["id"].as_str().unwrap().to_owned(), (d("start"), d("end")))
        })
        .collect();
    assert_eq!(api_spans.len(), 2);
    // Nothing in the past; the item begun an hour ago keeps 19 h, the book its 30 h.
    assert!(
        api_spans.values().all(|(first, _)| *first >= today),
        "{api_spans:?}"
    );
    let minutes: Vec<u64> = plan["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["minutes"].as_u64().unwrap())
        .collect();
    assert_eq!(minutes, [19 * 60, 30 * 60]);
    // 49 h at 5 h a week is ten weeks from today.
    assert!(end > today.checked_add(9.weeks()).unwrap(), "{end}");

    // The plan page: the same end and the same dates, row by row.
    let page = ada.get(&format!("/follows/{}", follow.0)).await;
    assert_eq!(page.attr("#plan-end", "datetime"), Some(end.to_string()));
    let mut page_spans = Spans::new();
    for item in api_spans.keys() {
        let dates = page.attrs(&format!("#row-{item} time"), "datetime");
        assert_eq!(dates.len(), 2, "{item}: {dates:?}");
        page_spans.insert(item.clone(), (day(&dates[0]), day(&dates[1])));
    }
    assert_eq!(page_spans, api_spans);
    let standing = page.text("#plan-standing");
    assert!(
        standing.starts_with("You are ") && standing.contains(" behind the plan you accepted"),
        "{standing}"
    );

    // The dashboard: the same end, and behind against the accepted plan.
    let home = ada.get("/dashboard").await;
    let card = format!("#follow-{}", follow.0);
    let words = if end.year() == today.year() {
        end.strftime("%a %-d %b").to_string()
    } else {
        end.strftime("%a %-d %b %Y").to_string()
    };
    // The plan page writes its dates the same way.
    assert_eq!(page.text("#plan-end"), words);
    assert_eq!(
        home.text(&format!("{card} .plan-end")),
        format!("The plan ends on {words}.")
    );
    assert!(
        home.text(&format!("{card} .behind"))
            .contains("behind the plan you accepted")
    );

    // Today: the same end, and the first item's work today.
    let today_page = ada.get("/").await;
    assert_eq!(
        today_page.text(&format!("#today-{} .plan-end", follow.0)),
        format!("At your hours you finish on {words}.")
    );
    assert!(
        today_page
            .text(&format!("#today-{} .behind", follow.0))
            .contains("behind the plan you accepted")
    );

    // The calendar feed: one event per item on the same days.
    let feed_page = ada
        .post(&format!("/follows/{}/calendar", follow.0), &[])
        .await;
    let feed = app.client().get(&feed_page.feed_path()).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert_eq!(feed_spans(&feed.body), api_spans);

    // The week page: the week after this one holds what the API's plan puts in it.
    let next_first: Date = plan["weeks"]
        .as_array()
        .unwrap()
        .get(1)
        .map(|w| day(w["start"].as_str().unwrap()))
        .unwrap();
    let next: Vec<(String, u64)> = plan["weeks"][1]["work"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w: &Value| (w[0].as_str().unwrap().to_owned(), w[1].as_u64().unwrap()))
        .collect();
    assert!(!next.is_empty());
    let week = ada.get("/week").await;
    let planned = week.texts("#next-week .wk-planned li");
    let expected: Vec<String> = next
        .iter()
        .map(|(item, m)| {
            let title = if item == "fast-ai-part-1" {
                "Practical Deep Learning"
            } else {
                "Linear Algebra Done Right"
            };
            format!("{title} {}", Minutes::new(u32::try_from(*m).unwrap()))
        })
        .collect();
    assert_eq!(planned, expected);
    assert!(
        week.text("#next-week .wk-range")
            .contains(&next_first.strftime("%-d").to_string())
    );
}
