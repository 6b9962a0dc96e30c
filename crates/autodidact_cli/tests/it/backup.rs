//! `autodidact backup` under a steady write load, `autodidact restore`, and `autodidact verify`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use autodidact_core::curriculum::Minutes;
use autodidact_core::store::{LogKind, LogStore, NewLog};
use jiff::{Timestamp, ToSpan};

use crate::fixtures::{ada, open};
use crate::{autodidact, stderr, stdout};

#[test]
fn a_backup_made_while_logs_are_written_restores_whole_and_checks_out() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("live.db").display());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (db, user) = runtime.block_on(async {
        let db = open(&url).await;
        let user = ada(&db).await;
        (db, user)
    });
    // A writer logs a minute at a time, on days spread over years, until told to stop.
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicU64::new(0));
    let writer = {
        let (db, stop, written) = (db.clone(), stop.clone(), written.clone());
        runtime.spawn(async move {
            let today = Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
            let mut n = 0i64;
            while !stop.load(Ordering::Relaxed) {
                db.add_log(NewLog {
                    user,
                    follow: None,
                    item: None,
                    minutes: Minutes::new(1),
                    kind: LogKind::Learn,
                    day: today - (n % 3000).days(),
                    note: format!("write {n}"),
                    idempotency_key: None,
                    start_item: false,
                    finish_item: false,
                    now: Timestamp::now(),
                })
                .await
                .unwrap();
                written.fetch_add(1, Ordering::SeqCst);
                n += 1;
            }
        })
    };
    while written.load(Ordering::SeqCst) < 200 {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let before = written.load(Ordering::SeqCst);
    let backup = dir.path().join("backup.db");
    let out = autodidact(
        dir.path(),
        &[
            "backup",
            "--to",
            backup.to_str().unwrap(),
            "--database-url",
            &url,
        ],
    );
    let after = written.load(Ordering::SeqCst);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("integrity ok"), "{}", stdout(&out));
    stop.store(true, Ordering::Relaxed);
    runtime.block_on(writer).unwrap();
    let total = written.load(Ordering::SeqCst);
    assert!(total > after, "the writes went on during the backup");

    // A backup never overwrites.
    let again = autodidact(
        dir.path(),
        &[
            "backup",
            "--to",
            backup.to_str().unwrap(),
            "--database-url",
            &url,
        ],
    );
    assert!(!again.status.success());
    assert!(stderr(&again).contains("exists"), "{}", stderr(&again));

    // Restored into a new place, it holds every log written before it began, whole.
    let restored_url = format!("sqlite://{}", dir.path().join("restored.db").display());
    let out = autodidact(
        dir.path(),
        &[
            "restore",
            backup.to_str().unwrap(),
            "--database-url",
            &restored_url,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let restored = runtime.block_on(async {
        let db = open(&restored_url).await;
        let found = db.verify().await.unwrap();
        db.close().await;
        found
    });
    assert!(restored.is_sound(), "{restored:?}");
    assert!(
        (before as i64..=after as i64).contains(&restored.logs),
        "{} logs, written {before} before and {after} after the backup",
        restored.logs
    );
    let verify = autodidact(dir.path(), &["verify", "--database-url", &restored_url]);
    assert!(verify.status.success(), "{}", stderr(&verify));
    assert!(stdout(&verify).ends_with("ok\n"), "{}", stdout(&verify));

    // Restoring over an existing database needs --force.
    let refused = autodidact(
        dir.path(),
        &["restore", backup.to_str().unwrap(), "--database-url", &url],
    );
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    runtime.block_on(db.close());
}

#[test]
fn verify_says_when_the_running_totals_differ_from_the_logs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.db");
    let url = format!("sqlite://{}", path.display());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let db = open(&url).await;
        let user = ada(&db).await;
        db.add_log(NewLog {
            user,
            follow: None,
            item: None,
            minutes: Minutes::new(30),
            kind: LogKind::Build,
            day: jiff::civil::date(2026, 3, 1),
            note: String::new(),
            idempotency_key: None,
            start_item: false,
            finish_item: false,
            now: Timestamp::now(),
        })
        .await
        .unwrap();
        db.close().await;
    });
    assert!(
        autodidact(dir.path(), &["verify", "--database-url", &url])
            .status
            .success()
    );
    // A total set wrong behind the app's back.
    runtime.block_on(autodidact_store::testing::execute_at(
        &url,
        "UPDATE log_days SET build = 31",
    ));
    let out = autodidact(dir.path(), &["verify", "--database-url", &url]);
    assert!(!out.status.success());
    assert!(stdout(&out).contains("1 learner days"), "{}", stdout(&out));
}
