#![allow(clippy::unwrap_used, clippy::expect_used)]

mod abuse;
mod account;
mod accounts;
mod api;
mod api_journey;
mod authorization;
mod caching;
mod commitments;
mod contrast;
mod curricula;
mod dashboard;
mod dates;
mod follows;
mod health;
mod insight;
mod lineage;
mod logs;
mod memo;
mod reviews;
mod rolling;
mod serving;
mod sharing;
pub mod support;
mod today;
mod tokens;
mod week;
