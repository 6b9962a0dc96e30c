//! The reads that run whole on rusqlite (SQLite files): many at once share a bounded pool and
//! agree with what was written; after `close` they fail like the pool's.

use autodidact_core::store::{FollowStore, InsightStore, LogStore, StoreError};
use autodidact_store::testing::sqlite;

use crate::fixtures::{date, learner_with_follow, new_log, on_item};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_reads_at_once_all_see_what_was_written() {
    let test = sqlite().await;
    let db = test.db.clone();
    let (ada, _, adas) = learner_with_follow(&db, "ada").await;
    for n in 0..20 {
        let day = format!("2026-01-{:02}", n + 1);
        db.add_log(on_item(new_log(&ada, 30 + n, &day), &adas, "basics"))
            .await
            .unwrap();
    }
    // Far more reads than the pool's connections, all at once.
    let reads: Vec<_> = (0..64)
        .map(|_| {
            let db = db.clone();
            let (user, follow) = (ada.id, adas.id);
            tokio::spawn(async move {
                let days = db
                    .daily_minutes(user, date("2026-01-01"), date("2026-12-31"))
                    .await
                    .unwrap();
                let items = db.follow_minutes(follow).await.unwrap();
                let follows = db.follows_of(user).await.unwrap();
                (days.len(), items.len(), follows.len())
            })
        })
        .collect();
    for read in reads {
        assert_eq!(read.await.unwrap(), (20, 20, 1));
    }
    let total: u32 = db
        .follow_minutes(adas.id)
        .await
        .unwrap()
        .iter()
        .map(|(_, _, m)| m.get())
        .sum();
    assert_eq!(total, (30..50).sum::<u32>());

    db.close().await;
    assert!(matches!(
        db.follows_of(ada.id).await,
        Err(StoreError::Unavailable(_))
    ));
}
