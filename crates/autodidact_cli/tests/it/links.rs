//! `autodidact links check`: evidence addresses asked away from any page, the answers kept.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use autodidact_core::curriculum::ItemId;
use autodidact_core::store::{EvidenceKind, FollowStore, LinkStatus, SharingStore};
use jiff::Timestamp;

use crate::fixtures::{DEEP_LEARNING, ada, follow, open};
use crate::{autodidact, stderr, stdout};

/// A web server on a free port: `/ok` answers 200 and anything else 404. Counts requests.
fn server() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut request = String::new();
            let _ = BufReader::new(&stream).read_line(&mut request);
            let status = if request.split_whitespace().nth(1) == Some("/ok") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
        }
    });
    (port, seen)
}

async fn fixture(url: &str, port: u16) {
    let db = open(url).await;
    let ada = ada(&db).await;
    let (_, follow) = follow(&db, ada, DEEP_LEARNING, jiff::civil::date(2026, 1, 5)).await;
    let item = ItemId::parse("fast-ai-part-1").unwrap();
    for path in ["ok", "gone"] {
        db.add_evidence(
            follow,
            ada,
            &item,
            EvidenceKind::Repository,
            &format!("http://127.0.0.1:{port}/{path}"),
            path,
            Timestamp::now(),
        )
        .await
        .unwrap();
    }
    db.close().await;
}

async fn checks(url: &str) -> Vec<(String, LinkStatus)> {
    let db = open(url).await;
    let ada = autodidact_core::store::AccountStore::user_by_handle(
        &db,
        &autodidact_core::accounts::Handle::parse("ada").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let mut found: Vec<_> = db
        .link_checks_of(ada.id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.url, c.status))
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    db.close().await;
    found
}

#[test]
fn links_check_keeps_what_each_evidence_address_answered_and_never_reaches_private_ones() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("autodidact.db").display());
    let (port, seen) = server();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(fixture(&url, port));

    // By default a check never reaches this machine's own addresses: no request is sent.
    let out = autodidact(dir.path(), &["links", "check", "--database-url", &url]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Checked 2 addresses: 0 alive, 0 broken, 2 unreachable."),
        "{}",
        stdout(&out)
    );
    assert_eq!(seen.load(Ordering::SeqCst), 0);
    // Checked just now, so nothing is due again.
    let again = autodidact(dir.path(), &["links", "check", "--database-url", &url]);
    assert!(
        stdout(&again).contains("Checked 0 addresses"),
        "{}",
        stdout(&again)
    );

    // Allowed, and due again at once, each answer is kept.
    let out = autodidact(
        dir.path(),
        &[
            "links",
            "check",
            "--allow-private",
            "--max-age-hours",
            "0",
            "--database-url",
            &url,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Checked 2 addresses: 1 alive, 1 broken, 0 unreachable."),
        "{}",
        stdout(&out)
    );
    assert!(seen.load(Ordering::SeqCst) >= 2);
    assert_eq!(
        runtime.block_on(checks(&url)),
        vec![
            (
                format!("http://127.0.0.1:{port}/gone"),
                LinkStatus::Broken(404)
            ),
            (
                format!("http://127.0.0.1:{port}/ok"),
                LinkStatus::Alive(200)
            ),
        ]
    );
}
