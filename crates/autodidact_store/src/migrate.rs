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
/// The migration that adds the listing's figures, which the application fills in for the
/// curricula already stored, in the same transaction.
const EXPLORE_VERSION: i64 = 16;
/// The migration that indexes items' addresses, which it fills in for the curricula stored.
const ADDRESSES_VERSION: i64 = 19;

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
    Migration {
        version: 14,
        name: "0014_sharing",
        sqlite: include_str!("../migrations/sqlite/0014_sharing.sql"),
        postgres: include_str!("../migrations/postgres/0014_sharing.sql"),
    },
    Migration {
        version: 15,
        name: "0015_forks_and_link_checks",
        sqlite: include_str!("../migrations/sqlite/0015_forks_and_link_checks.sql"),
        postgres: include_str!("../migrations/postgres/0015_forks_and_link_checks.sql"),
    },
    Migration {
        version: EXPLORE_VERSION,
        name: "0016_explore",
        sqlite: include_str!("../migrations/sqlite/0016_explore.sql"),
        postgres: include_str!("../migrations/postgres/0016_explore.sql"),
    },
    Migration {
        version: 17,
        name: "0017_suggestions",
        sqlite: include_str!("../migrations/sqlite/0017_suggestions.sql"),
        postgres: include_str!("../migrations/postgres/0017_suggestions.sql"),
    },
    Migration {
        version: 18,
        name: "0018_item_reviews",
        sqlite: include_str!("../migrations/sqlite/0018_item_reviews.sql"),
        postgres: include_str!("../migrations/postgres/0018_item_reviews.sql"),
    },
    Migration {
        version: ADDRESSES_VERSION,
        name: "0019_item_addresses",
        sqlite: include_str!("../migrations/sqlite/0019_item_addresses.sql"),
        postgres: include_str!("../migrations/postgres/0019_item_addresses.sql"),
    },
    Migration {
        version: 20,
        name: "0020_profile_data_version",
        sqlite: include_str!("../migrations/sqlite/0020_profile_data_version.sql"),
        postgres: include_str!("../migrations/postgres/0020_profile_data_version.sql"),
    },
];

/// CHECK constraints a SQLite migration widens in place, by version: `(version, table, old
/// text, new text)`. SQLite cannot alter a constraint, and rebuilding a table that others
/// reference would cascade deletes; a wider CHECK that every stored row already satisfies
/// changes nothing on disk, so its text is edited in `sqlite_schema` by the procedure SQLite
/// documents for such changes ("Making Other Kinds Of Table Schema Changes"), in the
/// migration's transaction, with the schema version raised so every connection re-reads it.
const SQLITE_WIDENED_CHECKS: &[(i64, &str, &str, &str)] = &[
    (
        14,
        "curricula",
        "CHECK (visibility IN ('private', 'unlisted', 'public'))",
        "CHECK (visibility IN ('private', 'followers', 'unlisted', 'public'))",
    ),
    (
        14,
        "follows",
        "CHECK (visibility IN ('private', 'unlisted', 'public'))",
        "CHECK (visibility IN ('private', 'followers', 'unlisted', 'public'))",
    ),
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

/// Applies [`SQLITE_WIDENED_CHECKS`] of `version`; an error when a table's text does not hold
/// the old constraint exactly once (nothing is then changed: the transaction rolls back).
async fn widen_sqlite_checks(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    version: i64,
) -> Result<(), sqlx::Error> {
    let edits: Vec<_> = SQLITE_WIDENED_CHECKS
        .iter()
        .filter(|(v, ..)| *v == version)
        .collect();
    if edits.is_empty() {
        return Ok(());
    }
    let schema_version: i64 = sqlx::query("PRAGMA schema_version")
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    sqlx::query("PRAGMA writable_schema = ON")
        .execute(&mut **tx)
        .await?;
    for (_, table, old, new) in edits {
        let sql: String =
            sqlx::query("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = $1")
                .bind(*table)
                .fetch_one(&mut **tx)
                .await?
                .try_get("sql")?;
        if sql.matches(old).count() != 1 {
            return Err(sqlx::Error::Protocol(format!(
                "table {table} does not hold the constraint to widen: {old}"
            )));
        }
        sqlx::query("UPDATE sqlite_schema SET sql = $1 WHERE type = 'table' AND name = $2")
            .bind(sql.replace(old, new))
            .bind(*table)
            .execute(&mut **tx)
            .await?;
    }
    // A pragma takes no bound parameter; the number is ours, read above.
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "PRAGMA schema_version = {}",
        schema_version + 1
    )))
    .execute(&mut **tx)
    .await?;
    sqlx::query("PRAGMA writable_schema = OFF")
        .execute(&mut **tx)
        .await?;
    Ok(())
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
            if migration.version == EXPLORE_VERSION {
                // Figures no SQL can derive from a TOML source.
                crate::explore::summarize_pending(&mut tx)
                    .await
                    .map_err(failed)?;
            }
            if migration.version == ADDRESSES_VERSION {
                crate::crowd::address_all(&mut tx).await.map_err(failed)?;
            }
            if self.backend == Backend::Sqlite {
                widen_sqlite_checks(&mut tx, migration.version)
                    .await
                    .map_err(failed)?;
            }
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
