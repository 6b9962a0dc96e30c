//! Autodidact's storage: the storage traits of `autodidact_core::store` implemented once, over
//! sqlx's `Any` driver, for SQLite and PostgreSQL; the migrations of both backends; and the
//! only place in the workspace where SQL text lives.
//!
//! What belongs here: connecting ([`Db::connect`]), migrating ([`Db::migrate`]), rows and their
//! conversion to domain records, and the mapping of database errors to
//! [`StoreError`](autodidact_core::store::StoreError). What does not: rules about what a user
//! may do (the core's services decide), HTTP, and anything that needs a concrete driver type.
//!
//! The SQL is written once for both backends, within what `Any` carries: timestamps are BIGINT
//! unix seconds, dates ISO text, flags integers, ids random positive BIGINTs made in Rust, and
//! placeholders `$1`-style. Where the two dialects differ (pragmas, locks, catalog queries), the
//! code says so next to a `match self.backend`.

mod account_data;
mod accounts;
mod connect;
mod crowd;
mod curricula;
mod explore;
mod follows;
mod insight;
mod logs;
mod migrate;
mod rows;
mod schema;
mod sharing;
mod sqlite_reads;
mod sqlite_writes;
mod throttle;
mod timers;
mod tokens;
mod upstream;
mod verify;

#[cfg(feature = "testing")]
pub mod testing;

use sqlx::AnyPool;
use sqlx::Transaction;
use sqlx::any::Any;

use autodidact_core::store::StoreResult;

pub use connect::ConnectError;
pub use migrate::MigrateError;
pub use schema::{Column, ForeignKey, Schema, TypeFamily};
pub use verify::{BackupError, Verification};

use rows::db_err;

/// Which database a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pool of connections to one database. Implements every storage trait of the core, so an
/// `Arc<Db>` is an `Arc<dyn Store>`. Cloning is cheap and shares the pool.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// Reads of many rows on a SQLite file, whole (see [`sqlite_reads`]); `None` on
    /// PostgreSQL and in memory.
    reads: Option<std::sync::Arc<sqlite_reads::Reads>>,
    /// The group-committing writer of study logs on a SQLite file (see [`sqlite_writes`]);
    /// `None` on PostgreSQL and in memory.
    writes: Option<std::sync::Arc<sqlite_writes::Writes>>,
}

impl Db {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes every connection; later calls fail.
    pub async fn close(&self) {
        if let Some(reads) = &self.reads {
            reads.close();
        }
        if let Some(writes) = &self.writes {
            writes.close();
        }
        self.pool.close().await;
    }

    /// A transaction that writes. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`):
    /// a deferred transaction that reads and then writes can fail with `SQLITE_BUSY` without
    /// waiting for `busy_timeout`, so every writing transaction starts as a writer.
    async fn write_tx(&self) -> StoreResult<Transaction<'static, Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
        .map_err(db_err)
    }
}

/// Commits, mapping the error like every other statement's.
async fn commit(tx: Transaction<'static, Any>) -> StoreResult<()> {
    tx.commit().await.map_err(db_err)
}
