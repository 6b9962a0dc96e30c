//! Everything a learner does in the browser, done through `/api/v1` with one read-write token:
//! a curriculum from a template, following it, the plan, the board, evidence, a review, a
//! commitment, the week, the figures, a fork of someone else's curriculum, and leaving.

use autodidact_core::store::TokenScope;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::api::{call, token};
use crate::logs::{today, user_id};
use crate::support::{Resp, TestApp};

async fn send(app: &TestApp, token: &str, method: &str, path: &str, body: Option<Value>) -> Resp {
    let text = body.map(|b| b.to_string());
    call(app, method, path, Some(token), text.as_deref(), &[]).await
}

fn ok(resp: &Resp, status: StatusCode) -> Value {
    assert_eq!(resp.status, status, "{}", resp.body);
    if resp.body.is_empty() {
        Value::Null
    } else {
        resp.json()
    }
}

#[tokio::test]
async fn a_learner_can_do_everything_through_the_api() {
    let app = TestApp::new().await;
    app.learner("ada").await;
    let ada = user_id(&app, "ada").await;
    let t = token(&app, ada, TokenScope::ReadWrite).await;

    // A curriculum from a template; every id is a string.
    let made = send(
        &app,
        &t,
        "POST",
        "/api/v1/curricula",
        Some(json!({"template": "deep-learning-in-six-months"})),
    )
    .await;
    let curriculum = ok(&made, StatusCode::CREATED);
    let cid = curriculum["id"].as_str().unwrap().to_owned();
    assert!(cid.chars().all(|c| c.is_ascii_digit()));
    assert_eq!(curriculum["lineage"], "From a shipped template.");
    let first_item = curriculum["phases"][0]["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // A TOML with an error is refused with what to fix.
    let bad = send(
        &app,
        &t,
        "PATCH",
        &format!("/api/v1/curricula/{cid}"),
        Some(json!({"toml": "title = \"\"\n"})),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);

    // Follow it at 10 h a week; see the dated plan.
    let followed = send(
        &app,
        &t,
        "POST",
        "/api/v1/follows",
        Some(json!({"curriculum": cid, "budget": "10", "start": today().to_string()})),
    )
    .await;
    let follow = ok(&followed, StatusCode::CREATED);
    let fid = follow["id"].as_str().unwrap().to_owned();
    let again = send(
        &app,
        &t,
        "POST",
        "/api/v1/follows",
        Some(json!({"curriculum": cid, "budget": "10"})),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let plan = ok(
        &send(
            &app,
            &t,
            "GET",
            &format!("/api/v1/follows/{fid}/plan"),
            None,
        )
        .await,
        StatusCode::OK,
    );
    let end_at_10 = plan["end"].as_str().unwrap().to_owned();
    assert!(!plan["weeks"].as_array().unwrap().is_empty());

    // Twenty hours a week ends sooner; a budget that plans nothing is refused.
    ok(
        &send(
            &app,
            &t,
            "PATCH",
            &format!("/api/v1/follows/{fid}"),
            Some(json!({"budget": "20"})),
        )
        .await,
        StatusCode::OK,
    );
    let plan = ok(
        &send(
            &app,
            &t,
            "GET",
            &format!("/api/v1/follows/{fid}/plan"),
            None,
        )
        .await,
        StatusCode::OK,
    );
    assert!(plan["end"].as_str().unwrap() < end_at_10.as_str());
    let zero = send(
        &app,
        &t,
        "PATCH",
        &format!("/api/v1/follows/{fid}"),
        Some(json!({"budget": "0"})),
    )
    .await;
    assert!(zero.status.is_client_error(), "{}", zero.body);

    // The board: a card done with notes, evidence added and removed.
    let item = format!("/api/v1/follows/{fid}/items/{first_item}");
    let changed = ok(
        &send(
            &app,
            &t,
            "PATCH",
            &item,
            Some(json!({"status": "done", "notes": "Finished **all** lessons."})),
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(changed["item"]["status"], "done");
    assert_eq!(changed["item"]["notes"], "Finished **all** lessons.");
    let with = ok(
        &send(
            &app,
            &t,
            "POST",
            &format!("{item}/evidence"),
            Some(
                json!({"kind": "repository", "url": "https://github.com/ada/nn", "title": "Code"}),
            ),
        )
        .await,
        StatusCode::CREATED,
    );
    let eid = with["evidence"][0]["id"].as_str().unwrap().to_owned();
    let bad_url = send(
        &app,
        &t,
        "POST",
        &format!("{item}/evidence"),
        Some(json!({"kind": "repository", "url": "javascript:alert(1)"})),
    )
    .await;
    assert_eq!(bad_url.status, StatusCode::BAD_REQUEST);
    ok(
        &send(&app, &t, "DELETE", &format!("{item}/evidence/{eid}"), None).await,
        StatusCode::NO_CONTENT,
    );
    let board = ok(
        &send(
            &app,
            &t,
            "GET",
            &format!("/api/v1/follows/{fid}/items"),
            None,
        )
        .await,
        StatusCode::OK,
    );
    assert!(board["items"][0]["evidence"].as_array().unwrap().is_empty());

    // Spaced review: mark, grade, list, stop.
    let marked = ok(
        &send(&app, &t, "POST", &format!("{item}/review"), None).await,
        StatusCode::OK,
    );
    assert!(marked["due"].as_str().unwrap() > today().to_string().as_str());
    let graded = ok(
        &send(
            &app,
            &t,
            "POST",
            &format!("{item}/review/grades"),
            Some(json!({"grade": "good"})),
        )
        .await,
        StatusCode::CREATED,
    );
    assert_eq!(graded["reviews"], 1);
    let reviews = ok(
        &send(&app, &t, "GET", "/api/v1/reviews", None).await,
        StatusCode::OK,
    );
    assert_eq!(reviews["reviews"][0]["follow"], fid);
    ok(
        &send(&app, &t, "DELETE", &format!("{item}/review"), None).await,
        StatusCode::NO_CONTENT,
    );

    // A commitment, a log, the week and the figures.
    let committed = ok(
        &send(
            &app,
            &t,
            "POST",
            "/api/v1/commitments",
            Some(json!({"weekly_minutes": 600})),
        )
        .await,
        StatusCode::CREATED,
    );
    assert_eq!(committed["effective_on"], today().to_string());
    let too_much = send(
        &app,
        &t,
        "POST",
        "/api/v1/commitments",
        Some(json!({"weekly_minutes": 100000})),
    )
    .await;
    assert_eq!(too_much.status, StatusCode::BAD_REQUEST);
    ok(
        &send(
            &app,
            &t,
            "POST",
            "/api/v1/logs",
            Some(json!({"minutes": 90, "item": first_item, "follow": fid})),
        )
        .await,
        StatusCode::CREATED,
    );
    let week = ok(
        &send(&app, &t, "GET", "/api/v1/week", None).await,
        StatusCode::OK,
    );
    assert_eq!(week["by_item"][0]["minutes"], 90, "{week}");
    assert_eq!(week["by_item"][0]["follow"], fid);
    let insight = ok(
        &send(&app, &t, "GET", "/api/v1/insight", None).await,
        StatusCode::OK,
    );
    assert_eq!(insight["follows"][0]["follow"], fid);
    assert_eq!(insight["weeks"].as_array().unwrap().len(), 12);
    assert!(insight["follows"][0]["earned"].as_u64().unwrap() > 0);

    // Lists page with a cursor.
    for n in 0..3 {
        send(&app, &t, "POST", "/api/v1/curricula", Some(json!({"toml": format!("title = \"Extra {n}\"\n[[phases]]\ntitle = \"P\"\nitems = [{{ id = \"x\", kind = \"book\", title = \"X\", hours = 1 }}]\n")}))).await;
    }
    let page = ok(
        &send(&app, &t, "GET", "/api/v1/curricula?limit=2", None).await,
        StatusCode::OK,
    );
    assert_eq!(page["curricula"].as_array().unwrap().len(), 2);
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    let rest = ok(
        &send(
            &app,
            &t,
            "GET",
            &format!("/api/v1/curricula?limit=2&cursor={cursor}"),
            None,
        )
        .await,
        StatusCode::OK,
    );
    assert_eq!(rest["curricula"].as_array().unwrap().len(), 2);
    assert!(rest["next_cursor"].is_null());

    // Fork someone else's public curriculum: a private copy linked to it.
    app.learner("rosa").await;
    let rosa = user_id(&app, "rosa").await;
    let rt = token(&app, rosa, TokenScope::ReadWrite).await;
    let theirs = ok(
        &send(
            &app,
            &rt,
            "POST",
            "/api/v1/curricula",
            Some(json!({"template": "ml-beginner-path", "visibility": "public"})),
        )
        .await,
        StatusCode::CREATED,
    );
    let tid = theirs["id"].as_str().unwrap();
    let copy = ok(
        &send(
            &app,
            &t,
            "POST",
            &format!("/api/v1/curricula/{tid}/fork"),
            None,
        )
        .await,
        StatusCode::CREATED,
    );
    assert_eq!(copy["forked_from"], tid);
    assert_eq!(copy["owner"], "ada");
    let not_mine = send(
        &app,
        &t,
        "PATCH",
        &format!("/api/v1/curricula/{tid}"),
        Some(json!({"visibility": "private"})),
    )
    .await;
    assert_eq!(not_mine.status, StatusCode::NOT_FOUND);

    // Stop following, delete the curriculum.
    ok(
        &send(&app, &t, "DELETE", &format!("/api/v1/follows/{fid}"), None).await,
        StatusCode::NO_CONTENT,
    );
    ok(
        &send(
            &app,
            &t,
            "DELETE",
            &format!("/api/v1/curricula/{cid}"),
            None,
        )
        .await,
        StatusCode::NO_CONTENT,
    );
    assert_eq!(
        send(&app, &t, "GET", &format!("/api/v1/curricula/{cid}"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
