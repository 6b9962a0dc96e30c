//! Checking a database as a whole, for operators (`autodidact verify`) and the crash test:
//! the file's integrity (SQLite's `integrity_check`) and the running totals against the logs
//! they sum.

use crate::rows::{db_err, get};
use crate::{Backend, Db};
use autodidact_core::store::StoreResult;

/// What [`Db::verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// SQLite's `PRAGMA integrity_check` lines (`["ok"]` when sound); PostgreSQL checks its own
    /// pages, so `["ok"]` there.
    pub integrity: Vec<String>,
    /// Study logs stored.
    pub logs: i64,
    /// Days (per learner) whose running total differs from the sum of their logs.
    pub learner_days_off: i64,
    /// Days (per follow and item) whose running total differs from the sum of their logs.
    pub item_days_off: i64,
}

impl Verification {
    pub fn is_sound(&self) -> bool {
        self.integrity == ["ok"] && self.learner_days_off == 0 && self.item_days_off == 0
    }
}

/// A learner's day from the logs, by kind.
const LEARNER_DAYS_FROM_LOGS: &str = "SELECT user_id, day, \
    SUM(CASE WHEN kind = 'learn' THEN minutes ELSE 0 END) AS learn, \
    SUM(CASE WHEN kind = 'build' THEN minutes ELSE 0 END) AS build, \
    SUM(CASE WHEN kind = 'review' THEN minutes ELSE 0 END) AS review \
    FROM study_logs GROUP BY user_id, day";
/// A learner's day as stored (rows of all zeros left by deletions count as absent).
const LEARNER_DAYS_STORED: &str = "SELECT user_id, day, learn, build, review FROM log_days \
    WHERE learn <> 0 OR build <> 0 OR review <> 0";
/// A follow's day per item ('' for none) from the logs.
const ITEM_DAYS_FROM_LOGS: &str = "SELECT follow_id, day, COALESCE(item_id, '') AS item_id, \
    SUM(minutes) AS minutes FROM study_logs WHERE follow_id IS NOT NULL \
    GROUP BY follow_id, day, COALESCE(item_id, '')";
/// A follow's day per item as stored.
const ITEM_DAYS_STORED: &str =
    "SELECT follow_id, day, item_id, minutes FROM log_item_days WHERE minutes <> 0";

/// The keys (`key`, the leading columns) of the rows in `a` or `b` but not both: a row that
/// differs counts once. (SQLite takes no parentheses around a compound select, so each
/// direction is a subquery.)
fn keys_differing(a: &str, b: &str, key: &str) -> String {
    format!(
        "SELECT COUNT(*) AS n FROM (SELECT {key} FROM ({a} EXCEPT {b}) AS x \
         UNION SELECT {key} FROM ({b} EXCEPT {a}) AS y) AS off"
    )
}

impl Db {
    /// Checks the whole database (see [`Verification`]). Reads only.
    pub async fn verify(&self) -> StoreResult<Verification> {
        let mut conn = self.pool.acquire().await.map_err(db_err)?;
        let integrity = match self.backend {
            Backend::Sqlite => sqlx::query("PRAGMA integrity_check")
                .fetch_all(&mut *conn)
                .await
                .map_err(db_err)?
                .iter()
                .map(|row| sqlx::Row::try_get::<String, _>(row, 0).map_err(db_err))
                .collect::<StoreResult<Vec<String>>>()?,
            Backend::Postgres => vec!["ok".to_owned()],
        };
        let mut counts = Vec::with_capacity(3);
        for sql in [
            "SELECT COUNT(*) AS n FROM study_logs".to_owned(),
            keys_differing(LEARNER_DAYS_FROM_LOGS, LEARNER_DAYS_STORED, "user_id, day"),
            keys_differing(
                ITEM_DAYS_FROM_LOGS,
                ITEM_DAYS_STORED,
                "follow_id, day, item_id",
            ),
        ] {
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_one(&mut *conn)
                .await
                .map_err(db_err)?;
            counts.push(get::<i64>(&row, "n")?);
        }
        let (logs, learner_days_off, item_days_off) = (counts[0], counts[1], counts[2]);
        Ok(Verification {
            integrity,
            logs,
            learner_days_off,
            item_days_off,
        })
    }
}

/// Why a backup was not made.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "backups of a PostgreSQL database are made with PostgreSQL's own tools: pg_dump --format=custom --file=FILE DATABASE_URL, and pg_restore to bring one back (see docs/OPERATIONS.md)"
    )]
    Postgres,
    #[error("{0} exists: choose a new file for the backup")]
    Exists(std::path::PathBuf),
    #[error("the backup failed: {0}")]
    Failed(String),
}

impl Db {
    /// A consistent copy of a SQLite database, made online with `VACUUM INTO` (one read
    /// transaction: writers go on meanwhile, and the copy is the database as of its start),
    /// written next to `to` and renamed into place, so `to` is whole or absent.
    pub async fn backup_to(&self, to: &std::path::Path) -> Result<(), BackupError> {
        if self.backend == Backend::Postgres {
            return Err(BackupError::Postgres);
        }
        if to.exists() {
            return Err(BackupError::Exists(to.to_owned()));
        }
        let name = to
            .file_name()
            .map_or_else(|| "backup".into(), |n| n.to_string_lossy().into_owned());
        let partial = to.with_file_name(format!(".{name}.partial-{}", std::process::id()));
        let _ = std::fs::remove_file(&partial);
        let made = sqlx::query("VACUUM INTO $1")
            .bind(partial.to_string_lossy().into_owned())
            .execute(&self.pool)
            .await;
        if let Err(e) = made {
            let _ = std::fs::remove_file(&partial);
            return Err(BackupError::Failed(e.to_string()));
        }
        // On disk before it takes the backup's name.
        if let Err(e) = std::fs::File::open(&partial).and_then(|f| f.sync_all()) {
            let _ = std::fs::remove_file(&partial);
            return Err(BackupError::Failed(e.to_string()));
        }
        std::fs::rename(&partial, to).map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            BackupError::Failed(format!("cannot move the copy to {}: {e}", to.display()))
        })
    }
}
