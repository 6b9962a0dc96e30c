//! `autodidact backup` under a steady write load, `autodidact restore`, and `autodidact verify`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use autodidact_core::accounts::UserId;
use autodidact_core::curriculum::Minutes;
use autodidact_core::store::{LogKind, LogStore, NewLog};
use autodidact_store::Db;
use autodidact_store::testing::{PostgresGuard, postgres, postgres_database, with_database};
use jiff::{Timestamp, ToSpan};

use crate::fixtures::{ada, open};
use crate::{autodidact, stderr, stdout};

/// A writer that logs a minute at a time, on days spread over years, until stopped, counting
/// the logs the store acknowledged.
struct Writer {
    stop: Arc<AtomicBool>,
    written: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Writer {
    fn start(runtime: &tokio::runtime::Runtime, db: &Db, user: UserId) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let written = Arc::new(AtomicU64::new(0));
        let task = {
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
        Self {
            stop,
            written,
            task,
        }
    }

    fn written(&self) -> i64 {
        self.written.load(Ordering::SeqCst) as i64
    }

    /// Waits until `n` logs are acknowledged; returns how many are.
    fn wait_for(&self, n: i64) -> i64 {
        while self.written() < n {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        self.written()
    }

    /// Stops it; returns how many logs were acknowledged in all.
    fn stop(self, runtime: &tokio::runtime::Runtime) -> i64 {
        self.stop.store(true, Ordering::Relaxed);
        let written = self.written.clone();
        runtime.block_on(self.task).unwrap();
        written.load(Ordering::SeqCst) as i64
    }
}

/// The database at `url`, restored from a copy taken while logs were written, passes
/// `autodidact verify` and holds a number of logs in `written`: every log acknowledged before
/// the copy began, and none that was never acknowledged.
fn assert_restored_whole(
    dir: &std::path::Path,
    runtime: &tokio::runtime::Runtime,
    url: &str,
    written: std::ops::RangeInclusive<i64>,
) {
    let verify = autodidact(dir, &["verify", "--database-url", url]);
    assert!(verify.status.success(), "{}", stderr(&verify));
    assert!(stdout(&verify).ends_with("ok\n"), "{}", stdout(&verify));
    let restored = runtime.block_on(async {
        let db = open(url).await;
        let found = db.verify().await.unwrap();
        db.close().await;
        found
    });
    assert!(restored.is_sound(), "{restored:?}");
    assert!(
        written.contains(&restored.logs),
        "{} logs, written {written:?} between the start and the end of the copy",
        restored.logs
    );
}

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
    let writer = Writer::start(&runtime, &db, user);
    let before = writer.wait_for(200);
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
    let after = writer.written();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("integrity ok"), "{}", stdout(&out));
    let total = writer.stop(&runtime);
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
    assert_restored_whole(dir.path(), &runtime, &restored_url, before..=after);

    // Restoring over an existing database needs --force.
    let refused = autodidact(
        dir.path(),
        &["restore", backup.to_str().unwrap(), "--database-url", &url],
    );
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("--force"), "{}", stderr(&refused));
    runtime.block_on(db.close());
}

/// PostgreSQL's backups are pg_dump's (docs/OPERATIONS.md): a dump taken under a steady write
/// load is a consistent snapshot, and restored into an empty database it checks out.
#[test]
fn a_pg_dump_made_while_logs_are_written_restores_whole_and_checks_out() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(live) = runtime.block_on(postgres()) else {
        return; // No server outside CI; in CI `postgres()` fails instead.
    };
    let user = runtime.block_on(ada(&live.db));
    let writer = Writer::start(&runtime, &live.db, user);
    let before = writer.wait_for(200);
    let dump = dir.path().join("autodidact.dump");
    let out = std::process::Command::new("pg_dump")
        .args(["--format=custom", "--file"])
        .arg(&dump)
        .arg(live.connection_url())
        .output()
        .expect("pg_dump runs (it comes with PostgreSQL's client)");
    let after = writer.written();
    assert!(out.status.success(), "{}", stderr(&out));
    let total = writer.stop(&runtime);
    assert!(total > after, "the writes went on during the dump");

    let (admin_url, database) = runtime.block_on(postgres_database()).unwrap();
    let _guard = PostgresGuard {
        admin_url: admin_url.clone(),
        database: database.clone(),
    };
    let restored_url = with_database(&admin_url, &database);
    let out = std::process::Command::new("pg_restore")
        .args(["--no-owner", "--exit-on-error", "--dbname", &restored_url])
        .arg(&dump)
        .output()
        .expect("pg_restore runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_restored_whole(dir.path(), &runtime, &restored_url, before..=after);
    runtime.block_on(live.db.close());
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
