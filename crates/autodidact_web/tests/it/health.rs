//! The health routes a load balancer checks.

use std::time::{Duration, Instant};

use axum::http::StatusCode;

use crate::support::TestApp;

#[tokio::test]
async fn healthz_answers_while_the_process_lives_and_readyz_only_while_the_database_answers() {
    let app = TestApp::new().await;
    let mut balancer = app.client();
    let live = balancer.get("/healthz").await;
    assert_eq!((live.status, live.body.as_str()), (StatusCode::OK, "ok\n"));
    let ready = balancer.get("/readyz").await;
    assert_eq!(
        (ready.status, ready.body.as_str()),
        (StatusCode::OK, "ready\n")
    );
    assert_eq!(ready.headers["cache-control"], "no-store");

    // The database goes away: not ready, said within about a second; still alive.
    app.db.close().await;
    let started = Instant::now();
    let ready = balancer.get("/readyz").await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(balancer.get("/healthz").await.status, StatusCode::OK);
}
