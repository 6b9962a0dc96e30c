//! Migrations, the schema both backends build, and connecting.

use std::path::Path;
use std::time::{Duration, Instant};

use autodidact_core::store::AccountStore;
use autodidact_store::{Backend, ConnectError, Db};

use crate::fixtures::Learner;
use autodidact_store::testing::{
    PostgresGuard, backends, postgres, postgres_admin_url, postgres_database, sqlite, with_database,
};

fn migration_files(backend: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_migration_exists_for_both_backends_under_the_same_name() {
    let sqlite = migration_files("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, migration_files("postgres"));
}

#[tokio::test]
async fn both_backends_build_the_same_schema() {
    let lite = sqlite().await;
    let Some(pg) = postgres().await else {
        return; // Outside CI without a server; the harness said so on stderr.
    };
    let (lite, pg) = (lite.schema().await.unwrap(), pg.schema().await.unwrap());

    let tables: Vec<&str> = lite.tables.keys().map(String::as_str).collect();
    assert_eq!(
        tables,
        [
            "api_tokens",
            "commitments",
            "curricula",
            "dismissals",
            "evidence",
            "follows",
            "import_reports",
            "item_addresses",
            "item_reviews",
            "item_states",
            "journal_posts",
            "learner_follows",
            "link_checks",
            "log_days",
            "log_item_days",
            "password_resets",
            "pending_sign_ups",
            "plan_revisions",
            "profiles",
            "review_events",
            "reviews",
            "schema_migrations",
            "sessions",
            "study_logs",
            "suggestions",
            "throttle_events",
            "throttle_rules",
            "timers",
            "users",
        ]
    );
    for (table, columns) in &lite.tables {
        assert_eq!(Some(columns), pg.tables.get(table), "columns of {table}");
    }
    assert_eq!(lite.tables, pg.tables);
    assert_eq!(lite.constraints, pg.constraints, "named constraints");
    assert_eq!(lite.indexes, pg.indexes, "indexes");
    assert_eq!(lite.foreign_keys, pg.foreign_keys, "foreign keys");
    assert!(lite.constraints.iter().any(|(t, name, kind)| (
        t.as_str(),
        name.as_str(),
        kind.as_str()
    ) == (
        "users",
        "users_handle_key",
        "UNIQUE"
    )));
}

#[tokio::test]
async fn migrating_again_applies_nothing() {
    for db in backends().await {
        assert_eq!(db.migrate().await.unwrap(), 0);
        let expected: Vec<String> = migration_files("sqlite")
            .iter()
            .map(|f| f.trim_end_matches(".sql").to_owned())
            .collect();
        assert_eq!(db.applied_migrations().await.unwrap(), expected);
    }
}

async fn migrate_twice_at_once(url: &str) {
    let (a, b) = (
        Db::connect(url).await.unwrap(),
        Db::connect(url).await.unwrap(),
    );
    let (ra, rb) = tokio::join!(
        tokio::spawn(async move { a.migrate().await }),
        tokio::spawn(async move { b.migrate().await })
    );
    let applied = ra.unwrap().unwrap() + rb.unwrap().unwrap();
    assert_eq!(applied, migration_files("sqlite").len());
    let db = Db::connect(url).await.unwrap();
    assert_eq!(db.applied_migrations().await.unwrap().len(), applied);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_migrating_at_once_apply_each_migration_once() {
    let dir = tempfile::tempdir().unwrap();
    migrate_twice_at_once(&format!(
        "sqlite://{}",
        dir.path().join("race.db").display()
    ))
    .await;

    if let Some((admin_url, database)) = postgres_database().await {
        let guard = PostgresGuard {
            admin_url,
            database,
        };
        migrate_twice_at_once(&with_database(&guard.admin_url, &guard.database)).await;
    }
}

#[tokio::test]
async fn an_unknown_scheme_is_refused_naming_the_accepted_ones() {
    let err = Db::connect("mysql://localhost/app").await.unwrap_err();
    assert!(matches!(err, ConnectError::UnknownScheme { .. }), "{err:?}");
    let message = err.to_string();
    for accepted in [
        "sqlite://",
        "sqlite::memory:",
        "postgres://",
        "postgresql://",
    ] {
        assert!(message.contains(accepted), "{message}");
    }
}

#[tokio::test]
async fn an_unreachable_postgres_is_reported_quickly_with_its_cause() {
    let started = Instant::now();
    let err = Db::connect("postgres://ada:secret@127.0.0.1:1/app")
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(7));
    let ConnectError::Unreachable { ref cause, .. } = err else {
        panic!("expected Unreachable, got {err:?}");
    };
    assert!(cause.to_lowercase().contains("refused"), "{cause}");
    assert!(!err.to_string().contains("secret"), "{err}");
}

#[tokio::test]
async fn a_postgres_server_that_refuses_says_why() {
    let Some(admin_url) = postgres_admin_url() else {
        return;
    };
    let err = Db::connect(&with_database(&admin_url, "autodidact_no_such_database"))
        .await
        .unwrap_err();
    let ConnectError::Refused { ref cause, .. } = err else {
        panic!("expected Refused, got {err:?}");
    };
    assert!(cause.contains("does not exist"), "{cause}");
}

#[tokio::test]
async fn a_sqlite_file_is_created_with_its_directories_and_uses_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/deeper/autodidact.db");
    let db = Db::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    assert_eq!(db.backend(), Backend::Sqlite);
    db.migrate().await.unwrap();
    Learner::new("ada").create(&db).await;
    assert!(path.exists());
    assert!(path.with_extension("db-wal").exists(), "WAL is on");
}

#[tokio::test]
async fn an_in_memory_sqlite_keeps_its_data_for_the_life_of_the_pool() {
    let db = Db::connect("sqlite::memory:").await.unwrap();
    db.migrate().await.unwrap();
    let ada = Learner::new("ada").create(&db).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(db.user(ada.id).await.unwrap(), Some(ada));
}
