//! The server on a real socket: the header-read deadline against slow and silent clients,
//! the cap on open connections, and the peer's address reaching the handlers.

use std::sync::Arc;
use std::time::{Duration, Instant};

use autodidact_web::{AppState, ServeLimits, WebConfig, build_router};
use axum::http::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::TestApp;

async fn start(
    app: &TestApp,
    limits: ServeLimits,
) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let state = AppState::new(Arc::new(app.db.clone()), WebConfig::default()).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(autodidact_web::serve(
        listener,
        build_router(state),
        limits,
        async move {
            let _ = stopped.await;
        },
    ));
    (address, stop)
}

/// Reads until the server closes the connection (or `limit` passes): how long it took, and
/// what was read.
async fn until_closed(stream: &mut TcpStream, limit: Duration) -> (Duration, String) {
    let started = Instant::now();
    let mut text = Vec::new();
    let mut buf = [0u8; 4096];
    while started.elapsed() < limit {
        match tokio::time::timeout(limit - started.elapsed(), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => text.extend_from_slice(&buf[..n]),
            Err(_) => break,
        }
    }
    (
        started.elapsed(),
        String::from_utf8_lossy(&text).into_owned(),
    )
}

#[tokio::test]
async fn a_client_slow_to_send_its_headers_or_silent_is_dropped_and_others_are_served() {
    let app = TestApp::new().await;
    let limits = ServeLimits {
        header_read_timeout: Duration::from_millis(500),
        ..ServeLimits::default()
    };
    let (address, _stop) = start(&app, limits).await;

    // Slowloris: half a request's headers, then nothing.
    let mut slow = TcpStream::connect(address).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    // Silent: connects and sends nothing.
    let mut silent = TcpStream::connect(address).await.unwrap();
    // Idle: one request on a kept-alive connection, then nothing.
    let mut idle = TcpStream::connect(address).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 512];
    let n = idle.read(&mut buf).await.unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));

    // Meanwhile a normal request is served at once.
    let mut normal = TcpStream::connect(address).await.unwrap();
    normal
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let (_, answer) = until_closed(&mut normal, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    for (name, stream) in [
        ("slow", &mut slow),
        ("silent", &mut silent),
        ("idle", &mut idle),
    ] {
        let (took, _) = until_closed(stream, Duration::from_secs(5)).await;
        assert!(took < Duration::from_secs(3), "{name} held for {took:?}");
    }
}

#[tokio::test]
async fn connections_beyond_the_cap_are_closed_at_once() {
    let app = TestApp::new().await;
    let limits = ServeLimits {
        max_connections: 2,
        header_read_timeout: Duration::from_secs(30),
        ..ServeLimits::default()
    };
    let (address, _stop) = start(&app, limits).await;
    let _first = TcpStream::connect(address).await.unwrap();
    let _second = TcpStream::connect(address).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut third = TcpStream::connect(address).await.unwrap();
    let _ = third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let (took, answer) = until_closed(&mut third, Duration::from_secs(5)).await;
    assert!(answer.is_empty(), "{answer}");
    assert!(took < Duration::from_secs(2), "{took:?}");
}

/// A request body that never arrives: its request holds its place in flight.
struct NeverArrives;

impl http_body::Body for NeverArrives {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Pending
    }
}

#[tokio::test]
async fn beyond_the_places_in_flight_a_request_gets_503_at_once_and_health_still_answers() {
    let app = TestApp::with_config(|c| {
        c.max_in_flight = 1;
        c.queue_wait = Duration::from_millis(20);
    })
    .await;
    let mut ada = app.learner("ada").await;
    ada.get("/logs/new").await;
    // One request takes the only place and keeps it: its body never arrives.
    let mut holder = ada.clone();
    let request = holder
        .request("POST", "/logs")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(axum::body::Body::new(NeverArrives))
        .unwrap();
    let held = tokio::spawn(async move { holder.send(request).await });
    tokio::time::sleep(Duration::from_millis(50)).await;
    // Every other request is answered 503 within about the wait.
    for path in ["/", "/settings", "/api/v1/me"] {
        let started = Instant::now();
        let resp = ada.get(path).await;
        assert_eq!(resp.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert_eq!(resp.headers["retry-after"], "1");
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "{:?}",
            started.elapsed()
        );
    }
    // The health routes never wait.
    assert_eq!(ada.get("/healthz").await.status, StatusCode::OK);
    assert_eq!(ada.get("/readyz").await.status, StatusCode::OK);
    // Once the place is free, requests are served again.
    held.abort();
    let _ = held.await;
    assert_eq!(ada.get("/settings").await.status, StatusCode::OK);
}
