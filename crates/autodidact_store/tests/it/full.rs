//! A database with no room left (a full disk, here a size cap of SQLite's `max_page_count`):
//! writes fail with `StoreError::Full`, reads go on, no connection is left unusable, and writes
//! work again once there is room.

use autodidact_core::store::{AccountStore, LogStore, StoreError};
use autodidact_store::Db;
use autodidact_store::testing;

use crate::fixtures::{Learner, new_log};

#[tokio::test]
async fn a_full_database_refuses_writes_clearly_keeps_reading_and_writes_again_with_room() {
    let test = testing::sqlite().await;
    let ada = Learner::new("ada").create(&test).await;
    // The same file, capped a little above what the schema and one learner take.
    let url = format!("{}?max_page_count=160", test.connection_url());
    let db = Db::connect(&url).await.unwrap();
    let note = "a note long enough to fill pages quickly ".repeat(24);
    let mut stored = Vec::new();
    let mut full = 0;
    for n in 0..5000u32 {
        let mut log = new_log(
            &ada,
            1 + n % 60,
            &format!("2026-{:02}-{:02}", 1 + n % 12, 1 + n % 28),
        );
        log.note = format!("{n} {note}");
        match db.add_log(log).await {
            Ok((log, _)) => stored.push(log.id),
            Err(StoreError::Full) => {
                full += 1;
                if full == 20 {
                    break;
                }
            }
            Err(other) => panic!("after {} logs: {other:?}", stored.len()),
        }
    }
    assert_eq!(
        full,
        20,
        "the cap was never reached ({} logs)",
        stored.len()
    );
    assert!(stored.len() > 20, "{} logs", stored.len());

    // Reads go on, on every connection of the pool, and nothing was half-written.
    for _ in 0..30 {
        assert_eq!(db.user(ada.id).await.unwrap().unwrap().id, ada.id);
    }
    let found = db.verify().await.unwrap();
    assert!(found.is_sound(), "{found:?}");
    assert_eq!(found.logs, stored.len() as i64);

    // Room again (logs deleted free their pages): writes work, without a restart.
    for id in stored.iter().take(stored.len() / 2) {
        db.delete_log(*id, ada.id).await.unwrap();
    }
    for n in 0..10 {
        let mut log = new_log(&ada, 5, "2026-06-01");
        log.note = format!("after {n}");
        db.add_log(log).await.unwrap();
    }
    assert!(db.verify().await.unwrap().is_sound());
    db.close().await;
}
