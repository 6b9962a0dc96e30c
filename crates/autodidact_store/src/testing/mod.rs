//! Test support, for this crate's tests and the web crate's: a fresh, migrated database per
//! test, on each backend. Compiled only with the `testing` feature.
//!
//! SQLite: a file in a temporary directory, removed with it. PostgreSQL: when
//! `AUTODIDACT_TEST_POSTGRES` holds an admin URL (`scripts/start-test-postgres.sh` prints one),
//! a database named for the test is created on that server and dropped afterwards, even when
//! the test fails. With `CI=true` and no URL the test fails: a skipped PostgreSQL run would
//! report "ok" and hide a broken setup.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "test support: a failure to set up a test database should stop the test"
)]

use std::ops::Deref;
use std::sync::Once;
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{AnyConnection, AssertSqlSafe, Connection, Executor};

use crate::Db;

pub mod build;
pub use build::{CurriculumBuilder, FollowBuilder, LearnerBuilder};

pub const POSTGRES_ENV: &str = "AUTODIDACT_TEST_POSTGRES";

/// A migrated database that cleans up after itself when dropped.
#[derive(Debug)]
pub struct TestDb {
    pub db: Db,
    pub label: &'static str,
    url: String,
    cleanup: Cleanup,
}

impl TestDb {
    /// Runs SQL written for this test and says whether the database took it (a constraint
    /// test expects a refusal).
    pub async fn try_execute(&self, sql: &str) -> Result<(), String> {
        sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
            .execute(&self.db.pool)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Runs SQL written for this test, such as rows in the schema before a data migration.
    pub async fn execute(&self, sql: &str) {
        sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
            .execute(&self.db.pool)
            .await
            .unwrap_or_else(|e| panic!("{e}: {sql}"));
    }

    /// The URL another process can open the same database with.
    pub fn connection_url(&self) -> String {
        self.url.clone()
    }
}

#[derive(Debug)]
enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, database: String },
}

impl Deref for TestDb {
    type Target = Db;
    fn deref(&self) -> &Db {
        &self.db
    }
}

/// Runs SQL written for a test on the database at `url` (such as a file a command wrote).
pub async fn execute_at(url: &str, sql: &str) {
    let db = Db::connect(url)
        .await
        .unwrap_or_else(|e| panic!("{e}: {url}"));
    sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
        .execute(&db.pool)
        .await
        .unwrap_or_else(|e| panic!("{e}: {sql}"));
    db.close().await;
}

/// A fresh database on every backend available, each announced on stderr (which the test
/// runner shows for a failing test, so a failure says which backend it was on).
pub async fn backends() -> impl Iterator<Item = TestDb> {
    backends_at(i64::MAX).await
}

/// The same, with the migrations applied up to `version` only: for tests of a data migration.
pub async fn backends_at(version: i64) -> impl Iterator<Item = TestDb> {
    let mut dbs = vec![sqlite_at(version).await];
    dbs.extend(postgres_at(version).await);
    dbs.into_iter().inspect(|t| eprintln!("--- on {}", t.label))
}

pub async fn sqlite() -> TestDb {
    sqlite_at(i64::MAX).await
}

async fn sqlite_at(version: i64) -> TestDb {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let db = Db::connect(&url).await.expect("SQLite opens");
    db.migrate_up_to(version).await.expect("SQLite migrates");
    TestDb {
        db,
        label: "sqlite",
        url,
        cleanup: Cleanup::Sqlite(dir),
    }
}

/// A fresh database on the PostgreSQL server, or `None` when no server is given (outside CI).
pub async fn postgres() -> Option<TestDb> {
    postgres_at(i64::MAX).await
}

async fn postgres_at(version: i64) -> Option<TestDb> {
    let (admin_url, database) = postgres_database().await?;
    let url = with_database(&admin_url, &database);
    let db = Db::connect(&url)
        .await
        .expect("PostgreSQL test database opens");
    db.migrate_up_to(version)
        .await
        .expect("PostgreSQL migrates");
    Some(TestDb {
        db,
        label: "postgres",
        url,
        cleanup: Cleanup::Postgres {
            admin_url,
            database,
        },
    })
}

/// Creates an empty database and returns the admin URL and its name, or `None` without a
/// server. The caller owns dropping it (see [`TestDb`]), or wraps it in a [`PostgresGuard`].
pub async fn postgres_database() -> Option<(String, String)> {
    let admin_url = postgres_admin_url()?;
    static SEQ: AtomicU32 = AtomicU32::new(0);
    let database = format!(
        "autodidact_test_{}_{}_{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed),
        rand::random::<u32>()
    );
    let mut admin = AnyConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {POSTGRES_ENV}={admin_url}: {e}"));
    admin
        .execute(AssertSqlSafe(format!("CREATE DATABASE {database}")))
        .await
        .expect("CREATE DATABASE");
    admin.close().await.ok();
    Some((admin_url, database))
}

/// The admin URL of the test server; `None` outside CI without one, and a failure in CI.
pub fn postgres_admin_url() -> Option<String> {
    sqlx::any::install_default_drivers();
    match std::env::var(POSTGRES_ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|ci| ci == "true") => panic!(
            "CI=true but {POSTGRES_ENV} is not set: in CI the storage tests must run on \
             PostgreSQL too. Start a server with `eval \"$(bash scripts/start-test-postgres.sh)\"`."
        ),
        _ => {
            static NOTE: Once = Once::new();
            NOTE.call_once(|| {
                eprintln!(
                    "note: the PostgreSQL storage tests were NOT run, because {POSTGRES_ENV} is \
                     not set; `eval \"$(bash scripts/start-test-postgres.sh)\"` starts a server \
                     and sets it."
                );
            });
            None
        }
    }
}

/// The admin URL with its database replaced by `database`.
pub fn with_database(admin_url: &str, database: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (admin_url, String::new()),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    format!("{}/{database}{query}", &base[..host_end])
}

pub fn drop_postgres_database(admin_url: &str, database: &str) {
    let admin_url = admin_url.to_owned();
    let sql = format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    // Drop runs outside async code, maybe on a runtime's thread: use a runtime of our own on a
    // thread of our own.
    let dropped = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let mut admin = AnyConnection::connect(&admin_url).await?;
            admin.execute(AssertSqlSafe(sql)).await?;
            admin.close().await
        })
    })
    .join();
    if !matches!(dropped, Ok(Ok(()))) {
        eprintln!("warning: could not drop the test database {database}: {dropped:?}");
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres {
            admin_url,
            database,
        } = &self.cleanup
        {
            drop_postgres_database(admin_url, database);
        }
    }
}

/// Drops a database created by [`postgres_database`] when it goes out of scope.
#[derive(Debug)]
pub struct PostgresGuard {
    pub admin_url: String,
    pub database: String,
}

impl Drop for PostgresGuard {
    fn drop(&mut self) {
        drop_postgres_database(&self.admin_url, &self.database);
    }
}
