//! Migrations: one SQL file per backend per version, under the same name, applied in order and
//! recorded in `schema_migrations`.
//!
//! Hand-rolled rather than sqlx's migrator, because that one is typed per driver and the two
//! backends need two directories of files under one `Any` pool. The whole run is one
//! transaction (both backends have transactional DDL), so a failed migration leaves nothing
//! behind, and it holds a lock so that two processes starting at once apply each migration once:
//! a transaction-scoped advisory lock on PostgreSQL, the write lock (`BEGIN IMMEDIATE`) on SQLite.

use sqlx::Row;

use crate::{Backend, Db};

pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

/// Every migration, oldest first. A new one gets the next version and a file of the same name
/// in both `migrations/sqlite/` and `migrations/postgres/`.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_initial",
        sqlite: include_str!("../migrations/sqlite/0001_initial.sql"),
        postgres: include_str!("../migrations/postgres/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "0002_insight",
        sqlite: include_str!("../migrations/sqlite/0002_insight.sql"),
        postgres: include_str!("../migrations/postgres/0002_insight.sql"),
    },
    Migration {
        version: 3,
        name: "0003_covering_log_indexes",
        sqlite: include_str!("../migrations/sqlite/0003_covering_log_indexes.sql"),
        postgres: include_str!("../migrations/postgres/0003_covering_log_indexes.sql"),
    },
    Migration {
        version: 4,
        name: "0004_log_totals",
        sqlite: include_str!("../migrations/sqlite/0004_log_totals.sql"),
        postgres: include_str!("../migrations/postgres/0004_log_totals.sql"),
    },
    Migration {
        version: 5,
        name: "0005_lineage",
        sqlite: include_str!("../migrations/sqlite/0005_lineage.sql"),
        postgres: include_str!("../migrations/postgres/0005_lineage.sql"),
    },
    Migration {
        version: 6,
        name: "0006_password_resets",
        sqlite: include_str!("../migrations/sqlite/0006_password_resets.sql"),
        postgres: include_str!("../migrations/postgres/0006_password_resets.sql"),
    },
    Migration {
        version: 7,
        name: "0007_budget_history",
        sqlite: include_str!("../migrations/sqlite/0007_budget_history.sql"),
        postgres: include_str!("../migrations/postgres/0007_budget_history.sql"),
    },
    Migration {
        version: 8,
        name: "0008_commitment_lock",
        sqlite: include_str!("../migrations/sqlite/0008_commitment_lock.sql"),
        postgres: include_str!("../migrations/postgres/0008_commitment_lock.sql"),
    },
    Migration {
        version: 9,
        name: "0009_timers",
        sqlite: include_str!("../migrations/sqlite/0009_timers.sql"),
        postgres: include_str!("../migrations/postgres/0009_timers.sql"),
    },
    Migration {
        version: 10,
        name: "0010_import_reports",
        sqlite: include_str!("../migrations/sqlite/0010_import_reports.sql"),
        postgres: include_str!("../migrations/postgres/0010_import_reports.sql"),
    },
    Migration {
        version: 11,
        name: "0011_throttles",
        sqlite: include_str!("../migrations/sqlite/0011_throttles.sql"),
        postgres: include_str!("../migrations/postgres/0011_throttles.sql"),
    },
    Migration {
        version: 12,
        name: "0012_pending_sign_ups",
        sqlite: include_str!("../migrations/sqlite/0012_pending_sign_ups.sql"),
        postgres: include_str!("../migrations/postgres/0012_pending_sign_ups.sql"),
    },
    Migration {
        version: 13,
        name: "0013_data_version",
        sqlite: include_str!("../migrations/sqlite/0013_data_version.sql"),
        postgres: include_str!("../migrations/postgres/0013_data_version.sql"),
    },
];

/// The key of the PostgreSQL advisory lock held while migrating: any constant works, as long as
/// nothing else in the database uses it. This one is "autodida" in ASCII.
const MIGRATION_LOCK_KEY: i64 = 0x6175_746f_6469_6461;

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("migration {name} failed, and none was applied: {cause}")]
    Failed { name: &'static str, cause: String },
    #[error(
        "the database is at schema version {found}, newer than this program knows ({known}): \
         run a newer Autodidact"
    )]
    NewerSchema { found: i64, known: i64 },
    #[error("cannot migrate the database: {0}")]
    Backend(String),
}

impl From<sqlx::Error> for MigrateError {
    fn from(err: sqlx::Error) -> Self {
        MigrateError::Backend(err.to_string())
    }
}

impl Db {
    /// Applies the migrations this database lacks and returns how many. Safe to call on every
    /// start, and from two processes at once.
    pub async fn migrate(&self) -> Result<usize, MigrateError> {
        self.migrate_up_to(i64::MAX).await
    }

    /// Applies the missing migrations up to version `last` only: a test of a data migration
    /// writes rows in the schema before it, then migrates the rest.
    pub async fn migrate_up_to(&self, last: i64) -> Result<usize, MigrateError> {
        let mut tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                // `pg_advisory_xact_lock` returns `void`, which `Any` cannot decode: count it.
                sqlx::query("SELECT COUNT(*) AS n FROM (SELECT pg_advisory_xact_lock($1)) AS l")
                    .bind(MIGRATION_LOCK_KEY)
                    .fetch_one(&mut *tx)
                    .await?;
                tx
            }
        };
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                version BIGINT NOT NULL,
                name TEXT NOT NULL,
                applied_at BIGINT NOT NULL,
                CONSTRAINT schema_migrations_pkey PRIMARY KEY (version)
            )",
        )
        .execute(&mut *tx)
        .await?;
        let found: i64 =
            sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
                .fetch_one(&mut *tx)
                .await?
                .try_get("v")?;
        let known = MIGRATIONS.last().map_or(0, |m| m.version);
        if found > known {
            return Err(MigrateError::NewerSchema { found, known });
        }
        let mut applied = 0;
        for migration in MIGRATIONS
            .iter()
            .filter(|m| m.version > found && m.version <= last)
        {
            let sql = match self.backend {
                Backend::Sqlite => migration.sqlite,
                Backend::Postgres => migration.postgres,
            };
            let failed = |e: sqlx::Error| MigrateError::Failed {
                name: migration.name,
                cause: e.to_string(),
            };
            sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(failed)?;
            sqlx::query(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            )
            .bind(migration.version)
            .bind(migration.name)
            .bind(jiff::Timestamp::now().as_second())
            .execute(&mut *tx)
            .await
            .map_err(failed)?;
            applied += 1;
        }
        tx.commit().await?;
        Ok(applied)
    }

    /// The names of the migrations applied to this database, oldest first.
    pub async fn applied_migrations(&self) -> Result<Vec<String>, MigrateError> {
        let rows = sqlx::query("SELECT name FROM schema_migrations ORDER BY version")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|row| row.try_get("name"))
            .collect::<Result<_, _>>()?)
    }
}
