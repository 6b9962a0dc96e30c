//! The store's tests: one binary, one module per feature. Every storage test runs the same body
//! on every backend that [`autodidact_store::testing::backends`] yields: SQLite always, PostgreSQL whenever
//! `AUTODIDACT_TEST_POSTGRES` names a server (and in CI it must).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod crowd;
mod curricula;
mod data_version;
mod explore;
mod fixtures;
mod follows;
mod full;
mod harness_urls;
mod insight;
mod lineage;
mod logs;
mod reads;
mod schema;
mod sharing;
mod suggestions;
mod takeout;
mod throttle;
mod tokens;
